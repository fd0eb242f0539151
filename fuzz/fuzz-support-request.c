/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include "esc-json-guard.h"
#include "esc-support-request.h"
#include "fuzz-common.h"

/* The support request codec (src/core/esc-support-request.h), in its two modes: the body of
 * POST /v1/support-requests as the service reads it, and a request as the service returns it
 * (with its timeline) as the app reads it. What decodes must encode, and decode again to the
 * same JSON; validation must answer without a warning. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

static char *
to_string (EscSupportRequest     *request,
           EscSupportRequestJson  mode)
{
  g_autoptr(JsonNode) node = esc_support_request_to_json (request, mode);

  g_assert (node != NULL);
  return json_to_string (node, FALSE);
}

static void
check_mode (JsonNode              *root,
            EscSupportRequestJson  mode)
{
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(EscSupportRequest) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *invalid_field = NULL;

  request = esc_support_request_new_from_json (root, mode, &field, &error);
  g_assert ((request == NULL) != (error == NULL));
  if (request == NULL)
    return;

  /* Round trip: encode, decode, encode gives the same text */
  first = to_string (request, mode);
  node = esc_support_request_to_json (request, mode);
  again = esc_support_request_new_from_json (node, mode, NULL, &error);
  if (again == NULL)
    g_error ("A request encoded by the codec does not decode: %s\n%s", error->message, first);
  second = to_string (again, mode);
  if (g_strcmp0 (first, second) != 0)
    g_error ("The round trip changed the request:\n%s\n%s", first, second);

  if (!esc_support_request_validate (request, ESC_SUPPORT_FILER_ANY, &invalid_field, &error))
    g_assert (error != NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonParser) parser = NULL;

  if (!esc_json_guard_check ((const char *)data, size, ESC_JSON_GUARD_MAX_DEPTH, NULL))
    return 0;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *)data, (gssize)size, NULL))
    g_error ("json-glib refused what the guard accepted");

  check_mode (json_parser_get_root (parser), ESC_SUPPORT_REQUEST_JSON_CREATE);
  check_mode (json_parser_get_root (parser), ESC_SUPPORT_REQUEST_JSON_RESOURCE);

  return 0;
}
