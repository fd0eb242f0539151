/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include "esc-admin-hours.h"

/* Admin support hours are a business-hours calendar (esc-calendar.c). The
 * service keeps its own, with a time zone and holidays, as data; what is here
 * is only the fallback: the documented "24 hours a day, Monday to Friday",
 * taken in UTC, from Monday 00:00 to Saturday 00:00. */

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

/**
 * esc_admin_hours_default_calendar:
 *
 * Returns: (transfer none): 24 hours a day, Monday to Friday, UTC
 */
EscCalendar *
esc_admin_hours_default_calendar (void)
{
  static gsize once;
  static EscCalendar *calendar;

  if (g_once_init_enter (&once))
    {
      calendar = esc_calendar_new ("UTC", NULL);
      g_assert (calendar != NULL);
      esc_calendar_set_id (calendar, "admin-hours");
      esc_calendar_set_name (calendar, "Admin support hours");
      for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
        esc_calendar_add_range (calendar, d, 0, ESC_CALENDAR_MINUTES_PER_DAY, NULL);
      g_once_init_leave (&once, 1);
    }

  return calendar;
}

/**
 * esc_admin_hours_add_in:
 * @calendar: (nullable): the admin support hours, or %NULL for the default
 * @start: when the clock starts
 * @span: how long it must run, in microseconds (not negative)
 * @coverage: when it runs
 *
 * A due time: @start plus @span of running clock. Under admin support hours
 * a clock started outside them starts at their next opening; a span used up
 * exactly at a closing is due then.
 *
 * Returns: (transfer full) (nullable): the due time, in UTC
 */
GDateTime *
esc_admin_hours_add_in (EscCalendar *calendar,
                        GDateTime   *start,
                        GTimeSpan    span,
                        EscCoverage  coverage)
{
  g_return_val_if_fail (calendar == NULL || ESC_IS_CALENDAR (calendar), NULL);
  g_return_val_if_fail (start != NULL, NULL);
  g_return_val_if_fail (span >= 0, NULL);

  if (coverage == ESC_COVERAGE_24X7)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (start);

      return g_date_time_add (utc, span);
    }

  return esc_calendar_add (calendar != NULL ? calendar : esc_admin_hours_default_calendar (),
                           start, span);
}

/**
 * esc_admin_hours_contains:
 * @time: a time
 *
 * Returns: %TRUE if @time is within the default admin support hours
 */
gboolean
esc_admin_hours_contains (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, FALSE);

  return esc_calendar_contains (esc_admin_hours_default_calendar (), time);
}

/**
 * esc_admin_hours_add:
 * @start: when the clock starts
 * @span: how long it must run, in microseconds (not negative)
 * @coverage: when it runs
 *
 * esc_admin_hours_add_in() with the default admin support hours.
 *
 * Returns: (transfer full): the due time, in UTC
 */
GDateTime *
esc_admin_hours_add (GDateTime   *start,
                     GTimeSpan    span,
                     EscCoverage  coverage)
{
  return esc_admin_hours_add_in (NULL, start, span, coverage);
}

/**
 * esc_admin_hours_elapsed:
 * @from: the start
 * @to: the end
 * @coverage: when the clock runs
 *
 * Returns: how long the clock ran between @from and @to in the default admin
 *   support hours (0 if @to is not after @from)
 */
GTimeSpan
esc_admin_hours_elapsed (GDateTime   *from,
                         GDateTime   *to,
                         EscCoverage  coverage)
{
  g_return_val_if_fail (from != NULL, 0);
  g_return_val_if_fail (to != NULL, 0);

  if (coverage == ESC_COVERAGE_24X7)
    return MAX (0, g_date_time_difference (to, from));

  return esc_calendar_elapsed (esc_admin_hours_default_calendar (), from, to);
}
