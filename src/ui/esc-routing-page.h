/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_ROUTING_PAGE (esc_routing_page_get_type ())

G_DECLARE_FINAL_TYPE (EscRoutingPage, esc_routing_page, ESC, ROUTING_PAGE, AdwBin)

/* The Routing screen: the routing matrix and "Where does this go?" */
EscRoutingPage *esc_routing_page_new                (EscSession     *session);
const char     *esc_routing_page_get_suggested_team (EscRoutingPage *self);
const char     *esc_routing_page_get_suggested_row  (EscRoutingPage *self);

G_END_DECLS
