/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-test-service.h"

G_BEGIN_DECLS

/* data/deploy/haproxy.cfg, as shipped, in front of three real
 * escalade-service nodes (issue 13). Only what a test must change is
 * changed: the listening address (plain HTTP on a free loopback port, no
 * certificate), the nodes' ports, the check interval (200 ms, not 2 s), no
 * syslog, user or daemon, and a stats socket to read the nodes' states.
 * Needs haproxy (Debian's package). */
typedef struct _EscTestBalancer EscTestBalancer;

/* TRUE if haproxy is installed; else FALSE after g_test_skip(), or after
 * g_test_fail() when $ESCALADE_REQUIRE_PG=1 says this run has the
 * multi-node tools (CI). */
gboolean         esc_test_balancer_require_haproxy (void);
/* haproxy in front of @nodes (three, data/deploy/haproxy.cfg's node1…3);
 * it ends with the test, even one that failed an assertion. */
EscTestBalancer *esc_test_balancer_start           (EscTestService  **nodes);
/* e.g. "http://127.0.0.1:40123" */
const char      *esc_test_balancer_get_url         (EscTestBalancer  *self);
/* Waits (at most 15 s, else the test fails) until haproxy's health checks
 * see @node ("node2") up or down. */
void             esc_test_balancer_wait_for_state  (EscTestBalancer  *self,
                                                    const char       *node,
                                                    gboolean          up);
void             esc_test_balancer_free            (EscTestBalancer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscTestBalancer, esc_test_balancer_free)

G_END_DECLS
