/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-account.h"
#include "esc-mirror.h"

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_NOTIFIER (esc_request_notifier_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestNotifier, esc_request_notifier, ESC, REQUEST_NOTIFIER, GObject)

/* Desktop notifications for the signed-in person's own requests: assigned,
 * resolved, or their initial response overdue. It watches the mirror (what the
 * sync and the outbox write) and checks the clocks once a minute; what to say
 * is the core's decision (esc-notify-rules.h). Activating a notification runs
 * "app.show-request" with the request's id. Owned by the session (esc-session.h). */
EscRequestNotifier *esc_request_notifier_new   (GApplication       *application,
                                                EscAccount         *account,
                                                EscMirror          *mirror);
/* Checks the response clocks now (the minute timer calls it). */
void                esc_request_notifier_check (EscRequestNotifier *self);

G_END_DECLS
