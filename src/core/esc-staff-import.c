/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-csv.h"
#include "esc-staff-import.h"

#define MAX_NAME_CHARS 200
#define MAX_TEAM_CHARS 100

/* The wire names of the roles (data/api/openapi.yaml); the service's
 * database lists the same ones in a CHECK constraint. */
static const char * const roles[] = {
  "it-admin",
  "partner-manager",
  "support-staff",
  "operator",
  NULL
};

static const char * const header[] = { "name", "email", "team", "roles", NULL };

void
esc_staff_import_row_free (EscStaffImportRow *row)
{
  if (row == NULL)
    return;

  g_free (row->name);
  g_free (row->email);
  g_free (row->team);
  g_strfreev (row->roles);
  g_free (row);
}

G_DEFINE_BOXED_TYPE (EscStaffImportError, esc_staff_import_error,
                     esc_staff_import_error_copy, esc_staff_import_error_free)

EscStaffImportError *
esc_staff_import_error_new (guint       line,
                            const char *reason)
{
  EscStaffImportError *error = g_new0 (EscStaffImportError, 1);

  error->line = line;
  error->reason = g_strdup (reason);
  return error;
}

EscStaffImportError *
esc_staff_import_error_copy (const EscStaffImportError *error)
{
  return esc_staff_import_error_new (error->line, error->reason);
}

void
esc_staff_import_error_free (EscStaffImportError *error)
{
  if (error == NULL)
    return;

  g_free (error->reason);
  g_free (error);
}

const char * const *
esc_staff_roles (void)
{
  return roles;
}

gboolean
esc_staff_role_is_valid (const char *role)
{
  return role != NULL && g_strv_contains (roles, role);
}

static gboolean
is_plain_text (const char *text,
               guint       max_chars,
               gboolean    need_visible)
{
  gboolean has_visible = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max_chars)
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return FALSE;
      if (!g_unichar_isspace (c))
        has_visible = TRUE;
    }

  return has_visible || !need_visible;
}

gboolean
esc_staff_name_is_valid (const char *name)
{
  return is_plain_text (name, MAX_NAME_CHARS, TRUE);
}

gboolean
esc_staff_team_is_valid (const char *team)
{
  return is_plain_text (team, MAX_TEAM_CHARS, FALSE);
}

gboolean
esc_staff_email_is_valid (const char *email)
{
  const char *at;
  const char *domain;
  gsize len;

  if (email == NULL)
    return FALSE;

  len = strlen (email);
  if (len < 3 || len > 254 || !g_utf8_validate (email, -1, NULL))
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>' ||
          *p == ',' || *p == ';' || *p == '"')
        return FALSE;
    }

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;

  domain = at + 1;
  if (domain[0] == '\0' || domain[0] == '.' || domain[0] == '-' ||
      g_str_has_suffix (domain, ".") || strstr (domain, "..") != NULL ||
      strchr (domain, '.') == NULL)
    return FALSE;

  return TRUE;
}

void
esc_staff_import_add_error (GPtrArray  *errors,
                            guint       line,
                            const char *format,
                            ...)
{
  g_autofree char *reason = NULL;
  va_list args;
  guint lo, hi;

  g_return_if_fail (errors != NULL);

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  /* After the last error of the same line or an earlier one: a line's
   * reasons stay in the order they were found. */
  lo = 0;
  hi = errors->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      EscStaffImportError *other = g_ptr_array_index (errors, mid);

      if (other->line <= line)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_ptr_array_insert (errors, (gint)lo, esc_staff_import_error_new (line, reason));
}

static char *
dup_trimmed (const char *text)
{
  return g_strstrip (g_strdup (text));
}

/* Checks one record; returns the row or NULL after adding its errors. */
static EscStaffImportRow *
read_row (EscCsvRecord *record,
          GHashTable   *names,
          GHashTable   *emails,
          GPtrArray    *errors)
{
  g_autoptr(EscStaffImportRow) row = g_new0 (EscStaffImportRow, 1);
  g_autoptr(GStrvBuilder) role_list = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  g_autofree char *email_key = NULL;
  guint n_errors = errors->len;
  guint n_roles = 0;
  gboolean unknown_role = FALSE;
  gpointer other;

  row->line = record->line;

  if (record->n_fields != G_N_ELEMENTS (header) - 1)
    {
      esc_staff_import_add_error (errors, record->line,
                                  ngettext ("%u field where 4 are expected (name, email, team, roles)",
                                            "%u fields where 4 are expected (name, email, team, roles)",
                                            record->n_fields),
                                  record->n_fields);
      return NULL;
    }

  row->name = dup_trimmed (record->fields[0]);
  row->email = dup_trimmed (record->fields[1]);
  row->team = dup_trimmed (record->fields[2]);
  if (row->team[0] == '\0')
    g_clear_pointer (&row->team, g_free);

  if (row->name[0] == '\0')
    esc_staff_import_add_error (errors, record->line, _("the name is empty"));
  else if (!esc_staff_name_is_valid (row->name))
    esc_staff_import_add_error (errors, record->line,
                                _("the name must be at most %d characters of text"), MAX_NAME_CHARS);
  else if ((other = g_hash_table_lookup (names, row->name)) != NULL)
    esc_staff_import_add_error (errors, record->line, _("the name “%s” is already on line %u"),
                                row->name, GPOINTER_TO_UINT (other));
  else
    g_hash_table_insert (names, g_strdup (row->name), GUINT_TO_POINTER (record->line));

  if (row->email[0] == '\0')
    esc_staff_import_add_error (errors, record->line, _("the email address is empty"));
  else if (!esc_staff_email_is_valid (row->email))
    esc_staff_import_add_error (errors, record->line, _("“%s” is not a valid email address"),
                                row->email);
  else
    {
      email_key = g_utf8_casefold (row->email, -1);
      if ((other = g_hash_table_lookup (emails, email_key)) != NULL)
        esc_staff_import_add_error (errors, record->line,
                                    _("the email address %s is already on line %u"),
                                    row->email, GPOINTER_TO_UINT (other));
      else
        g_hash_table_insert (emails, g_steal_pointer (&email_key), GUINT_TO_POINTER (record->line));
    }

  if (row->team != NULL && !esc_staff_team_is_valid (row->team))
    esc_staff_import_add_error (errors, record->line,
                                _("the team must be at most %d characters of text"), MAX_TEAM_CHARS);

  parts = g_strsplit (record->fields[3], ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *role = dup_trimmed (parts[i]);
      gboolean seen = FALSE;

      if (role[0] == '\0')
        continue;
      if (!esc_staff_role_is_valid (role))
        {
          esc_staff_import_add_error (errors, record->line,
                                      /* Translators: the roles are not translated (it-admin, …) */
                                      _("unknown role “%s” (the roles are it-admin, partner-manager, "
                                        "support-staff and operator)"),
                                      role);
          unknown_role = TRUE;
          continue;
        }
      for (guint j = 0; j < i; j++)
        {
          g_autofree char *earlier = dup_trimmed (parts[j]);

          seen = seen || g_strcmp0 (earlier, role) == 0;
        }
      if (!seen)
        {
          g_strv_builder_add (role_list, role);
          n_roles++;
        }
    }
  if (n_roles == 0 && !unknown_role)
    esc_staff_import_add_error (errors, record->line, _("no role is given"));

  if (errors->len != n_errors)
    return NULL;

  row->roles = g_strv_builder_end (role_list);
  return g_steal_pointer (&row);
}

/**
 * esc_staff_import_read:
 * @text: (array length=length): the file
 * @length: its size in bytes
 * @out_errors: (out) (transfer full) (element-type EscStaffImportError): the
 *   bad rows, sorted by line
 *
 * Returns: (transfer full) (element-type EscStaffImportRow): the good rows
 */
GPtrArray *
esc_staff_import_read (const char  *text,
                       gsize        length,
                       GPtrArray  **out_errors)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_staff_import_row_free);
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_staff_import_error_free);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  EscCsvRecord *first;
  guint bad_line = 0;
  gboolean header_ok;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (out_errors != NULL, NULL);

  records = esc_csv_read_full (text, length, ESC_STAFF_IMPORT_MAX_BYTES, ',', &bad_line, &error);
  if (records == NULL)
    {
      /* The message reads "line N: …": the line is in the error's own field. */
      g_ptr_array_add (errors, esc_staff_import_error_new (bad_line, error->message));
      *out_errors = g_steal_pointer (&errors);
      return g_steal_pointer (&rows);
    }

  if (records->len == 0)
    {
      esc_staff_import_add_error (errors, 1, _("the file is empty; its first line must be "
                                               "name,email,team,roles"));
      *out_errors = g_steal_pointer (&errors);
      return g_steal_pointer (&rows);
    }

  first = g_ptr_array_index (records, 0);
  header_ok = first->n_fields == G_N_ELEMENTS (header) - 1;
  for (guint i = 0; header_ok && header[i] != NULL; i++)
    {
      g_autofree char *field = dup_trimmed (first->fields[i]);

      header_ok = g_ascii_strcasecmp (field, header[i]) == 0;
    }
  if (!header_ok)
    esc_staff_import_add_error (errors, first->line,
                                _("the first line must be the header name,email,team,roles"));

  if (records->len == 1)
    esc_staff_import_add_error (errors, first->line, _("no one to import after the header"));
  else if (records->len - 1 > ESC_STAFF_IMPORT_MAX_ROWS)
    esc_staff_import_add_error (errors, first->line,
                                _("more than %d people in one file; split it"),
                                ESC_STAFF_IMPORT_MAX_ROWS);

  for (guint i = 1; i < records->len && records->len - 1 <= ESC_STAFF_IMPORT_MAX_ROWS; i++)
    {
      EscStaffImportRow *row = read_row (g_ptr_array_index (records, i), names, emails, errors);

      if (row != NULL)
        g_ptr_array_add (rows, row);
    }

  *out_errors = g_steal_pointer (&errors);
  return g_steal_pointer (&rows);
}

/**
 * esc_staff_import_errors_to_json:
 * @errors: (element-type EscStaffImportError): the bad rows
 *
 * Returns: (transfer full): the "errors" member of the 422 answer
 */
JsonNode *
esc_staff_import_errors_to_json (GPtrArray *errors)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      EscStaffImportError *error = g_ptr_array_index (errors, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, error->line);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, error->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

/**
 * esc_staff_import_errors_from_json:
 * @node: the "errors" member of a 422 answer
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type EscStaffImportError) (nullable):
 *   the bad rows, or %NULL with %ESC_CORE_ERROR
 */
GPtrArray *
esc_staff_import_errors_from_json (JsonNode  *node,
                                   GError   **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_staff_import_error_free);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("“%s” must be a list"), "errors");
      return NULL;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *line;
      JsonNode *reason;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          (object = json_node_get_object (element)) == NULL ||
          (line = json_object_get_member (object, "line")) == NULL ||
          !JSON_NODE_HOLDS_VALUE (line) ||
          json_node_get_value_type (line) != G_TYPE_INT64 ||
          json_node_get_int (line) < 0 || json_node_get_int (line) > G_MAXUINT ||
          (reason = json_object_get_member (object, "reason")) == NULL ||
          !JSON_NODE_HOLDS_VALUE (reason) ||
          json_node_get_value_type (reason) != G_TYPE_STRING)
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("“%s” must be a list of {line, reason}"), "errors");
          return NULL;
        }

      g_ptr_array_add (errors, esc_staff_import_error_new ((guint)json_node_get_int (line),
                                                           json_node_get_string (reason)));
    }

  return g_steal_pointer (&errors);
}
