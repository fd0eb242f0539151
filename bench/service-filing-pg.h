/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* bench/service-filing's PostgreSQL side (libpq straight, not the
 * service's code): throwaway databases and the raw insert rate. */

/* Creates database @name in the cluster of @cluster (a libpq connection
 * string or URI) with synchronous_commit = on as its default, and returns
 * the connection string of that database; @out_fsync gets the cluster's
 * fsync setting ("on" or "off"). */
char    *bench_pg_create_database (const char  *cluster,
                                   const char  *name,
                                   char       **out_fsync,
                                   GError     **error);
gboolean bench_pg_drop_database   (const char  *cluster,
                                   const char  *name,
                                   GError     **error);
/* @rows INSERTs of a support_requests row made by person 1 into
 * @conninfo's database, each its own transaction (synchronous_commit on),
 * from @connections connections at once; returns the seconds taken, or < 0. */
double   bench_pg_raw_inserts     (const char  *conninfo,
                                   int          rows,
                                   int          connections,
                                   GError     **error);

G_END_DECLS
