/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <json-glib/json-glib.h>

#include "esc-core-error.h"
#include "esc-identity.h"

static EscIdentity *
identity_from_string (const char  *json,
                      GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;

  node = json_from_string (json, &parse_error);
  g_assert_no_error (parse_error);

  return esc_identity_new_from_json (node, error);
}

static void
test_valid (void)
{
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_auto(GStrv) roles = NULL;
  gint64 id;

  identity = identity_from_string ("{\"id\":1,\"name\":\"camille\",\"email\":\"camille@example.org\","
                                   "\"roles\":[\"it-admin\"],\"designations\":[\"escalation\"]}",
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_identity_get_name (identity), ==, "camille");
  g_assert_cmpstr (esc_identity_get_email (identity), ==, "camille@example.org");
  g_assert_cmpuint (g_strv_length ((GStrv)esc_identity_get_roles (identity)), ==, 1);
  g_assert_true (esc_identity_has_role (identity, "it-admin"));
  g_assert_false (esc_identity_has_role (identity, "operator"));
  g_assert_true (g_strv_contains (esc_identity_get_designations (identity), "escalation"));

  description = esc_identity_dup_description (identity);
  g_assert_cmpstr (description, ==, "camille (IT administrator, escalation)");

  g_object_get (identity, "id", &id, "roles", &roles, NULL);
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpstr (roles[0], ==, "it-admin");
}

static void
test_descriptions (void)
{
  struct {
    const char *json;
    const char *description;
  } cases[] = {
    /* No id, no roles, no designations: just the name. */
    { "{\"name\":\"alex\",\"email\":\"alex@example.org\",\"roles\":[],\"designations\":[]}",
      "alex" },
    /* Fixed order, whatever the service's; duplicates once. */
    { "{\"name\":\"dominique\",\"email\":\"d@example.org\","
      "\"roles\":[\"operator\",\"support-staff\",\"partner-manager\",\"it-admin\",\"operator\"],"
      "\"designations\":[\"escalation\",\"elevation\"]}",
      "dominique (IT administrator, partner manager, support staff, operator, elevation, escalation)" },
    /* A role from a newer service is kept but not described. */
    { "{\"name\":\"sam\",\"email\":\"sam@example.org\",\"roles\":[\"auditor\",\"support-staff\"],"
      "\"designations\":[],\"id\":null,\"extra\":{\"ignored\":true}}",
      "sam (support staff)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EscIdentity) identity = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *description = NULL;

      identity = identity_from_string (cases[i].json, &error);
      g_assert_no_error (error);
      description = esc_identity_dup_description (identity);
      g_assert_cmpstr (description, ==, cases[i].description);
    }
}

static void
test_unknown_role_kept (void)
{
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = identity_from_string ("{\"name\":\"sam\",\"email\":\"sam@example.org\","
                                   "\"roles\":[\"auditor\",\"auditor\"],\"designations\":[]}",
                                   &error);
  g_assert_no_error (error);
  g_assert_true (esc_identity_has_role (identity, "auditor"));
  g_assert_cmpuint (g_strv_length ((GStrv)esc_identity_get_roles (identity)), ==, 1);
}

static void
test_invalid (void)
{
  struct {
    const char *json;
    gint code;
  } cases[] = {
    { "[]", ESC_CORE_ERROR_INVALID_JSON },
    { "\"camille\"", ESC_CORE_ERROR_INVALID_JSON },
    { "null", ESC_CORE_ERROR_INVALID_JSON },
    { "{\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_MISSING_FIELD },
    { "{\"name\":\"c\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_MISSING_FIELD },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"designations\":[]}", ESC_CORE_ERROR_MISSING_FIELD },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[]}", ESC_CORE_ERROR_MISSING_FIELD },
    { "{\"name\":null,\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_MISSING_FIELD },
    { "{\"name\":42,\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"\",\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"not an address\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":[\"c@example.org\"],\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":\"it-admin\",\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[1],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[null],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[\"IT Admin\"],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[\"\"],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[],\"designations\":{}}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[],\"designations\":[\"-x\"]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"id\":\"1\",\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"id\":0,\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
    { "{\"id\":1.5,\"name\":\"c\",\"email\":\"c@example.org\",\"roles\":[],\"designations\":[]}", ESC_CORE_ERROR_INVALID_VALUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EscIdentity) identity = NULL;
      g_autoptr(GError) error = NULL;

      identity = identity_from_string (cases[i].json, &error);
      if (error == NULL)
        g_test_message ("accepted: %s", cases[i].json);
      g_assert_error (error, ESC_CORE_ERROR, cases[i].code);
      g_assert_null (identity);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api/identity/valid", test_valid);
  g_test_add_func ("/api/identity/descriptions", test_descriptions);
  g_test_add_func ("/api/identity/unknown-role-kept", test_unknown_role_kept);
  g_test_add_func ("/api/identity/invalid", test_invalid);

  return g_test_run ();
}
