/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-admin-contact.h"
#include "esc-audit-event.h"
#include "esc-core-error.h"
#include "esc-device.h"
#include "esc-elevation-password.h"
#include "esc-elevation-request.h"
#include "esc-identity.h"
#include "esc-json-read.h"
#include "esc-staff-member.h"
#include "esc-time.h"
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

/* The wire types' codecs: what to_json() writes, new_from_json() reads back
 * whole, and writing it again gives the same text. */

static void
assert_same_json (JsonNode *a,
                  JsonNode *b)
{
  g_autofree char *text_a = esc_json_to_string (a);
  g_autofree char *text_b = esc_json_to_string (b);

  g_assert_cmpstr (text_a, ==, text_b);
  g_assert_true (json_node_equal (a, b));
}

static GDateTime *
time_of (const char *text)
{
  GDateTime *time = esc_time_parse (text);

  g_assert_nonnull (time);
  return time;
}

static void
test_codec_staff_member (void)
{
  static const char * const roles[] = { "it-admin", "support-staff", NULL };
  g_autoptr(GDateTime) expires_at = time_of ("2024-06-01T00:00:00Z");
  g_autoptr(GDateTime) designated_at = time_of ("2024-05-06T09:00:00Z");
  g_autoptr(EscStaffMember) member = esc_staff_member_new (7, "Camille Martin",
                                                           "camille@example.org", roles);
  g_autoptr(EscDesignation) elevation = NULL;
  g_autoptr(EscDesignation) escalation = NULL;
  g_autoptr(EscStaffMember) read = NULL;
  g_autoptr(EscDesignation) first = NULL;
  g_autoptr(EscDesignation) second = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  elevation = esc_designation_new_full ("elevation", "Tier 3", expires_at, TRUE, designated_at,
                                        3, "Dominique Durand");
  /* Granted on the command line: nobody on record, no expiry, expired */
  escalation = esc_designation_new_full ("escalation", NULL, NULL, FALSE, NULL, 0, NULL);
  esc_staff_member_add_designation (member, elevation);
  esc_staff_member_add_designation (member, escalation);

  node = esc_staff_member_to_json (member);
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "roles")), ==, 2);

  read = esc_staff_member_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_staff_member_get_id (read), ==, 7);
  g_assert_cmpstr (esc_staff_member_get_name (read), ==, "Camille Martin");
  g_assert_cmpstr (esc_staff_member_get_email (read), ==, "camille@example.org");
  g_assert_cmpstrv (esc_staff_member_get_roles (read), roles);
  g_assert_cmpuint (g_list_model_get_n_items (esc_staff_member_get_designations (read)), ==, 2);
  g_assert_true (esc_staff_member_has_capability (read, "elevation"));
  g_assert_false (esc_staff_member_has_capability (read, "escalation"));

  first = g_list_model_get_item (esc_staff_member_get_designations (read), 0);
  g_assert_cmpstr (esc_designation_get_reason (first), ==, "Tier 3");
  g_assert_true (g_date_time_equal (esc_designation_get_expires_at (first), expires_at));
  g_assert_true (g_date_time_equal (esc_designation_get_designated_at (first), designated_at));
  g_assert_cmpint (esc_designation_get_designated_by_id (first), ==, 3);
  g_assert_cmpstr (esc_designation_get_designated_by (first), ==, "Dominique Durand");
  second = g_list_model_get_item (esc_staff_member_get_designations (read), 1);
  g_assert_null (esc_designation_get_reason (second));
  g_assert_null (esc_designation_get_expires_at (second));
  g_assert_null (esc_designation_get_designated_by (second));
  g_assert_false (esc_designation_get_active (second));

  again = esc_staff_member_to_json (read);
  assert_same_json (node, again);

  /* A capability the app does not know is refused, naming it */
  json_object_set_string_member (json_array_get_object_element (json_object_get_array_member (object, "designations"), 0),
                                 "capability", "root");
  g_clear_object (&read);
  read = esc_staff_member_new_from_json (node, &error);
  g_assert_null (read);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "root"));
}

static void
test_codec_audit_event (void)
{
  static const char * const roles[] = { "it-admin", NULL };
  g_autoptr(GDateTime) at = time_of ("2024-05-06T09:00:00Z");
  g_autoptr(EscAuditEvent) event = NULL;
  g_autoptr(EscAuditEvent) read = NULL;
  g_autoptr(EscAuditEvent) service = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_strnfill (64, 'a');
  g_autofree char *prev_hash = g_strnfill (64, '0');

  event = esc_audit_event_new (12, at, 4, "Camille Martin", roles, "designations.updated",
                               "/v1/staff/7/designations", "127.0.0.1",
                               "{\"person\":\"Eve\",\"capability\":\"elevation\"}", prev_hash, hash);
  node = esc_audit_event_to_json (event);
  read = esc_audit_event_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_audit_event_get_id (read), ==, 12);
  g_assert_true (g_date_time_equal (esc_audit_event_get_at (read), at));
  g_assert_cmpint (esc_audit_event_get_actor_id (read), ==, 4);
  g_assert_cmpstr (esc_audit_event_get_actor (read), ==, "Camille Martin");
  g_assert_cmpstrv (esc_audit_event_get_actor_roles (read), roles);
  g_assert_cmpstr (esc_audit_event_get_action (read), ==, "designations.updated");
  g_assert_cmpstr (esc_audit_event_get_target (read), ==, "/v1/staff/7/designations");
  g_assert_cmpstr (esc_audit_event_get_remote_address (read), ==, "127.0.0.1");
  g_assert_cmpstr (esc_audit_event_get_details (read), ==,
                   "{\"person\":\"Eve\",\"capability\":\"elevation\"}");
  g_assert_cmpstr (esc_audit_event_get_prev_hash (read), ==, prev_hash);
  g_assert_cmpstr (esc_audit_event_get_hash (read), ==, hash);
  again = esc_audit_event_to_json (read);
  assert_same_json (node, again);

  /* The service itself: no actor, no roles, no details, no target */
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&again, json_node_unref);
  g_clear_object (&read);
  service = esc_audit_event_new (1, at, 0, NULL, NULL, "service.started", NULL, NULL, NULL,
                                 prev_hash, hash);
  node = esc_audit_event_to_json (service);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "actor"));
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "details"));
  read = esc_audit_event_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_null (esc_audit_event_get_actor (read));
  g_assert_cmpuint (g_strv_length ((GStrv)esc_audit_event_get_actor_roles (read)), ==, 0);
  again = esc_audit_event_to_json (read);
  assert_same_json (node, again);
}

static void
test_codec_device (void)
{
  g_autoptr(EscDevice) device = esc_device_new ("MMD-03690457680", "SN-0001", "broad", 2);
  g_autoptr(EscDevice) unsaid = esc_device_new ("LAB-1", "SN-0099", "test", -1);
  g_autoptr(EscDevice) read = NULL;
  g_autoptr(JsonNode) node = esc_device_to_json (device);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;

  read = esc_device_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_device_get_name (read), ==, "MMD-03690457680");
  g_assert_cmpstr (esc_device_get_serial_number (read), ==, "SN-0001");
  g_assert_cmpstr (esc_device_get_group (read), ==, "broad");
  g_assert_cmpint (esc_device_get_open_elevation_requests (read), ==, 2);
  again = esc_device_to_json (read);
  assert_same_json (node, again);

  /* Unknown count: left out, and read back as unknown */
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&again, json_node_unref);
  g_clear_object (&read);
  node = esc_device_to_json (unsaid);
  g_assert_false (json_object_has_member (json_node_get_object (node), "open_elevation_requests"));
  read = esc_device_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_device_get_open_elevation_requests (read), ==, -1);
  again = esc_device_to_json (read);
  assert_same_json (node, again);
}

static void
test_codec_elevation_request (void)
{
  g_autoptr(GDateTime) created_at = time_of ("2024-05-06T09:00:00Z");
  g_autoptr(GDateTime) expires_at = time_of ("2024-05-06T11:00:00Z");
  g_autoptr(GDateTime) renewed_at = time_of ("2024-05-06T10:00:00Z");
  g_autoptr(GDateTime) closed_at = time_of ("2024-05-06T10:30:00Z");
  g_autoptr(GDateTime) viewed_at = time_of ("2024-05-06T09:05:00Z");
  g_autoptr(EscDevice) device = esc_device_new ("MMD-1", "SN-0001", "fast", -1);
  g_autoptr(EscElevationRequest) request = NULL;
  g_autoptr(EscElevationRequest) read = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  GDateTime *at = NULL;
  EscElevationRequestFields fields = {
    .id = "ER-000042", .state = "closed", .active = FALSE, .ticket_id = "INC0012345",
    .device = device, .category = "devices", .subcategory = "printer-driver",
    .title = "Reinstall the printer driver", .plan_of_action = "Run the troubleshooter.",
    .requested_by_id = 5, .requested_by = "Eve", .created_at = created_at,
    .expires_at = expires_at, .renewed_at = renewed_at, .renewals = 1,
    .closed_at = closed_at, .closed_by_id = 5, .closed_by = "Eve",
    .actions_taken = "Reinstalled the driver.", .closed_reason = "closed",
  };

  request = esc_elevation_request_new (&fields);
  esc_elevation_request_add_password_view (request, 5, "Eve", viewed_at);
  esc_elevation_request_add_password_view (request, 5, "Eve", renewed_at);
  node = esc_elevation_request_to_json (request);

  read = esc_elevation_request_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_elevation_request_get_id (read), ==, "ER-000042");
  g_assert_cmpstr (esc_elevation_request_get_state (read), ==, "closed");
  g_assert_false (esc_elevation_request_get_active (read));
  g_assert_cmpstr (esc_elevation_request_get_device (read), ==, "MMD-1");
  g_assert_cmpstr (esc_elevation_request_get_device_group (read), ==, "fast");
  g_assert_cmpstr (esc_device_get_serial_number (esc_elevation_request_get_device_details (read)),
                   ==, "SN-0001");
  g_assert_cmpstr (esc_elevation_request_get_requested_by (read), ==, "Eve");
  g_assert_cmpstr (esc_elevation_request_get_closed_by (read), ==, "Eve");
  g_assert_cmpint (esc_elevation_request_get_renewals (read), ==, 1);
  g_assert_true (g_date_time_equal (esc_elevation_request_get_renewed_at (read), renewed_at));
  g_assert_cmpstr (esc_elevation_request_get_actions_taken (read), ==, "Reinstalled the driver.");
  g_assert_cmpstr (esc_elevation_request_get_closed_reason (read), ==, "closed");
  g_assert_cmpint (esc_elevation_request_get_password_views (read), ==, 2);
  g_assert_cmpstr (esc_elevation_request_get_password_view (read, 0, &at), ==, "Eve");
  g_assert_true (g_date_time_equal (at, viewed_at));
  again = esc_elevation_request_to_json (read);
  assert_same_json (node, again);

  /* Closed by the service: nobody, and why; a reason the contract does not
   * know is refused */
  json_object_set_null_member (json_node_get_object (again), "closed_by");
  json_object_set_string_member (json_node_get_object (again), "closed_reason", "designation-expired");
  g_clear_object (&read);
  read = esc_elevation_request_new_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_null (esc_elevation_request_get_closed_by (read));
  g_assert_cmpstr (esc_elevation_request_get_closed_reason (read), ==, "designation-expired");
  json_object_set_string_member (json_node_get_object (again), "closed_reason", "cosmic-ray");
  g_clear_object (&read);
  read = esc_elevation_request_new_from_json (again, &error);
  g_assert_null (read);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "closed_reason"));
  g_clear_error (&error);

  /* A garbled password view refuses the whole request */
  json_object_set_string_member (json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "password_views"), 1),
                                 "at", "yesterday");
  g_clear_object (&read);
  read = esc_elevation_request_new_from_json (node, &error);
  g_assert_null (read);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
}

static void
test_codec_elevation_password (void)
{
  g_autoptr(GDateTime) rotates_at = time_of ("2024-05-06T11:00:00Z");
  g_autofree char *secret = g_strdup ("Tr0ub4dor&3-correct-horse");
  EscElevationPassword password = { "MMD-1\\escadmin", secret, rotates_at };
  g_autoptr(JsonNode) node = esc_elevation_password_to_json (&password);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(EscElevationPassword) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = esc_json_to_string (node);
  JsonNode *member;
  gsize length;

  read = esc_elevation_password_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->account, ==, "MMD-1\\escadmin");
  g_assert_cmpstr (read->password, ==, secret);
  g_assert_true (g_date_time_equal (read->rotates_at, rotates_at));

  /* The reader left no copy in the tree it read */
  member = json_object_get_member (json_node_get_object (node), "password");
  g_assert_true (json_node_get_string (member)[0] == '\0');

  /* Written again: the same text; wiped, nothing of it left */
  again = esc_elevation_password_to_json (read);
  {
    g_autofree char *text_again = esc_json_to_string (again);

    g_assert_cmpstr (text_again, ==, text);
  }
  member = json_object_get_member (json_node_get_object (again), "password");
  length = strlen (secret);
  g_assert_cmpuint (strlen (json_node_get_string (member)), ==, length);
  esc_elevation_password_wipe_json (again);
  for (gsize i = 0; i < length; i++)
    g_assert_true (json_node_get_string (member)[i] == '\0');
}

static void
test_codec_admin_contact (void)
{
  g_autoptr(GDateTime) updated_at = time_of ("2024-05-06T09:00:00Z");
  g_autoptr(EscSupportContact) contact = esc_support_contact_new ("Camille", "Martin",
                                                                  "camille@example.org",
                                                                  "+33 1 23 45 67 89",
                                                                  ESC_CONTACT_METHOD_PHONE, "fr");
  g_autoptr(EscAdminContact) admin_contact = esc_admin_contact_new ("devices", contact, updated_at,
                                                                    2, "Dominique Durand");
  g_autoptr(EscAdminContact) read = NULL;
  g_autoptr(JsonNode) node = esc_admin_contact_to_json (admin_contact);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));
  static const char * const order[] = {
    "area", "given_name", "surname", "email", "phone", "preferred_method", "language",
    "updated_at", "updated_by", NULL
  };
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_null (order[i]);

  read = esc_admin_contact_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_admin_contact_get_area (read), ==, "devices");
  g_assert_true (esc_support_contact_equal (esc_admin_contact_get_contact (read), contact));
  g_assert_true (g_date_time_equal (esc_admin_contact_get_updated_at (read), updated_at));
  g_assert_cmpint (esc_admin_contact_get_updated_by_id (read), ==, 2);
  g_assert_cmpstr (esc_admin_contact_get_updated_by (read), ==, "Dominique Durand");
  again = esc_admin_contact_to_json (read);
  assert_same_json (node, again);
}

static void
test_codec_identity (void)
{
  static const char * const roles[] = { "support-staff", NULL };
  static const char * const designations[] = { "elevation", NULL };
  g_autoptr(EscIdentity) identity = esc_identity_new (5, "Eve", "eve@example.org", roles,
                                                      designations);
  g_autoptr(EscIdentity) read = NULL;
  g_autoptr(JsonNode) node = esc_identity_to_json (identity);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;

  read = esc_identity_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_identity_get_id (read), ==, 5);
  g_assert_cmpstr (esc_identity_get_name (read), ==, "Eve");
  g_assert_cmpstrv (esc_identity_get_roles (read), roles);
  g_assert_cmpstrv (esc_identity_get_designations (read), designations);
  again = esc_identity_to_json (read);
  assert_same_json (node, again);
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
  g_test_add_func ("/core/codec/staff-member", test_codec_staff_member);
  g_test_add_func ("/core/codec/audit-event", test_codec_audit_event);
  g_test_add_func ("/core/codec/device", test_codec_device);
  g_test_add_func ("/core/codec/elevation-request", test_codec_elevation_request);
  g_test_add_func ("/core/codec/elevation-password", test_codec_elevation_password);
  g_test_add_func ("/core/codec/admin-contact", test_codec_admin_contact);
  g_test_add_func ("/core/codec/identity", test_codec_identity);

  for (guint i = 0; i < G_N_ELEMENTS (malformed_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/seed/malformed/%s",
                                               malformed_cases[i].name);
      g_test_add_data_func (path, &malformed_cases[i], test_seed_malformed);
    }

  return g_test_run ();
}
