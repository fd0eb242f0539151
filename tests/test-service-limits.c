/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "esc-test-backend.h"
#include "esc-test-inprocess.h"
#include "esc-test-service.h"

/* How soon the service must answer again after a flood: a second, or five
 * under the sanitizers, which slow the service down several times (and CI
 * runs them beside other suites) */
#if defined(__SANITIZE_ADDRESS__)
#define RECOVERY_MS 5000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RECOVERY_MS 5000
#endif
#endif
#ifndef RECOVERY_MS
#define RECOVERY_MS 1000
#endif

/* Resources under pressure, on loopback: a descriptor flood does not stop
 * the service from accepting once it is over; connections are capped;
 * deadlines close silent, slow and idle connections; a request without a
 * valid token is answered before its body is read; the write queue at its
 * cap answers 503; refusals are audited a bounded number of times; wrong
 * tokens are answered more slowly. */

static const char filing[] =
  "{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
  " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  " \"title\": \"Printer driver blocked by policy\","
  " \"description\": \"The driver of the third floor printers is blocked by a policy.\","
  " \"contact\": {\"given_name\": \"Camille\", \"surname\": \"Martin\","
  " \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  " \"preferred_method\": \"email\", \"language\": \"fr\"}}";

/* Raw sockets */

static guint16
port_of (const char *url)
{
  const char *colon = strrchr (url, ':');

  g_assert_nonnull (colon);
  return (guint16)g_ascii_strtoull (colon + 1, NULL, 10);
}

static int
connect_to (const char *url)
{
  struct sockaddr_in address = { 0, };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_family = AF_INET;
  address.sin_port = htons (port_of (url));
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *)&address, sizeof address), ==, 0);

  return fd;
}

static void
send_text (int         fd,
           const char *text)
{
  gsize length = strlen (text);
  gsize done = 0;

  while (done < length)
    {
      gssize n = send (fd, text + done, length - done, MSG_NOSIGNAL);

      g_assert_cmpint (n, >, 0);
      done += (gsize)n;
    }
}

/* Reads until the peer closes (TRUE) or @timeout_ms passes (FALSE). */
static gboolean
read_until_closed (int        fd,
                   guint      timeout_ms,
                   GString   *text)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char buffer[4096];
      gssize n;

      if (left <= 0)
        return FALSE;
      if (poll (&pfd, 1, (int)left) <= 0)
        continue;

      n = recv (fd, buffer, sizeof buffer, 0);
      if (n == 0 || (n < 0 && errno == ECONNRESET))
        return TRUE;
      if (n < 0)
        continue;
      if (text != NULL)
        g_string_append_len (text, buffer, n);
    }
}

/* GET /v1/me on a new connection; the status, or 0 if no answer in time. */
static guint
get_me (const char *url,
        const char *token,
        guint       timeout_ms)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autofree char *request =
    g_strdup_printf ("GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                     "Connection: close\r\n\r\n", token);
  int fd = connect_to (url);

  send_text (fd, request);
  read_until_closed (fd, timeout_ms, answer);
  close (fd);

  if (!g_str_has_prefix (answer->str, "HTTP/1.1 "))
    return 0;

  return (guint)g_ascii_strtoull (answer->str + strlen ("HTTP/1.1 "), NULL, 10);
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int)pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Polls until the service has at most @limit descriptors open. */
static gboolean
wait_for_service_fds (GPid  pid,
                      guint limit)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  while (count_fds (pid) > limit)
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (20 * 1000);
    }

  return TRUE;
}

static EscTestService *
start_service (const char * const *args,
               guint               fd_limit,
               char              **out_token)
{
  g_autoptr(GError) error = NULL;
  EscTestService *service = esc_test_service_start_with_args (args, fd_limit, &error);

  g_assert_no_error (error);
  *out_token = esc_test_service_create_token (service, "ann", "ann@example.org", "it-admin", &error);
  g_assert_no_error (error);

  return service;
}

/* A descriptor flood */

static void
flood_and_recover (const char * const *args)
{
  g_autofree char *token = NULL;
  g_autoptr(EscTestService) service = start_service (args, 128, &token);
  const char *url = esc_test_service_get_url (service);
  GPid pid = esc_test_service_get_pid (service);
  int fds[300];
  guint baseline;
  gint64 start;

  g_assert_cmpuint (get_me (url, token, 5000), ==, 200);
  g_assert_true (wait_for_service_fds (pid, 64));
  baseline = count_fds (pid);

  /* More idle connections than the service has descriptors. Each sends
   * a byte: one that sends nothing stays in the kernel (TCP_DEFER_ACCEPT)
   * and never reaches the service. */
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      fds[i] = connect_to (url);
      send_text (fds[i], "G");
    }
  g_usleep (300 * 1000);
  g_assert_cmpuint (count_fds (pid), <=, 128);

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);

  /* It answers again within a second of the flood's end (RECOVERY_MS). */
  start = g_get_monotonic_time ();
  g_assert_cmpuint (get_me (url, token, RECOVERY_MS), ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, <, RECOVERY_MS * G_TIME_SPAN_MILLISECOND);

  /* And gives its descriptors back. */
  g_assert_true (wait_for_service_fds (pid, baseline + 2));
}

static void
test_descriptor_flood (void)
{
  /* More connections allowed than descriptors: accept() fails with EMFILE,
   * which used to stop libsoup's listener for good. */
  const char * const args[] = { "--max-connections", "1000", NULL };

  flood_and_recover (args);
}

static void
test_descriptor_flood_default_caps (void)
{
  /* The caps, fitted to the descriptor limit, keep EMFILE away. */
  flood_and_recover (NULL);
}

static void
test_caps (void)
{
  const char * const args[] = { "--max-connections", "16", "--max-connections-per-client", "8", NULL };
  g_autofree char *token = NULL;
  g_autoptr(EscTestService) service = start_service (args, 0, &token);
  const char *url = esc_test_service_get_url (service);
  GPid pid = esc_test_service_get_pid (service);
  int fds[40];
  guint baseline;

  g_assert_cmpuint (get_me (url, token, 5000), ==, 200);
  g_assert_true (wait_for_service_fds (pid, 64));
  baseline = count_fds (pid);

  /* Each sends a byte, or it would stay in the kernel (TCP_DEFER_ACCEPT). */
  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    {
      fds[i] = connect_to (url);
      send_text (fds[i], "G");
    }
  g_usleep (300 * 1000);

  /* No more than 8 from this client; and a new one still gets in, in
   * the place of an idle one. */
  g_assert_cmpuint (count_fds (pid), <=, baseline + 8);
  g_assert_cmpuint (get_me (url, token, 5000), ==, 200);
  g_assert_cmpuint (count_fds (pid), <=, baseline + 8);

  for (guint i = 0; i < G_N_ELEMENTS (fds); i++)
    close (fds[i]);
}

/* Refused before the body */

static void
test_body_never_read (void)
{
  const char * const authorizations[] = {
    "",
    "Authorization: Basic YWRtaW46YWRtaW4=\r\n",
    "Authorization: Bearer esc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
  };
  g_autofree char *token = NULL;
  g_autoptr(EscTestService) service = start_service (NULL, 0, &token);
  const char *url = esc_test_service_get_url (service);

  for (guint i = 0; i < G_N_ELEMENTS (authorizations); i++)
    {
      g_autoptr(GString) answer = g_string_new (NULL);
      g_autofree char *request =
        g_strdup_printf ("POST /v1/support-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                         "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n",
                         authorizations[i]);
      int fd = connect_to (url);

      /* The headers only: the body never comes, and is never waited for. */
      send_text (fd, request);
      g_assert_true (read_until_closed (fd, 3000, answer));
      close (fd);

      g_test_message ("%s", answer->str);
      g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 401 Unauthorized\r\n"));
      g_assert_nonnull (strstr (answer->str, "WWW-Authenticate: Bearer realm=\"escalade\""));
      g_assert_nonnull (strstr (answer->str, "application/problem+json"));
      g_assert_nonnull (strstr (answer->str, "Connection: close"));
    }
}

/* Deadlines */

static void
assert_closed_in (int         fd,
                  guint       min_ms,
                  guint       max_ms,
                  GString    *answer)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  g_assert_true (read_until_closed (fd, max_ms, answer));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("closed after %" G_GINT64_FORMAT " ms%s%s", elapsed_ms,
                  answer ? ": " : "", answer ? answer->str : "");
  g_assert_cmpint (elapsed_ms, >=, min_ms);
  close (fd);
}

static void
test_deadlines (void)
{
  const char * const args[] = { "--header-timeout", "0.5", "--idle-timeout", "0.8", NULL };
  g_autofree char *token = NULL;
  g_autoptr(EscTestService) service = start_service (args, 0, &token);
  const char *url = esc_test_service_get_url (service);
  g_autofree char *authorization = g_strdup_printf ("Authorization: Bearer %s\r\n", token);
  g_autoptr(GString) answer = g_string_new (NULL);
  int fd;

  /* Silent: closed at the header deadline. */
  fd = connect_to (url);
  assert_closed_in (fd, 300, 3000, NULL);

  /* Headers a byte at a time, never finished: the same. */
  fd = connect_to (url);
  send_text (fd, "GET /v1/me HTTP/1.1\r\n");
  for (guint i = 0; i < 3; i++)
    {
      g_usleep (100 * 1000);
      send_text (fd, "X-Slow: 1\r\n");
    }
  assert_closed_in (fd, 0, 3000, NULL);

  /* A body that stops coming: closed at the body deadline, unanswered. */
  fd = connect_to (url);
  send_text (fd, "POST /v1/support-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  send_text (fd, authorization);
  send_text (fd, "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"kind\":");
  assert_closed_in (fd, 500, 3000, answer);
  g_assert_cmpstr (answer->str, ==, "");

  /* Answered, then idle on a kept-alive connection: closed at the idle
   * deadline, after the answer. */
  fd = connect_to (url);
  send_text (fd, "GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  send_text (fd, authorization);
  send_text (fd, "\r\n");
  assert_closed_in (fd, 500, 3000, answer);
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 OK\r\n"));
}

/* The write queue at its cap */

typedef struct
{
  guint  status;
  char  *retry_after;
  gboolean done;
} Sent;

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  GBytes *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  g_clear_pointer (&body, g_bytes_unref);
  sent->status = soup_message_get_status (msg);
  sent->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                              "Retry-After"));
  sent->done = TRUE;
}

static void
test_queue_full (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *url = g_strconcat (esc_test_server_get_url (server), "/v1/support-requests", NULL);
  EscServiceServer *service = esc_test_server_get_server (server);
  SoupSession *sessions[3];
  Sent sent[3] = { { 0, }, };
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  guint busy = 0;
  guint created = 0;

  esc_service_server_set_max_queued_writes (service, 2);
  esc_service_router_set_flush_held (esc_service_server_get_router (service), TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) body = g_bytes_new_static (filing, strlen (filing));

      sessions[i] = soup_session_new ();
      soup_session_set_proxy_resolver (sessions[i], NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    authorization);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      soup_session_send_and_read_async (sessions[i], msg, G_PRIORITY_DEFAULT, NULL, sent_cb, &sent[i]);
    }

  /* Two wait for the commit, which is held; the third finds the queue full. */
  while (!(sent[0].done || sent[1].done || sent[2].done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  esc_service_router_set_flush_held (esc_service_server_get_router (service), FALSE);
  while (!(sent[0].done && sent[1].done && sent[2].done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_assert_true (sent[i].done);
      if (sent[i].status == 503)
        {
          busy++;
          g_assert_cmpstr (sent[i].retry_after, ==, "1");
        }
      else
        {
          g_assert_cmpuint (sent[i].status, ==, 201);
          created++;
        }
      g_free (sent[i].retry_after);
      g_object_unref (sessions[i]);
    }
  g_assert_cmpuint (busy, ==, 1);
  g_assert_cmpuint (created, ==, 2);
  g_assert_cmpint (esc_test_server_count_rows (server, "support_requests"), ==, 2);
}

/* One group commit in which one request fails where nothing is expected to
 * fail (its answer cannot be stored). On PostgreSQL that answer is only sent,
 * with the next statement that waits for an answer, so its failure fails
 * the whole transaction; on SQLite only that request's own savepoint. On
 * both: a request answered 201 is filed, one answered otherwise is not,
 * the audit chain stays whole, and each sent again with its key is filed
 * once. */

static void
send_filing (SoupSession *session,
             const char  *url,
             const char  *authorization,
             guint        n,
             Sent        *sent)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autofree char *key = g_strdup_printf ("batch-%u", n);
  g_autofree char *title = g_strdup_printf ("\"title\": \"Batch request %u\"", n);
  g_autoptr(GString) text = g_string_new (filing);
  g_autoptr(GBytes) body = NULL;

  g_string_replace (text, "\"title\": \"Printer driver blocked by policy\"", title, 1);
  body = g_string_free_to_bytes (g_steal_pointer (&text));
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  memset (sent, 0, sizeof *sent);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb, sent);
}

static gint64
count_where (EscTestServer *server,
             const char    *table,
             const char    *condition)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", table, condition);
  g_autoptr(EscServiceStmt) stmt = esc_service_db_prepare (esc_test_server_get_db (server), sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);
  return esc_service_stmt_column_int64 (stmt, 0);
}

static gint64
count_titled (EscTestServer *server,
              guint          n)
{
  g_autofree char *condition = g_strdup_printf ("title = 'Batch request %u'", n);

  return count_where (server, "support_requests", condition);
}

/* Files requests 1 to N_BATCH, one per session, in one group commit: held
 * until all are read, then let go; returns once all are answered. */
#define N_BATCH 3

static void
file_in_one_batch (EscServiceRouter *router,
                   SoupSession     **sessions,
                   const char       *url,
                   const char       *authorization,
                   Sent             *sent,
                   gint64            deadline)
{
  esc_service_router_set_flush_held (router, TRUE);
  for (guint i = 0; i < N_BATCH; i++)
    send_filing (sessions[i], url, authorization, i + 1, &sent[i]);
  while (g_get_monotonic_time () < deadline && esc_service_router_count_queued (router) < N_BATCH)
    g_main_context_iteration (NULL, TRUE);
  esc_service_router_set_flush_held (router, FALSE);
  while (!(sent[0].done && sent[1].done && sent[2].done) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_batch_with_a_failure (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *url = g_strconcat (esc_test_server_get_url (server), "/v1/support-requests", NULL);
  EscServiceRouter *router = esc_service_server_get_router (esc_test_server_get_server (server));
  EscServiceDb *db = esc_test_server_get_db (server);
  gboolean postgresql = esc_test_backend_is_postgresql ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  SoupSession *sessions[N_BATCH];
  Sent sent[N_BATCH];
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  gint64 bad_id = 0;
  guint created = 0;

  /* The answer of the request with key batch-2 cannot be stored: the last
   * statement its filing makes, after its audit row */
  esc_service_db_exec (db,
                       postgresql
                         ? "ALTER TABLE idempotency_keys ADD CONSTRAINT esc_test_refuse"
                           " CHECK (key <> 'batch-2' OR status = 0) NOT VALID"
                         : "CREATE TRIGGER esc_test_refuse BEFORE UPDATE ON idempotency_keys"
                           " WHEN NEW.key = 'batch-2' AND NEW.status <> 0"
                           " BEGIN SELECT RAISE (ABORT, 'refused by the test'); END",
                       &error);
  g_assert_no_error (error);

  /* One request before, filed: the batch then starts from a chain of one */
  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      sessions[i] = soup_session_new ();
      soup_session_set_proxy_resolver (sessions[i], NULL);
    }
  {
    Sent first;

    send_filing (sessions[0], url, authorization, 0, &first);
    while (!first.done && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (first.status, ==, 201);
    g_free (first.retry_after);
  }

  file_in_one_batch (router, sessions, url, authorization, sent, deadline);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_assert_true (sent[i].done);
      if (sent[i].status == 201)
        {
          created++;
          g_assert_cmpint (count_titled (server, i + 1), ==, 1);
        }
      else
        {
          g_assert_cmpuint (sent[i].status, ==, 500);
          g_assert_cmpint (count_titled (server, i + 1), ==, 0);
        }
    }
  /* SQLite: only the refused one; PostgreSQL: the whole batch */
  g_assert_cmpuint (created, ==, postgresql ? 0 : 2);
  g_assert_true (esc_service_db_audit_verify (db, NULL, NULL, &bad_id, &reason, &error));
  g_assert_no_error (error);

  esc_service_db_exec (db,
                       postgresql ? "ALTER TABLE idempotency_keys DROP CONSTRAINT esc_test_refuse"
                                  : "DROP TRIGGER esc_test_refuse",
                       &error);
  g_assert_no_error (error);

  /* Each sent again with its key: filed once */
  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_free (sent[i].retry_after);
      send_filing (sessions[i], url, authorization, i + 1, &sent[i]);
      while (!sent[i].done && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (sent[i].status, ==, 201);
      g_assert_cmpint (count_titled (server, i + 1), ==, 1);
      g_free (sent[i].retry_after);
      g_object_unref (sessions[i]);
    }
  g_assert_cmpint (esc_test_server_count_rows (server, "support_requests"), ==, 4);
  g_assert_true (esc_service_db_audit_verify (db, NULL, NULL, &bad_id, &reason, &error));
  g_assert_no_error (error);
}

/* A token's last use is recorded on the side: when that write fails (here
 * refused; in life a busy database), the requests go through all the same,
 * a group commit of several included, and the use is recorded later. */
static void
test_token_last_use_failing (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *url = g_strconcat (esc_test_server_get_url (server), "/v1/support-requests", NULL);
  EscServiceRouter *router = esc_service_server_get_router (esc_test_server_get_server (server));
  EscServiceDb *db = esc_test_server_get_db (server);
  gboolean postgresql = esc_test_backend_is_postgresql ();
  g_autoptr(GError) error = NULL;
  SoupSession *sessions[N_BATCH];
  Sent sent[N_BATCH];
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  esc_service_db_exec (db,
                       postgresql
                         ? "ALTER TABLE tokens ADD CONSTRAINT esc_test_refuse CHECK (last_used_at IS NULL) NOT VALID"
                         : "CREATE TRIGGER esc_test_refuse BEFORE UPDATE OF last_used_at ON tokens"
                           " BEGIN SELECT RAISE (ABORT, 'refused by the test'); END",
                       &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    {
      sessions[i] = soup_session_new ();
      soup_session_set_proxy_resolver (sessions[i], NULL);
    }
  file_in_one_batch (router, sessions, url, authorization, sent, deadline);

  for (guint i = 0; i < G_N_ELEMENTS (sent); i++)
    {
      g_assert_true (sent[i].done);
      g_assert_cmpuint (sent[i].status, ==, 201);
      g_assert_cmpint (count_titled (server, i + 1), ==, 1);
      g_free (sent[i].retry_after);
    }
  g_assert_cmpint (count_where (server, "tokens", "last_used_at IS NOT NULL"), ==, 0);

  /* Once it can be written again, the next request records it */
  esc_service_db_exec (db,
                       postgresql ? "ALTER TABLE tokens DROP CONSTRAINT esc_test_refuse"
                                  : "DROP TRIGGER esc_test_refuse",
                       &error);
  g_assert_no_error (error);
  send_filing (sessions[0], url, authorization, 4, &sent[0]);
  while (!sent[0].done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sent[0].status, ==, 201);
  g_free (sent[0].retry_after);
  g_assert_cmpint (count_where (server, "tokens", "last_used_at IS NOT NULL"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
    g_object_unref (sessions[i]);
}

/* Refusals: bounded audit, slower answers to wrong tokens */

/* Read through the service's own database (SQLite or PostgreSQL) */
static gint64
count_refusals (EscTestServer *server,
                const char    *extra)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_events"
                                          " WHERE action = 'authorization.refused'%s",
                                          extra ? extra : "");
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (esc_test_server_get_db (server), sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

static void
test_refusals_audited_bounded (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "sam", "support-staff");

  for (guint i = 0; i < 25; i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (server, "GET", "/v1/audit", token, NULL, NULL, NULL, &response);
      g_assert_cmpuint (response.status, ==, 403);
    }

  g_assert_cmpint (count_refusals (server, NULL), ==, 10);
  g_assert_cmpint (count_refusals (server, " AND details LIKE '%further_refusals_this_minute_not_audited%'"),
                   ==, 1);
}

static void
test_no_token_flood_paced (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed_ms;

  /* A burst of 100 without any token is answered at once; then 50 a
   * second: the next 25 take half a second at least. */
  for (guint i = 0; i < 125; i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (server, "GET", "/v1/me", NULL, NULL, NULL, NULL, &response);
      g_assert_cmpuint (response.status, ==, 401);
    }
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("125 requests without a token: %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, >=, 400);

  /* A request with the right token is not held back. */
  {
    g_auto(EscTestResponse) response = { 0, };

    start = g_get_monotonic_time ();
    esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 100 * 1000);
  }
}

static void
test_wrong_tokens_slowed (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  const char *wrong = "esc_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  gint64 elapsed[8];

  for (guint i = 0; i < G_N_ELEMENTS (elapsed); i++)
    {
      g_auto(EscTestResponse) response = { 0, };
      gint64 start = g_get_monotonic_time ();

      esc_test_request (server, "GET", "/v1/me", wrong, NULL, NULL, NULL, &response);
      elapsed[i] = (g_get_monotonic_time () - start) / 1000;
      g_assert_cmpuint (response.status, ==, 401);
      g_test_message ("wrong token %u: %" G_GINT64_FORMAT " ms", i + 1, elapsed[i]);
    }

  /* Five free, then 100 ms, 200 ms, 400 ms… */
  g_assert_cmpint (elapsed[4], <, 100);
  g_assert_cmpint (elapsed[6], >=, 180);
  g_assert_cmpint (elapsed[7], >=, 380);

  /* The right token is not held back. */
  {
    g_auto(EscTestResponse) response = { 0, };
    gint64 start = g_get_monotonic_time ();

    esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 100 * 1000);
  }
}

/* Over TLS, connections the client closes are freed too. */

static gboolean
accept_any_certificate_cb (SoupMessage          *msg,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return TRUE;
}

static void
test_tls_connections_freed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-test-limits-XXXXXX", &error);
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  g_autoptr(EscTestService) service = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;
  GPid pid;
  guint baseline;

  g_assert_no_error (error);
  if (!esc_test_make_self_signed_cert (dir, &cert_file, &key_file, &error))
    {
      g_test_skip (error->message);
      return;
    }
  service = esc_test_service_start_tls (cert_file, key_file, &error);
  g_assert_no_error (error);
  token = esc_test_service_create_token (service, "ann", "ann@example.org", "it-admin", &error);
  g_assert_no_error (error);
  pid = esc_test_service_get_pid (service);
  url = g_strconcat (esc_test_service_get_url (service), "/v1/me", NULL);
  authorization = g_strconcat ("Bearer ", token, NULL);
  baseline = count_fds (pid);

  /* Few TLS handshakes: they are slow under ASan. */
  for (guint round = 0; round < 2; round++)
    {
      SoupSession *sessions[3];

      for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
        {
          g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
          g_autoptr(GBytes) body = NULL;

          sessions[i] = soup_session_new ();
          soup_session_set_proxy_resolver (sessions[i], NULL);
          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                        authorization);
          g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate_cb), NULL);
          body = soup_session_send_and_read (sessions[i], msg, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
        }

      /* The clients go: so do their connections, on the service's side. */
      for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
        g_object_unref (sessions[i]);
      g_assert_true (wait_for_service_fds (pid, baseline + 1));
    }

  g_unlink (cert_file);
  g_unlink (key_file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/limits/descriptor-flood", test_descriptor_flood);
  g_test_add_func ("/service/limits/descriptor-flood-default-caps", test_descriptor_flood_default_caps);
  g_test_add_func ("/service/limits/caps", test_caps);
  g_test_add_func ("/service/limits/body-never-read", test_body_never_read);
  g_test_add_func ("/service/limits/deadlines", test_deadlines);
  g_test_add_func ("/service/limits/queue-full", test_queue_full);
  g_test_add_func ("/service/limits/batch-with-a-failure", test_batch_with_a_failure);
  g_test_add_func ("/service/limits/token-last-use-failing", test_token_last_use_failing);
  g_test_add_func ("/service/limits/refusals-audited-bounded", test_refusals_audited_bounded);
  g_test_add_func ("/service/limits/wrong-tokens-slowed", test_wrong_tokens_slowed);
  g_test_add_func ("/service/limits/no-token-flood-paced", test_no_token_flood_paced);
  g_test_add_func ("/service/limits/tls-connections-freed", test_tls_connections_freed);

  return g_test_run ();
}
