/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A contact's language in a combo row: the languages each by its own name,
 * the wire's BCP 47 tag behind each; a tag the list does not have (from a
 * draft, a request or the service) is shown last, as it came. */

void        esc_language_row_setup   (AdwComboRow *row);
void        esc_language_row_select  (AdwComboRow *row,
                                      const char  *tag);
const char *esc_language_row_get_tag (AdwComboRow *row);

G_END_DECLS
