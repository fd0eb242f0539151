/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-account.h"
#include "esc-outbox-sender.h"
#include "esc-sync.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_WINDOW (esc_window_get_type ())

G_DECLARE_FINAL_TYPE (EscWindow, esc_window, ESC, WINDOW, AdwApplicationWindow)

EscWindow    *esc_window_new                  (GtkApplication *application,
                                               EscAccount     *account);
/* Shows the screens once the workspace is open. */
void          esc_window_set_workspace        (EscWindow      *self,
                                               EscWorkspace   *workspace);
EscWorkspace *esc_window_get_workspace        (EscWindow      *self);
/* Shows why the workspace could not be opened, in the window and in a dialog. */
void          esc_window_show_workspace_error (EscWindow      *self,
                                               const GError   *error);
/* The Requests screen's outbox sender and sync (nullable until the workspace is open) */
void          esc_window_set_connection       (EscWindow       *self,
                                               EscOutboxSender *sender,
                                               EscSync         *sync);
/* Shows the Requests screen with the request @id selected */
void          esc_window_show_request         (EscWindow      *self,
                                               const char     *id);
/* "requests", "roles", "routing", … */
void          esc_window_set_screen           (EscWindow      *self,
                                               const char     *name);
const char   *esc_window_get_screen           (EscWindow      *self);
void          esc_window_add_toast            (EscWindow      *self,
                                               const char     *title);

G_END_DECLS
