/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-core-error.h"
#include "esc-support-request.h"

static const char escalation_json[] =
  "{ \"kind\": \"escalation\", \"type\": \"incident\", \"severity\": \"C\","
  "  \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  "  \"title\": \"Printer driver blocked by policy\", \"description\": \"Since Monday.\","
  "  \"contact\": { \"given_name\": \"Camille\", \"surname\": \"Martin\","
  "                 \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  "                 \"preferred_method\": \"email\", \"language\": \"fr\" },"
  "  \"users_or_devices_impacted\": 12, \"devices\": [\"MMD-03690457680\"],"
  "  \"related_ticket\": \"INC0012345\" }";

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* Parses @text with one member replaced: "@member": @value (or removed if @value is NULL). */
static JsonNode *
parse_with (const char *text,
            const char *pointer,
            const char *value)
{
  g_autoptr(JsonNode) root = parse (text);
  g_auto(GStrv) parts = g_strsplit (pointer + 1, "/", -1);
  JsonObject *object = json_node_get_object (root);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    object = json_object_get_object_member (object, parts[i]);

  if (value == NULL)
    json_object_remove_member (object, parts[n - 1]);
  else
    json_object_set_member (object, parts[n - 1], parse (value));

  return g_steal_pointer (&root);
}

static EscSupportRequest *
decode_create (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  EscSupportRequest *request;

  request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_CREATE, &field, &error);
  g_assert_no_error (error);
  g_assert_null (field);

  return request;
}

static void
test_enums (void)
{
  EscSupportRequestKind kind;
  EscSupportRequestType type;
  EscSupportSeverity severity;
  EscSupportEngagement engagement;
  EscSupportRequestState state;
  EscContactMethod method;
  EscNextActionOwner owner;

  g_assert_true (esc_support_request_kind_from_string ("escalation", &kind));
  g_assert_cmpint (kind, ==, ESC_SUPPORT_REQUEST_KIND_ESCALATION);
  g_assert_false (esc_support_request_kind_from_string ("Escalation", &kind));
  g_assert_cmpstr (esc_support_request_kind_to_string (ESC_SUPPORT_REQUEST_KIND_ADMIN), ==, "admin");

  g_assert_true (esc_support_request_type_from_string ("request-for-information", &type));
  g_assert_cmpint (type, ==, ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION);
  g_assert_cmpstr (esc_support_request_type_to_string (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST), ==,
                   "change-request");
  g_assert_false (esc_support_request_type_from_string ("request_for_information", &type));

  g_assert_true (esc_support_severity_from_string ("B", &severity));
  g_assert_cmpint (severity, ==, ESC_SUPPORT_SEVERITY_B);
  g_assert_false (esc_support_severity_from_string ("b", &severity));
  g_assert_false (esc_support_severity_from_string ("D", &severity));

  g_assert_true (esc_support_engagement_from_string ("24x7", &engagement));
  g_assert_cmpint (engagement, ==, ESC_SUPPORT_ENGAGEMENT_24X7);
  g_assert_false (esc_support_engagement_from_string ("none", &engagement));
  g_assert_null (esc_support_engagement_to_string (ESC_SUPPORT_ENGAGEMENT_NONE));

  for (int s = ESC_SUPPORT_REQUEST_STATE_NEW; s <= ESC_SUPPORT_REQUEST_STATE_CLOSED; s++)
    {
      const char *text = esc_support_request_state_to_string (s);

      g_assert_true (esc_support_request_state_from_string (text, &state));
      g_assert_cmpint (state, ==, s);
    }
  g_assert_cmpstr (esc_support_request_state_to_string (ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER),
                   ==, "waiting-on-customer");
  g_assert_true (esc_support_request_state_is_open (ESC_SUPPORT_REQUEST_STATE_MITIGATED));
  g_assert_false (esc_support_request_state_is_open (ESC_SUPPORT_REQUEST_STATE_RESOLVED));
  g_assert_false (esc_support_request_state_is_open (ESC_SUPPORT_REQUEST_STATE_CLOSED));

  g_assert_true (esc_contact_method_from_string ("phone", &method));
  g_assert_cmpint (method, ==, ESC_CONTACT_METHOD_PHONE);
  g_assert_true (esc_next_action_owner_from_string ("operations", &owner));
  g_assert_cmpint (owner, ==, ESC_NEXT_ACTION_OWNER_OPERATIONS);
  g_assert_false (esc_next_action_owner_from_string ("none", &owner));
  g_assert_false (esc_next_action_owner_from_string (NULL, &owner));
}

static void
test_decode_create (void)
{
  g_autoptr(EscSupportRequest) request = decode_create (escalation_json);
  const EscSupportContact *contact;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (esc_support_request_get_kind (request), ==, ESC_SUPPORT_REQUEST_KIND_ESCALATION);
  g_assert_cmpint (esc_support_request_get_request_type (request), ==, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  g_assert_cmpint (esc_support_request_get_severity (request), ==, ESC_SUPPORT_SEVERITY_C);
  g_assert_cmpint (esc_support_request_get_engagement (request), ==, ESC_SUPPORT_ENGAGEMENT_NONE);
  g_assert_cmpstr (esc_support_request_get_category (request), ==, "devices");
  g_assert_cmpstr (esc_support_request_get_title (request), ==, "Printer driver blocked by policy");
  g_assert_cmpint (esc_support_request_get_users_or_devices_impacted (request), ==, 12);
  g_assert_cmpstr (esc_support_request_get_devices (request)[0], ==, "MMD-03690457680");
  g_assert_cmpstr (esc_support_request_get_related_ticket (request), ==, "INC0012345");
  g_assert_cmpint (esc_support_request_get_reproduced_on_unmanaged_device (request), ==, ESC_TRISTATE_UNKNOWN);
  g_assert_null (esc_support_request_get_first_noticed_at (request));
  g_assert_null (esc_support_request_get_id (request));
  g_assert_null (esc_support_request_get_timeline (request));

  contact = esc_support_request_get_contact (request);
  g_assert_cmpstr (contact->given_name, ==, "Camille");
  g_assert_cmpstr (contact->phone, ==, "+33 1 23 45 67 89");
  g_assert_cmpint (contact->preferred_method, ==, ESC_CONTACT_METHOD_EMAIL);
  g_assert_cmpstr (contact->language, ==, "fr");

  g_assert_true (esc_support_request_validate (request, ESC_SUPPORT_FILER_ESCALATION, NULL, &error));
  g_assert_no_error (error);
}

static void
test_create_round_trip (void)
{
  g_autoptr(EscSupportRequest) request = decode_create (escalation_json);
  g_autoptr(EscSupportRequest) again = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(JsonNode) encoded_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) noticed = g_date_time_new_utc (2024, 5, 6, 7, 30, 0);
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  esc_support_request_set_first_noticed_at (request, noticed);
  esc_support_request_set_end_user_support_engaged (request, ESC_TRISTATE_NO);
  esc_support_request_set_business_impact (request, "Nobody on the 3rd floor can print.");

  encoded = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  text = json_to_string (encoded, FALSE);
  g_assert_null (strstr (text, "\"id\""));
  g_assert_null (strstr (text, "\"engagement\""));
  g_assert_null (strstr (text, "steps_to_reproduce"));
  g_assert_nonnull (strstr (text, "\"first_noticed_at\":\"2024-05-06T07:30:00Z\""));
  g_assert_nonnull (strstr (text, "\"end_user_support_engaged\":false"));

  again = esc_support_request_new_from_json (encoded, ESC_SUPPORT_REQUEST_JSON_CREATE, NULL, &error);
  g_assert_no_error (error);
  encoded_again = esc_support_request_to_json (again, ESC_SUPPORT_REQUEST_JSON_CREATE);
  text_again = json_to_string (encoded_again, FALSE);
  g_assert_cmpstr (text, ==, text_again);
}

static void
test_decode_errors (void)
{
  const struct {
    const char *pointer;
    const char *value;   /* NULL: remove the member */
    int         code;
  } cases[] = {
    { "/kind", NULL, ESC_CORE_ERROR_MISSING_FIELD },
    { "/kind", "\"urgent\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/kind", "1", ESC_CORE_ERROR_INVALID_VALUE },
    { "/type", "\"question\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/severity", "\"D\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/severity", "null", ESC_CORE_ERROR_MISSING_FIELD },
    { "/engagement", "\"none\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/engagement", "\"weekends\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/category", "\"Devices\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/category", "\"devices-\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/subcategory", NULL, ESC_CORE_ERROR_MISSING_FIELD },
    { "/title", "\"\"", ESC_CORE_ERROR_MISSING_FIELD },
    { "/title", "\"  \\n \"", ESC_CORE_ERROR_MISSING_FIELD },
    { "/title", "[\"x\"]", ESC_CORE_ERROR_INVALID_VALUE },
    { "/description", NULL, ESC_CORE_ERROR_MISSING_FIELD },
    { "/contact", "\"camille\"", ESC_CORE_ERROR_INVALID_JSON },
    { "/contact", NULL, ESC_CORE_ERROR_MISSING_FIELD },
    { "/contact/email", "\"camille\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/contact/email", NULL, ESC_CORE_ERROR_MISSING_FIELD },
    { "/contact/phone", "\"call me\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/contact/preferred_method", "\"fax\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/contact/language", "\"fr_FR!\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/contact/nickname", "\"cam\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/users_or_devices_impacted", "-1", ESC_CORE_ERROR_INVALID_VALUE },
    { "/users_or_devices_impacted", "1.5", ESC_CORE_ERROR_INVALID_VALUE },
    { "/users_or_devices_impacted", "\"12\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/first_noticed_at", "\"yesterday\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/first_noticed_at", "\"2024-05-06T07:30:00\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/reproduced_on_unmanaged_device", "\"yes\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/devices", "\"MMD-1\"", ESC_CORE_ERROR_INVALID_VALUE },
    { "/devices", "[\"MMD-1\", 2]", ESC_CORE_ERROR_INVALID_VALUE },
    { "/devices", "[\"\"]", ESC_CORE_ERROR_MISSING_FIELD },
    { "/state", "\"new\"", ESC_CORE_ERROR_INVALID_VALUE },   /* not a create member */
    { "/notes", "\"x\"", ESC_CORE_ERROR_INVALID_VALUE },
  };
  const char *expected_fields[G_N_ELEMENTS (cases)] = { NULL, };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_with (escalation_json, cases[i].pointer, cases[i].value);
      g_autoptr(EscSupportRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      const char *expected = cases[i].pointer;

      /* An item of a list is named with its index. */
      if (strcmp (cases[i].pointer, "/devices") == 0 && cases[i].value[0] == '[')
        expected = strcmp (cases[i].value, "[\"\"]") == 0 ? "/devices/0" : "/devices/1";
      expected_fields[i] = expected;

      request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_CREATE, &field, &error);
      g_test_message ("%s = %s: %s", cases[i].pointer, cases[i].value ? cases[i].value : "(removed)",
                      error ? error->message : "no error");
      g_assert_null (request);
      g_assert_error (error, ESC_CORE_ERROR, cases[i].code);
      g_assert_cmpstr (field, ==, expected_fields[i]);
    }
}

static void
test_overlong (void)
{
  const struct {
    const char *pointer;
    guint       max;
  } cases[] = {
    { "/title", ESC_SUPPORT_REQUEST_TITLE_MAX },
    { "/description", ESC_SUPPORT_REQUEST_TEXT_MAX },
    { "/business_impact", ESC_SUPPORT_REQUEST_IMPACT_MAX },
    { "/related_ticket", 100 },
    { "/contact/given_name", ESC_SUPPORT_REQUEST_NAME_MAX },
    { "/contact/phone", 40 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint extra = 0; extra <= 1; extra++)
        {
          g_autoptr(GString) value = g_string_new ("\"1");
          g_autoptr(JsonNode) node = NULL;
          g_autoptr(EscSupportRequest) request = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *field = NULL;

          /* Characters, not bytes: "é" is one. */
          for (guint n = 1; n < cases[i].max + extra; n++)
            g_string_append (value, "é");
          g_string_append_c (value, '"');
          node = parse_with (escalation_json, cases[i].pointer, value->str);

          request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_CREATE, &field, &error);
          if (extra == 0)
            {
              g_assert_no_error (error);
              g_assert_nonnull (request);
            }
          else
            {
              g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
              g_assert_cmpstr (field, ==, cases[i].pointer);
              g_assert_nonnull (strstr (error->message, "too long"));
            }
        }
    }
}

static void
assert_invalid (EscSupportRequest *request,
                EscSupportFiler    filer,
                const char        *expected_field,
                const char        *expected_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_false (esc_support_request_validate (request, filer, &field, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == ESC_CORE_ERROR);
  g_assert_cmpstr (field, ==, expected_field);
  if (expected_text != NULL)
    g_assert_cmpstr (error->message, ==, expected_text);
}

static void
assert_valid (EscSupportRequest *request,
              EscSupportFiler    filer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  g_assert_true (esc_support_request_validate (request, filer, &field, &error));
  g_assert_no_error (error);
  g_assert_null (field);
}

/* Every problem at once, one per field, in the wire format's order; and the
 * first of them is the one esc_support_request_validate() gives */
static void
test_validate_all (void)
{
  g_autoptr(EscSupportRequest) request = decode_create (escalation_json);
  g_autoptr(EscSupportContact) contact = esc_support_contact_new ("Camille", NULL, "nobody", "+33 1",
                                                                  ESC_CONTACT_METHOD_EMAIL, "fr");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2024, 5, 6, 9, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) soon = g_date_time_add_minutes (now, 4);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) none = NULL;
  const char *expected[] = { "/title", "/description", "/contact/surname", "/contact/email",
                             "/first_noticed_at" };
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;

  none = esc_support_request_validate_all (request, ESC_SUPPORT_FILER_ANY, now);
  g_assert_cmpuint (none->len, ==, 0);

  esc_support_request_set_title (request, "  ");
  esc_support_request_set_description (request, NULL);
  esc_support_request_set_contact (request, contact);
  esc_support_request_set_first_noticed_at (request, tomorrow);

  problems = esc_support_request_validate_all (request, ESC_SUPPORT_FILER_ANY, now);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s: %s", ((EscFieldError *)g_ptr_array_index (problems, i))->field,
                    ((EscFieldError *)g_ptr_array_index (problems, i))->error->message);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      EscFieldError *problem = g_ptr_array_index (problems, i);

      g_assert_cmpstr (problem->field, ==, expected[i]);
      g_assert_true (problem->error->domain == ESC_CORE_ERROR);
    }
  g_assert_cmpstr (((EscFieldError *)g_ptr_array_index (problems, 4))->error->message, ==,
                   "“first_noticed_at” cannot be in the future.");

  g_assert_false (esc_support_request_validate (request, ESC_SUPPORT_FILER_ANY, &field, &error));
  g_assert_cmpstr (field, ==, "/title");
  g_clear_pointer (&field, g_free);
  g_clear_error (&error);

  /* Without a clock, the times are not judged; a few minutes ahead is another clock */
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = esc_support_request_validate_all (request, ESC_SUPPORT_FILER_ANY, NULL);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected) - 1);
  g_assert_false (esc_support_request_check_times (request, now, &field, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_cmpstr (field, ==, "/first_noticed_at");
  g_clear_error (&error);
  esc_support_request_set_first_noticed_at (request, soon);
  g_assert_true (esc_support_request_check_times (request, now, NULL, &error));
  g_assert_no_error (error);
}

static void
test_validate_severity_rules (void)
{
  g_autoptr(EscSupportRequest) request = decode_create (escalation_json);

  /* An escalation: severity C only, whoever files it. */
  for (int s = ESC_SUPPORT_SEVERITY_A; s <= ESC_SUPPORT_SEVERITY_B; s++)
    {
      esc_support_request_set_severity (request, s);
      esc_support_request_set_engagement (request, s == ESC_SUPPORT_SEVERITY_B
                                                   ? ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS
                                                   : ESC_SUPPORT_ENGAGEMENT_NONE);
      assert_invalid (request, ESC_SUPPORT_FILER_ANY, "/severity",
                      "Escalations can only be severity C. An IT administrator must file other "
                      "severities as an admin support request.");
    }

  /* The same as an admin request: fine. */
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_A);
  esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_NONE);
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);

  /* A change request is always C, even for an IT administrator. */
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/severity", "Change requests are always severity C.");
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_C);
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);

  /* Severity B needs an engagement, and only B has one. */
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_B);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/engagement", NULL);
  esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_24X7);
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_C);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/engagement", NULL);
}

static void
test_validate_filer (void)
{
  g_autoptr(EscSupportRequest) request = decode_create (escalation_json);

  assert_valid (request, ESC_SUPPORT_FILER_ESCALATION);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/kind",
                  "Filing an escalation needs a live escalation designation.");
  assert_invalid (request, ESC_SUPPORT_FILER_NONE, "/kind", NULL);

  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);
  assert_invalid (request, ESC_SUPPORT_FILER_ESCALATION, "/kind",
                  "Only an IT administrator can file an admin support request.");
}

static void
test_validate_fields (void)
{
  g_autoptr(EscSupportRequest) request = esc_support_request_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_free);

  /* A blank request: the first required field is named. */
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/title", NULL);
  esc_support_request_set_title (request, "VPN certificate renewal");
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/description", NULL);
  esc_support_request_set_description (request, "Planned for Saturday.");
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/category", NULL);
  esc_support_request_set_category (request, "Network");
  esc_support_request_set_subcategory (request, "vpn");
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/category", NULL);
  esc_support_request_set_category (request, "network");
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/contact", NULL);

  contact = esc_support_contact_new ("Dominique", "", "dominique@example.org", "+33 1 00 00 00 00",
                                     ESC_CONTACT_METHOD_PHONE, "fr");
  esc_support_request_set_contact (request, contact);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/contact/surname", NULL);
  g_free (contact->surname);
  contact->surname = g_strdup ("Durand");
  g_free (contact->email);
  contact->email = g_strdup ("dominique@localhost");
  esc_support_request_set_contact (request, contact);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/contact/email", NULL);
  g_free (contact->email);
  contact->email = g_strdup ("dominique@example.org");
  esc_support_request_set_contact (request, contact);
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);

  /* Lists */
  for (guint i = 0; i <= ESC_SUPPORT_REQUEST_DEVICES_MAX; i++)
    g_ptr_array_add (devices, g_strdup_printf ("MMD-%06u", i));
  g_ptr_array_add (devices, NULL);
  esc_support_request_set_devices (request, (const char * const *)devices->pdata);
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/devices", NULL);
  esc_support_request_set_devices (request, (const char * const []) { "MMD-1", "bad\001name", NULL });
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/devices/1", NULL);
  esc_support_request_set_devices (request, NULL);
  esc_support_request_set_attachments (request, (const char * const []) { "", NULL });
  assert_invalid (request, ESC_SUPPORT_FILER_IT_ADMIN, "/attachments/0", NULL);
  esc_support_request_set_attachments (request, (const char * const []) { "trace.etl", NULL });
  assert_valid (request, ESC_SUPPORT_FILER_IT_ADMIN);
}

static const char resource_json[] =
  "{ \"id\": \"SR-000123\", \"state\": \"waiting-on-customer\", \"kind\": \"admin\","
  "  \"type\": \"incident\", \"severity\": \"B\", \"engagement\": \"24x7\","
  "  \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  "  \"title\": \"Outage\", \"description\": \"All devices.\","
  "  \"contact\": { \"given_name\": \"Camille\", \"surname\": \"Martin\","
  "                 \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  "                 \"preferred_method\": \"phone\", \"language\": \"fr-FR\" },"
  "  \"users_or_devices_impacted\": null, \"business_impact\": null, \"first_noticed_at\": null,"
  "  \"reproduced_on_unmanaged_device\": true, \"end_user_support_engaged\": null,"
  "  \"troubleshooting_steps\": null, \"steps_to_reproduce\": null, \"devices\": [],"
  "  \"related_ticket\": null,"
  "  \"filed_by\": { \"id\": 3, \"name\": \"camille\" },"
  "  \"created_at\": \"2024-05-06T09:00:00Z\", \"updated_at\": \"2024-05-06T10:00:00Z\","
  "  \"response_due_at\": \"2024-05-06T13:00:00Z\", \"resolved_at\": null, \"closed_at\": null,"
  "  \"next_action_owner\": \"customer\", \"next_action_at\": \"2024-05-07T09:00:00Z\","
  "  \"notes\": \"Call first.\", \"attachments\": [\"trace.etl\"],"
  "  \"admin_contact\": null, \"a_future_member\": 1,"
  "  \"timeline\": ["
  "    { \"id\": 1, \"at\": \"2024-05-06T09:00:00Z\", \"kind\": \"created\","
  "      \"actor\": { \"id\": 3, \"name\": \"camille\" }, \"text\": null, \"from_state\": null,"
  "      \"to_state\": \"new\", \"from_severity\": null, \"to_severity\": \"B\" },"
  "    { \"id\": 2, \"at\": \"2024-05-06T10:00:00Z\", \"kind\": \"state-changed\","
  "      \"actor\": null, \"text\": \"Please send logs.\", \"from_state\": \"new\","
  "      \"to_state\": \"waiting-on-customer\", \"from_severity\": null, \"to_severity\": null } ] }";

static void
test_resource (void)
{
  g_autoptr(JsonNode) node = parse (resource_json);
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(EscSupportRequest) again = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(JsonNode) encoded_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  EscSupportRequestEvent *event;
  GPtrArray *timeline;

  request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (esc_support_request_get_id (request), ==, "SR-000123");
  g_assert_cmpint (esc_support_request_get_state (request), ==, ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER);
  g_assert_cmpint (esc_support_request_get_engagement (request), ==, ESC_SUPPORT_ENGAGEMENT_24X7);
  g_assert_cmpint (esc_support_request_get_filer_id (request), ==, 3);
  g_assert_cmpstr (esc_support_request_get_filer_name (request), ==, "camille");
  g_assert_cmpint (esc_support_request_get_users_or_devices_impacted (request), ==, -1);
  g_assert_cmpint (esc_support_request_get_reproduced_on_unmanaged_device (request), ==, ESC_TRISTATE_YES);
  g_assert_null (esc_support_request_get_devices (request));
  g_assert_cmpint (esc_support_request_get_next_action_owner (request), ==, ESC_NEXT_ACTION_OWNER_CUSTOMER);
  g_assert_cmpstr (esc_support_request_get_notes (request), ==, "Call first.");
  g_assert_cmpstr (esc_support_request_get_attachments (request)[0], ==, "trace.etl");
  g_assert_null (esc_support_request_get_resolved_at (request));
  g_assert_cmpint (g_date_time_get_hour (esc_support_request_get_response_due_at (request)), ==, 13);

  timeline = esc_support_request_get_timeline (request);
  g_assert_cmpuint (timeline->len, ==, 2);
  event = g_ptr_array_index (timeline, 1);
  g_assert_cmpint (event->id, ==, 2);
  g_assert_cmpstr (event->kind, ==, "state-changed");
  g_assert_null (event->actor_name);
  g_assert_cmpstr (event->to_state, ==, "waiting-on-customer");
  g_assert_cmpstr (event->text, ==, "Please send logs.");

  /* Encode, decode, encode: stable. Unknown members were dropped. */
  encoded = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
  text = json_to_string (encoded, FALSE);
  g_assert_null (strstr (text, "a_future_member"));
  again = esc_support_request_new_from_json (encoded, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, &error);
  g_assert_no_error (error);
  encoded_again = esc_support_request_to_json (again, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
  text_again = json_to_string (encoded_again, FALSE);
  g_assert_cmpstr (text, ==, text_again);

  /* The properties follow the fields */
  {
    g_autofree char *id = NULL;
    EscSupportRequestState state;

    g_object_get (request, "id", &id, "state", &state, NULL);
    g_assert_cmpstr (id, ==, "SR-000123");
    g_assert_cmpint (state, ==, ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER);
  }
}

static void
test_resource_errors (void)
{
  const struct {
    const char *pointer;
    const char *value;
  } cases[] = {
    { "/id", "\"123\"" },
    { "/id", "\"SR-12\"" },
    { "/id", NULL },
    { "/state", "\"open\"" },
    { "/filed_by", "null" },
    { "/filed_by", "{\"id\": 0, \"name\": \"x\"}" },
    { "/created_at", "\"now\"" },
    { "/response_due_at", NULL },
    { "/next_action_owner", "\"me\"" },
    { "/timeline", "{}" },
    { "/attachments", "[1]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_with (resource_json, cases[i].pointer, cases[i].value);
      g_autoptr(EscSupportRequest) request = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;

      request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_RESOURCE, &field, &error);
      g_test_message ("%s: %s", cases[i].pointer, error ? error->message : "no error");
      g_assert_null (request);
      g_assert_true (error != NULL && error->domain == ESC_CORE_ERROR);
      g_assert_true (g_str_has_prefix (field, cases[i].pointer));
    }

  /* A timeline event at fault is named with its index. */
  {
    g_autoptr(JsonNode) node = parse (resource_json);
    g_autoptr(EscSupportRequest) request = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *field = NULL;
    JsonArray *timeline = json_object_get_array_member (json_node_get_object (node), "timeline");

    json_object_set_string_member (json_array_get_object_element (timeline, 1), "at", "later");
    request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_RESOURCE, &field, &error);
    g_assert_null (request);
    g_assert_cmpstr (field, ==, "/timeline/1/at");
  }
}

static void
test_not_an_object (void)
{
  const char * const texts[] = { "[]", "\"request\"", "12", "null" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(JsonNode) node = parse (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *field = NULL;
      g_autoptr(EscSupportRequest) request = NULL;

      request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_CREATE, &field, &error);
      g_assert_null (request);
      g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON);
      g_assert_cmpstr (field, ==, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/support-request/enums", test_enums);
  g_test_add_func ("/core/support-request/decode-create", test_decode_create);
  g_test_add_func ("/core/support-request/create-round-trip", test_create_round_trip);
  g_test_add_func ("/core/support-request/decode-errors", test_decode_errors);
  g_test_add_func ("/core/support-request/overlong", test_overlong);
  g_test_add_func ("/core/support-request/validate-severity-rules", test_validate_severity_rules);
  g_test_add_func ("/core/support-request/validate-filer", test_validate_filer);
  g_test_add_func ("/core/support-request/validate-fields", test_validate_fields);
  g_test_add_func ("/core/support-request/validate-all", test_validate_all);
  g_test_add_func ("/core/support-request/resource", test_resource);
  g_test_add_func ("/core/support-request/resource-errors", test_resource_errors);
  g_test_add_func ("/core/support-request/not-an-object", test_not_an_object);

  return g_test_run ();
}
