/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "esc-service-private.h"

G_BEGIN_DECLS

/* Designations: the support escalation team, and who may elevate. */

gboolean  esc_service_staff_grant             (EscServiceDb       *db,
                                               const char         *user,
                                               const char         *capability,
                                               const char         *reason,
                                               GDateTime          *expires_at,
                                               GError            **error);
gboolean  esc_service_staff_revoke            (EscServiceDb       *db,
                                               const char         *user,
                                               const char         *capability,
                                               GError            **error);

/* Holds off every other change to this person's roles, designations and
 * access, on any node, until this transaction ends (esc_service_db_lock_key):
 * what is read next (the version of If-Match, a role) stays true. Inside a
 * write transaction. */
gboolean  esc_service_staff_lock_person       (EscServiceDb       *db,
                                               gint64              person_id,
                                               GError            **error);

char     *esc_service_staff_dup_refusal       (EscServiceContext  *ctx,
                                               const char         *capability,
                                               const char         *action);
/* The StaffMember of the v1 API, with its "etag" (also in @out_etag, for
 * the ETag header); inside a transaction. */
JsonNode *esc_service_staff_member_to_json    (EscServiceDb       *db,
                                               gint64              person_id,
                                               const char         *now,
                                               char              **out_etag,
                                               GError            **error);
void      esc_service_staff_add_person_ref    (JsonBuilder        *builder,
                                               const char         *member,
                                               gint64              id,
                                               const char         *name);

G_END_DECLS
