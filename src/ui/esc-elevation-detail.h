/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

/* What the Elevation screen's clock reads: the current time in UTC (transfer full). */
typedef GDateTime *(*EscElevationClock) (gpointer user_data);

#define ESC_TYPE_ELEVATION_DETAIL (esc_elevation_detail_get_type ())

G_DECLARE_FINAL_TYPE (EscElevationDetail, esc_elevation_detail, ESC, ELEVATION_DETAIL, AdwBin)

/* One elevation request of the Elevation screen: its facts, and while it is
 * open the device's local administrator account with the password (read from
 * the service only when the user asks, kept in memory only, wiped when hidden,
 * rotated or gone), the countdown to its rotation, renew and close.
 *
 * Signals: "request-changed" (EscElevationRequest *) when the service answered
 * a renew or a close with the request as it is now; "forbidden" when the
 * service refused because the caller may no longer elevate. */
EscElevationDetail  *esc_elevation_detail_new           (EscSession          *session);
/* (nullable): the request shown; a different one drops the password */
void                 esc_elevation_detail_set_request   (EscElevationDetail  *self,
                                                         EscElevationRequest *request);
EscElevationRequest *esc_elevation_detail_get_request   (EscElevationDetail  *self);
/* Wipes the password shown, if any (hidden, rotated, access ended) */
void                 esc_elevation_detail_drop_password (EscElevationDetail  *self);
gboolean             esc_elevation_detail_get_revealed  (EscElevationDetail  *self);
/* Tests: the clock of the countdown (NULL: the real one) */
void                 esc_elevation_detail_set_clock     (EscElevationDetail  *self,
                                                         EscElevationClock    clock,
                                                         gpointer             user_data);

G_END_DECLS
