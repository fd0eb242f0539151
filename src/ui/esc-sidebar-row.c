/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include "esc-sidebar-row.h"

struct _EscSidebarRow
{
  GtkListBoxRow parent_instance;
};

G_DEFINE_FINAL_TYPE (EscSidebarRow, esc_sidebar_row, GTK_TYPE_LIST_BOX_ROW)

/* A list box moves Tab from row to row, and the sidebar's selection follows
 * the focus: Tab would change screens. Tab stops only on the selected row, on
 * its way into the sidebar; on its way out the other rows let it go by. */
static gboolean
esc_sidebar_row_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  if (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
    {
      if (gtk_widget_has_focus (widget) ||
          !gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (widget)))
        return FALSE;

      return gtk_widget_grab_focus (widget);
    }

  return GTK_WIDGET_CLASS (esc_sidebar_row_parent_class)->focus (widget, direction);
}

static void
esc_sidebar_row_class_init (EscSidebarRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->focus = esc_sidebar_row_focus;
}

static void
esc_sidebar_row_init (EscSidebarRow *self)
{
}

/**
 * esc_sidebar_row_new:
 * @name: the screen's name in the window's stack, e.g. "requests"
 * @title: the screen's title
 * @icon_name: its icon
 *
 * Returns: (transfer floating): a new #EscSidebarRow, named @name, that a
 *   screen reader reads as @title
 */
GtkWidget *
esc_sidebar_row_new (const char *name,
                     const char *title,
                     const char *icon_name)
{
  GtkWidget *row = g_object_new (ESC_TYPE_SIDEBAR_ROW, "name", name, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon_name));
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return row;
}
