/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_ROWS (esc_request_rows_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestRows, esc_request_rows, ESC, REQUEST_ROWS, GObject)

/* GTK < 4.12: from 4.12 list views bind only the rows near the screen, not
 * some 200, which should make this model and its steps unnecessary (measure
 * with bench/requests-list before dropping it).
 *
 * A GListModel of row objects, one per position of @source, each keeping its
 * identity when the source changes and telling what it shows with
 * ::notify::item. A list view over it keeps its row widgets when a search or a
 * filter replaces the rows (GTK 4.8 rebuilds the widgets of up to 200 rows
 * when the items change): only the rows' contents change, and only the end of
 * the list is added or removed. The changes of the source are taken together
 * just before the next frame (an idle of G_PRIORITY_HIGH_IDLE), then ::changed
 * is emitted. Row objects are made when asked for and live as long as someone
 * holds them. */
EscRequestRows *esc_request_rows_new        (GListModel     *source);
GListModel     *esc_request_rows_get_source (EscRequestRows *self);

/* Takes in the source's changes now (before selecting a position, say) */
void            esc_request_rows_flush      (EscRequestRows *self);

/* Growing and shrinking a step at a time. A view makes widgets for every row
 * it may show soon (GTK 4.8: about 200 around the visible ones), all in one
 * frame when a short list becomes a long one, and destroys them all in one
 * frame when a long list becomes short. With a @step:
 * - while the model has fewer than @bound rows, at most @step rows are added
 *   at once; past @bound, the rest at once;
 * - when the source becomes shorter than @bound but still longer than the
 *   screen (esc_request_rows_set_view_end()), the rows past its end within
 *   @bound go @step at a time, blank (no item) until then.
 * Each esc_request_rows_step() takes the next step (a view calls it once a
 * frame). When the source changes while the rows already fill the screen,
 * no step is taken with that change: the steps follow, one a frame, so that
 * a keystroke's frame does not also make or destroy a step of row widgets.
 * A @step of 0 takes every change at once. */
void            esc_request_rows_set_growth (EscRequestRows *self,
                                             guint           step,
                                             guint           bound);
/* The last position on screen (G_MAXUINT, the default: unknown) */
void            esc_request_rows_set_view_end (EscRequestRows *self,
                                               guint           position);
/* Whether steps are still to come */
gboolean        esc_request_rows_is_stepping (EscRequestRows *self);
/* Takes the next step (then ::changed is emitted) */
void            esc_request_rows_step       (EscRequestRows *self);

/* (transfer none) (nullable): what a row object of the model shows now */
GObject        *esc_request_rows_get_item   (gpointer        row);

/* The rows from @first to @last (those a view shows, and a margin) are read
 * as soon as the source changes, and ::notify::item is emitted only if they
 * changed. The others are read when esc_request_rows_get_item() asks for them,
 * and ::notify::item is emitted for them on any change of the source from
 * their position on. Every row is eager by default. */
void            esc_request_rows_set_eager_range (EscRequestRows *self,
                                                  guint           first,
                                                  guint           last);

G_END_DECLS
