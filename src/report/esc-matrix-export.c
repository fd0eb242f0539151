/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-report"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-matrix-csv.h"
#include "esc-matrix-export.h"
#include "esc-support-model.h"

struct _EscExportJob
{
  EscExportOptions   options;
  GBytes            *csv;       /* CSV: the whole text, made at once */
  EscMatrixDocument *document;  /* PDF: drawn by run */
};

gboolean
esc_matrix_kind_from_string (const char    *name,
                             EscMatrixKind *kind)
{
  if (g_strcmp0 (name, "roles") == 0)
    *kind = ESC_MATRIX_ROLES;
  else if (g_strcmp0 (name, "routing") == 0)
    *kind = ESC_MATRIX_ROUTING;
  else
    return FALSE;

  return TRUE;
}

gboolean
esc_export_format_from_string (const char      *name,
                               EscExportFormat *format)
{
  if (g_strcmp0 (name, "csv") == 0)
    *format = ESC_EXPORT_CSV;
  else if (g_strcmp0 (name, "pdf") == 0)
    *format = ESC_EXPORT_PDF;
  else
    return FALSE;

  return TRUE;
}

gboolean
esc_export_separator_from_string (const char *name,
                                  char       *separator)
{
  if (g_strcmp0 (name, "comma") == 0 || g_strcmp0 (name, ",") == 0)
    *separator = ',';
  else if (g_strcmp0 (name, "semicolon") == 0 || g_strcmp0 (name, ";") == 0)
    *separator = ';';
  else
    return FALSE;

  return TRUE;
}

static char *
dup_subtitle (EscWorkspace *workspace,
              GDateTime    *date)
{
  g_autofree char *organisation = esc_workspace_dup_setting (workspace,
                                                             ESC_WORKSPACE_SETTING_ORGANISATION);
  g_autofree char *model = esc_workspace_dup_setting (workspace,
                                                      ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  g_autofree char *day = g_date_time_format (date, "%Y-%m-%d");
  EscSupportModelKind kind;
  const char *model_label;

  if (!esc_support_model_kind_from_string (model, &kind))
    kind = ESC_SUPPORT_MODEL_NOT_CHOSEN;
  model_label = esc_support_model_kind_get_label (kind);

  if (organisation == NULL || *organisation == '\0')
    {
      g_free (organisation);
      organisation = g_strdup (_("Organisation not named"));
    }

  /* Translators: under the title of an exported matrix: the organisation, the support model
   * and the date, e.g. "Contoso · Partner-led support · 2026-12-06" */
  return g_strdup_printf (_("%s · %s · %s"), organisation, model_label, day);
}

static void
build_roles (EscMatrixDocument *document,
             EscWorkspace      *workspace)
{
  GListModel *parties = esc_workspace_get_parties (workspace);
  GListModel *items = esc_workspace_get_responsibilities (workspace);
  guint n_parties = g_list_model_get_n_items (parties);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  esc_matrix_document_add_column (document, _("Party"), 2.0);
  esc_matrix_document_add_column (document, _("Responsibility"), 5.4);
  for (guint i = 0; i < n_parties; i++)
    {
      g_autoptr(EscParty) party = g_list_model_get_item (parties, i);

      esc_matrix_document_add_column (document, esc_party_get_name (party), 1.6);
      g_hash_table_insert (names, g_strdup (esc_party_get_id (party)),
                           g_strdup (esc_party_get_name (party)));
    }

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(EscResponsibility) item = g_list_model_get_item (items, i);
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) text = g_string_new (esc_responsibility_get_text (item));
      const char * const *areas = esc_responsibility_get_areas (item);
      const char *name = g_hash_table_lookup (names, esc_responsibility_get_party_id (item));

      for (guint j = 0; areas[j] != NULL; j++)
        g_string_append_printf (text, "\n• %s", areas[j]);

      g_ptr_array_add (cells, g_strdup (name != NULL ? name : esc_responsibility_get_party_id (item)));
      g_ptr_array_add (cells, g_string_free (g_steal_pointer (&text), FALSE));
      for (guint j = 0; j < n_parties; j++)
        {
          g_autoptr(EscParty) party = g_list_model_get_item (parties, j);

          g_ptr_array_add (cells, g_strdup (esc_raci_to_letter (
            esc_responsibility_get_raci (item, esc_party_get_id (party)))));
        }
      g_ptr_array_add (cells, NULL);
      esc_matrix_document_add_row (document, (const char * const *)cells->pdata);
    }
}

static void
build_routing (EscMatrixDocument *document,
               EscWorkspace      *workspace)
{
  static const EscSupportTier tiers[] = {
    ESC_SUPPORT_TIER_1, ESC_SUPPORT_TIER_2, ESC_SUPPORT_TIER_ESCALATION_TEAM,
  };
  GListModel *rules = esc_workspace_get_routing_rules (workspace);

  esc_matrix_document_add_column (document, _("Problem"), 5.0);
  esc_matrix_document_add_column (document, _("Team"), 3.5);
  esc_matrix_document_add_column (document, _("How to reach"), 3.5);
  esc_matrix_document_add_column (document, _("Notes"), 5.0);
  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    esc_matrix_document_add_column (document, esc_support_tier_get_label (tiers[i]), 1.4);

  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      const char *example = esc_routing_rule_get_example (rule);
      const char *address = esc_routing_rule_get_reach_address (rule);
      EscRoutingReach reach = esc_routing_rule_get_reach (rule);

      if (example != NULL && *example != '\0')
        g_ptr_array_add (cells, g_strdup_printf ("%s\n%s", esc_routing_rule_get_problem (rule),
                                                 example));
      else
        g_ptr_array_add (cells, g_strdup (esc_routing_rule_get_problem (rule)));
      g_ptr_array_add (cells, g_strdup (esc_routing_rule_get_team (rule)));
      if (address != NULL && *address != '\0')
        g_ptr_array_add (cells, g_strdup_printf ("%s\n%s", esc_routing_reach_get_label (reach),
                                                 address));
      else
        g_ptr_array_add (cells, g_strdup (reach != ESC_ROUTING_REACH_NONE
                                          ? esc_routing_reach_get_label (reach) : ""));
      g_ptr_array_add (cells, g_strdup (esc_routing_rule_get_action (rule)));
      for (guint j = 0; j < G_N_ELEMENTS (tiers); j++)
        /* Translators: in the printed routing matrix, this tier may use this route */
        g_ptr_array_add (cells, g_strdup ((esc_routing_rule_get_tiers (rule) & tiers[j])
                                          ? C_("tier may use the route", "Yes") : ""));
      g_ptr_array_add (cells, NULL);
      esc_matrix_document_add_row (document, (const char * const *)cells->pdata);
    }
}

/**
 * esc_matrix_export_build_document:
 * @workspace: the open workspace
 * @kind: which matrix
 * @date: the date printed on it
 *
 * Returns: (transfer full): the document, holding copies of the rows
 */
EscMatrixDocument *
esc_matrix_export_build_document (EscWorkspace  *workspace,
                                  EscMatrixKind  kind,
                                  GDateTime     *date)
{
  g_autofree char *subtitle = dup_subtitle (workspace, date);
  EscMatrixDocument *document;

  if (kind == ESC_MATRIX_ROLES)
    {
      g_autofree char *full = g_strdup_printf ("%s\n%s", subtitle,
                                               _("R: responsible · A: accountable · C: consulted · I: informed"));

      document = esc_matrix_document_new (_("Roles and responsibilities"), full);
      build_roles (document, workspace);
    }
  else
    {
      document = esc_matrix_document_new (_("Routing matrix"), subtitle);
      build_routing (document, workspace);
    }

  return document;
}

/**
 * esc_export_job_new:
 * @workspace: the open workspace
 * @options: what to export, how
 * @date: the date printed on a PDF
 *
 * Returns: (transfer full): the job, holding its own copy of the rows
 */
EscExportJob *
esc_export_job_new (EscWorkspace           *workspace,
                    const EscExportOptions *options,
                    GDateTime              *date)
{
  EscExportJob *job;

  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  job = g_new0 (EscExportJob, 1);
  job->options = *options;
  if (job->options.separator != ';')
    job->options.separator = ',';

  if (options->format == ESC_EXPORT_CSV && options->kind == ESC_MATRIX_ROLES)
    job->csv = esc_roles_csv_write (esc_workspace_get_parties (workspace),
                                    esc_workspace_get_responsibilities (workspace),
                                    job->options.separator);
  else if (options->format == ESC_EXPORT_CSV)
    job->csv = esc_routing_csv_write (esc_workspace_get_routing_rules (workspace),
                                      job->options.separator);
  else
    job->document = esc_matrix_export_build_document (workspace, options->kind, date);

  return job;
}

void
esc_export_job_free (EscExportJob *job)
{
  if (job == NULL)
    return;

  g_clear_pointer (&job->csv, g_bytes_unref);
  g_clear_object (&job->document);
  g_free (job);
}

GBytes *
esc_export_job_render (EscExportJob           *job,
                       EscMatrixProgressFunc   progress,
                       gpointer                user_data,
                       GCancellable           *cancellable,
                       GError                **error)
{
  g_return_val_if_fail (job != NULL, NULL);

  if (job->csv != NULL)
    {
      if (progress != NULL)
        progress (1, 1, user_data);
      return g_bytes_ref (job->csv);
    }

  return esc_matrix_document_write_pdf (job->document, job->options.paper, progress, user_data,
                                        cancellable, error);
}

/**
 * esc_export_job_run:
 * @job: a job
 * @file: where to write
 * @progress: (nullable) (scope call): told as pages are drawn
 * @user_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * May run in any thread.
 *
 * Returns: %TRUE if @file was written whole; otherwise it is as it was
 */
gboolean
esc_export_job_run (EscExportJob           *job,
                    GFile                  *file,
                    EscMatrixProgressFunc   progress,
                    gpointer                user_data,
                    GCancellable           *cancellable,
                    GError                **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(contents = esc_export_job_render (job, progress, user_data, cancellable, error)))
    return FALSE;

  data = g_bytes_get_data (contents, &length);
  if (g_file_replace_contents (file, data != NULL ? data : "", length, NULL, FALSE,
                               G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable,
                               &local_error))
    return TRUE;

  name = g_file_get_parse_name (file);
  g_set_error (error, local_error->domain, local_error->code,
               _("“%s” was not written: %s"), name, local_error->message);
  return FALSE;
}

/**
 * esc_matrix_import_csv:
 * @workspace: the open workspace
 * @kind: which matrix @contents holds
 * @contents: a CSV export of it (commas or semicolons)
 * @error: return location for a #GError
 *
 * Replaces the matrix with the file's rows, or changes nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_matrix_import_csv (EscWorkspace  *workspace,
                       EscMatrixKind  kind,
                       GBytes        *contents,
                       GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  gsize length;
  const char *text = g_bytes_get_data (contents, &length);

  if (text == NULL)
    text = "";

  if (kind == ESC_MATRIX_ROLES)
    {
      rows = esc_roles_csv_read (text, length, esc_workspace_get_parties (workspace), error);
      return rows != NULL && esc_workspace_replace_responsibilities (workspace, rows, error);
    }

  rows = esc_routing_csv_read (text, length, error);
  return rows != NULL && esc_workspace_replace_routing_rules (workspace, rows, error);
}
