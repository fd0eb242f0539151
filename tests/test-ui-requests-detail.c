/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <sqlite3.h>
#include <adwaita.h>

#include "esc-application.h"
#include "esc-client.h"
#include "esc-request-detail.h"
#include "esc-request-editor.h"
#include "esc-test-requests-ui.h"
#include "esc-test-ui.h"

/* A request's detail: edited and reactivated through the outbox; and the
 * desktop notifications of the whole application.
 * ESCALADE_TEST_SCREENSHOTS=DIR saves screenshots on the way (ImageMagick's
 * import). The fixture and the helpers are in esc-test-requests-ui.c. */

typedef struct
{
  Fixture                *fixture;
  const char             *title;
  EscSupportSeverity      severity;
  EscSupportRequestState  state;
} StateWait;

static gboolean
listed_as (gpointer data)
{
  StateWait *wait = data;
  g_autoptr(EscSupportRequest) request = listed_request (wait->fixture, wait->title);

  return request != NULL &&
         esc_support_request_get_severity (request) == wait->severity &&
         esc_support_request_get_state (request) == wait->state;
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_get_mapped (data);
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

typedef struct
{
  Fixture    *fixture;
  const char *title;
  const char *language;
} LanguageWait;

/* The pointer at @data was cleared (a weak pointer to a closed window) */
static gboolean
is_cleared (gpointer data)
{
  return *(gpointer *)data == NULL;
}

/* The listed request's contact speaks @language */
static gboolean
language_is (gpointer data)
{
  LanguageWait *wait = data;
  g_autoptr(EscSupportRequest) request = listed_request (wait->fixture, wait->title);

  return request != NULL && esc_support_request_get_contact (request) != NULL &&
         g_strcmp0 (esc_support_request_get_contact (request)->language, wait->language) == 0;
}

static void
test_edit_and_reactivate (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(EscSupportRequest) request = esc_support_request_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscSupportRequest) listed = NULL;
  g_autoptr(EscClient) operator = esc_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *operator_token = NULL;
  g_autofree char *path = NULL;
  const char *title = "Autopilot profile not applied to new devices";
  GtkWidget *detail;
  GtkWidget *editor;
  GtkWidget *dialog;
  RowWait row_wait = { fixture, title };
  LanguageWait language_wait = { fixture, title, NULL };
  StateWait state_wait = { fixture, title, ESC_SUPPORT_SEVERITY_C, ESC_SUPPORT_REQUEST_STATE_NEW };
  Wait wait = { 0, };

  sign_in (fixture, fixture->admin_token);
  esc_outbox_sender_start (fixture->sender);
  esc_sync_start (fixture->sync);
  open_window (fixture);

  /* A severity A request, filed through the outbox as the form does */
  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org", "+33 1 23 45 67 89",
                                     ESC_CONTACT_METHOD_EMAIL, "fr-FR");
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_A);
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "enrollment");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, "New devices stay on the out-of-box screen.");
  esc_support_request_set_contact (request, contact);
  item = esc_outbox_sender_file_support_request (fixture->sender, request, NULL, &error);
  g_assert_no_error (error);
  esc_test_ui_wait_until (is_listed, &row_wait, "the request to be listed");
  listed = listed_request (fixture, title);
  g_assert_true (esc_requests_page_select_request (fixture->page, esc_support_request_get_id (listed)));
  detail = esc_requests_page_get_detail (fixture->page);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, detail, "the detail to show");
  esc_test_ui_settle ();

  /* Edit while open: severity A → C, through the outbox */
  click (detail, "_Edit…");
  editor = find_toplevel (ESC_TYPE_REQUEST_EDITOR);
  g_assert_nonnull (editor);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, editor, "the editor to be drawn");
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *)&editor);
  choose (editor, "Severity", "C — Minimal impact");
  esc_test_ui_screenshot ("editor.png");
  click (editor, "_Save");
  esc_test_ui_wait_until (listed_as, &state_wait, "the new severity in the list");

  /* The contact's language, saved untouched, stays as the request had it
   * ("fr-FR", shown as Français); chosen from the same list as the form's */
  language_wait.language = "fr-FR";
  g_assert_true (language_is (&language_wait));
  esc_test_ui_wait_until (is_cleared, &editor, "the editor to close");
  click (detail, "_Edit…");
  editor = find_toplevel (ESC_TYPE_REQUEST_EDITOR);
  g_assert_nonnull (editor);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, editor, "the editor to be drawn");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (ADW_COMBO_ROW (row (editor, "Language")))),
                   ==, "Français");
  choose (editor, "Language", "Deutsch");
  click (editor, "_Save");
  language_wait.language = "de";
  esc_test_ui_wait_until (language_is, &language_wait, "the new language in the list");

  /* The operations team resolves it; after a sync it can be reactivated */
  operator_token = esc_test_service_create_token (fixture->service, "olga", "olga@example.org", "operator", &error);
  g_assert_no_error (error);
  g_assert_true (esc_client_set_base_url (operator, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (operator, operator_token);
  path = g_strdup_printf ("/v1/support-requests/%s/state", esc_support_request_get_id (listed));
  esc_client_call_async (operator, "POST", path, "{\"state\":\"resolved\",\"text\":\"Profile reassigned.\"}",
                         NULL, NULL, called_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the operator's answer");
  g_assert_no_error (wait.error);
  g_clear_pointer ((JsonNode **)&wait.result, json_node_unref);

  wait = (Wait) { 0, };
  esc_sync_run_async (fixture->sync, NULL, synced_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sync");
  g_assert_no_error (wait.error);
  state_wait.state = ESC_SUPPORT_REQUEST_STATE_RESOLVED;
  esc_test_ui_wait_until (listed_as, &state_wait, "the resolution in the list");
  esc_test_ui_wait_until (is_visible, esc_test_ui_find_widget (detail, is_button_labelled_any, "_Reactivate…"),
              "the Reactivate button");
  esc_test_ui_screenshot ("detail-resolved.png");

  click (detail, "_Reactivate…");
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "reactivate");
  gtk_window_destroy (GTK_WINDOW (dialog));
  state_wait.state = ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS;
  esc_test_ui_wait_until (listed_as, &state_wait, "the reactivation in the list");
}

/* Desktop notifications, from the whole application ------------------------------------ */

/* A notification server of our own on the test's private session bus. Outside
 * a sandbox, GLib 2.74 sends GNotifications through org.gtk.Notifications when
 * that name has an owner (GNOME Shell), else through the freedesktop.org
 * org.freedesktop.Notifications: that is the one we own, and nobody owns the
 * other here. */

typedef struct
{
  char      *sender;
  guint32    id;
  guint32    replaces_id;
  char      *summary;
  char      *body;
  char     **actions;
  GVariant  *hints;
} Notification;

static void
notification_free (gpointer data)
{
  Notification *notification = data;

  g_free (notification->sender);
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_clear_pointer (&notification->hints, g_variant_unref);
  g_free (notification);
}

typedef struct
{
  GDBusConnection *connection;  /* its own connection to the bus */
  guint            object_id;
  GPtrArray       *received;    /* Notification, in the order they came */
  guint32          last_id;
} NotificationServer;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  NotificationServer *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      Notification *notification = g_new0 (Notification, 1);
      const char *app_name;
      const char *icon;
      const char *summary;
      const char *body;
      gint32 timeout;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", &app_name, &notification->replaces_id, &icon,
                     &summary, &body, &notification->actions, &notification->hints, &timeout);
      notification->sender = g_strdup (sender);
      notification->summary = g_strdup (summary);
      notification->body = g_strdup (body);
      notification->id = notification->replaces_id != 0 ? notification->replaces_id : ++server->last_id;
      g_ptr_array_add (server->received, notification);
      g_test_message ("Notification %u: %s — %s", notification->id, summary, body);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *capabilities[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "escalade-test", "Escalade",
                                                                      "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb, NULL, NULL, { 0 } };

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static NotificationServer *
notification_server_start (void)
{
  NotificationServer *server = g_new0 (NotificationServer, 1);
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint32 result = 0;

  server->received = g_ptr_array_new_with_free_func (notification_free);

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);

  /* The private bus of esc_test_keyring_start() */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  server->connection = g_dbus_connection_new_for_address_sync (address,
                                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                               NULL, NULL, &error);
  g_assert_no_error (error);
  server->object_id = g_dbus_connection_register_object (server->connection, "/org/freedesktop/Notifications",
                                                         info->interfaces[0], &notifications_vtable,
                                                         server, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (server->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications",
                                                      4 /* DBUS_NAME_FLAG_DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */);

  return server;
}

static void
notification_server_stop (NotificationServer *server)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_unregister_object (server->connection, server->object_id);
  g_dbus_connection_close_sync (server->connection, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->connection);
  g_ptr_array_unref (server->received);
  g_free (server);
}

static guint
n_received (NotificationServer *server,
            const char         *summary)
{
  guint n = 0;

  for (guint i = 0; i < server->received->len; i++)
    {
      Notification *notification = g_ptr_array_index (server->received, i);

      n += g_strcmp0 (notification->summary, summary) == 0 ? 1 : 0;
    }

  return n;
}

static Notification *
find_received (NotificationServer *server,
               const char         *summary)
{
  for (guint i = 0; i < server->received->len; i++)
    {
      Notification *notification = g_ptr_array_index (server->received, i);

      if (g_strcmp0 (notification->summary, summary) == 0)
        return notification;
    }

  return NULL;
}

typedef struct
{
  NotificationServer *server;
  const char         *summary;
} ReceivedWait;

static gboolean
was_received (gpointer data)
{
  ReceivedWait *wait = data;

  return n_received (wait->server, wait->summary) > 0;
}

static void
server_answered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &wait->error);
  wait->done = TRUE;
}

/* A round trip to the server on the application's own connection: answered
 * after every notification the application sent before it */
static void
notifications_barrier (GApplication *app)
{
  Wait wait = { 0, };

  g_dbus_connection_call (g_application_get_dbus_connection (app), "org.freedesktop.Notifications",
                          "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                          "GetServerInformation", NULL, G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE,
                          -1, NULL, server_answered_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the notification server's answer");
  g_assert_no_error (wait.error);
  g_variant_unref (wait.result);
}

/* The service, as its people use it */

static JsonNode *
call_as (Fixture    *fixture,
         const char *token,
         const char *method,
         const char *path,
         const char *body)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  g_assert_no_error (error);
  esc_client_set_token (client, token);
  esc_client_call_async (client, method, path, body, NULL, NULL, called_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the service's answer");
  g_assert_no_error (wait.error);

  return wait.result;
}

/* An admin request filed by the IT administrator (elsewhere than in this
 * application): its id */
static char *
file_as_admin (Fixture    *fixture,
               const char *severity,
               const char *title)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  body = g_strdup_printf ("{\"kind\":\"admin\",\"type\":\"incident\",\"severity\":\"%s\","
                          "\"category\":\"devices\",\"subcategory\":\"configuration-policy\","
                          "\"title\":\"%s\",\"description\":\"Seen on every device of the floor.\","
                          "\"contact\":{\"given_name\":\"Camille\",\"surname\":\"Martin\","
                          "\"email\":\"camille@example.org\",\"phone\":\"+33 1 23 45 67 89\","
                          "\"preferred_method\":\"email\",\"language\":\"fr\"}}",
                          severity, title);
  node = call_as (fixture, fixture->admin_token, "POST", "/v1/support-requests", body);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

/* The operations team moves a request to @state */
static void
move_as_operator (Fixture    *fixture,
                  const char *token,
                  const char *id,
                  const char *state)
{
  g_autofree char *path = g_strdup_printf ("/v1/support-requests/%s/state", id);
  g_autofree char *body = g_strdup_printf ("{\"state\":\"%s\",\"text\":\"From the operations team.\"}", state);

  json_node_unref (call_as (fixture, token, "POST", path, body));
}

/* The service's settings are data in its database, edited there: it has no
 * command for them */
static void
set_service_setting (Fixture    *fixture,
                     const char *key,
                     const char *value)
{
  sqlite3 *db = NULL;
  char *sql;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (esc_test_service_get_database (fixture->service), &db,
                                    SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  sql = sqlite3_mprintf ("UPDATE settings SET value = %Q WHERE key = %Q", value, key);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("Could not change the service's setting %s: %s", key, message);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (sql);
  sqlite3_close (db);
}

static gboolean
keep_waking_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
clock_reached (gpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_compare (now, data) >= 0;
}

/* The application runs, with its notifier ------------------------------------------- */

typedef struct
{
  Fixture            *fixture;
  NotificationServer *server;
  GApplication       *app;
  char               *operator_token;
  char               *assigned;   /* filed before the application starts */
  char               *resolved;
  gboolean            started;
} AppTest;

static gboolean
app_ready (gpointer data)
{
  AppTest *test = data;
  EscApplication *app = ESC_APPLICATION (test->app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  EscSession *session = esc_application_get_session (app);
  EscSync *sync = esc_session_get_sync (session);

  return ESC_IS_WINDOW (window) && esc_test_ui_is_drawn (window) &&
         esc_account_get_identity (esc_session_get_account (session)) != NULL &&
         sync != NULL && esc_sync_get_last_synced (sync) != NULL;
}

static void
refresh (AppTest *test)
{
  /* The Refresh button of the Requests screen */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->fixture->page), "requests.refresh", NULL));
}

static Notification *
expect_notification (AppTest    *test,
                     const char *summary,
                     const char *title)
{
  ReceivedWait wait = { test->server, summary };
  Notification *notification;
  g_autofree char *quoted = g_strdup_printf ("“%s”", title);

  esc_test_ui_wait_until (was_received, &wait, summary);
  notification = find_received (test->server, summary);

  /* From this application, on its own connection, saying which request */
  g_assert_cmpstr (notification->sender, ==,
                   g_dbus_connection_get_unique_name (g_application_get_dbus_connection (test->app)));
  g_assert_nonnull (strstr (notification->body, quoted));
  {
    const char *entry = NULL;

    g_assert_true (g_variant_lookup (notification->hints, "desktop-entry", "&s", &entry));
    g_assert_cmpstr (entry, ==, APPLICATION_ID);
  }
  /* Clicking it does something: the default action */
  g_assert_true (g_strv_contains ((const char * const *)notification->actions, "default"));

  return notification;
}

typedef struct
{
  Fixture    *fixture;
  const char *id;
} DetailWait;

static gboolean
detail_shows (gpointer data)
{
  DetailWait *wait = data;
  GtkWidget *detail = esc_requests_page_get_detail (wait->fixture->page);

  return g_strcmp0 (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)), wait->id) == 0;
}

static gboolean
run_in_app_cb (gpointer data)
{
  AppTest *test = data;
  Fixture *fixture = test->fixture;
  g_autofree char *overdue = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GDateTime) ready_at = NULL;
  const char *overdue_title = "Autopilot profile not applied to new devices";
  GDBusConnection *connection;
  Notification *notification;

  esc_test_ui_wait_until (app_ready, test, "the application to start, sign in and sync");
  ready_at = g_date_time_new_now_utc ();
  fixture->window = ESC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (test->app)));
  fixture->page = ESC_REQUESTS_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                  GSIZE_TO_POINTER (ESC_TYPE_REQUESTS_PAGE)));
  g_assert_nonnull (fixture->page);

  /* Registered on the test's bus, where GLib will use the freedesktop.org server */
  g_assert_true (g_application_get_is_registered (test->app));
  connection = g_application_get_dbus_connection (test->app);
  g_assert_nonnull (connection);
  g_assert_cmpstr (g_dbus_connection_get_guid (connection), ==, g_dbus_connection_get_guid (test->server->connection));
  g_assert_false (name_has_owner (connection, "org.gtk.Notifications"));
  g_assert_true (name_has_owner (connection, "org.freedesktop.Notifications"));

  /* Requests first seen say nothing */
  esc_test_ui_wait_until (is_listed, &(RowWait) { fixture, "VPN drops every ten minutes" }, "the first request");
  esc_test_ui_wait_until (is_listed, &(RowWait) { fixture, "Printers offline on the 3rd floor" }, "the second request");
  notifications_barrier (test->app);
  g_assert_cmpuint (test->server->received->len, ==, 0);

  /* An engineer takes one of the person's requests */
  move_as_operator (fixture, test->operator_token, test->assigned, "in-progress");
  refresh (test);
  summary = g_strdup_printf ("%s was assigned", test->assigned);
  notification = expect_notification (test, summary, "VPN drops every ten minutes");
  g_assert_nonnull (strstr (notification->body, "started work"));
  g_clear_pointer (&summary, g_free);

  /* Another is resolved straight away: "resolved" alone */
  move_as_operator (fixture, test->operator_token, test->resolved, "resolved");
  refresh (test);
  summary = g_strdup_printf ("%s was resolved", test->resolved);
  notification = expect_notification (test, summary, "Printers offline on the 3rd floor");
  g_assert_nonnull (strstr (notification->body, "reactivate it within 24 hours"));
  g_clear_pointer (&summary, g_free);

  /* A request whose initial response is due as it is filed (the service's
   * target for severity A set to 0 minutes) and passes while the application
   * runs. The service's times are whole seconds, the notifier's clock is
   * the real one: file it once a second has begun since the application
   * started, so that its due time is after the start */
  set_service_setting (fixture, "support.response-minutes.A", "0");
  {
    g_autoptr(GDateTime) next = g_date_time_new_from_unix_utc (g_date_time_to_unix (ready_at) + 1);
    guint tick = g_timeout_add (10, keep_waking_cb, NULL);

    esc_test_ui_wait_until (clock_reached, next, "a second to begin since the application started");
    g_source_remove (tick);
  }
  overdue = file_as_admin (fixture, "A", overdue_title);
  refresh (test);
  summary = g_strdup_printf ("%s: the response is overdue", overdue);
  notification = expect_notification (test, summary, overdue_title);
  g_assert_nonnull (strstr (notification->body, "No engineer has responded"));

  /* Once: the request changing again, and more syncs, do not say it again */
  {
    g_autofree char *path = g_strdup_printf ("/v1/support-requests/%s/comments", overdue);

    json_node_unref (call_as (fixture, fixture->admin_token, "POST", path, "{\"text\":\"Still nothing.\"}"));
  }
  refresh (test);
  refresh (test);
  /* Something else to say, after which any repeat would have come */
  move_as_operator (fixture, test->operator_token, test->assigned, "resolved");
  refresh (test);
  g_free (summary);
  summary = g_strdup_printf ("%s was resolved", test->assigned);
  expect_notification (test, summary, "VPN drops every ten minutes");
  notifications_barrier (test->app);

  {
    g_autofree char *assigned = g_strdup_printf ("%s was assigned", test->assigned);
    g_autofree char *resolved = g_strdup_printf ("%s was resolved", test->resolved);
    g_autofree char *late = g_strdup_printf ("%s: the response is overdue", overdue);
    g_autoptr(GString) all = g_string_new (NULL);

    for (guint i = 0; i < test->server->received->len; i++)
      g_string_append_printf (all, "%s\n", ((Notification *)g_ptr_array_index (test->server->received, i))->summary);
    g_test_message ("Received:\n%s", all->str);

    g_assert_cmpuint (n_received (test->server, late), ==, 1);
    g_assert_cmpuint (n_received (test->server, assigned), ==, 1);
    g_assert_cmpuint (n_received (test->server, resolved), ==, 1);
    g_assert_cmpuint (n_received (test->server, summary), ==, 1);
    g_assert_cmpuint (test->server->received->len, ==, 4);
  }

  /* Clicking the overdue notification shows that request */
  {
    g_autofree char *late = g_strdup_printf ("%s: the response is overdue", overdue);
    g_autoptr(GError) error = NULL;

    /* At once: the list takes a sync's changes in at most every 200 ms, and
     * a request the sync wrote again has a new key in the mirror; the page
     * takes the changes in before it looks for the request */
    g_assert_null (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (esc_requests_page_get_detail (fixture->page))));

    notification = find_received (test->server, late);
    g_assert_true (g_dbus_connection_emit_signal (test->server->connection, NULL, "/org/freedesktop/Notifications",
                                                  "org.freedesktop.Notifications", "ActionInvoked",
                                                  g_variant_new ("(us)", notification->id, "default"), &error));
    g_assert_no_error (error);
    esc_test_ui_wait_until (detail_shows, &(DetailWait) { fixture, overdue }, "the request of the notification");
    g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, "requests");
    esc_test_ui_screenshot ("notification-clicked.png");
  }

  /* The person dismisses the others. (GLib 2.74's freedesktop.org backend
   * and its open notifications hold each other: it is freed when the server
   * has closed them all, and would crash if the server went away first.) */
  for (guint i = 0; i < test->server->received->len; i++)
    {
      g_autoptr(GError) error = NULL;

      notification = g_ptr_array_index (test->server->received, i);
      g_assert_true (g_dbus_connection_emit_signal (test->server->connection, NULL, "/org/freedesktop/Notifications",
                                                    "org.freedesktop.Notifications", "NotificationClosed",
                                                    g_variant_new ("(uu)", notification->id, 2 /* dismissed */),
                                                    &error));
      g_assert_no_error (error);
    }
  notifications_barrier (test->app);

  /* The person closes the window: the application ends */
  while (gtk_application_get_windows (GTK_APPLICATION (test->app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (test->app))->data);
  fixture->window = NULL;
  fixture->page = NULL;

  return G_SOURCE_REMOVE;
}

static void
app_activated_cb (GApplication *app,
                  AppTest      *test)
{
  /* Activated again by a notification's action */
  if (test->started)
    return;

  test->started = TRUE;
  g_idle_add (run_in_app_cb, test);
}

static void
test_notifications (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = g_build_filename (fixture->dir, "application.sqlite3", NULL);
  const char *argv[] = { "escalade", "--workspace", workspace,
                         "--service", esc_test_service_get_url (fixture->service), NULL };
  AppTest test = { fixture, };
  int status;

  test.server = notification_server_start ();
  test.operator_token = esc_test_service_create_token (fixture->service, "olga", "olga@example.org",
                                                       "operator", &error);
  g_assert_no_error (error);

  /* Signed in once before: the token is in the keyring, the application
   * restores the session as it does at every start */
  sign_in (fixture, fixture->admin_token);
  g_settings_set_string (settings, "account-user", "camille");

  /* Two of the person's requests, open before the application starts */
  test.assigned = file_as_admin (fixture, "C", "VPN drops every ten minutes");
  test.resolved = file_as_admin (fixture, "C", "Printers offline on the 3rd floor");

  /* The application as escalade runs it */
  test.app = G_APPLICATION (esc_application_new ());
  g_signal_connect_after (test.app, "activate", G_CALLBACK (app_activated_cb), &test);
  status = g_application_run (test.app, G_N_ELEMENTS (argv) - 1, (char **)argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (test.started);
  g_assert_finalize_object (test.app);

  g_settings_reset (settings, "account-user");
  g_settings_reset (settings, "service-url");
  notification_server_stop (test.server);
  g_free (test.operator_token);
  g_free (test.assigned);
  g_free (test.resolved);
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/requests/edit-and-reactivate", Fixture, NULL,
              fixture_setup, test_edit_and_reactivate, fixture_teardown);
  g_test_add ("/ui/requests/notifications", Fixture, NULL,
              fixture_setup, test_notifications, fixture_teardown);

  return esc_test_ui_run ();
}
