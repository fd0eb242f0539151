/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-compliance-store.h"
#include "esc-core-error.h"
#include "esc-csv.h"
#include "esc-sla-mapping-private.h"
#include "esc-ui-private.h"

/* The column-mapping dialog of a ticket import. The preview and the choices
 * are read from the file here (its header and first rows only); the import
 * itself, its checks and the mapping remembered per source are the store's. */

#define MAX_PREVIEW_COLUMNS 12

typedef struct
{
  const char *id;
  const char *name;
} Choice;

static const Choice separators[] = {
  { ",", N_("Commas") },
  { ";", N_("Semicolons (French exports)") },
};

static const Choice date_formats[] = {
  { "iso", N_("Year-month-day (2026-03-31 14:05)") },
  { "dmy", N_("Day/month/year (31/03/2026 14:05)") },
  { "mdy", N_("Month/day/year (03/31/2026 2:05 PM)") },
};

static const Choice paused_units[] = {
  { "minutes", N_("Minutes") },
  { "hours", N_("Hours") },
};

/* Lower-case header names that choose a field by themselves, by field */
static const char *guesses[ESC_COMPLIANCE_N_FIELDS][8] = {
  { "ticket-id", "id", "ticket", "ticket id", "number", "numéro", "ticket_id", NULL },
  { "severity", "priority", "gravité", "priorité", "sévérité", NULL },
  { "created", "opened", "created at", "opened at", "créé", "created_at", "ouvert le", NULL },
  { "first-response", "first response", "responded", "first_response", "première réponse", NULL },
  { "last-update", "updated", "last update", "updated at", "last_update", "mis à jour", NULL },
  { "resolved", "resolved at", "closed", "résolu", "resolved_at", "résolu le", NULL },
  { "status", "state", "statut", "état", NULL },
  { "reopened", "reopen count", "rouvert", NULL },
  { "paused", "paused minutes", "on hold", "en attente", NULL },
};



G_DEFINE_FINAL_TYPE (EscSlaMappingDialog, esc_sla_mapping_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkStringList *
choice_model (const Choice *choices,
              guint         n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, _(choices[i].name));
  return list;
}

GtkWidget *
esc_sla_mapping_new_combo_row (const char *title,
               GListModel *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), model);
  g_clear_object (&model);
  esc_ui_combo_row_name_values (ADW_COMBO_ROW (row));
  return row;
}

char
esc_sla_mapping_chosen_separator (EscSlaMappingDialog *self)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (self->separator_row)) == 1 ? ';' : ',';
}

static int
column_of_header (EscSlaMappingDialog *self,
                  const char          *text)
{
  for (guint c = 0; text != NULL && self->header != NULL && self->header[c] != NULL; c++)
    if (g_str_equal (self->header[c], text))
      return (int)c;
  return -1;
}

/* Reading the preview ------------------------------------------------------ */

/* The text up to the end of the line that ends the (PREVIEW_ROWS + 1)th
 * record, or all of it: the preview never reads a big file whole. */
static gsize
preview_length (const char *text,
                gsize       length)
{
  guint lines = 0;
  gboolean quoted = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (text[i] == '\n' && !quoted && ++lines > PREVIEW_ROWS)
        return i + 1;
    }
  return length;
}

static GtkWidget *
cell_label (const char *text,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  /* Whole up to a date and time's length; the preview scrolls sideways */
  gtk_label_set_width_chars (GTK_LABEL (label), (int)MIN (g_utf8_strlen (text, -1), 16));
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
fill_preview (EscSlaMappingDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->preview_grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->preview_grid), child);

  for (guint r = 0; self->records != NULL && r < self->records->len; r++)
    {
      EscCsvRecord *record = g_ptr_array_index (self->records, r);

      for (guint c = 0; c < record->n_fields && c < MAX_PREVIEW_COLUMNS; c++)
        gtk_grid_attach (GTK_GRID (self->preview_grid), cell_label (record->fields[c], r == 0),
                         (int)c, (int)r, 1, 1);
    }
}


static int
guess_column (EscSlaMappingDialog *self,
              EscComplianceField   field)
{
  if (self->remembered != NULL)
    return column_of_header (self, esc_compliance_mapping_get_column (self->remembered, field));

  for (guint c = 0; self->header != NULL && self->header[c] != NULL; c++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (self->header[c]));
      g_autofree char *folded = g_utf8_strdown (stripped, -1);

      for (guint g = 0; guesses[field][g] != NULL; g++)
        if (g_str_equal (folded, guesses[field][g]))
          return (int)c;
    }
  return -1;
}

/* Each field's drop-down: "Not in the file", then the header's columns */
static void
fill_field_rows (EscSlaMappingDialog *self)
{
  self->filling = TRUE;
  for (guint f = 0; f < ESC_COMPLIANCE_N_FIELDS; f++)
    {
      GtkStringList *list = gtk_string_list_new (NULL);
      int guess = guess_column (self, f);

      gtk_string_list_append (list, _("Not in the file"));
      for (guint c = 0; self->header != NULL && self->header[c] != NULL; c++)
        {
          /* Translators: a column of the file: its number and its heading */
          g_autofree char *name = g_strdup_printf (_("Column %u: %s"), c + 1, self->header[c]);

          gtk_string_list_append (list, name);
        }
      adw_combo_row_set_model (ADW_COMBO_ROW (self->field_rows[f]), G_LIST_MODEL (list));
      g_object_unref (list);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->field_rows[f]), (guint)(guess + 1));
    }
  self->filling = FALSE;
}

static void
read_preview (EscSlaMappingDialog *self)
{
  gsize length;
  const char *text = g_bytes_get_data (self->contents, &length);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->header, g_strfreev);
  self->records = esc_csv_read_full (text, preview_length (text, length), MAX_FILE_SIZE,
                                     esc_sla_mapping_chosen_separator (self), NULL, &error);
  if (self->records == NULL || self->records->len == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->error_label),
                          error != NULL ? error->message : _("The file is empty."));
      gtk_widget_set_visible (self->error_label, TRUE);
    }
  else
    {
      EscCsvRecord *first = g_ptr_array_index (self->records, 0);

      self->header = g_strdupv (first->fields);
      gtk_widget_set_visible (self->error_label, FALSE);
    }

  fill_preview (self);
  fill_field_rows (self);
  esc_sla_mapping_fill_severities (self);
}

static void
separator_changed_cb (EscSlaMappingDialog *self)
{
  if (!self->filling)
    read_preview (self);
}

static void
severity_column_changed_cb (EscSlaMappingDialog *self)
{
  if (!self->filling)
    esc_sla_mapping_fill_severities (self);
}

/* Problems ----------------------------------------------------------------- */

static void
clear_problems (EscSlaMappingDialog *self)
{
  for (guint i = 0; i < self->problem_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->problems_group),
                                  g_ptr_array_index (self->problem_rows, i));
  g_ptr_array_set_size (self->problem_rows, 0);
  gtk_widget_set_visible (self->problems_group, FALSE);
  gtk_widget_set_visible (self->error_label, FALSE);
  g_clear_pointer (&self->problems, g_free);
}

/* The rows shown: a screen of them is enough to read; the last says how many
 * more there are */
#define MAX_PROBLEM_ROWS 200

static void
add_problem_row (EscSlaMappingDialog *self,
                 const char          *title)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (row, "esc-field-error");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->problems_group), row);
  g_ptr_array_add (self->problem_rows, row);
}

static void
show_problems (EscSlaMappingDialog *self,
               GPtrArray           *problems)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *description = NULL;

  clear_problems (self);
  for (guint i = 0; i < problems->len; i++)
    {
      EscComplianceProblem *problem = g_ptr_array_index (problems, i);
      g_autofree char *line = NULL;

      if (problem->line > 0)
        /* Translators: a bad line of the file: its number, and why */
        line = g_strdup_printf (_("Line %u: %s"), problem->line, problem->reason);
      else
        line = g_strdup (problem->reason);
      g_string_append_printf (text, "%s\n", line);
      if (i < MAX_PROBLEM_ROWS)
        add_problem_row (self, line);
    }
  if (problems->len > MAX_PROBLEM_ROWS)
    {
      guint more = problems->len - MAX_PROBLEM_ROWS;
      g_autofree char *rest = g_strdup_printf (ngettext ("And %u more line", "And %u more lines", more), more);

      add_problem_row (self, rest);
    }

  description = g_strdup_printf (ngettext ("Nothing was imported: %u line is wrong. Correct it in the file, or the choices below, then import again.",
                                           "Nothing was imported: %u lines are wrong. Correct them in the file, or the choices below, then import again.",
                                           problems->len),
                                 problems->len);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->problems_group), description);
  self->problems = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_widget_set_visible (self->problems_group, TRUE);
}

static void
show_error (EscSlaMappingDialog *self,
            const char          *text)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), text);
  gtk_widget_set_visible (self->error_label, TRUE);
  g_free (self->problems);
  self->problems = g_strdup (text);
}

/* Import ------------------------------------------------------------------- */

static void
set_busy (EscSlaMappingDialog *self,
          gboolean             busy)
{
  gtk_widget_set_sensitive (self->import_button, !busy && self->scan_cancellable == NULL);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), busy);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), _("Reading the file"));
  if (!busy)
    g_clear_object (&self->cancellable);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  EscSlaMappingDialog *self = user_data;
  g_autofree char *text = NULL;

  if (self->cancellable == NULL || total == 0)
    return;
  /* Translators: an import's progress: lines read out of all */
  text = g_strdup_printf (_("Line %u of %u"), (guint)MIN (done, G_MAXUINT), (guint)MIN (total, G_MAXUINT));
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), MIN (1.0, (double)done / total));
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (self->progress_bar), text);
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EscSlaMappingDialog) self = user_data;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint n_imported = 0;

  if (esc_workspace_import_tickets_finish (ESC_WORKSPACE (source), result, &n_imported, &problems, &error))
    {
      set_busy (self, FALSE);
      g_signal_emit (self, signals[IMPORTED], 0, n_imported);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("The import was cancelled: nothing was imported."));
  else if (problems != NULL && problems->len > 0)
    show_problems (self, problems);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was imported: %s"), error->message);

      show_error (self, text);
    }
}

static EscComplianceMapping *
build_mapping (EscSlaMappingDialog *self,
               GError             **error)
{
  g_autofree char *source = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_row))));
  g_autoptr(EscComplianceMapping) mapping = NULL;
  guint date = adw_combo_row_get_selected (ADW_COMBO_ROW (self->date_row));

  if (*source == '\0')
    {
      g_set_error_literal (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                           _("Name the source of the file, e.g. the help desk’s tool."));
      return NULL;
    }

  mapping = esc_compliance_mapping_new (source);
  esc_compliance_mapping_set_separator (mapping, esc_sla_mapping_chosen_separator (self));
  esc_compliance_mapping_set_date_format (mapping, date == 1 ? ESC_COMPLIANCE_DATE_DMY
                                                   : date == 2 ? ESC_COMPLIANCE_DATE_MDY
                                                   : ESC_COMPLIANCE_DATE_ISO);
  esc_compliance_mapping_set_paused_unit (mapping,
                                          adw_combo_row_get_selected (ADW_COMBO_ROW (self->paused_row)) == 1
                                          ? ESC_COMPLIANCE_PAUSED_HOURS : ESC_COMPLIANCE_PAUSED_MINUTES);
  if (!esc_compliance_mapping_set_time_zone (mapping, gtk_editable_get_text (GTK_EDITABLE (self->zone_row)),
                                             error))
    return NULL;
  if (self->header != NULL)
    esc_compliance_mapping_set_header (mapping, (const char * const *)self->header);

  for (guint f = 0; f < ESC_COMPLIANCE_N_FIELDS; f++)
    {
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->field_rows[f]));

      if (selected > 0 && self->header != NULL && selected <= g_strv_length (self->header))
        esc_compliance_mapping_set_column (mapping, f, self->header[selected - 1]);
      else if (esc_compliance_field_is_required (f))
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       /* Translators: %s is a field, e.g. "Ticket ID" */
                       _("Choose the column that holds “%s”."), esc_compliance_field_get_label (f));
          return NULL;
        }
    }

  for (guint i = 0; i < self->severity_rows->len; i++)
    {
      GObject *row = g_ptr_array_index (self->severity_rows, i);
      guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (row));

      esc_compliance_mapping_set_severity (mapping, g_object_get_data (row, "value"),
                                           esc_sla_mapping_severities[MIN (selected, 2)]);
    }

  return g_steal_pointer (&mapping);
}

/**
 * esc_sla_mapping_dialog_import:
 * @self: the dialog
 *
 * Imports the file with the choices made, as Import does.
 */
void
esc_sla_mapping_dialog_import (EscSlaMappingDialog *self)
{
  g_autoptr(EscComplianceMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ESC_IS_SLA_MAPPING_DIALOG (self));

  if (self->cancellable != NULL || self->scan_cancellable != NULL)
    return;
  clear_problems (self);
  mapping = build_mapping (self, &error);
  if (mapping == NULL)
    {
      show_error (self, error->message);
      return;
    }

  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  esc_workspace_import_tickets_async (self->workspace, mapping, self->contents,
                                      progress_cb, g_object_ref (self), g_object_unref,
                                      self->cancellable, imported_cb, g_object_ref (self));
}

/* GObject ------------------------------------------------------------------ */

static void
esc_sla_mapping_dialog_dispose (GObject *object)
{
  EscSlaMappingDialog *self = (EscSlaMappingDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_clear_object (&self->workspace);
  g_clear_object (&self->remembered);
  g_clear_pointer (&self->contents, g_bytes_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->header, g_strfreev);
  g_clear_pointer (&self->problems, g_free);

  G_OBJECT_CLASS (esc_sla_mapping_dialog_parent_class)->dispose (object);
}

static void
esc_sla_mapping_dialog_finalize (GObject *object)
{
  EscSlaMappingDialog *self = (EscSlaMappingDialog *)object;

  g_ptr_array_unref (self->severity_rows);
  g_hash_table_unref (self->severity_seen);
  g_ptr_array_unref (self->problem_rows);

  G_OBJECT_CLASS (esc_sla_mapping_dialog_parent_class)->finalize (object);
}

static gboolean
close_request_cb (GtkWindow *window)
{
  EscSlaMappingDialog *self = ESC_SLA_MAPPING_DIALOG (window);

  /* Closing while importing cancels: nothing is stored */
  g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
esc_sla_mapping_dialog_class_init (EscSlaMappingDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = esc_sla_mapping_dialog_dispose;
  object_class->finalize = esc_sla_mapping_dialog_finalize;
  window_class->close_request = close_request_cb;

  /**
   * EscSlaMappingDialog::imported:
   * @n_tickets: how many tickets were stored
   *
   * The file was imported, whole.
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
new_group (GtkWidget  *page,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  return group;
}

static void
cancel_clicked_cb (EscSlaMappingDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
esc_sla_mapping_dialog_init (EscSlaMappingDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group;
  GtkWidget *scroller;
  GtkWidget *bar_box;

  self->severity_rows = g_ptr_array_new ();
  self->severity_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problem_rows = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Import Tickets"));
  gtk_window_set_default_size (GTK_WINDOW (self), 760, 720);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);

  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), self->cancel_button);
  self->import_button = gtk_button_new_with_mnemonic (_("_Import"));
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  g_signal_connect_swapped (self->import_button, "clicked", G_CALLBACK (esc_sla_mapping_dialog_import), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->import_button);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->import_button);
  gtk_box_append (GTK_BOX (box), header);

  /* The progress of an import, under the header; Cancel stops it */
  self->progress_bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (self->progress_bar), TRUE);
  bar_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_margin_start (bar_box, 12);
  gtk_widget_set_margin_end (bar_box, 12);
  gtk_widget_set_margin_top (bar_box, 6);
  gtk_widget_set_margin_bottom (bar_box, 6);
  gtk_box_append (GTK_BOX (bar_box), self->progress_bar);
  self->progress_revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->progress_revealer), bar_box);
  gtk_box_append (GTK_BOX (box), self->progress_revealer);

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);

  /* What went wrong, on top, where it is seen */
  self->problems_group = new_group (page, _("Lines Not Imported"), NULL);
  gtk_widget_set_visible (self->problems_group, FALSE);

  group = new_group (page, _("File"), NULL);
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_set_margin_bottom (self->error_label, 12);
  gtk_widget_add_css_class (self->error_label, "esc-import-error");
  gtk_widget_set_visible (self->error_label, FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->error_label);
  self->source_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->source_row), _("Source (the help desk’s tool)"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->source_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->source_row);
  self->separator_row = esc_sla_mapping_new_combo_row (_("Fields separated by"),
                                       G_LIST_MODEL (choice_model (separators, G_N_ELEMENTS (separators))));
  g_signal_connect_swapped (self->separator_row, "notify::selected", G_CALLBACK (separator_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->separator_row);
  self->date_row = esc_sla_mapping_new_combo_row (_("Date format"),
                                  G_LIST_MODEL (choice_model (date_formats, G_N_ELEMENTS (date_formats))));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->date_row);
  self->zone_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->zone_row), _("Time zone of the dates (e.g. Europe/Paris)"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (self->zone_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->zone_row);
  self->paused_row = esc_sla_mapping_new_combo_row (_("Paused time counted in"),
                                    G_LIST_MODEL (choice_model (paused_units, G_N_ELEMENTS (paused_units))));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->paused_row);

  group = new_group (page, _("First Lines of the File"), NULL);
  self->preview_grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (self->preview_grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (self->preview_grid), 6);
  gtk_widget_set_margin_start (self->preview_grid, 12);
  gtk_widget_set_margin_end (self->preview_grid, 12);
  gtk_widget_set_margin_top (self->preview_grid, 12);
  gtk_widget_set_margin_bottom (self->preview_grid, 12);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->preview_grid);
  gtk_widget_add_css_class (scroller, "card");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), scroller);

  group = new_group (page, _("Columns"),
                     _("The column of the file that holds each field. Ticket ID, severity and creation time are needed."));
  for (guint f = 0; f < ESC_COMPLIANCE_N_FIELDS; f++)
    {
      self->field_rows[f] = esc_sla_mapping_new_combo_row (esc_compliance_field_get_label (f), NULL);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->field_rows[f]);
    }
  g_signal_connect_swapped (self->field_rows[ESC_COMPLIANCE_FIELD_SEVERITY], "notify::selected",
                            G_CALLBACK (severity_column_changed_cb), self);

  self->severities_group = new_group (page, _("Severities"),
                                      _("The severity of the agreement that each value of the file stands for. The letters A, B and C stand for themselves."));

  adw_window_set_content (ADW_WINDOW (self), box);
}

gboolean
esc_sla_mapping_dialog_get_busy (EscSlaMappingDialog *self)
{
  g_return_val_if_fail (ESC_IS_SLA_MAPPING_DIALOG (self), FALSE);

  return self->cancellable != NULL || self->scan_cancellable != NULL;
}

static int
field_of_id (const char *id)
{
  for (guint f = 0; f < ESC_COMPLIANCE_N_FIELDS; f++)
    if (g_str_equal (esc_compliance_field_to_string (f), id))
      return (int)f;
  return -1;
}

int
esc_sla_mapping_dialog_get_column (EscSlaMappingDialog *self,
                                   const char          *field)
{
  int f = field_of_id (field);

  g_return_val_if_fail (ESC_IS_SLA_MAPPING_DIALOG (self), -1);
  g_return_val_if_fail (f >= 0, -1);

  return (int)adw_combo_row_get_selected (ADW_COMBO_ROW (self->field_rows[f])) - 1;
}

void
esc_sla_mapping_dialog_set_column (EscSlaMappingDialog *self,
                                   const char          *field,
                                   int                  column)
{
  int f = field_of_id (field);

  g_return_if_fail (ESC_IS_SLA_MAPPING_DIALOG (self));
  g_return_if_fail (f >= 0);

  adw_combo_row_set_selected (ADW_COMBO_ROW (self->field_rows[f]), (guint)(column + 1));
}

char *
esc_sla_mapping_dialog_get_problems (EscSlaMappingDialog *self)
{
  g_return_val_if_fail (ESC_IS_SLA_MAPPING_DIALOG (self), NULL);

  return g_strdup (self->problems != NULL ? self->problems : "");
}

static char *
source_from_file_name (const char *file_name)
{
  g_autofree char *base = g_path_get_basename (file_name != NULL ? file_name : "");
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

/**
 * esc_sla_mapping_dialog_new:
 * @parent: (nullable): the window it is for
 * @workspace: where the tickets go
 * @file_name: the file's name: the source's name by default
 * @contents: the file's bytes
 *
 * Returns: (transfer floating): the dialog, not yet shown
 */
EscSlaMappingDialog *
esc_sla_mapping_dialog_new (GtkWindow    *parent,
                            EscWorkspace *workspace,
                            const char   *file_name,
                            GBytes       *contents)
{
  EscSlaMappingDialog *self;
  g_auto(GStrv) header = NULL;
  g_autofree char *source = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *zone = g_time_zone_get_identifier (local);
  char separator = ',';
  gsize length;
  const char *text;

  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (contents != NULL, NULL);

  self = g_object_new (ESC_TYPE_SLA_MAPPING_DIALOG, "transient-for", parent, "destroy-with-parent", TRUE, NULL);
  self->workspace = g_object_ref (workspace);
  self->contents = g_bytes_ref (contents);
  text = g_bytes_get_data (contents, &length);

  /* The mapping last used for a file with this header, if any */
  header = esc_compliance_read_header (text, length, &separator, NULL);
  if (header != NULL)
    self->remembered = esc_workspace_find_compliance_mapping (workspace, (const char * const *)header, NULL);

  self->filling = TRUE;
  if (self->remembered != NULL)
    {
      EscComplianceDateFormat format = esc_compliance_mapping_get_date_format (self->remembered);

      separator = esc_compliance_mapping_get_separator (self->remembered);
      source = g_strdup (esc_compliance_mapping_get_source (self->remembered));
      zone = esc_compliance_mapping_get_time_zone (self->remembered);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->date_row),
                                  format == ESC_COMPLIANCE_DATE_DMY ? 1 : format == ESC_COMPLIANCE_DATE_MDY ? 2 : 0);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->paused_row),
                                  esc_compliance_mapping_get_paused_unit (self->remembered) == ESC_COMPLIANCE_PAUSED_HOURS);
    }
  else
    {
      source = source_from_file_name (file_name);
      /* French exports write days first */
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->date_row), separator == ';' ? 1 : 0);
    }
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->separator_row), separator == ';');
  gtk_editable_set_text (GTK_EDITABLE (self->source_row), source);
  /* A local zone read from a file has no IANA name to give */
  if (zone == NULL || *zone == '\0' || *zone == '/' || *zone == ':' || g_str_equal (zone, "Local"))
    zone = "UTC";
  gtk_editable_set_text (GTK_EDITABLE (self->zone_row), zone);
  self->filling = FALSE;

  read_preview (self);
  esc_ui_name_controls (GTK_WIDGET (self));
  /* What a person checks first, and Return imports from there */
  gtk_window_set_focus (GTK_WINDOW (self), self->source_row);

  return self;
}
