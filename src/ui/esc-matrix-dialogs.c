/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-matrix-dialogs.h"
#include "esc-party.h"

/* The dialogs that edit one row of the roles or routing matrix: an
 * AdwMessageDialog (libadwaita 1.2) with the fields as its extra child. */

static const EscRaci raci_values[] = {
  ESC_RACI_NONE, ESC_RACI_RESPONSIBLE, ESC_RACI_ACCOUNTABLE, ESC_RACI_CONSULTED, ESC_RACI_INFORMED,
};

static GtkWidget *
boxed_list (void)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  return list;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);
  return label;
}

static GtkWidget *
entry_row (const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  return row;
}

static GtkWidget *
combo_row (const char         *title,
           const char * const *labels,
           guint               selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  return row;
}

static GtkWidget *
message_dialog (GtkWindow  *parent,
                const char *title,
                GtkWidget  *child)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, title, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 520);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), child);

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 560, -1);

  return dialog;
}

/* Saving is possible only with every required text given */
static void
required_changed_cb (GtkWidget *dialog)
{
  GPtrArray *required = g_object_get_data (G_OBJECT (dialog), "esc-required");
  gboolean complete = TRUE;

  for (guint i = 0; i < required->len && complete; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (g_ptr_array_index (required, i))));
      complete = *text != '\0';
    }

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", complete);
}

static void
require (GtkWidget *dialog,
         GtkWidget *row)
{
  GPtrArray *required = g_object_get_data (G_OBJECT (dialog), "esc-required");

  if (required == NULL)
    {
      required = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (dialog), "esc-required", required,
                              (GDestroyNotify)g_ptr_array_unref);
    }
  g_ptr_array_add (required, row);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (required_changed_cb), dialog);
  required_changed_cb (dialog);
}

/* Responsibility ---------------------------------------------------------- */

typedef struct
{
  EscResponsibility      *item;
  GListModel             *parties;
  GtkWidget              *party_row;
  GtkWidget              *text_row;
  GtkTextBuffer          *areas;
  GPtrArray              *raci_rows;
  EscResponsibilitySaved  saved;
  gpointer                user_data;
  GDestroyNotify          destroy;
} ResponsibilityDialog;

static void
responsibility_dialog_free (ResponsibilityDialog *self)
{
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_clear_object (&self->item);
  g_clear_object (&self->parties);
  g_clear_object (&self->areas);
  g_clear_pointer (&self->raci_rows, g_ptr_array_unref);
  g_free (self);
}

static void
responsibility_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            gpointer          user_data)
{
  ResponsibilityDialog *self = user_data;
  g_autoptr(EscParty) party = NULL;
  g_autofree char *text = NULL;
  g_autofree char *areas_text = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) areas = NULL;
  GtkTextIter start, end;

  if (!g_str_equal (response, "save"))
    return;

  party = g_list_model_get_item (self->parties,
                                 adw_combo_row_get_selected (ADW_COMBO_ROW (self->party_row)));
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->text_row))));
  gtk_text_buffer_get_bounds (self->areas, &start, &end);
  areas_text = gtk_text_buffer_get_text (self->areas, &start, &end, FALSE);
  lines = g_strsplit (areas_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (builder, lines[i]);
    }
  areas = g_strv_builder_end (builder);

  if (party != NULL)
    esc_responsibility_set_party_id (self->item, esc_party_get_id (party));
  esc_responsibility_set_text (self->item, text);
  esc_responsibility_set_areas (self->item, (const char * const *)areas);
  for (guint i = 0; i < self->raci_rows->len; i++)
    {
      g_autoptr(EscParty) p = g_list_model_get_item (self->parties, i);
      guint selected = adw_combo_row_get_selected (g_ptr_array_index (self->raci_rows, i));

      esc_responsibility_set_raci (self->item, esc_party_get_id (p),
                                   selected < G_N_ELEMENTS (raci_values) ? raci_values[selected]
                                                                         : ESC_RACI_NONE);
    }

  self->saved (self->item, self->user_data);
}

/**
 * esc_responsibility_dialog_new:
 * @parent: the window
 * @parties: the #EscParty of the matrix
 * @item: the row to edit (a copy is edited), or a new row with id 0
 * @saved: (scope notified): called with the edited copy
 * @user_data: data for @saved
 * @destroy: (nullable): frees @user_data
 *
 * Returns: (transfer none): the dialog, to present
 */
GtkWidget *
esc_responsibility_dialog_new (GtkWindow              *parent,
                               GListModel             *parties,
                               EscResponsibility      *item,
                               EscResponsibilitySaved  saved,
                               gpointer                user_data,
                               GDestroyNotify          destroy)
{
  ResponsibilityDialog *self = g_new0 (ResponsibilityDialog, 1);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char * const raci_labels[] = {
    esc_raci_get_label (ESC_RACI_NONE),
    /* Translators: a RACI choice and its letter */
    _("Responsible (R)"), _("Accountable (A)"), _("Consulted (C)"), _("Informed (I)"), NULL
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list = boxed_list ();
  GtkWidget *raci_list = boxed_list ();
  GtkWidget *areas_view;
  GtkWidget *frame;
  GtkWidget *dialog;
  g_autofree char *areas_text = NULL;
  guint party_index = 0;

  self->item = esc_responsibility_copy (item);
  self->parties = g_object_ref (parties);
  self->raci_rows = g_ptr_array_new ();
  self->saved = saved;
  self->user_data = user_data;
  self->destroy = destroy;

  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(EscParty) party = g_list_model_get_item (parties, i);

      g_ptr_array_add (names, (gpointer)esc_party_get_name (party));
      if (g_strcmp0 (esc_party_get_id (party), esc_responsibility_get_party_id (item)) == 0)
        party_index = i;
    }
  g_ptr_array_add (names, NULL);

  self->party_row = combo_row (_("Party"), (const char * const *)names->pdata, party_index);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->party_row), _("Whose duty it is"));
  self->text_row = entry_row (_("Responsibility"), esc_responsibility_get_text (item));
  gtk_list_box_append (GTK_LIST_BOX (list), self->party_row);
  gtk_list_box_append (GTK_LIST_BOX (list), self->text_row);
  gtk_box_append (GTK_BOX (box), list);

  gtk_box_append (GTK_BOX (box), heading (_("Areas, One per Line")));
  areas_text = g_strjoinv ("\n", (char **)esc_responsibility_get_areas (item));
  self->areas = gtk_text_buffer_new (NULL);
  gtk_text_buffer_set_text (self->areas, areas_text, -1);
  areas_view = gtk_text_view_new_with_buffer (self->areas);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (areas_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (areas_view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (areas_view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (areas_view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (areas_view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (areas_view), 6);
  gtk_widget_set_size_request (areas_view, -1, 72);
  gtk_accessible_update_property (GTK_ACCESSIBLE (areas_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Areas, one per line"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Optional: the areas this responsibility covers"),
                                  -1);
  gtk_widget_set_tooltip_text (areas_view, _("Optional: the areas this responsibility covers, one per line"));
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), areas_view);
  gtk_box_append (GTK_BOX (box), frame);

  gtk_box_append (GTK_BOX (box), heading (_("Who Does What")));
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(EscParty) party = g_list_model_get_item (parties, i);
      EscRaci raci = esc_responsibility_get_raci (item, esc_party_get_id (party));
      GtkWidget *row = combo_row (esc_party_get_name (party), raci_labels, (guint)raci);

      g_ptr_array_add (self->raci_rows, row);
      gtk_list_box_append (GTK_LIST_BOX (raci_list), row);
    }
  gtk_box_append (GTK_BOX (box), raci_list);

  dialog = message_dialog (parent, esc_responsibility_get_id (item) == 0
                                   ? _("New Responsibility") : _("Edit Responsibility"),
                           box);
  require (dialog, self->text_row);
  g_signal_connect_data (dialog, "response", G_CALLBACK (responsibility_response_cb), self,
                         (GClosureNotify)(void (*)(void))responsibility_dialog_free, 0);

  return dialog;
}

/* Routing row -------------------------------------------------------------- */

static const EscRoutingDestination destinations[] = {
  ESC_ROUTING_DESTINATION_OPERATIONS,
  ESC_ROUTING_DESTINATION_HARDWARE_VENDOR,
  ESC_ROUTING_DESTINATION_EXISTING_CHANNEL,
  ESC_ROUTING_DESTINATION_ORGANISATION_TEAM,
};

static const EscRoutingReach reaches[] = {
  ESC_ROUTING_REACH_NONE, ESC_ROUTING_REACH_PORTAL, ESC_ROUTING_REACH_PHONE,
  ESC_ROUTING_REACH_EMAIL, ESC_ROUTING_REACH_URL,
};

static const EscSupportTier tiers[] = {
  ESC_SUPPORT_TIER_1, ESC_SUPPORT_TIER_2, ESC_SUPPORT_TIER_ESCALATION_TEAM,
};

typedef struct
{
  char                *id;
  GtkWidget           *problem_row;
  GtkWidget           *example_row;
  GtkWidget           *destination_row;
  GtkWidget           *team_row;
  GtkWidget           *reach_row;
  GtkWidget           *address_row;
  GtkWidget           *notes_row;
  GtkWidget           *tier_checks[G_N_ELEMENTS (tiers)];
  EscRoutingRuleSaved  saved;
  gpointer             user_data;
  GDestroyNotify       destroy;
} RuleDialog;

static void
rule_dialog_free (RuleDialog *self)
{
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_free (self->id);
  g_free (self);
}

static char *
field (GtkWidget *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void
rule_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  RuleDialog *self = user_data;
  g_autoptr(EscRoutingRule) rule = NULL;
  g_autofree char *problem = field (self->problem_row);
  g_autofree char *example = field (self->example_row);
  g_autofree char *team = field (self->team_row);
  g_autofree char *address = field (self->address_row);
  g_autofree char *notes = field (self->notes_row);
  guint destination = adw_combo_row_get_selected (ADW_COMBO_ROW (self->destination_row));
  guint reach = adw_combo_row_get_selected (ADW_COMBO_ROW (self->reach_row));
  guint allowed = 0;

  if (!g_str_equal (response, "save") || problem == NULL || team == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->tier_checks[i])))
      allowed |= tiers[i];

  rule = esc_routing_rule_new_full (self->id, problem, example,
                                    destinations[MIN (destination, G_N_ELEMENTS (destinations) - 1)],
                                    team, notes,
                                    reaches[MIN (reach, G_N_ELEMENTS (reaches) - 1)],
                                    address, allowed);
  self->saved (rule, self->user_data);
}

static guint
index_of_destination (EscRoutingDestination destination)
{
  for (guint i = 0; i < G_N_ELEMENTS (destinations); i++)
    if (destinations[i] == destination)
      return i;
  return 0;
}

/**
 * esc_routing_rule_dialog_new:
 * @parent: the window
 * @rule: (nullable): the row to edit, or %NULL for a new one
 * @saved: (scope notified): called with the edited row
 * @user_data: data for @saved
 * @destroy: (nullable): frees @user_data
 *
 * Returns: (transfer none): the dialog, to present
 */
GtkWidget *
esc_routing_rule_dialog_new (GtkWindow           *parent,
                             EscRoutingRule      *rule,
                             EscRoutingRuleSaved  saved,
                             gpointer             user_data,
                             GDestroyNotify       destroy)
{
  RuleDialog *self = g_new0 (RuleDialog, 1);
  const char * const destination_labels[] = {
    _("The service’s operations team, through a support request"),
    _("The hardware vendor or OEM"),
    _("The existing support channel"),
    _("A team of your organisation"),
    NULL
  };
  const char *reach_labels[G_N_ELEMENTS (reaches) + 1] = { NULL };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *problem_list = boxed_list ();
  GtkWidget *team_list = boxed_list ();
  GtkWidget *tier_list = boxed_list ();
  GtkWidget *dialog;
  guint allowed = rule != NULL ? esc_routing_rule_get_tiers (rule) : ESC_SUPPORT_TIER_ALL;

  for (guint i = 0; i < G_N_ELEMENTS (reaches); i++)
    reach_labels[i] = esc_routing_reach_get_label (reaches[i]);

  if (rule != NULL)
    self->id = g_strdup (esc_routing_rule_get_id (rule));
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();
      self->id = g_strconcat ("row-", uuid, NULL);
    }
  self->saved = saved;
  self->user_data = user_data;
  self->destroy = destroy;

  self->problem_row = entry_row (_("Problem category"), rule ? esc_routing_rule_get_problem (rule) : NULL);
  self->example_row = entry_row (_("Examples"), rule ? esc_routing_rule_get_example (rule) : NULL);
  gtk_list_box_append (GTK_LIST_BOX (problem_list), self->problem_row);
  gtk_list_box_append (GTK_LIST_BOX (problem_list), self->example_row);
  gtk_box_append (GTK_BOX (box), problem_list);

  gtk_box_append (GTK_BOX (box), heading (_("Where It Goes")));
  self->destination_row = combo_row (_("Route"), destination_labels,
                                     rule ? index_of_destination (esc_routing_rule_get_destination (rule))
                                          : G_N_ELEMENTS (destinations) - 1);
  self->team_row = entry_row (_("Team or channel"), rule ? esc_routing_rule_get_team (rule) : NULL);
  self->reach_row = combo_row (_("How to reach it"), reach_labels,
                               rule ? (guint)esc_routing_rule_get_reach (rule) : 0);
  self->address_row = entry_row (_("Portal, phone number, email address or web address"),
                                 rule ? esc_routing_rule_get_reach_address (rule) : NULL);
  self->notes_row = entry_row (_("Notes"), rule ? esc_routing_rule_get_action (rule) : NULL);
  gtk_list_box_append (GTK_LIST_BOX (team_list), self->destination_row);
  gtk_list_box_append (GTK_LIST_BOX (team_list), self->team_row);
  gtk_list_box_append (GTK_LIST_BOX (team_list), self->reach_row);
  gtk_list_box_append (GTK_LIST_BOX (team_list), self->address_row);
  gtk_list_box_append (GTK_LIST_BOX (team_list), self->notes_row);
  gtk_box_append (GTK_BOX (box), team_list);

  gtk_box_append (GTK_BOX (box), heading (_("Who May Use This Route")));
  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), esc_support_tier_get_label (tiers[i]));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), (allowed & tiers[i]) != 0);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      esc_support_tier_get_label (tiers[i]), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      self->tier_checks[i] = check;
      gtk_list_box_append (GTK_LIST_BOX (tier_list), row);
    }
  gtk_box_append (GTK_BOX (box), tier_list);

  dialog = message_dialog (parent, rule != NULL ? _("Edit Routing Row") : _("New Routing Row"), box);
  require (dialog, self->problem_row);
  require (dialog, self->team_row);
  g_signal_connect_data (dialog, "response", G_CALLBACK (rule_response_cb), self,
                         (GClosureNotify)(void (*)(void))rule_dialog_free, 0);

  return dialog;
}
