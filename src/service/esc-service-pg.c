/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libpq-fe.h>

#include "esc-service-error.h"
#include "esc-service-pg.h"

/* The timed jobs' advisory locks: (JOB_LOCK_CLASS, hashtext (job)); the
 * class is "ESCB" in ASCII, written in decimal for PostgreSQL 15. */
#define JOB_LOCK_CLASS 1163084610
#define DEFAULT_WAIT_MS 2000
#define CONNECT_TIMEOUT_SECONDS "5"

/* Conninfo */

char *
esc_service_pg_describe_conninfo (const char *conninfo)
{
  PQconninfoOption *options;
  g_autoptr(GString) text = NULL;

  if (!(options = PQconninfoParse (conninfo, NULL)))
    return g_strdup ("(an invalid PostgreSQL connection string)");

  text = g_string_new (NULL);
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    {
      if (o->val == NULL || o->val[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      if (strcmp (o->keyword, "password") == 0)
        g_string_append (text, "password=…");
      else
        g_string_append_printf (text, "%s=%s", o->keyword, o->val);
    }
  PQconninfoFree (options);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Errors */

/* Whether the failure means "the database cannot be reached now": the
 * connection is gone, the server is shutting down or starting, has no
 * connection slot left, or chose this transaction as a deadlock's victim. */
static gboolean
is_unavailable (PGconn         *pg,
                const PGresult *result)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  if (pg == NULL || PQstatus (pg) == CONNECTION_BAD)
    return TRUE;
  if (state == NULL)
    return FALSE;

  return g_str_has_prefix (state, "08") ||          /* connection exception */
         strcmp (state, "57P01") == 0 ||            /* admin_shutdown */
         strcmp (state, "57P02") == 0 ||            /* crash_shutdown */
         strcmp (state, "57P03") == 0 ||            /* cannot_connect_now */
         strcmp (state, "53300") == 0 ||            /* too_many_connections */
         strcmp (state, "40001") == 0 ||            /* serialization_failure */
         strcmp (state, "40P01") == 0;              /* deadlock_detected */
}

static gboolean
set_pg_error (PGconn          *pg,
              const PGresult  *result,
              const char      *doing,
              GError         **error)
{
  const char *message = NULL;
  g_autofree char *trimmed = NULL;

  if (result != NULL)
    message = PQresultErrorMessage (result);
  if (message == NULL || message[0] == '\0')
    message = pg ? PQerrorMessage (pg) : "no connection";
  trimmed = g_strstrip (g_strdup (message));

  g_set_error (error, ESC_SERVICE_ERROR,
               is_unavailable (pg, result) ? ESC_SERVICE_ERROR_UNAVAILABLE : ESC_SERVICE_ERROR_DATABASE,
               "PostgreSQL, %s: %s", doing, trimmed);
  return FALSE;
}

static void
notice_cb (void       *arg,
           const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static PGconn *
connect_pg (const char  *conninfo,
            GError     **error)
{
  /* Ours first: the connection string's own values come later and win. */
  const char * const keywords[] = { "connect_timeout", "fallback_application_name", "dbname", NULL };
  const char * const values[] = { CONNECT_TIMEOUT_SECONDS, "escalade-service", conninfo, NULL };
  PGconn *pg = PQconnectdbParams (keywords, values, 1);

  if (pg == NULL || PQstatus (pg) != CONNECTION_OK)
    {
      g_autofree char *where = esc_service_pg_describe_conninfo (conninfo);
      g_autofree char *message = g_strstrip (g_strdup (pg ? PQerrorMessage (pg) : "out of memory"));

      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE,
                   _("Could not connect to PostgreSQL (%s): %s"), where, message);
      g_clear_pointer (&pg, PQfinish);
      return NULL;
    }

  PQsetNoticeProcessor (pg, notice_cb, NULL);

  return pg;
}

/* The pool */

struct _EscServicePgConn
{
  PGconn     *pg;       /* NULL until opened, or after being dropped */
  gboolean    in_use;
  /* Pooled connections only (NULL on a migration's own connection): SQL →
   * the name of the statement prepared on this PGconn, so that a statement
   * the node runs again is parsed and planned once per connection. */
  GHashTable *prepared;
  guint       last_name;   /* names are esc_1, esc_2, …, never used twice */

  /* Pipeline mode (libpq): statements sent whose results are still to
   * read (Sent), and the first failure among those sent for later
   * (esc_service_pg_conn_query_later()): once set, every statement of the
   * transaction fails with it, and so does its COMMIT. */
  GArray     *sent;
  GError     *later_error;
};

typedef struct
{
  char     *prepared_sql;  /* a PQsendPrepare(): forget its name if it fails */
  gboolean  awaited;       /* part of the statement whose result is awaited */
} Sent;

static void
sent_clear (gpointer data)
{
  Sent *sent = data;

  g_free (sent->prepared_sql);
}

/* The most statements prepared on one connection: SQL made on the fly (a
 * search with its own terms) runs unnamed once the cache is full. */
#define PREPARED_MAX 512

/* Drops @conn's server connection, and what was prepared on it. */
static void
conn_close (EscServicePgConn *conn)
{
  g_clear_pointer (&conn->pg, PQfinish);
  if (conn->prepared != NULL)
    g_hash_table_remove_all (conn->prepared);
  conn->last_name = 0;
  if (conn->sent != NULL)
    g_array_set_size (conn->sent, 0);
  g_clear_error (&conn->later_error);
}

struct _EscServicePgPool
{
  GMutex            lock;
  GCond             cond;
  char             *conninfo;
  EscServicePgConn *conns;
  guint             size;
  guint             wait_ms;
  guint             reconnects;
};

EscServicePgPool *
esc_service_pg_pool_new (const char  *conninfo,
                         guint        size,
                         GError     **error)
{
  EscServicePgPool *pool;
  PGconn *first;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  if (!(first = connect_pg (conninfo, error)))
    return NULL;

  pool = g_new0 (EscServicePgPool, 1);
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->cond);
  pool->conninfo = g_strdup (conninfo);
  pool->size = size;
  pool->wait_ms = DEFAULT_WAIT_MS;
  pool->conns = g_new0 (EscServicePgConn, size);
  for (guint i = 0; i < size; i++)
    {
      pool->conns[i].prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      pool->conns[i].sent = g_array_new (FALSE, TRUE, sizeof (Sent));
      g_array_set_clear_func (pool->conns[i].sent, sent_clear);
    }
  pool->conns[0].pg = first;

  return pool;
}

void
esc_service_pg_pool_free (EscServicePgPool *pool)
{
  if (pool == NULL)
    return;

  for (guint i = 0; i < pool->size; i++)
    {
      g_warn_if_fail (!pool->conns[i].in_use);
      conn_close (&pool->conns[i]);
      g_clear_pointer (&pool->conns[i].prepared, g_hash_table_unref);
      g_clear_pointer (&pool->conns[i].sent, g_array_unref);
    }
  g_free (pool->conns);
  /* The connection string may carry a password */
  if (pool->conninfo != NULL)
    memset (pool->conninfo, 0, strlen (pool->conninfo));
  g_free (pool->conninfo);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->cond);
  g_free (pool);
}

guint
esc_service_pg_pool_get_size (EscServicePgPool *pool)
{
  return pool->size;
}

void
esc_service_pg_pool_set_wait_ms (EscServicePgPool *pool,
                                 guint             wait_ms)
{
  g_mutex_lock (&pool->lock);
  pool->wait_ms = wait_ms;
  g_mutex_unlock (&pool->lock);
}

guint
esc_service_pg_pool_get_reconnects (EscServicePgPool *pool)
{
  guint n;

  g_mutex_lock (&pool->lock);
  n = pool->reconnects;
  g_mutex_unlock (&pool->lock);

  return n;
}

static void
count_reconnect (EscServicePgPool *pool)
{
  g_mutex_lock (&pool->lock);
  pool->reconnects++;
  g_mutex_unlock (&pool->lock);
}

/* Opens @conn again after it was lost. */
static gboolean
reopen (EscServicePgPool  *pool,
        EscServicePgConn  *conn,
        GError           **error)
{
  conn_close (conn);
  if (!(conn->pg = connect_pg (pool->conninfo, error)))
    return FALSE;

  count_reconnect (pool);
  g_debug ("PostgreSQL: a pooled connection was opened again");

  return TRUE;
}

EscServicePgConn *
esc_service_pg_pool_acquire (EscServicePgPool  *pool,
                             GError           **error)
{
  EscServicePgConn *conn = NULL;
  gint64 deadline;

  g_mutex_lock (&pool->lock);
  deadline = g_get_monotonic_time () + (gint64)pool->wait_ms * G_TIME_SPAN_MILLISECOND;
  while (conn == NULL)
    {
      /* An open connection first, then a slot still to open */
      for (guint i = 0; i < pool->size && conn == NULL; i++)
        if (!pool->conns[i].in_use && pool->conns[i].pg != NULL)
          conn = &pool->conns[i];
      for (guint i = 0; i < pool->size && conn == NULL; i++)
        if (!pool->conns[i].in_use)
          conn = &pool->conns[i];

      if (conn == NULL && !g_cond_wait_until (&pool->cond, &pool->lock, deadline))
        {
          guint size = pool->size;

          g_mutex_unlock (&pool->lock);
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE,
                       "All %u connections to PostgreSQL stayed busy", size);
          return NULL;
        }
    }
  conn->in_use = TRUE;
  g_mutex_unlock (&pool->lock);

  /* Opened here, outside the lock: a slow server holds up this request only */
  if (conn->pg == NULL)
    {
      if (!(conn->pg = connect_pg (pool->conninfo, error)))
        {
          esc_service_pg_pool_release (pool, conn);
          return NULL;
        }
    }
  else if (PQstatus (conn->pg) != CONNECTION_OK && !reopen (pool, conn, error))
    {
      esc_service_pg_pool_release (pool, conn);
      return NULL;
    }

  return conn;
}

static gboolean pipeline_end (EscServicePgConn *conn);

void
esc_service_pg_pool_release (EscServicePgPool *pool,
                             EscServicePgConn *conn)
{
  if (conn == NULL)
    return;

  if (conn->pg != NULL && PQpipelineStatus (conn->pg) != PQ_PIPELINE_OFF && !pipeline_end (conn))
    conn_close (conn);
  g_clear_error (&conn->later_error);

  if (conn->pg != NULL && PQstatus (conn->pg) == CONNECTION_OK)
    {
      PGTransactionStatusType status = PQtransactionStatus (conn->pg);

      if (status == PQTRANS_INTRANS || status == PQTRANS_INERROR)
        {
          PGresult *result = PQexec (conn->pg, "ROLLBACK");

          if (PQresultStatus (result) != PGRES_COMMAND_OK)
            status = PQTRANS_UNKNOWN;
          else
            status = PQTRANS_IDLE;
          PQclear (result);
        }
      if (status != PQTRANS_IDLE)
        conn_close (conn);
    }
  else
    conn_close (conn);

  g_mutex_lock (&pool->lock);
  conn->in_use = FALSE;
  g_cond_signal (&pool->cond);
  g_mutex_unlock (&pool->lock);
}

gboolean
esc_service_pg_conn_exec (EscServicePgConn  *conn,
                          const char        *sql,
                          GError           **error)
{
  PGresult *result;

  if (conn->pg != NULL && PQpipelineStatus (conn->pg) != PQ_PIPELINE_OFF)
    {
      g_autoptr(EscServiceRows) rows = esc_service_pg_conn_query (conn, sql, NULL, 0, error);

      return rows != NULL;
    }

  result = PQexec (conn->pg, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK ||
                PQresultStatus (result) == PGRES_TUPLES_OK;

  if (!ok)
    {
      /* The statement's start names it (a migration step is long) */
      g_autofree char *doing = g_utf8_substring (sql, 0, MIN (g_utf8_strlen (sql, -1), 60));

      set_pg_error (conn->pg, result, doing, error);
    }
  PQclear (result);

  return ok;
}

/* The name of @sql prepared on @conn (prepared now if it was not), or NULL
 * to run it unnamed. */
static const char *
prepared_name (EscServicePgConn   *conn,
               const char         *sql,
               guint               n_params,
               PGresult          **out_failure)
{
  const char *name;
  char *new_name;
  PGresult *result;

  if (conn->prepared == NULL)
    return NULL;
  if ((name = g_hash_table_lookup (conn->prepared, sql)) != NULL)
    return name;
  if (g_hash_table_size (conn->prepared) >= PREPARED_MAX)
    return NULL;

  new_name = g_strdup_printf ("esc_%u", ++conn->last_name);
  result = PQprepare (conn->pg, new_name, sql, (int)n_params, NULL);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      /* The statement's own error (or the transaction's), as running it
       * would have said */
      *out_failure = result;
      g_free (new_name);
      return NULL;
    }
  PQclear (result);
  g_hash_table_insert (conn->prepared, g_strdup (sql), new_name);

  return new_name;
}

/* Without parameters, the simple protocol: it also takes several
 * statements at once (a schema step), answering the last one's result.
 * With parameters, a statement prepared once per connection. */
static PGresult *
run_query (EscServicePgConn   *conn,
           const char         *sql,
           const char * const *params,
           guint               n_params)
{
  PGresult *failure = NULL;
  const char *name;

  if (n_params == 0)
    return PQexec (conn->pg, sql);

  if ((name = prepared_name (conn, sql, n_params, &failure)) != NULL)
    return PQexecPrepared (conn->pg, name, (int)n_params, params, NULL, NULL, 0);
  if (failure != NULL)
    return failure;

  return PQexecParams (conn->pg, sql, (int)n_params, NULL, params, NULL, NULL, 0);
}

/* Pipeline mode */

static void
note_sent (EscServicePgConn *conn,
           const char       *prepared_sql,
           gboolean          awaited)
{
  Sent sent = { g_strdup (prepared_sql), awaited };

  g_array_append_val (conn->sent, sent);
}

/* Sends @sql in pipeline mode, prepared once per connection like the
 * others (PQsendPrepare() first, the first time). One statement only. */
static gboolean
pipeline_send (EscServicePgConn   *conn,
               const char         *sql,
               const char * const *params,
               guint               n_params,
               gboolean            awaited)
{
  const char *name = NULL;

  if (n_params > 0 && conn->prepared != NULL &&
      (name = g_hash_table_lookup (conn->prepared, sql)) == NULL &&
      g_hash_table_size (conn->prepared) < PREPARED_MAX)
    {
      char *new_name = g_strdup_printf ("esc_%u", ++conn->last_name);

      if (!PQsendPrepare (conn->pg, new_name, sql, (int)n_params, NULL))
        {
          g_free (new_name);
          return FALSE;
        }
      g_hash_table_insert (conn->prepared, g_strdup (sql), new_name);
      note_sent (conn, sql, awaited);
      name = new_name;
    }

  if (!(name != NULL ? PQsendQueryPrepared (conn->pg, name, (int)n_params, params, NULL, NULL, 0)
                     : PQsendQueryParams (conn->pg, sql, (int)n_params, NULL, params, NULL, NULL, 0)))
    return FALSE;
  note_sent (conn, NULL, awaited);

  return TRUE;
}

/* After PQpipelineSync(): reads the result of everything sent, up to the
 * sync, and leaves pipeline mode. A failure of a statement sent for later
 * goes to conn->later_error; the awaited statement's own result (or its
 * failure, or PGRES_PIPELINE_ABORTED after an earlier failure) is
 * returned if there is one. */
static PGresult *
pipeline_finish (EscServicePgConn *conn)
{
  PGresult *awaited = NULL;
  guint index = 0;

  for (;;)
    {
      PGresult *result = PQgetResult (conn->pg);
      ExecStatusType status;
      Sent *sent;

      if (result == NULL)
        {
          /* The end of one statement's results; or a lost connection */
          if (PQstatus (conn->pg) == CONNECTION_BAD || ++index > conn->sent->len)
            break;
          continue;
        }

      status = PQresultStatus (result);
      if (status == PGRES_PIPELINE_SYNC)
        {
          PQclear (result);
          break;
        }

      sent = index < conn->sent->len ? &g_array_index (conn->sent, Sent, index) : NULL;
      /* A prepare that failed, or was skipped after an earlier failure,
       * made no statement of that name */
      if (sent != NULL && sent->prepared_sql != NULL && status != PGRES_COMMAND_OK)
        g_hash_table_remove (conn->prepared, sent->prepared_sql);
      if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE)
        {
          if (sent == NULL || !sent->awaited)
            {
              if (conn->later_error == NULL)
                set_pg_error (conn->pg, result, "a statement sent before failed", &conn->later_error);
              PQclear (result);
              continue;
            }
        }

      if (sent != NULL && sent->awaited)
        {
          /* Its prepare's failure, if any, stands: its run is then aborted */
          if (awaited == NULL || PQresultStatus (awaited) == PGRES_PIPELINE_ABORTED ||
              PQresultStatus (awaited) == PGRES_COMMAND_OK)
            {
              g_clear_pointer (&awaited, PQclear);
              awaited = result;
            }
          else
            PQclear (result);
        }
      else
        PQclear (result);
    }

  g_array_set_size (conn->sent, 0);

  if (PQstatus (conn->pg) == CONNECTION_BAD)
    {
      if (conn->later_error == NULL)
        set_pg_error (conn->pg, NULL, "the connection was lost", &conn->later_error);
    }
  else if (PQexitPipelineMode (conn->pg) != 1)
    {
      g_debug ("PostgreSQL: could not leave pipeline mode: %s", PQerrorMessage (conn->pg));
      if (conn->later_error == NULL)
        set_pg_error (conn->pg, NULL, "leaving pipeline mode", &conn->later_error);
    }

  return awaited;
}

/* Reads what is still to read and leaves pipeline mode; %FALSE if the
 * connection is not fit for use after it. */
static gboolean
pipeline_end (EscServicePgConn *conn)
{
  PGresult *result;

  if (PQpipelineSync (conn->pg) != 1)
    return FALSE;
  if ((result = pipeline_finish (conn)) != NULL)
    PQclear (result);

  return PQstatus (conn->pg) == CONNECTION_OK && PQpipelineStatus (conn->pg) == PQ_PIPELINE_OFF;
}

/**
 * esc_service_pg_conn_query_later:
 *
 * Sends @sql without waiting for its result, in the open transaction: it
 * goes with the next statement that waits for one (or the COMMIT), in one
 * round trip. For statements whose result nobody reads (a savepoint, an
 * audit row, a stored answer). If it fails, the transaction fails: every
 * later statement, and the COMMIT, return its error.
 *
 * Returns: %FALSE if it could not be sent, or an earlier one failed
 */
gboolean
esc_service_pg_conn_query_later (EscServicePgConn    *conn,
                                 const char          *sql,
                                 const char * const  *params,
                                 guint                n_params,
                                 GError             **error)
{
  if (conn->later_error != NULL)
    {
      g_propagate_error (error, g_error_copy (conn->later_error));
      return FALSE;
    }

  if (conn->sent == NULL || conn->pg == NULL ||
      (PQpipelineStatus (conn->pg) == PQ_PIPELINE_OFF && PQenterPipelineMode (conn->pg) != 1))
    {
      g_autoptr(EscServiceRows) rows = esc_service_pg_conn_query (conn, sql, params, n_params, error);

      return rows != NULL;
    }

  if (!pipeline_send (conn, sql, params, n_params, FALSE))
    {
      set_pg_error (conn->pg, NULL, "sending a statement", &conn->later_error);
      g_propagate_error (error, g_error_copy (conn->later_error));
      return FALSE;
    }

  return TRUE;
}

/* @sql's result (which may be a failure), or NULL after setting @error: an
 * earlier statement's failure, or no connection left */
static PGresult *
conn_result (EscServicePgConn   *conn,
             const char         *sql,
             const char * const *params,
             guint               n_params,
             GError            **error)
{
  PGresult *result;

  if (conn->later_error != NULL)
    {
      g_propagate_error (error, g_error_copy (conn->later_error));
      return NULL;
    }

  if (conn->pg == NULL || PQpipelineStatus (conn->pg) == PQ_PIPELINE_OFF)
    {
      /* NULL: no connection, or no memory */
      if (conn->pg == NULL || (result = run_query (conn, sql, params, n_params)) == NULL)
        {
          set_pg_error (conn->pg, NULL, "no result", error);
          return NULL;
        }
      return result;
    }

  if (!pipeline_send (conn, sql, params, n_params, TRUE) || PQpipelineSync (conn->pg) != 1)
    {
      /* What was sent cannot be told apart any more: the transaction fails,
       * and the pool closes the connection when it comes back */
      set_pg_error (conn->pg, NULL, "sending a statement", &conn->later_error);
      g_propagate_error (error, g_error_copy (conn->later_error));
      return NULL;
    }

  result = pipeline_finish (conn);
  if (conn->later_error != NULL)
    {
      g_clear_pointer (&result, PQclear);
      g_propagate_error (error, g_error_copy (conn->later_error));
      return NULL;
    }
  if (result == NULL)
    set_pg_error (conn->pg, NULL, "no result", error);

  return result;
}

EscServiceRows *
esc_service_pg_conn_query (EscServicePgConn    *conn,
                           const char          *sql,
                           const char * const  *params,
                           guint                n_params,
                           GError             **error)
{
  PGresult *result = conn_result (conn, sql, params, n_params, error);
  ExecStatusType status;
  guint n_rows, n_columns;
  gint64 n_changed;
  EscServiceRows *rows;
  char **values;

  if (result == NULL)
    return NULL;

  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      set_pg_error (conn->pg, result, "a statement failed", error);
      PQclear (result);
      return NULL;
    }

  n_changed = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
  n_rows = status == PGRES_TUPLES_OK ? (guint)PQntuples (result) : 0;
  n_columns = status == PGRES_TUPLES_OK ? (guint)PQnfields (result) : 0;
  values = g_new0 (char *, (gsize)n_rows * n_columns + 1);
  for (guint r = 0; r < n_rows; r++)
    for (guint c = 0; c < n_columns; c++)
      if (!PQgetisnull (result, (int)r, (int)c))
        values[r * n_columns + c] = g_strdup (PQgetvalue (result, (int)r, (int)c));
  PQclear (result);

  rows = esc_service_rows_new (n_rows, n_columns, values);
  esc_service_rows_set_n_changed (rows, n_changed);
  return rows;
}

int
esc_service_pg_conn_get_backend_pid (EscServicePgConn *conn)
{
  return conn->pg ? PQbackendPID (conn->pg) : 0;
}

/* The first statement on a connection taken from the pool: if the server
 * closed it meanwhile (a restart), nothing was sent that counts, so open it
 * again and send once more. */
static gboolean
exec_first (EscServicePgPool  *pool,
            EscServicePgConn  *conn,
            const char        *sql,
            GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  if (esc_service_pg_conn_exec (conn, sql, &local_error))
    return TRUE;

  if (!g_error_matches (local_error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE) ||
      PQstatus (conn->pg) == CONNECTION_OK)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!reopen (pool, conn, error))
    return FALSE;

  return esc_service_pg_conn_exec (conn, sql, error);
}

/* Schema */

int
esc_service_pg_conn_get_schema_version (EscServicePgConn  *conn,
                                        GError           **error)
{
  g_autoptr(EscServiceRows) exists = NULL;
  g_autoptr(EscServiceRows) version = NULL;

  if (!(exists = esc_service_pg_conn_query (conn, "SELECT to_regclass ('schema_migrations') IS NOT NULL",
                                            NULL, 0, error)))
    return -1;
  if (esc_service_rows_get_int64 (exists, 0, 0) == 0)
    return 0;

  if (!(version = esc_service_pg_conn_query (conn, "SELECT coalesce (max (version), 0) FROM schema_migrations",
                                             NULL, 0, error)))
    return -1;

  return (int)esc_service_rows_get_int64 (version, 0, 0);
}

static gboolean
run_step (PGconn     *pg,
          int         from_version,
          GError    **error)
{
  EscServicePgConn conn = { pg, TRUE };
  g_autofree char *to = g_strdup_printf ("%d", from_version + 1);
  const char * const params[] = { to };
  g_autoptr(EscServiceRows) recorded = NULL;

  if (esc_service_pg_conn_exec (&conn, "BEGIN", error) &&
      esc_service_pg_conn_exec (&conn, esc_service_pg_get_migration (from_version), error) &&
      (recorded = esc_service_pg_conn_query (&conn, "INSERT INTO schema_migrations (version) VALUES ($1)",
                                             params, 1, error)) != NULL &&
      esc_service_pg_conn_exec (&conn, "COMMIT", error))
    return TRUE;

  if (PQstatus (pg) == CONNECTION_OK)
    PQclear (PQexec (pg, "ROLLBACK"));
  g_prefix_error (error, _("Migrating the schema from version %d: "), from_version);

  return FALSE;
}

gboolean
esc_service_pg_migrate (const char  *conninfo,
                        int         *out_from_version,
                        int         *out_to_version,
                        GError     **error)
{
  g_autofree char *lock_sql = g_strdup_printf ("SELECT pg_advisory_lock (%" G_GINT64_FORMAT ")",
                                               ESC_SERVICE_PG_MIGRATION_LOCK);
  g_autofree char *unlock_sql = g_strdup_printf ("SELECT pg_advisory_unlock (%" G_GINT64_FORMAT ")",
                                                 ESC_SERVICE_PG_MIGRATION_LOCK);
  int latest = esc_service_pg_get_latest_schema_version ();
  EscServicePgConn conn = { NULL, TRUE };
  gboolean ok = FALSE;
  int version;

  if (!(conn.pg = connect_pg (conninfo, error)))
    return FALSE;

  /* Held until unlocked or disconnected: a node that dies half-way frees it */
  if (!esc_service_pg_conn_exec (&conn, lock_sql, error))
    goto out;

  if (!esc_service_pg_conn_exec (&conn,
                                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                 "  version integer PRIMARY KEY,"
                                 "  applied_at timestamptz NOT NULL DEFAULT now (),"
                                 "  applied_by text NOT NULL DEFAULT current_setting ('application_name')"
                                 ")",
                                 error))
    goto out;

  if ((version = esc_service_pg_conn_get_schema_version (&conn, error)) < 0)
    goto out;

  if (out_from_version != NULL)
    *out_from_version = version;

  if (version > latest)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_SCHEMA_TOO_NEW,
                   _("The database’s schema is version %d, newer than this escalade-service "
                     "knows (%d): use a newer escalade-service"),
                   version, latest);
      goto out;
    }

  for (; version < latest; version++)
    if (!run_step (conn.pg, version, error))
      goto out;

  if (out_to_version != NULL)
    *out_to_version = version;
  ok = TRUE;

out:
  if (PQstatus (conn.pg) == CONNECTION_OK)
    PQclear (PQexec (conn.pg, unlock_sql));
  PQfinish (conn.pg);

  return ok;
}

/* The storage */

struct _EscServicePgStorage
{
  GObject           parent_instance;

  EscServicePgPool *pool;
};

typedef struct
{
  EscServiceTxn     base;
  EscServicePgConn *conn;
} PgTxn;

static void esc_service_pg_storage_iface_init (EscServiceStorageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscServicePgStorage, esc_service_pg_storage, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ESC_TYPE_SERVICE_STORAGE,
                                                      esc_service_pg_storage_iface_init))

static void
esc_service_pg_storage_finalize (GObject *object)
{
  EscServicePgStorage *self = ESC_SERVICE_PG_STORAGE (object);

  g_clear_pointer (&self->pool, esc_service_pg_pool_free);

  G_OBJECT_CLASS (esc_service_pg_storage_parent_class)->finalize (object);
}

static void
esc_service_pg_storage_class_init (EscServicePgStorageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_service_pg_storage_finalize;
}

static void
esc_service_pg_storage_init (EscServicePgStorage *self)
{
}

/**
 * esc_service_pg_storage_new:
 * @conninfo: a postgresql:// URL or a libpq connection string
 * @pool_size: the number of connections this node keeps
 * @error: where a failure to connect goes
 *
 * Returns: (transfer full) (nullable): the storage
 */
EscServicePgStorage *
esc_service_pg_storage_new (const char  *conninfo,
                            guint        pool_size,
                            GError     **error)
{
  EscServicePgPool *pool;
  EscServicePgStorage *self;

  if (!(pool = esc_service_pg_pool_new (conninfo, pool_size, error)))
    return NULL;

  self = g_object_new (ESC_TYPE_SERVICE_PG_STORAGE, NULL);
  self->pool = pool;

  return self;
}

EscServicePgPool *
esc_service_pg_storage_get_pool (EscServicePgStorage *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_PG_STORAGE (self), NULL);

  return self->pool;
}

EscServiceRows *
esc_service_pg_storage_query_alone (EscServicePgStorage  *self,
                                    const char           *sql,
                                    const char * const   *params,
                                    guint                 n_params,
                                    GError              **error)
{
  EscServicePgConn *conn;
  EscServiceRows *rows;

  /* Taking it opens it again if the server closed it (a restart); a
   * connection lost during the statement is not tried again, as the
   * statement may have run: the error says "unavailable", answered 503 */
  if (!(conn = esc_service_pg_pool_acquire (self->pool, error)))
    return NULL;
  rows = esc_service_pg_conn_query (conn, sql, params, n_params, error);
  esc_service_pg_pool_release (self->pool, conn);

  return rows;
}

static EscServiceStorageBackend
pg_get_backend (EscServiceStorage *storage)
{
  return ESC_SERVICE_STORAGE_POSTGRESQL;
}

static gboolean
pg_check_health (EscServiceStorage        *storage,
                 EscServiceStorageHealth  *out_health,
                 GError                  **error)
{
  EscServicePgStorage *self = ESC_SERVICE_PG_STORAGE (storage);
  g_autoptr(GError) local_error = NULL;
  EscServicePgConn *conn;

  out_health->latest_version = esc_service_pg_get_latest_schema_version ();

  if (!(conn = esc_service_pg_pool_acquire (self->pool, &local_error)))
    {
      g_debug ("health: %s", local_error->message);
      return TRUE;
    }

  if (exec_first (self->pool, conn, "SELECT 1", &local_error))
    {
      out_health->schema_version = esc_service_pg_conn_get_schema_version (conn, &local_error);
      out_health->reachable = out_health->schema_version >= 0;
    }
  if (local_error != NULL)
    g_debug ("health: %s", local_error->message);

  esc_service_pg_pool_release (self->pool, conn);

  return TRUE;
}

static EscServiceTxn *
pg_begin (EscServiceStorage  *storage,
          EscServiceTxnMode   mode,
          GError            **error)
{
  EscServicePgStorage *self = ESC_SERVICE_PG_STORAGE (storage);
  EscServicePgConn *conn;
  PgTxn *txn;

  if (!(conn = esc_service_pg_pool_acquire (self->pool, error)))
    return NULL;

  if (!exec_first (self->pool, conn, mode == ESC_SERVICE_TXN_READ ? "BEGIN READ ONLY" : "BEGIN", error))
    {
      esc_service_pg_pool_release (self->pool, conn);
      return NULL;
    }

  txn = g_new0 (PgTxn, 1);
  txn->base.storage = g_object_ref (storage);
  txn->base.mode = mode;
  txn->conn = conn;

  return &txn->base;
}

static void
pg_txn_end (PgTxn *txn)
{
  EscServicePgStorage *self = ESC_SERVICE_PG_STORAGE (txn->base.storage);

  esc_service_pg_pool_release (self->pool, txn->conn);
  g_object_unref (txn->base.storage);
  g_free (txn);
}

static gboolean
pg_commit (EscServiceTxn  *base,
           GError        **error)
{
  PgTxn *txn = (PgTxn *)base;
  PGconn *pg = txn->conn->pg;
  g_autoptr(GError) local_error = NULL;
  PGresult *result;
  gboolean ok;

  if (PQpipelineStatus (pg) == PQ_PIPELINE_OFF && PQtransactionStatus (pg) == PQTRANS_INERROR)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                           "PostgreSQL: a statement of the transaction failed; it was rolled back");
      pg_txn_end (txn);
      return FALSE;
    }

  /* With what was sent for later, in one round trip; a failure among
   * those fails the COMMIT, which then does not run */
  if (!(result = conn_result (txn->conn, "COMMIT", NULL, 0, &local_error)))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "the transaction was rolled back: ");
      pg_txn_end (txn);
      return FALSE;
    }
  pg = txn->conn->pg;

  /* A failed transaction "commits" as ROLLBACK */
  ok = PQresultStatus (result) == PGRES_COMMAND_OK && g_strcmp0 (PQcmdStatus (result), "COMMIT") == 0;
  if (!ok)
    {
      if (PQresultStatus (result) == PGRES_COMMAND_OK)
        g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                             "PostgreSQL: the transaction was rolled back");
      else
        {
          set_pg_error (pg, result, "COMMIT", error);
          /* Lost during COMMIT: its outcome is unknown, a retry with the same
           * Idempotency-Key finds out */
          if (error != NULL && PQstatus (pg) == CONNECTION_BAD)
            g_prefix_error (error, "the outcome is unknown: ");
        }
    }
  PQclear (result);
  pg_txn_end (txn);

  return ok;
}

static void
pg_rollback (EscServiceTxn *base)
{
  /* The pool rolls back what is left open */
  pg_txn_end ((PgTxn *)base);
}

static EscServiceRows *
pg_query (EscServiceTxn       *base,
          const char          *sql,
          const char * const  *params,
          guint                n_params,
          GError             **error)
{
  PgTxn *txn = (PgTxn *)base;

  return esc_service_pg_conn_query (txn->conn, sql, params, n_params, error);
}

static gboolean
pg_query_later (EscServiceTxn       *base,
                const char          *sql,
                const char * const  *params,
                guint                n_params,
                GError             **error)
{
  PgTxn *txn = (PgTxn *)base;

  return esc_service_pg_conn_query_later (txn->conn, sql, params, n_params, error);
}

static gint64
pg_next_number (EscServiceTxn      *base,
                EscServiceCounter   counter,
                GError            **error)
{
  static const char * const sql[] = {
    [ESC_SERVICE_COUNTER_SUPPORT_REQUEST] =
      "SELECT nextval (pg_get_serial_sequence ('support_requests', 'seq'))",
    [ESC_SERVICE_COUNTER_ELEVATION_REQUEST] =
      "SELECT nextval (pg_get_serial_sequence ('elevation_requests', 'id'))",
    [ESC_SERVICE_COUNTER_SLA_AGREEMENT] =
      "SELECT nextval (pg_get_serial_sequence ('sla_agreements', 'seq'))",
  };
  g_autoptr(EscServiceRows) rows = NULL;

  g_return_val_if_fail ((guint)counter < G_N_ELEMENTS (sql), 0);

  if (!(rows = pg_query (base, sql[counter], NULL, 0, error)))
    return 0;

  return esc_service_rows_get_int64 (rows, 0, 0);
}

static EscServiceIdempotency
pg_claim_idempotency (EscServiceTxn           *base,
                      gint64                   person_id,
                      const char              *key,
                      const char              *request_hash,
                      const char              *created_at,
                      EscServiceStoredAnswer **out_answer,
                      GError                 **error)
{
  g_autofree char *person = g_strdup_printf ("%" G_GINT64_FORMAT, person_id);
  const char * const params[] = { person, key, request_hash, created_at };
  g_autoptr(EscServiceRows) inserted = NULL;
  g_autoptr(EscServiceRows) stored = NULL;
  EscServiceStoredAnswer *answer;
  g_autofree guchar *body = NULL;
  gsize body_length = 0;

  /* The key first, answer to come (status 0): a concurrent claim of the
   * same key waits here for this transaction's end. */
  if (!(inserted = pg_query (base,
                             "INSERT INTO idempotency_keys"
                             " (person_id, key, request_hash, status, location, body, created_at)"
                             " VALUES ($1, $2, $3, 0, NULL, ''::bytea, $4)"
                             " ON CONFLICT (person_id, key) DO NOTHING RETURNING 1",
                             params, 4, error)))
    return ESC_SERVICE_IDEMPOTENCY_NEW;
  if (esc_service_rows_get_n_rows (inserted) == 1)
    return ESC_SERVICE_IDEMPOTENCY_NEW;

  /* Committed by another transaction: READ COMMITTED sees it now */
  if (!(stored = pg_query (base,
                           "SELECT request_hash, status, location, encode (body, 'base64')"
                           " FROM idempotency_keys WHERE person_id = $1 AND key = $2",
                           params, 2, error)))
    return ESC_SERVICE_IDEMPOTENCY_NEW;
  if (esc_service_rows_get_n_rows (stored) != 1)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE,
                   "PostgreSQL: the Idempotency-Key “%s” was removed while being claimed", key);
      return ESC_SERVICE_IDEMPOTENCY_NEW;
    }

  if (g_strcmp0 (esc_service_rows_get_text (stored, 0, 0), request_hash) != 0)
    return ESC_SERVICE_IDEMPOTENCY_MISMATCH;

  if (esc_service_rows_get_text (stored, 0, 3) != NULL)
    body = g_base64_decode (esc_service_rows_get_text (stored, 0, 3), &body_length);

  answer = g_new0 (EscServiceStoredAnswer, 1);
  answer->status = (guint)esc_service_rows_get_int64 (stored, 0, 1);
  answer->location = g_strdup (esc_service_rows_get_text (stored, 0, 2));
  answer->body = g_bytes_new_take (g_steal_pointer (&body), body_length);
  *out_answer = answer;

  return ESC_SERVICE_IDEMPOTENCY_REPLAY;
}

static gboolean
pg_store_answer (EscServiceTxn  *base,
                 gint64          person_id,
                 const char     *key,
                 guint           status,
                 const char     *location,
                 GBytes         *body,
                 GError        **error)
{
  g_autofree char *person = g_strdup_printf ("%" G_GINT64_FORMAT, person_id);
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  gsize length = 0;
  const guchar *data = g_bytes_get_data (body, &length);
  g_autofree char *encoded = g_base64_encode (data, length);
  const char * const params[] = { person, key, status_text, location, encoded };
  g_autoptr(EscServiceRows) rows = NULL;

  if (!(rows = pg_query (base,
                         "UPDATE idempotency_keys SET status = $3, location = $4,"
                         " body = decode ($5, 'base64')"
                         " WHERE person_id = $1 AND key = $2 RETURNING 1",
                         params, 5, error)))
    return FALSE;

  if (esc_service_rows_get_n_rows (rows) != 1)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                   "The Idempotency-Key “%s” was not claimed in this transaction", key);
      return FALSE;
    }

  return TRUE;
}

static gboolean
pg_lock_audit_head (EscServiceTxn  *base,
                    gint64         *out_last_id,
                    char          **out_hash,
                    GError        **error)
{
  g_autoptr(EscServiceRows) rows = NULL;

  /* The row lock serializes the appenders of every node */
  if (!(rows = pg_query (base, "SELECT last_id, hash FROM audit_head WHERE one = 1 FOR UPDATE",
                         NULL, 0, error)))
    return FALSE;

  if (esc_service_rows_get_n_rows (rows) != 1)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                           "PostgreSQL: the audit log has no head row");
      return FALSE;
    }

  *out_last_id = esc_service_rows_get_int64 (rows, 0, 0);
  *out_hash = g_strdup (esc_service_rows_get_text (rows, 0, 1));

  return TRUE;
}

static gboolean
pg_try_lead (EscServiceTxn  *base,
             const char     *job,
             gboolean       *out_leader,
             GError        **error)
{
  const char * const params[] = { job };
  g_autoptr(EscServiceRows) rows = NULL;

  /* Released by the transaction's end, whatever ends it (a crash too) */
  if (!(rows = pg_query (base,
                         "SELECT pg_try_advisory_xact_lock (" G_STRINGIFY (JOB_LOCK_CLASS) ", hashtext ($1))",
                         params, 1, error)))
    return FALSE;

  *out_leader = esc_service_rows_get_int64 (rows, 0, 0) != 0;

  return TRUE;
}

static void
esc_service_pg_storage_iface_init (EscServiceStorageInterface *iface)
{
  iface->get_backend = pg_get_backend;
  iface->check_health = pg_check_health;
  iface->begin = pg_begin;
  iface->commit = pg_commit;
  iface->rollback = pg_rollback;
  iface->query = pg_query;
  iface->query_later = pg_query_later;
  iface->next_number = pg_next_number;
  iface->claim_idempotency = pg_claim_idempotency;
  iface->store_answer = pg_store_answer;
  iface->lock_audit_head = pg_lock_audit_head;
  iface->try_lead = pg_try_lead;
}
