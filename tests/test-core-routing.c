/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-routing.h"

static GListStore *
matrix (void)
{
  GListStore *store = g_list_store_new (ESC_TYPE_ROUTING_RULE);
  g_autoptr(EscRoutingRule) ops = NULL;
  g_autoptr(EscRoutingRule) vendor = NULL;
  g_autoptr(EscRoutingRule) other = NULL;

  ops = esc_routing_rule_new ("service-specific", "Service problems", NULL,
                              ESC_ROUTING_DESTINATION_OPERATIONS, "Operations", "File a request");
  vendor = esc_routing_rule_new ("hardware", "Hardware problems", NULL,
                                 ESC_ROUTING_DESTINATION_HARDWARE_VENDOR, "Vendor", "Call the OEM");
  other = esc_routing_rule_new ("other", "Other problems", NULL,
                                ESC_ROUTING_DESTINATION_EXISTING_CHANNEL, "Premier", "Usual channel");
  g_list_store_append (store, ops);
  g_list_store_append (store, vendor);
  g_list_store_append (store, other);

  return store;
}

static void
test_destination (void)
{
  EscProblemFacts facts = { 0 };

  g_assert_cmpint (esc_routing_destination_for (&facts), ==, ESC_ROUTING_DESTINATION_EXISTING_CHANNEL);

  facts.deployed_by_service = TRUE;
  g_assert_cmpint (esc_routing_destination_for (&facts), ==, ESC_ROUTING_DESTINATION_OPERATIONS);

  /* A faulty device goes to its vendor first, whatever else is involved */
  facts.hardware_fault = TRUE;
  g_assert_cmpint (esc_routing_destination_for (&facts), ==, ESC_ROUTING_DESTINATION_HARDWARE_VENDOR);

  facts.deployed_by_service = FALSE;
  g_assert_cmpint (esc_routing_destination_for (&facts), ==, ESC_ROUTING_DESTINATION_HARDWARE_VENDOR);
}

static void
test_route_uses_the_matrix (void)
{
  g_autoptr(GListStore) rules = matrix ();
  EscProblemFacts hardware = { .hardware_fault = TRUE };
  EscProblemFacts policy = { .deployed_by_service = TRUE };
  EscProblemFacts other = { 0 };
  g_autoptr(EscRoutingRule) rule = NULL;

  rule = esc_routing_route (G_LIST_MODEL (rules), &hardware);
  g_assert_cmpstr (esc_routing_rule_get_team (rule), ==, "Vendor");
  g_clear_object (&rule);

  rule = esc_routing_route (G_LIST_MODEL (rules), &policy);
  g_assert_cmpstr (esc_routing_rule_get_team (rule), ==, "Operations");
  g_clear_object (&rule);

  rule = esc_routing_route (G_LIST_MODEL (rules), &other);
  g_assert_cmpstr (esc_routing_rule_get_team (rule), ==, "Premier");
}

static void
test_route_missing_row (void)
{
  g_autoptr(GListStore) rules = matrix ();
  EscProblemFacts hardware = { .hardware_fault = TRUE };
  g_autoptr(EscRoutingRule) rule = NULL;

  /* An edited matrix without a vendor row routes nowhere rather than somewhere wrong */
  g_list_store_remove (rules, 1);
  rule = esc_routing_route (G_LIST_MODEL (rules), &hardware);
  g_assert_null (rule);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/routing/destination", test_destination);
  g_test_add_func ("/core/routing/route", test_route_uses_the_matrix);
  g_test_add_func ("/core/routing/missing-row", test_route_missing_row);

  return g_test_run ();
}
