/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "esc-compliance-private.h"
#include "esc-core-error.h"
#include "esc-csv.h"

/* The reading of a help desk's CSV export through its column mapping
 * (esc-compliance-mapping.c), every line checked; esc-compliance-report.c
 * measures the tickets. */

/* Reading stops at 256 MiB: a help desk's export of several million tickets. */
#define MAX_CSV_SIZE ((gsize)256 * 1024 * 1024)
#define PROGRESS_EVERY 4096

GStrv
esc_compliance_read_header (const char  *text,
                            gsize        length,
                            char        *separator,
                            GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  const char *end, *start = text;
  gsize first_length;
  guint commas = 0, semicolons = 0;
  gboolean quoted = FALSE;
  char sep;
  EscCsvRecord *record;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    start = text + 3;

  /* The first line, up to its end outside quotes */
  for (end = start; end < text + length; end++)
    {
      if (*end == '"')
        quoted = !quoted;
      else if (!quoted && (*end == '\n' || *end == '\r'))
        break;
      else if (!quoted && *end == ',')
        commas++;
      else if (!quoted && *end == ';')
        semicolons++;
    }
  first_length = end - text;

  if (first_length == (gsize)(start - text))
    {
      g_set_error_literal (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                           _("The file is empty: it has no header line"));
      return NULL;
    }

  sep = semicolons > commas ? ';' : ',';
  records = esc_csv_read_full (text, first_length, MAX_CSV_SIZE, sep, NULL, error);
  if (records == NULL)
    return NULL;
  if (records->len == 0)
    {
      g_set_error_literal (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                           _("The file is empty: it has no header line"));
      return NULL;
    }

  record = g_ptr_array_index (records, 0);
  if (separator != NULL)
    *separator = sep;
  return g_strdupv (record->fields);
}

void
esc_compliance_ticket_clear (EscComplianceTicket *ticket)
{
  if (ticket == NULL)
    return;
  g_clear_pointer (&ticket->ticket_id, g_free);
  g_clear_pointer (&ticket->status, g_free);
}

void
esc_compliance_problem_free (EscComplianceProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->reason);
  g_free (problem);
}

/* Dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method) */
static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
read_digits (const char **p,
             guint        min,
             guint        max,
             guint       *value)
{
  guint n = 0, v = 0;

  while (n < max && g_ascii_isdigit ((*p)[n]))
    {
      v = v * 10 + (guint)((*p)[n] - '0');
      n++;
    }
  if (n < min)
    return FALSE;
  *p += n;
  *value = v;
  return TRUE;
}

static void
skip_spaces (const char **p)
{
  while (**p == ' ' || **p == '\t')
    (*p)++;
}

/* The zone offsets of local hours already seen in one parse: a help desk's
 * export has hundreds of thousands of dates in a few thousand hours, and
 * g_time_zone_adjust_time() walks the zone's history at every call. */
#define HOUR_CACHE_SIZE 16384

typedef struct
{
  gint64 hour;      /* local hours since the epoch, + 1 (0: empty) */
  gint32 offset;    /* seconds east of UTC, the same all through the hour */
} HourOffset;

typedef enum
{
  DATE_OK,
  DATE_SYNTAX,
  DATE_DOES_NOT_EXIST,
} DateResult;

/* Parses @text as the mapping's format says; *usec: microseconds since the
 * epoch, UTC. */
/* The offset of the zone at the local time @local (seconds since the epoch
 * as the wall clock reads them); FALSE if @local does not exist. A time the
 * clocks skipped when they went forward (02:30 in Paris on the last Sunday
 * of March) is read with the offset before the change, as most tools do:
 * 03:30 summer time. */
static gboolean
local_offset (GTimeZone  *zone,
              HourOffset *cache,
              gint64      local,
              int        *offset)
{
  gint64 hour = local >= 0 ? local / 3600 : (local - 3599) / 3600;
  HourOffset *slot = cache != NULL ? &cache[(guint64)hour % HOUR_CACHE_SIZE] : NULL;
  gint64 adjusted = local, start, end;
  int interval;

  if (slot != NULL && slot->hour == hour + 1)
    {
      *offset = slot->offset;
      return TRUE;
    }

  interval = g_time_zone_adjust_time (zone, G_TIME_TYPE_STANDARD, &adjusted);
  if (interval < 0)
    return FALSE;
  if (adjusted != local && interval > 0)
    interval--;
  *offset = g_time_zone_get_offset (zone, interval);

  /* Cached only when the whole hour has that one offset */
  if (slot != NULL && adjusted == local)
    {
      start = hour * 3600;
      end = start + 3599;
      if (g_time_zone_adjust_time (zone, G_TIME_TYPE_STANDARD, &start) == interval &&
          start == hour * 3600 &&
          g_time_zone_adjust_time (zone, G_TIME_TYPE_STANDARD, &end) == interval &&
          end == hour * 3600 + 3599)
        {
          slot->hour = hour + 1;
          slot->offset = *offset;
        }
    }
  return TRUE;
}

static DateResult
parse_date (EscComplianceMapping *mapping,
            HourOffset           *cache,
            const char           *text,
            gint64               *usec)
{
  const char *p = text;
  guint year, month, day, hour = 0, minute = 0, second = 0;
  guint a, b;
  gint64 micro = 0;
  gboolean has_offset = FALSE;
  int offset_seconds = 0;
  gint64 local;

  skip_spaces (&p);
  if (mapping->date_format == ESC_COMPLIANCE_DATE_ISO)
    {
      if (!read_digits (&p, 4, 4, &year) || *p++ != '-' ||
          !read_digits (&p, 2, 2, &month) || *p++ != '-' ||
          !read_digits (&p, 2, 2, &day))
        return DATE_SYNTAX;
      if (*p == 'T' || *p == 't')
        p++;
      else
        skip_spaces (&p);
    }
  else
    {
      char sep;

      if (!read_digits (&p, 1, 2, &a))
        return DATE_SYNTAX;
      sep = *p;
      if (sep != '/' && sep != '.' && sep != '-')
        return DATE_SYNTAX;
      p++;
      if (!read_digits (&p, 1, 2, &b) || *p++ != sep || !read_digits (&p, 4, 4, &year))
        return DATE_SYNTAX;
      if (mapping->date_format == ESC_COMPLIANCE_DATE_DMY)
        day = a, month = b;
      else
        month = a, day = b;
      skip_spaces (&p);
    }

  if (g_ascii_isdigit (*p))
    {
      if (!read_digits (&p, 1, 2, &hour) || *p++ != ':' || !read_digits (&p, 2, 2, &minute))
        return DATE_SYNTAX;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, 2, &second))
            return DATE_SYNTAX;
          if (*p == '.' || *p == ',')
            {
              guint scale = 100000;

              p++;
              if (!g_ascii_isdigit (*p))
                return DATE_SYNTAX;
              for (; g_ascii_isdigit (*p); p++)
                {
                  micro += (*p - '0') * scale;
                  scale /= 10;
                }
            }
        }
      skip_spaces (&p);
      if (mapping->date_format == ESC_COMPLIANCE_DATE_MDY &&
          (g_ascii_strncasecmp (p, "AM", 2) == 0 || g_ascii_strncasecmp (p, "PM", 2) == 0))
        {
          gboolean pm = g_ascii_toupper (*p) == 'P';

          if (hour < 1 || hour > 12)
            return DATE_DOES_NOT_EXIST;
          hour = (hour % 12) + (pm ? 12 : 0);
          p += 2;
          skip_spaces (&p);
        }
      if (*p == 'Z' || *p == 'z')
        {
          has_offset = TRUE;
          p++;
        }
      else if (*p == '+' || *p == '-')
        {
          int sign = *p == '-' ? -1 : 1;
          guint oh, om = 0;

          p++;
          if (!read_digits (&p, 2, 2, &oh))
            return DATE_SYNTAX;
          if (*p == ':')
            p++;
          if (g_ascii_isdigit (*p) && !read_digits (&p, 2, 2, &om))
            return DATE_SYNTAX;
          if (oh > 23 || om > 59)
            return DATE_DOES_NOT_EXIST;
          has_offset = TRUE;
          offset_seconds = sign * (int)(oh * 3600 + om * 60);
        }
    }
  skip_spaces (&p);
  if (*p != '\0')
    return DATE_SYNTAX;

  if (year < 1970 || year > 9999 || !g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year) ||
      hour > 23 || minute > 59 || second > 59)
    return DATE_DOES_NOT_EXIST;

  local = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  if (!has_offset && !local_offset (mapping->time_zone, cache, local, &offset_seconds))
    return DATE_DOES_NOT_EXIST;
  *usec = (local - offset_seconds) * G_USEC_PER_SEC + micro;
  return DATE_OK;
}

/* Parsing ---------------------------------------------------------------- */

typedef struct
{
  EscComplianceMapping *mapping;
  GPtrArray *problems;
  GHashTable *severities;    /* raw value → severity + 1: the folding done once a value */
  HourOffset *hours;         /* HOUR_CACHE_SIZE */
} Parser;

static void
add_problem (Parser     *parser,
             guint       line,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
add_problem (Parser     *parser,
             guint       line,
             const char *format,
             ...)
{
  EscComplianceProblem *problem = g_new0 (EscComplianceProblem, 1);
  va_list args;

  va_start (args, format);
  problem->line = line;
  problem->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (parser->problems, problem);
}

static gboolean
read_time_field (Parser              *parser,
                 const EscCsvRecord  *record,
                 int                  column,
                 EscComplianceField   field,
                 gint64              *value)
{
  const char *text;

  *value = 0;
  if (column < 0)
    return TRUE;
  text = record->fields[column];
  while (*text == ' ')
    text++;
  if (*text == '\0')
    return TRUE;

  switch (parse_date (parser->mapping, parser->hours, text, value))
    {
    case DATE_OK:
      return TRUE;
    case DATE_DOES_NOT_EXIST:
      /* Translators: a bad line of an import: the column, and its text */
      add_problem (parser, record->line, _("%s: the date “%s” does not exist"),
                   esc_compliance_field_get_label (field), text);
      return FALSE;
    case DATE_SYNTAX:
    default:
      {
        const char *expected;

        switch (parser->mapping->date_format)
          {
          case ESC_COMPLIANCE_DATE_DMY:
            /* Translators: the date format expected, as the user would type it */
            expected = _("dd/mm/yyyy hh:mm");
            break;
          case ESC_COMPLIANCE_DATE_MDY:
            expected = _("mm/dd/yyyy hh:mm");
            break;
          case ESC_COMPLIANCE_DATE_ISO:
          default:
            expected = _("yyyy-mm-dd hh:mm");
            break;
          }
        /* Translators: a bad line of an import: the column, its text, and the format expected */
        add_problem (parser, record->line, _("%s: “%s” is not a date as %s"),
                     esc_compliance_field_get_label (field), text, expected);
        return FALSE;
      }
    }
}

static gboolean
read_severity (Parser              *parser,
               const EscCsvRecord  *record,
               int                  column,
               EscSupportSeverity  *severity)
{
  const char *text = record->fields[column];
  gpointer cached;
  g_autofree char *folded = NULL;

  if (g_hash_table_lookup_extended (parser->severities, text, NULL, &cached))
    {
      if (cached == NULL)
        goto unknown;
      *severity = (EscSupportSeverity)(GPOINTER_TO_INT (cached) - 1);
      return TRUE;
    }

  folded = esc_compliance_fold_value (text);
  if (esc_compliance_mapping_lookup_folded (parser->mapping, folded, severity))
    {
      g_hash_table_insert (parser->severities, g_strdup (text), GINT_TO_POINTER (*severity + 1));
      return TRUE;
    }
  g_hash_table_insert (parser->severities, g_strdup (text), NULL);

unknown:
  if (*text == '\0')
    add_problem (parser, record->line, _("The severity is empty"));
  else
    /* Translators: a bad line of an import */
    add_problem (parser, record->line,
                 _("The severity “%s” is not mapped to A, B or C"), text);
  return FALSE;
}

static gboolean
read_reopened (Parser              *parser,
               const EscCsvRecord  *record,
               int                  column,
               guint               *reopened)
{
  static const char * const yes[] = { "yes", "y", "true", "oui", "o", "vrai", "x", NULL };
  static const char * const no[] = { "no", "n", "false", "non", "faux", NULL };
  g_autofree char *folded = NULL;
  const char *text;
  char *end;
  guint64 count;

  *reopened = 0;
  if (column < 0)
    return TRUE;
  text = record->fields[column];
  folded = esc_compliance_fold_value (text);
  if (*folded == '\0' || g_strv_contains (no, folded))
    return TRUE;
  if (g_strv_contains (yes, folded))
    {
      *reopened = 1;
      return TRUE;
    }
  count = g_ascii_strtoull (folded, &end, 10);
  if (g_ascii_isdigit (*folded) && *end == '\0' && count < 100000)
    {
      *reopened = (guint)count;
      return TRUE;
    }
  /* Translators: a bad line of an import */
  add_problem (parser, record->line,
               _("Reopened: “%s” is neither a count nor yes or no"), text);
  return FALSE;
}

static gboolean
read_paused (Parser              *parser,
             const EscCsvRecord  *record,
             int                  column,
             GTimeSpan           *paused)
{
  g_autofree char *copy = NULL;
  const char *text;
  char *end, *comma;
  double value;

  *paused = 0;
  if (column < 0)
    return TRUE;
  text = record->fields[column];
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return TRUE;
  /* French exports write "1,5" */
  if ((comma = strchr (copy, ',')) != NULL)
    *comma = '.';
  value = g_ascii_strtod (copy, &end);
  if (*end != '\0' || !g_ascii_isdigit (copy[0]) || value < 0 || value > 1e7)
    {
      /* Translators: a bad line of an import */
      add_problem (parser, record->line, _("Time paused: “%s” is not a number"), text);
      return FALSE;
    }
  *paused = (GTimeSpan)(value * (parser->mapping->paused_unit == ESC_COMPLIANCE_PAUSED_HOURS
                                 ? G_TIME_SPAN_HOUR : G_TIME_SPAN_MINUTE));
  return TRUE;
}

static gboolean
check_order (Parser              *parser,
             guint                line,
             gint64               created,
             gint64               time,
             EscComplianceField   field)
{
  if (time == 0 || time >= created)
    return TRUE;
  /* Translators: a bad line of an import: "First response is before Created" */
  add_problem (parser, line, _("%s is before %s"),
               esc_compliance_field_get_label (field),
               esc_compliance_field_get_label (ESC_COMPLIANCE_FIELD_CREATED));
  return FALSE;
}

static gint
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const EscComplianceProblem *pa = *(EscComplianceProblem * const *)a;
  const EscComplianceProblem *pb = *(EscComplianceProblem * const *)b;

  return (pa->line > pb->line) - (pa->line < pb->line);
}

static void
clear_ticket_cb (gpointer data)
{
  esc_compliance_ticket_clear (data);
}

static gboolean
fail_with_problems (GPtrArray  *problems,
                    GError    **error)
{
  EscComplianceProblem *first;

  g_ptr_array_sort (problems, compare_problems);
  first = g_ptr_array_index (problems, 0);
  if (problems->len == 1)
    /* Translators: an import refused: the line and its reason */
    g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                 _("Nothing was imported: line %u: %s"), first->line, first->reason);
  else
    g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                 g_dngettext (GETTEXT_PACKAGE,
                              "Nothing was imported: %u bad line, the first on line %u: %s",
                              "Nothing was imported: %u bad lines, the first on line %u: %s",
                              problems->len),
                 problems->len, first->line, first->reason);
  return FALSE;
}

GArray *
esc_compliance_parse (EscComplianceMapping       *mapping,
                      const char                 *text,
                      gsize                       length,
                      EscComplianceProgressFunc   progress,
                      gpointer                    progress_data,
                      GCancellable               *cancellable,
                      GPtrArray                 **out_problems,
                      GError                    **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_compliance_problem_free);
  g_autoptr(GHashTable) severities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GArray) tickets = NULL;
  g_autoptr(GError) csv_error = NULL;
  g_autofree HourOffset *hours = g_new0 (HourOffset, HOUR_CACHE_SIZE);
  Parser parser = { mapping, problems, severities, hours };
  EscCsvRecord *header;
  int columns[ESC_COMPLIANCE_N_FIELDS];
  guint bad_line = 0;

  g_return_val_if_fail (ESC_IS_COMPLIANCE_MAPPING (mapping), NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (out_problems != NULL)
    *out_problems = NULL;

  records = esc_csv_read_full (text, length, MAX_CSV_SIZE, mapping->separator, &bad_line, &csv_error);
  if (records == NULL)
    {
      const char *reason = csv_error->message;
      const char *colon = strstr (reason, ": ");

      /* The reader's message says "line N: …": the line is the problem's own */
      if (bad_line > 0 && colon != NULL)
        reason = colon + 2;
      add_problem (&parser, bad_line, "%s", reason);
      goto fail;
    }
  if (records->len == 0)
    {
      add_problem (&parser, 1, _("The file is empty: it has no header line"));
      goto fail;
    }

  header = g_ptr_array_index (records, 0);
  for (guint f = 0; f < ESC_COMPLIANCE_N_FIELDS; f++)
    {
      columns[f] = -1;
      if (mapping->columns[f] == NULL)
        {
          if (esc_compliance_field_is_required ((EscComplianceField)f))
            /* Translators: a bad mapping: a required field has no column */
            add_problem (&parser, header->line, _("No column is chosen for “%s”"),
                         esc_compliance_field_get_label ((EscComplianceField)f));
          continue;
        }
      for (guint c = 0; c < header->n_fields; c++)
        {
          g_autofree char *stripped = g_strstrip (g_strdup (header->fields[c]));

          if (g_strcmp0 (stripped, mapping->columns[f]) == 0)
            {
              columns[f] = (int)c;
              break;
            }
        }
      if (columns[f] < 0)
        /* Translators: the header line lacks a mapped column: its title, then the field */
        add_problem (&parser, header->line, _("The header has no column “%s” (for “%s”)"),
                     mapping->columns[f], esc_compliance_field_get_label ((EscComplianceField)f));
    }
  if (problems->len > 0)
    goto fail;

  tickets = g_array_sized_new (FALSE, TRUE, sizeof (EscComplianceTicket), records->len - 1);
  g_array_set_clear_func (tickets, clear_ticket_cb);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 1; r < records->len; r++)
    {
      EscCsvRecord *record = g_ptr_array_index (records, r);
      EscComplianceTicket ticket = { NULL, };
      gboolean ok = TRUE;
      const char *id;
      gpointer other;

      if (r % PROGRESS_EVERY == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          if (progress != NULL)
            progress (r, records->len - 1, progress_data);
        }

      if (record->n_fields != header->n_fields)
        {
          /* Translators: a bad line of an import */
          add_problem (&parser, record->line,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The line has %u field where the header has %u",
                                    "The line has %u fields where the header has %u",
                                    record->n_fields),
                       record->n_fields, header->n_fields);
          continue;
        }

      id = g_strstrip (record->fields[columns[ESC_COMPLIANCE_FIELD_TICKET_ID]]);
      if (*id == '\0')
        {
          add_problem (&parser, record->line, _("The ticket ID is empty"));
          ok = FALSE;
        }
      else if (g_hash_table_lookup_extended (seen, id, NULL, &other))
        {
          /* Translators: a bad line of an import: the ticket id and the other line */
          add_problem (&parser, record->line, _("The ticket “%s” is already on line %u"),
                       id, GPOINTER_TO_UINT (other));
          ok = FALSE;
        }
      else
        g_hash_table_insert (seen, (gpointer)id, GUINT_TO_POINTER (record->line));

      ok &= read_severity (&parser, record, columns[ESC_COMPLIANCE_FIELD_SEVERITY], &ticket.severity);
      if (*g_strstrip (record->fields[columns[ESC_COMPLIANCE_FIELD_CREATED]]) == '\0')
        {
          add_problem (&parser, record->line, _("The creation date is empty"));
          ok = FALSE;
        }
      else
        ok &= read_time_field (&parser, record, columns[ESC_COMPLIANCE_FIELD_CREATED],
                               ESC_COMPLIANCE_FIELD_CREATED, &ticket.created);
      ok &= read_time_field (&parser, record, columns[ESC_COMPLIANCE_FIELD_FIRST_RESPONSE],
                             ESC_COMPLIANCE_FIELD_FIRST_RESPONSE, &ticket.first_response);
      ok &= read_time_field (&parser, record, columns[ESC_COMPLIANCE_FIELD_LAST_UPDATE],
                             ESC_COMPLIANCE_FIELD_LAST_UPDATE, &ticket.last_update);
      ok &= read_time_field (&parser, record, columns[ESC_COMPLIANCE_FIELD_RESOLVED],
                             ESC_COMPLIANCE_FIELD_RESOLVED, &ticket.resolved);
      ok &= read_reopened (&parser, record, columns[ESC_COMPLIANCE_FIELD_REOPENED], &ticket.reopened);
      ok &= read_paused (&parser, record, columns[ESC_COMPLIANCE_FIELD_PAUSED], &ticket.paused);
      if (ok)
        ok = check_order (&parser, record->line, ticket.created, ticket.first_response,
                          ESC_COMPLIANCE_FIELD_FIRST_RESPONSE) &&
             check_order (&parser, record->line, ticket.created, ticket.last_update,
                          ESC_COMPLIANCE_FIELD_LAST_UPDATE) &&
             check_order (&parser, record->line, ticket.created, ticket.resolved,
                          ESC_COMPLIANCE_FIELD_RESOLVED);
      if (!ok || problems->len > 0)
        continue;  /* nothing kept once a line is bad: only the problems matter */

      ticket.ticket_id = g_strdup (id);
      if (columns[ESC_COMPLIANCE_FIELD_STATUS] >= 0)
        {
          const char *status = g_strstrip (record->fields[columns[ESC_COMPLIANCE_FIELD_STATUS]]);

          ticket.status = *status != '\0' ? g_strdup (status) : NULL;
        }
      ticket.line = record->line;
      g_array_append_val (tickets, ticket);
      // cppcheck-suppress memleak ; the ticket and its strings belong to @tickets now (its clear func frees them)
    }

  if (problems->len > 0)
    goto fail;

  if (progress != NULL)
    progress (records->len - 1, records->len - 1, progress_data);

  return g_steal_pointer (&tickets);

fail:
  fail_with_problems (problems, error);
  if (out_problems != NULL)
    *out_problems = g_steal_pointer (&problems);
  return NULL;
}
