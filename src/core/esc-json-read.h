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

/* The strict reader of request bodies (a support request, its contact, its
 * timeline): every problem names the field by its JSON pointer
 * ("/contact/email") in @out_field and by its label ("contact.email") in the
 * message, and returns FALSE with @error set (ESC_CORE_ERROR). */

#define ESC_JSON_FIELD_BUFFER 160

typedef struct
{
  JsonObject  *object;
  const char  *at;         /* the object's JSON pointer, "" for the root */
  char       **out_field;  /* (out) (optional): the field at fault */
  GError     **error;
} EscJsonReader;

/* "/contact/email" → "contact.email" */
char     *esc_json_field_label     (const char    *field);
void      esc_json_label_buf       (char          *buffer,
                                    const char    *field);
char     *esc_json_join_field      (const char    *at,
                                    const char    *member);
/* The same in a caller's buffer of ESC_JSON_FIELD_BUFFER bytes (cut if longer) */
void      esc_json_join_field_buf  (char          *buffer,
                                    const char    *at,
                                    const char    *member);
/* Sets @error (ESC_CORE_ERROR, @code) and *@out_field; returns FALSE */
gboolean  esc_json_fail            (char         **out_field,
                                    GError       **error,
                                    int            code,
                                    const char    *field,
                                    const char    *format,
                                    ...) G_GNUC_PRINTF (5, 6);
/* Valid UTF-8, at most @max_chars, no control characters but tab and
 * newlines; not blank if @required */
gboolean  esc_json_check_text      (const char    *text,
                                    const char    *field,
                                    gboolean       required,
                                    guint          max_chars,
                                    char         **out_field,
                                    GError       **error);

gboolean  esc_json_reader_init     (EscJsonReader *r,
                                    JsonNode      *node,
                                    const char    *at,
                                    const char    *what,
                                    char         **out_field,
                                    GError       **error);
/* *out_node is NULL if the member is absent, or null where @nullable */
gboolean  esc_json_reader_member   (EscJsonReader *r,
                                    const char    *member,
                                    gboolean       required,
                                    gboolean       nullable,
                                    JsonNode     **out_node);
gboolean  esc_json_reader_string   (EscJsonReader *r,
                                    const char    *member,
                                    gboolean       required,
                                    gboolean       nullable,
                                    guint          max_chars,
                                    const char   **out);
/* By the nicks of the enum @type ("none" is never a wire value) */
gboolean  esc_json_reader_enum     (EscJsonReader *r,
                                    const char    *member,
                                    gboolean       required,
                                    gboolean       nullable,
                                    GType          type,
                                    int           *out);
gboolean  esc_json_reader_int      (EscJsonReader *r,
                                    const char    *member,
                                    gboolean       required,
                                    gint64         min,
                                    gint64         max,
                                    gint64        *out,
                                    gboolean      *present);
/* An RFC 3339 time; nullable when not @required */
gboolean  esc_json_reader_time     (EscJsonReader *r,
                                    const char    *member,
                                    gboolean       required,
                                    GDateTime    **out);
/* An optional list of at most @max_items non-blank strings */
gboolean  esc_json_reader_strv     (EscJsonReader *r,
                                    const char    *member,
                                    guint          max_items,
                                    guint          max_chars,
                                    GStrv         *out);
/* An optional boolean; *present is FALSE if absent or null */
gboolean  esc_json_reader_bool     (EscJsonReader *r,
                                    const char    *member,
                                    gboolean      *out,
                                    gboolean      *present);
/* The first member of the object not in @allowed, or NULL */
const char *esc_json_reader_unknown_member (EscJsonReader      *r,
                                            const char * const *allowed);

G_END_DECLS
