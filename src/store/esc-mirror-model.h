/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * EscMirrorModelKeysFunc:
 * @user_data: the data given to esc_mirror_model_new()
 * @error: return location for a #GError
 *
 * Reads the keys of the rows, in display order.
 *
 * Returns: (transfer full) (element-type utf8): the keys, or %NULL on error
 */
typedef GPtrArray *(*EscMirrorModelKeysFunc) (gpointer   user_data,
                                              GError   **error);

/**
 * EscMirrorModelItemFunc:
 * @user_data: the data given to esc_mirror_model_new()
 * @key: a key given by the #EscMirrorModelKeysFunc
 *
 * Reads one row.
 *
 * Returns: (transfer full) (nullable): the item, or %NULL if it cannot be read
 */
typedef GObject *(*EscMirrorModelItemFunc) (gpointer    user_data,
                                            const char *key);

#define ESC_TYPE_MIRROR_MODEL (esc_mirror_model_get_type ())

G_DECLARE_FINAL_TYPE (EscMirrorModel, esc_mirror_model, ESC, MIRROR_MODEL, GObject)

/* A GListModel over a table that may hold 100 000 rows: it keeps the keys
 * only, and reads an item when asked for it (a few recent ones are cached). */
EscMirrorModel *esc_mirror_model_new     (GType                    item_type,
                                          EscMirrorModelKeysFunc   keys,
                                          EscMirrorModelItemFunc   item,
                                          gpointer                 user_data);
/* Reads the keys again; @changed (nullable, a set of keys) names the rows
 * whose content changed, so that only they are emitted as changed. */
gboolean        esc_mirror_model_reload  (EscMirrorModel          *self,
                                          GHashTable              *changed,
                                          GError                 **error);
/* Reads the keys again, every row new (the same keys now name other rows). */
gboolean        esc_mirror_model_reset   (EscMirrorModel          *self,
                                          GError                 **error);
/* The position of @key, or -1 */
gint            esc_mirror_model_find    (EscMirrorModel          *self,
                                          const char              *key);
void            esc_mirror_model_detach  (EscMirrorModel          *self);

G_END_DECLS
