/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-routing-rule.h"

/* One row of the routing matrix: a kind of problem and the team it goes to. */
struct _EscRoutingRule
{
  GObject parent_instance;

  char                  *id;
  char                  *problem;
  char                  *example;
  char                  *team;
  char                  *action;
  char                  *reach_address;
  EscRoutingDestination  destination;
  EscRoutingReach        reach;
  guint                  tiers;
};

G_DEFINE_FINAL_TYPE (EscRoutingRule, esc_routing_rule, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PROBLEM,
  PROP_EXAMPLE,
  PROP_DESTINATION,
  PROP_TEAM,
  PROP_ACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const destination_names[] = {
  [ESC_ROUTING_DESTINATION_OPERATIONS] = "operations",
  [ESC_ROUTING_DESTINATION_HARDWARE_VENDOR] = "hardware-vendor",
  [ESC_ROUTING_DESTINATION_EXISTING_CHANNEL] = "existing-channel",
  [ESC_ROUTING_DESTINATION_ORGANISATION_TEAM] = "organisation-team",
};

static const char * const reach_names[] = {
  [ESC_ROUTING_REACH_NONE] = "",
  [ESC_ROUTING_REACH_PORTAL] = "portal",
  [ESC_ROUTING_REACH_PHONE] = "phone",
  [ESC_ROUTING_REACH_EMAIL] = "email",
  [ESC_ROUTING_REACH_URL] = "url",
};

const char *
esc_routing_reach_to_string (EscRoutingReach reach)
{
  g_return_val_if_fail (reach <= ESC_ROUTING_REACH_URL, "");
  return reach_names[reach];
}

gboolean
esc_routing_reach_from_string (const char      *str,
                               EscRoutingReach *reach)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (reach_names); i++)
    {
      if (g_str_equal (str, reach_names[i]))
        {
          if (reach != NULL)
            *reach = (EscRoutingReach)i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * esc_routing_reach_get_label:
 * @reach: a way to reach a team
 *
 * Returns: its translated name
 */
const char *
esc_routing_reach_get_label (EscRoutingReach reach)
{
  switch (reach)
    {
    case ESC_ROUTING_REACH_PORTAL:
      return C_("how to reach", "Portal");
    case ESC_ROUTING_REACH_PHONE:
      return C_("how to reach", "Phone");
    case ESC_ROUTING_REACH_EMAIL:
      return C_("how to reach", "Email");
    case ESC_ROUTING_REACH_URL:
      return C_("how to reach", "Web address");
    case ESC_ROUTING_REACH_NONE:
    default:
      return C_("how to reach", "Not said");
    }
}

/**
 * esc_support_tier_get_label:
 * @tier: one tier
 *
 * Returns: its translated name
 */
const char *
esc_support_tier_get_label (EscSupportTier tier)
{
  switch (tier)
    {
    case ESC_SUPPORT_TIER_1:
      return _("Tier 1");
    case ESC_SUPPORT_TIER_2:
      return _("Tier 2");
    case ESC_SUPPORT_TIER_ESCALATION_TEAM:
    default:
      return _("Escalation support team");
    }
}

const char *
esc_routing_destination_to_string (EscRoutingDestination destination)
{
  g_return_val_if_fail (destination <= ESC_ROUTING_DESTINATION_LAST, NULL);
  return destination_names[destination];
}

gboolean
esc_routing_destination_from_string (const char            *str,
                                     EscRoutingDestination *destination)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (destination_names); i++)
    {
      if (g_str_equal (str, destination_names[i]))
        {
          if (destination != NULL)
            *destination = (EscRoutingDestination)i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
esc_routing_rule_finalize (GObject *object)
{
  EscRoutingRule *self = (EscRoutingRule *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->example, g_free);
  g_clear_pointer (&self->team, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->reach_address, g_free);

  G_OBJECT_CLASS (esc_routing_rule_parent_class)->finalize (object);
}

static void
esc_routing_rule_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EscRoutingRule *self = ESC_ROUTING_RULE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_EXAMPLE:
      g_value_set_string (value, self->example);
      break;
    case PROP_DESTINATION:
      g_value_set_int (value, self->destination);
      break;
    case PROP_TEAM:
      g_value_set_string (value, self->team);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_routing_rule_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EscRoutingRule *self = ESC_ROUTING_RULE (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_PROBLEM:
      self->problem = g_value_dup_string (value);
      break;
    case PROP_EXAMPLE:
      self->example = g_value_dup_string (value);
      break;
    case PROP_DESTINATION:
      self->destination = (EscRoutingDestination)g_value_get_int (value);
      break;
    case PROP_TEAM:
      self->team = g_value_dup_string (value);
      break;
    case PROP_ACTION:
      self->action = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_routing_rule_class_init (EscRoutingRuleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_routing_rule_finalize;
  object_class->get_property = esc_routing_rule_get_property;
  object_class->set_property = esc_routing_rule_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  properties[PROP_EXAMPLE] = g_param_spec_string ("example", NULL, NULL, NULL, flags);
  properties[PROP_DESTINATION] =
    g_param_spec_int ("destination", NULL, NULL,
                      ESC_ROUTING_DESTINATION_OPERATIONS,
                      ESC_ROUTING_DESTINATION_LAST,
                      ESC_ROUTING_DESTINATION_OPERATIONS,
                      flags);
  properties[PROP_TEAM] = g_param_spec_string ("team", NULL, NULL, NULL, flags);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_routing_rule_init (EscRoutingRule *self)
{
  self->tiers = ESC_SUPPORT_TIER_ALL;
}

/**
 * esc_routing_rule_new:
 * @id: the stable identifier, e.g. "service-specific"
 * @problem: the kind of problem
 * @example: (nullable): an example or precision
 * @destination: where such a problem goes
 * @team: the team to contact
 * @action: (nullable): how to reach it
 *
 * Returns: (transfer full): a new #EscRoutingRule
 */
EscRoutingRule *
esc_routing_rule_new (const char            *id,
                      const char            *problem,
                      const char            *example,
                      EscRoutingDestination  destination,
                      const char            *team,
                      const char            *action)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (problem != NULL, NULL);

  return g_object_new (ESC_TYPE_ROUTING_RULE,
                       "id", id,
                       "problem", problem,
                       "example", example,
                       "destination", (int)destination,
                       "team", team,
                       "action", action,
                       NULL);
}

/**
 * esc_routing_rule_new_full:
 * @id: the stable identifier
 * @problem: the problem category
 * @example: (nullable): examples of it
 * @destination: the kind of team it goes to
 * @team: the team to contact
 * @action: (nullable): notes: what to do, what to say
 * @reach: how to reach the team
 * @reach_address: (nullable): the portal, phone number, email address or URL
 * @tiers: the #EscSupportTier flags of the tiers that may use this route
 *
 * Returns: (transfer full): a new #EscRoutingRule
 */
EscRoutingRule *
esc_routing_rule_new_full (const char            *id,
                           const char            *problem,
                           const char            *example,
                           EscRoutingDestination  destination,
                           const char            *team,
                           const char            *action,
                           EscRoutingReach        reach,
                           const char            *reach_address,
                           guint                  tiers)
{
  EscRoutingRule *self;

  g_return_val_if_fail (reach <= ESC_ROUTING_REACH_URL, NULL);

  self = esc_routing_rule_new (id, problem, example, destination, team, action);
  self->reach = reach;
  self->reach_address = g_strdup (reach_address);
  self->tiers = tiers & ESC_SUPPORT_TIER_ALL;

  return self;
}

const char *
esc_routing_rule_get_id (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), NULL);
  return self->id;
}

const char *
esc_routing_rule_get_problem (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), NULL);
  return self->problem;
}

const char *
esc_routing_rule_get_example (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), NULL);
  return self->example;
}

EscRoutingDestination
esc_routing_rule_get_destination (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), 0);
  return self->destination;
}

const char *
esc_routing_rule_get_team (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), NULL);
  return self->team;
}

const char *
esc_routing_rule_get_action (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), NULL);
  return self->action;
}

EscRoutingReach
esc_routing_rule_get_reach (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), ESC_ROUTING_REACH_NONE);
  return self->reach;
}

const char *
esc_routing_rule_get_reach_address (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), NULL);
  return self->reach_address;
}

guint
esc_routing_rule_get_tiers (EscRoutingRule *self)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (self), 0);
  return self->tiers;
}

static gboolean
same_text (const char *a,
           const char *b)
{
  /* NULL and "" say the same: nothing */
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/**
 * esc_routing_rule_equal:
 * @a: a #EscRoutingRule
 * @b: another
 *
 * Returns: whether both rows say the same, field by field (a missing text equals an empty one)
 */
gboolean
esc_routing_rule_equal (EscRoutingRule *a,
                        EscRoutingRule *b)
{
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (a), FALSE);
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (b), FALSE);

  return g_strcmp0 (a->id, b->id) == 0 && same_text (a->problem, b->problem) &&
         same_text (a->example, b->example) && a->destination == b->destination &&
         same_text (a->team, b->team) && same_text (a->action, b->action) &&
         a->reach == b->reach && same_text (a->reach_address, b->reach_address) &&
         a->tiers == b->tiers;
}
