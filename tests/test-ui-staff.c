/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-staff-audit.h"
#include "esc-staff-contacts.h"
#include "esc-staff-dialogs.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-staff-directory.h"
#include "esc-staff-page.h"
#include "esc-staff-person-dialog.h"
#include "esc-sync.h"
#include "esc-test-service.h"
#include "esc-test-ui.h"
#include "esc-window.h"

/* The Staff & access screen in a real window under a real display, on a real
 * workspace file, against a real escalade-service on loopback. */

typedef struct
{
  char            *dir;
  char            *path;
  EscTestService  *service;
  char            *admin_token;
  char            *staff_token;
  char            *elodie_token;
  EscWorkspace    *workspace;
  EscSession      *session;
  EscAccount      *account;
  EscOutbox       *outbox;
  EscOutboxSender *sender;
  EscSync         *sync;
  EscWindow       *window;
  EscStaffPage    *page;
  GString         *output;
} Fixture;

typedef struct
{
  gboolean  done;
  gpointer  result;
  GError   *error;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *)data)->done;
}

/* Everything the application logs, to look for secrets in it */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  GString *output = *(GString **)user_data;

  if (output != NULL)
    for (gsize i = 0; i < n_fields; i++)
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        g_string_append_printf (output, "%s\n", (const char *)fields[i].value);

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static GString *captured_output;

/* The service -------------------------------------------------------------------------- */

static char *
create_person (Fixture    *fixture,
               const char *name,
               const char *role,
               const char *designation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", name);
  char *token = esc_test_service_create_token (fixture->service, name, email, role, &error);

  g_assert_no_error (error);
  if (designation != NULL)
    {
      const char *argv[] = { "designation", "grant", "--user", name, "--capability", designation,
                             "--reason", "On the escalation support team", NULL };

      esc_test_service_run (fixture->service, argv, NULL, &error);
      g_assert_no_error (error);
    }

  return token;
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_account_sign_in_finish (ESC_ACCOUNT (object), result, &wait->error);
  wait->done = TRUE;
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  esc_sync_run_finish (ESC_SYNC (object), result, &wait->error);
  wait->done = TRUE;
}

static void
sign_in_and_sync (Fixture    *fixture,
                  const char *token)
{
  Wait wait = { 0, };
  Wait sync = { 0, };

  esc_account_sign_in_async (fixture->account, esc_test_service_get_url (fixture->service), token,
                             NULL, signed_in_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sign-in");
  g_assert_no_error (wait.error);
  g_clear_object (&wait.result);

  esc_sync_run_async (fixture->sync, NULL, synced_cb, &sync);
  esc_test_ui_wait_until (wait_done, &sync, "the sync");
  g_clear_error (&sync.error);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_list_staff_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

/* GET /v1/staff as the IT administrator, with a client of its own */
static GPtrArray *
service_staff (Fixture *fixture)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (client, fixture->admin_token);
  esc_client_list_staff_async (client, NULL, listed_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the service's staff");
  g_assert_no_error (wait.error);

  return wait.result;
}

static EscStaffMember *
service_member (Fixture    *fixture,
                const char *name)
{
  g_autoptr(GPtrArray) staff = service_staff (fixture);

  for (guint i = 0; i < staff->len; i++)
    if (g_str_equal (esc_staff_member_get_name (g_ptr_array_index (staff, i)), name))
      return g_object_ref (g_ptr_array_index (staff, i));

  return NULL;
}

/* Fixture -------------------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->output = g_string_new (NULL);
  captured_output = fixture->output;
  fixture->dir = g_dir_make_tmp ("escalade-ui-staff-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);

  fixture->service = esc_test_service_start (&error);
  g_assert_no_error (error);
  fixture->admin_token = create_person (fixture, "camille", "it-admin", NULL);
  g_free (create_person (fixture, "dominique", "support-staff", NULL));
  fixture->elodie_token = create_person (fixture, "elodie", "support-staff", "escalation");
  fixture->staff_token = create_person (fixture, "karim", "support-staff", NULL);

  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
  fixture->account = esc_session_get_account (fixture->session);
  fixture->outbox = esc_session_get_outbox (fixture->session);
  fixture->sender = esc_session_get_sender (fixture->session);
  esc_outbox_sender_set_retry_delays (fixture->sender, 20, 200);
  fixture->sync = esc_session_get_sync (fixture->session);
}

static gboolean
only_ref (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (toplevel);
    }
  esc_test_ui_settle ();
  if (fixture->window != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->window));

  esc_session_stop (fixture->session);
  esc_test_ui_wait_until (only_ref, fixture->session, "the session to be released");
  g_assert_finalize_object (fixture->session);
  esc_test_ui_wait_until (only_ref, fixture->workspace, "the workspace to be released");
  g_assert_finalize_object (fixture->workspace);

  esc_test_service_stop (fixture->service);
  g_free (fixture->admin_token);
  g_free (fixture->staff_token);
  g_free (fixture->elodie_token);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
  captured_output = NULL;
  g_string_free (fixture->output, TRUE);
}

static void
open_staff_screen (Fixture *fixture)
{
  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
  esc_window_set_screen (fixture->window, "staff");
  esc_test_ui_settle ();
  fixture->page = ESC_STAFF_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                           GSIZE_TO_POINTER (ESC_TYPE_STAFF_PAGE)));
  g_assert_nonnull (fixture->page);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->page, "the staff screen to be drawn");
}

typedef struct
{
  GtkWidget  *widget;
  const char *expected;
  char       *text;
} TextWait;

static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;

  g_free (wait->text);
  wait->text = esc_test_ui_visible_text (wait->widget);
  return strstr (wait->text, wait->expected) != NULL;
}

static void
wait_for_text (GtkWidget  *widget,
               const char *expected)
{
  TextWait wait = { widget, expected, NULL };
  g_autofree char *what = g_strdup_printf ("“%s” to be shown", expected);

  esc_test_ui_wait_until (shows_text, &wait, what);
  g_free (wait.text);
}

static gboolean
shown_is (gpointer data)
{
  gpointer *pair = data;

  return g_list_model_get_n_items (esc_staff_page_get_shown (pair[0])) == GPOINTER_TO_UINT (pair[1]);
}

static void
wait_shown (Fixture *fixture,
            guint    n)
{
  gpointer pair[2] = { fixture->page, GUINT_TO_POINTER (n) };

  esc_test_ui_wait_until (shown_is, pair, "the directory to show the expected people");
}

static gboolean
is_tooltip (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_DROP_DOWN (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* Tests ------------------------------------------------------------------------------------ */

/* The directory lists the service's people; a search narrows it at each keystroke */
static void
test_directory (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *text = NULL;
  GtkWidget *search;

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);

  /* GET /v1/staff lists everyone: camille too, an IT administrator only */
  wait_shown (fixture, 4);
  wait_for_text (GTK_WIDGET (fixture->page), "dominique@example.org");
  wait_for_text (GTK_WIDGET (fixture->page), "camille@example.org");
  wait_for_text (GTK_WIDGET (fixture->page), "4 people");

  search = esc_staff_page_get_search_entry (fixture->page);
  gtk_editable_set_text (GTK_EDITABLE (search), "d");
  wait_shown (fixture, 2);  /* dominique and elodie */
  gtk_editable_set_text (GTK_EDITABLE (search), "DOMI");
  wait_shown (fixture, 1);
  esc_test_ui_settle ();
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_assert_nonnull (strstr (text, "dominique"));
  g_assert_null (strstr (text, "karim@example.org"));
  g_assert_nonnull (strstr (text, "1 of 4 people shown"));

  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait_shown (fixture, 4);

  /* The filters: elodie is the one designated for escalation */
  {
    GtkWidget *designation = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_tooltip,
                                                      "Designation");
    GtkWidget *role = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_tooltip, "Role");

    g_assert_nonnull (designation);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (designation), 2);  /* Escalation */
    wait_shown (fixture, 1);
    wait_for_text (GTK_WIDGET (fixture->page), "elodie@example.org");
    gtk_drop_down_set_selected (GTK_DROP_DOWN (designation), 3);  /* No designation */
    wait_shown (fixture, 3);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (designation), 0);
    wait_shown (fixture, 4);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (role), 1);  /* IT administrator */
    wait_shown (fixture, 1);
    wait_for_text (GTK_WIDGET (fixture->page), "camille@example.org");
    gtk_drop_down_set_selected (GTK_DROP_DOWN (role), 3);  /* Support staff */
    wait_shown (fixture, 3);
  }
}

static gboolean
outbox_is_empty (gpointer data)
{
  return esc_outbox_get_n_queued (data) == 0 && esc_outbox_get_n_refused (data) == 0;
}

/* A designation made in the screen is pending until the service accepts it, then reaches it */
static void
test_designation (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(EscStaffMember) before = NULL;
  g_autoptr(EscStaffMember) after = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;
  GtkWidget *column_view;
  GtkWidget *search;
  GtkWidget *widget;
  AdwExpanderRow *elevation = NULL;

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  wait_shown (fixture, 4);

  before = service_member (fixture, "dominique");
  g_assert_false (esc_staff_member_has_capability (before, "elevation"));

  search = esc_staff_page_get_search_entry (fixture->page);
  gtk_editable_set_text (GTK_EDITABLE (search), "dominique");
  wait_shown (fixture, 1);
  column_view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_signal_emit_by_name (column_view, "activate", 0);
  esc_test_ui_settle ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (ESC_IS_STAFF_PERSON_DIALOG (toplevel))
        dialog = toplevel;
    }
  g_assert_nonnull (dialog);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, dialog, "the person's dialog");

  /* The first expander row is Elevation: switch it on, give a reason */
  widget = dialog;
  elevation = ADW_EXPANDER_ROW (esc_test_ui_find_widget (widget, esc_test_ui_is_of_type,
                                                         GSIZE_TO_POINTER (ADW_TYPE_EXPANDER_ROW)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (elevation)), ==, "Elevation");
  adw_expander_row_set_enable_expansion (elevation, TRUE);
  adw_expander_row_set_expanded (elevation, TRUE);
  esc_test_ui_settle ();

  /* Saving without a reason is refused in the dialog, with the reason why */
  g_signal_emit_by_name (gtk_window_get_default_widget (GTK_WINDOW (dialog)), "clicked");
  wait_for_text (dialog, "say why this person is designated");
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 0);

  widget = esc_test_ui_find_widget (GTK_WIDGET (elevation), esc_test_ui_is_of_type,
                                    GSIZE_TO_POINTER (ADW_TYPE_ENTRY_ROW));
  gtk_editable_set_text (GTK_EDITABLE (widget), "Covers the device team this month");
  g_signal_emit_by_name (gtk_window_get_default_widget (GTK_WINDOW (dialog)), "clicked");
  esc_test_ui_settle ();

  /* The sender is not started: the change waits in the outbox, and the list says so */
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
  wait_for_text (GTK_WIDGET (fixture->page), "Change waiting to be sent");

  esc_outbox_sender_start (fixture->sender);
  esc_test_ui_wait_until (outbox_is_empty, fixture->outbox, "the outbox to be sent");
  wait_for_text (GTK_WIDGET (fixture->page), "Elevation");

  after = service_member (fixture, "dominique");
  g_assert_true (esc_staff_member_has_capability (after, "elevation"));
  g_assert_false (esc_staff_member_has_capability (after, "escalation"));
}

/* Someone who is not an IT administrator sees why not, and no directory */
static void
test_denied (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *text = NULL;
  GtkWidget *column_view;

  sign_in_and_sync (fixture, fixture->staff_token);
  open_staff_screen (fixture);
  wait_for_text (GTK_WIDGET (fixture->page), "Only IT administrators");
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_assert_nonnull (strstr (text, "karim"));
  g_assert_null (strstr (text, "dominique@example.org"));
  column_view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_assert_false (gtk_widget_get_mapped (column_view));
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  /* Binary: g_strstr_len() would stop at the first NUL byte */
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

/* After a designation round trip, no token is in the workspace, its WAL,
 * GSettings or what the application logged */
static void
test_no_token_leak (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  const char *tokens[] = { fixture->admin_token, fixture->staff_token };

  test_designation (fixture, data);

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
    {
      g_assert_false (file_contains (fixture->path, tokens[t]));
      g_assert_false (file_contains (wal, tokens[t]));
      g_assert_null (strstr (fixture->output->str, tokens[t]));
      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
          g_autofree char *printed = g_variant_print (value, FALSE);

          g_assert_null (strstr (printed, tokens[t]));
        }
    }
  /* The checks looked at real files */
  g_assert_true (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  g_assert_true (file_contains (fixture->path, "dominique@example.org") || file_contains (wal, "dominique@example.org"));
}

static GtkWidget *
toplevel_titled (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (toplevel), title) == 0)
        return GTK_WIDGET (toplevel);
    }

  return NULL;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
button (GtkWidget  *root,
        const char *label)
{
  GtkWidget *found = esc_test_ui_find_widget (root, is_button_labelled, label);

  if (found == NULL)
    g_error ("No button “%s”", label);
  return found;
}

/* An import with bad rows changes nothing and names every bad line: those
 * the app sees itself, then one only the service knows (an email it has) */
static void
test_import_bad_rows (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *text = NULL;
  GtkWidget *dialog;
  const char *bad =
    "name,email,team,roles\n"
    "Hugo Lefèvre,hugo@example.org,Desk A,support-staff\n"
    "Léa Moreau,not-an-email,Desk A,support-staff\n"
    "Chloé Roux,chloe@example.org,Desk B,wizard\n"
    "Hugo Again,hugo@example.org,Desk A,support-staff\n";
  const char *known =
    "name,email,team,roles\n"
    "Hugo Lefèvre,hugo@example.org,Desk A,support-staff\n"
    "Dominique Bis,dominique@example.org,Desk B,support-staff\n";

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  wait_shown (fixture, 4);
  before = service_staff (fixture);

  esc_staff_show_import_dialog (GTK_WIDGET (fixture->page), fixture->session);
  esc_test_ui_settle ();
  dialog = toplevel_titled ("Import People");
  g_assert_nonnull (dialog);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, dialog, "the import dialog");

  esc_staff_import_dialog_check_file (dialog, "people.csv", bad);
  esc_test_ui_settle ();
  text = esc_test_ui_visible_text (dialog);
  g_assert_nonnull (strstr (text, "Line 3"));
  g_assert_nonnull (strstr (text, "Line 4"));
  g_assert_nonnull (strstr (text, "Line 5"));
  g_assert_null (strstr (text, "Line 2"));
  g_assert_nonnull (strstr (text, "3 rows are not right"));
  g_assert_false (gtk_widget_get_sensitive (gtk_window_get_default_widget (GTK_WINDOW (dialog))));

  /* Right as far as the app can tell; the service knows dominique's email */
  esc_staff_import_dialog_check_file (dialog, "people.csv", known);
  g_assert_true (gtk_widget_get_sensitive (gtk_window_get_default_widget (GTK_WINDOW (dialog))));
  g_signal_emit_by_name (gtk_window_get_default_widget (GTK_WINDOW (dialog)), "clicked");
  wait_for_text (dialog, "The service refused these rows");
  g_clear_pointer (&text, g_free);
  text = esc_test_ui_visible_text (dialog);
  g_assert_nonnull (strstr (text, "Line 3"));
  g_assert_null (strstr (text, "Line 2"));

  after = service_staff (fixture);
  g_assert_cmpuint (after->len, ==, before->len);
}

static void
got_me_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_get_me_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_create_elevation_request_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

static void
got_elevation_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_get_elevation_request_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

static EscClient *
client_for (Fixture    *fixture,
            const char *token)
{
  EscClient *client = esc_client_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (client, token);
  return client;
}

/* "Remove access" from the screen ends the person's tokens, designations and
 * open elevations */
static void
test_remove_access (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) elodie = client_for (fixture, fixture->elodie_token);
  g_autoptr(EscClient) admin = client_for (fixture, fixture->admin_token);
  g_autoptr(EscStaffMember) member = NULL;
  g_autoptr(EscElevationRequest) opened = NULL;
  g_autoptr(EscElevationRequest) closed = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  const char *grant[] = { "designation", "grant", "--user", "elodie", "--capability", "elevation",
                          "--reason", "Device team", NULL };
  const char *device[] = { "device", "add", "--name", "MMD-0001", "--serial", "SN-0001", "--group",
                           "broad", NULL };
  GtkWidget *dialog = NULL;
  GtkWidget *confirm = NULL;
  GtkWidget *column_view;
  Wait wait = { 0, };

  esc_test_service_run (fixture->service, grant, NULL, &error);
  g_assert_no_error (error);
  esc_test_service_run (fixture->service, device, NULL, &error);
  g_assert_no_error (error);
  esc_client_create_elevation_request_async (elodie, "INC0012345", "MMD-0001", "devices", "printer-driver",
                                             "Reinstall the driver", "Run the troubleshooter elevated.",
                                             NULL, NULL, opened_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the elevation request");
  g_assert_no_error (wait.error);
  opened = wait.result;
  g_assert_cmpstr (esc_elevation_request_get_state (opened), ==, "open");

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  wait_shown (fixture, 4);
  gtk_editable_set_text (GTK_EDITABLE (esc_staff_page_get_search_entry (fixture->page)), "elodie");
  wait_shown (fixture, 1);
  column_view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_signal_emit_by_name (column_view, "activate", 0);
  esc_test_ui_settle ();
  dialog = toplevel_titled ("elodie");
  g_assert_nonnull (dialog);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, dialog, "the person's dialog");

  g_signal_emit_by_name (button (dialog, "_Remove Access…"), "clicked");
  esc_test_ui_settle ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        confirm = toplevel;
    }
  g_assert_nonnull (confirm);
  /* It says exactly what happens */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)), "token"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (confirm)), "rotated"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (confirm), "remove");
  gtk_window_destroy (GTK_WINDOW (confirm));

  /* The counts after */
  {
    gboolean shown = FALSE;
    guint attempts = 0;

    while (!shown && attempts++ < 600)
      {
        for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
          {
            g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

            if (ADW_IS_MESSAGE_DIALOG (toplevel) &&
                g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)),
                           "Access of elodie Removed") == 0)
              {
                const char *body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel));

                g_assert_nonnull (strstr (body, "1 token revoked"));
                g_assert_nonnull (strstr (body, "2 designations withdrawn"));
                g_assert_nonnull (strstr (body, "1 elevation request closed"));
                g_assert_nonnull (strstr (body, "1 device’s password rotated"));
                shown = TRUE;
              }
          }
        if (!shown)
          {
            g_usleep (50000);
            esc_test_ui_settle ();
          }
      }
    g_assert_true (shown);
  }

  /* On the service: elodie's token answers 401, no designation, the elevation closed */
  memset (&wait, 0, sizeof wait);
  esc_client_get_me_async (elodie, NULL, got_me_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "GET /v1/me");
  g_assert_error (wait.error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
  g_clear_error (&wait.error);

  member = service_member (fixture, "elodie");
  g_assert_nonnull (member);
  g_assert_true (esc_staff_member_get_disabled (member));
  g_assert_false (esc_staff_member_has_capability (member, "elevation"));
  g_assert_false (esc_staff_member_has_capability (member, "escalation"));

  memset (&wait, 0, sizeof wait);
  esc_client_get_elevation_request_async (admin, esc_elevation_request_get_id (opened), NULL,
                                          got_elevation_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the elevation request");
  g_assert_no_error (wait.error);
  closed = wait.result;
  g_assert_cmpstr (esc_elevation_request_get_state (closed), ==, "closed");
  /* Closed by the administrator who removed the access, and says why */
  g_assert_cmpstr (esc_elevation_request_get_closed_by (closed), ==, "camille");
  g_assert_cmpstr (esc_elevation_request_get_closed_reason (closed), ==, "access-removed");

  /* The directory shows it once synced */
  wait_for_text (GTK_WIDGET (fixture->page), "access removed");
}

static GtkWidget *
open_person (Fixture    *fixture,
             const char *name)
{
  GtkWidget *column_view;
  GtkWidget *dialog;

  gtk_editable_set_text (GTK_EDITABLE (esc_staff_page_get_search_entry (fixture->page)), name);
  wait_shown (fixture, 1);
  column_view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_signal_emit_by_name (column_view, "activate", 0);
  esc_test_ui_settle ();
  dialog = toplevel_titled (name);
  g_assert_nonnull (dialog);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, dialog, "the person's dialog");
  return dialog;
}

static void
contact_set_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_set_admin_contact_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_account_refresh_finish (ESC_ACCOUNT (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
has_stack_child (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), data) != NULL;
}

/* Shows the People, Admin Contacts or Audit Log view of the screen */
static GtkWidget *
show_view (Fixture    *fixture,
           const char *name,
           GType       type)
{
  GtkWidget *stack = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), has_stack_child, "contacts");
  GtkWidget *view;

  g_assert_nonnull (stack);
  gtk_stack_set_visible_child_name (GTK_STACK (stack), name);
  esc_test_ui_settle ();
  view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type, GSIZE_TO_POINTER (type));
  g_assert_nonnull (view);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, view, "the view to be drawn");
  return view;
}

/* The service stopped: the screen shows the directory and the admin contacts
 * the workspace mirrored, says it is offline, and still flags a missing contact */
static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(EscClient) admin = client_for (fixture, fixture->admin_token);
  g_autoptr(EscSupportContact) contact = esc_support_contact_new ("Sophie", "Martin", "sophie.martin@example.org",
                                                                   "+33 1 23 45 67 89", ESC_CONTACT_METHOD_EMAIL,
                                                                   "fr");
  g_autofree char *text = NULL;
  GtkWidget *contacts;
  Wait wait = { 0, };

  esc_client_set_admin_contact_async (admin, "security", contact, NULL, contact_set_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "PUT /v1/admin-contacts/security");
  g_assert_no_error (wait.error);
  g_clear_object (&wait.result);

  /* Synced once online, then the service goes away */
  sign_in_and_sync (fixture, fixture->admin_token);
  g_assert_true (esc_test_service_terminate (fixture->service));
  memset (&wait, 0, sizeof wait);
  esc_account_refresh_async (fixture->account, NULL, refreshed_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the account's refresh");
  g_assert_nonnull (wait.error);
  g_clear_error (&wait.error);
  g_clear_object (&wait.result);

  open_staff_screen (fixture);
  wait_shown (fixture, 4);
  wait_for_text (GTK_WIDGET (fixture->page), "dominique@example.org");
  wait_for_text (GTK_WIDGET (fixture->page), "Offline: the directory as last synced on");
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_assert_nonnull (strstr (text, "4 people"));

  /* The contacts as mirrored: the security one, and the others flagged missing */
  contacts = show_view (fixture, "contacts", ESC_TYPE_STAFF_CONTACTS);
  wait_for_text (contacts, "Offline: the admin contacts as last synced");
  wait_for_text (contacts, "Sophie Martin, sophie.martin@example.org");
  wait_for_text (contacts, "Missing: requests in this area cannot name an admin contact");
}

static gboolean
is_entry_tooltip (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_ENTRY (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

/* The audit log between two days, both included; a day that is not one, or
 * a range backwards, is said and filters nothing */
static void
test_audit_range (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow_time = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) yesterday_time = g_date_time_add_days (now, -1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *tomorrow = g_date_time_format (tomorrow_time, "%Y-%m-%d");
  g_autofree char *yesterday = g_date_time_format (yesterday_time, "%Y-%m-%d");
  g_autofree char *all = NULL;
  g_autofree char *text = NULL;
  GtkWidget *audit, *period, *from, *to;
  guint n_events;

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  wait_shown (fixture, 4);
  audit = show_view (fixture, "audit", ESC_TYPE_STAFF_AUDIT);
  n_events = g_list_model_get_n_items (esc_mirror_get_audit_events (esc_session_get_mirror (fixture->session)));
  g_assert_cmpuint (n_events, >, 0);
  all = n_events == 1 ? g_strdup ("1 event") : g_strdup_printf ("%u events", n_events);
  wait_for_text (audit, all);

  period = esc_test_ui_find_widget (audit, is_tooltip, "Date");
  from = esc_test_ui_find_widget (audit, is_entry_tooltip, "The first day shown, as 2024-05-31");
  to = esc_test_ui_find_widget (audit, is_entry_tooltip, "The last day shown, as 2024-05-31");
  g_assert_nonnull (period);
  g_assert_nonnull (from);
  g_assert_nonnull (to);
  g_assert_false (gtk_widget_is_visible (from));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (period), 4);  /* Between dates */
  esc_test_ui_settle ();
  g_assert_true (gtk_widget_is_visible (from));

  /* Everything happened today */
  gtk_editable_set_text (GTK_EDITABLE (from), yesterday);
  gtk_editable_set_text (GTK_EDITABLE (to), today);
  wait_for_text (audit, all);
  gtk_editable_set_text (GTK_EDITABLE (to), yesterday);
  wait_for_text (audit, "0 events");
  gtk_editable_set_text (GTK_EDITABLE (to), "");
  gtk_editable_set_text (GTK_EDITABLE (from), tomorrow);
  wait_for_text (audit, "0 events");
  gtk_editable_set_text (GTK_EDITABLE (from), today);
  wait_for_text (audit, all);

  /* Not a date: said, and nothing is filtered out meanwhile */
  gtk_editable_set_text (GTK_EDITABLE (from), "2024-13-01");
  wait_for_text (audit, "The start date is not a date: write it as 2024-05-31.");
  g_assert_true (gtk_widget_has_css_class (from, "error"));
  wait_for_text (audit, all);
  gtk_editable_set_text (GTK_EDITABLE (from), tomorrow);
  gtk_editable_set_text (GTK_EDITABLE (to), today);
  wait_for_text (audit, "The end date is before the start date.");
  wait_for_text (audit, all);
  gtk_editable_set_text (GTK_EDITABLE (from), today);
  esc_test_ui_settle ();
  text = esc_test_ui_visible_text (audit);
  g_assert_null (strstr (text, "The end date is before"));
  g_assert_false (gtk_widget_has_css_class (from, "error"));
  wait_for_text (audit, all);
}

static gboolean
outbox_has_refused (gpointer data)
{
  return esc_outbox_get_n_refused (data) == 1;
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* A designation changed meanwhile by another administrator is not
 * overwritten: the service answers 412, the screen shows both versions, and
 * "Keep Mine" sends it again against the version now seen */
static void
test_stale_change (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscStaffMember) after = NULL;
  const char *other[] = { "designation", "grant", "--user", "dominique", "--capability", "escalation",
                          "--reason", "Granted by another administrator", NULL };
  AdwExpanderRow *elevation;
  GtkWidget *dialog;
  GtkWidget *reason;
  g_autofree char *text = NULL;

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  wait_shown (fixture, 4);
  esc_outbox_sender_start (fixture->sender);

  dialog = open_person (fixture, "dominique");
  elevation = ADW_EXPANDER_ROW (esc_test_ui_find_widget (dialog, esc_test_ui_is_of_type,
                                                         GSIZE_TO_POINTER (ADW_TYPE_EXPANDER_ROW)));
  adw_expander_row_set_enable_expansion (elevation, TRUE);
  reason = esc_test_ui_find_widget (GTK_WIDGET (elevation), esc_test_ui_is_of_type,
                                    GSIZE_TO_POINTER (ADW_TYPE_ENTRY_ROW));
  gtk_editable_set_text (GTK_EDITABLE (reason), "Covers the device team");

  /* Meanwhile, another administrator designates dominique */
  esc_test_service_run (fixture->service, other, NULL, &error);
  g_assert_no_error (error);

  g_signal_emit_by_name (gtk_window_get_default_widget (GTK_WINDOW (dialog)), "clicked");
  esc_test_ui_wait_until (outbox_has_refused, fixture->outbox, "the stale change to be refused");
  wait_for_text (GTK_WIDGET (fixture->page), "Changed meanwhile by someone else");
  {
    g_autoptr(EscStaffMember) now = service_member (fixture, "dominique");

    /* Nothing overwritten */
    g_assert_true (esc_staff_member_has_capability (now, "escalation"));
    g_assert_false (esc_staff_member_has_capability (now, "elevation"));
  }

  /* Both versions, side by side */
  dialog = open_person (fixture, "dominique");
  wait_for_text (dialog, "Changed Meanwhile");
  wait_for_text (dialog, "On the service now");
  text = esc_test_ui_visible_text (dialog);
  g_assert_nonnull (strstr (text, "Your change"));
  esc_test_ui_wait_until (is_sensitive, button (dialog, "Keep _Mine"), "the service's version");
  wait_for_text (dialog, "Escalation");

  g_signal_emit_by_name (button (dialog, "Keep _Mine"), "clicked");
  esc_test_ui_wait_until (outbox_is_empty, fixture->outbox, "the change to be sent again");
  after = service_member (fixture, "dominique");
  g_assert_true (esc_staff_member_has_capability (after, "elevation"));
  g_assert_false (esc_staff_member_has_capability (after, "escalation"));
}

static void
sign_in (Fixture    *fixture,
         const char *token)
{
  Wait wait = { 0, };

  esc_account_sign_in_async (fixture->account, esc_test_service_get_url (fixture->service), token,
                             NULL, signed_in_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sign-in");
  g_assert_no_error (wait.error);
  g_clear_object (&wait.result);
}

static gboolean
is_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
add_dialog_is_open (gpointer data)
{
  return toplevel_titled ("Add a Person") != NULL;
}

/* An empty directory (signed in, the directory not brought in yet) says so
 * instead of showing a bare table; once synced, the people are listed */
static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *text = NULL;
  GtkWidget *column_view;
  GtkWidget *add;

  sign_in (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (esc_staff_page_get_shown (fixture->page)), ==, 0);

  column_view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));
  g_assert_nonnull (column_view);
  wait_for_text (GTK_WIDGET (fixture->page), "No People Yet");
  esc_test_ui_screenshot ("staff-empty.png");
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_assert_null (strstr (text, "No Matching People"));
  g_assert_false (gtk_widget_get_mapped (column_view));
  /* What it offers: adding someone, which opens the same dialog as the toolbar's button */
  add = button (GTK_WIDGET (fixture->page), "_Add a Person");
  g_assert_true (gtk_widget_get_mapped (add));
  gtk_widget_activate (add);
  esc_test_ui_wait_until (add_dialog_is_open, NULL, "the Add a Person dialog");
  gtk_window_destroy (GTK_WINDOW (toplevel_titled ("Add a Person")));
  esc_test_ui_settle ();

  {
    Wait sync = { 0, };

    esc_sync_run_async (fixture->sync, NULL, synced_cb, &sync);
    esc_test_ui_wait_until (wait_done, &sync, "the sync");
    g_assert_no_error (sync.error);
  }
  wait_shown (fixture, 4);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, column_view, "the directory to be shown");
  esc_test_ui_wait_until (is_unmapped, add, "the empty state to go");
  wait_for_text (GTK_WIDGET (fixture->page), "dominique@example.org");
  g_free (text);
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_assert_null (strstr (text, "No People Yet"));
}

/* A search or filters that match no one say so, apart from an empty
 * directory, and offer only to clear them */
static void
test_no_match (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *text = NULL;
  GtkWidget *column_view;
  GtkWidget *designation;
  GtkWidget *search;
  GtkWidget *clear;

  sign_in_and_sync (fixture, fixture->admin_token);
  open_staff_screen (fixture);
  wait_shown (fixture, 4);
  column_view = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                         GSIZE_TO_POINTER (GTK_TYPE_COLUMN_VIEW));

  search = esc_staff_page_get_search_entry (fixture->page);
  gtk_editable_set_text (GTK_EDITABLE (search), "nobody-here");
  wait_shown (fixture, 0);
  wait_for_text (GTK_WIDGET (fixture->page), "No Matching People");
  esc_test_ui_screenshot ("staff-no-match.png");
  text = esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
  g_assert_null (strstr (text, "No People Yet"));
  g_assert_nonnull (strstr (text, "0 of 4 people shown"));
  g_assert_false (gtk_widget_get_mapped (column_view));
  g_assert_false (gtk_widget_get_mapped (button (GTK_WIDGET (fixture->page), "_Add a Person")));

  /* Clearing brings everyone back: the search and the drop-downs */
  designation = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_tooltip, "Designation");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (designation), 1);  /* Elevation: no one */
  clear = button (GTK_WIDGET (fixture->page), "Clear _Search and Filters");
  g_assert_true (gtk_widget_get_mapped (clear));
  gtk_widget_activate (clear);
  wait_shown (fixture, 4);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (designation)), ==, 0);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, column_view, "the directory to be shown again");

  /* A filter alone that matches no one says the same */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (designation), 1);
  wait_shown (fixture, 0);
  wait_for_text (GTK_WIDGET (fixture->page), "No Matching People");
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);
  g_log_set_writer_func (log_writer, &captured_output, NULL);

  g_test_add ("/ui/staff/directory", Fixture, NULL, fixture_setup, test_directory, fixture_teardown);
  g_test_add ("/ui/staff/designation", Fixture, NULL, fixture_setup, test_designation, fixture_teardown);
  g_test_add ("/ui/staff/denied", Fixture, NULL, fixture_setup, test_denied, fixture_teardown);
  g_test_add ("/ui/staff/import-bad-rows", Fixture, NULL, fixture_setup, test_import_bad_rows, fixture_teardown);
  g_test_add ("/ui/staff/remove-access", Fixture, NULL, fixture_setup, test_remove_access, fixture_teardown);
  g_test_add ("/ui/staff/stale-change", Fixture, NULL, fixture_setup, test_stale_change, fixture_teardown);
  g_test_add ("/ui/staff/no-token-leak", Fixture, NULL, fixture_setup, test_no_token_leak, fixture_teardown);
  g_test_add ("/ui/staff/offline", Fixture, NULL, fixture_setup, test_offline, fixture_teardown);
  g_test_add ("/ui/staff/audit-range", Fixture, NULL, fixture_setup, test_audit_range, fixture_teardown);
  g_test_add ("/ui/staff/empty", Fixture, NULL, fixture_setup, test_empty, fixture_teardown);
  g_test_add ("/ui/staff/no-match", Fixture, NULL, fixture_setup, test_no_match, fixture_teardown);

  return esc_test_ui_run ();
}
