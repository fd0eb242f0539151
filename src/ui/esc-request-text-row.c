/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-request-text-row.h"

struct _EscRequestTextRow
{
  AdwPreferencesRow  parent_instance;

  GtkWidget         *title_label;
  GtkWidget         *required_label;
  GtkWidget         *view;
  gboolean           required;
};

G_DEFINE_FINAL_TYPE (EscRequestTextRow, esc_request_text_row, ADW_TYPE_PREFERENCES_ROW)

static void
title_changed_cb (EscRequestTextRow *self)
{
  AdwPreferencesRow *row = ADW_PREFERENCES_ROW (self);

  gtk_label_set_use_underline (GTK_LABEL (self->title_label),
                               adw_preferences_row_get_use_underline (row));
  gtk_label_set_label (GTK_LABEL (self->title_label), adw_preferences_row_get_title (row));
  /* The row a screen reader passes through says what the text is for, as its text box does */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (GTK_LABEL (self->title_label)), -1);
}

static void
update_required (EscRequestTextRow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));

  gtk_widget_set_visible (self->required_label,
                          self->required && gtk_text_buffer_get_char_count (buffer) == 0);
}

static void
pressed_cb (GtkGestureClick   *gesture,
            int                n_press,
            double             x,
            double             y,
            EscRequestTextRow *self)
{
  /* A click on the title or the margins goes to the text, as on an entry row */
  gtk_widget_grab_focus (self->view);
}

static gboolean
esc_request_text_row_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (ESC_REQUEST_TEXT_ROW (widget)->view);
}

static void
esc_request_text_row_class_init (EscRequestTextRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->grab_focus = esc_request_text_row_grab_focus;
}

static void
esc_request_text_row_init (EscRequestTextRow *self)
{
  GtkWidget *box;
  GtkWidget *title_box;
  GtkGesture *click;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "esc-text-row");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  self->title_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->title_label), TRUE);
  gtk_widget_set_hexpand (self->title_label, TRUE);
  gtk_widget_add_css_class (self->title_label, "caption");
  gtk_widget_add_css_class (self->title_label, "esc-dim");

  self->required_label = gtk_label_new (_("Required"));
  gtk_widget_set_visible (self->required_label, FALSE);
  gtk_widget_set_valign (self->required_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->required_label, "caption");
  gtk_widget_add_css_class (self->required_label, "esc-dim");

  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (title_box), self->title_label);
  gtk_box_append (GTK_BOX (title_box), self->required_label);

  self->view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->view), 2);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->view), 2);
  gtk_widget_set_size_request (self->view, -1, 72);
  gtk_widget_add_css_class (self->view, "esc-text-row-view");
  gtk_label_set_mnemonic_widget (GTK_LABEL (self->title_label), self->view);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title_label, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (box), title_box);
  gtk_box_append (GTK_BOX (box), self->view);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)), "changed",
                            G_CALLBACK (update_required), self);
  g_signal_connect (self, "notify::title", G_CALLBACK (title_changed_cb), NULL);
  g_signal_connect (self, "notify::use-underline", G_CALLBACK (title_changed_cb), NULL);
}

/**
 * esc_request_text_row_new:
 * @title: the row's title, with a mnemonic
 *
 * Returns: (transfer floating): a new #EscRequestTextRow
 */
GtkWidget *
esc_request_text_row_new (const char *title)
{
  return g_object_new (ESC_TYPE_REQUEST_TEXT_ROW,
                       "title", title,
                       "use-underline", TRUE,
                       NULL);
}

GtkTextBuffer *
esc_request_text_row_get_buffer (EscRequestTextRow *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_TEXT_ROW (self), NULL);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
}

GtkTextView *
esc_request_text_row_get_view (EscRequestTextRow *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_TEXT_ROW (self), NULL);
  return GTK_TEXT_VIEW (self->view);
}

char *
esc_request_text_row_dup_text (EscRequestTextRow *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_return_val_if_fail (ESC_IS_REQUEST_TEXT_ROW (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return g_steal_pointer (&text);
    }

  return NULL;
}

void
esc_request_text_row_set_text (EscRequestTextRow *self,
                               const char        *text)
{
  g_return_if_fail (ESC_IS_REQUEST_TEXT_ROW (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)),
                            text != NULL ? text : "", -1);
}

void
esc_request_text_row_set_required (EscRequestTextRow *self,
                                   gboolean           required)
{
  g_return_if_fail (ESC_IS_REQUEST_TEXT_ROW (self));

  self->required = !!required;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_REQUIRED, self->required, -1);
  update_required (self);
}
