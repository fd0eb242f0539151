/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include "esc-seed.h"
#include "esc-json-guard.h"
#include "fuzz-common.h"

/* The seed documents (data/seed/NAME.json) as the store reads them: each input goes through the
 * three parsers, which share the envelope {"version": 1, "items": [...]} and differ in items. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

/* The store translates through gettext; any function returning a string will do here. */
static const char *
translate (const char *msgid,
           gpointer    user_data)
{
  g_assert (msgid != NULL && *msgid != '\0');
  return msgid;
}

typedef GPtrArray *(*SeedParser) (GBytes                *json,
                                  EscSeedTranslateFunc   translate,
                                  gpointer               user_data,
                                  GError               **error);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const SeedParser parsers[] = {
    esc_seed_parse_parties,
    esc_seed_parse_routing_rules,
    esc_seed_parse_severities,
  };
  g_autoptr(GBytes) bytes = NULL;

  /* What reaches json-glib, and so the decoder, in the app: text the guard let through.
   * json-glib's own failures on other text are the guard's business (fuzz-json-guard). */
  if (!esc_json_guard_check ((const char *)data, size, ESC_JSON_GUARD_MAX_DEPTH, NULL))
    return 0;

  bytes = g_bytes_new (data, size);

  for (guint i = 0; i < G_N_ELEMENTS (parsers); i++)
    {
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;

      items = parsers[i] (bytes, i % 2 == 0 ? translate : NULL, NULL, &error);
      g_assert ((items == NULL) != (error == NULL));
      if (items != NULL)
        {
          for (guint j = 0; j < items->len; j++)
            g_assert (G_IS_OBJECT (g_ptr_array_index (items, j)));
        }
    }

  return 0;
}
