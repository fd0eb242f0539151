/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Length of a sealing key, as kept in the key file. */
#define ESC_SERVICE_SECRET_KEY_LENGTH 32

/* Length of a device's local administrator password. */
#define ESC_SERVICE_PASSWORD_LENGTH 20

/* Seals small secrets (device passwords) for the service database with
 * libsodium; see esc-service-crypto.c for the format. */
typedef struct _EscServiceSecretBox EscServiceSecretBox;

gboolean             esc_service_crypto_init              (GError              **error);
gboolean             esc_service_crypto_random_bytes      (guint8               *buffer,
                                                           gsize                 length,
                                                           GError              **error);
char                *esc_service_crypto_generate_password (guint                 length,
                                                           GError              **error);
const char          *esc_service_crypto_password_alphabet (void);
void                 esc_service_crypto_wipe              (gpointer              data,
                                                           gsize                 length);
void                 esc_service_crypto_free_secret       (char                 *secret);

EscServiceSecretBox *esc_service_secret_box_new           (const guint8         *key,
                                                           gsize                 key_length);
gboolean             esc_service_secret_box_add_old_key   (EscServiceSecretBox  *self,
                                                           const guint8         *key,
                                                           gsize                 key_length);
const char          *esc_service_secret_box_get_key_id    (EscServiceSecretBox  *self);
gboolean             esc_service_secret_box_is_current    (EscServiceSecretBox  *self,
                                                           const char           *sealed);
char                *esc_service_secret_box_seal          (EscServiceSecretBox  *self,
                                                           const char           *plaintext,
                                                           const char           *associated_data,
                                                           GError              **error);
char                *esc_service_secret_box_open          (EscServiceSecretBox  *self,
                                                           const char           *sealed,
                                                           const char           *associated_data,
                                                           GError              **error);
void                 esc_service_secret_box_free          (EscServiceSecretBox  *self);

/* Key files: 32 random bytes, mode 0600. */
gboolean             esc_service_key_file_read            (const char           *key_file,
                                                           guint8                key[ESC_SERVICE_SECRET_KEY_LENGTH],
                                                           GError              **error);
gboolean             esc_service_key_file_create          (const char           *key_file,
                                                           gsize                 length,
                                                           GError              **error);
EscServiceSecretBox *esc_service_secret_box_load          (const char           *key_file,
                                                           gboolean              may_create,
                                                           GError              **error);

/* "<key file>.next": the key being rotated in (see `key rotate`). */
char                *esc_service_key_file_next_path       (const char           *key_file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceSecretBox, esc_service_secret_box_free)

G_END_DECLS
