/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-calendar.h"
#include "esc-core-error.h"

/* Business-hours calendars against hand-computed cases (Europe/Paris changes
 * on 2024-03-31 at 01:00Z and 2024-10-27 at 01:00Z; America/New_York on
 * 2024-03-10 at 07:00Z and 2024-11-03 at 06:00Z), and against a brute-force
 * count of minutes through GDateTime's own local times. */

#define H G_TIME_SPAN_HOUR
#define M G_TIME_SPAN_MINUTE

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
  g_assert_nonnull (time);
  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static EscCalendar *
calendar_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);
  EscCalendar *calendar;

  g_assert_no_error (error);
  calendar = esc_calendar_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (calendar);
  return calendar;
}

/* Paris office: 09:00–12:00 and 13:00–18:00 on weekdays; Easter Monday 2024. */
static EscCalendar *
paris_office (void)
{
  return calendar_from_json (
    "{\"name\": \"Paris office\", \"time_zone\": \"Europe/Paris\", \"week\": {"
    " \"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"tuesday\": [{\"start\": \"13:00\", \"end\": \"18:00\"}, {\"start\": \"09:00\", \"end\": \"12:00\"}],"
    " \"wednesday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"thursday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}],"
    " \"friday\": [{\"start\": \"09:00\", \"end\": \"12:00\"}, {\"start\": \"13:00\", \"end\": \"18:00\"}]},"
    " \"holidays\": [{\"date\": \"2024-04-01\", \"name\": \"Lundi de Pâques\"},"
    "                {\"date\": \"2024-05-01\", \"name\": \"Fête du travail\"}]}");
}

/* Every day, the night hours 00:00–04:00, in @zone: ranges across the changes. */
static EscCalendar *
nights (const char *zone)
{
  g_autoptr(EscCalendar) calendar = esc_calendar_new (zone, NULL);

  g_assert_nonnull (calendar);
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    g_assert_true (esc_calendar_add_range (calendar, d, 0, 4 * 60, NULL));
  return g_steal_pointer (&calendar);
}

static void
assert_add (EscCalendar *calendar,
            const char  *start,
            GTimeSpan    span,
            const char  *expected)
{
  g_autoptr(GDateTime) from = parse (start);
  g_autoptr(GDateTime) due = esc_calendar_add (calendar, from, span);
  g_autofree char *text = format (due);

  g_test_message ("%s + %" G_GINT64_FORMAT " min = %s", start, span / M, text);
  g_assert_cmpstr (text, ==, expected);
  /* and back */
  g_assert_cmpint (esc_calendar_elapsed (calendar, from, due), ==, span);
}

static void
assert_elapsed (EscCalendar *calendar,
                const char  *from,
                const char  *to,
                GTimeSpan    expected)
{
  g_autoptr(GDateTime) a = parse (from);
  g_autoptr(GDateTime) b = parse (to);

  g_assert_cmpint (esc_calendar_elapsed (calendar, a, b), ==, expected);
}

static void
assert_contains (EscCalendar *calendar,
                 const char  *time,
                 gboolean     expected)
{
  g_autoptr(GDateTime) t = parse (time);

  g_test_message ("contains %s", time);
  g_assert_cmpint (esc_calendar_contains (calendar, t), ==, expected);
}

static void
assert_next_opening (EscCalendar *calendar,
                     const char  *time,
                     const char  *expected)
{
  g_autoptr(GDateTime) t = parse (time);
  g_autoptr(GDateTime) opening = esc_calendar_next_opening (calendar, t);
  g_autofree char *text = format (opening);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_office_weekend_holiday (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();

  /* Friday 29 March 17:00 CET: 1 h on Friday; the weekend; Easter Monday is a
   * holiday; 3 h on Tuesday 2 April from 09:00 CEST (after the change). */
  assert_add (paris, "2024-03-29T16:00:00Z", 4 * H, "2024-04-02T10:00:00Z");
  assert_elapsed (paris, "2024-03-29T16:00:00Z", "2024-04-02T10:00:00Z", 4 * H);
  /* The lunch break */
  assert_add (paris, "2024-06-04T09:30:00Z", 2 * H, "2024-06-04T12:30:00Z");
  /* Used up exactly at closing time: due then, not at the next opening. */
  assert_add (paris, "2024-06-04T15:00:00Z", 1 * H, "2024-06-04T16:00:00Z");
  /* Started at a weekend: starts on Monday 09:00 CEST */
  assert_add (paris, "2024-06-08T10:00:00Z", 30 * M, "2024-06-10T07:30:00Z");
  assert_add (paris, "2024-06-08T10:00:00Z", 0, "2024-06-10T07:00:00Z");
  /* Several weeks: 8 h a day, 5 days a week: 96 h = 2 weeks and 2 days, to Tuesday 18:00 */
  assert_add (paris, "2024-06-03T07:00:00Z", 96 * H, "2024-06-18T16:00:00Z");
  /* 1 May is a holiday in Paris though it is still 30 April in UTC until 22:00Z */
  assert_contains (paris, "2024-04-30T15:59:59Z", TRUE);
  assert_contains (paris, "2024-04-30T16:00:00Z", FALSE);
  assert_contains (paris, "2024-05-01T08:00:00Z", FALSE);
  assert_contains (paris, "2024-05-02T07:00:00Z", TRUE);
  assert_contains (paris, "2024-05-02T06:59:59.999999Z", FALSE);
}

static void
test_next_opening (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscCalendar) always = esc_calendar_new_24x7 ();

  assert_next_opening (paris, "2024-06-08T10:00:00Z", "2024-06-10T07:00:00Z");
  assert_next_opening (paris, "2024-06-11T10:30:00Z", "2024-06-11T11:00:00Z");
  assert_next_opening (paris, "2024-06-11T08:15:42Z", "2024-06-11T08:15:42Z");
  /* Friday evening before Easter: Tuesday, in summer time */
  assert_next_opening (paris, "2024-03-29T17:00:00Z", "2024-04-02T07:00:00Z");
  /* A winter Monday is 08:00Z */
  assert_next_opening (paris, "2024-01-13T12:00:00Z", "2024-01-15T08:00:00Z");
  assert_next_opening (always, "2024-06-08T10:00:00Z", "2024-06-08T10:00:00Z");
}

static void
test_paris_spring_forward (void)
{
  g_autoptr(EscCalendar) night = nights ("Europe/Paris");
  g_autoptr(EscCalendar) skipped = esc_calendar_new ("Europe/Paris", NULL);
  g_autoptr(EscCalendar) across = esc_calendar_new ("Europe/Paris", NULL);

  /* 00:00–04:00 on 31 March is 23:00Z–01:00Z then 01:00Z–02:00Z: 3 hours. */
  assert_elapsed (night, "2024-03-30T12:00:00Z", "2024-03-31T12:00:00Z", 3 * H);
  assert_elapsed (night, "2024-03-23T12:00:00Z", "2024-03-24T12:00:00Z", 4 * H);
  assert_add (night, "2024-03-30T23:00:00Z", 2 * H, "2024-03-31T01:00:00Z");
  assert_add (night, "2024-03-30T23:00:00Z", 2 * H + 30 * M, "2024-03-31T01:30:00Z");
  assert_add (night, "2024-03-30T23:00:00Z", 3 * H, "2024-03-31T02:00:00Z");
  assert_add (night, "2024-03-30T23:00:00Z", 3 * H + 1 * M, "2024-03-31T22:01:00Z");
  assert_contains (night, "2024-03-31T00:59:59Z", TRUE);
  assert_contains (night, "2024-03-31T01:00:00Z", TRUE);
  assert_contains (night, "2024-03-31T02:00:00Z", FALSE);

  /* A range inside the skipped hour has no instant that day. */
  g_assert_true (esc_calendar_add_range (skipped, G_DATE_SUNDAY, 2 * 60, 2 * 60 + 30, NULL));
  assert_elapsed (skipped, "2024-03-30T00:00:00Z", "2024-04-01T00:00:00Z", 0);
  assert_elapsed (skipped, "2024-03-23T00:00:00Z", "2024-03-25T00:00:00Z", 30 * M);
  assert_add (skipped, "2024-03-30T00:00:00Z", 10 * M, "2024-04-07T00:10:00Z");

  /* 01:30–03:30 across the change: 01:30–02:00 CET and 03:00–03:30 CEST */
  g_assert_true (esc_calendar_add_range (across, G_DATE_SUNDAY, 90, 210, NULL));
  assert_elapsed (across, "2024-03-30T00:00:00Z", "2024-04-01T00:00:00Z", 1 * H);
  assert_add (across, "2024-03-31T00:45:00Z", 30 * M, "2024-03-31T01:15:00Z");
}

static void
test_paris_fall_back (void)
{
  g_autoptr(EscCalendar) night = nights ("Europe/Paris");
  g_autoptr(EscCalendar) repeated = esc_calendar_new ("Europe/Paris", NULL);

  /* 00:00–04:00 on 27 October is 22:00Z (26th) to 03:00Z: 5 hours. */
  assert_elapsed (night, "2024-10-26T12:00:00Z", "2024-10-27T12:00:00Z", 5 * H);
  assert_add (night, "2024-10-26T22:00:00Z", 5 * H, "2024-10-27T03:00:00Z");
  assert_add (night, "2024-10-26T22:00:00Z", 3 * H + 30 * M, "2024-10-27T01:30:00Z");

  /* Both passes of the repeated hour count: 02:15–02:45 is 00:15Z–00:45Z and 01:15Z–01:45Z. */
  g_assert_true (esc_calendar_add_range (repeated, G_DATE_SUNDAY, 135, 165, NULL));
  assert_elapsed (repeated, "2024-10-26T00:00:00Z", "2024-10-28T00:00:00Z", 1 * H);
  assert_add (repeated, "2024-10-27T00:15:00Z", 40 * M, "2024-10-27T01:25:00Z");
  assert_contains (repeated, "2024-10-27T00:30:00Z", TRUE);
  assert_contains (repeated, "2024-10-27T01:00:00Z", FALSE);
  assert_contains (repeated, "2024-10-27T01:20:00Z", TRUE);
  assert_next_opening (repeated, "2024-10-27T00:50:00Z", "2024-10-27T01:15:00Z");
}

static void
test_new_york (void)
{
  g_autoptr(EscCalendar) office = esc_calendar_new ("America/New_York", NULL);
  g_autoptr(EscCalendar) night = nights ("America/New_York");
  g_autoptr(EscCalendar) all_day = esc_calendar_new ("America/New_York", NULL);

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (esc_calendar_add_range (office, d, 8 * 60, 17 * 60, NULL));
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    g_assert_true (esc_calendar_add_range (all_day, d, 0, 24 * 60, NULL));

  /* Friday 8 March 16:00 EST: 1 h, then Monday 11 March 08:00 EDT (12:00Z) + 2 h */
  assert_add (office, "2024-03-08T21:00:00Z", 3 * H, "2024-03-11T14:00:00Z");
  /* Friday 1 November 16:00 EDT: 1 h, then Monday 4 November 08:00 EST (13:00Z) + 2 h */
  assert_add (office, "2024-11-01T20:00:00Z", 3 * H, "2024-11-04T15:00:00Z");
  /* Local days of 23 and 25 hours */
  assert_elapsed (all_day, "2024-03-10T05:00:00Z", "2024-03-11T04:00:00Z", 23 * H);
  assert_elapsed (all_day, "2024-11-03T04:00:00Z", "2024-11-04T05:00:00Z", 25 * H);
  assert_elapsed (all_day, "2024-03-09T00:00:00Z", "2024-03-12T00:00:00Z", 72 * H);
  /* 00:00–04:00 on 10 March: 05:00Z–07:00Z and 07:00Z–08:00Z; on 3 November 04:00Z–09:00Z */
  assert_elapsed (night, "2024-03-10T00:00:00Z", "2024-03-10T12:00:00Z", 3 * H);
  assert_elapsed (night, "2024-11-03T00:00:00Z", "2024-11-03T12:00:00Z", 5 * H);
  assert_add (night, "2024-11-03T04:00:00Z", 150 * M, "2024-11-03T06:30:00Z");
  assert_contains (night, "2024-11-03T08:59:59Z", TRUE);
  assert_contains (night, "2024-11-03T09:00:00Z", FALSE);
}

static void
test_holidays_and_closures (void)
{
  g_autoptr(EscCalendar) admin = esc_calendar_new ("UTC", NULL);
  g_autoptr(GError) error = NULL;
  GDate date;

  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (esc_calendar_add_range (admin, d, 0, 24 * 60, NULL));
  g_assert_true (esc_calendar_add_holiday (admin, "2024-12-25", "Christmas Day", NULL));
  g_assert_true (esc_calendar_add_closure (admin, "2024-12-30", "2025-01-01", "Year end", NULL));

  /* Tuesday 24th 20:00: 4 h, Christmas, 4 h on Thursday */
  assert_add (admin, "2024-12-24T20:00:00Z", 8 * H, "2024-12-26T04:00:00Z");
  /* Friday 27th 22:00: 2 h, the weekend, three closed days, 6 h on Thursday 2 January */
  assert_add (admin, "2024-12-27T22:00:00Z", 8 * H, "2025-01-02T06:00:00Z");
  assert_elapsed (admin, "2024-12-23T00:00:00Z", "2025-01-06T00:00:00Z", 6 * 24 * H);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 31, G_DATE_DECEMBER, 2024);
  g_assert_true (esc_calendar_is_closed_day (admin, &date));
  g_date_set_dmy (&date, 2, G_DATE_JANUARY, 2025);
  g_assert_false (esc_calendar_is_closed_day (admin, &date));

  /* Bad days are refused and change nothing */
  g_assert_false (esc_calendar_add_holiday (admin, "2024-02-30", NULL, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (esc_calendar_add_closure (admin, "2025-01-02", "2024-12-30", NULL, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (esc_calendar_add_closure (admin, "2025-01-01", "2026-01-02", NULL, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  assert_add (admin, "2024-12-27T22:00:00Z", 8 * H, "2025-01-02T06:00:00Z");
}

static void
test_24x7 (void)
{
  g_autoptr(EscCalendar) always = esc_calendar_new_24x7 ();

  assert_add (always, "2024-03-31T00:30:00Z", 2 * H, "2024-03-31T02:30:00Z");
  assert_add (always, "2024-05-11T12:00:00Z", 0, "2024-05-11T12:00:00Z");
  assert_elapsed (always, "2024-05-10T20:00:00Z", "2024-05-13T04:00:00Z", 56 * H);
  assert_elapsed (always, "2024-05-13T04:00:00Z", "2024-05-10T20:00:00Z", 0);
  assert_contains (always, "2024-05-11T12:00:00Z", TRUE);

  /* A calendar in a zone with its own holidays may be 24×7 too: the holidays do not count. */
  {
    g_autoptr(EscCalendar) paris = paris_office ();

    esc_calendar_set_always_open (paris, TRUE);
    assert_contains (paris, "2024-05-01T10:00:00Z", TRUE);
    assert_add (paris, "2024-03-30T23:00:00Z", 3 * H, "2024-03-31T02:00:00Z");
  }
}

static void
test_no_hours_within_horizon (void)
{
  g_autoptr(EscCalendar) calendar = esc_calendar_new ("UTC", NULL);
  g_autoptr(GDateTime) start = parse ("2024-01-01T00:00:00Z");
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) opening = NULL;

  /* Closed all week: nothing is ever due */
  due = esc_calendar_add (calendar, start, H);
  g_assert_null (due);
  opening = esc_calendar_next_opening (calendar, start);
  g_assert_null (opening);
  g_assert_false (esc_calendar_contains (calendar, start));
  g_assert_cmpint (esc_calendar_elapsed_usec (calendar, 0, G_GINT64_CONSTANT (86400000000) * 365 * 10), ==, 0);

  /* Closed for four years by closures, then open: elapsed still finds it */
  g_assert_true (esc_calendar_add_range (calendar, G_DATE_MONDAY, 0, 60, NULL));
  g_assert_true (esc_calendar_add_closure (calendar, "2024-01-01", "2024-12-31", NULL, NULL));
  g_assert_true (esc_calendar_add_closure (calendar, "2025-01-01", "2025-12-31", NULL, NULL));
  g_assert_true (esc_calendar_add_closure (calendar, "2026-01-01", "2026-12-31", NULL, NULL));
  g_assert_true (esc_calendar_add_closure (calendar, "2027-01-01", "2027-12-31", NULL, NULL));
  assert_elapsed (calendar, "2024-01-01T00:00:00Z", "2028-01-04T00:00:00Z", 1 * H);
  g_clear_pointer (&due, g_date_time_unref);
  due = esc_calendar_add (calendar, start, 30 * M);
  g_assert_null (due);
}

/* The calendar against a brute force: every minute of a few days around each
 * change, whether GDateTime's local time of that minute is in the ranges. */
static gboolean
brute_contains (const guint (*ranges)[2],
                guint        n,
                GTimeZone   *tz,
                gint64       unix_seconds)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_seconds);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  guint minute = (guint)(g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local));

  if (g_date_time_get_day_of_week (local) == 7)
    return FALSE;  /* the test calendars are closed on Sundays... */
  for (guint i = 0; i < n; i++)
    {
      if (ranges[i][0] <= minute && minute < ranges[i][1])
        return TRUE;
    }
  return FALSE;
}

static void
test_brute_force (void)
{
  static const guint ranges[][2] = { { 0, 45 }, { 60, 150 }, { 170, 200 }, { 540, 1020 }, { 1400, 1440 } };
  static const struct { const char *zone; const char *from; } windows[] = {
    { "Europe/Paris", "2024-03-28T00:00:00Z" },
    { "Europe/Paris", "2024-10-24T00:00:00Z" },
    { "America/New_York", "2024-03-07T00:00:00Z" },
    { "America/New_York", "2024-10-31T00:00:00Z" },
    { "America/Los_Angeles", "2024-11-01T00:00:00Z" },
    { "Australia/Lord_Howe", "2024-04-05T00:00:00Z" },  /* a half-hour change */
    /* Outside the table of changes (1970 to 2100): straight from GTimeZone */
    { "Europe/Paris", "2150-03-27T00:00:00Z" },
    { "America/New_York", "1965-10-28T00:00:00Z" },
  };

  for (guint w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      g_autoptr(EscCalendar) calendar = esc_calendar_new (windows[w].zone, NULL);
      g_autoptr(GDateTime) from = parse (windows[w].from);
      GTimeZone *tz;
      gint64 start = g_date_time_to_unix (from);
      GTimeSpan expected = 0;

      g_assert_nonnull (calendar);
      tz = esc_calendar_get_gtimezone (calendar);
      /* ...and open the same on the six other days */
      for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_SATURDAY; d++)
        for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
          g_assert_true (esc_calendar_add_range (calendar, d, ranges[i][0], ranges[i][1], NULL));

      for (gint64 s = start; s < start + 6 * 86400; s += 60)
        {
          gboolean in = brute_contains (ranges, G_N_ELEMENTS (ranges), tz, s);

          if (in != esc_calendar_contains_usec (calendar, s * G_USEC_PER_SEC))
            g_error ("%s at %" G_GINT64_FORMAT ": brute force says %d", windows[w].zone, s, in);
          if (in)
            expected += M;
        }
      g_assert_cmpint (esc_calendar_elapsed_usec (calendar, start * G_USEC_PER_SEC,
                                                  (start + 6 * 86400) * G_USEC_PER_SEC), ==, expected);
    }
}

/* add and elapsed agree, the due time is in hours or at a closing, elapsed adds up. */
static void
test_add_elapsed_agree (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscCalendar) night = nights ("America/New_York");
  EscCalendar *calendars[] = { paris, night };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint c = 0; c < G_N_ELEMENTS (calendars); c++)
    {
      for (guint i = 0; i < 2000; i++)
        {
          /* 2024 */
          gint64 a = (G_GINT64_CONSTANT (1704067200) + g_rand_int_range (rand, 0, 366 * 86400)) * G_USEC_PER_SEC +
                     g_rand_int_range (rand, 0, 1000000);
          GTimeSpan span = (GTimeSpan)g_rand_int_range (rand, 0, 60 * 60) * M / 4;
          gint64 due, b;

          g_assert_true (esc_calendar_add_usec (calendars[c], a, span, &due));
          g_assert_cmpint (due, >=, a);
          g_assert_cmpint (esc_calendar_elapsed_usec (calendars[c], a, due), ==, span);
          if (span > 0)
            g_assert_true (esc_calendar_contains_usec (calendars[c], due - 1));
          b = a + (gint64)g_rand_int_range (rand, 0, 10 * 86400) * G_USEC_PER_SEC;
          g_assert_cmpint (esc_calendar_elapsed_usec (calendars[c], a, due) +
                           esc_calendar_elapsed_usec (calendars[c], due, MAX (due, b)), ==,
                           esc_calendar_elapsed_usec (calendars[c], a, MAX (due, b)));
        }
    }
}

/* Over years, elapsed time counted at once (whole weeks, holidays subtracted)
 * is the sum of the days counted one by one. */
static void
test_long_spans (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  gint64 from = G_GINT64_CONSTANT (1704067200) * G_USEC_PER_SEC + 37 * M;  /* 2024-01-01 00:37Z */
  gint64 to = from + (gint64)(3 * 365 + 17) * G_TIME_SPAN_DAY + 5 * H;
  GTimeSpan sum = 0;

  g_assert_true (esc_calendar_add_closure (paris, "2025-08-04", "2025-08-15", "Fermeture", NULL));
  for (gint64 t = from; t < to; t += G_TIME_SPAN_DAY)
    sum += esc_calendar_elapsed_usec (paris, t, MIN (t + G_TIME_SPAN_DAY, to));
  g_assert_cmpint (esc_calendar_elapsed_usec (paris, from, to), ==, sum);
  /* 8 h a day, about 250 working days a year */
  g_assert_cmpint (sum / H, >, 3 * 240 * 8);
  g_assert_cmpint (sum / H, <, 3 * 262 * 8);
}

static void
test_json_round_trip (void)
{
  g_autoptr(EscCalendar) paris = paris_office ();
  g_autoptr(EscCalendar) again = NULL;
  g_autoptr(EscCalendar) copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr(GError) error = NULL;
  const guint *ranges;
  guint n;

  g_assert_true (esc_calendar_add_closure (paris, "2024-08-05", "2024-08-16", "Fermeture estivale", NULL));
  esc_calendar_set_id (paris, "paris");
  node = esc_calendar_to_json (paris);
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "\"tuesday\":[{\"start\":\"09:00\",\"end\":\"12:00\"},{\"start\":\"13:00\",\"end\":\"18:00\"}]"));
  g_assert_nonnull (strstr (text, "\"closures\":[{\"from\":\"2024-08-05\",\"to\":\"2024-08-16\",\"reason\":\"Fermeture estivale\"}]"));
  g_assert_nonnull (strstr (text, "\"time_zone\":\"Europe/Paris\""));
  g_assert_nonnull (strstr (text, "\"saturday\":[]"));

  again = esc_calendar_new_from_json (node, &error);
  g_assert_no_error (error);
  node2 = esc_calendar_to_json (again);
  text2 = json_to_string (node2, FALSE);
  g_assert_cmpstr (text, ==, text2);
  g_assert_cmpstr (esc_calendar_get_id (again), ==, "paris");
  g_assert_cmpstr (esc_calendar_get_name (again), ==, "Paris office");

  copy = esc_calendar_copy (again);
  ranges = esc_calendar_get_ranges (copy, G_DATE_TUESDAY, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (ranges[0], ==, 540);
  g_assert_cmpuint (ranges[3], ==, 1080);
  assert_contains (copy, "2024-08-07T10:00:00Z", FALSE);
  assert_contains (copy, "2024-08-19T09:00:00Z", TRUE);
}

static void
test_json_errors (void)
{
  static const struct {
    const char *json;
    const char *field;
  } cases[] = {
    { "[]", "calendar" },
    { "{\"time_zone\": \"UTC\", \"always_open\": true}", "“name”" },
    { "{\"name\": \"x\", \"time_zone\": \"Mars/Olympus\", \"always_open\": true}", "“time_zone”" },
    { "{\"name\": \"x\", \"time_zone\": \"+02:00\", \"always_open\": true}", "“time_zone”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\"}", "“week”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": \"yes\"}", "“always_open”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"colour\": 1, \"always_open\": true}", "“colour”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"funday\": []}}", "“week.funday”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"monday\": [{\"start\": \"09:00\", \"end\": \"12:00\"},"
      " {\"start\": \"11:00\", \"end\": \"13:00\"}]}}", "“week.monday[1]”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"tuesday\": [{\"start\": \"09:00\", \"end\": \"24:30\"}]}}",
      "“week.tuesday[0].end”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"tuesday\": [{\"start\": \"24:00\", \"end\": \"24:00\"}]}}",
      "“week.tuesday[0].start”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"tuesday\": [{\"start\": \"9:00\", \"end\": \"17:00\"}]}}",
      "“week.tuesday[0].start”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"friday\": [{\"start\": \"17:00\", \"end\": \"09:00\"}]}}",
      "“week.friday[0]”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true, \"holidays\": [{\"date\": \"2024-13-01\"}]}",
      "“holidays[0].date”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true, \"holidays\": [{\"date\": \"2024-12-25\", \"name\": 3}]}",
      "“holidays[0].name”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true, \"closures\": [{\"from\": \"2024-12-25\"}]}",
      "“closures[0].to”" },
    { "{\"name\": \"x\", \"time_zone\": \"UTC\", \"always_open\": true, \"closures\": [{\"from\": \"2024-12-25\", \"to\": \"2026-01-01\"}]}",
      "“closures[0]”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(EscCalendar) calendar = esc_calendar_new_from_json (node, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_null (calendar);
      g_assert_nonnull (error);
      g_assert_true (error->domain == ESC_CORE_ERROR);
      if (strstr (error->message, cases[i].field) == NULL)
        g_error ("“%s” does not name %s", error->message, cases[i].field);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/calendar/office-weekend-holiday", test_office_weekend_holiday);
  g_test_add_func ("/core/calendar/next-opening", test_next_opening);
  g_test_add_func ("/core/calendar/paris-spring-forward", test_paris_spring_forward);
  g_test_add_func ("/core/calendar/paris-fall-back", test_paris_fall_back);
  g_test_add_func ("/core/calendar/new-york", test_new_york);
  g_test_add_func ("/core/calendar/holidays-and-closures", test_holidays_and_closures);
  g_test_add_func ("/core/calendar/24x7", test_24x7);
  g_test_add_func ("/core/calendar/no-hours-within-horizon", test_no_hours_within_horizon);
  g_test_add_func ("/core/calendar/brute-force", test_brute_force);
  g_test_add_func ("/core/calendar/add-elapsed-agree", test_add_elapsed_agree);
  g_test_add_func ("/core/calendar/long-spans", test_long_spans);
  g_test_add_func ("/core/calendar/json-round-trip", test_json_round_trip);
  g_test_add_func ("/core/calendar/json-errors", test_json_errors);

  return g_test_run ();
}
