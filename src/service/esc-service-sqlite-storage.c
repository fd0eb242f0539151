/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <sqlite3.h>

#include "esc-service-error.h"
#include "esc-service-private.h"
#include "esc-service-sqlite-storage.h"

/* The SQLite side of the storage seam, over the service's EscServiceDb: one
 * connection, its transactions (savepoints inside a group commit's batch),
 * statements with $1…$n parameters bound by name. One node writes at a time
 * (the file's write lock, taken by BEGIN IMMEDIATE), so the claims, numbers
 * and locks below need no more than that. The handlers still use
 * EscServiceDb directly until they move onto the seam. */

struct _EscServiceSqliteStorage
{
  GObject       parent_instance;

  EscServiceDb *db;
};

typedef struct
{
  EscServiceTxn base;
} SqliteTxn;

/* This side works on the EscServiceDb's own SQLite connection. */
static sqlite3 *
handle_of (EscServiceSqliteStorage *self)
{
  return esc_sqlite_connection_get_handle (esc_service_db_get_sqlite (self->db));
}

/* The connection's errors as the service's */
static sqlite3_stmt *
as_service_error (GError **error,
                  GError  *local)
{
  g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE, local->message);
  g_error_free (local);
  return NULL;
}

static sqlite3_stmt *
prepare (EscServiceSqliteStorage  *self,
         const char               *sql,
         GError                  **error)
{
  sqlite3_stmt *stmt = NULL;
  GError *local = NULL;

  if (!esc_sqlite_prepare (handle_of (self), esc_service_db_get_path (self->db), sql, &stmt, &local))
    return as_service_error (error, local);

  return stmt;
}

static sqlite3_stmt *
prepare_cached (EscServiceSqliteStorage  *self,
                const char               *sql,
                GError                  **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = esc_sqlite_connection_prepare_cached (esc_service_db_get_sqlite (self->db), sql, &local);

  if (stmt == NULL && local != NULL)
    return as_service_error (error, local);

  return stmt;
}

static gboolean
step_done (EscServiceSqliteStorage  *self,
           sqlite3_stmt             *stmt,
           GError                  **error)
{
  GError *local = NULL;

  if (!esc_sqlite_step_done (handle_of (self), esc_service_db_get_path (self->db), stmt, &local))
    {
      as_service_error (error, local);
      return FALSE;
    }

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void esc_service_sqlite_storage_iface_init (EscServiceStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscServiceSqliteStorage, esc_service_sqlite_storage, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ESC_TYPE_SERVICE_STORAGE,
                                                      esc_service_sqlite_storage_iface_init))

static void
esc_service_sqlite_storage_finalize (GObject *object)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (object);

  g_clear_object (&self->db);

  G_OBJECT_CLASS (esc_service_sqlite_storage_parent_class)->finalize (object);
}

static void
esc_service_sqlite_storage_class_init (EscServiceSqliteStorageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_service_sqlite_storage_finalize;
}

static void
esc_service_sqlite_storage_init (EscServiceSqliteStorage *self)
{
}

/**
 * esc_service_sqlite_storage_new:
 * @db: the service's open database
 *
 * Returns: (transfer full): the storage over @db
 */
EscServiceSqliteStorage *
esc_service_sqlite_storage_new (EscServiceDb *db)
{
  EscServiceSqliteStorage *self;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  self = g_object_new (ESC_TYPE_SERVICE_SQLITE_STORAGE, NULL);
  self->db = g_object_ref (db);

  return self;
}

EscServiceDb *
esc_service_sqlite_storage_get_db (EscServiceSqliteStorage *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SQLITE_STORAGE (self), NULL);

  return self->db;
}

static EscServiceStorageBackend
sqlite_get_backend (EscServiceStorage *storage)
{
  return ESC_SERVICE_STORAGE_SQLITE;
}

static gboolean
sqlite_check_health (EscServiceStorage        *storage,
                     EscServiceStorageHealth  *out_health,
                     GError                  **error)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (storage);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  out_health->latest_version = esc_service_db_get_latest_schema_version ();

  /* Reads the file (not a cached value): a file that became unreadable or
   * corrupt answers an error here */
  if (!(stmt = prepare (self, "PRAGMA user_version", &local_error)))
    {
      g_debug ("health: %s", local_error != NULL ? local_error->message : "no statement");
      return TRUE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out_health->schema_version = sqlite3_column_int (stmt, 0);
      out_health->reachable = TRUE;
    }
  else
    g_debug ("health: %s", sqlite3_errmsg (handle_of (self)));
  sqlite3_finalize (stmt);

  return TRUE;
}

static EscServiceTxn *
sqlite_begin (EscServiceStorage  *storage,
              EscServiceTxnMode   mode,
              GError            **error)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (storage);
  SqliteTxn *txn;

  if (mode == ESC_SERVICE_TXN_READ ? !esc_service_db_begin_read (self->db, error)
                                   : !esc_service_db_begin (self->db, error))
    return NULL;

  txn = g_new0 (SqliteTxn, 1);
  txn->base.storage = g_object_ref (storage);
  txn->base.mode = mode;

  return &txn->base;
}

static void
sqlite_txn_free (SqliteTxn *txn)
{
  g_object_unref (txn->base.storage);
  g_free (txn);
}

static gboolean
sqlite_commit (EscServiceTxn  *base,
               GError        **error)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (base->storage);
  gboolean ok = TRUE;

  if (base->mode == ESC_SERVICE_TXN_READ)
    esc_service_db_end_read (self->db);
  else
    ok = esc_service_db_commit (self->db, error);
  sqlite_txn_free ((SqliteTxn *)base);

  return ok;
}

static void
sqlite_rollback (EscServiceTxn *base)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (base->storage);

  if (base->mode == ESC_SERVICE_TXN_READ)
    esc_service_db_end_read (self->db);
  else
    esc_service_db_rollback (self->db);
  sqlite_txn_free ((SqliteTxn *)base);
}

static EscServiceRows *
sqlite_query (EscServiceTxn       *base,
              const char          *sql,
              const char * const  *params,
              guint                n_params,
              GError             **error)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (base->storage);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  guint n_columns;
  guint n_rows = 0;
  int rc;

  if (!(stmt = prepare_cached (self, sql, error)))
    return NULL;

  /* "$1" is a named parameter to SQLite: bound by its name, in any order */
  for (guint i = 0; i < n_params; i++)
    {
      g_autofree char *name = g_strdup_printf ("$%u", i + 1);
      int index = sqlite3_bind_parameter_index (stmt, name);

      if (index == 0)
        continue;
      bind_text (stmt, index, params[i]);
    }

  n_columns = (guint)sqlite3_column_count (stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (values, sqlite3_column_type (stmt, (int)c) == SQLITE_NULL
                                   ? NULL
                                   : g_strdup ((const char *)sqlite3_column_text (stmt, (int)c)));
      n_rows++;
    }
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_set_free_func (values, g_free);
      esc_service_db_set_error (self->db, error);
      return NULL;
    }

  if (n_rows == 0)
    n_columns = 0;
  g_ptr_array_add (values, NULL);

  return esc_service_rows_new (n_rows, n_columns, (char **)g_ptr_array_free (g_steal_pointer (&values), FALSE));
}

static gint64
sqlite_next_number (EscServiceTxn      *base,
                    EscServiceCounter   counter,
                    GError            **error)
{
  /* The elevation requests' AUTOINCREMENT never gives a purged id again:
   * its sqlite_sequence row remembers the largest ever given */
  static const char * const sql[] = {
    [ESC_SERVICE_COUNTER_SUPPORT_REQUEST] =
      "SELECT coalesce (max (seq), 0) + 1 FROM support_requests",
    [ESC_SERVICE_COUNTER_ELEVATION_REQUEST] =
      "SELECT max (coalesce ((SELECT seq FROM sqlite_sequence WHERE name = 'elevation_requests'), 0), coalesce ((SELECT max (id) FROM elevation_requests), 0)) + 1",
    [ESC_SERVICE_COUNTER_SLA_AGREEMENT] =
      "SELECT coalesce (max (seq), 0) + 1 FROM sla_agreements",
  };
  g_autoptr(EscServiceRows) rows = NULL;

  g_return_val_if_fail ((guint)counter < G_N_ELEMENTS (sql), 0);

  if (!(rows = sqlite_query (base, sql[counter], NULL, 0, error)))
    return 0;

  return esc_service_rows_get_int64 (rows, 0, 0);
}

static EscServiceIdempotency
sqlite_claim_idempotency (EscServiceTxn           *base,
                          gint64                   person_id,
                          const char              *key,
                          const char              *request_hash,
                          const char              *created_at,
                          EscServiceStoredAnswer **out_answer,
                          GError                 **error)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (base->storage);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  EscServiceStoredAnswer *answer;
  int rc;

  if (!(stmt = prepare_cached (self,
                                              "SELECT request_hash, status, location, body"
                                              " FROM idempotency_keys WHERE person_id = ?1 AND key = ?2",
                                              error)))
    return ESC_SERVICE_IDEMPOTENCY_NEW;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_clear_pointer (&stmt, esc_sqlite_statement_release);
      if (!(stmt = prepare_cached (self,
                                                  "INSERT INTO idempotency_keys"
                                                  " (person_id, key, request_hash, status, location, body, created_at)"
                                                  " VALUES (?1, ?2, ?3, 0, NULL, x'', ?4)",
                                                  error)))
        return ESC_SERVICE_IDEMPOTENCY_NEW;
      sqlite3_bind_int64 (stmt, 1, person_id);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, request_hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, created_at, -1, SQLITE_TRANSIENT);
      step_done (self, stmt, error);
      return ESC_SERVICE_IDEMPOTENCY_NEW;
    }
  if (rc != SQLITE_ROW)
    {
      esc_service_db_set_error (self->db, error);
      return ESC_SERVICE_IDEMPOTENCY_NEW;
    }

  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), request_hash) != 0)
    return ESC_SERVICE_IDEMPOTENCY_MISMATCH;

  answer = g_new0 (EscServiceStoredAnswer, 1);
  answer->status = (guint)sqlite3_column_int (stmt, 1);
  answer->location = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  answer->body = g_bytes_new (sqlite3_column_blob (stmt, 3), (gsize)sqlite3_column_bytes (stmt, 3));
  *out_answer = answer;

  return ESC_SERVICE_IDEMPOTENCY_REPLAY;
}

static gboolean
sqlite_store_answer (EscServiceTxn  *base,
                     gint64          person_id,
                     const char     *key,
                     guint           status,
                     const char     *location,
                     GBytes         *body,
                     GError        **error)
{
  EscServiceSqliteStorage *self = ESC_SERVICE_SQLITE_STORAGE (base->storage);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (body, &length);

  if (!(stmt = prepare_cached (self,
                                              "UPDATE idempotency_keys SET status = ?3, location = ?4, body = ?5"
                                              " WHERE person_id = ?1 AND key = ?2",
                                              error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int)status);
  bind_text (stmt, 4, location);
  sqlite3_bind_blob64 (stmt, 5, data != NULL ? data : (const guint8 *)"", length, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (handle_of (self)) != 1)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                   "The Idempotency-Key “%s” was not claimed in this transaction", key);
      return FALSE;
    }

  return TRUE;
}

static gboolean
sqlite_lock_audit_head (EscServiceTxn  *base,
                        gint64         *out_last_id,
                        char          **out_hash,
                        GError        **error)
{
  g_autoptr(EscServiceRows) rows = NULL;

  /* The write transaction holds the file's lock already */
  if (base->mode != ESC_SERVICE_TXN_WRITE)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                           "The audit head is locked in a write transaction only");
      return FALSE;
    }
  if (!(rows = sqlite_query (base, "SELECT last_id, hash FROM audit_head WHERE one = 1", NULL, 0, error)))
    return FALSE;
  if (esc_service_rows_get_n_rows (rows) != 1)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                           "The audit log has no head row");
      return FALSE;
    }

  *out_last_id = esc_service_rows_get_int64 (rows, 0, 0);
  *out_hash = g_strdup (esc_service_rows_get_text (rows, 0, 1));

  return TRUE;
}

static gboolean
sqlite_try_lead (EscServiceTxn  *base,
                 const char     *job,
                 gboolean       *out_leader,
                 GError        **error)
{
  /* One node: it always leads */
  *out_leader = TRUE;

  return TRUE;
}

static void
esc_service_sqlite_storage_iface_init (EscServiceStorageInterface *iface)
{
  iface->get_backend = sqlite_get_backend;
  iface->check_health = sqlite_check_health;
  iface->begin = sqlite_begin;
  iface->commit = sqlite_commit;
  iface->rollback = sqlite_rollback;
  iface->query = sqlite_query;
  iface->next_number = sqlite_next_number;
  iface->claim_idempotency = sqlite_claim_idempotency;
  iface->store_answer = sqlite_store_answer;
  iface->lock_audit_head = sqlite_lock_audit_head;
  iface->try_lead = sqlite_try_lead;
}
