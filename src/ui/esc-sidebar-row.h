/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ESC_TYPE_SIDEBAR_ROW (esc_sidebar_row_get_type ())

G_DECLARE_FINAL_TYPE (EscSidebarRow, esc_sidebar_row, ESC, SIDEBAR_ROW, GtkListBoxRow)

/* A row of the window's sidebar: one screen, its icon and title. The sidebar
 * is one Tab stop (its selected row); the arrow keys move between screens. */
GtkWidget *esc_sidebar_row_new (const char *name,
                                const char *title,
                                const char *icon_name);

G_END_DECLS
