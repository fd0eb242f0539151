/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include "esc-support-request.h"
#include "esc-test-requests.h"

static const char * const filers[] = { "Zoé Martin", "alice Dupont", "Bob Smith", "Émile Zola" };

const char * const esc_test_rec_titles[ESC_TEST_REC_N_TITLES] = {
  "Printer driver blocked by policy",
  "printer queue stuck",
  "Wi-Fi drops at the Lyon office",
  "Outlook crashes at start",
  "BitLocker recovery prompt",
  "Café machine \"smart\" plug, again",
  "東京 office proxy change",
  "C++ runtime missing",
  "=cmd|' /C calc'!A0 not a formula",
  "Naïve résumé app fails",
  "VPN disconnects every hour",
};

static const char * const sentences[] = {
  "The user reports the problem started this morning.",
  "It happens on every restart.",
  "Rebooting does not help; the event log shows error 0x80070005.",
  "Über-urgent for the finance team.",
  "We reproduced it with a second account.",
};

char *
esc_test_time_text (guint hours)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2024, 5, 1, 0, 0, 0);
  g_autoptr(GDateTime) t = g_date_time_add_hours (base, (gint)hours);

  return g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
}

void
esc_test_rec_init (Rec   *rec,
                   guint  i)
{
  static const guint response_hours[] = { 1, 4, 8 };

  rec->number = i;
  rec->id = g_strdup_printf ("SR-%06u", i);
  rec->kind = i % 5 == 0 ? ESC_SUPPORT_REQUEST_KIND_ESCALATION : ESC_SUPPORT_REQUEST_KIND_ADMIN;
  rec->type = i % 3;
  if (rec->kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION || rec->type == ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST)
    rec->severity = ESC_SUPPORT_SEVERITY_C;
  else
    rec->severity = (i / 3) % 3;
  rec->state = (i * 7) % 6;
  rec->filer_id = 1 + i % 4;
  rec->filer = g_strdup (filers[i % 4]);
  rec->title = g_strdup_printf ("%s %u", esc_test_rec_titles[i % ESC_TEST_REC_N_TITLES], i);
  rec->description = g_strdup_printf ("%s %s", sentences[i % G_N_ELEMENTS (sentences)],
                                      sentences[(i / 2) % G_N_ELEMENTS (sentences)]);
  rec->devices[0] = g_strdup_printf ("MMD-%05u", i);
  rec->devices[1] = g_strdup_printf ("LAPTOP-%u", i % 10);
  rec->devices[2] = NULL;
  rec->created = esc_test_time_text (i);
  rec->updated = esc_test_time_text (i + 2 + (i * 37) % 150);
  rec->due = esc_test_time_text (i + response_hours[rec->severity]);
  if (rec->state == ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER)
    rec->owner = ESC_NEXT_ACTION_OWNER_CUSTOMER;
  else if (rec->state <= ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS)
    rec->owner = ESC_NEXT_ACTION_OWNER_OPERATIONS;
  else
    rec->owner = ESC_NEXT_ACTION_OWNER_NONE;
}

void
esc_test_rec_clear (Rec *rec)
{
  g_free (rec->id);
  g_free (rec->filer);
  g_free (rec->title);
  g_free (rec->description);
  g_free (rec->devices[0]);
  g_free (rec->devices[1]);
  g_free (rec->created);
  g_free (rec->updated);
  g_free (rec->due);
}

GDateTime *
esc_test_parse_time (const char *text)
{
  GDateTime *time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return time;
}

JsonNode *
esc_test_rec_to_json (const Rec *rec)
{
  g_autoptr(EscSupportRequest) request = esc_support_request_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(GDateTime) created = esc_test_parse_time (rec->created);
  g_autoptr(GDateTime) updated = esc_test_parse_time (rec->updated);
  g_autoptr(GDateTime) due = esc_test_parse_time (rec->due);

  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org", "+33 1 23 45 67 89",
                                     ESC_CONTACT_METHOD_EMAIL, "fr");
  esc_support_request_set_id (request, rec->id);
  esc_support_request_set_kind (request, rec->kind);
  esc_support_request_set_request_type (request, rec->type);
  esc_support_request_set_severity (request, rec->severity);
  if (rec->severity == ESC_SUPPORT_SEVERITY_B)
    esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS);
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "configuration-policy");
  esc_support_request_set_title (request, rec->title);
  esc_support_request_set_description (request, rec->description);
  esc_support_request_set_contact (request, contact);
  esc_support_request_set_devices (request, (const char * const *)rec->devices);
  esc_support_request_set_state (request, rec->state);
  esc_support_request_set_filer (request, rec->filer_id, rec->filer);
  esc_support_request_set_created_at (request, created);
  esc_support_request_set_updated_at (request, updated);
  esc_support_request_set_response_due_at (request, due);
  esc_support_request_set_next_action_owner (request, rec->owner);

  return esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
}
