/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-seed.h"
#include "esc-store-error.h"
#include "esc-store-private.h"

/* The seeded defaults are read from the GResource and translated when they are
 * written, so that a French user gets a French workspace. From then on the rows
 * are the user's: they are never re-translated. */

#define SEED_PATH RESOURCE_PREFIX "/seed/"

static const char *
translate_cb (const char *msgid,
              gpointer    user_data)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "seed", msgid);
}

static GBytes *
lookup_seed (const char  *name,
             GError     **error)
{
  g_autofree char *resource = g_strconcat (SEED_PATH, name, NULL);
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;

  bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_SEED,
                 _("The shipped defaults “%s” could not be read: %s"),
                 name, local_error->message);

  return bytes;
}

static gboolean
seed_error (GError     **error,
            GError      *parse_error)
{
  g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_SEED,
               _("The shipped defaults are damaged: %s"), parse_error->message);
  return FALSE;
}

void
esc_workspace_seed_free (EscWorkspaceSeed *seed)
{
  if (seed == NULL)
    return;

  g_clear_pointer (&seed->parties, g_ptr_array_unref);
  g_clear_pointer (&seed->responsibilities, g_ptr_array_unref);
  g_clear_pointer (&seed->routing_rules, g_ptr_array_unref);
  g_clear_pointer (&seed->severities, g_ptr_array_unref);
  g_free (seed);
}

/**
 * esc_workspace_seed_load:
 * @error: return location for a #GError
 *
 * Reads and parses the three seed documents, translated with the
 * application's catalog into the current locale.
 *
 * Returns: (transfer full): the defaults, or %NULL with ESC_STORE_ERROR_SEED
 */
EscWorkspaceSeed *
esc_workspace_seed_load (GError **error)
{
  g_autoptr(EscWorkspaceSeed) seed = g_new0 (EscWorkspaceSeed, 1);
  g_autoptr(GBytes) roles = NULL;
  g_autoptr(GBytes) routing = NULL;
  g_autoptr(GBytes) severities = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!(roles = lookup_seed ("roles.json", error)) ||
      !(routing = lookup_seed ("routing.json", error)) ||
      !(severities = lookup_seed ("severities.json", error)))
    return NULL;

  if (!(seed->parties = esc_seed_parse_parties (roles, translate_cb, NULL, &local_error)) ||
      !(seed->responsibilities = esc_seed_parse_responsibilities (roles, translate_cb, NULL,
                                                                  &local_error)) ||
      !(seed->routing_rules = esc_seed_parse_routing_rules (routing, translate_cb, NULL,
                                                            &local_error)) ||
      !(seed->severities = esc_seed_parse_severities (severities, translate_cb, NULL,
                                                      &local_error)))
    {
      seed_error (error, local_error);
      return NULL;
    }

  return g_steal_pointer (&seed);
}

static gboolean
write_parties (sqlite3      *db,
               const char   *path,
               GPtrArray    *parties,
               GError      **error)
{
  g_autoptr(sqlite3_stmt) party_stmt = NULL;

  if (!esc_store_prepare (db, path,
                          "INSERT INTO parties (id, position, name, summary) "
                          "VALUES (?1, ?2, ?3, ?4)",
                          &party_stmt, error))
    return FALSE;

  for (guint i = 0; i < parties->len; i++)
    {
      EscParty *party = g_ptr_array_index (parties, i);

      sqlite3_reset (party_stmt);
      sqlite3_bind_text (party_stmt, 1, esc_party_get_id (party), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (party_stmt, 2, (int)i);
      sqlite3_bind_text (party_stmt, 3, esc_party_get_name (party), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (party_stmt, 4, esc_party_get_summary (party), -1, SQLITE_TRANSIENT);
      if (!esc_store_step_done (db, path, party_stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_workspace_write_responsibility_details:
 * @db: the connection, inside a transaction
 * @path: the workspace file, for messages
 * @item: the row
 * @id: its id in the file
 * @error: return location for a #GError
 *
 * Replaces the areas and RACI marks of the row @id with @item's.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_write_responsibility_details (sqlite3            *db,
                                            const char         *path,
                                            EscResponsibility  *item,
                                            gint64              id,
                                            GError            **error)
{
  g_autoptr(sqlite3_stmt) clear_areas = NULL;
  g_autoptr(sqlite3_stmt) clear_raci = NULL;
  g_autoptr(sqlite3_stmt) area_stmt = NULL;
  g_autoptr(sqlite3_stmt) raci_stmt = NULL;
  const char * const *areas = esc_responsibility_get_areas (item);
  g_auto(GStrv) marked = esc_responsibility_dup_raci_parties (item);

  if (!esc_store_prepare (db, path,
                          "DELETE FROM responsibility_areas WHERE responsibility_id = ?1",
                          &clear_areas, error) ||
      !esc_store_prepare (db, path,
                          "DELETE FROM responsibility_raci WHERE responsibility_id = ?1",
                          &clear_raci, error) ||
      !esc_store_prepare (db, path,
                          "INSERT INTO responsibility_areas (responsibility_id, position, text) "
                          "VALUES (?1, ?2, ?3)",
                          &area_stmt, error) ||
      !esc_store_prepare (db, path,
                          "INSERT INTO responsibility_raci (responsibility_id, party_id, letter) "
                          "VALUES (?1, ?2, ?3)",
                          &raci_stmt, error))
    return FALSE;

  sqlite3_bind_int64 (clear_areas, 1, id);
  sqlite3_bind_int64 (clear_raci, 1, id);
  if (!esc_store_step_done (db, path, clear_areas, error) ||
      !esc_store_step_done (db, path, clear_raci, error))
    return FALSE;

  for (guint i = 0; areas[i] != NULL; i++)
    {
      sqlite3_reset (area_stmt);
      sqlite3_bind_int64 (area_stmt, 1, id);
      sqlite3_bind_int (area_stmt, 2, (int)i);
      sqlite3_bind_text (area_stmt, 3, areas[i], -1, SQLITE_TRANSIENT);
      if (!esc_store_step_done (db, path, area_stmt, error))
        return FALSE;
    }

  for (guint i = 0; marked[i] != NULL; i++)
    {
      EscRaci raci = esc_responsibility_get_raci (item, marked[i]);

      sqlite3_reset (raci_stmt);
      sqlite3_bind_int64 (raci_stmt, 1, id);
      sqlite3_bind_text (raci_stmt, 2, marked[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (raci_stmt, 3, esc_raci_to_letter (raci), -1, SQLITE_STATIC);
      if (!esc_store_step_done (db, path, raci_stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_workspace_write_responsibility:
 * @db: the connection, inside a transaction
 * @path: the workspace file, for messages
 * @item: the row; its id is ignored
 * @position: its position within its party
 * @id: (out): the new row's id
 * @error: return location for a #GError
 *
 * Inserts one responsibility with its areas and RACI marks.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_write_responsibility (sqlite3            *db,
                                    const char         *path,
                                    EscResponsibility  *item,
                                    int                 position,
                                    gint64             *id,
                                    GError            **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!esc_store_prepare (db, path,
                          "INSERT INTO responsibilities (party_id, position, text) "
                          "VALUES (?1, ?2, ?3)",
                          &stmt, error))
    return FALSE;

  sqlite3_bind_text (stmt, 1, esc_responsibility_get_party_id (item), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, position);
  sqlite3_bind_text (stmt, 3, esc_responsibility_get_text (item), -1, SQLITE_TRANSIENT);
  if (!esc_store_step_done (db, path, stmt, error))
    return FALSE;
  *id = sqlite3_last_insert_rowid (db);

  return esc_workspace_write_responsibility_details (db, path, item, *id, error);
}

/**
 * esc_workspace_write_responsibilities:
 * @db: the connection, inside a transaction
 * @path: the workspace file, for messages
 * @items: (element-type EscResponsibility): the new rows, in order
 * @error: return location for a #GError
 *
 * Replaces every responsibility with @items (a RACI mark or a row naming a
 * party that is not in the workspace fails the whole call).
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_write_responsibilities (sqlite3     *db,
                                      const char  *path,
                                      GPtrArray   *items,
                                      GError     **error)
{
  g_autoptr(GHashTable) positions = g_hash_table_new (g_str_hash, g_str_equal);

  if (!esc_store_exec (db, path, "DELETE FROM responsibilities", error))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      EscResponsibility *item = g_ptr_array_index (items, i);
      const char *party_id = esc_responsibility_get_party_id (item);
      int position = GPOINTER_TO_INT (g_hash_table_lookup (positions, party_id));
      gint64 id;

      if (!esc_workspace_write_responsibility (db, path, item, position, &id, error))
        return FALSE;
      g_hash_table_insert (positions, (gpointer)party_id, GINT_TO_POINTER (position + 1));
    }

  return TRUE;
}

/**
 * esc_workspace_write_routing_rules:
 * @db: the connection, inside a transaction
 * @path: the workspace file, for messages
 * @rules: (element-type EscRoutingRule): the new rows, in order
 * @error: return location for a #GError
 *
 * Replaces every routing row with @rules.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_write_routing_rules (sqlite3      *db,
                                   const char   *path,
                                   GPtrArray    *rules,
                                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!esc_store_exec (db, path, "DELETE FROM routing_rules", error) ||
      !esc_store_prepare (db, path,
                          "INSERT INTO routing_rules "
                          "(id, position, problem, example, destination, team, action, "
                          " reach, reach_address, tiers) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          &stmt, error))
    return FALSE;

  for (guint i = 0; i < rules->len; i++)
    {
      EscRoutingRule *rule = g_ptr_array_index (rules, i);

      sqlite3_reset (stmt);
      esc_workspace_bind_routing_rule (stmt, rule);
      sqlite3_bind_int (stmt, 2, (int)i);
      if (!esc_store_step_done (db, path, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_workspace_bind_routing_rule:
 * @stmt: a statement whose parameters are ?1 id, ?3 problem, ?4 example,
 *   ?5 destination, ?6 team, ?7 action, ?8 reach, ?9 reach address, ?10 tiers
 * @rule: the row
 *
 * Binds every field of @rule but its position (?2).
 */
void
esc_workspace_bind_routing_rule (sqlite3_stmt   *stmt,
                                 EscRoutingRule *rule)
{
  EscRoutingDestination destination = esc_routing_rule_get_destination (rule);
  EscRoutingReach reach = esc_routing_rule_get_reach (rule);

  sqlite3_bind_text (stmt, 1, esc_routing_rule_get_id (rule), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, esc_routing_rule_get_problem (rule), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, esc_routing_rule_get_example (rule), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, esc_routing_destination_to_string (destination), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, esc_routing_rule_get_team (rule), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, esc_routing_rule_get_action (rule), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, esc_routing_reach_to_string (reach), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, esc_routing_rule_get_reach_address (rule), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 10, (int)esc_routing_rule_get_tiers (rule));
}

static gboolean
write_severities (sqlite3      *db,
                  const char   *path,
                  GPtrArray    *severities,
                  GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!esc_store_prepare (db, path,
                          "INSERT INTO severities "
                          "(letter, name, situation, initial_response_minutes, "
                          " update_cadence_minutes, coverage, downgrade) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          &stmt, error))
    return FALSE;

  for (guint i = 0; i < severities->len; i++)
    {
      EscSeverity *severity = g_ptr_array_index (severities, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, esc_severity_get_letter (severity), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, esc_severity_get_name (severity), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, esc_severity_get_situation (severity), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 4, esc_severity_get_initial_response_minutes (severity));
      sqlite3_bind_int64 (stmt, 5, esc_severity_get_update_cadence_minutes (severity));
      sqlite3_bind_text (stmt, 6, esc_severity_get_coverage (severity), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, esc_severity_get_downgrade (severity), -1, SQLITE_TRANSIENT);
      if (!esc_store_step_done (db, path, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_workspace_seed_write:
 * @db: the connection, inside a transaction
 * @path: the workspace file, for messages
 * @seed: the defaults
 * @error: return location for a #GError
 *
 * Replaces every row of the parties, responsibilities, routing_rules and
 * severities tables with @seed.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_seed_write (sqlite3           *db,
                          const char        *path,
                          EscWorkspaceSeed  *seed,
                          GError           **error)
{
  g_return_val_if_fail (!sqlite3_get_autocommit (db), FALSE);

  return esc_workspace_seed_write_roles (db, path, seed, error) &&
         esc_workspace_write_routing_rules (db, path, seed->routing_rules, error) &&
         esc_store_exec (db, path, "DELETE FROM severities;", error) &&
         write_severities (db, path, seed->severities, error);
}

/**
 * esc_workspace_seed_write_roles:
 * @db: the connection, inside a transaction
 * @path: the workspace file, for messages
 * @seed: the defaults
 * @error: return location for a #GError
 *
 * Replaces the parties and their responsibilities with @seed's.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_seed_write_roles (sqlite3           *db,
                                const char        *path,
                                EscWorkspaceSeed  *seed,
                                GError           **error)
{
  g_return_val_if_fail (!sqlite3_get_autocommit (db), FALSE);

  /* Deleting the parties deletes their responsibilities, areas and marks */
  return esc_store_exec (db, path, "DELETE FROM parties;", error) &&
         write_parties (db, path, seed->parties, error) &&
         esc_workspace_write_responsibilities (db, path, seed->responsibilities, error);
}
