/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "esc-compliance-export.h"
#include "esc-compliance-store.h"
#include "esc-csv.h"

/* The compliance report's exports from a real workspace: the PDF's text read
 * back with pdftotext (heading with the organisation, support model and
 * provider, the agreement, the chart's summary, the table and the worst
 * offenders) on A4 and Letter; the CSV read back with the strict reader,
 * with commas and with semicolons; the chart drawn with dark colours and its
 * summary in words. */

#define H G_TIME_SPAN_HOUR

typedef struct
{
  char                *dir;
  EscWorkspace        *workspace;
  EscComplianceReport *report;
} Fixture;

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

static void
add (EscComplianceReport *report,
     const char          *id,
     EscSupportSeverity   severity,
     gint64               created,
     gint64               responded,
     gint64               resolved)
{
  EscComplianceTicket ticket = { (char *)id, severity, created, responded, 0, resolved, NULL, 0, 0, 2 };
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_compliance_report_add (report, &ticket, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscSlaAgreementVersion) version = esc_sla_agreement_version_new ();
  g_autoptr(EscCalendar) calendar = esc_calendar_new_24x7 ();
  const EscSlaTargets a = { 60, 60, 240, FALSE };
  const EscSlaTargets b = { 240, 720, 960, FALSE };

  fixture->dir = g_dir_make_tmp ("escalade-compliance-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ws.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (esc_workspace_set_setting (fixture->workspace, ESC_WORKSPACE_SETTING_ORGANISATION,
                                            "Contoso Électricité", &error));
  g_assert_true (esc_workspace_set_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL,
                                            "partner-led", &error));
  g_assert_true (esc_workspace_set_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER,
                                            "Fabrikam Services", &error));

  esc_sla_agreement_version_set_agreement_id (version, "user-support");
  esc_sla_agreement_version_set_version (version, 3);
  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_A, &a);
  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_B, &b);
  fixture->report = esc_compliance_report_new (version, calendar, utc (2026, 4, 2, 12, 0), 10);
  /* February: one A met, one B 3 h late to respond */
  add (fixture->report, "INC-0001", ESC_SUPPORT_SEVERITY_A, utc (2026, 2, 3, 8, 0), utc (2026, 2, 3, 8, 30),
       utc (2026, 2, 3, 10, 0));
  add (fixture->report, "INC-0002", ESC_SUPPORT_SEVERITY_B, utc (2026, 2, 4, 8, 0), utc (2026, 2, 4, 15, 0),
       utc (2026, 2, 4, 20, 0));
  /* March: one A resolved 1 h late, one B met */
  add (fixture->report, "INC-0003", ESC_SUPPORT_SEVERITY_A, utc (2026, 3, 2, 8, 0), utc (2026, 3, 2, 8, 20),
       utc (2026, 3, 2, 13, 0));
  add (fixture->report, "INC-0004", ESC_SUPPORT_SEVERITY_B, utc (2026, 3, 3, 8, 0), utc (2026, 3, 3, 9, 0),
       utc (2026, 3, 3, 10, 0));
  /* April: one B open for 2 h */
  add (fixture->report, "INC-0005", ESC_SUPPORT_SEVERITY_B, utc (2026, 4, 2, 10, 0), 0, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  g_clear_pointer (&fixture->report, esc_compliance_report_unref);
  g_clear_object (&fixture->workspace);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (fixture->dir, name, NULL);

      g_remove (child);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static char *
pdf_text (const char *path)
{
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *argv[] = { program, "-raw", "-enc", "UTF-8", path, "-", NULL };

  if (program == NULL)
    return NULL;
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static guint
count_pages (const char *text)
{
  guint n = 0;

  for (const char *p = text; (p = strchr (p, '\f')) != NULL; p++)
    n++;
  return n;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, text);
}

static void
test_pdf (Fixture       *fixture,
          gconstpointer  data)
{
  EscPaper paper = GPOINTER_TO_INT (data);
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 4, 2, 12, 0, 0);
  g_autoptr(EscComplianceHeading) heading = esc_compliance_heading_new (fixture->workspace, "ServiceNow", date);
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "compliance.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  double width, height;
  char header[5];

  pdf = esc_compliance_export_pdf (fixture->report, heading, paper, NULL, &error);
  g_assert_no_error (error);
  memcpy (header, g_bytes_get_data (pdf, NULL), 4);
  header[4] = '\0';
  g_assert_cmpstr (header, ==, "%PDF");
  g_assert_true (esc_compliance_export_write (pdf, file, NULL, &error));
  g_assert_no_error (error);

  /* The page size, as written in the file */
  esc_paper_get_size (paper, &width, &height);
  {
    g_autofree char *box = g_strdup_printf ("/MediaBox [ 0 0 %d", (int)width);

    g_assert_nonnull (memmem (g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), box, strlen (box)));
  }

  text = pdf_text (path);
  if (text == NULL)
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  /* The first page, the month table, the offenders */
  g_assert_cmpuint (count_pages (text), ==, 3);
  assert_contains (text, "SLA Compliance");
  assert_contains (text, "Contoso Électricité");
  assert_contains (text, "Partner-led support by Fabrikam Services");
  assert_contains (text, "2026-04-02");
  assert_contains (text, "Tickets from: ServiceNow");
  assert_contains (text, "Agreement user-support, version 3");
  assert_contains (text, "February 2026");
  assert_contains (text, "April 2026");
  assert_contains (text, "Compliance chart from February 2026 to April 2026: 5 tickets, 2 met, 2 breached, 1 in progress");
  assert_contains (text, "Compliance per Month and Severity");
  assert_contains (text, "All months");
  assert_contains (text, "50 %");
  assert_contains (text, "Worst Offenders");
  assert_contains (text, "INC-0002");
  assert_contains (text, "INC-0003");
  assert_contains (text, "3 h 00 min");
  assert_contains (text, "1 h 00 min");
  g_assert_null (strstr (text, "INC-0004"));
  /* The worst first */
  g_assert_true (strstr (text, "INC-0002") < strstr (text, "INC-0003"));

  g_cancellable_cancel (cancellable);
  g_assert_null (esc_compliance_export_pdf (fixture->report, heading, paper, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  const char separators[] = { ',', ';' };

  for (guint k = 0; k < G_N_ELEMENTS (separators); k++)
    {
      g_autoptr(GBytes) csv = esc_compliance_export_csv (fixture->report, separators[k]);
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GError) error = NULL;
      EscCsvRecord *r;
      gsize length;
      const char *text = g_bytes_get_data (csv, &length);

      records = esc_csv_read_full (text, length, 1 << 20, separators[k], NULL, &error);
      g_assert_no_error (error);
      /* header, 5 month × severity rows; header, 2 offenders */
      g_assert_cmpuint (records->len, ==, 9);
      r = records->pdata[0];
      g_assert_cmpstr (r->fields[0], ==, "Month");
      g_assert_cmpstr (r->fields[5], ==, "Compliance (%)");
      r = records->pdata[1];
      g_assert_cmpstrv (r->fields, ((const char *[]) { "2026-02", "A", "1", "0", "0",
                                                       separators[k] == ',' ? "100.0" : "100,0", NULL }));
      r = records->pdata[2];
      g_assert_cmpstr (r->fields[1], ==, "B");
      g_assert_cmpstr (r->fields[3], ==, "1");
      r = records->pdata[5];
      g_assert_cmpstrv (r->fields, ((const char *[]) { "2026-04", "B", "0", "0", "1", "", NULL }));
      r = records->pdata[6];
      g_assert_cmpstr (r->fields[0], ==, "Ticket");
      r = records->pdata[7];
      if (separators[k] == ',')
        g_assert_cmpstrv (r->fields, ((const char *[]) { "INC-0002", "B", "First response",
                                                         "2026-02-04T08:00:00Z", "240", "180", NULL }));
      else
        g_assert_cmpstr (r->fields[0], ==, "INC-0002");
      r = records->pdata[8];
      g_assert_cmpstr (r->fields[0], ==, "INC-0003");
      g_assert_cmpstr (r->fields[2], ==, "Resolution");
      g_assert_cmpstr (r->fields[5], ==, "60");
    }
}

static void
test_chart (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(EscSlaAgreementVersion) version = esc_sla_agreement_version_new ();
  g_autoptr(EscCalendar) calendar = esc_calendar_new_24x7 ();
  g_autoptr(EscComplianceReport) empty = esc_compliance_report_new (version, calendar, utc (2026, 1, 1, 0, 0), 5);
  g_autofree char *summary = esc_compliance_chart_describe (fixture->report);
  g_autofree char *nothing = esc_compliance_chart_describe (empty);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 480, 240);
  cairo_t *cr = cairo_create (surface);
  /* Adwaita's dark window: light text on a dark background */
  EscChartColors dark = {
    { 1.0, 1.0, 1.0, 1.0 },
    { 0x24 / 255.0, 0x24 / 255.0, 0x24 / 255.0, 1.0 },
    { { 0x57 / 255.0, 0xe3 / 255.0, 0x89 / 255.0, 1.0 },
      { 0xff / 255.0, 0x7b / 255.0, 0x63 / 255.0, 1.0 },
      { 0x99 / 255.0, 0xc1 / 255.0, 0xf1 / 255.0, 1.0 } },
  };
  guint32 wanted[5] = { 0xff242424, 0xffffffff, 0xff57e389, 0xffff7b63, 0xff99c1f1 };
  guint found[5] = { 0, };
  guchar *pixels;
  int stride;

  g_assert_cmpstr (summary, ==,
                   "Compliance chart from February 2026 to April 2026: 5 tickets, 2 met, 2 breached, "
                   "1 in progress (50 % of those judged met their targets). "
                   "February 2026: 2 tickets, 1 met, 1 breached, 0 in progress (50 % of those judged met their targets). "
                   "March 2026: 2 tickets, 1 met, 1 breached, 0 in progress (50 % of those judged met their targets). "
                   "April 2026: 1 ticket, 0 met, 0 breached, 1 in progress.");
  g_assert_cmpstr (nothing, ==, "Compliance chart: no tickets to show.");

  esc_compliance_chart_draw (fixture->report, cr, 480, 240, &dark, NULL);
  cairo_surface_flush (surface);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < 240; y++)
    for (int x = 0; x < 480; x++)
      {
        guint32 pixel = *(guint32 *)(pixels + y * stride + x * 4);

        for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
          found[i] += pixel == wanted[i];
      }
  /* The background, the text and axes, and the three series all drawn */
  g_assert_cmpuint (found[0], >, 480 * 240 / 2);
  for (guint i = 1; i < G_N_ELEMENTS (wanted); i++)
    g_assert_cmpuint (found[i], >, 50);
  /* Each month's bar as tall as its tickets: breached (2 months) outweighs in progress (1) */
  g_assert_cmpuint (found[3], >, found[4]);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  /* The chart drew with this thread's default font map, as on the screen: freed here so
   * that leak checkers see only what is ours */
  pango_cairo_font_map_set_default (NULL);
}

/* Three years of months, one month alone, and sizes down to a pixel: drawn without a fault */
static void
test_chart_sizes (void)
{
  g_autoptr(EscSlaAgreementVersion) version = esc_sla_agreement_version_new ();
  g_autoptr(EscCalendar) calendar = esc_calendar_new_24x7 ();
  g_autoptr(EscComplianceReport) years = esc_compliance_report_new (version, calendar, utc (2027, 1, 1, 0, 0), 5);
  g_autoptr(EscComplianceReport) one = esc_compliance_report_new (version, calendar, utc (2027, 1, 1, 0, 0), 5);
  g_autofree char *summary = NULL;
  const double sizes[][2] = { { 1, 1 }, { 40, 20 }, { 300, 120 }, { 1200, 400 } };
  EscChartColors colors;

  esc_compliance_chart_default_colors (&colors);
  for (int m = 0; m < 36; m++)
    for (int i = 0; i <= m % 7; i++)
      {
        g_autofree char *id = g_strdup_printf ("T%d-%d", m, i);

        add (years, id, ESC_SUPPORT_SEVERITY_C, utc (2024 + m / 12, 1 + m % 12, 3, 8, 0), 0,
             i % 2 == 0 ? utc (2024 + m / 12, 1 + m % 12, 4, 8, 0) : 0);
      }
  g_assert_cmpuint (esc_compliance_report_get_n_months (years), ==, 36);
  add (one, "T1", ESC_SUPPORT_SEVERITY_A, utc (2026, 6, 1, 8, 0), 0, utc (2026, 6, 1, 9, 0));
  summary = esc_compliance_chart_describe (one);
  g_assert_cmpstr (summary, ==, "Compliance chart for June 2026: 1 ticket, 1 met, 0 breached, 0 in progress "
                                "(100 % of those judged met their targets).");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int)sizes[i][0],
                                                             (int)sizes[i][1]);
      cairo_t *cr = cairo_create (surface);

      esc_compliance_chart_draw (years, cr, sizes[i][0], sizes[i][1], &colors, "Sans 8");
      esc_compliance_chart_draw (one, cr, sizes[i][0], sizes[i][1], &colors, NULL);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  pango_cairo_font_map_set_default (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/report/compliance/pdf/a4", Fixture, GINT_TO_POINTER (ESC_PAPER_A4),
              fixture_set_up, test_pdf, fixture_tear_down);
  g_test_add ("/report/compliance/pdf/letter", Fixture, GINT_TO_POINTER (ESC_PAPER_LETTER),
              fixture_set_up, test_pdf, fixture_tear_down);
  g_test_add ("/report/compliance/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/report/compliance/chart", Fixture, NULL, fixture_set_up, test_chart, fixture_tear_down);
  g_test_add_func ("/report/compliance/chart/sizes", test_chart_sizes);

  return g_test_run ();
}
