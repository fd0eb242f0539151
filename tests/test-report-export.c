/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "esc-matrix-csv.h"
#include "esc-matrix-export.h"
#include "esc-workspace.h"

/* The export of the matrices from a real workspace file: the PDF's text read
 * back with pdftotext names every party and responsibility, its page count is
 * the layout's for A4 and Letter, `escalade --export` with no display writes
 * the same CSV bytes and the same PDF text, a failed write leaves nothing, and
 * the CSV imports back. */

typedef struct
{
  char         *dir;
  EscWorkspace *workspace;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "ws.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (esc_workspace_set_setting (fixture->workspace, ESC_WORKSPACE_SETTING_ORGANISATION,
                                            "Contoso Électricité", &error));
  g_assert_true (esc_workspace_set_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL,
                                            "partner-led", &error));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->workspace));
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
fixture_file (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
export (Fixture         *fixture,
        EscMatrixKind    kind,
        EscExportFormat  format,
        EscPaper         paper,
        char             separator,
        const char      *path)
{
  EscExportOptions options = { kind, format, paper, separator };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(EscExportJob) job = esc_export_job_new (fixture->workspace, &options, now);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_export_job_run (job, file, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Page objects in the file (cairo writes their dictionaries uncompressed) */
static guint
count_pages (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (length > 5 && memcmp (contents, "%PDF-", 5) == 0);
  /* The file holds NUL bytes: no string search */
  for (gsize i = 0; i + 12 < length; i++)
    {
      if (memcmp (contents + i, "/Type /Page", 11) == 0 && contents[i + 11] != 's')
        n++;
    }

  return n;
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

/* Without any white space: a cell's text wraps anywhere in a PDF */
static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static void
assert_text_has (const char *squeezed,
                 const char *expected)
{
  g_autofree char *want = squeeze (expected);

  if (strstr (squeezed, want) == NULL)
    g_error ("The PDF's text lacks “%s”", expected);
}

static void
add_many_responsibilities (EscWorkspace *workspace,
                           guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Extra duty number %u, with enough words to wrap "
                                               "onto a second line of its cell at least once", i);
      g_autoptr(EscResponsibility) item = esc_responsibility_new (0, "it-admin", text, NULL);
      g_autoptr(GError) error = NULL;

      esc_responsibility_set_raci (item, "it-admin", ESC_RACI_RESPONSIBLE);
      g_assert_true (esc_workspace_add_responsibility (workspace, item, &error));
    }
}

static void
test_pdf_roles (Fixture       *fixture,
                gconstpointer  data)
{
  const EscPaper papers[] = { ESC_PAPER_A4, ESC_PAPER_LETTER };
  GListModel *parties = esc_workspace_get_parties (fixture->workspace);
  GListModel *items = esc_workspace_get_responsibilities (fixture->workspace);

  add_many_responsibilities (fixture->workspace, 30);

  for (guint p = 0; p < G_N_ELEMENTS (papers); p++)
    {
      g_autofree char *path = fixture_file (fixture, "roles.pdf");
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(EscMatrixDocument) document = esc_matrix_export_build_document (fixture->workspace,
                                                                              ESC_MATRIX_ROLES, now);
      g_autofree char *text = NULL;
      g_autofree char *squeezed = NULL;
      g_autofree char *page_line = NULL;
      g_autoptr(GBytes) bytes = NULL;
      guint expected_pages;

      /* The layout's pages, measured the way the export measures them */
      bytes = esc_matrix_document_write_pdf (document, papers[p], NULL, NULL, NULL, NULL);
      g_assert_nonnull (bytes);
      {
        double width, height;
        cairo_surface_t *surface;
        cairo_t *cr;

        esc_paper_get_size (papers[p], &width, &height);
        surface = cairo_pdf_surface_create_for_stream (NULL, NULL, width, height);
        cr = cairo_create (surface);
        expected_pages = esc_matrix_document_paginate (document, cr, width, height);
        cairo_destroy (cr);
        cairo_surface_destroy (surface);
      }
      g_assert_cmpuint (expected_pages, >, 1);

      export (fixture, ESC_MATRIX_ROLES, ESC_EXPORT_PDF, papers[p], ',', path);
      g_assert_cmpuint (count_pages (path), ==, expected_pages);

      text = pdf_text (path);
      if (text == NULL)
        {
          g_test_message ("pdftotext (poppler-utils) is not installed: the PDF's text is not read back");
          continue;
        }
      squeezed = squeeze (text);
      assert_text_has (squeezed, "Roles and responsibilities");
      assert_text_has (squeezed, "Contoso Électricité");
      assert_text_has (squeezed, "Partner-led support");
      page_line = g_strdup_printf ("Page %u of %u", expected_pages, expected_pages);
      assert_text_has (squeezed, page_line);
      for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
        {
          g_autoptr(EscParty) party = g_list_model_get_item (parties, i);
          assert_text_has (squeezed, esc_party_get_name (party));
        }
      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(EscResponsibility) item = g_list_model_get_item (items, i);
          const char * const *areas = esc_responsibility_get_areas (item);

          assert_text_has (squeezed, esc_responsibility_get_text (item));
          for (guint j = 0; areas[j] != NULL; j++)
            assert_text_has (squeezed, areas[j]);
        }
    }

  /* Letter is wider and lower than A4: the same rows need other page breaks, and
   * each file has the pages its layout says (checked above) */
}

static void
test_pdf_routing (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "routing.pdf");
  g_autofree char *text = NULL;
  g_autofree char *squeezed = NULL;
  GListModel *rules = esc_workspace_get_routing_rules (fixture->workspace);

  export (fixture, ESC_MATRIX_ROUTING, ESC_EXPORT_PDF, ESC_PAPER_LETTER, ',', path);
  g_assert_cmpuint (count_pages (path), ==, 1);

  if (!(text = pdf_text (path)))
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  squeezed = squeeze (text);
  assert_text_has (squeezed, "Routing matrix");
  assert_text_has (squeezed, "Escalation support team");
  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);

      assert_text_has (squeezed, esc_routing_rule_get_problem (rule));
      assert_text_has (squeezed, esc_routing_rule_get_team (rule));
      assert_text_has (squeezed, esc_routing_rule_get_action (rule));
    }
}

/* escalade --export, with no display: the same bytes as the app's export */
static void
run_cli (Fixture    *fixture,
         const char *kind,
         const char *format,
         const char *output,
         const char *extra)
{
  g_autofree char *program = g_build_filename (g_getenv ("ESCALADE_BUILD_DIR"), "src", "escalade",
                                               NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--export", kind, "--format",
                                         format, "--output", output, "--workspace",
                                         esc_workspace_get_path (fixture->workspace),
                                         extra, extra != NULL ? "semicolon" : NULL, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("escalade --export failed: %s", err);
}

static void
test_cli_matches (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *kinds[] = { "roles", "routing" };

  if (g_getenv ("ESCALADE_BUILD_DIR") == NULL)
    {
      g_test_skip ("ESCALADE_BUILD_DIR is not set: run through `meson test`");
      return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      EscMatrixKind kind = k == 0 ? ESC_MATRIX_ROLES : ESC_MATRIX_ROUTING;
      g_autofree char *app_csv = fixture_file (fixture, "app.csv");
      g_autofree char *cli_csv = fixture_file (fixture, "cli.csv");
      g_autofree char *app_pdf = fixture_file (fixture, "app.pdf");
      g_autofree char *cli_pdf = fixture_file (fixture, "cli.pdf");
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gsize a_length, b_length;

      export (fixture, kind, ESC_EXPORT_CSV, ESC_PAPER_A4, ';', app_csv);
      run_cli (fixture, kinds[k], "csv", cli_csv, "--separator");
      g_assert_true (g_file_get_contents (app_csv, &a, &a_length, NULL));
      g_assert_true (g_file_get_contents (cli_csv, &b, &b_length, NULL));
      g_assert_cmpmem (a, a_length, b, b_length);
      g_clear_pointer (&a, g_free);
      g_clear_pointer (&b, g_free);

      export (fixture, kind, ESC_EXPORT_PDF, ESC_PAPER_A4, ',', app_pdf);
      run_cli (fixture, kinds[k], "pdf", cli_pdf, NULL);
      g_assert_cmpuint (count_pages (app_pdf), ==, count_pages (cli_pdf));
      a = pdf_text (app_pdf);
      b = pdf_text (cli_pdf);
      g_assert_cmpstr (a, ==, b);
    }
}

/* A write that fails leaves no file, or the old one untouched, and says why */
static void
test_failed_write (Fixture       *fixture,
                   gconstpointer  data)
{
  EscExportOptions options = { ESC_MATRIX_ROLES, ESC_EXPORT_PDF, ESC_PAPER_A4, ',' };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(EscExportJob) job = esc_export_job_new (fixture->workspace, &options, now);
  g_autofree char *missing = fixture_file (fixture, "no-such-folder/roles.pdf");
  g_autofree char *folder = fixture_file (fixture, "a-folder");
  g_autoptr(GFile) file = g_file_new_for_path (missing);
  g_autoptr(GFile) dir = g_file_new_for_path (folder);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = fixture_file (fixture, "kept.pdf");
  g_autoptr(GFile) kept = g_file_new_for_path (existing);
  g_autofree char *contents = NULL;

  g_assert_false (esc_export_job_run (job, file, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_false (esc_export_job_run (job, dir, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_clear_error (&error);

  /* Cancelled half-way: the file that was there stays as it was */
  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (esc_export_job_run (job, kept, NULL, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old");
}

/* The CSV export imports back into the workspace unchanged */
static void
test_import_back (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = fixture_file (fixture, "roles.csv");
  g_autofree char *routing = fixture_file (fixture, "routing.csv");
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *items = esc_workspace_get_responsibilities (fixture->workspace);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    g_ptr_array_add (before, g_list_model_get_item (items, i));

  export (fixture, ESC_MATRIX_ROLES, ESC_EXPORT_CSV, ESC_PAPER_A4, ';', path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_assert_true (esc_workspace_reset_roles (fixture->workspace, &error));
  g_assert_true (esc_matrix_import_csv (fixture->workspace, ESC_MATRIX_ROLES, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_autoptr(EscResponsibility) item = g_list_model_get_item (items, i);
      g_assert_true (esc_responsibility_equal (item, g_ptr_array_index (before, i)));
    }

  /* A bad file changes nothing */
  bad = g_bytes_new_static ("Party,Responsibility,Areas\r\nNobody,Something,\r\n", 46);
  g_assert_false (esc_matrix_import_csv (fixture->workspace, ESC_MATRIX_ROLES, bad, &error));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, before->len);
  g_clear_error (&error);

  export (fixture, ESC_MATRIX_ROUTING, ESC_EXPORT_CSV, ESC_PAPER_A4, ',', routing);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_true (g_file_get_contents (routing, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_assert_true (esc_matrix_import_csv (fixture->workspace, ESC_MATRIX_ROUTING, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (esc_workspace_get_routing_rules (fixture->workspace)), ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/report/export/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("pdf-roles", test_pdf_roles);
  ADD ("pdf-routing", test_pdf_routing);
  ADD ("cli-matches", test_cli_matches);
  ADD ("failed-write", test_failed_write);
  ADD ("import-back", test_import_back);
#undef ADD

  return g_test_run ();
}
