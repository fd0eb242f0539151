/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_ROWS (esc_request_rows_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestRows, esc_request_rows, ESC, REQUEST_ROWS, GObject)

/* A GListModel of row objects, one per position of @source, each keeping its
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

/* Growing a step at a time. A view makes widgets for every row it may show
 * soon (GTK 4.8: about 200 around the visible ones), all in one frame when a
 * short list becomes a long one. With a @step, while the model has fewer than
 * @bound rows, at most @step rows are added at once: the rest come with
 * esc_request_rows_grow(), a step each time (a view calls it once a frame),
 * and past @bound all at once. A @step of 0 adds every row at once. */
void            esc_request_rows_set_growth (EscRequestRows *self,
                                             guint           step,
                                             guint           bound);
/* Whether rows of the source are still to come */
gboolean        esc_request_rows_is_growing (EscRequestRows *self);
/* Adds the next step of rows (then ::changed is emitted) */
void            esc_request_rows_grow       (EscRequestRows *self);

/* (transfer none) (nullable): what a row object of the model shows now */
GObject        *esc_request_rows_get_item   (gpointer        row);

G_END_DECLS
