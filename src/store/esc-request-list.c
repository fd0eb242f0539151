/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <string.h>

#include "esc-request-list-private.h"
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
/* At most one reload for changes of the mirror in this time (a sync writes
 * page after page) */
#define RELOAD_INTERVAL_MS 200

typedef struct
{
  gint64             key;
  EscSupportRequest *item;
  GList              link;
} CacheEntry;

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
      esc_store_log_dropped_error (error, "Reading a support request");
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

/* Following the outbox and the mirror ------------------------------------------ */

/* The pending model: see esc-request-list-pending.c */
static void
outbox_items_changed_cb (GListModel     *items,
                         guint           position,
                         guint           removed,
                         guint           added,
                         EscRequestList *self)
{
  esc_request_list_update_pending (self);
}

static void
reload_from_mirror (EscRequestList *self)
{
  g_autoptr(GHashTable) changed_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                              g_free, NULL);
  g_autoptr(GHashTable) changed_ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  const char *service = esc_mirror_get_service (self->mirror);
  GArray *keys;
  guint n_total;

  changed_ids = g_steal_pointer (&self->changed_ids);
  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->last_reload = g_get_monotonic_time ();

  /* Rows rewritten in place keep their key: they count as changed. */
  if (service != NULL && g_hash_table_size (changed_ids) > 0 &&
      (stmt = esc_store_prepare_cached (self->db, self->path,
                                        "SELECT rowid FROM mirror_support_requests WHERE service = ?1 AND id = ?2",
                                        NULL)))
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
      /* Done with it before the signals below: their handlers may use it. */
      g_clear_pointer (&stmt, esc_sqlite_statement_release);
    }

  n_total = self->base->len;
  keys = esc_request_list_run_query (self, &self->query, TRUE, &error);
  if (keys == NULL)
    {
      /* The file is right; the list stays as it was until the next change. */
      if (error != NULL)
        esc_store_log_dropped_error (error, "Could not read the support requests again");
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
  keys = esc_request_list_run_query (self, &self->query, TRUE, &error);
  if (keys == NULL)
    {
      esc_store_log_dropped_error (error, "Could not read the support requests of %s",
                                   esc_mirror_get_service (mirror));
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

  esc_request_list_update_pending (self);
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

  keys = esc_request_list_run_query (self, &self->query, TRUE, &error);
  if (keys != NULL)
    {
      g_array_unref (self->keys);
      self->keys = keys;
    }
  else
    esc_store_log_dropped_error (error, "Could not read the support requests");
  self->last_reload = g_get_monotonic_time ();

  esc_request_list_update_pending (self);
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
  g_queue_clear_full (&self->searches, esc_request_list_search_result_free);
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

  keys = esc_request_list_run_query (self, query, FALSE, error);
  if (keys == NULL)
    return FALSE;

  g_free (self->text);
  self->text = g_strdup (query->text);
  self->query = *query;
  self->query.text = self->text;

  replace_keys (self, keys, NULL);
  esc_request_list_update_pending (self);

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
  keys = esc_request_list_run_query (self, &self->query, TRUE, error);
  if (keys == NULL)
    return FALSE;

  cache_clear (self);
  replace_keys (self, keys, NULL);
  if (n_total != self->base->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
  esc_request_list_update_pending (self);

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
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  const char *service;
  gint64 key;

  g_return_val_if_fail (ESC_IS_REQUEST_LIST (self), -1);
  g_return_val_if_fail (id != NULL, -1);

  service = self->mirror != NULL ? esc_mirror_get_service (self->mirror) : NULL;
  if (service == NULL ||
      !(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT rowid FROM mirror_support_requests WHERE service = ?1 AND id = ?2",
                                         NULL)))
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
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
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

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT key FROM mirror_support_requests_list "
                                         "WHERE service = ?1 AND (attrs >> ?4) & ?5 = ?6 AND response_due_at IS NOT NULL "
                                         "AND julianday (response_due_at) <= julianday (?2) "
                                         "AND (?3 IS NULL OR julianday (response_due_at) > julianday (?3)) "
                                         "ORDER BY response_due_at, number",
                                         error)))
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
