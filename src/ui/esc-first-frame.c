/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc-first-frame.h"

/* The hook of bench/startup, shared with bench/bare-window.c so that both programs are measured
 * the same way. Only with $ESCALADE_BENCH_FIRST_FRAME set: after the frame clock has painted the
 * window's first frame, and then its first "ready" frame, one line each on stderr,
 *
 *   ESCALADE_BENCH first-frame monotonic_us=123456789 vmhwm_kb=51234
 *   ESCALADE_BENCH ready-frame monotonic_us=123499999 vmhwm_kb=52345
 *
 * (CLOCK_MONOTONIC, as g_get_monotonic_time(); peak resident memory so far from
 * /proc/self/status), then the window is closed. */

typedef struct
{
  GtkWindow              *window;  /* unowned: the watch lives as long as the window */
  EscFirstFrameReadyFunc  ready;
  GdkFrameClock          *clock;
  gulong                  handler;
  gboolean                first_reported;
} Watch;

static long
read_peak_rss_kb (void)
{
  char line[256];
  long peak = -1;
  FILE *status = fopen ("/proc/self/status", "re");

  if (status == NULL)
    return -1;
  while (fgets (line, sizeof line, status) != NULL)
    {
      if (g_str_has_prefix (line, "VmHWM:"))
        {
          peak = strtol (line + strlen ("VmHWM:"), NULL, 10);
          break;
        }
    }
  fclose (status);

  return peak;
}

static void
report (const char *what)
{
  gint64 now = g_get_monotonic_time ();

  fprintf (stderr, "ESCALADE_BENCH %s monotonic_us=%" G_GINT64_FORMAT " vmhwm_kb=%ld\n",
           what, now, read_peak_rss_kb ());
  fflush (stderr);
}

static gboolean
close_window_cb (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Watch         *watch)
{
  if (!watch->first_reported)
    {
      report ("first-frame");
      watch->first_reported = TRUE;
    }

  if (watch->ready != NULL && !watch->ready (watch->window))
    return;

  report ("ready-frame");
  g_clear_signal_handler (&watch->handler, watch->clock);
  /* Not from inside the frame clock's signal */
  g_idle_add_full (G_PRIORITY_DEFAULT, close_window_cb,
                   g_object_ref (watch->window), g_object_unref);
}

static void
realize_cb (GtkWidget *widget,
            Watch     *watch)
{
  watch->clock = gtk_widget_get_frame_clock (widget);
  watch->handler = g_signal_connect (watch->clock, "after-paint",
                                     G_CALLBACK (after_paint_cb), watch);
}

static void
unrealize_cb (GtkWidget *widget,
              Watch     *watch)
{
  g_clear_signal_handler (&watch->handler, watch->clock);
  watch->clock = NULL;
}

/**
 * esc_first_frame_watch:
 * @window: a window not realized yet
 * @ready: (nullable): tells whether @window shows its content; %NULL when the
 *   first frame is the ready one
 *
 * Reports @window's first frames on stderr when $ESCALADE_BENCH_FIRST_FRAME is
 * set (see bench/startup); does nothing otherwise.
 */
void
esc_first_frame_watch (GtkWindow              *window,
                       EscFirstFrameReadyFunc  ready)
{
  Watch *watch;

  g_return_if_fail (GTK_IS_WINDOW (window));

  if (g_getenv ("ESCALADE_BENCH_FIRST_FRAME") == NULL)
    return;

  watch = g_new0 (Watch, 1);
  watch->window = window;
  watch->ready = ready;
  g_object_set_data_full (G_OBJECT (window), "esc-first-frame-watch", watch, g_free);
  g_signal_connect (window, "realize", G_CALLBACK (realize_cb), watch);
  g_signal_connect (window, "unrealize", G_CALLBACK (unrealize_cb), watch);
}
