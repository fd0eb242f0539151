/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-calendar.h"

G_BEGIN_DECLS

/* What esc-calendar.c (the calendar and its arithmetic) shares with
 * esc-calendar-json.c (its JSON codec). */

typedef struct
{
  gint32  day;          /* days since 1970-01-01, local */
  char   *name;         /* holiday name or closure reason */
  gint32  last_day;     /* == day for a holiday */
  gboolean is_closure;
} ClosedDays;

/* A zone's offset changes (esc-calendar.c) */
typedef struct
{
  gint64 *changes;   /* UTC seconds at which the offset may change, ascending */
  gint32 *offsets;   /* n_changes + 1: offsets[i] holds before changes[i], the last after */
  guint   n_changes;
} ZoneTable;

struct _EscCalendar
{
  GObject parent_instance;

  char *id;
  char *name;
  char *time_zone_id;
  GTimeZone *time_zone;
  gboolean single_offset;
  const ZoneTable *table;  /* shared, for the zone; NULL for a single offset */
  gboolean always_open;

  GArray *ranges[7];    /* guint pairs: start, end minutes; index 0 is Monday */
  GTimeSpan day_totals[7];  /* the open time of each weekday, kept with the ranges */
  GArray *closed;       /* ClosedDays, as given */
  GArray *closed_days;  /* gint32 day numbers, sorted, unique */
};

/* "monday" to "sunday", NULL-terminated */
extern const char * const esc_calendar_weekday_names[];

/* Readers that name the member at fault (@field) in their errors */
gboolean  esc_calendar_set_time_zone   (EscCalendar   *self,
                                        const char    *identifier,
                                        const char    *field,
                                        GError       **error);
gboolean  esc_calendar_add_range_named (EscCalendar   *self,
                                        GDateWeekday   weekday,
                                        guint          start,
                                        guint          end,
                                        const char    *field,
                                        GError       **error);
gboolean  esc_calendar_add_closed      (EscCalendar   *self,
                                        const char    *from,
                                        const char    *to,
                                        const char    *name,
                                        gboolean       is_closure,
                                        const char    *field,
                                        GError       **error);
/* "2024-12-25" ↔ days since 1970-01-01 */
gboolean  esc_calendar_parse_day       (const char    *text,
                                        gint32        *day);
char     *esc_calendar_format_day      (gint32         day);

G_END_DECLS
