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

/* Through psql: the service's tests link no libpq of their own. */
void
esc_test_backend_pg_exec (const char *conninfo,
                          const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  const char *argv[] = { "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo,
                         "-c", sql, NULL };

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    g_error ("psql: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("psql -c \"%s\": %s", sql, err);
}

static void
admin_exec (const char *sql)
{
  esc_test_backend_pg_exec (get_cluster (), sql);
}

char *
esc_test_backend_new_database (const char *tmpdir)
{
  static guint counter;
  g_autofree char *name = NULL;
  g_autofree char *create = NULL;

  if (!esc_test_backend_is_postgresql ())
    return g_build_filename (tmpdir, "service.sqlite3", NULL);

  /* A random part too: a test that aborts leaves its database behind, and
   * a later run may get the same process id. */
  name = g_strdup_printf ("esc_test_%d_%u_%08x", (int)getpid (), ++counter, g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s", name);
  admin_exec (create);

  /* A later dbname wins in a libpq connection string */
  return g_strdup_printf ("%s dbname=%s", get_cluster (), name);
}

void
esc_test_backend_drop_database (const char *database)
{
  const char *name;
  g_autofree char *drop = NULL;

  if (database == NULL || !esc_test_backend_is_postgresql () || !(name = g_strrstr (database, " dbname=")))
    return;

  drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name + strlen (" dbname="));
  admin_exec (drop);
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
