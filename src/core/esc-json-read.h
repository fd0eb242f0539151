/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Readers of the service's JSON for the types of store/ and api/ (staff, audit events,
 * designations) and in the mirror: each reader fails with ESC_CORE_ERROR
 * naming the member, so that a garbled answer is refused, never half-stored. */

gboolean  esc_json_require_object  (JsonNode     *node,
                                    const char   *what,
                                    JsonObject  **object,
                                    GError      **error);
/* A string member; @optional allows it to be absent or null (then *value = NULL). */
gboolean  esc_json_read_string     (JsonObject   *object,
                                    const char   *member,
                                    gboolean      optional,
                                    const char  **value,
                                    GError      **error);
gboolean  esc_json_read_int        (JsonObject   *object,
                                    const char   *member,
                                    gboolean      optional,
                                    gint64       *value,
                                    GError      **error);
gboolean  esc_json_read_bool       (JsonObject   *object,
                                    const char   *member,
                                    gboolean      optional,
                                    gboolean     *value,
                                    GError      **error);
/* An RFC 3339 time; *value is a new reference, or NULL when optional and absent */
gboolean  esc_json_read_time       (JsonObject   *object,
                                    const char   *member,
                                    gboolean      optional,
                                    GDateTime   **value,
                                    GError      **error);
/* A {id, name} person reference: its name, or NULL when optional and null */
gboolean  esc_json_read_person     (JsonObject   *object,
                                    const char   *member,
                                    gboolean      optional,
                                    gint64       *id,
                                    const char  **name,
                                    GError      **error);
/* An array of strings (new, NULL-terminated) */
gboolean  esc_json_read_strv       (JsonObject   *object,
                                    const char   *member,
                                    gboolean      optional,
                                    GStrv        *value,
                                    GError      **error);
char     *esc_json_to_string       (JsonNode     *node);

G_END_DECLS
