/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-staff-format.h"
#include "esc-staff-page-private.h"
#include "esc-ui-private.h"

/* Cells ---------------------------------------------------------------------------- */

/* The cells' text is in inscriptions, not labels: an inscription is sized by
 * its column and its font, not by its text, so a search that rewrites the rows
 * on screen only has them drawn again. With labels, the frame after such a
 * keystroke measured and laid out every new text (the name column's width is
 * the widest of its cells): some 15 million instructions for a screenful of
 * rows, twice the search itself over 10 000 people (bench/staff-list). */
static GtkWidget *
new_cell_text (void)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  return text;
}

/* What a cell shows, said to assistive technologies too (a label says its
 * text by itself, an inscription does not) */
static void
set_cell_text (GtkWidget  *widget,
               const char *text)
{
  GtkInscription *inscription = GTK_INSCRIPTION (widget);

  if (g_strcmp0 (gtk_inscription_get_text (inscription), text) == 0)
    return;

  gtk_inscription_set_text (inscription, text);
  if (text != NULL && *text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *text = new_cell_text ();

  /* One line, so that every row has the same height */
  gtk_widget_set_margin_top (text, 8);
  gtk_widget_set_margin_bottom (text, 8);
  gtk_list_item_set_child (list_item, text);
}

static void
setup_name_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = new_cell_text ();
  GtkWidget *email = new_cell_text ();

  /* The name over the email, each on one line (an inscription's line is the
   * font's full height, a little more than a label's: the margins make up
   * for it, and the rows are as high as they were with labels) */
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_widget_add_css_class (name, "heading");
  gtk_widget_add_css_class (email, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), email);
  gtk_list_item_set_child (list_item, box);
}

static void
render_name (EscStaffPage  *self,
             GtkListItem   *list_item,
             EscStaffEntry *entry)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *email = gtk_widget_get_next_sibling (name);
  g_autofree char *disabled = NULL;

  if (entry != NULL && esc_staff_entry_get_disabled (entry))
    /* Translators: a person whose access was removed */
    disabled = g_strdup_printf (_("%s (access removed)"), esc_staff_entry_get_name (entry));
  set_cell_text (name, disabled != NULL ? disabled : entry != NULL ? esc_staff_entry_get_name (entry) : NULL);
  set_cell_text (email, entry != NULL ? esc_staff_entry_get_email (entry) : NULL);

  /* The row is named by its person */
  if (entry != NULL)
    {
      g_autofree char *label = esc_staff_entry_get_email (entry) != NULL
        ? g_strdup_printf ("%s, %s", gtk_inscription_get_text (GTK_INSCRIPTION (name)),
                           esc_staff_entry_get_email (entry))
        : g_strdup (gtk_inscription_get_text (GTK_INSCRIPTION (name)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      esc_ui_name_list_item (list_item, 2, label);
    }
}

static void
render_team (EscStaffPage  *self,
             GtkListItem   *list_item,
             EscStaffEntry *entry)
{
  set_cell_text (gtk_list_item_get_child (list_item), entry != NULL ? esc_staff_entry_get_team (entry) : NULL);
}

static void
render_roles (EscStaffPage  *self,
              GtkListItem   *list_item,
              EscStaffEntry *entry)
{
  g_autofree char *roles = entry != NULL ? esc_staff_format_roles (esc_staff_entry_get_roles (entry)) : NULL;

  set_cell_text (gtk_list_item_get_child (list_item), roles);
}

static void
render_designations (EscStaffPage  *self,
                     GtkListItem   *list_item,
                     EscStaffEntry *entry)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  EscOutboxItem *pending = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  if (entry != NULL)
    {
      id = esc_staff_entry_get_id (entry);
      pending = g_hash_table_lookup (self->pending, &id);
    }
  if (pending != NULL)
    {
      text = esc_staff_format_pending (pending);
      gtk_widget_add_css_class (label, "esc-pending");
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      text = entry != NULL ? esc_staff_format_designations (entry, now) : NULL;
      gtk_widget_remove_css_class (label, "esc-pending");
    }
  set_cell_text (label, text);
}

typedef void (*RenderFunc) (EscStaffPage  *self,
                            GtkListItem   *list_item,
                            EscStaffEntry *entry);

/* GTK 4.8 keeps some 200 rows bound around the visible ones: when a search
 * changes them all, only those on screen (and a few more) are written at
 * once; the others when they come into view. Which rows are on screen is
 * known from the scroll position and the rows' height (all rows have the
 * same), learnt from the view: asking the view each time would cost more
 * than writing the row. */
#define VIEW_MARGIN_ROWS 8
#define ROW_HEIGHT_GUESS 50.0

static void
view_range (EscStaffPage *self,
            guint        *first,
            guint        *last)
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

static gboolean
in_view (GtkListItem *list_item,
         guint        first,
         guint        last)
{
  guint position = gtk_list_item_get_position (list_item);

  return position == GTK_INVALID_LIST_POSITION || (position >= first && position <= last);
}

static void
render_now (EscStaffPage *self,
            GtkListItem  *list_item)
{
  RenderFunc func = g_object_get_data (G_OBJECT (list_item), "esc-render");
  gpointer row = gtk_list_item_get_item (list_item);

  g_hash_table_remove (self->stale, list_item);
  func (self, list_item, row != NULL ? ESC_STAFF_ENTRY (esc_request_rows_get_item (row)) : NULL);
}

static void
render (EscStaffPage *self,
        GtkListItem  *list_item)
{
  guint first, last;

  view_range (self, &first, &last);
  if (in_view (list_item, first, last))
    render_now (self, list_item);
  else
    g_hash_table_add (self->stale, list_item);
}

/* The rows that come into view are written (before the frame shows them) */
static void
render_stale_in_view (EscStaffPage *self)
{
  g_autoptr(GPtrArray) now = NULL;
  GHashTableIter iter;
  gpointer list_item;
  guint first, last;

  if (g_hash_table_size (self->stale) == 0)
    return;

  view_range (self, &first, &last);
  now = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->stale);
  while (g_hash_table_iter_next (&iter, &list_item, NULL))
    if (in_view (list_item, first, last))
      g_ptr_array_add (now, list_item);
  for (guint i = 0; i < now->len; i++)
    render_now (self, g_ptr_array_index (now, i));
}

/* The row model reads at once only the rows near the screen, and the list
 * loses its rows below the screen a step a frame */
static void
update_view_range (EscStaffPage *self)
{
  guint first, last;

  view_range (self, &first, &last);
  esc_request_rows_set_eager_range (self->rows, first, last);

  if (self->vadjustment != NULL && self->row_height > 0 && gtk_adjustment_get_page_size (self->vadjustment) > 0)
    {
      double end = (gtk_adjustment_get_value (self->vadjustment) +
                    gtk_adjustment_get_page_size (self->vadjustment)) / self->row_height;

      esc_request_rows_set_view_end (self->rows, end < (double)G_MAXUINT ? (guint)end + 1 : G_MAXUINT);
    }
  else
    esc_request_rows_set_view_end (self->rows, G_MAXUINT);
}

/* The list's length changed: the row height is learnt again */
static void
view_adjustment_changed_cb (EscStaffPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  double upper = gtk_adjustment_get_upper (self->vadjustment);

  /* Every row has the same height: the view's height is theirs (unless the
   * rows do not fill the view, which is then as high as the page) */
  if (n > 0 && upper > gtk_adjustment_get_page_size (self->vadjustment) + 1)
    self->row_height = upper / n;

  update_view_range (self);
  render_stale_in_view (self);
}

/* Rows going below the screen a step a frame are blank until they go: the view
 * scrolled towards them, they all go at once (not during a layout: just after) */
static gboolean
finish_steps_cb (gpointer user_data)
{
  EscStaffPage *self = user_data;

  self->finish_source = 0;
  esc_request_rows_flush (self->rows);

  return G_SOURCE_REMOVE;
}

static void
view_scrolled_cb (EscStaffPage *self)
{
  update_view_range (self);
  render_stale_in_view (self);

  if (self->finish_source == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    self->finish_source = g_idle_add_full (G_PRIORITY_HIGH, finish_steps_cb, self, NULL);
}

/* A search changed what the row shows: the widgets stay, the text changes */
static void
row_item_changed_cb (GObject     *row,
                     GParamSpec  *pspec,
                     GtkListItem *list_item)
{
  render (g_object_get_data (G_OBJECT (list_item), "esc-page"), list_item);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  EscStaffPage *self = user_data;

  g_object_set_data (G_OBJECT (list_item), "esc-page", self);
  g_object_set_data (G_OBJECT (list_item), "esc-render", g_object_get_data (G_OBJECT (factory), "esc-render"));
  g_signal_connect (gtk_list_item_get_item (list_item), "notify::item", G_CALLBACK (row_item_changed_cb),
                    list_item);
  g_hash_table_add (self->bound, list_item);
  render (self, list_item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  EscStaffPage *self = user_data;

  g_signal_handlers_disconnect_by_data (gtk_list_item_get_item (list_item), list_item);
  /* After the page's dispose, nothing is tracked any more */
  if (self->bound != NULL)
    g_hash_table_remove (self->bound, list_item);
  if (self->stale != NULL)
    g_hash_table_remove (self->stale, list_item);
}

static void
set_factory (GtkColumnViewColumn *column,
             GCallback            setup,
             RenderFunc           func,
             gpointer             user_data)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "esc-render", func);
  g_signal_connect (factory, "setup", setup, user_data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), user_data);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), user_data);
  gtk_column_view_column_set_factory (column, factory);
}

/* Growing the list a step a frame ------------------------------------------------------ */

/* GTK 4.8 makes the widgets of some 200 rows at once when a short list becomes
 * long (the screen's first frame, a search cleared): the rows come a
 * screenful per frame instead, as on the Requests screen */
#define VIEW_BOUND_ROWS 240
/* Rows a step adds or takes away: five screenfuls and a few. A step makes
 * row widgets (about as costly, a screenful, as the search over 10 000
 * people) and the frame then paints; with a screenful a step, a search
 * cleared from a short list took some fifteen frames to grow back, so the
 * next letter typed met a frame still in flight and waited for the next
 * refresh (bench/staff-list: 16–17 ms to layout for 0.2 ms of work). Five
 * take three frames, done before the next letter. */
#define GROWTH_SCREENS  5
#define GROWTH_MARGIN   4
#define GROWTH_STEP_MIN 12

static void update_growth (EscStaffPage *self);


static gboolean
grow_cb (gpointer user_data)
{
  EscStaffPage *self = user_data;

  self->grow_source = 0;
  esc_request_rows_step (self->rows);

  return G_SOURCE_REMOVE;
}

static void
grow_after_paint_cb (GdkFrameClock *clock,
                     EscStaffPage  *self)
{
  g_signal_handlers_disconnect_by_func (clock, grow_after_paint_cb, self);
  g_clear_weak_pointer (&self->grow_clock);
  if (self->grow_source == 0)
    self->grow_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, grow_cb, self, NULL);
}

static void
update_growth (EscStaffPage *self)
{
  double row_height = self->row_height > 0 ? self->row_height : ROW_HEIGHT_GUESS;
  double page = self->vadjustment != NULL ? gtk_adjustment_get_page_size (self->vadjustment) : 0;
  GdkFrameClock *clock;

  esc_request_rows_set_growth (self->rows,
                               MAX (GROWTH_STEP_MIN, page > 0 ? GROWTH_SCREENS * (guint)(page / row_height) + GROWTH_MARGIN : 0),
                               VIEW_BOUND_ROWS);

  if (!esc_request_rows_is_stepping (self->rows) || self->grow_clock != NULL || self->grow_source != 0)
    return;

  clock = gtk_widget_get_mapped (GTK_WIDGET (self)) ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;
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
esc_staff_page_setup_columns (EscStaffPage *self)
{
  set_factory (self->name_column, G_CALLBACK (setup_name_cb), render_name, self);
  set_factory (self->team_column, G_CALLBACK (setup_label_cb), render_team, self);
  set_factory (self->roles_column, G_CALLBACK (setup_label_cb), render_roles, self);
  set_factory (self->designations_column, G_CALLBACK (setup_label_cb), render_designations, self);
}

void
esc_staff_page_render_designations (EscStaffPage *self)
{
  GHashTableIter iter;
  gpointer list_item;

  if (self->bound == NULL)
    return;
  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &list_item, NULL))
    if (g_object_get_data (list_item, "esc-render") == render_designations)
      render (self, list_item);
}

void
esc_staff_page_start_growth (EscStaffPage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  self->stale = g_hash_table_new (NULL, NULL);
  if (adjustment != NULL)
    {
      self->vadjustment = g_object_ref (adjustment);
      g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (view_scrolled_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (adjustment, "changed", G_CALLBACK (view_adjustment_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  esc_request_rows_set_growth (self->rows, GROWTH_STEP_MIN, VIEW_BOUND_ROWS);
  update_view_range (self);
  g_signal_connect_object (self->rows, "changed", G_CALLBACK (update_growth), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "map", G_CALLBACK (update_growth), self, G_CONNECT_SWAPPED);
}

void
esc_staff_page_stop_growth (EscStaffPage *self)
{
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_handle_id (&self->finish_source, g_source_remove);
  if (self->grow_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->grow_clock, grow_after_paint_cb, self);
  g_clear_weak_pointer (&self->grow_clock);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_object (&self->vadjustment);
}

void
esc_staff_page_forget_rows (EscStaffPage *self)
{
  g_clear_pointer (&self->stale, g_hash_table_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
}
