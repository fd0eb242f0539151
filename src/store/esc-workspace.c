/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "esc-seed.h"
#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-time.h"
#include "esc-workspace.h"
#include "esc-workspace-model.h"
#include "esc-workspace-private.h"

/* The local workspace: one SQLite file per profile. Every SQL statement of the
 * app lives in store/. The connection is in WAL mode with foreign keys on, and
 * every write is a BEGIN IMMEDIATE transaction.
 *
 * Opening never replaces an existing file: a file that is not a workspace, is
 * damaged, or was written by a newer Escalade is refused before anything is
 * written to it (even the switch to WAL rewrites the header). */

/* How long a statement waits for another connection's lock. */
#define BUSY_TIMEOUT_MS 5000

/* The settings key telling that the defaults were seeded once; they are never
 * seeded again, even if the user deletes every row. */
#define SEED_VERSION_KEY "seed-version"

struct _EscWorkspace
{
  GObject            parent_instance;

  char              *path;
  EscSqliteConnection *connection;
  sqlite3           *db;  /* the connection's, borrowed */
  int                schema_version;

  EscWorkspaceModel *parties;
  EscWorkspaceModel *responsibilities;
  EscWorkspaceModel *routing_rules;
  EscWorkspaceModel *severities;
};

G_DEFINE_FINAL_TYPE (EscWorkspace, esc_workspace, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_SCHEMA_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GPtrArray *load_parties       (gpointer   user_data,
                                      GError   **error);
static GPtrArray *load_routing_rules (gpointer   user_data,
                                      GError   **error);
static GPtrArray *load_severities    (gpointer   user_data,
                                      GError   **error);

static void
esc_workspace_finalize (GObject *object)
{
  EscWorkspace *self = (EscWorkspace *)object;

  /* The UI may outlive us while holding a model: cut the models' way back. */
  esc_workspace_model_detach (self->parties);
  esc_workspace_model_detach (self->responsibilities);
  esc_workspace_model_detach (self->routing_rules);
  esc_workspace_model_detach (self->severities);
  g_clear_object (&self->parties);
  g_clear_object (&self->responsibilities);
  g_clear_object (&self->routing_rules);
  g_clear_object (&self->severities);

  self->db = NULL;
  g_clear_object (&self->connection);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (esc_workspace_parent_class)->finalize (object);
}

static void
esc_workspace_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EscWorkspace *self = ESC_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_SCHEMA_VERSION:
      g_value_set_int (value, self->schema_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_workspace_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  EscWorkspace *self = ESC_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

enum {
  SETTING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
esc_workspace_class_init (EscWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /**
   * EscWorkspace::setting-changed:
   * @key: the setting, also the signal's detail ("setting-changed::support-model")
   *
   * A setting was set or unset (esc_workspace_set_setting()), once it is committed.
   */
  signals[SETTING_CHANGED] =
    g_signal_new ("setting-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  object_class->finalize = esc_workspace_finalize;
  object_class->get_property = esc_workspace_get_property;
  object_class->set_property = esc_workspace_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCHEMA_VERSION] =
    g_param_spec_int ("schema-version", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_workspace_init (EscWorkspace *self)
{
  self->parties = esc_workspace_model_new (ESC_TYPE_PARTY, load_parties, self);
  self->responsibilities = esc_workspace_model_new (ESC_TYPE_RESPONSIBILITY,
                                                    esc_workspace_load_responsibilities, self);
  self->routing_rules = esc_workspace_model_new (ESC_TYPE_ROUTING_RULE, load_routing_rules, self);
  self->severities = esc_workspace_model_new (ESC_TYPE_SEVERITY, load_severities, self);
}

/* Opening ------------------------------------------------------------------ */

/* Refuses what is not ours or not for us, reading only: another program's
 * database, a non-empty database without our schema, a newer schema. */
static gboolean
check_header (sqlite3     *db,
              const char  *path,
              gint64      *out_version,
              GError     **error)
{
  gint64 application_id;
  gint64 version;
  gint64 n_objects;

  if (!esc_store_query_int (db, path, "PRAGMA application_id", &application_id, error) ||
      !esc_store_query_int (db, path, "PRAGMA user_version", &version, error) ||
      !esc_store_query_int (db, path, "SELECT count(*) FROM sqlite_master", &n_objects, error))
    return FALSE;

  if ((application_id != 0 && application_id != ESC_WORKSPACE_APPLICATION_ID) ||
      (version > 0 && application_id != ESC_WORKSPACE_APPLICATION_ID) ||
      (version == 0 && n_objects > 0) ||
      version < 0)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT,
                   _("The file “%s” is a database of another program, not an Escalade "
                     "workspace. It has not been changed."),
                   path);
      return FALSE;
    }

  if (version > ESC_WORKSPACE_SCHEMA_VERSION)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_NEWER_VERSION,
                   _("The workspace “%s” was written by a newer version of Escalade "
                     "(schema %d; this version understands up to %d). It has not been changed."),
                   path, (int)version, ESC_WORKSPACE_SCHEMA_VERSION);
      return FALSE;
    }

  *out_version = version;
  return TRUE;
}

/* PRAGMA quick_check: "ok", or one row per problem. */
static gboolean
quick_check (sqlite3     *db,
             const char  *path,
             gboolean     in_use,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *problems = NULL;
  int rc;

  if (!esc_store_prepare (db, path, "PRAGMA quick_check", &stmt, error))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      esc_store_set_sqlite_error (error, db, rc, path);
      return FALSE;
    }
  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "ok") == 0)
    return TRUE;

  /* The report can be long: its first lines are enough to tell. */
  problems = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  g_strdelimit (problems, "\n", ' ');
  if (g_utf8_strlen (problems, -1) > 120)
    {
      char *shortened;

      *g_utf8_offset_to_pointer (problems, 119) = '\0';
      shortened = g_strconcat (problems, "…", NULL);
      g_free (problems);
      problems = shortened;
    }

  if (in_use)
    g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT,
                 _("The workspace “%s” is damaged (%s). Escalade no longer writes to it: "
                   "restore it from a backup, or move it away to start afresh."),
                 path, problems);
  else
    g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT,
                 _("The workspace “%s” is damaged and cannot be opened (%s). "
                   "It has not been changed."),
                 path, problems);
  return FALSE;
}

/* SQLite removes the write-ahead log when the last connection closes: one
 * left behind, with frames in it, means Escalade (or the computer) stopped
 * without closing the workspace. */
static gboolean
closed_uncleanly (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) == 0 && st.st_size > 0;
}

/* Looks at an existing file through a read-only connection, so that nothing
 * is written to a file we are going to refuse. The whole file is checked
 * (quick_check: 450 ms for 100 000 requests) only when it was not closed
 * cleanly or is about to be migrated; otherwise the app checks it once it
 * is shown (esc_workspace_check_async()). */
static gboolean
probe_existing (const char  *path,
                GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ret = FALSE;
  gint64 version;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      esc_store_set_sqlite_error (error, db, rc, path);
      goto out;
    }
  sqlite3_extended_result_codes (db, TRUE);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  if (!check_header (db, path, &version, error))
    goto out;

  if ((version < ESC_WORKSPACE_SCHEMA_VERSION || closed_uncleanly (path)) &&
      !quick_check (db, path, FALSE, error))
    goto out;

  ret = TRUE;

out:
  sqlite3_close_v2 (db);
  return ret;
}

static gboolean
ensure_folder (const char  *folder,
               GError     **error)
{
  int saved_errno;

  if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    return TRUE;

  if (g_mkdir_with_parents (folder, 0700) == 0)
    return TRUE;

  saved_errno = errno;
  g_set_error (error, ESC_STORE_ERROR,
               saved_errno == ENOSPC ? ESC_STORE_ERROR_IO : ESC_STORE_ERROR_READ_ONLY,
               _("The folder “%s” for the workspace could not be created: %s."),
               folder, g_strerror (saved_errno));
  return FALSE;
}

/* The file and its folder must be writable: WAL adds files next to the
 * workspace. This catches what SQLite would otherwise hide by quietly
 * opening the file read-only. */
static gboolean
check_writable (const char  *path,
                const char  *folder,
                gboolean     exists,
                GError     **error)
{
  if (access (folder, W_OK | X_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY,
                   _("The folder “%s” cannot be written (%s), so the workspace “%s” "
                     "cannot be saved there. Check the permissions of the folder."),
                   folder, g_strerror (saved_errno), path);
      return FALSE;
    }

  if (exists && access (path, R_OK | W_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY,
                   _("The workspace “%s” is read-only (%s). Check the permissions of the file."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
has_been_seeded (sqlite3     *db,
                 const char  *path,
                 gboolean    *seeded,
                 GError     **error)
{
  gint64 count;

  if (!esc_store_query_int (db, path,
                            "SELECT count(*) FROM settings WHERE key = '" SEED_VERSION_KEY "'",
                            &count, error))
    return FALSE;

  *seeded = count > 0;
  return TRUE;
}

static gboolean
seed_defaults (sqlite3     *db,
               const char  *path,
               const char  *what,
               GError     **error)
{
  g_autoptr(EscWorkspaceSeed) seed = NULL;
  g_autofree char *sql = NULL;

  if (!(seed = esc_workspace_seed_load (error)))
    return FALSE;

  sql = g_strdup_printf ("INSERT OR REPLACE INTO settings (key, value) VALUES ('%s', '%d')",
                         SEED_VERSION_KEY, ESC_SEED_VERSION);

  return esc_workspace_seed_write (db, path, seed, error) &&
         esc_store_exec (db, path, sql, error) &&
         esc_store_audit (db, path, what, NULL, error);
}

/* Brings the file to schema @target in one transaction: the header is checked
 * again under the write lock, the missing migrations run in order, and with
 * @seed the defaults are written on first open. */
static gboolean
migrate (sqlite3     *db,
         const char  *path,
         int          target,
         gboolean     seed,
         GError     **error)
{
  gint64 version;
  gboolean seeded = TRUE;

  if (!esc_store_begin (db, path, error))
    return FALSE;

  if (!check_header (db, path, &version, error))
    goto fail;

  for (int v = (int)version + 1; v <= target; v++)
    {
      if (!esc_workspace_run_migration (db, path, v, error))
        goto fail;
    }

  if (version < target)
    {
      g_autofree char *sql = NULL;

      sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                             ESC_WORKSPACE_APPLICATION_ID, target);
      if (!esc_store_exec (db, path, sql, error))
        goto fail;
    }

  if (seed && target >= 1)
    {
      if (!has_been_seeded (db, path, &seeded, error))
        goto fail;
      if (!seeded && !seed_defaults (db, path, "seed-defaults", error))
        goto fail;
    }

  if (!esc_store_commit (db, path, error))
    goto fail;

  if (version < target)
    g_debug ("Workspace %s migrated from schema %d to %d", path, (int)version, target);
  if (!seeded)
    g_debug ("Workspace %s seeded with the defaults", path);

  return TRUE;

fail:
  esc_store_rollback (db);
  return FALSE;
}

/* Opens a read-write connection on @path (checked beforehand) and configures it. */
static EscSqliteConnection *
open_connection (const char  *path,
                 GError     **error)
{
  g_autoptr(EscSqliteConnection) connection = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *local = NULL;
  const char *mode;
  sqlite3 *db;
  int rc;

  connection = esc_sqlite_connection_open (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &local);
  if (connection == NULL)
    {
      esc_store_set_sqlite_error (error, NULL, local->code, path);
      g_error_free (local);
      return NULL;
    }
  db = esc_sqlite_connection_get_handle (connection);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  /* SQLite falls back to read-only without failing when it cannot write. */
  if (sqlite3_db_readonly (db, "main") == 1)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY,
                   _("The workspace “%s” is read-only. Check the permissions of the file."),
                   path);
      return NULL;
    }

  if (!esc_store_exec (db, path, "PRAGMA foreign_keys = ON", error))
    return NULL;

  if (!esc_store_prepare (db, path, "PRAGMA journal_mode = WAL", &stmt, error))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return (esc_store_set_sqlite_error (error, db, rc, path), NULL);
  mode = (const char *)sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode != NULL ? mode : "", "wal") != 0)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("The workspace “%s” cannot use write-ahead logging (journal mode “%s”); "
                     "is it on a network folder?"),
                   path, mode);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* With WAL, NORMAL keeps the file consistent; a power cut may lose the last commit. */
  if (!esc_store_exec (db, path, "PRAGMA synchronous = NORMAL", error))
    return NULL;

  return g_steal_pointer (&connection);
}

/* Checks the folder and the file, then connects: shared by open and by
 * create_at_version. */
static EscSqliteConnection *
prepare_file (const char  *path,
              GError     **error)
{
  g_autofree char *folder = NULL;
  GStatBuf st;
  gboolean exists;

  if (path == NULL || *path == '\0')
    {
      g_set_error_literal (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                           _("No workspace file was given."));
      return NULL;
    }

  folder = g_path_get_dirname (path);
  if (!ensure_folder (folder, error))
    return NULL;

  exists = g_stat (path, &st) == 0;
  if (exists && !S_ISREG (st.st_mode))
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("“%s” is not a file, so it cannot be a workspace."), path);
      return NULL;
    }

  if (exists)
    {
      g_autoptr(GError) probe_error = NULL;

      /* A WAL file in a read-only folder cannot even be read: say why. */
      if (!probe_existing (path, &probe_error))
        {
          g_autoptr(GError) writable_error = NULL;

          if (g_error_matches (probe_error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY) &&
              !check_writable (path, folder, exists, &writable_error))
            g_propagate_error (error, g_steal_pointer (&writable_error));
          else
            g_propagate_error (error, g_steal_pointer (&probe_error));
          return NULL;
        }
    }

  if (!check_writable (path, folder, exists, error))
    return NULL;

  return open_connection (path, error);
}

/**
 * esc_workspace_dup_default_path:
 * @profile: (nullable): the profile name, %NULL for "default"
 *
 * Returns: (transfer full) (nullable): $XDG_DATA_HOME/escalade/PROFILE.sqlite3,
 *   or %NULL if @profile is not a plain name (empty, containing “/” or
 *   starting with “.”)
 */
char *
esc_workspace_dup_default_path (const char *profile)
{
  g_autofree char *file = NULL;

  if (profile == NULL)
    profile = "default";

  if (*profile == '\0' || *profile == '.' || strchr (profile, '/') != NULL)
    return NULL;

  file = g_strconcat (profile, ".sqlite3", NULL);
  return g_build_filename (g_get_user_data_dir (), "escalade", file, NULL);
}

/**
 * esc_workspace_open:
 * @path: the workspace file
 * @error: return location for a #GError
 *
 * Opens the workspace at @path, creating it and its folder (mode 0700) if
 * missing, migrates it to %ESC_WORKSPACE_SCHEMA_VERSION and seeds the
 * defaults on first open, all in one transaction.
 *
 * May be called from any thread; see esc_workspace_open_async().
 *
 * Returns: (transfer full): the workspace, or %NULL with an #ESC_STORE_ERROR
 */
EscWorkspace *
esc_workspace_open (const char  *path,
                    GError     **error)
{
  g_autoptr(EscWorkspace) self = NULL;

  if (!(self = g_object_new (ESC_TYPE_WORKSPACE, "path", path, NULL)))
    return NULL;

  if (!(self->connection = prepare_file (path, error)))
    return NULL;
  self->db = esc_sqlite_connection_get_handle (self->connection);

  if (!migrate (self->db, path, ESC_WORKSPACE_SCHEMA_VERSION, TRUE, error))
    return NULL;
  self->schema_version = ESC_WORKSPACE_SCHEMA_VERSION;

  if (!esc_workspace_model_reload (self->parties, error) ||
      !esc_workspace_model_reload (self->responsibilities, error) ||
      !esc_workspace_model_reload (self->routing_rules, error) ||
      !esc_workspace_model_reload (self->severities, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * esc_workspace_create_at_version: (skip)
 *
 * See esc-workspace-private.h: for the migration tests.
 */
gboolean
esc_workspace_create_at_version (const char  *path,
                                 int          version,
                                 GError     **error)
{
  g_autoptr(EscSqliteConnection) connection = NULL;

  g_return_val_if_fail (version >= 0 && version <= ESC_WORKSPACE_SCHEMA_VERSION, FALSE);

  if (!(connection = prepare_file (path, error)))
    return FALSE;

  return migrate (esc_sqlite_connection_get_handle (connection), path, version, FALSE, error);
}

static void
open_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  EscWorkspace *self;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if ((self = esc_workspace_open (path, &error)))
    g_task_return_pointer (task, self, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * esc_workspace_open_async:
 * @path: the workspace file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Opens the workspace in a worker thread, as esc_workspace_open() does. The
 * workspace is then handed to the caller's thread, which alone uses it.
 */
void
esc_workspace_open_async (const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_workspace_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread_cb);
}

/**
 * esc_workspace_open_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the workspace, or %NULL with an #ESC_STORE_ERROR
 *   or %G_IO_ERROR_CANCELLED
 */
EscWorkspace *
esc_workspace_open_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esc_workspace_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
check_thread_cb (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *path = task_data;
  GError *error = NULL;
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    esc_store_set_sqlite_error (&error, db, rc, path);
  else
    {
      sqlite3_extended_result_codes (db, TRUE);
      sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
      quick_check (db, path, TRUE, &error);
    }
  sqlite3_close_v2 (db);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * esc_workspace_check_async:
 * @self: an open workspace
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the check is done
 * @user_data: data for @callback
 *
 * Checks the whole file (PRAGMA quick_check) on a read-only connection of
 * a worker thread, while the workspace stays in use: after a clean close,
 * esc_workspace_open() only reads its header, so that the list shows sooner.
 */
void
esc_workspace_check_async (EscWorkspace        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ESC_IS_WORKSPACE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_workspace_check_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  esc_store_run_in_thread (task, check_thread_cb);
}

/**
 * esc_workspace_check_finish:
 * @self: the workspace
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file is sound; %FALSE with %ESC_STORE_ERROR_CORRUPT
 *   when it is damaged, or another error when it could not be read
 */
gboolean
esc_workspace_check_finish (EscWorkspace  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esc_workspace_check_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
esc_workspace_get_path (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  return self->path;
}

int
esc_workspace_get_schema_version (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), 0);
  return self->schema_version;
}

sqlite3 *
esc_workspace_get_connection (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  return self->db;
}

/* Loading the models -------------------------------------------------------- */

static GPtrArray *
load_parties (gpointer   user_data,
              GError   **error)
{
  EscWorkspace *self = user_data;
  g_autoptr(GPtrArray) parties = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(EscSqliteCachedStmt) items_stmt = NULL;
  int rc;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT id, name, summary FROM parties ORDER BY position, id",
                                         error)) ||
      !(items_stmt = esc_store_prepare_cached (self->db, self->path,
                                               "SELECT text FROM responsibilities WHERE party_id = ?1 "
                                               "ORDER BY position",
                                               error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) items = NULL;

      sqlite3_reset (items_stmt);
      sqlite3_bind_text (items_stmt, 1, (const char *)sqlite3_column_text (stmt, 0), -1,
                         SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (items_stmt)) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *)sqlite3_column_text (items_stmt, 0));
      if (rc != SQLITE_DONE)
        {
          esc_store_set_sqlite_error (error, self->db, rc, self->path);
          return NULL;
        }
      items = g_strv_builder_end (builder);

      g_ptr_array_add (parties,
                       esc_party_new ((const char *)sqlite3_column_text (stmt, 0),
                                      (const char *)sqlite3_column_text (stmt, 1),
                                      (const char *)sqlite3_column_text (stmt, 2),
                                      (const char * const *)items));
    }

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&parties);
}

static GPtrArray *
load_routing_rules (gpointer   user_data,
                    GError   **error)
{
  EscWorkspace *self = user_data;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT id, problem, example, destination, team, action, "
                                         "reach, reach_address, tiers "
                                         "FROM routing_rules ORDER BY position, id",
                                         error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EscRoutingDestination destination;
      EscRoutingReach reach;

      /* The CHECK constraints keep unknown names out of the table. */
      if (!esc_routing_destination_from_string ((const char *)sqlite3_column_text (stmt, 3),
                                                &destination))
        destination = ESC_ROUTING_DESTINATION_EXISTING_CHANNEL;
      if (!esc_routing_reach_from_string ((const char *)sqlite3_column_text (stmt, 6), &reach))
        reach = ESC_ROUTING_REACH_NONE;

      g_ptr_array_add (rules,
                       esc_routing_rule_new_full ((const char *)sqlite3_column_text (stmt, 0),
                                                  (const char *)sqlite3_column_text (stmt, 1),
                                                  (const char *)sqlite3_column_text (stmt, 2),
                                                  destination,
                                                  (const char *)sqlite3_column_text (stmt, 4),
                                                  (const char *)sqlite3_column_text (stmt, 5),
                                                  reach,
                                                  (const char *)sqlite3_column_text (stmt, 7),
                                                  (guint)sqlite3_column_int (stmt, 8)));
    }

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&rules);
}

static GPtrArray *
load_severities (gpointer   user_data,
                 GError   **error)
{
  EscWorkspace *self = user_data;
  g_autoptr(GPtrArray) severities = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT letter, name, situation, initial_response_minutes, "
                                         "update_cadence_minutes, coverage, downgrade "
                                         "FROM severities ORDER BY letter",
                                         error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (severities,
                       esc_severity_new ((const char *)sqlite3_column_text (stmt, 0),
                                         (const char *)sqlite3_column_text (stmt, 1),
                                         (const char *)sqlite3_column_text (stmt, 2),
                                         (guint)sqlite3_column_int64 (stmt, 3),
                                         (guint)sqlite3_column_int64 (stmt, 4),
                                         (const char *)sqlite3_column_text (stmt, 5),
                                         (const char *)sqlite3_column_text (stmt, 6)));
    }

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&severities);
}

GListModel *
esc_workspace_get_parties (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->parties);
}

GListModel *
esc_workspace_get_responsibilities (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->responsibilities);
}

/* For esc-workspace-matrix.c: the matrices changed in the file */
gboolean
esc_workspace_reload_matrices (EscWorkspace  *self,
                               gboolean       roles,
                               gboolean       routing,
                               GError       **error)
{
  if (roles && (!esc_workspace_model_reload (self->parties, error) ||
                !esc_workspace_model_reload (self->responsibilities, error)))
    return FALSE;

  return !routing || esc_workspace_model_reload (self->routing_rules, error);
}

GListModel *
esc_workspace_get_routing_rules (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->routing_rules);
}

GListModel *
esc_workspace_get_severities (EscWorkspace *self)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  return G_LIST_MODEL (self->severities);
}

/* Writing ------------------------------------------------------------------- */

/**
 * esc_workspace_reset_defaults:
 * @self: a #EscWorkspace
 * @error: return location for a #GError
 *
 * Replaces the roles matrix, the routing rows and the severity definitions
 * with the shipped defaults, translated into the current locale, in one
 * transaction recorded in the local audit. The three models emit
 * ::items-changed.
 *
 * Returns: %TRUE on success; on failure nothing was changed
 */
gboolean
esc_workspace_reset_defaults (EscWorkspace  *self,
                              GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  if (!seed_defaults (self->db, self->path, "reset-defaults", error) ||
      !esc_store_commit (self->db, self->path, error))
    {
      esc_store_rollback (self->db);
      return FALSE;
    }

  return esc_workspace_model_reload (self->parties, error) &&
         esc_workspace_model_reload (self->responsibilities, error) &&
         esc_workspace_model_reload (self->routing_rules, error) &&
         esc_workspace_model_reload (self->severities, error);
}

static gboolean
no_such_row (GError     **error,
             const char  *id)
{
  g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
               _("“%s” is not in the workspace: it may have been reset meanwhile."), id);
  return FALSE;
}

static gboolean
write_party (EscWorkspace  *self,
             EscParty      *party,
             GError       **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(EscSqliteCachedStmt) delete_stmt = NULL;
  g_autoptr(EscSqliteCachedStmt) insert_stmt = NULL;
  const char * const *items = esc_party_get_responsibilities (party);
  const char *id = esc_party_get_id (party);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "UPDATE parties SET name = ?2, summary = ?3 WHERE id = ?1",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, esc_party_get_name (party), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, esc_party_get_summary (party), -1, SQLITE_TRANSIENT);
  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return no_such_row (error, id);

  /* The texts replace those of the party's rows in order, which keep their
   * areas and RACI marks; rows past the end are removed, new ones added with
   * the party Responsible. */
  if (!(delete_stmt = esc_store_prepare_cached (self->db, self->path,
                                                "SELECT id FROM responsibilities WHERE party_id = ?1 "
                                                "ORDER BY position, id",
                                                error)))
    return FALSE;
  sqlite3_bind_text (delete_stmt, 1, id, -1, SQLITE_TRANSIENT);
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    guint n_items = g_strv_length ((char **)items);
    int rc;

    while ((rc = sqlite3_step (delete_stmt)) == SQLITE_ROW)
      {
        gint64 row = sqlite3_column_int64 (delete_stmt, 0);
        g_array_append_val (ids, row);
      }
    if (rc != SQLITE_DONE)
      return esc_store_set_sqlite_error (error, self->db, rc, self->path);

    if (!(insert_stmt = esc_store_prepare_cached (self->db, self->path,
                                                  "UPDATE responsibilities SET text = ?2, position = ?3 "
                                                  "WHERE id = ?1",
                                                  error)))
      return FALSE;

    for (guint i = 0; i < MAX (n_items, ids->len); i++)
      {
        if (i < n_items && i < ids->len)
          {
            sqlite3_reset (insert_stmt);
            sqlite3_bind_int64 (insert_stmt, 1, g_array_index (ids, gint64, i));
            sqlite3_bind_text (insert_stmt, 2, items[i], -1, SQLITE_TRANSIENT);
            sqlite3_bind_int (insert_stmt, 3, (int)i);
            if (!esc_store_step_done (self->db, self->path, insert_stmt, error))
              return FALSE;
          }
        else if (i < n_items)
          {
            g_autoptr(EscResponsibility) item = esc_responsibility_new (0, id, items[i], NULL);
            gint64 new_id;

            esc_responsibility_set_raci (item, id, ESC_RACI_RESPONSIBLE);
            if (!esc_workspace_write_responsibility (self->db, self->path, item, (int)i, &new_id,
                                                     error))
              return FALSE;
          }
        else if (!esc_workspace_delete_responsibility_row (self, g_array_index (ids, gint64, i),
                                                           error))
          return FALSE;
      }
  }

  return esc_store_audit (self->db, self->path, "update-party", id, error);
}

/**
 * esc_workspace_update_party:
 * @self: a #EscWorkspace
 * @party: the edited party; its id says which row
 * @error: return location for a #GError
 *
 * Saves the name, summary and responsibilities of an existing party.
 *
 * Returns: %TRUE on success; on failure nothing was changed
 */
gboolean
esc_workspace_update_party (EscWorkspace  *self,
                            EscParty      *party,
                            GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_PARTY (party), FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  if (!write_party (self, party, error) ||
      !esc_store_commit (self->db, self->path, error))
    {
      esc_store_rollback (self->db);
      return FALSE;
    }

  return esc_workspace_model_reload (self->parties, error) &&
         esc_workspace_model_reload (self->responsibilities, error);
}

static gboolean
write_routing_rule (EscWorkspace    *self,
                    EscRoutingRule  *rule,
                    GError         **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  const char *id = esc_routing_rule_get_id (rule);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "UPDATE routing_rules SET problem = ?3, example = ?4, "
                                         "destination = ?5, team = ?6, action = ?7, reach = ?8, "
                                         "reach_address = ?9, tiers = ?10 WHERE id = ?1",
                                         error)))
    return FALSE;
  esc_workspace_bind_routing_rule (stmt, rule);
  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return no_such_row (error, id);

  return esc_store_audit (self->db, self->path, "update-routing-rule", id, error);
}

/**
 * esc_workspace_update_routing_rule:
 * @self: a #EscWorkspace
 * @rule: the edited row; its id says which row
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; on failure nothing was changed
 */
gboolean
esc_workspace_update_routing_rule (EscWorkspace    *self,
                                   EscRoutingRule  *rule,
                                   GError         **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (rule), FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  if (!write_routing_rule (self, rule, error) ||
      !esc_store_commit (self->db, self->path, error))
    {
      esc_store_rollback (self->db);
      return FALSE;
    }

  return esc_workspace_model_reload (self->routing_rules, error);
}

static gboolean
write_severity (EscWorkspace  *self,
                EscSeverity   *severity,
                GError       **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  const char *letter = esc_severity_get_letter (severity);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "UPDATE severities SET name = ?2, situation = ?3, "
                                         "initial_response_minutes = ?4, update_cadence_minutes = ?5, "
                                         "coverage = ?6, downgrade = ?7 WHERE letter = ?1",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, letter, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, esc_severity_get_name (severity), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, esc_severity_get_situation (severity), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, esc_severity_get_initial_response_minutes (severity));
  sqlite3_bind_int64 (stmt, 5, esc_severity_get_update_cadence_minutes (severity));
  sqlite3_bind_text (stmt, 6, esc_severity_get_coverage (severity), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, esc_severity_get_downgrade (severity), -1, SQLITE_TRANSIENT);
  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return no_such_row (error, letter);

  return esc_store_audit (self->db, self->path, "update-severity", letter, error);
}

/**
 * esc_workspace_update_severity:
 * @self: a #EscWorkspace
 * @severity: the edited definition; its letter says which row
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; on failure nothing was changed
 */
gboolean
esc_workspace_update_severity (EscWorkspace  *self,
                               EscSeverity   *severity,
                               GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_SEVERITY (severity), FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  if (!write_severity (self, severity, error) ||
      !esc_store_commit (self->db, self->path, error))
    {
      esc_store_rollback (self->db);
      return FALSE;
    }

  return esc_workspace_model_reload (self->severities, error);
}

/**
 * esc_workspace_dup_setting:
 * @self: a #EscWorkspace
 * @key: the setting
 *
 * Returns: (transfer full) (nullable): the value, or %NULL if unset
 */
char *
esc_workspace_dup_setting (EscWorkspace *self,
                           const char   *key)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  GError *local = NULL;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!(stmt = esc_sqlite_connection_prepare_cached (self->connection,
                                                     "SELECT value FROM settings WHERE key = ?1",
                                                     &local)))
    {
      esc_store_set_connection_error (&error, self->connection, local);
      esc_store_log_dropped_error (error, "Reading setting %s", key);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *)sqlite3_column_text (stmt, 0));

  return NULL;
}

/**
 * esc_workspace_set_setting:
 * @self: a #EscWorkspace
 * @key: the setting
 * @value: (nullable): the value, %NULL to unset
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_set_setting (EscWorkspace  *self,
                           const char    *key,
                           const char    *value,
                           GError       **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         value != NULL
                                         ? "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)"
                                         : "DELETE FROM settings WHERE key = ?1",
                                         error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error) ||
      !esc_store_audit (self->db, self->path, "set-setting", key, error) ||
      !esc_store_commit (self->db, self->path, error))
    goto fail;

  g_signal_emit (self, signals[SETTING_CHANGED], g_quark_from_string (key), key);
  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback (self->db);
  return FALSE;
}

/* Drafts -------------------------------------------------------------------- */
