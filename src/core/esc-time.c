/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include "esc-time.h"

/* The one RFC 3339 parser and formatter of the app and the service. By hand:
 * g_date_time_new_from_iso8601() takes much more than RFC 3339 (week dates,
 * no zone, no seconds), and g_date_time_format() parses its format on every
 * call, which shows when a sync writes thousands of times. */

/* Longest accepted text: a date-time with a nanosecond-and-more fraction is
 * fine, a megabyte of digits is not. */
#define MAX_TIME_LENGTH 40

static gboolean
read_digits (const char *p,
             guint       n,
             int        *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      value = value * 10 + (p[i] - '0');
    }

  *out = value;
  return TRUE;
}

/**
 * esc_time_parse:
 * @text: (nullable): an RFC 3339 date-time
 *
 * Reads "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)". Digits of the fraction
 * after the sixth (microseconds) are read and dropped. Leap seconds (":60")
 * are refused, as GDateTime has none.
 *
 * Returns: (transfer full) (nullable): the time in UTC, or %NULL if @text is
 *   not one
 */
GDateTime *
esc_time_parse (const char *text)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  int year, month, day, hour, minute, second;
  int usec = 0;
  int offset = 0;
  const char *p;
  gsize len;

  if (text == NULL)
    return NULL;

  len = strnlen (text, MAX_TIME_LENGTH + 1);
  if (len < 20 || len > MAX_TIME_LENGTH)
    return NULL;

  if (!read_digits (text, 4, &year) || text[4] != '-' ||
      !read_digits (text + 5, 2, &month) || text[7] != '-' ||
      !read_digits (text + 8, 2, &day) || (text[10] != 'T' && text[10] != 't') ||
      !read_digits (text + 11, 2, &hour) || text[13] != ':' ||
      !read_digits (text + 14, 2, &minute) || text[16] != ':' ||
      !read_digits (text + 17, 2, &second))
    return NULL;

  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      day > g_date_get_days_in_month ((GDateMonth)month, (GDateYear)year) ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  p = text + 19;
  if (*p == '.')
    {
      guint digits = 0;

      for (p++; g_ascii_isdigit (*p); p++, digits++)
        {
          if (digits < 6)
            usec = usec * 10 + (*p - '0');
        }
      if (digits == 0)
        return NULL;
      for (; digits < 6; digits++)
        usec *= 10;
    }

  if (*p == 'Z' || *p == 'z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      int oh, om;

      if (!read_digits (p + 1, 2, &oh) || p[3] != ':' || !read_digits (p + 4, 2, &om) ||
          oh > 23 || om > 59)
        return NULL;
      offset = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
      p += 6;
    }
  else
    return NULL;

  if (*p != '\0')
    return NULL;

  zone = g_time_zone_new_offset (offset);
  local = g_date_time_new (zone, year, month, day, hour, minute, second + usec / 1e6);
  if (local == NULL)
    return NULL;

  return g_date_time_to_utc (local);
}

static char *
format (GDateTime *time,
        gboolean   with_usec)
{
  g_autoptr(GDateTime) utc = NULL;
  char text[] = "YYYY-MM-DDTHH:MM:SS.uuuuuuZ";
  int year, month, day;
  int usec;

  if (time == NULL)
    return NULL;

  utc = g_date_time_get_utc_offset (time) != 0 ? g_date_time_to_utc (time)
                                               : g_date_time_ref (time);
  g_date_time_get_ymd (utc, &year, &month, &day);

  /* GDateTime's years are 1 to 9999: four digits, always. */
  {
    const int fields[] = { year / 100, year % 100, month, day,
                           g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                           g_date_time_get_second (utc) };
    const guint offsets[] = { 0, 2, 5, 8, 11, 14, 17 };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      {
        text[offsets[i]] = (char)('0' + fields[i] / 10);
        text[offsets[i] + 1] = (char)('0' + fields[i] % 10);
      }
  }

  if (!with_usec)
    {
      text[19] = 'Z';
      text[20] = '\0';
      return g_strdup (text);
    }

  usec = g_date_time_get_microsecond (utc);
  for (int i = 25; i >= 20; i--)
    {
      text[i] = (char)('0' + usec % 10);
      usec /= 10;
    }

  return g_strdup (text);
}

/**
 * esc_time_format:
 * @time: (nullable): a time
 *
 * Returns: (transfer full) (nullable): @time in UTC as RFC 3339 to the
 *   second, "2024-05-01T08:00:00Z"; %NULL if @time is %NULL
 */
char *
esc_time_format (GDateTime *time)
{
  return format (time, FALSE);
}

/**
 * esc_time_format_usec:
 * @time: (nullable): a time
 *
 * The same to the microsecond, "2024-05-01T08:00:00.250000Z", with six
 * digits always so that such texts sort as their times do (the outbox's
 * schedule compares them in SQL).
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @time is %NULL
 */
char *
esc_time_format_usec (GDateTime *time)
{
  return format (time, TRUE);
}
