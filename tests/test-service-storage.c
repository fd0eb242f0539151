/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "esc-service-pg.h"
#include "esc-service-private.h"
#include "esc-service-sqlite-storage.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"

/* The storage seam (issue 13) against real databases: the SQLite side on a
 * real file; the PostgreSQL side on the throwaway cluster of
 * tools/pg-test-cluster ($ESCALADE_TEST_PG, started by `tools/quickstart
 * test`), each test in a database of its own, and the restart tests on a
 * cluster of their own that they stop and start. Without $ESCALADE_TEST_PG
 * the PostgreSQL tests are skipped, unless $ESCALADE_REQUIRE_PG says this
 * run must have it (CI): then they fail. */

/* PostgreSQL helpers */

static const char *
test_pg (void)
{
  const char *conninfo = g_getenv ("ESCALADE_TEST_PG");

  if (conninfo != NULL && conninfo[0] != '\0')
    return conninfo;

  if (g_strcmp0 (g_getenv ("ESCALADE_REQUIRE_PG"), "1") == 0)
    g_test_fail_printf ("ESCALADE_TEST_PG is not set, and this run requires PostgreSQL "
                        "(ESCALADE_REQUIRE_PG=1): start tools/pg-test-cluster");
  else
    g_test_skip ("no PostgreSQL: set ESCALADE_TEST_PG (tools/pg-test-cluster start DIR prints it)");

  return NULL;
}

/* @conninfo with its dbname replaced */
static char *
with_dbname (const char *conninfo,
             const char *dbname)
{
  PQconninfoOption *options = PQconninfoParse (conninfo, NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_nonnull (options);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      const char *value = strcmp (o->keyword, "dbname") == 0 ? dbname : o->val;
      g_autoptr(GString) quoted = NULL;

      if (value == NULL || value[0] == '\0')
        continue;
      quoted = g_string_new (value);
      g_string_replace (quoted, "\\", "\\\\", 0);
      g_string_replace (quoted, "'", "\\'", 0);
      g_string_append_printf (text, "%s%s='%s'", text->len ? " " : "", o->keyword, quoted->str);
    }
  PQconninfoFree (options);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
admin_exec (const char *conninfo,
            const char *sql)
{
  PGconn *pg = PQconnectdb (conninfo);
  PGresult *result;

  g_assert_cmpint (PQstatus (pg), ==, CONNECTION_OK);
  result = PQexec (pg, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (pg);
}

static gint64
admin_count (const char *conninfo,
             const char *sql)
{
  PGconn *pg = PQconnectdb (conninfo);
  PGresult *result;
  gint64 n;

  g_assert_cmpint (PQstatus (pg), ==, CONNECTION_OK);
  result = PQexec (pg, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  n = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  PQfinish (pg);

  return n;
}

/* A new, empty database on @cluster; returns its conninfo. */
typedef struct
{
  char *cluster;
  char *name;
  char *conninfo;
} TestDb;

static TestDb *
test_db_new (const char *cluster)
{
  static guint counter;
  TestDb *db = g_new0 (TestDb, 1);
  g_autofree char *create = NULL;

  db->cluster = g_strdup (cluster);
  db->name = g_strdup_printf ("esc_test_%d_%u", (int)getpid (), ++counter);
  create = g_strdup_printf ("CREATE DATABASE %s", db->name);
  admin_exec (cluster, create);
  db->conninfo = with_dbname (cluster, db->name);

  return db;
}

static void
test_db_free (TestDb *db)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", db->name);

  admin_exec (db->cluster, drop);
  g_free (db->cluster);
  g_free (db->name);
  g_free (db->conninfo);
  g_free (db);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDb, test_db_free)

/* Sessions of @conninfo's database waiting for a lock */
static gint64
count_waiting (const char *conninfo)
{
  return admin_count (conninfo,
                      "SELECT count(*) FROM pg_stat_activity"
                      " WHERE wait_event_type = 'Lock' AND datname = current_database ()");
}

static void
wait_for_waiting (const char *conninfo,
                  gint64      n)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;

  while (count_waiting (conninfo) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
}

static EscServicePgStorage *
migrated_storage (const char *conninfo,
                  guint       pool_size)
{
  g_autoptr(GError) error = NULL;
  EscServicePgStorage *storage;

  esc_service_pg_migrate (conninfo, NULL, NULL, &error);
  g_assert_no_error (error);
  storage = esc_service_pg_storage_new (conninfo, pool_size, &error);
  g_assert_no_error (error);

  return storage;
}

static EscServiceRows *
query (EscServiceTxn       *txn,
       const char          *sql,
       const char * const  *params,
       guint                n_params)
{
  g_autoptr(GError) error = NULL;
  EscServiceRows *rows = esc_service_txn_query (txn, sql, params, n_params, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);

  return rows;
}

static EscServiceTxn *
begin (EscServiceStorage *storage)
{
  g_autoptr(GError) error = NULL;
  EscServiceTxn *txn = esc_service_storage_begin (storage, ESC_SERVICE_TXN_WRITE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (txn);

  return txn;
}

static void
commit (EscServiceTxn *txn)
{
  g_autoptr(GError) error = NULL;

  esc_service_txn_commit (txn, &error);
  g_assert_no_error (error);
}

static gint64
add_person (EscServiceStorage *storage,
            const char        *name)
{
  const char * const params[] = { name, "someone@example.org", "2024-05-06T09:00:00Z" };
  EscServiceTxn *txn = begin (storage);
  g_autoptr(EscServiceRows) rows =
    query (txn, "INSERT INTO people (name, email, created_at) VALUES ($1, $2, $3) RETURNING id", params, 3);
  gint64 id = esc_service_rows_get_int64 (rows, 0, 0);

  commit (txn);

  return id;
}

/* The same checks on both sides of the seam, one request at a time (the
 * PostgreSQL tests below add other nodes at the same moment). */
static void
check_seam (EscServiceStorage *storage)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStoredAnswer) answer = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"id\":\"SR-000001\"}\0binary", 25);
  g_autoptr(GBytes) other = g_bytes_new_static ("{}", 2);
  g_autofree char *hash = NULL;
  g_autofree char *number_text = NULL;
  const char * const head[] = { "1", "aaaa" };
  EscServiceTxn *txn;
  gboolean leader = FALSE;
  gint64 person = add_person (storage, "seam");
  gint64 last_id = -1;
  gint64 number;

  /* A first request with a key: claimed, answered, committed */
  txn = begin (storage);
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-1", "hash-1", "2024-05-06T09:00:00Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_NEW);
  g_assert_no_error (error);
  g_assert_null (answer);
  g_assert_true (esc_service_txn_store_answer (txn, person, "key-1", 201, "/v1/support-requests/SR-000001",
                                               body, &error));
  g_assert_no_error (error);
  commit (txn);

  /* Repeated: the same answer, byte for byte */
  txn = begin (storage);
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-1", "hash-1", "2024-05-06T09:00:01Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_REPLAY);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 201);
  g_assert_cmpstr (answer->location, ==, "/v1/support-requests/SR-000001");
  g_assert_true (g_bytes_equal (answer->body, body));
  g_clear_pointer (&answer, esc_service_stored_answer_free);

  /* The same key for another request */
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-1", "hash-2", "2024-05-06T09:00:01Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_MISMATCH);
  g_assert_no_error (error);
  g_assert_null (answer);
  /* An answer for a key nobody claimed is an error, not a silent no-op */
  g_assert_false (esc_service_txn_store_answer (txn, person, "key-never", 201, NULL, other, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED);
  g_clear_error (&error);
  esc_service_txn_rollback (txn);

  /* A claim rolled back leaves its key free */
  txn = begin (storage);
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-2", "hash-1", "2024-05-06T09:00:00Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_NEW);
  esc_service_txn_rollback (txn);
  txn = begin (storage);
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-2", "hash-1", "2024-05-06T09:00:00Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_NEW);
  g_assert_no_error (error);
  esc_service_txn_rollback (txn);

  /* Numbers: the next one is free, and the one after it is larger */
  txn = begin (storage);
  number = esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_SLA_AGREEMENT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (number, >, 0);
  number_text = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  {
    const char * const params[] = { number_text, "2024-05-06T09:00:00Z" };

    esc_service_rows_free (query (txn, "INSERT INTO sla_agreements (seq, created_at) VALUES ($1, $2)", params, 2));
  }
  g_assert_cmpint (esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_SUPPORT_REQUEST, &error), >, 0);
  g_assert_cmpint (esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_ELEVATION_REQUEST, &error), >, 0);
  g_assert_no_error (error);
  commit (txn);
  txn = begin (storage);
  g_assert_cmpint (esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_SLA_AGREEMENT, &error), >, number);
  esc_service_txn_rollback (txn);

  /* The audit head: read locked, moved, seen moved */
  txn = begin (storage);
  g_assert_true (esc_service_txn_lock_audit_head (txn, &last_id, &hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (last_id, ==, 0);
  g_assert_cmpstr (hash, ==, "0000000000000000000000000000000000000000000000000000000000000000");
  g_clear_pointer (&hash, g_free);
  esc_service_rows_free (query (txn, "UPDATE audit_head SET last_id = $1, hash = $2 WHERE one = 1", head, 2));
  commit (txn);
  txn = begin (storage);
  g_assert_true (esc_service_txn_lock_audit_head (txn, &last_id, &hash, &error));
  g_assert_cmpint (last_id, ==, 1);
  g_assert_cmpstr (hash, ==, "aaaa");

  /* Alone, this transaction leads */
  g_assert_true (esc_service_txn_try_lead (txn, "password-rotation", &leader, &error));
  g_assert_no_error (error);
  g_assert_true (leader);
  esc_service_txn_rollback (txn);
}

/* Recognising --database */

static void
test_conninfo_detection (void)
{
  g_assert_true (esc_service_pg_is_conninfo ("postgresql://escalade@db.example.org/escalade"));
  g_assert_true (esc_service_pg_is_conninfo ("postgres:///escalade?host=/run/postgresql"));
  g_assert_true (esc_service_pg_is_conninfo ("host=/run/postgresql dbname=escalade"));
  g_assert_true (esc_service_pg_is_conninfo ("  dbname = escalade"));
  g_assert_false (esc_service_pg_is_conninfo ("/var/lib/escalade/service.sqlite3"));
  g_assert_false (esc_service_pg_is_conninfo ("service.sqlite3"));
  g_assert_false (esc_service_pg_is_conninfo ("./a=b.sqlite3"));
  g_assert_false (esc_service_pg_is_conninfo ("colour=blue.sqlite3"));
  g_assert_false (esc_service_pg_is_conninfo (NULL));

  {
    g_autofree char *shown = esc_service_pg_describe_conninfo ("host=/tmp dbname=e user=u password=secret");

    g_assert_null (strstr (shown, "secret"));
    g_assert_nonnull (strstr (shown, "dbname=e"));
  }
}

/* The SQLite side */

static void
test_sqlite_storage (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autoptr(EscServiceSqliteStorage) sqlite = esc_service_sqlite_storage_new (esc_test_server_get_db (server));
  EscServiceStorage *storage = ESC_SERVICE_STORAGE (sqlite);
  EscServiceStorageHealth health;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceRows) ordered = NULL;
  const char * const reversed[] = { "b", "a" };
  EscServiceTxn *txn;

  g_assert_cmpint (esc_service_storage_get_backend (storage), ==, ESC_SERVICE_STORAGE_SQLITE);
  g_assert_true (esc_service_storage_check_health (storage, &health, &error));
  g_assert_no_error (error);
  g_assert_true (health.reachable);
  g_assert_cmpint (health.schema_version, ==, esc_service_db_get_latest_schema_version ());
  g_assert_cmpint (health.latest_version, ==, health.schema_version);

  /* $2 before $1: bound by name */
  txn = begin (storage);
  ordered = query (txn, "SELECT $2 || $1, NULL", reversed, 2);
  g_assert_cmpstr (esc_service_rows_get_text (ordered, 0, 0), ==, "ab");
  g_assert_null (esc_service_rows_get_text (ordered, 0, 1));
  g_clear_pointer (&ordered, esc_service_rows_free);
  add_person (storage, "inner");   /* a savepoint inside */
  esc_service_txn_rollback (txn);
  g_assert_cmpint (esc_test_server_count_rows (server, "people"), ==, 0);

  add_person (storage, "kept");
  g_assert_cmpint (esc_test_server_count_rows (server, "people"), ==, 1);

  /* A failing statement says why, and the transaction can still end */
  txn = begin (storage);
  g_assert_null (esc_service_txn_query (txn, "SELECT * FROM no_such_table", NULL, 0, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE);
  g_clear_error (&error);
  esc_service_txn_rollback (txn);

  check_seam (storage);
}

/* Migrations */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The PostgreSQL schema has the tables and columns of the SQLite schema at
 * the same version: a new SQLite step without its PostgreSQL translation
 * fails here. */
static void
test_schema_matches_sqlite (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(EscTestServer) server = NULL;
  g_autoptr(EscServicePgStorage) pg = NULL;
  g_autoptr(GPtrArray) sqlite_columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pg_columns = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EscServiceRows) tables = NULL;
  g_autoptr(EscServiceRows) columns = NULL;
  g_autofree char *sqlite_text = NULL;
  g_autofree char *pg_text = NULL;
  EscServiceTxn *txn;
  sqlite3 *handle;
  sqlite3_stmt *stmt;

  if (cluster == NULL)
    return;

  g_assert_cmpint (esc_service_pg_get_latest_schema_version (), ==,
                   esc_service_db_get_latest_schema_version ());

  db = test_db_new (cluster);
  pg = migrated_storage (db->conninfo, 1);
  server = esc_test_server_new ();
  handle = esc_sqlite_connection_get_handle (esc_service_db_get_sqlite (esc_test_server_get_db (server)));

  g_assert_cmpint (sqlite3_prepare_v2 (handle,
                                       "SELECT m.name || '.' || p.name FROM sqlite_schema m, pragma_table_info (m.name) p"
                                       " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (sqlite_columns, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  txn = begin (ESC_SERVICE_STORAGE (pg));
  columns = query (txn,
                   "SELECT table_name || '.' || column_name FROM information_schema.columns"
                   " WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
                   NULL, 0);
  for (guint i = 0; i < esc_service_rows_get_n_rows (columns); i++)
    g_ptr_array_add (pg_columns, g_strdup (esc_service_rows_get_text (columns, i, 0)));
  /* Append-only there too */
  tables = query (txn,
                  "SELECT count(*) FROM information_schema.triggers"
                  " WHERE event_object_table IN ('audit_events', 'audit_checkpoints')",
                  NULL, 0);
  g_assert_cmpint (esc_service_rows_get_int64 (tables, 0, 0), ==, 4);
  esc_service_txn_rollback (txn);

  g_ptr_array_sort (sqlite_columns, compare_strings);
  g_ptr_array_sort (pg_columns, compare_strings);
  g_ptr_array_add (sqlite_columns, NULL);
  g_ptr_array_add (pg_columns, NULL);
  sqlite_text = g_strjoinv ("\n", (char **)sqlite_columns->pdata);
  pg_text = g_strjoinv ("\n", (char **)pg_columns->pdata);
  g_assert_cmpuint (sqlite_columns->len, >, 100);
  g_assert_cmpstr (pg_text, ==, sqlite_text);
}

static GSubprocess *
spawn_migrate (const char *conninfo)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                           &error,
                                           g_getenv ("ESCALADE_SERVICE"), "--database", conninfo,
                                           "migrate", NULL);

  g_assert_no_error (error);

  return process;
}

static char *
finish_migrate (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("migrate failed: %s", err);

  return g_strstrip (g_steal_pointer (&out));
}

/* Two nodes starting together migrate once: both wait on the lock (held
 * here meanwhile, so that they surely meet), then one migrates and the
 * other finds nothing left. */
static void
test_concurrent_migrators (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *out_first = NULL;
  g_autofree char *out_second = NULL;
  g_autofree char *expected_migrated = NULL;
  g_autofree char *expected_nothing = NULL;
  PGconn *holder;
  PGresult *result;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  holder = PQconnectdb (db->conninfo);
  g_assert_cmpint (PQstatus (holder), ==, CONNECTION_OK);
  lock = g_strdup_printf ("SELECT pg_advisory_lock (%" G_GINT64_FORMAT ")", ESC_SERVICE_PG_MIGRATION_LOCK);
  result = PQexec (holder, lock);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  PQclear (result);

  first = spawn_migrate (db->conninfo);
  second = spawn_migrate (db->conninfo);
  wait_for_waiting (db->conninfo, 2);

  PQfinish (holder);   /* the lock goes with the session */

  out_first = finish_migrate (first);
  out_second = finish_migrate (second);

  expected_migrated = g_strdup_printf ("Migrated the schema from version 0 to %d",
                                       esc_service_pg_get_latest_schema_version ());
  expected_nothing = g_strdup_printf ("The schema is at version %d",
                                      esc_service_pg_get_latest_schema_version ());
  if (strcmp (out_first, expected_migrated) == 0)
    g_assert_cmpstr (out_second, ==, expected_nothing);
  else
    {
      g_assert_cmpstr (out_first, ==, expected_nothing);
      g_assert_cmpstr (out_second, ==, expected_migrated);
    }

  /* Each step once */
  g_assert_cmpint (admin_count (db->conninfo, "SELECT count(DISTINCT version) FROM schema_migrations"), ==,
                   esc_service_pg_get_latest_schema_version ());
  g_assert_cmpint (admin_count (db->conninfo, "SELECT count(*) FROM schema_migrations"), ==,
                   esc_service_pg_get_latest_schema_version ());
  g_assert_cmpint (admin_count (db->conninfo, "SELECT count(*) FROM elevation_guidance"), ==, 12);
}

/* --database as a postgresql:// URL, as an administrator writes it */
static void
test_migrate_url (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *url = NULL;
  g_autofree char *host = NULL;
  PQconninfoOption *options;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  options = PQconninfoParse (db->conninfo, NULL);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, "host") == 0)
      host = g_uri_escape_string (o->val, NULL, FALSE);
  PQconninfoFree (options);
  g_assert_nonnull (host);
  url = g_strdup_printf ("postgresql://escalade@/%s?host=%s", db->name, host);

  process = spawn_migrate (url);
  out = finish_migrate (process);
  expected = g_strdup_printf ("Migrated the schema from version 0 to %d", esc_service_pg_get_latest_schema_version ());
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpint (admin_count (db->conninfo, "SELECT count(*) FROM schema_migrations"), ==,
                   esc_service_pg_get_latest_schema_version ());
}

/* A schema newer than this build: refused, nothing touched */
static void
test_schema_too_new (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(GError) error = NULL;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  admin_exec (db->conninfo, "CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
                            " applied_at timestamptz NOT NULL DEFAULT now (), applied_by text NOT NULL DEFAULT '');"
                            " INSERT INTO schema_migrations (version) VALUES (999)");
  g_assert_false (esc_service_pg_migrate (db->conninfo, NULL, NULL, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_SCHEMA_TOO_NEW);
  g_assert_cmpint (admin_count (db->conninfo, "SELECT count(*) FROM pg_tables WHERE tablename = 'people'"), ==, 0);
}

static void
test_pg_seam (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(EscServicePgStorage) node = NULL;
  EscServiceStorageHealth health;
  g_autoptr(GError) error = NULL;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  node = migrated_storage (db->conninfo, 2);
  g_assert_cmpint (esc_service_storage_get_backend (ESC_SERVICE_STORAGE (node)), ==, ESC_SERVICE_STORAGE_POSTGRESQL);
  g_assert_true (esc_service_storage_check_health (ESC_SERVICE_STORAGE (node), &health, &error));
  g_assert_true (health.reachable);
  g_assert_cmpint (health.schema_version, ==, esc_service_pg_get_latest_schema_version ());
  check_seam (ESC_SERVICE_STORAGE (node));
}

/* Across nodes (here: connections of two pools, in two threads) */

/* (g_thread_join() frees the thread; through this helper, cppcheck sees it go) */
static void
join (GThread *thread)
{
  g_thread_join (thread);
}

typedef struct
{
  EscServiceStorage      *storage;
  gint64                  person;
  const char             *hash;
  EscServiceIdempotency   outcome;
  EscServiceStoredAnswer *answer;
} Claim;

static gpointer
claim_thread (gpointer data)
{
  Claim *claim = data;
  g_autoptr(GError) error = NULL;
  EscServiceTxn *txn = begin (claim->storage);

  claim->outcome = esc_service_txn_claim_idempotency (txn, claim->person, "key-1", claim->hash,
                                                      "2024-05-06T09:00:00Z", &claim->answer, &error);
  g_assert_no_error (error);
  if (claim->outcome == ESC_SERVICE_IDEMPOTENCY_NEW)
    {
      g_autoptr(GBytes) body = g_bytes_new_static ("{\"id\":\"second\"}", 15);

      esc_service_txn_store_answer (txn, claim->person, "key-1", 201, NULL, body, &error);
      g_assert_no_error (error);
    }
  commit (txn);

  return NULL;
}

static void
test_idempotency_across_nodes (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(EscServicePgStorage) node_a = NULL;
  g_autoptr(EscServicePgStorage) node_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStoredAnswer) answer = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"id\":\"SR-000001\"}\0binary", 25);
  EscServiceTxn *txn;
  GThread *thread;
  Claim claim = { 0, };
  gint64 person;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  node_a = migrated_storage (db->conninfo, 2);
  node_b = esc_service_pg_storage_new (db->conninfo, 2, &error);
  g_assert_no_error (error);
  person = add_person (ESC_SERVICE_STORAGE (node_a), "camille");

  /* Node A claims and is still working when node B gets the same key */
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-1", "hash-1", "2024-05-06T09:00:00Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_NEW);
  g_assert_no_error (error);
  claim.storage = ESC_SERVICE_STORAGE (node_b);
  claim.person = person;
  claim.hash = "hash-1";
  thread = g_thread_new ("node-b", claim_thread, &claim);
  wait_for_waiting (db->conninfo, 1);
  esc_service_txn_store_answer (txn, person, "key-1", 201, "/v1/support-requests/SR-000001", body, &error);
  g_assert_no_error (error);
  commit (txn);
  join (thread);

  /* Node B created nothing and got node A's answer, byte for byte */
  g_assert_cmpint (claim.outcome, ==, ESC_SERVICE_IDEMPOTENCY_REPLAY);
  g_assert_cmpuint (claim.answer->status, ==, 201);
  g_assert_cmpstr (claim.answer->location, ==, "/v1/support-requests/SR-000001");
  g_assert_true (g_bytes_equal (claim.answer->body, body));
  g_clear_pointer (&claim.answer, esc_service_stored_answer_free);

  /* The same key for another request */
  txn = begin (ESC_SERVICE_STORAGE (node_b));
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-1", "hash-2", "2024-05-06T09:00:00Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_MISMATCH);
  g_assert_no_error (error);
  g_assert_null (answer);
  esc_service_txn_rollback (txn);

  /* A claim whose transaction rolls back leaves the key free: the waiting
   * node goes ahead itself */
  admin_exec (db->conninfo, "DELETE FROM idempotency_keys");
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  g_assert_cmpint (esc_service_txn_claim_idempotency (txn, person, "key-1", "hash-1", "2024-05-06T09:00:00Z",
                                                      &answer, &error), ==, ESC_SERVICE_IDEMPOTENCY_NEW);
  thread = g_thread_new ("node-b", claim_thread, &claim);
  wait_for_waiting (db->conninfo, 1);
  esc_service_txn_rollback (txn);
  join (thread);
  g_assert_cmpint (claim.outcome, ==, ESC_SERVICE_IDEMPOTENCY_NEW);
  g_assert_cmpint (admin_count (db->conninfo, "SELECT count(*) FROM idempotency_keys WHERE status = 201"), ==, 1);
}

typedef struct
{
  EscServiceStorage *storage;
  gint64             last_id;
} HeadLock;

static gpointer
lock_head_thread (gpointer data)
{
  HeadLock *lock = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  EscServiceTxn *txn = begin (lock->storage);

  esc_service_txn_lock_audit_head (txn, &lock->last_id, &hash, &error);
  g_assert_no_error (error);
  esc_service_txn_rollback (txn);

  return NULL;
}

/* The audit chain's appenders take turns; timed jobs run on one node at a
 * time; request numbers are unique and survive rollbacks as gaps. */
static void
test_locks_and_numbers (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(EscServicePgStorage) node_a = NULL;
  g_autoptr(EscServicePgStorage) node_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char * const head[] = { "1", "aaaa" };
  HeadLock lock = { 0, };
  EscServiceTxn *txn;
  EscServiceTxn *other;
  GThread *thread;
  gboolean leader = FALSE;
  gint64 last_id = -1;
  gint64 n1, n2, n3;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  node_a = migrated_storage (db->conninfo, 2);
  node_b = esc_service_pg_storage_new (db->conninfo, 2, &error);
  g_assert_no_error (error);

  /* Audit head: B waits for A's append, then sees it */
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  g_assert_true (esc_service_txn_lock_audit_head (txn, &last_id, &hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (last_id, ==, 0);
  lock.storage = ESC_SERVICE_STORAGE (node_b);
  lock.last_id = -1;
  thread = g_thread_new ("node-b", lock_head_thread, &lock);
  wait_for_waiting (db->conninfo, 1);
  esc_service_rows_free (query (txn, "UPDATE audit_head SET last_id = $1, hash = $2 WHERE one = 1", head, 2));
  commit (txn);
  join (thread);
  g_assert_cmpint (lock.last_id, ==, 1);

  /* Leader lock: one holder at a time, released with its transaction */
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  other = begin (ESC_SERVICE_STORAGE (node_b));
  g_assert_true (esc_service_txn_try_lead (txn, "password-rotation", &leader, &error));
  g_assert_true (leader);
  g_assert_true (esc_service_txn_try_lead (other, "password-rotation", &leader, &error));
  g_assert_false (leader);
  g_assert_true (esc_service_txn_try_lead (other, "purge", &leader, &error));
  g_assert_true (leader);
  g_assert_no_error (error);
  commit (txn);
  esc_service_txn_rollback (other);
  other = begin (ESC_SERVICE_STORAGE (node_b));
  g_assert_true (esc_service_txn_try_lead (other, "password-rotation", &leader, &error));
  g_assert_true (leader);
  esc_service_txn_rollback (other);

  /* Numbers: two nodes at once never get the same; a rollback leaves a gap */
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  other = begin (ESC_SERVICE_STORAGE (node_b));
  n1 = esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_SUPPORT_REQUEST, &error);
  n2 = esc_service_txn_next_number (other, ESC_SERVICE_COUNTER_SUPPORT_REQUEST, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n1, >, 0);
  g_assert_cmpint (n2, >, 0);
  g_assert_cmpint (n1, !=, n2);
  esc_service_txn_rollback (txn);
  commit (other);
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  n3 = esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_SUPPORT_REQUEST, &error);
  g_assert_cmpint (n3, >, MAX (n1, n2));
  g_assert_cmpint (esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_ELEVATION_REQUEST, &error), >, 0);
  g_assert_cmpint (esc_service_txn_next_number (txn, ESC_SERVICE_COUNTER_SLA_AGREEMENT, &error), >, 0);
  g_assert_no_error (error);
  esc_service_txn_rollback (txn);

  /* The audit log refuses changes there too */
  admin_exec (db->conninfo, "INSERT INTO audit_events (id, at, action, prev_hash, hash)"
                            " VALUES (1, '2024-05-06T09:00:00Z', 'test', '0', '1')");
  txn = begin (ESC_SERVICE_STORAGE (node_a));
  g_assert_null (esc_service_txn_query (txn, "DELETE FROM audit_events", NULL, 0, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "append-only"));
  g_clear_error (&error);
  esc_service_txn_rollback (txn);
}

/* A pool whose connections are all taken answers "unavailable" after its
 * wait, not never. */
static void
test_pool_busy (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(EscServicePgStorage) node = NULL;
  g_autoptr(GError) error = NULL;
  EscServiceTxn *txn;
  gint64 start;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  node = migrated_storage (db->conninfo, 1);
  esc_service_pg_pool_set_wait_ms (esc_service_pg_storage_get_pool (node), 100);
  g_assert_cmpuint (esc_service_pg_pool_get_size (esc_service_pg_storage_get_pool (node)), ==, 1);

  txn = begin (ESC_SERVICE_STORAGE (node));
  start = g_get_monotonic_time ();
  g_assert_null (esc_service_storage_begin (ESC_SERVICE_STORAGE (node), ESC_SERVICE_TXN_READ, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE);
  g_assert_true (esc_service_storage_error_is_unavailable (error));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 90 * G_TIME_SPAN_MILLISECOND);
  g_clear_error (&error);
  esc_service_txn_rollback (txn);

  /* Free again */
  txn = esc_service_storage_begin (ESC_SERVICE_STORAGE (node), ESC_SERVICE_TXN_READ, &error);
  g_assert_no_error (error);
  commit (txn);
}

/* Restarts, on a cluster of the test's own */

/* In the in-process server: a change on PostgreSQL, as a handler will make
 * it once the handlers are on the seam. */
static EscServiceStorage *route_storage;

static void
handle_test_write (EscServiceContext *ctx)
{
  const char * const params[] = { "from-http", "http@example.org", "2024-05-06T09:00:00Z" };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceRows) rows = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  EscServiceTxn *txn;

  if (!(txn = esc_service_storage_begin (route_storage, ESC_SERVICE_TXN_WRITE, &error)))
    return esc_service_send_internal_error (ctx, error);
  if (!(rows = esc_service_txn_query (txn, "INSERT INTO people (name, email, created_at) VALUES ($1, $2, $3)",
                                      params, 3, &error)))
    {
      esc_service_txn_rollback (txn);
      return esc_service_send_internal_error (ctx, error);
    }
  if (!esc_service_txn_commit (txn, &error))
    return esc_service_send_internal_error (ctx, error);

  json_node_take_object (node, json_object_new ());
  esc_service_send_json (ctx, SOUP_STATUS_CREATED, node);
}

static void
test_pool_survives_restart (void)
{
  g_autoptr(EscTestPgCluster) cluster = NULL;
  g_autoptr(EscServicePgStorage) node = NULL;
  g_autoptr(EscTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceRows) rows = NULL;
  g_autofree char *token = NULL;
  EscServiceStorage *storage;
  EscServiceStorageHealth health;
  EscServiceTxn *txn;
  const char * const lost[] = { "lost", "lost@example.org", "2024-05-06T09:00:00Z" };

  if (test_pg () == NULL)
    return;

  cluster = esc_test_pg_cluster_start ();
  node = migrated_storage (cluster->conninfo, 2);
  storage = ESC_SERVICE_STORAGE (node);
  add_person (storage, "before");

  server = esc_test_server_new ();
  token = esc_test_server_create_token (server, "admin", "it-admin");
  esc_service_server_set_storage (esc_test_server_get_server (server), storage);
  route_storage = storage;
  esc_service_router_add (esc_service_server_get_router (esc_test_server_get_server (server)),
                          "POST", "/v1/test-pg-write", ESC_SERVICE_ROLES_ANY, handle_test_write);

  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "GET", "/v1/health", NULL, NULL, NULL, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (r.body), "database"), ==, "reachable");
  }

  /* Restarted between two requests: the idle connections were closed by
   * the server; the next transaction opens one again, unnoticed */
  esc_test_pg_cluster_run (cluster, "restart", NULL);
  add_person (storage, "after-restart");
  g_assert_cmpuint (esc_service_pg_pool_get_reconnects (esc_service_pg_storage_get_pool (node)), >=, 1);

  /* Stopped in the middle of a transaction: the commit fails as
   * "unavailable", and nothing of it was written */
  txn = begin (storage);
  esc_service_rows_free (query (txn, "INSERT INTO people (name, email, created_at) VALUES ($1, $2, $3)", lost, 3));
  esc_test_pg_cluster_run (cluster, "stop", NULL);
  g_assert_false (esc_service_txn_commit (txn, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* Down: no transaction, health says so, and a request gets 503 with
   * Retry-After */
  g_assert_null (esc_service_storage_begin (storage, ESC_SERVICE_TXN_WRITE, &error));
  g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_true (esc_service_storage_check_health (storage, &health, &error));
  g_assert_false (health.reachable);
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) h = { 0, };

    esc_test_request (server, "POST", "/v1/test-pg-write", token, NULL, "{}", NULL, &r);
    g_assert_cmpuint (r.status, ==, 503);
    g_assert_cmpstr (esc_test_problem_type (&r), ==, "database-unavailable");
    g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Retry-After"), ==, "2");

    esc_test_request (server, "GET", "/v1/health", NULL, NULL, NULL, NULL, &h);
    g_assert_cmpuint (h.status, ==, 503);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (h.body), "database"), ==, "unreachable");
    g_assert_nonnull (soup_message_headers_get_one (h.headers, "Retry-After"));
  }

  /* Back: everything works again, and the transaction cut short left nothing */
  esc_test_pg_cluster_run (cluster, "start", NULL);
  {
    g_auto(EscTestResponse) r = { 0, };
    g_auto(EscTestResponse) h = { 0, };

    esc_test_request (server, "POST", "/v1/test-pg-write", token, NULL, "{}", NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
    esc_test_request (server, "GET", "/v1/health", NULL, NULL, NULL, NULL, &h);
    g_assert_cmpuint (h.status, ==, 200);
  }
  txn = begin (storage);
  rows = query (txn, "SELECT string_agg (name, ',' ORDER BY id) FROM people", NULL, 0);
  g_assert_cmpstr (esc_service_rows_get_text (rows, 0, 0), ==, "before,after-restart,from-http");
  commit (txn);
  route_storage = NULL;
}

/* Timed jobs through the real router: while one node's housekeeping holds
 * the lead, another node's run skips its jobs (an old Idempotency-Key stays);
 * once the lead is free, that node's run does them. */
static gboolean
old_key_left (EscServiceDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStmt) stmt = esc_service_db_prepare (db, "SELECT count(*) FROM idempotency_keys", &error);

  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  return esc_service_stmt_column_int64 (stmt, 0) > 0;
}

static void
test_housekeeping_one_node (void)
{
  const char *cluster = test_pg ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(EscServiceDb) node_a = NULL;
  g_autoptr(EscServiceDb) node_b = NULL;
  g_autoptr(EscServiceServer) server_b = NULL;
  g_autoptr(GError) error = NULL;
  gboolean leader = FALSE;

  if (cluster == NULL)
    return;

  db = test_db_new (cluster);
  node_a = esc_service_db_open (db->conninfo, &error);
  g_assert_no_error (error);
  node_b = esc_service_db_open (db->conninfo, &error);
  g_assert_no_error (error);
  server_b = esc_service_server_new (node_b);

  /* An answer kept far longer than the 30 days */
  admin_exec (db->conninfo,
              "INSERT INTO people (name, email, created_at) VALUES ('ana', 'ana@example.org', '2020-01-01T00:00:00Z');"
              "INSERT INTO idempotency_keys (person_id, key, request_hash, status, location, body, created_at)"
              " SELECT id, 'old', 'h', 201, NULL, ''::bytea, '2020-01-01T00:00:00Z' FROM people");

  /* Node A is running the jobs */
  g_assert_true (esc_service_db_begin (node_a, &error));
  g_assert_true (esc_service_db_try_lead (node_a, "housekeeping", &leader, &error));
  g_assert_no_error (error);
  g_assert_true (leader);

  g_assert_true (esc_service_server_run_housekeeping (server_b, &error));
  g_assert_no_error (error);
  g_assert_true (old_key_left (node_b));

  /* Node A is done: node B's next round does the purge */
  esc_service_db_rollback (node_a);
  g_assert_true (esc_service_server_run_housekeeping (server_b, &error));
  g_assert_no_error (error);
  g_assert_false (old_key_left (node_b));

  esc_service_server_disconnect (server_b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/storage/conninfo-detection", test_conninfo_detection);
  g_test_add_func ("/service/storage/sqlite", test_sqlite_storage);
  g_test_add_func ("/service/storage/postgresql/seam", test_pg_seam);
  g_test_add_func ("/service/storage/postgresql/schema-matches-sqlite", test_schema_matches_sqlite);
  g_test_add_func ("/service/storage/postgresql/concurrent-migrators", test_concurrent_migrators);
  g_test_add_func ("/service/storage/postgresql/schema-too-new", test_schema_too_new);
  g_test_add_func ("/service/storage/postgresql/migrate-url", test_migrate_url);
  g_test_add_func ("/service/storage/postgresql/idempotency-across-nodes", test_idempotency_across_nodes);
  g_test_add_func ("/service/storage/postgresql/locks-and-numbers", test_locks_and_numbers);
  g_test_add_func ("/service/storage/postgresql/housekeeping-one-node", test_housekeeping_one_node);
  g_test_add_func ("/service/storage/postgresql/pool-busy", test_pool_busy);
  g_test_add_func ("/service/storage/postgresql/pool-survives-restart", test_pool_survives_restart);

  return g_test_run ();
}
