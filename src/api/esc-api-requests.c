/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-api-requests.h"
#include "esc-designation.h"

void
esc_api_request_free (EscApiRequest *request)
{
  if (request == NULL)
    return;

  g_free (request->path);
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request->text);
  g_free (request->if_match);
  g_free (request);
}

char *
esc_api_request_dup_body_text (EscApiRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  if (request->text != NULL)
    return g_strdup (request->text);

  return request->body != NULL ? json_to_string (request->body, FALSE) : NULL;
}

static EscApiRequest *
request_new (const char *method,
             char       *path,
             JsonNode   *body)
{
  EscApiRequest *request = g_new0 (EscApiRequest, 1);

  request->method = method;
  request->path = path;
  request->body = body;
  return request;
}

void
esc_api_path_add_query (GString    *path,
                        const char *name,
                        const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;

  escaped = g_uri_escape_string (value, NULL, FALSE);
  g_string_append_c (path, strchr (path->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (path, "%s=%s", name, escaped);
}

void
esc_api_path_add_limit (GString *path,
                        guint    limit)
{
  g_autofree char *text = NULL;

  if (limit == 0)
    return;

  text = g_strdup_printf ("%u", limit);
  esc_api_path_add_query (path, "limit", text);
}

/* "/v1/support-requests/{id}" and @tail, the id escaped. */
static char *
request_path (const char  *id,
              const char  *tail,
              GError     **error)
{
  g_autofree char *escaped = NULL;

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("“%s” is not the id of a support request"), "");
      return NULL;
    }

  escaped = g_uri_escape_string (id, NULL, FALSE);
  return g_strconcat ("/v1/support-requests/", escaped, tail, NULL);
}

EscApiRequest *
esc_api_request_list_support_requests (guint       limit,
                                       const char *updated_since,
                                       const char *cursor)
{
  GString *path = g_string_new ("/v1/support-requests");

  esc_api_path_add_limit (path, limit);
  esc_api_path_add_query (path, "updated_since", updated_since);
  esc_api_path_add_query (path, "cursor", cursor);
  return request_new ("GET", g_string_free (path, FALSE), NULL);
}

EscApiRequest *
esc_api_request_get_support_request (const char  *id,
                                     GError     **error)
{
  char *path = request_path (id, NULL, error);

  return path != NULL ? request_new ("GET", path, NULL) : NULL;
}

EscApiRequest *
esc_api_request_patch_support_request (const char  *id,
                                       JsonNode    *patch,
                                       GError     **error)
{
  char *path;

  g_return_val_if_fail (patch != NULL, NULL);

  if (!(path = request_path (id, NULL, error)))
    return NULL;

  return request_new ("PATCH", path, json_node_copy (patch));
}

EscApiRequest *
esc_api_request_add_comment (const char  *id,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  char *path;

  g_return_val_if_fail (text != NULL, NULL);

  if (!(path = request_path (id, "/comments", error)))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);

  return request_new ("POST", path, json_builder_get_root (builder));
}

EscApiRequest *
esc_api_request_reactivate (const char  *id,
                            const char  *reason,
                            GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  char *path;

  if (!(path = request_path (id, "/reactivate", error)))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);

  return request_new ("POST", path, json_builder_get_root (builder));
}

EscApiRequest *
esc_api_request_list_staff (void)
{
  return request_new ("GET", g_strdup ("/v1/staff"), NULL);
}

EscApiRequest *
esc_api_request_list_admin_contacts (void)
{
  return request_new ("GET", g_strdup ("/v1/admin-contacts"), NULL);
}

EscApiRequest *
esc_api_request_set_designations (gint64     staff_id,
                                  GPtrArray *designations)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (staff_id > 0, NULL);
  g_return_val_if_fail (designations != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "designations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < designations->len; i++)
    json_builder_add_value (builder, esc_designation_to_json (g_ptr_array_index (designations, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return request_new ("PUT",
                      g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/designations", staff_id),
                      json_builder_get_root (builder));
}

EscApiRequest *
esc_api_request_set_designations_if_match (gint64      staff_id,
                                           GPtrArray  *designations,
                                           const char *if_match)
{
  EscApiRequest *request = esc_api_request_set_designations (staff_id, designations);

  if (request != NULL)
    request->if_match = g_strdup (if_match);
  return request;
}

EscApiRequest *
esc_api_request_get_staff_member (gint64 staff_id)
{
  g_return_val_if_fail (staff_id > 0, NULL);

  return request_new ("GET", g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT, staff_id), NULL);
}

EscApiRequest *
esc_api_request_create_staff_member (const char         *name,
                                     const char         *email,
                                     const char         *team,
                                     const char * const *roles)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (name != NULL && email != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "team");
  if (team != NULL)
    json_builder_add_string_value (builder, team);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    json_builder_add_string_value (builder, roles[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return request_new ("POST", g_strdup ("/v1/staff"), json_builder_get_root (builder));
}

EscApiRequest *
esc_api_request_import_staff (const char *csv)
{
  EscApiRequest *request;

  g_return_val_if_fail (csv != NULL, NULL);

  request = request_new ("POST", g_strdup ("/v1/staff/import"), NULL);
  request->text = g_strdup (csv);
  request->content_type = "text/csv; charset=utf-8";
  return request;
}

EscApiRequest *
esc_api_request_remove_access (gint64      staff_id,
                               const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (staff_id > 0, NULL);

  json_builder_begin_object (builder);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);

  return request_new ("POST",
                      g_strdup_printf ("/v1/staff/%" G_GINT64_FORMAT "/remove-access", staff_id),
                      json_builder_get_root (builder));
}

EscApiRequest *
esc_api_request_list_audit (guint       limit,
                            const char *after)
{
  GString *path = g_string_new ("/v1/audit");

  esc_api_path_add_limit (path, limit);
  esc_api_path_add_query (path, "after", after);
  return request_new ("GET", g_string_free (path, FALSE), NULL);
}

EscApiRequest *
esc_api_request_get_support_model (void)
{
  return request_new ("GET", g_strdup ("/v1/support-model"), NULL);
}

EscApiRequest *
esc_api_request_put_support_model (EscSupportModel *model,
                                   const char      *if_match)
{
  EscApiRequest *request;

  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (model), NULL);

  request = request_new ("PUT", g_strdup ("/v1/support-model"), esc_support_model_body_to_json (model));
  request->if_match = g_strdup (if_match);
  return request;
}

/* @prefix, then @id escaped, then @tail (nullable); NULL with
 * ESC_API_ERROR_INVALID_URL if @id is NULL or empty. */
static char *
id_path (const char  *prefix,
         const char  *id,
         const char  *tail,
         GError     **error)
{
  g_autofree char *escaped = NULL;

  if (id == NULL || *id == '\0')
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("An empty id cannot name anything on the service"));
      return NULL;
    }

  escaped = g_uri_escape_string (id, NULL, FALSE);
  return g_strconcat (prefix, escaped, tail, NULL);
}

/* "/v1/sla-agreements/{id}/versions/{version}" and @tail (nullable) */
static char *
version_path (const char  *agreement_id,
              guint        version,
              const char  *tail,
              GError     **error)
{
  g_autofree char *suffix = NULL;

  if (version == 0)
    {
      g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL,
                   _("Version 0 of an agreement does not exist: versions start at 1"));
      return NULL;
    }

  suffix = g_strdup_printf ("/versions/%u%s", version, tail != NULL ? tail : "");
  return id_path ("/v1/sla-agreements/", agreement_id, suffix, error);
}

EscApiRequest *
esc_api_request_list_sla_calendars (void)
{
  return request_new ("GET", g_strdup ("/v1/sla-calendars"), NULL);
}

EscApiRequest *
esc_api_request_get_sla_calendar (const char  *id,
                                  GError     **error)
{
  char *path = id_path ("/v1/sla-calendars/", id, NULL, error);

  return path != NULL ? request_new ("GET", path, NULL) : NULL;
}

EscApiRequest *
esc_api_request_put_sla_calendar (EscCalendar  *calendar,
                                  const char   *if_match,
                                  GError      **error)
{
  EscApiRequest *request;
  char *path;

  g_return_val_if_fail (ESC_IS_CALENDAR (calendar), NULL);

  if (!(path = id_path ("/v1/sla-calendars/", esc_calendar_get_id (calendar), NULL, error)))
    return NULL;
  request = request_new ("PUT", path, esc_calendar_to_json (calendar));
  request->if_match = g_strdup (if_match);
  return request;
}

EscApiRequest *
esc_api_request_list_sla_agreements (void)
{
  return request_new ("GET", g_strdup ("/v1/sla-agreements"), NULL);
}

EscApiRequest *
esc_api_request_create_sla_agreement (EscSlaAgreementVersion *terms)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms), NULL);

  return request_new ("POST", g_strdup ("/v1/sla-agreements"), esc_sla_agreement_version_terms_to_json (terms));
}

EscApiRequest *
esc_api_request_get_sla_agreement (const char  *agreement_id,
                                   GError     **error)
{
  char *path = id_path ("/v1/sla-agreements/", agreement_id, NULL, error);

  return path != NULL ? request_new ("GET", path, NULL) : NULL;
}

EscApiRequest *
esc_api_request_create_sla_version (const char              *agreement_id,
                                    EscSlaAgreementVersion  *terms,
                                    GError                 **error)
{
  char *path;

  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms), NULL);

  if (!(path = id_path ("/v1/sla-agreements/", agreement_id, "/versions", error)))
    return NULL;
  return request_new ("POST", path, esc_sla_agreement_version_terms_to_json (terms));
}

EscApiRequest *
esc_api_request_get_sla_version (const char  *agreement_id,
                                 guint        version,
                                 GError     **error)
{
  char *path = version_path (agreement_id, version, NULL, error);

  return path != NULL ? request_new ("GET", path, NULL) : NULL;
}

EscApiRequest *
esc_api_request_update_sla_draft (EscSlaAgreementVersion  *terms,
                                  const char              *if_match,
                                  GError                 **error)
{
  EscApiRequest *request;
  char *path;

  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (terms), NULL);

  if (!(path = version_path (esc_sla_agreement_version_get_agreement_id (terms),
                             esc_sla_agreement_version_get_version (terms), NULL, error)))
    return NULL;
  request = request_new ("PUT", path, esc_sla_agreement_version_terms_to_json (terms));
  request->if_match = g_strdup (if_match);
  return request;
}

EscApiRequest *
esc_api_request_accept_sla_version (const char  *agreement_id,
                                    guint        version,
                                    const char  *as,
                                    const char  *if_match,
                                    GError     **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  EscApiRequest *request;
  char *path;

  if (!(path = version_path (agreement_id, version, "/accept", error)))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (as != NULL)
    {
      json_builder_set_member_name (builder, "as");
      json_builder_add_string_value (builder, as);
    }
  json_builder_end_object (builder);

  request = request_new ("POST", path, json_builder_get_root (builder));
  request->if_match = g_strdup (if_match);
  return request;
}

EscApiRequest *
esc_api_request_retire_sla_version (const char  *agreement_id,
                                    guint        version,
                                    const char  *if_match,
                                    GError     **error)
{
  EscApiRequest *request;
  char *path;

  if (!(path = version_path (agreement_id, version, "/retire", error)))
    return NULL;

  request = request_new ("POST", path, NULL);
  request->if_match = g_strdup (if_match);
  return request;
}

gboolean
esc_api_read_page (JsonNode    *answer,
                   const char  *cursor_member,
                   JsonArray  **items,
                   JsonNode   **next,
                   GError     **error)
{
  JsonObject *object;
  JsonNode *node;

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    goto invalid;

  object = json_node_get_object (answer);
  node = json_object_get_member (object, "items");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    goto invalid;
  *items = json_node_get_array (node);

  if (cursor_member != NULL && next != NULL)
    {
      *next = json_object_get_member (object, cursor_member);
      if (*next != NULL && JSON_NODE_HOLDS_NULL (*next))
        *next = NULL;
    }

  return TRUE;

invalid:
  g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                       _("The service sent a list that could not be read"));
  return FALSE;
}
