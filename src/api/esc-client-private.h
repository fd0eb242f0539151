/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "esc-client.h"

G_BEGIN_DECLS

/* Turns the JSON of a 2xx answer into what the caller gets; NULL with @error
 * when the JSON is not what the contract says. */
typedef gpointer (*EscClientDecodeFunc) (JsonNode  *root,
                                         GError   **error);

/* Sends one request of the v1 API with @body (nullable) and, for a change,
 * @idempotency_key (nullable); decodes the answer with @decode (NULL: the
 * JsonNode itself). Every error is an ESC_API_ERROR or G_IO_ERROR_CANCELLED. */
void      esc_client_send_async   (EscClient            *self,
                                   const char           *method,
                                   const char           *path,
                                   const char           *body,
                                   const char           *idempotency_key,
                                   EscClientDecodeFunc   decode,
                                   GDestroyNotify        free_result,
                                   gpointer              source_tag,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* The same, with a body of @content_type (NULL: JSON, or merge-patch for
 * PATCH) and an If-Match header (NULL: none). */
void      esc_client_send_full_async (EscClient         *self,
                                   const char           *method,
                                   const char           *path,
                                   const char           *body,
                                   const char           *content_type,
                                   const char           *if_match,
                                   const char           *idempotency_key,
                                   EscClientDecodeFunc   decode,
                                   GDestroyNotify        free_result,
                                   gpointer              source_tag,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* For an answer that holds a secret (a password): the raw answer is wiped
 * once @decode has read it; @decode wipes what it leaves in the JSON. */
void      esc_client_send_secret_async (EscClient       *self,
                                   const char           *method,
                                   const char           *path,
                                   EscClientDecodeFunc   decode,
                                   GDestroyNotify        free_result,
                                   gpointer              source_tag,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* The ETag header of the answer to a request of this client (NULL if none);
 * valid until @result is freed. */
const char *esc_client_result_get_etag (GAsyncResult    *result);
gpointer  esc_client_send_finish  (EscClient            *self,
                                   GAsyncResult         *result,
                                   gpointer              source_tag,
                                   GError              **error);

/* How long an unused kept-alive connection stays open (default 20 s). */
void      esc_client_set_idle_timeout (EscClient        *self,
                                   guint                 msec);
/* How many of the client's requests are queued or running. */
guint     esc_client_get_in_flight (EscClient           *self);

G_END_DECLS
