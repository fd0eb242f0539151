/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An in-process HTTP proxy on 127.0.0.1 in front of a real escalade-service,
 * which injects faults into the requests that change something (POST, PUT,
 * PATCH): for the outbox's fault-injection tests and bench/outbox-chaos.
 * Everything else is forwarded as is. Runs on the thread-default main context
 * of the thread that made it. */

typedef enum
{
  ESC_TEST_FAULT_NONE,          /* forwarded, answered */
  ESC_TEST_FAULT_500_BEFORE,    /* answered 500 without reaching the service */
  ESC_TEST_FAULT_500_AFTER,     /* reaches the service, whose answer is replaced by a 500 */
  ESC_TEST_FAULT_CLOSE_BEFORE,  /* the body is read, then the connection closed */
  ESC_TEST_FAULT_CLOSE_AFTER,   /* reaches the service, then the connection is closed */
  ESC_TEST_FAULT_STALL_BEFORE,  /* never answered, never forwarded: the client times out */
  ESC_TEST_FAULT_STALL_AFTER,   /* reaches the service, never answered */
  ESC_TEST_FAULT_GARBAGE_AFTER, /* reaches the service, answered 2xx with garbled JSON */
  ESC_TEST_FAULT_KILL_SERVICE,  /* the service is SIGKILLed as the body reaches it, then restarted */
  ESC_TEST_N_FAULTS,
} EscTestFault;

const char *esc_test_fault_to_string (EscTestFault fault);

/* Kills the service with SIGKILL (@restart FALSE), or starts it again on the
 * same database and returns its new URL (@restart TRUE, transfer full). */
typedef char *(*EscTestProxyServiceFunc) (gboolean  restart,
                                          gpointer  user_data);

typedef struct _EscTestProxy EscTestProxy;

EscTestProxy *esc_test_proxy_new              (const char              *upstream,
                                               GError                 **error);
const char   *esc_test_proxy_get_url          (EscTestProxy            *self);
void          esc_test_proxy_set_upstream     (EscTestProxy            *self,
                                               const char              *upstream);
/* Needed for ESC_TEST_FAULT_KILL_SERVICE */
void          esc_test_proxy_set_service_func (EscTestProxy            *self,
                                               EscTestProxyServiceFunc  func,
                                               gpointer                 user_data);
/* The next change request gets @fault (first in, first out). */
void          esc_test_proxy_push_fault       (EscTestProxy            *self,
                                               EscTestFault             fault);
/* Once the queue is empty: each change request gets a fault drawn from
 * @rand with probability @rate (0 for none), reproducibly for a seed. */
void          esc_test_proxy_set_random       (EscTestProxy            *self,
                                               GRand                   *rand,
                                               double                   rate);
/* How many change requests reached the service / got each fault */
guint         esc_test_proxy_get_n_forwarded  (EscTestProxy            *self);
guint         esc_test_proxy_get_n_faults     (EscTestProxy            *self,
                                               EscTestFault             fault);
/* The next @n change requests are answered 503 with "Retry-After: @seconds"
 * without reaching the service (an overloaded service), before any fault */
void          esc_test_proxy_set_busy         (EscTestProxy            *self,
                                               guint                    n,
                                               guint                    seconds);
/* How many requests were answered so */
guint         esc_test_proxy_get_n_busy       (EscTestProxy            *self);
/* Stops stalling: the requests held so far get their connection closed. */
void          esc_test_proxy_release_stalled  (EscTestProxy            *self);
void          esc_test_proxy_free             (EscTestProxy            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscTestProxy, esc_test_proxy_free)

G_END_DECLS
