/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-request-rows.h"
#include "esc-staff-directory.h"
#include "esc-staff-matches.h"
#include "esc-staff-page.h"

G_BEGIN_DECLS

struct _EscStaffPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  AdwStatusPage       *denied_page;
  GtkStackSwitcher    *view_switcher;
  GtkStack            *view_stack;
  GtkRevealer         *offline_banner;
  GtkLabel            *offline_banner_label;
  GtkRevealer         *team_banner;
  GtkLabel            *team_banner_label;
  GtkRevealer         *expiry_banner;
  GtkLabel            *expiry_banner_label;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *role_filter;
  GtkDropDown         *team_filter;
  GtkDropDown         *designation_filter;
  GtkWidget           *add_button;
  GtkWidget           *import_button;
  GtkStack            *directory_stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *team_column;
  GtkColumnViewColumn *roles_column;
  GtkColumnViewColumn *designations_column;
  GtkLabel            *count_label;
  AdwBin              *contacts_bin;
  AdwBin              *audit_bin;

  /* Owned references */
  EscSession          *session;
  GSettings           *settings;
  EscStaffDirectory   *directory;
  EscStaffMatches     *filtered;
  EscRequestRows      *rows;
  GtkStringList       *teams;
  GHashTable          *pending;     /* gint64 * (owned) → EscOutboxItem: changes not yet accepted */
  GHashTable          *bound;       /* GtkListItem of the designations column → NULL */
  GHashTable          *stale;       /* GtkListItem bound but not written yet (off screen) → NULL */
  GtkAdjustment       *vadjustment; /* the column view's */
  double               row_height;  /* learnt from the adjustment, or 0 */
  guint                finish_source;
  /* What the filter compares, read from the drop-downs once per filtering */
  EscStaffRoles        filter_role;
  guint                filter_team;
  char                *filter_team_name;
  guint                filter_designation;
  char                *query;       /* folded */
  GDateTime           *now;         /* the filter's "now", fixed per filtering */
  GDateTime           *expiry_limit; /* and EXPIRY_WARNING_DAYS later */
  guint                search_source;
  guint                grow_source;
  GdkFrameClock       *grow_clock;   /* (weak) */

  /* Borrowed from the session */
  EscAccount          *account;
  EscOutbox           *outbox;
};

/* esc-staff-page-cells.c: the columns' cells, and the list grown a step a frame */
void esc_staff_page_setup_columns         (EscStaffPage *self);
/* Writes the designations column of the bound rows again (the outbox changed) */
void esc_staff_page_render_designations   (EscStaffPage *self);
void esc_staff_page_start_growth          (EscStaffPage *self);
void esc_staff_page_stop_growth           (EscStaffPage *self);
/* Forgets the bound rows (the column view goes) */
void esc_staff_page_forget_rows           (EscStaffPage *self);

G_END_DECLS
