/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-sla-clock.h"
#include "esc-sla-engine.h"

/* The response clock of a support request, as the list shows it: how long is
 * left until the initial response is due, or how late it is. The initial
 * response is "from filing until an engineer contacts you and starts work":
 * once the request has left "new" there is no response clock any more.
 *
 * The service gives the due time it computed in its admin support hours; the
 * list knows no calendar, so the clock is the SLA engine's first-response
 * clock over the whole time from filing to due, round the clock, with one
 * warning threshold at 100 − ESC_SLA_CLOCK_WARNING_PERCENT % used. */

/**
 * esc_sla_clock_format_span:
 * @span: a duration (its sign is ignored)
 *
 * Rounds down to the minute; under a minute says so.
 *
 * Returns: (transfer full): e.g. "3 days 4 h", "2 h 15 min", "40 min"
 */
char *
esc_sla_clock_format_span (GTimeSpan span)
{
  guint64 minutes_total;
  guint64 days;
  guint hours;
  guint minutes;

  /* Whole minutes first: -span would overflow for G_MININT64 (found by fuzz/fuzz-sla-clock) */
  minutes_total = span < 0 ? (guint64)(-(span / G_TIME_SPAN_MINUTE))
                           : (guint64)(span / G_TIME_SPAN_MINUTE);
  days = minutes_total / (24 * 60);
  hours = (guint)((minutes_total / 60) % 24);
  minutes = (guint)(minutes_total % 60);

  if (minutes_total == 0)
    /* Translators: a duration */
    return g_strdup (_("less than 1 min"));

  if (days > 0)
    {
      g_autofree char *day_text = NULL;

      /* Translators: a duration in days, e.g. "3 days"; followed by hours */
      day_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", (gulong)days),
                                  (guint)days);
      if (hours == 0)
        return g_steal_pointer (&day_text);
      /* Translators: a duration, e.g. "3 days 4 h"; %s is the days */
      return g_strdup_printf (C_("duration", "%s %u h"), day_text, hours);
    }

  if (hours > 0)
    {
      if (minutes == 0)
        /* Translators: a duration in hours, e.g. "2 h" */
        return g_strdup_printf (C_("duration", "%u h"), hours);
      /* Translators: a duration, e.g. "2 h 15 min" */
      return g_strdup_printf (C_("duration", "%u h %u min"), hours, minutes);
    }

  /* Translators: a duration in minutes, e.g. "40 min" */
  return g_strdup_printf (C_("duration", "%u min"), minutes);
}

/**
 * esc_sla_clock_compute:
 * @now: the time now
 * @created_at: (nullable): when the request was filed
 * @response_due_at: (nullable): when the initial response is due
 * @state: the request's state
 * @remaining: (out) (optional): @response_due_at − @now; 0 when no clock runs
 * @text: (out) (optional) (transfer full) (nullable): the clock in words
 *
 * Returns: the level, for the colour of the clock
 */
EscSlaLevel
esc_sla_clock_compute (GDateTime               *now,
                       GDateTime               *created_at,
                       GDateTime               *response_due_at,
                       EscSupportRequestState   state,
                       GTimeSpan               *remaining,
                       char                   **text)
{
  g_autofree char *span_text = NULL;
  GTimeSpan left;
  EscSlaLevel level;

  if (remaining != NULL)
    *remaining = 0;
  if (text != NULL)
    *text = NULL;

  g_return_val_if_fail (now != NULL, ESC_SLA_LEVEL_NONE);

  if (response_due_at == NULL || state != ESC_SUPPORT_REQUEST_STATE_NEW)
    return ESC_SLA_LEVEL_NONE;

  left = g_date_time_difference (response_due_at, now);
  level = left <= 0 ? ESC_SLA_LEVEL_OVERDUE : ESC_SLA_LEVEL_OK;

  if (created_at != NULL)
    {
      /* Round the clock, only spans matter: the engine counts from the filing at 0. */
      GTimeSpan total = g_date_time_difference (response_due_at, created_at);
      GTimeSpan since = g_date_time_difference (now, created_at);

      if (total > 0 && since >= 0)
        {
          EscSlaTerms terms = { { { 0 } }, { 0 }, { 0 }, 0, 0, NULL };
          EscSlaEvent created = { ESC_SLA_EVENT_CREATED, 0, ESC_SUPPORT_SEVERITY_C, NULL, NULL, NULL };
          EscSlaResult result;
          const EscSlaMetric *clock = &result.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];

          terms.targets[ESC_SUPPORT_SEVERITY_C][ESC_SLA_METRIC_FIRST_RESPONSE] = total;
          terms.always_open[ESC_SUPPORT_SEVERITY_C] = TRUE;
          terms.percents[0] = 100 - ESC_SLA_CLOCK_WARNING_PERCENT;
          terms.n_percents = 1;
          terms.response_events = 1u << ESC_SLA_EVENT_RESPONDED;

          if (esc_sla_engine_compute (&terms, esc_sla_engine_calendar_24x7 (), &created, 1, since,
                                      &result, NULL))
            {
              left = clock->remaining;
              if (clock->breached)
                level = ESC_SLA_LEVEL_OVERDUE;
              else if (clock->warning_crossed[0])
                level = ESC_SLA_LEVEL_WARNING;
              else
                level = ESC_SLA_LEVEL_OK;
            }
        }
    }

  if (remaining != NULL)
    *remaining = left;

  if (text != NULL)
    {
      span_text = esc_sla_clock_format_span (left);
      if (level == ESC_SLA_LEVEL_OVERDUE)
        /* Translators: the response clock of a late request; %s is a duration, e.g. "40 min" */
        *text = g_strdup_printf (_("Overdue by %s"), span_text);
      else
        /* Translators: the response clock; %s is a duration, e.g. "2 h 15 min" */
        *text = g_strdup_printf (_("%s left"), span_text);
    }

  return level;
}

/**
 * esc_sla_clock_next_change:
 * @remaining: what esc_sla_clock_compute() gave
 *
 * Returns: how long until the clock's words change, at least one second
 */
GTimeSpan
esc_sla_clock_next_change (GTimeSpan remaining)
{
  GTimeSpan wait;

  if (remaining > 0)
    {
      /* Counting down: the minutes drop when the remainder runs out. */
      wait = remaining % G_TIME_SPAN_MINUTE;
    }
  else
    {
      /* Counting up: the next whole minute late. */
      wait = G_TIME_SPAN_MINUTE - (-remaining) % G_TIME_SPAN_MINUTE;
    }

  return MAX (wait, G_TIME_SPAN_SECOND);
}
