/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-client.h"
#include "esc-identity.h"

G_BEGIN_DECLS

#define ESC_TYPE_ACCOUNT (esc_account_get_type ())

G_DECLARE_FINAL_TYPE (EscAccount, esc_account, ESC, ACCOUNT, GObject)

/* The signed-in account: the client, the token in the keyring, and who the service says we are.
 * One per application; windows and the preferences watch its properties. */
EscAccount  *esc_account_new               (EscClient            *client);
EscClient   *esc_account_get_client        (EscAccount           *self);
/* (nullable): NULL while not connected */
EscIdentity *esc_account_get_identity      (EscAccount           *self);
const char  *esc_account_get_service_url   (EscAccount           *self);
const char  *esc_account_get_user          (EscAccount           *self);
gboolean     esc_account_get_busy          (EscAccount           *self);
/* FALSE when the last sign-in worked but the keyring refused the token */
gboolean     esc_account_get_token_saved   (EscAccount           *self);
/* (nullable): why the last sign-in or restore failed, for display */
const char  *esc_account_get_last_error    (EscAccount           *self);

/* Checks @token against GET /v1/me at @service_url, then keeps it in the keyring. */
void         esc_account_sign_in_async     (EscAccount           *self,
                                            const char           *service_url,
                                            const char           *token,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
EscIdentity *esc_account_sign_in_finish    (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Reads the token of @user at @service_url from the keyring and checks it. */
void         esc_account_restore_async     (EscAccount           *self,
                                            const char           *service_url,
                                            const char           *user,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
EscIdentity *esc_account_restore_finish    (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Forgets the identity and removes the token from the keyring. */
void         esc_account_sign_out_async    (EscAccount           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     esc_account_sign_out_finish   (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
