/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-elevation-close-dialog.h"

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
actions_changed_cb (GtkTextBuffer    *buffer,
                    AdwMessageDialog *dialog)
{
  g_autofree char *text = dup_buffer_text (buffer);

  adw_message_dialog_set_response_enabled (dialog, "close", *text != '\0');
}

/**
 * esc_elevation_close_dialog_new:
 * @parent: (nullable): the window it is for
 *
 * Returns: (transfer none): the dialog, not shown yet
 */
GtkWidget *
esc_elevation_close_dialog_new (GtkWindow *parent)
{
  GtkWidget *dialog;
  GtkWidget *frame;
  GtkWidget *scrolled;
  GtkWidget *view;
  GtkWidget *box;
  GtkWidget *label;
  GtkTextBuffer *buffer;

  dialog = adw_message_dialog_new (parent,
                                   _("Close the Elevation Request?"),
                                   _("Say what you did on the device. The service records it with "
                                     "your name, and the password can no longer be read through "
                                     "this request."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new_with_mnemonic (_("_Actions taken (required)"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), view);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Actions taken"),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                  -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 100);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), scrolled);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), frame);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "close", _("C_lose Request"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "close", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_object_set_data (G_OBJECT (dialog), "esc-actions-buffer", buffer);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (actions_changed_cb), dialog, 0);
  gtk_window_set_focus (GTK_WINDOW (dialog), view);

  return dialog;
}

char *
esc_elevation_close_dialog_dup_actions (AdwMessageDialog *dialog)
{
  GtkTextBuffer *buffer;

  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);

  buffer = g_object_get_data (G_OBJECT (dialog), "esc-actions-buffer");
  return buffer != NULL ? dup_buffer_text (buffer) : g_strdup ("");
}
