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

G_END_DECLS
