/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-client-private.h"
#include "esc-test-service.h"

/* The real escalade-service, shared by the tests that need it. */
static EscTestService *service;

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static EscIdentity *
get_me (EscClient     *client,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  esc_client_get_me_async (client, cancellable, on_result_cb, &result);
  return esc_client_get_me_finish (client, await_result (&result), error);
}

static EscClient *
new_client (const char *base_url,
            const char *token)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_client_set_base_url (client, base_url, &error));
  g_assert_no_error (error);
  esc_client_set_token (client, token);

  return g_steal_pointer (&client);
}

/* What the service says about a request, read without EscClient. */
static char *
fetch_problem_detail (const char *url,
                      const char *token)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  JsonObject *problem;
  gsize size;
  const char *data;

  soup_message_headers_append (soup_message_get_request_headers (message),
                               "Authorization", authorization);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 401);

  data = g_bytes_get_data (body, &size);
  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  problem = json_node_get_object (json_parser_get_root (parser));

  return g_strdup (json_object_get_string_member (problem, "detail"));
}

static void
test_me_good_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autofree char *token = NULL;
  g_autofree char *description = NULL;

  token = esc_test_service_create_token (service, "camille", "camille@example.org", "it-admin", &error);
  g_assert_no_error (error);

  client = new_client (esc_test_service_get_url (service), token);
  identity = get_me (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);

  g_assert_cmpstr (esc_identity_get_name (identity), ==, "camille");
  g_assert_cmpstr (esc_identity_get_email (identity), ==, "camille@example.org");
  g_assert_true (g_strv_contains (esc_identity_get_roles (identity), "it-admin"));
  g_assert_true (esc_identity_has_role (identity, "it-admin"));
  g_assert_false (esc_identity_has_role (identity, "operator"));

  description = esc_identity_dup_description (identity);
  g_assert_true (g_str_has_prefix (description, "camille (IT administrator"));

  /* The same client, and session, serves the next request too. */
  g_clear_object (&identity);
  identity = get_me (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_identity_get_name (identity), ==, "camille");
}

static void
test_me_wrong_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autofree char *url = NULL;
  g_autofree char *detail = NULL;

  client = new_client (esc_test_service_get_url (service), "esc_not-a-token-of-this-service");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
  g_assert_null (identity);

  /* The message carries the service's own explanation. */
  url = g_strconcat (esc_test_service_get_url (service), "/v1/me", NULL);
  detail = fetch_problem_detail (url, "esc_not-a-token-of-this-service");
  g_assert_nonnull (detail);
  g_assert_nonnull (strstr (error->message, detail));
  g_test_message ("%s", error->message);
}

static void
test_me_no_token (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;

  client = new_client (esc_test_service_get_url (service), NULL);
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
  g_assert_null (identity);

  /* Nothing but white space is no token either. */
  g_clear_error (&error);
  esc_client_set_token (client, "  \n");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
}

static void
test_me_bad_token_characters (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;

  /* Refused before anything is sent: it could not travel in a header. */
  client = new_client ("http://127.0.0.1:9", "two\nlines");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED);
  g_assert_null (identity);
}

static guint16
get_unused_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
}

static void
test_me_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autofree char *url = NULL;

  url = g_strdup_printf ("http://127.0.0.1:%u", get_unused_port ());
  client = new_client (url, "esc_whatever");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_null (identity);
}

static void
assert_url_refused (EscClient  *client,
                    const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = g_strdup (esc_client_get_base_url (client));
  gboolean accepted;

  accepted = esc_client_set_base_url (client, url, &error);
  if (accepted)
    g_test_message ("accepted: %s", url);
  g_assert_false (accepted);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  g_assert_cmpstr (esc_client_get_base_url (client), ==, before);
}

static void
assert_url_accepted (EscClient  *client,
                     const char *url,
                     const char *expected)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (esc_client_set_base_url (client, url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (esc_client_get_base_url (client), ==, expected);
}

static void
test_base_url (void)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a base URL, nothing can be asked. */
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  g_clear_error (&error);

  /* Plain http to another host would carry the token in clear. */
  g_assert_false (esc_client_set_base_url (client, "http://example.org", &error));
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  assert_url_refused (client, "http://example.org:8080/escalade");
  assert_url_refused (client, "http://127.0.0.1.example.org");
  assert_url_refused (client, "http://10.0.0.1");
  assert_url_refused (client, "ftp://127.0.0.1");
  assert_url_refused (client, "example.org");
  assert_url_refused (client, "");
  assert_url_refused (client, "https://");
  assert_url_refused (client, "https://camille:secret@escalade.example.org");
  assert_url_refused (client, "https://escalade.example.org/?tenant=1");
  assert_url_refused (client, "https://escalade.example.org/#top");
  assert_url_refused (client, "https://escalade example.org");

  assert_url_accepted (client, "https://escalade.example.org/", "https://escalade.example.org");
  assert_url_accepted (client, " HTTPS://escalade.example.org:8443/api// ",
                       "https://escalade.example.org:8443/api");
  assert_url_accepted (client, "http://127.0.0.1:8080/", "http://127.0.0.1:8080");
  assert_url_accepted (client, "http://127.3.2.1", "http://127.3.2.1");
  assert_url_accepted (client, "http://[::1]:8080", "http://[::1]:8080");
  assert_url_accepted (client, "http://localhost:8080", "http://localhost:8080");
  assert_url_accepted (client, "http://LOCALHOST", "http://LOCALHOST");

  /* A refused URL leaves the previous one in place. */
  assert_url_refused (client, "http://example.org");
  g_assert_cmpstr (esc_client_get_base_url (client), ==, "http://LOCALHOST");

  g_assert_true (esc_client_set_base_url (client, NULL, &error));
  g_assert_null (esc_client_get_base_url (client));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
test_me_tls_untrusted (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscTestService) tls_service = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *token = NULL;

  dir = g_dir_make_tmp ("escalade-tls-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_true (esc_test_make_self_signed_cert (dir, &cert, &key, &error));
  g_assert_no_error (error);

  tls_service = esc_test_service_start_tls (cert, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (esc_test_service_get_url (tls_service), "https://"));

  token = esc_test_service_create_token (tls_service, "camille", "camille@example.org", "it-admin", &error);
  g_assert_no_error (error);

  /* A self-signed certificate is not trusted, and nothing overrides that. */
  client = new_client (esc_test_service_get_url (tls_service), token);
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_null (identity);
  g_test_message ("%s", error->message);

  g_clear_pointer (&tls_service, esc_test_service_stop);
  remove_tree (dir);
}

/* A loopback web server that is not Escalade, or a broken one. */
typedef struct
{
  SoupServer         *server;
  char               *url;
  SoupServerMessage  *paused;
  char               *authorization;
  char               *accept;
  char               *user_agent;
} FakeServer;

static void
on_fake_request_cb (SoupServer        *server,
                    SoupServerMessage *message,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  FakeServer *fake = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (message);
  const char *html = "<!DOCTYPE html><html><body>It works!</body></html>";
  struct {
    const char *prefix;
    guint status;
    const char *content_type;
    const char *body;
  } answers[] = {
    { "/html-200", 200, "text/html", html },
    { "/html-404", 404, "text/html", html },
    { "/plain-json", 200, "text/plain", "{\"name\":\"camille\"}" },
    { "/truncated-json", 200, "application/json", "{\"id\":1,\"name\":\"cam" },
    { "/empty-json", 200, "application/json", "" },
    { "/missing-fields", 200, "application/json", "{\"id\":1,\"name\":\"camille\"}" },
    { "/problem-500", 500, "application/problem+json",
      "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,"
      "\"detail\":\"The database is locked.\"}" },
    { "/bare-502", 502, "text/html", html },
    { "/problem-403", 403, "application/problem+json",
      "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
      "\"detail\":\"Only IT administrators may do this.\"}" },
    { "/problem-404", 404, "application/problem+json",
      "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}" },
    { "/problem-422", 422, "application/problem+json",
      "{\"type\":\"about:blank\",\"title\":\"Unprocessable\",\"status\":422,"
      "\"detail\":\"Escalations must be severity C.\"}" },
    { "/problem-401", 401, "application/problem+json", "this is not json" },
    { "/identity", 200, "application/json; charset=utf-8",
      "{\"id\":7,\"name\":\"dominique\",\"email\":\"dominique@example.org\","
      "\"roles\":[\"support-staff\"],\"designations\":[\"escalation\",\"elevation\"]}" },
  };

  if (g_str_has_prefix (path, "/stall"))
    {
      /* Never answer: the client must give up on its own. */
      g_clear_object (&fake->paused);
      fake->paused = g_object_ref (message);
      soup_server_message_pause (message);
      return;
    }

  if (g_str_has_prefix (path, "/huge"))
    {
      /* 17 MiB of a JSON string: more than the client reads. Chunked (no
       * length announced) or with its Content-Length. */
      gsize size = 17 * 1024 * 1024;
      char *huge = g_malloc (size);

      memset (huge, 'a', size);
      huge[0] = '"';
      huge[size - 1] = '"';
      soup_server_message_set_status (message, 200, NULL);
      if (g_str_has_prefix (path, "/huge-chunked"))
        soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE, huge, size);
      return;
    }

  if (g_str_has_prefix (path, "/redirect"))
    {
      soup_message_headers_replace (response_headers, "Location", "http://example.org/v1/me");
      soup_server_message_set_status (message, 302, NULL);
      return;
    }

  g_free (fake->authorization);
  fake->authorization = g_strdup (soup_message_headers_get_one (request_headers, "Authorization"));
  g_free (fake->accept);
  fake->accept = g_strdup (soup_message_headers_get_one (request_headers, "Accept"));
  g_free (fake->user_agent);
  fake->user_agent = g_strdup (soup_message_headers_get_one (request_headers, "User-Agent"));

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      if (!g_str_has_prefix (path, answers[i].prefix))
        continue;

      soup_server_message_set_status (message, answers[i].status, NULL);
      soup_server_message_set_response (message, answers[i].content_type, SOUP_MEMORY_COPY,
                                        answers[i].body, strlen (answers[i].body));
      return;
    }

  soup_server_message_set_status (message, 500, NULL);
}

static FakeServer *
fake_server_new (void)
{
  FakeServer *fake = g_new0 (FakeServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fake->server = soup_server_new ("server-header", "Apache/2.4", NULL);
  soup_server_add_handler (fake->server, NULL, on_fake_request_cb, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);
  fake->url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (fake->url, "/"))
    fake->url[strlen (fake->url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  if (fake->paused != NULL)
    {
      soup_server_message_set_status (fake->paused, 503, NULL);
      soup_server_message_unpause (fake->paused);
      g_clear_object (&fake->paused);
    }
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);

  /* Let the closed connections go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (fake->url);
  g_free (fake->authorization);
  g_free (fake->accept);
  g_free (fake->user_agent);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

/* The fake server answers according to the path, so each case gets a base
 * URL of its own; the client adds /v1/me. */
static EscClient *
new_fake_client (FakeServer *fake,
                 const char *mode)
{
  g_autofree char *base = g_strconcat (fake->url, mode, NULL);

  return new_client (base, "esc_token-for-the-fake-server\n");
}

static void
assert_fake_error (FakeServer *fake,
                   const char *mode,
                   gint        code)
{
  g_autoptr(EscClient) client = new_fake_client (fake, mode);
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, code);
  g_assert_null (identity);
  g_test_message ("%s: %s", mode, error->message);
}

static void
test_me_not_escalade (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();

  assert_fake_error (fake, "/html-200", ESC_API_ERROR_NOT_ESCALADE);
  assert_fake_error (fake, "/html-404", ESC_API_ERROR_NOT_ESCALADE);
  assert_fake_error (fake, "/plain-json", ESC_API_ERROR_NOT_ESCALADE);
  /* Redirects are not followed: they could take the token elsewhere. */
  assert_fake_error (fake, "/redirect", ESC_API_ERROR_NOT_ESCALADE);
}

static void
test_me_invalid_response (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();

  /* Declared as JSON, but garbled: a broken Escalade, not another server. */
  assert_fake_error (fake, "/truncated-json", ESC_API_ERROR_INVALID_RESPONSE);
  assert_fake_error (fake, "/empty-json", ESC_API_ERROR_INVALID_RESPONSE);
  assert_fake_error (fake, "/missing-fields", ESC_API_ERROR_INVALID_RESPONSE);
}

static void
test_me_huge_answer (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  const char * const paths[] = { "/huge", "/huge-chunked" };

  /* Not read beyond 16 MiB, announced or not. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(EscClient) client = new_fake_client (fake, paths[i]);
      g_autoptr(EscIdentity) identity = NULL;
      g_autoptr(GError) error = NULL;

      identity = get_me (client, NULL, &error);
      g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "larger than 16 MiB"));
      g_assert_null (identity);
    }
}

static void
test_me_problems (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  client = new_fake_client (fake, "/problem-500");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "The database is locked."));
  g_clear_error (&error);
  g_clear_object (&client);

  client = new_fake_client (fake, "/problem-403");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Only IT administrators may do this."));
  g_clear_error (&error);
  g_clear_object (&client);

  client = new_fake_client (fake, "/problem-422");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_nonnull (strstr (error->message, "Escalations must be severity C."));
  g_clear_error (&error);
  g_clear_object (&client);

  /* Without a detail, the title; without a readable problem, our own words. */
  client = new_fake_client (fake, "/problem-404");
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Not Found"));
  g_clear_error (&error);

  assert_fake_error (fake, "/problem-401", ESC_API_ERROR_UNAUTHORIZED);
  assert_fake_error (fake, "/bare-502", ESC_API_ERROR_SERVER);
}

static void
test_me_request (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  client = new_fake_client (fake, "/identity");
  identity = get_me (client, NULL, &error);
  g_assert_no_error (error);

  /* The pasted newline is gone; the rest is what the service expects. */
  g_assert_cmpstr (fake->authorization, ==, "Bearer esc_token-for-the-fake-server");
  g_assert_nonnull (strstr (fake->accept, "application/json"));
  g_assert_cmpstr (fake->user_agent, ==, "Escalade/" PACKAGE_VERSION);

  g_assert_cmpstr (esc_identity_get_name (identity), ==, "dominique");
  description = esc_identity_dup_description (identity);
  g_assert_cmpstr (description, ==, "dominique (support staff, elevation, escalation)");
}

static void
test_me_timeout (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(EscClient) client = new_fake_client (fake, "/stall");
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  g_assert_cmpuint (esc_client_get_timeout (client), ==, 20);
  esc_client_set_timeout (client, 1);
  g_assert_cmpuint (esc_client_get_timeout (client), ==, 1);

  started = g_get_monotonic_time ();
  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, ESC_API_ERROR_TIMED_OUT);
  g_assert_null (identity);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
  g_test_message ("%s", error->message);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_me_cancelled (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ();
  g_autoptr(EscClient) client = new_fake_client (fake, "/stall");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, cancel_cb,
                      g_object_ref (cancellable), g_object_unref);
  identity = get_me (client, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (identity);
}

/* A loopback TCP server for answers SoupServer would not send. */
typedef struct
{
  GSocketService *service;
  char           *url;
  const char     *answer;
} RawServer;

static void
on_raw_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GSocketConnection) connection = user_data;
  g_autoptr(GBytes) request = NULL;
  RawServer *raw = g_object_get_data (G_OBJECT (connection), "raw-server");
  GOutputStream *output;

  request = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, raw->answer, strlen (raw->answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static gboolean
on_raw_incoming_cb (GSocketService    *socket_service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    gpointer           user_data)
{
  g_object_set_data (G_OBJECT (connection), "raw-server", user_data);
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   4096, G_PRIORITY_DEFAULT, NULL,
                                   on_raw_read_cb, g_object_ref (connection));
  return TRUE;
}

static RawServer *
raw_server_new (const char *answer)
{
  RawServer *raw = g_new0 (RawServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  raw->answer = answer;
  raw->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (raw->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  g_signal_connect (raw->service, "incoming", G_CALLBACK (on_raw_incoming_cb), raw);
  g_socket_service_start (raw->service);

  raw->url = g_strdup_printf ("http://127.0.0.1:%u",
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  return raw;
}

static void
raw_server_free (RawServer *raw)
{
  g_socket_service_stop (raw->service);
  g_socket_listener_close (G_SOCKET_LISTENER (raw->service));
  g_clear_object (&raw->service);
  g_free (raw->url);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawServer, raw_server_free)

static void
assert_raw_error (const char *answer,
                  gint        code)
{
  g_autoptr(RawServer) raw = raw_server_new (answer);
  g_autoptr(EscClient) client = new_client (raw->url, "esc_token");
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = get_me (client, NULL, &error);
  g_assert_error (error, ESC_API_ERROR, code);
  g_assert_null (identity);
  g_test_message ("%s", error->message);
}

static void
test_me_broken_answers (void)
{
  /* Not HTTP at all, e.g. another protocol on that port. */
  assert_raw_error ("SSH-2.0-OpenSSH_9.2\r\n", ESC_API_ERROR_NOT_ESCALADE);

  /* The connection drops in the middle of the body. */
  assert_raw_error ("HTTP/1.1 200 OK\r\n"
                    "Content-Type: application/json\r\n"
                    "Content-Length: 200\r\n"
                    "\r\n"
                    "{\"id\":1,\"name\":\"camille\"",
                    ESC_API_ERROR_INVALID_RESPONSE);
}

/* Like await_result(), but fails after @seconds: a request that never ends
 * is a hung sync. */
static GAsyncResult *
await_result_within (GAsyncResult **slot,
                     guint          seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > end)
        g_error ("The request did not end within %u s", seconds);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_TIME_SPAN_MILLISECOND);
    }

  return *slot;
}

typedef struct
{
  EscClient    *client;
  GAsyncResult *result;
  guint         busy_msec;
} BusyRequest;

/* An iteration that takes a while (the app stores a sync page, draws a long
 * list), and queues a request at its end. */
static gboolean
busy_then_request_cb (gpointer user_data)
{
  BusyRequest *busy = user_data;

  g_usleep (busy->busy_msec * G_TIME_SPAN_MILLISECOND);
  esc_client_get_me_async (busy->client, NULL, on_result_cb, &busy->result);

  return G_SOURCE_REMOVE;
}

/* libsoup 3.2 freed a connection in use when its idle timer became due in
 * the iteration that queued a request on it (see close_idle_connections_cb()
 * in esc-client.c): the app crashed in its sync. Recreate that moment, with
 * a one-second idle timeout, at several points of the expiry; with libsoup's
 * own idle timer this reads freed memory (ASan reports it; without ASan the
 * process usually dies). */
static void
test_idle_timeout_race (void)
{
  static const guint after_expiry_msec[] = { 1, 3, 6, 10, 15, 20 };
  const guint idle_msec = 1000, busy_msec = 30;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autofree char *token = NULL;

  token = esc_test_service_create_token (service, "idle", "idle@example.org", "it-admin", &error);
  g_assert_no_error (error);
  client = new_client (esc_test_service_get_url (service), token);
  esc_client_set_idle_timeout (client, idle_msec);

  for (guint i = 0; i < G_N_ELEMENTS (after_expiry_msec); i++)
    {
      BusyRequest busy = { client, NULL, busy_msec };
      g_autoptr(EscIdentity) again = NULL;

      /* The connection goes idle now; the busy iteration ends just after
       * its idle timeout is due. */
      g_test_message ("request queued %u ms after the idle timeout", after_expiry_msec[i]);
      g_clear_object (&identity);
      identity = get_me (client, NULL, &error);
      g_assert_no_error (error);
      g_timeout_add (idle_msec + after_expiry_msec[i] - busy_msec, busy_then_request_cb, &busy);

      again = esc_client_get_me_finish (client, await_result_within (&busy.result, 10), &error);
      g_clear_object (&busy.result);
      g_assert_no_error (error);
      g_assert_cmpstr (esc_identity_get_name (again), ==, "idle");
    }
}

static gboolean
connections_back_to (guint16 port,
                     guint   count,
                     guint   within_msec)
{
  gint64 end = g_get_monotonic_time () + within_msec * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      if (esc_test_count_connections_to (port) == count)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }

  return FALSE;
}

/* A connection nobody uses is kept for the next request, then closed once
 * the idle timeout has passed. */
static void
test_idle_connections_closed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(EscTestService) own = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *token = NULL;
  guint16 port;
  guint before;
  gint64 idle_since;

  /* A service of its own: no other test's client holds a connection to it */
  own = esc_test_service_start (&error);
  g_assert_no_error (error);
  uri = g_uri_parse (esc_test_service_get_url (own), G_URI_FLAGS_NONE, NULL);
  port = (guint16)g_uri_get_port (uri);
  token = esc_test_service_create_token (own, "tidy", "tidy@example.org", "it-admin", &error);
  g_assert_no_error (error);
  client = new_client (esc_test_service_get_url (own), token);
  esc_client_set_idle_timeout (client, 1500);

  before = esc_test_count_connections_to (port);
  g_assert_cmpuint (before, ==, 0);
  identity = get_me (client, NULL, &error);
  g_assert_no_error (error);
  idle_since = g_get_monotonic_time ();
  g_assert_cmpuint (esc_client_get_in_flight (client), ==, 0);

  /* Kept alive for the next request… */
  g_assert_cmpuint (esc_test_count_connections_to (port), ==, before + 1);

  /* …and closed when it has been idle long enough */
  g_assert_true (connections_back_to (port, before, 10 * 1000));
  g_assert_cmpint (g_get_monotonic_time () - idle_since, >=, 1500 * G_TIME_SPAN_MILLISECOND);

  /* The next request opens a new one */
  g_clear_object (&identity);
  identity = get_me (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_identity_get_name (identity), ==, "tidy");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  service = esc_test_service_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/api/client/base-url", test_base_url);
  g_test_add_func ("/api/client/me/good-token", test_me_good_token);
  g_test_add_func ("/api/client/me/wrong-token", test_me_wrong_token);
  g_test_add_func ("/api/client/me/no-token", test_me_no_token);
  g_test_add_func ("/api/client/me/bad-token-characters", test_me_bad_token_characters);
  g_test_add_func ("/api/client/me/unreachable", test_me_unreachable);
  g_test_add_func ("/api/client/me/tls-untrusted", test_me_tls_untrusted);
  g_test_add_func ("/api/client/me/not-escalade", test_me_not_escalade);
  g_test_add_func ("/api/client/me/invalid-response", test_me_invalid_response);
  g_test_add_func ("/api/client/me/huge-answer", test_me_huge_answer);
  g_test_add_func ("/api/client/me/problems", test_me_problems);
  g_test_add_func ("/api/client/me/request", test_me_request);
  g_test_add_func ("/api/client/me/timeout", test_me_timeout);
  g_test_add_func ("/api/client/me/cancelled", test_me_cancelled);
  g_test_add_func ("/api/client/me/broken-answers", test_me_broken_answers);
  g_test_add_func ("/api/client/idle-timeout-race", test_idle_timeout_race);
  g_test_add_func ("/api/client/idle-connections-closed", test_idle_connections_closed);

  ret = g_test_run ();

  g_clear_pointer (&service, esc_test_service_stop);

  return ret;
}
