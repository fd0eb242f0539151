/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The dialog that closes an elevation request: it asks for the actions taken,
 * which are required ("close" stays disabled while they are empty). Responses
 * "cancel" and "close". */
GtkWidget *esc_elevation_close_dialog_new          (GtkWindow        *parent);
/* The actions taken as typed, trimmed (transfer full) */
char      *esc_elevation_close_dialog_dup_actions  (AdwMessageDialog *dialog);

G_END_DECLS
