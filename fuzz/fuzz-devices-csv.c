/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include "esc-service-devices.h"
#include "fuzz-common.h"

/* The device list importer of escalade-service (`device import FILE`): any bytes in, rows or
 * an error out. Every row it returns must pass the service's own device validation. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = esc_service_devices_parse_csv ((const char *)data, size, &error);
  g_assert ((rows == NULL) != (error == NULL));
  if (rows == NULL)
    return 0;

  for (guint i = 0; i < rows->len; i++)
    {
      EscServiceDeviceRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) invalid = NULL;

      g_assert (row->line >= 1);
      if (!esc_service_device_validate (row->name, row->serial_number, row->group, &invalid))
        g_error ("Row %u (line %u) passed the parser but not the validation: %s",
                 i, row->line, invalid->message);
    }

  return 0;
}
