/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-api-error.h"
#include "esc-api-requests.h"
#include "esc-client-sla.h"
#include "esc-test-service.h"

/* The SLA client functions against a real escalade-service: a calendar put
 * and listed, an agreement proposed by the partner manager and accepted by
 * both sides, read back as a history; a refused calendar names its member. */

static EscTestService *service;
static char *admin_token;
static char *manager_token;

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static EscClient *
new_client (const char *token)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (service), &error));
  esc_client_set_token (client, token);
  return g_steal_pointer (&client);
}

static void
test_calendars (void)
{
  g_autoptr(EscClient) manager = new_client (manager_token);
  g_autoptr(EscCalendar) calendar = esc_calendar_new ("Europe/Paris", NULL);
  g_autoptr(EscCalendar) bad = esc_calendar_new ("UTC", NULL);
  g_autoptr(EscCalendar) stored = NULL;
  g_autoptr(EscCalendar) refused = NULL;
  g_autoptr(GPtrArray) calendars = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  esc_calendar_set_id (calendar, "paris");
  esc_calendar_set_name (calendar, "Bureau de Paris");
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (esc_calendar_add_range (calendar, d, 9 * 60, 18 * 60, NULL));
  g_assert_true (esc_calendar_add_holiday (calendar, "2025-05-01", "Fête du travail", NULL));

  esc_client_put_sla_calendar_async (manager, calendar, NULL, NULL, on_result_cb, &result);
  stored = esc_client_put_sla_calendar_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_calendar_get_id (stored), ==, "paris");
  g_assert_cmpstr (esc_calendar_get_time_zone (stored), ==, "Europe/Paris");
  g_clear_object (&result);

  esc_client_list_sla_calendars_async (manager, NULL, on_result_cb, &result);
  calendars = esc_client_list_sla_calendars_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calendars->len, ==, 2);
  g_assert_cmpstr (esc_calendar_get_id (g_ptr_array_index (calendars, 0)), ==, "admin-hours");
  g_assert_cmpstr (esc_calendar_get_id (g_ptr_array_index (calendars, 1)), ==, "paris");
  g_clear_object (&result);

  /* No hours at all: the service refuses it, naming the member */
  esc_calendar_set_id (bad, "empty");
  esc_calendar_set_name (bad, "Empty");
  esc_client_put_sla_calendar_async (manager, bad, NULL, NULL, on_result_cb, &result);
  refused = esc_client_put_sla_calendar_finish (manager, await_result (&result), &error);
  g_assert_null (refused);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (esc_api_error_get_field (error), ==, "/week");
}

static void
test_agreement (void)
{
  g_autoptr(EscClient) admin = new_client (admin_token);
  g_autoptr(EscClient) manager = new_client (manager_token);
  g_autoptr(EscSlaAgreementVersion) terms = esc_sla_agreement_version_new ();
  g_autoptr(EscSlaAgreementVersion) draft = NULL;
  g_autoptr(EscSlaAgreementVersion) accepted = NULL;
  g_autoptr(EscSlaAgreementVersion) agreed = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const EscSlaTargets b = { 240, 720, 2400, FALSE };
  g_autofree char *id = NULL;

  esc_sla_agreement_version_set_calendar_id (terms, "admin-hours");
  esc_sla_agreement_version_set_targets (terms, ESC_SUPPORT_SEVERITY_B, &b);

  esc_client_create_sla_agreement_async (manager, terms, NULL, NULL, on_result_cb, &result);
  draft = esc_client_create_sla_agreement_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_sla_agreement_version_get_state (draft), ==, ESC_SLA_VERSION_DRAFT);
  g_assert_cmpuint (esc_sla_agreement_version_get_version (draft), ==, 1);
  g_assert_cmpuint (esc_sla_agreement_version_get_targets (draft, ESC_SUPPORT_SEVERITY_B)->update_minutes, ==, 720);
  id = g_strdup (esc_sla_agreement_version_get_agreement_id (draft));
  g_clear_object (&result);

  esc_client_accept_sla_agreement_version_async (manager, id, 1, NULL, NULL, NULL, NULL, on_result_cb, &result);
  accepted = esc_client_accept_sla_agreement_version_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (esc_sla_agreement_version_get_partner_acceptance (accepted));
  g_assert_null (esc_sla_agreement_version_get_it_admin_acceptance (accepted));
  g_clear_object (&result);

  esc_client_accept_sla_agreement_version_async (admin, id, 1, "it-admin", NULL, NULL, NULL, on_result_cb, &result);
  agreed = esc_client_accept_sla_agreement_version_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_sla_agreement_version_get_state (agreed), ==, ESC_SLA_VERSION_AGREED);
  g_assert_nonnull (esc_sla_agreement_version_get_agreed_at (agreed));
  g_assert_cmpstr (esc_sla_agreement_version_get_it_admin_acceptance (agreed)->name, ==, "camille");
  g_clear_object (&result);

  /* Accepting again is a conflict */
  esc_client_accept_sla_agreement_version_async (admin, id, 1, NULL, NULL, NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_accept_sla_agreement_version_finish (admin, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  esc_client_get_sla_agreement_history_async (admin, id, NULL, on_result_cb, &result);
  history = esc_client_get_sla_agreement_history_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpint (esc_sla_agreement_version_get_state (g_ptr_array_index (history, 0)), ==,
                   ESC_SLA_VERSION_AGREED);
}

/* The list, one version with its ETag, a draft edited, and If-Match: an
 * acceptance of terms read before an edit is refused (412) and records nothing. */
static void
test_if_match (void)
{
  g_autoptr(EscClient) admin = new_client (admin_token);
  g_autoptr(EscClient) manager = new_client (manager_token);
  g_autoptr(EscSlaAgreementVersion) terms = esc_sla_agreement_version_new ();
  g_autoptr(EscSlaAgreementVersion) draft = NULL;
  g_autoptr(EscSlaAgreementVersion) read = NULL;
  g_autoptr(EscSlaAgreementVersion) edited = NULL;
  g_autoptr(EscSlaAgreementVersion) accepted = NULL;
  g_autoptr(EscSlaAgreementVersion) again = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *admin_etag = NULL;
  g_autofree char *manager_etag = NULL;
  g_autofree char *fresh_etag = NULL;
  const EscSlaTargets a = { 30, 60, 240, TRUE };
  const EscSlaTargets a2 = { 15, 60, 240, TRUE };

  esc_sla_agreement_version_set_calendar_id (terms, "admin-hours");
  esc_sla_agreement_version_set_targets (terms, ESC_SUPPORT_SEVERITY_A, &a);
  esc_client_create_sla_agreement_async (manager, terms, NULL, NULL, on_result_cb, &result);
  draft = esc_client_create_sla_agreement_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  id = g_strdup (esc_sla_agreement_version_get_agreement_id (draft));
  g_clear_object (&result);

  esc_client_list_sla_agreements_async (admin, NULL, on_result_cb, &result);
  ids = esc_client_list_sla_agreements_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL));
  g_clear_object (&result);

  /* Both read version 1, each with its ETag */
  esc_client_get_sla_agreement_version_async (admin, id, 1, NULL, on_result_cb, &result);
  read = esc_client_get_sla_agreement_version_finish (admin, await_result (&result), &admin_etag, &error);
  g_assert_no_error (error);
  g_assert_nonnull (admin_etag);
  g_assert_cmpuint (esc_sla_agreement_version_get_targets (read, ESC_SUPPORT_SEVERITY_A)->first_response_minutes, ==, 30);
  g_clear_object (&result);
  g_clear_object (&read);
  esc_client_get_sla_agreement_version_async (manager, id, 1, NULL, on_result_cb, &result);
  read = esc_client_get_sla_agreement_version_finish (manager, await_result (&result), &manager_etag, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (manager_etag, ==, admin_etag);
  g_clear_object (&result);

  /* The partner manager edits the draft */
  esc_sla_agreement_version_set_targets (read, ESC_SUPPORT_SEVERITY_A, &a2);
  esc_client_update_sla_draft_async (manager, read, manager_etag, NULL, on_result_cb, &result);
  edited = esc_client_update_sla_draft_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (esc_sla_agreement_version_get_targets (edited, ESC_SUPPORT_SEVERITY_A)->first_response_minutes, ==, 15);
  g_clear_object (&result);

  /* The IT administrator accepts what they read, which is no longer there: refused */
  esc_client_accept_sla_agreement_version_async (admin, id, 1, NULL, admin_etag, NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_accept_sla_agreement_version_finish (admin, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_PRECONDITION_FAILED);
  g_assert_cmpuint (esc_api_error_get_status (error), ==, 412);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Read again, accepted */
  g_clear_object (&read);
  esc_client_get_sla_agreement_version_async (admin, id, 1, NULL, on_result_cb, &result);
  read = esc_client_get_sla_agreement_version_finish (admin, await_result (&result), &fresh_etag, &error);
  g_assert_no_error (error);
  g_assert_null (esc_sla_agreement_version_get_it_admin_acceptance (read));
  g_assert_cmpstr (fresh_etag, !=, admin_etag);
  g_clear_object (&result);
  esc_client_accept_sla_agreement_version_async (admin, id, 1, NULL, fresh_etag, NULL, NULL, on_result_cb, &result);
  accepted = esc_client_accept_sla_agreement_version_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_sla_agreement_version_get_it_admin_acceptance (accepted)->name, ==, "camille");
  g_clear_object (&result);

  /* A draft naming a calendar the service does not have: the member named */
  esc_sla_agreement_version_set_calendar_id (edited, "nowhere");
  esc_client_update_sla_draft_async (manager, edited, NULL, NULL, on_result_cb, &result);
  again = esc_client_update_sla_draft_finish (manager, await_result (&result), &error);
  g_assert_null (again);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (esc_api_error_get_field (error), ==, "/calendar_id");
}

/* The SLA paths are built like every other call's: ids escaped, so that an
 * id can never add a segment or a query; an empty id or version 0 is refused
 * before anything is sent. */
static void
test_request_paths (void)
{
  g_autoptr(EscSlaAgreementVersion) terms = esc_sla_agreement_version_new ();
  g_autoptr(EscCalendar) calendar = esc_calendar_new ("UTC", NULL);
  g_autoptr(GError) error = NULL;
  EscApiRequest *request;

  request = esc_api_request_get_sla_calendar ("a/b?c=d", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/v1/sla-calendars/a%2Fb%3Fc%3Dd");
  esc_api_request_free (request);

  request = esc_api_request_accept_sla_version ("SLA-000001/../x", 2, "it-admin", "\"version-3\"", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/v1/sla-agreements/SLA-000001%2F..%2Fx/versions/2/accept");
  g_assert_cmpstr (request->if_match, ==, "\"version-3\"");
  {
    g_autofree char *body = esc_api_request_dup_body_text (request);

    g_assert_cmpstr (body, ==, "{\"as\":\"it-admin\"}");
  }
  esc_api_request_free (request);

  request = esc_api_request_retire_sla_version ("SLA-000001", 1, NULL, &error);
  g_assert_cmpstr (request->path, ==, "/v1/sla-agreements/SLA-000001/versions/1/retire");
  g_assert_null (request->body);
  esc_api_request_free (request);

  esc_sla_agreement_version_set_agreement_id (terms, "SLA-000002");
  esc_sla_agreement_version_set_version (terms, 3);
  esc_sla_agreement_version_set_calendar_id (terms, "paris");
  request = esc_api_request_update_sla_draft (terms, NULL, &error);
  g_assert_cmpstr (request->method, ==, "PUT");
  g_assert_cmpstr (request->path, ==, "/v1/sla-agreements/SLA-000002/versions/3");
  esc_api_request_free (request);

  /* Refused before sending */
  g_assert_null (esc_api_request_get_sla_calendar ("", &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_null (esc_api_request_put_sla_calendar (calendar, NULL, &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_null (esc_api_request_get_sla_version ("SLA-000001", 0, &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  g_clear_error (&error);

  /* And the client reports it as the call's error */
  {
    g_autoptr(EscClient) client = new_client (admin_token);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(EscCalendar) none = NULL;

    esc_client_get_sla_calendar_async (client, "", NULL, on_result_cb, &result);
    none = esc_client_get_sla_calendar_finish (client, await_result (&result), NULL, &error);
    g_assert_null (none);
    g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  admin_token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin", &error);
  g_assert_no_error (error);
  manager_token = esc_test_service_create_token (service, "noor", "noor@example.org", "partner-manager", &error);
  g_assert_no_error (error);

  g_test_add_func ("/api/sla/calendars", test_calendars);
  g_test_add_func ("/api/sla/agreement", test_agreement);
  g_test_add_func ("/api/sla/if-match", test_if_match);
  g_test_add_func ("/api/sla/request-paths", test_request_paths);

  ret = g_test_run ();

  g_clear_pointer (&service, esc_test_service_stop);
  g_free (admin_token);
  g_free (manager_token);
  return ret;
}
