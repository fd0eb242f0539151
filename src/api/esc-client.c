/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-api-error.h"
#include "esc-api-private.h"
#include "esc-client.h"

#define DEFAULT_TIMEOUT_SECONDS 20
#define IDLE_TIMEOUT_SECONDS    60

/* The client of the service's v1 API. It owns the one SoupSession of the
 * application and turns every way a request can go wrong into an
 * ESC_API_ERROR with a message the user can act on. */
struct _EscClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  guint        timeout;
};

G_DEFINE_FINAL_TYPE (EscClient, esc_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a request needs once it has left: the base URL may change meanwhile. */
typedef struct
{
  SoupMessage *message;
  char        *base_url;
  guint        timeout;
} EscRequest;

static void
esc_request_free (EscRequest *request)
{
  g_clear_object (&request->message);
  g_clear_pointer (&request->base_url, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscRequest, esc_request_free)

static void
esc_client_dispose (GObject *object)
{
  EscClient *self = (EscClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_client_parent_class)->dispose (object);
}

static void
esc_client_finalize (GObject *object)
{
  EscClient *self = (EscClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, esc_api_free_secret);

  G_OBJECT_CLASS (esc_client_parent_class)->finalize (object);
}

static void
esc_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EscClient *self = ESC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_client_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EscClient *self = ESC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      esc_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_client_class_init (EscClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_client_dispose;
  object_class->finalize = esc_client_finalize;
  object_class->get_property = esc_client_get_property;
  object_class->set_property = esc_client_set_property;

  /* Set through esc_client_set_base_url(), which validates it. */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_client_init (EscClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  /* TLS is verified against the system's trust store, and never overridden. */
  self->session = soup_session_new_with_options ("user-agent", "Escalade/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                                 NULL);
}

/**
 * esc_client_new:
 *
 * Returns: (transfer full): a new #EscClient, without a base URL or token
 */
EscClient *
esc_client_new (void)
{
  return g_object_new (ESC_TYPE_CLIENT, NULL);
}

static gboolean
host_is_valid (const char *host)
{
  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* GUri accepts anything between "//" and the port; a name has letters,
   * digits, hyphens and dots (or non-ASCII letters, for IDN). */
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && (guchar)*p < 0x80)
        return FALSE;
    }

  return TRUE;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* Only a literal address is trusted: a name could resolve anywhere. */
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * esc_client_set_base_url:
 * @self: a #EscClient
 * @base_url: (nullable): the service's address, e.g. "https://escalade.example.org"
 * @error: return location for a #GError
 *
 * Validates and sets the service's base URL. It must be an http or https
 * URL with a host, no user name or password, no query and no fragment;
 * plain http is only accepted for a loopback host (127.0.0.0/8, ::1 or
 * localhost), so that the token never crosses a network in clear. A
 * trailing slash is removed. On error the base URL is left unchanged.
 *
 * Returns: %TRUE on success, %FALSE with @error set to
 *   %ESC_API_ERROR_INVALID_URL otherwise
 */
gboolean
esc_client_set_base_url (EscClient   *self,
                         const char  *base_url,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *path = NULL;
  g_autofree char *normalized = NULL;
  const char *host;
  gsize path_len;

  g_return_val_if_fail (ESC_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (base_url == NULL)
    {
      if (self->base_url != NULL)
        {
          g_clear_pointer (&self->base_url, g_free);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
        }
      return TRUE;
    }

  input = g_strstrip (g_strdup (base_url));

  if (*input == '\0')
    {
      g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                           _("The service address is empty"));
      return FALSE;
    }

  scheme = g_uri_parse_scheme (input);
  if (scheme == NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a service address: it must start with https://"),
                   input);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a service address: it must start with https://"),
                   input);
      return FALSE;
    }

  uri = g_uri_parse (input, G_URI_FLAGS_ENCODED_PATH, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: %s"),
                   input, local_error->message);
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: it has no host name"),
                   input);
      return FALSE;
    }

  if (!host_is_valid (host))
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: the host name is not valid"),
                   input);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: it must not contain a user name or password"),
                   input);
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address: it must not contain “?” or “#”"),
                   input);
      return FALSE;
    }

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” uses plain http, which would send your token unencrypted: "
                     "use https://, or http:// only on this computer (127.0.0.1, ::1 or localhost)"),
                   input);
      return FALSE;
    }

  path = g_strdup (g_uri_get_path (uri));
  path_len = strlen (path);
  while (path_len > 0 && path[path_len - 1] == '/')
    path[--path_len] = '\0';

  normalized = g_uri_join (G_URI_FLAGS_ENCODED_PATH,
                           g_uri_get_scheme (uri),
                           NULL,
                           host,
                           g_uri_get_port (uri),
                           path,
                           NULL,
                           NULL);

  if (g_strcmp0 (normalized, self->base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&normalized);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }

  return TRUE;
}

/**
 * esc_client_get_base_url:
 * @self: a #EscClient
 *
 * Returns: (nullable): the normalised base URL, without a trailing slash
 */
const char *
esc_client_get_base_url (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * esc_client_set_token:
 * @self: a #EscClient
 * @token: (nullable): the bearer token, or %NULL to send none
 *
 * Keeps a copy of @token in memory; surrounding white space, as left by a
 * paste, is removed. The previous copy is wiped.
 */
void
esc_client_set_token (EscClient  *self,
                      const char *token)
{
  g_return_if_fail (ESC_IS_CLIENT (self));

  g_clear_pointer (&self->token, esc_api_free_secret);

  if (token != NULL)
    {
      self->token = g_strstrip (g_strdup (token));
      if (*self->token == '\0')
        g_clear_pointer (&self->token, esc_api_free_secret);
    }
}

/**
 * esc_client_set_timeout:
 * @self: a #EscClient
 * @seconds: how long to wait for the service, at least 1
 *
 * Sets how long a connection or a read may stall before the request fails
 * with %ESC_API_ERROR_TIMED_OUT. The default is 20 seconds.
 */
void
esc_client_set_timeout (EscClient *self,
                        guint      seconds)
{
  g_return_if_fail (ESC_IS_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
esc_client_get_timeout (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), 0);
  return self->timeout;
}

static gboolean
token_is_valid (const char *token)
{
  /* Anything else could not travel in a header, or would split it. */
  for (const guchar *p = (const guchar *)token; *p != '\0'; p++)
    {
      if (*p < 0x21 || *p > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static gboolean
on_accept_certificate_cb (SoupMessage          *message,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  /* Never accept: only remember why, to tell the user. */
  g_object_set_data (G_OBJECT (message), "esc-tls-errors", GUINT_TO_POINTER (errors));
  return FALSE;
}

static SoupMessage *
esc_client_new_message (EscClient   *self,
                        const char  *method,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  if (self->base_url == NULL)
    {
      g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                           _("No service address is set"));
      return NULL;
    }

  if (self->token != NULL && !token_is_valid (self->token))
    {
      g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                           _("The token contains spaces or other characters a token cannot have: "
                             "paste it again"));
      return NULL;
    }

  url = g_strconcat (self->base_url, path, NULL);
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid service address"), self->base_url);
      return NULL;
    }

  message = soup_message_new_from_uri (method, uri);

  /* A redirect could lead the token to another host, or to plain http. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), NULL);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");
  if (self->token != NULL)
    {
      g_auto(EscApiSecret) authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  return g_steal_pointer (&message);
}

static char *
describe_tls_errors (GTlsCertificateFlags errors)
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

/* Turns a failure to exchange HTTP at all into an ESC_API_ERROR. */
static GError *
map_transport_error (GError     *error,
                     EscRequest *request)
{
  const char *url = request->base_url;

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
                                     request->timeout),
                        url, request->timeout);

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags;
      g_autofree char *reasons = NULL;

      flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (request->message), "esc-tls-errors"));
      if (flags == 0)
        flags = soup_message_get_tls_peer_certificate_errors (request->message);

      if (flags != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        {
          reasons = describe_tls_errors (flags);
          return g_error_new (ESC_API_ERROR, ESC_API_ERROR_TLS,
                              _("The service’s certificate is not trusted: %s"),
                              reasons != NULL ? reasons : error->message);
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

static gboolean
content_type_is (SoupMessage *message,
                 const char  *expected)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  return content_type != NULL && g_ascii_strcasecmp (content_type, expected) == 0;
}

static JsonNode *
parse_json (GBytes  *body,
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

/* The service's reason for an error, from its RFC 7807 problem: the detail,
 * else the title. NULL when the answer is not a problem. */
static char *
dup_problem_reason (SoupMessage *message,
                    GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char * const members[] = { "detail", "title" };

  if (!content_type_is (message, "application/problem+json"))
    return NULL;

  root = parse_json (body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (object, members[i]);

      if (node != NULL &&
          JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING &&
          json_node_get_string (node)[0] != '\0')
        return g_strdup (json_node_get_string (node));
    }

  return NULL;
}

/* Checks the status first, then decodes a 2xx JSON body. */
static JsonNode *
decode_response (EscRequest  *request,
                 GBytes      *body,
                 GError     **error)
{
  SoupMessage *message = request->message;
  const char *url = request->base_url;
  guint status = soup_message_get_status (message);
  g_autofree char *reason = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_debug ("%s %s: %u", soup_message_get_method (message),
           g_uri_get_path (soup_message_get_uri (message)), status);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (!content_type_is (message, "application/json"))
        {
          g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_ESCALADE,
                       _("The server at %s answered, but not as an Escalade service"),
                       url);
          return NULL;
        }

      root = parse_json (body, &local_error);
      if (root == NULL)
        {
          g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                       _("The service at %s sent an answer that could not be read: %s"),
                       url, local_error->message);
          return NULL;
        }

      return root;
    }

  reason = dup_problem_reason (message, body);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (reason != NULL)
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                     _("The service did not accept the token: %s"), reason);
      else
        g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                             _("The service did not accept the token"));
      return NULL;

    case SOUP_STATUS_FORBIDDEN:
      if (reason != NULL)
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN,
                     _("The service refused: %s"), reason);
      else
        g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN,
                             _("The service refused: your account is not allowed to do this"));
      return NULL;

    case SOUP_STATUS_NOT_FOUND:
      /* Escalade explains every 404; a bare one comes from another web server. */
      if (reason != NULL)
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND,
                     _("Not found on the service: %s"), reason);
      else
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_ESCALADE,
                     _("The server at %s answered, but not as an Escalade service"),
                     url);
      return NULL;

    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      if (reason != NULL)
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE,
                     _("The service did not accept the request: %s"), reason);
      else
        g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE,
                             _("The service did not accept the request"));
      return NULL;

    default:
      break;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    {
      if (reason != NULL)
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_SERVER,
                     _("The service at %s failed: %s"), url, reason);
      else
        g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_SERVER,
                     _("The service at %s failed (HTTP %u): try again later"), url, status);
      return NULL;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_ESCALADE,
                   _("The server at %s answered, but not as an Escalade service: "
                     "it sends requests elsewhere; check the service address"),
                   url);
      return NULL;
    }

  if (reason != NULL)
    g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_FAILED,
                 _("The service refused the request: %s"), reason);
  else
    g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_FAILED,
                 _("The service at %s answered with an unexpected HTTP status %u"),
                 url, status);
  return NULL;
}

static void
esc_client_get_me_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  EscRequest *request = g_task_get_task_data (task);

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, map_transport_error (error, request));
      return;
    }

  root = decode_response (request, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  identity = esc_identity_new_from_json (root, &error);
  if (identity == NULL)
    {
      g_task_return_new_error (task, ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                               _("The service at %s sent an account that could not be read: %s"),
                               request->base_url, error->message);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&identity), g_object_unref);
}

/**
 * esc_client_get_me_async:
 * @self: a #EscClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the service answered or the request failed
 * @user_data: data for @callback
 *
 * Asks the service who the token belongs to (GET /v1/me).
 */
void
esc_client_get_me_async (EscClient           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscRequest) request = NULL;
  SoupMessage *message;

  g_return_if_fail (ESC_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_client_get_me_async);

  request = g_new0 (EscRequest, 1);
  request->message = esc_client_new_message (self, SOUP_METHOD_GET, "/v1/me", &error);
  if (request->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  request->base_url = g_strdup (self->base_url);
  request->timeout = self->timeout;
  message = request->message;
  g_task_set_task_data (task, g_steal_pointer (&request), (GDestroyNotify)esc_request_free);

  soup_session_send_and_read_async (self->session,
                                    message,
                                    G_PRIORITY_DEFAULT,
                                    cancellable,
                                    esc_client_get_me_cb,
                                    g_object_ref (task));
}

/**
 * esc_client_get_me_finish:
 * @self: a #EscClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError in the %ESC_API_ERROR domain, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the caller's identity, or %NULL with @error set
 */
EscIdentity *
esc_client_get_me_finish (EscClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == esc_client_get_me_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
