/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <glib-unix.h>

#include "esc-service-listener.h"

/*
 * Accepting connections, under limits
 *
 * Why not libsoup's own listener: in libsoup 3.2 (SoupListener's
 * listen_watch()), a failed accept() — EMFILE when every descriptor is in
 * use — returns G_SOURCE_REMOVE: the listening socket is never watched
 * again, and the service stops accepting for good, even once every
 * connection is closed. So the service accepts itself, and hands each
 * connection to libsoup with soup_server_accept_iostream():
 *
 * - Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM), it
 *   closes the connection that does least (see below) and accepts again; if
 *   there is none, it stops watching for a moment and tries again, so it
 *   slows down but never stops. The kernel keeps the waiting clients in the
 *   listen backlog meanwhile.
 * - A connection that sends nothing does not reach the service at all for
 *   most of its header time: the listening sockets have TCP_DEFER_ACCEPT
 *   (Linux), so the kernel holds it, without a descriptor, until its first
 *   byte; past a while (the longest SYN-ACK retransmission time within the
 *   header time), it is handed over anyway and has the rest of its header
 *   time here. Idle attackers then neither fill the caps nor, closed and
 *   reopened, keep the service accepting.
 * - The number of connections is capped, in total and per client address,
 *   below the descriptor limit. A new connection over a cap takes the place
 *   of the connection that does least: one lingering after a refusal, then
 *   one idle between requests, then a refusal being held back (a flood's:
 *   closed, it would come back at once), then one still waiting for its
 *   headers, then one whose body is late; the oldest of its kind. A connection whose
 *   request is being handled or answered is never taken. If nothing can
 *   go, the new connection is closed at once. With TCP_DEFER_ACCEPT, a new
 *   connection handed over without a byte takes no one's place: it is
 *   closed (and the kernel holds its next try, without a descriptor).
 * - Requests without any Authorization are answered at once up to a burst
 *   per client, then at a fixed rate, each refusal held until its turn
 *   (esc_service_listener_note_unauthenticated()): a flood waiting for its
 *   answers gets a bounded share of the service.
 * - Every connection has a deadline for what it owes: its request's headers
 *   (10 s from the connection or from the request's first byte), its body
 *   (30 s from the headers), the next request on a kept-alive connection
 *   (30 s idle), the reading of an answer (60 s). Past it, it is closed.
 * - A kept-alive connection the client closes between two requests is
 *   closed at once (libsoup 3.2 would keep it in CLOSE_WAIT for ever, fixed
 *   in 3.3 by d20c6601): its socket is watched for POLLRDHUP while idle, at
 *   a higher priority than libsoup's reading, so that the connection is
 *   taken back before libsoup reads the end of stream (after which it could
 *   not be). Over TLS a connection is not kept alive at all (see
 *   request_started_cb() in esc-service-server.c), and a half-closed one
 *   still waiting for its request is closed the same way.
 * - A request refused before its body (no valid token, too large) is
 *   answered by writing the answer straight to the socket and closing it,
 *   so libsoup never reads the body; the socket then lingers a second,
 *   unread, so that the close does not reset the answer on its way.
 *
 * Connections are known by the GSocketAddress object handed to libsoup as
 * the remote address: soup_server_message_get_remote_address() returns that
 * very object.
 */

/* Descriptors kept for the database, its WAL, the key files, the log, … */
#define RESERVED_FDS 64
#define DEFAULT_MAX_CONNECTIONS 1024
#define DEFAULT_MAX_PER_CLIENT 256
#define ACCEPT_BATCH 256
#define EXHAUSTED_RETRY_MS 50
#define LINGER_MS 1000
/* A connection that has sent nothing may take the place of one that has
 * waited for its client this long, not less. */
#define LAZY_MIN_WAIT_MS 1000
/* With TCP_DEFER_ACCEPT, a connection the kernel hands over without a byte
 * has already waited there: what is left of its header time, and at least
 * this. */
#define DEFERRED_GRACE_MS 500
/* A body this late may be taken for a new connection's room. */
#define SLOW_BODY_MS 1000
/* Failed sign-ins: free ones per client and window, then the next
 * refusals are held back, twice as long each time. */
#define SIGN_IN_WINDOW_US (60 * G_TIME_SPAN_SECOND)
#define SIGN_IN_FREE_FAILURES 5
#define SIGN_IN_FIRST_DELAY_MS 100
#define SIGN_IN_MAX_DELAY_MS 2000
#define SIGN_IN_CLIENTS_MAX 4096
/* Requests without any Authorization: answered at once up to a burst per
 * client, then at this rate, each refusal held until its turn (up to
 * UNAUTHENTICATED_MAX_DELAY_MS): a client that waits for its answers (and
 * one that does not fills only its own per-client cap) costs the service
 * a bounded share, whatever it sends. */
#define UNAUTHENTICATED_RATE 50
#define UNAUTHENTICATED_BURST 100
#define UNAUTHENTICATED_MAX_DELAY_MS 2000

typedef enum
{
  CONN_NEW,            /* accepted, no byte yet: libsoup does not know it */
  CONN_LINGERING,      /* refused and answered: waiting to close */
  CONN_IDLE,           /* kept alive between two requests */
  CONN_WAIT_HEADERS,   /* new, or the first bytes of a request */
  CONN_READ_BODY,
  CONN_HANDLING,       /* body read: being handled, then answered */
  CONN_DELAYED,        /* a refusal held back (failed sign-ins) */
} ConnState;

typedef struct _Connection Connection;

struct _Connection
{
  EscServiceListener *listener;
  int                 fd;              /* while new; then the socket's */
  GSocket            *socket;          /* from the first byte on */
  GSocketAddress     *remote;          /* the key, from the first byte on */
  char               *client;          /* the client's IP address */
  guint               client_hash;
  SoupServerMessage  *msg;             /* the newest message, to take the connection back */
  ConnState           state;
  gint64              since;           /* monotonic time the state began */
  gint64              deadline;        /* monotonic; 0 for none */
  GSource            *hangup_source;   /* while idle or lingering */
  GIOStream          *stream;          /* lingering or delayed: taken back from libsoup */
  GBytes             *answer;          /* delayed: what to write */
  GList               link;            /* in listener->order */
};

typedef struct
{
  gint64 window_start;
  guint  failures;
} SignInFailures;

typedef struct
{
  gint64 updated;
  double tokens;         /* below 0: refusals already held, waiting for theirs */
} Bucket;

struct _EscServiceListener
{
  SoupServer              *soup;       /* not owned: the server owns both */
  GTlsCertificate         *tls_certificate;
  EscServiceLimits         limits;
  GPtrArray               *sockets;    /* GSocket */
  GPtrArray               *sources;    /* GSource watching each, or NULL while paused */
  GHashTable              *connections;  /* GSocketAddress → Connection */
  GHashTable              *per_client;   /* char * → count */
  GHashTable              *sign_in_failures;  /* char * → SignInFailures */
  GHashTable              *unauthenticated;   /* char * → Bucket */
  GQueue                   order;      /* Connection, by the time their state began */
  guint                    n_connections;
  guint                    sweep_id;
  guint                    resume_id;
  guint                    deferred_ms;  /* TCP_DEFER_ACCEPT on every socket: held that long; or 0 */
  gint64                   last_exhausted_log;
  EscServiceListenerStats  stats;
};

static void connection_close (Connection *conn);

static guint
descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;

  /* The soft limit may be raised up to the hard one without privileges. */
  if (limit.rlim_cur < limit.rlim_max)
    {
      struct rlimit raised = limit;

      raised.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &raised) == 0)
        limit = raised;
    }

  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > G_MAXINT)
    return G_MAXINT;

  return (guint)limit.rlim_cur;
}

/**
 * esc_service_listener_new:
 * @soup: the server connections are handed to
 * @limits: (nullable): the limits, %NULL for the defaults
 *
 * Returns: (transfer full): a listener with no socket yet
 */
EscServiceListener *
esc_service_listener_new (SoupServer             *soup,
                          const EscServiceLimits *limits)
{
  static const EscServiceLimits defaults = ESC_SERVICE_LIMITS_DEFAULT;
  EscServiceListener *self = g_new0 (EscServiceListener, 1);
  guint fds = descriptor_limit ();
  guint fit = fds > RESERVED_FDS + 16 ? fds - RESERVED_FDS : 16;

  self->soup = soup;
  self->limits = limits != NULL ? *limits : defaults;
  if (self->limits.max_connections == 0)
    self->limits.max_connections = MIN (DEFAULT_MAX_CONNECTIONS, fit);
  else if (self->limits.max_connections > fit)
    {
      /* Kept as asked: running out of descriptors is handled (slowly). */
      g_printerr ("escalade-service: warning: %u connections do not fit in the %u "
                  "descriptors this process may open (raise LimitNOFILE or ulimit -n)\n",
                  self->limits.max_connections, fds);
    }
  if (self->limits.max_per_client == 0)
    self->limits.max_per_client = MIN (DEFAULT_MAX_PER_CLIENT, self->limits.max_connections);
  self->limits.max_per_client = MIN (self->limits.max_per_client, self->limits.max_connections);

  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->sources = g_ptr_array_new ();
  self->connections = g_hash_table_new (NULL, NULL);
  self->per_client = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->sign_in_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->unauthenticated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return self;
}

const EscServiceLimits *
esc_service_listener_get_limits (EscServiceListener *self)
{
  return &self->limits;
}

void
esc_service_listener_get_stats (EscServiceListener      *self,
                                EscServiceListenerStats *stats)
{
  *stats = self->stats;
  stats->connections = self->n_connections;
}

void
esc_service_listener_set_tls_certificate (EscServiceListener *self,
                                          GTlsCertificate    *certificate)
{
  g_set_object (&self->tls_certificate, certificate);
}

/* Connections */

static void connection_set_msg (Connection        *conn,
                                SoupServerMessage *msg);

static void
connection_stop_watching (Connection *conn)
{
  if (conn->hangup_source != NULL)
    {
      g_source_destroy (conn->hangup_source);
      g_clear_pointer (&conn->hangup_source, g_source_unref);
    }
}

static guint
timeout_for (EscServiceListener *self,
             ConnState           state)
{
  switch (state)
    {
    case CONN_LINGERING:
      return LINGER_MS;
    case CONN_NEW:
    case CONN_IDLE:
      return self->limits.idle_timeout_ms;
    case CONN_WAIT_HEADERS:
      return self->limits.header_timeout_ms;
    case CONN_READ_BODY:
      return self->limits.body_timeout_ms;
    case CONN_HANDLING:
      return self->limits.answer_timeout_ms;
    case CONN_DELAYED:
    default:
      return 0;
    }
}

static void
connection_set_state (Connection *conn,
                      ConnState   state)
{
  EscServiceListener *self = conn->listener;
  guint timeout_ms = timeout_for (self, state);

  conn->state = state;
  conn->since = g_get_monotonic_time ();
  conn->deadline = timeout_ms > 0 ? conn->since + (gint64)timeout_ms * 1000 : 0;

  /* Kept in the order their state began: the oldest first. */
  g_queue_unlink (&self->order, &conn->link);
  g_queue_push_tail_link (&self->order, &conn->link);
}

static void
connection_free (Connection *conn)
{
  EscServiceListener *self = conn->listener;
  guint count;

  connection_stop_watching (conn);
  connection_set_msg (conn, NULL);
  if (conn->remote != NULL)
    g_hash_table_remove (self->connections, conn->remote);
  g_queue_unlink (&self->order, &conn->link);
  self->n_connections--;

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_client, conn->client));
  if (count <= 1)
    g_hash_table_remove (self->per_client, conn->client);
  else
    g_hash_table_insert (self->per_client, g_strdup (conn->client), GUINT_TO_POINTER (count - 1));

  if (conn->stream != NULL)
    g_io_stream_close (conn->stream, NULL, NULL);
  g_clear_object (&conn->stream);
  g_clear_pointer (&conn->answer, g_bytes_unref);
  if (conn->socket == NULL && conn->fd >= 0)
    close (conn->fd);
  g_clear_object (&conn->socket);
  g_clear_object (&conn->remote);
  g_free (conn->client);
  g_free (conn);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Connection *conn = user_data;

  if (conn->state == CONN_WAIT_HEADERS)
    connection_set_state (conn, CONN_READ_BODY);
}

/* libsoup closed the connection (or it was taken back). */
static void
msg_disconnected_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Connection *conn = user_data;

  if (conn->stream == NULL)
    connection_free (conn);
  else
    connection_set_msg (conn, NULL);
}

static void
connection_set_msg (Connection        *conn,
                    SoupServerMessage *msg)
{
  if (conn->msg == msg)
    return;

  if (conn->msg != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->msg, conn);
      g_clear_object (&conn->msg);
    }

  if (msg != NULL)
    {
      conn->msg = g_object_ref (msg);
      g_signal_connect (msg, "disconnected", G_CALLBACK (msg_disconnected_cb), conn);
      g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), conn);
    }
}

/* POLLRDHUP on Linux: the peer shut down its side. Elsewhere, input. */
#ifdef POLLRDHUP
#define PEER_CLOSED_CONDITION ((GIOCondition)POLLRDHUP)
#else
#define PEER_CLOSED_CONDITION G_IO_IN
#endif

static gboolean
hangup_cb (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  Connection *conn = user_data;
  char byte;
  gssize n = 1;

  g_clear_pointer (&conn->hangup_source, g_source_unref);

  if (conn->state == CONN_IDLE)
    {
      /* A request already there (the client shut down its side right
       * after sending it) is left to libsoup. */
      n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        n = 1;
      if (n > 0)
        return G_SOURCE_REMOVE;
    }

  connection_close (conn);

  return G_SOURCE_REMOVE;
}

static void
connection_watch_hangup (Connection *conn)
{
  connection_stop_watching (conn);

  if (g_socket_is_closed (conn->socket))
    return;

  conn->hangup_source = g_unix_fd_source_new (g_socket_get_fd (conn->socket), PEER_CLOSED_CONDITION);
  /* Before libsoup's reading, which would see the end of stream first. */
  g_source_set_priority (conn->hangup_source, G_PRIORITY_HIGH);
  g_source_set_callback (conn->hangup_source, G_SOURCE_FUNC (hangup_cb), conn, NULL);
  g_source_attach (conn->hangup_source, NULL);
}

/* Closes @conn now, whatever it was doing (the caller decided). */
static void
connection_close (Connection *conn)
{
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupServerMessage) msg = NULL;

  if (conn->stream != NULL || conn->msg == NULL || conn->socket == NULL)
    {
      connection_free (conn);
      return;
    }

  msg = g_object_ref (conn->msg);
  connection_set_msg (conn, NULL);

  if (conn->state == CONN_IDLE || conn->state == CONN_WAIT_HEADERS)
    {
      /* libsoup is not reading a request it has started: take the
       * connection back and close it (libsoup 3.2 would not notice an end
       * of stream on an idle connection). */
      stream = soup_server_message_steal_connection (msg);
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
    }

  if (stream == NULL && !g_socket_is_closed (conn->socket))
    {
      /* A request under way: its reading or writing fails, and libsoup
       * closes the connection as after any network error. */
      g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
    }

  connection_free (conn);
}

static gboolean
is_evictable (Connection *conn,
              ConnState   kind,
              gint64      now,
              gint64      min_idle_us)
{
  if (conn->state != kind)
    return FALSE;
  if (kind == CONN_READ_BODY)
    return now - conn->since >= SLOW_BODY_MS * 1000;
  if (kind == CONN_NEW || kind == CONN_IDLE || kind == CONN_WAIT_HEADERS)
    return now - conn->since >= min_idle_us;
  return TRUE;
}

/* Closes the connection that does least (of @client, if given); one that
 * waits for its client must have waited @min_idle_us at least. One pass,
 * oldest first: the first of the best kind wins.
 * Returns: %TRUE if one was closed */
static gboolean
evict_one (EscServiceListener *self,
           const char         *client,
           gint64              min_idle_us)
{
  static const ConnState kinds[] = {
    CONN_LINGERING, CONN_NEW, CONN_IDLE, CONN_DELAYED, CONN_WAIT_HEADERS, CONN_READ_BODY,
  };
  guint client_hash = client != NULL ? g_str_hash (client) : 0;
  gint64 now = g_get_monotonic_time ();
  Connection *best = NULL;
  guint best_rank = G_N_ELEMENTS (kinds);

  for (GList *l = self->order.head; l != NULL && best_rank > 0; l = l->next)
    {
      Connection *conn = l->data;

      if (client != NULL && (conn->client_hash != client_hash || strcmp (conn->client, client) != 0))
        continue;

      for (guint k = 0; k < best_rank; k++)
        {
          if (is_evictable (conn, kinds[k], now, min_idle_us))
            {
              best = conn;
              best_rank = k;
              break;
            }
        }
    }

  if (best == NULL)
    return FALSE;

  self->stats.evicted++;
  connection_close (best);
  return TRUE;
}

static Connection *
lookup (EscServiceListener *self,
        SoupServerMessage  *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->connections, remote) : NULL;
}

void
esc_service_listener_request_started (EscServiceListener *self,
                                      SoupServerMessage  *msg)
{
  Connection *conn = lookup (self, msg);

  if (conn == NULL || conn->stream != NULL)
    return;

  connection_stop_watching (conn);
  connection_set_msg (conn, msg);
  connection_set_state (conn, CONN_WAIT_HEADERS);
}


void
esc_service_listener_request_read (EscServiceListener *self,
                                   SoupServerMessage  *msg)
{
  Connection *conn = lookup (self, msg);

  if (conn != NULL && conn->msg == msg && conn->stream == NULL)
    connection_set_state (conn, CONN_HANDLING);
}

/* request-finished and request-aborted: the connection may be kept alive. */
void
esc_service_listener_request_done (EscServiceListener *self,
                                   SoupServerMessage  *msg)
{
  Connection *conn = lookup (self, msg);

  if (conn == NULL || conn->stream != NULL || conn->msg != msg)
    return;

  connection_set_state (conn, CONN_IDLE);
  connection_watch_hangup (conn);
}

/* Deadlines */

static gboolean
sweep_cb (gpointer user_data)
{
  EscServiceListener *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GList *l = self->order.head;

  while (l != NULL)
    {
      Connection *conn = l->data;

      l = l->next;
      if (conn->deadline == 0 || now < conn->deadline)
        continue;

      if (conn->state != CONN_LINGERING)
        self->stats.timed_out++;
      connection_close (conn);
      /* Closing may have freed the next one (a stolen connection's
       * messages): start again from the head. */
      l = self->order.head;
      now = g_get_monotonic_time ();
    }

  return G_SOURCE_CONTINUE;
}

static void
ensure_sweeping (EscServiceListener *self)
{
  guint shortest;
  guint interval;

  if (self->sweep_id != 0)
    return;

  shortest = MIN (MIN (self->limits.header_timeout_ms, self->limits.idle_timeout_ms),
                  MIN (self->limits.body_timeout_ms, self->limits.answer_timeout_ms));
  shortest = MIN (shortest, LINGER_MS);
  interval = CLAMP (shortest / 4, 20, 500);
  self->sweep_id = g_timeout_add (interval, sweep_cb, self);
}

/* Accepting */

static gboolean listen_ready_cb (GSocket      *socket,
                                 GIOCondition  condition,
                                 gpointer      user_data);

static void
watch_sockets (EscServiceListener *self)
{
  for (guint i = 0; i < self->sockets->len; i++)
    {
      GSource *source;

      if (g_ptr_array_index (self->sources, i) != NULL)
        continue;

      source = g_socket_create_source (g_ptr_array_index (self->sockets, i), G_IO_IN, NULL);
      g_source_set_callback (source, G_SOURCE_FUNC (listen_ready_cb), self, NULL);
      g_source_attach (source, NULL);
      g_ptr_array_index (self->sources, i) = source;
    }
}

static void
unwatch_sockets (EscServiceListener *self)
{
  for (guint i = 0; i < self->sources->len; i++)
    {
      GSource *source = g_ptr_array_index (self->sources, i);

      if (source != NULL)
        {
          g_source_destroy (source);
          g_source_unref (source);
          g_ptr_array_index (self->sources, i) = NULL;
        }
    }
}

static gboolean
resume_cb (gpointer user_data)
{
  EscServiceListener *self = user_data;

  self->resume_id = 0;
  watch_sockets (self);

  return G_SOURCE_REMOVE;
}

static void
note_exhausted (EscServiceListener *self,
                int                 saved_errno)
{
  gint64 now = g_get_monotonic_time ();

  self->stats.exhausted++;
  if (now - self->last_exhausted_log >= 10 * G_TIME_SPAN_SECOND)
    {
      self->last_exhausted_log = now;
      g_printerr ("escalade-service: cannot accept a connection (%s) with %u open; "
                  "accepting more slowly\n",
                  g_strerror (saved_errno), self->n_connections);
    }
}

/* The first bytes of a new connection: libsoup gets it now. */
static void
hand_over (Connection *conn)
{
  EscServiceListener *self = conn->listener;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) stream = NULL;
  gint64 deadline = conn->deadline;

  if (!(socket = g_socket_new_from_fd (conn->fd, &error)) ||
      !(remote = g_socket_get_remote_address (socket, NULL)) ||
      !(local = g_socket_get_local_address (socket, NULL)))
    {
      if (socket != NULL)
        {
          g_socket_close (socket, NULL);
          conn->fd = -1;
        }
      connection_free (conn);
      return;
    }
  conn->socket = g_object_ref (socket);

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (socket);

  if (self->tls_certificate != NULL)
    {
      stream = G_IO_STREAM (g_tls_server_connection_new (G_IO_STREAM (connection),
                                                         self->tls_certificate, &error));
      if (stream == NULL)
        {
          g_printerr ("escalade-service: TLS: %s\n", error->message);
          g_socket_close (socket, NULL);
          connection_free (conn);
          return;
        }
      g_object_set (stream, "require-close-notify", FALSE, NULL);
    }
  else
    stream = G_IO_STREAM (g_object_ref (connection));

  conn->remote = g_object_ref (remote);
  g_hash_table_insert (self->connections, conn->remote, conn);
  connection_set_state (conn, CONN_WAIT_HEADERS);
  /* The headers are due counting from the connection, not its first byte. */
  conn->deadline = deadline;

  /* libsoup emits request-started for the first message right away. */
  soup_server_accept_iostream (self->soup, stream, local, remote, NULL);
}

static gboolean
first_bytes_cb (int          fd,
                GIOCondition condition,
                gpointer     user_data)
{
  Connection *conn = user_data;
  char byte;
  gssize n = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&conn->hangup_source, g_source_unref);

  /* Closed (or reset) before a byte: it goes, unknown to libsoup. */
  if (n <= 0)
    connection_free (conn);
  else
    hand_over (conn);

  return G_SOURCE_REMOVE;
}

/* A new connection costs a descriptor and this record, and nothing else
 * until its first byte: libsoup only sees connections that send. */
static void
accept_fd (EscServiceListener *self,
           int                 fd)
{
  struct sockaddr_storage address = { 0, };
  socklen_t length = sizeof address;
  char client[INET6_ADDRSTRLEN] = "";
  Connection *conn;
  gint64 min_idle_us;
  gboolean eager;
  gboolean lazy_refused;
  char byte;
  guint count;

  if (getpeername (fd, (struct sockaddr *)&address, &length) != 0 ||
      (address.ss_family == AF_INET &&
       !inet_ntop (AF_INET, &((struct sockaddr_in *)&address)->sin_addr, client, sizeof client)) ||
      (address.ss_family == AF_INET6 &&
       !inet_ntop (AF_INET6, &((struct sockaddr_in6 *)&address)->sin6_addr, client, sizeof client)) ||
      (address.ss_family != AF_INET && address.ss_family != AF_INET6))
    {
      close (fd);
      return;
    }

  /* The caps: make room, or refuse. A connection whose request is already
   * there takes the place of any that waits for its client; one that has
   * sent nothing yet, only of one that has waited a while: a client that
   * opens connections and sends nothing (from the same address as real
   * clients, perhaps) cannot push the real ones out. */
  eager = recv (fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
  min_idle_us = eager ? 0 : (gint64)LAZY_MIN_WAIT_MS * 1000;
  /* Handed over silent by a deferring kernel, it has already waited
   * there: it takes no one's place (and, refused, is held there again
   * before it comes back, without a descriptor). */
  lazy_refused = !eager && self->deferred_ms > 0;
  if ((self->n_connections >= self->limits.max_connections &&
       (lazy_refused || !evict_one (self, NULL, min_idle_us))) ||
      (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_client, client)) >= self->limits.max_per_client &&
       (lazy_refused || !evict_one (self, client, min_idle_us))))
    {
      self->stats.refused++;
      close (fd);
      return;
    }

  conn = g_new0 (Connection, 1);
  conn->listener = self;
  conn->fd = fd;
  conn->client = g_strdup (client);
  conn->client_hash = g_str_hash (client);
  conn->link.data = conn;
  self->n_connections++;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_client, client));
  g_hash_table_insert (self->per_client, g_strdup (client), GUINT_TO_POINTER (count + 1));
  connection_set_state (conn, CONN_NEW);
  if (self->deferred_ms > 0 && !eager)
    {
      guint left = self->limits.header_timeout_ms > self->deferred_ms
                   ? self->limits.header_timeout_ms - self->deferred_ms : 0;

      conn->deadline = conn->since + (gint64)MAX (left, MIN (DEFERRED_GRACE_MS, self->limits.header_timeout_ms)) * 1000;
    }

  self->stats.accepted++;
  self->stats.peak_connections = MAX (self->stats.peak_connections, self->n_connections);

  if (eager)
    {
      hand_over (conn);
      return;
    }

  conn->hangup_source = g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_callback (conn->hangup_source, G_SOURCE_FUNC (first_bytes_cb), conn, NULL);
  g_source_attach (conn->hangup_source, NULL);
}

static gboolean
listen_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  EscServiceListener *self = user_data;
  int listen_fd = g_socket_get_fd (socket);

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      int fd = accept4 (listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

      if (fd >= 0)
        {
          accept_fd (self, fd);
          continue;
        }

      if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO || errno == EPERM)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        break;

      /* EMFILE, ENFILE, ENOBUFS, ENOMEM: no room. Free some and go on, or
       * wait a little (the clients wait in the backlog); never stop. */
      note_exhausted (self, errno);
      if (evict_one (self, NULL, 0))
        continue;

      unwatch_sockets (self);
      if (self->resume_id == 0)
        self->resume_id = g_timeout_add (EXHAUSTED_RETRY_MS, resume_cb, self);
      return G_SOURCE_CONTINUE;
    }

  return G_SOURCE_CONTINUE;
}

/**
 * esc_service_listener_add_socket:
 * @self: a #EscServiceListener
 * @socket: a listening socket
 *
 * Accepts the connections of @socket from now on.
 */
void
esc_service_listener_add_socket (EscServiceListener *self,
                                 GSocket            *socket)
{
  g_socket_set_blocking (socket, FALSE);
#ifdef TCP_DEFER_ACCEPT
  {
    /* A connection that sends nothing stays in the kernel, which holds
     * it without a descriptor until its first byte or for a while: the
     * kernel counts in SYN-ACK retransmissions, at 1, 3, 7, 15, … s, so
     * the longest of those within the header time (1 s at least); the
     * rest of it is counted here (accept_fd()). A silent client then
     * costs the service nothing for most of its header time, and an
     * attacker's reconnecting is that slow. */
    int seconds = 1;

    while ((guint)(2 * seconds + 1) * 1000 <= self->limits.header_timeout_ms && seconds < 1000)
      seconds = 2 * seconds + 1;
    if ((self->sockets->len == 0 || self->deferred_ms > 0) &&
        setsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_DEFER_ACCEPT,
                    &seconds, sizeof seconds) == 0)
      self->deferred_ms = (guint)seconds * 1000;
    else
      self->deferred_ms = 0;
  }
#endif
  g_ptr_array_add (self->sockets, g_object_ref (socket));
  g_ptr_array_add (self->sources, NULL);
  watch_sockets (self);
  ensure_sweeping (self);
}

/**
 * esc_service_listener_disconnect:
 * @self: a #EscServiceListener
 *
 * Stops listening and closes every connection.
 */
void
esc_service_listener_disconnect (EscServiceListener *self)
{
  unwatch_sockets (self);
  g_clear_handle_id (&self->resume_id, g_source_remove);
  g_clear_handle_id (&self->sweep_id, g_source_remove);

  for (guint i = 0; i < self->sockets->len; i++)
    g_socket_close (g_ptr_array_index (self->sockets, i), NULL);
  g_ptr_array_set_size (self->sockets, 0);
  g_ptr_array_set_size (self->sources, 0);

  while (self->order.head != NULL)
    connection_close (self->order.head->data);
}

void
esc_service_listener_free (EscServiceListener *self)
{
  if (self == NULL)
    return;

  esc_service_listener_disconnect (self);
  g_clear_object (&self->tls_certificate);
  g_ptr_array_unref (self->sockets);
  g_ptr_array_unref (self->sources);
  g_hash_table_unref (self->connections);
  g_hash_table_unref (self->per_client);
  g_hash_table_unref (self->sign_in_failures);
  g_hash_table_unref (self->unauthenticated);
  g_free (self);
}

/* Refusing before the body */

static void
append_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  GString *text = user_data;

  if (g_ascii_strcasecmp (name, "Content-Length") == 0 ||
      g_ascii_strcasecmp (name, "Connection") == 0 ||
      g_ascii_strcasecmp (name, "Transfer-Encoding") == 0)
    return;

  g_string_append_printf (text, "%s: %s\r\n", name, value);
}

/* The whole answer of @msg as it stands, as HTTP/1.1 text. */
static GBytes *
serialize_answer (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) flat = soup_message_body_flatten (body);
  GString *text = g_string_new (NULL);
  guint status = soup_server_message_get_status (msg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%a, %d %b %Y %H:%M:%S GMT");

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  if (soup_message_headers_get_one (soup_server_message_get_response_headers (msg), "Date") == NULL)
    g_string_append_printf (text, "Date: %s\r\n", date);
  soup_message_headers_foreach (soup_server_message_get_response_headers (msg),
                                append_header_cb, text);
  g_string_append_printf (text, "Content-Length: %" G_GSIZE_FORMAT "\r\n", g_bytes_get_size (flat));
  g_string_append (text, "Connection: close\r\n\r\n");
  g_string_append_len (text, g_bytes_get_data (flat, NULL), (gssize)g_bytes_get_size (flat));

  return g_string_free_to_bytes (text);
}

/* Writes the answer (small: it fits in the socket's buffer), shuts down
 * the writing side and lingers. */
static void
connection_write_answer (Connection *conn)
{
  GOutputStream *output = g_io_stream_get_output_stream (conn->stream);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (conn->answer, &size);
  gsize done = 0;

  while (done < size)
    {
      gssize n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output),
                                                             data + done, size - done, NULL, NULL);
      if (n <= 0)
        break;
      done += (gsize)n;
    }
  g_clear_pointer (&conn->answer, g_bytes_unref);

  if (conn->listener->tls_certificate == NULL)
    g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);

  connection_set_state (conn, CONN_LINGERING);
  connection_watch_hangup (conn);
}

static gboolean
delayed_answer_cb (gpointer user_data)
{
  Connection *conn = user_data;

  connection_write_answer (conn);

  return G_SOURCE_REMOVE;
}

gboolean
esc_service_listener_answer_and_close (EscServiceListener *self,
                                       SoupServerMessage  *msg,
                                       guint               delay_ms)
{
  Connection *conn = lookup (self, msg);
  g_autoptr(GIOStream) stream = NULL;

  if (conn == NULL || conn->stream != NULL)
    return FALSE;

  conn->answer = serialize_answer (msg);
  connection_set_msg (conn, NULL);
  if (!(stream = soup_server_message_steal_connection (msg)))
    {
      g_clear_pointer (&conn->answer, g_bytes_unref);
      return FALSE;
    }
  conn->stream = g_steal_pointer (&stream);

  if (delay_ms == 0)
    {
      connection_write_answer (conn);
    }
  else
    {
      connection_set_state (conn, CONN_DELAYED);
      conn->deadline = 0;
      connection_stop_watching (conn);
      conn->hangup_source = g_timeout_source_new (delay_ms);
      g_source_set_callback (conn->hangup_source, delayed_answer_cb, conn, NULL);
      g_source_attach (conn->hangup_source, NULL);
    }

  return TRUE;
}

/* Failed sign-ins */

guint
esc_service_listener_note_failed_sign_in (EscServiceListener *self,
                                          SoupServerMessage  *msg)
{
  const char *client = soup_server_message_get_remote_host (msg);
  SignInFailures *failures;
  gint64 now = g_get_monotonic_time ();
  guint extra;

  if (client == NULL)
    return 0;

  if ((failures = g_hash_table_lookup (self->sign_in_failures, client)) == NULL)
    {
      /* Bounded: forget everyone rather than grow without end. */
      if (g_hash_table_size (self->sign_in_failures) >= SIGN_IN_CLIENTS_MAX)
        g_hash_table_remove_all (self->sign_in_failures);
      failures = g_new0 (SignInFailures, 1);
      failures->window_start = now;
      g_hash_table_insert (self->sign_in_failures, g_strdup (client), failures);
    }

  if (now - failures->window_start >= SIGN_IN_WINDOW_US)
    {
      failures->window_start = now;
      failures->failures = 0;
    }

  failures->failures++;
  if (failures->failures <= SIGN_IN_FREE_FAILURES)
    return 0;

  extra = MIN (failures->failures - SIGN_IN_FREE_FAILURES - 1, 5);

  return MIN ((guint)SIGN_IN_FIRST_DELAY_MS << extra, (guint)SIGN_IN_MAX_DELAY_MS);
}

/* Requests without a token */

guint
esc_service_listener_note_unauthenticated (EscServiceListener *self,
                                           SoupServerMessage  *msg)
{
  const char *client = soup_server_message_get_remote_host (msg);
  gint64 now = g_get_monotonic_time ();
  Bucket *bucket;
  double lowest = -(double)UNAUTHENTICATED_RATE * UNAUTHENTICATED_MAX_DELAY_MS / 1000.0;

  if (client == NULL)
    return 0;

  if ((bucket = g_hash_table_lookup (self->unauthenticated, client)) == NULL)
    {
      /* Bounded: forget everyone rather than grow without end. */
      if (g_hash_table_size (self->unauthenticated) >= SIGN_IN_CLIENTS_MAX)
        g_hash_table_remove_all (self->unauthenticated);
      bucket = g_new0 (Bucket, 1);
      bucket->updated = now;
      bucket->tokens = UNAUTHENTICATED_BURST;
      g_hash_table_insert (self->unauthenticated, g_strdup (client), bucket);
    }

  bucket->tokens = MIN ((double)UNAUTHENTICATED_BURST,
                        bucket->tokens + (now - bucket->updated) * (double)UNAUTHENTICATED_RATE / G_TIME_SPAN_SECOND);
  bucket->updated = now;
  /* Past the longest hold, the newest wait as long as the last. */
  bucket->tokens = MAX (bucket->tokens - 1, lowest);
  if (bucket->tokens >= 0)
    return 0;

  return (guint)MIN (-bucket->tokens * 1000.0 / UNAUTHENTICATED_RATE, (double)UNAUTHENTICATED_MAX_DELAY_MS);
}
