/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-support-request.h"

G_BEGIN_DECLS

/**
 * EscSlaLevel:
 * @ESC_SLA_LEVEL_NONE: no clock runs: the initial response was given (the
 *   request left "new") or there is no due time
 * @ESC_SLA_LEVEL_OK: time left
 * @ESC_SLA_LEVEL_WARNING: 25 % of the response time or less is left
 * @ESC_SLA_LEVEL_OVERDUE: the response is late
 */
typedef enum
{
  ESC_SLA_LEVEL_NONE,
  ESC_SLA_LEVEL_OK,
  ESC_SLA_LEVEL_WARNING,
  ESC_SLA_LEVEL_OVERDUE,
} EscSlaLevel;

/* The share of the response time left at or under which the clock warns. */
#define ESC_SLA_CLOCK_WARNING_PERCENT 25

/* The live clock of the "Response due" column. Pure: give it the time.
 * @created_at (nullable) gives the full response time, for the warning level;
 * @text (out, optional, transfer full, nullable): "2 h 15 min left",
 * "Overdue by 40 min", NULL with NONE; @remaining (out, optional): due − now,
 * negative when overdue. The initial response clock runs while the request is
 * "new" only. It is the SLA engine's first-response clock (esc-sla-engine.h)
 * over the span from filing to due, round the clock: the list has the due
 * time the service computed in its admin support hours, not the calendar. */
EscSlaLevel  esc_sla_clock_compute       (GDateTime               *now,
                                          GDateTime               *created_at,
                                          GDateTime               *response_due_at,
                                          EscSupportRequestState   state,
                                          GTimeSpan               *remaining,
                                          char                   **text);
/* A duration in words, rounded down: "3 days 4 h", "2 h 15 min", "40 min",
 * "less than 1 min"; the sign is ignored. */
char        *esc_sla_clock_format_span   (GTimeSpan                span);
/* When the text changes next (for a timer): the microseconds until the next
 * whole minute of @remaining, at least 1 s. */
GTimeSpan    esc_sla_clock_next_change   (GTimeSpan                remaining);

G_END_DECLS
