/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ESC_TYPE_SAVED_ACCOUNT (esc_saved_account_get_type ())

G_DECLARE_FINAL_TYPE (EscSavedAccount, esc_saved_account, ESC, SAVED_ACCOUNT, GObject)

/* An account whose token is in the keyring: a service and a user. The token
 * itself stays in the keyring. */
EscSavedAccount *esc_saved_account_new             (const char      *service_url,
                                                    const char      *user);
const char      *esc_saved_account_get_service_url (EscSavedAccount *self);
const char      *esc_saved_account_get_user        (EscSavedAccount *self);

G_END_DECLS
