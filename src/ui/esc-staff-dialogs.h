/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

/* The Staff & access screen's dialogs that talk to the service at once
 * (they change who may sign in, so they wait for its answer): add one
 * person, import people from a CSV file, remove a person's access. */
void esc_staff_show_add_dialog        (GtkWidget   *parent,
                                       EscSession  *session);
void esc_staff_show_import_dialog     (GtkWidget   *parent,
                                       EscSession  *session);
void esc_staff_confirm_remove_access  (GtkWindow   *parent,
                                       EscSession  *session,
                                       gint64       staff_id,
                                       const char  *name);
/* For the tests: the import dialog @window checks @text as if it were the
 * file @name chosen in the file chooser */
void esc_staff_import_dialog_check_file (GtkWidget   *window,
                                         const char  *name,
                                         const char  *text);

G_END_DECLS
