/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "esc-admin-contact.h"
#include "esc-audit-event.h"
#include "esc-designation.h"
#include "esc-device.h"
#include "esc-elevation-password.h"
#include "esc-elevation-request.h"
#include "esc-identity.h"
#include "esc-staff-import.h"
#include "esc-staff-member.h"
#include "esc-support-request.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_CLIENT (esc_client_get_type ())

G_DECLARE_FINAL_TYPE (EscClient, esc_client, ESC, CLIENT, GObject)

/* One client, and so one SoupSession, for the whole application. */
EscClient   *esc_client_new             (void);

/* The service's base URL, e.g. "https://escalade.example.org" or "http://127.0.0.1:8080".
 * Plain http is refused (ESC_API_ERROR_INVALID_URL) unless the host is loopback. */
gboolean     esc_client_set_base_url    (EscClient            *self,
                                         const char           *base_url,
                                         GError              **error);
const char  *esc_client_get_base_url    (EscClient            *self);
/* Checks @base_url as set_base_url does; returns it as the client keeps it. */
char        *esc_client_normalize_url   (const char           *base_url,
                                         GError              **error);

/* The bearer token, kept in memory only: it comes from and goes to the keyring. */
void         esc_client_set_token       (EscClient            *self,
                                         const char           *token);

/* How long a connection or a read may stall, in seconds (default 20). */
void         esc_client_set_timeout     (EscClient            *self,
                                         guint                 seconds);
guint        esc_client_get_timeout     (EscClient            *self);

/* FALSE once a request could not reach the service (no connection, or no
 * answer in time); TRUE again when any answer comes ("notify::reachable"). */
gboolean     esc_client_get_reachable   (EscClient            *self);
/* TRUE after a 503 (the service overloaded) until another answer comes
 * ("notify::busy"); then, the real time (µs) before which it asked not to
 * be sent anything (Retry-After), or 0 */
gboolean     esc_client_get_busy        (EscClient            *self);
gint64       esc_client_get_busy_until  (EscClient            *self);
/* When the service last answered (monotonic µs), 0 if not yet */
gint64       esc_client_get_last_answer (EscClient            *self);

/* GET /v1/me */
void         esc_client_get_me_async    (EscClient            *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
EscIdentity *esc_client_get_me_finish   (EscClient            *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* Any v1 request; the answer is the JSON as the service sent it. */
void         esc_client_call_async      (EscClient            *self,
                                         const char           *method,
                                         const char           *path,
                                         const char           *body,
                                         const char           *idempotency_key,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
JsonNode    *esc_client_call_finish     (EscClient            *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* TLS: certificates are always verified. A service whose certificate is not
 * trusted fails with ESC_API_ERROR_TLS, carrying that certificate
 * (esc_api_error_get_peer_certificate()); if the user trusts it, the client
 * accepts exactly that certificate for that URL from then on, remembered in
 * the workspace's settings (a SHA-256 fingerprint, not a secret). */
void         esc_client_set_workspace   (EscClient            *self,
                                         EscWorkspace         *workspace);
gboolean     esc_client_trust_certificate (EscClient          *self,
                                         const char           *url,
                                         GTlsCertificate      *certificate,
                                         GError              **error);
char        *esc_client_dup_trusted_fingerprint (EscClient    *self,
                                         const char           *url);
/* "sha256:" + hex, to show the user before they trust a certificate */
char        *esc_client_dup_certificate_fingerprint (GTlsCertificate *certificate);

/* The typed v1 endpoints (esc-client-v1.c). Each _async has a _finish taking
 * (self, result, [out params,] error). A POST takes an idempotency key (NULL:
 * a new one). Changes the user makes go through the outbox instead
 * (esc-outbox-sender.h), which survives crashes; these are for what the user
 * waits for, and for tests. */

/* Support requests */
void                    esc_client_create_support_request_async  (EscClient           *self,
                                                                  EscSupportRequest   *request,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscSupportRequest      *esc_client_create_support_request_finish (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_list_support_requests_async   (EscClient           *self,
                                                                  GDateTime           *updated_since,
                                                                  const char          *cursor,
                                                                  guint                limit,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray              *esc_client_list_support_requests_finish  (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  char               **out_next_cursor,
                                                                  GError             **error);
void                    esc_client_get_support_request_async     (EscClient           *self,
                                                                  const char          *id,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscSupportRequest      *esc_client_get_support_request_finish    (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_patch_support_request_async   (EscClient           *self,
                                                                  const char          *id,
                                                                  JsonNode            *patch,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscSupportRequest      *esc_client_patch_support_request_finish  (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_add_comment_async             (EscClient           *self,
                                                                  const char          *id,
                                                                  const char          *text,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscSupportRequestEvent *esc_client_add_comment_finish            (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_reactivate_support_request_async  (EscClient       *self,
                                                                  const char          *id,
                                                                  const char          *reason,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscSupportRequest      *esc_client_reactivate_support_request_finish (EscClient       *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* Staff and designations. GET /v1/staff/{id} gives the person's etag;
 * set_designations sends it back as If-Match and fails with
 * ESC_API_ERROR_PRECONDITION_FAILED if the person changed meanwhile
 * (esc_api_error_get_current_staff_member()); an import with a bad row
 * fails with ESC_API_ERROR_UNPROCESSABLE listing every bad row
 * (esc_api_error_get_import_errors()). */
void                    esc_client_list_staff_async              (EscClient           *self,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray              *esc_client_list_staff_finish             (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_set_designations_async        (EscClient           *self,
                                                                  gint64               staff_id,
                                                                  GPtrArray           *designations,
                                                                  const char          *if_match,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscStaffMember         *esc_client_set_designations_finish       (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_get_staff_member_async        (EscClient           *self,
                                                                  gint64               staff_id,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscStaffMember         *esc_client_get_staff_member_finish       (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_create_staff_member_async     (EscClient           *self,
                                                                  const char          *name,
                                                                  const char          *email,
                                                                  const char          *team,
                                                                  const char * const  *roles,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscStaffMember         *esc_client_create_staff_member_finish    (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_import_staff_async            (EscClient           *self,
                                                                  const char          *csv,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
gboolean                esc_client_import_staff_finish           (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  guint               *out_imported,
                                                                  GError             **error);
void                    esc_client_remove_access_async           (EscClient           *self,
                                                                  gint64               staff_id,
                                                                  const char          *reason,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscStaffAccessRemoval  *esc_client_remove_access_finish          (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* Devices */
void                    esc_client_list_devices_async            (EscClient           *self,
                                                                  const char          *query,
                                                                  const char          *cursor,
                                                                  guint                limit,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray              *esc_client_list_devices_finish           (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  char               **out_next_cursor,
                                                                  GError             **error);

/* Elevation */
void                    esc_client_create_elevation_request_async  (EscClient         *self,
                                                                  const char          *ticket_id,
                                                                  const char          *device,
                                                                  const char          *category,
                                                                  const char          *subcategory,
                                                                  const char          *title,
                                                                  const char          *plan_of_action,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscElevationRequest    *esc_client_create_elevation_request_finish (EscClient         *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_list_elevation_requests_async   (EscClient         *self,
                                                                  const char          *state,
                                                                  const char          *cursor,
                                                                  guint                limit,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray              *esc_client_list_elevation_requests_finish  (EscClient         *self,
                                                                  GAsyncResult        *result,
                                                                  char               **out_next_cursor,
                                                                  GError             **error);
void                    esc_client_get_elevation_request_async   (EscClient           *self,
                                                                  const char          *id,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscElevationRequest    *esc_client_get_elevation_request_finish  (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_renew_elevation_request_async (EscClient           *self,
                                                                  const char          *id,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscElevationRequest    *esc_client_renew_elevation_request_finish (EscClient          *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_close_elevation_request_async (EscClient           *self,
                                                                  const char          *id,
                                                                  const char          *actions_taken,
                                                                  const char          *idempotency_key,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscElevationRequest    *esc_client_close_elevation_request_finish (EscClient          *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
/* The password is kept in memory only, in a struct that wipes it when freed. */
void                    esc_client_get_elevation_password_async  (EscClient           *self,
                                                                  const char          *id,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscElevationPassword   *esc_client_get_elevation_password_finish (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* Admin contacts */
void                    esc_client_list_admin_contacts_async     (EscClient           *self,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray              *esc_client_list_admin_contacts_finish    (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);
void                    esc_client_set_admin_contact_async       (EscClient           *self,
                                                                  const char          *area,
                                                                  const EscSupportContact *contact,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
EscAdminContact        *esc_client_set_admin_contact_finish      (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

/* Audit */
void                    esc_client_list_audit_async              (EscClient           *self,
                                                                  gint64               after,
                                                                  guint                limit,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
GPtrArray              *esc_client_list_audit_finish             (EscClient           *self,
                                                                  GAsyncResult        *result,
                                                                  gint64              *out_next_after,
                                                                  GError             **error);

G_END_DECLS
