/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ESC_TYPE_DATE_TIME_ROW (esc_date_time_row_get_type ())

G_DECLARE_FINAL_TYPE (EscDateTimeRow, esc_date_time_row, ESC, DATE_TIME_ROW, AdwActionRow)

/* A row for an optional date and time (local time, to the minute): the
 * value on a button that opens a calendar and the hour and minute, and a
 * button that clears it. Notifies "value" when it changes. */
GtkWidget *esc_date_time_row_new       (void);
/* (nullable) (transfer none): the chosen time, or NULL when not set */
GDateTime *esc_date_time_row_get_value (EscDateTimeRow *self);
void       esc_date_time_row_set_value (EscDateTimeRow *self,
                                        GDateTime      *value);

G_END_DECLS
