/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

/* The roles and routing matrices, row by row: add, edit, move, remove,
 * replace (an import) and reset to the source's defaults. */

GPtrArray *
esc_workspace_load_responsibilities (gpointer   user_data,
                                     GError   **error)
{
  EscWorkspace *self = user_data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) areas_stmt = NULL;
  g_autoptr(sqlite3_stmt) raci_stmt = NULL;
  int rc;

  if (!esc_store_prepare (db, path,
                          "SELECT r.id, r.party_id, r.text FROM responsibilities r "
                          "JOIN parties p ON p.id = r.party_id "
                          "ORDER BY p.position, p.id, r.position, r.id",
                          &stmt, error) ||
      !esc_store_prepare (db, path,
                          "SELECT responsibility_id, text FROM responsibility_areas "
                          "ORDER BY responsibility_id, position",
                          &areas_stmt, error) ||
      !esc_store_prepare (db, path,
                          "SELECT x.responsibility_id, x.party_id, x.letter "
                          "FROM responsibility_raci x JOIN parties p ON p.id = x.party_id "
                          "ORDER BY x.responsibility_id, p.position",
                          &raci_stmt, error))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EscResponsibility *item =
        esc_responsibility_new (sqlite3_column_int64 (stmt, 0),
                                (const char *)sqlite3_column_text (stmt, 1),
                                (const char *)sqlite3_column_text (stmt, 2),
                                NULL);
      gint64 *key = g_new (gint64, 1);

      *key = esc_responsibility_get_id (item);
      g_ptr_array_add (items, item);
      g_hash_table_insert (by_id, key, item);
    }
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path), NULL;

  {
    g_autoptr(GPtrArray) areas = g_ptr_array_new_with_free_func (g_free);
    gint64 current = 0;

    for (;;)
      {
        gint64 id = 0;

        rc = sqlite3_step (areas_stmt);
        if (rc == SQLITE_ROW)
          id = sqlite3_column_int64 (areas_stmt, 0);
        if ((rc != SQLITE_ROW || id != current) && areas->len > 0)
          {
            EscResponsibility *item = g_hash_table_lookup (by_id, &current);

            g_ptr_array_add (areas, NULL);
            if (item != NULL)
              esc_responsibility_set_areas (item, (const char * const *)areas->pdata);
            g_ptr_array_set_size (areas, 0);
          }
        if (rc != SQLITE_ROW)
          break;
        current = id;
        g_ptr_array_add (areas, g_strdup ((const char *)sqlite3_column_text (areas_stmt, 1)));
      }
    if (rc != SQLITE_DONE)
      return esc_store_set_sqlite_error (error, db, rc, path), NULL;
  }

  while ((rc = sqlite3_step (raci_stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (raci_stmt, 0);
      EscResponsibility *item = g_hash_table_lookup (by_id, &id);
      EscRaci raci;

      if (item != NULL &&
          esc_raci_from_letter ((const char *)sqlite3_column_text (raci_stmt, 2), &raci))
        esc_responsibility_set_raci (item, (const char *)sqlite3_column_text (raci_stmt, 1), raci);
    }
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path), NULL;

  return g_steal_pointer (&items);
}

static gboolean
no_such_row (GError     **error,
             const char  *what)
{
  g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
               _("“%s” is not in the workspace: it may have been removed or reset meanwhile."),
               what);
  return FALSE;
}

static gboolean
check_party (sqlite3     *db,
             const char  *path,
             const char  *party_id,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!esc_store_prepare (db, path, "SELECT 1 FROM parties WHERE id = ?1", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, party_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path);

  return no_such_row (error, party_id);
}

static gboolean
next_position (sqlite3     *db,
               const char  *path,
               const char  *party_id,
               int         *position,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!esc_store_prepare (db, path,
                          "SELECT coalesce (max (position) + 1, 0) FROM responsibilities "
                          "WHERE party_id = ?1",
                          &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, party_id, -1, SQLITE_TRANSIENT);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return esc_store_set_sqlite_error (error, db, rc, path);
  *position = sqlite3_column_int (stmt, 0);

  return TRUE;
}

/* Runs @body inside one transaction with an audit row, then reloads the models. */
typedef gboolean (*Body) (EscWorkspace *self,
                          gpointer      data,
                          GError      **error);

static gboolean
in_transaction (EscWorkspace  *self,
                const char    *what,
                const char    *detail,
                gboolean       roles,
                Body           body,
                gpointer       data,
                GError       **error)
{
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);

  if (!esc_store_begin (db, path, error))
    return FALSE;

  if (!body (self, data, error) ||
      !esc_store_audit (db, path, what, detail, error) ||
      !esc_store_commit (db, path, error))
    {
      esc_store_rollback (db);
      return FALSE;
    }

  return esc_workspace_reload_matrices (self, roles, !roles, error);
}

static gboolean
check_responsibility (EscResponsibility  *item,
                      GError            **error)
{
  g_autofree char *text = g_strstrip (g_strdup (esc_responsibility_get_text (item)));

  if (*text == '\0')
    {
      g_set_error_literal (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                           _("A responsibility needs a text."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_body (EscWorkspace  *self,
          gpointer       data,
          GError       **error)
{
  EscResponsibility *item = data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  int position = 0;
  gint64 id;

  if (!check_party (db, path, esc_responsibility_get_party_id (item), error) ||
      !next_position (db, path, esc_responsibility_get_party_id (item), &position, error) ||
      !esc_workspace_write_responsibility (db, path, item, position, &id, error))
    return FALSE;

  esc_responsibility_set_id (item, id);
  return TRUE;
}

/**
 * esc_workspace_add_responsibility:
 * @self: a #EscWorkspace
 * @item: the new row, at the end of its party's; its id is set
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_add_responsibility (EscWorkspace       *self,
                                  EscResponsibility  *item,
                                  GError            **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (item), FALSE);

  if (!check_responsibility (item, error))
    return FALSE;

  return in_transaction (self, "add-responsibility", esc_responsibility_get_party_id (item), TRUE,
                         add_body, item, error);
}

gboolean
esc_workspace_delete_responsibility_row (EscWorkspace  *self,
                                         gint64         id,
                                         GError       **error)
{
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!esc_store_prepare (db, path, "DELETE FROM responsibilities WHERE id = ?1", &stmt, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!esc_store_step_done (db, path, stmt, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_autofree char *what = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      return no_such_row (error, what);
    }

  return TRUE;
}

static gboolean
update_body (EscWorkspace  *self,
             gpointer       data,
             GError       **error)
{
  EscResponsibility *item = data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *old_party = NULL;
  int position = 0;
  int rc;

  if (!check_party (db, path, esc_responsibility_get_party_id (item), error) ||
      !esc_store_prepare (db, path,
                          "SELECT party_id, position FROM responsibilities WHERE id = ?1",
                          &stmt, error))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, esc_responsibility_get_id (item));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return no_such_row (error, esc_responsibility_get_text (item));
  if (rc != SQLITE_ROW)
    return esc_store_set_sqlite_error (error, db, rc, path);
  old_party = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  position = sqlite3_column_int (stmt, 1);

  if (!g_str_equal (old_party, esc_responsibility_get_party_id (item)) &&
      !next_position (db, path, esc_responsibility_get_party_id (item), &position, error))
    return FALSE;

  {
    g_autoptr(sqlite3_stmt) update = NULL;

    if (!esc_store_prepare (db, path,
                            "UPDATE responsibilities SET party_id = ?2, position = ?3, text = ?4 "
                            "WHERE id = ?1",
                            &update, error))
      return FALSE;
    sqlite3_bind_int64 (update, 1, esc_responsibility_get_id (item));
    sqlite3_bind_text (update, 2, esc_responsibility_get_party_id (item), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int (update, 3, position);
    sqlite3_bind_text (update, 4, esc_responsibility_get_text (item), -1, SQLITE_TRANSIENT);
    if (!esc_store_step_done (db, path, update, error))
      return FALSE;
  }

  return esc_workspace_write_responsibility_details (db, path, item,
                                                     esc_responsibility_get_id (item), error);
}

/**
 * esc_workspace_update_responsibility:
 * @self: a #EscWorkspace
 * @item: the edited row; its id says which
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_update_responsibility (EscWorkspace       *self,
                                     EscResponsibility  *item,
                                     GError            **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (item), FALSE);

  if (!check_responsibility (item, error))
    return FALSE;

  detail = g_strdup_printf ("%" G_GINT64_FORMAT, esc_responsibility_get_id (item));
  return in_transaction (self, "update-responsibility", detail, TRUE, update_body, item, error);
}

typedef struct
{
  const char *table;
  const char *group;   /* the column that groups the rows, or NULL */
  const char *id_text;
  gint64      id;
  int         delta;
} Move;

/* Renumbers the rows of the group and moves one of them; the positions become 0, 1, 2… */
static gboolean
move_body (EscWorkspace  *self,
           gpointer       data,
           GError       **error)
{
  Move *move = data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *select_sql = NULL;
  g_autofree char *update_sql = NULL;
  int from = -1;
  int to;
  int rc;

  if (move->group != NULL)
    select_sql = g_strdup_printf ("SELECT id FROM %s WHERE %s = (SELECT %s FROM %s WHERE id = ?1) "
                                  "ORDER BY position, id",
                                  move->table, move->group, move->group, move->table);
  else
    select_sql = g_strdup_printf ("SELECT id FROM %s ORDER BY position, id", move->table);
  update_sql = g_strdup_printf ("UPDATE %s SET position = ?2 WHERE id = ?1", move->table);

  if (!esc_store_prepare (db, path, select_sql, &select, error) ||
      !esc_store_prepare (db, path, update_sql, &update, error))
    return FALSE;

  if (move->id_text != NULL)
    sqlite3_bind_text (select, 1, move->id_text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (select, 1, move->id);

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *key = (const char *)sqlite3_column_text (select, 0);
      gboolean is_it = move->id_text != NULL ? g_str_equal (key, move->id_text)
                                             : sqlite3_column_int64 (select, 0) == move->id;

      if (is_it)
        from = (int)keys->len;
      g_ptr_array_add (keys, g_strdup (key));
    }
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path);
  if (from < 0)
    return no_such_row (error, move->id_text != NULL ? move->id_text : "");

  to = CLAMP (from + move->delta, 0, (int)keys->len - 1);
  if (to != from)
    {
      char *key = g_ptr_array_steal_index (keys, (guint)from);
      g_ptr_array_insert (keys, to, key);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      sqlite3_reset (update);
      sqlite3_bind_text (update, 1, g_ptr_array_index (keys, i), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (update, 2, (int)i);
      if (!esc_store_step_done (db, path, update, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_workspace_move_responsibility:
 * @self: a #EscWorkspace
 * @id: the row
 * @delta: places to move: negative is up
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success (moving past the first or last place stops there)
 */
gboolean
esc_workspace_move_responsibility (EscWorkspace  *self,
                                   gint64         id,
                                   int            delta,
                                   GError       **error)
{
  Move move = { "responsibilities", "party_id", NULL, id, delta };
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT " %+d", id, delta);

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);

  return in_transaction (self, "move-responsibility", detail, TRUE, move_body, &move, error);
}

static gboolean
remove_body (EscWorkspace  *self,
             gpointer       data,
             GError       **error)
{
  return esc_workspace_delete_responsibility_row (self, *(gint64 *)data, error);
}

gboolean
esc_workspace_remove_responsibility (EscWorkspace  *self,
                                     gint64         id,
                                     GError       **error)
{
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);

  return in_transaction (self, "remove-responsibility", detail, TRUE, remove_body, &id, error);
}

static gboolean
replace_roles_body (EscWorkspace  *self,
                    gpointer       data,
                    GError       **error)
{
  GPtrArray *items = data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);

  for (guint i = 0; i < items->len; i++)
    {
      if (!check_responsibility (g_ptr_array_index (items, i), error) ||
          !check_party (db, path, esc_responsibility_get_party_id (g_ptr_array_index (items, i)),
                        error))
        return FALSE;
    }

  return esc_workspace_write_responsibilities (db, path, items, error);
}

gboolean
esc_workspace_replace_responsibilities (EscWorkspace  *self,
                                        GPtrArray     *items,
                                        GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (items != NULL, FALSE);

  return in_transaction (self, "import-responsibilities", NULL, TRUE, replace_roles_body, items,
                         error);
}

static gboolean
reset_roles_body (EscWorkspace  *self,
                  gpointer       data,
                  GError       **error)
{
  g_autoptr(EscWorkspaceSeed) seed = esc_workspace_seed_load (error);

  return seed != NULL &&
         esc_workspace_seed_write_roles (esc_workspace_get_connection (self),
                                         esc_workspace_get_path (self), seed, error);
}

gboolean
esc_workspace_reset_roles (EscWorkspace  *self,
                           GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);

  return in_transaction (self, "reset-roles", NULL, TRUE, reset_roles_body, NULL, error);
}

static gboolean
check_rule (EscRoutingRule  *rule,
            GError         **error)
{
  const char *problem = esc_routing_rule_get_problem (rule);
  const char *team = esc_routing_rule_get_team (rule);

  if (problem == NULL || *problem == '\0' || team == NULL || *team == '\0')
    {
      g_set_error_literal (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                           _("A routing row needs a category and a team."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_rule_body (EscWorkspace  *self,
               gpointer       data,
               GError       **error)
{
  EscRoutingRule *rule = data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 position;
  int rc;

  if (!esc_store_query_int (db, path, "SELECT coalesce (max (position) + 1, 0) FROM routing_rules",
                            &position, error) ||
      !esc_store_prepare (db, path,
                          "INSERT INTO routing_rules "
                          "(id, position, problem, example, destination, team, action, "
                          " reach, reach_address, tiers) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                          &stmt, error))
    return FALSE;

  esc_workspace_bind_routing_rule (stmt, rule);
  sqlite3_bind_int64 (stmt, 2, position);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                   _("The routing matrix already has a row “%s”."), esc_routing_rule_get_id (rule));
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return esc_store_set_sqlite_error (error, db, rc, path);

  return TRUE;
}

/**
 * esc_workspace_add_routing_rule:
 * @self: a #EscWorkspace
 * @rule: the new row, appended; its id must be new
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_add_routing_rule (EscWorkspace    *self,
                                EscRoutingRule  *rule,
                                GError         **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (ESC_IS_ROUTING_RULE (rule), FALSE);

  if (!check_rule (rule, error))
    return FALSE;

  return in_transaction (self, "add-routing-rule", esc_routing_rule_get_id (rule), FALSE,
                         add_rule_body, rule, error);
}

gboolean
esc_workspace_move_routing_rule (EscWorkspace  *self,
                                 const char    *id,
                                 int            delta,
                                 GError       **error)
{
  Move move = { "routing_rules", NULL, id, 0, delta };

  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return in_transaction (self, "move-routing-rule", id, FALSE, move_body, &move, error);
}

static gboolean
remove_rule_body (EscWorkspace  *self,
                  gpointer       data,
                  GError       **error)
{
  const char *id = data;
  sqlite3 *db = esc_workspace_get_connection (self);
  const char *path = esc_workspace_get_path (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!esc_store_prepare (db, path, "DELETE FROM routing_rules WHERE id = ?1", &stmt, error))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!esc_store_step_done (db, path, stmt, error))
    return FALSE;

  return sqlite3_changes (db) > 0 || no_such_row (error, id);
}

gboolean
esc_workspace_remove_routing_rule (EscWorkspace  *self,
                                   const char    *id,
                                   GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return in_transaction (self, "remove-routing-rule", id, FALSE, remove_rule_body, (gpointer)id,
                         error);
}

static gboolean
replace_rules_body (EscWorkspace  *self,
                    gpointer       data,
                    GError       **error)
{
  GPtrArray *rules = data;

  for (guint i = 0; i < rules->len; i++)
    {
      if (!check_rule (g_ptr_array_index (rules, i), error))
        return FALSE;
    }

  return esc_workspace_write_routing_rules (esc_workspace_get_connection (self),
                                            esc_workspace_get_path (self), rules, error);
}

gboolean
esc_workspace_replace_routing_rules (EscWorkspace  *self,
                                     GPtrArray     *rules,
                                     GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  return in_transaction (self, "import-routing-rules", NULL, FALSE, replace_rules_body, rules,
                         error);
}

static gboolean
reset_routing_body (EscWorkspace  *self,
                    gpointer       data,
                    GError       **error)
{
  g_autoptr(EscWorkspaceSeed) seed = esc_workspace_seed_load (error);

  return seed != NULL &&
         esc_workspace_write_routing_rules (esc_workspace_get_connection (self),
                                            esc_workspace_get_path (self), seed->routing_rules,
                                            error);
}

gboolean
esc_workspace_reset_routing (EscWorkspace  *self,
                             GError       **error)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (self), FALSE);

  return in_transaction (self, "reset-routing", NULL, FALSE, reset_routing_body, NULL, error);
}
