/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-account.h"
#include "esc-outbox-sender.h"
#include "esc-sync.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_APPLICATION (esc_application_get_type ())

G_DECLARE_FINAL_TYPE (EscApplication, esc_application, ESC, APPLICATION, AdwApplication)

EscApplication *esc_application_new           (void);
EscAccount     *esc_application_get_account   (EscApplication *self);
/* (nullable): NULL until the workspace is open */
EscWorkspace   *esc_application_get_workspace (EscApplication *self);
/* (nullable): NULL until the workspace is open */
EscOutboxSender *esc_application_get_outbox_sender (EscApplication *self);
EscSync         *esc_application_get_sync          (EscApplication *self);

G_END_DECLS
