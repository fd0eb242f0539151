/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "esc-service-private.h"

G_BEGIN_DECLS

/* Admin contacts: one per area of focus, copied on requests of that area. */

const char * const *esc_service_contact_areas       (void);
gboolean            esc_service_contact_phone_is_valid    (const char   *phone);
gboolean            esc_service_contact_language_is_valid (const char   *language);
JsonNode           *esc_service_contacts_dup_json   (EscServiceDb       *db,
                                                     const char         *area,
                                                     GError            **error);

G_END_DECLS
