/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-store-private.h"
#include "esc-workspace.h"

/* The workspace schema, as a list of forward migrations. Migration N takes a
 * file from PRAGMA user_version N-1 to N; the runner in esc-workspace.c applies
 * them in order inside one transaction and then sets user_version.
 *
 * To change the schema: append a migration here (never edit a released one),
 * bump ESC_WORKSPACE_SCHEMA_VERSION, and the tests open a file created at every
 * older version (esc_workspace_create_at_version()). */

typedef gboolean (*EscWorkspaceMigration) (sqlite3     *db,
                                           const char  *path,
                                           GError     **error);

/* 1: the seeded tables (roles matrix, routing matrix, severity definitions),
 * settings and the local audit. Times are RFC 3339 UTC text. */
static gboolean
migration_1 (sqlite3     *db,
             const char  *path,
             GError     **error)
{
  static const char sql[] =
    "CREATE TABLE parties ("
    "  id       TEXT PRIMARY KEY NOT NULL,"
    "  position INTEGER NOT NULL,"
    "  name     TEXT NOT NULL,"
    "  summary  TEXT"
    ");"
    "CREATE TABLE responsibilities ("
    "  party_id TEXT NOT NULL REFERENCES parties (id) ON DELETE CASCADE ON UPDATE CASCADE,"
    "  position INTEGER NOT NULL,"
    "  text     TEXT NOT NULL,"
    "  UNIQUE (party_id, position)"
    ");"
    "CREATE TABLE routing_rules ("
    "  id          TEXT PRIMARY KEY NOT NULL,"
    "  position    INTEGER NOT NULL,"
    "  problem     TEXT NOT NULL,"
    "  example     TEXT,"
    "  destination TEXT NOT NULL"
    "              CHECK (destination IN ('operations', 'hardware-vendor', 'existing-channel')),"
    "  team        TEXT NOT NULL,"
    "  action      TEXT"
    ");"
    "CREATE TABLE severities ("
    "  letter                   TEXT PRIMARY KEY NOT NULL CHECK (letter IN ('A', 'B', 'C')),"
    "  name                     TEXT NOT NULL,"
    "  situation                TEXT,"
    "  initial_response_minutes INTEGER NOT NULL CHECK (initial_response_minutes > 0),"
    "  update_cadence_minutes   INTEGER NOT NULL CHECK (update_cadence_minutes > 0),"
    "  coverage                 TEXT,"
    "  downgrade                TEXT"
    ");"
    "CREATE TABLE settings ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT"
    ");"
    "CREATE TABLE local_audit ("
    "  id     INTEGER PRIMARY KEY,"
    "  at     TEXT NOT NULL,"
    "  actor  TEXT NOT NULL,"
    "  what   TEXT NOT NULL,"
    "  detail TEXT"
    ");";

  return esc_store_exec (db, path, sql, error);
}

static const EscWorkspaceMigration migrations[] = {
  migration_1,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == ESC_WORKSPACE_SCHEMA_VERSION);

gboolean
esc_workspace_run_migration (sqlite3     *db,
                             const char  *path,
                             int          to_version,
                             GError     **error)
{
  g_return_val_if_fail (to_version >= 1, FALSE);
  g_return_val_if_fail (to_version <= (int)G_N_ELEMENTS (migrations), FALSE);

  g_debug ("Migrating %s to schema %d", path, to_version);

  return migrations[to_version - 1] (db, path, error);
}
