/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-categories.h"
#include "esc-request-labels.h"
#include "esc-routing.h"

/* The taxonomy of the New request form, its routing hints, and the labels. */

static gboolean
is_slug (const char *text)
{
  if (text == NULL || *text == '\0' || *text == '-')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }
  return TRUE;
}

static void
test_table (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const EscCategory *categories;
  guint n = 0;
  guint routes[3] = { 0, };

  categories = esc_categories_get (&n);
  g_assert_nonnull (categories);
  g_assert_cmpuint (n, >=, 5);

  for (guint i = 0; i < n; i++)
    {
      const EscCategory *c = &categories[i];
      g_autoptr(GHashTable) subs = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_true (is_slug (c->id));
      g_assert_true (g_hash_table_add (seen, (gpointer)c->id));
      g_assert_cmpstr (esc_category_get_label (c), !=, "");
      g_assert_cmpuint (c->n_subcategories, >, 0);
      g_assert_true (esc_categories_lookup (c->id) == c);
      g_assert_cmpstr (esc_categories_get_label (c->id), ==, esc_category_get_label (c));

      for (guint j = 0; j < c->n_subcategories; j++)
        {
          const EscSubcategory *s = &c->subcategories[j];

          g_assert_true (is_slug (s->id));
          g_assert_true (g_hash_table_add (subs, (gpointer)s->id));
          g_assert_cmpstr (esc_subcategory_get_label (s), !=, "");
          g_assert_true (esc_category_lookup_subcategory (c, s->id) == s);
          g_assert_cmpstr (esc_categories_get_subcategory_label (c->id, s->id), ==,
                           esc_subcategory_get_label (s));
          g_assert_cmpint (s->routing, >=, ESC_CATEGORY_ROUTING_SERVICE);
          g_assert_cmpint (s->routing, <=, ESC_CATEGORY_ROUTING_OTHER);
          routes[s->routing]++;
        }
    }

  /* Every destination can be suggested */
  g_assert_cmpuint (routes[ESC_CATEGORY_ROUTING_SERVICE], >, 0);
  g_assert_cmpuint (routes[ESC_CATEGORY_ROUTING_HARDWARE], >, 0);
  g_assert_cmpuint (routes[ESC_CATEGORY_ROUTING_OTHER], >, 0);
}

static void
test_lookup_unknown (void)
{
  EscProblemFacts facts = { TRUE, TRUE };

  g_assert_null (esc_categories_lookup (NULL));
  g_assert_null (esc_categories_lookup ("no-such-category"));
  g_assert_null (esc_category_lookup_subcategory (NULL, "bitlocker"));
  g_assert_null (esc_category_lookup_subcategory (esc_categories_lookup ("devices"), "nope"));
  /* A newer service's slugs show as themselves */
  g_assert_cmpstr (esc_categories_get_label ("quantum"), ==, "quantum");
  g_assert_cmpstr (esc_categories_get_subcategory_label ("devices", "teleporter"), ==, "teleporter");
  g_assert_false (esc_categories_get_problem_facts ("quantum", "x", &facts));
  g_assert_false (facts.hardware_fault);
  g_assert_false (facts.deployed_by_service);
}

/* The hints, through the one routing function */
static void
test_routing (void)
{
  static const struct {
    const char            *category;
    const char            *subcategory;
    EscRoutingDestination  destination;
  } cases[] = {
    { "devices", "configuration-policy", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "devices", "bitlocker", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "devices", "hardware-failure", ESC_ROUTING_DESTINATION_HARDWARE_VENDOR },
    { "devices", "firmware", ESC_ROUTING_DESTINATION_HARDWARE_VENDOR },
    { "devices", "printers", ESC_ROUTING_DESTINATION_EXISTING_CHANNEL },
    { "apps", "line-of-business", ESC_ROUTING_DESTINATION_EXISTING_CHANNEL },
    { "apps", "microsoft-365-apps", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "network", "proxy", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "identity", "sync", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "updates", "update-groups", ESC_ROUTING_DESTINATION_OPERATIONS },
    { "other", "other", ESC_ROUTING_DESTINATION_EXISTING_CHANNEL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const EscCategory *c = esc_categories_lookup (cases[i].category);
      const EscSubcategory *s = esc_category_lookup_subcategory (c, cases[i].subcategory);
      EscProblemFacts facts = { 0, };
      EscProblemFacts by_slug = { 0, };

      g_test_message ("%s/%s", cases[i].category, cases[i].subcategory);
      g_assert_nonnull (s);
      esc_subcategory_get_problem_facts (s, &facts);
      g_assert_cmpint (esc_routing_destination_for (&facts), ==, cases[i].destination);
      g_assert_true (esc_categories_get_problem_facts (cases[i].category, cases[i].subcategory,
                                                       &by_slug));
      g_assert_cmpint (by_slug.hardware_fault, ==, facts.hardware_fault);
      g_assert_cmpint (by_slug.deployed_by_service, ==, facts.deployed_by_service);
    }
}

/* What bench/make-workspace and the examples of the contract file are known */
static void
test_known_slugs (void)
{
  static const char * const pairs[][2] = {
    { "devices", "configuration-policy" }, { "devices", "bitlocker" }, { "devices", "enrollment" },
    { "devices", "performance" }, { "apps", "microsoft-365-apps" }, { "apps", "line-of-business" },
    { "apps", "app-packaging" }, { "network", "vpn" }, { "network", "proxy" },
    { "network", "certificates" }, { "identity", "sync" }, { "security", "defender" },
    { "updates", "update-groups" }, { "updates", "feature-update" }, { "browser", "edge" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    g_assert_nonnull (esc_category_lookup_subcategory (esc_categories_lookup (pairs[i][0]),
                                                       pairs[i][1]));
}

static void
test_labels (void)
{
  g_assert_cmpstr (esc_support_request_kind_get_label (ESC_SUPPORT_REQUEST_KIND_ADMIN), ==,
                   "Admin request");
  g_assert_cmpstr (esc_support_request_kind_get_label (ESC_SUPPORT_REQUEST_KIND_ESCALATION), ==,
                   "Escalation");
  g_assert_cmpstr (esc_support_request_type_get_label (ESC_SUPPORT_REQUEST_TYPE_INCIDENT), ==,
                   "Incident");
  g_assert_cmpstr (esc_support_request_type_get_label (ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION),
                   ==, "Request for information");
  g_assert_cmpstr (esc_support_request_type_get_label (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST), ==,
                   "Change request");
  g_assert_cmpstr (esc_support_severity_get_label (ESC_SUPPORT_SEVERITY_A), ==, "A — Critical impact");
  g_assert_cmpstr (esc_support_severity_get_label (ESC_SUPPORT_SEVERITY_C), ==, "C — Minimal impact");
  g_assert_cmpstr (esc_support_request_state_get_label (ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER),
                   ==, "Waiting on customer");
  g_assert_cmpstr (esc_support_request_state_get_label (ESC_SUPPORT_REQUEST_STATE_CLOSED), ==, "Closed");
  g_assert_cmpstr (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_NONE), ==, "");
  g_assert_cmpstr (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_OPERATIONS), ==, "Operations");

  for (int s = ESC_SUPPORT_REQUEST_STATE_NEW; s <= ESC_SUPPORT_REQUEST_STATE_CLOSED; s++)
    g_assert_cmpstr (esc_support_request_state_get_label (s), !=, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/categories/table", test_table);
  g_test_add_func ("/core/categories/unknown", test_lookup_unknown);
  g_test_add_func ("/core/categories/routing", test_routing);
  g_test_add_func ("/core/categories/known-slugs", test_known_slugs);
  g_test_add_func ("/core/categories/labels", test_labels);

  return g_test_run ();
}
