/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-party.h"
#include "esc-roles-page.h"
#include "esc-ui-private.h"

struct _EscRolesPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *party_column;
  GtkColumnViewColumn  *responsibilities_column;
};

G_DEFINE_FINAL_TYPE (EscRolesPage, esc_roles_page, ADW_TYPE_BIN)

static void
bind_party_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  EscParty *party = gtk_list_item_get_item (list_item);

  esc_cell_set_text (list_item,
                     esc_party_get_name (party),
                     esc_party_get_summary (party));
}

static void
bind_responsibilities_cb (GtkSignalListItemFactory *factory,
                          GtkListItem              *list_item,
                          gpointer                  user_data)
{
  EscParty *party = gtk_list_item_get_item (list_item);
  g_autofree char *text = esc_party_dup_responsibilities_text (party);

  esc_cell_set_text (list_item, NULL, text);
}

static void
esc_roles_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_ROLES_PAGE);

  G_OBJECT_CLASS (esc_roles_page_parent_class)->dispose (object);
}

static void
esc_roles_page_class_init (EscRolesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_roles_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-roles-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, party_column);
  gtk_widget_class_bind_template_child (widget_class, EscRolesPage, responsibilities_column);
}

static void
esc_roles_page_init (EscRolesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  esc_column_set_cell_factory (self->party_column, G_CALLBACK (bind_party_cb), self);
  esc_column_set_cell_factory (self->responsibilities_column,
                               G_CALLBACK (bind_responsibilities_cb), self);
}

void
esc_roles_page_set_model (EscRolesPage *self,
                          GListModel   *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (ESC_IS_ROLES_PAGE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (model != NULL)
    selection = gtk_no_selection_new (g_object_ref (model));

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

GtkColumnView *
esc_roles_page_get_column_view (EscRolesPage *self)
{
  g_return_val_if_fail (ESC_IS_ROLES_PAGE (self), NULL);
  return self->column_view;
}
