/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-elevation-request.h"
#include "esc-json-read.h"

struct _EscElevationRequest
{
  GObject parent_instance;

  char *id;
  char *state;
  char *ticket_id;
  char *device;
  char *category;
  char *subcategory;
  char *title;
  char *plan_of_action;
  char *device_group;
  char *requested_by;
  GDateTime *created_at;
  GDateTime *renewed_at;
  GDateTime *expires_at;
  GDateTime *closed_at;
  char *closed_by;
  char *actions_taken;
  gint64 password_views;
};

G_DEFINE_FINAL_TYPE (EscElevationRequest, esc_elevation_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_TICKET_ID,
  PROP_DEVICE,
  PROP_CATEGORY,
  PROP_SUBCATEGORY,
  PROP_TITLE,
  PROP_PLAN_OF_ACTION,
  PROP_DEVICE_GROUP,
  PROP_REQUESTED_BY,
  PROP_CREATED_AT,
  PROP_RENEWED_AT,
  PROP_EXPIRES_AT,
  PROP_CLOSED_AT,
  PROP_CLOSED_BY,
  PROP_ACTIONS_TAKEN,
  PROP_PASSWORD_VIEWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_elevation_request_finalize (GObject *object)
{
  EscElevationRequest *self = (EscElevationRequest *)object;

  g_free (self->id);
  g_free (self->state);
  g_free (self->ticket_id);
  g_free (self->device);
  g_free (self->category);
  g_free (self->subcategory);
  g_free (self->title);
  g_free (self->plan_of_action);
  g_free (self->device_group);
  g_free (self->requested_by);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->renewed_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->closed_at, g_date_time_unref);
  g_free (self->closed_by);
  g_free (self->actions_taken);

  G_OBJECT_CLASS (esc_elevation_request_parent_class)->finalize (object);
}

static void
esc_elevation_request_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  EscElevationRequest *self = ESC_ELEVATION_REQUEST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_TICKET_ID:
      g_value_set_string (value, self->ticket_id);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case PROP_SUBCATEGORY:
      g_value_set_string (value, self->subcategory);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PLAN_OF_ACTION:
      g_value_set_string (value, self->plan_of_action);
      break;
    case PROP_DEVICE_GROUP:
      g_value_set_string (value, self->device_group);
      break;
    case PROP_REQUESTED_BY:
      g_value_set_string (value, self->requested_by);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_RENEWED_AT:
      g_value_set_boxed (value, self->renewed_at);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_CLOSED_AT:
      g_value_set_boxed (value, self->closed_at);
      break;
    case PROP_CLOSED_BY:
      g_value_set_string (value, self->closed_by);
      break;
    case PROP_ACTIONS_TAKEN:
      g_value_set_string (value, self->actions_taken);
      break;
    case PROP_PASSWORD_VIEWS:
      g_value_set_int64 (value, self->password_views);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_elevation_request_class_init (EscElevationRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_elevation_request_finalize;
  object_class->get_property = esc_elevation_request_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL, ro);
  properties[PROP_TICKET_ID] =
    g_param_spec_string ("ticket-id", NULL, NULL, NULL, ro);
  properties[PROP_DEVICE] =
    g_param_spec_string ("device", NULL, NULL, NULL, ro);
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL, ro);
  properties[PROP_SUBCATEGORY] =
    g_param_spec_string ("subcategory", NULL, NULL, NULL, ro);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, ro);
  properties[PROP_PLAN_OF_ACTION] =
    g_param_spec_string ("plan-of-action", NULL, NULL, NULL, ro);
  properties[PROP_DEVICE_GROUP] =
    g_param_spec_string ("device-group", NULL, NULL, NULL, ro);
  properties[PROP_REQUESTED_BY] =
    g_param_spec_string ("requested-by", NULL, NULL, NULL, ro);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_RENEWED_AT] =
    g_param_spec_boxed ("renewed-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_CLOSED_AT] =
    g_param_spec_boxed ("closed-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_CLOSED_BY] =
    g_param_spec_string ("closed-by", NULL, NULL, NULL, ro);
  properties[PROP_ACTIONS_TAKEN] =
    g_param_spec_string ("actions-taken", NULL, NULL, NULL, ro);
  properties[PROP_PASSWORD_VIEWS] =
    g_param_spec_int64 ("password-views", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_elevation_request_init (EscElevationRequest *self)
{
}

/**
 * esc_elevation_request_new_from_json:
 * @node: an ElevationRequest of the v1 API
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with %ESC_CORE_ERROR set
 */
EscElevationRequest *
esc_elevation_request_new_from_json (JsonNode  *node,
                                     GError   **error)
{
  g_autoptr(EscElevationRequest) self = g_object_new (ESC_TYPE_ELEVATION_REQUEST, NULL);
  JsonObject *object;
  JsonNode *details;
  JsonNode *views;
  const char *id, *state, *ticket_id, *device, *category, *subcategory, *title, *plan;
  const char *requested_by, *closed_by, *actions_taken;
  const char *group = NULL;
  gint64 person_id;

  if (!esc_json_require_object (node, _("An elevation request"), &object, error) ||
      !esc_json_read_string (object, "id", FALSE, &id, error) ||
      !esc_json_read_string (object, "state", FALSE, &state, error) ||
      !esc_json_read_string (object, "ticket_id", FALSE, &ticket_id, error) ||
      !esc_json_read_string (object, "device", FALSE, &device, error) ||
      !esc_json_read_string (object, "category", FALSE, &category, error) ||
      !esc_json_read_string (object, "subcategory", FALSE, &subcategory, error) ||
      !esc_json_read_string (object, "title", FALSE, &title, error) ||
      !esc_json_read_string (object, "plan_of_action", FALSE, &plan, error) ||
      !esc_json_read_person (object, "requested_by", FALSE, &person_id, &requested_by, error) ||
      !esc_json_read_time (object, "created_at", FALSE, &self->created_at, error) ||
      !esc_json_read_time (object, "renewed_at", TRUE, &self->renewed_at, error) ||
      !esc_json_read_time (object, "expires_at", TRUE, &self->expires_at, error) ||
      !esc_json_read_time (object, "closed_at", TRUE, &self->closed_at, error) ||
      !esc_json_read_person (object, "closed_by", TRUE, &person_id, &closed_by, error) ||
      !esc_json_read_string (object, "actions_taken", TRUE, &actions_taken, error))
    return NULL;

  details = json_object_get_member (object, "device_details");
  if (details != NULL && JSON_NODE_HOLDS_OBJECT (details) &&
      !esc_json_read_string (json_node_get_object (details), "group", TRUE, &group, error))
    return NULL;

  views = json_object_get_member (object, "password_views");
  if (views != NULL && JSON_NODE_HOLDS_ARRAY (views))
    self->password_views = json_array_get_length (json_node_get_array (views));

  self->id = g_strdup (id);
  self->state = g_strdup (state);
  self->ticket_id = g_strdup (ticket_id);
  self->device = g_strdup (device);
  self->category = g_strdup (category);
  self->subcategory = g_strdup (subcategory);
  self->title = g_strdup (title);
  self->plan_of_action = g_strdup (plan);
  self->device_group = g_strdup (group);
  self->requested_by = g_strdup (requested_by);
  self->closed_by = g_strdup (closed_by);
  self->actions_taken = g_strdup (actions_taken);

  return g_steal_pointer (&self);
}

const char *
esc_elevation_request_get_id (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->id;
}

const char *
esc_elevation_request_get_state (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->state;
}

const char *
esc_elevation_request_get_ticket_id (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->ticket_id;
}

const char *
esc_elevation_request_get_device (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->device;
}

const char *
esc_elevation_request_get_category (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->category;
}

const char *
esc_elevation_request_get_subcategory (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->subcategory;
}

const char *
esc_elevation_request_get_title (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->title;
}

const char *
esc_elevation_request_get_plan_of_action (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->plan_of_action;
}

const char *
esc_elevation_request_get_device_group (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->device_group;
}

const char *
esc_elevation_request_get_requested_by (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->requested_by;
}

GDateTime *
esc_elevation_request_get_created_at (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->created_at;
}

GDateTime *
esc_elevation_request_get_renewed_at (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->renewed_at;
}

GDateTime *
esc_elevation_request_get_expires_at (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->expires_at;
}

GDateTime *
esc_elevation_request_get_closed_at (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->closed_at;
}

const char *
esc_elevation_request_get_closed_by (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->closed_by;
}

const char *
esc_elevation_request_get_actions_taken (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->actions_taken;
}

gint64
esc_elevation_request_get_password_views (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), 0);
  return self->password_views;
}
