/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-service-crypto.h"
#include "esc-service-db.h"

G_BEGIN_DECLS

/* Where the service's keys live, and what uses them: the sealing key of
 * device passwords and the Ed25519 key that signs audit checkpoints. Both
 * are kept apart from the database. */

void                 esc_service_keys_set_key_file        (EscServiceDb   *db,
                                                           const char     *key_file);
char                *esc_service_keys_dup_key_file        (EscServiceDb   *db);
char                *esc_service_keys_find_credential     (const char     *credential);
void                 esc_service_keys_set_audit_key_file  (EscServiceDb   *db,
                                                           const char     *key_file);
char                *esc_service_keys_dup_audit_key_file  (EscServiceDb   *db);

EscServiceSecretBox *esc_service_keys_get_secret_box      (EscServiceDb   *db,
                                                           GError        **error);
gboolean             esc_service_keys_rotate              (EscServiceDb   *db,
                                                           guint          *out_resealed,
                                                           char          **out_key_id,
                                                           GError        **error);

G_END_DECLS
