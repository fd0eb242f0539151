/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include "esc-compliance.h"
#include "fuzz-common.h"

/* The compliance import's reader (a help desk's CSV export read through a
 * column mapping): any bytes in, tickets or every bad line out. The first
 * byte chooses the separator, the date format and the time zone. Every ticket
 * it returns must make sense to the report, which measures it with the SLA
 * engine. */

static EscComplianceMapping *mappings[2][3][2];
static EscSlaAgreementVersion *version;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char * const zones[] = { "UTC", "Europe/Paris" };
  const EscSlaTargets targets = { 60, 60, 240, FALSE };

  fuzz_make_warnings_fatal ();
  version = esc_sla_agreement_version_new ();
  for (guint s = 0; s < 3; s++)
    esc_sla_agreement_version_set_targets (version, (EscSupportSeverity)s, &targets);

  for (guint sep = 0; sep < 2; sep++)
    for (guint format = 0; format < 3; format++)
      for (guint zone = 0; zone < 2; zone++)
        {
          EscComplianceMapping *m = esc_compliance_mapping_new ("fuzz");

          esc_compliance_mapping_set_separator (m, sep == 0 ? ',' : ';');
          esc_compliance_mapping_set_date_format (m, (EscComplianceDateFormat)format);
          esc_compliance_mapping_set_time_zone (m, zones[zone], NULL);
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_TICKET_ID, "id");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_SEVERITY, "sev");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_CREATED, "created");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_FIRST_RESPONSE, "responded");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_LAST_UPDATE, "updated");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_RESOLVED, "resolved");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_STATUS, "status");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_REOPENED, "reopened");
          esc_compliance_mapping_set_column (m, ESC_COMPLIANCE_FIELD_PAUSED, "paused");
          esc_compliance_mapping_set_severity (m, "P1", ESC_SUPPORT_SEVERITY_A);
          esc_compliance_mapping_set_severity (m, "Majeure", ESC_SUPPORT_SEVERITY_B);
          mappings[sep][format][zone] = m;
        }
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GArray) tickets = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscComplianceReport) report = NULL;
  g_autoptr(EscCalendar) calendar = NULL;
  EscComplianceMapping *mapping;

  if (size < 1)
    return 0;
  mapping = mappings[data[0] & 1][(data[0] >> 1) % 3][(data[0] >> 3) & 1];

  tickets = esc_compliance_parse (mapping, (const char *)data + 1, size - 1, NULL, NULL, NULL,
                                  &problems, &error);
  g_assert ((tickets == NULL) == (error != NULL));
  if (tickets == NULL)
    {
      g_assert (problems != NULL && problems->len > 0);
      return 0;
    }
  g_assert (problems == NULL);

  calendar = esc_calendar_new ("Europe/Paris", NULL);
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    esc_calendar_add_range (calendar, d, 9 * 60, 17 * 60, NULL);
  /* 2100-01-01: tickets created later are refused by the report, the others measured */
  report = esc_compliance_report_new (version, calendar, G_GINT64_CONSTANT (4102444800) * G_USEC_PER_SEC, 5);
  for (guint i = 0; i < tickets->len; i++)
    {
      const EscComplianceTicket *t = &g_array_index (tickets, EscComplianceTicket, i);
      g_autoptr(GError) invalid = NULL;

      g_assert (t->ticket_id != NULL && *t->ticket_id != '\0');
      g_assert (t->created > 0);
      g_assert (t->first_response == 0 || t->first_response >= t->created);
      g_assert (t->resolved == 0 || t->resolved >= t->created);
      g_assert (t->paused >= 0);
      if (t->created > esc_compliance_report_get_now (report))
        {
          g_assert (!esc_compliance_report_add (report, t, &invalid));
          continue;
        }
      if (!esc_compliance_report_add (report, t, &invalid))
        g_error ("Ticket %s (line %u) passed the reader but not the report: %s",
                 t->ticket_id, t->line, invalid->message);
    }
  return 0;
}
