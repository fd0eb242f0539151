/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "esc-service-db.h"
#include "esc-test-backend.h"
#include "esc-test-service.h"

/* GET /v1/health on a real escalade-service, on SQLite or PostgreSQL, as a
 * load balancer asks it: no token, a status code and two words; on
 * PostgreSQL also with the database server stopped and started again. And
 * `escalade-service migrate`, and PostgreSQL without the nodes' keys. */

typedef struct
{
  guint                status;
  SoupMessageHeaders  *headers;
  char                *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->headers, soup_message_headers_unref);
  g_clear_pointer (&answer->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
ask (EscTestService *service,
     const char     *method,
     const char     *authorization,
     Answer         *answer)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (esc_test_service_get_url (service), "/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  answer->status = soup_message_get_status (msg);
  answer->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  answer->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* The database's schema version, as another escalade-service (older or
 * newer) would have left it: SQLite's user_version, or PostgreSQL's
 * schema_migrations rows. */
static void
set_schema_version (EscTestService *service,
                    int             version)
{
  const char *database = esc_test_service_get_database (service);

  if (esc_test_backend_is_postgresql ())
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM schema_migrations WHERE version > %d;"
                                              "INSERT INTO schema_migrations (version)"
                                              " SELECT generate_series (1, %d) ON CONFLICT DO NOTHING",
                                              version, version);

      esc_test_backend_pg_exec (database, sql);
    }
  else
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (database, &db), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (db);
    }
}

static void
test_health (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscTestService) service = esc_test_service_start (&error);
  int latest = esc_service_db_get_latest_schema_version ();

  g_assert_no_error (error);

  /* Anyone, and the answer says only that */
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"ok\",\"database\":\"reachable\"}");
    g_assert_cmpstr (soup_message_headers_get_one (a.headers, "Cache-Control"), ==, "no-store");
    g_assert_null (soup_message_headers_get_one (a.headers, "Retry-After"));
  }
  /* A token, even a wrong one, changes nothing */
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", "Bearer not-a-token", &a);
    g_assert_cmpuint (a.status, ==, 200);
  }
  {
    g_auto(Answer) a = { 0, };

    ask (service, "HEAD", NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
  }
  /* GET only */
  {
    g_auto(Answer) a = { 0, };

    ask (service, "POST", NULL, &a);
    g_assert_cmpuint (a.status, ==, 405);
  }

  /* A database at another schema version than this node's: not ready */
  set_schema_version (service, latest + 1);
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 503);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"unavailable\",\"database\":\"schema-ahead\"}");
    g_assert_cmpstr (soup_message_headers_get_one (a.headers, "Retry-After"), ==, "2");
  }
  set_schema_version (service, latest - 1);
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 503);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"unavailable\",\"database\":\"schema-behind\"}");
  }
  set_schema_version (service, latest);
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
  }
}

static void
test_migrate_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscTestService) service = esc_test_service_start (&error);
  const char * const migrate[] = { "migrate", NULL };
  g_autofree char *out = NULL;
  g_autofree char *expected = g_strdup_printf ("The schema is at version %d\n",
                                               esc_service_db_get_latest_schema_version ());

  g_assert_no_error (error);
  g_assert_true (esc_test_service_run (service, migrate, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, expected);
}

/* PostgreSQL without the keys every node shares: refused, clearly, before
 * touching anything (no database is needed to see it). */
static void
test_postgresql_needs_keys (void)
{
  const char * const commands[] = { "serve", "token", NULL };

  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (strcmp (commands[i], "serve") == 0)
        process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                    g_getenv ("ESCALADE_SERVICE"),
                                    "--database", "postgresql://escalade@/escalade?host=/nonexistent",
                                    "serve", "--listen", "127.0.0.1:0", NULL);
      else
        process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                    g_getenv ("ESCALADE_SERVICE"),
                                    "--database", "host=/nonexistent dbname=escalade",
                                    "token", "list", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
      g_assert_nonnull (strstr (err, "On PostgreSQL, give every node the same keys"));
      g_assert_cmpstr (out, ==, "");
    }
}

/* GET /v1/me with @token: a request that needs the database */
static guint
ask_me (EscTestService *service,
        const char     *token,
        char          **out_retry_after)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (esc_test_service_get_url (service), "/v1/me", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_retry_after != NULL)
    *out_retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Retry-After"));

  return soup_message_get_status (msg);
}

/* The node's database server stopped, then started again: the node stays
 * up, says it cannot serve (so the balancer sends the traffic elsewhere),
 * and serves again, on connections it opens anew, once the database is back. */
static void
test_database_stopped (void)
{
  g_autoptr(EscTestPgCluster) cluster = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shared = NULL;
  g_autofree char *token = NULL;
  EscTestService *service;

  if (!esc_test_backend_is_postgresql ())
    {
      g_test_skip ("PostgreSQL only: a database server to stop (an SQLite file has none)");
      return;
    }

  /* The service's database in a cluster of this test's own */
  cluster = esc_test_pg_cluster_start ();
  shared = g_strdup (g_getenv ("ESCALADE_TEST_PG"));
  g_setenv ("ESCALADE_TEST_PG", cluster->conninfo, TRUE);
  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin", &error);
  g_assert_no_error (error);

  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
    g_assert_cmpuint (ask_me (service, token, NULL), ==, 200);
  }

  esc_test_pg_cluster_run (cluster, "stop", NULL);
  {
    g_auto(Answer) a = { 0, };
    g_autofree char *retry_after = NULL;

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 503);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"unavailable\",\"database\":\"unreachable\"}");
    g_assert_cmpstr (soup_message_headers_get_one (a.headers, "Retry-After"), ==, "2");
    g_assert_cmpstr (soup_message_headers_get_one (a.headers, "Cache-Control"), ==, "no-store");

    /* The other requests too: try again later, never a 500 */
    g_assert_cmpuint (ask_me (service, token, &retry_after), ==, 503);
    g_assert_cmpstr (retry_after, ==, "2");
  }
  g_assert_true (esc_test_service_is_running (service));

  esc_test_pg_cluster_run (cluster, "start", NULL);
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"ok\",\"database\":\"reachable\"}");
    g_assert_cmpuint (ask_me (service, token, NULL), ==, 200);
  }

  /* Its database is dropped from this cluster, still the one named */
  esc_test_service_stop (service);
  g_setenv ("ESCALADE_TEST_PG", shared, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/health/schema-versions", test_health);
  g_test_add_func ("/service/health/migrate-command", test_migrate_command);
  g_test_add_func ("/service/health/postgresql-needs-keys", test_postgresql_needs_keys);
  g_test_add_func ("/service/health/database-stopped", test_database_stopped);

  return g_test_run ();
}
