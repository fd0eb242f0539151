/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The service suite on both storage backends (issue 13): one parameter, not
 * a copy of the tests. tests/meson.build registers every service test twice:
 * as itself (SQLite: a file in the test's folder) and as NAME-postgresql
 * with ESCALADE_TEST_BACKEND=postgresql, where each service gets a new
 * database in the throwaway cluster of ESCALADE_TEST_PG
 * (tools/pg-test-cluster; `meson test --setup postgresql`, as
 * tools/quickstart does, runs them). */

/* Whether the services of this run use PostgreSQL */
gboolean  esc_test_backend_is_postgresql  (void);
/* A new, empty database for a service whose files go to @tmpdir: an SQLite
 * file path there, or a new PostgreSQL database's connection string. */
char     *esc_test_backend_new_database   (const char *tmpdir);
/* The same in the cluster of @cluster (a connection string to its
 * "escalade" database; NULL: ESCALADE_TEST_PG), for a test with a cluster of
 * its own (one it restarts). */
char     *esc_test_backend_new_database_in (const char *cluster,
                                            const char *tmpdir);
/* Drops a PostgreSQL database made above (nothing for a file). */
void      esc_test_backend_drop_database  (const char *database);
/* Runs @sql (one or more statements, one transaction) on the PostgreSQL
 * database @conninfo, as its owner, through psql. */
void      esc_test_backend_pg_exec        (const char *conninfo,
                                           const char *sql);
/* On PostgreSQL the service needs its keys named (no file to put them
 * beside): adds --key-file and --audit-key-file in @tmpdir to @argv. */
void      esc_test_backend_add_options    (GPtrArray  *argv,
                                           const char *tmpdir);
/* PostgreSQL only: runs @sql on @database with psql and returns what it
 * printed (unaligned, no headers, stripped), e.g. "3" for a count. */
char     *esc_test_backend_query          (const char  *database,
                                           const char  *sql,
                                           GError     **error);
/* For the tests that need a PostgreSQL cluster whatever the backend: TRUE
 * if ESCALADE_TEST_PG names one; else FALSE after g_test_skip(), or after
 * g_test_fail() when ESCALADE_REQUIRE_PG=1 (CI: the cluster must be there). */
gboolean  esc_test_backend_require_cluster (void);
/* The sealing key of device passwords of a service on @database whose files
 * go to @tmpdir: "<database>.key" beside an SQLite file, or on PostgreSQL
 * the --key-file that esc_test_backend_add_options() names. */
char     *esc_test_backend_dup_key_file   (const char *database,
                                           const char *tmpdir);
/* For the few tests about the SQLite file itself (its corruption, its
 * migration from an old version, what is written in it): TRUE, after
 * g_test_skip(), when this run is on PostgreSQL. */
gboolean  esc_test_backend_skip_unless_sqlite (const char *why);

/* A throwaway PostgreSQL cluster of a test's own (tools/pg-test-cluster),
 * for tests that stop and start it: never the shared one. */
typedef struct
{
  char *dir;
  char *conninfo;
} EscTestPgCluster;

EscTestPgCluster *esc_test_pg_cluster_start (void);
/* tools/pg-test-cluster @command ("stop", "start", "restart") on @cluster;
 * @out (optional) gets what it printed */
void              esc_test_pg_cluster_run   (EscTestPgCluster *cluster,
                                             const char       *command,
                                             char            **out);
/* Stops and removes it */
void              esc_test_pg_cluster_free  (EscTestPgCluster *cluster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscTestPgCluster, esc_test_pg_cluster_free)

G_END_DECLS
