/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_STAFF_CONTACTS (esc_staff_contacts_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffContacts, esc_staff_contacts, ESC, STAFF_CONTACTS, AdwBin)

/* The admin contacts of the Staff & access screen: one per area of focus,
 * read from the service and edited here; a missing one is flagged. */
GtkWidget *esc_staff_contacts_new (EscSession *session);

G_END_DECLS
