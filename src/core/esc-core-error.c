/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include "esc-core-error.h"

G_DEFINE_QUARK (esc-core-error-quark, esc_core_error)
