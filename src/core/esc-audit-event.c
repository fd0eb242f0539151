/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-audit-event.h"
#include "esc-json-read.h"
#include "esc-json-write.h"

struct _EscAuditEvent
{
  GObject    parent_instance;

  gint64     id;
  GDateTime *at;
  gint64     actor_id;
  char      *actor;
  GStrv      actor_roles;
  char      *action;
  char      *target;
  char      *remote_address;
  char      *details;
  char      *prev_hash;
  char      *hash;
};

G_DEFINE_FINAL_TYPE (EscAuditEvent, esc_audit_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AT,
  PROP_ACTOR,
  PROP_ACTION,
  PROP_TARGET,
  PROP_REMOTE_ADDRESS,
  PROP_DETAILS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_audit_event_finalize (GObject *object)
{
  EscAuditEvent *self = (EscAuditEvent *)object;

  g_clear_pointer (&self->at, g_date_time_unref);
  g_free (self->actor);
  g_free (self->action);
  g_free (self->target);
  g_free (self->remote_address);
  g_free (self->details);
  g_strfreev (self->actor_roles);
  g_free (self->prev_hash);
  g_free (self->hash);

  G_OBJECT_CLASS (esc_audit_event_parent_class)->finalize (object);
}

static void
esc_audit_event_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EscAuditEvent *self = ESC_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;
    case PROP_REMOTE_ADDRESS:
      g_value_set_string (value, self->remote_address);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_audit_event_class_init (EscAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_audit_event_finalize;
  object_class->get_property = esc_audit_event_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_AT] = g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_ACTOR] = g_param_spec_string ("actor", NULL, NULL, NULL, ro);
  properties[PROP_ACTION] = g_param_spec_string ("action", NULL, NULL, NULL, ro);
  properties[PROP_TARGET] = g_param_spec_string ("target", NULL, NULL, NULL, ro);
  properties[PROP_REMOTE_ADDRESS] = g_param_spec_string ("remote-address", NULL, NULL, NULL, ro);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_audit_event_init (EscAuditEvent *self)
{
}

/**
 * esc_audit_event_new_from_json:
 * @node: an AuditEvent of the v1 API
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the event, or %NULL with
 *   %ESC_CORE_ERROR set
 */
EscAuditEvent *
esc_audit_event_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(EscAuditEvent) self = g_object_new (ESC_TYPE_AUDIT_EVENT, NULL);
  JsonObject *object;
  JsonNode *details;
  const char *actor;
  const char *action;
  const char *target;
  const char *remote_address;
  const char *prev_hash;
  const char *hash;

  if (!esc_json_require_object (node, _("An audit event"), &object, error) ||
      !esc_json_read_int (object, "id", FALSE, &self->id, error) ||
      !esc_json_read_time (object, "at", FALSE, &self->at, error) ||
      !esc_json_read_person (object, "actor", TRUE, &self->actor_id, &actor, error) ||
      !esc_json_read_strv (object, "actor_roles", TRUE, &self->actor_roles, error) ||
      !esc_json_read_string (object, "action", FALSE, &action, error) ||
      !esc_json_read_string (object, "target", TRUE, &target, error) ||
      !esc_json_read_string (object, "remote_address", TRUE, &remote_address, error) ||
      !esc_json_read_string (object, "prev_hash", TRUE, &prev_hash, error) ||
      !esc_json_read_string (object, "hash", TRUE, &hash, error))
    return NULL;

  self->prev_hash = g_strdup (prev_hash);
  self->hash = g_strdup (hash);

  self->actor = g_strdup (actor);
  self->action = g_strdup (action);
  self->target = g_strdup (target);
  self->remote_address = g_strdup (remote_address);

  details = json_object_get_member (object, "details");
  if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
    self->details = esc_json_to_string (details);

  return g_steal_pointer (&self);
}

/**
 * esc_audit_event_new:
 * @id: its number, consecutive from 1
 * @at: when
 * @actor_id: who, 0 for the service itself or its command line
 * @actor: (nullable): their name
 * @actor_roles: (nullable): their roles then
 * @action: what happened, e.g. "designations.updated"
 * @target: (nullable): the resource
 * @remote_address: (nullable): from where
 * @details: (nullable): the text of a JSON object
 * @prev_hash: (nullable): the previous event's hash
 * @hash: (nullable): this event's hash
 *
 * Returns: (transfer full): the event
 */
EscAuditEvent *
esc_audit_event_new (gint64              id,
                     GDateTime          *at,
                     gint64              actor_id,
                     const char         *actor,
                     const char * const *actor_roles,
                     const char         *action,
                     const char         *target,
                     const char         *remote_address,
                     const char         *details,
                     const char         *prev_hash,
                     const char         *hash)
{
  EscAuditEvent *self = g_object_new (ESC_TYPE_AUDIT_EVENT, NULL);

  self->id = id;
  self->at = at != NULL ? g_date_time_ref (at) : NULL;
  if (actor_id > 0 && actor != NULL)
    {
      self->actor_id = actor_id;
      self->actor = g_strdup (actor);
    }
  self->actor_roles = actor_roles != NULL ? g_strdupv ((GStrv)actor_roles) : g_new0 (char *, 1);
  self->action = g_strdup (action);
  self->target = g_strdup (target);
  self->remote_address = g_strdup (remote_address);
  self->details = g_strdup (details);
  self->prev_hash = g_strdup (prev_hash);
  self->hash = g_strdup (hash);

  return self;
}

/**
 * esc_audit_event_to_json:
 * @self: a #EscAuditEvent
 *
 * Returns: (transfer full): {id, at, actor, actor_roles, action, target,
 *   remote_address, details, prev_hash, hash}; details is null if its
 *   text is not JSON
 */
JsonNode *
esc_audit_event_to_json (EscAuditEvent *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;

  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);

  if (self->details != NULL)
    details = json_from_string (self->details, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  esc_json_add_time (builder, "at", self->at);
  esc_json_add_person (builder, "actor", self->actor_id, self->actor);
  esc_json_add_strv (builder, "actor_roles", (const char * const *)self->actor_roles);
  esc_json_add_string (builder, "action", self->action);
  esc_json_add_string (builder, "target", self->target);
  esc_json_add_string (builder, "remote_address", self->remote_address);
  json_builder_set_member_name (builder, "details");
  json_builder_add_value (builder, details != NULL ? g_steal_pointer (&details)
                                                   : json_node_new (JSON_NODE_NULL));
  esc_json_add_string (builder, "prev_hash", self->prev_hash);
  esc_json_add_string (builder, "hash", self->hash);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gint64
esc_audit_event_get_id (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), 0);
  return self->id;
}

GDateTime *
esc_audit_event_get_at (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->at;
}

const char *
esc_audit_event_get_actor (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->actor;
}

const char *
esc_audit_event_get_action (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->action;
}

const char *
esc_audit_event_get_target (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->target;
}

const char *
esc_audit_event_get_remote_address (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->remote_address;
}

const char *
esc_audit_event_get_details (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->details;
}

gint64
esc_audit_event_get_actor_id (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), 0);
  return self->actor_id;
}

const char * const *
esc_audit_event_get_actor_roles (EscAuditEvent *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->actor_roles != NULL ? (const char * const *)self->actor_roles : none;
}

const char *
esc_audit_event_get_prev_hash (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->prev_hash;
}

const char *
esc_audit_event_get_hash (EscAuditEvent *self)
{
  g_return_val_if_fail (ESC_IS_AUDIT_EVENT (self), NULL);
  return self->hash;
}
