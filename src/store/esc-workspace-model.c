/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-workspace-model.h"

/* A GListModel over one table of the workspace. The workspace gives it a
 * loader (its own SQL) and asks it to reload when the table changed; the model
 * then emits ::items-changed. The seeded tables hold a handful of rows, so the
 * model keeps them all; tables that grow large (the request mirror) will want
 * a paging model built the same way. */
struct _EscWorkspaceModel
{
  GObject                    parent_instance;

  GType                      item_type;
  GPtrArray                 *items;
  EscWorkspaceModelLoadFunc  load;
  gpointer                   user_data;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscWorkspaceModel, esc_workspace_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
esc_workspace_model_get_item_type (GListModel *model)
{
  return ESC_WORKSPACE_MODEL (model)->item_type;
}

static guint
esc_workspace_model_get_n_items (GListModel *model)
{
  return ESC_WORKSPACE_MODEL (model)->items->len;
}

static gpointer
esc_workspace_model_get_item (GListModel *model,
                              guint       position)
{
  EscWorkspaceModel *self = ESC_WORKSPACE_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = esc_workspace_model_get_item_type;
  iface->get_n_items = esc_workspace_model_get_n_items;
  iface->get_item = esc_workspace_model_get_item;
}

static void
esc_workspace_model_finalize (GObject *object)
{
  EscWorkspaceModel *self = (EscWorkspaceModel *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_workspace_model_parent_class)->finalize (object);
}

static void
esc_workspace_model_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EscWorkspaceModel *self = ESC_WORKSPACE_MODEL (object);

  switch (prop_id)
    {
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, self->item_type);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_workspace_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  EscWorkspaceModel *self = ESC_WORKSPACE_MODEL (object);

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
esc_workspace_model_class_init (EscWorkspaceModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_workspace_model_finalize;
  object_class->get_property = esc_workspace_model_get_property;
  object_class->set_property = esc_workspace_model_set_property;

  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, G_TYPE_OBJECT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_workspace_model_init (EscWorkspaceModel *self)
{
  self->item_type = G_TYPE_OBJECT;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * esc_workspace_model_new:
 * @item_type: the type of the rows, e.g. %ESC_TYPE_PARTY
 * @load: (scope notified): reads the rows
 * @user_data: data for @load, not owned; see esc_workspace_model_detach()
 *
 * Returns: (transfer full): a new, empty model; call esc_workspace_model_reload()
 */
EscWorkspaceModel *
esc_workspace_model_new (GType                     item_type,
                         EscWorkspaceModelLoadFunc load,
                         gpointer                  user_data)
{
  EscWorkspaceModel *self;

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (load != NULL, NULL);

  self = g_object_new (ESC_TYPE_WORKSPACE_MODEL, "item-type", item_type, NULL);
  self->load = load;
  self->user_data = user_data;

  return self;
}

/**
 * esc_workspace_model_reload:
 * @self: a #EscWorkspaceModel
 * @error: return location for a #GError
 *
 * Reads the table again and replaces the items, emitting ::items-changed.
 * On error the model keeps its items.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_workspace_model_reload (EscWorkspaceModel  *self,
                            GError            **error)
{
  g_autoptr(GPtrArray) items = NULL;
  guint removed;

  g_return_val_if_fail (ESC_IS_WORKSPACE_MODEL (self), FALSE);

  /* Detached: its workspace is gone, the model stays as it was. */
  if (self->load == NULL)
    return TRUE;

  if (!(items = self->load (self->user_data, error)))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    g_return_val_if_fail (g_type_is_a (G_OBJECT_TYPE (g_ptr_array_index (items, i)),
                                       self->item_type), FALSE);

  removed = self->items->len;
  g_ptr_array_unref (self->items);
  self->items = g_steal_pointer (&items);

  if (removed > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
  if (removed != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return TRUE;
}

/**
 * esc_workspace_model_detach:
 * @self: a #EscWorkspaceModel
 *
 * Forgets the loader: called when the workspace goes away while the UI still
 * holds the model. The model keeps its last items.
 */
void
esc_workspace_model_detach (EscWorkspaceModel *self)
{
  g_return_if_fail (ESC_IS_WORKSPACE_MODEL (self));

  self->load = NULL;
  self->user_data = NULL;
}
