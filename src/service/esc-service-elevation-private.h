/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-service-elevation.h"

G_BEGIN_DECLS

/* The settings of elevation requests (esc-service-elevation-policy.c), each
 * with its fallback when missing or absurd, for the handlers in
 * esc-service-elevation.c. */

gint64  esc_service_elevation_get_max_open          (EscServiceDb *db);
gint64  esc_service_elevation_get_rotation_seconds  (EscServiceDb *db);
gint64  esc_service_elevation_get_access_seconds    (EscServiceDb *db);
char   *esc_service_elevation_dup_account_name      (EscServiceDb *db);

/* @now + @offset as an RFC 3339 UTC timestamp. */
char   *esc_service_elevation_format_offset         (GDateTime    *now,
                                                     GTimeSpan     offset);
/* The oldest created_at still kept. */
char   *esc_service_elevation_dup_retention_cutoff  (EscServiceDb *db,
                                                     GDateTime    *now);

G_END_DECLS
