/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-language-row.h"
#include "esc-request-editor.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-request-text-row.h"
#include "esc-ui-private.h"

struct _EscRequestEditor
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwWindowTitle    *window_title;
  AdwComboRow       *severity_row;
  AdwComboRow       *engagement_row;
  AdwEntryRow       *given_name_row;
  AdwEntryRow       *surname_row;
  AdwEntryRow       *email_row;
  AdwEntryRow       *phone_row;
  AdwComboRow       *method_row;
  AdwComboRow       *language_row;
  EscRequestTextRow *notes_row;

  /* Owned references */
  EscOutboxSender   *sender;
  EscSupportRequest *request;
  GPtrArray         *error_rows;
  guint              language_shown; /* the language selected as the request has it */
};

G_DEFINE_FINAL_TYPE (EscRequestEditor, esc_request_editor, ADW_TYPE_WINDOW)

static char *
entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_entry (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
severity_changed_cb (EscRequestEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->engagement_row),
                          adw_combo_row_get_selected (self->severity_row) == ESC_SUPPORT_SEVERITY_B);
}

static GtkWidget *
row_for_field (EscRequestEditor *self,
               const char       *field)
{
  static const struct { const char *field; gsize offset; } rows[] = {
    { "/severity", G_STRUCT_OFFSET (EscRequestEditor, severity_row) },
    { "/engagement", G_STRUCT_OFFSET (EscRequestEditor, engagement_row) },
    { "/contact/given_name", G_STRUCT_OFFSET (EscRequestEditor, given_name_row) },
    { "/contact/surname", G_STRUCT_OFFSET (EscRequestEditor, surname_row) },
    { "/contact/email", G_STRUCT_OFFSET (EscRequestEditor, email_row) },
    { "/contact/phone", G_STRUCT_OFFSET (EscRequestEditor, phone_row) },
    { "/contact/preferred_method", G_STRUCT_OFFSET (EscRequestEditor, method_row) },
    { "/contact/language", G_STRUCT_OFFSET (EscRequestEditor, language_row) },
    { "/notes", G_STRUCT_OFFSET (EscRequestEditor, notes_row) },
  };

  for (guint i = 0; field != NULL && i < G_N_ELEMENTS (rows); i++)
    {
      if (g_str_equal (field, rows[i].field))
        return G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset);
    }

  return GTK_WIDGET (self->given_name_row);
}

static void
clear_errors (EscRequestEditor *self)
{
  for (guint i = 0; i < self->error_rows->len; i++)
    esc_row_clear_error (g_ptr_array_index (self->error_rows, i));
  g_ptr_array_set_size (self->error_rows, 0);
}

static void
show_error (EscRequestEditor *self,
            const char       *field,
            const char       *message)
{
  GtkWidget *row = row_for_field (self, field);

  esc_row_show_error (row, message);
  g_ptr_array_add (self->error_rows, row);
  gtk_widget_grab_focus (row);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRequestEditor *self = ESC_REQUEST_EDITOR (widget);
  g_autoptr(JsonNode) copy_node = NULL;
  g_autoptr(EscSupportRequest) edited = NULL;
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonNode) patch_node = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *given_name = entry_text (self->given_name_row);
  g_autofree char *surname = entry_text (self->surname_row);
  g_autofree char *email = entry_text (self->email_row);
  g_autofree char *phone = entry_text (self->phone_row);
  /* The contact's tag as it came ("fr-FR") unless another language was chosen */
  const char *language = adw_combo_row_get_selected (self->language_row) == self->language_shown &&
                         esc_support_request_get_contact (self->request) != NULL
                         ? esc_support_request_get_contact (self->request)->language
                         : esc_language_row_get_tag (self->language_row);
  g_autofree char *notes = esc_request_text_row_dup_text (self->notes_row);
  EscSupportSeverity severity = adw_combo_row_get_selected (self->severity_row);
  EscSupportEngagement engagement = ESC_SUPPORT_ENGAGEMENT_NONE;

  clear_errors (self);

  /* The request as it would be: the core's rules hold for edits too */
  copy_node = esc_support_request_to_json (self->request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
  edited = esc_support_request_new_from_json (copy_node, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, &error);
  if (edited == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }

  if (severity == ESC_SUPPORT_SEVERITY_B)
    engagement = adw_combo_row_get_selected (self->engagement_row) == 1 ? ESC_SUPPORT_ENGAGEMENT_24X7
                                                                         : ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS;
  if (severity != esc_support_request_get_severity (self->request))
    json_object_set_string_member (patch, "severity", esc_support_severity_to_string (severity));
  if (engagement != esc_support_request_get_engagement (self->request) &&
      engagement != ESC_SUPPORT_ENGAGEMENT_NONE)
    json_object_set_string_member (patch, "engagement", esc_support_engagement_to_string (engagement));
  esc_support_request_set_severity (edited, severity);
  esc_support_request_set_engagement (edited, engagement);

  contact = esc_support_contact_new (given_name, surname, email, phone,
                                     adw_combo_row_get_selected (self->method_row) == 1
                                     ? ESC_CONTACT_METHOD_PHONE : ESC_CONTACT_METHOD_EMAIL,
                                     language);
  if (!esc_support_contact_equal (contact, esc_support_request_get_contact (self->request)))
    json_object_set_member (patch, "contact", esc_support_contact_to_json (contact));
  esc_support_request_set_contact (edited, contact);

  if (g_strcmp0 (notes, esc_support_request_get_notes (self->request)) != 0)
    {
      if (notes != NULL)
        json_object_set_string_member (patch, "notes", notes);
      else
        json_object_set_null_member (patch, "notes");
    }
  esc_support_request_set_notes (edited, notes);

  if (!esc_support_request_validate (edited, ESC_SUPPORT_FILER_ANY, &field, &error))
    {
      show_error (self, field, error->message);
      return;
    }

  if (json_object_get_size (patch) == 0)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  patch_node = json_node_init_object (json_node_alloc (), patch);
  item = esc_outbox_sender_patch_support_request (self->sender, esc_support_request_get_id (self->request),
                                                  patch_node, &error);
  if (item == NULL)
    {
      show_error (self, NULL, error->message);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
esc_request_editor_dispose (GObject *object)
{
  EscRequestEditor *self = (EscRequestEditor *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_REQUEST_EDITOR);

  g_clear_object (&self->sender);
  g_clear_object (&self->request);

  G_OBJECT_CLASS (esc_request_editor_parent_class)->dispose (object);
}

static void
esc_request_editor_finalize (GObject *object)
{
  EscRequestEditor *self = (EscRequestEditor *)object;

  g_clear_pointer (&self->error_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_request_editor_parent_class)->finalize (object);
}

static void
esc_request_editor_class_init (EscRequestEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_request_editor_dispose;
  object_class->finalize = esc_request_editor_finalize;

  g_type_ensure (ESC_TYPE_REQUEST_TEXT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-request-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, severity_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, engagement_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, given_name_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, surname_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, email_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, phone_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, method_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestEditor, notes_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "editor.save", NULL);
}

static void
esc_request_editor_init (EscRequestEditor *self)
{
  g_autoptr(GtkStringList) severities = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) engagements = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));
  esc_ui_combo_row_name_values (self->severity_row);
  esc_ui_combo_row_name_values (self->engagement_row);
  esc_ui_combo_row_name_values (self->method_row);
  esc_language_row_setup (self->language_row);
  esc_ui_combo_row_name_values (self->language_row);
  self->language_shown = GTK_INVALID_LIST_POSITION;

  self->error_rows = g_ptr_array_new ();

  for (EscSupportSeverity s = ESC_SUPPORT_SEVERITY_A; s <= ESC_SUPPORT_SEVERITY_C; s++)
    gtk_string_list_append (severities, esc_support_severity_get_label (s));
  adw_combo_row_set_model (self->severity_row, G_LIST_MODEL (severities));

  gtk_string_list_append (engagements, _("Admin support hours, Monday to Friday"));
  gtk_string_list_append (engagements, _("24 hours a day, 7 days a week"));
  adw_combo_row_set_model (self->engagement_row, G_LIST_MODEL (engagements));

  g_signal_connect_swapped (self->severity_row, "notify::selected", G_CALLBACK (severity_changed_cb), self);
}

/**
 * esc_request_editor_new:
 * @parent: (nullable): the window it belongs to
 * @sender: the application's outbox sender
 * @request: an open request
 *
 * Returns: (transfer none): a new editor, filled with @request
 */
EscRequestEditor *
esc_request_editor_new (GtkWindow         *parent,
                        EscOutboxSender   *sender,
                        EscSupportRequest *request)
{
  EscRequestEditor *self;
  const EscSupportContact *contact;
  g_autofree char *title = NULL;
  const char *fixed = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (sender), NULL);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (request), NULL);

  self = g_object_new (ESC_TYPE_REQUEST_EDITOR, "transient-for", parent, NULL);
  self->sender = g_object_ref (sender);
  self->request = g_object_ref (request);

  /* Translators: the title of the window that edits a request, e.g. "Edit SR-000123" */
  title = g_strdup_printf (_("Edit %s"), esc_support_request_get_id (request));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, esc_support_request_get_title (request));

  adw_combo_row_set_selected (self->severity_row, esc_support_request_get_severity (request));
  adw_combo_row_set_selected (self->engagement_row,
                              esc_support_request_get_engagement (request) == ESC_SUPPORT_ENGAGEMENT_24X7);
  severity_changed_cb (self);

  if (esc_support_request_get_kind (request) == ESC_SUPPORT_REQUEST_KIND_ESCALATION)
    fixed = _("Escalations are always severity C.");
  else if (esc_support_request_get_request_type (request) == ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST)
    fixed = _("Change requests are always severity C.");
  if (fixed != NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->severity_row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->severity_row), fixed);
    }

  contact = esc_support_request_get_contact (request);
  if (contact != NULL)
    {
      set_entry (self->given_name_row, contact->given_name);
      set_entry (self->surname_row, contact->surname);
      set_entry (self->email_row, contact->email);
      set_entry (self->phone_row, contact->phone);
      adw_combo_row_set_selected (self->method_row, contact->preferred_method == ESC_CONTACT_METHOD_PHONE);
      esc_language_row_select (self->language_row, contact->language);
      self->language_shown = adw_combo_row_get_selected (self->language_row);
    }
  esc_request_text_row_set_text (self->notes_row, esc_support_request_get_notes (request));

  return self;
}
