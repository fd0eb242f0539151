/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A cell of a GtkColumnView: an optional bold heading over wrapped body text. */
void esc_column_set_cell_factory (GtkColumnViewColumn *column,
                                  GCallback            bind_cb,
                                  gpointer             user_data);
void esc_cell_set_text           (GtkListItem         *list_item,
                                  const char          *heading,
                                  const char          *body);

G_END_DECLS
