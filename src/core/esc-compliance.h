/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "esc-calendar.h"
#include "esc-sla-agreement.h"
#include "esc-sla-engine.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

/* SLA compliance of the help desk's own tickets: a CSV export of its
 * ticketing tool, read through a column mapping, measured with the SLA
 * engine against an agreement version and its calendar. Pure: no I/O. */

/**
 * EscComplianceField:
 * @ESC_COMPLIANCE_FIELD_TICKET_ID: the ticket's id in the help desk's tool (required)
 * @ESC_COMPLIANCE_FIELD_SEVERITY: its severity, through the value mapping (required)
 * @ESC_COMPLIANCE_FIELD_CREATED: when it was opened (required)
 * @ESC_COMPLIANCE_FIELD_FIRST_RESPONSE: its first response (optional)
 * @ESC_COMPLIANCE_FIELD_LAST_UPDATE: its last update (optional)
 * @ESC_COMPLIANCE_FIELD_RESOLVED: when it was resolved; empty while open (optional)
 * @ESC_COMPLIANCE_FIELD_STATUS: its status as the tool words it (optional, kept as text)
 * @ESC_COMPLIANCE_FIELD_REOPENED: whether (or how often) it was reopened:
 *   a count, or yes/no, oui/non, true/false (optional)
 * @ESC_COMPLIANCE_FIELD_PAUSED: business time spent waiting (optional), in the
 *   mapping's @paused_unit, with a decimal point or comma ("1,5")
 */
typedef enum
{
  ESC_COMPLIANCE_FIELD_TICKET_ID,
  ESC_COMPLIANCE_FIELD_SEVERITY,
  ESC_COMPLIANCE_FIELD_CREATED,
  ESC_COMPLIANCE_FIELD_FIRST_RESPONSE,
  ESC_COMPLIANCE_FIELD_LAST_UPDATE,
  ESC_COMPLIANCE_FIELD_RESOLVED,
  ESC_COMPLIANCE_FIELD_STATUS,
  ESC_COMPLIANCE_FIELD_REOPENED,
  ESC_COMPLIANCE_FIELD_PAUSED,
  ESC_COMPLIANCE_N_FIELDS
} EscComplianceField;

/**
 * EscComplianceDateFormat:
 * @ESC_COMPLIANCE_DATE_ISO: "2026-03-02 14:05", "2026-03-02T14:05:00" or RFC 3339
 * @ESC_COMPLIANCE_DATE_DMY: "02/03/2026 14:05" (French and most of Europe; "." or "-" too)
 * @ESC_COMPLIANCE_DATE_MDY: "03/02/2026 2:05 PM" or "03/02/2026 14:05" (United States)
 *
 * Seconds are optional. A date without an offset is a local time in the
 * mapping's time zone.
 */
typedef enum
{
  ESC_COMPLIANCE_DATE_ISO,
  ESC_COMPLIANCE_DATE_DMY,
  ESC_COMPLIANCE_DATE_MDY,
} EscComplianceDateFormat;

/**
 * EscCompliancePausedUnit:
 * @ESC_COMPLIANCE_PAUSED_MINUTES: the paused column counts minutes
 * @ESC_COMPLIANCE_PAUSED_HOURS: the paused column counts hours
 */
typedef enum
{
  ESC_COMPLIANCE_PAUSED_MINUTES,
  ESC_COMPLIANCE_PAUSED_HOURS,
} EscCompliancePausedUnit;

const char *esc_compliance_field_to_string      (EscComplianceField  field);  /* "ticket-id"… */
/* Translated, for the mapping dialog: "Ticket ID", "Severity"… */
const char *esc_compliance_field_get_label      (EscComplianceField  field);
gboolean    esc_compliance_field_is_required    (EscComplianceField  field);

#define ESC_TYPE_COMPLIANCE_MAPPING (esc_compliance_mapping_get_type ())

G_DECLARE_FINAL_TYPE (EscComplianceMapping, esc_compliance_mapping, ESC, COMPLIANCE_MAPPING, GObject)

/* How one source's CSV export reads: its name ("ServiceNow export"), the
 * separator (',' or ';'), the date format and time zone, which column (by its
 * header text) holds each field, and which severity each of the source's
 * values means ("P1" and "Critique" → A). Values are matched without regard
 * to case or surrounding spaces; the letters "A", "B", "C" always map to
 * themselves. */
EscComplianceMapping *esc_compliance_mapping_new            (const char              *source);
EscComplianceMapping *esc_compliance_mapping_copy           (EscComplianceMapping    *self);
/* The stored form (JSON), and back; strict: unknown members are refused. */
JsonNode             *esc_compliance_mapping_to_json        (EscComplianceMapping    *self);
EscComplianceMapping *esc_compliance_mapping_new_from_json  (JsonNode                *node,
                                                             GError                 **error);

const char           *esc_compliance_mapping_get_source     (EscComplianceMapping    *self);
char                  esc_compliance_mapping_get_separator  (EscComplianceMapping    *self);
void                  esc_compliance_mapping_set_separator  (EscComplianceMapping    *self,
                                                             char                     separator);
EscComplianceDateFormat esc_compliance_mapping_get_date_format (EscComplianceMapping *self);
void                  esc_compliance_mapping_set_date_format (EscComplianceMapping   *self,
                                                              EscComplianceDateFormat format);
/* IANA name of the zone of dates written without an offset (default "UTC") */
const char           *esc_compliance_mapping_get_time_zone  (EscComplianceMapping    *self);
gboolean              esc_compliance_mapping_set_time_zone  (EscComplianceMapping    *self,
                                                             const char              *time_zone,
                                                             GError                 **error);
EscCompliancePausedUnit esc_compliance_mapping_get_paused_unit (EscComplianceMapping *self);
void                  esc_compliance_mapping_set_paused_unit (EscComplianceMapping   *self,
                                                              EscCompliancePausedUnit unit);
/* (nullable): the header text of @field's column, NULL when not mapped */
const char           *esc_compliance_mapping_get_column     (EscComplianceMapping    *self,
                                                             EscComplianceField       field);
void                  esc_compliance_mapping_set_column     (EscComplianceMapping    *self,
                                                             EscComplianceField       field,
                                                             const char              *header);
/* (transfer full): the source's values mapped so far, sorted */
GStrv                 esc_compliance_mapping_dup_values     (EscComplianceMapping    *self);
gboolean              esc_compliance_mapping_lookup_severity (EscComplianceMapping   *self,
                                                              const char             *value,
                                                              EscSupportSeverity     *severity);
void                  esc_compliance_mapping_set_severity   (EscComplianceMapping    *self,
                                                             const char              *value,
                                                             EscSupportSeverity       severity);
void                  esc_compliance_mapping_remove_value   (EscComplianceMapping    *self,
                                                             const char              *value);
/* The header line the mapping was made for (its fields joined by U+001F),
 * by which the source is recognised; set from the header's fields. */
const char           *esc_compliance_mapping_get_signature  (EscComplianceMapping    *self);
void                  esc_compliance_mapping_set_header     (EscComplianceMapping    *self,
                                                             const char * const      *fields);
char                 *esc_compliance_signature_for_header   (const char * const      *fields);

/* Reads the header line of a CSV text (',' or ';', guessed from the first
 * line): (transfer full) its fields, and the guessed separator. For the
 * mapping dialog, before the whole file is read. */
GStrv                 esc_compliance_read_header            (const char              *text,
                                                             gsize                    length,
                                                             char                    *separator,
                                                             GError                 **error);

/* One imported ticket. Times are microseconds since the epoch (UTC); 0 when
 * the export left them empty. @paused is business time in microseconds. */
typedef struct
{
  char               *ticket_id;
  EscSupportSeverity  severity;
  gint64              created;
  gint64              first_response;
  gint64              last_update;
  gint64              resolved;
  char               *status;      /* nullable */
  guint               reopened;    /* times reopened (1 for "yes") */
  GTimeSpan           paused;
  guint               line;        /* of the CSV text */
} EscComplianceTicket;

void esc_compliance_ticket_clear (EscComplianceTicket *ticket);

/* A bad line of an import: its number (1-based, as an editor counts) and a
 * translated reason ("the date “31/02/2026” does not exist"). */
typedef struct
{
  guint  line;
  char  *reason;
} EscComplianceProblem;

void esc_compliance_problem_free (EscComplianceProblem *problem);

/* Progress of a long operation: @done out of @total (rows, or bytes). */
typedef void (*EscComplianceProgressFunc) (guint64  done,
                                           guint64  total,
                                           gpointer user_data);

/* Reads @text (UTF-8, optional BOM, CRLF or LF) with @mapping: a header line
 * then one ticket per line. Returns (element-type EscComplianceTicket) the
 * tickets, or NULL: then @problems (element-type EscComplianceProblem, sorted
 * by line) names every bad line — a wrong date, an unknown severity, a
 * missing id, a ticket id seen twice, a response before the creation — and
 * @error summarises (ESC_CORE_ERROR_INVALID_VALUE). A fault of the CSV itself
 * (an unclosed quote) or of the header (a mapped column missing) is one
 * problem. @progress (nullable) is called from this thread every few
 * thousand lines; a cancelled @cancellable stops with G_IO_ERROR_CANCELLED. */
GArray *esc_compliance_parse (EscComplianceMapping       *mapping,
                              const char                 *text,
                              gsize                       length,
                              EscComplianceProgressFunc   progress,
                              gpointer                    progress_data,
                              GCancellable               *cancellable,
                              GPtrArray                 **problems,
                              GError                    **error);

/* The report: per month (of the creation, in the calendar's time zone) and
 * per severity, how many tickets met their targets, breached one, or are in
 * progress (still open, nothing breached yet); and the worst offenders.
 *
 * A ticket is measured by the SLA engine on the agreement version's terms
 * and calendar, from its events (created, responded at its first response,
 * resolved), at the report's @now. Its first response and resolution clocks
 * are judged (an export holds only the last update, not the cadence); its
 * paused time, taken from the export, is not counted against resolution. */
typedef struct
{
  guint year;
  guint month;                   /* 1 to 12 */
  guint met[3];                  /* by EscSupportSeverity */
  guint breached[3];
  guint in_progress[3];
} EscComplianceMonth;

typedef struct
{
  char               *ticket_id;
  EscSupportSeverity  severity;
  EscSlaMetricKind    metric;    /* the clock furthest past its target */
  gint64              created;
  GTimeSpan           target;
  GTimeSpan           overrun;   /* business time past @target, > 0 */
  gboolean            resolved;
} EscComplianceOffender;

typedef struct _EscComplianceReport EscComplianceReport;

#define ESC_TYPE_COMPLIANCE_REPORT (esc_compliance_report_get_type ())

GType                 esc_compliance_report_get_type   (void) G_GNUC_CONST;
/* @version, @calendar: read now (the report keeps copies of what it needs);
 * @now: the moment open tickets are measured at; @max_offenders: how many
 * of the worst are kept. */
EscComplianceReport  *esc_compliance_report_new        (EscSlaAgreementVersion     *version,
                                                        EscCalendar                *calendar,
                                                        gint64                      now,
                                                        guint                       max_offenders);
EscComplianceReport  *esc_compliance_report_ref        (EscComplianceReport        *self);
void                  esc_compliance_report_unref      (EscComplianceReport        *self);
/* Measures one ticket; FALSE (ESC_CORE_ERROR) if its times make no sense. */
gboolean              esc_compliance_report_add        (EscComplianceReport        *self,
                                                        const EscComplianceTicket  *ticket,
                                                        GError                    **error);
/* The months, oldest first, only those with tickets */
guint                 esc_compliance_report_get_n_months (EscComplianceReport      *self);
const EscComplianceMonth *esc_compliance_report_get_month (EscComplianceReport     *self,
                                                          guint                     index);
/* All months together */
void                  esc_compliance_report_get_totals (EscComplianceReport        *self,
                                                        EscComplianceMonth         *totals);
/* Worst first (largest overrun; then the oldest) */
guint                 esc_compliance_report_get_n_offenders (EscComplianceReport   *self);
const EscComplianceOffender *esc_compliance_report_get_offender (EscComplianceReport *self,
                                                                 guint              index);
gint64                esc_compliance_report_get_now    (EscComplianceReport        *self);
/* The time zone months are counted in (the calendar's) */
const char           *esc_compliance_report_get_time_zone (EscComplianceReport     *self);
/* "Agreement NAME, version N" as the exports print it (may be empty) */
const char           *esc_compliance_report_get_agreement (EscComplianceReport     *self);

/* (transfer full): "3 h 20 min", "2 d 4 h" (business time, translated) */
char                 *esc_compliance_format_span       (GTimeSpan                   span);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscComplianceReport, esc_compliance_report_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscComplianceProblem, esc_compliance_problem_free)

G_END_DECLS
