/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "esc-staff-directory.h"

G_BEGIN_DECLS

#define ESC_TYPE_STAFF_MATCHES (esc_staff_matches_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffMatches, esc_staff_matches, ESC, STAFF_MATCHES, GObject)

/* Whether @entry is shown; called for each person at a keystroke */
typedef gboolean (*EscStaffMatchFunc) (EscStaffEntry *entry,
                                       gpointer       user_data);

/* The people of a directory that @func keeps, in the directory's order: a
 * GListModel of EscStaffEntry, as a GtkFilterListModel with a GtkCustomFilter
 * would be, for the Staff & access screen's search over 10 000 people.
 *
 * A GtkFilterListModel reads each item with g_list_model_get_item(), asks the
 * filter through gtk_filter_match(), drops the reference and sets a bit: about
 * 800 instructions a person, 8 million at a keystroke over 10 000 people, where
 * the comparison itself is about 110 a person. This model runs @func over the
 * directory's entries as they are (esc_staff_directory_peek_entries()), and
 * tells of a change once, as the smallest range that differs. It follows the
 * directory's changes as they come (only the people added are asked about). */
EscStaffMatches *esc_staff_matches_new            (EscStaffMatchFunc  func,
                                                   gpointer           user_data);
/* (nullable): whose people are shown; every one is asked about */
void             esc_staff_matches_set_directory  (EscStaffMatches   *self,
                                                   EscStaffDirectory *directory);
/* What @func says changed: GTK_FILTER_CHANGE_MORE_STRICT asks only about those
 * shown, GTK_FILTER_CHANGE_LESS_STRICT only about those not shown,
 * GTK_FILTER_CHANGE_DIFFERENT about everyone */
void             esc_staff_matches_refilter       (EscStaffMatches   *self,
                                                   GtkFilterChange    change);

G_END_DECLS
