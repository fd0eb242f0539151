/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "esc-matrix-actions.h"
#include "esc-roles-page.h"
#include "esc-routing-page.h"
#include "esc-test-ui.h"
#include "esc-window.h"

/* The Roles and Routing screens in a real window over a real workspace file:
 * a responsibility edited in its dialog is in the file (and Undo takes it
 * back), "Where does this go?" ends on each seeded row, and the screen's
 * export writes what `escalade --export` writes. */

typedef struct
{
  char         *dir;
  char         *path;
  EscWorkspace *workspace;
  EscSession   *session;
  EscWindow    *window;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-ui-matrix-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->workspace);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0 ||
          g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0);
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = esc_test_ui_find_widget (root, is_button_labelled, label);

  if (button == NULL)
    g_error ("No button “%s” is shown", label);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* "clicked", as a mouse click emits it (activate would wait for a press animation) */
  g_signal_emit_by_name (button, "clicked");
  esc_test_ui_settle ();
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  GtkWidget *row = esc_test_ui_find_widget (root, is_row_titled, title);

  if (row == NULL)
    g_error ("No row “%s”", title);
  return row;
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
has_no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

static void
show_screen (Fixture    *fixture,
             const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s", name));
  esc_test_ui_settle ();
}

/* What another program reads in the workspace file */
static EscResponsibility *
read_back (Fixture *fixture,
           guint    position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) other = esc_workspace_open (fixture->path, &error);

  g_assert_no_error (error);
  return g_list_model_get_item (esc_workspace_get_responsibilities (other), position);
}

static void
test_edit_responsibility (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(EscResponsibility) first = NULL;
  g_autoptr(EscResponsibility) stored = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *row;
  const char *original;
  g_autofree char *original_text = NULL;

  show_screen (fixture, "roles");
  first = g_list_model_get_item (esc_workspace_get_responsibilities (fixture->workspace), 0);
  original_text = g_strdup (esc_responsibility_get_text (first));
  original = original_text;
  esc_test_ui_screenshot ("roles.png");

  /* The row's Edit button opens the dialog */
  row = find_row (GTK_WIDGET (fixture->window), original);
  click (row, "Edit");
  esc_test_ui_wait_until (has_dialog, NULL, "the responsibility dialog");
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Edit Responsibility");

  gtk_editable_set_text (GTK_EDITABLE (find_row (GTK_WIDGET (dialog), "Responsibility")),
                         "Give users « every » kind of help, from first contact to resolution");
  /* The service provider is now Informed */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_row (GTK_WIDGET (dialog), "Service provider")), 4);
  esc_test_ui_screenshot ("roles-dialog.png");
  click (GTK_WIDGET (dialog), "_Save");
  esc_test_ui_wait_until (has_no_dialog, NULL, "the dialog to close");
  esc_test_ui_settle ();

  stored = read_back (fixture, 0);
  g_assert_cmpstr (esc_responsibility_get_text (stored), ==,
                   "Give users « every » kind of help, from first contact to resolution");
  g_assert_cmpint (esc_responsibility_get_raci (stored, "service-provider"), ==, ESC_RACI_INFORMED);
  g_assert_cmpint (esc_responsibility_get_raci (stored, "support-provider"), ==,
                   esc_responsibility_get_raci (first, "support-provider"));
  g_clear_object (&stored);
  find_row (GTK_WIDGET (fixture->window),
            "Give users « every » kind of help, from first contact to resolution");

  /* Undo, from the toast */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "roles.undo", NULL) ||
                 gtk_widget_activate_action (esc_test_ui_find_widget (GTK_WIDGET (fixture->window),
                                                                      esc_test_ui_is_of_type,
                                                                      GSIZE_TO_POINTER (ESC_TYPE_ROLES_PAGE)),
                                             "roles.undo", NULL));
  esc_test_ui_settle ();
  stored = read_back (fixture, 0);
  g_assert_true (esc_responsibility_equal (stored, first));
  g_clear_object (&stored);

  /* Move the first row down: the file has it second */
  row = find_row (GTK_WIDGET (fixture->window), original);
  click (row, "Move Down");
  stored = read_back (fixture, 1);
  g_assert_cmpstr (esc_responsibility_get_text (stored), ==, original);
}

typedef struct
{
  const char *answers[3];
  const char *row_id;
  const char *tier_says;
} Route;

static void
test_where_does_this_go (Fixture       *fixture,
                         gconstpointer  data)
{
  const Route routes[] = {
    { { "_Yes, the Hardware", "Tier _1", NULL }, "hardware", "Tier 1 may use this route." },
    { { "_No", "_Yes, the Service’s", "Tier _1" }, "service-specific",
      "Your tier may not use this route: hand the problem to the escalation support team." },
    { { "_No", "_Yes, the Service’s", "The _Escalation Support Team" }, "service-specific",
      "The escalation support team may use this route." },
    { { "_No", "_No", "Tier _2" }, "other", "Tier 2 may use this route." },
  };
  GListModel *rules = esc_workspace_get_routing_rules (fixture->workspace);
  EscRoutingPage *page;

  show_screen (fixture, "routing");
  page = ESC_ROUTING_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                    GSIZE_TO_POINTER (ESC_TYPE_ROUTING_PAGE)));

  for (guint r = 0; r < G_N_ELEMENTS (routes); r++)
    {
      g_autoptr(EscRoutingRule) expected = NULL;

      g_assert_null (esc_routing_page_get_suggested_team (page));
      for (guint i = 0; i < G_N_ELEMENTS (routes[r].answers) && routes[r].answers[i] != NULL; i++)
        click (GTK_WIDGET (page), routes[r].answers[i]);

      for (guint i = 0; i < g_list_model_get_n_items (rules) && expected == NULL; i++)
        {
          g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);
          if (g_str_equal (esc_routing_rule_get_id (rule), routes[r].row_id))
            expected = g_steal_pointer (&rule);
        }
      g_assert_nonnull (expected);
      g_assert_cmpstr (esc_routing_page_get_suggested_row (page), ==, routes[r].row_id);
      g_assert_cmpstr (esc_routing_page_get_suggested_team (page), ==,
                       esc_routing_rule_get_team (expected));
      find_row (GTK_WIDGET (page), routes[r].tier_says);
      if (r == 1)
        esc_test_ui_screenshot ("routing.png");

      /* The answer leads to its row of the matrix */
      click (GTK_WIDGET (page), "_Show the Row in the Matrix");
      g_assert_true (gtk_widget_has_focus (find_row (GTK_WIDGET (page),
                                                     esc_routing_rule_get_problem (expected))));
      click (GTK_WIDGET (page), "_Start Over");
    }
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;

  if (!esc_matrix_export_to_file_finish (result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (G_OBJECT (object), "esc-test-done", GINT_TO_POINTER (1));
}

static gboolean
is_done (gpointer data)
{
  return g_object_get_data (data, "esc-test-done") != NULL;
}

/* The screen's export writes exactly what `escalade --export` writes */
static void
test_export_matches_cli (Fixture       *fixture,
                         gconstpointer  data)
{
  EscExportOptions options = { ESC_MATRIX_ROLES, ESC_EXPORT_CSV, ESC_PAPER_A4, ';' };
  g_autofree char *gui = g_build_filename (fixture->dir, "gui.csv", NULL);
  g_autofree char *cli = g_build_filename (fixture->dir, "cli.csv", NULL);
  g_autofree char *program = g_build_filename (g_getenv ("ESCALADE_BUILD_DIR"), "src", "escalade", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (gui);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  gsize a_length, b_length;
  EscRolesPage *page;

  show_screen (fixture, "roles");
  page = ESC_ROLES_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                  GSIZE_TO_POINTER (ESC_TYPE_ROLES_PAGE)));
  esc_roles_page_export_async (page, &options, file, NULL, exported_cb, &error);
  esc_test_ui_wait_until (is_done, page, "the export");
  g_assert_no_error (error);

  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawn (launcher, &error, program, "--export", "roles",
                                         "--format", "csv", "--separator", "semicolon",
                                         "--output", cli, "--workspace", fixture->path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (gui, &a, &a_length, NULL));
  g_assert_true (g_file_get_contents (cli, &b, &b_length, NULL));
  g_assert_cmpmem (a, a_length, b, b_length);
  g_assert_nonnull (strstr (a, "Party;Responsibility;Areas;"));
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/matrices/edit-responsibility", Fixture, NULL,
              fixture_setup, test_edit_responsibility, fixture_teardown);
  g_test_add ("/ui/matrices/where-does-this-go", Fixture, NULL,
              fixture_setup, test_where_does_this_go, fixture_teardown);
  g_test_add ("/ui/matrices/export-matches-cli", Fixture, NULL,
              fixture_setup, test_export_matches_cli, fixture_teardown);

  return esc_test_ui_run ();
}
