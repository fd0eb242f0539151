/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-test-backend.h"
#include "esc-test-inprocess.h"
#include "esc-service-keys.h"
#include "esc-time.h"

struct _EscTestServer
{
  char             *tmpdir;
  char             *path;
  EscServiceDb     *db;
  EscServiceServer *server;
  GDateTime        *now;
};

static GDateTime *
fake_clock (gpointer user_data)
{
  EscTestServer *self = user_data;

  return g_date_time_ref (self->now);
}

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  /* Loopback only, whatever http_proxy says. */
  soup_session_set_proxy_resolver (session, NULL);
  soup_session_set_timeout (session, 30);

  return session;
}

EscTestServer *
esc_test_server_new (void)
{
  EscTestServer *self = g_new0 (EscTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;

  self->tmpdir = g_dir_make_tmp ("escalade-test-inprocess-XXXXXX", &error);
  g_assert_no_error (error);
  self->path = esc_test_backend_new_database (self->tmpdir);
  self->now = g_date_time_new_utc (2024, 5, 6, 9, 0, 0);

  self->db = esc_service_db_open (self->path, &error);
  g_assert_no_error (error);
  if (esc_test_backend_is_postgresql ())
    {
      g_autofree char *key_file = g_build_filename (self->tmpdir, "secret.key", NULL);
      g_autofree char *audit_key_file = g_build_filename (self->tmpdir, "audit.key", NULL);

      esc_service_keys_set_key_file (self->db, key_file);
      esc_service_keys_set_audit_key_file (self->db, audit_key_file);
    }

  self->server = esc_service_server_new (self->db);
  esc_service_server_set_log_requests (self->server, FALSE);
  esc_service_server_set_clock (self->server, fake_clock, self, NULL);

  address = esc_service_parse_listen_address ("127.0.0.1:0", &error);
  g_assert_no_error (error);
  esc_service_server_listen (self->server, address, &error);
  g_assert_no_error (error);

  return self;
}

static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
remove_recursively (const char *path)
{
  GDir *dir;

  if ((dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          g_unlink (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

void
esc_test_server_free (EscTestServer *self)
{
  if (self == NULL)
    return;

  esc_service_server_disconnect (self->server);
  drain_main_context ();
  g_assert_finalize_object (self->server);
  g_assert_finalize_object (self->db);
  g_date_time_unref (self->now);
  remove_recursively (self->tmpdir);
  esc_test_backend_drop_database (self->path);
  g_free (self->tmpdir);
  g_free (self->path);
  g_free (self);
}

EscServiceServer *
esc_test_server_get_server (EscTestServer *self)
{
  return self->server;
}

EscServiceDb *
esc_test_server_get_db (EscTestServer *self)
{
  return self->db;
}

const char *
esc_test_server_get_url (EscTestServer *self)
{
  return esc_service_server_get_url (self->server);
}

const char *
esc_test_server_get_path (EscTestServer *self)
{
  return self->path;
}

/* The test's folder: on PostgreSQL, where the keys are (see
 * esc_test_backend_add_options()) */
const char *
esc_test_server_get_tmpdir (EscTestServer *self)
{
  return self->tmpdir;
}

void
esc_test_server_set_now (EscTestServer *self,
                         const char    *rfc3339)
{
  GDateTime *now = esc_time_parse (rfc3339);

  g_assert_nonnull (now);
  g_date_time_unref (self->now);
  self->now = now;
}

void
esc_test_server_advance (EscTestServer *self,
                         GTimeSpan      span)
{
  GDateTime *now = g_date_time_add (self->now, span);

  g_date_time_unref (self->now);
  self->now = now;
}

GDateTime *
esc_test_server_dup_now (EscTestServer *self)
{
  return g_date_time_ref (self->now);
}

char *
esc_test_server_create_token (EscTestServer *self,
                              const char    *name,
                              const char    *roles)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) role_list = g_strsplit (roles, ",", -1);
  g_autofree char *email = g_strdup_printf ("%s@example.org", name);
  char *token;

  /* Ten years: tests move the clock by months (retention, purges); the
   * 90-day default is tested on its own (test-service-access.c). */
  token = esc_service_db_create_token_full (self->db, name, email,
                                            (const char * const *)role_list, 3650, &error);
  g_assert_no_error (error);

  return token;
}

void
esc_test_server_designate (EscTestServer *self,
                           const char    *name,
                           const char    *capability,
                           const char    *expires_at)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  stmt = esc_service_db_prepare (self->db,
                                 "INSERT INTO designations (person_id, capability, reason, expires_at)"
                                 " SELECT id, ?2, 'test', ?3 FROM people WHERE name = ?1"
                                 " ON CONFLICT (person_id, capability) DO UPDATE SET reason = excluded.reason,"
                                 "  expires_at = excluded.expires_at",
                                 &error);
  g_assert_no_error (error);
  esc_service_stmt_bind_text (stmt, 1, name);
  esc_service_stmt_bind_text (stmt, 2, capability);
  esc_service_stmt_bind_text (stmt, 3, expires_at);
  esc_service_db_step_done (self->db, stmt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_changes (stmt), ==, 1);
}

gint64
esc_test_server_count_rows (EscTestServer *self,
                            const char    *table)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  stmt = esc_service_db_prepare (self->db, sql, &error);
  g_assert_no_error (error);
  g_assert_cmpint (esc_service_stmt_step (stmt), ==, ESC_SERVICE_STMT_ROW);

  return esc_service_stmt_column_int64 (stmt, 0);
}

void
esc_test_response_clear (EscTestResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->text, g_free);
}

typedef struct
{
  SoupSession     *session;
  SoupMessage     *msg;
  GBytes          *body;
  GError          *error;
  gboolean         done;
} Pending;

static void
send_and_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Pending *pending = user_data;

  pending->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                     &pending->error);
  pending->done = TRUE;
}

static SoupMessage *
build_message (EscTestServer      *self,
               const char         *method,
               const char         *path,
               const char         *token,
               const char         *content_type,
               const char         *body,
               const char * const *headers)
{
  g_autofree char *url = g_strconcat (esc_test_server_get_url (self), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *request_headers;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (request_headers, "Authorization", authorization);
    }

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json",
                                                bytes);
    }
  else if (content_type != NULL)
    {
      soup_message_headers_replace (request_headers, "Content-Type", content_type);
    }

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);

  return msg;
}

static void
fill_response (Pending         *pending,
               EscTestResponse *response)
{
  gsize size = 0;
  const char *data;

  g_assert_no_error (pending->error);

  response->status = soup_message_get_status (pending->msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (pending->msg));
  data = g_bytes_get_data (pending->body, &size);
  response->text = g_strndup (data, size);

  if (size > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      if (json_parser_load_from_data (parser, data, size, &error))
        response->body = json_node_ref (json_parser_get_root (parser));
    }
}

void
esc_test_request_all (EscTestServer        *self,
                      guint                 n,
                      const EscTestRequest *requests,
                      EscTestResponse      *responses)
{
  g_autofree Pending *pending = g_new0 (Pending, n);
  gboolean all_done;

  for (guint i = 0; i < n; i++)
    {
      pending[i].session = new_session ();
      pending[i].msg = build_message (self, requests[i].method, requests[i].path, requests[i].token,
                                      requests[i].content_type, requests[i].body, requests[i].headers);
      soup_session_send_and_read_async (pending[i].session, pending[i].msg, G_PRIORITY_DEFAULT,
                                        NULL, send_and_read_cb, &pending[i]);
    }

  do
    {
      g_main_context_iteration (NULL, TRUE);
      all_done = TRUE;
      for (guint i = 0; i < n; i++)
        all_done = all_done && pending[i].done;
    }
  while (!all_done);

  for (guint i = 0; i < n; i++)
    {
      memset (&responses[i], 0, sizeof responses[i]);
      fill_response (&pending[i], &responses[i]);
      g_test_message ("%s %s → %u", requests[i].method, requests[i].path, responses[i].status);
      g_clear_pointer (&pending[i].body, g_bytes_unref);
      g_clear_object (&pending[i].msg);
      g_clear_object (&pending[i].session);
    }
}

static void
request_many (EscTestServer      *self,
              guint               n,
              const char         *method,
              const char         *path,
              const char         *token,
              const char         *content_type,
              const char         *body,
              const char * const *headers,
              EscTestResponse    *responses)
{
  g_autofree EscTestRequest *requests = g_new0 (EscTestRequest, n);

  for (guint i = 0; i < n; i++)
    requests[i] = (EscTestRequest) { method, path, token, content_type, body, headers };

  esc_test_request_all (self, n, requests, responses);
}

void
esc_test_request (EscTestServer      *self,
                  const char         *method,
                  const char         *path,
                  const char         *token,
                  const char         *content_type,
                  const char         *body,
                  const char * const *headers,
                  EscTestResponse    *response)
{
  request_many (self, 1, method, path, token, content_type, body, headers, response);
}

void
esc_test_request_concurrently (EscTestServer      *self,
                               guint               n,
                               const char         *method,
                               const char         *path,
                               const char         *token,
                               const char         *body,
                               const char * const *headers,
                               EscTestResponse    *responses)
{
  request_many (self, n, method, path, token, NULL, body, headers, responses);
}

const char *
esc_test_problem_type (EscTestResponse *response)
{
  const char *type;

  if (response->body == NULL || !JSON_NODE_HOLDS_OBJECT (response->body))
    return NULL;

  type = json_object_get_string_member_with_default (json_node_get_object (response->body),
                                                     "type", NULL);
  if (type == NULL || !g_str_has_prefix (type, ESC_SERVICE_PROBLEM_BASE))
    return type;

  return type + strlen (ESC_SERVICE_PROBLEM_BASE);
}

const char *
esc_test_problem_field (EscTestResponse *response)
{
  if (response->body == NULL || !JSON_NODE_HOLDS_OBJECT (response->body))
    return NULL;

  return json_object_get_string_member_with_default (json_node_get_object (response->body),
                                                     "field", NULL);
}
