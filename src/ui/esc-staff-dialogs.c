/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-staff-dialogs.h"
#include "esc-staff-format.h"
#include "esc-staff-import.h"

/* Adding, importing and removing people change who may sign in: these wait
 * for the service's answer rather than going through the outbox, and each
 * carries an idempotency key, so that a retry never adds anyone twice. The
 * mirror is synced again after each. */

static void
add_toast (GtkWidget  *widget,
           const char *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!esc_sync_run_finish (ESC_SYNC (object), result, &error))
    g_debug ("The staff could not be synced after a change: %s", error->message);
}

static void
sync_now (EscSession *session)
{
  EscSync *sync = esc_session_get_sync (session);

  if (sync != NULL)
    esc_sync_run_async (sync, NULL, synced_cb, NULL);
}

static GtkWidget *
new_dialog (GtkWidget   *parent,
            const char  *title,
            const char  *action,
            GtkWidget  **out_action,
            GtkWidget  **out_content)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 600);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (gtk_widget_get_root (parent)));

  *out_action = gtk_button_new_with_mnemonic (action);
  gtk_widget_add_css_class (*out_action, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), *out_action);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_widget (GTK_WINDOW (window), *out_action);

  *out_content = page;
  return window;
}

static GtkWidget *
new_error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  return label;
}

/* Add one person -------------------------------------------------------------------- */

typedef struct
{
  EscSession  *session;
  GtkWidget   *window;
  GtkWidget   *parent;
  GtkWidget   *add;
  GtkWidget   *error;
  AdwEntryRow *name;
  AdwEntryRow *email;
  AdwEntryRow *team;
  GtkWidget   *roles[4];
  char        *idempotency_key;
} AddDialog;

static void
add_dialog_free (gpointer data)
{
  AddDialog *dialog = data;

  g_object_unref (dialog->session);
  g_object_unref (dialog->parent);
  g_free (dialog->idempotency_key);
  g_free (dialog);
}

static void
add_show_error (AddDialog  *dialog,
                const char *message)
{
  gtk_label_set_label (GTK_LABEL (dialog->error), message);
  gtk_widget_set_visible (dialog->error, TRUE);
  gtk_widget_set_sensitive (dialog->add, TRUE);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  AddDialog *dialog = g_object_get_data (G_OBJECT (window), "esc-add-dialog");
  g_autoptr(EscStaffMember) member = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  member = esc_client_create_staff_member_finish (ESC_CLIENT (object), result, &error);
  if (member == NULL)
    {
      add_show_error (dialog, error->message);
      return;
    }

  /* Translators: %s is a person's name */
  text = g_strdup_printf (_("%s added"), esc_staff_member_get_name (member));
  add_toast (dialog->parent, text);
  sync_now (dialog->session);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
add_clicked_cb (GtkWidget *button,
                AddDialog *dialog)
{
  static const char * const role_names[] = { "it-admin", "partner-manager", "support-staff", "operator" };
  g_autoptr(GPtrArray) roles = g_ptr_array_new ();
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->name))));
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->email))));
  g_autofree char *team = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (dialog->team))));

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (dialog->roles[i])))
      g_ptr_array_add (roles, (gpointer)role_names[i]);
  g_ptr_array_add (roles, NULL);

  if (!esc_staff_name_is_valid (name))
    return add_show_error (dialog, _("Give the person’s name (at most 200 characters)."));
  if (!esc_staff_email_is_valid (email))
    return add_show_error (dialog, _("Give an email address such as dominique@example.org."));
  if (team[0] != '\0' && !esc_staff_team_is_valid (team))
    return add_show_error (dialog, _("The team’s name is too long (at most 100 characters)."));
  if (roles->len == 1)
    return add_show_error (dialog, _("Choose at least one role."));

  gtk_widget_set_visible (dialog->error, FALSE);
  gtk_widget_set_sensitive (dialog->add, FALSE);
  esc_client_create_staff_member_async (esc_session_get_client (dialog->session), name, email,
                                        team[0] != '\0' ? team : NULL,
                                        (const char * const *)roles->pdata, dialog->idempotency_key,
                                        NULL, created_cb, g_object_ref (dialog->window));
}

void
esc_staff_show_add_dialog (GtkWidget  *parent,
                           EscSession *session)
{
  const char *role_labels[] = { N_("IT administrator"), N_("Partner manager"), N_("Support staff"),
                                N_("Operator") };
  AddDialog *dialog = g_new0 (AddDialog, 1);
  AdwPreferencesGroup *person = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *roles = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *page;

  dialog->session = g_object_ref (session);
  dialog->parent = g_object_ref (parent);
  /* One key for the dialog: pressing Add again after a lost answer adds no one twice */
  dialog->idempotency_key = g_uuid_string_random ();
  dialog->window = new_dialog (parent, _("Add a Person"), _("_Add"), &dialog->add, &page);
  g_object_set_data_full (G_OBJECT (dialog->window), "esc-add-dialog", dialog, add_dialog_free);
  g_signal_connect (dialog->add, "clicked", G_CALLBACK (add_clicked_cb), dialog);

  dialog->error = new_error_label ();
  adw_preferences_group_add (person, dialog->error);
  dialog->name = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->name), _("Name"));
  adw_preferences_group_add (person, GTK_WIDGET (dialog->name));
  dialog->email = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->email), _("Email"));
  adw_preferences_group_add (person, GTK_WIDGET (dialog->email));
  dialog->team = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->team), _("Team (optional)"));
  adw_preferences_group_add (person, GTK_WIDGET (dialog->team));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), person);

  adw_preferences_group_set_title (roles, _("Roles"));
  for (guint i = 0; i < G_N_ELEMENTS (role_labels); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      dialog->roles[i] = gtk_check_button_new ();
      gtk_widget_set_valign (dialog->roles[i], GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(role_labels[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), dialog->roles[i]);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), dialog->roles[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->roles[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(role_labels[i]), -1);
      adw_preferences_group_add (roles, row);
    }
  gtk_check_button_set_active (GTK_CHECK_BUTTON (dialog->roles[2]), TRUE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), roles);

  gtk_window_present (GTK_WINDOW (dialog->window));
}

/* Import from a CSV file ----------------------------------------------------------- */

typedef struct
{
  EscSession           *session;
  GtkWidget            *parent;
  GtkWidget            *window;
  GtkWidget            *import;
  AdwPreferencesGroup  *file_group;
  GtkWidget            *file_row;
  AdwPreferencesGroup  *errors_group;
  GtkWidget            *errors_list;
  GtkNativeDialog      *chooser;
  char                 *csv;
  guint                 n_rows;
  char                 *idempotency_key;
} ImportDialog;

static void
import_dialog_free (gpointer data)
{
  ImportDialog *dialog = data;

  if (dialog->chooser != NULL)
    gtk_native_dialog_destroy (dialog->chooser);
  g_clear_object (&dialog->chooser);
  g_object_unref (dialog->session);
  g_object_unref (dialog->parent);
  g_free (dialog->csv);
  g_free (dialog->idempotency_key);
  g_free (dialog);
}

/* Every bad row, by line: nothing is imported until there is none */
static void
show_import_errors (ImportDialog *dialog,
                    GPtrArray    *errors,
                    const char   *summary)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (dialog->errors_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (dialog->errors_list), child);

  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      EscStaffImportError *error = g_ptr_array_index (errors, i);
      GtkWidget *row = adw_action_row_new ();
      /* Translators: a line of the CSV file, e.g. "Line 3" */
      g_autofree char *line = g_strdup_printf (_("Line %u"), error->line);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->reason);
      gtk_list_box_append (GTK_LIST_BOX (dialog->errors_list), row);
    }

  adw_preferences_group_set_description (dialog->errors_group, summary);
  gtk_widget_set_visible (GTK_WIDGET (dialog->errors_group), TRUE);
  gtk_widget_set_visible (dialog->errors_list, errors != NULL && errors->len > 0);
}

static void
imported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  ImportDialog *dialog = g_object_get_data (G_OBJECT (window), "esc-import-dialog");
  g_autoptr(GError) error = NULL;
  guint imported = 0;

  if (!esc_client_import_staff_finish (ESC_CLIENT (object), result, &imported, &error))
    {
      GPtrArray *errors = esc_api_error_get_import_errors (error);

      gtk_widget_set_sensitive (dialog->import, errors == NULL);
      show_import_errors (dialog, errors,
                          errors != NULL
                            ? _("The service refused these rows, and imported no one. Correct the "
                                "file and choose it again.")
                            : error->message);
      return;
    }

  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person imported",
                                                          "%u people imported", imported),
                                             imported);

    add_toast (dialog->parent, text);
  }
  sync_now (dialog->session);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
import_clicked_cb (GtkWidget    *button,
                   ImportDialog *dialog)
{
  if (dialog->csv == NULL)
    return;

  gtk_widget_set_sensitive (dialog->import, FALSE);
  esc_client_import_staff_async (esc_session_get_client (dialog->session), dialog->csv,
                                 dialog->idempotency_key, NULL, imported_cb,
                                 g_object_ref (dialog->window));
}

static void
check_file (ImportDialog *dialog,
            const char   *name,
            char         *text,
            gsize         length)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  g_clear_pointer (&dialog->csv, g_free);
  gtk_widget_set_sensitive (dialog->import, FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->file_row), name);

  /* The same checks as the service's, before anything is sent */
  rows = esc_staff_import_read (text, length, &errors);
  if (errors->len > 0 || rows == NULL || rows->len == 0)
    {
      g_autofree char *summary = NULL;

      if (errors->len > 0)
        summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u row is not right: nothing will be imported until "
                                                "it is corrected.",
                                                "%u rows are not right: nothing will be imported until "
                                                "every one is corrected.",
                                                errors->len), errors->len);
      else
        summary = g_strdup (_("The file has no one to import: after the header line "
                              "“name,email,team,roles”, give one person a line."));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (dialog->file_row), _("Not imported"));
      show_import_errors (dialog, errors, summary);
      g_free (text);
      return;
    }

  dialog->n_rows = rows->len;
  dialog->csv = text;
  /* A new file, a new key */
  g_free (dialog->idempotency_key);
  dialog->idempotency_key = g_uuid_string_random ();
  {
    g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "%u person, every row correct",
                                                              "%u people, every row correct",
                                                              rows->len), rows->len);

    adw_action_row_set_subtitle (ADW_ACTION_ROW (dialog->file_row), subtitle);
  }
  gtk_widget_set_visible (GTK_WIDGET (dialog->errors_group), FALSE);
  gtk_widget_set_sensitive (dialog->import, TRUE);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  ImportDialog *dialog = g_object_get_data (G_OBJECT (window), "esc-import-dialog");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  char *text = NULL;
  gsize length = 0;

  if (dialog == NULL)
    return;
  if (!g_file_load_contents_finish (G_FILE (object), result, &text, &length, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the file: %s"), error->message);

      show_import_errors (dialog, NULL, message);
      return;
    }
  if (length > ESC_STAFF_IMPORT_MAX_BYTES)
    {
      g_free (text);
      show_import_errors (dialog, NULL, _("The file is over 1 MB: split it into smaller files."));
      return;
    }

  check_file (dialog, name, text, length);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     ImportDialog    *dialog)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    g_file_load_contents_async (file, NULL, loaded_cb, g_object_ref (dialog->window));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&dialog->chooser);
}

static void
choose_clicked_cb (GtkWidget    *button,
                   ImportDialog *dialog)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (dialog->chooser != NULL)
    return;

  /* GtkFileDialog needs GTK 4.10; the native chooser works on 4.8 and newer */
  chooser = gtk_file_chooser_native_new (_("Choose a CSV File"), GTK_WINDOW (dialog->window),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), dialog);
  dialog->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (dialog->chooser);
}

void
esc_staff_import_dialog_check_file (GtkWidget  *window,
                                    const char *name,
                                    const char *text)
{
  ImportDialog *dialog = g_object_get_data (G_OBJECT (window), "esc-import-dialog");

  check_file (dialog, name, g_strdup (text), strlen (text));
}

void
esc_staff_show_import_dialog (GtkWidget  *parent,
                              EscSession *session)
{
  ImportDialog *dialog = g_new0 (ImportDialog, 1);
  GtkWidget *page;
  GtkWidget *choose;

  dialog->session = g_object_ref (session);
  dialog->parent = g_object_ref (parent);
  dialog->window = new_dialog (parent, _("Import People"), _("_Import"), &dialog->import, &page);
  gtk_widget_set_sensitive (dialog->import, FALSE);
  g_object_set_data_full (G_OBJECT (dialog->window), "esc-import-dialog", dialog, import_dialog_free);
  g_signal_connect (dialog->import, "clicked", G_CALLBACK (import_clicked_cb), dialog);

  dialog->file_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (dialog->file_group, _("CSV File"));
  adw_preferences_group_set_description (dialog->file_group,
                                         _("A header line “name,email,team,roles”, then one person a "
                                           "line; several roles in one field separated by “;”, e.g. "
                                           "“support-staff;it-admin”. Everyone is imported, or no one."));
  dialog->file_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (dialog->file_row), _("No file chosen"));
  choose = gtk_button_new_with_mnemonic (_("_Choose File…"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  g_signal_connect (choose, "clicked", G_CALLBACK (choose_clicked_cb), dialog);
  adw_action_row_add_suffix (ADW_ACTION_ROW (dialog->file_row), choose);
  adw_preferences_group_add (dialog->file_group, dialog->file_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), dialog->file_group);

  dialog->errors_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (dialog->errors_group, _("Rows to Correct"));
  dialog->errors_list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (dialog->errors_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (dialog->errors_list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (dialog->errors_list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rows to correct"), -1);
  adw_preferences_group_add (dialog->errors_group, dialog->errors_list);
  gtk_widget_set_visible (GTK_WIDGET (dialog->errors_group), FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), dialog->errors_group);

  gtk_window_present (GTK_WINDOW (dialog->window));
}

/* Remove access ---------------------------------------------------------------------- */

typedef struct
{
  EscSession *session;
  GtkWindow  *parent;
  gint64      staff_id;
  char       *name;
  char       *idempotency_key;
} RemoveAccess;

static void
remove_access_free (RemoveAccess *remove)
{
  g_object_unref (remove->session);
  g_object_unref (remove->parent);
  g_free (remove->name);
  g_free (remove->idempotency_key);
  g_free (remove);
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RemoveAccess *remove = user_data;
  g_autoptr(EscStaffAccessRemoval) removal = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *done;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  removal = esc_client_remove_access_finish (ESC_CLIENT (object), result, &error);
  if (removal == NULL)
    {
      /* Translators: %s is a person's name */
      heading = g_strdup_printf (_("Access of %s Not Removed"), remove->name);
      body = g_strdup (error->message);
    }
  else
    {
      g_autofree char *tokens = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u token revoked",
                                                              "%u tokens revoked", removal->tokens_revoked),
                                                 removal->tokens_revoked);
      g_autofree char *designations = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                    "%u designation withdrawn",
                                                                    "%u designations withdrawn",
                                                                    removal->designations_withdrawn),
                                                       removal->designations_withdrawn);
      g_autofree char *elevations = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                  "%u elevation request closed",
                                                                  "%u elevation requests closed",
                                                                  removal->elevations_closed),
                                                     removal->elevations_closed);
      g_autofree char *devices = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u device’s password rotated",
                                                               "%u devices’ passwords rotated",
                                                               removal->devices_rotated),
                                                  removal->devices_rotated);

      heading = g_strdup_printf (_("Access of %s Removed"), remove->name);
      /* Translators: the four counts of a removal, one a line */
      body = g_strdup_printf (_("%s\n%s\n%s\n%s\nThe audit log records it as one event."),
                              tokens, designations, elevations, devices);
      sync_now (remove->session);
    }

  done = adw_message_dialog_new (remove->parent, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (done), "close", _("_Close"));
  if (removal != NULL)
    g_signal_connect_swapped (done, "response", G_CALLBACK (gtk_window_destroy), remove->parent);
  gtk_window_present (GTK_WINDOW (done));
  remove_access_free (remove);
}

static void
confirm_response_cb (AdwMessageDialog *confirm,
                     const char       *response,
                     RemoveAccess     *remove)
{
  if (g_strcmp0 (response, "remove") != 0)
    {
      remove_access_free (remove);
      return;
    }

  esc_client_remove_access_async (esc_session_get_client (remove->session), remove->staff_id, NULL,
                                  remove->idempotency_key, NULL, removed_cb, remove);
}

void
esc_staff_confirm_remove_access (GtkWindow  *parent,
                                 EscSession *session,
                                 gint64      staff_id,
                                 const char *name)
{
  RemoveAccess *remove = g_new0 (RemoveAccess, 1);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *confirm;

  remove->session = g_object_ref (session);
  remove->parent = g_object_ref (parent);
  remove->staff_id = staff_id;
  remove->name = g_strdup (name);
  remove->idempotency_key = g_uuid_string_random ();

  /* Translators: %s is a person's name */
  heading = g_strdup_printf (_("Remove Access for %s?"), name);
  body = g_strdup_printf (_("For someone who leaves. At once, on the service: every token of %s is "
                            "revoked, so they can no longer sign in; their elevation and escalation "
                            "designations are withdrawn; their open elevation requests are closed; "
                            "and the local administrator passwords of those devices are rotated. "
                            "The audit log records it as one event. Their past requests stay."),
                          name);
  confirm = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (confirm), "cancel", _("_Cancel"),
                                    "remove", _("_Remove Access"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (confirm), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (confirm), "cancel");
  g_signal_connect (confirm, "response", G_CALLBACK (confirm_response_cb), remove);
  gtk_window_present (GTK_WINDOW (confirm));
}
