/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-workspace.h"

G_BEGIN_DECLS

#define ESC_TYPE_SLA_MAPPING_DIALOG (esc_sla_mapping_dialog_get_type ())

G_DECLARE_FINAL_TYPE (EscSlaMappingDialog, esc_sla_mapping_dialog, ESC, SLA_MAPPING_DIALOG, AdwWindow)

/* The import of a help desk's ticket export: the file's header and first
 * rows, a column of the file for each field, the date format, the separator,
 * the severity values and the source's name, filled from the mapping the
 * workspace remembers for that source. Import reads the whole file in a worker
 * thread with a progress bar and Cancel; every bad line is listed and nothing
 * is imported, or the dialog closes and emits "imported". */
EscSlaMappingDialog *esc_sla_mapping_dialog_new          (GtkWindow           *parent,
                                                          EscWorkspace        *workspace,
                                                          const char          *file_name,
                                                          GBytes              *contents);
/* Runs Import, as the button does (for the tests) */
void                 esc_sla_mapping_dialog_import       (EscSlaMappingDialog *self);
/* Whether an import, or the reading of the file's severity values, is under way */
gboolean             esc_sla_mapping_dialog_get_busy     (EscSlaMappingDialog *self);
/* The column chosen for @field (a field's id, e.g. "ticket-id"); -1: none */
int                  esc_sla_mapping_dialog_get_column   (EscSlaMappingDialog *self,
                                                          const char          *field);
void                 esc_sla_mapping_dialog_set_column   (EscSlaMappingDialog *self,
                                                          const char          *field,
                                                          int                  column);
/* The bad lines of the last import, one a line ("" when none) */
char                *esc_sla_mapping_dialog_get_problems (EscSlaMappingDialog *self);

G_END_DECLS
