/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "esc-compliance-export.h"
#include "esc-sla-compliance-private.h"

/* The Compliance section's Export as PDF and as CSV: the report shown, drawn
 * and written by the report library in a worker thread, with the section's
 * progress bar and Cancel, as the matrices' export does. */

typedef struct
{
  EscComplianceReport  *report;
  EscComplianceHeading *heading;
  EscExportFormat       format;
  EscPaper              paper;
  char                  separator;
  GFile                *file;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_pointer (&data->report, esc_compliance_report_unref);
  g_clear_pointer (&data->heading, esc_compliance_heading_free);
  g_clear_object (&data->file);
  g_free (data);
}

static void
export_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GBytes) contents = NULL;
  GError *error = NULL;

  if (data->format == ESC_EXPORT_PDF)
    contents = esc_compliance_export_pdf (data->report, data->heading, data->paper, cancellable, &error);
  else
    contents = esc_compliance_export_csv (data->report, data->separator);

  if (contents != NULL && esc_compliance_export_write (contents, data->file, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
pulse_cb (gpointer user_data)
{
  EscSlaCompliance *self = user_data;

  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *outer = user_data;
  EscSlaCompliance *self = g_task_get_source_object (outer);
  GError *error = NULL;

  g_clear_handle_id (&self->pulse_timer, g_source_remove);
  /* The section may be gone meanwhile (its template let go) */
  if (self->progress_revealer != NULL)
    gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  g_clear_object (&self->export_cancellable);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  esc_sla_compliance_notify_busy (self);
  g_object_unref (outer);
}

/**
 * esc_sla_compliance_export_async:
 * @self: the section
 * @format: CSV or PDF
 * @paper: a PDF's paper
 * @separator: a CSV's separator, ',' or ';'
 * @file: where
 * @callback: called when written or failed
 * @user_data: data for @callback
 *
 * Writes the report shown in a worker thread; the progress bar's Cancel
 * stops it, leaving no file.
 */
void
esc_sla_compliance_export_async (EscSlaCompliance    *self,
                                 EscExportFormat      format,
                                 EscPaper             paper,
                                 char                 separator,
                                 GFile               *file,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) outer = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  ExportData *data;

  g_return_if_fail (ESC_IS_SLA_COMPLIANCE (self));
  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (outer, esc_sla_compliance_export_async);
  if (self->report == NULL || self->export_cancellable != NULL)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_BUSY,
                               self->report == NULL ? _("There is no report to export.")
                                                    : _("An export is already under way."));
      return;
    }

  data = g_new0 (ExportData, 1);
  data->report = esc_compliance_report_ref (self->report);
  data->heading = esc_compliance_heading_new (esc_session_get_workspace (self->session),
                                              esc_sla_compliance_chosen_source (self), now);
  data->format = format;
  data->paper = paper;
  data->separator = separator;
  data->file = g_object_ref (file);

  self->export_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_text (self->progress_bar, _("Exporting the report"));
  /* Shown only when the export takes a while */
  self->pulse_timer = g_timeout_add (200, pulse_cb, self);
  task = g_task_new (NULL, self->export_cancellable, export_done_cb, g_object_ref (outer));
  g_task_set_task_data (task, data, (GDestroyNotify)export_data_free);
  g_task_run_in_thread (task, export_thread_cb);
  esc_sla_compliance_notify_busy (self);
}

gboolean
esc_sla_compliance_export_finish (EscSlaCompliance  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  EscSlaCompliance *self = ESC_SLA_COMPLIANCE (object);
  g_autoptr(GError) error = NULL;

  if (esc_sla_compliance_export_finish (self, result, &error))
    esc_sla_compliance_show_status (self, _("The report was exported."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    esc_sla_compliance_show_status (self, _("The export was cancelled: no file was written."));
  else
    esc_sla_compliance_show_error (self, _("The Export Failed"), error->message);
}

/* French spreadsheets (a decimal comma) expect semicolons */
static const char *
default_separator (void)
{
  const struct lconv *conv = localeconv ();

  return conv != NULL && g_strcmp0 (conv->decimal_point, ",") == 0 ? "semicolon" : "comma";
}

static void
export_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(EscSlaCompliance) self = user_data;
  EscExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "format"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      const char *paper = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "paper");
      const char *separator = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "separator");

      esc_sla_compliance_export_async (self, format,
                                       g_strcmp0 (paper, "letter") == 0 ? ESC_PAPER_LETTER : ESC_PAPER_A4,
                                       g_strcmp0 (separator, "semicolon") == 0 ? ';' : ',',
                                       file, exported_cb, NULL);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
esc_sla_compliance_export_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EscSlaCompliance *self = ESC_SLA_COMPLIANCE (widget);
  EscExportFormat format = g_str_equal (action_name, "compliance.export-pdf") ? ESC_EXPORT_PDF : ESC_EXPORT_CSV;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (format == ESC_EXPORT_CSV ? _("Export the Report as CSV")
                                                                 : _("Export the Report as PDF"),
                                        esc_sla_compliance_own_window (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  /* Translators: the file name an export suggests; keep the extension */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     format == ESC_EXPORT_CSV ? _("sla-compliance.csv") : _("sla-compliance.pdf"));
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
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "paper",
                                   g_str_has_prefix (gtk_paper_size_get_default (), "na_") ? "letter" : "a4");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "format", GINT_TO_POINTER (format));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
