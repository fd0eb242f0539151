/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include "esc-secret.h"
#include "esc-secret-clipboard.h"

#define DEFAULT_CLEAR_SECONDS 30

struct _EscSecretClipboard
{
  GObject             parent_instance;

  GdkClipboard       *clipboard;
  GCancellable       *cancellable;
  /* The clipboard's content while it is the secret we put there (weak) */
  GdkContentProvider *provider;
  /* SHA-256 of what was copied, to recognise it in another application's hands */
  char               *hash;
  guint               clear_source;
  guint               clear_seconds;
};

G_DEFINE_FINAL_TYPE (EscSecretClipboard, esc_secret_clipboard, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLEAR_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
forget_hash (EscSecretClipboard *self)
{
  if (self->hash != NULL)
    esc_secret_wipe_string (self->hash);
  g_clear_pointer (&self->hash, g_free);
}

static void
set_provider (EscSecretClipboard *self,
              GdkContentProvider *provider)
{
  if (self->provider != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->provider), (gpointer *)&self->provider);
  self->provider = provider;
  if (provider != NULL)
    g_object_add_weak_pointer (G_OBJECT (provider), (gpointer *)&self->provider);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  EscSecretClipboard *self = user_data;
  g_auto(EscSecret) text = NULL;
  g_autoptr(GError) error = NULL;

  text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (text != NULL && self->hash != NULL)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

      if (g_str_equal (hash, self->hash))
        {
          g_debug ("The clipboard still held the password copied, from another application: cleared");
          gdk_clipboard_set_content (GDK_CLIPBOARD (object), NULL);
        }
      esc_secret_wipe_string (hash);
    }
  forget_hash (self);
}

/* Empties the clipboard if it still holds the secret; with @compare_content,
 * also when another application holds the same text (read asynchronously) */
static void
clear (EscSecretClipboard *self,
       gboolean            compare_content)
{
  g_clear_handle_id (&self->clear_source, g_source_remove);

  if (self->provider != NULL && gdk_clipboard_get_content (self->clipboard) == self->provider)
    {
      g_debug ("The clipboard still held the password copied: cleared");
      gdk_clipboard_set_content (self->clipboard, NULL);
      forget_hash (self);
    }
  else if (compare_content && self->hash != NULL && !gdk_clipboard_is_local (self->clipboard))
    gdk_clipboard_read_text_async (self->clipboard, self->cancellable, read_cb, self);
  else
    forget_hash (self);
}

static gboolean
clear_cb (gpointer user_data)
{
  EscSecretClipboard *self = user_data;

  self->clear_source = 0;
  clear (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
wipe_copy (gpointer data)
{
  esc_secret_free (data);
}

/**
 * esc_secret_clipboard_copy:
 * @self: a #EscSecretClipboard
 * @secret: the text to put on the clipboard
 *
 * Puts @secret on the clipboard, to be cleared after the delay.
 */
void
esc_secret_clipboard_copy (EscSecretClipboard *self,
                           const char         *secret)
{
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *copy;

  g_return_if_fail (ESC_IS_SECRET_CLIPBOARD (self));
  g_return_if_fail (secret != NULL);

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());

  copy = g_strdup (secret);
  bytes = g_bytes_new_with_free_func (copy, strlen (copy), wipe_copy, copy);
  provider = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);

  forget_hash (self);
  self->hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
  set_provider (self, provider);
  gdk_clipboard_set_content (self->clipboard, provider);

  g_clear_handle_id (&self->clear_source, g_source_remove);
  self->clear_source = g_timeout_add_seconds (self->clear_seconds, clear_cb, self);
}

static void
esc_secret_clipboard_dispose (GObject *object)
{
  EscSecretClipboard *self = (EscSecretClipboard *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->clipboard != NULL)
    clear (self, FALSE);
  set_provider (self, NULL);
  forget_hash (self);
  g_clear_object (&self->clipboard);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (esc_secret_clipboard_parent_class)->dispose (object);
}

static void
esc_secret_clipboard_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EscSecretClipboard *self = ESC_SECRET_CLIPBOARD (object);

  switch (prop_id)
    {
    case PROP_CLEAR_SECONDS:
      g_value_set_uint (value, self->clear_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_secret_clipboard_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  EscSecretClipboard *self = ESC_SECRET_CLIPBOARD (object);

  switch (prop_id)
    {
    case PROP_CLEAR_SECONDS:
      esc_secret_clipboard_set_clear_seconds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_secret_clipboard_class_init (EscSecretClipboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_secret_clipboard_dispose;
  object_class->get_property = esc_secret_clipboard_get_property;
  object_class->set_property = esc_secret_clipboard_set_property;

  properties[PROP_CLEAR_SECONDS] =
    g_param_spec_uint ("clear-seconds", NULL, NULL, 1, 3600, DEFAULT_CLEAR_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_secret_clipboard_init (EscSecretClipboard *self)
{
  self->clear_seconds = DEFAULT_CLEAR_SECONDS;
  self->cancellable = g_cancellable_new ();
}

EscSecretClipboard *
esc_secret_clipboard_new (GdkClipboard *clipboard)
{
  EscSecretClipboard *self;

  g_return_val_if_fail (GDK_IS_CLIPBOARD (clipboard), NULL);

  self = g_object_new (ESC_TYPE_SECRET_CLIPBOARD, NULL);
  self->clipboard = g_object_ref (clipboard);

  return self;
}

guint
esc_secret_clipboard_get_clear_seconds (EscSecretClipboard *self)
{
  g_return_val_if_fail (ESC_IS_SECRET_CLIPBOARD (self), 0);
  return self->clear_seconds;
}

void
esc_secret_clipboard_set_clear_seconds (EscSecretClipboard *self,
                                        guint               seconds)
{
  g_return_if_fail (ESC_IS_SECRET_CLIPBOARD (self));

  if (self->clear_seconds == seconds)
    return;

  self->clear_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLEAR_SECONDS]);
}
