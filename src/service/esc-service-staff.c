/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-json-write.h"
#include "esc-service-elevation.h"
#include "esc-service-staff.h"
#include "esc-staff-member.h"

/* Designations: each person holds each capability (elevation, escalation) at
 * most once, with a reason and an optional expiry. An expired designation
 * stays in the table, for the record, but grants nothing. Only people with
 * the support-staff role can be designated. Every change is audited. */

#define MAX_REASON_CHARS 500
#define CLI_REASON "Granted with “escalade-service designation grant”"

static const char * const capabilities[] = { "elevation", "escalation", NULL };

/* Members of a designation the app may send back as it got them; read-only,
 * so ignored. */
static const char * const designation_members[] = {
  "capability", "reason", "expires_at", "active", "designated_at", "designated_by", NULL
};

typedef struct
{
  char *reason;
  char *expires_at;  /* RFC 3339 UTC, or NULL */
} Designation;

static void
designation_free (Designation *designation)
{
  g_free (designation->reason);
  g_free (designation->expires_at);
  g_free (designation);
}

void
esc_service_staff_add_person_ref (JsonBuilder *builder,
                                  const char  *member,
                                  gint64       id,
                                  const char  *name)
{
  esc_json_add_person (builder, member, id, name);
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

/* Person lookups */

static gboolean
person_has_role (EscServiceDb  *db,
                 gint64         person_id,
                 const char    *role,
                 gboolean      *out_has,
                 GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT 1 FROM person_roles WHERE person_id = ?1 AND role = ?2",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  esc_service_stmt_bind_text (stmt, 2, role);

  rc = esc_service_stmt_step (stmt);
  if (rc != ESC_SERVICE_STMT_ROW && rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);

  *out_has = rc == ESC_SERVICE_STMT_ROW;
  return TRUE;
}

/* Returns the person's name, or NULL with NOT_FOUND. */
static char *
lookup_person_name (EscServiceDb  *db,
                    gint64         person_id,
                    GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db, "SELECT name FROM people WHERE id = ?1", error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, person_id);

      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   /* Translators: %s is a number, the person’s id in the service’s database */
                   _("No person with id %s"), id_text);
      return NULL;
    }
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return g_strdup (esc_service_stmt_column_text (stmt, 0));
}

gboolean
esc_service_staff_lock_person (EscServiceDb  *db,
                               gint64         person_id,
                               GError       **error)
{
  g_autofree char *key = g_strdup_printf ("person:%" G_GINT64_FORMAT, person_id);

  return esc_service_db_lock_key (db, key, error);
}

static gint64
lookup_person_id (EscServiceDb  *db,
                  const char    *name,
                  GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db, "SELECT id FROM people WHERE name = ?1", error)))
    return 0;
  esc_service_stmt_bind_text (stmt, 1, name);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   _("No person is named “%s”; create them with “escalade-service token "
                     "create”"), name);
      return 0;
    }
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      return 0;
    }

  return esc_service_stmt_column_int64 (stmt, 0);
}

/* capability → Designation */
static GHashTable *
load_designations (EscServiceDb  *db,
                   gint64         person_id,
                   GError       **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify)designation_free);
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT capability, reason, expires_at FROM designations"
                                       " WHERE person_id = ?1",
                                       error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      Designation *designation = g_new0 (Designation, 1);

      designation->reason = g_strdup (esc_service_stmt_column_text (stmt, 1));
      designation->expires_at = g_strdup (esc_service_stmt_column_text (stmt, 2));
      g_hash_table_insert (set, g_strdup (esc_service_stmt_column_text (stmt, 0)), designation);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return g_steal_pointer (&set);
}

/* Writes one designation (insert or replace) or, if @reason is NULL, removes
 * it. @granted_by is 0 for the command line. Inside a write transaction. */
static gboolean
store_designation (EscServiceDb  *db,
                   gint64         person_id,
                   const char    *capability,
                   const char    *reason,
                   const char    *expires_at,
                   gint64         granted_by,
                   const char    *now,
                   GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  if (reason == NULL)
    {
      if (!(stmt = esc_service_db_prepare (db,
                                           "DELETE FROM designations"
                                           " WHERE person_id = ?1 AND capability = ?2",
                                           error)))
        return FALSE;
      esc_service_stmt_bind_int64 (stmt, 1, person_id);
      esc_service_stmt_bind_text (stmt, 2, capability);
      return esc_service_db_step_done (db, stmt, error);
    }

  if (!(stmt = esc_service_db_prepare (db,
                                       "INSERT INTO designations"
                                       " (person_id, capability, reason, expires_at, granted_by, granted_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                       " ON CONFLICT (person_id, capability) DO UPDATE SET"
                                       "  reason = excluded.reason, expires_at = excluded.expires_at,"
                                       "  granted_by = excluded.granted_by, granted_at = excluded.granted_at",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  esc_service_stmt_bind_text (stmt, 2, capability);
  esc_service_stmt_bind_text (stmt, 3, reason);
  esc_service_stmt_bind_text (stmt, 4, expires_at);
  if (granted_by > 0)
    esc_service_stmt_bind_int64 (stmt, 5, granted_by);
  else
    esc_service_stmt_bind_null (stmt, 5);
  esc_service_stmt_bind_text (stmt, 6, now);

  return esc_service_db_step_done (db, stmt, error);
}

static JsonNode *
designation_details (gint64       person_id,
                     const char  *person_name,
                     const char  *capability,
                     Designation *before,
                     const char  *reason,
                     const char  *expires_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "person_id");
  json_builder_add_int_value (builder, person_id);
  json_builder_set_member_name (builder, "person");
  json_builder_add_string_value (builder, person_name);
  json_builder_set_member_name (builder, "capability");
  json_builder_add_string_value (builder, capability);
  if (reason != NULL)
    {
      add_nullable_string (builder, "reason", reason);
      add_nullable_string (builder, "expires_at", expires_at);
    }
  if (before != NULL)
    {
      add_nullable_string (builder, "previous_reason", before->reason);
      add_nullable_string (builder, "previous_expires_at", before->expires_at);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Withdrawing an elevation designation ends the person's open elevation
 * requests at once, by @withdrawn_by (0: the command line, so the service),
 * and rotates those devices' passwords; what was ended goes into the
 * withdrawal's audit details. Inside the transaction. */
static gboolean
end_elevations (EscServiceDb  *db,
                gint64         person_id,
                gint64         withdrawn_by,
                const char    *capability,
                GDateTime     *now,
                JsonNode      *details,
                GError       **error)
{
  g_auto(GStrv) devices = NULL;
  JsonObject *object = json_node_get_object (details);
  JsonArray *names;
  guint closed = 0;

  if (g_strcmp0 (capability, "elevation") != 0)
    return TRUE;

  if (!esc_service_elevation_end_for_person (db, person_id, "designation-withdrawn",
                                             "designation withdrawn", withdrawn_by, now,
                                             &closed, &devices, error))
    return FALSE;

  names = json_array_new ();
  for (guint i = 0; devices[i] != NULL; i++)
    json_array_add_string_element (names, devices[i]);
  json_object_set_int_member (object, "elevations_closed", closed);
  json_object_set_int_member (object, "devices_rotated", g_strv_length (devices));
  json_object_set_array_member (object, "devices", names);

  return TRUE;
}

/* The command line */

static gboolean
audit_cli (EscServiceDb  *db,
           const char    *action,
           const char    *target,
           JsonNode      *details,
           GError       **error)
{
  EscServiceAuditEvent event = { 0, };

  event.actor_name = "command line";
  event.action = action;
  event.target = target;
  event.details = details;

  return esc_service_db_audit_append (db, &event, error);
}

/**
 * esc_service_staff_grant:
 * @db: a #EscServiceDb
 * @user: the person's name
 * @capability: "elevation" or "escalation"
 * @reason: (nullable): why; a default saying it came from the command line
 * @expires_at: (nullable): when it lapses, in the future; %NULL for never
 * @error: return location for a #GError
 *
 * Designates @user for @capability (`escalade-service designation grant`),
 * replacing the reason and expiry of an existing designation. Audited as
 * done from the command line.
 *
 * Returns: %TRUE on success; %ESC_SERVICE_ERROR_NOT_FOUND for an unknown
 *   person, %ESC_SERVICE_ERROR_INVALID_ARGUMENT for anything else refused
 */
gboolean
esc_service_staff_grant (EscServiceDb  *db,
                         const char    *user,
                         const char    *capability,
                         const char    *reason,
                         GDateTime     *expires_at,
                         GError       **error)
{
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(GHashTable) current = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *target = NULL;
  Designation *before;
  gboolean is_staff = FALSE;
  gint64 person_id;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  if (!esc_service_capability_is_valid (capability))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("Unknown capability “%s”; the capabilities are elevation and escalation"),
                   capability ? capability : "");
      return FALSE;
    }

  if (reason == NULL)
    reason = CLI_REASON;
  if (!esc_service_name_is_valid (reason) || g_utf8_strlen (reason, -1) > MAX_REASON_CHARS)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   ngettext ("The reason must be 1 to %d character of text",
                             "The reason must be 1 to %d characters of text", MAX_REASON_CHARS),
                   MAX_REASON_CHARS);
      return FALSE;
    }

  now_time = esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);
  if (expires_at != NULL)
    {
      if (g_date_time_compare (expires_at, now_time) <= 0)
        {
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                       _("The expiry must be in the future"));
          return FALSE;
        }
      expires = esc_service_format_timestamp (expires_at);
    }

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(person_id = lookup_person_id (db, user, error)) ||
      !esc_service_staff_lock_person (db, person_id, error) ||
      !person_has_role (db, person_id, "support-staff", &is_staff, error))
    goto failed;

  if (!is_staff)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("“%s” does not have the support-staff role; only support staff can be "
                     "designated (add it with “token create --user … --role support-staff”)"),
                   user);
      goto failed;
    }

  if (!(current = load_designations (db, person_id, error)))
    goto failed;
  before = g_hash_table_lookup (current, capability);

  target = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", person_id);
  details = designation_details (person_id, user, capability, before, reason, expires);

  if (!store_designation (db, person_id, capability, reason, expires, 0, now, error) ||
      !audit_cli (db, before ? "designation.changed" : "designation.granted", target, details,
                  error) ||
      !esc_service_db_commit (db, error))
    goto failed;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

/**
 * esc_service_staff_revoke:
 * @db: a #EscServiceDb
 * @user: the person's name
 * @capability: "elevation" or "escalation"
 * @error: return location for a #GError
 *
 * Withdraws a designation (`escalade-service designation revoke`). Revoking
 * one the person does not hold succeeds and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_staff_revoke (EscServiceDb  *db,
                          const char    *user,
                          const char    *capability,
                          GError       **error)
{
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(GHashTable) current = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = NULL;
  g_autofree char *target = NULL;
  Designation *before;
  gint64 person_id;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);

  if (!esc_service_capability_is_valid (capability))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("Unknown capability “%s”; the capabilities are elevation and escalation"),
                   capability ? capability : "");
      return FALSE;
    }

  now_time = esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(person_id = lookup_person_id (db, user, error)) ||
      !esc_service_staff_lock_person (db, person_id, error) ||
      !(current = load_designations (db, person_id, error)))
    goto failed;

  if ((before = g_hash_table_lookup (current, capability)) == NULL)
    {
      esc_service_db_rollback (db);
      return TRUE;
    }

  target = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", person_id);
  details = designation_details (person_id, user, capability, before, NULL, NULL);

  if (!store_designation (db, person_id, capability, NULL, NULL, 0, now, error) ||
      !end_elevations (db, person_id, 0, capability, now_time, details, error) ||
      !audit_cli (db, "designation.withdrawn", target, details, error) ||
      !esc_service_db_commit (db, error))
    goto failed;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

/**
 * esc_service_staff_dup_refusal:
 * @ctx: the request
 * @capability: the designation the caller lacks
 * @action: what was refused, e.g. "Opening an elevation request"
 *
 * Returns: (transfer full): a 403 detail that says why: no designation, or
 *   one that expired (and when)
 */
char *
esc_service_staff_dup_refusal (EscServiceContext *ctx,
                               const char        *capability,
                               const char        *action)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  stmt = esc_service_db_prepare (ctx->db,
                                 "SELECT expires_at FROM designations"
                                 " WHERE person_id = ?1 AND capability = ?2",
                                 NULL);
  if (stmt != NULL)
    {
      esc_service_stmt_bind_int64 (stmt, 1, ctx->caller->id);
      esc_service_stmt_bind_text (stmt, 2, capability);
      if (esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW && !esc_service_stmt_column_is_null (stmt, 0))
        return g_strdup_printf ("%s needs a live %s designation; yours expired at %s. "
                                "An IT administrator can renew it.",
                                action, capability, esc_service_stmt_column_text (stmt, 0));
    }

  return g_strdup_printf ("%s needs a live %s designation, which you do not hold. "
                          "An IT administrator designates the support escalation team.",
                          action, capability);
}

/* The API */

/* The StaffMember of @person_id: id, name, email, team, disabled, roles, and
 * every designation with active, designated_at and designated_by, for the
 * core codec that the app reads it with (no etag yet). */
static EscStaffMember *
build_staff_member (EscServiceDb  *db,
                    gint64         person_id,
                    const char    *now,
                    GError       **error)
{
  g_autoptr(EscStaffMember) member = NULL;
  g_autoptr(GStrvBuilder) roles = g_strv_builder_new ();
  g_auto(GStrv) role_list = NULL;
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *team = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  gboolean disabled;
  int rc;

  if (!(stmt = esc_service_db_prepare (db, "SELECT name, email, team, disabled_at FROM people WHERE id = ?1",
                                       error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, person_id);

      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   /* Translators: %s is a number, the person’s id in the service’s database */
                   _("No person with id %s"), id_text);
      return NULL;
    }
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }
  name = g_strdup (esc_service_stmt_column_text (stmt, 0));
  email = g_strdup (esc_service_stmt_column_text (stmt, 1));
  team = g_strdup (esc_service_stmt_column_text (stmt, 2));
  disabled = !esc_service_stmt_column_is_null (stmt, 3);
  g_clear_pointer (&stmt, esc_service_stmt_free);

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT role FROM person_roles WHERE person_id = ?1 ORDER BY role",
                                       error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    g_strv_builder_add (roles, esc_service_stmt_column_text (stmt, 0));
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  role_list = g_strv_builder_end (roles);
  member = esc_staff_member_new (person_id, name, email, (const char * const *)role_list);
  esc_staff_member_set_access (member, team, disabled);

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT d.capability, d.reason, d.expires_at,"
                                       "  CASE WHEN d.expires_at IS NULL OR d.expires_at > ?2 THEN 1 ELSE 0 END,"
                                       "  d.granted_at, d.granted_by, g.name"
                                       " FROM designations d LEFT JOIN people g ON g.id = d.granted_by"
                                       " WHERE d.person_id = ?1 ORDER BY d.capability",
                                       error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  esc_service_stmt_bind_text (stmt, 2, now);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      g_autoptr(GDateTime) expires_at = esc_service_stmt_column_time (stmt, 2);
      g_autoptr(GDateTime) designated_at = esc_service_stmt_column_time (stmt, 4);
      g_autoptr(EscDesignation) designation = NULL;

      /* designated_by is null when granted on the command line, or before
       * designations recorded it. */
      designation = esc_designation_new_full (esc_service_stmt_column_text (stmt, 0),
                                              esc_service_stmt_column_text (stmt, 1),
                                              expires_at,
                                              esc_service_stmt_column_int64 (stmt, 3) != 0,
                                              designated_at,
                                              !esc_service_stmt_column_is_null (stmt, 6)
                                                ? esc_service_stmt_column_int64 (stmt, 5) : 0,
                                              esc_service_stmt_column_text (stmt, 6));
      if (designation != NULL)
        esc_staff_member_add_designation (member, designation);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return g_steal_pointer (&member);
}

/**
 * esc_service_staff_member_to_json:
 * @db: a #EscServiceDb, in a transaction
 * @person_id: the person
 * @now: the current time, RFC 3339
 * @out_etag: (out) (optional) (transfer full): the version, for the ETag header
 * @error: return location for a #GError
 *
 * The StaffMember of the v1 API, written by the core codec, with its
 * "etag": a digest of all the rest, so it changes whenever the
 * designations, roles, team or disabled state do (a designation that lapses
 * too: it is no longer active).
 *
 * Returns: (transfer full): the object, or %NULL (%ESC_SERVICE_ERROR_NOT_FOUND
 *   for an unknown person)
 */
JsonNode *
esc_service_staff_member_to_json (EscServiceDb  *db,
                                  gint64         person_id,
                                  const char    *now,
                                  char         **out_etag,
                                  GError       **error)
{
  g_autoptr(EscStaffMember) member = NULL;
  g_autoptr(JsonNode) unversioned = NULL;
  g_autofree char *text = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *etag = NULL;

  if (!(member = build_staff_member (db, person_id, now, error)))
    return NULL;

  /* The version is a digest of everything else the person's JSON says. */
  unversioned = esc_staff_member_to_json (member);
  text = json_to_string (unversioned, FALSE);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  digest[24] = '\0';
  etag = g_strdup_printf ("\"%s\"", digest);
  esc_staff_member_set_etag (member, etag);

  if (out_etag != NULL)
    *out_etag = g_steal_pointer (&etag);

  return esc_staff_member_to_json (member);
}

static void
set_etag_header (EscServiceContext *ctx,
                 const char        *etag)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg), "ETag", etag);
}

/* If-Match: "*", or a list of entity tags; weak ones compare as strong
 * (the etag is a digest of the whole person). */
static gboolean
if_match_holds (const char *if_match,
                const char *etag)
{
  g_auto(GStrv) tags = g_strsplit (if_match, ",", -1);

  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (strcmp (tag, "*") == 0 || strcmp (tag, etag) == 0)
        return TRUE;
    }

  return FALSE;
}

/* GET /v1/staff/{id} */
static void
handle_get_staff_member (EscServiceContext *ctx)
{
  g_autoptr(JsonNode) member = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *etag = NULL;
  gint64 person_id;

  if (!g_ascii_string_to_signed (ctx->params[0], 10, 1, G_MAXINT64, &person_id, NULL) ||
      !g_ascii_isdigit (ctx->params[0][0]))
    {
      esc_service_send_not_found (ctx);
      return;
    }

  if (!esc_service_db_begin_read (ctx->db, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  member = esc_service_staff_member_to_json (ctx->db, person_id, now, &etag, &error);
  esc_service_db_end_read (ctx->db);

  if (member == NULL)
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND))
        esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found",
                                  "There is no person with id %" G_GINT64_FORMAT ".", person_id);
      else
        esc_service_send_internal_error (ctx, error);
      return;
    }

  set_etag_header (ctx, etag);
  esc_service_send_json (ctx, SOUP_STATUS_OK, member);
}

static void
handle_list_staff (EscServiceContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  int rc;

  /* One read transaction, so that the list is one snapshot. */
  if (!esc_service_db_begin_read (ctx->db, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  /* Everyone the service knows, whatever their roles (none included) and
   * disabled people too: the directory is where an IT administrator finds a
   * person to designate, to give a role or to remove. */
  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "SELECT p.id FROM people p ORDER BY p.name, p.id",
                                       &error)))
    goto failed;
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      gint64 id = esc_service_stmt_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      goto failed;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(JsonNode) member = esc_service_staff_member_to_json (ctx->db,
                                                                     g_array_index (ids, gint64, i),
                                                                     now, NULL, &error);

      if (member == NULL)
        goto failed;
      json_builder_add_value (builder, g_steal_pointer (&member));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  esc_service_db_end_read (ctx->db);

  root = json_builder_get_root (builder);
  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
  return;

failed:
  esc_service_send_internal_error (ctx, error);
}

static gboolean
parse_person_id (const char *text,
                 gint64     *out_id)
{
  return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, out_id, NULL) &&
         g_ascii_isdigit (text[0]);
}

typedef struct
{
  const char *capability;
  const char *reason;
  char       *expires_at;  /* normalised, or NULL */
} NewDesignation;

static void
new_designation_clear (NewDesignation *designation)
{
  g_clear_pointer (&designation->expires_at, g_free);
}

static void
handle_put_designations (EscServiceContext *ctx)
{
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  static const char * const allowed[] = { "designations", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GHashTable) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) member = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *person_name = NULL;
  g_autofree char *target = NULL;
  g_autofree char *new_etag = NULL;
  g_autofree char *old_etag = NULL;
  g_autoptr(JsonNode) now_member = NULL;
  const char *if_match;
  NewDesignation wanted[G_N_ELEMENTS (capabilities) - 1] = { { NULL, NULL, NULL }, };
  guint n_wanted = 0;
  JsonArray *list;
  gboolean is_staff = FALSE;
  gint64 person_id;

  if (!parse_person_id (ctx->params[0], &person_id))
    {
      esc_service_send_not_found (ctx);
      return;
    }

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", allowed);
  list = esc_service_check_array (&check, body, "/designations", ESC_SERVICE_FIELD_REQUIRED,
                                  G_N_ELEMENTS (wanted));

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      g_autofree char *at = g_strdup_printf ("/designations/%u", i);
      g_autofree char *capability_field = g_strconcat (at, "/capability", NULL);
      g_autofree char *reason_field = g_strconcat (at, "/reason", NULL);
      g_autofree char *expires_field = g_strconcat (at, "/expires_at", NULL);
      g_autoptr(GDateTime) expires = NULL;
      NewDesignation *designation = &wanted[n_wanted];
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          esc_service_check_fail (&check, at, "“%s” must be an object.", at + 1);
          break;
        }
      item = json_node_get_object (node);

      esc_service_check_members (&check, item, at, designation_members);
      designation->capability = esc_service_check_enum (&check, item, capability_field,
                                                        ESC_SERVICE_FIELD_REQUIRED,
                                                        capabilities);
      designation->reason = esc_service_check_string (&check, item, reason_field,
                                                      ESC_SERVICE_FIELD_REQUIRED,
                                                      MAX_REASON_CHARS);
      expires = esc_service_check_timestamp (&check, item, expires_field,
                                             ESC_SERVICE_FIELD_NULLABLE);
      if (expires != NULL && g_date_time_compare (expires, ctx->now) <= 0)
        esc_service_check_fail (&check, expires_field,
                                "“%s” must be in the future (or null for no expiry).",
                                expires_field + 1);

      for (guint j = 0; designation->capability != NULL && j < n_wanted; j++)
        {
          if (g_strcmp0 (wanted[j].capability, designation->capability) == 0)
            esc_service_check_fail (&check, capability_field,
                                    "“%s” is given twice; each capability appears at most once.",
                                    designation->capability);
        }

      if (!esc_service_check_ok (&check))
        break;

      if (expires != NULL)
        designation->expires_at = esc_service_format_timestamp (expires);
      n_wanted++;
    }

  if (!esc_service_check_ok (&check))
    {
      for (guint i = 0; i < n_wanted; i++)
        new_designation_clear (&wanted[i]);
      esc_service_send_check (ctx, &check);
      return;
    }

  if (!esc_service_context_begin (ctx))
    goto out;

  if (!esc_service_staff_lock_person (ctx->db, person_id, &error))
    {
      esc_service_send_internal_error (ctx, error);
      goto out;
    }
  if (!(person_name = lookup_person_name (ctx->db, person_id, &error)))
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND))
        {
          esc_service_context_rollback (ctx);
          esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found",
                                    "There is no person with id %" G_GINT64_FORMAT ".",
                                    person_id);
        }
      else
        esc_service_send_internal_error (ctx, error);
      goto out;
    }

  if (!person_has_role (ctx->db, person_id, "support-staff", &is_staff, &error) ||
      !(current = load_designations (ctx->db, person_id, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      goto out;
    }

  /* A change made from a stale copy is refused with the person as they are
   * now, so that the app can show both versions. Every answer about the
   * person carries their version. */
  if (!(now_member = esc_service_staff_member_to_json (ctx->db, person_id, now, &old_etag, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      goto out;
    }
  if_match = soup_message_headers_get_one (soup_server_message_get_request_headers (ctx->msg),
                                           "If-Match");
  if (if_match != NULL && !if_match_holds (if_match, old_etag))
    {
      g_autoptr(JsonObject) extra = json_object_new ();

      esc_service_context_rollback (ctx);
      json_object_set_member (extra, "current", g_steal_pointer (&now_member));
      set_etag_header (ctx, old_etag);
      esc_service_send_problem_extra (ctx, SOUP_STATUS_PRECONDITION_FAILED,
                                      "precondition-failed", "Precondition Failed", extra,
                                      "%s was changed since you read them: their designations "
                                      "are now as in “current”. Make your change again from "
                                      "there.", person_name);
      goto out;
    }

  if (!is_staff && n_wanted > 0)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s does not have the support-staff role: only support staff can "
                         "be designated.", person_name);

      esc_service_context_rollback (ctx);
      set_etag_header (ctx, old_etag);
      esc_service_send_invalid_field (ctx, "/designations", "not-support-staff",
                                      "Not Support Staff", detail);
      goto out;
    }

  target = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", person_id);

  for (guint i = 0; i < n_wanted; i++)
    {
      Designation *before = g_hash_table_lookup (current, wanted[i].capability);
      g_autoptr(JsonNode) details = NULL;

      if (before != NULL &&
          g_strcmp0 (before->reason, wanted[i].reason) == 0 &&
          g_strcmp0 (before->expires_at, wanted[i].expires_at) == 0)
        {
          g_hash_table_remove (current, wanted[i].capability);
          continue;
        }

      details = designation_details (person_id, person_name, wanted[i].capability, before,
                                     wanted[i].reason, wanted[i].expires_at);
      if (!store_designation (ctx->db, person_id, wanted[i].capability, wanted[i].reason,
                              wanted[i].expires_at, ctx->caller->id, now, &error) ||
          !esc_service_context_audit (ctx, before ? "designation.changed" : "designation.granted",
                                      target, details, &error))
        {
          esc_service_send_internal_error (ctx, error);
          goto out;
        }

      g_hash_table_remove (current, wanted[i].capability);
    }

  /* What is left was not asked for: withdrawn. */
  for (guint c = 0; capabilities[c] != NULL; c++)
    {
      Designation *before = g_hash_table_lookup (current, capabilities[c]);
      g_autoptr(JsonNode) details = NULL;

      if (before == NULL)
        continue;

      details = designation_details (person_id, person_name, capabilities[c], before, NULL, NULL);
      if (!store_designation (ctx->db, person_id, capabilities[c], NULL, NULL, 0, now, &error) ||
          !end_elevations (ctx->db, person_id, ctx->caller->id, capabilities[c], ctx->now, details, &error) ||
          !esc_service_context_audit (ctx, "designation.withdrawn", target, details, &error))
        {
          esc_service_send_internal_error (ctx, error);
          goto out;
        }
    }

  if (!(member = esc_service_staff_member_to_json (ctx->db, person_id, now, &new_etag, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      goto out;
    }

  set_etag_header (ctx, new_etag);
  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, member, NULL);

out:
  for (guint i = 0; i < n_wanted; i++)
    new_designation_clear (&wanted[i]);
}

void
esc_service_staff_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", "/v1/staff", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_list_staff);
  esc_service_router_add (router, "PUT", "/v1/staff/{id}/designations", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_put_designations);
  esc_service_router_add (router, "GET", "/v1/staff/{id}", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_get_staff_member);
}
