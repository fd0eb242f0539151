/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "esc-service-db.h"
#include "esc-service-storage.h"

G_BEGIN_DECLS

#define ESC_TYPE_SERVICE_SQLITE_STORAGE (esc_service_sqlite_storage_get_type ())

G_DECLARE_FINAL_TYPE (EscServiceSqliteStorage, esc_service_sqlite_storage, ESC, SERVICE_SQLITE_STORAGE, GObject)

/* The SQLite side of the storage seam (esc-service-storage.h), over @db. */
EscServiceSqliteStorage *esc_service_sqlite_storage_new    (EscServiceDb            *db);
EscServiceDb            *esc_service_sqlite_storage_get_db (EscServiceSqliteStorage *self);

G_END_DECLS
