/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-api-error.h"

G_BEGIN_DECLS

/* Whether the service's problem is of the kind @slug: its type is a URI that
 * ends with it ("https://escalade.invalid/problems/device-in-test-group") */
static inline gboolean
esc_elevation_problem_is (const GError *error,
                          const char   *slug)
{
  const char *type = esc_api_error_get_problem_type (error);
  const char *last;

  if (type == NULL)
    return FALSE;

  last = strrchr (type, '/');
  return g_strcmp0 (last != NULL ? last + 1 : type, slug) == 0;
}

G_END_DECLS
