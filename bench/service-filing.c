/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "esc-service-crypto.h"
#include "esc-service-pg.h"
#include "esc-service-private.h"
#ifdef ESC_BENCH_HAVE_PQ
#include "service-filing-pg.h"
#endif

/* bench/service-filing: how fast escalade-service files support requests
 * over HTTP, against the same number of transactional inserts made straight
 * into the database with the same durability.
 *
 * --backend sqlite (the default): a real `escalade-service serve` on
 * 127.0.0.1 with a new SQLite file; --clients sessions (one connection
 * each) file --requests admin requests between them, each with an
 * Idempotency-Key, as the app does (marked idempotent, so that libsoup
 * sends them on the kept-alive connection instead of opening one per POST).
 * Then the same number of rows go into support_requests of another new
 * file with the service's own code (WAL, synchronous = FULL), one BEGIN
 * IMMEDIATE … COMMIT each. --rounds rounds of both, one after the other;
 * the median round gives the figures. Goal: the service files at ≥ 50 % of
 * the raw rate.
 *
 * --backend postgresql --nodes 1,2,3 (issue 13): the same SQLite pair, then
 * for each node count a new database in the PostgreSQL cluster of --pg
 * (synchronous_commit on), that many nodes on it sharing one pair of keys,
 * behind HAProxy with data/deploy/haproxy.cfg's settings (one node: straight,
 * and behind HAProxy too), the same filing, and as many single-INSERT
 * transactions into the same database from as many libpq connections at
 * once as the configuration has nodes: a node writes through one
 * connection at a time (its group commits follow each other), as the
 * SQLite service writes through its one, so that is the database rate the
 * configuration can draw on, and the goal's baseline. The same inserts
 * from --clients connections are measured too, and shown beside it: what
 * the database does with as many writers as there are clients. Then the
 * chaos run: the largest configuration again, one node
 * killed (SIGKILL) a third of the way through, the clients sending what
 * failed again through the balancer with the same Idempotency-Key.
 *
 * --flush-delay MICROSECONDS (with --own-cluster): an experiment, not a
 * measure. The cluster runs with bench/flush-delay.c preloaded, so each of
 * its flushes costs that much more, as on a disk whose flush is slower than
 * this machine's; raw inserts and filings pay it alike. The PostgreSQL
 * ratios are then printed without a goal or a verdict.
 *
 * Every run ends with a count in the database: each request carries its
 * key in its description, so an acknowledged key with no row is lost and
 * a key with two rows is duplicated. */

#define GOAL_PERCENT 50.0
/* What a client does when an answer is a 5xx or no answer, with --retry */
#define RETRY_DELAY_MS 50
#define MAX_ATTEMPTS 200

static int opt_requests = 2000;
static int opt_clients = 16;
static int opt_rounds = 3;
static char *opt_build;
static char *opt_dir;
static gboolean opt_keep;
static gboolean opt_new_connections;
static char *opt_backend;
static char *opt_nodes;
static char *opt_pg;
static gboolean opt_no_chaos;
static gboolean opt_own_cluster;
static int opt_flush_delay;

static const char request_format[] =
  "{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
  " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  " \"title\": \"Printer driver blocked by policy\","
  " \"description\": \"Since Monday the driver of the third floor printers is blocked by a"
  " configuration policy; users cannot print. (bench %s)\","
  " \"contact\": {\"given_name\": \"Camille\", \"surname\": \"Martin\","
  " \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  " \"preferred_method\": \"email\", \"language\": \"fr\"},"
  " \"users_or_devices_impacted\": 12, \"devices\": [\"MMD-03690457680\"],"
  " \"related_ticket\": \"INC0012345\"}";

/* One filing run: what the clients share */
typedef struct
{
  const char  *url;
  const char  *authorization;
  gboolean     retry;
  int          in_flight;
  int          failures;
  int          connections;
  int          retries;         /* of which: */
  int          retries_no_answer;
  int          retries_server_error;
  int          retries_in_progress;
  int          replays;
  GHashTable  *acknowledged;   /* key → Location of the 201 */
  /* The chaos run: @victim is killed once @kill_after requests are acknowledged */
  int          kill_after;
  GSubprocess *victim;
  int          killed;
} Filing;

typedef struct
{
  Filing      *filing;
  SoupSession *session;
  int          remaining;
  char        *key;
  int          attempts;
} Client;

static void send_next (Client *client);
static void send_current (Client *client);

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

static double
self_cpu_seconds (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int)getpid ());

  return process_cpu_seconds (pid);
}

static gboolean
resend_cb (gpointer user_data)
{
  send_current (user_data);

  return G_SOURCE_REMOVE;
}

/* What the app's outbox sends again (esc_api_error_is_transient()): no
 * answer, a 5xx, or its key still being worked on by another node. */
static gboolean
is_transient (guint   status,
              GBytes *answer)
{
  g_autofree char *text = NULL;

  if (status == 0 || status >= 500)
    return TRUE;
  if (status != SOUP_STATUS_CONFLICT || answer == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

  return strstr (text, "problems/idempotency-in-progress") != NULL;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Client *client = user_data;
  Filing *filing = client->filing;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  guint status;

  answer = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  status = answer != NULL ? soup_message_get_status (msg) : 0;

  if (status == SOUP_STATUS_CREATED)
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

      if (g_strcmp0 (soup_message_headers_get_one (headers, "Idempotent-Replayed"), "true") == 0)
        filing->replays++;
      g_hash_table_insert (filing->acknowledged, g_steal_pointer (&client->key),
                           g_strdup (soup_message_headers_get_one (headers, "Location")));
      if (filing->victim != NULL && (int)g_hash_table_size (filing->acknowledged) == filing->kill_after)
        {
          g_printerr ("service-filing: killing node %s after %d acknowledged requests\n",
                      g_subprocess_get_identifier (filing->victim), filing->kill_after);
          g_subprocess_force_exit (filing->victim);
          filing->killed++;
        }
    }
  else if (filing->retry && is_transient (status, answer) && ++client->attempts < MAX_ATTEMPTS)
    {
      /* The same request, same key, through the balancer again */
      filing->retries++;
      if (status == 0)
        filing->retries_no_answer++;
      else if (status >= 500)
        filing->retries_server_error++;
      else
        filing->retries_in_progress++;
      g_timeout_add (RETRY_DELAY_MS, resend_cb, client);
      return;
    }
  else if (filing->failures++ < 5)
    {
      if (error != NULL)
        g_printerr ("service-filing: request failed: %s\n", error->message);
      else
        g_printerr ("service-filing: request failed: %u %s (the nodes' logs say more: --keep)\n", status,
                    soup_message_get_reason_phrase (msg));
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
    client->filing->connections++;
}

static void
send_current (Client *client)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", client->filing->url);
  char *text = g_strdup_printf (request_format, client->key);
  g_autoptr(GBytes) body = g_bytes_new_take (text, strlen (text));
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", client->filing->authorization);
  soup_message_headers_replace (headers, "Idempotency-Key", client->key);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), client);
  /* With its Idempotency-Key the request is safe to send on a kept-alive
   * connection (libsoup opens a new connection for every POST otherwise). */
  if (!opt_new_connections)
    soup_message_add_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  soup_session_send_and_read_async (client->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, client);
}

static void
send_next (Client *client)
{
  g_clear_pointer (&client->key, g_free);
  g_assert (client->filing != NULL);
  if (client->remaining == 0)
    {
      client->filing->in_flight--;
      return;
    }
  client->remaining--;
  client->key = g_uuid_string_random ();
  client->attempts = 0;
  send_current (client);
}

/* Files --requests requests with --clients clients; returns the seconds
 * taken. @filing's counters say what happened. */
static double
file_requests (Filing *filing)
{
  g_autofree Client *clients = g_new0 (Client, opt_clients);
  gint64 start;
  gint64 end;

  filing->in_flight = opt_clients;
  for (int i = 0; i < opt_clients; i++)
    {
      clients[i].filing = filing;
      clients[i].session = soup_session_new ();
      soup_session_set_proxy_resolver (clients[i].session, NULL);
      soup_session_set_timeout (clients[i].session, 60);
      clients[i].remaining = opt_requests / opt_clients + (i < opt_requests % opt_clients ? 1 : 0);
    }

  start = g_get_monotonic_time ();
  for (int i = 0; i < opt_clients; i++)
    send_next (&clients[i]);
  while (filing->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();

  for (int i = 0; i < opt_clients; i++)
    g_clear_object (&clients[i].session);

  return (end - start) / (double)G_USEC_PER_SEC;
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

/* "--database DB", and on PostgreSQL the keys every node shares (made
 * once, before any node starts, so that no two nodes make their own). */
static void
add_database_options (GPtrArray  *argv,
                      const char *service,
                      const char *database,
                      const char *dir)
{
  g_ptr_array_add (argv, g_strdup (service));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (database));
  if (esc_service_pg_is_conninfo (database))
    {
      g_ptr_array_add (argv, g_strdup ("--key-file"));
      g_ptr_array_add (argv, g_build_filename (dir, "secret.key", NULL));
      g_ptr_array_add (argv, g_strdup ("--audit-key-file"));
      g_ptr_array_add (argv, g_build_filename (dir, "audit.key", NULL));
    }
}

static gboolean
make_keys (const char  *dir,
           GError     **error)
{
  const char * const names[] = { "secret.key", "audit.key" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS) &&
          !esc_service_key_file_create (path, ESC_SERVICE_SECRET_KEY_LENGTH, error))
        return FALSE;
    }

  return TRUE;
}

static char *
create_token (const char  *service,
              const char  *database,
              const char  *dir,
              GError     **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  add_database_options (argv, service, database, dir);
  for (const char * const *arg = (const char * const[]) { "token", "create", "--user", "bench", "--email",
                                                          "bench@example.org", "--role", "it-admin", NULL };
       *arg != NULL; arg++)
    g_ptr_array_add (argv, g_strdup (*arg));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
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

/* The nodes and HAProxy end with the benchmark, even one interrupted */
static void
die_with_parent_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A running `escalade-service serve` */
typedef struct
{
  GSubprocess *process;
  char        *url;
  double       cpu_seconds;
} Node;

static gboolean
start_node (const char  *service,
            const char  *database,
            const char  *dir,
            int          index,
            Node        *node,
            GError     **error)
{
  g_autofree char *name = g_strdup_printf ("node%d.log", index + 1);
  g_autofree char *log = g_build_filename (dir, name, NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  add_database_options (argv, service, database, dir);
  g_ptr_array_add (argv, g_strdup ("serve"));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
  if (!(node->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error)))
    return FALSE;

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the service did not start (see %s)", log);
      g_subprocess_force_exit (node->process);
      g_subprocess_wait (node->process, NULL, NULL);
      g_clear_object (&node->process);
      return FALSE;
    }
  node->url = g_strdup (line + strlen ("listening on "));

  return TRUE;
}

static void
stop_node (Node *node)
{
  if (node->process == NULL)
    return;

  node->cpu_seconds = process_cpu_seconds (g_subprocess_get_identifier (node->process));
  g_subprocess_send_signal (node->process, SIGTERM);
  g_subprocess_wait (node->process, NULL, NULL);
  g_clear_object (&node->process);
  g_clear_pointer (&node->url, g_free);
}

/* HAProxy with data/deploy/haproxy.cfg's settings (balancing, retries,
 * health checks on GET /v1/health every 2 s) in front of @n nodes.
 * Changed: plain HTTP on a free loopback port, the nodes' ports, no
 * syslog, user or daemon (as tests/test-service-balancer.c does). The
 * checks keep their interval, which is also their timeout: at 200 ms (the
 * test's), a node busy with a queue of filings missed two checks in a row
 * and HAProxy answered 503 while it was out of the rotation. */

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);

  g_socket_listener_close (listener);

  return port;
}

static char *
balancer_config (const Node  *nodes,
                 int          n,
                 guint16      port,
                 GError     **error)
{
  g_autofree char *source = g_build_filename (ESC_BENCH_SOURCE_DIR, "data", "deploy", "haproxy.cfg", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) config = g_string_new (NULL);
  gboolean bound = FALSE;

  if (!g_file_get_contents (source, &contents, NULL, error))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *text = lines[i] + strspn (lines[i], " ");

      if (g_str_has_prefix (text, "bind "))
        {
          g_string_append_printf (config, "    bind 127.0.0.1:%u\n", port);
          bound = TRUE;
        }
      else if (g_str_has_prefix (text, "log /dev/log") || g_str_has_prefix (text, "user ") ||
               g_str_has_prefix (text, "group ") || g_str_has_prefix (text, "daemon") ||
               g_str_has_prefix (text, "server node"))
        continue;
      else
        g_string_append_printf (config, "%s\n", lines[i]);
    }
  if (!bound)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no bind line", source);
      return NULL;
    }

  /* The backend is the file's last section */
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (nodes[i].url, G_URI_FLAGS_NONE, error);

      if (uri == NULL)
        return NULL;
      g_string_append_printf (config, "    server node%d 127.0.0.1:%d\n", i + 1, g_uri_get_port (uri));
    }

  return g_string_free (g_steal_pointer (&config), FALSE);
}

/* Waits until GET /v1/health through the balancer answers 200. */
static gboolean
wait_for_balancer (const char  *url,
                   GError     **error)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *health = g_strconcat (url, "/v1/health", NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  soup_session_set_proxy_resolver (session, NULL);
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", health);
      g_autoptr(GBytes) answer = soup_session_send_and_read (session, msg, NULL, NULL);

      if (answer != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
        return TRUE;
      g_usleep (50000);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "HAProxy did not answer on %s", url);
  return FALSE;
}

static GSubprocess *
start_balancer (const Node  *nodes,
                int          n,
                const char  *dir,
                char       **out_url,
                GError     **error)
{
  g_autofree char *config_path = g_build_filename (dir, "haproxy.cfg", NULL);
  g_autofree char *log = g_build_filename (dir, "haproxy.log", NULL);
  g_autofree char *config = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  guint16 port = free_port ();

  if (!(config = balancer_config (nodes, n, port, error)) ||
      !g_file_set_contents (config_path, config, -1, error))
    return NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
  if (!(process = g_subprocess_launcher_spawn (launcher, error, "haproxy", "-db", "-q", "-f", config_path, NULL)))
    return NULL;

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  if (!wait_for_balancer (url, error))
    {
      g_subprocess_send_signal (process, SIGTERM);
      g_subprocess_wait (process, NULL, NULL);
      return NULL;
    }

  *out_url = g_steal_pointer (&url);
  return g_steal_pointer (&process);
}

static void
stop_balancer (GSubprocess **process)
{
  if (*process == NULL)
    return;
  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

/* Lost and duplicated: the rows of @database (a file or a connection
 * string, read with the service's own code) against what was acknowledged. */
static gboolean
count_rows (const char  *database,
            Filing      *filing,
            int         *out_rows,
            int         *out_lost,
            int         *out_duplicated,
            GError     **error)
{
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  gpointer value;
  int rc;

  *out_rows = *out_lost = *out_duplicated = 0;
  if (!(db = esc_service_db_open (database, error)) ||
      !(stmt = esc_service_db_prepare (db, "SELECT description FROM support_requests", error)))
    return FALSE;

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      const char *description = esc_service_stmt_column_text (stmt, 0);
      const char *mark = description ? strstr (description, "(bench ") : NULL;
      g_autofree char *bench_key = NULL;
      gsize length;

      (*out_rows)++;
      if (mark == NULL)
        continue;
      mark += strlen ("(bench ");
      length = strcspn (mark, ")");
      bench_key = g_strndup (mark, length);
      value = g_hash_table_lookup (counts, bench_key);
      if (GPOINTER_TO_INT (value) == 1)
        (*out_duplicated)++;
      g_hash_table_replace (counts, g_steal_pointer (&bench_key), GINT_TO_POINTER (GPOINTER_TO_INT (value) + 1));
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);

  g_hash_table_iter_init (&iter, filing->acknowledged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (counts, key))
      (*out_lost)++;

  return TRUE;
}

/* The same number of rows, straight into the service's schema in SQLite. */
static double
run_raw_sqlite (const char  *dir,
                GError     **error)
{
  g_autofree char *database = g_build_filename (dir, "raw.sqlite3", NULL);
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
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
      esc_service_stmt_reset (stmt);
      esc_service_stmt_bind_text (stmt, 1, "Since Monday the driver of the third floor printers is blocked by a "
                                           "configuration policy; users cannot print.");
      esc_service_stmt_bind_text (stmt, 2, contact);
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

/* The databases, keys and logs of a round. */
static void
remove_files (const char *dir)
{
  const char * const names[] = {
    "service.sqlite3", "service.sqlite3-wal", "service.sqlite3-shm", "service.sqlite3.key",
    "service.sqlite3.audit-key", "raw.sqlite3", "raw.sqlite3-wal", "raw.sqlite3-shm",
    "raw.sqlite3.key", "raw.sqlite3.audit-key", "secret.key", "audit.key", "haproxy.cfg",
    "haproxy.log",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      g_unlink (path);
    }
  for (int i = 0; i < 16; i++)
    {
      g_autofree char *name = g_strdup_printf ("node%d.log", i + 1);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
}

/* One configuration: its figures over the rounds */
typedef struct
{
  char     *label;
  char     *slug;   /* its folder's name */
  gboolean  postgresql;
  int       nodes;
  gboolean  balancer;
  gboolean  chaos;
  double   *rates;
  double   *raw_rates;       /* as many connections as nodes: the goal's baseline */
  double   *percents;
  double   *raw_clients_rates; /* PostgreSQL: as many connections as clients */
  double   *clients_percents;
  double   *service_cpus;
  double   *client_cpus;
  int       connections;
  int       rows;
  int       lost;
  int       duplicated;
  int       failures;
  int       retries;
  int       retries_no_answer;
  int       retries_server_error;
  int       retries_in_progress;
  int       replays;
  int       killed;
  int       acknowledged;
} Config;

static Config *
config_new (gboolean postgresql,
            int      nodes,
            gboolean balancer,
            gboolean chaos)
{
  Config *config = g_new0 (Config, 1);

  config->postgresql = postgresql;
  config->nodes = nodes;
  config->balancer = balancer;
  config->chaos = chaos;
  config->label = g_strdup_printf ("%s%s, %d node%s%s", chaos ? "chaos: " : "",
                                   postgresql ? "PostgreSQL" : "SQLite", nodes, nodes > 1 ? "s" : "",
                                   balancer ? " behind HAProxy" : "");
  config->slug = g_strdup_printf ("%s%s-%d%s", chaos ? "chaos-" : "", postgresql ? "postgresql" : "sqlite",
                                  nodes, balancer ? "-haproxy" : "");
  config->rates = g_new0 (double, opt_rounds);
  config->raw_rates = g_new0 (double, opt_rounds);
  config->percents = g_new0 (double, opt_rounds);
  config->raw_clients_rates = g_new0 (double, opt_rounds);
  config->clients_percents = g_new0 (double, opt_rounds);
  config->service_cpus = g_new0 (double, opt_rounds);
  config->client_cpus = g_new0 (double, opt_rounds);

  return config;
}

static void
config_free (Config *config)
{
  g_free (config->label);
  g_free (config->slug);
  g_free (config->rates);
  g_free (config->raw_rates);
  g_free (config->percents);
  g_free (config->raw_clients_rates);
  g_free (config->clients_percents);
  g_free (config->service_cpus);
  g_free (config->client_cpus);
  g_free (config);
}

static const char *pg_cluster;
static char *pg_fsync;

/* One round of @config: the filing over HTTP, the count, the raw inserts,
 * with its files in a folder of @top_dir. */
static gboolean
run_config (const char  *service,
            Config      *config,
            int          round,
            const char  *top_dir,
            GError     **error)
{
  static int databases;
  g_autofree char *name = g_strdup_printf ("round%d-%s", round + 1, config->slug);
  g_autofree char *dir = g_build_filename (top_dir, name, NULL);
  g_autofree char *pg_name = NULL;
  g_autofree char *database = NULL;
  g_autofree char *token = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *balancer_url = NULL;
  g_autofree char *url = NULL;
  g_autofree Node *nodes = g_new0 (Node, config->nodes);
  g_autoptr(GSubprocess) balancer = NULL;
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Filing filing = { 0 };
  double seconds = -1;
  double raw_seconds = -1;
  double client_cpu;
  double service_cpu = 0;
  int rows = 0, lost = 0, duplicated = 0;
  gboolean ok = FALSE;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not make %s", dir);
      return FALSE;
    }
  remove_files (dir);
  if (config->postgresql)
    {
#ifdef ESC_BENCH_HAVE_PQ
      g_autofree char *fsync_setting = NULL;

      pg_name = g_strdup_printf ("esc_bench_%d_%d", (int)getpid (), ++databases);
      if (!(database = bench_pg_create_database (pg_cluster, pg_name, &fsync_setting, error)))
        g_clear_pointer (&pg_name, g_free);
      else if (pg_fsync == NULL)
        pg_fsync = g_steal_pointer (&fsync_setting);
#else
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "this build has no libpq: --backend postgresql needs it");
#endif
      if (database == NULL || !make_keys (dir, error))
        goto out;
    }
  else
    {
      database = g_build_filename (dir, "service.sqlite3", NULL);
    }

  if (!(token = create_token (service, database, dir, error)))
    goto out;
  authorization = g_strconcat ("Bearer ", token, NULL);

  for (int i = 0; i < config->nodes; i++)
    if (!start_node (service, database, dir, i, &nodes[i], error))
      goto out;
  if (config->balancer && !(balancer = start_balancer (nodes, config->nodes, dir, &balancer_url, error)))
    goto out;

  url = g_strconcat (balancer_url ? balancer_url : nodes[0].url, "/v1/support-requests", NULL);
  filing.url = url;
  filing.authorization = authorization;
  filing.acknowledged = acknowledged;
  filing.retry = config->chaos;
  if (config->chaos)
    {
      filing.victim = nodes[0].process;
      filing.kill_after = opt_requests / 3;
    }

  client_cpu = self_cpu_seconds ();
  seconds = file_requests (&filing);
  client_cpu = self_cpu_seconds () - client_cpu;

  stop_balancer (&balancer);
  for (int i = 0; i < config->nodes; i++)
    {
      stop_node (&nodes[i]);
      if (nodes[i].cpu_seconds > 0)
        service_cpu += nodes[i].cpu_seconds;
    }

  if (!count_rows (database, &filing, &rows, &lost, &duplicated, error))
    goto out;

  if (!config->chaos)
    {
      if (config->postgresql)
        {
#ifdef ESC_BENCH_HAVE_PQ
          double clients_seconds;

          raw_seconds = bench_pg_raw_inserts (database, opt_requests, config->nodes, error);
          if (raw_seconds >= 0)
            {
              if ((clients_seconds = bench_pg_raw_inserts (database, opt_requests, opt_clients, error)) < 0)
                raw_seconds = -1;
              else
                config->raw_clients_rates[round] = opt_requests / clients_seconds;
            }
#endif
        }
      else
        {
          raw_seconds = run_raw_sqlite (dir, error);
        }
      if (raw_seconds < 0)
        goto out;
      config->raw_rates[round] = opt_requests / raw_seconds;
    }

  config->rates[round] = opt_requests / seconds;
  config->percents[round] = raw_seconds > 0 ? 100.0 * config->rates[round] / config->raw_rates[round] : 0;
  if (config->raw_clients_rates[round] > 0)
    config->clients_percents[round] = 100.0 * config->rates[round] / config->raw_clients_rates[round];
  config->service_cpus[round] = service_cpu * G_USEC_PER_SEC / opt_requests;
  config->client_cpus[round] = client_cpu * G_USEC_PER_SEC / opt_requests;
  if (round == 0)
    config->connections = filing.connections;
  config->rows += rows;
  config->lost += lost;
  config->duplicated += duplicated;
  config->failures += filing.failures;
  config->retries += filing.retries;
  config->retries_no_answer += filing.retries_no_answer;
  config->retries_server_error += filing.retries_server_error;
  config->retries_in_progress += filing.retries_in_progress;
  config->replays += filing.replays;
  config->killed += filing.killed;
  config->acknowledged += g_hash_table_size (acknowledged);
  ok = TRUE;

  if (config->chaos)
    printf ("  %s: %.0f requests/s, %u acknowledged, %d rows, %d lost, %d duplicated, %d not filed; "
            "%d sent again (%d without an answer, %d after a 5xx, %d while their key was in progress), "
            "%d answered from the stored answer\n",
            config->label, config->rates[round], g_hash_table_size (acknowledged), rows, lost, duplicated,
            filing.failures, filing.retries, filing.retries_no_answer, filing.retries_server_error,
            filing.retries_in_progress, filing.replays);
  else
    {
      g_autofree char *clients = config->postgresql
        ? g_strdup_printf ("; from %d connections %.0f inserts/s, %.1f %%", opt_clients,
                           config->raw_clients_rates[round], config->clients_percents[round])
        : g_strdup ("");

      printf ("  round %d, %s: %.0f requests/s over HTTP, %.0f inserts/s, %.1f %%%s%s\n", round + 1,
              config->label, config->rates[round], config->raw_rates[round], config->percents[round],
              clients, filing.failures > 0 || lost > 0 || duplicated > 0 ? " (FAILED, LOST OR DUPLICATED)" : "");
    }
  fflush (stdout);

out:
  stop_balancer (&balancer);
  for (int i = 0; i < config->nodes; i++)
    {
      stop_node (&nodes[i]);
      g_free (nodes[i].url);
    }
#ifdef ESC_BENCH_HAVE_PQ
  if (pg_name != NULL && !opt_keep)
    {
      g_autoptr(GError) drop_error = NULL;

      if (!bench_pg_drop_database (pg_cluster, pg_name, &drop_error))
        g_printerr ("service-filing: %s\n", drop_error->message);
    }
  else if (pg_name != NULL)
    printf ("  kept database %s\n", database);
#endif
  if (ok && !opt_keep)
    {
      remove_files (dir);
      g_rmdir (dir);
    }

  return ok;
}

/* A cluster of our own in DIR/pg, with PostgreSQL's durable defaults: its
 * connection string. */
static char *
start_own_cluster (const char  *dir,
                   GError     **error)
{
  g_autofree char *tool = g_build_filename (ESC_BENCH_SOURCE_DIR, "tools", "pg-test-cluster", NULL);
  g_autofree char *cluster_dir = g_build_filename (dir, "pg", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "ESCALADE_PG_DURABLE", "1", TRUE);
  if (opt_flush_delay > 0)
    {
      /* A copy in the benchmark's folder, which the cluster's owner (nobody,
       * as root) can read: a preload it cannot read would be ignored */
      g_autofree char *module = g_build_filename (dir, "flush-delay.so", NULL);
      g_autofree char *delay = g_strdup_printf ("%d", opt_flush_delay);
      g_autoptr(GFile) from = g_file_new_for_path (ESC_BENCH_FLUSH_DELAY_MODULE);
      g_autoptr(GFile) to = g_file_new_for_path (module);

      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        return NULL;
      g_chmod (module, 0755);
      g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", module, TRUE);
      g_subprocess_launcher_setenv (launcher, "ESC_BENCH_FLUSH_DELAY_US", delay, TRUE);
    }
  if (!(process = g_subprocess_launcher_spawn (launcher, error, tool, "start", cluster_dir, NULL)) ||
      !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s start %s failed", tool, cluster_dir);
      return NULL;
    }

  return g_strdup (g_strstrip (out));
}

static void
stop_own_cluster (const char *dir)
{
  g_autofree char *tool = g_build_filename (ESC_BENCH_SOURCE_DIR, "tools", "pg-test-cluster", NULL);
  g_autofree char *cluster_dir = g_build_filename (dir, "pg", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocess) rm = NULL;

  if (!opt_own_cluster)
    return;
  if ((process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, tool, "stop", cluster_dir, NULL)))
    g_subprocess_wait (process, NULL, NULL);
  if (!opt_keep && (rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL, "rm", "-rf", cluster_dir, NULL)))
    g_subprocess_wait (rm, NULL, NULL);
  if (!opt_keep && opt_flush_delay > 0)
    {
      g_autofree char *module = g_build_filename (dir, "flush-delay.so", NULL);

      g_unlink (module);
    }
}

/* "1,2,3" → node counts */
static GArray *
parse_nodes (const char  *text,
             GError     **error)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (int));
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, 16, &n, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--nodes: '%s' is not a node count from 1 to 16 (e.g. --nodes 1,2,3)", parts[i]);
          return NULL;
        }
      g_array_append_val (counts, (int){ (int)n });
    }
  if (counts->len == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--nodes: no node count");
      return NULL;
    }

  return g_steal_pointer (&counts);
}

static void
print_config (const char *bench,
              Config     *config)
{
  double rate = median (config->rates, config->chaos ? 1 : opt_rounds);
  gboolean intact = config->lost == 0 && config->duplicated == 0 && config->failures == 0;

  if (config->chaos)
    {
      printf ("BENCH|%s|%s: filing rate|%.0f requests/s||\n", bench, config->label, rate);
      printf ("BENCH|%s|%s: nodes killed|%d|1|%s\n", bench, config->label, config->killed,
              config->killed == 1 ? "ok" : "MISSED");
      printf ("BENCH|%s|%s: requests sent again|%d (%d no answer, %d 5xx, %d key in progress; %d replayed)||\n",
              bench, config->label, config->retries, config->retries_no_answer, config->retries_server_error,
              config->retries_in_progress, config->replays);
      printf ("BENCH|%s|%s: lost|%d of %d acknowledged|0|%s\n", bench, config->label, config->lost,
              config->acknowledged, config->lost == 0 ? "ok" : "MISSED");
      printf ("BENCH|%s|%s: duplicated|%d|0|%s\n", bench, config->label, config->duplicated,
              config->duplicated == 0 ? "ok" : "MISSED");
      printf ("BENCH|%s|%s: not filed|%d|0|%s\n", bench, config->label, config->failures,
              config->failures == 0 ? "ok" : "MISSED");
      return;
    }

  printf ("BENCH|%s|%s: filing rate|%.0f requests/s||\n", bench, config->label, rate);
  if (config->postgresql)
    printf ("BENCH|%s|%s: raw PostgreSQL rate, %d connection%s (one per node)|%.0f inserts/s||\n", bench,
            config->label, config->nodes, config->nodes > 1 ? "s" : "", median (config->raw_rates, opt_rounds));
  else
    printf ("BENCH|%s|%s: raw SQLite rate|%.0f inserts/s||\n", bench, config->label,
            median (config->raw_rates, opt_rounds));
  if (config->postgresql && opt_flush_delay > 0)
    printf ("BENCH|%s|%s: ratio, each flush %d µs slower (an experiment)|%.1f %%||\n", bench, config->label,
            opt_flush_delay, median (config->percents, opt_rounds));
  else
    printf ("BENCH|%s|%s: ratio|%.1f %%|≥ %.0f %%|%s\n", bench, config->label,
            median (config->percents, opt_rounds), GOAL_PERCENT,
            median (config->percents, opt_rounds) >= GOAL_PERCENT ? "ok" : "MISSED");
  if (config->postgresql)
    {
      printf ("BENCH|%s|%s: raw PostgreSQL rate, %d connections (one per client)|%.0f inserts/s||\n", bench,
              config->label, opt_clients, median (config->raw_clients_rates, opt_rounds));
      printf ("BENCH|%s|%s: ratio to that|%.1f %%||\n", bench, config->label,
              median (config->clients_percents, opt_rounds));
    }
  printf ("BENCH|%s|%s: lost, duplicated, not filed|%d, %d, %d|0, 0, 0|%s\n", bench, config->label,
          config->lost, config->duplicated, config->failures, intact ? "ok" : "MISSED");
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "requests", 'n', 0, G_OPTION_ARG_INT, &opt_requests, "How many requests to file (2000)", "N" },
    { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients,
      "Concurrent clients, one connection each; as many connections for the second raw PostgreSQL rate (16)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT, &opt_rounds,
      "Rounds of every measure, one after the other; the medians are given (3)", "N" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &opt_build, "The meson build directory", "DIR" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_dir,
      "Where to put the SQLite databases, keys and logs (default: a new folder in the build directory, on disk)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the databases and the services' logs", NULL },
    { "new-connections", 0, 0, G_OPTION_ARG_NONE, &opt_new_connections,
      "A new connection per request (libsoup's default for a POST) instead of keep-alive", NULL },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend,
      "sqlite (default), or postgresql: SQLite, then PostgreSQL with --nodes nodes, then the chaos run", "BACKEND" },
    { "nodes", 0, 0, G_OPTION_ARG_STRING, &opt_nodes,
      "With --backend postgresql, the node counts to measure (1,2,3); more than one behind HAProxy", "N,N,..." },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &opt_pg,
      "The PostgreSQL cluster where to make the throwaway databases (default $ESCALADE_TEST_PG)", "CONNINFO" },
    { "own-cluster", 0, 0, G_OPTION_ARG_NONE, &opt_own_cluster,
      "With --backend postgresql, start a durable cluster of our own (fsync on) in the files' folder, "
      "with tools/pg-test-cluster (the default without --pg and $ESCALADE_TEST_PG)", NULL },
    { "no-chaos", 0, 0, G_OPTION_ARG_NONE, &opt_no_chaos, "With --backend postgresql, no chaos run", NULL },
    { "flush-delay", 0, 0, G_OPTION_ARG_INT, &opt_flush_delay,
      "With --own-cluster, an experiment: every flush of the cluster waits that much longer, as on a slower "
      "disk; no verdict is given", "MICROSECONDS" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify)config_free);
  g_autoptr(GArray) node_counts = NULL;
  g_autofree char *service = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autofree char *own_cluster = NULL;
  gboolean postgresql;
  const char *bench;
  int status = 0;

  g_option_context_set_summary (context,
                                "Files support requests over HTTP with concurrent clients and compares "
                                "the rate with as many transactional inserts straight into the database.");
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
  if (opt_backend != NULL && strcmp (opt_backend, "sqlite") != 0 && strcmp (opt_backend, "postgresql") != 0)
    {
      g_printerr ("service-filing: --backend: '%s' is neither sqlite nor postgresql\n", opt_backend);
      return 2;
    }
  postgresql = g_strcmp0 (opt_backend, "postgresql") == 0;
  if (!postgresql && (opt_nodes != NULL || opt_pg != NULL || opt_no_chaos || opt_own_cluster))
    {
      g_printerr ("service-filing: --nodes, --pg, --own-cluster and --no-chaos go with --backend postgresql\n");
      return 2;
    }
  if (opt_pg != NULL && opt_own_cluster)
    {
      g_printerr ("service-filing: --pg and --own-cluster: one or the other\n");
      return 2;
    }
  if (opt_flush_delay < 0 || opt_flush_delay > 1000000)
    {
      g_printerr ("service-filing: --flush-delay: from 0 to 1000000 microseconds\n");
      return 2;
    }
  if (opt_flush_delay > 0 && (!postgresql || opt_pg != NULL))
    {
      g_printerr ("service-filing: --flush-delay goes with --backend postgresql and the benchmark's own "
                  "cluster (--own-cluster, not --pg)\n");
      return 2;
    }
  if (!(node_counts = parse_nodes (opt_nodes ? opt_nodes : "1,2,3", &error)))
    {
      g_printerr ("service-filing: %s\n", error->message);
      return 2;
    }
  if (postgresql)
    {
      pg_cluster = opt_pg ? opt_pg : g_getenv ("ESCALADE_TEST_PG");
      if (pg_cluster != NULL && pg_cluster[0] == '\0')
        pg_cluster = NULL;
      if (pg_cluster == NULL || opt_flush_delay > 0)
        opt_own_cluster = TRUE;
      if (opt_own_cluster)
        pg_cluster = NULL;
#ifndef ESC_BENCH_HAVE_PQ
      g_printerr ("service-filing: this build has no libpq: --backend postgresql needs it\n");
      return 1;
#endif
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

  /* The configurations, in the order they run in each round */
  g_ptr_array_add (configs, config_new (FALSE, 1, FALSE, FALSE));
  if (postgresql)
    {
      int largest = 0;

      for (guint i = 0; i < node_counts->len; i++)
        {
          int n = g_array_index (node_counts, int, i);

          /* One node straight, and behind HAProxy: what the balancer costs */
          if (n == 1)
            g_ptr_array_add (configs, config_new (TRUE, 1, FALSE, FALSE));
          g_ptr_array_add (configs, config_new (TRUE, n, TRUE, FALSE));
          largest = MAX (largest, n);
        }
      if (!opt_no_chaos)
        g_ptr_array_add (configs, config_new (TRUE, MAX (largest, 2), TRUE, TRUE));
    }

  if (opt_own_cluster)
    {
      /* The cluster's owner (nobody, when run as root) must reach its folder */
      g_chmod (dir, 0711);
      if (!(own_cluster = start_own_cluster (dir, &error)))
        {
          g_printerr ("service-filing: %s\n", error->message);
          return 1;
        }
      pg_cluster = own_cluster;
    }

  printf ("service-filing: %d requests, %d clients, %d rounds, files in %s%s%s\n",
          opt_requests, opt_clients, opt_rounds, dir, postgresql ? ", PostgreSQL databases in " : "",
          postgresql ? pg_cluster : "");
  fflush (stdout);

  /* Rounds of every configuration, each on new databases: load from
   * elsewhere on the machine moves the measures of a round alike, and the
   * median round stands for the run. The chaos run runs once, last. */
  for (int round = 0; round < opt_rounds; round++)
    for (guint i = 0; i < configs->len; i++)
      {
        Config *config = g_ptr_array_index (configs, i);

        if (config->chaos && round > 0)
          continue;
        if (!run_config (service, config, round, dir, &error))
          {
            /* The folder stays, with the services' logs. */
            g_printerr ("service-filing: %s: %s\n", config->label, error->message);
            stop_own_cluster (dir);
            return 1;
          }
      }
  stop_own_cluster (dir);
  if (!opt_keep)
    g_rmdir (dir);

  for (guint i = 0; i < configs->len; i++)
    {
      Config *config = g_ptr_array_index (configs, i);

      if (config->lost > 0 || config->duplicated > 0 || config->failures > 0)
        status = 1;
      if (config->chaos)
        continue;
      printf ("  %-40s %6.0f requests/s, raw %6.0f inserts/s: %5.1f %% (median of %d); CPU per request "
              "%.0f µs in the service%s, %.0f µs in the clients\n",
              config->label, median (config->rates, opt_rounds), median (config->raw_rates, opt_rounds),
              median (config->percents, opt_rounds), opt_rounds, median (config->service_cpus, opt_rounds),
              config->nodes > 1 ? "s" : "", median (config->client_cpus, opt_rounds));
      if (config->postgresql)
        printf ("  %-40s raw from %d connections %6.0f inserts/s: %5.1f %%\n", "", opt_clients,
                median (config->raw_clients_rates, opt_rounds), median (config->clients_percents, opt_rounds));
      printf ("  %-40s %d rows, %d lost, %d duplicated, %d not filed; %d connections opened (%d clients: "
              "keep-alive %s)\n",
              "", config->rows, config->lost, config->duplicated, config->failures, config->connections,
              opt_clients, opt_new_connections ? "off" : config->connections <= opt_clients ? "works" : "DID NOT WORK");
    }
  if (postgresql)
    {
      printf ("  raw PostgreSQL: single-INSERT transactions from as many connections at once as nodes (the goal's "
              "baseline), and from %d; synchronous_commit on; the cluster's fsync is %s%s%s\n", opt_clients,
              pg_fsync ? pg_fsync : "unknown",
              opt_flush_delay > 0 ? ", each flush made slower by --flush-delay (an experiment: no verdict)" : "",
              g_strcmp0 (pg_fsync, "on") == 0 ? ""
              : " (commits wait for no disk, as in a throwaway test cluster: --own-cluster, or --pg with "
                "a cluster whose fsync is on, for durable figures)");
    }
  fflush (stdout);

  bench = postgresql ? "service-filing-postgresql" : "service-filing";
  if (!postgresql)
    {
      /* The figures as they always were */
      Config *config = g_ptr_array_index (configs, 0);
      double percent = median (config->percents, opt_rounds);

      printf ("BENCH|%s|service rate|%.0f requests/s||\n", bench, median (config->rates, opt_rounds));
      printf ("BENCH|%s|raw SQLite rate|%.0f inserts/s||\n", bench, median (config->raw_rates, opt_rounds));
      printf ("BENCH|%s|ratio|%.1f %%|≥ %.0f %%|%s\n", bench, percent, GOAL_PERCENT,
              percent >= GOAL_PERCENT ? "ok" : "MISSED");
      printf ("BENCH|%s|lost, duplicated, not filed|%d, %d, %d|0, 0, 0|%s\n", bench, config->lost,
              config->duplicated, config->failures,
              config->lost == 0 && config->duplicated == 0 && config->failures == 0 ? "ok" : "MISSED");
    }
  else
    {
      for (guint i = 0; i < configs->len; i++)
        print_config (bench, g_ptr_array_index (configs, i));
    }

  return status;
}
