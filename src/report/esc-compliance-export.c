/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-report"

#include "config.h"

#include <math.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "esc-compliance-export.h"
#include "esc-compliance-store.h"
#include "esc-csv.h"
#include "esc-time.h"

/* The compliance report's chart, summary, CSV and PDF. */

#define MARGIN 36.0
#define DEFAULT_FONT "Sans 9"
#define PDF_TITLE_SIZE 16
#define PDF_TEXT_SIZE 9

static const char * const severity_letters[] = { "A", "B", "C" };

static const char *
series_label (guint series)
{
  switch (series)
    {
    /* Translators: the chart's series: tickets that met their SLA targets */
    case ESC_CHART_SERIES_MET:      return C_("compliance", "Met");
    /* Translators: the chart's series: tickets that missed a target */
    case ESC_CHART_SERIES_BREACHED: return C_("compliance", "Breached");
    /* Translators: the chart's series: open tickets with no target missed yet */
    default:                        return C_("compliance", "In progress");
    }
}

static const char *
metric_label (EscSlaMetricKind metric)
{
  switch (metric)
    {
    case ESC_SLA_METRIC_FIRST_RESPONSE: return _("First response");
    case ESC_SLA_METRIC_UPDATE:         return _("Update");
    case ESC_SLA_METRIC_RESOLUTION:
    default:                            return _("Resolution");
    }
}

/* "March 2026", in the locale's words */
static char *
format_month (guint year,
              guint month)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc ((int)year, (int)month, 1, 0, 0, 0);

  return g_date_time_format (date, "%B %Y");
}

static guint
month_total (const EscComplianceMonth *m,
             guint                     series)
{
  const guint *counts = series == ESC_CHART_SERIES_MET ? m->met
                        : series == ESC_CHART_SERIES_BREACHED ? m->breached : m->in_progress;

  return counts[0] + counts[1] + counts[2];
}

void
esc_compliance_chart_default_colors (EscChartColors *colors)
{
  g_return_if_fail (colors != NULL);

  /* Black on white; the series differ in lightness as well as in hue
   * (GNOME palette green 5, red 4, blue 2), so that a grey printout keeps
   * them apart, and each keeps 3:1 against white. */
  *colors = (EscChartColors) {
    { 0.0, 0.0, 0.0, 1.0 },
    { 1.0, 1.0, 1.0, 1.0 },
    {
      { 0x26 / 255.0, 0xa2 / 255.0, 0x69 / 255.0, 1.0 },
      { 0xc0 / 255.0, 0x1c / 255.0, 0x28 / 255.0, 1.0 },
      { 0x1c / 255.0, 0x71 / 255.0, 0xd8 / 255.0, 1.0 },
    },
  };
}

static void
set_color (cairo_t             *cr,
           const EscChartColor *color)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha);
}

static PangoLayout *
chart_layout (PangoContext               *pango,
              const PangoFontDescription *font,
              const char                 *text)
{
  PangoLayout *layout = pango_layout_new (pango);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
layout_size (PangoLayout *layout,
             double      *width,
             double      *height)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/* A step of 1, 2 or 5 × 10^n giving at most @max_ticks steps up to @top */
static guint
nice_step (guint top,
           guint max_ticks)
{
  guint step = 1;

  for (;;)
    {
      static const guint factors[] = { 1, 2, 5 };

      for (guint i = 0; i < G_N_ELEMENTS (factors); i++)
        {
          guint candidate = step * factors[i];

          if ((top + candidate - 1) / candidate <= max_ticks)
            return candidate;
        }
      step *= 10;
    }
}

static void
draw_chart (EscComplianceReport        *report,
            cairo_t                    *cr,
            PangoContext               *pango,
            double                      width,
            double                      height,
            const EscChartColors       *colors,
            const PangoFontDescription *font)
{
  guint n_months = esc_compliance_report_get_n_months (report);
  double legend_h, text_h, axis_w = 0, plot_x, plot_y, plot_w, plot_h, slot, bar_w;
  double x;
  guint top = 0, step, label_every;

  cairo_save (cr);
  if (colors->background.alpha > 0)
    {
      set_color (cr, &colors->background);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }

  if (n_months == 0)
    {
      g_autoptr(PangoLayout) layout = chart_layout (pango, font, _("No tickets to show"));
      double w, h;

      layout_size (layout, &w, &h);
      set_color (cr, &colors->foreground);
      cairo_move_to (cr, (width - w) / 2, (height - h) / 2);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
      return;
    }

  for (guint i = 0; i < n_months; i++)
    {
      const EscComplianceMonth *m = esc_compliance_report_get_month (report, i);

      top = MAX (top, month_total (m, 0) + month_total (m, 1) + month_total (m, 2));
    }
  step = nice_step (MAX (top, 1), 5);
  top = ((MAX (top, 1) + step - 1) / step) * step;

  /* The legend across the top: a swatch and a label per series */
  {
    double lx = 0;

    legend_h = 0;
    for (guint s = 0; s < 3; s++)
      {
        g_autoptr(PangoLayout) layout = chart_layout (pango, font, series_label (s));
        double w, h;

        layout_size (layout, &w, &h);
        legend_h = MAX (legend_h, h);
        set_color (cr, &colors->series[s]);
        cairo_rectangle (cr, lx, (h - 10) / 2, 10, 10);
        cairo_fill_preserve (cr);
        set_color (cr, &colors->foreground);
        cairo_set_line_width (cr, 1);
        cairo_stroke (cr);
        cairo_move_to (cr, lx + 14, 0);
        pango_cairo_show_layout (cr, layout);
        lx += 14 + w + 18;
      }
  }

  /* The count axis on the left */
  for (guint v = 0; v <= top; v += step)
    {
      g_autofree char *text = g_strdup_printf ("%u", v);
      g_autoptr(PangoLayout) layout = chart_layout (pango, font, text);
      double w;

      layout_size (layout, &w, &text_h);
      axis_w = MAX (axis_w, w);
    }
  {
    g_autoptr(PangoLayout) probe = chart_layout (pango, font, "0");

    layout_size (probe, NULL, &text_h);
  }

  plot_x = axis_w + 6;
  plot_y = legend_h + 8 + text_h / 2;
  plot_w = MAX (width - plot_x - 1, 1);
  plot_h = MAX (height - plot_y - text_h - 6, 1);

  cairo_set_line_width (cr, 1);
  for (guint v = 0; v <= top; v += step)
    {
      g_autofree char *text = g_strdup_printf ("%u", v);
      g_autoptr(PangoLayout) layout = chart_layout (pango, font, text);
      double w, y = plot_y + plot_h - plot_h * v / top;

      layout_size (layout, &w, NULL);
      set_color (cr, &colors->foreground);
      cairo_move_to (cr, axis_w - w, y - text_h / 2);
      pango_cairo_show_layout (cr, layout);

      /* Grid lines thin and dashed, so that they do not read as bars */
      cairo_save (cr);
      cairo_set_line_width (cr, v == 0 ? 1.0 : 0.5);
      if (v > 0)
        cairo_set_dash (cr, (const double[]) { 2, 3 }, 2, 0);
      cairo_move_to (cr, plot_x, floor (y) + 0.5);
      cairo_line_to (cr, plot_x + plot_w, floor (y) + 0.5);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  /* A stacked bar per month: met at the bottom, then breached, then in progress */
  slot = plot_w / n_months;
  bar_w = MAX (MIN (slot * 0.6, 48), 1);
  {
    g_autoptr(PangoLayout) probe = chart_layout (pango, font, "September 2026");
    double w;

    layout_size (probe, &w, NULL);
    label_every = MAX (1, (guint)ceil ((w + 8) / MAX (slot, 1)));
  }

  for (guint i = 0; i < n_months; i++)
    {
      const EscComplianceMonth *m = esc_compliance_report_get_month (report, i);
      double base = plot_y + plot_h;

      x = plot_x + slot * i + (slot - bar_w) / 2;
      for (guint s = 0; s < 3; s++)
        {
          guint count = month_total (m, s);
          double h = plot_h * count / top;

          if (count == 0)
            continue;
          set_color (cr, &colors->series[s]);
          cairo_rectangle (cr, x, base - h, bar_w, h);
          cairo_fill_preserve (cr);
          /* An outline in the text colour tells the parts apart without colour */
          set_color (cr, &colors->foreground);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
          base -= h;
        }

      if (i % label_every == 0)
        {
          g_autofree char *label = format_month (m->year, m->month);
          g_autoptr(PangoLayout) layout = chart_layout (pango, font, label);
          double w;

          layout_size (layout, &w, NULL);
          set_color (cr, &colors->foreground);
          /* Centred under its bar, but kept inside the chart at both ends */
          cairo_move_to (cr, CLAMP (plot_x + slot * i + (slot - w) / 2, 0, MAX (width - w, 0)),
                         plot_y + plot_h + 4);
          pango_cairo_show_layout (cr, layout);
        }
    }

  cairo_restore (cr);
}

/**
 * esc_compliance_chart_draw:
 * @report: the report
 * @cr: where to draw
 * @width: the width, in user units of @cr
 * @height: the height
 * @colors: the colours (the theme's on the screen)
 * @font: (nullable): a Pango font description, %NULL for "Sans 9"
 *
 * Draws the chart; see the header.
 */
void
esc_compliance_chart_draw (EscComplianceReport  *report,
                           cairo_t              *cr,
                           double                width,
                           double                height,
                           const EscChartColors *colors,
                           const char           *font)
{
  PangoContext *pango;
  g_autoptr(PangoFontDescription) description = NULL;

  g_return_if_fail (report != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (colors != NULL);

  pango = pango_cairo_create_context (cr);
  description = pango_font_description_from_string (font != NULL ? font : DEFAULT_FONT);
  draw_chart (report, cr, pango, width, height, colors, description);
  g_object_unref (pango);
}

static guint
percent_of (guint part,
            guint whole)
{
  return whole > 0 ? (guint)((100.0 * part / whole) + 0.5) : 0;
}

static void
append_counts (GString                  *out,
               const EscComplianceMonth *m)
{
  guint met = month_total (m, ESC_CHART_SERIES_MET);
  guint breached = month_total (m, ESC_CHART_SERIES_BREACHED);
  guint open = month_total (m, ESC_CHART_SERIES_IN_PROGRESS);
  guint total = met + breached + open;

  g_string_append_printf (out,
                          /* Translators: the chart in words: tickets, then met, breached and in progress */
                          g_dngettext (GETTEXT_PACKAGE,
                                       "%u ticket, %u met, %u breached, %u in progress",
                                       "%u tickets, %u met, %u breached, %u in progress",
                                       total),
                          total, met, breached, open);
  if (met + breached > 0)
    /* Translators: the share of tickets judged (met or breached) that met their targets */
    g_string_append_printf (out, _(" (%u %% of those judged met their targets)"),
                            percent_of (met, met + breached));
}

/**
 * esc_compliance_chart_describe:
 * @report: the report
 *
 * Returns: (transfer full): the chart in words, for screen readers
 */
char *
esc_compliance_chart_describe (EscComplianceReport *report)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_months;
  EscComplianceMonth totals;

  g_return_val_if_fail (report != NULL, NULL);

  n_months = esc_compliance_report_get_n_months (report);
  if (n_months == 0)
    return g_strdup (_("Compliance chart: no tickets to show."));

  esc_compliance_report_get_totals (report, &totals);
  {
    const EscComplianceMonth *first = esc_compliance_report_get_month (report, 0);
    const EscComplianceMonth *last = esc_compliance_report_get_month (report, n_months - 1);
    g_autofree char *from = format_month (first->year, first->month);
    g_autofree char *to = format_month (last->year, last->month);

    if (n_months == 1)
      /* Translators: the chart in words, the first sentence; the month */
      g_string_append_printf (out, _("Compliance chart for %s: "), from);
    else
      /* Translators: the chart in words, the first sentence; the first and last months */
      g_string_append_printf (out, _("Compliance chart from %s to %s: "), from, to);
    append_counts (out, &totals);
    g_string_append (out, ".");
  }

  for (guint i = 0; i < n_months && n_months > 1; i++)
    {
      const EscComplianceMonth *m = esc_compliance_report_get_month (report, i);
      g_autofree char *month = format_month (m->year, m->month);

      /* Translators: the chart in words, one sentence a month: "March 2026: 12 tickets, …" */
      g_string_append_printf (out, _(" %s: "), month);
      append_counts (out, m);
      g_string_append (out, ".");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* CSV ------------------------------------------------------------------------ */

static char *
format_compliance (guint met,
                   guint breached,
                   char  separator)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char *text;

  if (met + breached == 0)
    return g_strdup ("");
  g_ascii_formatd (buffer, sizeof buffer, "%.1f", 100.0 * met / (met + breached));
  text = g_strdup (buffer);
  /* A spreadsheet reading semicolons reads decimal commas */
  if (separator == ';')
    g_strdelimit (text, ".", ',');
  return text;
}

static char *
format_created (EscComplianceReport *report,
                gint64               created)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (created / G_USEC_PER_SEC);

  return esc_time_format (utc);
}

/**
 * esc_compliance_export_csv:
 * @report: the report
 * @separator: ',' or ';'
 *
 * Returns: (transfer full): the CSV text's bytes
 */
GBytes *
esc_compliance_export_csv (EscComplianceReport *report,
                           char                 separator)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *header[] = {
    _("Month"), _("Severity"), C_("compliance", "Met"), C_("compliance", "Breached"),
    C_("compliance", "In progress"), _("Compliance (%)"),
  };
  const char *offender_header[] = {
    _("Ticket"), _("Severity"), _("Clock"), _("Created"), _("Target (minutes)"),
    _("Overrun (minutes)"),
  };
  guint n_months, n_offenders;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  esc_csv_append_record_full (out, header, G_N_ELEMENTS (header), separator);
  n_months = esc_compliance_report_get_n_months (report);
  for (guint i = 0; i < n_months; i++)
    {
      const EscComplianceMonth *m = esc_compliance_report_get_month (report, i);

      for (guint s = 0; s < 3; s++)
        {
          g_autofree char *month = g_strdup_printf ("%04u-%02u", m->year, m->month);
          g_autofree char *met = g_strdup_printf ("%u", m->met[s]);
          g_autofree char *breached = g_strdup_printf ("%u", m->breached[s]);
          g_autofree char *open = g_strdup_printf ("%u", m->in_progress[s]);
          g_autofree char *share = format_compliance (m->met[s], m->breached[s], separator);
          const char *fields[] = { month, severity_letters[s], met, breached, open, share };

          if (m->met[s] + m->breached[s] + m->in_progress[s] == 0)
            continue;
          esc_csv_append_record_full (out, fields, G_N_ELEMENTS (fields), separator);
        }
    }

  g_string_append (out, "\r\n");
  esc_csv_append_record_full (out, offender_header, G_N_ELEMENTS (offender_header), separator);
  n_offenders = esc_compliance_report_get_n_offenders (report);
  for (guint i = 0; i < n_offenders; i++)
    {
      const EscComplianceOffender *o = esc_compliance_report_get_offender (report, i);
      g_autofree char *created = format_created (report, o->created);
      g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, o->target / G_TIME_SPAN_MINUTE);
      g_autofree char *overrun = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  (o->overrun + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE);
      const char *fields[] = {
        o->ticket_id, severity_letters[o->severity], metric_label (o->metric), created, target, overrun,
      };

      esc_csv_append_record_full (out, fields, G_N_ELEMENTS (fields), separator);
    }

  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* PDF ------------------------------------------------------------------------ */

struct _EscComplianceHeading
{
  char *title;
  char *subtitle;
};

/**
 * esc_compliance_heading_new:
 * @workspace: the workspace, for its settings
 * @source: (nullable): the source reported on, %NULL for all
 * @date: the date printed
 *
 * Returns: (transfer full): the heading
 */
EscComplianceHeading *
esc_compliance_heading_new (EscWorkspace *workspace,
                            const char   *source,
                            GDateTime    *date)
{
  EscComplianceHeading *heading;
  g_autofree char *organisation = NULL;
  g_autofree char *model = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *day = NULL;
  g_autofree char *model_text = NULL;
  const char *model_label;

  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (date != NULL, NULL);

  organisation = esc_workspace_dup_setting (workspace, ESC_WORKSPACE_SETTING_ORGANISATION);
  model = esc_workspace_dup_setting (workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  provider = esc_workspace_dup_setting (workspace, ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER);
  day = g_date_time_format (date, "%Y-%m-%d");

  if (g_strcmp0 (model, "customer-led") == 0)
    model_label = _("Customer-led support");
  else if (g_strcmp0 (model, "partner-led") == 0)
    model_label = _("Partner-led support");
  else
    model_label = _("Support model not chosen");
  if (provider != NULL && *provider != '\0')
    /* Translators: the support model and the support provider, e.g. "Partner-led support by Fabrikam" */
    model_text = g_strdup_printf (C_("support model and provider", "%s by %s"), model_label, provider);
  else
    model_text = g_strdup (model_label);

  if (organisation == NULL || *organisation == '\0')
    {
      g_free (organisation);
      organisation = g_strdup (_("Organisation not named"));
    }

  heading = g_new0 (EscComplianceHeading, 1);
  heading->title = g_strdup (_("SLA Compliance"));
  /* Translators: under the title of the compliance report: the organisation, the support
   * model and the date, then the source of the tickets */
  heading->subtitle = g_strdup_printf (_("%s · %s · %s\nTickets from: %s"), organisation, model_text,
                                       day, source != NULL ? source : _("all sources"));
  return heading;
}

void
esc_compliance_heading_free (EscComplianceHeading *heading)
{
  if (heading == NULL)
    return;
  g_free (heading->title);
  g_free (heading->subtitle);
  g_free (heading);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static PangoLayout *
page_layout (PangoContext *pango,
             const char   *text,
             int           size,
             gboolean      bold,
             double        width)
{
  PangoLayout *layout = pango_layout_new (pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* The first page: the heading, the agreement, the chart and its summary */
static void
draw_first_page (EscComplianceReport  *report,
                 EscComplianceHeading *heading,
                 cairo_t              *cr,
                 PangoContext         *pango,
                 double                width,
                 double                height)
{
  g_autoptr(PangoLayout) title = page_layout (pango, heading->title, PDF_TITLE_SIZE, TRUE, width - 2 * MARGIN);
  g_autoptr(PangoLayout) subtitle = NULL;
  g_autoptr(PangoLayout) summary = NULL;
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 8");
  g_autofree char *sub_text = NULL;
  g_autofree char *description = esc_compliance_chart_describe (report);
  EscChartColors colors;
  double y = MARGIN, h, summary_h;
  int ph;

  /* Translators: the compliance report's measure: the agreement and the time zone of its months */
  sub_text = g_strdup_printf (_("%s\n%s · months in %s"), heading->subtitle,
                              esc_compliance_report_get_agreement (report),
                              esc_compliance_report_get_time_zone (report));
  subtitle = page_layout (pango, sub_text, PDF_TEXT_SIZE, FALSE, width - 2 * MARGIN);
  summary = page_layout (pango, description, PDF_TEXT_SIZE, FALSE, width - 2 * MARGIN);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, MARGIN, y);
  pango_cairo_show_layout (cr, title);
  pango_layout_get_size (title, NULL, &ph);
  y += (double)ph / PANGO_SCALE + 4;
  cairo_move_to (cr, MARGIN, y);
  pango_cairo_show_layout (cr, subtitle);
  pango_layout_get_size (subtitle, NULL, &ph);
  y += (double)ph / PANGO_SCALE + 16;

  pango_layout_get_size (summary, NULL, &ph);
  summary_h = (double)ph / PANGO_SCALE;
  h = MAX (height - MARGIN - y - summary_h - 16, 60);

  esc_compliance_chart_default_colors (&colors);
  cairo_save (cr);
  cairo_translate (cr, MARGIN, y);
  draw_chart (report, cr, pango, width - 2 * MARGIN, h, &colors, font);
  cairo_restore (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, MARGIN, y + h + 12);
  pango_cairo_show_layout (cr, summary);
}

static EscMatrixDocument *
build_months_table (EscComplianceReport  *report,
                    EscComplianceHeading *heading)
{
  EscMatrixDocument *document = esc_matrix_document_new (_("Compliance per Month and Severity"),
                                                         heading->subtitle);
  guint n_months = esc_compliance_report_get_n_months (report);
  EscComplianceMonth totals;

  esc_matrix_document_add_column (document, _("Month"), 2.0);
  esc_matrix_document_add_column (document, _("Severity"), 1.0);
  esc_matrix_document_add_column (document, C_("compliance", "Met"), 1.0);
  esc_matrix_document_add_column (document, C_("compliance", "Breached"), 1.0);
  esc_matrix_document_add_column (document, C_("compliance", "In progress"), 1.0);
  esc_matrix_document_add_column (document, _("Compliance"), 1.0);

  for (guint i = 0; i < n_months; i++)
    {
      const EscComplianceMonth *m = esc_compliance_report_get_month (report, i);
      g_autofree char *month = format_month (m->year, m->month);

      for (guint s = 0; s < 3; s++)
        {
          g_autofree char *met = g_strdup_printf ("%u", m->met[s]);
          g_autofree char *breached = g_strdup_printf ("%u", m->breached[s]);
          g_autofree char *open = g_strdup_printf ("%u", m->in_progress[s]);
          g_autofree char *share = NULL;
          const char *cells[6];

          if (m->met[s] + m->breached[s] + m->in_progress[s] == 0)
            continue;
          share = m->met[s] + m->breached[s] > 0
                  ? g_strdup_printf ("%u %%", percent_of (m->met[s], m->met[s] + m->breached[s]))
                  : g_strdup ("—");
          cells[0] = month;
          cells[1] = severity_letters[s];
          cells[2] = met;
          cells[3] = breached;
          cells[4] = open;
          cells[5] = share;
          esc_matrix_document_add_row (document, cells);
        }
    }

  esc_compliance_report_get_totals (report, &totals);
  {
    guint met = month_total (&totals, 0), breached = month_total (&totals, 1);
    g_autofree char *met_text = g_strdup_printf ("%u", met);
    g_autofree char *breached_text = g_strdup_printf ("%u", breached);
    g_autofree char *open_text = g_strdup_printf ("%u", month_total (&totals, 2));
    g_autofree char *share = met + breached > 0
                             ? g_strdup_printf ("%u %%", percent_of (met, met + breached))
                             : g_strdup ("—");
    const char *cells[] = {
      /* Translators: the last row of the compliance table: every month together */
      _("All months"), _("All"), met_text, breached_text, open_text, share,
    };

    esc_matrix_document_add_row (document, cells);
  }
  return document;
}

static EscMatrixDocument *
build_offenders_table (EscComplianceReport  *report,
                       EscComplianceHeading *heading)
{
  EscMatrixDocument *document = esc_matrix_document_new (_("Worst Offenders"), heading->subtitle);
  guint n = esc_compliance_report_get_n_offenders (report);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (esc_compliance_report_get_time_zone (report));

  esc_matrix_document_add_column (document, _("Ticket"), 2.0);
  esc_matrix_document_add_column (document, _("Severity"), 1.0);
  esc_matrix_document_add_column (document, _("Clock"), 1.5);
  esc_matrix_document_add_column (document, _("Created"), 2.0);
  esc_matrix_document_add_column (document, _("Target"), 1.2);
  esc_matrix_document_add_column (document, _("Past Target"), 1.2);

  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  for (guint i = 0; i < n; i++)
    {
      const EscComplianceOffender *o = esc_compliance_report_get_offender (report, i);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (o->created / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
      g_autofree char *created = g_date_time_format (local, "%Y-%m-%d %H:%M");
      g_autofree char *target = esc_compliance_format_span (o->target);
      g_autofree char *overrun = esc_compliance_format_span (o->overrun);
      const char *cells[] = {
        o->ticket_id, severity_letters[o->severity], metric_label (o->metric), created, target, overrun,
      };

      esc_matrix_document_add_row (document, cells);
    }
  if (n == 0)
    {
      const char *cells[] = { _("No ticket missed its targets"), "", "", "", "", "" };

      esc_matrix_document_add_row (document, cells);
    }
  return document;
}

/**
 * esc_compliance_export_pdf:
 * @report: the report
 * @heading: what is printed above it
 * @paper: the paper size (landscape)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the PDF, or %NULL when cancelled or cairo failed
 */
GBytes *
esc_compliance_export_pdf (EscComplianceReport   *report,
                           EscComplianceHeading  *heading,
                           EscPaper               paper,
                           GCancellable          *cancellable,
                           GError               **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(PangoFontMap) font_map = NULL;
  PangoContext *pango;
  g_autoptr(EscMatrixDocument) months = NULL;
  g_autoptr(EscMatrixDocument) offenders = NULL;
  EscMatrixDocument *tables[2];
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;
  gboolean cancelled = FALSE;

  g_return_val_if_fail (report != NULL, NULL);
  g_return_val_if_fail (heading != NULL, NULL);

  esc_paper_get_size (paper, &width, &height);
  surface = cairo_pdf_surface_create_for_stream (write_cb, bytes, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, heading->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_SUBJECT,
                                  esc_compliance_report_get_agreement (report));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  cr = cairo_create (surface);

  /* A font map of its own, freed at the end, as the matrix document does */
  font_map = pango_cairo_font_map_new ();
  pango = pango_font_map_create_context (font_map);
  pango_cairo_update_context (cr, pango);
  draw_first_page (report, heading, cr, pango, width, height);
  g_object_unref (pango);
  cairo_show_page (cr);

  months = build_months_table (report, heading);
  offenders = build_offenders_table (report, heading);
  tables[0] = months;
  tables[1] = offenders;
  for (guint t = 0; t < G_N_ELEMENTS (tables) && !cancelled; t++)
    {
      guint n_pages = esc_matrix_document_paginate (tables[t], cr, width, height);

      for (guint i = 0; i < n_pages; i++)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              cancelled = TRUE;
              break;
            }
          esc_matrix_document_draw_page (tables[t], cr, i);
          cairo_show_page (cr);
        }
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (cancelled)
    return NULL;
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The PDF could not be drawn: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

/**
 * esc_compliance_export_write:
 * @contents: the file's bytes
 * @file: the file to write (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: whether @file was written
 */
gboolean
esc_compliance_export_write (GBytes        *contents,
                             GFile         *file,
                             GCancellable  *cancellable,
                             GError       **error)
{
  gsize length;
  const char *data;

  g_return_val_if_fail (contents != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  data = g_bytes_get_data (contents, &length);
  /* g_file_replace_contents() writes a temporary file and renames it over @file */
  return g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, cancellable, error);
}
