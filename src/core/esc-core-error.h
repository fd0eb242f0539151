/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ESC_CORE_ERROR (esc_core_error_quark ())

typedef enum
{
  ESC_CORE_ERROR_INVALID_JSON,
  ESC_CORE_ERROR_MISSING_FIELD,
  ESC_CORE_ERROR_INVALID_VALUE,
} EscCoreError;

GQuark esc_core_error_quark (void);

G_END_DECLS
