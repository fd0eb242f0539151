/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-client-answer.h"
#include "esc-json-guard.h"
#include "esc-staff-import.h"
#include "esc-staff-member.h"

char *
esc_client_describe_tls_errors (GTlsCertificateFlags errors)
{
  g_autoptr(GString) str = g_string_new (NULL);
  struct {
    GTlsCertificateFlags flag;
    const char *text;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA, N_("it is not signed by a known certificate authority") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it was not issued for this host") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("it uses an insecure algorithm") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if ((errors & reasons[i].flag) == 0)
        continue;
      if (str->len > 0)
        g_string_append (str, _(", "));
      g_string_append (str, _(reasons[i].text));
    }

  if (str->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&str), FALSE);
}

gboolean
esc_client_content_type_is (SoupMessage *message,
                 const char  *expected)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  return content_type != NULL && g_ascii_strcasecmp (content_type, expected) == 0;
}

JsonNode *
esc_client_parse_json (GBytes  *body,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gconstpointer data;
  gsize size = 0;

  data = body != NULL ? g_bytes_get_data (body, &size) : NULL;
  if (size == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("the answer is empty"));
      return NULL;
    }

  /* json-glib 1.6 has no nesting limit: a hostile or broken answer could
   * overflow the stack. The guard refuses what no v1 answer looks like. */
  if (!esc_json_guard_check (data, size, ESC_JSON_GUARD_MAX_DEPTH, error))
    return NULL;

  if (size > G_MAXSSIZE || !json_parser_load_from_data (parser, data, size, error))
    return NULL;

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("the answer is empty"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

void
esc_client_problem_clear (EscClientProblem *problem)
{
  g_clear_pointer (&problem->type, g_free);
  g_clear_pointer (&problem->reason, g_free);
  g_clear_pointer (&problem->detail, g_free);
  g_clear_pointer (&problem->field, g_free);
  g_clear_pointer (&problem->field_reason, g_free);
  g_clear_pointer (&problem->current, json_node_unref);
  g_clear_pointer (&problem->errors, json_node_unref);
}

static char *
dup_member_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      json_node_get_string (node)[0] == '\0')
    return NULL;

  return g_strdup (json_node_get_string (node));
}

void
esc_client_read_problem (SoupMessage *message,
              GBytes      *body,
              EscClientProblem     *problem)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *params;

  if (!esc_client_content_type_is (message, "application/problem+json"))
    return;

  root = esc_client_parse_json (body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  problem->type = dup_member_string (object, "type");
  problem->detail = dup_member_string (object, "detail");
  problem->reason = problem->detail != NULL ? g_strdup (problem->detail)
                                            : dup_member_string (object, "title");

  /* The field as a JSON pointer ("/contact/email"), or the first invalid_params. */
  problem->field = dup_member_string (object, "field");

  /* Extension members: the person as they are now (412), the bad rows of
   * an import (422). Read when the error is made. */
  if (json_object_has_member (object, "current"))
    problem->current = json_node_copy (json_object_get_member (object, "current"));
  if (json_object_has_member (object, "errors"))
    problem->errors = json_node_copy (json_object_get_member (object, "errors"));

  params = json_object_get_member (object, "invalid_params");
  if (params != NULL && JSON_NODE_HOLDS_ARRAY (params) &&
      json_array_get_length (json_node_get_array (params)) > 0)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (params), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        {
          if (problem->field == NULL)
            problem->field = dup_member_string (json_node_get_object (first), "name");
          problem->field_reason = dup_member_string (json_node_get_object (first), "reason");
        }
    }
}

GError *
esc_client_problem_error (guint       status,
               EscClientProblem    *problem,
               gint        code,
               const char *format,
               ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (ESC_API_ERROR, code, format, args);
  va_end (args);

  esc_api_error_set_details (error, status, problem->type, problem->detail,
                             problem->field, problem->field_reason);

  /* An extension that cannot be read is left out: the error stays what the
   * status says. */
  if (problem->current != NULL || problem->errors != NULL)
    {
      g_autoptr(EscStaffMember) current = NULL;
      g_autoptr(GPtrArray) import_errors = NULL;

      if (problem->current != NULL)
        current = esc_staff_member_new_from_json (problem->current, NULL);
      if (problem->errors != NULL)
        import_errors = esc_staff_import_errors_from_json (problem->errors, NULL);
      esc_api_error_set_extensions (error, current, import_errors);
    }

  return error;
}

GError *
esc_client_map_transport_error (GError               *error,
                                SoupMessage          *message,
                                const char           *url,
                                guint                 timeout,
                                GTlsCertificate      *peer_certificate,
                                GTlsCertificateFlags  tls_errors)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
      error->domain == G_RESOLVER_ERROR)
    return g_error_new (ESC_API_ERROR, ESC_API_ERROR_UNREACHABLE,
                        _("Could not reach the service at %s: %s"),
                        url, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (ESC_API_ERROR, ESC_API_ERROR_TIMED_OUT,
                        g_dngettext (GETTEXT_PACKAGE,
                                     "The service at %s did not answer within %u second",
                                     "The service at %s did not answer within %u seconds",
                                     timeout),
                        url, timeout);

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = tls_errors;
      g_autofree char *reasons = NULL;
      GError *tls_error;

      if (flags == 0)
        flags = soup_message_get_tls_peer_certificate_errors (message);

      if (flags != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        {
          reasons = esc_client_describe_tls_errors (flags);
          tls_error = g_error_new (ESC_API_ERROR, ESC_API_ERROR_TLS,
                                   _("The service’s certificate is not trusted: %s"),
                                   reasons != NULL ? reasons : error->message);
          esc_api_error_set_peer_certificate (tls_error, peer_certificate, flags);
          return tls_error;
        }

      return g_error_new (ESC_API_ERROR, ESC_API_ERROR_TLS,
                          _("Could not open a secure connection to %s: %s"),
                          url, error->message);
    }

  /* The headers or the body could not be read: whatever answered is not us. */
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING) ||
      g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return g_error_new (ESC_API_ERROR, ESC_API_ERROR_NOT_ESCALADE,
                        _("The server at %s answered, but not as an Escalade service"),
                        url);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return g_error_new (ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                        _("The answer of the service at %s was cut short"),
                        url);

  return g_error_new (ESC_API_ERROR, ESC_API_ERROR_FAILED,
                      _("Could not talk to the service at %s: %s"),
                      url, error->message);
}

JsonNode *
esc_client_decode_response (SoupMessage  *message,
                            const char   *url,
                            GBytes       *body,
                            GError      **error)
{
  guint status = soup_message_get_status (message);
  g_auto(EscClientProblem) problem = { NULL, };
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_debug ("%s %s: %u", soup_message_get_method (message),
           g_uri_get_path (soup_message_get_uri (message)), status);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (!esc_client_content_type_is (message, "application/json"))
        {
          g_propagate_error (error, esc_client_problem_error (status, &problem, ESC_API_ERROR_NOT_ESCALADE,
                                                   _("The server at %s answered, but not as an "
                                                     "Escalade service"),
                                                   url));
          return NULL;
        }

      root = esc_client_parse_json (body, &local_error);
      if (root == NULL)
        {
          g_propagate_error (error, esc_client_problem_error (status, &problem, ESC_API_ERROR_INVALID_RESPONSE,
                                                   _("The service at %s sent an answer that could "
                                                     "not be read: %s"),
                                                   url, local_error->message));
          return NULL;
        }

      return root;
    }

  esc_client_read_problem (message, body, &problem);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_UNAUTHORIZED,
                                _("The service did not accept the token: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_UNAUTHORIZED, "%s",
                                _("The service did not accept the token"));
      return NULL;

    case SOUP_STATUS_FORBIDDEN:
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_FORBIDDEN,
                                _("The service refused: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_FORBIDDEN, "%s",
                                _("The service refused: your account is not allowed to do this"));
      return NULL;

    case SOUP_STATUS_NOT_FOUND:
      /* Escalade explains every 404; a bare one comes from another web server. */
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_NOT_FOUND,
                                _("Not found on the service: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_NOT_ESCALADE,
                                _("The server at %s answered, but not as an Escalade service"),
                                url);
      return NULL;

    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      if (problem.reason != NULL && problem.field != NULL && problem.field_reason != NULL &&
          g_strcmp0 (problem.reason, problem.field_reason) != 0)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_UNPROCESSABLE,
                                /* Translators: the service's explanation, then the field at
                                 * fault (e.g. contact.email) and what is wrong with it */
                                _("The service did not accept the request: %s (%s: %s)"),
                                problem.reason, problem.field, problem.field_reason);
      else if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_UNPROCESSABLE,
                                _("The service did not accept the request: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_UNPROCESSABLE, "%s",
                                _("The service did not accept the request"));
      return NULL;

    case SOUP_STATUS_PRECONDITION_FAILED:
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_PRECONDITION_FAILED,
                                _("Changed meanwhile on the service: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_PRECONDITION_FAILED, "%s",
                                _("Changed meanwhile on the service"));
      return NULL;

    case SOUP_STATUS_CONFLICT:
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_CONFLICT,
                                _("The service cannot do this now: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_CONFLICT, "%s",
                                _("The service cannot do this now"));
      return NULL;

    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_BAD_REQUEST,
                                _("The service could not take the request: %s"), problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_BAD_REQUEST,
                                _("The service could not take the request (HTTP %u)"), status);
      return NULL;

    case SOUP_STATUS_REQUEST_TIMEOUT:
    case 429:  /* Too Many Requests */
      /* Busy: worth another try later, like a 5xx. */
      *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_SERVER,
                              _("The service at %s is busy (HTTP %u): try again later"),
                              url, status);
      return NULL;

    default:
      break;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      if (problem.reason != NULL)
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_SERVER,
                                _("The service at %s failed: %s"), url, problem.reason);
      else
        *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_SERVER,
                                _("The service at %s failed (HTTP %u): try again later"),
                                url, status);
      return NULL;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_NOT_ESCALADE,
                              _("The server at %s answered, but not as an Escalade service: "
                                "it sends requests elsewhere; check the service address"),
                              url);
      return NULL;
    }

  if (problem.reason != NULL)
    *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_BAD_REQUEST,
                            _("The service refused the request: %s"), problem.reason);
  else
    *error = esc_client_problem_error (status, &problem, ESC_API_ERROR_BAD_REQUEST,
                            _("The service at %s answered with an unexpected HTTP status %u"),
                            url, status);
  return NULL;
}
