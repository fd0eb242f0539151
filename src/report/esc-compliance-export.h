/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "esc-compliance.h"
#include "esc-matrix-document.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

/* The compliance report as a chart, a text summary, a CSV and a PDF. The
 * chart is drawn the same way on the screen (the SLAs screen's
 * GtkDrawingArea, with the theme's colours) and in the PDF (black on white). */

/* A colour, as GdkRGBA holds it but with no GTK here. */
typedef struct
{
  double red;
  double green;
  double blue;
  double alpha;
} EscChartColor;

/**
 * EscChartColors:
 * @foreground: text, axes and outlines
 * @background: filled first (alpha 0: left transparent)
 * @series: met, breached, in progress
 */
typedef struct
{
  EscChartColor foreground;
  EscChartColor background;
  EscChartColor series[3];
} EscChartColors;

enum
{
  ESC_CHART_SERIES_MET,
  ESC_CHART_SERIES_BREACHED,
  ESC_CHART_SERIES_IN_PROGRESS,
};

/* The colours of the PDF: black text on white, and series that keep 3:1
 * against white and between each other in grey. */
void   esc_compliance_chart_default_colors (EscChartColors        *colors);

/* Draws the chart of @report — a stacked bar per month (met, breached, in
 * progress, all severities), a count axis and a legend — filling @width ×
 * @height from the current origin of @cr. @font (nullable): a Pango font
 * description ("Cantarell 10"); NULL for the default. An empty report draws
 * a line saying there is nothing to show. */
void   esc_compliance_chart_draw          (EscComplianceReport   *report,
                                           cairo_t               *cr,
                                           double                 width,
                                           double                 height,
                                           const EscChartColors  *colors,
                                           const char            *font);

/* (transfer full): the chart in words, for screen readers and the PDF's
 * alternative text: one sentence for the whole and one per month, e.g.
 * "March 2026: 12 tickets, 9 met, 2 breached, 1 in progress." (translated) */
char  *esc_compliance_chart_describe      (EscComplianceReport   *report);

/* (transfer full): the report as CSV (UTF-8, CRLF, @separator ',' or ';'):
 * a first table per month and severity (month as YYYY-MM, severity, met,
 * breached, in progress, compliance % of those judged with one decimal —
 * a decimal comma with ';', as spreadsheets reading semicolons expect), a
 * blank line, then the worst offenders (ticket, severity, clock, created in
 * RFC 3339 UTC, target and overrun in business minutes). Headers are
 * translated; no thousands separators. */
GBytes *esc_compliance_export_csv         (EscComplianceReport   *report,
                                           char                   separator);

/* What the PDF prints above the report: the organisation, the support model
 * and provider (from the workspace settings) and the date; read in the main
 * thread, then usable in any. */
typedef struct _EscComplianceHeading EscComplianceHeading;

EscComplianceHeading *esc_compliance_heading_new  (EscWorkspace         *workspace,
                                                   const char           *source,
                                                   GDateTime            *date);
void                  esc_compliance_heading_free (EscComplianceHeading *heading);

/* (transfer full): the PDF (landscape @paper): the heading, the chart, the
 * table per month and severity and the worst offenders, as real text;
 * may run in any thread. */
GBytes *esc_compliance_export_pdf         (EscComplianceReport    *report,
                                           EscComplianceHeading   *heading,
                                           EscPaper                paper,
                                           GCancellable           *cancellable,
                                           GError                **error);

/* Writes @contents to @file through a temporary file renamed at the end: a
 * failed write leaves no partial file and the old one untouched. */
gboolean esc_compliance_export_write      (GBytes                 *contents,
                                           GFile                  *file,
                                           GCancellable           *cancellable,
                                           GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscComplianceHeading, esc_compliance_heading_free)

G_END_DECLS
