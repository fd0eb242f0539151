/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "esc-client.h"
#include "esc-preferences-window.h"
#include "esc-roles-page.h"
#include "esc-routing-page.h"
#include "esc-store-error.h"
#include "esc-test-service.h"
#include "esc-test-ui.h"
#include "esc-token-store.h"
#include "esc-window.h"

/* Real windows under a real display (Xvfb in CI), a real workspace file,
 * a real escalade-service on loopback and a private gnome-keyring. */

typedef struct
{
  char         *dir;
  EscWorkspace *workspace;
  EscSession   *session;  /* without the workspace: each test gives it when it needs it */
  EscClient    *client;   /* the session's */
  EscAccount   *account;  /* the session's */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  fixture->session = esc_session_new (NULL);
  fixture->client = esc_session_get_client (fixture->session);
  fixture->account = esc_session_get_account (fixture->session);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fixture->account = NULL;
  fixture->client = NULL;
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->workspace);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
test_window_shows_roles_matrix (Fixture       *fixture,
                                gconstpointer  data)
{
  EscWindow *window;
  GListModel *model;
  g_autofree char *text = NULL;

  esc_session_set_workspace (fixture->session, fixture->workspace);
  window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, window, "the window to be drawn");
  esc_test_ui_settle ();

  /* Requests is the first screen; Roles the second (Alt+2) */
  g_assert_cmpstr (esc_window_get_screen (window), ==, "requests");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-screen", "s", "roles"));
  esc_test_ui_settle ();
  g_assert_cmpstr (esc_window_get_screen (window), ==, "roles");

  text = esc_test_ui_visible_text (GTK_WIDGET (window));
  g_test_message ("Visible text:\n%s", text);

  /* The three parties of the source, each with its responsibilities */
  g_assert_nonnull (strstr (text, "Support provider"));
  g_assert_nonnull (strstr (text, "IT administrator"));
  g_assert_nonnull (strstr (text, "Service provider"));
  g_assert_nonnull (strstr (text, "from first contact"));

  model = esc_workspace_get_parties (fixture->workspace);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_shows_routing (Fixture       *fixture,
                           gconstpointer  data)
{
  EscWindow *window;
  EscRoutingPage *routing_page;
  g_autofree char *text = NULL;

  esc_session_set_workspace (fixture->session, fixture->workspace);
  window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, window, "the window to be drawn");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-screen", "s", "routing"));
  esc_test_ui_settle ();
  g_assert_cmpstr (esc_window_get_screen (window), ==, "routing");

  text = esc_test_ui_visible_text (GTK_WIDGET (window));
  g_test_message ("Visible text:\n%s", text);
  g_assert_nonnull (strstr (text, "Hardware"));
  g_assert_nonnull (strstr (text, "vendor"));
  g_assert_nonnull (strstr (text, "operations team"));
  g_assert_nonnull (strstr (text, "Unified or Premier"));

  /* Where does this go? asks its questions first (tests/test-ui-matrices.c walks them) */
  routing_page = ESC_ROUTING_PAGE (esc_test_ui_find_widget (GTK_WIDGET (window), esc_test_ui_is_of_type,
                                                GSIZE_TO_POINTER (ESC_TYPE_ROUTING_PAGE)));
  g_assert_nonnull (routing_page);
  g_assert_null (esc_routing_page_get_suggested_team (routing_page));
  g_assert_nonnull (strstr (text, "hardware at fault"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static gboolean
has_workspace_error (gpointer data)
{
  return esc_session_get_workspace_error (data) != NULL;
}

static void
test_window_workspace_error (Fixture       *fixture,
                             gconstpointer  data)
{
  EscWindow *window;
  const GError *error;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  GListModel *toplevels;
  gboolean found_dialog = FALSE;

  /* A file that is not a database must be refused, and said so: the window
   * shows first, as the application's does, then the session fails to open it */
  path = g_build_filename (fixture->dir, "garbage.sqlite3", NULL);
  g_assert_true (g_file_set_contents (path, "this is not a database, it is a note", -1, NULL));

  window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (window));
  esc_session_open_workspace_async (fixture->session, path, NULL, NULL, NULL);
  esc_test_ui_wait_until (has_workspace_error, fixture->session, "the workspace to be refused");
  error = esc_session_get_workspace_error (fixture->session);
  g_assert_error ((GError *)error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT);
  g_assert_null (esc_session_get_workspace (fixture->session));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, window, "the window to be drawn");
  esc_test_ui_settle ();

  g_assert_null (esc_window_get_screen (window));
  text = esc_test_ui_visible_text (GTK_WIDGET (window));
  g_assert_nonnull (strstr (text, error->message));

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        {
          g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (toplevel)), ==, error->message);
          found_dialog = TRUE;
          gtk_window_destroy (toplevel);
        }
    }
  g_assert_true (found_dialog);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

typedef struct
{
  EscPreferencesWindow *preferences;
  const char           *expected;
} StatusWait;

static gboolean
status_contains (gpointer data)
{
  StatusWait *wait = data;
  const char *status = esc_preferences_window_get_status (wait->preferences);

  return status != NULL && strstr (status, wait->expected) != NULL;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* Types into the entry row with that title, as a user finds it by its label */
static GtkEditable *
row_entry (EscPreferencesWindow *preferences,
           const char           *title)
{
  GtkWidget *row = esc_test_ui_find_widget (GTK_WIDGET (preferences), is_row_titled, title);

  g_assert_nonnull (row);
  g_assert_true (GTK_IS_EDITABLE (row));
  return GTK_EDITABLE (row);
}

static void
click (EscPreferencesWindow *preferences,
       const char           *label)
{
  GtkWidget *button = esc_test_ui_find_widget (GTK_WIDGET (preferences), is_button_labelled, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
account_idle (gpointer data)
{
  return !esc_account_get_busy (data);
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = esc_token_store_lookup_finish (result, &error);
  g_assert_no_error (error);
  if (*token == NULL)
    *token = g_strdup ("");
}

static gboolean
is_set (gpointer data)
{
  return *(char **)data != NULL;
}

/* The token the keyring holds for @user at @url, "" when none */
static char *
keyring_token (const char *url,
               const char *user)
{
  char *token = NULL;

  esc_token_store_lookup_async (url, user, NULL, lookup_done_cb, &token);
  esc_test_ui_wait_until (is_set, &token, "the keyring");
  return token;
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_preferences_connect (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EscTestService *service;
  EscPreferencesWindow *preferences;
  g_autofree char *token = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *after_sign_out = NULL;
  g_autofree char *dead_url = NULL;
  const char *url;
  StatusWait wait;

  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  url = esc_test_service_get_url (service);
  token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin", &error);
  g_assert_no_error (error);

  preferences = g_object_ref (esc_preferences_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (preferences));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, preferences, "the preferences to be drawn");
  g_assert_nonnull (strstr (esc_preferences_window_get_status (preferences), "Not connected"));

  /* A wrong token: the service's reason is shown, and what was typed stays */
  gtk_editable_set_text (row_entry (preferences, "Service URL"), url);
  gtk_editable_set_text (row_entry (preferences, "Token"), "esc_not-a-real-token");
  click (preferences, "_Connect");
  esc_test_ui_wait_until (account_idle, fixture->account, "the sign-in to end");
  g_assert_null (esc_account_get_identity (fixture->account));
  g_assert_nonnull (esc_account_get_last_error (fixture->account));
  g_assert_cmpstr (esc_preferences_window_get_status (preferences), ==,
                   esc_account_get_last_error (fixture->account));
  g_assert_cmpstr (gtk_editable_get_text (row_entry (preferences, "Token")), ==, "esc_not-a-real-token");

  /* The right token: connected, shown with the roles, and kept in the keyring only */
  gtk_editable_set_text (row_entry (preferences, "Token"), token);
  click (preferences, "_Connect");
  wait = (StatusWait) { preferences, "Connected as camille" };
  esc_test_ui_wait_until (status_contains, &wait, "the connection to be shown");
  g_assert_nonnull (strstr (esc_preferences_window_get_status (preferences), "IT administrator"));
  g_assert_cmpstr (gtk_editable_get_text (row_entry (preferences, "Token")), ==, "");
  saved = keyring_token (url, "camille");
  g_assert_cmpstr (saved, ==, token);

  /* Signing out forgets the token */
  click (preferences, "_Sign Out");
  esc_test_ui_wait_until (account_idle, fixture->account, "the sign-out to end");
  after_sign_out = keyring_token (url, "camille");
  g_assert_cmpstr (after_sign_out, ==, "");
  g_assert_nonnull (strstr (esc_preferences_window_get_status (preferences), "Not connected"));

  /* A service that is not there is named as such */
  dead_url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  gtk_editable_set_text (row_entry (preferences, "Service URL"), dead_url);
  gtk_editable_set_text (row_entry (preferences, "Token"), token);
  click (preferences, "_Connect");
  esc_test_ui_wait_until (account_idle, fixture->account, "the sign-in to end");
  g_assert_null (esc_account_get_identity (fixture->account));
  g_assert_nonnull (strstr (esc_preferences_window_get_status (preferences), "127.0.0.1"));

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_finalize_object (preferences);
  esc_test_service_stop (service);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
test_preferences_trust_certificate (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *trusted = NULL;
  EscTestService *service;
  EscPreferencesWindow *preferences;
  AdwMessageDialog *dialog;
  StatusWait wait;

  g_assert_true (esc_test_make_self_signed_cert (fixture->dir, &cert_file, &key_file, &error));
  g_assert_no_error (error);
  service = esc_test_service_start_tls (cert_file, key_file, &error);
  g_assert_no_error (error);
  url = g_strdup (esc_test_service_get_url (service));
  g_assert_true (g_str_has_prefix (url, "https://"));
  token = esc_test_service_create_token (service, "dominique", "dominique@example.org", "it-admin", &error);
  g_assert_no_error (error);
  esc_session_set_workspace (fixture->session, fixture->workspace);

  preferences = g_object_ref (esc_preferences_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (preferences));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, preferences, "the preferences to be drawn");

  /* Not trusted: refused, and the user is asked, with the fingerprint to compare */
  gtk_editable_set_text (row_entry (preferences, "Service URL"), url);
  gtk_editable_set_text (row_entry (preferences, "Token"), token);
  click (preferences, "_Connect");
  esc_test_ui_wait_until (has_message_dialog, NULL, "the question about the certificate");
  g_assert_null (esc_account_get_identity (fixture->account));
  dialog = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "sha256:"));

  /* Trusted: connected, and remembered for this service in the workspace */
  adw_message_dialog_response (dialog, "trust");
  wait = (StatusWait) { preferences, "Connected as dominique" };
  esc_test_ui_wait_until (status_contains, &wait, "the connection over TLS");
  trusted = esc_client_dup_trusted_fingerprint (fixture->client, url);
  g_assert_nonnull (trusted);

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_finalize_object (preferences);
  esc_test_service_stop (service);
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/window/roles-matrix", Fixture, NULL,
              fixture_setup, test_window_shows_roles_matrix, fixture_teardown);
  g_test_add ("/ui/window/routing", Fixture, NULL,
              fixture_setup, test_window_shows_routing, fixture_teardown);
  g_test_add ("/ui/window/workspace-error", Fixture, NULL,
              fixture_setup, test_window_workspace_error, fixture_teardown);
  g_test_add ("/ui/preferences/connect", Fixture, NULL,
              fixture_setup, test_preferences_connect, fixture_teardown);
  g_test_add ("/ui/preferences/trust-certificate", Fixture, NULL,
              fixture_setup, test_preferences_trust_certificate, fixture_teardown);

  return esc_test_ui_run ();
}
