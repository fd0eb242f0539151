/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-json-read.h"
#include "esc-time.h"

gboolean
esc_json_require_object (JsonNode    *node,
                         const char  *what,
                         JsonObject **object,
                         GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                   _("%s is not a JSON object"), what);
      return FALSE;
    }

  *object = json_node_get_object (node);
  return TRUE;
}

/* Looks @member up; FALSE with @error if it is required and absent or null,
 * TRUE with *node = NULL if it is optional and absent or null. */
static gboolean
lookup (JsonObject  *object,
        const char  *member,
        gboolean     optional,
        JsonNode   **node,
        GError     **error)
{
  *node = json_object_get_member (object, member);

  if (*node == NULL || JSON_NODE_HOLDS_NULL (*node))
    {
      *node = NULL;
      if (optional)
        return TRUE;

      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("“%s” is missing"), member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *member,
         const char  *expected)
{
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               /* Translators: a JSON member, then what it should be, e.g. "a string" */
               _("“%s” is not %s"), member, expected);
  return FALSE;
}

gboolean
esc_json_read_string (JsonObject  *object,
                      const char  *member,
                      gboolean     optional,
                      const char **value,
                      GError     **error)
{
  JsonNode *node;

  *value = NULL;
  if (!lookup (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, member, _("a string"));

  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
esc_json_read_int (JsonObject  *object,
                   const char  *member,
                   gboolean     optional,
                   gint64      *value,
                   GError     **error)
{
  JsonNode *node;

  *value = 0;
  if (!lookup (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, member, _("an integer"));

  *value = json_node_get_int (node);
  return TRUE;
}

gboolean
esc_json_read_bool (JsonObject  *object,
                    const char  *member,
                    gboolean     optional,
                    gboolean    *value,
                    GError     **error)
{
  JsonNode *node;

  *value = FALSE;
  if (!lookup (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, member, _("true or false"));

  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
esc_json_read_time (JsonObject  *object,
                    const char  *member,
                    gboolean     optional,
                    GDateTime  **value,
                    GError     **error)
{
  const char *text;

  *value = NULL;
  if (!esc_json_read_string (object, member, optional, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *value = esc_time_parse (text);
  if (*value == NULL)
    return invalid (error, member, _("a time"));

  return TRUE;
}

gboolean
esc_json_read_person (JsonObject  *object,
                      const char  *member,
                      gboolean     optional,
                      gint64      *id,
                      const char **name,
                      GError     **error)
{
  JsonNode *node;
  JsonObject *person;

  *id = 0;
  *name = NULL;
  if (!lookup (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, member, _("a person"));

  person = json_node_get_object (node);
  return esc_json_read_int (person, "id", FALSE, id, error) &&
         esc_json_read_string (person, "name", FALSE, name, error);
}

gboolean
esc_json_read_strv (JsonObject  *object,
                    const char  *member,
                    gboolean     optional,
                    GStrv       *value,
                    GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node;
  JsonArray *array;

  *value = NULL;
  if (!lookup (object, member, optional, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *value = g_strv_builder_end (builder);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, member, _("a list"));

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return invalid (error, member, _("a list of strings"));
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *value = g_strv_builder_end (builder);
  return TRUE;
}

char *
esc_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
