/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-secret.h"

G_BEGIN_DECLS

/* Helpers shared by the files of src/api; not for the other layers. The
 * secret helpers are core's (esc-secret.h), which the elevation password
 * uses too; api/ keeps its short names for them. */

/* A g_malloc()ed string holding a secret: g_auto(EscApiSecret) wipes it when it goes. */
typedef char *EscApiSecret;

static inline void
esc_api_wipe_string (char *str)
{
  esc_secret_wipe_string (str);
}

static inline void
esc_api_wipe (gpointer data,
              gsize    size)
{
  esc_secret_wipe (data, size);
}

/* Overwrites the bytes of @bytes, which the caller holds the only reference to. */
static inline void
esc_api_wipe_bytes (GBytes *bytes)
{
  esc_secret_wipe_bytes (bytes);
}

static inline void
esc_api_free_secret (char *str)
{
  esc_secret_free (str);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (EscApiSecret, esc_api_free_secret, NULL)

/* Exponential back-off with "equal jitter", as the outbox and the connection
 * check retry: @min_ms doubled @doublings times, at most @max_ms, then a random
 * time between half and all of it, so that many clients coming back together
 * do not all retry at once. */
static inline guint
esc_api_backoff_ms (guint min_ms,
                    guint max_ms,
                    guint doublings)
{
  guint64 delay = min_ms;

  for (guint i = 0; i < doublings && delay < max_ms; i++)
    delay *= 2;
  delay = MIN (delay, max_ms);

  return (guint)(delay / 2 + (guint64)g_random_int_range (0, (gint32)MAX (1, delay / 2 + 1)));
}

G_END_DECLS
