/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "esc-support-request.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_MIRROR (esc_mirror_get_type ())

G_DECLARE_FINAL_TYPE (EscMirror, esc_mirror, ESC, MIRROR, GObject)

/* The workspace's copy of what the service holds: support requests (with
 * their timelines), the support staff with their designations, and the
 * audit log, with the cursors of the incremental sync. Rows are kept per
 * service (its base URL); the models show those of the service set with
 * esc_mirror_set_service(). Filled by the sync and by the outbox with the
 * service's answers (src/api); read by the UI. One per workspace, main thread. */

EscMirror    *esc_mirror_new                     (EscWorkspace   *workspace);
EscWorkspace *esc_mirror_get_workspace           (EscMirror      *self);

/* (nullable): the service whose rows the models show */
const char   *esc_mirror_get_service             (EscMirror      *self);
void          esc_mirror_set_service             (EscMirror      *self,
                                                  const char     *service);

/* ::staff-changed is emitted when the staff rows of the current service were
 * written or the service changed (esc-staff-directory.h reads them then).
 * ::admin-contacts-changed likewise for the admin contacts. */

/* Store-backed models (transfer none), updated live: ::items-changed covers
 * only the rows that changed. Support requests are the core's
 * EscSupportRequest (without timeline), most recently updated first; staff
 * are EscStaffMember by name; audit events are EscAuditEvent, newest first. */
GListModel   *esc_mirror_get_support_requests    (EscMirror      *self);
GListModel   *esc_mirror_get_staff               (EscMirror      *self);
GListModel   *esc_mirror_get_audit_events        (EscMirror      *self);

/* (transfer full) (nullable): one request of the current service, with the
 * timeline known so far */
EscSupportRequest *esc_mirror_dup_support_request (EscMirror   *self,
                                                  const char     *id);

/* Writes from the sync, each one transaction. A page of support requests
 * (SupportRequest objects; the sync cursor of @account becomes the largest
 * updated_at seen); one request with its timeline; the whole staff list
 * (replacing the service's previous one); a page of audit events (the cursor
 * becomes the largest id). A row that is not what the contract says fails the
 * whole write with ESC_CORE_ERROR, and nothing is written. */
gboolean      esc_mirror_store_support_requests  (EscMirror      *self,
                                                  const char     *service,
                                                  const char     *account,
                                                  JsonArray      *items,
                                                  GError        **error);
gboolean      esc_mirror_store_support_request   (EscMirror      *self,
                                                  const char     *service,
                                                  JsonNode       *request,
                                                  GError        **error);
gboolean      esc_mirror_store_staff             (EscMirror      *self,
                                                  const char     *service,
                                                  JsonArray      *items,
                                                  GError        **error);
gboolean      esc_mirror_store_audit_events      (EscMirror      *self,
                                                  const char     *service,
                                                  const char     *account,
                                                  JsonArray      *items,
                                                  GError        **error);

/* The cursor of @what ("support-requests", "audit") for @account at @service:
 * (transfer full) (nullable), NULL before the first sync */
char         *esc_mirror_dup_cursor              (EscMirror      *self,
                                                  const char     *service,
                                                  const char     *account,
                                                  const char     *what);
/* When the last complete sync of @account at @service ended */
gboolean      esc_mirror_set_last_synced         (EscMirror      *self,
                                                  const char     *service,
                                                  const char     *account,
                                                  GDateTime      *at,
                                                  GError        **error);
GDateTime    *esc_mirror_dup_last_synced         (EscMirror      *self,
                                                  const char     *service,
                                                  const char     *account);

/* The admin contacts of the service (AdminContact objects, one per area),
 * written whole by the sync: an area left out no longer has one. One
 * contact, as the service answered a change of it. A contact that is not
 * what the contract says fails the write with ESC_CORE_ERROR, and nothing is
 * written. */
gboolean      esc_mirror_store_admin_contacts    (EscMirror      *self,
                                                  const char     *service,
                                                  JsonArray      *items,
                                                  GError        **error);
gboolean      esc_mirror_store_admin_contact     (EscMirror      *self,
                                                  const char     *service,
                                                  JsonNode       *contact,
                                                  GError        **error);
/* (transfer full) (nullable): the EscAdminContact of the current service by
 * area, NULL with @error set if the file cannot be read */
GPtrArray    *esc_mirror_dup_admin_contacts      (EscMirror      *self,
                                                  GError        **error);
/* Whether the sync ever brought the admin contacts of the current service in
 * (FALSE: nothing is known, rather than every area missing) */
gboolean      esc_mirror_has_admin_contacts      (EscMirror      *self);

G_END_DECLS
