/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-outbox-sender.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_EDITOR (esc_request_editor_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestEditor, esc_request_editor, ESC, REQUEST_EDITOR, AdwWindow)

/* Edits what may be edited while a request is open — its primary contact,
 * severity (within the filing rules) and notes — and queues the change in the
 * outbox as one PATCH of what changed. */
EscRequestEditor *esc_request_editor_new (GtkWindow         *parent,
                                          EscOutboxSender   *sender,
                                          EscSupportRequest *request);

G_END_DECLS
