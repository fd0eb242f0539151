/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libpq-fe.h>

#include "service-filing-pg.h"

/* The connection string of database @name in @cluster's server: every
 * setting of @cluster (a key=value string or a URI), dbname replaced. */
static char *
conninfo_with_dbname (const char  *cluster,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  PQconninfoOption *options;
  char *message = NULL;

  if (!(options = PQconninfoParse (cluster, &message)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "invalid connection string: %s",
                   message ? g_strstrip (message) : "out of memory");
      PQfreemem (message);
      return NULL;
    }

  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      const char *value = strcmp (option->keyword, "dbname") == 0 ? name : option->val;

      if (value == NULL)
        continue;
      g_string_append_printf (out, "%s%s='", out->len > 0 ? " " : "", option->keyword);
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
    }
  PQconninfoFree (options);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static PGconn *
connect_to (const char  *conninfo,
            GError     **error)
{
  PGconn *conn = PQconnectdb (conninfo);

  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "PostgreSQL: %s",
                   g_strstrip (PQerrorMessage (conn)));
      PQfinish (conn);
      return NULL;
    }

  return conn;
}

static gboolean
exec_command (PGconn      *conn,
              const char  *sql,
              GError     **error)
{
  PGresult *result = PQexec (conn, sql);
  gboolean ok = PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s: %s", sql,
                 g_strstrip (PQerrorMessage (conn)));
  PQclear (result);

  return ok;
}

/* The database "postgres" of @cluster's server, to create and drop others. */
static PGconn *
connect_admin (const char  *cluster,
               GError     **error)
{
  g_autofree char *conninfo = conninfo_with_dbname (cluster, "postgres", error);

  return conninfo ? connect_to (conninfo, error) : NULL;
}

char *
bench_pg_create_database (const char  *cluster,
                          const char  *name,
                          char       **out_fsync,
                          GError     **error)
{
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);
  g_autofree char *durable = g_strdup_printf ("ALTER DATABASE %s SET synchronous_commit = on", name);
  PGconn *conn;
  PGresult *result;

  if (!(conn = connect_admin (cluster, error)))
    return NULL;
  if (!exec_command (conn, create, error) || !exec_command (conn, durable, error))
    {
      PQfinish (conn);
      return NULL;
    }

  result = PQexec (conn, "SHOW fsync");
  if (out_fsync != NULL)
    *out_fsync = g_strdup (PQresultStatus (result) == PGRES_TUPLES_OK ? PQgetvalue (result, 0, 0) : "unknown");
  PQclear (result);
  PQfinish (conn);

  return conninfo_with_dbname (cluster, name, error);
}

gboolean
bench_pg_drop_database (const char  *cluster,
                        const char  *name,
                        GError     **error)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  PGconn *conn;
  gboolean ok;

  if (!(conn = connect_admin (cluster, error)))
    return FALSE;
  ok = exec_command (conn, drop, error);
  PQfinish (conn);

  return ok;
}

/* The row the service stores for the benchmark's request, as far as a raw
 * insert can: same columns, same sizes. */
static const char raw_insert[] =
  "INSERT INTO support_requests"
  " (kind, type, severity, category, subcategory, title, description,"
  "  contact, users_or_devices_impacted, devices, related_ticket, state,"
  "  filer_id, created_at, updated_at, response_due_at)"
  " VALUES ('admin', 'incident', 'C', 'devices', 'configuration-policy',"
  "  'Printer driver blocked by policy', $1, $2, 12,"
  "  '[\"MMD-03690457680\"]', 'INC0012345', 'new', 1,"
  "  '2024-05-06T09:00:00Z', '2024-05-06T09:00:00Z', '2024-05-06T17:00:00Z')";

typedef struct
{
  PGconn *conn;
  int     rows;
  char   *error;
} Inserter;

static gpointer
insert_rows_thread (gpointer data)
{
  Inserter *inserter = data;
  const char *contact =
    "{\"given_name\":\"Camille\",\"surname\":\"Martin\",\"email\":\"camille@example.org\","
    "\"phone\":\"+33 1 23 45 67 89\",\"preferred_method\":\"email\",\"language\":\"fr\"}";

  for (int i = 0; i < inserter->rows && inserter->error == NULL; i++)
    {
      g_autofree char *description =
        g_strdup_printf ("Since Monday the driver of the third floor printers is blocked by a "
                         "configuration policy; users cannot print. (raw %p %d)", (void *)inserter, i);
      const char *values[] = { description, contact };
      /* Outside BEGIN … COMMIT a statement is its own transaction */
      PGresult *result = PQexecPrepared (inserter->conn, "raw", 2, values, NULL, NULL, 0);

      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        inserter->error = g_strdup (PQerrorMessage (inserter->conn));
      PQclear (result);
    }

  return NULL;
}

double
bench_pg_raw_inserts (const char  *conninfo,
                      int          rows,
                      int          connections,
                      GError     **error)
{
  g_autofree Inserter *inserters = g_new0 (Inserter, connections);
  g_autofree GThread **threads = g_new0 (GThread *, connections);
  g_autofree char *failed = NULL;
  gint64 start = 0;
  gint64 end = 0;
  gboolean ok = FALSE;

  /* Connected and prepared first: the clock measures the inserts only */
  for (int i = 0; i < connections; i++)
    {
      PGresult *result;

      inserters[i].rows = rows / connections + (i < rows % connections ? 1 : 0);
      if (!(inserters[i].conn = connect_to (conninfo, error)) ||
          !exec_command (inserters[i].conn, "SET synchronous_commit = on", error))
        goto out;
      result = PQprepare (inserters[i].conn, "raw", raw_insert, 2, NULL);
      if (PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s",
                       g_strstrip (PQerrorMessage (inserters[i].conn)));
          PQclear (result);
          goto out;
        }
      PQclear (result);
    }

  start = g_get_monotonic_time ();
  for (int i = 0; i < connections; i++)
    threads[i] = g_thread_new ("raw-inserts", insert_rows_thread, &inserters[i]);
  for (int i = 0; i < connections; i++)
    g_thread_join (threads[i]);
  end = g_get_monotonic_time ();

  for (int i = 0; i < connections; i++)
    if (inserters[i].error != NULL && failed == NULL)
      failed = g_strdup (g_strstrip (inserters[i].error));
  if (failed != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "raw insert: %s", failed);
  ok = failed == NULL;

out:
  for (int i = 0; i < connections; i++)
    {
      g_clear_pointer (&inserters[i].conn, PQfinish);
      g_free (inserters[i].error);
    }

  return ok ? (end - start) / (double)G_USEC_PER_SEC : -1;
}
