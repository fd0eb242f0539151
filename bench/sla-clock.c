/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc-admin-hours.h"
#include "esc-sla-clock.h"

/* bench/sla-clock: the time to compute the response clock of the "Response
 * due" column (esc_sla_clock_compute() with its text, as the Requests screen
 * and a CSV export ask for it) for every request of a large workspace.
 *
 *   sla-clock [--requests 100000] [--runs 9] [--seed 1] [--now TIME] [--build DIR]
 *
 * The requests are made up the way bench/make-workspace makes them (two
 * years of requests, more of them recent; severities A 8 %, B 30 %, C 62 %;
 * older than 30 days closed or resolved, recent ones in any state), with
 * their response due time as the service computes it (severity A 1 h
 * around the clock, B 4 h and C 8 h of administration hours, the service's
 * seeded admin support hours calendar). Each running clock is the SLA
 * engine's first-response clock (src/core/esc-sla-engine.c). Two sets:
 * that realistic mix, where the clock runs for the few requests still
 * "new", and the worst case, every request "new" (all clocks running, most
 * of them overdue). For each set, the median of --runs passes over all the
 * requests, each pass computing every clock with its text. Prints BENCH
 * lines (bench/README.md). Goal: all the clocks of 100 000 requests in
 * ≤ 50 ms, so that a CSV export or a refresh of the whole list never
 * stalls. */

#define GOAL_MS 50.0

static int opt_requests = 100000;
static int opt_runs = 9;
static gint64 opt_seed = 1;
static char *opt_now;
static char *opt_build;

/* splitmix64, as in bench/make-workspace.c */
typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint
rng_below (Rng   *rng,
           guint  n)
{
  return n > 0 ? (guint)(rng_next (rng) % n) : 0;
}

static double
rng_unit (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct
{
  GDateTime              *created_at;
  GDateTime              *response_due_at;
  EscSupportRequestState  state;
} Request;

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->created_at, g_date_time_unref);
  g_clear_pointer (&request->response_due_at, g_date_time_unref);
}

/* Requests as bench/make-workspace makes them, due times as the service
 * computes them (src/service/esc-service-requests.c). */
static GArray *
make_requests (GDateTime *now,
               guint      n,
               guint64    seed)
{
  static const EscSupportRequestState closed_states[] = {
    ESC_SUPPORT_REQUEST_STATE_CLOSED, ESC_SUPPORT_REQUEST_STATE_CLOSED,
    ESC_SUPPORT_REQUEST_STATE_CLOSED, ESC_SUPPORT_REQUEST_STATE_RESOLVED,
  };
  static const EscSupportRequestState recent_states[] = {
    ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS,
    ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS, ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER,
    ESC_SUPPORT_REQUEST_STATE_MITIGATED, ESC_SUPPORT_REQUEST_STATE_RESOLVED,
    ESC_SUPPORT_REQUEST_STATE_CLOSED,
  };
  static const gint64 response_minutes[] = { 60, 4 * 60, 8 * 60 };
  GArray *requests = g_array_sized_new (FALSE, TRUE, sizeof (Request), n);
  Rng rng = { seed };

  g_array_set_clear_func (requests, (GDestroyNotify)request_clear);

  for (guint i = 0; i < n; i++)
    {
      double u = rng_unit (&rng);
      gint64 age = 60 + (gint64)(u * u * 730.0 * 86400.0);
      guint r = rng_below (&rng, 100);
      guint severity = r < 8 ? 0 : r < 38 ? 1 : 2;
      Request request;

      request.created_at = g_date_time_add_seconds (now, -(gdouble)age);
      request.response_due_at =
        esc_admin_hours_add_in (esc_admin_hours_default_calendar (), request.created_at,
                                response_minutes[severity] * G_TIME_SPAN_MINUTE,
                                severity == 0 ? ESC_COVERAGE_24X7 : ESC_COVERAGE_ADMIN_HOURS);
      if (age > 30 * 86400)
        request.state = closed_states[rng_below (&rng, G_N_ELEMENTS (closed_states))];
      else
        request.state = recent_states[rng_below (&rng, G_N_ELEMENTS (recent_states))];

      g_array_append_val (requests, request);
    }

  return requests;
}

/* One pass: every clock with its text. Returns the milliseconds taken. */
static double
compute_all (GDateTime *now,
             GArray    *requests,
             gboolean   all_running,
             guint     *out_running,
             gsize     *out_text_bytes)
{
  guint running = 0;
  gsize text_bytes = 0;
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < requests->len; i++)
    {
      const Request *request = &g_array_index (requests, Request, i);
      g_autofree char *text = NULL;
      GTimeSpan remaining;

      if (esc_sla_clock_compute (now, request->created_at, request->response_due_at,
                                 all_running ? ESC_SUPPORT_REQUEST_STATE_NEW : request->state,
                                 &remaining, &text) != ESC_SLA_LEVEL_NONE)
        running++;
      /* Used, so that nothing is optimised away. */
      if (text != NULL)
        text_bytes += strlen (text);
    }

  *out_running = running;
  *out_text_bytes = text_bytes;
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

static void
measure (const char *figure,
         GDateTime  *now,
         GArray     *requests,
         gboolean    all_running)
{
  g_autofree double *times = g_new0 (double, opt_runs);
  guint running = 0;
  gsize text_bytes = 0;
  double median;
  double ns_per_request;
  double ns_per_clock;

  /* One pass to warm the caches (and gettext's), not counted. */
  compute_all (now, requests, all_running, &running, &text_bytes);

  for (int run = 0; run < opt_runs; run++)
    times[run] = compute_all (now, requests, all_running, &running, &text_bytes);
  qsort (times, opt_runs, sizeof *times, compare_doubles);

  median = opt_runs % 2 == 1 ? times[opt_runs / 2]
                             : (times[opt_runs / 2 - 1] + times[opt_runs / 2]) / 2;
  ns_per_request = median * 1e6 / requests->len;
  ns_per_clock = running > 0 ? median * 1e6 / running : 0;

  printf ("  %s: %u requests, %u clocks running: %.2f ms (median of %d, %.2f to %.2f), "
          "%.0f ns per request, %.0f ns per running clock\n",
          figure, requests->len, running, median, opt_runs, times[0], times[opt_runs - 1],
          ns_per_request, ns_per_clock);
  printf ("BENCH|sla-clock|%s: %u clocks|%.1f ms|≤ %.0f ms|%s\n", figure, requests->len, median,
          GOAL_MS, median <= GOAL_MS ? "ok" : "MISSED");
  printf ("BENCH|sla-clock|%s: per request|%.0f ns||\n", figure, ns_per_request);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "requests", 'n', 0, G_OPTION_ARG_INT, &opt_requests, "How many requests (100000)", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Passes over all the requests, per set (9)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Seed of the made-up requests (1)", "N" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &opt_now,
      "The time the requests count back from (default 2026-06-01T09:00:00Z)", "TIME" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &opt_build, "The meson build directory (unused)", "DIR" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GArray) requests = NULL;

  /* As the app: its locale and translations, if there are any (but the
   * figures printed with a decimal point whatever the locale). */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("ESCALADE_LOCALEDIR") ? g_getenv ("ESCALADE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_option_context_set_summary (context,
                                "Times the response clock (with its text) of every request of a "
                                "large made-up workspace.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sla-clock: %s\n", error->message);
      return 2;
    }
  if (opt_requests < 1 || opt_runs < 1)
    {
      g_printerr ("sla-clock: --requests and --runs must be at least 1\n");
      return 2;
    }

  now = g_date_time_new_from_iso8601 (opt_now ? opt_now : "2026-06-01T09:00:00Z", NULL);
  if (now == NULL)
    {
      g_printerr ("sla-clock: --now must be an ISO 8601 time with its offset, e.g. "
                  "2026-06-01T09:00:00Z\n");
      return 2;
    }

  requests = make_requests (now, (guint)opt_requests, (guint64)opt_seed);

  printf ("sla-clock: %d requests, %d runs per set\n", opt_requests, opt_runs);
  measure ("realistic mix", now, requests, FALSE);
  measure ("all running", now, requests, TRUE);

  return 0;
}
