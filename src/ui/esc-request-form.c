/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-categories.h"
#include "esc-core-error.h"
#include "esc-date-time-row.h"
#include "esc-language-row.h"
#include "esc-outbox.h"
#include "esc-request-form-private.h"
#include "esc-request-format.h"
#include "esc-request-text-row.h"
#include "esc-routing.h"
#include "esc-severity.h"
#include "esc-support-request.h"
#include "esc-ui-private.h"

#define DRAFT_DELAY_MS 500

G_DEFINE_FINAL_TYPE (EscRequestForm, esc_request_form, ADW_TYPE_WINDOW)

enum {
  FILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
esc_request_form_map (GtkWidget *widget)
{
  EscRequestForm *self = ESC_REQUEST_FORM (widget);

  GTK_WIDGET_CLASS (esc_request_form_parent_class)->map (widget);

  if (self->focus_on_map != NULL)
    {
      GtkWidget *row = self->focus_on_map;

      g_clear_weak_pointer (&self->focus_on_map);
      esc_request_form_focus_first_error (self, row);
    }
}

/* Categories ------------------------------------------------------------------------- */

static void
update_subcategories (EscRequestForm *self)
{
  const EscCategory *category = esc_request_form_selected_category (self);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; category != NULL && i < category->n_subcategories; i++)
    gtk_string_list_append (names, esc_subcategory_get_label (&category->subcategories[i]));

  adw_combo_row_set_model (self->subcategory_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->subcategory_row, 0);
}

static void
category_changed_cb (EscRequestForm *self)
{
  update_subcategories (self);
  esc_request_form_apply_routing_hint (self);
  esc_request_form_update_admin_contact (self);
}

static void
subcategory_changed_cb (EscRequestForm *self)
{
  esc_request_form_apply_routing_hint (self);
}

/* Drafts --------------------------------------------------------------------------- */

static gboolean
save_draft_cb (gpointer user_data)
{
  EscRequestForm *self = user_data;

  self->draft_source = 0;
  esc_request_form_save_draft (self);

  return G_SOURCE_REMOVE;
}

void
esc_request_form_schedule_draft (EscRequestForm *self)
{
  if (self->loading || self->draft_key == NULL)
    return;

  g_clear_handle_id (&self->draft_source, g_source_remove);
  self->draft_source = g_timeout_add (DRAFT_DELAY_MS, save_draft_cb, self);
}

static void
field_edited_cb (GtkWidget      *row,
                 EscRequestForm *self)
{
  if (g_hash_table_contains (self->errors, row))
    esc_request_form_clear_row_error (self, row);

  esc_request_form_schedule_draft (self);
}

static void
combo_edited_cb (GtkWidget      *row,
                 GParamSpec     *pspec,
                 EscRequestForm *self)
{
  field_edited_cb (row, self);
}

static void
text_edited_cb (GtkTextBuffer  *buffer,
                EscRequestForm *self)
{
  field_edited_cb (g_object_get_data (G_OBJECT (buffer), "esc-row"), self);
}

static void
kind_or_type_changed_cb (EscRequestForm *self)
{
  static const char * const type_help[] = {
    N_("The operations team must investigate, such as a widespread impact of a change or an outage."),
    N_("Planned network, proxy, VPN, certificate or identity-sync changes, or a question."),
    N_("The operations team must change something, such as moving devices between update groups."),
  };

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->type_row),
                               _(type_help[MIN (adw_combo_row_get_selected (self->type_row),
                                                G_N_ELEMENTS (type_help) - 1)]));
  esc_request_form_update_severity_rules (self);
}

static void
severity_toggled_cb (EscRequestForm *self)
{
  esc_request_form_update_severity_rules (self);
  esc_request_form_schedule_draft (self);
}

/* Filing -------------------------------------------------------------------------- */

static void
show_error_dialog (EscRequestForm *self,
                   const char     *heading,
                   const char     *body)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
file_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRequestForm *self = ESC_REQUEST_FORM (widget);
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_field_error_free);
  g_autoptr(GPtrArray) rule_problems = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  gboolean ok;

  esc_request_form_clear_errors (self);

  /* Every problem at once, the first on screen brought into view; who may
   * file which kind is the sender's to say (and the service's) */
  request = esc_request_form_build_request (self, problems);
  rule_problems = esc_support_request_validate_all (request, ESC_SUPPORT_FILER_ANY, now);
  g_ptr_array_extend_and_steal (problems, g_steal_pointer (&rule_problems));
  if (problems->len > 0)
    {
      esc_request_form_show_field_errors (self, problems);
      return;
    }

  if (self->edit_item_id != 0)
    ok = esc_outbox_sender_edit_support_request (self->sender, self->edit_item_id, request, &field, &error);
  else
    ok = (item = esc_outbox_sender_file_support_request (self->sender, request, &field, &error)) != NULL;

  if (!ok)
    {
      if (g_error_matches (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD) ||
          g_error_matches (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE) ||
          field != NULL)
        {
          esc_request_form_show_field_error (self, field, error->message);
          esc_request_form_focus_first_error (self, esc_request_form_row_for_field (self, field));
        }
      else
        show_error_dialog (self, _("The Request Could Not Be Queued"), error->message);
      return;
    }

  esc_request_form_remember_contact (self, request);

  /* Queued: the draft has served its purpose */
  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->draft_key != NULL)
    {
      g_autoptr(GError) draft_error = NULL;

      if (!esc_workspace_discard_draft (self->workspace, self->draft_key,
                                        ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST, &draft_error))
        g_debug ("The draft stays: %s", draft_error->message);
      g_clear_pointer (&self->draft_key, g_free);
    }

  g_signal_emit (self, signals[FILED], 0, item);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* GObject -------------------------------------------------------------------------- */

static gboolean
esc_request_form_close_request (GtkWindow *window)
{
  EscRequestForm *self = ESC_REQUEST_FORM (window);

  /* Closing keeps what was typed for next time */
  if (self->draft_source != 0)
    {
      g_clear_handle_id (&self->draft_source, g_source_remove);
      esc_request_form_save_draft (self);
    }

  return GTK_WINDOW_CLASS (esc_request_form_parent_class)->close_request (window);
}

static void
esc_request_form_dispose (GObject *object)
{
  EscRequestForm *self = (EscRequestForm *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->draft_source, g_source_remove);
  g_clear_weak_pointer (&self->focus_on_map);
  g_clear_weak_pointer (&self->scroll_target);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;

  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_REQUEST_FORM);

  g_clear_object (&self->workspace);
  g_clear_object (&self->sender);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->admin_contacts, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_request_form_parent_class)->dispose (object);
}

static void
esc_request_form_finalize (GObject *object)
{
  EscRequestForm *self = (EscRequestForm *)object;

  g_clear_pointer (&self->kinds, g_array_unref);
  g_clear_pointer (&self->field_rows, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_clear_pointer (&self->draft_key, g_free);

  G_OBJECT_CLASS (esc_request_form_parent_class)->finalize (object);
}

static void
esc_request_form_class_init (EscRequestFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = esc_request_form_dispose;
  object_class->finalize = esc_request_form_finalize;
  window_class->close_request = esc_request_form_close_request;
  widget_class->map = esc_request_form_map;

  /**
   * EscRequestForm::filed:
   * @self: the form
   * @item: (nullable): the queued change, or %NULL when a refused one was corrected
   *
   * The request was queued in the outbox; the form closes.
   */
  signals[FILED] =
    g_signal_new ("filed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ESC_TYPE_OUTBOX_ITEM);

  g_type_ensure (ESC_TYPE_REQUEST_TEXT_ROW);
  g_type_ensure (ESC_TYPE_DATE_TIME_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-request-form.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, window_title);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, file_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, page);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, hardware_switch);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, service_switch);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, answer_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, answer_icon);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, request_group);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, kind_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, type_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, category_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, subcategory_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, title_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, description_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_fixed_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_a_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_b_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_c_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_a_check);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_b_check);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, severity_c_check);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, engagement_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, given_name_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, surname_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, email_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, phone_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, method_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, language_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, admin_contact_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, impacted_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, business_impact_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, first_noticed_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, reproduced_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, end_user_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, troubleshooting_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, repro_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, devices_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestForm, related_ticket_row);
  gtk_widget_class_bind_template_callback_full (widget_class, "facts_changed_cb",
                                                G_CALLBACK (esc_request_form_facts_changed_cb));
  gtk_widget_class_bind_template_callback (widget_class, severity_toggled_cb);

  gtk_widget_class_install_action (widget_class, "form.file", NULL, file_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
esc_request_form_init (EscRequestForm *self)
{
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));
  {
    AdwComboRow *combo_rows[] = { self->kind_row, self->type_row, self->category_row, self->subcategory_row,
                                  self->engagement_row, self->method_row, self->language_row,
                                  self->reproduced_row, self->end_user_row };

    for (guint i = 0; i < G_N_ELEMENTS (combo_rows); i++)
      esc_ui_combo_row_name_values (combo_rows[i]);
  }

  /* Ctrl+Return files from any field: before the field sees the key (a
   * multi-line text would take it as a new line) */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (
                                                            gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                            gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                                                          gtk_named_action_new ("form.file")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->settings = g_settings_new (APPLICATION_ID);

  self->cancellable = g_cancellable_new ();
  self->kinds = g_array_new (FALSE, FALSE, sizeof (EscSupportRequestKind));
  self->errors = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->field_rows = g_hash_table_new (g_str_hash, g_str_equal);
}

static void
map_field (EscRequestForm *self,
           const char     *field,
           gpointer        row)
{
  g_hash_table_insert (self->field_rows, (gpointer)field, row);

  if (ADW_IS_ENTRY_ROW (row))
    g_signal_connect (row, "changed", G_CALLBACK (field_edited_cb), self);
  else if (ADW_IS_COMBO_ROW (row))
    g_signal_connect (row, "notify::selected", G_CALLBACK (combo_edited_cb), self);
  else if (ESC_IS_DATE_TIME_ROW (row))
    g_signal_connect (row, "notify::value", G_CALLBACK (combo_edited_cb), self);
  else if (ESC_IS_REQUEST_TEXT_ROW (row))
    {
      GtkTextBuffer *buffer = esc_request_text_row_get_buffer (row);

      g_object_set_data (G_OBJECT (buffer), "esc-row", row);
      g_signal_connect (buffer, "changed", G_CALLBACK (text_edited_cb), self);
    }
}

static void
setup_kinds (EscRequestForm *self)
{
  EscIdentity *identity = esc_account_get_identity (esc_outbox_sender_get_account (self->sender));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gboolean admin = identity == NULL || esc_identity_has_role (identity, "it-admin");
  gboolean escalation = identity == NULL ||
                        g_strv_contains (esc_identity_get_designations (identity), "escalation");
  EscSupportRequestKind kind;

  if (admin)
    {
      kind = ESC_SUPPORT_REQUEST_KIND_ADMIN;
      g_array_append_val (self->kinds, kind);
      gtk_string_list_append (names, _("Admin support request"));
    }
  /* Only the designated escalation support team escalates */
  if (escalation)
    {
      kind = ESC_SUPPORT_REQUEST_KIND_ESCALATION;
      g_array_append_val (self->kinds, kind);
      gtk_string_list_append (names, _("Escalation"));
    }

  adw_combo_row_set_model (self->kind_row, G_LIST_MODEL (names));

  if (self->kinds->len == 0)
    adw_preferences_group_set_description (self->request_group,
                                 _("Only IT administrators and the designated escalation support team file support requests."));
  else if (!escalation)
    adw_preferences_group_set_description (self->request_group,
                                 _("Escalations are for the designated escalation support team."));
  else if (identity == NULL)
    adw_preferences_group_set_description (self->request_group,
                                 _("Not connected: the service checks who may file which kind when the request is sent."));
  else if (!admin)
    adw_preferences_group_set_description (self->request_group,
                                 _("As designated support staff, you escalate at severity C."));
}

static void
setup_lists (EscRequestForm *self)
{
  g_autoptr(GtkStringList) type_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) category_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) engagements = gtk_string_list_new (NULL);
  const EscCategory *categories;
  guint n;

  gtk_string_list_append (type_names, _("Incident"));
  gtk_string_list_append (type_names, _("Request for information"));
  gtk_string_list_append (type_names, _("Change request"));
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (type_names));

  gtk_string_list_append (engagements, _("Admin support hours, Monday to Friday"));
  gtk_string_list_append (engagements, _("24 hours a day, 7 days a week"));
  adw_combo_row_set_model (self->engagement_row, G_LIST_MODEL (engagements));

  categories = esc_categories_get (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (category_names, esc_category_get_label (&categories[i]));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (category_names));
}

/**
 * esc_request_form_new:
 * @parent: (nullable): the window the form belongs to
 * @session: the application's session, its workspace open (severities, routing rules,
 *   categories, drafts; the outbox sender files)
 *
 * Returns: (transfer none): a new form, with the draft of the signed-in
 *   account if there is one
 */
EscRequestForm *
esc_request_form_new (GtkWindow  *parent,
                      EscSession *session)
{
  EscWorkspace *workspace;
  EscOutboxSender *sender;
  EscRequestForm *self;
  EscAccount *account;
  EscIdentity *identity;
  g_autoptr(JsonNode) draft = NULL;
  g_autofree char *draft_text = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  workspace = esc_session_get_workspace (session);
  sender = esc_session_get_sender (session);
  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (sender), NULL);

  self = g_object_new (ESC_TYPE_REQUEST_FORM,
                       "transient-for", parent,
                       NULL);
  self->workspace = g_object_ref (workspace);
  self->sender = g_object_ref (sender);
  account = esc_outbox_sender_get_account (sender);
  identity = esc_account_get_identity (account);

  self->loading = TRUE;

  setup_kinds (self);
  setup_lists (self);
  esc_language_row_setup (self->language_row);
  esc_request_form_update_severity_texts (self);
  g_signal_connect_object (esc_workspace_get_severities (workspace), "items-changed",
                           G_CALLBACK (esc_request_form_update_severity_texts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_workspace_get_routing_rules (workspace), "items-changed",
                           G_CALLBACK (esc_request_form_facts_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_swapped (self->kind_row, "notify::selected", G_CALLBACK (kind_or_type_changed_cb), self);
  g_signal_connect_swapped (self->type_row, "notify::selected", G_CALLBACK (kind_or_type_changed_cb), self);
  g_signal_connect_swapped (self->category_row, "notify::selected", G_CALLBACK (category_changed_cb), self);
  g_signal_connect_swapped (self->subcategory_row, "notify::selected", G_CALLBACK (subcategory_changed_cb), self);

  map_field (self, "/kind", self->kind_row);
  map_field (self, "/type", self->type_row);
  map_field (self, "/category", self->category_row);
  map_field (self, "/subcategory", self->subcategory_row);
  map_field (self, "/title", self->title_row);
  map_field (self, "/description", self->description_row);
  map_field (self, "/severity", self->severity_c_row);
  map_field (self, "/engagement", self->engagement_row);
  map_field (self, "/contact", self->given_name_row);
  map_field (self, "/contact/given_name", self->given_name_row);
  map_field (self, "/contact/surname", self->surname_row);
  map_field (self, "/contact/email", self->email_row);
  map_field (self, "/contact/phone", self->phone_row);
  map_field (self, "/contact/preferred_method", self->method_row);
  map_field (self, "/contact/language", self->language_row);
  map_field (self, "/users_or_devices_impacted", self->impacted_row);
  map_field (self, "/business_impact", self->business_impact_row);
  map_field (self, "/first_noticed_at", self->first_noticed_row);
  map_field (self, "/reproduced_on_unmanaged_device", self->reproduced_row);
  map_field (self, "/end_user_support_engaged", self->end_user_row);
  map_field (self, "/troubleshooting_steps", self->troubleshooting_row);
  map_field (self, "/steps_to_reproduce", self->repro_row);
  map_field (self, "/devices", self->devices_row);
  map_field (self, "/related_ticket", self->related_ticket_row);

  esc_request_form_mark_required (GTK_WIDGET (self->title_row));
  esc_request_form_mark_required (GTK_WIDGET (self->description_row));
  esc_request_form_mark_required (GTK_WIDGET (self->given_name_row));
  esc_request_form_mark_required (GTK_WIDGET (self->surname_row));
  esc_request_form_mark_required (GTK_WIDGET (self->email_row));
  esc_request_form_mark_required (GTK_WIDGET (self->phone_row));

  category_changed_cb (self);
  kind_or_type_changed_cb (self);
  esc_request_form_prefill_contact (self);

  /* The draft of this account, as it was left (even by a crash) */
  self->draft_key = g_strdup_printf ("%s\n%s",
                                     esc_account_get_service_url (account) != NULL
                                     ? esc_account_get_service_url (account) : "",
                                     esc_account_get_user (account) != NULL
                                     ? esc_account_get_user (account) : "");
  draft_text = esc_workspace_load_draft (workspace, self->draft_key,
                                         ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST, NULL, &error);
  if (error != NULL)
    g_debug ("No draft: %s", error->message);
  if (draft_text != NULL)
    draft = json_from_string (draft_text, NULL);
  if (draft != NULL)
    {
      esc_request_form_fill_from_draft (self, draft);
      adw_window_title_set_subtitle (self->window_title, _("Draft restored"));
    }

  self->loading = FALSE;
  esc_request_form_facts_changed_cb (self);
  self->facts_touched = draft != NULL && self->facts_touched;
  esc_request_form_update_severity_rules (self);

  if (identity != NULL && esc_identity_has_role (identity, "it-admin"))
    esc_client_list_admin_contacts_async (esc_account_get_client (account), self->cancellable,
                                          esc_request_form_admin_contacts_cb, g_object_ref (self));

  esc_request_form_focus_first_error (self, GTK_WIDGET (self->title_row));

  return self;
}

void
esc_request_form_edit_item (EscRequestForm *self,
                            EscOutboxItem  *item)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ESC_IS_REQUEST_FORM (self));
  g_return_if_fail (ESC_IS_OUTBOX_ITEM (item));
  g_return_if_fail (esc_outbox_item_get_kind (item) == ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST);

  /* A refused request is not the draft: leave the draft alone */
  g_clear_handle_id (&self->draft_source, g_source_remove);
  g_clear_pointer (&self->draft_key, g_free);

  self->edit_item_id = esc_outbox_item_get_id (item);
  gtk_window_set_title (GTK_WINDOW (self), _("Correct Refused Request"));
  adw_window_title_set_title (self->window_title, _("Correct Refused Request"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_button_set_label (self->file_button, _("_Send Again"));

  if (!json_parser_load_from_data (parser, esc_outbox_item_get_body (item), -1, &error) ||
      !(request = esc_support_request_new_from_json (json_parser_get_root (parser),
                                                     ESC_SUPPORT_REQUEST_JSON_CREATE, NULL, &error)))
    {
      show_error_dialog (self, _("The Refused Request Cannot Be Read"), error->message);
      return;
    }

  self->loading = TRUE;
  esc_request_form_fill_from_request (self, request);
  /* It was filed here, so it was the operations team's */
  gtk_switch_set_active (self->service_switch, TRUE);
  gtk_switch_set_active (self->hardware_switch, FALSE);
  self->facts_touched = TRUE;
  self->loading = FALSE;
  esc_request_form_facts_changed_cb (self);
  esc_request_form_update_severity_rules (self);

  /* Why the service refused it, under the field it named */
  if (esc_outbox_item_get_error_message (item) != NULL)
    {
      esc_request_form_show_field_error (self, esc_outbox_item_get_error_field (item),
                        esc_outbox_item_get_error_message (item));
      esc_request_form_focus_first_error (self, esc_request_form_row_for_field (self, esc_outbox_item_get_error_field (item)));
    }
}

const char *
esc_request_form_get_suggested_team (EscRequestForm *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_FORM (self), NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->answer_row));
}

gboolean
esc_request_form_get_can_file (EscRequestForm *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_FORM (self), FALSE);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->file_button));
}

const char *
esc_request_form_get_severity (EscRequestForm *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_FORM (self), NULL);
  return esc_support_severity_to_string (esc_request_form_selected_severity (self));
}

const char *
esc_request_form_get_field_error (EscRequestForm *self,
                                  const char     *field)
{
  GtkWidget *row;

  g_return_val_if_fail (ESC_IS_REQUEST_FORM (self), NULL);

  row = esc_request_form_row_for_field (self, field);
  return row != NULL ? g_hash_table_lookup (self->errors, row) : NULL;
}

void
esc_request_form_save_draft (EscRequestForm *self)
{
  g_autoptr(JsonNode) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (ESC_IS_REQUEST_FORM (self));

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->draft_key == NULL)
    return;

  draft = esc_request_form_draft_to_json (self);
  text = json_to_string (draft, FALSE);
  if (!esc_workspace_save_draft (self->workspace, self->draft_key,
                                 ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST, text, &error))
    {
      adw_window_title_set_subtitle (self->window_title, _("The draft could not be saved"));
      g_debug ("Saving the draft: %s", error->message);
      return;
    }

  adw_window_title_set_subtitle (self->window_title, _("Draft saved"));
}
