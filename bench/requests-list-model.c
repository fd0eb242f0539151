/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-request-list.h"
#include "esc-workspace.h"

/* bench/requests-list-model: the store side of bench/requests-list.
 *
 *   requests-list-model [--service URL] [--build DIR] WORKSPACE
 *
 * On a workspace made by bench/make-workspace: the time to open it, to build
 * the list of the Requests screen (EscRequestList over every request of the
 * service, and the first screenful of items read), and the time per keystroke
 * (median and worst of 50) to search while typing realistic words letter by
 * letter, to toggle filters, and to change the sort column. A keystroke is
 * esc_request_list_set_query() and reading the first 30 items, what a view
 * shows first. Prints BENCH lines (bench/README.md). */

#define VISIBLE_ROWS   30u
#define GOAL_KEYSTROKE 16.0

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

typedef struct
{
  GArray *times;  /* double, ms */
  guint   rows;   /* rows of the last query, for the log */
} Series;

static void
read_visible (GListModel *model)
{
  guint n = MIN (g_list_model_get_n_items (model), VISIBLE_ROWS);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert (item != NULL);
    }
}

static void
keystroke (EscRequestList        *list,
           const EscRequestQuery *query,
           Series                *series)
{
  g_autoptr(GError) error = NULL;
  double t0 = now_ms ();
  double t;

  if (!esc_request_list_set_query (list, query, &error))
    g_error ("query: %s", error->message);
  read_visible (G_LIST_MODEL (list));
  t = now_ms () - t0;
  g_array_append_val (series->times, t);
  series->rows = g_list_model_get_n_items (G_LIST_MODEL (list));

  if (g_getenv ("ESCALADE_BENCH_VERBOSE") != NULL)
    g_printerr ("  %-22s %6u rows %7.2f ms\n", query->text ? query->text : "", series->rows, t);
}

static void
report (const char *figure,
        Series     *series,
        double      goal)
{
  double median;
  double worst;
  guint n = series->times->len;

  g_array_sort (series->times, compare_doubles);
  median = n % 2 ? g_array_index (series->times, double, n / 2)
                 : (g_array_index (series->times, double, n / 2 - 1) +
                    g_array_index (series->times, double, n / 2)) / 2;
  worst = g_array_index (series->times, double, n - 1);

  g_print ("%s: median %.1f ms, worst %.1f ms (%u keystrokes)\n", figure, median, worst, n);
  g_print ("BENCH|requests-list|%s, median of %u|%.1f ms|<= %.0f ms|%s\n",
           figure, n, median, goal, median <= goal ? "ok" : "MISSED");
  g_print ("BENCH|requests-list|%s, worst of %u|%.1f ms|<= %.0f ms|%s\n",
           figure, n, worst, goal, worst <= goal ? "ok" : "MISSED");
}

/* The texts of the search entry after each of 50 keystrokes: realistic words
 * typed letter by letter, corrected, erased. */
static GPtrArray *
search_keystrokes (void)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  const char *words[] = { "printer driver", "bitlocker", "MMD-0369", "outlook" };
  GString *text = g_string_new (NULL);

  for (guint w = 0; w < G_N_ELEMENTS (words) && texts->len < 50; w++)
    {
      for (const char *p = words[w]; *p != '\0' && texts->len < 50; p++)
        {
          g_string_append_c (text, *p);
          g_ptr_array_add (texts, g_strdup (text->str));
        }
      /* erase the last word letter by letter */
      while (text->len > 0 && texts->len < 50 && text->str[text->len - 1] != ' ')
        {
          g_string_truncate (text, text->len - 1);
          g_ptr_array_add (texts, g_strdup (text->str));
          if (text->len <= 4)
            break;
        }
      g_string_truncate (text, 0);
      if (texts->len < 50)
        g_ptr_array_add (texts, g_strdup (""));
    }

  g_string_free (text, TRUE);
  g_assert (texts->len == 50);
  return texts;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(EscOutbox) outbox = NULL;
  g_autoptr(EscRequestList) list = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autofree char *service = NULL;
  g_autofree char *build = NULL;
  g_auto(GStrv) files = NULL;
  Series search = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  Series filters = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  Series sorts = { g_array_new (FALSE, FALSE, sizeof (double)), 0 };
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  double t0, open_ms, build_ms;
  const GOptionEntry entries[] = {
    { "service", 0, 0, G_OPTION_ARG_STRING, &service,
      "Service URL of the mirrored rows (default http://127.0.0.1:8080)", "URL" },
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &build, "The meson build directory (unused)", "DIR" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "WORKSPACE" },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("WORKSPACE — time the list of the Requests screen");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      files == NULL || files[0] == NULL)
    {
      g_printerr ("requests-list-model: %s\n", error != NULL ? error->message : "give a WORKSPACE");
      return EXIT_FAILURE;
    }

  t0 = now_ms ();
  workspace = esc_workspace_open (files[0], &error);
  if (workspace == NULL)
    {
      g_printerr ("requests-list-model: %s\n", error->message);
      return EXIT_FAILURE;
    }
  mirror = esc_mirror_new (workspace);
  outbox = esc_outbox_new (mirror);
  open_ms = now_ms () - t0;

  /* The mirror's own model reads its keys when the service is set: not part
   * of the list's time. */
  esc_mirror_set_service (mirror, service != NULL ? service : "http://127.0.0.1:8080");

  t0 = now_ms ();
  list = esc_request_list_new (mirror, outbox);
  read_visible (G_LIST_MODEL (list));
  build_ms = now_ms () - t0;

  g_print ("workspace: %u support requests; opened in %.1f ms\n",
           esc_request_list_get_n_total (list), open_ms);
  g_print ("list built (every request, most recently updated first, first %u rows read): %.1f ms\n",
           VISIBLE_ROWS, build_ms);
  g_print ("BENCH|requests-list|requests in the workspace|%u||\n", esc_request_list_get_n_total (list));
  g_print ("BENCH|requests-list|build the list (model)|%.1f ms||\n", build_ms);

  /* Warm-up: the first search reads the FTS index's pages */
  query.text = "warm";
  esc_request_list_set_query (list, &query, NULL);
  query.text = NULL;
  esc_request_list_set_query (list, &query, NULL);

  /* Search while typing */
  texts = search_keystrokes ();
  for (guint i = 0; i < texts->len; i++)
    {
      query.text = g_ptr_array_index (texts, i);
      keystroke (list, &query, &search);
    }
  query.text = NULL;

  /* Filters: toggling the check buttons of the popover, "mine", one by one */
  {
    static const struct {
      int    group;  /* 0 states, 1 severities, 2 types, 3 kinds, 4 mine */
      guint  bit;
    } toggles[] = {
      { 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_NEW) },
      { 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS) },
      { 1, ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_A) },
      { 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER) },
      { 2, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_INCIDENT) },
      { 1, ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_B) },
      { 3, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_KIND_ESCALATION) },
      { 4, 0 },
      { 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_CLOSED) },
      { 2, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST) },
    };

    for (guint i = 0; i < 50; i++)
      {
        guint *masks[] = { &query.states, &query.severities, &query.types, &query.kinds };
        guint t = i % G_N_ELEMENTS (toggles);

        if (toggles[t].group == 4)
          query.filer_id = query.filer_id == 0 ? 42 : 0;
        else
          *masks[toggles[t].group] ^= toggles[t].bit;
        /* Half of them with a search typed */
        query.text = (i / 10) % 2 == 1 ? "printer" : NULL;
        keystroke (list, &query, &filters);
      }
  }
  query = (EscRequestQuery) ESC_REQUEST_QUERY_INIT;

  /* Sorting: a click on each column header, then again for the other direction */
  for (int sort = ESC_REQUEST_SORT_ID; sort <= ESC_REQUEST_SORT_LAST; sort++)
    for (int descending = 0; descending < 2; descending++)
      {
        query.sort = sort;
        query.descending = descending;
        keystroke (list, &query, &sorts);
      }

  report ("search while typing", &search, GOAL_KEYSTROKE);
  report ("filter toggles", &filters, GOAL_KEYSTROKE);
  report ("sort changes", &sorts, GOAL_KEYSTROKE);

  g_array_unref (search.times);
  g_array_unref (filters.times);
  g_array_unref (sorts.times);
  return EXIT_SUCCESS;
}
