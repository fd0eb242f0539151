/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-api-error.h"
#include "esc-staff-import.h"

/* ESC_API_ERROR is an extended error domain: besides the message for the
 * user, it carries what the code needs to act (the status, the field of a
 * 422, the certificate of an untrusted service). */
typedef struct
{
  guint                status;
  char                *problem_type;
  char                *detail;
  char                *field;
  char                *field_reason;
  GTlsCertificate     *peer_certificate;
  GTlsCertificateFlags tls_errors;
  EscStaffMember      *current;        /* 412 */
  GPtrArray           *import_errors;  /* 422 of an import */
} EscApiErrorPrivate;

static void
esc_api_error_private_init (EscApiErrorPrivate *priv)
{
}

static void
esc_api_error_private_copy (const EscApiErrorPrivate *src,
                            EscApiErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->problem_type = g_strdup (src->problem_type);
  dest->detail = g_strdup (src->detail);
  dest->field = g_strdup (src->field);
  dest->field_reason = g_strdup (src->field_reason);
  dest->peer_certificate = src->peer_certificate != NULL ? g_object_ref (src->peer_certificate) : NULL;
  dest->tls_errors = src->tls_errors;
  dest->current = src->current != NULL ? g_object_ref (src->current) : NULL;
  dest->import_errors = src->import_errors != NULL ? g_ptr_array_ref (src->import_errors) : NULL;
}

static void
esc_api_error_private_clear (EscApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->problem_type, g_free);
  g_clear_pointer (&priv->detail, g_free);
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->field_reason, g_free);
  g_clear_object (&priv->peer_certificate);
  g_clear_object (&priv->current);
  g_clear_pointer (&priv->import_errors, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (EscApiError, esc_api_error)

static EscApiErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != ESC_API_ERROR)
    return NULL;

  return esc_api_error_get_private (error);
}

guint
esc_api_error_get_status (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->status : 0;
}

const char *
esc_api_error_get_problem_type (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->problem_type : NULL;
}

const char *
esc_api_error_get_detail (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->detail : NULL;
}

const char *
esc_api_error_get_field (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field : NULL;
}

const char *
esc_api_error_get_field_reason (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->field_reason : NULL;
}

/**
 * esc_api_error_get_current_staff_member:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable): for an
 *   %ESC_API_ERROR_PRECONDITION_FAILED of a designation change, the person
 *   as the service has them now
 */
EscStaffMember *
esc_api_error_get_current_staff_member (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->current : NULL;
}

/**
 * esc_api_error_get_import_errors:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable) (element-type EscStaffImportError): for
 *   an %ESC_API_ERROR_UNPROCESSABLE of a staff import, every bad row with its
 *   line and reason
 */
GPtrArray *
esc_api_error_get_import_errors (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->import_errors : NULL;
}

/**
 * esc_api_error_get_peer_certificate:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable): the certificate of the service that
 *   was not trusted, for an %ESC_API_ERROR_TLS
 */
GTlsCertificate *
esc_api_error_get_peer_certificate (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->peer_certificate : NULL;
}

GTlsCertificateFlags
esc_api_error_get_tls_errors (const GError *error)
{
  EscApiErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->tls_errors : 0;
}

/**
 * esc_api_error_is_transient:
 * @error: a #GError
 *
 * Returns: %TRUE if the same request may succeed when sent again later
 */
gboolean
esc_api_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != ESC_API_ERROR)
    return FALSE;

  switch ((EscApiError)error->code)
    {
    case ESC_API_ERROR_UNREACHABLE:
    case ESC_API_ERROR_TIMED_OUT:
    case ESC_API_ERROR_SERVER:
    case ESC_API_ERROR_INVALID_RESPONSE:
    case ESC_API_ERROR_NOT_ESCALADE:
    case ESC_API_ERROR_FAILED:
      return TRUE;

    case ESC_API_ERROR_CONFLICT:
      /* The same idempotency key still being processed: try again. */
      return g_strcmp0 (esc_api_error_get_problem_type (error),
                        "https://escalade.invalid/problems/idempotency-in-progress") == 0;

    case ESC_API_ERROR_INVALID_URL:
    case ESC_API_ERROR_TLS:
    case ESC_API_ERROR_UNAUTHORIZED:
    case ESC_API_ERROR_FORBIDDEN:
    case ESC_API_ERROR_NOT_FOUND:
    case ESC_API_ERROR_UNPROCESSABLE:
    case ESC_API_ERROR_BAD_REQUEST:
    case ESC_API_ERROR_PRECONDITION_FAILED:
    default:
      return FALSE;
    }
}

void
esc_api_error_set_details (GError     *error,
                           guint       status,
                           const char *problem_type,
                           const char *detail,
                           const char *field,
                           const char *field_reason)
{
  EscApiErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  priv->status = status;
  g_free (priv->problem_type);
  priv->problem_type = g_strdup (problem_type);
  g_free (priv->detail);
  priv->detail = g_strdup (detail);
  g_free (priv->field);
  priv->field = g_strdup (field);
  g_free (priv->field_reason);
  priv->field_reason = g_strdup (field_reason);
}

void
esc_api_error_set_extensions (GError         *error,
                              EscStaffMember *current,
                              GPtrArray      *import_errors)
{
  EscApiErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  g_set_object (&priv->current, current);
  if (import_errors != NULL)
    g_ptr_array_ref (import_errors);
  g_clear_pointer (&priv->import_errors, g_ptr_array_unref);
  priv->import_errors = import_errors;
}

void
esc_api_error_set_peer_certificate (GError              *error,
                                    GTlsCertificate     *certificate,
                                    GTlsCertificateFlags errors)
{
  EscApiErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  g_set_object (&priv->peer_certificate, certificate);
  priv->tls_errors = errors;
}
