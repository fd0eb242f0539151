/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-request-form-private.h"
#include "esc-request-format.h"
#include "esc-ui-private.h"

/* Required fields ------------------------------------------------------------------ */

static void
update_required_cb (GtkEditable *editable,
                    GtkWidget   *label)
{
  gtk_widget_set_visible (label, *gtk_editable_get_text (editable) == '\0');
}

/* Says “Required” at the end of an empty field that must be filled */
void
esc_request_form_mark_required (GtkWidget *row)
{
  /* Where a screen reader is when the field has the focus */
  gtk_accessible_update_property (esc_ui_field_accessible (row), GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE, -1);

  if (ADW_IS_ENTRY_ROW (row))
    {
      GtkWidget *label = gtk_label_new (_("Required"));

      gtk_widget_add_css_class (label, "esc-dim");
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), label);
      g_signal_connect_object (row, "changed", G_CALLBACK (update_required_cb), label, 0);
      update_required_cb (GTK_EDITABLE (row), label);
    }
  else if (ESC_IS_REQUEST_TEXT_ROW (row))
    esc_request_text_row_set_required (ESC_REQUEST_TEXT_ROW (row), TRUE);
}

/* Field errors ---------------------------------------------------------------- */

void
esc_request_form_clear_row_error (EscRequestForm *self,
                                  GtkWidget      *row)
{
  esc_row_clear_error (row);
  g_hash_table_remove (self->errors, row);
}

void
esc_request_form_clear_errors (EscRequestForm *self)
{
  g_autoptr(GList) rows = g_hash_table_get_keys (self->errors);

  for (const GList *l = rows; l != NULL; l = l->next)
    esc_request_form_clear_row_error (self, l->data);
}

/* The row that shows the field at JSON pointer @field ("/contact/email"),
 * or at "contact.email" as some services name it. */
GtkWidget *
esc_request_form_row_for_field (EscRequestForm *self,
                                const char     *field)
{
  g_autofree char *pointer = NULL;
  GtkWidget *row;

  if (field == NULL)
    return NULL;

  pointer = field[0] == '/' ? g_strdup (field) : g_strconcat ("/", field, NULL);
  g_strdelimit (pointer, ".", '/');

  /* "/devices/3" is the devices row; "/contact/x" falls back to the contact */
  while ((row = g_hash_table_lookup (self->field_rows, pointer)) == NULL)
    {
      char *slash = strrchr (pointer, '/');

      if (slash == NULL || slash == pointer)
        return NULL;
      *slash = '\0';
    }

  return row;
}

/* The core names fields as “contact.email”: say the row's title instead. */
static char *
humanize_message (GtkWidget  *row,
                  const char *field,
                  const char *message)
{
  /* The quotes of the messages: English, and French with no-break spaces */
  static const char * const quotes[][2] = { { "“", "”" }, { "«\u00a0", "\u00a0»" } };
  g_autofree char *core_label = NULL;
  g_autofree char *label = NULL;

  if (field == NULL || message == NULL)
    return g_strdup (message);

  core_label = g_strdup (field[0] == '/' ? field + 1 : field);
  g_strdelimit (core_label, "/", '.');

  label = esc_row_dup_label (row);
  /* Only the name, not the explanation after it: “Language”, not the example */
  if (strstr (label, " (") != NULL)
    *strstr (label, " (") = '\0';
  if (strstr (label, ":") != NULL)
    *strstr (label, ":") = '\0';
  g_strchomp (label);

  for (guint i = 0; i < G_N_ELEMENTS (quotes); i++)
    {
      g_autofree char *quoted = g_strconcat (quotes[i][0], core_label, quotes[i][1], NULL);
      g_autofree char *replacement = NULL;
      g_auto(GStrv) parts = NULL;

      if (strstr (message, quoted) == NULL)
        continue;

      replacement = g_strconcat (quotes[i][0], label, quotes[i][1], NULL);
      parts = g_strsplit (message, quoted, -1);
      return g_strjoinv (replacement, parts);
    }

  return g_strdup (message);
}

void
esc_request_form_show_field_error (EscRequestForm *self,
                                   const char     *field,
                                   const char     *message)
{
  GtkWidget *row = esc_request_form_row_for_field (self, field);
  g_autofree char *text = NULL;

  /* A refusal that names no field is about who may file what */
  if (row == NULL)
    row = GTK_WIDGET (self->kind_row);

  esc_request_form_clear_row_error (self, row);
  text = humanize_message (row, field, message);

  esc_row_show_error (row, text);
  g_hash_table_insert (self->errors, row, g_steal_pointer (&text));
}

static GtkScrolledWindow *
find_scroller (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return GTK_SCROLLED_WINDOW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = find_scroller (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The page scrolls so that the field in error and its message both show (the
 * focus alone brings the field, not always the message under it). Once they
 * are laid out: the message was just added. */
#define SCROLL_MARGIN 12

static gboolean
scroll_to_error_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  EscRequestForm *self = ESC_REQUEST_FORM (widget);
  GtkScrolledWindow *scroller = find_scroller (GTK_WIDGET (self->page));
  GtkWidget *viewport;
  GtkWidget *message;
  GtkAdjustment *adjustment;
  graphene_rect_t row_bounds, message_bounds;
  double top, bottom, page, shift = 0;

  if (self->scroll_target == NULL || scroller == NULL || ++self->scroll_frames > 60)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }

  viewport = gtk_scrolled_window_get_child (scroller);
  message = g_object_get_data (G_OBJECT (self->scroll_target), "esc-error-row");
  if (!gtk_widget_compute_bounds (self->scroll_target, viewport, &row_bounds) || row_bounds.size.height <= 0)
    return G_SOURCE_CONTINUE;
  if (message != NULL &&
      (!gtk_widget_compute_bounds (message, viewport, &message_bounds) || message_bounds.size.height <= 0))
    return G_SOURCE_CONTINUE;

  /* In the viewport's coordinates: 0 is the top of what shows */
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  page = gtk_adjustment_get_page_size (adjustment);
  top = row_bounds.origin.y;
  bottom = message != NULL ? message_bounds.origin.y + message_bounds.size.height
                           : row_bounds.origin.y + row_bounds.size.height;

  if (top < SCROLL_MARGIN)
    shift = top - SCROLL_MARGIN;
  else if (bottom > page - SCROLL_MARGIN)
    shift = MIN (bottom - page + SCROLL_MARGIN, top - SCROLL_MARGIN);
  if (shift != 0)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + shift);

  g_clear_weak_pointer (&self->scroll_target);
  self->scroll_tick = 0;
  return G_SOURCE_REMOVE;
}

static void
scroll_to_error (EscRequestForm *self,
                 GtkWidget      *row)
{
  g_set_weak_pointer (&self->scroll_target, row);
  self->scroll_frames = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_error_cb, NULL, NULL);
}

/* The first field in error gets the focus and shows, with its message */
void
esc_request_form_focus_first_error (EscRequestForm *self,
                                    GtkWidget      *row)
{
  if (row == NULL || !gtk_widget_get_sensitive (row))
    return;

  /* Before the form shows, its page cannot scroll to the row yet: wait for the map */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_set_weak_pointer (&self->focus_on_map, row);
      return;
    }

  gtk_widget_grab_focus (row);
  scroll_to_error (self, row);
}

/* The order of the fields on screen: where @row comes in a walk of @root */
static gboolean
tree_position (GtkWidget *root,
               GtkWidget *row,
               guint     *position)
{
  if (root == row)
    return TRUE;
  (*position)++;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (tree_position (child, row, position))
        return TRUE;
    }

  return FALSE;
}

typedef struct
{
  GtkWidget *row;
  guint      position;
  char      *field;
  char      *message;
} ShownError;

static void
shown_error_clear (gpointer data)
{
  ShownError *shown = data;

  g_free (shown->field);
  g_free (shown->message);
}

static int
compare_shown_errors (gconstpointer a,
                      gconstpointer b)
{
  guint pa = ((const ShownError *)a)->position;
  guint pb = ((const ShownError *)b)->position;

  return (pa > pb) - (pa < pb);
}

/* Shows every problem under its field at once, and brings the first on
 * screen into view; @problems (element-type EscFieldError) */
void
esc_request_form_show_field_errors (EscRequestForm *self,
                                    GPtrArray      *problems)
{
  g_autoptr(GArray) shown = g_array_new (FALSE, TRUE, sizeof (ShownError));

  g_array_set_clear_func (shown, shown_error_clear);

  for (guint i = 0; i < problems->len; i++)
    {
      EscFieldError *problem = g_ptr_array_index (problems, i);
      ShownError *error;

      g_array_set_size (shown, shown->len + 1);
      error = &g_array_index (shown, ShownError, shown->len - 1);
      error->row = esc_request_form_row_for_field (self, problem->field);
      /* A refusal that names no field is about who may file what */
      if (error->row == NULL)
        error->row = GTK_WIDGET (self->kind_row);
      tree_position (GTK_WIDGET (self->page), error->row, &error->position);
      error->field = g_strdup (problem->field);
      error->message = g_strdup (problem->error->message);
    }

  g_array_sort (shown, compare_shown_errors);

  for (guint i = 0; i < shown->len; i++)
    {
      ShownError *error = &g_array_index (shown, ShownError, i);

      /* One message a field: the first */
      if (!g_hash_table_contains (self->errors, error->row))
        esc_request_form_show_field_error (self, error->field, error->message);
    }

  if (shown->len > 0)
    esc_request_form_focus_first_error (self, g_array_index (shown, ShownError, 0).row);
}

void
esc_request_form_add_problem (GPtrArray  *problems,
                              const char *field,
                              GError     *error)
{
  EscFieldError *problem = g_new0 (EscFieldError, 1);

  problem->field = g_strdup (field);
  problem->error = error;
  g_ptr_array_add (problems, problem);
}

