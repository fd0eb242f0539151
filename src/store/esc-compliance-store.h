/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-compliance.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

/* The workspace's ticket imports (compliance): the tickets read from the help
 * desk's CSV exports, kept per source, and each source's column mapping.
 * Called from the main thread; the long work runs in a worker thread on its
 * own connection to the workspace file. */

/* Imports @contents (a CSV export) read with @mapping into the source
 * @mapping names: one transaction, all or nothing. A ticket already imported
 * from that source (same id) is replaced by the new row; the others stay.
 * The mapping is remembered for the source in the same transaction.
 *
 * @progress (nullable) is called in the caller's main context with the lines
 * read and stored so far out of the total; @progress_data is freed with
 * @progress_notify when the import ends. Cancelling @cancellable stores
 * nothing (G_IO_ERROR_CANCELLED). */
void      esc_workspace_import_tickets_async   (EscWorkspace              *self,
                                                EscComplianceMapping      *mapping,
                                                GBytes                    *contents,
                                                EscComplianceProgressFunc  progress,
                                                gpointer                   progress_data,
                                                GDestroyNotify             progress_notify,
                                                GCancellable              *cancellable,
                                                GAsyncReadyCallback        callback,
                                                gpointer                   user_data);
/* @n_imported (optional): the tickets stored. On a bad file FALSE with
 * ESC_CORE_ERROR_INVALID_VALUE, and @problems (optional, transfer full,
 * element-type EscComplianceProblem) names every bad line: nothing stored. */
gboolean  esc_workspace_import_tickets_finish  (EscWorkspace              *self,
                                                GAsyncResult              *result,
                                                guint                     *n_imported,
                                                GPtrArray                **problems,
                                                GError                   **error);
/* The same, blocking, on the workspace file at @path (any thread; its own
 * connection): what the async form runs in its worker thread, and what the
 * benchmark times. @progress is called in this thread. */
gboolean  esc_workspace_import_tickets_at      (const char                *path,
                                                EscComplianceMapping      *mapping,
                                                GBytes                    *contents,
                                                EscComplianceProgressFunc  progress,
                                                gpointer                   progress_data,
                                                GCancellable              *cancellable,
                                                guint                     *n_imported,
                                                GPtrArray                **problems,
                                                GError                   **error);

/* Mappings, one per source (saving replaces the source's earlier one). */
gboolean              esc_workspace_save_compliance_mapping (EscWorkspace         *self,
                                                            EscComplianceMapping *mapping,
                                                            GError              **error);
/* (transfer full) (nullable): the source's mapping, NULL if none */
EscComplianceMapping *esc_workspace_lookup_compliance_mapping (EscWorkspace       *self,
                                                              const char         *source,
                                                              GError            **error);
/* (transfer full) (nullable): the mapping last saved for a file whose header
 * line is @header (the same column titles in the same order) */
EscComplianceMapping *esc_workspace_find_compliance_mapping (EscWorkspace         *self,
                                                            const char * const   *header,
                                                            GError              **error);
/* (transfer full): the sources with a mapping or tickets, sorted */
GStrv                 esc_workspace_list_compliance_sources (EscWorkspace         *self,
                                                            GError              **error);
/* Removes a source's tickets (and its mapping if @forget_mapping). */
gboolean              esc_workspace_remove_compliance_source (EscWorkspace        *self,
                                                             const char          *source,
                                                             gboolean             forget_mapping,
                                                             GError             **error);
/* How many tickets a source holds (NULL: all sources) */
gboolean              esc_workspace_count_tickets           (EscWorkspace         *self,
                                                            const char           *source,
                                                            guint64              *count,
                                                            GError              **error);

/* Computes the report over the tickets of @source (NULL: every source)
 * created from @from to before @to (0: no bound; microseconds, UTC) with
 * @version's terms and @calendar, at @now (see EscComplianceReport), in a
 * worker thread. */
void                 esc_workspace_compliance_report_async  (EscWorkspace           *self,
                                                            const char             *source,
                                                            gint64                  from,
                                                            gint64                  to,
                                                            EscSlaAgreementVersion *version,
                                                            EscCalendar            *calendar,
                                                            gint64                  now,
                                                            guint                   max_offenders,
                                                            GCancellable           *cancellable,
                                                            GAsyncReadyCallback     callback,
                                                            gpointer                user_data);
EscComplianceReport *esc_workspace_compliance_report_finish (EscWorkspace           *self,
                                                            GAsyncResult           *result,
                                                            GError                **error);

G_END_DECLS
