/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-test-inprocess.h"

/* Connections, through the in-process server on a real loopback socket: a
 * connection the client closes between two requests is freed (libsoup 3.2
 * alone keeps its socket open for ever), and requests sent at once on
 * connections of their own (filings grouped in one commit, reads, a repeated
 * Idempotency-Key) are all answered, and stored once. */

#define WAIT_SECONDS 10

static const char filing[] =
  "{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
  " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  " \"title\": \"Printer driver blocked by policy\","
  " \"description\": \"The driver of the third floor printers is blocked by a policy.\","
  " \"contact\": {\"given_name\": \"Camille\", \"surname\": \"Martin\","
  " \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  " \"preferred_method\": \"email\", \"language\": \"fr\"},"
  " \"users_or_devices_impacted\": 12, \"devices\": [\"MMD-03690457680\"]}";

/* Open file descriptors of this process (sockets included). */
static guint
count_open_fds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until at most @limit descriptors are open; FALSE if
 * that did not happen within WAIT_SECONDS. */
static gboolean
wait_for_fds_at_most (guint limit)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timed_out_cb, &timed_out);

  while (count_open_fds () > limit && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (timeout_id);

  return !timed_out;
}

static void
test_closed_connections_are_freed (void)
{
  EscTestServer *server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  EscTestResponse response = { 0, };
  guint baseline;

  /* Once, so that whatever the first request opens for good (the WAL, …) is open. */
  esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);
  g_assert_true (wait_for_fds_at_most (G_MAXUINT));
  baseline = count_open_fds ();

  /* Each request on a session of its own, which closes its connection
   * (kept alive by the server) when it goes: answers of every kind, a
   * group commit among them. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *key = g_strdup_printf ("connection-%u", i);
      const char * const headers[] = { "Idempotency-Key", key, NULL };

      switch (i % 4)
        {
        case 0:
          esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
          g_assert_cmpuint (response.status, ==, 200);
          break;
        case 1:
          esc_test_request (server, "POST", "/v1/support-requests", token, NULL, filing, headers,
                            &response);
          g_assert_cmpuint (response.status, ==, 201);
          break;
        case 2:
          esc_test_request (server, "GET", "/v1/nothing-here", token, NULL, NULL, NULL, &response);
          g_assert_cmpuint (response.status, ==, 404);
          break;
        default:
          esc_test_request (server, "POST", "/v1/support-requests", token, NULL, "{}", headers,
                            &response);
          g_assert_cmpuint (response.status, ==, 422);
          break;
        }
      esc_test_response_clear (&response);
    }

  /* Without the fix, 30 sockets stay open in CLOSE_WAIT. */
  g_assert_true (wait_for_fds_at_most (baseline));

  /* And the server still answers on new connections. */
  esc_test_request (server, "GET", "/v1/me", token, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  esc_test_response_clear (&response);

  esc_test_server_free (server);
}

/* Filings, reads and a replayed key all at once: the filings are grouped in
 * batches, each answered once committed; the repeated key files once. */
static void
test_requests_at_once (void)
{
  EscTestServer *server = esc_test_server_new ();
  g_autofree char *token = esc_test_server_create_token (server, "ann", "it-admin");
  const char * const same_key[] = { "Idempotency-Key", "same", NULL };
  char *keys[24] = { NULL, };
  g_autofree const char **headers = g_new0 (const char *, 24 * 3);
  EscTestRequest requests[24];
  EscTestResponse responses[24];
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  const char *replayed_id = NULL;
  gint64 count = 0;
  g_autofree char *head = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  gint64 bad_id = 0;

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      memset (&requests[i], 0, sizeof requests[i]);
      requests[i].token = token;
      if (i % 6 == 5)
        {
          requests[i].method = "GET";
          requests[i].path = "/v1/me";
        }
      else
        {
          keys[i] = g_strdup_printf ("at-once-%u", i);
          headers[3 * i] = "Idempotency-Key";
          headers[3 * i + 1] = i % 6 == 4 ? "same" : keys[i];
          requests[i].method = "POST";
          requests[i].path = "/v1/support-requests";
          requests[i].body = filing;
          requests[i].headers = &headers[3 * i];
        }
    }

  esc_test_request_all (server, G_N_ELEMENTS (requests), requests, responses);

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      if (i % 6 == 5)
        {
          g_assert_cmpuint (responses[i].status, ==, 200);
        }
      else
        {
          const char *id;

          g_assert_cmpuint (responses[i].status, ==, 201);
          id = json_object_get_string_member (json_node_get_object (responses[i].body), "id");
          if (i % 6 == 4)
            {
              /* One filing for the repeated key, the same answer for all. */
              g_assert_true (replayed_id == NULL || g_strcmp0 (replayed_id, id) == 0);
              replayed_id = id;
            }
          g_hash_table_add (ids, (gpointer)id);
        }
    }

  /* 16 filings with their own keys, and 1 for the four with the same key. */
  g_assert_cmpuint (g_hash_table_size (ids), ==, 17);
  g_assert_cmpint (esc_test_server_count_rows (server, "support_requests"), ==, 17);
  g_assert_cmpint (esc_test_server_count_rows (server, "idempotency_keys"), ==, 17);

  /* Each filing audited once, in one unbroken chain. */
  g_assert_true (esc_service_db_audit_verify (esc_test_server_get_db (server), &count, &head,
                                              &bad_id, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count, >=, 17);

  /* The key is still taken afterwards, with the same answer. */
  {
    EscTestResponse again = { 0, };

    esc_test_request (server, "POST", "/v1/support-requests", token, NULL, filing, same_key,
                      &again);
    g_assert_cmpuint (again.status, ==, 201);
    g_assert_cmpstr (soup_message_headers_get_one (again.headers, "Idempotent-Replayed"), ==, "true");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again.body), "id"), ==,
                     replayed_id);
    esc_test_response_clear (&again);
  }

  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      esc_test_response_clear (&responses[i]);
      g_free (keys[i]);
      keys[i] = NULL;
    }

  esc_test_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/connections/closed-connections-are-freed",
                   test_closed_connections_are_freed);
  g_test_add_func ("/service/connections/requests-at-once", test_requests_at_once);

  return g_test_run ();
}
