/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-identity.h"

G_BEGIN_DECLS

#define ESC_TYPE_CLIENT (esc_client_get_type ())

G_DECLARE_FINAL_TYPE (EscClient, esc_client, ESC, CLIENT, GObject)

/* One client, and so one SoupSession, for the whole application. */
EscClient   *esc_client_new             (void);

/* The service's base URL, e.g. "https://escalade.example.org" or "http://127.0.0.1:8080".
 * Plain http is refused (ESC_API_ERROR_INVALID_URL) unless the host is loopback. */
gboolean     esc_client_set_base_url    (EscClient            *self,
                                         const char           *base_url,
                                         GError              **error);
const char  *esc_client_get_base_url    (EscClient            *self);

/* The bearer token, kept in memory only: it comes from and goes to the keyring. */
void         esc_client_set_token       (EscClient            *self,
                                         const char           *token);

/* How long a connection or a read may stall, in seconds (default 20). */
void         esc_client_set_timeout     (EscClient            *self,
                                         guint                 seconds);
guint        esc_client_get_timeout     (EscClient            *self);

/* GET /v1/me */
void         esc_client_get_me_async    (EscClient            *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
EscIdentity *esc_client_get_me_finish   (EscClient            *self,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
