/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ESC_TYPE_DEVICE (esc_device_get_type ())

G_DECLARE_FINAL_TYPE (EscDevice, esc_device, ESC, DEVICE, GObject)

/* An enrolled device (GET /v1/devices): name, serial number, deployment
 * group ("test", "first", "fast", "broad"), open elevation requests (-1 if
 * the service did not say). */
EscDevice    *esc_device_new_from_json               (JsonNode  *node,
                                                      GError   **error);
/* @open_elevation_requests: -1 to leave it out of the JSON */
EscDevice    *esc_device_new                         (const char *name,
                                                      const char *serial_number,
                                                      const char *group,
                                                      gint64      open_elevation_requests);
/* (transfer full): the Device of the v1 API */
JsonNode     *esc_device_to_json                     (EscDevice *self);
const char   *esc_device_get_name                    (EscDevice *self);
const char   *esc_device_get_serial_number           (EscDevice *self);
const char   *esc_device_get_group                   (EscDevice *self);
gint64        esc_device_get_open_elevation_requests (EscDevice *self);

G_END_DECLS
