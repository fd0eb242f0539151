/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-sqlite"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-sqlite-connection.h"

/**
 * EscSqliteConnection:
 *
 * One SQLite connection with what store/ and service/ both need: statements
 * kept prepared (by their SQL text), nested transactions (the outermost
 * BEGIN IMMEDIATE, the inner ones savepoints) and #GErrors that name the
 * file. Not thread-safe: one connection per thread.
 */
struct _EscSqliteConnection
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *handle;

  /* SQL text → sqlite3_stmt kept prepared */
  GHashTable *statements;

  /* Open esc_sqlite_connection_begin() levels; whether the outermost is
   * this connection's BEGIN (else a savepoint in its owner's transaction) */
  guint       depth;
  gboolean    began;
};

G_DEFINE_FINAL_TYPE (EscSqliteConnection, esc_sqlite_connection, G_TYPE_OBJECT)

G_DEFINE_QUARK (esc-sqlite-error-quark, esc_sqlite_error)

/* Handle → connection, for code that was handed the bare handle (the
 * store's helpers take one): connections open on any thread. */
static GMutex handles_lock;
static GHashTable *handles;

static void
register_handle (EscSqliteConnection *self)
{
  g_mutex_lock (&handles_lock);
  if (handles == NULL)
    handles = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (handles, self->handle, self);
  g_mutex_unlock (&handles_lock);
}

static void
unregister_handle (EscSqliteConnection *self)
{
  g_mutex_lock (&handles_lock);
  if (handles != NULL && g_hash_table_lookup (handles, self->handle) == self)
    g_hash_table_remove (handles, self->handle);
  g_mutex_unlock (&handles_lock);
}

static void
esc_sqlite_connection_finalize (GObject *object)
{
  EscSqliteConnection *self = (EscSqliteConnection *)object;

  if (self->handle != NULL)
    unregister_handle (self);

  /* Statements first: sqlite3_close_v2() would otherwise keep the file open. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->handle, sqlite3_close_v2);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (esc_sqlite_connection_parent_class)->finalize (object);
}

static void
esc_sqlite_connection_class_init (EscSqliteConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_sqlite_connection_finalize;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
esc_sqlite_connection_init (EscSqliteConnection *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
}

/* Helpers on a bare handle */

gboolean
esc_sqlite_result_is_io_error (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
      return TRUE;

    default:
      return FALSE;
    }
}

/**
 * esc_sqlite_set_error:
 * @error: return location for a #GError
 * @db: (nullable): the connection the error happened on
 * @rc: the SQLite result code
 * @path: the file, for the message
 *
 * Sets an %ESC_SQLITE_ERROR whose code is the primary result code of @rc
 * and whose message names @path and gives SQLite's own words.
 *
 * Returns: %FALSE, so that callers can `return esc_sqlite_set_error (…)`
 */
gboolean
esc_sqlite_set_error (GError     **error,
                      sqlite3     *db,
                      int          rc,
                      const char  *path)
{
  const char *detail;

  /* The connection's message is more precise, if it is about this error. */
  if (db != NULL && (sqlite3_extended_errcode (db) == rc || sqlite3_errcode (db) == rc))
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  g_set_error (error, ESC_SQLITE_ERROR, rc & 0xff,
               _("Database error in “%s”: %s"), path, detail);
  return FALSE;
}

gboolean
esc_sqlite_exec (sqlite3     *db,
                 const char  *path,
                 const char  *sql,
                 GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return esc_sqlite_set_error (error, db, rc, path);

  return TRUE;
}

gboolean
esc_sqlite_prepare (sqlite3       *db,
                    const char    *path,
                    const char    *sql,
                    sqlite3_stmt **stmt,
                    GError       **error)
{
  int rc = sqlite3_prepare_v2 (db, sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      *stmt = NULL;
      return esc_sqlite_set_error (error, db, rc, path);
    }

  return TRUE;
}

gboolean
esc_sqlite_step_done (sqlite3       *db,
                      const char    *path,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return esc_sqlite_set_error (error, db, rc, path);

  return TRUE;
}

/* Runs @stmt for one integer (a PRAGMA, a COUNT); no row reads as 0. */
static gboolean
step_int (sqlite3       *db,
          const char    *path,
          sqlite3_stmt  *stmt,
          gint64        *value,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *value = sqlite3_column_int64 (stmt, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      *value = 0;
      return TRUE;
    }

  return esc_sqlite_set_error (error, db, rc, path);
}

gboolean
esc_sqlite_query_int (sqlite3     *db,
                      const char  *path,
                      const char  *sql,
                      gint64      *value,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!esc_sqlite_prepare (db, path, sql, &stmt, error))
    return FALSE;

  return step_int (db, path, stmt, value, error);
}

void
esc_sqlite_statement_release (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* The connection */

/**
 * esc_sqlite_connection_open:
 * @path: the file
 * @flags: `SQLITE_OPEN_*` flags for sqlite3_open_v2()
 * @error: return location for a #GError
 *
 * Opens @path with extended result codes on. The caller sets its pragmas.
 *
 * Returns: (transfer full): the connection, or %NULL with an %ESC_SQLITE_ERROR
 */
EscSqliteConnection *
esc_sqlite_connection_open (const char  *path,
                            int          flags,
                            GError     **error)
{
  g_autoptr(EscSqliteConnection) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ESC_TYPE_SQLITE_CONNECTION, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->handle, flags, NULL);
  if (rc != SQLITE_OK)
    return (esc_sqlite_set_error (error, self->handle, rc, path), NULL);

  sqlite3_extended_result_codes (self->handle, 1);
  register_handle (self);

  return g_steal_pointer (&self);
}

/**
 * esc_sqlite_connection_for_handle:
 * @handle: a handle
 *
 * Returns: (transfer none) (nullable): the open connection whose handle is
 *   @handle, or %NULL if it was not opened by esc_sqlite_connection_open()
 */
EscSqliteConnection *
esc_sqlite_connection_for_handle (sqlite3 *handle)
{
  EscSqliteConnection *self = NULL;

  g_mutex_lock (&handles_lock);
  if (handles != NULL && handle != NULL)
    self = g_hash_table_lookup (handles, handle);
  g_mutex_unlock (&handles_lock);

  return self;
}

sqlite3 *
esc_sqlite_connection_get_handle (EscSqliteConnection *self)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), NULL);

  return self->handle;
}

const char *
esc_sqlite_connection_get_path (EscSqliteConnection *self)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), NULL);

  return self->path;
}

/* Sets @error from @rc (or, if 0, from the connection's last error). */
gboolean
esc_sqlite_connection_set_error (EscSqliteConnection  *self,
                                 int                   rc,
                                 GError              **error)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  if (rc == SQLITE_OK)
    rc = sqlite3_extended_errcode (self->handle);

  return esc_sqlite_set_error (error, self->handle, rc, self->path);
}

gboolean
esc_sqlite_connection_exec (EscSqliteConnection  *self,
                            const char           *sql,
                            GError              **error)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  return esc_sqlite_exec (self->handle, self->path, sql, error);
}

/**
 * esc_sqlite_connection_prepare:
 * @self: a #EscSqliteConnection
 * @sql: one statement
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the statement (hold it in a
 *   `g_autoptr(sqlite3_stmt)`), or %NULL
 */
sqlite3_stmt *
esc_sqlite_connection_prepare (EscSqliteConnection  *self,
                               const char           *sql,
                               GError              **error)
{
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), NULL);

  esc_sqlite_prepare (self->handle, self->path, sql, &stmt, error);
  return stmt;
}

/**
 * esc_sqlite_connection_prepare_cached:
 * @self: a #EscSqliteConnection
 * @sql: one statement
 * @error: return location for a #GError
 *
 * Like esc_sqlite_connection_prepare(), but the statement is prepared once
 * (as a persistent one) and kept, by its SQL text, for the life of the
 * connection. It is handed out reset, with no bindings: hold it in a
 * `g_autoptr(EscSqliteCachedStmt)` and never finalize it. Not re-entrant:
 * the same SQL cannot be in use twice at once.
 *
 * Returns: (transfer none): the statement, or %NULL
 */
sqlite3_stmt *
esc_sqlite_connection_prepare_cached (EscSqliteConnection  *self,
                                      const char           *sql,
                                      GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      g_return_val_if_fail (!sqlite3_stmt_busy (stmt), NULL);
      /* A holder that did not use the autoptr may have left bindings. */
      esc_sqlite_statement_release (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    return (esc_sqlite_set_error (error, self->handle, rc, self->path), NULL);

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
esc_sqlite_connection_step_done (EscSqliteConnection  *self,
                                 sqlite3_stmt         *stmt,
                                 GError              **error)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  return esc_sqlite_step_done (self->handle, self->path, stmt, error);
}

/* Runs @sql, one statement, once as a statement kept prepared. */
gboolean
esc_sqlite_connection_query_int (EscSqliteConnection  *self,
                                 const char           *sql,
                                 gint64               *value,
                                 GError              **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;

  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  if (!(stmt = esc_sqlite_connection_prepare_cached (self, sql, error)))
    return FALSE;

  return step_int (self->handle, self->path, stmt, value, error);
}

/* Transaction control runs once per write or more: kept prepared too. */
static gboolean
exec_cached (EscSqliteConnection  *self,
             const char           *sql,
             GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = esc_sqlite_connection_prepare_cached (self, sql, error)))
    return FALSE;

  rc = sqlite3_step (stmt);
  /* Reset before anything else: a COMMIT or RELEASE is only finished then. */
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return esc_sqlite_set_error (error, self->handle, rc, self->path);

  return TRUE;
}

static gboolean
exec_savepoint (EscSqliteConnection  *self,
                const char           *verb,
                guint                 depth,
                GError              **error)
{
  char sql[64];

  g_snprintf (sql, sizeof sql, "%s esc_%u", verb, depth);
  return exec_cached (self, sql, error);
}

/**
 * esc_sqlite_connection_begin:
 * @self: a #EscSqliteConnection
 * @error: return location for a #GError
 *
 * Starts a write transaction: BEGIN IMMEDIATE, which takes the write lock
 * at once so that it never fails half-way because another connection
 * started writing; or, inside an open transaction (this connection's or
 * one its owner began with a literal BEGIN), a savepoint. Pair it with
 * esc_sqlite_connection_commit() or esc_sqlite_connection_rollback(), or
 * use esc_sqlite_connection_transaction().
 *
 * Returns: %TRUE on success
 */
gboolean
esc_sqlite_connection_begin (EscSqliteConnection  *self,
                             GError              **error)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  if (self->depth == 0 && sqlite3_get_autocommit (self->handle))
    {
      if (!exec_cached (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->began = TRUE;
    }
  else
    {
      if (!exec_savepoint (self, "SAVEPOINT", self->depth, error))
        return FALSE;
      if (self->depth == 0)
        self->began = FALSE;
    }

  self->depth++;
  return TRUE;
}

/**
 * esc_sqlite_connection_begin_read:
 * @self: a #EscSqliteConnection
 * @error: return location for a #GError
 *
 * Like esc_sqlite_connection_begin(), but the outermost level is a deferred
 * BEGIN, which takes no write lock: the rows as they are at the first read,
 * on a read-only connection too.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_sqlite_connection_begin_read (EscSqliteConnection  *self,
                                  GError              **error)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  if (self->depth != 0 || !sqlite3_get_autocommit (self->handle))
    return esc_sqlite_connection_begin (self, error);

  if (!exec_cached (self, "BEGIN DEFERRED", error))
    return FALSE;
  self->began = TRUE;
  self->depth++;
  return TRUE;
}

/* Whether level @depth is the outermost transaction, begun by BEGIN. */
static gboolean
is_outermost (EscSqliteConnection *self,
              guint                depth)
{
  return depth == 0 && self->began;
}

/**
 * esc_sqlite_connection_commit:
 * @self: a #EscSqliteConnection
 * @error: return location for a #GError
 *
 * Ends the innermost esc_sqlite_connection_begin(): COMMIT, or RELEASE of
 * its savepoint. With none open, commits a transaction begun by a literal
 * BEGIN. On failure the level stays open: roll it back.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_sqlite_connection_commit (EscSqliteConnection  *self,
                              GError              **error)
{
  gboolean ok;

  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);

  if (self->depth == 0)
    return exec_cached (self, "COMMIT", error);

  if (is_outermost (self, self->depth - 1))
    ok = exec_cached (self, "COMMIT", error);
  else
    ok = exec_savepoint (self, "RELEASE", self->depth - 1, error);

  if (!ok)
    return FALSE;

  self->depth--;
  return TRUE;
}

/**
 * esc_sqlite_connection_rollback:
 * @self: a #EscSqliteConnection
 *
 * Undoes what was done since the matching esc_sqlite_connection_begin()
 * (with none open, a transaction begun by a literal BEGIN). Never fails:
 * the caller already has an error to report.
 */
void
esc_sqlite_connection_rollback (EscSqliteConnection *self)
{
  g_return_if_fail (ESC_IS_SQLITE_CONNECTION (self));

  if (self->depth == 0 || is_outermost (self, self->depth - 1))
    {
      self->depth = 0;
      /* SQLite may already have rolled back on its own (SQLITE_FULL, I/O errors). */
      if (!sqlite3_get_autocommit (self->handle))
        exec_cached (self, "ROLLBACK", NULL);
      return;
    }

  self->depth--;

  /* The whole transaction may be gone (an I/O error): nothing to undo then. */
  if (sqlite3_get_autocommit (self->handle))
    return;

  exec_savepoint (self, "ROLLBACK TO", self->depth, NULL);
  exec_savepoint (self, "RELEASE", self->depth, NULL);
}

/* How many esc_sqlite_connection_begin() are open. */
guint
esc_sqlite_connection_get_depth (EscSqliteConnection *self)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), 0);

  return self->depth;
}

/**
 * esc_sqlite_connection_transaction:
 * @self: a #EscSqliteConnection
 * @func: the work, which returns %FALSE with @error set on failure
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * Runs @func inside esc_sqlite_connection_begin(); commits if it succeeds,
 * rolls back if it or the commit fails.
 *
 * Returns: %TRUE if @func succeeded and its work is committed
 */
gboolean
esc_sqlite_connection_transaction (EscSqliteConnection       *self,
                                   EscSqliteTransactionFunc   func,
                                   gpointer                   user_data,
                                   GError                   **error)
{
  g_return_val_if_fail (ESC_IS_SQLITE_CONNECTION (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!esc_sqlite_connection_begin (self, error))
    return FALSE;

  if (!func (self, user_data, error) ||
      !esc_sqlite_connection_commit (self, error))
    {
      esc_sqlite_connection_rollback (self);
      return FALSE;
    }

  return TRUE;
}
