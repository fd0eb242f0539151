/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-notify-rules.h"

/* When the app tells the desktop about a request. */

static GDateTime *
parse (const char *text)
{
  GDateTime *time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return time;
}

static EscSupportRequest *
request (EscSupportRequestState  state,
         const char             *due)
{
  EscSupportRequest *r = esc_support_request_new ();

  esc_support_request_set_id (r, "SR-000123");
  esc_support_request_set_title (r, "Printer driver blocked");
  esc_support_request_set_state (r, state);
  if (due != NULL)
    {
      g_autoptr(GDateTime) time = parse (due);

      esc_support_request_set_response_due_at (r, time);
    }

  return r;
}

#define NEW         ESC_SUPPORT_REQUEST_STATE_NEW
#define IN_PROGRESS ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS
#define WAITING     ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER
#define MITIGATED   ESC_SUPPORT_REQUEST_STATE_MITIGATED
#define RESOLVED    ESC_SUPPORT_REQUEST_STATE_RESOLVED
#define CLOSED      ESC_SUPPORT_REQUEST_STATE_CLOSED
#define ASSIGNED    ESC_REQUEST_NOTIFY_ASSIGNED
#define DONE        ESC_REQUEST_NOTIFY_RESOLVED
#define OVERDUE     ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE

/* Every pair of states: previous → current, the due time not involved */
static void
test_state_changes (void)
{
  /* expected[previous][current] */
  static const EscRequestNotify expected[6][6] = {
    /* from new */         { 0, ASSIGNED, ASSIGNED, ASSIGNED, DONE, 0 },
    /* from in progress */ { 0, 0, 0, 0, DONE, 0 },
    /* from waiting */     { 0, 0, 0, 0, DONE, 0 },
    /* from mitigated */   { 0, 0, 0, 0, DONE, 0 },
    /* from resolved */    { 0, 0, 0, 0, 0, 0 },
    /* from closed */      { 0, 0, 0, 0, 0, 0 },
  };
  g_autoptr(GDateTime) now = parse ("2024-05-06T12:00:00Z");
  g_autoptr(GDateTime) last = parse ("2024-05-06T11:00:00Z");

  for (int from = NEW; from <= CLOSED; from++)
    for (int to = NEW; to <= CLOSED; to++)
      {
        g_autoptr(EscSupportRequest) previous = request (from, "2024-05-06T17:00:00Z");
        g_autoptr(EscSupportRequest) current = request (to, "2024-05-06T17:00:00Z");

        g_test_message ("%d → %d", from, to);
        g_assert_cmpint (esc_request_notify_decide (previous, current, last, now), ==,
                         expected[from][to]);
        /* First seen: no state news */
        g_assert_cmpint (esc_request_notify_decide (NULL, current, last, now), ==, 0);
      }
}

static void
test_overdue (void)
{
  g_autoptr(GDateTime) last = parse ("2024-05-06T12:00:00Z");
  g_autoptr(GDateTime) now = parse ("2024-05-06T12:01:00Z");
  g_autoptr(EscSupportRequest) due_in_window = request (NEW, "2024-05-06T12:00:30Z");
  g_autoptr(EscSupportRequest) due_at_now = request (NEW, "2024-05-06T12:01:00Z");
  g_autoptr(EscSupportRequest) due_at_last = request (NEW, "2024-05-06T12:00:00Z");
  g_autoptr(EscSupportRequest) due_later = request (NEW, "2024-05-06T12:01:01Z");
  g_autoptr(EscSupportRequest) due_long_ago = request (NEW, "2024-05-01T12:00:00Z");
  g_autoptr(EscSupportRequest) no_due = request (NEW, NULL);
  g_autoptr(EscSupportRequest) answered = request (IN_PROGRESS, "2024-05-06T12:00:30Z");

  g_assert_cmpint (esc_request_notify_decide (due_in_window, due_in_window, last, now), ==, OVERDUE);
  g_assert_cmpint (esc_request_notify_decide (NULL, due_in_window, last, now), ==, OVERDUE);
  g_assert_cmpint (esc_request_notify_decide (due_at_now, due_at_now, last, now), ==, OVERDUE);
  /* Already said at the previous check */
  g_assert_cmpint (esc_request_notify_decide (due_at_last, due_at_last, last, now), ==, 0);
  g_assert_cmpint (esc_request_notify_decide (due_long_ago, due_long_ago, last, now), ==, 0);
  g_assert_cmpint (esc_request_notify_decide (due_later, due_later, last, now), ==, 0);
  g_assert_cmpint (esc_request_notify_decide (no_due, no_due, last, now), ==, 0);
  /* Never checked before: no flood */
  g_assert_cmpint (esc_request_notify_decide (due_in_window, due_in_window, NULL, now), ==, 0);
  /* Answered in time, or answered in the same sync: no "overdue" */
  g_assert_cmpint (esc_request_notify_decide (answered, answered, last, now), ==, 0);
  /* Assigned and late in the same window: assigned only */
  g_assert_cmpint (esc_request_notify_decide (due_in_window, answered, last, now), ==, ASSIGNED);
}

static void
test_texts (void)
{
  g_autoptr(EscSupportRequest) r = request (RESOLVED, NULL);
  static const EscRequestNotify flags[] = { ASSIGNED, DONE, OVERDUE };
  static const char * const ids[] = {
    "support-request-SR-000123-assigned",
    "support-request-SR-000123-resolved",
    "support-request-SR-000123-response-overdue",
  };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autofree char *id = esc_request_notify_dup_id (flags[i], r);
      g_autofree char *title = esc_request_notify_dup_title (flags[i], r);
      g_autofree char *body = esc_request_notify_dup_body (flags[i], r);

      g_assert_cmpstr (id, ==, ids[i]);
      g_assert_nonnull (strstr (title, "SR-000123"));
      g_assert_nonnull (strstr (body, "Printer driver blocked"));
    }

  {
    g_autofree char *title = esc_request_notify_dup_title (DONE, r);

    g_assert_cmpstr (title, ==, "SR-000123 was resolved");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/notify-rules/state-changes", test_state_changes);
  g_test_add_func ("/core/notify-rules/overdue", test_overdue);
  g_test_add_func ("/core/notify-rules/texts", test_texts);

  return g_test_run ();
}
