/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-service-crypto.h"
#include "esc-service-error.h"
#include "esc-service-token.h"

#define TOKEN_RANDOM_BYTES 32
/* 32 bytes in unpadded base64 */
#define TOKEN_ENCODED_LENGTH 43

/**
 * esc_service_token_generate:
 * @error: return location for a #GError
 *
 * Makes a new bearer token: 32 bytes from libsodium's CSPRNG, in URL-safe base64
 * without padding, after %ESC_SERVICE_TOKEN_PREFIX.
 *
 * Returns: (transfer full): the token, or %NULL on error
 */
char *
esc_service_token_generate (GError **error)
{
  guint8 bytes[TOKEN_RANDOM_BYTES];
  g_autofree char *encoded = NULL;
  char *token;
  gsize len;

  if (!esc_service_crypto_random_bytes (bytes, sizeof bytes, error))
    return NULL;

  encoded = g_base64_encode (bytes, sizeof bytes);
  esc_service_crypto_wipe (bytes, sizeof bytes);

  len = strlen (encoded);
  while (len > 0 && encoded[len - 1] == '=')
    encoded[--len] = '\0';
  for (char *p = encoded; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }

  token = g_strconcat (ESC_SERVICE_TOKEN_PREFIX, encoded, NULL);
  esc_service_crypto_wipe (encoded, len);

  return token;
}

/**
 * esc_service_token_hash:
 * @token: a bearer token
 *
 * The database only ever sees this digest; the token itself is shown once
 * and forgotten.
 *
 * Returns: (transfer full): the SHA-256 of @token, in lower-case hex
 */
char *
esc_service_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/**
 * esc_service_token_is_wellformed:
 * @token: (nullable): a string from an Authorization header
 *
 * Returns: %TRUE if @token has the shape of a token made by
 *   esc_service_token_generate()
 */
gboolean
esc_service_token_is_wellformed (const char *token)
{
  const char *p;

  if (token == NULL || !g_str_has_prefix (token, ESC_SERVICE_TOKEN_PREFIX))
    return FALSE;

  p = token + strlen (ESC_SERVICE_TOKEN_PREFIX);
  if (strlen (p) != TOKEN_ENCODED_LENGTH)
    return FALSE;

  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}
