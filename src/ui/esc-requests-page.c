/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-outbox.h"
#include "esc-request-detail.h"
#include "esc-request-form.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-request-rows.h"
#include "esc-requests-page.h"
#include "esc-sla-clock.h"

/* The columns, in the order of EscRequestSort */
typedef enum
{
  COLUMN_ID,
  COLUMN_TYPE,
  COLUMN_SEVERITY,
  COLUMN_STATE,
  COLUMN_TITLE,
  COLUMN_FILER,
  COLUMN_OWNER,
  COLUMN_DUE,
  COLUMN_UPDATED,
  N_COLUMNS
} Column;

G_STATIC_ASSERT ((int)COLUMN_UPDATED == (int)ESC_REQUEST_SORT_UPDATED);

/* The groups of the filter popover */
typedef enum
{
  FILTER_STATE,
  FILTER_SEVERITY,
  FILTER_TYPE,
  FILTER_KIND,
  N_FILTERS
} FilterGroup;

static const char * const filter_group_names[] = { "state", "severity", "type", "kind" };

struct _EscRequestsPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwFlap             *flap;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *mine_button;
  GtkMenuButton       *filter_button;
  GtkBox              *filter_columns;
  GtkStack            *list_stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  GtkLabel            *count_label;
  GtkLabel            *sync_label;
  EscRequestDetail    *detail;

  /* Owned references */
  EscSession          *session;
  EscAccount          *account;       /* the session's, and the rest once its workspace is open */
  EscWorkspace        *workspace;
  EscOutboxSender     *sender;
  EscSync             *sync;
  EscRequestList      *list;
  GListStore          *sections;      /* the pending model, then the list */
  GtkFlattenListModel *rows;          /* the pending requests, then the list's */
  EscRequestRows      *row_objects;   /* what the column view shows: see esc-request-rows.h */
  GtkSingleSelection  *selection;
  GHashTable          *filter_checks; /* "group:value" → GtkCheckButton */
  GHashTable          *clock_cells;   /* bound GtkListItem of the due column → NULL */
  GHashTable          *stale_cells;   /* bound GtkListItem showing an older item → NULL */
  GtkAdjustment       *vadjustment;   /* the column view's, watched (weak) */
  double               row_height;    /* learnt from the adjustment, or 0 */
  guint                stale_source;
  gint64               stale_marked_at;
  GdkFrameClock       *grow_clock;    /* waited for to add rows (weak) */
  guint                grow_source;
  guint                finish_source;
  GCancellable        *cancellable;
  char                *selected_id;   /* the request shown in the detail */
  gint64               selected_pending; /* or the outbox item shown, or 0 */
  gint64               announced;     /* the request just filed, told when sent or queued */
  char                *applied_query; /* the query the list has, as text */
  GtkWindow           *form;          /* the New Request form while open (weak) */

  EscRequestSort       sort;
  gboolean             descending;
  int                  probed_column; /* see sorter_changed_cb() */
  int                  list_width;    /* the width the columns were fitted to */
  int                  column_widths[N_COLUMNS]; /* what each column may show needs */
  guint                clock_source;
  guint                updating_filters : 1;
  guint                columns_measured : 1;
  guint                keyboard_moving : 1;  /* a key is down in the list */
};

G_DEFINE_FINAL_TYPE (EscRequestsPage, esc_requests_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_view (EscRequestsPage *self);
static void apply_query (EscRequestsPage *self);

/* Rows ------------------------------------------------------------------------------ */

/* The request a row shows: a mirrored one, or the body of a pending one */
static EscSupportRequest *
row_request (gpointer item)
{
  EscSupportRequest *request;

  if (ESC_IS_SUPPORT_REQUEST (item))
    return item;

  request = g_object_get_data (G_OBJECT (item), "esc-request");
  if (request == NULL)
    {
      g_autoptr(GError) error = NULL;

      request = esc_request_list_dup_pending_request (item, &error);
      if (request == NULL)
        {
          g_debug ("A queued request cannot be read: %s", error->message);
          request = esc_support_request_new ();
        }
      g_object_set_data_full (G_OBJECT (item), "esc-request", request, g_object_unref);
    }

  return request;
}

static guint
n_pending (EscRequestsPage *self)
{
  return self->list != NULL ? g_list_model_get_n_items (esc_request_list_get_pending (self->list)) : 0;
}

/* Cells ----------------------------------------------------------------------------- */

static const char * const short_type_labels[] = {
  NC_("request type, short", "Incident"), NC_("request type, short", "Information"),
  NC_("request type, short", "Change"),
};

static const char *
short_type_label (EscSupportRequestType type)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "request type, short",
                       short_type_labels[MIN ((guint)type, G_N_ELEMENTS (short_type_labels) - 1)]);
}


static gpointer cell_item (GtkListItem *list_item);

/* The tooltip of a time cell: the date and time in full, made when asked for */
static char *
time_tooltip (GtkWidget *cell)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "esc-column"));
  gpointer item = cell_item (g_object_get_data (G_OBJECT (cell), "esc-list-item"));
  EscOutboxItem *pending = ESC_IS_OUTBOX_ITEM (item) ? item : NULL;
  g_autofree char *when = NULL;

  if (item == NULL)
    return NULL;

  if (column == COLUMN_DUE)
    {
      if (pending != NULL)
        return NULL;
      g_autofree char *due = NULL;
      const char *clock = gtk_inscription_get_text (GTK_INSCRIPTION (cell));

      when = esc_request_format_time_long (esc_support_request_get_response_due_at (item));
      if (when == NULL)
        return NULL;
      /* Translators: the tooltip of the response clock; %s is a date and time */
      due = g_strdup_printf (_("Initial response due %s"), when);
      /* The clock in full too, should a narrow column cut it */
      return clock != NULL && g_strcmp0 (clock, "—") != 0 ? g_strconcat (clock, "\n", due, NULL)
                                                          : g_steal_pointer (&due);
    }

  if (column == COLUMN_UPDATED)
    return esc_request_format_time_long (pending != NULL ? esc_outbox_item_get_created_at (pending)
                                                         : esc_support_request_get_updated_at (item));

  return NULL;
}

/* Tooltips are asked for when shown: setting one while binding a row would ask
 * the display where the pointer is, for every cell of every row bound. */
static gboolean
query_cell_tooltip_cb (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = g_object_get_data (G_OBJECT (widget), "esc-tooltip");
  g_autofree char *made = NULL;

  if (text == NULL)
    text = made = time_tooltip (widget);

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_cell_tooltip (GtkInscription *cell,
                  const char     *text)
{
  g_object_set_data_full (G_OBJECT (cell), "esc-tooltip", g_strdup (text), g_free);
}

/* What a cell shows, said to assistive technologies too */
static void
set_cell_text (GtkInscription *cell,
               const char     *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (cell), text) == 0)
    return;

  gtk_inscription_set_text (cell, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               EscRequestsPage          *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "esc-column"));
  /* An inscription, unlike a label, is sized by its column and not by its text:
   * a new text is drawn, and no row is measured again */
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect (label, "query-tooltip", G_CALLBACK (query_cell_tooltip_cb), NULL);
  gtk_widget_set_margin_top (label, 9);
  gtk_widget_set_margin_bottom (label, 9);

  if (column == COLUMN_SEVERITY)
    {
      /* A badge as wide as its letter (an average character is narrower
       * than a bold capital: two of them, and never an ellipsis) */
      gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 0.5);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 2);
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), 2);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_CLIP);
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_top (label, 0);
      gtk_widget_set_margin_bottom (label, 0);
      gtk_widget_add_css_class (label, "esc-badge");
    }
  else if (column == COLUMN_ID || column == COLUMN_DUE || column == COLUMN_UPDATED)
    gtk_widget_add_css_class (label, "numeric");

  g_object_set_data (G_OBJECT (label), "esc-page", self);
  g_object_set_data (G_OBJECT (label), "esc-list-item", list_item);
  g_object_set_data (G_OBJECT (label), "esc-column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, label);
}

/* What the cell of @list_item shows: the current item of its row object */
static gpointer
cell_item (GtkListItem *list_item)
{
  gpointer row = gtk_list_item_get_item (list_item);

  return row != NULL ? esc_request_rows_get_item (row) : NULL;
}

static void
render_cell (EscRequestsPage *self,
             GtkListItem     *list_item,
             Column           column)
{
  GtkInscription *label = GTK_INSCRIPTION (gtk_list_item_get_child (list_item));
  gpointer item = cell_item (list_item);
  EscSupportRequest *request;
  EscOutboxItem *pending;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;
  const char *tooltip = NULL;

  if (item == NULL)
    {
      set_cell_text (label, "");
      set_cell_tooltip (label, NULL);
      return;
    }

  request = row_request (item);
  pending = ESC_IS_OUTBOX_ITEM (item) ? item : NULL;
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");

  switch (column)
    {
    case COLUMN_ID:
      if (pending != NULL)
        {
          text = g_strdup ("—");
          tooltip = _("Not sent to the service yet: no number");
          gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
        }
      else
        text = g_strdup (esc_support_request_get_id (request));
      break;

    case COLUMN_TYPE:
      {
        EscSupportRequestType type = esc_support_request_get_request_type (request);

        /* Short words for a narrow column; the tooltip has the full name */
        text = g_strdup (short_type_label (type));
        tooltip = esc_support_request_type_get_label (type);
      }
      break;

    case COLUMN_SEVERITY:
      {
        static const char * const classes[] = {
          "esc-severity-a", "esc-severity-b", "esc-severity-c", NULL
        };
        EscSupportSeverity severity = esc_support_request_get_severity (request);

        text = g_strdup (esc_support_severity_to_string (severity));
        tooltip = esc_support_severity_get_label (severity);
        esc_widget_set_css_choice (GTK_WIDGET (label), classes, esc_request_severity_css_class (severity));
        /* The letter is read as the severity's name */
        set_cell_text (label, text);
        gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
        set_cell_tooltip (label, tooltip);
      }
      return;

    case COLUMN_STATE:
      {
        static const char * const classes[] = {
          "esc-state-new", "esc-state-in-progress", "esc-state-waiting-on-customer",
          "esc-state-mitigated", "esc-state-resolved", "esc-state-closed",
          "esc-state-queued", "esc-state-refused", NULL
        };

        if (pending != NULL && esc_outbox_item_get_state (pending) == ESC_OUTBOX_STATE_REFUSED)
          {
            /* Translators: the state of a request the service refused to file */
            text = g_strdup (C_("request state", "Refused"));
            tooltip = esc_outbox_item_get_error_message (pending);
            esc_widget_set_css_choice (GTK_WIDGET (label), classes, "esc-state-refused");
          }
        else if (pending != NULL)
          {
            /* Translators: the state of a request waiting to be sent */
            text = g_strdup (C_("request state", "Queued"));
            tooltip = _("Waiting to be sent to the service");
            esc_widget_set_css_choice (GTK_WIDGET (label), classes, "esc-state-queued");
          }
        else
          {
            EscSupportRequestState state = esc_support_request_get_state (request);

            text = g_strdup (esc_support_request_state_get_label (state));
            esc_widget_set_css_choice (GTK_WIDGET (label), classes, esc_request_state_css_class (state));
          }
      }
      break;

    case COLUMN_TITLE:
      text = g_strdup (esc_support_request_get_title (request));
      tooltip = text;
      break;

    case COLUMN_FILER:
      if (pending != NULL)
        text = g_strdup (C_("filer", "You"));
      else
        text = g_strdup (esc_support_request_get_filer_name (request));
      tooltip = text;
      break;

    case COLUMN_OWNER:
      if (pending != NULL && esc_outbox_item_get_state (pending) == ESC_OUTBOX_STATE_REFUSED)
        text = g_strdup (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_CUSTOMER));
      else if (pending != NULL)
        text = g_strdup ("");
      else
        text = g_strdup (esc_next_action_owner_get_label (esc_support_request_get_next_action_owner (request)));
      break;

    case COLUMN_DUE:
      now = g_date_time_new_now_utc ();
      esc_request_show_clock (GTK_WIDGET (label), request, now);
      g_hash_table_add (self->clock_cells, list_item);
      set_cell_tooltip (label, NULL);  /* time_tooltip() */
      return;

    case COLUMN_UPDATED:
      {
        GDateTime *time = pending != NULL ? esc_outbox_item_get_created_at (pending)
                                          : esc_support_request_get_updated_at (request);

        now = g_date_time_new_now_utc ();
        text = esc_request_format_time_short (time, now);
        set_cell_tooltip (label, NULL);  /* time_tooltip() */
        set_cell_text (label, text);
      }
      return;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  set_cell_text (label, text != NULL ? text : "");
  set_cell_tooltip (label, tooltip);
}

/* Cells out of view -------------------------------------------------------------------
 *
 * GTK 4.8's list views keep about 200 rows bound around the visible ones (4.12
 * and later keep fewer). Writing then measuring 200 rows of nine labels after
 * each keystroke takes about 30 ms, when only the twenty rows on screen must be
 * right in the next frame. So a cell far from the visible rows is not written
 * when its row changes: it is marked stale and keeps what it showed (a new
 * cell stays empty). Stale cells are written before the frame that would show
 * them (the view scrolled or grew), and all of them soon after, a few at a
 * time when the main loop has nothing else to do. */

/* Rows above and below the visible ones that are always written */
#define VIEW_MARGIN_ROWS 3
/* The height of a row until the view tells */
#define ROW_HEIGHT_GUESS 36.0
/* Stale cells are written once nothing has changed for this long (each slice
 * written is a frame painted: not while someone types)... */
#define STALE_QUIET_MS 250
/* ...at most this long at a time */
#define STALE_SLICE_US 6000

static Column
cell_column (GtkListItem *list_item)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (gtk_list_item_get_child (list_item)), "esc-column"));
}

/* The positions on screen, or near enough */
static void
view_range (EscRequestsPage *self,
            guint           *first,
            guint           *last)
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

/* Whether the cell of @list_item is on screen, or near enough */
static gboolean
cell_in_view (EscRequestsPage *self,
              GtkListItem     *list_item)
{
  guint position = gtk_list_item_get_position (list_item);
  guint first, last;

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  view_range (self, &first, &last);
  return position >= first && position <= last;
}

/* The row model reads the rows in view at once, the others when written */
static void
update_eager_range (EscRequestsPage *self)
{
  guint first, last;

  view_range (self, &first, &last);
  esc_request_rows_set_eager_range (self->row_objects, first, last);

  /* The last row on screen, once the view tells */
  if (self->vadjustment != NULL && self->row_height > 0 && gtk_adjustment_get_page_size (self->vadjustment) > 0)
    {
      double end = (gtk_adjustment_get_value (self->vadjustment) +
                    gtk_adjustment_get_page_size (self->vadjustment)) / self->row_height;

      esc_request_rows_set_view_end (self->row_objects, end < (double)G_MAXUINT ? (guint)end + 1 : G_MAXUINT);
    }
  else
    esc_request_rows_set_view_end (self->row_objects, G_MAXUINT);
}

static gboolean render_stale_cb (gpointer user_data);
static gboolean stale_quiet_cb (gpointer user_data);

/* Waits until nothing was marked stale for STALE_QUIET_MS, then writes */
static void
wait_for_quiet (EscRequestsPage *self)
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
  EscRequestsPage *self = user_data;

  self->stale_source = 0;
  wait_for_quiet (self);

  return G_SOURCE_REMOVE;
}

static void
mark_stale (EscRequestsPage *self,
            GtkListItem     *list_item)
{
  g_hash_table_add (self->stale_cells, list_item);
  self->stale_marked_at = g_get_monotonic_time ();

  if (self->stale_source == 0)
    wait_for_quiet (self);
}

/* Writes the cell of @list_item now, or marks it stale when out of view */
static void
update_cell (EscRequestsPage *self,
             GtkListItem     *list_item)
{
  if (cell_in_view (self, list_item))
    {
      g_hash_table_remove (self->stale_cells, list_item);
      render_cell (self, list_item, cell_column (list_item));
    }
  else
    mark_stale (self, list_item);
}

/* Writes the stale cells that are in view now (before the frame shows them) */
static void
render_stale_in_view (EscRequestsPage *self)
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
    render_cell (self, g_ptr_array_index (due, i), cell_column (g_ptr_array_index (due, i)));
}

/* The rest, a slice at a time when the main loop is idle */
static gboolean
render_stale_cb (gpointer user_data)
{
  EscRequestsPage *self = user_data;
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
      render_cell (self, key, cell_column (key));
    }

  if (g_hash_table_size (self->stale_cells) > 0)
    return G_SOURCE_CONTINUE;

  self->stale_source = 0;
  return G_SOURCE_REMOVE;
}

static void
view_adjustment_changed_cb (GtkAdjustment   *adjustment,
                            EscRequestsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->row_objects));
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
  EscRequestsPage *self = user_data;

  self->finish_source = 0;
  esc_request_rows_flush (self->row_objects);

  return G_SOURCE_REMOVE;
}

static void
view_scrolled_cb (GtkAdjustment   *adjustment,
                  EscRequestsPage *self)
{
  update_eager_range (self);
  render_stale_in_view (self);

  if (self->finish_source == 0 &&
      g_list_model_get_n_items (G_LIST_MODEL (self->row_objects)) > g_list_model_get_n_items (G_LIST_MODEL (self->rows)))
    {
      self->finish_source = g_idle_add_full (G_PRIORITY_HIGH, finish_steps_cb, self, NULL);
      g_source_set_name_by_id (self->finish_source, "[escalade] blank rows go");
    }
}

static void
watch_vadjustment (EscRequestsPage *self)
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

/* A search or a filter changed what the row shows: the widgets stay, the text changes */
static void
row_item_changed_cb (GObject     *row,
                     GParamSpec  *pspec,
                     GtkListItem *list_item)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  EscRequestsPage *self = g_object_get_data (G_OBJECT (label), "esc-page");

  update_cell (self, list_item);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              EscRequestsPage          *self)
{
  g_signal_connect (gtk_list_item_get_item (list_item), "notify::item",
                    G_CALLBACK (row_item_changed_cb), list_item);

  /* A cell bound again for another row must not show the one before */
  if (!cell_in_view (self, list_item))
    set_cell_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), "");
  update_cell (self, list_item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                EscRequestsPage          *self)
{
  gpointer row = gtk_list_item_get_item (list_item);

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, row_item_changed_cb, list_item);
  g_hash_table_remove (self->clock_cells, list_item);
  g_hash_table_remove (self->stale_cells, list_item);
}

/* One timer for the visible rows: the clocks move every minute */
static gboolean
clock_tick_cb (gpointer user_data)
{
  EscRequestsPage *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->clock_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkListItem *list_item = key;
      gpointer item = cell_item (list_item);

      /* A stale cell is written in full later */
      if (item != NULL && !g_hash_table_contains (self->stale_cells, list_item))
        esc_request_show_clock (gtk_list_item_get_child (list_item), row_request (item), now);
    }

  esc_request_detail_refresh_clock (self->detail, now);

  return G_SOURCE_CONTINUE;
}

static void update_growth (EscRequestsPage *self);

static void
page_mapped_cb (EscRequestsPage *self)
{
  update_growth (self);
  if (self->clock_source == 0)
    self->clock_source = g_timeout_add_seconds (60, clock_tick_cb, self);
  clock_tick_cb (self);
}

static void
page_unmapped_cb (EscRequestsPage *self)
{
  g_clear_handle_id (&self->clock_source, g_source_remove);
}

/* Columns -----------------------------------------------------------------------------
 *
 * Each column but the title is as wide as what it may show (its heading, its
 * longest state, "Overdue by 188 days", a date of last year), measured in the
 * list's font, so that French fits as well as English; the title takes the
 * rest. Narrower than all of them, the list drops the least needed columns
 * first rather than cut the title or scroll sideways; a wider window brings
 * them back. The columns are fitted while the page is allocated, so no frame
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
content_width (EscRequestsPage *self,
               Column           column)
{
  GtkWidget *view = GTK_WIDGET (self->column_view);
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int width;

  switch (column)
    {
    case COLUMN_ID:
      g_ptr_array_add (samples, g_strdup ("SR-000000"));
      break;

    case COLUMN_TYPE:
      for (guint t = 0; t < G_N_ELEMENTS (short_type_labels); t++)
        g_ptr_array_add (samples, g_strdup (short_type_label (t)));
      break;

    case COLUMN_SEVERITY:
      break;  /* a letter: the heading is wider */

    case COLUMN_STATE:
      for (int s = ESC_SUPPORT_REQUEST_STATE_NEW; s <= ESC_SUPPORT_REQUEST_STATE_CLOSED; s++)
        g_ptr_array_add (samples, g_strdup (esc_support_request_state_get_label (s)));
      g_ptr_array_add (samples, g_strdup (C_("request state", "Queued")));
      g_ptr_array_add (samples, g_strdup (C_("request state", "Refused")));
      break;

    case COLUMN_FILER:
      g_ptr_array_add (samples, g_strdup (C_("filer", "You")));
      break;

    case COLUMN_OWNER:
      g_ptr_array_add (samples, g_strdup (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_CUSTOMER)));
      g_ptr_array_add (samples, g_strdup (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_OPERATIONS)));
      break;

    case COLUMN_DUE:
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

    case COLUMN_UPDATED:
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

    case COLUMN_TITLE:
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  width = text_width (view, gtk_column_view_column_get_title (self->columns[column]), TRUE) + HEADING_EXTRA +
          ((int)self->sort == (int)column ? SORT_ARROW : 0);
  for (guint i = 0; i < samples->len; i++)
    width = MAX (width, text_width (view, g_ptr_array_index (samples, i), FALSE) + CELL_EXTRA);

  if (column == COLUMN_FILER)
    width = MAX (width, FILER_WIDTH);

  return width;
}

static void
measure_columns (EscRequestsPage *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      if (c != COLUMN_TITLE)
        self->column_widths[c] = content_width (self, c);
    }
  self->columns_measured = TRUE;
}

/* The font changed: measure again */
static void
font_changed_cb (EscRequestsPage *self)
{
  self->columns_measured = FALSE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* The width the columns share: the list's, less a scroll bar that is not an overlay */
static int
columns_space (EscRequestsPage *self)
{
  GtkWidget *scroller = gtk_widget_get_parent (GTK_WIDGET (self->column_view));
  GtkWidget *scrollbar;
  int width;

  if (!GTK_IS_SCROLLED_WINDOW (scroller))
    return gtk_widget_get_width (GTK_WIDGET (self->list_stack));

  width = gtk_widget_get_width (scroller);
  scrollbar = gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scroller));
  if (!gtk_scrolled_window_get_overlay_scrolling (GTK_SCROLLED_WINDOW (scroller)) &&
      scrollbar != NULL && gtk_widget_get_visible (scrollbar))
    width -= gtk_widget_get_width (scrollbar);

  return width;
}

/* Returns whether a column changed */
static gboolean
fit_columns (EscRequestsPage *self,
             int              space)
{
  static const Column drop_order[] = {
    COLUMN_OWNER, COLUMN_FILER, COLUMN_TYPE, COLUMN_UPDATED, COLUMN_SEVERITY, COLUMN_STATE
  };
  gboolean visible[N_COLUMNS];
  int title_min = MAX (TITLE_MIN_WIDTH, (int)(space * TITLE_MIN_SHARE));
  int needed = title_min;
  int title_width;
  gboolean changed = FALSE;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      visible[c] = TRUE;
      if (c != COLUMN_TITLE)
        needed += self->column_widths[c];
    }

  for (guint i = 0; i < G_N_ELEMENTS (drop_order) && needed > space; i++)
    {
      visible[drop_order[i]] = FALSE;
      needed -= self->column_widths[drop_order[i]];
    }

  /* The title takes what is left (GTK 4.8 does not always widen an expanding
   * column again after others were hidden) */
  title_width = MAX (title_min, space - (needed - title_min));

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkColumnViewColumn *column = self->columns[c];
      int width = c == COLUMN_TITLE ? title_width : self->column_widths[c];

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

/* The page lays out its one child itself (instead of AdwBin's layout manager)
 * to learn the list's width at each allocation. */
static void
esc_requests_page_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
esc_requests_page_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  int list_width;

  if (child == NULL || !gtk_widget_should_layout (child))
    return;

  gtk_widget_allocate (child, width, height, baseline, NULL);

  if (!self->columns_measured)
    {
      measure_columns (self);
      self->list_width = 0;
    }

  /* Fitted now, and laid out again at once: this frame shows them right */
  list_width = columns_space (self);
  if (list_width > 0 && list_width != self->list_width)
    {
      self->list_width = list_width;
      if (fit_columns (self, list_width))
        gtk_widget_allocate (child, width, height, baseline, NULL);
    }
}

/* Sorting ---------------------------------------------------------------------------- */

/* GTK 4.8 does not say which column the column view sorts by. Each column's
 * sorter only records that it was asked first and answers "smaller": asking
 * the view's sorter to compare two objects then tells the primary column
 * (the first one asked) and its direction (a descending column inverts the
 * answer). The store sorts; the rows are never compared for real. */
static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  EscRequestsPage *self = g_object_get_data (G_OBJECT (user_data), "esc-page");
  int column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (user_data), "esc-column"));

  if (self != NULL && self->probed_column < 0)
    self->probed_column = column;

  return GTK_ORDERING_SMALLER;
}

static void
sorter_changed_cb (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   EscRequestsPage *self)
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

  apply_query (self);
}

/* Filters ------------------------------------------------------------------------------ */

static guint
count_active_filters (EscRequestsPage *self,
                      guint           *masks)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  for (guint g = 0; g < N_FILTERS; g++)
    masks[g] = 0;

  g_hash_table_iter_init (&iter, self->filter_checks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      guint group = GPOINTER_TO_UINT (g_object_get_data (value, "esc-group"));
      guint bit = GPOINTER_TO_UINT (g_object_get_data (value, "esc-bit"));

      if (gtk_check_button_get_active (value))
        {
          masks[group] |= bit;
          n++;
        }
    }

  return n;
}

static gint64
my_id (EscRequestsPage *self)
{
  EscIdentity *identity = self->account != NULL ? esc_account_get_identity (self->account) : NULL;
  gint64 id = 0;

  if (identity != NULL)
    g_object_get (identity, "id", &id, NULL);

  return id;
}

static void
apply_query (EscRequestsPage *self)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  guint masks[N_FILTERS];
  guint n_active;

  n_active = count_active_filters (self, masks);
  {
    g_autofree char *label = n_active > 0 ? g_strdup_printf (_("_Filters (%u)"), n_active)
                                          : g_strdup (_("_Filters"));

    /* A new label is a new widget: only when it changes */
    if (g_strcmp0 (gtk_menu_button_get_label (self->filter_button), label) != 0)
      gtk_menu_button_set_label (self->filter_button, label);
  }

  if (self->list == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  query.states = masks[FILTER_STATE];
  query.severities = masks[FILTER_SEVERITY];
  query.types = masks[FILTER_TYPE];
  query.kinds = masks[FILTER_KIND];
  query.filer_id = gtk_toggle_button_get_active (self->mine_button) ? my_id (self) : 0;
  query.text = *text != '\0' ? text : NULL;
  query.sort = self->sort;
  query.descending = self->descending;

  /* The search entry may report the same text twice: query once */
  key = g_strdup_printf ("%u %u %u %u %" G_GINT64_FORMAT " %d %d %s", query.states, query.severities,
                         query.types, query.kinds, query.filer_id, (int)query.sort, query.descending,
                         query.text != NULL ? query.text : "");
  if (g_strcmp0 (key, self->applied_query) == 0)
    return;

  if (!esc_request_list_set_query (self->list, &query, &error))
    g_warning ("The list of requests cannot be read: %s", error->message);
  else
    {
      g_free (self->applied_query);
      self->applied_query = g_steal_pointer (&key);
    }

  update_view (self);
}

static void
filters_changed_cb (EscRequestsPage *self)
{
  if (!self->updating_filters)
    apply_query (self);
}

static void
search_changed_cb (EscRequestsPage *self)
{
  apply_query (self);
}

static void
stop_search_cb (EscRequestsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
add_filter_group (EscRequestsPage *self,
                  GtkBox          *column,
                  FilterGroup      group,
                  const char      *title)
{
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  guint n;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_widget_set_margin_bottom (heading, 4);
  gtk_box_append (GTK_BOX (box), heading);

  n = group == FILTER_STATE ? 6 : group == FILTER_KIND ? 2 : 3;
  for (guint i = 0; i < n; i++)
    {
      const char *label = NULL;
      const char *value = NULL;
      g_autofree char *key = NULL;
      GtkWidget *check;

      switch (group)
        {
        case FILTER_STATE:
          label = esc_support_request_state_get_label (i);
          value = esc_support_request_state_to_string (i);
          break;
        case FILTER_SEVERITY:
          label = esc_support_severity_get_label (i);
          value = esc_support_severity_to_string (i);
          break;
        case FILTER_TYPE:
          label = esc_support_request_type_get_label (i);
          value = esc_support_request_type_to_string (i);
          break;
        case FILTER_KIND:
          label = esc_support_request_kind_get_label (i);
          value = esc_support_request_kind_to_string (i);
          break;
        case N_FILTERS:
        default:
          g_assert_not_reached ();
        }

      check = gtk_check_button_new_with_label (label);
      g_object_set_data (G_OBJECT (check), "esc-group", GUINT_TO_POINTER (group));
      g_object_set_data (G_OBJECT (check), "esc-bit", GUINT_TO_POINTER (ESC_REQUEST_BIT (i)));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (filters_changed_cb), self);
      gtk_box_append (GTK_BOX (box), check);

      key = g_strdup_printf ("%s:%s", filter_group_names[group], value);
      g_hash_table_insert (self->filter_checks, g_steal_pointer (&key), check);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (column, box);
}

static void
setup_filters (EscRequestsPage *self)
{
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *middle = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  add_filter_group (self, GTK_BOX (left), FILTER_STATE, _("State"));
  add_filter_group (self, GTK_BOX (middle), FILTER_SEVERITY, _("Severity"));
  add_filter_group (self, GTK_BOX (middle), FILTER_KIND, _("Kind"));
  add_filter_group (self, GTK_BOX (right), FILTER_TYPE, _("Type"));

  gtk_box_append (self->filter_columns, left);
  gtk_box_append (self->filter_columns, middle);
  gtk_box_append (self->filter_columns, right);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);
  GHashTableIter iter;
  gpointer value;

  self->updating_filters = TRUE;
  g_hash_table_iter_init (&iter, self->filter_checks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    gtk_check_button_set_active (value, FALSE);
  gtk_toggle_button_set_active (self->mine_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->updating_filters = FALSE;

  apply_query (self);
}

/* The view --------------------------------------------------------------------------- */

static void
update_sync_label (EscRequestsPage *self)
{
  g_autofree char *text = NULL;
  GDateTime *last;

  if (self->sync == NULL || self->account == NULL || !esc_account_can_send (self->account))
    {
      gtk_label_set_label (self->sync_label, _("Not connected"));
      return;
    }

  if (esc_sync_get_syncing (self->sync))
    {
      gtk_label_set_label (self->sync_label, _("Bringing in changes…"));
      return;
    }

  if (esc_sync_get_last_error (self->sync) != NULL)
    {
      gtk_label_set_label (self->sync_label, _("The last update failed"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), esc_sync_get_last_error (self->sync));
      return;
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), NULL);
  last = esc_sync_get_last_synced (self->sync);
  if (last == NULL)
    {
      gtk_label_set_label (self->sync_label, _("Not brought in yet"));
      return;
    }

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (last);
    g_autofree char *time = g_date_time_format (local, _("%H:%M"));

    /* Translators: when the list was last brought up to date with the service */
    text = g_strdup_printf (_("Up to date as of %s"), time);
  }
  gtk_label_set_label (self->sync_label, text);
}

static gboolean
filters_active (EscRequestsPage *self)
{
  guint masks[N_FILTERS];

  return count_active_filters (self, masks) > 0 ||
         gtk_toggle_button_get_active (self->mine_button) ||
         *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static void
update_view (EscRequestsPage *self)
{
  guint n_rows = self->rows != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->rows)) : 0;
  guint n_total = self->list != NULL ? esc_request_list_get_n_total (self->list) : 0;
  guint n_queued = n_pending (self);
  g_autoptr(GString) count = g_string_new (NULL);
  const char *view;

  if (self->list == NULL)
    view = "disconnected";
  else if (n_rows > 0)
    view = "list";
  else if (filters_active (self))
    view = "no-results";
  else if (!esc_account_can_send (self->account))
    view = "disconnected";
  else
    view = "empty";

  gtk_stack_set_visible_child_name (self->list_stack, view);

  /* The count is of the rows: the queued and refused requests on top of
   * the list count, and the part still waiting is said after it */
  if (self->list != NULL)
    {
      guint n_all = n_total + esc_request_list_get_n_pending_total (self->list);
      guint n_listed = n_queued + g_list_model_get_n_items (G_LIST_MODEL (self->list));
      guint n_waiting = 0;
      g_autofree char *total = esc_format_count (n_all);

      for (guint i = 0; i < n_queued; i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (esc_request_list_get_pending (self->list), i);

          if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_QUEUED)
            n_waiting++;
        }

      if (n_listed == n_all)
        /* Translators: %s is a count, with the digits grouped: "100,000 requests" */
        g_string_append_printf (count,
                                g_dngettext (GETTEXT_PACKAGE, "%s request", "%s requests", n_all),
                                total);
      else
        {
          g_autofree char *shown = esc_format_count (n_listed);

          /* Translators: "12 of 100,000 requests"; the counts have their digits grouped */
          g_string_append_printf (count,
                                  g_dngettext (GETTEXT_PACKAGE, "%s of %s request", "%s of %s requests", n_all),
                                  shown, total);
        }
      if (n_waiting > 0)
        {
          g_string_append (count, " · ");
          g_string_append_printf (count,
                                  g_dngettext (GETTEXT_PACKAGE, "%u waiting to be sent",
                                               "%u waiting to be sent", n_waiting),
                                  n_waiting);
        }
    }

  gtk_label_set_label (self->count_label, count->str);
  update_sync_label (self);
}

static void
account_changed_cb (EscRequestsPage *self)
{
  gboolean known = self->account != NULL && esc_account_get_identity (self->account) != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->mine_button), known);
  if (!known)
    gtk_toggle_button_set_active (self->mine_button, FALSE);
  else if (gtk_toggle_button_get_active (self->mine_button))
    apply_query (self);

  update_view (self);
}

/* Selection and detail ---------------------------------------------------------------- */

static gpointer
selected_item (EscRequestsPage *self)
{
  gpointer row = gtk_single_selection_get_selected_item (self->selection);

  return row != NULL ? esc_request_rows_get_item (row) : NULL;
}

/* Keeps which request the selection is on, so it stays on it when the list changes */
static gpointer
remember_selected (EscRequestsPage *self)
{
  gpointer item = selected_item (self);

  if (ESC_IS_OUTBOX_ITEM (item))
    {
      g_clear_pointer (&self->selected_id, g_free);
      self->selected_pending = esc_outbox_item_get_id (item);
    }
  else if (item != NULL)
    {
      g_free (self->selected_id);
      self->selected_id = g_strdup (esc_support_request_get_id (item));
      self->selected_pending = 0;
    }

  return item;
}

static void
show_selected (EscRequestsPage *self,
               gboolean         reveal)
{
  gpointer item = remember_selected (self);

  if (item == NULL)
    return;

  if (ESC_IS_OUTBOX_ITEM (item))
    esc_request_detail_show_pending (self->detail, item, row_request (item));
  else
    esc_request_detail_show_request (self->detail, item);

  if (reveal)
    adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* A click opens the request. Moving through the list with the keyboard does
 * not (the detail would cover the list when folded): the open detail follows,
 * a closed one waits for Enter (the view's ::activate). */
static void
selection_changed_cb (EscRequestsPage *self)
{
  if (self->keyboard_moving && !adw_flap_get_reveal_flap (self->flap))
    remember_selected (self);
  else
    show_selected (self, !self->keyboard_moving);
}

/* Before the view handles a key: what it selects then, the keyboard selected */
static gboolean
list_key_pressed_cb (EscRequestsPage *self)
{
  self->keyboard_moving = TRUE;
  return GDK_EVENT_PROPAGATE;
}

static void
list_key_released_cb (EscRequestsPage *self)
{
  self->keyboard_moving = FALSE;
}

static void
row_activated_cb (EscRequestsPage *self,
                  guint            position)
{
  gtk_single_selection_set_selected (self->selection, position);
  show_selected (self, TRUE);
}

static void
flap_revealed_cb (EscRequestsPage *self)
{
  if (!adw_flap_get_reveal_flap (self->flap))
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
detail_close_cb (EscRequestsPage *self)
{
  adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* The position of what the detail shows, or -1 when the rows do not hold it */
static gint
find_selected (EscRequestsPage *self)
{
  if (self->list == NULL)
    return -1;

  if (self->selected_id != NULL)
    {
      gint position = esc_request_list_find (self->list, self->selected_id);

      return position >= 0 ? position + (gint)n_pending (self) : -1;
    }

  if (self->selected_pending != 0)
    {
      GListModel *pending = esc_request_list_get_pending (self->list);

      for (guint i = 0; i < g_list_model_get_n_items (pending); i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (pending, i);

          if (esc_outbox_item_get_id (item) == self->selected_pending)
            return (gint)i;
        }
    }

  return -1;
}

/* After the list changed, the same request stays selected; rows keep their
 * place while what they show changes, so the selection follows the request */
/* Growing and shrinking a step a frame ---------------------------------------------
 *
 * When a short list becomes long (the screen shown, a search cleared), GTK 4.8
 * makes the widgets of some 200 rows at once: 80 ms here; when a long list
 * becomes short, it destroys them at once: 30 ms. The row model adds them a
 * step at a time instead (esc-request-rows.h): a screenful first, then a step
 * after each frame painted, until the view has all the rows it makes widgets
 * for; the rest then come at once. Rows that go below the screen go a step a
 * frame the same way. */

/* GTK 4.8 makes widgets for at most this many rows (200 and a few) */
#define VIEW_BOUND_ROWS 240

static gboolean
grow_cb (gpointer user_data)
{
  EscRequestsPage *self = user_data;

  self->grow_source = 0;
  esc_request_rows_step (self->row_objects);

  return G_SOURCE_REMOVE;
}

static void
grow_after_paint_cb (GdkFrameClock   *clock,
                     EscRequestsPage *self)
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

static void
update_growth (EscRequestsPage *self)
{
  double row_height = self->row_height > 0 ? self->row_height : ROW_HEIGHT_GUESS;
  double page = self->vadjustment != NULL ? gtk_adjustment_get_page_size (self->vadjustment) : 0;
  GdkFrameClock *clock;

  /* A step is a screenful and a few rows (a tall screen's worth until known) */
  esc_request_rows_set_growth (self->row_objects,
                               page > 0 ? (guint)(page / row_height) + 4 : 30,
                               VIEW_BOUND_ROWS);

  if (!esc_request_rows_is_stepping (self->row_objects) || self->grow_clock != NULL || self->grow_source != 0)
    return;

  clock = gtk_widget_get_mapped (GTK_WIDGET (self)) ? gtk_widget_get_frame_clock (GTK_WIDGET (self)) : NULL;
  if (clock == NULL)
    {
      /* Nothing is drawn: no frame to wait for */
      esc_request_rows_flush (self->row_objects);
      return;
    }

  g_set_weak_pointer (&self->grow_clock, clock);
  g_signal_connect (clock, "after-paint", G_CALLBACK (grow_after_paint_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static void
rows_changed_cb (EscRequestsPage *self)
{
  gpointer item = selected_item (self);
  gint position;

  update_growth (self);

  update_view (self);

  if (self->selected_id == NULL && self->selected_pending == 0)
    return;
  if (ESC_IS_SUPPORT_REQUEST (item) && self->selected_id != NULL &&
      g_str_equal (esc_support_request_get_id (item), self->selected_id))
    return;
  if (ESC_IS_OUTBOX_ITEM (item) && esc_outbox_item_get_id (item) == self->selected_pending)
    return;

  position = find_selected (self);
  g_signal_handlers_block_by_func (self->selection, selection_changed_cb, self);
  gtk_single_selection_set_selected (self->selection,
                                     position >= 0 ? (guint)position : GTK_INVALID_LIST_POSITION);
  g_signal_handlers_unblock_by_func (self->selection, selection_changed_cb, self);
}

/* Actions ------------------------------------------------------------------------------ */

static void
add_toast (EscRequestsPage *self,
           const char      *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
form_filed_cb (EscRequestsPage *self,
               EscOutboxItem   *item)
{
  EscClient *client = esc_account_get_client (esc_outbox_sender_get_account (self->sender));

  /* Sent at once when the service answers: the toast waits for its verdict
   * (sender_sent_cb(), sender_not_sent_cb()), unless it is known to be away */
  self->announced = 0;
  if (item == NULL)
    add_toast (self, _("Corrected request queued again"));
  else if (!esc_client_get_reachable (client) ||
           !esc_account_can_send (esc_outbox_sender_get_account (self->sender)))
    add_toast (self, _("Request queued: it is sent when the service answers"));
  else
    self->announced = esc_outbox_item_get_id (item);

  /* The queued request heads the list */
  esc_request_rows_flush (self->row_objects);
  if (n_pending (self) > 0)
    {
      guint last = n_pending (self) - 1;

      gtk_single_selection_set_selected (self->selection, last);
      show_selected (self, TRUE);
    }
}

/* A queued request was filed: its toast says so, and the detail that showed
 * it queued shows it filed. */
static void
sender_sent_cb (EscRequestsPage *self,
                gint64           id,
                JsonNode        *answer)
{
  const char *request_id = NULL;
  gint position;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    request_id = json_object_get_string_member_with_default (json_node_get_object (answer), "id", NULL);

  if (id == self->announced)
    {
      self->announced = 0;
      if (request_id != NULL)
        {
          /* Translators: %s is the number the service gave, e.g. SR-000123 */
          g_autofree char *text = g_strdup_printf (_("Filed as %s"), request_id);

          add_toast (self, text);
        }
    }

  if (id != self->selected_pending || request_id == NULL || self->list == NULL)
    return;

  g_free (self->selected_id);
  self->selected_id = g_strdup (request_id);
  self->selected_pending = 0;

  /* The mirror has it now; the rows follow before the detail does */
  esc_request_list_flush (self->list);
  esc_request_rows_flush (self->row_objects);
  position = find_selected (self);
  if (position >= 0)
    {
      gtk_single_selection_set_selected (self->selection, (guint)position);
      show_selected (self, adw_flap_get_reveal_flap (self->flap));
    }
}

static void
sender_not_sent_cb (EscRequestsPage *self,
                    gint64           id,
                    gboolean         refused,
                    const char      *message)
{
  if (id != self->announced)
    return;

  self->announced = 0;
  add_toast (self, refused ? _("The service refused the request: see its details")
                           : _("Request queued: it is sent when the service answers"));
}

static GtkWindow *
open_form (EscRequestsPage *self,
           EscOutboxItem   *refused)
{
  EscRequestForm *form;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->sender == NULL || self->workspace == NULL)
    return NULL;

  if (self->form != NULL && refused == NULL)
    {
      gtk_window_present (self->form);
      return self->form;
    }

  form = esc_request_form_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session);
  g_signal_connect_object (form, "filed", G_CALLBACK (form_filed_cb), self, G_CONNECT_SWAPPED);
  if (refused != NULL)
    esc_request_form_edit_item (form, refused);
  else
    g_set_weak_pointer (&self->form, GTK_WINDOW (form));

  gtk_window_present (GTK_WINDOW (form));
  return GTK_WINDOW (form);
}

static void
detail_edit_pending_cb (EscRequestsPage *self,
                        EscOutboxItem   *item)
{
  open_form (self, item);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_form (ESC_REQUESTS_PAGE (widget), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EscRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!esc_sync_run_finish (ESC_SYNC (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_toast (self, error->message);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);

  if (self->sync == NULL)
    return;

  esc_sync_run_async (self->sync, self->cancellable, refreshed_cb, g_object_ref (self));
  if (self->sender != NULL)
    esc_outbox_sender_send_now (self->sender);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EscRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n_rows = 0;

  if (!esc_request_list_export_csv_finish (ESC_REQUEST_LIST (object), result, &n_rows, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The export failed: %s"), error->message);
    }
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request exported",
                                            "%u requests exported", n_rows),
                               n_rows);

  add_toast (self, message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    EscRequestsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->list != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      esc_request_list_export_csv_async (self->list, file, self->cancellable,
                                         exported_cb, g_object_ref (self));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->list == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the List as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the file name suggested for the export; keep .csv */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("support-requests.csv"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
update_actions (EscRequestsPage *self)
{
  gboolean connected = self->list != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.new", self->sender != NULL && self->workspace != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.export", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.refresh", self->sync != NULL);
}

/* GObject -------------------------------------------------------------------------------- */

static void
disconnect_list (EscRequestsPage *self)
{
  g_list_store_remove_all (self->sections);
  g_clear_object (&self->list);
  g_clear_pointer (&self->applied_query, g_free);
}

static void
esc_requests_page_dispose (GObject *object)
{
  EscRequestsPage *self = (EscRequestsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_handle_id (&self->stale_source, g_source_remove);
  g_clear_handle_id (&self->grow_source, g_source_remove);
  g_clear_handle_id (&self->finish_source, g_source_remove);
  if (self->grow_clock != NULL)
    g_signal_handlers_disconnect_by_func (self->grow_clock, grow_after_paint_cb, self);
  g_clear_weak_pointer (&self->grow_clock);
  g_clear_weak_pointer (&self->form);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->vadjustment, self);
  g_clear_weak_pointer (&self->vadjustment);

  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      gtk_column_view_set_model (self->column_view, NULL);
    }

  if (self->sections != NULL)
    disconnect_list (self);

  /* The flap is both the bin's child and a template child: let the bin drop it
   * first, or both would unparent it */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_REQUESTS_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->row_objects);
  g_clear_object (&self->rows);
  g_clear_object (&self->sections);
  g_clear_object (&self->session);
  g_clear_object (&self->account);
  g_clear_object (&self->workspace);
  g_clear_object (&self->sender);
  g_clear_object (&self->sync);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (esc_requests_page_parent_class)->dispose (object);
}

static void
esc_requests_page_finalize (GObject *object)
{
  EscRequestsPage *self = (EscRequestsPage *)object;

  g_clear_pointer (&self->filter_checks, g_hash_table_unref);
  g_clear_pointer (&self->clock_cells, g_hash_table_unref);
  g_clear_pointer (&self->stale_cells, g_hash_table_unref);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->applied_query, g_free);

  G_OBJECT_CLASS (esc_requests_page_parent_class)->finalize (object);
}

static void set_account      (EscRequestsPage *self,
                              EscAccount      *account);
static void session_opened_cb (EscRequestsPage *self);

static void
esc_requests_page_constructed (GObject *object)
{
  EscRequestsPage *self = (EscRequestsPage *)object;

  G_OBJECT_CLASS (esc_requests_page_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  set_account (self, esc_session_get_account (self->session));
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (session_opened_cb), self, G_CONNECT_SWAPPED);
  session_opened_cb (self);
}

static void
esc_requests_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_requests_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_requests_page_class_init (EscRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_requests_page_constructed;
  object_class->dispose = esc_requests_page_dispose;
  object_class->finalize = esc_requests_page_finalize;
  object_class->get_property = esc_requests_page_get_property;
  object_class->set_property = esc_requests_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->measure = esc_requests_page_measure;
  widget_class->size_allocate = esc_requests_page_size_allocate;

  g_type_ensure (ESC_TYPE_REQUEST_DETAIL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, mine_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, filter_columns);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "id_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_ID]));
  gtk_widget_class_bind_template_child_full (widget_class, "type_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_TYPE]));
  gtk_widget_class_bind_template_child_full (widget_class, "severity_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_SEVERITY]));
  gtk_widget_class_bind_template_child_full (widget_class, "state_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_STATE]));
  gtk_widget_class_bind_template_child_full (widget_class, "title_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_TITLE]));
  gtk_widget_class_bind_template_child_full (widget_class, "filer_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_FILER]));
  gtk_widget_class_bind_template_child_full (widget_class, "owner_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_OWNER]));
  gtk_widget_class_bind_template_child_full (widget_class, "due_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_DUE]));
  gtk_widget_class_bind_template_child_full (widget_class, "updated_column", FALSE,
                                             G_STRUCT_OFFSET (EscRequestsPage, columns[COLUMN_UPDATED]));
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, sync_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, detail_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, detail_edit_pending_cb);

  gtk_widget_class_install_action (widget_class, "requests.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "requests.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "requests.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "requests.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "requests.clear-filters", NULL, clear_filters_action);
}

static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  /* The page's shortcuts work wherever the focus is, but only while it shows */
  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  return gtk_widget_activate_action (widget, user_data, NULL);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *trigger,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                          gtk_callback_action_new (shortcut_cb,
                                                                                   (gpointer)action,
                                                                                   NULL)));
}

static void
esc_requests_page_init (EscRequestsPage *self)
{
  GtkEventController *shortcuts;
  GtkEventController *keys;
  GtkEventController *focus;
  GtkSorter *view_sorter;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);

  self->cancellable = g_cancellable_new ();
  self->filter_checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->clock_cells = g_hash_table_new (NULL, NULL);
  self->stale_cells = g_hash_table_new (NULL, NULL);
  self->sort = ESC_REQUEST_SORT_UPDATED;
  self->descending = TRUE;

  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  self->rows = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->sections)));
  self->row_objects = esc_request_rows_new (G_LIST_MODEL (self->rows));
  esc_request_rows_set_growth (self->row_objects, 30, VIEW_BOUND_ROWS);
  update_eager_range (self);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->row_objects)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_object (self->rows, "items-changed", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->row_objects, "changed", G_CALLBACK (rows_changed_cb), self,
                           G_CONNECT_SWAPPED);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkCustomSorter) sorter = NULL;

      g_object_set_data (G_OBJECT (factory), "esc-column", GINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), self);
      gtk_column_view_column_set_factory (self->columns[c], factory);

      sorter = gtk_custom_sorter_new (probe_compare_cb, NULL, NULL);
      g_object_set_data (G_OBJECT (sorter), "esc-page", self);
      g_object_set_data (G_OBJECT (sorter), "esc-column", GINT_TO_POINTER (c));
      gtk_custom_sorter_set_sort_func (sorter, probe_compare_cb, sorter, NULL);
      gtk_column_view_column_set_sorter (self->columns[c], GTK_SORTER (sorter));
    }

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self);
  g_signal_connect_swapped (keys, "key-released", G_CALLBACK (list_key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);
  /* A key released elsewhere: the focus left with it */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (list_key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), focus);

  watch_vadjustment (self);
  g_signal_connect_object (self->column_view, "notify::vadjustment", G_CALLBACK (watch_vadjustment), self,
                           G_CONNECT_SWAPPED);

  view_sorter = gtk_column_view_get_sorter (self->column_view);
  gtk_column_view_sort_by_column (self->column_view, self->columns[COLUMN_UPDATED], GTK_SORT_DESCENDING);
  g_signal_connect_object (view_sorter, "changed", G_CALLBACK (sorter_changed_cb), self, 0);

  setup_filters (self);

  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>n", "requests.new");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>f", "requests.search");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>e", "requests.export");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "F5", "requests.refresh");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>r", "requests.refresh");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-font-name",
                           G_CALLBACK (font_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_settings_get_default (), "notify::gtk-xft-dpi",
                           G_CALLBACK (font_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "map", G_CALLBACK (page_mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (page_unmapped_cb), NULL);

  update_actions (self);
  update_view (self);
}

/* The list exists once there are a workspace and a connection */
static void
setup_list (EscRequestsPage *self)
{
  EscOutbox *outbox;

  disconnect_list (self);

  if (self->sender == NULL || self->workspace == NULL)
    {
      update_actions (self);
      update_view (self);
      return;
    }

  outbox = esc_outbox_sender_get_outbox (self->sender);
  self->list = esc_request_list_new (esc_outbox_get_mirror (outbox), outbox);
  g_list_store_append (self->sections, esc_request_list_get_pending (self->list));
  g_list_store_append (self->sections, self->list);

  esc_request_detail_set_session (self->detail, self->session);

  update_actions (self);
  apply_query (self);
}

static void
set_account (EscRequestsPage *self,
             EscAccount      *account)
{
  if (!g_set_object (&self->account, account))
    return;

  g_signal_connect_object (account, "notify", G_CALLBACK (account_changed_cb), self, G_CONNECT_SWAPPED);
  account_changed_cb (self);
}

/* The session's workspace is open: the list, and what files and follows requests (the outbox
 * sender and the sync, with what they say) */
static void
session_opened_cb (EscRequestsPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);
  EscOutboxSender *sender = esc_session_get_sender (self->session);
  EscSync *sync = esc_session_get_sync (self->session);

  if (workspace == NULL || self->workspace == workspace)
    return;

  g_set_object (&self->sync, sync);
  g_signal_connect_object (sync, "notify", G_CALLBACK (update_sync_label), self, G_CONNECT_SWAPPED);

  g_set_object (&self->sender, sender);
  g_signal_connect_object (sender, "sent", G_CALLBACK (sender_sent_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sender, "not-sent", G_CALLBACK (sender_not_sent_cb), self,
                           G_CONNECT_SWAPPED);

  g_set_object (&self->workspace, workspace);
  setup_list (self);
}

/**
 * esc_requests_page_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the Requests screen, with its list once the session's
 *   workspace is open
 */
EscRequestsPage *
esc_requests_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_REQUESTS_PAGE, "session", session, NULL);
}

GtkColumnView *
esc_requests_page_get_column_view (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return self->column_view;
}

GtkSearchEntry *
esc_requests_page_get_search_entry (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return self->search_entry;
}

EscRequestList *
esc_requests_page_get_list (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return self->list;
}

gboolean
esc_requests_page_is_settled (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), FALSE);

  return !esc_request_rows_is_stepping (self->row_objects) && g_hash_table_size (self->stale_cells) == 0;
}

GListModel *
esc_requests_page_get_rows (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->rows);
}

const char *
esc_requests_page_get_view (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
}

void
esc_requests_page_set_filter (EscRequestsPage *self,
                              const char      *group,
                              const char      *value,
                              gboolean         active)
{
  g_autofree char *key = NULL;
  GtkCheckButton *check;

  g_return_if_fail (ESC_IS_REQUESTS_PAGE (self));

  key = g_strdup_printf ("%s:%s", group, value);
  check = g_hash_table_lookup (self->filter_checks, key);
  g_return_if_fail (check != NULL);

  gtk_check_button_set_active (check, active);
}

GtkWindow *
esc_requests_page_open_form (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return open_form (self, NULL);
}

gboolean
esc_requests_page_select_request (EscRequestsPage *self,
                                  const char      *id)
{
  gint position;

  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), FALSE);

  if (self->list == NULL)
    return FALSE;

  /* A sync may have rewritten the request a moment ago (a new key) */
  esc_request_list_flush (self->list);
  if ((position = esc_request_list_find (self->list, id)) < 0)
    return FALSE;

  esc_request_rows_flush (self->row_objects);
  gtk_single_selection_set_selected (self->selection, (guint)position + n_pending (self));
  show_selected (self, TRUE);
  return TRUE;
}

GtkWidget *
esc_requests_page_get_detail (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return GTK_WIDGET (self->detail);
}
