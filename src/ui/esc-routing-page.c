/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-routing.h"
#include "esc-routing-page.h"
#include "esc-session.h"
#include "esc-ui-private.h"

struct _EscRoutingPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *problem_column;
  GtkColumnViewColumn  *team_column;
  GtkSwitch            *hardware_switch;
  GtkSwitch            *service_switch;
  AdwActionRow         *answer_row;
  GtkImage             *answer_icon;

  /* Owned references */
  EscSession           *session;
  GListModel           *rules;
};

G_DEFINE_FINAL_TYPE (EscRoutingPage, esc_routing_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_model (EscRoutingPage *self,
                       GListModel     *model);

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
facts_changed_cb (EscRoutingPage *self)
{
  EscProblemFacts facts = {
    .hardware_fault = gtk_switch_get_active (self->hardware_switch),
    .deployed_by_service = gtk_switch_get_active (self->service_switch),
  };
  g_autoptr(EscRoutingRule) rule = NULL;
  static const char * const icons[] = {
    [ESC_ROUTING_DESTINATION_OPERATIONS] = "mail-send-symbolic",
    [ESC_ROUTING_DESTINATION_HARDWARE_VENDOR] = "computer-symbolic",
    [ESC_ROUTING_DESTINATION_EXISTING_CHANNEL] = "call-start-symbolic",
    [ESC_ROUTING_DESTINATION_ORGANISATION_TEAM] = "system-users-symbolic",
  };

  if (self->rules != NULL)
    rule = esc_routing_route (self->rules, &facts);

  if (rule == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row), _("No team"));
      adw_action_row_set_subtitle (self->answer_row,
                                   _("The routing matrix has no row for this kind of problem."));
      gtk_image_set_from_icon_name (self->answer_icon, "dialog-warning-symbolic");
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row),
                                 esc_routing_rule_get_team (rule));
  adw_action_row_set_subtitle (self->answer_row, esc_routing_rule_get_action (rule));
  gtk_image_set_from_icon_name (self->answer_icon, icons[esc_routing_rule_get_destination (rule)]);
}

/* The session's workspace is open: its matrix shows */
static void
workspace_changed_cb (EscRoutingPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);

  if (workspace != NULL)
    set_model (self, esc_workspace_get_routing_rules (workspace));
}

static void
esc_routing_page_dispose (GObject *object)
{
  EscRoutingPage *self = (EscRoutingPage *)object;

  if (self->rules != NULL)
    g_signal_handlers_disconnect_by_data (self->rules, self);
  g_clear_object (&self->rules);
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_ROUTING_PAGE);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_routing_page_parent_class)->dispose (object);
}

static void
esc_routing_page_constructed (GObject *object)
{
  EscRoutingPage *self = (EscRoutingPage *)object;

  G_OBJECT_CLASS (esc_routing_page_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (workspace_changed_cb), self, G_CONNECT_SWAPPED);
  workspace_changed_cb (self);
}

static void
esc_routing_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EscRoutingPage *self = (EscRoutingPage *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_routing_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EscRoutingPage *self = (EscRoutingPage *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_routing_page_class_init (EscRoutingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_routing_page_constructed;
  object_class->dispose = esc_routing_page_dispose;
  object_class->get_property = esc_routing_page_get_property;
  object_class->set_property = esc_routing_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-routing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, problem_column);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, team_column);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, hardware_switch);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, service_switch);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, answer_row);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, answer_icon);
  gtk_widget_class_bind_template_callback (widget_class, facts_changed_cb);
}

static void
esc_routing_page_init (EscRoutingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  esc_column_set_cell_factory (self->problem_column, G_CALLBACK (bind_problem_cb), self);
  esc_column_set_cell_factory (self->team_column, G_CALLBACK (bind_team_cb), self);
}

static void
set_model (EscRoutingPage *self,
           GListModel     *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  if (self->rules != NULL)
    g_signal_handlers_disconnect_by_data (self->rules, self);
  g_set_object (&self->rules, model);

  if (model != NULL)
    {
      selection = gtk_no_selection_new (g_object_ref (model));
      /* An edited or reset matrix changes the answer too */
      g_signal_connect_object (model, "items-changed",
                               G_CALLBACK (facts_changed_cb), self, G_CONNECT_SWAPPED);
    }

  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  facts_changed_cb (self);
}

/**
 * esc_routing_page_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the screen, empty until the session's workspace is open
 */
EscRoutingPage *
esc_routing_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_ROUTING_PAGE, "session", session, NULL);
}

GtkColumnView *
esc_routing_page_get_column_view (EscRoutingPage *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_PAGE (self), NULL);
  return self->column_view;
}

/**
 * esc_routing_page_get_suggested_team:
 * @self: a #EscRoutingPage
 *
 * Returns: the team that "Where does this go?" currently suggests
 */
const char *
esc_routing_page_get_suggested_team (EscRoutingPage *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_PAGE (self), NULL);

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->answer_row));
}
