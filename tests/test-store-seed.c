/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "esc-seed.h"
#include "esc-workspace.h"

/* The seeded defaults say what the source page says: the roles matrix, the
 * routing table and the severity definitions, in English and in French. */

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if ((dir = g_dir_open (path, 0, NULL)))
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

/* Opens a fresh workspace in a new temporary folder; *dir is to be removed. */
static EscWorkspace *
open_fresh (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  EscWorkspace *workspace;

  *dir = g_dir_make_tmp ("escalade-seed-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (*dir, "ws.sqlite3", NULL);

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (workspace);

  return workspace;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  /* The workspace keeps a reference, so borrowing is safe within a test. */
  g_autoptr(GObject) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  return item;
}

static gboolean
strv_contains_substring (const char * const *strv,
                         const char         *needle)
{
  for (guint i = 0; strv[i] != NULL; i++)
    if (strstr (strv[i], needle) != NULL)
      return TRUE;

  return FALSE;
}

static void
assert_numbers (GListModel *severities)
{
  static const struct {
    const char *letter;
    guint initial_response_minutes;
    guint update_cadence_minutes;
  } expected[] = {
    { "A", 60, 60 },
    { "B", 240, 720 },
    { "C", 480, 1440 },
  };

  g_assert_cmpuint (g_list_model_get_n_items (severities), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      EscSeverity *severity = get_item (severities, i);

      g_assert_cmpstr (esc_severity_get_letter (severity), ==, expected[i].letter);
      g_assert_cmpuint (esc_severity_get_initial_response_minutes (severity), ==,
                        expected[i].initial_response_minutes);
      g_assert_cmpuint (esc_severity_get_update_cadence_minutes (severity), ==,
                        expected[i].update_cadence_minutes);
    }
}

static void
assert_shape (EscWorkspace *workspace)
{
  static const struct {
    const char *id;
    guint n_responsibilities;
  } parties[] = {
    { "support-provider", 4 },
    { "it-admin", 5 },
    { "service-provider", 4 },
  };
  static const struct {
    const char *id;
    EscRoutingDestination destination;
  } rules[] = {
    { "service-specific", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "hardware", ESC_ROUTING_DESTINATION_HARDWARE_VENDOR },
    { "other", ESC_ROUTING_DESTINATION_EXISTING_CHANNEL },
  };
  GListModel *model;

  model = esc_workspace_get_parties (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (parties));
  for (guint i = 0; i < G_N_ELEMENTS (parties); i++)
    {
      EscParty *party = get_item (model, i);

      g_assert_cmpstr (esc_party_get_id (party), ==, parties[i].id);
      g_assert_cmpuint (g_strv_length ((GStrv)esc_party_get_responsibilities (party)), ==,
                        parties[i].n_responsibilities);
      g_assert_nonnull (esc_party_get_summary (party));
    }

  model = esc_workspace_get_routing_rules (workspace);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (rules));
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      EscRoutingRule *rule = get_item (model, i);

      g_assert_cmpstr (esc_routing_rule_get_id (rule), ==, rules[i].id);
      g_assert_cmpint (esc_routing_rule_get_destination (rule), ==, rules[i].destination);
    }

  assert_numbers (esc_workspace_get_severities (workspace));
}

static void
test_english (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(EscWorkspace) workspace = open_fresh (&dir);
  GListModel *parties = esc_workspace_get_parties (workspace);
  GListModel *rules = esc_workspace_get_routing_rules (workspace);
  GListModel *severities = esc_workspace_get_severities (workspace);
  const char * const *items;
  EscParty *party;
  EscRoutingRule *rule;
  EscSeverity *severity;

  assert_shape (workspace);

  party = get_item (parties, 0);
  g_assert_cmpstr (esc_party_get_name (party), ==, "Support provider");
  items = esc_party_get_responsibilities (party);
  g_assert_cmpstr (items[0], ==,
                   "Provide the user with all technical support and assistance "
                   "from first contact to resolution.");
  g_assert_true (g_str_has_prefix (items[1], "Meet all service level agreements for user support"));
  g_assert_nonnull (strstr (items[2], "requesting elevated device privileges"));
  g_assert_cmpstr (items[3], ==, "Troubleshoot and resolve user issues, including:");
  /* The last duty keeps its six areas as a list, as in the source */
  {
    GListModel *responsibilities = esc_workspace_get_responsibilities (workspace);
    EscResponsibility *last = get_item (responsibilities, 3);
    const char * const expected[] = {
      "Operating system (Windows)", "Microsoft 365 apps", "Browser features", "Device issues",
      "Infrastructure issues, such as printers, drivers and VPN", "Line-of-business apps", NULL
    };

    g_assert_cmpuint (g_list_model_get_n_items (responsibilities), ==, 13);
    g_assert_cmpstr (esc_responsibility_get_party_id (last), ==, "support-provider");
    g_assert_cmpstrv (esc_responsibility_get_areas (last), expected);
    g_assert_cmpint (esc_responsibility_get_raci (last, "support-provider"), ==, ESC_RACI_RESPONSIBLE);
    g_assert_cmpint (esc_responsibility_get_raci (last, "it-admin"), ==, ESC_RACI_ACCOUNTABLE);
    g_assert_cmpint (esc_responsibility_get_raci (last, "service-provider"), ==, ESC_RACI_CONSULTED);
  }
  g_assert_nonnull (strstr (esc_party_get_summary (party), "customer-led"));
  g_assert_nonnull (strstr (esc_party_get_summary (party), "partner-led"));

  party = get_item (parties, 1);
  g_assert_cmpstr (esc_party_get_name (party), ==, "IT administrator");
  items = esc_party_get_responsibilities (party);
  g_assert_true (strv_contains_substring (items, "define and manage service level agreements"));
  g_assert_true (strv_contains_substring (items, "elevated access privileges for approved support staff"));
  g_assert_true (strv_contains_substring (items, "admin support process"));
  g_assert_true (strv_contains_substring (items, "Route hardware-related issues to the appropriate vendor or OEM."));
  g_assert_true (strv_contains_substring (items, "Don’t change the policies"));

  party = get_item (parties, 2);
  g_assert_cmpstr (esc_party_get_name (party), ==, "Service provider");
  items = esc_party_get_responsibilities (party);
  g_assert_true (strv_contains_substring (items, "elevate access to devices and to file issues"));
  g_assert_true (strv_contains_substring (items, "roles and responsibilities up to date"));
  g_assert_true (strv_contains_substring (items, "according to the severity definitions"));
  g_assert_true (strv_contains_substring (items, "threat monitoring and mitigation for all enrolled devices every day"));

  rule = get_item (rules, 0);
  g_assert_nonnull (strstr (esc_routing_rule_get_example (rule),
                            "a policy or setting deployed by the service itself"));
  g_assert_nonnull (strstr (esc_routing_rule_get_action (rule), "support request"));
  rule = get_item (rules, 1);
  g_assert_nonnull (strstr (esc_routing_rule_get_action (rule), "hardware vendor or OEM"));
  rule = get_item (rules, 2);
  g_assert_nonnull (strstr (esc_routing_rule_get_action (rule), "Unified or a Premier subscription"));

  severity = get_item (severities, 0);
  g_assert_cmpstr (esc_severity_get_name (severity), ==, "Critical impact");
  g_assert_nonnull (strstr (esc_severity_get_downgrade (severity), "B"));
  severity = get_item (severities, 2);
  g_assert_cmpstr (esc_severity_get_name (severity), ==, "Minimal impact");

  g_clear_object (&workspace);
  rm_rf (dir);
}

/* What the workspace seeded equals what the shipped seed says, field by field. */
static void
test_matches_resource (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(EscWorkspace) workspace = open_fresh (&dir);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) parties = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_resources_lookup_data (RESOURCE_PREFIX "/seed/roles.json", 0, &error);
  g_assert_no_error (error);
  parties = esc_seed_parse_parties (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < parties->len; i++)
    {
      EscParty *expected = g_ptr_array_index (parties, i);
      EscParty *seeded = get_item (esc_workspace_get_parties (workspace), i);

      g_assert_cmpstr (esc_party_get_id (seeded), ==, esc_party_get_id (expected));
      g_assert_cmpstr (esc_party_get_name (seeded), ==, esc_party_get_name (expected));
      g_assert_cmpstr (esc_party_get_summary (seeded), ==, esc_party_get_summary (expected));
      g_assert_cmpstrv (esc_party_get_responsibilities (seeded),
                        esc_party_get_responsibilities (expected));
    }
  g_clear_pointer (&bytes, g_bytes_unref);

  bytes = g_resources_lookup_data (RESOURCE_PREFIX "/seed/routing.json", 0, &error);
  g_assert_no_error (error);
  rules = esc_seed_parse_routing_rules (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rules->len; i++)
    {
      EscRoutingRule *expected = g_ptr_array_index (rules, i);
      EscRoutingRule *seeded = get_item (esc_workspace_get_routing_rules (workspace), i);

      g_assert_cmpstr (esc_routing_rule_get_problem (seeded), ==,
                       esc_routing_rule_get_problem (expected));
      g_assert_cmpstr (esc_routing_rule_get_example (seeded), ==,
                       esc_routing_rule_get_example (expected));
      g_assert_cmpstr (esc_routing_rule_get_team (seeded), ==,
                       esc_routing_rule_get_team (expected));
      g_assert_cmpstr (esc_routing_rule_get_action (seeded), ==,
                       esc_routing_rule_get_action (expected));
    }

  g_clear_object (&workspace);
  rm_rf (dir);
}

/* Every seeded string of @workspace differs from its English original. */
static void
assert_all_translated (EscWorkspace *workspace)
{
  g_autoptr(GBytes) roles = g_resources_lookup_data (RESOURCE_PREFIX "/seed/roles.json", 0, NULL);
  g_autoptr(GBytes) routing = g_resources_lookup_data (RESOURCE_PREFIX "/seed/routing.json", 0, NULL);
  g_autoptr(GBytes) levels = g_resources_lookup_data (RESOURCE_PREFIX "/seed/severities.json", 0, NULL);
  g_autoptr(GPtrArray) parties = esc_seed_parse_parties (roles, NULL, NULL, NULL);
  g_autoptr(GPtrArray) rules = esc_seed_parse_routing_rules (routing, NULL, NULL, NULL);
  g_autoptr(GPtrArray) severities = esc_seed_parse_severities (levels, NULL, NULL, NULL);

#define ASSERT_TRANSLATED(english, seeded) \
  G_STMT_START { \
    if ((english) != NULL) \
      { \
        if (g_strcmp0 ((english), (seeded)) == 0) \
          g_error ("Not translated in po/fr.po: “%s”", (english)); \
      } \
  } G_STMT_END

  for (guint i = 0; i < parties->len; i++)
    {
      EscParty *english = g_ptr_array_index (parties, i);
      EscParty *seeded = get_item (esc_workspace_get_parties (workspace), i);
      const char * const *english_items = esc_party_get_responsibilities (english);
      const char * const *seeded_items = esc_party_get_responsibilities (seeded);

      ASSERT_TRANSLATED (esc_party_get_name (english), esc_party_get_name (seeded));
      ASSERT_TRANSLATED (esc_party_get_summary (english), esc_party_get_summary (seeded));
      g_assert_cmpuint (g_strv_length ((GStrv)english_items), ==,
                        g_strv_length ((GStrv)seeded_items));
      for (guint j = 0; english_items[j] != NULL; j++)
        ASSERT_TRANSLATED (english_items[j], seeded_items[j]);
    }

  for (guint i = 0; i < rules->len; i++)
    {
      EscRoutingRule *english = g_ptr_array_index (rules, i);
      EscRoutingRule *seeded = get_item (esc_workspace_get_routing_rules (workspace), i);

      ASSERT_TRANSLATED (esc_routing_rule_get_problem (english),
                         esc_routing_rule_get_problem (seeded));
      ASSERT_TRANSLATED (esc_routing_rule_get_example (english),
                         esc_routing_rule_get_example (seeded));
      ASSERT_TRANSLATED (esc_routing_rule_get_team (english),
                         esc_routing_rule_get_team (seeded));
      ASSERT_TRANSLATED (esc_routing_rule_get_action (english),
                         esc_routing_rule_get_action (seeded));
    }

  for (guint i = 0; i < severities->len; i++)
    {
      EscSeverity *english = g_ptr_array_index (severities, i);
      EscSeverity *seeded = get_item (esc_workspace_get_severities (workspace), i);

      ASSERT_TRANSLATED (esc_severity_get_name (english), esc_severity_get_name (seeded));
      ASSERT_TRANSLATED (esc_severity_get_situation (english),
                         esc_severity_get_situation (seeded));
      ASSERT_TRANSLATED (esc_severity_get_coverage (english),
                         esc_severity_get_coverage (seeded));
      ASSERT_TRANSLATED (esc_severity_get_downgrade (english),
                         esc_severity_get_downgrade (seeded));
    }

#undef ASSERT_TRANSLATED
}

/* A French user gets a French workspace, in the French an IT administrator writes
 * (not the source page's machine-translation slips).
 * Uses the catalog the build compiles from po/fr.po. Runs last: it changes the
 * locale of the process. */
static void
test_french (void)
{
  const char *build_dir = g_getenv ("ESCALADE_BUILD_DIR");
  g_autofree char *locale_dir = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *parties;
  GListModel *rules;
  const char * const *items;
  EscParty *party;
  EscRoutingRule *rule;
  EscSeverity *severity;

  if (build_dir == NULL)
    {
      g_test_skip ("ESCALADE_BUILD_DIR is not set: run through `meson test`");
      return;
    }

  locale_dir = g_build_filename (build_dir, "po", NULL);
  catalog = g_build_filename (locale_dir, "fr", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (catalog, G_FILE_TEST_IS_REGULAR))
    {
      g_test_fail_printf ("The French catalog %s is missing: build it first "
                          "(ninja po/fr/LC_MESSAGES/" GETTEXT_PACKAGE ".mo)", catalog);
      return;
    }

  g_setenv ("LANGUAGE", "fr", TRUE);
  if (setlocale (LC_ALL, "fr_FR.UTF-8") == NULL)
    {
      g_test_fail_printf ("The fr_FR.UTF-8 locale is needed to test the French seed: "
                          "install it (apt-get install locales; enable fr_FR.UTF-8 in "
                          "/etc/locale.gen; locale-gen)");
      return;
    }
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  workspace = open_fresh (&dir);
  path = g_strdup (esc_workspace_get_path (workspace));
  parties = esc_workspace_get_parties (workspace);
  rules = esc_workspace_get_routing_rules (workspace);

  assert_shape (workspace);
  assert_all_translated (workspace);

  party = get_item (parties, 0);
  g_assert_cmpstr (esc_party_get_name (party), ==, "Fournisseur de support");
  g_assert_cmpstr (esc_party_get_summary (party), ==,
                   "Quiconque assure le support (vous-même pour un support dirigé par le client, "
                   "ou un partenaire pour un support dirigé par un partenaire) est responsable "
                   "de ce qui suit :");
  items = esc_party_get_responsibilities (party);
  g_assert_cmpstr (items[0], ==,
                   "Fournir à l’utilisateur toute l’assistance technique, du premier contact "
                   "jusqu’à la résolution.");
  g_assert_cmpstr (items[1], ==,
                   "Respecter tous les contrats de niveau de service du support utilisateur "
                   "établis par votre organisation ou avec le fournisseur de support que vous "
                   "avez choisi.");
  /* Not the source page's « Résoudre les problèmes … et les résoudre » */
  g_assert_cmpstr (items[3], ==, "Diagnostiquer et résoudre les problèmes des utilisateurs, notamment :");
  {
    g_autoptr(EscResponsibility) last =
      g_list_model_get_item (esc_workspace_get_responsibilities (workspace), 3);
    const char * const *areas = esc_responsibility_get_areas (last);

    g_assert_cmpuint (g_strv_length ((char **)areas), ==, 6);
    g_assert_cmpstr (areas[4], ==, "Problèmes d’infrastructure, comme les imprimantes, les pilotes et le VPN");
    g_assert_cmpstr (areas[5], ==, "Applications métier");
  }

  party = get_item (parties, 1);
  g_assert_cmpstr (esc_party_get_name (party), ==, "Administrateur informatique");
  items = esc_party_get_responsibilities (party);
  g_assert_true (strv_contains_substring (items,
                 "Définir et gérer avec le fournisseur de support les contrats de niveau de "
                 "service du support utilisateur."));
  g_assert_true (strv_contains_substring (items,
                 "Gérer les privilèges d’accès élevé du personnel de support autorisé."));
  /* Vendor or OEM: not the source page's « le fournisseur ou le fournisseur approprié » */
  g_assert_true (strv_contains_substring (items,
                 "Adresser les problèmes matériels au fabricant ou à l’OEM concerné."));

  party = get_item (parties, 2);
  items = esc_party_get_responsibilities (party);
  g_assert_true (strv_contains_substring (items,
                 "Tenir à jour ces informations sur les rôles et responsabilités."));
  g_assert_true (strv_contains_substring (items,
                 "Assurer chaque jour la surveillance et l’atténuation des menaces sur tous "
                 "les appareils inscrits."));

  rule = get_item (rules, 0);
  g_assert_cmpstr (esc_routing_rule_get_example (rule), ==,
                   "Par exemple, une stratégie ou un paramètre déployé par le service lui-même.");
  g_assert_true (g_str_has_prefix (esc_routing_rule_get_action (rule),
                                   "Escalader directement à l’équipe des opérations en créant "
                                   "une demande de support."));
  rule = get_item (rules, 1);
  g_assert_cmpstr (esc_routing_rule_get_problem (rule), ==, "Problèmes matériels");
  g_assert_cmpstr (esc_routing_rule_get_action (rule), ==,
                   "Directement au fabricant du matériel ou à l’OEM.");
  rule = get_item (rules, 2);
  g_assert_cmpstr (esc_routing_rule_get_action (rule), ==,
                   "Passer par vos canaux de support existants, qu’il s’agisse d’un abonnement "
                   "Unified ou Premier.");

  severity = get_item (esc_workspace_get_severities (workspace), 0);
  g_assert_cmpstr (esc_severity_get_name (severity), ==, "Impact critique");

  /* The seeded text is the user's from now on: an English session reopening
   * the workspace sees it unchanged, and nothing is seeded twice. */
  g_clear_object (&workspace);
  g_setenv ("LANGUAGE", "C", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, "C"));

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  assert_shape (workspace);
  party = get_item (esc_workspace_get_parties (workspace), 0);
  g_assert_cmpstr (esc_party_get_name (party), ==, "Fournisseur de support");

  /* Resetting follows the locale of the moment. */
  esc_workspace_reset_defaults (workspace, &error);
  g_assert_no_error (error);
  party = get_item (esc_workspace_get_parties (workspace), 0);
  g_assert_cmpstr (esc_party_get_name (party), ==, "Support provider");

  g_clear_object (&workspace);
  rm_rf (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  /* The English tests run in the C locale the test starts in. */
  g_test_add_func ("/store/seed/english", test_english);
  g_test_add_func ("/store/seed/matches-resource", test_matches_resource);
  g_test_add_func ("/store/seed/french", test_french);

  return g_test_run ();
}
