/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-support-model.h"
#include "esc-time.h"

/* The support model, as the IT administrator sets it on the service and as
 * the app keeps a copy of it in the workspace: customer-led or partner-led,
 * with the support provider's name and contacts. */

struct _EscSupportModel
{
  GObject parent_instance;

  EscSupportModelKind kind;
  char *provider_name;
  char *provider_contacts;
  GDateTime *updated_at;
  char *updated_by;
};

G_DEFINE_FINAL_TYPE (EscSupportModel, esc_support_model, G_TYPE_OBJECT)

static const char * const kind_names[] = { NULL, "customer-led", "partner-led" };

const char *
esc_support_model_kind_to_string (EscSupportModelKind kind)
{
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
esc_support_model_kind_from_string (const char          *str,
                                    EscSupportModelKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_strcmp0 (str, kind_names[i]) == 0)
        {
          *kind = (EscSupportModelKind)i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esc_support_model_kind_get_label (EscSupportModelKind kind)
{
  switch (kind)
    {
    case ESC_SUPPORT_MODEL_CUSTOMER_LED:
      return _("Customer-led support");
    case ESC_SUPPORT_MODEL_PARTNER_LED:
      return _("Partner-led support");
    case ESC_SUPPORT_MODEL_NOT_CHOSEN:
    default:
      return _("Support model not chosen");
    }
}

static void
esc_support_model_finalize (GObject *object)
{
  EscSupportModel *self = (EscSupportModel *)object;

  g_free (self->provider_name);
  g_free (self->provider_contacts);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_free (self->updated_by);

  G_OBJECT_CLASS (esc_support_model_parent_class)->finalize (object);
}

static void
esc_support_model_class_init (EscSupportModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_support_model_finalize;
}

static void
esc_support_model_init (EscSupportModel *self)
{
  self->provider_name = g_strdup ("");
  self->provider_contacts = g_strdup ("");
}

/**
 * esc_support_model_new:
 * @kind: customer-led, partner-led or not chosen
 * @provider_name: (nullable): the support provider
 * @provider_contacts: (nullable): how to reach them
 *
 * Returns: (transfer full): a support model, unchecked (see esc_support_model_validate())
 */
EscSupportModel *
esc_support_model_new (EscSupportModelKind  kind,
                       const char          *provider_name,
                       const char          *provider_contacts)
{
  EscSupportModel *self = g_object_new (ESC_TYPE_SUPPORT_MODEL, NULL);

  self->kind = kind;
  g_free (self->provider_name);
  self->provider_name = g_strstrip (g_strdup (provider_name != NULL ? provider_name : ""));
  g_free (self->provider_contacts);
  self->provider_contacts = g_strstrip (g_strdup (provider_contacts != NULL ? provider_contacts : ""));
  return self;
}

static gboolean
fail (GError     **error,
      const char  *member,
      const char  *what)
{
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               /* Translators: a JSON member, e.g. "provider_name", then what is wrong */
               _("“%s”: %s"), member, what);
  return FALSE;
}

static gboolean
check_text (const char  *member,
            const char  *text,
            guint        max_chars,
            GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max_chars)
    {
      g_autofree char *what = g_strdup_printf (_("longer than %u characters"), max_chars);
      return fail (error, member, what);
    }
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Contacts may take several lines; nothing else invisible */
      if (g_unichar_iscntrl (c) && !(c == '\n' && g_str_equal (member, "provider_contacts")))
        return fail (error, member, _("holds a control character"));
    }
  return TRUE;
}

gboolean
esc_support_model_validate (EscSupportModel  *self,
                            GError          **error)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), FALSE);

  if (self->kind == ESC_SUPPORT_MODEL_NOT_CHOSEN)
    return fail (error, "model", _("missing: “customer-led” or “partner-led”"));
  if (!check_text ("provider_name", self->provider_name, ESC_SUPPORT_MODEL_MAX_PROVIDER_CHARS, error) ||
      !check_text ("provider_contacts", self->provider_contacts, ESC_SUPPORT_MODEL_MAX_CONTACTS_CHARS, error))
    return FALSE;
  if (self->kind == ESC_SUPPORT_MODEL_PARTNER_LED && *self->provider_name == '\0')
    return fail (error, "provider_name", _("missing: partner-led support names its support provider"));
  return TRUE;
}

/* A string member, or NULL when absent or null */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, member, _("not a string"));
  *value = json_node_get_string (node);
  return TRUE;
}

/**
 * esc_support_model_new_from_json:
 * @node: a SupportModel of the v1 API
 * @body: read it as a PUT body (what an IT administrator writes)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the support model
 */
EscSupportModel *
esc_support_model_new_from_json (JsonNode  *node,
                                 gboolean   body,
                                 GError   **error)
{
  static const char * const body_members[] = { "model", "provider_name", "provider_contacts", NULL };
  static const char * const all_members[] = {
    "model", "provider_name", "provider_contacts", "updated_at", "updated_by", NULL,
  };
  g_autoptr(EscSupportModel) self = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  const char *model, *name, *contacts, *updated_at, *updated_by;
  EscSupportModelKind kind;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                   _("The support model is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (body ? body_members : all_members, l->data))
        {
          fail (error, l->data, _("unknown member"));
          return NULL;
        }
    }

  if (!read_string (object, "model", &model, error) ||
      !read_string (object, "provider_name", &name, error) ||
      !read_string (object, "provider_contacts", &contacts, error) ||
      !read_string (object, "updated_at", &updated_at, error) ||
      !read_string (object, "updated_by", &updated_by, error))
    return NULL;
  if (!esc_support_model_kind_from_string (model, &kind))
    {
      fail (error, "model", _("not “customer-led” or “partner-led”"));
      return NULL;
    }

  /* A body is trimmed as it will be kept; an answer is kept as written, so
   * that it reads back as it was sent */
  self = esc_support_model_new (kind, body ? name : NULL, body ? contacts : NULL);
  if (!body)
    {
      g_free (self->provider_name);
      self->provider_name = g_strdup (name != NULL ? name : "");
      g_free (self->provider_contacts);
      self->provider_contacts = g_strdup (contacts != NULL ? contacts : "");
    }
  if (body && !esc_support_model_validate (self, error))
    return NULL;
  if (!body)
    {
      if (updated_at != NULL && (self->updated_at = esc_time_parse (updated_at)) == NULL)
        {
          fail (error, "updated_at", _("not an RFC 3339 time"));
          return NULL;
        }
      self->updated_by = g_strdup (updated_by);
    }

  return g_steal_pointer (&self);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_body (EscSupportModel *self,
          JsonBuilder     *builder)
{
  add_string_or_null (builder, "model", kind_names[self->kind]);
  add_string_or_null (builder, "provider_name", self->provider_name);
  add_string_or_null (builder, "provider_contacts", self->provider_contacts);
}

JsonNode *
esc_support_model_body_to_json (EscSupportModel *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), NULL);

  json_builder_begin_object (builder);
  add_body (self, builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
esc_support_model_to_json (EscSupportModel *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *at = NULL;

  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), NULL);

  if (self->updated_at != NULL)
    at = esc_time_format (self->updated_at);
  json_builder_begin_object (builder);
  add_body (self, builder);
  add_string_or_null (builder, "updated_at", at);
  add_string_or_null (builder, "updated_by", self->updated_by);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

EscSupportModelKind
esc_support_model_get_kind (EscSupportModel *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), ESC_SUPPORT_MODEL_NOT_CHOSEN);
  return self->kind;
}

const char *
esc_support_model_get_provider_name (EscSupportModel *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), NULL);
  return self->provider_name;
}

const char *
esc_support_model_get_provider_contacts (EscSupportModel *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), NULL);
  return self->provider_contacts;
}

GDateTime *
esc_support_model_get_updated_at (EscSupportModel *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), NULL);
  return self->updated_at;
}

const char *
esc_support_model_get_updated_by (EscSupportModel *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (self), NULL);
  return self->updated_by;
}

/**
 * esc_support_model_set_updated:
 * @at: (nullable): when it was set
 * @by: (nullable): who set it
 */
void
esc_support_model_set_updated (EscSupportModel *self,
                               GDateTime       *at,
                               const char      *by)
{
  g_return_if_fail (ESC_IS_SUPPORT_MODEL (self));

  g_clear_pointer (&self->updated_at, g_date_time_unref);
  self->updated_at = at != NULL ? g_date_time_ref (at) : NULL;
  g_free (self->updated_by);
  self->updated_by = g_strdup (by);
}

/* Whether @a and @b say the same (what was set, not who set it when) */
gboolean
esc_support_model_equal_terms (EscSupportModel *a,
                               EscSupportModel *b)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (a) && ESC_IS_SUPPORT_MODEL (b), FALSE);

  return a->kind == b->kind && g_str_equal (a->provider_name, b->provider_name) &&
         g_str_equal (a->provider_contacts, b->provider_contacts);
}
