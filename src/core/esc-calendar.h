/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ESC_TYPE_CALENDAR (esc_calendar_get_type ())

G_DECLARE_FINAL_TYPE (EscCalendar, esc_calendar, ESC, CALENDAR, GObject)

/* A business-hours calendar: when an SLA clock runs.
 *
 * Hours are wall-clock hours in the calendar's IANA time zone: an instant is
 * inside hours when its local date is not a holiday or closure day and its
 * local time falls in one of the ranges of its weekday. So on the day the
 * clocks go forward a range over the skipped hour is shorter, and on the day
 * they go back a range over the repeated hour is longer (both passes count).
 * A 24×7 calendar ("always_open") is inside hours at every instant.
 *
 * Times are given as GDateTime, or as microseconds since the Unix epoch (UTC)
 * for the _usec() forms that the SLA engine and benchmarks use. */

#define ESC_CALENDAR_MINUTES_PER_DAY (24 * 60)
/* How far ahead esc_calendar_add() and esc_calendar_next_opening() look for
 * open hours before giving up (a calendar closed for years). */
#define ESC_CALENDAR_HORIZON_DAYS (3 * 366)

EscCalendar *esc_calendar_new                 (const char   *time_zone,
                                               GError      **error);
EscCalendar *esc_calendar_new_24x7            (void);
EscCalendar *esc_calendar_new_from_json       (JsonNode     *node,
                                               GError      **error);
JsonNode    *esc_calendar_to_json             (EscCalendar  *self);
EscCalendar *esc_calendar_copy                (EscCalendar  *self);

const char  *esc_calendar_get_id              (EscCalendar  *self);
void         esc_calendar_set_id              (EscCalendar  *self,
                                               const char   *id);
const char  *esc_calendar_get_name            (EscCalendar  *self);
void         esc_calendar_set_name            (EscCalendar  *self,
                                               const char   *name);
const char  *esc_calendar_get_time_zone       (EscCalendar  *self);
GTimeZone   *esc_calendar_get_gtimezone       (EscCalendar  *self);
gboolean     esc_calendar_get_always_open     (EscCalendar  *self);
void         esc_calendar_set_always_open     (EscCalendar  *self,
                                               gboolean      always_open);

/* @weekday: 1 (Monday) to 7 (Sunday); minutes from local midnight,
 * 0 <= @start < @end <= 1440. Fails if the range overlaps another of that day. */
gboolean     esc_calendar_add_range           (EscCalendar  *self,
                                               GDateWeekday  weekday,
                                               guint         start_minute,
                                               guint         end_minute,
                                               GError      **error);
/* The ranges of @weekday, sorted: pairs start, end (minutes); @n_ranges (out). */
const guint *esc_calendar_get_ranges          (EscCalendar  *self,
                                               GDateWeekday  weekday,
                                               guint        *n_ranges);
/* A holiday: the whole local @date (YYYY-MM-DD) is closed. */
gboolean     esc_calendar_add_holiday         (EscCalendar  *self,
                                               const char   *date,
                                               const char   *name,
                                               GError      **error);
/* A closure: every local day from @from to @to (both included, at most 366 days). */
gboolean     esc_calendar_add_closure         (EscCalendar  *self,
                                               const char   *from,
                                               const char   *to,
                                               const char   *reason,
                                               GError      **error);
gboolean     esc_calendar_is_closed_day       (EscCalendar  *self,
                                               const GDate  *date);

gboolean     esc_calendar_contains            (EscCalendar  *self,
                                               GDateTime    *time);
GTimeSpan    esc_calendar_elapsed             (EscCalendar  *self,
                                               GDateTime    *from,
                                               GDateTime    *to);
GDateTime   *esc_calendar_add                 (EscCalendar  *self,
                                               GDateTime    *start,
                                               GTimeSpan     span);
GDateTime   *esc_calendar_next_opening        (EscCalendar  *self,
                                               GDateTime    *time);

gboolean     esc_calendar_contains_usec       (EscCalendar  *self,
                                               gint64        time);
GTimeSpan    esc_calendar_elapsed_usec        (EscCalendar  *self,
                                               gint64        from,
                                               gint64        to);
gboolean     esc_calendar_add_usec            (EscCalendar  *self,
                                               gint64        start,
                                               GTimeSpan     span,
                                               gint64       *due);
gboolean     esc_calendar_next_opening_usec   (EscCalendar  *self,
                                               gint64        time,
                                               gint64       *opening);

/* Conversions between GDateTime and microseconds since the epoch (UTC). */
gint64       esc_calendar_usec_from_time      (GDateTime    *time);
GDateTime   *esc_calendar_time_from_usec      (gint64        usec);

G_END_DECLS
