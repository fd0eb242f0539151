/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-routing-page.h"
#include "esc-routing-rule.h"
#include "esc-ui-private.h"

struct _EscRoutingPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *problem_column;
  GtkColumnViewColumn  *team_column;
};

G_DEFINE_FINAL_TYPE (EscRoutingPage, esc_routing_page, ADW_TYPE_BIN)

static void
bind_problem_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  EscRoutingRule *rule = gtk_list_item_get_item (list_item);

  esc_cell_set_text (list_item,
                     esc_routing_rule_get_problem (rule),
                     esc_routing_rule_get_example (rule));
}

static void
bind_team_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  EscRoutingRule *rule = gtk_list_item_get_item (list_item);

  esc_cell_set_text (list_item,
                     esc_routing_rule_get_team (rule),
                     esc_routing_rule_get_action (rule));
}

static void
esc_routing_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_ROUTING_PAGE);

  G_OBJECT_CLASS (esc_routing_page_parent_class)->dispose (object);
}

static void
esc_routing_page_class_init (EscRoutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_routing_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-routing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, problem_column);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, team_column);
}

static void
esc_routing_page_init (EscRoutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  esc_column_set_cell_factory (self->problem_column, G_CALLBACK (bind_problem_cb), self);
  esc_column_set_cell_factory (self->team_column, G_CALLBACK (bind_team_cb), self);
}

void
esc_routing_page_set_model (EscRoutingPage *self,
                            GListModel     *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (ESC_IS_ROUTING_PAGE (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (model != NULL)
    selection = gtk_no_selection_new (g_object_ref (model));

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
}

GtkColumnView *
esc_routing_page_get_column_view (EscRoutingPage *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_PAGE (self), NULL);
  return self->column_view;
}
