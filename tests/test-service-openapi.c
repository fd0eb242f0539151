/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-test-inprocess.h"

/* The contract and the server agree: every path and method of
 * data/api/openapi.yaml is served (with a valid token, never 404 or 405 for
 * lack of a route), every route the server registers is in the contract,
 * and every operation wants a token, except those the contract opens to
 * anyone ("security: []", GET /v1/health), which are exactly the server's
 * public routes. */

typedef struct
{
  char *method;   /* upper case */
  char *path;     /* as written, "/v1/support-requests/{id}" */
  gboolean public; /* "security: []": no token needed */
} Operation;

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_free (op->method);
  g_free (op->path);
  g_free (op);
}

/* "{id}" and "{area}" alike: the pattern's shape. */
static char *
normalize (const char *method,
           const char *path)
{
  g_autoptr(GString) text = g_string_new (method);

  g_string_append_c (text, ' ');
  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p == '{')
        {
          g_string_append (text, "{}");
          while (*p != '\0' && *p != '}')
            p++;
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (text, *p);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* A line reader of the `paths:` block: "  /v1/x:" opens a path, "    get:"
 * (get, put, post, patch, delete) one of its operations. */
static GPtrArray *
read_contract (void)
{
  g_autoptr(GPtrArray) operations = g_ptr_array_new_with_free_func (operation_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *path_file = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *current = NULL;
  g_auto(GStrv) lines = NULL;
  const char *source_dir = g_getenv ("ESCALADE_SOURCE_DIR");
  const char * const methods[] = { "get", "put", "post", "patch", "delete", NULL };
  gboolean in_paths = FALSE;
  Operation *last = NULL;

  if (source_dir != NULL)
    path_file = g_build_filename (source_dir, "data", "api", "openapi.yaml", NULL);
  else
    path_file = g_test_build_filename (G_TEST_DIST, "..", "data", "api", "openapi.yaml", NULL);

  g_file_get_contents (path_file, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (strcmp (line, "paths:") == 0)
        {
          in_paths = TRUE;
          continue;
        }
      if (!in_paths || line[0] == '\0' || line[0] == '#')
        continue;
      if (line[0] != ' ')
        break;   /* the next top-level key: the end of paths */

      if (last != NULL && strcmp (line, "      security: []") == 0)
        {
          last->public = TRUE;
          continue;
        }

      if (g_str_has_prefix (line, "  /") && g_str_has_suffix (line, ":"))
        {
          last = NULL;
          g_free (current);
          current = g_strndup (line + 2, strlen (line) - 3);
          continue;
        }

      if (current != NULL && g_str_has_prefix (line, "    ") && line[4] != ' ' && g_str_has_suffix (line, ":"))
        {
          g_autofree char *key = g_strndup (line + 4, strlen (line) - 5);

          if (g_strv_contains (methods, key))
            {
              Operation *op = g_new0 (Operation, 1);

              op->method = g_ascii_strup (key, -1);
              op->path = g_strdup (current);
              g_ptr_array_add (operations, op);
              last = op;
            }
        }
    }

  g_assert_cmpuint (operations->len, >, 0);

  return g_steal_pointer (&operations);
}

static void
test_routes_match_contract (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autoptr(GPtrArray) operations = read_contract ();
  g_autoptr(GHashTable) in_contract = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) missing = g_string_new (NULL);
  const EscServiceRoute *routes;
  guint n_routes = 0;

  for (guint i = 0; i < operations->len; i++)
    {
      Operation *op = g_ptr_array_index (operations, i);

      g_hash_table_add (in_contract, normalize (op->method, op->path));
    }

  routes = esc_service_server_get_routes (esc_test_server_get_server (server), &n_routes);
  g_assert_cmpuint (n_routes, >, 0);
  for (guint i = 0; i < n_routes; i++)
    {
      g_autofree char *key = normalize (routes[i].method, routes[i].pattern);

      if (!g_hash_table_contains (in_contract, key))
        g_string_append_printf (missing, "served but not in openapi.yaml: %s\n", key);
      if (routes[i].flags & ESC_SERVICE_ROUTE_PUBLIC)
        {
          gboolean public_in_contract = FALSE;

          for (guint j = 0; j < operations->len; j++)
            {
              Operation *op = g_ptr_array_index (operations, j);
              g_autofree char *op_key = normalize (op->method, op->path);

              if (strcmp (op_key, key) == 0)
                public_in_contract = op->public;
            }
          if (!public_in_contract)
            g_string_append_printf (missing, "open to anyone but not \"security: []\" in openapi.yaml: %s\n", key);
        }
      g_hash_table_add (served, g_steal_pointer (&key));
    }

  for (guint i = 0; i < operations->len; i++)
    {
      Operation *op = g_ptr_array_index (operations, i);
      g_autofree char *key = normalize (op->method, op->path);

      if (!g_hash_table_contains (served, key))
        g_string_append_printf (missing, "in openapi.yaml but not served: %s\n", key);
      if (op->public)
        {
          gboolean public_route = FALSE;

          for (guint j = 0; j < n_routes; j++)
            {
              g_autofree char *route_key = normalize (routes[j].method, routes[j].pattern);

              if (strcmp (route_key, key) == 0)
                public_route = (routes[j].flags & ESC_SERVICE_ROUTE_PUBLIC) != 0;
            }
          if (!public_route)
            g_string_append_printf (missing, "\"security: []\" in openapi.yaml but wants a token: %s\n", key);
        }
    }

  if (missing->len > 0)
    g_test_message ("%s", missing->str);
  g_assert_cmpstr (missing->str, ==, "");
}

/* Fills the path's parameters with values that exist where the test can
 * make them. Returns whether every parameter names something that exists. */
static char *
fill_path (const char *path,
           gboolean   *exists)
{
  g_autoptr(GString) text = g_string_new (NULL);

  *exists = TRUE;
  for (const char *p = path; *p != '\0'; p++)
    {
      if (*p != '{')
        {
          g_string_append_c (text, *p);
          continue;
        }

      if (g_str_has_prefix (path, "/v1/support-requests/"))
        g_string_append (text, "SR-000001");
      else if (g_str_has_prefix (path, "/v1/staff/"))
        g_string_append (text, "1");
      else if (g_str_has_prefix (path, "/v1/admin-contacts/"))
        g_string_append (text, "devices");
      else
        {
          /* e.g. an elevation request: none exists here, 404 is its answer. */
          g_string_append (text, "ER-000001");
          *exists = FALSE;
        }

      while (*p != '\0' && *p != '}')
        p++;
      if (*p == '\0')
        break;
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_contract_is_served (void)
{
  g_autoptr(EscTestServer) server = esc_test_server_new ();
  g_autoptr(GPtrArray) operations = read_contract ();
  g_autofree char *token = NULL;
  g_autofree char *request = NULL;

  /* Someone who may do nearly everything. */
  token = esc_test_server_create_token (server, "all", "it-admin,partner-manager,support-staff,operator");
  esc_test_server_designate (server, "all", "escalation", NULL);
  esc_test_server_designate (server, "all", "elevation", NULL);

  request = g_strdup ("{\"kind\": \"escalation\", \"type\": \"incident\", \"severity\": \"C\","
                      " \"category\": \"devices\", \"subcategory\": \"printing\", \"title\": \"t\","
                      " \"description\": \"d\", \"contact\": {\"given_name\": \"C\", \"surname\": \"M\","
                      " \"email\": \"c@example.org\", \"phone\": \"+33 1\", \"preferred_method\": \"email\","
                      " \"language\": \"fr\"}}");
  {
    g_auto(EscTestResponse) r = { 0, };

    esc_test_request (server, "POST", "/v1/support-requests", token, NULL, request, NULL, &r);
    g_assert_cmpuint (r.status, ==, 201);
  }

  for (guint i = 0; i < operations->len; i++)
    {
      Operation *op = g_ptr_array_index (operations, i);
      gboolean exists;
      g_autofree char *path = fill_path (op->path, &exists);
      gboolean has_body = strcmp (op->method, "GET") != 0 && strcmp (op->method, "DELETE") != 0;
      g_auto(EscTestResponse) r = { 0, };
      g_auto(EscTestResponse) anonymous = { 0, };

      esc_test_request (server, op->method, path, token, NULL, has_body ? "{}" : NULL, NULL, &r);
      g_test_message ("%s %s → %u %s", op->method, path, r.status,
                      r.status >= 400 ? esc_test_problem_type (&r) : "");

      g_assert_cmpuint (r.status, !=, 405);
      g_assert_cmpuint (r.status, !=, 401);
      g_assert_cmpuint (r.status, <, 500);
      if (exists)
        g_assert_cmpuint (r.status, !=, 404);
      else if (r.status == 404)
        g_assert_cmpstr (esc_test_problem_type (&r), ==, "not-found");

      /* Every operation wants a token, but those open to anyone. */
      esc_test_request (server, op->method, path, NULL, NULL, has_body ? "{}" : NULL, NULL, &anonymous);
      if (op->public)
        {
          g_assert_cmpuint (anonymous.status, ==, 200);
          continue;
        }
      g_assert_cmpuint (anonymous.status, ==, 401);
      g_assert_nonnull (soup_message_headers_get_one (anonymous.headers, "WWW-Authenticate"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/openapi/routes-match-contract", test_routes_match_contract);
  g_test_add_func ("/service/openapi/contract-is-served", test_contract_is_served);

  return g_test_run ();
}
