/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "esc-designation.h"

G_BEGIN_DECLS

#define ESC_TYPE_STAFF_MEMBER (esc_staff_member_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffMember, esc_staff_member, ESC, STAFF_MEMBER, GObject)

/* A member of the support staff with their designations, as GET /v1/staff
 * lists them and the mirror keeps them. */
EscStaffMember     *esc_staff_member_new_from_json      (JsonNode        *node,
                                                         GError         **error);
/* What the service answers: built with new() and add_designation(), written
 * with to_json() */
EscStaffMember     *esc_staff_member_new                (gint64           id,
                                                         const char      *name,
                                                         const char      *email,
                                                         const char * const *roles);
void                esc_staff_member_add_designation    (EscStaffMember  *self,
                                                         EscDesignation  *designation);
/* (transfer full): the StaffMember of the v1 API */
JsonNode           *esc_staff_member_to_json            (EscStaffMember  *self);
gint64              esc_staff_member_get_id             (EscStaffMember  *self);
const char         *esc_staff_member_get_name           (EscStaffMember  *self);
const char         *esc_staff_member_get_email          (EscStaffMember  *self);
const char * const *esc_staff_member_get_roles          (EscStaffMember  *self);
/* (transfer none): a list of EscDesignation, expired ones included */
GListModel         *esc_staff_member_get_designations   (EscStaffMember  *self);
/* TRUE if a live designation grants @capability */
gboolean            esc_staff_member_has_capability     (EscStaffMember  *self,
                                                         const char      *capability);

G_END_DECLS
