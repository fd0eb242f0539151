/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Writing the members the wire types share, the counterparts of the readers
 * of esc-json-read.h: each adds @member to the object @builder is in. */

/* A string, or null when @value is NULL */
void  esc_json_add_string  (JsonBuilder        *builder,
                            const char         *member,
                            const char         *value);
/* An RFC 3339 time to the second ("2024-05-01T08:00:00Z"), or null */
void  esc_json_add_time    (JsonBuilder        *builder,
                            const char         *member,
                            GDateTime          *value);
/* A {id, name} person reference, or null when @id is not positive or
 * @name is NULL */
void  esc_json_add_person  (JsonBuilder        *builder,
                            const char         *member,
                            gint64              id,
                            const char         *name);
/* An array of strings ([] when @values is NULL) */
void  esc_json_add_strv    (JsonBuilder        *builder,
                            const char         *member,
                            const char * const *values);

G_END_DECLS
