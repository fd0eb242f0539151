/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-csv.h"
#include "esc-device.h"
#include "esc-service-devices.h"
#include "esc-service-private.h"

#define MAX_NAME_LENGTH 63
#define MAX_SERIAL_LENGTH 100
/* A fleet export is a few megabytes at most; refuse anything absurd. */
#define MAX_CSV_SIZE (64 * 1024 * 1024)
#define PAGE_DEFAULT 100
#define PAGE_MAX 500
#define MAX_QUERY_CHARS 200

static const char * const device_groups[] = {
  "test",
  "first",
  "fast",
  "broad",
  NULL
};

void
esc_service_device_row_free (EscServiceDeviceRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->serial_number);
  g_free (row->group);
  g_free (row);
}

const char * const *
esc_service_device_groups (void)
{
  return device_groups;
}

gboolean
esc_service_device_group_is_valid (const char *group)
{
  return group != NULL && g_strv_contains (device_groups, group);
}

static gboolean
is_identifier_char (char     c,
                    gboolean allow_slash)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || (allow_slash && c == '/');
}

/**
 * esc_service_device_name_is_valid:
 * @name: (nullable): a device name
 *
 * Computer names as Windows and the fleet's tooling have them: 1 to 63
 * ASCII letters, digits, "-", "_" or ".", not starting with "-" or ".".
 */
gboolean
esc_service_device_name_is_valid (const char *name)
{
  gsize length;

  if (name == NULL)
    return FALSE;

  length = strlen (name);
  if (length == 0 || length > MAX_NAME_LENGTH || name[0] == '-' || name[0] == '.')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!is_identifier_char (*p, FALSE))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_service_device_serial_is_valid:
 * @serial: (nullable): a serial number
 *
 * 1 to 100 ASCII letters, digits, "-", "_", "." or "/".
 */
gboolean
esc_service_device_serial_is_valid (const char *serial)
{
  gsize length;

  if (serial == NULL)
    return FALSE;

  length = strlen (serial);
  if (length == 0 || length > MAX_SERIAL_LENGTH)
    return FALSE;

  for (const char *p = serial; *p != '\0'; p++)
    {
      if (!is_identifier_char (*p, TRUE))
        return FALSE;
    }

  return TRUE;
}

static void
set_name_error (GError     **error,
                const char  *name)
{
  g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a valid device name (1 to 63 letters, digits, “-”, “_” or “.”)"),
               name ? name : "");
}

static void
set_serial_error (GError     **error,
                  const char  *serial)
{
  g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a valid serial number (1 to 100 letters, digits, “-”, “_”, "
                 "“.” or “/”)"), serial ? serial : "");
}

static void
set_group_error (GError     **error,
                 const char  *group)
{
  g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
               _("“%s” is not a device group; the groups are test, first, fast and broad"),
               group ? group : "");
}

/**
 * esc_service_device_validate:
 * @name: (nullable): a device name
 * @serial_number: (nullable): its serial number
 * @group: (nullable): its group
 * @error: return location for a #GError
 *
 * Returns: %TRUE if all three are valid; else %FALSE with
 *   %ESC_SERVICE_ERROR_INVALID_ARGUMENT saying what is wrong
 */
gboolean
esc_service_device_validate (const char  *name,
                             const char  *serial_number,
                             const char  *group,
                             GError     **error)
{
  if (!esc_service_device_name_is_valid (name))
    set_name_error (error, name);
  else if (!esc_service_device_serial_is_valid (serial_number))
    set_serial_error (error, serial_number);
  else if (!esc_service_device_group_is_valid (group))
    set_group_error (error, group);
  else
    return TRUE;

  return FALSE;
}

/* CSV: the records come from core's reader (esc_csv_read()); the checks of
 * the columns and the devices are here. */

static gboolean G_GNUC_PRINTF (3, 4)
csv_error (GError     **error,
           guint        line,
           const char  *format,
           ...)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  esc_csv_set_line_error (&local_error, line, "%s", reason);
  g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                       local_error->message);
  return FALSE;
}

/**
 * esc_service_devices_parse_csv:
 * @text: (array length=length): the file's contents
 * @length: its size in bytes
 * @error: return location for a #GError
 *
 * Parses a device list: a header line naming the columns `name`, `serial`
 * and `group` (in any order, any case), then one device per line. Blank lines
 * are skipped; a UTF-8 byte order mark is allowed. Values are trimmed and the
 * group is read case-insensitively. Any fault fails the whole file with
 * %ESC_SERVICE_ERROR_INVALID_ARGUMENT and a message starting "line N: ".
 *
 * Returns: (transfer full) (element-type EscServiceDeviceRow): the rows
 */
GPtrArray *
esc_service_devices_parse_csv (const char  *text,
                               gsize        length,
                               GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_service_device_row_free);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) serials = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  int column_name = -1, column_serial = -1, column_group = -1;
  guint n_columns = 0;
  gboolean have_header = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (!(records = esc_csv_read (text, length, MAX_CSV_SIZE, &local_error)))
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                           local_error->message);
      return NULL;
    }

  for (guint r = 0; r < records->len; r++)
    {
      EscCsvRecord *record = records->pdata[r];
      char **fields = record->fields;
      g_autoptr(EscServiceDeviceRow) row = NULL;
      g_autofree char *name_key = NULL;
      g_autofree char *serial_key = NULL;
      guint line = record->line;
      gpointer other_line;

      if (!have_header)
        {
          for (guint i = 0; i < record->n_fields; i++)
            {
              g_autofree char *column = g_ascii_strdown (g_strstrip (fields[i]), -1);
              int *slot = NULL;

              if (strcmp (column, "name") == 0)
                slot = &column_name;
              else if (strcmp (column, "serial") == 0)
                slot = &column_serial;
              else if (strcmp (column, "group") == 0)
                slot = &column_group;
              else
                {
                  csv_error (error, line,
                             _("unknown column “%s” in the header; the columns are name, "
                               "serial and group"), column);
                  return NULL;
                }

              if (*slot >= 0)
                {
                  csv_error (error, line, _("the column “%s” appears twice in the header"),
                             column);
                  return NULL;
                }
              *slot = (int)i;
            }

          if (column_name < 0 || column_serial < 0 || column_group < 0)
            {
              csv_error (error, line,
                         _("the header must name the columns name, serial and group"));
              return NULL;
            }

          n_columns = record->n_fields;
          have_header = TRUE;
          continue;
        }

      if (record->n_fields != n_columns)
        {
          csv_error (error, line,
                     ngettext ("expected %u field, found %u", "expected %u fields, found %u",
                               n_columns),
                     n_columns, record->n_fields);
          return NULL;
        }

      row = g_new0 (EscServiceDeviceRow, 1);
      row->line = line;
      row->name = g_strdup (g_strstrip (fields[column_name]));
      row->serial_number = g_strdup (g_strstrip (fields[column_serial]));
      row->group = g_ascii_strdown (g_strstrip (fields[column_group]), -1);

      if (!esc_service_device_validate (row->name, row->serial_number, row->group,
                                        &local_error))
        {
          csv_error (error, line, "%s", local_error->message);
          return NULL;
        }

      /* Names and serial numbers are unique regardless of case, as in the database. */
      name_key = g_ascii_strdown (row->name, -1);
      serial_key = g_ascii_strdown (row->serial_number, -1);
      if ((other_line = g_hash_table_lookup (names, name_key)) != NULL)
        {
          csv_error (error, line, _("the device “%s” is already on line %u"),
                     row->name, GPOINTER_TO_UINT (other_line));
          return NULL;
        }
      if ((other_line = g_hash_table_lookup (serials, serial_key)) != NULL)
        {
          csv_error (error, line, _("the serial number “%s” is already on line %u"),
                     row->serial_number, GPOINTER_TO_UINT (other_line));
          return NULL;
        }
      g_hash_table_insert (names, g_steal_pointer (&name_key), GUINT_TO_POINTER (line));
      g_hash_table_insert (serials, g_steal_pointer (&serial_key), GUINT_TO_POINTER (line));

      g_ptr_array_add (rows, g_steal_pointer (&row));
    }

  if (!have_header)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                           _("The file is empty: it needs a header line “name,serial,group” "
                             "and one device per line"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/* The database */

/* Finds a device by name or serial number (either, regardless of case); a
 * name wins over another device's serial number. */
static gboolean
find_device (EscServiceDb         *db,
             const char           *name_or_serial,
             EscServiceDevice     *out,
             GError              **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT id, name, serial_number, device_group FROM devices"
                                       " WHERE lower (name) = lower (?1) OR lower (serial_number) = lower (?1)"
                                       " ORDER BY CASE WHEN lower (name) = lower (?1) THEN 0 ELSE 1 END"
                                       " LIMIT 1",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, name_or_serial);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   _("No enrolled device has the name or serial number “%s”"), name_or_serial);
      return FALSE;
    }
  if (rc != ESC_SERVICE_STMT_ROW)
    return esc_service_db_set_error (db, error);

  out->id = esc_service_stmt_column_int64 (stmt, 0);
  out->name = g_strdup (esc_service_stmt_column_text (stmt, 1));
  out->serial_number = g_strdup (esc_service_stmt_column_text (stmt, 2));
  out->group = g_strdup (esc_service_stmt_column_text (stmt, 3));

  return TRUE;
}

/**
 * esc_service_devices_find:
 * @db: a #EscServiceDb
 * @name_or_serial: a device's name or serial number, in any case
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the device, or %NULL with
 *   %ESC_SERVICE_ERROR_NOT_FOUND (or a database error)
 */
EscServiceDevice *
esc_service_devices_find (EscServiceDb  *db,
                          const char    *name_or_serial,
                          GError       **error)
{
  g_autoptr(EscServiceDevice) device = g_new0 (EscServiceDevice, 1);

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);
  g_return_val_if_fail (name_or_serial != NULL, NULL);

  if (!find_device (db, name_or_serial, device, error))
    return NULL;

  return g_steal_pointer (&device);
}

void
esc_service_device_free (EscServiceDevice *device)
{
  if (device == NULL)
    return;

  g_free (device->name);
  g_free (device->serial_number);
  g_free (device->group);
  g_free (device);
}

/**
 * esc_service_device_to_json:
 * @device: a device
 *
 * Returns: (transfer full): `{"name", "serial_number", "group"}`
 */
JsonNode *
esc_service_device_to_json (const EscServiceDevice *device)
{
  g_autoptr(EscDevice) core = esc_device_new (device->name, device->serial_number, device->group, -1);

  return esc_device_to_json (core);
}

/* The id of the device matching @column_sql's ?1, 0 if none, -1 on error. */
static gint64
find_holder (EscServiceDb  *db,
             const char    *column_sql,
             const char    *value,
             GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (db, column_sql, error)))
    return -1;
  esc_service_stmt_bind_text (stmt, 1, value);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    return esc_service_stmt_column_int64 (stmt, 0);
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return -1;
    }

  return 0;
}

typedef enum
{
  DEVICE_ADDED,
  DEVICE_UPDATED,
  DEVICE_UNCHANGED,
} DeviceChange;

/* Adds the device, or, if @update and its serial number is known, renames it
 * and moves it to @group. Inside a write transaction. */
static gboolean
store_device (EscServiceDb   *db,
              const char     *name,
              const char     *serial_number,
              const char     *group,
              gboolean        update,
              const char     *now,
              DeviceChange   *out_change,
              GError        **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  gint64 by_serial;
  gint64 by_name;

  if ((by_serial = find_holder (db, "SELECT id FROM devices WHERE lower (serial_number) = lower (?1)",
                                serial_number, error)) < 0 ||
      (by_name = find_holder (db, "SELECT id FROM devices WHERE lower (name) = lower (?1)", name,
                              error)) < 0)
    return FALSE;

  if (by_serial > 0 && !update)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("A device with the serial number “%s” is already enrolled"), serial_number);
      return FALSE;
    }
  if (by_name > 0 && by_name != by_serial)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("Another device is already enrolled under the name “%s”"), name);
      return FALSE;
    }

  if (by_serial > 0)
    {
      if (!(stmt = esc_service_db_prepare (db,
                                           "UPDATE devices SET name = ?1, device_group = ?2, updated_at = ?3"
                                           " WHERE id = ?4 AND (lower (name) IS DISTINCT FROM lower (?1)"
                                           "                    OR device_group IS DISTINCT FROM ?2)",
                                           error)))
        return FALSE;
      esc_service_stmt_bind_text (stmt, 1, name);
      esc_service_stmt_bind_text (stmt, 2, group);
      esc_service_stmt_bind_text (stmt, 3, now);
      esc_service_stmt_bind_int64 (stmt, 4, by_serial);
      if (!esc_service_db_step_done (db, stmt, error))
        return FALSE;
      *out_change = esc_service_stmt_changes (stmt) > 0
                    ? DEVICE_UPDATED : DEVICE_UNCHANGED;
      return TRUE;
    }

  if (!(stmt = esc_service_db_prepare (db,
                                       "INSERT INTO devices (name, serial_number, device_group,"
                                       "                     created_at, updated_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?4)",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, name);
  esc_service_stmt_bind_text (stmt, 2, serial_number);
  esc_service_stmt_bind_text (stmt, 3, group);
  esc_service_stmt_bind_text (stmt, 4, now);
  if (!esc_service_db_step_done (db, stmt, error))
    return FALSE;

  *out_change = DEVICE_ADDED;
  return TRUE;
}

static gboolean
audit_command_line (EscServiceDb  *db,
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
 * esc_service_devices_add:
 * @db: a #EscServiceDb
 * @name: the device's name
 * @serial_number: its serial number
 * @group: "test", "first", "fast" or "broad"
 * @error: return location for a #GError
 *
 * Enrols a device (`escalade-service device add`); audited as done from the
 * command line. A name or serial number already enrolled is refused with
 * %ESC_SERVICE_ERROR_INVALID_ARGUMENT.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_devices_add (EscServiceDb  *db,
                         const char    *name,
                         const char    *serial_number,
                         const char    *group,
                         GError       **error)
{
  g_autoptr(GDateTime) now_time = NULL;
  g_autofree char *now = NULL;
  g_autofree char *target = NULL;
  g_autoptr(JsonNode) details = NULL;
  DeviceChange change;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  if (!esc_service_device_validate (name, serial_number, group, error))
    return FALSE;

  now_time = esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);
  details = esc_service_device_to_json (&(EscServiceDevice) { 0, (char *)name,
                                                               (char *)serial_number,
                                                               (char *)group });
  target = g_strdup_printf ("device:%s", name);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!store_device (db, name, serial_number, group, FALSE, now, &change, error) ||
      !audit_command_line (db, "device.added", target, details, error) ||
      !esc_service_db_commit (db, error))
    {
      esc_service_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/**
 * esc_service_devices_import:
 * @db: a #EscServiceDb
 * @text: (array length=length): a CSV file, see esc_service_devices_parse_csv()
 * @length: its size
 * @out_added: (out) (optional): how many devices were new
 * @out_updated: (out) (optional): how many known serial numbers got a new
 *   name or group
 * @error: return location for a #GError
 *
 * Imports a device list in one transaction: any bad line, or a name already
 * enrolled under another serial number, fails the whole import with a
 * message "line N: …" and changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_devices_import (EscServiceDb  *db,
                            const char    *text,
                            gsize          length,
                            guint         *out_added,
                            guint         *out_updated,
                            GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *now = NULL;
  guint added = 0, updated = 0, unchanged = 0;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  if (!(rows = esc_service_devices_parse_csv (text, length, error)))
    return FALSE;

  now_time = esc_service_db_dup_now (db);
  now = esc_service_format_timestamp (now_time);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      EscServiceDeviceRow *row = rows->pdata[i];
      g_autoptr(GError) local_error = NULL;
      DeviceChange change;

      if (!store_device (db, row->name, row->serial_number, row->group, TRUE, now,
                         &change, &local_error))
        {
          esc_service_db_rollback (db);
          if (local_error->domain == ESC_SERVICE_ERROR &&
              local_error->code == ESC_SERVICE_ERROR_INVALID_ARGUMENT)
            g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                         _("line %u: %s"), row->line, local_error->message);
          else
            g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      if (change == DEVICE_ADDED)
        added++;
      else if (change == DEVICE_UPDATED)
        updated++;
      else
        unchanged++;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "added");
  json_builder_add_int_value (builder, added);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, updated);
  json_builder_set_member_name (builder, "unchanged");
  json_builder_add_int_value (builder, unchanged);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (!audit_command_line (db, "devices.imported", NULL, details, error) ||
      !esc_service_db_commit (db, error))
    {
      esc_service_db_rollback (db);
      return FALSE;
    }

  if (out_added != NULL)
    *out_added = added;
  if (out_updated != NULL)
    *out_updated = updated;

  return TRUE;
}

/* GET /v1/devices */

/* ?limit= as an integer from 1 to PAGE_MAX; FALSE after answering 400. */
static gboolean
read_limit (EscServiceContext *ctx,
            guint             *out_limit)
{
  const char *text = esc_service_context_get_query (ctx, "limit");
  guint64 limit = PAGE_DEFAULT;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, PAGE_MAX, &limit, NULL))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query", "Invalid Query",
                                "“limit” must be an integer from 1 to %d.", PAGE_MAX);
      return FALSE;
    }

  *out_limit = (guint)limit;
  return TRUE;
}

/* "%" and "_" are wildcards of LIKE: match them literally. */
static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');

  return g_string_free (pattern, FALSE);
}

static void
handle_list_devices (EscServiceContext *ctx)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscDevice) device = NULL;
  g_autofree char *pattern = NULL;
  g_autofree char *now = NULL;
  g_autofree char *last_name = NULL;
  const char *query = esc_service_context_get_query (ctx, "query");
  const char *cursor = esc_service_context_get_query (ctx, "cursor");
  guint limit;
  guint count = 0;
  int rc;

  if (!esc_service_context_has_role (ctx, ESC_SERVICE_ROLE_IT_ADMIN) &&
      !esc_service_context_has_designation (ctx, "elevation") &&
      !esc_service_context_has_designation (ctx, "escalation"))
    {
      esc_service_send_forbidden (ctx,
                                  "Finding devices needs a live elevation or escalation "
                                  "designation, or the it-admin role.");
      return;
    }

  if (!read_limit (ctx, &limit))
    return;

  if (query != NULL && (!g_utf8_validate (query, -1, NULL) ||
                        g_utf8_strlen (query, -1) > MAX_QUERY_CHARS))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query", "Invalid Query",
                                "“query” must be UTF-8 text of at most %d characters.",
                                MAX_QUERY_CHARS);
      return;
    }

  /* The cursor is the last name of the previous page. */
  if (cursor != NULL && !esc_service_device_name_is_valid (cursor))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query", "Invalid Query",
                                "“cursor” is not a cursor this service gave out.");
      return;
    }

  pattern = like_pattern (query ? query : "");
  now = esc_service_context_dup_now_string (ctx);

  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "SELECT d.name, d.serial_number, d.device_group,"
                                       "  (SELECT count(*) FROM elevation_requests e"
                                       "    WHERE e.device_id = d.id AND e.state = 'open'"
                                       "      AND e.expires_at > ?4)"
                                       " FROM devices d"
                                       " WHERE (lower (d.name) LIKE lower (?1) ESCAPE '\\'"
                                       "        OR lower (d.serial_number) LIKE lower (?1) ESCAPE '\\')"
                                       "   AND (CAST (?2 AS text) IS NULL OR lower (d.name) > lower (CAST (?2 AS text)))"
                                       " ORDER BY lower (d.name)"
                                       " LIMIT ?3",
                                       &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, pattern);
  esc_service_stmt_bind_text (stmt, 2, cursor);
  /* One more than asked, to know whether there is a next page. */
  esc_service_stmt_bind_int64 (stmt, 3, limit + 1);
  esc_service_stmt_bind_text (stmt, 4, now);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      if (++count > limit)
        break;

      device = esc_device_new (esc_service_stmt_column_text (stmt, 0),
                               esc_service_stmt_column_text (stmt, 1),
                               esc_service_stmt_column_text (stmt, 2),
                               esc_service_stmt_column_int64 (stmt, 3));
      json_builder_add_value (builder, esc_device_to_json (device));
      g_clear_object (&device);

      g_free (last_name);
      last_name = g_strdup (esc_service_stmt_column_text (stmt, 0));
    }

  if (rc != ESC_SERVICE_STMT_ROW && rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      esc_service_send_internal_error (ctx, error);
      return;
    }

  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  if (count > limit)
    json_builder_add_string_value (builder, last_name);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

void
esc_service_devices_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", "/v1/devices",
                          ESC_SERVICE_ROLE_IT_ADMIN | ESC_SERVICE_ROLE_SUPPORT_STAFF,
                          handle_list_devices);
}
