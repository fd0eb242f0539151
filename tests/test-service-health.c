/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "esc-service-db.h"
#include "esc-test-service.h"

/* GET /v1/health on a real escalade-service (SQLite), as a load balancer
 * asks it: no token, a status code and two words. And `escalade-service
 * migrate`, and the commands that do not run on PostgreSQL yet. */

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

static void
set_user_version (EscTestService *service,
                  int             version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (esc_test_service_get_database (service), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
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
  set_user_version (service, latest + 1);
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 503);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"unavailable\",\"database\":\"schema-ahead\"}");
    g_assert_cmpstr (soup_message_headers_get_one (a.headers, "Retry-After"), ==, "2");
  }
  set_user_version (service, latest - 1);
  {
    g_auto(Answer) a = { 0, };

    ask (service, "GET", NULL, &a);
    g_assert_cmpuint (a.status, ==, 503);
    g_assert_cmpstr (a.body, ==, "{\"status\":\"unavailable\",\"database\":\"schema-behind\"}");
  }
  set_user_version (service, latest);
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

/* On PostgreSQL every node must be given the same keys, and a database
 * that cannot be reached is a clear error: both before anything is served
 * (no server is needed to see it). */
static void
test_postgresql_refusals (void)
{
  g_autofree char *dir = g_dir_make_tmp ("escalade-test-health-XXXXXX", NULL);
  g_autofree char *key_file = g_build_filename (dir, "secret.key", NULL);
  g_autofree char *audit_key_file = g_build_filename (dir, "audit.key", NULL);
  const struct
  {
    gboolean    keys;
    const char *expected;
  } cases[] = {
    { FALSE, "On PostgreSQL, give every node the same keys" },
    { TRUE, "PostgreSQL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) process = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      if (cases[i].keys)
        process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                    g_getenv ("ESCALADE_SERVICE"),
                                    "--database", "postgresql://escalade@/escalade?host=/nonexistent",
                                    "--key-file", key_file, "--audit-key-file", audit_key_file,
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
      g_assert_nonnull (strstr (err, cases[i].expected));
      g_assert_cmpstr (out, ==, "");
    }

  /* Nothing was made: no key file out of nowhere */
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/health/sqlite", test_health);
  g_test_add_func ("/service/health/migrate-command", test_migrate_command);
  g_test_add_func ("/service/health/postgresql-refusals", test_postgresql_refusals);

  return g_test_run ();
}
