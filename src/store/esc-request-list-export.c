/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-csv.h"
#include "esc-request-labels.h"
#include "esc-request-list-private.h"
#include "esc-store-error.h"
#include "esc-store-private.h"

/* CSV export -------------------------------------------------------------------- */

typedef struct
{
  char      *path;     /* the workspace */
  GPtrArray *pending;  /* GStrv: the records of the queued and refused requests shown */
  GArray    *keys;     /* gint64 */
  GFile     *file;
  guint      n_rows;
} ExportData;

/* The record of a queued or refused request: no number yet, its state, no
 * owner nor due time yet, the time it was written as its last update */
static char **
pending_record (EscOutboxItem *item)
{
  g_autoptr(EscSupportRequest) request = esc_request_list_dup_pending_request (item, NULL);
  GDateTime *created = esc_outbox_item_get_created_at (item);
  GStrvBuilder *builder;

  if (request == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, "");
  g_strv_builder_add (builder, esc_support_request_kind_get_label (esc_support_request_get_kind (request)));
  g_strv_builder_add (builder, esc_support_request_type_get_label (esc_support_request_get_request_type (request)));
  g_strv_builder_add (builder, esc_support_severity_to_string (esc_support_request_get_severity (request)));
  g_strv_builder_add (builder, esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED
                               /* Translators: the state of a request the service refused to file */
                               ? C_("request state", "Refused")
                               /* Translators: the state of a request waiting to be sent */
                               : C_("request state", "Queued"));
  g_strv_builder_add (builder, esc_support_request_get_title (request) != NULL ? esc_support_request_get_title (request) : "");
  g_strv_builder_add (builder, esc_support_request_get_filer_name (request) != NULL ? esc_support_request_get_filer_name (request) : "");
  g_strv_builder_add (builder, "");
  g_strv_builder_add (builder, "");
  if (created != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (created);
      g_strv_builder_add (builder, text);
    }
  else
    g_strv_builder_add (builder, "");

  {
    char **record = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return record;
  }
}

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  g_free (export->path);
  g_clear_pointer (&export->pending, g_ptr_array_unref);
  g_clear_pointer (&export->keys, g_array_unref);
  g_clear_object (&export->file);
  g_free (export);
}

/* The label of a wire value, or the value itself if unknown */
static const char *
label_of (const char *column,
          const char *value)
{
  union {
    EscSupportRequestKind kind;
    EscSupportRequestType type;
    EscSupportSeverity severity;
    EscSupportRequestState state;
    EscNextActionOwner owner;
  } v;

  if (value == NULL)
    return NULL;

  if (g_str_equal (column, "kind") && esc_support_request_kind_from_string (value, &v.kind))
    return esc_support_request_kind_get_label (v.kind);
  if (g_str_equal (column, "type") && esc_support_request_type_from_string (value, &v.type))
    return esc_support_request_type_get_label (v.type);
  if (g_str_equal (column, "state") && esc_support_request_state_from_string (value, &v.state))
    return esc_support_request_state_get_label (v.state);
  if (g_str_equal (column, "owner") && esc_next_action_owner_from_string (value, &v.owner))
    return esc_next_action_owner_get_label (v.owner);

  return value;
}

static gboolean
flush_chunk (GOutputStream  *stream,
             GString        *chunk,
             GCancellable   *cancellable,
             GError        **error)
{
  if (!g_output_stream_write_all (stream, chunk->str, chunk->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (chunk, 0);
  return TRUE;
}

static gboolean
export_rows (ExportData    *export,
             sqlite3       *db,
             GOutputStream *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) chunk = g_string_sized_new (1 << 16);
  const char * const header[] = {
    /* Translators: column headers of the exported CSV file of support requests */
    _("ID"), _("Kind"), _("Type"), _("Severity"), _("State"), _("Title"), _("Filed by"),
    _("Next action owner"), _("Response due"), _("Last update"),
  };

  if (!esc_store_prepare (db, export->path,
                          "SELECT id, kind, type, severity, state, title, filed_by,"
                          " json_extract (json, '$.next_action_owner'), response_due_at, updated_at "
                          "FROM mirror_support_requests WHERE rowid = ?1",
                          &stmt, error))
    return FALSE;

  esc_csv_append_record (chunk, header, G_N_ELEMENTS (header));

  /* The queued and refused requests first, as the list shows them */
  for (guint i = 0; i < export->pending->len; i++)
    {
      esc_csv_append_record (chunk, (const char * const *)g_ptr_array_index (export->pending, i),
                             G_N_ELEMENTS (header));
      export->n_rows++;
    }

  for (guint i = 0; i < export->keys->len; i++)
    {
      const char *fields[10];
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (export->keys, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;  /* gone since the export started */
      if (rc != SQLITE_ROW)
        return esc_store_set_sqlite_error (error, db, rc, export->path);

      for (int c = 0; c < 10; c++)
        fields[c] = (const char *)sqlite3_column_text (stmt, c);
      fields[1] = label_of ("kind", fields[1]);
      fields[2] = label_of ("type", fields[2]);
      fields[4] = label_of ("state", fields[4]);
      fields[7] = label_of ("owner", fields[7]);

      esc_csv_append_record (chunk, fields, G_N_ELEMENTS (fields));
      export->n_rows++;

      if (chunk->len >= (1 << 16) - 4096 && !flush_chunk (stream, chunk, cancellable, error))
        return FALSE;
    }

  return flush_chunk (stream, chunk, cancellable, error);
}

/* One read transaction, on the read-only connection: no write lock */
static gboolean
begin_read (EscSqliteConnection  *connection,
            GError              **error)
{
  GError *local = NULL;

  if (!esc_sqlite_connection_begin_read (connection, &local))
    return esc_store_set_connection_error (error, connection, local);

  return TRUE;
}

static void
export_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *export = task_data;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(EscSqliteConnection) connection = NULL;
  GError *error = NULL;
  sqlite3 *db;
  gboolean ok;

  connection = esc_sqlite_connection_open (export->path, SQLITE_OPEN_READONLY, &error);
  if (connection == NULL)
    {
      GError *sqlite_error = error;

      error = NULL;
      esc_store_set_sqlite_error (&error, NULL, sqlite_error->code, export->path);
      g_error_free (sqlite_error);
      g_task_return_error (task, error);
      return;
    }
  db = esc_sqlite_connection_get_handle (connection);
  sqlite3_busy_timeout (db, 5000);

  stream = g_file_replace (export->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  /* One read transaction: the rows as they were at one moment */
  ok = stream != NULL &&
       begin_read (connection, &error) &&
       export_rows (export, db, G_OUTPUT_STREAM (stream), cancellable, &error);
  esc_sqlite_connection_rollback (connection);
  g_clear_object (&connection);

  /* Closing commits the replacement; a failed export leaves the old file. */
  if (ok)
    ok = g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error);
  else if (stream != NULL)
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * esc_request_list_export_csv_async:
 * @self: a #EscRequestList
 * @file: the CSV file to write (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done, in the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Exports the list as it is now.
 */
void
esc_request_list_export_csv_async (EscRequestList      *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *export;

  g_return_if_fail (ESC_IS_REQUEST_LIST (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_request_list_export_csv_async);

  export = g_new0 (ExportData, 1);
  export->path = g_strdup (self->path);
  export->pending = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->pending)); i++)
    {
      g_autoptr(EscOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->pending), i);
      char **record = pending_record (item);

      if (record != NULL)
        g_ptr_array_add (export->pending, record);
    }
  export->keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->keys->len);
  g_array_append_vals (export->keys, self->keys->data, self->keys->len);
  export->file = g_object_ref (file);
  g_task_set_task_data (task, export, export_data_free);

  esc_store_run_in_thread (task, export_thread_cb);
}

gboolean
esc_request_list_export_csv_finish (EscRequestList  *self,
                                    GAsyncResult    *result,
                                    guint           *n_rows,
                                    GError         **error)
{
  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_rows != NULL)
    {
      ExportData *export = g_task_get_task_data (G_TASK (result));

      *n_rows = export->n_rows;
    }

  return g_task_propagate_boolean (G_TASK (result), error);
}
