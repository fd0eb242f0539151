/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-compliance.h"
#include "esc-core-error.h"

/* The compliance import and report, pure: a help desk's CSV exports read
 * through a column mapping (quotes, a BOM, CRLF, French semicolons with
 * decimal commas and dd/mm/yyyy dates, every bad line named), and the report
 * measured by the SLA engine against hand-computed business times. The office
 * is open 09:00–17:00 Paris time on weekdays and closed on Easter Monday
 * 2026 (6 April); Paris moved to summer time on 29 March 2026. */

#define H G_TIME_SPAN_HOUR
#define M G_TIME_SPAN_MINUTE

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) t = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

static EscCalendar *
paris_office (void)
{
  g_autoptr(GError) error = NULL;
  EscCalendar *calendar = esc_calendar_new ("Europe/Paris", &error);

  g_assert_no_error (error);
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    g_assert_true (esc_calendar_add_range (calendar, d, 9 * 60, 17 * 60, NULL));
  g_assert_true (esc_calendar_add_holiday (calendar, "2026-04-06", "Lundi de Pâques", &error));
  g_assert_no_error (error);
  return calendar;
}

/* A: 1 h / 4 h; B: 4 h / 16 h; C: 3 h / 16 h (first response / resolution) */
static EscSlaAgreementVersion *
agreement (void)
{
  EscSlaAgreementVersion *version = esc_sla_agreement_version_new ();
  const EscSlaTargets a = { 60, 60, 240, FALSE };
  const EscSlaTargets b = { 240, 720, 960, FALSE };
  const EscSlaTargets c = { 180, 1440, 960, FALSE };

  esc_sla_agreement_version_set_agreement_id (version, "support-utilisateurs");
  esc_sla_agreement_version_set_version (version, 2);
  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_A, &a);
  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_B, &b);
  esc_sla_agreement_version_set_targets (version, ESC_SUPPORT_SEVERITY_C, &c);
  return version;
}

static EscComplianceMapping *
french_mapping (void)
{
  g_autoptr(GError) error = NULL;
  EscComplianceMapping *mapping = esc_compliance_mapping_new ("GLPI Paris");

  esc_compliance_mapping_set_separator (mapping, ';');
  esc_compliance_mapping_set_date_format (mapping, ESC_COMPLIANCE_DATE_DMY);
  g_assert_true (esc_compliance_mapping_set_time_zone (mapping, "Europe/Paris", &error));
  g_assert_no_error (error);
  esc_compliance_mapping_set_paused_unit (mapping, ESC_COMPLIANCE_PAUSED_HOURS);
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_TICKET_ID, "N° ticket");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_SEVERITY, "Priorité");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_CREATED, "Ouvert le");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_FIRST_RESPONSE, "Prise en charge");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_RESOLVED, "Résolu le");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_STATUS, "Statut");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_REOPENED, "Réouvert");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_PAUSED, "Attente (h)");
  esc_compliance_mapping_set_severity (mapping, "Critique", ESC_SUPPORT_SEVERITY_A);
  esc_compliance_mapping_set_severity (mapping, "Majeure", ESC_SUPPORT_SEVERITY_B);
  esc_compliance_mapping_set_severity (mapping, "Mineure", ESC_SUPPORT_SEVERITY_C);
  return mapping;
}

/* A French export: BOM, CRLF, semicolons, a quoted status over two lines,
 * dd/mm/yyyy in Paris time, hours paused with a decimal comma. */
static const char french_csv[] =
  "\xef\xbb\xbf" "N° ticket;Priorité;Ouvert le;Prise en charge;Résolu le;Statut;Réouvert;Attente (h)\r\n"
  /* over a weekend: Fri 16:00 → Mon 10:00 is 2 h; resolved Tue 12:00, 12 h */
  "INC-1;Majeure;06/03/2026 16:00;09/03/2026 10:00;10/03/2026 12:00;\"Résolu; clos\";non;\r\n"
  /* paused 2.5 h of a 6 h resolution: 3.5 h, within A's 4 h */
  "INC-2; critique ;11/03/2026 09:00;11/03/2026 09:30;11/03/2026 15:00;\"Résolu\r\n(attente client)\";1;2,5\r\n"
  /* over Easter Monday: Fri 15:00 → Tue 11:00 is 4 h, 1 h past C's 3 h */
  "INC-3;Mineure;03/04/2026 15:00;07/04/2026 11:00;07/04/2026 16:00;Résolu;oui;0\r\n"
  /* open, 2 h old at the report's moment */
  "INC-4;C;30/04/2026 10:00;;;En cours;;\r\n"
  /* open, no response: 11 h, 7 h past B's 4 h */
  "INC-5;Majeure;29/04/2026 09:00;;;Nouveau;0;\r\n";

static void
test_mapping_json (void)
{
  g_autoptr(EscComplianceMapping) mapping = french_mapping ();
  g_autoptr(EscComplianceMapping) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) values = NULL;
  const char *header[] = { "N° ticket", " Priorité ", "Ouvert le", NULL };
  EscSupportSeverity severity;

  esc_compliance_mapping_set_header (mapping, header);
  node = esc_compliance_mapping_to_json (mapping);
  back = esc_compliance_mapping_new_from_json (node, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (esc_compliance_mapping_get_source (back), ==, "GLPI Paris");
  g_assert_cmpuint ((guchar) esc_compliance_mapping_get_separator (back), ==, ';');
  g_assert_cmpint (esc_compliance_mapping_get_date_format (back), ==, ESC_COMPLIANCE_DATE_DMY);
  g_assert_cmpstr (esc_compliance_mapping_get_time_zone (back), ==, "Europe/Paris");
  g_assert_cmpint (esc_compliance_mapping_get_paused_unit (back), ==, ESC_COMPLIANCE_PAUSED_HOURS);
  g_assert_cmpstr (esc_compliance_mapping_get_column (back, ESC_COMPLIANCE_FIELD_PAUSED), ==, "Attente (h)");
  g_assert_null (esc_compliance_mapping_get_column (back, ESC_COMPLIANCE_FIELD_LAST_UPDATE));
  g_assert_cmpstr (esc_compliance_mapping_get_signature (back), ==,
                   "N° ticket\x1fPriorité\x1fOuvert le");
  values = esc_compliance_mapping_dup_values (back);
  g_assert_cmpuint (g_strv_length (values), ==, 3);
  g_assert_true (esc_compliance_mapping_lookup_severity (back, "  MAJEURE", &severity));
  g_assert_cmpint (severity, ==, ESC_SUPPORT_SEVERITY_B);
  g_assert_true (esc_compliance_mapping_lookup_severity (back, "c", &severity));
  g_assert_cmpint (severity, ==, ESC_SUPPORT_SEVERITY_C);
  g_assert_false (esc_compliance_mapping_lookup_severity (back, "P9", &severity));

  /* Strict: an unknown member, a bad severity letter, a made-up zone */
  bad = json_from_string ("{\"source\": \"x\", \"separator\": \",\", \"date_format\": \"iso\","
                          " \"time_zone\": \"UTC\", \"paused_unit\": \"minutes\", \"columns\": {},"
                          " \"severities\": {}, \"signature\": null, \"extra\": 1}", NULL);
  g_assert_null (esc_compliance_mapping_new_from_json (bad, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_clear_pointer (&bad, json_node_unref);
  bad = json_from_string ("{\"source\": \"x\", \"separator\": \",\", \"date_format\": \"iso\","
                          " \"time_zone\": \"UTC\", \"paused_unit\": \"minutes\", \"columns\": {},"
                          " \"severities\": {\"p1\": \"D\"}, \"signature\": null}", NULL);
  g_assert_null (esc_compliance_mapping_new_from_json (bad, &error));
  g_assert_nonnull (strstr (error->message, "p1"));
  g_clear_error (&error);
  g_assert_false (esc_compliance_mapping_set_time_zone (back, "Mars/Olympus_Mons", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (esc_compliance_mapping_get_time_zone (back), ==, "Europe/Paris");
}

static void
test_read_header (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) header = NULL;
  char separator = 0;

  header = esc_compliance_read_header (french_csv, strlen (french_csv), &separator, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((guchar) separator, ==, ';');
  g_assert_cmpuint (g_strv_length (header), ==, 8);
  g_assert_cmpstr (header[0], ==, "N° ticket");
  g_assert_cmpstr (header[7], ==, "Attente (h)");
  g_clear_pointer (&header, g_strfreev);

  header = esc_compliance_read_header ("\"Id, number\",Severity,Opened\nx,y,z\n", 35, &separator, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((guchar) separator, ==, ',');
  g_assert_cmpstr (header[0], ==, "Id, number");
  g_clear_pointer (&header, g_strfreev);

  g_assert_null (esc_compliance_read_header ("\xef\xbb\xbf", 3, &separator, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
}

static void
test_parse_french (void)
{
  g_autoptr(EscComplianceMapping) mapping = french_mapping ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) tickets = NULL;
  const EscComplianceTicket *t;

  tickets = esc_compliance_parse (mapping, french_csv, strlen (french_csv), NULL, NULL, NULL,
                                  &problems, &error);
  g_assert_no_error (error);
  g_assert_null (problems);
  g_assert_cmpuint (tickets->len, ==, 5);

  t = &g_array_index (tickets, EscComplianceTicket, 0);
  g_assert_cmpstr (t->ticket_id, ==, "INC-1");
  g_assert_cmpint (t->severity, ==, ESC_SUPPORT_SEVERITY_B);
  /* Paris is UTC+1 in winter */
  g_assert_cmpint (t->created, ==, utc (2026, 3, 6, 15, 0));
  g_assert_cmpint (t->first_response, ==, utc (2026, 3, 9, 9, 0));
  g_assert_cmpint (t->resolved, ==, utc (2026, 3, 10, 11, 0));
  g_assert_cmpint (t->last_update, ==, 0);
  g_assert_cmpstr (t->status, ==, "Résolu; clos");
  g_assert_cmpuint (t->reopened, ==, 0);
  g_assert_cmpuint (t->line, ==, 2);

  t = &g_array_index (tickets, EscComplianceTicket, 1);
  g_assert_cmpint (t->severity, ==, ESC_SUPPORT_SEVERITY_A);
  g_assert_cmpint (t->paused, ==, 2 * H + 30 * M);
  g_assert_cmpuint (t->reopened, ==, 1);
  g_assert_cmpstr (t->status, ==, "Résolu\r\n(attente client)");

  /* The quoted status spans two lines: the next ticket is on line 5 */
  t = &g_array_index (tickets, EscComplianceTicket, 2);
  g_assert_cmpuint (t->line, ==, 5);
  /* Paris is UTC+2 in April */
  g_assert_cmpint (t->created, ==, utc (2026, 4, 3, 13, 0));
  g_assert_cmpuint (t->reopened, ==, 1);

  t = &g_array_index (tickets, EscComplianceTicket, 3);
  g_assert_cmpint (t->severity, ==, ESC_SUPPORT_SEVERITY_C);
  g_assert_cmpint (t->first_response, ==, 0);
  g_assert_cmpint (t->resolved, ==, 0);
}

static void
test_parse_iso_and_us (void)
{
  g_autoptr(EscComplianceMapping) mapping = esc_compliance_mapping_new ("ServiceNow");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) tickets = NULL;
  const char iso[] =
    "Number,Priority,Opened,Updated\n"
    "INC0001,P1,2026-03-02 14:05,2026-03-02T15:00:00Z\n"
    "INC0002,P3,2026-03-02T14:05:30+01:00,\n"
    "INC0003,P3,2026-03-29 02:30,\n";   /* skipped by Paris's clocks: moved past the gap */
  const char us[] =
    "Number,Priority,Opened\n"
    "INC0004,P1,03/02/2026 2:05 PM\n"
    "INC0005,P1,12/31/2026 12:00 AM\n";

  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_TICKET_ID, "Number");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_SEVERITY, "Priority");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_CREATED, "Opened");
  esc_compliance_mapping_set_severity (mapping, "P1", ESC_SUPPORT_SEVERITY_A);
  esc_compliance_mapping_set_severity (mapping, "P3", ESC_SUPPORT_SEVERITY_C);
  g_assert_true (esc_compliance_mapping_set_time_zone (mapping, "Europe/Paris", NULL));

  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_LAST_UPDATE, "Updated");
  tickets = esc_compliance_parse (mapping, iso, strlen (iso), NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 3);
  g_assert_cmpint (g_array_index (tickets, EscComplianceTicket, 0).created, ==, utc (2026, 3, 2, 13, 5));
  g_assert_cmpint (g_array_index (tickets, EscComplianceTicket, 0).last_update, ==, utc (2026, 3, 2, 15, 0));
  g_assert_cmpint (g_array_index (tickets, EscComplianceTicket, 1).created, ==,
                   utc (2026, 3, 2, 13, 5) + 30 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (tickets, EscComplianceTicket, 2).created, ==, utc (2026, 3, 29, 1, 30));
  g_clear_pointer (&tickets, g_array_unref);

  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_LAST_UPDATE, NULL);
  esc_compliance_mapping_set_date_format (mapping, ESC_COMPLIANCE_DATE_MDY);
  g_assert_true (esc_compliance_mapping_set_time_zone (mapping, "America/Los_Angeles", NULL));
  tickets = esc_compliance_parse (mapping, us, strlen (us), NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Los Angeles is UTC−8 in early March (summer time starts on 8 March 2026) */
  g_assert_cmpint (g_array_index (tickets, EscComplianceTicket, 0).created, ==, utc (2026, 3, 2, 22, 5));
  g_assert_cmpint (g_array_index (tickets, EscComplianceTicket, 1).created, ==, utc (2026, 12, 31, 8, 0));
}

static void
assert_problem (GPtrArray  *problems,
                guint       index,
                guint       line,
                const char *needle)
{
  EscComplianceProblem *problem;

  g_assert_cmpuint (index, <, problems->len);
  problem = g_ptr_array_index (problems, index);
  if (problem->line != line || strstr (problem->reason, needle) == NULL)
    g_error ("problem %u: line %u “%s”, expected line %u with “%s”", index, problem->line,
             problem->reason, line, needle);
}

static void
test_parse_bad_lines (void)
{
  g_autoptr(EscComplianceMapping) mapping = french_mapping ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  GArray *tickets;
  const char text[] =
    "N° ticket;Priorité;Ouvert le;Prise en charge;Résolu le;Statut;Réouvert;Attente (h)\r\n"
    "INC-1;Majeure;06/03/2026 16:00;09/03/2026 10:00;;\"deux\r\nlignes\";non;\r\n"
    "INC-2;Majeure;31/02/2026 09:00;;;;;\r\n"          /* line 4: no 31 February */
    "INC-3;P9;01/03/2026 09:00;;;;;\r\n"               /* line 5: unknown severity */
    "INC-1;Mineure;01/03/2026 09:00;;;;;\r\n"          /* line 6: INC-1 again */
    "INC-7;Mineure;hier;;;;;\r\n"                      /* line 7: not a date */
    "INC-8;Mineure;02/03/2026 10:00;02/03/2026 09:00;;;;\r\n"  /* line 8: response first */
    "INC-9;Mineure;02/03/2026 10:00;;;;peut-être;1.5\r\n"      /* line 9: reopened */
    "INC-10;Mineure;02/03/2026 10:00;;;;;-2\r\n"       /* line 10: paused */
    "INC-11;Mineure;02/03/2026 10:00;;;\r\n"           /* line 11: too few fields */
    ";Mineure;02/03/2026 25:00;;;;;\r\n";              /* line 12: no id, no such hour */

  tickets = esc_compliance_parse (mapping, text, strlen (text), NULL, NULL, NULL, &problems, &error);
  g_assert_null (tickets);
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "10 bad lines"));
  g_assert_nonnull (problems);
  g_assert_cmpuint (problems->len, ==, 10);
  assert_problem (problems, 0, 4, "31/02/2026 09:00");
  assert_problem (problems, 1, 5, "P9");
  assert_problem (problems, 2, 6, "line 2");
  assert_problem (problems, 3, 7, "hier");
  assert_problem (problems, 4, 8, "First response");
  assert_problem (problems, 5, 9, "peut-être");
  assert_problem (problems, 6, 10, "-2");
  assert_problem (problems, 7, 11, "6 fields");
  assert_problem (problems, 8, 12, "ID");
  assert_problem (problems, 9, 12, "25:00");
}

static void
test_parse_bad_file (void)
{
  g_autoptr(EscComplianceMapping) mapping = french_mapping ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  const char unclosed[] =
    "N° ticket;Priorité;Ouvert le;Prise en charge;Résolu le;Statut;Réouvert;Attente (h)\r\n"
    "INC-1;Majeure;06/03/2026 16:00;;;\"jamais fermé;;\r\n";
  const char wrong_header[] = "Ticket;Priorité\r\nINC-1;Majeure\r\n";

  g_assert_null (esc_compliance_parse (mapping, unclosed, strlen (unclosed), NULL, NULL, NULL,
                                       &problems, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpuint (((EscComplianceProblem *)problems->pdata[0])->line, ==, 2);
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Every mapped column the header lacks is named */
  g_assert_null (esc_compliance_parse (mapping, wrong_header, strlen (wrong_header), NULL, NULL,
                                       NULL, &problems, &error));
  g_assert_cmpuint (problems->len, ==, 7);
  assert_problem (problems, 0, 1, "N° ticket");
  g_clear_error (&error);
  g_clear_pointer (&problems, g_ptr_array_unref);

  /* Not UTF-8 */
  g_assert_null (esc_compliance_parse (mapping, "a;b\r\n\xff\xfe;c\r\n", 11, NULL, NULL, NULL,
                                       &problems, &error));
  g_assert_cmpuint (problems->len, ==, 1);
}

static void
count_progress_cb (guint64  done,
                   guint64  total,
                   gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, *last);
  *last = done;
}

static void
test_parse_progress_and_cancel (void)
{
  g_autoptr(EscComplianceMapping) mapping = esc_compliance_mapping_new ("big");
  g_autoptr(GString) text = g_string_new ("id,sev,created\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) tickets = NULL;
  guint64 last = 0;

  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_TICKET_ID, "id");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_SEVERITY, "sev");
  esc_compliance_mapping_set_column (mapping, ESC_COMPLIANCE_FIELD_CREATED, "created");
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "T%u,B,2026-01-%02u 08:00\n", i, 1 + i % 28);

  tickets = esc_compliance_parse (mapping, text->str, text->len, count_progress_cb, &last,
                                  cancellable, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tickets->len, ==, 10000);
  g_assert_cmpuint (last, ==, 10000);

  g_cancellable_cancel (cancellable);
  g_assert_null (esc_compliance_parse (mapping, text->str, text->len, NULL, NULL, cancellable,
                                       NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_report (void)
{
  g_autoptr(EscComplianceMapping) mapping = french_mapping ();
  g_autoptr(EscCalendar) calendar = paris_office ();
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  g_autoptr(EscComplianceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) tickets = NULL;
  g_autofree char *span = NULL;
  const EscComplianceMonth *march, *april;
  const EscComplianceOffender *worst;
  EscComplianceMonth totals;
  /* Thursday 30 April 2026, 12:00 in Paris */
  gint64 now = utc (2026, 4, 30, 10, 0);

  tickets = esc_compliance_parse (mapping, french_csv, strlen (french_csv), NULL, NULL, NULL,
                                  NULL, &error);
  g_assert_no_error (error);

  report = esc_compliance_report_new (version, calendar, now, 10);
  for (guint i = 0; i < tickets->len; i++)
    {
      g_assert_true (esc_compliance_report_add (report, &g_array_index (tickets, EscComplianceTicket, i),
                                                &error));
      g_assert_no_error (error);
    }

  g_assert_cmpstr (esc_compliance_report_get_time_zone (report), ==, "Europe/Paris");
  g_assert_cmpstr (esc_compliance_report_get_agreement (report), ==,
                   "Agreement support-utilisateurs, version 2");
  g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 2);
  march = esc_compliance_report_get_month (report, 0);
  g_assert_cmpuint (march->year, ==, 2026);
  g_assert_cmpuint (march->month, ==, 3);
  /* INC-1, over the weekend: 2 h to respond (B: 4 h), 12 h to resolve (B: 16 h) */
  g_assert_cmpuint (march->met[ESC_SUPPORT_SEVERITY_B], ==, 1);
  /* INC-2: 6 h to resolve less 2.5 h paused, within A's 4 h */
  g_assert_cmpuint (march->met[ESC_SUPPORT_SEVERITY_A], ==, 1);
  g_assert_cmpuint (march->breached[ESC_SUPPORT_SEVERITY_A], ==, 0);

  april = esc_compliance_report_get_month (report, 1);
  g_assert_cmpuint (april->month, ==, 4);
  /* INC-3, over Easter Monday: 4 h to respond, C allows 3 h */
  g_assert_cmpuint (april->breached[ESC_SUPPORT_SEVERITY_C], ==, 1);
  /* INC-4: open for 2 h */
  g_assert_cmpuint (april->in_progress[ESC_SUPPORT_SEVERITY_C], ==, 1);
  /* INC-5: 11 h without a response */
  g_assert_cmpuint (april->breached[ESC_SUPPORT_SEVERITY_B], ==, 1);
  g_assert_cmpuint (april->met[ESC_SUPPORT_SEVERITY_C], ==, 0);

  esc_compliance_report_get_totals (report, &totals);
  g_assert_cmpuint (totals.met[0] + totals.met[1] + totals.met[2], ==, 2);
  g_assert_cmpuint (totals.breached[0] + totals.breached[1] + totals.breached[2], ==, 2);
  g_assert_cmpuint (totals.in_progress[0] + totals.in_progress[1] + totals.in_progress[2], ==, 1);

  g_assert_cmpuint (esc_compliance_report_get_n_offenders (report), ==, 2);
  worst = esc_compliance_report_get_offender (report, 0);
  g_assert_cmpstr (worst->ticket_id, ==, "INC-5");
  g_assert_cmpint (worst->metric, ==, ESC_SLA_METRIC_FIRST_RESPONSE);
  g_assert_cmpint (worst->target, ==, 4 * H);
  g_assert_cmpint (worst->overrun, ==, 7 * H);
  g_assert_false (worst->resolved);
  worst = esc_compliance_report_get_offender (report, 1);
  g_assert_cmpstr (worst->ticket_id, ==, "INC-3");
  g_assert_cmpint (worst->overrun, ==, 1 * H);
  g_assert_true (worst->resolved);

  span = esc_compliance_format_span (7 * H + 5 * M);
  g_assert_cmpstr (span, ==, "7 h 05 min");
  g_clear_pointer (&span, g_free);
  span = esc_compliance_format_span (45 * M + 1);
  g_assert_cmpstr (span, ==, "46 min");
}

static void
test_report_without_pause (void)
{
  g_autoptr(EscCalendar) calendar = paris_office ();
  g_autoptr(EscSlaAgreementVersion) version = agreement ();
  g_autoptr(EscComplianceReport) report = NULL;
  g_autoptr(GError) error = NULL;
  /* INC-2 without its paused time: 6 h to resolve, 2 h past A's 4 h */
  EscComplianceTicket ticket = {
    (char *)"INC-2", ESC_SUPPORT_SEVERITY_A, utc (2026, 3, 11, 8, 0), utc (2026, 3, 11, 8, 30),
    0, utc (2026, 3, 11, 14, 0), NULL, 0, 0, 3
  };
  EscComplianceTicket later = ticket;

  report = esc_compliance_report_new (version, calendar, utc (2026, 4, 30, 10, 0), 1);
  g_assert_true (esc_compliance_report_add (report, &ticket, &error));
  g_assert_cmpuint (esc_compliance_report_get_month (report, 0)->breached[ESC_SUPPORT_SEVERITY_A], ==, 1);
  g_assert_cmpint (esc_compliance_report_get_offender (report, 0)->metric, ==, ESC_SLA_METRIC_RESOLUTION);
  g_assert_cmpint (esc_compliance_report_get_offender (report, 0)->overrun, ==, 2 * H);

  /* Created after the report's moment: refused, not counted */
  later.created = utc (2026, 5, 1, 8, 0);
  g_assert_false (esc_compliance_report_add (report, &later, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
  g_assert_cmpuint (esc_compliance_report_get_n_months (report), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/compliance/mapping/json", test_mapping_json);
  g_test_add_func ("/compliance/read-header", test_read_header);
  g_test_add_func ("/compliance/parse/french", test_parse_french);
  g_test_add_func ("/compliance/parse/iso-and-us", test_parse_iso_and_us);
  g_test_add_func ("/compliance/parse/bad-lines", test_parse_bad_lines);
  g_test_add_func ("/compliance/parse/bad-file", test_parse_bad_file);
  g_test_add_func ("/compliance/parse/progress-and-cancel", test_parse_progress_and_cancel);
  g_test_add_func ("/compliance/report", test_report);
  g_test_add_func ("/compliance/report/without-pause", test_report_without_pause);

  return g_test_run ();
}
