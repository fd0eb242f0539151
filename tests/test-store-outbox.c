/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "esc-audit-event.h"
#include "esc-core-error.h"
#include "esc-designation.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-staff-member.h"
#include "esc-store-error.h"
#include "esc-support-request.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

#define SERVICE   "http://127.0.0.1:8080"
#define SERVICE_2 "https://escalade.example.org"

/* Helpers ------------------------------------------------------------------- */

typedef struct
{
  char         *dir;
  char         *path;
  EscWorkspace *workspace;
  EscMirror    *mirror;
  EscOutbox    *outbox;
} Fixture;

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
open_workspace (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  fixture->workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->mirror = esc_mirror_new (fixture->workspace);
  fixture->outbox = esc_outbox_new (fixture->mirror);
  esc_mirror_set_service (fixture->mirror, SERVICE);
}

static void
close_workspace (Fixture *fixture)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->outbox));
  g_assert_finalize_object (g_steal_pointer (&fixture->mirror));
  g_assert_finalize_object (g_steal_pointer (&fixture->workspace));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  open_workspace (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->workspace != NULL)
    close_workspace (fixture);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
query_int (EscWorkspace *workspace,
           const char   *sql)
{
  sqlite3 *db = esc_workspace_get_connection (workspace);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static JsonNode *
create_body (const char *title)
{
  g_autofree char *json = NULL;

  json = g_strdup_printf ("{\"kind\":\"escalation\",\"type\":\"incident\",\"severity\":\"C\","
                          "\"category\":\"devices\",\"subcategory\":\"configuration-policy\","
                          "\"title\":\"%s\",\"description\":\"It broke.\","
                          "\"contact\":{\"given_name\":\"Camille\",\"surname\":\"Martin\","
                          "\"email\":\"camille@example.org\",\"phone\":\"+33 1 23 45 67 89\","
                          "\"preferred_method\":\"email\",\"language\":\"fr\"}}",
                          title);
  return parse (json);
}

/* A SupportRequest as the service answers it. */
static JsonNode *
resource (const char *id,
          const char *title,
          const char *state,
          const char *updated_at)
{
  g_autoptr(JsonNode) body = create_body (title);
  JsonObject *object = json_node_get_object (body);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "state", state);
  json_object_set_string_member (object, "created_at", "2024-05-06T09:00:00Z");
  json_object_set_string_member (object, "updated_at", updated_at);
  json_object_set_string_member (object, "response_due_at", "2024-05-06T17:00:00Z");
  {
    JsonObject *filer = json_object_new ();

    json_object_set_int_member (filer, "id", 3);
    json_object_set_string_member (filer, "name", "camille");
    json_object_set_object_member (object, "filed_by", filer);
  }

  return g_steal_pointer (&body);
}

static JsonArray *
array_of (JsonNode *first,
          ...)
{
  JsonArray *array = json_array_new ();
  va_list args;

  va_start (args, first);
  for (JsonNode *node = first; node != NULL; node = va_arg (args, JsonNode *))
    json_array_add_element (array, node);
  va_end (args);

  return array;
}

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

static const char *
request_id_at (GListModel *model,
               guint       position)
{
  g_autoptr(EscSupportRequest) request = g_list_model_get_item (model, position);
  static char id[32];

  g_assert_nonnull (request);
  g_strlcpy (id, esc_support_request_get_id (request), sizeof id);
  return id;
}

/* Tests --------------------------------------------------------------------- */

/* A workspace of schema 1 (before the outbox) migrates with its data. */
static void
test_migrate_from_1 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-outbox-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "v1.sqlite3", NULL);
  g_autoptr(EscWorkspace) workspace = NULL;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  esc_workspace_create_at_version (path, 1, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO settings (key, value) VALUES ('support-model', "
                                 "'partner-led')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (workspace, "PRAGMA user_version"), ==, ESC_WORKSPACE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM mirror_support_requests"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM sync_state"), ==, 0);
  g_assert_cmpint (query_int (workspace, "SELECT count(*) FROM settings "
                                         "WHERE key = 'support-model'"), ==, 1);

  g_clear_object (&workspace);
  remove_dir (dir);
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  GListModel *items = esc_outbox_get_items (fixture->outbox);
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) second = NULL;
  g_autoptr(EscOutboxItem) listed = NULL;
  g_autoptr(JsonNode) body = create_body ("Printer driver blocked");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  Change change = { 0, };

  g_signal_connect (items, "items-changed", G_CALLBACK (on_items_changed_cb), &change);

  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, "Printer driver blocked", body,
                         &error);
  g_assert_no_error (error);
  g_assert_nonnull (item);

  /* Visible at once, as queued. */
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
  g_assert_cmpuint (esc_outbox_get_n_refused (fixture->outbox), ==, 0);
  listed = g_list_model_get_item (items, 0);
  g_assert_cmpint (esc_outbox_item_get_id (listed), ==, esc_outbox_item_get_id (item));

  g_assert_cmpint (esc_outbox_item_get_state (item), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpint (esc_outbox_item_get_kind (item), ==, ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST);
  g_assert_cmpstr (esc_outbox_item_get_title (item), ==, "Printer driver blocked");
  g_assert_cmpstr (esc_outbox_item_get_service (item), ==, SERVICE);
  g_assert_cmpstr (esc_outbox_item_get_account (item), ==, "camille");
  g_assert_cmpstr (esc_outbox_item_get_method (item), ==, "POST");
  g_assert_nonnull (strstr (esc_outbox_item_get_body (item), "Printer driver blocked"));
  g_assert_true (g_uuid_string_is_valid (esc_outbox_item_get_idempotency_key (item)));
  g_assert_cmpuint (esc_outbox_item_get_attempts (item), ==, 0);
  g_assert_nonnull (esc_outbox_item_get_created_at (item));
  g_assert_null (esc_outbox_item_get_error_message (item));

  /* Every change gets its own key. */
  second = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_COMMENT,
                           "POST", "/v1/support-requests/SR-000001/comments", "SR-000001",
                           "Note on SR-000001", body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_outbox_item_get_idempotency_key (second), !=,
                   esc_outbox_item_get_idempotency_key (item));

  /* Each session sends its own changes. */
  queued = esc_outbox_list_queued (fixture->outbox, SERVICE, "camille", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued->len, ==, 2);
  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = esc_outbox_list_queued (fixture->outbox, SERVICE, "dominique", &error);
  g_assert_cmpuint (queued->len, ==, 0);
  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = esc_outbox_list_queued (fixture->outbox, SERVICE_2, "camille", &error);
  g_assert_cmpuint (queued->len, ==, 0);

  /* What is not an object is not a change. */
  {
    g_autoptr(JsonNode) array = parse ("[1,2]");
    g_autoptr(EscOutboxItem) refused = NULL;

    refused = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_COMMENT, "POST",
                              "/v1/x", NULL, "x", array, &error);
    g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
    g_assert_null (refused);
  }

  g_signal_handlers_disconnect_by_data (items, &change);
}

/* A crash, a restart: the queued change is still there, with the same key. */
static void
test_survives_reopen (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) body = create_body ("Kept");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) reopened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, "Kept", body, &error);
  g_assert_no_error (error);
  key = g_strdup (esc_outbox_item_get_idempotency_key (item));

  close_workspace (fixture);
  open_workspace (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (esc_outbox_get_items (fixture->outbox)), ==, 1);
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
  reopened = esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item));
  g_assert_cmpstr (esc_outbox_item_get_idempotency_key (reopened), ==, key);
  g_assert_cmpstr (esc_outbox_item_get_body (reopened), ==, esc_outbox_item_get_body (item));
}

/* The answer goes into the mirror in the transaction that removes the item. */
static void
test_complete (Fixture       *fixture,
               gconstpointer  data)
{
  GListModel *requests = esc_mirror_get_support_requests (fixture->mirror);
  g_autoptr(JsonNode) body = create_body ("Printer driver blocked");
  g_autoptr(JsonNode) answer = resource ("SR-000001", "Printer driver blocked", "new",
                                         "2024-05-06T09:00:00Z");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscSupportRequest) mirrored = NULL;
  g_autoptr(GError) error = NULL;
  Change change = { 0, };

  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, "Printer driver blocked", body,
                         &error);
  g_assert_no_error (error);
  g_signal_connect (requests, "items-changed", G_CALLBACK (on_items_changed_cb), &change);

  g_assert_true (esc_outbox_complete (fixture->outbox, esc_outbox_item_get_id (item), answer, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (esc_outbox_get_items (fixture->outbox)), ==, 0);
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 0);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  g_assert_cmpstr (request_id_at (requests, 0), ==, "SR-000001");

  mirrored = esc_mirror_dup_support_request (fixture->mirror, "SR-000001");
  g_assert_nonnull (mirrored);
  g_assert_cmpstr (esc_support_request_get_title (mirrored), ==, "Printer driver blocked");
  g_assert_cmpint (query_int (fixture->workspace, "SELECT count(*) FROM local_audit "
                                                  "WHERE what = 'outbox-sent'"), ==, 1);

  /* Discarded meanwhile: completing it again writes nothing. */
  g_assert_true (esc_outbox_complete (fixture->outbox, esc_outbox_item_get_id (item), answer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->workspace, "SELECT count(*) FROM local_audit "
                                                  "WHERE what = 'outbox-sent'"), ==, 1);

  g_signal_handlers_disconnect_by_data (requests, &change);
}

/* An answer that is not what the contract says: nothing changes at all. */
static void
test_complete_garbled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) body = create_body ("Garbled");
  g_autoptr(JsonNode) answer = parse ("{\"id\":\"SR-000002\",\"title\":\"no state\"}");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, "Garbled", body, &error);
  g_assert_no_error (error);

  g_assert_false (esc_outbox_complete (fixture->outbox, esc_outbox_item_get_id (item), answer, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD);
  g_test_message ("%s", error->message);

  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
  g_assert_cmpint (query_int (fixture->workspace, "SELECT count(*) FROM outbox"), ==, 1);
  g_assert_cmpint (query_int (fixture->workspace, "SELECT count(*) FROM mirror_support_requests"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (esc_mirror_get_support_requests (fixture->mirror)), ==, 0);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(JsonNode) body = create_body ("Severity A escalation");
  g_autoptr(JsonNode) fixed = create_body ("Severity C escalation");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_key = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  gint64 id;

  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, "Severity A escalation", body, &error);
  g_assert_no_error (error);
  id = esc_outbox_item_get_id (item);
  first_key = g_strdup (esc_outbox_item_get_idempotency_key (item));

  /* Only a refused change can be edited: a queued one may be on its way. */
  g_assert_false (esc_outbox_edit (fixture->outbox, id, NULL, fixed, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* A transient failure keeps it queued, counted, with the next attempt. */
  {
    g_autoptr(GDateTime) next = g_date_time_new_now_utc ();

    g_assert_true (esc_outbox_record_failure (fixture->outbox, id, FALSE, "unreachable", 0,
                                              "Could not reach the service", NULL, next, &error));
    g_assert_no_error (error);
    after = esc_outbox_lookup (fixture->outbox, id);
    g_assert_cmpint (esc_outbox_item_get_state (after), ==, ESC_OUTBOX_STATE_QUEUED);
    g_assert_cmpuint (esc_outbox_item_get_attempts (after), ==, 1);
    g_assert_nonnull (esc_outbox_item_get_next_attempt_at (after));
    g_assert_cmpstr (esc_outbox_item_get_error_code (after), ==, "unreachable");
    g_clear_object (&after);
  }

  g_assert_true (esc_outbox_record_failure (fixture->outbox, id, TRUE, "unprocessable", 422,
                                            "Escalations are severity C only", "/severity", NULL,
                                            &error));
  g_assert_no_error (error);
  after = esc_outbox_lookup (fixture->outbox, id);
  g_assert_cmpint (esc_outbox_item_get_state (after), ==, ESC_OUTBOX_STATE_REFUSED);
  g_assert_cmpuint (esc_outbox_item_get_attempts (after), ==, 2);
  g_assert_cmpuint (esc_outbox_item_get_error_status (after), ==, 422);
  g_assert_cmpstr (esc_outbox_item_get_error_field (after), ==, "/severity");
  g_assert_cmpstr (esc_outbox_item_get_error_message (after), ==, "Escalations are severity C only");
  g_assert_null (esc_outbox_item_get_next_attempt_at (after));
  g_assert_cmpuint (esc_outbox_get_n_refused (fixture->outbox), ==, 1);
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 0);
  g_clear_object (&after);

  /* Refused changes are not sent again by themselves. */
  queued = esc_outbox_list_queued (fixture->outbox, SERVICE, "camille", &error);
  g_assert_cmpuint (queued->len, ==, 0);
  g_clear_pointer (&queued, g_ptr_array_unref);

  /* Edited: queued again, under a new key, the error gone. */
  g_assert_true (esc_outbox_edit (fixture->outbox, id, "Severity C escalation", fixed, &error));
  g_assert_no_error (error);
  after = esc_outbox_lookup (fixture->outbox, id);
  g_assert_cmpint (esc_outbox_item_get_state (after), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (esc_outbox_item_get_idempotency_key (after), !=, first_key);
  g_assert_cmpstr (esc_outbox_item_get_title (after), ==, "Severity C escalation");
  g_assert_nonnull (strstr (esc_outbox_item_get_body (after), "Severity C escalation"));
  g_assert_null (esc_outbox_item_get_error_message (after));
  g_assert_cmpuint (esc_outbox_item_get_attempts (after), ==, 0);
  g_clear_object (&after);

  /* Refused again, resent as it is: another key. */
  g_assert_true (esc_outbox_record_failure (fixture->outbox, id, TRUE, "forbidden", 403,
                                            "No live escalation designation", NULL, NULL, &error));
  after = esc_outbox_lookup (fixture->outbox, id);
  g_free (first_key);
  first_key = g_strdup (esc_outbox_item_get_idempotency_key (after));
  g_clear_object (&after);
  g_assert_true (esc_outbox_resend (fixture->outbox, id, &error));
  g_assert_no_error (error);
  after = esc_outbox_lookup (fixture->outbox, id);
  g_assert_cmpint (esc_outbox_item_get_state (after), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (esc_outbox_item_get_idempotency_key (after), !=, first_key);
  g_clear_object (&after);

  /* Discarded: gone; discarding again is not an error. */
  g_assert_true (esc_outbox_discard (fixture->outbox, id, &error));
  g_assert_no_error (error);
  g_assert_null (esc_outbox_lookup (fixture->outbox, id));
  g_assert_cmpuint (g_list_model_get_n_items (esc_outbox_get_items (fixture->outbox)), ==, 0);
  g_assert_true (esc_outbox_discard (fixture->outbox, id, &error));
  g_assert_false (esc_outbox_resend (fixture->outbox, id, &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
}

/* Sync pages: upserts, the cursor, and live changes of only what changed. */
static void
test_mirror_requests (Fixture       *fixture,
                      gconstpointer  data)
{
  GListModel *requests = esc_mirror_get_support_requests (fixture->mirror);
  g_autoptr(JsonArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(EscSupportRequest) request = NULL;
  Change change = { 0, };

  page = array_of (resource ("SR-000001", "First", "new", "2024-05-06T09:00:00Z"),
                   resource ("SR-000002", "Second", "new", "2024-05-06T10:00:00Z"),
                   resource ("SR-000003", "Third", "new", "2024-05-06T11:00:00Z"),
                   NULL);
  g_assert_true (esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error));
  g_assert_no_error (error);

  /* Most recently updated first. */
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 3);
  g_assert_cmpstr (request_id_at (requests, 0), ==, "SR-000003");
  g_assert_cmpstr (request_id_at (requests, 2), ==, "SR-000001");
  cursor = esc_mirror_dup_cursor (fixture->mirror, SERVICE, "camille", "support-requests");
  g_assert_cmpstr (cursor, ==, "2024-05-06T11:00:00Z");
  g_clear_pointer (&cursor, g_free);
  cursor = esc_mirror_dup_cursor (fixture->mirror, SERVICE, "dominique", "support-requests");
  g_assert_null (cursor);

  /* SR-000003 changed on the service, still the latest: one row changes. */
  g_signal_connect (requests, "items-changed", G_CALLBACK (on_items_changed_cb), &change);
  g_clear_pointer (&page, json_array_unref);
  page = array_of (resource ("SR-000003", "Third", "in-progress", "2024-05-06T12:00:00Z"), NULL);
  g_assert_true (esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error));
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 1);
  request = g_list_model_get_item (requests, 0);
  g_assert_cmpint (esc_support_request_get_state (request), ==, ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS);
  g_clear_object (&request);

  /* SR-000001 changed: it moves to the top; rows 0 to 2 change. */
  g_clear_pointer (&page, json_array_unref);
  page = array_of (resource ("SR-000001", "First, edited", "new", "2024-05-06T13:00:00Z"), NULL);
  g_assert_true (esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error));
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpuint (change.position, ==, 0);
  g_assert_cmpuint (change.removed, ==, 3);
  g_assert_cmpuint (change.added, ==, 3);
  g_assert_cmpstr (request_id_at (requests, 0), ==, "SR-000001");
  request = g_list_model_get_item (requests, 0);
  g_assert_cmpstr (esc_support_request_get_title (request), ==, "First, edited");
  g_clear_object (&request);
  cursor = esc_mirror_dup_cursor (fixture->mirror, SERVICE, "camille", "support-requests");
  g_assert_cmpstr (cursor, ==, "2024-05-06T13:00:00Z");

  /* A garbled row fails the whole page; nothing is written. */
  g_clear_pointer (&page, json_array_unref);
  page = array_of (resource ("SR-000004", "Fourth", "new", "2024-05-06T14:00:00Z"),
                   parse ("{\"id\":\"SR-000005\"}"), NULL);
  g_assert_false (esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 3);
  g_assert_cmpuint (change.count, ==, 2);

  /* Another service's rows are not shown. */
  g_clear_pointer (&page, json_array_unref);
  page = array_of (resource ("SR-000001", "Elsewhere", "new", "2024-05-06T09:00:00Z"), NULL);
  g_assert_true (esc_mirror_store_support_requests (fixture->mirror, SERVICE_2, "camille", page, &error));
  g_assert_cmpuint (change.count, ==, 2);
  request = g_list_model_get_item (requests, 0);
  g_assert_cmpstr (esc_support_request_get_title (request), ==, "First, edited");
  g_clear_object (&request);

  esc_mirror_set_service (fixture->mirror, SERVICE_2);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 1);
  request = g_list_model_get_item (requests, 0);
  g_assert_cmpstr (esc_support_request_get_title (request), ==, "Elsewhere");

  g_signal_handlers_disconnect_by_data (requests, &change);
}

static void
on_request_changed_cb (EscMirror  *mirror,
                       const char *id,
                       gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup (id));
}

static void
test_mirror_timeline (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(JsonNode) request = resource ("SR-000007", "With a timeline", "new",
                                          "2024-05-06T09:00:00Z");
  g_autoptr(JsonNode) comment_body = parse ("{\"text\":\"More details.\"}");
  g_autoptr(JsonNode) comment = parse ("{\"id\":2,\"at\":\"2024-05-06T10:00:00Z\",\"kind\":\"comment\","
                                       "\"actor\":{\"id\":3,\"name\":\"camille\"},"
                                       "\"text\":\"More details.\"}");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscSupportRequest) read = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GPtrArray *timeline;

  json_object_set_array_member (json_node_get_object (request), "timeline",
                                array_of (parse ("{\"id\":1,\"at\":\"2024-05-06T09:00:00Z\","
                                                 "\"kind\":\"created\",\"actor\":null}"), NULL));
  g_signal_connect (fixture->mirror, "support-request-changed",
                    G_CALLBACK (on_request_changed_cb), changed);

  g_assert_true (esc_mirror_store_support_request (fixture->mirror, SERVICE, request, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (changed, 0), ==, "SR-000007");

  /* A note sent through the outbox lands in the timeline. */
  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_COMMENT, "POST",
                         "/v1/support-requests/SR-000007/comments", "SR-000007",
                         "Note on SR-000007", comment_body, &error);
  g_assert_no_error (error);
  g_assert_true (esc_outbox_complete (fixture->outbox, esc_outbox_item_get_id (item), comment, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 2);

  g_assert_cmpint (query_int (fixture->workspace, "SELECT count(*) FROM mirror_timeline_events "
                                                  "WHERE request_id = 'SR-000007'"), ==, 2);
  read = esc_mirror_dup_support_request (fixture->mirror, "SR-000007");
  g_assert_nonnull (read);
  timeline = esc_support_request_get_timeline (read);
  g_assert_nonnull (timeline);
  g_assert_cmpuint (timeline->len, ==, 2);
  g_assert_cmpstr (((EscSupportRequestEvent *)g_ptr_array_index (timeline, 0))->kind, ==, "created");
  g_assert_cmpstr (((EscSupportRequestEvent *)g_ptr_array_index (timeline, 1))->text, ==,
                   "More details.");

  /* The list's items carry no timeline. */
  {
    g_autoptr(EscSupportRequest) listed = g_list_model_get_item (esc_mirror_get_support_requests (fixture->mirror), 0);

    g_assert_null (esc_support_request_get_timeline (listed));
  }

  g_signal_handlers_disconnect_by_data (fixture->mirror, changed);
}

static void
test_mirror_staff_and_audit (Fixture       *fixture,
                             gconstpointer  data)
{
  GListModel *staff = esc_mirror_get_staff (fixture->mirror);
  GListModel *audit = esc_mirror_get_audit_events (fixture->mirror);
  g_autoptr(JsonArray) members = NULL;
  g_autoptr(JsonArray) events = NULL;
  g_autoptr(EscStaffMember) member = NULL;
  g_autoptr(EscAuditEvent) event = NULL;
  g_autoptr(EscDesignation) designation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autoptr(JsonNode) designation_json = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autofree char *designation_text = NULL;
  g_autoptr(JsonNode) put_body = parse ("{\"designations\":[]}");

  members = array_of (parse ("{\"id\":5,\"name\":\"dominique\",\"email\":\"d@example.org\","
                             "\"roles\":[\"support-staff\"],\"designations\":[{\"capability\":"
                             "\"escalation\",\"reason\":\"Team\",\"expires_at\":null,\"active\":true,"
                             "\"designated_at\":\"2024-05-06T09:00:00Z\",\"designated_by\":"
                             "{\"id\":1,\"name\":\"camille\"}}]}"),
                      parse ("{\"id\":6,\"name\":\"ali\",\"email\":\"a@example.org\","
                             "\"roles\":[\"support-staff\"],\"designations\":[]}"),
                      NULL);
  g_assert_true (esc_mirror_store_staff (fixture->mirror, SERVICE, members, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 2);
  member = g_list_model_get_item (staff, 1);
  g_assert_cmpstr (esc_staff_member_get_name (member), ==, "dominique");
  g_assert_true (esc_staff_member_has_capability (member, "escalation"));
  g_assert_false (esc_staff_member_has_capability (member, "elevation"));
  designation = g_list_model_get_item (esc_staff_member_get_designations (member), 0);
  g_assert_cmpstr (esc_designation_get_reason (designation), ==, "Team");
  g_assert_cmpstr (esc_designation_get_designated_by (designation), ==, "camille");
  g_clear_object (&member);

  /* A designation change answered by the service replaces the member. */
  designation_json = esc_designation_to_json (designation);
  designation_text = json_to_string (designation_json, FALSE);
  g_assert_cmpstr (designation_text, ==, "{\"capability\":\"escalation\",\"reason\":\"Team\","
                                         "\"expires_at\":null}");
  answer = parse ("{\"id\":6,\"name\":\"ali\",\"email\":\"a@example.org\",\"roles\":"
                  "[\"support-staff\"],\"designations\":[{\"capability\":\"elevation\","
                  "\"reason\":null,\"expires_at\":\"2030-01-01T00:00:00Z\",\"active\":true}]}");
  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_SET_DESIGNATIONS, "PUT",
                         "/v1/staff/6/designations", "6", "Designations of ali",
                         put_body, &error);
  g_assert_no_error (error);
  g_assert_true (esc_outbox_complete (fixture->outbox, esc_outbox_item_get_id (item), answer, &error));
  g_assert_no_error (error);
  member = g_list_model_get_item (staff, 0);
  g_assert_cmpstr (esc_staff_member_get_name (member), ==, "ali");
  g_assert_true (esc_staff_member_has_capability (member, "elevation"));
  g_clear_object (&member);

  /* The staff list is whole: who is not in it is gone. */
  g_clear_pointer (&members, json_array_unref);
  members = array_of (parse ("{\"id\":6,\"name\":\"ali\",\"roles\":[],\"designations\":[]}"), NULL);
  g_assert_true (esc_mirror_store_staff (fixture->mirror, SERVICE, members, &error));
  g_assert_cmpuint (g_list_model_get_n_items (staff), ==, 1);

  events = array_of (parse ("{\"id\":10,\"at\":\"2024-05-06T09:00:00Z\",\"action\":\"token.created\","
                            "\"actor\":null,\"target\":null,\"remote_address\":null}"),
                     parse ("{\"id\":11,\"at\":\"2024-05-06T09:05:00Z\",\"action\":"
                            "\"designations.updated\",\"actor\":{\"id\":1,\"name\":\"camille\"},"
                            "\"target\":\"/v1/staff/6\",\"remote_address\":\"127.0.0.1\","
                            "\"details\":{\"capabilities\":[\"elevation\"]}}"),
                     NULL);
  g_assert_true (esc_mirror_store_audit_events (fixture->mirror, SERVICE, "camille", events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (audit), ==, 2);
  event = g_list_model_get_item (audit, 0);
  g_assert_cmpint (esc_audit_event_get_id (event), ==, 11);
  g_assert_cmpstr (esc_audit_event_get_actor (event), ==, "camille");
  g_assert_cmpstr (esc_audit_event_get_remote_address (event), ==, "127.0.0.1");
  g_assert_nonnull (strstr (esc_audit_event_get_details (event), "elevation"));
  after = esc_mirror_dup_cursor (fixture->mirror, SERVICE, "camille", "audit");
  g_assert_cmpstr (after, ==, "11");
}

static void
test_last_synced (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) at = g_date_time_new_utc (2024, 5, 6, 9, 30, 15.5);
  g_autoptr(GDateTime) read = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (esc_mirror_dup_last_synced (fixture->mirror, SERVICE, "camille"));
  g_assert_true (esc_mirror_set_last_synced (fixture->mirror, SERVICE, "camille", at, &error));
  g_assert_no_error (error);

  close_workspace (fixture);
  open_workspace (fixture);

  read = esc_mirror_dup_last_synced (fixture->mirror, SERVICE, "camille");
  g_assert_nonnull (read);
  g_assert_true (g_date_time_equal (read, at));
  g_assert_null (esc_mirror_dup_last_synced (fixture->mirror, SERVICE, "dominique"));
}

/* Thousands of rows: the model reads only what is asked for. */
static void
test_mirror_many (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *requests = esc_mirror_get_support_requests (fixture->mirror);
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(GError) error = NULL;
  guint n = 3000;

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *id = g_strdup_printf ("SR-%06u", i);
      g_autofree char *title = g_strdup_printf ("Request %u", i);
      g_autofree char *updated = g_strdup_printf ("2024-05-%02uT%02u:%02u:%02uZ",
                                                  1 + i / 3600, (i / 60) % 24, i % 60, i % 60);

      json_array_add_element (page, resource (id, title, "new", updated));
    }

  g_assert_true (esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, n);

  for (guint i = 0; i < n; i += 97)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (requests, i);

      g_assert_nonnull (request);
    }
  g_assert_null (g_list_model_get_item (requests, n));
}

/* The UI may keep a model longer than the workspace. */
static void
test_models_outlive (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GListModel) requests = NULL;
  g_autoptr(GListModel) items = NULL;
  g_autoptr(JsonArray) page = NULL;
  g_autoptr(JsonNode) body = create_body ("Queued");
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  page = array_of (resource ("SR-000001", "First", "new", "2024-05-06T09:00:00Z"), NULL);
  g_assert_true (esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error));
  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, "Queued", body, &error);
  g_assert_no_error (error);

  requests = g_object_ref (esc_mirror_get_support_requests (fixture->mirror));
  items = g_object_ref (esc_outbox_get_items (fixture->outbox));
  close_workspace (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (requests), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/outbox/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/store/outbox/migrate-from-1", test_migrate_from_1);
  ADD ("add", test_add);
  ADD ("survives-reopen", test_survives_reopen);
  ADD ("complete", test_complete);
  ADD ("complete-garbled", test_complete_garbled);
  ADD ("refused", test_refused);
  ADD ("mirror/requests", test_mirror_requests);
  ADD ("mirror/timeline", test_mirror_timeline);
  ADD ("mirror/staff-and-audit", test_mirror_staff_and_audit);
  ADD ("mirror/last-synced", test_last_synced);
  ADD ("mirror/many", test_mirror_many);
  ADD ("models-outlive", test_models_outlive);

#undef ADD

  return g_test_run ();
}
