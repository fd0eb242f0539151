/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-core-error.h"
#include "esc-matrix-csv.h"

/* The roles and routing matrices through CSV and back: nothing lost, whatever
 * the text holds, with either separator; a bad file imports nothing and names
 * every bad line. */

static GListModel *
make_parties (void)
{
  GListStore *store = g_list_store_new (ESC_TYPE_PARTY);
  const char * const none[] = { NULL };
  g_autoptr(EscParty) a = esc_party_new ("support-provider", "Fournisseur de support", NULL, none);
  g_autoptr(EscParty) b = esc_party_new ("it-admin", "Administrateur informatique", NULL, none);
  g_autoptr(EscParty) c = esc_party_new ("service-provider", "Service provider; \"the\" service", NULL, none);

  g_list_store_append (store, a);
  g_list_store_append (store, b);
  g_list_store_append (store, c);

  return G_LIST_MODEL (store);
}

static GListModel *
make_responsibilities (void)
{
  GListStore *store = g_list_store_new (ESC_TYPE_RESPONSIBILITY);
  const char * const areas[] = { "Système d’exploitation (Windows)", "Imprimantes, pilotes et VPN",
                                 "-starts with a minus", "'quoted' apostrophe", NULL };
  g_autoptr(EscResponsibility) one =
    esc_responsibility_new (0, "support-provider",
                            "Résoudre les problèmes des utilisateurs, notamment :", areas);
  g_autoptr(EscResponsibility) two =
    esc_responsibility_new (0, "it-admin",
                            "Two \"quoted\" words, a comma; a semicolon\nand a new line", NULL);
  g_autoptr(EscResponsibility) three =
    esc_responsibility_new (0, "service-provider", "=SUM(A1:A2)", NULL);
  g_autoptr(EscResponsibility) four =
    esc_responsibility_new (0, "support-provider", "'=already protected", NULL);

  esc_responsibility_set_raci (one, "support-provider", ESC_RACI_RESPONSIBLE);
  esc_responsibility_set_raci (one, "it-admin", ESC_RACI_ACCOUNTABLE);
  esc_responsibility_set_raci (one, "service-provider", ESC_RACI_CONSULTED);
  esc_responsibility_set_raci (two, "it-admin", ESC_RACI_RESPONSIBLE);
  esc_responsibility_set_raci (two, "support-provider", ESC_RACI_INFORMED);

  g_list_store_append (store, one);
  g_list_store_append (store, two);
  g_list_store_append (store, three);
  g_list_store_append (store, four);

  return G_LIST_MODEL (store);
}

static void
test_roles_round_trip (void)
{
  g_autoptr(GListModel) parties = make_parties ();
  g_autoptr(GListModel) items = make_responsibilities ();
  const char separators[] = { ',', ';' };

  for (guint s = 0; s < G_N_ELEMENTS (separators); s++)
    {
      g_autoptr(GBytes) csv = esc_roles_csv_write (parties, items, separators[s]);
      g_autoptr(GPtrArray) back = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;
      const char *text = g_bytes_get_data (csv, &length);

      g_assert_true (g_utf8_validate (text, length, NULL));
      g_assert_true (esc_matrix_csv_guess_separator (text, length) == separators[s]);
      /* A spreadsheet never runs a cell as a formula */
      g_assert_null (strstr (text, ",=SUM"));
      g_assert_null (strstr (text, ";=SUM"));
      g_assert_nonnull (strstr (text, "'=SUM"));

      back = esc_roles_csv_read (text, length, parties, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, g_list_model_get_n_items (items));
      for (guint i = 0; i < back->len; i++)
        {
          g_autoptr(EscResponsibility) expected = g_list_model_get_item (items, i);

          g_assert_cmpstr (esc_responsibility_get_text (g_ptr_array_index (back, i)), ==,
                           esc_responsibility_get_text (expected));
          g_assert_true (esc_responsibility_equal (g_ptr_array_index (back, i), expected));
        }
    }
}

static GListModel *
make_rules (void)
{
  GListStore *store = g_list_store_new (ESC_TYPE_ROUTING_RULE);
  g_autoptr(EscRoutingRule) a =
    esc_routing_rule_new_full ("service-specific", "Problèmes propres au service",
                               "Par exemple, une stratégie, ou un paramètre \"déployé\"",
                               ESC_ROUTING_DESTINATION_OPERATIONS, "Équipe des opérations",
                               "Line one\r\nline two", ESC_ROUTING_REACH_PORTAL, NULL,
                               ESC_SUPPORT_TIER_ESCALATION_TEAM);
  g_autoptr(EscRoutingRule) b =
    esc_routing_rule_new_full ("hardware", "Hardware", NULL, ESC_ROUTING_DESTINATION_HARDWARE_VENDOR,
                               "OEM; vendor", NULL, ESC_ROUTING_REACH_PHONE, "+33 1 23 45 67 89",
                               ESC_SUPPORT_TIER_ALL);
  g_autoptr(EscRoutingRule) c =
    esc_routing_rule_new_full ("printers", "Printers", "Queues, drivers",
                               ESC_ROUTING_DESTINATION_ORGANISATION_TEAM, "Print team", "@mention",
                               ESC_ROUTING_REACH_EMAIL, "print@example.org", 0);

  g_list_store_append (store, a);
  g_list_store_append (store, b);
  g_list_store_append (store, c);

  return G_LIST_MODEL (store);
}

static void
test_routing_round_trip (void)
{
  g_autoptr(GListModel) rules = make_rules ();
  const char separators[] = { ',', ';' };

  for (guint s = 0; s < G_N_ELEMENTS (separators); s++)
    {
      g_autoptr(GBytes) csv = esc_routing_csv_write (rules, separators[s]);
      g_autoptr(GPtrArray) back = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;
      const char *text = g_bytes_get_data (csv, &length);

      back = esc_routing_csv_read (text, length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, 3);
      for (guint i = 0; i < back->len; i++)
        {
          g_autoptr(EscRoutingRule) expected = g_list_model_get_item (rules, i);

          g_assert_true (esc_routing_rule_equal (g_ptr_array_index (back, i), expected));
        }
      /* The phone number is written so that a spreadsheet keeps it as text */
      g_assert_nonnull (strstr (text, "'+33 1 23 45 67 89"));
    }
}

/* Every bad line is named, and nothing is returned */
static void
test_roles_bad_lines (void)
{
  g_autoptr(GListModel) parties = make_parties ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "Party;Responsibility;Areas;Fournisseur de support;it-admin\r\n"
    "Fournisseur de support;Fine;;R;A\r\n"
    "Nobody;Unknown party;;R;\r\n"
    "it-admin;;;R;\r\n"
    "it-admin;Letter;;X;R\r\n"
    "it-admin;Too few;;R\r\n"
    "it-admin;\"Multi\nline\";;R;I\r\n"
    "it-admin;Last bad;;;Z\r\n";

  items = esc_roles_csv_read (text, strlen (text), parties, &error);
  g_assert_null (items);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "5 lines are wrong"));
  g_assert_nonnull (strstr (error->message, "line 3: “Nobody”"));
  g_assert_nonnull (strstr (error->message, "line 4: the responsibility is empty"));
  g_assert_nonnull (strstr (error->message, "line 5: “X”"));
  g_assert_nonnull (strstr (error->message, "line 6: 4 fields"));
  /* line 7 spans two lines of the file, so the last record starts on line 9 */
  g_assert_nonnull (strstr (error->message, "line 9: “Z”"));
  g_assert_null (strstr (error->message, "line 2:"));
  g_assert_null (strstr (error->message, "line 7:"));
  g_clear_error (&error);

  /* A column that names no party */
  items = esc_roles_csv_read ("Party,Responsibility,Areas,Someone\r\n", 36, parties, &error);
  g_assert_null (items);
  g_assert_nonnull (strstr (error->message, "line 1: column 4, “Someone”"));
  g_clear_error (&error);

  /* Not CSV at all */
  items = esc_roles_csv_read ("a,\"b\nc", 6, parties, &error);
  g_assert_null (items);
  g_assert_nonnull (strstr (error->message, "Nothing was imported"));
  g_clear_error (&error);

  items = esc_roles_csv_read ("", 0, parties, &error);
  g_assert_null (items);
  g_assert_nonnull (strstr (error->message, "empty"));
}

static void
test_routing_bad_lines (void)
{
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "ID,Category,Examples,Route,Team,How to reach,Contact,Notes,T1,T2,E\r\n"
    "a,Fine,,operations,Ops,portal,,,,,x\r\n"
    "a,Same id,,operations,Ops,,,,,,\r\n"
    "b,,,nowhere,,fax,,,y,,\r\n"
    ",New row gets an id,,organisation-team,Team,url,https://example.org,,x,x,x\r\n";

  rules = esc_routing_csv_read (text, strlen (text), &error);
  g_assert_null (rules);
  g_assert_nonnull (strstr (error->message, "2 lines are wrong"));
  g_assert_nonnull (strstr (error->message, "line 3: the ID “a”"));
  g_assert_nonnull (strstr (error->message, "line 4: the category is empty"));
  g_assert_nonnull (strstr (error->message, "line 4: the route “nowhere”"));
  g_assert_nonnull (strstr (error->message, "line 4: the team is empty"));
  g_assert_nonnull (strstr (error->message, "line 4: “fax”"));
  g_assert_nonnull (strstr (error->message, "line 4: “y” in column 9"));
  g_clear_error (&error);

  text = "ID,Category,Examples,Route,Team,How to reach,Contact,Notes,T1,T2,E\r\n"
         ",New row gets an id,,organisation-team,Team,url,https://example.org,,x,X,\r\n";
  rules = esc_routing_csv_read (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 1);
  g_assert_true (g_str_has_prefix (esc_routing_rule_get_id (g_ptr_array_index (rules, 0)), "row-"));
  g_assert_cmpuint (esc_routing_rule_get_tiers (g_ptr_array_index (rules, 0)), ==,
                    ESC_SUPPORT_TIER_1 | ESC_SUPPORT_TIER_2);
}

static void
test_raci_letters (void)
{
  EscRaci raci;

  g_assert_true (esc_raci_from_letter ("a", &raci));
  g_assert_cmpint (raci, ==, ESC_RACI_ACCOUNTABLE);
  g_assert_true (esc_raci_from_letter ("", &raci));
  g_assert_cmpint (raci, ==, ESC_RACI_NONE);
  g_assert_false (esc_raci_from_letter ("RA", &raci));
  for (EscRaci r = ESC_RACI_NONE; r <= ESC_RACI_INFORMED; r++)
    {
      g_assert_true (esc_raci_from_letter (esc_raci_to_letter (r), &raci));
      g_assert_cmpint (raci, ==, r);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/matrix-csv/roles/round-trip", test_roles_round_trip);
  g_test_add_func ("/core/matrix-csv/roles/bad-lines", test_roles_bad_lines);
  g_test_add_func ("/core/matrix-csv/routing/round-trip", test_routing_round_trip);
  g_test_add_func ("/core/matrix-csv/routing/bad-lines", test_routing_bad_lines);
  g_test_add_func ("/core/matrix-csv/raci-letters", test_raci_letters);

  return g_test_run ();
}
