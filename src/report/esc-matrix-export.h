/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-matrix-document.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

typedef enum
{
  ESC_EXPORT_CSV,
  ESC_EXPORT_PDF,
} EscExportFormat;

gboolean esc_matrix_kind_from_string    (const char      *name,
                                         EscMatrixKind   *kind);
gboolean esc_export_format_from_string  (const char      *name,
                                         EscExportFormat *format);
gboolean esc_export_separator_from_string (const char    *name,
                                           char          *separator);

typedef struct
{
  EscMatrixKind   kind;
  EscExportFormat format;
  EscPaper        paper;      /* PDF */
  char            separator;  /* CSV: ',' or ';' */
} EscExportOptions;

/* The one export of the roles and routing matrices, for the app and for
 * `escalade --export`: both write the same bytes (CSV) or the same text (PDF;
 * only the PDF's creation time differs).
 *
 * esc_export_job_new() copies what is exported out of the workspace (main
 * thread); esc_export_job_run() draws it and writes @file in any thread,
 * through a temporary file renamed over @file at the end, so that a failed
 * write leaves no partial file and the old one, if any, untouched. */
typedef struct _EscExportJob EscExportJob;

EscExportJob      *esc_export_job_new      (EscWorkspace            *workspace,
                                            const EscExportOptions  *options,
                                            GDateTime               *date);
void               esc_export_job_free     (EscExportJob            *job);
/* (transfer full): the file's contents */
GBytes            *esc_export_job_render   (EscExportJob            *job,
                                            EscMatrixProgressFunc    progress,
                                            gpointer                 user_data,
                                            GCancellable            *cancellable,
                                            GError                 **error);
gboolean           esc_export_job_run      (EscExportJob            *job,
                                            GFile                   *file,
                                            EscMatrixProgressFunc    progress,
                                            gpointer                 user_data,
                                            GCancellable            *cancellable,
                                            GError                 **error);

/* (transfer full): the matrix as the PDF and the printout lay it out */
EscMatrixDocument *esc_matrix_export_build_document (EscWorkspace *workspace,
                                                     EscMatrixKind kind,
                                                     GDateTime    *date);

/* Reads a CSV export back into the workspace: all or nothing (every bad line
 * named in @error). */
gboolean           esc_matrix_import_csv   (EscWorkspace            *workspace,
                                            EscMatrixKind            kind,
                                            GBytes                  *contents,
                                            GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscExportJob, esc_export_job_free)

G_END_DECLS
