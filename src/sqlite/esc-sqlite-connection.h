/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define ESC_SQLITE_ERROR (esc_sqlite_error_quark ())

/* The code of an ESC_SQLITE_ERROR is the primary SQLite result code
 * (SQLITE_FULL, SQLITE_CORRUPT…): the layers above map it to their own. */
GQuark esc_sqlite_error_quark (void);

#define ESC_TYPE_SQLITE_CONNECTION (esc_sqlite_connection_get_type ())

G_DECLARE_FINAL_TYPE (EscSqliteConnection, esc_sqlite_connection, ESC, SQLITE_CONNECTION, GObject)

typedef gboolean (*EscSqliteTransactionFunc) (EscSqliteConnection  *connection,
                                              gpointer              user_data,
                                              GError              **error);

EscSqliteConnection *esc_sqlite_connection_open           (const char                *path,
                                                           int                        flags,
                                                           GError                   **error);
sqlite3             *esc_sqlite_connection_get_handle     (EscSqliteConnection       *self);
EscSqliteConnection *esc_sqlite_connection_for_handle     (sqlite3                   *handle);
const char          *esc_sqlite_connection_get_path       (EscSqliteConnection       *self);
gboolean             esc_sqlite_connection_set_error      (EscSqliteConnection       *self,
                                                           int                        rc,
                                                           GError                   **error);
gboolean             esc_sqlite_connection_exec           (EscSqliteConnection       *self,
                                                           const char                *sql,
                                                           GError                   **error);
sqlite3_stmt        *esc_sqlite_connection_prepare        (EscSqliteConnection       *self,
                                                           const char                *sql,
                                                           GError                   **error);
sqlite3_stmt        *esc_sqlite_connection_prepare_cached (EscSqliteConnection       *self,
                                                           const char                *sql,
                                                           GError                   **error);
gboolean             esc_sqlite_connection_step_done      (EscSqliteConnection       *self,
                                                           sqlite3_stmt              *stmt,
                                                           GError                   **error);
gboolean             esc_sqlite_connection_query_int      (EscSqliteConnection       *self,
                                                           const char                *sql,
                                                           gint64                    *value,
                                                           GError                   **error);
gboolean             esc_sqlite_connection_begin          (EscSqliteConnection       *self,
                                                           GError                   **error);
gboolean             esc_sqlite_connection_begin_read     (EscSqliteConnection       *self,
                                                           GError                   **error);
gboolean             esc_sqlite_connection_commit         (EscSqliteConnection       *self,
                                                           GError                   **error);
void                 esc_sqlite_connection_rollback       (EscSqliteConnection       *self);
guint                esc_sqlite_connection_get_depth      (EscSqliteConnection       *self);
gboolean             esc_sqlite_connection_transaction    (EscSqliteConnection       *self,
                                                           EscSqliteTransactionFunc   func,
                                                           gpointer                   user_data,
                                                           GError                   **error);

/* The same helpers on a bare handle, for connections opened for a moment
 * (a read-only look at a file, a worker thread's copy). @path only names
 * the file in messages. */
gboolean             esc_sqlite_set_error                 (GError                   **error,
                                                           sqlite3                   *db,
                                                           int                        rc,
                                                           const char                *path);
gboolean             esc_sqlite_exec                      (sqlite3                   *db,
                                                           const char                *path,
                                                           const char                *sql,
                                                           GError                   **error);
gboolean             esc_sqlite_prepare                   (sqlite3                   *db,
                                                           const char                *path,
                                                           const char                *sql,
                                                           sqlite3_stmt             **stmt,
                                                           GError                   **error);
gboolean             esc_sqlite_step_done                 (sqlite3                   *db,
                                                           const char                *path,
                                                           sqlite3_stmt              *stmt,
                                                           GError                   **error);
gboolean             esc_sqlite_query_int                 (sqlite3                   *db,
                                                           const char                *path,
                                                           const char                *sql,
                                                           gint64                    *value,
                                                           GError                   **error);

/* Whether @rc says the file or the disk is failing (not a constraint, not a
 * busy lock): such errors are worth a warning in the journal when dropped. */
gboolean             esc_sqlite_result_is_io_error        (int                        rc);

/* A statement from esc_sqlite_connection_prepare_cached(): at the end of the
 * scope it is reset and its bindings cleared, never finalized. */
typedef struct sqlite3_stmt EscSqliteCachedStmt;

void                 esc_sqlite_statement_release         (sqlite3_stmt              *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscSqliteCachedStmt, esc_sqlite_statement_release)

G_END_DECLS
