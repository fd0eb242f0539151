/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include <string.h>

#include "esc-csv.h"
#include "fuzz-common.h"

/* The CSV writer of the exports (src/core/esc-csv.h): the input's UTF-8 text, cut into fields
 * at every 0x1f byte, is written as one record, then read back by a strict RFC 4180 reader
 * here. Each field must come back as it was, or with one leading apostrophe when it starts
 * like a spreadsheet formula; the record must end with its one CRLF. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* Reads one record of @csv; NULL if it is not well-formed RFC 4180 ending in CRLF. */
static GPtrArray *
read_record (const char *csv)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = csv;

  for (;;)
    {
      GString *field = g_string_new (NULL);

      if (*p == '"')
        {
          for (p++; ; p++)
            {
              if (*p == '\0')
                {
                  g_string_free (field, TRUE);
                  return NULL;
                }
              if (*p == '"' && p[1] == '"')
                p++;
              else if (*p == '"')
                break;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else
        {
          for (; *p != '\0' && *p != ',' && *p != '\r' && *p != '\n'; p++)
            {
              if (*p == '"')
                {
                  g_string_free (field, TRUE);
                  return NULL;
                }
              g_string_append_c (field, *p);
            }
        }
      g_ptr_array_add (fields, g_string_free (field, FALSE));

      if (*p == ',')
        {
          p++;
          continue;
        }
      if (p[0] == '\r' && p[1] == '\n' && p[2] == '\0')
        return g_steal_pointer (&fields);
      return NULL;
    }
}

static gboolean
looks_like_formula (const char *field)
{
  return strchr ("=+-@\t\r", field[0]) != NULL && field[0] != '\0';
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GPtrArray) read = NULL;

  if (memchr (data, '\0', size) != NULL || !g_utf8_validate_len ((const char *)data, size, NULL))
    return 0;

  text = g_strndup ((const char *)data, size);
  fields = g_strsplit (text, "\x1f", -1);
  esc_csv_append_record (csv, (const char * const *)fields, -1);

  read = read_record (csv->str);
  if (read == NULL)
    g_error ("Not one RFC 4180 record: %s", csv->str);
  /* An empty input is no field at all: the record is an empty line, read as one empty field */
  if (read->len != MAX (g_strv_length (fields), 1))
    g_error ("%u fields written, %u read back: %s", g_strv_length (fields), read->len, csv->str);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *back = g_ptr_array_index (read, i);
      g_autofree char *expected = looks_like_formula (fields[i])
                                    ? g_strconcat ("'", fields[i], NULL)
                                    : g_strdup (fields[i]);

      if (g_strcmp0 (back, expected) != 0)
        g_error ("Field %u written as %s read back as «%s»", i, csv->str, back);
    }

  return 0;
}
