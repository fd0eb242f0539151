/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "esc-core-error.h"
#include "esc-json-guard.h"

/* The strict JSON check that stands before json-glib for text from outside. */

static gboolean
check (const char *text,
       GError    **error)
{
  return esc_json_guard_check (text, strlen (text), ESC_JSON_GUARD_MAX_DEPTH, error);
}

static void
test_accepts_json (void)
{
  static const char * const texts[] = {
    "{}",
    "[]",
    " \t\r\n{ \"a\" : [ 1 , -2.5e+3 , 0 , -0 , 1E2 , true , false , null ] } \n",
    "\"a string with \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u00e9 \\ud83d\\ude00\"",
    "{\"id\":1,\"name\":\"Zoé\",\"roles\":[\"it-admin\"],\"designations\":[]}",
    "9223372036854775807",
    "-9223372036854775808",
    "1e400",
    "[[[[[[[[[[]]]]]]]]]]",
    "{\"\":{\"\":{}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_test_message ("%s", texts[i]);
      g_assert_true (check (texts[i], &error));
      g_assert_no_error (error);
      /* What the guard lets through, json-glib parses */
      g_assert_true (json_parser_load_from_data (parser, texts[i], -1, &error));
      g_assert_no_error (error);
    }
}

static void
test_refuses_what_json_glib_mishandles (void)
{
  static const char * const texts[] = {
    "",
    "   ",
    "{} {}",                      /* json-glib keeps the last root and leaks the first */
    "1 {}",
    "{\"a\":\"\\ud8\"}",          /* a bad \u escape leaks json-glib's scanner buffer */
    "\"\\ud800\"",                /* lone surrogates */
    "\"\\udc00\"",
    "\"\\ud800\\u0041\"",
    "\"\\u0000\"",                /* NUL in a C string */
    "9223372036854775808",        /* beyond int64 */
    "-9223372036854775809",
    "123456789012345678901234567890",
    "{\"a\":1,}",
    "[1,]",
    "[1 2]",
    "{\"a\" 1}",
    "{a:1}",
    "'single'",
    "01",
    "1.",
    ".5",
    "-",
    "1e",
    "+1",
    "tru",
    "nul",
    "\"unterminated",
    "\"tab\tinside\"",
    "\"bad \\x escape\"",
    "[",
    "{\"a\":",
    "// comment\n{}",
    "/* comment */ {}",
    "var x = {};",
    "\xff\xfe{}",
    "\"\xc3\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", texts[i]);
      g_assert_false (check (texts[i], &error));
      g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON);
    }
}

static void
test_depth (void)
{
  /* json-glib 1.6 overflows its stack on about 100 000 levels: the guard stops far earlier,
   * and without recursing itself. */
  gsize n = 200000;
  g_autofree char *deep = g_malloc (2 * n);
  g_autoptr(GError) error = NULL;

  memset (deep, '[', n);
  memset (deep + n, ']', n);
  g_assert_false (esc_json_guard_check (deep, 2 * n, ESC_JSON_GUARD_MAX_DEPTH, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON);
  g_clear_error (&error);

  /* Exactly at the limit is fine, one more is not; also past 64 levels (the bit stack) */
  for (guint limit = 1; limit <= 130; limit++)
    {
      g_autofree char *ok = g_strnfill (limit, '[');
      g_autofree char *ok_close = g_strnfill (limit, ']');
      g_autofree char *text = g_strconcat (ok, ok_close, NULL);
      g_autofree char *mixed = NULL;
      GString *objects = g_string_new (NULL);

      g_assert_true (esc_json_guard_check (text, strlen (text), limit, &error));
      g_assert_no_error (error);
      g_assert_false (esc_json_guard_check (text, strlen (text), limit - 1, &error));
      g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON);
      g_clear_error (&error);

      /* Objects and arrays alternating: the closing bracket must match at every level */
      for (guint i = 0; i < limit; i++)
        g_string_append (objects, i % 2 == 0 ? "{\"k\":" : "[");
      g_string_append (objects, "0");
      for (guint i = limit; i > 0; i--)
        g_string_append (objects, (i - 1) % 2 == 0 ? "}" : "]");
      mixed = g_string_free (objects, FALSE);
      g_assert_true (esc_json_guard_check (mixed, strlen (mixed), limit, &error));
      g_assert_no_error (error);
      mixed[strlen (mixed) - 1] = mixed[strlen (mixed) - 1] == '}' ? ']' : '}';
      g_assert_false (esc_json_guard_check (mixed, strlen (mixed), limit, &error));
      g_clear_error (&error);
    }
}

static void
test_position (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (check ("{\"a\": [1, 2,, 3]}", &error));
  g_assert_nonnull (strstr (error->message, "12"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/json-guard/accepts-json", test_accepts_json);
  g_test_add_func ("/core/json-guard/refuses-what-json-glib-mishandles",
                   test_refuses_what_json_glib_mishandles);
  g_test_add_func ("/core/json-guard/depth", test_depth);
  g_test_add_func ("/core/json-guard/position", test_position);

  return g_test_run ();
}
