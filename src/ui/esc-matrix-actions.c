/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "esc-matrix-actions.h"

/* Export ------------------------------------------------------------------- */

/* What the worker tells the main thread, which looks at it on a timer: the
 * worker never touches a widget. */
typedef struct
{
  GMutex mutex;
  guint  done;
  guint  total;
} Progress;

static void
progress_free (Progress *progress)
{
  g_mutex_clear (&progress->mutex);
  g_free (progress);
}

typedef struct
{
  EscExportJob *job;
  GFile        *file;
  Progress     *progress;
  GWeakRef      bar;
  GWeakRef      revealer;
  guint         timer;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_handle_id (&data->timer, g_source_remove);
  esc_export_job_free (data->job);
  g_clear_object (&data->file);
  progress_free (data->progress);
  g_weak_ref_clear (&data->bar);
  g_weak_ref_clear (&data->revealer);
  g_free (data);
}

static void
page_drawn_cb (guint    done,
               guint    total,
               gpointer user_data)
{
  Progress *progress = user_data;

  g_mutex_lock (&progress->mutex);
  progress->done = done;
  progress->total = total;
  g_mutex_unlock (&progress->mutex);
}

static gboolean
show_progress_cb (gpointer user_data)
{
  ExportData *data = user_data;
  g_autoptr(GtkProgressBar) bar = g_weak_ref_get (&data->bar);
  g_autoptr(GtkRevealer) revealer = g_weak_ref_get (&data->revealer);
  g_autofree char *text = NULL;
  guint done, total;

  g_mutex_lock (&data->progress->mutex);
  done = data->progress->done;
  total = data->progress->total;
  g_mutex_unlock (&data->progress->mutex);

  if (revealer != NULL)
    gtk_revealer_set_reveal_child (revealer, TRUE);
  if (bar != NULL && total > 0)
    {
      /* Translators: progress of an export: pages drawn out of all */
      text = g_strdup_printf (_("Exporting: page %u of %u"), done, total);
      gtk_progress_bar_set_fraction (bar, (double)done / total);
      gtk_progress_bar_set_text (bar, text);
    }
  else if (bar != NULL)
    gtk_progress_bar_pulse (bar);

  return G_SOURCE_CONTINUE;
}

static void
export_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  GError *error = NULL;

  if (esc_export_job_run (data->job, data->file, page_drawn_cb, data->progress, cancellable,
                          &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *outer = user_data;
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GtkRevealer) revealer = g_weak_ref_get (&data->revealer);
  GError *error = NULL;

  g_clear_handle_id (&data->timer, g_source_remove);
  if (revealer != NULL)
    gtk_revealer_set_reveal_child (revealer, FALSE);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

/**
 * esc_matrix_export_to_file_async:
 * @context: the page
 * @options: what to export, how
 * @file: where
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when written or failed
 * @user_data: data for @callback
 *
 * Copies the matrix now, then draws and writes it in a worker thread, showing
 * the progress in the page.
 */
void
esc_matrix_export_to_file_async (const EscMatrixContext *context,
                                 const EscExportOptions *options,
                                 GFile                  *file,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) outer = g_task_new (context->page, cancellable, callback, user_data);
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, export_done_cb, g_object_ref (outer));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  ExportData *data = g_new0 (ExportData, 1);

  g_task_set_source_tag (outer, esc_matrix_export_to_file_async);
  data->job = esc_export_job_new (context->workspace, options, now);
  data->file = g_object_ref (file);
  data->progress = g_new0 (Progress, 1);
  g_mutex_init (&data->progress->mutex);
  g_weak_ref_init (&data->bar, context->progress);
  g_weak_ref_init (&data->revealer, context->progress_revealer);
  /* Shown only when the export takes a while */
  data->timer = g_timeout_add (200, show_progress_cb, data);
  g_task_set_task_data (task, data, (GDestroyNotify)export_data_free);

  g_task_run_in_thread (task, export_thread_cb);
}

gboolean
esc_matrix_export_to_file_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
esc_matrix_toast (const EscMatrixContext *context,
                  const char             *title,
                  const char             *undo_action)
{
  AdwToast *toast = adw_toast_new (title);

  if (undo_action != NULL)
    {
      adw_toast_set_button_label (toast, _("Undo"));
      adw_toast_set_detailed_action_name (toast, undo_action);
    }
  adw_toast_overlay_add_toast (context->toasts, toast);
}

static GtkWindow *
page_window (const EscMatrixContext *context)
{
  GtkRoot *root = gtk_widget_get_root (context->page);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
esc_matrix_show_error (const EscMatrixContext *context,
                       const char             *heading,
                       const GError           *error)
{
  GtkWidget *dialog = adw_message_dialog_new (page_window (context), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The context outlives the page's call: the page keeps its own copy alive */
static EscMatrixContext *
context_copy (const EscMatrixContext *context)
{
  EscMatrixContext *copy = g_new0 (EscMatrixContext, 1);

  copy->page = g_object_ref (context->page);
  copy->workspace = g_object_ref (context->workspace);
  copy->kind = context->kind;
  copy->toasts = g_object_ref (context->toasts);
  copy->progress_revealer = g_object_ref (context->progress_revealer);
  copy->progress = g_object_ref (context->progress);

  return copy;
}

static void
context_free (EscMatrixContext *context)
{
  g_clear_object (&context->page);
  g_clear_object (&context->workspace);
  g_clear_object (&context->toasts);
  g_clear_object (&context->progress_revealer);
  g_clear_object (&context->progress);
  g_free (context);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscMatrixContext, context_free)

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EscMatrixContext) context = user_data;
  g_autoptr(GError) error = NULL;

  if (!esc_matrix_export_to_file_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        esc_matrix_show_error (context, _("The Export Failed"), error);
      return;
    }

  esc_matrix_toast (context, _("Exported"), NULL);
}

/* French spreadsheets (a decimal comma) expect semicolons */
static const char *
default_separator (void)
{
  const struct lconv *conv = localeconv ();

  return conv != NULL && g_strcmp0 (conv->decimal_point, ",") == 0 ? "semicolon" : "comma";
}

static const char *
default_paper (void)
{
  return g_str_has_prefix (gtk_paper_size_get_default (), "na_") ? "letter" : "a4";
}

typedef struct
{
  EscMatrixContext *context;
  EscExportFormat   format;
} ChooseData;

static void
export_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  ChooseData *data = user_data;
  EscExportOptions options = { data->context->kind, data->format, ESC_PAPER_A4, ',' };
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      const char *paper = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "paper");
      const char *separator = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "separator");

      if (paper != NULL)
        esc_paper_from_string (paper, &options.paper);
      if (separator != NULL)
        esc_export_separator_from_string (separator, &options.separator);

      esc_matrix_export_to_file_async (data->context, &options, file, NULL, exported_cb,
                                       context_copy (data->context));
    }

  context_free (data->context);
  g_free (data);
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/**
 * esc_matrix_choose_export:
 * @context: the page
 * @format: CSV or PDF
 *
 * Asks where to save (with the separator of a CSV, the paper of a PDF), then exports.
 */
void
esc_matrix_choose_export (const EscMatrixContext *context,
                          EscExportFormat         format)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  ChooseData *data = g_new0 (ChooseData, 1);
  const char *name;

  if (context->kind == ESC_MATRIX_ROLES)
    /* Translators: the file name an export suggests; keep the extension */
    name = format == ESC_EXPORT_CSV ? _("roles-and-responsibilities.csv")
                                    : _("roles-and-responsibilities.pdf");
  else
    name = format == ESC_EXPORT_CSV ? _("routing-matrix.csv") : _("routing-matrix.pdf");

  dialog = gtk_file_chooser_native_new (format == ESC_EXPORT_CSV ? _("Export as CSV")
                                                                 : _("Export as PDF"),
                                        page_window (context), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);

  if (format == ESC_EXPORT_CSV)
    {
      const char *ids[] = { "comma", "semicolon", NULL };
      const char *labels[] = { _("Commas"), _("Semicolons (French spreadsheets)"), NULL };

      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_suffix (filter, "csv");
      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "separator", _("Separate fields with"),
                                   ids, labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "separator", default_separator ());
    }
  else
    {
      const char *ids[] = { "a4", "letter", NULL };
      const char *labels[] = { _("A4, landscape"), _("Letter, landscape"), NULL };

      gtk_file_filter_set_name (filter, _("PDF documents"));
      gtk_file_filter_add_suffix (filter, "pdf");
      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (dialog), "paper", _("Paper"), ids, labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "paper", default_paper ());
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);

  data->context = context_copy (context);
  data->format = format;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_chosen_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Import ------------------------------------------------------------------- */

typedef struct
{
  EscMatrixContext *context;
  GBytes           *contents;
} ImportData;

static void
import_data_free (ImportData *data)
{
  context_free (data->context);
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_free (data);
}

static void
import_confirmed_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ImportData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "import"))
    {
      if (esc_matrix_import_csv (data->context->workspace, data->context->kind, data->contents,
                                 &error))
        esc_matrix_toast (data->context, _("Imported"), NULL);
      else
        esc_matrix_show_error (data->context, _("Nothing Was Imported"), error);
    }

  import_data_free (data);
}

static void
import_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ImportData *data = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  char *contents = NULL;
  gsize length;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error))
    {
      esc_matrix_show_error (data->context, _("The File Could Not Be Read"), error);
      import_data_free (data);
      return;
    }
  data->contents = g_bytes_new_take (contents, length);

  dialog = adw_message_dialog_new (page_window (data->context),
                                   data->context->kind == ESC_MATRIX_ROLES
                                   ? _("Replace the Roles Matrix?")
                                   : _("Replace the Routing Matrix?"),
                                   _("Every row is replaced by the file’s. If a line of the file is wrong, nothing changes and every wrong line is listed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "import", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "import",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (import_confirmed_cb), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  EscMatrixContext *context = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      ImportData *data = g_new0 (ImportData, 1);

      data->context = context;
      g_file_load_contents_async (file, NULL, import_loaded_cb, data);
    }
  else
    context_free (context);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
esc_matrix_choose_import (const EscMatrixContext *context)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Import a CSV File"), page_window (context),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_chosen_cb), context_copy (context));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Print -------------------------------------------------------------------- */

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *print_context,
                gpointer           user_data)
{
  EscMatrixDocument *document = user_data;
  guint n_pages;

  n_pages = esc_matrix_document_paginate (document, gtk_print_context_get_cairo_context (print_context),
                                          gtk_print_context_get_width (print_context),
                                          gtk_print_context_get_height (print_context));
  gtk_print_operation_set_n_pages (operation, (int)n_pages);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *print_context,
              int                page_nr,
              gpointer           user_data)
{
  esc_matrix_document_draw_page (user_data, gtk_print_context_get_cairo_context (print_context),
                                 (guint)page_nr);
}

/**
 * esc_matrix_print:
 * @context: the page
 *
 * Prints the matrix as the PDF export lays it out, landscape.
 */
void
esc_matrix_print (const EscMatrixContext *context)
{
  g_autoptr(GtkPrintOperation) operation = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(EscMatrixDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = esc_matrix_export_build_document (context->workspace, context->kind, now);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_show_progress (operation, TRUE);
  g_signal_connect_data (operation, "begin-print", G_CALLBACK (begin_print_cb),
                         g_object_ref (document), (GClosureNotify)(void (*)(void))g_object_unref, 0);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb),
                         g_object_ref (document), (GClosureNotify)(void (*)(void))g_object_unref, 0);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               page_window (context), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    esc_matrix_show_error (context, _("The Matrix Could Not Be Printed"), error);
}

/* Reset -------------------------------------------------------------------- */

static void
reset_confirmed_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(EscMatrixContext) context = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done;

  if (!g_str_equal (response, "reset"))
    return;

  if (context->kind == ESC_MATRIX_ROLES)
    done = esc_workspace_reset_roles (context->workspace, &error);
  else
    done = esc_workspace_reset_routing (context->workspace, &error);

  if (done)
    esc_matrix_toast (context, _("Reset to the defaults"), NULL);
  else
    esc_matrix_show_error (context, _("The Matrix Was Not Reset"), error);
}

void
esc_matrix_confirm_reset (const EscMatrixContext *context)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (page_window (context),
                                   context->kind == ESC_MATRIX_ROLES
                                   ? _("Reset the Roles Matrix?")
                                   : _("Reset the Routing Matrix?"),
                                   context->kind == ESC_MATRIX_ROLES
                                   ? _("The parties and responsibilities go back to those of the service’s documentation. Your changes are lost.")
                                   : _("The routing rows go back to those of the service’s documentation. Rows you added are removed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (reset_confirmed_cb), context_copy (context));
  gtk_window_present (GTK_WINDOW (dialog));
}
