/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-service-contacts.h"
#include "esc-test-inprocess.h"

/* Admin contacts: GET /v1/admin-contacts and PUT /v1/admin-contacts/{area}
 * with every role, validation, and audit. */

#define CAMILLE \
  "{\"given_name\": \"Camille\", \"surname\": \"Martin\", \"email\": \"camille@example.org\"," \
  " \"phone\": \"+33 1 23 45 67 89\", \"preferred_method\": \"email\", \"language\": \"fr\"}"

#define DOMINIQUE \
  "{\"given_name\": \"Dominique\", \"surname\": \"Durand\", \"email\": \"dd@example.org\"," \
  " \"phone\": \"(555) 010-9999\", \"preferred_method\": \"phone\", \"language\": \"en-GB\"}"

typedef struct
{
  EscTestServer *server;
  char          *admin;
  char          *staff;
  char          *manager;
  char          *operator;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->staff = esc_test_server_create_token (fixture->server, "sam", "support-staff");
  fixture->manager = esc_test_server_create_token (fixture->server, "pat", "partner-manager");
  fixture->operator = esc_test_server_create_token (fixture->server, "ops", "operator");
  /* Designations grant nothing here. */
  esc_test_server_designate (fixture->server, "sam", "elevation", NULL);
  esc_test_server_designate (fixture->server, "sam", "escalation", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->staff, g_free);
  g_clear_pointer (&fixture->manager, g_free);
  g_clear_pointer (&fixture->operator, g_free);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  const char *refused[] = { fixture->staff, fixture->manager, fixture->operator };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_auto(EscTestResponse) list = { 0, };
      g_auto(EscTestResponse) put = { 0, };

      esc_test_request (fixture->server, "GET", "/v1/admin-contacts", refused[i], NULL, NULL,
                        NULL, &list);
      g_assert_cmpuint (list.status, ==, 403);
      esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/devices", refused[i], NULL,
                        CAMILLE, NULL, &put);
      g_assert_cmpuint (put.status, ==, 403);
      g_assert_cmpstr (esc_test_problem_type (&put), ==, "forbidden");
    }

  {
    g_auto(EscTestResponse) list = { 0, };
    g_auto(EscTestResponse) put = { 0, };

    esc_test_request (fixture->server, "GET", "/v1/admin-contacts", NULL, NULL, NULL, NULL, &list);
    g_assert_cmpuint (list.status, ==, 401);
    esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/devices", NULL, NULL, CAMILLE,
                      NULL, &put);
    g_assert_cmpuint (put.status, ==, 401);
  }

  {
    g_auto(EscTestResponse) list = { 0, };

    esc_test_request (fixture->server, "GET", "/v1/admin-contacts", fixture->admin, NULL, NULL,
                      NULL, &list);
    g_assert_cmpuint (list.status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (list.body),
                                                                          "items")), ==, 0);
  }

  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "admin_contacts"), ==, 0);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'authorization.refused'"),
                   ==, 6);
}

static void
test_put_and_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(JsonNode) copied = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *contact;
  JsonArray *items;

  esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/security", fixture->admin, NULL,
                    CAMILLE, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  contact = json_node_get_object (response.body);
  g_assert_cmpstr (json_object_get_string_member (contact, "area"), ==, "security");
  g_assert_cmpstr (json_object_get_string_member (contact, "given_name"), ==, "Camille");
  g_assert_cmpstr (json_object_get_string_member (contact, "phone"), ==, "+33 1 23 45 67 89");
  g_assert_cmpstr (json_object_get_string_member (contact, "updated_at"), ==, "2024-05-06T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (contact, "updated_by"),
                                                  "name"), ==, "admin");
  esc_test_response_clear (&response);

  esc_test_server_advance (fixture->server, G_TIME_SPAN_HOUR);
  esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/app-packaging", fixture->admin,
                    NULL, DOMINIQUE, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);

  /* Replacing the security contact. */
  esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/security", fixture->admin, NULL,
                    DOMINIQUE, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);

  /* In the order of the areas, not of the changes. */
  esc_test_request (fixture->server, "GET", "/v1/admin-contacts", fixture->admin, NULL, NULL,
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (response.body), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  contact = json_array_get_object_element (items, 0);
  g_assert_cmpstr (json_object_get_string_member (contact, "area"), ==, "app-packaging");
  contact = json_array_get_object_element (items, 1);
  g_assert_cmpstr (json_object_get_string_member (contact, "area"), ==, "security");
  g_assert_cmpstr (json_object_get_string_member (contact, "surname"), ==, "Durand");
  g_assert_cmpstr (json_object_get_string_member (contact, "preferred_method"), ==, "phone");
  g_assert_cmpstr (json_object_get_string_member (contact, "language"), ==, "en-GB");
  g_assert_cmpstr (json_object_get_string_member (contact, "updated_at"), ==, "2024-05-06T10:00:00Z");

  /* What a support request copies. */
  copied = esc_service_contacts_dup_json (esc_test_server_get_db (fixture->server), "security",
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (copied), "email"), ==,
                   "dd@example.org");
  g_clear_pointer (&copied, json_node_unref);
  copied = esc_service_contacts_dup_json (esc_test_server_get_db (fixture->server), "other", &error);
  g_assert_no_error (error);
  g_assert_null (copied);

  /* Each change audited, with what it replaced. */
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'admin-contact.updated'"
                                               " AND actor_name = 'admin'"), ==, 3);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'admin-contact.updated'"
                                               " AND target = '/v1/admin-contacts/security'"
                                               " AND details LIKE '%\"previous\":{%Camille%'"), ==, 1);
}

static void
test_validation (Fixture       *fixture,
                 gconstpointer  data)
{
  const struct {
    const char *body;
    const char *field;
  } cases[] = {
    { "{\"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"123\","
      " \"preferred_method\": \"email\", \"language\": \"fr\"}", "/given_name" },
    { "{\"given_name\": \" \", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"123\","
      " \"preferred_method\": \"email\", \"language\": \"fr\"}", "/given_name" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"not-an-address\", \"phone\": \"123\","
      " \"preferred_method\": \"email\", \"language\": \"fr\"}", "/email" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"call me\","
      " \"preferred_method\": \"email\", \"language\": \"fr\"}", "/phone" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"12+3\","
      " \"preferred_method\": \"email\", \"language\": \"fr\"}", "/phone" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"123\","
      " \"preferred_method\": \"fax\", \"language\": \"fr\"}", "/preferred_method" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"123\","
      " \"preferred_method\": \"email\", \"language\": \"français\"}", "/language" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"123\","
      " \"preferred_method\": \"email\", \"language\": \"f\"}", "/language" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": 123,"
      " \"preferred_method\": \"email\", \"language\": \"fr\"}", "/phone" },
    { "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"a@example.org\", \"phone\": \"123\","
      " \"preferred_method\": \"email\", \"language\": \"fr\", \"mobile\": \"456\"}", "/mobile" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/devices", fixture->admin,
                        NULL, cases[i].body, NULL, &response);
      g_test_message ("case %u: %s", i, response.text);
      g_assert_cmpuint (response.status, ==, 422);
      g_assert_cmpstr (esc_test_problem_field (&response), ==, cases[i].field);
    }

  {
    g_auto(EscTestResponse) response = { 0, };

    esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/printers", fixture->admin,
                      NULL, CAMILLE, NULL, &response);
    g_assert_cmpuint (response.status, ==, 404);
    esc_test_response_clear (&response);
    esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/devices", fixture->admin,
                      "text/plain", CAMILLE, NULL, &response);
    g_assert_cmpuint (response.status, ==, 415);
    esc_test_response_clear (&response);
    esc_test_request (fixture->server, "PUT", "/v1/admin-contacts/devices", fixture->admin,
                      NULL, "{\"given_name\":", NULL, &response);
    g_assert_cmpuint (response.status, ==, 400);
    esc_test_response_clear (&response);
    esc_test_request (fixture->server, "POST", "/v1/admin-contacts/devices", fixture->admin,
                      NULL, CAMILLE, NULL, &response);
    g_assert_cmpuint (response.status, ==, 405);
  }

  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "admin_contacts"), ==, 0);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'admin-contact.updated'"),
                   ==, 0);
}

static void
test_phone_and_language (void)
{
  g_assert_true (esc_service_contact_phone_is_valid ("+33 1 23 45 67 89"));
  g_assert_true (esc_service_contact_phone_is_valid ("(555) 010-9999"));
  g_assert_true (esc_service_contact_phone_is_valid ("01.23.45.67.89"));
  g_assert_false (esc_service_contact_phone_is_valid ("12"));
  g_assert_false (esc_service_contact_phone_is_valid ("1+23"));
  g_assert_false (esc_service_contact_phone_is_valid ("123 ext. 4"));
  g_assert_false (esc_service_contact_phone_is_valid (NULL));

  g_assert_true (esc_service_contact_language_is_valid ("fr"));
  g_assert_true (esc_service_contact_language_is_valid ("en-GB"));
  g_assert_true (esc_service_contact_language_is_valid ("zh-Hant-TW"));
  g_assert_false (esc_service_contact_language_is_valid ("e"));
  g_assert_false (esc_service_contact_language_is_valid ("en-"));
  g_assert_false (esc_service_contact_language_is_valid ("en_GB"));
  g_assert_false (esc_service_contact_language_is_valid ("1a"));
  g_assert_false (esc_service_contact_language_is_valid (""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/contacts/phone-and-language", test_phone_and_language);
  g_test_add ("/service/contacts/roles", Fixture, NULL,
              fixture_setup, test_roles, fixture_teardown);
  g_test_add ("/service/contacts/put-and-list", Fixture, NULL,
              fixture_setup, test_put_and_list, fixture_teardown);
  g_test_add ("/service/contacts/validation", Fixture, NULL,
              fixture_setup, test_validation, fixture_teardown);

  return g_test_run ();
}
