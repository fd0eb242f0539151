/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "esc-service-private.h"

G_BEGIN_DECLS

/* One device of an import file. */
typedef struct
{
  char  *name;
  char  *serial_number;
  char  *group;
  guint  line;           /* where the record starts in the file, from 1 */
} EscServiceDeviceRow;

/* An enrolled device. */
typedef struct
{
  gint64  id;
  char   *name;
  char   *serial_number;
  char   *group;         /* "test", "first", "fast" or "broad" */
} EscServiceDevice;

void                esc_service_device_row_free         (EscServiceDeviceRow  *row);
void                esc_service_device_free             (EscServiceDevice     *device);
JsonNode           *esc_service_device_to_json          (const EscServiceDevice *device);

const char * const *esc_service_device_groups           (void);
gboolean            esc_service_device_group_is_valid   (const char           *group);
gboolean            esc_service_device_name_is_valid    (const char           *name);
gboolean            esc_service_device_serial_is_valid  (const char           *serial);
gboolean            esc_service_device_validate         (const char           *name,
                                                         const char           *serial_number,
                                                         const char           *group,
                                                         GError              **error);

GPtrArray          *esc_service_devices_parse_csv       (const char           *text,
                                                         gsize                 length,
                                                         GError              **error);

EscServiceDevice   *esc_service_devices_find            (EscServiceDb         *db,
                                                         const char           *name_or_serial,
                                                         GError              **error);
gboolean            esc_service_devices_add             (EscServiceDb         *db,
                                                         const char           *name,
                                                         const char           *serial_number,
                                                         const char           *group,
                                                         GError              **error);
gboolean            esc_service_devices_import          (EscServiceDb         *db,
                                                         const char           *text,
                                                         gsize                 length,
                                                         guint                *out_added,
                                                         guint                *out_updated,
                                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceDeviceRow, esc_service_device_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceDevice, esc_service_device_free)

G_END_DECLS
