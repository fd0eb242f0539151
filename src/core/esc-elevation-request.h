/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ESC_TYPE_ELEVATION_REQUEST (esc_elevation_request_get_type ())

G_DECLARE_FINAL_TYPE (EscElevationRequest, esc_elevation_request, ESC, ELEVATION_REQUEST, GObject)

/* A request for just-in-time admin access to a device (the
 * ElevationRequest of the v1 API): "open" or "closed", with its device, who
 * asked, when, and how many times the password was read. */
EscElevationRequest   *esc_elevation_request_new_from_json      (JsonNode  *node,
                                                                 GError   **error);
const char            *esc_elevation_request_get_id             (EscElevationRequest *self);
const char            *esc_elevation_request_get_state          (EscElevationRequest *self);
const char            *esc_elevation_request_get_ticket_id      (EscElevationRequest *self);
const char            *esc_elevation_request_get_device         (EscElevationRequest *self);
const char            *esc_elevation_request_get_category       (EscElevationRequest *self);
const char            *esc_elevation_request_get_subcategory    (EscElevationRequest *self);
const char            *esc_elevation_request_get_title          (EscElevationRequest *self);
const char            *esc_elevation_request_get_plan_of_action (EscElevationRequest *self);
const char            *esc_elevation_request_get_device_group   (EscElevationRequest *self);
const char            *esc_elevation_request_get_requested_by   (EscElevationRequest *self);
GDateTime             *esc_elevation_request_get_created_at     (EscElevationRequest *self);
GDateTime             *esc_elevation_request_get_renewed_at     (EscElevationRequest *self);
GDateTime             *esc_elevation_request_get_expires_at     (EscElevationRequest *self);
GDateTime             *esc_elevation_request_get_closed_at      (EscElevationRequest *self);
const char            *esc_elevation_request_get_closed_by      (EscElevationRequest *self);
const char            *esc_elevation_request_get_actions_taken  (EscElevationRequest *self);
gint64                 esc_elevation_request_get_password_views (EscElevationRequest *self);

G_END_DECLS
