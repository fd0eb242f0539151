/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-service-access.h"
#include "esc-service-elevation.h"
#include "esc-service-staff.h"
#include "esc-staff-import.h"

/* People and their access: see esc-service-access.h. The endpoints are at
 * the end of the file. */

#define MAX_REASON_CHARS 500

void
esc_service_token_info_free (EscServiceTokenInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->person);
  g_free (info->created_at);
  g_free (info->expires_at);
  g_free (info->last_used_at);
  g_free (info->revoked_at);
  g_free (info);
}

static gboolean
audit (EscServiceDb               *db,
       const EscServiceAuditEvent *actor,
       const char                 *action,
       const char                 *target,
       JsonNode                   *details,
       GDateTime                  *now,
       GError                    **error)
{
  EscServiceAuditEvent event = *actor;

  event.action = action;
  event.target = target;
  event.details = details;
  event.at = now;
  return esc_service_db_audit_append (db, &event, error);
}

static char *
person_target (gint64 person_id)
{
  return g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT, person_id);
}

gint64
esc_service_access_find_person (EscServiceDb  *db,
                                const char    *name,
                                GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db, "SELECT id FROM people WHERE name = ?1", error)))
    return 0;
  esc_service_stmt_bind_text (stmt, 1, name);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    return esc_service_stmt_column_int64 (stmt, 0);
  if (rc == ESC_SERVICE_STMT_DONE)
    g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                 _("No person is named “%s”"), name);
  else
    esc_service_db_set_error (db, error);

  return 0;
}

/* Runs @sql with ?1 = @person_id and ?2 = @now; returns the rows changed, or -1. */
static int
change_rows (EscServiceDb  *db,
             const char    *sql,
             gint64         person_id,
             const char    *now,
             GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  if (!(stmt = esc_service_db_prepare (db, sql, error)))
    return -1;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  if (strstr (sql, "?2") != NULL)
    esc_service_stmt_bind_text (stmt, 2, now);
  if (!esc_service_db_step_done (db, stmt, error))
    return -1;

  return (int)esc_service_stmt_changes (stmt);
}

/**
 * esc_service_access_remove:
 * @db: a #EscServiceDb
 * @person_id: the person who leaves
 * @reason: (nullable): why, for the audit log
 * @actor: who does it (the caller, or the command line)
 * @out_removal: (out) (optional): what was ended
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %ESC_SERVICE_ERROR_NOT_FOUND for an unknown person
 */
gboolean
esc_service_access_remove (EscServiceDb               *db,
                           gint64                      person_id,
                           const char                 *reason,
                           const EscServiceAuditEvent *actor,
                           EscServiceAccessRemoval    *out_removal,
                           GError                    **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_auto(GStrv) devices = NULL;
  g_autofree char *now = NULL;
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;
  EscServiceAccessRemoval removal = { 0, };
  int changed;
  int rc;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  now_time = actor->at != NULL ? g_date_time_ref (actor->at) : esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!esc_service_staff_lock_person (db, person_id, error) ||
      !(stmt = esc_service_db_prepare (db, "SELECT name FROM people WHERE id = ?1", error)))
    goto failed;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, person_id);

      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   /* Translators: %s is a number, the person’s id in the service’s database */
                   _("No person with id %s"), id_text);
      goto failed;
    }
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      goto failed;
    }
  name = g_strdup (esc_service_stmt_column_text (stmt, 0));
  g_clear_pointer (&stmt, esc_service_stmt_free);

  if ((changed = change_rows (db, "UPDATE tokens SET revoked_at = ?2"
                                  " WHERE person_id = ?1 AND revoked_at IS NULL",
                              person_id, now, error)) < 0)
    goto failed;
  removal.tokens_revoked = changed;

  if ((changed = change_rows (db, "DELETE FROM designations WHERE person_id = ?1",
                              person_id, NULL, error)) < 0)
    goto failed;
  removal.designations_withdrawn = changed;

  if (!esc_service_elevation_end_for_person (db, person_id, "access-removed", "access removed",
                                             actor->actor_id, now_time,
                                             &removal.elevations_closed, &devices, error))
    goto failed;
  removal.devices_rotated = g_strv_length (devices);

  if (change_rows (db, "UPDATE people SET disabled_at = coalesce (disabled_at, ?2) WHERE id = ?1",
                   person_id, now, error) < 0)
    goto failed;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "person_id");
  json_builder_add_int_value (builder, person_id);
  json_builder_set_member_name (builder, "person");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "reason");
  if (reason != NULL)
    json_builder_add_string_value (builder, reason);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "tokens_revoked");
  json_builder_add_int_value (builder, removal.tokens_revoked);
  json_builder_set_member_name (builder, "designations_withdrawn");
  json_builder_add_int_value (builder, removal.designations_withdrawn);
  json_builder_set_member_name (builder, "elevations_closed");
  json_builder_add_int_value (builder, removal.elevations_closed);
  json_builder_set_member_name (builder, "devices_rotated");
  json_builder_add_int_value (builder, removal.devices_rotated);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; devices[i] != NULL; i++)
    json_builder_add_string_value (builder, devices[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  target = person_target (person_id);
  if (!audit (db, actor, "person.access-removed", target, details, now_time, error) ||
      !esc_service_db_commit (db, error))
    goto failed;

  if (out_removal != NULL)
    *out_removal = removal;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

/* Checks name, email, team and roles; fills @errors-free details in @error. */
static gboolean
check_person_fields (const char          *name,
                     const char          *email,
                     const char          *team,
                     const char * const  *roles,
                     GError             **error)
{
  if (!esc_staff_name_is_valid (name))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid name (1 to 200 characters of text)"), name ? name : "");
      return FALSE;
    }
  if (!esc_staff_email_is_valid (email))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid email address"), email ? email : "");
      return FALSE;
    }
  if (team != NULL && !esc_staff_team_is_valid (team))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("The team must be at most 100 characters of text"));
      return FALSE;
    }
  if (roles == NULL || roles[0] == NULL)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("At least one role is needed"));
      return FALSE;
    }
  for (guint i = 0; roles[i] != NULL; i++)
    {
      if (!esc_staff_role_is_valid (roles[i]))
        {
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                       _("Unknown role “%s”"), roles[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/* Whether a person has this name, or this email (case aside). Call
 * lock_people() first in a transaction that then adds someone. */
static gboolean
lookup_known (EscServiceDb  *db,
              const char    *name,
              const char    *email,
              gboolean      *out_name_known,
              gboolean      *out_email_known,
              GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "SELECT (SELECT count (*) FROM people WHERE name = ?1),"
                                              "       (SELECT count (*) FROM people"
                                              "        WHERE lower (email) = lower (?2))",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, name);
  esc_service_stmt_bind_text (stmt, 2, email);
  rc = esc_service_stmt_step (stmt);
  if (rc != ESC_SERVICE_STMT_ROW)
    return esc_service_db_set_error (db, error);

  *out_name_known = esc_service_stmt_column_int64 (stmt, 0) > 0;
  *out_email_known = esc_service_stmt_column_int64 (stmt, 1) > 0;
  return TRUE;
}

/* Names and emails are unique (emails case aside, which no index
 * enforces): a transaction that adds people holds off every other one that
 * does, on any node, from before its check until it ends, as SQLite's one
 * writer does. */
static gboolean
lock_people (EscServiceDb  *db,
             GError       **error)
{
  return esc_service_db_lock_key (db, "people", error);
}

/* Inside a write transaction. */
static gboolean
insert_person (EscServiceDb        *db,
               const char          *name,
               const char          *email,
               const char          *team,
               const char * const  *roles,
               const char          *now,
               gint64              *out_id,
               GError             **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  gint64 id;

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "INSERT INTO people (name, email, team, created_at)"
                                              " VALUES (?1, ?2, ?3, ?4) RETURNING id",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, name);
  esc_service_stmt_bind_text (stmt, 2, email);
  esc_service_stmt_bind_text (stmt, 3, team);
  esc_service_stmt_bind_text (stmt, 4, now);
  if (!(id = esc_service_db_step_returning_id (db, stmt, error)))
    return FALSE;
  g_clear_pointer (&stmt, esc_service_stmt_release);

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "INSERT INTO person_roles (person_id, role)"
                                              " VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                                              error)))
    return FALSE;
  for (guint i = 0; roles[i] != NULL; i++)
    {
      esc_service_stmt_reset (stmt);
      esc_service_stmt_bind_int64 (stmt, 1, id);
      esc_service_stmt_bind_text (stmt, 2, roles[i]);
      if (!esc_service_db_step_done (db, stmt, error))
        return FALSE;
    }

  *out_id = id;
  return TRUE;
}

static void
add_strv (JsonBuilder        *builder,
          const char         *member,
          const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

gboolean
esc_service_access_create_person (EscServiceDb               *db,
                                  const char                 *name,
                                  const char                 *email,
                                  const char                 *team,
                                  const char * const         *roles,
                                  const EscServiceAuditEvent *actor,
                                  gint64                     *out_id,
                                  GError                    **error)
{
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = NULL;
  g_autofree char *target = NULL;
  gboolean name_known = FALSE;
  gboolean email_known = FALSE;
  gint64 id = 0;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  if (!check_person_fields (name, email, team, roles, error))
    return FALSE;

  now_time = actor->at != NULL ? g_date_time_ref (actor->at) : esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!lock_people (db, error) ||
      !lookup_known (db, name, email, &name_known, &email_known, error))
    goto failed;
  if (email_known || name_known)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_CONFLICT,
                   email_known ? _("Someone with the email address %s is already known")
                               : _("Someone named “%s” is already known"),
                   email_known ? email : name);
      goto failed;
    }

  if (!insert_person (db, name, email, team, roles, now, &id, error))
    goto failed;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "person_id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "person");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "team");
  if (team != NULL)
    json_builder_add_string_value (builder, team);
  else
    json_builder_add_null_value (builder);
  add_strv (builder, "roles", roles);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  target = person_target (id);

  if (!audit (db, actor, "person.created", target, details, now_time, error) ||
      !esc_service_db_commit (db, error))
    goto failed;

  if (out_id != NULL)
    *out_id = id;
  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

gboolean
esc_service_access_import (EscServiceDb               *db,
                           const char                 *text,
                           gsize                       length,
                           const EscServiceAuditEvent *actor,
                           guint                      *out_imported,
                           GPtrArray                 **out_errors,
                           GError                    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (out_errors != NULL, FALSE);

  *out_errors = NULL;
  if (out_imported != NULL)
    *out_imported = 0;

  rows = esc_staff_import_read (text, length, &errors);

  now_time = actor->at != NULL ? g_date_time_ref (actor->at) : esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);

  /* The check against those known and the import are one transaction: no
   * one can be added in between. */
  if (!esc_service_db_begin (db, error))
    return FALSE;
  if (!lock_people (db, error))
    goto failed;

  for (guint i = 0; i < rows->len; i++)
    {
      EscStaffImportRow *row = g_ptr_array_index (rows, i);
      gboolean name_known = FALSE;
      gboolean email_known = FALSE;

      if (!lookup_known (db, row->name, row->email, &name_known, &email_known, error))
        goto failed;
      if (name_known)
        esc_staff_import_add_error (errors, row->line, _("someone named “%s” is already known"),
                                    row->name);
      if (email_known)
        esc_staff_import_add_error (errors, row->line,
                                    _("someone with the email address %s is already known"),
                                    row->email);
    }

  if (errors->len > 0)
    {
      esc_service_db_rollback (db);
      *out_errors = g_steal_pointer (&errors);
      return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, rows->len);
  json_builder_set_member_name (builder, "people");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      EscStaffImportRow *row = g_ptr_array_index (rows, i);
      gint64 id = 0;

      if (!insert_person (db, row->name, row->email, row->team,
                          (const char * const *)row->roles, now, &id, error))
        goto failed;
      json_builder_add_string_value (builder, row->name);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!audit (db, actor, "person.imported", "/v1/staff", details, now_time, error) ||
      !esc_service_db_commit (db, error))
    goto failed;

  if (out_imported != NULL)
    *out_imported = rows->len;
  *out_errors = g_steal_pointer (&errors);
  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

GPtrArray *
esc_service_access_list_tokens (EscServiceDb  *db,
                                const char    *user,
                                GError       **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_service_token_info_free);
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (user != NULL && esc_service_access_find_person (db, user, error) == 0)
    return NULL;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT substr (t.hash, 1, 12), p.name, t.created_at,"
                                       "  t.expires_at, t.last_used_at, t.revoked_at"
                                       " FROM tokens t JOIN people p ON p.id = t.person_id"
                                       " WHERE CAST (?1 AS text) IS NULL OR p.name = ?1"
                                       " ORDER BY p.name, t.created_at, t.hash",
                                       error)))
    return NULL;
  esc_service_stmt_bind_text (stmt, 1, user);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      EscServiceTokenInfo *info = g_new0 (EscServiceTokenInfo, 1);

      info->id = g_strdup (esc_service_stmt_column_text (stmt, 0));
      info->person = g_strdup (esc_service_stmt_column_text (stmt, 1));
      info->created_at = g_strdup (esc_service_stmt_column_text (stmt, 2));
      info->expires_at = g_strdup (esc_service_stmt_column_text (stmt, 3));
      info->last_used_at = g_strdup (esc_service_stmt_column_text (stmt, 4));
      info->revoked_at = g_strdup (esc_service_stmt_column_text (stmt, 5));
      g_ptr_array_add (tokens, info);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return g_steal_pointer (&tokens);
}

gboolean
esc_service_access_revoke_tokens (EscServiceDb               *db,
                                  const char                 *user,
                                  const EscServiceAuditEvent *actor,
                                  guint                      *out_revoked,
                                  GError                    **error)
{
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = NULL;
  g_autofree char *target = NULL;
  gint64 person_id;
  int revoked;

  now_time = actor->at != NULL ? g_date_time_ref (actor->at) : esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(person_id = esc_service_access_find_person (db, user, error)) ||
      (revoked = change_rows (db, "UPDATE tokens SET revoked_at = ?2"
                                  " WHERE person_id = ?1 AND revoked_at IS NULL",
                              person_id, now, error)) < 0)
    goto failed;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "person_id");
  json_builder_add_int_value (builder, person_id);
  json_builder_set_member_name (builder, "person");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "tokens_revoked");
  json_builder_add_int_value (builder, revoked);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  target = person_target (person_id);

  if ((revoked > 0 && !audit (db, actor, "token.revoked", target, details, now_time, error)) ||
      !esc_service_db_commit (db, error))
    goto failed;

  if (out_revoked != NULL)
    *out_revoked = (guint)revoked;
  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

gboolean
esc_service_access_remove_role (EscServiceDb               *db,
                                const char                 *user,
                                const char                 *role,
                                const EscServiceAuditEvent *actor,
                                gboolean                   *out_removed,
                                GError                    **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *target = NULL;
  gint64 person_id;
  int removed;

  if (!esc_staff_role_is_valid (role))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("Unknown role “%s”; the roles are it-admin, partner-manager, support-staff "
                     "and operator"), role ? role : "");
      return FALSE;
    }

  now_time = actor->at != NULL ? g_date_time_ref (actor->at) : esc_service_db_dup_now (db);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(person_id = esc_service_access_find_person (db, user, error)) ||
      !esc_service_staff_lock_person (db, person_id, error))
    goto failed;

  if (!(stmt = esc_service_db_prepare (db, "DELETE FROM person_roles WHERE person_id = ?1 AND role = ?2",
                                       error)))
    goto failed;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  esc_service_stmt_bind_text (stmt, 2, role);
  if (!esc_service_db_step_done (db, stmt, error))
    goto failed;
  removed = esc_service_stmt_changes (stmt);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "person_id");
  json_builder_add_int_value (builder, person_id);
  json_builder_set_member_name (builder, "person");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);
  target = person_target (person_id);

  if ((removed > 0 && !audit (db, actor, "person.role-removed", target, details, now_time, error)) ||
      !esc_service_db_commit (db, error))
    goto failed;

  if (out_removed != NULL)
    *out_removed = removed > 0;
  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

/**
 * esc_service_access_end_expired:
 * @db: a #EscServiceDb
 * @now: the current time
 * @error: return location for a #GError
 *
 * Housekeeping, every minute: whoever has open elevation requests without
 * a live elevation designation (it expired, or went without ending them)
 * loses them now, and those devices get new passwords.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_access_end_expired (EscServiceDb  *db,
                                GDateTime     *now,
                                GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *now_text = esc_service_format_timestamp (now);
  int rc;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT DISTINCT r.requested_by FROM elevation_requests r"
                                       " WHERE r.state = 'open' AND NOT EXISTS"
                                       "  (SELECT 1 FROM designations d"
                                       "   WHERE d.person_id = r.requested_by AND d.capability = 'elevation'"
                                       "     AND (d.expires_at IS NULL"
                                       "          OR d.expires_at > ?1))",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, now_text);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      gint64 id = esc_service_stmt_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);
  g_clear_pointer (&stmt, esc_service_stmt_free);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 person_id = g_array_index (ids, gint64, i);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) details = NULL;
      g_autofree char *target = NULL;
      g_auto(GStrv) devices = NULL;
      EscServiceAuditEvent event = { 0, };
      guint closed = 0;

      if (!esc_service_db_begin (db, error))
        return FALSE;

      if (!esc_service_elevation_end_for_person (db, person_id, "designation-expired",
                                                 "designation expired", 0, now,
                                                 &closed, &devices, error))
        goto failed;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "person_id");
      json_builder_add_int_value (builder, person_id);
      json_builder_set_member_name (builder, "capability");
      json_builder_add_string_value (builder, "elevation");
      json_builder_set_member_name (builder, "elevations_closed");
      json_builder_add_int_value (builder, closed);
      json_builder_set_member_name (builder, "devices_rotated");
      json_builder_add_int_value (builder, g_strv_length (devices));
      add_strv (builder, "devices", (const char * const *)devices);
      json_builder_end_object (builder);
      details = json_builder_get_root (builder);

      target = g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", person_id);
      event.action = "designation.expired";
      event.target = target;
      event.details = details;
      event.at = now;
      if (!esc_service_db_audit_append (db, &event, error) ||
          !esc_service_db_commit (db, error))
        goto failed;
      continue;

failed:
      esc_service_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/* The API */

/* The caller, as the actor of an audit event; @roles keeps the text alive. */
static void
actor_from_context (EscServiceContext    *ctx,
                    EscServiceAuditEvent *actor,
                    char                **roles)
{
  *roles = g_strjoinv (",", ctx->caller->roles);
  actor->actor_id = ctx->caller->id;
  actor->actor_name = ctx->caller->name;
  actor->actor_roles = *roles;
  actor->remote_address = ctx->remote_address;
  actor->at = ctx->now;
}

static gboolean
parse_person_id (const char *text,
                 gint64     *out_id)
{
  return g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, out_id, NULL) &&
         g_ascii_isdigit (text[0]);
}

/* Answers with the StaffMember of @person_id (its ETag, and Location for a
 * new one) and commits. */
static void
commit_member (EscServiceContext *ctx,
               guint              status,
               gint64             person_id,
               gboolean           created)
{
  g_autoptr(JsonNode) member = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *etag = NULL;
  g_autofree char *location = NULL;

  if (!(member = esc_service_staff_member_to_json (ctx->db, person_id, now, &etag, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (ctx->msg), "ETag", etag);
  if (created)
    location = person_target (person_id);
  esc_service_context_commit_json (ctx, status, member, location);
}

/* POST /v1/staff */
static void
handle_create (EscServiceContext *ctx)
{
  static const char * const allowed[] = { "name", "email", "team", "roles", NULL };
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GStrvBuilder) role_list = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *actor_roles = NULL;
  g_auto(GStrv) roles = NULL;
  EscServiceAuditEvent actor = { 0, };
  const char *name;
  const char *email;
  const char *team;
  JsonArray *array;
  gint64 id = 0;

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", allowed);
  name = esc_service_check_string (&check, body, "/name", ESC_SERVICE_FIELD_REQUIRED, 200);
  email = esc_service_check_string (&check, body, "/email", ESC_SERVICE_FIELD_REQUIRED, 254);
  team = esc_service_check_string (&check, body, "/team", ESC_SERVICE_FIELD_NULLABLE, 100);
  array = esc_service_check_array (&check, body, "/roles", ESC_SERVICE_FIELD_REQUIRED, 4);
  if (email != NULL && !esc_staff_email_is_valid (email))
    esc_service_check_fail (&check, "/email", "“%s” is not a valid email address.", email);
  if (team != NULL && !esc_staff_team_is_valid (team))
    esc_service_check_fail (&check, "/team", "The team must be at most 100 characters of text.");
  if (array != NULL && json_array_get_length (array) == 0)
    esc_service_check_fail (&check, "/roles", "At least one role is needed.");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *role = NULL;

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        role = json_node_get_string (node);
      if (!esc_staff_role_is_valid (role))
        {
          g_autofree char *field = g_strdup_printf ("/roles/%u", i);

          esc_service_check_fail (&check, field,
                                  "Each role is one of it-admin, partner-manager, support-staff "
                                  "and operator.");
          break;
        }
      g_strv_builder_add (role_list, role);
    }
  if (!esc_service_check_ok (&check))
    {
      esc_service_send_check (ctx, &check);
      return;
    }
  roles = g_strv_builder_end (role_list);

  if (!esc_service_context_begin (ctx))
    return;

  actor_from_context (ctx, &actor, &actor_roles);
  if (!esc_service_access_create_person (ctx->db, name, email, team, (const char * const *)roles,
                                         &actor, &id, &error))
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_CONFLICT))
        {
          esc_service_context_rollback (ctx);
          esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "person-exists", "Person Exists",
                                    "%s.", error->message);
        }
      else if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT))
        {
          esc_service_context_rollback (ctx);
          esc_service_send_invalid_field (ctx, "/name", "invalid-field", "Invalid Field",
                                          error->message);
        }
      else
        esc_service_send_internal_error (ctx, error);
      return;
    }

  commit_member (ctx, SOUP_STATUS_CREATED, id, TRUE);
}

/* POST /v1/staff/import, a text/csv body */
static void
handle_import (EscServiceContext *ctx)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *actor_roles = NULL;
  EscServiceAuditEvent actor = { 0, };
  const char *content_type = NULL;
  const guint8 *data;
  gsize length = 0;
  guint imported = 0;

  if (!(data = esc_service_context_get_body (ctx, &length, &content_type)))
    return;

  if (content_type == NULL || g_ascii_strncasecmp (content_type, "text/csv", 8) != 0 ||
      (content_type[8] != '\0' && content_type[8] != ';' && content_type[8] != ' '))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                "Unsupported Media Type",
                                "The body must be text/csv; charset=utf-8, not %s.",
                                content_type ? content_type : "untyped");
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;

  actor_from_context (ctx, &actor, &actor_roles);
  if (!esc_service_access_import (ctx->db, (const char *)data, length, &actor, &imported,
                                  &errors, &error))
    {
      if (errors != NULL && errors->len > 0)
        {
          g_autoptr(JsonObject) extra = json_object_new ();

          esc_service_context_rollback (ctx);
          json_object_set_member (extra, "errors", esc_staff_import_errors_to_json (errors));
          esc_service_send_problem_extra (ctx, 422, "invalid-rows", "Invalid Rows", extra,
                                          "%u %s of the file %s bad; nothing was imported. "
                                          "“errors” lists each with its line.",
                                          errors->len, errors->len == 1 ? "row" : "rows",
                                          errors->len == 1 ? "is" : "are");
        }
      else
        esc_service_send_internal_error (ctx, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, imported);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, root, NULL);
}

/* POST /v1/staff/{id}/remove-access */
static void
handle_remove_access (EscServiceContext *ctx)
{
  static const char * const allowed[] = { "reason", NULL };
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) member = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor_roles = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *etag = NULL;
  EscServiceAccessRemoval removal = { 0, };
  EscServiceAuditEvent actor = { 0, };
  const char *reason;
  gint64 person_id;

  if (!parse_person_id (ctx->params[0], &person_id))
    {
      esc_service_send_not_found (ctx);
      return;
    }

  if (!(body = esc_service_context_read_optional_object (ctx)))
    return;
  esc_service_check_members (&check, body, "", allowed);
  reason = esc_service_check_string (&check, body, "/reason", ESC_SERVICE_FIELD_NULLABLE,
                                     MAX_REASON_CHARS);
  if (!esc_service_check_ok (&check))
    {
      esc_service_send_check (ctx, &check);
      return;
    }

  if (person_id == ctx->caller->id)
    {
      esc_service_send_problem (ctx, SOUP_STATUS_CONFLICT, "own-access", "Own Access",
                                "You cannot remove your own access; another IT administrator can.");
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;

  actor_from_context (ctx, &actor, &actor_roles);
  if (!esc_service_access_remove (ctx->db, person_id, reason, &actor, &removal, &error))
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND))
        {
          esc_service_context_rollback (ctx);
          esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found",
                                    "There is no person with id %" G_GINT64_FORMAT ".", person_id);
        }
      else
        esc_service_send_internal_error (ctx, error);
      return;
    }

  if (!(member = esc_service_staff_member_to_json (ctx->db, person_id, now, &etag, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "person");
  json_builder_add_value (builder, g_steal_pointer (&member));
  json_builder_set_member_name (builder, "tokens_revoked");
  json_builder_add_int_value (builder, removal.tokens_revoked);
  json_builder_set_member_name (builder, "designations_withdrawn");
  json_builder_add_int_value (builder, removal.designations_withdrawn);
  json_builder_set_member_name (builder, "elevations_closed");
  json_builder_add_int_value (builder, removal.elevations_closed);
  json_builder_set_member_name (builder, "devices_rotated");
  json_builder_add_int_value (builder, removal.devices_rotated);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, root, NULL);
}

void
esc_service_access_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "POST", "/v1/staff", ESC_SERVICE_ROLE_IT_ADMIN, handle_create);
  esc_service_router_add (router, "POST", "/v1/staff/import", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_import);
  esc_service_router_add (router, "POST", "/v1/staff/{id}/remove-access", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_remove_access);
  esc_service_router_add_housekeeping (router, esc_service_access_end_expired);
}
