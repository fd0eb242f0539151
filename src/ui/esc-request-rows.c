/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include "esc-request-rows.h"

/* One position of the list: what it shows changes, the object stays. */
#define ESC_TYPE_REQUEST_ROW (esc_request_row_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestRow, esc_request_row, ESC, REQUEST_ROW, GObject)

struct _EscRequestRow
{
  GObject         parent_instance;

  EscRequestRows *rows;      /* weak: the model forgets the row when it goes */
  guint           position;
  GObject        *item;
  gboolean        dirty;     /* @item may be out of date: read again when asked for */
};

G_DEFINE_FINAL_TYPE (EscRequestRow, esc_request_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_ITEM,
  N_ROW_PROPS
};

static GParamSpec *row_properties[N_ROW_PROPS];

struct _EscRequestRows
{
  GObject     parent_instance;

  GListModel *source;
  GHashTable *alive;       /* position → EscRequestRow (not owned) */
  guint       n_items;     /* as last told, which the source may be ahead of */
  guint       dirty_from;  /* the first position the source changed since, or G_MAXUINT */
  guint       flush_source;
  guint       step;        /* see esc_request_rows_set_growth() */
  guint       bound;
  guint       eager_first; /* see esc_request_rows_set_eager_range() */
  guint       eager_last;
  guint       view_end;    /* the last position on screen, or G_MAXUINT */
  gboolean    in_step;     /* flush_cb() runs for esc_request_rows_step() */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void esc_request_rows_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EscRequestRows, esc_request_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, esc_request_rows_list_model_init))

static void
esc_request_row_dispose (GObject *object)
{
  EscRequestRow *self = (EscRequestRow *)object;

  /* Nobody shows this position any more: the model forgets it */
  if (self->rows != NULL)
    {
      g_hash_table_remove (self->rows->alive, GUINT_TO_POINTER (self->position));
      g_clear_weak_pointer (&self->rows);
    }
  g_clear_object (&self->item);

  G_OBJECT_CLASS (esc_request_row_parent_class)->dispose (object);
}

static void
esc_request_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EscRequestRow *self = ESC_REQUEST_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_request_row_class_init (EscRequestRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_request_row_dispose;
  object_class->get_property = esc_request_row_get_property;

  row_properties[ROW_PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_ROW_PROPS, row_properties);
}

static void
esc_request_row_init (EscRequestRow *self)
{
}

/* The model ------------------------------------------------------------------------ */

static GType
rows_get_item_type (GListModel *model)
{
  return ESC_TYPE_REQUEST_ROW;
}

static guint
rows_get_n_items (GListModel *model)
{
  return ESC_REQUEST_ROWS (model)->n_items;
}

static gpointer
rows_get_item (GListModel *model,
               guint       position)
{
  EscRequestRows *self = ESC_REQUEST_ROWS (model);
  EscRequestRow *row;

  if (position >= self->n_items)
    return NULL;

  row = g_hash_table_lookup (self->alive, GUINT_TO_POINTER (position));
  if (row != NULL)
    return g_object_ref (row);

  row = g_object_new (ESC_TYPE_REQUEST_ROW, NULL);
  row->position = position;
  if (position >= self->eager_first && position <= self->eager_last)
    /* NULL while the source is ahead and has fewer rows: the flush follows */
    row->item = g_list_model_get_item (self->source, position);
  else
    row->dirty = TRUE;
  g_set_weak_pointer (&row->rows, self);
  g_hash_table_insert (self->alive, GUINT_TO_POINTER (position), row);

  return row;
}

static void
esc_request_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rows_get_item_type;
  iface->get_n_items = rows_get_n_items;
  iface->get_item = rows_get_item;
}

static gboolean
flush_cb (gpointer user_data)
{
  EscRequestRows *self = user_data;
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_object_unref);
  guint position = self->dirty_from;
  guint old_n = self->n_items;
  guint source_n = g_list_model_get_n_items (self->source);
  guint new_n = source_n;
  GHashTableIter iter;
  gpointer value;

  /* A short list becoming long grows a step at a time; a long list becoming
   * short loses its rows below the screen a step at a time (blank until then).
   * When the source changed (a keystroke in a search) and the screen is full
   * already, that frame takes no step: it has the rows' new contents to lay
   * out, and making or destroying a step of row widgets costs as much again.
   * The steps start with the next frame. */
  if (self->step > 0 && old_n < self->bound && new_n > old_n + self->step)
    new_n = !self->in_step && old_n >= self->view_end ? old_n : old_n + self->step;
  else if (self->step > 0 && new_n + self->step < MIN (old_n, self->bound) && new_n > self->view_end)
    new_n = !self->in_step && old_n <= self->bound ? old_n
          : !self->in_step ? self->bound
          : MIN (old_n, self->bound) - self->step;

  /* The rows alive from @position on show what is there now */
  g_hash_table_iter_init (&iter, self->alive);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      EscRequestRow *row = value;
      g_autoptr(GObject) item = NULL;

      if (row->position >= new_n)
        {
          /* Gone with the end of the list: a new row will show what comes there */
          g_clear_weak_pointer (&row->rows);
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (row->position >= source_n)
        {
          /* Below the screen, going in a next step: blank */
          if (row->item != NULL || row->dirty)
            {
              g_clear_object (&row->item);
              row->dirty = FALSE;
              g_ptr_array_add (changed, g_object_ref (row));
            }
          continue;
        }
      if (row->position < position)
        continue;

      /* Far from the view: read when someone asks */
      if (row->position < self->eager_first || row->position > self->eager_last)
        {
          if (!row->dirty)
            {
              row->dirty = TRUE;
              g_ptr_array_add (changed, g_object_ref (row));
            }
          continue;
        }

      item = g_list_model_get_item (self->source, row->position);
      if (item == row->item && !row->dirty)
        continue;

      row->dirty = FALSE;
      g_set_object (&row->item, item);
      g_ptr_array_add (changed, g_object_ref (row));
    }

  self->n_items = new_n;

  /* Only the end of the list comes or goes */
  if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
  else if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);

  self->flush_source = 0;
  self->dirty_from = G_MAXUINT;

  for (guint i = 0; i < changed->len; i++)
    g_object_notify_by_pspec (g_ptr_array_index (changed, i), row_properties[ROW_PROP_ITEM]);

  g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

/* Pacing what the view sees ------------------------------------------------------
 *
 * The source emits its changes plainly, one ::items-changed per change (the
 * store's EscRequestList: a search, a filter, a sync's moved rows). The view
 * must not see them as they are:
 *
 * GTK 4.8 to 4.14 at least (no newer version checked; drop this when the
 * oldest GTK supported no longer does it): GtkListView and GtkColumnView keep
 * trackers on a few rows (the scroll anchor, the focus). When an
 * ::items-changed removes a tracked row, the view reads *every added item* to
 * look for it among the old ones: a search that turns 100 000 rows into 6 000
 * would read and parse 6 000 requests, and a sync that moves a row would lose
 * the scroll position. So the source's changes are collected and taken
 * together just before the next frame (flush_cb()): the row objects keep their
 * positions and only what they show changes, and the view is told only of
 * rows added at the end (nothing removed) or removed from the end (nothing
 * added), a step at a time (esc_request_rows_set_growth()). No tracked row is
 * ever removed along with rows added, and no item is read for it. */

/* A source may also replace its rows as a removal then an addition: both are
 * taken together, or the rows would go and come back */
static void
source_items_changed_cb (EscRequestRows *self,
                         guint           position,
                         guint           removed,
                         guint           added)
{
  self->dirty_from = MIN (self->dirty_from, position);

  if (self->flush_source == 0)
    self->flush_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, flush_cb, self, NULL);
}

static void
esc_request_rows_dispose (GObject *object)
{
  EscRequestRows *self = (EscRequestRows *)object;
  GHashTableIter iter;
  gpointer value;

  g_clear_handle_id (&self->flush_source, g_source_remove);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);

  /* Rows still held elsewhere outlive the model */
  g_hash_table_iter_init (&iter, self->alive);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_clear_weak_pointer (&((EscRequestRow *)value)->rows);
  g_hash_table_remove_all (self->alive);

  G_OBJECT_CLASS (esc_request_rows_parent_class)->dispose (object);
}

static void
esc_request_rows_finalize (GObject *object)
{
  EscRequestRows *self = (EscRequestRows *)object;

  g_clear_pointer (&self->alive, g_hash_table_unref);

  G_OBJECT_CLASS (esc_request_rows_parent_class)->finalize (object);
}

static void
esc_request_rows_class_init (EscRequestRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_request_rows_dispose;
  object_class->finalize = esc_request_rows_finalize;

  /**
   * EscRequestRows::changed:
   *
   * The rows show what the source holds now (after ::items-changed, if any).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
esc_request_rows_init (EscRequestRows *self)
{
  self->alive = g_hash_table_new (NULL, NULL);
  self->dirty_from = G_MAXUINT;
  self->eager_last = G_MAXUINT;
  self->view_end = G_MAXUINT;
}

/**
 * esc_request_rows_new:
 * @source: the rows to show
 *
 * Returns: (transfer full): a model of row objects over @source
 */
EscRequestRows *
esc_request_rows_new (GListModel *source)
{
  EscRequestRows *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (ESC_TYPE_REQUEST_ROWS, NULL);
  self->source = g_object_ref (source);
  self->n_items = g_list_model_get_n_items (source);
  g_signal_connect_swapped (source, "items-changed", G_CALLBACK (source_items_changed_cb), self);

  return self;
}

GListModel *
esc_request_rows_get_source (EscRequestRows *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_ROWS (self), NULL);
  return self->source;
}

GObject *
esc_request_rows_get_item (gpointer row)
{
  EscRequestRow *self = row;

  g_return_val_if_fail (ESC_IS_REQUEST_ROW (row), NULL);

  if (self->dirty && self->rows != NULL && self->position < self->rows->n_items)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->rows->source, self->position);

      g_set_object (&self->item, item);
      self->dirty = FALSE;
    }

  return self->item;
}

void
esc_request_rows_set_eager_range (EscRequestRows *self,
                                  guint           first,
                                  guint           last)
{
  g_return_if_fail (ESC_IS_REQUEST_ROWS (self));

  self->eager_first = first;
  self->eager_last = last;
}

void
esc_request_rows_set_growth (EscRequestRows *self,
                             guint           step,
                             guint           bound)
{
  g_return_if_fail (ESC_IS_REQUEST_ROWS (self));

  self->step = step;
  self->bound = bound;
}

void
esc_request_rows_set_view_end (EscRequestRows *self,
                               guint           position)
{
  g_return_if_fail (ESC_IS_REQUEST_ROWS (self));

  self->view_end = position;
}

gboolean
esc_request_rows_is_stepping (EscRequestRows *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_ROWS (self), FALSE);

  return self->n_items != g_list_model_get_n_items (self->source);
}

void
esc_request_rows_step (EscRequestRows *self)
{
  g_return_if_fail (ESC_IS_REQUEST_ROWS (self));

  /* A flush to come takes in everything: it steps then */
  if (self->flush_source == 0 && esc_request_rows_is_stepping (self))
    {
      self->in_step = TRUE;
      flush_cb (self);
      self->in_step = FALSE;
    }
}

/**
 * esc_request_rows_flush:
 * @self: a #EscRequestRows
 *
 * Takes in the changes of the source now rather than before the next frame,
 * and every row still to come.
 */
void
esc_request_rows_flush (EscRequestRows *self)
{
  g_return_if_fail (ESC_IS_REQUEST_ROWS (self));

  if (self->flush_source != 0 || esc_request_rows_is_stepping (self))
    {
      guint step = self->step;

      /* Every row, not a step */
      g_clear_handle_id (&self->flush_source, g_source_remove);
      self->step = 0;
      flush_cb (self);
      self->step = step;
    }
}
