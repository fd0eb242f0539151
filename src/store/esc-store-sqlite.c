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

  /* The connection's message is more precise, if it is about this error. */
  if (db != NULL && sqlite3_extended_errcode (db) == rc)
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

gboolean
esc_store_exec (sqlite3     *db,
                const char  *path,
                const char  *sql,
                GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return esc_store_set_sqlite_error (error, db, rc, path);

  return TRUE;
}

gboolean
esc_store_prepare (sqlite3       *db,
                   const char    *path,
                   const char    *sql,
                   sqlite3_stmt **stmt,
                   GError       **error)
{
  int rc = sqlite3_prepare_v2 (db, sql, -1, stmt, NULL);

  if (rc != SQLITE_OK)
    {
      *stmt = NULL;
      return esc_store_set_sqlite_error (error, db, rc, path);
    }

  return TRUE;
}

gboolean
esc_store_query_int (sqlite3     *db,
                     const char  *path,
                     const char  *sql,
                     gint64      *value,
                     GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!esc_store_prepare (db, path, sql, &stmt, error))
    return FALSE;

  rc = sqlite3_step (stmt);
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

  return esc_store_set_sqlite_error (error, db, rc, path);
}

gboolean
esc_store_step_done (sqlite3       *db,
                     const char    *path,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path);

  return TRUE;
}

gboolean
esc_store_begin (sqlite3     *db,
                 const char  *path,
                 GError     **error)
{
  return esc_store_exec (db, path, "BEGIN IMMEDIATE", error);
}

gboolean
esc_store_commit (sqlite3     *db,
                  const char  *path,
                  GError     **error)
{
  return esc_store_exec (db, path, "COMMIT", error);
}

void
esc_store_rollback (sqlite3 *db)
{
  /* SQLite may already have rolled back on its own (SQLITE_FULL, I/O errors). */
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
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
      sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
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
    sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);

  return ok;
}

void
esc_store_rollback_durable (sqlite3 *db)
{
  esc_store_rollback (db);
  sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
}

gboolean
esc_store_audit (sqlite3     *db,
                 const char  *path,
                 const char  *what,
                 const char  *detail,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = esc_time_format (now);

  if (!esc_store_prepare (db, path,
                          "INSERT INTO local_audit (at, actor, what, detail) "
                          "VALUES (?1, ?2, ?3, ?4)",
                          &stmt, error))
    return FALSE;

  sqlite3_bind_text (stmt, 1, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, g_get_user_name (), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, detail, -1, SQLITE_TRANSIENT);

  return esc_store_step_done (db, path, stmt, error);
}
