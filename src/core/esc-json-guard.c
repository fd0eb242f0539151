/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-json-guard.h"

/* A strict JSON (RFC 8259) check, run on any JSON text from outside before json-glib sees it.
 *
 * json-glib 1.6 (Debian 12) is not safe on hostile input: it recurses once per '[' or '{' with
 * no limit (100 000 of them overflow the stack), it keeps only the last of several top-level
 * values and leaks the others ("{…} {}"), and some malformed strings (a bad \u escape) leak
 * the scanner's buffer. All three were found by fuzz/. This check refuses what the strict
 * grammar refuses, nesting deeper than asked, lone UTF-16 surrogates and \u0000 (which C
 * strings cannot hold), and integers that do not fit in 64 bits; json-glib parses whatever it
 * accepts without error (fuzz/fuzz-json-guard checks exactly that). It allocates nothing and
 * does not recurse. */

typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
} Cursor;

static gboolean
fail (GError       **error,
      const Cursor  *c,
      const char    *problem)
{
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
               /* Translators: "Invalid JSON at byte 12: unexpected character" */
               _("Invalid JSON at byte %lu: %s"),
               (unsigned long)(c->p - c->start), problem);
  return FALSE;
}

static void
skip_space (Cursor *c)
{
  while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
    c->p++;
}

static gboolean
read_literal (Cursor      *c,
              const char  *word,
              GError     **error)
{
  gsize length = strlen (word);

  if ((gsize)(c->end - c->p) < length || memcmp (c->p, word, length) != 0)
    return fail (error, c, _("unexpected character"));

  c->p += length;
  return TRUE;
}

static int
read_hex4 (Cursor *c)
{
  int value = 0;

  if (c->end - c->p < 4)
    return -1;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (c->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  c->p += 4;
  return value;
}

/* At the opening quote. */
static gboolean
read_string (Cursor  *c,
             GError **error)
{
  c->p++;

  while (c->p < c->end)
    {
      guchar ch = *c->p;

      if (ch == '"')
        {
          c->p++;
          return TRUE;
        }

      if (ch < 0x20)
        return fail (error, c, _("control character in a string"));

      if (ch != '\\')
        {
          c->p++;
          continue;
        }

      c->p++;
      if (c->p >= c->end)
        break;

      switch (*c->p)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          c->p++;
          break;

        case 'u':
          {
            int unit;

            c->p++;
            unit = read_hex4 (c);
            if (unit < 0)
              return fail (error, c, _("invalid \\u escape"));
            if (unit == 0)
              return fail (error, c, _("\\u0000 in a string"));
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return fail (error, c, _("lone UTF-16 surrogate"));
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low;

                if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
                  return fail (error, c, _("lone UTF-16 surrogate"));
                c->p += 2;
                low = read_hex4 (c);
                if (low < 0xDC00 || low > 0xDFFF)
                  return fail (error, c, _("lone UTF-16 surrogate"));
              }
          }
          break;

        default:
          return fail (error, c, _("invalid escape in a string"));
        }
    }

  return fail (error, c, _("unterminated string"));
}

static gboolean
read_digits (Cursor *c)
{
  const guchar *first = c->p;

  while (c->p < c->end && g_ascii_isdigit (*c->p))
    c->p++;

  return c->p > first;
}

static gboolean
read_number (Cursor  *c,
             GError **error)
{
  const guchar *first = c->p;
  gboolean integer = TRUE;

  if (*c->p == '-')
    c->p++;

  if (c->p < c->end && *c->p == '0')
    c->p++;
  else if (!read_digits (c))
    return fail (error, c, _("invalid number"));

  if (c->p < c->end && *c->p == '.')
    {
      c->p++;
      integer = FALSE;
      if (!read_digits (c))
        return fail (error, c, _("invalid number"));
    }

  if (c->p < c->end && (*c->p == 'e' || *c->p == 'E'))
    {
      c->p++;
      integer = FALSE;
      if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
        c->p++;
      if (!read_digits (c))
        return fail (error, c, _("invalid number"));
    }

  if (integer)
    {
      char text[24];
      gsize length = c->p - first;
      gint64 value;

      /* The longest int64 has 19 digits and a sign */
      if (length > 20)
        return fail (error, c, _("integer out of range"));
      memcpy (text, first, length);
      text[length] = '\0';
      if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        return fail (error, c, _("integer out of range"));
    }

  return TRUE;
}

/* A scalar value, or FALSE with @error. */
static gboolean
read_scalar (Cursor  *c,
             GError **error)
{
  switch (*c->p)
    {
    case '"':
      return read_string (c, error);
    case 't':
      return read_literal (c, "true", error);
    case 'f':
      return read_literal (c, "false", error);
    case 'n':
      return read_literal (c, "null", error);
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return read_number (c, error);
    default:
      return fail (error, c, _("unexpected character"));
    }
}

/**
 * esc_json_guard_check:
 * @data: (array length=length): the JSON text
 * @length: its length in bytes
 * @max_depth: the deepest nesting of arrays and objects allowed, e.g.
 *   %ESC_JSON_GUARD_MAX_DEPTH
 * @error: return location for a #GError (%ESC_CORE_ERROR_INVALID_JSON)
 *
 * Tells whether @data is one JSON value (RFC 8259) in UTF-8 that json-glib
 * can parse safely. Call it on every JSON text from outside the process
 * before json_parser_load_from_data(): json-glib 1.6 overflows its stack on
 * deep nesting and leaks on several malformed inputs.
 *
 * Returns: %TRUE if @data may be given to json-glib
 */
gboolean
esc_json_guard_check (const char  *data,
                      gsize        length,
                      guint        max_depth,
                      GError     **error)
{
  /* One bit per open container: set for an object. 64 levels per word. */
  g_autofree guint64 *stack = NULL;
  guint depth = 0;
  Cursor c;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  c.start = c.p = (const guchar *)data;
  c.end = c.p + length;

  if (!g_utf8_validate_len (data, length, NULL))
    return fail (error, &c, _("not UTF-8"));

  stack = g_new0 (guint64, max_depth / 64 + 1);

  /* A value, then: nothing when at the top, or ',' and another value (and key) or the
   * closing bracket inside a container. */
  for (;;)
    {
      skip_space (&c);
      if (c.p >= c.end)
        return fail (error, &c, _("unexpected end"));

      if (*c.p == '{' || *c.p == '[')
        {
          gboolean object = *c.p == '{';

          if (depth >= max_depth)
            return fail (error, &c, _("nested too deeply"));
          if (object)
            stack[depth / 64] |= G_GUINT64_CONSTANT (1) << (depth % 64);
          else
            stack[depth / 64] &= ~(G_GUINT64_CONSTANT (1) << (depth % 64));
          depth++;
          c.p++;
          skip_space (&c);

          /* An empty container is a complete value */
          if (c.p < c.end && *c.p == (object ? '}' : ']'))
            {
              depth--;
              c.p++;
              goto after_value;
            }
          if (object)
            goto member_key;
          continue;
        }

      if (!read_scalar (&c, error))
        return FALSE;

    after_value:
      skip_space (&c);
      if (depth == 0)
        {
          if (c.p != c.end)
            return fail (error, &c, _("more than one value"));
          return TRUE;
        }

      {
        gboolean in_object = (stack[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;

        if (c.p >= c.end)
          return fail (error, &c, _("unexpected end"));
        if (*c.p == (in_object ? '}' : ']'))
          {
            depth--;
            c.p++;
            goto after_value;
          }
        if (*c.p != ',')
          return fail (error, &c, _("unexpected character"));
        c.p++;
        if (!in_object)
          continue;
      }

    member_key:
      skip_space (&c);
      if (c.p >= c.end || *c.p != '"')
        return fail (error, &c, _("expected a member name"));
      if (!read_string (&c, error))
        return FALSE;
      skip_space (&c);
      if (c.p >= c.end || *c.p != ':')
        return fail (error, &c, _("expected “:”"));
      c.p++;
    }
}
