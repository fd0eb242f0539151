/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-compliance-private.h"
#include "esc-core-error.h"
#include "esc-json-read.h"

/* The column mapping of a help desk's CSV export: which column holds each
 * field, how dates read, which severity each of the source's values means;
 * and its stored form (JSON). esc-compliance.c reads the rows with it. */

#define SIGNATURE_SEPARATOR "\x1f"

static const char * const field_names[ESC_COMPLIANCE_N_FIELDS] = {
  "ticket-id", "severity", "created", "first-response", "last-update",
  "resolved", "status", "reopened", "paused",
};

const char *
esc_compliance_field_to_string (EscComplianceField field)
{
  g_return_val_if_fail (field < ESC_COMPLIANCE_N_FIELDS, NULL);

  return field_names[field];
}

static gboolean
field_from_string (const char         *name,
                   EscComplianceField *field)
{
  for (guint i = 0; i < ESC_COMPLIANCE_N_FIELDS; i++)
    {
      if (g_strcmp0 (name, field_names[i]) == 0)
        {
          *field = (EscComplianceField)i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esc_compliance_field_get_label (EscComplianceField field)
{
  switch (field)
    {
    case ESC_COMPLIANCE_FIELD_TICKET_ID:      return _("Ticket ID");
    case ESC_COMPLIANCE_FIELD_SEVERITY:       return _("Severity");
    case ESC_COMPLIANCE_FIELD_CREATED:        return _("Created");
    case ESC_COMPLIANCE_FIELD_FIRST_RESPONSE: return _("First response");
    case ESC_COMPLIANCE_FIELD_LAST_UPDATE:    return _("Last update");
    case ESC_COMPLIANCE_FIELD_RESOLVED:       return _("Resolved");
    case ESC_COMPLIANCE_FIELD_STATUS:         return _("Status");
    case ESC_COMPLIANCE_FIELD_REOPENED:       return _("Reopened");
    case ESC_COMPLIANCE_FIELD_PAUSED:         return _("Time paused");
    case ESC_COMPLIANCE_N_FIELDS:
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
esc_compliance_field_is_required (EscComplianceField field)
{
  return field == ESC_COMPLIANCE_FIELD_TICKET_ID ||
         field == ESC_COMPLIANCE_FIELD_SEVERITY ||
         field == ESC_COMPLIANCE_FIELD_CREATED;
}


G_DEFINE_FINAL_TYPE (EscComplianceMapping, esc_compliance_mapping, G_TYPE_OBJECT)

static void
esc_compliance_mapping_finalize (GObject *object)
{
  EscComplianceMapping *self = ESC_COMPLIANCE_MAPPING (object);

  g_free (self->source);
  g_free (self->time_zone_id);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  for (guint i = 0; i < ESC_COMPLIANCE_N_FIELDS; i++)
    g_free (self->columns[i]);
  g_hash_table_unref (self->values);
  g_free (self->signature);

  G_OBJECT_CLASS (esc_compliance_mapping_parent_class)->finalize (object);
}

static void
esc_compliance_mapping_class_init (EscComplianceMappingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_compliance_mapping_finalize;
}

static void
esc_compliance_mapping_init (EscComplianceMapping *self)
{
  self->separator = ',';
  self->date_format = ESC_COMPLIANCE_DATE_ISO;
  self->time_zone_id = g_strdup ("UTC");
  self->time_zone = g_time_zone_new_utc ();
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Values compare without regard to case or surrounding spaces. */
char *
esc_compliance_fold_value (const char *value)
{
  g_autofree char *stripped = g_strstrip (g_strdup (value != NULL ? value : ""));

  return g_utf8_casefold (stripped, -1);
}

/**
 * esc_compliance_mapping_new:
 * @source: the source's name, as the user calls it ("ServiceNow")
 *
 * Returns: (transfer full): a mapping with no column chosen yet
 */
EscComplianceMapping *
esc_compliance_mapping_new (const char *source)
{
  EscComplianceMapping *self;

  g_return_val_if_fail (source != NULL, NULL);

  self = g_object_new (ESC_TYPE_COMPLIANCE_MAPPING, NULL);
  self->source = g_strdup (source);
  return self;
}

EscComplianceMapping *
esc_compliance_mapping_copy (EscComplianceMapping *self)
{
  EscComplianceMapping *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);

  copy = esc_compliance_mapping_new (self->source);
  copy->separator = self->separator;
  copy->date_format = self->date_format;
  g_free (copy->time_zone_id);
  copy->time_zone_id = g_strdup (self->time_zone_id);
  g_time_zone_unref (copy->time_zone);
  copy->time_zone = g_time_zone_ref (self->time_zone);
  copy->paused_unit = self->paused_unit;
  for (guint i = 0; i < ESC_COMPLIANCE_N_FIELDS; i++)
    copy->columns[i] = g_strdup (self->columns[i]);
  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->values, g_strdup (key), value);
  copy->signature = g_strdup (self->signature);
  return copy;
}

const char *
esc_compliance_mapping_get_source (EscComplianceMapping *self)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);
  return self->source;
}

char
esc_compliance_mapping_get_separator (EscComplianceMapping *self)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), ',');
  return self->separator;
}

void
esc_compliance_mapping_set_separator (EscComplianceMapping *self,
                                      char                  separator)
{
  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));
  g_return_if_fail (separator == ',' || separator == ';');
  self->separator = separator;
}

EscComplianceDateFormat
esc_compliance_mapping_get_date_format (EscComplianceMapping *self)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), ESC_COMPLIANCE_DATE_ISO);
  return self->date_format;
}

void
esc_compliance_mapping_set_date_format (EscComplianceMapping    *self,
                                        EscComplianceDateFormat  format)
{
  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));
  g_return_if_fail (format <= ESC_COMPLIANCE_DATE_MDY);
  self->date_format = format;
}

const char *
esc_compliance_mapping_get_time_zone (EscComplianceMapping *self)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);
  return self->time_zone_id;
}

gboolean
esc_compliance_mapping_set_time_zone (EscComplianceMapping  *self,
                                      const char            *time_zone,
                                      GError               **error)
{
  g_autoptr(EscCalendar) probe = NULL;

  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), FALSE);
  g_return_val_if_fail (time_zone != NULL, FALSE);

  /* The calendar's check: a known IANA name, not an offset GLib would guess */
  probe = esc_calendar_new (time_zone, error);
  if (probe == NULL)
    return FALSE;

  g_free (self->time_zone_id);
  self->time_zone_id = g_strdup (time_zone);
  g_time_zone_unref (self->time_zone);
  self->time_zone = g_time_zone_ref (esc_calendar_get_gtimezone (probe));
  return TRUE;
}

EscCompliancePausedUnit
esc_compliance_mapping_get_paused_unit (EscComplianceMapping *self)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), ESC_COMPLIANCE_PAUSED_MINUTES);
  return self->paused_unit;
}

void
esc_compliance_mapping_set_paused_unit (EscComplianceMapping    *self,
                                        EscCompliancePausedUnit  unit)
{
  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));
  g_return_if_fail (unit <= ESC_COMPLIANCE_PAUSED_HOURS);
  self->paused_unit = unit;
}

const char *
esc_compliance_mapping_get_column (EscComplianceMapping *self,
                                   EscComplianceField    field)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);
  g_return_val_if_fail (field < ESC_COMPLIANCE_N_FIELDS, NULL);
  return self->columns[field];
}

void
esc_compliance_mapping_set_column (EscComplianceMapping *self,
                                   EscComplianceField    field,
                                   const char           *header)
{
  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));
  g_return_if_fail (field < ESC_COMPLIANCE_N_FIELDS);

  g_free (self->columns[field]);
  self->columns[field] = (header != NULL && *header != '\0') ? g_strdup (header) : NULL;
}

GStrv
esc_compliance_mapping_dup_values (EscComplianceMapping *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GList) keys = NULL;

  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);

  keys = g_list_sort (g_hash_table_get_keys (self->values), (GCompareFunc)g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    g_strv_builder_add (builder, l->data);
  return g_strv_builder_end (builder);
}

gboolean
esc_compliance_mapping_lookup_folded (EscComplianceMapping *self,
                                      const char           *folded,
                                      EscSupportSeverity   *severity)
{
  gpointer value;

  if (g_hash_table_lookup_extended (self->values, folded, NULL, &value))
    {
      *severity = (EscSupportSeverity)(GPOINTER_TO_INT (value) - 1);
      return TRUE;
    }
  if (g_str_equal (folded, "a") || g_str_equal (folded, "b") || g_str_equal (folded, "c"))
    {
      *severity = (EscSupportSeverity)(folded[0] - 'a');
      return TRUE;
    }
  return FALSE;
}

gboolean
esc_compliance_mapping_lookup_severity (EscComplianceMapping *self,
                                        const char           *value,
                                        EscSupportSeverity   *severity)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), FALSE);
  g_return_val_if_fail (severity != NULL, FALSE);

  folded = esc_compliance_fold_value (value);
  return esc_compliance_mapping_lookup_folded (self, folded, severity);
}

void
esc_compliance_mapping_set_severity (EscComplianceMapping *self,
                                     const char           *value,
                                     EscSupportSeverity    severity)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));
  g_return_if_fail (value != NULL);
  g_return_if_fail (severity <= ESC_SUPPORT_SEVERITY_C);

  folded = esc_compliance_fold_value (value);
  if (*folded == '\0')
    return;
  g_hash_table_replace (self->values, g_steal_pointer (&folded), GINT_TO_POINTER (severity + 1));
}

void
esc_compliance_mapping_remove_value (EscComplianceMapping *self,
                                     const char           *value)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));

  folded = esc_compliance_fold_value (value);
  g_hash_table_remove (self->values, folded);
}

char *
esc_compliance_signature_for_header (const char * const *fields)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (fields != NULL, NULL);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (fields[i]));

      if (i > 0)
        g_string_append (out, SIGNATURE_SEPARATOR);
      g_string_append (out, stripped);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
esc_compliance_mapping_get_signature (EscComplianceMapping *self)
{
  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);
  return self->signature;
}

void
esc_compliance_mapping_set_header (EscComplianceMapping *self,
                                   const char * const   *fields)
{
  g_return_if_fail (ESC_IS_COMPLIANCE_MAPPING (self));

  g_free (self->signature);
  self->signature = fields != NULL ? esc_compliance_signature_for_header (fields) : NULL;
}

static const char * const date_format_names[] = { "iso", "dmy", "mdy" };
static const char * const paused_unit_names[] = { "minutes", "hours" };
static const char * const severity_names[] = { "A", "B", "C" };

JsonNode *
esc_compliance_mapping_to_json (EscComplianceMapping *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GList) keys = NULL;
  char separator[2] = { 0, };

  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (self), NULL);

  separator[0] = self->separator;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, self->source);
  json_builder_set_member_name (builder, "separator");
  json_builder_add_string_value (builder, separator);
  json_builder_set_member_name (builder, "date_format");
  json_builder_add_string_value (builder, date_format_names[self->date_format]);
  json_builder_set_member_name (builder, "time_zone");
  json_builder_add_string_value (builder, self->time_zone_id);
  json_builder_set_member_name (builder, "paused_unit");
  json_builder_add_string_value (builder, paused_unit_names[self->paused_unit]);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < ESC_COMPLIANCE_N_FIELDS; i++)
    {
      if (self->columns[i] == NULL)
        continue;
      json_builder_set_member_name (builder, field_names[i]);
      json_builder_add_string_value (builder, self->columns[i]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "severities");
  json_builder_begin_object (builder);
  keys = g_list_sort (g_hash_table_get_keys (self->values), (GCompareFunc)g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      int severity = GPOINTER_TO_INT (g_hash_table_lookup (self->values, l->data)) - 1;

      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, severity_names[severity]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "signature");
  if (self->signature != NULL)
    json_builder_add_string_value (builder, self->signature);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
read_name (JsonObject         *object,
           const char         *member,
           const char * const *names,
           guint               n_names,
           guint              *value,
           GError            **error)
{
  const char *text;

  if (!esc_json_read_string (object, member, FALSE, &text, error))
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (text, names[i]) == 0)
        {
          *value = i;
          return TRUE;
        }
    }
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               _("The member “%s” has an unknown value “%s”"), member, text);
  return FALSE;
}

static gboolean
only_members (JsonObject         *object,
              const char * const *allowed,
              GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("The member “%s” is not known"), (const char *)l->data);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_string_object (JsonObject  *object,
                    const char  *member,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GList) members = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("The member “%s” must be an object"), member);
      return FALSE;
    }
  *out = json_node_get_object (node);
  members = json_object_get_members (*out);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (*out, l->data);

      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("The member “%s.%s” must be a string"), member, (const char *)l->data);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * esc_compliance_mapping_new_from_json:
 * @node: the stored form, from esc_compliance_mapping_to_json()
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the mapping, or %NULL with ESC_CORE_ERROR
 */
EscComplianceMapping *
esc_compliance_mapping_new_from_json (JsonNode  *node,
                                      GError   **error)
{
  static const char * const allowed[] = {
    "source", "separator", "date_format", "time_zone", "paused_unit", "columns",
    "severities", "signature", NULL
  };
  g_autoptr(EscComplianceMapping) self = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object, *columns, *severities;
  const char *source, *separator, *time_zone, *signature;
  guint date_format, paused_unit;

  if (!esc_json_require_object (node, "mapping", &object, error) ||
      !only_members (object, allowed, error) ||
      !esc_json_read_string (object, "source", FALSE, &source, error) ||
      !esc_json_read_string (object, "separator", FALSE, &separator, error) ||
      !read_name (object, "date_format", date_format_names, G_N_ELEMENTS (date_format_names),
                  &date_format, error) ||
      !esc_json_read_string (object, "time_zone", FALSE, &time_zone, error) ||
      !read_name (object, "paused_unit", paused_unit_names, G_N_ELEMENTS (paused_unit_names),
                  &paused_unit, error) ||
      !read_string_object (object, "columns", &columns, error) ||
      !read_string_object (object, "severities", &severities, error) ||
      !esc_json_read_string (object, "signature", TRUE, &signature, error))
    return NULL;

  if (g_strcmp0 (separator, ",") != 0 && g_strcmp0 (separator, ";") != 0)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("The separator must be a comma or a semicolon, not “%s”"), separator);
      return NULL;
    }

  self = esc_compliance_mapping_new (source);
  self->separator = separator[0];
  self->date_format = (EscComplianceDateFormat)date_format;
  self->paused_unit = (EscCompliancePausedUnit)paused_unit;
  if (!esc_compliance_mapping_set_time_zone (self, time_zone, error))
    return NULL;

  members = json_object_get_members (columns);
  for (GList *l = members; l != NULL; l = l->next)
    {
      EscComplianceField field;

      if (!field_from_string (l->data, &field))
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("The member “columns.%s” is not known"), (const char *)l->data);
          return NULL;
        }
      esc_compliance_mapping_set_column (self, field,
                                         json_object_get_string_member (columns, l->data));
    }
  g_clear_pointer (&members, g_list_free);

  members = json_object_get_members (severities);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *letter = json_object_get_string_member (severities, l->data);
      EscSupportSeverity severity;

      if (!esc_support_severity_from_string (letter, &severity))
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("The severity of “%s” must be A, B or C, not “%s”"),
                       (const char *)l->data, letter);
          return NULL;
        }
      esc_compliance_mapping_set_severity (self, l->data, severity);
    }

  self->signature = g_strdup (signature);
  return g_steal_pointer (&self);
}

