/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "esc-account.h"
#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-saved-account.h"
#include "esc-test-keyring.h"
#include "esc-test-service.h"
#include "esc-workspace.h"

/* The typed v1 endpoints against a real escalade-service, the errors each
 * failure gives, trusting a self-signed certificate, and saved accounts. */

static EscTestKeyring *keyring;
static EscTestService *service;
static char *admin_token;
static char *staff_token;
static char *plain_token;

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
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_test_service_run (service, argv, NULL, &error));
  g_assert_no_error (error);
}

static EscSupportRequest *
new_request (const char *title)
{
  g_autoptr(EscSupportContact) contact = NULL;
  EscSupportRequest *request = esc_support_request_new ();

  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org",
                                     "+33 1 23 45 67 89", ESC_CONTACT_METHOD_PHONE, "fr");
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_C);
  esc_support_request_set_category (request, "network");
  esc_support_request_set_subcategory (request, "proxy");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, "A planned proxy change.");
  esc_support_request_set_contact (request, contact);

  return request;
}

/* Support requests ---------------------------------------------------------- */

static void
test_support_requests (void)
{
  g_autoptr(EscClient) client = new_client (admin_token);
  g_autoptr(EscSupportRequest) request = new_request ("Proxy change on Saturday");
  g_autoptr(EscSupportRequest) filed = NULL;
  g_autoptr(EscSupportRequest) again = NULL;
  g_autoptr(EscSupportRequest) read = NULL;
  g_autoptr(EscSupportRequestEvent) comment = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autofree char *id = NULL;

  esc_client_create_support_request_async (client, request, "key-proxy-1", NULL, on_result_cb, &result);
  filed = esc_client_create_support_request_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  id = g_strdup (esc_support_request_get_id (filed));
  g_assert_true (g_str_has_prefix (id, "SR-"));
  g_assert_nonnull (esc_support_request_get_response_due_at (filed));
  g_clear_object (&result);

  /* The same key: the first answer, nothing new. */
  esc_client_create_support_request_async (client, request, "key-proxy-1", NULL, on_result_cb, &result);
  again = esc_client_create_support_request_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_support_request_get_id (again), ==, id);
  g_clear_object (&result);

  esc_client_add_comment_async (client, id, "The change is at 06:00.", NULL, NULL, on_result_cb, &result);
  comment = esc_client_add_comment_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (comment->kind, ==, "comment");
  g_assert_cmpstr (comment->text, ==, "The change is at 06:00.");
  g_clear_object (&result);

  esc_client_get_support_request_async (client, id, NULL, on_result_cb, &result);
  read = esc_client_get_support_request_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (esc_support_request_get_timeline (read));
  g_assert_cmpuint (esc_support_request_get_timeline (read)->len, >=, 2);
  g_clear_object (&result);

  esc_client_list_support_requests_async (client, NULL, NULL, 1, NULL, on_result_cb, &result);
  page = esc_client_list_support_requests_finish (client, await_result (&result), &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_clear_object (&result);

  /* Not resolved: it cannot be reactivated (409). */
  esc_client_reactivate_support_request_async (client, id, "Still broken", NULL, NULL,
                                               on_result_cb, &result);
  g_assert_null (esc_client_reactivate_support_request_finish (client, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_CONFLICT);
  g_assert_cmpuint (esc_api_error_get_status (error), ==, 409);
  g_assert_false (esc_api_error_is_transient (error));
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Nobody may see a request that does not exist (404, with the service's words). */
  esc_client_get_support_request_async (client, "SR-999999", NULL, on_result_cb, &result);
  g_assert_null (esc_client_get_support_request_finish (client, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND);
}

static void
test_refusals (void)
{
  g_autoptr(EscClient) plain = new_client (plain_token);
  g_autoptr(EscClient) admin = new_client (admin_token);
  g_autoptr(EscSupportRequest) request = new_request ("Refused");
  g_autoptr(EscSupportRequest) filed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* 403 with the service's reason. */
  esc_client_create_support_request_async (plain, request, NULL, NULL, on_result_cb, &result);
  filed = esc_client_create_support_request_finish (plain, await_result (&result), &error);
  g_assert_null (filed);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN);
  g_assert_cmpuint (esc_api_error_get_status (error), ==, 403);
  g_assert_nonnull (esc_api_error_get_detail (error));
  g_assert_nonnull (strstr (error->message, esc_api_error_get_detail (error)));
  g_test_message ("403: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&result);

  /* 422 with the service's detail and field. */
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_A);
  esc_client_create_support_request_async (admin, request, NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_create_support_request_finish (admin, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_cmpuint (esc_api_error_get_status (error), ==, 422);
  g_assert_nonnull (esc_api_error_get_field (error));
  g_assert_nonnull (strstr (esc_api_error_get_field (error), "severity"));
  g_assert_nonnull (esc_api_error_get_problem_type (error));
  g_test_message ("422: %s [%s]", error->message, esc_api_error_get_field (error));
  g_clear_error (&error);
  g_clear_object (&result);

  /* 401: revoked or unknown, asks to sign in. */
  {
    g_autoptr(EscClient) nobody = new_client ("esc_not-a-token");

    esc_client_list_staff_async (nobody, NULL, on_result_cb, &result);
    g_assert_null (esc_client_list_staff_finish (nobody, await_result (&result), &error));
    g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
    g_assert_false (esc_api_error_is_transient (error));
  }
}

/* Staff, devices, elevation --------------------------------------------------- */

static void
test_elevation (void)
{
  g_autoptr(EscClient) admin = new_client (admin_token);
  g_autoptr(EscClient) staff = new_client (staff_token);
  g_autoptr(EscClient) plain = new_client (plain_token);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) designations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EscStaffMember) updated = NULL;
  g_autoptr(EscElevationRequest) opened = NULL;
  g_autoptr(EscElevationRequest) renewed = NULL;
  g_autoptr(EscElevationRequest) closed = NULL;
  g_autoptr(EscElevationRequest) read = NULL;
  g_autoptr(EscElevationPassword) password = NULL;
  g_autoptr(EscElevationPassword) copy = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  g_autofree char *id = NULL;
  gint64 staff_id = 0;
  const char *add_broad[] = { "device", "add", "--name", "MMD-03690457680", "--serial", "SN-1",
                              "--group", "broad", NULL };
  const char *add_test[] = { "device", "add", "--name", "MMD-TEST-1", "--serial", "SN-2",
                             "--group", "test", NULL };

  run (add_broad);
  run (add_test);

  esc_client_list_staff_async (admin, NULL, on_result_cb, &result);
  members = esc_client_list_staff_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  for (guint i = 0; i < members->len; i++)
    {
      if (g_str_equal (esc_staff_member_get_name (g_ptr_array_index (members, i)), "dominique"))
        staff_id = esc_staff_member_get_id (g_ptr_array_index (members, i));
    }
  g_assert_cmpint (staff_id, >, 0);

  /* Designated for elevation by the IT administrator. */
  g_ptr_array_add (designations, esc_designation_new ("elevation", "On call this month", NULL));
  esc_client_set_designations_async (admin, staff_id, designations, NULL, NULL, on_result_cb, &result);
  updated = esc_client_set_designations_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (esc_staff_member_has_capability (updated, "elevation"));
  g_clear_object (&result);

  /* Not designated: 403 with the reason. */
  esc_client_create_elevation_request_async (plain, "INC0012345", "MMD-03690457680", "devices",
                                             "printer-driver", "Reinstall the driver",
                                             "Run the troubleshooter elevated.", NULL, NULL,
                                             on_result_cb, &result);
  g_assert_null (esc_client_create_elevation_request_finish (plain, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_clear_object (&result);

  esc_client_list_devices_async (staff, "mmd-0369", NULL, 0, NULL, on_result_cb, &result);
  devices = esc_client_list_devices_finish (staff, await_result (&result), &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (esc_device_get_group (g_ptr_array_index (devices, 0)), ==, "broad");
  g_clear_object (&result);

  /* Unknown device: 404; a device of the test group: 422. */
  esc_client_create_elevation_request_async (staff, "INC1", "NO-SUCH-DEVICE", "devices", "x",
                                             "t", "p", NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_create_elevation_request_finish (staff, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&result);
  esc_client_create_elevation_request_async (staff, "INC1", "MMD-TEST-1", "devices", "x",
                                             "t", "p", NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_create_elevation_request_finish (staff, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_clear_error (&error);
  g_clear_object (&result);

  esc_client_create_elevation_request_async (staff, "INC0012345", "MMD-03690457680", "devices",
                                             "printer-driver", "Reinstall the driver",
                                             "Run the troubleshooter elevated.", NULL, NULL,
                                             on_result_cb, &result);
  opened = esc_client_create_elevation_request_finish (staff, await_result (&result), &error);
  g_assert_no_error (error);
  id = g_strdup (esc_elevation_request_get_id (opened));
  g_assert_cmpstr (esc_elevation_request_get_state (opened), ==, "open");
  g_assert_cmpstr (esc_elevation_request_get_device_group (opened), ==, "broad");
  g_clear_object (&result);

  /* The password: in memory, in a struct that wipes it. */
  esc_client_get_elevation_password_async (staff, id, NULL, on_result_cb, &result);
  password = esc_client_get_elevation_password_finish (staff, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (password->account);
  g_assert_nonnull (password->password);
  g_assert_cmpuint (strlen (password->password), >, 0);
  g_assert_nonnull (password->rotates_at);
  copy = esc_elevation_password_copy (password);
  g_assert_cmpstr (copy->password, ==, password->password);
  g_clear_object (&result);

  esc_client_get_elevation_request_async (staff, id, NULL, on_result_cb, &result);
  read = esc_client_get_elevation_request_finish (staff, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_elevation_request_get_password_views (read), ==, 1);
  g_clear_object (&result);

  esc_client_renew_elevation_request_async (staff, id, NULL, NULL, on_result_cb, &result);
  renewed = esc_client_renew_elevation_request_finish (staff, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (esc_elevation_request_get_renewed_at (renewed));
  g_clear_object (&result);

  esc_client_close_elevation_request_async (staff, id, "Reinstalled the driver.", NULL, NULL,
                                            on_result_cb, &result);
  closed = esc_client_close_elevation_request_finish (staff, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_elevation_request_get_state (closed), ==, "closed");
  g_assert_cmpstr (esc_elevation_request_get_actions_taken (closed), ==, "Reinstalled the driver.");
  g_assert_cmpstr (esc_elevation_request_get_closed_by (closed), ==, "dominique");
  g_clear_object (&result);

  /* Closed: no more password (409). */
  esc_client_get_elevation_password_async (staff, id, NULL, on_result_cb, &result);
  g_assert_null (esc_client_get_elevation_password_finish (staff, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  {
    g_autoptr(GPtrArray) mine = NULL;

    esc_client_list_elevation_requests_async (staff, "closed", NULL, 0, NULL, on_result_cb, &result);
    mine = esc_client_list_elevation_requests_finish (staff, await_result (&result), NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (mine->len, ==, 1);
  }
}

static void
test_admin_contacts_and_audit (void)
{
  g_autoptr(EscClient) admin = new_client (admin_token);
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(EscAdminContact) stored = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 next_after = 0;
  gint64 last_id;

  contact = esc_support_contact_new ("Ali", "Ben", "ali@example.org", "+33 6 00 00 00 00",
                                     ESC_CONTACT_METHOD_EMAIL, "en");
  esc_client_set_admin_contact_async (admin, "security", contact, NULL, on_result_cb, &result);
  stored = esc_client_set_admin_contact_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_admin_contact_get_area (stored), ==, "security");
  g_assert_cmpstr (esc_admin_contact_get_contact (stored)->email, ==, "ali@example.org");
  g_clear_object (&result);

  esc_client_list_admin_contacts_async (admin, NULL, on_result_cb, &result);
  contacts = esc_client_list_admin_contacts_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, 1);
  g_clear_object (&result);

  esc_client_list_audit_async (admin, 0, 500, NULL, on_result_cb, &result);
  events = esc_client_list_audit_finish (admin, await_result (&result), &next_after, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  last_id = esc_audit_event_get_id (g_ptr_array_index (events, events->len - 1));
  g_clear_object (&result);

  esc_client_list_audit_async (admin, last_id, 500, NULL, on_result_cb, &result);
  none = esc_client_list_audit_finish (admin, await_result (&result), &next_after, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (next_after, ==, -1);
}

/* TLS ----------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static EscIdentity *
get_me (EscClient  *client,
        GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  esc_client_get_me_async (client, NULL, on_result_cb, &result);
  return esc_client_get_me_finish (client, await_result (&result), error);
}

/* A self-signed service: refused, with its certificate for the user to
 * judge; once trusted, exactly that certificate is accepted for that URL,
 * remembered in the workspace. */
static void
test_tls_trust (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscTestService) tls_service = NULL;
  g_autoptr(EscTestService) other_service = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscClient) restarted = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(GTlsCertificate) presented = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *other_dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *other_cert = NULL;
  g_autofree char *other_key = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *workspace_path = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *stored = NULL;

  dir = g_dir_make_tmp ("escalade-tls-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (esc_test_make_self_signed_cert (dir, &cert, &key, &error));
  tls_service = esc_test_service_start_tls (cert, key, &error);
  g_assert_no_error (error);
  token = esc_test_service_create_token (tls_service, "camille", "camille@example.org", "it-admin",
                                         &error);
  g_assert_no_error (error);

  workspace_path = g_build_filename (dir, "workspace.sqlite3", NULL);
  workspace = esc_workspace_open (workspace_path, &error);
  g_assert_no_error (error);

  client = esc_client_new ();
  esc_client_set_workspace (client, workspace);
  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (tls_service), &error));
  esc_client_set_token (client, token);

  identity = get_me (client, &error);
  g_assert_null (identity);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_TLS);
  g_assert_false (esc_api_error_is_transient (error));
  presented = g_object_ref (esc_api_error_get_peer_certificate (error));
  g_assert_nonnull (presented);
  g_assert_true (esc_api_error_get_tls_errors (error) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  fingerprint = esc_client_dup_certificate_fingerprint (presented);
  g_assert_true (g_str_has_prefix (fingerprint, "sha256:"));
  g_assert_cmpuint (strlen (fingerprint), ==, strlen ("sha256:") + 64);
  g_test_message ("%s (%s)", error->message, fingerprint);
  g_clear_error (&error);
  g_assert_null (esc_client_dup_trusted_fingerprint (client, esc_test_service_get_url (tls_service)));

  /* The user trusts it. */
  g_assert_true (esc_client_trust_certificate (client, esc_test_service_get_url (tls_service),
                                               presented, &error));
  g_assert_no_error (error);
  identity = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_identity_get_name (identity), ==, "camille");
  g_clear_object (&identity);

  /* Remembered in the workspace, for the next start. */
  stored = esc_client_dup_trusted_fingerprint (client, esc_test_service_get_url (tls_service));
  g_assert_cmpstr (stored, ==, fingerprint);
  restarted = esc_client_new ();
  esc_client_set_workspace (restarted, workspace);
  g_assert_true (esc_client_set_base_url (restarted, esc_test_service_get_url (tls_service), &error));
  esc_client_set_token (restarted, token);
  identity = get_me (restarted, &error);
  g_assert_no_error (error);
  g_clear_object (&identity);

  /* Another certificate at another URL is not trusted by that. */
  other_dir = g_dir_make_tmp ("escalade-tls-XXXXXX", &error);
  g_assert_true (esc_test_make_self_signed_cert (other_dir, &other_cert, &other_key, &error));
  other_service = esc_test_service_start_tls (other_cert, other_key, &error);
  g_assert_no_error (error);
  other_token = esc_test_service_create_token (other_service, "camille", "c@example.org",
                                               "it-admin", &error);
  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (other_service), &error));
  esc_client_set_token (client, other_token);
  identity = get_me (client, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_TLS);
  g_clear_error (&error);

  /* Even trusted for that URL, another certificate is refused. */
  g_assert_true (esc_client_trust_certificate (client, esc_test_service_get_url (other_service),
                                               presented, &error));
  identity = get_me (client, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_TLS);
  g_clear_error (&error);

  /* Forgetting it refuses the first service again. */
  g_assert_true (esc_client_trust_certificate (client, esc_test_service_get_url (tls_service),
                                               NULL, &error));
  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (tls_service), &error));
  esc_client_set_token (client, token);
  identity = get_me (client, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_TLS);
  g_clear_error (&error);

  g_clear_pointer (&tls_service, esc_test_service_stop);
  g_clear_pointer (&other_service, esc_test_service_stop);
  g_clear_object (&client);
  g_clear_object (&restarted);
  g_clear_object (&workspace);
  remove_tree (dir);
  remove_tree (other_dir);
}

/* Accounts ------------------------------------------------------------------ */

static void
test_accounts (void)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(EscAccount) account = esc_account_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GListModel) saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *url = esc_test_service_get_url (service);
  guint n_before;

  esc_account_list_saved_async (account, NULL, on_result_cb, &result);
  saved = esc_account_list_saved_finish (account, await_result (&result), &error);
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (saved);
  g_clear_object (&saved);
  g_clear_object (&result);

  /* Two accounts on one service. */
  esc_account_sign_in_async (account, url, admin_token, NULL, on_result_cb, &result);
  identity = esc_account_sign_in_finish (account, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&identity);
  g_clear_object (&result);
  esc_account_sign_in_async (account, url, staff_token, NULL, on_result_cb, &result);
  identity = esc_account_sign_in_finish (account, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_account_get_user (account), ==, "dominique");
  g_clear_object (&identity);
  g_clear_object (&result);

  esc_account_list_saved_async (account, NULL, on_result_cb, &result);
  saved = esc_account_list_saved_finish (account, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (saved), ==, n_before + 2);
  g_clear_object (&result);

  /* Switch back to the first, from the keyring. */
  esc_account_restore_async (account, url, "camille", NULL, on_result_cb, &result);
  identity = esc_account_restore_finish (account, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_identity_get_name (identity), ==, "camille");
  g_assert_cmpint (esc_account_get_state (account), ==, ESC_ACCOUNT_STATE_SIGNED_IN);
  g_clear_object (&identity);
  g_clear_object (&result);

  /* Signing out removes that token only. */
  esc_account_sign_out_async (account, NULL, on_result_cb, &result);
  g_assert_true (esc_account_sign_out_finish (account, await_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (esc_account_get_state (account), ==, ESC_ACCOUNT_STATE_SIGNED_OUT);
  g_assert_false (esc_account_can_send (account));
  g_clear_object (&result);
  g_clear_object (&saved);

  esc_account_list_saved_async (account, NULL, on_result_cb, &result);
  saved = esc_account_list_saved_finish (account, await_result (&result), &error);
  g_assert_cmpuint (g_list_model_get_n_items (saved), ==, n_before + 1);
  for (guint i = 0; i < g_list_model_get_n_items (saved); i++)
    {
      g_autoptr(EscSavedAccount) entry = g_list_model_get_item (saved, i);

      g_assert_cmpstr (esc_saved_account_get_user (entry), !=, "camille");
    }
  g_clear_object (&result);

  esc_account_restore_async (account, url, "camille", NULL, on_result_cb, &result);
  identity = esc_account_restore_finish (account, await_result (&result), &error);
  g_assert_null (identity);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
}

/* Staff and access (issue 10) ----------------------------------------------- */

static gboolean
staff_has (EscClient  *client,
           const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;

  esc_client_list_staff_async (client, NULL, on_result_cb, &result);
  members = esc_client_list_staff_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < members->len; i++)
    {
      if (g_str_equal (esc_staff_member_get_name (g_ptr_array_index (members, i)), name))
        return TRUE;
    }

  return FALSE;
}

static void
test_staff_access (void)
{
  g_autoptr(EscClient) admin = new_client (admin_token);
  g_autoptr(EscClient) plain = new_client (plain_token);
  g_autoptr(EscStaffMember) created = NULL;
  g_autoptr(EscStaffMember) read = NULL;
  g_autoptr(EscStaffMember) updated = NULL;
  g_autoptr(EscStaffAccessRemoval) removal = NULL;
  g_autoptr(GPtrArray) designations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_etag = NULL;
  const char * const roles[] = { "support-staff", NULL };
  EscStaffMember *current;
  GPtrArray *bad_rows;
  guint imported = 99;
  const char *bad_csv =
    "name,email,team,roles\r\n"
    "ana,ana@example.org,Help desk,support-staff\r\n"
    "bob,not-an-address,,support-staff\r\n"
    "chloe,chloe@example.org,,support-staff;it-admin\r\n"
    "dan,ANA@example.org,,wizard\r\n";
  const char *good_csv =
    "name,email,team,roles\n"
    "ana,ana@example.org,Help desk,support-staff\n"
    "\"Chloé, Jr.\",chloe@example.org,,support-staff;it-admin\n";

  /* One person, with a team. */
  esc_client_create_staff_member_async (admin, "lou", "lou@example.org", "Field support", roles,
                                        NULL, NULL, on_result_cb, &result);
  created = esc_client_create_staff_member_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (esc_staff_member_get_name (created), ==, "lou");
  g_assert_cmpstr (esc_staff_member_get_team (created), ==, "Field support");
  g_assert_false (esc_staff_member_get_disabled (created));
  g_assert_nonnull (esc_staff_member_get_etag (created));

  /* The same email again (case aside): 409; a bad address: 422 naming it. */
  esc_client_create_staff_member_async (admin, "lou2", "LOU@example.org", NULL, roles,
                                        NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_create_staff_member_finish (admin, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);
  esc_client_create_staff_member_async (admin, "lou3", "lou3-at-example.org", NULL, roles,
                                        NULL, NULL, on_result_cb, &result);
  g_assert_null (esc_client_create_staff_member_finish (admin, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (esc_api_error_get_field (error), ==, "/email");
  g_clear_error (&error);
  g_clear_object (&result);

  /* Read back with the same version. */
  esc_client_get_staff_member_async (admin, esc_staff_member_get_id (created), NULL, on_result_cb, &result);
  read = esc_client_get_staff_member_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (esc_staff_member_get_etag (read), ==, esc_staff_member_get_etag (created));
  first_etag = g_strdup (esc_staff_member_get_etag (read));

  /* Only IT administrators read a person. */
  esc_client_get_staff_member_async (plain, esc_staff_member_get_id (created), NULL, on_result_cb, &result);
  g_assert_null (esc_client_get_staff_member_finish (plain, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Designated from the version read: accepted, and the version changes. */
  g_ptr_array_add (designations, esc_designation_new ("escalation", "Backup this week", NULL));
  esc_client_set_designations_async (admin, esc_staff_member_get_id (read), designations,
                                     first_etag, NULL, on_result_cb, &result);
  updated = esc_client_set_designations_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (esc_staff_member_has_capability (updated, "escalation"));
  g_assert_cmpstr (esc_staff_member_get_etag (updated), !=, first_etag);

  /* The same change from the stale version: 412 with the person as now. */
  g_ptr_array_set_size (designations, 0);
  esc_client_set_designations_async (admin, esc_staff_member_get_id (read), designations,
                                     first_etag, NULL, on_result_cb, &result);
  g_assert_null (esc_client_set_designations_finish (admin, await_result (&result), &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_PRECONDITION_FAILED);
  current = esc_api_error_get_current_staff_member (error);
  g_assert_nonnull (current);
  g_assert_true (esc_staff_member_has_capability (current, "escalation"));
  g_assert_cmpstr (esc_staff_member_get_etag (current), ==, esc_staff_member_get_etag (updated));
  g_clear_error (&error);
  g_clear_object (&result);

  /* An import with bad rows: every one named, nothing imported. */
  esc_client_import_staff_async (admin, bad_csv, NULL, NULL, on_result_cb, &result);
  g_assert_false (esc_client_import_staff_finish (admin, await_result (&result), &imported, &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_cmpuint (imported, ==, 0);
  bad_rows = esc_api_error_get_import_errors (error);
  g_assert_nonnull (bad_rows);
  g_assert_cmpuint (bad_rows->len, ==, 3);  /* line 3: email; line 5: email repeated, role */
  g_assert_cmpuint (((EscStaffImportError *)g_ptr_array_index (bad_rows, 0))->line, ==, 3);
  g_assert_cmpuint (((EscStaffImportError *)g_ptr_array_index (bad_rows, 1))->line, ==, 5);
  g_assert_cmpuint (((EscStaffImportError *)g_ptr_array_index (bad_rows, 2))->line, ==, 5);
  g_assert_nonnull (strstr (((EscStaffImportError *)g_ptr_array_index (bad_rows, 2))->reason, "wizard"));
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_false (staff_has (admin, "ana"));

  esc_client_import_staff_async (admin, good_csv, NULL, NULL, on_result_cb, &result);
  g_assert_true (esc_client_import_staff_finish (admin, await_result (&result), &imported, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (imported, ==, 2);
  g_clear_object (&result);
  g_assert_true (staff_has (admin, "ana"));
  g_assert_true (staff_has (admin, "Chloé, Jr."));

  /* Remove access: the designation goes, the person is disabled. */
  esc_client_remove_access_async (admin, esc_staff_member_get_id (read), "Left the company",
                                  NULL, NULL, on_result_cb, &result);
  removal = esc_client_remove_access_finish (admin, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_true (esc_staff_member_get_disabled (removal->person));
  g_assert_false (esc_staff_member_has_capability (removal->person, "escalation"));
  g_assert_cmpuint (removal->designations_withdrawn, ==, 1);
  g_assert_cmpuint (removal->tokens_revoked, ==, 0);
  g_assert_cmpuint (removal->elevations_closed, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  keyring = esc_test_keyring_start (&error);
  g_assert_no_error (error);
  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  admin_token = esc_test_service_create_token (service, "camille", "camille@example.org",
                                               "it-admin", &error);
  g_assert_no_error (error);
  staff_token = esc_test_service_create_token (service, "dominique", "dominique@example.org",
                                               "support-staff", &error);
  g_assert_no_error (error);
  plain_token = esc_test_service_create_token (service, "sacha", "sacha@example.org",
                                               "support-staff", &error);
  g_assert_no_error (error);

  g_test_add_func ("/api/endpoints/support-requests", test_support_requests);
  g_test_add_func ("/api/endpoints/refusals", test_refusals);
  g_test_add_func ("/api/endpoints/elevation", test_elevation);
  g_test_add_func ("/api/endpoints/admin-contacts-and-audit", test_admin_contacts_and_audit);
  g_test_add_func ("/api/endpoints/staff-access", test_staff_access);
  g_test_add_func ("/api/endpoints/tls-trust", test_tls_trust);
  g_test_add_func ("/api/endpoints/accounts", test_accounts);

  ret = g_test_run ();

  g_clear_pointer (&service, esc_test_service_stop);
  g_free (admin_token);
  g_free (staff_token);
  g_free (plain_token);
  secret_service_disconnect ();
  g_clear_pointer (&keyring, esc_test_keyring_stop);

  return ret;
}
