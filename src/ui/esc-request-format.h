/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "esc-support-request.h"

G_BEGIN_DECLS

/* How the Requests screen writes times, states and the response clock. */

/* "14:32" today, "6 May" this year, "6 May 2023" before (local time) */
char       *esc_request_format_time_short  (GDateTime         *time,
                                            GDateTime         *now);
/* A count with the locale's digit grouping: "100,000", "100 000" (transfer full) */
char       *esc_format_count               (guint              n);
/* "Monday 6 May 2024 at 09:00" (local time) */
char       *esc_request_format_time_long   (GDateTime         *time);
/* The CSS class of a state ("esc-state-new") and of a severity ("esc-severity-a") */
const char *esc_request_state_css_class    (EscSupportRequestState state);
const char *esc_request_severity_css_class (EscSupportSeverity     severity);
/* Shows the response clock of @request at @now on @label: the words and the
 * colour (esc-sla-ok, esc-sla-warning, esc-sla-overdue, or dim when no clock runs) */
void        esc_request_show_clock         (GtkWidget         *label,
                                            EscSupportRequest *request,
                                            GDateTime         *now);
/* Sets exactly one of @classes (NULL-terminated) on @widget: @active (nullable) */
void        esc_widget_set_css_choice      (GtkWidget         *widget,
                                            const char * const *classes,
                                            const char        *active);

/* A field of a boxed list in error: the row gets the error style and the
 * message in a row of its own right under it (and as its accessible description). */
void        esc_row_show_error             (GtkWidget         *row,
                                            const char        *message);
void        esc_row_clear_error            (GtkWidget         *row);
/* The title of a preferences row without its mnemonic underscore (transfer full) */
char       *esc_row_dup_label              (GtkWidget         *row);

G_END_DECLS
