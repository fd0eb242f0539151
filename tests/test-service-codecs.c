/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-admin-contact.h"
#include "esc-calendar.h"
#include "esc-sla-agreement.h"
#include "esc-support-model.h"
#include "esc-audit-event.h"
#include "esc-device.h"
#include "esc-elevation-password.h"
#include "esc-elevation-request.h"
#include "esc-identity.h"
#include "esc-json-read.h"
#include "esc-service-devices.h"
#include "esc-staff-member.h"
#include "esc-test-inprocess.h"

/* The service writes its answers with the core codecs the app reads them
 * with: every answer of a real service (over HTTP, on loopback) decodes with
 * the app's reader, and writing what was read gives back the answer, member
 * for member and in the same order, so that the two sides cannot drift. */

typedef JsonNode *(*Recode) (JsonNode *node, GError **error);

#define RECODE(name, type)                                            \
  static JsonNode *                                                   \
  recode_##name (JsonNode *node, GError **error)                      \
  {                                                                   \
    g_autoptr(type) object = esc_##name##_new_from_json (node, error); \
                                                                      \
    return object != NULL ? esc_##name##_to_json (object) : NULL;     \
  }

RECODE (staff_member, EscStaffMember)
RECODE (audit_event, EscAuditEvent)
RECODE (device, EscDevice)
RECODE (elevation_request, EscElevationRequest)
RECODE (admin_contact, EscAdminContact)
RECODE (identity, EscIdentity)

static JsonNode *
recode_calendar (JsonNode  *node,
                 GError   **error)
{
  g_autoptr(EscCalendar) calendar = esc_calendar_new_from_json (node, error);

  return calendar != NULL ? esc_calendar_to_json (calendar) : NULL;
}

static JsonNode *
recode_sla_version (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(EscSlaAgreementVersion) version = esc_sla_agreement_version_new_from_json (node, FALSE, error);

  return version != NULL ? esc_sla_agreement_version_to_json (version) : NULL;
}

static JsonNode *
recode_support_model (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(EscSupportModel) model = esc_support_model_new_from_json (node, FALSE, error);

  return model != NULL ? esc_support_model_to_json (model) : NULL;
}

/* Decodes @node with the app's reader, writes it again, and compares the
 * texts. */
static void
assert_recodes (JsonNode *node,
                Recode    recode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = recode (node, &error);
  g_autofree char *expected = NULL;
  g_autofree char *actual = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (again);

  expected = esc_json_to_string (node);
  actual = esc_json_to_string (again);
  g_assert_cmpstr (actual, ==, expected);
  g_assert_true (json_node_equal (again, node));
}

/* Each item of {"items": [...]}; returns how many */
static guint
assert_items_recode (EscTestResponse *response,
                     Recode           recode)
{
  JsonArray *items;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (response->body);
  items = json_object_get_array_member (json_node_get_object (response->body), "items");
  g_assert_nonnull (items);

  for (guint i = 0; i < json_array_get_length (items); i++)
    assert_recodes (json_array_get_element (items, i), recode);

  return json_array_get_length (items);
}

static void
test_answers_recode (void)
{
  EscTestServer *server = esc_test_server_new ();
  g_autofree char *admin = esc_test_server_create_token (server, "admin", "it-admin,support-staff");
  g_autofree char *eve = esc_test_server_create_token (server, "eve", "support-staff");
  g_autofree char *path = NULL;
  g_autofree char *request_path = NULL;
  g_autoptr(GError) error = NULL;
  gint64 eve_id;

  esc_test_server_designate (server, "admin", "escalation", NULL);
  esc_service_devices_add (esc_test_server_get_db (server), "MMD-1", "SN-0001", "broad", &error);
  g_assert_no_error (error);
  esc_service_devices_add (esc_test_server_get_db (server), "MMD-2", "SN-0002", "fast", &error);
  g_assert_no_error (error);

  /* GET /v1/me */
  {
    g_auto(EscTestResponse) me = { 0, };

    esc_test_request (server, "GET", "/v1/me", eve, NULL, NULL, NULL, &me);
    g_assert_cmpuint (me.status, ==, 200);
    assert_recodes (me.body, recode_identity);
    eve_id = json_object_get_int_member (json_node_get_object (me.body), "id");
    g_assert_cmpint (eve_id, >, 0);
  }

  /* Designations granted by someone (designated_by is a person), one with
   * an expiry, one without: GET /v1/staff */
  {
    g_auto(EscTestResponse) put = { 0, };
    g_auto(EscTestResponse) staff = { 0, };

    path = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", eve_id);
    esc_test_request (server, "PUT", path, admin, NULL,
                      "{\"designations\": ["
                      " {\"capability\": \"elevation\", \"reason\": \"Tier 3\","
                      "  \"expires_at\": \"2024-05-06T12:00:00+02:00\"},"
                      " {\"capability\": \"escalation\", \"reason\": \"Team lead\","
                      "  \"expires_at\": null}]}",
                      NULL, &put);
    g_assert_cmpuint (put.status, ==, 200);
    assert_recodes (put.body, recode_staff_member);

    esc_test_request (server, "GET", "/v1/staff", admin, NULL, NULL, NULL, &staff);
    g_assert_cmpuint (assert_items_recode (&staff, recode_staff_member), ==, 2);
  }

  /* An admin contact: GET /v1/admin-contacts */
  {
    g_auto(EscTestResponse) put = { 0, };
    g_auto(EscTestResponse) contacts = { 0, };

    esc_test_request (server, "PUT", "/v1/admin-contacts/devices", admin, NULL,
                      "{\"given_name\": \"Camille\", \"surname\": \"Martin\","
                      " \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
                      " \"preferred_method\": \"phone\", \"language\": \"fr\"}",
                      NULL, &put);
    g_assert_cmpuint (put.status, ==, 200);
    assert_recodes (put.body, recode_admin_contact);

    esc_test_request (server, "GET", "/v1/admin-contacts", admin, NULL, NULL, NULL, &contacts);
    g_assert_cmpuint (assert_items_recode (&contacts, recode_admin_contact), ==, 1);
  }

  /* An elevation request, its password read twice, then closed */
  {
    g_auto(EscTestResponse) open = { 0, };
    g_auto(EscTestResponse) get = { 0, };
    g_auto(EscTestResponse) close = { 0, };
    g_auto(EscTestResponse) list = { 0, };

    esc_test_request (server, "POST", "/v1/elevation-requests", eve, NULL,
                      "{\"ticket_id\": \"INC0012345\", \"device\": \"MMD-1\","
                      " \"category\": \"devices\", \"subcategory\": \"printer-driver\","
                      " \"title\": \"Reinstall the printer driver\","
                      " \"plan_of_action\": \"Run the printer troubleshooter elevated.\"}",
                      NULL, &open);
    g_assert_cmpuint (open.status, ==, 201);
    assert_recodes (open.body, recode_elevation_request);
    request_path = g_strconcat ("/v1/elevation-requests/",
                                json_object_get_string_member (json_node_get_object (open.body), "id"),
                                NULL);

    for (guint i = 0; i < 2; i++)
      {
        g_auto(EscTestResponse) password = { 0, };
        g_autoptr(EscElevationPassword) read = NULL;
        g_autoptr(JsonNode) again = NULL;
        g_autofree char *expected = NULL;
        g_autofree char *actual = NULL;
        g_autofree char *password_path = g_strconcat (request_path, "/password", NULL);
        JsonNode *member;
        gsize length;

        esc_test_request (server, "GET", password_path, eve, NULL, NULL, NULL, &password);
        g_assert_cmpuint (password.status, ==, 200);
        expected = esc_json_to_string (password.body);

        /* The reader wipes the password in the tree it read */
        read = esc_elevation_password_new_from_json (password.body, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (strlen (read->password), >=, 16);
        again = esc_elevation_password_to_json (read);
        actual = esc_json_to_string (again);
        g_assert_cmpstr (actual, ==, expected);

        /* And the writer's tree is wiped once used */
        member = json_object_get_member (json_node_get_object (again), "password");
        length = strlen (json_node_get_string (member));
        g_assert_cmpuint (length, ==, strlen (read->password));
        esc_elevation_password_wipe_json (again);
        for (gsize j = 0; j < length; j++)
          g_assert_true (json_node_get_string (member)[j] == '\0');
      }

    esc_test_request (server, "GET", request_path, eve, NULL, NULL, NULL, &get);
    g_assert_cmpuint (get.status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (get.body),
                                                                           "password_views")), ==, 2);
    assert_recodes (get.body, recode_elevation_request);

    {
      g_autofree char *close_path = g_strconcat (request_path, "/close", NULL);

      esc_test_request (server, "POST", close_path, eve, NULL,
                        "{\"actions_taken\": \"Reinstalled the driver.\"}", NULL, &close);
      g_assert_cmpuint (close.status, ==, 200);
      assert_recodes (close.body, recode_elevation_request);
    }

    esc_test_request (server, "GET", "/v1/elevation-requests", eve, NULL, NULL, NULL, &list);
    g_assert_cmpuint (assert_items_recode (&list, recode_elevation_request), ==, 1);
  }

  /* GET /v1/devices, with open_elevation_requests */
  {
    g_auto(EscTestResponse) devices = { 0, };

    esc_test_request (server, "GET", "/v1/devices?query=MMD", admin, NULL, NULL, NULL, &devices);
    g_assert_cmpuint (assert_items_recode (&devices, recode_device), ==, 2);
  }

  /* GET /v1/audit: everything above, with actors, roles, details and hashes */
  {
    g_auto(EscTestResponse) audit = { 0, };

    esc_test_request (server, "GET", "/v1/audit?limit=200", admin, NULL, NULL, NULL, &audit);
    g_assert_cmpuint (assert_items_recode (&audit, recode_audit_event), >=, 5);
  }

  esc_test_server_free (server);
}

/* The SLA answers and the support model: calendars (one, and the list),
 * agreement versions through their workflow (a draft, accepted by one side,
 * agreed, the history, retired), and the support model before and after it
 * is set. */
static void
test_sla_answers_recode (void)
{
  EscTestServer *server = esc_test_server_new ();
  g_autofree char *admin = esc_test_server_create_token (server, "admin", "it-admin");
  g_autofree char *manager = esc_test_server_create_token (server, "manager", "partner-manager");
  const char *key[] = { "Idempotency-Key", NULL, NULL };
  const char *paths[] = {
    "/v1/sla-agreements/SLA-000001/versions/1/accept", "/v1/sla-agreements/SLA-000001/versions/1/accept",
    "/v1/sla-agreements/SLA-000001/versions/1/retire",
  };
  const char *tokens[] = { admin, manager, admin };

  {
    g_auto(EscTestResponse) put = { 0, };
    g_auto(EscTestResponse) get = { 0, };
    g_auto(EscTestResponse) list = { 0, };

    esc_test_request (server, "PUT", "/v1/sla-calendars/paris", manager, NULL,
                      "{\"name\": \"Bureau de Paris\", \"time_zone\": \"Europe/Paris\", \"week\": {"
                      " \"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}]},"
                      " \"holidays\": [{\"date\": \"2025-05-01\", \"name\": \"Fête du travail\"}],"
                      " \"closures\": [{\"from\": \"2025-08-04\", \"to\": \"2025-08-15\", \"reason\": \"Été\"}]}",
                      NULL, &put);
    g_assert_cmpuint (put.status, ==, 201);
    assert_recodes (put.body, recode_calendar);
    esc_test_request (server, "GET", "/v1/sla-calendars/paris", admin, NULL, NULL, NULL, &get);
    assert_recodes (get.body, recode_calendar);
    esc_test_request (server, "GET", "/v1/sla-calendars", admin, NULL, NULL, NULL, &list);
    g_assert_cmpuint (assert_items_recode (&list, recode_calendar), ==, 2);
  }

  {
    g_auto(EscTestResponse) created = { 0, };
    g_auto(EscTestResponse) history = { 0, };
    g_autofree char *uuid = g_uuid_string_random ();
    JsonArray *versions;

    key[1] = uuid;
    esc_test_request (server, "POST", "/v1/sla-agreements", manager, NULL,
                      "{\"title\": \"Support utilisateurs\", \"calendar_id\": \"paris\","
                      " \"targets\": {\"A\": {\"first_response_minutes\": 60, \"always_open\": true}},"
                      " \"pause_states\": [\"waiting-on-customer\", \"on-hold\"],"
                      " \"warnings\": [{\"percent\": 50}, {\"percent\": 90, \"notify\": [\"it-admin\", \"camille@example.org\"]}],"
                      " \"response_rule\": \"An engineer calls.\", \"response_events\": [\"responded\", \"updated\"]}",
                      key, &created);
    g_assert_cmpuint (created.status, ==, 201);
    assert_recodes (created.body, recode_sla_version);

    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        g_auto(EscTestResponse) r = { 0, };
        g_autofree char *step_key = g_uuid_string_random ();

        key[1] = step_key;
        esc_test_request (server, "POST", paths[i], tokens[i], NULL, "{}", key, &r);
        g_assert_cmpuint (r.status, ==, 200);
        assert_recodes (r.body, recode_sla_version);
      }

    esc_test_request (server, "GET", "/v1/sla-agreements/SLA-000001", admin, NULL, NULL, NULL, &history);
    g_assert_cmpuint (history.status, ==, 200);
    versions = json_object_get_array_member (json_node_get_object (history.body), "versions");
    g_assert_cmpuint (json_array_get_length (versions), ==, 1);
    assert_recodes (json_array_get_element (versions, 0), recode_sla_version);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (versions, 0), "retired_by"),
                     ==, "admin");
  }

  for (guint i = 0; i < 2; i++)
    {
      g_auto(EscTestResponse) r = { 0, };

      if (i == 1)
        {
          g_auto(EscTestResponse) put = { 0, };

          esc_test_request (server, "PUT", "/v1/support-model", admin, NULL,
                            "{\"model\": \"partner-led\", \"provider_name\": \"Infogérance Durand\"}", NULL, &put);
          g_assert_cmpuint (put.status, ==, 200);
          assert_recodes (put.body, recode_support_model);
        }
      esc_test_request (server, "GET", "/v1/support-model", manager, NULL, NULL, NULL, &r);
      g_assert_cmpuint (r.status, ==, 200);
      assert_recodes (r.body, recode_support_model);
    }

  esc_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/codecs/answers-recode", test_answers_recode);
  g_test_add_func ("/service/codecs/sla-answers-recode", test_sla_answers_recode);

  return g_test_run ();
}
