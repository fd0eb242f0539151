/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-categories.h"
#include "esc-request-form-private.h"
#include "esc-request-format.h"
#include "esc-routing.h"
#include "esc-severity.h"
#include "esc-ui-private.h"

/* What the request form answers as the fields are filled in: the severity
 * each kind of problem may have and what it means, where the problem goes
 * (the routing matrix) and whether the form may file it, and the admin to
 * call for its category. */

/* Severity ------------------------------------------------------------------------ */

static char *
format_minutes (guint minutes)
{
  if (minutes % (60 * 24) == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", minutes / (60 * 24)),
                            minutes / (60 * 24));
  if (minutes % 60 == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", minutes / 60),
                            minutes / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", minutes), minutes);
}

static char *
format_every (guint minutes)
{
  if (minutes % (60 * 24) == 0)
    return minutes == 60 * 24 ? g_strdup (_("every day"))
           : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u day", "every %u days", minutes / (60 * 24)),
                              minutes / (60 * 24));
  if (minutes % 60 == 0)
    return minutes == 60 ? g_strdup (_("every hour"))
           : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u hour", "every %u hours", minutes / 60),
                              minutes / 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %u minute", "every %u minutes", minutes), minutes);
}

/* The definitions of the severities, beside each choice: the situation, how soon
 * and how often the operations team answers, when, and what the filer commits to. */
void
esc_request_form_update_severity_texts (EscRequestForm *self)
{
  GListModel *severities = esc_workspace_get_severities (self->workspace);
  AdwActionRow *rows[] = { self->severity_a_row, self->severity_b_row, self->severity_c_row };
  const char *letters[] = { "A", "B", "C" };

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_autofree char *title = g_strdup_printf (_("Severity %s"), letters[r]);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows[r]), title);
      adw_action_row_set_subtitle (rows[r], NULL);
    }

  for (guint i = 0; i < g_list_model_get_n_items (severities); i++)
    {
      g_autoptr(EscSeverity) severity = g_list_model_get_item (severities, i);
      const char *letter = esc_severity_get_letter (severity);
      g_autofree char *response = format_minutes (esc_severity_get_initial_response_minutes (severity));
      g_autofree char *cadence = format_every (esc_severity_get_update_cadence_minutes (severity));
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *markup = NULL;

      for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
        {
          if (g_strcmp0 (letter, letters[r]) != 0)
            continue;

          /* Translators: "A — Critical impact" */
          title = g_strdup_printf (_("%s — %s"), letter, esc_severity_get_name (severity));
          /* Translators: the definition of a severity, one fact per line */
          subtitle = g_strdup_printf (_("%s\nFirst answer within %s, then an update %s.\n"
                                        "Coverage: %s\n%s"),
                                      esc_severity_get_situation (severity),
                                      response, cadence,
                                      esc_severity_get_coverage (severity),
                                      esc_severity_get_downgrade (severity));
          markup = g_markup_escape_text (subtitle, -1);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows[r]), title);
          adw_action_row_set_subtitle (rows[r], markup);
        }
    }
}

static const char *
severity_fixed_reason (EscRequestForm *self)
{
  if (esc_request_form_selected_kind (self) == ESC_SUPPORT_REQUEST_KIND_ESCALATION)
    return _("Escalations are always severity C. An IT administrator files any other severity as an admin support request.");
  if (esc_request_form_selected_type (self) == ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST)
    return _("Change requests are always severity C.");
  return NULL;
}

void
esc_request_form_update_severity_rules (EscRequestForm *self)
{
  const char *reason = severity_fixed_reason (self);
  gboolean fixed = reason != NULL;

  if (fixed)
    gtk_check_button_set_active (self->severity_c_check, TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->severity_a_row), !fixed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->severity_b_row), !fixed);
  gtk_widget_set_visible (GTK_WIDGET (self->severity_fixed_row), fixed);
  if (fixed)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->severity_fixed_row),
                                     _("Severity C only"));
      adw_action_row_set_subtitle (self->severity_fixed_row, reason);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->engagement_row),
                          esc_request_form_selected_severity (self) == ESC_SUPPORT_SEVERITY_B);
}

/* Where does this go? -------------------------------------------------------------- */

static EscRoutingDestination
current_destination (EscRequestForm *self,
                     EscRoutingRule **out_rule)
{
  EscProblemFacts facts = {
    .hardware_fault = gtk_switch_get_active (self->hardware_switch),
    .deployed_by_service = gtk_switch_get_active (self->service_switch),
  };
  g_autoptr(EscRoutingRule) rule = esc_routing_route (esc_workspace_get_routing_rules (self->workspace),
                                                      &facts);
  EscRoutingDestination destination = esc_routing_destination_for (&facts);

  if (rule != NULL)
    destination = esc_routing_rule_get_destination (rule);
  if (out_rule != NULL)
    *out_rule = g_steal_pointer (&rule);

  return destination;
}

static void
update_can_file (EscRequestForm *self)
{
  gboolean routed_here = current_destination (self, NULL) == ESC_ROUTING_DESTINATION_OPERATIONS;
  gboolean may_file = self->kinds->len > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.file", routed_here && may_file);

  if (!may_file)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_button),
                                 _("Only IT administrators and designated escalation staff file support requests"));
  else if (!routed_here)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_button),
                                 _("This problem goes to another team: see “Where Does This Go?”"));
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_button), NULL);
}

void
esc_request_form_facts_changed_cb (EscRequestForm *self)
{
  g_autoptr(EscRoutingRule) rule = NULL;
  EscRoutingDestination destination = current_destination (self, &rule);
  static const char * const icons[] = {
    [ESC_ROUTING_DESTINATION_OPERATIONS] = "mail-send-symbolic",
    [ESC_ROUTING_DESTINATION_HARDWARE_VENDOR] = "computer-symbolic",
    [ESC_ROUTING_DESTINATION_EXISTING_CHANNEL] = "call-start-symbolic",
    [ESC_ROUTING_DESTINATION_ORGANISATION_TEAM] = "system-users-symbolic",
  };
  GtkWidget *answer = GTK_WIDGET (self->answer_row);

  if (!self->loading)
    self->facts_touched = TRUE;

  if (rule == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row), _("No team"));
      adw_action_row_set_subtitle (self->answer_row,
                                   _("The routing matrix has no row for this kind of problem."));
      gtk_image_set_from_icon_name (self->answer_icon, "dialog-warning-symbolic");
    }
  else
    {
      g_autofree char *subtitle = NULL;

      if (destination == ESC_ROUTING_DESTINATION_OPERATIONS)
        subtitle = g_markup_escape_text (esc_routing_rule_get_action (rule), -1);
      else
        /* Translators: how to reach another team, then why the form cannot file it */
        subtitle = g_markup_printf_escaped (_("%s\nDo not file it here: this team does not answer support requests."),
                                            esc_routing_rule_get_action (rule));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row),
                                     esc_routing_rule_get_team (rule));
      adw_action_row_set_subtitle (self->answer_row, subtitle);
      gtk_image_set_from_icon_name (self->answer_icon, icons[destination]);
    }

  if (destination == ESC_ROUTING_DESTINATION_OPERATIONS && rule != NULL)
    {
      gtk_widget_remove_css_class (answer, "esc-elsewhere");
      gtk_widget_add_css_class (answer, "esc-here");
    }
  else
    {
      gtk_widget_remove_css_class (answer, "esc-here");
      gtk_widget_add_css_class (answer, "esc-elsewhere");
    }

  update_can_file (self);
  esc_request_form_schedule_draft (self);
}

/* The subcategory says where such problems usually go, until the person says otherwise. */
void
esc_request_form_apply_routing_hint (EscRequestForm *self)
{
  const EscSubcategory *subcategory = esc_request_form_selected_subcategory_def (self);
  EscProblemFacts facts;
  gboolean loading = self->loading;

  if (subcategory == NULL || self->facts_touched)
    return;

  esc_subcategory_get_problem_facts (subcategory, &facts);
  self->loading = TRUE;
  gtk_switch_set_active (self->hardware_switch, facts.hardware_fault);
  gtk_switch_set_active (self->service_switch, facts.deployed_by_service);
  self->loading = loading;
}

/* Admin contacts --------------------------------------------------------------------- */

/* The admin contact's area of focus for a category of request */
static const char *
area_of_focus (const EscCategory *category)
{
  static const struct { const char *category; const char *area; } areas[] = {
    { "devices", "devices" },
    { "apps", "app-packaging" },
    { "security", "security" },
    { "identity", "it-help-desk" },
  };

  for (guint i = 0; category != NULL && i < G_N_ELEMENTS (areas); i++)
    {
      if (g_str_equal (category->id, areas[i].category))
        return areas[i].area;
    }

  return "other";
}

void
esc_request_form_update_admin_contact (EscRequestForm *self)
{
  const char *area = area_of_focus (esc_request_form_selected_category (self));

  gtk_widget_set_visible (GTK_WIDGET (self->admin_contact_row), FALSE);

  for (guint i = 0; self->admin_contacts != NULL && i < self->admin_contacts->len; i++)
    {
      EscAdminContact *admin = g_ptr_array_index (self->admin_contacts, i);
      EscSupportContact *contact = esc_admin_contact_get_contact (admin);
      g_autofree char *subtitle = NULL;

      if (g_strcmp0 (esc_admin_contact_get_area (admin), area) != 0 || contact == NULL)
        continue;

      /* Translators: the admin contact of an area: name, email and phone */
      subtitle = g_markup_printf_escaped (_("%s %s · %s · %s\nCopied on the request; takes over if the primary contact cannot be reached."),
                                          contact->given_name, contact->surname,
                                          contact->email, contact->phone);
      adw_action_row_set_subtitle (self->admin_contact_row, subtitle);
      gtk_widget_set_visible (GTK_WIDGET (self->admin_contact_row), TRUE);

      /* The signed-in person is this area's admin contact: their phone is known */
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->email_row)), contact->email) == 0 &&
          *gtk_editable_get_text (GTK_EDITABLE (self->phone_row)) == '\0')
        esc_request_form_set_entry (self->phone_row, contact->phone);
    }
}

void
esc_request_form_admin_contacts_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(EscRequestForm) self = user_data;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;

  contacts = esc_client_list_admin_contacts_finish (ESC_CLIENT (object), result, &error);
  if (contacts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No admin contacts: %s", error->message);
      return;
    }

  g_clear_pointer (&self->admin_contacts, g_ptr_array_unref);
  self->admin_contacts = g_steal_pointer (&contacts);
  esc_request_form_update_admin_contact (self);
}
