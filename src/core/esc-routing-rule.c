/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

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
  EscRoutingDestination  destination;
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
};

const char *
esc_routing_destination_to_string (EscRoutingDestination destination)
{
  g_return_val_if_fail (destination <= ESC_ROUTING_DESTINATION_EXISTING_CHANNEL, NULL);
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
                      ESC_ROUTING_DESTINATION_EXISTING_CHANNEL,
                      ESC_ROUTING_DESTINATION_OPERATIONS,
                      flags);
  properties[PROP_TEAM] = g_param_spec_string ("team", NULL, NULL, NULL, flags);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_routing_rule_init (EscRoutingRule *self)
{
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
