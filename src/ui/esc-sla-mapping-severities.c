/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-csv.h"
#include "esc-sla-mapping-private.h"

/* The severity values of a ticket export, each mapped by the person to A, B
 * or C in the column-mapping dialog; a first guess from the mapping last used
 * and from common priority names. */

static const char *severity_letters[] = { "A", "B", "C", NULL };

const EscSupportSeverity esc_sla_mapping_severities[3] = {
  ESC_SUPPORT_SEVERITY_A, ESC_SUPPORT_SEVERITY_B, ESC_SUPPORT_SEVERITY_C,
};

static guint
guess_severity (EscSlaMappingDialog *self,
                const char          *value)
{
  g_autofree char *folded = g_utf8_strdown (value, -1);
  EscSupportSeverity severity;

  if (self->remembered != NULL &&
      esc_compliance_mapping_lookup_severity (self->remembered, value, &severity))
    for (guint i = 0; i < G_N_ELEMENTS (esc_sla_mapping_severities); i++)
      if (esc_sla_mapping_severities[i] == severity)
        return i;

  if (strchr ("1", folded[strlen (folded) - 1]) != NULL || strstr (folded, "crit") != NULL ||
      strstr (folded, "high") != NULL || strstr (folded, "haut") != NULL || strstr (folded, "urgent") != NULL)
    return 0;
  if (strchr ("2", folded[strlen (folded) - 1]) != NULL || strstr (folded, "moder") != NULL ||
      strstr (folded, "medium") != NULL || strstr (folded, "moyen") != NULL || strstr (folded, "major") != NULL)
    return 1;
  return 2;
}

static gboolean
is_letter (const char *value)
{
  g_autofree char *stripped = g_strstrip (g_ascii_strup (value, -1));

  return g_strv_contains (severity_letters, stripped);
}

static void
add_severity_row (EscSlaMappingDialog *self,
                  const char          *value)
{
  GHashTable *seen = self->severity_seen;
  g_autofree char *title = NULL;
  GtkWidget *row;

  if (*value == '\0' || is_letter (value) || g_hash_table_contains (seen, value))
    return;
  g_hash_table_add (seen, g_strdup (value));

  /* Translators: the severity that a value of the file stands for */
  title = g_strdup_printf (_("“%s” means severity"), value);
  row = esc_sla_mapping_new_combo_row (title, G_LIST_MODEL (gtk_string_list_new (severity_letters)));
  g_object_set_data_full (G_OBJECT (row), "value", g_strdup (value), g_free);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), guess_severity (self, value));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->severities_group), row);
  g_ptr_array_add (self->severity_rows, row);
}

/* The severity values of the preview's rows and those remembered, each
 * mapped to A, B or C */
/* The distinct values of one column of the whole file, read in a worker
 * thread: the first lines may not show every severity the file uses */
#define MAX_SEVERITY_VALUES 40

typedef struct
{
  GBytes *contents;
  char    separator;
  guint   column;
} ScanData;

static void
scan_data_free (ScanData *data)
{
  g_bytes_unref (data->contents);
  g_free (data);
}

static void
scan_thread_cb (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ScanData *data = task_data;
  gsize length;
  const char *text = g_bytes_get_data (data->contents, &length);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* A file that is not CSV has no values: the import says what is wrong */
  records = esc_csv_read_full (text, length, MAX_FILE_SIZE, data->separator, NULL, NULL);
  for (guint r = 1; records != NULL && r < records->len && values->len < MAX_SEVERITY_VALUES; r++)
    {
      EscCsvRecord *record = g_ptr_array_index (records, r);
      const char *value;

      if (data->column >= record->n_fields)
        continue;
      value = record->fields[data->column];
      if (*value == '\0' || g_hash_table_contains (seen, value))
        continue;
      g_hash_table_add (seen, (gpointer)value);
      g_ptr_array_add (values, g_strdup (value));
    }
  g_ptr_array_add (values, NULL);
  g_task_return_pointer (task, g_ptr_array_steal (values, NULL), (GDestroyNotify)g_strfreev);
}

static void
scanned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscSlaMappingDialog) self = user_data;
  g_auto(GStrv) values = g_task_propagate_pointer (G_TASK (result), NULL);

  if (values == NULL || g_task_get_cancellable (G_TASK (result)) != self->scan_cancellable)
    return;
  g_clear_object (&self->scan_cancellable);
  gtk_widget_set_sensitive (self->import_button, self->cancellable == NULL);
  for (guint i = 0; values[i] != NULL; i++)
    add_severity_row (self, values[i]);
  gtk_widget_set_visible (self->severities_group, self->severity_rows->len > 0);
}

void
esc_sla_mapping_fill_severities (EscSlaMappingDialog *self)
{
  int column = esc_sla_mapping_dialog_get_column (self, "severity");

  for (guint i = 0; i < self->severity_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->severities_group),
                                  g_ptr_array_index (self->severity_rows, i));
  g_ptr_array_set_size (self->severity_rows, 0);
  g_hash_table_remove_all (self->severity_seen);
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);

  for (guint r = 1; column >= 0 && self->records != NULL && r < self->records->len; r++)
    {
      EscCsvRecord *record = g_ptr_array_index (self->records, r);

      if ((guint)column < record->n_fields)
        add_severity_row (self, record->fields[column]);
    }
  if (self->remembered != NULL)
    {
      g_auto(GStrv) values = esc_compliance_mapping_dup_values (self->remembered);

      for (guint i = 0; values[i] != NULL; i++)
        add_severity_row (self, values[i]);
    }
  gtk_widget_set_visible (self->severities_group, self->severity_rows->len > 0);

  if (column >= 0 && self->contents != NULL)
    {
      ScanData *data = g_new0 (ScanData, 1);
      g_autoptr(GTask) task = NULL;

      data->contents = g_bytes_ref (self->contents);
      data->separator = esc_sla_mapping_chosen_separator (self);
      data->column = (guint)column;
      self->scan_cancellable = g_cancellable_new ();
      /* Import waits for every value to have its row */
      gtk_widget_set_sensitive (self->import_button, FALSE);
      /* The dialog is the callback's, not the task's: GLib's thread pool
       * may let go of a task after its callback ran, and the last reference
       * to a widget must not go in a worker thread */
      task = g_task_new (NULL, self->scan_cancellable, scanned_cb, g_object_ref (self));
      g_task_set_task_data (task, data, (GDestroyNotify)scan_data_free);
      g_task_run_in_thread (task, scan_thread_cb);
    }
}
