/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "esc-support-request.h"

G_BEGIN_DECLS

/* The columns of the Requests list, in the order of EscRequestSort */
typedef enum
{
  ESC_REQUEST_COLUMN_ID,
  ESC_REQUEST_COLUMN_TYPE,
  ESC_REQUEST_COLUMN_SEVERITY,
  ESC_REQUEST_COLUMN_STATE,
  ESC_REQUEST_COLUMN_TITLE,
  ESC_REQUEST_COLUMN_FILER,
  ESC_REQUEST_COLUMN_OWNER,
  ESC_REQUEST_COLUMN_DUE,
  ESC_REQUEST_COLUMN_UPDATED,
  ESC_REQUEST_N_COLUMNS
} EscRequestColumn;

#define ESC_TYPE_REQUEST_CELL (esc_request_cell_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestCell, esc_request_cell, ESC, REQUEST_CELL, GObject)

/* One cell of the Requests list: what its GtkInscription (the list item's
 * child, named after its column: "number", "type", "severity", "state",
 * "title", "filer", "owner", "due", "updated") shows of the item of its row (an EscRequestRows row object), in
 * which column, and its tooltip. Made in the factory's ::setup; the column
 * view keeps it while the list item lives. */
EscRequestCell    *esc_request_cell_new            (GtkWidget         *view,
                                                    GtkListItem       *list_item,
                                                    EscRequestColumn   column);
/* The view the cell is in: (transfer none) */
GtkWidget         *esc_request_cell_get_view       (EscRequestCell    *self);
EscRequestColumn   esc_request_cell_get_column     (EscRequestCell    *self);
GtkListItem       *esc_request_cell_get_list_item  (EscRequestCell    *self);
/* What the cell's row shows now: (transfer none) (nullable) */
gpointer           esc_request_cell_get_item       (EscRequestCell    *self);
/* Writes what the row shows now; @now (nullable: the current time) is the
 * time the clocks count from.
 * Returns whether the cell shows a response clock (esc_request_cell_tick()) */
gboolean           esc_request_cell_render         (EscRequestCell    *self,
                                                    GDateTime         *now);
/* Empties the cell (bound to another row, not written yet) */
void               esc_request_cell_clear          (EscRequestCell    *self);
/* Moves the response clock of a cell of the due column to @now */
void               esc_request_cell_tick           (EscRequestCell    *self,
                                                    GDateTime         *now);

/* The request a row's item shows: a mirrored one, or the body of a pending
 * EscOutboxItem (read once): (transfer none) */
EscSupportRequest *esc_request_row_get_request     (gpointer           item);
/* The type's word in the narrow Type column */
const char        *esc_request_type_get_short_label (EscSupportRequestType type);

G_END_DECLS
