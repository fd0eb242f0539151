/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "esc-request-list.h"
#include "esc-request-rows.h"

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_COLUMN_VIEW (esc_request_column_view_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestColumnView, esc_request_column_view, ESC, REQUEST_COLUMN_VIEW, GtkWidget)

/* The list of the Requests screen: a GtkColumnView in its scrolled window over
 * a model of EscSupportRequest and EscOutboxItem (the pending requests), shown
 * through EscRequestRows (esc-request-rows.h) in a single selection. It holds
 * the cells (EscRequestCell), writes those far from the screen later (stale
 * cells), adds and removes rows a step a frame, fits its columns to its width
 * while it is allocated (the title takes the spare width), and tells which
 * column it is sorted by (::sort-changed): the store sorts, not the view.
 *
 * ::activate (guint position) is the column view's: a row was activated. */
void                 esc_request_column_view_set_model      (EscRequestColumnView *self,
                                                             GListModel           *model);
GtkColumnView       *esc_request_column_view_get_view       (EscRequestColumnView *self);
void                 esc_request_column_view_focus_rows     (EscRequestColumnView *self);
GtkSingleSelection  *esc_request_column_view_get_selection  (EscRequestColumnView *self);
/* The row objects shown, whose ::changed tells that the rows changed */
EscRequestRows      *esc_request_column_view_get_rows       (EscRequestColumnView *self);
EscRequestSort       esc_request_column_view_get_sort       (EscRequestColumnView *self,
                                                             gboolean             *descending);
/* Moves the response clocks of the rows shown to @now */
void                 esc_request_column_view_tick           (EscRequestColumnView *self,
                                                             GDateTime            *now);
/* The screen shows again: the steps (if any) go on, a frame at a time */
void                 esc_request_column_view_resume         (EscRequestColumnView *self);
/* Whether every row is in and every cell written */
gboolean             esc_request_column_view_is_settled     (EscRequestColumnView *self);

G_END_DECLS
