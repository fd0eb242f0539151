/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-client-sla.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-sla-compliance.h"
#include "esc-sla-page.h"
#include "esc-sla-private.h"
#include "esc-sync.h"
#include "esc-ui-private.h"

/* The SLAs screen. The agreements are read from the service each time the
 * screen is (re)loaded: each one's whole history, the latest version shown in
 * full. Who may do what follows the account's roles as the service states
 * them: IT administrators and partner managers read, each accepts for their
 * side, partner managers edit drafts; the support model is the IT
 * administrator's, kept in the workspace's settings. */

static const EscSupportSeverity severities[] = {
  ESC_SUPPORT_SEVERITY_A, ESC_SUPPORT_SEVERITY_B, ESC_SUPPORT_SEVERITY_C,
};

typedef struct
{
  char      *id;
  GPtrArray *versions;  /* (element-type EscSlaAgreementVersion) oldest first */
  char      *etag;      /* the latest version's, when it is a draft: what Accept and Edit send as If-Match */
  GtkWidget *older;     /* the two drop-downs of the comparison */
  GtkWidget *newer;
  GtkWidget *diff_label;
} Agreement;

struct _EscSlaPage
{
  AdwBin           parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *model_group;
  GtkWidget       *save_model_button;
  AdwComboRow     *model_row;
  AdwEntryRow     *provider_row;
  AdwEntryRow     *contacts_row;
  GtkLabel        *status_label;
  GtkBox          *agreements_box;
  GtkWidget       *agreements_header;
  GtkWidget       *new_agreement_button;
  GtkWidget       *calendars_header;
  GtkWidget       *new_calendar_button;
  GtkBox          *calendars_box;
  EscSlaCompliance *compliance;

  GPtrArray       *agreements;  /* (element-type Agreement) */
  GPtrArray       *calendars;   /* (element-type EscCalendar) (nullable) */
  GCancellable    *cancellable;
  guint            pending;

  char            *model_etag;  /* the support model's, as last read or saved */

  /* Owned references */
  EscSession      *session;
  EscWorkspace    *workspace;   /* the session's, whose settings are watched */
};

G_DEFINE_FINAL_TYPE (EscSlaPage, esc_sla_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
agreement_free (gpointer data)
{
  Agreement *agreement = data;

  g_free (agreement->id);
  g_free (agreement->etag);
  g_clear_pointer (&agreement->versions, g_ptr_array_unref);
  g_free (agreement);
}

static gboolean
has_role (EscSlaPage *self,
          const char *role)
{
  EscIdentity *identity = esc_account_get_identity (esc_session_get_account (self->session));

  return identity != NULL && esc_identity_has_role (identity, role);
}

const char *
esc_sla_error_text (const GError *error)
{
  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_PRECONDITION_FAILED))
    return _("It was changed on the service since it was read: read it again");
  return error->message;
}

static void
show_status (EscSlaPage *self,
             const char *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

/* Formatting ------------------------------------------------------------------ */

static char *
format_minutes (guint minutes)
{
  guint hours = minutes / 60;
  guint rest = minutes % 60;

  if (minutes == 0)
    return g_strdup (_("no target"));
  if (hours == 0)
    return g_strdup_printf (ngettext ("%u minute", "%u minutes", rest), rest);
  if (rest == 0)
    return g_strdup_printf (ngettext ("%u hour", "%u hours", hours), hours);
  /* Translators: hours and minutes, e.g. "1 h 30 min" */
  return g_strdup_printf (_("%u h %u min"), hours, rest);
}

static char *
format_targets (const EscSlaTargets *targets)
{
  g_autofree char *first = format_minutes (targets->first_response_minutes);
  g_autofree char *update = format_minutes (targets->update_minutes);
  g_autofree char *resolution = format_minutes (targets->resolution_minutes);

  /* Translators: the three targets of one severity */
  return g_strdup_printf (targets->always_open
                          ? _("First response: %s · Update: %s · Resolution: %s · round the clock")
                          : _("First response: %s · Update: %s · Resolution: %s"),
                          first, update, resolution);
}

static const char *
state_label (EscSlaVersionState state)
{
  switch (state)
    {
    case ESC_SLA_VERSION_DRAFT:
      return _("draft");
    case ESC_SLA_VERSION_AGREED:
      return _("agreed");
    case ESC_SLA_VERSION_SUPERSEDED:
      return _("superseded");
    case ESC_SLA_VERSION_RETIRED:
      return _("retired");
    default:
      g_assert_not_reached ();
    }
}

static char *
format_acceptance (const EscSlaAcceptance *acceptance)
{
  g_autofree char *when = NULL;

  if (acceptance == NULL || acceptance->name == NULL)
    return g_strdup (_("Not yet accepted"));
  when = esc_request_format_time_long (acceptance->at);
  /* Translators: who accepted a version, and when */
  return g_strdup_printf (_("%s, %s"), acceptance->name, when);
}

static void
diff_line (GString    *out,
           const char *what,
           const char *before,
           const char *after)
{
  if (g_strcmp0 (before, after) != 0)
    /* Translators: one change between two versions: what, before → after */
    g_string_append_printf (out, _("%s: %s → %s\n"), what,
                            before != NULL && *before != '\0' ? before : _("none"),
                            after != NULL && *after != '\0' ? after : _("none"));
}

/* What changed from @a to @b, one line each; "" when nothing did. */
static char *
diff_versions (EscSlaAgreementVersion *a,
               EscSlaAgreementVersion *b)
{
  g_autoptr(GString) out = g_string_new (NULL);
  static const char *metric_names[] = { N_("first response"), N_("update"), N_("resolution") };

  diff_line (out, _("Calendar"), esc_sla_agreement_version_get_calendar_id (a),
             esc_sla_agreement_version_get_calendar_id (b));
  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    {
      const EscSlaTargets *ta = esc_sla_agreement_version_get_targets (a, severities[s]);
      const EscSlaTargets *tb = esc_sla_agreement_version_get_targets (b, severities[s]);
      guint va[] = { ta->first_response_minutes, ta->update_minutes, ta->resolution_minutes };
      guint vb[] = { tb->first_response_minutes, tb->update_minutes, tb->resolution_minutes };

      for (guint m = 0; m < G_N_ELEMENTS (va); m++)
        {
          g_autofree char *what = NULL;
          g_autofree char *before = NULL;
          g_autofree char *after = NULL;

          if (va[m] == vb[m])
            continue;
          /* Translators: "Severity A — first response" */
          what = g_strdup_printf (_("Severity %s — %s"), esc_support_severity_to_string (severities[s]),
                                  _(metric_names[m]));
          before = format_minutes (va[m]);
          after = format_minutes (vb[m]);
          diff_line (out, what, before, after);
        }
      if (ta->always_open != tb->always_open)
        {
          g_autofree char *what = g_strdup_printf (_("Severity %s — %s"),
                                                   esc_support_severity_to_string (severities[s]),
                                                   _("round the clock"));

          diff_line (out, what, ta->always_open ? _("yes") : _("no"), tb->always_open ? _("yes") : _("no"));
        }
    }

  {
    g_autofree char *pa = esc_sla_format_pause_states (a);
    g_autofree char *pb = esc_sla_format_pause_states (b);
    g_autofree char *wa = esc_sla_format_warnings (a);
    g_autofree char *wb = esc_sla_format_warnings (b);
    g_autofree char *ea = esc_sla_format_response_events (a);
    g_autofree char *eb = esc_sla_format_response_events (b);

    diff_line (out, _("Clocks pause in"), pa, pb);
    diff_line (out, _("Warnings at"), wa, wb);
    diff_line (out, _("What counts as a response"), esc_sla_agreement_version_get_response_rule (a),
               esc_sla_agreement_version_get_response_rule (b));
    diff_line (out, _("Events that count as the first response"), ea, eb);
  }

  if (out->len > 0)
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
update_diff (Agreement *agreement)
{
  guint older = gtk_drop_down_get_selected (GTK_DROP_DOWN (agreement->older));
  guint newer = gtk_drop_down_get_selected (GTK_DROP_DOWN (agreement->newer));
  g_autofree char *diff = NULL;

  if (older >= agreement->versions->len || newer >= agreement->versions->len)
    return;
  diff = diff_versions (g_ptr_array_index (agreement->versions, older),
                        g_ptr_array_index (agreement->versions, newer));
  if (*diff == '\0')
    {
      g_free (diff);
      diff = g_strdup (_("No difference between these versions."));
    }
  gtk_label_set_text (GTK_LABEL (agreement->diff_label), diff);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (agreement->diff_label)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, diff, -1);
}

/* Accepting ------------------------------------------------------------------- */

typedef struct
{
  EscSlaPage *self;
  GtkWidget  *button;
} AcceptData;

static void
accept_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AcceptData *data = user_data;
  g_autoptr(EscSlaPage) self = data->self;
  g_autoptr(EscSlaAgreementVersion) version = NULL;
  g_autoptr(GError) error = NULL;

  g_object_unref (data->button);
  g_free (data);

  version = esc_client_accept_sla_agreement_version_finish (ESC_CLIENT (source), result, &error);
  if (version == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The version could not be accepted: %s"),
                                           esc_sla_error_text (error));

      show_status (self, text);
      esc_sla_page_reload (self);
      return;
    }

  show_status (self, NULL);
  esc_sla_page_reload (self);
}

static void
accept_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  EscSlaPage *self = user_data;
  EscSlaAgreementVersion *version = g_object_get_data (G_OBJECT (button), "version");
  const char *side = g_object_get_data (G_OBJECT (button), "side");
  const char *etag = g_object_get_data (G_OBJECT (button), "etag");
  AcceptData *data = g_new0 (AcceptData, 1);

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  data->self = g_object_ref (self);
  data->button = g_object_ref (GTK_WIDGET (button));
  esc_client_accept_sla_agreement_version_async (esc_session_get_client (self->session),
                                                 esc_sla_agreement_version_get_agreement_id (version),
                                                 esc_sla_agreement_version_get_version (version),
                                                 side, etag, NULL, NULL, accept_done_cb, data);
}

static void
edit_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  EscSlaAgreementVersion *draft = g_object_get_data (G_OBJECT (button), "version");

  esc_sla_terms_editor_open (user_data, ESC_SLA_EDIT_DRAFT, draft, esc_sla_agreement_version_get_agreement_id (draft),
                     g_object_get_data (G_OBJECT (button), "etag"));
}

/* The next version starts from the latest one's terms */
static void
new_version_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  EscSlaAgreementVersion *latest = g_object_get_data (G_OBJECT (button), "version");

  esc_sla_terms_editor_open (user_data, ESC_SLA_NEW_VERSION, latest, esc_sla_agreement_version_get_agreement_id (latest), NULL);
}

static void
new_agreement_clicked_cb (EscSlaPage *self)
{
  g_autoptr(EscSlaAgreementVersion) terms = esc_sla_agreement_version_new ();

  esc_sla_terms_editor_open (self, ESC_SLA_NEW_AGREEMENT, terms, NULL, NULL);
}

/* Retiring: asked first, the version in force stops being in force */

static void
retire_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EscSlaPage) self = user_data;
  g_autoptr(EscSlaAgreementVersion) version = NULL;
  g_autoptr(GError) error = NULL;

  version = esc_client_retire_sla_version_finish (ESC_CLIENT (source), result, &error);
  if (version == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The version could not be retired: %s"),
                                           esc_sla_error_text (error));

      show_status (self, text);
    }
  else
    show_status (self, NULL);
  esc_sla_page_reload (self);
}

static void
retire_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  EscSlaPage *self = user_data;
  EscSlaAgreementVersion *version = g_object_get_data (G_OBJECT (dialog), "version");

  if (g_strcmp0 (response, "retire") != 0)
    return;
  esc_client_retire_sla_version_async (esc_session_get_client (self->session),
                                       esc_sla_agreement_version_get_agreement_id (version),
                                       esc_sla_agreement_version_get_version (version),
                                       NULL, NULL, NULL, retire_done_cb, g_object_ref (self));
}

static void
retire_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  EscSlaPage *self = user_data;
  EscSlaAgreementVersion *version = g_object_get_data (G_OBJECT (button), "version");
  GtkWidget *dialog;
  g_autofree char *heading = NULL;

  heading = g_strdup_printf (_("Retire Version %u of %s?"), esc_sla_agreement_version_get_version (version),
                             esc_sla_agreement_version_get_agreement_id (version));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                   _("The agreement will have no version in force until a new one is agreed. "
                                     "The version stays in the history."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("Cancel"),
                                    "retire", _("Retire"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "retire",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "version", g_object_ref (version), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (retire_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The agreements ------------------------------------------------------------ */

static GtkWidget *
add_info_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  return row;
}

static GtkWidget *
new_button (GtkBox     *box,
            const char *label,
            GCallback   callback,
            EscSlaPage *self,
            Agreement  *agreement,
            const char *side)
{
  GtkWidget *button = gtk_button_new_with_label (label);
  EscSlaAgreementVersion *version = g_ptr_array_index (agreement->versions, agreement->versions->len - 1);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "version", g_object_ref (version), g_object_unref);
  g_object_set_data_full (G_OBJECT (button), "etag", g_strdup (agreement->etag), g_free);
  g_object_set_data (G_OBJECT (button), "side", (gpointer)side);
  g_signal_connect (button, "clicked", callback, self);
  gtk_box_append (box, button);
  return button;
}

static void
diff_selected_cb (GObject    *drop_down,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  update_diff (user_data);
}

static void
add_comparison (AdwPreferencesGroup *group,
                Agreement           *agreement)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *diff_row;
  guint n = agreement->versions->len;

  for (guint i = 0; i < n; i++)
    {
      EscSlaAgreementVersion *version = g_ptr_array_index (agreement->versions, i);
      g_autofree char *name = g_strdup_printf (_("Version %u (%s)"),
                                               esc_sla_agreement_version_get_version (version),
                                               state_label (esc_sla_agreement_version_get_state (version)));

      gtk_string_list_append (names, name);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Compare versions"));
  agreement->older = gtk_drop_down_new (g_object_ref (G_LIST_MODEL (names)), NULL);
  agreement->newer = gtk_drop_down_new (g_object_ref (G_LIST_MODEL (names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (agreement->older),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Compare from"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (agreement->newer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Compare to"), -1);
  esc_ui_drop_down_name_values (GTK_DROP_DOWN (agreement->older), _("Compare from"));
  esc_ui_drop_down_name_values (GTK_DROP_DOWN (agreement->newer), _("Compare to"));
  gtk_widget_set_tooltip_text (agreement->older, _("Compare from"));
  gtk_widget_set_tooltip_text (agreement->newer, _("Compare to"));
  gtk_widget_set_valign (agreement->older, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (agreement->newer, GTK_ALIGN_CENTER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (agreement->older), n - 2);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (agreement->newer), n - 1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), agreement->older);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), agreement->newer);
  adw_preferences_group_add (group, row);

  agreement->diff_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (agreement->diff_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (agreement->diff_label), 0);
  gtk_widget_set_margin_start (agreement->diff_label, 12);
  gtk_widget_set_margin_end (agreement->diff_label, 12);
  gtk_widget_set_margin_top (agreement->diff_label, 8);
  gtk_widget_set_margin_bottom (agreement->diff_label, 8);
  /* A preferences row, so that the group keeps it in its boxed list */
  diff_row = adw_preferences_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (diff_row), _("Differences"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (diff_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (diff_row), agreement->diff_label);
  adw_preferences_group_add (group, diff_row);

  g_signal_connect (agreement->older, "notify::selected", G_CALLBACK (diff_selected_cb), agreement);
  g_signal_connect (agreement->newer, "notify::selected", G_CALLBACK (diff_selected_cb), agreement);
  update_diff (agreement);
}

static void
add_agreement (EscSlaPage *self,
               Agreement  *agreement)
{
  EscSlaAgreementVersion *latest = g_ptr_array_index (agreement->versions, agreement->versions->len - 1);
  EscSlaAgreementVersion *in_force = NULL;
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  EscSlaVersionState state = esc_sla_agreement_version_get_state (latest);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *it_admin = NULL;
  g_autofree char *partner = NULL;

  for (guint i = 0; i < agreement->versions->len; i++)
    {
      EscSlaAgreementVersion *version = g_ptr_array_index (agreement->versions, i);

      if (esc_sla_agreement_version_get_state (version) == ESC_SLA_VERSION_AGREED)
        in_force = version;
    }

  /* Translators: an agreement and its latest version: "SLA-000001, version 2 (draft)" */
  title = g_strdup_printf (_("%s, version %u (%s)"), agreement->id,
                           esc_sla_agreement_version_get_version (latest), state_label (state));
  if (in_force != NULL && in_force != latest)
    description = g_strdup_printf (_("Calendar: %s. Version %u is in force."),
                                   esc_sla_agreement_version_get_calendar_id (latest),
                                   esc_sla_agreement_version_get_version (in_force));
  else
    description = g_strdup_printf (_("Calendar: %s."), esc_sla_agreement_version_get_calendar_id (latest));
  adw_preferences_group_set_title (group, title);
  adw_preferences_group_set_description (group, description);
  adw_preferences_group_set_header_suffix (group, buttons);

  for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
    {
      g_autofree char *targets = format_targets (esc_sla_agreement_version_get_targets (latest, severities[s]));

      add_info_row (group, esc_support_severity_get_label (severities[s]), targets);
    }
  {
    g_autofree char *pauses = esc_sla_format_pause_states (latest);
    g_autofree char *warnings = esc_sla_format_warnings (latest);
    g_autofree char *events = esc_sla_format_response_events (latest);
    const char *rule = esc_sla_agreement_version_get_response_rule (latest);

    add_info_row (group, _("Clocks pause in"), *pauses != '\0' ? pauses : _("No state: the clocks never pause"));
    add_info_row (group, _("Warnings at"), *warnings != '\0' ? warnings : _("No warning"));
    add_info_row (group, _("What counts as a response"), *rule != '\0' ? rule : events);
    if (*rule != '\0')
      add_info_row (group, _("Events that count as the first response"), events);
  }

  it_admin = format_acceptance (esc_sla_agreement_version_get_it_admin_acceptance (latest));
  partner = format_acceptance (esc_sla_agreement_version_get_partner_acceptance (latest));
  add_info_row (group, _("Accepted for the customer (IT administrator)"), it_admin);
  add_info_row (group, _("Accepted for the provider (partner manager)"), partner);

  if (state == ESC_SLA_VERSION_DRAFT)
    {
      gboolean admin = has_role (self, "it-admin");
      gboolean manager = has_role (self, "partner-manager");
      gboolean admin_can = admin && esc_sla_agreement_version_get_it_admin_acceptance (latest) == NULL;
      gboolean manager_can = manager && esc_sla_agreement_version_get_partner_acceptance (latest) == NULL;
      g_autofree char *accept = g_strdup_printf (_("Accept Version %u"),
                                                 esc_sla_agreement_version_get_version (latest));

      if (admin_can && manager_can)
        {
          new_button (GTK_BOX (buttons), _("Accept as IT Administrator"), G_CALLBACK (accept_clicked_cb),
                      self, agreement, "it-admin");
          new_button (GTK_BOX (buttons), _("Accept as Partner Manager"), G_CALLBACK (accept_clicked_cb),
                      self, agreement, "partner-manager");
        }
      else if (admin_can || manager_can)
        new_button (GTK_BOX (buttons), accept, G_CALLBACK (accept_clicked_cb), self, agreement, NULL);
      if (manager)
        new_button (GTK_BOX (buttons), _("Edit Draft"), G_CALLBACK (edit_clicked_cb), self, agreement, NULL);
    }
  else if (has_role (self, "partner-manager"))
    new_button (GTK_BOX (buttons), _("New Version"), G_CALLBACK (new_version_clicked_cb), self, agreement, NULL);

  if (in_force != NULL && has_role (self, "it-admin"))
    {
      g_autofree char *retire = g_strdup_printf (_("Retire Version %u"),
                                                 esc_sla_agreement_version_get_version (in_force));
      GtkWidget *button = new_button (GTK_BOX (buttons), retire, G_CALLBACK (retire_clicked_cb), self,
                                      agreement, NULL);

      /* The version in force, which is not the latest when a draft follows it */
      g_object_set_data_full (G_OBJECT (button), "version", g_object_ref (in_force), g_object_unref);
    }

  if (agreement->versions->len >= 2)
    add_comparison (group, agreement);

  gtk_box_append (self->agreements_box, GTK_WIDGET (group));
}

/* What compliance is measured against: each agreement's version in force,
 * or its latest draft while none is agreed */
static void
give_compliance_terms (EscSlaPage *self)
{
  g_autoptr(GPtrArray) versions = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->agreements->len; i++)
    {
      Agreement *agreement = g_ptr_array_index (self->agreements, i);
      EscSlaAgreementVersion *chosen = NULL;

      for (guint v = 0; agreement->versions != NULL && v < agreement->versions->len; v++)
        {
          EscSlaAgreementVersion *version = g_ptr_array_index (agreement->versions, v);

          if (esc_sla_agreement_version_get_state (version) == ESC_SLA_VERSION_AGREED)
            chosen = version;
        }
      if (chosen == NULL && agreement->versions != NULL && agreement->versions->len > 0)
        {
          EscSlaAgreementVersion *latest = g_ptr_array_index (agreement->versions, agreement->versions->len - 1);

          if (esc_sla_agreement_version_get_state (latest) == ESC_SLA_VERSION_DRAFT)
            chosen = latest;
        }
      if (chosen != NULL)
        g_ptr_array_add (versions, g_object_ref (chosen));
    }

  esc_sla_compliance_set_terms (self->compliance, versions, self->calendars);
}

static void
rebuild (EscSlaPage *self)
{
  GtkWidget *child;
  gboolean admin = has_role (self, "it-admin");
  gboolean manager = has_role (self, "partner-manager");

  gtk_widget_set_visible (self->calendars_header, admin || manager);
  gtk_widget_set_visible (self->agreements_header, admin || manager);
  gtk_widget_set_visible (self->new_agreement_button, manager);
  esc_sla_calendars_show (self, self->calendars_box, self->calendars, admin || manager, admin);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->agreements_box))) != NULL)
    gtk_box_remove (self->agreements_box, child);

  for (guint i = 0; i < self->agreements->len; i++)
    {
      Agreement *agreement = g_ptr_array_index (self->agreements, i);

      if (agreement->versions != NULL && agreement->versions->len > 0)
        add_agreement (self, agreement);
    }

  esc_ui_name_controls (GTK_WIDGET (self->agreements_box));
  esc_ui_name_controls (GTK_WIDGET (self->calendars_box));
  give_compliance_terms (self);

  if (self->agreements->len == 0 && !gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    show_status (self, _("No SLA agreement yet. A partner manager proposes one; both sides then accept it here."));
}

static void
set_pending (EscSlaPage *self,
             guint       pending)
{
  gboolean was_busy = self->pending > 0;

  self->pending = pending;
  if (was_busy != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

typedef struct
{
  EscSlaPage *self;
  Agreement  *agreement;
} HistoryData;

static void model_read_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
version_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data);

static void
history_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HistoryData *data = user_data;
  g_autoptr(EscSlaPage) self = data->self;
  Agreement *agreement = data->agreement;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);
  versions = esc_client_get_sla_agreement_history_finish (ESC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (versions == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The agreement %s could not be read: %s"),
                                               agreement->id, error->message);

      show_status (self, text);
    }
  else
    {
      EscSlaAgreementVersion *latest = g_ptr_array_index (versions, versions->len - 1);

      agreement->versions = g_steal_pointer (&versions);
      /* A draft is read again on its own, for the ETag of exactly what is shown */
      if (esc_sla_agreement_version_get_state (latest) == ESC_SLA_VERSION_DRAFT)
        {
          data = g_new0 (HistoryData, 1);
          data->self = g_object_ref (self);
          data->agreement = agreement;
          esc_client_get_sla_agreement_version_async (ESC_CLIENT (source), agreement->id,
                                                      esc_sla_agreement_version_get_version (latest),
                                                      self->cancellable, version_done_cb, data);
          return;
        }
    }

  set_pending (self, self->pending - 1);
  if (self->pending == 0)
    rebuild (self);
}

static void
version_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HistoryData *data = user_data;
  g_autoptr(EscSlaPage) self = data->self;
  Agreement *agreement = data->agreement;
  g_autoptr(EscSlaAgreementVersion) version = NULL;
  g_autoptr(GError) error = NULL;

  g_free (data);
  version = esc_client_get_sla_agreement_version_finish (ESC_CLIENT (source), result, &agreement->etag, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (version == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The agreement %s could not be read: %s"),
                                               agreement->id, error->message);

      show_status (self, text);
      g_clear_pointer (&agreement->versions, g_ptr_array_unref);
    }
  else
    {
      gpointer *slot = &g_ptr_array_index (agreement->versions, agreement->versions->len - 1);

      g_object_unref (*slot);
      *slot = g_steal_pointer (&version);
    }

  set_pending (self, self->pending - 1);
  if (self->pending == 0)
    rebuild (self);
}

static void
calendars_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EscSlaPage) self = user_data;
  g_autoptr(GPtrArray) calendars = NULL;
  g_autoptr(GError) error = NULL;

  calendars = esc_client_list_sla_calendars_finish (ESC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (calendars == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The calendars could not be read: %s"), error->message);

      show_status (self, text);
    }
  g_clear_pointer (&self->calendars, g_ptr_array_unref);
  self->calendars = g_steal_pointer (&calendars);

  set_pending (self, self->pending - 1);
  if (self->pending == 0)
    rebuild (self);
}

static void
list_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EscSlaPage) self = user_data;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  ids = esc_client_list_sla_agreements_finish (ESC_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (ids == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The agreements could not be read: %s"), error->message);

      show_status (self, text);
      set_pending (self, self->pending - 1);
      if (self->pending == 0)
        rebuild (self);
      return;
    }

  g_ptr_array_set_size (self->agreements, 0);
  set_pending (self, self->pending - 1 + ids->len);
  if (self->pending == 0)
    {
      rebuild (self);
      return;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      Agreement *agreement = g_new0 (Agreement, 1);
      HistoryData *data = g_new0 (HistoryData, 1);

      agreement->id = g_strdup (g_ptr_array_index (ids, i));
      g_ptr_array_add (self->agreements, agreement);
      data->self = g_object_ref (self);
      data->agreement = agreement;
      esc_client_get_sla_agreement_history_async (esc_session_get_client (self->session), agreement->id,
                                                  self->cancellable, history_done_cb, data);
    }
}

/**
 * esc_sla_page_reload:
 *
 * Reads the agreements from the service again (nothing when signed out, or
 * for an account that is neither an IT administrator nor a partner manager).
 */
void
esc_sla_page_reload (EscSlaPage *self)
{
  gboolean admin, manager;

  g_return_if_fail (ESC_IS_SLA_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_pending (self, 0);

  admin = has_role (self, "it-admin");
  manager = has_role (self, "partner-manager");
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_group), admin);
  gtk_widget_set_visible (self->calendars_header, admin || manager);
  gtk_widget_set_visible (self->agreements_header, admin || manager);
  gtk_widget_set_visible (self->new_agreement_button, manager);

  if (esc_account_get_identity (esc_session_get_account (self->session)) == NULL)
    {
      show_status (self, _("Sign in to see the SLA agreements."));
      return;
    }

  /* Everyone reads the support model */
  self->cancellable = g_cancellable_new ();
  set_pending (self, 1);
  esc_client_get_support_model_async (esc_session_get_client (self->session), self->cancellable,
                                      model_read_cb, g_object_ref (self));

  if (!admin && !manager)
    {
      g_ptr_array_set_size (self->agreements, 0);
      g_clear_pointer (&self->calendars, g_ptr_array_unref);
      rebuild (self);
      show_status (self, _("The SLA agreements are for IT administrators and partner managers."));
      return;
    }

  if (!gtk_widget_get_visible (GTK_WIDGET (self->status_label)) ||
      g_str_has_prefix (gtk_label_get_text (self->status_label), _("No SLA agreement yet.")))
    show_status (self, NULL);
  set_pending (self, self->pending + 2);
  esc_client_list_sla_agreements_async (esc_session_get_client (self->session), self->cancellable,
                                        list_done_cb, g_object_ref (self));
  esc_client_list_sla_calendars_async (esc_session_get_client (self->session), self->cancellable,
                                       calendars_done_cb, g_object_ref (self));
}

gboolean
esc_sla_page_get_busy (EscSlaPage *self)
{
  g_return_val_if_fail (ESC_IS_SLA_PAGE (self), FALSE);
  return self->pending > 0;
}

GtkWidget *
esc_sla_page_get_compliance (EscSlaPage *self)
{
  g_return_val_if_fail (ESC_IS_SLA_PAGE (self), NULL);
  return GTK_WIDGET (self->compliance);
}

EscSession *
esc_sla_page_get_session (EscSlaPage *self)
{
  return self->session;
}

void
esc_sla_page_show_status (EscSlaPage *self,
                          const char *text)
{
  show_status (self, text);
}

static void
new_calendar_clicked_cb (EscSlaPage *self)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  esc_sla_calendar_editor_open (self, NULL, NULL, self->calendars != NULL ? self->calendars : none);
}

/* The support model ---------------------------------------------------------- */

/* Shows the workspace's copy: what the exports print */
static void
load_support_model (EscSlaPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);
  g_autoptr(EscSupportModel) model = NULL;

  if (workspace == NULL)
    return;
  model = esc_sync_dup_support_model (workspace);
  adw_combo_row_set_selected (self->model_row, (guint)esc_support_model_get_kind (model));
  gtk_editable_set_text (GTK_EDITABLE (self->provider_row), esc_support_model_get_provider_name (model));
  gtk_editable_set_text (GTK_EDITABLE (self->contacts_row), esc_support_model_get_provider_contacts (model));
}

static void
watch_workspace (EscSlaPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);

  if (workspace == self->workspace)
    return;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    {
      const char *keys[] = {
        ESC_WORKSPACE_SETTING_SUPPORT_MODEL, ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER,
        ESC_WORKSPACE_SETTING_PROVIDER_CONTACTS,
      };

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autofree char *signal = g_strconcat ("setting-changed::", keys[i], NULL);

          g_signal_connect_object (workspace, signal, G_CALLBACK (load_support_model), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  load_support_model (self);
}

/* The service's model, kept in the workspace (the rows follow) */
static void
keep_support_model (EscSlaPage      *self,
                    EscSupportModel *model,
                    char            *etag)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);
  g_autoptr(GError) error = NULL;

  g_free (self->model_etag);
  self->model_etag = etag;
  if (workspace != NULL && !esc_sync_store_support_model (workspace, model, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The support model could not be saved: %s"), error->message);

      show_status (self, text);
    }
}

static void
model_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EscSlaPage) self = user_data;
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(GError) error = NULL;
  char *etag = NULL;

  model = esc_client_get_support_model_finish (ESC_CLIENT (source), result, &etag, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Unreadable (offline, an older service): the workspace's copy stays shown */
  if (model == NULL)
    g_debug ("The support model could not be read: %s", error->message);
  else
    keep_support_model (self, model, etag);

  set_pending (self, self->pending - 1);
  if (self->pending == 0)
    rebuild (self);
}

static void
model_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EscSlaPage) self = user_data;
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(GError) error = NULL;
  char *etag = NULL;

  gtk_widget_set_sensitive (self->save_model_button, TRUE);
  model = esc_client_put_support_model_finish (ESC_CLIENT (source), result, &etag, &error);
  if (model == NULL)
    {
      const char *field = esc_api_error_get_field (error);
      g_autofree char *text = g_strdup_printf (_("The support model could not be saved: %s"),
                                               esc_sla_error_text (error));

      if (g_strcmp0 (field, "/provider_name") == 0)
        esc_row_show_error (GTK_WIDGET (self->provider_row), esc_sla_error_text (error));
      else if (g_strcmp0 (field, "/provider_contacts") == 0)
        esc_row_show_error (GTK_WIDGET (self->contacts_row), esc_sla_error_text (error));
      show_status (self, text);
      /* Changed meanwhile: what is there now shows */
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_PRECONDITION_FAILED))
        esc_sla_page_reload (self);
      return;
    }

  keep_support_model (self, model, etag);
  show_status (self, NULL);
}

static void
save_model_clicked_cb (EscSlaPage *self)
{
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->model_row);

  esc_row_clear_error (GTK_WIDGET (self->provider_row));
  esc_row_clear_error (GTK_WIDGET (self->contacts_row));
  esc_row_clear_error (GTK_WIDGET (self->model_row));
  if (!has_role (self, "it-admin"))
    return;

  model = esc_support_model_new (selected <= ESC_SUPPORT_MODEL_PARTNER_LED ? (EscSupportModelKind)selected
                                                                           : ESC_SUPPORT_MODEL_NOT_CHOSEN,
                                 gtk_editable_get_text (GTK_EDITABLE (self->provider_row)),
                                 gtk_editable_get_text (GTK_EDITABLE (self->contacts_row)));
  if (esc_support_model_get_kind (model) == ESC_SUPPORT_MODEL_NOT_CHOSEN)
    {
      esc_row_show_error (GTK_WIDGET (self->model_row), _("Choose customer-led or partner-led support."));
      gtk_widget_grab_focus (GTK_WIDGET (self->model_row));
      return;
    }
  if (esc_support_model_get_kind (model) == ESC_SUPPORT_MODEL_PARTNER_LED &&
      *esc_support_model_get_provider_name (model) == '\0')
    {
      esc_row_show_error (GTK_WIDGET (self->provider_row),
                          _("Name the support provider: support is partner-led."));
      gtk_widget_grab_focus (GTK_WIDGET (self->provider_row));
      return;
    }
  if (!esc_support_model_validate (model, &error))
    {
      g_autofree char *pointer = esc_sla_error_dup_pointer (error);
      GtkWidget *row = g_strcmp0 (pointer, "/provider_contacts") == 0 ? GTK_WIDGET (self->contacts_row)
                                                                       : GTK_WIDGET (self->provider_row);

      esc_row_show_error (row, error->message);
      gtk_widget_grab_focus (row);
      return;
    }

  gtk_widget_set_sensitive (self->save_model_button, FALSE);
  esc_client_put_support_model_async (esc_session_get_client (self->session), model, self->model_etag,
                                      NULL, model_saved_cb, g_object_ref (self));
}

/* GObject -------------------------------------------------------------------- */

static void
esc_sla_page_dispose (GObject *object)
{
  EscSlaPage *self = (EscSlaPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_SLA_PAGE);
  g_clear_pointer (&self->agreements, g_ptr_array_unref);
  g_clear_pointer (&self->calendars, g_ptr_array_unref);
  g_clear_pointer (&self->model_etag, g_free);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_sla_page_parent_class)->dispose (object);
}

static void
esc_sla_page_constructed (GObject *object)
{
  EscSlaPage *self = (EscSlaPage *)object;

  G_OBJECT_CLASS (esc_sla_page_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (watch_workspace), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_session_get_account (self->session), "notify::identity",
                           G_CALLBACK (esc_sla_page_reload), self, G_CONNECT_SWAPPED);
  watch_workspace (self);

  self->compliance = esc_sla_compliance_new (self->session);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->calendars_box))),
                  GTK_WIDGET (self->compliance));

  esc_sla_page_reload (self);
}

static void
esc_sla_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EscSlaPage *self = (EscSlaPage *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_sla_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EscSlaPage *self = (EscSlaPage *)object;

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
esc_sla_page_class_init (EscSlaPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_sla_page_constructed;
  object_class->dispose = esc_sla_page_dispose;
  object_class->get_property = esc_sla_page_get_property;
  object_class->set_property = esc_sla_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-sla-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, model_group);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, save_model_button);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, provider_row);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, contacts_row);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, agreements_box);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, calendars_header);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, agreements_header);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, new_agreement_button);
  gtk_widget_class_bind_template_callback (widget_class, new_agreement_clicked_cb);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, new_calendar_button);
  gtk_widget_class_bind_template_child (widget_class, EscSlaPage, calendars_box);
  gtk_widget_class_bind_template_callback (widget_class, new_calendar_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_model_clicked_cb);
}

static void
esc_sla_page_init (EscSlaPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "esc-sla");
  esc_ui_combo_row_name_values (self->model_row);
  esc_ui_name_controls (GTK_WIDGET (self));
  self->agreements = g_ptr_array_new_with_free_func (agreement_free);
}

/**
 * esc_sla_page_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the SLAs screen
 */
EscSlaPage *
esc_sla_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_SLA_PAGE, "session", session, NULL);
}
