/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include <string.h>

#include "esc-calendar.h"
#include "esc-json-guard.h"
#include "esc-sla-engine.h"
#include "fuzz-common.h"

/* Business-hours calendars and the SLA engine (src/core/esc-calendar.h,
 * esc-sla-engine.h). The input is a calendar as JSON, a NUL byte, then a
 * ticket's history (six bytes an event: kind, severity, state, minutes since
 * the event before). Checked: a calendar that reads writes back the same and
 * reads again; adding business time and measuring it agree; the engine
 * refuses no well-formed history, and its clocks keep elapsed + remaining =
 * target, never count paused time, and place crossed warnings at or before
 * now and predicted ones after it. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

static EscCalendar *
fallback_calendar (guint8 choice)
{
  EscCalendar *calendar = esc_calendar_new ((choice & 1) ? "America/New_York" : "Europe/Paris", NULL);

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    {
      esc_calendar_add_range (calendar, d, 0, 4 * 60, NULL);
      esc_calendar_add_range (calendar, d, 9 * 60 + (choice >> 4), 17 * 60, NULL);
    }
  esc_calendar_add_holiday (calendar, "2024-03-29", NULL, NULL);
  return calendar;
}

static EscCalendar *
read_calendar (const char *text,
               gsize       length)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) written_again = NULL;
  g_autoptr(EscCalendar) calendar = NULL;
  g_autoptr(EscCalendar) again = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GError) error = NULL;

  if (!esc_json_guard_check (text, length, ESC_JSON_GUARD_MAX_DEPTH, NULL) ||
      !(node = json_from_string (text, NULL)))
    return NULL;
  if (!(calendar = esc_calendar_new_from_json (node, &error)))
    {
      g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return NULL;
    }

  written = esc_calendar_to_json (calendar);
  again = esc_calendar_new_from_json (written, &error);
  if (again == NULL)
    g_error ("A calendar written does not read again: %s", error->message);
  written_again = esc_calendar_to_json (again);
  text1 = json_to_string (written, FALSE);
  text2 = json_to_string (written_again, FALSE);
  g_assert (strcmp (text1, text2) == 0);

  return g_steal_pointer (&calendar);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const states[] = { "waiting-on-customer", "waiting-on-vendor", "in-progress", NULL };
  static const char * const pauses[] = { "waiting-on-customer", "waiting-on-vendor", NULL };
  const guint8 *nul = memchr (data, 0, size);
  gsize json_length = nul != NULL ? (gsize)(nul - data) : size;
  g_autofree char *json = g_strndup ((const char *)data, json_length);
  g_autoptr(EscCalendar) calendar = read_calendar (json, json_length);
  const guint8 *p = nul != NULL ? nul + 1 : data + size;
  size_t left = (size_t)(data + size - p);
  EscSlaEvent events[16];
  EscSlaTerms terms = { { { 0 } } };
  EscSlaResult result;
  gint64 t = G_GINT64_CONSTANT (1704067200000000);  /* 2024-01-01 */
  gint64 now, due;
  guint n = 0;

  if (calendar == NULL)
    calendar = fallback_calendar (left > 0 ? p[0] : 0);

  for (guint s = 0; s < 3; s++)
    {
      terms.targets[s][ESC_SLA_METRIC_FIRST_RESPONSE] = (GTimeSpan)(60 << s) * G_TIME_SPAN_MINUTE;
      terms.targets[s][ESC_SLA_METRIC_UPDATE] = (GTimeSpan)(120 << s) * G_TIME_SPAN_MINUTE;
      terms.targets[s][ESC_SLA_METRIC_RESOLUTION] = (GTimeSpan)(480 << s) * G_TIME_SPAN_MINUTE;
    }
  terms.always_open[0] = TRUE;
  terms.percents[0] = 50;
  terms.percents[1] = 75;
  terms.percents[2] = 100;
  terms.n_percents = 3;
  terms.response_events = 1u << ESC_SLA_EVENT_RESPONDED;
  terms.pause_states = pauses;

  while (left >= 6 && n < G_N_ELEMENTS (events))
    {
      guint minutes = (guint)p[3] | ((guint)p[4] << 8) | ((guint)(p[5] & 0x0f) << 16);

      t += (gint64)minutes * G_TIME_SPAN_MINUTE;
      events[n].kind = n == 0 ? ESC_SLA_EVENT_CREATED : (EscSlaEventKind)(1 + p[0] % 7);
      events[n].severity = (EscSupportSeverity)(p[1] % 3);
      events[n].state = states[p[2] % 3];
      events[n].at = t;
      events[n].terms = NULL;
      events[n].calendar = NULL;
      n++;
      p += 6;
      left -= 6;
    }
  now = t + (left > 0 ? (gint64)p[0] * 37 * G_TIME_SPAN_MINUTE : 0);

  if (n == 0)
    return 0;

  /* The calendar's own operations agree */
  if (esc_calendar_add_usec (calendar, events[0].at, (GTimeSpan)(now - t) + G_TIME_SPAN_HOUR, &due))
    {
      g_assert (due >= events[0].at);
      g_assert (esc_calendar_elapsed_usec (calendar, events[0].at, due) == (now - t) + G_TIME_SPAN_HOUR);
    }

  if (!esc_sla_engine_compute (&terms, calendar, events, n, now, &result, NULL))
    g_error ("A well-formed history was refused");

  for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
    {
      const EscSlaMetric *m = &result.metrics[k];

      g_assert (m->elapsed >= 0 && m->paused >= 0);
      if (m->target > 0)
        g_assert (m->elapsed + m->remaining == m->target);
      g_assert (m->breached == (m->breaches > 0));
      for (guint i = 0; i < m->n_warnings; i++)
        {
          if (m->warning_crossed[i])
            g_assert (m->warning_at[i] <= now);
          else if (m->warning_known[i])
            g_assert (m->warning_at[i] > now);
        }
    }

  /* Resolution time is the calendar time while open and not paused */
  {
    GTimeSpan expected = 0;
    gboolean paused = FALSE, resolved = FALSE;
    EscSupportSeverity severity = events[0].severity;

    for (guint i = 0; i < n; i++)
      {
        gint64 end = i + 1 < n ? events[i + 1].at : now;
        EscCalendar *c;

        if (!resolved && events[i].kind == ESC_SLA_EVENT_SEVERITY_CHANGED)
          severity = events[i].severity;
        else if (!resolved && events[i].kind == ESC_SLA_EVENT_PAUSED && g_strv_contains (pauses, events[i].state))
          paused = TRUE;
        else if (!resolved && events[i].kind == ESC_SLA_EVENT_RESUMED)
          paused = FALSE;
        else if (!resolved && events[i].kind == ESC_SLA_EVENT_RESOLVED)
          resolved = TRUE, paused = FALSE;
        else if (resolved && events[i].kind == ESC_SLA_EVENT_REOPENED)
          resolved = FALSE;

        c = severity == ESC_SUPPORT_SEVERITY_A ? esc_sla_engine_calendar_24x7 () : calendar;
        if (!resolved && !paused)
          expected += esc_calendar_elapsed_usec (c, events[i].at, end);
      }
    g_assert (result.metrics[ESC_SLA_METRIC_RESOLUTION].elapsed == expected);
  }

  return 0;
}
