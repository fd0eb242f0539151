/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_TEXT_ROW (esc_request_text_row_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestTextRow, esc_request_text_row, ESC, REQUEST_TEXT_ROW, AdwPreferencesRow)

/* A row of a boxed list for text of several lines: its title above a text
 * view, which is labelled by that title for screen readers. */
GtkWidget     *esc_request_text_row_new        (const char        *title);
GtkTextBuffer *esc_request_text_row_get_buffer (EscRequestTextRow *self);
GtkTextView   *esc_request_text_row_get_view   (EscRequestTextRow *self);
/* (transfer full): the text, or NULL when blank */
char          *esc_request_text_row_dup_text   (EscRequestTextRow *self);
void           esc_request_text_row_set_text   (EscRequestTextRow *self,
                                                const char        *text);
/* A required row says “Required” beside its title while it is empty */
void           esc_request_text_row_set_required (EscRequestTextRow *self,
                                                  gboolean           required);

G_END_DECLS
