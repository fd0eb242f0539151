/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-service-crypto.h"
#include "esc-service-http-private.h"
#include "esc-service-token.h"

/* The framework under every handler: routes with path parameters and roles,
 * authentication, bounded body reading, strict JSON member checks,
 * problem+json answers, idempotent POSTs and group commit. Everything a
 * handler does with the database runs synchronously on the main loop, one
 * request at a time (a group-commit batch runs its requests one after the
 * other in one transaction): that is what makes a repeated Idempotency-Key,
 * even sent on several connections at once, find the first answer stored.
 * What a handler reads and answers, and the idempotent writes, are in
 * esc-service-http-context.c. */

#define REALM "escalade"

/* The most requests answered by one group commit. */
#define BATCH_MAX 64
/* The most write requests waiting for the group commit; beyond, 503. */
#define QUEUED_WRITES_MAX 512
#define QUEUE_FULL_RETRY_SECONDS "1"
/* How long a token checked before its request's body is read is taken as
 * checked again for that first look, and how many such tokens a node keeps
 * (see token_recently_checked()). */
#define CHECKED_TOKEN_SECONDS 5
#define CHECKED_TOKENS_MAX 4096
/* The most audit rows of refusals per person (or client) and minute. */
#define REFUSAL_AUDITS_PER_MINUTE 10
#define REFUSAL_AUDITS_KEYS_MAX 4096

struct _EscServiceRouter
{
  GArray *routes;        /* EscServiceRoute */
  GArray *housekeeping;  /* EscServiceHousekeeping */

  /* Group commit: requests waiting for the next batch */
  GQueue      pending;       /* Pending */
  guint       flush_id;
  guint       max_queued;
  gboolean    flush_held;    /* tests only */

  /* The first look at a request's token (got_headers_cb()): SHA-256 of a
   * token found valid → monotonic time until which that look trusts it */
  GHashTable *checked_tokens;

  /* Refusals audited this minute, per person or client: "key" → count */
  GHashTable *refusal_audits;
  gint64      refusal_minute;
  /* During a batch: token → EscServicePerson. The batch is one transaction,
   * one snapshot, so a token checked once stands for the whole batch. */
  GHashTable *batch_callers;
};

typedef struct
{
  EscServiceServer      *server;
  EscServiceDb          *db;
  SoupServerMessage     *msg;
  const EscServiceRoute *route;
  GStrv                  params;
  char                  *path;
  GHashTable            *query;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->msg);
  g_clear_object (&pending->db);
  g_clear_pointer (&pending->params, g_strfreev);
  g_clear_pointer (&pending->path, g_free);
  g_clear_pointer (&pending->query, g_hash_table_unref);
  g_free (pending);
}

typedef struct
{
  GByteArray       *data;
  gboolean          too_large;
  EscServiceRouter *router;
  EscServiceServer *server;   /* borrowed: they outlive the message's handling */
  EscServiceDb     *db;
} BodyState;

static const char body_state_key[] = "esc-service-body";

static const struct {
  const char     *name;
  EscServiceRole  role;
} role_names[] = {
  { "it-admin", ESC_SERVICE_ROLE_IT_ADMIN },
  { "partner-manager", ESC_SERVICE_ROLE_PARTNER_MANAGER },
  { "support-staff", ESC_SERVICE_ROLE_SUPPORT_STAFF },
  { "operator", ESC_SERVICE_ROLE_OPERATOR },
};

guint
esc_service_roles_from_strv (const char * const *roles)
{
  guint mask = 0;

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (roles != NULL && g_strv_contains (roles, role_names[i].name))
        mask |= role_names[i].role;
    }

  return mask;
}

static char *
roles_to_text (guint mask)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if ((mask & role_names[i].role) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, role_names[i].name);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Router */

/* Stored answers are kept for the setting's days (30), long enough for an
 * outbox that waited through a holiday; then they go. */
static gboolean
purge_idempotency_keys (EscServiceDb  *db,
                        GDateTime     *now,
                        GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GDateTime) cutoff = NULL;
  g_autofree char *cutoff_text = NULL;
  gint64 days;

  days = esc_service_db_get_setting_int (db, "idempotency.retention-days", 30);
  cutoff = g_date_time_add_days (now, -(int)CLAMP (days, 1, 3650));
  cutoff_text = esc_service_format_timestamp (cutoff);

  if (!(stmt = esc_service_db_prepare_cached (db, "DELETE FROM idempotency_keys WHERE created_at < ?1",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, cutoff_text);

  return esc_service_db_step_done (db, stmt, error);
}

EscServiceRouter *
esc_service_router_new (void)
{
  EscServiceRouter *router = g_new0 (EscServiceRouter, 1);

  router->routes = g_array_new (FALSE, TRUE, sizeof (EscServiceRoute));
  router->housekeeping = g_array_new (FALSE, TRUE, sizeof (EscServiceHousekeeping));
  esc_service_router_add_housekeeping (router, purge_idempotency_keys);
  router->max_queued = QUEUED_WRITES_MAX;
  router->refusal_audits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  router->checked_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return router;
}

void
esc_service_router_free (EscServiceRouter *router)
{
  Pending *pending;

  if (router == NULL)
    return;

  /* The server is going away: waiting requests get no answer. */
  g_clear_handle_id (&router->flush_id, g_source_remove);
  while ((pending = g_queue_pop_head (&router->pending)) != NULL)
    pending_free (pending);

  g_array_unref (router->routes);
  g_array_unref (router->housekeeping);
  g_hash_table_unref (router->refusal_audits);
  g_hash_table_unref (router->checked_tokens);
  g_free (router);
}

/**
 * esc_service_router_add:
 * @router: the server's router
 * @method: "GET", "POST", "PUT", "PATCH" or "DELETE"
 * @pattern: a path where "{name}" matches one segment, e.g.
 *   "/v1/support-requests/{id}/comments"
 * @roles: the roles allowed (any one of them), or %ESC_SERVICE_ROLES_ANY
 * @handler: called for authenticated callers holding one of @roles; others
 *   get 401 or 403 without it being called
 *
 * GET routes also answer HEAD.
 */
void
esc_service_router_add (EscServiceRouter  *router,
                        const char        *method,
                        const char        *pattern,
                        guint              roles,
                        EscServiceHandler  handler)
{
  esc_service_router_add_full (router, method, pattern, roles, ESC_SERVICE_ROUTE_DEFAULT, handler);
}

/**
 * esc_service_router_add_full:
 * @router: the server's router
 * @method: as for esc_service_router_add()
 * @pattern: as for esc_service_router_add()
 * @roles: as for esc_service_router_add()
 * @flags: e.g. %ESC_SERVICE_ROUTE_GROUP_COMMIT
 * @handler: as for esc_service_router_add()
 */
void
esc_service_router_add_full (EscServiceRouter     *router,
                             const char           *method,
                             const char           *pattern,
                             guint                 roles,
                             EscServiceRouteFlags  flags,
                             EscServiceHandler     handler)
{
  EscServiceRoute route = { method, pattern, roles, handler, flags };

  g_return_if_fail (router != NULL);
  g_return_if_fail (method != NULL && pattern != NULL && handler != NULL);
  g_return_if_fail (g_str_has_prefix (pattern, "/v1/"));

  for (guint i = 0; i < router->routes->len; i++)
    {
      EscServiceRoute *other = &g_array_index (router->routes, EscServiceRoute, i);

      if (strcmp (other->method, method) == 0 && strcmp (other->pattern, pattern) == 0)
        g_error ("Route %s %s is registered twice", method, pattern);
    }

  g_array_append_val (router->routes, route);
}

void
esc_service_router_add_housekeeping (EscServiceRouter       *router,
                                     EscServiceHousekeeping  func)
{
  g_return_if_fail (router != NULL);
  g_return_if_fail (func != NULL);

  g_array_append_val (router->housekeeping, func);
}

const EscServiceRoute *
esc_service_router_get_routes (EscServiceRouter *router,
                               guint            *n_routes)
{
  *n_routes = router->routes->len;

  return (const EscServiceRoute *)(gpointer)router->routes->data;
}

gboolean
esc_service_router_run_housekeeping (EscServiceRouter  *router,
                                     EscServiceDb      *db,
                                     GError           **error)
{
  g_autoptr(GDateTime) now = esc_service_db_dup_now (db);
  gboolean shared = esc_service_db_get_backend (db) == ESC_SERVICE_DB_POSTGRESQL;
  gboolean leader = TRUE;

  /* Several nodes on one PostgreSQL database: the timed jobs (rotation, the
   * 48-hour close, the purges) run on one node at a time, the one whose
   * transaction holds the lead; the others skip this round. Each job's own
   * transaction is a savepoint inside. On SQLite there is one node. */
  if (shared)
    {
      if (!esc_service_db_begin (db, error))
        return FALSE;
      if (!esc_service_db_try_lead (db, "housekeeping", &leader, error))
        {
          esc_service_db_rollback (db);
          return FALSE;
        }
      if (!leader)
        {
          esc_service_db_rollback (db);
          return TRUE;
        }
    }

  for (guint i = 0; i < router->housekeeping->len; i++)
    {
      EscServiceHousekeeping func = g_array_index (router->housekeeping, EscServiceHousekeeping, i);

      if (!func (db, now, error))
        {
          if (shared)
            esc_service_db_rollback (db);
          return FALSE;
        }
    }

  return !shared || esc_service_db_commit (db, error);
}

/* Whether @path has @pattern's shape: the same number of segments, each
 * equal, or any non-empty one for a "{name}" segment. Nothing is allocated
 * (every request is matched against the routes in turn) until it matches:
 * then @out_params gets the "{name}" segments in order. */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               GStrv       *out_params)
{
  g_autoptr(GStrvBuilder) params = NULL;
  const char *p = pattern;
  const char *q = path;
  guint n_params = 0;

  for (;;)
    {
      const char *p_end = strchrnul (p, '/');
      const char *q_end = strchrnul (q, '/');

      if (*p == '{')
        {
          if (q_end == q)
            return FALSE;
          n_params++;
        }
      else if (p_end - p != q_end - q || memcmp (p, q, p_end - p) != 0)
        {
          return FALSE;
        }

      if (*p_end == '\0' || *q_end == '\0')
        {
          if (*p_end != *q_end)
            return FALSE;
          break;
        }

      p = p_end + 1;
      q = q_end + 1;
    }

  params = g_strv_builder_new ();
  if (n_params > 0)
    {
      p = pattern;
      q = path;
      for (;;)
        {
          const char *p_end = strchrnul (p, '/');
          const char *q_end = strchrnul (q, '/');

          if (*p == '{')
            {
              g_autofree char *segment = g_strndup (q, q_end - q);

              g_strv_builder_add (params, segment);
            }
          if (*p_end == '\0')
            break;
          p = p_end + 1;
          q = q_end + 1;
        }
    }

  *out_params = g_strv_builder_end (params);
  return TRUE;
}

static void
set_unauthorized (SoupServerMessage *msg,
                  const char        *bearer_error,
                  const char        *detail)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *challenge = NULL;

  /* RFC 6750 §3: no error code when no credentials were sent at all. */
  if (bearer_error != NULL)
    challenge = g_strdup_printf ("Bearer realm=\"" REALM "\", error=\"%s\"", bearer_error);
  else
    challenge = g_strdup ("Bearer realm=\"" REALM "\"");

  soup_message_headers_replace (headers, "WWW-Authenticate", challenge);
  esc_service_message_set_problem (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", "Unauthorized",
                                   detail, NULL);
}

/* Body reading: never more than ESC_SERVICE_MAX_BODY_BYTES kept in memory,
 * and none at all before the caller is known. */

static const EscServiceRoute *match_route (EscServiceRouter  *router,
                                          SoupServerMessage *msg,
                                          const char        *path,
                                          GStrv             *out_params);
static EscServicePerson *authenticate (EscServiceRouter  *router,
                                       EscServiceDb      *db,
                                       SoupServerMessage *msg,
                                       GHashTable        *cache);

/* How a request's Authorization header stands */
typedef enum
{
  BEARER_TOKEN,        /* *out_token is the token */
  BEARER_NONE,         /* no header */
  BEARER_OTHER_SCHEME,
  BEARER_EMPTY,
} Bearer;

/* Reads the bearer token of @msg; the caller wipes and frees it. */
static Bearer
read_bearer (SoupServerMessage  *msg,
             char              **out_token)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");
  char *token;

  *out_token = NULL;
  if (value == NULL)
    return BEARER_NONE;
  if (g_ascii_strncasecmp (value, "Bearer ", strlen ("Bearer ")) != 0)
    return BEARER_OTHER_SCHEME;

  token = g_strstrip (g_strdup (value + strlen ("Bearer ")));
  if (token[0] == '\0')
    {
      g_free (token);
      return BEARER_EMPTY;
    }

  *out_token = token;
  return BEARER_TOKEN;
}

/* The SHA-256 of the bearer token of @msg, or %NULL if it has none. */
static char *
dup_token_hash (SoupServerMessage *msg)
{
  g_autofree char *token = NULL;
  char *hash;

  if (read_bearer (msg, &token) != BEARER_TOKEN)
    return NULL;

  hash = esc_service_token_hash (token);
  esc_service_crypto_wipe (token, strlen (token));

  return hash;
}

/* The first look at a token, before the body is read, only spares a node
 * the reading of a body sent with a wrong token. The check that counts is
 * made again in the request's own transaction (run_route()), every time.
 * So a token found valid here is not looked up again here for a few
 * seconds: one database round trip less per request. A token revoked
 * meanwhile has its body read, then gets its 401 all the same. */
static gboolean
token_recently_checked (EscServiceRouter *router,
                        const char       *hash)
{
  gint64 *until;

  if (hash == NULL || (until = g_hash_table_lookup (router->checked_tokens, hash)) == NULL)
    return FALSE;

  return g_get_monotonic_time () < *until;
}

static void
note_token_checked (EscServiceRouter *router,
                    const char       *hash)
{
  gint64 *until;

  if (hash == NULL)
    return;
  if (g_hash_table_size (router->checked_tokens) >= CHECKED_TOKENS_MAX)
    g_hash_table_remove_all (router->checked_tokens);

  until = g_new (gint64, 1);
  *until = g_get_monotonic_time () + CHECKED_TOKEN_SECONDS * G_TIME_SPAN_SECOND;
  g_hash_table_replace (router->checked_tokens, g_strdup (hash), until);
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  BodyState *state = g_object_get_data (G_OBJECT (msg), body_state_key);
  g_autoptr(EscServicePerson) caller = NULL;
  g_autofree char *token_hash = NULL;
  guint delay_ms = 0;
  const EscServiceRoute *route;
  GUri *uri;

  if (soup_server_message_get_status (msg) != 0 || state == NULL)
    return;

  /* Refused on the announced length: the body is not kept, and a client
   * that sent "Expect: 100-continue" never sends it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > ESC_SERVICE_MAX_BODY_BYTES)
    {
      state->too_large = TRUE;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      esc_service_message_set_payload_too_large (msg);
      esc_service_server_answer_and_close (state->server, msg, 0);
      return;
    }

  /* No such resource or method: answered now. */
  uri = soup_server_message_get_uri (msg);
  if (uri == NULL || !(route = match_route (state->router, msg, g_uri_get_path (uri), NULL)))
    {
      esc_service_server_answer_and_close (state->server, msg, 0);
      return;
    }

  /* Open to anyone (GET /v1/health) */
  if (route->flags & ESC_SERVICE_ROUTE_PUBLIC)
    return;

  /* Every route needs a token: a request without a valid one is answered
   * now and its connection closed, before a byte of its body is read.
   * Repeated wrong tokens from one client are answered more and more
   * slowly. */
  token_hash = dup_token_hash (msg);
  if (token_recently_checked (state->router, token_hash))
    return;
  if ((caller = authenticate (state->router, state->db, msg, NULL)) != NULL)
    {
      note_token_checked (state->router, token_hash);
      return;
    }

  if (soup_server_message_get_status (msg) == SOUP_STATUS_UNAUTHORIZED)
    {
      if (soup_message_headers_get_one (headers, "Authorization") != NULL)
        delay_ms = esc_service_server_note_failed_sign_in (state->server, msg);
      else
        delay_ms = esc_service_server_note_unauthenticated (state->server, msg);
    }
  esc_service_server_answer_and_close (state->server, msg, delay_ms);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  BodyState *state = g_object_get_data (G_OBJECT (msg), body_state_key);
  gsize size;
  const guint8 *data;

  if (state == NULL || state->too_large)
    return;

  data = g_bytes_get_data (chunk, &size);
  if (state->data->len + size > ESC_SERVICE_MAX_BODY_BYTES)
    {
      state->too_large = TRUE;
      g_byte_array_set_size (state->data, 0);
      return;
    }

  g_byte_array_append (state->data, data, size);
}

static void
body_state_free (gpointer data)
{
  BodyState *state = data;

  g_byte_array_unref (state->data);
  g_free (state);
}

/* Called from the server's request-started signal. */
void
esc_service_router_message_started (EscServiceRouter  *router,
                                    EscServiceServer  *server,
                                    EscServiceDb      *db,
                                    SoupServerMessage *msg)
{
  BodyState *state = g_new0 (BodyState, 1);

  state->data = g_byte_array_new ();
  state->router = router;
  state->server = server;
  state->db = db;
  g_object_set_data_full (G_OBJECT (msg), body_state_key, state, body_state_free);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

/* Authentication */

/* How many refusals were audited for @key this minute, this one included:
 * a flood of refusals writes at most REFUSAL_AUDITS_PER_MINUTE rows per
 * person (or client) and minute; the last of them says so. */
static gint64
count_refusal_audit (EscServiceRouter *router,
                     const char       *key)
{
  gint64 minute = g_get_monotonic_time () / (60 * G_TIME_SPAN_SECOND);
  gint64 count;

  if (router == NULL)
    return 1;

  if (minute != router->refusal_minute ||
      g_hash_table_size (router->refusal_audits) >= REFUSAL_AUDITS_KEYS_MAX)
    {
      g_hash_table_remove_all (router->refusal_audits);
      router->refusal_minute = minute;
    }

  count = (gint64)GPOINTER_TO_SIZE (g_hash_table_lookup (router->refusal_audits, key)) + 1;
  if (count <= REFUSAL_AUDITS_PER_MINUTE + 1)
    g_hash_table_insert (router->refusal_audits, g_strdup (key), GSIZE_TO_POINTER ((gsize)count));

  return count;
}

/* Adds the note of the last audited refusal of the minute, or returns
 * FALSE if this refusal is not to be audited. */
static gboolean
refusal_audit_allowed (EscServiceRouter *router,
                       const char       *key,
                       JsonObject       *details)
{
  gint64 count = count_refusal_audit (router, key);

  if (count > REFUSAL_AUDITS_PER_MINUTE)
    return FALSE;
  if (count == REFUSAL_AUDITS_PER_MINUTE)
    json_object_set_boolean_member (details, "further_refusals_this_minute_not_audited", TRUE);

  return TRUE;
}

static void
audit_refused_token (EscServiceRouter  *router,
                     EscServiceDb      *db,
                     SoupServerMessage *msg,
                     gint64             person_id,
                     const char        *reason)
{
  g_autoptr(EscServicePerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(JsonNode) details_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *roles = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  EscServiceAuditEvent event = { 0, };
  g_autofree char *key = g_strdup_printf ("person:%" G_GINT64_FORMAT, person_id);

  if (!refusal_audit_allowed (router, key, details))
    return;

  if (!(person = esc_service_db_get_person (db, person_id, &error)))
    {
      g_printerr ("escalade-service: audit: %s\n", error->message);
      return;
    }

  json_object_set_string_member (details, "method", soup_server_message_get_method (msg));
  json_object_set_int_member (details, "status", SOUP_STATUS_UNAUTHORIZED);
  json_object_set_string_member (details, "reason", reason);
  json_node_set_object (details_node, details);

  roles = g_strjoinv (",", person->roles);
  event.actor_id = person->id;
  event.actor_name = person->name;
  event.actor_roles = roles;
  event.action = "authorization.refused";
  event.target = uri ? g_uri_get_path (uri) : NULL;
  event.remote_address = soup_server_message_get_remote_host (msg);
  event.details = details_node;

  if (!esc_service_db_audit_append (db, &event, &error))
    g_printerr ("escalade-service: audit: %s\n", error->message);
}

static void
token_free (gpointer data)
{
  char *token = data;

  esc_service_crypto_wipe (token, strlen (token));
  g_free (token);
}

/* Returns the caller, or %NULL after answering 401 (or 503, or 500). @cache, if
 * not %NULL, holds the callers already known in this batch. */
static EscServicePerson *
authenticate (EscServiceRouter  *router,
              EscServiceDb      *db,
              SoupServerMessage *msg,
              GHashTable        *cache)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  EscServicePerson *person;

  switch (read_bearer (msg, &token))
    {
    case BEARER_NONE:
      set_unauthorized (msg, NULL,
                        "The request has no bearer token: "
                        "send “Authorization: Bearer <token>”.");
      return NULL;
    case BEARER_OTHER_SCHEME:
      set_unauthorized (msg, "invalid_request",
                        "The Authorization header does not use the Bearer scheme.");
      return NULL;
    case BEARER_EMPTY:
      set_unauthorized (msg, "invalid_request",
                        "The Authorization header has an empty bearer token.");
      return NULL;
    case BEARER_TOKEN:
    default:
      break;
    }

  if (cache != NULL && (person = g_hash_table_lookup (cache, token)) != NULL)
    {
      esc_service_crypto_wipe (token, strlen (token));
      return esc_service_person_copy (person);
    }

  person = esc_service_db_authenticate (db, token, &error);

  if (person != NULL && cache != NULL)
    g_hash_table_insert (cache, g_strdup (token), esc_service_person_copy (person));

  if (person == NULL)
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNKNOWN_TOKEN))
        {
          set_unauthorized (msg, "invalid_token",
                            "The bearer token is not known to this service.");
        }
      else if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_REVOKED_TOKEN))
        {
          gint64 owner = esc_service_db_find_token_owner (db, token);

          set_unauthorized (msg, "invalid_token", "The bearer token has been revoked.");
          if (owner > 0)
            audit_refused_token (router, db, msg, owner, "revoked token");
        }
      else if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_EXPIRED_TOKEN) ||
               g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DISABLED_PERSON))
        {
          gboolean expired = error->code == ESC_SERVICE_ERROR_EXPIRED_TOKEN;
          gint64 owner = esc_service_db_find_token_owner (db, token);

          set_unauthorized (msg, "invalid_token",
                            expired ? "The bearer token has expired; ask for a new one."
                                    : "The access of this token's owner was removed.");
          if (owner > 0)
            audit_refused_token (router, db, msg, owner, expired ? "expired token" : "person disabled");
        }
      else if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNAVAILABLE))
        {
          /* The token cannot be checked now: try again, as for any
           * request while the database is away */
          g_printerr ("escalade-service: %s\n", error->message);
          esc_service_message_set_unavailable (msg);
        }
      else
        {
          g_printerr ("escalade-service: %s\n", error->message);
          esc_service_message_set_problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error",
                                           "Internal Server Error",
                                           "The service could not answer; its log has the details.", NULL);
        }
    }

  esc_service_crypto_wipe (token, strlen (token));

  return person;
}

/* Context */

static void
context_free (EscServiceContext *ctx)
{
  /* A handler that answered a problem after esc_service_context_begin()
   * (or after a literal BEGIN, outside a batch) leaves its transaction
   * here: what it did is undone. */
  if (ctx->db != NULL)
    {
      if (esc_service_db_in_transaction (ctx->db))
        g_debug ("%s %s left a transaction open; rolled back", ctx->method, ctx->path);
      while (esc_service_db_in_transaction (ctx->db))
        esc_service_db_rollback (ctx->db);
      if (!esc_service_db_batch_is_alive (ctx->db))
        esc_service_db_rollback (ctx->db);
    }

  g_clear_pointer (&ctx->caller, esc_service_person_free);
  g_clear_pointer (&ctx->now, g_date_time_unref);
  g_clear_pointer (&ctx->idempotency_key, g_free);
  g_clear_pointer (&ctx->request_hash, g_free);
  g_clear_pointer ((GStrv *)&ctx->params, g_strfreev);
  g_free (ctx);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceContext, context_free)

/* Refusals are audited, within the per-minute bound. */
void
esc_service_send_forbidden (EscServiceContext *ctx,
                            const char        *detail)
{
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("person:%" G_GINT64_FORMAT, ctx->caller ? ctx->caller->id : 0);

  if (esc_service_db_in_transaction (ctx->db))
    esc_service_db_rollback (ctx->db);

  json_object_set_string_member (details, "method", ctx->method);
  json_object_set_int_member (details, "status", SOUP_STATUS_FORBIDDEN);
  json_object_set_string_member (details, "reason", detail);
  json_node_set_object (node, details);

  if (refusal_audit_allowed (esc_service_server_get_router (ctx->server), key, details) &&
      !esc_service_context_audit (ctx, "authorization.refused", ctx->path, node, &error))
    g_printerr ("escalade-service: audit: %s\n", error->message);

  esc_service_message_set_problem (ctx->msg, SOUP_STATUS_FORBIDDEN, "forbidden", "Forbidden", detail, NULL);
}

/* Dispatch */

/* Runs @route for @msg: authentication, roles, body size, idempotency, then
 * the handler. */
static void
run_route (EscServiceServer      *server,
           EscServiceDb          *db,
           SoupServerMessage     *msg,
           const EscServiceRoute *route,
           GStrv                  params,
           const char            *path,
           GHashTable            *query,
           GHashTable            *callers)
{
  g_autoptr(EscServiceContext) ctx = NULL;
  const char *method = soup_server_message_get_method (msg);
  BodyState *state;

  if (strcmp (method, SOUP_METHOD_HEAD) == 0)
    method = SOUP_METHOD_GET;

  ctx = g_new0 (EscServiceContext, 1);
  ctx->server = server;
  ctx->db = db;
  ctx->msg = msg;
  ctx->method = method;
  ctx->path = path;
  ctx->query = query;
  ctx->params = (const char * const *)g_strdupv (params);
  ctx->remote_address = soup_server_message_get_remote_host (msg);

  state = g_object_get_data (G_OBJECT (msg), body_state_key);
  g_assert (state != NULL);
  ctx->body = state->data;
  ctx->body_too_large = state->too_large;

  /* No caller, no roles, no body: only GET /v1/health */
  if (route->flags & ESC_SERVICE_ROUTE_PUBLIC)
    {
      ctx->now = esc_service_db_dup_now (db);
      route->handler (ctx);
      return;
    }

  if (!(ctx->caller = authenticate (esc_service_server_get_router (server), db, msg, callers)))
    return;

  ctx->caller_roles = esc_service_roles_from_strv ((const char * const *)ctx->caller->roles);
  ctx->now = esc_service_db_dup_now (db);

  if (route->roles != ESC_SERVICE_ROLES_ANY && (ctx->caller_roles & route->roles) == 0)
    {
      g_autofree char *needed = roles_to_text (route->roles);
      g_autofree char *detail = g_strdup_printf ("%s %s needs one of these roles: %s.",
                                                 method, route->pattern, needed);

      esc_service_send_forbidden (ctx, detail);
      return;
    }

  if (ctx->body_too_large)
    {
      esc_service_message_set_payload_too_large (msg);
      return;
    }

  if (strcmp (method, SOUP_METHOD_POST) == 0 &&
      esc_service_context_replay_idempotent (ctx, !(route->flags & ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST)))
    return;

  route->handler (ctx);

  if (soup_server_message_get_status (msg) == 0)
    {
      g_autoptr(GError) error = g_error_new (ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                                             "the handler did not answer");

      esc_service_send_internal_error (ctx, error);
    }
}

static void
answer_batch_failed (SoupServerMessage *msg,
                     const GError      *error)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* Whatever the handler answered did not become durable. */
  soup_message_headers_remove (headers, "Location");
  soup_message_headers_remove (headers, "Idempotent-Replayed");
  if (esc_service_storage_error_is_unavailable (error))
    {
      /* The database went away (a PostgreSQL restart): nothing of the batch
       * was written, or, lost during COMMIT, the same request with the same
       * Idempotency-Key finds out which */
      esc_service_message_set_unavailable (msg);
      return;
    }
  esc_service_message_set_problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error",
                                   "Internal Server Error",
                                   "The service could not answer; its log has the details.", NULL);
}

static gboolean flush_cb (gpointer user_data);

/* At default priority, as an idle source: whatever else has arrived in
 * this main loop iteration is read first and joins the batch, but a steady
 * stream of other work (reads, refusals) cannot starve the writes. */
static void
schedule_flush (EscServiceRouter *router)
{
  if (router->flush_id != 0 || router->flush_held)
    return;

  router->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, router, NULL);
}

void
esc_service_router_set_flush_held (EscServiceRouter *router,
                                   gboolean          held)
{
  router->flush_held = held;
  if (held)
    g_clear_handle_id (&router->flush_id, g_source_remove);
  else if (!g_queue_is_empty (&router->pending))
    schedule_flush (router);
}

/* Tests: the write requests waiting for the next group commit */
guint
esc_service_router_count_queued (EscServiceRouter *router)
{
  return g_queue_get_length (&router->pending);
}

void
esc_service_router_set_max_queued (EscServiceRouter *router,
                                   guint             max)
{
  router->max_queued = MAX (max, 1);
}

/* Runs up to BATCH_MAX waiting requests in one transaction, commits it, and
 * only then lets their answers go. */
static gboolean
flush_cb (gpointer user_data)
{
  EscServiceRouter *router = user_data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify)pending_free);
  g_autoptr(GError) error = NULL;
  EscServiceDb *db;
  Pending *pending;
  gboolean ok;

  router->flush_id = 0;

  while (batch->len < BATCH_MAX && (pending = g_queue_pop_head (&router->pending)) != NULL)
    g_ptr_array_add (batch, pending);
  if (batch->len == 0)
    return G_SOURCE_REMOVE;

  pending = g_ptr_array_index (batch, 0);
  db = pending->db;
  g_debug ("Group commit of %u requests", batch->len);

  if ((ok = esc_service_db_batch_begin (db, &error)))
    {
      router->batch_callers = g_hash_table_new_full (g_str_hash, g_str_equal, token_free,
                                                     (GDestroyNotify)esc_service_person_free);
      for (guint i = 0; i < batch->len; i++)
        {
          pending = g_ptr_array_index (batch, i);
          run_route (pending->server, pending->db, pending->msg, pending->route,
                     pending->params, pending->path, pending->query, router->batch_callers);
        }
      g_clear_pointer (&router->batch_callers, g_hash_table_unref);

      ok = esc_service_db_batch_commit (db, &error);
    }

  if (!ok)
    g_printerr ("escalade-service: a batch of %u requests failed: %s\n", batch->len, error->message);

  for (guint i = 0; i < batch->len; i++)
    {
      pending = g_ptr_array_index (batch, i);
      if (!ok)
        answer_batch_failed (pending->msg, error);
      soup_server_message_unpause (pending->msg);
    }

  if (!g_queue_is_empty (&router->pending))
    schedule_flush (router);

  return G_SOURCE_REMOVE;
}

/* The route for @msg, or %NULL after answering 404 or 405. */
static const EscServiceRoute *
match_route (EscServiceRouter  *router,
             SoupServerMessage *msg,
             const char        *path,
             GStrv             *out_params)
{
  g_autoptr(GString) allowed = g_string_new (NULL);
  const char *method = soup_server_message_get_method (msg);
  gboolean head = FALSE;

  /* HEAD is answered like GET; libsoup leaves the body out. */
  if (strcmp (method, SOUP_METHOD_HEAD) == 0)
    {
      method = SOUP_METHOD_GET;
      head = TRUE;
    }

  for (guint i = 0; i < router->routes->len; i++)
    {
      const EscServiceRoute *candidate = &g_array_index (router->routes, EscServiceRoute, i);
      g_auto(GStrv) route_params = NULL;

      if (!match_pattern (candidate->pattern, path, &route_params))
        continue;

      if (strcmp (candidate->method, method) == 0 &&
          !(head && (candidate->flags & ESC_SERVICE_ROUTE_NO_HEAD)))
        {
          if (out_params != NULL)
            *out_params = g_steal_pointer (&route_params);
          return candidate;
        }

      if (allowed->len > 0)
        g_string_append (allowed, ", ");
      g_string_append (allowed, candidate->method);
      if (strcmp (candidate->method, SOUP_METHOD_GET) == 0 &&
          !(candidate->flags & ESC_SERVICE_ROUTE_NO_HEAD))
        g_string_append (allowed, ", HEAD");
    }

  if (allowed->len == 0)
    {
      g_autofree char *detail = g_strdup_printf ("There is no resource at %s.", path);

      esc_service_message_set_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found", detail, NULL);
      return NULL;
    }

  {
    g_autofree char *detail =
      g_strdup_printf ("%s does not accept %s; it accepts %s.",
                       path, soup_server_message_get_method (msg), allowed->str);

    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Allow", allowed->str);
    esc_service_message_set_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                     "Method Not Allowed", detail, NULL);
  }

  return NULL;
}

/* Called by the server for every request, once its body is read. */
void
esc_service_router_dispatch (EscServiceRouter  *router,
                             EscServiceServer  *server,
                             EscServiceDb      *db,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query)
{
  g_auto(GStrv) params = NULL;
  const EscServiceRoute *route;

  if (!(route = match_route (router, msg, path, &params)))
    return;

  if ((route->flags & ESC_SERVICE_ROUTE_GROUP_COMMIT) &&
      g_queue_get_length (&router->pending) >= router->max_queued)
    {
      /* The disk is not keeping up: refuse rather than queue without end.
       * Nothing was done, so the client may send the same request again. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", QUEUE_FULL_RETRY_SECONDS);
      esc_service_message_set_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "service-busy", "Service Busy",
                                       "Too many changes are waiting to be written; send this one again in a "
                                       "second.", NULL);
      return;
    }

  if (route->flags & ESC_SERVICE_ROUTE_GROUP_COMMIT)
    {
      Pending *pending = g_new0 (Pending, 1);

      pending->server = server;
      pending->db = g_object_ref (db);
      pending->msg = g_object_ref (msg);
      pending->route = route;
      pending->params = g_steal_pointer (&params);
      pending->path = g_strdup (path);
      pending->query = query ? g_hash_table_ref (query) : NULL;

      soup_server_message_pause (msg);
      g_queue_push_tail (&router->pending, pending);

      schedule_flush (router);
      return;
    }

  run_route (server, db, msg, route, params, path, query, NULL);
}
