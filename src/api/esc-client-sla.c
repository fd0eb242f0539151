/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-client-private.h"
#include "esc-client-sla.h"
#include "esc-core-error.h"
#include "esc-json-read.h"

/* The SLA endpoints, decoded into the core types (esc-calendar.h,
 * esc-sla-agreement.h). Agreement changes are rare and waited for, so they go
 * straight to the service with an idempotency key rather than through the
 * outbox. */

typedef gpointer (*ReadItemFunc) (JsonNode  *node,
                                  GError   **error);

/* The array @member of @root, each element read by @read. */
static GPtrArray *
read_array (JsonNode      *root,
            const char    *member,
            ReadItemFunc   read,
            GError       **error)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *object;
  JsonNode *node;
  JsonArray *array;

  if (!esc_json_require_object (root, _("The list"), &object, error))
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD, _("“%s” is missing"), member);
      return NULL;
    }

  array = json_node_get_array (node);
  items = g_ptr_array_new_full (json_array_get_length (array), g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = read (json_array_get_element (array, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (items, item);
    }

  return g_steal_pointer (&items);
}

static gpointer
read_calendar (JsonNode  *node,
               GError   **error)
{
  return esc_calendar_new_from_json (node, error);
}

static gpointer
read_version (JsonNode  *node,
              GError   **error)
{
  return esc_sla_agreement_version_new_from_json (node, FALSE, error);
}

static gpointer
decode_calendars (JsonNode  *root,
                  GError   **error)
{
  return read_array (root, "items", read_calendar, error);
}

static gpointer
decode_history (JsonNode  *root,
                GError   **error)
{
  return read_array (root, "versions", read_version, error);
}

static gpointer
read_agreement_id (JsonNode  *node,
                   GError   **error)
{
  JsonObject *object;
  const char *id;

  if (!esc_json_require_object (node, _("The agreement"), &object, error))
    return NULL;
  id = json_object_get_string_member_with_default (object, "id", NULL);
  if (id == NULL || *id == '\0')
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD, _("“%s” is missing"), "id");
      return NULL;
    }

  return g_strdup (id);
}

static gpointer
decode_agreement_ids (JsonNode  *root,
                      GError   **error)
{
  GPtrArray *ids = read_array (root, "items", read_agreement_id, error);

  if (ids != NULL)
    g_ptr_array_set_free_func (ids, g_free);
  return ids;
}

/**
 * esc_client_list_sla_calendars_async:
 *
 * GET /v1/sla-calendars (IT administrators and partner managers).
 */
void
esc_client_list_sla_calendars_async (EscClient           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  esc_client_send_async (self, "GET", "/v1/sla-calendars", NULL, NULL,
                         decode_calendars, (GDestroyNotify)g_ptr_array_unref,
                         esc_client_list_sla_calendars_async, cancellable, callback, user_data);
}

GPtrArray *
esc_client_list_sla_calendars_finish (EscClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_list_sla_calendars_async, error);
}

/**
 * esc_client_put_sla_calendar_async:
 * @calendar: the calendar, with its id
 * @if_match: (nullable): the ETag it was read with
 *
 * PUT /v1/sla-calendars/{id}: creates or replaces it.
 */
void
esc_client_put_sla_calendar_async (EscClient           *self,
                                   EscCalendar         *calendar,
                                   const char          *if_match,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ESC_IS_CALENDAR (calendar));
  g_return_if_fail (esc_calendar_get_id (calendar) != NULL);

  body = esc_calendar_to_json (calendar);
  text = json_to_string (body, FALSE);
  escaped = g_uri_escape_string (esc_calendar_get_id (calendar), NULL, FALSE);
  path = g_strconcat ("/v1/sla-calendars/", escaped, NULL);
  esc_client_send_full_async (self, "PUT", path, text, NULL, if_match, NULL, read_calendar, g_object_unref,
                              esc_client_put_sla_calendar_async, cancellable, callback, user_data);
}

EscCalendar *
esc_client_put_sla_calendar_finish (EscClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_put_sla_calendar_async, error);
}

/**
 * esc_client_create_sla_agreement_async:
 * @terms: the terms of version 1
 * @idempotency_key: (nullable): the key; a new one if %NULL
 *
 * POST /v1/sla-agreements (partner managers).
 */
void
esc_client_create_sla_agreement_async (EscClient              *self,
                                       EscSlaAgreementVersion *terms,
                                       const char             *idempotency_key,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms));

  body = esc_sla_agreement_version_terms_to_json (terms);
  text = json_to_string (body, FALSE);
  key = idempotency_key != NULL ? g_strdup (idempotency_key) : g_uuid_string_random ();
  esc_client_send_async (self, "POST", "/v1/sla-agreements", text, key, read_version, g_object_unref,
                         esc_client_create_sla_agreement_async, cancellable, callback, user_data);
}

EscSlaAgreementVersion *
esc_client_create_sla_agreement_finish (EscClient     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_create_sla_agreement_async, error);
}

/**
 * esc_client_get_sla_agreement_history_async:
 * @agreement_id: e.g. "SLA-000001"
 *
 * GET /v1/sla-agreements/{id}.
 */
void
esc_client_get_sla_agreement_history_async (EscClient           *self,
                                            const char          *agreement_id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (agreement_id != NULL);

  escaped = g_uri_escape_string (agreement_id, NULL, FALSE);
  path = g_strconcat ("/v1/sla-agreements/", escaped, NULL);
  esc_client_send_async (self, "GET", path, NULL, NULL, decode_history,
                         (GDestroyNotify)g_ptr_array_unref,
                         esc_client_get_sla_agreement_history_async, cancellable, callback, user_data);
}

GPtrArray *
esc_client_get_sla_agreement_history_finish (EscClient     *self,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_get_sla_agreement_history_async, error);
}

/**
 * esc_client_accept_sla_agreement_version_async:
 * @agreement_id: e.g. "SLA-000001"
 * @version: the version number
 * @as: (nullable): the side accepted for, needed from someone with both roles
 * @if_match: (nullable): the ETag the version was read with (412 if it changed since)
 * @idempotency_key: (nullable): the key; a new one if %NULL
 *
 * POST /v1/sla-agreements/{id}/versions/{version}/accept.
 */
void
esc_client_accept_sla_agreement_version_async (EscClient           *self,
                                               const char          *agreement_id,
                                               guint                version,
                                               const char          *as,
                                               const char          *if_match,
                                               const char          *idempotency_key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (agreement_id != NULL && version > 0);

  json_builder_begin_object (builder);
  if (as != NULL)
    {
      json_builder_set_member_name (builder, "as");
      json_builder_add_string_value (builder, as);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);
  escaped = g_uri_escape_string (agreement_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/sla-agreements/%s/versions/%u/accept", escaped, version);
  key = idempotency_key != NULL ? g_strdup (idempotency_key) : g_uuid_string_random ();
  esc_client_send_full_async (self, "POST", path, text, NULL, if_match, key, read_version, g_object_unref,
                              esc_client_accept_sla_agreement_version_async, cancellable,
                              callback, user_data);
}

EscSlaAgreementVersion *
esc_client_accept_sla_agreement_version_finish (EscClient     *self,
                                                GAsyncResult  *result,
                                                GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_accept_sla_agreement_version_async, error);
}

/**
 * esc_client_list_sla_agreements_async:
 *
 * GET /v1/sla-agreements (IT administrators and partner managers).
 */
void
esc_client_list_sla_agreements_async (EscClient           *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  esc_client_send_async (self, "GET", "/v1/sla-agreements", NULL, NULL,
                         decode_agreement_ids, (GDestroyNotify)g_ptr_array_unref,
                         esc_client_list_sla_agreements_async, cancellable, callback, user_data);
}

GPtrArray *
esc_client_list_sla_agreements_finish (EscClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_list_sla_agreements_async, error);
}

/**
 * esc_client_update_sla_draft_async:
 * @terms: the new terms, with the draft's agreement id and version
 * @if_match: (nullable): the ETag the draft was read with (412 if it changed since)
 *
 * PUT /v1/sla-agreements/{id}/versions/{version} (partner managers). The
 * service withdraws the acceptances the draft had.
 */
void
esc_client_update_sla_draft_async (EscClient              *self,
                                   EscSlaAgreementVersion *terms,
                                   const char             *if_match,
                                   GCancellable           *cancellable,
                                   GAsyncReadyCallback     callback,
                                   gpointer                user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms));
  g_return_if_fail (esc_sla_agreement_version_get_agreement_id (terms) != NULL);
  g_return_if_fail (esc_sla_agreement_version_get_version (terms) > 0);

  body = esc_sla_agreement_version_terms_to_json (terms);
  text = json_to_string (body, FALSE);
  escaped = g_uri_escape_string (esc_sla_agreement_version_get_agreement_id (terms), NULL, FALSE);
  path = g_strdup_printf ("/v1/sla-agreements/%s/versions/%u", escaped,
                          esc_sla_agreement_version_get_version (terms));
  esc_client_send_full_async (self, "PUT", path, text, NULL, if_match, NULL, read_version, g_object_unref,
                              esc_client_update_sla_draft_async, cancellable, callback, user_data);
}

EscSlaAgreementVersion *
esc_client_update_sla_draft_finish (EscClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_update_sla_draft_async, error);
}

/**
 * esc_client_get_sla_agreement_version_async:
 * @agreement_id: e.g. "SLA-000001"
 * @version: the version number
 *
 * GET /v1/sla-agreements/{id}/versions/{version}.
 */
void
esc_client_get_sla_agreement_version_async (EscClient           *self,
                                            const char          *agreement_id,
                                            guint                version,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (agreement_id != NULL && version > 0);

  escaped = g_uri_escape_string (agreement_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/sla-agreements/%s/versions/%u", escaped, version);
  esc_client_send_async (self, "GET", path, NULL, NULL, read_version, g_object_unref,
                         esc_client_get_sla_agreement_version_async, cancellable, callback, user_data);
}

/**
 * esc_client_get_sla_agreement_version_finish:
 * @etag: (out) (optional): the version's ETag, for If-Match
 */
EscSlaAgreementVersion *
esc_client_get_sla_agreement_version_finish (EscClient     *self,
                                             GAsyncResult  *result,
                                             char         **etag,
                                             GError       **error)
{
  EscSlaAgreementVersion *version;

  version = esc_client_send_finish (self, result, esc_client_get_sla_agreement_version_async, error);
  if (version != NULL && etag != NULL)
    *etag = g_strdup (esc_client_result_get_etag (result));
  return version;
}

/**
 * esc_client_get_sla_calendar_async:
 * @id: the calendar's id
 *
 * GET /v1/sla-calendars/{id}.
 */
void
esc_client_get_sla_calendar_async (EscClient           *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  escaped = g_uri_escape_string (id, NULL, FALSE);
  path = g_strconcat ("/v1/sla-calendars/", escaped, NULL);
  esc_client_send_async (self, "GET", path, NULL, NULL, read_calendar, g_object_unref,
                         esc_client_get_sla_calendar_async, cancellable, callback, user_data);
}

/**
 * esc_client_get_sla_calendar_finish:
 * @etag: (out) (optional): the calendar's ETag, for If-Match
 */
EscCalendar *
esc_client_get_sla_calendar_finish (EscClient     *self,
                                    GAsyncResult  *result,
                                    char         **etag,
                                    GError       **error)
{
  EscCalendar *calendar;

  calendar = esc_client_send_finish (self, result, esc_client_get_sla_calendar_async, error);
  if (calendar != NULL && etag != NULL)
    *etag = g_strdup (esc_client_result_get_etag (result));
  return calendar;
}

/**
 * esc_client_create_sla_version_async:
 * @agreement_id: e.g. "SLA-000001"
 * @terms: the terms of the next version
 * @idempotency_key: (nullable): the key; a new one if %NULL
 *
 * POST /v1/sla-agreements/{id}/versions (partner managers).
 */
void
esc_client_create_sla_version_async (EscClient              *self,
                                     const char             *agreement_id,
                                     EscSlaAgreementVersion *terms,
                                     const char             *idempotency_key,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (agreement_id != NULL);
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms));

  body = esc_sla_agreement_version_terms_to_json (terms);
  text = json_to_string (body, FALSE);
  escaped = g_uri_escape_string (agreement_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/sla-agreements/%s/versions", escaped);
  key = idempotency_key != NULL ? g_strdup (idempotency_key) : g_uuid_string_random ();
  esc_client_send_async (self, "POST", path, text, key, read_version, g_object_unref,
                         esc_client_create_sla_version_async, cancellable, callback, user_data);
}

EscSlaAgreementVersion *
esc_client_create_sla_version_finish (EscClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_create_sla_version_async, error);
}

/**
 * esc_client_retire_sla_version_async:
 * @agreement_id: e.g. "SLA-000001"
 * @version: the agreed version
 * @if_match: (nullable): the ETag it was read with
 * @idempotency_key: (nullable): the key; a new one if %NULL
 *
 * POST /v1/sla-agreements/{id}/versions/{version}/retire (IT administrators).
 */
void
esc_client_retire_sla_version_async (EscClient           *self,
                                     const char          *agreement_id,
                                     guint                version,
                                     const char          *if_match,
                                     const char          *idempotency_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (agreement_id != NULL && version > 0);

  escaped = g_uri_escape_string (agreement_id, NULL, FALSE);
  path = g_strdup_printf ("/v1/sla-agreements/%s/versions/%u/retire", escaped, version);
  key = idempotency_key != NULL ? g_strdup (idempotency_key) : g_uuid_string_random ();
  esc_client_send_full_async (self, "POST", path, NULL, NULL, if_match, key, read_version, g_object_unref,
                              esc_client_retire_sla_version_async, cancellable, callback, user_data);
}

EscSlaAgreementVersion *
esc_client_retire_sla_version_finish (EscClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_retire_sla_version_async, error);
}
