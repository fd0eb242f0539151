/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "esc-session.h"
#include "esc-staff-page.h"
#include "esc-workspace-bench.h"

#ifdef ESC_BENCH_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(what) ((void)(what))
#endif

/* bench/staff-list-screen: the Staff & access screen over 10 000 people, under
 * a display (Xvfb; bench/staff-list runs it).
 *
 *   staff-list-screen [--people N] [--build DIR] WORKSPACE
 *
 * WORKSPACE is made first (bench/lib's bulk writer): N people of the mirror,
 * in 60 teams, 3 % of them designated, some designations expiring soon.
 * Then, the toolkit warmed up (a window shown and painted once):
 *
 * - "show the screen": from creating EscStaffPage (which reads the whole
 *   directory from the workspace) to the end of the first frame painted with
 *   it. Median of 5.
 * - "keystroke": a letter typed into the directory's search entry, at a fast
 *   typist's rhythm (one every 150 ms), to the end of the layout of the next
 *   frame (the filter over every person, the column view's update), and to
 *   the end of that frame's paint. Median and worst of 50.
 *
 * No service is contacted. Prints BENCH lines (bench/README.md).
 *
 * Under valgrind --tool=callgrind --collect-atstart=no (bench/staff-list
 * --callgrind), only the work from each keystroke to the end of the next
 * frame's layout is counted, and dumped once per keystroke with the text
 * typed; and each show, to its first frame painted: instruction counts that
 * do not depend on the machine's load. */

#define SERVICE            "http://127.0.0.1:8080"
#define GOAL_SHOW_MS       100.0
#define GOAL_KEYSTROKE_MS  16.0
#define TYPING_INTERVAL_MS 150

typedef struct
{
  GtkWindow *window;
  guint      frames;
  double     last_paint;
  double     layout;
  double     last_layout;
  gboolean   counting;     /* callgrind collects until the next layout */
} Bench;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *bench)
{
  bench->layout = now_ms ();
}

static void
layout_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->layout = now_ms ();
  if (bench->counting)
    {
      CALLGRIND_TOGGLE_COLLECT;
      bench->counting = FALSE;
    }
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  bench->frames++;
  bench->last_paint = now_ms ();
  bench->last_layout = bench->layout;
}

static double
wait_for_frame (Bench *bench)
{
  guint frames = bench->frames;
  double deadline = now_ms () + (RUNNING_ON_VALGRIND ? 600000 : 10000);

  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  while (bench->frames == frames && now_ms () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (bench->frames == frames)
    g_error ("no frame painted in time");

  return bench->last_paint;
}

static void
settle (void)
{
  for (int i = 0; i < 5; i++)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
median (GArray *times)
{
  guint n = times->len;

  g_array_sort (times, compare_doubles);
  return n % 2 ? g_array_index (times, double, n / 2)
               : (g_array_index (times, double, n / 2 - 1) + g_array_index (times, double, n / 2)) / 2;
}

static void
verdict (const char *figure,
         double      value,
         double      goal)
{
  g_print ("BENCH|staff-list|%s|%.1f ms|<= %.0f ms|%s\n", figure, value, goal,
           value <= goal ? "ok" : "MISSED");
}

/* The same people for the same N: given names × surnames, teams, roles */
static gboolean
make_people (EscWorkspace  *workspace,
             guint          n,
             GError       **error)
{
  static const char *given[] = { "Camille", "Dominique", "Élodie", "Karim", "Sophie", "Thomas", "Léa",
                                 "Hugo", "Chloé", "Nicolas", "Inès", "Mathieu", "Manon", "Julien",
                                 "Sarah", "Antoine", "Zoé", "Lucas", "Emma", "Yanis" };
  static const char *surnames[] = { "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard",
                                    "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
                                    "Lefèvre", "Michel", "García", "David", "Bertrand", "Roux",
                                    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
                                    "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand" };
  g_autoptr(EscWorkspaceBulk) bulk = esc_workspace_bulk_new (workspace, SERVICE, error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);

  if (bulk == NULL)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s %u", given[i % G_N_ELEMENTS (given)],
                                               surnames[(i / G_N_ELEMENTS (given)) % G_N_ELEMENTS (surnames)],
                                               i / 600 + 1);
      g_autofree char *email = g_strdup_printf ("person%05u@example.org", i);
      g_autofree char *team = g_strdup_printf ("Desk %02u", g_rand_int_range (rand, 1, 61));
      const char *roles = i % 50 == 0 ? "\"it-admin\", \"support-staff\"" : "\"support-staff\"";
      g_autofree char *designations = NULL;
      g_autofree char *json = NULL;
      EscWorkspaceBulkStaff staff = { 0, };

      if (g_rand_int_range (rand, 0, 100) < 3)
        {
          g_autoptr(GDateTime) expires = g_date_time_add_days (now, g_rand_int_range (rand, 2, 90));
          g_autofree char *at = g_date_time_format_iso8601 (expires);

          designations = g_strdup_printf ("{\"capability\": \"escalation\", \"reason\": \"Rota\","
                                          " \"expires_at\": \"%s\", \"active\": true,"
                                          " \"designated_at\": \"2026-01-01T00:00:00Z\","
                                          " \"designated_by\": {\"id\": 1, \"name\": \"Camille\"}}", at);
        }
      json = g_strdup_printf ("{\"id\": %u, \"name\": \"%s\", \"email\": \"%s\", \"team\": \"%s\","
                              " \"roles\": [%s], \"designations\": [%s], \"disabled\": false,"
                              " \"etag\": \"\\\"%u-1\\\"\"}",
                              i + 1, name, email, team, roles, designations != NULL ? designations : "",
                              i + 1);
      staff.id = i + 1;
      staff.name = name;
      staff.email = email;
      staff.json = json;
      if (!esc_workspace_bulk_add_staff (bulk, &staff, error))
        return FALSE;
    }

  return esc_workspace_bulk_commit (bulk, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscSession) session = NULL;
  g_autoptr(GArray) shows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) layouts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *build = NULL;
  g_auto(GStrv) files = NULL;
  int people = 10000;
  EscStaffPage *page = NULL;
  GtkWidget *placeholder;
  GdkFrameClock *clock;
  Bench bench = { 0 };
  const char *words[] = { "dominique", "desk 42", "lefèvre", "person0", "elodie martin" };
  const GOptionEntry entries[] = {
    { "people", 0, 0, G_OPTION_ARG_INT, &people, "How many people (default 10 000)", "N" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &build, "The meson build directory (unused)", "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "WORKSPACE" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("WORKSPACE — time the Staff & access screen");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || files == NULL || files[0] == NULL ||
      people < 1)
    {
      g_printerr ("staff-list-screen: %s\n", error != NULL ? error->message : "give a WORKSPACE");
      return EXIT_FAILURE;
    }

  gtk_init ();
  adw_init ();

  workspace = esc_workspace_open (files[0], &error);
  if (workspace == NULL || !make_people (workspace, people, &error))
    {
      g_printerr ("staff-list-screen: %s\n", error->message);
      return EXIT_FAILURE;
    }
  session = esc_session_new (NULL);
  esc_session_set_workspace (session, workspace);
  esc_mirror_set_service (esc_session_get_mirror (session), SERVICE);

  bench.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (bench.window, 1100, 720);
  placeholder = g_object_ref_sink (adw_status_page_new ());
  gtk_window_set_child (bench.window, placeholder);
  gtk_window_present (bench.window);
  while (!gtk_widget_get_realized (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), &bench);
  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), &bench);
  wait_for_frame (&bench);
  settle ();

  for (int run = 0; run < 5; run++)
    {
      double t0;
      double shown;
      double created;

      gtk_window_set_child (bench.window, placeholder);
      settle ();
      wait_for_frame (&bench);

      if (RUNNING_ON_VALGRIND)
        {
          CALLGRIND_ZERO_STATS;
          CALLGRIND_TOGGLE_COLLECT;
        }
      t0 = now_ms ();
      page = ESC_STAFF_PAGE (esc_staff_page_new (session));
      created = now_ms () - t0;
      gtk_window_set_child (bench.window, GTK_WIDGET (page));
      shown = wait_for_frame (&bench) - t0;
      if (RUNNING_ON_VALGRIND)
        {
          g_autofree char *what = g_strdup_printf ("show %d", run);

          CALLGRIND_TOGGLE_COLLECT;
          CALLGRIND_DUMP_STATS_AT (what);
        }
      g_array_append_val (shows, shown);
      if (g_getenv ("ESCALADE_BENCH_VERBOSE") != NULL)
        g_printerr ("  show %d: %.1f ms (created in %.1f ms), %u people\n", run, shown, created,
                    g_list_model_get_n_items (esc_staff_page_get_shown (page)));
    }
  if (g_list_model_get_n_items (esc_staff_page_get_shown (page)) != (guint)people)
    g_error ("the screen shows %u people of %d", g_list_model_get_n_items (esc_staff_page_get_shown (page)),
             people);

  {
    GtkWidget *entry = esc_staff_page_get_search_entry (page);
    GString *text = g_string_new (NULL);

    settle ();
    wait_for_frame (&bench);

    for (guint w = 0; keys->len < 50; w = (w + 1) % G_N_ELEMENTS (words))
      {
        g_string_truncate (text, 0);
        for (const char *p = words[w]; *p != '\0' && keys->len < 50; p = g_utf8_next_char (p))
          {
            double t0;
            double painted;
            double laid_out;
            double sync_ms;

            g_string_append_len (text, p, g_utf8_next_char (p) - p);
            run_for (TYPING_INTERVAL_MS);
            if (RUNNING_ON_VALGRIND)
              {
                CALLGRIND_ZERO_STATS;
                CALLGRIND_TOGGLE_COLLECT;
                bench.counting = TRUE;
              }
            t0 = now_ms ();
            gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
            sync_ms = now_ms () - t0;
            /* A frame with nothing to lay out has no layout phase: counting
             * stops at the end of that phase, so the frame has one */
            if (RUNNING_ON_VALGRIND)
              gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
            painted = wait_for_frame (&bench) - t0;
            if (RUNNING_ON_VALGRIND)
              {
                g_autofree char *what = g_strdup_printf ("keystroke %u \"%s\" %u", keys->len, text->str,
                                                         g_list_model_get_n_items (esc_staff_page_get_shown (page)));

                if (bench.counting)
                  g_error ("no layout after a keystroke");
                CALLGRIND_DUMP_STATS_AT (what);
              }
            laid_out = bench.last_layout - t0;
            g_array_append_val (keys, painted);
            g_array_append_val (layouts, laid_out);
            if (g_getenv ("ESCALADE_BENCH_VERBOSE") != NULL)
              g_printerr ("  %-16s %6u people %6.1f ms (laid out %.1f ms, filtered %.1f ms)\n", text->str,
                          g_list_model_get_n_items (esc_staff_page_get_shown (page)), painted, laid_out, sync_ms);
          }
        run_for (TYPING_INTERVAL_MS);
        gtk_editable_set_text (GTK_EDITABLE (entry), "");
        wait_for_frame (&bench);
      }
    g_string_free (text, TRUE);
  }

  {
    double show = median (shows);
    double layout_median = median (layouts);
    double layout_worst = g_array_index (layouts, double, layouts->len - 1);
    double key_median = median (keys);
    double key_worst = g_array_index (keys, double, keys->len - 1);

    g_print ("%d people\n", people);
    g_print ("show the screen (page created with the whole directory, first frame painted): "
             "median %.1f ms of 5\n", show);
    g_print ("keystroke in the search entry to the next frame laid out: median %.1f ms, worst %.1f ms (50)\n",
             layout_median, layout_worst);
    g_print ("keystroke to that frame painted: median %.1f ms, worst %.1f ms\n", key_median, key_worst);
    verdict ("show the screen (median of 5)", show, GOAL_SHOW_MS);
    verdict ("keystroke to layout, median of 50", layout_median, GOAL_KEYSTROKE_MS);
    verdict ("keystroke to layout, worst of 50", layout_worst, GOAL_KEYSTROKE_MS);
    g_print ("BENCH|staff-list|keystroke to frame painted, median of 50|%.1f ms||\n", key_median);
    g_print ("BENCH|staff-list|keystroke to frame painted, worst of 50|%.1f ms||\n", key_worst);
  }

  g_signal_handlers_disconnect_by_data (clock, &bench);
  gtk_window_destroy (bench.window);
  g_object_unref (placeholder);
  settle ();

  return EXIT_SUCCESS;
}
