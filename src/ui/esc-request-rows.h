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

/* (transfer none) (nullable): what a row object of the model shows now */
GObject        *esc_request_rows_get_item   (gpointer        row);

G_END_DECLS
