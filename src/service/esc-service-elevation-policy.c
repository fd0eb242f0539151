/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include "esc-service-elevation-private.h"
#include "esc-service-keys.h"

/* The numbers elevation requests run by (settings in the database), and what
 * the service does to them outside the handlers of esc-service-elevation.c:
 * ending a person's access, purging old records. */

/* Fallbacks if a setting is missing or absurd. */
#define DEFAULT_MAX_OPEN 3
#define DEFAULT_ROTATION_SECONDS 7200
#define DEFAULT_ACCESS_SECONDS 28800
#define DEFAULT_RETENTION_DAYS 90
#define DEFAULT_ACCOUNT "escadmin"

/* Settings */

static gint64
get_setting (EscServiceDb *db,
             const char   *key,
             gint64        fallback,
             gint64        min,
             gint64        max)
{
  gint64 value = esc_service_db_get_setting_int (db, key, fallback);

  return value >= min && value <= max ? value : fallback;
}

gint64
esc_service_elevation_get_max_open (EscServiceDb *db)
{
  return get_setting (db, "elevation.max-open-per-device", DEFAULT_MAX_OPEN, 1, 1000);
}

gint64
esc_service_elevation_get_rotation_seconds (EscServiceDb *db)
{
  return get_setting (db, "elevation.password-rotation-seconds", DEFAULT_ROTATION_SECONDS,
                      60, 31 * 24 * 3600);
}

gint64
esc_service_elevation_get_access_seconds (EscServiceDb *db)
{
  return get_setting (db, "elevation.access-seconds", DEFAULT_ACCESS_SECONDS, 60, 31 * 24 * 3600);
}

static gint64
get_retention_days (EscServiceDb *db)
{
  return get_setting (db, "elevation.retention-days", DEFAULT_RETENTION_DAYS, 1, 100 * 365);
}

char *
esc_service_elevation_dup_account_name (EscServiceDb *db)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  stmt = esc_service_db_prepare (db, "SELECT value FROM settings WHERE key = 'elevation.account'",
                                 NULL);
  if (stmt != NULL && esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW)
    {
      const char *value = esc_service_stmt_column_text (stmt, 0);

      if (value != NULL && value[0] != '\0')
        return g_strdup (value);
    }

  return g_strdup (DEFAULT_ACCOUNT);
}

char *
esc_service_elevation_format_offset (GDateTime *now,
                                     GTimeSpan  offset)
{
  g_autoptr(GDateTime) then = g_date_time_add (now, offset);

  return esc_service_format_timestamp (then);
}

/* The oldest created_at still kept. */
char *
esc_service_elevation_dup_retention_cutoff (EscServiceDb *db,
                                            GDateTime    *now)
{
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -(gint)get_retention_days (db));

  return esc_service_format_timestamp (cutoff);
}

/* Ending a person's access */

/* Gives @device_id a new password now, for a new period: whoever read the
 * old one cannot use it any more. Inside the caller's transaction. */
static gboolean
rotate_device_password (EscServiceDb  *db,
                        gint64         device_id,
                        GDateTime     *now,
                        GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *associated_data = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *now_text = esc_service_format_timestamp (now);
  g_autofree char *rotates_at = NULL;
  EscServiceSecretBox *box;
  gint64 generation = 0;
  char *password;
  int rc;

  rotates_at = esc_service_elevation_format_offset (now,
                                                    esc_service_elevation_get_rotation_seconds (db) *
                                                    G_TIME_SPAN_SECOND);

  if (!(box = esc_service_keys_get_secret_box (db, error)))
    return FALSE;

  if (!(stmt = esc_service_db_prepare (db, "SELECT generation FROM device_passwords WHERE device_id = ?1",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, device_id);
  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    generation = esc_service_stmt_column_int64 (stmt, 0);
  else if (rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);
  g_clear_pointer (&stmt, esc_service_stmt_free);

  generation++;
  associated_data = g_strdup_printf ("device-password:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                     device_id, generation);
  if (!(password = esc_service_crypto_generate_password (ESC_SERVICE_PASSWORD_LENGTH, error)))
    return FALSE;
  sealed = esc_service_secret_box_seal (box, password, associated_data, error);
  esc_service_crypto_free_secret (password);
  if (sealed == NULL)
    return FALSE;

  if (!(stmt = esc_service_db_prepare (db,
                                       "INSERT INTO device_passwords"
                                       " (device_id, sealed, generation, rotated_at, rotates_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5)"
                                       " ON CONFLICT (device_id) DO UPDATE SET sealed = excluded.sealed,"
                                       "  generation = excluded.generation, rotated_at = excluded.rotated_at,"
                                       "  rotates_at = excluded.rotates_at",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, device_id);
  esc_service_stmt_bind_text (stmt, 2, sealed);
  esc_service_stmt_bind_int64 (stmt, 3, generation);
  esc_service_stmt_bind_text (stmt, 4, now_text);
  esc_service_stmt_bind_text (stmt, 5, rotates_at);

  return esc_service_db_step_done (db, stmt, error);
}

/**
 * esc_service_elevation_end_for_person:
 * @db: a #EscServiceDb, inside a write transaction
 * @person_id: whose elevation requests end
 * @closed_reason: why, as the API says it: "designation-withdrawn",
 *   "designation-expired" or "access-removed"
 * @actions_taken: what the closed requests say was done ("designation withdrawn")
 * @closed_by: the administrator whose act ends them (withdrawing the
 *   designation, removing the access), or 0 when the service does on its own
 *   (an expiry, a command on the service's host)
 * @now: the current time
 * @out_closed: (out) (optional): how many open requests were closed
 * @out_devices: (out) (optional) (transfer full): the names of the devices
 *   whose password was rotated, sorted
 * @error: return location for a #GError
 *
 * Closes every open elevation request of @person_id, by @closed_by (null
 * in the API for the service itself), and gives each of their devices a new
 * password at once.
 * Audits nothing: the caller's one event says what happened and why.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_elevation_end_for_person (EscServiceDb   *db,
                                      gint64          person_id,
                                      const char     *closed_reason,
                                      const char     *actions_taken,
                                      gint64          closed_by,
                                      GDateTime      *now,
                                      guint          *out_closed,
                                      GStrv          *out_devices,
                                      GError        **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GArray) device_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autofree char *now_text = esc_service_format_timestamp (now);
  int closed;
  int rc;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (esc_service_db_in_transaction (db), FALSE);

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT DISTINCT d.id, d.name FROM elevation_requests r"
                                       " JOIN devices d ON d.id = r.device_id"
                                       " WHERE r.requested_by = ?1 AND r.state = 'open'"
                                       " ORDER BY d.name",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      gint64 id = esc_service_stmt_column_int64 (stmt, 0);

      g_array_append_val (device_ids, id);
      g_strv_builder_add (names, esc_service_stmt_column_text (stmt, 1));
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);
  g_clear_pointer (&stmt, esc_service_stmt_free);

  if (!(stmt = esc_service_db_prepare (db,
                                       "UPDATE elevation_requests"
                                       " SET state = 'closed', closed_at = ?1, closed_by = ?4,"
                                       "     actions_taken = ?2, closed_reason = ?5"
                                       " WHERE requested_by = ?3 AND state = 'open'",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, now_text);
  esc_service_stmt_bind_text (stmt, 2, actions_taken);
  esc_service_stmt_bind_int64 (stmt, 3, person_id);
  if (closed_by > 0)
    esc_service_stmt_bind_int64 (stmt, 4, closed_by);
  else
    esc_service_stmt_bind_null (stmt, 4);
  esc_service_stmt_bind_text (stmt, 5, closed_reason);
  if (!esc_service_db_step_done (db, stmt, error))
    return FALSE;
  closed = esc_service_stmt_changes (stmt);

  for (guint i = 0; i < device_ids->len; i++)
    {
      if (!rotate_device_password (db, g_array_index (device_ids, gint64, i), now, error))
        return FALSE;
    }

  if (out_closed != NULL)
    *out_closed = (guint)closed;
  if (out_devices != NULL)
    *out_devices = g_strv_builder_end (names);

  return TRUE;
}

/* Housekeeping */

/**
 * esc_service_elevation_purge:
 * @db: a #EscServiceDb
 * @now: the current time
 * @out_purged: (out) (optional): how many requests were deleted
 * @error: return location for a #GError
 *
 * Deletes the elevation requests (and their password views) created more
 * than "elevation.retention-days" before @now; audited when any were.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_elevation_purge (EscServiceDb  *db,
                             GDateTime     *now,
                             guint         *out_purged,
                             GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *cutoff = NULL;
  int purged;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  cutoff = esc_service_elevation_dup_retention_cutoff (db, now);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(stmt = esc_service_db_prepare (db,
                                       "DELETE FROM elevation_requests WHERE created_at <= ?1",
                                       error)))
    goto failed;
  esc_service_stmt_bind_text (stmt, 1, cutoff);
  if (!esc_service_db_step_done (db, stmt, error))
    goto failed;
  purged = esc_service_stmt_changes (stmt);

  if (purged > 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) details = NULL;
      EscServiceAuditEvent event = { 0, };

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, purged);
      json_builder_set_member_name (builder, "created_before");
      json_builder_add_string_value (builder, cutoff);
      json_builder_end_object (builder);
      details = json_builder_get_root (builder);

      event.action = "elevation.purged";
      event.details = details;
      event.at = now;
      if (!esc_service_db_audit_append (db, &event, error))
        goto failed;
    }

  if (!esc_service_db_commit (db, error))
    goto failed;

  if (out_purged != NULL)
    *out_purged = (guint)purged;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}
