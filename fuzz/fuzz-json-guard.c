/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include <json-glib/json-glib.h>

#include "esc-core-error.h"
#include "esc-json-guard.h"
#include "fuzz-common.h"

/* The JSON guard against json-glib itself: whatever the guard accepts, json-glib must parse
 * without an error and without a leak (LSan checks every input), to a root that is not NULL.
 * Inputs the guard refuses are not given to json-glib, whose 1.6 parser leaks or overflows
 * its stack on some of them. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  if (!esc_json_guard_check ((const char *)data, size, ESC_JSON_GUARD_MAX_DEPTH, &error))
    {
      g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON);
      return 0;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *)data, (gssize)size, &error))
    g_error ("The guard accepted what json-glib refuses: %s", error->message);
  g_assert (json_parser_get_root (parser) != NULL);

  return 0;
}
