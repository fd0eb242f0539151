/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include "esc-support-model.h"
#include "esc-service-sla.h"

/* The support model (/v1/support-model): customer-led or partner-led, with
 * the support provider's name and contacts. Everyone authenticated reads it
 * (the app prints it on its exports); only an IT administrator sets it. One
 * row, versioned by its revision (ETag "support-model-N", If-Match on PUT,
 * 412 when stale); every change is audited with what it replaced. The
 * answer is written with core's codec (esc-support-model.c). */

#define TARGET "/v1/support-model"

/* The stored model and its revision; NULL with @error on a database error. */
static EscSupportModel *
load_model (EscServiceDb  *db,
            gint64        *revision,
            GError       **error)
{
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(GDateTime) at = NULL;
  EscSupportModelKind kind;
  int rc;

  if (!(stmt = esc_service_db_prepare_cached (db,
                                              "SELECT m.model, m.provider_name, m.provider_contacts,"
                                              "  m.revision, m.updated_at, p.name"
                                              " FROM support_model m LEFT JOIN people p ON p.id = m.updated_by"
                                              " WHERE m.id = 1", error)))
    return NULL;
  rc = esc_service_stmt_step (stmt);
  if (rc != ESC_SERVICE_STMT_ROW)
    {
      if (rc == ESC_SERVICE_STMT_DONE)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "the support model's row is missing");
      else
        esc_service_db_set_error (db, error);
      return NULL;
    }

  if (!esc_support_model_kind_from_string (esc_service_stmt_column_text (stmt, 0), &kind))
    kind = ESC_SUPPORT_MODEL_NOT_CHOSEN;
  model = esc_support_model_new (kind, esc_service_stmt_column_text (stmt, 1),
                                 esc_service_stmt_column_text (stmt, 2));
  *revision = esc_service_stmt_column_int64 (stmt, 3);
  at = esc_service_stmt_column_time (stmt, 4);
  esc_support_model_set_updated (model, at, esc_service_stmt_column_text (stmt, 5));
  return g_steal_pointer (&model);
}

static void
handle_get (EscServiceContext *ctx)
{
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  gint64 revision = 0;

  if (!(model = load_model (ctx->db, &revision, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  answer = esc_support_model_to_json (model);
  esc_service_sla_set_etag (ctx, "support-model", revision);
  esc_service_send_json (ctx, SOUP_STATUS_OK, answer);
}

static void
handle_put (EscServiceContext *ctx)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(EscSupportModel) wanted = NULL;
  g_autoptr(EscSupportModel) previous = NULL;
  g_autoptr(EscSupportModel) stored = NULL;
  g_autoptr(EscServiceCachedStmt) stmt = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonNode) details_node = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  gint64 revision = 0;

  if (!(body = esc_service_context_read_object (ctx)))
    return;
  node = json_node_init_object (json_node_alloc (), body);
  if (!(wanted = esc_support_model_new_from_json (node, TRUE, &error)))
    {
      esc_service_sla_send_core_error (ctx, error);
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;
  if (!(previous = load_model (ctx->db, &revision, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  if (!esc_service_sla_check_if_match (ctx, "support-model", revision))
    return;

  if (!(stmt = esc_service_db_prepare_cached (ctx->db,
                                              "UPDATE support_model SET model = ?1, provider_name = ?2,"
                                              "  provider_contacts = ?3, revision = revision + 1,"
                                              "  updated_at = ?4, updated_by = ?5"
                                              " WHERE id = 1", &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, esc_support_model_kind_to_string (esc_support_model_get_kind (wanted)));
  esc_service_stmt_bind_text (stmt, 2, esc_support_model_get_provider_name (wanted));
  esc_service_stmt_bind_text (stmt, 3, esc_support_model_get_provider_contacts (wanted));
  esc_service_stmt_bind_text (stmt, 4, now);
  esc_service_stmt_bind_int64 (stmt, 5, ctx->caller->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error) ||
      !(stored = load_model (ctx->db, &revision, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  answer = esc_support_model_to_json (stored);
  json_builder_begin_object (details);
  json_builder_set_member_name (details, "support_model");
  json_builder_add_value (details, json_node_copy (answer));
  json_builder_set_member_name (details, "previous");
  json_builder_add_value (details, esc_support_model_to_json (previous));
  json_builder_end_object (details);
  details_node = json_builder_get_root (details);
  if (!esc_service_context_audit (ctx, "support-model.updated", TARGET, details_node, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  esc_service_sla_set_etag (ctx, "support-model", revision);
  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, answer, NULL);
}

void
esc_service_support_model_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", TARGET, ESC_SERVICE_ROLES_ANY, handle_get);
  esc_service_router_add (router, "PUT", TARGET, ESC_SERVICE_ROLE_IT_ADMIN, handle_put);
}
