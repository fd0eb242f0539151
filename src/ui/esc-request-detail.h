/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-outbox-item.h"
#include "esc-session.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_DETAIL (esc_request_detail_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestDetail, esc_request_detail, ESC, REQUEST_DETAIL, AdwBin)

/* The side pane of the Requests screen: every field of one request, its
 * timeline with the notes, a note to add, and what may still be done with it
 * (edit while open, reactivate within 24 hours of resolution); for a request
 * still in the outbox, why it waits and retry, edit or discard. Every change
 * goes through the outbox. Emits ::close, and ::edit-pending with a refused
 * EscOutboxItem to correct in the New Request form. */
void        esc_request_detail_set_session    (EscRequestDetail  *self,
                                               EscSession        *session);
/* A request of the mirror (its timeline is fetched from the service) */
void        esc_request_detail_show_request   (EscRequestDetail  *self,
                                               EscSupportRequest *request);
/* A request waiting in the outbox, with its fields read from the body */
void        esc_request_detail_show_pending   (EscRequestDetail  *self,
                                               EscOutboxItem     *item,
                                               EscSupportRequest *request);
void        esc_request_detail_clear          (EscRequestDetail  *self);
/* The page's minute timer moves the clock */
void        esc_request_detail_refresh_clock  (EscRequestDetail  *self,
                                               GDateTime         *now);
/* (nullable): the id of the request shown */
const char *esc_request_detail_get_request_id (EscRequestDetail  *self);

G_END_DECLS
