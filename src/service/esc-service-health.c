/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include "esc-service-private.h"
#include "esc-service-storage.h"

/* GET /v1/health, for load balancers: open to anyone, it says only whether
 * this node can serve, i.e. whether its database answers at the schema
 * version this build wants. 200 if so, else 503 with Retry-After (the
 * balancer sends the traffic to the other nodes meanwhile). */

#define HEALTH_RETRY_SECONDS "2"

static void
handle_get_health (EscServiceContext *ctx)
{
  EscServiceStorage *storage = esc_service_server_get_storage (ctx->server);
  EscServiceStorageHealth health;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (ctx->msg);
  const char *database;
  gboolean ok;

  if (!esc_service_storage_check_health (storage, &health, &error))
    {
      g_printerr ("escalade-service: health: %s\n", error->message);
      health.reachable = FALSE;
    }

  if (!health.reachable)
    database = "unreachable";
  else if (health.schema_version < health.latest_version)
    database = "schema-behind";    /* run `escalade-service migrate` */
  else if (health.schema_version > health.latest_version)
    database = "schema-ahead";     /* this node is older than the database */
  else
    database = "reachable";
  ok = health.reachable && health.schema_version == health.latest_version;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, ok ? "ok" : "unavailable");
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, database);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  if (!ok)
    soup_message_headers_replace (headers, "Retry-After", HEALTH_RETRY_SECONDS);
  esc_service_send_json (ctx, ok ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, node);
}

void
esc_service_health_register (EscServiceRouter *router)
{
  esc_service_router_add_full (router, "GET", "/v1/health", ESC_SERVICE_ROLES_ANY,
                               ESC_SERVICE_ROUTE_PUBLIC, handle_get_health);
}
