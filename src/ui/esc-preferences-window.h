/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_PREFERENCES_WINDOW (esc_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (EscPreferencesWindow, esc_preferences_window, ESC, PREFERENCES_WINDOW, AdwPreferencesWindow)

EscPreferencesWindow *esc_preferences_window_new        (GtkWindow            *parent,
                                                         EscSession           *session);
/* For tests: the status line ("Connected as …" or the error) */
const char           *esc_preferences_window_get_status (EscPreferencesWindow *self);

G_END_DECLS
