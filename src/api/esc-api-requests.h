/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "esc-calendar.h"
#include "esc-sla-agreement.h"
#include "esc-support-model.h"

G_BEGIN_DECLS

/* The v1 calls that the client (esc-client-v1.c), the outbox sender and the
 * sync make, built in one place: method, path (ids and query values escaped
 * with g_uri_escape_string(), so a caller's text can never add a segment or a
 * query) and body. */
typedef struct
{
  const char *method;  /* static */
  char       *path;
  JsonNode   *body;    /* (nullable) */
  char       *text;          /* (nullable): a body that is not JSON, of content_type */
  const char *content_type;  /* (nullable): static; NULL for JSON */
  char       *if_match;      /* (nullable): the If-Match header */
} EscApiRequest;

void           esc_api_request_free                   (EscApiRequest  *request);
/* (transfer full): the body as text (the JSON, or the text body), or NULL without one */
char          *esc_api_request_dup_body_text          (EscApiRequest  *request);

/* GET /v1/support-requests?limit=&updated_since=&cursor= (each optional: 0/NULL) */
EscApiRequest *esc_api_request_list_support_requests  (guint           limit,
                                                       const char     *updated_since,
                                                       const char     *cursor);
/* The calls on one request: NULL with ESC_API_ERROR_INVALID_URL if @id is NULL or empty. */
EscApiRequest *esc_api_request_get_support_request    (const char     *id,
                                                       GError        **error);
EscApiRequest *esc_api_request_patch_support_request  (const char     *id,
                                                       JsonNode       *patch,
                                                       GError        **error);
EscApiRequest *esc_api_request_add_comment            (const char     *id,
                                                       const char     *text,
                                                       GError        **error);
EscApiRequest *esc_api_request_reactivate             (const char     *id,
                                                       const char     *reason,
                                                       GError        **error);
/* GET /v1/staff */
EscApiRequest *esc_api_request_list_staff             (void);
/* GET /v1/admin-contacts */
EscApiRequest *esc_api_request_list_admin_contacts    (void);
/* PUT /v1/staff/{id}/designations; @designations (element-type EscDesignation) */
EscApiRequest *esc_api_request_set_designations       (gint64          staff_id,
                                                       GPtrArray      *designations);
/* The same, sent with If-Match: @if_match (nullable) the person's etag as last read */
EscApiRequest *esc_api_request_set_designations_if_match (gint64       staff_id,
                                                       GPtrArray      *designations,
                                                       const char     *if_match);
/* GET /v1/staff/{id} */
EscApiRequest *esc_api_request_get_staff_member       (gint64          staff_id);
/* POST /v1/staff {name, email, team, roles}; @team nullable */
EscApiRequest *esc_api_request_create_staff_member    (const char     *name,
                                                       const char     *email,
                                                       const char     *team,
                                                       const char * const *roles);
/* POST /v1/staff/import, the CSV text as the body (text/csv; charset=utf-8) */
EscApiRequest *esc_api_request_import_staff           (const char     *csv);
/* POST /v1/staff/{id}/remove-access {reason}; @reason nullable */
EscApiRequest *esc_api_request_remove_access          (gint64          staff_id,
                                                       const char     *reason);
/* GET /v1/audit?limit=&after= */
EscApiRequest *esc_api_request_list_audit             (guint           limit,
                                                       const char     *after);

/* GET /v1/support-model */
EscApiRequest *esc_api_request_get_support_model      (void);
/* PUT /v1/support-model; @if_match (nullable): the ETag it was read with */
EscApiRequest *esc_api_request_put_support_model      (EscSupportModel *model,
                                                       const char     *if_match);

/* The SLA endpoints (esc-client-sla.c). Those naming a calendar or an
 * agreement fail with ESC_API_ERROR_INVALID_URL for an empty id or version 0. */
/* GET /v1/sla-calendars */
EscApiRequest *esc_api_request_list_sla_calendars     (void);
/* GET /v1/sla-calendars/{id} */
EscApiRequest *esc_api_request_get_sla_calendar       (const char     *id,
                                                       GError        **error);
/* PUT /v1/sla-calendars/{id}, the calendar's own id; @if_match (nullable) */
EscApiRequest *esc_api_request_put_sla_calendar       (EscCalendar    *calendar,
                                                       const char     *if_match,
                                                       GError        **error);
/* GET /v1/sla-agreements */
EscApiRequest *esc_api_request_list_sla_agreements    (void);
/* POST /v1/sla-agreements, @terms as the body */
EscApiRequest *esc_api_request_create_sla_agreement   (EscSlaAgreementVersion *terms);
/* GET /v1/sla-agreements/{id}: every version */
EscApiRequest *esc_api_request_get_sla_agreement      (const char     *agreement_id,
                                                       GError        **error);
/* POST /v1/sla-agreements/{id}/versions, @terms as the body */
EscApiRequest *esc_api_request_create_sla_version     (const char     *agreement_id,
                                                       EscSlaAgreementVersion *terms,
                                                       GError        **error);
/* GET /v1/sla-agreements/{id}/versions/{version} */
EscApiRequest *esc_api_request_get_sla_version        (const char     *agreement_id,
                                                       guint           version,
                                                       GError        **error);
/* PUT …/versions/{version} of @terms' agreement id and version, its terms as the body */
EscApiRequest *esc_api_request_update_sla_draft       (EscSlaAgreementVersion *terms,
                                                       const char     *if_match,
                                                       GError        **error);
/* POST …/versions/{version}/accept {as}; @as nullable */
EscApiRequest *esc_api_request_accept_sla_version     (const char     *agreement_id,
                                                       guint           version,
                                                       const char     *as,
                                                       const char     *if_match,
                                                       GError        **error);
/* POST …/versions/{version}/retire, no body */
EscApiRequest *esc_api_request_retire_sla_version     (const char     *agreement_id,
                                                       guint           version,
                                                       const char     *if_match,
                                                       GError        **error);

/* Appends "?name=value" or "&name=value", @value escaped; nothing if @value is NULL. */
void           esc_api_path_add_query                 (GString        *path,
                                                       const char     *name,
                                                       const char     *value);
/* The same with "limit"; nothing if @limit is 0. */
void           esc_api_path_add_limit                 (GString        *path,
                                                       guint           limit);

/* Reads a page of a list, {items: [...], <cursor_member>: …}: the items, and
 * the cursor's node (NULL if absent or null; @cursor_member NULL for a whole
 * list). Fails with ESC_API_ERROR_INVALID_RESPONSE. */
gboolean       esc_api_read_page                      (JsonNode       *answer,
                                                       const char     *cursor_member,
                                                       JsonArray     **items,
                                                       JsonNode      **next,
                                                       GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscApiRequest, esc_api_request_free)

G_END_DECLS
