/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-csv.h"
#include "esc-matrix-csv.h"

/* The largest matrix file read: far above any real matrix. */
#define MAX_SIZE (4 * 1024 * 1024)

static const guint tiers[] = {
  ESC_SUPPORT_TIER_1, ESC_SUPPORT_TIER_2, ESC_SUPPORT_TIER_ESCALATION_TEAM,
};

/* esc_csv_append_field() puts an apostrophe before a field that a spreadsheet
 * would run as a formula. So that reading gives back exactly what was written,
 * a field that starts with an apostrophe gets one more, and reading takes one
 * away before a formula character or another apostrophe. */
static char *
protect (const char *field)
{
  if (field != NULL && field[0] == '\'')
    return g_strconcat ("'", field, NULL);

  return g_strdup (field != NULL ? field : "");
}

static const char *
unprotect (const char *field)
{
  if (field[0] == '\'' && field[1] != '\0' && strchr ("=+-@\t\r'", field[1]) != NULL)
    return field + 1;

  return field;
}

char
esc_matrix_csv_guess_separator (const char *text,
                                gsize       length)
{
  guint commas = 0;
  guint semicolons = 0;
  gboolean quoted = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, ',');

  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '"')
        quoted = !quoted;
      else if (!quoted && (text[i] == '\n' || text[i] == '\r'))
        break;
      else if (!quoted && text[i] == ',')
        commas++;
      else if (!quoted && text[i] == ';')
        semicolons++;
    }

  return semicolons > commas ? ';' : ',';
}

static void
append_record (GString   *out,
               GPtrArray *fields,
               char       separator)
{
  g_ptr_array_add (fields, NULL);
  esc_csv_append_record_full (out, (const char * const *)fields->pdata, -1, separator);
  g_ptr_array_set_size (fields, 0);
}

/**
 * esc_roles_csv_write:
 * @parties: the #EscParty of the matrix, in order
 * @responsibilities: the #EscResponsibility rows, in order
 * @separator: ',' or ';'
 *
 * Returns: (transfer full): the CSV text
 */
GBytes *
esc_roles_csv_write (GListModel *parties,
                     GListModel *responsibilities,
                     char        separator)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GString *out = g_string_new (NULL);
  guint n_parties;

  g_return_val_if_fail (G_IS_LIST_MODEL (parties), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (responsibilities), NULL);

  n_parties = g_list_model_get_n_items (parties);

  g_ptr_array_add (fields, g_strdup (_("Party")));
  g_ptr_array_add (fields, g_strdup (_("Responsibility")));
  g_ptr_array_add (fields, g_strdup (_("Areas")));
  for (guint i = 0; i < n_parties; i++)
    {
      g_autoptr(EscParty) party = g_list_model_get_item (parties, i);

      g_ptr_array_add (fields, protect (esc_party_get_name (party)));
      g_hash_table_insert (names, (gpointer)esc_party_get_id (party),
                           (gpointer)esc_party_get_name (party));
    }
  append_record (out, fields, separator);

  for (guint i = 0; i < g_list_model_get_n_items (responsibilities); i++)
    {
      g_autoptr(EscResponsibility) item = g_list_model_get_item (responsibilities, i);
      const char *party_id = esc_responsibility_get_party_id (item);
      const char *name = g_hash_table_lookup (names, party_id);
      g_autofree char *areas = g_strjoinv ("\n", (char **)esc_responsibility_get_areas (item));

      g_ptr_array_add (fields, protect (name != NULL ? name : party_id));
      g_ptr_array_add (fields, protect (esc_responsibility_get_text (item)));
      g_ptr_array_add (fields, protect (areas));
      for (guint j = 0; j < n_parties; j++)
        {
          g_autoptr(EscParty) party = g_list_model_get_item (parties, j);
          EscRaci raci = esc_responsibility_get_raci (item, esc_party_get_id (party));

          g_ptr_array_add (fields, g_strdup (esc_raci_to_letter (raci)));
        }
      append_record (out, fields, separator);
    }

  return g_string_free_to_bytes (out);
}

/* Gathers the faults of the lines, to name them all in one error. */
typedef struct
{
  GString *message;
  guint    n_faults;
  guint    n_lines;
  guint    last_line;
} Faults;

static void
fault (Faults     *faults,
       guint       line,
       const char *format,
       ...) G_GNUC_PRINTF (3, 4);

static void
fault (Faults     *faults,
       guint       line,
       const char *format,
       ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  esc_csv_set_line_error (&error, line, "%s", reason);
  if (faults->message->len > 0)
    g_string_append_c (faults->message, '\n');
  g_string_append (faults->message, error->message);
  faults->n_faults++;
  if (line != faults->last_line)
    faults->n_lines++;
  faults->last_line = line;
}

static gboolean
faults_report (Faults  *faults,
               GError **error)
{
  if (faults->n_faults == 0)
    return TRUE;

  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               g_dngettext (GETTEXT_PACKAGE,
                            "Nothing was imported: %u line is wrong.\n%s",
                            "Nothing was imported: %u lines are wrong.\n%s",
                            faults->n_lines),
               faults->n_lines, faults->message->str);
  return FALSE;
}

static GPtrArray *
read_records (const char  *text,
              gsize        length,
              guint        min_fields,
              GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  EscCsvRecord *header;

  records = esc_csv_read_full (text, length, MAX_SIZE,
                               esc_matrix_csv_guess_separator (text, length), NULL,
                               &local_error);
  if (records == NULL)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("Nothing was imported: %s"), local_error->message);
      return NULL;
    }

  if (records->len == 0)
    {
      g_set_error_literal (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                           _("Nothing was imported: the file is empty."));
      return NULL;
    }

  header = g_ptr_array_index (records, 0);
  if (header->n_fields < min_fields)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("Nothing was imported: line %u: the first line must name the %u columns of the matrix, it has %u"),
                   header->line, min_fields, header->n_fields);
      return NULL;
    }

  return g_steal_pointer (&records);
}

static EscParty *
find_party (GListModel *parties,
            const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (parties); i++)
    {
      g_autoptr(EscParty) party = g_list_model_get_item (parties, i);

      if (g_str_equal (esc_party_get_name (party), name) ||
          g_str_equal (esc_party_get_id (party), name))
        return g_steal_pointer (&party);
    }

  return NULL;
}

static GStrv
split_areas (const char *field)
{
  g_auto(GStrv) lines = g_strsplit (field, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0')
        g_strv_builder_add (builder, lines[i]);
    }

  return g_strv_builder_end (builder);
}

/**
 * esc_roles_csv_read:
 * @text: (array length=length): the file's contents
 * @length: its size
 * @parties: the #EscParty that rows and RACI columns may name
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type EscResponsibility) (nullable): the
 *   rows in order, or %NULL with an error naming every bad line
 */
GPtrArray *
esc_roles_csv_read (const char  *text,
                    gsize        length,
                    GListModel  *parties,
                    GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  Faults faults = { message, 0, 0, 0 };
  EscCsvRecord *header;

  g_return_val_if_fail (G_IS_LIST_MODEL (parties), NULL);

  if (!(records = read_records (text, length, 3, error)))
    return NULL;

  /* The RACI columns, by the party each names */
  header = g_ptr_array_index (records, 0);
  columns = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 3; i < header->n_fields; i++)
    {
      const char *name = unprotect (header->fields[i]);
      EscParty *party = find_party (parties, name);

      if (party == NULL)
        {
          fault (&faults, header->line, _("column %u, “%s”, is not a party of the roles matrix"),
                 i + 1, name);
          continue;
        }
      g_ptr_array_add (columns, party);
    }
  if (!faults_report (&faults, error))
    return NULL;

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 1; i < records->len; i++)
    {
      EscCsvRecord *record = g_ptr_array_index (records, i);
      g_autoptr(EscResponsibility) item = NULL;
      g_autoptr(EscParty) owner = NULL;
      g_auto(GStrv) areas = NULL;
      const char *text_field;
      guint before = faults.n_faults;

      if (record->n_fields != header->n_fields)
        {
          fault (&faults, record->line, _("%u fields where the first line has %u"),
                 record->n_fields, header->n_fields);
          continue;
        }

      owner = find_party (parties, unprotect (record->fields[0]));
      if (owner == NULL)
        fault (&faults, record->line, _("“%s” is not a party of the roles matrix"),
               unprotect (record->fields[0]));

      text_field = unprotect (record->fields[1]);
      if (*text_field == '\0')
        fault (&faults, record->line, _("the responsibility is empty"));

      for (guint j = 0; j < columns->len; j++)
        {
          if (!esc_raci_from_letter (record->fields[j + 3], NULL))
            fault (&faults, record->line,
                   _("“%s” in column %u is not R, A, C, I or empty"),
                   record->fields[j + 3], j + 4);
        }

      if (faults.n_faults > before)
        continue;

      areas = split_areas (unprotect (record->fields[2]));
      item = esc_responsibility_new (0, esc_party_get_id (owner), text_field,
                                     (const char * const *)areas);
      for (guint j = 0; j < columns->len; j++)
        {
          EscRaci raci = ESC_RACI_NONE;

          esc_raci_from_letter (record->fields[j + 3], &raci);
          esc_responsibility_set_raci (item, esc_party_get_id (g_ptr_array_index (columns, j)),
                                       raci);
        }
      g_ptr_array_add (items, g_steal_pointer (&item));
    }

  if (!faults_report (&faults, error))
    return NULL;

  return g_steal_pointer (&items);
}

/**
 * esc_routing_csv_write:
 * @rules: the #EscRoutingRule rows, in order
 * @separator: ',' or ';'
 *
 * Returns: (transfer full): the CSV text
 */
GBytes *
esc_routing_csv_write (GListModel *rules,
                       char        separator)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (G_IS_LIST_MODEL (rules), NULL);

  g_ptr_array_add (fields, g_strdup (_("ID")));
  g_ptr_array_add (fields, g_strdup (_("Category")));
  g_ptr_array_add (fields, g_strdup (_("Examples")));
  g_ptr_array_add (fields, g_strdup (_("Route")));
  g_ptr_array_add (fields, g_strdup (_("Team")));
  g_ptr_array_add (fields, g_strdup (_("How to reach")));
  g_ptr_array_add (fields, g_strdup (_("Contact")));
  g_ptr_array_add (fields, g_strdup (_("Notes")));
  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    g_ptr_array_add (fields, g_strdup (esc_support_tier_get_label (tiers[i])));
  append_record (out, fields, separator);

  for (guint i = 0; i < g_list_model_get_n_items (rules); i++)
    {
      g_autoptr(EscRoutingRule) rule = g_list_model_get_item (rules, i);

      g_ptr_array_add (fields, protect (esc_routing_rule_get_id (rule)));
      g_ptr_array_add (fields, protect (esc_routing_rule_get_problem (rule)));
      g_ptr_array_add (fields, protect (esc_routing_rule_get_example (rule)));
      g_ptr_array_add (fields, g_strdup (esc_routing_destination_to_string (esc_routing_rule_get_destination (rule))));
      g_ptr_array_add (fields, protect (esc_routing_rule_get_team (rule)));
      g_ptr_array_add (fields, g_strdup (esc_routing_reach_to_string (esc_routing_rule_get_reach (rule))));
      g_ptr_array_add (fields, protect (esc_routing_rule_get_reach_address (rule)));
      g_ptr_array_add (fields, protect (esc_routing_rule_get_action (rule)));
      for (guint j = 0; j < G_N_ELEMENTS (tiers); j++)
        g_ptr_array_add (fields, g_strdup ((esc_routing_rule_get_tiers (rule) & tiers[j]) ? "x" : ""));
      append_record (out, fields, separator);
    }

  return g_string_free_to_bytes (out);
}

static const char *
nullable (const char *field)
{
  return *field != '\0' ? field : NULL;
}

/**
 * esc_routing_csv_read:
 * @text: (array length=length): the file's contents
 * @length: its size
 * @error: return location for a #GError
 *
 * A row with an empty ID gets a new one.
 *
 * Returns: (transfer full) (element-type EscRoutingRule) (nullable): the rows
 *   in order, or %NULL with an error naming every bad line
 */
GPtrArray *
esc_routing_csv_read (const char  *text,
                      gsize        length,
                      GError     **error)
{
  const guint n_columns = 8 + G_N_ELEMENTS (tiers);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GString) message = g_string_new (NULL);
  Faults faults = { message, 0, 0, 0 };

  if (!(records = read_records (text, length, n_columns, error)))
    return NULL;

  rules = g_ptr_array_new_with_free_func (g_object_unref);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 1; i < records->len; i++)
    {
      EscCsvRecord *record = g_ptr_array_index (records, i);
      EscRoutingDestination destination = ESC_ROUTING_DESTINATION_OPERATIONS;
      EscRoutingReach reach = ESC_ROUTING_REACH_NONE;
      g_autofree char *id = NULL;
      guint before = faults.n_faults;
      guint allowed = 0;

      if (record->n_fields != n_columns)
        {
          fault (&faults, record->line, _("%u fields where the matrix has %u columns"),
                 record->n_fields, n_columns);
          continue;
        }

      id = g_strdup (unprotect (record->fields[0]));
      if (*id == '\0')
        {
          g_autofree char *uuid = g_uuid_string_random ();

          g_free (id);
          id = g_strconcat ("row-", uuid, NULL);
        }
      if (g_hash_table_contains (seen, id))
        fault (&faults, record->line, _("the ID “%s” is already on another line"), id);
      else
        g_hash_table_add (seen, g_strdup (id));

      if (*unprotect (record->fields[1]) == '\0')
        fault (&faults, record->line, _("the category is empty"));
      if (!esc_routing_destination_from_string (record->fields[3], &destination))
        fault (&faults, record->line,
               _("the route “%s” is not one of operations, hardware-vendor, existing-channel or organisation-team"),
               record->fields[3]);
      if (*unprotect (record->fields[4]) == '\0')
        fault (&faults, record->line, _("the team is empty"));
      if (!esc_routing_reach_from_string (record->fields[5], &reach))
        fault (&faults, record->line,
               _("“%s” is not a way to reach a team (portal, phone, email, url or empty)"),
               record->fields[5]);
      for (guint j = 0; j < G_N_ELEMENTS (tiers); j++)
        {
          const char *mark = record->fields[8 + j];

          if (g_ascii_strcasecmp (mark, "x") == 0)
            allowed |= tiers[j];
          else if (*mark != '\0')
            fault (&faults, record->line, _("“%s” in column %u must be x or empty"), mark, 9 + j);
        }

      if (faults.n_faults > before)
        continue;

      g_ptr_array_add (rules,
                       esc_routing_rule_new_full (id,
                                                  unprotect (record->fields[1]),
                                                  nullable (unprotect (record->fields[2])),
                                                  destination,
                                                  unprotect (record->fields[4]),
                                                  nullable (unprotect (record->fields[7])),
                                                  reach,
                                                  nullable (unprotect (record->fields[6])),
                                                  allowed));
    }

  if (!faults_report (&faults, error))
    return NULL;

  return g_steal_pointer (&rules);
}
