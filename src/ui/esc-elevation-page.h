/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-elevation-detail.h"
#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_ELEVATION_PAGE (esc_elevation_page_get_type ())

G_DECLARE_FINAL_TYPE (EscElevationPage, esc_elevation_page, ESC, ELEVATION_PAGE, AdwBin)

/* The Elevation screen: just-in-time access to a device's local administrator
 * account, for people with a live elevation designation (GET /v1/me); others
 * see why not and whom to ask. The new request form with the guidance beside
 * it, the user's requests, and the one selected with its password. A
 * designation that ends while the app runs (the service refuses, or a recheck
 * of GET /v1/me every "recheck-seconds") hides the form and drops the password. */
EscElevationPage *esc_elevation_page_new        (EscSession       *session);
/* TRUE while the caller may elevate and the form and requests show */
gboolean          esc_elevation_page_get_usable (EscElevationPage *self);
/* Asks the service again whether the caller may still elevate */
void              esc_elevation_page_recheck    (EscElevationPage *self);
/* Tests: the clock of the rotation countdown (NULL: the real one) */
void              esc_elevation_page_set_clock  (EscElevationPage *self,
                                                 EscElevationClock clock,
                                                 gpointer          user_data);

G_END_DECLS
