/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-matrix-export.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

/* What the Roles and Routing screens share: Export (CSV or PDF, in a worker
 * thread, with progress), Import, Print and the confirmations. Each takes the
 * page (for its window and its toast overlay) and the workspace. */

typedef struct
{
  GtkWidget       *page;
  EscWorkspace    *workspace;
  EscMatrixKind    kind;
  AdwToastOverlay *toasts;
  GtkRevealer     *progress_revealer;
  GtkProgressBar  *progress;
} EscMatrixContext;

/* The GUI's export, which the file chooser runs: the same job as `escalade --export` */
void     esc_matrix_export_to_file_async  (const EscMatrixContext *context,
                                           const EscExportOptions *options,
                                           GFile                  *file,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data);
gboolean esc_matrix_export_to_file_finish (GAsyncResult           *result,
                                           GError                **error);

void     esc_matrix_choose_export         (const EscMatrixContext *context,
                                           EscExportFormat         format);
void     esc_matrix_choose_import         (const EscMatrixContext *context);
void     esc_matrix_print                 (const EscMatrixContext *context);
/* Asks, then resets the matrix to the source's rows */
void     esc_matrix_confirm_reset         (const EscMatrixContext *context);

/* A toast; with @undo_action (a detailed action name of the page) an Undo button */
void     esc_matrix_toast                 (const EscMatrixContext *context,
                                           const char             *title,
                                           const char             *undo_action);
/* A modal message for an error the user must read (e.g. every bad line of an import) */
void     esc_matrix_show_error            (const EscMatrixContext *context,
                                           const char             *heading,
                                           const GError           *error);

G_END_DECLS
