/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-saved-account.h"

struct _EscSavedAccount
{
  GObject  parent_instance;

  char    *service_url;
  char    *user;
};

G_DEFINE_FINAL_TYPE (EscSavedAccount, esc_saved_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVICE_URL,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_saved_account_finalize (GObject *object)
{
  EscSavedAccount *self = (EscSavedAccount *)object;

  g_free (self->service_url);
  g_free (self->user);

  G_OBJECT_CLASS (esc_saved_account_parent_class)->finalize (object);
}

static void
esc_saved_account_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EscSavedAccount *self = ESC_SAVED_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVICE_URL:
      g_value_set_string (value, self->service_url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_saved_account_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EscSavedAccount *self = ESC_SAVED_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVICE_URL:
      self->service_url = g_value_dup_string (value);
      break;
    case PROP_USER:
      self->user = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_saved_account_class_init (EscSavedAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_saved_account_finalize;
  object_class->get_property = esc_saved_account_get_property;
  object_class->set_property = esc_saved_account_set_property;

  properties[PROP_SERVICE_URL] = g_param_spec_string ("service-url", NULL, NULL, NULL, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_saved_account_init (EscSavedAccount *self)
{
}

EscSavedAccount *
esc_saved_account_new (const char *service_url,
                       const char *user)
{
  g_return_val_if_fail (service_url != NULL && user != NULL, NULL);

  return g_object_new (ESC_TYPE_SAVED_ACCOUNT, "service-url", service_url, "user", user, NULL);
}

const char *
esc_saved_account_get_service_url (EscSavedAccount *self)
{
  g_return_val_if_fail (ESC_IS_SAVED_ACCOUNT (self), NULL);
  return self->service_url;
}

const char *
esc_saved_account_get_user (EscSavedAccount *self)
{
  g_return_val_if_fail (ESC_IS_SAVED_ACCOUNT (self), NULL);
  return self->user;
}
