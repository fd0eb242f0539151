/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-matrix-export.h"
#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_ROLES_PAGE (esc_roles_page_get_type ())

G_DECLARE_FINAL_TYPE (EscRolesPage, esc_roles_page, ESC, ROLES_PAGE, AdwBin)

/* The Roles screen: the roles and responsibilities matrix of the session's workspace */
EscRolesPage  *esc_roles_page_new          (EscSession             *session);
/* The export the Export menu runs once a file is chosen (finish with
 * esc_matrix_export_to_file_finish()) */
void           esc_roles_page_export_async (EscRolesPage           *self,
                                            const EscExportOptions *options,
                                            GFile                  *file,
                                            GCancellable           *cancellable,
                                            GAsyncReadyCallback     callback,
                                            gpointer                user_data);

G_END_DECLS
