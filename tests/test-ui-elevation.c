/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "esc-elevation-detail.h"
#include "esc-elevation-form.h"
#include "esc-elevation-page.h"
#include "esc-service-devices.h"
#include "esc-test-inprocess.h"
#include "esc-test-ui.h"
#include "esc-window.h"

/* The Elevation screen in a real window under a real display, against the
 * real service (in this process, over HTTP on loopback, with a clock the test
 * moves), with a real workspace file and a private keyring: who may use it,
 * the request form and its refusals, the password revealed (and the reading
 * audited), copied and cleared from the clipboard, rotated, hidden, renewed,
 * closed; a designation that expires while the screen is open; and no
 * password anywhere it must not be. */

/* Everything logged while the tests run, the service's log included */
static GString *captured_output;

typedef struct
{
  EscTestServer    *server;
  char             *dir;
  char             *workspace_path;
  EscWorkspace     *workspace;
  EscSession       *session;
  EscWindow        *window;
  EscElevationPage *page;
  char             *admin;
  GPtrArray        *passwords;  /* every password the screen showed */
} Fixture;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        g_string_append_printf (captured_output, "%s\n", (const char *)fields[i].value);
    }

  if (log_level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static GDateTime *
server_clock (gpointer user_data)
{
  return esc_test_server_dup_now (user_data);
}

static void
add_device (Fixture    *fixture,
            const char *name,
            const char *serial,
            const char *group)
{
  g_autoptr(GError) error = NULL;

  esc_service_devices_add (esc_test_server_get_db (fixture->server), name, serial, group, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  add_device (fixture, "MMD-1", "SN-0001", "broad");
  add_device (fixture, "MMD-2", "SN-0002", "fast");
  add_device (fixture, "LAB-1", "SN-0099", "test");

  fixture->dir = g_dir_make_tmp ("escalade-ui-elevation-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->workspace_path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->workspace_path, &error);
  g_assert_no_error (error);
  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
  fixture->passwords = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      g_assert_finalize_object (fixture->window);
    }
  esc_session_stop (fixture->session);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->workspace);
  g_ptr_array_unref (fixture->passwords);
  g_free (fixture->admin);
  g_clear_pointer (&fixture->server, esc_test_server_free);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->workspace_path);
  g_free (fixture->dir);
}

/* Waiting and finding ------------------------------------------------------- */

static gboolean
account_has_identity (gpointer data)
{
  return esc_account_get_identity (data) != NULL && !esc_account_get_busy (data);
}

static void
sign_in (Fixture    *fixture,
         const char *token)
{
  EscAccount *account = esc_session_get_account (fixture->session);

  esc_account_sign_in_async (account, esc_test_server_get_url (fixture->server), token,
                             NULL, NULL, NULL);
  esc_test_ui_wait_until (account_has_identity, account, "the sign-in");
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 780);
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s",
                                             "elevation"));
  esc_test_ui_settle ();
  g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, "elevation");
  fixture->page = esc_window_get_elevation_page (fixture->window);
  esc_elevation_page_set_clock (fixture->page, server_clock, fixture->server);
  g_object_set (fixture->page, "clipboard-clear-seconds", 1, NULL);
}

static gboolean
page_usable (gpointer data)
{
  return esc_elevation_page_get_usable (data);
}

static gboolean
page_not_usable (gpointer data)
{
  return !esc_elevation_page_get_usable (data);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0 ||
          g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0);
}

typedef struct
{
  GtkWidget  *root;
  const char *label;
} ButtonWait;

static gboolean
shows_button (gpointer data)
{
  ButtonWait *wait = data;
  GtkWidget *button = esc_test_ui_find_widget (wait->root, is_button_labelled, wait->label);

  return button != NULL && gtk_widget_is_sensitive (button);
}

static void
click (GtkWidget  *root,
       const char *label)
{
  ButtonWait wait = { root, label };
  g_autofree char *what = g_strdup_printf ("the button “%s” to be shown", label);

  esc_test_ui_wait_until (shows_button, &wait, what);
  g_signal_emit_by_name (esc_test_ui_find_widget (root, is_button_labelled, label), "clicked");
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *row = esc_test_ui_find_widget (root, is_row_titled, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

typedef struct
{
  GtkWidget  *widget;
  const char *expected;
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_autofree char *text = esc_test_ui_visible_text (wait->widget);

  return strstr (text, wait->expected) != NULL;
}

static void
wait_for_text (GtkWidget  *widget,
               const char *expected)
{
  TextWait wait = { widget, expected };
  g_autofree char *what = g_strdup_printf ("“%s” to be shown", expected);

  esc_test_ui_wait_until (shows_text, &wait, what);
}

static gboolean
has_text (GtkWidget  *widget,
          const char *expected)
{
  TextWait wait = { widget, expected };

  return shows_text (&wait);
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  GtkWidget *found = esc_test_ui_find_widget (root, esc_test_ui_is_of_type, GSIZE_TO_POINTER (type));

  g_assert_nonnull (found);
  return found;
}

static EscElevationDetail *
detail (Fixture *fixture)
{
  return ESC_ELEVATION_DETAIL (find_of_type (GTK_WIDGET (fixture->page), ESC_TYPE_ELEVATION_DETAIL));
}

static GtkWidget *
form (Fixture *fixture)
{
  return find_of_type (GTK_WIDGET (fixture->page), ESC_TYPE_ELEVATION_FORM);
}

/* The password the screen shows (the only GtkText of the detail) */
static const char *
shown_password (Fixture *fixture)
{
  return gtk_editable_get_text (GTK_EDITABLE (find_of_type (GTK_WIDGET (detail (fixture)),
                                                            GTK_TYPE_TEXT)));
}

static gboolean
detail_revealed (gpointer data)
{
  return esc_elevation_detail_get_revealed (data);
}

static gboolean
detail_hidden (gpointer data)
{
  return !esc_elevation_detail_get_revealed (data);
}

static char *
reveal (Fixture *fixture)
{
  EscElevationDetail *shown = detail (fixture);
  char *password;

  click (GTK_WIDGET (shown), "_Reveal");
  esc_test_ui_wait_until (detail_revealed, shown, "the password to be revealed");
  password = g_strdup (shown_password (fixture));
  g_assert_cmpuint (strlen (password), >=, 12);
  g_ptr_array_add (fixture->passwords, g_strdup (password));

  return password;
}

/* The service's audit, as an IT administrator reads it */
static guint
count_audit (Fixture    *fixture,
             const char *action)
{
  g_auto(EscTestResponse) response = { 0, };
  JsonArray *events;
  guint count = 0;

  esc_test_request (fixture->server, "GET", "/v1/audit?after=0&limit=500", fixture->admin,
                    NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  events = json_object_get_array_member (json_node_get_object (response.body), "items");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "action"), action) == 0)
        count++;
    }
  for (guint i = 0; i < fixture->passwords->len; i++)
    g_assert_null (strstr (response.text, g_ptr_array_index (fixture->passwords, i)));

  return count;
}

/* The clipboard ------------------------------------------------------------- */

typedef struct
{
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer data)
{
  return ((ClipboardRead *)data)->done;
}

/* (nullable): what the clipboard holds as text */
static char *
read_clipboard (GtkWidget *widget)
{
  ClipboardRead read = { FALSE, NULL };

  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  /* Polled: GDK's in-process pipe for a local clipboard does not always wake
   * a main loop that blocks */
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, clipboard_read_cb, &read);
  while (!clipboard_read_done (&read) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_true (read.done);

  return read.text;
}

static gboolean
clipboard_empty (gpointer data)
{
  return gdk_clipboard_get_content (gtk_widget_get_clipboard (data)) == NULL;
}

static void
count_change (guint *count)
{
  (*count)++;
}

static gboolean
is_nonzero (gpointer data)
{
  return *(guint *)data > 0;
}

static gboolean
clipboard_taken_from (gpointer data)
{
  return !gdk_clipboard_is_local (data);
}

static void
sleep_in_main_loop (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
}

/* Where no password may be -------------------------------------------------- */

static char *
dump_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GString *dump = g_string_new (NULL);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_string_append_printf (dump, "%s=%s\n", keys[i], printed);
    }

  return g_string_free (dump, FALSE);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
assert_no_password_kept (Fixture *fixture)
{
  g_autofree char *wal = g_strconcat (fixture->workspace_path, "-wal", NULL);
  g_autofree char *settings = dump_settings ();

  g_assert_cmpuint (fixture->passwords->len, >, 0);
  g_assert_cmpuint (captured_output->len, >, 0);
  g_assert_true (g_file_test (fixture->workspace_path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (settings, "window-width="));

  for (guint i = 0; i < fixture->passwords->len; i++)
    {
      const char *password = g_ptr_array_index (fixture->passwords, i);

      g_assert_false (file_contains (fixture->workspace_path, password));
      g_assert_false (file_contains (wal, password));
      g_assert_null (strstr (settings, password));
      g_assert_null (strstr (captured_output->str, password));
    }
}

/* Tests --------------------------------------------------------------------- */

static void
test_elevation_not_designated (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *token = esc_test_server_create_token (fixture->server, "sam", "support-staff");

  sign_in (fixture, token);
  open_window (fixture);
  esc_test_ui_settle ();

  g_assert_false (esc_elevation_page_get_usable (fixture->page));
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_test_message ("Visible text:\n%s", text);
  g_assert_nonnull (strstr (text, "Elevation Is Not Available to You"));
  g_assert_nonnull (strstr (text, "Ask your IT administrators"));
  g_assert_false (gtk_widget_get_mapped (form (fixture)));
  g_assert_null (esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_button_labelled,
                                          "_Open Request"));
}

static void
fill_form (GtkWidget  *root,
           const char *device)
{
  GtkTextView *plan = GTK_TEXT_VIEW (find_of_type (root, GTK_TYPE_TEXT_VIEW));

  type_into (root, "Support ticket id", "INC0012345");
  type_into (root, "Device name or serial number", device);
  type_into (root, "Title", "Reinstall the printer driver");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (plan),
                            "Run the printer troubleshooter elevated.", -1);
}

static gboolean
shows_match (gpointer data)
{
  return esc_test_ui_find_widget (data, is_row_titled, "MMD-1") != NULL &&
         gtk_widget_get_mapped (esc_test_ui_find_widget (data, is_row_titled, "MMD-1"));
}

static void
test_elevation_round_trip (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *rotated = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *entry_form;
  GtkWidget *match;
  EscElevationDetail *shown;
  GdkDisplay *other;
  GdkClipboard *other_clipboard;
  guint other_changes = 0;
  guint reads;
  g_autofree char *token = esc_test_server_create_token (fixture->server, "eve", "support-staff");

  esc_test_server_designate (fixture->server, "eve", "elevation", NULL);
  sign_in (fixture, token);
  open_window (fixture);
  esc_test_ui_wait_until (page_usable, fixture->page, "the screen to be usable");
  entry_form = form (fixture);
  g_assert_true (gtk_widget_get_mapped (entry_form));

  /* The guidance is beside the form */
  wait_for_text (entry_form, "Working around a BitLocker or clock problem");
  g_assert_true (has_text (entry_form, "Not supported"));

  /* Nothing filled in: every field says what it needs, nothing is sent */
  click (entry_form, "_Open Request");
  esc_test_ui_settle ();
  g_assert_true (has_text (entry_form, "Enter the ticket id"));
  g_assert_true (has_text (entry_form, "Say what you plan to do on the device."));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "elevation_requests"), ==, 0);

  /* The device, found by its serial number as one types */
  type_into (entry_form, "Device name or serial number", "sn-000");
  esc_test_ui_wait_until (shows_match, entry_form, "MMD-1 to be offered");
  g_assert_true (has_text (entry_form, "test group: no elevated access") == FALSE);
  match = esc_test_ui_find_widget (entry_form, is_row_titled, "MMD-1");
  g_signal_emit_by_name (gtk_widget_get_parent (match), "row-activated", match);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (esc_test_ui_find_widget (entry_form, is_row_titled,
                                                                                "Device name or serial number"))),
                   ==, "MMD-1");

  /* The service's refusals, each said for what it is, and nothing lost */
  fill_form (entry_form, "NOPE-9");
  click (entry_form, "_Open Request");
  wait_for_text (entry_form, "No enrolled device has the name or serial number “NOPE-9”");
  fill_form (entry_form, "LAB-1");
  click (entry_form, "_Open Request");
  wait_for_text (entry_form, "LAB-1 is in the test group: the service gives no elevated access");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (esc_test_ui_find_widget (entry_form, is_row_titled,
                                                                                "Title"))),
                   ==, "Reinstall the printer driver");
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "elevation_requests"), ==, 0);

  /* A device with as many open requests as the service allows (opened elsewhere) */
  for (guint i = 0; i < 3; i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (fixture->server, "POST", "/v1/elevation-requests", token, NULL,
                        "{\"ticket_id\": \"INC1\", \"device\": \"MMD-2\", \"category\": \"devices\","
                        " \"subcategory\": \"printers\", \"title\": \"Driver\","
                        " \"plan_of_action\": \"Troubleshooter\"}", NULL, &response);
      g_assert_cmpuint (response.status, ==, 201);
    }
  fill_form (entry_form, "MMD-2");
  click (entry_form, "_Open Request");
  wait_for_text (entry_form, "MMD-2 already has as many open elevation requests as the service allows");
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "elevation_requests"), ==, 3);

  /* Opened: the request is selected and shown, its password hidden */
  fill_form (entry_form, "MMD-1");
  click (entry_form, "_Open Request");
  shown = detail (fixture);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, shown, "the request to be shown");
  wait_for_text (GTK_WIDGET (shown), "ER-000004");
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "elevation_requests"), ==, 4);
  g_assert_false (esc_elevation_detail_get_revealed (shown));
  g_assert_cmpstr (shown_password (fixture), ==, "");
  g_assert_cmpuint (count_audit (fixture, "elevation.password-read"), ==, 0);

  /* Revealed: read from the service, and the read is audited */
  first = reveal (fixture);
  g_assert_cmpuint (count_audit (fixture, "elevation.password-read"), ==, 1);
  wait_for_text (GTK_WIDGET (shown), "MMD-1\\escadmin");
  wait_for_text (GTK_WIDGET (shown), "In 2:00:00 (at ");  /* the service's clock stands still */

  /* Copied, then cleared from the clipboard after the delay */
  click (GTK_WIDGET (shown), "Copy Password");
  copied = read_clipboard (GTK_WIDGET (shown));
  g_assert_cmpstr (copied, ==, first);
  esc_test_ui_wait_until (clipboard_empty, shown, "the clipboard to be cleared");

  /* Another application (another X client) that copies something else
   * meanwhile keeps it; one that took over the password itself (a clipboard
   * manager) does not */
  other = gdk_display_open (gdk_display_get_name (gtk_widget_get_display (GTK_WIDGET (shown))));
  g_assert_nonnull (other);
  other_clipboard = gdk_display_get_clipboard (other);
  g_signal_connect_swapped (other_clipboard, "changed", G_CALLBACK (count_change), &other_changes);
  click (GTK_WIDGET (shown), "Copy Password");
  /* The other application sees the password copied first (GDK claims the
   * X selection a little later) */
  esc_test_ui_wait_until (is_nonzero, &other_changes, "the other application to see the copy");
  gdk_clipboard_set_text (other_clipboard, "something else");
  sleep_in_main_loop (1800);
  g_assert_true (gdk_clipboard_is_local (other_clipboard));
  {
    g_auto(GValue) value = G_VALUE_INIT;

    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (other_clipboard), &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, "something else");
  }
  click (GTK_WIDGET (shown), "Copy Password");
  esc_test_ui_wait_until (clipboard_taken_from, other_clipboard, "the other application to see the copy");
  gdk_clipboard_set_text (other_clipboard, first);
  esc_test_ui_wait_until (clipboard_taken_from, other_clipboard,
                          "the password to be cleared from the other application’s clipboard");
  gdk_display_close (other);

  /* Hidden: gone from the screen */
  click (GTK_WIDGET (shown), "_Hide");
  g_assert_false (esc_elevation_detail_get_revealed (shown));
  g_assert_cmpstr (shown_password (fixture), ==, "");
  g_assert_false (has_text (GTK_WIDGET (shown), "MMD-1\\escadmin"));

  /* Two hours later the password rotates: the one shown goes, and the new
   * one is read only when asked */
  again = reveal (fixture);
  g_assert_cmpstr (again, ==, first);
  esc_test_server_advance (fixture->server, 2 * G_TIME_SPAN_HOUR + G_TIME_SPAN_SECOND);
  esc_test_ui_wait_until (detail_hidden, shown, "the rotated password to be dropped");
  g_assert_cmpstr (shown_password (fixture), ==, "");
  wait_for_text (GTK_WIDGET (shown), "Reveal the password to get the new one");
  reads = count_audit (fixture, "elevation.password-read");
  sleep_in_main_loop (1200);
  g_assert_cmpuint (count_audit (fixture, "elevation.password-read"), ==, reads);
  rotated = reveal (fixture);
  g_assert_cmpstr (rotated, !=, first);
  g_assert_cmpuint (count_audit (fixture, "elevation.password-read"), ==, reads + 1);

  /* Renewed */
  click (GTK_WIDGET (shown), "Re_new Access");
  wait_for_text (GTK_WIDGET (shown), "Access renewed until");
  g_assert_true (has_text (GTK_WIDGET (shown), "Renewed"));
  g_assert_cmpuint (count_audit (fixture, "elevation.renewed"), ==, 1);

  /* Closed with the actions taken, which are required */
  click (GTK_WIDGET (shown), "_Close Request…");
  {
    GtkWidget *dialog = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkTextView *actions;

    for (guint i = 0; dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window))
          dialog = window;
      }
    g_assert_nonnull (dialog);
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "close"));
    actions = GTK_TEXT_VIEW (find_of_type (dialog, GTK_TYPE_TEXT_VIEW));
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (actions),
                              "Reinstalled the printer driver from the vendor package.", -1);
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "close"));
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "close");
  }
  wait_for_text (GTK_WIDGET (shown), "Request closed");
  g_assert_false (esc_elevation_detail_get_revealed (shown));
  g_assert_true (has_text (GTK_WIDGET (shown), "Reinstalled the printer driver from the vendor package."));
  g_assert_cmpstr (esc_elevation_request_get_state (esc_elevation_detail_get_request (shown)), ==, "closed");
  g_assert_cmpuint (count_audit (fixture, "elevation.closed"), ==, 1);
  /* The list says so too */
  wait_for_text (GTK_WIDGET (fixture->page), "Closed · MMD-1");

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  assert_no_password_kept (fixture);
}

static void
test_elevation_designation_expires (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *password = NULL;
  g_autofree char *token = NULL;
  GtkWidget *list;
  EscElevationDetail *shown;

  /* The designation ends in an hour (the service's clock) */
  token = esc_test_server_create_token (fixture->server, "eve", "support-staff");
  esc_test_server_designate (fixture->server, "eve", "elevation", "2024-05-06T10:00:00Z");

  /* A request opened in another window before this one */
  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", token, NULL,
                    "{\"ticket_id\": \"INC1\", \"device\": \"MMD-2\", \"category\": \"devices\","
                    " \"subcategory\": \"printer-driver\", \"title\": \"Driver\","
                    " \"plan_of_action\": \"Troubleshooter\"}", NULL, &response);
  g_assert_cmpuint (response.status, ==, 201);

  sign_in (fixture, token);
  open_window (fixture);
  esc_test_ui_wait_until (page_usable, fixture->page, "the screen to be usable");
  g_object_set (fixture->page, "recheck-seconds", 1, NULL);

  /* Shown in the list: selected, revealed */
  wait_for_text (GTK_WIDGET (fixture->page), "Open · MMD-2");
  list = find_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_LIST_VIEW);
  gtk_selection_model_select_item (gtk_list_view_get_model (GTK_LIST_VIEW (list)), 0, TRUE);
  shown = detail (fixture);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, shown, "the request to be shown");
  password = reveal (fixture);

  /* The designation expires: the form goes, the password with it */
  esc_test_server_advance (fixture->server, G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);
  esc_test_ui_wait_until (page_not_usable, fixture->page, "the screen to end access");
  g_assert_false (esc_elevation_detail_get_revealed (shown));
  g_assert_cmpstr (shown_password (fixture), ==, "");
  esc_test_ui_settle ();
  g_assert_false (gtk_widget_get_mapped (form (fixture)));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (shown)));
  g_assert_true (has_text (GTK_WIDGET (fixture->page), "Ask your IT administrators"));
  g_assert_false (has_text (GTK_WIDGET (fixture->page), "MMD-2"));

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  assert_no_password_kept (fixture);
}

/* The designation ends between two checks: the service refuses the next
 * request with 403, which the form says, and the screen ends access */
static void
test_elevation_refused_when_designation_ends (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autofree char *token = esc_test_server_create_token (fixture->server, "eve", "support-staff");
  GtkWidget *entry_form;

  esc_test_server_designate (fixture->server, "eve", "elevation", "2024-05-06T10:00:00Z");
  sign_in (fixture, token);
  open_window (fixture);
  esc_test_ui_wait_until (page_usable, fixture->page, "the screen to be usable");
  entry_form = form (fixture);

  esc_test_server_advance (fixture->server, 2 * G_TIME_SPAN_HOUR);
  fill_form (entry_form, "MMD-1");
  click (entry_form, "_Open Request");
  wait_for_text (entry_form, "The service refused: you are not designated for elevation");
  esc_test_ui_wait_until (page_not_usable, fixture->page, "the screen to end access");
  g_assert_true (has_text (GTK_WIDGET (fixture->page), "Ask your IT administrators"));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "elevation_requests"), ==, 0);
  /* The account learns it too (GET /v1/me again) */
  esc_test_ui_wait_until (account_has_identity, esc_session_get_account (fixture->session),
                          "the account to be refreshed");
  g_assert_false (g_strv_contains (esc_identity_get_designations (esc_account_get_identity (esc_session_get_account (fixture->session))),
                                   "elevation"));
}

int
main (int   argc,
      char *argv[])
{
  captured_output = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/elevation/not-designated", Fixture, NULL,
              fixture_setup, test_elevation_not_designated, fixture_teardown);
  g_test_add ("/ui/elevation/round-trip", Fixture, NULL,
              fixture_setup, test_elevation_round_trip, fixture_teardown);
  g_test_add ("/ui/elevation/designation-expires", Fixture, NULL,
              fixture_setup, test_elevation_designation_expires, fixture_teardown);
  g_test_add ("/ui/elevation/refused-when-designation-ends", Fixture, NULL,
              fixture_setup, test_elevation_refused_when_designation_ends, fixture_teardown);

  return esc_test_ui_run ();
}
