/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-core-error.h"
#include "esc-party.h"
#include "esc-routing-rule.h"
#include "esc-seed.h"
#include "esc-severity.h"

static void
test_party (void)
{
  static const char * const items[] = { "First duty", "Second duty", NULL };
  g_autoptr(EscParty) party = esc_party_new ("support-provider", "Support provider",
                                             "Responsible for:", items);
  g_autoptr(EscParty) bare = esc_party_new ("bare", "Bare", NULL, NULL);
  g_autofree char *text = esc_party_dup_responsibilities_text (party);
  g_autofree char *id = NULL;
  g_auto(GStrv) from_property = NULL;

  g_assert_cmpstr (esc_party_get_id (party), ==, "support-provider");
  g_assert_cmpstr (esc_party_get_name (party), ==, "Support provider");
  g_assert_cmpstr (esc_party_get_summary (party), ==, "Responsible for:");
  g_assert_cmpstrv (esc_party_get_responsibilities (party), items);
  g_assert_cmpstr (text, ==, "• First duty\n• Second duty");

  g_object_get (party, "id", &id, "responsibilities", &from_property, NULL);
  g_assert_cmpstr (id, ==, "support-provider");
  g_assert_cmpstrv (from_property, items);

  g_assert_null (esc_party_get_summary (bare));
  g_assert_nonnull (esc_party_get_responsibilities (bare));
  g_assert_null (esc_party_get_responsibilities (bare)[0]);
}

static void
test_routing_rule (void)
{
  g_autoptr(EscRoutingRule) rule = NULL;
  int destination = -1;

  rule = esc_routing_rule_new ("hardware", "Hardware problems", NULL,
                               ESC_ROUTING_DESTINATION_HARDWARE_VENDOR,
                               "Hardware vendor or OEM", "Directly to your vendor.");

  g_assert_cmpstr (esc_routing_rule_get_id (rule), ==, "hardware");
  g_assert_cmpstr (esc_routing_rule_get_problem (rule), ==, "Hardware problems");
  g_assert_null (esc_routing_rule_get_example (rule));
  g_assert_cmpint (esc_routing_rule_get_destination (rule), ==,
                   ESC_ROUTING_DESTINATION_HARDWARE_VENDOR);
  g_assert_cmpstr (esc_routing_rule_get_team (rule), ==, "Hardware vendor or OEM");
  g_assert_cmpstr (esc_routing_rule_get_action (rule), ==, "Directly to your vendor.");

  g_object_get (rule, "destination", &destination, NULL);
  g_assert_cmpint (destination, ==, ESC_ROUTING_DESTINATION_HARDWARE_VENDOR);
}

static void
test_routing_destination (void)
{
  static const struct {
    EscRoutingDestination destination;
    const char *name;
  } cases[] = {
    { ESC_ROUTING_DESTINATION_OPERATIONS, "operations" },
    { ESC_ROUTING_DESTINATION_HARDWARE_VENDOR, "hardware-vendor" },
    { ESC_ROUTING_DESTINATION_EXISTING_CHANNEL, "existing-channel" },
  };
  EscRoutingDestination destination;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (esc_routing_destination_to_string (cases[i].destination), ==,
                       cases[i].name);
      g_assert_true (esc_routing_destination_from_string (cases[i].name, &destination));
      g_assert_cmpint (destination, ==, cases[i].destination);
      g_assert_true (esc_routing_destination_from_string (cases[i].name, NULL));
    }

  destination = ESC_ROUTING_DESTINATION_OPERATIONS;
  g_assert_false (esc_routing_destination_from_string ("vendor", &destination));
  g_assert_false (esc_routing_destination_from_string ("Operations", &destination));
  g_assert_false (esc_routing_destination_from_string ("", &destination));
  g_assert_false (esc_routing_destination_from_string (NULL, &destination));
  g_assert_cmpint (destination, ==, ESC_ROUTING_DESTINATION_OPERATIONS);
}

static void
test_severity (void)
{
  g_autoptr(EscSeverity) severity = NULL;
  g_autofree char *letter = NULL;
  guint initial = 0;
  guint cadence = 0;

  severity = esc_severity_new ("B", "Moderate impact", "Work continues, impaired.",
                               240, 720, "Admin support hours.", "To C.");

  g_assert_cmpstr (esc_severity_get_letter (severity), ==, "B");
  g_assert_cmpstr (esc_severity_get_name (severity), ==, "Moderate impact");
  g_assert_cmpstr (esc_severity_get_situation (severity), ==, "Work continues, impaired.");
  g_assert_cmpuint (esc_severity_get_initial_response_minutes (severity), ==, 240);
  g_assert_cmpuint (esc_severity_get_update_cadence_minutes (severity), ==, 720);
  g_assert_cmpstr (esc_severity_get_coverage (severity), ==, "Admin support hours.");
  g_assert_cmpstr (esc_severity_get_downgrade (severity), ==, "To C.");

  g_object_get (severity,
                "letter", &letter,
                "initial-response-minutes", &initial,
                "update-cadence-minutes", &cadence,
                NULL);
  g_assert_cmpstr (letter, ==, "B");
  g_assert_cmpuint (initial, ==, 240);
  g_assert_cmpuint (cadence, ==, 720);
}

/* Seed parsing ------------------------------------------------------------- */

static GBytes *
bytes_from_string (const char *json)
{
  return g_bytes_new (json, strlen (json));
}

static const char *
mark_cb (const char *msgid,
         gpointer    user_data)
{
  GPtrArray *seen = user_data;
  char *marked = g_strconcat ("«", msgid, "»", NULL);

  /* Returned strings must live as long as a catalog's: the array keeps them. */
  g_ptr_array_add (seen, marked);
  return marked;
}

static void
test_seed_parties (void)
{
  g_autoptr(GBytes) json = bytes_from_string (
    "{\"version\": 1, \"items\": ["
    "  {\"id\": \"a\", \"name\": \"Alpha\", \"summary\": \"Does:\","
    "   \"responsibilities\": [\"one\", \"two\"]},"
    "  {\"id\": \"b\", \"name\": \"Beta\", \"summary\": null,"
    "   \"responsibilities\": [\"three\"]}"
    "]}");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) parties = NULL;
  g_autoptr(GError) error = NULL;
  EscParty *party;

  parties = esc_seed_parse_parties (json, mark_cb, seen, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parties);
  g_assert_cmpuint (parties->len, ==, 2);

  party = g_ptr_array_index (parties, 0);
  g_assert_cmpstr (esc_party_get_id (party), ==, "a");
  g_assert_cmpstr (esc_party_get_name (party), ==, "«Alpha»");
  g_assert_cmpstr (esc_party_get_summary (party), ==, "«Does:»");
  g_assert_cmpuint (g_strv_length ((GStrv)esc_party_get_responsibilities (party)), ==, 2);
  g_assert_cmpstr (esc_party_get_responsibilities (party)[1], ==, "«two»");

  party = g_ptr_array_index (parties, 1);
  g_assert_cmpstr (esc_party_get_id (party), ==, "b");
  g_assert_null (esc_party_get_summary (party));

  /* Identifiers and nulls are never handed to the translator. */
  g_assert_cmpuint (seen->len, ==, 6);

  /* Without a translator, the English text. */
  g_clear_pointer (&parties, g_ptr_array_unref);
  parties = esc_seed_parse_parties (json, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_party_get_name (g_ptr_array_index (parties, 0)), ==, "Alpha");
}

static void
test_seed_routing_rules (void)
{
  g_autoptr(GBytes) json = bytes_from_string (
    "{\"version\": 1, \"items\": ["
    "  {\"id\": \"svc\", \"problem\": \"P\", \"example\": \"E\", \"destination\": \"operations\","
    "   \"team\": \"T\", \"action\": \"A\"},"
    "  {\"id\": \"hw\", \"problem\": \"P2\", \"example\": null,"
    "   \"destination\": \"hardware-vendor\", \"team\": \"T2\", \"action\": \"A2\"},"
    "  {\"id\": \"other\", \"problem\": \"P3\", \"example\": null,"
    "   \"destination\": \"existing-channel\", \"team\": \"T3\", \"action\": \"A3\"}"
    "]}");
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  EscRoutingRule *rule;

  rules = esc_seed_parse_routing_rules (json, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, ==, 3);

  rule = g_ptr_array_index (rules, 0);
  g_assert_cmpstr (esc_routing_rule_get_id (rule), ==, "svc");
  g_assert_cmpstr (esc_routing_rule_get_example (rule), ==, "E");
  g_assert_cmpint (esc_routing_rule_get_destination (rule), ==,
                   ESC_ROUTING_DESTINATION_OPERATIONS);
  rule = g_ptr_array_index (rules, 1);
  g_assert_null (esc_routing_rule_get_example (rule));
  g_assert_cmpint (esc_routing_rule_get_destination (rule), ==,
                   ESC_ROUTING_DESTINATION_HARDWARE_VENDOR);
  rule = g_ptr_array_index (rules, 2);
  g_assert_cmpint (esc_routing_rule_get_destination (rule), ==,
                   ESC_ROUTING_DESTINATION_EXISTING_CHANNEL);
  g_assert_cmpstr (esc_routing_rule_get_action (rule), ==, "A3");
}

static void
test_seed_severities (void)
{
  g_autoptr(GBytes) json = bytes_from_string (
    "{\"version\": 1, \"items\": ["
    "  {\"letter\": \"C\", \"name\": \"N\", \"situation\": \"S\","
    "   \"initial_response_minutes\": 480, \"update_cadence_minutes\": 1440,"
    "   \"coverage\": \"Cov\", \"downgrade\": \"D\"}"
    "]}");
  g_autoptr(GPtrArray) severities = NULL;
  g_autoptr(GError) error = NULL;
  EscSeverity *severity;

  severities = esc_seed_parse_severities (json, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (severities->len, ==, 1);

  severity = g_ptr_array_index (severities, 0);
  g_assert_cmpstr (esc_severity_get_letter (severity), ==, "C");
  g_assert_cmpuint (esc_severity_get_initial_response_minutes (severity), ==, 480);
  g_assert_cmpuint (esc_severity_get_update_cadence_minutes (severity), ==, 1440);
  g_assert_cmpstr (esc_severity_get_downgrade (severity), ==, "D");
}

/* The seed files of the source tree parse, with the expected shape. */
static void
test_seed_shipped (void)
{
  g_autofree char *roles_path = g_test_build_filename (G_TEST_DIST, "..", "data", "seed",
                                                       "roles.json", NULL);
  g_autofree char *routing_path = g_test_build_filename (G_TEST_DIST, "..", "data", "seed",
                                                         "routing.json", NULL);
  g_autofree char *severities_path = g_test_build_filename (G_TEST_DIST, "..", "data", "seed",
                                                            "severities.json", NULL);
  g_autoptr(GMappedFile) roles = NULL;
  g_autoptr(GMappedFile) routing = NULL;
  g_autoptr(GMappedFile) severities = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  roles = g_mapped_file_new (roles_path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (roles);
  items = esc_seed_parse_parties (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&bytes, g_bytes_unref);

  routing = g_mapped_file_new (routing_path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (routing);
  items = esc_seed_parse_routing_rules (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&bytes, g_bytes_unref);

  severities = g_mapped_file_new (severities_path, FALSE, &error);
  g_assert_no_error (error);
  bytes = g_mapped_file_get_bytes (severities);
  items = esc_seed_parse_severities (bytes, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 3);
}

typedef enum
{
  PARTIES,
  ROUTING,
  SEVERITIES,
} SeedKind;

typedef struct
{
  const char   *name;
  SeedKind      kind;
  const char   *json;
  EscCoreError  code;
} MalformedCase;

#define PARTY(extra) \
  "{\"version\": 1, \"items\": [{" extra "}]}"
#define GOOD_PARTY_FIELDS \
  "\"id\": \"a\", \"name\": \"A\", \"summary\": \"S\", \"responsibilities\": [\"r\"]"
#define RULE(fields) \
  "{\"version\": 1, \"items\": [{" fields "}]}"
#define SEVERITY(letter, initial, cadence) \
  "{\"version\": 1, \"items\": [{\"letter\": " letter ", \"name\": \"N\", \"situation\": \"S\"," \
  " \"initial_response_minutes\": " initial ", \"update_cadence_minutes\": " cadence "," \
  " \"coverage\": \"C\", \"downgrade\": \"D\"}]}"

static const MalformedCase malformed_cases[] = {
  /* The envelope, through each parser. */
  { "truncated", PARTIES, "{\"version\": 1, \"items\": [", ESC_CORE_ERROR_INVALID_JSON },
  { "empty", ROUTING, "", ESC_CORE_ERROR_INVALID_JSON },
  { "not-json", SEVERITIES, "version: 1", ESC_CORE_ERROR_INVALID_JSON },
  { "root-array", PARTIES, "[]", ESC_CORE_ERROR_INVALID_JSON },
  { "no-version", ROUTING, "{\"items\": []}", ESC_CORE_ERROR_MISSING_FIELD },
  { "version-2", SEVERITIES, "{\"version\": 2, \"items\": []}", ESC_CORE_ERROR_INVALID_VALUE },
  { "version-string", PARTIES, "{\"version\": \"1\", \"items\": []}", ESC_CORE_ERROR_INVALID_VALUE },
  { "no-items", PARTIES, "{\"version\": 1}", ESC_CORE_ERROR_MISSING_FIELD },
  { "items-object", ROUTING, "{\"version\": 1, \"items\": {}}", ESC_CORE_ERROR_INVALID_VALUE },
  { "item-string", SEVERITIES, "{\"version\": 1, \"items\": [\"A\"]}", ESC_CORE_ERROR_INVALID_VALUE },

  /* Parties. */
  { "party-no-id", PARTIES,
    PARTY ("\"name\": \"A\", \"summary\": \"S\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "party-empty-id", PARTIES,
    PARTY ("\"id\": \"\", \"name\": \"A\", \"summary\": \"S\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-no-name", PARTIES,
    PARTY ("\"id\": \"a\", \"summary\": \"S\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "party-name-number", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": 3, \"summary\": \"S\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-name-null", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": null, \"summary\": \"S\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-name-empty", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": \"\", \"summary\": \"S\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-no-summary", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": \"A\", \"responsibilities\": [\"r\"]"),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "party-no-responsibilities", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": \"A\", \"summary\": \"S\""),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "party-responsibilities-empty", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": \"A\", \"summary\": \"S\", \"responsibilities\": []"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-responsibilities-string", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": \"A\", \"summary\": \"S\", \"responsibilities\": \"r\""),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-responsibility-number", PARTIES,
    PARTY ("\"id\": \"a\", \"name\": \"A\", \"summary\": \"S\", \"responsibilities\": [\"r\", 2]"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-unknown-field", PARTIES,
    PARTY (GOOD_PARTY_FIELDS ", \"colour\": \"red\""),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "party-duplicate-id", PARTIES,
    "{\"version\": 1, \"items\": [{" GOOD_PARTY_FIELDS "}, {" GOOD_PARTY_FIELDS "}]}",
    ESC_CORE_ERROR_INVALID_VALUE },

  /* Routing rules. */
  { "rule-unknown-destination", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": \"P\", \"example\": null, \"destination\": \"vendor\","
          " \"team\": \"T\", \"action\": \"A\""),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "rule-destination-number", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": \"P\", \"example\": null, \"destination\": 1,"
          " \"team\": \"T\", \"action\": \"A\""),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "rule-no-destination", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": \"P\", \"example\": null,"
          " \"team\": \"T\", \"action\": \"A\""),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "rule-no-team", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": \"P\", \"example\": null, \"destination\": \"operations\","
          " \"action\": \"A\""),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "rule-no-example", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": \"P\", \"destination\": \"operations\","
          " \"team\": \"T\", \"action\": \"A\""),
    ESC_CORE_ERROR_MISSING_FIELD },
  { "rule-example-array", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": \"P\", \"example\": [], \"destination\": \"operations\","
          " \"team\": \"T\", \"action\": \"A\""),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "rule-problem-bool", ROUTING,
    RULE ("\"id\": \"r\", \"problem\": true, \"example\": null, \"destination\": \"operations\","
          " \"team\": \"T\", \"action\": \"A\""),
    ESC_CORE_ERROR_INVALID_VALUE },

  /* Severities. */
  { "severity-letter-d", SEVERITIES, SEVERITY ("\"D\"", "60", "60"), ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-letter-lower", SEVERITIES, SEVERITY ("\"a\"", "60", "60"), ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-letter-number", SEVERITIES, SEVERITY ("1", "60", "60"), ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-minutes-string", SEVERITIES, SEVERITY ("\"A\"", "\"60\"", "60"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-minutes-fraction", SEVERITIES, SEVERITY ("\"A\"", "60", "60.5"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-minutes-zero", SEVERITIES, SEVERITY ("\"A\"", "0", "60"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-minutes-negative", SEVERITIES, SEVERITY ("\"A\"", "60", "-1"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-minutes-huge", SEVERITIES, SEVERITY ("\"A\"", "99999999999", "60"),
    ESC_CORE_ERROR_INVALID_VALUE },
  { "severity-no-cadence", SEVERITIES,
    "{\"version\": 1, \"items\": [{\"letter\": \"A\", \"name\": \"N\", \"situation\": \"S\","
    " \"initial_response_minutes\": 60, \"coverage\": \"C\", \"downgrade\": \"D\"}]}",
    ESC_CORE_ERROR_MISSING_FIELD },
  { "severity-duplicate", SEVERITIES,
    "{\"version\": 1, \"items\": ["
    "{\"letter\": \"A\", \"name\": \"N\", \"situation\": \"S\", \"initial_response_minutes\": 60,"
    " \"update_cadence_minutes\": 60, \"coverage\": \"C\", \"downgrade\": \"D\"},"
    "{\"letter\": \"A\", \"name\": \"N\", \"situation\": \"S\", \"initial_response_minutes\": 60,"
    " \"update_cadence_minutes\": 60, \"coverage\": \"C\", \"downgrade\": \"D\"}]}",
    ESC_CORE_ERROR_INVALID_VALUE },
};

static void
test_seed_malformed (gconstpointer data)
{
  const MalformedCase *c = data;
  g_autoptr(GBytes) json = bytes_from_string (c->json);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *document = NULL;

  switch (c->kind)
    {
    case PARTIES:
      items = esc_seed_parse_parties (json, mark_cb, seen, &error);
      document = "roles.json";
      break;
    case ROUTING:
      items = esc_seed_parse_routing_rules (json, mark_cb, seen, &error);
      document = "routing.json";
      break;
    case SEVERITIES:
      items = esc_seed_parse_severities (json, mark_cb, seen, &error);
      document = "severities.json";
      break;
    default:
      g_assert_not_reached ();
    }

  g_assert_null (items);
  g_assert_error (error, ESC_CORE_ERROR, (int)c->code);
  g_test_message ("%s: %s", c->name, error->message);
  g_assert_nonnull (strstr (error->message, document));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/party/new", test_party);
  g_test_add_func ("/core/routing-rule/new", test_routing_rule);
  g_test_add_func ("/core/routing-rule/destination-round-trip", test_routing_destination);
  g_test_add_func ("/core/severity/new", test_severity);
  g_test_add_func ("/core/seed/parties", test_seed_parties);
  g_test_add_func ("/core/seed/routing-rules", test_seed_routing_rules);
  g_test_add_func ("/core/seed/severities", test_seed_severities);
  g_test_add_func ("/core/seed/shipped", test_seed_shipped);

  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/seed/malformed/%s",
                                               malformed_cases[i].name);
      g_test_add_data_func (path, &malformed_cases[i], test_seed_malformed);
    }

  return g_test_run ();
}
