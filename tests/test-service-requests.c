/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-test-backend.h"
#include "esc-test-inprocess.h"

/* Support requests over real HTTP against an in-process escalade-service
 * with a fake clock: every endpoint with every role, the severity rules,
 * response due times, the 48-hour and 24-hour rules, idempotent filing,
 * bad input, and the audit trail. The clock starts Monday 2024-05-06 09:00Z. */

typedef struct
{
  EscTestServer *server;
  char          *admin;     /* it-admin */
  char          *staff;     /* support-staff, live escalation designation */
  char          *staff2;    /* support-staff, live escalation designation */
  char          *plain;     /* support-staff, no designation */
  char          *expired;   /* support-staff, expired escalation designation */
  char          *manager;   /* partner-manager */
  char          *ops;       /* operator */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  EscTestServer *server = fixture->server = esc_test_server_new ();

  fixture->admin = esc_test_server_create_token (server, "admin", "it-admin");
  fixture->staff = esc_test_server_create_token (server, "staff", "support-staff");
  fixture->staff2 = esc_test_server_create_token (server, "staff2", "support-staff");
  fixture->plain = esc_test_server_create_token (server, "plain", "support-staff");
  fixture->expired = esc_test_server_create_token (server, "expired", "support-staff");
  fixture->manager = esc_test_server_create_token (server, "manager", "partner-manager");
  fixture->ops = esc_test_server_create_token (server, "ops", "operator");
  esc_test_server_designate (server, "staff", "escalation", NULL);
  esc_test_server_designate (server, "staff2", "escalation", "2030-01-01T00:00:00Z");
  esc_test_server_designate (server, "expired", "escalation", "2024-05-06T08:59:59Z");
  /* An elevation designation does not allow escalating. */
  esc_test_server_designate (server, "plain", "elevation", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->admin);
  g_free (fixture->staff);
  g_free (fixture->staff2);
  g_free (fixture->plain);
  g_free (fixture->expired);
  g_free (fixture->manager);
  g_free (fixture->ops);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

static const char contact_json[] =
  "{\"given_name\": \"Camille\", \"surname\": \"Martin\", \"email\": \"camille@example.org\","
  " \"phone\": \"+33 1 23 45 67 89\", \"preferred_method\": \"email\", \"language\": \"fr\"}";

/* A request body; @extra is more members (with a leading comma) or "". */
static char *
body (const char *kind,
      const char *type,
      const char *severity,
      const char *extra)
{
  return g_strdup_printf ("{\"kind\": \"%s\", \"type\": \"%s\", \"severity\": \"%s\","
                          " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
                          " \"title\": \"Printer driver blocked by policy\","
                          " \"description\": \"Since Monday the driver is blocked.\","
                          " \"contact\": %s, \"devices\": [\"MMD-03690457680\"]%s}",
                          kind, type, severity, contact_json, extra);
}

static JsonObject *
object_of (EscTestResponse *r)
{
  g_assert_nonnull (r->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->body));
  return json_node_get_object (r->body);
}

static const char *
member (EscTestResponse *r,
        const char      *name)
{
  JsonNode *node = json_object_get_member (object_of (r), name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

static void
assert_problem (EscTestResponse *r,
                guint            status,
                const char      *type,
                const char      *field)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==,
                   "application/problem+json");
  if (type != NULL)
    g_assert_cmpstr (esc_test_problem_type (r), ==, type);
  if (field != NULL)
    g_assert_cmpstr (esc_test_problem_field (r), ==, field);
}

/* Files a request that must be accepted; returns its id. */
static char *
file_ok (Fixture    *fixture,
         const char *token,
         const char *json)
{
  g_auto(EscTestResponse) r = { 0, };

  esc_test_request (fixture->server, "POST", "/v1/support-requests", token, NULL, json, NULL, &r);
  if (r.status != 201)
    g_test_message ("%s", r.text);
  g_assert_cmpuint (r.status, ==, 201);

  return g_strdup (member (&r, "id"));
}

static char *
file_escalation (Fixture *fixture)
{
  g_autofree char *json = body ("escalation", "incident", "C", "");

  return file_ok (fixture, fixture->staff, json);
}

static char *
path_of (const char *id,
         const char *suffix)
{
  return g_strconcat ("/v1/support-requests/", id, suffix, NULL);
}

static void
get_request (Fixture         *fixture,
             const char      *token,
             const char      *id,
             EscTestResponse *r)
{
  g_autofree char *path = path_of (id, "");

  esc_test_request (fixture->server, "GET", path, token, NULL, NULL, NULL, r);
}

static void
post (Fixture         *fixture,
      const char      *token,
      const char      *id,
      const char      *suffix,
      const char      *json,
      EscTestResponse *r)
{
  g_autofree char *path = path_of (id, suffix);

  esc_test_request (fixture->server, "POST", path, token, NULL, json, NULL, r);
}

static void
set_state (Fixture    *fixture,
           const char *id,
           const char *json)
{
  g_auto(EscTestResponse) r = { 0, };

  post (fixture, fixture->ops, id, "/state", json, &r);
  if (r.status != 200)
    g_test_message ("%s", r.text);
  g_assert_cmpuint (r.status, ==, 200);
}

static const char *
state_of (Fixture    *fixture,
          const char *id)
{
  static char state[64];
  g_auto(EscTestResponse) r = { 0, };

  get_request (fixture, fixture->admin, id, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_strlcpy (state, member (&r, "state"), sizeof state);

  return state;
}

static gint64
count (Fixture    *fixture,
       const char *table)
{
  return esc_test_server_count_rows (fixture->server, table);
}

static gint64
count_audit (Fixture    *fixture,
             const char *action)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                 "SELECT count(*) FROM audit_events WHERE action = ?1", &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, action);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

/* Filing */

static void
test_create_admin (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *json = body ("admin", "incident", "A", ", \"business_impact\": \"Everyone\","
                                " \"users_or_devices_impacted\": 1200, \"end_user_support_engaged\": true");
  g_auto(EscTestResponse) r = { 0, };
  JsonObject *filed_by;

  esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->admin, NULL, json, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  g_assert_cmpstr (member (&r, "id"), ==, "SR-000001");
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Location"), ==, "/v1/support-requests/SR-000001");
  g_assert_cmpstr (member (&r, "state"), ==, "new");
  g_assert_cmpstr (member (&r, "kind"), ==, "admin");
  g_assert_cmpstr (member (&r, "severity"), ==, "A");
  g_assert_cmpstr (member (&r, "created_at"), ==, "2024-05-06T09:00:00Z");
  g_assert_cmpstr (member (&r, "updated_at"), ==, "2024-05-06T09:00:00Z");
  /* A: within 1 hour, round the clock */
  g_assert_cmpstr (member (&r, "response_due_at"), ==, "2024-05-06T10:00:00Z");
  g_assert_cmpint (json_object_get_int_member (object_of (&r), "users_or_devices_impacted"), ==, 1200);
  g_assert_true (json_object_get_boolean_member (object_of (&r), "end_user_support_engaged"));
  g_assert_null (member (&r, "resolved_at"));
  filed_by = json_object_get_object_member (object_of (&r), "filed_by");
  g_assert_cmpstr (json_object_get_string_member (filed_by, "name"), ==, "admin");
  g_assert_false (json_object_has_member (object_of (&r), "timeline"));

  g_assert_cmpint (count (fixture, "support_requests"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "support-request.created"), ==, 1);
}

static void
test_create_escalation (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *json = body ("escalation", "incident", "C", "");
  g_auto(EscTestResponse) r = { 0, };

  esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff, NULL, json, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  g_assert_cmpstr (member (&r, "kind"), ==, "escalation");
  /* C: 8 hours in admin support hours, from Monday 09:00 */
  g_assert_cmpstr (member (&r, "response_due_at"), ==, "2024-05-06T17:00:00Z");
  g_assert_null (member (&r, "engagement"));
}

static void
test_create_roles (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *escalation = body ("escalation", "incident", "C", "");
  g_autofree char *admin = body ("admin", "incident", "C", "");
  const struct {
    const char *who;
    const char *token;
    const char *json;
    guint       status;
  } cases[] = {
    { "admin files admin", fixture->admin, admin, 201 },
    { "designated staff files escalation", fixture->staff, escalation, 201 },
    { "staff with an expiring designation", fixture->staff2, escalation, 201 },
    { "admin without designation files escalation", fixture->admin, escalation, 403 },
    { "designated staff files admin", fixture->staff, admin, 403 },
    { "staff without escalation designation", fixture->plain, escalation, 403 },
    { "staff with an expired designation", fixture->expired, escalation, 403 },
    { "partner manager", fixture->manager, escalation, 403 },
    { "partner manager, admin", fixture->manager, admin, 403 },
    { "operator", fixture->ops, admin, 403 },
    { "no token", NULL, admin, 401 },
  };
  gint64 refused = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      g_test_message ("%s", cases[i].who);
      esc_test_request (fixture->server, "POST", "/v1/support-requests", cases[i].token, NULL,
                        cases[i].json, NULL, &r);
      g_assert_cmpuint (r.status, ==, cases[i].status);
      if (cases[i].status == 403)
        {
          assert_problem (&r, 403, "forbidden", NULL);
          refused++;
        }
    }

  g_assert_cmpint (count (fixture, "support_requests"), ==, 3);
  /* Every refusal is audited. */
  g_assert_cmpint (count_audit (fixture, "authorization.refused"), ==, refused);
}

static void
test_severity_rules (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *expected_detail =
    "Escalations can only be severity C. An IT administrator must file other severities as "
    "an admin support request.";
  const char * const severities[] = { "A", "B" };

  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    {
      g_autofree char *json = body ("escalation", "incident", severities[i],
                                    i == 1 ? ", \"engagement\": \"admin-hours\"" : "");
      g_auto(EscTestResponse) r = { 0, };

      esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff, NULL, json, NULL, &r);
      assert_problem (&r, 422, "escalation-severity", "/severity");
      g_assert_cmpstr (member (&r, "detail"), ==, expected_detail);
    }

  /* Change requests are always C, even for an IT administrator. */
  {
    g_autofree char *json = body ("admin", "change-request", "A", "");
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->admin, NULL, json, NULL, &r);
    assert_problem (&r, 422, "change-request-severity", "/severity");
  }
  {
    g_autofree char *json = body ("escalation", "change-request", "C", "");

    g_free (file_ok (fixture, fixture->staff, json));
  }

  /* B needs an engagement; A and C have none. */
  {
    g_autofree char *json = body ("admin", "incident", "B", "");
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->admin, NULL, json, NULL, &r);
    assert_problem (&r, 422, "engagement", "/engagement");
  }
  {
    g_autofree char *json = body ("admin", "incident", "C", ", \"engagement\": \"24x7\"");
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->admin, NULL, json, NULL, &r);
    assert_problem (&r, 422, "engagement", "/engagement");
  }

  g_assert_cmpint (count (fixture, "support_requests"), ==, 1);
}

static void
assert_due (Fixture    *fixture,
            const char *now,
            const char *severity,
            const char *extra,
            const char *expected)
{
  g_autofree char *json = body ("admin", "incident", severity, extra);
  g_auto(EscTestResponse) r = { 0, };

  esc_test_server_set_now (fixture->server, now);
  esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->admin, NULL, json, NULL, &r);
  g_assert_cmpuint (r.status, ==, 201);
  g_test_message ("%s %s%s → %s", now, severity, extra, member (&r, "response_due_at"));
  g_assert_cmpstr (member (&r, "response_due_at"), ==, expected);
}

static void
test_response_due (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Friday 23:00 UTC */
  assert_due (fixture, "2024-05-10T23:00:00Z", "A", "", "2024-05-11T00:00:00Z");
  assert_due (fixture, "2024-05-10T23:00:00Z", "B", ", \"engagement\": \"admin-hours\"", "2024-05-13T03:00:00Z");
  assert_due (fixture, "2024-05-10T23:00:00Z", "B", ", \"engagement\": \"24x7\"", "2024-05-11T03:00:00Z");
  assert_due (fixture, "2024-05-10T23:00:00Z", "C", "", "2024-05-13T07:00:00Z");
  /* Saturday: B and C start on Monday 00:00; A runs. */
  assert_due (fixture, "2024-05-11T10:00:00Z", "C", "", "2024-05-13T08:00:00Z");
  assert_due (fixture, "2024-05-11T10:00:00Z", "B", ", \"engagement\": \"admin-hours\"", "2024-05-13T04:00:00Z");
  assert_due (fixture, "2024-05-11T10:00:00Z", "A", "", "2024-05-11T11:00:00Z");
  /* An offset in the clock does not matter: times are UTC. */
  assert_due (fixture, "2024-05-08T10:00:00+02:00", "C", "", "2024-05-08T16:00:00Z");
}

static void
test_response_due_is_data (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The severity table is data: change C to 2 hours round the clock. */
  esc_service_db_exec (esc_test_server_get_db (fixture->server),
                       "UPDATE settings SET value = '120' WHERE key = 'support.response-minutes.C';"
                       "UPDATE settings SET value = '24x7' WHERE key = 'support.coverage.C';",
                       &error);
  g_assert_no_error (error);
  assert_due (fixture, "2024-05-11T10:00:00Z", "C", "", "2024-05-11T12:00:00Z");
}

/* Bad input: never a crash, never a partial write */

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *good = body ("escalation", "incident", "C", "");
  g_autofree char *wrong_type = body ("escalation", "incident", "C", ", \"users_or_devices_impacted\": \"12\"");
  g_autofree char *unknown_enum = body ("escalation", "question", "C", "");
  g_autofree char *unknown_member = body ("escalation", "incident", "C", ", \"priority\": 1");
  g_autofree char *null_required = body ("escalation", "incident", "C", ", \"title\": null");
  g_autoptr(GString) long_title = g_string_new (NULL);
  g_autofree char *overlong = NULL;
  g_autofree char *bad_email = NULL;
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(GString) deep = g_string_new (NULL);

  for (guint i = 0; i < 201; i++)
    g_string_append (long_title, "x");
  overlong = g_strdup_printf ("{\"kind\": \"escalation\", \"type\": \"incident\", \"severity\": \"C\","
                              " \"category\": \"devices\", \"subcategory\": \"x\", \"title\": \"%s\","
                              " \"description\": \"d\", \"contact\": %s}", long_title->str, contact_json);
  bad_email = g_strdup_printf ("{\"kind\": \"escalation\", \"type\": \"incident\", \"severity\": \"C\","
                               " \"category\": \"devices\", \"subcategory\": \"x\", \"title\": \"t\","
                               " \"description\": \"d\", \"contact\": {\"given_name\": \"C\","
                               " \"surname\": \"M\", \"email\": \"nobody\", \"phone\": \"1\","
                               " \"preferred_method\": \"email\", \"language\": \"fr\"}}");
  g_string_append (huge, "{\"title\": \"");
  while (huge->len < 1024 * 1024 + 10)
    g_string_append (huge, "abcdefghijklmnop");
  g_string_append (huge, "\"}");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');

  {
    const struct {
      const char *what;
      const char *content_type;
      const char *json;
      guint       status;
      const char *type;
      const char *field;
    } cases[] = {
      { "text/plain", "text/plain", good, 415, "unsupported-media-type", NULL },
      { "no type", "application/octet-stream", good, 415, "unsupported-media-type", NULL },
      { "malformed", NULL, "{\"kind\": \"escalation\",", 400, "malformed-json", NULL },
      { "an array", NULL, "[]", 400, "malformed-json", NULL },
      { "too deep", NULL, deep->str, 400, "malformed-json", NULL },
      { "too large", NULL, huge->str, 413, "payload-too-large", NULL },
      { "wrong type", NULL, wrong_type, 422, "invalid-field", "/users_or_devices_impacted" },
      { "unknown enum value", NULL, unknown_enum, 422, "invalid-field", "/type" },
      { "unknown member", NULL, unknown_member, 422, "invalid-field", "/priority" },
      { "null required", NULL, null_required, 422, "invalid-field", "/title" },
      { "overlong string", NULL, overlong, 422, "invalid-field", "/title" },
      { "bad email", NULL, bad_email, 422, "invalid-field", "/contact/email" },
      { "empty object", NULL, "{}", 422, "invalid-field", "/kind" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        g_test_message ("%s", cases[i].what);
        esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff,
                          cases[i].content_type, cases[i].json, NULL, &r);
        assert_problem (&r, cases[i].status, cases[i].type, cases[i].field);
      }
  }

  /* Nothing was written, and the service still answers. */
  g_assert_cmpint (count (fixture, "support_requests"), ==, 0);
  g_assert_cmpint (count (fixture, "support_request_events"), ==, 0);
  g_assert_cmpint (count (fixture, "idempotency_keys"), ==, 0);
  g_assert_cmpint (count (fixture, "audit_events"), ==, 0);
  g_free (file_ok (fixture, fixture->staff, good));
}

/* The problem cannot have been noticed after it is filed; a few minutes
 * ahead of the service's clock pass (the app's clock may be ahead). */
static void
test_first_noticed_in_future (Fixture       *fixture,
                              gconstpointer  data)
{
  struct {
    const char *noticed;
    guint       status;
  } cases[] = {
    { "2024-05-07T09:00:00Z", 422 },  /* tomorrow */
    { "2024-05-06T09:06:00Z", 422 },  /* 6 minutes ahead */
    { "2024-05-06T09:04:00Z", 201 },  /* 4 minutes ahead: another clock */
    { "2024-05-06T08:30:00Z", 201 },
  };

  esc_test_server_set_now (fixture->server, "2024-05-06T09:00:00Z");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *extra = g_strdup_printf (", \"first_noticed_at\": \"%s\"", cases[i].noticed);
      g_autofree char *json = body ("admin", "incident", "C", extra);
      g_auto(EscTestResponse) r = { 0, };

      g_test_message ("first noticed %s", cases[i].noticed);
      esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->admin, NULL, json, NULL, &r);
      if (cases[i].status == 201)
        g_assert_cmpuint (r.status, ==, 201);
      else
        {
          assert_problem (&r, 422, "invalid-field", "/first_noticed_at");
          g_assert_nonnull (strstr (member (&r, "detail"), "future"));
        }
    }

  g_assert_cmpint (count (fixture, "support_requests"), ==, 2);
}

/* Listing */

static JsonArray *
items_of (EscTestResponse *r)
{
  return json_object_get_array_member (object_of (r), "items");
}

static guint
list_count (Fixture    *fixture,
            const char *token,
            const char *query)
{
  g_autofree char *path = g_strconcat ("/v1/support-requests", query, NULL);
  g_auto(EscTestResponse) r = { 0, };

  esc_test_request (fixture->server, "GET", path, token, NULL, NULL, NULL, &r);
  g_assert_cmpuint (r.status, ==, 200);

  return json_array_get_length (items_of (&r));
}

static void
test_list_visibility (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *admin_json = body ("admin", "incident", "C", "");

  g_free (file_escalation (fixture));
  g_free (file_escalation (fixture));
  g_free (file_ok (fixture, fixture->admin, admin_json));
  {
    g_autofree char *json = body ("escalation", "incident", "C", "");
    g_free (file_ok (fixture, fixture->staff2, json));
  }

  g_assert_cmpuint (list_count (fixture, fixture->admin, ""), ==, 4);
  g_assert_cmpuint (list_count (fixture, fixture->ops, ""), ==, 4);
  g_assert_cmpuint (list_count (fixture, fixture->staff, ""), ==, 2);
  g_assert_cmpuint (list_count (fixture, fixture->staff2, ""), ==, 1);
  g_assert_cmpuint (list_count (fixture, fixture->plain, ""), ==, 0);
  g_assert_cmpuint (list_count (fixture, fixture->manager, ""), ==, 0);

  /* Items have no timeline. */
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "GET", "/v1/support-requests", fixture->staff, NULL, NULL, NULL, &r);
    g_assert_false (json_object_has_member (json_array_get_object_element (items_of (&r), 0), "timeline"));
    g_assert_true (json_object_get_null_member (object_of (&r), "next_cursor"));
  }
}

static void
test_list_paging (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  /* Five requests, two of them in the same second. */
  for (guint i = 0; i < 5; i++)
    {
      if (i != 2)
        esc_test_server_advance (fixture->server, G_TIME_SPAN_MINUTE);
      g_ptr_array_add (ids, file_escalation (fixture));
    }

  do
    {
      g_auto(EscTestResponse) r = { 0, };
      g_autofree char *path = NULL;
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, TRUE) : NULL;
      JsonArray *items;

      path = g_strdup_printf ("/v1/support-requests?limit=2%s%s", escaped ? "&cursor=" : "",
                              escaped ? escaped : "");
      esc_test_request (fixture->server, "GET", path, fixture->staff, NULL, NULL, NULL, &r);
      g_assert_cmpuint (r.status, ==, 200);
      items = items_of (&r);
      g_assert_cmpuint (json_array_get_length (items), <=, 2);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (seen, g_strdup (json_object_get_string_member (json_array_get_object_element (items, i), "id")));

      g_clear_pointer (&cursor, g_free);
      if (!json_object_get_null_member (object_of (&r), "next_cursor"))
        cursor = g_strdup (json_object_get_string_member (object_of (&r), "next_cursor"));
      pages++;
    }
  while (cursor != NULL);

  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (g_ptr_array_index (seen, i), ==, g_ptr_array_index (ids, i));

  /* An update moves a request to the end of the sync order. */
  esc_test_server_advance (fixture->server, G_TIME_SPAN_MINUTE);
  set_state (fixture, g_ptr_array_index (ids, 0), "{\"state\": \"in-progress\"}");
  g_assert_cmpuint (list_count (fixture, fixture->staff, "?updated_since=2024-05-06T09:05:00Z"), ==, 1);
  g_assert_cmpuint (list_count (fixture, fixture->staff, "?updated_since=2024-05-06T09:04:00Z"), ==, 2);
  g_assert_cmpuint (list_count (fixture, fixture->staff, "?updated_since=2024-05-06T11:04:00%2B02:00"), ==, 2);
  g_assert_cmpuint (list_count (fixture, fixture->staff, "?state=in-progress"), ==, 1);
  g_assert_cmpuint (list_count (fixture, fixture->staff, "?state=in-progress&state=new"), ==, 5);
  g_assert_cmpuint (list_count (fixture, fixture->staff, "?state=closed"), ==, 0);
}

static void
test_list_bad_query (Fixture       *fixture,
                     gconstpointer  data)
{
  const char * const queries[] = {
    "?limit=0", "?limit=501", "?limit=ten", "?cursor=nonsense!", "?cursor=YWJj",
    "?updated_since=yesterday", "?state=open", "?sort=title",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strconcat ("/v1/support-requests", queries[i], NULL);
      g_auto(EscTestResponse) r = { 0, };

      esc_test_request (fixture->server, "GET", path, fixture->admin, NULL, NULL, NULL, &r);
      assert_problem (&r, 400, "invalid-query", NULL);
    }
}

/* One request */

static void
test_get (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);
  const struct {
    const char *token;
    guint       status;
  } cases[] = {
    { fixture->staff, 200 },
    { fixture->admin, 200 },
    { fixture->ops, 200 },
    { fixture->staff2, 404 },
    { fixture->plain, 404 },
    { fixture->manager, 404 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      get_request (fixture, cases[i].token, id, &r);
      g_assert_cmpuint (r.status, ==, cases[i].status);
      if (r.status == 200)
        {
          JsonArray *timeline = json_object_get_array_member (object_of (&r), "timeline");
          JsonObject *created = json_array_get_object_element (timeline, 0);

          g_assert_cmpuint (json_array_get_length (timeline), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (created, "kind"), ==, "created");
          g_assert_cmpstr (json_object_get_string_member (created, "to_state"), ==, "new");
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created, "actor"), "name"),
                           ==, "staff");
        }
      else
        assert_problem (&r, 404, "not-found", NULL);
    }

  {
    const char * const missing[] = { "SR-999999", "SR-1", "123", "SR-00000x", "SR-000000" };

    for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        get_request (fixture, fixture->admin, missing[i], &r);
        assert_problem (&r, 404, "not-found", NULL);
      }
  }
}

/* Editing */

static void
patch (Fixture         *fixture,
       const char      *token,
       const char      *id,
       const char      *content_type,
       const char      *json,
       EscTestResponse *r)
{
  g_autofree char *path = path_of (id, "");

  esc_test_request (fixture->server, "PATCH", path, token, content_type, json, NULL, r);
}

static void
test_patch (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);
  g_autofree char *new_contact = g_strdup_printf ("{\"contact\": {\"given_name\": \"Dominique\","
                                                  " \"surname\": \"Durand\", \"email\": \"d@example.org\","
                                                  " \"phone\": \"+33 6 00 00 00 00\", \"preferred_method\": \"phone\","
                                                  " \"language\": \"fr\"}, \"notes\": \"Call after 10:00.\","
                                                  " \"attachments\": [\"trace.etl\"]}");

  esc_test_server_advance (fixture->server, G_TIME_SPAN_MINUTE);

  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *timeline;

    patch (fixture, fixture->staff, id, "application/merge-patch+json", new_contact, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object_of (&r), "contact"),
                                                    "given_name"), ==, "Dominique");
    g_assert_cmpstr (member (&r, "notes"), ==, "Call after 10:00.");
    g_assert_cmpstr (member (&r, "updated_at"), ==, "2024-05-06T09:01:00Z");
    timeline = json_object_get_array_member (object_of (&r), "timeline");
    g_assert_cmpuint (json_array_get_length (timeline), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 1), "kind"),
                     ==, "contact-changed");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 2), "kind"),
                     ==, "notes-changed");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 3), "kind"),
                     ==, "attachments-changed");
  }

  /* The same again changes nothing: no new event. */
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->staff, id, NULL, new_contact, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (&r), "timeline")), ==, 4);
  }

  /* An escalation stays severity C, for its filer and for an IT administrator. */
  {
    const char * const tokens[] = { fixture->staff, fixture->admin };

    for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        patch (fixture, tokens[i], id, NULL, "{\"severity\": \"A\"}", &r);
        assert_problem (&r, 422, "escalation-severity", "/severity");
      }
  }

  /* Who may edit */
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->ops, id, NULL, "{\"notes\": \"x\"}", &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->staff2, id, NULL, "{\"notes\": \"x\"}", &r);
    assert_problem (&r, 404, "not-found", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->admin, id, NULL, "{\"notes\": null}", &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_null (member (&r, "notes"));
  }

  /* Bad patches */
  {
    const struct {
      const char *content_type;
      const char *json;
      guint       status;
      const char *field;
    } cases[] = {
      { NULL, "{}", 422, "" },
      { NULL, "{\"title\": \"new\"}", 422, "/title" },
      { NULL, "{\"state\": \"closed\"}", 422, "/state" },
      { NULL, "{\"severity\": \"D\"}", 422, "/severity" },
      { NULL, "{\"contact\": {\"given_name\": \"x\"}}", 422, "/contact/surname" },
      { NULL, "{\"attachments\": [1]}", 422, "/attachments/0" },
      { NULL, "{\"notes\": 5}", 422, "/notes" },
      { "text/plain", "{\"notes\": \"x\"}", 415, NULL },
      { NULL, "{\"notes\": ", 400, NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        patch (fixture, fixture->staff, id, cases[i].content_type, cases[i].json, &r);
        assert_problem (&r, cases[i].status, NULL, cases[i].field);
      }
  }
}

static void
test_patch_severity (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *json = body ("admin", "incident", "C", "");
  g_autofree char *id = file_ok (fixture, fixture->admin, json);

  /* To B: an engagement is needed; the due time follows, from filing. */
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->admin, id, NULL, "{\"severity\": \"B\"}", &r);
    assert_problem (&r, 422, "engagement", "/engagement");
  }
  esc_test_server_advance (fixture->server, 30 * G_TIME_SPAN_MINUTE);
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *timeline;
    JsonObject *event;

    patch (fixture, fixture->admin, id, NULL, "{\"severity\": \"B\", \"engagement\": \"24x7\"}", &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (member (&r, "severity"), ==, "B");
    g_assert_cmpstr (member (&r, "engagement"), ==, "24x7");
    g_assert_cmpstr (member (&r, "response_due_at"), ==, "2024-05-06T13:00:00Z");
    timeline = json_object_get_array_member (object_of (&r), "timeline");
    event = json_array_get_object_element (timeline, 1);
    g_assert_cmpstr (json_object_get_string_member (event, "kind"), ==, "severity-changed");
    g_assert_cmpstr (json_object_get_string_member (event, "from_severity"), ==, "C");
    g_assert_cmpstr (json_object_get_string_member (event, "to_severity"), ==, "B");
  }
  /* Back to A: the engagement goes. */
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->admin, id, NULL, "{\"severity\": \"A\"}", &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_null (member (&r, "engagement"));
    g_assert_cmpstr (member (&r, "response_due_at"), ==, "2024-05-06T10:00:00Z");
  }
}

static void
test_patch_not_open (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *resolved = file_escalation (fixture);
  g_autofree char *closed = file_escalation (fixture);

  set_state (fixture, resolved, "{\"state\": \"resolved\"}");
  set_state (fixture, closed, "{\"state\": \"closed\"}");

  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->staff, resolved, NULL, "{\"notes\": \"more\"}", &r);
    assert_problem (&r, 409, "request-resolved", NULL);
    g_assert_nonnull (strstr (member (&r, "detail"), "cannot be edited; reactivate it within 24 hours"));
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->admin, closed, NULL, "{\"notes\": \"more\"}", &r);
    assert_problem (&r, 409, "request-closed", NULL);
  }
}

/* Comments */

static void
test_comments (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);
  const struct {
    const char *token;
    guint       status;
  } cases[] = {
    { fixture->staff, 201 },
    { fixture->admin, 201 },
    { fixture->ops, 201 },
    { fixture->staff2, 404 },
    { fixture->manager, 404 },
    { fixture->plain, 404 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      post (fixture, cases[i].token, id, "/comments", "{\"text\": \"Logs attached.\"}", &r);
      g_assert_cmpuint (r.status, ==, cases[i].status);
      if (r.status == 201)
        {
          g_assert_cmpstr (member (&r, "kind"), ==, "comment");
          g_assert_cmpstr (member (&r, "text"), ==, "Logs attached.");
        }
    }

  {
    const char * const bad[] = { "{}", "{\"text\": \"\"}", "{\"text\": 1}", "{\"text\": \"x\", \"to\": 1}" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        post (fixture, fixture->staff, id, "/comments", bad[i], &r);
        assert_problem (&r, 422, "invalid-field", NULL);
      }
  }

  /* A comment is idempotent too. */
  {
    const char * const key[] = { "Idempotency-Key", "comment-1", NULL };
    g_autofree char *path = path_of (id, "/comments");
    EscTestResponse r[4];
    gint64 before = count (fixture, "support_request_events");

    esc_test_request_concurrently (fixture->server, G_N_ELEMENTS (r), "POST", path, fixture->staff,
                                   "{\"text\": \"Once.\"}", key, r);
    for (guint i = 0; i < G_N_ELEMENTS (r); i++)
      {
        g_assert_cmpuint (r[i].status, ==, 201);
        g_assert_cmpstr (r[i].text, ==, r[0].text);
      }
    for (guint i = 0; i < G_N_ELEMENTS (r); i++)
      esc_test_response_clear (&r[i]);
    g_assert_cmpint (count (fixture, "support_request_events"), ==, before + 1);
  }

  set_state (fixture, id, "{\"state\": \"closed\"}");
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff, id, "/comments", "{\"text\": \"Hello?\"}", &r);
    assert_problem (&r, 409, "request-closed", NULL);
  }
}

/* The operations team */

static void
test_state (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);

  /* Only operators */
  {
    const char * const tokens[] = { fixture->admin, fixture->staff, fixture->manager };

    for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        post (fixture, tokens[i], id, "/state", "{\"state\": \"in-progress\"}", &r);
        assert_problem (&r, 403, "forbidden", NULL);
      }
  }

  esc_test_server_advance (fixture->server, 20 * G_TIME_SPAN_MINUTE);
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *timeline;

    post (fixture, fixture->ops, id, "/state",
          "{\"state\": \"in-progress\", \"text\": \"Looking into it.\","
          " \"next_action_owner\": \"operations\", \"next_action_at\": \"2024-05-06T12:00:00Z\"}", &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (member (&r, "state"), ==, "in-progress");
    g_assert_cmpstr (member (&r, "next_action_owner"), ==, "operations");
    g_assert_cmpstr (member (&r, "next_action_at"), ==, "2024-05-06T12:00:00Z");
    timeline = json_object_get_array_member (object_of (&r), "timeline");
    g_assert_cmpuint (json_array_get_length (timeline), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 1), "kind"), ==, "assigned");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 2), "kind"), ==, "state-changed");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 2), "text"), ==, "Looking into it.");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, 3), "kind"), ==, "next-action-set");
  }

  {
    const char * const bad[] = {
      "{}", "{\"text\": \"only text\"}", "{\"state\": \"new\"}", "{\"state\": \"done\"}",
      "{\"next_action_owner\": \"someone\"}", "{\"next_action_at\": \"soon\"}", "{\"state\": 1}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        post (fixture, fixture->ops, id, "/state", bad[i], &r);
        assert_problem (&r, 422, "invalid-field", NULL);
      }
  }

  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->ops, id, "/state", "{\"state\": \"resolved\"}", &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (member (&r, "resolved_at"), ==, "2024-05-06T09:20:00Z");
    g_assert_null (member (&r, "next_action_owner"));
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->ops, "SR-999999", "/state", "{\"state\": \"resolved\"}", &r);
    assert_problem (&r, 404, "not-found", NULL);
  }

  g_assert_cmpint (count_audit (fixture, "support-request.state-changed"), ==, 2);
}

/* The 48-hour rule */

static void
test_unresponsive_closed (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);
  g_auto(EscTestResponse) r = { 0, };
  JsonArray *timeline;
  guint n;

  esc_test_server_advance (fixture->server, G_TIME_SPAN_HOUR);
  set_state (fixture, id, "{\"state\": \"waiting-on-customer\", \"text\": \"Please send the logs.\"}");

  esc_test_server_advance (fixture->server, 47 * G_TIME_SPAN_HOUR);
  g_assert_cmpstr (state_of (fixture, id), ==, "waiting-on-customer");

  esc_test_server_advance (fixture->server, G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);
  get_request (fixture, fixture->staff, id, &r);
  g_assert_cmpuint (r.status, ==, 200);
  g_assert_cmpstr (member (&r, "state"), ==, "closed");
  /* Closed when the 48 hours ran out (Wednesday 10:00), seen a minute later. */
  g_assert_cmpstr (member (&r, "closed_at"), ==, "2024-05-08T10:00:00Z");
  g_assert_cmpstr (member (&r, "updated_at"), ==, "2024-05-08T10:01:00Z");
  timeline = json_object_get_array_member (object_of (&r), "timeline");
  n = json_array_get_length (timeline);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, n - 2), "to_state"),
                   ==, "mitigated");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, n - 1), "to_state"),
                   ==, "closed");
  g_assert_true (json_object_get_null_member (json_array_get_object_element (timeline, n - 1), "actor"));
  g_assert_cmpint (count_audit (fixture, "support-request.closed-unresponsive"), ==, 1);
}

static void
test_unresponsive_answered (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *answered = file_escalation (fixture);
  g_autofree char *asked_again = file_escalation (fixture);

  set_state (fixture, answered, "{\"state\": \"waiting-on-customer\"}");
  set_state (fixture, asked_again, "{\"state\": \"waiting-on-customer\"}");

  esc_test_server_advance (fixture->server, 40 * G_TIME_SPAN_HOUR);
  {
    g_auto(EscTestResponse) r = { 0, };

    /* The filer answers: back to the operations team. */
    post (fixture, fixture->staff, answered, "/comments", "{\"text\": \"Logs attached.\"}", &r);
    g_assert_cmpuint (r.status, ==, 201);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    /* The operator asks again: the 48 hours restart. */
    post (fixture, fixture->ops, asked_again, "/comments", "{\"text\": \"Still need the logs.\"}", &r);
    g_assert_cmpuint (r.status, ==, 201);
  }

  esc_test_server_advance (fixture->server, 20 * G_TIME_SPAN_HOUR);
  g_assert_cmpstr (state_of (fixture, answered), ==, "in-progress");
  g_assert_cmpstr (state_of (fixture, asked_again), ==, "waiting-on-customer");

  esc_test_server_advance (fixture->server, 29 * G_TIME_SPAN_HOUR);
  g_assert_cmpstr (state_of (fixture, answered), ==, "in-progress");
  g_assert_cmpstr (state_of (fixture, asked_again), ==, "closed");
}

static void
test_unresponsive_housekeeping (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;

  set_state (fixture, id, "{\"state\": \"waiting-on-customer\"}");
  esc_test_server_advance (fixture->server, 49 * G_TIME_SPAN_HOUR);

  /* The timer's work, without any request being read. */
  esc_service_server_run_housekeeping (esc_test_server_get_server (fixture->server), &error);
  g_assert_no_error (error);

  stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                 "SELECT state FROM support_requests", &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  g_assert_cmpstr (esc_service_stmt_column_text (stmt, 0), ==, "closed");
}

/* Reactivation within 24 hours */

static void
test_reactivate (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);

  /* Not resolved yet */
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff, id, "/reactivate", NULL, &r);
    assert_problem (&r, 409, "not-resolved", NULL);
  }

  set_state (fixture, id, "{\"state\": \"resolved\"}");
  esc_test_server_advance (fixture->server, 23 * G_TIME_SPAN_HOUR);

  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->ops, id, "/reactivate", NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff2, id, "/reactivate", NULL, &r);
    assert_problem (&r, 404, "not-found", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *timeline;
    JsonObject *last;

    post (fixture, fixture->staff, id, "/reactivate", "{\"reason\": \"It broke again.\"}", &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (member (&r, "state"), ==, "in-progress");
    g_assert_null (member (&r, "resolved_at"));
    timeline = json_object_get_array_member (object_of (&r), "timeline");
    last = json_array_get_object_element (timeline, json_array_get_length (timeline) - 1);
    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "reactivated");
    g_assert_cmpstr (json_object_get_string_member (last, "text"), ==, "It broke again.");
  }

  /* Resolved again; 24 hours and a second later it is too late. */
  set_state (fixture, id, "{\"state\": \"resolved\"}");
  esc_test_server_advance (fixture->server, 24 * G_TIME_SPAN_HOUR);
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->admin, id, "/reactivate", NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  set_state (fixture, id, "{\"state\": \"resolved\"}");
  esc_test_server_advance (fixture->server, 24 * G_TIME_SPAN_HOUR + G_TIME_SPAN_SECOND);
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff, id, "/reactivate", NULL, &r);
    assert_problem (&r, 409, "reactivation-window-passed", NULL);
    g_assert_cmpstr (state_of (fixture, id), ==, "resolved");
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff, id, "/reactivate", "{\"reason\": 3}", &r);
    assert_problem (&r, 422, "invalid-field", "/reason");
  }
}

/* Idempotent filing */

static void
test_idempotent_create (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *json = body ("escalation", "incident", "C", "");
  g_autofree char *other = body ("escalation", "request-for-information", "C", "");
  const char * const key[] = { "Idempotency-Key", "7d8a9f3e-aaaa-4bbb-8ccc-0123456789ab", NULL };
  EscTestResponse r[10];

  esc_test_request_concurrently (fixture->server, G_N_ELEMENTS (r), "POST", "/v1/support-requests",
                                 fixture->staff, json, key, r);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      g_assert_cmpuint (r[i].status, ==, 201);
      g_assert_cmpstr (r[i].text, ==, r[0].text);
      g_assert_cmpstr (soup_message_headers_get_one (r[i].headers, "Location"), ==,
                       "/v1/support-requests/SR-000001");
    }
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    esc_test_response_clear (&r[i]);

  g_assert_cmpint (count (fixture, "support_requests"), ==, 1);
  g_assert_cmpint (count (fixture, "support_request_events"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "support-request.created"), ==, 1);

  /* A day later, the same key still answers the same. */
  esc_test_server_advance (fixture->server, G_TIME_SPAN_DAY);
  {
    g_auto(EscTestResponse) again = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff, NULL, json, key, &again);
    g_assert_cmpuint (again.status, ==, 201);
    g_assert_cmpstr (member (&again, "id"), ==, "SR-000001");
    g_assert_cmpstr (member (&again, "created_at"), ==, "2024-05-06T09:00:00Z");
  }
  {
    g_auto(EscTestResponse) reused = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff, NULL, other, key, &reused);
    assert_problem (&reused, 422, "idempotency-key-reused", NULL);
  }
  g_assert_cmpint (count (fixture, "support_requests"), ==, 1);
}

/* The filing claims its key before it checks anything
 * (ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST): a repeat gets the first answer
 * even when the rules would now refuse it, and a refusal keeps no claim. */
static void
test_idempotent_create_rules_changed (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *json = body ("escalation", "incident", "C", "");
  g_autofree char *too_severe = body ("escalation", "incident", "A", "");
  const char * const key[] = { "Idempotency-Key", "rules-changed-1", NULL };
  const char * const key2[] = { "Idempotency-Key", "rules-changed-2", NULL };
  const char * const key3[] = { "Idempotency-Key", "rules-changed-3", NULL };
  g_auto(EscTestResponse) first = { 0, };
  g_auto(EscTestResponse) refused = { 0, };
  g_auto(EscTestResponse) fixed = { 0, };
  g_auto(EscTestResponse) again = { 0, };
  g_auto(EscTestResponse) now_refused = { 0, };
  g_autofree char *staff3 = esc_test_server_create_token (fixture->server, "staff3", "support-staff");

  /* An escalation designation that ends in an hour */
  esc_test_server_designate (fixture->server, "staff3", "escalation", "2024-05-06T10:00:00Z");
  esc_test_request (fixture->server, "POST", "/v1/support-requests", staff3, NULL, json, key, &first);
  g_assert_cmpuint (first.status, ==, 201);

  /* A refusal keeps nothing under its key: fixed, it is filed */
  esc_test_request (fixture->server, "POST", "/v1/support-requests", staff3, NULL, too_severe, key2,
                    &refused);
  assert_problem (&refused, 422, "escalation-severity", "/severity");
  esc_test_request (fixture->server, "POST", "/v1/support-requests", staff3, NULL, json, key2, &fixed);
  g_assert_cmpuint (fixed.status, ==, 201);
  g_assert_null (soup_message_headers_get_one (fixed.headers, "Idempotent-Replayed"));
  g_assert_cmpstr (member (&fixed, "id"), !=, member (&first, "id"));

  /* Two hours on, the designation has ended: the first filing's repeat is
   * still answered as it was, a new filing is refused */
  esc_test_server_advance (fixture->server, 2 * G_TIME_SPAN_HOUR);
  esc_test_request (fixture->server, "POST", "/v1/support-requests", staff3, NULL, json, key, &again);
  g_assert_cmpuint (again.status, ==, 201);
  g_assert_cmpstr (again.text, ==, first.text);
  g_assert_cmpstr (soup_message_headers_get_one (again.headers, "Idempotent-Replayed"), ==, "true");
  esc_test_request (fixture->server, "POST", "/v1/support-requests", staff3, NULL, json, key3,
                    &now_refused);
  assert_problem (&now_refused, 403, "forbidden", NULL);

  g_assert_cmpint (count (fixture, "support_requests"), ==, 2);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "idempotency_keys"), ==, 2);
}

/* Group commit: requests arriving together share one transaction, but each
 * gets its own answer and a refused one writes nothing. */
static void
test_group_commit_mixed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *good = body ("escalation", "incident", "C", "");
  g_autofree char *too_severe = body ("escalation", "incident", "A", "");
  g_autofree char *admin = body ("admin", "incident", "B", ", \"engagement\": \"24x7\"");
  const char * const key[] = { "Idempotency-Key", "mixed-1", NULL };
  const EscTestRequest requests[] = {
    { "POST", "/v1/support-requests", fixture->staff, NULL, good, NULL },
    { "POST", "/v1/support-requests", fixture->staff, NULL, too_severe, NULL },
    { "POST", "/v1/support-requests", fixture->plain, NULL, good, NULL },
    { "POST", "/v1/support-requests", fixture->admin, NULL, admin, key },
    { "POST", "/v1/support-requests", fixture->admin, NULL, admin, key },
    { "POST", "/v1/support-requests", fixture->staff2, NULL, "{\"kind\": ", NULL },
    { "POST", "/v1/support-requests", fixture->staff2, NULL, good, NULL },
    { "GET", "/v1/support-requests", fixture->admin, NULL, NULL, NULL },
  };
  const guint expected[] = { 201, 422, 403, 201, 201, 400, 201, 200 };
  EscTestResponse r[G_N_ELEMENTS (requests)];

  esc_test_request_all (fixture->server, G_N_ELEMENTS (requests), requests, r);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    g_assert_cmpuint (r[i].status, ==, expected[i]);
  g_assert_cmpstr (r[3].text, ==, r[4].text);
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    esc_test_response_clear (&r[i]);

  g_assert_cmpint (count (fixture, "support_requests"), ==, 3);
  g_assert_cmpint (count (fixture, "support_request_events"), ==, 3);
  g_assert_cmpint (count_audit (fixture, "support-request.created"), ==, 3);
  g_assert_cmpint (count_audit (fixture, "authorization.refused"), ==, 1);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (fixture->server), NULL, NULL,
                                                NULL, NULL, &error));
  }
}

/* A database that refuses to write: a 500 problem, nothing half-written,
 * and the service carries on once the database is back. */
static void
test_database_failure (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *json = body ("escalation", "incident", "C", "");
  const char * const key[] = { "Idempotency-Key", "during-failure", NULL };
  g_autoptr(GError) error = NULL;
  EscServiceDb *db = esc_test_server_get_db (fixture->server);

  /* SQLite: the connection made read-only. PostgreSQL: the last table the
   * filing writes refuses every new row, so that what came before it (the
   * request, its event, the Idempotency-Key) must be rolled back. */
  esc_service_db_exec (db,
                       esc_test_backend_is_postgresql ()
                         ? "ALTER TABLE audit_events ADD CONSTRAINT esc_test_refuse CHECK (false) NOT VALID"
                         : "PRAGMA query_only = ON",
                       &error);
  g_assert_no_error (error);
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff, NULL, json, key, &r);
    assert_problem (&r, 500, "internal-error", NULL);
    g_assert_null (strstr (r.text, "query"));   /* no database details in the answer */
  }
  esc_service_db_exec (db,
                       esc_test_backend_is_postgresql ()
                         ? "ALTER TABLE audit_events DROP CONSTRAINT esc_test_refuse"
                         : "PRAGMA query_only = OFF",
                       &error);
  g_assert_no_error (error);

  g_assert_cmpint (count (fixture, "support_requests"), ==, 0);
  g_assert_cmpint (count (fixture, "support_request_events"), ==, 0);
  g_assert_cmpint (count (fixture, "idempotency_keys"), ==, 0);
  g_assert_cmpint (count (fixture, "audit_events"), ==, 0);

  /* The same key now files it. */
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (fixture->server, "POST", "/v1/support-requests", fixture->staff, NULL, json, key, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }
  g_assert_cmpint (count (fixture, "support_requests"), ==, 1);
}

/* The audit trail of a request's life */

static void
test_audit_trail (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = file_escalation (fixture);
  g_autoptr(GError) error = NULL;
  gint64 events = 0;

  set_state (fixture, id, "{\"state\": \"in-progress\"}");
  {
    g_auto(EscTestResponse) r = { 0, };

    patch (fixture, fixture->staff, id, NULL, "{\"notes\": \"n\"}", &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff, id, "/comments", "{\"text\": \"c\"}", &r);
    g_assert_cmpuint (r.status, ==, 201);
  }
  set_state (fixture, id, "{\"state\": \"resolved\"}");
  {
    g_auto(EscTestResponse) r = { 0, };

    post (fixture, fixture->staff, id, "/reactivate", NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
  }

  g_assert_cmpint (count_audit (fixture, "support-request.created"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "support-request.state-changed"), ==, 2);
  g_assert_cmpint (count_audit (fixture, "support-request.updated"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "support-request.commented"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "support-request.reactivated"), ==, 1);

  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (fixture->server), &events,
                                              NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (events, ==, 6);

  /* And an IT administrator reads it over HTTP. */
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *first;

    esc_test_request (fixture->server, "GET", "/v1/audit?after=0&limit=1", fixture->admin, NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    first = json_array_get_object_element (items_of (&r), 0);
    g_assert_cmpstr (json_object_get_string_member (first, "action"), ==, "support-request.created");
    g_assert_cmpstr (json_object_get_string_member (first, "target"), ==, "/v1/support-requests/SR-000001");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (first, "details"), "severity"),
                     ==, "C");
    g_assert_cmpint (json_object_get_int_member (object_of (&r), "next_after"), ==, 1);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/service/requests/create-admin", test_create_admin);
  ADD ("/service/requests/create-escalation", test_create_escalation);
  ADD ("/service/requests/create-roles", test_create_roles);
  ADD ("/service/requests/severity-rules", test_severity_rules);
  ADD ("/service/requests/response-due", test_response_due);
  ADD ("/service/requests/response-due-is-data", test_response_due_is_data);
  ADD ("/service/requests/bad-input", test_bad_input);
  ADD ("/service/requests/first-noticed-in-future", test_first_noticed_in_future);
  ADD ("/service/requests/list-visibility", test_list_visibility);
  ADD ("/service/requests/list-paging", test_list_paging);
  ADD ("/service/requests/list-bad-query", test_list_bad_query);
  ADD ("/service/requests/get", test_get);
  ADD ("/service/requests/patch", test_patch);
  ADD ("/service/requests/patch-severity", test_patch_severity);
  ADD ("/service/requests/patch-not-open", test_patch_not_open);
  ADD ("/service/requests/comments", test_comments);
  ADD ("/service/requests/state", test_state);
  ADD ("/service/requests/unresponsive-closed", test_unresponsive_closed);
  ADD ("/service/requests/unresponsive-answered", test_unresponsive_answered);
  ADD ("/service/requests/unresponsive-housekeeping", test_unresponsive_housekeeping);
  ADD ("/service/requests/reactivate", test_reactivate);
  ADD ("/service/requests/idempotent-create", test_idempotent_create);
  ADD ("/service/requests/idempotent-create/rules-changed", test_idempotent_create_rules_changed);
  ADD ("/service/requests/group-commit-mixed", test_group_commit_mixed);
  ADD ("/service/requests/database-failure", test_database_failure);
  ADD ("/service/requests/audit-trail", test_audit_trail);

#undef ADD

  return g_test_run ();
}
