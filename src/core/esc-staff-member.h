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
void                esc_staff_member_set_access         (EscStaffMember  *self,
                                                         const char      *team,
                                                         gboolean         disabled);
void                esc_staff_member_set_etag           (EscStaffMember  *self,
                                                         const char      *etag);
/* (transfer full): the StaffMember of the v1 API */
JsonNode           *esc_staff_member_to_json            (EscStaffMember  *self);
gint64              esc_staff_member_get_id             (EscStaffMember  *self);
const char         *esc_staff_member_get_name           (EscStaffMember  *self);
const char         *esc_staff_member_get_email          (EscStaffMember  *self);
const char * const *esc_staff_member_get_roles          (EscStaffMember  *self);
/* (transfer none): a list of EscDesignation, expired ones included */
GListModel         *esc_staff_member_get_designations   (EscStaffMember  *self);
/* (nullable): the team, as the service keeps it */
const char         *esc_staff_member_get_team           (EscStaffMember  *self);
/* TRUE once the person's access was removed */
gboolean            esc_staff_member_get_disabled       (EscStaffMember  *self);
/* (nullable): the version, opaque, equal to the ETag of GET /v1/staff/{id};
 * it changes with the designations, roles, team or disabled state */
const char         *esc_staff_member_get_etag           (EscStaffMember  *self);
/* TRUE if a live designation grants @capability */
gboolean            esc_staff_member_has_capability     (EscStaffMember  *self,
                                                         const char      *capability);

/* The answer of POST /v1/staff/{id}/remove-access: the person (disabled)
 * and what was ended. */
typedef struct
{
  EscStaffMember *person;
  guint           tokens_revoked;
  guint           designations_withdrawn;
  guint           elevations_closed;
  guint           devices_rotated;
} EscStaffAccessRemoval;

EscStaffAccessRemoval *esc_staff_access_removal_new_from_json (JsonNode               *node,
                                                               GError                **error);
void                   esc_staff_access_removal_free          (EscStaffAccessRemoval  *removal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscStaffAccessRemoval, esc_staff_access_removal_free)

G_END_DECLS
