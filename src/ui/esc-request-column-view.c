/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-request-cell.h"
#include "esc-request-column-view.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-sla-clock.h"
#include "esc-ui-private.h"

#define N_COLUMNS ESC_REQUEST_N_COLUMNS

G_STATIC_ASSERT ((int)ESC_REQUEST_COLUMN_UPDATED == (int)ESC_REQUEST_SORT_UPDATED);
G_STATIC_ASSERT ((int)ESC_REQUEST_COLUMN_TITLE == (int)ESC_REQUEST_SORT_TITLE);

/* What a column's sorter needs to tell which column it is (see sorter_changed_cb()) */
typedef struct
{
  EscRequestColumnView *view;
  EscRequestColumn      column;
} Probe;

struct _EscRequestColumnView
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkScrolledWindow   *scroller;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];

  /* Borrowed references */
  GtkAdjustment       *vadjustment;   /* the column view's, watched (weak) */
  GdkFrameClock       *grow_clock;    /* waited for to add rows (weak) */

  /* Owned references */
  GListModel          *model;         /* the requests: the pending ones, then the list's */
  EscRequestRows      *rows;          /* what the column view shows: see esc-request-rows.h */
  GtkSingleSelection  *selection;
  GHashTable          *cells;         /* GtkListItem → EscRequestCell (owned) */
  GHashTable          *clock_cells;   /* bound EscRequestCell of the due column → NULL */
  GHashTable          *stale_cells;   /* bound EscRequestCell showing an older item → NULL */

  Probe                probes[N_COLUMNS];
  double               row_height;    /* learnt from the adjustment, or 0 */
  guint                stale_source;
  gint64               stale_marked_at;
  guint                grow_source;
  guint                finish_source;
  EscRequestSort       sort;
  gboolean             descending;
  int                  probed_column; /* see sorter_changed_cb() */
  int                  list_width;    /* the width the columns were fitted to */
  guint                fit_tick;      /* fits them in the next frame (see size_allocate) */
  int                  column_widths[N_COLUMNS]; /* what each column may show needs */
  guint                columns_measured : 1;
};

G_DEFINE_FINAL_TYPE (EscRequestColumnView, esc_request_column_view, GTK_TYPE_WIDGET)

enum {
  ACTIVATE,
  SORT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_growth (EscRequestColumnView *self);

/* Cells out of view -------------------------------------------------------------------
 *
 * GTK < 4.12: GTK 4.8's list views keep about 200 rows bound around the
 * visible ones (4.12 and later keep fewer, and this whole section, with the
 * row height it learns, can go then). Writing then measuring 200 rows of nine
 * labels after each keystroke takes about 30 ms, when only the twenty rows on
 * screen must be right in the next frame. So a cell far from the visible rows
 * is not written when its row changes: it is marked stale and keeps what it
 * showed (a new cell stays empty). Stale cells are written before the frame
 * that would show them (the view scrolled or grew), and all of them soon
 * after, a few at a time when the main loop has nothing else to do. */

/* Rows above and below the visible ones that are always written */
#define VIEW_MARGIN_ROWS 3
/* GTK < 4.12 (the rows on screen are learnt from the row height): the height
 * of a row until the view tells */
#define ROW_HEIGHT_GUESS 36.0
/* Stale cells are written once nothing has changed for this long (each slice
 * written is a frame painted: not while someone types)... */
#define STALE_QUIET_MS 250
/* ...at most this long at a time */
#define STALE_SLICE_US 6000

/* The positions on screen, or near enough */
static void
view_range (EscRequestColumnView *self,
            guint                *first,
            guint                *last)
{
  double row_height = self->row_height > 0 ? self->row_height : ROW_HEIGHT_GUESS;
  double top = 0;
  double page = 0;
  double from, to;

  if (self->vadjustment != NULL)
    {
      top = gtk_adjustment_get_value (self->vadjustment);
      page = gtk_adjustment_get_page_size (self->vadjustment);
    }
  /* Not laid out yet: a tall screen's worth */
  if (page <= 0)
    page = 1600;

  from = top / row_height - VIEW_MARGIN_ROWS - 1;
  to = (top + page) / row_height + VIEW_MARGIN_ROWS;
  *first = from > 0 ? (guint)from : 0;
  *last = to < (double)G_MAXUINT ? (guint)to : G_MAXUINT;
}

/* Whether @cell is on screen, or near enough */
static gboolean
cell_in_view (EscRequestColumnView *self,
              EscRequestCell       *cell)
{
  guint position = gtk_list_item_get_position (esc_request_cell_get_list_item (cell));
  guint first, last;

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  view_range (self, &first, &last);
  return position >= first && position <= last;
}

/* The row model reads the rows in view at once, the others when written */
static void
update_eager_range (EscRequestColumnView *self)
{
  guint first, last;

  view_range (self, &first, &last);
  esc_request_rows_set_eager_range (self->rows, first, last);

  /* The last row on screen, once the view tells */
  if (self->vadjustment != NULL && self->row_height > 0 && gtk_adjustment_get_page_size (self->vadjustment) > 0)
    {
      double end = (gtk_adjustment_get_value (self->vadjustment) +
                    gtk_adjustment_get_page_size (self->vadjustment)) / self->row_height;

      esc_request_rows_set_view_end (self->rows, end < (double)G_MAXUINT ? (guint)end + 1 : G_MAXUINT);
    }
  else
    esc_request_rows_set_view_end (self->rows, G_MAXUINT);
}

static void
render_cell (EscRequestColumnView *self,
             EscRequestCell       *cell)
{
  if (esc_request_cell_render (cell, NULL))
    g_hash_table_add (self->clock_cells, cell);
}

static gboolean render_stale_cb (gpointer user_data);
static gboolean stale_quiet_cb (gpointer user_data);

/* Waits until nothing was marked stale for STALE_QUIET_MS, then writes */
static void
wait_for_quiet (EscRequestColumnView *self)
{
  gint64 quiet_for = (g_get_monotonic_time () - self->stale_marked_at) / 1000;

  g_clear_handle_id (&self->stale_source, g_source_remove);
  if (quiet_for < STALE_QUIET_MS)
    {
      self->stale_source = g_timeout_add ((guint)(STALE_QUIET_MS - quiet_for), stale_quiet_cb, self);
      g_source_set_name_by_id (self->stale_source, "[escalade] stale cells, quiet");
    }
  else
    {
      self->stale_source = g_idle_add_full (G_PRIORITY_LOW, render_stale_cb, self, NULL);
      g_source_set_name_by_id (self->stale_source, "[escalade] stale cells");
    }
}

static gboolean
stale_quiet_cb (gpointer user_data)
{
  EscRequestColumnView *self = user_data;

  self->stale_source = 0;
  wait_for_quiet (self);

  return G_SOURCE_REMOVE;
}

static void
mark_stale (EscRequestColumnView *self,
            EscRequestCell       *cell)
{
  g_hash_table_add (self->stale_cells, cell);
  self->stale_marked_at = g_get_monotonic_time ();

  if (self->stale_source == 0)
    wait_for_quiet (self);
}

/* Writes @cell now, or marks it stale when out of view */
static void
update_cell (EscRequestColumnView *self,
             EscRequestCell       *cell)
{
  if (cell_in_view (self, cell))
    {
      g_hash_table_remove (self->stale_cells, cell);
      render_cell (self, cell);
    }
  else
    mark_stale (self, cell);
}

/* Writes the stale cells that are in view now (before the frame shows them) */
static void
render_stale_in_view (EscRequestColumnView *self)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) due = NULL;

  if (g_hash_table_size (self->stale_cells) == 0)
    return;

  due = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->stale_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (cell_in_view (self, key))
        {
          g_ptr_array_add (due, key);
          g_hash_table_iter_remove (&iter);
        }
    }

  for (guint i = 0; i < due->len; i++)
    render_cell (self, g_ptr_array_index (due, i));
}

/* The rest, a slice at a time when the main loop is idle */
static gboolean
render_stale_cb (gpointer user_data)
{
  EscRequestColumnView *self = user_data;
  gint64 deadline = g_get_monotonic_time () + STALE_SLICE_US;
  GHashTableIter iter;
  gpointer key;

  render_stale_in_view (self);

  /* Marked again meanwhile: someone types */
  if ((g_get_monotonic_time () - self->stale_marked_at) / 1000 < STALE_QUIET_MS)
    {
      self->stale_source = 0;
      wait_for_quiet (self);
      return G_SOURCE_REMOVE;
    }

  g_hash_table_iter_init (&iter, self->stale_cells);
  while (g_get_monotonic_time () < deadline && g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_hash_table_iter_remove (&iter);
      render_cell (self, key);
    }

  if (g_hash_table_size (self->stale_cells) > 0)
    return G_SOURCE_CONTINUE;

  self->stale_source = 0;
  return G_SOURCE_REMOVE;
}

/* GTK < 4.12: the row height, learnt to tell which rows are on screen */
static void
view_adjustment_changed_cb (GtkAdjustment        *adjustment,
                            EscRequestColumnView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  double upper = gtk_adjustment_get_upper (adjustment);

  /* Every row has the same height: the view's height is theirs (unless the
   * rows do not fill the view, which is then as high as the page) */
  if (n > 0 && upper > gtk_adjustment_get_page_size (adjustment) + 1)
    self->row_height = upper / n;

  update_eager_range (self);
  render_stale_in_view (self);
}

/* Rows going below the screen a step a frame are blank until they go: the view
 * scrolled towards them, they all go at once (not during a layout: just after) */
static gboolean
finish_steps_cb (gpointer user_data)
{
  EscRequestColumnView *self = user_data;

  self->finish_source = 0;
  esc_request_rows_flush (self->rows);

  return G_SOURCE_REMOVE;
}

static void
view_scrolled_cb (GtkAdjustment        *adjustment,
                  EscRequestColumnView *self)
{
  update_eager_range (self);
  render_stale_in_view (self);

  if (self->finish_source == 0 && self->model != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > g_list_model_get_n_items (self->model))
    {
      self->finish_source = g_idle_add_full (G_PRIORITY_HIGH, finish_steps_cb, self, NULL);
      g_source_set_name_by_id (self->finish_source, "[escalade] blank rows go");
    }
}

static void
watch_vadjustment (EscRequestColumnView *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  if (adjustment == self->vadjustment)
    return;

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_set_weak_pointer (&self->vadjustment, adjustment);
  if (adjustment != NULL)
    {
      g_signal_connect (adjustment, "changed", G_CALLBACK (view_adjustment_changed_cb), self);
      g_signal_connect (adjustment, "value-changed", G_CALLBACK (view_scrolled_cb), self);
    }
}

/* The cells -------------------------------------------------------------------------- */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               EscRequestColumnView     *self)
{
  EscRequestColumn column = 0;

  while (column < N_COLUMNS - 1 &&
         gtk_column_view_column_get_factory (self->columns[column]) != GTK_LIST_ITEM_FACTORY (factory))
    column++;

  g_hash_table_insert (self->cells, list_item, esc_request_cell_new (GTK_WIDGET (self), list_item, column));
}

static void
teardown_cell_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  EscRequestColumnView     *self)
{
  g_hash_table_remove (self->cells, list_item);
}

/* A search or a filter changed what the row shows: the widgets stay, the text changes */
static void
row_item_changed_cb (GObject        *row,
                     GParamSpec     *pspec,
                     EscRequestCell *cell)
{
  update_cell (ESC_REQUEST_COLUMN_VIEW (esc_request_cell_get_view (cell)), cell);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              EscRequestColumnView     *self)
{
  EscRequestCell *cell = g_hash_table_lookup (self->cells, list_item);

  g_signal_connect (gtk_list_item_get_item (list_item), "notify::item",
                    G_CALLBACK (row_item_changed_cb), cell);

  /* A cell bound again for another row must not show the one before */
  if (!cell_in_view (self, cell))
    esc_request_cell_clear (cell);
  update_cell (self, cell);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                EscRequestColumnView     *self)
{
  EscRequestCell *cell = g_hash_table_lookup (self->cells, list_item);
  gpointer row = gtk_list_item_get_item (list_item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, row_item_changed_cb, cell);
  g_hash_table_remove (self->clock_cells, cell);
  g_hash_table_remove (self->stale_cells, cell);
}

void
esc_request_column_view_tick (EscRequestColumnView *self,
                              GDateTime            *now)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self));

  g_hash_table_iter_init (&iter, self->clock_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      /* A stale cell is written in full later */
      if (!g_hash_table_contains (self->stale_cells, key))
        esc_request_cell_tick (key, now);
    }
}

/* Growing and shrinking a step a frame ---------------------------------------------
 *
 * GTK < 4.12: when a short list becomes long (the screen shown, a search
 * cleared), GTK 4.8 makes the widgets of some 200 rows at once: 80 ms here;
 * when a long list becomes short, it destroys them at once: 30 ms. The row
 * model adds them a step at a time instead (esc-request-rows.h): a screenful
 * first, then a step after each frame painted, until the view has all the rows
 * it makes widgets for; the rest then come at once. Rows that go below the
 * screen go a step a frame the same way. */

/* GTK < 4.12: GTK 4.8 makes widgets for at most this many rows (200 and a few) */
#define VIEW_BOUND_ROWS 240

static gboolean
grow_cb (gpointer user_data)
{
  EscRequestColumnView *self = user_data;

  self->grow_source = 0;
  esc_request_rows_step (self->rows);

  return G_SOURCE_REMOVE;
}

static void
grow_after_paint_cb (GdkFrameClock        *clock,
                     EscRequestColumnView *self)
{
  g_signal_handlers_disconnect_by_func (clock, grow_after_paint_cb, self);
  g_clear_weak_pointer (&self->grow_clock);

  /* Before the next frame, which lays the new rows out */
  if (self->grow_source == 0)
    {
      self->grow_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, grow_cb, self, NULL);
      g_source_set_name_by_id (self->grow_source, "[escalade] grow the list");
    }
}

/* The steps wait for the frames of the list's place on the screen: the stack
 * that shows the view or says the list is empty (the view itself is not
 * mapped while the first rows come) */
static GtkWidget *
paced_by (EscRequestColumnView *self)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_STACK);

  return stack != NULL ? stack : GTK_WIDGET (self);
}

static void
update_growth (EscRequestColumnView *self)
{
  double row_height = self->row_height > 0 ? self->row_height : ROW_HEIGHT_GUESS;
  double page = self->vadjustment != NULL ? gtk_adjustment_get_page_size (self->vadjustment) : 0;
  GtkWidget *pacer = paced_by (self);
  GdkFrameClock *clock;

  /* A step is a screenful and a few rows (a tall screen's worth until known) */
  esc_request_rows_set_growth (self->rows,
                               page > 0 ? (guint)(page / row_height) + 4 : 30,
                               VIEW_BOUND_ROWS);

  if (!esc_request_rows_is_stepping (self->rows) || self->grow_clock != NULL || self->grow_source != 0)
    return;

  clock = gtk_widget_get_mapped (pacer) ? gtk_widget_get_frame_clock (pacer) : NULL;
  if (clock == NULL)
    {
      /* Nothing is drawn: no frame to wait for */
      esc_request_rows_flush (self->rows);
      return;
    }

  g_set_weak_pointer (&self->grow_clock, clock);
  g_signal_connect (clock, "after-paint", G_CALLBACK (grow_after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

void
esc_request_column_view_resume (EscRequestColumnView *self)
{
  g_return_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self));

  update_growth (self);
}

/* Columns -----------------------------------------------------------------------------
 *
 * Each column but the title is as wide as what it may show (its heading, its
 * longest state, "Overdue by 188 days", a date of last year), measured in the
 * list's font, so that French fits as well as English; the title takes the
 * rest. Narrower than all of them, the list drops the least needed columns
 * first rather than cut the title or scroll sideways; a wider window brings
 * them back. The columns are fitted while the view is allocated, so no frame
 * shows them unfitted (nothing jumps when the list first shows). */

/* The title needs this much to be read (some 25 characters), and more of a
 * wide list: the other columns go before it gets less */
#define TITLE_MIN_WIDTH 200
#define TITLE_MIN_SHARE 0.36
/* A cell's padding (style.css), and air */
#define CELL_EXTRA (2 * 6 + 8)
/* A heading's padding and air; the sorted column's has an arrow too */
#define HEADING_EXTRA (2 * 6 + 6)
#define SORT_ARROW (16 + 6)
/* Names are cut at this width rather than widen the column (the tooltip has them) */
#define FILER_WIDTH 120

static int
text_width (GtkWidget  *widget,
            const char *text,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

/* The widest of the texts a column may show */
static int
content_width (EscRequestColumnView *self,
               EscRequestColumn      column)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int width;

  switch (column)
    {
    case ESC_REQUEST_COLUMN_ID:
      g_ptr_array_add (samples, g_strdup ("SR-000000"));
      break;

    case ESC_REQUEST_COLUMN_TYPE:
      for (int t = ESC_SUPPORT_REQUEST_TYPE_INCIDENT; t <= ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST; t++)
        g_ptr_array_add (samples, g_strdup (esc_request_type_get_short_label (t)));
      break;

    case ESC_REQUEST_COLUMN_SEVERITY:
      break;  /* a letter: the heading is wider */

    case ESC_REQUEST_COLUMN_STATE:
      for (int s = ESC_SUPPORT_REQUEST_STATE_NEW; s <= ESC_SUPPORT_REQUEST_STATE_CLOSED; s++)
        g_ptr_array_add (samples, g_strdup (esc_support_request_state_get_label (s)));
      g_ptr_array_add (samples, g_strdup (C_("request state", "Queued")));
      g_ptr_array_add (samples, g_strdup (C_("request state", "Refused")));
      break;

    case ESC_REQUEST_COLUMN_FILER:
      g_ptr_array_add (samples, g_strdup (C_("filer", "You")));
      break;

    case ESC_REQUEST_COLUMN_OWNER:
      g_ptr_array_add (samples, g_strdup (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_CUSTOMER)));
      g_ptr_array_add (samples, g_strdup (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_OPERATIONS)));
      break;

    case ESC_REQUEST_COLUMN_DUE:
      {
        /* Long overdue, and the longest countdown */
        g_autoptr(GDateTime) overdue = g_date_time_add_days (now, -188);
        g_autoptr(GDateTime) created = g_date_time_add_days (now, -190);
        g_autoptr(GDateTime) soon = g_date_time_add_minutes (now, 23 * 60 + 59);
        char *text = NULL;

        esc_sla_clock_compute (now, created, overdue, ESC_SUPPORT_REQUEST_STATE_NEW, NULL, &text);
        g_ptr_array_add (samples, text);
        esc_sla_clock_compute (now, now, soon, ESC_SUPPORT_REQUEST_STATE_NEW, NULL, &text);
        g_ptr_array_add (samples, text);
        g_ptr_array_add (samples, g_strdup (C_("response due", "Answered")));
      }
      break;

    case ESC_REQUEST_COLUMN_UPDATED:
      {
        /* A day of last year, in its longest month */
        g_autoptr(GDateTime) last_year = g_date_time_new_utc (g_date_time_get_year (now) - 1, 9, 28, 12, 0, 0);

        for (int m = 1; m <= 12; m++)
          {
            g_autoptr(GDateTime) day = g_date_time_add_months (last_year, m - 9);

            g_ptr_array_add (samples, esc_request_format_time_short (day, now));
          }
      }
      break;

    case ESC_REQUEST_COLUMN_TITLE:
    case ESC_REQUEST_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  width = text_width (view, gtk_column_view_column_get_title (self->columns[column]), TRUE) + HEADING_EXTRA +
          ((int)self->sort == (int)column ? SORT_ARROW : 0);
  for (guint i = 0; i < samples->len; i++)
    width = MAX (width, text_width (view, g_ptr_array_index (samples, i), FALSE) + CELL_EXTRA);

  if (column == ESC_REQUEST_COLUMN_FILER)
    width = MAX (width, FILER_WIDTH);

  return width;
}

static void
measure_columns (EscRequestColumnView *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (c != ESC_REQUEST_COLUMN_TITLE)
        self->column_widths[c] = content_width (self, c);
    }
  self->columns_measured = TRUE;
}

/* The font changed: measure again */
static void
font_changed_cb (EscRequestColumnView *self)
{
  self->columns_measured = FALSE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The width the columns share: the list's, less a scroll bar that is not an overlay */
static int
columns_space (EscRequestColumnView *self)
{
  GtkWidget *scrollbar = gtk_scrolled_window_get_vscrollbar (self->scroller);
  int width = gtk_widget_get_width (GTK_WIDGET (self->scroller));

  if (!gtk_scrolled_window_get_overlay_scrolling (self->scroller) &&
      scrollbar != NULL && gtk_widget_get_visible (scrollbar))
    width -= gtk_widget_get_width (scrollbar);

  return width;
}

/* Returns whether a column changed */
static gboolean
fit_columns (EscRequestColumnView *self,
             int                   space)
{
  static const EscRequestColumn drop_order[] = {
    ESC_REQUEST_COLUMN_OWNER, ESC_REQUEST_COLUMN_FILER, ESC_REQUEST_COLUMN_TYPE,
    ESC_REQUEST_COLUMN_UPDATED, ESC_REQUEST_COLUMN_SEVERITY, ESC_REQUEST_COLUMN_STATE
  };
  gboolean visible[N_COLUMNS];
  int title_min = MAX (TITLE_MIN_WIDTH, (int)(space * TITLE_MIN_SHARE));
  int needed = title_min;
  int title_width;
  gboolean changed = FALSE;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      visible[c] = TRUE;
      if (c != ESC_REQUEST_COLUMN_TITLE)
        needed += self->column_widths[c];
    }

  for (guint i = 0; i < G_N_ELEMENTS (drop_order) && needed > space; i++)
    {
      visible[drop_order[i]] = FALSE;
      needed -= self->column_widths[drop_order[i]];
    }

  /* GTK < 4.12 (not checked on newer ones): the title takes what is left with
   * a fixed width, as GTK 4.8 does not always widen an expanding column again
   * after others were hidden */
  title_width = MAX (title_min, space - (needed - title_min));

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkColumnViewColumn *column = self->columns[c];
      int width = c == ESC_REQUEST_COLUMN_TITLE ? title_width : self->column_widths[c];

      if (gtk_column_view_column_get_fixed_width (column) != width)
        {
          gtk_column_view_column_set_fixed_width (column, width);
          changed = TRUE;
        }
      if (gtk_column_view_column_get_visible (column) != visible[c])
        {
          gtk_column_view_column_set_visible (column, visible[c]);
          changed = TRUE;
        }
    }

  return changed;
}

/* The narrowest the list may be with the title whole: the columns that are
 * never dropped, and the title's least width. Asked for as the view's
 * minimum width, so that a pane beside the list (the request's detail) folds
 * over it only when the list would otherwise cut the title or scroll sideways. */
static int
columns_min_width (EscRequestColumnView *self)
{
  GtkWidget *scrollbar = gtk_scrolled_window_get_vscrollbar (self->scroller);
  int width;

  if (!self->columns_measured)
    {
      measure_columns (self);
      self->list_width = 0;  /* fitted again at the next allocation */
    }

  width = self->column_widths[ESC_REQUEST_COLUMN_ID] + self->column_widths[ESC_REQUEST_COLUMN_DUE] +
          TITLE_MIN_WIDTH;
  if (!gtk_scrolled_window_get_overlay_scrolling (self->scroller) && scrollbar != NULL)
    {
      int scrollbar_width = 0;

      gtk_widget_measure (scrollbar, GTK_ORIENTATION_HORIZONTAL, -1, &scrollbar_width, NULL, NULL, NULL);
      width += scrollbar_width;
    }

  return width;
}

static void
esc_request_column_view_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  EscRequestColumnView *self = ESC_REQUEST_COLUMN_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->scroller), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int columns_min = columns_min_width (self);

      *minimum = MAX (*minimum, columns_min);
      *natural = MAX (*natural, columns_min);
    }
}

/* In the update phase of a frame, before its layout: the columns are fitted
 * to the list's width as the last layout left it */
static gboolean
fit_columns_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  EscRequestColumnView *self = ESC_REQUEST_COLUMN_VIEW (widget);
  int list_width = columns_space (self);

  self->fit_tick = 0;
  if (!self->columns_measured)
    {
      measure_columns (self);
      self->list_width = 0;
    }
  if (list_width > 0 && list_width != self->list_width)
    {
      self->list_width = list_width;
      fit_columns (self, list_width);
    }

  return G_SOURCE_REMOVE;
}

/* The view lays out its scrolled window itself to learn its width at each
 * allocation. A new width is fitted in the next frame, before its layout,
 * not here: a column's width or visibility set during size_allocate queues a
 * resize in the middle of the window's layout, and GTK (4.8 at least) can
 * then leave an ancestor that it reached without allocating (the AdwLeaflet
 * under the toast overlay, while a toast animates) marked as needing an
 * allocation once the layout is over: the next frame fails with "Trying to
 * snapshot AdwLeaflet … without a current allocation". */
static void
esc_request_column_view_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  EscRequestColumnView *self = ESC_REQUEST_COLUMN_VIEW (widget);
  int list_width;

  gtk_widget_allocate (GTK_WIDGET (self->scroller), width, height, baseline, NULL);

  list_width = columns_space (self);
  if (list_width > 0 && (list_width != self->list_width || !self->columns_measured) && self->fit_tick == 0)
    self->fit_tick = gtk_widget_add_tick_callback (widget, fit_columns_cb, NULL, NULL);
}

/* Sorting ---------------------------------------------------------------------------- */

/* GTK < 4.10 (gtk_column_view_sorter_get_primary_sort_column() then): GTK 4.8
 * does not say which column the column view sorts by. Each column's sorter
 * only records that it was asked first and answers "smaller": asking the
 * view's sorter to compare two objects then tells the primary column (the
 * first one asked) and its direction (a descending column inverts the
 * answer). The store sorts; the rows are never compared for real. */
static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  Probe *probe = user_data;

  if (probe->view->probed_column < 0)
    probe->view->probed_column = probe->column;

  return GTK_ORDERING_SMALLER;
}

static void
sorter_changed_cb (GtkSorter            *sorter,
                   GtkSorterChange       change,
                   EscRequestColumnView *self)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  self->probed_column = -1;
  order = gtk_sorter_compare (sorter, a, b);

  if (self->probed_column < 0)
    {
      /* No column chosen: most recently updated first */
      self->sort = ESC_REQUEST_SORT_UPDATED;
      self->descending = TRUE;
    }
  else
    {
      self->sort = (EscRequestSort)self->probed_column;
      self->descending = order == GTK_ORDERING_LARGER;
    }

  /* The sorted column's heading has an arrow: widths again */
  self->columns_measured = FALSE;
  gtk_widget_queue_resize (GTK_WIDGET (self));

  g_signal_emit (self, signals[SORT_CHANGED], 0);
}

EscRequestSort
esc_request_column_view_get_sort (EscRequestColumnView *self,
                                  gboolean             *descending)
{
  g_return_val_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self), ESC_REQUEST_SORT_UPDATED);

  if (descending != NULL)
    *descending = self->descending;
  return self->sort;
}

/* GObject -------------------------------------------------------------------------------- */

static void
view_activate_cb (EscRequestColumnView *self,
                  guint                 position)
{
  g_signal_emit (self, signals[ACTIVATE], 0, position);
}

static void
esc_request_column_view_dispose (GObject *object)
{
  EscRequestColumnView *self = (EscRequestColumnView *)object;

  g_clear_handle_id (&self->stale_source, g_source_remove);
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_handle_id (&self->finish_source, g_source_remove);
  if (self->fit_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick);
  self->fit_tick = 0;
  if (self->grow_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->grow_clock, grow_after_paint_cb, self);
  g_clear_weak_pointer (&self->grow_clock);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_weak_pointer (&self->vadjustment);

  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      gtk_column_view_set_model (self->column_view, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_REQUEST_COLUMN_VIEW);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (esc_request_column_view_parent_class)->dispose (object);
}

static void
esc_request_column_view_finalize (GObject *object)
{
  EscRequestColumnView *self = (EscRequestColumnView *)object;

  g_clear_pointer (&self->clock_cells, g_hash_table_unref);
  g_clear_pointer (&self->stale_cells, g_hash_table_unref);
  g_clear_pointer (&self->cells, g_hash_table_unref);

  G_OBJECT_CLASS (esc_request_column_view_parent_class)->finalize (object);
}

static void
esc_request_column_view_class_init (EscRequestColumnViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_request_column_view_dispose;
  object_class->finalize = esc_request_column_view_finalize;
  widget_class->measure = esc_request_column_view_measure;
  widget_class->size_allocate = esc_request_column_view_size_allocate;

  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SORT_CHANGED] =
    g_signal_new ("sort-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-request-column-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRequestColumnView, scroller);
  gtk_widget_class_bind_template_child (widget_class, EscRequestColumnView, column_view);
#define BIND_COLUMN(id, column) \
  gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, \
                                             G_STRUCT_OFFSET (EscRequestColumnView, columns[column]))
  BIND_COLUMN ("id_column", ESC_REQUEST_COLUMN_ID);
  BIND_COLUMN ("type_column", ESC_REQUEST_COLUMN_TYPE);
  BIND_COLUMN ("severity_column", ESC_REQUEST_COLUMN_SEVERITY);
  BIND_COLUMN ("state_column", ESC_REQUEST_COLUMN_STATE);
  BIND_COLUMN ("title_column", ESC_REQUEST_COLUMN_TITLE);
  BIND_COLUMN ("filer_column", ESC_REQUEST_COLUMN_FILER);
  BIND_COLUMN ("owner_column", ESC_REQUEST_COLUMN_OWNER);
  BIND_COLUMN ("due_column", ESC_REQUEST_COLUMN_DUE);
  BIND_COLUMN ("updated_column", ESC_REQUEST_COLUMN_UPDATED);
#undef BIND_COLUMN
  gtk_widget_class_bind_template_callback (widget_class, view_activate_cb);
}

static void
esc_request_column_view_init (EscRequestColumnView *self)
{
  GtkSorter *view_sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cells = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->clock_cells = g_hash_table_new (NULL, NULL);
  self->stale_cells = g_hash_table_new (NULL, NULL);
  self->sort = ESC_REQUEST_SORT_UPDATED;
  self->descending = TRUE;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkCustomSorter) sorter = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), self);
      g_signal_connect (factory, "teardown", G_CALLBACK (teardown_cell_cb), self);
      gtk_column_view_column_set_factory (self->columns[c], factory);

      self->probes[c].view = self;
      self->probes[c].column = c;
      sorter = gtk_custom_sorter_new (probe_compare_cb, &self->probes[c], NULL);
      gtk_column_view_column_set_sorter (self->columns[c], GTK_SORTER (sorter));
    }

  esc_ui_name_column_headers (self->column_view);

  watch_vadjustment (self);
  g_signal_connect_object (self->column_view, "notify::vadjustment", G_CALLBACK (watch_vadjustment), self,
                           G_CONNECT_SWAPPED);

  view_sorter = gtk_column_view_get_sorter (self->column_view);
  gtk_column_view_sort_by_column (self->column_view, self->columns[ESC_REQUEST_COLUMN_UPDATED],
                                  GTK_SORT_DESCENDING);
  g_signal_connect_object (view_sorter, "changed", G_CALLBACK (sorter_changed_cb), self, 0);

  g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-font-name",
                           G_CALLBACK (font_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-xft-dpi",
                           G_CALLBACK (font_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * esc_request_column_view_set_model:
 * @self: the view
 * @model: the requests to show (EscSupportRequest and EscOutboxItem), once
 *
 * Shows @model through row objects (esc-request-rows.h) in a single selection
 * that selects nothing by itself.
 */
void
esc_request_column_view_set_model (EscRequestColumnView *self,
                                   GListModel           *model)
{
  g_return_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self));
  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (self->model == NULL);

  self->model = g_object_ref (model);
  self->rows = esc_request_rows_new (model);
  esc_request_rows_set_growth (self->rows, 30, VIEW_BOUND_ROWS);
  update_eager_range (self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  /* Before anyone else hears of the change: the next step is planned first */
  g_signal_connect_object (self->rows, "changed", G_CALLBACK (update_growth), self, G_CONNECT_SWAPPED);
}

GtkColumnView *
esc_request_column_view_get_view (EscRequestColumnView *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self), NULL);
  return self->column_view;
}

/* The row of @list (a child of it) that shows @position, if it has one now */
static GtkWidget *
find_row (EscRequestColumnView *self,
          GtkWidget            *list,
          guint                 position)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkWidget *row = gtk_list_item_get_child (key);

      if (gtk_list_item_get_position (key) != position)
        continue;
      while (row != NULL && gtk_widget_get_parent (row) != list)
        row = gtk_widget_get_parent (row);
      if (row != NULL)
        return row;
    }

  return NULL;
}

/**
 * esc_request_column_view_focus_rows:
 * @self: a #EscRequestColumnView
 *
 * Puts the keyboard focus in the rows, on the selected one, where ↑ and ↓
 * move from it to the next. The column view's own grab_focus() gives it to
 * its first child, the column headings, and its rows' to the row focused
 * last. GTK 4.8 has no call for this (gtk_column_view_scroll_to() came in
 * 4.12): the rows are the column view's child that is a #GtkListView, and
 * a row focused becomes the one the keys move from.
 */
void
esc_request_column_view_focus_rows (EscRequestColumnView *self)
{
  guint selected;

  g_return_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self));

  selected = gtk_single_selection_get_selected (self->selection);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row;

      if (!GTK_IS_LIST_VIEW (child))
        continue;
      if (selected != GTK_INVALID_LIST_POSITION && (row = find_row (self, child, selected)) != NULL &&
          gtk_widget_grab_focus (row))
        return;
      if (gtk_widget_grab_focus (child))
        return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

GtkSingleSelection *
esc_request_column_view_get_selection (EscRequestColumnView *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self), NULL);
  return self->selection;
}

EscRequestRows *
esc_request_column_view_get_rows (EscRequestColumnView *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self), NULL);
  return self->rows;
}

gboolean
esc_request_column_view_is_settled (EscRequestColumnView *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_COLUMN_VIEW (self), FALSE);

  return (self->rows == NULL || !esc_request_rows_is_stepping (self->rows)) &&
         g_hash_table_size (self->stale_cells) == 0;
}
