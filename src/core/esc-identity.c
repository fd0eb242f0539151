/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-identity.h"
#include "esc-json-write.h"

/* The caller as the service sees it. Built only from the answer of GET /v1/me,
 * so every field is validated here: the UI trusts what it gets. */
struct _EscIdentity
{
  GObject parent_instance;

  gint64  id;
  char   *name;
  char   *email;
  GStrv   roles;
  GStrv   designations;
};

G_DEFINE_FINAL_TYPE (EscIdentity, esc_identity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_EMAIL,
  PROP_ROLES,
  PROP_DESIGNATIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  const char *id;
  const char *label;
} EscIdentityTerm;

/* The wire values of the v1 API and their names in the interface, in display order. */
static const EscIdentityTerm roles_table[] = {
  { "it-admin", N_("IT administrator") },
  { "partner-manager", N_("partner manager") },
  { "support-staff", N_("support staff") },
  { "operator", N_("operator") },
};

static const EscIdentityTerm designations_table[] = {
  { "elevation", N_("elevation") },
  { "escalation", N_("escalation") },
};

static void
esc_identity_finalize (GObject *object)
{
  EscIdentity *self = (EscIdentity *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->roles, g_strfreev);
  g_clear_pointer (&self->designations, g_strfreev);

  G_OBJECT_CLASS (esc_identity_parent_class)->finalize (object);
}

static void
esc_identity_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EscIdentity *self = ESC_IDENTITY (object);

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
      g_value_set_boxed (value, self->designations);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_identity_class_init (EscIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_identity_finalize;
  object_class->get_property = esc_identity_get_property;

  /* 0 when the service did not say */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLES] =
    g_param_spec_boxed ("roles", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESIGNATIONS] =
    g_param_spec_boxed ("designations", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_identity_init (EscIdentity *self)
{
}

/* Wire enum values are kebab-case: a newer service may add roles we do not
 * know yet, and those are kept, but anything else is not an enum value. */
static gboolean
is_kebab_token (const char *str)
{
  if (str == NULL || !g_ascii_islower (str[0]))
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

static const char *
get_required_string (JsonObject  *object,
                     const char  *member,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *str;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("The identity has no “%s” field"), member);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("The identity’s “%s” field is not a string"), member);
      return NULL;
    }

  str = json_node_get_string (node);
  if (str == NULL || *str == '\0')
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("The identity’s “%s” field is empty"), member);
      return NULL;
    }

  return str;
}

static GStrv
get_required_terms (JsonObject  *object,
                    const char  *member,
                    GError     **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;
  guint n_elements;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("The identity has no “%s” field"), member);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("The identity’s “%s” field is not a list"), member);
      return NULL;
    }

  builder = g_strv_builder_new ();
  seen = g_ptr_array_new ();
  array = json_node_get_array (node);
  n_elements = json_array_get_length (array);

  for (guint i = 0; i < n_elements; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *value;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("The identity’s “%s” list holds something other than text"), member);
          return NULL;
        }

      value = json_node_get_string (element);
      if (!is_kebab_token (value))
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("The identity’s “%s” list holds an invalid value “%s”"), member, value);
          return NULL;
        }

      if (g_ptr_array_find_with_equal_func (seen, value, g_str_equal, NULL))
        continue;

      g_ptr_array_add (seen, (gpointer)value);
      g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

/**
 * esc_identity_new_from_json:
 * @node: the body of a GET /v1/me answer
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * Validates and decodes the caller's identity: an object with the strings
 * "name" and "email", the lists of strings "roles" and "designations", and
 * an optional integer "id". Roles and designations this version does not
 * know are kept (a newer service may add some), but must look like wire
 * enum values.
 *
 * Returns: (transfer full) (nullable): a new #EscIdentity, or %NULL with @error set
 */
EscIdentity *
esc_identity_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(EscIdentity) self = NULL;
  g_auto(GStrv) roles = NULL;
  g_auto(GStrv) designations = NULL;
  JsonObject *object;
  JsonNode *id_node;
  const char *name;
  const char *email;
  gint64 id = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                           _("The identity is not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (node);

  id_node = json_object_get_member (object, "id");
  if (id_node != NULL && !JSON_NODE_HOLDS_NULL (id_node))
    {
      if (!JSON_NODE_HOLDS_VALUE (id_node) ||
          json_node_get_value_type (id_node) != G_TYPE_INT64 ||
          json_node_get_int (id_node) < 1)
        {
          g_set_error_literal (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                               _("The identity’s “id” field is not a positive integer"));
          return NULL;
        }
      id = json_node_get_int (id_node);
    }

  if (!(name = get_required_string (object, "name", error)) ||
      !(email = get_required_string (object, "email", error)))
    return NULL;

  if (strchr (email, '@') == NULL)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("The identity’s email address “%s” is not valid"), email);
      return NULL;
    }

  if (!(roles = get_required_terms (object, "roles", error)) ||
      !(designations = get_required_terms (object, "designations", error)))
    return NULL;

  self = g_object_new (ESC_TYPE_IDENTITY, NULL);
  self->id = id;
  self->name = g_strdup (name);
  self->email = g_strdup (email);
  self->roles = g_steal_pointer (&roles);
  self->designations = g_steal_pointer (&designations);

  return g_steal_pointer (&self);
}

/**
 * esc_identity_new:
 * @id: the person's id in the service
 * @name: their name
 * @email: their e-mail address
 * @roles: (nullable): their roles
 * @designations: (nullable): the capabilities they hold now
 *
 * Returns: (transfer full): the identity
 */
EscIdentity *
esc_identity_new (gint64              id,
                  const char         *name,
                  const char         *email,
                  const char * const *roles,
                  const char * const *designations)
{
  EscIdentity *self = g_object_new (ESC_TYPE_IDENTITY, NULL);

  self->id = id;
  self->name = g_strdup (name);
  self->email = g_strdup (email);
  self->roles = roles != NULL ? g_strdupv ((GStrv)roles) : g_new0 (char *, 1);
  self->designations = designations != NULL ? g_strdupv ((GStrv)designations)
                                            : g_new0 (char *, 1);

  return self;
}

/**
 * esc_identity_to_json:
 * @self: a #EscIdentity
 *
 * Returns: (transfer full): the Me object of the v1 API
 */
JsonNode *
esc_identity_to_json (EscIdentity *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_IDENTITY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, self->id);
  esc_json_add_string (builder, "name", self->name);
  esc_json_add_string (builder, "email", self->email);
  esc_json_add_strv (builder, "roles", (const char * const *)self->roles);
  esc_json_add_strv (builder, "designations", (const char * const *)self->designations);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gint64
esc_identity_get_id (EscIdentity *self)
{
  g_return_val_if_fail (ESC_IS_IDENTITY (self), 0);
  return self->id;
}

const char *
esc_identity_get_name (EscIdentity *self)
{
  g_return_val_if_fail (ESC_IS_IDENTITY (self), NULL);
  return self->name;
}

const char *
esc_identity_get_email (EscIdentity *self)
{
  g_return_val_if_fail (ESC_IS_IDENTITY (self), NULL);
  return self->email;
}

/**
 * esc_identity_get_roles:
 * @self: a #EscIdentity
 *
 * Returns: (transfer none) (array zero-terminated=1): the roles as wire values,
 *   e.g. "it-admin", including ones this version does not know
 */
const char * const *
esc_identity_get_roles (EscIdentity *self)
{
  g_return_val_if_fail (ESC_IS_IDENTITY (self), NULL);
  return (const char * const *)self->roles;
}

/**
 * esc_identity_get_designations:
 * @self: a #EscIdentity
 *
 * Returns: (transfer none) (array zero-terminated=1): the designations as wire
 *   values, "elevation" and/or "escalation"
 */
const char * const *
esc_identity_get_designations (EscIdentity *self)
{
  g_return_val_if_fail (ESC_IS_IDENTITY (self), NULL);
  return (const char * const *)self->designations;
}

gboolean
esc_identity_has_role (EscIdentity *self,
                       const char  *role)
{
  g_return_val_if_fail (ESC_IS_IDENTITY (self), FALSE);
  g_return_val_if_fail (role != NULL, FALSE);

  return g_strv_contains ((const char * const *)self->roles, role);
}

static void
append_terms (GString               *str,
              const EscIdentityTerm *table,
              gsize                  n_terms,
              GStrv                  values)
{
  /* In the table's order, so the description does not depend on the service's. */
  for (gsize i = 0; i < n_terms; i++)
    {
      if (!g_strv_contains ((const char * const *)values, table[i].id))
        continue;

      if (str->len > 0)
        /* Translators: separates roles in "camille (IT administrator, escalation)" */
        g_string_append (str, _(", "));
      g_string_append (str, _(table[i].label));
    }
}

/**
 * esc_identity_dup_description:
 * @self: a #EscIdentity
 *
 * Describes the caller for the interface, e.g. "camille (IT administrator,
 * escalation)": the name, then the known roles and designations, translated.
 * Roles this version does not know are left out.
 *
 * Returns: (transfer full): the description
 */
char *
esc_identity_dup_description (EscIdentity *self)
{
  g_autoptr(GString) terms = NULL;

  g_return_val_if_fail (ESC_IS_IDENTITY (self), NULL);

  terms = g_string_new (NULL);
  append_terms (terms, roles_table, G_N_ELEMENTS (roles_table), self->roles);
  append_terms (terms, designations_table, G_N_ELEMENTS (designations_table), self->designations);

  if (terms->len == 0)
    return g_strdup (self->name);

  /* Translators: a person's name, then their roles and designations */
  return g_strdup_printf (_("%s (%s)"), self->name, terms->str);
}
