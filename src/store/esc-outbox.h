/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "esc-mirror.h"
#include "esc-outbox-item.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_OUTBOX (esc_outbox_get_type ())

G_DECLARE_FINAL_TYPE (EscOutbox, esc_outbox, ESC, OUTBOX, GObject)

/* The changes waiting to be sent to the service, in the workspace: a change is
 * written here first, in one transaction with a fresh idempotency key, and is
 * removed only when the service accepted it (and its answer is written to the
 * mirror in the same transaction). One outbox per workspace, from the main
 * thread; the sender (src/api/esc-outbox-sender.h) sends what it holds. */

EscOutbox     *esc_outbox_new              (EscMirror       *mirror);
EscMirror     *esc_outbox_get_mirror       (EscOutbox       *self);

/* Every queued or refused change, oldest first (EscOutboxItem), kept up to date. */
GListModel    *esc_outbox_get_items        (EscOutbox       *self);
guint          esc_outbox_get_n_queued     (EscOutbox       *self);
guint          esc_outbox_get_n_refused    (EscOutbox       *self);

/* Queues a change for @account at @service. @body is serialised as sent. */
EscOutboxItem *esc_outbox_add              (EscOutbox       *self,
                                            const char      *service,
                                            const char      *account,
                                            EscOutboxKind    kind,
                                            const char      *method,
                                            const char      *path,
                                            const char      *target,
                                            const char      *title,
                                            JsonNode        *body,
                                            GError         **error);

/* The same, sent with an If-Match header (@if_match nullable) */
EscOutboxItem *esc_outbox_add_if_match     (EscOutbox       *self,
                                            const char      *service,
                                            const char      *account,
                                            EscOutboxKind    kind,
                                            const char      *method,
                                            const char      *path,
                                            const char      *target,
                                            const char      *title,
                                            JsonNode        *body,
                                            const char      *if_match,
                                            GError         **error);
/* (transfer full) (nullable): the row as it is now, or NULL if gone */
EscOutboxItem *esc_outbox_lookup           (EscOutbox       *self,
                                            gint64           id);

/* (transfer full) (element-type EscOutboxItem): the queued changes of @account
 * at @service, oldest first; refused ones are left out */
GPtrArray     *esc_outbox_list_queued      (EscOutbox       *self,
                                            const char      *service,
                                            const char      *account,
                                            GError         **error);

/* The service accepted the change: removes it and writes @answer (the
 * service's JSON answer, nullable) to the mirror, in one transaction. */
gboolean       esc_outbox_complete         (EscOutbox       *self,
                                            gint64           id,
                                            JsonNode        *answer,
                                            GError         **error);

/* An attempt failed. With @refused the change stays as "refused" until the
 * user edits, resends or discards it; else it stays queued, to be retried at
 * @next_attempt_at (nullable: when asked). Counts the attempt. */
gboolean       esc_outbox_record_failure   (EscOutbox       *self,
                                            gint64           id,
                                            gboolean         refused,
                                            const char      *code,
                                            guint            status,
                                            const char      *message,
                                            const char      *field,
                                            GDateTime       *next_attempt_at,
                                            GError         **error);

/* A refused change, edited: the new body (and title, nullable to keep it),
 * queued again under a new idempotency key. */
gboolean       esc_outbox_edit             (EscOutbox       *self,
                                            gint64           id,
                                            const char      *title,
                                            JsonNode        *body,
                                            GError         **error);
/* A refused change queued again as it is, under a new idempotency key. */
gboolean       esc_outbox_resend           (EscOutbox       *self,
                                            gint64           id,
                                            GError         **error);
/* A change refused as stale (412), queued again against @if_match, the
 * version the user has now seen, under a new idempotency key. */
gboolean       esc_outbox_resend_if_match  (EscOutbox       *self,
                                            gint64           id,
                                            const char      *if_match,
                                            GError         **error);
/* Removes a change that was not sent, or was refused. */
gboolean       esc_outbox_discard          (EscOutbox       *self,
                                            gint64           id,
                                            GError         **error);

G_END_DECLS
