/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-service-private.h"
#include "esc-service-server.h"

#define API_VERSION "1"
/* How often the timed rules run (closing unresponsive requests, …). */
#define HOUSEKEEPING_SECONDS 60
#define LISTEN_BACKLOG 256

struct _EscServiceServer
{
  GObject           parent_instance;

  EscServiceDb     *db;
  SoupServer       *soup;
  GTlsCertificate  *tls_certificate;
  char             *url;
  gboolean          log_requests;
  EscServiceRouter *router;
  guint             housekeeping_id;
  /* GSocket → WatchedConnection: kept-alive connections, see watch_connection() */
  GHashTable       *watched_connections;
};

G_DEFINE_FINAL_TYPE (EscServiceServer, esc_service_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_TLS_CERTIFICATE,
  PROP_LOG_REQUESTS,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char start_time_key[] = "esc-service-start-time";

/* /v1/me lives here; every other resource has its feature file, which
 * registers its routes in register_routes(). */

static void
handle_get_me (EscServiceContext *ctx)
{
  g_autoptr(JsonNode) node = esc_service_person_to_json (ctx->caller);

  esc_service_send_json (ctx, SOUP_STATUS_OK, node);
}

static void
register_routes (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", "/v1/me", ESC_SERVICE_ROLES_ANY, handle_get_me);
  esc_service_audit_register (router);
  esc_service_requests_register (router);
  esc_service_devices_register (router);
  esc_service_staff_register (router);
  esc_service_elevation_register (router);
  esc_service_contacts_register (router);
  /* One line per feature file: esc_service_FEATURE_register (router); */
}

static void
server_handler_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  EscServiceServer *self = user_data;

  esc_service_router_dispatch (self->router, self, self->db, msg, path, query);
}

static gboolean
housekeeping_cb (gpointer user_data)
{
  EscServiceServer *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!esc_service_server_run_housekeeping (self, &error))
    g_printerr ("escalade-service: housekeeping: %s\n", error->message);

  return G_SOURCE_CONTINUE;
}

/* Kept-alive connections closed by the client.
 *
 * libsoup 3.2 never frees a kept-alive connection that the client closes
 * between two requests: the next request, which never comes, is not
 * "started", so nothing disconnects it, and its socket stays open in
 * CLOSE_WAIT (fixed in libsoup 3.3, commit d20c6601). libsoup's own client
 * opens a new connection for every POST and closes the old ones, so the
 * service ran out of file descriptors after a few thousand filings.
 *
 * So the service watches each connection once it has answered a request,
 * at a higher priority than libsoup's own reading: when the client has
 * closed it while idle (end of stream, nothing left to read), the
 * connection is taken back from libsoup (soup_server_message_steal_connection(),
 * which also makes the server forget it) and closed, before libsoup reads
 * that end of stream itself (after which it could no longer be taken).
 * On Linux the watch asks poll() for POLLRDHUP only (the peer shut down its
 * side), so requests arriving on a kept-alive connection cost nothing;
 * elsewhere it watches for input and stops at the next request. Over TLS a
 * close_notify alert is data at this level: those connections are left to
 * libsoup (and keep their socket until the server stops, as before). One
 * thing is lost: a client that pipelines requests and shuts down its side
 * right after sending them gets the first answer only, as libsoup may hold
 * the next requests already read, which cannot be seen from here (libsoup,
 * curl and browsers do not pipeline). */

#ifdef POLLRDHUP
#define PEER_CLOSED_CONDITION ((GIOCondition)POLLRDHUP)
#else
#define PEER_CLOSED_CONDITION G_IO_IN
#endif

typedef struct
{
  EscServiceServer  *server;
  SoupServerMessage *msg;     /* the last one answered on the connection */
  GSocket           *socket;
  GSource           *source;
  gboolean           busy;    /* between request-started and -finished */
} WatchedConnection;

static void
watched_connection_free (gpointer data)
{
  WatchedConnection *watched = data;

  g_source_destroy (watched->source);
  g_source_unref (watched->source);
  g_signal_handlers_disconnect_by_data (watched->msg, watched);
  g_object_unref (watched->msg);
  g_object_unref (watched->socket);
  g_free (watched);
}

/* The connection is closed, by libsoup or by connection_watch_cb(). */
static void
watched_disconnected_cb (SoupServerMessage *msg,
                         gpointer           user_data)
{
  WatchedConnection *watched = user_data;

  g_hash_table_remove (watched->server->watched_connections, watched->socket);
}

static gboolean
connection_watch_cb (int          fd,
                     GIOCondition condition,
                     gpointer     user_data)
{
  WatchedConnection *watched = user_data;
  EscServiceServer *self = watched->server;
  g_autoptr(GSocket) socket = g_object_ref (watched->socket);
  g_autoptr(SoupServerMessage) msg = g_object_ref (watched->msg);
  g_autoptr(GIOStream) stream = NULL;
  gssize n = 1;
  char byte;

  if (!g_socket_is_closed (socket) && !watched->busy)
    {
      n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return G_SOURCE_CONTINUE;
    }

  /* The watch ends here. n > 0: a request is there (or the connection is
   * busy, its client having shut down its side after sending): libsoup
   * reads and answers it, and the watch starts again once it has. Else the
   * client is gone (end of stream, or reset): the connection goes. */
  g_hash_table_remove (self->watched_connections, socket);

  if (n <= 0 && (stream = soup_server_message_steal_connection (msg)) != NULL)
    g_io_stream_close (stream, NULL, NULL);

  return G_SOURCE_REMOVE;
}

/* From request-finished and request-aborted: the connection may be kept alive. */
static void
watch_connection (EscServiceServer  *self,
                  SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  WatchedConnection *watched;

  /* Not a socket (esc_service_server_accept_iostream()), TLS (see above),
   * or closed. */
  if (socket == NULL || self->tls_certificate != NULL || g_socket_is_closed (socket))
    return;

  if ((watched = g_hash_table_lookup (self->watched_connections, socket)) == NULL)
    {
      watched = g_new0 (WatchedConnection, 1);
      watched->server = self;
      watched->socket = g_object_ref (socket);
      watched->source = g_unix_fd_source_new (g_socket_get_fd (socket), PEER_CLOSED_CONDITION);
      /* Before libsoup's reading, which would see the end of stream first. */
      g_source_set_priority (watched->source, G_PRIORITY_HIGH);
      g_source_set_callback (watched->source, G_SOURCE_FUNC (connection_watch_cb), watched, NULL);
      g_source_attach (watched->source, NULL);
      g_hash_table_insert (self->watched_connections, watched->socket, watched);
    }
  else if (watched->msg != msg)
    {
      g_signal_handlers_disconnect_by_data (watched->msg, watched);
      g_clear_object (&watched->msg);
    }

  watched->busy = FALSE;
  if (watched->msg == NULL)
    {
      watched->msg = g_object_ref (msg);
      g_signal_connect (msg, "disconnected", G_CALLBACK (watched_disconnected_cb), watched);
    }
}

/* Logging: one line per request, never a header value. */

static char *
sanitize_for_log (const char *text)
{
  char *copy = g_strdup (text ? text : "-");

  for (char *p = copy; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x21 || (guchar)*p > 0x7e)
        *p = '?';
    }

  return copy;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  EscServiceServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  WatchedConnection *watched;
  gint64 now = g_get_monotonic_time ();

  /* A request on a kept-alive connection: it is not idle any more. */
  if (socket != NULL && (watched = g_hash_table_lookup (self->watched_connections, socket)) != NULL)
    watched->busy = TRUE;

  g_object_set_data_full (G_OBJECT (msg), start_time_key,
                          g_memdup2 (&now, sizeof now), g_free);

  esc_service_router_message_started (self->router, msg);

  soup_message_headers_replace (headers, "X-Escalade-Api", API_VERSION);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  EscServiceServer *self = user_data;
  const gint64 *start;
  GUri *uri;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *now = NULL;
  double duration_ms = 0.0;

  watch_connection (self, msg);

  if (!self->log_requests)
    return;

  start = g_object_get_data (G_OBJECT (msg), start_time_key);
  if (start != NULL)
    duration_ms = (g_get_monotonic_time () - *start) / 1000.0;

  uri = soup_server_message_get_uri (msg);
  method = sanitize_for_log (soup_server_message_get_method (msg));
  path = sanitize_for_log (uri ? g_uri_get_path (uri) : NULL);
  now = esc_service_format_timestamp (NULL);

  g_printerr ("%s %s %s %s %u %.1f ms\n",
              now,
              soup_server_message_get_remote_host (msg) ? soup_server_message_get_remote_host (msg) : "-",
              method, path,
              soup_server_message_get_status (msg),
              duration_ms);
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  watch_connection (user_data, msg);
}

/* GObject */

static void
esc_service_server_constructed (GObject *object)
{
  EscServiceServer *self = (EscServiceServer *)object;

  G_OBJECT_CLASS (esc_service_server_parent_class)->constructed (object);

  g_assert (ESC_IS_SERVICE_DB (self->db));

  self->router = esc_service_router_new ();
  register_routes (self->router);

  self->soup = soup_server_new ("server-header", "escalade-service/" PACKAGE_VERSION,
                                NULL);
  soup_server_add_handler (self->soup, NULL, server_handler_cb, self, NULL);
  g_signal_connect_object (self->soup, "request-started",
                           G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished",
                           G_CALLBACK (request_finished_cb), self, 0);
  /* A 500 answer is "aborted", and its connection may stay open too. */
  g_signal_connect_object (self->soup, "request-aborted",
                           G_CALLBACK (request_aborted_cb), self, 0);
}

static void
esc_service_server_dispose (GObject *object)
{
  EscServiceServer *self = (EscServiceServer *)object;

  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  g_hash_table_remove_all (self->watched_connections);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      soup_server_remove_handler (self->soup, NULL);
    }
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (esc_service_server_parent_class)->dispose (object);
}

static void
esc_service_server_finalize (GObject *object)
{
  EscServiceServer *self = (EscServiceServer *)object;

  g_clear_object (&self->db);
  g_clear_object (&self->tls_certificate);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->router, esc_service_router_free);
  g_clear_pointer (&self->watched_connections, g_hash_table_unref);

  G_OBJECT_CLASS (esc_service_server_parent_class)->finalize (object);
}

static void
esc_service_server_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EscServiceServer *self = ESC_SERVICE_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;
    case PROP_LOG_REQUESTS:
      g_value_set_boolean (value, self->log_requests);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_service_server_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EscServiceServer *self = ESC_SERVICE_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_TLS_CERTIFICATE:
      esc_service_server_set_tls_certificate (self, g_value_get_object (value));
      break;
    case PROP_LOG_REQUESTS:
      esc_service_server_set_log_requests (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_service_server_class_init (EscServiceServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = esc_service_server_constructed;
  object_class->dispose = esc_service_server_dispose;
  object_class->finalize = esc_service_server_finalize;
  object_class->get_property = esc_service_server_get_property;
  object_class->set_property = esc_service_server_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, ESC_TYPE_SERVICE_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL, G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG_REQUESTS] =
    g_param_spec_boolean ("log-requests", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_service_server_init (EscServiceServer *self)
{
  self->log_requests = TRUE;
  self->watched_connections = g_hash_table_new_full (NULL, NULL, NULL, watched_connection_free);
}

/**
 * esc_service_server_new:
 * @db: the service's database
 *
 * Returns: (transfer full): a server that is not listening yet
 */
EscServiceServer *
esc_service_server_new (EscServiceDb *db)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  return g_object_new (ESC_TYPE_SERVICE_SERVER, "db", db, NULL);
}

EscServiceDb *
esc_service_server_get_db (EscServiceServer *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), NULL);

  return self->db;
}

/**
 * esc_service_server_set_tls_certificate:
 * @self: a #EscServiceServer
 * @certificate: (nullable): a certificate with its private key, or %NULL for plain HTTP
 *
 * Takes effect at the next esc_service_server_listen().
 */
void
esc_service_server_set_tls_certificate (EscServiceServer *self,
                                        GTlsCertificate  *certificate)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (g_set_object (&self->tls_certificate, certificate))
    {
      g_object_set (self->soup, "tls-certificate", certificate, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CERTIFICATE]);
    }
}

/**
 * esc_service_server_set_tls_files:
 * @self: a #EscServiceServer
 * @cert_file: a PEM certificate (chain)
 * @key_file: its PEM private key
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the certificate and key were loaded
 */
gboolean
esc_service_server_set_tls_files (EscServiceServer  *self,
                                  const char        *cert_file,
                                  const char        *key_file,
                                  GError           **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), FALSE);
  g_return_val_if_fail (cert_file != NULL, FALSE);
  g_return_val_if_fail (key_file != NULL, FALSE);

  if (!(certificate = g_tls_certificate_new_from_files (cert_file, key_file, error)))
    return FALSE;

  esc_service_server_set_tls_certificate (self, certificate);

  return TRUE;
}

void
esc_service_server_set_log_requests (EscServiceServer *self,
                                     gboolean          log_requests)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));

  log_requests = !!log_requests;
  if (self->log_requests != log_requests)
    {
      self->log_requests = log_requests;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG_REQUESTS]);
    }
}

/**
 * esc_service_server_listen:
 * @self: a #EscServiceServer
 * @address: where to listen; port 0 picks a free port
 * @error: return location for a #GError
 *
 * Listens with HTTPS if a TLS certificate was set, else plain HTTP. The
 * caller decides whether a non-loopback @address is acceptable.
 *
 * Returns: %TRUE if listening; esc_service_server_get_url() then has the URL
 */
gboolean
esc_service_server_listen (EscServiceServer    *self,
                           GInetSocketAddress  *address,
                           GError             **error)
{
  SoupServerListenOptions options = 0;
  g_autoptr(GSocket) listen_socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GSList *listeners;
  GSocket *socket;
  GInetSocketAddress *inet;

  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);

  if (self->tls_certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;

  /* Our own socket, for a deeper backlog than GSocket's default of 10:
   * dozens of clients connecting at once must not be refused. */
  listen_socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (listen_socket == NULL)
    return FALSE;
  if (g_socket_address_get_family (G_SOCKET_ADDRESS (address)) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (listen_socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (listen_socket, LISTEN_BACKLOG);
  if (!g_socket_bind (listen_socket, G_SOCKET_ADDRESS (address), TRUE, error) ||
      !g_socket_listen (listen_socket, error) ||
      !soup_server_listen_socket (self->soup, listen_socket, options, error))
    return FALSE;

  /* The newest listener is the one just added; ask its socket for the port
   * really chosen when @address has port 0. (soup_server_get_uris() would do,
   * but leaks an address in libsoup 3.2.) */
  listeners = soup_server_get_listeners (self->soup);
  socket = listeners != NULL ? g_slist_last (listeners)->data : NULL;
  g_slist_free (listeners);

  if (socket == NULL || !(local = g_socket_get_local_address (socket, error)))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                             _("The server is not listening on any address"));
      return FALSE;
    }

  inet = G_INET_SOCKET_ADDRESS (local);
  host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

  g_free (self->url);
  if (g_inet_address_get_family (g_inet_socket_address_get_address (inet)) == G_SOCKET_FAMILY_IPV6)
    self->url = g_strdup_printf ("%s://[%s]:%u",
                                 self->tls_certificate != NULL ? "https" : "http",
                                 host, g_inet_socket_address_get_port (inet));
  else
    self->url = g_strdup_printf ("%s://%s:%u",
                                 self->tls_certificate != NULL ? "https" : "http",
                                 host, g_inet_socket_address_get_port (inet));

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);

  if (self->housekeeping_id == 0)
    self->housekeeping_id = g_timeout_add_seconds (HOUSEKEEPING_SECONDS, housekeeping_cb, self);

  return TRUE;
}

/**
 * esc_service_server_get_url:
 * @self: a #EscServiceServer
 *
 * Returns: (nullable): the base URL, e.g. "http://127.0.0.1:8080", once listening
 */
const char *
esc_service_server_get_url (EscServiceServer *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), NULL);

  return self->url;
}

/**
 * esc_service_server_disconnect:
 * @self: a #EscServiceServer
 *
 * Stops listening and closes every connection.
 */
void
esc_service_server_disconnect (EscServiceServer *self)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));

  g_hash_table_remove_all (self->watched_connections);
  soup_server_disconnect (self->soup);
  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  if (self->url != NULL)
    {
      g_clear_pointer (&self->url, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
    }
}

/**
 * esc_service_server_accept_iostream:
 * @self: a #EscServiceServer
 * @stream: one client connection, as a stream
 * @error: return location for a #GError
 *
 * Serves a connection that is not a socket: fuzz/fuzz-service-request feeds
 * raw HTTP requests through memory streams, in-process, to the same parsing,
 * routing and handlers as a real connection. The client appears to be
 * 127.0.0.1.
 *
 * Returns: %TRUE if libsoup took the connection
 */
gboolean
esc_service_server_accept_iostream (EscServiceServer  *self,
                                    GIOStream         *stream,
                                    GError           **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback, 8080);
  g_autoptr(GSocketAddress) remote = g_inet_socket_address_new (loopback, 50000);

  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);

  return soup_server_accept_iostream (self->soup, stream, local, remote, error);
}

/**
 * esc_service_parse_listen_address:
 * @text: "127.0.0.1:8080", "[::1]:8080" or "localhost:8080"
 * @error: return location for a #GError
 *
 * Only IP literals (and "localhost", read as 127.0.0.1) are accepted, so the
 * address is never the result of a DNS lookup.
 *
 * Returns: (transfer full): the address, or %NULL with
 *   %ESC_SERVICE_ERROR_INVALID_ARGUMENT
 */
GInetSocketAddress *
esc_service_parse_listen_address (const char  *text,
                                  GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *host = NULL;
  const char *port_text;
  guint64 port;

  g_return_val_if_fail (text != NULL, NULL);

  if (text[0] == '[')
    {
      const char *end = strchr (text, ']');

      if (end == NULL || end[1] != ':')
        goto invalid;
      host = g_strndup (text + 1, end - text - 1);
      port_text = end + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL || strchr (text, ':') != colon)
        goto invalid;
      host = g_strndup (text, colon - text);
      port_text = colon + 1;
    }

  if (!g_ascii_string_to_unsigned (port_text, 10, 0, G_MAXUINT16, &port, NULL))
    goto invalid;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);

  if (inet == NULL)
    goto invalid;

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet, (guint16)port));

invalid:
  g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not an address to listen on: write ADDRESS:PORT with an "
                 "IP address, e.g. 127.0.0.1:8080 or [::1]:8080"),
               text);
  return NULL;
}

/**
 * esc_service_server_set_clock:
 * @self: a #EscServiceServer
 * @clock: (nullable): returns the current time; %NULL for the real clock
 * @user_data: for @clock
 * @destroy: (nullable): frees @user_data
 *
 * Every "now" of the service (handlers, timed rules, designations) comes
 * from @clock, so tests can move time instead of sleeping.
 */
void
esc_service_server_set_clock (EscServiceServer *self,
                              EscServiceClock   clock,
                              gpointer          user_data,
                              GDestroyNotify    destroy)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));

  esc_service_db_set_clock (self->db, clock, user_data, destroy);
}

/**
 * esc_service_server_dup_now:
 * @self: a #EscServiceServer
 *
 * Returns: (transfer full): the current time in UTC, from the clock
 */
GDateTime *
esc_service_server_dup_now (EscServiceServer *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), NULL);

  return esc_service_db_dup_now (self->db);
}

/**
 * esc_service_server_run_housekeeping:
 * @self: a #EscServiceServer
 * @error: return location for a #GError
 *
 * Runs the timed rules now (they also run every minute while listening).
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_server_run_housekeeping (EscServiceServer  *self,
                                     GError           **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), FALSE);

  return esc_service_router_run_housekeeping (self->router, self->db, error);
}

/**
 * esc_service_server_get_routes:
 * @self: a #EscServiceServer
 * @n_routes: (out): the number of routes
 *
 * Returns: (array length=n_routes) (transfer none): every route served
 */
const EscServiceRoute *
esc_service_server_get_routes (EscServiceServer *self,
                               guint            *n_routes)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), NULL);
  g_return_val_if_fail (n_routes != NULL, NULL);

  return esc_service_router_get_routes (self->router, n_routes);
}

EscServiceRouter *
esc_service_server_get_router (EscServiceServer *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), NULL);

  return self->router;
}
