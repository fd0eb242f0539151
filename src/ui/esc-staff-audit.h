/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_STAFF_AUDIT (esc_staff_audit_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffAudit, esc_staff_audit, ESC, STAFF_AUDIT, AdwBin)

/* The service's audit log as mirrored: filtered by person, action and date,
 * exported as CSV, and its hash chain checked (a warning if it does not
 * link up). */
GtkWidget *esc_staff_audit_new (EscSession *session);

G_END_DECLS
