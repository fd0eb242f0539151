/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-elevation-page.h"
#include "esc-sla-page.h"
#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_WINDOW (esc_window_get_type ())

G_DECLARE_FINAL_TYPE (EscWindow, esc_window, ESC, WINDOW, AdwApplicationWindow)

/* A window onto @session: the loading page, then its screens once the session's workspace is
 * open, or why it could not be opened */
EscWindow    *esc_window_new                  (GtkApplication *application,
                                               EscSession     *session);
EscSession   *esc_window_get_session          (EscWindow      *self);
/* Shows the Requests screen with the request @id selected */
void          esc_window_show_request         (EscWindow      *self,
                                               const char     *id);
/* "requests", "roles", "routing", … */
void          esc_window_set_screen           (EscWindow      *self,
                                               const char     *name);
const char   *esc_window_get_screen           (EscWindow      *self);
void          esc_window_add_toast            (EscWindow      *self,
                                               const char     *title);
/* The Elevation screen, built if it was not yet */
EscElevationPage *esc_window_get_elevation_page (EscWindow    *self);
EscSlaPage       *esc_window_get_sla_page       (EscWindow    *self);

G_END_DECLS
