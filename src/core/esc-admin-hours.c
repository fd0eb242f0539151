/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include "esc-admin-hours.h"

/* Admin support hours: 24 hours a day, Monday to Friday. The service keeps
 * them in UTC, so there is no daylight saving time to mind: the working
 * week runs from Monday 00:00 to Saturday 00:00 UTC. */

const char *
esc_coverage_to_string (EscCoverage coverage)
{
  switch (coverage)
    {
    case ESC_COVERAGE_24X7:
      return "24x7";
    case ESC_COVERAGE_ADMIN_HOURS:
      return "admin-hours";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
esc_coverage_from_string (const char  *str,
                          EscCoverage *coverage)
{
  if (g_strcmp0 (str, "24x7") == 0)
    *coverage = ESC_COVERAGE_24X7;
  else if (g_strcmp0 (str, "admin-hours") == 0)
    *coverage = ESC_COVERAGE_ADMIN_HOURS;
  else
    return FALSE;

  return TRUE;
}

/* Midnight UTC starting the day of @time. */
static GDateTime *
start_of_day (GDateTime *time)
{
  return g_date_time_new_utc (g_date_time_get_year (time),
                              g_date_time_get_month (time),
                              g_date_time_get_day_of_month (time),
                              0, 0, 0);
}

/**
 * esc_admin_hours_contains:
 * @time: a time
 *
 * Returns: %TRUE if @time is within admin support hours (Monday to Friday, UTC)
 */
gboolean
esc_admin_hours_contains (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (time != NULL, FALSE);

  utc = g_date_time_to_utc (time);

  /* 1 is Monday, 7 Sunday */
  return g_date_time_get_day_of_week (utc) <= 5;
}

/* The end of the working week holding @utc (Saturday 00:00), or the start of
 * the next one (Monday 00:00) if @utc is in a weekend; @in_week says which. */
static GDateTime *
next_boundary (GDateTime *utc,
               gboolean  *in_week)
{
  g_autoptr(GDateTime) midnight = start_of_day (utc);
  int day = g_date_time_get_day_of_week (utc);

  *in_week = day <= 5;
  if (*in_week)
    return g_date_time_add_days (midnight, 6 - day);   /* to Saturday */
  else
    return g_date_time_add_days (midnight, 8 - day);   /* to Monday */
}

/**
 * esc_admin_hours_add:
 * @start: when the clock starts
 * @span: how long it must run, in microseconds (not negative)
 * @coverage: when it runs
 *
 * A due time: @start plus @span of running clock. Under admin support hours
 * the clock stops from Saturday 00:00 to Monday 00:00 UTC; a clock started
 * at a weekend starts on Monday 00:00.
 *
 * Returns: (transfer full): the due time, in UTC
 */
GDateTime *
esc_admin_hours_add (GDateTime   *start,
                     GTimeSpan    span,
                     EscCoverage  coverage)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (start != NULL, NULL);
  g_return_val_if_fail (span >= 0, NULL);

  now = g_date_time_to_utc (start);

  if (coverage == ESC_COVERAGE_24X7)
    return g_date_time_add (now, span);

  for (;;)
    {
      gboolean in_week;
      g_autoptr(GDateTime) boundary = next_boundary (now, &in_week);
      GTimeSpan available;

      if (!in_week)
        {
          g_date_time_unref (now);
          now = g_steal_pointer (&boundary);
          continue;
        }

      available = g_date_time_difference (boundary, now);
      if (span < available)
        return g_date_time_add (now, span);

      /* Exactly at the end of the week is still Friday's last instant:
       * answer Saturday 00:00 rather than Monday. */
      if (span == available)
        return g_steal_pointer (&boundary);

      span -= available;
      g_date_time_unref (now);
      now = g_steal_pointer (&boundary);
    }
}

/**
 * esc_admin_hours_elapsed:
 * @from: the start
 * @to: the end
 * @coverage: when the clock runs
 *
 * Returns: how long the clock ran between @from and @to (0 if @to is not
 *   after @from)
 */
GTimeSpan
esc_admin_hours_elapsed (GDateTime   *from,
                         GDateTime   *to,
                         EscCoverage  coverage)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) end = NULL;
  GTimeSpan elapsed = 0;

  g_return_val_if_fail (from != NULL, 0);
  g_return_val_if_fail (to != NULL, 0);

  if (g_date_time_compare (to, from) <= 0)
    return 0;

  if (coverage == ESC_COVERAGE_24X7)
    return g_date_time_difference (to, from);

  now = g_date_time_to_utc (from);
  end = g_date_time_to_utc (to);

  while (g_date_time_compare (now, end) < 0)
    {
      gboolean in_week;
      g_autoptr(GDateTime) boundary = next_boundary (now, &in_week);
      GDateTime *stop = g_date_time_compare (boundary, end) < 0 ? boundary : end;

      if (in_week)
        elapsed += g_date_time_difference (stop, now);

      g_date_time_unref (now);
      now = g_date_time_ref (stop);
    }

  return elapsed;
}
