/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 3339 times, as the service's API writes them. The parser is strict: a
 * full date and time with seconds ("2024-05-01T08:00:00"), an optional
 * fraction, then "Z" or an offset "+hh:mm"/"-hh:mm" ("T" and "Z" in either
 * case). No week dates, no ordinal dates, no missing zone. */

GDateTime *esc_time_parse        (const char *text);
char      *esc_time_format       (GDateTime  *time);
char      *esc_time_format_usec  (GDateTime  *time);

G_END_DECLS
