/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include "esc-json-guard.h"
#include "esc-service-http-private.h"

/* What a handler does with its request (esc-service-http.c routes it there):
 * reads the caller, the query and the JSON body, answers in JSON or
 * problem+json, and writes in one transaction whose answer is kept under the
 * request's Idempotency-Key. */

#define IDEMPOTENCY_KEY_MAX 255
/* The database cannot be reached now (ESC_SERVICE_ERROR_UNAVAILABLE): a
 * restarting PostgreSQL is usually back within seconds. */
#define UNAVAILABLE_RETRY_SECONDS "2"

/* Answers, at the message level */

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   const char        *content_type,
                   JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize length;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);

  soup_server_message_set_status (msg, status, NULL);
  /* set_response() appends: a later answer (a batch that failed after its
   * handler answered) replaces the earlier one, not follows it */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, data, length);
}

/* RFC 7807: {type, title, status, detail, instance}, plus @extra's members. */
void
esc_service_message_set_problem (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *type,
                                 const char        *title,
                                 const char        *detail,
                                 JsonObject        *extra)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *type_uri = g_strconcat (ESC_SERVICE_PROBLEM_BASE, type, NULL);
  GUri *uri = soup_server_message_get_uri (msg);

  json_object_set_string_member (object, "type", type_uri);
  json_object_set_string_member (object, "title", title);
  json_object_set_int_member (object, "status", status);
  json_object_set_string_member (object, "detail", detail);
  if (uri != NULL)
    json_object_set_string_member (object, "instance", g_uri_get_path (uri));

  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (object, name, json_node_copy (value));
    }

  json_node_set_object (root, object);
  set_json_response (msg, status, "application/problem+json", root);
}

void
esc_service_message_set_payload_too_large (SoupServerMessage *msg)
{
  esc_service_message_set_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                                   "Payload Too Large",
                                   "The request body is larger than the service accepts (1 MiB).", NULL);
}

/* The request: its caller, query and body */

gboolean
esc_service_context_has_role (EscServiceContext *ctx,
                              EscServiceRole     role)
{
  return (ctx->caller_roles & role) != 0;
}

/* Live designations only (an expired one grants nothing). */
gboolean
esc_service_context_has_designation (EscServiceContext *ctx,
                                     const char        *capability)
{
  return ctx->caller != NULL &&
         ctx->caller->designations != NULL &&
         g_strv_contains ((const char * const *)ctx->caller->designations, capability);
}

const char *
esc_service_context_get_query (EscServiceContext *ctx,
                               const char        *name)
{
  if (ctx->query == NULL)
    return NULL;

  return g_hash_table_lookup (ctx->query, name);
}

char *
esc_service_context_dup_now_string (EscServiceContext *ctx)
{
  return esc_service_format_timestamp (ctx->now);
}

static gboolean
content_type_is (const char *content_type,
                 const char *expected)
{
  gsize len = strlen (expected);

  if (g_ascii_strncasecmp (content_type, expected, len) != 0)
    return FALSE;

  /* "application/json; charset=utf-8" */
  return content_type[len] == '\0' || content_type[len] == ';' || content_type[len] == ' ';
}

static JsonObject *
read_object (EscServiceContext *ctx,
             gboolean           optional)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (ctx->msg);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  const char *content_type;
  JsonNode *root;

  if (ctx->body_too_large)
    {
      esc_service_message_set_payload_too_large (ctx->msg);
      return NULL;
    }

  if (optional && ctx->body->len == 0)
    return json_object_new ();

  content_type = soup_message_headers_get_one (headers, "Content-Type");
  if (content_type == NULL ||
      !(content_type_is (content_type, "application/json") ||
        (strcmp (ctx->method, "PATCH") == 0 &&
         content_type_is (content_type, "application/merge-patch+json"))))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                "Unsupported Media Type",
                                "The body must be application/json%s, not %s.",
                                strcmp (ctx->method, "PATCH") == 0
                                  ? " or application/merge-patch+json" : "",
                                content_type ? content_type : "untyped");
      return NULL;
    }

  if (ctx->body->len == 0)
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "malformed-json",
                                "Malformed JSON", "The request has no body; a JSON object is expected.");
      return NULL;
    }

  if (!g_utf8_validate ((const char *)ctx->body->data, ctx->body->len, NULL))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "malformed-json",
                                "Malformed JSON", "The body is not valid UTF-8.");
      return NULL;
    }

  /* json-glib 1.6 recurses once per nesting level: refuse deep nesting first. */
  if (!esc_json_guard_check ((const char *)ctx->body->data, ctx->body->len,
                             ESC_JSON_GUARD_MAX_DEPTH, &error))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "malformed-json",
                                "Malformed JSON", "The body is not acceptable JSON: %s",
                                error->message);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *)ctx->body->data, ctx->body->len, &error))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "malformed-json",
                                "Malformed JSON", "The body is not valid JSON: %s", error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "malformed-json",
                                "Malformed JSON", "The body must be a JSON object.");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

/**
 * esc_service_context_read_object:
 * @ctx: the request
 *
 * Returns: (transfer full) (nullable): the body's object, or %NULL after
 *   answering 400, 413 or 415
 */
JsonObject *
esc_service_context_read_object (EscServiceContext *ctx)
{
  return read_object (ctx, FALSE);
}

JsonObject *
esc_service_context_read_optional_object (EscServiceContext *ctx)
{
  return read_object (ctx, TRUE);
}

/* Answers */

void
esc_service_send_json (EscServiceContext *ctx,
                       guint              status,
                       JsonNode          *node)
{
  set_json_response (ctx->msg, status, "application/json", node);
}

void
esc_service_send_problem (EscServiceContext *ctx,
                          guint              status,
                          const char        *type,
                          const char        *title,
                          const char        *detail_format,
                          ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);

  esc_service_message_set_problem (ctx->msg, status, type, title, detail, NULL);
}

void
esc_service_send_problem_extra (EscServiceContext *ctx,
                                guint              status,
                                const char        *type,
                                const char        *title,
                                JsonObject        *extra,
                                const char        *detail_format,
                                ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, detail_format);
  detail = g_strdup_vprintf (detail_format, args);
  va_end (args);

  esc_service_message_set_problem (ctx->msg, status, type, title, detail, extra);
}

const guint8 *
esc_service_context_get_body (EscServiceContext  *ctx,
                              gsize              *out_length,
                              const char        **out_content_type)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (ctx->msg);

  if (ctx->body_too_large)
    {
      esc_service_message_set_payload_too_large (ctx->msg);
      return NULL;
    }

  *out_length = ctx->body->len;
  if (out_content_type != NULL)
    *out_content_type = soup_message_headers_get_one (headers, "Content-Type");

  /* Never NULL on success, even when empty. */
  return ctx->body->data != NULL ? ctx->body->data : (const guint8 *)"";
}

void
esc_service_send_invalid_field (EscServiceContext *ctx,
                                const char        *field,
                                const char        *type,
                                const char        *title,
                                const char        *detail)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonArray *params = json_array_new ();
  JsonObject *param = json_object_new ();
  g_autofree char *name = NULL;

  if (field == NULL)
    field = "";

  /* "/contact/email" → "contact.email" for invalid_params */
  name = g_strdup (field[0] == '/' ? field + 1 : field);
  g_strdelimit (name, "/", '.');

  json_object_set_string_member (param, "name", name);
  json_object_set_string_member (param, "reason", detail);
  json_array_add_object_element (params, param);
  json_object_set_string_member (extra, "field", field);
  json_object_set_array_member (extra, "invalid_params", params);

  esc_service_message_set_problem (ctx->msg, 422, type, title, detail, extra);
}

void
esc_service_send_not_found (EscServiceContext *ctx)
{
  esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found",
                            "There is no resource at %s.", ctx->path);
}

void
esc_service_message_set_unavailable (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", UNAVAILABLE_RETRY_SECONDS);
  esc_service_message_set_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "database-unavailable",
                                   "Database Unavailable",
                                   "The service’s database cannot be reached now; nothing was done. Send the "
                                   "same request again in a few seconds.", NULL);
}

void
esc_service_send_internal_error (EscServiceContext *ctx,
                                 const GError      *error)
{
  if (esc_service_db_in_transaction (ctx->db))
    esc_service_db_rollback (ctx->db);

  /* The details stay in the service's log, not in the answer. */
  g_printerr ("escalade-service: %s %s: %s\n", ctx->method, ctx->path,
              error ? error->message : "unknown error");

  /* Nothing was written (every change is one transaction): the client may
   * send the same request, with the same Idempotency-Key, again. */
  if (error != NULL && g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE))
    {
      esc_service_message_set_unavailable (ctx->msg);
      return;
    }

  esc_service_message_set_problem (ctx->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error",
                                   "Internal Server Error",
                                   "The service could not answer; its log has the details.", NULL);
}

/* Writes and idempotency
 *
 * A write with an Idempotency-Key claims the key first, in its own
 * transaction (esc_service_context_begin()): a row with status 0, its
 * answer to come. Its commit stores the answer in that row
 * (esc_service_context_commit_json()). So, on any number of nodes:
 * - a repeat after the first committed is answered from the row
 *   (esc_service_context_replay_idempotent(), before the handler runs; or,
 *   for a route that claims first, by the claim that finds the row);
 * - a repeat arriving while the first runs on another node waits on the
 *   row's lock in its claim (PostgreSQL), then finds it committed and
 *   replays it, or, if the first rolled back, goes ahead itself;
 * - a repeat in the same group commit as the first (one node) finds the
 *   key claimed and not answered yet: 409, try again.
 * A refusal (4xx) is not stored: the claim rolls back with its change. */

static void
send_stored_answer (EscServiceContext *ctx,
                    EscServiceStmt    *stmt)
{
  g_autoptr(GBytes) body = NULL;

  if (!esc_service_stmt_column_is_null (stmt, 2))
    soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                  "Location", esc_service_stmt_column_text (stmt, 2));
  soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                "Idempotent-Replayed", "true");
  soup_server_message_set_status (ctx->msg, (guint)esc_service_stmt_column_int64 (stmt, 1), NULL);
  body = esc_service_stmt_column_bytes (stmt, 3);
  soup_server_message_set_response (ctx->msg, "application/json", SOUP_MEMORY_COPY,
                                    body ? g_bytes_get_data (body, NULL) : "",
                                    body ? g_bytes_get_size (body) : 0);
}

static void
send_key_reused (EscServiceContext *ctx)
{
  esc_service_send_invalid_field (ctx, "", "idempotency-key-reused",
                                  "Idempotency-Key reused",
                                  "This Idempotency-Key was already used for a different "
                                  "request (another path or body); use a new key for a new "
                                  "request.");
}

static void
send_key_in_progress (EscServiceContext *ctx)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                "Retry-After", "1");
  esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "idempotency-key-in-progress",
                            "Request in progress",
                            "A request with this Idempotency-Key is being handled; send it again "
                            "in a moment to get its answer.");
}

/* Answers from the stored row of the request's key: TRUE if answered
 * (replayed, refused, or an error), FALSE if there is no such row. */
static gboolean
answer_from_store (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "SELECT request_hash, status, location, body"
                                              " FROM idempotency_keys WHERE person_id = ?1 AND key = ?2",
                                              &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return TRUE;
    }
  esc_service_stmt_bind_int64 (stmt, 1, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 2, ctx->idempotency_key);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    return FALSE;
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (ctx->db, &error);
      esc_service_send_internal_error (ctx, error);
      return TRUE;
    }

  if (g_strcmp0 (esc_service_stmt_column_text (stmt, 0), ctx->request_hash) != 0)
    send_key_reused (ctx);
  else if (esc_service_stmt_column_int64 (stmt, 1) == 0)
    send_key_in_progress (ctx);
  else
    send_stored_answer (ctx, stmt);

  return TRUE;
}

/* Inside the request's transaction: TRUE if the key is now this request's;
 * FALSE after answering (a repeat, a refusal or an error). */
static gboolean
claim_idempotency_key (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "INSERT INTO idempotency_keys"
                                              " (person_id, key, request_hash, status, location, body, created_at)"
                                              " VALUES (?1, ?2, ?3, 0, NULL, ?4, ?5)"
                                              " ON CONFLICT (person_id, key) DO NOTHING RETURNING 1",
                                              &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return FALSE;
    }
  esc_service_stmt_bind_int64 (stmt, 1, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 2, ctx->idempotency_key);
  esc_service_stmt_bind_text (stmt, 3, ctx->request_hash);
  esc_service_stmt_bind_blob (stmt, 4, "", 0);
  esc_service_stmt_bind_text (stmt, 5, now);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    {
      esc_service_stmt_reset (stmt);
      ctx->idempotency_claimed = TRUE;
      return TRUE;
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      esc_service_send_internal_error (ctx, error);
      return FALSE;
    }
  g_clear_pointer (&stmt, esc_service_stmt_release);

  /* Claimed by another request, now committed (or in this very batch):
   * nothing of this one is written */
  esc_service_db_rollback (ctx->db);
  if (!answer_from_store (ctx))
    {
      /* Gone between the two statements (purged): a client's retry goes ahead */
      send_key_in_progress (ctx);
    }
  return FALSE;
}

gboolean
esc_service_context_begin (EscServiceContext *ctx)
{
  g_autoptr(GError) error = NULL;

  if (!esc_service_db_begin (ctx->db, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return FALSE;
    }

  if (ctx->idempotency_key != NULL && ctx->caller != NULL && !ctx->idempotency_claimed)
    return claim_idempotency_key (ctx);

  return TRUE;
}

void
esc_service_context_rollback (EscServiceContext *ctx)
{
  if (esc_service_db_in_transaction (ctx->db))
    esc_service_db_rollback (ctx->db);
  /* The claim went with it */
  ctx->idempotency_claimed = FALSE;
}

static gboolean
store_idempotent_answer (EscServiceContext  *ctx,
                         guint               status,
                         const char         *data,
                         gsize               length,
                         const char         *location,
                         GError            **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "UPDATE idempotency_keys SET status = ?3, location = ?4, body = ?5"
                                              " WHERE person_id = ?1 AND key = ?2",
                                              error)))
    return FALSE;

  esc_service_stmt_bind_int64 (stmt, 1, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 2, ctx->idempotency_key);
  esc_service_stmt_bind_int64 (stmt, 3, status);
  esc_service_stmt_bind_text (stmt, 4, location);
  esc_service_stmt_bind_blob (stmt, 5, data, length);

  /* On PostgreSQL the key was claimed in this very transaction
   * (esc_service_context_begin()): the answer goes with the next statement
   * that waits, or the COMMIT, and fails the transaction if it fails */
  if (esc_service_db_get_backend (ctx->db) == ESC_SERVICE_DB_POSTGRESQL)
    return esc_service_db_step_later (ctx->db, stmt, error);

  if (!esc_service_db_step_done (ctx->db, stmt, error))
    return FALSE;
  if (esc_service_stmt_changes (stmt) != 1)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                   "The Idempotency-Key “%s” was not claimed by this request", ctx->idempotency_key);
      return FALSE;
    }

  return TRUE;
}

/**
 * esc_service_context_commit_json:
 * @ctx: the request, inside esc_service_context_begin()
 * @status: the answer's status, e.g. 201
 * @node: the answer's body
 * @location: (nullable): a Location header, e.g. "/v1/support-requests/SR-000001"
 *
 * Stores the answer under the request's Idempotency-Key (if any) in the open
 * transaction, commits, and answers. On failure, rolls back and answers 500.
 *
 * Returns: %TRUE if committed
 */
gboolean
esc_service_context_commit_json (EscServiceContext *ctx,
                                 guint              status,
                                 JsonNode          *node,
                                 const char        *location)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);

  if (ctx->idempotency_claimed &&
      !store_idempotent_answer (ctx, status, data, length, location, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return FALSE;
    }

  if (!esc_service_db_commit (ctx->db, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return FALSE;
    }

  if (location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg),
                                  "Location", location);
  soup_server_message_set_status (ctx->msg, status, NULL);
  soup_server_message_set_response (ctx->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&data), length);

  return TRUE;
}

static gboolean
idempotency_key_is_valid (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > IDEMPOTENCY_KEY_MAX)
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x21 || (guchar)*p > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static char *
compute_request_hash (EscServiceContext *ctx)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *)ctx->method, strlen (ctx->method) + 1);
  g_checksum_update (checksum, (const guchar *)ctx->path, strlen (ctx->path) + 1);
  g_checksum_update (checksum, ctx->body->data, ctx->body->len);

  return g_strdup (g_checksum_get_string (checksum));
}

/* Reads the request's Idempotency-Key and, if @look_up, answers from its
 * stored row. Without @look_up (ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST), the
 * handler's claim does that. Returns TRUE if the request was answered from
 * the store (or refused). */
gboolean
esc_service_context_replay_idempotent (EscServiceContext *ctx,
                                       gboolean           look_up)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (ctx->msg);
  const char *key;

  key = soup_message_headers_get_one (headers, "Idempotency-Key");
  if (key == NULL)
    return FALSE;

  if (!idempotency_key_is_valid (key))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-idempotency-key",
                                "Invalid Idempotency-Key",
                                "The Idempotency-Key header must be 1 to %d visible ASCII "
                                "characters.", IDEMPOTENCY_KEY_MAX);
      return TRUE;
    }

  ctx->idempotency_key = g_strdup (key);
  ctx->request_hash = compute_request_hash (ctx);

  return look_up && answer_from_store (ctx);
}
