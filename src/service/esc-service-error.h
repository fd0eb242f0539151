/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ESC_SERVICE_ERROR (esc_service_error_quark ())

typedef enum
{
  ESC_SERVICE_ERROR_FAILED,
  ESC_SERVICE_ERROR_DATABASE,
  ESC_SERVICE_ERROR_SCHEMA_TOO_NEW,
  ESC_SERVICE_ERROR_INVALID_ARGUMENT,
  ESC_SERVICE_ERROR_NOT_FOUND,
  ESC_SERVICE_ERROR_UNKNOWN_TOKEN,
  ESC_SERVICE_ERROR_REVOKED_TOKEN,
  ESC_SERVICE_ERROR_EXPIRED_TOKEN,
  ESC_SERVICE_ERROR_DISABLED_PERSON,
  ESC_SERVICE_ERROR_CONFLICT,
  /* The database cannot be reached now (PostgreSQL restarting, connection
   * lost, no pooled connection free in time): nothing was written; answered
   * 503 with Retry-After */
  ESC_SERVICE_ERROR_UNAVAILABLE,
} EscServiceError;

GQuark esc_service_error_quark (void);

G_END_DECLS
