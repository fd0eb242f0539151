/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-csv.h"
#include "esc-request-labels.h"
#include "esc-request-list.h"
#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-workspace-private.h"

/* The list of the Requests screen over mirror_support_requests_list and
 * mirror_support_requests_search (workspace migration 3).
 *
 * For the current sort column the list keeps, in memory, one Row per request
 * of the service in index order (the "base": 24 bytes a row, read from one
 * covering index). A query is then a pass over the base, in either direction,
 * keeping the rows whose codes pass the masks and, with a search, whose key
 * the FTS5 lookup returned (a bitmap over the keys). The result is an array
 * of keys (the mirror's rowids); items are read from the mirror's JSON when
 * the view asks for them, through the core's codec, and a few hundred are
 * kept. */

/* Items kept once read */
#define CACHE_SIZE 512
/* Search results kept besides the current one (a bitmap of 12.5 kB for
 * 100 000 requests): every search starts with one letter, and a letter
 * erased comes back to the search before */
#define SEARCHES_KEPT 16
/* At most one reload for changes of the mirror in this time (a sync writes
 * page after page) */
#define RELOAD_INTERVAL_MS 200
/* Words of a search beyond this are ignored */
#define MAX_SEARCH_WORDS 16
/* A bitmap of keys larger than this is not worth it: a hash set then */
#define MAX_BITMAP_KEY (G_GINT64_CONSTANT (1) << 27)

typedef struct
{
  gint64 key;
  gint64 filer_id;
  gint8  kind;
  gint8  type;
  gint8  severity;
  gint8  state;
} Row;

typedef struct
{
  gint64             key;
  EscSupportRequest *item;
  GList              link;
} CacheEntry;

typedef struct
{
  char       *text;
  guint8     *bits;
  GHashTable *set;
} SearchResult;

static void
search_result_free (gpointer data)
{
  SearchResult *result = data;

  g_free (result->text);
  g_free (result->bits);
  g_clear_pointer (&result->set, g_hash_table_unref);
  g_free (result);
}

struct _EscRequestList
{
  GObject          parent_instance;

  EscMirror       *mirror;
  EscOutbox       *outbox;
  sqlite3         *db;
  const char      *path;

  EscRequestQuery  query;
  char            *text;

  /* The base: every request of base_service, in the order of base_sort */
  GArray          *base;           /* Row */
  gboolean         base_valid;
  EscRequestSort   base_sort;
  gint64           max_key;

  /* The search result for search_text over the current base */
  char            *search_text;    /* the FTS5 query it is for, or NULL */
  guint8          *search_bits;    /* bitmap of keys, or NULL */
  GHashTable      *search_set;     /* or a set of keys, for huge keys */
  GQueue           searches;       /* SearchResult: the last ones before, newest first */

  GArray          *keys;           /* gint64, what the model shows */

  GHashTable      *cache;          /* gint64* key → CacheEntry */
  GQueue           lru;            /* CacheEntry, most recent first */
  sqlite3_stmt    *read_item;

  GListStore      *pending;        /* EscOutboxItem */
  guint            n_pending_total; /* the service's, before the query's filter */

  GHashTable      *changed_ids;    /* ids changed since the last reload */
  guint            reload_source;
  gint64           last_reload;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscRequestList, esc_request_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_MIRROR,
  PROP_OUTBOX,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  PROP_N_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* The item cache --------------------------------------------------------------- */

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->item);
  g_free (entry);
}

static void
cache_clear (EscRequestList *self)
{
  /* The entries' links live in the entries: unlink them all before freeing. */
  self->lru.head = self->lru.tail = NULL;
  self->lru.length = 0;
  g_hash_table_remove_all (self->cache);
}

static void
cache_add (EscRequestList    *self,
           gint64             key,
           EscSupportRequest *item)
{
  CacheEntry *entry = g_new0 (CacheEntry, 1);

  entry->key = key;
  entry->item = g_object_ref (item);
  entry->link.data = entry;
  g_hash_table_insert (self->cache, &entry->key, entry);
  g_queue_push_head_link (&self->lru, &entry->link);

  while (self->lru.length > CACHE_SIZE)
    {
      GList *oldest = g_queue_pop_tail_link (&self->lru);

      g_hash_table_remove (self->cache, &((CacheEntry *)oldest->data)->key);
    }
}

static EscSupportRequest *
read_item (EscRequestList *self,
           gint64          key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  EscSupportRequest *request = NULL;
  const char *id;
  const char *json;
  int rc;

  if (self->db == NULL)
    return NULL;

  if (self->read_item == NULL &&
      !esc_store_prepare (self->db, self->path,
                          "SELECT id, json FROM mirror_support_requests WHERE rowid = ?1",
                          &self->read_item, &error))
    {
      g_debug ("Reading a support request: %s", error->message);
      return NULL;
    }

  sqlite3_reset (self->read_item);
  sqlite3_bind_int64 (self->read_item, 1, key);
  rc = sqlite3_step (self->read_item);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (self->read_item);
      return NULL;
    }

  id = (const char *)sqlite3_column_text (self->read_item, 0);
  json = (const char *)sqlite3_column_text (self->read_item, 1);

  if (json != NULL && json_parser_load_from_data (parser, json, -1, &error))
    request = esc_support_request_new_from_json (json_parser_get_root (parser),
                                                 ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, &error);

  /* The view needs an item at every position: a row the codec refuses (from
   * a newer service?) shows as its id alone. */
  if (request == NULL)
    {
      g_debug ("Support request %s of the mirror cannot be read: %s",
               id, error != NULL ? error->message : "no JSON");
      request = esc_support_request_new ();
      esc_support_request_set_id (request, id);
    }

  sqlite3_reset (self->read_item);
  return request;
}

/* GListModel ------------------------------------------------------------------- */

static GType
esc_request_list_get_item_type (GListModel *model)
{
  return ESC_TYPE_SUPPORT_REQUEST;
}

static guint
esc_request_list_get_n_items (GListModel *model)
{
  return ESC_REQUEST_LIST (model)->keys->len;
}

static gpointer
esc_request_list_get_item (GListModel *model,
                           guint       position)
{
  EscRequestList *self = ESC_REQUEST_LIST (model);
  EscSupportRequest *item;
  CacheEntry *entry;
  gint64 key;

  if (position >= self->keys->len)
    return NULL;

  key = g_array_index (self->keys, gint64, position);
  entry = g_hash_table_lookup (self->cache, &key);
  if (entry != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      g_queue_push_head_link (&self->lru, &entry->link);
      return g_object_ref (entry->item);
    }

  item = read_item (self, key);
  if (item == NULL)
    {
      /* Gone since the last reload: a placeholder until the reload comes. */
      item = esc_support_request_new ();
    }
  cache_add (self, key, item);

  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = esc_request_list_get_item_type;
  iface->get_n_items = esc_request_list_get_n_items;
  iface->get_item = esc_request_list_get_item;
}

/* Reading the base and searching ---------------------------------------------- */

/* The codes of a row, from `attrs` (migration 3): kind | type << 2 |
 * severity << 4 | state << 8 | filer id << 12, each code the position of the
 * value in core's enum (EscSupportRequestKind, …), with the field's all-ones
 * (3, or 15 for the state) for a value the list does not know. The migration's
 * SQL writes the codes from the wire names; tests/test-store-requests.c checks
 * that they still are the enums' positions. */
#define ATTRS_KIND_SHIFT     0
#define ATTRS_KIND_MASK      3
#define ATTRS_TYPE_SHIFT     2
#define ATTRS_TYPE_MASK      3
#define ATTRS_SEVERITY_SHIFT 4
#define ATTRS_SEVERITY_MASK  3
#define ATTRS_STATE_SHIFT    8
#define ATTRS_STATE_MASK     15
#define ATTRS_FILER_SHIFT    12

/* Every value of the enums has a code below its field's "unknown" */
G_STATIC_ASSERT (ESC_SUPPORT_REQUEST_KIND_ESCALATION < ATTRS_KIND_MASK);
G_STATIC_ASSERT (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST < ATTRS_TYPE_MASK);
G_STATIC_ASSERT (ESC_SUPPORT_SEVERITY_C < ATTRS_SEVERITY_MASK);
G_STATIC_ASSERT (ESC_SUPPORT_REQUEST_STATE_CLOSED < ATTRS_STATE_MASK);
/* The pending model's bits come after the states' */
G_STATIC_ASSERT (ESC_REQUEST_STATES_OPEN < ESC_REQUEST_STATES_QUEUED);
G_STATIC_ASSERT (ESC_REQUEST_STATES_QUEUED < ESC_REQUEST_STATES_REFUSED);

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
      if (!esc_store_prepare (self->db, self->path, sql, &stmt, error))
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
      g_queue_clear_full (&self->searches, search_result_free);
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
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
        search_result_free (g_queue_pop_tail (&self->searches));
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
          search_result_free (kept);
          return TRUE;
        }
    }

  if (self->max_key <= MAX_BITMAP_KEY)
    bits = g_malloc0 ((gsize)(self->max_key >> 3) + 1);
  else
    set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  if (self->db != NULL && self->base->len > 0)
    {
      if (!esc_store_prepare (self->db, self->path,
                              "SELECT rowid FROM mirror_support_requests_search "
                              "WHERE mirror_support_requests_search MATCH ?1",
                              &stmt, error))
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

static gboolean
in_mask (guint mask,
         gint8 code)
{
  return mask == 0 || (code >= 0 && (mask & (1u << code)) != 0);
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

      if (!in_mask (query->states, row->state) ||
          !in_mask (query->severities, row->severity) ||
          !in_mask (query->types, row->type) ||
          !in_mask (query->kinds, row->kind) ||
          (query->filer_id != 0 && row->filer_id != query->filer_id) ||
          (search && !search_has (self, row->key)))
        continue;

      g_array_append_val (keys, row->key);
    }

  return keys;
}

/* Emitting changes ------------------------------------------------------------
 *
 * One ::items-changed per change, over what differs. How a view takes large
 * changes (GTK 4.8's trackers read every added row) is the UI's business:
 * see src/ui/esc-request-rows.c. */

/* Replaces the keys, emitting ::items-changed over what differs; the keys in
 * @changed (nullable) count as different even where they stay. */
static void
replace_keys (EscRequestList *self,
              GArray         *keys,
              GHashTable     *changed)
{
  g_autoptr(GArray) old_keys = g_steal_pointer (&self->keys);
  const gint64 *old = (const gint64 *)(gpointer)old_keys->data;
  const gint64 *new = (const gint64 *)(gpointer)keys->data;
  guint old_len = old_keys->len;
  guint new_len = keys->len;
  guint prefix = 0;
  guint suffix = 0;
  guint removed, added;

#define SAME(i, j) (old[i] == new[j] && (changed == NULL || !g_hash_table_contains (changed, &old[i])))
  while (prefix < old_len && prefix < new_len && SAME (prefix, prefix))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         SAME (old_len - 1 - suffix, new_len - 1 - suffix))
    suffix++;
#undef SAME

  removed = old_len - prefix - suffix;
  added = new_len - prefix - suffix;

  self->keys = keys;  /* the list holds it now */
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);

  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Builds the keys of @query: reads the base again if asked or needed,
 * searches if needed. Nothing changes on error. */
static GArray *
run_query (EscRequestList         *self,
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

/* The pending model ------------------------------------------------------------- */

/* Lower case, without diacritics, for matching typed words. */
static char *
fold (const char *text)
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
static GPtrArray *
search_words (const char *text,
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

  words = search_words (text, &last_is_prefix);
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

/**
 * esc_request_list_dup_pending_request:
 * @item: an outbox item of kind %ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the request its body files
 */
EscSupportRequest *
esc_request_list_dup_pending_request (EscOutboxItem  *item,
                                      GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  g_return_val_if_fail (ESC_IS_OUTBOX_ITEM (item), NULL);

  if (!json_parser_load_from_data (parser, esc_outbox_item_get_body (item), -1, error))
    return NULL;

  return esc_support_request_new_from_json (json_parser_get_root (parser),
                                            ESC_SUPPORT_REQUEST_JSON_CREATE, NULL, error);
}

static gboolean
pending_matches (EscOutboxItem         *item,
                 const EscRequestQuery *query,
                 GPtrArray             *words)
{
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(GString) haystack = NULL;
  g_autofree char *folded = NULL;
  guint state_bits = query->states & (ESC_REQUEST_STATES_QUEUED | ESC_REQUEST_STATES_REFUSED);

  if (state_bits != 0)
    {
      guint bit = esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED
                    ? ESC_REQUEST_STATES_REFUSED : ESC_REQUEST_STATES_QUEUED;

      if ((state_bits & bit) == 0)
        return FALSE;
    }

  request = esc_request_list_dup_pending_request (item, NULL);
  if (request == NULL)
    {
      /* Shown as long as nothing but its title is asked about */
      if (query->kinds != 0 || query->types != 0 || query->severities != 0)
        return FALSE;
      haystack = g_string_new (esc_outbox_item_get_title (item));
    }
  else
    {
      const char * const *devices = esc_support_request_get_devices (request);

      if (!in_mask (query->kinds, (gint8)esc_support_request_get_kind (request)) ||
          !in_mask (query->types, (gint8)esc_support_request_get_request_type (request)) ||
          !in_mask (query->severities, (gint8)esc_support_request_get_severity (request)))
        return FALSE;

      haystack = g_string_new (esc_support_request_get_title (request));
      g_string_append_c (haystack, '\n');
      g_string_append (haystack, esc_support_request_get_description (request));
      for (guint i = 0; devices != NULL && devices[i] != NULL; i++)
        {
          g_string_append_c (haystack, '\n');
          g_string_append (haystack, devices[i]);
        }
    }

  if (words->len == 0)
    return TRUE;

  folded = fold (haystack->str);
  for (guint i = 0; i < words->len; i++)
    {
      if (strstr (folded, g_ptr_array_index (words, i)) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
update_pending (EscRequestList *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) words = NULL;
  const char *service = esc_mirror_get_service (self->mirror);
  GListModel *items;
  guint n, n_total = 0;

  if (self->outbox != NULL && service != NULL)
    {
      words = search_words (self->query.text, NULL);
      for (guint i = 0; i < words->len; i++)
        {
          char *folded = fold (g_ptr_array_index (words, i));

          g_free (g_ptr_array_index (words, i));
          g_ptr_array_index (words, i) = folded;
        }

      items = esc_outbox_get_items (self->outbox);
      n = g_list_model_get_n_items (items);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (items, i);

          if (esc_outbox_item_get_kind (item) != ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST ||
              g_strcmp0 (esc_outbox_item_get_service (item), service) != 0)
            continue;
          n_total++;
          if (pending_matches (item, &self->query, words))
            g_ptr_array_add (shown, g_steal_pointer (&item));
        }
    }
  self->n_pending_total = n_total;

  /* Keep the model still when nothing changed (outbox snapshots are replaced on change). */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->pending));
  if (n == shown->len)
    {
      gboolean same = TRUE;

      for (guint i = 0; same && i < n; i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->pending), i);

          same = item == g_ptr_array_index (shown, i);
        }
      if (same)
        return;
    }

  g_list_store_splice (self->pending, 0, n, shown->pdata, shown->len);
}

static void
outbox_items_changed_cb (GListModel     *items,
                         guint           position,
                         guint           removed,
                         guint           added,
                         EscRequestList *self)
{
  update_pending (self);
}

/* Following the mirror -------------------------------------------------------- */

static void
reload_from_mirror (EscRequestList *self)
{
  g_autoptr(GHashTable) changed_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              g_free, NULL);
  g_autoptr(GHashTable) changed_ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *service = esc_mirror_get_service (self->mirror);
  GArray *keys;
  guint n_total;

  changed_ids = g_steal_pointer (&self->changed_ids);
  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_reload = g_get_monotonic_time ();

  /* Rows rewritten in place keep their key: they count as changed. */
  if (service != NULL && g_hash_table_size (changed_ids) > 0 &&
      esc_store_prepare (self->db, self->path,
                         "SELECT rowid FROM mirror_support_requests WHERE service = ?1 AND id = ?2",
                         &stmt, NULL))
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, changed_ids);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        {
          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              gint64 key = sqlite3_column_int64 (stmt, 0);

              g_hash_table_add (changed_keys, g_memdup2 (&key, sizeof key));
            }
        }
    }

  n_total = self->base->len;
  keys = run_query (self, &self->query, TRUE, &error);
  if (keys == NULL)
    {
      /* The file is right; the list stays as it was until the next change. */
      g_debug ("Could not read the support requests again: %s",
               error != NULL ? error->message : "unknown error");
      return;
    }

  cache_clear (self);
  replace_keys (self, keys, changed_keys);
  if (n_total != self->base->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
}

static gboolean
reload_cb (gpointer user_data)
{
  EscRequestList *self = user_data;

  self->reload_source = 0;
  reload_from_mirror (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reload (EscRequestList *self)
{
  gint64 since;
  guint delay;

  if (self->reload_source != 0)
    return;

  since = (g_get_monotonic_time () - self->last_reload) / 1000;
  delay = since >= RELOAD_INTERVAL_MS ? 0 : (guint)(RELOAD_INTERVAL_MS - since);
  if (delay == 0)
    self->reload_source = g_idle_add (reload_cb, self);
  else
    self->reload_source = g_timeout_add (delay, reload_cb, self);
  g_source_set_name_by_id (self->reload_source, "[escalade] reload the request list");
}

static void
support_request_changed_cb (EscMirror      *mirror,
                            const char     *id,
                            EscRequestList *self)
{
  g_hash_table_add (self->changed_ids, g_strdup (id));
  schedule_reload (self);
}

static void
service_changed_cb (EscMirror      *mirror,
                    GParamSpec     *pspec,
                    EscRequestList *self)
{
  g_autoptr(GError) error = NULL;
  GArray *keys;
  guint removed = self->keys->len;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_hash_table_remove_all (self->changed_ids);

  /* Other rows altogether: the same keys would be other requests. */
  keys = run_query (self, &self->query, TRUE, &error);
  if (keys == NULL)
    {
      g_debug ("Could not read the support requests of %s: %s",
               esc_mirror_get_service (mirror), error->message);
      keys = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_set_size (self->base, 0);
    }

  cache_clear (self);
  g_array_unref (self->keys);
  self->keys = keys;
  if (removed > 0 || keys->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, keys->len);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);

  update_pending (self);
}

/* The object -------------------------------------------------------------------- */

static void
esc_request_list_constructed (GObject *object)
{
  EscRequestList *self = (EscRequestList *)object;
  g_autoptr(GError) error = NULL;
  EscWorkspace *workspace;
  GArray *keys;

  G_OBJECT_CLASS (esc_request_list_parent_class)->constructed (object);

  workspace = esc_mirror_get_workspace (self->mirror);
  self->db = esc_workspace_get_connection (workspace);
  self->path = esc_workspace_get_path (workspace);

  g_signal_connect_object (self->mirror, "support-request-changed",
                           G_CALLBACK (support_request_changed_cb), self, 0);
  g_signal_connect_object (self->mirror, "notify::service",
                           G_CALLBACK (service_changed_cb), self, 0);
  if (self->outbox != NULL)
    g_signal_connect_object (esc_outbox_get_items (self->outbox), "items-changed",
                             G_CALLBACK (outbox_items_changed_cb), self, 0);

  keys = run_query (self, &self->query, TRUE, &error);
  if (keys != NULL)
    {
      g_array_unref (self->keys);
      self->keys = keys;
    }
  else
    g_debug ("Could not read the support requests: %s", error->message);
  self->last_reload = g_get_monotonic_time ();

  update_pending (self);
}

static void
esc_request_list_dispose (GObject *object)
{
  EscRequestList *self = (EscRequestList *)object;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_pointer (&self->read_item, sqlite3_finalize);
  if (self->mirror != NULL)
    g_signal_handlers_disconnect_by_data (self->mirror, self);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (esc_outbox_get_items (self->outbox), self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->mirror);
  self->db = NULL;

  G_OBJECT_CLASS (esc_request_list_parent_class)->dispose (object);
}

static void
esc_request_list_finalize (GObject *object)
{
  EscRequestList *self = (EscRequestList *)object;

  cache_clear (self);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->base, g_array_unref);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->search_bits, g_free);
  g_clear_pointer (&self->search_set, g_hash_table_unref);
  g_queue_clear_full (&self->searches, search_result_free);
  g_clear_pointer (&self->changed_ids, g_hash_table_unref);
  g_clear_pointer (&self->text, g_free);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (esc_request_list_parent_class)->finalize (object);
}

static void
esc_request_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EscRequestList *self = ESC_REQUEST_LIST (object);

  switch (prop_id)
    {
    case PROP_MIRROR:
      g_value_set_object (value, self->mirror);
      break;
    case PROP_OUTBOX:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, ESC_TYPE_SUPPORT_REQUEST);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->keys->len);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, esc_request_list_get_n_total (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_request_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EscRequestList *self = ESC_REQUEST_LIST (object);

  switch (prop_id)
    {
    case PROP_MIRROR:
      self->mirror = g_value_dup_object (value);
      break;
    case PROP_OUTBOX:
      self->outbox = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_request_list_class_init (EscRequestListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = esc_request_list_constructed;
  object_class->dispose = esc_request_list_dispose;
  object_class->finalize = esc_request_list_finalize;
  object_class->get_property = esc_request_list_get_property;
  object_class->set_property = esc_request_list_set_property;

  properties[PROP_MIRROR] =
    g_param_spec_object ("mirror", NULL, NULL, ESC_TYPE_MIRROR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTBOX] =
    g_param_spec_object ("outbox", NULL, NULL, ESC_TYPE_OUTBOX,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_request_list_init (EscRequestList *self)
{
  EscRequestQuery init = ESC_REQUEST_QUERY_INIT;

  self->query = init;
  self->keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->base = g_array_new (FALSE, FALSE, sizeof (Row));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, cache_entry_free);
  g_queue_init (&self->lru);
  self->pending = g_list_store_new (ESC_TYPE_OUTBOX_ITEM);
  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * esc_request_list_new:
 * @mirror: the workspace's mirror
 * @outbox: (nullable): the workspace's outbox, for the pending model
 *
 * Returns: (transfer full): the list of every request of @mirror's current
 *   service, most recently updated first
 */
EscRequestList *
esc_request_list_new (EscMirror *mirror,
                      EscOutbox *outbox)
{
  g_return_val_if_fail (ESC_IS_MIRROR (mirror), NULL);
  g_return_val_if_fail (outbox == NULL || ESC_IS_OUTBOX (outbox), NULL);

  return g_object_new (ESC_TYPE_REQUEST_LIST, "mirror", mirror, "outbox", outbox, NULL);
}

EscMirror *
esc_request_list_get_mirror (EscRequestList *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), NULL);
  return self->mirror;
}

/**
 * esc_request_list_set_query:
 * @self: a #EscRequestList
 * @query: the query, copied
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; on failure the list is unchanged
 */
gboolean
esc_request_list_set_query (EscRequestList         *self,
                            const EscRequestQuery  *query,
                            GError                **error)
{
  GArray *keys;

  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), FALSE);
  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (query->sort <= ESC_REQUEST_SORT_LAST, FALSE);

  if (self->mirror == NULL)
    return TRUE;

  keys = run_query (self, query, FALSE, error);
  if (keys == NULL)
    return FALSE;

  g_free (self->text);
  self->text = g_strdup (query->text);
  self->query = *query;
  self->query.text = self->text;

  replace_keys (self, keys, NULL);
  update_pending (self);

  return TRUE;
}

/**
 * esc_request_list_get_query:
 * @self: a #EscRequestList
 * @query: (out caller-allocates): the current query; its text belongs to @self
 */
void
esc_request_list_get_query (EscRequestList  *self,
                            EscRequestQuery *query)
{
  g_return_if_fail (ESC_IS_REQUEST_LIST (self));
  g_return_if_fail (query != NULL);

  *query = self->query;
}

/**
 * esc_request_list_reload:
 * @self: a #EscRequestList
 * @error: return location for a #GError
 *
 * Reads the mirror again at once, as the list does by itself shortly after
 * the mirror changed.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_request_list_reload (EscRequestList  *self,
                         GError         **error)
{
  GArray *keys;
  guint n_total;

  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), FALSE);

  if (self->mirror == NULL)
    return TRUE;

  if (self->reload_source != 0 || g_hash_table_size (self->changed_ids) > 0)
    {
      g_clear_handle_id (&self->reload_source, g_source_remove);
      reload_from_mirror (self);
      return TRUE;
    }

  n_total = self->base->len;
  keys = run_query (self, &self->query, TRUE, error);
  if (keys == NULL)
    return FALSE;

  cache_clear (self);
  replace_keys (self, keys, NULL);
  if (n_total != self->base->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
  update_pending (self);

  return TRUE;
}

guint
esc_request_list_get_n_total (EscRequestList *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), 0);

  return self->base->len;
}

/**
 * esc_request_list_find:
 * @self: a #EscRequestList
 * @id: a request id
 *
 * Returns: the position of @id in the list, or -1
 */
void
esc_request_list_flush (EscRequestList *self)
{
  g_return_if_fail (ESC_IS_REQUEST_LIST (self));

  if (self->mirror != NULL && (self->reload_source != 0 || g_hash_table_size (self->changed_ids) > 0))
    {
      g_clear_handle_id (&self->reload_source, g_source_remove);
      reload_from_mirror (self);
    }
}

gint
esc_request_list_find (EscRequestList *self,
                       const char     *id)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *service;
  gint64 key;

  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), -1);
  g_return_val_if_fail (id != NULL, -1);

  service = self->mirror != NULL ? esc_mirror_get_service (self->mirror) : NULL;
  if (service == NULL ||
      !esc_store_prepare (self->db, self->path,
                          "SELECT rowid FROM mirror_support_requests WHERE service = ?1 AND id = ?2",
                          &stmt, NULL))
    return -1;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  key = sqlite3_column_int64 (stmt, 0);

  for (guint i = 0; i < self->keys->len; i++)
    {
      if (g_array_index (self->keys, gint64, i) == key)
        return (gint)i;
    }

  return -1;
}

/**
 * esc_request_list_get_n_pending_total:
 * @self: a #EscRequestList
 *
 * Returns: how many requests of the service wait in the outbox (queued or
 *   refused), whether or not the query shows them
 */
guint
esc_request_list_get_n_pending_total (EscRequestList *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), 0);
  return self->n_pending_total;
}

GListModel *
esc_request_list_get_pending (EscRequestList *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), NULL);
  return G_LIST_MODEL (self->pending);
}

/**
 * esc_request_list_dup_overdue:
 * @self: a #EscRequestList
 * @after: (nullable): the start of the window, excluded
 * @now: the end of the window, included
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type EscSupportRequest): the requests of
 *   the service still new whose response became due in the window, or %NULL
 *   on error
 */
GPtrArray *
esc_request_list_dup_overdue (EscRequestList  *self,
                              GDateTime       *after,
                              GDateTime       *now,
                              GError         **error)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GDateTime) after_utc = NULL;
  g_autoptr(GDateTime) now_utc = NULL;
  g_autofree char *after_text = NULL;
  g_autofree char *now_text = NULL;
  const char *service;
  int rc;

  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  service = self->mirror != NULL ? esc_mirror_get_service (self->mirror) : NULL;
  if (service == NULL)
    return g_steal_pointer (&requests);

  /* The service's times are RFC 3339 UTC with a Z, with or without a
   * fraction: "…:00Z" sorts after "…:00.5Z" as text, so compare as times. */
  now_utc = g_date_time_to_utc (now);
  now_text = g_date_time_format (now_utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  if (after != NULL)
    {
      after_utc = g_date_time_to_utc (after);
      after_text = g_date_time_format (after_utc, "%Y-%m-%dT%H:%M:%S.%fZ");
    }

  if (!esc_store_prepare (self->db, self->path,
                          "SELECT key FROM mirror_support_requests_list "
                          "WHERE service = ?1 AND (attrs >> ?4) & ?5 = ?6 AND response_due_at IS NOT NULL "
                          "AND julianday (response_due_at) <= julianday (?2) "
                          "AND (?3 IS NULL OR julianday (response_due_at) > julianday (?3)) "
                          "ORDER BY response_due_at, number",
                          &stmt, error))
    return NULL;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, after_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, ATTRS_STATE_SHIFT);
  sqlite3_bind_int (stmt, 5, ATTRS_STATE_MASK);
  sqlite3_bind_int (stmt, 6, ESC_SUPPORT_REQUEST_STATE_NEW);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      EscSupportRequest *request = read_item (self, sqlite3_column_int64 (stmt, 0));

      if (request != NULL)
        g_ptr_array_add (requests, request);
    }

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&requests);
}

/* CSV export -------------------------------------------------------------------- */

typedef struct
{
  char      *path;     /* the workspace */
  GPtrArray *pending;  /* GStrv: the records of the queued and refused requests shown */
  GArray    *keys;     /* gint64 */
  GFile     *file;
  guint      n_rows;
} ExportData;

/* The record of a queued or refused request: no number yet, its state, no
 * owner nor due time yet, the time it was written as its last update */
static char **
pending_record (EscOutboxItem *item)
{
  g_autoptr(EscSupportRequest) request = esc_request_list_dup_pending_request (item, NULL);
  GDateTime *created = esc_outbox_item_get_created_at (item);
  GStrvBuilder *builder;

  if (request == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, "");
  g_strv_builder_add (builder, esc_support_request_kind_get_label (esc_support_request_get_kind (request)));
  g_strv_builder_add (builder, esc_support_request_type_get_label (esc_support_request_get_request_type (request)));
  g_strv_builder_add (builder, esc_support_severity_to_string (esc_support_request_get_severity (request)));
  g_strv_builder_add (builder, esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED
                               /* Translators: the state of a request the service refused to file */
                               ? C_("request state", "Refused")
                               /* Translators: the state of a request waiting to be sent */
                               : C_("request state", "Queued"));
  g_strv_builder_add (builder, esc_support_request_get_title (request) != NULL ? esc_support_request_get_title (request) : "");
  g_strv_builder_add (builder, esc_support_request_get_filer_name (request) != NULL ? esc_support_request_get_filer_name (request) : "");
  g_strv_builder_add (builder, "");
  g_strv_builder_add (builder, "");
  if (created != NULL)
    {
      g_autofree char *text = g_date_time_format_iso8601 (created);
      g_strv_builder_add (builder, text);
    }
  else
    g_strv_builder_add (builder, "");

  {
    char **record = g_strv_builder_end (builder);

    g_strv_builder_unref (builder);
    return record;
  }
}

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  g_free (export->path);
  g_clear_pointer (&export->pending, g_ptr_array_unref);
  g_clear_pointer (&export->keys, g_array_unref);
  g_clear_object (&export->file);
  g_free (export);
}

/* The label of a wire value, or the value itself if unknown */
static const char *
label_of (const char *column,
          const char *value)
{
  union {
    EscSupportRequestKind kind;
    EscSupportRequestType type;
    EscSupportSeverity severity;
    EscSupportRequestState state;
    EscNextActionOwner owner;
  } v;

  if (value == NULL)
    return NULL;

  if (g_str_equal (column, "kind") && esc_support_request_kind_from_string (value, &v.kind))
    return esc_support_request_kind_get_label (v.kind);
  if (g_str_equal (column, "type") && esc_support_request_type_from_string (value, &v.type))
    return esc_support_request_type_get_label (v.type);
  if (g_str_equal (column, "state") && esc_support_request_state_from_string (value, &v.state))
    return esc_support_request_state_get_label (v.state);
  if (g_str_equal (column, "owner") && esc_next_action_owner_from_string (value, &v.owner))
    return esc_next_action_owner_get_label (v.owner);

  return value;
}

static gboolean
flush_chunk (GOutputStream  *stream,
             GString        *chunk,
             GCancellable   *cancellable,
             GError        **error)
{
  if (!g_output_stream_write_all (stream, chunk->str, chunk->len, NULL, cancellable, error))
    return FALSE;
  g_string_truncate (chunk, 0);
  return TRUE;
}

static gboolean
export_rows (ExportData    *export,
             sqlite3       *db,
             GOutputStream *stream,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) chunk = g_string_sized_new (1 << 16);
  const char * const header[] = {
    /* Translators: column headers of the exported CSV file of support requests */
    _("ID"), _("Kind"), _("Type"), _("Severity"), _("State"), _("Title"), _("Filed by"),
    _("Next action owner"), _("Response due"), _("Last update"),
  };

  if (!esc_store_prepare (db, export->path,
                          "SELECT id, kind, type, severity, state, title, filed_by,"
                          " json_extract (json, '$.next_action_owner'), response_due_at, updated_at "
                          "FROM mirror_support_requests WHERE rowid = ?1",
                          &stmt, error))
    return FALSE;

  esc_csv_append_record (chunk, header, G_N_ELEMENTS (header));

  /* The queued and refused requests first, as the list shows them */
  for (guint i = 0; i < export->pending->len; i++)
    {
      esc_csv_append_record (chunk, (const char * const *)g_ptr_array_index (export->pending, i),
                             G_N_ELEMENTS (header));
      export->n_rows++;
    }

  for (guint i = 0; i < export->keys->len; i++)
    {
      const char *fields[10];
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (export->keys, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;  /* gone since the export started */
      if (rc != SQLITE_ROW)
        return esc_store_set_sqlite_error (error, db, rc, export->path);

      for (int c = 0; c < 10; c++)
        fields[c] = (const char *)sqlite3_column_text (stmt, c);
      fields[1] = label_of ("kind", fields[1]);
      fields[2] = label_of ("type", fields[2]);
      fields[4] = label_of ("state", fields[4]);
      fields[7] = label_of ("owner", fields[7]);

      esc_csv_append_record (chunk, fields, G_N_ELEMENTS (fields));
      export->n_rows++;

      if (chunk->len >= (1 << 16) - 4096 && !flush_chunk (stream, chunk, cancellable, error))
        return FALSE;
    }

  return flush_chunk (stream, chunk, cancellable, error);
}

static void
export_thread_cb (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ExportData *export = task_data;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;
  sqlite3 *db = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (export->path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      esc_store_set_sqlite_error (&error, db, rc, export->path);
      sqlite3_close_v2 (db);
      g_task_return_error (task, error);
      return;
    }
  sqlite3_busy_timeout (db, 5000);

  stream = g_file_replace (export->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  /* One read transaction: the rows as they were at one moment */
  ok = stream != NULL &&
       esc_store_exec (db, export->path, "BEGIN", &error) &&
       export_rows (export, db, G_OUTPUT_STREAM (stream), cancellable, &error);
  esc_store_rollback (db);
  sqlite3_close_v2 (db);

  /* Closing commits the replacement; a failed export leaves the old file. */
  if (ok)
    ok = g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error);
  else if (stream != NULL)
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * esc_request_list_export_csv_async:
 * @self: a #EscRequestList
 * @file: the CSV file to write (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done, in the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Exports the list as it is now.
 */
void
esc_request_list_export_csv_async (EscRequestList      *self,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportData *export;

  g_return_if_fail (ESC_IS_REQUEST_LIST (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_request_list_export_csv_async);

  export = g_new0 (ExportData, 1);
  export->path = g_strdup (self->path);
  export->pending = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->pending)); i++)
    {
      g_autoptr(EscOutboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->pending), i);
      char **record = pending_record (item);

      if (record != NULL)
        g_ptr_array_add (export->pending, record);
    }
  export->keys = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->keys->len);
  g_array_append_vals (export->keys, self->keys->data, self->keys->len);
  export->file = g_object_ref (file);
  g_task_set_task_data (task, export, export_data_free);

  g_task_run_in_thread (task, export_thread_cb);
}

gboolean
esc_request_list_export_csv_finish (EscRequestList  *self,
                                    GAsyncResult    *result,
                                    guint           *n_rows,
                                    GError         **error)
{
  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (n_rows != NULL)
    {
      ExportData *export = g_task_get_task_data (G_TASK (result));

      *n_rows = export->n_rows;
    }

  return g_task_propagate_boolean (G_TASK (result), error);
}
