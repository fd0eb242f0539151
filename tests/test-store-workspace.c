/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

/* Helpers ------------------------------------------------------------------- */

static void
rm_rf (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* Give back what a test took away, so that we can clean up. */
      g_chmod (path, 0700);
      if ((dir = g_dir_open (path, 0, NULL)))
        {
          while ((name = g_dir_read_name (dir)))
            {
              g_autofree char *child = g_build_filename (path, name, NULL);
              rm_rf (child);
            }
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-store-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rm_rf (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

/* Reads an integer from the file through a connection of our own. */
static gint64
file_query_int (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static char *
file_query_text (const char *path,
                 const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static gint64
workspace_query_int (EscWorkspace *workspace,
                     const char   *sql)
{
  sqlite3 *db = esc_workspace_get_connection (workspace);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static void
write_sql_file (const char *path,
                const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
assert_file_unchanged (const char *path,
                       GBytes     *before)
{
  g_autoptr(GBytes) after = read_bytes (path);

  g_assert_true (g_bytes_equal (before, after));
}

static void
assert_seeded (EscWorkspace *workspace)
{
  g_assert_cmpuint (g_list_model_get_n_items (esc_workspace_get_parties (workspace)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (esc_workspace_get_routing_rules (workspace)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (esc_workspace_get_severities (workspace)), ==, 3);
}

/* Tests --------------------------------------------------------------------- */

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "escalade",
                                                "default.sqlite3", NULL);
  g_autofree char *path = esc_workspace_dup_default_path (NULL);
  g_autofree char *work = esc_workspace_dup_default_path ("work");

  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_str_has_suffix (work, G_DIR_SEPARATOR_S "escalade" G_DIR_SEPARATOR_S
                                   "work.sqlite3"));

  g_assert_null (esc_workspace_dup_default_path (""));
  g_assert_null (esc_workspace_dup_default_path (".hidden"));
  g_assert_null (esc_workspace_dup_default_path (".."));
  g_assert_null (esc_workspace_dup_default_path ("../escape"));
  g_assert_null (esc_workspace_dup_default_path ("a/b"));
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = fixture_path (fixture, "new" G_DIR_SEPARATOR_S "folder");
  g_autofree char *path = g_build_filename (folder, "ws.sqlite3", NULL);
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode = NULL;
  GStatBuf st;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workspace);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_cmpstr (esc_workspace_get_path (workspace), ==, path);
  g_assert_cmpint (esc_workspace_get_schema_version (workspace), ==,
                   ESC_WORKSPACE_SCHEMA_VERSION);
  g_assert_cmpint (workspace_query_int (workspace, "PRAGMA user_version"), ==,
                   ESC_WORKSPACE_SCHEMA_VERSION);
  g_assert_cmpint (workspace_query_int (workspace, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM local_audit "
                                                   "WHERE what = 'seed-defaults'"), ==, 1);
  assert_seeded (workspace);

  /* What a second program sees on disk. */
  mode = file_query_text (path, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (file_query_int (path, "PRAGMA user_version"), ==,
                   ESC_WORKSPACE_SCHEMA_VERSION);

  g_assert_finalize_object (g_steal_pointer (&workspace));
}

/* A file written at every older schema version migrates, and is seeded once. */
static void
test_migrate_every_version (Fixture       *fixture,
                            gconstpointer  data)
{
  for (int version = 0; version < ESC_WORKSPACE_SCHEMA_VERSION; version++)
    {
      g_autofree char *name = g_strdup_printf ("v%d.sqlite3", version);
      g_autofree char *path = fixture_path (fixture, name);
      g_autoptr(EscWorkspace) workspace = NULL;
      g_autoptr(GError) error = NULL;

      esc_workspace_create_at_version (path, version, &error);
      g_assert_no_error (error);
      g_assert_cmpint (file_query_int (path, "PRAGMA user_version"), ==, version);

      workspace = esc_workspace_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (workspace_query_int (workspace, "PRAGMA user_version"), ==,
                       ESC_WORKSPACE_SCHEMA_VERSION);
      assert_seeded (workspace);
    }
}

/* Version 0: an empty file, as `touch` or another tool leaves it. */
static void
test_migrate_empty_file (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "empty.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "", 0, &error);
  g_assert_no_error (error);

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (workspace_query_int (workspace, "PRAGMA user_version"), ==,
                   ESC_WORKSPACE_SCHEMA_VERSION);
  assert_seeded (workspace);
  g_assert_finalize_object (g_steal_pointer (&workspace));

  /* Opening again neither migrates nor seeds a second time. */
  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  assert_seeded (workspace);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM responsibilities"), ==,
                   4 + 5 + 4);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM local_audit"), ==, 1);
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const items[] = { "Only this.", NULL };
  g_autofree char *path = fixture_path (fixture, "ws.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscParty) first = NULL;
  g_autoptr(EscParty) edited = NULL;
  g_autoptr(EscParty) reopened = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_responsibilities;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  n_responsibilities = workspace_query_int (workspace, "SELECT count(*) FROM responsibilities");
  g_assert_cmpint (n_responsibilities, ==, 4 + 5 + 4);

  first = g_list_model_get_item (esc_workspace_get_parties (workspace), 0);
  edited = esc_party_new (esc_party_get_id (first), "Help desk", NULL, items);
  esc_workspace_update_party (workspace, edited, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&workspace));

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  assert_seeded (workspace);
  reopened = g_list_model_get_item (esc_workspace_get_parties (workspace), 0);
  g_assert_cmpstr (esc_party_get_name (reopened), ==, "Help desk");
  g_assert_null (esc_party_get_summary (reopened));
  g_assert_cmpstrv (esc_party_get_responsibilities (reopened), items);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM responsibilities"), ==,
                   1 + 5 + 4);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM local_audit "
                                                   "WHERE what = 'seed-defaults'"), ==, 1);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM local_audit "
                                                   "WHERE what = 'update-party'"), ==, 1);
}

static void
test_newer_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "newer.sqlite3");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autofree char *version = g_strdup_printf ("%d", ESC_WORKSPACE_SCHEMA_VERSION + 1);

  /* A workspace of a future Escalade (our application id, a higher version). */
  esc_workspace_create_at_version (path, ESC_WORKSPACE_SCHEMA_VERSION, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("PRAGMA journal_mode = DELETE; CREATE TABLE future (x);"
                         "PRAGMA user_version = %d;", ESC_WORKSPACE_SCHEMA_VERSION + 1);
  write_sql_file (path, sql);
  before = read_bytes (path);

  workspace = esc_workspace_open (path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_NEWER_VERSION);
  g_assert_null (workspace);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, version));

  assert_file_unchanged (path, before);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "garbage.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  GString *garbage = g_string_new (NULL);

  for (guint i = 0; i < 1000; i++)
    g_string_append (garbage, "This is not a database. ");
  g_file_set_contents (path, garbage->str, garbage->len, &error);
  g_assert_no_error (error);
  g_string_free (garbage, TRUE);
  before = read_bytes (path);

  workspace = esc_workspace_open (path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT);
  g_assert_null (workspace);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));

  assert_file_unchanged (path, before);
}

/* Scribbles over the last @n_pages pages of @path, or every page but the
 * first (the header stays valid) when @n_pages is 0. */
static void
scribble_pages (const char *path,
                gsize       n_pages)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  gint64 page_size;
  gsize from;

  page_size = file_query_int (path, "PRAGMA page_size");
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, (n_pages + 2) * page_size);
  from = n_pages == 0 ? (gsize)page_size : length - n_pages * (gsize)page_size;
  for (gsize i = from; i < length; i++)
    contents[i] = (char)(0xa5 ^ (i & 0xff));
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static void
on_checked_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* The check's worker thread lets go of its task (and so of the workspace) a
 * moment after the answer has reached the main loop. */
static void
wait_for_last_reference (gpointer object)
{
  for (guint i = 0; i < 5000 && G_OBJECT (object)->ref_count > 1; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Damage found after a clean close: the workspace opens (only its header is
 * read, so that the list shows sooner), and the check that follows, on a
 * read-only connection, reports it, naming the file and changing nothing. */
static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "damaged.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);

  /* Sound: the check says so */
  esc_workspace_check_async (workspace, NULL, on_checked_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (esc_workspace_check_finish (workspace, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  wait_for_last_reference (workspace);
  g_assert_finalize_object (g_steal_pointer (&workspace));

  /* Rows that opening does not read (as the mirror's requests are), the last
   * pages of the file, damaged */
  write_sql_file (path, "CREATE TABLE ballast (x);"
                        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                        "  INSERT INTO ballast SELECT randomblob (400) FROM n;");
  scribble_pages (path, 8);
  before = read_bytes (path);

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  esc_workspace_check_async (workspace, NULL, on_checked_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (esc_workspace_check_finish (workspace, result, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_object (&result);
  wait_for_last_reference (workspace);
  g_assert_finalize_object (g_steal_pointer (&workspace));
  assert_file_unchanged (path, before);
}

/* After an unclean close (a write-ahead log left with frames in it), the
 * whole file is checked before anything is written: damage is refused. */
static void
test_damaged_unclean (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "unclean.sqlite3");
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&workspace));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* Damage that opening alone would not meet (see test_damaged()) */
  write_sql_file (path, "CREATE TABLE ballast (x);"
                        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)"
                        "  INSERT INTO ballast SELECT randomblob (400) FROM n;");
  scribble_pages (path, 8);
  /* What a crash leaves: a log nobody checkpointed (here, of zeros: SQLite
   * ignores frames whose checksums do not match) */
  g_file_set_contents (wal, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16, &error);
  g_assert_no_error (error);
  before = read_bytes (path);

  workspace = esc_workspace_open (path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT);
  g_assert_null (workspace);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  assert_file_unchanged (path, before);
}

/* A database of another program is not taken over. */
static void
test_foreign_database (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const scripts[] = {
    "CREATE TABLE contacts (name TEXT);",
    "PRAGMA application_id = 1234; PRAGMA user_version = 1;",
  };

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autofree char *name = g_strdup_printf ("foreign-%u.sqlite3", i);
      g_autofree char *path = fixture_path (fixture, name);
      g_autoptr(EscWorkspace) workspace = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) before = NULL;

      write_sql_file (path, scripts[i]);
      before = read_bytes (path);

      workspace = esc_workspace_open (path, &error);
      g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, path));
      assert_file_unchanged (path, before);
    }
}

/* The workspace's folder cannot be created: its parent is a file. Works as
 * root too. */
static void
test_uncreatable_folder (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *blocker = fixture_path (fixture, "blocker");
  g_autofree char *path = g_build_filename (blocker, "escalade", "ws.sqlite3", NULL);
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (blocker, "a file, not a folder", -1, &error);
  g_assert_no_error (error);

  workspace = esc_workspace_open (path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY);
  g_assert_null (workspace);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, blocker));
}

/* Root ignores file permissions: run as "nobody" in a subprocess instead. */
static gboolean
drop_root (void)
{
  struct passwd *pw;

  if (geteuid () != 0)
    return TRUE;

  if (!(pw = getpwnam ("nobody")) ||
      setgroups (0, NULL) != 0 ||
      setgid (pw->pw_gid) != 0 ||
      setuid (pw->pw_uid) != 0)
    {
      g_test_skip ("Running as root and cannot become “nobody”: "
                   "permissions cannot be tested");
      return FALSE;
    }

  return TRUE;
}

static void
read_only_checks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *locked = NULL;
  g_autofree char *locked_path = NULL;
  g_autofree char *open_dir = NULL;
  g_autofree char *file_path = NULL;
  g_autofree char *closed_dir = NULL;
  g_autofree char *closed_path = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GBytes) before = NULL;

  dir = g_dir_make_tmp ("escalade-ro-XXXXXX", &error);
  g_assert_no_error (error);

  /* 1. A new workspace in a folder that cannot be written. */
  locked = g_build_filename (dir, "locked", NULL);
  g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
  locked_path = g_build_filename (locked, "ws.sqlite3", NULL);
  workspace = esc_workspace_open (locked_path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY);
  g_assert_null (workspace);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, locked));
  g_assert_false (g_file_test (locked_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* 2. An existing workspace that is read-only, in a writable folder. */
  open_dir = g_build_filename (dir, "open", NULL);
  g_assert_cmpint (g_mkdir (open_dir, 0700), ==, 0);
  file_path = g_build_filename (open_dir, "ws.sqlite3", NULL);
  workspace = esc_workspace_open (file_path, &error);
  g_assert_no_error (error);
  g_clear_object (&workspace);
  g_assert_cmpint (g_chmod (file_path, 0400), ==, 0);
  before = read_bytes (file_path);
  workspace = esc_workspace_open (file_path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, file_path));
  assert_file_unchanged (file_path, before);
  g_clear_error (&error);
  g_clear_pointer (&before, g_bytes_unref);

  /* 3. An existing, writable workspace in a folder that became read-only:
   * WAL could not create its files next to it. */
  closed_dir = g_build_filename (dir, "closed", NULL);
  g_assert_cmpint (g_mkdir (closed_dir, 0700), ==, 0);
  closed_path = g_build_filename (closed_dir, "ws.sqlite3", NULL);
  workspace = esc_workspace_open (closed_path, &error);
  g_assert_no_error (error);
  g_clear_object (&workspace);
  g_assert_cmpint (g_chmod (closed_dir, 0500), ==, 0);
  before = read_bytes (closed_path);
  workspace = esc_workspace_open (closed_path, &error);
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, closed_dir));
  assert_file_unchanged (closed_path, before);

  rm_rf (dir);
}

static void
test_read_only (void)
{
  if (geteuid () == 0 && !g_test_subprocess ())
    {
      g_test_message ("Running as root: the permission checks run in a subprocess as “nobody”");
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  if (!drop_root ())
    return;

  read_only_checks ();
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpuint (removed, ==, 3);
  g_assert_cmpuint (added, ==, 3);
  (*count)++;
}

static void
test_reset_defaults (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const items[] = { "Edited.", NULL };
  g_autofree char *path = fixture_path (fixture, "ws.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscParty) party = NULL;
  g_autoptr(EscParty) edited_party = NULL;
  g_autoptr(EscRoutingRule) rule = NULL;
  g_autoptr(EscRoutingRule) edited_rule = NULL;
  g_autoptr(EscSeverity) severity = NULL;
  g_autoptr(EscSeverity) edited_severity = NULL;
  g_autoptr(GObject) after = NULL;
  guint parties_changed = 0;
  guint rules_changed = 0;
  guint severities_changed = 0;
  g_autofree char *original_name = NULL;
  g_autofree char *original_team = NULL;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);

  party = g_list_model_get_item (esc_workspace_get_parties (workspace), 1);
  original_name = g_strdup (esc_party_get_name (party));
  edited_party = esc_party_new (esc_party_get_id (party), "Renamed", "Changed.", items);
  esc_workspace_update_party (workspace, edited_party, &error);
  g_assert_no_error (error);

  rule = g_list_model_get_item (esc_workspace_get_routing_rules (workspace), 0);
  original_team = g_strdup (esc_routing_rule_get_team (rule));
  edited_rule = esc_routing_rule_new (esc_routing_rule_get_id (rule), "Problem", NULL,
                                      ESC_ROUTING_DESTINATION_EXISTING_CHANNEL,
                                      "Someone else", NULL);
  esc_workspace_update_routing_rule (workspace, edited_rule, &error);
  g_assert_no_error (error);

  severity = g_list_model_get_item (esc_workspace_get_severities (workspace), 0);
  edited_severity = esc_severity_new ("A", "Urgent", NULL, 30, 15, NULL, NULL);
  esc_workspace_update_severity (workspace, edited_severity, &error);
  g_assert_no_error (error);

  after = g_list_model_get_item (esc_workspace_get_parties (workspace), 1);
  g_assert_cmpstr (esc_party_get_name (ESC_PARTY (after)), ==, "Renamed");
  g_clear_object (&after);
  after = g_list_model_get_item (esc_workspace_get_severities (workspace), 0);
  g_assert_cmpuint (esc_severity_get_initial_response_minutes (ESC_SEVERITY (after)), ==, 30);
  g_clear_object (&after);

  g_signal_connect (esc_workspace_get_parties (workspace), "items-changed",
                    G_CALLBACK (items_changed_cb), &parties_changed);
  g_signal_connect (esc_workspace_get_routing_rules (workspace), "items-changed",
                    G_CALLBACK (items_changed_cb), &rules_changed);
  g_signal_connect (esc_workspace_get_severities (workspace), "items-changed",
                    G_CALLBACK (items_changed_cb), &severities_changed);

  esc_workspace_reset_defaults (workspace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parties_changed, ==, 1);
  g_assert_cmpuint (rules_changed, ==, 1);
  g_assert_cmpuint (severities_changed, ==, 1);

  after = g_list_model_get_item (esc_workspace_get_parties (workspace), 1);
  g_assert_cmpstr (esc_party_get_name (ESC_PARTY (after)), ==, original_name);
  g_assert_cmpstrv (esc_party_get_responsibilities (ESC_PARTY (after)),
                    esc_party_get_responsibilities (party));
  g_clear_object (&after);
  after = g_list_model_get_item (esc_workspace_get_routing_rules (workspace), 0);
  g_assert_cmpstr (esc_routing_rule_get_team (ESC_ROUTING_RULE (after)), ==, original_team);
  g_assert_cmpint (esc_routing_rule_get_destination (ESC_ROUTING_RULE (after)), ==,
                   ESC_ROUTING_DESTINATION_OPERATIONS);
  g_clear_object (&after);
  after = g_list_model_get_item (esc_workspace_get_severities (workspace), 0);
  g_assert_cmpuint (esc_severity_get_initial_response_minutes (ESC_SEVERITY (after)), ==, 60);
  g_assert_cmpuint (esc_severity_get_update_cadence_minutes (ESC_SEVERITY (after)), ==, 60);
  g_clear_object (&after);

  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM local_audit "
                                                   "WHERE what = 'reset-defaults'"), ==, 1);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM responsibilities"), ==,
                   4 + 5 + 4);

  g_signal_handlers_disconnect_by_data (esc_workspace_get_parties (workspace), &parties_changed);
  g_signal_handlers_disconnect_by_data (esc_workspace_get_routing_rules (workspace),
                                        &rules_changed);
  g_signal_handlers_disconnect_by_data (esc_workspace_get_severities (workspace),
                                        &severities_changed);
}

static void
test_update_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "ws.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscParty) ghost = esc_party_new ("ghost", "Ghost", NULL, NULL);
  g_autoptr(GError) error = NULL;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);

  g_assert_false (esc_workspace_update_party (workspace, ghost, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM local_audit "
                                                   "WHERE what = 'update-party'"), ==, 0);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM parties"), ==, 3);
}

/* SQLITE_FULL becomes ESC_STORE_ERROR_IO, and the transaction is rolled back. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "ws.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscParty) party = NULL;
  g_autoptr(EscParty) huge = NULL;
  g_autoptr(EscParty) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *text = g_strnfill (256 * 1024, 'x');
  const char *items[] = { text, NULL };

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);

  /* Cap the file at its current size: the next page it needs is "disk full". */
  sql = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                         workspace_query_int (workspace, "PRAGMA page_count"));
  g_assert_cmpint (sqlite3_exec (esc_workspace_get_connection (workspace), sql, NULL, NULL, NULL),
                   ==, SQLITE_OK);

  party = g_list_model_get_item (esc_workspace_get_parties (workspace), 0);
  huge = esc_party_new (esc_party_get_id (party), "Huge", NULL, items);
  g_assert_false (esc_workspace_update_party (workspace, huge, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "disk is full"));
  g_assert_nonnull (strstr (error->message, path));

  /* Nothing of the failed write remains, and the workspace still works. */
  g_assert_true (sqlite3_get_autocommit (esc_workspace_get_connection (workspace)));
  after = g_list_model_get_item (esc_workspace_get_parties (workspace), 0);
  g_assert_cmpstr (esc_party_get_name (after), ==, esc_party_get_name (party));
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM responsibilities"), ==,
                   4 + 5 + 4);
  g_assert_cmpint (workspace_query_int (workspace, "SELECT count(*) FROM parties "
                                                   "WHERE name = 'Huge'"), ==, 0);
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "ws.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);

  g_assert_null (esc_workspace_dup_setting (workspace, "support-model"));
  g_assert_true (esc_workspace_set_setting (workspace, "support-model", "partner-led", &error));
  g_assert_no_error (error);
  value = esc_workspace_dup_setting (workspace, "support-model");
  g_assert_cmpstr (value, ==, "partner-led");
  g_assert_true (esc_workspace_set_setting (workspace, "support-model", NULL, &error));
  g_assert_no_error (error);
  g_assert_null (esc_workspace_dup_setting (workspace, "support-model"));
}

static void
open_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source);
  *out = g_object_ref (result);
}

static void
test_open_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "async" G_DIR_SEPARATOR_S "ws.sqlite3");
  g_autofree char *garbage = fixture_path (fixture, "garbage.sqlite3");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  esc_workspace_open_async (path, NULL, open_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  workspace = esc_workspace_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workspace);
  assert_seeded (workspace);
  g_assert_cmpint (esc_workspace_get_schema_version (workspace), ==,
                   ESC_WORKSPACE_SCHEMA_VERSION);
  g_clear_object (&result);

  /* Errors come back through finish. */
  g_file_set_contents (garbage, "not a database, not at all, really not", -1, &error);
  g_assert_no_error (error);
  esc_workspace_open_async (garbage, NULL, open_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (esc_workspace_open_finish (result, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancellable);
  esc_workspace_open_async (path, cancellable, open_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (esc_workspace_open_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* An error the store drops is a warning when the disk or the file fails
 * (an administrator looks for it in the journal), debug otherwise. */
static void
test_log_dropped_error (void)
{
  g_autoptr(GError) io = NULL;
  g_autoptr(GError) corrupt = NULL;
  g_autoptr(GError) other = NULL;

  g_assert_false (esc_store_set_sqlite_error (&io, NULL, SQLITE_IOERR_WRITE, "/w.sqlite3"));
  g_assert_error (io, ESC_STORE_ERROR, ESC_STORE_ERROR_IO);
  g_test_expect_message ("esc-store", G_LOG_LEVEL_WARNING, "Reading setting k: *“/w.sqlite3”*");
  esc_store_log_dropped_error (io, "Reading setting %s", "k");
  g_test_assert_expected_messages ();

  g_assert_false (esc_store_set_sqlite_error (&corrupt, NULL, SQLITE_CORRUPT, "/w.sqlite3"));
  g_test_expect_message ("esc-store", G_LOG_LEVEL_WARNING, "Reloading: *damaged*");
  esc_store_log_dropped_error (corrupt, "Reloading");
  g_test_assert_expected_messages ();

  /* Not I/O: no warning (a fatal one would abort here) */
  g_assert_false (esc_store_set_sqlite_error (&other, NULL, SQLITE_CONSTRAINT, "/w.sqlite3"));
  esc_store_log_dropped_error (other, "Reloading");
}

/* The store's helpers use the workspace connection's statement cache and
 * its transactions: a failing statement inside esc_store_transaction()
 * rolls everything back and is reported as a store error; the work's own
 * error is passed on as it is; an inner level is a savepoint. */

static gboolean
insert_setting (sqlite3     *db,
                const char  *path,
                const char  *key,
                GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;

  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "INSERT INTO settings (key, value) VALUES (?1, 'x')",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  return esc_store_step_done (db, path, stmt, error);
}

static gboolean
insert_twice (sqlite3     *db,
              const char  *path,
              gpointer     user_data,
              GError     **error)
{
  const char *second = user_data;

  /* The second fails on the primary key when it is "a" again */
  return insert_setting (db, path, "a", error) && insert_setting (db, path, second, error);
}

static gboolean
insert_then_refuse (sqlite3     *db,
                    const char  *path,
                    gpointer     user_data,
                    GError     **error)
{
  if (!insert_setting (db, path, "c", error))
    return FALSE;

  g_set_error_literal (error, ESC_STORE_ERROR, ESC_STORE_ERROR_SEED, "refused");
  return FALSE;
}

static void
test_store_helpers (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "ws.sqlite3");
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *first;
  sqlite3_stmt *second;
  gint64 n = -1;
  sqlite3 *db;

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  db = esc_workspace_get_connection (workspace);

  /* One statement per SQL text, kept */
  first = esc_store_prepare_cached (db, path, "SELECT count(*) FROM settings", &error);
  g_assert_no_error (error);
  esc_sqlite_statement_release (first);
  second = esc_store_prepare_cached (db, path, "SELECT count(*) FROM settings", &error);
  g_assert_no_error (error);
  g_assert_true (first == second);
  esc_sqlite_statement_release (second);

  /* Bad SQL: a store error naming the file */
  g_assert_null (esc_store_prepare_cached (db, path, "SELECT nothing FROM nowhere", &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* A failing statement rolls the whole transaction back */
  g_assert_false (esc_store_transaction (db, path, insert_twice, (gpointer)"a", &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_true (esc_store_query_int (db, path, "SELECT count(*) FROM settings WHERE value = 'x'", &n, &error));
  g_assert_cmpint (n, ==, 0);

  /* The work's own error is the one passed on, and it is rolled back too */
  g_assert_false (esc_store_transaction (db, path, insert_then_refuse, NULL, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_SEED);
  g_assert_cmpstr (error->message, ==, "refused");
  g_clear_error (&error);
  g_assert_true (esc_store_query_int (db, path, "SELECT count(*) FROM settings WHERE value = 'x'", &n, &error));
  g_assert_cmpint (n, ==, 0);

  /* Inside esc_store_begin(), a failing inner transaction undoes only its own work */
  g_assert_true (esc_store_begin (db, path, &error));
  g_assert_true (insert_setting (db, path, "outer", &error));
  g_assert_false (esc_store_transaction (db, path, insert_twice, (gpointer)"a", &error));
  g_clear_error (&error);
  g_assert_false (sqlite3_get_autocommit (db));
  g_assert_true (esc_store_transaction (db, path, insert_twice, (gpointer)"b", &error));
  g_assert_no_error (error);
  g_assert_true (esc_store_commit (db, path, &error));
  g_assert_no_error (error);
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_true (esc_store_query_int (db, path, "SELECT count(*) FROM settings WHERE value = 'x'", &n, &error));
  g_assert_cmpint (n, ==, 3);

  /* esc_store_rollback() ends what esc_store_begin() started */
  g_assert_true (esc_store_begin (db, path, &error));
  g_assert_true (insert_setting (db, path, "gone", &error));
  esc_store_rollback (db);
  g_assert_true (sqlite3_get_autocommit (db));
  g_assert_null (esc_workspace_dup_setting (workspace, "gone"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/store/workspace/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store/workspace/default-path", test_default_path);
  ADD ("create", test_create);
  ADD ("migrate/every-version", test_migrate_every_version);
  ADD ("migrate/empty-file", test_migrate_empty_file);
  ADD ("reopen", test_reopen);
  ADD ("refuse/newer-version", test_newer_version);
  ADD ("refuse/garbage", test_garbage);
  ADD ("refuse/damaged", test_damaged);
  ADD ("refuse/damaged-after-crash", test_damaged_unclean);
  ADD ("refuse/foreign-database", test_foreign_database);
  ADD ("refuse/uncreatable-folder", test_uncreatable_folder);
  g_test_add_func ("/store/workspace/refuse/read-only", test_read_only);
  ADD ("reset-defaults", test_reset_defaults);
  ADD ("update-missing", test_update_missing);
  ADD ("disk-full", test_disk_full);
  ADD ("settings", test_settings);
  ADD ("store-helpers", test_store_helpers);
  g_test_add_func ("/store/workspace/log-dropped-error", test_log_dropped_error);
  ADD ("open-async", test_open_async);

#undef ADD

  return g_test_run ();
}
