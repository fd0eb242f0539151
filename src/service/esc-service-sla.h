/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-calendar.h"
#include "esc-service-private.h"

G_BEGIN_DECLS

/* SLAs for user support: business-hours calendars (the service's admin
 * support hours among them) and agreements with their versions. */

/* The service's admin support hours ("admin-hours" in /v1/sla-calendars):
 * a new reference, or NULL if they cannot be read (then the caller uses
 * esc_admin_hours_default_calendar()). */
EscCalendar *esc_service_admin_hours_calendar (EscServiceDb *db);

void         esc_service_sla_register         (EscServiceRouter *router);

/* ETags of the versioned SLA resources: "KIND-REVISION" */
void         esc_service_sla_set_etag         (EscServiceContext *ctx,
                                               const char        *kind,
                                               gint64             revision);
/* FALSE after answering 412 (and rolling back) when If-Match names another
 * revision, or any revision of a row that does not exist (@revision 0). */
gboolean     esc_service_sla_check_if_match   (EscServiceContext *ctx,
                                               const char        *kind,
                                               gint64             revision);
/* 422 naming the member a core reader refused */
void         esc_service_sla_send_core_error  (EscServiceContext *ctx,
                                               const GError      *error);

/* The support model (esc-service-support-model.c): GET and PUT
 * /v1/support-model; registered by esc_service_sla_register(). */
void         esc_service_support_model_register (EscServiceRouter *router);

G_END_DECLS
