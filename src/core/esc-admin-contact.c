/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-admin-contact.h"
#include "esc-json-read.h"
#include "esc-json-write.h"

struct _EscAdminContact
{
  GObject parent_instance;

  char *area;
  EscSupportContact *contact;
  GDateTime *updated_at;
  gint64 updated_by_id;
  char *updated_by;
};

G_DEFINE_FINAL_TYPE (EscAdminContact, esc_admin_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AREA,
  PROP_CONTACT,
  PROP_UPDATED_AT,
  PROP_UPDATED_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_admin_contact_finalize (GObject *object)
{
  EscAdminContact *self = (EscAdminContact *)object;

  g_free (self->area);
  g_clear_pointer (&self->contact, esc_support_contact_free);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_free (self->updated_by);

  G_OBJECT_CLASS (esc_admin_contact_parent_class)->finalize (object);
}

static void
esc_admin_contact_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EscAdminContact *self = ESC_ADMIN_CONTACT (object);

  switch (prop_id)
    {
    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;
    case PROP_CONTACT:
      g_value_set_boxed (value, self->contact);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_UPDATED_BY:
      g_value_set_string (value, self->updated_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_admin_contact_class_init (EscAdminContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_admin_contact_finalize;
  object_class->get_property = esc_admin_contact_get_property;

  properties[PROP_AREA] =
    g_param_spec_string ("area", NULL, NULL, NULL, ro);
  properties[PROP_CONTACT] =
    g_param_spec_boxed ("contact", NULL, NULL, ESC_TYPE_SUPPORT_CONTACT, ro);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_UPDATED_BY] =
    g_param_spec_string ("updated-by", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_admin_contact_init (EscAdminContact *self)
{
}

/**
 * esc_admin_contact_new_from_json:
 * @node: an AdminContact of the v1 API
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the admin contact, or %NULL with %ESC_CORE_ERROR set
 */
EscAdminContact *
esc_admin_contact_new_from_json (JsonNode  *node,
                                 GError   **error)
{
  g_autoptr(EscAdminContact) self = g_object_new (ESC_TYPE_ADMIN_CONTACT, NULL);
  JsonObject *object;
  const char *area;
  const char *updated_by;

  if (!esc_json_require_object (node, _("An admin contact"), &object, error) ||
      !esc_json_read_string (object, "area", FALSE, &area, error) ||
      !esc_json_read_time (object, "updated_at", TRUE, &self->updated_at, error) ||
      !esc_json_read_person (object, "updated_by", TRUE, &self->updated_by_id, &updated_by, error))
    return NULL;

  /* The contact's own members sit next to area and updated_at: read them
   * alone, since the contact's reader refuses members it does not know. */
  {
    static const char * const members[] = {
      "given_name", "surname", "email", "phone", "preferred_method", "language",
    };
    g_autoptr(JsonObject) contact = json_object_new ();
    g_autoptr(JsonNode) contact_node = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (members); i++)
      {
        JsonNode *member = json_object_get_member (object, members[i]);

        if (member != NULL)
          json_object_set_member (contact, members[i], json_node_copy (member));
      }

    contact_node = json_node_init_object (json_node_alloc (), contact);
    self->contact = esc_support_contact_new_from_json (contact_node, "", NULL, error);
    if (self->contact == NULL)
      return NULL;
  }

  self->area = g_strdup (area);
  self->updated_by = g_strdup (updated_by);

  return g_steal_pointer (&self);
}

const char *
esc_admin_contact_get_area (EscAdminContact *self)
{
  g_return_val_if_fail (ESC_IS_ADMIN_CONTACT (self), NULL);
  return self->area;
}

EscSupportContact *
esc_admin_contact_get_contact (EscAdminContact *self)
{
  g_return_val_if_fail (ESC_IS_ADMIN_CONTACT (self), NULL);
  return self->contact;
}

GDateTime *
esc_admin_contact_get_updated_at (EscAdminContact *self)
{
  g_return_val_if_fail (ESC_IS_ADMIN_CONTACT (self), NULL);
  return self->updated_at;
}

const char *
esc_admin_contact_get_updated_by (EscAdminContact *self)
{
  g_return_val_if_fail (ESC_IS_ADMIN_CONTACT (self), NULL);
  return self->updated_by;
}

/**
 * esc_admin_contact_new:
 * @area: the area of focus, e.g. "devices"
 * @contact: who to contact
 * @updated_at: (nullable): when it was last set
 * @updated_by_id: by whom, 0 if nobody is on record
 * @updated_by: (nullable): their name
 *
 * Returns: (transfer full): the admin contact
 */
EscAdminContact *
esc_admin_contact_new (const char              *area,
                       const EscSupportContact *contact,
                       GDateTime               *updated_at,
                       gint64                   updated_by_id,
                       const char              *updated_by)
{
  EscAdminContact *self;

  g_return_val_if_fail (contact != NULL, NULL);

  self = g_object_new (ESC_TYPE_ADMIN_CONTACT, NULL);
  self->area = g_strdup (area);
  self->contact = esc_support_contact_copy (contact);
  self->updated_at = updated_at != NULL ? g_date_time_ref (updated_at) : NULL;
  if (updated_by_id > 0 && updated_by != NULL)
    {
      self->updated_by_id = updated_by_id;
      self->updated_by = g_strdup (updated_by);
    }

  return self;
}

/**
 * esc_admin_contact_to_json:
 * @self: a #EscAdminContact
 *
 * Returns: (transfer full): {area, given_name, surname, email, phone,
 *   preferred_method, language, updated_at, updated_by}
 */
JsonNode *
esc_admin_contact_to_json (EscAdminContact *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;

  g_return_val_if_fail (ESC_IS_ADMIN_CONTACT (self), NULL);

  contact = esc_support_contact_to_json (self->contact);

  json_builder_begin_object (builder);
  esc_json_add_string (builder, "area", self->area);
  /* In the order the contact's codec wrote them */
  object = json_node_get_object (contact);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_value (builder, json_object_dup_member (object, l->data));
    }
  esc_json_add_time (builder, "updated_at", self->updated_at);
  esc_json_add_person (builder, "updated_by", self->updated_by_id, self->updated_by);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gint64
esc_admin_contact_get_updated_by_id (EscAdminContact *self)
{
  g_return_val_if_fail (ESC_IS_ADMIN_CONTACT (self), 0);
  return self->updated_by_id;
}
