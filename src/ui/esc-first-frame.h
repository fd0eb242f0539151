/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* For bench/startup. Whether @window shows what it is for yet (not a loading page). */
typedef gboolean (*EscFirstFrameReadyFunc) (GtkWindow *window);

void esc_first_frame_watch (GtkWindow              *window,
                            EscFirstFrameReadyFunc  ready);

G_END_DECLS
