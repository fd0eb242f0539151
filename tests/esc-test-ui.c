/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "esc-test-keyring.h"
#include "esc-test-ui.h"

static EscTestKeyring *keyring;

/* style-dark.css, style-hc.css, style-hc-dark.css: loaded over style.css as AdwApplication
 * does, in the style the style manager has now */
static const char *variant_names[] = { "style-dark.css", "style-hc.css", "style-hc-dark.css" };
static GtkCssProvider *variants[G_N_ELEMENTS (variant_names)];

static void
update_variants (AdwStyleManager *manager)
{
  gboolean dark = adw_style_manager_get_dark (manager);
  gboolean high_contrast = adw_style_manager_get_high_contrast (manager);
  gboolean wanted[] = { dark, high_contrast, dark && high_contrast };

  for (guint i = 0; i < G_N_ELEMENTS (variant_names); i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/", variant_names[i], NULL);

      if (wanted[i] && g_resources_get_info (path, 0, NULL, NULL, NULL))
        gtk_css_provider_load_from_resource (variants[i], path);
      else
        gtk_css_provider_load_from_data (variants[i], "", -1);
    }
}

void
esc_test_ui_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkCssProvider) css = NULL;

  g_test_init (argc, argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* On standard output, where the TAP reader looks */
      printf ("Bail out! The UI tests need a display and none is set (neither DISPLAY nor "
              "WAYLAND_DISPLAY): run them under Xvfb, e.g. xvfb-run -a -s \"-screen 0 1280x800x24\" "
              "dbus-run-session -- meson test -C _build (see README.md), or leave them out with "
              "meson test --no-suite ui\n");
      fflush (stdout);
      exit (EXIT_FAILURE);
    }

  /* Before GTK connects to any session bus: the keyring must be the private one */
  keyring = esc_test_keyring_start (&error);
  g_assert_no_error (error);

  adw_init ();

  /* The application's style sheet, as AdwApplication loads it */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      variants[i] = gtk_css_provider_new ();
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (variants[i]),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  g_signal_connect (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (update_variants), NULL);
  g_signal_connect (adw_style_manager_get_default (), "notify::high-contrast", G_CALLBACK (update_variants), NULL);
  update_variants (adw_style_manager_get_default ());
}

int
esc_test_ui_run (void)
{
  int ret = g_test_run ();

  /* libsecret lets go of the private bus before its daemons go */
  secret_service_disconnect ();
  g_clear_pointer (&keyring, esc_test_keyring_stop);

  return ret;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
esc_test_ui_wait_until (gboolean   (*check) (gpointer),
                        gpointer     data,
                        const char  *what)
{
  const char *limit = g_getenv ("ESCALADE_TEST_TIMEOUT");
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (limit != NULL ? (guint)g_ascii_strtoull (limit, NULL, 10) : 30,
                                    timeout_cb, &timed_out);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

void
esc_test_ui_settle (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

gboolean
esc_test_ui_is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

GtkWidget *
esc_test_ui_find_widget (GtkWidget      *root,
                         EscTestUiMatch  match,
                         gconstpointer   data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = esc_test_ui_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
esc_test_ui_is_of_type (GtkWidget     *widget,
                        gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  else if (GTK_IS_INSCRIPTION (widget))
    {
      const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

      g_string_append (out, text != NULL ? text : "");
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

char *
esc_test_ui_visible_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

void
esc_test_ui_screenshot (const char *name)
{
  const char *dir = g_getenv ("ESCALADE_TEST_SCREENSHOTS");
  const char *argv[] = { "import", "-window", "root", NULL, NULL };
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL)
    return;

  /* Let the last frame reach the X server */
  for (guint i = 0; i < 20; i++)
    {
      esc_test_ui_settle ();
      g_usleep (20000);
    }

  path = g_build_filename (dir, name, NULL);
  argv[3] = path;
  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error))
    g_test_message ("No screenshot: %s", error->message);
  else
    g_test_message ("Screenshot: %s", path);
}

void
esc_test_ui_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        esc_test_ui_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
