/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <libsoup/soup.h>

#include "esc-test-balancer.h"

/* data/deploy/haproxy.cfg, as shipped (esc-test-balancer.h), in front of
 * three real escalade-service nodes (issue 13): its health checks on
 * GET /v1/health take a killed node out of the rotation and bring it back
 * when it serves again, and requests keep being answered meanwhile. On
 * PostgreSQL (test-service-balancer-postgresql) the three nodes share one
 * database, as deployed; on SQLite each has its own file (one file is not a
 * deployment for several nodes, and the balancer only sees /v1/health).
 * Needs haproxy: skipped without it, unless $ESCALADE_REQUIRE_PG says this
 * run has the multi-node tools (CI): then it fails. */

static guint
get_health (SoupSession     *session,
            EscTestBalancer *balancer)
{
  g_autofree char *url = g_strconcat (esc_test_balancer_get_url (balancer), "/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (body);

  return soup_message_get_status (msg);
}

static void
test_health_checks (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscTestBalancer) balancer = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  EscTestService *nodes[3] = { NULL, NULL, NULL };

  if (!esc_test_balancer_require_haproxy ())
    return;

  esc_test_service_start_nodes (NULL, 3, nodes, &error);
  g_assert_no_error (error);

  balancer = esc_test_balancer_start (nodes);
  esc_test_balancer_wait_for_state (balancer, "node1", TRUE);
  esc_test_balancer_wait_for_state (balancer, "node2", TRUE);
  esc_test_balancer_wait_for_state (balancer, "node3", TRUE);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (get_health (session, balancer), ==, 200);

  /* Killed: out of the rotation, and nobody notices */
  esc_test_service_kill (nodes[1]);
  esc_test_balancer_wait_for_state (balancer, "node2", FALSE);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (get_health (session, balancer), ==, 200);

  /* Back on its port: back in the rotation */
  esc_test_service_restart_same_port (nodes[1], &error);
  g_assert_no_error (error);
  esc_test_balancer_wait_for_state (balancer, "node2", TRUE);
  g_assert_cmpuint (get_health (session, balancer), ==, 200);

  g_clear_pointer (&balancer, esc_test_balancer_free);
  for (guint i = 0; i < 3; i++)
    esc_test_service_stop (nodes[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/balancer/health-checks", test_health_checks);

  return g_test_run ();
}
