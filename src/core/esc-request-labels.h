/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-support-request.h"

G_BEGIN_DECLS

/* Translated labels of the support request enums, for list columns, filters
 * and the CSV export (the wire names are in esc-support-request.h). */
const char *esc_support_request_kind_get_label      (EscSupportRequestKind   kind);
const char *esc_support_request_type_get_label      (EscSupportRequestType   type);
/* "A", "B", "C" and the short name: "A — Critical impact" */
const char *esc_support_severity_get_label          (EscSupportSeverity      severity);
const char *esc_support_request_state_get_label     (EscSupportRequestState  state);
/* "" for ESC_NEXT_ACTION_OWNER_NONE */
const char *esc_next_action_owner_get_label         (EscNextActionOwner      owner);

G_END_DECLS
