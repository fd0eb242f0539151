/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The service's own accepting of connections, under limits; see
 * esc-service-listener.c. Private to service/. */

typedef struct
{
  guint max_connections;         /* 0: from the descriptor limit */
  guint max_per_client;          /* 0: max_connections / 4 */
  guint header_timeout_ms;       /* from accepting (or a request's first byte) to its headers */
  guint idle_timeout_ms;         /* between two requests on a kept-alive connection */
  guint body_timeout_ms;         /* from a request's headers to the end of its body */
  guint answer_timeout_ms;       /* from the end of its body to the end of its answer */
} EscServiceLimits;

#define ESC_SERVICE_LIMITS_DEFAULT { 0, 0, 10000, 30000, 30000, 60000 }

typedef struct
{
  guint   connections;
  guint   peak_connections;
  guint64 accepted;
  guint64 refused;               /* closed at once: over a cap with nothing to evict */
  guint64 evicted;               /* closed to make room */
  guint64 timed_out;             /* closed at a deadline */
  guint64 exhausted;             /* accept() found no descriptor or memory */
} EscServiceListenerStats;

typedef struct _EscServiceListener EscServiceListener;

EscServiceListener *esc_service_listener_new              (SoupServer             *soup,
                                                           const EscServiceLimits *limits);
void                esc_service_listener_free             (EscServiceListener     *self);
void                esc_service_listener_set_tls_certificate (EscServiceListener  *self,
                                                           GTlsCertificate        *certificate);
void                esc_service_listener_add_socket       (EscServiceListener     *self,
                                                           GSocket                *socket);
void                esc_service_listener_disconnect       (EscServiceListener     *self);
const EscServiceLimits *esc_service_listener_get_limits   (EscServiceListener     *self);
void                esc_service_listener_get_stats        (EscServiceListener     *self,
                                                           EscServiceListenerStats *stats);

/* From the server's signals */
void                esc_service_listener_request_started  (EscServiceListener     *self,
                                                           SoupServerMessage      *msg);
void                esc_service_listener_request_read     (EscServiceListener     *self,
                                                           SoupServerMessage      *msg);
void                esc_service_listener_request_done     (EscServiceListener     *self,
                                                           SoupServerMessage      *msg);

/* Failed sign-ins per client: how long to hold the next refusal, in ms. */
guint               esc_service_listener_note_failed_sign_in (EscServiceListener  *self,
                                                           SoupServerMessage      *msg);
/* Requests without a token per client: how long to hold the next refusal, in ms. */
guint               esc_service_listener_note_unauthenticated (EscServiceListener *self,
                                                           SoupServerMessage      *msg);
/* Sends @msg's answer as it stands, now or after @delay_ms, and closes the
 * connection without reading any more of the request. FALSE if @msg is not
 * on a connection of this listener (nothing done). */
gboolean            esc_service_listener_answer_and_close (EscServiceListener     *self,
                                                           SoupServerMessage      *msg,
                                                           guint                   delay_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceListener, esc_service_listener_free)

G_END_DECLS
