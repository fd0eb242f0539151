/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

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
  g_autofree char *value = esc_service_db_dup_setting (db, "elevation.account");

  if (value != NULL && value[0] != '\0')
    return g_steal_pointer (&value);

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

/* Device passwords
 *
 * One row per device in device_passwords: the sealed password, its
 * generation and when its period ends. Every change of a row is a
 * conditional write on the generation and rotates_at read just before, so
 * that nodes sharing one database (PostgreSQL) never rotate twice for one
 * period: the first write wins, the other finds no row to change (it waited
 * for the winner's transaction, then saw its new row) and reads the
 * winner's password instead. On SQLite the write transaction holds the file,
 * and the condition always holds. */

/* How many times a write that lost to another node's is tried again before
 * the transaction gives up (and the client, told 500, tries again). */
#define MAX_PASSWORD_WRITES 5

typedef struct
{
  gboolean  found;
  gint64    generation;
  char     *sealed;
  char     *rotates_at;
} StoredPassword;

static void
stored_password_clear (StoredPassword *stored)
{
  g_clear_pointer (&stored->sealed, g_free);
  g_clear_pointer (&stored->rotates_at, g_free);
  stored->found = FALSE;
  stored->generation = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredPassword, stored_password_clear)

static gboolean
read_stored_password (EscServiceDb    *db,
                      gint64           device_id,
                      StoredPassword  *out,
                      GError         **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  stored_password_clear (out);

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT sealed, generation, rotates_at FROM device_passwords"
                                       " WHERE device_id = ?1",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, device_id);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    {
      out->found = TRUE;
      out->sealed = g_strdup (esc_service_stmt_column_text (stmt, 0));
      out->generation = esc_service_stmt_column_int64 (stmt, 1);
      out->rotates_at = g_strdup (esc_service_stmt_column_text (stmt, 2));
      return TRUE;
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    return esc_service_db_set_error (db, error);

  return TRUE;
}

/* The associated data ties a sealed text to its device and generation: a
 * row copied or rolled back does not open. */
static char *
dup_associated_data (gint64 device_id,
                     gint64 generation)
{
  return g_strdup_printf ("device-password:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                          device_id, generation);
}

/* Writes a new password for @device_id, generation @previous + 1, valid
 * until @rotates_at, if the row is still as @previous says. Returns the new
 * password, or NULL: with @error on failure, without if another transaction
 * changed the row first. */
static char *
write_new_password (EscServiceDb          *db,
                    EscServiceSecretBox   *box,
                    gint64                 device_id,
                    const StoredPassword  *previous,
                    const char            *now,
                    const char            *rotates_at,
                    GError               **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *associated_data = NULL;
  g_autofree char *sealed = NULL;
  gint64 generation = previous->generation + 1;
  char *password;

  associated_data = dup_associated_data (device_id, generation);
  if (!(password = esc_service_crypto_generate_password (ESC_SERVICE_PASSWORD_LENGTH, error)))
    return NULL;
  if (!(sealed = esc_service_secret_box_seal (box, password, associated_data, error)))
    goto failed;

  if (previous->found)
    stmt = esc_service_db_prepare (db,
                                   "UPDATE device_passwords"
                                   " SET sealed = ?2, generation = ?3, rotated_at = ?4, rotates_at = ?5"
                                   " WHERE device_id = ?1 AND generation = ?6 AND rotates_at = ?7",
                                   error);
  else
    stmt = esc_service_db_prepare (db,
                                   "INSERT INTO device_passwords"
                                   " (device_id, sealed, generation, rotated_at, rotates_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5)"
                                   " ON CONFLICT (device_id) DO NOTHING",
                                   error);
  if (stmt == NULL)
    goto failed;
  esc_service_stmt_bind_int64 (stmt, 1, device_id);
  esc_service_stmt_bind_text (stmt, 2, sealed);
  esc_service_stmt_bind_int64 (stmt, 3, generation);
  esc_service_stmt_bind_text (stmt, 4, now);
  esc_service_stmt_bind_text (stmt, 5, rotates_at);
  if (previous->found)
    {
      esc_service_stmt_bind_int64 (stmt, 6, previous->generation);
      esc_service_stmt_bind_text (stmt, 7, previous->rotates_at);
    }
  if (!esc_service_db_step_done (db, stmt, error))
    goto failed;

  if (esc_service_stmt_changes (stmt) > 0)
    return password;

  /* Another node got there first. */
  esc_service_crypto_free_secret (password);
  return NULL;

failed:
  esc_service_crypto_free_secret (password);
  return NULL;
}

static char *
dup_rotates_at (EscServiceDb *db,
                GDateTime    *now)
{
  return esc_service_elevation_format_offset (now,
                                              esc_service_elevation_get_rotation_seconds (db) *
                                              G_TIME_SPAN_SECOND);
}

static void
set_contended_error (GError **error,
                     gint64   device_id)
{
  g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
               "the password of device %" G_GINT64_FORMAT " changed under %d writes in a row",
               device_id, MAX_PASSWORD_WRITES);
}

/**
 * esc_service_elevation_get_password:
 * @db: a #EscServiceDb, inside a write transaction
 * @device_id: a device's id
 * @now: the current time
 * @out_rotates_at: (out) (transfer full): when the password's period ends
 * @out_generation: (out): its generation
 * @out_rotated: (out) (optional): whether this call made it (the caller
 *   then audits "device.password-rotated")
 * @error: return location for a #GError
 *
 * The device's current password, made first if there is none or its period
 * is over: once per period whichever node asks. Two transactions reading
 * an ended period at the same moment rotate once: the second waits for the
 * first, finds the generation moved on and returns the first one's password.
 *
 * Returns: (transfer full): the password, to free with
 *   esc_service_crypto_free_secret(); %NULL on failure
 */
char *
esc_service_elevation_get_password (EscServiceDb  *db,
                                    gint64         device_id,
                                    GDateTime     *now,
                                    char         **out_rotates_at,
                                    gint64        *out_generation,
                                    gboolean      *out_rotated,
                                    GError       **error)
{
  g_auto(StoredPassword) stored = { 0, };
  g_autofree char *now_text = NULL;
  EscServiceSecretBox *box;
  gint64 lost_to = -1;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);
  g_return_val_if_fail (esc_service_db_in_transaction (db), NULL);
  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (out_rotates_at != NULL && out_generation != NULL, NULL);

  if (!(box = esc_service_keys_get_secret_box (db, error)))
    return NULL;
  now_text = esc_service_format_timestamp (now);

  for (guint attempt = 0; attempt < MAX_PASSWORD_WRITES; attempt++)
    {
      g_autofree char *rotates_at = NULL;
      g_autoptr(GError) local_error = NULL;
      char *password;

      if (!read_stored_password (db, device_id, &stored, error))
        return NULL;

      /* Still in its period; or rotated by the transaction that won the
       * race (whatever this node's clock says of its period). */
      if (stored.found &&
          (strcmp (stored.rotates_at, now_text) > 0 || (lost_to >= 0 && stored.generation > lost_to)))
        {
          g_autofree char *associated_data = dup_associated_data (device_id, stored.generation);

          if (!(password = esc_service_secret_box_open (box, stored.sealed, associated_data, error)))
            return NULL;

          *out_rotates_at = g_steal_pointer (&stored.rotates_at);
          *out_generation = stored.generation;
          if (out_rotated != NULL)
            *out_rotated = FALSE;
          return password;
        }

      /* Rotate: a new password for a new period from now. */
      rotates_at = dup_rotates_at (db, now);
      password = write_new_password (db, box, device_id, &stored, now_text, rotates_at, &local_error);
      if (password != NULL)
        {
          *out_rotates_at = g_steal_pointer (&rotates_at);
          *out_generation = stored.generation + 1;
          if (out_rotated != NULL)
            *out_rotated = TRUE;
          return password;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      /* Lost: read the winner's row. */
      lost_to = stored.generation;
    }

  set_contended_error (error, device_id);
  return NULL;
}

/* Ending a person's access */

/* Gives @device_id a new password now, for a new period: whoever read the
 * old one cannot use it any more. Inside the caller's transaction. A
 * rotation by another node at the same moment is not enough (the person
 * might have read it): this one writes its own. */
static gboolean
rotate_device_password (EscServiceDb  *db,
                        gint64         device_id,
                        GDateTime     *now,
                        GError       **error)
{
  g_autofree char *now_text = esc_service_format_timestamp (now);
  g_autofree char *rotates_at = dup_rotates_at (db, now);
  EscServiceSecretBox *box;

  if (!(box = esc_service_keys_get_secret_box (db, error)))
    return FALSE;

  for (guint attempt = 0; attempt < MAX_PASSWORD_WRITES; attempt++)
    {
      g_auto(StoredPassword) stored = { 0, };
      g_autoptr(GError) local_error = NULL;
      char *password;

      if (!read_stored_password (db, device_id, &stored, error))
        return FALSE;

      password = write_new_password (db, box, device_id, &stored, now_text, rotates_at, &local_error);
      if (password != NULL)
        {
          esc_service_crypto_free_secret (password);
          return TRUE;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  set_contended_error (error, device_id);
  return FALSE;
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
