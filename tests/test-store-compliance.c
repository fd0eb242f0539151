/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-compliance-store.h"
#include "esc-core-error.h"
#include "esc-store-error.h"
#include "esc-workspace-private.h"

/* Ticket imports in a real workspace file: an import in a worker thread with
 * its progress, all or nothing (a bad line, a Cancel while storing), a
 * re-import that replaces a source's tickets by id, the mapping remembered per
 * source and recognised by its header line after reopening, schema step 7 from
 * a file of step 6, and the report read back through the SLA engine. */

#define H G_TIME_SPAN_HOUR

typedef struct
{
  char         *dir;
  char         *path;
  EscWorkspace *workspace;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-compliance-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "ws.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  /* Nothing else holds it, a worker thread neither: its connection is
   * closed here, not after main() (valgrind's "possibly lost" pages). */
  g_assert_finalize_object (g_steal_pointer (&fixture->workspace));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

static EscComplianceMapping *
servicenow_mapping (void)
{
  EscComplianceMapping *mapping = esc_compliance_mapping_new ("ServiceNow");
  const char *header[] = { "Number", "Priority", "Opened", "Responded", "Resolved", "State", NULL };

  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_TICKET_ID, "Number");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_SEVERITY, "Priority");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_CREATED, "Opened");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_FIRST_RESPONSE, "Responded");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_RESOLVED, "Resolved");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_STATUS, "State");
  esc_compliance_mapping_set_severity (mapping, "1 - Critical", ESC_SUPPORT_SEVERITY_A);
  esc_compliance_mapping_set_severity (mapping, "2 - High", ESC_SUPPORT_SEVERITY_B);
  esc_compliance_mapping_set_severity (mapping, "3 - Moderate", ESC_SUPPORT_SEVERITY_C);
  esc_compliance_mapping_set_header (mapping, header);
  return mapping;
}

/* In UTC, on a 24×7 calendar: B answers in 4 h and resolves in 16 h */
static const char servicenow_csv[] =
  "Number,Priority,Opened,Responded,Resolved,State\r\n"
  "INC001,2 - High,2026-02-02 08:00,2026-02-02 09:00,2026-02-02 12:00,Closed\r\n"
  "INC002,2 - High,2026-02-03 08:00,2026-02-03 14:00,2026-02-03 20:00,Closed\r\n"  /* 2 h late */
  "INC003,\"3 - Moderate\",2026-03-01 08:00,,,\"In progress, with vendor\"\r\n";

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
  guint64 last_done;
  guint64 last_total;
  guint n_progress;
  gboolean progress_freed;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Wait *wait = user_data;

  g_assert_false (wait->progress_freed);
  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, wait->last_done);
  wait->last_done = done;
  wait->last_total = total;
  wait->n_progress++;
}

static void
progress_free_cb (gpointer user_data)
{
  Wait *wait = user_data;

  wait->progress_freed = TRUE;
}

static gboolean
import (Fixture               *fixture,
        EscComplianceMapping  *mapping,
        const char            *text,
        GCancellable          *cancellable,
        guint                 *n_imported,
        GPtrArray            **problems,
        GError               **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, NULL, 0, 0, 0, FALSE };
  gboolean ok;

  esc_workspace_import_tickets_async (fixture->workspace, mapping, bytes, progress_cb, &wait,
                                      progress_free_cb, cancellable, done_cb, &wait);
  g_main_loop_run (loop);
  ok = esc_workspace_import_tickets_finish (fixture->workspace, wait.result, n_imported, problems, error);
  g_object_unref (wait.result);
  /* Freed once the import is over, in this thread */
  g_assert_true (wait.progress_freed);
  if (ok)
    {
      g_assert_cmpuint (wait.n_progress, >=, 1);
      g_assert_cmpuint (wait.last_done, ==, wait.last_total);
    }
  return ok;
}

static guint64
count (Fixture    *fixture,
       const char *source)
{
  g_autoptr(GError) error = NULL;
  guint64 n = G_MAXUINT64;

  g_assert_true (esc_workspace_count_tickets (fixture->workspace, source, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_import (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(EscComplianceMapping) mapping = servicenow_mapping ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_auto(GStrv) sources = NULL;
  guint n = 0;
  const char update[] =
    "Number,Priority,Opened,Responded,Resolved,State\r\n"
    "INC003,3 - Moderate,2026-03-01 08:00,2026-03-01 09:00,2026-03-01 10:00,Closed\r\n"
    "INC004,1 - Critical,2026-03-02 08:00,2026-03-02 08:10,,New\r\n";

  g_assert_true (import (fixture, mapping, servicenow_csv, NULL, &n, &problems, &error));
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (count (fixture, "ServiceNow"), ==, 3);
  g_assert_cmpuint (count (fixture, "GLPI"), ==, 0);

  /* A later export of the same source: INC003 replaced, INC004 added */
  g_assert_true (import (fixture, mapping, update, NULL, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (count (fixture, NULL), ==, 4);

  sources = esc_workspace_list_compliance_sources (fixture->workspace, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (sources, ((const char *[]) { "ServiceNow", NULL }));

  /* Removing the tickets keeps the mapping; forgetting removes both */
  g_assert_true (esc_workspace_remove_compliance_source (fixture->workspace, "ServiceNow", FALSE, &error));
  g_assert_cmpuint (count (fixture, NULL), ==, 0);
  g_clear_pointer (&sources, g_strfreev);
  sources = esc_workspace_list_compliance_sources (fixture->workspace, &error);
  g_assert_cmpuint (g_strv_length (sources), ==, 1);
  g_assert_true (import (fixture, mapping, servicenow_csv, NULL, &n, NULL, &error));
  g_assert_true (esc_workspace_remove_compliance_source (fixture->workspace, "ServiceNow", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (fixture, NULL), ==, 0);
  g_clear_pointer (&sources, g_strfreev);
  sources = esc_workspace_list_compliance_sources (fixture->workspace, &error);
  g_assert_cmpuint (g_strv_length (sources), ==, 0);
}

static void
test_import_all_or_nothing (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(EscComplianceMapping) mapping = servicenow_mapping ();
  g_autoptr(EscComplianceMapping) other = servicenow_mapping ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EscComplianceMapping) remembered = NULL;
  guint n = 42;
  const char bad[] =
    "Number,Priority,Opened,Responded,Resolved,State\r\n"
    "INC101,2 - High,2026-02-02 08:00,,,New\r\n"
    "INC102,4 - Low,2026-02-02 08:00,,,New\r\n"
    "INC103,2 - High,2026-02-30 08:00,,,New\r\n";

  g_assert_true (import (fixture, mapping, servicenow_csv, NULL, &n, NULL, &error));
  g_assert_cmpuint (count (fixture, NULL), ==, 3);

  /* Two bad lines: both named, nothing stored, the mapping not changed */
  esc_compliance_mapping_set_date_format (other, ESC_COMPLIANCE_DATE_ISO);
  esc_compliance_mapping_set_severity (other, "5 - Planning", ESC_SUPPORT_SEVERITY_C);
  g_assert_false (import (fixture, other, bad, NULL, &n, &problems, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpuint (((EscComplianceProblem *)problems->pdata[0])->line, ==, 3);
  g_assert_nonnull (strstr (((EscComplianceProblem *)problems->pdata[0])->reason, "4 - Low"));
  g_assert_cmpuint (((EscComplianceProblem *)problems->pdata[1])->line, ==, 4);
  g_assert_nonnull (strstr (((EscComplianceProblem *)problems->pdata[1])->reason, "2026-02-30"));
  g_assert_cmpuint (count (fixture, NULL), ==, 3);
  g_clear_error (&error);
  remembered = esc_workspace_lookup_compliance_mapping (fixture->workspace, "ServiceNow", &error);
  g_assert_no_error (error);
  g_assert_false (esc_compliance_mapping_lookup_severity (remembered, "5 - Planning",
                                                          &(EscSupportSeverity) { 0 }));

  /* Cancelled before it starts: nothing */
  g_clear_pointer (&problems, g_ptr_array_unref);
  g_cancellable_cancel (cancellable);
  g_assert_false (import (fixture, mapping, servicenow_csv, cancellable, &n, &problems, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count (fixture, NULL), ==, 3);
}

typedef struct
{
  GCancellable *cancellable;
  guint64 cancelled_at;
} CancelWhileStoring;

/* Cancels once the rows are being stored (the second half of the progress) */
static void
cancel_while_storing_cb (guint64  done,
                         guint64  total,
                         gpointer user_data)
{
  CancelWhileStoring *data = user_data;

  if (done > total / 2 && data->cancelled_at == 0)
    {
      data->cancelled_at = done;
      g_cancellable_cancel (data->cancellable);
    }
}

static void
test_cancel_while_storing (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(EscComplianceMapping) mapping = servicenow_mapping ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) text = g_string_new ("Number,Priority,Opened,Responded,Resolved,State\r\n");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CancelWhileStoring cancel = { cancellable, 0 };
  guint n = 0;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "INC%06u,3 - Moderate,2026-01-%02u 08:00,,,New\r\n", i, 1 + i % 28);
  bytes = g_bytes_new (text->str, text->len);

  g_assert_false (esc_workspace_import_tickets_at (fixture->path, mapping, bytes,
                                                   cancel_while_storing_cb, &cancel, cancellable,
                                                   &n, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Stopped while storing, after rows were written in the transaction */
  g_assert_cmpuint (cancel.cancelled_at, >, 20000);
  g_assert_cmpuint (cancel.cancelled_at, <, 40000);
  g_assert_cmpuint (count (fixture, NULL), ==, 0);
  g_clear_error (&error);

  /* The same file, not cancelled: every row */
  g_assert_true (esc_workspace_import_tickets_at (fixture->path, mapping, bytes, NULL, NULL, NULL,
                                                  &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 20000);
  g_assert_cmpuint (count (fixture, NULL), ==, 20000);
}

static void
test_mapping_remembered (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(EscComplianceMapping) mapping = servicenow_mapping ();
  g_autoptr(EscComplianceMapping) found = NULL;
  g_autoptr(EscComplianceMapping) french = esc_compliance_mapping_new ("GLPI Paris");
  g_autoptr(GError) error = NULL;
  const char *header[] = { "Number", "Priority", "Opened", "Responded", "Resolved", "State", NULL };
  const char *french_header[] = { "N°", "Priorité", "Ouvert le", NULL };
  const char *unknown[] = { "Number", "Priority", NULL };
  EscSupportSeverity severity;

  g_assert_null (esc_workspace_lookup_compliance_mapping (fixture->workspace, "ServiceNow", &error));
  g_assert_no_error (error);
  g_assert_true (esc_workspace_save_compliance_mapping (fixture->workspace, mapping, &error));
  g_assert_no_error (error);
  esc_compliance_mapping_set_separator (french, ';');
  esc_compliance_mapping_set_date_format (french, ESC_COMPLIANCE_DATE_DMY);
  esc_compliance_mapping_set_severity (french, "Critique", ESC_SUPPORT_SEVERITY_A);
  esc_compliance_mapping_set_header (french, french_header);
  g_assert_true (esc_workspace_save_compliance_mapping (fixture->workspace, french, &error));

  /* After reopening the file */
  g_clear_object (&fixture->workspace);
  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);

  found = esc_workspace_find_compliance_mapping (fixture->workspace, header, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (esc_compliance_mapping_get_source (found), ==, "ServiceNow");
  g_assert_cmpstr (esc_compliance_mapping_get_column (found, ESC_COMPLIANCE_FIELD_STATUS), ==, "State");
  g_assert_true (esc_compliance_mapping_lookup_severity (found, "1 - critical", &severity));
  g_assert_cmpint (severity, ==, ESC_SUPPORT_SEVERITY_A);
  g_clear_object (&found);

  found = esc_workspace_find_compliance_mapping (fixture->workspace, french_header, &error);
  g_assert_cmpstr (esc_compliance_mapping_get_source (found), ==, "GLPI Paris");
  g_assert_cmpuint ((guchar) esc_compliance_mapping_get_separator (found), ==, ';');
  g_assert_cmpint (esc_compliance_mapping_get_date_format (found), ==, ESC_COMPLIANCE_DATE_DMY);
  g_clear_object (&found);

  g_assert_null (esc_workspace_find_compliance_mapping (fixture->workspace, unknown, &error));
  g_assert_no_error (error);

  found = esc_workspace_lookup_compliance_mapping (fixture->workspace, "GLPI Paris", &error);
  g_assert_nonnull (found);
  g_clear_object (&found);

  /* Saving again replaces the source's mapping */
  esc_compliance_mapping_set_severity (french, "Haute", ESC_SUPPORT_SEVERITY_B);
  g_assert_true (esc_workspace_save_compliance_mapping (fixture->workspace, french, &error));
  found = esc_workspace_lookup_compliance_mapping (fixture->workspace, "GLPI Paris", &error);
  g_assert_true (esc_compliance_mapping_lookup_severity (found, "haute", &severity));
  g_assert_cmpint (severity, ==, ESC_SUPPORT_SEVERITY_B);
}

static void
test_migration_from_6 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-compliance-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "old.sqlite3", NULL);
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscComplianceMapping) mapping = servicenow_mapping ();
  g_autoptr(GBytes) bytes = g_bytes_new_static (servicenow_csv, strlen (servicenow_csv));
  const char *suffixes[] = { "", "-wal", "-shm" };
  guint64 n = 1;

  g_assert_true (esc_workspace_create_at_version (path, 6, &error));
  g_assert_no_error (error);

  /* A step-6 file is refused by the worker until Escalade has migrated it */
  g_assert_false (esc_workspace_import_tickets_at (path, mapping, bytes, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_clear_error (&error);

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_workspace_get_schema_version (workspace), ==, ESC_WORKSPACE_SCHEMA_VERSION);
  g_assert_true (esc_workspace_count_tickets (workspace, NULL, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_clear_object (&workspace);

  g_assert_true (esc_workspace_import_tickets_at (path, mapping, bytes, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

static void
test_report (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(EscComplianceMapping) mapping = servicenow_mapping ();
  g_autoptr(EscSlaAgreementVersion) version = esc_sla_agreement_version_new ();
  g_autoptr(EscCalendar) calendar = esc_calendar_new_24x7 ();
  g_autoptr(EscComplianceReport) report = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL, 0, 0, 0, FALSE };
  const EscSlaTargets b = { 240, 720, 960, FALSE };
  const EscSlaTargets c = { 480, 1440, 2400, FALSE };
  const EscComplianceMonth *february, *march;
  guint n;

  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_B, &b);
  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_C, &c);
  g_assert_true (import (fixture, mapping, servicenow_csv, NULL, &n, NULL, &error));

  /* 1 March 10:00 UTC: INC003 is 2 h old */
  esc_workspace_compliance_report_async (fixture->workspace, "ServiceNow", 0, 0, version, calendar,
                                         utc (2026, 3, 1, 10, 0), 5, NULL, done_cb, &wait);
  g_main_loop_run (loop);
  report = esc_workspace_compliance_report_finish (fixture->workspace, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 2);
  february = esc_compliance_report_get_month (report, 0);
  g_assert_cmpuint (february->met[ESC_SUPPORT_SEVERITY_B], ==, 1);
  g_assert_cmpuint (february->breached[ESC_SUPPORT_SEVERITY_B], ==, 1);
  march = esc_compliance_report_get_month (report, 1);
  g_assert_cmpuint (march->in_progress[ESC_SUPPORT_SEVERITY_C], ==, 1);
  g_assert_cmpuint (esc_compliance_report_get_n_offenders (report), ==, 1);
  g_assert_cmpstr (esc_compliance_report_get_offender (report, 0)->ticket_id, ==, "INC002");
  g_assert_cmpint (esc_compliance_report_get_offender (report, 0)->overrun, ==, 2 * H);
  g_clear_pointer (&report, esc_compliance_report_unref);

  /* February only, and another source's tickets are not counted */
  esc_workspace_compliance_report_async (fixture->workspace, NULL, utc (2026, 2, 1, 0, 0),
                                         utc (2026, 3, 1, 0, 0), version, calendar,
                                         utc (2026, 3, 1, 10, 0), 5, NULL, done_cb, &wait);
  g_main_loop_run (loop);
  report = esc_workspace_compliance_report_finish (fixture->workspace, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 1);
  g_clear_pointer (&report, esc_compliance_report_unref);

  esc_workspace_compliance_report_async (fixture->workspace, "GLPI", 0, 0, version, calendar,
                                         utc (2026, 3, 1, 10, 0), 5, NULL, done_cb, &wait);
  g_main_loop_run (loop);
  report = esc_workspace_compliance_report_finish (fixture->workspace, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/compliance/import", Fixture, NULL, fixture_set_up, test_import, fixture_tear_down);
  g_test_add ("/store/compliance/all-or-nothing", Fixture, NULL, fixture_set_up,
              test_import_all_or_nothing, fixture_tear_down);
  g_test_add ("/store/compliance/cancel-while-storing", Fixture, NULL, fixture_set_up,
              test_cancel_while_storing, fixture_tear_down);
  g_test_add ("/store/compliance/mapping-remembered", Fixture, NULL, fixture_set_up,
              test_mapping_remembered, fixture_tear_down);
  g_test_add_func ("/store/compliance/migration-from-6", test_migration_from_6);
  g_test_add ("/store/compliance/report", Fixture, NULL, fixture_set_up, test_report, fixture_tear_down);

  return g_test_run ();
}
