/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ESC_API_ERROR (esc_api_error_quark ())

typedef enum
{
  ESC_API_ERROR_FAILED,
  ESC_API_ERROR_INVALID_URL,       /* not http(s), or plain http to a host other than loopback */
  ESC_API_ERROR_UNREACHABLE,       /* connection refused, no route, name not resolved */
  ESC_API_ERROR_TIMED_OUT,
  ESC_API_ERROR_TLS,               /* the certificate is not trusted */
  ESC_API_ERROR_UNAUTHORIZED,      /* 401: token missing, revoked or expired */
  ESC_API_ERROR_FORBIDDEN,         /* 403, with the service's reason */
  ESC_API_ERROR_NOT_FOUND,         /* 404 */
  ESC_API_ERROR_UNPROCESSABLE,     /* 422, with the service's detail */
  ESC_API_ERROR_SERVER,            /* 5xx */
  ESC_API_ERROR_NOT_ESCALADE,      /* answered, but not as an Escalade v1 service */
  ESC_API_ERROR_INVALID_RESPONSE,  /* garbled or truncated JSON */
} EscApiError;

GQuark esc_api_error_quark (void);

G_END_DECLS
