/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-calendar.h"

G_BEGIN_DECLS

/**
 * EscCoverage:
 * @ESC_COVERAGE_24X7: the clock runs all the time ("24x7")
 * @ESC_COVERAGE_ADMIN_HOURS: the clock runs in admin support hours only: a
 *   business-hours calendar with its own time zone and holidays, which the
 *   service keeps as data; by default 24 hours a day Monday to Friday, UTC
 *   ("admin-hours")
 *
 * When a response clock runs. Wire names in parentheses.
 */
typedef enum
{
  ESC_COVERAGE_24X7,
  ESC_COVERAGE_ADMIN_HOURS,
} EscCoverage;

const char *esc_coverage_to_string       (EscCoverage  coverage);
gboolean    esc_coverage_from_string     (const char  *str,
                                          EscCoverage *coverage);

/* The default admin support hours when none are given: 24 hours a day,
 * Monday to Friday, UTC, no holidays. Shared: do not modify. */
EscCalendar *esc_admin_hours_default_calendar (void);
/* A due time: 24x7 counts every instant, admin-hours the instants of
 * @calendar (NULL: the default). NULL if @calendar never opens. */
GDateTime  *esc_admin_hours_add_in       (EscCalendar *calendar,
                                          GDateTime   *start,
                                          GTimeSpan    span,
                                          EscCoverage  coverage);

/* The same with the default calendar */
gboolean    esc_admin_hours_contains     (GDateTime   *time);
GDateTime  *esc_admin_hours_add          (GDateTime   *start,
                                          GTimeSpan    span,
                                          EscCoverage  coverage);
GTimeSpan   esc_admin_hours_elapsed      (GDateTime   *from,
                                          GDateTime   *to,
                                          EscCoverage  coverage);

G_END_DECLS
