/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_ELEVATION_FORM (esc_elevation_form_get_type ())

G_DECLARE_FINAL_TYPE (EscElevationForm, esc_elevation_form, ESC, ELEVATION_FORM, AdwBin)

/* The New elevation request form of the Elevation screen, with the service's
 * guidance beside it. The device is searched by name or serial number as the
 * user types. Signals: "opened" (EscElevationRequest *) once the service
 * opened the request; "forbidden" when it refused because the caller may no
 * longer elevate. */
EscElevationForm *esc_elevation_form_new           (EscSession       *session);
/* Loads the guidance (again) */
void              esc_elevation_form_load_guidance (EscElevationForm *self);
/* Empties the fields and their errors */
void              esc_elevation_form_reset         (EscElevationForm *self);
/* Focuses the first field */
void              esc_elevation_form_focus         (EscElevationForm *self);

G_END_DECLS
