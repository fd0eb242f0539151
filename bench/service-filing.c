/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "esc-service-private.h"

/* bench/service-filing: how fast escalade-service files support requests
 * over HTTP, against the same number of transactional inserts made straight
 * into SQLite with the same durability settings (the service's own schema
 * and pragmas: WAL, synchronous = FULL, one transaction per request).
 *
 * A real `escalade-service serve` is started on 127.0.0.1 with a new
 * database; --clients sessions (one connection each) file --requests
 * admin requests between them, each with an Idempotency-Key, as the app
 * does (marked idempotent, so that libsoup sends them on the kept-alive
 * connection instead of opening one per POST). Then the same number of rows
 * go into support_requests of another new database, one BEGIN IMMEDIATE …
 * COMMIT each. --rounds rounds of both, one after the other; the median
 * round gives the figures. Goal: the service files at ≥ 50 % of the raw
 * rate. */

#define GOAL_PERCENT 50.0

static int opt_requests = 2000;
static int opt_clients = 16;
static int opt_rounds = 3;
static char *opt_build;
static char *opt_dir;
static gboolean opt_keep;
static gboolean opt_new_connections;

static const char request_body[] =
  "{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
  " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  " \"title\": \"Printer driver blocked by policy\","
  " \"description\": \"Since Monday the driver of the third floor printers is blocked by a"
  " configuration policy; users cannot print.\","
  " \"contact\": {\"given_name\": \"Camille\", \"surname\": \"Martin\","
  " \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  " \"preferred_method\": \"email\", \"language\": \"fr\"},"
  " \"users_or_devices_impacted\": 12, \"devices\": [\"MMD-03690457680\"],"
  " \"related_ticket\": \"INC0012345\"}";

typedef struct
{
  SoupSession *session;
  GBytes      *body;
  char        *url;
  char        *authorization;
  int          remaining;
  int          index;
  int         *in_flight;
  int         *failures;
  int         *connections;
} Client;

static void send_next (Client *client);

/* CPU seconds (user + system) used so far by process @pid, from /proc; -1 if unknown. */
static double
process_cpu_seconds (const char *pid)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (pid == NULL)
    return -1;

  path = g_strdup_printf ("/proc/%s/stat", pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;

  /* The name is in parentheses and may hold spaces: count from after it. */
  if (!(after_name = strrchr (contents, ')')))
    return -1;
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;

  /* utime and stime are fields 14 and 15 of the line, 12 and 13 after the name. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

static double service_cpu_seconds = -1;
static double client_cpu_seconds = -1;
static int connections_opened;

static double
self_cpu_seconds (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int)getpid ());

  return process_cpu_seconds (pid);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  answer = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (answer == NULL || soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    {
      if ((*client->failures)++ < 5)
        g_printerr ("service-filing: request failed: %s\n",
                    error ? error->message : soup_message_get_reason_phrase (msg));
    }

  send_next (client);
}

/* Counts the connections the clients open: one each if keep-alive works. */
static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  Client *client = user_data;

  if (event == G_SOCKET_CLIENT_CONNECTED)
    (*client->connections)++;
}

static void
send_next (Client *client)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *key = NULL;

  g_assert (client->in_flight != NULL);

  if (client->remaining == 0)
    {
      (*client->in_flight)--;
      return;
    }
  client->remaining--;

  msg = soup_message_new ("POST", client->url);
  key = g_uuid_string_random ();
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                client->authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", client->body);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), client);
  /* With its Idempotency-Key the request is safe to send on a kept-alive
   * connection (libsoup opens a new connection for every POST otherwise). */
  if (!opt_new_connections)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_session_send_and_read_async (client->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, client);
}

static char *
find_service (GError **error)
{
  const char *env = g_getenv ("ESCALADE_SERVICE");
  const char *build = opt_build ? opt_build : g_getenv ("ESCALADE_BUILD_DIR");
  g_autofree char *from_build = NULL;

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (env);

  if (build != NULL)
    {
      from_build = g_build_filename (build, "src", "service", "escalade-service", NULL);
      if (g_file_test (from_build, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&from_build);
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "no escalade-service: give --build DIR (the meson build directory)");
  return NULL;
}

static char *
create_token (const char  *service,
              const char  *database,
              GError     **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                              service, "--database", database, "token", "create",
                              "--user", "bench", "--email", "bench@example.org",
                              "--role", "it-admin", NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "token create failed");
      return NULL;
    }

  /* The token is the last line (G_MESSAGES_DEBUG may add lines before it). */
  {
    g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
    guint n = g_strv_length (lines);

    return n > 0 ? g_strdup (lines[n - 1]) : NULL;
  }
}

/* Files the requests over HTTP; returns the seconds taken, or < 0. */
static double
run_service (const char  *service,
             const char  *dir,
             GError     **error)
{
  g_autofree char *database = g_build_filename (dir, "service.sqlite3", NULL);
  g_autofree char *log = g_build_filename (dir, "service.log", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *token = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static (request_body, strlen (request_body));
  g_autofree Client *clients = g_new0 (Client, opt_clients);
  int in_flight = opt_clients;
  int failures = 0;
  gint64 start;
  gint64 end;

  if (!(token = create_token (service, database, error)))
    return -1;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  process = g_subprocess_launcher_spawn (launcher, error, service, "--database", database,
                                         "serve", "--listen", "127.0.0.1:0", NULL);
  if (process == NULL)
    return -1;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the service did not start");
      g_subprocess_force_exit (process);
      return -1;
    }

  url = g_strconcat (line + strlen ("listening on "), "/v1/support-requests", NULL);
  authorization = g_strconcat ("Bearer ", token, NULL);

  for (int i = 0; i < opt_clients; i++)
    {
      clients[i].session = soup_session_new ();
      soup_session_set_proxy_resolver (clients[i].session, NULL);
      soup_session_set_timeout (clients[i].session, 60);
      clients[i].body = body;
      clients[i].url = url;
      clients[i].authorization = authorization;
      clients[i].remaining = opt_requests / opt_clients + (i < opt_requests % opt_clients ? 1 : 0);
      clients[i].index = i;
      clients[i].in_flight = &in_flight;
      clients[i].failures = &failures;
      clients[i].connections = &connections_opened;
    }

  client_cpu_seconds = self_cpu_seconds ();
  start = g_get_monotonic_time ();
  for (int i = 0; i < opt_clients; i++)
    send_next (&clients[i]);
  while (in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();
  client_cpu_seconds = self_cpu_seconds () - client_cpu_seconds;

  for (int i = 0; i < opt_clients; i++)
    g_clear_object (&clients[i].session);

  service_cpu_seconds = process_cpu_seconds (g_subprocess_get_identifier (process));
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);

  if (failures > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%d requests were not filed (see %s)",
                   failures, log);
      return -1;
    }

  return (end - start) / (double)G_USEC_PER_SEC;
}

/* The same number of rows, straight into the service's schema. */
static double
run_raw (const char  *dir,
         GError     **error)
{
  g_autofree char *database = g_build_filename (dir, "raw.sqlite3", NULL);
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *token = NULL;
  const char * const roles[] = { "it-admin", NULL };
  const char *contact =
    "{\"given_name\":\"Camille\",\"surname\":\"Martin\",\"email\":\"camille@example.org\","
    "\"phone\":\"+33 1 23 45 67 89\",\"preferred_method\":\"email\",\"language\":\"fr\"}";
  gint64 start;
  gint64 end;

  if (!(db = esc_service_db_open (database, error)))
    return -1;
  if (!(token = esc_service_db_create_token (db, "bench", "bench@example.org", roles, error)))
    return -1;

  if (!(stmt = esc_service_db_prepare (db,
                                       "INSERT INTO support_requests"
                                       " (kind, type, severity, category, subcategory, title, description,"
                                       "  contact, users_or_devices_impacted, devices, related_ticket, state,"
                                       "  filer_id, created_at, updated_at, response_due_at)"
                                       " VALUES ('admin', 'incident', 'C', 'devices', 'configuration-policy',"
                                       "  'Printer driver blocked by policy', ?1, ?2, 12,"
                                       "  '[\"MMD-03690457680\"]', 'INC0012345', 'new', 1,"
                                       "  '2024-05-06T09:00:00Z', '2024-05-06T09:00:00Z', '2024-05-06T17:00:00Z')",
                                       error)))
    return -1;

  start = g_get_monotonic_time ();
  for (int i = 0; i < opt_requests; i++)
    {
      if (!esc_service_db_begin (db, error))
        return -1;
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, "Since Monday the driver of the third floor printers is blocked by a "
                                  "configuration policy; users cannot print.", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, contact, -1, SQLITE_STATIC);
      if (!esc_service_db_step_done (db, stmt, error) || !esc_service_db_commit (db, error))
        {
          esc_service_db_rollback (db);
          return -1;
        }
    }
  end = g_get_monotonic_time ();

  return (end - start) / (double)G_USEC_PER_SEC;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

/* The median of @n values (sorts a copy). */
static double
median (const double *values,
        int           n)
{
  g_autofree double *sorted = g_memdup2 (values, n * sizeof *values);

  qsort (sorted, n, sizeof *sorted, compare_doubles);

  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* The databases and the log of a round. */
static void
remove_files (const char *dir)
{
  const char * const names[] = {
    "service.sqlite3", "service.sqlite3-wal", "service.sqlite3-shm", "service.log",
    "raw.sqlite3", "raw.sqlite3-wal", "raw.sqlite3-shm",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "requests", 'n', 0, G_OPTION_ARG_INT, &opt_requests, "How many requests to file (2000)", "N" },
    { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients, "Concurrent clients, one connection each (16)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
      "Rounds of both measures, one after the other; the medians are given (3)", "N" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &opt_build, "The meson build directory", "DIR" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir,
      "Where to put the databases (default: a new folder in the build directory, on disk)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the databases and the service's log", NULL },
    { "new-connections", 0, 0, G_OPTION_ARG_NONE, &opt_new_connections,
      "A new connection per request (libsoup's default for a POST) instead of keep-alive", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *service = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree double *service_rates = NULL;
  g_autofree double *raw_rates = NULL;
  g_autofree double *percents = NULL;
  g_autofree double *service_cpus = NULL;
  g_autofree double *client_cpus = NULL;
  g_autofree int *connections = NULL;
  double service_rate;
  double raw_rate;
  double percent;

  g_option_context_set_summary (context,
                                "Files support requests over HTTP with concurrent clients and compares "
                                "the rate with as many transactional inserts straight into SQLite.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("service-filing: %s\n", error->message);
      return 2;
    }
  if (opt_requests < 1 || opt_clients < 1 || opt_rounds < 1)
    {
      g_printerr ("service-filing: --requests, --clients and --rounds must be at least 1\n");
      return 2;
    }

  if (!(service = find_service (&error)))
    {
      g_printerr ("service-filing: %s\n", error->message);
      return 1;
    }

  /* On the same disk as the build, not a tmpfs: fsync must cost what it costs. */
  if (opt_dir != NULL)
    template = g_build_filename (opt_dir, "service-filing-XXXXXX", NULL);
  else if (opt_build != NULL || g_getenv ("ESCALADE_BUILD_DIR") != NULL)
    template = g_build_filename (opt_build ? opt_build : g_getenv ("ESCALADE_BUILD_DIR"),
                                 "service-filing-XXXXXX", NULL);
  else
    template = g_build_filename (g_get_tmp_dir (), "service-filing-XXXXXX", NULL);
  dir = g_strdup (template);
  if (g_mkdtemp (dir) == NULL)
    {
      g_printerr ("service-filing: could not make %s\n", template);
      return 1;
    }

  printf ("service-filing: %d requests, %d clients, %d rounds, databases in %s\n",
          opt_requests, opt_clients, opt_rounds, dir);
  fflush (stdout);

  /* Rounds of service then raw, each on new databases: load from elsewhere
   * on the machine moves both measures of a round alike, and the median
   * round stands for the run. */
  service_rates = g_new0 (double, opt_rounds);
  raw_rates = g_new0 (double, opt_rounds);
  percents = g_new0 (double, opt_rounds);
  service_cpus = g_new0 (double, opt_rounds);
  client_cpus = g_new0 (double, opt_rounds);
  connections = g_new0 (int, opt_rounds);
  for (int round = 0; round < opt_rounds; round++)
    {
      double service_seconds;
      double raw_seconds;

      remove_files (dir);
      connections_opened = 0;
      if ((service_seconds = run_service (service, dir, &error)) < 0 ||
          (raw_seconds = run_raw (dir, &error)) < 0)
        {
          /* The folder stays, with the service's log. */
          g_printerr ("service-filing: %s\n", error->message);
          return 1;
        }

      service_rates[round] = opt_requests / service_seconds;
      raw_rates[round] = opt_requests / raw_seconds;
      percents[round] = 100.0 * service_rates[round] / raw_rates[round];
      service_cpus[round] = service_cpu_seconds * G_USEC_PER_SEC / opt_requests;
      client_cpus[round] = client_cpu_seconds * G_USEC_PER_SEC / opt_requests;
      connections[round] = connections_opened;
      printf ("  round %d: %.0f requests/s over HTTP, %.0f inserts/s, %.1f %%\n",
              round + 1, service_rates[round], raw_rates[round], percents[round]);
      fflush (stdout);
    }
  if (!opt_keep)
    {
      remove_files (dir);
      g_rmdir (dir);
    }

  service_rate = median (service_rates, opt_rounds);
  raw_rate = median (raw_rates, opt_rounds);
  percent = median (percents, opt_rounds);

  printf ("  over HTTP (escalade-service): %8.0f requests/s (median of %d)\n", service_rate, opt_rounds);
  printf ("  straight into SQLite:         %8.0f inserts/s\n", raw_rate);
  if (service_cpu_seconds >= 0)
    printf ("  CPU per request:              %8.0f µs in the service, %.0f µs in the clients\n",
            median (service_cpus, opt_rounds), median (client_cpus, opt_rounds));
  printf ("  connections opened:           %8d (%d clients: keep-alive %s)\n", connections[0],
          opt_clients,
          opt_new_connections ? "off" : connections[0] <= opt_clients ? "works" : "DID NOT WORK");
  printf ("  ratio:                        %8.1f %% (median round; goal ≥ %.0f %%)\n",
          percent, GOAL_PERCENT);
  printf ("BENCH|service-filing|service rate|%.0f requests/s||\n", service_rate);
  printf ("BENCH|service-filing|raw SQLite rate|%.0f inserts/s||\n", raw_rate);
  printf ("BENCH|service-filing|ratio|%.1f %%|≥ %.0f %%|%s\n", percent, GOAL_PERCENT,
          percent >= GOAL_PERCENT ? "ok" : "MISSED");

  return 0;
}
