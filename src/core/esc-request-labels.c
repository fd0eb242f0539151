/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-request-labels.h"

const char *
esc_support_request_kind_get_label (EscSupportRequestKind kind)
{
  switch (kind)
    {
    case ESC_SUPPORT_REQUEST_KIND_ADMIN:
      return C_("request kind", "Admin request");
    case ESC_SUPPORT_REQUEST_KIND_ESCALATION:
      return C_("request kind", "Escalation");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
esc_support_request_type_get_label (EscSupportRequestType type)
{
  switch (type)
    {
    case ESC_SUPPORT_REQUEST_TYPE_INCIDENT:
      return C_("request type", "Incident");
    case ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION:
      return C_("request type", "Request for information");
    case ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST:
      return C_("request type", "Change request");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
esc_support_severity_get_label (EscSupportSeverity severity)
{
  switch (severity)
    {
    case ESC_SUPPORT_SEVERITY_A:
      return C_("severity", "A — Critical impact");
    case ESC_SUPPORT_SEVERITY_B:
      return C_("severity", "B — Moderate impact");
    case ESC_SUPPORT_SEVERITY_C:
      return C_("severity", "C — Minimal impact");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
esc_support_request_state_get_label (EscSupportRequestState state)
{
  switch (state)
    {
    case ESC_SUPPORT_REQUEST_STATE_NEW:
      return C_("request state", "New");
    case ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS:
      return C_("request state", "In progress");
    case ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER:
      return C_("request state", "Waiting on customer");
    case ESC_SUPPORT_REQUEST_STATE_MITIGATED:
      return C_("request state", "Mitigated");
    case ESC_SUPPORT_REQUEST_STATE_RESOLVED:
      return C_("request state", "Resolved");
    case ESC_SUPPORT_REQUEST_STATE_CLOSED:
      return C_("request state", "Closed");
    default:
      g_return_val_if_reached ("");
    }
}

const char *
esc_next_action_owner_get_label (EscNextActionOwner owner)
{
  switch (owner)
    {
    case ESC_NEXT_ACTION_OWNER_NONE:
      return "";
    case ESC_NEXT_ACTION_OWNER_CUSTOMER:
      /* Translators: who acts next on a support request: the organisation that filed it */
      return C_("next action owner", "Customer");
    case ESC_NEXT_ACTION_OWNER_OPERATIONS:
      /* Translators: who acts next: the service's operations team */
      return C_("next action owner", "Operations");
    default:
      g_return_val_if_reached ("");
    }
}
