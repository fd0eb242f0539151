/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-account.h"
#include "esc-mirror.h"
#include "esc-support-model.h"

G_BEGIN_DECLS

#define ESC_TYPE_SYNC (esc_sync_get_type ())

G_DECLARE_FINAL_TYPE (EscSync, esc_sync, ESC, SYNC, GObject)

/* Keeps the workspace's mirror up to date with the service, for the account's
 * session: support requests incrementally (updated_since, following every
 * page), the staff with their designations and the audit log (for IT
 * administrators). Runs on start, every interval (60 s by default) and on
 * demand; the mirror's models change live. It also points the mirror at the
 * session's service. Owned by the application. */
EscSync    *esc_sync_new            (EscAccount           *account,
                                     EscMirror            *mirror);
EscMirror  *esc_sync_get_mirror     (EscSync              *self);

/* (nullable): when the last complete sync ended (also kept in the workspace) */
GDateTime  *esc_sync_get_last_synced (EscSync             *self);
gboolean    esc_sync_get_syncing    (EscSync              *self);
/* (nullable): why the last sync failed, for display */
const char *esc_sync_get_last_error (EscSync              *self);

/* In seconds, at least 1; takes effect at the next sync */
void        esc_sync_set_interval   (EscSync              *self,
                                     guint                 seconds);
guint       esc_sync_get_interval   (EscSync              *self);

/* Syncs now, then every interval, and when the account signs in. */
void        esc_sync_start          (EscSync              *self);
void        esc_sync_stop           (EscSync              *self);

/* One sync, now ("Refresh"). If one is running, waits for it and then runs
 * another, so that what changed before the call is in the mirror after it. */
void        esc_sync_run_async      (EscSync              *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean    esc_sync_run_finish     (EscSync              *self,
                                     GAsyncResult         *result,
                                     GError              **error);

/* Reads one request with its timeline (GET /v1/support-requests/{id}) into
 * the mirror: for a detail view. */
void        esc_sync_refresh_support_request_async  (EscSync             *self,
                                                     const char          *id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean    esc_sync_refresh_support_request_finish (EscSync             *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* The support model's copy in the workspace settings: stored from the
 * service's answer (a model not chosen there changes nothing), and read. */
gboolean         esc_sync_store_support_model (EscWorkspace     *workspace,
                                               EscSupportModel  *model,
                                               GError          **error);
EscSupportModel *esc_sync_dup_support_model   (EscWorkspace     *workspace);

G_END_DECLS
