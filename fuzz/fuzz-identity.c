/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include "esc-identity.h"
#include "esc-json-guard.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* The answer of GET /v1/me, as the client decodes it: any bytes in, an EscIdentity or an error
 * out, never a crash, a leak or a warning. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  /* What reaches json-glib, and so the decoder, in the app: text the guard let through.
   * json-glib's own failures on other text are the guard's business (fuzz-json-guard). */
  if (!esc_json_guard_check ((const char *)data, size, ESC_JSON_GUARD_MAX_DEPTH, NULL))
    return 0;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *)data, (gssize)size, NULL))
    return 0;

  identity = esc_identity_new_from_json (json_parser_get_root (parser), &error);
  g_assert ((identity == NULL) != (error == NULL));

  if (identity != NULL)
    {
      g_autofree char *description = esc_identity_dup_description (identity);

      g_assert (esc_identity_get_name (identity) != NULL);
      g_assert (g_utf8_validate (description, -1, NULL));
      (void)esc_identity_has_role (identity, "it-admin");
      g_assert (esc_identity_get_roles (identity) != NULL);
      g_assert (esc_identity_get_designations (identity) != NULL);
    }

  return 0;
}
