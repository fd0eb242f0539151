/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * EscRoutingDestination:
 * @ESC_ROUTING_DESTINATION_OPERATIONS: the service's operations team, through a support request
 * @ESC_ROUTING_DESTINATION_HARDWARE_VENDOR: the hardware vendor or OEM, directly
 * @ESC_ROUTING_DESTINATION_EXISTING_CHANNEL: the organisation's existing support channel
 * @ESC_ROUTING_DESTINATION_ORGANISATION_TEAM: a team the organisation adds itself
 *
 * Where a problem goes. The wire and storage names are kebab-case:
 * "operations", "hardware-vendor", "existing-channel", "organisation-team".
 */
typedef enum
{
  ESC_ROUTING_DESTINATION_OPERATIONS,
  ESC_ROUTING_DESTINATION_HARDWARE_VENDOR,
  ESC_ROUTING_DESTINATION_EXISTING_CHANNEL,
  ESC_ROUTING_DESTINATION_ORGANISATION_TEAM,
} EscRoutingDestination;

#define ESC_ROUTING_DESTINATION_LAST ESC_ROUTING_DESTINATION_ORGANISATION_TEAM

const char *esc_routing_destination_to_string   (EscRoutingDestination  destination);
gboolean    esc_routing_destination_from_string (const char            *str,
                                                 EscRoutingDestination *destination);

/**
 * EscRoutingReach:
 * @ESC_ROUTING_REACH_NONE: not said
 * @ESC_ROUTING_REACH_PORTAL: through a portal (for the operations team: a support request)
 * @ESC_ROUTING_REACH_PHONE: by phone
 * @ESC_ROUTING_REACH_EMAIL: by email
 * @ESC_ROUTING_REACH_URL: at a web address
 *
 * How to reach a team; stored as "", "portal", "phone", "email", "url".
 */
typedef enum
{
  ESC_ROUTING_REACH_NONE,
  ESC_ROUTING_REACH_PORTAL,
  ESC_ROUTING_REACH_PHONE,
  ESC_ROUTING_REACH_EMAIL,
  ESC_ROUTING_REACH_URL,
} EscRoutingReach;

const char *esc_routing_reach_to_string   (EscRoutingReach  reach);
gboolean    esc_routing_reach_from_string (const char      *str,
                                           EscRoutingReach *reach);
const char *esc_routing_reach_get_label   (EscRoutingReach  reach);

/**
 * EscSupportTier:
 * @ESC_SUPPORT_TIER_1: the help desk's first tier
 * @ESC_SUPPORT_TIER_2: its second tier
 * @ESC_SUPPORT_TIER_ESCALATION_TEAM: the designated escalation support team
 *
 * The help desk's tiers, as flags: a routing row says which tiers may use it.
 */
typedef enum
{
  ESC_SUPPORT_TIER_1 = 1 << 0,
  ESC_SUPPORT_TIER_2 = 1 << 1,
  ESC_SUPPORT_TIER_ESCALATION_TEAM = 1 << 2,
} EscSupportTier;

#define ESC_SUPPORT_TIER_ALL (ESC_SUPPORT_TIER_1 | ESC_SUPPORT_TIER_2 | ESC_SUPPORT_TIER_ESCALATION_TEAM)

const char *esc_support_tier_get_label (EscSupportTier tier);

#define ESC_TYPE_ROUTING_RULE (esc_routing_rule_get_type ())

G_DECLARE_FINAL_TYPE (EscRoutingRule, esc_routing_rule, ESC, ROUTING_RULE, GObject)

EscRoutingRule        *esc_routing_rule_new             (const char            *id,
                                                         const char            *problem,
                                                         const char            *example,
                                                         EscRoutingDestination  destination,
                                                         const char            *team,
                                                         const char            *action);
/* The whole row: @action is its notes; @reach_address the portal, number, email or URL */
EscRoutingRule        *esc_routing_rule_new_full        (const char            *id,
                                                         const char            *problem,
                                                         const char            *example,
                                                         EscRoutingDestination  destination,
                                                         const char            *team,
                                                         const char            *action,
                                                         EscRoutingReach        reach,
                                                         const char            *reach_address,
                                                         guint                  tiers);
const char            *esc_routing_rule_get_id          (EscRoutingRule        *self);
const char            *esc_routing_rule_get_problem     (EscRoutingRule        *self);
const char            *esc_routing_rule_get_example     (EscRoutingRule        *self);
EscRoutingDestination  esc_routing_rule_get_destination (EscRoutingRule        *self);
const char            *esc_routing_rule_get_team        (EscRoutingRule        *self);
const char            *esc_routing_rule_get_action      (EscRoutingRule        *self);
EscRoutingReach        esc_routing_rule_get_reach       (EscRoutingRule        *self);
const char            *esc_routing_rule_get_reach_address (EscRoutingRule      *self);
guint                  esc_routing_rule_get_tiers       (EscRoutingRule        *self);
gboolean               esc_routing_rule_equal           (EscRoutingRule        *a,
                                                         EscRoutingRule        *b);

G_END_DECLS
