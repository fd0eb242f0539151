/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ESC_TYPE_AUDIT_EVENT (esc_audit_event_get_type ())

G_DECLARE_FINAL_TYPE (EscAuditEvent, esc_audit_event, ESC, AUDIT_EVENT, GObject)

/* One event of the service's append-only audit log (GET /v1/audit): who,
 * what, when, from where. */
EscAuditEvent *esc_audit_event_new_from_json      (JsonNode       *node,
                                                   GError        **error);
gint64         esc_audit_event_get_id             (EscAuditEvent  *self);
GDateTime     *esc_audit_event_get_at             (EscAuditEvent  *self);
/* (nullable): NULL for the service itself or its command line */
const char    *esc_audit_event_get_actor          (EscAuditEvent  *self);
const char    *esc_audit_event_get_action         (EscAuditEvent  *self);
const char    *esc_audit_event_get_target         (EscAuditEvent  *self);
const char    *esc_audit_event_get_remote_address (EscAuditEvent  *self);
/* (nullable): the event's details as a JSON object, as sent */
const char    *esc_audit_event_get_details        (EscAuditEvent  *self);

G_END_DECLS
