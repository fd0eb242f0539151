/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-calendar.h"
#include "esc-sla-agreement.h"

G_BEGIN_DECLS

/* The SLA engine: from the terms of an agreement version, a calendar and a
 * ticket's events, the state of its three clocks (first response, update,
 * resolution) at a given moment. Pure and allocation-free: times are
 * microseconds since the Unix epoch (UTC), spans are business time. */

typedef struct _EscSlaTerms EscSlaTerms;

/* One thing that happened to a ticket. @severity: for created and
 * severity-changed; @state: for paused, the waiting state ("waiting-on-customer"),
 * which pauses the clocks only if the agreement lists it; @terms and
 * @calendar: for agreement-changed, the terms and calendar in force from
 * then on (borrowed; the elapsed and paused time so far are kept). */
typedef struct
{
  EscSlaEventKind     kind;
  gint64              at;
  EscSupportSeverity  severity;
  const char         *state;
  const EscSlaTerms  *terms;
  EscCalendar        *calendar;
} EscSlaEvent;

/* The terms the engine applies, in microseconds: what an agreement version
 * says, or what a caller builds (the Requests screen's clock). */
struct _EscSlaTerms
{
  GTimeSpan           targets[3][ESC_SLA_N_METRICS];   /* per severity; 0: no target */
  gboolean            always_open[3];                  /* the clock runs 24×7 for this severity */
  guint               percents[ESC_SLA_MAX_WARNINGS];  /* ascending */
  guint               n_percents;
  guint               response_events;                 /* bit per EscSlaEventKind */
  const char * const *pause_states;                    /* NULL-terminated, borrowed */
};

/**
 * EscSlaClockState:
 * @ESC_SLA_CLOCK_NONE: no target, or the clock never started (no update clock
 *   before the first response)
 * @ESC_SLA_CLOCK_RUNNING: counting
 * @ESC_SLA_CLOCK_PAUSED: the ticket waits in a pause state
 * @ESC_SLA_CLOCK_STOPPED: met or ended (responded, resolved)
 */
typedef enum
{
  ESC_SLA_CLOCK_NONE,
  ESC_SLA_CLOCK_RUNNING,
  ESC_SLA_CLOCK_PAUSED,
  ESC_SLA_CLOCK_STOPPED,
} EscSlaClockState;

/* One clock. @elapsed counts business time while running; @paused the
 * business time it would have counted while paused, kept across severity
 * changes; @remaining = @target − @elapsed (negative when late).
 * @due_at (when @has_due): the instant @elapsed reaches @target if the clock
 * keeps running from now — only while running. @breached_at: when @elapsed
 * reached @target (or the severity change that lowered the target under it).
 * @warning_at[i] for @percents[i] (when @warning_known[i]): the instant the
 * threshold was crossed (@warning_crossed[i]) or, while running, will be;
 * always an instant inside the clock's calendar hours, or the closing instant
 * of a range. For the update clock, the current interval (since the last
 * response or update); @breaches counts its late intervals. */
typedef struct
{
  EscSlaClockState state;
  gboolean  breached;
  guint     breaches;
  GTimeSpan target;
  GTimeSpan elapsed;
  GTimeSpan paused;
  GTimeSpan remaining;
  gboolean  has_due;
  gint64    due_at;
  gboolean  has_breached_at;
  gint64    breached_at;
  gboolean  has_started;
  gint64    started_at;
  gboolean  has_stopped;
  gint64    stopped_at;
  guint     n_warnings;
  gboolean  warning_known[ESC_SLA_MAX_WARNINGS];
  gboolean  warning_crossed[ESC_SLA_MAX_WARNINGS];
  gint64    warning_at[ESC_SLA_MAX_WARNINGS];
} EscSlaMetric;

typedef struct
{
  EscSupportSeverity severity;
  gboolean           paused;
  gboolean           resolved;
  gboolean           responded;
  EscSlaMetric       metrics[ESC_SLA_N_METRICS];
} EscSlaResult;

/* @version's terms; the strings stay borrowed from @version. */
void      esc_sla_terms_init_from_version  (EscSlaTerms             *terms,
                                            EscSlaAgreementVersion  *version);

/* @events in time order (ties kept in order), the first one "created", none
 * after @now; @calendar: the agreement's calendar (a severity whose targets
 * are always_open runs 24×7). FALSE with ESC_CORE_ERROR naming the bad event. */
gboolean  esc_sla_engine_compute           (const EscSlaTerms       *terms,
                                            EscCalendar             *calendar,
                                            const EscSlaEvent       *events,
                                            guint                    n_events,
                                            gint64                   now,
                                            EscSlaResult            *result,
                                            GError                 **error);

/* A 24×7 calendar, shared (do not modify). */
EscCalendar *esc_sla_engine_calendar_24x7  (void);

G_END_DECLS
