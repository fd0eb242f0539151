/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * EscRoutingDestination:
 * @ESC_ROUTING_DESTINATION_OPERATIONS: the service's operations team, through a support request
 * @ESC_ROUTING_DESTINATION_HARDWARE_VENDOR: the hardware vendor or OEM, directly
 * @ESC_ROUTING_DESTINATION_EXISTING_CHANNEL: the organisation's existing support channel
 *
 * Where a problem goes. The wire and storage names are kebab-case:
 * "operations", "hardware-vendor", "existing-channel".
 */
typedef enum
{
  ESC_ROUTING_DESTINATION_OPERATIONS,
  ESC_ROUTING_DESTINATION_HARDWARE_VENDOR,
  ESC_ROUTING_DESTINATION_EXISTING_CHANNEL,
} EscRoutingDestination;

const char *esc_routing_destination_to_string   (EscRoutingDestination  destination);
gboolean    esc_routing_destination_from_string (const char            *str,
                                                 EscRoutingDestination *destination);

#define ESC_TYPE_ROUTING_RULE (esc_routing_rule_get_type ())

G_DECLARE_FINAL_TYPE (EscRoutingRule, esc_routing_rule, ESC, ROUTING_RULE, GObject)

EscRoutingRule        *esc_routing_rule_new             (const char            *id,
                                                         const char            *problem,
                                                         const char            *example,
                                                         EscRoutingDestination  destination,
                                                         const char            *team,
                                                         const char            *action);
const char            *esc_routing_rule_get_id          (EscRoutingRule        *self);
const char            *esc_routing_rule_get_problem     (EscRoutingRule        *self);
const char            *esc_routing_rule_get_example     (EscRoutingRule        *self);
EscRoutingDestination  esc_routing_rule_get_destination (EscRoutingRule        *self);
const char            *esc_routing_rule_get_team        (EscRoutingRule        *self);
const char            *esc_routing_rule_get_action      (EscRoutingRule        *self);

G_END_DECLS
