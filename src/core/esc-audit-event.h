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
/* What the service answers. @actor_id 0 or @actor NULL for the service
 * itself; @details the text of a JSON object, or NULL; @prev_hash and @hash
 * the hex SHA-256 chain. */
EscAuditEvent *esc_audit_event_new                (gint64              id,
                                                   GDateTime          *at,
                                                   gint64              actor_id,
                                                   const char         *actor,
                                                   const char * const *actor_roles,
                                                   const char         *action,
                                                   const char         *target,
                                                   const char         *remote_address,
                                                   const char         *details,
                                                   const char         *prev_hash,
                                                   const char         *hash);
/* (transfer full): the AuditEvent of the v1 API */
JsonNode      *esc_audit_event_to_json            (EscAuditEvent  *self);
gint64         esc_audit_event_get_id             (EscAuditEvent  *self);
GDateTime     *esc_audit_event_get_at             (EscAuditEvent  *self);
/* (nullable): NULL for the service itself or its command line */
const char    *esc_audit_event_get_actor          (EscAuditEvent  *self);
const char    *esc_audit_event_get_action         (EscAuditEvent  *self);
const char    *esc_audit_event_get_target         (EscAuditEvent  *self);
const char    *esc_audit_event_get_remote_address (EscAuditEvent  *self);
/* (nullable): the event's details as a JSON object, as sent */
const char    *esc_audit_event_get_details        (EscAuditEvent  *self);
gint64              esc_audit_event_get_actor_id    (EscAuditEvent  *self);
/* The actor's roles when it happened (never NULL) */
const char * const *esc_audit_event_get_actor_roles (EscAuditEvent  *self);
const char         *esc_audit_event_get_prev_hash   (EscAuditEvent  *self);
const char         *esc_audit_event_get_hash        (EscAuditEvent  *self);

G_END_DECLS
