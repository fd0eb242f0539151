/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-csv.h"

/* A CSV writer for exports that people open in spreadsheets: RFC 4180, and
 * safe against formula injection (OWASP's advice: text that starts like a
 * formula gets a leading apostrophe, which spreadsheets show as text); and
 * the reader of the imports (the service's device list, and the next
 * screens'). */

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

  return strpbrk (field, ",;\"\r\n") != NULL || field[0] == ' ' || field[length - 1] == ' ';
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
  esc_csv_append_record_full (out, fields, n_fields, ',');
}

/**
 * esc_csv_append_record_full:
 * @out: where to append
 * @fields: the fields
 * @n_fields: how many, or -1 for up to a %NULL
 * @separator: ',' or ';' (what French spreadsheets expect)
 *
 * Appends one record and CRLF. A field holding either separator is quoted.
 */
void
esc_csv_append_record_full (GString            *out,
                            const char * const *fields,
                            gssize              n_fields,
                            char                separator)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n_fields <= 0);
  g_return_if_fail (separator == ',' || separator == ';');

  for (gssize i = 0; n_fields < 0 ? fields[i] != NULL : i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, separator);
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

/* Reading */

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  char        separator;
  guint       error_line;  /* the line of the fault, once read_record() failed */
} Reader;

gboolean
esc_csv_set_line_error (GError     **error,
                        guint        line,
                        const char  *format,
                        ...)
{
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a line number of a CSV file, then what is wrong with it */
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               _("line %u: %s"), line, reason);
  return FALSE;
}

void
esc_csv_record_free (EscCsvRecord *record)
{
  if (record == NULL)
    return;

  g_strfreev (record->fields);
  g_free (record);
}

/* Reads one record. Returns %NULL with no error at the end of the input. */
static EscCsvRecord *
read_record (Reader  *reader,
             GError **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = g_string_new (NULL);
  EscCsvRecord *record;
  guint line;

  if (reader->p >= reader->end)
    return NULL;

  fields = g_ptr_array_new_with_free_func (g_free);
  line = reader->line;

  for (;;)
    {
      g_string_truncate (field, 0);

      if (reader->p < reader->end && *reader->p == '"')
        {
          guint quote_line = reader->line;

          reader->p++;
          for (;;)
            {
              if (reader->p >= reader->end)
                {
                  reader->error_line = quote_line;
                  esc_csv_set_line_error (error, quote_line,
                                          _("a quoted field is not closed before the end of the file"));
                  return NULL;
                }
              if (*reader->p == '"')
                {
                  if (reader->p + 1 < reader->end && reader->p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      reader->p += 2;
                      continue;
                    }
                  reader->p++;
                  break;
                }
              if (*reader->p == '\n')
                reader->line++;
              g_string_append_c (field, *reader->p);
              reader->p++;
            }

          if (reader->p < reader->end && *reader->p != reader->separator && *reader->p != '\n' &&
              !(*reader->p == '\r' && reader->p + 1 < reader->end && reader->p[1] == '\n'))
            {
              reader->error_line = reader->line;
              esc_csv_set_line_error (error, reader->line,
                                      _("unexpected text after a closing quote (write a quote inside a "
                                        "quoted field as two quotes)"));
              return NULL;
            }
        }
      else
        {
          while (reader->p < reader->end && *reader->p != reader->separator && *reader->p != '\n' &&
                 *reader->p != '\r')
            {
              if (*reader->p == '"')
                {
                  reader->error_line = reader->line;
                  esc_csv_set_line_error (error, reader->line,
                                          _("a quote inside a field that does not start with a quote "
                                            "(put the whole field in quotes and double the quote)"));
                  return NULL;
                }
              g_string_append_c (field, *reader->p);
              reader->p++;
            }
        }

      g_ptr_array_add (fields, g_strndup (field->str, field->len));

      if (reader->p >= reader->end)
        break;

      if (*reader->p == reader->separator)
        {
          reader->p++;
          continue;
        }

      if (*reader->p == '\r')
        {
          if (reader->p + 1 >= reader->end || reader->p[1] != '\n')
            {
              reader->error_line = reader->line;
              esc_csv_set_line_error (error, reader->line,
                                      _("a carriage return that does not end the line"));
              return NULL;
            }
          reader->p++;
        }

      /* *reader->p == '\n' */
      reader->p++;
      reader->line++;
      break;
    }

  record = g_new0 (EscCsvRecord, 1);
  record->line = line;
  record->n_fields = fields->len;
  g_ptr_array_add (fields, NULL);
  record->fields = (char **)g_ptr_array_steal (fields, NULL);

  return record;
}

static gboolean
text_is_valid_utf8 (const char  *text,
                    gsize        length,
                    guint       *out_line,
                    GError     **error)
{
  const char *bad = NULL;
  guint line = 1;

  if (g_utf8_validate (text, length, &bad))
    return TRUE;

  for (const char *p = text; p < bad; p++)
    {
      if (*p == '\n')
        line++;
    }

  *out_line = line;
  return esc_csv_set_line_error (error, line, _("the text is not valid UTF-8 (save the file as UTF-8)"));
}

/**
 * esc_csv_read:
 * @text: (array length=length): the file's contents
 * @length: its size in bytes
 * @max_size: the largest size accepted, in bytes
 * @error: return location for a #GError
 *
 * Reads every record of @text. A blank line (one empty field) is left out.
 * A fault anywhere fails the whole text: nothing is returned but the error,
 * %ESC_CORE_ERROR_INVALID_VALUE with a message "line N: …" (or, for a text
 * over @max_size, saying so).
 *
 * Returns: (transfer full) (element-type EscCsvRecord) (nullable): the records
 */
GPtrArray *
esc_csv_read (const char  *text,
              gsize        length,
              gsize        max_size,
              GError     **error)
{
  return esc_csv_read_full (text, length, max_size, ',', NULL, error);
}

/**
 * esc_csv_read_full:
 * @text: (array length=length): the file's contents
 * @length: its size in bytes
 * @max_size: the largest size accepted, in bytes
 * @separator: ',' or ';'
 * @out_error_line: (out) (optional): on a fault in the text, its line
 *   (0 for a text over @max_size)
 * @error: return location for a #GError
 *
 * As esc_csv_read(), with fields separated by @separator, and says on which
 * line the text is not CSV.
 *
 * Returns: (transfer full) (element-type EscCsvRecord) (nullable): the records
 */
GPtrArray *
esc_csv_read_full (const char  *text,
                   gsize        length,
                   gsize        max_size,
                   char         separator,
                   guint       *out_error_line,
                   GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  Reader reader = { NULL, };
  guint bad_line = 0;

  if (out_error_line != NULL)
    *out_error_line = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (separator == ',' || separator == ';', NULL);

  if (length > max_size)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("The file is larger than %d MiB"), (int)(max_size / (1024 * 1024)));
      return NULL;
    }

  if (length > 0 && !text_is_valid_utf8 (text, length, &bad_line, error))
    {
      if (out_error_line != NULL)
        *out_error_line = bad_line;
      return NULL;
    }

  records = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_csv_record_free);
  reader.p = text;
  reader.end = text + length;
  reader.line = 1;
  reader.separator = separator;

  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    reader.p += 3;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(EscCsvRecord) record = read_record (&reader, &local_error);

      if (record == NULL)
        {
          if (local_error != NULL)
            {
              if (out_error_line != NULL)
                *out_error_line = reader.error_line;
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }

      if (record->n_fields == 1 && record->fields[0][0] == '\0')
        continue;

      g_ptr_array_add (records, g_steal_pointer (&record));
    }

  return g_steal_pointer (&records);
}
