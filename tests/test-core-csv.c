/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/csv/fields", test_fields);
  g_test_add_func ("/core/csv/formulas", test_formulas);
  g_test_add_func ("/core/csv/records", test_records);
  g_test_add_func ("/core/csv/round-trip", test_round_trip);

  return g_test_run ();
}
