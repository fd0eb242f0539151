/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "esc-account.h"
#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-client-sla.h"
#include "esc-sync.h"
#include "esc-test-keyring.h"
#include "esc-test-service.h"
#include "esc-workspace.h"

/* The sync against a real escalade-service: incremental, paged, live; and no
 * token anywhere but the keyring after a whole sign-in, file and sync cycle. */

#define WAIT_SECONDS 60

static EscTestKeyring *keyring;
static EscTestService *service;
static char *admin_token;
static GString *captured_log;

typedef struct
{
  char            *dir;
  char            *path;
  EscWorkspace    *workspace;
  EscMirror       *mirror;
  EscOutbox       *outbox;
  EscClient       *client;
  EscAccount      *account;
  EscSync         *sync;
} Fixture;

/* Every log message of the process, as a log file would hold it. */
static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") || g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        {
          if (fields[i].length < 0)
            g_string_append (captured_log, fields[i].value);
          else
            g_string_append_len (captured_log, fields[i].value, fields[i].length);
          g_string_append_c (captured_log, '\n');
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition    condition,
            gpointer     data,
            const char  *what)
{
  gboolean expired = FALSE;
  guint deadline = g_timeout_add_seconds (WAIT_SECONDS, deadline_cb, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    g_error ("Still waiting for %s after %d s", what, WAIT_SECONDS);
  g_source_remove (deadline);
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **)data != NULL;
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  wait_until (has_result, slot, "an answer");
  return *slot;
}

static EscSupportRequest *
new_request (const char *title)
{
  g_autoptr(EscSupportContact) contact = NULL;
  EscSupportRequest *request = esc_support_request_new ();

  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org",
                                     "+33 1 23 45 67 89", ESC_CONTACT_METHOD_EMAIL, "fr");
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_B);
  esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS);
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "configuration-policy");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, "Filed for the sync test.");
  esc_support_request_set_contact (request, contact);

  return request;
}

/* Filed directly on the service, as another client would. */
static char *
create_on_service (EscClient  *client,
                   const char *title)
{
  g_autoptr(EscSupportRequest) request = new_request (title);
  g_autoptr(EscSupportRequest) filed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  esc_client_create_support_request_async (client, request, NULL, NULL, on_result_cb, &result);
  filed = esc_client_create_support_request_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_support_request_get_state (filed), ==, ESC_SUPPORT_REQUEST_STATE_NEW);

  return g_strdup (esc_support_request_get_id (filed));
}

static void
sign_in (Fixture    *fixture,
         const char *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  esc_account_sign_in_async (fixture->account, esc_test_service_get_url (service), token,
                             NULL, on_result_cb, &result);
  identity = esc_account_sign_in_finish (fixture->account, await_result (&result), &error);
  g_assert_no_error (error);
}

static gboolean
run_sync (Fixture  *fixture,
          GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  esc_sync_run_async (fixture->sync, NULL, on_result_cb, &result);
  if (!esc_sync_run_finish (fixture->sync, await_result (&result), error))
    {
      g_autofree char *log = esc_test_service_dup_log (service);

      g_test_message ("the sync failed; the service's log:\n%s", log);
      return FALSE;
    }

  return TRUE;
}

static void
open_workspace (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->mirror = esc_mirror_new (fixture->workspace);
  fixture->outbox = esc_outbox_new (fixture->mirror);
  fixture->sync = esc_sync_new (fixture->account, fixture->mirror);
}

static void
close_workspace (Fixture *fixture)
{
  esc_sync_stop (fixture->sync);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->mirror);
  g_clear_object (&fixture->workspace);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-api-sync-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->client = esc_client_new ();
  fixture->account = esc_account_new (fixture->client);
  sign_in (fixture, admin_token);
  open_workspace (fixture);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_workspace (fixture);
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->client);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Tests --------------------------------------------------------------------- */

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Change;

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     gpointer    user_data)
{
  Change *change = user_data;

  change->position = position;
  change->removed = removed;
  change->added = added;
  change->count++;
}

static guint
count_title (GListModel *model,
             const char *title)
{
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (model, i);

      if (g_strcmp0 (esc_support_request_get_title (request), title) == 0)
        count++;
    }

  return count;
}

static void
test_incremental (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *requests = esc_mirror_get_support_requests (fixture->mirror);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(EscSupportRequest) patched = NULL;
  g_autoptr(EscSupportRequest) top = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  Change change = { 0, };
  guint n;

  first = create_on_service (fixture->client, "Sync: first");
  second = create_on_service (fixture->client, "Sync: second");

  g_assert_null (esc_sync_get_last_synced (fixture->sync));
  run_sync (fixture, &error);
  g_assert_no_error (error);
  g_assert_null (esc_sync_get_last_error (fixture->sync));
  g_assert_nonnull (esc_sync_get_last_synced (fixture->sync));
  g_assert_cmpint (g_date_time_compare (esc_sync_get_last_synced (fixture->sync), before), >=, 0);
  g_assert_cmpstr (esc_mirror_get_service (fixture->mirror), ==, esc_test_service_get_url (service));

  n = g_list_model_get_n_items (requests);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (count_title (requests, "Sync: first"), ==, 1);
  g_assert_cmpuint (count_title (requests, "Sync: second"), ==, 1);

  /* Synced again with nothing new: nothing changes. */
  g_signal_connect (requests, "items-changed", G_CALLBACK (on_items_changed_cb), &change);
  run_sync (fixture, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, n);

  /* Changed on the service: the list changes live, that request on top. */
  patch = json_from_string ("{\"notes\":\"Seen by the operations team.\",\"severity\":\"C\","
                            "\"engagement\":null}", &error);
  g_assert_no_error (error);
  esc_client_patch_support_request_async (fixture->client, first, patch, NULL, on_result_cb, &result);
  patched = esc_client_patch_support_request_finish (fixture->client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_support_request_get_severity (patched), ==, ESC_SUPPORT_SEVERITY_C);

  change.count = 0;
  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (change.count, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, n);
  /* On top, or next to one updated in the same second. */
  for (guint i = 0; i < 2 && top == NULL; i++)
    {
      g_autoptr(EscSupportRequest) item = g_list_model_get_item (requests, i);

      if (g_strcmp0 (esc_support_request_get_id (item), first) == 0)
        top = g_steal_pointer (&item);
    }
  g_assert_nonnull (top);
  g_assert_cmpuint (change.position, <=, 1);
  g_assert_cmpstr (esc_support_request_get_notes (top), ==, "Seen by the operations team.");
  g_assert_cmpint (esc_support_request_get_severity (top), ==, ESC_SUPPORT_SEVERITY_C);

  g_signal_handlers_disconnect_by_data (requests, &change);

  /* A detail view reads one request with its timeline. */
  {
    g_autoptr(GAsyncResult) refreshed = NULL;
    g_autoptr(EscSupportRequest) detail = NULL;

    esc_sync_refresh_support_request_async (fixture->sync, first, NULL, on_result_cb, &refreshed);
    g_assert_true (esc_sync_refresh_support_request_finish (fixture->sync, await_result (&refreshed),
                                                            &error));
    g_assert_no_error (error);
    detail = esc_mirror_dup_support_request (fixture->mirror, first);
    g_assert_nonnull (esc_support_request_get_timeline (detail));
    g_assert_cmpuint (esc_support_request_get_timeline (detail)->len, >=, 2);
  }

  /* The time of the last sync is kept in the workspace. */
  {
    g_autoptr(GDateTime) synced = g_date_time_ref (esc_sync_get_last_synced (fixture->sync));

    close_workspace (fixture);
    open_workspace (fixture);
    g_assert_nonnull (esc_sync_get_last_synced (fixture->sync));
    g_assert_true (g_date_time_equal (esc_sync_get_last_synced (fixture->sync), synced));
  }
}

/* More requests than one page: every page is followed. */
static void
test_paging (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *requests = esc_mirror_get_support_requests (fixture->mirror);
  g_autoptr(GError) error = NULL;
  guint before;

  g_assert_true (run_sync (fixture, &error));
  before = g_list_model_get_n_items (requests);

  for (guint i = 0; i < 450; i++)
    {
      g_autofree char *title = g_strdup_printf ("Paged %u", i);

      g_free (create_on_service (fixture->client, title));
    }

  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, before + 450);
  g_assert_cmpuint (count_title (requests, "Paged 0"), ==, 1);
  g_assert_cmpuint (count_title (requests, "Paged 449"), ==, 1);
}

static gboolean
has_title (gpointer data)
{
  Fixture *fixture = data;

  return count_title (esc_mirror_get_support_requests (fixture->mirror),
                      g_object_get_data (G_OBJECT (fixture->mirror), "title")) == 1;
}

/* On a timer, without being asked. */
static void
test_timer (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = NULL;

  esc_sync_set_interval (fixture->sync, 1);
  esc_sync_start (fixture->sync);

  id = create_on_service (fixture->client, "Sync: seen by the timer");
  g_object_set_data (G_OBJECT (fixture->mirror), "title", (gpointer)"Sync: seen by the timer");
  wait_until (has_title, fixture, "the timer's sync");
}

/* The staff with their designations and the audit log, for an IT
 * administrator; skipped without a word for anyone else. */
static void
test_staff_and_audit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *staff_token = NULL;
  GListModel *staff = esc_mirror_get_staff (fixture->mirror);
  GListModel *audit = esc_mirror_get_audit_events (fixture->mirror);
  g_autoptr(EscAuditEvent) newest = NULL;
  guint n_events;

  staff_token = esc_test_service_create_token (service, "ali", "ali@example.org", "support-staff",
                                               &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "designation", "grant", "--user", "ali", "--capability", "elevation",
                           NULL };

    g_assert_true (esc_test_service_run (service, argv, NULL, &error));
    g_assert_no_error (error);
  }

  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (staff), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr(EscStaffMember) member = g_list_model_get_item (staff, i);

      if (g_str_equal (esc_staff_member_get_name (member), "ali"))
        g_assert_true (esc_staff_member_has_capability (member, "elevation"));
    }

  n_events = g_list_model_get_n_items (audit);
  g_assert_cmpuint (n_events, >, 0);
  newest = g_list_model_get_item (audit, 0);
  g_assert_nonnull (esc_audit_event_get_action (newest));

  /* The next sync brings only what is new. */
  g_free (create_on_service (fixture->client, "Sync: one more audit event"));
  g_assert_true (run_sync (fixture, &error));
  g_assert_cmpuint (g_list_model_get_n_items (audit), >, n_events);

  /* A support-staff account: its requests only, no error for the rest. */
  close_workspace (fixture);
  sign_in (fixture, staff_token);
  g_assert_cmpstr (esc_account_get_user (fixture->account), ==, "ali");
  open_workspace (fixture);
  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  g_assert_null (esc_sync_get_last_error (fixture->sync));
}

static void
count_setting_cb (EscWorkspace *workspace,
                  const char   *key,
                  guint        *count)
{
  (*count)++;
}

static EscSupportModel *
put_support_model (Fixture         *fixture,
                   EscSupportModel *model,
                   const char      *if_match,
                   GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  esc_client_put_support_model_async (fixture->client, model, if_match, NULL, on_result_cb, &result);
  return esc_client_put_support_model_finish (fixture->client, await_result (&result), NULL, error);
}

/* The support model is the service's: a sync keeps it in the workspace (for
 * the exports and offline use), writing only what changed, and leaves the
 * workspace's own when the service has none chosen yet. */
static void
test_support_model (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(EscSupportModel) partner = esc_support_model_new (ESC_SUPPORT_MODEL_PARTNER_LED, " Contoso ",
                                                               "support@contoso.example");
  g_autoptr(EscSupportModel) stored = NULL;
  g_autoptr(EscSupportModel) refused = NULL;
  g_autoptr(EscSupportModel) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *model = NULL;
  guint changes = 0;

  g_signal_connect (fixture->workspace, "setting-changed::" ESC_WORKSPACE_SETTING_SUPPORT_MODEL,
                    G_CALLBACK (count_setting_cb), &changes);
  g_signal_connect (fixture->workspace, "setting-changed::" ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER,
                    G_CALLBACK (count_setting_cb), &changes);

  /* Not chosen on the service: what the workspace had stays */
  g_assert_true (esc_workspace_set_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL,
                                            "customer-led", &error));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  model = esc_workspace_dup_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  g_assert_cmpstr (model, ==, "customer-led");
  g_assert_cmpuint (changes, ==, 1);

  /* Set on the service (trimmed, with a stale If-Match refused first) */
  refused = put_support_model (fixture, partner, "\"support-model-7\"", &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_PRECONDITION_FAILED);
  g_assert_null (refused);
  g_clear_error (&error);
  stored = put_support_model (fixture, partner, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_support_model_get_provider_name (stored), ==, "Contoso");
  g_assert_cmpstr (esc_support_model_get_updated_by (stored), ==, "camille");

  /* The sync brings it in: both settings changed, each told once */
  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  kept = esc_sync_dup_support_model (fixture->workspace);
  g_assert_cmpint (esc_support_model_get_kind (kept), ==, ESC_SUPPORT_MODEL_PARTNER_LED);
  g_assert_cmpstr (esc_support_model_get_provider_name (kept), ==, "Contoso");
  g_assert_cmpstr (esc_support_model_get_provider_contacts (kept), ==, "support@contoso.example");
  g_assert_cmpuint (changes, ==, 3);

  /* Nothing new: nothing written again */
  g_assert_true (run_sync (fixture, &error));
  g_assert_cmpuint (changes, ==, 3);
  g_signal_handlers_disconnect_by_func (fixture->workspace, count_setting_cb, &changes);
}

static gboolean
account_needs_sign_in (gpointer data)
{
  return esc_account_get_state (data) == ESC_ACCOUNT_STATE_NEEDS_SIGN_IN;
}

static void
revoke_token (const char *token)
{
  const char *binary = g_getenv ("ESCALADE_SERVICE");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strconcat (token, "\n", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, binary, "--database", esc_test_service_get_database (service),
                              "token", "revoke", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = esc_test_service_create_token (service, "camille", "camille@example.org",
                                                          "it-admin", &error);

  g_assert_no_error (error);
  sign_in (fixture, token);
  revoke_token (token);

  g_assert_false (run_sync (fixture, &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
  wait_until (account_needs_sign_in, fixture->account, "a request to sign in again");
  g_assert_nonnull (esc_sync_get_last_error (fixture->sync));
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  gsize length = strlen (needle);

  for (gsize i = 0; length <= size && i <= size - length; i++)
    {
      if (memcmp (data + i, needle, length) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
assert_file_lacks (const char *path,
                   const char *token)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;

  if (!g_file_get_contents (path, &contents, &size, NULL))
    return;

  bytes = g_bytes_new_take (g_steal_pointer (&contents), size);
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", path, size);
  g_assert_false (bytes_contain (bytes, token));
}

static gboolean
outbox_sent (gpointer data)
{
  return esc_outbox_get_n_queued (data) == 0;
}

/* A whole cycle — sign in (the token goes to the keyring), file through the
 * outbox, sync — and the token is in no file, setting or log. */
static void
test_no_token_anywhere (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *service_log = NULL;
  g_autoptr(EscOutboxSender) sender = NULL;
  g_autoptr(EscSupportRequest) request = new_request ("Sync: filed while watching for tokens");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin",
                                         &error);
  g_assert_no_error (error);
  g_string_truncate (captured_log, 0);

  sign_in (fixture, token);
  g_assert_true (esc_account_get_token_saved (fixture->account));

  sender = esc_outbox_sender_new (fixture->account, fixture->outbox);
  esc_outbox_sender_start (sender);
  item = esc_outbox_sender_file_support_request (sender, request, NULL, &error);
  g_assert_no_error (error);
  wait_until (outbox_sent, fixture->outbox, "the outbox to be sent");
  g_assert_true (run_sync (fixture, &error));
  g_assert_no_error (error);
  esc_outbox_sender_stop (sender);

  /* Some logging happened, none of it the token. */
  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_null (strstr (captured_log->str, token));
  /* Not even its distinctive part, in case something cut it. */
  g_assert_null (strstr (captured_log->str, token + 4));

  wal = g_strconcat (fixture->path, "-wal", NULL);
  shm = g_strconcat (fixture->path, "-shm", NULL);
  assert_file_lacks (fixture->path, token);
  assert_file_lacks (wal, token);
  assert_file_lacks (shm, token);
  assert_file_lacks (fixture->path, token + 4);
  assert_file_lacks (wal, token + 4);

  /* The settings the app writes, and the service's own log. */
  settings = g_settings_new (APPLICATION_ID);
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            APPLICATION_ID, TRUE);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, token));
    }
  service_log = esc_test_service_dup_log (service);
  g_assert_null (strstr (service_log, token));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* Every message, debug ones too, goes through the capture (the default
   * writer then drops the debug ones, unless G_MESSAGES_DEBUG asks). */
  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  keyring = esc_test_keyring_start (&error);
  g_assert_no_error (error);
  service = esc_test_service_start (&error);
  g_assert_no_error (error);
  admin_token = esc_test_service_create_token (service, "camille", "camille@example.org",
                                               "it-admin", &error);
  g_assert_no_error (error);

#define ADD(name, func) \
  g_test_add ("/api/sync/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("incremental", test_incremental);
  ADD ("paging", test_paging);
  ADD ("timer", test_timer);
  ADD ("staff-and-audit", test_staff_and_audit);
  ADD ("support-model", test_support_model);
  ADD ("unauthorized", test_unauthorized);
  ADD ("no-token-anywhere", test_no_token_anywhere);

#undef ADD

  ret = g_test_run ();

  g_clear_pointer (&service, esc_test_service_stop);
  g_free (admin_token);
  secret_service_disconnect ();
  g_clear_pointer (&keyring, esc_test_keyring_stop);
  g_string_free (captured_log, TRUE);

  return ret;
}
