/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include "esc-routing.h"

/* Where a problem goes: the one routing function behind the Routing screen's helper
 * and the New Request form. The rows themselves (team, how to reach it) are the
 * workspace's data; this only decides which row applies. */

/**
 * esc_routing_destination_for:
 * @facts: what is known about the problem
 *
 * Hardware problems always go to the hardware vendor or OEM, even when a
 * service-deployed setting is also involved: the vendor must see a faulty device
 * first. Problems caused by something the service deployed go to its operations
 * team; everything else goes through the existing support channel.
 *
 * Returns: the destination
 */
EscRoutingDestination
esc_routing_destination_for (const EscProblemFacts *facts)
{
  g_return_val_if_fail (facts != NULL, ESC_ROUTING_DESTINATION_EXISTING_CHANNEL);

  if (facts->hardware_fault)
    return ESC_ROUTING_DESTINATION_HARDWARE_VENDOR;

  if (facts->deployed_by_service)
    return ESC_ROUTING_DESTINATION_OPERATIONS;

  return ESC_ROUTING_DESTINATION_EXISTING_CHANNEL;
}

/**
 * esc_routing_find_rule:
 * @rules: a #GListModel of #EscRoutingRule
 * @destination: the destination to look for
 *
 * Returns: (transfer full) (nullable): the first rule for @destination, in the
 *   matrix's order, or %NULL when the matrix has none
 */
EscRoutingRule *
esc_routing_find_rule (GListModel            *rules,
                       EscRoutingDestination  destination)
{
  guint n_items;

  g_return_val_if_fail (G_IS_LIST_MODEL (rules), NULL);

  n_items = g_list_model_get_n_items (rules);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);

      if (esc_routing_rule_get_destination (rule) == destination)
        return g_steal_pointer (&rule);
    }

  return NULL;
}

/**
 * esc_routing_route:
 * @rules: a #GListModel of #EscRoutingRule
 * @facts: what is known about the problem
 *
 * Returns: (transfer full) (nullable): the rule that applies to the problem
 */
EscRoutingRule *
esc_routing_route (GListModel            *rules,
                   const EscProblemFacts *facts)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (rules), NULL);
  g_return_val_if_fail (facts != NULL, NULL);

  return esc_routing_find_rule (rules, esc_routing_destination_for (facts));
}
