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
/* For the few tests about the SQLite file itself (its corruption, its
 * migration from an old version, what is written in it): TRUE, after
 * g_test_skip(), when this run is on PostgreSQL. */
gboolean  esc_test_backend_skip_unless_sqlite (const char *why);

G_END_DECLS
