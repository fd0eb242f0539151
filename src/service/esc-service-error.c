/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include "esc-service-error.h"

G_DEFINE_QUARK (esc-service-error-quark, esc_service_error)
