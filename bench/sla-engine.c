/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>

#include "esc-calendar.h"
#include "esc-compliance-store.h"
#include "esc-sla-engine.h"

/* bench/sla-engine: due times and breach states of a million tickets under
 * business-hours calendars, as a compliance report computes them.
 *
 *   sla-engine [--tickets 1000000] [--runs 3] [--seed 1] [--build DIR]
 *
 * The tickets are made up: filed at any minute from 2024 to November 2026; severities
 * A 8 %, B 30 %, C 62 %; most responded within a few business hours, some
 * paused waiting on the customer, some with a severity change, most
 * resolved, a few reopened. Half are counted in a Paris office calendar
 * (09:00–12:00 and 13:00–18:00 on weekdays, French public holidays, across
 * the changes of summer time), half in a New York one (08:00–17:00). Each
 * run computes every ticket's three clocks at one moment (2027-01-01): the
 * median run is printed as tickets per second. Goal: the million in ≤ 1 s.
 *
 * Then the import of a help desk's CSV export of --rows tickets (100 000) into
 * a fresh workspace file, as the SLAs screen runs it: a French export
 * (semicolons, dd/mm/yyyy in Paris time, quoted statuses, decimal commas),
 * read through its column mapping and stored in one transaction. The median
 * run is printed as rows per second. Goal: the 100 000 rows in ≤ 2 s.
 * --import-only skips the engine (for callgrind). */

#define GOAL_SECONDS 1.0
#define IMPORT_GOAL_SECONDS 2.0
#define MAX_EVENTS 8

static int opt_tickets = 1000000;
static int opt_runs = 3;
static gint64 opt_seed = 1;
static char *opt_build;
static int opt_rows = 100000;
static gboolean opt_import_only;

typedef struct
{
  guint64 state;
} Rng;

/* splitmix64 */
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
  return (guint)(rng_next (rng) % n);
}

typedef struct
{
  guint8       n_events;
  guint8       calendar;
  EscSlaEvent  events[MAX_EVENTS];
} Ticket;

static EscCalendar *
make_calendar (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  EscCalendar *calendar;

  g_assert_no_error (error);
  calendar = esc_calendar_new_from_json (node, &error);
  g_assert_no_error (error);
  return calendar;
}

static void
make_tickets (Ticket *tickets,
              guint   n)
{
  const gint64 start = G_GINT64_CONSTANT (1704067200) * G_USEC_PER_SEC;  /* 2024-01-01 */
  Rng rng = { (guint64)opt_seed };

  for (guint i = 0; i < n; i++)
    {
      Ticket *t = &tickets[i];
      gint64 at = start + (gint64)rng_below (&rng, (3 * 365 - 40) * 24 * 60) * G_TIME_SPAN_MINUTE;
      guint r = rng_below (&rng, 100);
      guint k = 0;

#define ADD(kind_, minutes_, severity_, state_) G_STMT_START { \
  at += (gint64)(minutes_) * G_TIME_SPAN_MINUTE; \
  t->events[k++] = (EscSlaEvent) { kind_, at, severity_, state_, NULL, NULL }; \
} G_STMT_END

      t->calendar = (guint8)(i & 1);
      ADD (ESC_SLA_EVENT_CREATED, 0, r < 8 ? ESC_SUPPORT_SEVERITY_A : r < 38 ? ESC_SUPPORT_SEVERITY_B
                                                                     : ESC_SUPPORT_SEVERITY_C, NULL);
      if (rng_below (&rng, 10) < 9)
        ADD (ESC_SLA_EVENT_RESPONDED, rng_below (&rng, 12 * 60), 0, NULL);
      if (rng_below (&rng, 5) == 0)
        {
          ADD (ESC_SLA_EVENT_PAUSED, rng_below (&rng, 24 * 60), 0, "waiting-on-customer");
          ADD (ESC_SLA_EVENT_RESUMED, rng_below (&rng, 3 * 24 * 60), 0, NULL);
        }
      if (rng_below (&rng, 10) == 0)
        ADD (ESC_SLA_EVENT_SEVERITY_CHANGED, rng_below (&rng, 24 * 60), ESC_SUPPORT_SEVERITY_B, NULL);
      ADD (ESC_SLA_EVENT_UPDATED, rng_below (&rng, 2 * 24 * 60), 0, NULL);
      if (rng_below (&rng, 10) < 9)
        {
          ADD (ESC_SLA_EVENT_RESOLVED, rng_below (&rng, 5 * 24 * 60), 0, NULL);
          if (rng_below (&rng, 20) == 0)
            ADD (ESC_SLA_EVENT_REOPENED, rng_below (&rng, 24 * 60), 0, NULL);
        }
#undef ADD
      t->n_events = (guint8)k;
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

/* A French help desk's export: the same text for the same seed */
static GBytes *
make_export (guint rows)
{
  static const char * const priorities[] = { "Critique", "Majeure", "Mineure" };
  static const char * const statuses[] = { "Résolu", "Clos", "En cours", "\"En attente; client\"" };
  GString *out = g_string_new ("\xef\xbb\xbf" "N° ticket;Priorité;Ouvert le;Prise en charge;"
                               "Dernière mise à jour;Résolu le;Statut;Réouvert;Attente (h)\r\n");
  Rng rng = { (guint64)opt_seed * 7 + 1 };

  for (guint i = 0; i < rows; i++)
    {
      guint day = 1 + rng_below (&rng, 25), month = 1 + rng_below (&rng, 12);
      guint hour = 7 + rng_below (&rng, 10), minute = rng_below (&rng, 60);
      guint sev = rng_below (&rng, 100) < 8 ? 0 : rng_below (&rng, 100) < 33 ? 1 : 2;
      guint status = rng_below (&rng, 4);
      gboolean resolved = status < 2;

      g_string_append_printf (out, "INC%07u;%s;%02u/%02u/2026 %02u:%02u;", i, priorities[sev],
                              day, month, hour, minute);
      /* responded the same day, updated and resolved within days */
      g_string_append_printf (out, "%02u/%02u/2026 %02u:%02u;", day, month, hour + 1 + rng_below (&rng, 6),
                              rng_below (&rng, 60));
      g_string_append_printf (out, "%02u/%02u/2026 %02u:%02u;", day + 1, month,
                              8 + rng_below (&rng, 10), rng_below (&rng, 60));
      if (resolved)
        g_string_append_printf (out, "%02u/%02u/2026 %02u:%02u;", day + 2, month,
                                8 + rng_below (&rng, 10), rng_below (&rng, 60));
      else
        g_string_append (out, ";");
      g_string_append_printf (out, "%s;%s;%u,%u\r\n", statuses[status],
                              rng_below (&rng, 20) == 0 ? "oui" : "non",
                              rng_below (&rng, 5), rng_below (&rng, 10));
    }
  return g_string_free_to_bytes (out);
}

static EscComplianceMapping *
make_mapping (void)
{
  EscComplianceMapping *mapping = esc_compliance_mapping_new ("GLPI Paris");

  esc_compliance_mapping_set_separator (mapping, ';');
  esc_compliance_mapping_set_date_format (mapping, ESC_COMPLIANCE_DATE_DMY);
  esc_compliance_mapping_set_time_zone (mapping, "Europe/Paris", NULL);
  esc_compliance_mapping_set_paused_unit (mapping, ESC_COMPLIANCE_PAUSED_HOURS);
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_TICKET_ID, "N° ticket");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_SEVERITY, "Priorité");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_CREATED, "Ouvert le");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_FIRST_RESPONSE, "Prise en charge");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_LAST_UPDATE, "Dernière mise à jour");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_RESOLVED, "Résolu le");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_STATUS, "Statut");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_REOPENED, "Réouvert");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_PAUSED, "Attente (h)");
  esc_compliance_mapping_set_severity (mapping, "Critique", ESC_SUPPORT_SEVERITY_A);
  esc_compliance_mapping_set_severity (mapping, "Majeure", ESC_SUPPORT_SEVERITY_B);
  esc_compliance_mapping_set_severity (mapping, "Mineure", ESC_SUPPORT_SEVERITY_C);
  return mapping;
}

static void
remove_workspace (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static int compare_doubles (const void *a, const void *b);

/* Each run imports into a fresh workspace file (made before the clock starts) */
static int
bench_import (void)
{
  g_autoptr(GBytes) contents = make_export ((guint)opt_rows);
  g_autoptr(EscComplianceMapping) mapping = make_mapping ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-bench-import-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree double *times = g_new0 (double, opt_runs);
  g_autofree double *cpu_times = g_new0 (double, opt_runs);
  double median;
  guint n = 0;

  if (dir == NULL)
    {
      g_printerr ("sla-engine: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (dir, "import.sqlite3", NULL);

  for (int run = 0; run < opt_runs; run++)
    {
      g_autoptr(EscWorkspace) workspace = NULL;
      gint64 begin;
      clock_t cpu_begin;

      remove_workspace (path);
      workspace = esc_workspace_open (path, &error);
      if (workspace == NULL)
        {
          g_printerr ("sla-engine: %s\n", error->message);
          return 1;
        }
      g_clear_object (&workspace);

      begin = g_get_monotonic_time ();
      cpu_begin = clock ();
      if (!esc_workspace_import_tickets_at (path, mapping, contents, NULL, NULL, NULL, &n, NULL, &error))
        {
          g_printerr ("sla-engine: import: %s\n", error->message);
          return 1;
        }
      times[run] = (g_get_monotonic_time () - begin) / 1e6;
      cpu_times[run] = (double)(clock () - cpu_begin) / CLOCKS_PER_SEC;
    }
  remove_workspace (path);
  g_rmdir (dir);

  qsort (times, opt_runs, sizeof *times, compare_doubles);
  qsort (cpu_times, opt_runs, sizeof *cpu_times, compare_doubles);
  median = times[opt_runs / 2];
  fprintf (stderr, "sla-engine: import of %u rows (%.1f MB), %d runs: median %.3f s (%.3f to %.3f), "
           "processor time %.3f s\n", n, g_bytes_get_size (contents) / 1e6, opt_runs, median, times[0],
           times[opt_runs - 1], cpu_times[opt_runs / 2]);
  printf ("BENCH|sla-engine|import of %d CSV rows|%.3f s|≤ %.0f s|%s\n", opt_rows, median,
          IMPORT_GOAL_SECONDS, median * 100000.0 / opt_rows <= IMPORT_GOAL_SECONDS ? "ok" : "MISSED");
  printf ("BENCH|sla-engine|rows imported per second|%.0f||\n", opt_rows / median);
  printf ("BENCH|sla-engine|import processor time|%.3f s||\n", cpu_times[opt_runs / 2]);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "tickets", 'n', 0, G_OPTION_ARG_INT, &opt_tickets, "How many tickets (1000000)", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &opt_runs, "Passes over all the tickets (3)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Seed of the made-up tickets (1)", "N" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &opt_build, "The meson build directory (unused)", "DIR" },
    { "rows", 0, 0, G_OPTION_ARG_INT, &opt_rows, "Rows of the CSV imported (100000)", "N" },
    { "import-only", 0, 0, G_OPTION_ARG_NONE, &opt_import_only, "Only the import", NULL },
    G_OPTION_ENTRY_NULL
  };
  static const char * const pauses[] = { "waiting-on-customer", "waiting-on-vendor", NULL };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EscCalendar) paris = NULL;
  g_autoptr(EscCalendar) new_york = NULL;
  g_autofree Ticket *tickets = NULL;
  g_autofree double *times = NULL;
  g_autofree double *cpu_times = NULL;
  EscCalendar *calendars[2];
  EscSlaTerms terms = { { { 0 } }, { 0 }, { 0 }, 0, 0, NULL };
  const gint64 now = G_GINT64_CONSTANT (1798761600) * G_USEC_PER_SEC;  /* 2027-01-01 */
  guint breached = 0, running = 0;
  double median;

  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  g_option_context_set_summary (context, "Times the SLA engine over a million made-up tickets.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sla-engine: %s\n", error->message);
      return 2;
    }
  if (opt_tickets < 1 || opt_runs < 1 || opt_rows < 1)
    {
      g_printerr ("sla-engine: --tickets, --rows and --runs must be at least 1\n");
      return 2;
    }
  if (opt_import_only)
    return bench_import ();

  paris = make_calendar (
    "{\"name\": \"Paris\", \"time_zone\": \"Europe/Paris\", \"week\": {"
    " \"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"tuesday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"wednesday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"thursday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"friday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}]},"
    " \"holidays\": [{\"date\": \"2024-01-01\"}, {\"date\": \"2024-04-01\"}, {\"date\": \"2024-05-01\"},"
    "  {\"date\": \"2024-05-08\"}, {\"date\": \"2024-05-09\"}, {\"date\": \"2024-05-20\"}, {\"date\": \"2024-07-14\"},"
    "  {\"date\": \"2024-08-15\"}, {\"date\": \"2024-11-01\"}, {\"date\": \"2024-11-11\"}, {\"date\": \"2024-12-25\"},"
    "  {\"date\": \"2025-01-01\"}, {\"date\": \"2025-04-21\"}, {\"date\": \"2025-05-01\"}, {\"date\": \"2025-05-08\"},"
    "  {\"date\": \"2025-05-29\"}, {\"date\": \"2025-06-09\"}, {\"date\": \"2025-07-14\"}, {\"date\": \"2025-08-15\"},"
    "  {\"date\": \"2025-11-11\"}, {\"date\": \"2025-12-25\"}, {\"date\": \"2026-01-01\"}, {\"date\": \"2026-04-06\"},"
    "  {\"date\": \"2026-05-01\"}, {\"date\": \"2026-05-08\"}, {\"date\": \"2026-05-14\"}, {\"date\": \"2026-05-25\"},"
    "  {\"date\": \"2026-07-14\"}, {\"date\": \"2026-11-11\"}, {\"date\": \"2026-12-25\"}]}");
  new_york = make_calendar (
    "{\"name\": \"New York\", \"time_zone\": \"America/New_York\", \"week\": {"
    " \"monday\": [{\"start\": \"08:00\", \"end\": \"17:00\"}], \"tuesday\": [{\"start\": \"08:00\", \"end\": \"17:00\"}],"
    " \"wednesday\": [{\"start\": \"08:00\", \"end\": \"17:00\"}], \"thursday\": [{\"start\": \"08:00\", \"end\": \"17:00\"}],"
    " \"friday\": [{\"start\": \"08:00\", \"end\": \"17:00\"}]},"
    " \"holidays\": [{\"date\": \"2024-07-04\"}, {\"date\": \"2024-11-28\"}, {\"date\": \"2025-07-04\"},"
    "  {\"date\": \"2025-11-27\"}, {\"date\": \"2026-07-03\"}, {\"date\": \"2026-11-26\"}]}");
  calendars[0] = paris;
  calendars[1] = new_york;

  /* The service's severity table for targets; resolution 5, 10 and 20 business days */
  for (guint s = 0; s < 3; s++)
    {
      static const gint64 first[] = { 60, 240, 480 }, update[] = { 60, 720, 1440 }, resolve[] = { 2400, 4800, 9600 };

      terms.targets[s][ESC_SLA_METRIC_FIRST_RESPONSE] = first[s] * G_TIME_SPAN_MINUTE;
      terms.targets[s][ESC_SLA_METRIC_UPDATE] = update[s] * G_TIME_SPAN_MINUTE;
      terms.targets[s][ESC_SLA_METRIC_RESOLUTION] = resolve[s] * G_TIME_SPAN_MINUTE;
    }
  terms.always_open[ESC_SUPPORT_SEVERITY_A] = TRUE;
  terms.percents[0] = 50;
  terms.percents[1] = 75;
  terms.percents[2] = 100;
  terms.n_percents = 3;
  terms.response_events = 1u << ESC_SLA_EVENT_RESPONDED;
  terms.pause_states = pauses;

  tickets = g_new0 (Ticket, opt_tickets);
  make_tickets (tickets, (guint)opt_tickets);
  times = g_new0 (double, opt_runs);
  cpu_times = g_new0 (double, opt_runs);

  for (int run = 0; run < opt_runs; run++)
    {
      gint64 begin = g_get_monotonic_time ();
      clock_t cpu_begin = clock ();

      breached = running = 0;
      for (int i = 0; i < opt_tickets; i++)
        {
          const Ticket *t = &tickets[i];
          EscSlaResult result;

          if (!esc_sla_engine_compute (&terms, calendars[t->calendar], t->events, t->n_events, now,
                                       &result, &error))
            {
              g_printerr ("sla-engine: ticket %d: %s\n", i, error->message);
              return 1;
            }
          for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
            {
              breached += result.metrics[k].breached;
              running += result.metrics[k].state == ESC_SLA_CLOCK_RUNNING;
            }
        }
      times[run] = (g_get_monotonic_time () - begin) / 1e6;
      cpu_times[run] = (double)(clock () - cpu_begin) / CLOCKS_PER_SEC;
    }

  qsort (times, opt_runs, sizeof *times, compare_doubles);
  qsort (cpu_times, opt_runs, sizeof *cpu_times, compare_doubles);
  median = times[opt_runs / 2];
  /* On a shared machine the wall time says more about the others than about us: the
   * processor time is printed too. */
  fprintf (stderr, "sla-engine: %d tickets, %d runs: median %.3f s (%.3f to %.3f), processor "
           "time %.3f s, %u clocks breached, %u running\n", opt_tickets, opt_runs, median, times[0],
           times[opt_runs - 1], cpu_times[opt_runs / 2], breached, running);
  printf ("BENCH|sla-engine|%d tickets, three clocks each|%.3f s|≤ %.0f s|%s\n", opt_tickets, median,
          GOAL_SECONDS, median * 1000000.0 / opt_tickets <= GOAL_SECONDS ? "ok" : "MISSED");
  printf ("BENCH|sla-engine|tickets per second|%.0f||\n", opt_tickets / median);
  printf ("BENCH|sla-engine|processor time|%.3f s||\n", cpu_times[opt_runs / 2]);
  return bench_import ();
}
