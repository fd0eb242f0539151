/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-service-private.h"

G_BEGIN_DECLS

/* Shared by the router (esc-service-http.c) and the handler's side of a
 * request (esc-service-http-context.c). */

/* RFC 7807: {type, title, status, detail, instance}, plus @extra's members. */
void     esc_service_message_set_problem           (SoupServerMessage *msg,
                                                    guint              status,
                                                    const char        *type,
                                                    const char        *title,
                                                    const char        *detail,
                                                    JsonObject        *extra);
void     esc_service_message_set_payload_too_large (SoupServerMessage *msg);
/* 503 with Retry-After: the database cannot be reached now
 * (ESC_SERVICE_ERROR_UNAVAILABLE); nothing was done. */
void     esc_service_message_set_unavailable       (SoupServerMessage *msg);

/* Answers a POST from the answer stored under its Idempotency-Key, or refuses
 * a bad or reused key; returns FALSE when the request is to run. */
gboolean esc_service_context_replay_idempotent     (EscServiceContext *ctx,
                                                  gboolean           look_up);

G_END_DECLS
