/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-service-crypto.h"
#include "esc-service-private.h"

G_BEGIN_DECLS

/* Just-in-time admin access: elevation requests and the rotating password of
 * each device's local administrator account. */

gboolean             esc_service_elevation_purge          (EscServiceDb       *db,
                                                           GDateTime          *now,
                                                           guint              *out_purged,
                                                           GError            **error);

/* Closes every open elevation request of @person_id (by the service, with
 * @actions_taken) and rotates the passwords of their devices at once; inside
 * the caller's write transaction, which audits it. */
gboolean             esc_service_elevation_end_for_person (EscServiceDb       *db,
                                                           gint64              person_id,
                                                           const char         *closed_reason,
                                                           const char         *actions_taken,
                                                           gint64              closed_by,
                                                           GDateTime          *now,
                                                           guint              *out_closed,
                                                           GStrv              *out_devices,
                                                           GError            **error);

/* The current password of @device_id, made first if its period is over:
 * once per period across every node (esc-service-elevation-policy.c). Inside
 * the caller's write transaction; @out_rotated says whether to audit it. */
char                *esc_service_elevation_get_password   (EscServiceDb       *db,
                                                           gint64              device_id,
                                                           GDateTime          *now,
                                                           char              **out_rotates_at,
                                                           gint64             *out_generation,
                                                           gboolean           *out_rotated,
                                                           GError            **error);

G_END_DECLS
