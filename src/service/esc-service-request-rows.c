/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-admin-hours.h"
#include "esc-core-error.h"
#include "esc-service-requests-private.h"
#include "esc-service-sla.h"

/* Support requests in the service's database: the row behind each request
 * (with what the wire does not show), its timeline, the severity table's
 * settings and the 48-hour rule. The handlers are in esc-service-requests.c. */

void
esc_service_request_row_free (EscServiceRequestRow *row)
{
  g_clear_object (&row->request);
  g_free (row->waiting_since);
  g_free (row);
}

char *
esc_service_request_format_id (gint64 seq)
{
  return g_strdup_printf ("SR-%06" G_GINT64_FORMAT, seq);
}

/* "SR-000123" → 123; 0 if @id is not an id. */
gint64
esc_service_request_parse_id (const char *id)
{
  guint64 seq;

  if (id == NULL || !g_str_has_prefix (id, "SR-") || strlen (id) < 9 || strlen (id) > 21)
    return 0;
  for (const char *p = id + 3; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return 0;
    }
  if (!g_ascii_string_to_unsigned (id + 3, 10, 1, G_MAXINT64, &seq, NULL))
    return 0;

  return (gint64)seq;
}

char *
esc_service_request_location (gint64 seq)
{
  g_autofree char *id = esc_service_request_format_id (seq);

  return g_strconcat ("/v1/support-requests/", id, NULL);
}

/* Settings: the severity table */

/* When the initial response is due: from filing, the severity's target,
 * counted in its coverage (a B filer may opt in to 24x7); admin support hours
 * are the service's own calendar (esc-service-sla.c). */
GDateTime *
esc_service_request_compute_response_due (EscServiceDb         *db,
                                          GDateTime            *created_at,
                                          EscSupportSeverity    severity,
                                          EscSupportEngagement  engagement)
{
  static const gint64 default_minutes[] = { 60, 240, 480 };
  const char *letter = esc_support_severity_to_string (severity);
  g_autofree char *minutes_key = g_strconcat ("support.response-minutes.", letter, NULL);
  g_autofree char *coverage_key = g_strconcat ("support.coverage.", letter, NULL);
  g_autofree char *coverage_text = esc_service_db_dup_setting (db, coverage_key);
  EscCoverage coverage = severity == ESC_SUPPORT_SEVERITY_A ? ESC_COVERAGE_24X7 : ESC_COVERAGE_ADMIN_HOURS;
  g_autoptr(EscCalendar) calendar = NULL;
  gint64 minutes;

  minutes = esc_service_db_get_setting_int (db, minutes_key, default_minutes[severity]);
  if (minutes < 0)
    minutes = default_minutes[severity];
  if (coverage_text != NULL)
    esc_coverage_from_string (coverage_text, &coverage);
  if (severity == ESC_SUPPORT_SEVERITY_B && engagement == ESC_SUPPORT_ENGAGEMENT_24X7)
    coverage = ESC_COVERAGE_24X7;

  if (coverage == ESC_COVERAGE_ADMIN_HOURS)
    calendar = esc_service_admin_hours_calendar (db);

  return esc_admin_hours_add_in (calendar, created_at, minutes * G_TIME_SPAN_MINUTE, coverage);
}

/* Rows */

static GStrv
strv_from_json_text (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (text == NULL || !(node = json_from_string (text, NULL)) || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *item = json_array_get_string_element (array, i);

      if (item != NULL)
        g_strv_builder_add (builder, item);
    }

  return g_strv_builder_end (builder);
}

char *
esc_service_request_strv_to_json_text (const char * const *items)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    json_array_add_string_element (array, items[i]);
  json_node_set_array (node, array);

  return json_to_string (node, FALSE);
}

char *
esc_service_request_contact_to_json_text (const EscSupportContact *contact)
{
  g_autoptr(JsonNode) node = esc_support_contact_to_json (contact);

  return json_to_string (node, FALSE);
}

static EscTristate
tristate_column (EscServiceStmt *stmt,
                 int           column)
{
  if (esc_service_stmt_column_is_null (stmt, column))
    return ESC_TRISTATE_UNKNOWN;

  return esc_service_stmt_column_int64 (stmt, column) ? ESC_TRISTATE_YES : ESC_TRISTATE_NO;
}

static void
set_time_column (EscSupportRequest *request,
                 void             (*setter) (EscSupportRequest *, GDateTime *),
                 EscServiceStmt    *stmt,
                 int                column)
{
  g_autoptr(GDateTime) time = esc_time_parse (esc_service_stmt_column_text (stmt, column));

  setter (request, time);
}

EscServiceRequestRow *
esc_service_request_row_from_statement (EscServiceDb  *db,
                                        EscServiceStmt  *stmt,
                                        GError       **error)
{
  g_autoptr(EscServiceRequestRow) row = g_new0 (EscServiceRequestRow, 1);
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(JsonNode) contact_node = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) devices = NULL;
  g_auto(GStrv) attachments = NULL;
  EscSupportRequest *request;
  EscSupportRequestKind kind = ESC_SUPPORT_REQUEST_KIND_ADMIN;
  EscSupportRequestType type = ESC_SUPPORT_REQUEST_TYPE_INCIDENT;
  EscSupportSeverity severity = ESC_SUPPORT_SEVERITY_C;
  EscSupportEngagement engagement = ESC_SUPPORT_ENGAGEMENT_NONE;
  EscSupportRequestState state = ESC_SUPPORT_REQUEST_STATE_NEW;
  EscNextActionOwner owner = ESC_NEXT_ACTION_OWNER_NONE;

  row->seq = esc_service_stmt_column_int64 (stmt, 0);
  row->request = request = esc_support_request_new ();
  id = esc_service_request_format_id (row->seq);
  esc_support_request_set_id (request, id);

  /* The CHECK constraints keep these valid. */
  esc_support_request_kind_from_string (esc_service_stmt_column_text (stmt, 1), &kind);
  esc_support_request_type_from_string (esc_service_stmt_column_text (stmt, 2), &type);
  esc_support_severity_from_string (esc_service_stmt_column_text (stmt, 3), &severity);
  esc_support_engagement_from_string (esc_service_stmt_column_text (stmt, 4), &engagement);
  esc_support_request_state_from_string (esc_service_stmt_column_text (stmt, 21), &state);
  esc_next_action_owner_from_string (esc_service_stmt_column_text (stmt, 29), &owner);

  esc_support_request_set_kind (request, kind);
  esc_support_request_set_request_type (request, type);
  esc_support_request_set_severity (request, severity);
  esc_support_request_set_engagement (request, engagement);
  esc_support_request_set_category (request, esc_service_stmt_column_text (stmt, 5));
  esc_support_request_set_subcategory (request, esc_service_stmt_column_text (stmt, 6));
  esc_support_request_set_title (request, esc_service_stmt_column_text (stmt, 7));
  esc_support_request_set_description (request, esc_service_stmt_column_text (stmt, 8));

  contact_node = json_from_string (esc_service_stmt_column_text (stmt, 9), error);
  if (contact_node == NULL)
    return NULL;
  if (!(contact = esc_support_contact_new_from_json (contact_node, "/contact", NULL, error)))
    return NULL;
  esc_support_request_set_contact (request, contact);

  if (!esc_service_stmt_column_is_null (stmt, 10))
    esc_support_request_set_users_or_devices_impacted (request, esc_service_stmt_column_int64 (stmt, 10));
  esc_support_request_set_business_impact (request, esc_service_stmt_column_text (stmt, 11));
  set_time_column (request, esc_support_request_set_first_noticed_at, stmt, 12);
  esc_support_request_set_reproduced_on_unmanaged_device (request, tristate_column (stmt, 13));
  esc_support_request_set_end_user_support_engaged (request, tristate_column (stmt, 14));
  esc_support_request_set_troubleshooting_steps (request, esc_service_stmt_column_text (stmt, 15));
  esc_support_request_set_steps_to_reproduce (request, esc_service_stmt_column_text (stmt, 16));
  devices = strv_from_json_text (esc_service_stmt_column_text (stmt, 17));
  esc_support_request_set_devices (request, (const char * const *)devices);
  esc_support_request_set_related_ticket (request, esc_service_stmt_column_text (stmt, 18));
  esc_support_request_set_notes (request, esc_service_stmt_column_text (stmt, 19));
  attachments = strv_from_json_text (esc_service_stmt_column_text (stmt, 20));
  esc_support_request_set_attachments (request, (const char * const *)attachments);
  esc_support_request_set_state (request, state);
  esc_support_request_set_filer (request, esc_service_stmt_column_int64 (stmt, 22),
                                 esc_service_stmt_column_text (stmt, 23));
  set_time_column (request, esc_support_request_set_created_at, stmt, 24);
  set_time_column (request, esc_support_request_set_updated_at, stmt, 25);
  set_time_column (request, esc_support_request_set_response_due_at, stmt, 26);
  set_time_column (request, esc_support_request_set_resolved_at, stmt, 27);
  set_time_column (request, esc_support_request_set_closed_at, stmt, 28);
  esc_support_request_set_next_action_owner (request, owner);
  set_time_column (request, esc_support_request_set_next_action_at, stmt, 30);
  row->waiting_since = g_strdup (esc_service_stmt_column_text (stmt, 31));
  row->assigned = esc_service_stmt_column_int64 (stmt, 32) != 0;

  return g_steal_pointer (&row);
}

GPtrArray *
esc_service_request_load_timeline (EscServiceDb  *db,
                                   gint64         seq,
                                   GError       **error)
{
  g_autoptr(GPtrArray) timeline = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_support_request_event_free);
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "SELECT e.id, e.at, e.kind, e.actor_id, p.name, e.text,"
                                              " e.from_state, e.to_state, e.from_severity, e.to_severity"
                                              " FROM support_request_events e"
                                              " LEFT JOIN people p ON p.id = e.actor_id"
                                              " WHERE e.request_seq = ?1 ORDER BY e.id",
                                              error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, seq);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      EscSupportRequestEvent *event = esc_support_request_event_new ();

      event->id = esc_service_stmt_column_int64 (stmt, 0);
      event->at = esc_time_parse (esc_service_stmt_column_text (stmt, 1));
      event->kind = g_strdup (esc_service_stmt_column_text (stmt, 2));
      event->actor_id = esc_service_stmt_column_int64 (stmt, 3);
      event->actor_name = g_strdup (esc_service_stmt_column_text (stmt, 4));
      event->text = g_strdup (esc_service_stmt_column_text (stmt, 5));
      event->from_state = g_strdup (esc_service_stmt_column_text (stmt, 6));
      event->to_state = g_strdup (esc_service_stmt_column_text (stmt, 7));
      event->from_severity = g_strdup (esc_service_stmt_column_text (stmt, 8));
      event->to_severity = g_strdup (esc_service_stmt_column_text (stmt, 9));
      g_ptr_array_add (timeline, event);
    }

  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return g_steal_pointer (&timeline);
}

/* Returns the row, or NULL with %ESC_SERVICE_ERROR_NOT_FOUND (or another error). */
EscServiceRequestRow *
esc_service_request_row_load (EscServiceDb  *db,
                              gint64         seq,
                              gboolean       with_timeline,
                              GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(EscServiceRequestRow) row = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "SELECT " ESC_SERVICE_REQUEST_ROW_COLUMNS " FROM support_requests r"
                                              " JOIN people p ON p.id = r.filer_id WHERE r.seq = ?1",
                                              error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, seq);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND, "no support request %" G_GINT64_FORMAT, seq);
      return NULL;
    }
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  if (!(row = esc_service_request_row_from_statement (db, stmt, error)))
    return NULL;

  if (with_timeline)
    {
      g_autoptr(GPtrArray) timeline = esc_service_request_load_timeline (db, seq, error);

      if (timeline == NULL)
        return NULL;
      esc_support_request_set_timeline (row->request, timeline);
    }

  return g_steal_pointer (&row);
}

/* Writes the mutable columns of @row back. */
gboolean
esc_service_request_row_save (EscServiceDb          *db,
                              EscServiceRequestRow  *row,
                              GError               **error)
{
  EscSupportRequest *request = row->request;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autofree char *contact = esc_service_request_contact_to_json_text (esc_support_request_get_contact (request));
  g_autofree char *attachments = esc_service_request_strv_to_json_text (esc_support_request_get_attachments (request));
  g_autofree char *updated_at = esc_service_format_timestamp (esc_support_request_get_updated_at (request));
  g_autofree char *due_at = esc_service_format_timestamp (esc_support_request_get_response_due_at (request));
  g_autofree char *resolved_at = NULL;
  g_autofree char *closed_at = NULL;
  g_autofree char *next_action_at = NULL;

  if (esc_support_request_get_resolved_at (request) != NULL)
    resolved_at = esc_service_format_timestamp (esc_support_request_get_resolved_at (request));
  if (esc_support_request_get_closed_at (request) != NULL)
    closed_at = esc_service_format_timestamp (esc_support_request_get_closed_at (request));
  if (esc_support_request_get_next_action_at (request) != NULL)
    next_action_at = esc_service_format_timestamp (esc_support_request_get_next_action_at (request));

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "UPDATE support_requests SET severity = ?2, engagement = ?3,"
                                              " contact = ?4, notes = ?5, attachments = ?6, state = ?7,"
                                              " updated_at = ?8, response_due_at = ?9, resolved_at = ?10,"
                                              " closed_at = ?11, next_action_owner = ?12, next_action_at = ?13,"
                                              " waiting_since = ?14, assigned = ?15"
                                              " WHERE seq = ?1",
                                              error)))
    return FALSE;

  esc_service_stmt_bind_int64 (stmt, 1, row->seq);
  esc_service_stmt_bind_text (stmt, 2, esc_support_severity_to_string (esc_support_request_get_severity (request)));
  esc_service_stmt_bind_text (stmt, 3, esc_support_engagement_to_string (esc_support_request_get_engagement (request)));
  esc_service_stmt_bind_text (stmt, 4, contact);
  esc_service_stmt_bind_text (stmt, 5, esc_support_request_get_notes (request));
  esc_service_stmt_bind_text (stmt, 6, attachments);
  esc_service_stmt_bind_text (stmt, 7, esc_support_request_state_to_string (esc_support_request_get_state (request)));
  esc_service_stmt_bind_text (stmt, 8, updated_at);
  esc_service_stmt_bind_text (stmt, 9, due_at);
  esc_service_stmt_bind_text (stmt, 10, resolved_at);
  esc_service_stmt_bind_text (stmt, 11, closed_at);
  esc_service_stmt_bind_text (stmt, 12, esc_next_action_owner_to_string (esc_support_request_get_next_action_owner (request)));
  esc_service_stmt_bind_text (stmt, 13, next_action_at);
  esc_service_stmt_bind_text (stmt, 14, row->waiting_since);
  esc_service_stmt_bind_int64 (stmt, 15, row->assigned ? 1 : 0);

  return esc_service_db_step_done (db, stmt, error);
}

#define INSERT_EVENT_SQL \
  "INSERT INTO support_request_events" \
  " (request_seq, at, kind, actor_id, text, from_state, to_state, from_severity, to_severity)" \
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"

static EscServiceStmt *
prepare_event (EscServiceDb                  *db,
               gint64                         seq,
               const EscServiceRequestEvent  *event,
               gboolean                       returning_id,
               GError                       **error)
{
  g_autofree char *at = esc_service_format_timestamp (event->at);
  EscServiceStmt *stmt;

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              returning_id ? INSERT_EVENT_SQL " RETURNING id" : INSERT_EVENT_SQL,
                                              error)))
    return NULL;

  esc_service_stmt_bind_int64 (stmt, 1, seq);
  esc_service_stmt_bind_text (stmt, 2, at);
  esc_service_stmt_bind_text (stmt, 3, event->kind);
  if (event->actor_id > 0)
    esc_service_stmt_bind_int64 (stmt, 4, event->actor_id);
  else
    esc_service_stmt_bind_null (stmt, 4);
  esc_service_stmt_bind_text (stmt, 5, event->text);
  esc_service_stmt_bind_text (stmt, 6, event->from_state);
  esc_service_stmt_bind_text (stmt, 7, event->to_state);
  esc_service_stmt_bind_text (stmt, 8, event->from_severity);
  esc_service_stmt_bind_text (stmt, 9, event->to_severity);

  return stmt;
}

gint64
esc_service_request_add_event (EscServiceDb                  *db,
                               gint64                         seq,
                               const EscServiceRequestEvent  *event,
                               GError                       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = prepare_event (db, seq, event, TRUE, error);

  if (stmt == NULL)
    return 0;

  return esc_service_db_step_returning_id (db, stmt, error);
}

gboolean
esc_service_request_record_event (EscServiceDb                  *db,
                                  gint64                         seq,
                                  const EscServiceRequestEvent  *event,
                                  GError                       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = prepare_event (db, seq, event, FALSE, error);

  return stmt != NULL && esc_service_db_step_later (db, stmt, error);
}

JsonNode *
esc_service_request_audit_details (gint64      seq,
                                   const char *first_key,
                                   ...)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *id = esc_service_request_format_id (seq);
  const char *key = first_key;
  va_list args;

  json_object_set_string_member (object, "id", id);

  va_start (args, first_key);
  while (key != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value != NULL)
        json_object_set_string_member (object, key, value);
      else
        json_object_set_null_member (object, key);
      key = va_arg (args, const char *);
    }
  va_end (args);

  json_node_set_object (node, object);
  return node;
}

/* The 48-hour rule */

/* Mitigates and closes every request waiting on its filer for longer than
 * the setting, as of @now. The events are dated when the time ran out;
 * updated_at is @now so that incremental sync sees the change. */
gboolean
esc_service_request_close_unresponsive (EscServiceDb  *db,
                                        GDateTime     *now,
                                        GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDateTime) cutoff = NULL;
  g_autofree char *cutoff_text = NULL;
  gint64 hours;
  int rc;

  hours = esc_service_db_get_setting_int (db, "support.unresponsive-close-hours", 48);
  cutoff = g_date_time_add_hours (now, -(int)CLAMP (hours, 0, 24 * 365));
  cutoff_text = esc_service_format_timestamp (cutoff);

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "SELECT seq FROM support_requests"
                                              " WHERE state = 'waiting-on-customer' AND waiting_since <= ?1",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, cutoff_text);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      gint64 seq = esc_service_stmt_column_int64 (stmt, 0);

      g_array_append_val (due, seq);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);
  g_clear_pointer (&stmt, esc_service_stmt_release);

  if (due->len == 0)
    return TRUE;

  if (!esc_service_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < due->len; i++)
    {
      g_autoptr(EscServiceRequestRow) row = NULL;
      g_autoptr(GDateTime) waiting_since = NULL;
      g_autoptr(GDateTime) ran_out = NULL;
      g_autoptr(JsonNode) details = NULL;
      g_autofree char *text = NULL;
      g_autofree char *target = NULL;
      EscSupportRequest *request;
      EscServiceAuditEvent audit = { 0, };
      EscServiceRequestEvent mitigated = { 0, };
      EscServiceRequestEvent closed = { 0, };

      if (!(row = esc_service_request_row_load (db, g_array_index (due, gint64, i), FALSE, error)))
        goto failed;
      request = row->request;

      waiting_since = esc_time_parse (row->waiting_since);
      ran_out = g_date_time_add_hours (waiting_since, (int)hours);
      /* Translators: a note in the request's history, written when the filer has not
       * answered a request for more information within this many hours */
      text = g_strdup_printf (ngettext ("No answer from the filer %d hour after the last request "
                                        "for action: mitigated and closed.",
                                        "No answer from the filer %d hours after the last request "
                                        "for action: mitigated and closed.",
                                        (gulong)hours),
                              (int)hours);

      mitigated.kind = "state-changed";
      mitigated.text = text;
      mitigated.from_state = "waiting-on-customer";
      mitigated.to_state = "mitigated";
      mitigated.at = ran_out;
      closed.kind = "state-changed";
      closed.from_state = "mitigated";
      closed.to_state = "closed";
      closed.at = ran_out;

      esc_support_request_set_state (request, ESC_SUPPORT_REQUEST_STATE_CLOSED);
      esc_support_request_set_closed_at (request, ran_out);
      esc_support_request_set_updated_at (request, now);
      esc_support_request_set_next_action_owner (request, ESC_NEXT_ACTION_OWNER_NONE);
      esc_support_request_set_next_action_at (request, NULL);
      g_clear_pointer (&row->waiting_since, g_free);

      target = esc_service_request_location (row->seq);
      details = esc_service_request_audit_details (row->seq, "from_state", "waiting-on-customer", "to_state", "closed", NULL);
      audit.actor_name = "escalade-service";
      audit.action = "support-request.closed-unresponsive";
      audit.target = target;
      audit.details = details;
      audit.at = now;

      if (!esc_service_request_row_save (db, row, error) ||
          !esc_service_request_add_event (db, row->seq, &mitigated, error) ||
          !esc_service_request_add_event (db, row->seq, &closed, error) ||
          !esc_service_db_audit_append (db, &audit, error))
        goto failed;
    }

  if (!esc_service_db_commit (db, error))
    goto failed;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}
