/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* The entry points libFuzzer calls (-fsanitize=fuzzer provides main()). */
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const guint8  *data,
                            size_t         size);

/* Criticals and warnings are bugs here: a g_return_if_fail() hit by some input, or a
 * g_warning() on a path that should be a GError. They abort (SIGABRT, which libFuzzer catches
 * and reports with the input; GLib's own fatal handling raises SIGTRAP, which it does not).
 * Debug and info messages stay quiet. */
static inline const char *
fuzz_log_field (const GLogField *fields,
                gsize            n_fields,
                const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, key) == 0 && fields[i].length < 0)
        return fields[i].value;
    }
  return NULL;
}

static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  const char *message = fuzz_log_field (fields, n_fields, "MESSAGE");

  if (!(log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)))
    return G_LOG_WRITER_HANDLED;

  /* libsoup 3.2 (and still 3.6) reads "Content-Length: -5" with g_ascii_strtoull(), and the
   * negative length it gets is then refused, with this warning, by its own body stream; the
   * request goes on without a length. Library noise, not a bug of ours. */
  if (!(log_level & G_LOG_LEVEL_ERROR) &&
      g_strcmp0 (fuzz_log_field (fields, n_fields, "GLIB_DOMAIN"), "GLib-GObject") == 0 &&
      message != NULL && strstr (message, "for property 'content-length'") != NULL)
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  abort ();
}

static inline void
fuzz_make_warnings_fatal (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

G_END_DECLS
