/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "esc-service-crypto.h"
#include "esc-service-devices.h"
#include "esc-service-elevation.h"
#include "esc-service-keys.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"
#include "esc-test-service.h"

/* Elevation requests over HTTP with every role, the device password's
 * rotation with the test clock, its sealing at rest (and absence from the
 * database file and the request log), the 90-day purge; and the crypto
 * underneath. */

#define OPEN_BODY(device) \
  "{\"ticket_id\": \"INC0012345\", \"device\": \"" device "\", \"category\": \"devices\"," \
  " \"subcategory\": \"printer-driver\", \"title\": \"Reinstall the printer driver\"," \
  " \"plan_of_action\": \"Run the printer troubleshooter elevated.\"}"

/* The crypto */

static void
test_crypto_random (void)
{
  g_autoptr(GError) error = NULL;
  guint8 a[32] = { 0, };
  guint8 b[32] = { 0, };
  guint8 zero[32] = { 0, };

  g_assert_true (esc_service_crypto_random_bytes (a, sizeof a, &error));
  g_assert_no_error (error);
  g_assert_true (esc_service_crypto_random_bytes (b, sizeof b, &error));
  g_assert_cmpmem (a, sizeof a, a, sizeof a);
  g_assert_true (memcmp (a, b, sizeof a) != 0);
  g_assert_true (memcmp (a, zero, sizeof a) != 0);
}

static void
test_crypto_password (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *alphabet = esc_service_crypto_password_alphabet ();
  guint counts[256] = { 0, };

  g_assert_cmpuint (strlen (alphabet), >=, 80);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      char *password = esc_service_crypto_generate_password (ESC_SERVICE_PASSWORD_LENGTH, &error);
      gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;

      g_assert_no_error (error);
      g_assert_cmpuint (strlen (password), ==, ESC_SERVICE_PASSWORD_LENGTH);
      for (const char *p = password; *p != '\0'; p++)
        {
          g_assert_nonnull (strchr (alphabet, *p));
          counts[(guchar)*p]++;
          lower |= g_ascii_islower (*p);
          upper |= g_ascii_isupper (*p);
          digit |= g_ascii_isdigit (*p);
          other |= !g_ascii_isalnum (*p);
        }
      g_assert_true (lower && upper && digit && other);
      g_assert_false (g_hash_table_contains (seen, password));
      g_hash_table_add (seen, g_strdup (password));
      esc_service_crypto_free_secret (password);
    }

  /* 40 000 characters: every character of the alphabet shows up. */
  for (const char *p = alphabet; *p != '\0'; p++)
    g_assert_cmpuint (counts[(guchar)*p], >, 0);
}

static EscServiceSecretBox *
new_box (guint8 seed)
{
  guint8 key[ESC_SERVICE_SECRET_KEY_LENGTH];

  memset (key, seed, sizeof key);

  return esc_service_secret_box_new (key, sizeof key);
}

static void
test_crypto_seal_open (void)
{
  g_autoptr(EscServiceSecretBox) box = new_box (1);
  g_autoptr(EscServiceSecretBox) other = new_box (2);
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *sealed_again = NULL;
  g_autofree char *opened = NULL;
  g_autofree guint8 *raw = NULL;
  g_autofree char *prefix = NULL;
  /* Longer than one block, with multi-byte characters. */
  const char *secret = "Tr0ub4dor&3 — correct horse battery staple, and then some more";
  gsize raw_length;

  sealed = esc_service_secret_box_seal (box, secret, "device-password:1:1", &error);
  g_assert_no_error (error);
  /* "v2:", the key's id, ":", then base64 */
  prefix = g_strconcat ("v2:", esc_service_secret_box_get_key_id (box), ":", NULL);
  g_assert_true (g_str_has_prefix (sealed, prefix));
  g_assert_cmpuint (strlen (esc_service_secret_box_get_key_id (box)), ==, 16);
  g_assert_cmpstr (esc_service_secret_box_get_key_id (box), !=,
                   esc_service_secret_box_get_key_id (other));
  g_assert_true (esc_service_secret_box_is_current (box, sealed));
  g_assert_false (esc_service_secret_box_is_current (other, sealed));
  g_assert_null (strstr (sealed, "Tr0ub4dor"));

  /* A fresh nonce each time. */
  sealed_again = esc_service_secret_box_seal (box, secret, "device-password:1:1", &error);
  g_assert_cmpstr (sealed, !=, sealed_again);

  opened = esc_service_secret_box_open (box, sealed, "device-password:1:1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, secret);
  g_clear_pointer (&opened, g_free);

  /* Another row, another key: refused. */
  opened = esc_service_secret_box_open (box, sealed, "device-password:2:1", &error);
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
  g_assert_null (opened);
  g_clear_error (&error);
  opened = esc_service_secret_box_open (box, sealed, NULL, &error);
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
  g_clear_error (&error);
  opened = esc_service_secret_box_open (other, sealed, "device-password:1:1", &error);
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
  g_clear_error (&error);

  /* Any flipped bit (nonce, ciphertext or tag) is noticed. */
  raw = g_base64_decode (sealed + strlen (prefix), &raw_length);
  for (gsize i = 0; i < raw_length; i++)
    {
      g_autofree char *encoded = NULL;
      g_autofree char *tampered = NULL;

      raw[i] ^= 0x01;
      encoded = g_base64_encode (raw, raw_length);
      tampered = g_strconcat (prefix, encoded, NULL);
      raw[i] ^= 0x01;

      opened = esc_service_secret_box_open (box, tampered, "device-password:1:1", &error);
      g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
      g_assert_null (opened);
      g_clear_error (&error);
    }

  /* Cut short, not base64, another version, empty. */
  {
    g_autofree char *encoded = g_base64_encode (raw, 40);
    g_autofree char *short_text = g_strconcat (prefix, encoded, NULL);
    g_autofree char *not_base64 = g_strconcat (prefix, "!!!", NULL);
    g_autofree char *other_key_id = g_strdup (sealed);
    const char *bad[] = { short_text, not_base64, other_key_id, "v1:!!!", "v2:AAAA", "v3:AAAA",
                          "", "v1:", "v2:" };

    /* The same text under another key's id */
    other_key_id[3] = other_key_id[3] == '0' ? '1' : '0';

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        opened = esc_service_secret_box_open (box, bad[i], "device-password:1:1", &error);
        g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
        g_clear_error (&error);
      }
  }

  /* The empty secret round-trips too. */
  g_clear_pointer (&sealed, g_free);
  sealed = esc_service_secret_box_seal (box, "", NULL, &error);
  g_assert_no_error (error);
  opened = esc_service_secret_box_open (box, sealed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "");
}

static void
test_crypto_key_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-test-key-XXXXXX", &error);
  g_autofree char *key_file = g_build_filename (dir, "service.sqlite3.key", NULL);
  g_autoptr(EscServiceSecretBox) first = NULL;
  g_autoptr(EscServiceSecretBox) second = NULL;
  g_autoptr(EscServiceSecretBox) refused = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *opened = NULL;
  struct stat st;

  g_assert_no_error (error);

  /* Missing, and not to be made: NOT_FOUND, and nothing made. */
  refused = esc_service_secret_box_load (key_file, FALSE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (refused);
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  first = esc_service_secret_box_load (key_file, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, ESC_SERVICE_SECRET_KEY_LENGTH);

  /* Loading again reads the same key. */
  second = esc_service_secret_box_load (key_file, FALSE, &error);
  g_assert_no_error (error);
  sealed = esc_service_secret_box_seal (first, "secret", "ad", &error);
  opened = esc_service_secret_box_open (second, sealed, "ad", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "secret");

  /* Readable by others: refused. */
  g_assert_cmpint (g_chmod (key_file, 0644), ==, 0);
  refused = esc_service_secret_box_load (key_file, FALSE, &error);
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
  g_assert_null (refused);
  g_clear_error (&error);

  /* The wrong size: refused. */
  g_assert_cmpint (g_chmod (key_file, 0600), ==, 0);
  g_file_set_contents (key_file, "short", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (key_file, 0600), ==, 0);
  refused = esc_service_secret_box_load (key_file, FALSE, &error);
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
  g_clear_error (&error);

  g_unlink (key_file);
  g_rmdir (dir);
}

/* Over HTTP, in-process with the test clock */

typedef struct
{
  EscTestServer *server;
  char          *admin;     /* it-admin, no designation */
  char          *eve;       /* support-staff, elevation */
  char          *ed;        /* support-staff, elevation */
  char          *esko;      /* support-staff, escalation only */
  char          *sam;       /* support-staff, no designation */
  char          *old;       /* support-staff, elevation expired */
  char          *manager;   /* partner-manager */
  char          *operator;
} Fixture;

static void
add_device (Fixture    *fixture,
            const char *name,
            const char *serial,
            const char *group)
{
  g_autoptr(GError) error = NULL;

  esc_service_devices_add (esc_test_server_get_db (fixture->server), name, serial, group, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->eve = esc_test_server_create_token (fixture->server, "eve", "support-staff");
  fixture->ed = esc_test_server_create_token (fixture->server, "ed", "support-staff");
  fixture->esko = esc_test_server_create_token (fixture->server, "esko", "support-staff");
  fixture->sam = esc_test_server_create_token (fixture->server, "sam", "support-staff");
  fixture->old = esc_test_server_create_token (fixture->server, "old", "support-staff");
  fixture->manager = esc_test_server_create_token (fixture->server, "pat", "partner-manager");
  fixture->operator = esc_test_server_create_token (fixture->server, "ops", "operator");
  esc_test_server_designate (fixture->server, "eve", "elevation", NULL);
  esc_test_server_designate (fixture->server, "ed", "elevation", "2025-01-01T00:00:00Z");
  esc_test_server_designate (fixture->server, "esko", "escalation", NULL);
  esc_test_server_designate (fixture->server, "old", "elevation", "2024-05-01T00:00:00Z");

  add_device (fixture, "MMD-1", "SN-0001", "broad");
  add_device (fixture, "MMD-2", "SN-0002", "fast");
  add_device (fixture, "LAB-1", "SN-0099", "test");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->eve, g_free);
  g_clear_pointer (&fixture->ed, g_free);
  g_clear_pointer (&fixture->esko, g_free);
  g_clear_pointer (&fixture->sam, g_free);
  g_clear_pointer (&fixture->old, g_free);
  g_clear_pointer (&fixture->manager, g_free);
  g_clear_pointer (&fixture->operator, g_free);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

static JsonObject *
body_object (EscTestResponse *response)
{
  g_assert_nonnull (response->body);
  return json_node_get_object (response->body);
}

/* Opens a request and returns its id ("ER-000001"). */
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

static void
request_path (Fixture         *fixture,
              const char      *method,
              const char      *id,
              const char      *suffix,
              const char      *token,
              const char      *body,
              EscTestResponse *response)
{
  g_autofree char *path = g_strconcat ("/v1/elevation-requests/", id, suffix, NULL);

  esc_test_request (fixture->server, method, path, token, NULL, body, NULL, response);
}

/* Reads the password; checks the answer's shape. */
static char *
read_password (Fixture    *fixture,
               const char *token,
               const char *id,
               char      **out_rotates_at)
{
  g_auto(EscTestResponse) response = { 0, };
  JsonObject *object;

  request_path (fixture, "GET", id, "/password", token, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Cache-Control"), ==, "no-store");
  object = body_object (&response);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "account"), "\\escadmin"));
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "password")), ==,
                    ESC_SERVICE_PASSWORD_LENGTH);

  if (out_rotates_at != NULL)
    *out_rotates_at = g_strdup (json_object_get_string_member (object, "rotates_at"));

  return g_strdup (json_object_get_string_member (object, "password"));
}

static gint64
count (Fixture    *fixture,
       const char *table_and_where)
{
  return esc_test_server_count_rows (fixture->server, table_and_where);
}

/* No audit event has @secret in its details or target. */
static void
assert_not_audited (Fixture    *fixture,
                    const char *secret)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  guint n_events = 0;
  int rc;

  stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server),
                                 "SELECT details, target FROM audit_events", &error);
  g_assert_no_error (error);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      for (int column = 0; column < 2; column++)
        {
          const char *text = esc_service_stmt_column_text (stmt, column);

          g_assert_true (text == NULL || strstr (text, secret) == NULL);
        }
      n_events++;
    }
  g_assert_cmpint (rc, ==, ESC_SERVICE_STMT_DONE);
  g_assert_cmpuint (n_events, >, 0);
}

static void
test_open (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  JsonObject *object;
  JsonObject *device;

  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", fixture->eve, NULL,
                    OPEN_BODY ("MMD-1"), NULL, &response);
  g_assert_cmpuint (response.status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (response.headers, "Location"), ==,
                   "/v1/elevation-requests/ER-000001");

  object = body_object (&response);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "ER-000001");
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "open");
  g_assert_true (json_object_get_boolean_member (object, "active"));
  g_assert_cmpstr (json_object_get_string_member (object, "ticket_id"), ==, "INC0012345");
  g_assert_cmpstr (json_object_get_string_member (object, "device"), ==, "MMD-1");
  g_assert_cmpstr (json_object_get_string_member (object, "category"), ==, "devices");
  g_assert_cmpstr (json_object_get_string_member (object, "subcategory"), ==, "printer-driver");
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==,
                   "Reinstall the printer driver");
  g_assert_cmpstr (json_object_get_string_member (object, "created_at"), ==, "2024-05-06T09:00:00Z");
  /* Access for eight hours (elevation.access-seconds). */
  g_assert_cmpstr (json_object_get_string_member (object, "expires_at"), ==, "2024-05-06T17:00:00Z");
  g_assert_true (json_object_get_null_member (object, "closed_at"));
  g_assert_true (json_object_get_null_member (object, "renewed_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "password_views")),
                    ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "requested_by"),
                                                  "name"), ==, "eve");
  device = json_object_get_object_member (object, "device_details");
  g_assert_cmpstr (json_object_get_string_member (device, "serial_number"), ==, "SN-0001");
  g_assert_cmpstr (json_object_get_string_member (device, "group"), ==, "broad");

  /* By serial number, in any case. */
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", fixture->ed, NULL,
                    OPEN_BODY ("sn-0002"), NULL, &response);
  g_assert_cmpuint (response.status, ==, 201);
  g_assert_cmpstr (json_object_get_string_member (body_object (&response), "id"), ==, "ER-000002");
  g_assert_cmpstr (json_object_get_string_member (body_object (&response), "device"), ==, "MMD-2");

  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'elevation.opened'"
                                   " AND target = '/v1/elevation-requests/ER-000001'"
                                   " AND actor_name = 'eve'"), ==, 1);

  /* The device list counts them. */
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "GET", "/v1/devices?query=MMD-1", fixture->eve, NULL, NULL,
                    NULL, &response);
  device = json_array_get_object_element (json_object_get_array_member (body_object (&response),
                                                                        "items"), 0);
  g_assert_cmpint (json_object_get_int_member (device, "open_elevation_requests"), ==, 1);
}

static void
test_open_idempotent (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const headers[] = { "Idempotency-Key", "7f6c1e0a-open", NULL };
  EscTestResponse responses[3];

  esc_test_request_concurrently (fixture->server, 3, "POST", "/v1/elevation-requests",
                                 fixture->eve, OPEN_BODY ("MMD-1"), headers, responses);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (responses[i].status == 201 || responses[i].status == 200);
      g_assert_cmpstr (json_object_get_string_member (body_object (&responses[i]), "id"), ==,
                       "ER-000001");
      esc_test_response_clear (&responses[i]);
    }

  g_assert_cmpint (count (fixture, "elevation_requests"), ==, 1);
}

static void
test_open_refusals (Fixture       *fixture,
                    gconstpointer  data)
{
  const struct {
    const char *token;
    const char *body;
    guint       status;
    const char *type;
    const char *detail;  /* part of it */
  } cases[] = {
    /* who */
    { NULL, OPEN_BODY ("MMD-1"), 401, "unauthorized", NULL },
    { fixture->sam, OPEN_BODY ("MMD-1"), 403, "forbidden", "do not hold" },
    { fixture->esko, OPEN_BODY ("MMD-1"), 403, "forbidden", "elevation designation" },
    { fixture->old, OPEN_BODY ("MMD-1"), 403, "forbidden", "expired at 2024-05-01T00:00:00Z" },
    { fixture->admin, OPEN_BODY ("MMD-1"), 403, "forbidden", "elevation designation" },
    { fixture->manager, OPEN_BODY ("MMD-1"), 403, "forbidden", "roles" },
    { fixture->operator, OPEN_BODY ("MMD-1"), 403, "forbidden", "roles" },
    /* which device */
    { fixture->eve, OPEN_BODY ("MMD-404"), 404, "unknown-device", "MMD-404" },
    { fixture->eve, OPEN_BODY ("LAB-1"), 422, "device-in-test-group", "test group" },
    { fixture->eve, OPEN_BODY ("sn-0099"), 422, "device-in-test-group", "LAB-1" },
    /* what */
    { fixture->eve, "{\"device\": \"MMD-1\", \"category\": \"devices\", \"subcategory\": \"x\","
      " \"title\": \"t\", \"plan_of_action\": \"p\"}", 422, "invalid-field", "ticket_id" },
    { fixture->eve, "{\"ticket_id\": \"T\", \"device\": \"MMD-1\", \"category\": \"Devices\","
      " \"subcategory\": \"x\", \"title\": \"t\", \"plan_of_action\": \"p\"}", 422,
      "invalid-field", "category" },
    { fixture->eve, "{\"ticket_id\": \"T\", \"device\": \"MMD-1\", \"category\": \"devices\","
      " \"subcategory\": \"x\", \"title\": \"t\", \"plan_of_action\": \" \"}", 422,
      "invalid-field", "plan_of_action" },
    { fixture->eve, "{\"ticket_id\": \"T\", \"device\": \"MMD-1\", \"category\": \"devices\","
      " \"subcategory\": \"x\", \"title\": \"t\", \"plan_of_action\": \"p\", \"urgent\": true}",
      422, "invalid-field", "urgent" },
    { fixture->eve, "{\"ticket_id\": 12, \"device\": \"MMD-1\", \"category\": \"devices\","
      " \"subcategory\": \"x\", \"title\": \"t\", \"plan_of_action\": \"p\"}", 422,
      "invalid-field", "ticket_id" },
    { fixture->eve, "{\"ticket_id\": ", 400, "malformed-json", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (fixture->server, "POST", "/v1/elevation-requests", cases[i].token, NULL,
                        cases[i].body, NULL, &response);
      g_test_message ("case %u: %s", i, response.text);
      g_assert_cmpuint (response.status, ==, cases[i].status);
      g_assert_cmpstr (esc_test_problem_type (&response), ==, cases[i].type);
      if (cases[i].detail != NULL)
        g_assert_nonnull (strstr (json_object_get_string_member (body_object (&response), "detail"),
                                  cases[i].detail));
    }

  g_assert_cmpint (count (fixture, "elevation_requests"), ==, 0);
  /* Every 403 is in the audit log. */
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'authorization.refused'"
                                   " AND target = '/v1/elevation-requests'"), ==, 6);
}

static void
test_open_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(GError) error = NULL;

  first = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  second = open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1"));
  third = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));

  /* The fourth on the device (limit 3): 409; another device is fine. */
  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", fixture->ed, NULL,
                    OPEN_BODY ("MMD-1"), NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "too-many-elevation-requests");
  g_assert_nonnull (strstr (json_object_get_string_member (body_object (&response), "detail"),
                            "MMD-1 already has 3"));
  esc_test_response_clear (&response);
  g_free (open_request (fixture, fixture->ed, OPEN_BODY ("MMD-2")));

  /* Closing one frees a place. */
  request_path (fixture, "POST", first, "/close", fixture->eve,
                "{\"actions_taken\": \"Nothing needed\"}", &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  g_free (open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1")));

  /* The limit is a setting. */
  esc_service_db_exec (esc_test_server_get_db (fixture->server),
                       "UPDATE settings SET value = '5' WHERE key = 'elevation.max-open-per-device'",
                       &error);
  g_assert_no_error (error);
  g_free (open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1")));
  g_free (open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1")));
  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", fixture->ed, NULL,
                    OPEN_BODY ("MMD-1"), NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  esc_test_response_clear (&response);

  /* Expired requests do not count: eight hours later, the device is free. */
  esc_test_server_advance (fixture->server, 8 * G_TIME_SPAN_HOUR);
  g_free (open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1")));

  /* Renewing an expired request when the device is full again: 409. */
  esc_service_db_exec (esc_test_server_get_db (fixture->server),
                       "UPDATE settings SET value = '1' WHERE key = 'elevation.max-open-per-device'",
                       &error);
  g_assert_no_error (error);
  request_path (fixture, "POST", second, "/renew", fixture->ed, NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "too-many-elevation-requests");
}

static void
test_list_and_get (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *eve1 = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_autofree char *ed1 = open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1"));
  g_autofree char *eve2 = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-2"));
  g_auto(EscTestResponse) response = { 0, };
  JsonArray *items;

  /* Own requests, newest first. */
  esc_test_request (fixture->server, "GET", "/v1/elevation-requests", fixture->eve, NULL, NULL,
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  items = json_object_get_array_member (body_object (&response), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"),
                   ==, eve2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "id"),
                   ==, eve1);
  g_assert_true (json_object_get_null_member (body_object (&response), "next_cursor"));
  esc_test_response_clear (&response);

  /* it-admin sees all of them, a page at a time. */
  esc_test_request (fixture->server, "GET", "/v1/elevation-requests?limit=2", fixture->admin,
                    NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  items = json_object_get_array_member (body_object (&response), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (body_object (&response), "next_cursor"), ==,
                   ed1);
  esc_test_response_clear (&response);
  {
    g_autofree char *path = g_strdup_printf ("/v1/elevation-requests?limit=2&cursor=%s", ed1);

    esc_test_request (fixture->server, "GET", path, fixture->admin, NULL, NULL, NULL, &response);
    items = json_object_get_array_member (body_object (&response), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"),
                     ==, eve1);
    esc_test_response_clear (&response);
  }

  /* By state. */
  request_path (fixture, "POST", eve1, "/close", fixture->eve, "{\"actions_taken\": \"Done\"}",
                &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "GET", "/v1/elevation-requests?state=closed", fixture->eve,
                    NULL, NULL, NULL, &response);
  items = json_object_get_array_member (body_object (&response), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "GET", "/v1/elevation-requests?state=open", fixture->eve,
                    NULL, NULL, NULL, &response);
  items = json_object_get_array_member (body_object (&response), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  esc_test_response_clear (&response);

  /* One request: the owner and it-admin see it, another agent gets 404. */
  request_path (fixture, "GET", ed1, "", fixture->ed, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (body_object (&response), "id"), ==, ed1);
  esc_test_response_clear (&response);
  request_path (fixture, "GET", ed1, "", fixture->admin, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  request_path (fixture, "GET", ed1, "", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 404);
  esc_test_response_clear (&response);

  /* Without a live designation (and not it-admin): 403, also for one's own. */
  {
    const char *refused[] = { fixture->sam, fixture->esko, fixture->old, fixture->manager,
                              fixture->operator };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        esc_test_request (fixture->server, "GET", "/v1/elevation-requests", refused[i], NULL,
                          NULL, NULL, &response);
        g_assert_cmpuint (response.status, ==, 403);
        esc_test_response_clear (&response);
        request_path (fixture, "GET", eve1, "", refused[i], NULL, &response);
        g_assert_cmpuint (response.status, ==, 403);
        esc_test_response_clear (&response);
      }
  }

  /* Bad ids and parameters. */
  {
    const char *bad_ids[] = { "ER-1", "ER-000999", "SR-000001", "ER-00000x" };
    const char *bad_queries[] = { "?state=pending", "?limit=0", "?cursor=42" };

    for (guint i = 0; i < G_N_ELEMENTS (bad_ids); i++)
      {
        request_path (fixture, "GET", bad_ids[i], "", fixture->admin, NULL, &response);
        g_assert_cmpuint (response.status, ==, 404);
        esc_test_response_clear (&response);
      }
    for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
      {
        g_autofree char *path = g_strconcat ("/v1/elevation-requests", bad_queries[i], NULL);

        esc_test_request (fixture->server, "GET", path, fixture->eve, NULL, NULL, NULL, &response);
        g_assert_cmpuint (response.status, ==, 400);
        esc_test_response_clear (&response);
      }
  }
}

static void
test_password (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_autofree char *other = open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1"));
  g_autofree char *password = NULL;
  g_autofree char *again = NULL;
  g_autofree char *shared = NULL;
  g_autofree char *rotates_at = NULL;
  g_auto(EscTestResponse) response = { 0, };
  JsonArray *views;

  password = read_password (fixture, fixture->eve, id, &rotates_at);
  g_assert_cmpstr (rotates_at, ==, "2024-05-06T11:00:00Z");

  esc_test_server_advance (fixture->server, 10 * G_TIME_SPAN_MINUTE);
  again = read_password (fixture, fixture->eve, id, NULL);
  g_assert_cmpstr (again, ==, password);

  /* One password per device: the other agent on it reads the same. */
  shared = read_password (fixture, fixture->ed, other, NULL);
  g_assert_cmpstr (shared, ==, password);

  /* Every read is on the request, with the reader. */
  request_path (fixture, "GET", id, "", fixture->eve, NULL, &response);
  views = json_object_get_array_member (body_object (&response), "password_views");
  g_assert_cmpuint (json_array_get_length (views), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (views, 0),
                                                                                "by"), "name"),
                   ==, "eve");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (views, 0), "at"),
                   ==, "2024-05-06T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (views, 1), "at"),
                   ==, "2024-05-06T09:10:00Z");
  esc_test_response_clear (&response);

  /* … and in the audit log, with the reader and without the password. */
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'elevation.password-read'"
                                   " AND actor_name = 'eve'"
                                   " AND target = '/v1/elevation-requests/ER-000001'"), ==, 2);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'elevation.password-read'"
                                   " AND actor_name = 'ed'"), ==, 1);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'device.password-rotated'"), ==, 1);
  assert_not_audited (fixture, password);

  /* Only the agent who opened it reads it. */
  {
    const struct {
      const char *token;
      guint       status;
    } cases[] = {
      { fixture->ed, 404 },        /* another agent: not theirs to see */
      { fixture->admin, 403 },     /* it-admin sees the request, not the password */
      { fixture->sam, 403 },
      { fixture->old, 403 },
      { fixture->manager, 403 },
      { NULL, 401 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        request_path (fixture, "GET", id, "/password", cases[i].token, NULL, &response);
        g_assert_cmpuint (response.status, ==, cases[i].status);
        g_assert_null (strstr (response.text, password));
        esc_test_response_clear (&response);
      }
  }
  g_assert_cmpint (count (fixture, "elevation_views"), ==, 3);

  /* The device is not a test device, and no test device ever gets one. */
  g_assert_cmpint (count (fixture, "device_passwords"), ==, 1);
}

static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_autofree char *first = NULL;
  g_autofree char *same = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *rotates_first = NULL;
  g_autofree char *rotates_same = NULL;
  g_autofree char *rotates_second = NULL;
  g_autofree char *rotates_third = NULL;
  g_autoptr(GError) error = NULL;

  first = read_password (fixture, fixture->eve, id, &rotates_first);
  g_assert_cmpstr (rotates_first, ==, "2024-05-06T11:00:00Z");

  /* A second before the two hours are up: the same. */
  esc_test_server_advance (fixture->server, 2 * G_TIME_SPAN_HOUR - G_TIME_SPAN_SECOND);
  same = read_password (fixture, fixture->eve, id, &rotates_same);
  g_assert_cmpstr (same, ==, first);
  g_assert_cmpstr (rotates_same, ==, rotates_first);

  /* Two hours: a new password, and a later rotates_at. */
  esc_test_server_advance (fixture->server, G_TIME_SPAN_SECOND);
  second = read_password (fixture, fixture->eve, id, &rotates_second);
  g_assert_cmpstr (second, !=, first);
  g_assert_cmpstr (rotates_second, ==, "2024-05-06T13:00:00Z");
  g_assert_cmpint (count (fixture, "device_passwords WHERE generation = 2"), ==, 1);

  /* The interval is a setting: 30 minutes. Read lazily, long after. */
  esc_service_db_exec (esc_test_server_get_db (fixture->server),
                       "UPDATE settings SET value = '1800'"
                       " WHERE key = 'elevation.password-rotation-seconds'",
                       &error);
  g_assert_no_error (error);
  esc_test_server_advance (fixture->server, 3 * G_TIME_SPAN_HOUR);
  third = read_password (fixture, fixture->eve, id, &rotates_third);
  g_assert_cmpstr (third, !=, second);
  g_assert_cmpstr (rotates_third, ==, "2024-05-06T14:30:00Z");

  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'device.password-rotated'"
                                   " AND target = 'device:MMD-1'"), ==, 3);
  g_assert_cmpint (count (fixture, "elevation_views"), ==, 4);
}

/* Two nodes on one database (two EscServiceDb handles, each with its own
 * connection) read a device's password whose period is over at the same
 * moment: one rotates it, the other waits for it and reads its password. */

typedef struct
{
  EscServiceDb *db;
  gint64        device_id;
  GDateTime    *now;
  char         *password;
  char         *rotates_at;
  gint64        generation;
  gboolean      rotated;
  GError       *error;
} Node;

static void
node_clear (Node *node)
{
  g_clear_object (&node->db);
  g_clear_pointer (&node->now, g_date_time_unref);
  g_clear_pointer (&node->password, esc_service_crypto_free_secret);
  g_clear_pointer (&node->rotates_at, g_free);
  g_clear_error (&node->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Node, node_clear)

/* Opens another handle on the test server's database, with its keys. */
static EscServiceDb *
open_node (Fixture *fixture)
{
  EscServiceDb *server_db = esc_test_server_get_db (fixture->server);
  g_autofree char *key_file = esc_service_keys_dup_key_file (server_db);
  g_autofree char *audit_key_file = esc_service_keys_dup_audit_key_file (server_db);
  g_autoptr(GError) error = NULL;
  EscServiceDb *db = esc_service_db_open (esc_test_server_get_path (fixture->server), &error);

  g_assert_no_error (error);
  esc_service_keys_set_key_file (db, key_file);
  esc_service_keys_set_audit_key_file (db, audit_key_file);

  return db;
}

/* Begins, asks for the password, leaves the transaction open. */
static void
node_ask (Node *node)
{
  if (!esc_service_db_begin (node->db, &node->error))
    return;
  node->password = esc_service_elevation_get_password (node->db, node->device_id, node->now,
                                                       &node->rotates_at, &node->generation,
                                                       &node->rotated, &node->error);
  if (node->password == NULL)
    esc_service_db_rollback (node->db);
}

static void
node_commit (Node *node)
{
  g_assert_no_error (node->error);
  esc_service_db_commit (node->db, &node->error);
  g_assert_no_error (node->error);
}

static gpointer
node_ask_and_commit (gpointer data)
{
  Node *node = data;

  node_ask (node);
  if (node->error == NULL)
    esc_service_db_commit (node->db, &node->error);

  return NULL;
}

static gint64
query_int (EscServiceDb *db,
           const char   *sql)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

static void
test_rotation_two_nodes (Fixture       *fixture,
                         gconstpointer  data)
{
  EscServiceDb *server_db = esc_test_server_get_db (fixture->server);
  g_autoptr(GDateTime) start = esc_test_server_dup_now (fixture->server);
  g_autoptr(GThread) thread = NULL;
  g_auto(Node) first = { 0, };
  g_auto(Node) a = { 0, };
  g_auto(Node) b = { 0, };
  gint64 device_id = query_int (server_db, "SELECT id FROM devices WHERE name = 'MMD-1'");

  /* Generation 1, made by the first read. */
  first.db = open_node (fixture);
  first.device_id = device_id;
  first.now = g_date_time_ref (start);
  node_ask (&first);
  node_commit (&first);
  g_assert_true (first.rotated);
  g_assert_cmpint (first.generation, ==, 1);

  /* Three hours later, its two-hour period is over. Node A rotates it and
   * has not committed yet when node B asks. */
  a.db = open_node (fixture);
  b.db = open_node (fixture);
  a.device_id = b.device_id = device_id;
  a.now = g_date_time_add_hours (start, 3);
  b.now = g_date_time_add_hours (start, 3);

  node_ask (&a);
  g_assert_no_error (a.error);
  g_assert_true (a.rotated);
  g_assert_cmpint (a.generation, ==, 2);
  g_assert_cmpstr (a.password, !=, first.password);

  thread = g_thread_new ("node-b", node_ask_and_commit, &b);

  if (esc_test_backend_is_postgresql ())
    {
      /* B read generation 1 (A's change is not committed) and now waits
       * for A's row to write its own rotation. */
      gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

      while (query_int (server_db, "SELECT count(*) FROM pg_stat_activity"
                                   " WHERE datname = current_database () AND wait_event_type = 'Lock'") == 0)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (10 * 1000);
        }
    }
  else
    {
      /* B waits for A's write lock to begin (the file is one writer at a
       * time): nothing to race. */
      g_usleep (100 * 1000);
    }

  node_commit (&a);
  g_thread_join (g_steal_pointer (&thread));

  /* One rotation: B found generation 2 and returns A's password. */
  g_assert_no_error (b.error);
  g_assert_false (b.rotated);
  g_assert_cmpint (b.generation, ==, 2);
  g_assert_cmpstr (b.password, ==, a.password);
  g_assert_cmpstr (b.rotates_at, ==, a.rotates_at);
  g_assert_cmpstr (a.rotates_at, ==, "2024-05-06T14:00:00Z");
  g_assert_cmpint (query_int (server_db, "SELECT generation FROM device_passwords"), ==, 2);
  g_assert_cmpint (count (fixture, "device_passwords"), ==, 1);

  /* A later read on either node, still in the period: the same. */
  g_clear_pointer (&b.password, esc_service_crypto_free_secret);
  g_clear_pointer (&b.rotates_at, g_free);
  g_clear_pointer (&b.now, g_date_time_unref);
  b.now = g_date_time_add_hours (start, 4);
  node_ask (&b);
  node_commit (&b);
  g_assert_false (b.rotated);
  g_assert_cmpstr (b.password, ==, a.password);
}

static void
test_renew_and_close (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_autofree char *before = NULL;
  g_autofree char *latest = NULL;
  g_autofree char *after = NULL;
  g_auto(EscTestResponse) response = { 0, };
  JsonObject *object;

  before = read_password (fixture, fixture->eve, id, NULL);

  /* Eight hours on, the access has expired: 409 until renewed. */
  esc_test_server_advance (fixture->server, 8 * G_TIME_SPAN_HOUR);
  request_path (fixture, "GET", id, "/password", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "elevation-request-expired");
  esc_test_response_clear (&response);
  request_path (fixture, "GET", id, "", fixture->eve, NULL, &response);
  g_assert_false (json_object_get_boolean_member (body_object (&response), "active"));
  esc_test_response_clear (&response);

  /* Only its agent renews it. */
  request_path (fixture, "POST", id, "/renew", fixture->ed, NULL, &response);
  g_assert_cmpuint (response.status, ==, 404);
  esc_test_response_clear (&response);
  request_path (fixture, "POST", id, "/renew", fixture->admin, NULL, &response);
  g_assert_cmpuint (response.status, ==, 403);
  esc_test_response_clear (&response);
  request_path (fixture, "POST", id, "/renew", fixture->eve, "{\"hours\": 2}", &response);
  g_assert_cmpuint (response.status, ==, 422);
  esc_test_response_clear (&response);

  request_path (fixture, "POST", id, "/renew", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  object = body_object (&response);
  g_assert_cmpstr (json_object_get_string_member (object, "renewed_at"), ==, "2024-05-06T17:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "expires_at"), ==, "2024-05-07T01:00:00Z");
  g_assert_cmpint (json_object_get_int_member (object, "renewals"), ==, 1);
  g_assert_true (json_object_get_boolean_member (object, "active"));
  esc_test_response_clear (&response);

  /* At 17:00 the 09:00 password has rotated; this one is good until 19:00. */
  latest = read_password (fixture, fixture->eve, id, NULL);
  g_assert_cmpstr (latest, !=, before);

  /* Closing: the caller is the closing agent; the text is required. */
  request_path (fixture, "POST", id, "/close", fixture->eve, "{}", &response);
  g_assert_cmpuint (response.status, ==, 422);
  g_assert_cmpstr (esc_test_problem_field (&response), ==, "/actions_taken");
  esc_test_response_clear (&response);
  request_path (fixture, "POST", id, "/close", fixture->ed, "{\"actions_taken\": \"x\"}", &response);
  g_assert_cmpuint (response.status, ==, 404);
  esc_test_response_clear (&response);

  request_path (fixture, "POST", id, "/close", fixture->eve,
                "{\"actions_taken\": \"Reinstalled the printer driver from the package\"}",
                &response);
  g_assert_cmpuint (response.status, ==, 200);
  object = body_object (&response);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "closed");
  g_assert_cmpstr (json_object_get_string_member (object, "closed_at"), ==, "2024-05-06T17:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "closed_by"),
                                                  "name"), ==, "eve");
  g_assert_cmpstr (json_object_get_string_member (object, "actions_taken"), ==,
                   "Reinstalled the printer driver from the package");
  g_assert_false (json_object_get_boolean_member (object, "active"));
  esc_test_response_clear (&response);

  /* Closed: no password, no renewal, no second close. */
  request_path (fixture, "GET", id, "/password", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "elevation-request-closed");
  esc_test_response_clear (&response);
  request_path (fixture, "POST", id, "/renew", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 409);
  esc_test_response_clear (&response);
  request_path (fixture, "POST", id, "/close", fixture->eve, "{\"actions_taken\": \"again\"}",
                &response);
  g_assert_cmpuint (response.status, ==, 409);
  esc_test_response_clear (&response);

  /* The last agent on the device is gone: the next one gets a new password
   * at once, well before the two hours. */
  {
    g_autofree char *next = open_request (fixture, fixture->ed, OPEN_BODY ("MMD-1"));

    after = read_password (fixture, fixture->ed, next, NULL);
    g_assert_cmpstr (after, !=, latest);
  }

  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'elevation.renewed'"), ==, 1);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'elevation.closed'"
                                   " AND actor_name = 'eve'"), ==, 1);
}

static void
test_admin_closes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-2"));
  g_auto(EscTestResponse) response = { 0, };

  /* An agent left; it-admin closes the request and is the closing agent. */
  request_path (fixture, "POST", id, "/close", fixture->sam, "{\"actions_taken\": \"x\"}",
                &response);
  g_assert_cmpuint (response.status, ==, 403);
  esc_test_response_clear (&response);
  request_path (fixture, "POST", id, "/close", fixture->admin,
                "{\"actions_taken\": \"Closed on behalf of eve, who left\"}", &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body_object (&response),
                                                                                "closed_by"),
                                                  "name"), ==, "admin");
}

static void
test_purge (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *old_id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_autofree char *new_id = NULL;
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  g_free (read_password (fixture, fixture->eve, old_id, NULL));
  request_path (fixture, "POST", old_id, "/close", fixture->eve, "{\"actions_taken\": \"Done\"}",
                &response);
  esc_test_response_clear (&response);

  /* 89 days later it is still there. */
  esc_test_server_advance (fixture->server, 89 * 24 * G_TIME_SPAN_HOUR);
  new_id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  esc_service_server_run_housekeeping (esc_test_server_get_server (fixture->server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "elevation_requests"), ==, 2);
  request_path (fixture, "GET", old_id, "", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);

  /* 90 days after it was opened, it is gone from the API at once… */
  esc_test_server_advance (fixture->server, 24 * G_TIME_SPAN_HOUR);
  request_path (fixture, "GET", old_id, "", fixture->eve, NULL, &response);
  g_assert_cmpuint (response.status, ==, 404);
  esc_test_response_clear (&response);
  esc_test_request (fixture->server, "GET", "/v1/elevation-requests", fixture->admin, NULL, NULL,
                    NULL, &response);
  items = json_object_get_array_member (body_object (&response), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"),
                   ==, new_id);
  esc_test_response_clear (&response);

  /* … and from the database at the next housekeeping, with its views. */
  esc_service_server_run_housekeeping (esc_test_server_get_server (fixture->server), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "elevation_requests"), ==, 1);
  g_assert_cmpint (count (fixture, "elevation_views"), ==, 0);
  g_assert_cmpint (count (fixture, "audit_events WHERE action = 'elevation.purged'"
                                   " AND details LIKE '%\"count\":1%'"), ==, 1);

  /* Ids are never given out again. */
  g_free (new_id);
  new_id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-2"));
  g_assert_cmpstr (new_id, ==, "ER-000003");

  /* The audit chain is whole. */
  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (fixture->server),
                                              NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Every endpoint with every role, on a request eve opened. */
static void
test_roles (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = open_request (fixture, fixture->eve, OPEN_BODY ("MMD-1"));
  g_autofree char *one = g_strconcat ("/v1/elevation-requests/", id, NULL);
  g_autofree char *password = g_strconcat (one, "/password", NULL);
  g_autofree char *renew = g_strconcat (one, "/renew", NULL);
  g_autofree char *close = g_strconcat (one, "/close", NULL);
  const char *close_body = "{\"actions_taken\": \"Done\"}";
  const char *tokens[] = {
    fixture->admin, fixture->eve, fixture->ed, fixture->esko, fixture->sam, fixture->old,
    fixture->manager, fixture->operator, NULL
  };
  const struct {
    const char *method;
    const char *path;
    const char *body;
    guint       status[G_N_ELEMENTS (tokens)];  /* in the order of @tokens */
  } cases[] = {
    { "GET", "/v1/elevation-requests", NULL, { 200, 200, 200, 403, 403, 403, 403, 403, 401 } },
    { "GET", one, NULL, { 200, 200, 404, 403, 403, 403, 403, 403, 401 } },
    { "GET", password, NULL, { 403, 200, 404, 403, 403, 403, 403, 403, 401 } },
    { "POST", renew, NULL, { 403, 200, 404, 403, 403, 403, 403, 403, 401 } },
    { "GET", "/v1/elevation-guidance", NULL, { 200, 200, 200, 200, 200, 200, 200, 200, 401 } },
    /* eve closes it; then it-admin finds it closed */
    { "POST", close, close_body, { 409, 200, 404, 403, 403, 403, 403, 403, 401 } },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      /* The closing case runs eve before it-admin. */
      const guint order[] = { 1, 0, 2, 3, 4, 5, 6, 7, 8 };

      for (guint k = 0; k < G_N_ELEMENTS (order); k++)
        {
          guint i = order[k];
          g_auto(EscTestResponse) response = { 0, };

          esc_test_request (fixture->server, cases[c].method, cases[c].path, tokens[i], NULL,
                            cases[c].body, NULL, &response);
          g_test_message ("%s %s as #%u → %u", cases[c].method, cases[c].path, i, response.status);
          g_assert_cmpuint (response.status, ==, cases[c].status[i]);
        }
    }
}

static void
test_guidance (Fixture       *fixture,
               gconstpointer  data)
{
  const char *members[] = { "typical", "not_recommended", "not_supported" };
  g_auto(EscTestResponse) response = { 0, };

  esc_test_request (fixture->server, "GET", "/v1/elevation-guidance", fixture->eve, NULL, NULL,
                    NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body_object (&response),
                                                                          members[i])), >, 0);
  g_assert_nonnull (strstr (response.text, "BitLocker"));
  esc_test_response_clear (&response);

  esc_test_request (fixture->server, "GET", "/v1/elevation-guidance", NULL, NULL, NULL, NULL,
                    &response);
  g_assert_cmpuint (response.status, ==, 401);
}

/* The real binary: the password in clear is neither in the database files
 * nor in the request log. */

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  gsize needle_length = strlen (needle);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  for (gsize i = 0; i + needle_length <= length; i++)
    {
      if (memcmp (contents + i, needle, needle_length) == 0)
        return TRUE;
    }

  return FALSE;
}

static guint
http_get (SoupSession  *session,
          const char   *url,
          const char   *token,
          char        **out_body)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return soup_message_get_status (msg);
}

/* On PostgreSQL, whose files the test does not read: no row of any table
 * of @database has @secret in its text. */
static void
assert_not_in_tables (const char *database,
                      const char *secret)
{
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(EscServiceStmt) tables = NULL;
  g_autoptr(GError) error = NULL;
  guint n_tables = 0;

  db = esc_service_db_open (database, &error);
  g_assert_no_error (error);
  tables = esc_service_db_prepare (db,
                                   "SELECT table_name FROM information_schema.tables"
                                   " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                                   &error);
  g_assert_no_error (error);
  while (esc_service_stmt_step (tables) == ESC_SERVICE_STMT_ROW)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s t WHERE strpos (t::text, ?1) > 0",
                                              esc_service_stmt_column_text (tables, 0));
      g_autoptr(EscServiceStmt) stmt = esc_service_db_prepare (db, sql, &error);

      g_assert_no_error (error);
      esc_service_stmt_bind_text (stmt, 1, secret);
      g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
      g_assert_cmpint (esc_service_stmt_column_int64 (stmt, 0), ==, 0);
      n_tables++;
    }
  /* device_passwords among them */
  g_assert_cmpuint (n_tables, >, 20);
}

static void
test_not_in_clear (void)
{
  g_autoptr(EscTestService) service = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *password = NULL;
  g_autofree char *log = NULL;
  g_autofree char *key_file = NULL;
  const char * const add[] = { "device", "add", "--name", "MMD-7", "--serial", "SN7",
                               "--group", "broad", NULL };
  const char * const grant[] = { "designation", "grant", "--user", "eve", "--capability",
                                 "elevation", "--reason", "test", NULL };
  const char * const suffixes[] = { "", "-wal", "-shm", ".key" };
  struct stat st;

  soup_session_set_proxy_resolver (session, NULL);

  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  token = esc_test_service_create_token (service, "eve", "eve@example.org", "support-staff",
                                         &error);
  g_assert_no_error (error);
  esc_test_service_run (service, add, NULL, &error);
  g_assert_no_error (error);
  esc_test_service_run (service, grant, NULL, &error);
  g_assert_no_error (error);

  url = g_strconcat (esc_test_service_get_url (service), "/v1/elevation-requests", NULL);
  msg = soup_message_new ("POST", url);
  request_body = g_bytes_new_static (OPEN_BODY ("MMD-7"), strlen (OPEN_BODY ("MMD-7")));
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  {
    g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  }
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);

  g_free (url);
  url = g_strconcat (esc_test_service_get_url (service),
                     "/v1/elevation-requests/ER-000001/password", NULL);
  g_assert_cmpuint (http_get (session, url, token, &answer), ==, 200);
  json_parser_load_from_data (parser, answer, -1, &error);
  g_assert_no_error (error);
  password = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                      "password"));
  g_assert_cmpuint (strlen (password), ==, ESC_SERVICE_PASSWORD_LENGTH);

  /* The database, its WAL and shared memory, the key: no password in clear. */
  key_file = esc_test_backend_dup_key_file (esc_test_service_get_database (service),
                                            esc_test_service_get_tmpdir (service));
  if (esc_test_backend_is_postgresql ())
    {
      assert_not_in_tables (esc_test_service_get_database (service), password);
      g_assert_false (file_contains (key_file, password));
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (esc_test_service_get_database (service), suffixes[i],
                                               NULL);

          g_assert_false (file_contains (path, password));
        }
    }

  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The log has the request (written once the answer is sent: poll for it),
   * not the password. */
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
       g_get_monotonic_time () < deadline;
       g_usleep (10 * 1000))
    {
      g_free (log);
      log = esc_test_service_dup_log (service);
      if (strstr (log, "/v1/elevation-requests/ER-000001/password 200") != NULL)
        break;
    }
  g_assert_nonnull (log);
  g_assert_nonnull (strstr (log, "/v1/elevation-requests/ER-000001/password 200"));
  g_assert_null (strstr (log, password));
}

/* The open-request limit holds across nodes: another node, inside its
 * transaction, has opened the device's last allowed request (as the
 * service does: the device's lock, the count, the insert) and not committed
 * yet when this node is asked for one more. This one waits for it, then
 * counts it: 409, and the device has one request, not two. */
typedef struct
{
  EscServiceDb *db;
} OtherOpener;

static gpointer
commit_when_waited_on (gpointer data)
{
  OtherOpener *other = data;
  g_autoptr(GError) error = NULL;

  if (esc_test_backend_is_postgresql ())
    {
      gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

      /* This node's request waits on the device's lock (asked through the
       * other node's own transaction: this node's connection is busy) */
      while (query_int (other->db, "SELECT count(*) FROM pg_stat_activity"
                                          " WHERE datname = current_database () AND wait_event_type = 'Lock'") == 0 &&
             g_get_monotonic_time () < deadline)
        g_usleep (10 * 1000);
    }
  else
    {
      /* This node's request waits for the file's write lock */
      g_usleep (200 * 1000);
    }

  esc_service_db_commit (other->db, &error);
  g_assert_no_error (error);

  return NULL;
}

static void
test_limit_two_nodes (Fixture       *fixture,
                      gconstpointer  data)
{
  EscServiceDb *server_db = esc_test_server_get_db (fixture->server);
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *device_key = NULL;
  OtherOpener other = { NULL };
  gint64 device_id = query_int (server_db, "SELECT id FROM devices WHERE name = 'MMD-1'");
  gint64 eve_id = query_int (server_db, "SELECT id FROM people WHERE name = 'eve'");

  esc_service_db_exec (server_db, "UPDATE settings SET value = '1' WHERE key = 'elevation.max-open-per-device'",
                       &error);
  g_assert_no_error (error);

  other.db = open_node (fixture);
  g_assert_true (esc_service_db_begin (other.db, &error));
  device_key = g_strdup_printf ("device:%" G_GINT64_FORMAT, device_id);
  g_assert_true (esc_service_db_lock_key (other.db, device_key, &error));
  stmt = esc_service_db_prepare (other.db,
                                 "INSERT INTO elevation_requests"
                                 " (device_id, requested_by, ticket_id, category, subcategory,"
                                 "  title, plan_of_action, state, created_at, expires_at)"
                                 " VALUES (?1, ?2, 'INC-OTHER', 'devices', 'drivers', 'Other node',"
                                 "  'Install the driver', 'open', '2024-05-06T09:00:00Z', '2024-05-06T13:00:00Z')",
                                 &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_int64 (stmt, 1, device_id);
  esc_service_stmt_bind_int64 (stmt, 2, eve_id);
  g_assert_true (esc_service_db_step_done (other.db, stmt, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("other-node", commit_when_waited_on, &other);
  esc_test_request (fixture->server, "POST", "/v1/elevation-requests", fixture->ed, NULL,
                    OPEN_BODY ("MMD-1"), NULL, &response);
  g_thread_join (g_steal_pointer (&thread));

  g_assert_cmpuint (response.status, ==, 409);
  g_assert_cmpstr (esc_test_problem_type (&response), ==, "too-many-elevation-requests");
  g_assert_cmpint (count (fixture, "elevation_requests WHERE state = 'open'"), ==, 1);

  g_clear_pointer (&stmt, esc_service_stmt_free);
  g_assert_finalize_object (other.db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/elevation/crypto/random", test_crypto_random);
  g_test_add_func ("/service/elevation/crypto/password", test_crypto_password);
  g_test_add_func ("/service/elevation/crypto/seal-open", test_crypto_seal_open);
  g_test_add_func ("/service/elevation/crypto/key-file", test_crypto_key_file);
  g_test_add ("/service/elevation/open", Fixture, NULL,
              fixture_setup, test_open, fixture_teardown);
  g_test_add ("/service/elevation/open-idempotent", Fixture, NULL,
              fixture_setup, test_open_idempotent, fixture_teardown);
  g_test_add ("/service/elevation/open-refusals", Fixture, NULL,
              fixture_setup, test_open_refusals, fixture_teardown);
  g_test_add ("/service/elevation/open-limit", Fixture, NULL,
              fixture_setup, test_open_limit, fixture_teardown);
  g_test_add ("/service/elevation/list-and-get", Fixture, NULL,
              fixture_setup, test_list_and_get, fixture_teardown);
  g_test_add ("/service/elevation/password", Fixture, NULL,
              fixture_setup, test_password, fixture_teardown);
  g_test_add ("/service/elevation/rotation", Fixture, NULL,
              fixture_setup, test_rotation, fixture_teardown);
  g_test_add ("/service/elevation/limit-two-nodes", Fixture, NULL,
              fixture_setup, test_limit_two_nodes, fixture_teardown);
  g_test_add ("/service/elevation/rotation-two-nodes", Fixture, NULL,
              fixture_setup, test_rotation_two_nodes, fixture_teardown);
  g_test_add ("/service/elevation/renew-and-close", Fixture, NULL,
              fixture_setup, test_renew_and_close, fixture_teardown);
  g_test_add ("/service/elevation/admin-closes", Fixture, NULL,
              fixture_setup, test_admin_closes, fixture_teardown);
  g_test_add ("/service/elevation/purge", Fixture, NULL,
              fixture_setup, test_purge, fixture_teardown);
  g_test_add ("/service/elevation/roles", Fixture, NULL,
              fixture_setup, test_roles, fixture_teardown);
  g_test_add ("/service/elevation/guidance", Fixture, NULL,
              fixture_setup, test_guidance, fixture_teardown);
  g_test_add_func ("/service/elevation/not-in-clear", test_not_in_clear);

  return g_test_run ();
}
