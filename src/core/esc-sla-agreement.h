/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "esc-support-request.h"

G_BEGIN_DECLS

/**
 * EscSlaVersionState:
 * @ESC_SLA_VERSION_DRAFT: being written; partner managers edit it ("draft")
 * @ESC_SLA_VERSION_AGREED: accepted by an IT administrator and by the partner
 *   manager: the version in force ("agreed")
 * @ESC_SLA_VERSION_SUPERSEDED: replaced by a later agreed version ("superseded")
 * @ESC_SLA_VERSION_RETIRED: withdrawn by an IT administrator ("retired")
 */
typedef enum
{
  ESC_SLA_VERSION_DRAFT,
  ESC_SLA_VERSION_AGREED,
  ESC_SLA_VERSION_SUPERSEDED,
  ESC_SLA_VERSION_RETIRED,
} EscSlaVersionState;

/**
 * EscSlaMetricKind:
 * @ESC_SLA_METRIC_FIRST_RESPONSE: from filing to the first response
 * @ESC_SLA_METRIC_UPDATE: the cadence of updates after the first response
 * @ESC_SLA_METRIC_RESOLUTION: from filing to resolution
 */
typedef enum
{
  ESC_SLA_METRIC_FIRST_RESPONSE,
  ESC_SLA_METRIC_UPDATE,
  ESC_SLA_METRIC_RESOLUTION,
  ESC_SLA_N_METRICS
} EscSlaMetricKind;

/**
 * EscSlaEventKind:
 *
 * What happens to a ticket, as the SLA engine reads it; wire names are
 * kebab-case ("created", "severity-changed", "agreement-changed": another
 * agreement version, or another agreement, applies from then on).
 */
typedef enum
{
  ESC_SLA_EVENT_CREATED,
  ESC_SLA_EVENT_RESPONDED,
  ESC_SLA_EVENT_UPDATED,
  ESC_SLA_EVENT_PAUSED,
  ESC_SLA_EVENT_RESUMED,
  ESC_SLA_EVENT_SEVERITY_CHANGED,
  ESC_SLA_EVENT_RESOLVED,
  ESC_SLA_EVENT_REOPENED,
  ESC_SLA_EVENT_AGREEMENT_CHANGED,
} EscSlaEventKind;

#define ESC_SLA_MAX_WARNINGS 8

/* One severity's targets, in minutes of business time (0: no target).
 * @always_open: the clock runs 24×7 whatever the agreement's calendar. */
typedef struct
{
  guint    first_response_minutes;
  guint    update_minutes;
  guint    resolution_minutes;
  gboolean always_open;
} EscSlaTargets;

/* A warning threshold: a percentage of a target and who is told. */
typedef struct
{
  guint  percent;
  GStrv  notify;
} EscSlaWarning;

/* Who accepted a version, and when. */
typedef struct
{
  char      *name;
  GDateTime *at;
} EscSlaAcceptance;

#define ESC_TYPE_SLA_AGREEMENT_VERSION (esc_sla_agreement_version_get_type ())

G_DECLARE_FINAL_TYPE (EscSlaAgreementVersion, esc_sla_agreement_version, ESC, SLA_AGREEMENT_VERSION, GObject)

const char  *esc_sla_version_state_to_string   (EscSlaVersionState  state);
gboolean     esc_sla_version_state_from_string (const char         *str,
                                                EscSlaVersionState *state);
const char  *esc_sla_event_kind_to_string      (EscSlaEventKind     kind);
gboolean     esc_sla_event_kind_from_string    (const char         *str,
                                                EscSlaEventKind    *kind);
const char  *esc_sla_metric_kind_to_string     (EscSlaMetricKind    kind);

/* An empty draft: no targets yet, pauses in "waiting-on-customer" and
 * "waiting-on-vendor", warnings at 50, 75 and 100 %, and "responded" counting
 * as the response. */
EscSlaAgreementVersion *esc_sla_agreement_version_new        (void);
/* @draft_body: read what a partner manager may write only (the terms), and
 * refuse the members the service keeps (state, acceptances, times). */
EscSlaAgreementVersion *esc_sla_agreement_version_new_from_json (JsonNode  *node,
                                                                 gboolean   draft_body,
                                                                 GError   **error);
JsonNode               *esc_sla_agreement_version_to_json    (EscSlaAgreementVersion *self);
/* The terms only, as a draft body. */
JsonNode               *esc_sla_agreement_version_terms_to_json (EscSlaAgreementVersion *self);

const char           *esc_sla_agreement_version_get_agreement_id (EscSlaAgreementVersion *self);
void                  esc_sla_agreement_version_set_agreement_id (EscSlaAgreementVersion *self,
                                                                  const char             *id);
guint                 esc_sla_agreement_version_get_version      (EscSlaAgreementVersion *self);
void                  esc_sla_agreement_version_set_version      (EscSlaAgreementVersion *self,
                                                                  guint                   version);
EscSlaVersionState    esc_sla_agreement_version_get_state        (EscSlaAgreementVersion *self);
void                  esc_sla_agreement_version_set_state        (EscSlaAgreementVersion *self,
                                                                  EscSlaVersionState      state);
const char           *esc_sla_agreement_version_get_calendar_id  (EscSlaAgreementVersion *self);
void                  esc_sla_agreement_version_set_calendar_id  (EscSlaAgreementVersion *self,
                                                                  const char             *id);
const EscSlaTargets  *esc_sla_agreement_version_get_targets      (EscSlaAgreementVersion *self,
                                                                  EscSupportSeverity      severity);
void                  esc_sla_agreement_version_set_targets      (EscSlaAgreementVersion *self,
                                                                  EscSupportSeverity      severity,
                                                                  const EscSlaTargets    *targets);
const char * const   *esc_sla_agreement_version_get_pause_states (EscSlaAgreementVersion *self);
void                  esc_sla_agreement_version_set_pause_states (EscSlaAgreementVersion *self,
                                                                  const char * const     *states);
gboolean              esc_sla_agreement_version_pauses_in        (EscSlaAgreementVersion *self,
                                                                  const char             *state);
/* The thresholds, ascending; @n (out) */
const EscSlaWarning  *esc_sla_agreement_version_get_warnings     (EscSlaAgreementVersion *self,
                                                                  guint                  *n);
/* @percents: ascending, each 1 to 1000, at most ESC_SLA_MAX_WARNINGS; notify lists cleared */
gboolean              esc_sla_agreement_version_set_warnings     (EscSlaAgreementVersion *self,
                                                                  const guint            *percents,
                                                                  guint                   n,
                                                                  GError                **error);
/* Who is told at threshold @index: @notify as esc_sla_notify_target_is_valid() reads it */
void                  esc_sla_agreement_version_set_warning_notify (EscSlaAgreementVersion *self,
                                                                    guint                   index,
                                                                    const char * const     *notify);
const char           *esc_sla_agreement_version_get_response_rule (EscSlaAgreementVersion *self);
void                  esc_sla_agreement_version_set_response_rule (EscSlaAgreementVersion *self,
                                                                   const char             *rule);
/* Whether an event of @kind counts as the first response. */
gboolean              esc_sla_agreement_version_counts_as_response (EscSlaAgreementVersion *self,
                                                                    EscSlaEventKind         kind);
void                  esc_sla_agreement_version_set_response_events (EscSlaAgreementVersion *self,
                                                                     const EscSlaEventKind  *kinds,
                                                                     guint                   n);
const EscSlaAcceptance *esc_sla_agreement_version_get_it_admin_acceptance (EscSlaAgreementVersion *self);
const EscSlaAcceptance *esc_sla_agreement_version_get_partner_acceptance  (EscSlaAgreementVersion *self);
GDateTime            *esc_sla_agreement_version_get_agreed_at    (EscSlaAgreementVersion *self);

/* What the service records about a version, for its answers: @at and
 * @name/@by nullable (NULL @at: not accepted / not yet). */
void                  esc_sla_agreement_version_set_acceptance   (EscSlaAgreementVersion *self,
                                                                  gboolean                it_admin,
                                                                  const char             *name,
                                                                  GDateTime              *at);
void                  esc_sla_agreement_version_set_created      (EscSlaAgreementVersion *self,
                                                                  GDateTime              *at,
                                                                  const char             *by);
void                  esc_sla_agreement_version_set_agreed_at    (EscSlaAgreementVersion *self,
                                                                  GDateTime              *at);
void                  esc_sla_agreement_version_set_superseded_at (EscSlaAgreementVersion *self,
                                                                   GDateTime              *at);
void                  esc_sla_agreement_version_set_retired      (EscSlaAgreementVersion *self,
                                                                  GDateTime              *at,
                                                                  const char             *by);

/* Whether @target may be told of a warning: a role ("it-admin",
 * "partner-manager", "support-staff"), the request's "filer" or
 * "assignee", or an e-mail address. */
gboolean              esc_sla_notify_target_is_valid (const char *target);
/* Whether @state may pause the clocks: a state name in lower-case words
 * joined by "-" ("waiting-on-customer"), as the service and help desks
 * name their states. */
gboolean              esc_sla_pause_state_is_valid   (const char *state);

/* The member named by an error of the calendar and agreement readers
 * ("week.monday[1].end"), as a JSON pointer ("/week/monday/1/end"); NULL if
 * the error names none. */
char                 *esc_sla_error_dup_pointer (const GError *error);

G_END_DECLS
