/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-service-db.h"
#include "esc-service-storage.h"

G_BEGIN_DECLS

#define ESC_TYPE_SERVICE_SERVER (esc_service_server_get_type ())

G_DECLARE_FINAL_TYPE (EscServiceServer, esc_service_server, ESC, SERVICE_SERVER, GObject)

/* The v1 API over HTTP(S), on top of a #EscServiceDb. Usable in-process by tests. */
EscServiceServer *esc_service_server_new                  (EscServiceDb         *db);
EscServiceDb     *esc_service_server_get_db               (EscServiceServer     *self);
void              esc_service_server_set_tls_certificate  (EscServiceServer     *self,
                                                           GTlsCertificate      *certificate);
gboolean          esc_service_server_set_tls_files        (EscServiceServer     *self,
                                                           const char           *cert_file,
                                                           const char           *key_file,
                                                           GError              **error);
void              esc_service_server_set_log_requests     (EscServiceServer     *self,
                                                           gboolean              log_requests);
gboolean          esc_service_server_listen               (EscServiceServer     *self,
                                                           GInetSocketAddress   *address,
                                                           GError              **error);
const char       *esc_service_server_get_url              (EscServiceServer     *self);
void              esc_service_server_disconnect           (EscServiceServer     *self);
gboolean          esc_service_server_accept_iostream      (EscServiceServer     *self,
                                                           GIOStream            *stream,
                                                           GError              **error);
void              esc_service_server_set_clock            (EscServiceServer     *self,
                                                           EscServiceClock       clock,
                                                           gpointer              user_data,
                                                           GDestroyNotify        destroy);
GDateTime        *esc_service_server_dup_now              (EscServiceServer     *self);
/* The storage behind GET /v1/health: by default the SQLite storage over
 * the server's database (esc-service-storage.h). */
EscServiceStorage *esc_service_server_get_storage         (EscServiceServer     *self);
void              esc_service_server_set_storage          (EscServiceServer     *self,
                                                           EscServiceStorage    *storage);
gboolean          esc_service_server_run_housekeeping     (EscServiceServer     *self,
                                                           GError              **error);

GInetSocketAddress *esc_service_parse_listen_address      (const char           *text,
                                                           GError              **error);

G_END_DECLS
