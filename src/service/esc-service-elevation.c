/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-elevation-password.h"
#include "esc-elevation-request.h"
#include "esc-service-devices.h"
#include "esc-service-elevation-private.h"
#include "esc-service-keys.h"
#include "esc-service-staff.h"

/*
 * Elevation requests: a designated support agent asks for just-in-time
 * access to a device's local administrator account.
 *
 * - Open: the caller holds a live elevation designation; the device is known
 *   (404), not in the test group (422), and has fewer than
 *   "elevation.max-open-per-device" live requests (409). A request gives
 *   access for "elevation.access-seconds" (expires_at); renewing starts that
 *   period again.
 * - Reading the password: only the agent who opened the request, while it is
 *   open and not expired. Every read is recorded on the request (and in the
 *   audit log) with the reader.
 * - Each device has one password, generated with libsodium and stored
 *   sealed (esc-service-crypto.c, esc-service-keys.c). It rotates lazily: the first read after
 *   rotates_at ("elevation.password-rotation-seconds", two hours) makes a new
 *   one. Closing the last live request on a device ends its password's
 *   period, so the next agent gets a fresh one.
 * - Records older than "elevation.retention-days" (90) are not shown, and
 *   housekeeping deletes them.
 *
 * Every number is a setting in the database (read in
 * esc-service-elevation-policy.c, with ending a person's access and the
 * purge). Passwords are never logged nor put in the audit log.
 */

#define ID_PREFIX "ER-"
#define PAGE_DEFAULT 100
#define PAGE_MAX 500
#define MAX_TEXT_CHARS 20000

static const char * const states[] = { "open", "closed", NULL };

typedef struct
{
  gint64  id;
  gint64  device_id;
  char   *device_name;
  char   *device_serial;
  char   *device_group;
  gint64  requested_by;
  char   *requested_by_name;
  char   *ticket_id;
  char   *category;
  char   *subcategory;
  char   *title;
  char   *plan_of_action;
  char   *state;
  char   *created_at;
  char   *expires_at;
  char   *renewed_at;
  gint64  renewals;
  char   *closed_at;
  gint64  closed_by;
  char   *closed_by_name;
  char   *actions_taken;
  char   *closed_reason;
} Request;

static void
request_free (Request *request)
{
  if (request == NULL)
    return;

  g_free (request->device_name);
  g_free (request->device_serial);
  g_free (request->device_group);
  g_free (request->requested_by_name);
  g_free (request->ticket_id);
  g_free (request->category);
  g_free (request->subcategory);
  g_free (request->title);
  g_free (request->plan_of_action);
  g_free (request->state);
  g_free (request->created_at);
  g_free (request->expires_at);
  g_free (request->renewed_at);
  g_free (request->closed_at);
  g_free (request->closed_by_name);
  g_free (request->actions_taken);
  g_free (request->closed_reason);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Ids */

static char *
format_id (gint64 id)
{
  return g_strdup_printf (ID_PREFIX "%06" G_GINT64_FORMAT, id);
}

static char *
format_location (gint64 id)
{
  g_autofree char *text = format_id (id);

  return g_strconcat ("/v1/elevation-requests/", text, NULL);
}

/* "ER-000042" → 42; FALSE if @text is not an id this service gives out. */
static gboolean
parse_id (const char *text,
          gint64     *out_id)
{
  const char *digits;

  if (text == NULL || !g_str_has_prefix (text, ID_PREFIX))
    return FALSE;

  digits = text + strlen (ID_PREFIX);
  if (strlen (digits) < 6 || strlen (digits) > 18)
    return FALSE;
  for (const char *p = digits; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return g_ascii_string_to_signed (digits, 10, 1, G_MAXINT64, out_id, NULL);
}

/* Loading */

#define SELECT_REQUEST \
  "SELECT e.id, e.device_id, d.name, d.serial_number, d.device_group, e.requested_by, r.name," \
  "  e.ticket_id, e.category, e.subcategory, e.title, e.plan_of_action, e.state," \
  "  e.created_at, e.expires_at, e.renewed_at, e.renewals, e.closed_at, e.closed_by, c.name," \
  "  e.actions_taken, e.closed_reason" \
  " FROM elevation_requests e" \
  " JOIN devices d ON d.id = e.device_id" \
  " JOIN people r ON r.id = e.requested_by" \
  " LEFT JOIN people c ON c.id = e.closed_by"

static Request *
request_from_row (EscServiceStmt *stmt)
{
  Request *request = g_new0 (Request, 1);

  request->id = esc_service_stmt_column_int64 (stmt, 0);
  request->device_id = esc_service_stmt_column_int64 (stmt, 1);
  request->device_name = g_strdup (esc_service_stmt_column_text (stmt, 2));
  request->device_serial = g_strdup (esc_service_stmt_column_text (stmt, 3));
  request->device_group = g_strdup (esc_service_stmt_column_text (stmt, 4));
  request->requested_by = esc_service_stmt_column_int64 (stmt, 5);
  request->requested_by_name = g_strdup (esc_service_stmt_column_text (stmt, 6));
  request->ticket_id = g_strdup (esc_service_stmt_column_text (stmt, 7));
  request->category = g_strdup (esc_service_stmt_column_text (stmt, 8));
  request->subcategory = g_strdup (esc_service_stmt_column_text (stmt, 9));
  request->title = g_strdup (esc_service_stmt_column_text (stmt, 10));
  request->plan_of_action = g_strdup (esc_service_stmt_column_text (stmt, 11));
  request->state = g_strdup (esc_service_stmt_column_text (stmt, 12));
  request->created_at = g_strdup (esc_service_stmt_column_text (stmt, 13));
  request->expires_at = g_strdup (esc_service_stmt_column_text (stmt, 14));
  request->renewed_at = g_strdup (esc_service_stmt_column_text (stmt, 15));
  request->renewals = esc_service_stmt_column_int64 (stmt, 16);
  request->closed_at = g_strdup (esc_service_stmt_column_text (stmt, 17));
  request->closed_by = esc_service_stmt_column_int64 (stmt, 18);
  request->closed_by_name = g_strdup (esc_service_stmt_column_text (stmt, 19));
  request->actions_taken = g_strdup (esc_service_stmt_column_text (stmt, 20));
  request->closed_reason = g_strdup (esc_service_stmt_column_text (stmt, 21));

  return request;
}

/* The request @id as @ctx's caller may see it: their own, or any for
 * it-admin; within the retention period. NULL without @error if not. */
static Request *
load_request (EscServiceContext  *ctx,
              gint64              id,
              GError            **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *cutoff = esc_service_elevation_dup_retention_cutoff (ctx->db, ctx->now);
  int rc;

  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       SELECT_REQUEST
                                       " WHERE e.id = ?1 AND e.created_at > ?2"
                                       "   AND (?3 OR e.requested_by = ?4)",
                                       error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, id);
  esc_service_stmt_bind_text (stmt, 2, cutoff);
  esc_service_stmt_bind_int64 (stmt, 3, esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN));
  esc_service_stmt_bind_int64 (stmt, 4, ctx->caller->id);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    return request_from_row (stmt);
  if (rc != ESC_SERVICE_STMT_DONE)
    esc_service_db_set_error (ctx->db, error);

  return NULL;
}

static gboolean
request_is_live (const Request *request,
                 const char    *now)
{
  return g_strcmp0 (request->state, "open") == 0 && strcmp (request->expires_at, now) > 0;
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

/* The ElevationRequest object, with every password view, written by the
 * core codec that the app reads it with. */
static JsonNode *
request_to_json (EscServiceDb   *db,
                 const Request  *request,
                 const char     *now,
                 GError        **error)
{
  g_autoptr(EscElevationRequest) object = NULL;
  g_autoptr(EscDevice) device = NULL;
  g_autoptr(GDateTime) created_at = esc_time_parse (request->created_at);
  g_autoptr(GDateTime) expires_at = esc_time_parse (request->expires_at);
  g_autoptr(GDateTime) renewed_at = NULL;
  g_autoptr(GDateTime) closed_at = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *id = format_id (request->id);
  EscElevationRequestFields fields = { 0, };
  int rc;

  if (request->renewed_at != NULL)
    renewed_at = esc_time_parse (request->renewed_at);
  if (request->closed_at != NULL)
    closed_at = esc_time_parse (request->closed_at);

  device = esc_device_new (request->device_name, request->device_serial, request->device_group, -1);

  fields.id = id;
  fields.state = request->state;
  fields.active = request_is_live (request, now);
  fields.ticket_id = request->ticket_id;
  fields.device = device;
  fields.category = request->category;
  fields.subcategory = request->subcategory;
  fields.title = request->title;
  fields.plan_of_action = request->plan_of_action;
  fields.requested_by_id = request->requested_by;
  fields.requested_by = request->requested_by_name;
  fields.created_at = created_at;
  fields.expires_at = expires_at;
  fields.renewed_at = renewed_at;
  fields.renewals = request->renewals;
  fields.closed_at = closed_at;
  fields.closed_by_id = request->closed_by;
  fields.closed_by = request->closed_by_name;
  fields.actions_taken = request->actions_taken;
  fields.closed_reason = request->closed_reason;
  object = esc_elevation_request_new (&fields);

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT v.person_id, p.name, v.viewed_at"
                                       " FROM elevation_views v JOIN people p ON p.id = v.person_id"
                                       " WHERE v.request_id = ?1 ORDER BY v.id",
                                       error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, request->id);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      g_autoptr(GDateTime) at = esc_service_stmt_column_time (stmt, 2);

      esc_elevation_request_add_password_view (object, esc_service_stmt_column_int64 (stmt, 0),
                                               esc_service_stmt_column_text (stmt, 1), at);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return esc_elevation_request_to_json (object);
}

/* How many live requests (open, not expired) @device_id has, but @except_id. */
/* Until the transaction ends, no other node counts and opens on @device_id */
static gboolean
lock_device (EscServiceDb  *db,
             gint64         device_id,
             GError       **error)
{
  g_autofree char *key = g_strdup_printf ("device:%" G_GINT64_FORMAT, device_id);

  return esc_service_db_lock_key (db, key, error);
}

static gboolean
count_live_requests (EscServiceDb  *db,
                     gint64         device_id,
                     gint64         except_id,
                     const char    *now,
                     gint64        *out_count,
                     GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT count(*) FROM elevation_requests"
                                       " WHERE device_id = ?1 AND state = 'open' AND expires_at > ?2"
                                       "   AND id != ?3",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, device_id);
  esc_service_stmt_bind_text (stmt, 2, now);
  esc_service_stmt_bind_int64 (stmt, 3, except_id);

  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    return esc_service_db_set_error (db, error);

  *out_count = esc_service_stmt_column_int64 (stmt, 0);
  return TRUE;
}

static JsonNode *
event_details (const Request *request,
               const char    *first_member,
               ...) G_GNUC_NULL_TERMINATED;

/* {"device": name, "ticket_id": …, then @first_member/value string pairs}. */
static JsonNode *
event_details (const Request *request,
               const char    *first_member,
               ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *member;
  va_list args;

  json_builder_begin_object (builder);
  add_string (builder, "device", request->device_name);
  add_string (builder, "ticket_id", request->ticket_id);

  va_start (args, first_member);
  for (member = first_member; member != NULL; member = va_arg (args, const char *))
    add_nullable_string (builder, member, va_arg (args, const char *));
  va_end (args);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Authorization helpers. Each answers and returns FALSE when refused. */

static gboolean
require_designation (EscServiceContext *ctx,
                     const char        *action)
{
  g_autofree char *detail = NULL;

  if (esc_service_context_has_designation (ctx, "elevation"))
    return TRUE;

  detail = esc_service_staff_dup_refusal (ctx, "elevation", action);
  esc_service_send_forbidden (ctx, detail);
  return FALSE;
}

static gboolean
require_designation_or_admin (EscServiceContext *ctx,
                              const char        *action)
{
  if (esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN))
    return TRUE;

  return require_designation (ctx, action);
}

/* Reads {id} and loads the request inside the open transaction; answers 404
 * (or 500) and rolls back if it cannot. */
static Request *
load_from_path (EscServiceContext *ctx)
{
  g_autoptr(GError) error = NULL;
  Request *request;
  gint64 id;

  if (!parse_id (ctx->params[0], &id))
    {
      esc_service_context_rollback (ctx);
      esc_service_send_not_found (ctx);
      return NULL;
    }

  if (!(request = load_request (ctx, id, &error)))
    {
      if (error != NULL)
        esc_service_send_internal_error (ctx, error);
      else
        {
          esc_service_context_rollback (ctx);
          esc_service_send_not_found (ctx);
        }
      return NULL;
    }

  return request;
}

static void
send_closed (EscServiceContext *ctx,
             const Request     *request)
{
  g_autofree char *id = format_id (request->id);

  esc_service_context_rollback (ctx);
  esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "elevation-request-closed",
                            "Elevation Request Closed",
                            "%s was closed at %s; open a new elevation request.",
                            id, request->closed_at);
}

/* Reloads @request after a change and answers with it, committing. */
static void
commit_request (EscServiceContext *ctx,
                gint64             id,
                guint              status,
                gboolean           with_location)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *location = with_location ? format_location (id) : NULL;

  if (!(request = load_request (ctx, id, &error)) ||
      !(node = request_to_json (ctx->db, request, now, &error)))
    {
      if (error == NULL)
        error = g_error_new (ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                             "elevation request %" G_GINT64_FORMAT " vanished", id);
      esc_service_send_internal_error (ctx, error);
      return;
    }

  esc_service_context_commit_json (ctx, status, node, location);
}

/* POST /v1/elevation-requests */

static void
handle_create (EscServiceContext *ctx)
{
  static const char * const allowed[] = {
    "ticket_id", "device", "category", "subcategory", "title", "plan_of_action", NULL
  };
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(EscServiceDevice) device = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *expires_at = NULL;
  g_autofree char *target = NULL;
  const char *ticket_id, *device_text, *category, *subcategory, *title, *plan;
  gint64 live = 0;
  gint64 max_open;
  gint64 id;

  if (!require_designation (ctx, "Opening an elevation request"))
    return;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", allowed);
  ticket_id = esc_service_check_string (&check, body, "/ticket_id", ESC_SERVICE_FIELD_REQUIRED, 100);
  device_text = esc_service_check_string (&check, body, "/device", ESC_SERVICE_FIELD_REQUIRED, 100);
  category = esc_service_check_slug (&check, body, "/category", ESC_SERVICE_FIELD_REQUIRED);
  subcategory = esc_service_check_slug (&check, body, "/subcategory", ESC_SERVICE_FIELD_REQUIRED);
  title = esc_service_check_string (&check, body, "/title", ESC_SERVICE_FIELD_REQUIRED, 200);
  plan = esc_service_check_string (&check, body, "/plan_of_action", ESC_SERVICE_FIELD_REQUIRED,
                                   MAX_TEXT_CHARS);
  if (!esc_service_check_ok (&check))
    {
      esc_service_send_check (ctx, &check);
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;

  if (!(device = esc_service_devices_find (ctx->db, device_text, &error)))
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND))
        {
          esc_service_context_rollback (ctx);
          esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "unknown-device", "Unknown Device",
                                    "No enrolled device has the name or serial number “%s”.",
                                    device_text);
        }
      else
        esc_service_send_internal_error (ctx, error);
      return;
    }

  if (strcmp (device->group, "test") == 0)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s is in the test group: the service does not give elevated access "
                         "to test devices.", device->name);

      esc_service_context_rollback (ctx);
      esc_service_send_invalid_field (ctx, "/device", "device-in-test-group",
                                      "Device In Test Group", detail);
      return;
    }

  /* Counted, then added: on PostgreSQL another node may be opening one on
   * the same device at this moment; the device's lock makes us take turns
   * (on SQLite the write lock already does). */
  max_open = esc_service_elevation_get_max_open (ctx->db);
  if (!lock_device (ctx->db, device->id, &error) ||
      !count_live_requests (ctx->db, device->id, 0, now, &live, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  if (live >= max_open)
    {
      esc_service_context_rollback (ctx);
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "too-many-elevation-requests",
                                "Too Many Elevation Requests",
                                "%s already has %" G_GINT64_FORMAT " open elevation %s, the "
                                "most allowed; one of them must be closed (or expire) first.",
                                device->name, live, live == 1 ? "request" : "requests");
      return;
    }

  expires_at = esc_service_elevation_format_offset (ctx->now,
                                                    esc_service_elevation_get_access_seconds (ctx->db) *
                                                    G_TIME_SPAN_SECOND);

  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "INSERT INTO elevation_requests"
                                       " (device_id, requested_by, ticket_id, category, subcategory,"
                                       "  title, plan_of_action, state, created_at, expires_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9) RETURNING id",
                                       &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (stmt, 1, device->id);
  esc_service_stmt_bind_int64 (stmt, 2, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 3, ticket_id);
  esc_service_stmt_bind_text (stmt, 4, category);
  esc_service_stmt_bind_text (stmt, 5, subcategory);
  esc_service_stmt_bind_text (stmt, 6, title);
  esc_service_stmt_bind_text (stmt, 7, plan);
  esc_service_stmt_bind_text (stmt, 8, now);
  esc_service_stmt_bind_text (stmt, 9, expires_at);
  if (!(id = esc_service_db_step_returning_id (ctx->db, stmt, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  target = format_location (id);
  {
    Request summary = { 0, };

    summary.device_name = device->name;
    summary.ticket_id = (char *)ticket_id;
    details = event_details (&summary, "title", title, "expires_at", expires_at, NULL);
  }
  if (!esc_service_context_audit (ctx, "elevation.opened", target, details, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  commit_request (ctx, id, SOUP_STATUS_CREATED, TRUE);
}

/* GET /v1/elevation-requests */

static void
handle_list (EscServiceContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify)request_free);
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *cutoff = NULL;
  g_autofree char *next_cursor = NULL;
  const char *state = esc_service_context_get_query (ctx, "state");
  const char *limit_text = esc_service_context_get_query (ctx, "limit");
  const char *cursor_text = esc_service_context_get_query (ctx, "cursor");
  guint64 limit = PAGE_DEFAULT;
  gint64 cursor = 0;
  int rc;

  if (!require_designation_or_admin (ctx, "Listing elevation requests"))
    return;

  if (state != NULL && !g_strv_contains (states, state))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query", "Invalid Query",
                                "“state” must be open or closed.");
      return;
    }
  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, PAGE_MAX, &limit, NULL))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query", "Invalid Query",
                                "“limit” must be an integer from 1 to %d.", PAGE_MAX);
      return;
    }
  if (cursor_text != NULL && !parse_id (cursor_text, &cursor))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query", "Invalid Query",
                                "“cursor” is not a cursor this service gave out.");
      return;
    }

  cutoff = esc_service_elevation_dup_retention_cutoff (ctx->db, ctx->now);

  /* One read transaction: the page and its password views agree. */
  if (!esc_service_db_begin_read (ctx->db, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  /* Newest first; the cursor is the last id of the previous page. */
  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       SELECT_REQUEST
                                       " WHERE e.created_at > ?1"
                                       "   AND (?2 OR e.requested_by = ?3)"
                                       "   AND (CAST (?4 AS text) IS NULL OR e.state = CAST (?4 AS text))"
                                       "   AND (CAST (?5 AS bigint) = 0 OR e.id < CAST (?5 AS bigint))"
                                       " ORDER BY e.id DESC LIMIT ?6",
                                       &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, cutoff);
  esc_service_stmt_bind_int64 (stmt, 2, esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN));
  esc_service_stmt_bind_int64 (stmt, 3, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 4, state);
  esc_service_stmt_bind_int64 (stmt, 5, cursor);
  esc_service_stmt_bind_int64 (stmt, 6, (gint64)limit + 1);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    g_ptr_array_add (requests, request_from_row (stmt));
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      esc_service_send_internal_error (ctx, error);
      return;
    }

  if (requests->len > limit)
    {
      g_ptr_array_set_size (requests, limit);
      next_cursor = format_id (((Request *)requests->pdata[limit - 1])->id);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < requests->len; i++)
    {
      JsonNode *item = request_to_json (ctx->db, requests->pdata[i], now, &error);

      if (item == NULL)
        {
          esc_service_send_internal_error (ctx, error);
          return;
        }
      json_builder_add_value (builder, item);
    }
  json_builder_end_array (builder);
  add_nullable_string (builder, "next_cursor", next_cursor);
  json_builder_end_object (builder);

  esc_service_db_end_read (ctx->db);

  root = json_builder_get_root (builder);
  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

/* GET /v1/elevation-requests/{id} */

static void
handle_get (EscServiceContext *ctx)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);

  if (!require_designation_or_admin (ctx, "Reading elevation requests"))
    return;

  if (!esc_service_db_begin_read (ctx->db, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  if (!(request = load_from_path (ctx)))
    return;

  if (!(node = request_to_json (ctx->db, request, now, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  esc_service_db_end_read (ctx->db);
  esc_service_send_json (ctx, SOUP_STATUS_OK, node);
}

/* GET /v1/elevation-requests/{id}/password */

/* Returns the device's current password (esc_service_elevation_get_password()),
 * auditing its rotation if this request made it. Inside the write
 * transaction. */
static char *
current_password (EscServiceContext  *ctx,
                  const Request      *request,
                  char              **out_rotates_at,
                  gint64             *out_generation,
                  GError            **error)
{
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *rotates_at = NULL;
  g_autofree char *target = NULL;
  g_autofree char *generation_text = NULL;
  gboolean rotated = FALSE;
  gint64 generation = 0;
  char *password;

  if (!(password = esc_service_elevation_get_password (ctx->db, request->device_id, ctx->now,
                                                       &rotates_at, &generation, &rotated, error)))
    return NULL;

  if (rotated)
    {
      generation_text = g_strdup_printf ("%" G_GINT64_FORMAT, generation);
      details = event_details (request, "generation", generation_text, "rotates_at", rotates_at, NULL);
      target = g_strconcat ("device:", request->device_name, NULL);
      if (!esc_service_context_audit (ctx, "device.password-rotated", target, details, error))
        {
          esc_service_crypto_free_secret (password);
          return NULL;
        }
    }

  *out_rotates_at = g_steal_pointer (&rotates_at);
  *out_generation = generation;
  return password;
}

static void
handle_get_password (EscServiceContext *ctx)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *rotates_at = NULL;
  g_autofree char *account_name = NULL;
  g_autofree char *account = NULL;
  g_autofree char *target = NULL;
  g_autofree char *id = NULL;
  g_autofree char *generation_text = NULL;
  char *password;
  gint64 generation = 0;

  if (!require_designation (ctx, "Reading a device password"))
    return;

  if (!esc_service_context_begin (ctx))
    return;

  if (!(request = load_from_path (ctx)))
    return;

  id = format_id (request->id);

  if (request->requested_by != ctx->caller->id)
    {
      g_autofree char *detail =
        g_strdup_printf ("Only %s, who opened %s, can read its password.",
                         request->requested_by_name, id);

      esc_service_send_forbidden (ctx, detail);
      return;
    }

  if (strcmp (request->state, "open") != 0)
    {
      send_closed (ctx, request);
      return;
    }

  if (strcmp (request->expires_at, now) <= 0)
    {
      esc_service_context_rollback (ctx);
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "elevation-request-expired",
                                "Elevation Request Expired",
                                "%s expired at %s; renew it to read the password again.",
                                id, request->expires_at);
      return;
    }

  if (!(password = current_password (ctx, request, &rotates_at, &generation, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  /* The view is recorded, and audited, in the transaction that answers:
   * no password leaves without its record. */
  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "INSERT INTO elevation_views"
                                       " (request_id, person_id, viewed_at, password_generation)"
                                       " VALUES (?1, ?2, ?3, ?4)",
                                       &error)))
    goto failed;
  esc_service_stmt_bind_int64 (stmt, 1, request->id);
  esc_service_stmt_bind_int64 (stmt, 2, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 3, now);
  esc_service_stmt_bind_int64 (stmt, 4, generation);
  if (!esc_service_db_step_done (ctx->db, stmt, &error))
    goto failed;

  generation_text = g_strdup_printf ("%" G_GINT64_FORMAT, generation);
  details = event_details (request, "generation", generation_text, "rotates_at", rotates_at, NULL);
  target = format_location (request->id);
  if (!esc_service_context_audit (ctx, "elevation.password-read", target, details, &error))
    goto failed;

  account_name = esc_service_elevation_dup_account_name (ctx->db);
  account = g_strdup_printf ("%s\\%s", request->device_name, account_name);

  {
    g_autoptr(GDateTime) rotates = esc_time_parse (rotates_at);
    EscElevationPassword answer = { account, password, rotates };

    root = esc_elevation_password_to_json (&answer);
  }

  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, root, NULL);
  /* The tree holds a copy of the password: wipe it, as the original. */
  esc_elevation_password_wipe_json (root);
  esc_service_crypto_free_secret (password);
  return;

failed:
  esc_service_crypto_free_secret (password);
  esc_service_send_internal_error (ctx, error);
}

/* POST /v1/elevation-requests/{id}/renew */

static void
handle_renew (EscServiceContext *ctx)
{
  static const char * const allowed[] = { NULL };
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(Request) request = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *expires_at = NULL;
  g_autofree char *target = NULL;
  g_autofree char *id = NULL;

  if (!require_designation (ctx, "Renewing an elevation request"))
    return;

  if (!(body = esc_service_context_read_optional_object (ctx)))
    return;
  esc_service_check_members (&check, body, "", allowed);
  if (!esc_service_check_ok (&check))
    {
      esc_service_send_check (ctx, &check);
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;

  if (!(request = load_from_path (ctx)))
    return;

  id = format_id (request->id);

  if (request->requested_by != ctx->caller->id)
    {
      g_autofree char *detail =
        g_strdup_printf ("Only %s, who opened %s, can renew it.", request->requested_by_name, id);

      esc_service_send_forbidden (ctx, detail);
      return;
    }

  if (strcmp (request->state, "open") != 0)
    {
      send_closed (ctx, request);
      return;
    }

  /* An expired request comes back to life: it counts again towards the
   * device's limit. */
  if (!request_is_live (request, now))
    {
      gint64 live = 0;
      gint64 max_open = esc_service_elevation_get_max_open (ctx->db);

      if (!lock_device (ctx->db, request->device_id, &error) ||
          !count_live_requests (ctx->db, request->device_id, request->id, now, &live, &error))
        {
          esc_service_send_internal_error (ctx, error);
          return;
        }
      if (live >= max_open)
        {
          esc_service_context_rollback (ctx);
          esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "too-many-elevation-requests",
                                    "Too Many Elevation Requests",
                                    "%s already has %" G_GINT64_FORMAT " open elevation %s, "
                                    "the most allowed; %s cannot be renewed until one is closed.",
                                    request->device_name, live, live == 1 ? "request" : "requests", id);
          return;
        }
    }

  expires_at = esc_service_elevation_format_offset (ctx->now,
                                                    esc_service_elevation_get_access_seconds (ctx->db) *
                                                    G_TIME_SPAN_SECOND);

  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "UPDATE elevation_requests"
                                       " SET expires_at = ?1, renewed_at = ?2, renewals = renewals + 1"
                                       " WHERE id = ?3",
                                       &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, expires_at);
  esc_service_stmt_bind_text (stmt, 2, now);
  esc_service_stmt_bind_int64 (stmt, 3, request->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  details = event_details (request, "previous_expires_at", request->expires_at,
                           "expires_at", expires_at, NULL);
  target = format_location (request->id);
  if (!esc_service_context_audit (ctx, "elevation.renewed", target, details, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  commit_request (ctx, request->id, SOUP_STATUS_OK, FALSE);
}

/* POST /v1/elevation-requests/{id}/close */

static void
handle_close (EscServiceContext *ctx)
{
  static const char * const allowed[] = { "actions_taken", NULL };
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(Request) request = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *target = NULL;
  const char *actions_taken;
  gint64 live = 0;
  gboolean password_expired = FALSE;

  if (!require_designation_or_admin (ctx, "Closing an elevation request"))
    return;

  if (!(body = esc_service_context_read_object (ctx)))
    return;
  esc_service_check_members (&check, body, "", allowed);
  actions_taken = esc_service_check_string (&check, body, "/actions_taken",
                                            ESC_SERVICE_FIELD_REQUIRED, MAX_TEXT_CHARS);
  if (!esc_service_check_ok (&check))
    {
      esc_service_send_check (ctx, &check);
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;

  /* Visible means: one's own, or any for it-admin, who may close a request
   * its agent abandoned. */
  if (!(request = load_from_path (ctx)))
    return;

  if (strcmp (request->state, "open") != 0)
    {
      send_closed (ctx, request);
      return;
    }

  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "UPDATE elevation_requests"
                                       " SET state = 'closed', closed_at = ?1, closed_by = ?2,"
                                       "     actions_taken = ?3, closed_reason = 'closed'"
                                       " WHERE id = ?4",
                                       &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, now);
  esc_service_stmt_bind_int64 (stmt, 2, ctx->caller->id);
  esc_service_stmt_bind_text (stmt, 3, actions_taken);
  esc_service_stmt_bind_int64 (stmt, 4, request->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  /* The last agent on the device is done: end the password's period, so
   * that whoever comes next gets a new one. */
  if (!count_live_requests (ctx->db, request->device_id, request->id, now, &live, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  if (live == 0)
    {
      if (!(stmt = esc_service_db_prepare (ctx->db,
                                           "UPDATE device_passwords SET rotates_at = ?1"
                                           " WHERE device_id = ?2 AND rotates_at > ?1",
                                           &error)))
        {
          esc_service_send_internal_error (ctx, error);
          return;
        }
      esc_service_stmt_bind_text (stmt, 1, now);
      esc_service_stmt_bind_int64 (stmt, 2, request->device_id);
      if (!esc_service_db_step_done (ctx->db, stmt, &error))
        {
          esc_service_send_internal_error (ctx, error);
          return;
        }
      password_expired = esc_service_stmt_changes (stmt) > 0;
    }

  details = event_details (request, "actions_taken", actions_taken,
                           "password_expired", password_expired ? "yes" : "no", NULL);
  target = format_location (request->id);
  if (!esc_service_context_audit (ctx, "elevation.closed", target, details, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  commit_request (ctx, request->id, SOUP_STATUS_OK, FALSE);
}

/* GET /v1/elevation-guidance */

static void
handle_guidance (EscServiceContext *ctx)
{
  static const struct {
    const char *kind;
    const char *member;
  } kinds[] = {
    { "typical", "typical" },
    { "not-recommended", "not_recommended" },
    { "not-supported", "not_supported" },
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(EscServiceStmt) stmt = NULL;
      int rc;

      if (!(stmt = esc_service_db_prepare (ctx->db,
                                           "SELECT text FROM elevation_guidance"
                                           " WHERE kind = ?1 ORDER BY position",
                                           &error)))
        {
          esc_service_send_internal_error (ctx, error);
          return;
        }
      esc_service_stmt_bind_text (stmt, 1, kinds[i].kind);

      json_builder_set_member_name (builder, kinds[i].member);
      json_builder_begin_array (builder);
      while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
        json_builder_add_string_value (builder, esc_service_stmt_column_text (stmt, 0));
      if (rc != ESC_SERVICE_STMT_DONE)
        {
          esc_service_db_set_error (ctx->db, &error);
          esc_service_send_internal_error (ctx, error);
          return;
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

/* Routes and housekeeping (esc_service_elevation_purge() is in
 * esc-service-elevation-policy.c) */

static gboolean
purge_housekeeping (EscServiceDb  *db,
                    GDateTime     *now,
                    GError       **error)
{
  return esc_service_elevation_purge (db, now, NULL, error);
}

void
esc_service_elevation_register (EscServiceRouter *router)
{
  const guint roles = ESC_SERVICE_ROLE_IT_ADMIN | ESC_SERVICE_ROLE_SUPPORT_STAFF;

  esc_service_router_add (router, "POST", "/v1/elevation-requests", roles, handle_create);
  esc_service_router_add (router, "GET", "/v1/elevation-requests", roles, handle_list);
  esc_service_router_add (router, "GET", "/v1/elevation-requests/{id}", roles, handle_get);
  /* Reading may rotate the password and is audited: no HEAD. */
  esc_service_router_add_full (router, "GET", "/v1/elevation-requests/{id}/password", roles,
                               ESC_SERVICE_ROUTE_NO_HEAD, handle_get_password);
  esc_service_router_add (router, "POST", "/v1/elevation-requests/{id}/renew", roles,
                          handle_renew);
  esc_service_router_add (router, "POST", "/v1/elevation-requests/{id}/close", roles,
                          handle_close);
  esc_service_router_add (router, "GET", "/v1/elevation-guidance", ESC_SERVICE_ROLES_ANY,
                          handle_guidance);
  esc_service_router_add_housekeeping (router, purge_housekeeping);
}
