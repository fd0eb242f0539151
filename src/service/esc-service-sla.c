/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include "esc-calendar.h"
#include "esc-sla-agreement.h"
#include "esc-service-sla.h"

/* SLAs for user support, shared by both parties so that they read and accept
 * the same text.
 *
 * Calendars (/v1/sla-calendars/{id}): it-admin and partner-manager read and
 * write them; the service's own admin support hours ("admin-hours") only
 * it-admin changes. Agreements (/v1/sla-agreements/{id}) have versions:
 * a partner manager writes a draft; an IT administrator and a partner
 * manager each accept it (recorded with the time); accepted by both it is
 * agreed, and the version agreed before it is superseded. Editing a draft
 * withdraws the acceptances it had. Only it-admin retires an agreed version.
 * Nothing is deleted: the versions are the history. Every change is audited;
 * GET answers an ETag, and PUT and accept honour If-Match (412 when stale). */

#define ADMIN_HOURS_ID "admin-hours"
#define MAX_ID_CHARS 64

static const guint readers = ESC_SERVICE_ROLE_IT_ADMIN | ESC_SERVICE_ROLE_PARTNER_MANAGER;

/* Helpers */

static gboolean
calendar_id_is_valid (const char *id)
{
  gsize length = strlen (id);

  if (length == 0 || length > MAX_ID_CHARS || id[0] == '-' || id[length - 1] == '-')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
        return FALSE;
    }
  return TRUE;
}

void
esc_service_sla_set_etag (EscServiceContext *ctx,
                          const char        *kind,
                          gint64             revision)
{
  g_autofree char *etag = g_strdup_printf ("\"%s-%" G_GINT64_FORMAT "\"", kind, revision);

  soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg), "ETag", etag);
}

/* FALSE after answering 412 if the request's If-Match names another
 * revision (or any revision of a row that does not exist: @revision 0). */
gboolean
esc_service_sla_check_if_match (EscServiceContext *ctx,
                                const char        *kind,
                                gint64             revision)
{
  const char *if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (ctx->msg),
                                                       "If-Match");
  g_autofree char *etag = NULL;
  g_auto(GStrv) tags = NULL;

  if (if_match == NULL)
    return TRUE;
  if (revision > 0)
    {
      etag = g_strdup_printf ("\"%s-%" G_GINT64_FORMAT "\"", kind, revision);
      tags = g_strsplit (if_match, ",", -1);
      for (guint i = 0; tags[i] != NULL; i++)
        {
          const char *tag = g_strstrip (tags[i]);

          if (g_strcmp0 (tag, "*") == 0 || g_strcmp0 (tag, etag) == 0)
            return TRUE;
        }
    }

  esc_service_context_rollback (ctx);
  esc_service_send_problem (ctx, SOUP_STATUS_PRECONDITION_FAILED, "precondition-failed",
                            "Precondition Failed",
                            "This was changed since you read it (If-Match: %s); read it again "
                            "and redo your change on what is there now.", if_match);
  return FALSE;
}

/* 422 naming the member a core reader refused. */
void
esc_service_sla_send_core_error (EscServiceContext *ctx,
                                 const GError      *error)
{
  g_autofree char *pointer = esc_sla_error_dup_pointer (error);

  esc_service_send_invalid_field (ctx, pointer != NULL ? pointer : "", "invalid-field",
                                  "Invalid Field", error->message);
}

static gboolean
send_db_error (EscServiceContext *ctx,
               GError            *error)
{
  esc_service_send_internal_error (ctx, error);
  return FALSE;
}

static JsonNode *
parse_text (const char *text)
{
  return text != NULL ? json_from_string (text, NULL) : NULL;
}

static char *
node_to_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static const char *
person_name (EscServiceDb *db,
             gint64        id,
             char        **out)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;

  *out = NULL;
  if (id <= 0 || !(stmt = esc_service_db_prepare_cached (db, "SELECT name FROM people WHERE id = ?1", NULL)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, id);
  if (esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW)
    *out = g_strdup (esc_service_stmt_column_text (stmt, 0));
  return *out;
}

/* Makes the answer's JSON of the row @stmt is on; NULL skips the row. */
typedef JsonNode *(*RowToJson) (EscServiceDb *db,
                                EscServiceStmt *stmt);

/* Steps @stmt to its end and answers 200 {"id": @id (if not NULL),
 * @member: [each row as @row makes it]}; 500 on a database error. */
static void
send_rows (EscServiceContext *ctx,
           EscServiceStmt    *stmt,
           const char        *id,
           const char        *member,
           RowToJson          row)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  json_builder_begin_object (builder);
  if (id != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
    }
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      JsonNode *node = row (ctx->db, stmt);

      if (node != NULL)
        json_builder_add_value (builder, node);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      send_db_error (ctx, error);
      return;
    }

  root = json_builder_get_root (builder);
  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

/* Calendars */

/* The stored calendar @id: its body (a new string) and revision; FALSE with
 * no error if there is none. */
static gboolean
load_calendar (EscServiceDb  *db,
               const char    *id,
               char         **body,
               gint64        *revision,
               GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autofree char *memo_key = g_strconcat ("sla_calendars:", id, NULL);
  const char *memo;
  gboolean found;
  char *end;
  int rc;

  *body = NULL;
  *revision = 0;

  /* Read once per group commit on PostgreSQL: "REVISION BODY", or "" for
   * none; handle_put_calendar() forgets it */
  memo = esc_service_db_txn_memo (db, memo_key, &found);
  if (found)
    {
      if (memo == NULL || memo[0] == '\0')
        return FALSE;
      *revision = g_ascii_strtoll (memo, &end, 10);
      *body = g_strdup (end + 1);
      return TRUE;
    }

  if (!(stmt = esc_service_db_prepare_cached (db, "SELECT body, revision FROM sla_calendars WHERE id = ?1",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, id);
  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    {
      g_autofree char *noted = NULL;

      *body = g_strdup (esc_service_stmt_column_text (stmt, 0));
      *revision = esc_service_stmt_column_int64 (stmt, 1);
      noted = g_strdup_printf ("%" G_GINT64_FORMAT " %s", *revision, *body ? *body : "");
      esc_service_db_txn_memo_set (db, memo_key, noted);
      return TRUE;
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    esc_service_db_set_error (db, error);
  else
    esc_service_db_txn_memo_set (db, memo_key, "");
  return FALSE;
}

static EscCalendar *
calendar_from_body (const char  *id,
                    const char  *body,
                    GError     **error)
{
  g_autoptr(JsonNode) node = parse_text (body);
  EscCalendar *calendar;

  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "calendar %s is not JSON", id);
      return NULL;
    }
  if ((calendar = esc_calendar_new_from_json (node, error)) != NULL)
    esc_calendar_set_id (calendar, id);
  return calendar;
}

/* The admin hours calendar last read from @db, kept with the text it was
 * read from: every filing needs it, and reading its JSON again cost more
 * than the rest of a due date's computation */
typedef struct
{
  char        *body;
  EscCalendar *calendar;
} ParsedCalendar;

static void
parsed_calendar_free (ParsedCalendar *parsed)
{
  g_free (parsed->body);
  g_clear_object (&parsed->calendar);
  g_free (parsed);
}

/* Returns: (transfer full) (nullable): the calendar stored as "admin-hours",
 * or %NULL if there is none or it cannot be read. Not to be changed: it may
 * be handed out again. */
EscCalendar *
esc_service_admin_hours_calendar (EscServiceDb *db)
{
  static const char cache_key[] = "esc-service-admin-hours-calendar";
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  ParsedCalendar *parsed;
  gint64 revision;
  EscCalendar *calendar;

  if (!load_calendar (db, ADMIN_HOURS_ID, &body, &revision, &error))
    {
      g_debug ("No admin support hours calendar: %s", error != NULL ? error->message : "none stored");
      return NULL;
    }

  parsed = g_object_get_data (G_OBJECT (db), cache_key);
  if (parsed != NULL && g_strcmp0 (parsed->body, body) == 0)
    return parsed->calendar ? g_object_ref (parsed->calendar) : NULL;

  if (!(calendar = calendar_from_body (ADMIN_HOURS_ID, body, &error)))
    g_debug ("The admin support hours calendar cannot be read: %s", error->message);

  parsed = g_new0 (ParsedCalendar, 1);
  parsed->body = g_steal_pointer (&body);
  parsed->calendar = calendar ? g_object_ref (calendar) : NULL;
  g_object_set_data_full (G_OBJECT (db), cache_key, parsed, (GDestroyNotify)parsed_calendar_free);

  return calendar;
}

static JsonNode *
calendar_answer (const char *id,
                 const char *body)
{
  g_autoptr(EscCalendar) calendar = calendar_from_body (id, body, NULL);

  return calendar != NULL ? esc_calendar_to_json (calendar) : NULL;
}

/* A row (id, body) of sla_calendars; an unreadable one is left out */
static JsonNode *
calendar_row (EscServiceDb *db,
              EscServiceStmt *stmt)
{
  return calendar_answer (esc_service_stmt_column_text (stmt, 0), esc_service_stmt_column_text (stmt, 1));
}

static void
handle_list_calendars (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db, "SELECT id, body FROM sla_calendars ORDER BY id", &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  send_rows (ctx, stmt, NULL, "items", calendar_row);
}

static void
handle_get_calendar (EscServiceContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *body = NULL;
  gint64 revision;

  if (!load_calendar (ctx->db, ctx->params[0], &body, &revision, &error))
    {
      if (error != NULL)
        send_db_error (ctx, error);
      else
        esc_service_send_not_found (ctx);
      return;
    }
  if (!(answer = calendar_answer (ctx->params[0], body)))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "calendar %s is garbled", ctx->params[0]);
      send_db_error (ctx, error);
      return;
    }

  esc_service_sla_set_etag (ctx, "calendar", revision);
  esc_service_send_json (ctx, SOUP_STATUS_OK, answer);
}

static void
handle_put_calendar (EscServiceContext *ctx)
{
  const char *id = ctx->params[0];
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) previous = NULL;
  g_autoptr(EscCalendar) calendar = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonNode) details_node = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_body = NULL;
  g_autofree char *new_body = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *location = g_strconcat ("/v1/sla-calendars/", id, NULL);
  g_autoptr(JsonNode) stored_node = NULL;
  gint64 revision;
  gboolean exists;

  if (!calendar_id_is_valid (id))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found",
                                "“%s” is not a calendar id: 1 to 64 lower-case letters, digits "
                                "and “-”.", id);
      return;
    }
  if (g_strcmp0 (id, ADMIN_HOURS_ID) == 0 && !esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN))
    {
      esc_service_send_forbidden (ctx, "Only an IT administrator changes the admin support hours.");
      return;
    }
  if (!(body = esc_service_context_read_object (ctx)))
    return;
  if (json_object_has_member (body, "id") &&
      g_strcmp0 (json_object_get_string_member_with_default (body, "id", ""), id) != 0)
    {
      esc_service_send_invalid_field (ctx, "/id", "invalid-field", "Invalid Field",
                                      "“id” must be the calendar’s id in the path, or absent.");
      return;
    }

  node = json_node_init_object (json_node_alloc (), body);
  if (!(calendar = esc_calendar_new_from_json (node, &error)))
    {
      esc_service_sla_send_core_error (ctx, error);
      return;
    }
  esc_calendar_set_id (calendar, id);

  if (!esc_service_context_begin (ctx))
    return;
  exists = load_calendar (ctx->db, id, &old_body, &revision, &error);
  if (error != NULL)
    {
      send_db_error (ctx, error);
      return;
    }
  if (!esc_service_sla_check_if_match (ctx, "calendar", revision))
    return;

  /* Stored without its id, which is the key; answered as core writes it */
  answer = esc_calendar_to_json (calendar);
  stored_node = esc_calendar_to_json (calendar);
  json_object_remove_member (json_node_get_object (stored_node), "id");
  new_body = node_to_text (stored_node);

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "INSERT INTO sla_calendars (id, body, revision, updated_at, updated_by)"
                                              " VALUES (?1, ?2, 1, ?3, ?4)"
                                              " ON CONFLICT (id) DO UPDATE SET body = ?2, revision = sla_calendars.revision + 1,"
                                              "  updated_at = ?3, updated_by = ?4",
                                              &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, id);
  esc_service_stmt_bind_text (stmt, 2, new_body);
  esc_service_stmt_bind_text (stmt, 3, now);
  esc_service_stmt_bind_int64 (stmt, 4, ctx->caller->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error))
    {
      send_db_error (ctx, error);
      return;
    }
  {
    g_autofree char *memo_key = g_strconcat ("sla_calendars:", id, NULL);

    esc_service_db_txn_memo_forget (ctx->db, memo_key);
  }

  json_builder_begin_object (details);
  json_builder_set_member_name (details, "calendar");
  json_builder_add_value (details, json_node_copy (answer));
  json_builder_set_member_name (details, "previous");
  if (exists && (previous = parse_text (old_body)) != NULL)
    json_builder_add_value (details, g_steal_pointer (&previous));
  else
    json_builder_add_null_value (details);
  json_builder_end_object (details);
  details_node = json_builder_get_root (details);
  if (!esc_service_context_audit (ctx, exists ? "sla-calendar.updated" : "sla-calendar.created",
                                  location, details_node, &error))
    {
      send_db_error (ctx, error);
      return;
    }

  esc_service_sla_set_etag (ctx, "calendar", revision + 1);
  esc_service_context_commit_json (ctx, exists ? SOUP_STATUS_OK : SOUP_STATUS_CREATED, answer,
                                   exists ? NULL : location);
}

/* Agreements */

static char *
format_agreement_id (gint64 seq)
{
  return g_strdup_printf ("SLA-%06" G_GINT64_FORMAT, seq);
}

/* "SLA-000012" → 12; 0 if not an id */
static gint64
parse_agreement_id (const char *id)
{
  guint64 seq;

  if (id == NULL || !g_str_has_prefix (id, "SLA-") || strlen (id) < 10 || strlen (id) > 22)
    return 0;
  for (const char *p = id + 4; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return 0;
    }
  if (!g_ascii_string_to_unsigned (id + 4, 10, 1, G_MAXINT64, &seq, NULL))
    return 0;
  return (gint64)seq;
}

static gint64
parse_version (const char *text)
{
  guint64 version;

  if (text == NULL || !g_ascii_isdigit (text[0]) ||
      !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT32, &version, NULL))
    return 0;
  return (gint64)version;
}

#define VERSION_COLUMNS \
  "agreement_seq, version, state, terms, revision, created_at, created_by," \
  " it_admin_accepted_at, it_admin_accepted_by, partner_accepted_at, partner_accepted_by," \
  " agreed_at, superseded_at, retired_at, retired_by"

typedef struct
{
  gint64 seq;
  gint64 version;
  char *state;
  char *terms;
  gint64 revision;
} VersionRow;

static void
version_row_clear (VersionRow *row)
{
  g_clear_pointer (&row->state, g_free);
  g_clear_pointer (&row->terms, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VersionRow, version_row_clear)

static char *
person_at (EscServiceDb *db,
           EscServiceStmt *stmt,
           int           column)
{
  char *name = NULL;

  if (!esc_service_stmt_column_is_null (stmt, column))
    person_name (db, esc_service_stmt_column_int64 (stmt, column), &name);
  return name;
}

/* The SlaAgreementVersion of the row @stmt is on (VERSION_COLUMNS), written
 * by core's codec: the stored terms, then what the service records. NULL
 * (the row left out) if the stored terms cannot be read. */
static JsonNode *
version_from_row (EscServiceDb *db,
                  EscServiceStmt *stmt)
{
  g_autoptr(JsonNode) terms = parse_text (esc_service_stmt_column_text (stmt, 3));
  g_autoptr(EscSlaAgreementVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = format_agreement_id (esc_service_stmt_column_int64 (stmt, 0));
  g_autofree char *created_by = person_at (db, stmt, 6);
  g_autofree char *it_admin = person_at (db, stmt, 8);
  g_autofree char *partner = person_at (db, stmt, 10);
  g_autofree char *retired_by = person_at (db, stmt, 14);
  g_autoptr(GDateTime) created_at = esc_service_stmt_column_time (stmt, 5);
  g_autoptr(GDateTime) it_admin_at = esc_service_stmt_column_time (stmt, 7);
  g_autoptr(GDateTime) partner_at = esc_service_stmt_column_time (stmt, 9);
  g_autoptr(GDateTime) agreed_at = esc_service_stmt_column_time (stmt, 11);
  g_autoptr(GDateTime) superseded_at = esc_service_stmt_column_time (stmt, 12);
  g_autoptr(GDateTime) retired_at = esc_service_stmt_column_time (stmt, 13);
  EscSlaVersionState state;

  /* Read as stored (not as a new draft is checked): terms written by an
   * older release stay readable */
  if (!(version = esc_sla_agreement_version_new_from_json (terms, FALSE, &error)))
    {
      g_warning ("The terms of %s version %" G_GINT64_FORMAT " cannot be read: %s", id,
                 (gint64)esc_service_stmt_column_int64 (stmt, 1), error->message);
      return NULL;
    }
  if (!esc_sla_version_state_from_string (esc_service_stmt_column_text (stmt, 2), &state))
    state = ESC_SLA_VERSION_DRAFT;

  esc_sla_agreement_version_set_agreement_id (version, id);
  esc_sla_agreement_version_set_version (version, (guint)esc_service_stmt_column_int64 (stmt, 1));
  esc_sla_agreement_version_set_state (version, state);
  esc_sla_agreement_version_set_created (version, created_at, created_by);
  esc_sla_agreement_version_set_acceptance (version, TRUE, it_admin, it_admin_at);
  esc_sla_agreement_version_set_acceptance (version, FALSE, partner, partner_at);
  esc_sla_agreement_version_set_agreed_at (version, agreed_at);
  esc_sla_agreement_version_set_superseded_at (version, superseded_at);
  esc_sla_agreement_version_set_retired (version, retired_at, retired_by);
  return esc_sla_agreement_version_to_json (version);
}

/* The version's JSON and row; NULL without error if there is none. */
static JsonNode *
load_version (EscServiceDb  *db,
              gint64         seq,
              gint64         version,
              VersionRow    *row,
              GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (db, "SELECT " VERSION_COLUMNS " FROM sla_agreement_versions"
                                              " WHERE agreement_seq = ?1 AND version = ?2", error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, seq);
  esc_service_stmt_bind_int64 (stmt, 2, version);
  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    {
      if (row != NULL)
        {
          row->seq = seq;
          row->version = version;
          row->state = g_strdup (esc_service_stmt_column_text (stmt, 2));
          row->terms = g_strdup (esc_service_stmt_column_text (stmt, 3));
          row->revision = esc_service_stmt_column_int64 (stmt, 4);
        }
      return version_from_row (db, stmt);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    esc_service_db_set_error (db, error);
  return NULL;
}

static gboolean
agreement_exists (EscServiceDb  *db,
                  gint64         seq,
                  GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (db, "SELECT 1 FROM sla_agreements WHERE seq = ?1", error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, seq);
  rc = esc_service_stmt_step (stmt);
  if (rc != ESC_SERVICE_STMT_ROW && rc != ESC_SERVICE_STMT_DONE)
    esc_service_db_set_error (db, error);
  return rc == ESC_SERVICE_STMT_ROW;
}

/* Reads and checks draft terms from the body: their canonical text, or NULL
 * after answering 4xx. */
static char *
read_terms (EscServiceContext *ctx)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) terms = NULL;
  g_autoptr(EscSlaAgreementVersion) version = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *calendar_body = NULL;
  gint64 revision;

  if (!(body = esc_service_context_read_object (ctx)))
    return NULL;
  node = json_node_init_object (json_node_alloc (), body);
  if (!(version = esc_sla_agreement_version_new_from_json (node, TRUE, &error)))
    {
      esc_service_sla_send_core_error (ctx, error);
      return NULL;
    }
  if (!load_calendar (ctx->db, esc_sla_agreement_version_get_calendar_id (version), &calendar_body,
                      &revision, &error))
    {
      if (error != NULL)
        send_db_error (ctx, error);
      else
        esc_service_send_invalid_field (ctx, "/calendar_id", "invalid-field", "Invalid Field",
                                        "No calendar has this id: create it under /v1/sla-calendars first.");
      return NULL;
    }

  terms = esc_sla_agreement_version_terms_to_json (version);
  return node_to_text (terms);
}

static gboolean
audit_version (EscServiceContext *ctx,
               const char        *action,
               gint64             seq,
               gint64             version,
               JsonNode          *answer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = format_agreement_id (seq);
  g_autofree char *target = g_strdup_printf ("/v1/sla-agreements/%s/versions/%" G_GINT64_FORMAT, id, version);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_value (builder, json_node_copy (answer));
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!esc_service_context_audit (ctx, action, target, details, &error))
    return send_db_error (ctx, error);
  return TRUE;
}

static char *
version_location (gint64 seq,
                  gint64 version)
{
  g_autofree char *id = format_agreement_id (seq);

  return g_strdup_printf ("/v1/sla-agreements/%s/versions/%" G_GINT64_FORMAT, id, version);
}

static gboolean
insert_version (EscServiceContext  *ctx,
                gint64              seq,
                gint64              version,
                const char         *terms,
                GError            **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "INSERT INTO sla_agreement_versions"
                                              " (agreement_seq, version, state, terms, created_at, created_by)"
                                              " VALUES (?1, ?2, 'draft', ?3, ?4, ?5)", error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, seq);
  esc_service_stmt_bind_int64 (stmt, 2, version);
  esc_service_stmt_bind_text (stmt, 3, terms);
  esc_service_stmt_bind_text (stmt, 4, now);
  esc_service_stmt_bind_int64 (stmt, 5, ctx->caller->id);
  return esc_service_db_step_done (ctx->db, stmt, error);
}

static void
handle_create_agreement (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *terms = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *location = NULL;
  gint64 seq;

  if (!(terms = read_terms (ctx)))
    return;
  if (!esc_service_context_begin (ctx))
    return;
  if (!(stmt = esc_service_db_prepare_cached (ctx->db, "INSERT INTO sla_agreements (created_at, created_by)"
                                                " VALUES (?1, ?2) RETURNING seq", &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, now);
  esc_service_stmt_bind_int64 (stmt, 2, ctx->caller->id);
  if (!(seq = esc_service_db_step_returning_id (ctx->db, stmt, &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  if (!insert_version (ctx, seq, 1, terms, &error) ||
      !(answer = load_version (ctx->db, seq, 1, NULL, &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  if (!audit_version (ctx, "sla-agreement.created", seq, 1, answer))
    return;

  location = version_location (seq, 1);
  esc_service_sla_set_etag (ctx, "version", 1);
  esc_service_context_commit_json (ctx, SOUP_STATUS_CREATED, answer, location);
}

/* An agreement with its latest version, the version in force and the draft */
static JsonNode *
agreement_row (EscServiceDb *db,
               EscServiceStmt *stmt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *id = format_agreement_id (esc_service_stmt_column_int64 (stmt, 0));
  const char *members[] = { "latest_version", "agreed_version", "draft_version" };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, esc_service_stmt_column_text (stmt, 1));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      json_builder_set_member_name (builder, members[i]);
      if (esc_service_stmt_column_is_null (stmt, 2 + (int)i))
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, esc_service_stmt_column_int64 (stmt, 2 + (int)i));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
handle_list_agreements (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "SELECT a.seq, a.created_at,"
                                              "  (SELECT MAX (version) FROM sla_agreement_versions v WHERE v.agreement_seq = a.seq),"
                                              "  (SELECT version FROM sla_agreement_versions v WHERE v.agreement_seq = a.seq"
                                              "     AND v.state = 'agreed'),"
                                              "  (SELECT version FROM sla_agreement_versions v WHERE v.agreement_seq = a.seq"
                                              "     AND v.state = 'draft')"
                                              " FROM sla_agreements a ORDER BY a.seq", &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  send_rows (ctx, stmt, NULL, "items", agreement_row);
}

/* The agreement of the path, or 0 after answering 404 or 500. */
static gint64
path_agreement (EscServiceContext *ctx)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = parse_agreement_id (ctx->params[0]);

  if (seq > 0 && agreement_exists (ctx->db, seq, &error))
    return seq;
  if (error != NULL)
    send_db_error (ctx, error);
  else
    esc_service_send_not_found (ctx);
  return 0;
}

static void
handle_get_agreement (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq;

  if ((seq = path_agreement (ctx)) == 0)
    return;
  if (!(stmt = esc_service_db_prepare_cached (ctx->db, "SELECT " VERSION_COLUMNS " FROM sla_agreement_versions"
                                                       " WHERE agreement_seq = ?1 ORDER BY version", &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (stmt, 1, seq);
  send_rows (ctx, stmt, ctx->params[0], "versions", version_from_row);
}

static void
handle_create_version (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *terms = NULL;
  g_autofree char *location = NULL;
  gint64 seq, version;

  if ((seq = path_agreement (ctx)) == 0)
    return;
  if (!(terms = read_terms (ctx)))
    return;
  if (!esc_service_context_begin (ctx))
    return;
  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "SELECT MAX (version), SUM (CASE WHEN state = 'draft' THEN 1 ELSE 0 END) FROM sla_agreement_versions"
                                              " WHERE agreement_seq = ?1", &error)) ||
      (esc_service_stmt_bind_int64 (stmt, 1, seq), esc_service_stmt_step (stmt)) != ESC_SERVICE_STMT_ROW)
    {
      if (error == NULL)
        esc_service_db_set_error (ctx->db, &error);
      send_db_error (ctx, error);
      return;
    }
  if (esc_service_stmt_column_int64 (stmt, 1) > 0)
    {
      esc_service_context_rollback (ctx);
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "draft-exists", "Conflict",
                                "This agreement already has a draft: edit it, or have it accepted, "
                                "before starting another.");
      return;
    }
  version = esc_service_stmt_column_int64 (stmt, 0) + 1;
  if (!insert_version (ctx, seq, version, terms, &error) ||
      !(answer = load_version (ctx->db, seq, version, NULL, &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  if (!audit_version (ctx, "sla-agreement-version.drafted", seq, version, answer))
    return;

  location = version_location (seq, version);
  esc_service_sla_set_etag (ctx, "version", 1);
  esc_service_context_commit_json (ctx, SOUP_STATUS_CREATED, answer, location);
}

/* The version of the path: its row, or FALSE after answering 404 or 500. */
static gboolean
path_version (EscServiceContext  *ctx,
              VersionRow         *row,
              JsonNode          **answer)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = parse_agreement_id (ctx->params[0]);
  gint64 version = parse_version (ctx->params[1]);

  *answer = NULL;
  if (seq > 0 && version > 0 && (*answer = load_version (ctx->db, seq, version, row, &error)) != NULL)
    return TRUE;
  if (error != NULL)
    send_db_error (ctx, error);
  else
    {
      esc_service_context_rollback (ctx);
      esc_service_send_not_found (ctx);
    }
  return FALSE;
}

static void
handle_get_version (EscServiceContext *ctx)
{
  g_auto(VersionRow) row = { 0 };
  g_autoptr(JsonNode) answer = NULL;

  if (!path_version (ctx, &row, &answer))
    return;
  esc_service_sla_set_etag (ctx, "version", row.revision);
  esc_service_send_json (ctx, SOUP_STATUS_OK, answer);
}

static gboolean
refuse_unless_draft (EscServiceContext *ctx,
                     const VersionRow  *row,
                     const char        *what)
{
  if (g_strcmp0 (row->state, "draft") == 0)
    return FALSE;
  esc_service_context_rollback (ctx);
  esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "not-a-draft", "Conflict",
                            "Version %" G_GINT64_FORMAT " is %s: only a draft can be %s.",
                            row->version, row->state, what);
  return TRUE;
}

static void
handle_put_version (EscServiceContext *ctx)
{
  g_auto(VersionRow) row = { 0 };
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *terms = NULL;

  if (!(terms = read_terms (ctx)))
    return;
  if (!esc_service_context_begin (ctx))
    return;
  if (!path_version (ctx, &row, &answer) ||
      refuse_unless_draft (ctx, &row, "edited") ||
      !esc_service_sla_check_if_match (ctx, "version", row.revision))
    return;

  /* New terms: whoever accepted the old ones has not accepted these. */
  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "UPDATE sla_agreement_versions SET terms = ?3, revision = revision + 1,"
                                              "  it_admin_accepted_at = NULL, it_admin_accepted_by = NULL,"
                                              "  partner_accepted_at = NULL, partner_accepted_by = NULL"
                                              " WHERE agreement_seq = ?1 AND version = ?2", &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (stmt, 1, row.seq);
  esc_service_stmt_bind_int64 (stmt, 2, row.version);
  esc_service_stmt_bind_text (stmt, 3, terms);
  if (!esc_service_db_step_done (ctx->db, stmt, &error) ||
      !(updated = load_version (ctx->db, row.seq, row.version, NULL, &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  if (!audit_version (ctx, "sla-agreement-version.updated", row.seq, row.version, updated))
    return;

  esc_service_sla_set_etag (ctx, "version", row.revision + 1);
  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, updated, NULL);
}

static void
handle_accept_version (EscServiceContext *ctx)
{
  static const char * const sides[] = { "it-admin", "partner-manager", NULL };
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_auto(VersionRow) row = { 0 };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(EscServiceCachedStmt) agreed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *sql = NULL;
  gboolean is_admin = esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN);
  gboolean is_partner = esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_PARTNER_MANAGER);
  const char *side;
  const char *column;

  if (!(body = esc_service_context_read_optional_object (ctx)))
    return;
  esc_service_check_members (&check, body, "", (const char * const[]) { "as", NULL });
  side = esc_service_check_enum (&check, body, "/as", ESC_SERVICE_FIELD_OPTIONAL, sides);
  if (esc_service_check_ok (&check) && side == NULL)
    {
      if (is_admin && is_partner)
        esc_service_check_fail (&check, "/as", "You are both an IT administrator and a partner "
                                "manager: say which side you accept for (“as”).");
      else
        side = is_admin ? "it-admin" : "partner-manager";
    }
  if (side == NULL && esc_service_check_ok (&check))
    esc_service_check_fail (&check, "/as", "Say which side you accept for (“as”).");
  if (!esc_service_check_ok (&check) || side == NULL)
    {
      esc_service_send_check (ctx, &check);
      return;
    }
  if (g_str_equal (side, "it-admin") ? !is_admin : !is_partner)
    {
      esc_service_send_forbidden (ctx, g_str_equal (side, "it-admin")
                                         ? "Only an IT administrator accepts for the organisation."
                                         : "Only a partner manager accepts for the support provider.");
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;
  if (!path_version (ctx, &row, &answer) ||
      refuse_unless_draft (ctx, &row, "accepted") ||
      !esc_service_sla_check_if_match (ctx, "version", row.revision))
    return;

  column = g_str_equal (side, "it-admin") ? "it_admin" : "partner";
  sql = g_strdup_printf ("UPDATE sla_agreement_versions SET %s_accepted_at = ?3, %s_accepted_by = ?4,"
                         "  revision = revision + 1"
                         " WHERE agreement_seq = ?1 AND version = ?2 AND %s_accepted_at IS NULL",
                         column, column, column);
  if (!(stmt = esc_service_db_prepare_cached (ctx->db, sql, &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (stmt, 1, row.seq);
  esc_service_stmt_bind_int64 (stmt, 2, row.version);
  esc_service_stmt_bind_text (stmt, 3, now);
  esc_service_stmt_bind_int64 (stmt, 4, ctx->caller->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error))
    {
      send_db_error (ctx, error);
      return;
    }
  if (esc_service_stmt_changes (stmt) == 0)
    {
      esc_service_context_rollback (ctx);
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "already-accepted", "Conflict",
                                "This version was already accepted for the %s side.",
                                g_str_equal (side, "it-admin") ? "IT administrator’s" : "partner manager’s");
      return;
    }

  /* Both sides: agreed, and the version in force before is superseded. */
  if (!(agreed = esc_service_db_prepare_cached (ctx->db,
                                                "UPDATE sla_agreement_versions SET state = 'superseded',"
                                                "  superseded_at = ?3, revision = revision + 1"
                                                " WHERE agreement_seq = ?1 AND state = 'agreed'"
                                                "  AND EXISTS (SELECT 1 FROM sla_agreement_versions"
                                                "   WHERE agreement_seq = ?1 AND version = ?2"
                                                "   AND it_admin_accepted_at IS NOT NULL AND partner_accepted_at IS NOT NULL);"
                                                , &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (agreed, 1, row.seq);
  esc_service_stmt_bind_int64 (agreed, 2, row.version);
  esc_service_stmt_bind_text (agreed, 3, now);
  if (!esc_service_db_step_done (ctx->db, agreed, &error))
    {
      send_db_error (ctx, error);
      return;
    }
  g_clear_pointer (&agreed, esc_service_stmt_release);
  if (!(agreed = esc_service_db_prepare_cached (ctx->db,
                                                "UPDATE sla_agreement_versions SET state = 'agreed', agreed_at = ?3"
                                                " WHERE agreement_seq = ?1 AND version = ?2"
                                                "  AND it_admin_accepted_at IS NOT NULL AND partner_accepted_at IS NOT NULL",
                                                &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (agreed, 1, row.seq);
  esc_service_stmt_bind_int64 (agreed, 2, row.version);
  esc_service_stmt_bind_text (agreed, 3, now);
  if (!esc_service_db_step_done (ctx->db, agreed, &error) ||
      !(updated = load_version (ctx->db, row.seq, row.version, NULL, &error)))
    {
      send_db_error (ctx, error);
      return;
    }

  if (!audit_version (ctx, "sla-agreement-version.accepted", row.seq, row.version, updated))
    return;
  if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (updated), "state", ""),
                 "agreed") == 0 &&
      !audit_version (ctx, "sla-agreement-version.agreed", row.seq, row.version, updated))
    return;

  esc_service_sla_set_etag (ctx, "version", row.revision + 1);
  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, updated, NULL);
}

static void
handle_retire_version (EscServiceContext *ctx)
{
  g_auto(VersionRow) row = { 0 };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);

  if (!(body = esc_service_context_read_optional_object (ctx)))
    return;
  if (json_object_get_size (body) > 0)
    {
      esc_service_send_invalid_field (ctx, "", "invalid-field", "Invalid Field",
                                      "Retiring takes no body.");
      return;
    }
  if (!esc_service_context_begin (ctx))
    return;
  if (!path_version (ctx, &row, &answer) || !esc_service_sla_check_if_match (ctx, "version", row.revision))
    return;
  if (g_strcmp0 (row.state, "agreed") != 0)
    {
      esc_service_context_rollback (ctx);
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "not-agreed", "Conflict",
                                "Version %" G_GINT64_FORMAT " is %s: only the agreed version can be "
                                "retired.", row.version, row.state);
      return;
    }
  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "UPDATE sla_agreement_versions SET state = 'retired', retired_at = ?3,"
                                              "  retired_by = ?4, revision = revision + 1"
                                              " WHERE agreement_seq = ?1 AND version = ?2", &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_int64 (stmt, 1, row.seq);
  esc_service_stmt_bind_int64 (stmt, 2, row.version);
  esc_service_stmt_bind_text (stmt, 3, now);
  esc_service_stmt_bind_int64 (stmt, 4, ctx->caller->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error) ||
      !(updated = load_version (ctx->db, row.seq, row.version, NULL, &error)))
    {
      send_db_error (ctx, error);
      return;
    }
  if (!audit_version (ctx, "sla-agreement-version.retired", row.seq, row.version, updated))
    return;

  esc_service_sla_set_etag (ctx, "version", row.revision + 1);
  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, updated, NULL);
}

void
esc_service_sla_register (EscServiceRouter *router)
{
  esc_service_support_model_register (router);
  esc_service_router_add (router, "GET", "/v1/sla-calendars", readers, handle_list_calendars);
  esc_service_router_add (router, "GET", "/v1/sla-calendars/{id}", readers, handle_get_calendar);
  esc_service_router_add (router, "PUT", "/v1/sla-calendars/{id}", readers, handle_put_calendar);
  esc_service_router_add (router, "GET", "/v1/sla-agreements", readers, handle_list_agreements);
  esc_service_router_add (router, "POST", "/v1/sla-agreements", ESC_SERVICE_ROLE_PARTNER_MANAGER,
                          handle_create_agreement);
  esc_service_router_add (router, "GET", "/v1/sla-agreements/{id}", readers, handle_get_agreement);
  esc_service_router_add (router, "POST", "/v1/sla-agreements/{id}/versions",
                          ESC_SERVICE_ROLE_PARTNER_MANAGER, handle_create_version);
  esc_service_router_add (router, "GET", "/v1/sla-agreements/{id}/versions/{version}", readers,
                          handle_get_version);
  esc_service_router_add (router, "PUT", "/v1/sla-agreements/{id}/versions/{version}",
                          ESC_SERVICE_ROLE_PARTNER_MANAGER, handle_put_version);
  esc_service_router_add (router, "POST", "/v1/sla-agreements/{id}/versions/{version}/accept", readers,
                          handle_accept_version);
  esc_service_router_add (router, "POST", "/v1/sla-agreements/{id}/versions/{version}/retire",
                          ESC_SERVICE_ROLE_IT_ADMIN, handle_retire_version);
}
