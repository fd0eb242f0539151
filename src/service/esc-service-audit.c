/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-service-private.h"

/* The audit log: append-only, each event chained to the previous one by
 * SHA-256 over the previous hash and the event's own fields (id included),
 * and the newest id and hash kept apart in audit_head. Editing a row breaks
 * its hash; deleting one leaves a gap in the ids (or, for the newest, a head
 * that points past the end); inserting one breaks the chain or the head.
 * Someone able to rewrite the whole chain and the head could still forge it:
 * `audit verify` prints the head hash so it can be recorded elsewhere. */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX 500

/* Each field as "length:bytes" (or "-" for none), then a newline, so no two
 * different events hash the same text. */
static void
hash_field (GString    *text,
            const char *value)
{
  if (value == NULL)
    {
      g_string_append_len (text, "-\n", 2);
    }
  else
    {
      gsize len = strlen (value);
      char digits[24];
      guint n = 0;

      /* The length in decimal, without printf (this runs for every field
       * of every event). */
      do
        {
          digits[n++] = (char)('0' + len % 10);
          len /= 10;
        }
      while (len > 0);
      while (n > 0)
        g_string_append_c (text, digits[--n]);

      g_string_append_c (text, ':');
      g_string_append (text, value);
      g_string_append_c (text, '\n');
    }
}

static char *
compute_hash (const char *prev_hash,
              gint64      id,
              const char *at,
              gint64      actor_id,
              const char *actor_name,
              const char *actor_roles,
              const char *action,
              const char *target,
              const char *remote_address,
              const char *details)
{
  g_autoptr(GString) text = g_string_sized_new (256 + (details ? strlen (details) : 0));
  char number[32];

  /* The text hashed, built whole, then hashed at once. */
  hash_field (text, "escalade-audit-v1");
  hash_field (text, prev_hash);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  hash_field (text, number);
  hash_field (text, at);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, actor_id);
  hash_field (text, actor_id > 0 ? number : NULL);
  hash_field (text, actor_name);
  hash_field (text, actor_roles);
  hash_field (text, action);
  hash_field (text, target);
  hash_field (text, remote_address);
  hash_field (text, details);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)text->str, text->len);
}

static gboolean
append_locked (EscServiceDb               *db,
               const EscServiceAuditEvent *event,
               GError                    **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *at = NULL;
  g_autofree char *details = NULL;
  g_autofree char *prev_hash = NULL;
  g_autofree char *hash = NULL;
  gint64 id;

  if (event->at != NULL)
    at = esc_service_format_timestamp (event->at);
  else
    {
      now = esc_service_db_dup_now (db);
      at = esc_service_format_timestamp (now);
    }

  if (event->details != NULL)
    details = json_to_string (event->details, FALSE);

  if (!(stmt = esc_service_db_prepare_cached (db, "SELECT last_id, hash FROM audit_head WHERE one = 1",
                                              error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return esc_service_db_set_error (db, error);
  id = sqlite3_column_int64 (stmt, 0) + 1;
  prev_hash = g_strdup (esc_service_sqlite_column_text (stmt, 1));
  g_clear_pointer (&stmt, esc_service_stmt_release);

  hash = compute_hash (prev_hash, id, at, event->actor_id, event->actor_name,
                       event->actor_roles, event->action, event->target,
                       event->remote_address, details);

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "INSERT INTO audit_events"
                                              " (id, at, actor_id, actor_name, actor_roles, action, target,"
                                              "  remote_address, details, prev_hash, hash)"
                                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                              error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, at, -1, SQLITE_TRANSIENT);
  if (event->actor_id > 0)
    sqlite3_bind_int64 (stmt, 3, event->actor_id);
  else
    sqlite3_bind_null (stmt, 3);
  esc_service_sqlite_bind_text (stmt, 4, event->actor_name);
  esc_service_sqlite_bind_text (stmt, 5, event->actor_roles);
  esc_service_sqlite_bind_text (stmt, 6, event->action);
  esc_service_sqlite_bind_text (stmt, 7, event->target);
  esc_service_sqlite_bind_text (stmt, 8, event->remote_address);
  esc_service_sqlite_bind_text (stmt, 9, details);
  sqlite3_bind_text (stmt, 10, prev_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, hash, -1, SQLITE_TRANSIENT);
  if (!esc_service_db_step_done (db, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, esc_service_stmt_release);

  if (!(stmt = esc_service_db_prepare_cached (db, "UPDATE audit_head SET last_id = ?1, hash = ?2 WHERE one = 1",
                                              error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);

  return esc_service_db_step_done (db, stmt, error);
}

/**
 * esc_service_db_audit_append:
 * @db: a #EscServiceDb
 * @event: the event
 * @error: return location for a #GError
 *
 * Appends @event to the chain: inside the caller's write transaction if one
 * is open (so the event commits or rolls back with the change), else in a
 * transaction of its own.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_db_audit_append (EscServiceDb               *db,
                             const EscServiceAuditEvent *event,
                             GError                    **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (event != NULL && event->action != NULL, FALSE);

  if (esc_service_db_in_transaction (db))
    return append_locked (db, event, error);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!append_locked (db, event, error) || !esc_service_db_commit (db, error))
    {
      esc_service_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/**
 * esc_service_context_audit:
 * @ctx: the request
 * @action: what happened, e.g. "support-request.created"
 * @target: (nullable): the resource, e.g. "/v1/support-requests/SR-000001"
 * @details: (nullable): a JSON object with the particulars
 * @error: return location for a #GError
 *
 * Appends an event by the caller, with their roles, from their address, at
 * the request's time.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_context_audit (EscServiceContext  *ctx,
                           const char         *action,
                           const char         *target,
                           JsonNode           *details,
                           GError            **error)
{
  g_autofree char *roles = NULL;
  EscServiceAuditEvent event = { 0, };

  if (ctx->caller != NULL)
    {
      roles = g_strjoinv (",", ctx->caller->roles);
      event.actor_id = ctx->caller->id;
      event.actor_name = ctx->caller->name;
      event.actor_roles = roles;
    }
  event.action = action;
  event.target = target;
  event.remote_address = ctx->remote_address;
  event.details = details;
  event.at = ctx->now;

  return esc_service_db_audit_append (ctx->db, &event, error);
}

/**
 * esc_service_db_audit_verify:
 * @db: a #EscServiceDb
 * @out_count: (out) (optional): the number of events checked
 * @out_head: (out) (optional) (transfer full): the newest hash
 * @out_bad_id: (out) (optional): the first event at fault
 * @out_reason: (out) (optional) (transfer full): why
 * @error: return location for a #GError, set only if the database fails
 *
 * Recomputes the whole chain.
 *
 * Returns: %TRUE if intact; %FALSE with @out_bad_id and @out_reason if not,
 *   or with @error
 */
gboolean
esc_service_db_audit_verify (EscServiceDb  *db,
                             gint64        *out_count,
                             char         **out_head,
                             gint64        *out_bad_id,
                             char         **out_reason,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *prev_hash = g_strdup (GENESIS_HASH);
  g_autofree char *reason = NULL;
  g_autofree char *head_hash = NULL;
  gint64 expected_id = 1;
  gint64 bad_id = 0;
  gint64 count = 0;
  gint64 head_id;
  int rc;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  /* One read transaction: a consistent snapshot while the service writes. */
  if (!esc_service_db_begin_read (db, error))
    return FALSE;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT id, at, actor_id, actor_name, actor_roles, action,"
                                       " target, remote_address, details, prev_hash, hash"
                                       " FROM audit_events ORDER BY id",
                                       error)))
    goto failed;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *stored_prev = esc_service_sqlite_column_text (stmt, 9);
      const char *stored_hash = esc_service_sqlite_column_text (stmt, 10);
      g_autofree char *hash = NULL;

      if (id != expected_id)
        {
          g_autofree char *first_text = g_strdup_printf ("%" G_GINT64_FORMAT, expected_id);
          g_autofree char *last_text = g_strdup_printf ("%" G_GINT64_FORMAT, id - 1);

          bad_id = id;
          if (id == expected_id + 1)
            {
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: "; %s is the number of the missing event */
              reason = g_strdup_printf (_("event %s is missing (deleted) before this one"),
                                        first_text);
            }
          else if (id > expected_id)
            {
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: "; the missing events are the range "%s to %s" */
              reason = g_strdup_printf (_("events %s to %s are missing (deleted) before this one"),
                                        first_text, last_text);
            }
          else
            {
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: " */
              reason = g_strdup (_("the id is out of sequence (inserted)"));
            }
          break;
        }

      if (g_strcmp0 (stored_prev, prev_hash) != 0)
        {
          bad_id = id;
          /* Translators: why `audit verify` finds an event at fault, after
           * "TAMPERED: event 12: " */
          reason = g_strdup (_("its link to the previous event is broken (an event was inserted, "
                               "deleted or edited before it)"));
          break;
        }

      hash = compute_hash (prev_hash, id,
                           esc_service_sqlite_column_text (stmt, 1),
                           sqlite3_column_int64 (stmt, 2),
                           esc_service_sqlite_column_text (stmt, 3),
                           esc_service_sqlite_column_text (stmt, 4),
                           esc_service_sqlite_column_text (stmt, 5),
                           esc_service_sqlite_column_text (stmt, 6),
                           esc_service_sqlite_column_text (stmt, 7),
                           esc_service_sqlite_column_text (stmt, 8));
      if (g_strcmp0 (hash, stored_hash) != 0)
        {
          bad_id = id;
          /* Translators: why `audit verify` finds an event at fault, after
           * "TAMPERED: event 12: " */
          reason = g_strdup (_("its contents do not match its hash (edited, or forged and inserted)"));
          break;
        }

      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      expected_id++;
      count++;
    }

  if (reason == NULL && rc != SQLITE_DONE)
    {
      esc_service_db_set_error (db, error);
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (reason == NULL)
    {
      if (!(stmt = esc_service_db_prepare (db, "SELECT last_id, hash FROM audit_head WHERE one = 1",
                                           error)))
        goto failed;
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          bad_id = expected_id;
          /* Translators: why `audit verify` finds the log at fault, after
           * "TAMPERED: event 12: "; the head is the newest id and hash, kept apart */
          reason = g_strdup (_("the head of the chain is missing"));
        }
      else
        {
          head_id = sqlite3_column_int64 (stmt, 0);
          head_hash = g_strdup (esc_service_sqlite_column_text (stmt, 1));

          if (head_id > count)
            {
              g_autofree char *first_text = g_strdup_printf ("%" G_GINT64_FORMAT, count + 1);
              g_autofree char *last_text = g_strdup_printf ("%" G_GINT64_FORMAT, head_id);

              bad_id = count + 1;
              if (head_id == count + 1)
                {
                  /* Translators: why `audit verify` finds the log at fault, after
                   * "TAMPERED: event 12: "; %s is the number of the missing event */
                  reason = g_strdup_printf (_("the newest event (%s) is missing (deleted)"),
                                            first_text);
                }
              else
                {
                  /* Translators: why `audit verify` finds the log at fault, after
                   * "TAMPERED: event 12: "; the missing events are the range "%s to %s" */
                  reason = g_strdup_printf (_("the newest events (%s to %s) are missing (deleted)"),
                                            first_text, last_text);
                }
            }
          else if (head_id < count)
            {
              bad_id = head_id + 1;
              /* Translators: why `audit verify` finds the log at fault, after
               * "TAMPERED: event 12: "; the head is the newest id and hash, kept apart */
              reason = g_strdup (_("events were added after the head of the chain (inserted)"));
            }
          else if (g_strcmp0 (head_hash, prev_hash) != 0)
            {
              bad_id = count;
              /* Translators: why `audit verify` finds the log at fault, after
               * "TAMPERED: event 12: "; the head is the newest id and hash, kept apart */
              reason = g_strdup (_("the newest event does not match the head of the chain (edited)"));
            }
        }
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  esc_service_db_end_read (db);

  if (out_count != NULL)
    *out_count = count;
  if (out_head != NULL)
    *out_head = g_strdup (prev_hash);
  if (out_bad_id != NULL)
    *out_bad_id = bad_id;
  if (out_reason != NULL)
    *out_reason = g_steal_pointer (&reason);

  return reason == NULL && bad_id == 0;

failed:
  g_clear_pointer (&stmt, sqlite3_finalize);
  esc_service_db_end_read (db);
  return FALSE;
}

/* GET /v1/audit?after=ID&limit=N */

static JsonNode *
event_to_json (sqlite3_stmt *stmt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *details = esc_service_sqlite_column_text (stmt, 8);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, esc_service_sqlite_column_text (stmt, 1));
  json_builder_set_member_name (builder, "actor");
  if (sqlite3_column_type (stmt, 2) == SQLITE_NULL)
    json_builder_add_null_value (builder);
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 2));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, esc_service_sqlite_column_text (stmt, 3));
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "actor_roles");
  json_builder_begin_array (builder);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    {
      g_auto(GStrv) roles = g_strsplit (esc_service_sqlite_column_text (stmt, 4), ",", -1);

      for (guint i = 0; roles[i] != NULL; i++)
        {
          if (roles[i][0] != '\0')
            json_builder_add_string_value (builder, roles[i]);
        }
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, esc_service_sqlite_column_text (stmt, 5));
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, esc_service_sqlite_column_text (stmt, 6));
  json_builder_set_member_name (builder, "remote_address");
  json_builder_add_string_value (builder, esc_service_sqlite_column_text (stmt, 7));
  json_builder_set_member_name (builder, "details");
  if (details != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (details, NULL);

      json_builder_add_value (builder, node ? g_steal_pointer (&node) : json_node_new (JSON_NODE_NULL));
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "hash");
  json_builder_add_string_value (builder, esc_service_sqlite_column_text (stmt, 10));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
parse_query_int (EscServiceContext *ctx,
                 const char        *name,
                 gint64             min,
                 gint64             max,
                 gint64            *value)
{
  const char *text = esc_service_context_get_query (ctx, name);
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_signed (text, 10, min, max, value, &error))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                "Invalid Query Parameter",
                                "“%s” must be an integer from %" G_GINT64_FORMAT " to %"
                                G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }

  return TRUE;
}

static void
handle_list_audit (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) page = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  gint64 after = 0;
  gint64 limit = AUDIT_PAGE_DEFAULT;
  gint64 last_id = 0;
  guint n = 0;
  gboolean more = FALSE;
  int rc;

  if (!parse_query_int (ctx, "after", 0, G_MAXINT64, &after) ||
      !parse_query_int (ctx, "limit", 1, AUDIT_PAGE_MAX, &limit))
    return;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "SELECT id, at, actor_id, actor_name, actor_roles, action,"
                                              " target, remote_address, details, prev_hash, hash"
                                              " FROM audit_events WHERE id > ?1 ORDER BY id LIMIT ?2",
                                              &error)))
    return esc_service_send_internal_error (ctx, error);
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, limit + 1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      json_array_add_element (items, event_to_json (stmt));
      last_id = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      return esc_service_send_internal_error (ctx, error);
    }

  json_object_set_array_member (page, "items", g_steal_pointer (&items));
  if (more)
    json_object_set_int_member (page, "next_after", last_id);
  else
    json_object_set_null_member (page, "next_after");
  json_node_set_object (root, page);

  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

void
esc_service_audit_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", "/v1/audit", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_list_audit);
}
