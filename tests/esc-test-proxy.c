/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "esc-test-proxy.h"

struct _EscTestProxy
{
  SoupServer              *server;
  SoupSession             *session;
  char                    *url;
  char                    *upstream;
  GQueue                   faults;   /* GUINT_TO_POINTER (EscTestFault) */
  GRand                   *rand;
  double                   rate;
  GPtrArray               *stalled;  /* SoupServerMessage, paused for good */
  EscTestProxyServiceFunc  service_func;
  gpointer                 service_data;
  guint                    n_forwarded;
  guint                    n_faults[ESC_TEST_N_FAULTS];
  guint                    n_garbage;
  guint                    in_flight;
  guint                    n_busy;        /* change requests still to answer 503 */
  guint                    busy_seconds;  /* their Retry-After */
  guint                    n_busy_answered;
};

/* One request on its way through the proxy. */
typedef struct
{
  EscTestProxy      *proxy;
  SoupServerMessage *message;
  SoupMessage       *upstream;
  EscTestFault       fault;
  gboolean           killed;
} Forward;

static const char * const fault_names[] = {
  "none", "500-before", "500-after", "close-before", "close-after", "stall-before",
  "stall-after", "garbage-after", "kill-service",
};

G_STATIC_ASSERT (G_N_ELEMENTS (fault_names) == ESC_TEST_N_FAULTS);

const char *
esc_test_fault_to_string (EscTestFault fault)
{
  g_return_val_if_fail ((guint)fault < ESC_TEST_N_FAULTS, NULL);
  return fault_names[fault];
}

/* What a broken server or a captive portal might send with a 2xx. */
static const char * const garbage[] = {
  "{\"id\":\"SR-0",
  "<html><body>Gateway</body></html>",
  "\x01\x02\x03\xff\xfe not json at all",
  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
  "{\"id\":\"SR-000001\"}",
  "",
};

static void
forward_free (Forward *forward)
{
  forward->proxy->in_flight--;
  g_clear_object (&forward->message);
  g_clear_object (&forward->upstream);
  g_free (forward);
}

static gboolean
is_change (const char *method)
{
  return g_str_equal (method, "POST") || g_str_equal (method, "PUT") ||
         g_str_equal (method, "PATCH") || g_str_equal (method, "DELETE");
}

static EscTestFault
next_fault (EscTestProxy *self)
{
  if (!g_queue_is_empty (&self->faults))
    return GPOINTER_TO_UINT (g_queue_pop_head (&self->faults));

  if (self->rand != NULL && self->rate > 0 && g_rand_double (self->rand) < self->rate)
    return (EscTestFault)g_rand_int_range (self->rand, 1, ESC_TEST_N_FAULTS);

  return ESC_TEST_FAULT_NONE;
}

static void
close_connection (SoupServerMessage *message)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (message);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
answer (SoupServerMessage *message,
        guint              status,
        const char        *content_type,
        const char        *body,
        gsize              length)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY, body, length);
}

static void
answer_problem (SoupServerMessage *message,
                guint              status,
                const char        *detail)
{
  g_autofree char *body = g_strdup_printf ("{\"type\":\"about:blank\",\"title\":\"%s\","
                                           "\"status\":%u,\"detail\":\"%s\"}",
                                           soup_status_get_phrase (status), status, detail);

  answer (message, status, "application/problem+json", body, strlen (body));
}

static void
copy_header (SoupMessageHeaders *from,
             SoupMessageHeaders *to,
             const char         *name)
{
  const char *value = soup_message_headers_get_one (from, name);

  if (value != NULL)
    soup_message_headers_replace (to, name, value);
}

static void
upstream_wrote_body_cb (SoupMessage *upstream,
                        gpointer     user_data)
{
  Forward *forward = user_data;

  /* The request is on the service's socket: kill it now, mid-request. */
  if (forward->fault == ESC_TEST_FAULT_KILL_SERVICE && !forward->killed &&
      forward->proxy->service_func != NULL)
    {
      forward->killed = TRUE;
      g_free (forward->proxy->service_func (FALSE, forward->proxy->service_data));
    }
}

static void
forwarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Forward *forward = user_data;
  EscTestProxy *self = forward->proxy;
  SoupServerMessage *message = forward->message;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *from;
  SoupMessageHeaders *to;
  gsize length;
  const char *data;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);

  if (forward->killed)
    {
      g_autofree char *url = self->service_func (TRUE, self->service_data);

      esc_test_proxy_set_upstream (self, url);
    }

  if (body == NULL)
    {
      /* What a reverse proxy answers when the service went away. */
      answer_problem (message, SOUP_STATUS_BAD_GATEWAY, "The service did not answer.");
      soup_server_message_unpause (message);
      forward_free (forward);
      return;
    }

  self->n_forwarded++;

  switch (forward->fault)
    {
    case ESC_TEST_FAULT_500_AFTER:
      answer_problem (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Injected after the service.");
      break;

    case ESC_TEST_FAULT_CLOSE_AFTER:
      soup_server_message_unpause (message);
      close_connection (message);
      forward_free (forward);
      return;

    case ESC_TEST_FAULT_STALL_AFTER:
      g_ptr_array_add (self->stalled, g_object_ref (message));
      forward_free (forward);
      return;

    case ESC_TEST_FAULT_GARBAGE_AFTER:
      {
        const char *text = garbage[self->n_garbage++ % G_N_ELEMENTS (garbage)];

        answer (message, SOUP_STATUS_OK, "application/json", text, strlen (text));
        break;
      }

    case ESC_TEST_FAULT_NONE:
    case ESC_TEST_FAULT_KILL_SERVICE:
    case ESC_TEST_FAULT_500_BEFORE:
    case ESC_TEST_FAULT_CLOSE_BEFORE:
    case ESC_TEST_FAULT_STALL_BEFORE:
    case ESC_TEST_N_FAULTS:
    default:
      from = soup_message_get_response_headers (forward->upstream);
      to = soup_server_message_get_response_headers (message);
      copy_header (from, to, "Location");
      copy_header (from, to, "Idempotent-Replayed");
      copy_header (from, to, "WWW-Authenticate");
      copy_header (from, to, "X-Escalade-Api");
      data = g_bytes_get_data (body, &length);
      answer (message, soup_message_get_status (forward->upstream),
              soup_message_headers_get_content_type (from, NULL), data, length);
      break;
    }

  soup_server_message_unpause (message);
  forward_free (forward);
}

static void
forward_request (Forward *forward)
{
  EscTestProxy *self = forward->proxy;
  SoupServerMessage *message = forward->message;
  SoupMessageHeaders *from = soup_server_message_get_request_headers (message);
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  GUri *uri = soup_server_message_get_uri (message);
  const char *query = g_uri_get_query (uri);
  SoupMessageHeaders *to;

  url = g_strconcat (self->upstream, g_uri_get_path (uri), query != NULL ? "?" : "",
                     query != NULL ? query : "", NULL);
  forward->upstream = soup_message_new (soup_server_message_get_method (message), url);
  soup_message_add_flags (forward->upstream, SOUP_MESSAGE_NO_REDIRECT);
  to = soup_message_get_request_headers (forward->upstream);
  copy_header (from, to, "Authorization");
  copy_header (from, to, "Accept");
  copy_header (from, to, "Idempotency-Key");
  copy_header (from, to, "User-Agent");

  bytes = soup_message_body_flatten (request_body);
  if (g_bytes_get_size (bytes) > 0 || soup_message_headers_get_content_type (from, NULL) != NULL)
    soup_message_set_request_body_from_bytes (forward->upstream,
                                              soup_message_headers_get_content_type (from, NULL),
                                              bytes);

  g_signal_connect (forward->upstream, "wrote-body", G_CALLBACK (upstream_wrote_body_cb), forward);
  soup_session_send_and_read_async (self->session, forward->upstream, G_PRIORITY_DEFAULT, NULL,
                                    forwarded_cb, forward);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  EscTestProxy *self = user_data;
  const char *method = soup_server_message_get_method (message);
  EscTestFault fault = ESC_TEST_FAULT_NONE;
  Forward *forward;

  /* Overloaded: a 503 with Retry-After, as the service answers when its
   * writes queue up (a change refused before it did anything) */
  if (is_change (method) && self->n_busy > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", self->busy_seconds);

      self->n_busy--;
      self->n_busy_answered++;
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", seconds);
      answer_problem (message, SOUP_STATUS_SERVICE_UNAVAILABLE, "Injected: the service is busy.");
      return;
    }

  if (is_change (method))
    fault = next_fault (self);
  if (fault == ESC_TEST_FAULT_KILL_SERVICE && self->service_func == NULL)
    fault = ESC_TEST_FAULT_NONE;
  self->n_faults[fault]++;

  switch (fault)
    {
    case ESC_TEST_FAULT_500_BEFORE:
      answer_problem (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Injected before the service.");
      return;

    case ESC_TEST_FAULT_CLOSE_BEFORE:
      close_connection (message);
      return;

    case ESC_TEST_FAULT_STALL_BEFORE:
      soup_server_message_pause (message);
      g_ptr_array_add (self->stalled, g_object_ref (message));
      return;

    case ESC_TEST_FAULT_NONE:
    case ESC_TEST_FAULT_500_AFTER:
    case ESC_TEST_FAULT_CLOSE_AFTER:
    case ESC_TEST_FAULT_STALL_AFTER:
    case ESC_TEST_FAULT_GARBAGE_AFTER:
    case ESC_TEST_FAULT_KILL_SERVICE:
    case ESC_TEST_N_FAULTS:
    default:
      break;
    }

  soup_server_message_pause (message);
  forward = g_new0 (Forward, 1);
  forward->proxy = self;
  forward->message = g_object_ref (message);
  forward->fault = fault;
  self->in_flight++;
  forward_request (forward);
}

/**
 * esc_test_proxy_new:
 * @upstream: the service's base URL
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a proxy listening on a free loopback port
 */
EscTestProxy *
esc_test_proxy_new (const char  *upstream,
                    GError     **error)
{
  g_autoptr(EscTestProxy) self = g_new0 (EscTestProxy, 1);
  GSList *uris;

  g_queue_init (&self->faults);
  self->stalled = g_ptr_array_new_with_free_func (g_object_unref);
  self->upstream = g_strdup (upstream);
  self->session = soup_session_new_with_options ("timeout", 60, NULL);
  self->server = soup_server_new ("server-header", "escalade-test-proxy", NULL);
  soup_server_add_handler (self->server, NULL, on_request_cb, self, NULL);

  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';

  return g_steal_pointer (&self);
}

const char *
esc_test_proxy_get_url (EscTestProxy *self)
{
  return self->url;
}

void
esc_test_proxy_set_upstream (EscTestProxy *self,
                             const char   *upstream)
{
  g_free (self->upstream);
  self->upstream = g_strdup (upstream);
}

void
esc_test_proxy_set_service_func (EscTestProxy            *self,
                                 EscTestProxyServiceFunc  func,
                                 gpointer                 user_data)
{
  self->service_func = func;
  self->service_data = user_data;
}

void
esc_test_proxy_push_fault (EscTestProxy *self,
                           EscTestFault  fault)
{
  g_return_if_fail ((guint)fault < ESC_TEST_N_FAULTS);

  g_queue_push_tail (&self->faults, GUINT_TO_POINTER (fault));
}

void
esc_test_proxy_set_random (EscTestProxy *self,
                           GRand        *rand,
                           double        rate)
{
  self->rand = rand;
  self->rate = rate;
}

guint
esc_test_proxy_get_n_forwarded (EscTestProxy *self)
{
  return self->n_forwarded;
}

guint
esc_test_proxy_get_n_faults (EscTestProxy *self,
                             EscTestFault  fault)
{
  g_return_val_if_fail ((guint)fault < ESC_TEST_N_FAULTS, 0);

  return self->n_faults[fault];
}

void
esc_test_proxy_release_stalled (EscTestProxy *self)
{
  for (guint i = 0; i < self->stalled->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (self->stalled, i);

      /* The client gave up long ago; let the server drop the connection. */
      soup_server_message_unpause (message);
      close_connection (message);
    }
  g_ptr_array_set_size (self->stalled, 0);
}

void
esc_test_proxy_free (EscTestProxy *self)
{
  if (self == NULL)
    return;

  /* Requests still being forwarded finish first: they point at us. */
  while (self->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);

  if (self->stalled != NULL)
    esc_test_proxy_release_stalled (self);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_queue_clear (&self->faults);
  g_clear_pointer (&self->stalled, g_ptr_array_unref);
  g_free (self->url);
  g_free (self->upstream);
  g_free (self);
}

/* The next @n change requests are answered 503 with "Retry-After: @seconds",
 * without reaching the service. */
void
esc_test_proxy_set_busy (EscTestProxy *self,
                         guint         n,
                         guint         seconds)
{
  self->n_busy = n;
  self->busy_seconds = seconds;
}

guint
esc_test_proxy_get_n_busy (EscTestProxy *self)
{
  return self->n_busy_answered;
}
