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

G_END_DECLS
