/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gio.h>

#include "esc-test-backend.h"

gboolean
esc_test_backend_is_postgresql (void)
{
  return g_strcmp0 (g_getenv ("ESCALADE_TEST_BACKEND"), "postgresql") == 0;
}

static const char *
get_cluster (void)
{
  const char *cluster = g_getenv ("ESCALADE_TEST_PG");

  if (cluster == NULL || cluster[0] == '\0')
    g_error ("ESCALADE_TEST_BACKEND=postgresql needs a cluster: "
             "export ESCALADE_TEST_PG=$(tools/pg-test-cluster start DIR)");

  return cluster;
}

/* Runs one SQL statement on @conninfo through psql (the service's tests
 * link no libpq of their own); its output, unaligned, without headers. */
static gboolean
run_psql (const char  *conninfo,
          const char  *sql,
          char       **out_text,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", conninfo,
                         "-c", sql, NULL };

  if (!g_spawn_sync (NULL, (char **)argv, NULL,
                     G_SPAWN_SEARCH_PATH | (out_text == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                     NULL, NULL, out_text, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "psql -c \"%s\": %s", sql, err);
      if (out_text != NULL)
        g_clear_pointer (out_text, g_free);
      return FALSE;
    }

  return TRUE;
}

void
esc_test_backend_pg_exec (const char *conninfo,
                          const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!run_psql (conninfo, sql, NULL, &error))
    g_error ("%s", error->message);
}

/* Runs one SQL statement as the owner of @cluster. */
static void
admin_exec (const char *cluster,
            const char *sql)
{
  esc_test_backend_pg_exec (cluster, sql);
}

char *
esc_test_backend_new_database (const char *tmpdir)
{
  return esc_test_backend_new_database_in (NULL, tmpdir);
}

char *
esc_test_backend_new_database_in (const char *cluster,
                                  const char *tmpdir)
{
  static guint counter;
  g_autofree char *name = NULL;
  g_autofree char *create = NULL;

  if (!esc_test_backend_is_postgresql ())
    return g_build_filename (tmpdir, "service.sqlite3", NULL);

  if (cluster == NULL)
    cluster = get_cluster ();
  /* A random part too: a test that aborts leaves its database behind, and
   * a later run may get the same process id. */
  name = g_strdup_printf ("esc_test_%d_%u_%08x", (int)getpid (), ++counter, g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s", name);
  admin_exec (cluster, create);

  /* A later dbname wins in a libpq connection string */
  return g_strdup_printf ("%s dbname=%s", cluster, name);
}

/* The cluster of a database made above: its connection string without the
 * last dbname; NULL for a file. */
static char *
dup_cluster_of (const char *database)
{
  const char *name;

  if (database == NULL || !(name = g_strrstr (database, " dbname=")))
    return NULL;

  return g_strndup (database, name - database);
}

void
esc_test_backend_drop_database (const char *database)
{
  g_autofree char *cluster = NULL;
  g_autofree char *drop = NULL;

  if (!esc_test_backend_is_postgresql () || !(cluster = dup_cluster_of (database)))
    return;

  drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)",
                          database + strlen (cluster) + strlen (" dbname="));
  admin_exec (cluster, drop);
}

char *
esc_test_backend_query (const char  *database,
                        const char  *sql,
                        GError     **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (esc_test_backend_is_postgresql (), NULL);

  if (!run_psql (database, sql, &text, error))
    return NULL;

  return g_strdup (g_strstrip (text));
}

void
esc_test_backend_add_options (GPtrArray  *argv,
                              const char *tmpdir)
{
  if (!esc_test_backend_is_postgresql ())
    return;

  g_ptr_array_add (argv, g_strdup ("--key-file"));
  g_ptr_array_add (argv, g_build_filename (tmpdir, "secret.key", NULL));
  g_ptr_array_add (argv, g_strdup ("--audit-key-file"));
  g_ptr_array_add (argv, g_build_filename (tmpdir, "audit.key", NULL));
}

char *
esc_test_backend_dup_key_file (const char *database,
                               const char *tmpdir)
{
  if (!esc_test_backend_is_postgresql ())
    return g_strconcat (database, ".key", NULL);

  return g_build_filename (tmpdir, "secret.key", NULL);
}

gboolean
esc_test_backend_require_cluster (void)
{
  const char *cluster = g_getenv ("ESCALADE_TEST_PG");

  if (cluster != NULL && cluster[0] != '\0')
    return TRUE;
  if (g_strcmp0 (g_getenv ("ESCALADE_REQUIRE_PG"), "1") == 0)
    g_test_fail_printf ("ESCALADE_REQUIRE_PG=1 but ESCALADE_TEST_PG names no cluster: "
                        "export ESCALADE_TEST_PG=$(tools/pg-test-cluster start DIR)");
  else
    g_test_skip ("no PostgreSQL cluster: export ESCALADE_TEST_PG=$(tools/pg-test-cluster start DIR)");

  return FALSE;
}

gboolean
esc_test_backend_skip_unless_sqlite (const char *why)
{
  g_autofree char *message = NULL;

  if (!esc_test_backend_is_postgresql ())
    return FALSE;

  message = g_strdup_printf ("SQLite only: %s", why);
  g_test_skip (message);
  return TRUE;
}

void
esc_test_pg_cluster_run (EscTestPgCluster  *cluster,
                         const char        *command,
                         char             **out)
{
  g_autofree char *script = g_build_filename (g_getenv ("ESCALADE_SOURCE_DIR"), "tools", "pg-test-cluster", NULL);
  const char *argv[] = { script, command, cluster->dir, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *printed = NULL;
  int status = 0;

  /* stdout kept (TAP is on the test's) */
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &printed, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg-test-cluster %s: %s", command, err);
  if (out != NULL)
    *out = g_steal_pointer (&printed);
}

EscTestPgCluster *
esc_test_pg_cluster_start (void)
{
  EscTestPgCluster *cluster = g_new0 (EscTestPgCluster, 1);
  g_autoptr(GError) error = NULL;

  cluster->dir = g_dir_make_tmp ("escalade-pg-XXXXXX", &error);
  g_assert_no_error (error);
  esc_test_pg_cluster_run (cluster, "start", &cluster->conninfo);
  g_strstrip (cluster->conninfo);

  return cluster;
}

void
esc_test_pg_cluster_free (EscTestPgCluster *cluster)
{
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", cluster->dir);

  esc_test_pg_cluster_run (cluster, "stop", NULL);
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  g_free (cluster->dir);
  g_free (cluster->conninfo);
  g_free (cluster);
}
