/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "esc-service-error.h"
#include "esc-service-person.h"

G_BEGIN_DECLS

#define ESC_TYPE_SERVICE_DB (esc_service_db_get_type ())

G_DECLARE_FINAL_TYPE (EscServiceDb, esc_service_db, ESC, SERVICE_DB, GObject)

/* Returns the current time (transfer full); tests inject their own. */
typedef GDateTime *(*EscServiceClock) (gpointer user_data);

/* The service's own SQLite file: people, their roles, hashed tokens, designations. */
EscServiceDb     *esc_service_db_open               (const char          *path,
                                                     GError             **error);
const char       *esc_service_db_get_path           (EscServiceDb        *self);
int               esc_service_db_get_schema_version (EscServiceDb        *self);
int               esc_service_db_get_latest_schema_version (void);

char             *esc_service_db_create_token       (EscServiceDb        *self,
                                                     const char          *name,
                                                     const char          *email,
                                                     const char * const  *roles,
                                                     GError             **error);
char             *esc_service_db_create_token_full  (EscServiceDb        *self,
                                                     const char          *name,
                                                     const char          *email,
                                                     const char * const  *roles,
                                                     guint                expires_in_days,
                                                     GError             **error);
gboolean          esc_service_db_revoke_token       (EscServiceDb        *self,
                                                     const char          *token,
                                                     GError             **error);
EscServicePerson *esc_service_db_authenticate       (EscServiceDb        *self,
                                                     const char          *token,
                                                     GError             **error);
EscServicePerson *esc_service_db_get_person         (EscServiceDb        *self,
                                                     gint64               person_id,
                                                     GError             **error);

void              esc_service_db_set_clock          (EscServiceDb        *self,
                                                     EscServiceClock      clock,
                                                     gpointer             user_data,
                                                     GDestroyNotify       destroy);
GDateTime        *esc_service_db_dup_now            (EscServiceDb        *self);

char             *esc_service_format_timestamp      (GDateTime           *datetime);

G_END_DECLS
