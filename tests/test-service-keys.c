/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "esc-service-crypto.h"
#include "esc-service-private.h"
#include "esc-test-backend.h"
#include "esc-test-service.h"

/* The sealing key of device passwords, on a real escalade-service: rows of
 * the pre-libsodium format are re-sealed at start and still open; `key
 * rotate` keeps every password; a missing key file with sealed rows stops
 * the start; plain HTTP beyond loopback is refused; HEAD on a password
 * rotates nothing. */

#define OPEN_BODY(device) \
  "{\"ticket_id\": \"INC0012345\", \"device\": \"" device "\", \"category\": \"devices\"," \
  " \"subcategory\": \"printer-driver\", \"title\": \"Reinstall the printer driver\"," \
  " \"plan_of_action\": \"Run the printer troubleshooter elevated.\"}"

typedef struct
{
  EscTestService *service;
  SoupSession    *session;
  char           *token;
} Fixture;

static guint
send (Fixture     *fixture,
      const char  *method,
      const char  *path,
      const char  *body,
      char       **out_body)
{
  g_autofree char *url = g_strconcat (esc_test_service_get_url (fixture->service), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *authorization = g_strconcat ("Bearer ", fixture->token, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

  return soup_message_get_status (msg);
}

static char *
read_password (Fixture    *fixture,
               const char *request_id)
{
  g_autofree char *path = g_strdup_printf ("/v1/elevation-requests/%s/password", request_id);
  g_autofree char *answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (send (fixture, "GET", path, NULL, &answer), ==, 200);
  json_parser_load_from_data (parser, answer, -1, &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "password"));
}

static void
add_device_and_open (Fixture    *fixture,
                     const char *name,
                     const char *serial)
{
  const char * const add[] = { "device", "add", "--name", name, "--serial", serial,
                               "--group", "broad", NULL };
  g_autofree char *body = g_strdup_printf ("{\"ticket_id\": \"INC1\", \"device\": \"%s\","
                                           " \"category\": \"devices\", \"subcategory\": \"driver\","
                                           " \"title\": \"Fix\", \"plan_of_action\": \"Run it.\"}",
                                           name);
  g_autoptr(GError) error = NULL;

  esc_test_service_run (fixture->service, add, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (send (fixture, "POST", "/v1/elevation-requests", body, NULL), ==, 201);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char * const grant[] = { "designation", "grant", "--user", "eve", "--capability",
                                 "elevation", NULL };
  g_autoptr(GError) error = NULL;

  fixture->service = esc_test_service_start (&error);
  g_assert_no_error (error);
  fixture->session = soup_session_new ();
  soup_session_set_proxy_resolver (fixture->session, NULL);
  fixture->token = esc_test_service_create_token (fixture->service, "eve", "eve@example.org",
                                                  "support-staff", &error);
  g_assert_no_error (error);
  esc_test_service_run (fixture->service, grant, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->service, esc_test_service_stop);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->token, g_free);
}

/* The sealing key file: beside an SQLite database, or the --key-file the
 * harness gives a service on PostgreSQL. */
static char *
dup_key_file (Fixture *fixture)
{
  return esc_test_backend_dup_key_file (esc_test_service_get_database (fixture->service),
                                        esc_test_service_get_tmpdir (fixture->service));
}

/* The service's database, on either backend, as a node of its own. */
static EscServiceDb *
open_database (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  EscServiceDb *db = esc_service_db_open (esc_test_service_get_database (fixture->service), &error);

  g_assert_no_error (error);

  return db;
}

/* The text of the first column of the first row (NULL if none). */
static char *
query_text (EscServiceDb *db,
            const char   *sql)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  int rc;

  stmt = esc_service_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  rc = esc_service_stmt_step (stmt);
  g_assert_true (rc == ESC_SERVICE_STMT_ROW || rc == ESC_SERVICE_STMT_DONE);
  if (rc == ESC_SERVICE_STMT_ROW)
    text = g_strdup (esc_service_stmt_column_text (stmt, 0));

  return text;
}

/* The format written before libsodium (escalade-service 0.1), rebuilt here
 * with GLib's HMAC to make an old row: HMAC-SHA256 in counter mode under
 * Ke = HMAC(K, label), tag HMAC(Km, "v1" || len(A) || A || N || C). */
static void
v1_hmac (const guint8 *key,
         gsize         key_length,
         const guint8 *a,
         gsize         a_length,
         const guint8 *b,
         gsize         b_length,
         guint8        out[32])
{
  GHmac *hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_length);
  gsize length = 32;

  g_hmac_update (hmac, a, a_length);
  if (b != NULL)
    g_hmac_update (hmac, b, b_length);
  g_hmac_get_digest (hmac, out, &length);
  g_hmac_unref (hmac);
}

static char *
v1_seal (const guint8 *key,
         const char   *plaintext,
         const char   *associated_data)
{
  static const char encryption_label[] = "escalade-service secret box v1 encryption";
  static const char authentication_label[] = "escalade-service secret box v1 authentication";
  guint8 ke[32], km[32], block[32];
  gsize length = strlen (plaintext);
  g_autofree guint8 *buffer = g_malloc (16 + length + 32);
  g_autofree char *encoded = NULL;
  guint32 ad_length_be = GUINT32_TO_BE ((guint32)strlen (associated_data));
  GHmac *hmac;
  gsize tag_length = 32;

  v1_hmac (key, 32, (const guint8 *)encryption_label, strlen (encryption_label), NULL, 0, ke);
  v1_hmac (key, 32, (const guint8 *)authentication_label, strlen (authentication_label), NULL, 0, km);

  for (guint i = 0; i < 16; i++)
    buffer[i] = (guint8)g_random_int ();
  /* The plaintext without its NUL, as the old format stored it. */
  for (gsize i = 0; i < length; i++)
    buffer[16 + i] = (guint8)plaintext[i];
  for (guint64 counter = 0; counter * 32 < length; counter++)
    {
      guint64 counter_be = GUINT64_TO_BE (counter);

      v1_hmac (ke, 32, buffer, 16, (const guint8 *)&counter_be, sizeof counter_be, block);
      for (gsize i = 0; i < 32 && counter * 32 + i < length; i++)
        buffer[16 + counter * 32 + i] ^= block[i];
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA256, km, 32);
  g_hmac_update (hmac, (const guchar *)"v1", 2);
  g_hmac_update (hmac, (const guchar *)&ad_length_be, sizeof ad_length_be);
  g_hmac_update (hmac, (const guchar *)associated_data, strlen (associated_data));
  g_hmac_update (hmac, buffer, 16 + length);
  g_hmac_get_digest (hmac, buffer + 16 + length, &tag_length);
  g_hmac_unref (hmac);

  encoded = g_base64_encode (buffer, 16 + length + 32);

  return g_strconcat ("v1:", encoded, NULL);
}

static void
test_migrate_v1 (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *known = "Old-Format-Passw0rd!";
  g_autofree char *key_file = dup_key_file (fixture);
  g_autofree char *key = NULL;
  g_autofree char *old = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *password = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *audited = NULL;
  g_autoptr(GError) error = NULL;
  gsize key_length = 0;
  EscServiceDb *db;

  add_device_and_open (fixture, "MMD-1", "SN1");
  old = read_password (fixture, "ER-000001");
  esc_test_service_kill (fixture->service);

  /* Device 1, generation 1, sealed as escalade-service 0.1 did. */
  g_assert_true (g_file_get_contents (key_file, &key, &key_length, &error));
  g_assert_cmpuint (key_length, ==, 32);
  sealed = v1_seal ((const guint8 *)key, known, "device-password:1:1");
  db = open_database (fixture);
  {
    g_autoptr(EscServiceStmt) stmt = esc_service_db_prepare (db,
                                                             "UPDATE device_passwords SET sealed = ?1"
                                                             " WHERE device_id = 1",
                                                             &error);

    g_assert_no_error (error);
    esc_service_stmt_bind_text (stmt, 1, sealed);
    g_assert_true (esc_service_db_step_done (db, stmt, &error));
    g_assert_no_error (error);
    g_assert_cmpint (esc_service_stmt_changes (stmt), ==, 1);
  }
  g_object_unref (db);

  esc_test_service_restart (fixture->service, &error);
  g_assert_no_error (error);

  /* Re-sealed at start, as v2 under the key's id... */
  db = open_database (fixture);
  stored = query_text (db, "SELECT sealed FROM device_passwords WHERE device_id = 1");
  audited = query_text (db, "SELECT details FROM audit_events WHERE action = 'device-passwords.resealed'");
  g_object_unref (db);
  g_assert_true (g_str_has_prefix (stored, "v2:"));
  g_assert_nonnull (audited);
  g_assert_nonnull (strstr (audited, "\"resealed\":1"));

  /* ... and it opens: the same password. */
  password = read_password (fixture, "ER-000001");
  g_assert_cmpstr (password, ==, known);
  g_assert_cmpstr (password, !=, old);
}

static void
test_rotate (Fixture       *fixture,
             gconstpointer  data)
{
  const char * const rotate[] = { "key", "rotate", NULL };
  g_autofree char *key_file = dup_key_file (fixture);
  g_autofree char *next_file = g_strconcat (key_file, ".next", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *old_key = NULL;
  g_autofree char *new_key = NULL;
  g_autofree char *output = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(GPtrArray) key_ids = g_ptr_array_new_with_free_func (g_free);

  add_device_and_open (fixture, "MMD-1", "SN1");
  add_device_and_open (fixture, "MMD-2", "SN2");
  first = read_password (fixture, "ER-000001");
  second = read_password (fixture, "ER-000002");
  g_assert_true (g_file_get_contents (key_file, &old_key, NULL, NULL));
  g_assert_true (esc_test_service_terminate (fixture->service));

  esc_test_service_run (fixture->service, rotate, &output, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (output, "rotated: 2 passwords re-sealed under key "));

  /* A new key in place, no leftover. */
  g_assert_true (g_file_get_contents (key_file, &new_key, NULL, NULL));
  g_assert_true (memcmp (old_key, new_key, 32) != 0);
  g_assert_false (g_file_test (next_file, G_FILE_TEST_EXISTS));

  db = open_database (fixture);
  stmt = esc_service_db_prepare (db, "SELECT DISTINCT substr (sealed, 4, 16) FROM device_passwords",
                                 &error);
  g_assert_no_error (error);
  while (esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW)
    g_ptr_array_add (key_ids, g_strdup (esc_service_stmt_column_text (stmt, 0)));
  g_clear_pointer (&stmt, esc_service_stmt_free);
  g_clear_object (&db);
  /* Both rows under the new key, named in the output */
  g_assert_cmpuint (key_ids->len, ==, 1);
  stored = g_strdup (key_ids->pdata[0]);
  g_assert_cmpuint (strlen (stored), ==, 16);
  g_assert_nonnull (strstr (output, stored));

  esc_test_service_restart (fixture->service, &error);
  g_assert_no_error (error);

  /* Every password survives. */
  again = read_password (fixture, "ER-000001");
  g_assert_cmpstr (again, ==, first);
  g_clear_pointer (&again, g_free);
  again = read_password (fixture, "ER-000002");
  g_assert_cmpstr (again, ==, second);
}

static void
test_rotate_interrupted (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *key_file = dup_key_file (fixture);
  g_autofree char *next_file = g_strconcat (key_file, ".next", NULL);
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  guint8 random_key[32];

  add_device_and_open (fixture, "MMD-1", "SN1");
  first = read_password (fixture, "ER-000001");
  esc_test_service_kill (fixture->service);

  /* A rotation cut short right after the new key was written: the next
   * start re-seals under it and puts it in place. */
  for (guint i = 0; i < sizeof random_key; i++)
    random_key[i] = (guint8)g_random_int ();
  g_assert_true (g_file_set_contents_full (next_file, (const char *)random_key, sizeof random_key,
                                           G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error));
  esc_test_service_restart (fixture->service, &error);
  g_assert_no_error (error);

  g_assert_false (g_file_test (next_file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (key_file, &key, NULL, NULL));
  g_assert_true (memcmp (key, random_key, sizeof random_key) == 0);
  again = read_password (fixture, "ER-000001");
  g_assert_cmpstr (again, ==, first);
}

static void
test_missing_key (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *key_file = dup_key_file (fixture);
  g_autofree char *moved = g_strconcat (key_file, ".backup", NULL);
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  const char * const key_file_args[] = { "--key-file", moved, "key", "rotate", NULL };

  add_device_and_open (fixture, "MMD-1", "SN1");
  first = read_password (fixture, "ER-000001");
  esc_test_service_kill (fixture->service);

  g_assert_cmpint (g_rename (key_file, moved), ==, 0);
  g_assert_false (esc_test_service_restart (fixture->service, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "is missing, but 1 device password is sealed with it"));
  g_clear_error (&error);
  /* No new key was made. */
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
  esc_test_service_kill (fixture->service);

  /* The key kept elsewhere, named with --key-file, opens it (a rotation
   * opens every row). */
  esc_test_service_run (fixture->service, key_file_args, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (moved, key_file), ==, 0);
  esc_test_service_restart (fixture->service, &error);
  g_assert_no_error (error);
  again = read_password (fixture, "ER-000001");
  g_assert_cmpstr (again, ==, first);
}

static void
test_head_password (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *views = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *events = NULL;
  g_autofree char *events_after = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", fixture->token, NULL);
  EscServiceDb *db;

  add_device_and_open (fixture, "MMD-1", "SN1");
  db = open_database (fixture);
  events = query_text (db, "SELECT count(*) FROM audit_events");
  g_object_unref (db);

  url = g_strconcat (esc_test_service_get_url (fixture->service),
                     "/v1/elevation-requests/ER-000001/password", NULL);
  msg = soup_message_new ("HEAD", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  answer = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 405);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow"),
                   ==, "GET");

  /* Nothing made, viewed or audited. */
  db = open_database (fixture);
  rows = query_text (db, "SELECT count(*) FROM device_passwords");
  views = query_text (db, "SELECT count(*) FROM elevation_views");
  events_after = query_text (db, "SELECT count(*) FROM audit_events");
  g_object_unref (db);
  g_assert_cmpstr (rows, ==, "0");
  g_assert_cmpstr (views, ==, "0");
  g_assert_cmpstr (events_after, ==, events);
}

static void
test_plain_http_beyond_loopback (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char * const any[] = { "serve", "--listen", "0.0.0.0:0", NULL };
  const char * const any_allowed[] = { "serve", "--listen", "0.0.0.0:0", "--allow-remote", NULL };
  const char * const any6[] = { "serve", "--listen", "[::]:0", "--allow-remote", NULL };
  const char * const * const cases[] = { any, any_allowed, any6 };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_false (esc_test_service_run (fixture->service, cases[i], NULL, &error));
      g_assert_error (error, G_SPAWN_EXIT_ERROR, 2);
      g_assert_nonnull (strstr (error->message, "Refusing to serve plain HTTP"));
      g_clear_error (&error);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/service/keys/migrate-v1", Fixture, NULL,
              fixture_setup, test_migrate_v1, fixture_teardown);
  g_test_add ("/service/keys/rotate", Fixture, NULL,
              fixture_setup, test_rotate, fixture_teardown);
  g_test_add ("/service/keys/rotate-interrupted", Fixture, NULL,
              fixture_setup, test_rotate_interrupted, fixture_teardown);
  g_test_add ("/service/keys/missing-key", Fixture, NULL,
              fixture_setup, test_missing_key, fixture_teardown);
  g_test_add ("/service/keys/head-password", Fixture, NULL,
              fixture_setup, test_head_password, fixture_teardown);
  g_test_add ("/service/keys/plain-http-beyond-loopback", Fixture, NULL,
              fixture_setup, test_plain_http_beyond_loopback, fixture_teardown);

  return g_test_run ();
}
