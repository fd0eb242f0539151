/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-admin-hours.h"

/* Admin support hours: 24 hours a day, Monday to Friday, UTC. 2024-05-06 is
 * a Monday; 2024-05-10 a Friday; 2024-05-11/12 the weekend. */

static GDateTime *
parse (const char *text)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_utc (time);
}

static char *
format (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static void
assert_add (const char  *start,
            GTimeSpan    span,
            EscCoverage  coverage,
            const char  *expected)
{
  g_autoptr(GDateTime) from = parse (start);
  g_autoptr(GDateTime) due = esc_admin_hours_add (from, span, coverage);
  g_autofree char *text = format (due);

  g_test_message ("%s + %" G_GINT64_FORMAT " min (%s) = %s", start, span / G_TIME_SPAN_MINUTE,
                  esc_coverage_to_string (coverage), text);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpint (g_date_time_get_utc_offset (due), ==, 0);
}

static void
test_round_the_clock (void)
{
  assert_add ("2024-05-10T23:30:00Z", G_TIME_SPAN_HOUR, ESC_COVERAGE_24X7, "2024-05-11T00:30:00Z");
  assert_add ("2024-05-11T12:00:00Z", 4 * G_TIME_SPAN_HOUR, ESC_COVERAGE_24X7, "2024-05-11T16:00:00Z");
  assert_add ("2024-05-11T12:00:00Z", 0, ESC_COVERAGE_24X7, "2024-05-11T12:00:00Z");
}

static void
test_weekdays (void)
{
  /* Within a day, across midnight, across several days. */
  assert_add ("2024-05-06T09:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-06T17:00:00Z");
  assert_add ("2024-05-07T20:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-08T04:00:00Z");
  assert_add ("2024-05-06T00:00:00Z", 4 * G_TIME_SPAN_DAY, ESC_COVERAGE_ADMIN_HOURS, "2024-05-10T00:00:00Z");
  /* Seconds are kept. */
  assert_add ("2024-05-08T10:15:42Z", 4 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-08T14:15:42Z");
}

static void
test_friday_evening (void)
{
  /* Severity C filed Friday 20:00: 4 hours on Friday, 4 on Monday. */
  assert_add ("2024-05-10T20:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T04:00:00Z");
  /* Severity B filed Friday 23:00: 1 hour on Friday, 3 on Monday. */
  assert_add ("2024-05-10T23:00:00Z", 4 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T03:00:00Z");
  /* Exactly used up at the end of Friday: due then, not on Monday. */
  assert_add ("2024-05-10T16:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-11T00:00:00Z");
  /* One second before the weekend */
  assert_add ("2024-05-10T23:59:59Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T07:59:59Z");
}

static void
test_weekend (void)
{
  /* Filed at a weekend: the clock starts on Monday 00:00. */
  assert_add ("2024-05-11T00:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T08:00:00Z");
  assert_add ("2024-05-11T10:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T08:00:00Z");
  assert_add ("2024-05-12T23:59:59Z", 4 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T04:00:00Z");
  assert_add ("2024-05-12T12:00:00Z", 0, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T00:00:00Z");
  /* Monday 00:00 is a working instant. */
  assert_add ("2024-05-13T00:00:00Z", 0, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T00:00:00Z");
}

static void
test_long_spans (void)
{
  /* Six working days from a Wednesday noon: Wed, Thu, Fri, Mon, Tue, Wed noon (+2 weekend days). */
  assert_add ("2024-05-08T12:00:00Z", 6 * G_TIME_SPAN_DAY, ESC_COVERAGE_ADMIN_HOURS, "2024-05-16T12:00:00Z");
  /* Two full working weeks from Monday 00:00 end on the second Saturday 00:00. */
  assert_add ("2024-05-06T00:00:00Z", 10 * G_TIME_SPAN_DAY, ESC_COVERAGE_ADMIN_HOURS, "2024-05-18T00:00:00Z");
  /* Across a month and a year end (2024-12-31 is a Tuesday, 2025-01-03 a Friday). */
  assert_add ("2024-12-31T22:00:00Z", 4 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2025-01-01T02:00:00Z");
  assert_add ("2025-01-03T22:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2025-01-06T06:00:00Z");
}

static void
test_time_zones (void)
{
  /* Friday 23:00 in Paris (UTC+2 in May) is Friday 21:00 UTC: the week is UTC's. */
  assert_add ("2024-05-10T23:00:00+02:00", 4 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T01:00:00Z");
  /* Saturday 01:00 in Paris is still Friday 23:00 UTC. */
  assert_add ("2024-05-11T01:00:00+02:00", 2 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-05-13T01:00:00Z");
  /* The DST change in Europe (last Sunday of March) changes nothing in UTC. */
  assert_add ("2024-03-29T20:00:00Z", 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS, "2024-04-01T04:00:00Z");
}

static void
test_contains (void)
{
  const struct {
    const char *time;
    gboolean    contained;
  } cases[] = {
    { "2024-05-06T00:00:00Z", TRUE },
    { "2024-05-10T23:59:59Z", TRUE },
    { "2024-05-11T00:00:00Z", FALSE },
    { "2024-05-12T23:59:59Z", FALSE },
    { "2024-05-11T01:00:00+02:00", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) time = parse (cases[i].time);

      g_assert_cmpint (esc_admin_hours_contains (time), ==, cases[i].contained);
    }
}

static void
assert_elapsed (const char  *from,
                const char  *to,
                EscCoverage  coverage,
                GTimeSpan    expected)
{
  g_autoptr(GDateTime) a = parse (from);
  g_autoptr(GDateTime) b = parse (to);

  g_assert_cmpint (esc_admin_hours_elapsed (a, b, coverage), ==, expected);
}

static void
test_elapsed (void)
{
  assert_elapsed ("2024-05-10T20:00:00Z", "2024-05-13T04:00:00Z", ESC_COVERAGE_ADMIN_HOURS, 8 * G_TIME_SPAN_HOUR);
  assert_elapsed ("2024-05-10T20:00:00Z", "2024-05-13T04:00:00Z", ESC_COVERAGE_24X7, 56 * G_TIME_SPAN_HOUR);
  assert_elapsed ("2024-05-11T10:00:00Z", "2024-05-12T10:00:00Z", ESC_COVERAGE_ADMIN_HOURS, 0);
  assert_elapsed ("2024-05-13T04:00:00Z", "2024-05-10T20:00:00Z", ESC_COVERAGE_ADMIN_HOURS, 0);
  assert_elapsed ("2024-05-06T00:00:00Z", "2024-05-20T00:00:00Z", ESC_COVERAGE_ADMIN_HOURS, 10 * G_TIME_SPAN_DAY);
}

/* add and elapsed agree: elapsed (start, add (start, span)) == span, for
 * starts every 37 minutes over two weeks and spans from 0 to 3 days. */
static void
test_add_elapsed_agree (void)
{
  g_autoptr(GDateTime) origin = parse ("2024-05-03T00:00:00Z");
  const GTimeSpan spans[] = {
    0, G_TIME_SPAN_MINUTE, G_TIME_SPAN_HOUR, 4 * G_TIME_SPAN_HOUR, 8 * G_TIME_SPAN_HOUR,
    G_TIME_SPAN_DAY, 3 * G_TIME_SPAN_DAY,
  };

  for (guint step = 0; step < 14 * 24 * 60 / 37; step++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_minutes (origin, step * 37);

      for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
        {
          g_autoptr(GDateTime) due = esc_admin_hours_add (start, spans[i], ESC_COVERAGE_ADMIN_HOURS);

          g_assert_cmpint (esc_admin_hours_elapsed (start, due, ESC_COVERAGE_ADMIN_HOURS), ==, spans[i]);
          g_assert_true (g_date_time_compare (due, start) >= 0);
          if (spans[i] > 0)
            g_assert_true (esc_admin_hours_contains (due) ||
                           g_date_time_get_day_of_week (due) == 6);
        }
    }
}

/* The service's admin hours are a calendar of their own: here in Paris, with
 * a holiday; 24x7 ignores the calendar. */
static void
test_own_calendar (void)
{
  g_autoptr(EscCalendar) paris = esc_calendar_new ("Europe/Paris", NULL);
  g_autoptr(GDateTime) start = parse ("2024-05-10T20:00:00Z");
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) due_24x7 = NULL;
  g_autoptr(GDateTime) due_default = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_24x7 = NULL;
  g_autofree char *text_default = NULL;

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (esc_calendar_add_range (paris, d, 0, ESC_CALENDAR_MINUTES_PER_DAY, NULL));
  g_assert_true (esc_calendar_add_holiday (paris, "2024-05-13", "Holiday", NULL));

  /* Friday 22:00 in Paris: 2 h to midnight Paris time; Monday is a holiday;
   * 6 h on Tuesday from 00:00 CEST (Monday 22:00Z). */
  due = esc_admin_hours_add_in (paris, start, 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS);
  text = format (due);
  g_assert_cmpstr (text, ==, "2024-05-14T04:00:00Z");
  due_24x7 = esc_admin_hours_add_in (paris, start, 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_24X7);
  text_24x7 = format (due_24x7);
  g_assert_cmpstr (text_24x7, ==, "2024-05-11T04:00:00Z");
  /* NULL is the default: UTC, no holiday */
  due_default = esc_admin_hours_add_in (NULL, start, 8 * G_TIME_SPAN_HOUR, ESC_COVERAGE_ADMIN_HOURS);
  text_default = format (due_default);
  g_assert_cmpstr (text_default, ==, "2024-05-13T04:00:00Z");
}

static void
test_coverage_strings (void)
{
  EscCoverage coverage;

  g_assert_true (esc_coverage_from_string ("24x7", &coverage));
  g_assert_cmpint (coverage, ==, ESC_COVERAGE_24X7);
  g_assert_true (esc_coverage_from_string ("admin-hours", &coverage));
  g_assert_cmpint (coverage, ==, ESC_COVERAGE_ADMIN_HOURS);
  g_assert_false (esc_coverage_from_string ("24X7", &coverage));
  g_assert_false (esc_coverage_from_string ("", &coverage));
  g_assert_false (esc_coverage_from_string (NULL, &coverage));
  g_assert_cmpstr (esc_coverage_to_string (ESC_COVERAGE_ADMIN_HOURS), ==, "admin-hours");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/admin-hours/round-the-clock", test_round_the_clock);
  g_test_add_func ("/core/admin-hours/weekdays", test_weekdays);
  g_test_add_func ("/core/admin-hours/friday-evening", test_friday_evening);
  g_test_add_func ("/core/admin-hours/weekend", test_weekend);
  g_test_add_func ("/core/admin-hours/long-spans", test_long_spans);
  g_test_add_func ("/core/admin-hours/time-zones", test_time_zones);
  g_test_add_func ("/core/admin-hours/contains", test_contains);
  g_test_add_func ("/core/admin-hours/elapsed", test_elapsed);
  g_test_add_func ("/core/admin-hours/add-elapsed-agree", test_add_elapsed_agree);
  g_test_add_func ("/core/admin-hours/coverage-strings", test_coverage_strings);
  g_test_add_func ("/core/admin-hours/own-calendar", test_own_calendar);

  return g_test_run ();
}
