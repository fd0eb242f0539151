/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-service-private.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

/* Support requests as the service stores them: rows, timeline events and
 * the timed 48-hour rule (esc-service-request-rows.c), shared by the
 * handlers in esc-service-requests.c. */

/* The columns esc_service_request_row_from_statement() reads, in order. */
#define ESC_SERVICE_REQUEST_ROW_COLUMNS \
  "r.seq, r.kind, r.type, r.severity, r.engagement, r.category, r.subcategory, r.title," \
  " r.description, r.contact, r.users_or_devices_impacted, r.business_impact," \
  " r.first_noticed_at, r.reproduced_on_unmanaged_device, r.end_user_support_engaged," \
  " r.troubleshooting_steps, r.steps_to_reproduce, r.devices, r.related_ticket, r.notes," \
  " r.attachments, r.state, r.filer_id, p.name, r.created_at, r.updated_at," \
  " r.response_due_at, r.resolved_at, r.closed_at, r.next_action_owner, r.next_action_at," \
  " r.waiting_since, r.assigned"

/* A request as stored, with what the wire does not show. */
typedef struct
{
  gint64             seq;
  EscSupportRequest *request;
  char              *waiting_since;
  gboolean           assigned;
} EscServiceRequestRow;

/* A timeline event to add. */
typedef struct
{
  const char *kind;
  gint64      actor_id;       /* 0: the service itself */
  const char *text;
  const char *from_state;
  const char *to_state;
  const char *from_severity;
  const char *to_severity;
  GDateTime  *at;
} EscServiceRequestEvent;

void
esc_service_request_row_free (EscServiceRequestRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceRequestRow, esc_service_request_row_free)

char *
esc_service_request_format_id (gint64 seq);

gint64
esc_service_request_parse_id (const char *id);

char *
esc_service_request_location (gint64 seq);

GDateTime *
esc_service_request_compute_response_due (EscServiceDb         *db,
                                          GDateTime            *created_at,
                                          EscSupportSeverity    severity,
                                          EscSupportEngagement  engagement);

char *
esc_service_request_strv_to_json_text (const char * const *items);

char *
esc_service_request_contact_to_json_text (const EscSupportContact *contact);

EscServiceRequestRow *
esc_service_request_row_from_statement (EscServiceDb  *db,
                                        EscServiceStmt  *stmt,
                                        GError       **error);

GPtrArray *
esc_service_request_load_timeline (EscServiceDb  *db,
                                   gint64         seq,
                                   GError       **error);

EscServiceRequestRow *
esc_service_request_row_load (EscServiceDb  *db,
                              gint64         seq,
                              gboolean       with_timeline,
                              GError       **error);

gboolean
esc_service_request_row_save (EscServiceDb          *db,
                              EscServiceRequestRow  *row,
                              GError               **error);

gint64
esc_service_request_add_event (EscServiceDb                  *db,
                               gint64                         seq,
                               const EscServiceRequestEvent  *event,
                               GError                       **error);
/* The same, for a caller that needs no id: on PostgreSQL it goes with the
 * next statement (esc_service_db_step_later()) */
gboolean
esc_service_request_record_event (EscServiceDb                  *db,
                                  gint64                         seq,
                                  const EscServiceRequestEvent  *event,
                                  GError                       **error);

JsonNode *
esc_service_request_audit_details (gint64      seq,
                                   const char *first_key,
                                   ...);

gboolean
esc_service_request_close_unresponsive (EscServiceDb  *db,
                                        GDateTime     *now,
                                        GError       **error);

G_END_DECLS
