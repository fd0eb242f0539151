/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "esc-seed.h"
#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

/* The roles and routing matrices in a real workspace file: a file of schema 3
 * migrates with its rows, every edit is kept on disk, reset gives back the
 * source's rows and a bad import changes nothing. */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-matrix-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "ws.sqlite3", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
exec_file (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s", message);
  sqlite3_close (db);
}

static gpointer
item (GListModel *model,
      guint       position)
{
  gpointer object = g_list_model_get_item (model, position);

  g_assert_nonnull (object);
  g_object_unref (object);  /* the model keeps its own reference */
  // cppcheck-suppress deallocret ; the model still holds the item, borrowed here
  return object;
}

static GPtrArray *
shipped_responsibilities (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  bytes = g_resources_lookup_data (RESOURCE_PREFIX "/seed/roles.json", 0, &error);
  g_assert_no_error (error);
  items = esc_seed_parse_responsibilities (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
assert_source_roles (EscWorkspace *workspace)
{
  g_autoptr(GPtrArray) expected = shipped_responsibilities ();
  GListModel *model = esc_workspace_get_responsibilities (workspace);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_true (esc_responsibility_equal (item (model, i), g_ptr_array_index (expected, i)));
}

/* A file an older Escalade wrote (schema 3) with its own rows */
static void
test_migrate_from_3 (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *responsibilities;
  GListModel *rules;
  EscResponsibility *r;
  EscRoutingRule *rule;

  esc_workspace_create_at_version (fixture->path, 3, &error);
  g_assert_no_error (error);
  exec_file (fixture->path,
             "INSERT INTO settings VALUES ('seed-version', '1');"
             "INSERT INTO parties VALUES ('support-provider', 0, 'Support provider', NULL);"
             "INSERT INTO parties VALUES ('it-admin', 1, 'IT administrator', NULL);"
             "INSERT INTO responsibilities VALUES ('it-admin', 0, 'Admin one');"
             "INSERT INTO responsibilities VALUES ('support-provider', 1, 'Provider two');"
             "INSERT INTO responsibilities VALUES ('support-provider', 0, 'Provider one');"
             "INSERT INTO routing_rules VALUES ('hw', 0, 'Hardware', NULL, 'hardware-vendor', 'OEM', NULL);"
             "INSERT INTO routing_rules VALUES ('ops', 1, 'Service', 'e.g.', 'operations', 'Ops', 'File');"
             "INSERT INTO routing_rules VALUES ('other', 2, 'Other', NULL, 'existing-channel', 'Unified', NULL);");

  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_workspace_get_schema_version (workspace), ==, 4);

  responsibilities = esc_workspace_get_responsibilities (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (responsibilities), ==, 3);
  r = item (responsibilities, 0);
  g_assert_cmpstr (esc_responsibility_get_text (r), ==, "Provider one");
  g_assert_cmpint (esc_responsibility_get_raci (r, "support-provider"), ==, ESC_RACI_RESPONSIBLE);
  g_assert_cmpint (esc_responsibility_get_raci (r, "it-admin"), ==, ESC_RACI_NONE);
  g_assert_cmpstr (esc_responsibility_get_text (item (responsibilities, 1)), ==, "Provider two");
  r = item (responsibilities, 2);
  g_assert_cmpstr (esc_responsibility_get_party_id (r), ==, "it-admin");
  g_assert_cmpint (esc_responsibility_get_raci (r, "it-admin"), ==, ESC_RACI_RESPONSIBLE);

  rules = esc_workspace_get_routing_rules (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 3);
  rule = item (rules, 0);
  g_assert_cmpstr (esc_routing_rule_get_id (rule), ==, "hw");
  g_assert_cmpuint (esc_routing_rule_get_tiers (rule), ==, ESC_SUPPORT_TIER_ALL);
  g_assert_cmpint (esc_routing_rule_get_reach (rule), ==, ESC_ROUTING_REACH_NONE);
  rule = item (rules, 1);
  g_assert_cmpstr (esc_routing_rule_get_action (rule), ==, "File");
  g_assert_cmpuint (esc_routing_rule_get_tiers (rule), ==, ESC_SUPPORT_TIER_ESCALATION_TEAM);
  g_assert_cmpuint (esc_routing_rule_get_tiers (item (rules, 2)), ==,
                    ESC_SUPPORT_TIER_2 | ESC_SUPPORT_TIER_ESCALATION_TEAM);

  /* The migrated file takes the new rows */
  g_assert_true (esc_workspace_reset_roles (workspace, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (esc_workspace_get_parties (workspace)), ==, 3);
  assert_source_roles (workspace);

  g_assert_finalize_object (g_steal_pointer (&workspace));
}

static void
test_edit_roles (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscResponsibility) added = NULL;
  g_autoptr(EscResponsibility) edited = NULL;
  g_autoptr(GError) error = NULL;
  const char * const areas[] = { "Printers", "Scanners", NULL };
  GListModel *model;
  guint n_items;
  gint64 first_admin_id;

  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  model = esc_workspace_get_responsibilities (workspace);
  n_items = g_list_model_get_n_items (model);
  assert_source_roles (workspace);

  /* Add: at the end of its party's rows, before the next party's */
  added = esc_responsibility_new (0, "support-provider", "Keep the printer queue clear", areas);
  esc_responsibility_set_raci (added, "support-provider", ESC_RACI_RESPONSIBLE);
  esc_responsibility_set_raci (added, "service-provider", ESC_RACI_INFORMED);
  g_assert_true (esc_workspace_add_responsibility (workspace, added, &error));
  g_assert_no_error (error);
  g_assert_cmpint (esc_responsibility_get_id (added), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items + 1);
  g_assert_true (esc_responsibility_equal (item (model, 4), added));
  g_assert_cmpstr (esc_responsibility_get_party_id (item (model, 5)), ==, "it-admin");

  /* Edit: the RACI marks and the areas */
  edited = esc_responsibility_copy (item (model, 4));
  esc_responsibility_set_raci (edited, "it-admin", ESC_RACI_ACCOUNTABLE);
  esc_responsibility_set_raci (edited, "service-provider", ESC_RACI_NONE);
  esc_responsibility_set_text (edited, "Keep the printer queues clear");
  g_assert_true (esc_workspace_update_responsibility (workspace, edited, &error));
  g_assert_no_error (error);
  g_assert_true (esc_responsibility_equal (item (model, 4), edited));
  g_assert_cmpint (esc_responsibility_get_id (item (model, 4)), ==, esc_responsibility_get_id (edited));

  /* Move: up one place within the party, and not past the first */
  g_assert_true (esc_workspace_move_responsibility (workspace, esc_responsibility_get_id (edited),
                                                    -1, &error));
  g_assert_cmpstr (esc_responsibility_get_text (item (model, 3)), ==, "Keep the printer queues clear");
  g_assert_true (esc_workspace_move_responsibility (workspace, esc_responsibility_get_id (edited),
                                                    -10, &error));
  g_assert_cmpstr (esc_responsibility_get_text (item (model, 0)), ==, "Keep the printer queues clear");

  /* Move to another party: the end of its rows */
  esc_responsibility_set_party_id (edited, "service-provider");
  g_assert_true (esc_workspace_update_responsibility (workspace, edited, &error));
  g_assert_true (esc_responsibility_equal (item (model, n_items), edited));

  /* Remove */
  first_admin_id = esc_responsibility_get_id (item (model, 4));
  g_assert_true (esc_workspace_remove_responsibility (workspace, first_admin_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
  g_assert_false (esc_workspace_remove_responsibility (workspace, first_admin_id, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* An empty text or an unknown party is refused and changes nothing */
  esc_responsibility_set_text (edited, "   ");
  g_assert_false (esc_workspace_update_responsibility (workspace, edited, &error));
  g_clear_error (&error);
  esc_responsibility_set_text (edited, "Fine");
  esc_responsibility_set_party_id (edited, "nobody");
  g_assert_false (esc_workspace_update_responsibility (workspace, edited, &error));
  g_clear_error (&error);

  /* Everything is on disk */
  g_assert_finalize_object (g_steal_pointer (&workspace));
  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  model = esc_workspace_get_responsibilities (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
  esc_responsibility_set_text (edited, "Keep the printer queues clear");
  esc_responsibility_set_party_id (edited, "service-provider");
  g_assert_true (esc_responsibility_equal (item (model, n_items - 1), edited));

  /* Reset restores the source's rows */
  g_assert_true (esc_workspace_reset_roles (workspace, &error));
  g_assert_no_error (error);
  assert_source_roles (workspace);

  g_assert_finalize_object (g_steal_pointer (&workspace));
}

static void
test_edit_routing (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscRoutingRule) printers = NULL;
  g_autoptr(EscRoutingRule) edited = NULL;
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) seeded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GListModel *rules;

  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  rules = esc_workspace_get_routing_rules (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (seeded, g_object_ref (item (rules, i)));
  g_assert_cmpint (esc_routing_rule_get_reach (item (rules, 0)), ==, ESC_ROUTING_REACH_PORTAL);
  g_assert_cmpuint (esc_routing_rule_get_tiers (item (rules, 0)), ==, ESC_SUPPORT_TIER_ESCALATION_TEAM);

  printers = esc_routing_rule_new_full ("printers", "Printers", "Queues, drivers",
                                        ESC_ROUTING_DESTINATION_ORGANISATION_TEAM, "Print team",
                                        "Say which floor", ESC_ROUTING_REACH_EMAIL,
                                        "print@example.org", ESC_SUPPORT_TIER_1);
  g_assert_true (esc_workspace_add_routing_rule (workspace, printers, &error));
  g_assert_no_error (error);
  g_assert_true (esc_routing_rule_equal (item (rules, 3), printers));
  g_assert_false (esc_workspace_add_routing_rule (workspace, printers, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_clear_error (&error);

  edited = esc_routing_rule_new_full ("printers", "Printers and scanners", NULL,
                                      ESC_ROUTING_DESTINATION_ORGANISATION_TEAM, "Print team", NULL,
                                      ESC_ROUTING_REACH_PHONE, "+33 1 23 45 67 89",
                                      ESC_SUPPORT_TIER_1 | ESC_SUPPORT_TIER_2);
  g_assert_true (esc_workspace_update_routing_rule (workspace, edited, &error));
  g_assert_no_error (error);
  g_assert_true (esc_routing_rule_equal (item (rules, 3), edited));

  g_assert_true (esc_workspace_move_routing_rule (workspace, "printers", -2, &error));
  g_assert_cmpstr (esc_routing_rule_get_id (item (rules, 1)), ==, "printers");
  g_assert_cmpstr (esc_routing_rule_get_id (item (rules, 3)), ==, "other");

  /* An import with a bad row changes nothing */
  g_ptr_array_add (bad, g_object_ref (printers));
  g_ptr_array_add (bad, esc_routing_rule_new ("empty", "", NULL, ESC_ROUTING_DESTINATION_OPERATIONS,
                                              "Ops", NULL));
  g_assert_false (esc_workspace_replace_routing_rules (workspace, bad, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 4);

  g_assert_true (esc_workspace_remove_routing_rule (workspace, "printers", &error));
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 3);

  g_assert_finalize_object (g_steal_pointer (&workspace));
  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  rules = esc_workspace_get_routing_rules (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (rules), ==, 3);

  /* Reset after an edit gives back the source's rows */
  g_assert_true (esc_workspace_move_routing_rule (workspace, "other", -2, &error));
  g_assert_true (esc_workspace_reset_routing (workspace, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    g_assert_true (esc_routing_rule_equal (item (rules, i), g_ptr_array_index (seeded, i)));

  g_assert_finalize_object (g_steal_pointer (&workspace));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/matrix/migrate-from-3", Fixture, NULL, fixture_set_up, test_migrate_from_3,
              fixture_tear_down);
  g_test_add ("/store/matrix/edit-roles", Fixture, NULL, fixture_set_up, test_edit_roles,
              fixture_tear_down);
  g_test_add ("/store/matrix/edit-routing", Fixture, NULL, fixture_set_up, test_edit_routing,
              fixture_tear_down);

  return g_test_run ();
}
