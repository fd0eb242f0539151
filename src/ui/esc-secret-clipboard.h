/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ESC_TYPE_SECRET_CLIPBOARD (esc_secret_clipboard_get_type ())

G_DECLARE_FINAL_TYPE (EscSecretClipboard, esc_secret_clipboard, ESC, SECRET_CLIPBOARD, GObject)

/* Puts a secret (a device password) on a clipboard for a while: the copy is
 * held in bytes that are overwritten when the clipboard lets them go, and
 * after "clear-seconds" the clipboard is emptied if it still holds the secret,
 * whoever holds it then (compared by content, e.g. a clipboard manager that
 * took it over). Disposing it empties the clipboard the same way, at once. */
EscSecretClipboard *esc_secret_clipboard_new               (GdkClipboard       *clipboard);
void                esc_secret_clipboard_copy              (EscSecretClipboard *self,
                                                            const char         *secret);
guint               esc_secret_clipboard_get_clear_seconds (EscSecretClipboard *self);
void                esc_secret_clipboard_set_clear_seconds (EscSecretClipboard *self,
                                                            guint               seconds);

G_END_DECLS
