/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include "esc-service-error.h"
#include "esc-service-storage.h"

G_DEFINE_INTERFACE (EscServiceStorage, esc_service_storage, G_TYPE_OBJECT)

static void
esc_service_storage_default_init (EscServiceStorageInterface *iface)
{
}

struct _EscServiceRows
{
  guint   n_rows;
  guint   n_columns;
  char  **values;
  gint64  n_changed;
};

gint64
esc_service_rows_get_n_changed (EscServiceRows *rows)
{
  return rows->n_changed;
}

void
esc_service_rows_set_n_changed (EscServiceRows *rows,
                                gint64          n_changed)
{
  rows->n_changed = n_changed;
}

EscServiceRows *
esc_service_rows_new (guint   n_rows,
                      guint   n_columns,
                      char  **values)
{
  EscServiceRows *rows = g_new0 (EscServiceRows, 1);

  rows->n_rows = n_rows;
  rows->n_columns = n_columns;
  rows->values = values;

  return rows;
}

guint
esc_service_rows_get_n_rows (EscServiceRows *rows)
{
  return rows->n_rows;
}

guint
esc_service_rows_get_n_columns (EscServiceRows *rows)
{
  return rows->n_columns;
}

const char *
esc_service_rows_get_text (EscServiceRows *rows,
                           guint           row,
                           guint           column)
{
  g_return_val_if_fail (row < rows->n_rows && column < rows->n_columns, NULL);

  return rows->values[row * rows->n_columns + column];
}

gint64
esc_service_rows_get_int64 (EscServiceRows *rows,
                            guint           row,
                            guint           column)
{
  const char *text = esc_service_rows_get_text (rows, row, column);

  if (text == NULL)
    return 0;
  if (strcmp (text, "t") == 0)
    return 1;
  if (strcmp (text, "f") == 0)
    return 0;

  return g_ascii_strtoll (text, NULL, 10);
}

void
esc_service_rows_free (EscServiceRows *rows)
{
  if (rows == NULL)
    return;

  for (guint i = 0; i < rows->n_rows * rows->n_columns; i++)
    g_free (rows->values[i]);
  g_free (rows->values);
  g_free (rows);
}

void
esc_service_stored_answer_free (EscServiceStoredAnswer *answer)
{
  if (answer == NULL)
    return;

  g_free (answer->location);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}

#define IFACE(storage) ESC_SERVICE_STORAGE_GET_IFACE (storage)

static gboolean
not_supported (EscServiceTxn  *txn,
               const char     *what,
               GError        **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "The %s storage does not implement %s yet",
               esc_service_storage_get_backend (txn->storage) == ESC_SERVICE_STORAGE_SQLITE
                 ? "SQLite" : "PostgreSQL",
               what);
  return FALSE;
}

EscServiceStorageBackend
esc_service_storage_get_backend (EscServiceStorage *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_STORAGE (self), ESC_SERVICE_STORAGE_SQLITE);

  return IFACE (self)->get_backend (self);
}

gboolean
esc_service_storage_check_health (EscServiceStorage       *self,
                                  EscServiceStorageHealth *out_health,
                                  GError                 **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_STORAGE (self), FALSE);
  g_return_val_if_fail (out_health != NULL, FALSE);

  out_health->reachable = FALSE;
  out_health->schema_version = -1;
  out_health->latest_version = -1;

  return IFACE (self)->check_health (self, out_health, error);
}

/**
 * esc_service_storage_begin:
 * @self: a storage
 * @mode: read or write
 * @error: ESC_SERVICE_ERROR_UNAVAILABLE when the database cannot be reached
 *
 * Returns: (transfer full) (nullable): the transaction; end it with
 *   esc_service_txn_commit() or esc_service_txn_rollback()
 */
EscServiceTxn *
esc_service_storage_begin (EscServiceStorage  *self,
                           EscServiceTxnMode   mode,
                           GError            **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_STORAGE (self), NULL);

  return IFACE (self)->begin (self, mode, error);
}

gboolean
esc_service_txn_commit (EscServiceTxn  *txn,
                        GError        **error)
{
  g_return_val_if_fail (txn != NULL, FALSE);

  return IFACE (txn->storage)->commit (txn, error);
}

void
esc_service_txn_rollback (EscServiceTxn *txn)
{
  if (txn == NULL)
    return;

  IFACE (txn->storage)->rollback (txn);
}

EscServiceRows *
esc_service_txn_query (EscServiceTxn       *txn,
                       const char          *sql,
                       const char * const  *params,
                       guint                n_params,
                       GError             **error)
{
  g_return_val_if_fail (txn != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  return IFACE (txn->storage)->query (txn, sql, params, n_params, error);
}

gboolean
esc_service_txn_query_later (EscServiceTxn       *txn,
                             const char          *sql,
                             const char * const  *params,
                             guint                n_params,
                             GError             **error)
{
  g_autoptr(EscServiceRows) rows = NULL;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  if (IFACE (txn->storage)->query_later != NULL)
    return IFACE (txn->storage)->query_later (txn, sql, params, n_params, error);

  rows = IFACE (txn->storage)->query (txn, sql, params, n_params, error);
  return rows != NULL;
}

gint64
esc_service_txn_next_number (EscServiceTxn      *txn,
                             EscServiceCounter   counter,
                             GError            **error)
{
  g_return_val_if_fail (txn != NULL, 0);

  if (IFACE (txn->storage)->next_number == NULL)
    {
      not_supported (txn, "request numbers", error);
      return 0;
    }

  return IFACE (txn->storage)->next_number (txn, counter, error);
}

EscServiceIdempotency
esc_service_txn_claim_idempotency (EscServiceTxn           *txn,
                                   gint64                   person_id,
                                   const char              *key,
                                   const char              *request_hash,
                                   const char              *created_at,
                                   EscServiceStoredAnswer **out_answer,
                                   GError                 **error)
{
  g_return_val_if_fail (txn != NULL && key != NULL && request_hash != NULL, ESC_SERVICE_IDEMPOTENCY_NEW);
  g_return_val_if_fail (out_answer != NULL && *out_answer == NULL, ESC_SERVICE_IDEMPOTENCY_NEW);

  if (IFACE (txn->storage)->claim_idempotency == NULL)
    {
      not_supported (txn, "idempotency keys", error);
      return ESC_SERVICE_IDEMPOTENCY_NEW;
    }

  return IFACE (txn->storage)->claim_idempotency (txn, person_id, key, request_hash, created_at,
                                                  out_answer, error);
}

gboolean
esc_service_txn_store_answer (EscServiceTxn  *txn,
                              gint64          person_id,
                              const char     *key,
                              guint           status,
                              const char     *location,
                              GBytes         *body,
                              GError        **error)
{
  g_return_val_if_fail (txn != NULL && key != NULL && body != NULL, FALSE);

  if (IFACE (txn->storage)->store_answer == NULL)
    return not_supported (txn, "idempotency keys", error);

  return IFACE (txn->storage)->store_answer (txn, person_id, key, status, location, body, error);
}

gboolean
esc_service_txn_lock_audit_head (EscServiceTxn  *txn,
                                 gint64         *out_last_id,
                                 char          **out_hash,
                                 GError        **error)
{
  g_return_val_if_fail (txn != NULL && out_last_id != NULL && out_hash != NULL, FALSE);

  if (IFACE (txn->storage)->lock_audit_head == NULL)
    return not_supported (txn, "the audit head's lock", error);

  return IFACE (txn->storage)->lock_audit_head (txn, out_last_id, out_hash, error);
}

gboolean
esc_service_txn_try_lead (EscServiceTxn  *txn,
                          const char     *job,
                          gboolean       *out_leader,
                          GError        **error)
{
  g_return_val_if_fail (txn != NULL && job != NULL && out_leader != NULL, FALSE);

  *out_leader = FALSE;
  if (IFACE (txn->storage)->try_lead == NULL)
    return not_supported (txn, "timed jobs' leader lock", error);

  return IFACE (txn->storage)->try_lead (txn, job, out_leader, error);
}

gboolean
esc_service_storage_error_is_unavailable (const GError *error)
{
  return g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE);
}
