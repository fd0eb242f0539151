/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include "esc-staff-matches.h"

struct _EscStaffMatches
{
  GObject            parent_instance;

  EscStaffDirectory *directory;  /* (nullable) */
  EscStaffMatchFunc  func;
  gpointer           user_data;
  GArray            *positions;  /* guint: the directory's positions shown, ascending */
};

static void esc_staff_matches_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscStaffMatches, esc_staff_matches, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, esc_staff_matches_list_model_init))

/* The model ---------------------------------------------------------------------- */

static GType
matches_get_item_type (GListModel *model)
{
  return ESC_TYPE_STAFF_ENTRY;
}

static guint
matches_get_n_items (GListModel *model)
{
  return ESC_STAFF_MATCHES (model)->positions->len;
}

static gpointer
matches_get_item (GListModel *model,
                  guint       position)
{
  EscStaffMatches *self = ESC_STAFF_MATCHES (model);

  if (position >= self->positions->len || self->directory == NULL)
    return NULL;

  return g_list_model_get_item (G_LIST_MODEL (self->directory), g_array_index (self->positions, guint, position));
}

static void
esc_staff_matches_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = matches_get_item_type;
  iface->get_n_items = matches_get_n_items;
  iface->get_item = matches_get_item;
}

/* Filtering ------------------------------------------------------------------------ */

static EscStaffEntry * const *
peek_entries (EscStaffMatches *self,
              guint           *n_entries)
{
  if (self->directory == NULL)
    {
      *n_entries = 0;
      return NULL;
    }

  return esc_staff_directory_peek_entries (self->directory, n_entries);
}

/* @old replaced by self->positions: one ::items-changed, for the range from
 * the first position that differs to the last (as GtkFilterListModel does) */
static void
replace_positions (EscStaffMatches *self,
                   GArray          *positions)
{
  g_autoptr(GArray) old = g_steal_pointer (&self->positions);
  guint common = MIN (old->len, positions->len);
  guint prefix = 0;
  guint suffix = 0;

  self->positions = positions;

  while (prefix < common && g_array_index (old, guint, prefix) == g_array_index (positions, guint, prefix))
    prefix++;
  while (suffix < common - prefix &&
         g_array_index (old, guint, old->len - 1 - suffix) == g_array_index (positions, guint, positions->len - 1 - suffix))
    suffix++;
  if (prefix == old->len && prefix == positions->len)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, old->len - prefix - suffix,
                              positions->len - prefix - suffix);
}

/**
 * esc_staff_matches_refilter:
 * @self: a #EscStaffMatches
 * @change: how what the match function keeps changed
 *
 * Asks the match function again, about those @change says may differ.
 */
void
esc_staff_matches_refilter (EscStaffMatches *self,
                            GtkFilterChange  change)
{
  guint n_entries;
  EscStaffEntry * const *entries;
  const GArray *old;
  GArray *positions;
  guint *kept;
  guint n_kept = 0;

  g_return_if_fail (ESC_IS_STAFF_MATCHES (self));

  entries = peek_entries (self, &n_entries);
  old = self->positions;
  /* Room for every one who may stay, written in place (g_array_append_val()
   * is a call per person) and cut to those who did */
  positions = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                                 change == GTK_FILTER_CHANGE_MORE_STRICT ? old->len : n_entries);
  g_array_set_size (positions, change == GTK_FILTER_CHANGE_MORE_STRICT ? old->len : n_entries);
  kept = (guint *)(gpointer)positions->data;

  switch (change)
    {
    case GTK_FILTER_CHANGE_MORE_STRICT:
      /* Only some of those shown stay */
      for (guint i = 0; i < old->len; i++)
        {
          guint position = g_array_index (old, guint, i);

          if (self->func (entries[position], self->user_data))
            kept[n_kept++] = position;
        }
      break;

    case GTK_FILTER_CHANGE_LESS_STRICT:
      /* Those shown stay: only the others are asked about */
      for (guint position = 0, next = 0; position < n_entries; position++)
        {
          if (next < old->len && g_array_index (old, guint, next) == position)
            {
              kept[n_kept++] = position;
              next++;
            }
          else if (self->func (entries[position], self->user_data))
            kept[n_kept++] = position;
        }
      break;

    case GTK_FILTER_CHANGE_DIFFERENT:
    default:
      for (guint position = 0; position < n_entries; position++)
        if (self->func (entries[position], self->user_data))
          kept[n_kept++] = position;
      break;
    }
  g_array_set_size (positions, n_kept);

  replace_positions (self, positions);
}

/* The directory changed from @position: those before stay, those removed go,
 * those added are asked about, those after move along */
static void
directory_items_changed_cb (EscStaffMatches *self,
                            guint            position,
                            guint            removed,
                            guint            added)
{
  guint n_entries;
  EscStaffEntry * const *entries = peek_entries (self, &n_entries);
  GArray *old = self->positions;
  GArray *positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), old->len + added);
  guint first, n_removed, n_added, i = 0;

  for (; i < old->len && g_array_index (old, guint, i) < position; i++)
    g_array_append_val (positions, g_array_index (old, guint, i));
  first = positions->len;

  for (n_removed = 0; i < old->len && g_array_index (old, guint, i) < position + removed; i++)
    n_removed++;

  for (guint p = position; p < position + added && p < n_entries; p++)
    if (self->func (entries[p], self->user_data))
      g_array_append_val (positions, p);
  n_added = positions->len - first;

  for (; i < old->len; i++)
    {
      guint moved = g_array_index (old, guint, i) - removed + added;

      g_array_append_val (positions, moved);
    }

  self->positions = positions;
  if (n_removed > 0 || n_added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), first, n_removed, n_added);
  g_array_unref (old);
}

/* GObject ------------------------------------------------------------------------------ */

static void
esc_staff_matches_dispose (GObject *object)
{
  EscStaffMatches *self = (EscStaffMatches *)object;

  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_data (self->directory, self);
  g_clear_object (&self->directory);

  G_OBJECT_CLASS (esc_staff_matches_parent_class)->dispose (object);
}

static void
esc_staff_matches_finalize (GObject *object)
{
  EscStaffMatches *self = (EscStaffMatches *)object;

  g_clear_pointer (&self->positions, g_array_unref);

  G_OBJECT_CLASS (esc_staff_matches_parent_class)->finalize (object);
}

static void
esc_staff_matches_class_init (EscStaffMatchesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_staff_matches_dispose;
  object_class->finalize = esc_staff_matches_finalize;
}

static void
esc_staff_matches_init (EscStaffMatches *self)
{
  self->positions = g_array_new (FALSE, FALSE, sizeof (guint));
}

/**
 * esc_staff_matches_new:
 * @func: whether a person is shown
 * @user_data: for @func
 *
 * Returns: (transfer full): an empty model, until a directory is set
 */
EscStaffMatches *
esc_staff_matches_new (EscStaffMatchFunc func,
                       gpointer          user_data)
{
  EscStaffMatches *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (ESC_TYPE_STAFF_MATCHES, NULL);
  self->func = func;
  self->user_data = user_data;

  return self;
}

void
esc_staff_matches_set_directory (EscStaffMatches   *self,
                                 EscStaffDirectory *directory)
{
  g_return_if_fail (ESC_IS_STAFF_MATCHES (self));
  g_return_if_fail (directory == NULL || ESC_IS_STAFF_DIRECTORY (directory));

  if (self->directory == directory)
    return;

  if (self->directory != NULL)
    g_signal_handlers_disconnect_by_data (self->directory, self);
  g_set_object (&self->directory, directory);
  if (directory != NULL)
    g_signal_connect_swapped (directory, "items-changed", G_CALLBACK (directory_items_changed_cb), self);

  esc_staff_matches_refilter (self, GTK_FILTER_CHANGE_DIFFERENT);
}
