/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "esc-audit-event.h"
#include "esc-service-crypto.h"
#include "esc-service-keys.h"
#include "esc-service-private.h"

/* The audit log: append-only, each event chained to the previous one by
 * SHA-256 over the previous hash and the event's own fields (id included),
 * and the newest id and hash kept apart in audit_head. Editing a row breaks
 * its hash; deleting one leaves a gap in the ids (or, for the newest, a head
 * that points past the end); inserting one breaks the chain or the head.
 *
 * Through SQL, rows cannot be changed at all: triggers refuse UPDATE and
 * DELETE on audit_events and audit_checkpoints. Someone with the database
 * file can drop the triggers and rewrite the whole chain and the head; so
 * every "audit.checkpoint-every" events (100), and when `serve` stops, the
 * service signs a checkpoint — the newest id and hash, and when — with an
 * Ed25519 key (libsodium) kept apart from the database (--audit-key-file,
 * the credential "audit-key", or "<database>.audit-key"). `audit verify`
 * checks each checkpoint's signature against that key and the chain's hash
 * at its id: a rewritten chain, a forged checkpoint and a tail cut off after
 * a checkpoint are each found. What was written after the newest checkpoint
 * can still be cut off by someone who also deletes nothing else: `audit
 * verify` prints the head hash so it can be recorded elsewhere. */

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define CHECKPOINT_EVERY_DEFAULT 100
#define SIGNER_KEY "esc-service-audit-signer"
#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX 500

/* Each field as "length:bytes" (or "-" for none), then a newline, so no two
 * different events hash the same text. */
static void
hash_field (GString    *text,
            const char *value)
{
  if (value == NULL)
    {
      g_string_append_len (text, "-\n", 2);
    }
  else
    {
      gsize len = strlen (value);
      char digits[24];
      guint n = 0;

      /* The length in decimal, without printf (this runs for every field
       * of every event). */
      do
        {
          digits[n++] = (char)('0' + len % 10);
          len /= 10;
        }
      while (len > 0);
      while (n > 0)
        g_string_append_c (text, digits[--n]);

      g_string_append_c (text, ':');
      g_string_append (text, value);
      g_string_append_c (text, '\n');
    }
}

static char *
compute_hash (const char *prev_hash,
              gint64      id,
              const char *at,
              gint64      actor_id,
              const char *actor_name,
              const char *actor_roles,
              const char *action,
              const char *target,
              const char *remote_address,
              const char *details)
{
  g_autoptr(GString) text = g_string_sized_new (256 + (details ? strlen (details) : 0));
  char number[32];

  /* The text hashed, built whole, then hashed at once. */
  hash_field (text, "escalade-audit-v1");
  hash_field (text, prev_hash);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  hash_field (text, number);
  hash_field (text, at);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, actor_id);
  hash_field (text, actor_id > 0 ? number : NULL);
  hash_field (text, actor_name);
  hash_field (text, actor_roles);
  hash_field (text, action);
  hash_field (text, target);
  hash_field (text, remote_address);
  hash_field (text, details);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)text->str, text->len);
}

/* Checkpoints */

typedef struct
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  char   public_hex[crypto_sign_PUBLICKEYBYTES * 2 + 1];
} AuditSigner;

static void
audit_signer_free (gpointer data)
{
  sodium_memzero (data, sizeof (AuditSigner));
  g_free (data);
}

static gint64
count_checkpoints (EscServiceDb  *db,
                   GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;

  if (!(stmt = esc_service_db_prepare_cached (db, "SELECT count(*) FROM audit_checkpoints", error)))
    return -1;
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      return -1;
    }

  return esc_service_stmt_column_int64 (stmt, 0);
}

/* The signing key, read once (made while no checkpoint is signed). */
static AuditSigner *
get_signer (EscServiceDb  *db,
            GError       **error)
{
  g_autofree char *key_file = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 seed[ESC_SERVICE_SECRET_KEY_LENGTH];
  AuditSigner *signer;
  gint64 signed_count;

  if ((signer = g_object_get_data (G_OBJECT (db), SIGNER_KEY)) != NULL)
    return signer;

  G_STATIC_ASSERT (crypto_sign_SEEDBYTES == ESC_SERVICE_SECRET_KEY_LENGTH);

  if (!esc_service_crypto_init (error) || (signed_count = count_checkpoints (db, error)) < 0)
    return NULL;

  key_file = esc_service_keys_dup_audit_key_file (db);
  if (signed_count == 0 && !g_file_test (key_file, G_FILE_TEST_EXISTS) &&
      !esc_service_key_file_create (key_file, crypto_sign_SEEDBYTES, error))
    return NULL;

  if (!esc_service_key_file_read (key_file, seed, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_FAILED,
                       _("The audit key file “%s” is missing, but the audit log has checkpoints "
                         "signed with it: restore it from a backup (or give its place with "
                         "--audit-key-file); no new key is made"),
                       key_file);
          return NULL;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  signer = g_new0 (AuditSigner, 1);
  crypto_sign_seed_keypair (signer->public_key, signer->secret_key, seed);
  sodium_memzero (seed, sizeof seed);
  sodium_bin2hex (signer->public_hex, sizeof signer->public_hex,
                  signer->public_key, sizeof signer->public_key);
  g_object_set_data_full (G_OBJECT (db), SIGNER_KEY, signer, audit_signer_free);

  return signer;
}

/* What a checkpoint's signature covers. */
static char *
checkpoint_message (gint64      last_id,
                    const char *hash,
                    const char *at)
{
  return g_strdup_printf ("escalade-audit-checkpoint-v1\n%" G_GINT64_FORMAT "\n%s\n%s\n",
                          last_id, hash, at);
}

static gboolean
append_checkpoint_locked (EscServiceDb  *db,
                          gint64         last_id,
                          const char    *hash,
                          GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GDateTime) now = esc_service_db_dup_now (db);
  g_autofree char *at = esc_service_format_timestamp (now);
  g_autofree char *message = checkpoint_message (last_id, hash, at);
  guint8 signature[crypto_sign_BYTES];
  char signature_hex[crypto_sign_BYTES * 2 + 1];
  AuditSigner *signer;

  if (!(signer = get_signer (db, error)))
    return FALSE;

  crypto_sign_detached (signature, NULL, (const guint8 *)message, strlen (message),
                        signer->secret_key);
  sodium_bin2hex (signature_hex, sizeof signature_hex, signature, sizeof signature);

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "INSERT INTO audit_checkpoints"
                                              " (last_id, hash, at, public_key, signature)"
                                              " VALUES (?1, ?2, ?3, ?4, ?5)",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, last_id);
  esc_service_stmt_bind_text (stmt, 2, hash);
  esc_service_stmt_bind_text (stmt, 3, at);
  esc_service_stmt_bind_text (stmt, 4, signer->public_hex);
  esc_service_stmt_bind_text (stmt, 5, signature_hex);

  return esc_service_db_step_done (db, stmt, error);
}

/* The head, and whether a checkpoint covers it. On PostgreSQL the row is
 * locked (FOR UPDATE) so that nodes stopping together sign it once. */
#define HEAD_COVERED_SQL \
  "SELECT h.last_id, h.hash," \
  " EXISTS (SELECT 1 FROM audit_checkpoints c WHERE c.last_id = h.last_id)" \
  " FROM audit_head h WHERE one = 1"

/**
 * esc_service_db_audit_checkpoint:
 * @db: a #EscServiceDb
 * @error: return location for a #GError
 *
 * Signs a checkpoint of the newest event, unless one already covers it
 * (`serve` does when it stops).
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_db_audit_checkpoint (EscServiceDb  *db,
                                 GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  gint64 last_id;
  gboolean covered;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!(stmt = esc_service_db_prepare (db,
                                       esc_service_db_get_backend (db) == ESC_SERVICE_DB_POSTGRESQL
                                         ? HEAD_COVERED_SQL " FOR UPDATE OF h"
                                         : HEAD_COVERED_SQL,
                                       error)))
    goto failed;
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    {
      esc_service_db_set_error (db, error);
      goto failed;
    }
  last_id = esc_service_stmt_column_int64 (stmt, 0);
  hash = g_strdup (esc_service_stmt_column_text (stmt, 1));
  covered = esc_service_stmt_column_int64 (stmt, 2) != 0;
  g_clear_pointer (&stmt, esc_service_stmt_free);

  /* The key is read (or made) as soon as there is something to sign, so
   * that a missing key is found now, not at the next checkpoint. */
  if (last_id > 0 && !get_signer (db, error))
    goto failed;

  if ((last_id > 0 && !covered && !append_checkpoint_locked (db, last_id, hash, error)) ||
      !esc_service_db_commit (db, error))
    goto failed;

  return TRUE;

failed:
  esc_service_db_rollback (db);
  return FALSE;
}

void
esc_service_pending_audit_free (EscServicePendingAudit *row)
{
  if (row == NULL)
    return;

  g_free (row->at);
  g_free (row->actor_name);
  g_free (row->actor_roles);
  g_free (row->action);
  g_free (row->target);
  g_free (row->remote_address);
  g_free (row->details);
  g_free (row);
}

static EscServicePendingAudit *
pending_audit_new (EscServiceDb               *db,
                   const EscServiceAuditEvent *event)
{
  EscServicePendingAudit *row = g_new0 (EscServicePendingAudit, 1);

  if (event->at != NULL)
    row->at = esc_service_format_timestamp (event->at);
  else
    {
      g_autoptr(GDateTime) now = esc_service_db_dup_now (db);

      row->at = esc_service_format_timestamp (now);
    }
  row->actor_id = event->actor_id;
  row->actor_name = g_strdup (event->actor_name);
  row->actor_roles = g_strdup (event->actor_roles);
  row->action = g_strdup (event->action);
  row->target = g_strdup (event->target);
  row->remote_address = g_strdup (event->remote_address);
  if (event->details != NULL)
    row->details = json_to_string (event->details, FALSE);

  return row;
}

/* Writes @rows, in order, after the chain's head, in the open transaction;
 * moves the head, and signs a checkpoint every N events. */
static gboolean
write_rows (EscServiceDb                   *db,
            EscServicePendingAudit * const *rows,
            guint                           n_rows,
            GError                        **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autofree char *head_hash = NULL;
  gint64 every;
  gint64 id;

  /* The head, locked until the transaction ends: on SQLite the write
   * transaction already holds the file's lock; on PostgreSQL several nodes
   * append to one chain, so each waits here for the others' transactions
   * and then reads the head they left. */
  if (!(stmt = esc_service_db_prepare_cached (db,
                                              esc_service_db_get_backend (db) == ESC_SERVICE_DB_POSTGRESQL
                                                ? "SELECT last_id, hash FROM audit_head WHERE one = 1 FOR UPDATE"
                                                : "SELECT last_id, hash FROM audit_head WHERE one = 1",
                                              error)))
    return FALSE;
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    return esc_service_db_set_error (db, error);
  id = esc_service_stmt_column_int64 (stmt, 0);
  head_hash = g_strdup (esc_service_stmt_column_text (stmt, 1));
  g_clear_pointer (&stmt, esc_service_stmt_release);

  every = esc_service_db_get_setting_int (db, "audit.checkpoint-every", CHECKPOINT_EVERY_DEFAULT);

  for (guint i = 0; i < n_rows; i++)
    {
      const EscServicePendingAudit *row = rows[i];
      g_autofree char *prev_hash = g_steal_pointer (&head_hash);

      id++;
      head_hash = compute_hash (prev_hash, id, row->at, row->actor_id, row->actor_name,
                                row->actor_roles, row->action, row->target,
                                row->remote_address, row->details);

      if (!(stmt = esc_service_db_prepare_cached (db,
                                                  "INSERT INTO audit_events"
                                                  " (id, at, actor_id, actor_name, actor_roles, action, target,"
                                                  "  remote_address, details, prev_hash, hash)"
                                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                                  error)))
        return FALSE;
      esc_service_stmt_bind_int64 (stmt, 1, id);
      esc_service_stmt_bind_text (stmt, 2, row->at);
      if (row->actor_id > 0)
        esc_service_stmt_bind_int64 (stmt, 3, row->actor_id);
      else
        esc_service_stmt_bind_null (stmt, 3);
      esc_service_stmt_bind_text (stmt, 4, row->actor_name);
      esc_service_stmt_bind_text (stmt, 5, row->actor_roles);
      esc_service_stmt_bind_text (stmt, 6, row->action);
      esc_service_stmt_bind_text (stmt, 7, row->target);
      esc_service_stmt_bind_text (stmt, 8, row->remote_address);
      esc_service_stmt_bind_text (stmt, 9, row->details);
      esc_service_stmt_bind_text (stmt, 10, prev_hash);
      esc_service_stmt_bind_text (stmt, 11, head_hash);
      if (!esc_service_db_step_later (db, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, esc_service_stmt_release);

      /* Every N events, a signed checkpoint in the same transaction. */
      if (every > 0 && id % every == 0 && !append_checkpoint_locked (db, id, head_hash, error))
        return FALSE;
    }

  if (!(stmt = esc_service_db_prepare_cached (db, "UPDATE audit_head SET last_id = ?1, hash = ?2 WHERE one = 1",
                                              error)))
    return FALSE;
  esc_service_stmt_bind_int64 (stmt, 1, id);
  esc_service_stmt_bind_text (stmt, 2, head_hash);
  return esc_service_db_step_later (db, stmt, error);
}

/* On PostgreSQL, inside a transaction, an event waits for the end of the
 * transaction (esc_service_db_pend_audit()), and all it holds are written
 * then, in order (esc_service_db_audit_write_pending()): the audit head,
 * which serializes the appenders of every node, stays locked for that last
 * round trip and the COMMIT only, not for the whole of a group commit. An
 * event of a level rolled back goes with it. Elsewhere, at once. */
static gboolean
append_locked (EscServiceDb               *db,
               const EscServiceAuditEvent *event,
               GError                    **error)
{
  EscServicePendingAudit *row = pending_audit_new (db, event);
  gboolean ok;

  if (esc_service_db_pend_audit (db, row))
    return TRUE;

  ok = write_rows (db, &row, 1, error);
  esc_service_pending_audit_free (row);
  return ok;
}

gboolean
esc_service_db_audit_write_pending (EscServiceDb  *db,
                                    GPtrArray     *rows,
                                    GError       **error)
{
  if (rows == NULL || rows->len == 0)
    return TRUE;

  return write_rows (db, (EscServicePendingAudit * const *)rows->pdata, rows->len, error);
}

/**
 * esc_service_db_audit_append:
 * @db: a #EscServiceDb
 * @event: the event
 * @error: return location for a #GError
 *
 * Appends @event to the chain: inside the caller's write transaction if one
 * is open (so the event commits or rolls back with the change), else in a
 * transaction of its own.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_db_audit_append (EscServiceDb               *db,
                             const EscServiceAuditEvent *event,
                             GError                    **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (event != NULL && event->action != NULL, FALSE);

  if (esc_service_db_in_transaction (db))
    return append_locked (db, event, error);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  if (!append_locked (db, event, error) || !esc_service_db_commit (db, error))
    {
      esc_service_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

/**
 * esc_service_context_audit:
 * @ctx: the request
 * @action: what happened, e.g. "support-request.created"
 * @target: (nullable): the resource, e.g. "/v1/support-requests/SR-000001"
 * @details: (nullable): a JSON object with the particulars
 * @error: return location for a #GError
 *
 * Appends an event by the caller, with their roles, from their address, at
 * the request's time.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_context_audit (EscServiceContext  *ctx,
                           const char         *action,
                           const char         *target,
                           JsonNode           *details,
                           GError            **error)
{
  g_autofree char *roles = NULL;
  EscServiceAuditEvent event = { 0, };

  if (ctx->caller != NULL)
    {
      roles = g_strjoinv (",", ctx->caller->roles);
      event.actor_id = ctx->caller->id;
      event.actor_name = ctx->caller->name;
      event.actor_roles = roles;
    }
  event.action = action;
  event.target = target;
  event.remote_address = ctx->remote_address;
  event.details = details;
  event.at = ctx->now;

  return esc_service_db_audit_append (ctx->db, &event, error);
}

typedef struct
{
  gint64  id;
  gint64  last_id;
  char   *hash;
  char   *at;
  char   *public_key;
  char   *signature;
} Checkpoint;

static void
checkpoint_clear (gpointer data)
{
  Checkpoint *checkpoint = data;

  g_free (checkpoint->hash);
  g_free (checkpoint->at);
  g_free (checkpoint->public_key);
  g_free (checkpoint->signature);
}

static GArray *
load_checkpoints (EscServiceDb  *db,
                  GError       **error)
{
  g_autoptr(GArray) checkpoints = g_array_new (FALSE, TRUE, sizeof (Checkpoint));
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  g_array_set_clear_func (checkpoints, checkpoint_clear);

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT id, last_id, hash, at, public_key, signature"
                                       " FROM audit_checkpoints ORDER BY id",
                                       error)))
    return NULL;

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      Checkpoint *checkpoint;

      /* Filled in place: the array owns the strings. */
      g_array_set_size (checkpoints, checkpoints->len + 1);
      checkpoint = &g_array_index (checkpoints, Checkpoint, checkpoints->len - 1);
      checkpoint->id = esc_service_stmt_column_int64 (stmt, 0);
      checkpoint->last_id = esc_service_stmt_column_int64 (stmt, 1);
      checkpoint->hash = g_strdup (esc_service_stmt_column_text (stmt, 2));
      checkpoint->at = g_strdup (esc_service_stmt_column_text (stmt, 3));
      checkpoint->public_key = g_strdup (esc_service_stmt_column_text (stmt, 4));
      checkpoint->signature = g_strdup (esc_service_stmt_column_text (stmt, 5));
    }

  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      return NULL;
    }

  return g_steal_pointer (&checkpoints);
}

/* Whether @checkpoint was signed by @signer's key. */
static gboolean
checkpoint_signature_ok (const Checkpoint  *checkpoint,
                         const AuditSigner *signer)
{
  g_autofree char *message = NULL;
  guint8 signature[crypto_sign_BYTES];
  gsize length = 0;

  if (g_strcmp0 (checkpoint->public_key, signer->public_hex) != 0 || checkpoint->signature == NULL ||
      sodium_hex2bin (signature, sizeof signature, checkpoint->signature,
                      strlen (checkpoint->signature), NULL, &length, NULL) != 0 ||
      length != sizeof signature)
    return FALSE;

  message = checkpoint_message (checkpoint->last_id, checkpoint->hash ? checkpoint->hash : "",
                                checkpoint->at ? checkpoint->at : "");

  return crypto_sign_verify_detached (signature, (const guint8 *)message, strlen (message),
                                      signer->public_key) == 0;
}

/**
 * esc_service_db_audit_verify:
 * @db: a #EscServiceDb
 * @out_count: (out) (optional): the number of events checked
 * @out_head: (out) (optional) (transfer full): the newest hash
 * @out_bad_id: (out) (optional): the first event at fault
 * @out_reason: (out) (optional) (transfer full): why
 * @error: return location for a #GError, set only if the database (or
 *   the audit key, when there are checkpoints) cannot be read
 *
 * Recomputes the whole chain, and checks every signed checkpoint: its
 * signature against the audit key, and the chain's hash at its id (a tail
 * cut off after it is found too).
 *
 * Returns: %TRUE if intact; %FALSE with @out_bad_id and @out_reason if not,
 *   or with @error
 */
gboolean
esc_service_db_audit_verify (EscServiceDb  *db,
                             gint64        *out_count,
                             char         **out_head,
                             gint64        *out_bad_id,
                             char         **out_reason,
                             GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GArray) checkpoints = NULL;
  g_autofree char *prev_hash = g_strdup (GENESIS_HASH);
  g_autofree char *reason = NULL;
  g_autofree char *head_hash = NULL;
  AuditSigner *signer = NULL;
  gint64 expected_id = 1;
  gint64 bad_id = 0;
  gint64 count = 0;
  gint64 head_id;
  guint next_checkpoint = 0;
  int rc = ESC_SERVICE_STMT_DONE;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  /* One read transaction: a consistent snapshot while the service writes. */
  if (!esc_service_db_begin_read (db, error))
    return FALSE;

  if (!(checkpoints = load_checkpoints (db, error)))
    goto failed;

  /* Signatures first: a forged checkpoint must not be believed about the
   * rest. */
  if (checkpoints->len > 0 && !(signer = get_signer (db, error)))
    goto failed;
  for (guint i = 0; i < checkpoints->len; i++)
    {
      const Checkpoint *checkpoint = &g_array_index (checkpoints, Checkpoint, i);
      g_autofree char *checkpoint_text = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint->id);

      if (!checkpoint_signature_ok (checkpoint, signer))
        {
          bad_id = MAX (checkpoint->last_id, 1);
          /* Translators: why `audit verify` finds the log at fault, after
           * "TAMPERED: event 12: "; %s is the number of the checkpoint */
          reason = g_strdup_printf (_("checkpoint %s is not signed by this service’s audit key "
                                      "(forged or edited)"),
                                    checkpoint_text);
          break;
        }
      if (i > 0 && checkpoint->last_id < g_array_index (checkpoints, Checkpoint, i - 1).last_id)
        {
          bad_id = MAX (checkpoint->last_id, 1);
          /* Translators: why `audit verify` finds the log at fault, after
           * "TAMPERED: event 12: "; %s is the number of the checkpoint */
          reason = g_strdup_printf (_("checkpoint %s goes back in the log (forged)"), checkpoint_text);
          break;
        }
    }

  if (reason == NULL &&
      !(stmt = esc_service_db_prepare (db,
                                       "SELECT id, at, actor_id, actor_name, actor_roles, action,"
                                       " target, remote_address, details, prev_hash, hash"
                                       " FROM audit_events ORDER BY id",
                                       error)))
    goto failed;

  while (reason == NULL && (rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      gint64 id = esc_service_stmt_column_int64 (stmt, 0);
      const char *stored_prev = esc_service_stmt_column_text (stmt, 9);
      const char *stored_hash = esc_service_stmt_column_text (stmt, 10);
      g_autofree char *hash = NULL;

      if (id != expected_id)
        {
          g_autofree char *first_text = g_strdup_printf ("%" G_GINT64_FORMAT, expected_id);
          g_autofree char *last_text = g_strdup_printf ("%" G_GINT64_FORMAT, id - 1);

          bad_id = id;
          if (id == expected_id + 1)
            {
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: "; %s is the number of the missing event */
              reason = g_strdup_printf (_("event %s is missing (deleted) before this one"),
                                        first_text);
            }
          else if (id > expected_id)
            {
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: "; the missing events are the range "%s to %s" */
              reason = g_strdup_printf (_("events %s to %s are missing (deleted) before this one"),
                                        first_text, last_text);
            }
          else
            {
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: " */
              reason = g_strdup (_("the id is out of sequence (inserted)"));
            }
          break;
        }

      if (g_strcmp0 (stored_prev, prev_hash) != 0)
        {
          bad_id = id;
          /* Translators: why `audit verify` finds an event at fault, after
           * "TAMPERED: event 12: " */
          reason = g_strdup (_("its link to the previous event is broken (an event was inserted, "
                               "deleted or edited before it)"));
          break;
        }

      hash = compute_hash (prev_hash, id,
                           esc_service_stmt_column_text (stmt, 1),
                           esc_service_stmt_column_int64 (stmt, 2),
                           esc_service_stmt_column_text (stmt, 3),
                           esc_service_stmt_column_text (stmt, 4),
                           esc_service_stmt_column_text (stmt, 5),
                           esc_service_stmt_column_text (stmt, 6),
                           esc_service_stmt_column_text (stmt, 7),
                           esc_service_stmt_column_text (stmt, 8));
      if (g_strcmp0 (hash, stored_hash) != 0)
        {
          bad_id = id;
          /* Translators: why `audit verify` finds an event at fault, after
           * "TAMPERED: event 12: " */
          reason = g_strdup (_("its contents do not match its hash (edited, or forged and inserted)"));
          break;
        }

      /* The signed checkpoints of this event: the chain must still lead
       * to the hash they signed. */
      while (next_checkpoint < checkpoints->len &&
             g_array_index (checkpoints, Checkpoint, next_checkpoint).last_id <= id)
        {
          const Checkpoint *checkpoint = &g_array_index (checkpoints, Checkpoint, next_checkpoint++);

          if (checkpoint->last_id == id && g_strcmp0 (checkpoint->hash, hash) != 0)
            {
              g_autofree char *checkpoint_text = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint->id);

              bad_id = id;
              /* Translators: why `audit verify` finds an event at fault, after
               * "TAMPERED: event 12: "; %s is the number of the checkpoint */
              reason = g_strdup_printf (_("the log up to here no longer matches signed checkpoint %s "
                                          "(rewritten)"),
                                        checkpoint_text);
              break;
            }
        }
      if (reason != NULL)
        break;

      g_free (prev_hash);
      prev_hash = g_steal_pointer (&hash);
      expected_id++;
      count++;
    }

  if (reason == NULL && rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (db, error);
      goto failed;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  /* A tail cut off after a signed checkpoint. */
  if (reason == NULL && next_checkpoint < checkpoints->len)
    {
      const Checkpoint *checkpoint = &g_array_index (checkpoints, Checkpoint, checkpoints->len - 1);
      g_autofree char *checkpoint_text = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint->id);
      g_autofree char *signed_text = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoint->last_id);
      g_autofree char *first_text = g_strdup_printf ("%" G_GINT64_FORMAT, count + 1);

      bad_id = count + 1;
      /* Translators: why `audit verify` finds the log at fault, after
       * "TAMPERED: event 12: "; "events 12 to 20 are missing: checkpoint 3 signed the log up to event 20" */
      reason = g_strdup_printf (_("events %s to %s are missing: checkpoint %s signed the log up to "
                                  "event %s (its tail was cut off)"),
                                first_text, signed_text, checkpoint_text, signed_text);
    }

  if (reason == NULL)
    {
      if (!(stmt = esc_service_db_prepare (db, "SELECT last_id, hash FROM audit_head WHERE one = 1",
                                           error)))
        goto failed;
      if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
        {
          bad_id = expected_id;
          /* Translators: why `audit verify` finds the log at fault, after
           * "TAMPERED: event 12: "; the head is the newest id and hash, kept apart */
          reason = g_strdup (_("the head of the chain is missing"));
        }
      else
        {
          head_id = esc_service_stmt_column_int64 (stmt, 0);
          head_hash = g_strdup (esc_service_stmt_column_text (stmt, 1));

          if (head_id > count)
            {
              g_autofree char *first_text = g_strdup_printf ("%" G_GINT64_FORMAT, count + 1);
              g_autofree char *last_text = g_strdup_printf ("%" G_GINT64_FORMAT, head_id);

              bad_id = count + 1;
              if (head_id == count + 1)
                {
                  /* Translators: why `audit verify` finds the log at fault, after
                   * "TAMPERED: event 12: "; %s is the number of the missing event */
                  reason = g_strdup_printf (_("the newest event (%s) is missing (deleted)"),
                                            first_text);
                }
              else
                {
                  /* Translators: why `audit verify` finds the log at fault, after
                   * "TAMPERED: event 12: "; the missing events are the range "%s to %s" */
                  reason = g_strdup_printf (_("the newest events (%s to %s) are missing (deleted)"),
                                            first_text, last_text);
                }
            }
          else if (head_id < count)
            {
              bad_id = head_id + 1;
              /* Translators: why `audit verify` finds the log at fault, after
               * "TAMPERED: event 12: "; the head is the newest id and hash, kept apart */
              reason = g_strdup (_("events were added after the head of the chain (inserted)"));
            }
          else if (g_strcmp0 (head_hash, prev_hash) != 0)
            {
              bad_id = count;
              /* Translators: why `audit verify` finds the log at fault, after
               * "TAMPERED: event 12: "; the head is the newest id and hash, kept apart */
              reason = g_strdup (_("the newest event does not match the head of the chain (edited)"));
            }
        }
      g_clear_pointer (&stmt, esc_service_stmt_free);
    }

  esc_service_db_end_read (db);

  if (out_count != NULL)
    *out_count = count;
  if (out_head != NULL)
    *out_head = g_strdup (prev_hash);
  if (out_bad_id != NULL)
    *out_bad_id = bad_id;
  if (out_reason != NULL)
    *out_reason = g_steal_pointer (&reason);

  return reason == NULL && bad_id == 0;

failed:
  g_clear_pointer (&stmt, esc_service_stmt_free);
  esc_service_db_end_read (db);
  return FALSE;
}

/**
 * esc_service_db_audit_count_checkpoints:
 * @db: a #EscServiceDb
 *
 * Returns: how many signed checkpoints the log has, or -1 on error
 */
gint64
esc_service_db_audit_count_checkpoints (EscServiceDb *db)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), -1);

  return count_checkpoints (db, NULL);
}

/* GET /v1/audit?after=ID&limit=N */

/* The AuditEvent of the row @stmt is on, written by the core codec */
static JsonNode *
event_to_json (EscServiceStmt *stmt)
{
  g_autoptr(EscAuditEvent) event = NULL;
  g_autoptr(GDateTime) at = esc_service_stmt_column_time (stmt, 1);
  g_auto(GStrv) roles = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (!esc_service_stmt_column_is_null (stmt, 4))
    {
      g_auto(GStrv) parts = g_strsplit (esc_service_stmt_column_text (stmt, 4), ",", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          if (parts[i][0] != '\0')
            g_strv_builder_add (builder, parts[i]);
        }
    }
  roles = g_strv_builder_end (builder);

  event = esc_audit_event_new (esc_service_stmt_column_int64 (stmt, 0), at,
                               !esc_service_stmt_column_is_null (stmt, 2)
                                 ? esc_service_stmt_column_int64 (stmt, 2) : 0,
                               esc_service_stmt_column_text (stmt, 3),
                               (const char * const *)roles,
                               esc_service_stmt_column_text (stmt, 5),
                               esc_service_stmt_column_text (stmt, 6),
                               esc_service_stmt_column_text (stmt, 7),
                               esc_service_stmt_column_text (stmt, 8),
                               esc_service_stmt_column_text (stmt, 9),
                               esc_service_stmt_column_text (stmt, 10));

  return esc_audit_event_to_json (event);
}

static gboolean
parse_query_int (EscServiceContext *ctx,
                 const char        *name,
                 gint64             min,
                 gint64             max,
                 gint64            *value)
{
  const char *text = esc_service_context_get_query (ctx, name);
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_signed (text, 10, min, max, value, &error))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_BAD_REQUEST, "invalid-query",
                                "Invalid Query Parameter",
                                "“%s” must be an integer from %" G_GINT64_FORMAT " to %"
                                G_GINT64_FORMAT ".", name, min, max);
      return FALSE;
    }

  return TRUE;
}

static void
handle_list_audit (EscServiceContext *ctx)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonArray) checkpoints = json_array_new ();
  g_autoptr(JsonObject) page = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  gint64 after = 0;
  gint64 limit = AUDIT_PAGE_DEFAULT;
  gint64 last_id = 0;
  guint n = 0;
  gboolean more = FALSE;
  int rc;

  if (!parse_query_int (ctx, "after", 0, G_MAXINT64, &after) ||
      !parse_query_int (ctx, "limit", 1, AUDIT_PAGE_MAX, &limit))
    return;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "SELECT id, at, actor_id, actor_name, actor_roles, action,"
                                              " target, remote_address, details, prev_hash, hash"
                                              " FROM audit_events WHERE id > ?1 ORDER BY id LIMIT ?2",
                                              &error)))
    return esc_service_send_internal_error (ctx, error);
  esc_service_stmt_bind_int64 (stmt, 1, after);
  esc_service_stmt_bind_int64 (stmt, 2, limit + 1);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      json_array_add_element (items, event_to_json (stmt));
      last_id = esc_service_stmt_column_int64 (stmt, 0);
      n++;
    }
  if (rc != ESC_SERVICE_STMT_ROW && rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      return esc_service_send_internal_error (ctx, error);
    }

  json_object_set_array_member (page, "items", g_steal_pointer (&items));

  /* The signed checkpoints of the events of this page (all those after
   * it, on the last page), to check them against the audit key. */
  g_clear_pointer (&stmt, esc_service_stmt_release);
  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "SELECT id, last_id, hash, at, public_key, signature"
                                              " FROM audit_checkpoints"
                                              " WHERE last_id > ?1 AND (?2 = 0 OR last_id <= ?3)"
                                              " ORDER BY id",
                                              &error)))
    return esc_service_send_internal_error (ctx, error);
  esc_service_stmt_bind_int64 (stmt, 1, after);
  esc_service_stmt_bind_int64 (stmt, 2, more);
  esc_service_stmt_bind_int64 (stmt, 3, last_id);
  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      g_autoptr(JsonObject) checkpoint = json_object_new ();

      json_object_set_int_member (checkpoint, "id", esc_service_stmt_column_int64 (stmt, 0));
      json_object_set_int_member (checkpoint, "last_id", esc_service_stmt_column_int64 (stmt, 1));
      json_object_set_string_member (checkpoint, "hash", esc_service_stmt_column_text (stmt, 2));
      json_object_set_string_member (checkpoint, "at", esc_service_stmt_column_text (stmt, 3));
      json_object_set_string_member (checkpoint, "public_key", esc_service_stmt_column_text (stmt, 4));
      json_object_set_string_member (checkpoint, "signature", esc_service_stmt_column_text (stmt, 5));
      json_array_add_object_element (checkpoints, g_steal_pointer (&checkpoint));
    }
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      return esc_service_send_internal_error (ctx, error);
    }
  json_object_set_array_member (page, "checkpoints", g_steal_pointer (&checkpoints));

  if (more)
    json_object_set_int_member (page, "next_after", last_id);
  else
    json_object_set_null_member (page, "next_after");
  json_node_set_object (root, page);

  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

void
esc_service_audit_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", "/v1/audit", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_list_audit);
}
