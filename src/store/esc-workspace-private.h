/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "esc-workspace.h"

G_BEGIN_DECLS

/* For the store and its tests only: the UI never sees SQL. */
sqlite3  *esc_workspace_get_connection    (EscWorkspace  *self);

/* Creates (or migrates) the file at @path up to schema @version exactly,
 * without seeding, and closes it: how the tests make a file "written by an
 * older Escalade" to migrate from. @version 0 leaves an empty database. */
gboolean  esc_workspace_create_at_version (const char    *path,
                                           int            version,
                                           GError       **error);

/* The matrices (esc-workspace-matrix.c) */
GPtrArray *esc_workspace_load_responsibilities      (gpointer       user_data,
                                                     GError       **error);
gboolean   esc_workspace_delete_responsibility_row  (EscWorkspace  *self,
                                                     gint64         id,
                                                     GError       **error);
gboolean   esc_workspace_reload_matrices            (EscWorkspace  *self,
                                                     gboolean       roles,
                                                     gboolean       routing,
                                                     GError       **error);

G_END_DECLS
