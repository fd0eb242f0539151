/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-account.h"
#include "esc-client.h"
#include "esc-connection-check.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-request-notifier.h"
#include "esc-sync.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_SESSION (esc_session_get_type ())

G_DECLARE_FINAL_TYPE (EscSession, esc_session, ESC, SESSION, GObject)

/* The long-lived state of the application, which windows and pages are views onto: the client
 * (one SoupSession for everything) and the signed-in account from the start, then the workspace
 * once it is open, with its mirror of the service, its outbox, what sends the outbox and keeps
 * the mirror in step (the sender and the sync) and the desktop notifications about requests.
 *
 * The workspace opens in a thread while the first window shows: "workspace" is NULL until then,
 * and notified when it arrives, the mirror, outbox, sender and sync already there; or
 * "workspace-error" says why it could not be opened (or, later, why it is no longer written to). */
EscSession         *esc_session_new                    (GApplication         *application);

EscClient          *esc_session_get_client             (EscSession           *self);
EscAccount         *esc_session_get_account            (EscSession           *self);
/* (nullable): NULL until the workspace is open */
EscWorkspace       *esc_session_get_workspace          (EscSession           *self);
/* (nullable): why there is no workspace, or why it is no longer written to */
const GError       *esc_session_get_workspace_error    (EscSession           *self);
/* (nullable): each NULL until the workspace is open */
EscMirror          *esc_session_get_mirror             (EscSession           *self);
EscOutbox          *esc_session_get_outbox             (EscSession           *self);
EscOutboxSender    *esc_session_get_sender             (EscSession           *self);
EscSync            *esc_session_get_sync               (EscSession           *self);
/* Keeps the client's "reachable" and "busy" true between requests (started with the sender) */
EscConnectionCheck *esc_session_get_connection_check   (EscSession           *self);
/* (nullable): only for a session of an application, once the workspace is open */
EscRequestNotifier *esc_session_get_notifier           (EscSession           *self);

/* Opens the workspace at @path in a thread, then runs the sender and the sync, and checks the
 * whole file a little later, once the screens are up (esc_workspace_check_async()). */
void                esc_session_open_workspace_async   (EscSession           *self,
                                                        const char           *path,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean            esc_session_open_workspace_finish  (EscSession           *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* Takes a workspace already open (tests, benchmarks): the mirror, outbox, sender and sync are
 * made for it but not started (esc_outbox_sender_start(), esc_sync_start()). */
void                esc_session_set_workspace          (EscSession           *self,
                                                        EscWorkspace         *workspace);
/* Starts the sender, the sync and the connection check of the open workspace. */
void                esc_session_start                  (EscSession           *self);
/* Stops them, and what the session still had under way (the application's shutdown). */
void                esc_session_stop                   (EscSession           *self);

G_END_DECLS
