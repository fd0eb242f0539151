/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-compliance.h"
#include "esc-sla-mapping-dialog.h"

G_BEGIN_DECLS

/* Shared by the column-mapping dialog (esc-sla-mapping-dialog.c) and its
 * severity values (esc-sla-mapping-severities.c). */

#define PREVIEW_ROWS 5
#define MAX_FILE_SIZE (256 * 1024 * 1024)

struct _EscSlaMappingDialog
{
  AdwWindow     parent_instance;

  GtkWidget    *import_button;
  GtkWidget    *cancel_button;
  GtkWidget    *progress_revealer;
  GtkWidget    *progress_bar;
  GtkWidget    *preview_grid;
  GtkWidget    *source_row;
  GtkWidget    *separator_row;
  GtkWidget    *date_row;
  GtkWidget    *zone_row;
  GtkWidget    *paused_row;
  GtkWidget    *field_rows[ESC_COMPLIANCE_N_FIELDS];
  GtkWidget    *severities_group;
  GPtrArray    *severity_rows;    /* (element-type AdwComboRow) one per value found */
  GHashTable   *severity_seen;    /* the values of those rows */
  GCancellable *scan_cancellable; /* reading the severity column of the whole file */
  GtkWidget    *problems_group;
  GPtrArray    *problem_rows;
  GtkWidget    *error_label;

  EscWorkspace *workspace;
  GBytes       *contents;
  GPtrArray    *records;          /* (element-type EscCsvRecord) the header and first rows */
  GStrv         header;
  EscComplianceMapping *remembered; /* (nullable) the mapping last used for this header */
  GCancellable *cancellable;
  char         *problems;
  gboolean      filling;          /* choices set by the code, not by the person */
};

/* A, B and C, in the order of each value's drop-down */
extern const EscSupportSeverity esc_sla_mapping_severities[3];

GtkWidget *esc_sla_mapping_new_combo_row    (const char          *title,
                                             GListModel          *model);
/* ',' or ';' */
char       esc_sla_mapping_chosen_separator (EscSlaMappingDialog *self);
/* A row for each value of the severity column: those of the first lines and
 * those remembered at once, then those of the whole file, read in a worker
 * thread (Import waits for them) */
void       esc_sla_mapping_fill_severities  (EscSlaMappingDialog *self);

G_END_DECLS
