/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-client.h"
#include "esc-identity.h"

G_BEGIN_DECLS

/* Where the session stands. */
typedef enum
{
  ESC_ACCOUNT_STATE_SIGNED_OUT,     /* no token */
  ESC_ACCOUNT_STATE_SIGNED_IN,      /* the service confirmed who we are */
  ESC_ACCOUNT_STATE_OFFLINE,        /* a token from the keyring, not checked yet: the service could
                                     * not be reached. Changes are queued, and sent when it can. */
  ESC_ACCOUNT_STATE_NEEDS_SIGN_IN,  /* the service refused the token (revoked or expired): ask the
                                     * user to sign in again; queued changes wait for it */
} EscAccountState;

#define ESC_TYPE_ACCOUNT_STATE (esc_account_state_get_type ())
GType esc_account_state_get_type (void);

#define ESC_TYPE_ACCOUNT (esc_account_get_type ())

G_DECLARE_FINAL_TYPE (EscAccount, esc_account, ESC, ACCOUNT, GObject)

/* The signed-in account: the client, the token in the keyring, and who the service says we are.
 * One per application; windows and the preferences watch its properties. The keyring may hold
 * tokens for several accounts (services and users): list them, and switch with restore. */
EscAccount     *esc_account_new               (EscClient            *client);
EscClient      *esc_account_get_client        (EscAccount           *self);
EscAccountState esc_account_get_state         (EscAccount           *self);
/* (nullable): NULL while not connected */
EscIdentity    *esc_account_get_identity      (EscAccount           *self);
/* (nullable): the service and user of the session, also while offline or
 * waiting for a new sign-in */
const char     *esc_account_get_service_url   (EscAccount           *self);
const char     *esc_account_get_user          (EscAccount           *self);
gboolean        esc_account_get_busy          (EscAccount           *self);
/* FALSE when the last sign-in worked but the keyring refused the token */
gboolean        esc_account_get_token_saved   (EscAccount           *self);
/* (nullable): why the last sign-in or restore failed, for display */
const char     *esc_account_get_last_error    (EscAccount           *self);
/* TRUE in the signed-in and offline states: requests carry a token */
gboolean        esc_account_can_send          (EscAccount           *self);

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

/* Reads the token of @user at @service_url from the keyring and checks it: how
 * the app signs in at start, and how it switches to another saved account.
 * When the service cannot be reached, the account stays usable offline
 * (ESC_ACCOUNT_STATE_OFFLINE) and the error says why. */
void         esc_account_restore_async     (EscAccount           *self,
                                            const char           *service_url,
                                            const char           *user,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
EscIdentity *esc_account_restore_finish    (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Asks the service again who the token belongs to (offline → signed in). */
void         esc_account_refresh_async     (EscAccount           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
EscIdentity *esc_account_refresh_finish    (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Called by whoever got a 401 from the service: the token is no longer good,
 * the account asks for a new sign-in (ESC_ACCOUNT_STATE_NEEDS_SIGN_IN). */
void         esc_account_report_unauthorized (EscAccount         *self,
                                            const GError         *error);

/* Forgets the identity and removes the token of the session from the keyring. */
void         esc_account_sign_out_async    (EscAccount           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean     esc_account_sign_out_finish   (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* The accounts whose tokens are in the keyring: a GListModel of
 * EscSavedAccount, sorted by service then user. Never reads the tokens. */
void         esc_account_list_saved_async  (EscAccount           *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GListModel  *esc_account_list_saved_finish (EscAccount           *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
