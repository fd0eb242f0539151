/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>
#include <time.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "esc-compliance-export.h"
#include "esc-compliance-store.h"
#include "esc-sla-compliance.h"
#include "esc-sla-mapping-dialog.h"
#include "esc-sla-page.h"
#include "esc-test-inprocess.h"
#include "esc-test-ui.h"
#include "esc-window.h"

/* The SLAs screen's Compliance section in a real window under a real display,
 * with a real workspace file and an agreement agreed on the real service (in
 * this process, over HTTP on loopback): a help desk's CSV export (semicolons,
 * days first, its own priority names) imported through the column-mapping
 * dialog, which guesses the columns and remembers them for the next file;
 * the report per month and severity, the worst offenders, and the chart drawn
 * in the theme's colours, light and dark; a file with bad lines lists each
 * line and imports nothing; the report exported as PDF (its text read back)
 * and CSV. */

typedef struct
{
  EscTestServer *server;
  char          *dir;
  char          *workspace_path;
  EscWorkspace  *workspace;
  EscSession    *session;
  EscWindow     *window;
  EscSlaPage    *page;
  EscSlaCompliance *compliance;
  char          *admin;
  char          *manager;
} Fixture;

/* Round the clock: the business time is the time on the clock */
static const char calendar_json[] =
  "{\"name\": \"Support desk\", \"time_zone\": \"UTC\", \"always_open\": true}";

static const char terms_json[] =
  "{\"calendar_id\": \"desk\","
  " \"targets\": {\"A\": {\"first_response_minutes\": 60, \"resolution_minutes\": 240},"
  "  \"B\": {\"first_response_minutes\": 240, \"resolution_minutes\": 1440},"
  "  \"C\": {\"first_response_minutes\": 480, \"resolution_minutes\": 4800}}}";

/* A French export: a byte order mark, semicolons, CRLF, days first, its own
 * priority names. INC002 answered an hour late; INC004 resolved 12 days after
 * it was opened (a target of 80 h); INC006 opened minutes ago, still open. */
static const char export_head[] =
  "\xEF\xBB\xBFTicket;Priority;Opened;First response;Resolved\r\n"
  "INC001;P1;04/03/2024 10:00;04/03/2024 10:30;04/03/2024 12:00\r\n"
  "INC002;P1;12/03/2024 09:00;12/03/2024 11:00;12/03/2024 12:00\r\n"
  "INC003;P2;20/03/2024 14:00;20/03/2024 15:00;21/03/2024 10:00\r\n"
  "INC004;P3;08/04/2024 08:00;08/04/2024 09:00;20/04/2024 08:00\r\n"
  "INC005;P3;15/04/2024 10:00;15/04/2024 11:00;16/04/2024 10:00\r\n";

/* Line 3: a date that does not exist; line 4: no id; line 9: a ticket
 * listed twice. Its priority "Urgentissime", past the first lines that the
 * dialog shows, is found in the whole file and given its row all the same. */
static const char bad_export[] =
  "Ticket;Priority;Opened;First response;Resolved\r\n"
  "INC101;P1;04/03/2024 10:00;;\r\n"
  "INC102;P1;31/02/2024 10:00;;\r\n"
  ";P2;05/03/2024 10:00;;\r\n"
  "INC104;P3;06/03/2024 10:00;;\r\n"
  "INC105;P3;06/03/2024 11:00;;\r\n"
  "INC106;P3;06/03/2024 12:00;;\r\n"
  "INC107;P3;06/03/2024 13:00;;\r\n"
  "INC101;Urgentissime;06/03/2024 14:00;;\r\n";

static void
request (Fixture         *fixture,
         const char      *method,
         const char      *path,
         const char      *token,
         const char      *body,
         EscTestResponse *r)
{
  g_autofree char *key = g_uuid_string_random ();
  const char *headers[] = { "Idempotency-Key", key, NULL };

  esc_test_request (fixture->server, method, path, token, NULL, body,
                    g_str_equal (method, "POST") ? headers : NULL, r);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(EscTestResponse) calendar = { 0, };
  g_auto(EscTestResponse) agreement = { 0, };
  g_auto(EscTestResponse) a = { 0, };
  g_auto(EscTestResponse) b = { 0, };

  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->manager = esc_test_server_create_token (fixture->server, "manager", "partner-manager");

  /* Proposed by the partner manager, accepted by both sides */
  request (fixture, "PUT", "/v1/sla-calendars/desk", fixture->manager, calendar_json, &calendar);
  g_assert_cmpuint (calendar.status, ==, 201);
  request (fixture, "POST", "/v1/sla-agreements", fixture->manager, terms_json, &agreement);
  g_assert_cmpuint (agreement.status, ==, 201);
  request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->admin, "{}", &a);
  g_assert_cmpuint (a.status, ==, 200);
  request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->manager, "{}", &b);
  g_assert_cmpuint (b.status, ==, 200);

  fixture->dir = g_dir_make_tmp ("escalade-ui-compliance-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->workspace_path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->workspace_path, &error);
  g_assert_no_error (error);
  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      g_assert_finalize_object (fixture->window);
    }
  esc_session_stop (fixture->session);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->workspace);
  g_free (fixture->admin);
  g_free (fixture->manager);
  g_clear_pointer (&fixture->server, esc_test_server_free);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->workspace_path);
  g_free (fixture->dir);
}

/* Waiting ------------------------------------------------------------------ */

static gboolean
account_has_identity (gpointer data)
{
  return esc_account_get_identity (data) != NULL && !esc_account_get_busy (data);
}

static gboolean
section_idle (gpointer data)
{
  Fixture *fixture = data;

  return !esc_sla_page_get_busy (fixture->page) && !esc_sla_compliance_get_busy (fixture->compliance);
}

static gboolean
has_mapping_dialog (gpointer data)
{
  return esc_sla_compliance_get_mapping_dialog (data) != NULL &&
         esc_test_ui_is_drawn (esc_sla_compliance_get_mapping_dialog (data));
}

static gboolean
mapping_dialog_idle (gpointer data)
{
  return !esc_sla_mapping_dialog_get_busy (data);
}

static gboolean
mapping_dialog_gone (gpointer data)
{
  return esc_sla_compliance_get_mapping_dialog (data) == NULL;
}

static void
open_window (Fixture *fixture)
{
  EscAccount *account = esc_session_get_account (fixture->session);

  esc_account_sign_in_async (account, esc_test_server_get_url (fixture->server), fixture->admin,
                             NULL, NULL, NULL);
  esc_test_ui_wait_until (account_has_identity, account, "the sign-in");

  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s", "slas"));
  esc_test_ui_settle ();
  fixture->page = esc_window_get_sla_page (fixture->window);
  fixture->compliance = ESC_SLA_COMPLIANCE (esc_sla_page_get_compliance (fixture->page));
  esc_test_ui_wait_until (section_idle, fixture, "the agreements and the report");
  esc_test_ui_settle ();
}

static void
assert_shows (GtkWidget  *widget,
              const char *text)
{
  g_autofree char *shown = esc_test_ui_visible_text (widget);

  if (strstr (shown, text) == NULL)
    g_error ("“%s” is not shown; the text is:\n%s", text, shown);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

/* The export, with a ticket opened minutes ago (still within its target) */
static char *
good_export (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) opened = g_date_time_add_minutes (now, -10);
  g_autofree char *when = g_date_time_format (opened, "%d/%m/%Y %H:%M");

  return g_strdup_printf ("%sINC006;P3;%s;;\r\n", export_head, when);
}

static EscSlaMappingDialog *
open_mapping_dialog (Fixture *fixture,
                     GFile   *file)
{
  esc_sla_compliance_import_file (fixture->compliance, file);
  esc_test_ui_wait_until (has_mapping_dialog, fixture->compliance, "the column-mapping dialog");
  esc_test_ui_wait_until (mapping_dialog_idle, esc_sla_compliance_get_mapping_dialog (fixture->compliance),
                          "the file's severity values");
  esc_test_ui_settle ();
  return ESC_SLA_MAPPING_DIALOG (esc_sla_compliance_get_mapping_dialog (fixture->compliance));
}

static guint64
count_tickets (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint64 count = G_MAXUINT64;

  g_assert_true (esc_workspace_count_tickets (fixture->workspace, NULL, &count, &error));
  g_assert_no_error (error);
  return count;
}

static gboolean
is_combo_titled (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_COMBO_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_entry_titled (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkEditable *
find_entry (GtkWidget  *root,
            const char *title)
{
  GtkWidget *row = esc_test_ui_find_widget (root, is_entry_titled, title);

  g_assert_nonnull (row);
  return GTK_EDITABLE (row);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* Scrolls the screen to the Compliance section, as a person would to read it */
static void
show_section (Fixture *fixture)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (fixture->compliance), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  esc_test_ui_settle ();
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (fixture->compliance), gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 12);
  esc_test_ui_settle ();
}

/* The chart as the screen shows it ---------------------------------------- */

typedef struct
{
  GdkRGBA success;  /* the theme's colours at the time */
  GdkRGBA error;
  guint drawn;      /* pixels not transparent */
  guint met;        /* pixels of the theme's success colour */
  guint breached;   /* pixels of its error colour */
} ChartPixels;

static gboolean
near (const guchar *pixel,
      const GdkRGBA *color)
{
  /* Cairo's ARGB32, premultiplied; the bars are opaque */
  return pixel[3] > 240 &&
         ABS (pixel[2] - color->red * 255) < 12 &&
         ABS (pixel[1] - color->green * 255) < 12 &&
         ABS (pixel[0] - color->blue * 255) < 12;
}

static ChartPixels
render_chart_now (Fixture *fixture)
{
  GtkWidget *chart = esc_sla_compliance_get_chart (fixture->compliance);
  GtkStyleContext *context = gtk_widget_get_style_context (chart);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (chart);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *data = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  int width, height;
  ChartPixels pixels = { 0, };
  GdkRGBA *success = &pixels.success;
  GdkRGBA *error = &pixels.error;

  /* Shown with the report, then laid out */
  esc_test_ui_wait_until (esc_test_ui_is_drawn, chart, "the chart to be laid out");
  width = gtk_widget_get_width (chart);
  height = gtk_widget_get_height (chart);
  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);
  g_assert_true (gtk_style_context_lookup_color (context, "success_color", success));
  g_assert_true (gtk_style_context_lookup_color (context, "error_color", error));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* Nothing until the widget has been drawn once */
  if (node == NULL)
    return pixels;
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  data = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, data, (gsize)width * 4);

  for (int i = 0; i < width * height; i++)
    {
      const guchar *pixel = data + (gsize)i * 4;

      if (pixel[3] > 0)
        pixels.drawn++;
      if (near (pixel, success))
        pixels.met++;
      if (near (pixel, error))
        pixels.breached++;
    }
  g_test_message ("chart %d×%d: %u drawn, %u met, %u breached", width, height,
                  pixels.drawn, pixels.met, pixels.breached);
  return pixels;
}

typedef struct
{
  Fixture     *fixture;
  ChartPixels  pixels;
} ChartWait;

static gboolean
chart_has_both_series (gpointer data)
{
  ChartWait *wait = data;

  wait->pixels = render_chart_now (wait->fixture);
  return wait->pixels.met > 100 && wait->pixels.breached > 100;
}

/* The chart as drawn in the current style, once its next frame shows both
 * series in that style's colours (fails after the test's timeout) */
static ChartPixels
render_chart (Fixture *fixture)
{
  ChartWait wait = { fixture, { { 0, }, } };

  esc_test_ui_wait_until (chart_has_both_series, &wait, "the chart drawn with met and breached tickets");
  return wait.pixels;
}

/* Tests -------------------------------------------------------------------- */

static void
test_import_report_and_export (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *contents = good_export ();
  g_autoptr(GFile) file = NULL;
  EscSlaMappingDialog *dialog;
  EscComplianceReport *report;
  const EscComplianceOffender *worst;
  EscComplianceMonth totals;
  ChartPixels light, dark;

  open_window (fixture);
  assert_shows (GTK_WIDGET (fixture->compliance), "No tickets imported yet.");
  g_assert_null (esc_sla_compliance_get_report (fixture->compliance));

  /* The dialog reads the header and guesses the columns, the separator and
   * the priorities' meaning */
  file = write_file (fixture, "servicenow-march.csv", contents);
  dialog = open_mapping_dialog (fixture, file);
  assert_shows (GTK_WIDGET (dialog), "First Lines of the File");
  assert_shows (GTK_WIDGET (dialog), "INC001");
  assert_shows (GTK_WIDGET (dialog), "Semicolons (French exports)");
  assert_shows (GTK_WIDGET (dialog), "Day/month/year (31/03/2026 14:05)");
  assert_shows (GTK_WIDGET (dialog), "“P1” means severity");
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "ticket-id"), ==, 0);
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "severity"), ==, 1);
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "created"), ==, 2);
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "first-response"), ==, 3);
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "resolved"), ==, 4);
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "last-update"), ==, -1);
  g_assert_cmpstr (gtk_editable_get_text (find_entry (GTK_WIDGET (dialog), "Source (the help desk’s tool)")),
                   ==, "servicenow-march");
  gtk_editable_set_text (find_entry (GTK_WIDGET (dialog), "Source (the help desk’s tool)"), "ServiceNow");
  esc_test_ui_screenshot ("sla-compliance-mapping.png");

  esc_sla_mapping_dialog_import (dialog);
  esc_test_ui_wait_until (mapping_dialog_gone, fixture->compliance, "the import");
  esc_test_ui_wait_until (section_idle, fixture, "the report");
  esc_test_ui_settle ();
  g_assert_cmpuint (count_tickets (fixture), ==, 6);

  /* The report: two months of 2024 and this one */
  report = esc_sla_compliance_get_report (fixture->compliance);
  g_assert_nonnull (report);
  g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 3);
  esc_compliance_report_get_totals (report, &totals);
  g_assert_cmpuint (totals.met[0], ==, 1);
  g_assert_cmpuint (totals.breached[0], ==, 1);
  g_assert_cmpuint (totals.met[1], ==, 1);
  g_assert_cmpuint (totals.met[2], ==, 1);
  g_assert_cmpuint (totals.breached[2], ==, 1);
  g_assert_cmpuint (totals.in_progress[2], ==, 1);
  g_assert_cmpuint (esc_compliance_report_get_n_offenders (report), ==, 2);
  worst = esc_compliance_report_get_offender (report, 0);
  g_assert_cmpstr (worst->ticket_id, ==, "INC004");
  g_assert_cmpint (worst->metric, ==, ESC_SLA_METRIC_RESOLUTION);

  assert_shows (GTK_WIDGET (fixture->compliance), "6 tickets: 3 met, 2 breached, 1 in progress. Compliance: 60 %.");
  assert_shows (GTK_WIDGET (fixture->compliance), "Per Month and Severity");
  assert_shows (GTK_WIDGET (fixture->compliance), "In progress");
  assert_shows (GTK_WIDGET (fixture->compliance), "All months");
  assert_shows (GTK_WIDGET (fixture->compliance), "INC004, severity C");
  assert_shows (GTK_WIDGET (fixture->compliance), "INC002, severity A");
  assert_shows (GTK_WIDGET (fixture->compliance), "SLA-000001, version 1 (agreed)");

  /* The chart, drawn with the theme's colours; described in words */
  {
    GtkWidget *chart = esc_sla_compliance_get_chart (fixture->compliance);
    g_autofree char *expected = esc_compliance_chart_describe (report);

    g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (chart),
                                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
    g_assert_nonnull (strstr (expected, "2024"));
  }
  light = render_chart (fixture);
  g_assert_cmpuint (light.drawn, >, 2000);
  g_assert_cmpuint (light.met, >, 100);
  g_assert_cmpuint (light.breached, >, 100);
  show_section (fixture);
  esc_test_ui_screenshot ("sla-compliance.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  esc_test_ui_settle ();
  dark = render_chart (fixture);
  /* Drawn again in the dark style's own colours */
  g_assert_false (gdk_rgba_equal (&dark.success, &light.success));
  g_assert_false (gdk_rgba_equal (&dark.error, &light.error));
  g_assert_cmpuint (dark.met, >, 100);
  g_assert_cmpuint (dark.breached, >, 100);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  esc_test_ui_settle ();

  /* The PDF, its text read back */
  {
    g_autofree char *pdf_path = g_build_filename (fixture->dir, "report.pdf", NULL);
    g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
    g_autofree char *csv_path = g_build_filename (fixture->dir, "report.csv", NULL);
    g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
    g_autofree char *program = g_find_program_in_path ("pdftotext");
    g_autofree char *bytes = NULL;
    g_autoptr(GError) error = NULL;

    esc_sla_compliance_export_async (fixture->compliance, ESC_EXPORT_PDF, ESC_PAPER_A4, ',', pdf, NULL, NULL);
    g_assert_true (esc_sla_compliance_get_busy (fixture->compliance));
    esc_test_ui_wait_until (section_idle, fixture, "the PDF export");
    g_assert_true (g_file_get_contents (pdf_path, &bytes, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (bytes, "%PDF-"));
    g_clear_pointer (&bytes, g_free);

    if (program != NULL)
      {
        const char *argv[] = { program, "-layout", pdf_path, "-", NULL };
        g_autofree char *text = NULL;
        int status = 0;

        g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL,
                                     &status, &error));
        g_assert_no_error (error);
        g_assert_true (g_spawn_check_wait_status (status, NULL));
        g_assert_nonnull (strstr (text, "INC004"));
        g_assert_nonnull (strstr (text, "INC002"));
        g_assert_nonnull (strstr (text, "2024"));
      }
    else
      g_test_message ("pdftotext (poppler-utils) is not installed: the PDF's text is not read back");

    esc_sla_compliance_export_async (fixture->compliance, ESC_EXPORT_CSV, ESC_PAPER_A4, ';', csv, NULL, NULL);
    esc_test_ui_wait_until (section_idle, fixture, "the CSV export");
    g_assert_true (g_file_get_contents (csv_path, &bytes, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (bytes, "INC004;C;"));
  }

  /* The last three months: this month's ticket only */
  {
    GtkWidget *period = esc_test_ui_find_widget (GTK_WIDGET (fixture->compliance), is_combo_titled, "Period");

    g_assert_nonnull (period);
    g_assert_true (gtk_widget_get_visible (period));
    adw_combo_row_set_selected (ADW_COMBO_ROW (period), 1);
    esc_test_ui_wait_until (section_idle, fixture, "the report of the last three months");
    report = esc_sla_compliance_get_report (fixture->compliance);
    g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 1);
    esc_compliance_report_get_totals (report, &totals);
    g_assert_cmpuint (totals.in_progress[2], ==, 1);
    g_assert_cmpuint (totals.met[0] + totals.met[1] + totals.met[2], ==, 0);
    assert_shows (GTK_WIDGET (fixture->compliance), "1 ticket: 0 met, 0 breached, 1 in progress.");
  }

  /* The next export of the same tool: its mapping is remembered */
  dialog = open_mapping_dialog (fixture, file);
  g_assert_cmpstr (gtk_editable_get_text (find_entry (GTK_WIDGET (dialog), "Source (the help desk’s tool)")),
                   ==, "ServiceNow");
  g_assert_cmpint (esc_sla_mapping_dialog_get_column (dialog, "created"), ==, 2);
  gtk_window_close (GTK_WINDOW (dialog));
  esc_test_ui_wait_until (mapping_dialog_gone, fixture->compliance, "the dialog to close");
  g_assert_cmpuint (count_tickets (fixture), ==, 6);
}

static void
test_bad_file (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *problems = NULL;
  EscSlaMappingDialog *dialog;

  open_window (fixture);
  file = write_file (fixture, "bad.csv", bad_export);
  dialog = open_mapping_dialog (fixture, file);

  /* Nothing is imported; every bad line is named, and the dialog stays for
   * the person to correct the choices */
  esc_sla_mapping_dialog_import (dialog);
  esc_test_ui_wait_until (mapping_dialog_idle, dialog, "the import");
  esc_test_ui_settle ();
  g_assert_true (esc_sla_compliance_get_mapping_dialog (fixture->compliance) == GTK_WINDOW (dialog));
  problems = esc_sla_mapping_dialog_get_problems (dialog);
  g_test_message ("%s", problems);
  g_assert_nonnull (strstr (problems, "Line 3: "));
  g_assert_nonnull (strstr (problems, "Line 4: "));
  g_assert_nonnull (strstr (problems, "Line 9: "));
  g_assert_null (strstr (problems, "Line 2: "));
  assert_shows (GTK_WIDGET (dialog), "Lines Not Imported");
  assert_shows (GTK_WIDGET (dialog), "“Urgentissime” means severity");
  assert_shows (GTK_WIDGET (dialog), "Line 9: ");
  g_assert_cmpuint (count_tickets (fixture), ==, 0);
  esc_test_ui_screenshot ("sla-compliance-bad-lines.png");

  /* A required column left out is said before anything is read */
  esc_sla_mapping_dialog_set_column (dialog, "created", -1);
  esc_sla_mapping_dialog_import (dialog);
  g_clear_pointer (&problems, g_free);
  problems = esc_sla_mapping_dialog_get_problems (dialog);
  g_assert_nonnull (strstr (problems, "Choose the column that holds"));
  g_assert_false (esc_sla_mapping_dialog_get_busy (dialog));

  gtk_window_close (GTK_WINDOW (dialog));
  esc_test_ui_wait_until (mapping_dialog_gone, fixture->compliance, "the dialog to close");
  esc_test_ui_wait_until (section_idle, fixture, "the section");
  g_assert_null (esc_sla_compliance_get_report (fixture->compliance));
  assert_shows (GTK_WIDGET (fixture->compliance), "No tickets imported yet.");
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) contents = g_string_new ("Ticket,Priority,Opened\n");
  g_autoptr(GFile) file = NULL;
  g_autofree char *problems = NULL;
  EscSlaMappingDialog *dialog;

  open_window (fixture);
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (contents, "INC%06u,C,2024-03-%02u 10:00\n", i, 1 + i % 28);
  file = write_file (fixture, "big.csv", contents->str);
  dialog = open_mapping_dialog (fixture, file);

  /* Cancelled at once: the worker stops and stores nothing */
  esc_sla_mapping_dialog_import (dialog);
  g_assert_true (esc_sla_mapping_dialog_get_busy (dialog));
  g_signal_emit_by_name (esc_test_ui_find_widget (GTK_WIDGET (dialog), is_button_labelled, "_Cancel"),
                         "clicked");
  esc_test_ui_wait_until (mapping_dialog_idle, dialog, "the import to stop");
  problems = esc_sla_mapping_dialog_get_problems (dialog);
  g_assert_cmpstr (problems, ==, "The import was cancelled: nothing was imported.");
  g_assert_cmpuint (count_tickets (fixture), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
  esc_test_ui_wait_until (mapping_dialog_gone, fixture->compliance, "the dialog to close");
}

int
main (int   argc,
      char *argv[])
{
  /* The export's dates are written in UTC; the dialog proposes the local zone */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/sla-compliance/import-report-and-export", Fixture, NULL,
              fixture_setup, test_import_report_and_export, fixture_teardown);
  g_test_add ("/ui/sla-compliance/bad-file", Fixture, NULL,
              fixture_setup, test_bad_file, fixture_teardown);
  g_test_add ("/ui/sla-compliance/cancel", Fixture, NULL,
              fixture_setup, test_cancel, fixture_teardown);

  return esc_test_ui_run ();
}
