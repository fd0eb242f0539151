/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-test-backend.h"
#include "esc-test-balancer.h"

/* Issue 13's cluster tests: three escalade-service nodes on ONE PostgreSQL
 * database behind data/deploy/haproxy.cfg (esc-test-balancer.h), real HTTP
 * clients (libsoup, one session per thread) and real tokens (`token
 * create`):
 *
 * - the same POST with one Idempotency-Key sent at the same moment to every
 *   node and through the balancer creates one request, and every answer is
 *   the first one (the repeats marked Idempotent-Replayed);
 * - a node killed (SIGKILL) while a client files through the balancer,
 *   retrying with the same key: nothing lost, nothing duplicated;
 * - the database restarted under load (a cluster of this test's own): what
 *   the service acknowledged is there, what was in flight got 503 with
 *   Retry-After and no half write, and the clients that retry finish;
 * - two nodes starting together on an empty database migrate it once.
 *
 * PostgreSQL only (test-service-cluster-postgresql, `meson test --setup
 * postgresql`): on SQLite there is no shared database to test, so it skips;
 * it fails instead when $ESCALADE_REQUIRE_PG=1 and no cluster is named. */

#define N_NODES 3
/* How long a client keeps retrying one request before the test fails */
#define CLIENT_DEADLINE_SECONDS 25

static const char contact_json[] =
  "{\"given_name\": \"Camille\", \"surname\": \"Martin\", \"email\": \"camille@example.org\","
  " \"phone\": \"+33 1 23 45 67 89\", \"preferred_method\": \"email\", \"language\": \"fr\"}";

/* A support request an it-admin files; @title tells them apart. */
static char *
request_body (const char *title)
{
  return g_strdup_printf ("{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
                          " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
                          " \"title\": \"%s\","
                          " \"description\": \"Since Monday the driver is blocked.\","
                          " \"contact\": %s, \"devices\": [\"MMD-03690457680\"]}",
                          title, contact_json);
}

/* Whether this run has what the cluster needs; else skipped (or failed). */
static gboolean
require_cluster (void)
{
  if (!esc_test_backend_require_cluster ())
    return FALSE;
  if (!esc_test_backend_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: several nodes share one database "
                   "(test-service-cluster-postgresql, meson test --setup postgresql)");
      return FALSE;
    }

  return esc_test_balancer_require_haproxy ();
}

/* Three nodes and the balancer in front of them */
typedef struct
{
  EscTestService  *nodes[N_NODES];
  EscTestBalancer *balancer;
  char            *token;
} Cluster;

static void
cluster_start (Cluster    *cluster,
               const char *pg_cluster)
{
  g_autoptr(GError) error = NULL;

  esc_test_service_start_nodes (pg_cluster, N_NODES, cluster->nodes, &error);
  g_assert_no_error (error);
  cluster->balancer = esc_test_balancer_start (cluster->nodes);
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("node%u", i + 1);

      esc_test_balancer_wait_for_state (cluster->balancer, name, TRUE);
    }
  cluster->token = esc_test_service_create_token (cluster->nodes[0], "camille", "camille@example.org",
                                                  "it-admin", &error);
  g_assert_no_error (error);
}

static void
cluster_stop (Cluster *cluster)
{
  g_clear_pointer (&cluster->balancer, esc_test_balancer_free);
  for (guint i = 0; i < N_NODES; i++)
    g_clear_pointer (&cluster->nodes[i], esc_test_service_stop);
  g_clear_pointer (&cluster->token, g_free);
}

/* The nodes' logs, for a test about to fail */
static void
cluster_log_faults (Cluster    *cluster,
                    const char *faults)
{
  if (faults[0] == '\0')
    return;

  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *log = esc_test_service_dup_log (cluster->nodes[i]);
      g_auto(GStrv) lines = g_strsplit (log, "\n", -1);

      /* Its errors, not every request */
      for (guint j = 0; lines[j] != NULL; j++)
        if (g_str_has_prefix (lines[j], "escalade-service:"))
          g_test_message ("node%u: %s", i + 1, lines[j]);
    }
}

static const char *
cluster_database (Cluster *cluster)
{
  return esc_test_service_get_database (cluster->nodes[0]);
}

/* One SQL answer from the cluster's database, e.g. "3" or "3|3" */
static char *
query (const char *database,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *text = esc_test_backend_query (database, sql, &error);

  g_assert_no_error (error);
  return text;
}

/* An answer to one POST, as a client sees it */
typedef struct
{
  guint     status;        /* 0: no answer (refused, cut, timed out) */
  char     *body;
  char     *location;
  gboolean  replayed;      /* Idempotent-Replayed: true */
  gboolean  retry_after;   /* has Retry-After */
  gboolean  from_service;  /* Server: escalade-service/…, not the balancer's own answer */
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_free);
  g_clear_pointer (&answer->location, g_free);
}

/* Whether @body is one problem document (RFC 7807) of @status: a 503 that
 * says what happened, not two answers run together */
static gboolean
is_problem_of (const char *body,
               guint       status)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (body == NULL || !json_parser_load_from_data (parser, body, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);

  return JSON_NODE_HOLDS_OBJECT (root) &&
         json_object_get_int_member_with_default (json_node_get_object (root), "status", 0) == status;
}

static SoupSession *
new_session (void)
{
  /* Longer than the service's own wait for a pooled connection (2 s) */
  return soup_session_new_with_options ("timeout", 15, NULL);
}

static void
post_request (SoupSession *session,
              const char  *base_url,
              const char  *token,
              const char  *key,
              const char  *body,
              Answer      *out)
{
  g_autofree char *url = g_strconcat (base_url, "/v1/support-requests", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *server;

  memset (out, 0, sizeof *out);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  if (!(response = soup_session_send_and_read (session, msg, NULL, &error)))
    return;

  headers = soup_message_get_response_headers (msg);
  server = soup_message_headers_get_one (headers, "Server");
  out->status = soup_message_get_status (msg);
  out->body = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  out->location = g_strdup (soup_message_headers_get_one (headers, "Location"));
  out->replayed = g_strcmp0 (soup_message_headers_get_one (headers, "Idempotent-Replayed"), "true") == 0;
  out->retry_after = soup_message_headers_get_one (headers, "Retry-After") != NULL;
  out->from_service = server != NULL && g_str_has_prefix (server, "escalade-service/");
}

static guint
get_status (SoupSession *session,
            const char  *url,
            const char  *token)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
    }
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  return soup_message_get_status (msg);
}

/* (a) Concurrent idempotent repeats across nodes */

/* The moment every sender goes */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean go;
  guint    ready;
} Gate;

typedef struct
{
  Gate       *gate;
  const char *url;
  const char *token;
  const char *key;
  const char *body;
  Answer      answer;
} Repeat;

static gpointer
repeat_thread (gpointer data)
{
  Repeat *repeat = data;
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *health = g_strconcat (repeat->url, "/v1/health", NULL);

  /* Connected beforehand, so that the POSTs leave together */
  get_status (session, health, NULL);

  g_mutex_lock (&repeat->gate->mutex);
  repeat->gate->ready++;
  g_cond_broadcast (&repeat->gate->cond);
  while (!repeat->gate->go)
    g_cond_wait (&repeat->gate->cond, &repeat->gate->mutex);
  g_mutex_unlock (&repeat->gate->mutex);

  post_request (session, repeat->url, repeat->token, repeat->key, repeat->body, &repeat->answer);

  return NULL;
}

static void
test_concurrent_repeats (void)
{
  Cluster cluster = { 0 };
  g_autoptr(SoupSession) session = NULL;
  const guint n_rounds = 4;

  if (!require_cluster ())
    return;

  cluster_start (&cluster, NULL);
  session = new_session ();

  for (guint round = 0; round < n_rounds; round++)
    {
      /* Each node directly, and the balancer as many times */
      Repeat repeats[2 * N_NODES];
      GThread *threads[2 * N_NODES];
      Gate gate = { 0 };
      g_autofree char *key = g_strdup_printf ("cluster-repeat-%u", round);
      g_autofree char *title = g_strdup_printf ("Repeated on every node, round %u", round);
      g_autofree char *body = request_body (title);
      g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM support_requests WHERE title = '%s'", title);
      g_autofree char *count = NULL;
      g_autofree char *location_url = NULL;
      g_autofree char *side_effects_sql = NULL;
      g_autofree char *side_effects = NULL;
      guint n_first = 0;

      g_mutex_init (&gate.mutex);
      g_cond_init (&gate.cond);
      for (guint i = 0; i < G_N_ELEMENTS (repeats); i++)
        {
          repeats[i] = (Repeat) {
            .gate = &gate,
            .url = i < N_NODES ? esc_test_service_get_url (cluster.nodes[i])
                               : esc_test_balancer_get_url (cluster.balancer),
            .token = cluster.token,
            .key = key,
            .body = body,
          };
          threads[i] = g_thread_new ("repeat", repeat_thread, &repeats[i]);
        }
      g_mutex_lock (&gate.mutex);
      while (gate.ready < G_N_ELEMENTS (repeats))
        g_cond_wait (&gate.cond, &gate.mutex);
      gate.go = TRUE;
      g_cond_broadcast (&gate.cond);
      g_mutex_unlock (&gate.mutex);
      for (guint i = 0; i < G_N_ELEMENTS (repeats); i++)
        g_thread_join (threads[i]);

      /* Everything seen first, for the log, then judged */
      for (guint i = 0; i < G_N_ELEMENTS (repeats); i++)
        {
          Answer *answer = &repeats[i].answer;

          g_test_message ("round %u, %s: %u%s %s", round, repeats[i].url, answer->status,
                          answer->replayed ? " (replayed)" : "",
                          answer->status == 201 ? answer->location : answer->body);
          if (!answer->replayed)
            n_first++;
        }
      count = query (cluster_database (&cluster), count_sql);
      g_test_message ("round %u: %s request(s) in the database, %u answer(s) not replayed",
                      round, count, n_first);

      for (guint i = 0; i < G_N_ELEMENTS (repeats); i++)
        {
          Answer *answer = &repeats[i].answer;

          g_assert_cmpuint (answer->status, ==, 201);
          g_assert_nonnull (answer->location);
          g_assert_cmpstr (answer->location, ==, repeats[0].answer.location);
          g_assert_cmpstr (answer->body, ==, repeats[0].answer.body);
        }
      /* One request made it; every other answer is its replay */
      g_assert_cmpstr (count, ==, "1");
      g_assert_cmpuint (n_first, ==, 1);
      /* … and nothing else was done twice: one audit event, one stored answer */
      side_effects_sql = g_strdup_printf ("SELECT (SELECT count(*) FROM audit_events WHERE target = '%s'),"
                                          " (SELECT count(*) FROM idempotency_keys WHERE key = '%s')",
                                          repeats[0].answer.location, key);
      side_effects = query (cluster_database (&cluster), side_effects_sql);
      g_assert_cmpstr (side_effects, ==, "1|1");

      location_url = g_strconcat (esc_test_balancer_get_url (cluster.balancer),
                                  repeats[0].answer.location, NULL);
      g_assert_cmpuint (get_status (session, location_url, cluster.token), ==, 200);

      for (guint i = 0; i < G_N_ELEMENTS (repeats); i++)
        answer_clear (&repeats[i].answer);
      g_mutex_clear (&gate.mutex);
      g_cond_clear (&gate.cond);
    }

  cluster_stop (&cluster);
}

/* Clients that file requests, each with its own key, retrying failures */

typedef struct
{
  const char   *urls[N_NODES + 1];  /* where its requests go, in turn */
  guint         n_urls;
  const char   *token;
  const char   *prefix;             /* of keys and titles */
  guint         n_requests;         /* at least */
  gint         *keep_going;         /* shared, atomic: more while it is 1 */
  gint         *n_filed;            /* shared, atomic */

  /* Results */
  GPtrArray    *locations;          /* one per request, each filed before the next */
  guint         n_retries;
  guint         n_unavailable;      /* the service's 503 with Retry-After */
  guint         n_no_node;          /* the balancer's own 503 with Retry-After: no node up */
  guint         n_balancer_errors;  /* the balancer's own 502 or 504: a node died answering */
  guint         n_no_answer;
  GString      *faults;             /* what the test must fail on */
} Filer;

static gpointer
filer_thread (gpointer data)
{
  Filer *filer = data;
  g_autoptr(SoupSession) session = new_session ();

  for (guint i = 0; i < filer->n_requests || g_atomic_int_get (filer->keep_going); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s-%u", filer->prefix, i);
      g_autofree char *title = g_strdup_printf ("Filed by %s, number %u", filer->prefix, i);
      g_autofree char *body = request_body (title);
      gint64 deadline = g_get_monotonic_time () + CLIENT_DEADLINE_SECONDS * G_TIME_SPAN_SECOND;
      guint attempt = 0;

      for (;; attempt++)
        {
          const char *url = filer->urls[(i + attempt) % filer->n_urls];
          Answer answer;

          post_request (session, url, filer->token, key, body, &answer);
          if (answer.status == 201)
            {
              g_ptr_array_add (filer->locations, g_steal_pointer (&answer.location));
              answer_clear (&answer);
              break;
            }

          if (answer.status == 0)
            filer->n_no_answer++;
          else if (answer.from_service && answer.status == 503 && answer.retry_after &&
                   is_problem_of (answer.body, 503))
            filer->n_unavailable++;
          else if (!answer.from_service && answer.status == 503 && answer.retry_after)
            filer->n_no_node++;
          else if (!answer.from_service && (answer.status == 502 || answer.status == 504))
            filer->n_balancer_errors++;
          else
            g_string_append_printf (filer->faults, "%s from %s: %u %s (%s)\n", key, url, answer.status,
                                    answer.from_service ? "from the service" : "from the balancer",
                                    answer.body);
          answer_clear (&answer);

          if (g_get_monotonic_time () > deadline)
            {
              g_string_append_printf (filer->faults, "%s: not filed within %d s\n", key,
                                      CLIENT_DEADLINE_SECONDS);
              return NULL;
            }
          /* A short pause instead of Retry-After's 2 s, to keep the test short */
          filer->n_retries++;
          g_usleep (100 * 1000);
        }
      g_atomic_int_inc (filer->n_filed);
      /* A steady load, not a flood */
      g_usleep (10 * 1000);
    }

  return NULL;
}

static void
filer_init (Filer      *filer,
            const char *prefix,
            guint       n_requests,
            const char *token,
            gint       *keep_going,
            gint       *n_filed)
{
  memset (filer, 0, sizeof *filer);
  filer->prefix = prefix;
  filer->n_requests = n_requests;
  filer->keep_going = keep_going;
  filer->token = token;
  filer->n_filed = n_filed;
  filer->locations = g_ptr_array_new_with_free_func (g_free);
  filer->faults = g_string_new (NULL);
}

static void
filer_add_url (Filer      *filer,
               const char *url)
{
  g_assert_cmpuint (filer->n_urls, <, G_N_ELEMENTS (filer->urls));
  filer->urls[filer->n_urls++] = url;
}

static void
filer_clear (Filer *filer)
{
  g_ptr_array_unref (filer->locations);
  g_string_free (filer->faults, TRUE);
}

static void
wait_for_filed (gint  *n_filed,
                guint  at_least)
{
  gint64 deadline = g_get_monotonic_time () + CLIENT_DEADLINE_SECONDS * G_TIME_SPAN_SECOND;

  while ((guint)g_atomic_int_get (n_filed) < at_least)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5 * 1000);
    }
}

/* Every request of @filers filed once: one row each, one per title, one
 * timeline start, one audit event and one stored answer each (no half
 * write), and every acknowledged Location answers through the balancer. */
static void
assert_filed_once (Cluster *cluster,
                   Filer   *filers,
                   guint    n_filers)
{
  const char *database = cluster_database (cluster);
  guint n_total = 0;
  g_autofree char *expected = NULL;
  g_autofree char *rows = query (database, "SELECT count(*), count(DISTINCT title) FROM support_requests");
  g_autofree char *events = query (database,
                                   "SELECT count(*), count(DISTINCT request_seq) FROM support_request_events"
                                   " WHERE kind = 'created'");
  g_autofree char *audit = query (database,
                                  "SELECT count(*), count(DISTINCT target) FROM audit_events"
                                  " WHERE action = 'support-request.created'");
  g_autofree char *answers = query (database, "SELECT count(*), count(DISTINCT location) FROM idempotency_keys");
  g_autofree char *untracked = query (database,
                                      "SELECT count(*) FROM support_requests r WHERE NOT EXISTS"
                                      " (SELECT 1 FROM support_request_events e WHERE e.request_seq = r.seq)");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupSession) session = new_session ();

  for (guint f = 0; f < n_filers; f++)
    n_total += filers[f].locations->len;
  expected = g_strdup_printf ("%u|%u", n_total, n_total);
  g_test_message ("%u requests filed", n_total);

  g_assert_cmpstr (rows, ==, expected);
  g_assert_cmpstr (events, ==, expected);
  g_assert_cmpstr (audit, ==, expected);
  g_assert_cmpstr (answers, ==, expected);
  g_assert_cmpstr (untracked, ==, "0");

  for (guint f = 0; f < n_filers; f++)
    {
      g_assert_cmpuint (filers[f].locations->len, >=, filers[f].n_requests);
      for (guint i = 0; i < filers[f].locations->len; i++)
        {
          const char *location = g_ptr_array_index (filers[f].locations, i);
          g_autofree char *url = g_strconcat (esc_test_balancer_get_url (cluster->balancer), location, NULL);

          g_assert_true (g_hash_table_add (seen, (gpointer)location));
          g_assert_cmpuint (get_status (session, url, cluster->token), ==, 200);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n_total);
}

/* (b) A node killed while filing */

static void
test_node_killed (void)
{
  Cluster cluster = { 0 };
  Filer filers[3];
  GThread *threads[G_N_ELEMENTS (filers)];
  const char *prefixes[G_N_ELEMENTS (filers)] = { "killed-a", "killed-b", "killed-c" };
  gint keep_going = 1;
  gint n_filed = 0;
  guint filed_at_kill;

  if (!require_cluster ())
    return;

  cluster_start (&cluster, NULL);

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    {
      filer_init (&filers[f], prefixes[f], 10, cluster.token, &keep_going, &n_filed);
      filer_add_url (&filers[f], esc_test_balancer_get_url (cluster.balancer));
      threads[f] = g_thread_new ("filer", filer_thread, &filers[f]);
    }

  /* Mid-way, node2 dies as in a crash (SIGKILL), requests in hand; the
   * clients go on filing until the balancer has seen it go, and a while */
  wait_for_filed (&n_filed, 15);
  /* Stalled first, so that the balancer hands it requests it will never
   * answer: they are in hand when it dies */
  esc_test_service_pause (cluster.nodes[1], TRUE);
  g_usleep (300 * 1000);
  esc_test_service_kill (cluster.nodes[1]);
  filed_at_kill = (guint)g_atomic_int_get (&n_filed);
  esc_test_balancer_wait_for_state (cluster.balancer, "node2", FALSE);
  wait_for_filed (&n_filed, (guint)g_atomic_int_get (&n_filed) + 15);
  g_atomic_int_set (&keep_going, 0);

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    g_thread_join (threads[f]);

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    {
      g_test_message ("%s: %u retries: %u without answer, %u bad gateway, %u no node up, "
                      "%u unavailable", filers[f].prefix, filers[f].n_retries, filers[f].n_no_answer,
                      filers[f].n_balancer_errors, filers[f].n_no_node, filers[f].n_unavailable);
      cluster_log_faults (&cluster, filers[f].faults->str);
      g_assert_cmpstr (filers[f].faults->str, ==, "");
    }
  g_test_message ("%u filed when node2 was killed", filed_at_kill);
  assert_filed_once (&cluster, filers, G_N_ELEMENTS (filers));

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    filer_clear (&filers[f]);
  cluster_stop (&cluster);
}

/* (c) The database restarted under load */

/* Runs tools/pg-test-cluster @command @dir; the last line it printed */
static char *
pg_test_cluster (const char *command,
                 const char *dir)
{
  g_autofree char *script = g_build_filename (g_getenv ("ESCALADE_SOURCE_DIR"), "tools", "pg-test-cluster", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              script, command, dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("tools/pg-test-cluster %s: %s", command, err);

  return g_strdup (g_strstrip (out));
}

/* If the test dies on a failed assertion, its own cluster must not outlive
 * it: a watcher, outside the test, stops and removes it once the test's
 * process is gone (after a test that passed, it finds nothing left). */
static void
watch_own_cluster (const char *dir)
{
  g_autofree char *script = g_build_filename (g_getenv ("ESCALADE_SOURCE_DIR"), "tools", "pg-test-cluster", NULL);
  g_autofree char *pid = g_strdup_printf ("%d", (int)getpid ());
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    "sh", "-c",
    ("while kill -0 \"$1\" 2>/dev/null; do sleep 0.5; done; "
     "if [ -d \"$3\" ]; then \"$2\" stop \"$3\"; rm -rf \"$3\"; fi"),
    "watch-own-cluster", pid, script, dir, NULL
  };

  g_spawn_async (NULL, (char **)argv, NULL,
                 G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
test_database_restarted (void)
{
  Cluster cluster = { 0 };
  /* One client on each node directly (the service's own answers), one
   * through the balancer */
  Filer filers[N_NODES + 1];
  GThread *threads[G_N_ELEMENTS (filers)];
  const char *prefixes[G_N_ELEMENTS (filers)] = { "restart-1", "restart-2", "restart-3", "restart-b" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *rm = NULL;
  g_autofree char *verified = NULL;
  const char * const verify[] = { "audit", "verify", NULL };
  gint keep_going = 1;
  gint n_filed = 0;
  guint filed_before;
  guint filed_at_restart;
  guint n_unavailable = 0;

  if (!require_cluster ())
    return;

  /* A cluster of its own, as it restarts it */
  dir = g_dir_make_tmp ("escalade-test-pg-XXXXXX", &error);
  g_assert_no_error (error);
  watch_own_cluster (dir);
  conninfo = pg_test_cluster ("start", dir);
  g_test_message ("the test's own cluster: %s", conninfo);
  cluster_start (&cluster, conninfo);

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    {
      filer_init (&filers[f], prefixes[f], 5, cluster.token, &keep_going, &n_filed);
      filer_add_url (&filers[f], f < N_NODES ? esc_test_service_get_url (cluster.nodes[f])
                                             : esc_test_balancer_get_url (cluster.balancer));
      threads[f] = g_thread_new ("filer", filer_thread, &filers[f]);
    }

  /* Under load: the clients file before, during and after the restart */
  wait_for_filed (&n_filed, 20);
  filed_before = (guint)g_atomic_int_get (&n_filed);
  g_free (pg_test_cluster ("restart", dir));
  filed_at_restart = (guint)g_atomic_int_get (&n_filed);
  wait_for_filed (&n_filed, filed_at_restart + 20);
  g_atomic_int_set (&keep_going, 0);

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    g_thread_join (threads[f]);

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    {
      g_test_message ("%s: %u retries: %u without answer, %u bad gateway, %u no node up, "
                      "%u unavailable", filers[f].prefix, filers[f].n_retries, filers[f].n_no_answer,
                      filers[f].n_balancer_errors, filers[f].n_no_node, filers[f].n_unavailable);
      /* Only 201, or 503 with Retry-After (from the service, or from the
       * balancer while every node's health check failed) */
      cluster_log_faults (&cluster, filers[f].faults->str);
      g_assert_cmpstr (filers[f].faults->str, ==, "");
      /* The nodes stayed up: every request had an answer */
      g_assert_cmpuint (filers[f].n_no_answer, ==, 0);
      g_assert_cmpuint (filers[f].n_balancer_errors, ==, 0);
      n_unavailable += filers[f].n_unavailable;
    }
  g_test_message ("%u filed before the restart, %u when it was over", filed_before, filed_at_restart);
  /* The restart was seen by the clients */
  g_assert_cmpuint (n_unavailable, >, 0);
  assert_filed_once (&cluster, filers, G_N_ELEMENTS (filers));

  /* The audit chain is still one chain */
  esc_test_service_run (cluster.nodes[0], verify, &verified, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (verified, "OK: "));

  for (guint f = 0; f < G_N_ELEMENTS (filers); f++)
    filer_clear (&filers[f]);
  cluster_stop (&cluster);
  g_free (pg_test_cluster ("stop", dir));
  rm = g_strdup_printf ("rm -rf '%s'", dir);
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
}

/* (d) Two nodes starting together on an empty database */

static void
test_migrate_once (void)
{
  if (!require_cluster ())
    return;

  /* A few times, as the race is in the timing */
  for (guint round = 0; round < 3; round++)
    {
      EscTestService *nodes[2] = { NULL, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(SoupSession) session = new_session ();
      g_autofree char *token = NULL;
      g_autofree char *migrations = NULL;
      g_auto(GStrv) fields = NULL;

      esc_test_service_start_nodes (NULL, G_N_ELEMENTS (nodes), nodes, &error);
      g_assert_no_error (error);

      /* Each version once, none missing */
      migrations = query (esc_test_service_get_database (nodes[0]),
                          "SELECT count(*), count(DISTINCT version), max(version), min(version)"
                          " FROM schema_migrations");
      fields = g_strsplit (migrations, "|", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 4);
      g_assert_cmpstr (fields[0], ==, fields[1]);
      g_assert_cmpstr (fields[0], ==, fields[2]);
      g_assert_cmpstr (fields[3], ==, "1");

      /* Both serve: healthy (the schema at the version they want), and
       * answering a caller */
      token = esc_test_service_create_token (nodes[1], "camille", "camille@example.org", "it-admin", &error);
      g_assert_no_error (error);
      for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
        {
          g_autofree char *health = g_strconcat (esc_test_service_get_url (nodes[i]), "/v1/health", NULL);
          g_autofree char *list = g_strconcat (esc_test_service_get_url (nodes[i]), "/v1/support-requests", NULL);
          g_autofree char *log = NULL;

          g_assert_cmpuint (get_status (session, health, NULL), ==, 200);
          g_assert_cmpuint (get_status (session, list, token), ==, 200);
          log = esc_test_service_dup_log (nodes[i]);
          g_assert_null (strstr (log, "escalade-service:"));
        }

      for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
        esc_test_service_stop (nodes[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/cluster/concurrent-repeats", test_concurrent_repeats);
  g_test_add_func ("/service/cluster/node-killed", test_node_killed);
  g_test_add_func ("/service/cluster/database-restarted", test_database_restarted);
  g_test_add_func ("/service/cluster/migrate-once", test_migrate_once);

  return g_test_run ();
}
