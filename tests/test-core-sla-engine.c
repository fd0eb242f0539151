/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-core-error.h"
#include "esc-sla-engine.h"

/* The SLA engine against hand-computed cases, and a property test over random
 * event sequences. The Paris office is open 09:00–12:00 and 13:00–18:00 on
 * weekdays, closed on Easter Monday 2024 (1 April); Paris moved to summer time
 * on 31 March 2024. */

#define H G_TIME_SPAN_HOUR
#define M G_TIME_SPAN_MINUTE

static const char agreement_json[] =
  "{\"title\": \"Support utilisateurs\", \"calendar_id\": \"paris\","
  " \"targets\": {"
  "  \"A\": {\"first_response_minutes\": 60, \"update_minutes\": 60, \"resolution_minutes\": 480, \"always_open\": true},"
  "  \"B\": {\"first_response_minutes\": 240, \"update_minutes\": 720, \"resolution_minutes\": 2400},"
  "  \"C\": {\"first_response_minutes\": 480, \"update_minutes\": 1440, \"resolution_minutes\": 4800}},"
  " \"pause_states\": [\"waiting-on-customer\", \"waiting-on-vendor\"],"
  " \"warnings\": [{\"percent\": 50, \"notify\": [\"partner-manager\"]},"
  "              {\"percent\": 75, \"notify\": [\"partner-manager\", \"it-admin\"]},"
  "              {\"percent\": 100, \"notify\": [\"it-admin\"]}],"
  " \"response_rule\": \"An engineer contacts the user and starts work.\","
  " \"response_events\": [\"responded\"]}";

static EscCalendar *
calendar_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  EscCalendar *calendar;

  g_assert_no_error (error);
  calendar = esc_calendar_new_from_json (node, &error);
  g_assert_no_error (error);
  return calendar;
}

static EscCalendar *
paris_office (void)
{
  return calendar_from_json (
    "{\"name\": \"Paris\", \"time_zone\": \"Europe/Paris\", \"week\": {"
    " \"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"tuesday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"wednesday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"thursday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"friday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}]},"
    " \"holidays\": [{\"date\": \"2024-04-01\", \"name\": \"Lundi de Pâques\"}]}");
}

static EscCalendar *
office (const char *zone,
        guint       open,
        guint       close)
{
  g_autoptr(EscCalendar) calendar = esc_calendar_new (zone, NULL);

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (esc_calendar_add_range (calendar, d, open * 60, close * 60, NULL));
  return g_steal_pointer (&calendar);
}

static EscSlaAgreementVersion *
agreement (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (agreement_json, &error);
  EscSlaAgreementVersion *version;

  g_assert_no_error (error);
  version = esc_sla_agreement_version_new_from_json (node, TRUE, &error);
  g_assert_no_error (error);
  return version;
}

static gint64
at (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return esc_calendar_usec_from_time (time);
}

static char *
fmt (gint64 usec)
{
  g_autoptr(GDateTime) time = esc_calendar_time_from_usec (usec);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

#define assert_time(usec, expected) G_STMT_START { \
  g_autofree char *text__ = fmt (usec); \
  g_assert_cmpstr (text__, ==, expected); \
} G_STMT_END

typedef struct
{
  EscSlaEventKind kind;
  const char *at;
  EscSupportSeverity severity;
  const char *state;
} Step;

static void
compute (EscCalendar  *calendar,
         const Step   *steps,
         guint         n,
         const char   *now,
         EscSlaResult *result)
{
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  g_autoptr(GError) error = NULL;
  EscSlaEvent events[16];
  EscSlaTerms terms;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (events));
  for (guint i = 0; i < n; i++)
    {
      events[i].kind = steps[i].kind;
      events[i].at = at (steps[i].at);
      events[i].severity = steps[i].severity;
      events[i].state = steps[i].state;
      events[i].terms = NULL;
      events[i].calendar = NULL;
    }
  esc_sla_terms_init_from_version (&terms, version);
  g_assert_true (esc_sla_engine_compute (&terms, calendar, events, n, at (now), result, &error));
  g_assert_no_error (error);
}

/* Severity C filed on Friday 7 June 2024 at 16:00 CEST (14:00Z): 2 h on
 * Friday, then Monday 09:00–12:00 and 13:00–16:00 make the 8 h. */
static void
test_weekend (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  const Step steps[] = { { ESC_SLA_EVENT_CREATED, "2024-06-07T14:00:00Z", ESC_SUPPORT_SEVERITY_C, NULL } };
  EscSlaResult r;
  EscSlaMetric *fr = &r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];

  compute (paris, steps, G_N_ELEMENTS (steps), "2024-06-10T10:00:00Z", &r);

  g_assert_cmpint (fr->state, ==, ESC_SLA_CLOCK_RUNNING);
  g_assert_cmpint (fr->target, ==, 8 * H);
  g_assert_cmpint (fr->elapsed, ==, 5 * H);
  g_assert_cmpint (fr->remaining, ==, 3 * H);
  g_assert_cmpint (fr->paused, ==, 0);
  g_assert_true (fr->has_due);
  assert_time (fr->due_at, "2024-06-10T14:00:00Z");
  g_assert_false (fr->breached);
  g_assert_cmpuint (fr->n_warnings, ==, 3);
  /* 50 % (4 h) on Monday at 11:00 CEST, 75 % (6 h) will be at 14:00 CEST after lunch */
  g_assert_true (fr->warning_known[0] && fr->warning_crossed[0]);
  assert_time (fr->warning_at[0], "2024-06-10T09:00:00Z");
  g_assert_true (fr->warning_known[1] && !fr->warning_crossed[1]);
  assert_time (fr->warning_at[1], "2024-06-10T12:00:00Z");
  assert_time (fr->warning_at[2], "2024-06-10T14:00:00Z");

  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_UPDATE].state, ==, ESC_SLA_CLOCK_NONE);
  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_RESOLUTION].target, ==, 80 * H);
  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_RESOLUTION].elapsed, ==, 5 * H);

  /* A weekend later, nothing more has counted than Monday's hours: breached at 16:00 CEST. */
  compute (paris, steps, G_N_ELEMENTS (steps), "2024-06-15T10:00:00Z", &r);
  g_assert_true (fr->breached);
  g_assert_true (fr->has_breached_at);
  assert_time (fr->breached_at, "2024-06-10T14:00:00Z");
  g_assert_cmpint (fr->elapsed, ==, 2 * H + 5 * 8 * H);
  g_assert_cmpint (fr->remaining, ==, 8 * H - fr->elapsed);
  assert_time (fr->due_at, "2024-06-10T14:00:00Z");
}

/* Severity B filed on Friday 29 March 2024 at 17:00 CET, before Easter Monday
 * and the change to summer time; responded on Tuesday at 11:30 CEST. */
static void
test_holiday_and_dst (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  const Step steps[] = {
    { ESC_SLA_EVENT_CREATED, "2024-03-29T16:00:00Z", ESC_SUPPORT_SEVERITY_B, NULL },
    { ESC_SLA_EVENT_RESPONDED, "2024-04-02T09:30:00Z", 0, NULL },
  };
  EscSlaResult r;
  EscSlaMetric *fr = &r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];
  EscSlaMetric *up = &r.metrics[ESC_SLA_METRIC_UPDATE];

  /* Before the response: 1 h on Friday, 1 h on Tuesday from 09:00 CEST */
  compute (paris, steps, 1, "2024-04-02T08:00:00Z", &r);
  g_assert_cmpint (fr->elapsed, ==, 2 * H);
  assert_time (fr->due_at, "2024-04-02T10:00:00Z");
  g_assert_true (fr->warning_crossed[0]);
  assert_time (fr->warning_at[0], "2024-04-02T08:00:00Z");
  g_assert_false (fr->warning_crossed[1]);
  assert_time (fr->warning_at[1], "2024-04-02T09:00:00Z");

  compute (paris, steps, 2, "2024-04-03T12:00:00Z", &r);
  g_assert_cmpint (fr->state, ==, ESC_SLA_CLOCK_STOPPED);
  g_assert_cmpint (fr->elapsed, ==, 3 * H + 30 * M);
  g_assert_false (fr->breached);
  g_assert_false (fr->has_due);
  assert_time (fr->stopped_at, "2024-04-02T09:30:00Z");
  g_assert_true (r.responded);
  /* The update clock from the response: 30 min + 5 h on Tuesday, 3 h + 1 h on Wednesday */
  g_assert_cmpint (up->state, ==, ESC_SLA_CLOCK_RUNNING);
  g_assert_cmpint (up->target, ==, 12 * H);
  g_assert_cmpint (up->elapsed, ==, 9 * H + 30 * M);
  assert_time (up->due_at, "2024-04-03T14:30:00Z");
  assert_time (up->started_at, "2024-04-02T09:30:00Z");
}

/* Severity C filed Monday 10 June 09:00 CEST; waiting on the customer from
 * 11:00; raised to B at 14:00 while paused; resumed Tuesday 10:00 CEST. */
static void
test_pause_across_severity_change (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  const Step steps[] = {
    { ESC_SLA_EVENT_CREATED, "2024-06-10T07:00:00Z", ESC_SUPPORT_SEVERITY_C, NULL },
    { ESC_SLA_EVENT_PAUSED, "2024-06-10T09:00:00Z", 0, "waiting-on-customer" },
    { ESC_SLA_EVENT_SEVERITY_CHANGED, "2024-06-10T12:00:00Z", ESC_SUPPORT_SEVERITY_B, NULL },
    { ESC_SLA_EVENT_RESUMED, "2024-06-11T08:00:00Z", 0, NULL },
  };
  EscSlaResult r;
  EscSlaMetric *fr = &r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];
  EscSlaMetric *res = &r.metrics[ESC_SLA_METRIC_RESOLUTION];

  /* Paused: the clock shows no due time, and paused time grows */
  compute (paris, steps, 3, "2024-06-10T14:00:00Z", &r);
  g_assert_true (r.paused);
  g_assert_cmpint (fr->state, ==, ESC_SLA_CLOCK_PAUSED);
  g_assert_false (fr->has_due);
  g_assert_cmpint (fr->elapsed, ==, 2 * H);
  g_assert_cmpint (fr->paused, ==, 4 * H);
  g_assert_cmpint (fr->target, ==, 4 * H);
  /* B's 50 % (2 h) was already used when the severity changed */
  g_assert_true (fr->warning_crossed[0]);
  assert_time (fr->warning_at[0], "2024-06-10T12:00:00Z");
  g_assert_false (fr->warning_known[1]);

  compute (paris, steps, 4, "2024-06-11T09:00:00Z", &r);
  g_assert_false (r.paused);
  g_assert_cmpint (r.severity, ==, ESC_SUPPORT_SEVERITY_B);
  g_assert_cmpint (fr->state, ==, ESC_SLA_CLOCK_RUNNING);
  g_assert_cmpint (fr->elapsed, ==, 3 * H);
  g_assert_cmpint (fr->paused, ==, 7 * H);
  g_assert_cmpint (fr->remaining, ==, 1 * H);
  assert_time (fr->due_at, "2024-06-11T10:00:00Z");
  g_assert_true (fr->warning_crossed[1]);
  assert_time (fr->warning_at[1], "2024-06-11T09:00:00Z");
  /* The resolution clock kept its paused time through the change too */
  g_assert_cmpint (res->target, ==, 40 * H);
  g_assert_cmpint (res->elapsed, ==, 3 * H);
  g_assert_cmpint (res->paused, ==, 7 * H);

  /* A waiting state the agreement does not list does not pause. */
  {
    Step other[G_N_ELEMENTS (steps)];

    memcpy (other, steps, sizeof steps);
    other[1].state = "mitigated";
    compute (paris, other, 4, "2024-06-11T09:00:00Z", &r);
    g_assert_cmpint (fr->paused, ==, 0);
    g_assert_true (fr->breached);
    /* 4 h of B: 09:00–12:00, 13:00–14:00 on Monday, reached when the severity changed */
    assert_time (fr->breached_at, "2024-06-10T12:00:00Z");
  }
}

/* Severity A (24×7) filed on a Saturday; responded, resolved, reopened on Sunday. */
static void
test_reopen (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  const Step steps[] = {
    { ESC_SLA_EVENT_CREATED, "2024-06-08T10:00:00Z", ESC_SUPPORT_SEVERITY_A, NULL },
    { ESC_SLA_EVENT_RESPONDED, "2024-06-08T10:30:00Z", 0, NULL },
    { ESC_SLA_EVENT_RESOLVED, "2024-06-08T12:00:00Z", 0, NULL },
    { ESC_SLA_EVENT_UPDATED, "2024-06-08T13:00:00Z", 0, NULL },  /* ignored: resolved */
    { ESC_SLA_EVENT_REOPENED, "2024-06-09T10:00:00Z", 0, NULL },
  };
  EscSlaResult r;
  EscSlaMetric *fr = &r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];
  EscSlaMetric *up = &r.metrics[ESC_SLA_METRIC_UPDATE];
  EscSlaMetric *res = &r.metrics[ESC_SLA_METRIC_RESOLUTION];

  compute (paris, steps, 3, "2024-06-08T20:00:00Z", &r);
  g_assert_true (r.resolved);
  g_assert_cmpint (res->state, ==, ESC_SLA_CLOCK_STOPPED);
  g_assert_cmpint (res->elapsed, ==, 2 * H);
  g_assert_cmpint (fr->elapsed, ==, 30 * M);
  g_assert_false (fr->breached);
  /* The update interval from 10:30 to 12:00 went past its hour at 11:30 */
  g_assert_cmpint (up->breaches, ==, 1);
  assert_time (up->breached_at, "2024-06-08T11:30:00Z");

  compute (paris, steps, G_N_ELEMENTS (steps), "2024-06-09T13:00:00Z", &r);
  g_assert_false (r.resolved);
  g_assert_cmpint (res->state, ==, ESC_SLA_CLOCK_RUNNING);
  g_assert_cmpint (res->elapsed, ==, 5 * H);
  assert_time (res->due_at, "2024-06-09T16:00:00Z");
  g_assert_cmpint (fr->state, ==, ESC_SLA_CLOCK_STOPPED);
  g_assert_cmpint (up->state, ==, ESC_SLA_CLOCK_RUNNING);
  assert_time (up->started_at, "2024-06-09T10:00:00Z");
  g_assert_cmpint (up->elapsed, ==, 3 * H);
  g_assert_cmpint (up->remaining, ==, -2 * H);
  g_assert_cmpint (up->breaches, ==, 2);
  g_assert_true (up->breached);
  assert_time (up->breached_at, "2024-06-09T11:00:00Z");
  assert_time (up->due_at, "2024-06-09T11:00:00Z");
}

/* The changes of America/New_York and America/Los_Angeles, in offices. */
static void
test_american_dst (void)
{
  g_autoptr(EscCalendar) new_york = office ("America/New_York", 8, 17);
  g_autoptr(EscCalendar) los_angeles = office ("America/Los_Angeles", 9, 17);
  const Step ny[] = { { ESC_SLA_EVENT_CREATED, "2024-03-08T20:00:00Z", ESC_SUPPORT_SEVERITY_B, NULL } };
  const Step la[] = { { ESC_SLA_EVENT_CREATED, "2024-11-01T20:00:00Z", ESC_SUPPORT_SEVERITY_C, NULL } };
  const Step la_spring[] = { { ESC_SLA_EVENT_CREATED, "2024-03-08T23:00:00Z", ESC_SUPPORT_SEVERITY_B, NULL } };
  EscSlaResult r;
  EscSlaMetric *fr = &r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];

  /* Friday 15:00 EST: 2 h, then Monday 08:00 EDT (12:00Z) + 2 h */
  compute (new_york, ny, 1, "2024-03-09T12:00:00Z", &r);
  assert_time (fr->due_at, "2024-03-11T14:00:00Z");
  /* Friday 13:00 PDT: 4 h, then Monday 09:00 PST (17:00Z) + 4 h */
  compute (los_angeles, la, 1, "2024-11-02T12:00:00Z", &r);
  assert_time (fr->due_at, "2024-11-04T21:00:00Z");
  /* 50 % was used up at Friday's closing */
  assert_time (fr->warning_at[0], "2024-11-02T00:00:00Z");
  assert_time (fr->warning_at[1], "2024-11-04T19:00:00Z");
  /* Friday 15:00 PST: 2 h, then Monday 09:00 PDT (16:00Z) + 2 h */
  compute (los_angeles, la_spring, 1, "2024-03-09T12:00:00Z", &r);
  assert_time (fr->due_at, "2024-03-11T18:00:00Z");
}

/* A C ticket in Paris, waiting on the customer when another agreement
 * applies: 10 h in a New York office from then on. Elapsed and paused time
 * are kept; the clocks continue in the new calendar with the new targets. */
static void
test_agreement_change (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscCalendar) new_york = office ("America/New_York", 8, 17);
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  g_autoptr(GError) error = NULL;
  EscSlaTerms terms, next = { { { 0 } } };
  EscSlaEvent events[] = {
    { ESC_SLA_EVENT_CREATED, at ("2024-06-10T07:00:00Z"), ESC_SUPPORT_SEVERITY_C, NULL, NULL, NULL },
    { ESC_SLA_EVENT_PAUSED, at ("2024-06-10T09:00:00Z"), 0, "waiting-on-customer", NULL, NULL },
    { ESC_SLA_EVENT_AGREEMENT_CHANGED, at ("2024-06-10T12:00:00Z"), 0, NULL, &next, new_york },
    { ESC_SLA_EVENT_RESUMED, at ("2024-06-11T13:00:00Z"), 0, NULL, NULL, NULL },
  };
  EscSlaResult r;
  EscSlaMetric *fr = &r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE];

  esc_sla_terms_init_from_version (&terms, version);
  for (guint s = 0; s < 3; s++)
    next.targets[s][ESC_SLA_METRIC_FIRST_RESPONSE] = 10 * H;
  next.percents[0] = 50;
  next.n_percents = 1;
  next.response_events = 1u << ESC_SLA_EVENT_RESPONDED;
  next.pause_states = esc_sla_agreement_version_get_pause_states (version);

  g_assert_true (esc_sla_engine_compute (&terms, paris, events, G_N_ELEMENTS (events),
                                         at ("2024-06-11T15:00:00Z"), &r, &error));
  g_assert_no_error (error);
  /* 2 h in Paris before the pause, 2 h in New York after it */
  g_assert_cmpint (fr->target, ==, 10 * H);
  g_assert_cmpint (fr->elapsed, ==, 4 * H);
  /* Paused 2 h of Paris hours, then 9 h on Monday and 1 h on Tuesday in New York */
  g_assert_cmpint (fr->paused, ==, 12 * H);
  assert_time (fr->due_at, "2024-06-11T21:00:00Z");
  g_assert_cmpuint (fr->n_warnings, ==, 1);
  g_assert_true (fr->warning_known[0] && !fr->warning_crossed[0]);
  assert_time (fr->warning_at[0], "2024-06-11T16:00:00Z");
  /* The resolution clock has no target in the new terms */
  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_RESOLUTION].state, ==, ESC_SLA_CLOCK_NONE);

  /* An agreement change without its terms is refused */
  events[2].terms = NULL;
  g_assert_false (esc_sla_engine_compute (&terms, paris, events, G_N_ELEMENTS (events),
                                          at ("2024-06-11T15:00:00Z"), &r, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
}

/* What counts as a response is the agreement's: here, "resolved" does too. */
static void
test_response_rule (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  const EscSlaEventKind counts[] = { ESC_SLA_EVENT_RESPONDED, ESC_SLA_EVENT_RESOLVED };
  EscSlaEvent events[] = {
    { ESC_SLA_EVENT_CREATED, at ("2024-06-10T07:00:00Z"), ESC_SUPPORT_SEVERITY_C, NULL, NULL, NULL },
    { ESC_SLA_EVENT_UPDATED, at ("2024-06-10T08:00:00Z"), 0, NULL, NULL, NULL },
    { ESC_SLA_EVENT_RESOLVED, at ("2024-06-10T09:00:00Z"), 0, NULL, NULL, NULL },
  };
  EscSlaTerms terms;
  EscSlaResult r;

  esc_sla_terms_init_from_version (&terms, version);
  g_assert_true (esc_sla_engine_compute (&terms, paris, events, 3, at ("2024-06-10T10:00:00Z"), &r, NULL));
  /* "updated" does not count: stopped by the resolution without a response */
  g_assert_false (r.responded);
  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE].state, ==, ESC_SLA_CLOCK_STOPPED);
  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_UPDATE].state, ==, ESC_SLA_CLOCK_NONE);

  esc_sla_agreement_version_set_response_events (version, counts, G_N_ELEMENTS (counts));
  esc_sla_terms_init_from_version (&terms, version);
  g_assert_true (esc_sla_engine_compute (&terms, paris, events, 3, at ("2024-06-10T10:00:00Z"), &r, NULL));
  g_assert_true (r.responded);
  g_assert_cmpint (r.metrics[ESC_SLA_METRIC_FIRST_RESPONSE].elapsed, ==, 2 * H);
}

static void
test_bad_histories (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  const struct {
    EscSlaEvent events[3];
    guint n;
    const char *message;
  } cases[] = {
    { { { 0 } }, 0, "Event 1" },
    { { { ESC_SLA_EVENT_RESPONDED, 0, 0, NULL } }, 1, "Event 1" },
    { { { ESC_SLA_EVENT_CREATED, 100, 0, NULL }, { ESC_SLA_EVENT_CREATED, 200, 0, NULL } }, 2, "Event 2" },
    { { { ESC_SLA_EVENT_CREATED, 100, 0, NULL }, { ESC_SLA_EVENT_UPDATED, 50, 0, NULL } }, 2, "Event 2" },
    { { { ESC_SLA_EVENT_CREATED, 100, 0, NULL }, { ESC_SLA_EVENT_UPDATED, 2000, 0, NULL } }, 2, "Event 2" },
    { { { ESC_SLA_EVENT_CREATED, 100, 7, NULL } }, 1, "Event 1" },
  };
  EscSlaTerms terms;

  esc_sla_terms_init_from_version (&terms, version);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      EscSlaResult r;

      g_assert_false (esc_sla_engine_compute (&terms, paris, cases[i].events, cases[i].n, 1000, &r, &error));
      g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
    }
}

/* Random histories: the invariants hold, and the resolution clock agrees with
 * a plain replay that counts calendar time only while open and not paused. */
static void
test_random_histories (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscCalendar) night = esc_calendar_new ("America/New_York", NULL);
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (1111);
  static const char * const states[] = { "waiting-on-customer", "waiting-on-vendor", "in-progress" };
  EscCalendar *calendars[2];
  EscSlaTerms terms;

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    g_assert_true (esc_calendar_add_range (night, d, 0, 4 * 60, NULL));
  calendars[0] = paris;
  calendars[1] = night;
  esc_sla_terms_init_from_version (&terms, version);

  for (guint round = 0; round < 400; round++)
    {
      EscCalendar *calendar = calendars[round % 2];
      EscSlaEvent events[12] = { { 0 } };
      guint n = (guint)g_rand_int_range (rand, 1, G_N_ELEMENTS (events) + 1);
      gint64 t = at ("2024-03-20T00:00:00Z") + (gint64)g_rand_int_range (rand, 0, 240 * 24 * 60) * M;
      EscSlaResult previous = { 0 };

      for (guint i = 0; i < n; i++)
        {
          events[i].kind = i == 0 ? ESC_SLA_EVENT_CREATED
                                  : (EscSlaEventKind)g_rand_int_range (rand, ESC_SLA_EVENT_RESPONDED,
                                                                       ESC_SLA_EVENT_REOPENED + 1);
          events[i].severity = (EscSupportSeverity)g_rand_int_range (rand, 0, 3);
          events[i].state = states[g_rand_int_range (rand, 0, 3)];
          events[i].terms = NULL;
          events[i].calendar = NULL;
          if (i > 0)
            t += (gint64)g_rand_int_range (rand, 0, 3 * 24 * 60) * M;
          events[i].at = t;
        }

      /* Computed at ten moments after the last event */
      for (guint step = 0; step < 10; step++)
        {
          gint64 now = t + (gint64)step * 7 * H;
          EscSlaResult r;
          GTimeSpan expected_elapsed = 0, expected_paused = 0;
          gboolean paused = FALSE, resolved = FALSE;
          EscSupportSeverity severity = events[0].severity;

          g_assert_true (esc_sla_engine_compute (&terms, calendar, events, n, now, &r, NULL));

          for (guint k = 0; k < ESC_SLA_N_METRICS; k++)
            {
              EscSlaMetric *m = &r.metrics[k];

              if (m->target > 0)
                g_assert_cmpint (m->elapsed + m->remaining, ==, m->target);
              g_assert_cmpint (m->elapsed, >=, 0);
              g_assert_cmpint (m->paused, >=, 0);
              g_assert_cmpint (m->breached, ==, m->breaches > 0);
              if (m->state == ESC_SLA_CLOCK_RUNNING && m->has_due)
                g_assert_cmpint (m->due_at, >=, m->remaining > 0 ? now : G_MININT64);
              if (m->state == ESC_SLA_CLOCK_PAUSED)
                g_assert_true (r.paused && !m->has_due);
              for (guint i = 0; i < m->n_warnings; i++)
                {
                  if (m->warning_crossed[i])
                    g_assert_cmpint (m->warning_at[i], <=, now);
                  else if (m->warning_known[i])
                    g_assert_cmpint (m->warning_at[i], >, now);
                }
              if (k == ESC_SLA_METRIC_UPDATE)
                continue;  /* restarts */
              if (step > 0)
                {
                  g_assert_cmpint (m->elapsed, >=, previous.metrics[k].elapsed);
                  g_assert_cmpint (m->paused, >=, previous.metrics[k].paused);
                }
            }

          /* The plain replay of the resolution clock */
          for (guint i = 0; i < n; i++)
            {
              gint64 end = i + 1 < n ? events[i + 1].at : now;
              EscCalendar *c = severity == ESC_SUPPORT_SEVERITY_A ? esc_sla_engine_calendar_24x7 () : calendar;
              GTimeSpan span;

              if (events[i].kind == ESC_SLA_EVENT_SEVERITY_CHANGED && !resolved)
                severity = events[i].severity;
              else if (events[i].kind == ESC_SLA_EVENT_PAUSED && !resolved &&
                       g_strcmp0 (events[i].state, "in-progress") != 0)
                paused = TRUE;
              else if (events[i].kind == ESC_SLA_EVENT_RESUMED && !resolved)
                paused = FALSE;
              else if (events[i].kind == ESC_SLA_EVENT_RESOLVED && !resolved)
                resolved = TRUE, paused = FALSE;
              else if (events[i].kind == ESC_SLA_EVENT_REOPENED && resolved)
                resolved = FALSE;

              c = severity == ESC_SUPPORT_SEVERITY_A ? esc_sla_engine_calendar_24x7 () : calendar;
              span = esc_calendar_elapsed_usec (c, events[i].at, end);
              if (resolved)
                continue;
              if (paused)
                expected_paused += span;
              else
                expected_elapsed += span;
            }
          g_assert_cmpint (r.metrics[ESC_SLA_METRIC_RESOLUTION].elapsed, ==, expected_elapsed);
          g_assert_cmpint (r.metrics[ESC_SLA_METRIC_RESOLUTION].paused, ==, expected_paused);
          g_assert_cmpint (r.severity, ==, severity);
          g_assert_cmpint (r.resolved, ==, resolved);
          g_assert_cmpint (r.paused, ==, paused);

          previous = r;
        }
    }
}

static void
test_agreement_json (void)
{
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  g_autoptr(EscSlaAgreementVersion) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  const EscSlaWarning *warnings;
  guint n;

  esc_sla_agreement_version_set_agreement_id (version, "sla-1");
  esc_sla_agreement_version_set_version (version, 2);
  esc_sla_agreement_version_set_state (version, ESC_SLA_VERSION_AGREED);
  node = esc_sla_agreement_version_to_json (version);
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"state\":\"agreed\""));
  g_assert_nonnull (strstr (text, "\"B\":{\"first_response_minutes\":240,\"update_minutes\":720,"
                                  "\"resolution_minutes\":2400,\"always_open\":false}"));
  g_assert_nonnull (strstr (text, "\"accepted_by_it_admin\":null"));

  /* A full version reads back the same; as a draft body its service members are refused */
  again = esc_sla_agreement_version_new_from_json (node, FALSE, &error);
  g_assert_no_error (error);
  node2 = esc_sla_agreement_version_to_json (again);
  text2 = json_to_string (node2, FALSE);
  g_assert_cmpstr (text, ==, text2);
  g_clear_object (&again);
  again = esc_sla_agreement_version_new_from_json (node, TRUE, &error);
  g_assert_null (again);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  warnings = esc_sla_agreement_version_get_warnings (version, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (warnings[1].percent, ==, 75);
  g_assert_cmpstr (warnings[1].notify[1], ==, "it-admin");
  g_assert_true (esc_sla_agreement_version_pauses_in (version, "waiting-on-vendor"));
  g_assert_false (esc_sla_agreement_version_pauses_in (version, "in-progress"));
  g_assert_true (esc_sla_agreement_version_get_targets (version, ESC_SUPPORT_SEVERITY_A)->always_open);

  /* Defaults of a new draft */
  {
    g_autoptr(EscSlaAgreementVersion) fresh = esc_sla_agreement_version_new ();

    warnings = esc_sla_agreement_version_get_warnings (fresh, &n);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpuint (warnings[0].percent, ==, 50);
    g_assert_cmpuint (warnings[2].percent, ==, 100);
    g_assert_true (esc_sla_agreement_version_counts_as_response (fresh, ESC_SLA_EVENT_RESPONDED));
    g_assert_false (esc_sla_agreement_version_counts_as_response (fresh, ESC_SLA_EVENT_UPDATED));
    g_assert_cmpint (esc_sla_agreement_version_get_state (fresh), ==, ESC_SLA_VERSION_DRAFT);
  }
}

/* The member named in an error, as a JSON pointer, in English and in French. */
static void
test_error_pointer (void)
{
  static const struct { const char *message; const char *pointer; } cases[] = {
    { "“week.monday[1].end”: not a time from 00:01 to 24:00", "/week/monday/1/end" },
    { "« week.monday[1].end » : pas une heure de 00:01 à 24:00", "/week/monday/1/end" },
    { "« time_zone » n’est pas un fuseau horaire connu (un nom IANA comme « Europe/Paris »)", "/time_zone" },
    { "“targets.B.update_minutes”: not between 0 and 527040 minutes", "/targets/B/update_minutes" },
    { "Event 2: a ticket is created once", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                                                     cases[i].message);
      g_autofree char *pointer = esc_sla_error_dup_pointer (error);

      g_assert_cmpstr (pointer, ==, cases[i].pointer);
    }
}

static void
test_agreement_json_errors (void)
{
  static const struct {
    const char *json;
    const char *field;
  } cases[] = {
    { "{\"targets\": {}}", "“calendar_id”" },
    { "{\"calendar_id\": \"x\"}", "“targets”" },
    { "{\"calendar_id\": \"x\", \"targets\": {\"D\": {}}}", "“targets.D”" },
    { "{\"calendar_id\": \"x\", \"targets\": {\"B\": {\"update_minutes\": -1}}}", "“targets.B.update_minutes”" },
    { "{\"calendar_id\": \"x\", \"targets\": {\"B\": {\"update_minutes\": 1.5}}}", "“targets.B.update_minutes”" },
    { "{\"calendar_id\": \"x\", \"targets\": {\"C\": {\"always_open\": 1}}}", "“targets.C.always_open”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"warnings\": [{\"percent\": 75}, {\"percent\": 50}]}",
      "“warnings[1].percent”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"warnings\": [{\"percent\": 0}]}", "“warnings[0].percent”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"warnings\": [{\"percent\": 50, \"notify\": [\"\"]}]}",
      "“warnings[0].notify[0]”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"response_events\": [\"created\"]}", "“response_events[0]”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"response_events\": []}", "“response_events”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"pause_states\": \"waiting\"}", "“pause_states”" },
    { "{\"calendar_id\": \"x\", \"targets\": {}, \"state\": \"agreed\"}", "“state”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(EscSlaAgreementVersion) version = esc_sla_agreement_version_new_from_json (node, TRUE, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_null (version);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].field) == NULL)
        g_error ("“%s” does not name %s", error->message, cases[i].field);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sla-engine/weekend", test_weekend);
  g_test_add_func ("/core/sla-engine/holiday-and-dst", test_holiday_and_dst);
  g_test_add_func ("/core/sla-engine/pause-across-severity-change", test_pause_across_severity_change);
  g_test_add_func ("/core/sla-engine/reopen", test_reopen);
  g_test_add_func ("/core/sla-engine/american-dst", test_american_dst);
  g_test_add_func ("/core/sla-engine/agreement-change", test_agreement_change);
  g_test_add_func ("/core/sla-engine/response-rule", test_response_rule);
  g_test_add_func ("/core/sla-engine/bad-histories", test_bad_histories);
  g_test_add_func ("/core/sla-engine/random-histories", test_random_histories);
  g_test_add_func ("/core/sla-engine/agreement-json", test_agreement_json);
  g_test_add_func ("/core/sla-engine/agreement-json-errors", test_agreement_json_errors);
  g_test_add_func ("/core/sla-engine/error-pointer", test_error_pointer);

  return g_test_run ();
}
