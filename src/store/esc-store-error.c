/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include "esc-store-error.h"

G_DEFINE_QUARK (esc-store-error-quark, esc_store_error)
