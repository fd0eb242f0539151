/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_STAFF_PAGE (esc_staff_page_get_type ())

G_DECLARE_FINAL_TYPE (EscStaffPage, esc_staff_page, ESC, STAFF_PAGE, AdwBin)

/* The Staff & access screen, for IT administrators: the staff directory
 * (search, filters, designations through the outbox, banners, adding and
 * removing people), the admin contacts and the audit log. */
GtkWidget  *esc_staff_page_new           (EscSession   *session);
/* (transfer none): the directory's search entry, and the list as filtered (tests, benchmark) */
GtkWidget  *esc_staff_page_get_search_entry (EscStaffPage *self);
GListModel *esc_staff_page_get_shown     (EscStaffPage *self);

G_END_DECLS
