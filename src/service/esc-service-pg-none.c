/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-service-pg.h"

/* Built without libpq (-Dpostgresql=disabled, e.g. the flatpak): the
 * commands that take PostgreSQL say so. */

gboolean
esc_service_pg_migrate (const char  *conninfo,
                        int         *out_from_version,
                        int         *out_to_version,
                        GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This escalade-service was built without PostgreSQL (libpq)"));
  return FALSE;
}

EscServicePgStorage *
esc_service_pg_storage_new (const char  *conninfo,
                            guint        pool_size,
                            GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This escalade-service was built without PostgreSQL (libpq)"));
  return NULL;
}

EscServiceRows *
esc_service_pg_storage_query_alone (EscServicePgStorage  *self,
                                    const char           *sql,
                                    const char * const   *params,
                                    guint                 n_params,
                                    GError              **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This escalade-service was built without PostgreSQL (libpq)"));
  return NULL;
}
