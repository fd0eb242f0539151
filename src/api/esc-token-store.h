/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bearer tokens live in the user's keyring only, under the schema
 * "io.github.escalade.Escalade.Token" with attributes "service" (the base URL) and "user"
 * (esc-token-store-private.h). */

void      esc_token_store_save_async    (const char           *service_url,
                                         const char           *user,
                                         const char           *token,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  esc_token_store_save_finish   (GAsyncResult         *result,
                                         GError              **error);

/* Returns NULL with no error when there is no token; free the token with
 * esc_token_store_free_token(), which wipes it first. */
void      esc_token_store_lookup_async  (const char           *service_url,
                                         const char           *user,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char     *esc_token_store_lookup_finish (GAsyncResult         *result,
                                         GError              **error);
void      esc_token_store_free_token    (char                 *token);

void      esc_token_store_clear_async   (const char           *service_url,
                                         const char           *user,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean  esc_token_store_clear_finish  (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
