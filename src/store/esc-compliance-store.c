/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "esc-compliance-store.h"
#include "esc-core-error.h"
#include "esc-json-read.h"
#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-time.h"
#include "esc-workspace-private.h"

/* Ticket imports and column mappings (schema step 7). An import and a report
 * run in a worker thread on a connection of their own, so that the main
 * thread's connection, which only the main thread uses, is never shared. */

#define BUSY_TIMEOUT_MS 5000
#define STORE_PROGRESS_EVERY 4096

static const char * const severity_letters[] = { "A", "B", "C" };

/* Mappings --------------------------------------------------------------- */

static gboolean
write_mapping (sqlite3               *db,
               const char            *path,
               EscComplianceMapping  *mapping,
               GError               **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(JsonNode) node = esc_compliance_mapping_to_json (mapping);
  g_autofree char *json = esc_json_to_string (node);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = esc_time_format (now);

  /* An upsert, not INSERT OR REPLACE: replacing the row would delete the
   * source's tickets through the foreign key. */
  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "INSERT INTO compliance_sources (name, signature, mapping, saved_at) "
                                         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET "
                                         "signature = excluded.signature, mapping = excluded.mapping, "
                                         "saved_at = excluded.saved_at",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, esc_compliance_mapping_get_source (mapping), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, esc_compliance_mapping_get_signature (mapping), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, at, -1, SQLITE_TRANSIENT);
  return esc_store_step_done (db, path, stmt, error);
}

static gboolean
save_mapping_cb (sqlite3     *db,
                 const char  *path,
                 gpointer     user_data,
                 GError     **error)
{
  EscComplianceMapping *mapping = user_data;

  return write_mapping (db, path, mapping, error) &&
         esc_store_audit (db, path, "compliance-mapping-saved",
                          esc_compliance_mapping_get_source (mapping), error);
}

/**
 * esc_workspace_save_compliance_mapping:
 * @self: a #EscWorkspace
 * @mapping: the mapping, for the source it names
 * @error: return location for a #GError
 *
 * Remembers @mapping for its source (one transaction).
 *
 * Returns: whether it was saved
 */
gboolean
esc_workspace_save_compliance_mapping (EscWorkspace          *self,
                                       EscComplianceMapping  *mapping,
                                       GError               **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (mapping), FALSE);

  return esc_store_transaction (esc_workspace_get_connection (self), esc_workspace_get_path (self),
                                save_mapping_cb, mapping, error);
}

static EscComplianceMapping *
mapping_from_row (sqlite3_stmt  *stmt,
                  const char    *path,
                  GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  const char *json = (const char *)sqlite3_column_text (stmt, 0);
  EscComplianceMapping *mapping;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &local) ||
      (mapping = esc_compliance_mapping_new_from_json (json_parser_get_root (parser), &local)) == NULL)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT,
                   _("A column mapping stored in the workspace “%s” cannot be read: %s"),
                   path, local != NULL ? local->message : "");
      return NULL;
    }
  return mapping;
}

static EscComplianceMapping *
lookup_mapping (EscWorkspace  *self,
                const char    *sql,
                const char    *key,
                GError       **error)
{
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_store_prepare_cached (db, path, sql, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    return (esc_store_set_sqlite_error (error, db, rc, path), NULL);
  return mapping_from_row (stmt, path, error);
}

/**
 * esc_workspace_lookup_compliance_mapping:
 * @self: a #EscWorkspace
 * @source: the source's name
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the mapping saved for @source; %NULL
 *   without @error set when there is none
 */
EscComplianceMapping *
esc_workspace_lookup_compliance_mapping (EscWorkspace  *self,
                                         const char    *source,
                                         GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (source != NULL, NULL);

  return lookup_mapping (self, "SELECT mapping FROM compliance_sources WHERE name = ?1",
                         source, error);
}

/**
 * esc_workspace_find_compliance_mapping:
 * @self: a #EscWorkspace
 * @header: the fields of a file's header line
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the mapping last saved for a file
 *   with this header line; %NULL without @error set when there is none
 */
EscComplianceMapping *
esc_workspace_find_compliance_mapping (EscWorkspace        *self,
                                       const char * const  *header,
                                       GError             **error)
{
  g_autofree char *signature = NULL;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (header != NULL, NULL);

  signature = esc_compliance_signature_for_header (header);
  return lookup_mapping (self,
                         "SELECT mapping FROM compliance_sources WHERE signature = ?1 "
                         "ORDER BY saved_at DESC, name LIMIT 1",
                         signature, error);
}

/**
 * esc_workspace_list_compliance_sources:
 * @self: a #EscWorkspace
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the sources' names, sorted
 */
GStrv
esc_workspace_list_compliance_sources (EscWorkspace  *self,
                                       GError       **error)
{
  sqlite3 *db;
  const char *path;
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);

  db = esc_workspace_get_connection (self);
  path = esc_workspace_get_path (self);
  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "SELECT name FROM compliance_sources ORDER BY name",
                                         error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    return (esc_store_set_sqlite_error (error, db, rc, path), NULL);
  return g_strv_builder_end (builder);
}

typedef struct
{
  const char *source;
  gboolean forget_mapping;
} RemoveData;

static gboolean
remove_source_cb (sqlite3     *db,
                  const char  *path,
                  gpointer     user_data,
                  GError     **error)
{
  RemoveData *data = user_data;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *sql = data->forget_mapping
                    ? "DELETE FROM compliance_sources WHERE name = ?1"
                    : "DELETE FROM compliance_tickets WHERE source = ?1";

  if (!esc_store_prepare (db, path, sql, &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->source, -1, SQLITE_TRANSIENT);
  return esc_store_step_done (db, path, stmt, error) &&
         esc_store_audit (db, path, "compliance-source-removed", data->source, error);
}

/**
 * esc_workspace_remove_compliance_source:
 * @self: a #EscWorkspace
 * @source: the source's name
 * @forget_mapping: whether its mapping goes too
 * @error: return location for a #GError
 *
 * Returns: whether the tickets (and the mapping) were removed
 */
gboolean
esc_workspace_remove_compliance_source (EscWorkspace  *self,
                                        const char    *source,
                                        gboolean       forget_mapping,
                                        GError       **error)
{
  RemoveData data = { source, forget_mapping };

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  return esc_store_transaction (esc_workspace_get_connection (self), esc_workspace_get_path (self),
                                remove_source_cb, &data, error);
}

/**
 * esc_workspace_count_tickets:
 * @self: a #EscWorkspace
 * @source: (nullable): a source's name, %NULL for all
 * @count: (out): how many tickets
 * @error: return location for a #GError
 *
 * Returns: whether @count was read
 */
gboolean
esc_workspace_count_tickets (EscWorkspace  *self,
                             const char    *source,
                             guint64       *count,
                             GError       **error)
{
  sqlite3 *db;
  const char *path;
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  db = esc_workspace_get_connection (self);
  path = esc_workspace_get_path (self);
  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "SELECT count(*) FROM compliance_tickets "
                                         "WHERE ?1 IS NULL OR source = ?1",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return esc_store_set_sqlite_error (error, db, rc, path);
  *count = (guint64)sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* A worker's connection ---------------------------------------------------- */

static EscSqliteConnection *
open_worker_connection (const char  *path,
                        gboolean     read_only,
                        GError     **error)
{
  g_autoptr(EscSqliteConnection) connection = NULL;
  GError *local = NULL;
  gint64 application_id = 0, version = 0;
  sqlite3 *db;

  connection = esc_sqlite_connection_open (path, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
                                           &local);
  if (connection == NULL)
    {
      esc_store_set_sqlite_error (error, NULL, local->code, path);
      g_error_free (local);
      return NULL;
    }
  db = esc_sqlite_connection_get_handle (connection);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  if (!esc_store_query_int (db, path, "PRAGMA application_id", &application_id, error) ||
      !esc_store_query_int (db, path, "PRAGMA user_version", &version, error))
    return NULL;
  if (application_id != ESC_WORKSPACE_APPLICATION_ID || version != ESC_WORKSPACE_SCHEMA_VERSION)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("“%s” is not a workspace of this version of Escalade; open it in Escalade first."),
                   path);
      return NULL;
    }
  if (!read_only && !esc_store_exec (db, path, "PRAGMA foreign_keys = ON", error))
    return NULL;
  return g_steal_pointer (&connection);
}

/* Imports ------------------------------------------------------------------ */

typedef struct
{
  EscComplianceProgressFunc func;
  gpointer data;
  guint64 n_rows;
} ImportProgress;

/* Reading counts for the first half, storing for the second */
static void
parse_progress_cb (guint64  done,
                   guint64  total,
                   gpointer user_data)
{
  ImportProgress *progress = user_data;

  progress->n_rows = total;
  if (progress->func != NULL)
    progress->func (done, 2 * total, progress->data);
}

/* Deletes the source's tickets that @tickets replace */
static gboolean
delete_replaced (sqlite3       *db,
                 const char    *path,
                 const char    *source,
                 GArray        *tickets,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(EscSqliteCachedStmt) select = NULL;
  g_autoptr(EscSqliteCachedStmt) delete = NULL;
  int rc;

  if (!(select = esc_store_prepare_cached (db, path,
                                           "SELECT ticket_id FROM compliance_tickets WHERE source = ?1",
                                           error)))
    return FALSE;
  sqlite3_bind_text (select, 1, source, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    g_hash_table_add (stored, g_strdup ((const char *)sqlite3_column_text (select, 0)));
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path);
  if (g_hash_table_size (stored) == 0)
    return TRUE;

  if (!(delete = esc_store_prepare_cached (db, path,
                                           "DELETE FROM compliance_tickets WHERE source = ?1 AND ticket_id = ?2",
                                           error)))
    return FALSE;
  sqlite3_bind_text (delete, 1, source, -1, SQLITE_STATIC);
  for (guint i = 0; i < tickets->len; i++)
    {
      const EscComplianceTicket *t = &g_array_index (tickets, EscComplianceTicket, i);

      if (i % STORE_PROGRESS_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!g_hash_table_contains (stored, t->ticket_id))
        continue;
      sqlite3_bind_text (delete, 2, t->ticket_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (delete);
      sqlite3_reset (delete);
      if (rc != SQLITE_DONE)
        return esc_store_set_sqlite_error (error, db, rc, path);
    }
  return TRUE;
}

static gboolean
store_tickets (sqlite3               *db,
               const char            *path,
               EscComplianceMapping  *mapping,
               GArray                *tickets,
               ImportProgress        *progress,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *detail = NULL;
  const char *source = esc_compliance_mapping_get_source (mapping);

  if (!write_mapping (db, path, mapping, error))
    return FALSE;

  /* A plain INSERT writes one row: SQLite then needs no statement journal,
   * which INSERT OR REPLACE (a delete and an insert) opens for every row and
   * which took most of the time. The rows this import replaces are deleted
   * first. */
  if (!delete_replaced (db, path, source, tickets, cancellable, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (db, path,
                                         "INSERT INTO compliance_tickets "
                                         "(source, ticket_id, severity, created, first_response,"
                                         " last_update, resolved, status, reopened, paused) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                         error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, source, -1, SQLITE_STATIC);
  for (guint i = 0; i < tickets->len; i++)
    {
      const EscComplianceTicket *t = &g_array_index (tickets, EscComplianceTicket, i);
      int rc;

      if (i % STORE_PROGRESS_EVERY == 0 && i > 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (progress->func != NULL)
            progress->func (tickets->len + i, 2 * (guint64)tickets->len, progress->data);
        }

      sqlite3_bind_text (stmt, 2, t->ticket_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, severity_letters[t->severity], 1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, t->created);
      if (t->first_response != 0)
        sqlite3_bind_int64 (stmt, 5, t->first_response);
      else
        sqlite3_bind_null (stmt, 5);
      if (t->last_update != 0)
        sqlite3_bind_int64 (stmt, 6, t->last_update);
      else
        sqlite3_bind_null (stmt, 6);
      if (t->resolved != 0)
        sqlite3_bind_int64 (stmt, 7, t->resolved);
      else
        sqlite3_bind_null (stmt, 7);
      sqlite3_bind_text (stmt, 8, t->status, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 9, t->reopened);
      sqlite3_bind_int64 (stmt, 10, t->paused);

      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return esc_store_set_sqlite_error (error, db, rc, path);
    }

  /* The last check: a Cancel during the last rows still stores nothing */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  detail = g_strdup_printf ("%s: %u", source, tickets->len);
  return esc_store_audit (db, path, "compliance-tickets-imported", detail, error);
}

gboolean
esc_workspace_import_tickets_at (const char                *path,
                                 EscComplianceMapping      *mapping,
                                 GBytes                    *contents,
                                 EscComplianceProgressFunc  progress,
                                 gpointer                   progress_data,
                                 GCancellable              *cancellable,
                                 guint                     *n_imported,
                                 GPtrArray                **problems,
                                 GError                   **error)
{
  g_autoptr(EscSqliteConnection) connection = NULL;
  g_autoptr(GArray) tickets = NULL;
  ImportProgress import_progress = { progress, progress_data, 0 };
  const char *text;
  gsize length;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (mapping), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  if (n_imported != NULL)
    *n_imported = 0;
  if (problems != NULL)
    *problems = NULL;

  text = g_bytes_get_data (contents, &length);
  tickets = esc_compliance_parse (mapping, text, length, parse_progress_cb, &import_progress,
                                  cancellable, problems, error);
  if (tickets == NULL)
    return FALSE;

  connection = open_worker_connection (path, FALSE, error);
  if (connection == NULL)
    return FALSE;
  db = esc_sqlite_connection_get_handle (connection);
  /* A page cache that holds the whole import (64 MiB at most, for this
   * connection only): pages spilled to the log in the middle of the
   * transaction would be written again when touched again. */
  if (!esc_store_exec (db, path, "PRAGMA cache_size = -65536", error))
    return FALSE;

  if (!esc_store_begin (db, path, error))
    return FALSE;
  if (!store_tickets (db, path, mapping, tickets, &import_progress, cancellable, error))
    {
      esc_store_rollback (db);
      return FALSE;
    }
  if (!esc_store_commit (db, path, error))
    {
      esc_store_rollback (db);
      return FALSE;
    }

  if (progress != NULL)
    progress (2 * (guint64)tickets->len, 2 * (guint64)tickets->len, progress_data);
  if (n_imported != NULL)
    *n_imported = tickets->len;
  return TRUE;
}

/* The progress callback and its data, shared by the worker's reports and the
 * task: its data is freed in the caller's thread, when the import is over. */
typedef struct
{
  gatomicrefcount ref_count;
  EscComplianceProgressFunc func;
  gpointer data;
  GDestroyNotify notify;
  GMainContext *context;
  gboolean over;   /* main thread only */
} SharedProgress;

static SharedProgress *
shared_progress_ref (SharedProgress *shared)
{
  g_atomic_ref_count_inc (&shared->ref_count);
  return shared;
}

static void
shared_progress_unref (SharedProgress *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref_count))
    return;
  g_main_context_unref (shared->context);
  g_free (shared);
}

typedef struct
{
  SharedProgress *shared;
  guint64 done;
  guint64 total;
} ProgressReport;

static gboolean
report_progress_cb (gpointer user_data)
{
  ProgressReport *report = user_data;

  if (!report->shared->over && report->shared->func != NULL)
    report->shared->func (report->done, report->total, report->shared->data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  shared_progress_unref (report->shared);
  g_free (report);
}

static void
worker_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  SharedProgress *shared = user_data;
  ProgressReport *report = g_new (ProgressReport, 1);

  report->shared = shared_progress_ref (shared);
  report->done = done;
  report->total = total;
  g_main_context_invoke_full (shared->context, G_PRIORITY_DEFAULT, report_progress_cb,
                              report, progress_report_free);
  // cppcheck-suppress memleak ; the main context owns @report now and frees it with progress_report_free()
}

typedef struct
{
  char *path;
  EscComplianceMapping *mapping;
  GBytes *contents;
  SharedProgress *shared;
  GAsyncReadyCallback callback;
  gpointer user_data;
  guint n_imported;
  GPtrArray *problems;
} ImportData;

static void
import_data_free (gpointer data)
{
  ImportData *import = data;

  g_free (import->path);
  g_object_unref (import->mapping);
  g_bytes_unref (import->contents);
  shared_progress_unref (import->shared);
  g_clear_pointer (&import->problems, g_ptr_array_unref);
  g_free (import);
}

static void
import_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ImportData *import = task_data;
  GError *error = NULL;

  if (esc_workspace_import_tickets_at (import->path, import->mapping, import->contents,
                                       worker_progress_cb, import->shared, cancellable,
                                       &import->n_imported, &import->problems, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* In the caller's thread: the caller's callback, then the progress data freed */
static void
import_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportData *import = g_task_get_task_data (G_TASK (result));
  SharedProgress *shared = import->shared;

  if (import->callback != NULL)
    import->callback (source_object, result, import->user_data);
  shared->over = TRUE;
  if (shared->notify != NULL)
    g_clear_pointer (&shared->data, shared->notify);
}

/**
 * esc_workspace_import_tickets_async:
 * @self: a #EscWorkspace
 * @mapping: how the file reads; the source it names gets the tickets
 * @contents: the CSV file's bytes
 * @progress: (nullable): called in the caller's main context as the import goes on
 * @progress_data: data for @progress
 * @progress_notify: (nullable): frees @progress_data when the import is over
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done, in the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Reads and stores the tickets in a worker thread: all or nothing.
 */
void
esc_workspace_import_tickets_async (EscWorkspace              *self,
                                    EscComplianceMapping      *mapping,
                                    GBytes                    *contents,
                                    EscComplianceProgressFunc  progress,
                                    gpointer                   progress_data,
                                    GDestroyNotify             progress_notify,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *import;

  g_return_if_fail (ESC_IS_WORKSPACE (self));
  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (mapping));
  g_return_if_fail (contents != NULL);

  import = g_new0 (ImportData, 1);
  import->path = g_strdup (esc_workspace_get_path (self));
  import->mapping = esc_compliance_mapping_copy (mapping);
  import->contents = g_bytes_ref (contents);
  import->shared = g_new0 (SharedProgress, 1);
  g_atomic_ref_count_init (&import->shared->ref_count);
  import->shared->func = progress;
  import->shared->data = progress_data;
  import->shared->notify = progress_notify;
  import->shared->context = g_main_context_ref_thread_default ();
  import->callback = callback;
  import->user_data = user_data;

  task = g_task_new (self, cancellable, import_done_cb, NULL);
  g_task_set_source_tag (task, esc_workspace_import_tickets_async);
  g_task_set_task_data (task, import, import_data_free);
  esc_store_run_in_thread (task, import_thread_cb);
}

gboolean
esc_workspace_import_tickets_finish (EscWorkspace  *self,
                                     GAsyncResult  *result,
                                     guint         *n_imported,
                                     GPtrArray    **problems,
                                     GError       **error)
{
  ImportData *import;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  import = g_task_get_task_data (G_TASK (result));
  if (n_imported != NULL)
    *n_imported = import->n_imported;
  if (problems != NULL)
    *problems = import->problems != NULL ? g_ptr_array_ref (import->problems) : NULL;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reports ------------------------------------------------------------------ */

typedef struct
{
  char *path;
  char *source;
  gint64 from;
  gint64 to;
  EscComplianceReport *report;
} ReportData;

static void
report_data_free (gpointer data)
{
  ReportData *report = data;

  g_free (report->path);
  g_free (report->source);
  esc_compliance_report_unref (report->report);
  g_free (report);
}

static gboolean
fill_report (ReportData    *data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(EscSqliteConnection) connection = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;
  guint n = 0;
  int rc;

  connection = open_worker_connection (data->path, TRUE, error);
  if (connection == NULL)
    return FALSE;
  db = esc_sqlite_connection_get_handle (connection);

  if (!esc_store_prepare (db, data->path,
                          "SELECT ticket_id, severity, created, first_response, last_update,"
                          " resolved, status, reopened, paused FROM compliance_tickets "
                          "WHERE (?1 IS NULL OR source = ?1) AND created >= ?2 AND created < ?3",
                          &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data->source, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, data->from);
  sqlite3_bind_int64 (stmt, 3, data->to > 0 ? data->to : G_MAXINT64);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *letter = (const char *)sqlite3_column_text (stmt, 1);
      EscComplianceTicket ticket = {
        .ticket_id = (char *)sqlite3_column_text (stmt, 0),
        .created = sqlite3_column_int64 (stmt, 2),
        .first_response = sqlite3_column_int64 (stmt, 3),
        .last_update = sqlite3_column_int64 (stmt, 4),
        .resolved = sqlite3_column_int64 (stmt, 5),
        .status = (char *)sqlite3_column_text (stmt, 6),
        .reopened = (guint)sqlite3_column_int64 (stmt, 7),
        .paused = sqlite3_column_int64 (stmt, 8),
      };
      g_autoptr(GError) local = NULL;

      if (++n % STORE_PROGRESS_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!esc_support_severity_from_string (letter, &ticket.severity))
        continue;  /* the CHECK constraint keeps this from happening */
      /* A ticket created after the report's moment is left out */
      if (!esc_compliance_report_add (data->report, &ticket, &local))
        g_debug ("Compliance report: %s", local->message);
    }
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, data->path);
  return TRUE;
}

static void
report_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ReportData *data = task_data;
  GError *error = NULL;

  /* The report stays in @data: esc_store_run_in_thread() passes on a boolean */
  if (fill_report (data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * esc_workspace_compliance_report_async:
 * @self: a #EscWorkspace
 * @source: (nullable): a source's name, %NULL for every source
 * @from: the first creation time counted (microseconds, UTC), 0 for no bound
 * @to: the creation time counting stops at (excluded), 0 for no bound
 * @version: the agreement version whose targets apply
 * @calendar: its calendar
 * @now: the moment open tickets are measured at
 * @max_offenders: how many of the worst offenders are kept
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done, in the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Computes the report in a worker thread.
 */
void
esc_workspace_compliance_report_async (EscWorkspace           *self,
                                       const char             *source,
                                       gint64                  from,
                                       gint64                  to,
                                       EscSlaAgreementVersion *version,
                                       EscCalendar            *calendar,
                                       gint64                  now,
                                       guint                   max_offenders,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  ReportData *data;

  g_return_if_fail (ESC_IS_WORKSPACE (self));
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (version));
  g_return_if_fail (ESC_IS_CALENDAR (calendar));

  data = g_new0 (ReportData, 1);
  data->path = g_strdup (esc_workspace_get_path (self));
  data->source = g_strdup (source);
  data->from = from;
  data->to = to;
  data->report = esc_compliance_report_new (version, calendar, now, max_offenders);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_workspace_compliance_report_async);
  g_task_set_task_data (task, data, report_data_free);
  esc_store_run_in_thread (task, report_thread_cb);
}

/**
 * esc_workspace_compliance_report_finish:
 * @self: a #EscWorkspace
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the report
 */
EscComplianceReport *
esc_workspace_compliance_report_finish (EscWorkspace  *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  ReportData *data;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;

  data = g_task_get_task_data (G_TASK (result));
  return esc_compliance_report_ref (data->report);
}
