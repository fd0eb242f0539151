/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "esc-mirror.h"
#include "esc-request-list.h"
#include "esc-store-error.h"
#include "esc-support-request.h"
#include "esc-test-requests.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

/* The drafts of the forms (saved as the user types, kept across a crash,
 * per account and form), and the migration of a workspace of every older
 * schema with its mirrored requests to the list of the Requests screen. */

#define SERVICE   "http://127.0.0.1:8080"
#define SERVICE_2 "https://escalade.example.org"

typedef struct
{
  char         *dir;
  char         *path;
  EscWorkspace *workspace;
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
}

static void
close_workspace (Fixture *fixture)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->workspace));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-drafts-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  open_workspace (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close_workspace (fixture);
  remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Drafts ------------------------------------------------------------------------ */

static void
test_drafts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) saved_at = NULL;
  g_autofree char *draft = NULL;
  const char *form = ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST;

  draft = esc_workspace_load_draft (fixture->workspace, "camille", form, &saved_at, &error);
  g_assert_no_error (error);
  g_assert_null (draft);
  g_assert_null (saved_at);

  /* Saved as the user types: each save replaces the last */
  g_assert_true (esc_workspace_save_draft (fixture->workspace, "camille", form, "{\"title\":\"P\"}",
                                           &error));
  g_assert_true (esc_workspace_save_draft (fixture->workspace, "camille", form,
                                           "{\"title\":\"Printer \\\"x\\\" é\"}", &error));
  g_assert_true (esc_workspace_save_draft (fixture->workspace, "dominique", form, "{\"title\":\"D\"}",
                                           &error));
  g_assert_true (esc_workspace_save_draft (fixture->workspace, "camille", "elevation-request",
                                           "{\"title\":\"E\"}", &error));
  g_assert_no_error (error);

  /* Not JSON: refused, the last draft kept */
  g_assert_false (esc_workspace_save_draft (fixture->workspace, "camille", form, "{\"title\":", &error));
  g_assert_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED);
  g_clear_error (&error);

  /* A crash: the process goes without closing anything. Another connection
   * (the next start) sees what was committed. */
  {
    g_autoptr(EscWorkspace) other = esc_workspace_open (fixture->path, &error);

    g_assert_no_error (error);
    draft = esc_workspace_load_draft (other, "camille", form, &saved_at, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (draft, ==, "{\"title\":\"Printer \\\"x\\\" é\"}");
    g_assert_nonnull (saved_at);
    g_clear_pointer (&draft, g_free);
  }

  /* Reopened */
  close_workspace (fixture);
  open_workspace (fixture);
  draft = esc_workspace_load_draft (fixture->workspace, "camille", form, NULL, &error);
  g_assert_cmpstr (draft, ==, "{\"title\":\"Printer \\\"x\\\" é\"}");
  g_clear_pointer (&draft, g_free);
  draft = esc_workspace_load_draft (fixture->workspace, "dominique", form, NULL, &error);
  g_assert_cmpstr (draft, ==, "{\"title\":\"D\"}");
  g_clear_pointer (&draft, g_free);

  /* Discarded (filed): gone, the others kept; discarding again is fine */
  g_assert_true (esc_workspace_discard_draft (fixture->workspace, "camille", form, &error));
  g_assert_true (esc_workspace_discard_draft (fixture->workspace, "camille", form, &error));
  g_assert_no_error (error);
  draft = esc_workspace_load_draft (fixture->workspace, "camille", form, NULL, &error);
  g_assert_null (draft);
  draft = esc_workspace_load_draft (fixture->workspace, "camille", "elevation-request", NULL, &error);
  g_assert_cmpstr (draft, ==, "{\"title\":\"E\"}");
  g_clear_pointer (&draft, g_free);
  draft = esc_workspace_load_draft (fixture->workspace, "dominique", form, NULL, &error);
  g_assert_cmpstr (draft, ==, "{\"title\":\"D\"}");
}

/* Migrations -------------------------------------------------------------------- */

static void
insert_v2_row (sqlite3    *db,
               const Rec  *rec,
               const char *service)
{
  g_autoptr(JsonNode) node = esc_test_rec_to_json (rec);
  g_autofree char *json = json_to_string (node, FALSE);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO mirror_support_requests (service, id, kind, type, "
                                       "severity, state, title, filed_by, created_at, updated_at, "
                                       "response_due_at, json, synced_at) VALUES (?1, ?2, ?3, ?4, ?5, "
                                       "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?10)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rec->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, esc_support_request_kind_to_string (rec->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, esc_support_request_type_to_string (rec->type), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, esc_support_severity_to_string (rec->severity), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, esc_support_request_state_to_string (rec->state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, rec->title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, rec->filer, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, rec->created, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, rec->updated, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, rec->due, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, json, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static void
test_migrate (void)
{
  for (int version = 0; version < ESC_WORKSPACE_SCHEMA_VERSION; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("escalade-requests-XXXXXX", &error);
      g_autofree char *path = g_build_filename (dir, "workspace.sqlite3", NULL);
      g_autoptr(EscWorkspace) workspace = NULL;
      g_autoptr(EscMirror) mirror = NULL;
      g_autoptr(EscRequestList) list = NULL;
      g_autofree char *draft = NULL;
      EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
      guint expected = 0;
      Rec recs[4];

      g_test_message ("from schema %d", version);
      g_assert_no_error (error);
      esc_workspace_create_at_version (path, version, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < G_N_ELEMENTS (recs); i++)
        esc_test_rec_init (&recs[i], i + 1);

      /* Mirrored rows written by schema 2 are listed and searchable after */
      if (version >= 2)
        {
          sqlite3 *db = NULL;

          g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
          for (guint i = 0; i < G_N_ELEMENTS (recs); i++)
            insert_v2_row (db, &recs[i], i < 3 ? SERVICE : SERVICE_2);
          sqlite3_close (db);
          expected = 3;
        }

      workspace = esc_workspace_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (esc_workspace_get_schema_version (workspace), ==, ESC_WORKSPACE_SCHEMA_VERSION);
      mirror = esc_mirror_new (workspace);
      esc_mirror_set_service (mirror, SERVICE);
      list = esc_request_list_new (mirror, NULL);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected);

      query.text = "printer";  /* of 1–3, only "printer queue stuck 1" */
      esc_request_list_set_query (list, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, version >= 2 ? 1 : 0);

      /* Drafts work */
      g_assert_true (esc_workspace_save_draft (workspace, "a", "f", "{}", &error));
      draft = esc_workspace_load_draft (workspace, "a", "f", NULL, &error);
      g_assert_cmpstr (draft, ==, "{}");

      /* And new rows go to the index */
      {
        g_autoptr(JsonArray) page = json_array_new ();

        json_array_add_element (page, esc_test_rec_to_json (&recs[3]));
        esc_mirror_store_support_requests (mirror, SERVICE, "camille", page, &error);
        g_assert_no_error (error);
        esc_request_list_reload (list, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (esc_request_list_get_n_total (list), ==, expected + 1);
      }

      for (guint i = 0; i < G_N_ELEMENTS (recs); i++)
        esc_test_rec_clear (&recs[i]);
      g_assert_finalize_object (g_steal_pointer (&list));
      g_assert_finalize_object (g_steal_pointer (&mirror));
      g_assert_finalize_object (g_steal_pointer (&workspace));
      remove_dir (dir);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/drafts/save-load-discard", Fixture, NULL, fixture_set_up, test_drafts,
              fixture_tear_down);
  g_test_add_func ("/store/drafts/migrate", test_migrate);

  return g_test_run ();
}
