/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The service's storage seam (issue 13): what the handlers need from a
 * database, with two implementations, SQLite (one file, one node; the
 * default) and PostgreSQL (several stateless nodes on one database).
 *
 * What the handlers do today, and where each need lands here:
 *
 * - Every change runs in one transaction that also stores the answer under
 *   the request's Idempotency-Key (esc_service_context_begin() and
 *   _commit_json() in esc-service-http.c): esc_service_storage_begin(),
 *   _claim_idempotency(), _store_answer(), esc_service_txn_commit().
 *   On SQLite, writes are serialized by the file's lock and grouped into one
 *   commit (ESC_SERVICE_ROUTE_GROUP_COMMIT); on PostgreSQL each request has
 *   its own transaction on a pooled connection, READ COMMITTED.
 * - An Idempotency-Key repeated on another node, even at the same moment,
 *   creates nothing new: the claim inserts the key first, so a concurrent
 *   claim of the same key waits for the first transaction, then replays its
 *   answer (or, if it rolled back, goes ahead itself).
 * - Request numbers (SR-000123) come from esc_service_txn_next_number():
 *   unique across nodes, gap-tolerant (a rolled-back request leaves a gap).
 * - The audit chain stays one chain: esc_service_txn_lock_audit_head() reads
 *   the newest id and hash and holds them locked until the transaction ends,
 *   so appenders on every node take turns.
 * - Timed jobs (password rotation, the 48-hour close, the 90-day purge, the
 *   idempotency keys' purge) run on one node at a time: each run takes
 *   esc_service_txn_try_lead() for its job inside its transaction and skips
 *   the run if another node holds it. A device password still rotates once
 *   per interval because the rotation's UPDATE is conditional on the stored
 *   rotates_at (whichever node gets there first does it; the other sees the
 *   new row).
 * - Statements: SQL with $1…$n parameters, passed as text (NULL for SQL
 *   NULL), which both SQLite and PostgreSQL accept; results are copied into
 *   an EscServiceRows. Keep SQL to what both dialects share, or ask
 *   esc_service_storage_get_backend().
 * - Health (GET /v1/health): esc_service_storage_check_health().
 *
 * Errors: a database that cannot be reached now (restarting, connection
 * lost, every pooled connection busy past the wait) fails with
 * ESC_SERVICE_ERROR_UNAVAILABLE; the transaction was not committed (or,
 * when the connection died during COMMIT, its outcome is unknown, which the
 * Idempotency-Key makes safe to retry). The HTTP layer answers it with 503
 * and Retry-After; never a half write, as every change is one transaction.
 *
 * Today both sides implement all of this (esc-service-pg.h,
 * esc-service-sqlite-storage.h), and test-service-storage runs the same
 * checks on both; the handlers still use EscServiceDb directly (moving them
 * onto this seam is the next step of issue 13). */

#define ESC_TYPE_SERVICE_STORAGE (esc_service_storage_get_type ())

G_DECLARE_INTERFACE (EscServiceStorage, esc_service_storage, ESC, SERVICE_STORAGE, GObject)

typedef enum
{
  ESC_SERVICE_STORAGE_SQLITE,
  ESC_SERVICE_STORAGE_POSTGRESQL,
} EscServiceStorageBackend;

typedef enum
{
  ESC_SERVICE_TXN_READ,   /* a consistent read, no change */
  ESC_SERVICE_TXN_WRITE,
} EscServiceTxnMode;

/* The counters behind public numbers. */
typedef enum
{
  ESC_SERVICE_COUNTER_SUPPORT_REQUEST,    /* SR-000123 */
  ESC_SERVICE_COUNTER_ELEVATION_REQUEST,  /* ER-000123 */
  ESC_SERVICE_COUNTER_SLA_AGREEMENT,
} EscServiceCounter;

typedef enum
{
  ESC_SERVICE_IDEMPOTENCY_NEW,       /* first use: go ahead, then _store_answer() */
  ESC_SERVICE_IDEMPOTENCY_REPLAY,    /* answered before: send the stored answer */
  ESC_SERVICE_IDEMPOTENCY_MISMATCH,  /* the key was used for another request: 422 */
} EscServiceIdempotency;

/* GET /v1/health's facts. */
typedef struct
{
  gboolean reachable;        /* the database answered */
  int      schema_version;   /* its schema version, or -1 if unreachable */
  int      latest_version;   /* the version this build wants */
} EscServiceStorageHealth;

/* A stored answer to a POST with an Idempotency-Key. */
typedef struct
{
  guint   status;
  char   *location;   /* nullable */
  GBytes *body;
} EscServiceStoredAnswer;

void esc_service_stored_answer_free (EscServiceStoredAnswer *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceStoredAnswer, esc_service_stored_answer_free)

/* A statement's result, copied: row-major text values, NULL for SQL NULL. */
typedef struct _EscServiceRows EscServiceRows;

guint          esc_service_rows_get_n_rows    (EscServiceRows *rows);
guint          esc_service_rows_get_n_columns (EscServiceRows *rows);
/* (nullable): borrowed */
const char    *esc_service_rows_get_text      (EscServiceRows *rows,
                                               guint           row,
                                               guint           column);
/* 0 for NULL; "t"/"f" (a PostgreSQL boolean) read as 1/0 */
gint64         esc_service_rows_get_int64     (EscServiceRows *rows,
                                               guint           row,
                                               guint           column);
/* The rows an INSERT, UPDATE or DELETE changed */
gint64         esc_service_rows_get_n_changed (EscServiceRows *rows);
void           esc_service_rows_set_n_changed (EscServiceRows *rows,
                                               gint64          n_changed);
void           esc_service_rows_free          (EscServiceRows *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceRows, esc_service_rows_free)

/* For the implementations: a result of @n_rows × @n_columns; @values
 * (transfer full) holds n_rows × n_columns strings, row-major. */
EscServiceRows *esc_service_rows_new          (guint           n_rows,
                                               guint           n_columns,
                                               char          **values);

/* One unit of work on one connection. Implementations embed it first in
 * their own structure. Ended by exactly one of commit or rollback. */
typedef struct
{
  EscServiceStorage *storage;
  EscServiceTxnMode  mode;
} EscServiceTxn;

struct _EscServiceStorageInterface
{
  GTypeInterface parent_iface;

  EscServiceStorageBackend (*get_backend)   (EscServiceStorage        *self);
  gboolean        (*check_health)           (EscServiceStorage        *self,
                                             EscServiceStorageHealth  *out_health,
                                             GError                  **error);
  EscServiceTxn  *(*begin)                  (EscServiceStorage        *self,
                                             EscServiceTxnMode         mode,
                                             GError                  **error);
  gboolean        (*commit)                 (EscServiceTxn            *txn,
                                             GError                  **error);
  void            (*rollback)               (EscServiceTxn            *txn);
  EscServiceRows *(*query)                  (EscServiceTxn            *txn,
                                             const char               *sql,
                                             const char * const       *params,
                                             guint                     n_params,
                                             GError                  **error);
  /* Optional: NULL runs it now, with query */
  gboolean        (*query_later)            (EscServiceTxn            *txn,
                                             const char               *sql,
                                             const char * const       *params,
                                             guint                     n_params,
                                             GError                  **error);
  /* Optional below: NULL answers G_IO_ERROR_NOT_SUPPORTED */
  gint64          (*next_number)            (EscServiceTxn            *txn,
                                             EscServiceCounter         counter,
                                             GError                  **error);
  EscServiceIdempotency (*claim_idempotency) (EscServiceTxn           *txn,
                                             gint64                    person_id,
                                             const char               *key,
                                             const char               *request_hash,
                                             const char               *created_at,
                                             EscServiceStoredAnswer  **out_answer,
                                             GError                  **error);
  gboolean        (*store_answer)           (EscServiceTxn            *txn,
                                             gint64                    person_id,
                                             const char               *key,
                                             guint                     status,
                                             const char               *location,
                                             GBytes                   *body,
                                             GError                  **error);
  gboolean        (*lock_audit_head)        (EscServiceTxn            *txn,
                                             gint64                   *out_last_id,
                                             char                    **out_hash,
                                             GError                  **error);
  gboolean        (*try_lead)               (EscServiceTxn            *txn,
                                             const char               *job,
                                             gboolean                 *out_leader,
                                             GError                  **error);
};

EscServiceStorageBackend esc_service_storage_get_backend (EscServiceStorage       *self);
/* FALSE with an error only if the check itself could not run; an
 * unreachable database is @out_health->reachable = FALSE. */
gboolean        esc_service_storage_check_health (EscServiceStorage       *self,
                                                  EscServiceStorageHealth *out_health,
                                                  GError                 **error);
EscServiceTxn  *esc_service_storage_begin        (EscServiceStorage       *self,
                                                  EscServiceTxnMode        mode,
                                                  GError                 **error);

gboolean        esc_service_txn_commit           (EscServiceTxn           *txn,
                                                  GError                 **error);
void            esc_service_txn_rollback         (EscServiceTxn           *txn);
/* Runs @sql with @params ($1 is params[0]); a statement without a result
 * returns an empty EscServiceRows. */
EscServiceRows *esc_service_txn_query            (EscServiceTxn           *txn,
                                                  const char              *sql,
                                                  const char * const      *params,
                                                  guint                    n_params,
                                                  GError                 **error);
/* Runs @sql for its effect alone: it may only be sent, to run with the
 * next statement that waits for a result (PostgreSQL's pipeline), in one
 * round trip. If it then fails, so do that statement, all the others after
 * it and the commit: the whole transaction. */
gboolean        esc_service_txn_query_later      (EscServiceTxn           *txn,
                                                  const char              *sql,
                                                  const char * const      *params,
                                                  guint                    n_params,
                                                  GError                 **error);
/* The next number of @counter (unique across nodes; gaps allowed). */
gint64          esc_service_txn_next_number      (EscServiceTxn           *txn,
                                                  EscServiceCounter        counter,
                                                  GError                 **error);
/* Claims @key for @person_id's request @request_hash (the hash of its
 * method, path and body). May wait for another transaction holding the same
 * key. On REPLAY, @out_answer is the first answer. */
EscServiceIdempotency esc_service_txn_claim_idempotency (EscServiceTxn    *txn,
                                                  gint64                   person_id,
                                                  const char              *key,
                                                  const char              *request_hash,
                                                  const char              *created_at,
                                                  EscServiceStoredAnswer **out_answer,
                                                  GError                 **error);
/* The answer to the request that claimed @key, in the same transaction. */
gboolean        esc_service_txn_store_answer     (EscServiceTxn           *txn,
                                                  gint64                   person_id,
                                                  const char              *key,
                                                  guint                    status,
                                                  const char              *location,
                                                  GBytes                  *body,
                                                  GError                 **error);
/* The audit chain's newest id and hash, locked until @txn ends: append the
 * next event (id + 1) and update audit_head before committing. */
gboolean        esc_service_txn_lock_audit_head  (EscServiceTxn           *txn,
                                                  gint64                  *out_last_id,
                                                  char                   **out_hash,
                                                  GError                 **error);
/* Whether this transaction may run timed job @job ("password-rotation"):
 * TRUE for one transaction across every node at a time, until it ends. */
gboolean        esc_service_txn_try_lead         (EscServiceTxn           *txn,
                                                  const char              *job,
                                                  gboolean                *out_leader,
                                                  GError                  **error);

/* Whether @error means "the database cannot be reached now, try again" */
gboolean        esc_service_storage_error_is_unavailable (const GError   *error);

G_END_DECLS
