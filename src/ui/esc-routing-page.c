/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-matrix-actions.h"
#include "esc-matrix-dialogs.h"
#include "esc-routing.h"
#include "esc-routing-page.h"
#include "esc-session.h"
#include "esc-ui-private.h"

/* The routing matrix: one row per problem category with its team, how to
 * reach it, notes and the tiers that may use it, each editable and movable;
 * and "Where does this go?", a few questions that end on a row, decided by
 * esc_routing_route() as in the New Request form. */
struct _EscRoutingPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toasts;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress;
  GtkStack             *question_stack;
  AdwActionRow         *answer_row;
  GtkImage             *answer_icon;
  AdwActionRow         *tier_row;
  AdwPreferencesGroup  *rules_group;

  /* Owned references */
  EscSession           *session;
  EscWorkspace         *workspace;
  GPtrArray            *rows;        /* the matrix's AdwActionRow, in rules_group */
  EscRoutingRule       *undo_rule;   /* what Undo puts back */
  int                   undo_index;  /* -1: Undo restores an edit; else the removed row's place */
  char                 *answer_id;   /* the row the questions ended on */
  char                 *focus_id;
  const char           *focus_action;

  /* The answers so far */
  EscProblemFacts       facts;
  EscSupportTier        tier;
};

G_DEFINE_FINAL_TYPE (EscRoutingPage, esc_routing_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const EscSupportTier tiers[] = {
  ESC_SUPPORT_TIER_1, ESC_SUPPORT_TIER_2, ESC_SUPPORT_TIER_ESCALATION_TEAM,
};

static void
context_init (EscRoutingPage   *self,
              EscMatrixContext *context)
{
  context->page = GTK_WIDGET (self);
  context->workspace = self->workspace;
  context->kind = ESC_MATRIX_ROUTING;
  context->toasts = self->toasts;
  context->progress_revealer = self->progress_revealer;
  context->progress = self->progress;
}

static char *
dup_tiers_text (guint allowed)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    {
      if (!(allowed & tiers[i]))
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, esc_support_tier_get_label (tiers[i]));
    }

  if (names->len == 0)
    return g_strdup (_("No tier may use this route"));

  /* Translators: the help desk's tiers that may use a routing row */
  return g_strdup_printf (_("Used by: %s"), names->str);
}

static char *
dup_reach_text (EscRoutingRule *rule)
{
  EscRoutingReach reach = esc_routing_rule_get_reach (rule);
  const char *address = esc_routing_rule_get_reach_address (rule);

  if (reach == ESC_ROUTING_REACH_NONE && (address == NULL || *address == '\0'))
    return NULL;
  if (address == NULL || *address == '\0')
    return g_strdup (esc_routing_reach_get_label (reach));

  /* Translators: how to reach a team and where, e.g. "Phone: +33 1 23 45 67 89" */
  return g_strdup_printf (_("%s: %s"), esc_routing_reach_get_label (reach), address);
}

static GtkWidget *
row_button (const char *icon,
            const char *label,
            const char *action,
            const char *id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "esc-action", (gpointer)action);

  return button;
}

static GtkWidget *
make_row (EscRoutingRule *rule,
          gboolean        first,
          gboolean        last)
{
  GtkWidget *row = adw_action_row_new ();
  const char *id = esc_routing_rule_get_id (rule);
  const char *example = esc_routing_rule_get_example (rule);
  const char *notes = esc_routing_rule_get_action (rule);
  g_autofree char *reach = dup_reach_text (rule);
  g_autofree char *used_by = dup_tiers_text (esc_routing_rule_get_tiers (rule));
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *up, *down;

  if (example != NULL && *example != '\0')
    g_string_append_printf (subtitle, "%s\n", example);
  /* Translators: the team a routing row sends problems to */
  g_string_append_printf (subtitle, _("Team: %s"), esc_routing_rule_get_team (rule));
  if (reach != NULL)
    g_string_append_printf (subtitle, " · %s", reach);
  if (notes != NULL && *notes != '\0')
    g_string_append_printf (subtitle, "\n%s", notes);
  g_string_append_printf (subtitle, "\n%s", used_by);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), esc_routing_rule_get_problem (rule));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "routing.edit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", id);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "esc-id", g_strdup (id), g_free);

  up = row_button ("go-up-symbolic", _("Move Up"), "routing.move-up", id);
  down = row_button ("go-down-symbolic", _("Move Down"), "routing.move-down", id);
  gtk_widget_set_sensitive (up, !first);
  gtk_widget_set_sensitive (down, !last);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), up);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), down);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("document-edit-symbolic", _("Edit"), "routing.edit", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("user-trash-symbolic", _("Remove"), "routing.remove", id));

  return row;
}

static GtkWidget *
find_row (EscRoutingPage *self,
          const char     *id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "esc-id"), id) == 0)
        return row;
    }

  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "esc-action"), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void show_answer (EscRoutingPage *self);

static void
rebuild (EscRoutingPage *self)
{
  GListModel *rules;
  guint n_items;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->rules_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  if (self->workspace == NULL)
    return;

  rules = esc_workspace_get_routing_rules (self->workspace);
  n_items = g_list_model_get_n_items (rules);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);
      GtkWidget *row = make_row (rule, i == 0, i + 1 == n_items);

      adw_preferences_group_add (self->rules_group, row);
      g_ptr_array_add (self->rows, row);
    }

  if (self->focus_id != NULL)
    {
      GtkWidget *row = find_row (self, self->focus_id);
      GtkWidget *button = row != NULL && self->focus_action != NULL
                          ? find_button (row, self->focus_action) : NULL;

      if (button != NULL && gtk_widget_get_sensitive (button))
        gtk_widget_grab_focus (button);
      else if (row != NULL)
        gtk_widget_grab_focus (row);
    }
  g_clear_pointer (&self->focus_id, g_free);
  self->focus_action = NULL;

  /* An edited or reset matrix changes the answer too */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->question_stack), "answer") == 0)
    show_answer (self);
}

/* Where does this go? ------------------------------------------------------- */

static void
show_answer (EscRoutingPage *self)
{
  static const char * const icons[] = {
    [ESC_ROUTING_DESTINATION_OPERATIONS] = "mail-send-symbolic",
    [ESC_ROUTING_DESTINATION_HARDWARE_VENDOR] = "computer-symbolic",
    [ESC_ROUTING_DESTINATION_EXISTING_CHANNEL] = "call-start-symbolic",
    [ESC_ROUTING_DESTINATION_ORGANISATION_TEAM] = "system-users-symbolic",
  };
  g_autoptr(EscRoutingRule) rule = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *reach = NULL;
  g_autofree char *tier_text = NULL;
  const char *notes;
  guint allowed;

  g_clear_pointer (&self->answer_id, g_free);
  gtk_stack_set_visible_child_name (self->question_stack, "answer");

  if (self->workspace != NULL)
    rule = esc_routing_route (esc_workspace_get_routing_rules (self->workspace), &self->facts);

  if (rule == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row), _("No team"));
      adw_action_row_set_subtitle (self->answer_row,
                                   _("The routing matrix has no row for this kind of problem."));
      gtk_image_set_from_icon_name (self->answer_icon, "dialog-warning-symbolic");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->tier_row), "");
      gtk_widget_set_visible (GTK_WIDGET (self->tier_row), FALSE);
      return;
    }

  self->answer_id = g_strdup (esc_routing_rule_get_id (rule));
  reach = dup_reach_text (rule);
  notes = esc_routing_rule_get_action (rule);
  /* Translators: the row of the routing matrix that "Where does this go?" ended on */
  g_string_append_printf (subtitle, _("Row: %s"), esc_routing_rule_get_problem (rule));
  if (reach != NULL)
    g_string_append_printf (subtitle, "\n%s", reach);
  if (notes != NULL && *notes != '\0')
    g_string_append_printf (subtitle, "\n%s", notes);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row),
                                 esc_routing_rule_get_team (rule));
  adw_action_row_set_subtitle (self->answer_row, subtitle->str);
  gtk_image_set_from_icon_name (self->answer_icon, icons[esc_routing_rule_get_destination (rule)]);

  allowed = esc_routing_rule_get_tiers (rule);
  if (allowed & self->tier)
    tier_text = g_strdup_printf ("%s", self->tier == ESC_SUPPORT_TIER_1 ? _("Tier 1 may use this route.")
                                       : self->tier == ESC_SUPPORT_TIER_2 ? _("Tier 2 may use this route.")
                                       : _("The escalation support team may use this route."));
  else
    {
      EscSupportTier next = 0;

      /* The next tier up that may, else any that may */
      for (guint i = 0; i < G_N_ELEMENTS (tiers) && next == 0; i++)
        if ((allowed & tiers[i]) && tiers[i] > self->tier)
          next = tiers[i];
      for (guint i = 0; i < G_N_ELEMENTS (tiers) && next == 0; i++)
        if (allowed & tiers[i])
          next = tiers[i];

      if (next == ESC_SUPPORT_TIER_1)
        tier_text = g_strdup (_("Your tier may not use this route: hand the problem to tier 1."));
      else if (next == ESC_SUPPORT_TIER_2)
        tier_text = g_strdup (_("Your tier may not use this route: hand the problem to tier 2."));
      else if (next == ESC_SUPPORT_TIER_ESCALATION_TEAM)
        tier_text = g_strdup (_("Your tier may not use this route: hand the problem to the escalation support team."));
      else
        tier_text = g_strdup (_("No tier may use this route: edit the row to say who may."));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->tier_row), tier_text);
  gtk_widget_set_visible (GTK_WIDGET (self->tier_row), TRUE);
}

static void
ask (EscRoutingPage *self,
     const char     *step)
{
  GtkWidget *page;
  GtkWidget *focus = NULL;

  gtk_stack_set_visible_child_name (self->question_stack, step);
  page = gtk_stack_get_visible_child (self->question_stack);

  /* The first answer of the new question takes the focus, as a person expects */
  if (page != NULL)
    for (GtkWidget *w = gtk_widget_get_last_child (page); w != NULL && focus == NULL;
         w = gtk_widget_get_prev_sibling (w))
      if (GTK_IS_BOX (w) && GTK_IS_BUTTON (gtk_widget_get_first_child (w)))
        focus = gtk_widget_get_first_child (w);
  if (focus != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (focus);
}

static void
hardware_yes_cb (EscRoutingPage *self)
{
  self->facts.hardware_fault = TRUE;
  self->facts.deployed_by_service = FALSE;
  ask (self, "tier");
}

static void
hardware_no_cb (EscRoutingPage *self)
{
  self->facts.hardware_fault = FALSE;
  ask (self, "service");
}

static void
service_yes_cb (EscRoutingPage *self)
{
  self->facts.deployed_by_service = TRUE;
  ask (self, "tier");
}

static void
service_no_cb (EscRoutingPage *self)
{
  self->facts.deployed_by_service = FALSE;
  ask (self, "tier");
}

static void
answer_tier (EscRoutingPage *self,
             EscSupportTier  tier)
{
  self->tier = tier;
  show_answer (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->answer_row));
}

static void
tier1_cb (EscRoutingPage *self)
{
  answer_tier (self, ESC_SUPPORT_TIER_1);
}

static void
tier2_cb (EscRoutingPage *self)
{
  answer_tier (self, ESC_SUPPORT_TIER_2);
}

static void
escalation_cb (EscRoutingPage *self)
{
  answer_tier (self, ESC_SUPPORT_TIER_ESCALATION_TEAM);
}

static void
back_clicked_cb (EscRoutingPage *self)
{
  const char *step = gtk_stack_get_visible_child_name (self->question_stack);

  if (g_strcmp0 (step, "tier") == 0 && !self->facts.hardware_fault)
    ask (self, "service");
  else
    ask (self, "hardware");
}

static void
restart_clicked_cb (EscRoutingPage *self)
{
  self->facts.hardware_fault = FALSE;
  self->facts.deployed_by_service = FALSE;
  g_clear_pointer (&self->answer_id, g_free);
  ask (self, "hardware");
}

static void
show_row_clicked_cb (EscRoutingPage *self)
{
  GtkWidget *row = self->answer_id != NULL ? find_row (self, self->answer_id) : NULL;

  if (row != NULL)
    gtk_widget_grab_focus (row);
}

/* Editing -------------------------------------------------------------------- */

static void
report_error (EscRoutingPage *self,
              const GError   *error)
{
  EscMatrixContext context;

  context_init (self, &context);
  esc_matrix_show_error (&context, _("The Change Was Not Saved"), error);
}

static EscRoutingRule *
find_rule (EscRoutingPage *self,
           const char     *id,
           guint          *index)
{
  GListModel *rules = esc_workspace_get_routing_rules (self->workspace);

  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);

      if (g_str_equal (esc_routing_rule_get_id (rule), id))
        {
          if (index != NULL)
            *index = i;
          return g_steal_pointer (&rule);
        }
    }

  return NULL;
}

static void
set_undo (EscRoutingPage *self,
          EscRoutingRule *before,
          int             index,
          const char     *message)
{
  EscMatrixContext context;

  g_set_object (&self->undo_rule, before);
  self->undo_index = index;
  context_init (self, &context);
  esc_matrix_toast (&context, message, "routing.undo");
}

static void
saved_cb (EscRoutingRule *edited,
          gpointer        user_data)
{
  EscRoutingPage *self = user_data;
  g_autoptr(EscRoutingRule) before = NULL;
  g_autoptr(GError) error = NULL;

  if (self->workspace == NULL)
    return;

  before = find_rule (self, esc_routing_rule_get_id (edited), NULL);
  g_free (self->focus_id);
  self->focus_id = g_strdup (esc_routing_rule_get_id (edited));
  if (before == NULL)
    {
      if (!esc_workspace_add_routing_rule (self->workspace, edited, &error))
        report_error (self, error);
      return;
    }

  if (!esc_workspace_update_routing_rule (self->workspace, edited, &error))
    report_error (self, error);
  else if (!esc_routing_rule_equal (before, edited))
    set_undo (self, before, -1, _("Routing row saved"));
}

static void
open_dialog (EscRoutingPage *self,
             EscRoutingRule *rule)
{
  GtkWidget *dialog;

  dialog = esc_routing_rule_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), rule,
                                        saved_cb, g_object_ref (self), g_object_unref);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);

  if (self->workspace != NULL)
    open_dialog (self, NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  g_autoptr(EscRoutingRule) rule = NULL;

  if (self->workspace != NULL &&
      (rule = find_rule (self, g_variant_get_string (parameter, NULL), NULL)))
    open_dialog (self, rule);
}

static void
move (EscRoutingPage *self,
      GVariant       *parameter,
      int             delta,
      const char     *action)
{
  g_autoptr(GError) error = NULL;

  if (self->workspace == NULL)
    return;

  g_free (self->focus_id);
  self->focus_id = g_strdup (g_variant_get_string (parameter, NULL));
  self->focus_action = action;
  if (!esc_workspace_move_routing_rule (self->workspace, g_variant_get_string (parameter, NULL),
                                        delta, &error))
    report_error (self, error);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  move (ESC_ROUTING_PAGE (widget), parameter, -1, "routing.move-up");
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move (ESC_ROUTING_PAGE (widget), parameter, +1, "routing.move-down");
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  g_autoptr(EscRoutingRule) rule = NULL;
  g_autoptr(GError) error = NULL;
  guint index = 0;

  if (self->workspace == NULL ||
      !(rule = find_rule (self, g_variant_get_string (parameter, NULL), &index)))
    return;

  if (!esc_workspace_remove_routing_rule (self->workspace, esc_routing_rule_get_id (rule), &error))
    report_error (self, error);
  else
    set_undo (self, rule, (int)index, _("Routing row removed"));
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  g_autoptr(EscRoutingRule) rule = g_steal_pointer (&self->undo_rule);
  g_autoptr(GError) error = NULL;
  guint n_items;

  if (rule == NULL || self->workspace == NULL)
    return;

  g_free (self->focus_id);
  self->focus_id = g_strdup (esc_routing_rule_get_id (rule));
  if (self->undo_index < 0)
    {
      if (!esc_workspace_update_routing_rule (self->workspace, rule, &error))
        report_error (self, error);
      return;
    }

  if (!esc_workspace_add_routing_rule (self->workspace, rule, &error))
    {
      report_error (self, error);
      return;
    }
  n_items = g_list_model_get_n_items (esc_workspace_get_routing_rules (self->workspace));
  if (!esc_workspace_move_routing_rule (self->workspace, esc_routing_rule_get_id (rule),
                                        self->undo_index - (int)n_items + 1, &error))
    report_error (self, error);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_choose_export (&context, g_str_equal (g_variant_get_string (parameter, NULL), "pdf")
                                      ? ESC_EXPORT_PDF : ESC_EXPORT_CSV);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_choose_import (&context);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_print (&context);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EscRoutingPage *self = ESC_ROUTING_PAGE (widget);
  EscMatrixContext context;

  if (self->workspace == NULL)
    return;
  context_init (self, &context);
  esc_matrix_confirm_reset (&context);
}

/* The session's workspace is open: its matrix shows */
static void
workspace_changed_cb (EscRoutingPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);

  if (workspace == self->workspace)
    return;

  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (esc_workspace_get_routing_rules (self->workspace), self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    g_signal_connect_object (esc_workspace_get_routing_rules (workspace), "items-changed",
                             G_CALLBACK (rebuild), self, G_CONNECT_SWAPPED);

  rebuild (self);
}

static void
esc_routing_page_dispose (GObject *object)
{
  EscRoutingPage *self = (EscRoutingPage *)object;

  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (esc_workspace_get_routing_rules (self->workspace), self);
  g_clear_object (&self->workspace);
  g_clear_object (&self->undo_rule);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->answer_id, g_free);
  g_clear_pointer (&self->focus_id, g_free);
  /* The toast overlay is both the bin's child and a template child: the bin lets
   * it go first, or disposing the template would leave the bin a dangling child */
  adw_bin_set_child (ADW_BIN (self), NULL);
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
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, progress);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, question_stack);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, answer_row);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, answer_icon);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, tier_row);
  gtk_widget_class_bind_template_child (widget_class, EscRoutingPage, rules_group);
  gtk_widget_class_bind_template_callback (widget_class, hardware_yes_cb);
  gtk_widget_class_bind_template_callback (widget_class, hardware_no_cb);
  gtk_widget_class_bind_template_callback (widget_class, service_yes_cb);
  gtk_widget_class_bind_template_callback (widget_class, service_no_cb);
  gtk_widget_class_bind_template_callback (widget_class, tier1_cb);
  gtk_widget_class_bind_template_callback (widget_class, tier2_cb);
  gtk_widget_class_bind_template_callback (widget_class, escalation_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, restart_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, show_row_clicked_cb);

  gtk_widget_class_install_action (widget_class, "routing.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "routing.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "routing.move-up", "s", move_up_action);
  gtk_widget_class_install_action (widget_class, "routing.move-down", "s", move_down_action);
  gtk_widget_class_install_action (widget_class, "routing.remove", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "routing.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "routing.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "routing.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "routing.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "routing.reset", NULL, reset_action);
}

static void
esc_routing_page_init (EscRoutingPage *self)
{
  self->rows = g_ptr_array_new ();
  self->undo_index = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));
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

/**
 * esc_routing_page_get_suggested_team:
 * @self: a #EscRoutingPage
 *
 * Returns: (nullable): the team "Where does this go?" ended on, or %NULL
 *   while questions remain
 */
const char *
esc_routing_page_get_suggested_team (EscRoutingPage *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_PAGE (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->question_stack), "answer") != 0)
    return NULL;

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->answer_row));
}

/**
 * esc_routing_page_get_suggested_row:
 * @self: a #EscRoutingPage
 *
 * Returns: (nullable): the id of the matrix row the questions ended on
 */
const char *
esc_routing_page_get_suggested_row (EscRoutingPage *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_PAGE (self), NULL);
  return self->answer_id;
}
