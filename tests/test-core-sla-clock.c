/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-sla-clock.h"

/* The response clock of the list: words, levels and when the words change. */

static GDateTime *
parse (const char *text)
{
  GDateTime *time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return time;
}

static void
assert_span (GTimeSpan   span,
             const char *expected)
{
  g_autofree char *text = esc_sla_clock_format_span (span);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_span (void)
{
  assert_span (0, "less than 1 min");
  assert_span (59 * G_TIME_SPAN_SECOND, "less than 1 min");
  assert_span (G_TIME_SPAN_MINUTE, "1 min");
  assert_span (40 * G_TIME_SPAN_MINUTE + 59 * G_TIME_SPAN_SECOND, "40 min");
  assert_span (-40 * G_TIME_SPAN_MINUTE, "40 min");
  assert_span (G_TIME_SPAN_HOUR, "1 h");
  assert_span (2 * G_TIME_SPAN_HOUR + 15 * G_TIME_SPAN_MINUTE, "2 h 15 min");
  assert_span (23 * G_TIME_SPAN_HOUR + 59 * G_TIME_SPAN_MINUTE, "23 h 59 min");
  assert_span (G_TIME_SPAN_DAY, "1 day");
  assert_span (G_TIME_SPAN_DAY + 30 * G_TIME_SPAN_MINUTE, "1 day");
  assert_span (3 * G_TIME_SPAN_DAY + 4 * G_TIME_SPAN_HOUR + 59 * G_TIME_SPAN_MINUTE, "3 days 4 h");
  assert_span (-400 * G_TIME_SPAN_DAY, "400 days");
}

typedef struct
{
  const char             *now;
  const char             *created;    /* nullable */
  const char             *due;        /* nullable */
  EscSupportRequestState  state;
  EscSlaLevel             level;
  const char             *text;       /* nullable */
  GTimeSpan               remaining;
} ClockCase;

static void
test_compute (void)
{
  /* Severity B: filed at 09:00, response due at 13:00 (4 h); 25 % = 1 h. */
  static const ClockCase cases[] = {
    { "2024-05-06T09:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OK, "4 h left", 4 * G_TIME_SPAN_HOUR },
    { "2024-05-06T10:45:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OK, "2 h 15 min left",
      2 * G_TIME_SPAN_HOUR + 15 * G_TIME_SPAN_MINUTE },
    { "2024-05-06T11:59:59Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OK, "1 h left",
      G_TIME_SPAN_HOUR + G_TIME_SPAN_SECOND },
    /* exactly 25 % left: warning */
    { "2024-05-06T12:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_WARNING, "1 h left", G_TIME_SPAN_HOUR },
    { "2024-05-06T12:59:30Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_WARNING, "less than 1 min left",
      30 * G_TIME_SPAN_SECOND },
    /* due now: late */
    { "2024-05-06T13:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OVERDUE, "Overdue by less than 1 min", 0 },
    { "2024-05-06T13:40:10Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OVERDUE, "Overdue by 40 min",
      -(40 * G_TIME_SPAN_MINUTE + 10 * G_TIME_SPAN_SECOND) },
    { "2024-05-08T15:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OVERDUE, "Overdue by 2 days 2 h",
      -(2 * G_TIME_SPAN_DAY + 2 * G_TIME_SPAN_HOUR) },
    /* Over a weekend (admin hours): due Monday, far ahead, still OK */
    { "2024-05-10T23:00:00Z", "2024-05-10T20:00:00Z", "2024-05-13T05:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OK, "2 days 6 h left",
      2 * G_TIME_SPAN_DAY + 6 * G_TIME_SPAN_HOUR },
    /* No creation time: no warning level, still the words */
    { "2024-05-06T12:59:00Z", NULL, "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OK, "1 min left", G_TIME_SPAN_MINUTE },
    /* Created after due (garbled): no warning */
    { "2024-05-06T12:59:00Z", "2024-05-06T14:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_OK, "1 min left", G_TIME_SPAN_MINUTE },
    /* Responded, or done: no clock, even late */
    { "2024-05-06T14:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS, ESC_SLA_LEVEL_NONE, NULL, 0 },
    { "2024-05-06T14:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER, ESC_SLA_LEVEL_NONE, NULL, 0 },
    { "2024-05-06T14:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_MITIGATED, ESC_SLA_LEVEL_NONE, NULL, 0 },
    { "2024-05-06T14:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_RESOLVED, ESC_SLA_LEVEL_NONE, NULL, 0 },
    { "2024-05-06T14:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T13:00:00Z",
      ESC_SUPPORT_REQUEST_STATE_CLOSED, ESC_SLA_LEVEL_NONE, NULL, 0 },
    /* No due time */
    { "2024-05-06T14:00:00Z", "2024-05-06T09:00:00Z", NULL,
      ESC_SUPPORT_REQUEST_STATE_NEW, ESC_SLA_LEVEL_NONE, NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ClockCase *c = &cases[i];
      g_autoptr(GDateTime) now = parse (c->now);
      g_autoptr(GDateTime) created = c->created != NULL ? parse (c->created) : NULL;
      g_autoptr(GDateTime) due = c->due != NULL ? parse (c->due) : NULL;
      g_autofree char *text = NULL;
      GTimeSpan remaining = 1;
      EscSlaLevel level;

      g_test_message ("case %u: %s", i, c->now);
      level = esc_sla_clock_compute (now, created, due, c->state, &remaining, &text);
      g_assert_cmpint (level, ==, c->level);
      g_assert_cmpstr (text, ==, c->text);
      g_assert_cmpint (remaining, ==, c->remaining);

      /* The outputs are optional */
      g_assert_cmpint (esc_sla_clock_compute (now, created, due, c->state, NULL, NULL), ==, c->level);
    }
}

/* Time zones do not matter: the same instants give the same clock. */
static void
test_time_zones (void)
{
  g_autoptr(GDateTime) now = parse ("2024-05-06T12:45:00+02:00");
  g_autoptr(GDateTime) created = parse ("2024-05-06T09:00:00Z");
  g_autoptr(GDateTime) due = parse ("2024-05-06T13:00:00Z");
  g_autofree char *text = NULL;

  g_assert_cmpint (esc_sla_clock_compute (now, created, due, ESC_SUPPORT_REQUEST_STATE_NEW,
                                          NULL, &text), ==, ESC_SLA_LEVEL_OK);
  g_assert_cmpstr (text, ==, "2 h 15 min left");
}

static void
test_next_change (void)
{
  /* 2 h 15 min 20 s left: "2 h 15 min" for 20 s more */
  g_assert_cmpint (esc_sla_clock_next_change (2 * G_TIME_SPAN_HOUR + 15 * G_TIME_SPAN_MINUTE +
                                              20 * G_TIME_SPAN_SECOND), ==, 20 * G_TIME_SPAN_SECOND);
  /* On a minute: changes at once, but a timer waits at least a second */
  g_assert_cmpint (esc_sla_clock_next_change (15 * G_TIME_SPAN_MINUTE), ==, G_TIME_SPAN_SECOND);
  /* 40 min 10 s late: "40 min" for 50 s more */
  g_assert_cmpint (esc_sla_clock_next_change (-(40 * G_TIME_SPAN_MINUTE + 10 * G_TIME_SPAN_SECOND)),
                   ==, 50 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (esc_sla_clock_next_change (0), ==, G_TIME_SPAN_MINUTE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/sla-clock/format-span", test_format_span);
  g_test_add_func ("/core/sla-clock/compute", test_compute);
  g_test_add_func ("/core/sla-clock/time-zones", test_time_zones);
  g_test_add_func ("/core/sla-clock/next-change", test_next_change);

  return g_test_run ();
}
