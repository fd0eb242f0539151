/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ESC_TYPE_DESIGNATION (esc_designation_get_type ())

G_DECLARE_FINAL_TYPE (EscDesignation, esc_designation, ESC, DESIGNATION, GObject)

/* One capability granted to a member of the support staff: "elevation" or
 * "escalation", with an optional reason and expiry (the Designation of the
 * v1 API). What the app sends is made with esc_designation_new(); what the
 * service answers also says whether it is active, when and by whom. */
EscDesignation *esc_designation_new                 (const char      *capability,
                                                     const char      *reason,
                                                     GDateTime       *expires_at);
EscDesignation *esc_designation_new_from_json       (JsonNode        *node,
                                                     GError         **error);
/* As the service answers it: with whether it is active, when and by whom
 * (@designated_by_id 0 or @designated_by NULL for the command line) */
EscDesignation *esc_designation_new_full            (const char      *capability,
                                                     const char      *reason,
                                                     GDateTime       *expires_at,
                                                     gboolean         active,
                                                     GDateTime       *designated_at,
                                                     gint64           designated_by_id,
                                                     const char      *designated_by);
/* The body member of PUT /v1/staff/{id}/designations */
JsonNode       *esc_designation_to_json             (EscDesignation  *self);
/* The Designation of a StaffMember, as the service answers it */
JsonNode       *esc_designation_to_resource_json    (EscDesignation  *self);

const char     *esc_designation_get_capability      (EscDesignation  *self);
const char     *esc_designation_get_reason          (EscDesignation  *self);
GDateTime      *esc_designation_get_expires_at      (EscDesignation  *self);
gboolean        esc_designation_get_active          (EscDesignation  *self);
GDateTime      *esc_designation_get_designated_at   (EscDesignation  *self);
const char     *esc_designation_get_designated_by   (EscDesignation  *self);
gint64          esc_designation_get_designated_by_id (EscDesignation *self);

G_END_DECLS
