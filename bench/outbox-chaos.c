/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "esc-account.h"
#include "esc-client.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-test-keyring.h"
#include "esc-test-proxy.h"
#include "esc-test-service.h"
#include "esc-workspace.h"

/* bench/outbox-chaos: files support requests through the outbox against a
 * real escalade-service behind a proxy that injects the faults of the api
 * tests at random — 500 before or after the service stored the request, the
 * connection closed before or after, a stall past the client's time-out,
 * garbled answers, the service SIGKILLed mid-request and restarted — and
 * restarts the app itself now and then (its objects dropped with requests in
 * flight, the workspace opened again). Then it counts, on the service, how
 * many times each filing arrived: lost (0) and duplicated (more than 1).
 * The same --seed draws the same faults and restarts. */

static int seed = -1;
static int filings = 1000;
static double rate = 0.5;
static int timeout_seconds = 1;
static char *build_dir;

static const GOptionEntry entries[] = {
  { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "The seed of the faults (default: random)", "N" },
  { "filings", 'n', 0, G_OPTION_ARG_INT, &filings, "How many support requests to file (1000)", "N" },
  { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate, "The share of attempts that get a fault (0.5)", "R" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_seconds, "The client's time-out (1 s)", "SECONDS" },
  { "build", 0, 0, G_OPTION_ARG_FILENAME, &build_dir, "The meson build directory", "DIR" },
  { NULL }
};

static EscTestService *service;

typedef struct
{
  EscWorkspace    *workspace;
  EscMirror       *mirror;
  EscOutbox       *outbox;
  EscClient       *client;
  EscAccount      *account;
  EscOutboxSender *sender;
} App;

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

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

  if (!esc_test_service_restart (service, &error))
    g_error ("Could not restart escalade-service: %s", error->message);

  return g_strdup (esc_test_service_get_url (service));
}

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
  esc_support_request_set_description (request, "Filed by bench/outbox-chaos.");
  esc_support_request_set_contact (request, contact);

  return request;
}

/* Starts the app: the workspace, the session restored from the keyring. */
static void
app_start (App        *app,
           const char *path,
           const char *url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!(app->workspace = esc_workspace_open (path, &error)))
    g_error ("%s", error->message);
  app->mirror = esc_mirror_new (app->workspace);
  app->outbox = esc_outbox_new (app->mirror);
  app->client = esc_client_new ();
  esc_client_set_timeout (app->client, timeout_seconds);
  app->account = esc_account_new (app->client);

  esc_account_restore_async (app->account, url, "camille", NULL, on_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  identity = esc_account_restore_finish (app->account, result, &error);
  if (!esc_account_can_send (app->account))
    g_error ("Could not restore the session: %s", error->message);

  app->sender = esc_outbox_sender_new (app->account, app->outbox);
  esc_outbox_sender_set_retry_delays (app->sender, 10, 200);
  esc_outbox_sender_start (app->sender);
}

/* The app goes away at once, whatever it was sending. */
static void
app_crash (App *app)
{
  esc_outbox_sender_stop (app->sender);
  g_clear_object (&app->sender);
  g_clear_object (&app->account);
  g_clear_object (&app->client);
  g_clear_object (&app->outbox);
  g_clear_object (&app->mirror);
  g_clear_object (&app->workspace);
}

/* The app is due to die (a timer set when filing a burst). */
static guint crash_timer;
static gboolean crash_due;

static gboolean
crash_due_cb (gpointer user_data)
{
  crash_timer = 0;
  crash_due = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
app_idle (App *app)
{
  return esc_outbox_get_n_queued (app->outbox) == 0 && !esc_outbox_sender_get_sending (app->sender);
}

/* Counts each title on the service, reading every page as an IT administrator. */
static GHashTable *
count_on_service (const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
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
      if (body == NULL || soup_message_get_status (message) != 200)
        g_error ("Could not list the requests: %s", error != NULL ? error->message : "not 200");
      root = json_from_string (g_bytes_get_data (body, NULL), &error);
      if (root == NULL)
        g_error ("Could not read the list: %s", error->message);

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

/* The test helpers talk with g_test_message(): that goes to stderr here,
 * so that stdout holds the figures only. */
static void
print_to_stderr (const char *text)
{
  fputs (text, stderr);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— lost and duplicated filings under faults");
  g_autoptr(GError) error = NULL;
  g_autoptr(EscTestKeyring) keyring = NULL;
  g_autoptr(EscTestProxy) proxy = NULL;
  g_autoptr(GRand) faults = NULL;
  g_autoptr(GRand) plan = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *binary = NULL;
  App app = { NULL, };
  gint64 started;
  guint lost = 0;
  guint duplicated = 0;
  guint restarts = 0;

  int filed = 0;
  double seconds;

  g_set_print_handler (print_to_stderr);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("outbox-chaos: %s\n", error->message);
      return 2;
    }

  if (build_dir == NULL)
    build_dir = g_strdup (g_getenv ("ESCALADE_BUILD_DIR"));
  if (g_getenv ("ESCALADE_SERVICE") == NULL)
    {
      if (build_dir == NULL)
        {
          g_printerr ("outbox-chaos: give --build DIR (the meson build directory)\n");
          return 2;
        }
      binary = g_build_filename (build_dir, "src", "service", "escalade-service", NULL);
      g_setenv ("ESCALADE_SERVICE", binary, TRUE);
    }

  if (seed < 0)
    seed = g_random_int_range (0, G_MAXINT32);
  faults = g_rand_new_with_seed ((guint32)seed);
  plan = g_rand_new_with_seed ((guint32)seed ^ 0x5eed);
  fprintf (stderr, "outbox-chaos: %d filings, fault rate %.2f, seed %d (repeat with --seed %d)\n",
           filings, rate, seed, seed);

  /* A private keyring: the bench never touches the user's. */
  if (!(keyring = esc_test_keyring_start (&error)) ||
      !(service = esc_test_service_start (&error)) ||
      !(token = esc_test_service_create_token (service, "camille", "camille@example.org",
                                               "it-admin", &error)) ||
      !(proxy = esc_test_proxy_new (esc_test_service_get_url (service), &error)))
    {
      g_printerr ("outbox-chaos: %s\n", error->message);
      return 1;
    }
  esc_test_proxy_set_service_func (proxy, service_func, NULL);

  dir = g_dir_make_tmp ("escalade-outbox-chaos-XXXXXX", &error);
  path = g_build_filename (dir, "workspace.sqlite3", NULL);

  /* Sign in once, as the user would: the token goes to the (private) keyring. */
  {
    g_autoptr(EscClient) client = esc_client_new ();
    g_autoptr(EscAccount) account = esc_account_new (client);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EscIdentity) identity = NULL;

    esc_account_sign_in_async (account, esc_test_proxy_get_url (proxy), token, NULL,
                               on_result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    if (!(identity = esc_account_sign_in_finish (account, result, &error)))
      {
        g_printerr ("outbox-chaos: %s\n", error->message);
        return 1;
      }
  }

  app_start (&app, path, esc_test_proxy_get_url (proxy));
  esc_test_proxy_set_random (proxy, faults, rate);
  started = g_get_monotonic_time ();

  /* File in bursts, as people do; now and then the app dies mid-flight. */
  while (filed < filings || !app_idle (&app))
    {
      /* People file a few at a time, while earlier ones are still on their way. */
      if (filed < filings && esc_outbox_get_n_queued (app.outbox) < 3)
        {
          int burst = MIN (g_rand_int_range (plan, 1, 21), filings - filed);

          for (int i = 0; i < burst; i++)
            {
              g_autofree char *title = g_strdup_printf ("chaos %d #%d", seed, ++filed);
              g_autoptr(EscSupportRequest) request = new_request (title);
              g_autoptr(EscOutboxItem) item = NULL;

              item = esc_outbox_sender_file_support_request (app.sender, request, NULL, &error);
              if (item == NULL)
                g_error ("Could not queue a filing: %s", error->message);
              g_ptr_array_add (titles, g_steal_pointer (&title));
            }

        }

      /* The app dies every few seconds, whatever it is doing. */
      if (crash_timer == 0 && !crash_due)
        crash_timer = g_timeout_add (g_rand_int_range (plan, 500, 4000), crash_due_cb, NULL);

      if (crash_due)
        {
          crash_due = FALSE;
          app_crash (&app);
          restarts++;
          app_start (&app, path, esc_test_proxy_get_url (proxy));
        }

      g_main_context_iteration (NULL, TRUE);

      if (esc_outbox_get_n_refused (app.outbox) > 0)
        g_error ("A filing was refused: the bench files only valid requests");
    }

  seconds = (g_get_monotonic_time () - started) / (double)G_USEC_PER_SEC;
  g_clear_handle_id (&crash_timer, g_source_remove);
  app_crash (&app);
  esc_test_proxy_release_stalled (proxy);

  counts = count_on_service (token);
  for (guint i = 0; i < titles->len; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, g_ptr_array_index (titles, i)));

      if (count == 0)
        lost++;
      else if (count > 1)
        duplicated += count - 1;
    }

  for (EscTestFault fault = ESC_TEST_FAULT_500_BEFORE; fault < ESC_TEST_N_FAULTS; fault++)
    fprintf (stderr, "outbox-chaos: fault %-14s %u\n", esc_test_fault_to_string (fault),
             esc_test_proxy_get_n_faults (proxy, fault));
  fprintf (stderr, "outbox-chaos: %u app restarts, %.1f s\n", restarts, seconds);

  printf ("lost %u\n", lost);
  printf ("duplicated %u\n", duplicated);
  printf ("total %u\n", titles->len);
  printf ("BENCH|outbox-chaos|lost|%u|0|%s\n", lost, lost == 0 ? "ok" : "MISSED");
  printf ("BENCH|outbox-chaos|duplicated|%u|0|%s\n", duplicated, duplicated == 0 ? "ok" : "MISSED");
  printf ("BENCH|outbox-chaos|filings (seed %d)|%u||\n", seed, titles->len);
  printf ("BENCH|outbox-chaos|time|%.1f s||\n", seconds);
  fflush (stdout);

  g_clear_pointer (&proxy, esc_test_proxy_free);
  g_clear_pointer (&service, esc_test_service_stop);
  secret_service_disconnect ();
  g_clear_pointer (&keyring, esc_test_keyring_stop);
  {
    g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
    const char *name;

    while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);

        g_remove (child);
      }
    g_rmdir (dir);
  }

  return lost == 0 && duplicated == 0 ? 0 : 1;
}
