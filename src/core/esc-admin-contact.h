/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "esc-support-request.h"

G_BEGIN_DECLS

#define ESC_TYPE_ADMIN_CONTACT (esc_admin_contact_get_type ())

G_DECLARE_FINAL_TYPE (EscAdminContact, esc_admin_contact, ESC, ADMIN_CONTACT, GObject)

/* The admin contact of one area of focus ("app-packaging", "devices",
 * "security", "it-help-desk", "other"), as GET /v1/admin-contacts lists them:
 * copied on the requests of that area, and taking over when the primary
 * contact is unreachable. */
EscAdminContact     *esc_admin_contact_new_from_json  (JsonNode  *node,
                                                       GError   **error);
/* What the service answers: @updated_by_id 0 or @updated_by NULL when
 * nobody is on record */
EscAdminContact     *esc_admin_contact_new            (const char              *area,
                                                       const EscSupportContact *contact,
                                                       GDateTime               *updated_at,
                                                       gint64                   updated_by_id,
                                                       const char              *updated_by);
/* (transfer full): the AdminContact of the v1 API: the contact's members
 * beside area, updated_at and updated_by */
JsonNode            *esc_admin_contact_to_json        (EscAdminContact *self);
gint64               esc_admin_contact_get_updated_by_id (EscAdminContact *self);
const char          *esc_admin_contact_get_area       (EscAdminContact *self);
EscSupportContact   *esc_admin_contact_get_contact    (EscAdminContact *self);
GDateTime           *esc_admin_contact_get_updated_at (EscAdminContact *self);
const char          *esc_admin_contact_get_updated_by (EscAdminContact *self);

G_END_DECLS
