/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-core-error.h"
#include "esc-csv.h"

/* RFC 4180 and formula injection. */

static void
assert_field (const char *field,
              const char *expected)
{
  g_autofree char *escaped = esc_csv_escape_field (field);

  g_assert_cmpstr (escaped, ==, expected);
}

static void
test_fields (void)
{
  assert_field (NULL, "");
  assert_field ("", "");
  assert_field ("plain", "plain");
  assert_field ("SR-000123", "SR-000123");
  assert_field ("Printer, driver", "\"Printer, driver\"");
  assert_field ("a \"smart\" plug", "\"a \"\"smart\"\" plug\"");
  assert_field ("\"", "\"\"\"\"");
  assert_field ("line 1\nline 2", "\"line 1\nline 2\"");
  assert_field ("line 1\r\nline 2", "\"line 1\r\nline 2\"");
  assert_field (" padded", "\" padded\"");
  assert_field ("padded ", "\"padded \"");
  assert_field ("Café 東京", "Café 東京");
  assert_field ("2024-05-06T09:00:00Z", "2024-05-06T09:00:00Z");
  /* A quote or a comma inside is fine without a formula */
  assert_field ("x=1", "x=1");
}

static void
test_formulas (void)
{
  assert_field ("=1+1", "'=1+1");
  assert_field ("+33 1 23 45 67 89", "'+33 1 23 45 67 89");
  assert_field ("-2", "'-2");
  assert_field ("@SUM(A1:A2)", "'@SUM(A1:A2)");
  assert_field ("\tcmd", "'\tcmd");
  /* Neutralised and quoted: the apostrophe goes inside the quotes */
  assert_field ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  assert_field ("=cmd|' /C calc'!A0, x", "\"'=cmd|' /C calc'!A0, x\"");
  assert_field ("\r=1", "\"'\r=1\"");
  /* Not at the start: left alone */
  assert_field ("a=1", "a=1");
  assert_field ("'quoted", "'quoted");
}

static void
test_records (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char * const row[] = { "SR-000001", "a, b", NULL, "=x", "\"q\"", NULL };
  const char * const header[] = { "ID", "Title", NULL };

  esc_csv_append_record (out, header, -1);
  /* n_fields counts the NULL fields as empty */
  esc_csv_append_record (out, row, 5);
  esc_csv_append_record (out, row, 0);
  g_assert_cmpstr (out->str, ==,
                   "ID,Title\r\n"
                   "SR-000001,\"a, b\",,'=x,\"\"\"q\"\"\"\r\n"
                   "\r\n");
}

/* Whatever the text, a field splits back into itself (a small reader of
 * what the writer writes, without the apostrophe). */
static char *
read_back (const char *escaped)
{
  GString *out = g_string_new (NULL);
  const char *p = escaped;

  if (*p != '"')
    {
      g_string_append (out, p);
      return g_string_free (out, FALSE);
    }

  for (p++; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          if (p[1] == '"')
            p++;
          else
            {
              g_assert_true (p[1] == '\0');
              break;
            }
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
test_round_trip (void)
{
  GRand *rand = g_rand_new_with_seed (42);
  static const char alphabet[] = "ab ,\"\r\n=+-@\t'é";

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GString) field = g_string_new (NULL);
      g_autofree char *escaped = NULL;
      g_autofree char *back = NULL;
      guint length = g_rand_int_range (rand, 0, 8);
      const char *expected;

      for (guint j = 0; j < length; j++)
        {
          /* é is two bytes: pick whole characters */
          gint k = g_rand_int_range (rand, 0, 14);

          if (k == 13)
            g_string_append (field, "é");
          else
            g_string_append_c (field, alphabet[k]);
        }

      escaped = esc_csv_escape_field (field->str);
      back = read_back (escaped);
      expected = field->str;
      if (field->len > 0 && strchr ("=+-@\t\r", field->str[0]) != NULL)
        {
          g_assert_true (back[0] == '\'');
          g_assert_cmpstr (back + 1, ==, expected);
        }
      else
        g_assert_cmpstr (back, ==, expected);
    }

  g_rand_free (rand);
}

/* Reading */

#define MAX_SIZE (1024 * 1024)

static GPtrArray *
read_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = esc_csv_read (text, strlen (text), MAX_SIZE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static void
assert_record (GPtrArray          *records,
               guint               index,
               guint               line,
               const char * const *fields)
{
  EscCsvRecord *record;

  g_assert_cmpuint (index, <, records->len);
  record = records->pdata[index];
  g_assert_cmpuint (record->line, ==, line);
  g_assert_cmpuint (record->n_fields, ==, g_strv_length ((char **)fields));
  g_assert_true (g_strv_equal ((const char * const *)record->fields, fields));
}

static void
test_read_good (void)
{
  /* A byte order mark, CRLF and LF, quoted fields with commas, quotes and a
   * line break (the next record's line counts it), blank lines, empty
   * fields, no final newline. */
  static const char text[] =
    "\xef\xbb\xbf" "id,title,notes\r\n"
    "SR-1,\"Printer, 2nd floor\",\"a \"\"smart\"\" plug\"\r\n"
    "\r\n"
    "SR-2,\"two\nlines\",\n"
    "\n"
    "SR-3,,\"\"\n"
    "Café,東京, spaced ";
  g_autoptr(GPtrArray) records = read_ok (text);

  g_assert_cmpuint (records->len, ==, 5);
  assert_record (records, 0, 1, (const char * const[]) { "id", "title", "notes", NULL });
  assert_record (records, 1, 2, (const char * const[]) { "SR-1", "Printer, 2nd floor", "a \"smart\" plug", NULL });
  assert_record (records, 2, 4, (const char * const[]) { "SR-2", "two\nlines", "", NULL });
  assert_record (records, 3, 7, (const char * const[]) { "SR-3", "", "", NULL });
  assert_record (records, 4, 8, (const char * const[]) { "Café", "東京", " spaced ", NULL });

  /* Nothing at all, or only blank lines: no records, no error */
  g_clear_pointer (&records, g_ptr_array_unref);
  records = read_ok ("");
  g_assert_cmpuint (records->len, ==, 0);
  g_clear_pointer (&records, g_ptr_array_unref);
  records = read_ok ("\n\r\n\n");
  g_assert_cmpuint (records->len, ==, 0);

  /* A record of two empty fields is not a blank line: it stays. */
  g_clear_pointer (&records, g_ptr_array_unref);
  records = read_ok (",\n");
  assert_record (records, 0, 1, (const char * const[]) { "", "", NULL });
}

static void
test_read_bad (void)
{
  const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "a,b\n\"c,d\n", "line 2: a quoted field is not closed" },
    { "a,b\n\"c\nd\",e\n\"f\n", "line 4: a quoted field is not closed" },
    { "a,b\"x,c\n", "line 1: a quote inside a field" },
    { "a\n\"b\"x,c\n", "line 2: unexpected text after a closing quote" },
    { "a,b\rc,d\n", "line 1: a carriage return that does not end the line" },
    { "a,b\r", "line 1: a carriage return that does not end the line" },
    { "a\nb\nc,d\xc3" "e\n", "line 3: the text is not valid UTF-8" },
    { "\xff\n", "line 1: the text is not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GError) error = NULL;

      records = esc_csv_read (cases[i].text, strlen (cases[i].text), MAX_SIZE, &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (records);
      g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
    }

  /* Too large: refused before reading */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) records = esc_csv_read ("a,b\n", 4, 3, &error);

    g_assert_null (records);
    g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  }

  /* esc_csv_set_line_error() for the callers' own checks */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (esc_csv_set_line_error (&error, 12, "expected %u fields", 3));
    g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
    g_assert_cmpstr (error->message, ==, "line 12: expected 3 fields");
  }
}

/* What the writer writes, the reader reads back, field for field. */
static void
test_read_written (void)
{
  const char * const rows[][4] = {
    { "id", "title", "notes", NULL },
    { "SR-1", "Printer, driver", "a \"smart\" plug", NULL },
    { "SR-2", "line 1\r\nline 2", " padded ", NULL },
    { "SR-3", "Café 東京", "", NULL },
  };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) records = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    esc_csv_append_record (out, rows[i], -1);

  records = read_ok (out->str);
  g_assert_cmpuint (records->len, ==, G_N_ELEMENTS (rows));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      EscCsvRecord *record = records->pdata[i];

      g_assert_true (g_strv_equal ((const char * const *)record->fields, rows[i]));
    }
  /* The CRLF inside SR-2's quoted field moves SR-3 one line down. */
  g_assert_cmpuint (((EscCsvRecord *)records->pdata[3])->line, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/csv/fields", test_fields);
  g_test_add_func ("/core/csv/formulas", test_formulas);
  g_test_add_func ("/core/csv/records", test_records);
  g_test_add_func ("/core/csv/round-trip", test_round_trip);
  g_test_add_func ("/core/csv/read/good", test_read_good);
  g_test_add_func ("/core/csv/read/bad", test_read_bad);
  g_test_add_func ("/core/csv/read/written", test_read_written);

  return g_test_run ();
}
