/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-admin-contact.h"
#include "esc-service-contacts.h"
#include "esc-service-staff.h"

/* The organisation keeps one admin contact per area of focus, who is copied
 * on requests and takes over when the primary contact is unreachable. Only
 * it-admin reads and sets them; every change is audited. */

#define MAX_NAME_CHARS 100
#define MAX_EMAIL_CHARS 254
#define MAX_PHONE_CHARS 40
#define MAX_LANGUAGE_CHARS 35

/* In the order the app shows them. */
static const char * const areas[] = {
  "app-packaging",
  "devices",
  "security",
  "it-help-desk",
  "other",
  NULL
};

static const char * const methods[] = { "email", "phone", NULL };

static const char * const contact_members[] = {
  "given_name", "surname", "email", "phone", "preferred_method", "language",
  /* read-only members of AdminContact, accepted back and ignored */
  "area", "updated_at", "updated_by",
  NULL
};

const char * const *
esc_service_contact_areas (void)
{
  return areas;
}

/**
 * esc_service_contact_phone_is_valid:
 * @phone: (nullable): a phone number as people write it
 *
 * Digits (at least 3), spaces and "+-().", an optional leading "+";
 * e.g. "+33 1 23 45 67 89".
 */
gboolean
esc_service_contact_phone_is_valid (const char *phone)
{
  guint digits = 0;

  if (phone == NULL || strlen (phone) > MAX_PHONE_CHARS)
    return FALSE;

  for (const char *p = phone; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+' && p != phone)
        return FALSE;
      else if (*p != '+' && *p != ' ' && *p != '-' && *p != '(' && *p != ')' && *p != '.')
        return FALSE;
    }

  return digits >= 3;
}

/**
 * esc_service_contact_language_is_valid:
 * @language: (nullable): a BCP 47 tag
 *
 * The shape of a tag: a 2 to 8 letter language, then subtags of 1 to 8
 * letters or digits, joined by "-" ("fr", "en-GB", "zh-Hant-TW").
 */
gboolean
esc_service_contact_language_is_valid (const char *language)
{
  g_auto(GStrv) parts = NULL;
  gsize first_length;

  if (language == NULL || language[0] == '\0' || strlen (language) > MAX_LANGUAGE_CHARS)
    return FALSE;

  parts = g_strsplit (language, "-", -1);
  first_length = strlen (parts[0]);
  if (first_length < 2 || first_length > 8)
    return FALSE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gsize length = strlen (parts[i]);

      if (length < 1 || length > 8)
        return FALSE;
      for (const char *p = parts[i]; *p != '\0'; p++)
        {
          if (i == 0 ? !g_ascii_isalpha (*p) : !g_ascii_isalnum (*p))
            return FALSE;
        }
    }

  return TRUE;
}

/* The AdminContact object of the row @stmt is on (area, given_name, surname,
 * email, phone, preferred_method, language, updated_at, updated_by), written
 * by the core codec that the app reads it with. */
static JsonNode *
contact_from_row (EscServiceStmt *stmt)
{
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(EscAdminContact) admin_contact = NULL;
  g_autoptr(GDateTime) updated_at = esc_service_stmt_column_time (stmt, 7);
  EscContactMethod method = ESC_CONTACT_METHOD_EMAIL;

  /* The table's CHECK allows only "email" and "phone". */
  esc_contact_method_from_string (esc_service_stmt_column_text (stmt, 5), &method);
  contact = esc_support_contact_new (esc_service_stmt_column_text (stmt, 1),
                                     esc_service_stmt_column_text (stmt, 2),
                                     esc_service_stmt_column_text (stmt, 3),
                                     esc_service_stmt_column_text (stmt, 4),
                                     method,
                                     esc_service_stmt_column_text (stmt, 6));
  admin_contact = esc_admin_contact_new (esc_service_stmt_column_text (stmt, 0), contact,
                                         updated_at,
                                         !esc_service_stmt_column_is_null (stmt, 9)
                                           ? esc_service_stmt_column_int64 (stmt, 8) : 0,
                                         esc_service_stmt_column_text (stmt, 9));

  return esc_admin_contact_to_json (admin_contact);
}

#define SELECT_CONTACTS \
  "SELECT c.area, c.given_name, c.surname, c.email, c.phone, c.preferred_method," \
  "  c.language, c.updated_at, c.updated_by, p.name" \
  " FROM admin_contacts c LEFT JOIN people p ON p.id = c.updated_by"

/**
 * esc_service_contacts_dup_json:
 * @db: a #EscServiceDb
 * @area: an area of focus, e.g. "devices"
 * @error: return location for a #GError
 *
 * For copying the admin contact on a support request.
 *
 * Returns: (transfer full) (nullable): the area's AdminContact object, or
 *   %NULL (without @error) if the area has no contact
 */
JsonNode *
esc_service_contacts_dup_json (EscServiceDb  *db,
                               const char    *area,
                               GError       **error)
{
  g_autoptr(EscServiceStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ESC_IS_SERVICE_DB (db), NULL);
  g_return_val_if_fail (area != NULL, NULL);

  if (!(stmt = esc_service_db_prepare (db, SELECT_CONTACTS " WHERE c.area = ?1", error)))
    return NULL;
  esc_service_stmt_bind_text (stmt, 1, area);

  rc = esc_service_stmt_step (stmt);
  if (rc == ESC_SERVICE_STMT_ROW)
    return contact_from_row (stmt);
  if (rc != ESC_SERVICE_STMT_DONE)
    esc_service_db_set_error (db, error);

  return NULL;
}

static int
area_position (const char *area)
{
  for (guint i = 0; areas[i] != NULL; i++)
    {
      if (g_strcmp0 (areas[i], area) == 0)
        return (int)i;
    }

  return -1;
}

static int
compare_by_area (gconstpointer a,
                 gconstpointer b)
{
  JsonNode *node_a = *(JsonNode * const *)a;
  JsonNode *node_b = *(JsonNode * const *)b;

  return area_position (json_object_get_string_member (json_node_get_object (node_a), "area")) -
         area_position (json_object_get_string_member (json_node_get_object (node_b), "area"));
}

static void
handle_list_contacts (EscServiceContext *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  if (!(stmt = esc_service_db_prepare (ctx->db, SELECT_CONTACTS, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  while ((rc = esc_service_stmt_step (stmt)) == ESC_SERVICE_STMT_ROW)
    g_ptr_array_add (contacts, contact_from_row (stmt));
  if (rc != ESC_SERVICE_STMT_DONE)
    {
      esc_service_db_set_error (ctx->db, &error);
      esc_service_send_internal_error (ctx, error);
      return;
    }

  g_ptr_array_sort (contacts, compare_by_area);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < contacts->len; i++)
    json_builder_add_value (builder, json_node_ref (contacts->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  esc_service_send_json (ctx, SOUP_STATUS_OK, root);
}

static void
handle_put_contact (EscServiceContext *ctx)
{
  g_auto(EscServiceCheck) check = ESC_SERVICE_CHECK_INIT;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(EscServiceStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *now = esc_service_context_dup_now_string (ctx);
  g_autofree char *target = NULL;
  g_autofree char *lock_key = NULL;
  const char *area = ctx->params[0];
  const char *given_name, *surname, *email, *phone, *method, *language;

  if (!g_strv_contains (areas, area))
    {
      esc_service_send_problem (ctx, SOUP_STATUS_NOT_FOUND, "not-found", "Not Found",
                                "“%s” is not an area of focus; the areas are app-packaging, "
                                "devices, security, it-help-desk and other.", area);
      return;
    }

  if (!(body = esc_service_context_read_object (ctx)))
    return;

  esc_service_check_members (&check, body, "", contact_members);
  given_name = esc_service_check_string (&check, body, "/given_name", ESC_SERVICE_FIELD_REQUIRED,
                                         MAX_NAME_CHARS);
  surname = esc_service_check_string (&check, body, "/surname", ESC_SERVICE_FIELD_REQUIRED,
                                      MAX_NAME_CHARS);
  email = esc_service_check_string (&check, body, "/email", ESC_SERVICE_FIELD_REQUIRED,
                                    MAX_EMAIL_CHARS);
  if (email != NULL && !esc_service_email_is_valid (email))
    esc_service_check_fail (&check, "/email", "“%s” is not an email address.", email);
  phone = esc_service_check_string (&check, body, "/phone", ESC_SERVICE_FIELD_REQUIRED,
                                    MAX_PHONE_CHARS);
  if (phone != NULL && !esc_service_contact_phone_is_valid (phone))
    esc_service_check_fail (&check, "/phone",
                            "“%s” is not a phone number: digits, spaces and + - ( ) . only.",
                            phone);
  method = esc_service_check_enum (&check, body, "/preferred_method", ESC_SERVICE_FIELD_REQUIRED,
                                   methods);
  language = esc_service_check_string (&check, body, "/language", ESC_SERVICE_FIELD_REQUIRED,
                                       MAX_LANGUAGE_CHARS);
  if (language != NULL && !esc_service_contact_language_is_valid (language))
    esc_service_check_fail (&check, "/language",
                            "“%s” is not a BCP 47 language tag such as “fr” or “en-GB”.",
                            language);

  if (!esc_service_check_ok (&check))
    {
      esc_service_send_check (ctx, &check);
      return;
    }

  if (!esc_service_context_begin (ctx))
    return;

  /* The contact replaced, for the audit, is the one read here even when
   * another node changes the same area at the same time. */
  lock_key = g_strconcat ("admin-contact:", area, NULL);
  if (!esc_service_db_lock_key (ctx->db, lock_key, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  before = esc_service_contacts_dup_json (ctx->db, area, &error);
  if (error != NULL)
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  if (!(stmt = esc_service_db_prepare (ctx->db,
                                       "INSERT INTO admin_contacts"
                                       " (area, given_name, surname, email, phone, preferred_method,"
                                       "  language, updated_at, updated_by)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                       " ON CONFLICT (area) DO UPDATE SET given_name = excluded.given_name,"
                                       "  surname = excluded.surname, email = excluded.email,"
                                       "  phone = excluded.phone, preferred_method = excluded.preferred_method,"
                                       "  language = excluded.language, updated_at = excluded.updated_at,"
                                       "  updated_by = excluded.updated_by",
                                       &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }
  esc_service_stmt_bind_text (stmt, 1, area);
  esc_service_stmt_bind_text (stmt, 2, given_name);
  esc_service_stmt_bind_text (stmt, 3, surname);
  esc_service_stmt_bind_text (stmt, 4, email);
  esc_service_stmt_bind_text (stmt, 5, phone);
  esc_service_stmt_bind_text (stmt, 6, method);
  esc_service_stmt_bind_text (stmt, 7, language);
  esc_service_stmt_bind_text (stmt, 8, now);
  esc_service_stmt_bind_int64 (stmt, 9, ctx->caller->id);
  if (!esc_service_db_step_done (ctx->db, stmt, &error) ||
      !(contact = esc_service_contacts_dup_json (ctx->db, area, &error)))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "area");
  json_builder_add_string_value (builder, area);
  json_builder_set_member_name (builder, "contact");
  json_builder_add_value (builder, json_node_ref (contact));
  json_builder_set_member_name (builder, "previous");
  if (before != NULL)
    json_builder_add_value (builder, g_steal_pointer (&before));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  target = g_strconcat ("/v1/admin-contacts/", area, NULL);
  if (!esc_service_context_audit (ctx, "admin-contact.updated", target, details, &error))
    {
      esc_service_send_internal_error (ctx, error);
      return;
    }

  esc_service_context_commit_json (ctx, SOUP_STATUS_OK, contact, NULL);
}

void
esc_service_contacts_register (EscServiceRouter *router)
{
  esc_service_router_add (router, "GET", "/v1/admin-contacts", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_list_contacts);
  esc_service_router_add (router, "PUT", "/v1/admin-contacts/{area}", ESC_SERVICE_ROLE_IT_ADMIN,
                          handle_put_contact);
}
