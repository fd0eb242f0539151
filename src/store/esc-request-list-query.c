/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <string.h>

#include "esc-request-list-private.h"
#include "esc-store-error.h"
#include "esc-store-private.h"

/* The base, the search and the filter of EscRequestList (see the top of
 * esc-request-list.c), and the words of a search. */

/* Search results kept besides the current one (a bitmap of 12.5 kB for
 * 100 000 requests): every search starts with one letter, and a letter
 * erased comes back to the search before */
#define SEARCHES_KEPT 16
/* Words of a search beyond this are ignored */
#define MAX_SEARCH_WORDS 16
/* A bitmap of keys larger than this is not worth it: a hash set then */
#define MAX_BITMAP_KEY (G_GINT64_CONSTANT (1) << 27)

typedef struct
{
  char       *text;
  guint8     *bits;
  GHashTable *set;
} SearchResult;

void
esc_request_list_search_result_free (gpointer data)
{
  SearchResult *result = data;

  g_free (result->text);
  g_free (result->bits);
  g_clear_pointer (&result->set, g_hash_table_unref);
  g_free (result);
}

/* The ORDER BY of each sort column, matching an index of migration 3 */
static const char * const order_by[] = {
  [ESC_REQUEST_SORT_ID] = "number",
  [ESC_REQUEST_SORT_TYPE] = "type_code, number",
  [ESC_REQUEST_SORT_SEVERITY] = "severity_code, number",
  [ESC_REQUEST_SORT_STATE] = "state_code, number",
  [ESC_REQUEST_SORT_TITLE] = "title COLLATE NOCASE, number",
  [ESC_REQUEST_SORT_FILER] = "filer COLLATE NOCASE, number",
  [ESC_REQUEST_SORT_NEXT_ACTION_OWNER] = "next_action_owner, number",
  [ESC_REQUEST_SORT_RESPONSE_DUE] = "response_due_at, number",
  [ESC_REQUEST_SORT_UPDATED] = "updated_at, number",
};

G_STATIC_ASSERT (G_N_ELEMENTS (order_by) == ESC_REQUEST_SORT_LAST + 1);
/* Reading the base and searching ---------------------------------------------- */

static void
row_set_attrs (Row    *row,
               gint64  attrs)
{
  row->kind = (gint8)((attrs >> ATTRS_KIND_SHIFT) & ATTRS_KIND_MASK);
  row->type = (gint8)((attrs >> ATTRS_TYPE_SHIFT) & ATTRS_TYPE_MASK);
  row->severity = (gint8)((attrs >> ATTRS_SEVERITY_SHIFT) & ATTRS_SEVERITY_MASK);
  row->state = (gint8)((attrs >> ATTRS_STATE_SHIFT) & ATTRS_STATE_MASK);
  row->filer_id = attrs >> ATTRS_FILER_SHIFT;
}

static gboolean
load_base (EscRequestList  *self,
           EscRequestSort   sort,
           gboolean         rows_changed,
           GError         **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GArray) base = NULL;
  g_autofree char *sql = NULL;
  const char *service = esc_mirror_get_service (self->mirror);
  gint64 max_key = 0;
  int rc;

  base = g_array_sized_new (FALSE, FALSE, sizeof (Row), self->base->len);

  if (service != NULL && self->db != NULL)
    {
      sql = g_strdup_printf ("SELECT key, attrs FROM mirror_support_requests_list "
                             "WHERE service = ?1 ORDER BY %s",
                             order_by[sort]);
      /* One text per sort order: kept prepared */
      if (!(stmt = esc_store_prepare_cached (self->db, self->path, sql, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Row row;

          row.key = sqlite3_column_int64 (stmt, 0);
          row_set_attrs (&row, sqlite3_column_int64 (stmt, 1));
          max_key = MAX (max_key, row.key);
          g_array_append_val (base, row);
        }

      if (rc != SQLITE_DONE)
        return esc_store_set_sqlite_error (error, self->db, rc, self->path);
    }

  /* The search result is for the old rows (another order of the same rows
   * keeps it: it is a set of keys) */
  if (rows_changed || max_key != self->max_key)
    {
      g_clear_pointer (&self->search_text, g_free);
      g_clear_pointer (&self->search_bits, g_free);
      g_clear_pointer (&self->search_set, g_hash_table_unref);
      g_queue_clear_full (&self->searches, esc_request_list_search_result_free);
    }

  g_clear_pointer (&self->base, g_array_unref);
  self->base = g_steal_pointer (&base);
  self->base_sort = sort;
  self->base_valid = TRUE;
  self->max_key = max_key;

  return TRUE;
}

static gboolean
search_has (EscRequestList *self,
            gint64          key)
{
  if (self->search_bits != NULL)
    return key >= 0 && key <= self->max_key && (self->search_bits[key >> 3] & (1u << (key & 7))) != 0;
  if (self->search_set != NULL)
    return g_hash_table_contains (self->search_set, &key);
  return FALSE;
}

/* Runs the FTS5 query @match, unless it is the one already run. */
static gboolean
run_search (EscRequestList  *self,
            const char      *match,
            GError         **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree guint8 *bits = NULL;
  g_autoptr(GHashTable) set = NULL;
  int rc;

  if (g_strcmp0 (match, self->search_text) == 0 &&
      (self->search_bits != NULL || self->search_set != NULL))
    return TRUE;

  /* The current result joins those kept; one of them may be the one */
  if (self->search_text != NULL)
    {
      SearchResult *current = g_new0 (SearchResult, 1);

      current->text = g_steal_pointer (&self->search_text);
      current->bits = g_steal_pointer (&self->search_bits);
      current->set = g_steal_pointer (&self->search_set);
      g_queue_push_head (&self->searches, current);
      while (g_queue_get_length (&self->searches) > SEARCHES_KEPT)
        esc_request_list_search_result_free (g_queue_pop_tail (&self->searches));
    }
  for (GList *l = self->searches.head; l != NULL; l = l->next)
    {
      SearchResult *kept = l->data;

      if (g_str_equal (kept->text, match))
        {
          g_queue_delete_link (&self->searches, l);
          self->search_text = g_steal_pointer (&kept->text);
          self->search_bits = g_steal_pointer (&kept->bits);
          self->search_set = g_steal_pointer (&kept->set);
          esc_request_list_search_result_free (kept);
          return TRUE;
        }
    }

  if (self->max_key <= MAX_BITMAP_KEY)
    bits = g_malloc0 ((gsize)(self->max_key >> 3) + 1);
  else
    set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (self->db != NULL && self->base->len > 0)
    {
      if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                             "SELECT rowid FROM mirror_support_requests_search "
                                             "WHERE mirror_support_requests_search MATCH ?1",
                                             error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 key = sqlite3_column_int64 (stmt, 0);

          if (key < 0 || key > self->max_key)
            continue;  /* not a request of this service */
          if (bits != NULL)
            bits[key >> 3] |= (guint8)(1u << (key & 7));
          else
            g_hash_table_add (set, g_memdup2 (&key, sizeof key));
        }

      if (rc != SQLITE_DONE)
        return esc_store_set_sqlite_error (error, self->db, rc, self->path);
    }

  g_free (self->search_text);
  self->search_text = g_strdup (match);
  g_free (self->search_bits);
  self->search_bits = g_steal_pointer (&bits);
  g_clear_pointer (&self->search_set, g_hash_table_unref);
  self->search_set = g_steal_pointer (&set);

  return TRUE;
}

/* The keys @query selects from the base (searched already). */
static GArray *
filter_base (EscRequestList        *self,
             const EscRequestQuery *query,
             gboolean               search)
{
  GArray *keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->base->len);
  const Row *rows = (const Row *)(gpointer)self->base->data;
  guint n = self->base->len;

  for (guint j = 0; j < n; j++)
    {
      const Row *row = &rows[query->descending ? n - 1 - j : j];

      if (!esc_request_list_in_mask (query->states, row->state) ||
          !esc_request_list_in_mask (query->severities, row->severity) ||
          !esc_request_list_in_mask (query->types, row->type) ||
          !esc_request_list_in_mask (query->kinds, row->kind) ||
          (query->filer_id != 0 && row->filer_id != query->filer_id) ||
          (search && !search_has (self, row->key)))
        continue;

      g_array_append_val (keys, row->key);
    }

  return keys;
}

/* Builds the keys of @query: reads the base again if asked or needed,
 * searches if needed. Nothing changes on error. */
GArray *
esc_request_list_run_query (EscRequestList         *self,
                            const EscRequestQuery  *query,
                            gboolean                reload_base,
                            GError                **error)
{
  g_autofree char *match = NULL;

  if (reload_base || !self->base_valid || self->base_sort != query->sort)
    {
      if (!load_base (self, query->sort, reload_base || !self->base_valid, error))
        return NULL;
    }

  match = esc_request_list_build_search (query->text);
  if (match != NULL && !run_search (self, match, error))
    return NULL;

  return filter_base (self, query, match != NULL);
}

/* Lower case, without diacritics, for matching typed words. */
char *
esc_request_list_fold (const char *text)
{
  g_autofree char *decomposed = NULL;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");

  out = g_string_new (NULL);
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (out, c);
    }

  {
    g_autofree char *stripped = g_string_free (out, FALSE);

    return g_utf8_casefold (stripped, -1);
  }
}

/* The words of @text that have a letter or digit, folded. */
GPtrArray *
esc_request_list_search_words (const char *text,
                               gboolean   *last_is_prefix)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  if (last_is_prefix != NULL)
    *last_is_prefix = FALSE;
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return words;

  while (*p != '\0' && words->len < MAX_SEARCH_WORDS)
    {
      const char *start;
      gboolean has_alnum = FALSE;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        {
          if (g_unichar_isalnum (g_utf8_get_char (p)))
            has_alnum = TRUE;
          p = g_utf8_next_char (p);
        }

      if (has_alnum)
        {
          g_ptr_array_add (words, g_strndup (start, p - start));
          if (last_is_prefix != NULL)
            *last_is_prefix = *p == '\0';
        }
    }

  return words;
}

/**
 * esc_request_list_build_search:
 * @text: (nullable): what the person typed
 *
 * Returns: (transfer full) (nullable): an FTS5 query, or %NULL when there is
 *   nothing to search
 */
char *
esc_request_list_build_search (const char *text)
{
  g_autoptr(GPtrArray) words = NULL;
  gboolean last_is_prefix;
  GString *match;

  words = esc_request_list_search_words (text, &last_is_prefix);
  if (words->len == 0)
    return NULL;

  match = g_string_new (NULL);
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (i > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *c = word; *c != '\0'; c++)
        {
          if (*c == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *c);
        }
      g_string_append_c (match, '"');
    }
  if (last_is_prefix)
    g_string_append_c (match, '*');

  return g_string_free (match, FALSE);
}
