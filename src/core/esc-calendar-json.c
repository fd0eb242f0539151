/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-calendar-private.h"
#include "esc-core-error.h"

/* The JSON codec of business-hours calendars: what /v1/sla-calendars sends
 * and receives. Strict: unknown members are refused, and every error names
 * the member at fault first ("week.monday[1].end"). */

static gboolean
fail (GError     **error,
      EscCoreError code,
      const char  *field,
      const char  *what)
{
  g_set_error (error, ESC_CORE_ERROR, code,
               /* Translators: a JSON member, e.g. "week.monday[0].start", then what is wrong */
               _("“%s”: %s"), field, what);
  return FALSE;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
check_members (JsonObject         *object,
               const char * const *known,
               const char         *prefix,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *field = *prefix ? g_strconcat (prefix, ".", l->data, NULL)
                                           : g_strdup (l->data);

          return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field, _("unknown member"));
        }
    }
  return TRUE;
}

/* "09:30" → 570; "24:00" only when @end */
static gboolean
parse_minute (const char *text,
              gboolean    end,
              guint      *minute)
{
  guint h, m;

  if (text == NULL || strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  h = (guint)(text[0] - '0') * 10 + (guint)(text[1] - '0');
  m = (guint)(text[3] - '0') * 10 + (guint)(text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
    return FALSE;
  *minute = h * 60 + m;
  return TRUE;
}

static char *
format_minute (guint minute)
{
  return g_strdup_printf ("%02u:%02u", minute / 60, minute % 60);
}

static gboolean
read_text (JsonObject  *object,
           const char  *member,
           const char  *field,
           gboolean     optional,
           const char **value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (optional)
        return TRUE;
      return fail (error, ESC_CORE_ERROR_MISSING_FIELD, field, _("missing"));
    }
  if ((*value = string_member (object, member)) == NULL)
    return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field, _("not a string"));
  if (strlen (*value) > 200 || !g_utf8_validate (*value, -1, NULL))
    return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field, _("longer than 200 characters"));
  return TRUE;
}

static gboolean
read_week (EscCalendar  *self,
           JsonNode     *node,
           GError      **error)
{
  JsonObject *week;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, ESC_CORE_ERROR_INVALID_VALUE, "week", _("not an object of weekdays"));
  week = json_node_get_object (node);
  if (!check_members (week, esc_calendar_weekday_names, "week", error))
    return FALSE;

  for (guint d = 0; d < 7; d++)
    {
      JsonNode *day = json_object_get_member (week, esc_calendar_weekday_names[d]);
      JsonArray *ranges;

      if (day == NULL || JSON_NODE_HOLDS_NULL (day))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (day))
        {
          g_autofree char *field = g_strdup_printf ("week.%s", esc_calendar_weekday_names[d]);
          return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field, _("not an array of ranges"));
        }
      ranges = json_node_get_array (day);
      if (json_array_get_length (ranges) > 48)
        {
          g_autofree char *field = g_strdup_printf ("week.%s", esc_calendar_weekday_names[d]);
          return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field, _("more than 48 ranges"));
        }

      for (guint i = 0; i < json_array_get_length (ranges); i++)
        {
          static const char * const known[] = { "start", "end", NULL };
          g_autofree char *field = g_strdup_printf ("week.%s[%u]", esc_calendar_weekday_names[d], i);
          g_autofree char *start_field = g_strconcat (field, ".start", NULL);
          g_autofree char *end_field = g_strconcat (field, ".end", NULL);
          JsonNode *range = json_array_get_element (ranges, i);
          JsonObject *object;
          guint start, end;

          if (!JSON_NODE_HOLDS_OBJECT (range))
            return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field,
                         _("not a range {\"start\": \"09:00\", \"end\": \"17:00\"}"));
          object = json_node_get_object (range);
          if (!check_members (object, known, field, error))
            return FALSE;
          if (!parse_minute (string_member (object, "start"), FALSE, &start))
            return fail (error, ESC_CORE_ERROR_INVALID_VALUE, start_field,
                         _("not a time from 00:00 to 23:59"));
          if (!parse_minute (string_member (object, "end"), TRUE, &end))
            return fail (error, ESC_CORE_ERROR_INVALID_VALUE, end_field,
                         _("not a time from 00:01 to 24:00"));
          if (!esc_calendar_add_range_named (self, (GDateWeekday)(d + 1), start, end, field, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
read_closed (EscCalendar  *self,
             JsonNode     *node,
             gboolean      is_closure,
             GError      **error)
{
  const char *member = is_closure ? "closures" : "holidays";
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, ESC_CORE_ERROR_INVALID_VALUE, member, _("not an array"));
  array = json_node_get_array (node);
  if (json_array_get_length (array) > 1000)
    return fail (error, ESC_CORE_ERROR_INVALID_VALUE, member, _("more than 1000 entries"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      static const char * const holiday_members[] = { "date", "name", NULL };
      static const char * const closure_members[] = { "from", "to", "reason", NULL };
      g_autofree char *field = g_strdup_printf ("%s[%u]", member, i);
      g_autofree char *name_field = g_strconcat (field, is_closure ? ".reason" : ".name", NULL);
      g_autofree char *from_field = g_strconcat (field, is_closure ? ".from" : ".date", NULL);
      g_autofree char *to_field = g_strconcat (field, ".to", NULL);
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *from, *to, *name;
      gint32 first, last;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, ESC_CORE_ERROR_INVALID_VALUE, field, _("not an object"));
      object = json_node_get_object (element);
      if (!check_members (object, is_closure ? closure_members : holiday_members, field, error) ||
          !read_text (object, is_closure ? "reason" : "name", name_field, TRUE, &name, error))
        return FALSE;
      from = string_member (object, is_closure ? "from" : "date");
      to = is_closure ? string_member (object, "to") : from;
      if (!esc_calendar_parse_day (from, &first))
        return fail (error, ESC_CORE_ERROR_INVALID_VALUE, from_field, _("not a date (YYYY-MM-DD)"));
      if (!esc_calendar_parse_day (to, &last))
        return fail (error, ESC_CORE_ERROR_INVALID_VALUE, to_field, _("not a date (YYYY-MM-DD)"));
      if (!esc_calendar_add_closed (self, from, to, name, is_closure, field, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_calendar_new_from_json:
 * @node: a Calendar of the v1 API
 * @error: return location for a #GError
 *
 * Reads { "id", "name", "time_zone", "always_open", "week": { "monday":
 * [ { "start": "09:00", "end": "17:00" } ], … }, "holidays": [ { "date",
 * "name" } ], "closures": [ { "from", "to", "reason" } ] }. Unknown members
 * are refused; the error names the member ("week.monday[1].end").
 *
 * Returns: (transfer full) (nullable): the calendar, or %NULL with %ESC_CORE_ERROR set
 */
EscCalendar *
esc_calendar_new_from_json (JsonNode  *node,
                            GError   **error)
{
  static const char * const known[] = {
    "id", "name", "time_zone", "always_open", "week", "holidays", "closures", NULL,
  };
  g_autoptr(EscCalendar) self = g_object_new (ESC_TYPE_CALENDAR, NULL);
  JsonObject *object;
  JsonNode *member;
  const char *id, *name, *time_zone;
  gboolean has_hours = FALSE;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                   _("A calendar is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!check_members (object, known, "", error) ||
      !read_text (object, "id", "id", TRUE, &id, error) ||
      !read_text (object, "name", "name", FALSE, &name, error) ||
      !read_text (object, "time_zone", "time_zone", FALSE, &time_zone, error))
    return NULL;
  if (*name == '\0')
    {
      fail (error, ESC_CORE_ERROR_INVALID_VALUE, "name", _("empty"));
      return NULL;
    }
  if (!esc_calendar_set_time_zone (self, time_zone, "time_zone", error))
    return NULL;

  member = json_object_get_member (object, "always_open");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          fail (error, ESC_CORE_ERROR_INVALID_VALUE, "always_open", _("not true or false"));
          return NULL;
        }
      self->always_open = json_node_get_boolean (member);
    }

  if ((member = json_object_get_member (object, "week")) != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !read_week (self, member, error))
    return NULL;
  if ((member = json_object_get_member (object, "holidays")) != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !read_closed (self, member, FALSE, error))
    return NULL;
  if ((member = json_object_get_member (object, "closures")) != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !read_closed (self, member, TRUE, error))
    return NULL;

  for (guint d = 0; d < 7; d++)
    has_hours = has_hours || self->ranges[d]->len > 0;
  if (!self->always_open && !has_hours)
    {
      fail (error, ESC_CORE_ERROR_INVALID_VALUE, "week",
            _("no hours on any day (give ranges, or set “always_open”)"));
      return NULL;
    }

  self->id = g_strdup (id);
  self->name = g_strdup (name);

  return g_steal_pointer (&self);
}

/**
 * esc_calendar_to_json:
 * @self: a calendar
 *
 * Returns: (transfer full): the calendar as esc_calendar_new_from_json() reads it
 */
JsonNode *
esc_calendar_to_json (EscCalendar *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_CALENDAR (self), NULL);

  json_builder_begin_object (builder);
  if (self->id != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, self->id);
    }
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name != NULL ? self->name : "");
  json_builder_set_member_name (builder, "time_zone");
  json_builder_add_string_value (builder, self->time_zone_id);
  json_builder_set_member_name (builder, "always_open");
  json_builder_add_boolean_value (builder, self->always_open);

  json_builder_set_member_name (builder, "week");
  json_builder_begin_object (builder);
  for (guint d = 0; d < 7; d++)
    {
      GArray *ranges = self->ranges[d];

      json_builder_set_member_name (builder, esc_calendar_weekday_names[d]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < ranges->len; i += 2)
        {
          g_autofree char *start = format_minute (g_array_index (ranges, guint, i));
          g_autofree char *end = format_minute (g_array_index (ranges, guint, i + 1));

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "start");
          json_builder_add_string_value (builder, start);
          json_builder_set_member_name (builder, "end");
          json_builder_add_string_value (builder, end);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  for (guint pass = 0; pass < 2; pass++)
    {
      gboolean closures = pass == 1;

      json_builder_set_member_name (builder, closures ? "closures" : "holidays");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->closed->len; i++)
        {
          ClosedDays *c = &g_array_index (self->closed, ClosedDays, i);
          g_autofree char *from = NULL;

          if (c->is_closure != closures)
            continue;
          from = esc_calendar_format_day (c->day);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, closures ? "from" : "date");
          json_builder_add_string_value (builder, from);
          if (closures)
            {
              g_autofree char *to = esc_calendar_format_day (c->last_day);

              json_builder_set_member_name (builder, "to");
              json_builder_add_string_value (builder, to);
            }
          if (c->name != NULL)
            {
              json_builder_set_member_name (builder, closures ? "reason" : "name");
              json_builder_add_string_value (builder, c->name);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
