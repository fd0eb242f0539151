/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-device.h"
#include "esc-json-read.h"
#include "esc-json-write.h"

struct _EscDevice
{
  GObject parent_instance;

  char *name;
  char *serial_number;
  char *group;
  gint64 open_elevation_requests;
};

G_DEFINE_FINAL_TYPE (EscDevice, esc_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SERIAL_NUMBER,
  PROP_GROUP,
  PROP_OPEN_ELEVATION_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_device_finalize (GObject *object)
{
  EscDevice *self = (EscDevice *)object;

  g_free (self->name);
  g_free (self->serial_number);
  g_free (self->group);

  G_OBJECT_CLASS (esc_device_parent_class)->finalize (object);
}

static void
esc_device_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EscDevice *self = ESC_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_OPEN_ELEVATION_REQUESTS:
      g_value_set_int64 (value, self->open_elevation_requests);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_device_class_init (EscDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_device_finalize;
  object_class->get_property = esc_device_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_SERIAL_NUMBER] =
    g_param_spec_string ("serial-number", NULL, NULL, NULL, ro);
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, NULL, ro);
  properties[PROP_OPEN_ELEVATION_REQUESTS] =
    g_param_spec_int64 ("open-elevation-requests", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_device_init (EscDevice *self)
{
}

/**
 * esc_device_new_from_json:
 * @node: a Device of the v1 API
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the device, or %NULL with %ESC_CORE_ERROR set
 */
EscDevice *
esc_device_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(EscDevice) self = g_object_new (ESC_TYPE_DEVICE, NULL);
  JsonObject *object;
  const char *name, *serial_number, *group;

  if (!esc_json_require_object (node, _("A device"), &object, error) ||
      !esc_json_read_string (object, "name", FALSE, &name, error) ||
      !esc_json_read_string (object, "serial_number", FALSE, &serial_number, error) ||
      !esc_json_read_string (object, "group", FALSE, &group, error))
    return NULL;

  self->open_elevation_requests = -1;
  if (json_object_has_member (object, "open_elevation_requests") &&
      !esc_json_read_int (object, "open_elevation_requests", TRUE,
                          &self->open_elevation_requests, error))
    return NULL;

  self->name = g_strdup (name);
  self->serial_number = g_strdup (serial_number);
  self->group = g_strdup (group);

  return g_steal_pointer (&self);
}

const char *
esc_device_get_name (EscDevice *self)
{
  g_return_val_if_fail (ESC_IS_DEVICE (self), NULL);
  return self->name;
}

const char *
esc_device_get_serial_number (EscDevice *self)
{
  g_return_val_if_fail (ESC_IS_DEVICE (self), NULL);
  return self->serial_number;
}

const char *
esc_device_get_group (EscDevice *self)
{
  g_return_val_if_fail (ESC_IS_DEVICE (self), NULL);
  return self->group;
}

gint64
esc_device_get_open_elevation_requests (EscDevice *self)
{
  g_return_val_if_fail (ESC_IS_DEVICE (self), 0);
  return self->open_elevation_requests;
}

/**
 * esc_device_new:
 * @name: its name
 * @serial_number: its serial number
 * @group: its deployment group
 * @open_elevation_requests: how many live elevation requests it has, or -1
 *
 * Returns: (transfer full): a device
 */
EscDevice *
esc_device_new (const char *name,
                const char *serial_number,
                const char *group,
                gint64      open_elevation_requests)
{
  EscDevice *self = g_object_new (ESC_TYPE_DEVICE, NULL);

  self->name = g_strdup (name);
  self->serial_number = g_strdup (serial_number);
  self->group = g_strdup (group);
  self->open_elevation_requests = MAX (open_elevation_requests, -1);

  return self;
}

/**
 * esc_device_to_json:
 * @self: a #EscDevice
 *
 * Returns: (transfer full): {name, serial_number, group}, and
 *   open_elevation_requests when known
 */
JsonNode *
esc_device_to_json (EscDevice *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_DEVICE (self), NULL);

  json_builder_begin_object (builder);
  esc_json_add_string (builder, "name", self->name);
  esc_json_add_string (builder, "serial_number", self->serial_number);
  esc_json_add_string (builder, "group", self->group);
  if (self->open_elevation_requests >= 0)
    {
      json_builder_set_member_name (builder, "open_elevation_requests");
      json_builder_add_int_value (builder, self->open_elevation_requests);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
