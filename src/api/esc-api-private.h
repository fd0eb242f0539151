/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Helpers shared by the files of src/api; not for the other layers. */

/* A g_malloc()ed string holding a secret: g_auto(EscApiSecret) wipes it when it goes. */
typedef char *EscApiSecret;

void esc_api_wipe_string (char *str);
void esc_api_wipe        (gpointer data,
                          gsize    size);
/* Overwrites the bytes of @bytes, which the caller holds the only reference to. */
void esc_api_wipe_bytes  (GBytes *bytes);
void esc_api_free_secret (char *str);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (EscApiSecret, esc_api_free_secret, NULL)

G_END_DECLS
