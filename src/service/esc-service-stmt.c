/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "esc-service-private.h"

/* The handlers' statements (esc-service-private.h) on either database.
 *
 * On SQLite an EscServiceStmt wraps a prepared sqlite3_stmt (one the
 * connection keeps, for esc_service_db_prepare_cached()). On PostgreSQL it
 * holds the SQL rewritten with $n parameters and the bound values as text;
 * the first step runs it (esc_service_db_pg_query()) and the next ones walk
 * the copied rows. */

struct _EscServiceStmt
{
  EscServiceDb   *db;             /* borrowed: a statement never outlives its db */

  /* SQLite */
  sqlite3_stmt   *sqlite;
  gboolean        cached;

  /* PostgreSQL */
  char           *pg_sql;
  GPtrArray      *params;         /* char *, NULL for SQL NULL */
  EscServiceRows *rows;
  gint64          row;            /* -1 before the first row */
  gint64          changes;
};

/* "?" and "?NNN" as "$n", outside quoted text: "a = ?1 OR b = ?" has $1, $2. */
static char *
rewrite_parameters (const char *sql,
                    guint      *out_n_params)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  guint next = 1;
  guint most = 0;
  char quote = '\0';

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != '\0')
        {
          if (*p == quote)
            quote = '\0';
          g_string_append_c (out, *p);
        }
      else if (*p == '\'' || *p == '"')
        {
          quote = *p;
          g_string_append_c (out, *p);
        }
      else if (*p == '?')
        {
          guint number = 0;

          while (g_ascii_isdigit (p[1]))
            number = number * 10 + (guint)(*++p - '0');
          if (number == 0)
            number = next;
          next = number + 1;
          most = MAX (most, number);
          g_string_append_printf (out, "$%u", number);
        }
      else
        g_string_append_c (out, *p);
    }

  *out_n_params = most;
  return g_string_free (out, FALSE);
}

static EscServiceStmt *
stmt_new (EscServiceDb *db)
{
  EscServiceStmt *stmt = g_new0 (EscServiceStmt, 1);

  stmt->db = db;
  stmt->row = -1;

  return stmt;
}

static EscServiceStmt *
pg_prepare (EscServiceDb *db,
            const char   *sql)
{
  EscServiceStmt *stmt = stmt_new (db);
  guint n_params;

  stmt->pg_sql = rewrite_parameters (sql, &n_params);
  stmt->params = g_ptr_array_new_full (n_params, g_free);
  g_ptr_array_set_size (stmt->params, (int)n_params);

  return stmt;
}

static gboolean
propagate_sqlite_error (GError **error,
                        GError  *local)
{
  g_set_error_literal (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_DATABASE, local->message);
  g_error_free (local);
  return FALSE;
}

/* @cached: one the connection keeps prepared (SQLite), reset on release */
static EscServiceStmt *
prepare (EscServiceDb  *db,
         const char    *sql,
         gboolean       cached,
         GError       **error)
{
  EscSqliteConnection *connection;
  EscServiceStmt *stmt;
  GError *local = NULL;
  sqlite3_stmt *prepared;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);

  if (!(connection = esc_service_db_get_sqlite (db)))
    return pg_prepare (db, sql);

  prepared = cached ? esc_sqlite_connection_prepare_cached (connection, sql, &local)
                    : esc_sqlite_connection_prepare (connection, sql, &local);
  if (prepared == NULL)
    {
      /* NULL without an error: a critical about re-entrancy was logged. */
      if (local != NULL)
        propagate_sqlite_error (error, local);
      return NULL;
    }

  stmt = stmt_new (db);
  stmt->sqlite = prepared;
  stmt->cached = cached;
  return stmt;
}

EscServiceStmt *
esc_service_db_prepare (EscServiceDb  *db,
                        const char    *sql,
                        GError       **error)
{
  return prepare (db, sql, FALSE, error);
}

EscServiceStmt *
esc_service_db_prepare_cached (EscServiceDb  *db,
                               const char    *sql,
                               GError       **error)
{
  return prepare (db, sql, TRUE, error);
}

void
esc_service_stmt_free (EscServiceStmt *stmt)
{
  if (stmt == NULL)
    return;

  if (stmt->sqlite != NULL)
    {
      if (stmt->cached)
        esc_sqlite_statement_release (stmt->sqlite);
      else
        sqlite3_finalize (stmt->sqlite);
    }
  g_free (stmt->pg_sql);
  g_clear_pointer (&stmt->params, g_ptr_array_unref);
  g_clear_pointer (&stmt->rows, esc_service_rows_free);
  g_free (stmt);
}

void
esc_service_stmt_release (EscServiceStmt *stmt)
{
  esc_service_stmt_free (stmt);
}

/* Binding */

static void
pg_bind (EscServiceStmt *stmt,
         int             index,
         char           *text)
{
  if (index < 1 || (guint)index > stmt->params->len)
    {
      g_critical ("Parameter %d of a statement of %u: %s", index, stmt->params->len, stmt->pg_sql);
      g_free (text);
      return;
    }

  g_free (g_ptr_array_index (stmt->params, index - 1));
  g_ptr_array_index (stmt->params, index - 1) = text;
}

void
esc_service_stmt_bind_int64 (EscServiceStmt *stmt,
                             int             index,
                             gint64          value)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_int64 (stmt->sqlite, index, value);
  else
    pg_bind (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
esc_service_stmt_bind_double (EscServiceStmt *stmt,
                              int             index,
                              double          value)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_double (stmt->sqlite, index, value);
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      pg_bind (stmt, index, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
    }
}

void
esc_service_stmt_bind_text (EscServiceStmt *stmt,
                            int             index,
                            const char     *text)
{
  if (stmt->sqlite != NULL)
    {
      if (text != NULL)
        sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt->sqlite, index);
    }
  else
    pg_bind (stmt, index, g_strdup (text));
}

void
esc_service_stmt_bind_blob (EscServiceStmt *stmt,
                            int             index,
                            const void     *data,
                            gsize           length)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_blob64 (stmt->sqlite, index, data, length, SQLITE_TRANSIENT);
  else
    {
      /* bytea's hex input: \x then two digits a byte */
      static const char digits[] = "0123456789abcdef";
      const guint8 *bytes = data;
      char *text = g_malloc (2 + 2 * length + 1);

      text[0] = '\\';
      text[1] = 'x';
      for (gsize i = 0; i < length; i++)
        {
          text[2 + 2 * i] = digits[bytes[i] >> 4];
          text[3 + 2 * i] = digits[bytes[i] & 0xf];
        }
      text[2 + 2 * length] = '\0';
      pg_bind (stmt, index, text);
    }
}

void
esc_service_stmt_bind_null (EscServiceStmt *stmt,
                            int             index)
{
  if (stmt->sqlite != NULL)
    sqlite3_bind_null (stmt->sqlite, index);
  else
    pg_bind (stmt, index, NULL);
}

/* Running */

int
esc_service_stmt_step (EscServiceStmt *stmt)
{
  if (stmt->sqlite != NULL)
    {
      int rc = sqlite3_step (stmt->sqlite);

      if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
      /* The connection keeps the error (esc_service_db_set_error()) */
      return ESC_SERVICE_STMT_ERROR;
    }

  if (stmt->rows == NULL)
    {
      GError *error = NULL;

      stmt->rows = esc_service_db_pg_query (stmt->db, stmt->pg_sql,
                                            (const char * const *)stmt->params->pdata,
                                            stmt->params->len, &error);
      if (stmt->rows == NULL)
        {
          esc_service_db_take_error (stmt->db, error);
          return ESC_SERVICE_STMT_ERROR;
        }
      stmt->changes = esc_service_rows_get_n_changed (stmt->rows);
      stmt->row = -1;
    }

  if (stmt->row + 1 < (gint64)esc_service_rows_get_n_rows (stmt->rows))
    {
      stmt->row++;
      return ESC_SERVICE_STMT_ROW;
    }

  stmt->row = esc_service_rows_get_n_rows (stmt->rows);
  return ESC_SERVICE_STMT_DONE;
}

gboolean
esc_service_db_step_later (EscServiceDb    *db,
                           EscServiceStmt  *stmt,
                           GError         **error)
{
  if (stmt->sqlite != NULL)
    return esc_service_db_step_done (db, stmt, error);

  return esc_service_db_pg_query_later (db, stmt->pg_sql, (const char * const *)stmt->params->pdata,
                                        stmt->params->len, error);
}

void
esc_service_stmt_reset (EscServiceStmt *stmt)
{
  if (stmt->sqlite != NULL)
    sqlite3_reset (stmt->sqlite);
  else
    {
      g_clear_pointer (&stmt->rows, esc_service_rows_free);
      stmt->row = -1;
    }
}

gint64
esc_service_stmt_changes (EscServiceStmt *stmt)
{
  if (stmt->sqlite != NULL)
    return sqlite3_changes (sqlite3_db_handle (stmt->sqlite));

  return stmt->changes;
}

/* Columns */

static const char *
pg_text (EscServiceStmt *stmt,
         int             column)
{
  if (stmt->rows == NULL || stmt->row < 0 || stmt->row >= (gint64)esc_service_rows_get_n_rows (stmt->rows) ||
      column < 0 || (guint)column >= esc_service_rows_get_n_columns (stmt->rows))
    return NULL;

  return esc_service_rows_get_text (stmt->rows, (guint)stmt->row, (guint)column);
}

gboolean
esc_service_stmt_column_is_null (EscServiceStmt *stmt,
                                 int             column)
{
  if (stmt->sqlite != NULL)
    return sqlite3_column_type (stmt->sqlite, column) == SQLITE_NULL;

  return pg_text (stmt, column) == NULL;
}

gint64
esc_service_stmt_column_int64 (EscServiceStmt *stmt,
                               int             column)
{
  const char *text;

  if (stmt->sqlite != NULL)
    return sqlite3_column_int64 (stmt->sqlite, column);

  if ((text = pg_text (stmt, column)) == NULL)
    return 0;
  if (strcmp (text, "t") == 0)
    return 1;
  if (strcmp (text, "f") == 0)
    return 0;

  return g_ascii_strtoll (text, NULL, 10);
}

double
esc_service_stmt_column_double (EscServiceStmt *stmt,
                                int             column)
{
  const char *text;

  if (stmt->sqlite != NULL)
    return sqlite3_column_double (stmt->sqlite, column);

  if ((text = pg_text (stmt, column)) == NULL)
    return 0;

  return g_ascii_strtod (text, NULL);
}

const char *
esc_service_stmt_column_text (EscServiceStmt *stmt,
                              int             column)
{
  if (stmt->sqlite != NULL)
    return (const char *)sqlite3_column_text (stmt->sqlite, column);

  return pg_text (stmt, column);
}

GBytes *
esc_service_stmt_column_bytes (EscServiceStmt *stmt,
                               int             column)
{
  const char *text;
  gsize length;
  guint8 *data;

  if (stmt->sqlite != NULL)
    {
      if (sqlite3_column_type (stmt->sqlite, column) == SQLITE_NULL)
        return NULL;
      return g_bytes_new (sqlite3_column_blob (stmt->sqlite, column),
                          (gsize)sqlite3_column_bytes (stmt->sqlite, column));
    }

  if ((text = pg_text (stmt, column)) == NULL)
    return NULL;
  if (text[0] != '\\' || text[1] != 'x')
    return g_bytes_new (text, strlen (text));

  /* bytea's hex output */
  length = (strlen (text) - 2) / 2;
  data = g_malloc (length + 1);
  for (gsize i = 0; i < length; i++)
    data[i] = (guint8)(g_ascii_xdigit_value (text[2 + 2 * i]) << 4 | g_ascii_xdigit_value (text[3 + 2 * i]));

  return g_bytes_new_take (data, length);
}

GDateTime *
esc_service_stmt_column_time (EscServiceStmt *stmt,
                              int             column)
{
  const char *text = esc_service_stmt_column_text (stmt, column);
  GDateTime *time;

  if (text == NULL)
    return NULL;

  time = esc_time_parse (text);
  if (time == NULL)
    g_warning ("“%s” in column %d is not an RFC 3339 time", text, column);

  return time;
}
