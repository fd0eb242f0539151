/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-service-listener.h"
#include "esc-service-private.h"
#include "esc-service-server.h"
#include "esc-service-sla.h"
#include "esc-service-sqlite-storage.h"

#define API_VERSION "1"
/* How often the timed rules run (closing unresponsive requests, …). */
#define HOUSEKEEPING_SECONDS 60
/* The kernel caps it (net.core.somaxconn); with TCP_DEFER_ACCEPT it also
 * bounds the connections held there before their first byte. */
#define LISTEN_BACKLOG 4096

struct _EscServiceServer
{
  GObject           parent_instance;

  EscServiceDb     *db;
  EscServiceStorage *storage;
  SoupServer       *soup;
  GTlsCertificate  *tls_certificate;
  char             *url;
  gboolean          log_requests;
  EscServiceRouter *router;
  guint             housekeeping_id;
  /* Accepts and keeps the connections, under limits (esc-service-listener.c) */
  EscServiceLimits    limits;
  EscServiceListener *listener;
  GSocket            *keepalive_pair[2];  /* see enable_keep_alive() */
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
  esc_service_sla_register (router);
  esc_service_access_register (router);
  esc_service_health_register (router);
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

static void disable_keep_alive (EscServiceServer *self);

static gboolean
housekeeping_cb (gpointer user_data)
{
  EscServiceServer *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!esc_service_server_run_housekeeping (self, &error))
    g_printerr ("escalade-service: housekeeping: %s\n", error->message);

  return G_SOURCE_CONTINUE;
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
  gint64 now = g_get_monotonic_time ();

  if (self->listener != NULL)
    esc_service_listener_request_started (self->listener, msg);

  g_object_set_data_full (G_OBJECT (msg), start_time_key,
                          g_memdup2 (&now, sizeof now), g_free);

  esc_service_router_message_started (self->router, self, self->db, msg);

  soup_message_headers_replace (headers, "X-Escalade-Api", API_VERSION);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");

  /* Over TLS a connection serves one request. libsoup 3.2 reads the
   * client's close_notify on an idle kept-alive connection as the end of
   * the next request, which is never "started": the connection is then
   * neither closed nor forgotten (CLOSE_WAIT, and its TLS state, for the
   * life of the process), and can no longer be taken back safely. At the
   * TCP level the close_notify alert is data like any request (TLS 1.3
   * encrypts alerts), so the service cannot tell them apart before libsoup
   * reads them. Closing after each answer leaves no idle TLS connection. */
  if (self->tls_certificate != NULL)
    soup_message_headers_replace (headers, "Connection", "close");
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

  if (self->listener != NULL)
    esc_service_listener_request_done (self->listener, msg);

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
  EscServiceServer *self = user_data;

  if (self->listener != NULL)
    esc_service_listener_request_done (self->listener, msg);
}

/* The body is read: the request is being handled. */
static void
request_read_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  EscServiceServer *self = user_data;

  if (self->listener != NULL)
    esc_service_listener_request_read (self->listener, msg);
}

/* GObject */

static void
esc_service_server_constructed (GObject *object)
{
  EscServiceServer *self = (EscServiceServer *)object;

  G_OBJECT_CLASS (esc_service_server_parent_class)->constructed (object);

  g_assert (ESC_IS_SERVICE_DB (self->db));
  /* GET /v1/health checks the database the handlers use: on PostgreSQL
   * the node's pool (there is no SQLite file to read) */
  if (esc_service_db_get_backend (self->db) == ESC_SERVICE_DB_POSTGRESQL)
    self->storage = g_object_ref (esc_service_db_get_pg_storage (self->db));
  else
    self->storage = ESC_SERVICE_STORAGE (esc_service_sqlite_storage_new (self->db));

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
  g_signal_connect_object (self->soup, "request-read",
                           G_CALLBACK (request_read_cb), self, 0);
}

static void
esc_service_server_dispose (GObject *object)
{
  EscServiceServer *self = (EscServiceServer *)object;

  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  g_clear_pointer (&self->listener, esc_service_listener_free);

  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      disable_keep_alive (self);
      soup_server_remove_handler (self->soup, NULL);
    }
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (esc_service_server_parent_class)->dispose (object);
}

static void
esc_service_server_finalize (GObject *object)
{
  EscServiceServer *self = (EscServiceServer *)object;

  g_clear_object (&self->storage);
  g_clear_object (&self->db);
  g_clear_object (&self->tls_certificate);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->router, esc_service_router_free);

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
  EscServiceLimits limits = ESC_SERVICE_LIMITS_DEFAULT;

  self->log_requests = TRUE;
  self->limits = limits;
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

/* SoupServer keeps a connection alive after an answer only if it has a
 * listener of its own (request_finished() in libsoup 3.2 tests
 * priv->listeners), and the service accepts its connections itself. So
 * libsoup gets one that never accepts anything: one end of a socket pair,
 * "connected", whose other end stays open and silent. Nothing can reach it
 * from outside the process. */
static gboolean
enable_keep_alive (EscServiceServer  *self,
                   GError           **error)
{
  int fds[2];

  if (self->keepalive_pair[0] != NULL)
    return TRUE;

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "socketpair: %s", g_strerror (saved_errno));
      return FALSE;
    }

  if (!(self->keepalive_pair[0] = g_socket_new_from_fd (fds[0], error)))
    {
      close (fds[0]);
      close (fds[1]);
      return FALSE;
    }
  if (!(self->keepalive_pair[1] = g_socket_new_from_fd (fds[1], error)))
    {
      close (fds[1]);
      g_clear_object (&self->keepalive_pair[0]);
      return FALSE;
    }

  return soup_server_listen_socket (self->soup, self->keepalive_pair[0], 0, error);
}

static void
disable_keep_alive (EscServiceServer *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->keepalive_pair); i++)
    {
      if (self->keepalive_pair[i] != NULL)
        g_socket_close (self->keepalive_pair[i], NULL);
      g_clear_object (&self->keepalive_pair[i]);
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
  g_autoptr(GSocket) listen_socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetSocketAddress *inet;

  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);

  /* Our own socket, for a deeper backlog than GSocket's default of 10
   * (dozens of clients connecting at once must not be refused), and our
   * own accepting (esc-service-listener.c). */
  listen_socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (listen_socket == NULL)
    return FALSE;
  if (g_socket_address_get_family (G_SOCKET_ADDRESS (address)) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (listen_socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (listen_socket, LISTEN_BACKLOG);
  if (!g_socket_bind (listen_socket, G_SOCKET_ADDRESS (address), TRUE, error) ||
      !g_socket_listen (listen_socket, error))
    return FALSE;

  if (!enable_keep_alive (self, error))
    return FALSE;

  if (self->listener == NULL)
    self->listener = esc_service_listener_new (self->soup, &self->limits);
  esc_service_listener_set_tls_certificate (self->listener, self->tls_certificate);
  esc_service_listener_add_socket (self->listener, listen_socket);

  if (!(local = g_socket_get_local_address (listen_socket, error)))
    return FALSE;

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

  g_clear_pointer (&self->listener, esc_service_listener_free);
  soup_server_disconnect (self->soup);
  disable_keep_alive (self);
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
 * esc_service_server_get_storage:
 * @self: a #EscServiceServer
 *
 * Returns: (transfer none): the storage that GET /v1/health checks
 */
EscServiceStorage *
esc_service_server_get_storage (EscServiceServer *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), NULL);

  return self->storage;
}

/**
 * esc_service_server_set_storage:
 * @self: a #EscServiceServer
 * @storage: the storage to check
 *
 * Replaces the storage that GET /v1/health checks.
 */
void
esc_service_server_set_storage (EscServiceServer  *self,
                                EscServiceStorage *storage)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));
  g_return_if_fail (ESC_IS_SERVICE_STORAGE (storage));

  g_set_object (&self->storage, storage);
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

/**
 * esc_service_server_set_limits:
 * @self: a #EscServiceServer
 * @limits: connection caps and deadlines (zero caps: from the descriptor limit)
 *
 * Takes effect at the first esc_service_server_listen().
 */
void
esc_service_server_set_limits (EscServiceServer       *self,
                               const EscServiceLimits *limits)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));
  g_return_if_fail (limits != NULL);

  self->limits = *limits;
}

/**
 * esc_service_server_get_stats:
 * @self: a #EscServiceServer
 * @stats: (out caller-allocates): the listener's counters, zero before listening
 */
void
esc_service_server_get_stats (EscServiceServer        *self,
                              EscServiceListenerStats *stats)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));

  memset (stats, 0, sizeof *stats);
  if (self->listener != NULL)
    esc_service_listener_get_stats (self->listener, stats);
}

/* For esc-service-http.c: see esc_service_listener_answer_and_close(). */
gboolean
esc_service_server_answer_and_close (EscServiceServer  *self,
                                     SoupServerMessage *msg,
                                     guint              delay_ms)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), FALSE);

  return self->listener != NULL &&
         esc_service_listener_answer_and_close (self->listener, msg, delay_ms);
}

guint
esc_service_server_note_failed_sign_in (EscServiceServer  *self,
                                        SoupServerMessage *msg)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), 0);

  return self->listener != NULL ? esc_service_listener_note_failed_sign_in (self->listener, msg) : 0;
}

guint
esc_service_server_note_unauthenticated (EscServiceServer  *self,
                                         SoupServerMessage *msg)
{
  g_return_val_if_fail (ESC_IS_SERVICE_SERVER (self), 0);

  return self->listener != NULL ? esc_service_listener_note_unauthenticated (self->listener, msg) : 0;
}

void
esc_service_server_set_max_queued_writes (EscServiceServer *self,
                                          guint             max)
{
  g_return_if_fail (ESC_IS_SERVICE_SERVER (self));

  esc_service_router_set_max_queued (self->router, max);
}
