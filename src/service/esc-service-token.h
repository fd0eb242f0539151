/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every token starts with this, so leaked tokens are easy to recognise (and to scan for). */
#define ESC_SERVICE_TOKEN_PREFIX "esc_"

char     *esc_service_token_generate  (GError     **error);
char     *esc_service_token_hash      (const char  *token);
gboolean  esc_service_token_is_wellformed (const char *token);

G_END_DECLS
