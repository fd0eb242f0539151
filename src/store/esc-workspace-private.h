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

G_END_DECLS
