/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include <string.h>

#include "esc-admin-hours.h"
#include "esc-sla-clock.h"
#include "fuzz-common.h"

/* The calendar and the SLA clock (src/core/esc-admin-hours.h, esc-sla-clock.h) on times and
 * spans taken from the input: any instant from 1970 to 2100, any span up to ten years, both
 * coverages, every state. Checked: a due time computed by esc_admin_hours_add() is never
 * before the start, and the clock runs exactly the asked span up to it
 * (esc_admin_hours_elapsed()); the clock's text is UTF-8, its level consistent with the
  * remaining time (overdue from the due time on). */

#define MAX_SECONDS G_GINT64_CONSTANT (4102444800)  /* 2100-01-01 */
#define MAX_SPAN    (G_GINT64_CONSTANT (3650) * G_TIME_SPAN_DAY)

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

typedef struct
{
  const guint8 *data;
  size_t        size;
} Input;

static guint64
take (Input *in)
{
  guint64 value = 0;
  size_t n = MIN (in->size, sizeof value);

  memcpy (&value, in->data, n);
  in->data += n;
  in->size -= n;
  return value;
}

static GDateTime *
take_time (Input *in)
{
  guint64 raw = take (in);
  gint64 seconds = (gint64)(raw % (guint64)MAX_SECONDS);
  GDateTime *epoch = g_date_time_new_from_unix_utc (seconds);
  GDateTime *time = g_date_time_add (epoch, (GTimeSpan)((raw >> 40) % G_TIME_SPAN_SECOND));

  g_date_time_unref (epoch);
  return time;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Input in = { data, size };
  g_autoptr(GDateTime) start = take_time (&in);
  g_autoptr(GDateTime) now = take_time (&in);
  g_autoptr(GDateTime) due = NULL;
  g_autofree char *text = NULL;
  g_autofree char *span_text = NULL;
  GTimeSpan span = (GTimeSpan)(take (&in) % (guint64)MAX_SPAN);
  guint64 choice = take (&in);
  EscCoverage coverage = (choice & 1) ? ESC_COVERAGE_ADMIN_HOURS : ESC_COVERAGE_24X7;
  EscSupportRequestState state = (EscSupportRequestState)((choice >> 1) % 6);
  GTimeSpan remaining = 0;
  GTimeSpan ran;
  EscSlaLevel level;

  due = esc_admin_hours_add (start, span, coverage);
  g_assert (due != NULL);
  g_assert (g_date_time_compare (due, start) >= 0);
  ran = esc_admin_hours_elapsed (start, due, coverage);
  if (ran != span)
    g_error ("add (%s, %" G_GINT64_FORMAT " µs, %s) = %s, but elapsed () = %" G_GINT64_FORMAT " µs",
             g_date_time_format_iso8601 (start), span, esc_coverage_to_string (coverage),
             g_date_time_format_iso8601 (due), ran);
  g_assert (esc_admin_hours_elapsed (due, start, coverage) == 0);

  level = esc_sla_clock_compute (now, (choice & 0x80) ? start : NULL, due, state,
                                 &remaining, &text);
  g_assert (level >= ESC_SLA_LEVEL_NONE && level <= ESC_SLA_LEVEL_OVERDUE);
  if (level == ESC_SLA_LEVEL_NONE)
    g_assert (text == NULL);
  else
    {
      g_assert (text != NULL && g_utf8_validate (text, -1, NULL));
      g_assert ((level == ESC_SLA_LEVEL_OVERDUE) == (remaining <= 0));
      g_assert (esc_sla_clock_next_change (remaining) >= G_TIME_SPAN_SECOND);
    }

  span_text = esc_sla_clock_format_span ((GTimeSpan)take (&in));
  g_assert (span_text != NULL && g_utf8_validate (span_text, -1, NULL));

  return 0;
}
