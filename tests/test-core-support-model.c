/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-core-error.h"
#include "esc-sla-agreement.h"
#include "esc-support-model.h"

/* The support model's codec (what an IT administrator writes, and what the
 * service answers), and who a warning may tell and which states may pause
 * the clocks. */

static EscSupportModel *
read_body (const char  *text,
           GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return esc_support_model_new_from_json (node, TRUE, error);
}

static void
test_kinds (void)
{
  EscSupportModelKind kind;

  g_assert_null (esc_support_model_kind_to_string (ESC_SUPPORT_MODEL_NOT_CHOSEN));
  g_assert_cmpstr (esc_support_model_kind_to_string (ESC_SUPPORT_MODEL_PARTNER_LED), ==, "partner-led");
  g_assert_true (esc_support_model_kind_from_string (NULL, &kind));
  g_assert_cmpint (kind, ==, ESC_SUPPORT_MODEL_NOT_CHOSEN);
  g_assert_true (esc_support_model_kind_from_string ("customer-led", &kind));
  g_assert_cmpint (kind, ==, ESC_SUPPORT_MODEL_CUSTOMER_LED);
  g_assert_false (esc_support_model_kind_from_string ("Customer-led", &kind));
  g_assert_false (esc_support_model_kind_from_string ("", &kind));
  g_assert_cmpstr (esc_support_model_kind_get_label (ESC_SUPPORT_MODEL_NOT_CHOSEN), ==, "Support model not chosen");
}

static void
test_body (void)
{
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pointer = NULL;

  /* Trimmed as it will be kept; contacts may take several lines */
  model = read_body ("{\"model\": \"partner-led\", \"provider_name\": \"  Contoso \","
                     " \"provider_contacts\": \"support@contoso.example\\n+33 1 23 45 67 89\\n\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_support_model_get_kind (model), ==, ESC_SUPPORT_MODEL_PARTNER_LED);
  g_assert_cmpstr (esc_support_model_get_provider_name (model), ==, "Contoso");
  g_assert_cmpstr (esc_support_model_get_provider_contacts (model), ==,
                   "support@contoso.example\n+33 1 23 45 67 89");
  body = esc_support_model_body_to_json (model);
  text = json_to_string (body, FALSE);
  g_assert_cmpstr (text, ==, "{\"model\":\"partner-led\",\"provider_name\":\"Contoso\","
                             "\"provider_contacts\":\"support@contoso.example\\n+33 1 23 45 67 89\"}");
  g_clear_object (&model);

  /* Refused, naming the member */
  model = read_body ("{\"model\": \"partner-led\", \"provider_name\": \"\\t\"}", &error);
  g_assert_null (model);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  pointer = esc_sla_error_dup_pointer (error);
  g_assert_cmpstr (pointer, ==, "/provider_name");
  g_clear_error (&error);
  g_clear_pointer (&pointer, g_free);

  model = read_body ("{\"model\": \"customer-led\", \"provider_name\": \"A\\nB\"}", &error);
  g_assert_null (model);
  pointer = esc_sla_error_dup_pointer (error);
  g_assert_cmpstr (pointer, ==, "/provider_name");
  g_clear_error (&error);
  g_clear_pointer (&pointer, g_free);

  model = read_body ("{\"provider_name\": \"Contoso\"}", &error);
  g_assert_null (model);
  pointer = esc_sla_error_dup_pointer (error);
  g_assert_cmpstr (pointer, ==, "/model");
  g_clear_error (&error);
  g_clear_pointer (&pointer, g_free);

  /* What the service records is not written by a client */
  model = read_body ("{\"model\": \"customer-led\", \"updated_at\": \"2026-01-01T00:00:00Z\"}", &error);
  g_assert_null (model);
  pointer = esc_sla_error_dup_pointer (error);
  g_assert_cmpstr (pointer, ==, "/updated_at");
  g_clear_error (&error);
}

static void
test_answer (void)
{
  const char *answers[] = {
    "{\"model\":null,\"provider_name\":\"\",\"provider_contacts\":\"\",\"updated_at\":null,\"updated_by\":null}",
    "{\"model\":\"customer-led\",\"provider_name\":\"Service interne\",\"provider_contacts\":\"\","
    "\"updated_at\":\"2026-12-07T03:00:00Z\",\"updated_by\":\"camille\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (answers[i], NULL);
      g_autoptr(EscSupportModel) model = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      model = esc_support_model_new_from_json (node, FALSE, &error);
      g_assert_no_error (error);
      again = esc_support_model_to_json (model);
      text = json_to_string (again, FALSE);
      g_assert_cmpstr (text, ==, answers[i]);
    }

  {
    g_autoptr(JsonNode) node = json_from_string ("{\"model\":\"partner-led\",\"updated_at\":\"yesterday\"}", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_null (esc_support_model_new_from_json (node, FALSE, &error));
    g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  }
}

static void
test_equal_terms (void)
{
  g_autoptr(EscSupportModel) a = esc_support_model_new (ESC_SUPPORT_MODEL_PARTNER_LED, "Contoso", NULL);
  g_autoptr(EscSupportModel) b = esc_support_model_new (ESC_SUPPORT_MODEL_PARTNER_LED, " Contoso", "");
  g_autoptr(EscSupportModel) c = esc_support_model_new (ESC_SUPPORT_MODEL_CUSTOMER_LED, "Contoso", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  esc_support_model_set_updated (b, now, "camille");
  g_assert_true (esc_support_model_equal_terms (a, b));
  g_assert_false (esc_support_model_equal_terms (a, c));
}

static void
test_notify_targets (void)
{
  const char *valid[] = {
    "it-admin", "partner-manager", "support-staff", "filer", "assignee", "camille@example.org",
    "help.desk+sla@contoso.example",
  };
  const char *invalid[] = {
    "", "operator", "IT-admin", "the boss", "camille@", "@example.org", "camille@example", "a@b@c.org",
    "camille@.org", "camille@example.org.", "camille@example.org, dominique@example.org",
    "<camille@example.org>",
    "camille.martin.with.a.very.long.name.beyond.sixty.four@example.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (esc_sla_notify_target_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("%s", invalid[i]);
      g_assert_false (esc_sla_notify_target_is_valid (invalid[i]));
    }
  g_assert_false (esc_sla_notify_target_is_valid (NULL));
}

static void
test_pause_states (void)
{
  const char *valid[] = { "waiting-on-customer", "on-hold", "pending2", "a" };
  const char *invalid[] = { "", "On hold", "on hold", "-on-hold", "on-hold-", "on--hold", "en-attente-éditeur",
                            "waiting/parts" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (esc_sla_pause_state_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (esc_sla_pause_state_is_valid (invalid[i]));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/support-model/kinds", test_kinds);
  g_test_add_func ("/core/support-model/body", test_body);
  g_test_add_func ("/core/support-model/answer", test_answer);
  g_test_add_func ("/core/support-model/equal-terms", test_equal_terms);
  g_test_add_func ("/core/sla/notify-targets", test_notify_targets);
  g_test_add_func ("/core/sla/pause-states", test_pause_states);

  return g_test_run ();
}
