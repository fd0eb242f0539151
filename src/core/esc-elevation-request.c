/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-elevation-request.h"
#include "esc-json-read.h"
#include "esc-json-write.h"

static const char * const closed_reasons[] = {
  "closed", "designation-withdrawn", "designation-expired", "access-removed", NULL
};

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
  char *closed_reason;
  gint64 password_views;
  gboolean active;
  gint64 renewals;
  gint64 requested_by_id;
  gint64 closed_by_id;
  EscDevice *device_details;
  GArray *views;  /* PasswordView */
};

typedef struct
{
  gint64     by_id;
  char      *by;
  GDateTime *at;
} PasswordView;

static void
password_view_clear (PasswordView *view)
{
  g_free (view->by);
  g_clear_pointer (&view->at, g_date_time_unref);
}

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
  g_free (self->closed_reason);
  g_clear_object (&self->device_details);
  g_array_unref (self->views);

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
  self->views = g_array_new (FALSE, TRUE, sizeof (PasswordView));
  g_array_set_clear_func (self->views, (GDestroyNotify)password_view_clear);
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
  g_autoptr(EscElevationRequest) self = NULL;
  g_autoptr(EscDevice) device = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) renewed_at = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) closed_at = NULL;
  EscElevationRequestFields fields = { 0, };
  JsonObject *object;
  JsonNode *details;
  JsonNode *views;

  if (!esc_json_require_object (node, _("An elevation request"), &object, error) ||
      !esc_json_read_string (object, "id", FALSE, &fields.id, error) ||
      !esc_json_read_string (object, "state", FALSE, &fields.state, error) ||
      !esc_json_read_string (object, "ticket_id", FALSE, &fields.ticket_id, error) ||
      !esc_json_read_string (object, "category", FALSE, &fields.category, error) ||
      !esc_json_read_string (object, "subcategory", FALSE, &fields.subcategory, error) ||
      !esc_json_read_string (object, "title", FALSE, &fields.title, error) ||
      !esc_json_read_string (object, "plan_of_action", FALSE, &fields.plan_of_action, error) ||
      !esc_json_read_person (object, "requested_by", FALSE, &fields.requested_by_id,
                             &fields.requested_by, error) ||
      !esc_json_read_time (object, "created_at", FALSE, &created_at, error) ||
      !esc_json_read_time (object, "renewed_at", TRUE, &renewed_at, error) ||
      !esc_json_read_time (object, "expires_at", TRUE, &expires_at, error) ||
      !esc_json_read_time (object, "closed_at", TRUE, &closed_at, error) ||
      !esc_json_read_person (object, "closed_by", TRUE, &fields.closed_by_id, &fields.closed_by,
                             error) ||
      !esc_json_read_string (object, "actions_taken", TRUE, &fields.actions_taken, error) ||
      !esc_json_read_string (object, "closed_reason", TRUE, &fields.closed_reason, error) ||
      !esc_json_read_int (object, "renewals", TRUE, &fields.renewals, error))
    return NULL;

  if (fields.closed_reason != NULL && !g_strv_contains (closed_reasons, fields.closed_reason))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   /* Translators: %s is what the service sent */
                   _("An elevation request: “closed_reason” is not a known reason: “%s”"),
                   fields.closed_reason);
      return NULL;
    }

  /* Older services did not say; then it is live while open. */
  fields.active = g_strcmp0 (fields.state, "open") == 0;
  if (json_object_has_member (object, "active") &&
      !esc_json_read_bool (object, "active", TRUE, &fields.active, error))
    return NULL;

  details = json_object_get_member (object, "device_details");
  if (details != NULL && !JSON_NODE_HOLDS_NULL (details))
    {
      if (!(device = esc_device_new_from_json (details, error)))
        return NULL;
    }
  else
    {
      const char *name;

      if (!esc_json_read_string (object, "device", FALSE, &name, error))
        return NULL;
      device = esc_device_new (name, NULL, NULL, -1);
    }
  fields.device = device;

  fields.created_at = created_at;
  fields.renewed_at = renewed_at;
  fields.expires_at = expires_at;
  fields.closed_at = closed_at;
  self = esc_elevation_request_new (&fields);

  /* "device" names the device of "device_details"; it wins if they differ. */
  if (json_object_has_member (object, "device"))
    {
      const char *name;

      if (!esc_json_read_string (object, "device", FALSE, &name, error))
        return NULL;
      g_free (self->device);
      self->device = g_strdup (name);
    }

  views = json_object_get_member (object, "password_views");
  if (views != NULL && JSON_NODE_HOLDS_ARRAY (views))
    {
      JsonArray *array = json_node_get_array (views);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(GDateTime) at = NULL;
          JsonObject *view;
          const char *by;
          gint64 by_id;

          if (!esc_json_require_object (json_array_get_element (array, i), _("A password view"),
                                        &view, error) ||
              !esc_json_read_person (view, "by", FALSE, &by_id, &by, error) ||
              !esc_json_read_time (view, "at", FALSE, &at, error))
            return NULL;
          esc_elevation_request_add_password_view (self, by_id, by, at);
        }
    }

  return g_steal_pointer (&self);
}

/**
 * esc_elevation_request_new:
 * @fields: its members
 *
 * Returns: (transfer full): the request, without password views
 */
EscElevationRequest *
esc_elevation_request_new (const EscElevationRequestFields *fields)
{
  EscElevationRequest *self = g_object_new (ESC_TYPE_ELEVATION_REQUEST, NULL);

  g_return_val_if_fail (fields != NULL, self);

  self->id = g_strdup (fields->id);
  self->state = g_strdup (fields->state);
  self->active = fields->active;
  self->ticket_id = g_strdup (fields->ticket_id);
  if (fields->device != NULL)
    {
      self->device_details = g_object_ref (fields->device);
      self->device = g_strdup (esc_device_get_name (fields->device));
      self->device_group = g_strdup (esc_device_get_group (fields->device));
    }
  self->category = g_strdup (fields->category);
  self->subcategory = g_strdup (fields->subcategory);
  self->title = g_strdup (fields->title);
  self->plan_of_action = g_strdup (fields->plan_of_action);
  if (fields->requested_by_id > 0 && fields->requested_by != NULL)
    {
      self->requested_by_id = fields->requested_by_id;
      self->requested_by = g_strdup (fields->requested_by);
    }
  self->created_at = fields->created_at != NULL ? g_date_time_ref (fields->created_at) : NULL;
  self->expires_at = fields->expires_at != NULL ? g_date_time_ref (fields->expires_at) : NULL;
  self->renewed_at = fields->renewed_at != NULL ? g_date_time_ref (fields->renewed_at) : NULL;
  self->renewals = fields->renewals;
  self->closed_at = fields->closed_at != NULL ? g_date_time_ref (fields->closed_at) : NULL;
  if (fields->closed_by_id > 0 && fields->closed_by != NULL)
    {
      self->closed_by_id = fields->closed_by_id;
      self->closed_by = g_strdup (fields->closed_by);
    }
  self->actions_taken = g_strdup (fields->actions_taken);
  self->closed_reason = g_strdup (fields->closed_reason);

  return self;
}

/**
 * esc_elevation_request_add_password_view:
 * @self: a #EscElevationRequest
 * @by_id: who read the password
 * @by: their name
 * @at: when
 *
 * Adds one read of the password, after those added before.
 */
void
esc_elevation_request_add_password_view (EscElevationRequest *self,
                                         gint64               by_id,
                                         const char          *by,
                                         GDateTime           *at)
{
  PasswordView view = { by_id, g_strdup (by), at != NULL ? g_date_time_ref (at) : NULL };

  g_return_if_fail (ESC_IS_ELEVATION_REQUEST (self));

  g_array_append_val (self->views, view);
  self->password_views = self->views->len;
}

/**
 * esc_elevation_request_to_json:
 * @self: a #EscElevationRequest
 *
 * Returns: (transfer full): the ElevationRequest of the v1 API, with its
 *   device's details and every password view
 */
JsonNode *
esc_elevation_request_to_json (EscElevationRequest *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);

  json_builder_begin_object (builder);
  esc_json_add_string (builder, "id", self->id);
  esc_json_add_string (builder, "state", self->state);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, self->active);
  esc_json_add_string (builder, "ticket_id", self->ticket_id);
  esc_json_add_string (builder, "device", self->device);
  json_builder_set_member_name (builder, "device_details");
  if (self->device_details != NULL)
    json_builder_add_value (builder, esc_device_to_json (self->device_details));
  else
    json_builder_add_null_value (builder);
  esc_json_add_string (builder, "category", self->category);
  esc_json_add_string (builder, "subcategory", self->subcategory);
  esc_json_add_string (builder, "title", self->title);
  esc_json_add_string (builder, "plan_of_action", self->plan_of_action);
  esc_json_add_person (builder, "requested_by", self->requested_by_id, self->requested_by);
  esc_json_add_time (builder, "created_at", self->created_at);
  esc_json_add_time (builder, "expires_at", self->expires_at);
  esc_json_add_time (builder, "renewed_at", self->renewed_at);
  json_builder_set_member_name (builder, "renewals");
  json_builder_add_int_value (builder, self->renewals);
  esc_json_add_time (builder, "closed_at", self->closed_at);
  esc_json_add_person (builder, "closed_by", self->closed_by_id, self->closed_by);
  esc_json_add_string (builder, "actions_taken", self->actions_taken);
  esc_json_add_string (builder, "closed_reason", self->closed_reason);
  json_builder_set_member_name (builder, "password_views");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->views->len; i++)
    {
      const PasswordView *view = &g_array_index (self->views, PasswordView, i);

      json_builder_begin_object (builder);
      esc_json_add_person (builder, "by", view->by_id, view->by);
      esc_json_add_time (builder, "at", view->at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
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

gboolean
esc_elevation_request_get_active (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), FALSE);
  return self->active;
}

gint64
esc_elevation_request_get_renewals (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), 0);
  return self->renewals;
}

EscDevice *
esc_elevation_request_get_device_details (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->device_details;
}

const char *
esc_elevation_request_get_password_view (EscElevationRequest  *self,
                                         guint                 index,
                                         GDateTime           **at)
{
  const PasswordView *view;

  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  g_return_val_if_fail (index < self->views->len, NULL);

  view = &g_array_index (self->views, PasswordView, index);
  if (at != NULL)
    *at = view->at;
  return view->by;
}

const char *
esc_elevation_request_get_closed_reason (EscElevationRequest *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_REQUEST (self), NULL);
  return self->closed_reason;
}
