/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "esc-service-storage.h"

G_BEGIN_DECLS

/* PostgreSQL for escalade-service (issue 13): the connection pool of one
 * node, the versioned schema and its migration, and the PostgreSQL side of
 * the storage seam (esc-service-storage.h). */

/* Whether --database names PostgreSQL: a postgresql:// or postgres:// URL,
 * or a libpq "keyword=value …" string (starting with a known keyword).
 * Anything else is an SQLite file path. */
gboolean    esc_service_pg_is_conninfo               (const char  *database);
/* The conninfo with its password (if any) replaced, for messages and logs. */
char       *esc_service_pg_describe_conninfo         (const char  *conninfo);

int         esc_service_pg_get_latest_schema_version (void);
const char *esc_service_pg_get_migration             (int          from_version);

/* The connection pool: a fixed number of connections to one database,
 * opened when first needed, shared by the node's threads. A connection that
 * the server closed (restart, failover) is noticed when it is taken, or by
 * the first statement of a transaction, and opened again. */
typedef struct _EscServicePgPool EscServicePgPool;
typedef struct _EscServicePgConn EscServicePgConn;

/* Connects once to check @conninfo and the server, keeping that connection. */
EscServicePgPool *esc_service_pg_pool_new          (const char        *conninfo,
                                                    guint              size,
                                                    GError           **error);
void              esc_service_pg_pool_free         (EscServicePgPool  *pool);
guint             esc_service_pg_pool_get_size     (EscServicePgPool  *pool);
/* How long a request waits for a free connection (default 2000 ms) before
 * ESC_SERVICE_ERROR_UNAVAILABLE. */
void              esc_service_pg_pool_set_wait_ms  (EscServicePgPool  *pool,
                                                    guint              wait_ms);
/* Connections opened again after being lost, since the pool was made. */
guint             esc_service_pg_pool_get_reconnects (EscServicePgPool *pool);
/* Takes a connection, waiting up to the pool's wait; it is open and idle. */
EscServicePgConn *esc_service_pg_pool_acquire      (EscServicePgPool  *pool,
                                                    GError           **error);
/* Gives it back; one left inside a transaction is rolled back first. */
void              esc_service_pg_pool_release      (EscServicePgPool  *pool,
                                                    EscServicePgConn  *conn);
/* Runs a statement without parameters nor result on @conn. */
gboolean          esc_service_pg_conn_exec         (EscServicePgConn  *conn,
                                                    const char        *sql,
                                                    GError           **error);
/* Runs @sql with text parameters on @conn (see esc_service_txn_query()). */
EscServiceRows   *esc_service_pg_conn_query        (EscServicePgConn  *conn,
                                                    const char        *sql,
                                                    const char * const *params,
                                                    guint              n_params,
                                                    GError           **error);
gboolean          esc_service_pg_conn_query_later  (EscServicePgConn    *conn,
                                                    const char          *sql,
                                                    const char * const  *params,
                                                    guint                n_params,
                                                    GError             **error);
/* The server process behind @conn (for tests that end it). */
int               esc_service_pg_conn_get_backend_pid (EscServicePgConn *conn);

/* Migrates the database of @conninfo to the latest schema version, under a
 * session advisory lock so that nodes starting together migrate once: the
 * others wait, then find nothing to do. Each step and its record in
 * schema_migrations are one transaction. */
gboolean          esc_service_pg_migrate           (const char        *conninfo,
                                                    int               *out_from_version,
                                                    int               *out_to_version,
                                                    GError           **error);
/* The version recorded in schema_migrations (0 for an empty database). */
int               esc_service_pg_conn_get_schema_version (EscServicePgConn *conn,
                                                    GError           **error);

/* The advisory lock key of the migrations. */
#define ESC_SERVICE_PG_MIGRATION_LOCK G_GINT64_CONSTANT (0x4553434100000001)

#define ESC_TYPE_SERVICE_PG_STORAGE (esc_service_pg_storage_get_type ())

G_DECLARE_FINAL_TYPE (EscServicePgStorage, esc_service_pg_storage, ESC, SERVICE_PG_STORAGE, GObject)

/* The PostgreSQL storage of one node, over a pool of @pool_size connections. */
EscServicePgStorage *esc_service_pg_storage_new      (const char            *conninfo,
                                                      guint                  pool_size,
                                                      GError               **error);
EscServicePgPool    *esc_service_pg_storage_get_pool (EscServicePgStorage   *self);
/* Runs one statement outside any transaction, on a pooled connection:
 * committed by itself (see esc_service_txn_query() for @params). */
EscServiceRows      *esc_service_pg_storage_query_alone (EscServicePgStorage *self,
                                                         const char          *sql,
                                                         const char * const  *params,
                                                         guint                n_params,
                                                         GError             **error);

G_END_DECLS
