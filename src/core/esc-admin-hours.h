/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * EscCoverage:
 * @ESC_COVERAGE_24X7: the clock runs all the time ("24x7")
 * @ESC_COVERAGE_ADMIN_HOURS: the clock runs in admin support hours only,
 *   24 hours a day Monday to Friday, UTC ("admin-hours")
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

gboolean    esc_admin_hours_contains     (GDateTime   *time);
GDateTime  *esc_admin_hours_add          (GDateTime   *start,
                                          GTimeSpan    span,
                                          EscCoverage  coverage);
GTimeSpan   esc_admin_hours_elapsed      (GDateTime   *from,
                                          GDateTime   *to,
                                          EscCoverage  coverage);

G_END_DECLS
