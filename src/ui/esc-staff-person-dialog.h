/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_STAFF_PERSON_DIALOG (esc_staff_person_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffPersonDialog, esc_staff_person_dialog, ESC, STAFF_PERSON_DIALOG, AdwWindow)

/* One person of the directory: their designations for elevation and
 * escalation, each with a reason and an optional expiry, saved through the
 * outbox; and "Remove Access" for someone who leaves. */
GtkWidget *esc_staff_person_dialog_new (EscSession *session,
                                        gint64      staff_id);

G_END_DECLS
