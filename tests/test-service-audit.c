/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sodium.h>

#include "esc-service-keys.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"
#include "esc-test-service.h"

/* An audit trail no one can rewrite: UPDATE and DELETE are refused; signed
 * checkpoints make a cut-off tail, an edited row and a forged checkpoint
 * show in `audit verify`; GET /v1/audit gives prev_hash and checkpoints;
 * a missing audit key with signed checkpoints stops the start. */

static void
test_update_delete_refused (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  const char * const statements[] = {
    "UPDATE audit_events SET actor_name = 'someone else'",
    "DELETE FROM audit_events",
    "UPDATE audit_checkpoints SET hash = 'x'",
    "DELETE FROM audit_checkpoints",
  };
  g_autoptr(GError) error = NULL;
  gint64 events;

  /* A few events and a checkpoint. */
  g_assert_true (esc_service_db_exec (esc_test_server_get_db (server),
                                      "UPDATE settings SET value = '2' WHERE key = 'audit.checkpoint-every'",
                                      &error));
  for (guint i = 0; i < 3; i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (server, "GET", "/v1/audit", "esc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                        NULL, NULL, NULL, &response);
      g_assert_cmpuint (response.status, ==, 401);
    }
  {
    g_auto(EscTestResponse) response = { 0, };

    esc_test_request (server, "PUT", "/v1/admin-contacts/devices", token, NULL,
                      "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"c@example.org\","
                      " \"phone\": \"+33 1\", \"preferred_method\": \"email\", \"language\": \"fr\"}",
                      NULL, &response);
    g_assert_cmpuint (response.status, ==, 200);
  }
  g_assert_true (esc_service_db_audit_checkpoint (esc_test_server_get_db (server), &error));
  g_assert_no_error (error);
  events = esc_test_server_count_rows (server, "audit_events");
  g_assert_cmpint (events, >, 0);
  g_assert_cmpint (esc_test_server_count_rows (server, "audit_checkpoints"), >, 0);

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_assert_false (esc_service_db_exec (esc_test_server_get_db (server), statements[i], &error));
      g_test_message ("%s: %s", statements[i], error->message);
      g_assert_nonnull (strstr (error->message, "append-only"));
      g_clear_error (&error);
    }
  /* PostgreSQL has TRUNCATE too (SQLite's is a DELETE, refused above). */
  if (esc_test_backend_is_postgresql ())
    {
      g_assert_false (esc_service_db_exec (esc_test_server_get_db (server),
                                           "TRUNCATE audit_events, audit_checkpoints", &error));
      g_test_message ("TRUNCATE: %s", error->message);
      g_assert_nonnull (strstr (error->message, "append-only"));
      g_clear_error (&error);
    }
  g_assert_cmpint (esc_test_server_count_rows (server, "audit_events"), ==, events);
  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (server), NULL, NULL, NULL,
                                              NULL, &error));
  g_assert_no_error (error);
}

static void
test_list_has_prev_hash_and_checkpoints (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  g_autoptr(GError) error = NULL;
  g_auto(EscTestResponse) response = { 0, };
  JsonObject *page;
  JsonArray *items;
  JsonArray *checkpoints;
  const char *previous = "0000000000000000000000000000000000000000000000000000000000000000";

  g_assert_true (esc_service_db_exec (esc_test_server_get_db (server),
                                      "UPDATE settings SET value = '2' WHERE key = 'audit.checkpoint-every'",
                                      &error));
  for (guint i = 0; i < 5; i++)
    {
      g_auto(EscTestResponse) put = { 0, };

      esc_test_request (server, "PUT", "/v1/admin-contacts/devices", token, NULL,
                        "{\"given_name\": \"C\", \"surname\": \"M\", \"email\": \"c@example.org\","
                        " \"phone\": \"+33 1\", \"preferred_method\": \"email\", \"language\": \"fr\"}",
                        NULL, &put);
      g_assert_cmpuint (put.status, ==, 200);
    }

  esc_test_request (server, "GET", "/v1/audit", token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  page = json_node_get_object (response.body);
  items = json_object_get_array_member (page, "items");
  checkpoints = json_object_get_array_member (page, "checkpoints");
  g_assert_cmpuint (json_array_get_length (items), ==, 5);

  /* Each event names the hash of the one before. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (item, "prev_hash"), ==, previous);
      previous = json_object_get_string_member (item, "hash");
    }

  /* Events 2 and 4 are signed, with this service's key. */
  g_assert_cmpuint (json_array_get_length (checkpoints), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *checkpoint = json_array_get_object_element (checkpoints, i);
      JsonObject *item = json_array_get_object_element (items, 2 * i + 1);
      g_autofree char *message = NULL;
      guint8 public_key[crypto_sign_PUBLICKEYBYTES];
      guint8 signature[crypto_sign_BYTES];

      g_assert_cmpint (json_object_get_int_member (checkpoint, "last_id"), ==, 2 * i + 2);
      g_assert_cmpstr (json_object_get_string_member (checkpoint, "hash"), ==,
                       json_object_get_string_member (item, "hash"));
      g_assert_cmpint (sodium_hex2bin (public_key, sizeof public_key,
                                       json_object_get_string_member (checkpoint, "public_key"),
                                       64, NULL, NULL, NULL), ==, 0);
      g_assert_cmpint (sodium_hex2bin (signature, sizeof signature,
                                       json_object_get_string_member (checkpoint, "signature"),
                                       128, NULL, NULL, NULL), ==, 0);
      message = g_strdup_printf ("escalade-audit-checkpoint-v1\n%" G_GINT64_FORMAT "\n%s\n%s\n",
                                 json_object_get_int_member (checkpoint, "last_id"),
                                 json_object_get_string_member (checkpoint, "hash"),
                                 json_object_get_string_member (checkpoint, "at"));
      g_assert_cmpint (crypto_sign_verify_detached (signature, (const guint8 *)message,
                                                    strlen (message), public_key), ==, 0);
    }
}

/* Two nodes on one database (two handles on one SQLite file; two pools on
 * one PostgreSQL database) append at the same time, while a third verifies,
 * then in turns: one chain, with the checkpoints of both, that verifies. */

#define NODE_EVENTS 60

typedef struct
{
  EscServiceDb *db;
  const char   *action;
  guint         n_appended;
} Node;

static gpointer
node_append (gpointer data)
{
  Node *node = data;

  for (guint i = 0; i < NODE_EVENTS; i++)
    {
      EscServiceAuditEvent event = { 0, };
      g_autofree char *target = g_strdup_printf ("/v1/test/%s/%u", node->action, i);
      g_autoptr(GError) error = NULL;

      event.action = node->action;
      event.target = target;
      if (!esc_service_db_audit_append (node->db, &event, &error))
        g_error ("%s, event %u: %s", node->action, i, error->message);
      node->n_appended++;
    }

  return NULL;
}

/* A third node verifies the chain again and again while the two append:
 * each verification sees one state of the log (a snapshot), never a head
 * ahead of the events it read. */
typedef struct
{
  EscServiceDb *db;
  gint          appending;   /* atomic: appenders still running */
  guint         n_verified;
} Verifier;

static gpointer
node_verify (gpointer data)
{
  Verifier *verifier = data;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = NULL;
      gint64 bad_id = 0;

      if (!esc_service_db_audit_verify (verifier->db, NULL, NULL, &bad_id, &reason, &error))
        g_error ("audit verify while appending: event %" G_GINT64_FORMAT ": %s", bad_id,
                 error != NULL ? error->message : reason);
      verifier->n_verified++;
    }
  while (g_atomic_int_get (&verifier->appending) > 0);

  return NULL;
}

static gint64
count_action (EscServiceDb *db,
              const char   *action)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (db, "SELECT count(*) FROM audit_events WHERE action = ?1", &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, action);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

static void
test_two_nodes_one_chain (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  EscServiceDb *db = esc_test_server_get_db (server);
  g_autofree char *audit_key_file = g_build_filename (esc_test_server_get_tmpdir (server),
                                                      "audit.key", NULL);
  Node nodes[2] = { { NULL, "node-a.appended", 0 }, { NULL, "node-b.appended", 0 } };
  GThread *threads[2];
  GThread *verifier_thread;
  Verifier verifier = { NULL, 0, 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 count = 0;
  gint64 bad_id = 0;
  const gint64 total = 2 * NODE_EVENTS + 10;

  /* A checkpoint every 7 events: both nodes sign some. */
  g_assert_true (esc_service_db_exec (db, "UPDATE settings SET value = '7' WHERE key = 'audit.checkpoint-every'",
                                      &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    {
      nodes[i].db = esc_service_db_open (esc_test_server_get_path (server), &error);
      g_assert_no_error (error);
      /* Every node shares the audit key (on SQLite, the file beside the database) */
      if (esc_test_backend_is_postgresql ())
        esc_service_keys_set_audit_key_file (nodes[i].db, audit_key_file);
    }

  verifier.db = esc_service_db_open (esc_test_server_get_path (server), &error);
  g_assert_no_error (error);
  if (esc_test_backend_is_postgresql ())
    esc_service_keys_set_audit_key_file (verifier.db, audit_key_file);

  /* At the same time, verified meanwhile… */
  g_atomic_int_set (&verifier.appending, 1);
  verifier_thread = g_thread_new ("verifier", node_verify, &verifier);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    threads[i] = g_thread_new (nodes[i].action, node_append, &nodes[i]);
  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    g_thread_join (threads[i]);
  g_atomic_int_set (&verifier.appending, 0);
  g_thread_join (verifier_thread);
  g_test_message ("verified %u times while appending", verifier.n_verified);
  g_assert_cmpuint (verifier.n_verified, >, 0);
  g_clear_object (&verifier.db);
  g_assert_cmpuint (nodes[0].n_appended, ==, NODE_EVENTS);
  g_assert_cmpuint (nodes[1].n_appended, ==, NODE_EVENTS);

  /* …then in turns. */
  for (guint i = 0; i < 10; i++)
    {
      EscServiceAuditEvent event = { 0, };

      event.action = nodes[i % 2].action;
      g_assert_true (esc_service_db_audit_append (nodes[i % 2].db, &event, &error));
      g_assert_no_error (error);
    }

  /* One chain of every event, from whichever handle reads it. */
  for (guint i = 0; i < G_N_ELEMENTS (nodes) + 1; i++)
    {
      EscServiceDb *reader = i < G_N_ELEMENTS (nodes) ? nodes[i].db : db;

      g_clear_pointer (&reason, g_free);
      if (!esc_service_db_audit_verify (reader, &count, NULL, &bad_id, &reason, &error))
        g_error ("audit verify: event %" G_GINT64_FORMAT ": %s", bad_id,
                 error != NULL ? error->message : reason);
      g_assert_cmpint (count, ==, total);
    }
  g_assert_cmpint (count_action (db, nodes[0].action), ==, NODE_EVENTS + 5);
  g_assert_cmpint (count_action (db, nodes[1].action), ==, NODE_EVENTS + 5);
  g_assert_cmpint (esc_service_db_audit_count_checkpoints (db), ==, total / 7);

  for (guint i = 0; i < G_N_ELEMENTS (nodes); i++)
    g_clear_object (&nodes[i].db);
}

/* On a real service: events, then a clean stop, which signs the tail. */

typedef struct
{
  EscTestService *service;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  fixture->service = esc_test_service_start (&error);
  g_assert_no_error (error);
  token = esc_test_service_create_token (fixture->service, "ann", "ann@example.org", "it-admin", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("MMD-%u", i);
      g_autofree char *serial = g_strdup_printf ("SN%u", i);
      const char * const add[] = { "device", "add", "--name", name, "--serial", serial,
                                   "--group", "broad", NULL };

      esc_test_service_run (fixture->service, add, NULL, &error);
      g_assert_no_error (error);
    }

  g_assert_true (esc_test_service_terminate (fixture->service));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->service, esc_test_service_stop);
}

/* As someone with the database would: the triggers that keep the audit
 * tables append-only go first (dropped from the SQLite file; on PostgreSQL
 * turned off by the tables' owner), then @sql runs. */
static void
tamper (Fixture    *fixture,
        const char *sql)
{
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = esc_service_db_open (esc_test_service_get_database (fixture->service), &error);
  g_assert_no_error (error);
  esc_service_db_exec (db,
                       esc_test_backend_is_postgresql ()
                         ? "ALTER TABLE audit_events DISABLE TRIGGER USER;"
                           "ALTER TABLE audit_checkpoints DISABLE TRIGGER USER;"
                         : "DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;"
                           "DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;",
                       &error);
  g_assert_no_error (error);
  if (!esc_service_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static char *
verify (Fixture  *fixture,
        gboolean  expect_ok)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  const char *binary = g_getenv ("ESCALADE_SERVICE");
  char *output = NULL;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (esc_test_service_get_database (fixture->service)));
  esc_test_backend_add_options (argv, esc_test_service_get_tmpdir (fixture->service));
  g_ptr_array_add (argv, g_strdup ("audit"));
  g_ptr_array_add (argv, g_strdup ("verify"));
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("audit verify: %s", output);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expect_ok ? 0 : 1);

  return output;
}

static void
test_intact (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *output = verify (fixture, TRUE);

  /* 6 devices added, and the stop signed the tail. */
  g_assert_true (g_str_has_prefix (output, "OK: 6 events, head "));
  g_assert_nonnull (strstr (output, "1 signed checkpoint checks out"));
}

static void
test_truncated_tail (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *output = NULL;

  /* The two newest events cut off, and the head moved back to match: the
   * chain and its head agree, but the stop's checkpoint signed event 6. */
  tamper (fixture, "DELETE FROM audit_events WHERE id > 4;"
                   "UPDATE audit_head SET last_id = 4, hash = (SELECT hash FROM audit_events WHERE id = 4);");
  output = verify (fixture, FALSE);
  g_assert_true (g_str_has_prefix (output, "TAMPERED: event 5: events 5 to 6 are missing: "
                                           "checkpoint 1 signed the log up to event 6"));
}

static void
test_edited_row (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *output = NULL;

  tamper (fixture, "UPDATE audit_events SET target = 'device:OTHER' WHERE id = 3;");
  output = verify (fixture, FALSE);
  g_assert_true (g_str_has_prefix (output, "TAMPERED: event 3: "));
  g_assert_nonnull (strstr (output, "edited"));
}

static void
test_forged_checkpoint (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *output = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *message = NULL;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  guint8 signature[crypto_sign_BYTES];
  char public_hex[sizeof public_key * 2 + 1];
  char signature_hex[sizeof signature * 2 + 1];

  /* A checkpoint of the real head, well formed, signed with another key. */
  g_assert_cmpint (sodium_init (), >=, 0);
  crypto_sign_keypair (public_key, secret_key);
  sodium_bin2hex (public_hex, sizeof public_hex, public_key, sizeof public_key);
  message = g_strdup ("escalade-audit-checkpoint-v1\n6\nHASH\n2030-01-01T00:00:00Z\n");
  crypto_sign_detached (signature, NULL, (const guint8 *)message, strlen (message), secret_key);
  sodium_bin2hex (signature_hex, sizeof signature_hex, signature, sizeof signature);
  sql = g_strdup_printf ("INSERT INTO audit_checkpoints (last_id, hash, at, public_key, signature)"
                         " SELECT 6, hash, '2030-01-01T00:00:00Z', '%s', '%s'"
                         " FROM audit_events WHERE id = 6;",
                         public_hex, signature_hex);
  tamper (fixture, sql);
  output = verify (fixture, FALSE);
  g_assert_true (g_str_has_prefix (output, "TAMPERED: event 6: checkpoint 2 is not signed by "
                                           "this service’s audit key"));
}

static void
test_missing_audit_key (Fixture       *fixture,
                        gconstpointer  data)
{
  /* Beside the SQLite file, or where the test named it (PostgreSQL) */
  g_autofree char *key_file = esc_test_backend_is_postgresql ()
                                ? g_build_filename (esc_test_service_get_tmpdir (fixture->service),
                                                    "audit.key", NULL)
                                : g_strconcat (esc_test_service_get_database (fixture->service),
                                               ".audit-key", NULL);
  g_autofree char *moved = g_strconcat (key_file, ".backup", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_rename (key_file, moved), ==, 0);
  g_assert_false (esc_test_service_restart (fixture->service, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "The audit key file"));
  g_assert_nonnull (strstr (error->message, "is missing"));
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  esc_test_service_kill (fixture->service);

  g_assert_cmpint (g_rename (moved, key_file), ==, 0);
  esc_test_service_restart (fixture->service, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/audit/update-delete-refused", test_update_delete_refused);
  g_test_add_func ("/service/audit/list-has-prev-hash-and-checkpoints",
                   test_list_has_prev_hash_and_checkpoints);
  g_test_add_func ("/service/audit/two-nodes-one-chain", test_two_nodes_one_chain);
  g_test_add ("/service/audit/intact", Fixture, NULL,
              fixture_setup, test_intact, fixture_teardown);
  g_test_add ("/service/audit/truncated-tail", Fixture, NULL,
              fixture_setup, test_truncated_tail, fixture_teardown);
  g_test_add ("/service/audit/edited-row", Fixture, NULL,
              fixture_setup, test_edited_row, fixture_teardown);
  g_test_add ("/service/audit/forged-checkpoint", Fixture, NULL,
              fixture_setup, test_forged_checkpoint, fixture_teardown);
  g_test_add ("/service/audit/missing-audit-key", Fixture, NULL,
              fixture_setup, test_missing_audit_key, fixture_teardown);

  return g_test_run ();
}
