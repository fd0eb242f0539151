/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A cell of a GtkColumnView: an optional bold heading over wrapped body text. */
void esc_column_set_cell_factory (GtkColumnViewColumn *column,
                                  GCallback            bind_cb,
                                  gpointer             user_data);
void esc_cell_set_text           (GtkListItem         *list_item,
                                  const char          *heading,
                                  const char          *body);

/* esc-ui-a11y.c: names for screen readers where GTK 4.8 gives none or a wrong one */
void esc_ui_name_controls        (GtkWidget           *root);
void esc_ui_set_name             (GtkWidget           *widget,
                                  const char          *name);
/* "_Mine" → "Mine"; "Refresh (F5)" → "Refresh" */
char *esc_ui_spoken_name         (const char          *text,
                                  gboolean             use_underline);
void esc_ui_name_list_item       (GtkListItem         *list_item,
                                  guint                levels,
                                  const char          *name);
void esc_ui_combo_row_name_values (AdwComboRow        *row);
void esc_ui_name_column_headers  (GtkColumnView       *view);
/* Where a field's required, invalid and error states go: its row, or the text of an entry row */
GtkAccessible *esc_ui_field_accessible (GtkWidget     *row);
void esc_ui_drop_down_name_values (GtkDropDown        *drop_down,
                                   const char         *name);

G_END_DECLS
