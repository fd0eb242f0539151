/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-calendar.h"
#include "esc-client.h"
#include "esc-sla-agreement.h"
#include "esc-support-model.h"

G_BEGIN_DECLS

/* The SLA endpoints of the v1 API (/v1/sla-calendars, /v1/sla-agreements):
 * calendars and agreement versions, as the core types read them. Errors are
 * ESC_API_ERROR (a 422 names the member at fault) or G_IO_ERROR_CANCELLED. */

void        esc_client_list_sla_calendars_async       (EscClient              *self,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
/* (element-type EscCalendar) */
GPtrArray  *esc_client_list_sla_calendars_finish      (EscClient              *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* GET /v1/sla-calendars/{id}, with its ETag (for If-Match). */
void        esc_client_get_sla_calendar_async         (EscClient              *self,
                                                       const char             *id,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscCalendar *esc_client_get_sla_calendar_finish       (EscClient              *self,
                                                       GAsyncResult           *result,
                                                       char                  **etag,
                                                       GError                **error);
/* PUT /v1/sla-calendars/{id}: @calendar must have an id; @if_match
 * (nullable): the ETag it was read with (412 if it changed since). */
void        esc_client_put_sla_calendar_async         (EscClient              *self,
                                                       EscCalendar            *calendar,
                                                       const char             *if_match,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscCalendar *esc_client_put_sla_calendar_finish       (EscClient              *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* GET /v1/sla-agreements: the agreements' ids, oldest first
 * (element-type utf8). */
void        esc_client_list_sla_agreements_async      (EscClient              *self,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
GPtrArray  *esc_client_list_sla_agreements_finish     (EscClient              *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* GET /v1/sla-agreements/{id}/versions/{version}, with its ETag (for If-Match). */
void        esc_client_get_sla_agreement_version_async (EscClient             *self,
                                                       const char             *agreement_id,
                                                       guint                   version,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSlaAgreementVersion *esc_client_get_sla_agreement_version_finish (EscClient *self,
                                                       GAsyncResult           *result,
                                                       char                  **etag,
                                                       GError                **error);
/* PUT /v1/sla-agreements/{id}/versions/{version} (partner managers): new
 * terms for a draft, from @terms' agreement id and version; @if_match
 * (nullable): the ETag it was read with. */
void        esc_client_update_sla_draft_async         (EscClient              *self,
                                                       EscSlaAgreementVersion *terms,
                                                       const char             *if_match,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSlaAgreementVersion *esc_client_update_sla_draft_finish (EscClient         *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* POST /v1/sla-agreements (partner managers): @terms becomes version 1, a draft. */
void        esc_client_create_sla_agreement_async     (EscClient              *self,
                                                       EscSlaAgreementVersion *terms,
                                                       const char             *idempotency_key,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSlaAgreementVersion *esc_client_create_sla_agreement_finish (EscClient     *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* POST /v1/sla-agreements/{id}/versions (partner managers): @terms become
 * the next version, a draft (409 if the agreement already has one). */
void        esc_client_create_sla_version_async       (EscClient              *self,
                                                       const char             *agreement_id,
                                                       EscSlaAgreementVersion *terms,
                                                       const char             *idempotency_key,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSlaAgreementVersion *esc_client_create_sla_version_finish (EscClient       *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* POST …/versions/{version}/retire (IT administrators): the agreed version
 * stops being in force; @if_match (nullable). */
void        esc_client_retire_sla_version_async       (EscClient              *self,
                                                       const char             *agreement_id,
                                                       guint                   version,
                                                       const char             *if_match,
                                                       const char             *idempotency_key,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSlaAgreementVersion *esc_client_retire_sla_version_finish (EscClient       *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* GET /v1/sla-agreements/{id}: every version, oldest first
 * (element-type EscSlaAgreementVersion). */
void        esc_client_get_sla_agreement_history_async (EscClient             *self,
                                                       const char             *agreement_id,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
GPtrArray  *esc_client_get_sla_agreement_history_finish (EscClient            *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);
/* POST …/versions/{version}/accept; @as: "it-admin", "partner-manager" or
 * NULL (the caller's one side); @if_match (nullable): the ETag the version
 * was read with, so that only the terms read are accepted. */
void        esc_client_accept_sla_agreement_version_async (EscClient          *self,
                                                       const char             *agreement_id,
                                                       guint                   version,
                                                       const char             *as,
                                                       const char             *if_match,
                                                       const char             *idempotency_key,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSlaAgreementVersion *esc_client_accept_sla_agreement_version_finish (EscClient *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);

/* GET /v1/support-model (anyone signed in), with its ETag (for If-Match). */
void        esc_client_get_support_model_async        (EscClient              *self,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSupportModel *esc_client_get_support_model_finish  (EscClient              *self,
                                                       GAsyncResult           *result,
                                                       char                  **etag,
                                                       GError                **error);
/* PUT /v1/support-model (IT administrators); @if_match (nullable): the ETag
 * it was read with (412 if it changed since). */
void        esc_client_put_support_model_async        (EscClient              *self,
                                                       EscSupportModel        *model,
                                                       const char             *if_match,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
EscSupportModel *esc_client_put_support_model_finish  (EscClient              *self,
                                                       GAsyncResult           *result,
                                                       char                  **etag,
                                                       GError                **error);

G_END_DECLS
