/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-responsibility.h"
#include "esc-routing-rule.h"

G_BEGIN_DECLS

/* Called with the edited copy when the user saves */
typedef void (*EscResponsibilitySaved) (EscResponsibility *edited,
                                        gpointer           user_data);
typedef void (*EscRoutingRuleSaved)    (EscRoutingRule    *edited,
                                        gpointer           user_data);

/* Edits @item (a copy is edited) or, with @item's id 0, a new one; @parties are EscParty */
GtkWidget *esc_responsibility_dialog_new (GtkWindow              *parent,
                                          GListModel             *parties,
                                          EscResponsibility      *item,
                                          EscResponsibilitySaved  saved,
                                          gpointer                user_data,
                                          GDestroyNotify          destroy);
/* Edits @rule, or a new row when @rule is NULL */
GtkWidget *esc_routing_rule_dialog_new   (GtkWindow              *parent,
                                          EscRoutingRule         *rule,
                                          EscRoutingRuleSaved     saved,
                                          gpointer                user_data,
                                          GDestroyNotify          destroy);

G_END_DECLS
