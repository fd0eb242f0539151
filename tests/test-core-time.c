/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-time.h"

/* The one RFC 3339 parser and formatter: strict on what it reads, always
 * UTC "Z" to the second on what it writes. */

static void
assert_parses (const char *text,
               const char *utc)
{
  g_autoptr(GDateTime) parsed = esc_time_parse (text);
  g_autofree char *formatted = NULL;

  g_test_message ("%s", text);
  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, 0);
  formatted = esc_time_format (parsed);
  g_assert_cmpstr (formatted, ==, utc);
}

static void
test_valid (void)
{
  assert_parses ("2024-05-01T08:00:00Z", "2024-05-01T08:00:00Z");
  assert_parses ("2024-05-01t08:00:00z", "2024-05-01T08:00:00Z");
  assert_parses ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z");
  assert_parses ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z");
  assert_parses ("2024-12-31T23:59:59Z", "2024-12-31T23:59:59Z");
}

static void
test_invalid (void)
{
  const char * const cases[] = {
    "",
    "2024-05-01",
    "2024-05-01T08:00Z",          /* no seconds */
    "2024-05-01T08:00:00",        /* no zone */
    "2024-05-01 08:00:00Z",       /* a space for the T */
    "2024-05-01T08:00:00ZZ",
    "2024-05-01T08:00:00Z ",
    " 2024-05-01T08:00:00Z",
    "2024-W18-3T08:00:00Z",       /* a week date */
    "2024-122T08:00:00Z",         /* an ordinal date */
    "20240501T080000Z",           /* basic format */
    "2024-5-01T08:00:00Z",
    "2024-05-01T8:00:00Z",
    "2024-13-01T08:00:00Z",
    "2024-00-01T08:00:00Z",
    "2024-05-00T08:00:00Z",
    "2024-04-31T08:00:00Z",
    "2024-05-01T24:00:00Z",
    "2024-05-01T08:60:00Z",
    "2024-05-01T08:00:60Z",       /* a leap second: GDateTime has none */
    "0000-01-01T00:00:00Z",
    "2024-05-01T08:00:00.Z",      /* a dot without digits */
    "2024-05-01T08:00:00,5Z",
    "2024-05-01T08:00:00+0200",
    "2024-05-01T08:00:00+02",
    "2024-05-01T08:00:00+24:00",
    "2024-05-01T08:00:00+02:60",
    "2024-05-01T08:00:00UTC",
    "2024-05-01T08:00:00.1234567890123456789012Z",  /* too long */
    "-2024-05-01T08:00:00Z",
    "２０２４-05-01T08:00:00Z",
  };

  g_assert_null (esc_time_parse (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) parsed = esc_time_parse (cases[i]);

      g_test_message ("%s", cases[i]);
      g_assert_null (parsed);
    }
}

static void
test_offsets (void)
{
  assert_parses ("2024-05-01T10:00:00+02:00", "2024-05-01T08:00:00Z");
  assert_parses ("2024-05-01T03:30:00-04:30", "2024-05-01T08:00:00Z");
  assert_parses ("2024-05-01T08:00:00+00:00", "2024-05-01T08:00:00Z");
  assert_parses ("2024-05-01T08:00:00-00:00", "2024-05-01T08:00:00Z");
  /* Across a day, a month and a year */
  assert_parses ("2024-01-01T01:00:00+05:00", "2023-12-31T20:00:00Z");
  assert_parses ("2023-12-31T22:00:00-03:00", "2024-01-01T01:00:00Z");
  assert_parses ("2024-05-01T08:00:00+23:59", "2024-04-30T08:01:00Z");
}

static void
test_leap_day (void)
{
  g_autoptr(GDateTime) leap = esc_time_parse ("2024-02-29T12:00:00Z");
  g_autoptr(GDateTime) century = esc_time_parse ("2000-02-29T12:00:00Z");

  g_assert_nonnull (leap);
  g_assert_nonnull (century);
  g_assert_null (esc_time_parse ("2023-02-29T12:00:00Z"));
  g_assert_null (esc_time_parse ("1900-02-29T12:00:00Z"));
  g_assert_null (esc_time_parse ("2024-02-30T12:00:00Z"));
  /* An offset that lands on the leap day */
  assert_parses ("2024-03-01T01:00:00+02:00", "2024-02-29T23:00:00Z");
}

static void
test_fractions (void)
{
  g_autoptr(GDateTime) half = esc_time_parse ("2024-05-01T08:00:00.5Z");
  g_autoptr(GDateTime) micro = esc_time_parse ("2024-05-01T08:00:00.000001Z");
  g_autoptr(GDateTime) nano = esc_time_parse ("2024-05-01T08:00:00.123456789Z");
  g_autoptr(GDateTime) offset = esc_time_parse ("2024-05-01T10:00:00.25+02:00");
  g_autofree char *formatted = NULL;
  g_autofree char *precise = NULL;

  g_assert_nonnull (half);
  g_assert_cmpint (g_date_time_get_microsecond (half), ==, 500000);
  g_assert_cmpint (g_date_time_get_microsecond (micro), ==, 1);
  g_assert_cmpint (g_date_time_get_microsecond (nano), ==, 123456);
  g_assert_cmpint (g_date_time_get_microsecond (offset), ==, 250000);

  /* The formatter writes seconds; the precise one six digits. */
  formatted = esc_time_format (half);
  g_assert_cmpstr (formatted, ==, "2024-05-01T08:00:00Z");
  precise = esc_time_format_usec (offset);
  g_assert_cmpstr (precise, ==, "2024-05-01T08:00:00.250000Z");
}

static void
test_round_trip (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GTimeZone) zone = paris != NULL ? g_time_zone_ref (paris) : g_time_zone_new_offset (7200);
  g_autoptr(GDateTime) local = g_date_time_new (zone, 2024, 7, 14, 10, 30, 15.75);
  g_autofree char *text = esc_time_format (local);
  g_autofree char *text_usec = esc_time_format_usec (local);
  g_autoptr(GDateTime) back = esc_time_parse (text);
  g_autoptr(GDateTime) back_usec = esc_time_parse (text_usec);
  g_autofree char *again = esc_time_format (back);

  g_assert_cmpstr (text, ==, "2024-07-14T08:30:15Z");
  g_assert_cmpstr (text_usec, ==, "2024-07-14T08:30:15.750000Z");
  g_assert_cmpstr (again, ==, text);
  g_assert_cmpint (g_date_time_to_unix (back), ==, g_date_time_to_unix (local));
  g_assert_true (g_date_time_equal (back_usec, local));

  g_assert_null (esc_time_format (NULL));
  g_assert_null (esc_time_format_usec (NULL));

  /* Every second of a day around the leap day, through text and back */
  {
    g_autoptr(GDateTime) start = esc_time_parse ("2024-02-28T23:00:00Z");

    for (int s = 0; s < 3 * 3600; s += 37)
      {
        g_autoptr(GDateTime) t = g_date_time_add_seconds (start, s);
        g_autofree char *t_text = esc_time_format (t);
        g_autoptr(GDateTime) t_back = esc_time_parse (t_text);

        g_assert_nonnull (t_back);
        g_assert_true (g_date_time_equal (t, t_back));
      }
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/time/valid", test_valid);
  g_test_add_func ("/core/time/invalid", test_invalid);
  g_test_add_func ("/core/time/offsets", test_offsets);
  g_test_add_func ("/core/time/leap-day", test_leap_day);
  g_test_add_func ("/core/time/fractions", test_fractions);
  g_test_add_func ("/core/time/round-trip", test_round_trip);

  return g_test_run ();
}
