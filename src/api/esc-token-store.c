/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-private.h"
#include "esc-token-store-private.h"

/* Bearer tokens live in the user's keyring and nowhere else: not in the
 * workspace, not in GSettings, not in logs. One item per service and user. */

/**
 * esc_token_store_get_schema:
 *
 * The keyring schema of Escalade's tokens: "io.github.escalade.Escalade.Token"
 * with the string attributes "service" (the base URL) and "user".
 *
 * Returns: (transfer none): the schema
 */
const SecretSchema *
esc_token_store_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.escalade.Escalade.Token",
    SECRET_SCHEMA_NONE,
    {
      { "service", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/**
 * esc_token_store_free_token:
 * @token: (nullable): a token returned by esc_token_store_lookup_finish()
 *
 * Wipes the token from memory, then frees it. g_free() works too, but
 * leaves the token in the heap.
 */
void
esc_token_store_free_token (char *token)
{
  esc_api_free_secret (token);
}

static void
on_stored_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * esc_token_store_save_async:
 * @service_url: the service's base URL, as esc_client_get_base_url() gives it
 * @user: the name the service knows the user by
 * @token: the bearer token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the token is stored
 * @user_data: data for @callback
 *
 * Stores @token in the default collection of the keyring, replacing the
 * token of the same service and user if there is one.
 */
void
esc_token_store_save_async (const char          *service_url,
                            const char          *user,
                            const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (service_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_token_store_save_async);

  /* Translators: the label of the keyring item, e.g. in Passwords and Keys */
  label = g_strdup_printf (_("Escalade token for %s at %s"), user, service_url);

  /* libsecret copies the token before it returns */
  secret_password_store (esc_token_store_get_schema (),
                         SECRET_COLLECTION_DEFAULT,
                         label,
                         token,
                         cancellable,
                         on_stored_cb,
                         g_steal_pointer (&task),
                         "service", service_url,
                         "user", user,
                         NULL);
}

/**
 * esc_token_store_save_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the token is stored
 */
gboolean
esc_token_store_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esc_token_store_save_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_looked_up_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (secret == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* libsecret may hand out its own locked memory, which only
   * secret_password_free() can release: give the caller a g_malloc() copy. */
  g_task_return_pointer (task, g_strdup (secret), (GDestroyNotify)esc_token_store_free_token);
  secret_password_free (secret);
}

/**
 * esc_token_store_lookup_async:
 * @service_url: the service's base URL
 * @user: the name the service knows the user by
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks the token of @user at @service_url up in the keyring.
 */
void
esc_token_store_lookup_async (const char          *service_url,
                              const char          *user,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (service_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_token_store_lookup_async);

  secret_password_lookup (esc_token_store_get_schema (),
                          cancellable,
                          on_looked_up_cb,
                          g_steal_pointer (&task),
                          "service", service_url,
                          "user", user,
                          NULL);
}

/**
 * esc_token_store_lookup_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the token, to be freed with
 *   esc_token_store_free_token(); %NULL without an error when the keyring
 *   holds none
 */
char *
esc_token_store_lookup_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esc_token_store_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_cleared_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * esc_token_store_clear_async:
 * @service_url: the service's base URL
 * @user: the name the service knows the user by
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the token is removed
 * @user_data: data for @callback
 *
 * Removes the token of @user at @service_url from the keyring.
 */
void
esc_token_store_clear_async (const char          *service_url,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (service_url != NULL);
  g_return_if_fail (user != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_token_store_clear_async);

  secret_password_clear (esc_token_store_get_schema (),
                         cancellable,
                         on_cleared_cb,
                         g_steal_pointer (&task),
                         "service", service_url,
                         "user", user,
                         NULL);
}

/**
 * esc_token_store_clear_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the keyring no longer holds the token, including when
 *   it held none
 */
gboolean
esc_token_store_clear_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esc_token_store_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
