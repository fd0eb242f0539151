/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include "esc-csv.h"

/* A CSV writer for exports that people open in spreadsheets: RFC 4180, and
 * safe against formula injection (OWASP's advice: text that starts like a
 * formula gets a leading apostrophe, which spreadsheets show as text). */

static gboolean
looks_like_formula (const char *field)
{
  return field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@' ||
         field[0] == '\t' || field[0] == '\r';
}

static gboolean
needs_quotes (const char *field,
              gsize       length)
{
  if (length == 0)
    return FALSE;

  return strpbrk (field, ",\"\r\n") != NULL || field[0] == ' ' || field[length - 1] == ' ';
}

/**
 * esc_csv_append_field:
 * @out: the text being written
 * @field: (nullable): the field's text, UTF-8
 *
 * Appends @field escaped; no separator.
 */
void
esc_csv_append_field (GString    *out,
                      const char *field)
{
  gboolean formula;
  gsize length;

  g_return_if_fail (out != NULL);

  if (field == NULL || *field == '\0')
    return;

  formula = looks_like_formula (field);
  length = strlen (field);

  if (!needs_quotes (field, length))
    {
      if (formula)
        g_string_append_c (out, '\'');
      g_string_append_len (out, field, length);
      return;
    }

  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/**
 * esc_csv_append_record:
 * @out: the text being written
 * @fields: (array length=n_fields): the fields
 * @n_fields: how many, or -1 if @fields ends with %NULL
 *
 * Appends the fields separated by commas, and CRLF.
 */
void
esc_csv_append_record (GString            *out,
                       const char * const *fields,
                       gssize              n_fields)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields <= 0);

  for (gssize i = 0; n_fields < 0 ? fields[i] != NULL : i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      esc_csv_append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

/**
 * esc_csv_escape_field:
 * @field: (nullable): the field's text
 *
 * Returns: (transfer full): @field as it is written in a CSV file
 */
char *
esc_csv_escape_field (const char *field)
{
  GString *out = g_string_new (NULL);

  esc_csv_append_field (out, field);
  return g_string_free (out, FALSE);
}
