/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "esc-service-db.h"
#include "esc-service-token.h"

/* Another process (`token create` while `serve` runs) may hold the write lock. */
#define BUSY_TIMEOUT_MS 5000

struct _EscServiceDb
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *handle;
};

G_DEFINE_FINAL_TYPE (EscServiceDb, esc_service_db, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Forward migrations: migrations[n] takes the schema from user_version n to
 * n + 1. Never edit a released step; append a new one.
 * Timestamps are RFC 3339 UTC text ("2024-05-01T08:00:00Z"). */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE people ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  email TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE person_roles ("
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  role TEXT NOT NULL CHECK (role IN ('it-admin', 'partner-manager', 'support-staff', 'operator')),"
  "  PRIMARY KEY (person_id, role)"
  ");"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  created_at TEXT NOT NULL,"
  "  revoked_at TEXT"
  ");"
  "CREATE INDEX tokens_person_id ON tokens (person_id);"
  "CREATE TABLE designations ("
  "  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,"
  "  capability TEXT NOT NULL CHECK (capability IN ('elevation', 'escalation')),"
  "  reason TEXT,"
  "  expires_at TEXT,"
  "  PRIMARY KEY (person_id, capability)"
  ");",
};

static void
esc_service_db_finalize (GObject *object)
{
  EscServiceDb *self = (EscServiceDb *)object;

  g_clear_pointer (&self->handle, sqlite3_close_v2);
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

static gboolean
set_db_error (EscServiceDb  *self,
              GError       **error)
{
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
  char *message = NULL;

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                   _("Database error in “%s”: %s"),
                   self->path, message ? message : sqlite3_errmsg (self->handle));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static sqlite3_stmt *
prepare (EscServiceDb  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (self, error);
      return NULL;
    }

  return stmt;
}

static void
rollback (EscServiceDb *self)
{
  /* Nothing useful can be done if this fails: the caller already has an error. */
  if (sqlite3_get_autocommit (self->handle) == 0)
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

static int
read_user_version (EscServiceDb  *self,
                   GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!(stmt = prepare (self, "PRAGMA user_version", error)))
    return -1;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (self, error);
      return -1;
    }

  return sqlite3_column_int (stmt, 0);
}

static gboolean
migrate (EscServiceDb  *self,
         GError       **error)
{
  int version;

  /* Read the version inside the write transaction, so two processes opening
   * a fresh file at once do not both run the first step. */
  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if ((version = read_user_version (self, error)) < 0)
    goto failed;

  if (version > (int)G_N_ELEMENTS (migrations))
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_SCHEMA_TOO_NEW,
                   _("The database “%s” has schema version %d, newer than this "
                     "escalade-service knows (%d)"),
                   self->path, version, (int)G_N_ELEMENTS (migrations));
      goto failed;
    }

  for (int v = version; v < (int)G_N_ELEMENTS (migrations); v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_debug ("Migrating %s from schema version %d to %d", self->path, v, v + 1);

      if (!exec_sql (self, migrations[v], error) ||
          !exec_sql (self, set_version, error))
        goto failed;
    }

  return exec_sql (self, "COMMIT", error);

failed:
  rollback (self);
  return FALSE;
}

/**
 * esc_service_db_open:
 * @path: the SQLite file; created with the current schema if missing
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *mode;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (ESC_TYPE_SERVICE_DB, NULL);
  self->path = g_strdup (path);

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                   _("Could not open the database “%s”: %s"),
                   path, self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, BUSY_TIMEOUT_MS);

  if (!(stmt = prepare (self, "PRAGMA journal_mode = WAL", error)))
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (self, error);
      return NULL;
    }
  mode = (const char *)sqlite3_column_text (stmt, 0);
  if (mode == NULL || g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE,
                   _("Could not switch the database “%s” to WAL mode"), path);
      return NULL;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!exec_sql (self,
                 "PRAGMA foreign_keys = ON;"
                 "PRAGMA synchronous = NORMAL;",
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
    g_debug ("%s", error->message);

  return version;
}

int
esc_service_db_get_latest_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

/**
 * esc_service_format_timestamp:
 * @datetime: (nullable): a time, or %NULL for now
 *
 * Returns: (transfer full): @datetime in RFC 3339 UTC, to the second
 */
char *
esc_service_format_timestamp (GDateTime *datetime)
{
  g_autoptr(GDateTime) utc = NULL;

  if (datetime != NULL)
    utc = g_date_time_to_utc (datetime);
  else
    utc = g_date_time_new_now_utc ();

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id;
  int rc;

  if (!(stmt = prepare (self, "SELECT id, email FROM people WHERE name = ?1", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      const char *old_email = (const char *)sqlite3_column_text (stmt, 1);

      id = sqlite3_column_int64 (stmt, 0);

      if (email != NULL && g_strcmp0 (old_email, email) != 0)
        {
          g_clear_pointer (&stmt, sqlite3_finalize);
          if (!(stmt = prepare (self, "UPDATE people SET email = ?1 WHERE id = ?2", error)))
            return FALSE;
          sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, id);
          if (sqlite3_step (stmt) != SQLITE_DONE)
            return set_db_error (self, error);
        }
    }
  else if (rc == SQLITE_DONE)
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

      g_clear_pointer (&stmt, sqlite3_finalize);
      if (!(stmt = prepare (self,
                            "INSERT INTO people (name, email, created_at) VALUES (?1, ?2, ?3)",
                            error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return set_db_error (self, error);
      id = sqlite3_last_insert_rowid (self->handle);
    }
  else
    {
      return set_db_error (self, error);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  if (!(stmt = prepare (self,
                        "INSERT OR IGNORE INTO person_roles (person_id, role) VALUES (?1, ?2)",
                        error)))
    return FALSE;

  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, roles[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
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
  now = esc_service_format_timestamp (NULL);

  if (!exec_sql (self, "BEGIN IMMEDIATE", error))
    return NULL;

  if (!ensure_person (self, name, email, roles, now, &person_id, error))
    goto failed;

  if (!(stmt = prepare (self,
                        "INSERT INTO tokens (hash, person_id, created_at) VALUES (?1, ?2, ?3)",
                        error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, person_id);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (self, error);
      goto failed;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!exec_sql (self, "COMMIT", error))
    goto failed;

  return g_steal_pointer (&token);

failed:
  g_clear_pointer (&stmt, sqlite3_finalize);
  rollback (self);
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  hash = esc_service_token_hash (token);
  now = esc_service_format_timestamp (NULL);

  if (!(stmt = prepare (self,
                        "UPDATE tokens SET revoked_at = coalesce (revoked_at, ?1) WHERE hash = ?2",
                        error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (self, error);

  if (sqlite3_changes (self->handle) == 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                           _("This token is not known to the service"));
      return FALSE;
    }

  return TRUE;
}

static GStrv
collect_strings (EscServiceDb  *self,
                 sqlite3_stmt  *stmt,
                 GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *)sqlite3_column_text (stmt, 0));

  if (rc != SQLITE_DONE)
    {
      set_db_error (self, error);
      return NULL;
    }

  return g_strv_builder_end (builder);
}

static EscServicePerson *
load_person (EscServiceDb  *self,
             gint64         person_id,
             GError       **error)
{
  g_autoptr(EscServicePerson) person = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *now = NULL;
  int rc;

  if (!(stmt = prepare (self, "SELECT name, email FROM people WHERE id = ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, person_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND,
                   _("No person with id %" G_GINT64_FORMAT), person_id);
      return NULL;
    }
  else if (rc != SQLITE_ROW)
    {
      set_db_error (self, error);
      return NULL;
    }

  person = g_new0 (EscServicePerson, 1);
  person->id = person_id;
  person->name = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  person->email = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!(stmt = prepare (self,
                        "SELECT role FROM person_roles WHERE person_id = ?1 ORDER BY role",
                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, person_id);
  if (!(person->roles = collect_strings (self, stmt, error)))
    return NULL;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Only the capabilities that are live now: an expired designation stays in
   * the table (for the record) but grants nothing. */
  now = esc_service_format_timestamp (NULL);
  if (!(stmt = prepare (self,
                        "SELECT capability FROM designations"
                        " WHERE person_id = ?1"
                        "   AND (expires_at IS NULL OR julianday (expires_at) > julianday (?2))"
                        " ORDER BY capability",
                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, person_id);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_TRANSIENT);
  if (!(person->designations = collect_strings (self, stmt, error)))
    return NULL;

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
  EscServicePerson *person;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (self), NULL);

  /* One read transaction, so the person, roles and designations agree. */
  if (!exec_sql (self, "BEGIN", error))
    return NULL;

  person = load_person (self, person_id, error);

  if (!exec_sql (self, "COMMIT", person ? error : NULL))
    {
      rollback (self);
      g_clear_pointer (&person, esc_service_person_free);
    }

  return person;
}

/**
 * esc_service_db_authenticate:
 * @self: a #EscServiceDb
 * @token: a bearer token as received
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the token's owner, or %NULL with
 *   %ESC_SERVICE_ERROR_UNKNOWN_TOKEN, %ESC_SERVICE_ERROR_REVOKED_TOKEN or
 *   %ESC_SERVICE_ERROR_DATABASE
 */
EscServicePerson *
esc_service_db_authenticate (EscServiceDb  *self,
                             const char    *token,
                             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *hash = NULL;
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

  if (!(stmt = prepare (self,
                        "SELECT person_id, revoked_at IS NOT NULL FROM tokens WHERE hash = ?1",
                        error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_UNKNOWN_TOKEN,
                           _("The bearer token is not known to this service"));
      return NULL;
    }
  else if (rc != SQLITE_ROW)
    {
      set_db_error (self, error);
      return NULL;
    }

  if (sqlite3_column_int (stmt, 1) != 0)
    {
      g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_REVOKED_TOKEN,
                           _("The bearer token has been revoked"));
      return NULL;
    }

  person_id = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  return esc_service_db_get_person (self, person_id, error);
}
