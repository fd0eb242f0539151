/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-requests.h"
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

/* Sends @request, or reports @error if it is NULL (a path that cannot be
 * built); the key is a new one for a POST without @idempotency_key. */
static void
send_request (EscClient           *self,
              EscApiRequest       *request,
              GError              *error,
              const char          *idempotency_key,
              EscClientDecodeFunc  decode,
              GDestroyNotify       free_result,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;

  if (request == NULL)
    {
      g_task_report_error (self, callback, user_data, source_tag, error);
      return;
    }

  text = esc_api_request_dup_body_text (request);
  if (g_str_equal (request->method, "POST"))
    key = idempotency_key != NULL ? g_strdup (idempotency_key) : g_uuid_string_random ();
  esc_client_send_full_async (self, request->method, request->path, text, request->content_type,
                              request->if_match, key, decode, free_result, source_tag, cancellable,
                              callback, user_data);
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
  g_autoptr(EscApiRequest) request = esc_api_request_list_sla_calendars ();

  send_request (self, request, NULL, NULL, decode_calendars, (GDestroyNotify)g_ptr_array_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  g_return_if_fail (ESC_IS_CALENDAR (calendar));

  request = esc_api_request_put_sla_calendar (calendar, if_match, &error);
  send_request (self, request, error, NULL, read_calendar, g_object_unref,
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
  g_autoptr(EscApiRequest) request = NULL;

  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms));

  request = esc_api_request_create_sla_agreement (terms);
  send_request (self, request, NULL, idempotency_key, read_version, g_object_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  request = esc_api_request_get_sla_agreement (agreement_id, &error);
  send_request (self, request, error, NULL, decode_history, (GDestroyNotify)g_ptr_array_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  request = esc_api_request_accept_sla_version (agreement_id, version, as, if_match, &error);
  send_request (self, request, error, idempotency_key, read_version, g_object_unref,
                esc_client_accept_sla_agreement_version_async, cancellable, callback, user_data);
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
  g_autoptr(EscApiRequest) request = esc_api_request_list_sla_agreements ();

  send_request (self, request, NULL, NULL, decode_agreement_ids, (GDestroyNotify)g_ptr_array_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms));

  request = esc_api_request_update_sla_draft (terms, if_match, &error);
  send_request (self, request, error, NULL, read_version, g_object_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  request = esc_api_request_get_sla_version (agreement_id, version, &error);
  send_request (self, request, error, NULL, read_version, g_object_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  request = esc_api_request_get_sla_calendar (id, &error);
  send_request (self, request, error, NULL, read_calendar, g_object_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms));

  request = esc_api_request_create_sla_version (agreement_id, terms, &error);
  send_request (self, request, error, idempotency_key, read_version, g_object_unref,
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
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  request = esc_api_request_retire_sla_version (agreement_id, version, if_match, &error);
  send_request (self, request, error, idempotency_key, read_version, g_object_unref,
                esc_client_retire_sla_version_async, cancellable, callback, user_data);
}

EscSlaAgreementVersion *
esc_client_retire_sla_version_finish (EscClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_retire_sla_version_async, error);
}

static gpointer
read_support_model (JsonNode  *node,
                    GError   **error)
{
  return esc_support_model_new_from_json (node, FALSE, error);
}

/**
 * esc_client_get_support_model_async:
 *
 * GET /v1/support-model (anyone signed in).
 */
void
esc_client_get_support_model_async (EscClient           *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = esc_api_request_get_support_model ();

  send_request (self, request, NULL, NULL, read_support_model, g_object_unref,
                esc_client_get_support_model_async, cancellable, callback, user_data);
}

/**
 * esc_client_get_support_model_finish:
 * @etag: (out) (optional): its ETag, for If-Match
 */
EscSupportModel *
esc_client_get_support_model_finish (EscClient     *self,
                                     GAsyncResult  *result,
                                     char         **etag,
                                     GError       **error)
{
  EscSupportModel *model;

  model = esc_client_send_finish (self, result, esc_client_get_support_model_async, error);
  if (model != NULL && etag != NULL)
    *etag = g_strdup (esc_client_result_get_etag (result));
  return model;
}

/**
 * esc_client_put_support_model_async:
 * @model: what to set
 * @if_match: (nullable): the ETag it was read with (412 if it changed since)
 *
 * PUT /v1/support-model (IT administrators).
 */
void
esc_client_put_support_model_async (EscClient           *self,
                                    EscSupportModel     *model,
                                    const char          *if_match,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;

  g_return_if_fail (ESC_IS_SUPPORT_MODEL (model));

  request = esc_api_request_put_support_model (model, if_match);
  send_request (self, request, NULL, NULL, read_support_model, g_object_unref,
                esc_client_put_support_model_async, cancellable, callback, user_data);
}

/**
 * esc_client_put_support_model_finish:
 * @etag: (out) (optional): the new ETag
 */
EscSupportModel *
esc_client_put_support_model_finish (EscClient     *self,
                                     GAsyncResult  *result,
                                     char         **etag,
                                     GError       **error)
{
  EscSupportModel *model;

  model = esc_client_send_finish (self, result, esc_client_put_support_model_async, error);
  if (model != NULL && etag != NULL)
    *etag = g_strdup (esc_client_result_get_etag (result));
  return model;
}
