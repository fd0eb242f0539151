/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Length of the master key kept in "<database>.key". */
#define ESC_SERVICE_SECRET_KEY_LENGTH 32

/* Length of a device's local administrator password. */
#define ESC_SERVICE_PASSWORD_LENGTH 20

/* Encrypts small secrets (device passwords) for the service database; see
 * esc-service-crypto.c for the construction. */
typedef struct _EscServiceSecretBox EscServiceSecretBox;

gboolean             esc_service_crypto_random_bytes      (guint8               *buffer,
                                                           gsize                 length,
                                                           GError              **error);
char                *esc_service_crypto_generate_password (guint                 length,
                                                           GError              **error);
const char          *esc_service_crypto_password_alphabet (void);
void                 esc_service_crypto_free_secret       (char                 *secret);

EscServiceSecretBox *esc_service_secret_box_new           (const guint8         *key,
                                                           gsize                 key_length);
EscServiceSecretBox *esc_service_secret_box_load          (const char           *key_file,
                                                           GError              **error);
char                *esc_service_secret_box_seal          (EscServiceSecretBox  *self,
                                                           const char           *plaintext,
                                                           const char           *associated_data,
                                                           GError              **error);
char                *esc_service_secret_box_open          (EscServiceSecretBox  *self,
                                                           const char           *sealed,
                                                           const char           *associated_data,
                                                           GError              **error);
void                 esc_service_secret_box_free          (EscServiceSecretBox  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceSecretBox, esc_service_secret_box_free)

G_END_DECLS
