/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-sla-engine.h"

/* The engine replays the events in order. Between two events nothing changes
 * but time: each running clock adds the business time of that stretch in its
 * calendar (the agreement's, or 24×7 for an always-open severity), or adds it
 * to its paused time while the ticket waits in a pause state. A threshold or
 * the target reached inside a stretch is placed exactly by adding the missing
 * business time to the stretch's start in the same calendar. */

EscCalendar *
esc_sla_engine_calendar_24x7 (void)
{
  static gsize once;
  static EscCalendar *calendar;

  if (g_once_init_enter (&once))
    {
      calendar = esc_calendar_new_24x7 ();
      g_once_init_leave (&once, 1);
    }

  return calendar;
}

void
esc_sla_terms_init_from_version (EscSlaTerms            *terms,
                                 EscSlaAgreementVersion *version)
{
  const EscSlaWarning *warnings;

  g_return_if_fail (terms != NULL);
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (version));

  memset (terms, 0, sizeof *terms);
  for (guint s = 0; s < 3; s++)
    {
      const EscSlaTargets *t = esc_sla_agreement_version_get_targets (version, (EscSupportSeverity)s);

      terms->targets[s][ESC_SLA_METRIC_FIRST_RESPONSE] = (GTimeSpan)t->first_response_minutes * G_TIME_SPAN_MINUTE;
      terms->targets[s][ESC_SLA_METRIC_UPDATE] = (GTimeSpan)t->update_minutes * G_TIME_SPAN_MINUTE;
      terms->targets[s][ESC_SLA_METRIC_RESOLUTION] = (GTimeSpan)t->resolution_minutes * G_TIME_SPAN_MINUTE;
      terms->always_open[s] = t->always_open;
    }
  warnings = esc_sla_agreement_version_get_warnings (version, &terms->n_percents);
  for (guint i = 0; i < terms->n_percents; i++)
    terms->percents[i] = warnings[i].percent;
  for (guint k = 0; k <= ESC_SLA_EVENT_AGREEMENT_CHANGED; k++)
    {
      if (esc_sla_agreement_version_counts_as_response (version, (EscSlaEventKind)k))
        terms->response_events |= 1u << k;
    }
  terms->pause_states = esc_sla_agreement_version_get_pause_states (version);
}

typedef struct
{
  const EscSlaTerms *terms;
  EscCalendar *calendar;
  EscSlaResult *result;
  gboolean active[ESC_SLA_N_METRICS];
} Run;

static EscCalendar *
calendar_of (Run *run)
{
  return run->terms->always_open[run->result->severity] ? esc_sla_engine_calendar_24x7 ()
                                                        : run->calendar;
}

static GTimeSpan
threshold (GTimeSpan target,
           guint     percent)
{
  /* Rounded up, so that "25 % left" and "75 % used" are the same instant;
   * in two parts, so that no target up to year 9999 overflows. */
  return target / 100 * (GTimeSpan)percent + (target % 100 * (GTimeSpan)percent + 99) / 100;
}

/* Marks what @m reaches within [@from, @from + business @span). */
static void
cross (Run           *run,
       EscSlaMetric  *m,
       gint64         from,
       GTimeSpan      span)
{
  EscCalendar *calendar = calendar_of (run);

  if (m->target <= 0)
    return;

  for (guint i = 0; i < run->terms->n_percents; i++)
    {
      GTimeSpan thr = threshold (m->target, run->terms->percents[i]);

      if (!m->warning_crossed[i] && m->elapsed < thr && thr <= m->elapsed + span &&
          esc_calendar_add_usec (calendar, from, thr - m->elapsed, &m->warning_at[i]))
        m->warning_known[i] = m->warning_crossed[i] = TRUE;
    }
  if (!m->has_breached_at && m->elapsed < m->target && m->target <= m->elapsed + span &&
      esc_calendar_add_usec (calendar, from, m->target - m->elapsed, &m->breached_at))
    {
      m->has_breached_at = TRUE;
      m->breaches++;
    }
}

static void
advance (Run    *run,
         gint64  from,
         gint64  to)
{
  GTimeSpan span = -1;

  for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
    {
      EscSlaMetric *m = &run->result->metrics[k];

      if (!run->active[k])
        continue;
      if (span < 0)
        span = esc_calendar_elapsed_usec (calendar_of (run), from, to);
      if (span == 0)
        return;
      if (run->result->paused)
        m->paused += span;
      else
        {
          cross (run, m, from, span);
          m->elapsed += span;
        }
    }
}

/* After a target changed at @at: what the elapsed time already passes was crossed then. */
static void
retarget (Run    *run,
          gint64  at)
{
  for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
    {
      EscSlaMetric *m = &run->result->metrics[k];

      m->target = run->terms->targets[run->result->severity][k];
      if (!run->active[k] || m->target <= 0)
        continue;
      for (guint i = 0; i < run->terms->n_percents; i++)
        {
          if (!m->warning_crossed[i] && m->elapsed >= threshold (m->target, run->terms->percents[i]))
            {
              m->warning_known[i] = m->warning_crossed[i] = TRUE;
              m->warning_at[i] = at;
            }
        }
      if (!m->has_breached_at && m->elapsed >= m->target)
        {
          m->has_breached_at = TRUE;
          m->breached_at = at;
          m->breaches++;
        }
    }
}

static void
start (Run              *run,
       EscSlaMetricKind  k,
       gint64            at)
{
  EscSlaMetric *m = &run->result->metrics[k];

  run->active[k] = TRUE;
  m->has_started = TRUE;
  m->started_at = at;
  m->has_stopped = FALSE;
  m->target = run->terms->targets[run->result->severity][k];
}

/* The update clock counts from each response or update afresh. */
static void
restart_update (Run    *run,
                gint64  at)
{
  EscSlaMetric *m = &run->result->metrics[ESC_SLA_METRIC_UPDATE];

  m->elapsed = 0;
  m->has_breached_at = FALSE;
  memset (m->warning_known, 0, sizeof m->warning_known);
  memset (m->warning_crossed, 0, sizeof m->warning_crossed);
  start (run, ESC_SLA_METRIC_UPDATE, at);
}

static void
stop (Run              *run,
      EscSlaMetricKind  k,
      gint64            at)
{
  EscSlaMetric *m = &run->result->metrics[k];

  if (!run->active[k])
    return;
  run->active[k] = FALSE;
  m->has_stopped = TRUE;
  m->stopped_at = at;
}

static gboolean
invalid_event (GError     **error,
               guint        index,
               const char  *what)
{
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               /* Translators: an event of a ticket by its number, then what is wrong with it */
               _("Event %u: %s"), index + 1, what);
  return FALSE;
}

static gboolean
pauses_in (const EscSlaTerms *terms,
           const char        *state)
{
  return state != NULL && terms->pause_states != NULL && g_strv_contains (terms->pause_states, state);
}

static void
finish (Run    *run,
        gint64  now)
{
  for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
    {
      EscSlaMetric *m = &run->result->metrics[k];
      EscCalendar *calendar = calendar_of (run);

      m->n_warnings = run->terms->n_percents;
      m->remaining = m->target > 0 ? m->target - m->elapsed : 0;
      m->breached = m->breaches > 0;

      if (m->target <= 0 || !m->has_started)
        m->state = ESC_SLA_CLOCK_NONE;
      else if (!run->active[k])
        m->state = ESC_SLA_CLOCK_STOPPED;
      else if (run->result->paused)
        m->state = ESC_SLA_CLOCK_PAUSED;
      else
        m->state = ESC_SLA_CLOCK_RUNNING;

      if (m->state != ESC_SLA_CLOCK_RUNNING)
        continue;

      if (m->remaining > 0)
        m->has_due = esc_calendar_add_usec (calendar, now, m->remaining, &m->due_at);
      else
        {
          m->has_due = m->has_breached_at;
          m->due_at = m->breached_at;
        }

      for (guint i = 0; i < m->n_warnings; i++)
        {
          GTimeSpan thr = threshold (m->target, run->terms->percents[i]);

          if (!m->warning_known[i])
            m->warning_known[i] = esc_calendar_add_usec (calendar, now, thr - m->elapsed,
                                                         &m->warning_at[i]);
        }
    }
}

/**
 * esc_sla_engine_compute:
 * @terms: the agreement's terms
 * @calendar: the agreement's calendar
 * @events: (array length=n_events): the ticket's events, in time order
 * @n_events: how many
 * @now: the moment to compute at
 * @result: (out caller-allocates): the clocks
 * @error: return location for a #GError
 *
 * Returns: FALSE if the events are not a ticket's history
 */
gboolean
esc_sla_engine_compute (const EscSlaTerms  *terms,
                        EscCalendar        *calendar,
                        const EscSlaEvent  *events,
                        guint               n_events,
                        gint64              now,
                        EscSlaResult       *result,
                        GError            **error)
{
  Run run;
  gint64 cur;

  g_return_val_if_fail (terms != NULL && terms->n_percents <= ESC_SLA_MAX_WARNINGS, FALSE);
  g_return_val_if_fail (ESC_IS_CALENDAR (calendar), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  run = (Run) { terms, calendar, result, { FALSE } };

  if (n_events == 0 || events[0].kind != ESC_SLA_EVENT_CREATED)
    return invalid_event (error, 0, _("a ticket’s history starts with “created”"));

  for (guint i = 0; i < n_events; i++)
    {
      if ((guint)events[i].severity > ESC_SUPPORT_SEVERITY_C ||
          (guint)events[i].kind > ESC_SLA_EVENT_AGREEMENT_CHANGED)
        return invalid_event (error, i, _("unknown kind or severity"));
      if (events[i].kind == ESC_SLA_EVENT_AGREEMENT_CHANGED &&
          (events[i].terms == NULL || events[i].terms->n_percents > ESC_SLA_MAX_WARNINGS ||
           !ESC_IS_CALENDAR (events[i].calendar)))
        return invalid_event (error, i, _("an agreement change needs its terms and calendar"));
      if (i > 0 && events[i].kind == ESC_SLA_EVENT_CREATED)
        return invalid_event (error, i, _("a ticket is created once"));
      if (i > 0 && events[i].at < events[i - 1].at)
        return invalid_event (error, i, _("earlier than the event before"));
      if (events[i].at > now)
        return invalid_event (error, i, _("later than the moment computed"));
    }

  result->severity = events[0].severity;
  cur = events[0].at;
  start (&run, ESC_SLA_METRIC_FIRST_RESPONSE, cur);
  start (&run, ESC_SLA_METRIC_RESOLUTION, cur);
  retarget (&run, cur);

  for (guint i = 1; i < n_events; i++)
    {
      const EscSlaEvent *e = &events[i];
      gboolean counts = (run.terms->response_events & (1u << e->kind)) != 0;

      advance (&run, cur, e->at);
      cur = e->at;

      if (result->resolved && e->kind != ESC_SLA_EVENT_REOPENED &&
          e->kind != ESC_SLA_EVENT_AGREEMENT_CHANGED)
        continue;

      if (counts && !result->responded)
        {
          result->responded = TRUE;
          stop (&run, ESC_SLA_METRIC_FIRST_RESPONSE, cur);
          if (e->kind != ESC_SLA_EVENT_RESOLVED)
            restart_update (&run, cur);
        }
      else if (result->responded &&
               (e->kind == ESC_SLA_EVENT_RESPONDED || e->kind == ESC_SLA_EVENT_UPDATED))
        restart_update (&run, cur);

      switch (e->kind)
        {
        case ESC_SLA_EVENT_PAUSED:
          if (pauses_in (run.terms, e->state))
            result->paused = TRUE;
          break;
        case ESC_SLA_EVENT_RESUMED:
          result->paused = FALSE;
          break;
        case ESC_SLA_EVENT_SEVERITY_CHANGED:
          result->severity = e->severity;
          retarget (&run, cur);
          break;
        case ESC_SLA_EVENT_RESOLVED:
          result->resolved = TRUE;
          result->paused = FALSE;
          for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
            stop (&run, (EscSlaMetricKind)k, cur);
          break;
        case ESC_SLA_EVENT_REOPENED:
          if (!result->resolved)
            break;
          result->resolved = FALSE;
          run.active[ESC_SLA_METRIC_RESOLUTION] = TRUE;
          result->metrics[ESC_SLA_METRIC_RESOLUTION].has_stopped = FALSE;
          if (result->responded)
            restart_update (&run, cur);
          retarget (&run, cur);
          break;
        case ESC_SLA_EVENT_AGREEMENT_CHANGED:
          /* New terms from now on; the warnings are the new terms' thresholds. */
          run.terms = e->terms;
          run.calendar = e->calendar;
          for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
            {
              EscSlaMetric *m = &result->metrics[k];

              memset (m->warning_known, 0, sizeof m->warning_known);
              memset (m->warning_crossed, 0, sizeof m->warning_crossed);
            }
          retarget (&run, cur);
          break;
        case ESC_SLA_EVENT_CREATED:
        case ESC_SLA_EVENT_RESPONDED:
        case ESC_SLA_EVENT_UPDATED:
        default:
          break;
        }
    }

  advance (&run, cur, now);
  finish (&run, now);
  return TRUE;
}
