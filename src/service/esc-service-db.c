/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "esc-service-db.h"
#include "esc-service-pg.h"
#include "esc-service-private.h"
#include "esc-service-token.h"

/* Another process (`token create` while `serve` runs) may hold the write lock. */
#define BUSY_TIMEOUT_MS 5000

struct _EscServiceDb
{
  GObject          parent_instance;

  char            *path;
  /* The connection keeps the statements prepared and counts the nested
   * transactions; handle is its sqlite3, borrowed */
  EscSqliteConnection *connection;
  sqlite3         *handle;

  EscServiceClock  clock;
  gpointer         clock_data;
  GDestroyNotify   clock_destroy;

  /* PostgreSQL (instead of connection): the node's pool, the open
   * transaction and its nesting (savepoints below the first level) */
  EscServiceStorage *pg;
  EscServiceTxn   *txn;
  guint            pg_depth;
  GError          *last_error;
  /* The settings read in the open transaction (key → value, "" for none):
   * the settings change only with the schema, and a filing reads several */
  GHashTable      *pg_settings;
  /* What the open transaction holds: the audit events it appended, to
   * write at its commit (esc_service_db_pend_audit()), each with the level
   * that appended it, and what it noted (esc_service_db_txn_memo_set()),
   * forgotten when any level rolls back. */
  GPtrArray       *pg_audit_pending;   /* EscServicePendingAudit */
  GHashTable      *pg_memo;

  /* The group commit's batch is the connection's outermost level; the
   * handlers' transactions are savepoints inside it. */
  gboolean         in_batch;
};

G_DEFINE_FINAL_TYPE (EscServiceDb, esc_service_db, G_TYPE_OBJECT)

static void
esc_service_db_finalize (GObject *object)
{
  EscServiceDb *self = (EscServiceDb *)object;

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  self->handle = NULL;
  while (self->pg_depth > 0)
    esc_service_db_rollback (self);
  g_clear_object (&self->pg);
  g_clear_error (&self->last_error);
  g_clear_pointer (&self->pg_settings, g_hash_table_unref);
  g_clear_pointer (&self->pg_audit_pending, g_ptr_array_unref);
  g_clear_pointer (&self->pg_memo, g_hash_table_unref);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (esc_service_db_parent_class)->finalize (object);
}

static void
esc_service_db_class_init (EscServiceDbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_service_db_finalize;
}

static void
esc_service_db_init (EscServiceDb *self)
{
}

/* The connection's ESC_SQLITE_ERROR, whose message already reads
 * "Database error in “path”: …", as the service's own. */
static gboolean
propagate_db_error (GError **error,
                    GError  *sqlite_error)
{
  g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE, sqlite_error->message);
  g_error_free (sqlite_error);
  return FALSE;
}

static gboolean
set_db_error (EscServiceDb  *self,
              GError       **error)
{
  if (self->pg != NULL)
    {
      /* ESC_SERVICE_ERROR_UNAVAILABLE stays itself: answered 503 */
      if (self->last_error != NULL)
        g_propagate_error (error, g_steal_pointer (&self->last_error));
      else
        g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                             "PostgreSQL: a statement failed");
      return FALSE;
    }

  g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
               _("Database error in “%s”: %s"),
               self->path, sqlite3_errmsg (self->handle));
  return FALSE;
}

static gboolean
exec_sql (EscServiceDb  *self,
          const char    *sql,
          GError       **error)
{
  GError *local = NULL;

  if (self->pg != NULL)
    {
      g_autoptr(EscServiceRows) rows = esc_service_db_pg_query (self, sql, NULL, 0, error);

      return rows != NULL;
    }

  if (!esc_sqlite_connection_exec (self->connection, sql, &local))
    return propagate_db_error (error, local);

  return TRUE;
}

static int
read_user_version (EscServiceDb  *self,
                   GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  if (self->pg != NULL)
    {
      g_autoptr(EscServiceRows) rows = NULL;

      if (!(rows = esc_service_db_pg_query (self, "SELECT coalesce (max (version), 0) FROM schema_migrations",
                                            NULL, 0, error)))
        return -1;
      return (int)esc_service_rows_get_int64 (rows, 0, 0);
    }

  if (!(stmt = esc_service_db_prepare (self, "PRAGMA user_version", error)))
    return -1;

  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    {
      set_db_error (self, error);
      return -1;
    }

  return esc_service_stmt_column_int64 (stmt, 0);
}

static gboolean
migrate (EscServiceDb  *self,
         GError       **error)
{
  int version;

  /* Read the version inside the write transaction, so two processes opening
   * a fresh file at once do not both run the first step. */
  if (!esc_service_db_begin (self, error))
    return FALSE;

  if ((version = read_user_version (self, error)) < 0)
    goto failed;

  if (version > esc_service_db_count_migrations ())
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_SCHEMA_TOO_NEW,
                   _("The database “%s” has schema version %d, newer than this "
                     "escalade-service knows (%d)"),
                   self->path, version, esc_service_db_count_migrations ());
      goto failed;
    }

  for (int v = version; v < esc_service_db_count_migrations (); v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_debug ("Migrating %s from schema version %d to %d", self->path, v, v + 1);

      if (!exec_sql (self, esc_service_db_get_migration (v), error) ||
          !exec_sql (self, set_version, error))
        goto failed;
    }

  if (esc_service_db_commit (self, error))
    return TRUE;

failed:
  esc_service_db_rollback (self);
  return FALSE;
}

/* One node's connections to PostgreSQL: a few, as a node runs one request
 * at a time on its main loop (and GET /v1/health's check beside it). */
#define PG_POOL_SIZE 2

static EscServiceDb *
open_pg (const char  *conninfo,
         GError     **error)
{
  g_autoptr(EscServiceDb) self = g_object_new (ESC_TYPE_SERVICE_DB, NULL);
  g_autoptr(EscServicePgStorage) storage = NULL;

  /* Never the password, even in messages */
  self->path = esc_service_pg_describe_conninfo (conninfo);

  /* Under the migrations' advisory lock: nodes starting together migrate once */
  if (!esc_service_pg_migrate (conninfo, NULL, NULL, error))
    return NULL;
  if (!(storage = esc_service_pg_storage_new (conninfo, PG_POOL_SIZE, error)))
    return NULL;
  self->pg = ESC_SERVICE_STORAGE (g_steal_pointer (&storage));

  return g_steal_pointer (&self);
}

/**
 * esc_service_db_open:
 * @path: the SQLite file; created with the current schema if missing; or a
 *   PostgreSQL connection string (esc_service_pg_is_conninfo()), whose schema
 *   is brought up to date the same way
 * @error: return location for a #GError
 *
 * Opens the database in WAL mode with foreign keys on, and brings its
 * schema up to date.
 *
 * Returns: (transfer full): the database, or %NULL on error
 */
EscServiceDb *
esc_service_db_open (const char  *path,
                     GError     **error)
{
  g_autoptr(EscServiceDb) self = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) local = NULL;
  const char *mode;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (esc_service_pg_is_conninfo (path))
    return open_pg (path, error);

  self = g_object_new (ESC_TYPE_SERVICE_DB, NULL);
  self->path = g_strdup (path);

  self->connection = esc_sqlite_connection_open (path,
                                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                                 SQLITE_OPEN_NOMUTEX,
                                                 &local);
  if (self->connection == NULL)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                   _("Could not open the database “%s”: %s"),
                   path, sqlite3_errstr (local->code));
      return NULL;
    }

  self->handle = esc_sqlite_connection_get_handle (self->connection);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  if (!(stmt = esc_service_db_prepare (self, "PRAGMA journal_mode = WAL", error)))
    return NULL;
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    {
      set_db_error (self, error);
      return NULL;
    }
  mode = esc_service_stmt_column_text (stmt, 0);
  if (mode == NULL || g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                   _("Could not switch the database “%s” to WAL mode"), path);
      return NULL;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  /* FULL: an answered write survives a power cut (NORMAL may lose the last
   * transactions), since clients forget their outbox entry on 2xx. */
  if (!exec_sql (self,
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA synchronous = FULL;",
                 error))
    return NULL;

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
esc_service_db_get_path (EscServiceDb *self)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), NULL);

  return self->path;
}

/**
 * esc_service_db_get_schema_version:
 * @self: a #EscServiceDb
 *
 * Returns: the schema version of the open file, or -1 on error
 */
int
esc_service_db_get_schema_version (EscServiceDb *self)
{
  g_autoptr(GError) error = NULL;
  int version;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), -1);

  if ((version = read_user_version (self, &error)) < 0)
    g_warning ("Could not read the schema version: %s", error ? error->message : "unknown error");

  return version;
}

int
esc_service_db_get_latest_schema_version (void)
{
  return esc_service_db_count_migrations ();
}

/**
 * esc_service_format_timestamp:
 * @datetime: (nullable): a time, or %NULL for now
 *
 * Returns: (transfer full): @datetime in RFC 3339 UTC, to the second (see
 *   esc_time_format())
 */
char *
esc_service_format_timestamp (GDateTime *datetime)
{
  g_autoptr(GDateTime) now = NULL;

  if (datetime == NULL)
    datetime = now = g_date_time_new_now_utc ();

  return esc_time_format (datetime);
}

static char *
dup_now_string (EscServiceDb *self)
{
  g_autoptr(GDateTime) now = esc_service_db_dup_now (self);

  return esc_service_format_timestamp (now);
}

static gboolean
validate_roles (const char * const  *roles,
                GError             **error)
{
  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      if (!esc_service_role_is_valid (roles[i]))
        {
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                       _("Unknown role “%s”"), roles[i]);
          return FALSE;
        }
    }

  return TRUE;
}

/* Finds or creates the person. Must run inside a write transaction. */
static gboolean
ensure_person (EscServiceDb        *self,
               const char          *name,
               const char          *email,
               const char * const  *roles,
               const char          *now,
               gint64              *out_id,
               GError             **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  gint64 id;
  int rc;

  if (!(stmt = esc_service_db_prepare (self, "SELECT id, email FROM people WHERE name = ?1", error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, name);
  rc = esc_service_stmt_step (stmt);

  if (rc == ESC_SERVICE_STMT_ROW)
    {
      const char *old_email = esc_service_stmt_column_text (stmt, 1);

      id = esc_service_stmt_column_int64 (stmt, 0);

      if (email != NULL && g_strcmp0 (old_email, email) != 0)
        {
          g_clear_pointer (&stmt, esc_service_stmt_free);
          if (!(stmt = esc_service_db_prepare (self, "UPDATE people SET email = ?1 WHERE id = ?2", error)))
            return FALSE;
          esc_service_stmt_bind_text (stmt, 1, email);
          esc_service_stmt_bind_int64 (stmt, 2, id);
          if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_DONE)
            return set_db_error (self, error);
        }
    }
  else if (rc == ESC_SERVICE_STMT_DONE)
    {
      if (email == NULL)
        {
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                       _("“%s” is a new person: an email address is needed"), name);
          return FALSE;
        }
      if (roles == NULL || roles[0] == NULL)
        {
          g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                       _("“%s” is a new person: at least one role is needed"), name);
          return FALSE;
        }

      g_clear_pointer (&stmt, esc_service_stmt_free);
      if (!(stmt = esc_service_db_prepare (self,
                            "INSERT INTO people (name, email, created_at) VALUES (?1, ?2, ?3) RETURNING id",
                            error)))
        return FALSE;
      esc_service_stmt_bind_text (stmt, 1, name);
      esc_service_stmt_bind_text (stmt, 2, email);
      esc_service_stmt_bind_text (stmt, 3, now);
      if (!(id = esc_service_db_step_returning_id (self, stmt, error)))
        return FALSE;
    }
  else
    {
      return set_db_error (self, error);
    }

  g_clear_pointer (&stmt, esc_service_stmt_free);
  if (!(stmt = esc_service_db_prepare (self,
                        "INSERT INTO person_roles (person_id, role) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                        error)))
    return FALSE;

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      esc_service_stmt_reset (stmt);
      esc_service_stmt_bind_int64 (stmt, 1, id);
      esc_service_stmt_bind_text (stmt, 2, roles[i]);
      if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_DONE)
        return set_db_error (self, error);
    }

  *out_id = id;
  return TRUE;
}

/**
 * esc_service_db_create_token:
 * @self: a #EscServiceDb
 * @name: the person's unique name
 * @email: (nullable): their email address; needed for a new person, updates
 *   it for a known one
 * @roles: (array zero-terminated=1) (nullable): roles to add; a new person
 *   needs at least one
 * @error: return location for a #GError
 *
 * Creates the person if they are new, adds @roles, and makes a new token for
 * them. Only the SHA-256 of the token is stored.
 *
 * Returns: (transfer full): the token in clear, to be shown once, or %NULL
 */
char *
esc_service_db_create_token (EscServiceDb        *self,
                             const char          *name,
                             const char          *email,
                             const char * const  *roles,
                             GError             **error)
{
  return esc_service_db_create_token_full (self, name, email, roles, 0, error);
}

/**
 * esc_service_db_create_token_full:
 * @expires_in_days: the token's lifetime; 0 for the "token.lifetime-days"
 *   setting (90)
 *
 * Like esc_service_db_create_token(), with a lifetime of its own. A disabled
 * person gets no new token: their access was removed.
 *
 * Returns: (transfer full): the token in clear, to be shown once, or %NULL
 */
char *
esc_service_db_create_token_full (EscServiceDb        *self,
                                  const char          *name,
                                  const char          *email,
                                  const char * const  *roles,
                                  guint                expires_in_days,
                                  GError             **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(GDateTime) expires_time = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  g_autofree char *expires = NULL;
  gint64 person_id = 0;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!esc_service_name_is_valid (name))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid user name"), name);
      return NULL;
    }
  if (email != NULL && !esc_service_email_is_valid (email))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid email address"), email);
      return NULL;
    }
  if (!validate_roles (roles, error))
    return NULL;

  if (!(token = esc_service_token_generate (error)))
    return NULL;
  hash = esc_service_token_hash (token);
  now_time = esc_service_db_dup_now (self);
  now = esc_service_format_timestamp (now_time);
  if (expires_in_days == 0)
    expires_in_days = (guint)CLAMP (esc_service_db_get_setting_int (self, "token.lifetime-days", 90),
                                    1, 3650);
  expires_time = g_date_time_add_days (now_time, (gint)MIN (expires_in_days, 36500));
  expires = esc_service_format_timestamp (expires_time);

  if (!esc_service_db_begin (self, error))
    return NULL;

  /* The same lock as the people added over HTTP (esc-service-access.c):
   * two nodes adding the same new person at once add them once. */
  if (!esc_service_db_lock_key (self, "people", error) ||
      !ensure_person (self, name, email, roles, now, &person_id, error))
    goto failed;

  if (!(stmt = esc_service_db_prepare (self, "SELECT disabled_at FROM people WHERE id = ?1", error)))
    goto failed;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  if (esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW && !esc_service_stmt_column_is_null (stmt, 0))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT,
                   _("“%s” was disabled at %s: their access was removed, so they get no new "
                     "token"), name, esc_service_stmt_column_text (stmt, 0));
      goto failed;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  if (!(stmt = esc_service_db_prepare (self,
                        "INSERT INTO tokens (hash, person_id, created_at, expires_at)"
                        " VALUES (?1, ?2, ?3, ?4)",
                        error)))
    goto failed;
  esc_service_stmt_bind_text (stmt, 1, hash);
  esc_service_stmt_bind_int64 (stmt, 2, person_id);
  esc_service_stmt_bind_text (stmt, 3, now);
  esc_service_stmt_bind_text (stmt, 4, expires);
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_DONE)
    {
      set_db_error (self, error);
      goto failed;
    }
  g_clear_pointer (&stmt, esc_service_stmt_free);

  if (!esc_service_db_commit (self, error))
    goto failed;

  return g_steal_pointer (&token);

failed:
  g_clear_pointer (&stmt, esc_service_stmt_free);
  esc_service_db_rollback (self);
  return NULL;
}

/**
 * esc_service_db_revoke_token:
 * @self: a #EscServiceDb
 * @token: a token made by esc_service_db_create_token()
 * @error: return location for a #GError
 *
 * Revoking an already revoked token succeeds and keeps the first time.
 *
 * Returns: %TRUE on success; %ESC_SERVICE_ERROR_NOT_FOUND if the token is unknown
 */
gboolean
esc_service_db_revoke_token (EscServiceDb  *self,
                             const char    *token,
                             GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  hash = esc_service_token_hash (token);
  now = dup_now_string (self);

  if (!(stmt = esc_service_db_prepare (self,
                        "UPDATE tokens SET revoked_at = coalesce (revoked_at, ?1) WHERE hash = ?2",
                        error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, now);
  esc_service_stmt_bind_text (stmt, 2, hash);
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_DONE)
    return set_db_error (self, error);

  if (esc_service_stmt_changes (stmt) == 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                           _("This token is not known to the service"));
      return FALSE;
    }

  return TRUE;
}

static EscServicePerson *
load_person (EscServiceDb  *self,
             gint64         person_id,
             GError       **error)
{
  g_autoptr(EscServicePerson) person = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(GStrvBuilder) roles = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) designations = g_strv_builder_new ();
  g_autoptr(GDateTime) now_time = esc_service_db_dup_now (self);
  g_autofree char *now = esc_service_format_timestamp (now_time);
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (self,
                                              "SELECT 'p', name, email FROM people WHERE id = ?1"
                                              " UNION ALL"
                                              " SELECT 'r', role, NULL FROM person_roles WHERE person_id = ?1"
                                              " UNION ALL"
                                              " SELECT 'd', capability, NULL FROM designations"
                                              "  WHERE person_id = ?1 AND (expires_at IS NULL OR expires_at > ?2)"
                                              " ORDER BY 1, 2",
                                              error)))
    return NULL;
  esc_service_stmt_bind_int64 (stmt, 1, person_id);
  esc_service_stmt_bind_text (stmt, 2, now);

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    {
      const char *kind = esc_service_stmt_column_text (stmt, 0);
      const char *value = esc_service_stmt_column_text (stmt, 1);

      if (g_strcmp0 (kind, "p") == 0)
        {
          person = g_new0 (EscServicePerson, 1);
          person->id = person_id;
          person->name = g_strdup (value);
          person->email = g_strdup (esc_service_stmt_column_text (stmt, 2));
        }
      else if (g_strcmp0 (kind, "r") == 0)
        g_strv_builder_add (roles, value);
      else
        g_strv_builder_add (designations, value);
    }

  if (rc != ESC_SERVICE_STMT_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }
  if (person == NULL)
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, person_id);

      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   /* Translators: %s is a number, the person’s id in the service’s database */
                   _("No person with id %s"), id_text);
      return NULL;
    }

  person->roles = g_strv_builder_end (roles);
  person->designations = g_strv_builder_end (designations);
  return g_steal_pointer (&person);
}

/**
 * esc_service_db_get_person:
 * @self: a #EscServiceDb
 * @person_id: the person's id
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the person with their roles and live
 *   designations, or %NULL with %ESC_SERVICE_ERROR_NOT_FOUND
 */
EscServicePerson *
esc_service_db_get_person (EscServiceDb  *self,
                           gint64         person_id,
                           GError       **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), NULL);

  /* One statement: the person, roles and designations agree */
  return load_person (self, person_id, error);
}

/**
 * esc_service_db_authenticate:
 * @self: a #EscServiceDb
 * @token: a bearer token as received
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the token's owner, or %NULL with
 *   %ESC_SERVICE_ERROR_UNKNOWN_TOKEN, %ESC_SERVICE_ERROR_REVOKED_TOKEN,
 *   %ESC_SERVICE_ERROR_EXPIRED_TOKEN, %ESC_SERVICE_ERROR_DISABLED_PERSON or
 *   %ESC_SERVICE_ERROR_DATABASE
 */
EscServicePerson *
esc_service_db_authenticate (EscServiceDb  *self,
                             const char    *token,
                             GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  gboolean stale;
  gint64 person_id;
  int rc;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (!esc_service_token_is_wellformed (token))
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNKNOWN_TOKEN,
                           _("The bearer token is not known to this service"));
      return NULL;
    }

  hash = esc_service_token_hash (token);

  now = dup_now_string (self);

  if (!(stmt = esc_service_db_prepare_cached (self,
                                              "SELECT t.person_id, t.revoked_at IS NOT NULL,"
                                              "  t.expires_at IS NOT NULL AND t.expires_at <= ?2,"
                                              "  p.disabled_at IS NOT NULL,"
                                              "  t.last_used_at IS NULL OR t.last_used_at <= ?3"
                                              " FROM tokens t JOIN people p ON p.id = t.person_id"
                                              " WHERE t.hash = ?1",
                                              error)))
    return NULL;
  esc_service_stmt_bind_text (stmt, 1, hash);
  esc_service_stmt_bind_text (stmt, 2, now);
  {
    g_autoptr(GDateTime) now_time = esc_time_parse (now);
    g_autoptr(GDateTime) stale_time = NULL;
    g_autofree char *stale_before = NULL;
    gint64 interval = esc_service_db_get_setting_int (self, "token.last-used-interval-seconds", 60);

    stale_time = g_date_time_add_seconds (now_time, -(double)interval);
    stale_before = esc_service_format_timestamp (stale_time);
    esc_service_stmt_bind_text (stmt, 3, stale_before);
  }
  rc = esc_service_stmt_step (stmt);

  if (rc == ESC_SERVICE_STMT_DONE)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNKNOWN_TOKEN,
                           _("The bearer token is not known to this service"));
      return NULL;
    }
  else if (rc != ESC_SERVICE_STMT_ROW)
    {
      set_db_error (self, error);
      return NULL;
    }

  if (esc_service_stmt_column_int64 (stmt, 1) != 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_REVOKED_TOKEN,
                           _("The bearer token has been revoked"));
      return NULL;
    }
  if (esc_service_stmt_column_int64 (stmt, 3) != 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DISABLED_PERSON,
                           _("The access of this token’s owner was removed"));
      return NULL;
    }
  if (esc_service_stmt_column_int64 (stmt, 2) != 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_EXPIRED_TOKEN,
                           _("The bearer token has expired"));
      return NULL;
    }

  person_id = esc_service_stmt_column_int64 (stmt, 0);
  stale = esc_service_stmt_column_int64 (stmt, 4) != 0;
  g_clear_pointer (&stmt, esc_service_stmt_release);

  /* When it was last used, at most once a minute: a token seen in every
   * request does not write every time. A failure here (a busy database)
   * refuses nothing: the write is a transaction of its own, or a savepoint
   * inside the group commit's batch, whose failure on PostgreSQL would
   * otherwise abort the whole batch. */
  if (stale)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean recorded = FALSE;

      if (esc_service_db_begin (self, &local_error))
        {
          if ((stmt = esc_service_db_prepare_cached (self,
                                                     "UPDATE tokens SET last_used_at = ?1 WHERE hash = ?2",
                                                     &local_error)) != NULL)
            {
              esc_service_stmt_bind_text (stmt, 1, now);
              esc_service_stmt_bind_text (stmt, 2, hash);
              recorded = esc_service_db_step_done (self, stmt, &local_error);
              g_clear_pointer (&stmt, esc_service_stmt_release);
            }
          if (!recorded || !(recorded = esc_service_db_commit (self, &local_error)))
            esc_service_db_rollback (self);
        }
      if (!recorded)
        g_debug ("The token's last use was not recorded: %s",
                 local_error != NULL ? local_error->message : "no statement");
    }

  return esc_service_db_get_person (self, person_id, error);
}

/**
 * esc_service_db_find_token_owner:
 * @db: a #EscServiceDb
 * @token: a bearer token as received
 *
 * For the audit of refused tokens: whose token this is, revoked or not.
 *
 * Returns: the person's id, or 0 if the token is unknown
 */
gint64
esc_service_db_find_token_owner (EscServiceDb *db,
                                 const char   *token)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), 0);

  if (token == NULL || !esc_service_token_is_wellformed (token))
    return 0;

  hash = esc_service_token_hash (token);
  if (!(stmt = esc_service_db_prepare (db, "SELECT person_id FROM tokens WHERE hash = ?1", NULL)))
    return 0;
  esc_service_stmt_bind_text (stmt, 1, hash);
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    return 0;

  return esc_service_stmt_column_int64 (stmt, 0);
}

/* The clock */

/**
 * esc_service_db_set_clock:
 * @self: a #EscServiceDb
 * @clock: (nullable): returns the current time; %NULL for the real clock
 * @user_data: for @clock
 * @destroy: (nullable): frees @user_data
 *
 * Every "now" of the service comes from here, so tests can move time.
 */
void
esc_service_db_set_clock (EscServiceDb    *self,
                          EscServiceClock  clock,
                          gpointer         user_data,
                          GDestroyNotify   destroy)
{
  g_return_if_fail (ESC_IS_SERVICE_DB (self));

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);

  self->clock = clock;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
}

/**
 * esc_service_db_dup_now:
 * @self: a #EscServiceDb
 *
 * Returns: (transfer full): the current time in UTC, from the clock
 */
GDateTime *
esc_service_db_dup_now (EscServiceDb *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), NULL);

  if (self->clock != NULL)
    now = self->clock (self->clock_data);
  if (now == NULL)
    return g_date_time_new_now_utc ();

  return g_date_time_to_utc (now);
}

/* Helpers for the feature files (esc-service-private.h) */

EscServiceDbBackend
esc_service_db_get_backend (EscServiceDb *db)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), ESC_SERVICE_DB_SQLITE);

  return db->pg != NULL ? ESC_SERVICE_DB_POSTGRESQL : ESC_SERVICE_DB_SQLITE;
}

EscSqliteConnection *
esc_service_db_get_sqlite (EscServiceDb *db)
{
  return db->connection;
}

EscServiceStorage *
esc_service_db_get_pg_storage (EscServiceDb *db)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  return db->pg;
}

/* The open transaction's connection, or a transaction of its own. */
EscServiceRows *
esc_service_db_pg_query (EscServiceDb        *db,
                         const char          *sql,
                         const char * const  *params,
                         guint                n_params,
                         GError             **error)
{
  g_return_val_if_fail (db->pg != NULL, NULL);

  if (db->txn != NULL)
    return esc_service_txn_query (db->txn, sql, params, n_params, error);

  /* Alone: committed by itself, one round trip */
  return esc_service_pg_storage_query_alone (ESC_SERVICE_PG_STORAGE (db->pg), sql, params, n_params, error);
}

/* @sql for its effect alone: in a transaction, sent with the next statement
 * that waits (esc_service_txn_query_later()). */
gboolean
esc_service_db_pg_query_later (EscServiceDb        *db,
                               const char          *sql,
                               const char * const  *params,
                               guint                n_params,
                               GError             **error)
{
  g_autoptr(EscServiceRows) rows = NULL;

  g_return_val_if_fail (db->pg != NULL, FALSE);

  if (db->txn != NULL)
    return esc_service_txn_query_later (db->txn, sql, params, n_params, error);

  rows = esc_service_pg_storage_query_alone (ESC_SERVICE_PG_STORAGE (db->pg), sql, params, n_params, error);
  return rows != NULL;
}

void
esc_service_db_take_error (EscServiceDb *db,
                           GError       *error)
{
  g_clear_error (&db->last_error);
  db->last_error = error;
}

gboolean
esc_service_db_exec (EscServiceDb  *db,
                     const char    *sql,
                     GError       **error)
{
  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);

  return exec_sql (db, sql, error);
}

/* Steps @stmt once, expecting no row (INSERT, UPDATE, DELETE). */
gboolean
esc_service_db_step_done (EscServiceDb    *db,
                          EscServiceStmt  *stmt,
                          GError         **error)
{
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_DONE)
    return set_db_error (db, error);

  return TRUE;
}

/**
 * esc_service_db_step_returning_id:
 * @db: a #EscServiceDb
 * @stmt: an "INSERT … RETURNING id"
 * @error: return location for a #GError
 *
 * Runs the INSERT and reads the new row's id.
 *
 * Returns: the id (> 0), or 0 with @error set
 */
gint64
esc_service_db_step_returning_id (EscServiceDb    *db,
                                  EscServiceStmt  *stmt,
                                  GError         **error)
{
  gint64 id;

  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    {
      set_db_error (db, error);
      return 0;
    }
  id = esc_service_stmt_column_int64 (stmt, 0);
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_DONE)
    {
      set_db_error (db, error);
      return 0;
    }

  return id;
}

/* Sets @error from the last failure; returns FALSE. */
gboolean
esc_service_db_set_error (EscServiceDb  *db,
                          GError       **error)
{
  return set_db_error (db, error);
}

/* SQLite: runs one statement kept prepared by the connection. */
static gboolean
exec_cached (EscServiceDb  *self,
             const char    *sql,
             GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (self, sql, error)))
    return FALSE;

  rc = esc_service_stmt_step (stmt);
  /* Reset before anything else: a RELEASE is only finished then. */
  esc_service_stmt_reset (stmt);
  if (rc != ESC_SERVICE_STMT_DONE)
    return set_db_error (self, error);

  return TRUE;
}

static void pg_rollback (EscServiceDb *self);

/* What was noted in the transaction: a rolled back (or ended) level may
 * have undone it */
static void
pg_forget_memo (EscServiceDb *self)
{
  if (self->pg_memo != NULL)
    g_hash_table_remove_all (self->pg_memo);
}

/* The audit events of levels @level and deeper: dropped (rolled back), or
 * handed to the level above (released) */
static void
pg_end_audit_level (EscServiceDb *self,
                    guint         level,
                    gboolean      keep)
{
  if (self->pg_audit_pending == NULL)
    return;

  for (guint i = self->pg_audit_pending->len; i > 0; i--)
    {
      EscServicePendingAudit *row = g_ptr_array_index (self->pg_audit_pending, i - 1);

      if (row->level < level)
        break;
      if (keep)
        row->level = level - 1;
      else
        g_ptr_array_remove_index (self->pg_audit_pending, i - 1);
    }
}

gboolean
esc_service_db_pend_audit (EscServiceDb           *db,
                           EscServicePendingAudit *row)
{
  if (db->pg == NULL || db->txn == NULL || db->pg_depth == 0)
    return FALSE;

  if (db->pg_audit_pending == NULL)
    db->pg_audit_pending = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_service_pending_audit_free);
  row->level = db->pg_depth;
  g_ptr_array_add (db->pg_audit_pending, row);

  return TRUE;
}

/* PostgreSQL: the handlers' nesting as a transaction, then savepoints. */
static gboolean
pg_savepoint (EscServiceDb  *self,
              const char    *verb,
              guint          level,
              GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("%s esc_level_%u", verb, level);
  g_autoptr(EscServiceRows) rows = NULL;

  /* A savepoint set or released goes with the next statement: it fails
   * only with the whole transaction. Rolling back to one waits. */
  if (!g_str_has_prefix (verb, "ROLLBACK"))
    return esc_service_txn_query_later (self->txn, sql, NULL, 0, error);

  rows = esc_service_txn_query (self->txn, sql, NULL, 0, error);
  return rows != NULL;
}

static gboolean
pg_begin (EscServiceDb  *self,
          GError       **error)
{
  if (self->pg_depth == 0)
    {
      if (!(self->txn = esc_service_storage_begin (self->pg, ESC_SERVICE_TXN_WRITE, error)))
        return FALSE;
      g_clear_pointer (&self->pg_settings, g_hash_table_unref);
      pg_forget_memo (self);
      if (self->pg_audit_pending != NULL)
        g_ptr_array_set_size (self->pg_audit_pending, 0);
    }
  else if (!pg_savepoint (self, "SAVEPOINT", self->pg_depth, error))
    return FALSE;

  self->pg_depth++;
  return TRUE;
}

static gboolean
pg_commit (EscServiceDb  *self,
           GError       **error)
{
  g_return_val_if_fail (self->pg_depth > 0, FALSE);

  if (self->pg_depth == 1)
    {
      EscServiceTxn *txn;

      /* The transaction's audit events, last: the audit head stays
       * locked for this round trip and the COMMIT only */
      if (self->pg_audit_pending != NULL && self->pg_audit_pending->len > 0)
        {
          g_autoptr(GPtrArray) rows = g_steal_pointer (&self->pg_audit_pending);

          if (!esc_service_db_audit_write_pending (self, rows, error))
            {
              pg_rollback (self);
              return FALSE;
            }
        }

      txn = g_steal_pointer (&self->txn);
      self->pg_depth = 0;
      pg_forget_memo (self);
      return esc_service_txn_commit (txn, error);
    }

  if (!pg_savepoint (self, "RELEASE SAVEPOINT", self->pg_depth - 1, error))
    {
      /* The level stays open: the caller rolls it back */
      return FALSE;
    }
  pg_end_audit_level (self, self->pg_depth, TRUE);
  self->pg_depth--;
  return TRUE;
}

static void
pg_rollback (EscServiceDb *self)
{
  g_return_if_fail (self->pg_depth > 0);

  pg_forget_memo (self);
  pg_end_audit_level (self, self->pg_depth, FALSE);
  if (self->pg_depth == 1)
    {
      esc_service_txn_rollback (g_steal_pointer (&self->txn));
      self->pg_depth = 0;
      return;
    }

  self->pg_depth--;
  if (!pg_savepoint (self, "ROLLBACK TO SAVEPOINT", self->pg_depth, NULL) ||
      !pg_savepoint (self, "RELEASE SAVEPOINT", self->pg_depth, NULL))
    g_debug ("PostgreSQL: could not roll back to a savepoint; the transaction will fail");
}

/* The handlers' nesting: the connection's, less the batch's own level. */
static guint
get_depth (EscServiceDb *self)
{
  guint depth = self->pg != NULL ? self->pg_depth : esc_sqlite_connection_get_depth (self->connection);

  return self->in_batch && depth > 0 ? depth - 1 : depth;
}

/**
 * esc_service_db_begin:
 * @db: a #EscServiceDb
 * @error: return location for a #GError
 *
 * Starts a write transaction (on SQLite BEGIN IMMEDIATE: the write lock at
 * once), or a savepoint inside an open one (a group commit's batch, or a
 * caller's). Pair it with esc_service_db_commit() or
 * esc_service_db_rollback().
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_db_begin (EscServiceDb  *db,
                      GError       **error)
{
  GError *local = NULL;

  if (db->pg != NULL)
    return pg_begin (db, error);

  if (!esc_sqlite_connection_begin (db->connection, &local))
    return propagate_db_error (error, local);

  return TRUE;
}

gboolean
esc_service_db_commit (EscServiceDb  *db,
                       GError       **error)
{
  GError *local = NULL;

  /* depth 0 outside a batch: a transaction opened with a literal BEGIN,
   * which the connection commits. */
  g_return_val_if_fail (get_depth (db) > 0 || !db->in_batch, FALSE);

  if (db->pg != NULL)
    return pg_commit (db, error);

  if (!esc_sqlite_connection_commit (db->connection, &local))
    return propagate_db_error (error, local);

  return TRUE;
}

/* Undoes what was done since the matching esc_service_db_begin(). */
void
esc_service_db_rollback (EscServiceDb *db)
{
  /* Inside a batch with no level of the handler's open: nothing of its own. */
  if (get_depth (db) == 0 && db->in_batch)
    return;

  if (db->pg != NULL)
    {
      if (db->pg_depth > 0)
        pg_rollback (db);
      return;
    }

  /* Also ends a transaction opened with a literal BEGIN (outside any batch). */
  esc_sqlite_connection_rollback (db->connection);
}

/* Whether an esc_service_db_begin() is open (a batch alone does not count). */
gboolean
esc_service_db_in_transaction (EscServiceDb *db)
{
  return get_depth (db) > 0;
}

/**
 * esc_service_db_begin_read:
 * @db: a #EscServiceDb
 * @error: return location for a #GError
 *
 * A read transaction, so that several SELECTs see one state of the
 * database; works inside a write transaction too. End it with
 * esc_service_db_end_read(). (Not `BEGIN`: that fails inside a batch.)
 *
 * Returns: %TRUE on success
 */
gboolean
esc_service_db_begin_read (EscServiceDb  *db,
                           GError       **error)
{
  if (db->pg != NULL)
    {
      g_autoptr(EscServiceRows) rows = NULL;

      if (!pg_begin (db, error))
        return FALSE;
      if (db->pg_depth > 1)
        return TRUE;

      /* PostgreSQL's default, READ COMMITTED, gives each statement its own
       * snapshot: one snapshot for the whole transaction, as SQLite's
       * read transaction gives. */
      if (!(rows = esc_service_txn_query (db->txn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                                          NULL, 0, error)))
        {
          pg_rollback (db);
          return FALSE;
        }
      return TRUE;
    }

  return exec_cached (db, "SAVEPOINT esc_read", error);
}

void
esc_service_db_end_read (EscServiceDb *db)
{
  if (db->pg != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (db->pg_depth > 0 && !pg_commit (db, &error))
        {
          g_debug ("PostgreSQL: a read transaction ended with: %s", error->message);
          if (db->pg_depth > 0)
            pg_rollback (db);
        }
      return;
    }

  exec_cached (db, "RELEASE esc_read", NULL);
}

/* Group commit: the server runs several handlers in one transaction and
 * answers them all once it is committed (one fsync for all). */
gboolean
esc_service_db_batch_begin (EscServiceDb  *db,
                            GError       **error)
{
  g_return_val_if_fail (!db->in_batch && get_depth (db) == 0, FALSE);

  if (!esc_service_db_begin (db, error))
    return FALSE;

  db->in_batch = TRUE;
  return TRUE;
}

/* Whether the batch's transaction is still open (an I/O error may have
 * rolled it back under a handler). */
gboolean
esc_service_db_batch_is_alive (EscServiceDb *db)
{
  if (db->pg != NULL)
    return db->in_batch && db->txn != NULL;

  return db->in_batch && sqlite3_get_autocommit (db->handle) == 0;
}

static void
rollback_all (EscServiceDb *db)
{
  if (db->pg != NULL)
    {
      while (db->pg_depth > 0)
        pg_rollback (db);
      return;
    }

  while (esc_sqlite_connection_get_depth (db->connection) > 0)
    esc_sqlite_connection_rollback (db->connection);
}

gboolean
esc_service_db_batch_commit (EscServiceDb  *db,
                             GError       **error)
{
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (db->in_batch, FALSE);

  if (!esc_service_db_batch_is_alive (db))
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                           _("The transaction was rolled back by the database"));
      ok = FALSE;
    }
  else if (db->pg != NULL)
    {
      /* The server rolls back what a handler left open before this. */
      g_warn_if_fail (get_depth (db) == 0);
      ok = pg_commit (db, error);
    }
  else
    {
      g_warn_if_fail (get_depth (db) == 0);
      ok = esc_sqlite_connection_commit (db->connection, &local) || propagate_db_error (error, local);
    }

  db->in_batch = FALSE;
  if (!ok)
    rollback_all (db);

  return ok;
}

gboolean
esc_service_db_try_lead (EscServiceDb  *db,
                         const char    *job,
                         gboolean      *out_leader,
                         GError       **error)
{
  g_return_val_if_fail (get_depth (db) > 0, FALSE);

  if (db->pg == NULL)
    {
      /* One node: the write lock already keeps two runs apart */
      *out_leader = TRUE;
      return TRUE;
    }

  return esc_service_txn_try_lead (db->txn, job, out_leader, error);
}

/* The keys of esc_service_db_lock_key(): (KEY_LOCK_CLASS, hashtext (key));
 * the class is "ESCK" in ASCII, apart from the timed jobs' "ESCB". */
#define KEY_LOCK_CLASS 1163084619

gboolean
esc_service_db_lock_key (EscServiceDb  *db,
                         const char    *key,
                         GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (get_depth (db) > 0, FALSE);

  if (db->pg == NULL)
    return TRUE;

  if (!(stmt = esc_service_db_prepare (db,
                                       "SELECT 1 FROM (SELECT pg_advisory_xact_lock ("
                                       G_STRINGIFY (KEY_LOCK_CLASS) ", hashtext (CAST (?1 AS text)))) AS l",
                                       error)))
    return FALSE;
  esc_service_stmt_bind_text (stmt, 1, key);
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    return esc_service_db_set_error (db, error);

  return TRUE;
}

/**
 * esc_service_db_get_setting_int:
 * @db: a #EscServiceDb
 * @key: e.g. "support.reactivation-window-hours"
 * @fallback: the value if the setting is missing or not an integer
 *
 * Returns: the setting
 */
gint64
esc_service_db_get_setting_int (EscServiceDb *db,
                                const char   *key,
                                gint64        fallback)
{
  g_autofree char *text = esc_service_db_dup_setting (db, key);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
    return fallback;

  return value;
}

/* PostgreSQL, in a transaction: every setting, read once (the settings
 * change only with the schema, and a filing reads several). */
static gboolean
load_pg_settings (EscServiceDb *db)
{
  g_autoptr(EscServiceRows) rows = NULL;

  if (db->pg == NULL || db->txn == NULL)
    return FALSE;
  if (db->pg_settings != NULL)
    return TRUE;

  if (!(rows = esc_service_txn_query (db->txn, "SELECT key, value FROM settings", NULL, 0, NULL)))
    return FALSE;

  db->pg_settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < esc_service_rows_get_n_rows (rows); i++)
    g_hash_table_replace (db->pg_settings, g_strdup (esc_service_rows_get_text (rows, i, 0)),
                          g_strdup (esc_service_rows_get_text (rows, i, 1)));

  return TRUE;
}

/**
 * esc_service_db_dup_setting:
 * @db: a #EscServiceDb
 * @key: e.g. "support.severity-targets"
 *
 * Returns: (nullable): the setting's value, or %NULL if there is none (or
 *   it could not be read)
 */
char *
esc_service_db_dup_setting (EscServiceDb *db,
                            const char   *key)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;

  if (load_pg_settings (db))
    return g_strdup (g_hash_table_lookup (db->pg_settings, key));

  if (!(stmt = esc_service_db_prepare_cached (db, "SELECT value FROM settings WHERE key = ?1", NULL)))
    return NULL;
  esc_service_stmt_bind_text (stmt, 1, key);
  if (esc_service_stmt_step (stmt) != ESC_SERVICE_STMT_ROW)
    return NULL;

  return g_strdup (esc_service_stmt_column_text (stmt, 0));
}

/**
 * esc_service_db_txn_once:
 * @db: a #EscServiceDb
 * @what: a name for some work
 *
 * For work whose outcome every request of a group commit's batch shares
 * (the timed rules run before a read): on PostgreSQL, inside a transaction,
 * %TRUE the first time @what is asked in it (again after any level rolled
 * back), %FALSE after. Otherwise (SQLite, where the work costs no round
 * trip, or outside a transaction) always %TRUE.
 */
gboolean
esc_service_db_txn_once (EscServiceDb *db,
                         const char   *what)
{
  g_autofree char *key = g_strconcat ("once:", what, NULL);
  gboolean found;

  esc_service_db_txn_memo (db, key, &found);
  if (found)
    return FALSE;

  esc_service_db_txn_memo_set (db, key, "");
  return TRUE;
}

/**
 * esc_service_db_txn_memo:
 * @db: a #EscServiceDb
 * @key: what was noted, e.g. "sla_calendars:admin-hours"
 * @out_found: whether it was
 *
 * A value noted in the open PostgreSQL transaction, read again by the next
 * request of its group commit instead of a round trip. Whoever changes
 * what it stands for in the transaction calls
 * esc_service_db_txn_memo_forget(); a level rolled back forgets all.
 * Outside a transaction, or on SQLite, nothing is noted.
 *
 * Returns: (nullable): the value, if found
 */
const char *
esc_service_db_txn_memo (EscServiceDb *db,
                         const char   *key,
                         gboolean     *out_found)
{
  gpointer value = NULL;

  *out_found = db->pg != NULL && db->txn != NULL && db->pg_memo != NULL &&
               g_hash_table_lookup_extended (db->pg_memo, key, NULL, &value);
  return value;
}

void
esc_service_db_txn_memo_set (EscServiceDb *db,
                             const char   *key,
                             const char   *value)
{
  if (db->pg == NULL || db->txn == NULL)
    return;

  if (db->pg_memo == NULL)
    db->pg_memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (db->pg_memo, g_strdup (key), g_strdup (value));
}

void
esc_service_db_txn_memo_forget (EscServiceDb *db,
                                const char   *key)
{
  if (db->pg_memo != NULL)
    g_hash_table_remove (db->pg_memo, key);
}

