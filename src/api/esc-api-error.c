/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-api-error.h"

G_DEFINE_QUARK (esc-api-error-quark, esc_api_error)
