/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-request-list.h"
#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_REQUESTS_PAGE (esc_requests_page_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestsPage, esc_requests_page, ESC, REQUESTS_PAGE, AdwBin)

/* The Requests screen: the support requests of the mirror in a column view
 * (sorted, filtered and searched by the store), the requests waiting in the
 * outbox above them, a detail pane, and the New Request form. */
EscRequestsPage   *esc_requests_page_new             (EscSession      *session);

/* For tests and the window */
GtkColumnView     *esc_requests_page_get_column_view (EscRequestsPage *self);
GtkSearchEntry    *esc_requests_page_get_search_entry (EscRequestsPage *self);
/* (nullable): the store's list, once connected */
EscRequestList    *esc_requests_page_get_list        (EscRequestsPage *self);
/* The rows shown: the pending requests of the outbox, then the list's */
GListModel        *esc_requests_page_get_rows        (EscRequestsPage *self);
/* Whether the list is complete on screen and off: every row in, every cell
 * written (the page adds rows and writes the cells out of view over the frames
 * after a change). For tests and benchmarks. */
gboolean           esc_requests_page_is_settled      (EscRequestsPage *self);
/* Which of "list", "empty", "no-results", "disconnected" shows */
const char        *esc_requests_page_get_view        (EscRequestsPage *self);
/* Sets a filter as the popover's check button does: @group is "state",
 * "severity", "type" or "kind", @value the wire name */
void               esc_requests_page_set_filter      (EscRequestsPage *self,
                                                      const char      *group,
                                                      const char      *value,
                                                      gboolean         active);
/* Opens the New Request form, or brings it back (transfer none) */
GtkWindow         *esc_requests_page_open_form       (EscRequestsPage *self);
/* Selects the request @id and shows its detail; FALSE if not in the list */
gboolean           esc_requests_page_select_request  (EscRequestsPage *self,
                                                      const char      *id);
GtkWidget         *esc_requests_page_get_detail      (EscRequestsPage *self);

G_END_DECLS
