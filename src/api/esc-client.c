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
#include "esc-client-private.h"
#include "esc-client-answer.h"

#define DEFAULT_TIMEOUT_SECONDS 20

/* How long a kept-alive connection may stay unused before the client closes
 * it: shorter than the service's own idle deadline, so the service rarely
 * closes one under a request the client is about to send. */
#define DEFAULT_IDLE_TIMEOUT_MSEC (20 * 1000)

/* The client of the service's v1 API. It owns the one SoupSession of the
 * application and turns every way a request can go wrong into an
 * ESC_API_ERROR with a message the user can act on. */
struct _EscClient
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;
  char         *token;
  guint         timeout;

  /* base URL → "sha256:…" of the certificate the user trusted */
  GHashTable   *trusted;
  EscWorkspace *workspace;

  /* Closing idle connections ourselves: see close_idle_connections_cb() */
  guint         in_flight;
  guint         idle_timeout_msec;
  guint         idle_source;

  /* The last answer, of any status (monotonic µs, 0: none yet) */
  gint64        last_answer;
  /* An overloaded service's "come back later" (a 503 with Retry-After, real µs) */
  gint64        busy_until;

  guint         reachable : 1;
  guint         busy : 1;
};

G_DEFINE_FINAL_TYPE (EscClient, esc_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  PROP_REACHABLE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void set_reachable (EscClient *self,
                           gboolean   reachable);
static void set_busy      (EscClient *self,
                           gboolean   busy,
                           gint64     until);

/* The settings key, in the workspace, of the certificate trusted for a URL. */
#define TRUST_SETTING_PREFIX "trusted-certificate:"

/* The largest answer read from the service (a page of 500 requests is
 * well under 2 MiB): a broken or hostile service cannot fill the memory. */
#define MAX_ANSWER_BYTES (16 * 1024 * 1024)
#define READ_CHUNK_BYTES (64 * 1024)

/* What a request needs once it has left: the base URL may change meanwhile. */
typedef struct
{
  EscClient            *client;  /* borrowed: the task holds a reference */
  SoupMessage          *message;
  char                 *base_url;
  guint                 timeout;
  EscClientDecodeFunc   decode;
  GDestroyNotify        free_result;
  GTlsCertificate      *peer_certificate;
  GTlsCertificateFlags  tls_errors;
  gboolean              secret;  /* the answer holds a password: wipe it once decoded */
  GInputStream         *input;   /* the answer's body, while it is read */
  GByteArray           *received;
} EscRequest;

/* Turns a failure to exchange HTTP at all into an ESC_API_ERROR. */
static GError *
map_transport_error (GError     *error,
                     EscRequest *request)
{
  return esc_client_map_transport_error (error, request->message, request->base_url,
                                         request->timeout, request->peer_certificate,
                                         request->tls_errors);
}

static void
esc_request_free (EscRequest *request)
{
  if (request->received != NULL)
    {
      if (request->secret)
        esc_api_wipe (request->received->data, request->received->len);
      g_byte_array_unref (request->received);
    }
  g_clear_object (&request->input);
  if (request->message != NULL)
    g_signal_handlers_disconnect_by_data (request->message, request);
  g_clear_object (&request->message);
  g_clear_object (&request->peer_certificate);
  g_clear_pointer (&request->base_url, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscRequest, esc_request_free)

static void
esc_client_dispose (GObject *object)
{
  EscClient *self = (EscClient *)object;

  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (esc_client_parent_class)->dispose (object);
}

static void
esc_client_finalize (GObject *object)
{
  EscClient *self = (EscClient *)object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, esc_api_free_secret);
  g_clear_pointer (&self->trusted, g_hash_table_unref);

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
    case PROP_REACHABLE:
      g_value_set_boolean (value, self->reachable);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
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

  /* Whether the service answered the last request that reached an end:
   * FALSE after a request could not connect or timed out, TRUE again as
   * soon as any answer comes, whatever its status. */
  properties[PROP_REACHABLE] =
    g_param_spec_boolean ("reachable", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Whether the last answer was the service saying it is overloaded (503):
   * see esc_client_get_busy_until() */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_client_init (EscClient *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->idle_timeout_msec = DEFAULT_IDLE_TIMEOUT_MSEC;
  self->reachable = TRUE;
  self->trusted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* TLS is verified against the system's trust store, and never overridden.
   * libsoup's own "idle-timeout" stays 0 (off): see close_idle_connections_cb(). */
  self->session = soup_session_new_with_options ("user-agent", "Escalade/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 "idle-timeout", 0,
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
  g_autofree char *normalized = NULL;

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

  if (!(normalized = esc_client_normalize_url (base_url, error)))
    return FALSE;

  if (g_strcmp0 (normalized, self->base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&normalized);
      /* Another service: nothing is known of it yet */
      set_busy (self, FALSE, 0);
      self->last_answer = 0;
      set_reachable (self, TRUE);
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
esc_client_certificate_is_trusted (EscClient            *self,
                                   const char           *base_url,
                                   GTlsCertificate      *certificate,
                                   GTlsCertificateFlags  errors)
{
  g_autofree char *fingerprint = NULL;
  g_autofree char *stored = NULL;
  const char *trusted;

  /* Trusting a certificate answers "who signed it" and "is it for this
   * name"; it never makes an expired, revoked or weak certificate good. */
  if ((errors & ~(G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY)) != 0)
    return FALSE;

  trusted = g_hash_table_lookup (self->trusted, base_url);
  if (trusted == NULL && self->workspace != NULL)
    {
      g_autofree char *key = g_strconcat (TRUST_SETTING_PREFIX, base_url, NULL);

      stored = esc_workspace_dup_setting (self->workspace, key);
      trusted = stored;
    }

  if (trusted == NULL)
    return FALSE;

  fingerprint = esc_client_dup_certificate_fingerprint (certificate);
  return fingerprint != NULL && g_str_equal (fingerprint, trusted);
}

static gboolean
on_accept_certificate_cb (SoupMessage          *message,
                          GTlsCertificate      *certificate,
                          GTlsCertificateFlags  errors,
                          gpointer              user_data)
{
  EscRequest *request = user_data;

  if (esc_client_certificate_is_trusted (request->client, request->base_url, certificate, errors))
    {
      g_debug ("Accepting the certificate the user trusted for %s", request->base_url);
      return TRUE;
    }

  /* Refuse, and remember why and what, to tell the user and let them choose. */
  g_set_object (&request->peer_certificate, certificate);
  request->tls_errors = errors;
  return FALSE;
}

static SoupMessage *
esc_client_new_message (EscClient   *self,
                        EscRequest  *request,
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
  g_signal_connect (message, "accept-certificate", G_CALLBACK (on_accept_certificate_cb), request);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json, application/problem+json");
  if (self->token != NULL)
    {
      g_auto(EscApiSecret) authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  return g_steal_pointer (&message);
}

/* Work-around for a use-after-free in libsoup 3.0 to 3.6 (Debian 12 ships
 * 3.2.3). When a kept-alive connection's idle timer ("idle-timeout") becomes
 * due in the main-loop iteration that queues a new request, the queue hands
 * the idle connection to the request and then the timer's idle_timeout()
 * calls soup_connection_disconnect() on it, although it is in use: the
 * connection manager drops its last reference, the message's HTTP/1 I/O
 * data is freed, and reading the answer reads freed memory (the app died in
 * its once-a-minute sync). Upstream: libsoup issue #525, and commit 241788da
 * ("message: always get io_data from connection", first in 3.7.1); even
 * there idle_timeout() does not check that the connection is idle.
 *
 * So libsoup's idle timer stays off, and the client closes idle connections
 * itself: only when none of its requests is queued or running, from this
 * callback, with soup_session_abort(), which closes only the connections in
 * the IDLE state. No connection can be handed to a request in between: every
 * request of the application goes through send_internal(). Without a close,
 * unused connections would stay open until the service drops them. */
static gboolean
close_idle_connections_cb (gpointer user_data)
{
  EscClient *self = user_data;

  self->idle_source = 0;
  if (self->in_flight == 0 && self->session != NULL)
    soup_session_abort (self->session);

  return G_SOURCE_REMOVE;
}

static void
request_started (EscClient *self)
{
  self->in_flight++;
  g_clear_handle_id (&self->idle_source, g_source_remove);
}

static void
request_ended (EscClient *self)
{
  g_assert (self->in_flight > 0);

  self->in_flight--;
  if (self->in_flight == 0 && self->session != NULL && self->idle_source == 0)
    {
      self->idle_source = g_timeout_add_full (G_PRIORITY_DEFAULT, self->idle_timeout_msec,
                                              close_idle_connections_cb, self, NULL);
      g_source_set_name_by_id (self->idle_source, "[escalade] close idle connections");
    }
}

/*
 * esc_client_set_idle_timeout:
 * @self: a #EscClient
 * @msec: how long an unused connection is kept open, in milliseconds
 *
 * For tests; the default is 20 s.
 */
void
esc_client_set_idle_timeout (EscClient *self,
                             guint      msec)
{
  g_return_if_fail (ESC_IS_CLIENT (self));
  g_return_if_fail (msec > 0);

  self->idle_timeout_msec = msec;
}

/*
 * esc_client_get_in_flight:
 * @self: a #EscClient
 *
 * Returns: how many requests are queued or running
 */
guint
esc_client_get_in_flight (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), 0);

  return self->in_flight;
}

static void
set_reachable (EscClient *self,
               gboolean   reachable)
{
  if (self->reachable == !!reachable)
    return;

  self->reachable = !!reachable;
  g_debug ("The service is %s", reachable ? "reachable again" : "unreachable");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

/* The longest wait a Retry-After may ask for: a broken header cannot keep
 * the changes waiting for days. */
#define MAX_RETRY_AFTER_SECONDS (60 * 60)

/* RFC 9110's Retry-After: delay-seconds or an HTTP-date. The real time it
 * names (µs), clamped to an hour from now; 0 when there is none. */
static gint64
parse_retry_after (const char *value)
{
  gint64 now = g_get_real_time ();
  gint64 until = 0;

  if (value == NULL)
    return 0;

  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value))
    {
      guint64 seconds = 0;
      const char *end = NULL;

      seconds = g_ascii_strtoull (value, (char **)&end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end == NULL || *end != '\0')
        return 0;
      until = now + (gint64)MIN (seconds, (guint64)MAX_RETRY_AFTER_SECONDS) * G_USEC_PER_SEC;
    }
  else
    {
      g_autoptr(GDateTime) date = soup_date_time_new_from_http_string (value);

      if (date == NULL)
        return 0;
      until = CLAMP (g_date_time_to_unix (date) * G_USEC_PER_SEC, now,
                     now + (gint64)MAX_RETRY_AFTER_SECONDS * G_USEC_PER_SEC);
    }

  return until;
}

static void
set_busy (EscClient *self,
          gboolean   busy,
          gint64     until)
{
  self->busy_until = busy ? until : 0;
  if (self->busy == !!busy)
    return;

  self->busy = !!busy;
  g_debug ("The service is %s", busy ? "busy" : "no longer busy");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * esc_client_get_busy:
 * @self: a #EscClient
 *
 * Returns: %TRUE when the last answer was a 503: the service (or its
 *   gateway) is overloaded and asked to come back later
 */
gboolean
esc_client_get_busy (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), FALSE);
  return self->busy;
}

/**
 * esc_client_get_busy_until:
 * @self: a #EscClient
 *
 * Returns: while busy, the real time (µs, as g_get_real_time()) before which
 *   the service asked not to be sent anything (its Retry-After, at most an
 *   hour away); 0 when it named none or is not busy
 */
gint64
esc_client_get_busy_until (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), 0);
  return self->busy ? self->busy_until : 0;
}

/**
 * esc_client_get_last_answer:
 * @self: a #EscClient
 *
 * Returns: when the service last answered (monotonic µs, as
 *   g_get_monotonic_time()), whatever it said but a 502, 503 or 504; 0 if
 *   it has not answered since the base URL was set
 */
gint64
esc_client_get_last_answer (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), 0);
  return self->last_answer;
}

/**
 * esc_client_get_reachable:
 * @self: a #EscClient
 *
 * Returns: %FALSE when the last request that ended could not reach the
 *   service (no connection, or no answer in time); %TRUE once any answer
 *   came back, and before the first request
 */
gboolean
esc_client_get_reachable (EscClient *self)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), FALSE);
  return self->reachable;
}

static void
finish_with_body (GTask  *task,
                  GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  EscRequest *request = g_task_get_task_data (task);
  EscClient *self = g_task_get_source_object (task);
  gpointer decoded;

  request_ended (self);
  root = esc_client_decode_response (request->message, request->base_url, body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (request->decode == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&root), (GDestroyNotify)json_node_unref);
      return;
    }

  decoded = request->decode (root, &error);

  /* What the answer held is in the decoded object now: the raw bytes go. */
  if (request->secret)
    esc_api_wipe_bytes (body);

  if (decoded == NULL)
    {
      GError *invalid;

      invalid = g_error_new (ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                             _("The service at %s sent an answer that could not be read: %s"),
                             request->base_url, error->message);
      esc_api_error_set_details (invalid, soup_message_get_status (request->message),
                                 NULL, NULL, NULL, NULL);
      g_task_return_error (task, invalid);
      return;
    }

  g_task_return_pointer (task, decoded, request->free_result);
}

static void
return_too_large (GTask *task)
{
  EscRequest *request = g_task_get_task_data (task);
  GError *error;

  request_ended (g_task_get_source_object (task));

  g_input_stream_close_async (request->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  error = g_error_new (ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                       _("The service at %s sent an answer larger than %u MiB; it was not read"),
                       request->base_url, (guint)(MAX_ANSWER_BYTES / (1024 * 1024)));
  esc_api_error_set_details (error, soup_message_get_status (request->message),
                             NULL, NULL, NULL, NULL);
  g_task_return_error (task, error);
}

static void read_more (GTask *task);

static void
esc_client_read_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  EscRequest *request = g_task_get_task_data (task);
  gsize size;
  const guint8 *data;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      request_ended (g_task_get_source_object (task));
      g_task_return_error (task, map_transport_error (error, request));
      return;
    }

  data = g_bytes_get_data (chunk, &size);
  if (size == 0)
    {
      g_autoptr(GBytes) body = NULL;

      g_input_stream_close_async (request->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      body = g_byte_array_free_to_bytes (g_steal_pointer (&request->received));
      finish_with_body (task, body);
      return;
    }

  if (request->received->len + size > MAX_ANSWER_BYTES)
    {
      if (request->secret)
        esc_api_wipe_bytes (chunk);
      return_too_large (task);
      return;
    }

  g_byte_array_append (request->received, data, size);
  if (request->secret)
    esc_api_wipe_bytes (chunk);
  read_more (g_steal_pointer (&task));
}

static void
read_more (GTask *task)
{
  EscRequest *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->input, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), esc_client_read_cb, task);
}

/* The answer's headers are in: its body is read, up to MAX_ANSWER_BYTES. */
static void
esc_client_send_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  EscRequest *request = g_task_get_task_data (task);
  EscClient *self = g_task_get_source_object (task);
  SoupMessageHeaders *headers;

  request->input = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->input == NULL)
    {
      GError *mapped = map_transport_error (error, request);

      request_ended (self);
      if (g_error_matches (mapped, ESC_API_ERROR, ESC_API_ERROR_UNREACHABLE) ||
          g_error_matches (mapped, ESC_API_ERROR, ESC_API_ERROR_TIMED_OUT))
        set_reachable (self, FALSE);
      g_task_return_error (task, mapped);
      return;
    }

  /* Whatever it says, the service answered; but a gateway's "bad gateway",
   * "unavailable" or "time-out" is a load balancer answering for it, and a
   * 503 is the service (or its gateway) asking to come back later. */
  headers = soup_message_get_response_headers (request->message);
  switch (soup_message_get_status (request->message))
    {
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      set_busy (self, TRUE, parse_retry_after (soup_message_headers_get_one (headers, "Retry-After")));
      set_reachable (self, FALSE);
      break;
    case SOUP_STATUS_BAD_GATEWAY:
    case SOUP_STATUS_GATEWAY_TIMEOUT:
      set_busy (self, FALSE, 0);
      set_reachable (self, FALSE);
      break;
    default:
      self->last_answer = g_get_monotonic_time ();
      set_busy (self, FALSE, 0);
      set_reachable (self, TRUE);
      break;
    }

  if (soup_message_headers_get_one (headers, "ETag") != NULL)
    g_object_set_data_full (G_OBJECT (task), "esc-etag",
                            g_strdup (soup_message_headers_get_one (headers, "ETag")), g_free);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_ANSWER_BYTES)
    {
      return_too_large (task);
      return;
    }

  /* A password's answer fits in the first buffer: it is never copied by a
   * reallocation, which would leave the old buffer unwiped. */
  request->received = g_byte_array_sized_new (request->secret ? READ_CHUNK_BYTES : 4096);
  read_more (g_steal_pointer (&task));
}

static void
send_internal (EscClient            *self,
               const char           *method,
               const char           *path,
               const char           *body,
               const char           *content_type,
               const char           *if_match,
               const char           *idempotency_key,
               EscClientDecodeFunc   decode,
               GDestroyNotify        free_result,
               gboolean              secret,
               gpointer              source_tag,
               GCancellable         *cancellable,
               GAsyncReadyCallback   callback,
               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscRequest) request = NULL;
  SoupMessage *message;

  g_return_if_fail (ESC_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (EscRequest, 1);
  request->client = self;
  request->base_url = g_strdup (self->base_url);
  request->timeout = self->timeout;
  request->decode = decode;
  request->free_result = free_result;
  request->secret = secret;
  request->message = esc_client_new_message (self, request, method, path, &error);
  if (request->message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      if (content_type == NULL)
        content_type = g_str_equal (method, "PATCH") ? "application/merge-patch+json"
                                                     : "application/json";
      soup_message_set_request_body_from_bytes (request->message, content_type, bytes);
    }

  if (if_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                  "If-Match", if_match);

  if (idempotency_key != NULL)
    {
      soup_message_headers_replace (soup_message_get_request_headers (request->message),
                                    "Idempotency-Key", idempotency_key);
      /* Sent again, it is filed once: libsoup may send it on a kept-alive
       * connection (it opens a new connection for every POST otherwise) */
      soup_message_add_flags (request->message, SOUP_MESSAGE_IDEMPOTENT);
    }

  message = request->message;
  g_task_set_task_data (task, g_steal_pointer (&request), (GDestroyNotify)esc_request_free);

  request_started (self);
  soup_session_send_async (self->session,
                           message,
                           G_PRIORITY_DEFAULT,
                           cancellable,
                           esc_client_send_cb,
                           g_object_ref (task));
}

/**
 * esc_client_send_async: (skip)
 *
 * Sends one request of the v1 API; see esc-client-private.h.
 */
void
esc_client_send_async (EscClient            *self,
                       const char           *method,
                       const char           *path,
                       const char           *body,
                       const char           *idempotency_key,
                       EscClientDecodeFunc   decode,
                       GDestroyNotify        free_result,
                       gpointer              source_tag,
                       GCancellable         *cancellable,
                       GAsyncReadyCallback   callback,
                       gpointer              user_data)
{
  send_internal (self, method, path, body, NULL, NULL, idempotency_key, decode, free_result, FALSE,
                 source_tag, cancellable, callback, user_data);
}

/**
 * esc_client_send_full_async: (skip)
 *
 * Like esc_client_send_async(), with a body of @content_type (NULL: JSON)
 * and an If-Match header (NULL: none).
 */
void
esc_client_send_full_async (EscClient            *self,
                            const char           *method,
                            const char           *path,
                            const char           *body,
                            const char           *content_type,
                            const char           *if_match,
                            const char           *idempotency_key,
                            EscClientDecodeFunc   decode,
                            GDestroyNotify        free_result,
                            gpointer              source_tag,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  send_internal (self, method, path, body, content_type, if_match, idempotency_key, decode,
                 free_result, FALSE, source_tag, cancellable, callback, user_data);
}

/* The ETag the service answered with, if any. */
const char *
esc_client_result_get_etag (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_object_get_data (G_OBJECT (result), "esc-etag");
}

/**
 * esc_client_send_secret_async: (skip)
 *
 * Like esc_client_send_async(), for an answer that holds a secret: the raw
 * answer is wiped once @decode has read it.
 */
void
esc_client_send_secret_async (EscClient            *self,
                              const char           *method,
                              const char           *path,
                              EscClientDecodeFunc   decode,
                              GDestroyNotify        free_result,
                              gpointer              source_tag,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  send_internal (self, method, path, NULL, NULL, NULL, NULL, decode, free_result, TRUE,
                 source_tag, cancellable, callback, user_data);
}

gpointer
esc_client_send_finish (EscClient     *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        GError       **error)
{
  g_return_val_if_fail (ESC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * esc_client_call_async:
 * @self: a #EscClient
 * @method: "GET", "POST", "PATCH" or "PUT"
 * @path: the path and query under the base URL, e.g. "/v1/support-requests"
 * @body: (nullable): the JSON body, as text: sent byte for byte, so that a
 *   retry under the same idempotency key is the same request
 * @idempotency_key: (nullable): sent as the Idempotency-Key header
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * Sends any request of the v1 API and gives back the JSON answer as it
 * came: what the outbox sender uses, since it stores the answer as is.
 */
void
esc_client_call_async (EscClient           *self,
                       const char          *method,
                       const char          *path,
                       const char          *body,
                       const char          *idempotency_key,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  esc_client_send_async (self, method, path, body, idempotency_key, NULL, NULL,
                         esc_client_call_async, cancellable, callback, user_data);
}

/**
 * esc_client_call_finish:
 * @self: a #EscClient
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError in the %ESC_API_ERROR domain, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the JSON the service answered with a 2xx status
 */
JsonNode *
esc_client_call_finish (EscClient     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_call_async, error);
}

static gpointer
decode_identity (JsonNode  *root,
                 GError   **error)
{
  return esc_identity_new_from_json (root, error);
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
  esc_client_send_async (self, SOUP_METHOD_GET, "/v1/me", NULL, NULL,
                         decode_identity, g_object_unref, esc_client_get_me_async,
                         cancellable, callback, user_data);
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
  return esc_client_send_finish (self, result, esc_client_get_me_async, error);
}

/* Trusted certificates ------------------------------------------------------ */

/**
 * esc_client_dup_certificate_fingerprint:
 * @certificate: a certificate
 *
 * Returns: (transfer full) (nullable): "sha256:" and the SHA-256 of the
 *   certificate's DER bytes in lower-case hexadecimal, as shown to the user
 *   and stored for a trusted service
 */
char *
esc_client_dup_certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    return NULL;

  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_strconcat ("sha256:", hex, NULL);
}

/**
 * esc_client_set_workspace:
 * @self: a #EscClient
 * @workspace: (nullable): where trusted certificates are remembered
 *
 * The client remembers the certificates the user trusted in the settings of
 * @workspace (a fingerprint per service address: not a secret).
 */
void
esc_client_set_workspace (EscClient    *self,
                          EscWorkspace *workspace)
{
  g_return_if_fail (ESC_IS_CLIENT (self));
  g_return_if_fail (workspace == NULL || ESC_IS_WORKSPACE (workspace));

  g_set_object (&self->workspace, workspace);
}

/**
 * esc_client_trust_certificate:
 * @self: a #EscClient
 * @url: the service's address
 * @certificate: (nullable): the certificate the user chose to trust, as given
 *   by esc_api_error_get_peer_certificate(); %NULL to forget it
 * @error: return location for a #GError
 *
 * From now on, the service at @url is accepted when it presents exactly
 * @certificate, even though no known authority signed it or it names another
 * host. An expired or revoked certificate is still refused. Remembered in the
 * workspace given to esc_client_set_workspace(), if any.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_client_trust_certificate (EscClient        *self,
                              const char       *url,
                              GTlsCertificate  *certificate,
                              GError          **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (ESC_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), FALSE);

  if (!(normalized = esc_client_normalize_url (url, error)))
    return FALSE;

  if (certificate != NULL)
    {
      fingerprint = esc_client_dup_certificate_fingerprint (certificate);
      if (fingerprint == NULL)
        {
          g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_TLS,
                               _("The certificate cannot be read"));
          return FALSE;
        }
    }

  if (self->workspace != NULL)
    {
      g_autofree char *key = g_strconcat (TRUST_SETTING_PREFIX, normalized, NULL);

      if (!esc_workspace_set_setting (self->workspace, key, fingerprint, error))
        return FALSE;
    }

  if (fingerprint != NULL)
    g_hash_table_replace (self->trusted, g_strdup (normalized), g_steal_pointer (&fingerprint));
  else
    g_hash_table_remove (self->trusted, normalized);

  /* Connections opened before may have been refused: start afresh. */
  soup_session_abort (self->session);

  return TRUE;
}

/**
 * esc_client_dup_trusted_fingerprint:
 * @self: a #EscClient
 * @url: a service's address
 *
 * Returns: (transfer full) (nullable): the fingerprint of the certificate
 *   trusted for @url, if the user trusted one
 */
char *
esc_client_dup_trusted_fingerprint (EscClient  *self,
                                    const char *url)
{
  g_autofree char *normalized = NULL;
  const char *fingerprint;

  g_return_val_if_fail (ESC_IS_CLIENT (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (!(normalized = esc_client_normalize_url (url, NULL)))
    return NULL;

  fingerprint = g_hash_table_lookup (self->trusted, normalized);
  if (fingerprint != NULL)
    return g_strdup (fingerprint);

  if (self->workspace != NULL)
    {
      g_autofree char *key = g_strconcat (TRUST_SETTING_PREFIX, normalized, NULL);

      return esc_workspace_dup_setting (self->workspace, key);
    }

  return NULL;
}
