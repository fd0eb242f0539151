/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-client.h"

G_BEGIN_DECLS

#define ESC_TYPE_CONNECTION_CHECK (esc_connection_check_get_type ())

G_DECLARE_FINAL_TYPE (EscConnectionCheck, esc_connection_check, ESC, CONNECTION_CHECK, GObject)

/* Keeps the client's "reachable" true without waiting for a request to fail.
 * While the service answers, it asks GET /v1/me when nothing was heard of
 * the service for the check interval (3 s by default), so a service that
 * went away shows within a few seconds. While it cannot be reached or is
 * busy (503), it asks again after a bounded exponential back-off with
 * jitter — 1 s, 2 s, 4 s… up to 60 s, each a random time between half and
 * all of it — and never before the service's Retry-After. A network change
 * (GNetworkMonitor) checks at once. What it learns goes through the client
 * ("notify::reachable", "notify::busy"), which the outbox sender and the
 * sync follow. Owned by the session. */
EscConnectionCheck *esc_connection_check_new          (EscClient          *client);

/* Intervals in milliseconds: @interval_ms while the service answers; after
 * the n-th failed check in a row, a random time between half and all of
 * @min_retry_ms × 2^(n-1), at most @max_retry_ms. Tests make them short. */
void                esc_connection_check_set_intervals (EscConnectionCheck *self,
                                                        guint               interval_ms,
                                                        guint               min_retry_ms,
                                                        guint               max_retry_ms);

void                esc_connection_check_start        (EscConnectionCheck *self);
void                esc_connection_check_stop         (EscConnectionCheck *self);

/* (nullable): while the service cannot be reached or is busy, when the next
 * check goes ("notify::next-check"); NULL while it answers or when stopped */
GDateTime          *esc_connection_check_get_next_check (EscConnectionCheck *self);
/* The delay, in milliseconds, before that next check (0 if none) */
guint               esc_connection_check_get_retry_delay (EscConnectionCheck *self);

G_END_DECLS
