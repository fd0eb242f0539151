/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-sla-compliance.h"

G_BEGIN_DECLS

/* Shared by the Compliance section (esc-sla-compliance.c) and its export
 * (esc-sla-compliance-export.c). */

struct _EscSlaCompliance
{
  AdwBin               parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *compliance_group;
  GtkWidget           *import_button;
  GtkWidget           *export_button;
  AdwComboRow         *agreement_row;
  AdwComboRow         *period_row;
  AdwComboRow         *source_row;
  GtkRevealer         *progress_revealer;
  GtkProgressBar      *progress_bar;
  GtkWidget           *cancel_button;
  GtkLabel            *status_label;
  GtkWidget           *empty_label;
  GtkWidget           *report_box;
  GtkLabel            *summary_label;
  GtkWidget           *chart;
  GtkGrid             *report_grid;
  AdwPreferencesGroup *offenders_group;
  GPtrArray           *offender_rows;

  /* Owned references */
  EscSession          *session;
  GPtrArray           *versions;     /* (element-type EscSlaAgreementVersion) */
  GPtrArray           *calendars;    /* (element-type EscCalendar) (nullable) */
  GStrv                sources;
  EscComplianceReport *report;
  GCancellable        *cancellable;  /* the report being computed */
  GCancellable        *export_cancellable;
  guint                pulse_timer;
  GtkWindow           *mapping_dialog;  /* (nullable) weak */
  gboolean             filling;
};

GtkWindow  *esc_sla_compliance_own_window     (EscSlaCompliance *self);
/* Shows @text (nullable: hides it) under the section's header */
void        esc_sla_compliance_show_status    (EscSlaCompliance *self,
                                               const char       *text);
/* A modal message for an error the person must read */
void        esc_sla_compliance_show_error     (EscSlaCompliance *self,
                                               const char       *heading,
                                               const char       *body);
void        esc_sla_compliance_notify_busy    (EscSlaCompliance *self);
/* (nullable): the source chosen, NULL for all */
const char *esc_sla_compliance_chosen_source  (EscSlaCompliance *self);
/* compliance.export-pdf and compliance.export-csv: asks where, then exports */
void        esc_sla_compliance_export_action  (GtkWidget        *widget,
                                               const char       *action_name,
                                               GVariant         *parameter);

G_END_DECLS
