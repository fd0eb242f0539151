/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-support-request.h"

G_BEGIN_DECLS

/**
 * EscRequestNotify:
 * @ESC_REQUEST_NOTIFY_NONE: nothing to say
 * @ESC_REQUEST_NOTIFY_ASSIGNED: the request left "new": an engineer took it
 * @ESC_REQUEST_NOTIFY_RESOLVED: the request became resolved
 * @ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE: the initial response is now late
 *
 * The desktop notifications a change of a mirrored request calls for (flags).
 */
typedef enum
{
  ESC_REQUEST_NOTIFY_NONE             = 0,
  ESC_REQUEST_NOTIFY_ASSIGNED         = 1 << 0,
  ESC_REQUEST_NOTIFY_RESOLVED         = 1 << 1,
  ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE = 1 << 2,
} EscRequestNotify;

/* What to notify about @current, given what the mirror held before
 * (@previous, nullable: first seen, then only an overdue response counts) and
 * when the previous check ran (@last_check, nullable: never, then an overdue
 * response does not count, so a first start does not flood the desktop).
 * The response is overdue when @current is "new" and its due time is in
 * (@last_check, @now]. Whose requests to watch is the caller's choice. */
EscRequestNotify  esc_request_notify_decide       (EscSupportRequest *previous,
                                                   EscSupportRequest *current,
                                                   GDateTime         *last_check,
                                                   GDateTime         *now);

/* For one flag: (transfer full) a stable notification id
 * ("support-request-SR-000123-assigned", so a repeat replaces it), a
 * translated title and body. */
char             *esc_request_notify_dup_id       (EscRequestNotify   what,
                                                   EscSupportRequest *request);
char             *esc_request_notify_dup_title    (EscRequestNotify   what,
                                                   EscSupportRequest *request);
char             *esc_request_notify_dup_body     (EscRequestNotify   what,
                                                   EscSupportRequest *request);

G_END_DECLS
