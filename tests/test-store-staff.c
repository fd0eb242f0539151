/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "esc-admin-contact.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-staff-directory.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"

/* The staff directory of the Staff & access screen: the mirror_staff_list
 * table (schema 5) filled from a file of schema 4 and kept in step by the
 * mirror's writes, the model read from it, and the audit chain's check, on
 * real workspace files. */

#define SERVICE "http://127.0.0.1:1"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-store-staff-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (fixture->path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
member_json (gint64      id,
             const char *name,
             const char *team,
             const char *roles,
             const char *designations)
{
  return g_strdup_printf ("{\"id\": %" G_GINT64_FORMAT ", \"name\": \"%s\", \"email\": \"p%" G_GINT64_FORMAT
                          "@example.org\", \"team\": %s, \"roles\": [%s], \"designations\": [%s],"
                          " \"disabled\": false, \"etag\": \"\\\"e%" G_GINT64_FORMAT "\\\"\"}",
                          id, name, id, team, roles, designations, id);
}

static void
store_staff (EscMirror  *mirror,
             GPtrArray  *members)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = json_array_new ();

  for (guint i = 0; i < members->len; i++)
    json_array_add_element (items, parse (g_ptr_array_index (members, i)));

  esc_mirror_store_staff (mirror, SERVICE, items, &error);
  g_assert_no_error (error);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *changes = user_data;

  changes[0]++;
  changes[1] = position;
  changes[2] = removed;
  changes[3] = added;
}

#define DESIGNATION(cap, expires) \
  "{\"capability\": \"" cap "\", \"reason\": \"On the team\", \"expires_at\": " expires "," \
  " \"active\": true, \"designated_at\": \"2026-01-01T00:00:00Z\", \"designated_by\": {\"id\": 1, \"name\": \"camille\"}}"

/* A file of schema 4 with two people in its mirror migrates to schema 5
 * with both listed; then the mirror's writes keep the list in step. */
static void
test_directory_migrated (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(EscStaffDirectory) directory = NULL;
  g_autoptr(EscStaffEntry) zoe = NULL;
  g_autoptr(EscStaffEntry) elodie = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 6, 1, 0, 0, 0);
  g_auto(GStrv) teams = NULL;
  guint changes[4] = { 0, };
  sqlite3 *db = NULL;
  const char *insert =
    "INSERT INTO mirror_staff (service, id, name, email, json, synced_at) VALUES"
    " ('" SERVICE "', 7, 'Zoé Durand', 'zoe@example.org',"
    "  '{\"id\": 7, \"name\": \"Zoé Durand\", \"email\": \"zoe@example.org\", \"team\": \"Desk B\","
    "    \"roles\": [\"support-staff\"], \"designations\": [" DESIGNATION ("elevation", "\"2026-06-03T00:00:00Z\"") "]}',"
    "  '2026-01-01T00:00:00Z'),"
    " ('" SERVICE "', 3, 'Élodie Martin', 'elodie@example.org',"
    "  '{\"id\": 3, \"name\": \"Élodie Martin\", \"email\": \"elodie@example.org\","
    "    \"roles\": [\"it-admin\", \"support-staff\"], \"designations\": ["
    DESIGNATION ("escalation", "null") ", " DESIGNATION ("elevation", "\"2026-05-01T00:00:00Z\"") "]}',"
    "  '2026-01-01T00:00:00Z')";

  g_assert_true (esc_workspace_create_at_version (fixture->path, 4, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_workspace_get_schema_version (workspace), ==, ESC_WORKSPACE_SCHEMA_VERSION);
  mirror = esc_mirror_new (workspace);
  esc_mirror_set_service (mirror, SERVICE);
  directory = esc_staff_directory_new (mirror);

  /* By name, accents and case aside */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (directory)), ==, 2);
  elodie = g_list_model_get_item (G_LIST_MODEL (directory), 0);
  zoe = g_list_model_get_item (G_LIST_MODEL (directory), 1);
  g_assert_cmpstr (esc_staff_entry_get_name (elodie), ==, "Élodie Martin");
  g_assert_cmpint (esc_staff_entry_get_id (zoe), ==, 7);
  g_assert_cmpstr (esc_staff_entry_get_team (zoe), ==, "Desk B");
  g_assert_null (esc_staff_entry_get_team (elodie));
  g_assert_cmpint (esc_staff_entry_get_roles (elodie), ==,
                   ESC_STAFF_ROLE_IT_ADMIN | ESC_STAFF_ROLE_SUPPORT_STAFF);
  g_assert_cmpint (esc_staff_entry_get_roles (zoe), ==, ESC_STAFF_ROLE_SUPPORT_STAFF);
  g_assert_cmpint (esc_staff_entry_get_designations (elodie), ==,
                   ESC_STAFF_DESIGNATION_ELEVATION | ESC_STAFF_DESIGNATION_ESCALATION);
  /* Élodie's elevation expired before @now; Zoé's has two days left */
  g_assert_cmpint (esc_staff_entry_get_live_designations (elodie, now), ==,
                   ESC_STAFF_DESIGNATION_ESCALATION);
  g_assert_cmpint (esc_staff_entry_get_live_designations (zoe, now), ==,
                   ESC_STAFF_DESIGNATION_ELEVATION);
  g_assert_nonnull (esc_staff_entry_get_expires_at (zoe, ESC_STAFF_DESIGNATION_ELEVATION));
  g_assert_null (esc_staff_entry_get_expires_at (elodie, ESC_STAFF_DESIGNATION_ESCALATION));
  /* Search keys: accents and case folded */
  g_assert_nonnull (strstr (esc_staff_entry_get_search_key (elodie), "elodie martin"));
  g_assert_nonnull (strstr (esc_staff_entry_get_search_key (zoe), "desk b"));
  {
    g_autofree char *query = esc_staff_fold_text ("ÉLO");

    g_assert_cmpstr (query, ==, "elo");
  }
  teams = esc_staff_directory_dup_teams (directory);
  g_assert_cmpuint (g_strv_length (teams), ==, 1);
  g_assert_cmpstr (teams[0], ==, "Desk B");

  /* A whole new list from the sync where only one person changed: only that row is emitted */
  g_signal_connect (directory, "items-changed", G_CALLBACK (count_changes_cb), changes);
  for (int i = 1; i <= 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("Person %03d", i);

      g_ptr_array_add (members, member_json (100 + i, name, "\"Desk A\"", "\"support-staff\"", ""));
    }
  store_staff (mirror, members);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (directory)), ==, 50);
  g_assert_cmpuint (changes[0], ==, 1);

  g_free (members->pdata[20]);
  members->pdata[20] = member_json (121, "Person 021", "\"Desk A\"", "\"support-staff\"",
                                    DESIGNATION ("escalation", "null"));
  store_staff (mirror, members);
  g_assert_cmpuint (changes[0], ==, 2);
  g_assert_cmpuint (changes[1], ==, 20);
  g_assert_cmpuint (changes[2], ==, 1);
  g_assert_cmpuint (changes[3], ==, 1);
  {
    g_autoptr(EscStaffEntry) entry = esc_staff_directory_lookup (directory, 121);

    g_assert_cmpint (esc_staff_entry_get_designations (entry), ==, ESC_STAFF_DESIGNATION_ESCALATION);
    g_assert_cmpstr (esc_staff_entry_get_etag (entry), ==, "\"e121\"");
  }

  /* The same list again changes nothing */
  store_staff (mirror, members);
  g_assert_cmpuint (changes[0], ==, 2);

  /* Another service shows none of them */
  esc_mirror_set_service (mirror, "http://127.0.0.1:2");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (directory)), ==, 0);

  g_clear_object (&directory);
  g_clear_object (&mirror);
}

static JsonArray *
audit_page (const char * const *hashes,
            guint               first_id,
            guint               n)
{
  JsonArray *items = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json =
        g_strdup_printf ("{\"id\": %u, \"at\": \"2026-01-01T00:00:0%uZ\", \"actor\": {\"id\": 1, \"name\": \"camille\"},"
                         " \"action\": \"designation.set\", \"target\": \"staff/3\","
                         " \"remote_address\": \"127.0.0.1\", \"details\": {},"
                         " \"prev_hash\": \"%s\", \"hash\": \"%s\"}",
                         first_id + i, i, hashes[first_id + i - 1], hashes[first_id + i]);

      json_array_add_element (items, parse (json));
    }

  return items;
}

/* The chain links up when each prev_hash is the hash before it; a forged
 * event is named. */
static void
test_audit_chain (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(JsonArray) page = NULL;
  const char *hashes[] = { "h0", "h1", "h2", "h3", "h4", "h5" };
  const char *forged[] = { "h0", "h1", "h2", "h3", "XX", "h5" };
  gint64 broken = -1;
  guint n = 0;

  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  mirror = esc_mirror_new (workspace);
  esc_mirror_set_service (mirror, SERVICE);

  page = audit_page (hashes, 1, 4);
  esc_mirror_store_audit_events (mirror, SERVICE, "camille", page, &error);
  g_assert_no_error (error);
  g_assert_true (esc_mirror_check_audit_chain (mirror, &broken, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (broken, ==, 0);

  /* Event 5 says the hash before it was "XX": event 4's is "h4" */
  g_clear_pointer (&page, json_array_unref);
  page = audit_page (forged, 5, 1);
  esc_mirror_store_audit_events (mirror, SERVICE, "camille", page, &error);
  g_assert_no_error (error);
  g_assert_false (esc_mirror_check_audit_chain (mirror, &broken, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (broken, ==, 5);
}

/* Schema 6: a change queued by a file of schema 5 keeps going (no If-Match);
 * a new one keeps its If-Match, and a stale one is sent again against another */
static void
test_outbox_if_match (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(EscOutbox) outbox = NULL;
  g_autoptr(EscOutboxItem) old = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) again = NULL;
  g_autoptr(JsonNode) body = parse ("{\"designations\": []}");
  sqlite3 *db = NULL;

  g_assert_true (esc_workspace_create_at_version (fixture->path, 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO outbox (service, account, kind, method, path, target, title,"
                                     " body, idempotency_key, created_at) VALUES ('" SERVICE "', 'camille',"
                                     " 'set-designations', 'PUT', '/v1/staff/3/designations', '3', 'x',"
                                     " '{\"designations\": []}', 'k-1', '2026-12-01T00:00:00Z')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  mirror = esc_mirror_new (workspace);
  outbox = esc_outbox_new (mirror);
  g_assert_cmpuint (esc_outbox_get_n_queued (outbox), ==, 1);
  old = g_list_model_get_item (esc_outbox_get_items (outbox), 0);
  g_assert_null (esc_outbox_item_get_if_match (old));

  item = esc_outbox_add_if_match (outbox, SERVICE, "camille", ESC_OUTBOX_KIND_SET_DESIGNATIONS, "PUT",
                                  "/v1/staff/7/designations", "7", "Designations of Zoé", body, "\"7-1\"",
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_outbox_item_get_if_match (item), ==, "\"7-1\"");

  /* Refused as stale, then sent again against the version seen now */
  g_assert_true (esc_outbox_record_failure (outbox, esc_outbox_item_get_id (item), TRUE, "precondition-failed",
                                            412, "Changed meanwhile", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (esc_outbox_resend_if_match (outbox, esc_outbox_item_get_id (item), "\"7-2\"", &error));
  g_assert_no_error (error);
  again = esc_outbox_lookup (outbox, esc_outbox_item_get_id (item));
  g_assert_cmpstr (esc_outbox_item_get_if_match (again), ==, "\"7-2\"");
  g_assert_cmpint (esc_outbox_item_get_state (again), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (esc_outbox_item_get_idempotency_key (again), !=, esc_outbox_item_get_idempotency_key (item));
}

#define CONTACT(area, given) \
  "{\"area\": \"" area "\", \"given_name\": \"" given "\", \"surname\": \"Martin\"," \
  " \"email\": \"" given "@example.org\", \"phone\": \"+33 1 23 45 67 89\"," \
  " \"preferred_method\": \"email\", \"language\": \"fr\", \"updated_at\": \"2026-06-01T09:00:00Z\"," \
  " \"updated_by\": {\"id\": 1, \"name\": \"camille\"}}"

static void
count_signal_cb (EscMirror *mirror,
                 guint     *count)
{
  (*count)++;
}

/* Schema 7: the admin contacts of a service, from a file of schema 6; written
 * whole by the sync (all or nothing), one at a time after a change, read back
 * by area, and "never read" told apart from "none" */
static void
test_admin_contacts (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(JsonNode) two = parse ("[" CONTACT ("security", "sophie") ", " CONTACT ("devices", "hugo") "]");
  g_autoptr(JsonNode) bad = parse ("[" CONTACT ("other", "lea") ", {\"area\": \"devices\"}]");
  g_autoptr(JsonNode) one = parse (CONTACT ("security", "ines"));
  g_autoptr(JsonNode) none = parse ("[]");
  guint changes = 0;

  g_assert_true (esc_workspace_create_at_version (fixture->path, 6, &error));
  g_assert_no_error (error);
  workspace = esc_workspace_open (fixture->path, &error);
  g_assert_no_error (error);
  mirror = esc_mirror_new (workspace);
  esc_mirror_set_service (mirror, SERVICE);
  g_signal_connect (mirror, "admin-contacts-changed", G_CALLBACK (count_signal_cb), &changes);

  /* Never read from this service */
  g_assert_false (esc_mirror_has_admin_contacts (mirror));
  contacts = esc_mirror_dup_admin_contacts (mirror, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, 0);
  g_clear_pointer (&contacts, g_ptr_array_unref);

  g_assert_true (esc_mirror_store_admin_contacts (mirror, SERVICE, json_node_get_array (two), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (esc_mirror_has_admin_contacts (mirror));
  contacts = esc_mirror_dup_admin_contacts (mirror, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (contacts->len, ==, 2);
  g_assert_cmpstr (esc_admin_contact_get_area (g_ptr_array_index (contacts, 0)), ==, "devices");
  g_assert_cmpstr (esc_admin_contact_get_contact (g_ptr_array_index (contacts, 1))->given_name, ==, "sophie");
  g_clear_pointer (&contacts, g_ptr_array_unref);

  /* A bad contact: refused whole, naming it, and nothing changes */
  g_assert_false (esc_mirror_store_admin_contacts (mirror, SERVICE, json_node_get_array (bad), &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "admin contact"));
  g_clear_error (&error);
  g_assert_cmpuint (changes, ==, 1);
  contacts = esc_mirror_dup_admin_contacts (mirror, &error);
  g_assert_cmpuint (contacts->len, ==, 2);
  g_clear_pointer (&contacts, g_ptr_array_unref);

  /* One changed; the other service sees none of it */
  g_assert_true (esc_mirror_store_admin_contact (mirror, SERVICE, one, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 2);
  contacts = esc_mirror_dup_admin_contacts (mirror, &error);
  g_assert_cmpuint (contacts->len, ==, 2);
  g_assert_cmpstr (esc_admin_contact_get_contact (g_ptr_array_index (contacts, 1))->given_name, ==, "ines");
  g_clear_pointer (&contacts, g_ptr_array_unref);
  esc_mirror_set_service (mirror, "http://127.0.0.1:2");
  g_assert_false (esc_mirror_has_admin_contacts (mirror));
  contacts = esc_mirror_dup_admin_contacts (mirror, &error);
  g_assert_cmpuint (contacts->len, ==, 0);
  g_clear_pointer (&contacts, g_ptr_array_unref);

  /* Read whole again: an area left out no longer has one, and it was read */
  esc_mirror_set_service (mirror, SERVICE);
  g_assert_true (esc_mirror_store_admin_contacts (mirror, SERVICE, json_node_get_array (none), &error));
  g_assert_no_error (error);
  g_assert_true (esc_mirror_has_admin_contacts (mirror));
  contacts = esc_mirror_dup_admin_contacts (mirror, &error);
  g_assert_cmpuint (contacts->len, ==, 0);
}

/* The reference: the whole text normalized (NFD), without its combining marks,
 * then case-folded */
static char *
fold_by_normalizing (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFD);
  g_autoptr(GString) bare = g_string_new (NULL);

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_ismark (g_utf8_get_char (p)))
      g_string_append_unichar (bare, g_utf8_get_char (p));

  return g_utf8_casefold (bare->str, bare->len);
}

/* The search keys fold a character at a time, as the whole text would */
static void
test_fold_text (void)
{
  const char *texts[] = { "Élodie Martin elodie@example.org Desk A", "ÉLO", "Lefèvre", "García François André",
                          "Straße ẞ", "İstanbul ı", "Ǆemal ǅ", "한국어", "Ångström Ω K", "e\u0301cole",
                          "Ørsted Æsir œuvre", "ＡＢＣ", "", "plain ascii 123", NULL };

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *folded = esc_staff_fold_text (texts[i]);
      g_autofree char *expected = fold_by_normalizing (texts[i]);

      g_assert_cmpstr (folded, ==, expected);
    }
  {
    g_autofree char *folded = esc_staff_fold_text ("not \xff UTF-8");

    g_assert_cmpstr (folded, ==, "");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/staff/directory-migrated", Fixture, NULL, fixture_setup,
              test_directory_migrated, fixture_teardown);
  g_test_add ("/store/staff/audit-chain", Fixture, NULL, fixture_setup,
              test_audit_chain, fixture_teardown);

  g_test_add ("/store/staff/outbox-if-match", Fixture, NULL, fixture_setup,
              test_outbox_if_match, fixture_teardown);
  g_test_add ("/store/staff/admin-contacts", Fixture, NULL, fixture_setup,
              test_admin_contacts, fixture_teardown);
  g_test_add_func ("/store/staff/fold-text", test_fold_text);

  return g_test_run ();
}
