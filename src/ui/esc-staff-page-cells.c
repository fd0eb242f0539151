/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-staff-format.h"
#include "esc-staff-page-private.h"
#include "esc-ui-private.h"

/* Cells ---------------------------------------------------------------------------- */

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* One line, so that every row has the same height and the list never measures text */
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_list_item_set_child (list_item, label);
}

static void
setup_name_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *email = gtk_label_new (NULL);

  /* The name over the email, each on one line */
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (email), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_xalign (GTK_LABEL (email), 0);
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
  gtk_label_set_label (GTK_LABEL (name), disabled != NULL ? disabled
                                         : entry != NULL ? esc_staff_entry_get_name (entry) : NULL);
  gtk_label_set_label (GTK_LABEL (email), entry != NULL ? esc_staff_entry_get_email (entry) : NULL);

  /* The row is named by its person */
  if (entry != NULL)
    {
      g_autofree char *label = esc_staff_entry_get_email (entry) != NULL
        ? g_strdup_printf ("%s, %s", gtk_label_get_label (GTK_LABEL (name)), esc_staff_entry_get_email (entry))
        : g_strdup (gtk_label_get_label (GTK_LABEL (name)));

      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      esc_ui_name_list_item (list_item, 2, label);
    }
}

static void
render_team (EscStaffPage  *self,
             GtkListItem   *list_item,
             EscStaffEntry *entry)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       entry != NULL ? esc_staff_entry_get_team (entry) : NULL);
}

static void
render_roles (EscStaffPage  *self,
              GtkListItem   *list_item,
              EscStaffEntry *entry)
{
  g_autofree char *roles = entry != NULL ? esc_staff_format_roles (esc_staff_entry_get_roles (entry)) : NULL;

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), roles);
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
  gtk_label_set_label (GTK_LABEL (label), text);
}

typedef void (*RenderFunc) (EscStaffPage  *self,
                            GtkListItem   *list_item,
                            EscStaffEntry *entry);

/* GTK 4.8 keeps some 200 rows bound around the visible ones: when a search
 * changes them all, only those on screen (and a few more) are written at
 * once; the others when they come into view. */
#define VIEW_MARGIN_ROWS 8

static gboolean
in_view (EscStaffPage *self,
         GtkListItem  *list_item)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint position = gtk_list_item_get_position (list_item);
  double upper, row_height, first, last;

  if (adjustment == NULL || n == 0 || position == GTK_INVALID_LIST_POSITION)
    return TRUE;
  upper = gtk_adjustment_get_upper (adjustment);
  if (upper <= 0 || gtk_adjustment_get_page_size (adjustment) <= 0)
    return TRUE;

  row_height = upper / n;
  first = gtk_adjustment_get_value (adjustment) / row_height - VIEW_MARGIN_ROWS;
  last = (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)) / row_height
         + VIEW_MARGIN_ROWS;

  return position >= first && position <= last;
}

static void
render_now (EscStaffPage *self,
            GtkListItem  *list_item)
{
  RenderFunc func = g_object_get_data (G_OBJECT (list_item), "esc-render");
  gpointer row = gtk_list_item_get_item (list_item);

  g_object_set_data (G_OBJECT (list_item), "esc-stale", NULL);
  func (self, list_item, row != NULL ? ESC_STAFF_ENTRY (esc_request_rows_get_item (row)) : NULL);
}

static void
render (EscStaffPage *self,
        GtkListItem  *list_item)
{
  if (in_view (self, list_item))
    render_now (self, list_item);
  else
    g_object_set_data (G_OBJECT (list_item), "esc-stale", GINT_TO_POINTER (TRUE));
}

/* Scrolled, or the list's length changed: the rows that come into view are written */
static void
view_moved_cb (EscStaffPage *self)
{
  GHashTableIter iter;
  gpointer list_item;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &list_item, NULL))
    if (g_object_get_data (list_item, "esc-stale") != NULL && in_view (self, list_item))
      render_now (self, list_item);
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
  g_hash_table_remove (self->bound, list_item);
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
#define GROWTH_STEP     40

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
  GdkFrameClock *clock;

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

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &list_item, NULL))
    if (g_object_get_data (list_item, "esc-render") == render_designations)
      render (self, list_item);
}

void
esc_staff_page_start_growth (EscStaffPage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  if (adjustment != NULL)
    {
      g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (view_moved_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (adjustment, "changed", G_CALLBACK (view_moved_cb), self, G_CONNECT_SWAPPED);
    }
  esc_request_rows_set_growth (self->rows, GROWTH_STEP, VIEW_BOUND_ROWS);
  g_signal_connect_object (self->rows, "changed", G_CALLBACK (update_growth), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "map", G_CALLBACK (update_growth), self, G_CONNECT_SWAPPED);
}

void
esc_staff_page_stop_growth (EscStaffPage *self)
{
  g_clear_handle_id (&self->grow_source, g_source_remove);
  if (self->grow_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->grow_clock, grow_after_paint_cb, self);
  g_clear_weak_pointer (&self->grow_clock);
}
