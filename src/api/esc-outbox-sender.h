/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "esc-account.h"
#include "esc-outbox.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

#define ESC_TYPE_OUTBOX_SENDER (esc_outbox_sender_get_type ())

G_DECLARE_FINAL_TYPE (EscOutboxSender, esc_outbox_sender, ESC, OUTBOX_SENDER, GObject)

/* Sends what the outbox holds for the account's session, oldest first, one at
 * a time, each under its idempotency key, and writes each answer to the
 * mirror as it removes the item (one transaction). A network error, a time-out
 * or a 5xx (a service that cannot be reached, or is busy) is retried with
 * exponential back-off and jitter, never before a busy service's Retry-After,
 * and anything waiting is sent as soon as another request (the connection
 * check, the sync) gets an answer ("reachable"); a refusal (400,
 * 403, 404, 409, 422) leaves the item "refused" with the service's reason; a
 * 401 keeps everything queued and asks the account for a new sign-in.
 * Sending resumes when the sender starts, when the network changes, when the
 * account signs in, and on demand. Owned by the application. */
EscOutboxSender *esc_outbox_sender_new               (EscAccount       *account,
                                                      EscOutbox        *outbox);
EscOutbox       *esc_outbox_sender_get_outbox        (EscOutboxSender  *self);
EscAccount      *esc_outbox_sender_get_account       (EscOutboxSender  *self);

/* TRUE while a request is on its way */
gboolean         esc_outbox_sender_get_sending       (EscOutboxSender  *self);
/* (nullable): why the last attempt failed (cleared by a success), for display */
const char      *esc_outbox_sender_get_last_error    (EscOutboxSender  *self);

/* Back-off bounds in milliseconds: the n-th failure in a row (unreachable,
 * timed out, 5xx) waits a random time between half and all of
 * min × 2^(n-1), at most max, and never less than an overloaded service's
 * Retry-After; 1 s and 5 min by default (1 s, 2 s, 4 s… 5 min); tests make
 * them short. What waits goes as soon as the client hears from the service
 * again (its connection check, the sync), after that Retry-After. Signals:
 * "sent" (id, answer) and "not-sent" (id, refused, message) after each
 * attempt. */
void             esc_outbox_sender_set_retry_delays  (EscOutboxSender  *self,
                                                      guint             min_ms,
                                                      guint             max_ms);

/* The delay of the back-off under way, in milliseconds; 0 when none */
guint            esc_outbox_sender_get_retry_delay   (EscOutboxSender  *self);

/* Starts sending and watching the network; without it nothing is sent. */
void             esc_outbox_sender_start             (EscOutboxSender  *self);
/* Stops sending (shutdown, tests); the item in flight stays queued. */
void             esc_outbox_sender_stop              (EscOutboxSender  *self);
/* Sends what is queued now, without waiting for the back-off. */
void             esc_outbox_sender_send_now          (EscOutboxSender  *self);

/* Queueing: each writes the change to the outbox (one transaction, a fresh
 * idempotency key) for the account's session, returns the queued item, and
 * sends it as soon as it can. They fail only when no account is known or the
 * workspace cannot be written; the service's verdict comes later, on the item.
 * The support request is checked with esc_support_request_validate() first
 * (ESC_CORE_ERROR with @out_field naming the field, e.g. "/severity"). */
EscOutboxItem   *esc_outbox_sender_file_support_request (EscOutboxSender   *self,
                                                         EscSupportRequest *request,
                                                         char             **out_field,
                                                         GError           **error);
/* @patch: a SupportRequestPatch object (contact, severity, engagement, notes) */
EscOutboxItem   *esc_outbox_sender_patch_support_request (EscOutboxSender  *self,
                                                          const char       *id,
                                                          JsonNode         *patch,
                                                          GError          **error);
EscOutboxItem   *esc_outbox_sender_add_comment       (EscOutboxSender  *self,
                                                      const char       *id,
                                                      const char       *text,
                                                      GError          **error);
EscOutboxItem   *esc_outbox_sender_reactivate        (EscOutboxSender  *self,
                                                      const char       *id,
                                                      const char       *reason,
                                                      GError          **error);
/* @designations: (element-type EscDesignation): the whole new set */
EscOutboxItem   *esc_outbox_sender_set_designations  (EscOutboxSender  *self,
                                                      gint64            staff_id,
                                                      const char       *staff_name,
                                                      GPtrArray        *designations,
                                                      GError          **error);

/* The same, sent with If-Match: @if_match (nullable) the person's etag as the
 * user saw it. If someone changed the person meanwhile, the service answers
 * 412 and the item stays refused, its error code "precondition-failed". */
EscOutboxItem   *esc_outbox_sender_set_designations_if_match (EscOutboxSender *self,
                                                              gint64           staff_id,
                                                              const char      *staff_name,
                                                              GPtrArray       *designations,
                                                              const char      *if_match,
                                                              GError         **error);
/* A change refused as stale, sent again against @if_match (the version now seen) */
gboolean         esc_outbox_sender_resend_if_match   (EscOutboxSender  *self,
                                                      gint64            item_id,
                                                      const char       *if_match,
                                                      GError          **error);
/* A refused support request, corrected by the user, queued again under a new key. */
gboolean         esc_outbox_sender_edit_support_request (EscOutboxSender   *self,
                                                         gint64             item_id,
                                                         EscSupportRequest *request,
                                                         char             **out_field,
                                                         GError           **error);
/* A refused change queued again as it is (e.g. once a designation was granted). */
gboolean         esc_outbox_sender_resend            (EscOutboxSender  *self,
                                                      gint64            item_id,
                                                      GError          **error);

G_END_DECLS
