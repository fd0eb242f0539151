/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-outbox.h"
#include "esc-request-cell.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-request-list.h"
#include "esc-request-rows.h"
#include "esc-ui-private.h"

struct _EscRequestCell
{
  GObject           parent_instance;

  GtkWidget        *view;       /* unowned: holds the cell */
  GtkListItem      *list_item;  /* unowned: the cell lives as long as it */
  GtkInscription   *label;      /* unowned: the list item's child */
  EscRequestColumn  column;
  char             *tooltip;    /* or NULL: a time cell makes its own when asked */
};

G_DEFINE_FINAL_TYPE (EscRequestCell, esc_request_cell, G_TYPE_OBJECT)

/* The cells' widget names */
static const char * const column_names[] = {
  "number", "type", "severity", "state", "title", "filer", "owner", "due", "updated",
};

G_STATIC_ASSERT (G_N_ELEMENTS (column_names) == ESC_REQUEST_N_COLUMNS);

static const char * const short_type_labels[] = {
  NC_("request type, short", "Incident"), NC_("request type, short", "Information"),
  NC_("request type, short", "Change"),
};

const char *
esc_request_type_get_short_label (EscSupportRequestType type)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "request type, short",
                       short_type_labels[MIN ((guint)type, G_N_ELEMENTS (short_type_labels) - 1)]);
}

EscSupportRequest *
esc_request_row_get_request (gpointer item)
{
  EscSupportRequest *request;

  if (ESC_IS_SUPPORT_REQUEST (item))
    return item;

  /* A pending item's request is read from its body once, and kept with it */
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

gpointer
esc_request_cell_get_item (EscRequestCell *self)
{
  gpointer row = gtk_list_item_get_item (self->list_item);

  return row != NULL ? esc_request_rows_get_item (row) : NULL;
}

/* The tooltip of a time cell: the date and time in full, made when asked for */
static char *
time_tooltip (EscRequestCell *self)
{
  gpointer item = esc_request_cell_get_item (self);
  EscOutboxItem *pending = ESC_IS_OUTBOX_ITEM (item) ? item : NULL;
  g_autofree char *when = NULL;

  if (item == NULL)
    return NULL;

  if (self->column == ESC_REQUEST_COLUMN_DUE)
    {
      if (pending != NULL)
        return NULL;
      g_autofree char *due = NULL;
      const char *clock = gtk_inscription_get_text (self->label);

      when = esc_request_format_time_long (esc_support_request_get_response_due_at (item));
      if (when == NULL)
        return NULL;
      /* Translators: the tooltip of the response clock; %s is a date and time */
      due = g_strdup_printf (_("Initial response due %s"), when);
      /* The clock in full too, should a narrow column cut it */
      return clock != NULL && g_strcmp0 (clock, "—") != 0 ? g_strconcat (clock, "\n", due, NULL)
                                                          : g_steal_pointer (&due);
    }

  if (self->column == ESC_REQUEST_COLUMN_UPDATED)
    return esc_request_format_time_long (pending != NULL ? esc_outbox_item_get_created_at (pending)
                                                         : esc_support_request_get_updated_at (item));

  return NULL;
}

/* Tooltips are asked for when shown: setting one while binding a row would ask
 * the display where the pointer is, for every cell of every row bound. */
static gboolean
query_tooltip_cb (GtkWidget      *widget,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip,
                  EscRequestCell *self)
{
  const char *text = self->tooltip;
  g_autofree char *made = NULL;

  if (text == NULL)
    text = made = time_tooltip (self);

  if (text == NULL || *text == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_tooltip (EscRequestCell *self,
             const char     *text)
{
  if (self->tooltip == text)
    return;
  g_free (self->tooltip);
  self->tooltip = g_strdup (text);
}

/* What a cell shows, said to assistive technologies too */
static void
set_text (EscRequestCell *self,
          const char     *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (self->label), text) == 0)
    return;

  gtk_inscription_set_text (self->label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->label), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

void
esc_request_cell_clear (EscRequestCell *self)
{
  g_return_if_fail (ESC_IS_REQUEST_CELL (self));

  set_text (self, "");
}

/* What a screen reader says for the row: its number, title and state */
static void
name_row (EscRequestCell    *self,
          EscSupportRequest *request,
          EscOutboxItem     *pending)
{
  g_autofree char *name = NULL;
  const char *state;

  if (pending != NULL && esc_outbox_item_get_state (pending) == ESC_OUTBOX_STATE_REFUSED)
    state = C_("request state", "Refused");
  else if (pending != NULL)
    state = C_("request state", "Queued");
  else
    state = esc_support_request_state_get_label (esc_support_request_get_state (request));

  /* Translators: a row of the Requests list as a screen reader says it: its number, title and state */
  name = g_strdup_printf (_("%s, %s, %s"),
                          pending != NULL ? _("Not sent yet") : esc_support_request_get_id (request),
                          esc_support_request_get_title (request) != NULL ? esc_support_request_get_title (request) : "",
                          state);
  esc_ui_name_list_item (self->list_item, 2, name);
}

gboolean
esc_request_cell_render (EscRequestCell *self,
                         GDateTime      *now)
{
  GtkWidget *label = GTK_WIDGET (self->label);
  gpointer item = esc_request_cell_get_item (self);
  EscSupportRequest *request;
  EscOutboxItem *pending;
  g_autoptr(GDateTime) current = NULL;
  g_autofree char *text = NULL;
  const char *tooltip = NULL;

  g_return_val_if_fail (ESC_IS_REQUEST_CELL (self), FALSE);

  if (item == NULL)
    {
      set_text (self, "");
      set_tooltip (self, NULL);
      return FALSE;
    }

  request = esc_request_row_get_request (item);
  pending = ESC_IS_OUTBOX_ITEM (item) ? item : NULL;
  gtk_widget_remove_css_class (label, "esc-dim");

  switch (self->column)
    {
    case ESC_REQUEST_COLUMN_ID:
      if (pending != NULL)
        {
          text = g_strdup ("—");
          tooltip = _("Not sent to the service yet: no number");
          gtk_widget_add_css_class (label, "esc-dim");
        }
      else
        text = g_strdup (esc_support_request_get_id (request));
      name_row (self, request, pending);
      break;

    case ESC_REQUEST_COLUMN_TYPE:
      {
        EscSupportRequestType type = esc_support_request_get_request_type (request);

        /* Short words for a narrow column; the tooltip has the full name */
        text = g_strdup (esc_request_type_get_short_label (type));
        tooltip = esc_support_request_type_get_label (type);
      }
      break;

    case ESC_REQUEST_COLUMN_SEVERITY:
      {
        static const char * const classes[] = {
          "esc-severity-a", "esc-severity-b", "esc-severity-c", NULL
        };
        EscSupportSeverity severity = esc_support_request_get_severity (request);

        text = g_strdup (esc_support_severity_to_string (severity));
        tooltip = esc_support_severity_get_label (severity);
        esc_widget_set_css_choice (label, classes, esc_request_severity_css_class (severity));
        /* The letter is read as the severity's name */
        set_text (self, text);
        gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
        set_tooltip (self, tooltip);
      }
      return FALSE;

    case ESC_REQUEST_COLUMN_STATE:
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
            esc_widget_set_css_choice (label, classes, "esc-state-refused");
          }
        else if (pending != NULL)
          {
            /* Translators: the state of a request waiting to be sent */
            text = g_strdup (C_("request state", "Queued"));
            tooltip = _("Waiting to be sent to the service");
            esc_widget_set_css_choice (label, classes, "esc-state-queued");
          }
        else
          {
            EscSupportRequestState state = esc_support_request_get_state (request);

            text = g_strdup (esc_support_request_state_get_label (state));
            esc_widget_set_css_choice (label, classes, esc_request_state_css_class (state));
          }
      }
      break;

    case ESC_REQUEST_COLUMN_TITLE:
      text = g_strdup (esc_support_request_get_title (request));
      tooltip = text;
      break;

    case ESC_REQUEST_COLUMN_FILER:
      if (pending != NULL)
        text = g_strdup (C_("filer", "You"));
      else
        text = g_strdup (esc_support_request_get_filer_name (request));
      tooltip = text;
      break;

    case ESC_REQUEST_COLUMN_OWNER:
      if (pending != NULL && esc_outbox_item_get_state (pending) == ESC_OUTBOX_STATE_REFUSED)
        text = g_strdup (esc_next_action_owner_get_label (ESC_NEXT_ACTION_OWNER_CUSTOMER));
      else if (pending != NULL)
        text = g_strdup ("");
      else
        text = g_strdup (esc_next_action_owner_get_label (esc_support_request_get_next_action_owner (request)));
      break;

    case ESC_REQUEST_COLUMN_DUE:
      if (now == NULL)
        now = current = g_date_time_new_now_utc ();
      esc_request_show_clock (label, request, now);
      set_tooltip (self, NULL);  /* time_tooltip() */
      return TRUE;

    case ESC_REQUEST_COLUMN_UPDATED:
      {
        GDateTime *time = pending != NULL ? esc_outbox_item_get_created_at (pending)
                                          : esc_support_request_get_updated_at (request);

        if (now == NULL)
          now = current = g_date_time_new_now_utc ();
        text = esc_request_format_time_short (time, now);
        set_tooltip (self, NULL);  /* time_tooltip() */
        set_text (self, text);
      }
      return FALSE;

    case ESC_REQUEST_N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  set_text (self, text != NULL ? text : "");
  set_tooltip (self, tooltip);
  return FALSE;
}

void
esc_request_cell_tick (EscRequestCell *self,
                       GDateTime      *now)
{
  gpointer item;

  g_return_if_fail (ESC_IS_REQUEST_CELL (self));

  item = esc_request_cell_get_item (self);
  if (item != NULL && self->column == ESC_REQUEST_COLUMN_DUE)
    esc_request_show_clock (GTK_WIDGET (self->label), esc_request_row_get_request (item), now);
}

EscRequestColumn
esc_request_cell_get_column (EscRequestCell *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_CELL (self), 0);
  return self->column;
}

GtkWidget *
esc_request_cell_get_view (EscRequestCell *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_CELL (self), NULL);
  return self->view;
}

GtkListItem *
esc_request_cell_get_list_item (EscRequestCell *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_CELL (self), NULL);
  return self->list_item;
}

static void
esc_request_cell_finalize (GObject *object)
{
  EscRequestCell *self = (EscRequestCell *)object;

  g_clear_pointer (&self->tooltip, g_free);

  G_OBJECT_CLASS (esc_request_cell_parent_class)->finalize (object);
}

static void
esc_request_cell_class_init (EscRequestCellClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_request_cell_finalize;
}

static void
esc_request_cell_init (EscRequestCell *self)
{
}

/**
 * esc_request_cell_new:
 * @view: the view that holds the cell
 * @list_item: the list item to fill, in the factory's ::setup
 * @column: its column
 *
 * Makes the cell's inscription the child of @list_item.
 *
 * Returns: (transfer full): the cell
 */
EscRequestCell *
esc_request_cell_new (GtkWidget        *view,
                      GtkListItem      *list_item,
                      EscRequestColumn  column)
{
  EscRequestCell *self = g_object_new (ESC_TYPE_REQUEST_CELL, NULL);
  GtkWidget *label;

  g_return_val_if_fail (GTK_IS_LIST_ITEM (list_item), NULL);

  /* An inscription, unlike a label, is sized by its column and not by its text:
   * a new text is drawn, and no row is measured again */
  label = gtk_inscription_new (NULL);
  self->view = view;
  self->list_item = list_item;
  self->label = GTK_INSCRIPTION (label);
  self->column = column;

  gtk_inscription_set_xalign (self->label, 0);
  gtk_inscription_set_text_overflow (self->label, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_has_tooltip (label, TRUE);
  g_signal_connect_object (label, "query-tooltip", G_CALLBACK (query_tooltip_cb), self, 0);
  gtk_widget_set_margin_top (label, 9);
  gtk_widget_set_margin_bottom (label, 9);

  if (column == ESC_REQUEST_COLUMN_SEVERITY)
    {
      /* A badge as wide as its letter (an average character is narrower
       * than a bold capital: two of them, and never an ellipsis) */
      gtk_inscription_set_xalign (self->label, 0.5);
      gtk_inscription_set_min_chars (self->label, 2);
      gtk_inscription_set_nat_chars (self->label, 2);
      gtk_inscription_set_text_overflow (self->label, GTK_INSCRIPTION_OVERFLOW_CLIP);
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_set_margin_top (label, 0);
      gtk_widget_set_margin_bottom (label, 0);
      gtk_widget_add_css_class (label, "esc-badge");
    }
  else if (column == ESC_REQUEST_COLUMN_ID || column == ESC_REQUEST_COLUMN_DUE ||
           column == ESC_REQUEST_COLUMN_UPDATED)
    gtk_widget_add_css_class (label, "numeric");

  /* Which column a cell is in, for tests that look at the screen */
  gtk_widget_set_name (label, column_names[column]);
  gtk_list_item_set_child (list_item, label);

  return self;
}
