/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-sqlite-connection.h"

typedef struct
{
  char                *dir;
  char                *path;
  EscSqliteConnection *connection;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("esc-sqlite-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.sqlite3", NULL);
  fixture->connection = esc_sqlite_connection_open (fixture->path,
                                                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->connection);
  esc_sqlite_connection_exec (fixture->connection,
                              "CREATE TABLE t (n INTEGER PRIMARY KEY, v TEXT NOT NULL)",
                              &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->connection);
  g_unlink (fixture->path);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
count_rows (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  g_assert_true (esc_sqlite_connection_query_int (fixture->connection, "SELECT count(*) FROM t",
                                                  &n, &error));
  g_assert_no_error (error);
  return n;
}

static gboolean
insert (EscSqliteConnection  *connection,
        gint64                n,
        GError              **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;

  if (!(stmt = esc_sqlite_connection_prepare_cached (connection,
                                                     "INSERT INTO t (n, v) VALUES (?1, 'x')",
                                                     error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, n);
  return esc_sqlite_connection_step_done (connection, stmt, error);
}

/* The same SQL gives the same statement, handed out reset and unbound. */
static void
test_cache_same_statement (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *copy = g_strdup ("SELECT n FROM t WHERE n >= ?1 ORDER BY n");
  sqlite3_stmt *first, *second;

  g_assert_true (insert (fixture->connection, 1, NULL));
  g_assert_true (insert (fixture->connection, 2, NULL));

  first = esc_sqlite_connection_prepare_cached (fixture->connection,
                                                "SELECT n FROM t WHERE n >= ?1 ORDER BY n",
                                                &error);
  g_assert_no_error (error);
  sqlite3_bind_int64 (first, 1, 2);
  g_assert_cmpint (sqlite3_step (first), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (first, 0), ==, 2);
  /* Reset but still bound: a holder that did not use the autoptr. (One
   * left mid-way is a critical: the same SQL in use twice at once.) */
  sqlite3_reset (first);

  /* Keyed by text, not by the address of the literal */
  second = esc_sqlite_connection_prepare_cached (fixture->connection, copy, &error);
  g_assert_no_error (error);
  g_assert_true (first == second);
  g_assert_false (sqlite3_stmt_busy (second));
  /* ?1 is NULL again: n >= NULL matches no row */
  g_assert_cmpint (sqlite3_step (second), ==, SQLITE_DONE);
  esc_sqlite_statement_release (second);

  /* A different statement for different SQL */
  g_assert_true (esc_sqlite_connection_prepare_cached (fixture->connection, "SELECT 1", &error) != first);
  g_assert_no_error (error);
}

static gboolean
insert_two (EscSqliteConnection  *connection,
            gpointer              user_data,
            GError              **error)
{
  gboolean fail = GPOINTER_TO_INT (user_data);

  if (!insert (connection, 10, error))
    return FALSE;
  /* The second insert fails on the primary key when asked to */
  return insert (connection, fail ? 10 : 11, error);
}

static void
test_transaction_commit (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_sqlite_connection_transaction (fixture->connection, insert_two,
                                                    GINT_TO_POINTER (FALSE), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (esc_sqlite_connection_get_depth (fixture->connection), ==, 0);
  g_assert_true (sqlite3_get_autocommit (esc_sqlite_connection_get_handle (fixture->connection)));
  g_assert_cmpint (count_rows (fixture), ==, 2);
}

static void
test_transaction_rollback (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (esc_sqlite_connection_transaction (fixture->connection, insert_two,
                                                     GINT_TO_POINTER (TRUE), &error));
  g_assert_error (error, ESC_SQLITE_ERROR, SQLITE_CONSTRAINT);
  g_assert_cmpuint (esc_sqlite_connection_get_depth (fixture->connection), ==, 0);
  g_assert_true (sqlite3_get_autocommit (esc_sqlite_connection_get_handle (fixture->connection)));
  g_assert_cmpint (count_rows (fixture), ==, 0);
}

static gboolean
nested_fails (EscSqliteConnection  *connection,
              gpointer              user_data,
              GError              **error)
{
  g_autoptr(GError) inner = NULL;

  if (!insert (connection, 1, error))
    return FALSE;

  /* An inner level is a savepoint: its failure undoes only its own work. */
  g_assert_false (esc_sqlite_connection_transaction (connection, insert_two,
                                                     GINT_TO_POINTER (TRUE), &inner));
  g_assert_error (inner, ESC_SQLITE_ERROR, SQLITE_CONSTRAINT);
  g_assert_cmpuint (esc_sqlite_connection_get_depth (connection), ==, 1);

  return insert (connection, 2, error);
}

static void
test_transaction_nested (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_sqlite_connection_transaction (fixture->connection, nested_fails, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture), ==, 2);

  /* With no level open, commit and rollback end a literal BEGIN */
  g_assert_true (esc_sqlite_connection_exec (fixture->connection, "BEGIN", &error));
  g_assert_true (insert (fixture->connection, 3, &error));
  esc_sqlite_connection_rollback (fixture->connection);
  g_assert_true (sqlite3_get_autocommit (esc_sqlite_connection_get_handle (fixture->connection)));
  g_assert_cmpint (count_rows (fixture), ==, 2);

  /* Inside the owner's BEGIN, begin is a savepoint and commit releases it */
  g_assert_true (esc_sqlite_connection_exec (fixture->connection, "BEGIN", &error));
  g_assert_true (esc_sqlite_connection_transaction (fixture->connection, insert_two,
                                                    GINT_TO_POINTER (FALSE), &error));
  g_assert_no_error (error);
  g_assert_false (sqlite3_get_autocommit (esc_sqlite_connection_get_handle (fixture->connection)));
  g_assert_true (esc_sqlite_connection_commit (fixture->connection, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture), ==, 4);
}

/* BEGIN IMMEDIATE fails while another connection holds the write lock. */
static void
test_begin_busy (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscSqliteConnection) other = NULL;

  other = esc_sqlite_connection_open (fixture->path, SQLITE_OPEN_READWRITE, &error);
  g_assert_no_error (error);
  g_assert_true (esc_sqlite_connection_begin (other, &error));
  g_assert_no_error (error);

  g_assert_false (esc_sqlite_connection_transaction (fixture->connection, insert_two,
                                                     GINT_TO_POINTER (FALSE), &error));
  g_assert_error (error, ESC_SQLITE_ERROR, SQLITE_BUSY);
  g_assert_cmpuint (esc_sqlite_connection_get_depth (fixture->connection), ==, 0);

  esc_sqlite_connection_rollback (other);
  g_assert_cmpuint (esc_sqlite_connection_get_depth (other), ==, 0);
}

/* The message names the file and carries SQLite's own words. */
static void
test_error_message (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "no", "such", "file", NULL);
  EscSqliteConnection *none;

  stmt = esc_sqlite_connection_prepare (fixture->connection, "SELECT nope FROM t", &error);
  g_assert_null (stmt);
  g_assert_error (error, ESC_SQLITE_ERROR, SQLITE_ERROR);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_nonnull (strstr (error->message, "no such column: nope"));
  g_clear_error (&error);

  none = esc_sqlite_connection_open (missing, SQLITE_OPEN_READWRITE, &error);
  g_assert_null (none);
  g_assert_error (error, ESC_SQLITE_ERROR, SQLITE_CANTOPEN);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_true (esc_sqlite_result_is_io_error (error->code));
  g_assert_false (esc_sqlite_result_is_io_error (SQLITE_CONSTRAINT));
}

/* The autoptr closes the connection with its cached statements. */
static void
test_autoptr (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("esc-sqlite-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "a.sqlite3", NULL);
  GObject *weak = NULL;

  {
    g_autoptr(EscSqliteConnection) connection = NULL;

    connection = esc_sqlite_connection_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error);
    g_assert_no_error (error);
    g_assert_nonnull (esc_sqlite_connection_prepare_cached (connection, "SELECT 1", &error));
    weak = G_OBJECT (connection);
    g_object_add_weak_pointer (weak, (gpointer *)&weak);
  }

  g_assert_null (weak);
  g_unlink (path);
  g_rmdir (dir);
}

/* The connection of a bare handle; and a read transaction on a read-only
 * connection, which takes no write lock: another connection writes
 * meanwhile, and the reader keeps seeing the rows as they were. */
static void
test_handle_and_read (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscSqliteConnection) reader = NULL;
  gint64 n = -1;
  sqlite3 *handle;

  g_assert_true (esc_sqlite_connection_for_handle (esc_sqlite_connection_get_handle (fixture->connection))
                 == fixture->connection);
  g_assert_null (esc_sqlite_connection_for_handle (NULL));

  g_assert_true (esc_sqlite_connection_exec (fixture->connection, "PRAGMA journal_mode = WAL", &error));
  g_assert_true (insert (fixture->connection, 1, &error));

  reader = esc_sqlite_connection_open (fixture->path, SQLITE_OPEN_READONLY, &error);
  g_assert_no_error (error);
  g_assert_true (esc_sqlite_connection_begin_read (reader, &error));
  g_assert_no_error (error);
  g_assert_true (esc_sqlite_connection_query_int (reader, "SELECT count(*) FROM t", &n, &error));
  g_assert_cmpint (n, ==, 1);

  /* No write lock held: the writer goes on */
  g_assert_true (esc_sqlite_connection_transaction (fixture->connection, insert_two,
                                                    GINT_TO_POINTER (FALSE), &error));
  g_assert_no_error (error);
  g_assert_true (esc_sqlite_connection_query_int (reader, "SELECT count(*) FROM t", &n, &error));
  g_assert_cmpint (n, ==, 1);

  esc_sqlite_connection_rollback (reader);
  g_assert_cmpuint (esc_sqlite_connection_get_depth (reader), ==, 0);
  g_assert_true (esc_sqlite_connection_query_int (reader, "SELECT count(*) FROM t", &n, &error));
  g_assert_cmpint (n, ==, 3);

  /* Gone with its connection */
  handle = esc_sqlite_connection_get_handle (reader);
  g_assert_true (esc_sqlite_connection_for_handle (handle) == reader);
  g_assert_finalize_object (g_steal_pointer (&reader));
  g_assert_null (esc_sqlite_connection_for_handle (handle));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sqlite/cache/same-statement", test_cache_same_statement);
  ADD ("/sqlite/transaction/commit", test_transaction_commit);
  ADD ("/sqlite/transaction/rollback", test_transaction_rollback);
  ADD ("/sqlite/transaction/nested", test_transaction_nested);
  ADD ("/sqlite/transaction/begin-busy", test_begin_busy);
  ADD ("/sqlite/error/message", test_error_message);
  ADD ("/sqlite/handle-and-read", test_handle_and_read);
#undef ADD
  g_test_add_func ("/sqlite/autoptr", test_autoptr);

  return g_test_run ();
}
