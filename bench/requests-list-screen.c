/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <adwaita.h>

#include "esc-requests-page.h"
#include "esc-session.h"

/* bench/requests-list-screen: the UI side of bench/requests-list, under a
 * display (Xvfb).
 *
 *   requests-list-screen [--service URL] WORKSPACE
 *
 * The toolkit is warmed up first (a window is shown and painted once), then:
 *
 * - "show the screen": from creating the Requests screen (EscRequestsPage,
 *   with its list over every request of the workspace) to the end of the
 *   first frame painted with it in the window (realize, layout, the visible
 *   rows bound, paint). Median of 5. Also, with no goal, the time until the
 *   screen is complete: every row the view makes widgets for is in and
 *   written (esc_requests_page_is_settled()), and that frame painted.
 * - "keystroke to frame": a text typed into the screen's search entry (its
 *   search delay set to 0), letter by letter at a fast typist's rhythm (a
 *   letter every 150 ms, 80 words a minute), to the end of the next frame
 *   painted: the store's query, the column view's update and the repaint,
 *   as a person sees it. Median and worst of 50. Also "keystroke to layout":
 *   to the end of that frame's layout, before it is painted: what Escalade
 *   does, without the renderer (under Xvfb, GTK paints with Mesa's llvmpipe,
 *   on the CPU: most of the rest).
 *
 * No service is contacted: the outbox sender is never started. Prints BENCH
 * lines (bench/README.md). */

#define GOAL_SHOW_MS      100.0
#define GOAL_KEYSTROKE_MS 16.0
/* Between two letters typed */
#define TYPING_INTERVAL_MS 150

typedef struct
{
  GtkWindow       *window;
  GdkFrameClock   *clock;
  guint            frames;
  double           last_paint;
  double           layout;         /* the end of the last frame's layout */
  double           last_layout;    /* that of the last frame painted */
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
  /* A frame with nothing to lay out is laid out when it begins */
  bench->layout = now_ms ();
}

static void
layout_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->layout = now_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  bench->frames++;
  bench->last_paint = now_ms ();
  bench->last_layout = bench->layout;
}

/* Runs the main loop until a frame was painted after this call */
static double
wait_for_frame (Bench *bench)
{
  guint frames = bench->frames;
  double deadline = now_ms () + 10000;

  gtk_widget_queue_draw (GTK_WIDGET (bench->window));
  while (bench->frames == frames && now_ms () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (bench->frames == frames)
    g_error ("no frame painted in 10 s");

  return bench->last_paint;
}

/* Drains what is pending (idles, the search entry's timer) */
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

/* Runs the main loop for @ms, whatever comes */
static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Runs the main loop until the screen is complete, then for the frame that
 * shows it; returns when that frame was painted */
static double
run_until_settled (Bench           *bench,
                   EscRequestsPage *page)
{
  double deadline = now_ms () + 10000;

  while (!esc_requests_page_is_settled (page) && now_ms () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!esc_requests_page_is_settled (page))
    g_error ("the screen was not complete in 10 s");

  return wait_for_frame (bench);
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
  g_print ("BENCH|requests-list|%s|%.1f ms|<= %.0f ms|%s\n", figure, value, goal,
           value <= goal ? "ok" : "MISSED");
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
  g_autoptr(GArray) completes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *service = NULL;
  g_autofree char *build = NULL;
  g_auto(GStrv) files = NULL;
  EscRequestsPage *page = NULL;
  GtkWidget *placeholder;
  Bench bench = { 0 };
  const char *words[] = { "printer driver", "bitlocker", "MMD-0369", "outlook" };
  const GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, &service,
      "Service URL of the mirrored rows (default http://127.0.0.1:8080)", "URL" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &build, "The meson build directory (unused)", "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "WORKSPACE" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("WORKSPACE — time the Requests screen");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || files == NULL || files[0] == NULL)
    {
      g_printerr ("requests-list-screen: %s\n", error != NULL ? error->message : "give a WORKSPACE");
      return EXIT_FAILURE;
    }

  gtk_init ();
  adw_init ();

  workspace = esc_workspace_open (files[0], &error);
  if (workspace == NULL)
    {
      g_printerr ("requests-list-screen: %s\n", error->message);
      return EXIT_FAILURE;
    }
  /* As the application has it, its sender and sync not started */
  session = esc_session_new (NULL);
  esc_session_set_workspace (session, workspace);
  esc_mirror_set_service (esc_session_get_mirror (session),
                          service != NULL ? service : "http://127.0.0.1:8080");

  /* The toolkit warmed up: a window shown and painted */
  bench.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (bench.window, 1100, 720);
  placeholder = g_object_ref_sink (adw_status_page_new ());
  gtk_window_set_child (bench.window, placeholder);
  gtk_window_present (bench.window);
  while (!gtk_widget_get_realized (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);
  bench.clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_signal_connect (bench.clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  g_signal_connect (bench.clock, "before-paint", G_CALLBACK (before_paint_cb), &bench);
  g_signal_connect (bench.clock, "layout", G_CALLBACK (layout_cb), &bench);
  wait_for_frame (&bench);
  settle ();

  /* Showing the screen, five times */
  /* ESCALADE_BENCH_ONE_SHOW=1: once, to profile the typing (perf record) */
  for (int run = 0; run < (g_getenv ("ESCALADE_BENCH_ONE_SHOW") != NULL ? 1 : 5); run++)
    {
      double t0;
      double shown;
      double complete;

      gtk_window_set_child (bench.window, placeholder);
      settle ();
      wait_for_frame (&bench);

      t0 = now_ms ();
      page = esc_requests_page_new (session);
      gtk_window_set_child (bench.window, GTK_WIDGET (page));
      shown = wait_for_frame (&bench) - t0;
      complete = run_until_settled (&bench, page) - t0;
      g_array_append_val (shows, shown);
      g_array_append_val (completes, complete);
      if (g_getenv ("ESCALADE_BENCH_VERBOSE") != NULL)
        g_printerr ("  show %d: %.1f ms, complete %.1f ms, %u rows\n", run, shown, complete,
                    g_list_model_get_n_items (esc_requests_page_get_rows (page)));
    }

  /* Typing */
  {
    GtkSearchEntry *entry = esc_requests_page_get_search_entry (page);
    GString *text = g_string_new (NULL);

    gtk_search_entry_set_search_delay (entry, 0);

    settle ();
    wait_for_frame (&bench);

    for (guint w = 0; keys->len < 50; w = (w + 1) % G_N_ELEMENTS (words))
      {
        g_string_truncate (text, 0);
        for (const char *p = words[w]; *p != '\0' && keys->len < 50; p++)
          {
            double t0;
            double t;
            double laid_out;

            g_string_append_c (text, *p);
            run_for (TYPING_INTERVAL_MS);
            t0 = now_ms ();
            gtk_editable_set_text (GTK_EDITABLE (entry), text->str);
            /* The search entry reports the change from a timer, even at delay 0 */
            t = wait_for_frame (&bench) - t0;
            laid_out = bench.last_layout - t0;
            g_array_append_val (keys, t);
            g_array_append_val (layouts, laid_out);
            if (g_getenv ("ESCALADE_BENCH_VERBOSE") != NULL)
              g_printerr ("  %-16s %6u rows %6.1f ms (laid out %.1f ms)\n", text->str,
                          g_list_model_get_n_items (esc_requests_page_get_rows (page)), t, laid_out);
          }
        run_for (TYPING_INTERVAL_MS);
        gtk_editable_set_text (GTK_EDITABLE (entry), "");
        wait_for_frame (&bench);
      }
    g_string_free (text, TRUE);
  }

  {
    double show = median (shows);
    double complete = median (completes);
    double key_median = median (keys);
    double key_worst = g_array_index (keys, double, keys->len - 1);
    double layout_median = median (layouts);
    double layout_worst = g_array_index (layouts, double, layouts->len - 1);

    g_print ("show the screen (page created, realized, first frame): median %.1f ms of 5\n", show);
    g_print ("screen complete (every row in and written, that frame painted): median %.1f ms of 5\n",
             complete);
    g_print ("keystroke in the search entry to the next frame painted: median %.1f ms, worst %.1f ms (50)\n",
             key_median, key_worst);
    g_print ("keystroke to that frame laid out (before painting): median %.1f ms, worst %.1f ms\n",
             layout_median, layout_worst);
    g_print ("BENCH|requests-list|screen complete (median of 5)|%.1f ms||\n", complete);
    verdict ("show the screen (median of 5)", show, GOAL_SHOW_MS);
    verdict ("keystroke to frame, median of 50", key_median, GOAL_KEYSTROKE_MS);
    verdict ("keystroke to frame, worst of 50", key_worst, GOAL_KEYSTROKE_MS);
    verdict ("keystroke to layout, median of 50", layout_median, GOAL_KEYSTROKE_MS);
    verdict ("keystroke to layout, worst of 50", layout_worst, GOAL_KEYSTROKE_MS);
  }

  g_signal_handlers_disconnect_by_data (bench.clock, &bench);
  gtk_window_destroy (bench.window);
  g_object_unref (placeholder);
  settle ();

  return EXIT_SUCCESS;
}
