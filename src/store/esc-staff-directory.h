/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-mirror.h"

G_BEGIN_DECLS

/* Roles and live designations of a person, as bits (the mirror_staff_list table's). */
typedef enum
{
  ESC_STAFF_ROLE_IT_ADMIN        = 1 << 0,
  ESC_STAFF_ROLE_PARTNER_MANAGER = 1 << 1,
  ESC_STAFF_ROLE_SUPPORT_STAFF   = 1 << 2,
  ESC_STAFF_ROLE_OPERATOR        = 1 << 3,
} EscStaffRoles;

typedef enum
{
  ESC_STAFF_DESIGNATION_ELEVATION  = 1 << 0,
  ESC_STAFF_DESIGNATION_ESCALATION = 1 << 1,
} EscStaffDesignations;

#define ESC_TYPE_STAFF_ENTRY (esc_staff_entry_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffEntry, esc_staff_entry, ESC, STAFF_ENTRY, GObject)

/* One row of the staff directory: what the list shows and filters on, read
 * at once for 10 000 people (the full StaffMember is esc_mirror_get_staff()'s).
 * Immutable: the directory replaces the entry when the row changes. */
gint64                esc_staff_entry_get_id            (EscStaffEntry *self);
const char           *esc_staff_entry_get_name          (EscStaffEntry *self);
/* (nullable) */
const char           *esc_staff_entry_get_email         (EscStaffEntry *self);
/* (nullable) */
const char           *esc_staff_entry_get_team          (EscStaffEntry *self);
EscStaffRoles         esc_staff_entry_get_roles         (EscStaffEntry *self);
/* The active designations, expired ones included (see esc_staff_entry_get_live_designations()) */
EscStaffDesignations  esc_staff_entry_get_designations  (EscStaffEntry *self);
/* Those active and not expired at @now */
EscStaffDesignations  esc_staff_entry_get_live_designations (EscStaffEntry *self,
                                                             GDateTime     *now);
/* (nullable): when the designation of that one capability expires, NULL for never or none */
GDateTime            *esc_staff_entry_get_expires_at    (EscStaffEntry        *self,
                                                         EscStaffDesignations  capability);
gboolean              esc_staff_entry_get_disabled      (EscStaffEntry *self);
/* (nullable): the service's etag of the person, when it sends one */
const char           *esc_staff_entry_get_etag          (EscStaffEntry *self);
/* Name, email and team, folded with esc_staff_fold_text(): what a search matches */
const char           *esc_staff_entry_get_search_key    (EscStaffEntry *self);

/* (transfer full): @text without accents and case-folded, so that "elodie"
 * finds "Élodie"; for the search keys and for what the user types */
char                 *esc_staff_fold_text               (const char    *text);

#define ESC_TYPE_STAFF_DIRECTORY (esc_staff_directory_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffDirectory, esc_staff_directory, ESC, STAFF_DIRECTORY, GObject)

/* The mirrored staff of the mirror's current service as a GListModel of
 * EscStaffEntry, by name, read in one query and kept in step with the
 * mirror (only the rows that changed are emitted). */
EscStaffDirectory    *esc_staff_directory_new           (EscMirror         *mirror);
/* Reads the table again (also done when the mirror's staff change) */
gboolean              esc_staff_directory_reload        (EscStaffDirectory *self,
                                                         GError           **error);
/* (transfer full): the distinct teams, sorted, NULL-terminated */
char                **esc_staff_directory_dup_teams     (EscStaffDirectory *self);
/* (transfer none): the entries in order, @n_entries of them, without a
 * reference each: valid until the directory's next ::items-changed. For a
 * pass over every person at a keystroke (10 000 g_list_model_get_item()
 * calls cost more than the search itself). */
EscStaffEntry * const *esc_staff_directory_peek_entries (EscStaffDirectory *self,
                                                         guint             *n_entries);
/* (transfer full) (nullable): the entry of person @id */
EscStaffEntry        *esc_staff_directory_lookup        (EscStaffDirectory *self,
                                                         gint64             id);

/* The audit log of the mirror's current service read in id order: TRUE if
 * each event's prev_hash is the hash of the event before it. If not, FALSE
 * with @out_broken_id the first event that does not link up (no @error). */
gboolean              esc_mirror_check_audit_chain      (EscMirror         *mirror,
                                                         gint64            *out_broken_id,
                                                         guint             *out_n_events,
                                                         GError           **error);

G_END_DECLS
