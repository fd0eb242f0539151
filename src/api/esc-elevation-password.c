/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-api-private.h"
#include "esc-elevation-password.h"

G_DEFINE_BOXED_TYPE (EscElevationPassword, esc_elevation_password,
                     esc_elevation_password_copy, esc_elevation_password_free)

/**
 * esc_elevation_password_copy:
 * @password: a password
 *
 * Returns: (transfer full): a copy, to be freed with esc_elevation_password_free()
 */
EscElevationPassword *
esc_elevation_password_copy (const EscElevationPassword *password)
{
  EscElevationPassword *copy;

  g_return_val_if_fail (password != NULL, NULL);

  copy = g_new0 (EscElevationPassword, 1);
  copy->account = g_strdup (password->account);
  copy->password = g_strdup (password->password);
  copy->rotates_at = password->rotates_at != NULL ? g_date_time_ref (password->rotates_at) : NULL;

  return copy;
}

/**
 * esc_elevation_password_free:
 * @password: (nullable): a password
 *
 * Overwrites the password with zeros, then frees everything.
 */
void
esc_elevation_password_free (EscElevationPassword *password)
{
  if (password == NULL)
    return;

  esc_api_free_secret (password->password);
  g_free (password->account);
  g_clear_pointer (&password->rotates_at, g_date_time_unref);
  g_free (password);
}
