/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "esc-account.h"
#include "esc-client.h"
#include "esc-client-private.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-sync.h"
#include "esc-test-keyring.h"
#include "esc-test-proxy.h"
#include "esc-test-service.h"
#include "esc-workspace.h"

/* The app connected for a long time, as in a day's work: what the
 * application holds (the workspace, the client, the account, the outbox
 * sender, the sync) against a real escalade-service behind the
 * fault-injecting proxy, filing and reading while the service is killed and
 * restarted, stalled (SIGSTOP), and while the proxy closes connections, stalls
 * or garbles answers at random, with the main loop now and then busy for
 * 20 to 40 ms as the app's is. The sync runs every second and the client
 * closes idle connections after one second: the conditions of the crash in
 * libsoup 3.2's idle timer (see esc-client.c), met again and again.
 *
 * At the end: every request filed exists exactly once on the service and in
 * the mirror, nothing was refused, every read ended, and no connection is
 * left open. Under ASan, a use-after-free is a crash and a leak fails the
 * run. ESCALADE_SOAK_SECONDS sets how long it runs (default 40; the README says
 * how to run it for 30 minutes under ASan); ESCALADE_SOAK_SEED the seed. */

static EscTestKeyring *keyring;
static EscTestService *service;
static char *admin_token;

typedef struct
{
  GRand           *rand;
  EscTestProxy    *proxy;
  char            *dir;

  EscWorkspace    *workspace;
  EscMirror       *mirror;
  EscOutbox       *outbox;
  EscClient       *client;
  EscAccount      *account;
  EscOutboxSender *sender;
  EscSync         *sync;
  GCancellable    *cancellable;

  GPtrArray       *titles;        /* every request filed */
  guint            reads_started;
  guint            reads_ended;
  guint            reads_failed;
  guint            kills;
  guint            stalls;
  guint            paused : 1;
  guint            stopping : 1;

  guint            busy_source;
  guint            file_source;
  guint            read_source;
  guint            event_source;
  guint            recover_source;
} Soak;

/* The service ------------------------------------------------------------- */

static char *
service_func (gboolean restart,
              gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!restart)
    {
      esc_test_service_kill (service);
      return NULL;
    }

  if (!esc_test_service_is_running (service) && !esc_test_service_restart (service, &error))
    g_error ("Could not restart escalade-service: %s", error->message);

  return g_strdup (esc_test_service_get_url (service));
}

/* Whatever happened to it, the service runs and answers again. */
static void
recover (Soak *soak)
{
  g_autofree char *url = NULL;

  if (soak->paused)
    {
      esc_test_service_pause (service, FALSE);
      soak->paused = FALSE;
    }
  url = service_func (TRUE, NULL);
  esc_test_proxy_set_upstream (soak->proxy, url);
}

static gboolean
recover_cb (gpointer user_data)
{
  Soak *soak = user_data;

  soak->recover_source = 0;
  recover (soak);

  return G_SOURCE_REMOVE;
}

static guint
random_ms (Soak *soak,
           guint min,
           guint max)
{
  return (guint)g_rand_int_range (soak->rand, (gint32)min, (gint32)max + 1);
}

/* Every few seconds: the service is killed, or stalled, for one to four
 * seconds — or nothing happens. */
static gboolean
event_cb (gpointer user_data)
{
  Soak *soak = user_data;

  if (soak->recover_source == 0)
    {
      switch (g_rand_int_range (soak->rand, 0, 3))
        {
        case 0:
          g_test_message ("event: escalade-service killed");
          esc_test_service_kill (service);
          soak->kills++;
          soak->recover_source = g_timeout_add (random_ms (soak, 1000, 4000), recover_cb, soak);
          break;
        case 1:
          g_test_message ("event: escalade-service stalled");
          esc_test_service_pause (service, TRUE);
          soak->paused = TRUE;
          soak->stalls++;
          soak->recover_source = g_timeout_add (random_ms (soak, 1000, 4000), recover_cb, soak);
          break;
        default:
          break;
        }
    }

  soak->event_source = g_timeout_add (random_ms (soak, 3000, 8000), event_cb, soak);
  return G_SOURCE_REMOVE;
}

/* Filing and reading ------------------------------------------------------ */

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
  esc_support_request_set_description (request, "Filed by the soak test.");
  esc_support_request_set_contact (request, contact);

  return request;
}

static gboolean
file_cb (gpointer user_data)
{
  Soak *soak = user_data;
  g_autofree char *title = g_strdup_printf ("Soak %u", soak->titles->len + 1);
  g_autoptr(EscSupportRequest) request = new_request (title);
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = esc_outbox_sender_file_support_request (soak->sender, request, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (soak->titles, g_steal_pointer (&title));

  soak->file_source = g_timeout_add (random_ms (soak, 1000, 5000), file_cb, soak);
  return G_SOURCE_REMOVE;
}

static void
read_ended (Soak         *soak,
            const GError *error)
{
  soak->reads_ended++;
  if (error != NULL)
    soak->reads_failed++;
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = esc_client_get_me_finish (ESC_CLIENT (object), result, &error);
  read_ended (user_data, error);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = esc_client_get_support_request_finish (ESC_CLIENT (object), result, &error);
  read_ended (user_data, error);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  esc_sync_run_finish (ESC_SYNC (object), result, &error);
  read_ended (user_data, error);
}

/* What a person does between filings: opens a request, presses Refresh,
 * looks at Preferences (GET /v1/me). */
static gboolean
read_cb (gpointer user_data)
{
  Soak *soak = user_data;
  GListModel *requests = esc_mirror_get_support_requests (soak->mirror);
  guint n = g_list_model_get_n_items (requests);

  soak->reads_started++;
  switch (g_rand_int_range (soak->rand, 0, 3))
    {
    case 0:
      if (n > 0)
        {
          g_autoptr(EscSupportRequest) request =
            g_list_model_get_item (requests, (guint)g_rand_int_range (soak->rand, 0, (gint32)n));

          esc_client_get_support_request_async (soak->client, esc_support_request_get_id (request),
                                                soak->cancellable, request_cb, soak);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case 1:
      esc_client_get_me_async (soak->client, soak->cancellable, me_cb, soak);
      break;
    default:
      esc_sync_run_async (soak->sync, soak->cancellable, refresh_cb, soak);
      break;
    }

  soak->read_source = g_timeout_add (random_ms (soak, 300, 1000), read_cb, soak);
  return G_SOURCE_REMOVE;
}

/* The app's own long iterations (a sync page stored, a long list laid out):
 * 20 to 40 ms busy, often — what made libsoup's idle-timer race likely. */
static gboolean
busy_cb (gpointer user_data)
{
  Soak *soak = user_data;

  g_usleep (random_ms (soak, 20, 40) * G_TIME_SPAN_MILLISECOND);
  soak->busy_source = g_timeout_add (random_ms (soak, 50, 250), busy_cb, soak);

  return G_SOURCE_REMOVE;
}

/* Checking ---------------------------------------------------------------- */

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GHashTable *
count_on_service (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *authorization = g_strconcat ("Bearer ", admin_token, NULL);
  g_autofree char *cursor = NULL;
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

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
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    authorization);
      body = soup_session_send_and_read (session, message, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 200);
      root = json_from_string (g_bytes_get_data (body, NULL), &error);
      g_assert_no_error (error);

      page = json_node_get_object (root);
      items = json_object_get_array_member (page, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          const char *title = json_object_get_string_member (json_array_get_object_element (items, i),
                                                             "title");
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, title));

          g_hash_table_replace (counts, g_strdup (title), GUINT_TO_POINTER (count + 1));
        }

      g_clear_pointer (&cursor, g_free);
      next = json_object_get_member (page, "next_cursor");
      if (next != NULL && !JSON_NODE_HOLDS_NULL (next))
        cursor = g_uri_escape_string (json_node_get_string (next), NULL, FALSE);
    }
  while (cursor != NULL);

  return counts;
}

static gboolean
in_mirror (Soak       *soak,
           const char *title)
{
  GListModel *requests = esc_mirror_get_support_requests (soak->mirror);

  for (guint i = 0; i < g_list_model_get_n_items (requests); i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (requests, i);

      if (g_strcmp0 (esc_support_request_get_title (request), title) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Runs the main loop for @msec, or until @done holds. */
static gboolean
iterate_until (gboolean (*done) (Soak *soak),
               Soak      *soak,
               guint      msec)
{
  gint64 end = g_get_monotonic_time () + (gint64)msec * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (done != NULL && done (soak))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }

  return done != NULL && done (soak);
}

static gboolean
settled (Soak *soak)
{
  return esc_outbox_get_n_queued (soak->outbox) == 0 &&
         !esc_outbox_sender_get_sending (soak->sender) &&
         soak->reads_ended == soak->reads_started &&
         !esc_sync_get_syncing (soak->sync);
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gboolean *)user_data = TRUE;
  esc_sync_run_finish (ESC_SYNC (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
no_connection_left (Soak *soak)
{
  g_autoptr(GUri) uri = g_uri_parse (esc_test_proxy_get_url (soak->proxy), G_URI_FLAGS_NONE, NULL);

  return esc_client_get_in_flight (soak->client) == 0 &&
         esc_test_count_connections_to ((guint16)g_uri_get_port (uri)) == 0;
}

static void
test_soak (void)
{
  const char *seconds_text = g_getenv ("ESCALADE_SOAK_SECONDS");
  const char *seed_text = g_getenv ("ESCALADE_SOAK_SEED");
  guint seconds = seconds_text != NULL ? (guint)g_ascii_strtoull (seconds_text, NULL, 10) : 40;
  guint32 seed = seed_text != NULL ? (guint32)g_ascii_strtoull (seed_text, NULL, 10) : g_random_int ();
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autofree char *path = NULL;
  gboolean synced = FALSE;
  Soak soak = { 0 };

  g_test_message ("soak: %u s, seed %u (ESCALADE_SOAK_SEED to run it again)", seconds, seed);
  soak.rand = g_rand_new_with_seed (seed);
  soak.titles = g_ptr_array_new_with_free_func (g_free);
  soak.cancellable = g_cancellable_new ();
  soak.proxy = esc_test_proxy_new (esc_test_service_get_url (service), &error);
  g_assert_no_error (error);
  esc_test_proxy_set_service_func (soak.proxy, service_func, NULL);

  /* The application's objects, as EscApplication makes them */
  soak.dir = g_dir_make_tmp ("escalade-soak-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (soak.dir, "workspace.sqlite3", NULL);
  soak.workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  soak.mirror = esc_mirror_new (soak.workspace);
  soak.outbox = esc_outbox_new (soak.mirror);
  soak.client = esc_client_new ();
  esc_client_set_timeout (soak.client, 2);
  esc_client_set_idle_timeout (soak.client, 1000);
  soak.account = esc_account_new (soak.client);
  esc_account_sign_in_async (soak.account, esc_test_proxy_get_url (soak.proxy), admin_token,
                             NULL, on_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  identity = esc_account_sign_in_finish (soak.account, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  soak.sender = esc_outbox_sender_new (soak.account, soak.outbox);
  esc_outbox_sender_set_retry_delays (soak.sender, 200, 3000);
  soak.sync = esc_sync_new (soak.account, soak.mirror);
  esc_sync_set_interval (soak.sync, 1);
  esc_outbox_sender_start (soak.sender);
  esc_sync_start (soak.sync);

  /* A day's work, with everything going wrong */
  esc_test_proxy_set_random (soak.proxy, soak.rand, 0.2);
  soak.busy_source = g_timeout_add (100, busy_cb, &soak);
  soak.file_source = g_timeout_add (300, file_cb, &soak);
  soak.read_source = g_timeout_add (500, read_cb, &soak);
  soak.event_source = g_timeout_add (2000, event_cb, &soak);
  iterate_until (NULL, &soak, seconds * 1000);

  /* The end of the day: the service answers again; everything arrives */
  g_clear_handle_id (&soak.busy_source, g_source_remove);
  g_clear_handle_id (&soak.file_source, g_source_remove);
  g_clear_handle_id (&soak.read_source, g_source_remove);
  g_clear_handle_id (&soak.event_source, g_source_remove);
  g_clear_handle_id (&soak.recover_source, g_source_remove);
  esc_test_proxy_set_random (soak.proxy, NULL, 0);
  esc_test_proxy_release_stalled (soak.proxy);
  recover (&soak);
  esc_outbox_sender_send_now (soak.sender);
  /* What is still queued drains: fail only when nothing moves for a minute */
  while (!iterate_until (settled, &soak, 60 * 1000))
    {
      static guint last_queued = G_MAXUINT;
      guint queued = esc_outbox_get_n_queued (soak.outbox);

      if (queued >= last_queued)
        g_error ("Nothing sent for 60 s: %u queued, %u of %u reads ended",
                 queued, soak.reads_ended, soak.reads_started);
      g_test_message ("draining: %u queued", queued);
      last_queued = queued;
    }
  esc_sync_run_async (soak.sync, NULL, synced_cb, &synced);
  while (!synced)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("soak: %u filed, %u reads (%u failed), %u kills, %u stalls, %u changes forwarded",
                  soak.titles->len, soak.reads_started, soak.reads_failed, soak.kills, soak.stalls,
                  esc_test_proxy_get_n_forwarded (soak.proxy));
  for (guint f = 1; f < ESC_TEST_N_FAULTS; f++)
    g_test_message ("  %s: %u", esc_test_fault_to_string (f),
                    esc_test_proxy_get_n_faults (soak.proxy, f));

  /* Nothing lost, nothing twice, nothing refused */
  g_assert_cmpuint (soak.titles->len, >, 0);
  g_assert_cmpuint (esc_outbox_get_n_refused (soak.outbox), ==, 0);
  counts = count_on_service ();
  for (guint i = 0; i < soak.titles->len; i++)
    {
      const char *title = g_ptr_array_index (soak.titles, i);

      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, title)), ==, 1);
      g_assert_true (in_mirror (&soak, title));
    }

  /* No connection left behind once idle */
  esc_sync_stop (soak.sync);
  esc_outbox_sender_stop (soak.sender);
  if (!iterate_until (no_connection_left, &soak, 5000))
    g_error ("Connections still open to the service 5 s after the last request");

  g_cancellable_cancel (soak.cancellable);
  g_clear_object (&soak.sync);
  g_clear_object (&soak.sender);
  g_clear_object (&soak.account);
  g_assert_finalize_object (soak.client);
  g_clear_object (&soak.outbox);
  g_clear_object (&soak.mirror);
  g_clear_object (&soak.workspace);
  g_clear_object (&soak.cancellable);
  g_clear_pointer (&soak.proxy, esc_test_proxy_free);
  g_clear_pointer (&soak.titles, g_ptr_array_unref);
  g_clear_pointer (&soak.rand, g_rand_free);
  {
    g_autoptr(GDir) dir = g_dir_open (soak.dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (soak.dir, name, NULL);

        g_unlink (child);
      }
    g_rmdir (soak.dir);
  }
  g_free (soak.dir);
}

/* libsoup logs this when a connection it is about to use was closed by the
 * proxy; it is what the test does, not a failure. */
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

  g_test_add_func ("/api/soak", test_soak);

  ret = g_test_run ();

  g_clear_pointer (&service, esc_test_service_stop);
  g_free (admin_token);
  secret_service_disconnect ();
  g_clear_pointer (&keyring, esc_test_keyring_stop);

  return ret;
}
