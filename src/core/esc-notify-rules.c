/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-notify-rules.h"

/* When Escalade tells the desktop about a support request (the service's own
 * notifications are on created, assigned and resolved; the app adds the
 * response due time passing). The decision is pure so that it is tested
 * exhaustively; the app compares the mirror before and after a sync, and runs
 * it on a timer for the due times. */

static gboolean
is_done (EscSupportRequestState state)
{
  return state == ESC_SUPPORT_REQUEST_STATE_RESOLVED || state == ESC_SUPPORT_REQUEST_STATE_CLOSED;
}

/**
 * esc_request_notify_decide:
 * @previous: (nullable): the request as the mirror held it before, or %NULL
 * @current: the request now
 * @last_check: (nullable): when the previous decision was made, or %NULL
 * @now: the time now
 *
 * Returns: the notifications to send, as flags
 */
EscRequestNotify
esc_request_notify_decide (EscSupportRequest *previous,
                           EscSupportRequest *current,
                           GDateTime         *last_check,
                           GDateTime         *now)
{
  EscRequestNotify what = ESC_REQUEST_NOTIFY_NONE;
  EscSupportRequestState state;
  GDateTime *due;

  g_return_val_if_fail (previous == NULL || ESC_IS_SUPPORT_REQUEST (previous), what);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (current), what);
  g_return_val_if_fail (now != NULL, what);

  state = esc_support_request_get_state (current);

  if (previous != NULL)
    {
      EscSupportRequestState before = esc_support_request_get_state (previous);

      /* Straight from new to resolved says "resolved" only. */
      if (before == ESC_SUPPORT_REQUEST_STATE_NEW &&
          state != ESC_SUPPORT_REQUEST_STATE_NEW && !is_done (state))
        what |= ESC_REQUEST_NOTIFY_ASSIGNED;

      if (state == ESC_SUPPORT_REQUEST_STATE_RESOLVED && !is_done (before))
        what |= ESC_REQUEST_NOTIFY_RESOLVED;
    }

  due = esc_support_request_get_response_due_at (current);
  if (state == ESC_SUPPORT_REQUEST_STATE_NEW && due != NULL && last_check != NULL &&
      g_date_time_compare (due, last_check) > 0 && g_date_time_compare (due, now) <= 0)
    what |= ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE;

  return what;
}

static const char *
flag_name (EscRequestNotify what)
{
  switch (what)
    {
    case ESC_REQUEST_NOTIFY_ASSIGNED:
      return "assigned";
    case ESC_REQUEST_NOTIFY_RESOLVED:
      return "resolved";
    case ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE:
      return "response-overdue";
    case ESC_REQUEST_NOTIFY_NONE:
    default:
      return NULL;
    }
}

/**
 * esc_request_notify_dup_id:
 * @what: one flag
 * @request: the request
 *
 * Returns: (transfer full): the id to give g_application_send_notification()
 */
char *
esc_request_notify_dup_id (EscRequestNotify   what,
                           EscSupportRequest *request)
{
  const char *name = flag_name (what);

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (request), NULL);

  return g_strdup_printf ("support-request-%s-%s", esc_support_request_get_id (request), name);
}

char *
esc_request_notify_dup_title (EscRequestNotify   what,
                              EscSupportRequest *request)
{
  const char *id;

  g_return_val_if_fail (flag_name (what) != NULL, NULL);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (request), NULL);

  id = esc_support_request_get_id (request);

  switch (what)
    {
    case ESC_REQUEST_NOTIFY_ASSIGNED:
      /* Translators: a desktop notification; %s is a request id, e.g. "SR-000123" */
      return g_strdup_printf (_("%s was assigned"), id);
    case ESC_REQUEST_NOTIFY_RESOLVED:
      /* Translators: a desktop notification; %s is a request id */
      return g_strdup_printf (_("%s was resolved"), id);
    case ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE:
      /* Translators: a desktop notification; %s is a request id */
      return g_strdup_printf (_("%s: the response is overdue"), id);
    case ESC_REQUEST_NOTIFY_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

char *
esc_request_notify_dup_body (EscRequestNotify   what,
                             EscSupportRequest *request)
{
  const char *title;

  g_return_val_if_fail (flag_name (what) != NULL, NULL);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (request), NULL);

  title = esc_support_request_get_title (request);
  if (title == NULL)
    title = "";

  switch (what)
    {
    case ESC_REQUEST_NOTIFY_ASSIGNED:
      /* Translators: %s is the request's title */
      return g_strdup_printf (_("An engineer of the operations team started work on “%s”."), title);
    case ESC_REQUEST_NOTIFY_RESOLVED:
      /* Translators: %s is the request's title */
      return g_strdup_printf (_("“%s” was resolved. You can reactivate it within 24 hours."), title);
    case ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE:
      /* Translators: %s is the request's title */
      return g_strdup_printf (_("No engineer has responded to “%s” in the time its severity promises."),
                              title);
    case ESC_REQUEST_NOTIFY_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}
