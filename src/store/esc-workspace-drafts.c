/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-time.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

/* The New Request form's drafts, kept in the workspace until filed or
 * discarded (split from esc-workspace.c). */

/**
 * esc_workspace_save_draft:
 * @self: a #EscWorkspace
 * @account: whose draft
 * @form: which form, e.g. %ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST
 * @json: the draft, a JSON text
 * @error: return location for a #GError
 *
 * Saves (replaces) the draft of @form for @account in one transaction. Meant
 * to be called as the user types: it writes no audit row.
 *
 * Returns: %TRUE on success; on failure the previous draft is kept
 */
gboolean
esc_workspace_save_draft (EscWorkspace  *self,
                          const char    *account,
                          const char    *form,
                          const char    *json,
                          GError       **error)
{
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *saved_at = esc_time_format_usec (now);
  g_autoptr(GError) parse_error = NULL;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (account != NULL && form != NULL && json != NULL, FALSE);

  /* What is saved can always be read back. */
  if (!json_parser_load_from_data (parser, json, -1, &parse_error))
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("The draft could not be saved: it is not valid JSON (%s)."),
                   parse_error->message);
      return FALSE;
    }

  if (!esc_store_begin (db, path, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "INSERT OR REPLACE INTO drafts (account, form, json, saved_at) "
                                         "VALUES (?1, ?2, ?3, ?4)",
                                         error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, saved_at, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (db, path, stmt, error) ||
      !esc_store_commit (db, path, error))
    goto fail;

  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback (db);
  return FALSE;
}

/**
 * esc_workspace_load_draft:
 * @self: a #EscWorkspace
 * @account: whose draft
 * @form: which form
 * @saved_at: (out) (optional) (transfer full) (nullable): when it was saved
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the JSON text of the draft, or %NULL
 *   if there is none (@error unset) or it could not be read (@error set)
 */
char *
esc_workspace_load_draft (EscWorkspace  *self,
                          const char    *account,
                          const char    *form,
                          GDateTime    **saved_at,
                          GError       **error)
{
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (account != NULL && form != NULL, NULL);

  if (saved_at != NULL)
    *saved_at = NULL;

  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "SELECT json, saved_at FROM drafts WHERE account = ?1 AND form = ?2",
                                         error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      esc_store_set_sqlite_error (error, db, rc, path);
      return NULL;
    }

  if (saved_at != NULL && sqlite3_column_text (stmt, 1) != NULL)
    *saved_at = esc_time_parse ((const char *)sqlite3_column_text (stmt, 1));

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

/**
 * esc_workspace_discard_draft:
 * @self: a #EscWorkspace
 * @account: whose draft
 * @form: which form
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success, also when there was no draft
 */
gboolean
esc_workspace_discard_draft (EscWorkspace  *self,
                             const char    *account,
                             const char    *form,
                             GError       **error)
{
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (account != NULL && form != NULL, FALSE);

  if (!esc_store_begin (db, path, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "DELETE FROM drafts WHERE account = ?1 AND form = ?2",
                                         error)))
    goto fail;
  sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, form, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (db, path, stmt, error) ||
      !esc_store_commit (db, path, error))
    goto fail;

  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback (db);
  return FALSE;
}
