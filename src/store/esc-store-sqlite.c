/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-time.h"

/**
 * esc_store_set_sqlite_error:
 * @error: return location for a #GError
 * @db: (nullable): the connection the error happened on
 * @rc: the SQLite result code
 * @path: the workspace file, for the message
 *
 * Turns a SQLite result code into an #ESC_STORE_ERROR a person can act on.
 *
 * Returns: %FALSE, so that callers can `return esc_store_set_sqlite_error (…)`
 */
gboolean
esc_store_set_sqlite_error (GError     **error,
                            sqlite3     *db,
                            int          rc,
                            const char  *path)
{
  const char *detail;

  /* The connection's message is more precise, if it is about this error
   * (@rc may be the primary code of an ESC_SQLITE_ERROR). */
  if (db != NULL && (sqlite3_extended_errcode (db) == rc || sqlite3_errcode (db) == rc))
    detail = sqlite3_errmsg (db);
  else
    detail = sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_IO,
                   _("The disk is full: the workspace “%s” could not be saved. "
                     "Free some space and try again."),
                   path);
      break;

    case SQLITE_IOERR:
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_IO,
                   _("Could not read or write the workspace “%s”: %s."),
                   path, detail);
      break;

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT,
                   _("The file “%s” is not an Escalade workspace or is damaged (%s). "
                     "It has not been changed."),
                   path, detail);
      break;

    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_READ_ONLY,
                   _("The workspace “%s” cannot be opened for writing (%s). "
                     "Check the permissions of the file and of its folder."),
                   path, detail);
      break;

    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("The workspace “%s” is in use by another program (%s). "
                     "Close it and try again."),
                   path, detail);
      break;

    default:
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("Could not use the workspace “%s”: %s."),
                   path, detail);
      break;
    }

  return FALSE;
}

/* The shared helpers (esc-sqlite-connection.h) say ESC_SQLITE_ERROR; the
 * store's callers and tests expect an ESC_STORE_ERROR a person can act on. */
static gboolean
propagate_sqlite_error (GError     **error,
                        sqlite3     *db,
                        const char  *path,
                        GError      *sqlite_error)
{
  int rc = sqlite_error->code;

  g_error_free (sqlite_error);
  return esc_store_set_sqlite_error (error, db, rc, path);
}

gboolean
esc_store_exec (sqlite3     *db,
                const char  *path,
                const char  *sql,
                GError     **error)
{
  GError *local = NULL;

  if (!esc_sqlite_exec (db, path, sql, &local))
    return propagate_sqlite_error (error, db, path, local);

  return TRUE;
}

gboolean
esc_store_prepare (sqlite3       *db,
                   const char    *path,
                   const char    *sql,
                   sqlite3_stmt **stmt,
                   GError       **error)
{
  GError *local = NULL;

  if (!esc_sqlite_prepare (db, path, sql, stmt, &local))
    return propagate_sqlite_error (error, db, path, local);

  return TRUE;
}

gboolean
esc_store_query_int (sqlite3     *db,
                     const char  *path,
                     const char  *sql,
                     gint64      *value,
                     GError     **error)
{
  GError *local = NULL;

  if (!esc_sqlite_query_int (db, path, sql, value, &local))
    return propagate_sqlite_error (error, db, path, local);

  return TRUE;
}

gboolean
esc_store_step_done (sqlite3       *db,
                     const char    *path,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  GError *local = NULL;

  if (!esc_sqlite_step_done (db, path, stmt, &local))
    return propagate_sqlite_error (error, db, path, local);

  return TRUE;
}

/**
 * esc_store_set_connection_error:
 * @error: return location for a #GError
 * @connection: the connection @sqlite_error came from
 * @sqlite_error: (transfer full): an %ESC_SQLITE_ERROR
 *
 * Turns an error of an #EscSqliteConnection into the store's.
 *
 * Returns: %FALSE
 */
gboolean
esc_store_set_connection_error (GError              **error,
                                EscSqliteConnection  *connection,
                                GError               *sqlite_error)
{
  return propagate_sqlite_error (error,
                                 esc_sqlite_connection_get_handle (connection),
                                 esc_sqlite_connection_get_path (connection),
                                 sqlite_error);
}

/**
 * esc_store_log_dropped_error:
 * @error: an error the caller does not pass on
 * @format: what failed, for the log, as a printf() format
 * @...: its arguments
 *
 * For errors the store drops (a reload that keeps the rows it had, a
 * setting read as unset). A failing disk or a damaged or unreadable file
 * is a warning: nobody else will hear of it, and it is what an
 * administrator looks for in the journal. Anything else (a row the code
 * cannot read) stays at debug level. Errors that are passed on to the
 * caller are not logged here: the caller shows them, and logging them as
 * well would turn every refusal the user already sees (a damaged file
 * picked by mistake, a full disk) into a warning.
 */
void
esc_store_log_dropped_error (const GError *error,
                             const char   *format,
                             ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* The messages name the file and give SQLite's words, never row contents. */
  if (error->domain == ESC_STORE_ERROR &&
      (error->code == ESC_STORE_ERROR_IO ||
       error->code == ESC_STORE_ERROR_CORRUPT ||
       error->code == ESC_STORE_ERROR_READ_ONLY))
    g_warning ("%s: %s", what, error->message);
  else
    g_debug ("%s: %s", what, error->message);
}

/* The connection that owns @db: every workspace connection is an
 * EscSqliteConnection, whose statement cache and transactions the helpers
 * below use. */
static EscSqliteConnection *
connection_for (sqlite3     *db,
                const char  *path,
                GError     **error)
{
  EscSqliteConnection *connection = esc_sqlite_connection_for_handle (db);

  if (connection == NULL)
    {
      g_critical ("The workspace connection to %s is not an EscSqliteConnection", path);
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("Could not use the workspace “%s”: %s."), path, "no connection");
    }

  return connection;
}

/**
 * esc_store_prepare_cached:
 * @db: a workspace connection
 * @path: its file, for messages
 * @sql: one statement, a fixed text (the cache is by text)
 * @error: return location for a #GError
 *
 * The statement from the connection's cache, prepared on first use: hold
 * it in a `g_autoptr(EscSqliteCachedStmt)`, never finalize it.
 *
 * Returns: (transfer none) (nullable): the statement, or %NULL with an
 *   #ESC_STORE_ERROR
 */
sqlite3_stmt *
esc_store_prepare_cached (sqlite3     *db,
                          const char  *path,
                          const char  *sql,
                          GError     **error)
{
  EscSqliteConnection *connection = connection_for (db, path, error);
  GError *local = NULL;
  sqlite3_stmt *stmt;

  if (connection == NULL)
    return NULL;

  if (!(stmt = esc_sqlite_connection_prepare_cached (connection, sql, &local)))
    return (propagate_sqlite_error (error, db, path, local), NULL);

  return stmt;
}

/* BEGIN IMMEDIATE (or, inside a transaction, a savepoint), COMMIT and
 * ROLLBACK are the connection's. */
gboolean
esc_store_begin (sqlite3     *db,
                 const char  *path,
                 GError     **error)
{
  EscSqliteConnection *connection = connection_for (db, path, error);
  GError *local = NULL;

  if (connection == NULL)
    return FALSE;

  if (!esc_sqlite_connection_begin (connection, &local))
    return propagate_sqlite_error (error, db, path, local);

  return TRUE;
}

gboolean
esc_store_commit (sqlite3     *db,
                  const char  *path,
                  GError     **error)
{
  EscSqliteConnection *connection = connection_for (db, path, error);
  GError *local = NULL;

  if (connection == NULL)
    return FALSE;

  if (!esc_sqlite_connection_commit (connection, &local))
    return propagate_sqlite_error (error, db, path, local);

  return TRUE;
}

void
esc_store_rollback (sqlite3 *db)
{
  EscSqliteConnection *connection = esc_sqlite_connection_for_handle (db);

  g_return_if_fail (connection != NULL);

  /* SQLite may already have rolled back on its own (SQLITE_FULL, I/O
   * errors): the connection checks. */
  esc_sqlite_connection_rollback (connection);
}

typedef struct
{
  EscStoreTransactionFunc  func;
  gpointer                 user_data;
  sqlite3                 *db;
  const char              *path;
  GError                  *store_error;
} Transaction;

static gboolean
transaction_cb (EscSqliteConnection  *connection,
                gpointer              user_data,
                GError              **error)
{
  Transaction *transaction = user_data;

  if (transaction->func (transaction->db, transaction->path, transaction->user_data,
                         &transaction->store_error))
    return TRUE;

  /* The connection needs an error to roll back on; the caller gets @func's. */
  g_set_error_literal (error, ESC_SQLITE_ERROR, SQLITE_ABORT, "rolled back");
  return FALSE;
}

/**
 * esc_store_transaction:
 * @db: a workspace connection
 * @path: its file, for messages
 * @func: the work, which returns %FALSE with an #ESC_STORE_ERROR on failure
 * @user_data: data for @func
 * @error: return location for a #GError
 *
 * Runs @func in a transaction of the connection's (a savepoint inside an
 * open one): committed if it succeeds, rolled back if it or the commit
 * fails.
 *
 * Returns: %TRUE if @func succeeded and its work is committed
 */
gboolean
esc_store_transaction (sqlite3                  *db,
                       const char               *path,
                       EscStoreTransactionFunc   func,
                       gpointer                  user_data,
                       GError                  **error)
{
  EscSqliteConnection *connection = connection_for (db, path, error);
  Transaction transaction = { func, user_data, db, path, NULL };
  GError *local = NULL;

  if (connection == NULL)
    return FALSE;

  if (esc_sqlite_connection_transaction (connection, transaction_cb, &transaction, &local))
    return TRUE;

  if (transaction.store_error != NULL)
    {
      g_clear_error (&local);
      g_propagate_error (error, transaction.store_error);
      return FALSE;
    }

  return propagate_sqlite_error (error, db, path, local);
}

/* PRAGMA synchronous cannot change inside a transaction: it is set
 * before BEGIN and set back after COMMIT or ROLLBACK. */
gboolean
esc_store_begin_durable (sqlite3     *db,
                         const char  *path,
                         GError     **error)
{
  if (!esc_store_exec (db, path, "PRAGMA synchronous = FULL", error))
    return FALSE;

  if (!esc_store_begin (db, path, error))
    {
      esc_store_exec (db, path, "PRAGMA synchronous = NORMAL", NULL);
      return FALSE;
    }

  return TRUE;
}

gboolean
esc_store_commit_durable (sqlite3     *db,
                          const char  *path,
                          GError     **error)
{
  gboolean ok = esc_store_commit (db, path, error);

  if (ok)
    esc_store_exec (db, path, "PRAGMA synchronous = NORMAL", NULL);

  return ok;
}

void
esc_store_rollback_durable (sqlite3 *db)
{
  EscSqliteConnection *connection = esc_sqlite_connection_for_handle (db);

  esc_store_rollback (db);
  if (connection != NULL)
    esc_sqlite_connection_exec (connection, "PRAGMA synchronous = NORMAL", NULL);
}

gboolean
esc_store_audit (sqlite3     *db,
                 const char  *path,
                 const char  *what,
                 const char  *detail,
                 GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = esc_time_format (now);

  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "INSERT INTO local_audit (at, actor, what, detail) "
                                         "VALUES (?1, ?2, ?3, ?4)",
                                         error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, g_get_user_name (), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_TRANSIENT);

  return esc_store_step_done (db, path, stmt, error);
}

typedef struct
{
  GTaskThreadFunc func;
  gpointer        task_data;  /* the caller's task's, borrowed */
} Work;

static void
work_thread_cb (GTask        *worker,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Work *work = task_data;

  work->func (worker, NULL, work->task_data, cancellable);
}

/* In the caller's context: the caller's task finishes, and is released, here. */
static void
work_done_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, FALSE);
}

/**
 * esc_store_run_in_thread:
 * @task: a task of the caller's thread, its data set
 * @func: the work: it returns a boolean or an error on the task it is
 *   given, and any other result in @task's data, which it is given
 *
 * Like g_task_run_in_thread(), but the worker thread never holds @task.
 * GLib's thread pool drops its reference to a task only after the task's
 * callback has been queued in the caller's context (gtask.c,
 * g_task_thread_pool_thread()), so the last reference to the task, and to
 * its source object, may go in the worker, and late: a workspace would be
 * finalized there, closing its connection in the wrong thread, or not at
 * all if the program exits first (the flaky "possibly lost" pages of
 * SQLite's page cache under valgrind). Here @func runs in a second task
 * with no source object, and @task, kept until then, is returned in the
 * second task's callback, in the caller's context.
 */
void
esc_store_run_in_thread (GTask           *task,
                         GTaskThreadFunc  func)
{
  g_autoptr(GTask) worker = NULL;
  Work *work;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  work = g_new (Work, 1);
  work->func = func;
  work->task_data = g_task_get_task_data (task);

  worker = g_task_new (NULL, g_task_get_cancellable (task), work_done_cb, g_object_ref (task));
  g_task_set_source_tag (worker, esc_store_run_in_thread);
  g_task_set_priority (worker, g_task_get_priority (task));
  g_task_set_task_data (worker, work, g_free);
  g_task_run_in_thread (worker, work_thread_cb);
}
