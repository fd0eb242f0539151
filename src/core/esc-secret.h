/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Wiping secrets (a bearer token, an elevation password, an answer that held
 * one) before their memory goes back to the allocator. */

/* A g_malloc()ed string holding a secret: g_auto(EscSecret) wipes it when it goes. */
typedef char *EscSecret;

void esc_secret_wipe_string (char   *str);
/* Overwrites @size bytes at @data with zeros */
void esc_secret_wipe        (gpointer data,
                             gsize    size);
/* Overwrites the bytes of @bytes, which the caller holds the only reference to. */
void esc_secret_wipe_bytes  (GBytes *bytes);
void esc_secret_free        (char   *str);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (EscSecret, esc_secret_free, NULL)

G_END_DECLS
