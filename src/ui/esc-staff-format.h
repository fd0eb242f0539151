/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "esc-outbox-item.h"
#include "esc-staff-member.h"
#include "esc-staff-directory.h"

G_BEGIN_DECLS

/* Text of the Staff & access screen, translated: shared by its list, its
 * dialogs and its banners. */

/* "IT administrator, support staff" */
char       *esc_staff_format_roles         (EscStaffRoles         roles);
/* "Elevation until 12 March 2027, escalation", or "None" */
char       *esc_staff_format_designations  (EscStaffEntry        *entry,
                                            GDateTime            *now);
/* "Elevation" or "Escalation" */
const char *esc_staff_capability_label     (const char           *capability);
/* What a change of the outbox says in the list: "Change waiting to be sent",
 * "Change refused: …" */
char       *esc_staff_format_pending       (EscOutboxItem        *item);
/* The designations a change of the outbox sets (its JSON body), and those a
 * person has on the service now: "Elevation until 3 January 2027", "None" */
char       *esc_staff_format_change        (const char           *body);
char       *esc_staff_format_member_designations (EscStaffMember *member);
/* "3 January 2027" in the local time zone */
char       *esc_staff_format_date          (GDateTime            *time);

G_END_DECLS
