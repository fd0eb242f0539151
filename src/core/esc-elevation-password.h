/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The local administrator account of a device and its current password, as
 * GET /v1/elevation-requests/{id}/password answers (every read is audited by
 * the service). Kept in memory only, never stored or logged; freeing it
 * overwrites the password first. */
typedef struct
{
  char      *account;
  char      *password;
  GDateTime *rotates_at;  /* when this password stops working */
} EscElevationPassword;

#define ESC_TYPE_ELEVATION_PASSWORD (esc_elevation_password_get_type ())

GType                 esc_elevation_password_get_type (void) G_GNUC_CONST;
EscElevationPassword *esc_elevation_password_copy     (const EscElevationPassword *password);
void                  esc_elevation_password_free     (EscElevationPassword       *password);
EscElevationPassword *esc_elevation_password_new_from_json (JsonNode             *node,
                                                            GError              **error);

/* (transfer full): {account, password, rotates_at}. The tree holds a copy
 * of the password: call esc_elevation_password_wipe_json() on it once sent. */
JsonNode             *esc_elevation_password_to_json       (const EscElevationPassword *password);
/* Overwrites the password's text inside @node (as to_json() wrote it) */
void                  esc_elevation_password_wipe_json     (JsonNode                   *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscElevationPassword, esc_elevation_password_free)

G_END_DECLS
