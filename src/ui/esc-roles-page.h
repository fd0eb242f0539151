/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ESC_TYPE_ROLES_PAGE (esc_roles_page_get_type ())

G_DECLARE_FINAL_TYPE (EscRolesPage, esc_roles_page, ESC, ROLES_PAGE, AdwBin)

/* @model: a GListModel of EscParty */
void           esc_roles_page_set_model       (EscRolesPage *self,
                                               GListModel   *model);
GtkColumnView *esc_roles_page_get_column_view (EscRolesPage *self);

G_END_DECLS
