/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-compliance.h"
#include "esc-matrix-export.h"
#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_SLA_COMPLIANCE (esc_sla_compliance_get_type ())

G_DECLARE_FINAL_TYPE (EscSlaCompliance, esc_sla_compliance, ESC, SLA_COMPLIANCE, AdwBin)

/* The SLAs screen's Compliance section: Import Tickets (a help desk's CSV
 * export, through the column-mapping dialog), the report per month and
 * severity measured against an agreement version chosen here, its chart and
 * text summary, the worst offenders, and Export as PDF or CSV. */
EscSlaCompliance    *esc_sla_compliance_new          (EscSession        *session);
/* The versions that may be measured against (element-type
 * EscSlaAgreementVersion), with the calendars they name (element-type
 * EscCalendar, nullable): the SLAs screen gives them each time it reads the
 * agreements. Recomputes the report. */
void                 esc_sla_compliance_set_terms    (EscSlaCompliance  *self,
                                                      GPtrArray         *versions,
                                                      GPtrArray         *calendars);
/* Computes the report again from the workspace's tickets */
void                 esc_sla_compliance_reload       (EscSlaCompliance  *self);
/* Whether a report, an import or an export is under way */
gboolean             esc_sla_compliance_get_busy     (EscSlaCompliance  *self);
/* (nullable): the report shown */
EscComplianceReport *esc_sla_compliance_get_report   (EscSlaCompliance  *self);
/* The chart, and the text that describes it to screen readers */
GtkWidget           *esc_sla_compliance_get_chart    (EscSlaCompliance  *self);

/* What Import Tickets does once a file is chosen: reads @file, then opens
 * the column-mapping dialog (returned through "mapping-dialog" notify; see
 * esc_sla_compliance_get_mapping_dialog()). */
void                 esc_sla_compliance_import_file  (EscSlaCompliance  *self,
                                                      GFile             *file);
/* (nullable): the column-mapping dialog while it is open */
GtkWindow           *esc_sla_compliance_get_mapping_dialog (EscSlaCompliance *self);

/* What the export actions run once a file is chosen: the report as @format
 * (@paper for a PDF, @separator ',' or ';' for a CSV) written to @file in a
 * worker thread, with the progress bar and Cancel. */
void                 esc_sla_compliance_export_async  (EscSlaCompliance  *self,
                                                       EscExportFormat    format,
                                                       EscPaper           paper,
                                                       char               separator,
                                                       GFile             *file,
                                                       GAsyncReadyCallback callback,
                                                       gpointer           user_data);
gboolean             esc_sla_compliance_export_finish (EscSlaCompliance  *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);

G_END_DECLS
