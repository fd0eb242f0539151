/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include <libsecret/secret.h>

#include "esc-account.h"
#include "esc-api-error.h"
#include "esc-saved-account.h"
#include "esc-token-store-private.h"

struct _EscAccount
{
  GObject      parent_instance;

  EscClient   *client;
  EscIdentity *identity;
  EscAccountState state;
  char        *service_url;
  char        *user;
  char        *last_error;
  guint        busy : 1;
  guint        token_saved : 1;
};

G_DEFINE_FINAL_TYPE (EscAccount, esc_account, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (EscAccountState, esc_account_state,
                    G_DEFINE_ENUM_VALUE (ESC_ACCOUNT_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (ESC_ACCOUNT_STATE_SIGNED_IN, "signed-in"),
                    G_DEFINE_ENUM_VALUE (ESC_ACCOUNT_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (ESC_ACCOUNT_STATE_NEEDS_SIGN_IN, "needs-sign-in"))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
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
set_state (EscAccount      *self,
           EscAccountState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
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

  if (identity != NULL)
    set_state (self, ESC_ACCOUNT_STATE_SIGNED_IN);
  else if (service_url == NULL)
    set_state (self, ESC_ACCOUNT_STATE_SIGNED_OUT);

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
  set_state (self, ESC_ACCOUNT_STATE_SIGNED_OUT);
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
    case PROP_STATE:
      g_value_set_enum (value, self->state);
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
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ESC_TYPE_ACCOUNT_STATE,
                       ESC_ACCOUNT_STATE_SIGNED_OUT, ro);
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

EscAccountState
esc_account_get_state (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), ESC_ACCOUNT_STATE_SIGNED_OUT);
  return self->state;
}

gboolean
esc_account_can_send (EscAccount *self)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), FALSE);
  return self->state == ESC_ACCOUNT_STATE_SIGNED_IN || self->state == ESC_ACCOUNT_STATE_OFFLINE;
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
  if (data->identity == NULL && data->token == NULL)
    {
      /* Restoring a saved token: the service being away does not make the
       * token bad. Keep the session, to queue changes and send them later. */
      if (esc_api_error_is_transient (error))
        {
          set_connected (self, data->service_url, data->user, NULL, TRUE);
          set_state (self, ESC_ACCOUNT_STATE_OFFLINE);
          set_last_error (self, error->message);
          set_busy (self, FALSE);
          g_task_return_error (task, error);
          return;
        }

      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED))
        {
          esc_client_set_token (self->client, NULL);
          set_connected (self, data->service_url, data->user, NULL, TRUE);
          set_state (self, ESC_ACCOUNT_STATE_NEEDS_SIGN_IN);
          set_last_error (self, error->message);
          set_busy (self, FALSE);
          g_task_return_error (task, error);
          return;
        }
    }

  if (data->identity == NULL)
    {
      fail_task (task, error);
      return;
    }

  /* The service knows the user by its own name: a saved account whose name
   * changed on the service keeps working under the name we saved it with. */
  if (data->token == NULL && data->user != NULL)
    {
      set_connected (self, data->service_url, data->user, data->identity, TRUE);
      set_last_error (self, NULL);
      set_busy (self, FALSE);
      g_task_return_pointer (task, g_object_ref (data->identity), g_object_unref);
      return;
    }

  g_free (data->user);
  data->user = g_strdup (esc_identity_get_name (data->identity));

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

  /* The keyring, the outbox and the mirror all know the service by the
   * address as the client normalised it. */
  g_free (data->service_url);
  data->service_url = g_strdup (esc_client_get_base_url (self->client));

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

/* Refresh ------------------------------------------------------------------- */

static void
refresh_me_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(EscIdentity) identity = NULL;
  GError *error = NULL;
  EscAccount *self = g_task_get_source_object (task);

  set_busy (self, FALSE);

  identity = esc_client_get_me_finish (ESC_CLIENT (object), result, &error);
  if (identity == NULL)
    {
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED))
        esc_account_report_unauthorized (self, error);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_last_error (self, error->message);
      g_task_return_error (task, error);
      return;
    }

  /* Signed out or switched meanwhile: not ours to fill in any more. */
  if (!esc_account_can_send (self))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The session ended meanwhile"));
      return;
    }

  set_connected (self, self->service_url, self->user, identity, self->token_saved);
  set_last_error (self, NULL);
  g_task_return_pointer (task, g_steal_pointer (&identity), g_object_unref);
}

/**
 * esc_account_refresh_async:
 * @self: a #EscAccount
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Asks the service again who the token belongs to: an offline session
 * becomes signed in, a revoked token asks for a new sign-in.
 */
void
esc_account_refresh_async (EscAccount          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ESC_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_account_refresh_async);

  if (!esc_account_can_send (self))
    {
      g_task_return_new_error (task, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                               _("Sign in to the service first."));
      return;
    }

  set_busy (self, TRUE);
  esc_client_get_me_async (self->client, cancellable, refresh_me_cb, g_steal_pointer (&task));
}

EscIdentity *
esc_account_refresh_finish (EscAccount    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * esc_account_report_unauthorized:
 * @self: a #EscAccount
 * @error: (nullable): the 401 the service answered
 *
 * The service no longer accepts the token: forget it (not the keyring item:
 * the next sign-in replaces it) and ask the user to sign in again. The
 * service and user stay known, so that the sign-in can be prefilled and the
 * queued changes of this account wait for it.
 */
void
esc_account_report_unauthorized (EscAccount   *self,
                                 const GError *error)
{
  g_return_if_fail (ESC_IS_ACCOUNT (self));

  if (self->state == ESC_ACCOUNT_STATE_SIGNED_OUT)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  esc_client_set_token (self->client, NULL);
  if (g_set_object (&self->identity, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDENTITY]);
  set_state (self, ESC_ACCOUNT_STATE_NEEDS_SIGN_IN);
  set_last_error (self, error != NULL ? error->message
                                      : _("The service no longer accepts your token: sign in again."));
  g_object_thaw_notify (G_OBJECT (self));
}

/* Saved accounts ------------------------------------------------------------ */

static int
compare_saved (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  EscSavedAccount *left = (EscSavedAccount *)a;
  EscSavedAccount *right = (EscSavedAccount *)b;
  int cmp;

  cmp = g_strcmp0 (esc_saved_account_get_service_url (left),
                   esc_saved_account_get_service_url (right));
  if (cmp != 0)
    return cmp;

  return g_strcmp0 (esc_saved_account_get_user (left), esc_saved_account_get_user (right));
}

static void
list_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GListStore) store = g_list_store_new (ESC_TYPE_SAVED_ACCOUNT);
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *service = g_hash_table_lookup (attributes, "service");
      const char *user = g_hash_table_lookup (attributes, "user");
      g_autoptr(EscSavedAccount) saved = NULL;

      if (service == NULL || user == NULL)
        continue;

      saved = esc_saved_account_new (service, user);
      g_list_store_insert_sorted (store, saved, compare_saved, NULL);
    }
  g_list_free_full (items, g_object_unref);

  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

/**
 * esc_account_list_saved_async:
 * @self: a #EscAccount
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the list
 * @user_data: data for @callback
 *
 * Lists the accounts whose tokens are in the keyring (without unlocking or
 * reading the tokens); switch to one with esc_account_restore_async().
 */
void
esc_account_list_saved_async (EscAccount          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ESC_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_account_list_saved_async);

  secret_password_search (esc_token_store_get_schema (), SECRET_SEARCH_ALL, cancellable,
                          list_saved_cb, g_steal_pointer (&task), NULL);
}

/**
 * esc_account_list_saved_finish:
 * @self: a #EscAccount
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a #GListModel of #EscSavedAccount
 */
GListModel *
esc_account_list_saved_finish (EscAccount    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
