/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-designation.h"
#include "esc-json-read.h"
#include "esc-json-write.h"
#include "esc-time.h"

struct _EscDesignation
{
  GObject    parent_instance;

  char      *capability;
  char      *reason;
  GDateTime *expires_at;
  gboolean   active;
  GDateTime *designated_at;
  gint64     designated_by_id;
  char      *designated_by;
};

G_DEFINE_FINAL_TYPE (EscDesignation, esc_designation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAPABILITY,
  PROP_REASON,
  PROP_EXPIRES_AT,
  PROP_ACTIVE,
  PROP_DESIGNATED_AT,
  PROP_DESIGNATED_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_designation_finalize (GObject *object)
{
  EscDesignation *self = (EscDesignation *)object;

  g_free (self->capability);
  g_free (self->reason);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->designated_at, g_date_time_unref);
  g_free (self->designated_by);

  G_OBJECT_CLASS (esc_designation_parent_class)->finalize (object);
}

static void
esc_designation_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EscDesignation *self = ESC_DESIGNATION (object);

  switch (prop_id)
    {
    case PROP_CAPABILITY:
      g_value_set_string (value, self->capability);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_DESIGNATED_AT:
      g_value_set_boxed (value, self->designated_at);
      break;
    case PROP_DESIGNATED_BY:
      g_value_set_string (value, self->designated_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_designation_class_init (EscDesignationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_designation_finalize;
  object_class->get_property = esc_designation_get_property;

  properties[PROP_CAPABILITY] = g_param_spec_string ("capability", NULL, NULL, NULL, ro);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, ro);
  properties[PROP_EXPIRES_AT] = g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, ro);
  properties[PROP_DESIGNATED_AT] = g_param_spec_boxed ("designated-at", NULL, NULL,
                                                       G_TYPE_DATE_TIME, ro);
  properties[PROP_DESIGNATED_BY] = g_param_spec_string ("designated-by", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_designation_init (EscDesignation *self)
{
}

static gboolean
capability_is_valid (const char *capability)
{
  return g_strcmp0 (capability, "elevation") == 0 || g_strcmp0 (capability, "escalation") == 0;
}

/**
 * esc_designation_new:
 * @capability: "elevation" or "escalation"
 * @reason: (nullable): why
 * @expires_at: (nullable): when it ends, %NULL for never
 *
 * Returns: (transfer full): a designation to send
 */
EscDesignation *
esc_designation_new (const char *capability,
                     const char *reason,
                     GDateTime  *expires_at)
{
  EscDesignation *self;

  g_return_val_if_fail (capability_is_valid (capability), NULL);

  self = g_object_new (ESC_TYPE_DESIGNATION, NULL);
  self->capability = g_strdup (capability);
  self->reason = g_strdup (reason);
  self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  self->active = TRUE;

  return self;
}

/**
 * esc_designation_new_from_json:
 * @node: a Designation of the v1 API
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the designation, or %NULL with
 *   %ESC_CORE_ERROR set
 */
EscDesignation *
esc_designation_new_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) designated_at = NULL;
  JsonObject *object;
  const char *capability;
  const char *reason;
  const char *designated_by;
  gint64 designated_by_id;
  gboolean active = TRUE;

  if (!esc_json_require_object (node, _("A designation"), &object, error) ||
      !esc_json_read_string (object, "capability", FALSE, &capability, error) ||
      !esc_json_read_string (object, "reason", TRUE, &reason, error) ||
      !esc_json_read_time (object, "expires_at", TRUE, &expires_at, error) ||
      !esc_json_read_time (object, "designated_at", TRUE, &designated_at, error) ||
      !esc_json_read_person (object, "designated_by", TRUE, &designated_by_id, &designated_by,
                             error))
    return NULL;

  if (json_object_has_member (object, "active") &&
      !esc_json_read_bool (object, "active", TRUE, &active, error))
    return NULL;

  if (!capability_is_valid (capability))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("“%s” is not a capability"), capability);
      return NULL;
    }

  return esc_designation_new_full (capability, reason, expires_at, active, designated_at,
                                   designated_by_id, designated_by);
}

/**
 * esc_designation_new_full:
 * @capability: "elevation" or "escalation"
 * @reason: (nullable): why
 * @expires_at: (nullable): when it ends, %NULL for never
 * @active: whether it grants its capability now
 * @designated_at: (nullable): when it was granted
 * @designated_by_id: who granted it, 0 for the command line
 * @designated_by: (nullable): their name
 *
 * Returns: (transfer full): a designation as the service answers it
 */
EscDesignation *
esc_designation_new_full (const char *capability,
                          const char *reason,
                          GDateTime  *expires_at,
                          gboolean    active,
                          GDateTime  *designated_at,
                          gint64      designated_by_id,
                          const char *designated_by)
{
  EscDesignation *self = esc_designation_new (capability, reason, expires_at);

  if (self == NULL)
    return NULL;

  self->active = active;
  self->designated_at = designated_at != NULL ? g_date_time_ref (designated_at) : NULL;
  if (designated_by_id > 0 && designated_by != NULL)
    {
      self->designated_by_id = designated_by_id;
      self->designated_by = g_strdup (designated_by);
    }

  return self;
}

/**
 * esc_designation_to_json:
 * @self: a #EscDesignation
 *
 * Returns: (transfer full): {capability, reason, expires_at}
 */
JsonNode *
esc_designation_to_json (EscDesignation *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *expires_at = NULL;

  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);

  expires_at = esc_time_format (self->expires_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "capability");
  json_builder_add_string_value (builder, self->capability);
  json_builder_set_member_name (builder, "reason");
  if (self->reason != NULL)
    json_builder_add_string_value (builder, self->reason);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "expires_at");
  if (expires_at != NULL)
    json_builder_add_string_value (builder, expires_at);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * esc_designation_to_resource_json:
 * @self: a #EscDesignation
 *
 * Returns: (transfer full): {capability, reason, expires_at, active,
 *   designated_at, designated_by}
 */
JsonNode *
esc_designation_to_resource_json (EscDesignation *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "capability");
  json_builder_add_string_value (builder, self->capability);
  esc_json_add_string (builder, "reason", self->reason);
  esc_json_add_time (builder, "expires_at", self->expires_at);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, self->active);
  esc_json_add_time (builder, "designated_at", self->designated_at);
  esc_json_add_person (builder, "designated_by", self->designated_by_id, self->designated_by);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

const char *
esc_designation_get_capability (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);
  return self->capability;
}

const char *
esc_designation_get_reason (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);
  return self->reason;
}

GDateTime *
esc_designation_get_expires_at (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);
  return self->expires_at;
}

gboolean
esc_designation_get_active (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), FALSE);
  return self->active;
}

GDateTime *
esc_designation_get_designated_at (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);
  return self->designated_at;
}

const char *
esc_designation_get_designated_by (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), NULL);
  return self->designated_by;
}

gint64
esc_designation_get_designated_by_id (EscDesignation *self)
{
  g_return_val_if_fail (ESC_IS_DESIGNATION (self), 0);
  return self->designated_by_id;
}
