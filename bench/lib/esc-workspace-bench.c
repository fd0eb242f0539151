/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-store-private.h"
#include "esc-workspace-bench.h"
#include "esc-workspace-private.h"

struct _EscWorkspaceBulk
{
  EscWorkspace *workspace;
  sqlite3      *db;
  const char   *path;
  char         *service;
  char         *synced_at;
  sqlite3_stmt *insert_request;
  sqlite3_stmt *insert_event;
  sqlite3_stmt *insert_staff;
  sqlite3_stmt *insert_audit;
  gboolean      in_transaction;
};

/**
 * esc_workspace_bulk_new:
 * @workspace: an open workspace
 * @service: the service base URL the mirrored rows belong to
 * @error: return location for a #GError
 *
 * Starts one write transaction on @workspace. Rows added then are committed
 * with esc_workspace_bulk_commit(); freeing the writer before that rolls
 * everything back.
 *
 * Returns: (transfer full): the writer, or %NULL (the workspace lacks the
 *   mirror tables, or is locked)
 */
EscWorkspaceBulk *
esc_workspace_bulk_new (EscWorkspace  *workspace,
                        const char    *service,
                        GError       **error)
{
  g_autoptr(EscWorkspaceBulk) self = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (service != NULL, NULL);

  self = g_new0 (EscWorkspaceBulk, 1);
  self->workspace = g_object_ref (workspace);
  self->db = esc_workspace_get_connection (workspace);
  self->path = esc_workspace_get_path (workspace);
  self->service = g_strdup (service);
  self->synced_at = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

  if (!esc_store_begin (self->db, self->path, error))
    return NULL;
  self->in_transaction = TRUE;

  if (!esc_store_prepare (self->db, self->path,
                          "INSERT OR REPLACE INTO mirror_support_requests "
                          "(service, id, kind, type, severity, state, title, filed_by, "
                          " created_at, updated_at, response_due_at, json, synced_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                          &self->insert_request, error) ||
      !esc_store_prepare (self->db, self->path,
                          "INSERT OR REPLACE INTO mirror_timeline_events "
                          "(service, request_id, id, at, kind, json) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &self->insert_event, error) ||
      !esc_store_prepare (self->db, self->path,
                          "INSERT OR REPLACE INTO mirror_staff "
                          "(service, id, name, email, json, synced_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                          &self->insert_staff, error) ||
      !esc_store_prepare (self->db, self->path,
                          "INSERT OR REPLACE INTO mirror_audit_events "
                          "(service, id, at, action, actor, target, remote_address, json) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                          &self->insert_audit, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
esc_workspace_bulk_add_support_request (EscWorkspaceBulk               *self,
                                        const EscWorkspaceBulkRequest  *request,
                                        GError                        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL && self->in_transaction, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  stmt = self->insert_request;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, request->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, request->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, request->type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, request->severity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, request->state, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, request->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, request->filed_by, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, request->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, request->updated_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, request->response_due_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, request->json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 13, self->synced_at, -1, SQLITE_STATIC);

  return esc_store_step_done (self->db, self->path, stmt, error);
}

gboolean
esc_workspace_bulk_add_timeline_event (EscWorkspaceBulk             *self,
                                       const EscWorkspaceBulkEvent  *event,
                                       GError                      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL && self->in_transaction, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  stmt = self->insert_event;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, event->request_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, event->id);
  sqlite3_bind_text (stmt, 4, event->at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, event->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, event->json, -1, SQLITE_STATIC);

  return esc_store_step_done (self->db, self->path, stmt, error);
}

gboolean
esc_workspace_bulk_add_staff (EscWorkspaceBulk             *self,
                              const EscWorkspaceBulkStaff  *staff,
                              GError                      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL && self->in_transaction, FALSE);
  g_return_val_if_fail (staff != NULL, FALSE);

  stmt = self->insert_staff;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, staff->id);
  sqlite3_bind_text (stmt, 3, staff->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, staff->email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, staff->json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, self->synced_at, -1, SQLITE_STATIC);

  return esc_store_step_done (self->db, self->path, stmt, error);
}

gboolean
esc_workspace_bulk_add_audit_event (EscWorkspaceBulk                  *self,
                                    const EscWorkspaceBulkAuditEvent  *event,
                                    GError                           **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL && self->in_transaction, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  stmt = self->insert_audit;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, event->id);
  sqlite3_bind_text (stmt, 3, event->at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, event->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, event->actor, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, event->target, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, event->remote_address, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, event->json, -1, SQLITE_STATIC);

  return esc_store_step_done (self->db, self->path, stmt, error);
}

/**
 * esc_workspace_bulk_commit:
 * @self: a #EscWorkspaceBulk
 * @error: return location for a #GError
 *
 * Commits every row added, with one local_audit row saying how they came.
 *
 * Returns: %TRUE on success; on failure nothing was written
 */
gboolean
esc_workspace_bulk_commit (EscWorkspaceBulk  *self,
                           GError           **error)
{
  g_return_val_if_fail (self != NULL && self->in_transaction, FALSE);

  if (!esc_store_audit (self->db, self->path, "bulk-import", self->service, error) ||
      !esc_store_commit (self->db, self->path, error))
    {
      esc_store_rollback (self->db);
      self->in_transaction = FALSE;
      return FALSE;
    }

  self->in_transaction = FALSE;
  return TRUE;
}

void
esc_workspace_bulk_free (EscWorkspaceBulk *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->insert_request, sqlite3_finalize);
  g_clear_pointer (&self->insert_event, sqlite3_finalize);
  g_clear_pointer (&self->insert_staff, sqlite3_finalize);
  g_clear_pointer (&self->insert_audit, sqlite3_finalize);
  if (self->in_transaction)
    esc_store_rollback (self->db);
  g_clear_object (&self->workspace);
  g_free (self->service);
  g_free (self->synced_at);
  g_free (self);
}
