/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-admin-hours.h"
#include "esc-core-error.h"
#include "esc-service-requests-private.h"

/* Support requests: filing (admin requests by IT administrators, escalations
 * — severity C only — by designated staff), listing for incremental sync,
 * editing while open, comments, reactivation within 24 hours of resolution,
 * the operations team's state changes, and the 48-hour rule that mitigates
 * and closes a request whose filer does not answer a request for action.
 * Every change adds a timeline event and an audit event. The numbers (the
 * severity table, 24 and 48 hours) are settings. */

#define PAGE_DEFAULT 100
#define PAGE_MAX 500
#define COMMENT_MAX ESC_SUPPORT_REQUEST_TEXT_MAX

/* Who the caller is to a request. */
typedef enum
{
  ACCESS_NONE,      /* may not see it: 404 */
  ACCESS_OPERATOR,  /* the operations team: sees all, changes state, comments */
  ACCESS_CUSTOMER,  /* the filer or an IT administrator: edits, comments, reactivates */
} Access;

/* Runs the timed rules before a request is read, so answers never show a
 * request the rules would already have changed. The requests of one group
 * commit on PostgreSQL share them: run for the first, they stand for the
 * others of its transaction, milliseconds later. */
static gboolean
apply_rules (EscServiceContext *ctx)
{
  g_autoptr(GError) error = NULL;

  if (!esc_service_db_txn_once (ctx->db, "support-request-rules"))
    return TRUE;

  if (!esc_service_request_close_unresponsive (ctx->db, ctx->now, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return FALSE;
    }

  return TRUE;
}

static Access
access_to (EscServiceContext    *ctx,
           EscServiceRequestRow *row)
{
  if (esc_support_request_get_filer_id (row->request) == ctx->caller->id ||
      esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN))
    return ACCESS_CUSTOMER;

  if (esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_OPERATOR))
    return ACCESS_OPERATOR;

  return ACCESS_NONE;
}

/* Loads the request of the path for the caller, or answers 404 (also when
 * the caller may not see it, so that ids reveal nothing) or 500. */
static EscServiceRequestRow *
load_for_caller (EscServiceContext *ctx,
                 gboolean           with_timeline,
                 Access            *out_access)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceRequestRow) row = NULL;
  gint64 seq = esc_service_request_parse_id (ctx->params[0]);

  if (seq == 0)
    {
      esc_service_send_not_found (ctx);
      return NULL;
    }

  if (!(row = esc_service_request_row_load (ctx->db, seq, with_timeline, &error)))
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND))
        esc_service_send_not_found (ctx);
      else
        esc_service_send_internal_error (ctx, error);
      return NULL;
    }

  *out_access = access_to (ctx, row);
  if (*out_access == ACCESS_NONE)
    {
      esc_service_send_not_found (ctx);
      return NULL;
    }

  return g_steal_pointer (&row);
}

static JsonNode *
row_to_json (EscServiceRequestRow *row)
{
  return esc_support_request_to_json (row->request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
}

/* Reloads the row with its timeline (inside the transaction) and commits
 * with it as the answer. */
static void
commit_with_row (EscServiceContext *ctx,
                 gint64             seq,
                 guint              status,
                 const char        *location)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceRequestRow) row = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!(row = esc_service_request_row_load (ctx->db, seq, TRUE, &error)))
    return esc_service_send_internal_error (ctx, error);

  node = row_to_json (row);
  esc_service_context_commit_json (ctx, status, node, location);
}

static void
send_core_error (EscServiceContext *ctx,
                 EscSupportRequest *request,
                 const char        *field,
                 const GError      *error)
{
  const char *type = "invalid-field";
  const char *title = "Invalid Field";

  if (g_strcmp0 (field, "/severity") == 0 && request != NULL &&
      esc_support_request_get_kind (request) == ESC_SUPPORT_REQUEST_KIND_ESCALATION &&
      esc_support_request_get_severity (request) != ESC_SUPPORT_SEVERITY_C)
    {
      type = "escalation-severity";
      title = "Escalations are severity C only";
    }
  else if (g_strcmp0 (field, "/severity") == 0)
    {
      type = "change-request-severity";
      title = "Change requests are severity C only";
    }
  else if (g_strcmp0 (field, "/engagement") == 0)
    {
      type = "engagement";
      title = "Engagement is for severity B only";
    }

  esc_service_send_invalid_field (ctx, field ? field : "", type, title, error->message);
}

/* POST /v1/support-requests */

static void
handle_create (EscServiceContext *ctx)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) body_node = NULL;
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *field = NULL;
  g_autofree char *now = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *devices = NULL;
  g_autofree char *noticed = NULL;
  g_autofree char *id = NULL;
  g_autofree char *location = NULL;
  EscSupportRequestKind kind;
  EscServiceRequestEvent created = { 0, };
  gint64 seq;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  /* The key's claim comes first (ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST): a
   * repeat is replayed from it whatever the rules say now, and a refusal
   * below leaves the transaction to be rolled back, the claim with it. */
  if (!esc_service_context_begin (ctx))
    return;

  body_node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (body_node, body);

  request = esc_support_request_new_from_json (body_node, ESC_SUPPORT_REQUEST_JSON_CREATE, &field, &error);
  if (request == NULL)
    return send_core_error (ctx, NULL, field, error);

  /* Who may file what: a 403, before the request's own rules (422). */
  kind = esc_support_request_get_kind (request);
  if (kind == ESC_SUPPORT_REQUEST_KIND_ADMIN &&
      !esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN))
    return esc_service_send_forbidden (ctx, "Only an IT administrator can file an admin support "
                                            "request (kind “admin”).");
  if (kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION &&
      !esc_service_context_has_designation (ctx, "escalation"))
    return esc_service_send_forbidden (ctx, "Filing an escalation needs a live escalation "
                                            "designation; ask an IT administrator.");

  if (!esc_support_request_validate (request, ESC_SUPPORT_FILER_ANY, &field, &error) ||
      !esc_support_request_check_times (request, ctx->now, &field, &error))
    return send_core_error (ctx, request, field, error);

  if (!apply_rules (ctx))
    return;

  now = esc_service_context_dup_now_string (ctx);
  due = esc_service_request_compute_response_due (ctx->db, ctx->now, esc_support_request_get_severity (request),
                                                  esc_support_request_get_engagement (request));
  due_text = esc_service_format_timestamp (due);
  contact = esc_service_request_contact_to_json_text (esc_support_request_get_contact (request));
  devices = esc_service_request_strv_to_json_text (esc_support_request_get_devices (request));
  if (esc_support_request_get_first_noticed_at (request) != NULL)
    noticed = esc_service_format_timestamp (esc_support_request_get_first_noticed_at (request));

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "INSERT INTO support_requests"
                                              " (kind, type, severity, engagement, category, subcategory, title,"
                                              "  description, contact, users_or_devices_impacted, business_impact,"
                                              "  first_noticed_at, reproduced_on_unmanaged_device,"
                                              "  end_user_support_engaged, troubleshooting_steps,"
                                              "  steps_to_reproduce, devices, related_ticket, state, filer_id,"
                                              "  created_at, updated_at, response_due_at)"
                                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                                              "  ?14, ?15, ?16, ?17, ?18, 'new', ?19, ?20, ?20, ?21) RETURNING seq",
                                              &error)))
    return esc_service_send_internal_error (ctx, error);

  esc_service_stmt_bind_text (stmt, 1, esc_support_request_kind_to_string (kind));
  esc_service_stmt_bind_text (stmt, 2, esc_support_request_type_to_string (esc_support_request_get_request_type (request)));
  esc_service_stmt_bind_text (stmt, 3, esc_support_severity_to_string (esc_support_request_get_severity (request)));
  esc_service_stmt_bind_text (stmt, 4, esc_support_engagement_to_string (esc_support_request_get_engagement (request)));
  esc_service_stmt_bind_text (stmt, 5, esc_support_request_get_category (request));
  esc_service_stmt_bind_text (stmt, 6, esc_support_request_get_subcategory (request));
  esc_service_stmt_bind_text (stmt, 7, esc_support_request_get_title (request));
  esc_service_stmt_bind_text (stmt, 8, esc_support_request_get_description (request));
  esc_service_stmt_bind_text (stmt, 9, contact);
  if (esc_support_request_get_users_or_devices_impacted (request) >= 0)
    esc_service_stmt_bind_int64 (stmt, 10, esc_support_request_get_users_or_devices_impacted (request));
  else
    esc_service_stmt_bind_null (stmt, 10);
  esc_service_stmt_bind_text (stmt, 11, esc_support_request_get_business_impact (request));
  esc_service_stmt_bind_text (stmt, 12, noticed);
  if (esc_support_request_get_reproduced_on_unmanaged_device (request) != ESC_TRISTATE_UNKNOWN)
    esc_service_stmt_bind_int64 (stmt, 13, esc_support_request_get_reproduced_on_unmanaged_device (request) == ESC_TRISTATE_YES);
  else
    esc_service_stmt_bind_null (stmt, 13);
  if (esc_support_request_get_end_user_support_engaged (request) != ESC_TRISTATE_UNKNOWN)
    esc_service_stmt_bind_int64 (stmt, 14, esc_support_request_get_end_user_support_engaged (request) == ESC_TRISTATE_YES);
  else
    esc_service_stmt_bind_null (stmt, 14);
  esc_service_stmt_bind_text (stmt, 15, esc_support_request_get_troubleshooting_steps (request));
  esc_service_stmt_bind_text (stmt, 16, esc_support_request_get_steps_to_reproduce (request));
  esc_service_stmt_bind_text (stmt, 17, devices);
  esc_service_stmt_bind_text (stmt, 18, esc_support_request_get_related_ticket (request));
  esc_service_stmt_bind_int64 (stmt, 19, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 20, now);
  esc_service_stmt_bind_text (stmt, 21, due_text);

  if (!(seq = esc_service_db_step_returning_id (ctx->db, stmt, &error)))
    return esc_service_send_internal_error (ctx, error);

  created.kind = "created";
  created.actor_id = ctx->caller->id;
  created.to_state = "new";
  created.to_severity = esc_support_severity_to_string (esc_support_request_get_severity (request));
  created.at = ctx->now;
  location = esc_service_request_location (seq);
  details = esc_service_request_audit_details (seq,
                                               "kind", esc_support_request_kind_to_string (kind),
                                               "type", esc_support_request_type_to_string (esc_support_request_get_request_type (request)),
                                               "severity", created.to_severity,
                                               NULL);

  if (!esc_service_request_record_event (ctx->db, seq, &created, &error) ||
      !esc_service_context_audit (ctx, "support-request.created", location, details, &error))
    return esc_service_send_internal_error (ctx, error);

  /* The answer is the request as filed, without another read. */
  id = esc_service_request_format_id (seq);
  esc_support_request_set_id (request, id);
  esc_support_request_set_state (request, ESC_SUPPORT_REQUEST_STATE_NEW);
  esc_support_request_set_filer (request, ctx->caller->id, ctx->caller->name);
  esc_support_request_set_created_at (request, ctx->now);
  esc_support_request_set_updated_at (request, ctx->now);
  esc_support_request_set_response_due_at (request, due);
  answer = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);

  esc_service_context_commit_json (ctx, SOUP_STATUS_CREATED, answer, location);
}

/* GET /v1/support-requests */

/* Every value of a repeated query parameter ("state=new&state=closed"). */
static GStrv
query_values (EscServiceContext *ctx,
              const char        *name)
{
  GUri *uri = soup_server_message_get_uri (ctx->msg);
  const char *query = uri ? g_uri_get_query (uri) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return g_strv_builder_end (builder);

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (pairs[i], "=", 2);
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (parts[0] == NULL || parts[1] == NULL)
        continue;
      g_strdelimit (parts[0], "+", ' ');
      g_strdelimit (parts[1], "+", ' ');
      key = g_uri_unescape_string (parts[0], NULL);
      value = g_uri_unescape_string (parts[1], NULL);
      if (key != NULL && value != NULL && strcmp (key, name) == 0)
        g_strv_builder_add (builder, value);
    }

  return g_strv_builder_end (builder);
}

static gboolean
check_query_names (EscServiceContext  *ctx,
                   const char * const *allowed)
{
  GHashTableIter iter;
  gpointer key;

  if (ctx->query == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, ctx->query);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (!g_strv_contains (allowed, key))
        {
          esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                    "Invalid Query Parameter",
                                    "“%s” is not a parameter of %s.", (const char *)key, ctx->path);
          return FALSE;
        }
    }

  return TRUE;
}

/* The cursor is opaque to clients: base64 of "UPDATED_AT SEQ". */
static char *
make_cursor (EscServiceRequestRow *row)
{
  g_autofree char *updated = esc_service_format_timestamp (esc_support_request_get_updated_at (row->request));
  g_autofree char *text = g_strdup_printf ("%s %" G_GINT64_FORMAT, updated, row->seq);

  return g_base64_encode ((const guchar *)text, strlen (text));
}

static gboolean
parse_cursor (const char  *cursor,
              char       **out_updated,
              gint64      *out_seq)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len;
  guint64 seq;

  if (strlen (cursor) > 200)
    return FALSE;
  for (const char *p = cursor; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
        return FALSE;
    }

  decoded = g_base64_decode (cursor, &len);
  text = g_strndup ((const char *)decoded, len);
  parts = g_strsplit (text, " ", -1);
  if (g_strv_length (parts) != 2 ||
      !(time = esc_time_parse (parts[0])) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXINT64, &seq, NULL))
    return FALSE;

  *out_updated = esc_service_format_timestamp (time);
  *out_seq = (gint64)seq;
  return TRUE;
}

static void
handle_list (EscServiceContext *ctx)
{
  static const char * const parameters[] = { "updated_since", "state", "limit", "cursor", NULL };
  g_autoptr(GString) sql = g_string_new ("SELECT " ESC_SERVICE_REQUEST_ROW_COLUMNS " FROM support_requests r"
                                         " JOIN people p ON p.id = r.filer_id WHERE 1 = 1");
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonObject) page = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(EscServiceRequestRow) last = NULL;
  g_auto(GStrv) states = query_values (ctx, "state");
  g_autofree char *since = NULL;
  g_autofree char *cursor_updated = NULL;
  const char *text;
  gboolean sees_all;
  gint64 cursor_seq = 0;
  gint64 limit = PAGE_DEFAULT;
  gint64 n = 0;
  gboolean more = FALSE;
  int index = 1;
  int rc;

  if (!check_query_names (ctx, parameters))
    return;

  if ((text = esc_service_context_get_query (ctx, "updated_since")) != NULL)
    {
      g_autoptr(GDateTime) time = esc_time_parse (text);

      if (time == NULL)
        return esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                         "Invalid Query Parameter",
                                         "“updated_since” must be an RFC 3339 time such as "
                                         "2024-05-01T08:00:00Z.");
      since = esc_service_format_timestamp (time);
    }

  if ((text = esc_service_context_get_query (ctx, "limit")) != NULL &&
      !g_ascii_string_to_signed (text, 10, 1, PAGE_MAX, &limit, NULL))
    return esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                     "Invalid Query Parameter",
                                     "“limit” must be an integer from 1 to %d.", PAGE_MAX);

  if ((text = esc_service_context_get_query (ctx, "cursor")) != NULL &&
      !parse_cursor (text, &cursor_updated, &cursor_seq))
    return esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                     "Invalid Query Parameter",
                                     "“cursor” is not a cursor this service gave.");

  for (guint i = 0; states[i] != NULL; i++)
    {
      EscSupportRequestState state;

      if (!esc_support_request_state_from_string (states[i], &state))
        return esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                         "Invalid Query Parameter",
                                         "“%s” is not a state; the states are new, in-progress, "
                                         "waiting-on-customer, mitigated, resolved and closed.",
                                         states[i]);
    }
  if (g_strv_length (states) > 6)
    return esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                     "Invalid Query Parameter", "Too many “state” values.");

  if (!apply_rules (ctx))
    return;

  /* IT administrators and operators see every request; others their own. */
  sees_all = esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN) ||
             esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_OPERATOR);
  if (!sees_all)
    g_string_append_printf (sql, " AND r.filer_id = ?%d", index++);
  if (since != NULL)
    g_string_append_printf (sql, " AND r.updated_at >= ?%d", index++);
  if (cursor_updated != NULL)
    {
      g_string_append_printf (sql, " AND (r.updated_at, r.seq) > (?%d, ?%d)", index, index + 1);
      index += 2;
    }
  if (states[0] != NULL)
    {
      g_string_append (sql, " AND r.state IN (");
      for (guint i = 0; states[i] != NULL; i++)
        g_string_append_printf (sql, "%s?%d", i > 0 ? ", " : "", index++);
      g_string_append (sql, ")");
    }
  g_string_append_printf (sql, " ORDER BY r.updated_at, r.seq LIMIT ?%d", index);

  if (!(stmt = esc_service_db_prepare (ctx->db, sql->str, &error)))
    return esc_service_send_internal_error (ctx, error);

  index = 1;
  if (!sees_all)
    esc_service_stmt_bind_int64 (stmt, index++, ctx->caller->id);
  if (since != NULL)
    esc_service_stmt_bind_text (stmt, index++, since);
  if (cursor_updated != NULL)
    {
      esc_service_stmt_bind_text (stmt, index++, cursor_updated);
      esc_service_stmt_bind_int64 (stmt, index++, cursor_seq);
    }
  for (guint i = 0; states[i] != NULL; i++)
    esc_service_stmt_bind_text (stmt, index++, states[i]);
  esc_service_stmt_bind_int64 (stmt, index, limit + 1);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      g_autoptr(EscServiceRequestRow) row = NULL;

      if (n == limit)
        {
          more = TRUE;
          break;
        }

      if (!(row = esc_service_request_row_from_statement (ctx->db, stmt, &error)))
        return esc_service_send_internal_error (ctx, error);
      json_array_add_element (items, row_to_json (row));
      g_clear_pointer (&last, esc_service_request_row_free);
      last = g_steal_pointer (&row);
      n++;
    }
  if (rc != ESC_SERVICE_STMT_ROW && rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      return esc_service_send_internal_error (ctx, error);
    }

  json_object_set_array_member (page, "items", g_steal_pointer (&items));
  if (more && last != NULL)
    {
      g_autofree char *cursor = make_cursor (last);

      json_object_set_string_member (page, "next_cursor", cursor);
    }
  else
    json_object_set_null_member (page, "next_cursor");
  json_node_set_object (root, page);

  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

/* GET /v1/support-requests/{id} */

static void
handle_get (EscServiceContext *ctx)
{
  g_autoptr(EscServiceRequestRow) row = NULL;
  g_autoptr(JsonNode) node = NULL;
  Access access;

  if (!apply_rules (ctx))
    return;

  if (!(row = load_for_caller (ctx, TRUE, &access)))
    return;

  node = row_to_json (row);
  esc_service_send_json (ctx, SOUP_STATUS_OK, node);
}

static gboolean
refuse_unless_open (EscServiceContext    *ctx,
                    EscServiceRequestRow *row,
                    const char           *what)
{
  EscSupportRequestState state = esc_support_request_get_state (row->request);
  g_autofree char *resolved = NULL;

  if (state == ESC_SUPPORT_REQUEST_STATE_RESOLVED)
    {
      gint64 hours = esc_service_db_get_setting_int (ctx->db, "support.reactivation-window-hours", 24);

      resolved = esc_service_format_timestamp (esc_support_request_get_resolved_at (row->request));
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "request-resolved", "Request Resolved",
                                "%s was resolved at %s and cannot %s; reactivate it within %"
                                G_GINT64_FORMAT " %s of its resolution.",
                                esc_support_request_get_id (row->request), resolved, what, hours,
                                hours == 1 ? "hour" : "hours");
      return FALSE;
    }

  if (state == ESC_SUPPORT_REQUEST_STATE_CLOSED)
    {
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "request-closed", "Request Closed",
                                "%s is closed and cannot %s; file a new request.",
                                esc_support_request_get_id (row->request), what);
      return FALSE;
    }

  return TRUE;
}

/* PATCH /v1/support-requests/{id} */

static void
handle_patch (EscServiceContext *ctx)
{
  static const char * const members[] = {
    "contact", "severity", "engagement", "notes", "attachments", NULL
  };
  static const char * const severities[] = { "A", "B", "C", NULL };
  static const char * const engagements[] = { "admin-hours", "24x7", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(EscServiceRequestRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_auto(GStrv) attachments = NULL;
  g_autofree char *field = NULL;
  g_autofree char *location = NULL;
  EscSupportRequest *request;
  EscSupportSeverity old_severity;
  EscSupportEngagement old_engagement;
  const char *severity_text;
  const char *engagement_text;
  const char *notes;
  JsonArray *attachment_array;
  Access access;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", members);
  esc_service_check_object (&check, body, "/contact", ESC_SERVICE_FIELD_OPTIONAL);
  severity_text = esc_service_check_enum (&check, body, "/severity", ESC_SERVICE_FIELD_OPTIONAL, severities);
  engagement_text = esc_service_check_enum (&check, body, "/engagement", ESC_SERVICE_FIELD_NULLABLE, engagements);
  notes = esc_service_check_string (&check, body, "/notes", ESC_SERVICE_FIELD_NULLABLE, ESC_SUPPORT_REQUEST_TEXT_MAX);
  attachment_array = esc_service_check_array (&check, body, "/attachments", ESC_SERVICE_FIELD_NULLABLE,
                                              ESC_SUPPORT_REQUEST_ATTACHMENTS_MAX);
  for (guint i = 0; attachment_array != NULL && i < json_array_get_length (attachment_array); i++)
    {
      JsonNode *item = json_array_get_element (attachment_array, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_autofree char *item_field = g_strdup_printf ("/attachments/%u", i);

          esc_service_check_fail (&check, item_field, "“attachments.%u” must be a string.", i);
          break;
        }
    }
  if (esc_service_check_ok (&check) && json_object_get_size (body) == 0)
    esc_service_check_fail (&check, "", "The patch is empty: give at least one of contact, "
                            "severity, engagement, notes or attachments.");
  if (!esc_service_check_ok (&check))
    return esc_service_send_check (ctx, &check);

  if (json_object_has_member (body, "contact") &&
      !(contact = esc_support_contact_new_from_json (json_object_get_member (body, "contact"),
                                                     "/contact", &field, &error)))
    return send_core_error (ctx, NULL, field, error);

  if (!apply_rules (ctx))
    return;

  if (!(row = load_for_caller (ctx, FALSE, &access)))
    return;
  request = row->request;

  if (access != ACCESS_CUSTOMER)
    return esc_service_send_forbidden (ctx, "Only the filer or an IT administrator can edit a "
                                            "support request; the operations team uses "
                                            "POST …/state and comments.");

  if (!refuse_unless_open (ctx, row, "be edited"))
    return;

  old_severity = esc_support_request_get_severity (request);
  old_engagement = esc_support_request_get_engagement (request);

  if (severity_text != NULL)
    {
      EscSupportSeverity severity;

      esc_support_severity_from_string (severity_text, &severity);
      esc_support_request_set_severity (request, severity);
      /* Leaving B drops its engagement unless one is given (and then refused). */
      if (severity != ESC_SUPPORT_SEVERITY_B && !json_object_has_member (body, "engagement"))
        esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_NONE);
    }
  if (json_object_has_member (body, "engagement"))
    {
      EscSupportEngagement engagement = ESC_SUPPORT_ENGAGEMENT_NONE;

      if (engagement_text != NULL)
        esc_support_engagement_from_string (engagement_text, &engagement);
      esc_support_request_set_engagement (request, engagement);
    }
  if (contact != NULL && !esc_support_contact_equal (contact, esc_support_request_get_contact (request)))
    {
      esc_support_request_set_contact (request, contact);
      g_ptr_array_add (changed, "contact");
    }
  if (json_object_has_member (body, "notes") &&
      g_strcmp0 (notes, esc_support_request_get_notes (request)) != 0)
    {
      esc_support_request_set_notes (request, notes);
      g_ptr_array_add (changed, "notes");
    }
  if (json_object_has_member (body, "attachments"))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      const char * const *old = esc_support_request_get_attachments (request);

      for (guint i = 0; attachment_array != NULL && i < json_array_get_length (attachment_array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (attachment_array, i));
      attachments = g_strv_builder_end (builder);

      if (!g_strv_equal (old ? old : (const char * const []) { NULL },
                         (const char * const *)attachments))
        {
          esc_support_request_set_attachments (request, (const char * const *)attachments);
          g_ptr_array_add (changed, "attachments");
        }
    }

  /* The filing rules hold for the edited request too (escalations stay C). */
  if (!esc_support_request_validate (request, ESC_SUPPORT_FILER_ANY, &field, &error))
    return send_core_error (ctx, request, field, error);

  if (esc_support_request_get_severity (request) != old_severity ||
      esc_support_request_get_engagement (request) != old_engagement)
    {
      g_autoptr(GDateTime) due = esc_service_request_compute_response_due (ctx->db, esc_support_request_get_created_at (request),
                                                                           esc_support_request_get_severity (request),
                                                                           esc_support_request_get_engagement (request));

      esc_support_request_set_response_due_at (request, due);
      g_ptr_array_add (changed, "severity");
    }

  if (changed->len == 0)
    {
      /* Nothing new: the request as it is, and no event. */
      g_autoptr(EscServiceRequestRow) full = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (!(full = esc_service_request_row_load (ctx->db, row->seq, TRUE, &error)))
        return esc_service_send_internal_error (ctx, error);
      node = row_to_json (full);
      return esc_service_send_json (ctx, SOUP_STATUS_OK, node);
    }

  esc_support_request_set_updated_at (request, ctx->now);

  if (!esc_service_context_begin (ctx))
    return;

  for (guint i = 0; i < changed->len; i++)
    {
      const char *what = g_ptr_array_index (changed, i);
      EscServiceRequestEvent event = { 0, };

      event.actor_id = ctx->caller->id;
      event.at = ctx->now;
      if (strcmp (what, "severity") == 0)
        {
          event.kind = "severity-changed";
          event.from_severity = esc_support_severity_to_string (old_severity);
          event.to_severity = esc_support_severity_to_string (esc_support_request_get_severity (request));
        }
      else if (strcmp (what, "contact") == 0)
        event.kind = "contact-changed";
      else if (strcmp (what, "notes") == 0)
        event.kind = "notes-changed";
      else
        event.kind = "attachments-changed";

      if (!esc_service_request_add_event (ctx->db, row->seq, &event, &error))
        return esc_service_send_internal_error (ctx, error);
    }

  {
    g_autoptr(JsonNode) details = NULL;
    g_autofree char *what = NULL;

    g_ptr_array_add (changed, NULL);
    what = g_strjoinv (",", (char **)changed->pdata);
    details = esc_service_request_audit_details (row->seq, "changed", what, NULL);
    location = esc_service_request_location (row->seq);

    if (!esc_service_request_row_save (ctx->db, row, &error) ||
        !esc_service_context_audit (ctx, "support-request.updated", location, details, &error))
      return esc_service_send_internal_error (ctx, error);
  }

  commit_with_row (ctx, row->seq, SOUP_STATUS_OK, NULL);
}

/* POST /v1/support-requests/{id}/comments */

static void
handle_comment (EscServiceContext *ctx)
{
  static const char * const members[] = { "text", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(EscServiceRequestRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GPtrArray) timeline = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *location = NULL;
  g_autofree char *event_id = NULL;
  EscSupportRequest *request;
  EscServiceRequestEvent comment = { 0, };
  const char *text;
  Access access;
  gint64 id;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", members);
  text = esc_service_check_string (&check, body, "/text", ESC_SERVICE_FIELD_REQUIRED, COMMENT_MAX);
  if (!esc_service_check_ok (&check))
    return esc_service_send_check (ctx, &check);

  if (!apply_rules (ctx))
    return;

  if (!(row = load_for_caller (ctx, FALSE, &access)))
    return;
  request = row->request;

  if (esc_support_request_get_state (request) == ESC_SUPPORT_REQUEST_STATE_CLOSED)
    return (void)refuse_unless_open (ctx, row, "take comments");

  if (!esc_service_context_begin (ctx))
    return;

  comment.kind = "comment";
  comment.actor_id = ctx->caller->id;
  comment.text = text;
  comment.at = ctx->now;
  if (!(id = esc_service_request_add_event (ctx->db, row->seq, &comment, &error)))
    return esc_service_send_internal_error (ctx, error);

  if (esc_support_request_get_state (request) == ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER)
    {
      if (access == ACCESS_CUSTOMER)
        {
          /* The customer's answer: back to the operations team. */
          EscServiceRequestEvent resumed = { 0, };

          resumed.kind = "state-changed";
          resumed.actor_id = ctx->caller->id;
          resumed.from_state = "waiting-on-customer";
          resumed.to_state = "in-progress";
          resumed.text = _("The customer responded.");
          resumed.at = ctx->now;
          if (!esc_service_request_add_event (ctx->db, row->seq, &resumed, &error))
            return esc_service_send_internal_error (ctx, error);

          esc_support_request_set_state (request, ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS);
          esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_OPERATIONS);
          g_clear_pointer (&row->waiting_since, g_free);
        }
      else
        {
          /* Another request for action: the 48 hours start again. */
          g_free (row->waiting_since);
          row->waiting_since = esc_service_context_dup_now_string (ctx);
        }
    }

  esc_support_request_set_updated_at (request, ctx->now);
  location = esc_service_request_location (row->seq);
  event_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  details = esc_service_request_audit_details (row->seq, "event", event_id, NULL);

  if (!esc_service_request_row_save (ctx->db, row, &error) ||
      !esc_service_context_audit (ctx, "support-request.commented", location, details, &error))
    return esc_service_send_internal_error (ctx, error);

  if (!(timeline = esc_service_request_load_timeline (ctx->db, row->seq, &error)))
    return esc_service_send_internal_error (ctx, error);
  for (guint i = 0; i < timeline->len; i++)
    {
      EscSupportRequestEvent *event = g_ptr_array_index (timeline, i);

      if (event->id == id)
        answer = esc_support_request_event_to_json (event);
    }
  g_assert (answer != NULL);

  esc_service_context_commit_json (ctx, SOUP_STATUS_CREATED, answer, NULL);
}

/* POST /v1/support-requests/{id}/reactivate */

static void
handle_reactivate (EscServiceContext *ctx)
{
  static const char * const members[] = { "reason", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(EscServiceRequestRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) deadline = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *location = NULL;
  EscSupportRequest *request;
  EscServiceRequestEvent reactivated = { 0, };
  const char *reason;
  Access access;
  gint64 hours;

  if (!(body = esc_service_context_read_optional_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", members);
  reason = esc_service_check_string (&check, body, "/reason", ESC_SERVICE_FIELD_NULLABLE, 5000);
  if (!esc_service_check_ok (&check))
    return esc_service_send_check (ctx, &check);

  if (!apply_rules (ctx))
    return;

  if (!(row = load_for_caller (ctx, FALSE, &access)))
    return;
  request = row->request;

  if (access != ACCESS_CUSTOMER)
    return esc_service_send_forbidden (ctx, "Only the filer or an IT administrator can reactivate "
                                            "a support request.");

  if (esc_support_request_get_state (request) != ESC_SUPPORT_REQUEST_STATE_RESOLVED)
    return esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "not-resolved", "Not Resolved",
                                     "%s is %s: only a resolved request can be reactivated.",
                                     esc_support_request_get_id (request),
                                     esc_support_request_state_to_string (esc_support_request_get_state (request)));

  hours = esc_service_db_get_setting_int (ctx->db, "support.reactivation-window-hours", 24);
  deadline = g_date_time_add_hours (esc_support_request_get_resolved_at (request), (int)CLAMP (hours, 0, 24 * 365));
  if (g_date_time_compare (ctx->now, deadline) > 0)
    {
      g_autofree char *resolved = esc_service_format_timestamp (esc_support_request_get_resolved_at (request));

      return esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "reactivation-window-passed",
                                       "Reactivation Window Passed",
                                       "%s was resolved at %s: it could be reactivated within %"
                                       G_GINT64_FORMAT " %s of its resolution; file a new request.",
                                       esc_support_request_get_id (request), resolved, hours,
                                       hours == 1 ? "hour" : "hours");
    }

  if (!esc_service_context_begin (ctx))
    return;

  reactivated.kind = "reactivated";
  reactivated.actor_id = ctx->caller->id;
  reactivated.text = reason;
  reactivated.from_state = "resolved";
  reactivated.to_state = "in-progress";
  reactivated.at = ctx->now;

  esc_support_request_set_state (request, ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS);
  esc_support_request_set_resolved_at (request, NULL);
  esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_OPERATIONS);
  esc_support_request_set_updated_at (request, ctx->now);
  location = esc_service_request_location (row->seq);
  details = esc_service_request_audit_details (row->seq, "from_state", "resolved", "to_state", "in-progress", NULL);

  if (!esc_service_request_add_event (ctx->db, row->seq, &reactivated, &error) ||
      !esc_service_request_row_save (ctx->db, row, &error) ||
      !esc_service_context_audit (ctx, "support-request.reactivated", location, details, &error))
    return esc_service_send_internal_error (ctx, error);

  commit_with_row (ctx, row->seq, SOUP_STATUS_OK, NULL);
}

/* POST /v1/support-requests/{id}/state (the operations team) */

static void
handle_state (EscServiceContext *ctx)
{
  static const char * const members[] = { "state", "next_action_owner", "next_action_at", "text", NULL };
  static const char * const states[] = {
    "in-progress", "waiting-on-customer", "mitigated", "resolved", "closed", NULL
  };
  static const char * const owners[] = { "customer", "operations", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(EscServiceRequestRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) next_action_at = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *location = NULL;
  EscSupportRequest *request;
  EscSupportRequestState old_state;
  EscSupportRequestState new_state;
  const char *state_text;
  const char *owner_text;
  const char *text;
  gboolean text_used = FALSE;
  gboolean changed = FALSE;
  Access access;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", members);
  state_text = esc_service_check_enum (&check, body, "/state", ESC_SERVICE_FIELD_OPTIONAL, states);
  owner_text = esc_service_check_enum (&check, body, "/next_action_owner", ESC_SERVICE_FIELD_NULLABLE, owners);
  next_action_at = esc_service_check_timestamp (&check, body, "/next_action_at", ESC_SERVICE_FIELD_NULLABLE);
  text = esc_service_check_string (&check, body, "/text", ESC_SERVICE_FIELD_NULLABLE, COMMENT_MAX);
  if (esc_service_check_ok (&check) &&
      !json_object_has_member (body, "state") &&
      !json_object_has_member (body, "next_action_owner") &&
      !json_object_has_member (body, "next_action_at"))
    esc_service_check_fail (&check, "", "Give at least one of state, next_action_owner or next_action_at.");
  if (!esc_service_check_ok (&check))
    return esc_service_send_check (ctx, &check);

  if (!apply_rules (ctx))
    return;

  if (!(row = load_for_caller (ctx, FALSE, &access)))
    return;
  request = row->request;
  old_state = new_state = esc_support_request_get_state (request);

  if (old_state == ESC_SUPPORT_REQUEST_STATE_CLOSED)
    return (void)refuse_unless_open (ctx, row, "change state");

  if (!esc_service_context_begin (ctx))
    return;

  if (state_text != NULL)
    esc_support_request_state_from_string (state_text, &new_state);

  if (new_state != old_state)
    {
      EscServiceRequestEvent event = { 0, };

      if (!row->assigned && old_state == ESC_SUPPORT_REQUEST_STATE_NEW)
        {
          EscServiceRequestEvent assigned = { 0, };

          assigned.kind = "assigned";
          assigned.actor_id = ctx->caller->id;
          assigned.text = _("Assigned to the operations team.");
          assigned.at = ctx->now;
          if (!esc_service_request_add_event (ctx->db, row->seq, &assigned, &error))
            return esc_service_send_internal_error (ctx, error);
          row->assigned = TRUE;
        }

      event.kind = "state-changed";
      event.actor_id = ctx->caller->id;
      event.from_state = esc_support_request_state_to_string (old_state);
      event.to_state = esc_support_request_state_to_string (new_state);
      event.text = text;
      event.at = ctx->now;
      text_used = TRUE;
      if (!esc_service_request_add_event (ctx->db, row->seq, &event, &error))
        return esc_service_send_internal_error (ctx, error);

      esc_support_request_set_state (request, new_state);
      g_clear_pointer (&row->waiting_since, g_free);

      switch (new_state)
        {
        case ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER:
          /* A request for action: the filer has 48 hours to answer. */
          row->waiting_since = esc_service_context_dup_now_string (ctx);
          esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_CUSTOMER);
          break;
        case ESC_SUPPORT_REQUEST_STATE_RESOLVED:
          esc_support_request_set_resolved_at (request, ctx->now);
          esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_NONE);
          esc_support_request_set_next_action_at (request, NULL);
          break;
        case ESC_SUPPORT_REQUEST_STATE_CLOSED:
          esc_support_request_set_closed_at (request, ctx->now);
          esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_NONE);
          esc_support_request_set_next_action_at (request, NULL);
          break;
        case ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS:
        case ESC_SUPPORT_REQUEST_STATE_MITIGATED:
          esc_support_request_set_resolved_at (request, NULL);
          esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_OPERATIONS);
          break;
        case ESC_SUPPORT_REQUEST_STATE_NEW:
        default:
          break;
        }
      changed = TRUE;
    }
  else if (old_state == ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER && state_text != NULL)
    {
      /* Asking again: the 48 hours start again. */
      g_free (row->waiting_since);
      row->waiting_since = esc_service_context_dup_now_string (ctx);
      changed = TRUE;
    }

  if (json_object_has_member (body, "next_action_owner") || json_object_has_member (body, "next_action_at"))
    {
      EscNextActionOwner owner = esc_support_request_get_next_action_owner (request);
      EscServiceRequestEvent event = { 0, };

      if (json_object_has_member (body, "next_action_owner"))
        {
          owner = ESC_NEXT_ACTION_OWNER_NONE;
          if (owner_text != NULL)
            esc_next_action_owner_from_string (owner_text, &owner);
        }
      esc_support_request_set_next_action_owner (request, owner);
      if (json_object_has_member (body, "next_action_at"))
        esc_support_request_set_next_action_at (request, next_action_at);

      event.kind = "next-action-set";
      event.actor_id = ctx->caller->id;
      event.text = text_used ? NULL : text;
      event.at = ctx->now;
      if (!esc_service_request_add_event (ctx->db, row->seq, &event, &error))
        return esc_service_send_internal_error (ctx, error);
      changed = TRUE;
    }

  if (changed)
    {
      esc_support_request_set_updated_at (request, ctx->now);
      location = esc_service_request_location (row->seq);
      details = esc_service_request_audit_details (row->seq,
                                                   "from_state", esc_support_request_state_to_string (old_state),
                                                   "to_state", esc_support_request_state_to_string (new_state),
                                                   "next_action_owner", esc_next_action_owner_to_string (esc_support_request_get_next_action_owner (request)),
                                                   NULL);

      if (!esc_service_request_row_save (ctx->db, row, &error) ||
          !esc_service_context_audit (ctx, "support-request.state-changed", location, details, &error))
        return esc_service_send_internal_error (ctx, error);
    }

  commit_with_row (ctx, row->seq, SOUP_STATUS_OK, NULL);
}

static gboolean
housekeeping (EscServiceDb  *db,
              GDateTime     *now,
              GError       **error)
{
  return esc_service_request_close_unresponsive (db, now, error);
}

void
esc_service_requests_register (EscServiceRouter *router)
{
  /* Writes go through group commit: one fsync per batch of requests. */
  const EscServiceRouteFlags writes = ESC_SERVICE_ROUTE_GROUP_COMMIT;

  esc_service_router_add_full (router, "POST", "/v1/support-requests",
                               ESC_SERVICE_ROLE_IT_ADMIN | ESC_SERVICE_ROLE_SUPPORT_STAFF,
                               writes | ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST, handle_create);
  esc_service_router_add (router, "GET", "/v1/support-requests", ESC_SERVICE_ROLES_ANY, handle_list);
  esc_service_router_add (router, "GET", "/v1/support-requests/{id}", ESC_SERVICE_ROLES_ANY, handle_get);
  esc_service_router_add_full (router, "PATCH", "/v1/support-requests/{id}", ESC_SERVICE_ROLES_ANY,
                               writes, handle_patch);
  esc_service_router_add_full (router, "POST", "/v1/support-requests/{id}/comments",
                               ESC_SERVICE_ROLES_ANY, writes, handle_comment);
  esc_service_router_add_full (router, "POST", "/v1/support-requests/{id}/reactivate",
                               ESC_SERVICE_ROLES_ANY, writes, handle_reactivate);
  esc_service_router_add_full (router, "POST", "/v1/support-requests/{id}/state",
                               ESC_SERVICE_ROLE_OPERATOR, writes, handle_state);
  esc_service_router_add_housekeeping (router, housekeeping);
}
