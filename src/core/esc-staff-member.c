/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-designation.h"
#include "esc-json-read.h"
#include "esc-json-write.h"
#include "esc-staff-member.h"

struct _EscStaffMember
{
  GObject     parent_instance;

  gint64      id;
  char       *name;
  char       *email;
  GStrv       roles;
  GListStore *designations;
  char       *team;
  gboolean    disabled;
  char       *etag;
};

G_DEFINE_FINAL_TYPE (EscStaffMember, esc_staff_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_ROLES,
  PROP_DESIGNATIONS,
  PROP_ELEVATION,
  PROP_ESCALATION,
  PROP_TEAM,
  PROP_DISABLED,
  PROP_ETAG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_staff_member_finalize (GObject *object)
{
  EscStaffMember *self = (EscStaffMember *)object;

  g_free (self->name);
  g_free (self->email);
  g_strfreev (self->roles);
  g_clear_object (&self->designations);
  g_free (self->team);
  g_free (self->etag);

  G_OBJECT_CLASS (esc_staff_member_parent_class)->finalize (object);
}

static void
esc_staff_member_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EscStaffMember *self = ESC_STAFF_MEMBER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_ROLES:
      g_value_set_boxed (value, self->roles);
      break;
    case PROP_DESIGNATIONS:
      g_value_set_object (value, self->designations);
      break;
    case PROP_ELEVATION:
      g_value_set_boolean (value, esc_staff_member_has_capability (self, "elevation"));
      break;
    case PROP_ESCALATION:
      g_value_set_boolean (value, esc_staff_member_has_capability (self, "escalation"));
      break;
    case PROP_TEAM:
      g_value_set_string (value, self->team);
      break;
    case PROP_DISABLED:
      g_value_set_boolean (value, self->disabled);
      break;
    case PROP_ETAG:
      g_value_set_string (value, self->etag);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_staff_member_class_init (EscStaffMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_staff_member_finalize;
  object_class->get_property = esc_staff_member_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_EMAIL] = g_param_spec_string ("email", NULL, NULL, NULL, ro);
  properties[PROP_ROLES] = g_param_spec_boxed ("roles", NULL, NULL, G_TYPE_STRV, ro);
  properties[PROP_DESIGNATIONS] = g_param_spec_object ("designations", NULL, NULL,
                                                       G_TYPE_LIST_MODEL, ro);
  /* Live designations, for the staff list */
  properties[PROP_ELEVATION] = g_param_spec_boolean ("elevation", NULL, NULL, FALSE, ro);
  properties[PROP_ESCALATION] = g_param_spec_boolean ("escalation", NULL, NULL, FALSE, ro);
  properties[PROP_TEAM] = g_param_spec_string ("team", NULL, NULL, NULL, ro);
  /* Access removed: no token works, no designation is held */
  properties[PROP_DISABLED] = g_param_spec_boolean ("disabled", NULL, NULL, FALSE, ro);
  /* The version, for If-Match (the ETag of GET /v1/staff/{id}) */
  properties[PROP_ETAG] = g_param_spec_string ("etag", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_staff_member_init (EscStaffMember *self)
{
  self->designations = g_list_store_new (ESC_TYPE_DESIGNATION);
}

/**
 * esc_staff_member_new_from_json:
 * @node: a StaffMember of the v1 API
 * @error: return location for a #GError
 *
 * Reads id, name, email, roles, designations, and "team" (a string or
 * null), "disabled" (false when absent) and "etag" (absent from a service
 * older than the staff-access endpoints).
 *
 * Returns: (transfer full) (nullable): the member, or %NULL with
 *   %ESC_CORE_ERROR set
 */
EscStaffMember *
esc_staff_member_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(EscStaffMember) self = g_object_new (ESC_TYPE_STAFF_MEMBER, NULL);
  JsonObject *object;
  JsonNode *designations;
  const char *name;
  const char *email;
  const char *team;
  const char *etag;

  if (!esc_json_require_object (node, _("A member of the staff"), &object, error) ||
      !esc_json_read_int (object, "id", FALSE, &self->id, error) ||
      !esc_json_read_string (object, "name", FALSE, &name, error) ||
      !esc_json_read_string (object, "email", TRUE, &email, error) ||
      !esc_json_read_strv (object, "roles", TRUE, &self->roles, error) ||
      !esc_json_read_string (object, "team", TRUE, &team, error) ||
      !esc_json_read_bool (object, "disabled", TRUE, &self->disabled, error) ||
      !esc_json_read_string (object, "etag", TRUE, &etag, error))
    return NULL;

  self->name = g_strdup (name);
  self->email = g_strdup (email);
  self->team = g_strdup (team);
  self->etag = g_strdup (etag);

  designations = json_object_get_member (object, "designations");
  if (designations != NULL && JSON_NODE_HOLDS_ARRAY (designations))
    {
      JsonArray *array = json_node_get_array (designations);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(EscDesignation) designation = NULL;

          designation = esc_designation_new_from_json (json_array_get_element (array, i), error);
          if (designation == NULL)
            return NULL;
          g_list_store_append (self->designations, designation);
        }
    }

  return g_steal_pointer (&self);
}

/**
 * esc_staff_member_new:
 * @id: the person's id in the service
 * @name: their name
 * @email: (nullable): their e-mail address
 * @roles: (nullable): their roles
 *
 * Returns: (transfer full): a member without designations
 */
EscStaffMember *
esc_staff_member_new (gint64              id,
                      const char         *name,
                      const char         *email,
                      const char * const *roles)
{
  EscStaffMember *self = g_object_new (ESC_TYPE_STAFF_MEMBER, NULL);

  self->id = id;
  self->name = g_strdup (name);
  self->email = g_strdup (email);
  self->roles = roles != NULL ? g_strdupv ((GStrv)roles) : g_new0 (char *, 1);

  return self;
}

/**
 * esc_staff_member_add_designation:
 * @self: a #EscStaffMember
 * @designation: one of their designations
 */
void
esc_staff_member_add_designation (EscStaffMember *self,
                                  EscDesignation *designation)
{
  g_return_if_fail (ESC_IS_STAFF_MEMBER (self));
  g_return_if_fail (ESC_IS_DESIGNATION (designation));

  g_list_store_append (self->designations, designation);
}

/**
 * esc_staff_member_set_access:
 * @self: a #EscStaffMember
 * @team: (nullable): their team
 * @disabled: whether their access was removed
 */
void
esc_staff_member_set_access (EscStaffMember *self,
                             const char     *team,
                             gboolean        disabled)
{
  g_return_if_fail (ESC_IS_STAFF_MEMBER (self));

  g_free (self->team);
  self->team = g_strdup (team);
  self->disabled = !!disabled;
}

/**
 * esc_staff_member_set_etag:
 * @self: a #EscStaffMember
 * @etag: (nullable): the version, as the service computes it
 */
void
esc_staff_member_set_etag (EscStaffMember *self,
                           const char     *etag)
{
  g_return_if_fail (ESC_IS_STAFF_MEMBER (self));

  g_free (self->etag);
  self->etag = g_strdup (etag);
}

/**
 * esc_staff_member_to_json:
 * @self: a #EscStaffMember
 *
 * Returns: (transfer full): {id, name, email, roles, designations, team,
 *   disabled, etag}, each designation as esc_designation_to_resource_json()
 *   writes it; no etag member when none is set
 */
JsonNode *
esc_staff_member_to_json (EscStaffMember *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint n;

  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  esc_json_add_string (builder, "name", self->name);
  esc_json_add_string (builder, "email", self->email);
  esc_json_add_strv (builder, "roles", (const char * const *)self->roles);
  json_builder_set_member_name (builder, "designations");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->designations));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscDesignation) designation = g_list_model_get_item (G_LIST_MODEL (self->designations), i);

      json_builder_add_value (builder, esc_designation_to_resource_json (designation));
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "team");
  if (self->team != NULL)
    json_builder_add_string_value (builder, self->team);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "disabled");
  json_builder_add_boolean_value (builder, self->disabled);
  if (self->etag != NULL)
    esc_json_add_string (builder, "etag", self->etag);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gint64
esc_staff_member_get_id (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), 0);
  return self->id;
}

const char *
esc_staff_member_get_name (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);
  return self->name;
}

const char *
esc_staff_member_get_email (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);
  return self->email;
}

const char * const *
esc_staff_member_get_roles (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);
  return (const char * const *)self->roles;
}

GListModel *
esc_staff_member_get_designations (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);
  return G_LIST_MODEL (self->designations);
}

gboolean
esc_staff_member_has_capability (EscStaffMember *self,
                                 const char     *capability)
{
  guint n;

  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->designations));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscDesignation) designation = g_list_model_get_item (G_LIST_MODEL (self->designations), i);

      if (esc_designation_get_active (designation) &&
          g_strcmp0 (esc_designation_get_capability (designation), capability) == 0)
        return TRUE;
    }

  return FALSE;
}

/* (nullable): the person's team */
const char *
esc_staff_member_get_team (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);
  return self->team;
}

/* TRUE once their access was removed (POST /v1/staff/{id}/remove-access) */
gboolean
esc_staff_member_get_disabled (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), FALSE);
  return self->disabled;
}

/* (nullable): the version as the service sent it, for If-Match */
const char *
esc_staff_member_get_etag (EscStaffMember *self)
{
  g_return_val_if_fail (ESC_IS_STAFF_MEMBER (self), NULL);
  return self->etag;
}

void
esc_staff_access_removal_free (EscStaffAccessRemoval *removal)
{
  if (removal == NULL)
    return;

  g_clear_object (&removal->person);
  g_free (removal);
}

static gboolean
read_count (JsonObject  *object,
            const char  *member,
            guint       *out,
            GError     **error)
{
  gint64 value = 0;

  if (!esc_json_read_int (object, member, FALSE, &value, error))
    return FALSE;
  if (value < 0 || value > G_MAXUINT)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("“%s” must be a count"), member);
      return FALSE;
    }

  *out = (guint)value;
  return TRUE;
}

/**
 * esc_staff_access_removal_new_from_json:
 * @node: the answer of POST /v1/staff/{id}/remove-access
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the removal, or %NULL with
 *   %ESC_CORE_ERROR set
 */
EscStaffAccessRemoval *
esc_staff_access_removal_new_from_json (JsonNode  *node,
                                        GError   **error)
{
  g_autoptr(EscStaffAccessRemoval) removal = g_new0 (EscStaffAccessRemoval, 1);
  JsonObject *object;
  JsonNode *person;

  if (!esc_json_require_object (node, _("The removal of access"), &object, error))
    return NULL;

  person = json_object_get_member (object, "person");
  if (person == NULL)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("“%s” is missing"), "person");
      return NULL;
    }

  if (!(removal->person = esc_staff_member_new_from_json (person, error)) ||
      !read_count (object, "tokens_revoked", &removal->tokens_revoked, error) ||
      !read_count (object, "designations_withdrawn", &removal->designations_withdrawn, error) ||
      !read_count (object, "elevations_closed", &removal->elevations_closed, error) ||
      !read_count (object, "devices_rotated", &removal->devices_rotated, error))
    return NULL;

  return g_steal_pointer (&removal);
}
