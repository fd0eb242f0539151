/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* libsecret stays inside api/: this header is for api/ and for the tests that look into the
 * keyring themselves (they declare libsecret as their own dependency). */

#include <libsecret/secret.h>

#include "esc-token-store.h"

G_BEGIN_DECLS

/* The schema "io.github.escalade.Escalade.Token", attributes "service" (the base URL) and "user" */
const SecretSchema *esc_token_store_get_schema (void);

G_END_DECLS
