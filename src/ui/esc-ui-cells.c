/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include "esc-ui-private.h"

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box;
  GtkWidget *heading;
  GtkWidget *body;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  heading = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (heading), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (heading, "heading");

  body = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_yalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (body), FALSE);
  /* Long text wraps at the column's width instead of widening it */
  gtk_label_set_width_chars (GTK_LABEL (body), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (body), 40);

  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), body);
  gtk_list_item_set_child (list_item, box);
}

void
esc_column_set_cell_factory (GtkColumnViewColumn *column,
                             GCallback            bind_cb,
                             gpointer             user_data)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", bind_cb, user_data);
  gtk_column_view_column_set_factory (column, factory);
}

void
esc_cell_set_text (GtkListItem *list_item,
                   const char  *heading,
                   const char  *body)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *heading_label = gtk_widget_get_first_child (box);
  GtkWidget *body_label = gtk_widget_get_next_sibling (heading_label);

  gtk_label_set_label (GTK_LABEL (heading_label), heading);
  gtk_widget_set_visible (heading_label, heading != NULL && *heading != '\0');
  gtk_label_set_label (GTK_LABEL (body_label), body);
  gtk_widget_set_visible (body_label, body != NULL && *body != '\0');
  if (heading != NULL && body != NULL)
    gtk_widget_add_css_class (body_label, "esc-dim");
  else
    gtk_widget_remove_css_class (body_label, "esc-dim");

  /* The first cell names the row a screen reader reads */
  {
    GtkWidget *cell = gtk_widget_get_parent (box);
    GtkWidget *row = cell != NULL ? gtk_widget_get_parent (cell) : NULL;

    if (row != NULL && gtk_widget_get_first_child (row) == cell)
      esc_ui_name_list_item (list_item, 2, heading != NULL && *heading != '\0' ? heading : body);
  }
}
