/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-compliance.h"
#include "esc-core-error.h"

/* The compliance report: imported tickets measured by the SLA engine, counted
 * per month and severity, with the worst offenders. */

struct _EscComplianceReport
{
  gatomicrefcount ref_count;

  EscSlaTerms terms;
  GStrv pause_states;        /* owned: terms.pause_states points here */
  EscCalendar *calendar;     /* a copy: the report may live in another thread */
  GTimeZone *time_zone;
  gint64 now;
  guint max_offenders;
  char *agreement;

  GArray *months;            /* EscComplianceMonth */
  GHashTable *month_index;   /* year * 12 + month - 1 → index + 1 */
  gboolean months_sorted;
  GArray *offenders;         /* EscComplianceOffender */
  gboolean offenders_sorted;
};

G_DEFINE_BOXED_TYPE (EscComplianceReport, esc_compliance_report,
                     esc_compliance_report_ref, esc_compliance_report_unref)

static void
clear_offender_cb (gpointer data)
{
  EscComplianceOffender *offender = data;

  g_free (offender->ticket_id);
}

/**
 * esc_compliance_report_new:
 * @version: the agreement version whose targets apply
 * @calendar: its calendar
 * @now: the moment open tickets are measured at (microseconds, UTC)
 * @max_offenders: how many of the worst offenders are kept
 *
 * Returns: (transfer full): an empty report; add tickets with
 *   esc_compliance_report_add()
 */
EscComplianceReport *
esc_compliance_report_new (EscSlaAgreementVersion *version,
                           EscCalendar            *calendar,
                           gint64                  now,
                           guint                   max_offenders)
{
  EscComplianceReport *self;
  const char *agreement_id;

  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (version), NULL);
  g_return_val_if_fail (ESC_IS_CALENDAR (calendar), NULL);

  self = g_new0 (EscComplianceReport, 1);
  g_atomic_ref_count_init (&self->ref_count);
  esc_sla_terms_init_from_version (&self->terms, version);
  self->pause_states = g_strdupv ((char **)self->terms.pause_states);
  self->terms.pause_states = (const char * const *)self->pause_states;
  self->calendar = esc_calendar_copy (calendar);
  self->time_zone = g_time_zone_ref (esc_calendar_get_gtimezone (self->calendar));
  self->now = now;
  self->max_offenders = max_offenders;

  agreement_id = esc_sla_agreement_version_get_agreement_id (version);
  if (agreement_id != NULL && *agreement_id != '\0')
    /* Translators: the agreement a compliance report measures against: its name and version */
    self->agreement = g_strdup_printf (_("Agreement %s, version %u"), agreement_id,
                                       esc_sla_agreement_version_get_version (version));
  else
    self->agreement = g_strdup ("");

  self->months = g_array_new (FALSE, TRUE, sizeof (EscComplianceMonth));
  self->month_index = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->months_sorted = TRUE;
  self->offenders = g_array_new (FALSE, TRUE, sizeof (EscComplianceOffender));
  g_array_set_clear_func (self->offenders, clear_offender_cb);
  self->offenders_sorted = TRUE;
  return self;
}

EscComplianceReport *
esc_compliance_report_ref (EscComplianceReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
esc_compliance_report_unref (EscComplianceReport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_strfreev (self->pause_states);
  g_object_unref (self->calendar);
  g_time_zone_unref (self->time_zone);
  g_free (self->agreement);
  g_array_unref (self->months);
  g_hash_table_unref (self->month_index);
  g_array_unref (self->offenders);
  g_free (self);
}

static EscComplianceMonth *
month_of (EscComplianceReport *self,
          gint64               created)
{
  gint64 seconds = created / G_USEC_PER_SEC;
  int interval = g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, seconds);
  gint64 local = seconds + g_time_zone_get_offset (self->time_zone, interval);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (local);
  guint year = (guint)g_date_time_get_year (date);
  guint month = (guint)g_date_time_get_month (date);
  gpointer key = GUINT_TO_POINTER (year * 12 + month - 1);
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->month_index, key));

  if (index == 0)
    {
      EscComplianceMonth fresh = { year, month, { 0, }, { 0, }, { 0, } };

      g_array_append_val (self->months, fresh);
      index = self->months->len;
      g_hash_table_insert (self->month_index, key, GUINT_TO_POINTER (index));
      self->months_sorted = FALSE;
    }
  return &g_array_index (self->months, EscComplianceMonth, index - 1);
}

static gint
compare_offenders (gconstpointer a,
                   gconstpointer b)
{
  const EscComplianceOffender *oa = a, *ob = b;

  if (oa->overrun != ob->overrun)
    return oa->overrun > ob->overrun ? -1 : 1;
  if (oa->created != ob->created)
    return oa->created < ob->created ? -1 : 1;
  return g_strcmp0 (oa->ticket_id, ob->ticket_id);
}

static void
sort_offenders (EscComplianceReport *self)
{
  if (self->offenders_sorted)
    return;
  g_array_sort (self->offenders, compare_offenders);
  if (self->offenders->len > self->max_offenders)
    g_array_set_size (self->offenders, self->max_offenders);
  self->offenders_sorted = TRUE;
}

static void
add_event (EscSlaEvent        *events,
           guint              *n,
           EscSlaEventKind     kind,
           gint64              at,
           gint64              now)
{
  guint i;

  if (at == 0 || at > now)
    return;
  /* In time order, ties after the events already there */
  for (i = *n; i > 1 && events[i - 1].at > at; i--)
    events[i] = events[i - 1];
  events[i] = (EscSlaEvent) { .kind = kind, .at = at };
  (*n)++;
}

/**
 * esc_compliance_report_add:
 * @self: a report
 * @ticket: one imported ticket
 * @error: return location for a #GError
 *
 * Measures @ticket and counts it in the month of its creation.
 *
 * Returns: FALSE if its times are not a ticket's history
 */
gboolean
esc_compliance_report_add (EscComplianceReport        *self,
                           const EscComplianceTicket  *ticket,
                           GError                    **error)
{
  EscSlaEvent events[4];
  EscSlaResult result;
  EscComplianceMonth *month;
  const EscSlaMetric *fr, *res;
  GTimeSpan res_elapsed, overrun = 0;
  EscSlaMetricKind worst = ESC_SLA_METRIC_FIRST_RESPONSE;
  gboolean breached = FALSE;
  guint n = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (ticket != NULL && ticket->severity <= ESC_SUPPORT_SEVERITY_C, FALSE);

  if (ticket->created <= 0 || ticket->created > self->now)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   /* Translators: a ticket left out of the report */
                   _("The ticket “%s” was created after the moment of the report"),
                   ticket->ticket_id);
      return FALSE;
    }

  events[n++] = (EscSlaEvent) { .kind = ESC_SLA_EVENT_CREATED, .at = ticket->created,
                                .severity = ticket->severity };
  add_event (events, &n, ESC_SLA_EVENT_RESPONDED, ticket->first_response, self->now);
  if (ticket->last_update > ticket->first_response && ticket->first_response != 0)
    add_event (events, &n, ESC_SLA_EVENT_UPDATED, ticket->last_update, self->now);
  add_event (events, &n, ESC_SLA_EVENT_RESOLVED, ticket->resolved, self->now);

  if (!esc_sla_engine_compute (&self->terms, self->calendar, events, n, self->now, &result, error))
    return FALSE;

  /* The first response and resolution clocks; the export's paused time is
   * business time the resolution clock does not count. */
  fr = &result.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];
  res = &result.metrics[ESC_SLA_METRIC_RESOLUTION];
  if (fr->target > 0 && fr->elapsed > fr->target)
    {
      breached = TRUE;
      overrun = fr->elapsed - fr->target;
    }
  res_elapsed = MAX (res->elapsed - ticket->paused, 0);
  if (res->target > 0 && res_elapsed > res->target)
    {
      breached = TRUE;
      if (res_elapsed - res->target > overrun)
        {
          overrun = res_elapsed - res->target;
          worst = ESC_SLA_METRIC_RESOLUTION;
        }
    }

  month = month_of (self, ticket->created);
  if (breached)
    month->breached[ticket->severity]++;
  else if (result.resolved)
    month->met[ticket->severity]++;
  else
    month->in_progress[ticket->severity]++;

  if (breached && self->max_offenders > 0)
    {
      EscComplianceOffender offender = {
        g_strdup (ticket->ticket_id), ticket->severity, worst, ticket->created,
        worst == ESC_SLA_METRIC_RESOLUTION ? res->target : fr->target, overrun,
        result.resolved
      };

      g_array_append_val (self->offenders, offender);
      self->offenders_sorted = FALSE;
      if (self->offenders->len >= 2 * self->max_offenders + 64)
        sort_offenders (self);
    }

  return TRUE;
}

static gint
compare_months (gconstpointer a,
                gconstpointer b)
{
  const EscComplianceMonth *ma = a, *mb = b;
  guint ka = ma->year * 12 + ma->month, kb = mb->year * 12 + mb->month;

  return (ka > kb) - (ka < kb);
}

static void
sort_months (EscComplianceReport *self)
{
  if (self->months_sorted)
    return;
  g_array_sort (self->months, compare_months);
  g_hash_table_remove_all (self->month_index);
  for (guint i = 0; i < self->months->len; i++)
    {
      EscComplianceMonth *m = &g_array_index (self->months, EscComplianceMonth, i);

      g_hash_table_insert (self->month_index, GUINT_TO_POINTER (m->year * 12 + m->month - 1),
                           GUINT_TO_POINTER (i + 1));
    }
  self->months_sorted = TRUE;
}

guint
esc_compliance_report_get_n_months (EscComplianceReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  sort_months (self);
  return self->months->len;
}

const EscComplianceMonth *
esc_compliance_report_get_month (EscComplianceReport *self,
                                 guint                index)
{
  g_return_val_if_fail (self != NULL, NULL);

  sort_months (self);
  g_return_val_if_fail (index < self->months->len, NULL);
  return &g_array_index (self->months, EscComplianceMonth, index);
}

void
esc_compliance_report_get_totals (EscComplianceReport *self,
                                  EscComplianceMonth  *totals)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (totals != NULL);

  memset (totals, 0, sizeof *totals);
  for (guint i = 0; i < self->months->len; i++)
    {
      const EscComplianceMonth *m = &g_array_index (self->months, EscComplianceMonth, i);

      for (guint s = 0; s < 3; s++)
        {
          totals->met[s] += m->met[s];
          totals->breached[s] += m->breached[s];
          totals->in_progress[s] += m->in_progress[s];
        }
    }
}

guint
esc_compliance_report_get_n_offenders (EscComplianceReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  sort_offenders (self);
  return self->offenders->len;
}

const EscComplianceOffender *
esc_compliance_report_get_offender (EscComplianceReport *self,
                                    guint                index)
{
  g_return_val_if_fail (self != NULL, NULL);

  sort_offenders (self);
  g_return_val_if_fail (index < self->offenders->len, NULL);
  return &g_array_index (self->offenders, EscComplianceOffender, index);
}

gint64
esc_compliance_report_get_now (EscComplianceReport *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->now;
}

const char *
esc_compliance_report_get_time_zone (EscComplianceReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return esc_calendar_get_time_zone (self->calendar);
}

const char *
esc_compliance_report_get_agreement (EscComplianceReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->agreement;
}

/**
 * esc_compliance_format_span:
 * @span: business time, microseconds
 *
 * Returns: (transfer full): the span in hours and minutes, rounded up to the
 *   minute ("26 h 05 min", "45 min")
 */
char *
esc_compliance_format_span (GTimeSpan span)
{
  gint64 minutes = (MAX (span, 0) + G_TIME_SPAN_MINUTE - 1) / G_TIME_SPAN_MINUTE;

  if (minutes < 60)
    /* Translators: a span of business time under an hour */
    return g_strdup_printf (_("%u min"), (guint)minutes);
  /* Translators: a span of business time: hours and minutes */
  return g_strdup_printf (_("%u h %02u min"), (guint)(minutes / 60), (guint)(minutes % 60));
}
