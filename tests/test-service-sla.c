/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-calendar.h"
#include "esc-sla-agreement.h"
#include "esc-support-model.h"
#include "esc-service-pg.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"

/* /v1/sla-calendars and /v1/sla-agreements through a real service over HTTP:
 * each role's rights, the version workflow (both acceptances, supersession,
 * retirement, history), If-Match, Idempotency-Key, 422 naming the member, the
 * audit trail; and the admin support hours calendar that the response due
 * time of admin support requests is counted in. The clock starts on Monday
 * 2024-05-06 09:00Z. */

typedef struct
{
  EscTestServer *server;
  char          *admin;     /* it-admin */
  char          *manager;   /* partner-manager */
  char          *both;      /* it-admin and partner-manager */
  char          *staff;     /* support-staff */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->manager = esc_test_server_create_token (fixture->server, "manager", "partner-manager");
  fixture->both = esc_test_server_create_token (fixture->server, "both", "it-admin,partner-manager");
  fixture->staff = esc_test_server_create_token (fixture->server, "staff", "support-staff");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->admin);
  g_free (fixture->manager);
  g_free (fixture->both);
  g_free (fixture->staff);
  g_clear_pointer (&fixture->server, esc_test_server_free);
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
  g_test_message ("→ %u %s", r->status, r->text != NULL ? r->text : "");
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==,
                   "application/problem+json");
  if (type != NULL)
    g_assert_cmpstr (esc_test_problem_type (r), ==, type);
  if (field != NULL)
    g_assert_cmpstr (esc_test_problem_field (r), ==, field);
}

static void
request (Fixture         *fixture,
         const char      *method,
         const char      *path,
         const char      *token,
         const char      *body,
         const char      *if_match,
         EscTestResponse *r)
{
  const char *headers[] = { "If-Match", if_match, NULL };

  esc_test_request (fixture->server, method, path, token, NULL, body,
                    if_match != NULL ? headers : NULL, r);
}

static gint64
count_audit (Fixture    *fixture,
             const char *action)
{
  g_autoptr(GError) error = NULL;
  EscServiceStmt *stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                               "SELECT COUNT(*) FROM audit_events WHERE action = ?1", &error);
  gint64 n;

  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, action);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  n = esc_service_stmt_column_int64 (stmt, 0);
  esc_service_stmt_free (stmt);
  return n;
}

static const char paris_json[] =
  "{\"name\": \"Bureau de Paris\", \"time_zone\": \"Europe/Paris\", \"week\": {"
  " \"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
  " \"tuesday\": [{\"start\": \"09:00\", \"end\": \"18:00\"}]},"
  " \"holidays\": [{\"date\": \"2024-05-08\", \"name\": \"Victoire 1945\"}]}";

static const char terms_json[] =
  "{\"title\": \"Support utilisateurs\", \"calendar_id\": \"paris\","
  " \"targets\": {\"A\": {\"first_response_minutes\": 60, \"always_open\": true},"
  "  \"B\": {\"first_response_minutes\": 240, \"update_minutes\": 720},"
  "  \"C\": {\"first_response_minutes\": 480, \"resolution_minutes\": 4800}},"
  " \"response_rule\": \"An engineer contacts the user and starts work.\"}";

static void
test_calendars (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *etag = NULL;

  /* Seeded: the admin support hours, readable by both parties, not by support staff */
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonArray *items;

    request (fixture, "GET", "/v1/sla-calendars", fixture->manager, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    items = json_object_get_array_member (object_of (&r), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==,
                     "admin-hours");
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "GET", "/v1/sla-calendars", fixture->staff, NULL, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }

  /* Create one: 201 with Location and ETag; what comes back is a calendar the core reads */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_autoptr(EscCalendar) calendar = NULL;
    g_autoptr(GError) error = NULL;

    request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->manager, paris_json, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Location"), ==, "/v1/sla-calendars/paris");
    etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
    g_assert_nonnull (etag);
    calendar = esc_calendar_new_from_json (r.body, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (esc_calendar_get_id (calendar), ==, "paris");
    g_assert_cmpstr (esc_calendar_get_time_zone (calendar), ==, "Europe/Paris");
  }
  g_assert_cmpint (count_audit (fixture, "sla-calendar.created"), ==, 1);

  /* Bad input: 422 naming the member, nothing changed */
  {
    static const struct { const char *json; const char *field; } cases[] = {
      { "{\"name\": \"x\", \"time_zone\": \"Mars/Olympus\", \"always_open\": true}", "/time_zone" },
      { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"},"
        " {\"start\": \"10:00\", \"end\": \"25:00\"}]}}", "/week/monday/1/end" },
      { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"},"
        " {\"start\": \"10:00\", \"end\": \"13:00\"}]}}", "/week/monday/1" },
      { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true, \"holidays\": [{\"date\": \"2024-02-30\"}]}",
        "/holidays/0/date" },
      { "{\"name\": \"x\", \"time_zone\": \"UTC\"}", "/week" },
      { "{\"id\": \"lyon\", \"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true}", "/id" },
      { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true, \"colour\": \"red\"}", "/colour" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->manager, cases[i].json, NULL, &r);
        assert_problem (&r, 422, "invalid-field", cases[i].field);
      }
  }
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) staff = { 0, };

    request (fixture, "PUT", "/v1/sla-calendars/Paris%20Office", fixture->manager, paris_json, NULL, &r);
    assert_problem (&r, 404, NULL, NULL);
    request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->staff, paris_json, NULL, &staff);
    assert_problem (&staff, 403, "forbidden", NULL);
  }

  /* If-Match: a stale ETag is 412 and changes nothing; the current one passes */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) stale = { 0, };
    g_auto(EscTestResponse) get = { 0, };

    request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->admin,
             "{\"name\": \"Paris\", \"time_zone\": \"Europe/Paris\", \"always_open\": true}", etag, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (r.headers, "ETag"), !=, etag);
    request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->manager, paris_json, etag, &stale);
    assert_problem (&stale, 412, "precondition-failed", NULL);
    request (fixture, "GET", "/v1/sla-calendars/paris", fixture->manager, NULL, NULL, &get);
    g_assert_cmpuint (get.status, ==, 200);
    g_assert_true (json_object_get_boolean_member (object_of (&get), "always_open"));
    g_assert_cmpstr (soup_message_headers_get_one (get.headers, "ETag"), ==,
                     soup_message_headers_get_one (r.headers, "ETag"));
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    /* Any If-Match on a calendar that does not exist is stale */
    request (fixture, "PUT", "/v1/sla-calendars/lyon", fixture->manager, paris_json, "\"calendar-1\"", &r);
    assert_problem (&r, 412, "precondition-failed", NULL);
  }
  g_assert_cmpint (count_audit (fixture, "sla-calendar.updated"), ==, 1);
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "GET", "/v1/sla-calendars/lyon", fixture->manager, NULL, NULL, &r);
    assert_problem (&r, 404, NULL, NULL);
  }
}

/* The admin support hours are data: an IT administrator moves them to Paris
 * with a holiday, and the due time of the next admin request follows. */
static void
test_admin_hours (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char request_json[] =
    "{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
    " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
    " \"title\": \"Printer driver blocked by policy\", \"description\": \"Since Monday.\","
    " \"contact\": {\"given_name\": \"Camille\", \"surname\": \"Martin\", \"email\": \"camille@example.org\","
    " \"phone\": \"+33 1 23 45 67 89\", \"preferred_method\": \"email\", \"language\": \"fr\"}}";
  static const char hours_json[] =
    "{\"name\": \"Admin support hours\", \"time_zone\": \"Europe/Paris\", \"week\": {"
    " \"monday\": [{\"start\": \"08:00\", \"end\": \"20:00\"}], \"tuesday\": [{\"start\": \"08:00\", \"end\": \"20:00\"}],"
    " \"wednesday\": [{\"start\": \"08:00\", \"end\": \"20:00\"}], \"thursday\": [{\"start\": \"08:00\", \"end\": \"20:00\"}],"
    " \"friday\": [{\"start\": \"08:00\", \"end\": \"20:00\"}]},"
    " \"holidays\": [{\"date\": \"2024-05-09\", \"name\": \"Ascension\"}]}";

  /* Seeded: 24 hours Monday to Friday, UTC. Wednesday 8 May 16:00Z + 8 h = 9 May 00:00Z */
  esc_test_server_set_now (fixture->server, "2024-05-08T16:00:00Z");
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "POST", "/v1/support-requests", fixture->admin, request_json, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    g_assert_cmpstr (member (&r, "response_due_at"), ==, "2024-05-09T00:00:00Z");
  }

  /* Only an IT administrator changes them */
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", "/v1/sla-calendars/admin-hours", fixture->manager, hours_json, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", "/v1/sla-calendars/admin-hours", fixture->admin, hours_json, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
  }

  /* Wednesday 18:00 CEST: 2 h; Thursday is Ascension; Friday 08:00 CEST (06:00Z) + 6 h */
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "POST", "/v1/support-requests", fixture->admin, request_json, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    g_assert_cmpstr (member (&r, "response_due_at"), ==, "2024-05-10T12:00:00Z");
  }
}

static char *
version_path (EscTestResponse *r)
{
  return g_strdup (soup_message_headers_get_one (r->headers, "Location"));
}

static void
accept (Fixture         *fixture,
        const char      *path,
        const char      *token,
        const char      *body,
        EscTestResponse *r)
{
  g_auto(EscTestResponse) get = { 0, };
  g_autofree char *accept_path = g_strconcat (path, "/accept", NULL);

  request (fixture, "GET", path, token, NULL, NULL, &get);
  g_assert_cmpuint (get.status, ==, 200);
  request (fixture, "POST", accept_path, token, body,
           soup_message_headers_get_one (get.headers, "ETag"), r);
}

static void
test_agreement_workflow (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;

  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->manager, paris_json, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }

  /* Only partner managers propose; the terms are checked, naming the member */
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "POST", "/v1/sla-agreements", fixture->admin, terms_json, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }
  {
    static const struct { const char *json; const char *field; } cases[] = {
      { "{\"calendar_id\": \"lyon\", \"targets\": {}}", "/calendar_id" },
      { "{\"calendar_id\": \"paris\", \"targets\": {\"B\": {\"update_minutes\": -5}}}", "/targets/B/update_minutes" },
      { "{\"calendar_id\": \"paris\", \"targets\": {}, \"warnings\": [{\"percent\": 90}, {\"percent\": 80}]}",
        "/warnings/1/percent" },
      { "{\"calendar_id\": \"paris\", \"targets\": {}, \"state\": \"agreed\"}", "/state" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        request (fixture, "POST", "/v1/sla-agreements", fixture->manager, cases[i].json, NULL, &r);
        assert_problem (&r, 422, "invalid-field", cases[i].field);
      }
    g_assert_cmpint (esc_test_server_count_rows (fixture->server, "sla_agreements"), ==, 0);
  }

  /* Version 1, a draft; an Idempotency-Key repeated creates nothing more */
  {
    const char *headers[] = { "Idempotency-Key", "sla-1", NULL };
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) again = { 0, };
    g_autoptr(EscSlaAgreementVersion) version = NULL;
    g_autoptr(GError) error = NULL;

    esc_test_request (fixture->server, "POST", "/v1/sla-agreements", fixture->manager, NULL, terms_json,
                      headers, &r);
    g_assert_cmpuint (r.status, ==, 201);
    v1 = version_path (&r);
    g_assert_cmpstr (v1, ==, "/v1/sla-agreements/SLA-000001/versions/1");
    g_assert_cmpstr (member (&r, "state"), ==, "draft");
    g_assert_cmpstr (member (&r, "created_by"), ==, "manager");
    version = esc_sla_agreement_version_new_from_json (r.body, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (esc_sla_agreement_version_get_targets (version, ESC_SUPPORT_SEVERITY_B)->update_minutes, ==, 720);
    g_assert_cmpuint (esc_sla_agreement_version_get_version (version), ==, 1);

    esc_test_request (fixture->server, "POST", "/v1/sla-agreements", fixture->manager, NULL, terms_json,
                      headers, &again);
    g_assert_cmpuint (again.status, ==, 201);
    g_assert_cmpstr (soup_message_headers_get_one (again.headers, "Idempotent-Replayed"), ==, "true");
    g_assert_cmpint (esc_test_server_count_rows (fixture->server, "sla_agreements"), ==, 1);
  }

  /* The IT administrator accepts; the partner manager then edits, which
   * withdraws that acceptance; an acceptance on stale terms is 412. */
  esc_test_server_set_now (fixture->server, "2024-05-06T10:00:00Z");
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *accepted;

    accept (fixture, v1, fixture->admin, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    accepted = json_object_get_object_member (object_of (&r), "accepted_by_it_admin");
    g_assert_cmpstr (json_object_get_string_member (accepted, "name"), ==, "admin");
    g_assert_cmpstr (json_object_get_string_member (accepted, "at"), ==, "2024-05-06T10:00:00Z");
    g_assert_cmpstr (member (&r, "state"), ==, "draft");
  }
  {
    g_auto(EscTestResponse) get = { 0, };
    g_auto(EscTestResponse) edit = { 0, };
    g_auto(EscTestResponse) stale = { 0, };
    g_autofree char *accept_path = g_strconcat (v1, "/accept", NULL);
    g_autofree char *old_etag = NULL;

    request (fixture, "GET", v1, fixture->admin, NULL, NULL, &get);
    old_etag = g_strdup (soup_message_headers_get_one (get.headers, "ETag"));
    request (fixture, "PUT", v1, fixture->manager,
             "{\"title\": \"Support utilisateurs v1b\", \"calendar_id\": \"paris\","
             " \"targets\": {\"B\": {\"first_response_minutes\": 120}}}", old_etag, &edit);
    g_assert_cmpuint (edit.status, ==, 200);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object_of (&edit), "accepted_by_it_admin")));

    request (fixture, "POST", accept_path, fixture->admin, NULL, old_etag, &stale);
    assert_problem (&stale, 412, "precondition-failed", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", v1, fixture->admin, terms_json, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
  }

  /* Someone with both roles must say which side; a side they lack is 403 */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) wrong = { 0, };

    accept (fixture, v1, fixture->both, NULL, &r);
    assert_problem (&r, 422, "invalid-field", "/as");
    accept (fixture, v1, fixture->manager, "{\"as\": \"it-admin\"}", &wrong);
    assert_problem (&wrong, 403, "forbidden", NULL);
  }

  /* Both sides accept: agreed */
  esc_test_server_set_now (fixture->server, "2024-05-06T11:00:00Z");
  {
    g_auto(EscTestResponse) a = { 0, };
    g_auto(EscTestResponse) b = { 0, };
    g_auto(EscTestResponse) again = { 0, };

    accept (fixture, v1, fixture->admin, NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
    g_assert_cmpstr (member (&a, "state"), ==, "draft");
    esc_test_server_set_now (fixture->server, "2024-05-06T11:30:00Z");
    accept (fixture, v1, fixture->both, "{\"as\": \"partner-manager\"}", &b);
    g_assert_cmpuint (b.status, ==, 200);
    g_assert_cmpstr (member (&b, "state"), ==, "agreed");
    g_assert_cmpstr (member (&b, "agreed_at"), ==, "2024-05-06T11:30:00Z");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object_of (&b),
                                                    "accepted_by_partner_manager"), "name"), ==, "both");
    accept (fixture, v1, fixture->manager, NULL, &again);
    assert_problem (&again, 409, "not-a-draft", NULL);
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", v1, fixture->manager, terms_json, NULL, &r);
    assert_problem (&r, 409, "not-a-draft", NULL);
  }

  /* Version 2: only one draft at a time; agreed by both, it supersedes version 1 */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) second = { 0, };
    g_auto(EscTestResponse) a = { 0, };
    g_auto(EscTestResponse) b = { 0, };

    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions", fixture->manager, terms_json, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    v2 = version_path (&r);
    g_assert_cmpstr (v2, ==, "/v1/sla-agreements/SLA-000001/versions/2");
    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions", fixture->manager, terms_json, NULL, &second);
    assert_problem (&second, 409, "draft-exists", NULL);

    esc_test_server_set_now (fixture->server, "2024-05-07T09:00:00Z");
    accept (fixture, v2, fixture->manager, NULL, &a);
    g_assert_cmpuint (a.status, ==, 200);
    accept (fixture, v2, fixture->admin, NULL, &b);
    g_assert_cmpstr (member (&b, "state"), ==, "agreed");
  }
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "GET", v1, fixture->manager, NULL, NULL, &r);
    g_assert_cmpstr (member (&r, "state"), ==, "superseded");
    g_assert_cmpstr (member (&r, "superseded_at"), ==, "2024-05-07T09:00:00Z");
  }

  /* Only it-admin retires, and only the agreed version */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) old = { 0, };
    g_auto(EscTestResponse) ok = { 0, };
    g_autofree char *retire_v1 = g_strconcat (v1, "/retire", NULL);
    g_autofree char *retire_v2 = g_strconcat (v2, "/retire", NULL);

    request (fixture, "POST", retire_v2, fixture->manager, NULL, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
    request (fixture, "POST", retire_v1, fixture->admin, NULL, NULL, &old);
    assert_problem (&old, 409, "not-agreed", NULL);
    request (fixture, "POST", retire_v2, fixture->admin, NULL, NULL, &ok);
    g_assert_cmpuint (ok.status, ==, 200);
    g_assert_cmpstr (member (&ok, "state"), ==, "retired");
    g_assert_cmpstr (member (&ok, "retired_by"), ==, "admin");
  }

  /* The history is kept; the list says nothing is in force now */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) list = { 0, };
    JsonArray *versions;
    JsonObject *item;

    request (fixture, "GET", "/v1/sla-agreements/SLA-000001", fixture->admin, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    versions = json_object_get_array_member (object_of (&r), "versions");
    g_assert_cmpuint (json_array_get_length (versions), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (versions, 0), "title"), ==,
                     "Support utilisateurs v1b");

    request (fixture, "GET", "/v1/sla-agreements", fixture->manager, NULL, NULL, &list);
    item = json_array_get_object_element (json_object_get_array_member (object_of (&list), "items"), 0);
    g_assert_cmpint (json_object_get_int_member (item, "latest_version"), ==, 2);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (item, "agreed_version")));
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (item, "draft_version")));
  }
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) missing = { 0, };

    request (fixture, "GET", "/v1/sla-agreements/SLA-000001", fixture->staff, NULL, NULL, &r);
    assert_problem (&r, 403, "forbidden", NULL);
    request (fixture, "GET", "/v1/sla-agreements/SLA-000001/versions/3", fixture->admin, NULL, NULL, &missing);
    assert_problem (&missing, 404, NULL, NULL);
  }
  {
    static const char * const paths[] = {
      "/v1/sla-agreements/SLA-000002", "/v1/sla-agreements/SLA-1", "/v1/sla-agreements/sla-000001",
      "/v1/sla-agreements/SLA-000001/versions/0", "/v1/sla-agreements/SLA-000001/versions/one",
      "/v1/sla-agreements/SLA-000001/versions/-1",
    };

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        request (fixture, "GET", paths[i], fixture->admin, NULL, NULL, &r);
        assert_problem (&r, 404, NULL, NULL);
      }
  }

  /* Every step is in the audit log */
  g_assert_cmpint (count_audit (fixture, "sla-agreement.created"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "sla-agreement-version.updated"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "sla-agreement-version.drafted"), ==, 1);
  g_assert_cmpint (count_audit (fixture, "sla-agreement-version.accepted"), ==, 5);
  g_assert_cmpint (count_audit (fixture, "sla-agreement-version.agreed"), ==, 2);
  g_assert_cmpint (count_audit (fixture, "sla-agreement-version.retired"), ==, 1);
}

/* The details of the last audit event of @action, as JSON */
static JsonNode *
last_audit_details (Fixture    *fixture,
                    const char *action)
{
  g_autoptr(GError) error = NULL;
  EscServiceStmt *stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                               "SELECT details FROM audit_events WHERE action = ?1"
                                               " ORDER BY id DESC LIMIT 1", &error);
  JsonNode *node;

  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, action);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  node = json_from_string (esc_service_stmt_column_text (stmt, 0), &error);
  g_assert_no_error (error);
  esc_service_stmt_free (stmt);
  return node;
}

/* /v1/support-model: everyone signed in reads it; only an IT administrator
 * sets it, strictly checked, with If-Match (412 when stale), audited with
 * what it replaced; the answer reads back through core's codec. */
static void
test_support_model (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *operator = esc_test_server_create_token (fixture->server, "operator", "operator");
  const char *readers[] = { fixture->admin, fixture->manager, fixture->staff, operator };
  const char *not_admins[] = { fixture->manager, fixture->staff, operator };
  const char *partner_led = "{\"model\": \"partner-led\", \"provider_name\": \"Infogérance Durand\","
                            " \"provider_contacts\": \"support@durand.example\\n+33 1 23 45 67 89\"}";
  g_autofree char *etag = NULL;

  /* Not chosen yet, for everyone; no token, no answer */
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      request (fixture, "GET", "/v1/support-model", readers[i], NULL, NULL, &r);
      g_assert_cmpuint (r.status, ==, 200);
      g_assert_null (member (&r, "model"));
      g_assert_cmpstr (member (&r, "provider_name"), ==, "");
      g_assert_null (member (&r, "updated_at"));
      g_assert_cmpstr (soup_message_headers_get_one (r.headers, "ETag"), ==, "\"support-model-1\"");
    }
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "GET", "/v1/support-model", NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 401);
  }

  /* Only an IT administrator sets it: the others are refused, and audited */
  for (guint i = 0; i < G_N_ELEMENTS (not_admins); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      request (fixture, "PUT", "/v1/support-model", not_admins[i], partner_led, NULL, &r);
      assert_problem (&r, 403, NULL, NULL);
    }

  /* Strict: each bad body names its member, and changes nothing */
  {
    const struct { const char *body; const char *field; } bad[] = {
      { "{}", "/model" },
      { "{\"model\": null}", "/model" },
      { "{\"model\": \"shared\"}", "/model" },
      { "{\"model\": \"partner-led\"}", "/provider_name" },
      { "{\"model\": \"partner-led\", \"provider_name\": \"  \"}", "/provider_name" },
      { "{\"model\": \"customer-led\", \"provider_name\": 12}", "/provider_name" },
      { "{\"model\": \"customer-led\", \"provider_name\": \"Durand\\tSA\"}", "/provider_name" },
      { "{\"model\": \"customer-led\", \"colour\": \"blue\"}", "/colour" },
      { "{\"model\": \"customer-led\", \"updated_by\": \"me\"}", "/updated_by" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_auto(EscTestResponse) r = { 0, };

        g_test_message ("%s", bad[i].body);
        request (fixture, "PUT", "/v1/support-model", fixture->admin, bad[i].body, NULL, &r);
        assert_problem (&r, 422, NULL, bad[i].field);
      }
    {
      g_autoptr(GString) long_name = g_string_new ("{\"model\": \"partner-led\", \"provider_name\": \"");
      g_auto(EscTestResponse) r = { 0, };

      for (guint i = 0; i < 201; i++)
        g_string_append (long_name, "é");
      g_string_append (long_name, "\"}");
      request (fixture, "PUT", "/v1/support-model", fixture->admin, long_name->str, NULL, &r);
      assert_problem (&r, 422, NULL, "/provider_name");
    }
    g_assert_cmpint (count_audit (fixture, "support-model.updated"), ==, 0);
  }

  /* Set: 200 with the new ETag, who and when; everyone reads the same */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_autoptr(EscSupportModel) model = NULL;
    g_autoptr(JsonNode) again = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *sent = NULL;
    g_autofree char *read = NULL;

    request (fixture, "PUT", "/v1/support-model", fixture->admin, partner_led, "\"support-model-1\"", &r);
    g_assert_cmpuint (r.status, ==, 200);
    etag = g_strdup (soup_message_headers_get_one (r.headers, "ETag"));
    g_assert_cmpstr (etag, ==, "\"support-model-2\"");
    g_assert_cmpstr (member (&r, "model"), ==, "partner-led");
    g_assert_cmpstr (member (&r, "provider_contacts"), ==, "support@durand.example\n+33 1 23 45 67 89");
    g_assert_cmpstr (member (&r, "updated_by"), ==, "admin");
    g_assert_cmpstr (member (&r, "updated_at"), ==, "2024-05-06T09:00:00Z");

    /* Written with core's codec: read and written again, the same text */
    model = esc_support_model_new_from_json (r.body, FALSE, &error);
    g_assert_no_error (error);
    again = esc_support_model_to_json (model);
    sent = json_to_string (r.body, FALSE);
    read = json_to_string (again, FALSE);
    g_assert_cmpstr (read, ==, sent);
  }
  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      request (fixture, "GET", "/v1/support-model", readers[i], NULL, NULL, &r);
      g_assert_cmpstr (member (&r, "provider_name"), ==, "Infogérance Durand");
      g_assert_cmpstr (soup_message_headers_get_one (r.headers, "ETag"), ==, etag);
    }

  /* A stale If-Match: 412, nothing changed; the current one and "*" pass */
  {
    g_auto(EscTestResponse) stale = { 0, };
    g_auto(EscTestResponse) get = { 0, };
    g_auto(EscTestResponse) ok = { 0, };
    g_auto(EscTestResponse) any = { 0, };

    request (fixture, "PUT", "/v1/support-model", fixture->admin, "{\"model\": \"customer-led\"}",
             "\"support-model-1\"", &stale);
    assert_problem (&stale, 412, NULL, NULL);
    request (fixture, "GET", "/v1/support-model", fixture->staff, NULL, NULL, &get);
    g_assert_cmpstr (member (&get, "model"), ==, "partner-led");

    request (fixture, "PUT", "/v1/support-model", fixture->admin, "{\"model\": \"customer-led\"}", etag, &ok);
    g_assert_cmpuint (ok.status, ==, 200);
    g_assert_cmpstr (member (&ok, "model"), ==, "customer-led");
    g_assert_cmpstr (member (&ok, "provider_name"), ==, "");
    request (fixture, "PUT", "/v1/support-model", fixture->admin,
             "{\"model\": \"customer-led\", \"provider_name\": \"Service interne\"}", "*", &any);
    g_assert_cmpuint (any.status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (any.headers, "ETag"), ==, "\"support-model-4\"");
  }

  /* Each change audited, with what it replaced */
  g_assert_cmpint (count_audit (fixture, "support-model.updated"), ==, 3);
  {
    g_autoptr(JsonNode) details = last_audit_details (fixture, "support-model.updated");
    JsonObject *object = json_node_get_object (details);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "support_model"),
                                                    "provider_name"), ==, "Service interne");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "previous"),
                                                    "model"), ==, "customer-led");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "previous"),
                                                    "provider_name"), ==, "");
  }
}

/* What a partner manager writes about the clocks is checked as strictly as
 * the targets: pause states are state names, each warning tells roles, the
 * filer, the assignee or e-mail addresses, each once. */
static void
test_strict_clock_terms (Fixture       *fixture,
                         gconstpointer  data)
{
  const struct { const char *extra; const char *field; } bad[] = {
    { "\"pause_states\": [\"Waiting on customer\"]", "/pause_states/0" },
    { "\"pause_states\": [\"on-hold\", \"on-hold\"]", "/pause_states/1" },
    { "\"pause_states\": [\"-on-hold\"]", "/pause_states/0" },
    { "\"warnings\": [{\"percent\": 50, \"notify\": [\"the boss\"]}]", "/warnings/0/notify/0" },
    { "\"warnings\": [{\"percent\": 50, \"notify\": [\"a@b\"]}]", "/warnings/0/notify/0" },
    { "\"warnings\": [{\"percent\": 50, \"notify\": [\"filer\", \"filer\"]}]", "/warnings/0/notify/1" },
    { "\"warnings\": [{\"percent\": 75}, {\"percent\": 50}]", "/warnings/1/percent" },
    { "\"response_events\": [\"created\"]", "/response_events/0" },
    { "\"response_events\": []", "/response_events" },
  };
  g_auto(EscTestResponse) calendar = { 0, };

  request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->manager, paris_json, NULL, &calendar);
  g_assert_cmpuint (calendar.status, ==, 201);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"calendar_id\": \"paris\", \"targets\": {}, %s}", bad[i].extra);
      g_auto(EscTestResponse) r = { 0, };

      g_test_message ("%s", body);
      request (fixture, "POST", "/v1/sla-agreements", fixture->manager, body, NULL, &r);
      assert_problem (&r, 422, NULL, bad[i].field);
    }
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "sla_agreements"), ==, 0);

  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *second;

    request (fixture, "POST", "/v1/sla-agreements", fixture->manager,
             "{\"calendar_id\": \"paris\", \"targets\": {}, \"pause_states\": [\"waiting-on-customer\", \"on-hold\"],"
             " \"warnings\": [{\"percent\": 50}, {\"percent\": 80, \"notify\": [\"it-admin\", \"assignee\","
             " \"camille@example.org\"]}], \"response_events\": [\"responded\", \"updated\"],"
             " \"response_rule\": \"An engineer calls the user.\"}", NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    second = json_array_get_object_element (json_object_get_array_member (object_of (&r), "warnings"), 1);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (second, "notify")), ==, 3);
    g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object_of (&r), "pause_states"), 1),
                     ==, "on-hold");
  }
}

/* The database as the release before the support model left it (schema
 * version 6): on SQLite a file at user_version 6, on PostgreSQL a database
 * with the first six PostgreSQL steps recorded in schema_migrations. */
static char *
make_version_6_database (const char *dir)
{
  g_autofree char *database = esc_test_backend_new_database (dir);

  g_assert_nonnull (esc_service_db_get_migration (6));

  if (esc_test_backend_is_postgresql ())
    {
      g_autoptr(GString) sql = g_string_new ("CREATE TABLE schema_migrations ("
                                             "  version integer PRIMARY KEY,"
                                             "  applied_at timestamptz NOT NULL DEFAULT now (),"
                                             "  applied_by text NOT NULL DEFAULT current_setting ('application_name'));");

      g_assert_nonnull (esc_service_pg_get_migration (6));
      for (int v = 0; v < 6; v++)
        g_string_append_printf (sql, "%s; INSERT INTO schema_migrations (version) VALUES (%d);",
                                esc_service_pg_get_migration (v), v + 1);
      esc_test_backend_pg_exec (database, sql->str);
    }
  else
    {
      sqlite3 *handle = NULL;

      g_assert_cmpint (sqlite3_open (database, &handle), ==, SQLITE_OK);
      for (int v = 0; v < 6; v++)
        g_assert_cmpint (sqlite3_exec (handle, esc_service_db_get_migration (v), NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 6", NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (handle);
    }

  return g_steal_pointer (&database);
}

/* The schema step of the support model, from a database as the release
 * before it left it (version 6): one row, not chosen, revision 1. */
static void
test_support_model_migration (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-sla-XXXXXX", NULL);
  g_autofree char *database = make_version_6_database (dir);
  g_autoptr(EscServiceStmt) stmt = NULL;
  const char * const suffixes[] = { "", "-wal", "-shm", ".key" };
  EscServiceDb *db;

  db = esc_service_db_open (database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_db_get_schema_version (db), ==, esc_service_db_get_latest_schema_version ());
  stmt = esc_service_db_prepare (db, "SELECT COUNT(*), SUM (CASE WHEN model IS NULL THEN 1 ELSE 0 END),"
                                 " MAX (revision) FROM support_model", &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 0), ==, 1);
  g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 1), ==, 1);
  g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 2), ==, 1);
  g_clear_pointer (&stmt, esc_service_stmt_free);
  /* One row only, and only the two models */
  g_assert_false (esc_service_db_exec (db, "INSERT INTO support_model (id) VALUES (2)", NULL));
  g_assert_false (esc_service_db_exec (db, "UPDATE support_model SET model = 'shared'", NULL));
  g_assert_true (esc_service_db_exec (db, "UPDATE support_model SET model = 'partner-led'", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (db);

  if (esc_test_backend_is_postgresql ())
    esc_test_backend_drop_database (database);
  else
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (database, suffixes[i], NULL);
        g_unlink (file);
      }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/service/sla/calendars", Fixture, NULL, fixture_setup, test_calendars, fixture_teardown);
  g_test_add ("/service/sla/admin-hours", Fixture, NULL, fixture_setup, test_admin_hours, fixture_teardown);
  g_test_add ("/service/sla/agreement-workflow", Fixture, NULL, fixture_setup, test_agreement_workflow,
              fixture_teardown);
  g_test_add ("/service/sla/support-model", Fixture, NULL, fixture_setup, test_support_model,
              fixture_teardown);
  g_test_add_func ("/service/sla/support-model-migration", test_support_model_migration);
  g_test_add ("/service/sla/strict-clock-terms", Fixture, NULL, fixture_setup, test_strict_clock_terms,
              fixture_teardown);

  return g_test_run ();
}
