/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "esc-api-error.h"
#include "esc-api-private.h"
#include "esc-api-requests.h"
#include "esc-client.h"
#include "esc-client-private.h"
#include "esc-time.h"
#include "esc-core-error.h"
#include "esc-json-read.h"

/* The typed endpoints of the v1 API (data/api/openapi.yaml): each builds its
 * request, sends it through esc_client_send_async() and decodes the answer
 * into the objects of core/, store/ or api/. Every error is an ESC_API_ERROR
 * (see esc-api-error.h) or G_IO_ERROR_CANCELLED. A change that must survive a
 * crash goes through the outbox instead (esc-outbox-sender.h); these are for
 * what the user waits for (an elevation, a password) and for tests. */

/* Helpers ------------------------------------------------------------------- */

/* One page of a list: the items and the cursor of the next page. */
typedef struct
{
  GPtrArray *items;
  char      *next;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

typedef gpointer (*ItemFunc) (JsonNode  *node,
                              GError   **error);

/* Reads {items: [...], <next_member>: …}; @next_member NULL for a whole list. */
static Page *
read_page (JsonNode     *root,
           const char   *next_member,
           ItemFunc      read_item,
           GError      **error)
{
  g_autoptr(Page) page = g_new0 (Page, 1);
  JsonObject *object;
  JsonNode *items;
  JsonArray *array;

  if (!esc_json_require_object (root, _("The list"), &object, error))
    return NULL;

  items = json_object_get_member (object, "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("“%s” is missing"), "items");
      return NULL;
    }

  array = json_node_get_array (items);
  page->items = g_ptr_array_new_full (json_array_get_length (array), g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = read_item (json_array_get_element (array, i), error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (page->items, item);
    }

  if (next_member != NULL)
    {
      JsonNode *next = json_object_get_member (object, next_member);

      if (next != NULL && JSON_NODE_HOLDS_VALUE (next))
        {
          if (json_node_get_value_type (next) == G_TYPE_STRING)
            page->next = g_strdup (json_node_get_string (next));
          else if (json_node_get_value_type (next) == G_TYPE_INT64)
            page->next = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (next));
        }
    }

  return g_steal_pointer (&page);
}

static GPtrArray *
finish_page (EscClient     *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             char         **out_next,
             GError       **error)
{
  g_autoptr(Page) page = esc_client_send_finish (self, result, source_tag, error);

  if (out_next != NULL)
    *out_next = NULL;
  if (page == NULL)
    return NULL;

  if (out_next != NULL)
    *out_next = g_steal_pointer (&page->next);

  return g_steal_pointer (&page->items);
}

static char *
to_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* A path segment from a caller: an id such as "SR-000123", escaped so that
 * it can never add a segment or a query. */
static char *
segment (const char *id)
{
  return g_uri_escape_string (id, NULL, FALSE);
}

static const char *
key_or_new (const char  *key,
            char       **owned)
{
  if (key != NULL)
    return key;

  *owned = g_uuid_string_random ();
  return *owned;
}

/* Decoders ------------------------------------------------------------------ */

static gpointer
decode_support_request (JsonNode  *root,
                        GError   **error)
{
  return esc_support_request_new_from_json (root, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, error);
}

static gpointer
decode_support_request_page (JsonNode  *root,
                             GError   **error)
{
  return read_page (root, "next_cursor", decode_support_request, error);
}

static gpointer
decode_event (JsonNode  *root,
              GError   **error)
{
  return esc_support_request_event_new_from_json (root, "", NULL, error);
}

static gpointer
decode_staff_member (JsonNode  *root,
                     GError   **error)
{
  return esc_staff_member_new_from_json (root, error);
}

static gpointer
decode_access_removal (JsonNode  *root,
                       GError   **error)
{
  return esc_staff_access_removal_new_from_json (root, error);
}

/* {"imported": N}: the count, boxed for the task */
static gpointer
decode_imported (JsonNode  *root,
                 GError   **error)
{
  JsonObject *object;
  gint64 imported = 0;

  if (!esc_json_require_object (root, _("The import"), &object, error) ||
      !esc_json_read_int (object, "imported", FALSE, &imported, error))
    return NULL;
  if (imported < 0 || imported > G_MAXUINT)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("“%s” must be a count"), "imported");
      return NULL;
    }

  return g_memdup2 (&(guint){ (guint)imported }, sizeof (guint));
}

static gpointer
decode_staff_list (JsonNode  *root,
                   GError   **error)
{
  return read_page (root, NULL, decode_staff_member, error);
}

static gpointer
decode_device (JsonNode  *root,
               GError   **error)
{
  return esc_device_new_from_json (root, error);
}

static gpointer
decode_device_page (JsonNode  *root,
                    GError   **error)
{
  return read_page (root, "next_cursor", decode_device, error);
}

static gpointer
decode_elevation_request (JsonNode  *root,
                          GError   **error)
{
  return esc_elevation_request_new_from_json (root, error);
}

static gpointer
decode_elevation_page (JsonNode  *root,
                       GError   **error)
{
  return read_page (root, "next_cursor", decode_elevation_request, error);
}

static gpointer
decode_password (JsonNode  *root,
                 GError   **error)
{
  return esc_elevation_password_new_from_json (root, error);
}

static gpointer
decode_admin_contact (JsonNode  *root,
                      GError   **error)
{
  return esc_admin_contact_new_from_json (root, error);
}

static gpointer
decode_admin_contacts (JsonNode  *root,
                       GError   **error)
{
  return read_page (root, NULL, decode_admin_contact, error);
}

static gpointer
decode_audit_event (JsonNode  *root,
                    GError   **error)
{
  return esc_audit_event_new_from_json (root, error);
}

static gpointer
decode_audit_page (JsonNode  *root,
                   GError   **error)
{
  return read_page (root, "next_after", decode_audit_event, error);
}

/* Support requests ---------------------------------------------------------- */

/**
 * esc_client_create_support_request_async:
 * @self: a #EscClient
 * @request: the request to file (its filer's fields)
 * @idempotency_key: (nullable): the key; %NULL for a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the filed request
 * @user_data: data for @callback
 *
 * POST /v1/support-requests. Changes made from the UI go through the outbox.
 */
void
esc_client_create_support_request_async (EscClient           *self,
                                         EscSupportRequest   *request,
                                         const char          *idempotency_key,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *owned_key = NULL;

  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (request));

  body = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  text = to_text (body);
  esc_client_send_async (self, "POST", "/v1/support-requests", text,
                         key_or_new (idempotency_key, &owned_key),
                         decode_support_request, g_object_unref,
                         esc_client_create_support_request_async,
                         cancellable, callback, user_data);
}

/**
 * esc_client_create_support_request_finish:
 *
 * Returns: (transfer full) (nullable): the request as filed: id, state, due time
 */
EscSupportRequest *
esc_client_create_support_request_finish (EscClient     *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_create_support_request_async, error);
}

/**
 * esc_client_list_support_requests_async:
 * @self: a #EscClient
 * @updated_since: (nullable): only requests updated at or after this time
 * @cursor: (nullable): the next cursor of the previous page
 * @limit: the largest page, 0 for the service's default
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the page
 * @user_data: data for @callback
 *
 * GET /v1/support-requests: one page, by update time (without timelines).
 */
void
esc_client_list_support_requests_async (EscClient           *self,
                                        GDateTime           *updated_since,
                                        const char          *cursor,
                                        guint                limit,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autofree char *since = esc_time_format (updated_since);
  g_autoptr(EscApiRequest) request = esc_api_request_list_support_requests (limit, since, cursor);

  esc_client_send_async (self, request->method, request->path, NULL, NULL,
                         decode_support_request_page, (GDestroyNotify)page_free,
                         esc_client_list_support_requests_async,
                         cancellable, callback, user_data);
}

/**
 * esc_client_list_support_requests_finish:
 * @out_next_cursor: (out) (optional) (transfer full) (nullable): the cursor
 *   of the next page, %NULL on the last one
 *
 * Returns: (transfer full) (element-type EscSupportRequest): the page
 */
GPtrArray *
esc_client_list_support_requests_finish (EscClient     *self,
                                         GAsyncResult  *result,
                                         char         **out_next_cursor,
                                         GError       **error)
{
  return finish_page (self, result, esc_client_list_support_requests_async, out_next_cursor, error);
}

/**
 * esc_client_get_support_request_async:
 *
 * GET /v1/support-requests/{id}: one request with its timeline.
 */
void
esc_client_get_support_request_async (EscClient           *self,
                                      const char          *id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;

  g_return_if_fail (id != NULL);

  if (!(request = esc_api_request_get_support_request (id, &error)))
    {
      g_task_report_error (self, callback, user_data, esc_client_get_support_request_async, error);
      return;
    }
  esc_client_send_async (self, request->method, request->path, NULL, NULL,
                         decode_support_request, g_object_unref,
                         esc_client_get_support_request_async,
                         cancellable, callback, user_data);
}

EscSupportRequest *
esc_client_get_support_request_finish (EscClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_get_support_request_async, error);
}

/**
 * esc_client_patch_support_request_async:
 * @patch: a SupportRequestPatch (contact, severity, engagement, notes)
 *
 * PATCH /v1/support-requests/{id} (JSON merge patch).
 */
void
esc_client_patch_support_request_async (EscClient           *self,
                                        const char          *id,
                                        JsonNode            *patch,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  g_return_if_fail (id != NULL && patch != NULL);

  if (!(request = esc_api_request_patch_support_request (id, patch, &error)))
    {
      g_task_report_error (self, callback, user_data, esc_client_patch_support_request_async, error);
      return;
    }
  text = esc_api_request_dup_body_text (request);
  esc_client_send_async (self, request->method, request->path, text, NULL,
                         decode_support_request, g_object_unref,
                         esc_client_patch_support_request_async,
                         cancellable, callback, user_data);
}

EscSupportRequest *
esc_client_patch_support_request_finish (EscClient     *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_patch_support_request_async, error);
}

/**
 * esc_client_add_comment_async:
 *
 * POST /v1/support-requests/{id}/comments.
 */
void
esc_client_add_comment_async (EscClient           *self,
                              const char          *id,
                              const char          *text,
                              const char          *idempotency_key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *owned_key = NULL;
  GError *error = NULL;

  g_return_if_fail (id != NULL && text != NULL);

  if (!(request = esc_api_request_add_comment (id, text, &error)))
    {
      g_task_report_error (self, callback, user_data, esc_client_add_comment_async, error);
      return;
    }
  body_text = esc_api_request_dup_body_text (request);
  esc_client_send_async (self, request->method, request->path, body_text,
                         key_or_new (idempotency_key, &owned_key),
                         decode_event, (GDestroyNotify)esc_support_request_event_free,
                         esc_client_add_comment_async,
                         cancellable, callback, user_data);
}

/**
 * esc_client_add_comment_finish:
 *
 * Returns: (transfer full) (nullable): the new timeline event
 */
EscSupportRequestEvent *
esc_client_add_comment_finish (EscClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_add_comment_async, error);
}

/**
 * esc_client_reactivate_support_request_async:
 * @reason: (nullable): why
 *
 * POST /v1/support-requests/{id}/reactivate: within 24 hours of resolution.
 */
void
esc_client_reactivate_support_request_async (EscClient           *self,
                                             const char          *id,
                                             const char          *reason,
                                             const char          *idempotency_key,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *owned_key = NULL;
  GError *error = NULL;

  g_return_if_fail (id != NULL);

  if (!(request = esc_api_request_reactivate (id, reason, &error)))
    {
      g_task_report_error (self, callback, user_data, esc_client_reactivate_support_request_async, error);
      return;
    }
  body_text = esc_api_request_dup_body_text (request);
  esc_client_send_async (self, request->method, request->path, body_text,
                         key_or_new (idempotency_key, &owned_key),
                         decode_support_request, g_object_unref,
                         esc_client_reactivate_support_request_async,
                         cancellable, callback, user_data);
}

EscSupportRequest *
esc_client_reactivate_support_request_finish (EscClient     *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_reactivate_support_request_async, error);
}

/* Staff and designations ---------------------------------------------------- */

/**
 * esc_client_list_staff_async:
 *
 * GET /v1/staff (IT administrators).
 */
void
esc_client_list_staff_async (EscClient           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  esc_client_send_async (self, "GET", "/v1/staff", NULL, NULL,
                         decode_staff_list, (GDestroyNotify)page_free,
                         esc_client_list_staff_async, cancellable, callback, user_data);
}

/**
 * esc_client_list_staff_finish:
 *
 * Returns: (transfer full) (element-type EscStaffMember): the support staff
 */
GPtrArray *
esc_client_list_staff_finish (EscClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_page (self, result, esc_client_list_staff_async, NULL, error);
}

/**
 * esc_client_set_designations_async:
 * @self: a #EscClient
 * @staff_id: the person's id
 * @designations: (element-type EscDesignation): the whole new set
 * @if_match: (nullable): the person's etag as last read
 *   (esc_staff_member_get_etag()), sent as If-Match; %NULL to overwrite
 *   whatever the service holds
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * PUT /v1/staff/{id}/designations (IT administrators). If the person was
 * changed meanwhile (@if_match is stale), fails with
 * %ESC_API_ERROR_PRECONDITION_FAILED, and
 * esc_api_error_get_current_staff_member() gives the person as they are now.
 */
void
esc_client_set_designations_async (EscClient           *self,
                                   gint64               staff_id,
                                   GPtrArray           *designations,
                                   const char          *if_match,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (staff_id > 0 && designations != NULL);

  request = esc_api_request_set_designations_if_match (staff_id, designations, if_match);
  text = esc_api_request_dup_body_text (request);
  esc_client_send_full_async (self, request->method, request->path, text, NULL, request->if_match,
                              NULL, decode_staff_member, g_object_unref,
                              esc_client_set_designations_async, cancellable, callback, user_data);
}

/**
 * esc_client_set_designations_finish:
 *
 * Returns: (transfer full): the person with their new designations and etag
 */
EscStaffMember *
esc_client_set_designations_finish (EscClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_set_designations_async, error);
}

/**
 * esc_client_get_staff_member_async:
 * @self: a #EscClient
 * @staff_id: the person's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * GET /v1/staff/{id} (IT administrators): one person, with the etag to send
 * back as If-Match (esc_staff_member_get_etag()).
 */
void
esc_client_get_staff_member_async (EscClient           *self,
                                   gint64               staff_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;

  g_return_if_fail (staff_id > 0);

  request = esc_api_request_get_staff_member (staff_id);
  esc_client_send_async (self, request->method, request->path, NULL, NULL,
                         decode_staff_member, g_object_unref,
                         esc_client_get_staff_member_async, cancellable, callback, user_data);
}

/**
 * esc_client_get_staff_member_finish:
 *
 * Returns: (transfer full): the person; %ESC_API_ERROR_NOT_FOUND for an
 *   unknown id
 */
EscStaffMember *
esc_client_get_staff_member_finish (EscClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_get_staff_member_async, error);
}

/**
 * esc_client_create_staff_member_async:
 * @self: a #EscClient
 * @name: the person's name, unique on the service
 * @email: their email address, unique on the service
 * @team: (nullable): their team
 * @roles: (array zero-terminated=1): at least one role ("support-staff", …)
 * @idempotency_key: (nullable): the key; %NULL for a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /v1/staff (IT administrators). A name or email the service knows
 * already fails with %ESC_API_ERROR_CONFLICT; a bad field with
 * %ESC_API_ERROR_UNPROCESSABLE naming it (esc_api_error_get_field()).
 */
void
esc_client_create_staff_member_async (EscClient           *self,
                                      const char          *name,
                                      const char          *email,
                                      const char          *team,
                                      const char * const  *roles,
                                      const char          *idempotency_key,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *text = NULL;
  g_autofree char *owned_key = NULL;

  g_return_if_fail (name != NULL && email != NULL);

  request = esc_api_request_create_staff_member (name, email, team, roles);
  text = esc_api_request_dup_body_text (request);
  esc_client_send_async (self, request->method, request->path, text,
                         key_or_new (idempotency_key, &owned_key),
                         decode_staff_member, g_object_unref,
                         esc_client_create_staff_member_async, cancellable, callback, user_data);
}

/**
 * esc_client_create_staff_member_finish:
 *
 * Returns: (transfer full): the new person
 */
EscStaffMember *
esc_client_create_staff_member_finish (EscClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_create_staff_member_async, error);
}

/**
 * esc_client_import_staff_async:
 * @self: a #EscClient
 * @csv: the file's text: a header line "name,email,team,roles", then one
 *   person a line (several roles separated by ";")
 * @idempotency_key: (nullable): the key; %NULL for a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /v1/staff/import (IT administrators). All or nothing: if any row is
 * bad, nothing is imported and the error (%ESC_API_ERROR_UNPROCESSABLE)
 * lists every bad row with its line (esc_api_error_get_import_errors()).
 */
void
esc_client_import_staff_async (EscClient           *self,
                               const char          *csv,
                               const char          *idempotency_key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *owned_key = NULL;

  g_return_if_fail (csv != NULL);

  request = esc_api_request_import_staff (csv);
  esc_client_send_full_async (self, request->method, request->path, request->text,
                              request->content_type, NULL,
                              key_or_new (idempotency_key, &owned_key),
                              decode_imported, g_free,
                              esc_client_import_staff_async, cancellable, callback, user_data);
}

/**
 * esc_client_import_staff_finish:
 * @out_imported: (out) (optional): how many people were imported
 *
 * Returns: %TRUE if the whole file was imported
 */
gboolean
esc_client_import_staff_finish (EscClient     *self,
                                GAsyncResult  *result,
                                guint         *out_imported,
                                GError       **error)
{
  g_autofree guint *imported = esc_client_send_finish (self, result, esc_client_import_staff_async,
                                                       error);

  if (out_imported != NULL)
    *out_imported = imported != NULL ? *imported : 0;

  return imported != NULL;
}

/**
 * esc_client_remove_access_async:
 * @self: a #EscClient
 * @staff_id: the person's id
 * @reason: (nullable): why, for the audit log
 * @idempotency_key: (nullable): the key; %NULL for a new one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * POST /v1/staff/{id}/remove-access (IT administrators): for a person who
 * leaves, at once and as one audited event: every token revoked, every
 * designation withdrawn, every open elevation request closed and the
 * passwords of those devices rotated; the person is disabled.
 */
void
esc_client_remove_access_async (EscClient           *self,
                                gint64               staff_id,
                                const char          *reason,
                                const char          *idempotency_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *text = NULL;
  g_autofree char *owned_key = NULL;

  g_return_if_fail (staff_id > 0);

  request = esc_api_request_remove_access (staff_id, reason);
  text = esc_api_request_dup_body_text (request);
  esc_client_send_async (self, request->method, request->path, text,
                         key_or_new (idempotency_key, &owned_key),
                         decode_access_removal, (GDestroyNotify)esc_staff_access_removal_free,
                         esc_client_remove_access_async, cancellable, callback, user_data);
}

/**
 * esc_client_remove_access_finish:
 *
 * Returns: (transfer full): the person (disabled) and the counts of what
 *   was ended
 */
EscStaffAccessRemoval *
esc_client_remove_access_finish (EscClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_remove_access_async, error);
}

/* Devices ------------------------------------------------------------------- */

/**
 * esc_client_list_devices_async:
 * @query: (nullable): a part of the name or serial number
 * @cursor: (nullable): the next cursor of the previous page
 * @limit: the largest page, 0 for the service's default
 *
 * GET /v1/devices (designated staff, IT administrators).
 */
void
esc_client_list_devices_async (EscClient           *self,
                               const char          *query,
                               const char          *cursor,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/v1/devices");

  esc_api_path_add_query (path, "query", query);
  esc_api_path_add_query (path, "cursor", cursor);
  esc_api_path_add_limit (path, limit);
  esc_client_send_async (self, "GET", path->str, NULL, NULL,
                         decode_device_page, (GDestroyNotify)page_free,
                         esc_client_list_devices_async, cancellable, callback, user_data);
}

/**
 * esc_client_list_devices_finish:
 * @out_next_cursor: (out) (optional) (transfer full) (nullable): the next page's cursor
 *
 * Returns: (transfer full) (element-type EscDevice): matching devices, by name
 */
GPtrArray *
esc_client_list_devices_finish (EscClient     *self,
                                GAsyncResult  *result,
                                char         **out_next_cursor,
                                GError       **error)
{
  return finish_page (self, result, esc_client_list_devices_async, out_next_cursor, error);
}

/* Elevation ------------------------------------------------------------------ */

/**
 * esc_client_create_elevation_request_async:
 * @ticket_id: the ticket in the organisation's own tool
 * @device: the device's name or serial number
 * @idempotency_key: (nullable): the key; %NULL for a new one
 *
 * POST /v1/elevation-requests (designated elevation staff). Refused when the
 * device is unknown (ESC_API_ERROR_NOT_FOUND), in the test group
 * (ESC_API_ERROR_UNPROCESSABLE) or has too many open requests
 * (ESC_API_ERROR_CONFLICT).
 */
void
esc_client_create_elevation_request_async (EscClient           *self,
                                           const char          *ticket_id,
                                           const char          *device,
                                           const char          *category,
                                           const char          *subcategory,
                                           const char          *title,
                                           const char          *plan_of_action,
                                           const char          *idempotency_key,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *owned_key = NULL;
  const char *members[][2] = {
    { "ticket_id", ticket_id },
    { "device", device },
    { "category", category },
    { "subcategory", subcategory },
    { "title", title },
    { "plan_of_action", plan_of_action },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_return_if_fail (members[i][1] != NULL);
      json_builder_set_member_name (builder, members[i][0]);
      json_builder_add_string_value (builder, members[i][1]);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = to_text (body);

  esc_client_send_async (self, "POST", "/v1/elevation-requests", text,
                         key_or_new (idempotency_key, &owned_key),
                         decode_elevation_request, g_object_unref,
                         esc_client_create_elevation_request_async,
                         cancellable, callback, user_data);
}

EscElevationRequest *
esc_client_create_elevation_request_finish (EscClient     *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_create_elevation_request_async, error);
}

/**
 * esc_client_list_elevation_requests_async:
 * @state: (nullable): "open" or "closed"
 *
 * GET /v1/elevation-requests: the caller's own, newest first.
 */
void
esc_client_list_elevation_requests_async (EscClient           *self,
                                          const char          *state,
                                          const char          *cursor,
                                          guint                limit,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/v1/elevation-requests");

  esc_api_path_add_query (path, "state", state);
  esc_api_path_add_query (path, "cursor", cursor);
  esc_api_path_add_limit (path, limit);
  esc_client_send_async (self, "GET", path->str, NULL, NULL,
                         decode_elevation_page, (GDestroyNotify)page_free,
                         esc_client_list_elevation_requests_async,
                         cancellable, callback, user_data);
}

/**
 * esc_client_list_elevation_requests_finish:
 * @out_next_cursor: (out) (optional) (transfer full) (nullable): the next page's cursor
 *
 * Returns: (transfer full) (element-type EscElevationRequest): the page
 */
GPtrArray *
esc_client_list_elevation_requests_finish (EscClient     *self,
                                           GAsyncResult  *result,
                                           char         **out_next_cursor,
                                           GError       **error)
{
  return finish_page (self, result, esc_client_list_elevation_requests_async, out_next_cursor,
                      error);
}

static void
elevation_action_async (EscClient           *self,
                        const char          *method,
                        const char          *id,
                        const char          *action,
                        const char          *body,
                        const char          *idempotency_key,
                        gpointer             source_tag,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *escaped = segment (id);
  g_autofree char *path = g_strconcat ("/v1/elevation-requests/", escaped, action, NULL);

  esc_client_send_async (self, method, path, body, idempotency_key,
                         decode_elevation_request, g_object_unref, source_tag,
                         cancellable, callback, user_data);
}

/**
 * esc_client_get_elevation_request_async:
 *
 * GET /v1/elevation-requests/{id}.
 */
void
esc_client_get_elevation_request_async (EscClient           *self,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (id != NULL);

  elevation_action_async (self, "GET", id, "", NULL, NULL,
                          esc_client_get_elevation_request_async,
                          cancellable, callback, user_data);
}

EscElevationRequest *
esc_client_get_elevation_request_finish (EscClient     *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_get_elevation_request_async, error);
}

/**
 * esc_client_renew_elevation_request_async:
 * @idempotency_key: (nullable): the key; %NULL for a new one
 *
 * POST /v1/elevation-requests/{id}/renew.
 */
void
esc_client_renew_elevation_request_async (EscClient           *self,
                                          const char          *id,
                                          const char          *idempotency_key,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autofree char *owned_key = NULL;

  g_return_if_fail (id != NULL);

  elevation_action_async (self, "POST", id, "/renew", NULL,
                          key_or_new (idempotency_key, &owned_key),
                          esc_client_renew_elevation_request_async,
                          cancellable, callback, user_data);
}

EscElevationRequest *
esc_client_renew_elevation_request_finish (EscClient     *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_renew_elevation_request_async, error);
}

/**
 * esc_client_close_elevation_request_async:
 * @actions_taken: what was done on the device
 * @idempotency_key: (nullable): the key; %NULL for a new one
 *
 * POST /v1/elevation-requests/{id}/close.
 */
void
esc_client_close_elevation_request_async (EscClient           *self,
                                          const char          *id,
                                          const char          *actions_taken,
                                          const char          *idempotency_key,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autofree char *owned_key = NULL;

  g_return_if_fail (id != NULL && actions_taken != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "actions_taken");
  json_builder_add_string_value (builder, actions_taken);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = to_text (body);

  elevation_action_async (self, "POST", id, "/close", text,
                          key_or_new (idempotency_key, &owned_key),
                          esc_client_close_elevation_request_async,
                          cancellable, callback, user_data);
}

EscElevationRequest *
esc_client_close_elevation_request_finish (EscClient     *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_close_elevation_request_async, error);
}

/**
 * esc_client_get_elevation_password_async:
 *
 * GET /v1/elevation-requests/{id}/password: the device's local administrator
 * account and its current password (every read is audited). The answer is
 * wiped from memory once read; the password lives only in the returned
 * #EscElevationPassword, which wipes it when freed.
 */
void
esc_client_get_elevation_password_async (EscClient           *self,
                                         const char          *id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  escaped = segment (id);
  path = g_strconcat ("/v1/elevation-requests/", escaped, "/password", NULL);
  esc_client_send_secret_async (self, "GET", path,
                                decode_password, (GDestroyNotify)esc_elevation_password_free,
                                esc_client_get_elevation_password_async,
                                cancellable, callback, user_data);
}

/**
 * esc_client_get_elevation_password_finish:
 *
 * Returns: (transfer full) (nullable): free with esc_elevation_password_free()
 */
EscElevationPassword *
esc_client_get_elevation_password_finish (EscClient     *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_get_elevation_password_async, error);
}

/* Admin contacts ------------------------------------------------------------ */

/**
 * esc_client_list_admin_contacts_async:
 *
 * GET /v1/admin-contacts (IT administrators).
 */
void
esc_client_list_admin_contacts_async (EscClient           *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  esc_client_send_async (self, "GET", "/v1/admin-contacts", NULL, NULL,
                         decode_admin_contacts, (GDestroyNotify)page_free,
                         esc_client_list_admin_contacts_async, cancellable, callback, user_data);
}

/**
 * esc_client_list_admin_contacts_finish:
 *
 * Returns: (transfer full) (element-type EscAdminContact): one per area that has one
 */
GPtrArray *
esc_client_list_admin_contacts_finish (EscClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return finish_page (self, result, esc_client_list_admin_contacts_async, NULL, error);
}

/**
 * esc_client_set_admin_contact_async:
 * @area: "app-packaging", "devices", "security", "it-help-desk" or "other"
 * @contact: the contact
 *
 * PUT /v1/admin-contacts/{area} (IT administrators).
 */
void
esc_client_set_admin_contact_async (EscClient               *self,
                                    const char              *area,
                                    const EscSupportContact *contact,
                                    GCancellable            *cancellable,
                                    GAsyncReadyCallback      callback,
                                    gpointer                 user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (area != NULL && contact != NULL);

  body = esc_support_contact_to_json (contact);
  text = to_text (body);
  escaped = segment (area);
  path = g_strconcat ("/v1/admin-contacts/", escaped, NULL);
  esc_client_send_async (self, "PUT", path, text, NULL,
                         decode_admin_contact, g_object_unref,
                         esc_client_set_admin_contact_async, cancellable, callback, user_data);
}

EscAdminContact *
esc_client_set_admin_contact_finish (EscClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return esc_client_send_finish (self, result, esc_client_set_admin_contact_async, error);
}

/* Audit --------------------------------------------------------------------- */

/**
 * esc_client_list_audit_async:
 * @after: only events with a larger id; 0 for all
 * @limit: the largest page, 0 for the service's default
 *
 * GET /v1/audit (IT administrators).
 */
void
esc_client_list_audit_async (EscClient           *self,
                             gint64               after,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new ("/v1/audit");

  if (after > 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, after);

      esc_api_path_add_query (path, "after", text);
    }
  esc_api_path_add_limit (path, limit);
  esc_client_send_async (self, "GET", path->str, NULL, NULL,
                         decode_audit_page, (GDestroyNotify)page_free,
                         esc_client_list_audit_async, cancellable, callback, user_data);
}

/**
 * esc_client_list_audit_finish:
 * @out_next_after: (out) (optional): the id to pass as @after next time, or
 *   -1 when there is nothing more right now
 *
 * Returns: (transfer full) (element-type EscAuditEvent): the events, oldest first
 */
GPtrArray *
esc_client_list_audit_finish (EscClient     *self,
                              GAsyncResult  *result,
                              gint64       *out_next_after,
                              GError       **error)
{
  g_autofree char *next = NULL;
  GPtrArray *items;

  items = finish_page (self, result, esc_client_list_audit_async, &next, error);
  if (out_next_after != NULL)
    *out_next_after = next != NULL ? g_ascii_strtoll (next, NULL, 10) : -1;

  return items;
}
