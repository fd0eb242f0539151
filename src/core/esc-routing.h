/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-routing-rule.h"

G_BEGIN_DECLS

/* What the person routing a problem knows about it. */
typedef struct
{
  gboolean hardware_fault;      /* the device's hardware is at fault */
  gboolean deployed_by_service; /* a policy, setting or app that the service deployed is involved */
} EscProblemFacts;

EscRoutingDestination  esc_routing_destination_for (const EscProblemFacts *facts);
EscRoutingRule        *esc_routing_find_rule       (GListModel            *rules,
                                                    EscRoutingDestination  destination);
EscRoutingRule        *esc_routing_route           (GListModel            *rules,
                                                    const EscProblemFacts *facts);

G_END_DECLS
