/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

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

/* The strict reader of the v1 API's request bodies (a support request, its
 * contact, its timeline): errors name the field by its JSON pointer
 * ("/contact/email") in @out_field and in the message as "contact.email". */

char *
esc_json_field_label (const char *field)
{
  char *label = g_strdup (field[0] == '/' ? field + 1 : field);

  return g_strdelimit (label, "/", '.');
}

gboolean
esc_json_fail (char       **out_field,
               GError     **error,
               int          code,
               const char  *field,
               const char  *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (out_field != NULL)
    {
      g_free (*out_field);
      *out_field = g_strdup (field);
    }
  g_set_error_literal (error, ESC_CORE_ERROR, code, message);

  return FALSE;
}

char *
esc_json_join_field (const char *at,
                     const char *member)
{
  return g_strconcat (at, "/", member, NULL);
}

/* The same in a caller's buffer: read on every member, so no allocation
 * (a pointer longer than the buffer is cut, which only shortens messages). */
void
esc_json_join_field_buf (char       *buffer,
                         const char *at,
                         const char *member)
{
  g_snprintf (buffer, ESC_JSON_FIELD_BUFFER, "%s/%s", at, member);
}

void
esc_json_label_buf (char       *buffer,
                    const char *field)
{
  g_strlcpy (buffer, field[0] == '/' ? field + 1 : field, ESC_JSON_FIELD_BUFFER);
  g_strdelimit (buffer, "/", '.');
}


static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
        return TRUE;
      if ((guchar)*p == 0x7f)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

gboolean
esc_json_check_text (const char  *text,
                     const char  *field,
                     gboolean     required,
                     guint        max_chars,
                     char       **out_field,
                     GError     **error)
{
  char label[ESC_JSON_FIELD_BUFFER];
  glong n_chars;

  if (text == NULL || *text == '\0' || is_blank (text))
    {
      if (required)
        return esc_json_label_buf (label, field), esc_json_fail (out_field, error, ESC_CORE_ERROR_MISSING_FIELD, field,
                                               _("“%s” is required."), label);
      if (text == NULL)
        return TRUE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    return esc_json_label_buf (label, field), esc_json_fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” is not valid text."), label);

  n_chars = g_utf8_strlen (text, -1);
  if (n_chars > (glong)max_chars)
    return esc_json_label_buf (label, field), esc_json_fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           /* Translators: "“title” is too long: 250 characters, at most 200." */
                                           ngettext ("“%s” is too long: %ld character, at most %u.",
                                                     "“%s” is too long: %ld characters, at most %u.",
                                                     (gulong)n_chars),
                                           label, n_chars, max_chars);

  if (has_control_characters (text))
    return esc_json_label_buf (label, field), esc_json_fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” contains a control character."), label);

  return TRUE;
}

/* Returns FALSE (with the error set) if the member is at fault; *out_node is
 * NULL if the member is absent or null. */
gboolean
esc_json_reader_member (EscJsonReader  *r,
                        const char     *member,
                        gboolean        required,
                        gboolean        nullable,
                        JsonNode      **out_node)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);
  JsonNode *node = json_object_get_member (r->object, member);

  *out_node = NULL;

  if (node == NULL)
    {
      if (required)
        return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_MISSING_FIELD, field,
                                               _("“%s” is required."), label);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_MISSING_FIELD, field,
                                               _("“%s” is required and cannot be null."), label);
      if (!nullable)
        return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                               _("“%s” cannot be null."), label);
      return TRUE;
    }

  *out_node = node;
  return TRUE;
}

gboolean
esc_json_reader_string (EscJsonReader  *r,
                        const char     *member,
                        gboolean        required,
                        gboolean        nullable,
                        guint           max_chars,
                        const char    **out)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);
  JsonNode *node;

  *out = NULL;

  if (!esc_json_reader_member (r, member, required, nullable, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be a string."), label);

  if (!esc_json_check_text (json_node_get_string (node), field, required, max_chars, r->out_field, r->error))
    return FALSE;

  *out = json_node_get_string (node);
  return TRUE;
}

/* The first reference is kept for the life of the process. */
static GEnumClass *
enum_class (GType type)
{
  GEnumClass *klass = g_type_class_peek (type);

  return klass != NULL ? klass : g_type_class_ref (type);
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  GEnumValue *enum_value = g_enum_get_value_by_nick (enum_class (type), nick);

  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}

/* An enum member, by its GType's nicks ("none" is never a wire value). */
gboolean
esc_json_reader_enum (EscJsonReader *r,
                      const char    *member,
                      gboolean       required,
                      gboolean       nullable,
                      GType          type,
                      int           *out)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);
  const char *str;

  if (!esc_json_reader_string (r, member, required, nullable, 100, &str))
    return FALSE;
  if (str == NULL)
    return TRUE;

  if (strcmp (str, "none") == 0 || !enum_from_nick (type, str, out))
    {
      g_autoptr(GString) values = g_string_new (NULL);
      GEnumClass *klass = enum_class (type);

      for (guint i = 0; i < klass->n_values; i++)
        {
          if (strcmp (klass->values[i].value_nick, "none") == 0)
            continue;
          if (values->len > 0)
            g_string_append (values, ", ");
          g_string_append (values, klass->values[i].value_nick);
        }

      return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                             _("“%s” is not a valid value of “%s”; expected one of: %s."),
                                             str, label, values->str);
    }

  return TRUE;
}


gboolean
esc_json_reader_int (EscJsonReader *r,
                     const char    *member,
                     gboolean       required,
                     gint64         min,
                     gint64         max,
                     gint64        *out,
                     gboolean      *present)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);
  JsonNode *node;

  *present = FALSE;

  if (!esc_json_reader_member (r, member, required, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be an integer."), label);

  if (json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      g_autofree char *min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      esc_json_label_buf (label, field);
      return esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                   /* Translators: the first %s is the field, the others the smallest and
                    * largest numbers allowed, e.g. "“users_or_devices_impacted” must be between 0
                    * and 1000000000." */
                   _("“%s” must be between %s and %s."), label, min_text, max_text);
    }

  *out = json_node_get_int (node);
  *present = TRUE;
  return TRUE;
}


gboolean
esc_json_reader_time (EscJsonReader  *r,
                      const char     *member,
                      gboolean        required,
                      GDateTime     **out)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);
  const char *str;

  *out = NULL;

  if (!esc_json_reader_string (r, member, required, !required, 40, &str))
    return FALSE;
  if (str == NULL)
    return TRUE;

  if (!(*out = esc_time_parse (str)))
    return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be an RFC 3339 time such as 2024-05-01T08:00:00Z."), label);

  return TRUE;
}

gboolean
esc_json_reader_strv (EscJsonReader *r,
                      const char    *member,
                      guint          max_items,
                      guint          max_chars,
                      GStrv         *out)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;
  JsonArray *array;

  *out = NULL;

  if (!esc_json_reader_member (r, member, FALSE, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be a list."), label);

  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_items)
    return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” has too many items: %u, at most %u."),
                                           label, json_array_get_length (array), max_items);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *item_field = g_strdup_printf ("%s/%u", field, i);
      g_autofree char *item_label = esc_json_field_label (item_field);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, item_field,
                                               _("“%s” must be a string."), item_label);

      if (!esc_json_check_text (json_node_get_string (element), item_field, TRUE, max_chars,
                       r->out_field, r->error))
        return FALSE;

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}


gboolean
esc_json_reader_init (EscJsonReader  *r,
                      JsonNode       *node,
                      const char     *at,
                      const char     *what,
                      char          **out_field,
                      GError        **error)
{
  r->at = at;
  r->out_field = out_field;
  r->error = error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      esc_json_fail (out_field, error, ESC_CORE_ERROR_INVALID_JSON, at,
            _("%s is not a JSON object."), what);
      return FALSE;
    }

  r->object = json_node_get_object (node);
  return TRUE;
}


gboolean
esc_json_reader_bool (EscJsonReader *r,
                      const char    *member,
                      gboolean      *out,
                      gboolean      *present)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";
  JsonNode *node;

  *present = FALSE;

  if (!esc_json_reader_member (r, member, FALSE, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      esc_json_join_field_buf (field, r->at, member);
      esc_json_label_buf (label, field);
      return esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                            _("“%s” must be true or false."), label);
    }

  *out = json_node_get_boolean (node);
  *present = TRUE;
  return TRUE;
}

const char *
esc_json_reader_unknown_member (EscJsonReader      *r,
                                const char * const *allowed)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, r->object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        return name;
    }

  return NULL;
}
