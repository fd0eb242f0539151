/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include "esc-json-write.h"
#include "esc-time.h"

void
esc_json_add_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
esc_json_add_time (JsonBuilder *builder,
                   const char  *member,
                   GDateTime   *value)
{
  g_autofree char *text = esc_time_format (value);

  esc_json_add_string (builder, member, text);
}

void
esc_json_add_person (JsonBuilder *builder,
                     const char  *member,
                     gint64       id,
                     const char  *name)
{
  json_builder_set_member_name (builder, member);
  if (id <= 0 || name == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
}

void
esc_json_add_strv (JsonBuilder        *builder,
                   const char         *member,
                   const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}
