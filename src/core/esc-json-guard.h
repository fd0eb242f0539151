/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper nesting than any document of the v1 API needs. */
#define ESC_JSON_GUARD_MAX_DEPTH 64

gboolean esc_json_guard_check (const char  *data,
                               gsize        length,
                               guint        max_depth,
                               GError     **error);

G_END_DECLS
