/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "esc-service-keys.h"
#include "esc-service-private.h"

/*
 * The sealing key of device passwords
 *
 * Found, in this order: --key-file; the systemd credential "secret-key"
 * ($CREDENTIALS_DIRECTORY/secret-key); "<database>.key". Made (mode 0600)
 * only while no password is sealed: with sealed rows, a missing key file is
 * an error, never a new key that would silently orphan them.
 *
 * When the box is loaded, every row not sealed in the current format under
 * the current key is re-sealed in one transaction: rows from before
 * libsodium ("v1:"), and rows of a rotation that was cut short.
 *
 * Rotation (`key rotate`): a new key is written to "<key file>.next"; the
 * box then seals with it and still opens with the old key; every row is
 * re-sealed in one transaction; then "<key file>.next" replaces the key
 * file. A crash at any point leaves either file able to open every row, and
 * the next start finishes the job.
 */

#define KEY_FILE_KEY "esc-service-key-file"
#define AUDIT_KEY_FILE_KEY "esc-service-audit-key-file"
#define SECRET_BOX_KEY "esc-service-secret-box"

void
esc_service_keys_set_key_file (EscServiceDb *db,
                               const char   *key_file)
{
  g_return_if_fail (ESC_IS_SERVICE_DB (db));

  g_object_set_data_full (G_OBJECT (db), KEY_FILE_KEY, g_strdup (key_file), g_free);
  g_object_set_data (G_OBJECT (db), SECRET_BOX_KEY, NULL);
}

void
esc_service_keys_set_audit_key_file (EscServiceDb *db,
                                     const char   *key_file)
{
  g_return_if_fail (ESC_IS_SERVICE_DB (db));

  g_object_set_data_full (G_OBJECT (db), AUDIT_KEY_FILE_KEY, g_strdup (key_file), g_free);
}

/**
 * esc_service_keys_find_credential:
 * @credential: "secret-key" or "audit-key"
 *
 * Returns: (transfer full) (nullable): the path of the systemd credential
 *   @credential ($CREDENTIALS_DIRECTORY/@credential) if there is one
 */
char *
esc_service_keys_find_credential (const char *credential)
{
  const char *credentials = g_getenv ("CREDENTIALS_DIRECTORY");
  g_autofree char *path = NULL;

  if (credentials == NULL || credentials[0] != '/')
    return NULL;

  path = g_build_filename (credentials, credential, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS) ? g_steal_pointer (&path) : NULL;
}

static char *
dup_key_file (EscServiceDb *db,
              const char   *data_key,
              const char   *credential,
              const char   *suffix)
{
  const char *explicit_file = g_object_get_data (G_OBJECT (db), data_key);
  char *path;

  if (explicit_file != NULL)
    return g_strdup (explicit_file);

  if ((path = esc_service_keys_find_credential (credential)) != NULL)
    return path;

  return g_strconcat (esc_service_db_get_path (db), suffix, NULL);
}

/**
 * esc_service_keys_dup_key_file:
 * @db: a #EscServiceDb
 *
 * Returns: (transfer full): the path of the sealing key file
 */
char *
esc_service_keys_dup_key_file (EscServiceDb *db)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  return dup_key_file (db, KEY_FILE_KEY, "secret-key", ".key");
}

/**
 * esc_service_keys_dup_audit_key_file:
 * @db: a #EscServiceDb
 *
 * Returns: (transfer full): the path of the audit signing key file
 */
char *
esc_service_keys_dup_audit_key_file (EscServiceDb *db)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  return dup_key_file (db, AUDIT_KEY_FILE_KEY, "audit-key", ".audit-key");
}

static gint64
count_sealed (EscServiceDb  *db,
              GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  if (!(stmt = esc_service_db_prepare (db, "SELECT count(*) FROM device_passwords", error)))
    return -1;
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      return -1;
    }

  return esc_service_stmt_column_int64 (stmt, 0);
}

/* Re-seals, in one transaction, every row not sealed under the box's
 * current key in the current format. */
static gboolean
reseal_all (EscServiceDb         *db,
            EscServiceSecretBox  *box,
            const char           *action,
            gboolean              always_audit,
            guint                *out_resealed,
            GError              **error)
{
  g_autoptr(EscServiceStmt) select = NULL;
  g_autoptr(EscServiceStmt) update = NULL;
  guint resealed = 0;
  int rc;

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(select = esc_service_db_prepare (db,
                                         "SELECT device_id, generation, sealed FROM device_passwords"
                                         " ORDER BY device_id",
                                         error)) ||
      !(update = esc_service_db_prepare (db,
                                         "UPDATE device_passwords SET sealed = ?2"
                                         " WHERE device_id = ?1 AND generation = ?3 AND sealed = ?4",
                                         error)))
    goto failed;

  while ((rc = esc_service_stmt_step (select)) == ESC_SERVICE_STMT_ROW)
    {
      gint64 device_id = esc_service_stmt_column_int64 (select, 0);
      gint64 generation = esc_service_stmt_column_int64 (select, 1);
      const char *sealed = esc_service_stmt_column_text (select, 2);
      g_autofree char *associated_data = NULL;
      g_autofree char *resealed_text = NULL;
      char *password;

      if (esc_service_secret_box_is_current (box, sealed))
        continue;

      associated_data = g_strdup_printf ("device-password:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                         device_id, generation);
      if (!(password = esc_service_secret_box_open (box, sealed, associated_data, error)))
        {
          g_autofree char *device_text = g_strdup_printf ("%" G_GINT64_FORMAT, device_id);

          /* Translators: before why a device's password could not be opened, e.g. "device 12: …" */
          g_prefix_error (error, _("device %s: "), device_text);
          goto failed;
        }
      resealed_text = esc_service_secret_box_seal (box, password, associated_data, error);
      esc_service_crypto_free_secret (password);
      if (resealed_text == NULL)
        goto failed;

      esc_service_stmt_reset (update);
      esc_service_stmt_bind_int64 (update, 1, device_id);
      esc_service_stmt_bind_text (update, 2, resealed_text);
      esc_service_stmt_bind_int64 (update, 3, generation);
      esc_service_stmt_bind_text (update, 4, sealed);
      if (!esc_service_db_step_done (db, update, error))
        goto failed;
      /* Unless another node rotated it meanwhile (its new row is sealed
       * under the key it holds) */
      if (esc_service_stmt_changes (update) > 0)
        resealed++;
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      goto failed;
    }

  if (resealed > 0 || always_audit)
    {
      g_autoptr(JsonObject) details = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      EscServiceAuditEvent event = { 0, };

      json_object_set_string_member (details, "key_id", esc_service_secret_box_get_key_id (box));
      json_object_set_int_member (details, "resealed", resealed);
      json_node_set_object (node, details);
      event.action = action;
      event.target = "device-passwords";
      event.details = node;
      if (!esc_service_db_audit_append (db, &event, error))
        goto failed;
    }

  if (!esc_service_db_commit (db, error))
    goto failed;

  if (out_resealed != NULL)
    *out_resealed = resealed;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

/* After every row is sealed under the next key: it becomes the key. */
static gboolean
finish_rotation (const char  *key_file,
                 GError     **error)
{
  g_autofree char *next_file = esc_service_key_file_next_path (key_file);

  if (!g_file_test (next_file, G_FILE_TEST_EXISTS))
    return TRUE;

  if (rename (next_file, key_file) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not replace the key file “%s” with “%s”: %s"),
                   key_file, next_file, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static EscServiceSecretBox *
load_box (EscServiceDb  *db,
          const char    *action,
          gboolean       always_audit,
          guint         *out_resealed,
          GError       **error)
{
  g_autofree char *key_file = esc_service_keys_dup_key_file (db);
  g_autoptr(EscServiceSecretBox) box = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 sealed;

  if ((sealed = count_sealed (db, error)) < 0)
    return NULL;

  if (!(box = esc_service_secret_box_load (key_file, sealed == 0, &local_error)))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_autofree char *sealed_text = g_strdup_printf ("%" G_GINT64_FORMAT, sealed);

          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                       ngettext ("The key file “%s” is missing, but %s device password is "
                                 "sealed with it: restore the key file from a backup (or give "
                                 "its place with --key-file); no new key is made",
                                 "The key file “%s” is missing, but %s device passwords are "
                                 "sealed with it: restore the key file from a backup (or give "
                                 "its place with --key-file); no new key is made",
                                 (gulong)sealed),
                       key_file, sealed_text);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (!reseal_all (db, box, action, always_audit, out_resealed, error) ||
      !finish_rotation (key_file, error))
    return NULL;

  return g_steal_pointer (&box);
}

/**
 * esc_service_keys_get_secret_box:
 * @db: a #EscServiceDb
 * @error: return location for a #GError
 *
 * The box that seals device passwords, loaded once per @db: its key is read
 * (or made, while nothing is sealed), and rows in an older format or under
 * an older key are re-sealed.
 *
 * Returns: (transfer none): the box, or %NULL
 */
EscServiceSecretBox *
esc_service_keys_get_secret_box (EscServiceDb  *db,
                                 GError       **error)
{
  EscServiceSecretBox *box;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  if ((box = g_object_get_data (G_OBJECT (db), SECRET_BOX_KEY)) != NULL)
    return box;

  /* Outside any request's transaction: the first use is at start-up
   * (`serve` loads the box before listening). */
  if (esc_service_db_in_transaction (db))
    {
      g_autofree char *key_file = esc_service_keys_dup_key_file (db);
      gint64 sealed = count_sealed (db, error);

      if (sealed < 0)
        return NULL;
      box = esc_service_secret_box_load (key_file, sealed == 0, error);
      if (box == NULL)
        return NULL;
    }
  else if (!(box = load_box (db, "device-passwords.resealed", FALSE, NULL, error)))
    return NULL;

  g_object_set_data_full (G_OBJECT (db), SECRET_BOX_KEY, box,
                          (GDestroyNotify)esc_service_secret_box_free);

  return box;
}

/**
 * esc_service_keys_rotate:
 * @db: a #EscServiceDb
 * @out_resealed: (out) (optional): how many passwords were re-sealed
 * @out_key_id: (out) (optional) (transfer full): the new key's id
 * @error: return location for a #GError
 *
 * Makes a new sealing key and re-seals every device password under it
 * (audited as "secret-key.rotated"). The old key file is replaced.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_keys_rotate (EscServiceDb  *db,
                         guint         *out_resealed,
                         char         **out_key_id,
                         GError       **error)
{
  g_autofree char *key_file = NULL;
  g_autofree char *next_file = NULL;
  g_autoptr(EscServiceSecretBox) box = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  /* The current key must open every row (and old rows are migrated) first. */
  g_object_set_data (G_OBJECT (db), SECRET_BOX_KEY, NULL);
  if (!esc_service_keys_get_secret_box (db, error))
    return FALSE;
  g_object_set_data (G_OBJECT (db), SECRET_BOX_KEY, NULL);

  key_file = esc_service_keys_dup_key_file (db);
  next_file = esc_service_key_file_next_path (key_file);
  if (!esc_service_key_file_create (next_file, ESC_SERVICE_SECRET_KEY_LENGTH, error))
    return FALSE;

  if (!(box = load_box (db, "secret-key.rotated", TRUE, out_resealed, error)))
    return FALSE;

  if (out_key_id != NULL)
    *out_key_id = g_strdup (esc_service_secret_box_get_key_id (box));

  return TRUE;
}
