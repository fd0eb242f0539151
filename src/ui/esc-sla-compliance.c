/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-compliance-export.h"
#include "esc-compliance-store.h"
#include "esc-request-format.h"
#include "esc-sla-compliance-private.h"
#include "esc-sla-mapping-dialog.h"
#include "esc-ui-private.h"

/* The Compliance section of the SLAs screen. The tickets are the workspace's
 * (imported from the help desk's CSV exports); the terms they are measured
 * against are an agreement version read from the service by the screen. The
 * report is computed by the store in a worker thread each time either
 * changes; the chart is drawn by the report library with the theme's named
 * colours, and described in words for screen readers. */

#define MAX_OFFENDERS 10

static const EscSupportSeverity severities[] = {
  ESC_SUPPORT_SEVERITY_A, ESC_SUPPORT_SEVERITY_B, ESC_SUPPORT_SEVERITY_C,
};


G_DEFINE_FINAL_TYPE (EscSlaCompliance, esc_sla_compliance, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWindow *
esc_sla_compliance_own_window (EscSlaCompliance *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
esc_sla_compliance_show_status (EscSlaCompliance *self,
             const char       *text)
{
  /* An answer may come after the section was let go */
  if (self->status_label == NULL)
    return;
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

void
esc_sla_compliance_show_error (EscSlaCompliance *self,
                   const char       *heading,
                   const char       *body)
{
  GtkWidget *dialog = adw_message_dialog_new (esc_sla_compliance_own_window (self), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_body_use_markup (ADW_MESSAGE_DIALOG (dialog), FALSE);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
esc_sla_compliance_notify_busy (EscSlaCompliance *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* The chart ---------------------------------------------------------------- */

static void
to_chart_color (const GdkRGBA *rgba,
                EscChartColor *color)
{
  color->red = rgba->red;
  color->green = rgba->green;
  color->blue = rgba->blue;
  color->alpha = rgba->alpha;
}

/* The theme's named colours, light, dark or high contrast: the series keep
 * the meaning they have everywhere in the app (green met, red breached, the
 * accent for what is still running) */
static void
theme_colors (GtkWidget      *widget,
              EscChartColors *colors)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  static const char *names[] = { "success_color", "error_color", "accent_color" };
  GdkRGBA rgba;

  esc_compliance_chart_default_colors (colors);
  gtk_style_context_get_color (context, &rgba);
  to_chart_color (&rgba, &colors->foreground);
  colors->background.alpha = 0;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (gtk_style_context_lookup_color (context, names[i], &rgba))
      to_chart_color (&rgba, &colors->series[i]);
}

static void
draw_chart_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  EscSlaCompliance *self = user_data;
  g_autofree char *font = NULL;
  EscChartColors colors;

  if (self->report == NULL)
    return;
  theme_colors (GTK_WIDGET (area), &colors);
  g_object_get (gtk_widget_get_settings (GTK_WIDGET (area)), "gtk-font-name", &font, NULL);
  esc_compliance_chart_draw (self->report, cr, width, height, &colors, font);
}

/* The report --------------------------------------------------------------- */

static char *
format_month (guint year,
              guint month)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc ((int)year, (int)month, 1, 0, 0, 0);

  /* Translators: a month of the report, as g_date_time_format() writes it (%OB: the month's name) */
  return date != NULL ? g_date_time_format (date, _("%OB %Y")) : g_strdup_printf ("%u-%02u", year, month);
}

static char *
format_rate (guint met,
             guint breached)
{
  if (met + breached == 0)
    return g_strdup ("—");
  /* Translators: the share of tickets measured that met their targets */
  return g_strdup_printf (_("%.0f %%"), 100.0 * met / (met + breached));
}

static void
grid_cell (EscSlaCompliance *self,
           const char       *text,
           int               column,
           int               row,
           gboolean          heading,
           gboolean          number)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  gtk_widget_set_hexpand (label, column == 0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->report_grid, label, column, row, 1, 1);
}

static void
grid_row (EscSlaCompliance *self,
          int               row,
          const char       *month,
          const char       *severity,
          guint             met,
          guint             breached,
          guint             in_progress,
          gboolean          heading)
{
  g_autofree char *met_text = g_strdup_printf ("%u", met);
  g_autofree char *breached_text = g_strdup_printf ("%u", breached);
  g_autofree char *in_progress_text = g_strdup_printf ("%u", in_progress);
  g_autofree char *rate = format_rate (met, breached);

  grid_cell (self, month, 0, row, heading, FALSE);
  grid_cell (self, severity, 1, row, heading, FALSE);
  grid_cell (self, met_text, 2, row, heading, TRUE);
  grid_cell (self, breached_text, 3, row, heading, TRUE);
  grid_cell (self, in_progress_text, 4, row, heading, TRUE);
  grid_cell (self, rate, 5, row, heading, TRUE);
}

static void
fill_grid (EscSlaCompliance *self)
{
  GtkWidget *child;
  EscComplianceMonth totals;
  int row = 1;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->report_grid))) != NULL)
    gtk_grid_remove (self->report_grid, child);

  grid_cell (self, _("Month"), 0, 0, TRUE, FALSE);
  grid_cell (self, _("Severity"), 1, 0, TRUE, FALSE);
  grid_cell (self, _("Met"), 2, 0, TRUE, TRUE);
  grid_cell (self, _("Breached"), 3, 0, TRUE, TRUE);
  grid_cell (self, _("In progress"), 4, 0, TRUE, TRUE);
  grid_cell (self, _("Compliance"), 5, 0, TRUE, TRUE);

  for (guint i = 0; i < esc_compliance_report_get_n_months (self->report); i++)
    {
      const EscComplianceMonth *month = esc_compliance_report_get_month (self->report, i);
      g_autofree char *name = format_month (month->year, month->month);

      for (guint s = 0; s < G_N_ELEMENTS (severities); s++)
        {
          if (month->met[s] + month->breached[s] + month->in_progress[s] == 0)
            continue;
          grid_row (self, row++, name, esc_support_severity_to_string (severities[s]),
                    month->met[s], month->breached[s], month->in_progress[s], FALSE);
        }
    }

  esc_compliance_report_get_totals (self->report, &totals);
  grid_row (self, row, _("All months"), _("All"),
            totals.met[0] + totals.met[1] + totals.met[2],
            totals.breached[0] + totals.breached[1] + totals.breached[2],
            totals.in_progress[0] + totals.in_progress[1] + totals.in_progress[2], TRUE);
}

static const char *
metric_name (EscSlaMetricKind metric)
{
  switch (metric)
    {
    case ESC_SLA_METRIC_FIRST_RESPONSE:
      return _("First response");
    case ESC_SLA_METRIC_UPDATE:
      return _("Update");
    case ESC_SLA_METRIC_RESOLUTION:
    default:
      return _("Resolution");
    }
}

static void
fill_offenders (EscSlaCompliance *self)
{
  guint n = esc_compliance_report_get_n_offenders (self->report);

  for (guint i = 0; i < self->offender_rows->len; i++)
    adw_preferences_group_remove (self->offenders_group, g_ptr_array_index (self->offender_rows, i));
  g_ptr_array_set_size (self->offender_rows, 0);

  for (guint i = 0; i < n; i++)
    {
      const EscComplianceOffender *offender = esc_compliance_report_get_offender (self->report, i);
      g_autoptr(GDateTime) created = g_date_time_new_from_unix_local (offender->created / G_USEC_PER_SEC);
      g_autofree char *when = esc_request_format_time_long (created);
      g_autofree char *overrun = esc_compliance_format_span (offender->overrun);
      g_autofree char *target = esc_compliance_format_span (offender->target);
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      /* Translators: a ticket of the worst offenders: its id and severity */
      title = g_strdup_printf (_("%s, severity %s"), offender->ticket_id,
                               esc_support_severity_to_string (offender->severity));
      /* Translators: which clock ran over, by how much, its target, when the ticket was opened and whether it is resolved */
      subtitle = g_strdup_printf (offender->resolved ? _("%s: %s over a target of %s · opened %s · resolved")
                                                     : _("%s: %s over a target of %s · opened %s · still open"),
                                  metric_name (offender->metric), overrun, target, when);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_add_css_class (row, "esc-property");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
      adw_preferences_group_add (self->offenders_group, row);
      g_ptr_array_add (self->offender_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->offenders_group), n > 0);
}

static char *version_label (EscSlaAgreementVersion *version);
static EscSlaAgreementVersion *chosen_version (EscSlaCompliance *self);

static char *
summary_text (EscSlaCompliance    *self,
              EscComplianceReport *report)
{
  g_autofree char *against = NULL;
  EscComplianceMonth totals;
  guint met, breached, in_progress, all;
  g_autofree char *rate = NULL;

  esc_compliance_report_get_totals (report, &totals);
  met = totals.met[0] + totals.met[1] + totals.met[2];
  breached = totals.breached[0] + totals.breached[1] + totals.breached[2];
  in_progress = totals.in_progress[0] + totals.in_progress[1] + totals.in_progress[2];
  all = met + breached + in_progress;
  rate = format_rate (met, breached);
  against = chosen_version (self) != NULL ? version_label (chosen_version (self))
                                          : g_strdup (esc_compliance_report_get_agreement (report));

  /* Translators: the report in one sentence: tickets, met, breached, in
   * progress, the compliance rate, and the agreement measured against */
  return g_strdup_printf (ngettext ("%u ticket: %u met, %u breached, %u in progress. Compliance: %s. Measured against %s.",
                                    "%u tickets: %u met, %u breached, %u in progress. Compliance: %s. Measured against %s.",
                                    all),
                          all, met, breached, in_progress, rate, against);
}

static void
show_report (EscSlaCompliance *self)
{
  gboolean has_months = self->report != NULL && esc_compliance_report_get_n_months (self->report) > 0;

  gtk_widget_set_visible (self->report_box, has_months);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compliance.export-pdf", has_months);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compliance.export-csv", has_months);
  gtk_widget_set_sensitive (self->export_button, has_months);
  if (!has_months)
    return;

  {
    g_autofree char *summary = summary_text (self, self->report);
    g_autofree char *description = esc_compliance_chart_describe (self->report);

    gtk_label_set_text (self->summary_label, summary);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }
  fill_grid (self);
  fill_offenders (self);
  gtk_widget_queue_draw (self->chart);
}

/* The version chosen in the drop-down */
static EscSlaAgreementVersion *
chosen_version (EscSlaCompliance *self)
{
  guint selected = adw_combo_row_get_selected (self->agreement_row);

  if (self->versions == NULL || selected >= self->versions->len)
    return NULL;
  return g_ptr_array_index (self->versions, selected);
}

static EscCalendar *
find_calendar (EscSlaCompliance *self,
               const char       *id)
{
  for (guint i = 0; self->calendars != NULL && i < self->calendars->len; i++)
    if (g_strcmp0 (esc_calendar_get_id (g_ptr_array_index (self->calendars, i)), id) == 0)
      return g_ptr_array_index (self->calendars, i);
  return NULL;
}

const char *
esc_sla_compliance_chosen_source (EscSlaCompliance *self)
{
  guint selected = adw_combo_row_get_selected (self->source_row);

  /* The first choice is every source */
  if (self->sources == NULL || selected == 0 || selected > g_strv_length (self->sources))
    return NULL;
  return self->sources[selected - 1];
}

static void
report_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EscSlaCompliance) self = user_data;
  g_autoptr(EscComplianceReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = esc_workspace_compliance_report_finish (ESC_WORKSPACE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  g_clear_pointer (&self->report, esc_compliance_report_unref);
  if (report == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The report could not be computed: %s"), error->message);

      esc_sla_compliance_show_status (self, text);
    }
  else if (esc_compliance_report_get_n_months (report) == 0)
    esc_sla_compliance_show_status (self, _("No ticket was opened in this period."));
  self->report = g_steal_pointer (&report);
  show_report (self);
  esc_sla_compliance_notify_busy (self);
}

/* The start of the period chosen: the first day of the month N - 1 months
 * ago, local time (microseconds, UTC); 0 for all months */
static gint64
chosen_start (EscSlaCompliance *self)
{
  static const int months[] = { 0, 3, 6, 12 };
  guint selected = adw_combo_row_get_selected (self->period_row);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) start = NULL;

  if (selected == 0 || selected >= G_N_ELEMENTS (months))
    return 0;
  now = g_date_time_new_now_local ();
  first = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now), 1, 0, 0, 0);
  start = g_date_time_add_months (first, 1 - months[selected]);
  return g_date_time_to_unix (start) * G_USEC_PER_SEC;
}

static void
fill_sources (EscSlaCompliance *self,
              EscWorkspace     *workspace)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autofree char *previous = g_strdup (esc_sla_compliance_chosen_source (self));
  guint selected = 0;

  g_clear_pointer (&self->sources, g_strfreev);
  self->sources = esc_workspace_list_compliance_sources (workspace, NULL);
  gtk_string_list_append (list, _("All sources"));
  for (guint i = 0; self->sources != NULL && self->sources[i] != NULL; i++)
    {
      gtk_string_list_append (list, self->sources[i]);
      if (g_strcmp0 (previous, self->sources[i]) == 0)
        selected = i + 1;
    }
  self->filling = TRUE;
  adw_combo_row_set_model (self->source_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->source_row, selected);
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->source_row),
                          self->sources != NULL && g_strv_length (self->sources) > 1);
}

/**
 * esc_sla_compliance_reload:
 * @self: the section
 *
 * Reads the sources and computes the report again.
 */
void
esc_sla_compliance_reload (EscSlaCompliance *self)
{
  EscWorkspace *workspace;
  EscSlaAgreementVersion *version;
  EscCalendar *calendar = NULL;
  guint64 count = 0;

  g_return_if_fail (ESC_IS_SLA_COMPLIANCE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, esc_compliance_report_unref);
  esc_sla_compliance_show_status (self, NULL);

  workspace = esc_session_get_workspace (self->session);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compliance.import", workspace != NULL);
  if (workspace == NULL)
    {
      gtk_widget_set_visible (self->empty_label, FALSE);
      show_report (self);
      esc_sla_compliance_show_status (self, _("Open a workspace to import tickets."));
      esc_sla_compliance_notify_busy (self);
      return;
    }

  fill_sources (self, workspace);
  esc_workspace_count_tickets (workspace, NULL, &count, NULL);
  gtk_widget_set_visible (self->empty_label, count == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->period_row), FALSE);
  if (count == 0)
    {
      show_report (self);
      esc_sla_compliance_notify_busy (self);
      return;
    }

  version = chosen_version (self);
  if (version != NULL)
    calendar = find_calendar (self, esc_sla_agreement_version_get_calendar_id (version));
  if (version == NULL || calendar == NULL)
    {
      g_autofree char *text = NULL;

      if (version == NULL)
        text = g_strdup_printf (ngettext ("%u ticket imported. It is measured against an SLA agreement: sign in as an IT administrator or a partner manager to see the report.",
                                          "%u tickets imported. They are measured against an SLA agreement: sign in as an IT administrator or a partner manager to see the report.",
                                          (gulong)MIN (count, G_MAXUINT)), (guint)MIN (count, G_MAXUINT));
      else
        text = g_strdup_printf (_("The calendar “%s” of this agreement could not be read: the tickets cannot be measured."),
                                esc_sla_agreement_version_get_calendar_id (version));
      esc_sla_compliance_show_status (self, text);
      show_report (self);
      esc_sla_compliance_notify_busy (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->period_row), TRUE);
  self->cancellable = g_cancellable_new ();
  esc_workspace_compliance_report_async (workspace, esc_sla_compliance_chosen_source (self), chosen_start (self), 0,
                                         version, calendar,
                                         g_get_real_time (), MAX_OFFENDERS, self->cancellable,
                                         report_done_cb, g_object_ref (self));
  esc_sla_compliance_notify_busy (self);
}

static char *
version_label (EscSlaAgreementVersion *version)
{
  EscSlaVersionState state = esc_sla_agreement_version_get_state (version);

  /* Translators: an agreement's version to measure against, e.g. "SLA-000001, version 2 (agreed)" */
  return g_strdup_printf (state == ESC_SLA_VERSION_DRAFT ? _("%s, version %u (draft)")
                          : state == ESC_SLA_VERSION_AGREED ? _("%s, version %u (agreed)")
                          : _("%s, version %u (no longer in force)"),
                          esc_sla_agreement_version_get_agreement_id (version),
                          esc_sla_agreement_version_get_version (version));
}

void
esc_sla_compliance_set_terms (EscSlaCompliance *self,
                              GPtrArray        *versions,
                              GPtrArray        *calendars)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  EscSlaAgreementVersion *previous;
  g_autofree char *previous_id = NULL;
  guint previous_number = 0;
  guint selected = 0;

  g_return_if_fail (ESC_IS_SLA_COMPLIANCE (self));

  previous = chosen_version (self);
  if (previous != NULL)
    {
      previous_id = g_strdup (esc_sla_agreement_version_get_agreement_id (previous));
      previous_number = esc_sla_agreement_version_get_version (previous);
    }

  g_clear_pointer (&self->versions, g_ptr_array_unref);
  g_clear_pointer (&self->calendars, g_ptr_array_unref);
  self->versions = versions != NULL ? g_ptr_array_ref (versions) : NULL;
  self->calendars = calendars != NULL ? g_ptr_array_ref (calendars) : NULL;

  for (guint i = 0; self->versions != NULL && i < self->versions->len; i++)
    {
      EscSlaAgreementVersion *version = g_ptr_array_index (self->versions, i);
      g_autofree char *label = version_label (version);

      gtk_string_list_append (list, label);
      if (g_strcmp0 (previous_id, esc_sla_agreement_version_get_agreement_id (version)) == 0 &&
          previous_number == esc_sla_agreement_version_get_version (version))
        selected = i;
    }

  self->filling = TRUE;
  adw_combo_row_set_model (self->agreement_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->agreement_row, selected);
  self->filling = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->agreement_row),
                          self->versions != NULL && self->versions->len > 0);

  esc_sla_compliance_reload (self);
}

static void
choice_changed_cb (EscSlaCompliance *self)
{
  if (!self->filling)
    esc_sla_compliance_reload (self);
}

/* Import ------------------------------------------------------------------- */

static void
imported_cb (EscSlaMappingDialog *dialog,
             guint                n_tickets,
             EscSlaCompliance    *self)
{
  g_autofree char *text = g_strdup_printf (ngettext ("%u ticket imported.", "%u tickets imported.", n_tickets),
                                           n_tickets);

  esc_sla_compliance_reload (self);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    esc_sla_compliance_show_status (self, text);
}

typedef struct
{
  EscSlaCompliance *self;
  char             *name;
} LoadData;

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(EscSlaCompliance) self = data->self;
  g_autofree char *name = data->name;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;
  EscWorkspace *workspace = esc_session_get_workspace (self->session);
  EscSlaMappingDialog *dialog;
  char *text = NULL;
  gsize length;

  g_free (data);
  if (!g_file_load_contents_finish (G_FILE (object), result, &text, &length, NULL, &error))
    {
      esc_sla_compliance_show_error (self, _("The File Could Not Be Read"), error->message);
      esc_sla_compliance_notify_busy (self);
      return;
    }
  contents = g_bytes_new_take (text, length);
  if (workspace == NULL || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    {
      esc_sla_compliance_notify_busy (self);
      return;
    }

  /* One dialog at a time: the one still open, if any, gives way */
  if (self->mapping_dialog != NULL)
    {
      GtkWindow *previous = self->mapping_dialog;

      g_object_remove_weak_pointer (G_OBJECT (previous), (gpointer *)&self->mapping_dialog);
      self->mapping_dialog = NULL;
      gtk_window_destroy (previous);
    }

  dialog = esc_sla_mapping_dialog_new (esc_sla_compliance_own_window (self), workspace, name, contents);
  g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, 0);
  self->mapping_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->mapping_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  esc_sla_compliance_notify_busy (self);
}

/**
 * esc_sla_compliance_import_file:
 * @self: the section
 * @file: a CSV export of the help desk's tickets
 *
 * Reads @file, then opens the column-mapping dialog.
 */
void
esc_sla_compliance_import_file (EscSlaCompliance *self,
                                GFile            *file)
{
  LoadData *data = g_new0 (LoadData, 1);

  g_return_if_fail (ESC_IS_SLA_COMPLIANCE (self));
  g_return_if_fail (G_IS_FILE (file));

  data->self = g_object_ref (self);
  data->name = g_file_get_basename (file);
  g_file_load_contents_async (file, NULL, file_loaded_cb, data);
}

GtkWindow *
esc_sla_compliance_get_mapping_dialog (EscSlaCompliance *self)
{
  g_return_val_if_fail (ESC_IS_SLA_COMPLIANCE (self), NULL);

  return self->mapping_dialog;
}

static void
import_chosen_cb (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(EscSlaCompliance) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    esc_sla_compliance_import_file (self, file);

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  EscSlaCompliance *self = ESC_SLA_COMPLIANCE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Import Tickets"), esc_sla_compliance_own_window (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (import_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
cancel_clicked_cb (EscSlaCompliance *self)
{
  g_cancellable_cancel (self->export_cancellable);
}

/* GObject ------------------------------------------------------------------ */

gboolean
esc_sla_compliance_get_busy (EscSlaCompliance *self)
{
  g_return_val_if_fail (ESC_IS_SLA_COMPLIANCE (self), FALSE);

  return self->cancellable != NULL || self->export_cancellable != NULL;
}

EscComplianceReport *
esc_sla_compliance_get_report (EscSlaCompliance *self)
{
  g_return_val_if_fail (ESC_IS_SLA_COMPLIANCE (self), NULL);

  return self->report;
}

GtkWidget *
esc_sla_compliance_get_chart (EscSlaCompliance *self)
{
  g_return_val_if_fail (ESC_IS_SLA_COMPLIANCE (self), NULL);

  return self->chart;
}

static void
esc_sla_compliance_dispose (GObject *object)
{
  EscSlaCompliance *self = (EscSlaCompliance *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_handle_id (&self->pulse_timer, g_source_remove);
  if (self->mapping_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->mapping_dialog), (gpointer *)&self->mapping_dialog);
      self->mapping_dialog = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_SLA_COMPLIANCE);
  g_clear_pointer (&self->report, esc_compliance_report_unref);
  g_clear_pointer (&self->versions, g_ptr_array_unref);
  g_clear_pointer (&self->calendars, g_ptr_array_unref);
  g_clear_pointer (&self->offender_rows, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_strfreev);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_sla_compliance_parent_class)->dispose (object);
}

static void
style_changed_cb (EscSlaCompliance *self)
{
  gtk_widget_queue_draw (self->chart);
}

static void
esc_sla_compliance_constructed (GObject *object)
{
  EscSlaCompliance *self = (EscSlaCompliance *)object;
  AdwStyleManager *style = adw_style_manager_get_default ();

  G_OBJECT_CLASS (esc_sla_compliance_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (esc_sla_compliance_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (style_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::high-contrast", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
  esc_sla_compliance_reload (self);
}

static void
esc_sla_compliance_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EscSlaCompliance *self = ESC_SLA_COMPLIANCE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, esc_sla_compliance_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_sla_compliance_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EscSlaCompliance *self = ESC_SLA_COMPLIANCE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_sla_compliance_class_init (EscSlaComplianceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_sla_compliance_constructed;
  object_class->dispose = esc_sla_compliance_dispose;
  object_class->get_property = esc_sla_compliance_get_property;
  object_class->set_property = esc_sla_compliance_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "compliance.import", NULL, import_action_cb);
  gtk_widget_class_install_action (widget_class, "compliance.export-pdf", NULL, esc_sla_compliance_export_action);
  gtk_widget_class_install_action (widget_class, "compliance.export-csv", NULL, esc_sla_compliance_export_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-sla-compliance.ui");
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, compliance_group);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, import_button);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, export_button);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, agreement_row);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, period_row);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, source_row);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, status_label);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, empty_label);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, report_box);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, summary_label);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, chart);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, report_grid);
  gtk_widget_class_bind_template_child (widget_class, EscSlaCompliance, offenders_group);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
}

static void
esc_sla_compliance_init (EscSlaCompliance *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->offender_rows = g_ptr_array_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->chart), draw_chart_cb, self, NULL);
  esc_ui_set_name (self->chart, _("Compliance chart"));
  esc_ui_combo_row_name_values (self->agreement_row);
  esc_ui_combo_row_name_values (self->period_row);
  esc_ui_combo_row_name_values (self->source_row);
  esc_ui_name_controls (GTK_WIDGET (self));
}

/**
 * esc_sla_compliance_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the Compliance section
 */
EscSlaCompliance *
esc_sla_compliance_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_SLA_COMPLIANCE, "session", session, NULL);
}
