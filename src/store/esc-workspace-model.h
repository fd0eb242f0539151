/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * EscWorkspaceModelLoadFunc:
 * @user_data: the data given to esc_workspace_model_new()
 * @error: return location for a #GError
 *
 * Reads the rows of one table, in display order.
 *
 * Returns: (transfer full) (element-type GObject): the items, or %NULL on error
 */
typedef GPtrArray *(*EscWorkspaceModelLoadFunc) (gpointer   user_data,
                                                 GError   **error);

#define ESC_TYPE_WORKSPACE_MODEL (esc_workspace_model_get_type ())

G_DECLARE_FINAL_TYPE (EscWorkspaceModel, esc_workspace_model, ESC, WORKSPACE_MODEL, GObject)

EscWorkspaceModel *esc_workspace_model_new    (GType                      item_type,
                                               EscWorkspaceModelLoadFunc  load,
                                               gpointer                   user_data);
gboolean           esc_workspace_model_reload (EscWorkspaceModel         *self,
                                               GError                   **error);
void               esc_workspace_model_detach (EscWorkspaceModel         *self);

G_END_DECLS
