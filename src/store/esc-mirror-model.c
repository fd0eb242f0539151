/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-mirror-model.h"

/* How many items the model keeps once read, so that scrolling back and forth
 * does not read the same rows again and again. */
#define CACHE_SIZE 512

/* A GListModel over a mirror table. It holds the keys in display order and
 * reads each item when the view asks for it; a reload compares the old and
 * new keys, so that a request changed on the service is one ::items-changed
 * of a few rows, not of the whole list. */
struct _EscMirrorModel
{
  GObject                 parent_instance;

  GType                   item_type;
  GPtrArray              *keys;    /* char*, in display order */
  GHashTable             *cache;   /* key → GObject */
  GQueue                  lru;     /* keys in the cache, most recent first (borrowed from cache) */
  EscMirrorModelKeysFunc  load_keys;
  EscMirrorModelItemFunc  load_item;
  gpointer                user_data;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscMirrorModel, esc_mirror_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
esc_mirror_model_get_item_type (GListModel *model)
{
  return ESC_MIRROR_MODEL (model)->item_type;
}

static guint
esc_mirror_model_get_n_items (GListModel *model)
{
  return ESC_MIRROR_MODEL (model)->keys->len;
}

static void
cache_forget (EscMirrorModel *self,
              const char     *key)
{
  GList *link;
  gpointer stored_key;

  if (!g_hash_table_lookup_extended (self->cache, key, &stored_key, NULL))
    return;

  link = g_queue_find (&self->lru, stored_key);
  if (link != NULL)
    g_queue_delete_link (&self->lru, link);
  g_hash_table_remove (self->cache, key);
}

static void
cache_add (EscMirrorModel *self,
           const char     *key,
           GObject        *item)
{
  char *stored_key = g_strdup (key);

  cache_forget (self, key);
  g_hash_table_insert (self->cache, stored_key, g_object_ref (item));
  g_queue_push_head (&self->lru, stored_key);

  while (self->lru.length > CACHE_SIZE)
    {
      char *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->cache, oldest);
    }
}

static gpointer
esc_mirror_model_get_item (GListModel *model,
                           guint       position)
{
  EscMirrorModel *self = ESC_MIRROR_MODEL (model);
  const char *key;
  GObject *item;

  if (position >= self->keys->len)
    return NULL;

  key = g_ptr_array_index (self->keys, position);
  item = g_hash_table_lookup (self->cache, key);
  if (item != NULL)
    return g_object_ref (item);

  if (self->load_item == NULL)
    return NULL;

  item = self->load_item (self->user_data, key);
  if (item == NULL)
    return NULL;

  g_return_val_if_fail (g_type_is_a (G_OBJECT_TYPE (item), self->item_type), NULL);
  cache_add (self, key, item);

  return item;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = esc_mirror_model_get_item_type;
  iface->get_n_items = esc_mirror_model_get_n_items;
  iface->get_item = esc_mirror_model_get_item;
}

static void
esc_mirror_model_finalize (GObject *object)
{
  EscMirrorModel *self = (EscMirrorModel *)object;

  g_queue_clear (&self->lru);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_mirror_model_parent_class)->finalize (object);
}

static void
esc_mirror_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EscMirrorModel *self = ESC_MIRROR_MODEL (object);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, self->item_type);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->keys->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_mirror_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EscMirrorModel *self = ESC_MIRROR_MODEL (object);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      self->item_type = g_value_get_gtype (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_mirror_model_class_init (EscMirrorModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_mirror_model_finalize;
  object_class->get_property = esc_mirror_model_get_property;
  object_class->set_property = esc_mirror_model_set_property;

  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_mirror_model_init (EscMirrorModel *self)
{
  self->item_type = G_TYPE_OBJECT;
  self->keys = g_ptr_array_new_with_free_func (g_free);
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_queue_init (&self->lru);
}

/**
 * esc_mirror_model_new:
 * @item_type: the type of the items
 * @keys: (scope notified): reads the keys in display order
 * @item: (scope notified): reads one item
 * @user_data: data for @keys and @item, not owned; see esc_mirror_model_detach()
 *
 * Returns: (transfer full): a new, empty model; call esc_mirror_model_reload()
 */
EscMirrorModel *
esc_mirror_model_new (GType                   item_type,
                      EscMirrorModelKeysFunc  keys,
                      EscMirrorModelItemFunc  item,
                      gpointer                user_data)
{
  EscMirrorModel *self;

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (keys != NULL && item != NULL, NULL);

  self = g_object_new (ESC_TYPE_MIRROR_MODEL, "item-type", item_type, NULL);
  self->load_keys = keys;
  self->load_item = item;
  self->user_data = user_data;

  return self;
}

static gboolean
same_row (GPtrArray  *old_keys,
          guint       old_index,
          GPtrArray  *new_keys,
          guint       new_index,
          GHashTable *changed)
{
  const char *key = g_ptr_array_index (old_keys, old_index);

  return g_str_equal (key, g_ptr_array_index (new_keys, new_index)) &&
         (changed == NULL || !g_hash_table_contains (changed, key));
}

/**
 * esc_mirror_model_reload:
 * @self: a #EscMirrorModel
 * @changed: (nullable) (element-type utf8 utf8): the keys whose rows changed
 * @error: return location for a #GError
 *
 * Reads the keys again and emits one ::items-changed covering the rows that
 * moved, came, went or changed. On error the model keeps its items.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_mirror_model_reload (EscMirrorModel  *self,
                         GHashTable      *changed,
                         GError         **error)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GPtrArray) old_keys = NULL;
  guint prefix = 0;
  guint suffix = 0;
  guint old_len;
  guint new_len;

  g_return_val_if_fail (ESC_IS_MIRROR_MODEL (self), FALSE);

  if (self->load_keys == NULL)
    return TRUE;

  if (!(keys = self->load_keys (self->user_data, error)))
    return FALSE;

  if (changed != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, changed);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        cache_forget (self, key);
    }

  old_keys = g_steal_pointer (&self->keys);
  self->keys = g_steal_pointer (&keys);
  old_len = old_keys->len;
  new_len = self->keys->len;

  while (prefix < old_len && prefix < new_len &&
         same_row (old_keys, prefix, self->keys, prefix, changed))
    prefix++;
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         same_row (old_keys, old_len - 1 - suffix, self->keys, new_len - 1 - suffix, changed))
    suffix++;

  /* Rows that are gone may still be cached: drop what is no longer a key. */
  for (guint i = prefix; i < old_len - suffix; i++)
    cache_forget (self, g_ptr_array_index (old_keys, i));

  if (old_len - prefix - suffix > 0 || new_len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old_len - prefix - suffix, new_len - prefix - suffix);
  if (old_len != new_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return TRUE;
}

/**
 * esc_mirror_model_reset:
 * @self: a #EscMirrorModel
 * @error: return location for a #GError
 *
 * Reads the keys again and treats every row as new: for when the same keys
 * now name other rows (another service).
 *
 * Returns: %TRUE on success
 */
gboolean
esc_mirror_model_reset (EscMirrorModel  *self,
                        GError         **error)
{
  g_autoptr(GPtrArray) keys = NULL;
  guint removed;

  g_return_val_if_fail (ESC_IS_MIRROR_MODEL (self), FALSE);

  if (self->load_keys == NULL)
    return TRUE;

  if (!(keys = self->load_keys (self->user_data, error)))
    return FALSE;

  removed = self->keys->len;
  g_ptr_array_unref (self->keys);
  self->keys = g_steal_pointer (&keys);
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->cache);

  if (removed > 0 || self->keys->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->keys->len);
  if (removed != self->keys->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return TRUE;
}

gint
esc_mirror_model_find (EscMirrorModel *self,
                       const char     *key)
{
  g_return_val_if_fail (ESC_IS_MIRROR_MODEL (self), -1);

  for (guint i = 0; i < self->keys->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (self->keys, i), key))
        return (gint)i;
    }

  return -1;
}

/**
 * esc_mirror_model_detach:
 * @self: a #EscMirrorModel
 *
 * Forgets the loaders: the mirror is going away while the UI still holds the
 * model. Its rows could no longer be read, so the model empties itself.
 */
void
esc_mirror_model_detach (EscMirrorModel *self)
{
  guint removed;

  g_return_if_fail (ESC_IS_MIRROR_MODEL (self));

  removed = self->keys->len;
  g_ptr_array_set_size (self->keys, 0);
  g_queue_clear (&self->lru);
  g_hash_table_remove_all (self->cache);
  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }

  self->load_keys = NULL;
  self->load_item = NULL;
  self->user_data = NULL;
}
