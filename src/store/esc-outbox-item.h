/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a change waiting in the outbox does once sent. */
typedef enum
{
  ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,  /* POST /v1/support-requests */
  ESC_OUTBOX_KIND_PATCH_SUPPORT_REQUEST,   /* PATCH /v1/support-requests/{id} */
  ESC_OUTBOX_KIND_COMMENT,                 /* POST /v1/support-requests/{id}/comments */
  ESC_OUTBOX_KIND_REACTIVATE,              /* POST /v1/support-requests/{id}/reactivate */
  ESC_OUTBOX_KIND_SET_DESIGNATIONS,        /* PUT /v1/staff/{id}/designations */
} EscOutboxKind;

typedef enum
{
  ESC_OUTBOX_STATE_QUEUED,   /* waiting to be sent, or being retried */
  ESC_OUTBOX_STATE_REFUSED,  /* the service refused it for good: edit and resend, or discard */
} EscOutboxState;

const char *esc_outbox_kind_to_string   (EscOutboxKind   kind);
gboolean    esc_outbox_kind_from_string (const char     *text,
                                         EscOutboxKind  *kind);
const char *esc_outbox_state_to_string  (EscOutboxState  state);

#define ESC_TYPE_OUTBOX_ITEM (esc_outbox_item_get_type ())

G_DECLARE_FINAL_TYPE (EscOutboxItem, esc_outbox_item, ESC, OUTBOX_ITEM, GObject)

/* A snapshot of one row of the outbox: the outbox's model replaces the item
 * when the row changes. Built by the store only. */
gint64          esc_outbox_item_get_id              (EscOutboxItem *self);
const char     *esc_outbox_item_get_service         (EscOutboxItem *self);
const char     *esc_outbox_item_get_account         (EscOutboxItem *self);
EscOutboxKind   esc_outbox_item_get_kind            (EscOutboxItem *self);
const char     *esc_outbox_item_get_method          (EscOutboxItem *self);
const char     *esc_outbox_item_get_path            (EscOutboxItem *self);
/* (nullable): the support request or staff id the change is about */
const char     *esc_outbox_item_get_target          (EscOutboxItem *self);
/* A short description for the list of queued changes, e.g. the request's title */
const char     *esc_outbox_item_get_title           (EscOutboxItem *self);
/* The JSON body, as sent */
const char     *esc_outbox_item_get_body            (EscOutboxItem *self);
const char     *esc_outbox_item_get_idempotency_key (EscOutboxItem *self);
EscOutboxState  esc_outbox_item_get_state           (EscOutboxItem *self);
GDateTime      *esc_outbox_item_get_created_at      (EscOutboxItem *self);
guint           esc_outbox_item_get_attempts        (EscOutboxItem *self);
/* (nullable) */
GDateTime      *esc_outbox_item_get_next_attempt_at (EscOutboxItem *self);
/* (nullable): the last failure: a code such as "unreachable", "unprocessable",
 * the HTTP status (0 if none), a message for the user, and for a 422 the field
 * at fault ("contact.email") if the service named one */
const char     *esc_outbox_item_get_error_code      (EscOutboxItem *self);
guint           esc_outbox_item_get_error_status    (EscOutboxItem *self);
const char     *esc_outbox_item_get_error_message   (EscOutboxItem *self);
const char     *esc_outbox_item_get_error_field     (EscOutboxItem *self);
/* (nullable): the If-Match header it is sent with (the etag the change was made against) */
const char     *esc_outbox_item_get_if_match        (EscOutboxItem *self);

G_END_DECLS
