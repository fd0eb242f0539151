/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "esc-sqlite-connection.h"
#include "esc-responsibility.h"
#include "esc-routing-rule.h"

G_BEGIN_DECLS

/* PRAGMA application_id of every workspace: "EsCa". A file with another
 * application id is some other program's database and is never touched. */
#define ESC_WORKSPACE_APPLICATION_ID 0x45734361

/* SQLite helpers. @path only names the file in error messages. Each returns
 * FALSE with @error set from the connection's last error. */
gboolean  esc_store_set_sqlite_error    (GError       **error,
                                         sqlite3       *db,
                                         int            rc,
                                         const char    *path);
gboolean  esc_store_set_connection_error (GError             **error,
                                          EscSqliteConnection  *connection,
                                          GError               *sqlite_error);
/* Logs an error that is not passed on: a warning for I/O errors. */
void      esc_store_log_dropped_error   (const GError  *error,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (2, 3);
gboolean  esc_store_exec                (sqlite3       *db,
                                         const char    *path,
                                         const char    *sql,
                                         GError       **error);
gboolean  esc_store_prepare             (sqlite3       *db,
                                         const char    *path,
                                         const char    *sql,
                                         sqlite3_stmt **stmt,
                                         GError       **error);
/* From the connection's statement cache: hold it in a
 * g_autoptr(EscSqliteCachedStmt). For fixed SQL texts run more than once;
 * esc_store_prepare() for the others. */
sqlite3_stmt *esc_store_prepare_cached  (sqlite3       *db,
                                         const char    *path,
                                         const char    *sql,
                                         GError       **error);
/* Runs a statement returning one integer (a PRAGMA, a COUNT). */
gboolean  esc_store_query_int           (sqlite3       *db,
                                         const char    *path,
                                         const char    *sql,
                                         gint64        *value,
                                         GError       **error);
/* Steps a prepared write to SQLITE_DONE. */
gboolean  esc_store_step_done           (sqlite3       *db,
                                         const char    *path,
                                         sqlite3_stmt  *stmt,
                                         GError       **error);

/* The connection's transactions: BEGIN IMMEDIATE takes the write lock up
 * front, so a transaction never fails half-way because another connection
 * started writing; inside an open transaction, a savepoint. */
gboolean  esc_store_begin               (sqlite3       *db,
                                         const char    *path,
                                         GError       **error);
gboolean  esc_store_commit              (sqlite3       *db,
                                         const char    *path,
                                         GError       **error);
void      esc_store_rollback            (sqlite3       *db);
/* Runs @func in esc_store_begin(); commits if it succeeds, rolls back if
 * it or the commit fails (@func's error is the one passed on). */
typedef gboolean (*EscStoreTransactionFunc) (sqlite3     *db,
                                             const char  *path,
                                             gpointer     user_data,
                                             GError     **error);
gboolean  esc_store_transaction         (sqlite3                  *db,
                                         const char               *path,
                                         EscStoreTransactionFunc   func,
                                         gpointer                  user_data,
                                         GError                  **error);
/* The same, with synchronous = FULL for this one transaction (WAL's NORMAL
 * may lose the last commits at a power cut): for the outbox, whose rows
 * are the user's changes not yet on the service. */
gboolean esc_store_begin_durable    (sqlite3     *db,
                                     const char  *path,
                                     GError     **error);
gboolean esc_store_commit_durable   (sqlite3     *db,
                                     const char  *path,
                                     GError     **error);
void     esc_store_rollback_durable (sqlite3     *db);

/* g_task_run_in_thread() for the store's tasks, whose source object (a
 * workspace, a list) owns a connection of the caller's thread: @func runs in
 * a task of its own, and @task is returned and released in its own context,
 * never in the worker. @func returns a boolean or an error on the task it is
 * given; any other result goes into @task's data, which it gets. */
void      esc_store_run_in_thread       (GTask           *task,
                                         GTaskThreadFunc  func);

/* Appends one row to local_audit; inside the caller's transaction. */
gboolean  esc_store_audit               (sqlite3       *db,
                                         const char    *path,
                                         const char    *what,
                                         const char    *detail,
                                         GError       **error);

/* Schema migrations: migration N takes a file from user_version N-1 to N.
 * Runs inside the caller's transaction and does not set user_version. */
gboolean  esc_workspace_run_migration   (sqlite3       *db,
                                         const char    *path,
                                         int            to_version,
                                         GError       **error);

/* The shipped defaults: parties, routing rules and severities, translated
 * into the current locale at load time. */
typedef struct
{
  GPtrArray *parties;        /* EscParty */
  GPtrArray *responsibilities; /* EscResponsibility, party by party */
  GPtrArray *routing_rules;  /* EscRoutingRule */
  GPtrArray *severities;     /* EscSeverity */
} EscWorkspaceSeed;

EscWorkspaceSeed *esc_workspace_seed_load  (GError           **error);
void              esc_workspace_seed_free  (EscWorkspaceSeed  *seed);
/* Replaces the rows of the three seeded tables; inside the caller's transaction. */
gboolean          esc_workspace_seed_write (sqlite3           *db,
                                            const char        *path,
                                            EscWorkspaceSeed  *seed,
                                            GError           **error);

gboolean          esc_workspace_seed_write_roles (sqlite3           *db,
                                                  const char        *path,
                                                  EscWorkspaceSeed  *seed,
                                                  GError           **error);

/* The matrices' rows, written inside the caller's transaction (esc-workspace-seed.c). */
gboolean esc_workspace_write_responsibility   (sqlite3            *db,
                                               const char         *path,
                                               EscResponsibility  *item,
                                               int                 position,
                                               gint64             *id,
                                               GError            **error);
gboolean esc_workspace_write_responsibility_details (sqlite3      *db,
                                                     const char   *path,
                                                     EscResponsibility *item,
                                                     gint64        id,
                                                     GError      **error);
gboolean esc_workspace_write_responsibilities (sqlite3            *db,
                                               const char         *path,
                                               GPtrArray          *items,
                                               GError            **error);
gboolean esc_workspace_write_routing_rules    (sqlite3            *db,
                                               const char         *path,
                                               GPtrArray          *rules,
                                               GError            **error);
void     esc_workspace_bind_routing_rule      (sqlite3_stmt       *stmt,
                                               EscRoutingRule     *rule);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscWorkspaceSeed, esc_workspace_seed_free)


G_END_DECLS
