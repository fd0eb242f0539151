/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "esc-device.h"

G_BEGIN_DECLS

#define ESC_TYPE_ELEVATION_REQUEST (esc_elevation_request_get_type ())

G_DECLARE_FINAL_TYPE (EscElevationRequest, esc_elevation_request, ESC, ELEVATION_REQUEST, GObject)

/* A request for just-in-time admin access to a device (the
 * ElevationRequest of the v1 API): "open" or "closed", with its device, who
 * asked, when, and how many times the password was read. */
EscElevationRequest   *esc_elevation_request_new_from_json      (JsonNode  *node,
                                                                 GError   **error);

/* The members of an elevation request as the service answers it, but its
 * password views (added one by one). A person id of 0 (or a NULL name)
 * stands for nobody. */
typedef struct
{
  const char *id;
  const char *state;
  gboolean    active;
  const char *ticket_id;
  EscDevice  *device;
  const char *category;
  const char *subcategory;
  const char *title;
  const char *plan_of_action;
  gint64      requested_by_id;
  const char *requested_by;
  GDateTime  *created_at;
  GDateTime  *expires_at;
  GDateTime  *renewed_at;
  gint64      renewals;
  GDateTime  *closed_at;
  gint64      closed_by_id;
  const char *closed_by;
  const char *actions_taken;
  /* "closed", "designation-withdrawn", "designation-expired",
   * "access-removed"; NULL while open or from an older service */
  const char *closed_reason;
} EscElevationRequestFields;

EscElevationRequest   *esc_elevation_request_new                (const EscElevationRequestFields *fields);
void                   esc_elevation_request_add_password_view  (EscElevationRequest *self,
                                                                 gint64               by_id,
                                                                 const char          *by,
                                                                 GDateTime           *at);
/* (transfer full): the ElevationRequest of the v1 API */
JsonNode              *esc_elevation_request_to_json            (EscElevationRequest *self);
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
/* (nullable): why it was closed (see EscElevationRequestFields); with
 * get_closed_by() NULL, the service closed it on its own */
const char            *esc_elevation_request_get_closed_reason  (EscElevationRequest *self);
gint64                 esc_elevation_request_get_password_views (EscElevationRequest *self);
/* Open and not expired, so that the password can be read */
gboolean               esc_elevation_request_get_active         (EscElevationRequest *self);
gint64                 esc_elevation_request_get_renewals       (EscElevationRequest *self);
/* (nullable): the device as the service described it */
EscDevice             *esc_elevation_request_get_device_details (EscElevationRequest *self);
/* Who read the password (@index < get_password_views()), and when */
const char            *esc_elevation_request_get_password_view  (EscElevationRequest *self,
                                                                 guint                index,
                                                                 GDateTime          **at);

G_END_DECLS
