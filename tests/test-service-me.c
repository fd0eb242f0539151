/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-service-db.h"
#include "esc-service-keys.h"
#include "esc-service-private.h"
#include "esc-service-server.h"
#include "esc-service-token.h"
#include "esc-test-backend.h"
#include "esc-test-service.h"

typedef struct
{
  EscTestService *service;
  SoupSession    *session;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  JsonNode           *body;
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

/* Loopback only, whatever http_proxy says. */
static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 30);

  return session;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->service = esc_test_service_start (&error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->service);
  fixture->session = new_session ();
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->service, esc_test_service_stop);
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

/* Sends @method @url_base + @path, with @authorization as the Authorization
 * header if not %NULL; fails the test on a transport error. */
static void
request (SoupSession *session,
         const char  *method,
         const char  *url_base,
         const char  *path,
         const char  *authorization,
         Response    *response)
{
  g_autofree char *url = g_strconcat (url_base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Authorization", authorization);

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (g_bytes_get_size (body) > 0)
    response->body = parse_json (body);

  g_test_message ("%s %s → %u", method, path, response->status);
}

static void
get_me (SoupSession *session,
        const char  *url_base,
        const char  *token,
        Response    *response)
{
  g_autofree char *authorization = token ? g_strconcat ("Bearer ", token, NULL) : NULL;

  request (session, "GET", url_base, "/v1/me", authorization, response);
}

static void
assert_content_type (Response   *response,
                     const char *expected)
{
  const char *content_type = soup_message_headers_get_content_type (response->headers, NULL);

  g_assert_cmpstr (content_type, ==, expected);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Escalade-Api"), ==, "1");
}

/* Checks an RFC 7807 body and returns its detail. */
static const char *
assert_problem (Response *response,
                guint     status)
{
  JsonObject *object;

  g_assert_cmpuint (response->status, ==, status);
  assert_content_type (response, "application/problem+json");
  g_assert_nonnull (response->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->body));

  object = json_node_get_object (response->body);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "type"), "https://"));
  g_assert_cmpstr (json_object_get_string_member (object, "title"), !=, "");
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, status);
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), !=, "");

  return json_object_get_string_member (object, "detail");
}

static char **
json_strv (JsonObject *object,
           const char *member)
{
  JsonArray *array = json_object_get_array_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_nonnull (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));

  return g_strv_builder_end (builder);
}

static void
assert_strv (char               **actual,
             const char * const  *expected)
{
  g_autofree char *joined_actual = g_strjoinv (",", actual);
  g_autofree char *joined_expected = g_strjoinv (",", (char **)expected);

  g_assert_cmpstr (joined_actual, ==, joined_expected);
}

static char *
create_token (EscTestService *service,
              const char     *user,
              const char     *email,
              const char     *role)
{
  g_autoptr(GError) error = NULL;
  char *token;

  token = esc_test_service_create_token (service, user, email, role, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  return token;
}

/* The running service's database, through the service's own storage (so
 * on SQLite or PostgreSQL alike). */
static EscServiceDb *
open_service_db (EscTestService *service)
{
  g_autoptr(GError) error = NULL;
  EscServiceDb *db = esc_service_db_open (esc_test_service_get_database (service), &error);

  g_assert_no_error (error);

  return db;
}

static gint64
query_int (EscServiceDb *db,
           const char   *sql,
           const char   *text_param)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStmt) stmt = esc_service_db_prepare (db, sql, &error);

  g_assert_no_error (error);
  if (text_param != NULL)
    esc_service_stmt_bind_text (stmt, 1, text_param);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

static void
exec_sql (EscServiceDb *db,
          const char   *sql)
{
  g_autoptr(GError) error = NULL;

  if (!esc_service_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

/* GET /v1/me */

static void
test_me_good_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autofree char *token = NULL;
  g_auto(GStrv) roles = NULL;
  g_auto(GStrv) designations = NULL;
  JsonObject *object;

  token = create_token (fixture->service, "Camille Martin", "camille@example.org", "it-admin");
  get_me (fixture->session, esc_test_service_get_url (fixture->service), token, &response);

  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  assert_content_type (&response, "application/json");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response.body));

  object = json_node_get_object (response.body);
  g_assert_cmpuint (json_object_get_size (object), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Camille Martin");
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "camille@example.org");
  roles = json_strv (object, "roles");
  assert_strv (roles, (const char * const[]) { "it-admin", NULL });
  designations = json_strv (object, "designations");
  g_assert_cmpuint (g_strv_length (designations), ==, 0);
}

static void
test_me_missing_token (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Response) missing = { 0 };
  g_auto(Response) unknown = { 0 };
  g_autofree char *missing_detail = NULL;
  const char *challenge;

  get_me (fixture->session, esc_test_service_get_url (fixture->service), NULL, &missing);
  missing_detail = g_strdup (assert_problem (&missing, SOUP_STATUS_UNAUTHORIZED));
  challenge = soup_message_headers_get_one (missing.headers, "WWW-Authenticate");
  g_assert_nonnull (challenge);
  g_assert_true (g_str_has_prefix (challenge, "Bearer"));

  /* The detail tells a missing token from an unknown one. */
  get_me (fixture->session, esc_test_service_get_url (fixture->service),
          "esc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &unknown);
  g_assert_cmpstr (assert_problem (&unknown, SOUP_STATUS_UNAUTHORIZED), !=, missing_detail);
}

static void
test_me_unknown_token (Fixture       *fixture,
                       gconstpointer  data)
{
  const char * const bad_tokens[] = {
    "esc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  /* well-formed, unknown */
    "not-a-token",
    "esc_\xc3\xa9",  /* not ASCII */
  };
  g_autofree char *good = NULL;

  good = create_token (fixture->service, "alex", "alex@example.org", "support-staff");

  for (guint i = 0; i < G_N_ELEMENTS (bad_tokens); i++)
    {
      g_auto(Response) response = { 0 };
      const char *challenge;

      get_me (fixture->session, esc_test_service_get_url (fixture->service),
              bad_tokens[i], &response);
      assert_problem (&response, SOUP_STATUS_UNAUTHORIZED);
      challenge = soup_message_headers_get_one (response.headers, "WWW-Authenticate");
      g_assert_nonnull (challenge);
      g_assert_true (g_str_has_prefix (challenge, "Bearer"));
      g_assert_nonnull (strstr (challenge, "invalid_token"));
    }

  /* A prefix or extension of a real token is not that token. */
  {
    g_auto(Response) longer = { 0 };
    g_autofree char *extended = g_strconcat (good, "A", NULL);

    get_me (fixture->session, esc_test_service_get_url (fixture->service), extended, &longer);
    assert_problem (&longer, SOUP_STATUS_UNAUTHORIZED);
  }
}

static void
test_me_malformed_header (Fixture       *fixture,
                          gconstpointer  data)
{
  const char * const headers[] = { "Basic YWxleDpzZWNyZXQ=", "Bearer", "Bearer    ", "Token abc" };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_auto(Response) response = { 0 };

      request (fixture->session, "GET", esc_test_service_get_url (fixture->service),
               "/v1/me", headers[i], &response);
      assert_problem (&response, SOUP_STATUS_UNAUTHORIZED);
      g_assert_nonnull (soup_message_headers_get_one (response.headers, "WWW-Authenticate"));
    }
}

static void
test_me_revoked_token (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(Response) before = { 0 };
  g_auto(Response) after = { 0 };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  g_autofree char *input = NULL;
  const char *url = esc_test_service_get_url (fixture->service);

  token = create_token (fixture->service, "robin", "robin@example.org", "operator");
  get_me (fixture->session, url, token, &before);
  g_assert_cmpuint (before.status, ==, SOUP_STATUS_OK);

  /* token revoke reads the token on stdin, never from argv. */
  g_ptr_array_add (argv, g_strdup (g_getenv ("ESCALADE_SERVICE")));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (esc_test_service_get_database (fixture->service)));
  esc_test_backend_add_options (argv, esc_test_service_get_tmpdir (fixture->service));
  g_ptr_array_add (argv, g_strdup ("token"));
  g_ptr_array_add (argv, g_strdup ("revoke"));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  input = g_strconcat (token, "\n", NULL);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  get_me (fixture->session, url, token, &after);
  g_assert_nonnull (strstr (assert_problem (&after, SOUP_STATUS_UNAUTHORIZED), "revoked"));
}

static void
test_me_live_designations (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *token = NULL;
  const char *url = esc_test_service_get_url (fixture->service);
  g_autoptr(EscServiceDb) db = NULL;

  token = create_token (fixture->service, "sam", "sam@example.org", "support-staff");

  /* Designations are written by a later API; here they go straight into the table. */
  db = open_service_db (fixture->service);
  exec_sql (db,
            "INSERT INTO designations (person_id, capability, reason, expires_at)"
            " SELECT id, 'elevation', 'on call last year', '2000-01-01T00:00:00Z'"
            "   FROM people WHERE name = 'sam'");
  exec_sql (db,
            "INSERT INTO designations (person_id, capability, reason, expires_at)"
            " SELECT id, 'escalation', 'escalation team', NULL FROM people WHERE name = 'sam'");

  {
    g_auto(Response) response = { 0 };
    g_auto(GStrv) designations = NULL;

    get_me (fixture->session, url, token, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    designations = json_strv (json_node_get_object (response.body), "designations");
    assert_strv (designations, (const char * const[]) { "escalation", NULL });
  }

  exec_sql (db, "UPDATE designations SET expires_at = '2999-01-01T00:00:00Z'"
                " WHERE capability = 'elevation'");
  g_clear_object (&db);

  {
    g_auto(Response) response = { 0 };
    g_auto(GStrv) designations = NULL;

    get_me (fixture->session, url, token, &response);
    g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
    designations = json_strv (json_node_get_object (response.body), "designations");
    assert_strv (designations, (const char * const[]) { "elevation", "escalation", NULL });
  }
}

/* Errors of the HTTP layer */

static void
test_http_not_found (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const paths[] = { "/", "/v1", "/v1/me/", "/v1/nothing", "/v2/me" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Response) response = { 0 };

      request (fixture->session, "GET", esc_test_service_get_url (fixture->service),
               paths[i], NULL, &response);
      assert_problem (&response, SOUP_STATUS_NOT_FOUND);
    }
}

static void
test_http_method_not_allowed (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  const char *allow;

  request (fixture->session, "DELETE", esc_test_service_get_url (fixture->service),
           "/v1/me", NULL, &response);
  assert_problem (&response, SOUP_STATUS_METHOD_NOT_ALLOWED);
  allow = soup_message_headers_get_one (response.headers, "Allow");
  g_assert_nonnull (allow);
  g_assert_nonnull (strstr (allow, "GET"));
}

/* token create */

static gboolean
is_token_shaped (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^esc_[A-Za-z0-9_-]{43}\n$", 0, 0, NULL);

  return g_regex_match (regex, text, 0, NULL);
}

static void
test_token_create_output (Fixture       *fixture,
                          gconstpointer  data)
{
  const char * const argv[] = { "token", "create", "--user", "kim", "--email", "kim@example.org",
                                "--role", "partner-manager", NULL };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;

  esc_test_service_run (fixture->service, argv, &first, &error);
  g_assert_no_error (error);
  g_assert_true (is_token_shaped (first));

  esc_test_service_run (fixture->service, argv, &second, &error);
  g_assert_no_error (error);
  g_assert_true (is_token_shaped (second));
  g_assert_cmpstr (first, !=, second);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
test_token_not_stored_in_clear (Fixture       *fixture,
                                gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *log = NULL;
  const char *database = esc_test_service_get_database (fixture->service);
  const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  const char *secret;
  g_autoptr(EscServiceDb) db = NULL;

  token = create_token (fixture->service, "morgan", "morgan@example.org", "it-admin");
  secret = token + strlen (ESC_SERVICE_TOKEN_PREFIX);
  get_me (fixture->session, esc_test_service_get_url (fixture->service), token, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);

  /* The digest is there (so we look at the right file)… */
  db = open_service_db (fixture->service);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM tokens WHERE hash = ?1", hash), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM tokens WHERE hash = ?1", token), ==, 0);
  g_clear_object (&db);

  /* …and the token, even without its prefix, is in none of SQLite's files
   * (on PostgreSQL the database's files are the server's: the digest check
   * above is what holds there). */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes) && !esc_test_backend_is_postgresql (); i++)
    {
      g_autofree char *path = g_strconcat (database, suffixes[i], NULL);

      g_test_message ("Scanning %s", path);
      g_assert_false (file_contains (path, secret));
    }

  /* Nor in the request log, which the service writes once the answer is sent */
  for (guint tries = 0; tries < 200; tries++)
    {
      g_clear_pointer (&log, g_free);
      log = esc_test_service_dup_log (fixture->service);
      if (strstr (log, "GET /v1/me 200") != NULL)
        break;
      g_usleep (G_USEC_PER_SEC / 100);
    }
  g_assert_nonnull (strstr (log, "GET /v1/me 200"));
  g_assert_null (strstr (log, secret));
}

static void
test_token_second_token_same_person (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_auto(Response) first_response = { 0 };
  g_auto(Response) second_response = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(GStrv) roles = NULL;
  const char *url = esc_test_service_get_url (fixture->service);
  g_autoptr(EscServiceDb) db = NULL;

  first = create_token (fixture->service, "sacha", "sacha@example.org", "support-staff");
  second = create_token (fixture->service, "sacha", "sacha@example.org", "operator");
  g_assert_cmpstr (first, !=, second);

  db = open_service_db (fixture->service);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM people WHERE name = ?1", "sacha"), ==, 1);
  g_assert_cmpint (query_int (db,
                              "SELECT count(*) FROM tokens JOIN people ON people.id = person_id"
                              " WHERE name = ?1 AND revoked_at IS NULL", "sacha"), ==, 2);
  g_clear_object (&db);

  get_me (fixture->session, url, first, &first_response);
  get_me (fixture->session, url, second, &second_response);
  g_assert_cmpuint (first_response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpuint (second_response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (first_response.body), "id"), ==,
                   json_object_get_int_member (json_node_get_object (second_response.body), "id"));
  roles = json_strv (json_node_get_object (second_response.body), "roles");
  assert_strv (roles, (const char * const[]) { "operator", "support-staff", NULL });
}

/* Command line */

static void
assert_usage_error (EscTestService     *service,
                    const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  g_assert_false (esc_test_service_run (service, argv, &output, &error));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 2);
  g_assert_null (output);
  g_test_message ("As expected: %s", error->message);
}

static void
test_cli_usage_errors (Fixture       *fixture,
                       gconstpointer  data)
{
  assert_usage_error (fixture->service, (const char * const[]) {
    "token", "create", "--user", "lou", "--email", "lou@example.org", "--role", "root", NULL });
  assert_usage_error (fixture->service, (const char * const[]) {
    "token", "create", "--user", "lou", "--email", "not an email", "--role", "operator", NULL });
  assert_usage_error (fixture->service, (const char * const[]) {
    "token", "create", "--email", "lou@example.org", "--role", "operator", NULL });
  /* A new person needs an email address. */
  assert_usage_error (fixture->service, (const char * const[]) {
    "token", "create", "--user", "lou", "--role", "operator", NULL });
  assert_usage_error (fixture->service, (const char * const[]) { "frobnicate", NULL });
  assert_usage_error (fixture->service, (const char * const[]) { "token", NULL });
  /* Beyond loopback only with --allow-remote (it would hang here if it listened). */
  assert_usage_error (fixture->service, (const char * const[]) {
    "serve", "--listen", "0.0.0.0:0", NULL });
  assert_usage_error (fixture->service, (const char * const[]) {
    "serve", "--listen", "nowhere", NULL });
  assert_usage_error (fixture->service, (const char * const[]) {
    "serve", "--tls-cert", "/nonexistent.pem", NULL });
}

static void
test_cli_help (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const *commands[] = {
    (const char * const[]) { "--help", NULL },
    (const char * const[]) { "serve", "--help", NULL },
    (const char * const[]) { "token", "create", "--help", NULL },
    (const char * const[]) { "token", "revoke", "--help", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *output = NULL;

      esc_test_service_run (fixture->service, commands[i], &output, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (output, "--database"));
    }
}

/* TLS */

typedef struct
{
  char           *tmpdir;
  char           *cert_file;
  char           *key_file;
  EscTestService *service;
  char           *token;
} TlsFixture;

static void
tls_fixture_setup (TlsFixture    *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("escalade-test-tls-XXXXXX", &error);
  g_assert_no_error (error);

  esc_test_make_self_signed_cert (fixture->tmpdir, &fixture->cert_file, &fixture->key_file, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);

  fixture->service = esc_test_service_start_tls (fixture->cert_file, fixture->key_file, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (esc_test_service_get_url (fixture->service), "https://127.0.0.1:"));

  fixture->token = create_token (fixture->service, "tls", "tls@example.org", "it-admin");
}

static void
tls_fixture_teardown (TlsFixture    *fixture,
                      gconstpointer  data)
{
  g_clear_pointer (&fixture->service, esc_test_service_stop);
  if (fixture->cert_file != NULL)
    g_unlink (fixture->cert_file);
  if (fixture->key_file != NULL)
    g_unlink (fixture->key_file);
  g_rmdir (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->cert_file, g_free);
  g_clear_pointer (&fixture->key_file, g_free);
  g_clear_pointer (&fixture->token, g_free);
}

static void
test_tls_trusted (TlsFixture    *fixture,
                  gconstpointer  data)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Response) response = { 0 };

  if (fixture->service == NULL)
    return;

  database = g_tls_file_database_new (fixture->cert_file, &error);
  g_assert_no_error (error);

  session = new_session ();
  soup_session_set_tls_database (session, database);

  get_me (session, esc_test_service_get_url (fixture->service), fixture->token, &response);
  g_assert_cmpuint (response.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (response.body), "name"),
                   ==, "tls");
}

static void
test_tls_untrusted (TlsFixture    *fixture,
                    gconstpointer  data)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (fixture->service == NULL)
    return;

  /* The system's CAs do not know our certificate: verification must fail. */
  session = new_session ();
  url = g_strconcat (esc_test_service_get_url (fixture->service), "/v1/me", NULL);
  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_test_message ("As expected: %s", error->message);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTlsCertificate *expected = user_data;

  g_test_message ("accept-certificate: errors 0x%x", errors);

  return g_tls_certificate_is_same (certificate, expected);
}

static void
test_tls_accept_certificate (TlsFixture    *fixture,
                             gconstpointer  data)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GTlsCertificate) expected = NULL;
  g_autoptr(GTlsCertificate) other = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *other_cert = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *other_dir = NULL;

  if (fixture->service == NULL)
    return;

  expected = g_tls_certificate_new_from_file (fixture->cert_file, &error);
  g_assert_no_error (error);

  session = new_session ();
  url = g_strconcat (esc_test_service_get_url (fixture->service), "/v1/me", NULL);
  authorization = g_strconcat ("Bearer ", fixture->token, NULL);

  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Authorization", authorization);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), expected);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_true (g_tls_certificate_is_same (soup_message_get_tls_peer_certificate (msg), expected));
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  /* Pinned to another certificate: refused. A new session, so no connection is reused. */
  other_dir = g_dir_make_tmp ("escalade-test-tls-XXXXXX", &error);
  g_assert_no_error (error);
  esc_test_make_self_signed_cert (other_dir, &other_cert, &other_key, &error);
  g_assert_no_error (error);
  other = g_tls_certificate_new_from_file (other_cert, &error);
  g_assert_no_error (error);
  g_unlink (other_cert);
  g_unlink (other_key);
  g_rmdir (other_dir);

  g_clear_object (&session);
  session = new_session ();
  msg = soup_message_new ("GET", url);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), other);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_null (body);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
}

/* In-process: EscServiceServer and EscServiceDb used directly. */

static void
test_parse_listen_address (void)
{
  const struct {
    const char *text;
    const char *address;
    guint16     port;
  } cases[] = {
    { "127.0.0.1:8080", "127.0.0.1", 8080 },
    { "[::1]:0", "::1", 0 },
    { "localhost:443", "127.0.0.1", 443 },
    { "0.0.0.0:1", "0.0.0.0", 1 },
    { "127.0.0.1", NULL, 0 },
    { "::1:80", NULL, 0 },
    { "[::1]80", NULL, 0 },
    { "127.0.0.1:65536", NULL, 0 },
    { "127.0.0.1:-1", NULL, 0 },
    { "example.org:80", NULL, 0 },
    { ":80", NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetSocketAddress) address = NULL;
      g_autoptr(GError) error = NULL;

      address = esc_service_parse_listen_address (cases[i].text, &error);
      if (cases[i].address == NULL)
        {
          g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT);
          g_assert_null (address);
        }
      else
        {
          g_autofree char *text = NULL;

          g_assert_no_error (error);
          text = g_inet_address_to_string (g_inet_socket_address_get_address (address));
          g_assert_cmpstr (text, ==, cases[i].address);
          g_assert_cmpuint (g_inet_socket_address_get_port (address), ==, cases[i].port);
        }
    }
}

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} AsyncResult;

static void
send_and_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncResult *async = user_data;

  async->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &async->error);
  async->done = TRUE;
}

/* Lets the server see the client's connections close. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The server runs on this thread's main context, so the client must be async. */
static guint
in_process_get_me (const char  *url_base,
                   const char  *token,
                   JsonNode   **out_body)
{
  g_autoptr(SoupSession) session = new_session ();
  g_autofree char *url = g_strconcat (url_base, "/v1/me", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  AsyncResult async = { NULL, NULL, FALSE };

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "Authorization", authorization);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_and_read_cb, &async);
  while (!async.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (async.error);
  *out_body = parse_json (async.body);
  g_bytes_unref (async.body);

  return soup_message_get_status (msg);
}

/* A database of the run's backend; on PostgreSQL, with its key files in
 * @tmpdir (as a node is given them). */
static EscServiceDb *
open_with_keys (const char *database,
                const char *tmpdir)
{
  g_autoptr(GError) error = NULL;
  EscServiceDb *db = esc_service_db_open (database, &error);

  g_assert_no_error (error);
  if (esc_test_backend_is_postgresql ())
    {
      g_autofree char *key_file = g_build_filename (tmpdir, "secret.key", NULL);
      g_autofree char *audit_key_file = g_build_filename (tmpdir, "audit.key", NULL);

      esc_service_keys_set_key_file (db, key_file);
      esc_service_keys_set_audit_key_file (db, audit_key_file);
    }

  return db;
}

static void
remove_key_files (const char *tmpdir)
{
  const char * const names[] = { "secret.key", "audit.key" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_build_filename (tmpdir, names[i], NULL);

      g_unlink (file);
    }
}

static void
test_in_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  const char * const roles[] = { "it-admin", "support-staff", NULL };
  const char * const suffixes[] = { "", "-wal", "-shm" };
  EscServiceServer *server;
  EscServiceDb *db;
  JsonObject *object;
  g_auto(GStrv) roles_seen = NULL;

  tmpdir = g_dir_make_tmp ("escalade-test-in-process-XXXXXX", &error);
  g_assert_no_error (error);
  path = esc_test_backend_new_database (tmpdir);

  db = open_with_keys (path, tmpdir);
  g_assert_cmpint (esc_service_db_get_schema_version (db), ==,
                   esc_service_db_get_latest_schema_version ());

  token = esc_service_db_create_token (db, "Dominique", "dominique@example.org", roles, &error);
  g_assert_no_error (error);
  g_assert_true (esc_service_token_is_wellformed (token));

  server = esc_service_server_new (db);
  esc_service_server_set_log_requests (server, FALSE);
  address = esc_service_parse_listen_address ("127.0.0.1:0", &error);
  g_assert_no_error (error);
  esc_service_server_listen (server, address, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (esc_service_server_get_url (server), "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (esc_service_server_get_url (server), ":0"));

  g_assert_cmpuint (in_process_get_me (esc_service_server_get_url (server), token, &body), ==, 200);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Dominique");
  roles_seen = json_strv (object, "roles");
  assert_strv (roles_seen, roles);

  g_assert_true (esc_service_db_revoke_token (db, token, &error));
  g_assert_no_error (error);
  g_clear_pointer (&body, json_node_unref);
  g_assert_cmpuint (in_process_get_me (esc_service_server_get_url (server), token, &body), ==, 401);

  esc_service_server_disconnect (server);
  g_assert_null (esc_service_server_get_url (server));
  drain_main_context ();

  g_assert_finalize_object (server);
  g_assert_finalize_object (db);

  /* Reopening an up-to-date database runs no migration and keeps the data. */
  db = open_with_keys (path, tmpdir);
  esc_service_db_authenticate (db, token, &error);
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_REVOKED_TOKEN);
  g_assert_finalize_object (db);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes) && !esc_test_backend_is_postgresql (); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  remove_key_files (tmpdir);
  g_rmdir (tmpdir);
  esc_test_backend_drop_database (path);
}

static void
test_in_process_ipv6 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  const char * const roles[] = { "operator", NULL };
  const char * const suffixes[] = { "", "-wal", "-shm" };
  EscServiceServer *server;
  EscServiceDb *db;

  tmpdir = g_dir_make_tmp ("escalade-test-in-process-XXXXXX", &error);
  g_assert_no_error (error);
  path = esc_test_backend_new_database (tmpdir);
  db = open_with_keys (path, tmpdir);
  token = esc_service_db_create_token (db, "ops", "ops@example.org", roles, &error);
  g_assert_no_error (error);

  server = esc_service_server_new (db);
  esc_service_server_set_log_requests (server, FALSE);
  address = esc_service_parse_listen_address ("[::1]:0", &error);
  g_assert_no_error (error);

  if (esc_service_server_listen (server, address, &error))
    {
      g_assert_true (g_str_has_prefix (esc_service_server_get_url (server), "http://[::1]:"));
      g_assert_cmpuint (in_process_get_me (esc_service_server_get_url (server), token, &body),
                        ==, 200);
    }
  else
    {
      g_autofree char *reason = g_strdup_printf ("No IPv6 loopback here: %s", error->message);

      g_test_skip (reason);
    }

  esc_service_server_disconnect (server);
  drain_main_context ();
  g_assert_finalize_object (server);
  g_assert_finalize_object (db);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes) && !esc_test_backend_is_postgresql (); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  remove_key_files (tmpdir);
  g_rmdir (tmpdir);
  esc_test_backend_drop_database (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/service/me/good-token", Fixture, NULL,
              fixture_setup, test_me_good_token, fixture_teardown);
  g_test_add ("/service/me/missing-token", Fixture, NULL,
              fixture_setup, test_me_missing_token, fixture_teardown);
  g_test_add ("/service/me/unknown-token", Fixture, NULL,
              fixture_setup, test_me_unknown_token, fixture_teardown);
  g_test_add ("/service/me/malformed-header", Fixture, NULL,
              fixture_setup, test_me_malformed_header, fixture_teardown);
  g_test_add ("/service/me/revoked-token", Fixture, NULL,
              fixture_setup, test_me_revoked_token, fixture_teardown);
  g_test_add ("/service/me/live-designations", Fixture, NULL,
              fixture_setup, test_me_live_designations, fixture_teardown);
  g_test_add ("/service/http/not-found", Fixture, NULL,
              fixture_setup, test_http_not_found, fixture_teardown);
  g_test_add ("/service/http/method-not-allowed", Fixture, NULL,
              fixture_setup, test_http_method_not_allowed, fixture_teardown);
  g_test_add ("/service/token/create-output", Fixture, NULL,
              fixture_setup, test_token_create_output, fixture_teardown);
  g_test_add ("/service/token/not-stored-in-clear", Fixture, NULL,
              fixture_setup, test_token_not_stored_in_clear, fixture_teardown);
  g_test_add ("/service/token/second-token-same-person", Fixture, NULL,
              fixture_setup, test_token_second_token_same_person, fixture_teardown);
  g_test_add ("/service/cli/usage-errors", Fixture, NULL,
              fixture_setup, test_cli_usage_errors, fixture_teardown);
  g_test_add ("/service/cli/help", Fixture, NULL,
              fixture_setup, test_cli_help, fixture_teardown);
  g_test_add ("/service/tls/trusted", TlsFixture, NULL,
              tls_fixture_setup, test_tls_trusted, tls_fixture_teardown);
  g_test_add ("/service/tls/untrusted", TlsFixture, NULL,
              tls_fixture_setup, test_tls_untrusted, tls_fixture_teardown);
  g_test_add ("/service/tls/accept-certificate", TlsFixture, NULL,
              tls_fixture_setup, test_tls_accept_certificate, tls_fixture_teardown);
  g_test_add_func ("/service/in-process/parse-listen-address", test_parse_listen_address);
  g_test_add_func ("/service/in-process/me", test_in_process);
  g_test_add_func ("/service/in-process/ipv6", test_in_process_ipv6);

  return g_test_run ();
}
