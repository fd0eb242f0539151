/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-staff-member.h"

G_BEGIN_DECLS

#define ESC_API_ERROR (esc_api_error_quark ())

typedef enum
{
  ESC_API_ERROR_FAILED,
  ESC_API_ERROR_INVALID_URL,       /* not http(s), or plain http to a host other than loopback */
  ESC_API_ERROR_UNREACHABLE,       /* connection refused, no route, name not resolved */
  ESC_API_ERROR_TIMED_OUT,
  ESC_API_ERROR_TLS,               /* the certificate is not trusted: see esc_api_error_get_peer_certificate() */
  ESC_API_ERROR_UNAUTHORIZED,      /* 401: token missing, revoked or expired */
  ESC_API_ERROR_FORBIDDEN,         /* 403, with the service's reason */
  ESC_API_ERROR_NOT_FOUND,         /* 404 */
  ESC_API_ERROR_UNPROCESSABLE,     /* 422, with the service's detail: see esc_api_error_get_field() */
  ESC_API_ERROR_SERVER,            /* 5xx */
  ESC_API_ERROR_NOT_ESCALADE,      /* answered, but not as an Escalade v1 service */
  ESC_API_ERROR_INVALID_RESPONSE,  /* garbled or truncated JSON */
  ESC_API_ERROR_CONFLICT,          /* 409: the resource's state forbids it (or the same key is in flight) */
  ESC_API_ERROR_BAD_REQUEST,       /* 400, 413, 415: the service could not take the request as sent */
  ESC_API_ERROR_PRECONDITION_FAILED, /* 412: changed meanwhile (If-Match): see esc_api_error_get_current_staff_member() */
} EscApiError;

GQuark               esc_api_error_quark                (void);

/* What an ESC_API_ERROR carries besides its message; each is 0 or NULL when
 * unknown, and for errors of other domains. */

/* The HTTP status the service answered with */
guint                esc_api_error_get_status           (const GError *error);
/* The problem's "type" URI (RFC 7807) */
const char          *esc_api_error_get_problem_type     (const GError *error);
/* The problem's "detail", as the service wrote it */
const char          *esc_api_error_get_detail           (const GError *error);
/* For a 422: the first field the service named in "invalid_params" ("contact.email") */
const char          *esc_api_error_get_field            (const GError *error);
/* For a 422: the reason given for that field */
const char          *esc_api_error_get_field_reason     (const GError *error);
/* For a 412 of PUT /v1/staff/{id}/designations: the person as they are now
 * on the service (the problem's "current" member), to show beside the
 * change that was refused; (transfer none) */
EscStaffMember      *esc_api_error_get_current_staff_member (const GError *error);
/* For a 422 of POST /v1/staff/import: every bad row of the file (the
 * problem's "errors" member); (transfer none) (element-type EscStaffImportError) */
GPtrArray           *esc_api_error_get_import_errors    (const GError *error);
/* For ESC_API_ERROR_TLS: the certificate the service presented, to show the
 * user and, if they trust it, give to esc_client_trust_certificate() */
GTlsCertificate     *esc_api_error_get_peer_certificate (const GError *error);
GTlsCertificateFlags esc_api_error_get_tls_errors       (const GError *error);

/* TRUE when sending the same request again later may work: the service was
 * unreachable, timed out, failed (5xx) or answered something unreadable. A
 * refusal (400, 403, 404, 409, 422) is final; 401 waits for a new sign-in. */
gboolean             esc_api_error_is_transient         (const GError *error);

/* Internal to src/api: sets the extra data of an ESC_API_ERROR. */
void                 esc_api_error_set_details          (GError          *error,
                                                         guint            status,
                                                         const char      *problem_type,
                                                         const char      *detail,
                                                         const char      *field,
                                                         const char      *field_reason);
void                 esc_api_error_set_extensions       (GError          *error,
                                                         EscStaffMember  *current,
                                                         GPtrArray       *import_errors);
void                 esc_api_error_set_peer_certificate (GError              *error,
                                                         GTlsCertificate     *certificate,
                                                         GTlsCertificateFlags errors);

G_END_DECLS
