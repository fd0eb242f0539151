/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-test-backend.h"
#include "esc-test-inprocess.h"
#include "esc-time.h"

/* The framework under every handler, through a test route of its own:
 * body limits and content types, strict member checks, idempotent POSTs
 * (also concurrent), the audit chain and its tampering, the clock. */

static const char * const thing_members[] = {
  "name", "kind", "count", "flag", "at", "inner", "tags", NULL
};
static const char * const thing_kinds[] = { "a", "b", NULL };
static const char * const inner_members[] = { "email", NULL };

/* POST /v1/test/things: checks the body, then records an audit event (the
 * "thing" it creates) and answers 201 with its id. */
static void
handle_post_thing (EscServiceContext *ctx)
{
  g_autoptr(JsonObject) body = NULL;
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *location = NULL;
  JsonObject *inner;
  JsonArray *tags;
  const char *name;
  gint64 count = 0;
  gboolean flag = FALSE;
  gint64 id;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", thing_members);
  name = esc_service_check_string (&check, body, "/name", ESC_SERVICE_FIELD_REQUIRED, 10);
  esc_service_check_enum (&check, body, "/kind", ESC_SERVICE_FIELD_OPTIONAL, thing_kinds);
  esc_service_check_int (&check, body, "/count", ESC_SERVICE_FIELD_OPTIONAL, 0, 5, &count);
  esc_service_check_boolean (&check, body, "/flag", ESC_SERVICE_FIELD_NULLABLE, &flag);
  at = esc_service_check_timestamp (&check, body, "/at", ESC_SERVICE_FIELD_OPTIONAL);
  inner = esc_service_check_object (&check, body, "/inner", ESC_SERVICE_FIELD_OPTIONAL);
  esc_service_check_members (&check, inner, "/inner", inner_members);
  esc_service_check_string (&check, inner, "/inner/email", ESC_SERVICE_FIELD_REQUIRED, 254);
  tags = esc_service_check_array (&check, body, "/tags", ESC_SERVICE_FIELD_OPTIONAL, 2);
  (void)tags;
  if (!esc_service_check_ok (&check))
    return esc_service_send_check (ctx, &check);

  if (!esc_service_context_begin (ctx))
    return;

  if (!esc_service_context_audit (ctx, "test.thing-created", "/v1/test/things", NULL, &error))
    return esc_service_send_internal_error (ctx, error);

  {
    g_autoptr(EscServiceStmt) stmt = esc_service_db_prepare (ctx->db, "SELECT max (id) FROM audit_events", &error);

    if (stmt == NULL || esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
      return esc_service_send_internal_error (ctx, error);
    id = esc_service_stmt_column_int64 (stmt, 0);
  }
  location = g_strdup_printf ("/v1/test/things/%" G_GINT64_FORMAT, id);
  json_object_set_int_member (answer, "id", id);
  json_object_set_string_member (answer, "name", name);
  json_node_set_object (node, answer);

  esc_service_context_commit_json (ctx, SOUP_STATUS_CREATED, node, location);
}

static void
handle_get_thing (EscServiceContext *ctx)
{
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (answer, "id", ctx->params[0]);
  json_node_set_object (node, answer);
  esc_service_send_json (ctx, SOUP_STATUS_OK, node);
}

typedef struct
{
  EscTestServer *server;
  char          *admin;
  char          *staff;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  EscServiceRouter *router;

  fixture->server = esc_test_server_new ();
  router = esc_service_server_get_router (esc_test_server_get_server (fixture->server));
  esc_service_router_add (router, "POST", "/v1/test/things",
                          ESC_SERVICE_ROLE_IT_ADMIN | ESC_SERVICE_ROLE_SUPPORT_STAFF,
                          handle_post_thing);
  esc_service_router_add (router, "GET", "/v1/test/things/{id}", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_get_thing);

  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->staff = esc_test_server_create_token (fixture->server, "staff", "support-staff");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->staff, g_free);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

static gint64
count_things (Fixture *fixture)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                 "SELECT count(*) FROM audit_events WHERE action = 'test.thing-created'",
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

static void
assert_problem (EscTestResponse *response,
                guint            status,
                const char      *type,
                const char      *field)
{
  JsonObject *object;

  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "application/problem+json");
  g_assert_nonnull (response->body);
  object = json_node_get_object (response->body);
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, status);
  g_assert_nonnull (json_object_get_string_member (object, "title"));
  g_assert_nonnull (json_object_get_string_member (object, "detail"));
  if (type != NULL)
    g_assert_cmpstr (esc_test_problem_type (response), ==, type);
  if (field != NULL)
    {
      JsonArray *params;

      g_assert_cmpstr (esc_test_problem_field (response), ==, field);
      params = json_object_get_array_member (object, "invalid_params");
      g_assert_cmpuint (json_array_get_length (params), ==, 1);
    }
}

static void
test_content_type (Fixture       *fixture,
                   gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  const char *body = "{\"name\": \"x\"}";

  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, "text/plain", body, NULL, &r);
    assert_problem (&r, 415, "unsupported-media-type", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin,
                      "application/x-www-form-urlencoded", "name=x", NULL, &r);
    assert_problem (&r, 415, "unsupported-media-type", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin,
                      "application/json; charset=utf-8", body, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    /* No body at all */
    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 415);
  }

  g_assert_cmpint (count_things (fixture), ==, 1);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  const char * const bodies[] = {
    "{",
    "{\"name\": \"x\",}",
    "[1, 2]",
    "\"name\"",
    "null",
    "{\"name\": \"x\"} trailing",
    "\xff\xfe{}",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      esc_test_request (fixture->server, "POST", "/v1/test/things", fixture->admin,
                        "application/json", bodies[i], NULL, &r);
      assert_problem (&r, 400, "malformed-json", NULL);
    }

  g_assert_cmpint (count_things (fixture), ==, 0);
}

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} ChunkedResult;

static void
chunked_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ChunkedResult *chunked = user_data;

  chunked->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &chunked->error);
  chunked->done = TRUE;
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  g_autoptr(GString) big = g_string_new ("{\"name\": \"x\", \"pad\": \"");
  g_autofree char *url = NULL;

  while (big->len < 2 * 1024 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}");

  /* With a Content-Length */
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL, big->str, NULL, &r);
    assert_problem (&r, 413, "payload-too-large", NULL);
  }

  /* Exactly at the limit is read (and then refused for what it says). */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_autoptr(GString) at_limit = g_string_new ("{\"name\": \"");

    while (at_limit->len < ESC_SERVICE_MAX_BODY_BYTES - 2)
      g_string_append_c (at_limit, 'x');
    g_string_append (at_limit, "\"}");
    g_assert_cmpuint (at_limit->len, ==, ESC_SERVICE_MAX_BODY_BYTES);

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL, at_limit->str, NULL, &r);
    assert_problem (&r, 422, "invalid-field", "/name");
  }

  /* Chunked, without a Content-Length: counted as it comes. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GInputStream) stream = NULL;
    g_autofree char *authorization = g_strconcat ("Bearer ", fixture->admin, NULL);
    ChunkedResult result = { NULL, NULL, FALSE };

    url = g_strconcat (esc_test_server_get_url (server), "/v1/test/things", NULL);
    msg = soup_message_new ("POST", url);
    soup_session_set_proxy_resolver (session, NULL);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
    stream = g_memory_input_stream_new_from_data (g_memdup2 (big->str, big->len), big->len, g_free);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)),
                     ==, SOUP_ENCODING_CHUNKED);

    soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                      chunked_done_cb, &result);
    while (!result.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_no_error (result.error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
    g_bytes_unref (result.body);
  }

  g_assert_cmpint (count_things (fixture), ==, 0);
}

static void
test_checks (Fixture       *fixture,
             gconstpointer  data)
{
  const struct {
    const char *body;
    const char *field;
  } cases[] = {
    { "{}", "/name" },
    { "{\"name\": null}", "/name" },
    { "{\"name\": \"   \"}", "/name" },
    { "{\"name\": 12}", "/name" },
    { "{\"name\": \"01234567890\"}", "/name" },
    { "{\"name\": \"é\\u0001\"}", "/name" },
    { "{\"name\": \"x\", \"extra\": 1}", "/extra" },
    { "{\"name\": \"x\", \"kind\": \"c\"}", "/kind" },
    { "{\"name\": \"x\", \"kind\": null}", "/kind" },
    { "{\"name\": \"x\", \"kind\": 1}", "/kind" },
    { "{\"name\": \"x\", \"count\": 6}", "/count" },
    { "{\"name\": \"x\", \"count\": 1.5}", "/count" },
    { "{\"name\": \"x\", \"count\": \"1\"}", "/count" },
    { "{\"name\": \"x\", \"count\": true}", "/count" },
    { "{\"name\": \"x\", \"flag\": 1}", "/flag" },
    { "{\"name\": \"x\", \"at\": \"2024-05-01\"}", "/at" },
    { "{\"name\": \"x\", \"at\": \"2024-05-01T08:00:00\"}", "/at" },
    { "{\"name\": \"x\", \"at\": \"2024-13-01T08:00:00Z\"}", "/at" },
    { "{\"name\": \"x\", \"inner\": []}", "/inner" },
    { "{\"name\": \"x\", \"inner\": {}}", "/inner/email" },
    { "{\"name\": \"x\", \"inner\": {\"email\": \"a\", \"more\": 1}}", "/inner/more" },
    { "{\"name\": \"x\", \"tags\": {}}", "/tags" },
    { "{\"name\": \"x\", \"tags\": [1, 2, 3]}", "/tags" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      g_test_message ("%s", cases[i].body);
      esc_test_request (fixture->server, "POST", "/v1/test/things", fixture->admin,
                        NULL, cases[i].body, NULL, &r);
      assert_problem (&r, 422, "invalid-field", cases[i].field);
    }

  g_assert_cmpint (count_things (fixture), ==, 0);

  /* Everything valid, null where nullable */
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/test/things", fixture->admin, NULL,
                      "{\"name\": \"é0123456y\", \"kind\": \"b\", \"count\": 5, \"flag\": null,"
                      " \"at\": \"2024-05-01T10:00:00+02:00\", \"inner\": {\"email\": \"a@b.c\"},"
                      " \"tags\": [1, 2]}",
                      NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }
  g_assert_cmpint (count_things (fixture), ==, 1);
}

static void
test_idempotency (Fixture       *fixture,
                  gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  const char * const key1[] = { "Idempotency-Key", "key-1", NULL };
  const char * const bad_key[] = { "Idempotency-Key", "a key", NULL };
  g_auto(EscTestResponse) first = { 0, };
  g_auto(EscTestResponse) again = { 0, };
  g_auto(EscTestResponse) other_body = { 0, };
  g_auto(EscTestResponse) other_caller = { 0, };
  g_auto(EscTestResponse) invalid = { 0, };
  g_auto(EscTestResponse) refused = { 0, };
  g_auto(EscTestResponse) after_refusal = { 0, };

  esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                    "{\"name\": \"one\"}", key1, &first);
  g_assert_cmpuint (first.status, ==, 201);
  g_assert_nonnull (soup_message_headers_get_one (first.headers, "Location"));
  g_assert_null (soup_message_headers_get_one (first.headers, "Idempotent-Replayed"));

  /* Later, the same request: the same answer, nothing new. */
  esc_test_server_advance (server, G_TIME_SPAN_HOUR);
  esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                    "{\"name\": \"one\"}", key1, &again);
  g_assert_cmpuint (again.status, ==, 201);
  g_assert_cmpstr (again.text, ==, first.text);
  g_assert_cmpstr (soup_message_headers_get_one (again.headers, "Location"), ==,
                   soup_message_headers_get_one (first.headers, "Location"));
  g_assert_cmpstr (soup_message_headers_get_one (again.headers, "Idempotent-Replayed"), ==, "true");
  g_assert_cmpint (count_things (fixture), ==, 1);

  /* The same key with another body: refused, nothing new. */
  esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                    "{\"name\": \"two\"}", key1, &other_body);
  assert_problem (&other_body, 422, "idempotency-key-reused", NULL);
  g_assert_cmpint (count_things (fixture), ==, 1);

  /* Keys are per caller. */
  esc_test_request (server, "POST", "/v1/test/things", fixture->staff, NULL,
                    "{\"name\": \"one\"}", key1, &other_caller);
  g_assert_cmpuint (other_caller.status, ==, 201);
  g_assert_cmpstr (other_caller.text, !=, first.text);
  g_assert_cmpint (count_things (fixture), ==, 2);

  esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                    "{\"name\": \"one\"}", bad_key, &invalid);
  assert_problem (&invalid, 400, "invalid-idempotency-key", NULL);

  /* A refused request stores nothing under its key: once fixed, it goes through. */
  {
    const char * const key2[] = { "Idempotency-Key", "key-2", NULL };

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                      "{\"name\": 1}", key2, &refused);
    g_assert_cmpuint (refused.status, ==, 422);
    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                      "{\"name\": \"fixed\"}", key2, &after_refusal);
    g_assert_cmpuint (after_refusal.status, ==, 201);
  }
  g_assert_cmpint (count_things (fixture), ==, 3);
  g_assert_cmpint (esc_test_server_count_rows (server, "idempotency_keys"), ==, 3);
}

static void
test_idempotency_retention (Fixture       *fixture,
                            gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  const char * const key[] = { "Idempotency-Key", "old-key", NULL };
  g_autoptr(GError) error = NULL;

  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL, "{\"name\": \"x\"}", key, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }

  /* Kept 30 days (a setting), then purged by the housekeeping. */
  esc_test_server_advance (server, 29 * G_TIME_SPAN_DAY);
  esc_service_server_run_housekeeping (esc_test_server_get_server (server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_test_server_count_rows (server, "idempotency_keys"), ==, 1);

  esc_test_server_advance (server, 2 * G_TIME_SPAN_DAY);
  esc_service_server_run_housekeeping (esc_test_server_get_server (server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_test_server_count_rows (server, "idempotency_keys"), ==, 0);
}

static void
test_idempotency_concurrent (Fixture       *fixture,
                             gconstpointer  data)
{
  const char * const key[] = { "Idempotency-Key", "4b0c6f0e-concurrent", NULL };
  EscTestResponse responses[12];

  esc_test_request_concurrently (fixture->server, G_N_ELEMENTS (responses), "POST",
                                 "/v1/test/things", fixture->admin, "{\"name\": \"race\"}",
                                 key, responses);

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      g_assert_cmpuint (responses[i].status, ==, 201);
      g_assert_cmpstr (responses[i].text, ==, responses[0].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    esc_test_response_clear (&responses[i]);

  g_assert_cmpint (count_things (fixture), ==, 1);
}

static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  g_autofree char *manager = esc_test_server_create_token (server, "manager", "partner-manager");
  g_auto(EscTestResponse) refused = { 0, };
  g_auto(EscTestResponse) allowed = { 0, };
  g_auto(EscTestResponse) unknown = { 0, };
  g_auto(EscTestResponse) audit = { 0, };
  JsonArray *items;
  JsonObject *event;

  esc_test_request (server, "GET", "/v1/test/things/42", fixture->staff, NULL, NULL, NULL, &refused);
  assert_problem (&refused, 403, "forbidden", NULL);

  esc_test_request (server, "GET", "/v1/test/things/42", fixture->admin, NULL, NULL, NULL, &allowed);
  g_assert_cmpuint (allowed.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (allowed.body), "id"), ==, "42");

  esc_test_request (server, "POST", "/v1/test/things", manager, NULL, "{\"name\": \"x\"}", NULL,
                    &unknown);
  assert_problem (&unknown, 403, "forbidden", NULL);

  /* Both refusals are in the audit log, with who and from where. */
  esc_test_request (server, "GET", "/v1/audit", fixture->admin, NULL, NULL, NULL, &audit);
  g_assert_cmpuint (audit.status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (audit.body), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  event = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "authorization.refused");
  g_assert_cmpstr (json_object_get_string_member (event, "target"), ==, "/v1/test/things/42");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "actor"), "name"),
                   ==, "staff");
  g_assert_cmpstr (json_object_get_string_member (event, "remote_address"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (event, "at"), ==, "2024-05-06T09:00:00Z");
  event = json_array_get_object_element (items, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "actor"), "name"),
                   ==, "manager");
}

static void
test_revoked_token_audited (Fixture       *fixture,
                            gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  g_autofree char *token = esc_test_server_create_token (server, "leaver", "support-staff");
  g_autoptr(GError) error = NULL;
  g_auto(EscTestResponse) r = { 0, };
  g_auto(EscTestResponse) unknown = { 0, };

  esc_service_db_revoke_token (esc_test_server_get_db (server), token, &error);
  g_assert_no_error (error);

  esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 401);
  esc_test_request (server, "GET", "/v1/me", "esc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    NULL, NULL, NULL, &unknown);
  g_assert_cmpuint (unknown.status, ==, 401);

  /* The revoked token's owner is known: audited. An unknown token is not
   * (it names nobody, and would let anyone fill the log). */
  g_assert_cmpint (esc_test_server_count_rows (server, "audit_events"), ==, 1);
}

/* A token in use, then revoked, is refused from the next request on, read
 * or write: the first look at a token (before the body) trusts one found
 * valid for a few seconds, the check in the request's transaction never. */
static void
test_revoked_token_refused_at_once (Fixture       *fixture,
                                    gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  g_autofree char *token = esc_test_server_create_token (server, "leaver", "it-admin");
  g_autoptr(GError) error = NULL;

  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", token, NULL, "{\"name\": \"before\"}", NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }

  esc_service_db_revoke_token (esc_test_server_get_db (server), token, &error);
  g_assert_no_error (error);

  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 401);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/test/things", token, NULL, "{\"name\": \"after\"}", NULL, &r);
    g_assert_cmpuint (r.status, ==, 401);
  }
}

static void
test_audit_paging (Fixture       *fixture,
                   gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  gint64 after = 0;
  guint seen = 0;
  guint pages = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      esc_test_server_advance (server, G_TIME_SPAN_MINUTE);
      esc_test_request (server, "POST", "/v1/test/things", fixture->admin, NULL,
                        "{\"name\": \"x\"}", NULL, &r);
      g_assert_cmpuint (r.status, ==, 201);
    }

  for (;;)
    {
      g_auto(EscTestResponse) r = { 0, };
      g_autofree char *path = g_strdup_printf ("/v1/audit?after=%" G_GINT64_FORMAT "&limit=3", after);
      JsonObject *page;
      JsonArray *items;

      esc_test_request (server, "GET", path, fixture->admin, NULL, NULL, NULL, &r);
      g_assert_cmpuint (r.status, ==, 200);
      page = json_node_get_object (r.body);
      items = json_object_get_array_member (page, "items");
      pages++;

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *event = json_array_get_object_element (items, i);

          g_assert_cmpint (json_object_get_int_member (event, "id"), ==, after + 1);
          g_assert_cmpstr (json_object_get_string_member (event, "action"), ==, "test.thing-created");
          g_assert_cmpuint (strlen (json_object_get_string_member (event, "hash")), ==, 64);
          after++;
          seen++;
        }

      if (json_object_get_null_member (page, "next_after"))
        break;
      g_assert_cmpint (json_object_get_int_member (page, "next_after"), ==, after);
    }

  g_assert_cmpuint (seen, ==, 7);
  g_assert_cmpuint (pages, ==, 3);

  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "GET", "/v1/audit?limit=0", fixture->admin, NULL, NULL, NULL, &r);
    assert_problem (&r, 400, "invalid-query", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "GET", "/v1/audit?after=x", fixture->admin, NULL, NULL, NULL, &r);
    assert_problem (&r, 400, "invalid-query", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "GET", "/v1/audit", fixture->staff, NULL, NULL, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }
}

/* Runs `escalade-service --database DB audit verify` (with the keys, on
 * PostgreSQL). */
static int
run_audit_verify (EscTestServer  *server,
                  char          **out_stdout)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *binary = g_getenv ("ESCALADE_SERVICE");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (esc_test_server_get_path (server)));
  esc_test_backend_add_options (argv, esc_test_server_get_tmpdir (server));
  g_ptr_array_add (argv, g_strdup ("audit"));
  g_ptr_array_add (argv, g_strdup ("verify"));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, NULL, &error);
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

/* As someone with the database would: the triggers that refuse UPDATE and
 * DELETE go first (on PostgreSQL the tables' owner turns them off). */
static void
tamper (EscTestServer *server,
        const char    *sql)
{
  g_autoptr(GError) error = NULL;

  esc_service_db_exec (esc_test_server_get_db (server),
                       esc_test_backend_is_postgresql ()
                         ? "ALTER TABLE audit_events DISABLE TRIGGER USER"
                         : "DROP TRIGGER IF EXISTS audit_events_no_update;"
                           "DROP TRIGGER IF EXISTS audit_events_no_delete;",
                       &error);
  g_assert_no_error (error);
  esc_service_db_exec (esc_test_server_get_db (server), sql, &error);
  g_assert_no_error (error);
}

static void
assert_tampered (EscTestServer *server,
                 gint64         expected_bad_id,
                 const char    *expected_word)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *output = NULL;
  g_autofree char *expected_line = NULL;
  gint64 bad_id = 0;

  g_assert_false (esc_service_db_audit_verify (esc_test_server_get_db (server), NULL, NULL,
                                               &bad_id, &reason, &error));
  g_assert_no_error (error);
  g_test_message ("tampered: %" G_GINT64_FORMAT ": %s", bad_id, reason);
  g_assert_cmpint (bad_id, ==, expected_bad_id);
  g_assert_nonnull (strstr (reason, expected_word));

  g_assert_cmpint (run_audit_verify (server, &output), ==, 1);
  expected_line = g_strdup_printf ("TAMPERED: event %" G_GINT64_FORMAT ":", expected_bad_id);
  g_assert_true (g_str_has_prefix (output, expected_line));
}

static void
make_events (Fixture *fixture,
             guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      esc_test_request (fixture->server, "POST", "/v1/test/things", fixture->admin, NULL,
                        "{\"name\": \"x\", \"count\": 2}", NULL, &r);
      g_assert_cmpuint (r.status, ==, 201);
    }
}

static void
test_audit_verify_intact (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *head = NULL;
  g_autofree char *expected = NULL;
  gint64 count = 0;

  /* An empty log is intact. */
  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (fixture->server), &count,
                                              NULL, NULL, NULL, &error));
  g_assert_cmpint (count, ==, 0);

  make_events (fixture, 5);
  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (fixture->server), &count,
                                              &head, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 5);

  g_assert_cmpint (run_audit_verify (fixture->server, &output), ==, 0);
  expected = g_strdup_printf ("OK: 5 events, head %s\n", head);
  g_assert_cmpstr (output, ==, expected);
}

static void
test_audit_tamper_edit (Fixture       *fixture,
                        gconstpointer  data)
{
  make_events (fixture, 5);
  tamper (fixture->server, "UPDATE audit_events SET actor_name = 'someone else' WHERE id = 3");
  assert_tampered (fixture->server, 3, "edited");
}

static void
test_audit_tamper_edit_details (Fixture       *fixture,
                                gconstpointer  data)
{
  make_events (fixture, 3);
  tamper (fixture->server, "UPDATE audit_events SET at = '2020-01-01T00:00:00Z' WHERE id = 1");
  assert_tampered (fixture->server, 1, "edited");
}

static void
test_audit_tamper_delete (Fixture       *fixture,
                          gconstpointer  data)
{
  make_events (fixture, 5);
  tamper (fixture->server, "DELETE FROM audit_events WHERE id = 2");
  assert_tampered (fixture->server, 3, "deleted");
}

static void
test_audit_tamper_delete_newest (Fixture       *fixture,
                                 gconstpointer  data)
{
  make_events (fixture, 5);
  tamper (fixture->server, "DELETE FROM audit_events WHERE id = 5");
  assert_tampered (fixture->server, 5, "deleted");
}

static void
test_audit_tamper_insert (Fixture       *fixture,
                          gconstpointer  data)
{
  make_events (fixture, 4);
  /* A forged event at the end, linked to the real newest one. */
  tamper (fixture->server,
          "INSERT INTO audit_events (id, at, actor_id, actor_name, action, prev_hash, hash)"
          " SELECT 5, '2024-05-06T09:00:00Z', 1, 'admin', 'test.thing-created', hash, hash"
          " FROM audit_events WHERE id = 4");
  assert_tampered (fixture->server, 5, "edited");
}

static void
test_audit_tamper_insert_renumbered (Fixture       *fixture,
                                     gconstpointer  data)
{
  make_events (fixture, 4);
  /* Room made in the middle: every later id moves up by one. */
  tamper (fixture->server,
          "UPDATE audit_events SET id = id + 100 WHERE id >= 3;"
          "UPDATE audit_events SET id = id - 99 WHERE id >= 100;"
          "INSERT INTO audit_events (id, at, action, prev_hash, hash)"
          " SELECT 3, at, 'forged', hash, hash FROM audit_events WHERE id = 2;");
  assert_tampered (fixture->server, 3, "edited");
}

static void
test_audit_tamper_rehash_newest (Fixture       *fixture,
                                 gconstpointer  data)
{
  make_events (fixture, 3);
  /* The newest row edited and given a new, self-consistent hash: the head disagrees. */
  tamper (fixture->server, "DELETE FROM audit_events WHERE id = 3");
  {
    EscServiceAuditEvent event = { 0, };
    g_autoptr(GError) error = NULL;

    /* Re-append a different event 3 with a valid link, but restore the old
     * head (kept in a table of its own: a TEMP one would be another pooled
     * connection's on PostgreSQL). */
    tamper (fixture->server, "CREATE TABLE saved AS SELECT * FROM audit_head;"
                             "UPDATE audit_head SET last_id = 2,"
                             " hash = (SELECT hash FROM audit_events WHERE id = 2)");
    event.action = "forged";
    esc_service_db_audit_append (esc_test_server_get_db (fixture->server), &event, &error);
    g_assert_no_error (error);
    tamper (fixture->server, "UPDATE audit_head SET hash = (SELECT hash FROM saved)");
  }
  assert_tampered (fixture->server, 3, "head");
}

static GDateTime *
at (const char *text)
{
  return esc_time_parse (text);
}

static void
test_clock_designations (Fixture       *fixture,
                         gconstpointer  data)
{
  EscTestServer *server = fixture->server;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expected = at ("2024-05-06T09:00:00Z");

  now = esc_service_server_dup_now (esc_test_server_get_server (server));
  g_assert_true (g_date_time_equal (now, expected));

  esc_test_server_designate (server, "staff", "escalation", "2024-05-06T10:00:00Z");

  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *designations;

    esc_test_request (server, "GET", "/v1/me", fixture->staff, NULL, NULL, NULL, &r);
    designations = json_object_get_array_member (json_node_get_object (r.body), "designations");
    g_assert_cmpuint (json_array_get_length (designations), ==, 1);
  }

  esc_test_server_advance (server, G_TIME_SPAN_HOUR);

  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *designations;

    esc_test_request (server, "GET", "/v1/me", fixture->staff, NULL, NULL, NULL, &r);
    designations = json_object_get_array_member (json_node_get_object (r.body), "designations");
    g_assert_cmpuint (json_array_get_length (designations), ==, 0);
  }
}

static void
test_parse_timestamp (void)
{
  const struct {
    const char *text;
    const char *utc;
  } cases[] = {
    { "2024-05-01T08:00:00Z", "2024-05-01T08:00:00Z" },
    { "2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00Z" },
    { "2024-05-01t08:00:00.5z", "2024-05-01T08:00:00Z" },
    { "2024-05-01T08:00:00", NULL },
    { "2024-05-01", NULL },
    { "2024-W18-3T08:00:00Z", NULL },
    { "20240501T080000Z", NULL },
    { "", NULL },
    { "2024-02-30T08:00:00Z", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) parsed = esc_time_parse (cases[i].text);

      if (cases[i].utc == NULL)
        g_assert_null (parsed);
      else
        {
          g_autofree char *text = NULL;

          g_assert_nonnull (parsed);
          text = esc_service_format_timestamp (parsed);
          g_assert_cmpstr (text, ==, cases[i].utc);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/service/framework/content-type", test_content_type);
  ADD ("/service/framework/malformed-json", test_malformed);
  ADD ("/service/framework/too-large", test_too_large);
  ADD ("/service/framework/checks", test_checks);
  ADD ("/service/framework/idempotency", test_idempotency);
  ADD ("/service/framework/idempotency-concurrent", test_idempotency_concurrent);
  ADD ("/service/framework/idempotency-retention", test_idempotency_retention);
  ADD ("/service/framework/roles", test_roles);
  ADD ("/service/framework/revoked-token-audited", test_revoked_token_audited);
  ADD ("/service/framework/revoked-token-refused-at-once", test_revoked_token_refused_at_once);
  ADD ("/service/framework/clock-designations", test_clock_designations);
  ADD ("/service/audit/paging", test_audit_paging);
  ADD ("/service/audit/verify-intact", test_audit_verify_intact);
  ADD ("/service/audit/tamper-edit", test_audit_tamper_edit);
  ADD ("/service/audit/tamper-edit-time", test_audit_tamper_edit_details);
  ADD ("/service/audit/tamper-delete", test_audit_tamper_delete);
  ADD ("/service/audit/tamper-delete-newest", test_audit_tamper_delete_newest);
  ADD ("/service/audit/tamper-insert", test_audit_tamper_insert);
  ADD ("/service/audit/tamper-insert-renumbered", test_audit_tamper_insert_renumbered);
  ADD ("/service/audit/tamper-rehash-newest", test_audit_tamper_rehash_newest);
  g_test_add_func ("/service/framework/parse-timestamp", test_parse_timestamp);

#undef ADD

  return g_test_run ();
}
