/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-request-labels.h"
#include "esc-request-list.h"
#include "esc-store-error.h"
#include "esc-support-request.h"
#include "esc-workspace.h"
#include "esc-workspace-private.h"
#include "esc-test-requests.h"

/* The list of the Requests screen (workspace migration 3): every filter, sort
 * and search checked against a plain C oracle on a generated workspace, the
 * search index kept in step with the mirror, the pending model, the CSV
 * export. The drafts and the migrations: test-store-drafts.c. */

#define SERVICE   "http://127.0.0.1:8080"
#define SERVICE_2 "https://escalade.example.org"
#define N_REQUESTS 150

/* The fixture ------------------------------------------------------------------ */

typedef struct
{
  char           *dir;
  char           *path;
  EscWorkspace   *workspace;
  EscMirror      *mirror;
  EscOutbox      *outbox;
  EscRequestList *list;
  Rec             recs[N_REQUESTS + 1];  /* by number; 0 unused */
  guint           changes;
  GPtrArray      *shadow;  /* the ids as a view sees them through ::items-changed */
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

/* Applies each change as a view would, reading the added items at once:
 * the model must be consistent at every emission. */
static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->changes++;

  g_assert_cmpuint (position + removed, <=, fixture->shadow->len);
  g_ptr_array_remove_range (fixture->shadow, position, removed);
  for (guint k = 0; k < added; k++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (model, position + k);

      g_assert_nonnull (request);
      g_ptr_array_insert (fixture->shadow, position + k, g_strdup (esc_support_request_get_id (request)));
    }
  g_assert_cmpuint (fixture->shadow->len, ==, g_list_model_get_n_items (model));
}

static void
assert_shadow (Fixture *fixture)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->list));

  g_assert_cmpuint (fixture->shadow->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (G_LIST_MODEL (fixture->list), i);

      g_assert_cmpstr (g_ptr_array_index (fixture->shadow, i), ==, esc_support_request_get_id (request));
    }
}

static void
store_recs (Fixture    *fixture,
            const char *service,
            guint       first,
            guint       last)
{
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = first; i <= last; i++)
    json_array_add_element (page, esc_test_rec_to_json (&fixture->recs[i]));

  esc_mirror_store_support_requests (fixture->mirror, service, "camille", page, &error);
  g_assert_no_error (error);
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
  if (fixture->list != NULL)
    {
      g_signal_handlers_disconnect_by_data (fixture->list, fixture);
      g_assert_finalize_object (g_steal_pointer (&fixture->list));
    }
  g_assert_finalize_object (g_steal_pointer (&fixture->outbox));
  g_assert_finalize_object (g_steal_pointer (&fixture->mirror));
  g_assert_finalize_object (g_steal_pointer (&fixture->workspace));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("escalade-requests-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  open_workspace (fixture);

  for (guint i = 1; i <= N_REQUESTS; i++)
    esc_test_rec_init (&fixture->recs[i], i);
  store_recs (fixture, SERVICE, 1, N_REQUESTS);
  /* Another service with the same ids: never shown with the first */
  store_recs (fixture, SERVICE_2, 1, 7);

  fixture->list = esc_request_list_new (fixture->mirror, fixture->outbox);
  fixture->shadow = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->list)); i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (G_LIST_MODEL (fixture->list), i);

      g_ptr_array_add (fixture->shadow, g_strdup (esc_support_request_get_id (request)));
    }
  g_signal_connect (fixture->list, "items-changed", G_CALLBACK (items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->workspace != NULL)
    close_workspace (fixture);
  for (guint i = 1; i <= N_REQUESTS; i++)
    esc_test_rec_clear (&fixture->recs[i]);
  remove_dir (fixture->dir);
  g_clear_pointer (&fixture->shadow, g_ptr_array_unref);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  sqlite3 *db = esc_workspace_get_connection (fixture->workspace);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static void
exec_sql (Fixture    *fixture,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (esc_workspace_get_connection (fixture->workspace), sql, NULL, NULL,
                    &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The index and the list table say exactly what the mirror says. */
static void
assert_indexes_in_step (Fixture *fixture)
{
  exec_sql (fixture, "INSERT INTO mirror_support_requests_search (mirror_support_requests_search) "
                     "VALUES ('integrity-check')");
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM mirror_support_requests_search"), ==,
                   query_int (fixture, "SELECT count(*) FROM mirror_support_requests"));
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM mirror_support_requests_list"), ==,
                   query_int (fixture, "SELECT count(*) FROM mirror_support_requests"));
  /* Same keys, same titles and states */
  g_assert_cmpint (query_int (fixture,
                              "SELECT count(*) FROM mirror_support_requests AS m "
                              "JOIN mirror_support_requests_list AS l ON l.key = m.rowid "
                              "JOIN mirror_support_requests_search AS s ON s.rowid = m.rowid "
                              "WHERE l.service = m.service AND l.title = m.title "
                              "AND s.title = m.title AND s.id = m.id "
                              "AND l.state_code IS (CASE m.state WHEN 'new' THEN 0 "
                              "  WHEN 'in-progress' THEN 1 WHEN 'waiting-on-customer' THEN 2 "
                              "  WHEN 'mitigated' THEN 3 WHEN 'resolved' THEN 4 "
                              "  WHEN 'closed' THEN 5 END) "
                              "AND (l.attrs >> 8) & 15 = l.state_code "
                              "AND l.attrs >> 12 = json_extract (m.json, '$.filed_by.id') "
                              "AND (l.attrs & 3) = (CASE m.kind WHEN 'admin' THEN 0 ELSE 1 END)"),
                   ==, query_int (fixture, "SELECT count(*) FROM mirror_support_requests"));
}

/* Waits (with a deadline) for the list to follow a change of the mirror. */
static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_change (Fixture *fixture,
                 guint    before)
{
  gboolean passed = FALSE;
  guint deadline = g_timeout_add_seconds (10, deadline_cb, &passed);

  while (fixture->changes == before && !passed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (passed);
  g_source_remove (deadline);
  assert_shadow (fixture);
}

/* The ids the list shows, in order */
static GPtrArray *
list_ids (GListModel *model)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (model, i);

      g_assert_nonnull (request);
      g_ptr_array_add (ids, g_strdup (esc_support_request_get_id (request)));
    }

  g_assert_null (g_list_model_get_item (model, n));
  return ids;
}

/* The oracle ------------------------------------------------------------------- */

/* Lower case without diacritics, split on what is not a letter or digit (what
 * FTS5's unicode61 tokenizer with remove_diacritics 2 does for this data). */
static GPtrArray *
tokens (const char *text)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = decomposed; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_ismark (c))
        continue;
      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_ptr_array_add (out, g_utf8_casefold (word->str, -1));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }

  return out;
}

static gboolean
phrase_in (GPtrArray *haystack,
           GPtrArray *phrase,
           gboolean   prefix)
{
  for (guint start = 0; start + phrase->len <= haystack->len; start++)
    {
      gboolean ok = TRUE;

      for (guint j = 0; ok && j < phrase->len; j++)
        {
          const char *h = g_ptr_array_index (haystack, start + j);
          const char *w = g_ptr_array_index (phrase, j);

          if (prefix && j == phrase->len - 1)
            ok = g_str_has_prefix (h, w);
          else
            ok = g_str_equal (h, w);
        }
      if (ok)
        return TRUE;
    }

  return FALSE;
}

static gboolean
oracle_search (const Rec  *rec,
               const char *text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *number = g_strdup_printf ("%u", rec->number);
  g_autofree char *devices = g_strjoin (" ", rec->devices[0], rec->devices[1], NULL);
  const char *columns[5];
  gboolean prefix;

  if (text == NULL)
    return TRUE;

  /* Words: separated by white space, with a letter or digit */
  words = g_regex_split_simple ("\\s+", text, 0, 0);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gboolean alnum = FALSE;

      for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char (p))
        alnum = alnum || g_unichar_isalnum (g_utf8_get_char (p));
      if (alnum && kept->len < 16)
        g_ptr_array_add (kept, words[i]);
    }
  if (kept->len == 0)
    return TRUE;
  prefix = !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + strlen (text))));

  columns[0] = rec->id;
  columns[1] = number;
  columns[2] = rec->title;
  columns[3] = rec->description;
  columns[4] = devices;

  for (guint i = 0; i < kept->len; i++)
    {
      g_autoptr(GPtrArray) phrase = tokens (g_ptr_array_index (kept, i));
      gboolean found = FALSE;

      if (phrase->len == 0)
        return FALSE;
      for (guint c = 0; !found && c < G_N_ELEMENTS (columns); c++)
        {
          g_autoptr(GPtrArray) haystack = tokens (columns[c]);

          found = phrase_in (haystack, phrase, prefix && i == kept->len - 1);
        }
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static gboolean
in_mask (guint mask,
         int   value)
{
  return mask == 0 || (mask & (1u << value)) != 0;
}

static const char *
owner_text (int owner)
{
  return owner == ESC_NEXT_ACTION_OWNER_NONE ? NULL : esc_next_action_owner_to_string (owner);
}

static int
compare_nullable (const char *a,
                  const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return strcmp (a, b);
}

static EscRequestSort oracle_sort;

static int
oracle_compare (gconstpointer a,
                gconstpointer b)
{
  const Rec *x = *(const Rec * const *)a;
  const Rec *y = *(const Rec * const *)b;
  int c = 0;

  switch (oracle_sort)
    {
    case ESC_REQUEST_SORT_ID:
      break;
    case ESC_REQUEST_SORT_TYPE:
      c = x->type - y->type;
      break;
    case ESC_REQUEST_SORT_SEVERITY:
      c = x->severity - y->severity;
      break;
    case ESC_REQUEST_SORT_STATE:
      c = x->state - y->state;
      break;
    case ESC_REQUEST_SORT_TITLE:
      c = g_ascii_strcasecmp (x->title, y->title);
      break;
    case ESC_REQUEST_SORT_FILER:
      c = g_ascii_strcasecmp (x->filer, y->filer);
      break;
    case ESC_REQUEST_SORT_NEXT_ACTION_OWNER:
      c = compare_nullable (owner_text (x->owner), owner_text (y->owner));
      break;
    case ESC_REQUEST_SORT_RESPONSE_DUE:
      c = strcmp (x->due, y->due);
      break;
    case ESC_REQUEST_SORT_UPDATED:
      c = strcmp (x->updated, y->updated);
      break;
    default:
      g_assert_not_reached ();
    }

  if (c != 0)
    return c;
  return (x->number > y->number) - (x->number < y->number);
}

static GPtrArray *
oracle (Fixture               *fixture,
        const EscRequestQuery *query)
{
  g_autoptr(GPtrArray) recs = g_ptr_array_new ();
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; i <= N_REQUESTS; i++)
    {
      const Rec *rec = &fixture->recs[i];

      if (!rec->deleted &&
          in_mask (query->states, rec->state) &&
          in_mask (query->severities, rec->severity) &&
          in_mask (query->types, rec->type) &&
          in_mask (query->kinds, rec->kind) &&
          (query->filer_id == 0 || query->filer_id == rec->filer_id) &&
          oracle_search (rec, query->text))
        g_ptr_array_add (recs, (gpointer)rec);
    }

  oracle_sort = query->sort;
  g_ptr_array_sort (recs, oracle_compare);
  for (guint i = 0; i < recs->len; i++)
    {
      const Rec *rec = g_ptr_array_index (recs, query->descending ? recs->len - 1 - i : i);

      g_ptr_array_add (ids, g_strdup (rec->id));
    }

  return ids;
}

static void
assert_same_ids (GPtrArray *actual,
                 GPtrArray *expected)
{
  for (guint i = 0; i < MIN (actual->len, expected->len); i++)
    {
      if (!g_str_equal (g_ptr_array_index (actual, i), g_ptr_array_index (expected, i)))
        g_error ("row %u: %s, expected %s", i, (char *)g_ptr_array_index (actual, i),
                 (char *)g_ptr_array_index (expected, i));
    }
  g_assert_cmpuint (actual->len, ==, expected->len);
}

static void
assert_query (Fixture               *fixture,
              const EscRequestQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) expected = oracle (fixture, query);
  g_autoptr(GPtrArray) actual = NULL;

  g_test_message ("query: states %x severities %x types %x kinds %x filer %" G_GINT64_FORMAT
                  " text «%s» sort %d%s → %u rows", query->states, query->severities, query->types,
                  query->kinds, query->filer_id, query->text, query->sort,
                  query->descending ? " desc" : "", expected->len);

  esc_request_list_set_query (fixture->list, query, &error);
  g_assert_no_error (error);
  actual = list_ids (G_LIST_MODEL (fixture->list));
  assert_same_ids (actual, expected);
  assert_shadow (fixture);
}

/* Tests ------------------------------------------------------------------------ */

static void
test_default (Fixture       *fixture,
              gconstpointer  data)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  EscRequestQuery current;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->list)) == ESC_TYPE_SUPPORT_REQUEST);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, N_REQUESTS);
  g_assert_cmpuint (esc_request_list_get_n_total (fixture->list), ==, N_REQUESTS);
  esc_request_list_get_query (fixture->list, &current);
  g_assert_cmpint (current.sort, ==, ESC_REQUEST_SORT_UPDATED);
  g_assert_true (current.descending);
  assert_query (fixture, &query);

  /* The items are the whole requests */
  {
    g_autoptr(EscSupportRequest) first = g_list_model_get_item (G_LIST_MODEL (fixture->list), 0);
    g_autoptr(EscSupportRequest) again = g_list_model_get_item (G_LIST_MODEL (fixture->list), 0);
    const Rec *rec = NULL;

    for (guint i = 1; i <= N_REQUESTS; i++)
      if (g_str_equal (fixture->recs[i].id, esc_support_request_get_id (first)))
        rec = &fixture->recs[i];
    g_assert_nonnull (rec);
    g_assert_true (first == again);  /* cached */
    g_assert_cmpstr (esc_support_request_get_title (first), ==, rec->title);
    g_assert_cmpstr (esc_support_request_get_description (first), ==, rec->description);
    g_assert_cmpstr (esc_support_request_get_devices (first)[0], ==, rec->devices[0]);
    g_assert_cmpint (esc_support_request_get_filer_id (first), ==, rec->filer_id);
  }

  g_assert_cmpint (esc_request_list_find (fixture->list, "SR-000007"), >=, 0);
  {
    g_autoptr(EscSupportRequest) found = NULL;

    found = g_list_model_get_item (G_LIST_MODEL (fixture->list),
                                   esc_request_list_find (fixture->list, "SR-000007"));
    g_assert_cmpstr (esc_support_request_get_id (found), ==, "SR-000007");
  }
  g_assert_cmpint (esc_request_list_find (fixture->list, "SR-999999"), ==, -1);
}

static void
test_sorts (Fixture       *fixture,
            gconstpointer  data)
{
  for (int sort = ESC_REQUEST_SORT_ID; sort <= ESC_REQUEST_SORT_LAST; sort++)
    for (int descending = 0; descending < 2; descending++)
      {
        EscRequestQuery query = ESC_REQUEST_QUERY_INIT;

        query.sort = sort;
        query.descending = descending;
        assert_query (fixture, &query);

        /* With a filter and a search too */
        query.states = ESC_REQUEST_STATES_OPEN;
        query.text = "printer";
        assert_query (fixture, &query);
      }
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  static const EscRequestQuery queries[] = {
    { ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_NEW), 0, 0, 0, 0, NULL, ESC_REQUEST_SORT_ID, FALSE },
    { ESC_REQUEST_STATES_OPEN, 0, 0, 0, 0, NULL, ESC_REQUEST_SORT_UPDATED, TRUE },
    { ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_RESOLVED) | ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_CLOSED),
      0, 0, 0, 0, NULL, ESC_REQUEST_SORT_ID, TRUE },
    { 0, ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_A), 0, 0, 0, NULL, ESC_REQUEST_SORT_ID, FALSE },
    { 0, ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_A) | ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_B), 0, 0, 0,
      NULL, ESC_REQUEST_SORT_TITLE, FALSE },
    { 0, 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST), 0, 0, NULL, ESC_REQUEST_SORT_ID, FALSE },
    { 0, 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_INCIDENT) |
      ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION), 0, 0, NULL,
      ESC_REQUEST_SORT_STATE, FALSE },
    { 0, 0, 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_KIND_ESCALATION), 0, NULL, ESC_REQUEST_SORT_ID, FALSE },
    { 0, 0, 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_KIND_ADMIN), 0, NULL, ESC_REQUEST_SORT_FILER, TRUE },
    { 0, 0, 0, 0, 3, NULL, ESC_REQUEST_SORT_ID, FALSE },                        /* mine */
    { 0, 0, 0, 0, 99, NULL, ESC_REQUEST_SORT_ID, FALSE },                       /* nobody's */
    { ESC_REQUEST_STATES_OPEN, ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_C),
      ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_INCIDENT), ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_KIND_ADMIN),
      2, NULL, ESC_REQUEST_SORT_RESPONSE_DUE, FALSE },
    /* Everything at once, with a search */
    { ESC_REQUEST_STATES_OPEN, 0, 0, ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_KIND_ADMIN), 1, "office",
      ESC_REQUEST_SORT_UPDATED, TRUE },
    /* Bits of no known value select nothing */
    { 1u << 20, 0, 0, 0, 0, NULL, ESC_REQUEST_SORT_ID, FALSE },
    /* The pending bits alone select no mirrored request */
    { ESC_REQUEST_STATES_QUEUED, 0, 0, 0, 0, NULL, ESC_REQUEST_SORT_ID, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    assert_query (fixture, &queries[i]);

  g_assert_cmpuint (esc_request_list_get_n_total (fixture->list), ==, N_REQUESTS);
}

/* The codes the migration's SQL packs into `attrs` from the wire names are the
 * positions of core's enums, which the list's masks (ESC_REQUEST_BIT (value))
 * and the UI's filters rely on: an enum that changes its values must change
 * the migration (and the list's decoding) too. */
static void
test_enum_codes (Fixture       *fixture,
                 gconstpointer  data)
{
  static const struct {
    GType     (*get_type) (void);
    const char *column;
    guint       shift;
    guint       unknown;
    gsize       mask_offset;
  } fields[] = {
    { esc_support_request_kind_get_type, "kind", 0, 3, G_STRUCT_OFFSET (EscRequestQuery, kinds) },
    { esc_support_request_type_get_type, "type", 2, 3, G_STRUCT_OFFSET (EscRequestQuery, types) },
    { esc_support_severity_get_type, "severity", 4, 3, G_STRUCT_OFFSET (EscRequestQuery, severities) },
    { esc_support_request_state_get_type, "state", 8, 15, G_STRUCT_OFFSET (EscRequestQuery, states) },
  };

  for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (fields[f].get_type ());

      /* Room for the "unknown" code */
      g_assert_cmpuint (klass->n_values, <=, fields[f].unknown);

      for (guint v = 0; v < klass->n_values; v++)
        {
          const GEnumValue *value = &klass->values[v];
          EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
          g_autoptr(GError) error = NULL;
          g_autofree char *all = NULL;
          g_autofree char *coded = NULL;
          gint64 n_all, n_coded;

          g_assert_cmpint (value->value, ==, (int)v);
          all = g_strdup_printf ("SELECT count(*) FROM mirror_support_requests AS m "
                                 "JOIN mirror_support_requests_list AS l ON l.key = m.rowid "
                                 "WHERE m.service = '%s' AND m.%s = '%s'",
                                 SERVICE, fields[f].column, value->value_nick);
          coded = g_strdup_printf ("%s AND (l.attrs >> %u) & %u = %d", all, fields[f].shift,
                                   fields[f].unknown, value->value);
          n_all = query_int (fixture, all);
          n_coded = query_int (fixture, coded);
          /* The fixture has every value */
          g_assert_cmpint (n_all, >, 0);
          g_assert_cmpint (n_coded, ==, n_all);

          /* The list's mask of the value finds them */
          G_STRUCT_MEMBER (guint, &query, fields[f].mask_offset) = ESC_REQUEST_BIT (value->value);
          g_assert_true (esc_request_list_set_query (fixture->list, &query, &error));
          g_assert_no_error (error);
          g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, n_all);
        }
    }

  /* The pending model's extra bits follow the states */
  {
    g_autoptr(GEnumClass) states = g_type_class_ref (ESC_TYPE_SUPPORT_REQUEST_STATE);

    g_assert_cmpuint (ESC_REQUEST_STATES_QUEUED, ==, ESC_REQUEST_BIT (states->n_values));
    g_assert_cmpuint (ESC_REQUEST_STATES_REFUSED, ==, ESC_REQUEST_BIT (states->n_values + 1));
  }
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const texts[] = {
    "printer", "PRINT", "Printer driver", "print driv", "printer ", "driver printer", "pr",
    "p", "wi-fi", "Wi-F", "wifi", "\"smart\"", "\"smart", "smart\" plug", "naïve", "NAIVE résumé",
    "naive resume", "RÉSUMÉ", "東京", "東", "uber", "über-urgent", "c++", "C++ runtime",
    "12", "SR-000012", "sr-00001", "000012", "mmd-0001", "MMD-00150", "laptop 3", "laptop-3",
    "0x80070005", "error 0x8007", "=cmd", "calc'!A0", "-", "\"", "  ", "", "*", "'",
    "printer OR outlook", "title:printer", "NEAR(printer driver)", "printer AND", "NOT",
    "print*", "(printer)", "printer -queue", "^printer", "zzzz", "printer zzzz",
    "a b c d e f g h i j k l m n o p q r s t", "\t printer \n", "office 1", "Lyon office",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      EscRequestQuery query = ESC_REQUEST_QUERY_INIT;

      query.text = texts[i];
      query.sort = ESC_REQUEST_SORT_ID;
      assert_query (fixture, &query);
    }

  /* A few known answers, so the oracle itself is checked */
  {
    EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
    g_autoptr(GError) error = NULL;

    query.text = "SR-000012";
    esc_request_list_set_query (fixture->list, &query, &error);
    g_assert_no_error (error);
    /* as a prefix: SR-000012 and nothing else (000120… are not prefixes of "000012") */
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);

    query.text = "12";  /* 12, 120–129 by number */
    esc_request_list_set_query (fixture->list, &query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 11);

    query.text = "zzzz";
    esc_request_list_set_query (fixture->list, &query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);

    query.text = " - \" ";  /* nothing to search: everything */
    esc_request_list_set_query (fixture->list, &query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, N_REQUESTS);

    query.text = "naive";  /* Naïve, every 11th */
    esc_request_list_set_query (fixture->list, &query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, N_REQUESTS / 11);
  }

  /* Typing a word letter by letter, then erasing it: always right */
  {
    const char *word = "printer driver";

    for (gsize len = 0; len <= strlen (word); len++)
      {
        EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
        g_autofree char *text = g_strndup (word, len);

        query.text = text;
        assert_query (fixture, &query);
      }
  }
}

static void
test_build_search (void)
{
  static const struct {
    const char *text;
    const char *match;
  } cases[] = {
    { NULL, NULL },
    { "", NULL },
    { "   ", NULL },
    { "- \" * ( ) :", NULL },
    { "printer", "\"printer\"*" },
    { "printer ", "\"printer\"" },
    { "printer driv", "\"printer\" \"driv\"*" },
    { "  Printer\tdriver\n", "\"Printer\" \"driver\"" },
    { "wi-fi", "\"wi-fi\"*" },
    { "a\"b", "\"a\"\"b\"*" },
    { "\"smart\" plug", "\"\"\"smart\"\"\" \"plug\"*" },
    { "OR AND NOT", "\"OR\" \"AND\" \"NOT\"*" },
    { "title:x NEAR(a", "\"title:x\" \"NEAR(a\"*" },
    { "東京 café", "\"東京\" \"café\"*" },
    { "x -", "\"x\"" },
    { "\xff\xfe", NULL },  /* not UTF-8: nothing */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *match = esc_request_list_build_search (cases[i].text);

      g_assert_cmpstr (match, ==, cases[i].match);
    }

  /* At most 16 words */
  {
    g_autofree char *match = esc_request_list_build_search ("a b c d e f g h i j k l m n o p q r s");
    guint quotes = 0;

    for (const char *p = match; *p != '\0'; p++)
      quotes += *p == '"';
    g_assert_cmpuint (quotes, ==, 32);
  }
}

/* Writes through the mirror, as a sync does: the list follows by itself, and
 * the search index follows the mirror on insert, replace, update and delete. */
static void
test_follows_mirror (Fixture       *fixture,
                     gconstpointer  data)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  Rec *rec = &fixture->recs[42];
  g_autoptr(GError) error = NULL;
  guint before;

  assert_indexes_in_step (fixture);

  query.text = "printer";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_no_error (error);
  assert_query (fixture, &query);

  /* A new title for an existing request (INSERT OR REPLACE in the mirror) */
  g_free (rec->title);
  rec->title = g_strdup ("Printer of the Zanzibar office");
  g_free (rec->updated);
  rec->updated = esc_test_time_text (1000);
  before = fixture->changes;
  store_recs (fixture, SERVICE, 42, 42);
  wait_for_change (fixture, before);
  assert_indexes_in_step (fixture);
  assert_query (fixture, &query);
  query.text = "zanzibar";
  assert_query (fixture, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);

  /* The same on the other service changes nothing here */
  before = fixture->changes;
  store_recs (fixture, SERVICE_2, 42, 42);
  assert_indexes_in_step (fixture);
  assert_query (fixture, &query);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);

  /* Old words are gone from the index */
  query.text = g_strdup_printf ("%s 42", esc_test_rec_titles[42 % ESC_TEST_REC_N_TITLES]);
  assert_query (fixture, &query);
  g_free ((char *)query.text);

  /* A new request */
  {
    Rec extra;

    query.text = "zanzibar";
    esc_request_list_set_query (fixture->list, &query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);
    esc_test_rec_init (&extra, N_REQUESTS + 1);
    g_free (extra.title);
    extra.title = g_strdup ("Brand new Zanzibar request");
    {
      g_autoptr(JsonArray) page = json_array_new ();

      json_array_add_element (page, esc_test_rec_to_json (&extra));
      before = fixture->changes;
      esc_mirror_store_support_requests (fixture->mirror, SERVICE, "camille", page, &error);
      g_assert_no_error (error);
    }
    wait_for_change (fixture, before);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 2);
    g_assert_cmpuint (esc_request_list_get_n_total (fixture->list), ==, N_REQUESTS + 1);
    esc_test_rec_clear (&extra);
    assert_indexes_in_step (fixture);
  }

  /* An UPDATE in place (no writer does it today, the triggers cover it) */
  exec_sql (fixture, "UPDATE mirror_support_requests SET title = 'Quokka sighting', "
                     "state = 'closed', "
                     "json = json_set (json, '$.title', 'Quokka sighting', '$.state', 'closed') "
                     "WHERE id = 'SR-000042'");
  assert_indexes_in_step (fixture);
  esc_request_list_reload (fixture->list, &error);
  g_assert_no_error (error);
  query.text = "quokka";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);
  query.states = ESC_REQUEST_STATES_OPEN;
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  query.states = 0;
  query.text = "zanzibar";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 1);

  /* A DELETE */
  exec_sql (fixture, "DELETE FROM mirror_support_requests WHERE id = 'SR-000042'");
  exec_sql (fixture, "DELETE FROM mirror_support_requests WHERE service = '" SERVICE "' "
                     "AND id = 'SR-000007'");
  assert_indexes_in_step (fixture);
  fixture->recs[42].deleted = TRUE;
  fixture->recs[7].deleted = TRUE;
  esc_request_list_reload (fixture->list, &error);
  g_assert_no_error (error);
  query.text = "quokka";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  g_assert_cmpint (esc_request_list_find (fixture->list, "SR-000007"), ==, -1);
  g_assert_cmpuint (esc_request_list_get_n_total (fixture->list), ==, N_REQUESTS - 1);

  /* Recursive triggers on: a replace fires the delete trigger too, still in step */
  exec_sql (fixture, "PRAGMA recursive_triggers = ON");
  store_recs (fixture, SERVICE, 10, 20);
  assert_indexes_in_step (fixture);
  exec_sql (fixture, "PRAGMA recursive_triggers = OFF");

  /* The other service's rows are still all there */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM mirror_support_requests_list "
                                       "WHERE service = '" SERVICE_2 "'"), ==, 7);
}

/* The list emits its changes plainly: one ::items-changed per change, over
 * the rows that differ (a sync's moved rows, a new search), and none when
 * nothing changed. Pacing them for the view is EscRequestRows' business
 * (tests/test-ui-requests-list.c). */
typedef struct
{
  guint emissions;
  guint position;
  guint removed;
  guint added;
} Emissions;

static void
count_emissions_cb (GListModel *model,
                    guint       position,
                    guint       removed,
                    guint       added,
                    Emissions  *emissions)
{
  emissions->emissions++;
  emissions->position = position;
  emissions->removed = removed;
  emissions->added = added;
}

static void
test_emissions (Fixture       *fixture,
                gconstpointer  data)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  Emissions emissions = { 0, };
  guint before;

  g_signal_connect (fixture->list, "items-changed", G_CALLBACK (count_emissions_cb), &emissions);

  /* Most recently updated first; two old requests get updated: they move up */
  query.sort = ESC_REQUEST_SORT_UPDATED;
  query.descending = TRUE;
  assert_query (fixture, &query);
  for (guint i = 3; i <= 4; i++)
    {
      g_free (fixture->recs[i].updated);
      fixture->recs[i].updated = esc_test_time_text (2000 + i);
    }
  emissions = (Emissions) { 0, };
  before = fixture->changes;
  store_recs (fixture, SERVICE, 3, 4);
  wait_for_change (fixture, before);
  assert_query (fixture, &query);
  /* One emission from the first row that moved to the last row it left */
  g_assert_cmpuint (emissions.emissions, ==, 1);
  g_assert_cmpuint (emissions.removed, ==, emissions.added);
  g_assert_cmpuint (emissions.removed, >=, 2);

  /* Searches and filters: one emission each, none when the rows stay */
  {
    static const char * const texts[] = { "the", "the user", "office", NULL, "p", "zzz", "the", "the" };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        guint n_before = g_list_model_get_n_items (G_LIST_MODEL (fixture->list));

        emissions = (Emissions) { 0, };
        query.text = texts[i];
        query.states = i == 5 ? ESC_REQUEST_STATES_OPEN : 0;
        assert_query (fixture, &query);
        g_assert_cmpuint (emissions.emissions, ==, i == 7 ? 0 : 1);
        if (emissions.emissions == 1)
          g_assert_cmpuint (n_before - emissions.removed + emissions.added, ==,
                            g_list_model_get_n_items (G_LIST_MODEL (fixture->list)));
      }
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), >, 64);
  }

  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (fixture->list, &emissions);
}

static void
test_service (Fixture       *fixture,
              gconstpointer  data)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  guint before = fixture->changes;

  query.sort = ESC_REQUEST_SORT_ID;
  query.text = "printer";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_no_error (error);

  /* Another service: its rows only, the query kept */
  esc_mirror_set_service (fixture->mirror, SERVICE_2);
  g_assert_cmpuint (fixture->changes, >, before);
  g_assert_cmpuint (esc_request_list_get_n_total (fixture->list), ==, 7);
  ids = list_ids (G_LIST_MODEL (fixture->list));
  g_assert_cmpuint (ids->len, ==, 1);  /* of 1–7, only 1 is a printer: "printer queue stuck 1" */
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "SR-000001");
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* No service: nothing */
  esc_mirror_set_service (fixture->mirror, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  g_assert_cmpuint (esc_request_list_get_n_total (fixture->list), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->list), 0));

  esc_mirror_set_service (fixture->mirror, SERVICE);
  assert_query (fixture, &query);
}

static void
test_pending (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *pending = esc_request_list_get_pending (fixture->list);
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscOutboxItem) other = NULL;
  g_autoptr(EscOutboxItem) comment = NULL;
  g_autoptr(EscSupportRequest) filed = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  Rec rec;

  g_assert_true (g_list_model_get_item_type (pending) == ESC_TYPE_OUTBOX_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);

  /* A new request in the outbox: its body is the filer's fields */
  esc_test_rec_init (&rec, 500);
  g_free (rec.title);
  rec.title = g_strdup ("Queued printer trouble");
  body = esc_test_rec_to_json (&rec);
  {
    JsonObject *object = json_node_get_object (body);
    static const char * const service_only[] = {
      "id", "state", "filed_by", "created_at", "updated_at", "response_due_at", "resolved_at",
      "closed_at", "next_action_owner", "next_action_at", "notes", "attachments", "timeline",
    };

    for (guint i = 0; i < G_N_ELEMENTS (service_only); i++)
      json_object_remove_member (object, service_only[i]);
  }
  item = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                         "POST", "/v1/support-requests", NULL, rec.title, body, &error);
  g_assert_no_error (error);
  other = esc_outbox_add (fixture->outbox, SERVICE_2, "camille",
                          ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST, "POST", "/v1/support-requests",
                          NULL, rec.title, body, &error);
  g_assert_no_error (error);
  comment = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_COMMENT, "POST",
                            "/v1/support-requests/SR-000001/comments", "SR-000001", "A note",
                            body, &error);
  g_assert_no_error (error);

  /* Only the new request of this service */
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  {
    g_autoptr(EscOutboxItem) shown = g_list_model_get_item (pending, 0);

    g_assert_cmpint (esc_outbox_item_get_id (shown), ==, esc_outbox_item_get_id (item));
    filed = esc_request_list_dup_pending_request (shown, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (esc_support_request_get_title (filed), ==, "Queued printer trouble");
    g_assert_cmpint (esc_support_request_get_severity (filed), ==, rec.severity);
  }

  /* Filtered by the query */
  query.text = "queued print";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  query.text = "MMD-00500";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  query.text = "zzzz";
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);
  query.text = NULL;
  query.severities = ESC_REQUEST_BIT ((rec.severity + 1) % 3);
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);
  query.severities = ESC_REQUEST_BIT (rec.severity);
  query.kinds = ESC_REQUEST_BIT (rec.kind);
  query.types = ESC_REQUEST_BIT (rec.type);
  query.filer_id = 3;  /* "mine": filed here */
  query.states = ESC_REQUEST_STATES_OPEN;
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  query.states = ESC_REQUEST_STATES_REFUSED;
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);

  /* Refused by the service: shown as refused */
  esc_outbox_record_failure (fixture->outbox, esc_outbox_item_get_id (item), TRUE, "unprocessable",
                             422, "The title is too long.", "/title", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  {
    g_autoptr(EscOutboxItem) shown = g_list_model_get_item (pending, 0);

    g_assert_cmpint (esc_outbox_item_get_state (shown), ==, ESC_OUTBOX_STATE_REFUSED);
    g_assert_cmpstr (esc_outbox_item_get_error_field (shown), ==, "/title");
  }
  query.states = ESC_REQUEST_STATES_QUEUED;
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);

  /* Discarded: gone */
  query.states = 0;
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  esc_outbox_discard (fixture->outbox, esc_outbox_item_get_id (item), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);

  /* The other service's, once it is the current one */
  esc_mirror_set_service (fixture->mirror, SERVICE_2);
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);

  esc_test_rec_clear (&rec);
}

static void
test_overdue (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GDateTime) after = esc_test_parse_time ("2024-05-02T00:00:00Z");
  g_autoptr(GDateTime) now = esc_test_parse_time ("2024-05-03T12:00:00Z");
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GError) error = NULL;
  guint expected = 0;

  for (guint i = 1; i <= N_REQUESTS; i++)
    {
      const Rec *rec = &fixture->recs[i];

      if (rec->state == ESC_SUPPORT_REQUEST_STATE_NEW &&
          strcmp (rec->due, "2024-05-02T00:00:00Z") > 0 && strcmp (rec->due, "2024-05-03T12:00:00Z") <= 0)
        expected++;
    }
  g_assert_cmpuint (expected, >, 0);

  overdue = esc_request_list_dup_overdue (fixture->list, after, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, ==, expected);
  for (guint i = 0; i < overdue->len; i++)
    {
      EscSupportRequest *request = g_ptr_array_index (overdue, i);

      g_assert_cmpint (esc_support_request_get_state (request), ==, ESC_SUPPORT_REQUEST_STATE_NEW);
      g_assert_cmpint (g_date_time_compare (esc_support_request_get_response_due_at (request), after), >, 0);
      g_assert_cmpint (g_date_time_compare (esc_support_request_get_response_due_at (request), now), <=, 0);
    }
  g_clear_pointer (&overdue, g_ptr_array_unref);

  /* Without a start: every late new request */
  overdue = esc_request_list_dup_overdue (fixture->list, NULL, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overdue->len, >, expected);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The worker thread drops its reference to the task (and so to the list) a
 * little after the callback ran: wait for it before the list is finalized. */
static void
wait_for_task_gone (GAsyncResult **result)
{
  gpointer task = *result;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_object_add_weak_pointer (task, &task);
  g_clear_object (result);
  while (g_atomic_pointer_get (&task) != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_thread_yield ();
    }
  g_assert_null (task);
}

static void
test_export_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(EscOutboxItem) queued = NULL;
  g_autoptr(JsonNode) body = NULL;
  guint n_rows = 0;
  guint n_lines;
  Rec queued_rec;

  query.types = ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  query.sort = ESC_REQUEST_SORT_ID;
  query.descending = FALSE;
  esc_request_list_set_query (fixture->list, &query, &error);
  g_assert_no_error (error);
  ids = list_ids (G_LIST_MODEL (fixture->list));

  /* A queued incident: shown above the list, exported first */
  esc_test_rec_init (&queued_rec, 501);
  g_free (queued_rec.title);
  queued_rec.title = g_strdup ("Queued printer trouble");
  body = esc_test_rec_to_json (&queued_rec);
  {
    JsonObject *object = json_node_get_object (body);
    static const char * const service_only[] = {
      "id", "state", "filed_by", "created_at", "updated_at", "response_due_at", "resolved_at",
      "closed_at", "next_action_owner", "next_action_at", "notes", "attachments", "timeline",
    };

    for (guint i = 0; i < G_N_ELEMENTS (service_only); i++)
      json_object_remove_member (object, service_only[i]);
  }
  queued = esc_outbox_add (fixture->outbox, SERVICE, "camille", ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST,
                           "POST", "/v1/support-requests", NULL, queued_rec.title, body, &error);
  g_assert_no_error (error);
  esc_test_rec_clear (&queued_rec);
  g_assert_cmpuint (g_list_model_get_n_items (esc_request_list_get_pending (fixture->list)), ==, 1);

  g_file_set_contents (path, "old contents", -1, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  esc_request_list_export_csv_async (fixture->list, file, NULL, export_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (esc_request_list_export_csv_finish (fixture->list, result, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, ids->len + 1);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (contents, "\r\n"));
  lines = g_strsplit (contents, "\r\n", -1);
  n_lines = g_strv_length (lines) - 1;  /* after the last CRLF */
  g_assert_cmpuint (n_lines, ==, ids->len + 2);
  g_assert_cmpstr (lines[0], ==, "ID,Kind,Type,Severity,State,Title,Filed by,Next action owner,"
                                 "Response due,Last update");

  /* The queued request first: no number, owner nor due time yet */
  {
    g_autofree char *created = g_date_time_format_iso8601 (esc_outbox_item_get_created_at (queued));
    g_autofree char *expected = g_strdup_printf (",Admin request,Incident,C,Queued,Queued printer trouble,,,,%s",
                                                 created);

    g_assert_cmpstr (lines[1], ==, expected);
  }

  /* Then the list, in its order, with labels */
  for (guint i = 0; i < ids->len; i++)
    g_assert_true (g_str_has_prefix (lines[i + 2], g_ptr_array_index (ids, i)));
  {
    const Rec *rec = &fixture->recs[3];  /* an incident: 3 % 3 == 0 */
    g_autofree char *expected = NULL;

    expected = g_strdup_printf ("SR-000003,Admin request,Incident,%s,%s,%s,%s,%s,%s,%s",
                                esc_support_severity_to_string (rec->severity),
                                esc_support_request_state_get_label (rec->state),
                                rec->title, rec->filer, esc_next_action_owner_get_label (rec->owner),
                                rec->due, rec->updated);
    g_assert_cmpstr (lines[2], ==, expected);
  }

  /* Quotes, commas and formulas are escaped (titles 5 and 8 of the list) */
  for (guint i = 1; i <= n_lines - 1; i++)
    {
      if (strstr (lines[i], "smart") != NULL)
        g_assert_nonnull (strstr (lines[i], ",\"Café machine \"\"smart\"\" plug, again "));
      if (strstr (lines[i], "calc") != NULL)
        g_assert_nonnull (strstr (lines[i], ",'=cmd|' /C calc'!A0 not a formula "));
    }

  /* A file that cannot be written: an error, nothing else */
  {
    g_autofree char *bad_path = g_build_filename (fixture->dir, "no-such-dir", "x.csv", NULL);
    g_autoptr(GFile) bad = g_file_new_for_path (bad_path);

    wait_for_task_gone (&result);
    esc_request_list_export_csv_async (fixture->list, bad, NULL, export_done_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (esc_request_list_export_csv_finish (fixture->list, result, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    wait_for_task_gone (&result);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/store/requests/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("default", test_default);
  ADD ("sorts", test_sorts);
  ADD ("filters", test_filters);
  ADD ("enum-codes", test_enum_codes);
  ADD ("search", test_search);
  ADD ("follows-mirror", test_follows_mirror);
  ADD ("service", test_service);
  ADD ("emissions", test_emissions);
  ADD ("pending", test_pending);
  ADD ("overdue", test_overdue);
  ADD ("export-csv", test_export_csv);
  g_test_add_func ("/store/requests/build-search", test_build_search);

#undef ADD

  return g_test_run ();
}
