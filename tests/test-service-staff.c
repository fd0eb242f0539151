/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-service-staff.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"

/* Designations: GET /v1/staff and PUT /v1/staff/{id}/designations with every
 * role, their validation and audit, expiry with the clock, and the
 * `designation grant`/`revoke` commands. */

typedef struct
{
  EscTestServer *server;
  char          *admin;
  char          *ann;      /* support-staff */
  char          *bob;      /* support-staff */
  char          *manager;  /* partner-manager */
  char          *operator;
  gint64         ann_id;
  gint64         bob_id;
} Fixture;

static gint64
person_id (Fixture    *fixture,
           const char *name)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                 "SELECT id FROM people WHERE name = ?1", &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, name);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->ann = esc_test_server_create_token (fixture->server, "ann", "support-staff");
  fixture->bob = esc_test_server_create_token (fixture->server, "bob", "support-staff");
  fixture->manager = esc_test_server_create_token (fixture->server, "pat", "partner-manager");
  fixture->operator = esc_test_server_create_token (fixture->server, "ops", "operator");
  fixture->ann_id = person_id (fixture, "ann");
  fixture->bob_id = person_id (fixture, "bob");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->ann, g_free);
  g_clear_pointer (&fixture->bob, g_free);
  g_clear_pointer (&fixture->manager, g_free);
  g_clear_pointer (&fixture->operator, g_free);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

static int
run_cli (Fixture             *fixture,
         const char * const  *args,
         char               **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
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
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("escalade-service %s %s → %d: %s", args[0], args[1],
                  g_subprocess_get_exit_status (process), stderr_text);

  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&stderr_text);

  return g_subprocess_get_exit_status (process);
}

static char *
designations_path (gint64 id)
{
  return g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", id);
}

static void
put_designations (Fixture         *fixture,
                  const char      *token,
                  gint64           id,
                  const char      *body,
                  EscTestResponse *response)
{
  g_autofree char *path = designations_path (id);

  esc_test_request (fixture->server, "PUT", path, token, NULL, body, NULL, response);
}

/* The caller's live designations, as GET /v1/me says, joined by ",". */
static char *
me_designations (Fixture    *fixture,
                 const char *token)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  JsonArray *array;

  esc_test_request (fixture->server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  array = json_object_get_array_member (json_node_get_object (response.body), "designations");
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (names, (char *)json_array_get_string_element (array, i));
  g_ptr_array_add (names, NULL);

  return g_strjoinv (",", (char **)names->pdata);
}

/* The StaffMember of @name in GET /v1/staff, or NULL. */
static JsonObject *
find_member (JsonNode   *body,
             const char *name)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (body), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *member = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (member, "name"), name) == 0)
        return member;
    }

  return NULL;
}

static JsonObject *
find_designation (JsonObject *member,
                  const char *capability)
{
  JsonArray *list = json_object_get_array_member (member, "designations");

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *designation = json_array_get_object_element (list, i);

      if (g_strcmp0 (json_object_get_string_member (designation, "capability"), capability) == 0)
        return designation;
    }

  return NULL;
}

static void
test_list_roles (Fixture       *fixture,
                 gconstpointer  data)
{
  const struct {
    const char *token;
    guint       status;
  } cases[] = {
    { fixture->admin, 200 },
    { fixture->ann, 403 },
    { fixture->manager, 403 },
    { fixture->operator, 403 },
    { NULL, 401 },
  };

  /* Even a designated agent does not see the team. */
  esc_test_server_designate (fixture->server, "ann", "elevation", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (fixture->server, "GET", "/v1/staff", cases[i].token, NULL, NULL, NULL,
                        &response);
      g_assert_cmpuint (response.status, ==, cases[i].status);
    }
}

static void
test_list_content (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_auto(EscTestResponse) put = { 0, };
  JsonObject *member;
  JsonObject *designation;
  JsonObject *by;
  JsonArray *roles;

  put_designations (fixture, fixture->admin, fixture->ann_id,
                    "{\"designations\": ["
                    " {\"capability\": \"elevation\", \"reason\": \"Tier 3\","
                    "  \"expires_at\": \"2024-05-06T12:00:00+02:00\"},"
                    " {\"capability\": \"escalation\", \"reason\": \"Team lead\", \"expires_at\": null}]}",
                    &put);
  g_assert_cmpuint (put.status, ==, 200);

  esc_test_request (fixture->server, "GET", "/v1/staff", fixture->admin, NULL, NULL, NULL,
                    &response);
  g_assert_cmpuint (response.status, ==, 200);

  /* Everyone, whatever their roles: the IT administrator, the partner
   * manager and the operator too, with their roles. */
  g_assert_nonnull (find_member (response.body, "ann"));
  g_assert_nonnull (find_member (response.body, "bob"));
  member = find_member (response.body, "admin");
  g_assert_nonnull (member);
  roles = json_object_get_array_member (member, "roles");
  g_assert_cmpuint (json_array_get_length (roles), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, "it-admin");
  member = find_member (response.body, "pat");
  g_assert_nonnull (member);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (member, "roles"), 0), ==,
                   "partner-manager");
  g_assert_nonnull (find_member (response.body, "ops"));

  member = find_member (response.body, "bob");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (member, "designations")),
                    ==, 0);

  member = find_member (response.body, "ann");
  g_assert_cmpint (json_object_get_int_member (member, "id"), ==, fixture->ann_id);
  g_assert_cmpstr (json_object_get_string_member (member, "email"), ==, "ann@example.org");
  roles = json_object_get_array_member (member, "roles");
  g_assert_cmpstr (json_array_get_string_element (roles, 0), ==, "support-staff");

  /* The expiry is stored in UTC. */
  designation = find_designation (member, "elevation");
  g_assert_cmpstr (json_object_get_string_member (designation, "reason"), ==, "Tier 3");
  g_assert_cmpstr (json_object_get_string_member (designation, "expires_at"), ==,
                   "2024-05-06T10:00:00Z");
  g_assert_true (json_object_get_boolean_member (designation, "active"));
  g_assert_cmpstr (json_object_get_string_member (designation, "designated_at"), ==,
                   "2024-05-06T09:00:00Z");
  by = json_object_get_object_member (designation, "designated_by");
  g_assert_cmpstr (json_object_get_string_member (by, "name"), ==, "admin");

  designation = find_designation (member, "escalation");
  g_assert_true (json_object_get_null_member (designation, "expires_at"));
  g_assert_true (json_object_get_boolean_member (designation, "active"));
}

static void
test_put_replaces_and_audits (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *designations = NULL;

  {
    g_auto(EscTestResponse) response = { 0, };
    JsonObject *member;

    put_designations (fixture, fixture->admin, fixture->ann_id,
                      "{\"designations\": ["
                      " {\"capability\": \"elevation\", \"reason\": \"Tier 3\","
                      "  \"expires_at\": \"2024-06-01T00:00:00Z\"},"
                      " {\"capability\": \"escalation\", \"reason\": \"Team lead\"}]}",
                      &response);
    g_assert_cmpuint (response.status, ==, 200);
    member = json_node_get_object (response.body);
    g_assert_cmpstr (json_object_get_string_member (member, "name"), ==, "ann");
    g_assert_nonnull (find_designation (member, "elevation"));
    g_assert_true (json_object_get_boolean_member (find_designation (member, "elevation"),
                                                   "active"));
    g_assert_nonnull (find_designation (member, "escalation"));
  }

  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "elevation,escalation");
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'designation.granted'"
                                               " AND actor_name = 'admin'"
                                               " AND target LIKE '/v1/staff/%/designations'"), ==, 2);

  /* The same set again: nothing changes, nothing is audited. */
  {
    g_auto(EscTestResponse) response = { 0, };

    put_designations (fixture, fixture->admin, fixture->ann_id,
                      "{\"designations\": ["
                      " {\"capability\": \"escalation\", \"reason\": \"Team lead\"},"
                      " {\"capability\": \"elevation\", \"reason\": \"Tier 3\","
                      "  \"expires_at\": \"2024-06-01T00:00:00Z\"}]}",
                      &response);
    g_assert_cmpuint (response.status, ==, 200);
  }
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action LIKE 'designation.%'"), ==, 2);

  /* Only escalation, with a new reason: elevation withdrawn, escalation changed. */
  {
    g_auto(EscTestResponse) response = { 0, };
    JsonObject *member;

    put_designations (fixture, fixture->admin, fixture->ann_id,
                      "{\"designations\": ["
                      " {\"capability\": \"escalation\", \"reason\": \"Escalation team\","
                      "  \"expires_at\": null}]}",
                      &response);
    g_assert_cmpuint (response.status, ==, 200);
    member = json_node_get_object (response.body);
    g_assert_null (find_designation (member, "elevation"));
    g_assert_cmpstr (json_object_get_string_member (find_designation (member, "escalation"),
                                                    "reason"), ==, "Escalation team");
  }

  g_clear_pointer (&designations, g_free);
  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "escalation");
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'designation.withdrawn'"
                                               " AND details LIKE '%\"capability\":\"elevation\"%'"),
                   ==, 1);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'designation.changed'"
                                               " AND details LIKE '%\"previous_reason\":\"Team lead\"%'"),
                   ==, 1);

  /* An empty set withdraws everything. */
  {
    g_auto(EscTestResponse) response = { 0, };

    put_designations (fixture, fixture->admin, fixture->ann_id, "{\"designations\": []}",
                      &response);
    g_assert_cmpuint (response.status, ==, 200);
  }
  g_clear_pointer (&designations, g_free);
  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "");
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "designations"), ==, 0);

  /* Bob was never touched. */
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action LIKE 'designation.%'"
                                               " AND details LIKE '%\"person\":\"bob\"%'"), ==, 0);
}

static void
test_put_validation (Fixture       *fixture,
                     gconstpointer  data)
{
  const struct {
    const char *body;
    const char *field;
  } cases[] = {
    /* the past, or now */
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\","
      " \"expires_at\": \"2024-05-06T08:59:59Z\"}]}", "/designations/0/expires_at" },
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\","
      " \"expires_at\": \"2024-05-06T09:00:00Z\"}]}", "/designations/0/expires_at" },
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\","
      " \"expires_at\": \"tomorrow\"}]}", "/designations/0/expires_at" },
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\","
      " \"expires_at\": 1715000000}]}", "/designations/0/expires_at" },
    /* the reason is required */
    { "{\"designations\": [{\"capability\": \"elevation\"}]}", "/designations/0/reason" },
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"  \"}]}",
      "/designations/0/reason" },
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": null}]}",
      "/designations/0/reason" },
    /* capabilities */
    { "{\"designations\": [{\"capability\": \"admin\", \"reason\": \"r\"}]}",
      "/designations/0/capability" },
    { "{\"designations\": [{\"reason\": \"r\"}]}", "/designations/0/capability" },
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\"},"
      " {\"capability\": \"elevation\", \"reason\": \"s\"}]}", "/designations/1/capability" },
    /* shape */
    { "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\", \"level\": 3}]}",
      "/designations/0/level" },
    { "{\"designations\": [\"elevation\"]}", "/designations/0" },
    { "{\"designations\": {\"capability\": \"elevation\"}}", "/designations" },
    { "{\"designations\": [{}, {}, {}]}", "/designations" },
    { "{}", "/designations" },
    { "{\"designations\": [], \"person\": 2}", "/person" },
  };
  g_autofree char *reason = NULL;
  g_autofree char *long_body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      put_designations (fixture, fixture->admin, fixture->ann_id, cases[i].body, &response);
      g_test_message ("case %u: %s", i, response.text);
      g_assert_cmpuint (response.status, ==, 422);
      g_assert_cmpstr (esc_test_problem_field (&response), ==, cases[i].field);
    }

  /* A reason of 501 characters. */
  reason = g_strnfill (501, 'x');
  long_body = g_strdup_printf ("{\"designations\": [{\"capability\": \"elevation\", "
                               "\"reason\": \"%s\"}]}", reason);
  {
    g_auto(EscTestResponse) response = { 0, };

    put_designations (fixture, fixture->admin, fixture->ann_id, long_body, &response);
    g_assert_cmpuint (response.status, ==, 422);
    g_assert_cmpstr (esc_test_problem_field (&response), ==, "/designations/0/reason");
  }

  /* Not JSON, not an object, not application/json. */
  {
    g_auto(EscTestResponse) response = { 0, };
    g_autofree char *path = designations_path (fixture->ann_id);

    put_designations (fixture, fixture->admin, fixture->ann_id, "{\"designations\": [", &response);
    g_assert_cmpuint (response.status, ==, 400);
    esc_test_response_clear (&response);
    put_designations (fixture, fixture->admin, fixture->ann_id, "[]", &response);
    g_assert_cmpuint (response.status, ==, 400);
    esc_test_response_clear (&response);
    esc_test_request (fixture->server, "PUT", path, fixture->admin, "text/plain",
                      "{\"designations\": []}", NULL, &response);
    g_assert_cmpuint (response.status, ==, 415);
  }

  /* Who is designated: a person that exists and is support staff. */
  {
    g_auto(EscTestResponse) response = { 0, };
    const char *ok_body = "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"r\"}]}";

    put_designations (fixture, fixture->admin, 9999, ok_body, &response);
    g_assert_cmpuint (response.status, ==, 404);
    esc_test_response_clear (&response);
    esc_test_request (fixture->server, "PUT", "/v1/staff/ann/designations", fixture->admin, NULL,
                      ok_body, NULL, &response);
    g_assert_cmpuint (response.status, ==, 404);
    esc_test_response_clear (&response);
    esc_test_request (fixture->server, "PUT", "/v1/staff/0/designations", fixture->admin, NULL,
                      ok_body, NULL, &response);
    g_assert_cmpuint (response.status, ==, 404);
    esc_test_response_clear (&response);
    put_designations (fixture, fixture->admin, person_id (fixture, "pat"), ok_body, &response);
    g_assert_cmpuint (response.status, ==, 422);
    g_assert_cmpstr (esc_test_problem_type (&response), ==, "not-support-staff");
  }

  /* Nothing was written, nothing audited but refusals. */
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "designations"), ==, 0);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action LIKE 'designation.%'"), ==, 0);
}

static void
test_put_roles (Fixture       *fixture,
                gconstpointer  data)
{
  const char *body = "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"me\"}]}";
  const char *tokens[] = { fixture->ann, fixture->bob, fixture->manager, fixture->operator };

  /* Not even a designated agent may designate (themselves or anyone). */
  esc_test_server_designate (fixture->server, "bob", "escalation", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      put_designations (fixture, tokens[i], fixture->ann_id, body, &response);
      g_assert_cmpuint (response.status, ==, 403);
      g_assert_cmpstr (esc_test_problem_type (&response), ==, "forbidden");
    }

  {
    g_auto(EscTestResponse) response = { 0, };

    put_designations (fixture, NULL, fixture->ann_id, body, &response);
    g_assert_cmpuint (response.status, ==, 401);
  }

  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "designations WHERE person_id IN"
                                               " (SELECT id FROM people WHERE name = 'ann')"), ==, 0);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'authorization.refused'"),
                   ==, 4);
}

static void
test_expiry_with_clock (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_auto(EscTestResponse) staff = { 0, };
  g_autofree char *designations = NULL;
  const char *detail;

  put_designations (fixture, fixture->admin, fixture->ann_id,
                    "{\"designations\": [{\"capability\": \"elevation\", \"reason\": \"On call\","
                    " \"expires_at\": \"2024-05-06T10:00:00Z\"}]}",
                    &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);

  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "elevation");

  esc_test_server_advance (fixture->server, 59 * G_TIME_SPAN_MINUTE);
  g_clear_pointer (&designations, g_free);
  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "elevation");

  esc_test_server_advance (fixture->server, G_TIME_SPAN_MINUTE);
  g_clear_pointer (&designations, g_free);
  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "");

  /* Expired: refused, and the detail says so. */
  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", fixture->ann, NULL,
                    "{}", NULL, &response);
  g_assert_cmpuint (response.status, ==, 403);
  detail = json_object_get_string_member (json_node_get_object (response.body), "detail");
  g_assert_nonnull (strstr (detail, "expired"));
  g_assert_nonnull (strstr (detail, "2024-05-06T10:00:00Z"));

  /* The team list still shows it, inactive. */
  esc_test_request (fixture->server, "GET", "/v1/staff", fixture->admin, NULL, NULL, NULL, &staff);
  g_assert_false (json_object_get_boolean_member (find_designation (find_member (staff.body, "ann"),
                                                                    "elevation"), "active"));
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  const char * const grant[] = { "designation", "grant", "--user", "ann", "--capability",
                                 "elevation", "--reason", "Night shift", "--expires",
                                 "2099-01-01T00:00:00Z", NULL };
  const char * const grant_default[] = { "designation", "grant", "--user", "bob",
                                         "--capability", "escalation", NULL };
  const char * const revoke[] = { "designation", "revoke", "--user", "ann", "--capability",
                                  "elevation", NULL };
  const char * const not_staff[] = { "designation", "grant", "--user", "pat", "--capability",
                                     "elevation", NULL };
  const char * const unknown_user[] = { "designation", "grant", "--user", "nobody",
                                        "--capability", "elevation", NULL };
  const char * const bad_capability[] = { "designation", "grant", "--user", "ann",
                                          "--capability", "root", NULL };
  const char * const past[] = { "designation", "grant", "--user", "ann", "--capability",
                                "elevation", "--expires", "2000-01-01T00:00:00Z", NULL };
  const char * const bad_time[] = { "designation", "grant", "--user", "ann", "--capability",
                                    "elevation", "--expires", "soon", NULL };
  const char * const missing[] = { "designation", "grant", "--user", "ann", NULL };
  const char * const no_sub[] = { "designation", NULL };
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *designations = NULL;
  g_autofree char *err = NULL;
  JsonObject *designation;

  g_assert_cmpint (run_cli (fixture, grant, NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, grant_default, NULL), ==, 0);

  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "elevation");
  g_clear_pointer (&designations, g_free);
  designations = me_designations (fixture, fixture->bob);
  g_assert_cmpstr (designations, ==, "escalation");

  esc_test_request (fixture->server, "GET", "/v1/staff", fixture->admin, NULL, NULL, NULL,
                    &response);
  designation = find_designation (find_member (response.body, "ann"), "elevation");
  g_assert_cmpstr (json_object_get_string_member (designation, "reason"), ==, "Night shift");
  g_assert_cmpstr (json_object_get_string_member (designation, "expires_at"), ==,
                   "2099-01-01T00:00:00Z");
  g_assert_true (json_object_get_null_member (designation, "designated_by"));
  designation = find_designation (find_member (response.body, "bob"), "escalation");
  g_assert_nonnull (strstr (json_object_get_string_member (designation, "reason"), "grant"));

  g_assert_cmpint (run_cli (fixture, not_staff, &err), ==, 2);
  g_assert_nonnull (strstr (err, "support-staff"));
  g_assert_cmpint (run_cli (fixture, unknown_user, NULL), ==, 1);
  g_assert_cmpint (run_cli (fixture, bad_capability, NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, past, NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, bad_time, NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, missing, NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, no_sub, NULL), ==, 2);

  g_assert_cmpint (run_cli (fixture, revoke, NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, revoke, NULL), ==, 0);
  g_clear_pointer (&designations, g_free);
  designations = me_designations (fixture, fixture->ann);
  g_assert_cmpstr (designations, ==, "");

  /* granted twice, withdrawn once; from the command line (no actor). */
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'designation.granted'"
                                               " AND actor_id IS NULL"), ==, 2);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'designation.withdrawn'"),
                   ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/service/staff/list/roles", Fixture, NULL,
              fixture_setup, test_list_roles, fixture_teardown);
  g_test_add ("/service/staff/list/content", Fixture, NULL,
              fixture_setup, test_list_content, fixture_teardown);
  g_test_add ("/service/staff/put/replaces-and-audits", Fixture, NULL,
              fixture_setup, test_put_replaces_and_audits, fixture_teardown);
  g_test_add ("/service/staff/put/validation", Fixture, NULL,
              fixture_setup, test_put_validation, fixture_teardown);
  g_test_add ("/service/staff/put/roles", Fixture, NULL,
              fixture_setup, test_put_roles, fixture_teardown);
  g_test_add ("/service/staff/expiry-with-clock", Fixture, NULL,
              fixture_setup, test_expiry_with_clock, fixture_teardown);
  g_test_add ("/service/staff/cli", Fixture, NULL,
              fixture_setup, test_cli, fixture_teardown);

  return g_test_run ();
}
