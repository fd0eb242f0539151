/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-calendar-private.h"
#include "esc-core-error.h"

/* How it works. An instant is inside hours when its wall-clock time (its UTC
 * time plus the zone's offset at that instant) is inside hours, and wall-clock
 * hours need no time zone: a day number since 1970-01-01, a weekday, ranges.
 * Between two offset changes the offset is constant and wall time moves with
 * UTC, so the open intervals of such a stretch are the wall-clock intervals
 * shifted back by the offset. The calendar walks stretches of at most a week;
 * a stretch ends early where the zone's offset changes, found by bisection
 * over g_time_zone_find_interval() (whose intervals are ordered in time). */

#define USEC_PER_SEC  G_GINT64_CONSTANT (1000000)
#define USEC_PER_MIN  (60 * USEC_PER_SEC)
#define USEC_PER_DAY  (24 * 60 * USEC_PER_MIN)
#define STRETCH_SEC   (7 * 24 * 3600)
/* 1970-01-01 as a GDate Julian day */
#define EPOCH_JULIAN  719163
/* GDateTime's range: years 1 to 9999 */
#define MIN_USEC      (G_GINT64_CONSTANT (-62135596800) * USEC_PER_SEC)
#define MAX_USEC      (G_GINT64_CONSTANT (253402300799) * USEC_PER_SEC)

G_DEFINE_FINAL_TYPE (EscCalendar, esc_calendar, G_TYPE_OBJECT)

const char * const esc_calendar_weekday_names[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL,
};

static void
closed_days_clear (gpointer data)
{
  ClosedDays *c = data;

  g_free (c->name);
}

static void
esc_calendar_finalize (GObject *object)
{
  EscCalendar *self = (EscCalendar *)object;

  g_free (self->id);
  g_free (self->name);
  g_free (self->time_zone_id);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  for (guint i = 0; i < 7; i++)
    g_array_unref (self->ranges[i]);
  g_array_unref (self->closed);
  g_array_unref (self->closed_days);

  G_OBJECT_CLASS (esc_calendar_parent_class)->finalize (object);
}

static void
esc_calendar_class_init (EscCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_calendar_finalize;
}

static void
esc_calendar_init (EscCalendar *self)
{
  for (guint i = 0; i < 7; i++)
    self->ranges[i] = g_array_new (FALSE, FALSE, sizeof (guint));
  self->closed = g_array_new (FALSE, TRUE, sizeof (ClosedDays));
  g_array_set_clear_func (self->closed, closed_days_clear);
  self->closed_days = g_array_new (FALSE, FALSE, sizeof (gint32));
}

/* The offset changes of a zone from 1970 to 2100, found once per zone and
 * process: g_time_zone_find_interval() scans the zone's whole history at each
 * call, too slow for the millions of look-ups of a compliance report. */
#define TABLE_FIRST G_GINT64_CONSTANT (0)           /* 1970-01-01 */
#define TABLE_LAST  G_GINT64_CONSTANT (4102444800)  /* 2100-01-01 */
#define TABLE_STEP  (14 * 24 * 3600)

/* The first second after @lo (up to @hi, which is in another interval) in
 * another interval than @lo's. */
static gint64
first_change (GTimeZone *tz,
              gint64     lo,
              gint64     hi)
{
  gint interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, lo);

  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, mid) == interval)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

static ZoneTable *
zone_table_build (GTimeZone *tz)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gint32));
  ZoneTable *table = g_new0 (ZoneTable, 1);
  gint interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, TABLE_FIRST);
  gint32 offset = g_time_zone_get_offset (tz, interval);
  gint64 t = TABLE_FIRST;

  g_array_append_val (offsets, offset);
  while (t < TABLE_LAST)
    {
      gint64 next = MIN (t + TABLE_STEP, TABLE_LAST);

      if (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, next) == interval)
        {
          t = next;
          continue;
        }
      /* Intervals are ordered: a change lies in (t, next]; there may be more. */
      t = first_change (tz, t, next);
      interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, t);
      offset = g_time_zone_get_offset (tz, interval);
      g_array_append_val (changes, t);
      g_array_append_val (offsets, offset);
    }

  table->n_changes = changes->len;
  table->changes = (gint64 *)(gpointer)g_array_free (g_steal_pointer (&changes), FALSE);
  table->offsets = (gint32 *)(gpointer)g_array_free (g_steal_pointer (&offsets), FALSE);
  return table;
}

/* The table of @identifier's zone, built on first use and kept for the process. */
static const ZoneTable *
zone_table_get (const char *identifier,
                GTimeZone  *tz)
{
  static GMutex lock;
  static GHashTable *tables;
  ZoneTable *table;

  g_mutex_lock (&lock);
  if (tables == NULL)
    tables = g_hash_table_new (g_str_hash, g_str_equal);
  if ((table = g_hash_table_lookup (tables, identifier)) == NULL)
    {
      table = zone_table_build (tz);
      g_hash_table_insert (tables, g_strdup (identifier), table);
    }
  g_mutex_unlock (&lock);

  return table;
}

gboolean
esc_calendar_set_time_zone (EscCalendar  *self,
               const char   *identifier,
               const char   *field,
               GError      **error)
{
  GTimeZone *tz;

  /* g_time_zone_new_identifier() also takes offsets and POSIX TZ strings;
   * accept names only ("UTC", "Europe/Paris"), which is what people agree on. */
  if (identifier == NULL || *identifier == '\0' || strlen (identifier) > 64 ||
      strchr (identifier, ',') != NULL || g_ascii_isdigit (identifier[0]) ||
      identifier[0] == '+' || identifier[0] == '-' || identifier[0] == ':' ||
      strstr (identifier, "..") != NULL || identifier[0] == '/' ||
      (tz = g_time_zone_new_identifier (identifier)) == NULL)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   /* Translators: %s is a JSON member, e.g. "time_zone" */
                   _("“%s” is not a known time zone (an IANA name such as “Europe/Paris”)"),
                   field);
      return FALSE;
    }

  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  self->time_zone = tz;
  g_free (self->time_zone_id);
  self->time_zone_id = g_strdup (identifier);

  /* A zone with one offset for all time needs no search for changes (the
   * intervals are ordered, so the first and last being one is enough). */
  self->single_offset =
    g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, MIN_USEC / USEC_PER_SEC) ==
    g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, MAX_USEC / USEC_PER_SEC);
  self->table = self->single_offset ? NULL : zone_table_get (identifier, tz);

  return TRUE;
}

/**
 * esc_calendar_new:
 * @time_zone: an IANA time zone name ("UTC", "Europe/Paris")
 * @error: return location for a #GError
 *
 * A calendar with no hours yet (closed all week) in @time_zone.
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL if the zone is unknown
 */
EscCalendar *
esc_calendar_new (const char  *time_zone,
                  GError     **error)
{
  g_autoptr(EscCalendar) self = g_object_new (ESC_TYPE_CALENDAR, NULL);

  if (!esc_calendar_set_time_zone (self, time_zone, "time_zone", error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * esc_calendar_new_24x7:
 *
 * Returns: (transfer full): a calendar open at every instant, in UTC
 */
EscCalendar *
esc_calendar_new_24x7 (void)
{
  EscCalendar *self = esc_calendar_new ("UTC", NULL);

  g_assert (self != NULL);
  self->always_open = TRUE;
  return self;
}

const char *
esc_calendar_get_id (EscCalendar *self)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);
  return self->id;
}

void
esc_calendar_set_id (EscCalendar *self,
                     const char  *id)
{
  g_return_if_fail (ESC_IS_CALENDAR (self));
  g_free (self->id);
  self->id = g_strdup (id);
}

const char *
esc_calendar_get_name (EscCalendar *self)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);
  return self->name;
}

void
esc_calendar_set_name (EscCalendar *self,
                       const char  *name)
{
  g_return_if_fail (ESC_IS_CALENDAR (self));
  g_free (self->name);
  self->name = g_strdup (name);
}

const char *
esc_calendar_get_time_zone (EscCalendar *self)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);
  return self->time_zone_id;
}

GTimeZone *
esc_calendar_get_gtimezone (EscCalendar *self)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);
  return self->time_zone;
}

gboolean
esc_calendar_get_always_open (EscCalendar *self)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  return self->always_open;
}

void
esc_calendar_set_always_open (EscCalendar *self,
                              gboolean     always_open)
{
  g_return_if_fail (ESC_IS_CALENDAR (self));
  self->always_open = !!always_open;
}

gboolean
esc_calendar_add_range_named (EscCalendar  *self,
           GDateWeekday  weekday,
           guint         start,
           guint         end,
           const char   *field,
           GError      **error)
{
  GArray *ranges;
  guint at;

  if (start >= end || end > ESC_CALENDAR_MINUTES_PER_DAY)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   /* Translators: %s is a JSON member, e.g. "week.monday[0]" */
                   _("“%s” must start before it ends, between 00:00 and 24:00"), field);
      return FALSE;
    }

  ranges = self->ranges[weekday - 1];
  for (at = 0; at < ranges->len; at += 2)
    {
      guint s = g_array_index (ranges, guint, at);
      guint e = g_array_index (ranges, guint, at + 1);

      if (start < e && s < end)
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       /* Translators: %s is a JSON member, e.g. "week.monday[1]" */
                       _("“%s” overlaps another range of the same day"), field);
          return FALSE;
        }
      if (start < s)
        break;
    }

  g_array_insert_val (ranges, at, start);
  g_array_insert_val (ranges, at + 1, end);
  self->day_totals[weekday - 1] += (GTimeSpan)(end - start) * USEC_PER_MIN;
  return TRUE;
}

gboolean
esc_calendar_add_range (EscCalendar   *self,
                        GDateWeekday   weekday,
                        guint          start_minute,
                        guint          end_minute,
                        GError       **error)
{
  g_autofree char *field = NULL;

  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);

  field = g_strdup_printf ("week.%s", esc_calendar_weekday_names[weekday - 1]);
  return esc_calendar_add_range_named (self, weekday, start_minute, end_minute, field, error);
}

const guint *
esc_calendar_get_ranges (EscCalendar  *self,
                         GDateWeekday  weekday,
                         guint        *n_ranges)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);
  g_return_val_if_fail (n_ranges != NULL, NULL);

  *n_ranges = self->ranges[weekday - 1]->len / 2;
  return (const guint *)(gpointer)self->ranges[weekday - 1]->data;
}

/* The number written by the @n digits at @text (checked to be digits). */
static guint
digits (const char *text,
        guint       n)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (guint)(text[i] - '0');
  return value;
}

/* "2024-12-25" → days since 1970-01-01; strict: four-digit year, two-digit month and day. */
gboolean
esc_calendar_parse_day (const char *text,
           gint32     *day)
{
  GDate date;
  guint y, m, d;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    {
      if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
        return FALSE;
    }
  y = digits (text, 4);
  m = digits (text + 5, 2);
  d = digits (text + 8, 2);
  if (y < 1 || !g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
  *day = (gint32)((gint64)g_date_get_julian (&date) - EPOCH_JULIAN);
  return TRUE;
}

char *
esc_calendar_format_day (gint32 day)
{
  GDate date;
  char text[16];

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32)(day + EPOCH_JULIAN));
  g_snprintf (text, sizeof text, "%04u-%02u-%02u", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  return g_strdup (text);
}

static gint
compare_day (gconstpointer a,
             gconstpointer b)
{
  gint32 x = *(const gint32 *)a;
  gint32 y = *(const gint32 *)b;

  return x < y ? -1 : x > y;
}

static void
mark_closed (EscCalendar *self,
             gint32       first,
             gint32       last)
{
  for (gint32 day = first; day <= last; day++)
    {
      guint lo = 0, hi = self->closed_days->len;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (g_array_index (self->closed_days, gint32, mid) < day)
            lo = mid + 1;
          else
            hi = mid;
        }
      if (lo < self->closed_days->len && g_array_index (self->closed_days, gint32, lo) == day)
        continue;
      g_array_insert_val (self->closed_days, lo, day);
    }
}

gboolean
esc_calendar_add_closed (EscCalendar  *self,
            const char   *from,
            const char   *to,
            const char   *name,
            gboolean      is_closure,
            const char   *field,
            GError      **error)
{
  ClosedDays *c;
  gint32 first, last;

  if (!esc_calendar_parse_day (from, &first))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   /* Translators: %s is a JSON member, e.g. "holidays[2].date" */
                   _("“%s” is not a date (YYYY-MM-DD)"), field);
      return FALSE;
    }
  if (!esc_calendar_parse_day (to, &last))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("“%s” is not a date (YYYY-MM-DD)"), field);
      return FALSE;
    }
  if (last < first || last - first >= 366)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   /* Translators: %s is a JSON member, e.g. "closures[0]" */
                   _("“%s” must end on or after its first day, and last at most 366 days"), field);
      return FALSE;
    }

  /* Filled in place: the array owns the name (its clear function frees it). */
  g_array_set_size (self->closed, self->closed->len + 1);
  c = &g_array_index (self->closed, ClosedDays, self->closed->len - 1);
  c->day = first;
  c->last_day = last;
  c->name = g_strdup (name);
  c->is_closure = is_closure;
  mark_closed (self, first, last);
  return TRUE;
}

gboolean
esc_calendar_add_holiday (EscCalendar  *self,
                          const char   *date,
                          const char   *name,
                          GError      **error)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  return esc_calendar_add_closed (self, date, date, name, FALSE, "holidays", error);
}

gboolean
esc_calendar_add_closure (EscCalendar  *self,
                          const char   *from,
                          const char   *to,
                          const char   *reason,
                          GError      **error)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  return esc_calendar_add_closed (self, from, to, reason, TRUE, "closures", error);
}

static gboolean
day_is_closed (EscCalendar *self,
               gint32       day)
{
  if (self->closed_days->len == 0)
    return FALSE;
  return bsearch (&day, self->closed_days->data, self->closed_days->len, sizeof (gint32),
                  compare_day) != NULL;
}

gboolean
esc_calendar_is_closed_day (EscCalendar *self,
                            const GDate *date)
{
  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (date != NULL && g_date_valid (date), FALSE);

  return day_is_closed (self, (gint32)((gint64)g_date_get_julian (date) - EPOCH_JULIAN));
}

/* Times */

gint64
esc_calendar_usec_from_time (GDateTime *time)
{
  g_return_val_if_fail (time != NULL, 0);
  return g_date_time_to_unix (time) * USEC_PER_SEC + g_date_time_get_microsecond (time);
}

GDateTime *
esc_calendar_time_from_usec (gint64 usec)
{
  gint64 sec = usec / USEC_PER_SEC;
  gint64 rest = usec % USEC_PER_SEC;
  g_autoptr(GDateTime) whole = NULL;

  if (rest < 0)
    {
      sec -= 1;
      rest += USEC_PER_SEC;
    }
  whole = g_date_time_new_from_unix_utc (sec);
  if (whole == NULL)
    return NULL;
  return rest == 0 ? g_steal_pointer (&whole) : g_date_time_add (whole, rest);
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static guint
weekday_of (gint64 day)
{
  /* 1970-01-01 was a Thursday: index 3 counting Monday as 0 */
  return (guint)(((day % 7) + 7 + 3) % 7);
}

/* The offset (µs) in force at @t and the end of the stretch holding @t: the
 * next offset change, or at most a week later. */
static gint64
stretch_at (EscCalendar *self,
            gint64       t,
            gint64       max_seconds,
            gint64      *stretch_end)
{
  gint64 sec = floor_div (t, USEC_PER_SEC);
  gint64 hi = sec + max_seconds;
  gint interval;

  if (self->table != NULL && sec >= TABLE_FIRST && sec < TABLE_LAST)
    {
      const ZoneTable *table = self->table;
      guint lo = 0, up = table->n_changes;

      /* The number of changes at or before @sec */
      while (lo < up)
        {
          guint mid = lo + (up - lo) / 2;

          if (table->changes[mid] <= sec)
            lo = mid + 1;
          else
            up = mid;
        }
      hi = MIN (hi, lo < table->n_changes ? table->changes[lo] : TABLE_LAST);
      *stretch_end = hi * USEC_PER_SEC;
      return (gint64)table->offsets[lo] * USEC_PER_SEC;
    }

  interval = g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, sec);
  if (!self->single_offset &&
      g_time_zone_find_interval (self->time_zone, G_TIME_TYPE_UNIVERSAL, hi) != interval)
    hi = first_change (self->time_zone, sec, hi);

  *stretch_end = hi * USEC_PER_SEC;
  return (gint64)g_time_zone_get_offset (self->time_zone, interval) * USEC_PER_SEC;
}

/* The first open piece that ends after @t: [*open, *close) with *open >= @t.
 * Pieces may touch (a range to 24:00 then one from 00:00); FALSE when none
 * starts within ESC_CALENDAR_HORIZON_DAYS or before the end of year 9999. */
typedef struct
{
  gint64 end;     /* the stretch known so far: [.., end) at @offset */
  gint64 offset;
} Cursor;

#define CURSOR_INIT { G_MININT64, 0 }

static gboolean
next_piece (EscCalendar *self,
            gint64       t,
            Cursor      *cursor,
            gint64      *open,
            gint64      *close)
{
  gint64 limit;

  if (self->always_open)
    {
      *open = t;
      *close = MAX_USEC;
      return t < MAX_USEC;
    }

  if (t < MIN_USEC || t >= MAX_USEC)
    return FALSE;
  limit = t + (gint64)ESC_CALENDAR_HORIZON_DAYS * USEC_PER_DAY;
  limit = MIN (limit, MAX_USEC);

  while (t < limit)
    {
      gint64 end, offset, w, w_end;

      /* Calls come in time order: the last stretch often still holds @t. */
      if (t < cursor->end)
        {
          end = cursor->end;
          offset = cursor->offset;
        }
      else
        {
          offset = stretch_at (self, t, STRETCH_SEC, &end);
          cursor->end = end;
          cursor->offset = offset;
        }
      w = t + offset;
      w_end = end + offset;

      for (gint64 day = floor_div (w, USEC_PER_DAY); day * USEC_PER_DAY < w_end; day++)
        {
          guint weekday = weekday_of (day);
          GArray *ranges = self->ranges[weekday];
          gint64 base = day * USEC_PER_DAY;

          if (ranges->len == 0 || day_is_closed (self, (gint32)day))
            continue;

          for (guint i = 0; i < ranges->len; i += 2)
            {
              gint64 wa = base + g_array_index (ranges, guint, i) * USEC_PER_MIN;
              gint64 wb = base + g_array_index (ranges, guint, i + 1) * USEC_PER_MIN;

              if (wb > w && wa < w_end)
                {
                  *open = MAX (wa, w) - offset;
                  *close = MIN (wb, w_end) - offset;
                  return TRUE;
                }
            }
        }

      t = end;
    }

  return FALSE;
}

/* Open time of the local @day between wall instants @a and @b (within the day). */
static GTimeSpan
day_overlap (EscCalendar *self,
             gint64       day,
             gint64       a,
             gint64       b)
{
  GArray *ranges = self->ranges[weekday_of (day)];
  gint64 base = day * USEC_PER_DAY;
  GTimeSpan open = 0;

  if (ranges->len == 0 || day_is_closed (self, (gint32)day))
    return 0;
  for (guint i = 0; i < ranges->len; i += 2)
    {
      gint64 wa = MAX (a, base + g_array_index (ranges, guint, i) * USEC_PER_MIN);
      gint64 wb = MIN (b, base + g_array_index (ranges, guint, i + 1) * USEC_PER_MIN);

      if (wb > wa)
        open += wb - wa;
    }
  return open;
}

/* Open wall-clock time between wall instants @wa and @wb: whole weeks by
 * multiplication, holidays and closures by subtraction. */
static GTimeSpan
wall_elapsed (EscCalendar *self,
              gint64       wa,
              gint64       wb)
{
  gint64 d0, d1, first, last, n;
  const GTimeSpan *totals = self->day_totals;
  GTimeSpan week = 0, open;
  guint lo, hi;

  if (wb <= wa)
    return 0;
  d0 = floor_div (wa, USEC_PER_DAY);
  d1 = floor_div (wb - 1, USEC_PER_DAY);
  if (d0 == d1)
    return day_overlap (self, d0, wa, wb);

  open = day_overlap (self, d0, wa, (d0 + 1) * USEC_PER_DAY) + day_overlap (self, d1, d1 * USEC_PER_DAY, wb);
  first = d0 + 1;
  last = d1 - 1;
  if (last < first)
    return open;

  for (guint d = 0; d < 7; d++)
    week += totals[d];
  n = last - first + 1;
  open += (n / 7) * week;
  for (gint64 day = first + (n / 7) * 7; day <= last; day++)
    open += totals[weekday_of (day)];

  /* The closed days among the whole days */
  lo = 0;
  hi = self->closed_days->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->closed_days, gint32, mid) < first)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < self->closed_days->len && g_array_index (self->closed_days, gint32, i) <= last; i++)
    open -= totals[weekday_of (g_array_index (self->closed_days, gint32, i))];

  return open;
}

/* Within the local @day, from wall instant @w to @day_end: the instant
 * where *@span of open time has passed (TRUE), or FALSE with *@span less the
 * day's open time. A span used up exactly at a closing is due then; a span of
 * 0 is due at the first open instant. */
static gboolean
day_add (EscCalendar *self,
         gint64       day,
         gint64       w,
         gint64       day_end,
         GTimeSpan   *span,
         gint64      *due,
         gint64      *last_open)
{
  GArray *ranges = self->ranges[weekday_of (day)];
  gint64 base = day * USEC_PER_DAY;

  if (ranges->len == 0 || day_is_closed (self, (gint32)day))
    return FALSE;
  for (guint i = 0; i < ranges->len; i += 2)
    {
      gint64 wa = MAX (w, base + g_array_index (ranges, guint, i) * USEC_PER_MIN);
      gint64 wb = MIN (day_end, base + g_array_index (ranges, guint, i + 1) * USEC_PER_MIN);

      if (wb <= wa)
        continue;
      if (*span <= wb - wa)
        {
          *due = wa + *span;
          return TRUE;
        }
      *span -= wb - wa;
      *last_open = wb;
    }
  return FALSE;
}

/* esc_calendar_add_usec() in wall-clock time from @w to @w_end: whole weeks
 * and days are skipped by their open time, only the last day is walked.
 * @last_open: set to the end of the last open time passed, if any. */
static gboolean
wall_add (EscCalendar *self,
          gint64       w,
          gint64       w_end,
          GTimeSpan   *span,
          gint64      *due,
          gint64      *last_open)
{
  while (w < w_end)
    {
      gint64 day = floor_div (w, USEC_PER_DAY);
      gint64 day_end = MIN ((day + 1) * USEC_PER_DAY, w_end);

      /* From a midnight, a whole week that does not use the span up */
      if (w == day * USEC_PER_DAY && w + 7 * USEC_PER_DAY <= w_end)
        {
          GTimeSpan week = wall_elapsed (self, w, w + 7 * USEC_PER_DAY);

          if (*span > week)
            {
              *span -= week;
              w += 7 * USEC_PER_DAY;
              if (week > 0)
                *last_open = w;
              continue;
            }
        }
      if (day_add (self, day, w, day_end, span, due, last_open))
        return TRUE;
      w = day_end;
    }
  return FALSE;
}

gboolean
esc_calendar_contains_usec (EscCalendar *self,
                            gint64       time)
{
  Cursor cursor = CURSOR_INIT;
  gint64 open, close;

  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);

  return next_piece (self, time, &cursor, &open, &close) && open == time;
}

/**
 * esc_calendar_elapsed_usec:
 * @self: a calendar
 * @from: the start (µs since the epoch)
 * @to: the end
 *
 * Returns: the business time between @from and @to (0 if @to is not after @from)
 */
GTimeSpan
esc_calendar_elapsed_usec (EscCalendar *self,
                           gint64       from,
                           gint64       to)
{
  GTimeSpan elapsed = 0;
  gint64 t;

  g_return_val_if_fail (ESC_IS_CALENDAR (self), 0);

  from = CLAMP (from, MIN_USEC, MAX_USEC);
  to = CLAMP (to, MIN_USEC, MAX_USEC);
  if (to <= from)
    return 0;
  if (self->always_open)
    return to - from;

  /* Stretch by stretch of one offset (up to a year), in wall-clock time. */
  for (t = from; t < to; )
    {
      gint64 end;
      gint64 offset = stretch_at (self, t, 366 * 24 * 3600, &end);

      end = MIN (end, to);
      elapsed += wall_elapsed (self, t + offset, end + offset);
      t = end;
    }

  return elapsed;
}

/**
 * esc_calendar_add_usec:
 * @self: a calendar
 * @start: when the clock starts (µs since the epoch)
 * @span: how much business time must pass (not negative)
 * @due: (out): the instant it has
 *
 * A due time. A clock started outside hours starts at the next opening; when
 * @span is used up exactly at a closing time, the due time is that closing
 * time, not the next opening.
 *
 * Returns: FALSE if the calendar has no open hours within its horizon
 */
gboolean
esc_calendar_add_usec (EscCalendar *self,
                       gint64       start,
                       GTimeSpan    span,
                       gint64      *due)
{
  gint64 t = start;
  gint64 closed_since = start;

  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (span >= 0, FALSE);
  g_return_val_if_fail (due != NULL, FALSE);

  if (self->always_open)
    {
      if (start < MIN_USEC || start > MAX_USEC - span)
        return FALSE;
      *due = start + span;
      return TRUE;
    }
  if (start < MIN_USEC || start >= MAX_USEC)
    return FALSE;

  /* Stretch by stretch of one offset; within one, in wall-clock time. No
   * open time for ESC_CALENDAR_HORIZON_DAYS after the last: never open again,
   * as far as we look. */
  while (t < MAX_USEC)
    {
      gint64 end, wall_due, last_open = G_MININT64;
      gint64 offset = stretch_at (self, t, 366 * 24 * 3600, &end);
      gint64 limit = closed_since + (gint64)ESC_CALENDAR_HORIZON_DAYS * USEC_PER_DAY;

      if (t >= limit)
        return FALSE;
      end = MIN (MIN (end, limit), MAX_USEC);
      if (wall_add (self, t + offset, end + offset, &span, &wall_due, &last_open))
        {
          *due = wall_due - offset;
          return TRUE;
        }
      if (last_open != G_MININT64)
        closed_since = last_open - offset;
      t = end;
    }

  return FALSE;
}

/**
 * esc_calendar_next_opening_usec:
 * @self: a calendar
 * @time: an instant (µs since the epoch)
 * @opening: (out): the first instant at or after @time inside hours (@time
 *   itself when it is inside hours)
 *
 * Returns: FALSE if there is none within the calendar's horizon
 */
gboolean
esc_calendar_next_opening_usec (EscCalendar *self,
                                gint64       time,
                                gint64      *opening)
{
  Cursor cursor = CURSOR_INIT;
  gint64 close;

  g_return_val_if_fail (ESC_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (opening != NULL, FALSE);

  return next_piece (self, time, &cursor, opening, &close);
}

gboolean
esc_calendar_contains (EscCalendar *self,
                       GDateTime   *time)
{
  g_return_val_if_fail (time != NULL, FALSE);
  return esc_calendar_contains_usec (self, esc_calendar_usec_from_time (time));
}

GTimeSpan
esc_calendar_elapsed (EscCalendar *self,
                      GDateTime   *from,
                      GDateTime   *to)
{
  g_return_val_if_fail (from != NULL && to != NULL, 0);
  return esc_calendar_elapsed_usec (self, esc_calendar_usec_from_time (from),
                                    esc_calendar_usec_from_time (to));
}

/**
 * esc_calendar_add:
 * @self: a calendar
 * @start: when the clock starts
 * @span: business time, not negative
 *
 * See esc_calendar_add_usec().
 *
 * Returns: (transfer full) (nullable): the due time in UTC, or %NULL if the
 *   calendar has no open hours within its horizon
 */
GDateTime *
esc_calendar_add (EscCalendar *self,
                  GDateTime   *start,
                  GTimeSpan    span)
{
  gint64 due;

  g_return_val_if_fail (start != NULL, NULL);
  if (!esc_calendar_add_usec (self, esc_calendar_usec_from_time (start), span, &due))
    return NULL;
  return esc_calendar_time_from_usec (due);
}

/**
 * esc_calendar_next_opening:
 * @self: a calendar
 * @time: an instant
 *
 * Returns: (transfer full) (nullable): the first instant at or after @time
 *   inside hours, in UTC; %NULL if none within the calendar's horizon
 */
GDateTime *
esc_calendar_next_opening (EscCalendar *self,
                           GDateTime   *time)
{
  gint64 opening;

  g_return_val_if_fail (time != NULL, NULL);
  if (!esc_calendar_next_opening_usec (self, esc_calendar_usec_from_time (time), &opening))
    return NULL;
  return esc_calendar_time_from_usec (opening);
}

/**
 * esc_calendar_copy:
 * @self: a calendar
 *
 * Returns: (transfer full): an independent copy
 */
EscCalendar *
esc_calendar_copy (EscCalendar *self)
{
  EscCalendar *copy;

  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);

  copy = g_object_new (ESC_TYPE_CALENDAR, NULL);
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->time_zone_id = g_strdup (self->time_zone_id);
  copy->time_zone = g_time_zone_ref (self->time_zone);
  copy->single_offset = self->single_offset;
  copy->table = self->table;
  copy->always_open = self->always_open;
  for (guint d = 0; d < 7; d++)
    {
      g_array_append_vals (copy->ranges[d], self->ranges[d]->data, self->ranges[d]->len);
      copy->day_totals[d] = self->day_totals[d];
    }
  for (guint i = 0; i < self->closed->len; i++)
    {
      ClosedDays c = g_array_index (self->closed, ClosedDays, i);

      c.name = g_strdup (c.name);
      g_array_append_val (copy->closed, c);
    }
  g_array_append_vals (copy->closed_days, self->closed_days->data, self->closed_days->len);

  return copy;
}
