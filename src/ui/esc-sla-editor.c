/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-client-sla.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-sla-private.h"
#include "esc-ui-private.h"

/* The editor of an agreement's terms (a draft, the next version, or a new
 * agreement), in its own window: the calendar, the targets per severity,
 * the states in which the clocks pause, the warning thresholds with who is
 * told at each, and what counts as a response. Each field is checked before
 * anything is sent; the service's own refusal is shown on the row it names. */

static const EscSupportSeverity severities[] = {
  ESC_SUPPORT_SEVERITY_A, ESC_SUPPORT_SEVERITY_B, ESC_SUPPORT_SEVERITY_C,
};

/* The pause states offered as switches; others are typed in */
static const struct
{
  const char *state;
  const char *label;
} known_pauses[] = {
  { "waiting-on-customer", N_("Waiting on customer") },
  { "waiting-on-vendor", N_("Waiting on vendor") },
};

/* The events that may count as the first response */
static const struct
{
  EscSlaEventKind kind;
  const char     *label;
} response_kinds[] = {
  { ESC_SLA_EVENT_RESPONDED, N_("A reply to the user") },
  { ESC_SLA_EVENT_UPDATED, N_("An update of the request") },
  { ESC_SLA_EVENT_PAUSED, N_("A question that pauses the clocks") },
  { ESC_SLA_EVENT_RESOLVED, N_("The resolution") },
};

static const char *metric_members[] = {
  "first_response_minutes", "update_minutes", "resolution_minutes",
};

typedef struct
{
  EscSlaPage             *self;
  EscSlaEditorMode        mode;
  char                   *agreement_id;
  EscSlaAgreementVersion *draft;
  char                   *etag;
  GtkWidget              *window;
  GtkWidget              *save_button;
  GtkWidget              *error_label;
  GtkWidget              *calendar_row;
  GtkWidget              *target_rows[G_N_ELEMENTS (severities)][ESC_SLA_N_METRICS];
  GtkWidget              *pause_switches[G_N_ELEMENTS (known_pauses)];
  GtkWidget              *other_pauses_row;
  AdwPreferencesGroup    *warnings_group;
  GtkWidget              *add_warning_button;
  GtkWidget              *percent_rows[ESC_SLA_MAX_WARNINGS];
  GtkWidget              *notify_rows[ESC_SLA_MAX_WARNINGS];
  guint                   n_warning_rows;
  GtkWidget              *rule_row;
  GtkWidget              *response_switches[G_N_ELEMENTS (response_kinds)];
  GPtrArray              *rows_in_error;
  gboolean                closed;  /* the window is gone: an answer still due finds nothing to show */
} DraftEditor;

/* Labels shared with the screen ---------------------------------------------- */

const char *
esc_sla_pause_state_label (const char *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_pauses); i++)
    {
      if (g_strcmp0 (state, known_pauses[i].state) == 0)
        return _(known_pauses[i].label);
    }
  return state;
}

static const char *
notify_label (const char *target)
{
  if (g_strcmp0 (target, "it-admin") == 0)
    return _("IT administrators");
  if (g_strcmp0 (target, "partner-manager") == 0)
    return _("partner managers");
  if (g_strcmp0 (target, "support-staff") == 0)
    return _("support staff");
  if (g_strcmp0 (target, "filer") == 0)
    return _("the filer");
  if (g_strcmp0 (target, "assignee") == 0)
    return _("the assignee");
  return target;
}

char *
esc_sla_format_pause_states (EscSlaAgreementVersion *version)
{
  const char * const *states = esc_sla_agreement_version_get_pause_states (version);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; states != NULL && states[i] != NULL; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", esc_sla_pause_state_label (states[i]));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
esc_sla_format_warnings (EscSlaAgreementVersion *version)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const EscSlaWarning *warnings;
  guint n;

  warnings = esc_sla_agreement_version_get_warnings (version, &n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) who = g_string_new (NULL);

      for (guint j = 0; warnings[i].notify[j] != NULL; j++)
        g_string_append_printf (who, "%s%s", j > 0 ? ", " : "", notify_label (warnings[i].notify[j]));
      if (i > 0)
        g_string_append (text, "; ");
      if (who->len > 0)
        /* Translators: a warning threshold and who is told: "75 % (IT administrators, the filer)" */
        g_string_append_printf (text, _("%u %% (%s)"), warnings[i].percent, who->str);
      else
        g_string_append_printf (text, _("%u %%"), warnings[i].percent);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
esc_sla_format_response_events (EscSlaAgreementVersion *version)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (response_kinds); i++)
    {
      if (esc_sla_agreement_version_counts_as_response (version, response_kinds[i].kind))
        g_string_append_printf (text, "%s%s", text->len > 0 ? ", " : "", _(response_kinds[i].label));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The editor ------------------------------------------------------------------ */

static void
draft_editor_free (gpointer data)
{
  DraftEditor *editor = data;

  g_object_unref (editor->self);
  g_object_unref (editor->draft);
  g_free (editor->agreement_id);
  g_free (editor->etag);
  g_ptr_array_unref (editor->rows_in_error);
  g_free (editor);
}

static void
editor_clear_errors (DraftEditor *editor)
{
  for (guint i = 0; i < editor->rows_in_error->len; i++)
    esc_row_clear_error (g_ptr_array_index (editor->rows_in_error, i));
  g_ptr_array_set_size (editor->rows_in_error, 0);
  gtk_widget_set_visible (editor->error_label, FALSE);
}

/* Shows @message on @row (or above the fields if NULL); the first row in
 * error takes the focus. */
static void
editor_show_error (DraftEditor *editor,
                   GtkWidget   *row,
                   const char  *message)
{
  if (row != NULL)
    {
      esc_row_show_error (row, message);
      if (editor->rows_in_error->len == 0)
        gtk_widget_grab_focus (row);
      g_ptr_array_add (editor->rows_in_error, row);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (editor->error_label), message);
      gtk_widget_set_visible (editor->error_label, TRUE);
    }
}

/* The row of a member the service named ("targets.A.update_minutes", or as a
 * JSON pointer "/targets/A/update_minutes"), or NULL. */
static GtkWidget *
editor_row_for_field (DraftEditor *editor,
                      const char  *field)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) parts = NULL;
  guint64 index;

  if (field == NULL)
    return NULL;
  name = g_strdup (field[0] == '/' ? field + 1 : field);
  g_strdelimit (name, "/", '.');
  if (g_str_equal (name, "calendar_id"))
    return editor->calendar_row;
  if (g_str_has_prefix (name, "pause_states"))
    return editor->other_pauses_row;
  if (g_str_has_prefix (name, "response_rule"))
    return editor->rule_row;
  /* "warnings.N", "warnings.N.percent", "warnings.N.notify…" */
  parts = g_strsplit (name, ".", 3);
  if (g_str_equal (parts[0], "warnings") && parts[1] != NULL &&
      g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT, &index, NULL) && index < editor->n_warning_rows)
    return parts[2] != NULL && g_str_has_prefix (parts[2], "notify") ? editor->notify_rows[index]
                                                                      : editor->percent_rows[index];
  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    for (guint m = 0; m < ESC_SLA_N_METRICS; m++)
      {
        g_autofree char *member = g_strdup_printf ("targets.%s.%s",
                                                   esc_support_severity_to_string (severities[s]),
                                                   metric_members[m]);

        if (g_str_equal (name, member))
          return editor->target_rows[s][m];
      }

  return NULL;
}

static void
draft_editor_closed_cb (DraftEditor *editor)
{
  editor->closed = TRUE;
}

static void
draft_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  DraftEditor *editor = g_object_get_data (G_OBJECT (window), "esc-draft-editor");
  g_autoptr(EscSlaAgreementVersion) version = NULL;
  g_autoptr(GError) error = NULL;

  switch (editor->mode)
    {
    case ESC_SLA_EDIT_DRAFT:
      version = esc_client_update_sla_draft_finish (ESC_CLIENT (source), result, &error);
      break;
    case ESC_SLA_NEW_VERSION:
      version = esc_client_create_sla_version_finish (ESC_CLIENT (source), result, &error);
      break;
    case ESC_SLA_NEW_AGREEMENT:
    default:
      version = esc_client_create_sla_agreement_finish (ESC_CLIENT (source), result, &error);
      break;
    }
  if (editor->closed)
    {
      if (version != NULL)
        esc_sla_page_reload (editor->self);
      return;
    }
  gtk_widget_set_sensitive (editor->save_button, TRUE);
  if (version == NULL)
    {
      GtkWidget *row = editor_row_for_field (editor, esc_api_error_get_field (error));

      /* The service's words name its API; the person needs the screen's */
      if (row == editor->calendar_row)
        editor_show_error (editor, row, _("No calendar has this id: use the id of one of the "
                                          "business-hours calendars listed under the agreements."));
      else
        editor_show_error (editor, row, esc_sla_error_text (error));
      return;
    }

  esc_sla_page_reload (editor->self);
  gtk_window_destroy (GTK_WINDOW (editor->window));
}

static const char *
row_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

/* "a, b;c" → { "a", "b", "c" }, blanks dropped */
static GStrv
split_list (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ",;", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

static gboolean
read_targets (DraftEditor            *editor,
              EscSlaAgreementVersion *terms)
{
  gboolean valid = TRUE;

  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    {
      EscSlaTargets targets = *esc_sla_agreement_version_get_targets (terms, severities[s]);
      guint *values[] = { &targets.first_response_minutes, &targets.update_minutes,
                          &targets.resolution_minutes };

      for (guint m = 0; m < ESC_SLA_N_METRICS; m++)
        {
          const char *text = row_text (editor->target_rows[s][m]);
          guint64 minutes = 0;

          if (*text != '\0' && !g_ascii_string_to_unsigned (text, 10, 0, 527040, &minutes, NULL))
            {
              editor_show_error (editor, editor->target_rows[s][m],
                                 _("Enter a whole number of minutes, from 0 (no target) to 527040."));
              valid = FALSE;
            }
          *values[m] = (guint)minutes;
        }
      esc_sla_agreement_version_set_targets (terms, severities[s], &targets);
    }
  return valid;
}

static gboolean
read_pauses (DraftEditor            *editor,
             EscSlaAgreementVersion *terms)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) others = split_list (row_text (editor->other_pauses_row));
  g_auto(GStrv) states = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known_pauses); i++)
    {
      if (gtk_switch_get_active (GTK_SWITCH (editor->pause_switches[i])))
        g_strv_builder_add (builder, known_pauses[i].state);
    }
  for (guint i = 0; others[i] != NULL; i++)
    {
      g_autofree char *state = g_ascii_strdown (others[i], -1);

      g_strdelimit (state, " _", '-');
      if (!esc_sla_pause_state_is_valid (state))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a state name: use lower-case words "
                                                        "joined by “-”, such as on-hold."), others[i]);

          editor_show_error (editor, editor->other_pauses_row, message);
          return FALSE;
        }
      g_strv_builder_add (builder, state);
    }
  states = g_strv_builder_end (builder);
  for (guint i = 0; states[i] != NULL; i++)
    for (guint j = 0; j < i; j++)
      if (g_str_equal (states[i], states[j]))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is named twice."), states[i]);

          editor_show_error (editor, editor->other_pauses_row, message);
          return FALSE;
        }
  esc_sla_agreement_version_set_pause_states (terms, (const char * const *)states);
  return TRUE;
}

static gboolean
read_warnings (DraftEditor            *editor,
               EscSlaAgreementVersion *terms)
{
  guint percents[ESC_SLA_MAX_WARNINGS];
  GStrv notify[ESC_SLA_MAX_WARNINGS] = { NULL };
  GtkWidget *rows[ESC_SLA_MAX_WARNINGS];
  g_autoptr(GError) error = NULL;
  gboolean valid = TRUE;
  guint n = 0;

  for (guint i = 0; i < editor->n_warning_rows; i++)
    {
      const char *text = row_text (editor->percent_rows[i]);
      g_auto(GStrv) who = split_list (row_text (editor->notify_rows[i]));
      guint64 percent;

      /* An empty percentage removes the warning */
      if (*text == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (text, 10, 1, 1000, &percent, NULL) ||
          (n > 0 && percent <= percents[n - 1]))
        {
          editor_show_error (editor, editor->percent_rows[i],
                             _("Enter a percentage of the target from 1 to 1000, above the warning before; "
                               "leave it empty to remove this warning."));
          valid = FALSE;
          continue;
        }
      for (guint j = 0; who[j] != NULL; j++)
        {
          if (!esc_sla_notify_target_is_valid (who[j]))
            {
              g_autofree char *message = g_strdup_printf (_("“%s” cannot be told: name it-admin, "
                                                            "partner-manager, support-staff, filer, "
                                                            "assignee or an e-mail address."), who[j]);

              editor_show_error (editor, editor->notify_rows[i], message);
              valid = FALSE;
              break;
            }
        }
      rows[n] = editor->percent_rows[i];
      percents[n] = (guint)percent;
      notify[n++] = g_steal_pointer (&who);
    }

  if (valid && !esc_sla_agreement_version_set_warnings (terms, percents, n, &error))
    {
      editor_show_error (editor, n > 0 ? rows[0] : NULL, error->message);
      valid = FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (valid)
        esc_sla_agreement_version_set_warning_notify (terms, i, (const char * const *)notify[i]);
      g_strfreev (notify[i]);
    }
  return valid;
}

static gboolean
read_response (DraftEditor            *editor,
               EscSlaAgreementVersion *terms)
{
  EscSlaEventKind kinds[G_N_ELEMENTS (response_kinds)];
  g_autofree char *rule = g_strstrip (g_strdup (row_text (editor->rule_row)));
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (response_kinds); i++)
    {
      if (gtk_switch_get_active (GTK_SWITCH (editor->response_switches[i])))
        kinds[n++] = response_kinds[i].kind;
    }
  if (n == 0)
    {
      editor_show_error (editor, editor->rule_row,
                         _("Choose at least one event that counts as the first response."));
      return FALSE;
    }
  if (g_utf8_strlen (rule, -1) > 4000)
    {
      editor_show_error (editor, editor->rule_row, _("Write the rule in at most 4000 characters."));
      return FALSE;
    }
  esc_sla_agreement_version_set_response_events (terms, kinds, n);
  esc_sla_agreement_version_set_response_rule (terms, rule);
  return TRUE;
}

static void
save_draft_clicked_cb (DraftEditor *editor)
{
  g_autoptr(JsonNode) node = esc_sla_agreement_version_to_json (editor->draft);
  g_autoptr(EscSlaAgreementVersion) terms = NULL;
  g_autoptr(GError) error = NULL;
  EscClient *client = esc_session_get_client (esc_sla_page_get_session (editor->self));
  gboolean valid;

  editor_clear_errors (editor);
  /* A copy of the terms the editor started from, so that what it does not
   * show (the title) is kept; a new agreement has none yet */
  if (esc_sla_agreement_version_get_calendar_id (editor->draft) == NULL)
    terms = esc_sla_agreement_version_new ();
  else if (!(terms = esc_sla_agreement_version_new_from_json (node, FALSE, &error)))
    {
      editor_show_error (editor, NULL, error->message);
      return;
    }

  esc_sla_agreement_version_set_calendar_id (terms, row_text (editor->calendar_row));
  valid = read_targets (editor, terms);
  valid = read_pauses (editor, terms) && valid;
  valid = read_warnings (editor, terms) && valid;
  valid = read_response (editor, terms) && valid;
  if (!valid)
    return;

  gtk_widget_set_sensitive (editor->save_button, FALSE);
  switch (editor->mode)
    {
    case ESC_SLA_EDIT_DRAFT:
      esc_client_update_sla_draft_async (client, terms, editor->etag, NULL, draft_saved_cb,
                                         g_object_ref (editor->window));
      break;
    case ESC_SLA_NEW_VERSION:
      esc_client_create_sla_version_async (client, editor->agreement_id, terms, NULL, NULL, draft_saved_cb,
                                           g_object_ref (editor->window));
      break;
    case ESC_SLA_NEW_AGREEMENT:
    default:
      esc_client_create_sla_agreement_async (client, terms, NULL, NULL, draft_saved_cb,
                                             g_object_ref (editor->window));
      break;
    }
}

static GtkWidget *
new_entry_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  adw_preferences_group_add (group, row);
  return row;
}

/* A row with a switch, one Tab stop, named by the row's title (the row
 * labels its activatable widget) */
static GtkWidget *
new_switch_row (AdwPreferencesGroup *group,
                const char          *title,
                gboolean             active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  gtk_widget_set_focusable (row, FALSE);
  adw_preferences_group_add (group, row);
  return toggle;
}

static void
add_warning_rows (DraftEditor         *editor,
                  const EscSlaWarning *warning)
{
  guint i = editor->n_warning_rows;
  g_autofree char *percent_title = NULL;
  g_autofree char *notify_title = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *notify = NULL;

  if (i >= ESC_SLA_MAX_WARNINGS)
    return;
  /* Translators: the title of a field: "Warning 2: percentage of the target" */
  percent_title = g_strdup_printf (_("Warning %u: percentage of the target"), i + 1);
  /* Translators: the title of a field: "Warning 2: who is told" */
  notify_title = g_strdup_printf (_("Warning %u: who is told"), i + 1);
  if (warning != NULL)
    {
      percent = g_strdup_printf ("%u", warning->percent);
      notify = g_strjoinv (", ", warning->notify);
    }
  editor->percent_rows[i] = new_entry_row (editor->warnings_group, percent_title, percent);
  editor->notify_rows[i] = new_entry_row (editor->warnings_group, notify_title, notify);
  editor->n_warning_rows++;
  gtk_widget_set_sensitive (editor->add_warning_button, editor->n_warning_rows < ESC_SLA_MAX_WARNINGS);
}

static void
add_warning_clicked_cb (DraftEditor *editor)
{
  add_warning_rows (editor, NULL);
  esc_ui_name_controls (editor->window);
  gtk_widget_grab_focus (editor->percent_rows[editor->n_warning_rows - 1]);
}

static void
add_clock_groups (DraftEditor            *editor,
                  AdwPreferencesPage     *page,
                  EscSlaAgreementVersion *draft)
{
  AdwPreferencesGroup *group;
  g_autoptr(GString) others = g_string_new (NULL);
  const char * const *pauses = esc_sla_agreement_version_get_pause_states (draft);
  const EscSlaWarning *warnings;
  guint n;

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("When the Clocks Pause"));
  adw_preferences_group_set_description (group, _("While a request is in one of these states, its clocks "
                                                  "stop; the paused time is kept when the severity or "
                                                  "the agreement changes."));
  for (guint i = 0; i < G_N_ELEMENTS (known_pauses); i++)
    editor->pause_switches[i] = new_switch_row (group, _(known_pauses[i].label),
                                                g_strv_contains (pauses, known_pauses[i].state));
  for (guint i = 0; pauses != NULL && pauses[i] != NULL; i++)
    {
      gboolean known = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (known_pauses); k++)
        known = known || g_str_equal (pauses[i], known_pauses[k].state);
      if (!known)
        g_string_append_printf (others, "%s%s", others->len > 0 ? ", " : "", pauses[i]);
    }
  editor->other_pauses_row = new_entry_row (group, _("Other states of your help desk, separated by commas"),
                                            others->str);
  adw_preferences_page_add (page, group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  editor->warnings_group = group;
  adw_preferences_group_set_title (group, _("Warnings"));
  adw_preferences_group_set_description (group, _("Sent within the calendar’s hours when a clock has used "
                                                  "this share of its target. Tell it-admin, "
                                                  "partner-manager, support-staff, filer, assignee or "
                                                  "e-mail addresses, separated by commas. Empty a "
                                                  "percentage to remove its warning."));
  editor->add_warning_button = gtk_button_new_with_label (_("Add Warning"));
  gtk_widget_set_valign (editor->add_warning_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (editor->add_warning_button, "clicked", G_CALLBACK (add_warning_clicked_cb), editor);
  adw_preferences_group_set_header_suffix (group, editor->add_warning_button);
  warnings = esc_sla_agreement_version_get_warnings (draft, &n);
  for (guint i = 0; i < n; i++)
    add_warning_rows (editor, &warnings[i]);
  adw_preferences_page_add (page, group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("What Counts as a Response"));
  editor->rule_row = new_entry_row (group, _("The rule, in words"),
                                    esc_sla_agreement_version_get_response_rule (draft));
  for (guint i = 0; i < G_N_ELEMENTS (response_kinds); i++)
    editor->response_switches[i] =
      new_switch_row (group, _(response_kinds[i].label),
                      esc_sla_agreement_version_counts_as_response (draft, response_kinds[i].kind));
  adw_preferences_page_add (page, group);
}

/**
 * esc_sla_terms_editor_open:
 * @self: the SLAs screen
 * @mode: what saving does
 * @draft: what the fields start from
 * @agreement_id: (nullable): NULL for a new agreement
 * @etag: (nullable): the draft's ETag, sent as If-Match
 */
void
esc_sla_terms_editor_open (EscSlaPage             *self,
                           EscSlaEditorMode        mode,
                           EscSlaAgreementVersion *draft,
                           const char             *agreement_id,
                           const char             *etag)
{
  DraftEditor *editor = g_new0 (DraftEditor, 1);
  GtkWidget *box, *header, *cancel, *page;
  AdwPreferencesGroup *group;
  g_autofree char *title = NULL;
  static const char *metric_titles[] = {
    N_("First response (minutes)"), N_("Update (minutes)"), N_("Resolution (minutes)"),
  };

  editor->self = g_object_ref (self);
  editor->mode = mode;
  editor->agreement_id = g_strdup (agreement_id);
  editor->draft = g_object_ref (draft);
  editor->etag = g_strdup (etag);
  editor->rows_in_error = g_ptr_array_new ();

  editor->window = adw_window_new ();
  if (mode == ESC_SLA_EDIT_DRAFT)
    title = g_strdup_printf (_("Edit %s, Version %u"), agreement_id, esc_sla_agreement_version_get_version (draft));
  else if (mode == ESC_SLA_NEW_VERSION)
    title = g_strdup_printf (_("New Version of %s"), agreement_id);
  else
    title = g_strdup (_("New Agreement"));
  gtk_window_set_title (GTK_WINDOW (editor->window), title);
  gtk_window_set_modal (GTK_WINDOW (editor->window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (editor->window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_default_size (GTK_WINDOW (editor->window), 560, 680);
  gtk_widget_add_css_class (editor->window, "esc-sla");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (editor->window), TRUE);
  g_object_set_data_full (G_OBJECT (editor->window), "esc-draft-editor", editor, draft_editor_free);
  g_signal_connect_swapped (editor->window, "destroy", G_CALLBACK (draft_editor_closed_cb), editor);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_label (_("Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), editor->window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  editor->save_button = gtk_button_new_with_label (_("Save Draft"));
  gtk_widget_add_css_class (editor->save_button, "suggested-action");
  g_signal_connect_swapped (editor->save_button, "clicked", G_CALLBACK (save_draft_clicked_cb), editor);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), editor->save_button);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (group, _("Saving new terms withdraws the acceptances this draft had."));
  editor->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (editor->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (editor->error_label), 0);
  gtk_widget_add_css_class (editor->error_label, "error");
  gtk_widget_set_visible (editor->error_label, FALSE);
  adw_preferences_group_add (group, editor->error_label);
  editor->calendar_row = new_entry_row (group, _("Calendar"),
                                        esc_sla_agreement_version_get_calendar_id (draft));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);

  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    {
      const EscSlaTargets *targets = esc_sla_agreement_version_get_targets (draft, severities[s]);
      guint values[] = { targets->first_response_minutes, targets->update_minutes,
                         targets->resolution_minutes };

      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, esc_support_severity_get_label (severities[s]));
      for (guint m = 0; m < ESC_SLA_N_METRICS; m++)
        {
          g_autofree char *text = g_strdup_printf ("%u", values[m]);
          /* Translators: a field's accessible name: "Severity A, First response (minutes)" */
          g_autofree char *name = g_strdup_printf (_("Severity %s, %s"),
                                                   esc_support_severity_to_string (severities[s]),
                                                   _(metric_titles[m]));

          editor->target_rows[s][m] = new_entry_row (group, _(metric_titles[m]), text);
          gtk_accessible_update_property (GTK_ACCESSIBLE (editor->target_rows[s][m]),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
        }
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
    }

  add_clock_groups (editor, ADW_PREFERENCES_PAGE (page), draft);

  adw_window_set_content (ADW_WINDOW (editor->window), box);
  esc_ui_name_controls (editor->window);
  gtk_window_present (GTK_WINDOW (editor->window));
  gtk_widget_grab_focus (editor->calendar_row);
}
