/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include "esc-service-private.h"

/* Strict JSON member checks: each handler reads its body through these, so
 * that an unknown member, a wrong type or a value out of range is answered
 * with 422 naming the field (a JSON pointer such as /contact/email). The
 * first failure wins; later checks on the same EscServiceCheck are no-ops. */

void
esc_service_check_clear (EscServiceCheck *check)
{
  g_clear_pointer (&check->field, g_free);
  g_clear_pointer (&check->detail, g_free);
}

gboolean
esc_service_check_ok (EscServiceCheck *check)
{
  return check->field == NULL;
}

void
esc_service_check_fail (EscServiceCheck *check,
                        const char      *field,
                        const char      *detail_format,
                        ...)
{
  va_list args;

  if (check->field != NULL)
    return;

  check->field = g_strdup (field);
  va_start (args, detail_format);
  check->detail = g_strdup_vprintf (detail_format, args);
  va_end (args);
}

void
esc_service_send_check (EscServiceContext *ctx,
                        EscServiceCheck   *check)
{
  g_return_if_fail (check->field != NULL);

  esc_service_send_invalid_field (ctx, check->field, "invalid-field", "Invalid Field",
                                  check->detail);
}

static const char *
member_of (const char *field)
{
  const char *slash = strrchr (field, '/');

  return slash != NULL ? slash + 1 : field;
}

/* The member's node, or NULL if absent or null (a problem if REQUIRED, or
 * null without NULLABLE). */
static JsonNode *
get_member (EscServiceCheck      *check,
            JsonObject           *object,
            const char           *field,
            EscServiceFieldFlags  flags)
{
  JsonNode *node;

  /* The parent is absent (or was at fault): nothing to check here. */
  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member_of (field));
  if (node == NULL)
    {
      if (flags & ESC_SERVICE_FIELD_REQUIRED)
        esc_service_check_fail (check, field, "“%s” is required.", field + 1);
      return NULL;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (flags & ESC_SERVICE_FIELD_REQUIRED)
        esc_service_check_fail (check, field, "“%s” is required and cannot be null.", field + 1);
      else if (!(flags & ESC_SERVICE_FIELD_NULLABLE))
        esc_service_check_fail (check, field, "“%s” cannot be null.", field + 1);
      return NULL;
    }

  return node;
}

gboolean
esc_service_check_has (JsonObject *object,
                       const char *field)
{
  return object != NULL && json_object_has_member (object, member_of (field));
}

gboolean
esc_service_check_members (EscServiceCheck    *check,
                           JsonObject         *object,
                           const char         *at,
                           const char * const *allowed)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (object == NULL)
    return TRUE;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *field = g_strconcat (at, "/", name, NULL);

          esc_service_check_fail (check, field, "“%s” is not a field of this request.",
                                  field + 1);
          return FALSE;
        }
    }

  return TRUE;
}

const char *
esc_service_check_string (EscServiceCheck      *check,
                          JsonObject           *object,
                          const char           *field,
                          EscServiceFieldFlags  flags,
                          guint                 max_chars)
{
  JsonNode *node = get_member (check, object, field, flags);
  const char *str;
  glong n_chars;

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      esc_service_check_fail (check, field, "“%s” must be a string.", field + 1);
      return NULL;
    }

  str = json_node_get_string (node);
  n_chars = g_utf8_strlen (str, -1);
  if (max_chars > 0 && n_chars > (glong)max_chars)
    {
      esc_service_check_fail (check, field, "“%s” is too long: %ld characters, at most %u.",
                              field + 1, n_chars, max_chars);
      return NULL;
    }

  for (const char *p = str; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
        {
          esc_service_check_fail (check, field, "“%s” contains a control character.", field + 1);
          return NULL;
        }
    }

  if (flags & ESC_SERVICE_FIELD_REQUIRED)
    {
      gboolean blank = TRUE;

      for (const char *p = str; *p != '\0' && blank; p = g_utf8_next_char (p))
        blank = g_unichar_isspace (g_utf8_get_char (p));

      if (blank)
        {
          esc_service_check_fail (check, field, "“%s” cannot be empty.", field + 1);
          return NULL;
        }
    }

  return str;
}

const char *
esc_service_check_enum (EscServiceCheck      *check,
                        JsonObject           *object,
                        const char           *field,
                        EscServiceFieldFlags  flags,
                        const char * const   *values)
{
  const char *str = esc_service_check_string (check, object, field, flags, 100);

  if (str == NULL)
    return NULL;

  if (!g_strv_contains (values, str))
    {
      g_autofree char *expected = g_strjoinv (", ", (char **)values);

      esc_service_check_fail (check, field, "“%s” is not a valid value of “%s”; expected one of: %s.",
                              str, field + 1, expected);
      return NULL;
    }

  return str;
}

const char *
esc_service_check_slug (EscServiceCheck      *check,
                        JsonObject           *object,
                        const char           *field,
                        EscServiceFieldFlags  flags)
{
  const char *str = esc_service_check_string (check, object, field, flags, 100);
  gboolean after_dash = TRUE;

  if (str == NULL)
    return NULL;

  for (const char *p = str; *p != '\0'; p++)
    {
      if (g_ascii_islower (*p) || g_ascii_isdigit (*p))
        after_dash = FALSE;
      else if (*p == '-' && !after_dash)
        after_dash = TRUE;
      else
        {
          after_dash = TRUE;
          break;
        }
    }

  if (after_dash)
    {
      esc_service_check_fail (check, field,
                              "“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”.",
                              field + 1);
      return NULL;
    }

  return str;
}

gboolean
esc_service_check_int (EscServiceCheck      *check,
                       JsonObject           *object,
                       const char           *field,
                       EscServiceFieldFlags  flags,
                       gint64                min,
                       gint64                max,
                       gint64               *out)
{
  JsonNode *node = get_member (check, object, field, flags);
  gint64 value;

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      esc_service_check_fail (check, field, "“%s” must be an integer.", field + 1);
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      esc_service_check_fail (check, field,
                              "“%s” must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT ".",
                              field + 1, min, max);
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
esc_service_check_boolean (EscServiceCheck      *check,
                           JsonObject           *object,
                           const char           *field,
                           EscServiceFieldFlags  flags,
                           gboolean             *out)
{
  JsonNode *node = get_member (check, object, field, flags);

  if (node == NULL)
    return FALSE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      esc_service_check_fail (check, field, "“%s” must be true or false.", field + 1);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

GDateTime *
esc_service_check_timestamp (EscServiceCheck      *check,
                             JsonObject           *object,
                             const char           *field,
                             EscServiceFieldFlags  flags)
{
  const char *str = esc_service_check_string (check, object, field, flags, 40);
  GDateTime *time;

  if (str == NULL)
    return NULL;

  if (!(time = esc_time_parse (str)))
    {
      esc_service_check_fail (check, field,
                              "“%s” must be an RFC 3339 time such as 2024-05-01T08:00:00Z.",
                              field + 1);
      return NULL;
    }

  return time;
}

JsonObject *
esc_service_check_object (EscServiceCheck      *check,
                          JsonObject           *object,
                          const char           *field,
                          EscServiceFieldFlags  flags)
{
  JsonNode *node = get_member (check, object, field, flags);

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      esc_service_check_fail (check, field, "“%s” must be an object.", field + 1);
      return NULL;
    }

  return json_node_get_object (node);
}

JsonArray *
esc_service_check_array (EscServiceCheck      *check,
                         JsonObject           *object,
                         const char           *field,
                         EscServiceFieldFlags  flags,
                         guint                 max_items)
{
  JsonNode *node = get_member (check, object, field, flags);
  JsonArray *array;

  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      esc_service_check_fail (check, field, "“%s” must be a list.", field + 1);
      return NULL;
    }

  array = json_node_get_array (node);
  if (max_items > 0 && json_array_get_length (array) > max_items)
    {
      esc_service_check_fail (check, field, "“%s” has too many items: at most %u.",
                              field + 1, max_items);
      return NULL;
    }

  return array;
}
