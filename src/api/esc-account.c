/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-account.h"
#include "esc-api-error.h"
#include "esc-token-store.h"

struct _EscAccount
{
  GObject      parent_instance;

  EscClient   *client;
  EscIdentity *identity;
  char        *service_url;
  char        *user;
  char        *last_error;
  guint        busy : 1;
  guint        token_saved : 1;
};

G_DEFINE_FINAL_TYPE (EscAccount, esc_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_IDENTITY,
  PROP_SERVICE_URL,
  PROP_USER,
  PROP_BUSY,
  PROP_TOKEN_SAVED,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  char *service_url;
  char *user;
  char *token;
  EscIdentity *identity;
} SignIn;

static void
wipe_string (char *str)
{
  if (str == NULL)
    return;

  /* volatile so that the compiler keeps the wipe of memory about to be freed */
  for (volatile char *p = str; *p != '\0'; p++)
    *p = '\0';
  g_free (str);
}

static void
sign_in_free (SignIn *data)
{
  g_free (data->service_url);
  g_free (data->user);
  wipe_string (data->token);
  g_clear_object (&data->identity);
  g_free (data);
}

static void
set_busy (EscAccount *self,
          gboolean    busy)
{
  if (self->busy == !!busy)
    return;

  self->busy = !!busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_last_error (EscAccount *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_connected (EscAccount  *self,
               const char  *service_url,
               const char  *user,
               EscIdentity *identity,
               gboolean     token_saved)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);

  if (g_set_object (&self->identity, identity))
    g_object_notify_by_pspec (object, properties[PROP_IDENTITY]);

  if (g_strcmp0 (self->service_url, service_url) != 0)
    {
      g_free (self->service_url);
      self->service_url = g_strdup (service_url);
      g_object_notify_by_pspec (object, properties[PROP_SERVICE_URL]);
    }

  if (g_strcmp0 (self->user, user) != 0)
    {
      g_free (self->user);
      self->user = g_strdup (user);
      g_object_notify_by_pspec (object, properties[PROP_USER]);
    }

  if (self->token_saved != !!token_saved)
    {
      self->token_saved = !!token_saved;
      g_object_notify_by_pspec (object, properties[PROP_TOKEN_SAVED]);
    }

  g_object_thaw_notify (object);
}

static void
fail_task (GTask  *task,
           GError *error)
{
  EscAccount *self = g_task_get_source_object (task);

  /* A failed sign-in leaves no half-valid session behind */
  esc_client_set_token (self->client, NULL);
  if (g_set_object (&self->identity, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_last_error (self, NULL);
  else
    set_last_error (self, error->message);
  set_busy (self, FALSE);
  g_task_return_error (task, error);
}

static void
esc_account_dispose (GObject *object)
{
  EscAccount *self = (EscAccount *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->identity);

  G_OBJECT_CLASS (esc_account_parent_class)->dispose (object);
}

static void
esc_account_finalize (GObject *object)
{
  EscAccount *self = (EscAccount *)object;

  g_clear_pointer (&self->service_url, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (esc_account_parent_class)->finalize (object);
}

static void
esc_account_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EscAccount *self = ESC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_IDENTITY:
      g_value_set_object (value, self->identity);
      break;
    case PROP_SERVICE_URL:
      g_value_set_string (value, self->service_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_TOKEN_SAVED:
      g_value_set_boolean (value, self->token_saved);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_account_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EscAccount *self = ESC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_account_class_init (EscAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = esc_account_dispose;
  object_class->finalize = esc_account_finalize;
  object_class->get_property = esc_account_get_property;
  object_class->set_property = esc_account_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ESC_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDENTITY] =
    g_param_spec_object ("identity", NULL, NULL, ESC_TYPE_IDENTITY, ro);
  properties[PROP_SERVICE_URL] = g_param_spec_string ("service-url", NULL, NULL, NULL, ro);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, ro);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties[PROP_TOKEN_SAVED] = g_param_spec_boolean ("token-saved", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_account_init (EscAccount *self)
{
}

/**
 * esc_account_new:
 * @client: the application's client
 *
 * Returns: (transfer full): a new, signed-out #EscAccount
 */
EscAccount *
esc_account_new (EscClient *client)
{
  g_return_val_if_fail (ESC_IS_CLIENT (client), NULL);

  return g_object_new (ESC_TYPE_ACCOUNT, "client", client, NULL);
}

EscClient *
esc_account_get_client (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  return self->client;
}

EscIdentity *
esc_account_get_identity (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  return self->identity;
}

const char *
esc_account_get_service_url (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  return self->service_url;
}

const char *
esc_account_get_user (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  return self->user;
}

gboolean
esc_account_get_busy (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), FALSE);
  return self->busy;
}

gboolean
esc_account_get_token_saved (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), FALSE);
  return self->token_saved;
}

const char *
esc_account_get_last_error (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  return self->last_error;
}

static void
sign_in_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  EscAccount *self = g_task_get_source_object (task);
  SignIn *data = g_task_get_task_data (task);
  gboolean saved;

  /* The service accepted the token: a keyring that refuses it costs the user a
   * second sign-in next time, not this one. */
  saved = esc_token_store_save_finish (result, &error);
  if (!saved)
    g_debug ("Token not saved in the keyring: %s", error->message);

  set_connected (self, data->service_url, data->user, data->identity, saved);
  set_last_error (self, NULL);
  set_busy (self, FALSE);
  g_task_return_pointer (task, g_object_ref (data->identity), g_object_unref);
}

static void
sign_in_me_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EscAccount *self = g_task_get_source_object (task);
  SignIn *data = g_task_get_task_data (task);

  data->identity = esc_client_get_me_finish (ESC_CLIENT (object), result, &error);
  if (data->identity == NULL)
    {
      fail_task (task, error);
      return;
    }

  g_free (data->user);
  data->user = g_strdup (esc_identity_get_name (data->identity));

  if (data->token == NULL)
    {
      /* Restored from the keyring: nothing to save again */
      set_connected (self, data->service_url, data->user, data->identity, TRUE);
      set_last_error (self, NULL);
      set_busy (self, FALSE);
      g_task_return_pointer (task, g_object_ref (data->identity), g_object_unref);
      return;
    }

  esc_token_store_save_async (data->service_url,
                              data->user,
                              data->token,
                              g_task_get_cancellable (task),
                              sign_in_saved_cb,
                              g_object_ref (task));
}

static void
check_token (GTask      *task,
             const char *token)
{
  EscAccount *self = g_task_get_source_object (task);
  SignIn *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!esc_client_set_base_url (self->client, data->service_url, &error))
    {
      fail_task (task, error);
      return;
    }

  esc_client_set_token (self->client, token);
  esc_client_get_me_async (self->client,
                           g_task_get_cancellable (task),
                           sign_in_me_cb,
                           g_object_ref (task));
}

void
esc_account_sign_in_async (EscAccount          *self,
                           const char          *service_url,
                           const char          *token,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  SignIn *data;

  g_return_if_fail (ESC_IS_ACCOUNT (self));
  g_return_if_fail (service_url != NULL);
  g_return_if_fail (token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_account_sign_in_async);

  data = g_new0 (SignIn, 1);
  data->service_url = g_strstrip (g_strdup (service_url));
  data->token = g_strstrip (g_strdup (token));
  g_task_set_task_data (task, data, (GDestroyNotify)sign_in_free);

  set_busy (self, TRUE);

  if (data->token[0] == '\0')
    {
      fail_task (task, g_error_new_literal (ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                                            _("Enter the token given by your service administrator.")));
      return;
    }

  check_token (task, data->token);
}

EscIdentity *
esc_account_sign_in_finish (EscAccount    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
restore_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token;

  token = esc_token_store_lookup_finish (result, &error);
  if (error != NULL)
    {
      fail_task (task, error);
      return;
    }

  if (token == NULL)
    {
      SignIn *data = g_task_get_task_data (task);

      fail_task (task, g_error_new (ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                                    _("No token for %s at %s in the keyring: sign in again."),
                                    data->user, data->service_url));
      return;
    }

  check_token (task, token);
  wipe_string (token);
}

void
esc_account_restore_async (EscAccount          *self,
                           const char          *service_url,
                           const char          *user,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignIn *data;

  g_return_if_fail (ESC_IS_ACCOUNT (self));
  g_return_if_fail (service_url != NULL);
  g_return_if_fail (user != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_account_restore_async);

  data = g_new0 (SignIn, 1);
  data->service_url = g_strdup (service_url);
  data->user = g_strdup (user);
  g_task_set_task_data (task, data, (GDestroyNotify)sign_in_free);

  set_busy (self, TRUE);
  esc_token_store_lookup_async (service_url, user, cancellable,
                                restore_lookup_cb, g_steal_pointer (&task));
}

EscIdentity *
esc_account_restore_finish (EscAccount    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sign_out_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  EscAccount *self = g_task_get_source_object (task);

  set_busy (self, FALSE);

  if (!esc_token_store_clear_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
esc_account_sign_out_async (EscAccount          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *service_url = NULL;
  g_autofree char *user = NULL;

  g_return_if_fail (ESC_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_account_sign_out_async);

  service_url = g_strdup (self->service_url);
  user = g_strdup (self->user);

  esc_client_set_token (self->client, NULL);
  set_connected (self, NULL, NULL, NULL, FALSE);
  set_last_error (self, NULL);

  if (service_url == NULL || user == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  set_busy (self, TRUE);
  esc_token_store_clear_async (service_url, user, cancellable,
                               sign_out_cleared_cb, g_steal_pointer (&task));
}

gboolean
esc_account_sign_out_finish (EscAccount    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
