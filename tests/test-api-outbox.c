/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "esc-account.h"
#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-connection-check.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-test-keyring.h"
#include "esc-test-proxy.h"
#include "esc-test-service.h"
#include "esc-workspace.h"

/* The outbox against a real escalade-service, through a proxy that injects
 * faults: whatever goes wrong on the way, each request exists on the service
 * exactly once (checked with GET as an IT administrator, not through the
 * code under test). */

#define WAIT_SECONDS 60

static EscTestKeyring *keyring;
static EscTestService *service;
static char *admin_token;

typedef struct
{
  EscTestProxy    *proxy;
  char            *dir;
  char            *path;
  EscWorkspace    *workspace;
  EscMirror       *mirror;
  EscOutbox       *outbox;
  EscClient       *client;
  EscAccount      *account;
  EscOutboxSender *sender;
} Fixture;

/* Waiting ------------------------------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds; fails the test after a minute. */
static void
wait_until (Condition    condition,
            gpointer     data,
            const char  *what)
{
  gboolean expired = FALSE;
  guint deadline = g_timeout_add_seconds (WAIT_SECONDS, deadline_cb, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    g_error ("Still waiting for %s after %d s", what, WAIT_SECONDS);
  g_source_remove (deadline);
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  wait_until (has_result, slot, "an answer");
  return *slot;
}

/* The service, seen from outside ------------------------------------------- */

/* GET /v1/support-requests as an IT administrator, every page. */
static JsonArray *
list_on_service (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  JsonArray *all = json_array_new ();
  g_autofree char *cursor = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", admin_token, NULL);

  do
    {
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *page;
      JsonArray *items;
      JsonNode *next;

      url = g_strdup_printf ("%s/v1/support-requests?limit=500%s%s",
                             esc_test_service_get_url (service),
                             cursor != NULL ? "&cursor=" : "", cursor != NULL ? cursor : "");
      message = soup_message_new ("GET", url);
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
      body = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 200);

      root = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);
      page = json_node_get_object (root);
      items = json_object_get_array_member (page, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (items, i)));

      g_clear_pointer (&cursor, g_free);
      next = json_object_get_member (page, "next_cursor");
      if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
        cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
    }
  while (cursor != NULL);

  return all;
}

static guint
count_on_service (const char *title)
{
  g_autoptr(JsonArray) all = list_on_service ();
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *request = json_array_get_object_element (all, i);

      if (g_strcmp0 (json_object_get_string_member (request, "title"), title) == 0)
        count++;
    }

  return count;
}

static char *
service_func (gboolean restart,
              gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!restart)
    {
      g_test_message ("SIGKILL escalade-service");
      esc_test_service_kill (service);
      return NULL;
    }

  esc_test_service_restart (service, &error);
  g_assert_no_error (error);
  return g_strdup (esc_test_service_get_url (service));
}

/* Fixture ------------------------------------------------------------------- */

static EscSupportRequest *
new_request (const char *title)
{
  g_autoptr(EscSupportContact) contact = NULL;
  EscSupportRequest *request = esc_support_request_new ();

  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org",
                                     "+33 1 23 45 67 89", ESC_CONTACT_METHOD_EMAIL, "fr");
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_C);
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "configuration-policy");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, "The driver of the third floor printers is blocked.");
  esc_support_request_set_contact (request, contact);

  return request;
}

static void
sign_in (Fixture    *fixture,
         const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  esc_account_sign_in_async (fixture->account, esc_test_proxy_get_url (fixture->proxy), token,
                             NULL, on_result_cb, &result);
  identity = esc_account_sign_in_finish (fixture->account, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_account_get_state (fixture->account), ==, ESC_ACCOUNT_STATE_SIGNED_IN);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->proxy = esc_test_proxy_new (esc_test_service_get_url (service), &error);
  g_assert_no_error (error);
  esc_test_proxy_set_service_func (fixture->proxy, service_func, NULL);

  fixture->dir = g_dir_make_tmp ("escalade-api-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->mirror = esc_mirror_new (fixture->workspace);
  fixture->outbox = esc_outbox_new (fixture->mirror);

  fixture->client = esc_client_new ();
  /* Stalls are cut short; the back-off is quick. */
  esc_client_set_timeout (fixture->client, 1);
  fixture->account = esc_account_new (fixture->client);
  sign_in (fixture, admin_token);

  fixture->sender = esc_outbox_sender_new (fixture->account, fixture->outbox);
  esc_outbox_sender_set_retry_delays (fixture->sender, 20, 200);
  esc_mirror_set_service (fixture->mirror, esc_account_get_service_url (fixture->account));
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  esc_outbox_sender_stop (fixture->sender);
  g_clear_object (&fixture->sender);
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->mirror);
  g_clear_object (&fixture->workspace);
  g_clear_pointer (&fixture->proxy, esc_test_proxy_free);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gboolean
outbox_sent (gpointer data)
{
  Fixture *fixture = data;

  return esc_outbox_get_n_queued (fixture->outbox) == 0 &&
         !esc_outbox_sender_get_sending (fixture->sender);
}

static EscOutboxItem *
file (Fixture    *fixture,
      const char *title)
{
  g_autoptr(EscSupportRequest) request = new_request (title);
  g_autoptr(GError) error = NULL;
  EscOutboxItem *item;

  item = esc_outbox_sender_file_support_request (fixture->sender, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);

  return item;
}

/* Tests --------------------------------------------------------------------- */

/* Filed, queued at once, sent, in the mirror, on the service once. */
static void
test_file (Fixture       *fixture,
           gconstpointer  data)
{
  const char *title = "Printer driver blocked by policy";
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscSupportRequest) mirrored = NULL;
  GListModel *requests = esc_mirror_get_support_requests (fixture->mirror);

  item = file (fixture, title);
  /* Visible as queued before anything is sent. */
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (esc_outbox_get_items (fixture->outbox)), ==, 1);

  esc_outbox_sender_start (fixture->sender);
  wait_until (outbox_sent, fixture, "the outbox to be sent");

  g_assert_cmpuint (g_list_model_get_n_items (esc_outbox_get_items (fixture->outbox)), ==, 0);
  g_assert_cmpuint (count_on_service (title), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  mirrored = g_list_model_get_item (requests, 0);
  g_assert_cmpstr (esc_support_request_get_title (mirrored), ==, title);
  g_assert_true (g_str_has_prefix (esc_support_request_get_id (mirrored), "SR-"));
  g_assert_null (esc_outbox_sender_get_last_error (fixture->sender));
}

/* One fault on the first attempt; the retries carry the same key. */
static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  EscTestFault fault = GPOINTER_TO_UINT (data);
  g_autofree char *title = g_strdup_printf ("Fault %s", esc_test_fault_to_string (fault));
  g_autoptr(EscOutboxItem) item = NULL;
  guint repeat = fault == ESC_TEST_FAULT_GARBAGE_AFTER ? 6 : 1;

  /* Each kind of garbage in turn. */
  for (guint i = 0; i < repeat; i++)
    esc_test_proxy_push_fault (fixture->proxy, fault);

  item = file (fixture, title);
  esc_outbox_sender_start (fixture->sender);
  wait_until (outbox_sent, fixture, "the outbox to be sent");

  g_assert_cmpuint (esc_test_proxy_get_n_faults (fixture->proxy, fault), ==, repeat);
  g_assert_cmpuint (count_on_service (title), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (esc_mirror_get_support_requests (fixture->mirror)), ==, 1);
  g_assert_null (esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item)));

  esc_test_proxy_release_stalled (fixture->proxy);
}

/* Faults on many requests in a row, in order. */
static void
test_many_faults (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);

  for (guint fault = ESC_TEST_FAULT_NONE; fault < ESC_TEST_N_FAULTS; fault++)
    {
      g_autofree char *title = g_strdup_printf ("In a row %s", esc_test_fault_to_string (fault));
      g_object_unref (file (fixture, title));
      esc_test_proxy_push_fault (fixture->proxy, fault);
      g_ptr_array_add (titles, g_steal_pointer (&title));
    }

  esc_outbox_sender_start (fixture->sender);
  wait_until (outbox_sent, fixture, "the outbox to be sent");

  for (guint i = 0; i < titles->len; i++)
    g_assert_cmpuint (count_on_service (g_ptr_array_index (titles, i)), ==, 1);
  esc_test_proxy_release_stalled (fixture->proxy);
}

static gboolean
account_offline (gpointer data)
{
  return esc_account_get_state (data) == ESC_ACCOUNT_STATE_OFFLINE;
}

static gboolean
has_attempts (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(EscOutboxItem) item = g_list_model_get_item (esc_outbox_get_items (fixture->outbox), 0);

  return item != NULL && esc_outbox_item_get_attempts (item) >= 2;
}

static gboolean
account_signed_in (gpointer data)
{
  return esc_account_get_state (data) == ESC_ACCOUNT_STATE_SIGNED_IN;
}

static void
on_sent_cb (EscOutboxSender *sender,
            gint64           id,
            JsonNode        *answer,
            gpointer         user_data)
{
  *(gint64 *)user_data = g_get_monotonic_time ();
}

/* The service stopped and came back at the same address (systemd restarted
 * it): with the sender's and the connection check's real delays, the sender
 * backs off (1 s, 2 s, 4 s… rather than trying again and again), and what was
 * queued meanwhile is sent as soon as the check finds the service again:
 * within the check's back-off (1 s, 2 s… at most 60 s) and a second. */
static void
test_reconnect_service_back (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *title = "Filed while the service restarted";
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) waiting = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscConnectionCheck) check = esc_connection_check_new (fixture->client);
  gint64 sent_at = 0, back_at;
  guint check_delay;

  /* Straight to the service, as the app talks to it */
  esc_outbox_sender_stop (fixture->sender);
  g_clear_object (&fixture->sender);
  g_clear_object (&fixture->account);
  fixture->account = esc_account_new (fixture->client);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EscIdentity) identity = NULL;

    esc_account_sign_in_async (fixture->account, esc_test_service_get_url (service), admin_token,
                               NULL, on_result_cb, &result);
    identity = esc_account_sign_in_finish (fixture->account, await_result (&result), &error);
    g_assert_no_error (error);
  }
  esc_mirror_set_service (fixture->mirror, esc_account_get_service_url (fixture->account));
  fixture->sender = esc_outbox_sender_new (fixture->account, fixture->outbox);
  esc_outbox_sender_set_retry_delays (fixture->sender, 1000, 5 * 60 * 1000);
  g_signal_connect (fixture->sender, "sent", G_CALLBACK (on_sent_cb), &sent_at);
  esc_outbox_sender_start (fixture->sender);
  esc_connection_check_start (check);

  esc_test_service_kill (service);
  item = file (fixture, title);
  /* The second failure waits 1 to 2 s, not a second again */
  wait_until (has_attempts, fixture, "two attempts");
  waiting = esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item));
  g_assert_cmpstr (esc_outbox_item_get_error_code (waiting), ==, "unreachable");
  g_assert_cmpuint (esc_outbox_item_get_attempts (waiting), ==, 2);
  g_assert_cmpuint (esc_outbox_sender_get_retry_delay (fixture->sender), >=, 1000);
  g_assert_cmpuint (esc_outbox_sender_get_retry_delay (fixture->sender), <=, 2000);
  g_assert_false (esc_client_get_reachable (fixture->client));

  g_assert_true (esc_test_service_restart_same_port (service, &error));
  g_assert_no_error (error);
  back_at = g_get_monotonic_time ();
  check_delay = esc_connection_check_get_retry_delay (check);
  g_assert_cmpuint (check_delay, >, 0);
  wait_until (outbox_sent, fixture, "the outbox to be sent");

  g_test_message ("sent %.0f ms after the service listened again (the check's back-off: %u ms)",
                  (sent_at - back_at) / 1000.0, check_delay);
  /* (a check on its way as the service came back may find it still away:
   * then the next step of the back-off, at most twice as long) */
  g_assert_cmpint (sent_at - back_at, <=, (gint64)check_delay * 2000 + G_USEC_PER_SEC);
  esc_connection_check_stop (check);
  g_assert_cmpuint (count_on_service (title), ==, 1);
  g_assert_true (esc_client_get_reachable (fixture->client));
}

/* The outbox backs off from a service that does not answer in time; as soon
 * as another request (the sync) gets an answer, it sends, without waiting
 * for its back-off. */
static void
test_reconnect_other_answer (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *title = "Sent when the sync got through";
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sent_at = 0, answered_at;

  for (guint i = 0; i < 2; i++)
    esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_STALL_BEFORE);
  esc_outbox_sender_set_retry_delays (fixture->sender, 2000, 5 * 60 * 1000);
  g_signal_connect (fixture->sender, "sent", G_CALLBACK (on_sent_cb), &sent_at);
  esc_outbox_sender_start (fixture->sender);

  item = file (fixture, title);
  wait_until (has_attempts, fixture, "two attempts");
  g_assert_false (esc_client_get_reachable (fixture->client));
  esc_test_proxy_release_stalled (fixture->proxy);

  /* Its next attempt is 2 to 4 s away; a GET gets an answer now */
  esc_client_get_me_async (fixture->client, NULL, on_result_cb, &result);
  identity = esc_client_get_me_finish (fixture->client, await_result (&result), &error);
  g_assert_no_error (error);
  answered_at = g_get_monotonic_time ();
  g_assert_true (esc_client_get_reachable (fixture->client));

  wait_until (outbox_sent, fixture, "the outbox to be sent");
  g_test_message ("sent %.0f ms after another request got an answer",
                  (sent_at - answered_at) / 1000.0);
  g_assert_cmpint (sent_at - answered_at, <=, G_USEC_PER_SEC);
  g_assert_cmpuint (count_on_service (title), ==, 1);
}

/* Filed while the service is down, sent once it is back. */
static void
test_service_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *title = "Filed while the service was down";
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) waiting = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user = g_strdup (esc_account_get_user (fixture->account));
  g_autofree char *url = NULL;

  /* The app starts while the service is down: the session is restored from
   * the keyring, offline. */
  esc_test_service_kill (service);
  g_clear_object (&fixture->sender);
  g_clear_object (&fixture->account);
  fixture->account = esc_account_new (fixture->client);
  esc_account_restore_async (fixture->account, esc_test_proxy_get_url (fixture->proxy), user,
                             NULL, on_result_cb, &result);
  identity = esc_account_restore_finish (fixture->account, await_result (&result), &error);
  g_assert_null (identity);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_SERVER);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  wait_until (account_offline, fixture->account, "the offline state");
  g_assert_true (esc_account_can_send (fixture->account));

  fixture->sender = esc_outbox_sender_new (fixture->account, fixture->outbox);
  esc_outbox_sender_set_retry_delays (fixture->sender, 20, 200);
  esc_outbox_sender_start (fixture->sender);

  item = file (fixture, title);
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
  wait_until (has_attempts, fixture, "a few attempts");
  waiting = esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item));
  g_assert_cmpint (esc_outbox_item_get_state (waiting), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (esc_outbox_item_get_error_code (waiting), ==, "server");
  g_assert_nonnull (esc_outbox_item_get_next_attempt_at (waiting));
  g_assert_nonnull (esc_outbox_sender_get_last_error (fixture->sender));

  /* The service is back: sent on the next attempt (or at once, on demand). */
  esc_test_service_restart (service, &error);
  g_assert_no_error (error);
  esc_test_proxy_set_upstream (fixture->proxy, esc_test_service_get_url (service));
  esc_outbox_sender_send_now (fixture->sender);
  wait_until (outbox_sent, fixture, "the outbox to be sent");

  g_assert_cmpuint (count_on_service (title), ==, 1);
  /* And the session learnt who it is. */
  wait_until (account_signed_in, fixture->account, "the session to be confirmed");
  url = g_strdup (esc_account_get_service_url (fixture->account));
  g_assert_cmpstr (url, ==, esc_test_proxy_get_url (fixture->proxy));
}

static gboolean
has_refused (gpointer data)
{
  Fixture *fixture = data;

  return esc_outbox_get_n_refused (fixture->outbox) > 0 &&
         !esc_outbox_sender_get_sending (fixture->sender);
}

/* Refused for good (422, 403): kept with the reason; edited or resent by
 * the user, it goes under a new key. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const char *title = "A change request cannot be severity A";
  const char *service_url = esc_account_get_service_url (fixture->account);
  g_autoptr(EscSupportRequest) request = new_request (title);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) refused = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  /* What the form would not let through; the service is the judge. */
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_A);
  body = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  item = esc_outbox_add (fixture->outbox, service_url, "camille",
                         ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST, "POST", "/v1/support-requests",
                         NULL, title, body, &error);
  g_assert_no_error (error);
  id = esc_outbox_item_get_id (item);

  esc_outbox_sender_start (fixture->sender);
  wait_until (has_refused, fixture, "the refusal");

  refused = esc_outbox_lookup (fixture->outbox, id);
  g_assert_cmpint (esc_outbox_item_get_state (refused), ==, ESC_OUTBOX_STATE_REFUSED);
  g_assert_cmpuint (esc_outbox_item_get_error_status (refused), ==, 422);
  g_assert_cmpstr (esc_outbox_item_get_error_code (refused), ==, "unprocessable");
  g_assert_nonnull (esc_outbox_item_get_error_field (refused));
  g_assert_nonnull (strstr (esc_outbox_item_get_error_field (refused), "severity"));
  g_test_message ("refused: %s (%s)", esc_outbox_item_get_error_message (refused),
                  esc_outbox_item_get_error_field (refused));
  g_assert_cmpuint (count_on_service (title), ==, 0);

  /* The user corrects the severity and sends it again. */
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_C);
  g_assert_true (esc_outbox_sender_edit_support_request (fixture->sender, id, request, NULL, &error));
  g_assert_no_error (error);
  wait_until (outbox_sent, fixture, "the outbox to be sent");
  g_assert_cmpuint (count_on_service (title), ==, 1);
  g_assert_cmpuint (esc_outbox_get_n_refused (fixture->outbox), ==, 0);
  g_clear_object (&item);
  g_clear_object (&refused);
  g_clear_pointer (&body, json_node_unref);

  /* 403: an escalation needs a live escalation designation. */
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ESCALATION);
  esc_support_request_set_title (request, "An escalation by someone not designated");
  body = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  item = esc_outbox_add (fixture->outbox, service_url, "camille",
                         ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST, "POST", "/v1/support-requests",
                         NULL, "An escalation by someone not designated", body, &error);
  g_assert_no_error (error);
  esc_outbox_sender_send_now (fixture->sender);
  wait_until (has_refused, fixture, "the refusal");
  refused = esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item));
  g_assert_cmpuint (esc_outbox_item_get_error_status (refused), ==, 403);
  g_assert_nonnull (strstr (esc_outbox_item_get_error_message (refused), "designation"));

  /* Discarded: gone, and nothing on the service. */
  g_assert_true (esc_outbox_discard (fixture->outbox, esc_outbox_item_get_id (item), &error));
  g_assert_cmpuint (g_list_model_get_n_items (esc_outbox_get_items (fixture->outbox)), ==, 0);
  g_assert_cmpuint (count_on_service ("An escalation by someone not designated"), ==, 0);
}

/* Older than the service's 30 days of idempotency: not sent on its own, but
 * held as refused with why, until the person sends it again. */
static void
test_too_old (Fixture       *fixture,
              gconstpointer  data)
{
  const char *title = "Queued before the holidays";
  const char *service_url = esc_account_get_service_url (fixture->account);
  g_autoptr(EscSupportRequest) request = new_request (title);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) held = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -31);
  g_autofree char *then_text = g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  body = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  item = esc_outbox_add (fixture->outbox, service_url, "camille",
                         ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST, "POST", "/v1/support-requests",
                         NULL, title, body, &error);
  g_assert_no_error (error);
  id = esc_outbox_item_get_id (item);

  /* Queued 31 days ago (the app was closed since). */
  sql = g_strdup_printf ("UPDATE outbox SET created_at = '%s' WHERE id = %" G_GINT64_FORMAT,
                         then_text, id);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  esc_outbox_sender_start (fixture->sender);
  wait_until (has_refused, fixture, "the hold");
  held = esc_outbox_lookup (fixture->outbox, id);
  g_assert_cmpint (esc_outbox_item_get_state (held), ==, ESC_OUTBOX_STATE_REFUSED);
  g_assert_nonnull (strstr (esc_outbox_item_get_error_message (held), "30 days"));
  g_test_message ("held: %s", esc_outbox_item_get_error_message (held));
  g_assert_cmpuint (count_on_service (title), ==, 0);

  /* The person decides to send it: it goes. */
  g_assert_true (esc_outbox_resend (fixture->outbox, id, &error));
  g_assert_no_error (error);
  esc_outbox_sender_send_now (fixture->sender);
  wait_until (outbox_sent, fixture, "the outbox to be sent");
  g_assert_cmpuint (count_on_service (title), ==, 1);
}

static void
revoke_token (const char *token)
{
  const char *binary = g_getenv ("ESCALADE_SERVICE");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat (token, "\n", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, binary, "--database", esc_test_service_get_database (service),
                              "token", "revoke", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

static gboolean
account_needs_sign_in (gpointer data)
{
  return esc_account_get_state (data) == ESC_ACCOUNT_STATE_NEEDS_SIGN_IN;
}

/* 401: the token was revoked. Everything stays queued until the user signs in again. */
static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *title = "Sent after signing in again";
  g_autofree char *token = NULL;
  g_autofree char *new_token = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) waiting = NULL;
  g_autoptr(GError) error = NULL;

  /* A token of our own, to revoke. */
  token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin",
                                         &error);
  g_assert_no_error (error);
  sign_in (fixture, token);
  revoke_token (token);

  item = file (fixture, title);
  esc_outbox_sender_start (fixture->sender);
  wait_until (account_needs_sign_in, fixture->account, "a request to sign in again");

  waiting = esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item));
  g_assert_cmpint (esc_outbox_item_get_state (waiting), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (esc_outbox_item_get_error_code (waiting), ==, "unauthorized");
  g_assert_null (esc_account_get_identity (fixture->account));
  g_assert_nonnull (esc_account_get_last_error (fixture->account));
  g_assert_cmpstr (esc_account_get_user (fixture->account), ==, "camille");
  g_assert_cmpuint (count_on_service (title), ==, 0);

  new_token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin",
                                             &error);
  g_assert_no_error (error);
  sign_in (fixture, new_token);
  wait_until (outbox_sent, fixture, "the outbox to be sent");
  g_assert_cmpuint (count_on_service (title), ==, 1);
}

static gboolean
mirror_has_timeline (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(EscSupportRequest) request = NULL;
  GPtrArray *timeline;

  request = esc_mirror_dup_support_request (fixture->mirror, g_object_get_data (G_OBJECT (fixture->mirror), "id"));
  timeline = request != NULL ? esc_support_request_get_timeline (request) : NULL;

  return timeline != NULL && timeline->len >= 1 && outbox_sent (fixture);
}

/* A note, an edit and a designation change go through the outbox too. */
static void
test_other_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) note = NULL;
  g_autoptr(EscOutboxItem) patch = NULL;
  g_autoptr(EscOutboxItem) designation = NULL;
  g_autoptr(EscSupportRequest) filed = NULL;
  g_autoptr(EscSupportRequest) edited = NULL;
  g_autoptr(JsonNode) patch_body = NULL;
  g_autoptr(GPtrArray) designations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *staff_token = NULL;
  g_autofree char *id = NULL;
  gint64 staff_id = 0;

  item = file (fixture, "Request that gets a note");
  esc_outbox_sender_start (fixture->sender);
  wait_until (outbox_sent, fixture, "the outbox to be sent");
  filed = g_list_model_get_item (esc_mirror_get_support_requests (fixture->mirror), 0);
  id = g_strdup (esc_support_request_get_id (filed));

  esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_500_AFTER);
  note = esc_outbox_sender_add_comment (fixture->sender, id, "The driver is version 3.2.", &error);
  g_assert_no_error (error);
  esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_CLOSE_AFTER);
  patch_body = json_from_string ("{\"notes\":\"Affects the third floor only.\"}", &error);
  g_assert_no_error (error);
  patch = esc_outbox_sender_patch_support_request (fixture->sender, id, patch_body, &error);
  g_assert_no_error (error);

  g_object_set_data_full (G_OBJECT (fixture->mirror), "id", g_strdup (id), g_free);
  wait_until (mirror_has_timeline, fixture, "the note in the mirror");

  edited = esc_mirror_dup_support_request (fixture->mirror, id);
  g_assert_cmpstr (esc_support_request_get_notes (edited), ==, "Affects the third floor only.");
  {
    GPtrArray *timeline = esc_support_request_get_timeline (edited);
    guint comments = 0;

    for (guint i = 0; i < timeline->len; i++)
      {
        EscSupportRequestEvent *event = g_ptr_array_index (timeline, i);

        if (g_strcmp0 (event->kind, "comment") == 0)
          {
            comments++;
            g_assert_cmpstr (event->text, ==, "The driver is version 3.2.");
          }
      }
    g_assert_cmpuint (comments, ==, 1);
  }

  /* The note exists once on the service, despite the 500 after it was stored. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *url = g_strdup_printf ("%s/v1/support-requests/%s",
                                            esc_test_service_get_url (service), id);
    g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
    g_autofree char *authorization = g_strconcat ("Bearer ", admin_token, NULL);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonArray *timeline;
    guint comments = 0;

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  authorization);
    body = soup_session_send_and_read (session, message, NULL, &error);
    g_assert_no_error (error);
    root = json_from_string (g_bytes_get_data (body, NULL), &error);
    g_assert_no_error (error);
    timeline = json_object_get_array_member (json_node_get_object (root), "timeline");
    for (guint i = 0; i < json_array_get_length (timeline); i++)
      {
        JsonObject *event = json_array_get_object_element (timeline, i);

        if (g_strcmp0 (json_object_get_string_member (event, "kind"), "comment") == 0)
          comments++;
      }
    g_assert_cmpuint (comments, ==, 1);
  }

  /* A designation: the staff member is made by the command line. */
  staff_token = esc_test_service_create_token (service, "dominique", "dominique@example.org",
                                               "support-staff", &error);
  g_assert_no_error (error);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GPtrArray) staff = NULL;

    esc_client_list_staff_async (fixture->client, NULL, on_result_cb, &result);
    staff = esc_client_list_staff_finish (fixture->client, await_result (&result), &error);
    g_assert_no_error (error);
    for (guint i = 0; i < staff->len; i++)
      {
        EscStaffMember *member = g_ptr_array_index (staff, i);

        if (g_str_equal (esc_staff_member_get_name (member), "dominique"))
          staff_id = esc_staff_member_get_id (member);
      }
  }
  g_assert_cmpint (staff_id, >, 0);

  g_ptr_array_add (designations, esc_designation_new ("escalation", "Escalation team", NULL));
  esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_STALL_AFTER);
  designation = esc_outbox_sender_set_designations (fixture->sender, staff_id, "dominique",
                                                    designations, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_outbox_item_get_title (designation), ==, "Designations of dominique");
  wait_until (outbox_sent, fixture, "the outbox to be sent");

  g_assert_cmpuint (g_list_model_get_n_items (esc_mirror_get_staff (fixture->mirror)), ==, 1);
  {
    g_autoptr(EscStaffMember) member = g_list_model_get_item (esc_mirror_get_staff (fixture->mirror), 0);

    g_assert_true (esc_staff_member_has_capability (member, "escalation"));
  }
  esc_test_proxy_release_stalled (fixture->proxy);
}

/* The app --------------------------------------------------------------------- */

static GSubprocess *
spawn_filer (Fixture    *fixture,
             int         queue,
             const char *prefix)
{
  const char *binary = g_getenv ("ESCALADE_OUTBOX_FILER");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup_printf ("--workspace=%s", fixture->path));
  g_ptr_array_add (argv, g_strdup_printf ("--service=%s", esc_test_proxy_get_url (fixture->proxy)));
  g_ptr_array_add (argv, g_strdup ("--user=camille"));
  g_ptr_array_add (argv, g_strdup_printf ("--queue=%d", queue));
  g_ptr_array_add (argv, g_strdup_printf ("--prefix=%s", prefix));
  g_ptr_array_add (argv, g_strdup ("--timeout=1"));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                               &error);
  g_assert_no_error (error);

  return process;
}

static gboolean
forwarded_at_least (gpointer data)
{
  Fixture *fixture = data;
  guint wanted = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (fixture->outbox), "wanted"));

  return esc_test_proxy_get_n_forwarded (fixture->proxy) >= wanted;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *)user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *)data;
}

/* The app is killed (SIGKILL) while its outbox holds requests, some on their
 * way, then started again: each request reaches the service once. */
static void
test_app_killed (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *prefix = "Filed before the app was killed";
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;
  int n = 5;

  /* This process keeps its hands off the outbox: the app owns it. */
  esc_outbox_sender_stop (fixture->sender);

  /* The second request reaches the service, but its answer never comes back. */
  esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_NONE);
  esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_STALL_AFTER);
  esc_test_proxy_push_fault (fixture->proxy, ESC_TEST_FAULT_STALL_AFTER);

  first = spawn_filer (fixture, n, prefix);
  {
    g_autoptr(GDataInputStream) output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (first));
    g_autofree char *line = NULL;

    /* The app says when its outbox holds the requests. */
    line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
    g_assert_no_error (error);
    g_test_message ("the app said: %s", line);
    g_assert_cmpstr (line, ==, "queued 5");
  }
  /* GET /v1/me, then two requests filed. */
  g_object_set_data (G_OBJECT (fixture->outbox), "wanted", GUINT_TO_POINTER (3));
  wait_until (forwarded_at_least, fixture, "two requests on the service");

  g_test_message ("SIGKILL the app");
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait_async (first, NULL, wait_cb, &exited);
  wait_until (is_true, &exited, "the app to die");
  g_assert_false (g_subprocess_get_if_exited (first));

  /* Restarted, without queueing anything: it sends what its outbox holds. */
  second = spawn_filer (fixture, 0, prefix);
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *output = NULL;

    /* Asynchronously: the proxy it talks to runs in this main loop. */
    g_subprocess_communicate_utf8_async (second, NULL, NULL, on_result_cb, &result);
    g_subprocess_communicate_utf8_finish (second, await_result (&result), &output, NULL, &error);
    g_assert_no_error (error);
    g_test_message ("the app said: %s", output);
    g_assert_true (g_subprocess_get_if_exited (second));
    g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
  }

  for (int i = 1; i <= n; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s %d", prefix, i);

      g_test_message ("%s: %u", title, count_on_service (title));
      g_assert_cmpuint (count_on_service (title), ==, 1);
    }
  esc_test_proxy_release_stalled (fixture->proxy);
}

/* The proxy runs in this process: libsoup's server warns when a client
 * hangs up while it accepts the connection, which the faults here make
 * happen on purpose. Everything else stays fatal. */
static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "libsoup") == 0 &&
           strstr (message, "could not get remote address") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);

  keyring = esc_test_keyring_start (&error);
  g_assert_no_error (error);
  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  admin_token = esc_test_service_create_token (service, "camille", "camille@example.org",
                                               "it-admin", &error);
  g_assert_no_error (error);

#define ADD(name, func, data) \
  g_test_add ("/api/outbox/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("file", test_file, NULL);
  ADD ("fault/500-then-201", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_500_BEFORE));
  ADD ("fault/500-after-storing", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_500_AFTER));
  ADD ("fault/closed-after-reading-body", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_CLOSE_BEFORE));
  ADD ("fault/closed-after-storing", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_CLOSE_AFTER));
  ADD ("fault/stall-past-timeout", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_STALL_BEFORE));
  ADD ("fault/stall-after-storing", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_STALL_AFTER));
  ADD ("fault/garbage", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_GARBAGE_AFTER));
  ADD ("fault/service-killed-mid-post", test_fault, GUINT_TO_POINTER (ESC_TEST_FAULT_KILL_SERVICE));
  ADD ("fault/every-fault-in-a-row", test_many_faults, NULL);
  ADD ("service-down", test_service_down, NULL);
  ADD ("reconnect/service-back", test_reconnect_service_back, NULL);
  ADD ("reconnect/other-answer", test_reconnect_other_answer, NULL);
  ADD ("refused", test_refused, NULL);
  ADD ("too-old", test_too_old, NULL);
  ADD ("unauthorized", test_unauthorized, NULL);
  ADD ("other-changes", test_other_changes, NULL);
  ADD ("app-killed", test_app_killed, NULL);

#undef ADD

  ret = g_test_run ();

  g_clear_pointer (&service, esc_test_service_stop);
  g_free (admin_token);
  secret_service_disconnect ();
  g_clear_pointer (&keyring, esc_test_keyring_stop);

  return ret;
}
