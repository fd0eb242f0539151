/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-service-access.h"
#include "esc-service-devices.h"
#include "esc-service-keys.h"
#include "esc-service-pg.h"
#include "esc-service-staff.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"

/* Staff and access (issue 10), over HTTP in-process with the test clock:
 * designations read and changed with their version (If-Match, 412), people
 * added one by one or from a CSV file, Remove access, the end of elevations
 * when a designation is withdrawn or expires, token expiry and last use;
 * and the same from the command line (the real binary on the same database). */

#define OPEN_BODY(device) \
  "{\"ticket_id\": \"INC0012345\", \"device\": \"" device "\", \"category\": \"devices\"," \
  " \"subcategory\": \"printer-driver\", \"title\": \"Reinstall the printer driver\"," \
  " \"plan_of_action\": \"Run the printer troubleshooter elevated.\"}"

typedef struct
{
  EscTestServer *server;
  char          *admin;  /* it-admin */
  char          *eve;    /* support-staff, elevation */
  char          *sam;    /* support-staff, no designation */
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->eve = esc_test_server_create_token (fixture->server, "eve", "support-staff");
  fixture->sam = esc_test_server_create_token (fixture->server, "sam", "support-staff");
  esc_test_server_designate (fixture->server, "eve", "elevation", NULL);

  esc_service_devices_add (esc_test_server_get_db (fixture->server), "MMD-1", "SN-0001", "broad", &error);
  g_assert_no_error (error);
  esc_service_devices_add (esc_test_server_get_db (fixture->server), "MMD-2", "SN-0002", "fast", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->eve, g_free);
  g_clear_pointer (&fixture->sam, g_free);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

static gint64
count (Fixture    *fixture,
       const char *table_and_where)
{
  return esc_test_server_count_rows (fixture->server, table_and_where);
}

static JsonObject *
body_object (EscTestResponse *response)
{
  g_assert_nonnull (response->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->body));
  return json_node_get_object (response->body);
}

static gint64
person_id (Fixture    *fixture,
           const char *name)
{
  g_autofree char *where = NULL;
  gint64 id = 0;

  for (gint64 candidate = 1; candidate < 100 && id == 0; candidate++)
    {
      g_free (where);
      where = g_strdup_printf ("people WHERE id = %" G_GINT64_FORMAT " AND name = '%s'",
                               candidate, name);
      if (count (fixture, where) == 1)
        id = candidate;
    }
  g_assert_cmpint (id, >, 0);

  return id;
}

static void
get_member (Fixture         *fixture,
            const char      *token,
            gint64           id,
            EscTestResponse *response)
{
  g_autofree char *path = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT, id);

  esc_test_request (fixture->server, "GET", path, token, NULL, NULL, NULL, response);
}

static void
put_designations (Fixture         *fixture,
                  const char      *token,
                  gint64           id,
                  const char      *if_match,
                  const char      *body,
                  EscTestResponse *response)
{
  g_autofree char *path = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", id);
  const char * const headers[] = { "If-Match", if_match, NULL };

  esc_test_request (fixture->server, "PUT", path, token, NULL, body,
                    if_match != NULL ? headers : NULL, response);
}

static char *
open_request (Fixture    *fixture,
              const char *token,
              const char *body)
{
  g_auto(EscTestResponse) response = { 0, };

  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", token, NULL, body, NULL,
                    &response);
  g_assert_cmpuint (response.status, ==, 201);

  return g_strdup (json_object_get_string_member (body_object (&response), "id"));
}

static guint
read_password (Fixture    *fixture,
               const char *token,
               const char *id)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *path = g_strconcat ("/v1/elevation-requests/", id, "/password", NULL);

  esc_test_request (fixture->server, "GET", path, token, NULL, NULL, NULL, &response);
  return response.status;
}

static void
get_request (Fixture         *fixture,
             const char      *id,
             EscTestResponse *response)
{
  g_autofree char *path = g_strconcat ("/v1/elevation-requests/", id, NULL);

  esc_test_request (fixture->server, "GET", path, fixture->admin, NULL, NULL, NULL, response);
  g_assert_cmpuint (response->status, ==, 200);
}

/* The request was closed for @reason, with @actions_taken, by @closed_by
 * (a person's name), or by the service itself if NULL. */
static void
assert_closed (Fixture    *fixture,
               const char *id,
               const char *reason,
               const char *actions_taken,
               const char *closed_by)
{
  g_auto(EscTestResponse) response = { 0, };
  JsonObject *object;

  get_request (fixture, id, &response);
  object = body_object (&response);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "closed");
  if (closed_by == NULL)
    g_assert_true (json_object_get_null_member (object, "closed_by"));
  else
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "closed_by"), "name"),
                     ==, closed_by);
  g_assert_cmpstr (json_object_get_string_member (object, "closed_reason"), ==, reason);
  g_assert_cmpstr (json_object_get_string_member (object, "actions_taken"), ==, actions_taken);
}

static JsonObject *
last_audit_details (Fixture    *fixture,
                    const char *action)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                 "SELECT details FROM audit_events WHERE action = ?1"
                                 " ORDER BY id DESC LIMIT 1",
                                 &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, action);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  g_assert_true (json_parser_load_from_data (parser, esc_service_stmt_column_text (stmt, 0),
                                             -1, &error));
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_audit_intact (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 bad_id = 0;

  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (fixture->server), NULL, NULL,
                                              &bad_id, &reason, &error));
  g_assert_no_error (error);
}

/* Designations: read with the version, changed by IT administrators only */

static void
test_designation_round_trip (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *etag = NULL;
  gint64 sam = person_id (fixture, "sam");
  gint64 designations = count (fixture, "designations");
  JsonObject *object;

  get_member (fixture, fixture->admin, sam, &response);
  g_assert_cmpuint (response.status, ==, 200);
  object = body_object (&response);
  etag = g_strdup (json_object_get_string_member (object, "etag"));
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "ETag"), ==, etag);
  g_assert_true (json_object_get_null_member (object, "team"));
  g_assert_false (json_object_get_boolean_member (object, "disabled"));
  esc_test_response_clear (&response);

  /* Someone who is not an IT administrator can neither read nor designate. */
  get_member (fixture, fixture->sam, sam, &response);
  g_assert_cmpuint (response.status, ==, 403);
  esc_test_response_clear (&response);
  put_designations (fixture, fixture->eve, sam, NULL,
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"Mine\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 403);
  g_assert_cmpint (count (fixture, "designations"), ==, designations);
  esc_test_response_clear (&response);

  /* The IT administrator designates, from the version read. */
  put_designations (fixture, fixture->admin, sam, etag,
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"On call\","
                    " \"expires_at\": null}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 200);
  object = body_object (&response);
  g_assert_cmpstr (json_object_get_string_member (object, "etag"), !=, etag);
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "ETag"), ==,
                   json_object_get_string_member (object, "etag"));
  g_assert_cmpint (count (fixture, "designations WHERE capability = 'escalation'"), ==, 1);
  esc_test_response_clear (&response);

  /* Refused for someone who is not support staff, with their version. */
  put_designations (fixture, fixture->admin, person_id (fixture, "admin"), NULL,
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"On call\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 422);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "not-support-staff");
  g_assert_nonnull (soup_message_headers_get_one (response.headers, "ETag"));
  esc_test_response_clear (&response);

  /* An unknown person: 404. */
  get_member (fixture, fixture->admin, 999, &response);
  g_assert_cmpuint (response.status, ==, 404);
}

static void
test_stale_change (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *weak = NULL;
  gint64 sam = person_id (fixture, "sam");
  JsonObject *current;
  JsonArray *designations;

  get_member (fixture, fixture->admin, sam, &response);
  first = g_strdup (json_object_get_string_member (body_object (&response), "etag"));
  esc_test_response_clear (&response);

  /* Another administrator changes the person meanwhile. */
  put_designations (fixture, fixture->admin, sam, first,
                    "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"Night shift\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 200);
  second = g_strdup (json_object_get_string_member (body_object (&response), "etag"));
  esc_test_response_clear (&response);

  /* The change made from the first version is refused, with the person as now. */
  put_designations (fixture, fixture->admin, sam, first,
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"Backup\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 412);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "precondition-failed");
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "ETag"), ==, second);
  current = json_object_get_object_member (body_object (&response), "current");
  g_assert_nonnull (current);
  g_assert_cmpstr (json_object_get_string_member (current, "etag"), ==, second);
  designations = json_object_get_array_member (current, "designations");
  g_assert_cmpuint (json_array_get_length (designations), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (designations, 0),
                                                  "capability"), ==, "elevation");
  g_assert_cmpint (count (fixture, "designations WHERE capability = 'escalation'"), ==, 0);
  esc_test_response_clear (&response);

  /* The current version, even weak, and "*" are accepted; no If-Match as before. */
  weak = g_strconcat ("W/", second, NULL);
  put_designations (fixture, fixture->admin, sam, weak,
                    "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"Night shift\"},"
                    " {\"capability\": \"escalation\", \"reason\": \"Backup\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  put_designations (fixture, fixture->admin, sam, "*",
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"Backup\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  put_designations (fixture, fixture->admin, sam, NULL, "{\"designations\": []}", &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (count (fixture, "designations WHERE person_id = (SELECT id FROM people WHERE name = 'sam')"),
                   ==, 0);
}

/* The end of elevations */

static void
test_withdrawal_ends_elevations (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(JsonObject) details = NULL;
  g_autofree char *id = NULL;
  gint64 eve = person_id (fixture, "eve");

  id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_assert_cmpuint (read_password (fixture, fixture->eve, id), ==, 200);
  g_assert_cmpint (count (fixture, "device_passwords WHERE generation = 1"), ==, 1);

  put_designations (fixture, fixture->admin, eve, NULL, "{\"designations\": []}", &response);
  g_assert_cmpuint (response.status, ==, 200);

  /* Closed by the administrator who withdrew the designation */
  assert_closed (fixture, id, "designation-withdrawn", "designation withdrawn", "admin");
  /* The device has a new password at once. */
  g_assert_cmpint (count (fixture, "device_passwords WHERE generation = 2"), ==, 1);
  g_assert_cmpuint (read_password (fixture, fixture->eve, id), ==, 403);

  details = last_audit_details (fixture, "designation.withdrawn");
  g_assert_cmpint (json_object_get_int_member (details, "elevations_closed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (details, "devices_rotated"), ==, 1);
  assert_audit_intact (fixture);
}

static void
test_expiry_ends_elevations (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  gint64 eve = person_id (fixture, "eve");

  /* The clock starts at 09:00; the designation lapses at 10:00. */
  esc_test_server_designate (fixture->server, "eve", "elevation", "2024-05-06T10:00:00Z");
  id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-2"));
  g_assert_cmpuint (read_password (fixture, fixture->eve, id), ==, 200);
  get_member (fixture, fixture->admin, eve, &response);
  before = g_strdup (json_object_get_string_member (body_object (&response), "etag"));
  esc_test_response_clear (&response);

  /* Before the expiry, housekeeping leaves it alone. */
  esc_test_server_advance (fixture->server, 30 * G_TIME_SPAN_MINUTE);
  esc_service_server_run_housekeeping (esc_test_server_get_server (fixture->server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "elevation_requests WHERE state = 'open'"), ==, 1);

  esc_test_server_advance (fixture->server, 31 * G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (read_password (fixture, fixture->eve, id), ==, 403);
  esc_service_server_run_housekeeping (esc_test_server_get_server (fixture->server), &error);
  g_assert_no_error (error);

  /* Nobody closed it: the service did */
  assert_closed (fixture, id, "designation-expired", "designation expired", NULL);
  g_assert_cmpint (count (fixture, "device_passwords WHERE generation = 2"), ==, 1);
  details = last_audit_details (fixture, "designation.expired");
  g_assert_cmpint (json_object_get_int_member (details, "elevations_closed"), ==, 1);

  /* The lapse is a change of the person: a new version. */
  get_member (fixture, fixture->admin, eve, &response);
  g_assert_cmpstr (json_object_get_string_member (body_object (&response), "etag"), !=, before);
  esc_test_response_clear (&response);

  /* Once is enough: the next run finds nothing. */
  esc_service_server_run_housekeeping (esc_test_server_get_server (fixture->server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'designation.expired'"), ==, 1);
  assert_audit_intact (fixture);
}

/* Remove access */

static void
test_remove_access (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *second_token = esc_test_server_create_token (fixture->server, "eve",
                                                                "support-staff");
  g_autofree char *first = NULL;
  g_autofree char *other = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body_text = NULL;
  g_autoptr(JsonObject) details = NULL;
  const char * const key[] = { "Idempotency-Key", "leaves-1", NULL };
  gint64 eve = person_id (fixture, "eve");
  gint64 events;
  JsonObject *object;
  JsonObject *person;

  esc_test_server_designate (fixture->server, "eve", "escalation", NULL);
  first = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  other = open_request (fixture, second_token, OPEN_BODY ("MMD-2"));
  g_assert_cmpuint (read_password (fixture, fixture->eve, first), ==, 200);
  g_assert_cmpuint (read_password (fixture, second_token, other), ==, 200);

  path = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/remove-access", eve);

  /* Not by someone who is not an IT administrator, nor by oneself. */
  esc_test_request (fixture->server, "POST", path, fixture->sam, NULL, "{}", NULL, &response);
  g_assert_cmpuint (response.status, ==, 403);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "POST", "/v1/staff/1/remove-access", fixture->admin, NULL,
                    "{}", NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "POST", "/v1/staff/999/remove-access", fixture->admin, NULL,
                    "{}", NULL, &response);
  g_assert_cmpuint (response.status, ==, 404);
  esc_test_response_clear (&response);
  events = count (fixture, "audit_events WHERE action NOT LIKE 'authentication.%'"
                           " AND action NOT LIKE 'authorization.%'");

  esc_test_request (fixture->server, "POST", path, fixture->admin, NULL,
                    "{\"reason\": \"Left the company\"}", key, &response);
  g_assert_cmpuint (response.status, ==, 200);
  object = body_object (&response);
  g_assert_cmpint (json_object_get_int_member (object, "tokens_revoked"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "designations_withdrawn"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "elevations_closed"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "devices_rotated"), ==, 2);
  person = json_object_get_object_member (object, "person");
  g_assert_true (json_object_get_boolean_member (person, "disabled"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (person, "designations")), ==, 0);
  body_text = g_strdup (response.text);
  esc_test_response_clear (&response);

  /* Every token, designation and open elevation ended; the devices rotated. */
  g_assert_cmpint (count (fixture, "tokens WHERE person_id = (SELECT id FROM people WHERE name = 'eve')"
                                   " AND revoked_at IS NULL"), ==, 0);
  g_assert_cmpint (count (fixture, "designations WHERE person_id = (SELECT id FROM people WHERE name = 'eve')"),
                   ==, 0);
  assert_closed (fixture, first, "access-removed", "access removed", "admin");
  assert_closed (fixture, other, "access-removed", "access removed", "admin");
  g_assert_cmpint (count (fixture, "device_passwords WHERE generation = 2"), ==, 2);
  esc_test_request (fixture->server, "GET", "/v1/me", fixture->eve, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 401);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "GET", "/v1/me", second_token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 401);
  esc_test_response_clear (&response);

  /* One audit event, carrying the counts; the chain still verifies. */
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.access-removed'"), ==, 1);
  details = last_audit_details (fixture, "person.access-removed");
  g_assert_cmpstr (json_object_get_string_member (details, "reason"), ==, "Left the company");
  g_assert_cmpint (json_object_get_int_member (details, "devices_rotated"), ==, 2);
  /* The refused tokens are audited apart ("authorization" events), not the removal. */
  g_assert_cmpint (count (fixture, "audit_events WHERE action NOT LIKE 'authentication.%'"
                                   " AND action NOT LIKE 'authorization.%'"), ==, events + 1);
  assert_audit_intact (fixture);

  /* The same key again: the first answer, nothing new. */
  esc_test_request (fixture->server, "POST", path, fixture->admin, NULL,
                    "{\"reason\": \"Left the company\"}", key, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (response.text, ==, body_text);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.access-removed'"), ==, 1);
}

/* Adding people */

static void
test_create_person (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  gint64 people = count (fixture, "people");
  JsonObject *object;

  esc_test_request (fixture->server, "POST", "/v1/staff", fixture->admin, NULL,
                    "{\"name\": \"Lou Bernard\", \"email\": \"lou@example.org\","
                    " \"team\": \"Field support\", \"roles\": [\"support-staff\"]}",
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 201);
  object = body_object (&response);
  g_assert_cmpstr (json_object_get_string_member (object, "team"), ==, "Field support");
  g_assert_nonnull (soup_message_headers_get_one (response.headers, "Location"));
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "ETag"), ==,
                   json_object_get_string_member (object, "etag"));
  g_assert_cmpint (count (fixture, "people"), ==, people + 1);
  esc_test_response_clear (&response);

  /* A known email, case aside: 409; a bad role: 422 naming it; only IT administrators. */
  esc_test_request (fixture->server, "POST", "/v1/staff", fixture->admin, NULL,
                    "{\"name\": \"Lou B.\", \"email\": \"LOU@example.org\", \"roles\": [\"support-staff\"]}",
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "POST", "/v1/staff", fixture->admin, NULL,
                    "{\"name\": \"Max\", \"email\": \"max@example.org\", \"roles\": [\"wizard\"]}",
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 422);
  g_assert_cmpstr (esc_test_problem_field (&response), ==, "/roles/0");
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "POST", "/v1/staff", fixture->sam, NULL,
                    "{\"name\": \"Max\", \"email\": \"max@example.org\", \"roles\": [\"support-staff\"]}",
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 403);
  g_assert_cmpint (count (fixture, "people"), ==, people + 1);
}

/* Another node on the same database: @work runs in a transaction that
 * then stays open a moment (a group commit's batch). */
typedef struct _OtherNode OtherNode;
struct _OtherNode
{
  EscServiceDb *db;
  void        (*work) (OtherNode *node);
  GMutex        lock;
  GCond         cond;
  gboolean      holding;
};

static gpointer
other_node_run (gpointer data)
{
  OtherNode *node = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_service_db_begin (node->db, &error));
  node->work (node);

  g_mutex_lock (&node->lock);
  node->holding = TRUE;
  g_cond_signal (&node->cond);
  g_mutex_unlock (&node->lock);

  g_usleep (G_USEC_PER_SEC * 4 / 10);
  g_assert_true (esc_service_db_commit (node->db, &error));
  g_assert_no_error (error);

  return NULL;
}

/* Starts @work on another node and returns once its transaction holds */
static GThread *
other_node_start (Fixture    *fixture,
                  OtherNode  *node,
                  void      (*work) (OtherNode *node))
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key_file = g_build_filename (esc_test_server_get_tmpdir (fixture->server),
                                                "secret.key", NULL);
  g_autofree char *audit_key_file = g_build_filename (esc_test_server_get_tmpdir (fixture->server),
                                                      "audit.key", NULL);
  GThread *thread;

  node->db = esc_service_db_open (esc_test_server_get_path (fixture->server), &error);
  g_assert_no_error (error);
  if (esc_test_backend_is_postgresql ())
    {
      esc_service_keys_set_key_file (node->db, key_file);
      esc_service_keys_set_audit_key_file (node->db, audit_key_file);
    }
  node->work = work;
  g_mutex_init (&node->lock);
  g_cond_init (&node->cond);

  thread = g_thread_new ("other-node", other_node_run, node);
  g_mutex_lock (&node->lock);
  while (!node->holding)
    g_cond_wait (&node->cond, &node->lock);
  g_mutex_unlock (&node->lock);

  return thread;
}

static void
other_node_finish (OtherNode *node,
                   GThread   *thread)
{
  g_thread_join (thread);
  g_mutex_clear (&node->lock);
  g_cond_clear (&node->cond);
  g_assert_finalize_object (node->db);
}

static void
add_ana (OtherNode *node)
{
  g_autoptr(GError) error = NULL;
  const char * const roles[] = { "support-staff", NULL };
  EscServiceAuditEvent actor = { .actor_name = "other-node" };
  gint64 id = 0;

  g_assert_true (esc_service_access_create_person (node->db, "Ana Lopez", "ana@example.org", NULL,
                                                   roles, &actor, &id, &error));
  g_assert_no_error (error);
}

/* Checked then added on two nodes at once, as on one SQLite writer: the
 * second sees the first (an email is unique case aside, which no index
 * holds) and answers 409; no one is added twice. */
static void
test_create_person_two_nodes (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  OtherNode node = { 0, };
  gint64 people = count (fixture, "people");
  GThread *thread;

  thread = other_node_start (fixture, &node, add_ana);

  /* Another name, the same email in capitals, while the other node's
   * transaction is still open */
  esc_test_request (fixture->server, "POST", "/v1/staff", fixture->admin, NULL,
                    "{\"name\": \"Ana L.\", \"email\": \"ANA@example.org\", \"roles\": [\"support-staff\"]}",
                    NULL, &response);
  other_node_finish (&node, thread);
  g_assert_cmpuint (response.status, ==, 409);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "person-exists");
  g_assert_cmpint (count (fixture, "people"), ==, people + 1);
  g_assert_cmpint (count (fixture, "people WHERE lower (email) = 'ana@example.org'"), ==, 1);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.created'"), ==, 1);
  assert_audit_intact (fixture);
}

static void
create_token_for_newcomer (OtherNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char * const roles[] = { "operator", NULL };

  token = esc_service_db_create_token (node->db, "newcomer", "newcomer@example.org", roles, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
}

/* `token create` for a new person on two nodes at once: one person, two
 * tokens, both roles, as on one SQLite writer */
static void
test_token_create_two_nodes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char * const roles[] = { "support-staff", NULL };
  gint64 people = count (fixture, "people");
  OtherNode node = { 0, };
  GThread *thread;

  thread = other_node_start (fixture, &node, create_token_for_newcomer);
  token = esc_service_db_create_token (esc_test_server_get_db (fixture->server), "newcomer",
                                       "newcomer@example.org", roles, &error);
  other_node_finish (&node, thread);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpint (count (fixture, "people"), ==, people + 1);
  g_assert_cmpint (count (fixture, "tokens WHERE person_id = (SELECT id FROM people"
                                   " WHERE name = 'newcomer')"), ==, 2);
  g_assert_cmpint (count (fixture, "person_roles WHERE person_id = (SELECT id FROM people"
                                   " WHERE name = 'newcomer')"), ==, 2);
}

static void
set_devices_contact (OtherNode *node)
{
  g_autoptr(GError) error = NULL;

  /* As PUT /v1/admin-contacts/devices does on that node */
  g_assert_true (esc_service_db_lock_key (node->db, "admin-contact:devices", &error));
  g_assert_no_error (error);
  esc_service_db_exec (node->db,
                       "INSERT INTO admin_contacts (area, given_name, surname, email, phone,"
                       "  preferred_method, language, updated_at, updated_by)"
                       " VALUES ('devices', 'Other', 'Node', 'other@example.org', '+33 1 00 00 00 00',"
                       "  'email', 'fr', '2026-01-01T00:00:00Z', NULL)"
                       " ON CONFLICT (area) DO UPDATE SET given_name = excluded.given_name,"
                       "  surname = excluded.surname, email = excluded.email",
                       &error);
  g_assert_no_error (error);
}

/* An area's admin contact changed on two nodes at once: the second waits
 * for the first, and its audit event names the contact it really replaced,
 * as on one SQLite writer. */
static void
test_admin_contact_two_nodes (Fixture       *fixture,
                              gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  OtherNode node = { 0, };
  GThread *thread;

  thread = other_node_start (fixture, &node, set_devices_contact);
  esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/devices", fixture->admin, NULL,
                    "{\"given_name\": \"Main\", \"surname\": \"Node\", \"email\": \"main@example.org\","
                    " \"phone\": \"+33 1 11 11 11 11\", \"preferred_method\": \"email\", \"language\": \"fr\"}",
                    NULL, &response);
  other_node_finish (&node, thread);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (count (fixture, "admin_contacts WHERE area = 'devices' AND given_name = 'Main'"), ==, 1);
  /* "previous" is the details' last member: the other node's contact */
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'admin-contact.updated'"), ==, 1);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'admin-contact.updated'"
                                   " AND details LIKE '%\"previous\":{%\"Other\"%'"), ==, 1);
  assert_audit_intact (fixture);
}

static void
designate_sam (OtherNode *node)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_service_staff_grant (node->db, "sam", "elevation", "Night shift", NULL, &error));
  g_assert_no_error (error);
}

/* A change from a version that another node is changing at that moment
 * waits for it and is refused (412), as on one SQLite writer: no change is
 * lost. */
static void
test_stale_change_two_nodes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *first = NULL;
  gint64 sam = person_id (fixture, "sam");
  OtherNode node = { 0, };
  GThread *thread;

  get_member (fixture, fixture->admin, sam, &response);
  first = g_strdup (json_object_get_string_member (body_object (&response), "etag"));
  esc_test_response_clear (&response);

  thread = other_node_start (fixture, &node, designate_sam);
  put_designations (fixture, fixture->admin, sam, first,
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"Backup\"}]}",
                    &response);
  other_node_finish (&node, thread);
  g_assert_cmpuint (response.status, ==, 412);
  g_assert_cmpint (count (fixture, "designations WHERE capability = 'elevation'"
                                   " AND reason = 'Night shift'"), ==, 1);
  g_assert_cmpint (count (fixture, "designations WHERE capability = 'escalation'"), ==, 0);
}

static void
remove_sam_role (OtherNode *node)
{
  g_autoptr(GError) error = NULL;
  EscServiceAuditEvent actor = { .actor_name = "other-node" };
  gboolean removed = FALSE;

  g_assert_true (esc_service_access_remove_role (node->db, "sam", "support-staff", &actor, &removed,
                                                 &error));
  g_assert_no_error (error);
  g_assert_true (removed);
}

/* A role taken away on another node at that moment: the designation waits
 * for it and is refused, as only support staff are designated */
static void
test_role_removed_two_nodes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  gint64 sam = person_id (fixture, "sam");
  OtherNode node = { 0, };
  GThread *thread;

  thread = other_node_start (fixture, &node, remove_sam_role);
  put_designations (fixture, fixture->admin, sam, NULL,
                    "{\"designations\": [{\"capability\": \"escalation\", \"reason\": \"Backup\"}]}",
                    &response);
  other_node_finish (&node, thread);
  g_assert_cmpuint (response.status, ==, 422);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "not-support-staff");
  g_assert_cmpint (count (fixture, "designations WHERE capability = 'escalation'"), ==, 0);
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  gint64 people = count (fixture, "people");
  JsonArray *errors;
  const char *bad =
    "name,email,team,roles\r\n"
    "Ana Lopez,ana@example.org,Help desk,support-staff\r\n"
    "Bob,bob-at-example.org,,support-staff\r\n"
    "Chloé,chloe@example.org,,support-staff;it-admin\r\n"
    "Dan,SAM@example.org,,support-staff\r\n"
    "Ana Lopez,ana2@example.org,,\r\n";
  const char *good =
    "name,email,team,roles\n"
    "Ana Lopez,ana@example.org,Help desk,support-staff\n"
    "\"Chloé, Jr.\",chloe@example.org,,support-staff;it-admin\n";
  struct {
    guint line;
    const char *words;
  } expected[] = {
    { 3, "not a valid email address" },
    { 5, "already known" },
    { 6, "already on line 2" },
    { 6, "no role" },
  };

  esc_test_request (fixture->server, "POST", "/v1/staff/import", fixture->admin,
                    "text/csv; charset=utf-8", bad, NULL, &response);
  g_assert_cmpuint (response.status, ==, 422);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "invalid-rows");
  errors = json_object_get_array_member (body_object (&response), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *error = json_array_get_object_element (errors, i);

      g_assert_cmpint (json_object_get_int_member (error, "line"), ==, expected[i].line);
      g_assert_nonnull (strstr (json_object_get_string_member (error, "reason"), expected[i].words));
    }
  g_assert_cmpint (count (fixture, "people"), ==, people);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.imported'"), ==, 0);
  esc_test_response_clear (&response);

  /* Not CSV: 415. */
  esc_test_request (fixture->server, "POST", "/v1/staff/import", fixture->admin,
                    "application/json", "{}", NULL, &response);
  g_assert_cmpuint (response.status, ==, 415);
  esc_test_response_clear (&response);

  esc_test_request (fixture->server, "POST", "/v1/staff/import", fixture->admin,
                    "text/csv", good, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (body_object (&response), "imported"), ==, 2);
  g_assert_cmpint (count (fixture, "people"), ==, people + 2);
  g_assert_cmpint (count (fixture, "person_roles WHERE person_id = (SELECT id FROM people"
                                   " WHERE name = 'Chloé, Jr.')"), ==, 2);
  g_assert_cmpint (count (fixture, "people WHERE name = 'Ana Lopez' AND team = 'Help desk'"), ==, 1);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.imported'"), ==, 1);
}

/* Tokens */

static void
test_token_expiry_and_last_use (Fixture       *fixture,
                                gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(GError) error = NULL;
  const char * const roles[] = { "support-staff", NULL };
  g_autofree char *token = NULL;

  /* The default lifetime: 90 days. */
  token = esc_service_db_create_token (esc_test_server_get_db (fixture->server), "noa",
                                       "noa@example.org", roles, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "tokens WHERE expires_at = '2024-08-04T09:00:00Z'"), ==, 1);
  g_assert_cmpint (count (fixture, "tokens WHERE last_used_at IS NOT NULL"), ==, 0);

  esc_test_request (fixture->server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  g_assert_cmpint (count (fixture, "tokens WHERE last_used_at = '2024-05-06T09:00:00Z'"), ==, 1);

  /* At most once a minute. */
  esc_test_server_advance (fixture->server, 30 * G_TIME_SPAN_SECOND);
  esc_test_request (fixture->server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  esc_test_response_clear (&response);
  g_assert_cmpint (count (fixture, "tokens WHERE last_used_at = '2024-05-06T09:00:00Z'"), ==, 1);
  esc_test_server_advance (fixture->server, 2 * G_TIME_SPAN_MINUTE);
  esc_test_request (fixture->server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  esc_test_response_clear (&response);
  g_assert_cmpint (count (fixture, "tokens WHERE last_used_at = '2024-05-06T09:02:30Z'"), ==, 1);

  /* Expired: 401, saying so. */
  esc_test_server_set_now (fixture->server, "2024-08-04T09:00:01Z");
  esc_test_request (fixture->server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 401);
  g_assert_nonnull (strstr (json_object_get_string_member (body_object (&response), "detail"),
                            "expired"));
  esc_test_response_clear (&response);
}

/* The command line, on the same database */

static int
run_cli (Fixture            *fixture,
         const char * const *args,
         char              **out_stdout,
         char              **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("ESCALADE_SERVICE");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (esc_test_server_get_path (fixture->server)));
  esc_test_backend_add_options (argv, esc_test_server_get_tmpdir (fixture->server));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, out_stderr, &error);
  g_assert_no_error (error);

  return g_subprocess_get_exit_status (process);
}

static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *dir = g_dir_make_tmp ("escalade-access-XXXXXX", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.csv", NULL);
  g_autofree char *good = g_build_filename (dir, "good.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *line3 = NULL;
  g_autofree char *line4 = NULL;
  gint64 people = count (fixture, "people");
  const char *import_bad[] = { "person", "import", bad, NULL };
  const char *import_good[] = { "person", "import", good, NULL };
  const char *remove_role[] = { "role", "remove", "--user", "sam", "--role", "support-staff", NULL };
  const char *disable[] = { "person", "disable", "--user", "eve", "--reason", "Left", NULL };
  const char *list[] = { "token", "list", NULL };
  const char *list_eve[] = { "token", "list", "--user", "eve", NULL };
  const char *revoke_sam[] = { "token", "revoke", "--user", "sam", NULL };
  const char *verify[] = { "audit", "verify", NULL };

  g_assert_true (g_file_set_contents (bad, "name,email,team,roles\n"
                                           "Ana,ana@example.org,,support-staff\n"
                                           "Bob,bob@example.org,,wizard\n"
                                           "Cy,EVE@example.org,,support-staff\n", -1, NULL));
  g_assert_true (g_file_set_contents (good, "name,email,team,roles\n"
                                            "Ana,ana@example.org,,support-staff\n", -1, NULL));

  /* Every bad line on standard error, as FILE:LINE: reason; nothing imported. */
  g_assert_cmpint (run_cli (fixture, import_bad, &out, &err), ==, 1);
  line3 = g_strdup_printf ("%s:3: ", bad);
  line4 = g_strdup_printf ("%s:4: ", bad);
  g_assert_nonnull (strstr (err, line3));
  g_assert_nonnull (strstr (err, line4));
  g_assert_null (strstr (err, ":2: "));
  g_assert_cmpint (count (fixture, "people"), ==, people);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, import_good, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "1"));
  g_assert_cmpint (count (fixture, "people"), ==, people + 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* role remove: sam is no longer support staff. */
  g_assert_cmpint (run_cli (fixture, remove_role, &out, &err), ==, 0);
  g_assert_cmpint (count (fixture, "person_roles WHERE person_id = (SELECT id FROM people"
                                   " WHERE name = 'sam')"), ==, 0);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.role-removed'"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* token list: every token, never a secret. */
  g_assert_cmpint (run_cli (fixture, list, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\teve\t"));
  g_assert_nonnull (strstr (out, "\tadmin\t"));
  g_assert_null (strstr (out, fixture->eve));
  g_assert_null (strstr (out, "esc_"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* person disable: eve's token answers 401 at once; one audit event. */
  g_assert_cmpint (run_cli (fixture, disable, &out, &err), ==, 0);
  esc_test_request (fixture->server, "GET", "/v1/me", fixture->eve, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 401);
  esc_test_response_clear (&response);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'person.access-removed'"), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, list_eve, &out, &err), ==, 0);
  g_assert_null (strstr (out, "\t-\n"));  /* revoked */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* token revoke --user */
  g_assert_cmpint (run_cli (fixture, revoke_sam, &out, &err), ==, 0);
  esc_test_request (fixture->server, "GET", "/v1/me", fixture->sam, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 401);
  esc_test_response_clear (&response);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, verify, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, "OK"));

  g_unlink (bad);
  g_unlink (good);
  g_rmdir (dir);
}

/* A database as an earlier release left it, at schema @version, with
 * @rows written then: on SQLite a file at that user_version, on PostgreSQL
 * a database with its first @version steps recorded in schema_migrations. */
static char *
make_old_database (const char *dir,
                   int         version,
                   const char *rows)
{
  g_autofree char *database = esc_test_backend_new_database (dir);

  if (esc_test_backend_is_postgresql ())
    {
      g_autoptr(GString) sql = g_string_new ("CREATE TABLE schema_migrations ("
                                             "  version integer PRIMARY KEY,"
                                             "  applied_at timestamptz NOT NULL DEFAULT now (),"
                                             "  applied_by text NOT NULL DEFAULT current_setting ('application_name'));");

      g_assert_nonnull (esc_service_pg_get_migration (version));
      for (int v = 0; v < version; v++)
        g_string_append_printf (sql, "%s; INSERT INTO schema_migrations (version) VALUES (%d);",
                                esc_service_pg_get_migration (v), v + 1);
      g_string_append (sql, rows);
      esc_test_backend_pg_exec (database, sql->str);
    }
  else
    {
      g_autofree char *user_version = g_strdup_printf ("PRAGMA user_version = %d", version);
      sqlite3 *handle = NULL;

      g_assert_nonnull (esc_service_db_get_migration (version));
      g_assert_cmpint (sqlite3_open (database, &handle), ==, SQLITE_OK);
      for (int v = 0; v < version; v++)
        g_assert_cmpint (sqlite3_exec (handle, esc_service_db_get_migration (v), NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (handle, user_version, NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (handle, rows, NULL, NULL, NULL), ==, SQLITE_OK);
      sqlite3_close (handle);
    }

  return g_steal_pointer (&database);
}

static void
remove_old_database (const char *dir,
                     const char *database)
{
  const char * const suffixes[] = { "", "-wal", "-shm", ".key" };

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

/* Schema step 4 → 5, from a database as the previous release left it */

static void
test_migration_from_4 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-access-XXXXXX", NULL);
  g_autofree char *database = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *in_89_days = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 89);
  g_autoptr(EscServicePerson) person = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  EscServiceDb *db;

  g_assert_cmpint (esc_service_db_get_latest_schema_version (), >=, 5);

  /* A person and a token, as version 4 stored them. */
  token = g_strdup ("esc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
  rows = g_strdup_printf ("INSERT INTO people (id, name, email, created_at)"
                          " VALUES (1, 'kim', 'kim@example.org', '2024-01-01T00:00:00Z');"
                          "INSERT INTO person_roles VALUES (1, 'support-staff');"
                          "INSERT INTO tokens (hash, person_id, created_at)"
                          " VALUES ('%s', 1, '2024-01-01T00:00:00Z');", hash);
  database = make_old_database (dir, 4, rows);

  db = esc_service_db_open (database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_db_get_schema_version (db), ==,
                   esc_service_db_get_latest_schema_version ());

  /* The old token still works, now with an expiry, and records its use. */
  person = esc_service_db_authenticate (db, token, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (person->name, ==, "kim");
  in_89_days = esc_time_format (later);
  stmt = esc_service_db_prepare (db, "SELECT CASE WHEN expires_at > ?1 THEN 1 ELSE 0 END,"
                                     " CASE WHEN last_used_at IS NOT NULL THEN 1 ELSE 0 END FROM tokens",
                                 &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, in_89_days);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 0), ==, 1);
  g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 1), ==, 1);
  g_clear_pointer (&stmt, esc_service_stmt_free);
  stmt = esc_service_db_prepare (db, "SELECT CASE WHEN team IS NULL AND disabled_at IS NULL THEN 1 ELSE 0 END"
                                     " FROM people", &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 0), ==, 1);
  g_clear_pointer (&stmt, esc_service_stmt_free);
  g_assert_cmpint (esc_service_db_get_setting_int (db, "token.lifetime-days", 0), ==, 90);
  g_assert_finalize_object (db);

  remove_old_database (dir, database);
}

/* Schema steps 6 → 8 (7 → 8: why each elevation request was closed), from what the
 * previous release wrote in actions_taken */
static void
test_migration_from_6 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-access-XXXXXX", NULL);
  g_autofree char *database = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  const char * const expected[] = { "closed", "designation-withdrawn", "designation-expired", "access-removed",
                                    NULL };
  EscServiceDb *db;
  guint n = 0;

  g_assert_cmpint (esc_service_db_get_latest_schema_version (), >=, 7);

  database = make_old_database (dir, 6,
                                "INSERT INTO people (id, name, email, created_at) VALUES"
                                "  (1, 'kim', 'kim@example.org', '2024-01-01T00:00:00Z'),"
                                "  (2, 'admin', 'admin@example.org', '2024-01-01T00:00:00Z');"
                                "INSERT INTO devices (id, name, serial_number, device_group, created_at, updated_at)"
                                "  VALUES (1, 'MMD-1', 'SN-1', 'broad', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');"
                                "INSERT INTO elevation_requests (id, device_id, requested_by, ticket_id, category,"
                                "  subcategory, title, plan_of_action, state, created_at, expires_at, closed_at,"
                                "  closed_by, actions_taken) VALUES"
                                "  (1, 1, 1, 'T1', 'devices', 'other', 't', 'p', 'closed', '2024-01-01T00:00:00Z',"
                                "   '2024-01-01T02:00:00Z', '2024-01-01T01:00:00Z', 1, 'Reinstalled the driver'),"
                                "  (2, 1, 1, 'T2', 'devices', 'other', 't', 'p', 'closed', '2024-01-01T00:00:00Z',"
                                "   '2024-01-01T02:00:00Z', '2024-01-01T01:00:00Z', NULL, 'designation withdrawn'),"
                                "  (3, 1, 1, 'T3', 'devices', 'other', 't', 'p', 'closed', '2024-01-01T00:00:00Z',"
                                "   '2024-01-01T02:00:00Z', '2024-01-01T01:00:00Z', NULL, 'designation expired'),"
                                "  (4, 1, 1, 'T4', 'devices', 'other', 't', 'p', 'closed', '2024-01-01T00:00:00Z',"
                                "   '2024-01-01T02:00:00Z', '2024-01-01T01:00:00Z', NULL, 'access removed'),"
                                "  (5, 1, 1, 'T5', 'devices', 'other', 't', 'p', 'open', '2024-01-01T00:00:00Z',"
                                "   '2024-01-01T02:00:00Z', NULL, NULL, NULL);");

  db = esc_service_db_open (database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_db_get_schema_version (db), ==, esc_service_db_get_latest_schema_version ());
  stmt = esc_service_db_prepare (db, "SELECT closed_reason FROM elevation_requests ORDER BY id", &error);
  g_assert_no_error (error);
  while (esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW)
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (esc_service_stmt_column_text (stmt, 0), ==, expected[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, 5);
  g_clear_pointer (&stmt, esc_service_stmt_free);
  g_assert_finalize_object (db);

  remove_old_database (dir, database);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/service/access/designation-round-trip", test_designation_round_trip);
  ADD ("/service/access/stale-change", test_stale_change);
  ADD ("/service/access/stale-change/two-nodes", test_stale_change_two_nodes);
  ADD ("/service/access/role-removed/two-nodes", test_role_removed_two_nodes);
  ADD ("/service/access/withdrawal-ends-elevations", test_withdrawal_ends_elevations);
  ADD ("/service/access/expiry-ends-elevations", test_expiry_ends_elevations);
  ADD ("/service/access/remove-access", test_remove_access);
  ADD ("/service/access/create-person", test_create_person);
  ADD ("/service/access/create-person/two-nodes", test_create_person_two_nodes);
  ADD ("/service/access/token-create/two-nodes", test_token_create_two_nodes);
  ADD ("/service/access/admin-contact/two-nodes", test_admin_contact_two_nodes);
  ADD ("/service/access/import", test_import);
  ADD ("/service/access/token-expiry-and-last-use", test_token_expiry_and_last_use);
  ADD ("/service/access/command-line", test_command_line);
  g_test_add_func ("/service/access/migration-from-4", test_migration_from_4);
  g_test_add_func ("/service/access/migration-from-6", test_migration_from_6);

  return g_test_run ();
}
