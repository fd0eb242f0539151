/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "esc-connection-check.h"
#include "esc-request-detail.h"
#include "esc-request-form.h"
#include "esc-test-proxy.h"
#include "esc-test-requests-ui.h"
#include "esc-test-ui.h"

/* The Requests screen offline and through the outbox: filed or queued, said
 * as it is; a request the service refuses; a service that is overloaded,
 * gone or back, said as it is within a few seconds, and the outbox backing
 * off meanwhile.
 * ESCALADE_TEST_SCREENSHOTS=DIR saves screenshots on the way (ImageMagick's
 * import). The fixture and the helpers are in esc-test-requests-ui.c. */

/* Filed or queued, said as it is ---------------------------------------------------- */

typedef struct
{
  GtkWidget  *root;
  const char *prefix;
} LabelWait;

static gboolean
is_label_prefixed (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), data);
}

static gboolean
shows_label (gpointer data)
{
  LabelWait *wait = data;

  return esc_test_ui_find_widget (wait->root, is_label_prefixed, wait->prefix) != NULL;
}

static const char *
label_text (GtkWidget  *root,
            const char *prefix)
{
  GtkWidget *label = esc_test_ui_find_widget (root, is_label_prefixed, prefix);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static void
fill_in (GtkWidget  *form,
         const char *title)
{
  choose (form, "Type", "Incident");
  choose (form, "Category", "Devices");
  choose (form, "Subcategory", "Configuration policy");
  type_into (form, "Title", title);
  type_into (form, "Description", "Nothing prints on the floor since the morning.");
  type_into (form, "Surname", "Martin");
  type_into (form, "Phone", "+33 1 23 45 67 89");
}

typedef struct
{
  GtkWidget  *detail;
  const char *not_id;
} FiledWait;

static gboolean
detail_shows_filed (gpointer data)
{
  FiledWait *wait = data;
  const char *id = esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (wait->detail));

  return id != NULL && g_str_has_prefix (id, "SR-") && g_strcmp0 (id, wait->not_id) != 0;
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  esc_sync_run_finish (ESC_SYNC (object), result, NULL);
}

/* With the service answering, filing says "Filed as SR-…" and the detail
 * shows that request. With the service away, the sidebar says "Offline —
 * retrying", filing says the request is queued, the count counts it, and
 * once the service is back the detail follows it to its number. */
static void
test_filed_or_queued (Fixture       *fixture,
                      gconstpointer  data)
{
  GtkWidget *window, *form, *detail;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  LabelWait toast, sidebar, count;

  sign_in (fixture, fixture->admin_token);
  esc_outbox_sender_start (fixture->sender);
  esc_sync_start (fixture->sync);
  open_window (fixture);
  window = GTK_WIDGET (fixture->window);
  detail = esc_requests_page_get_detail (fixture->page);
  g_assert_nonnull (strstr (label_text (window, "Connected as"), "camille"));

  form = open_form (fixture);
  fill_in (form, "Printers offline on the second floor");
  click (form, "_File Request");
  toast = (LabelWait) { window, "Filed as SR-" };
  esc_test_ui_wait_until (shows_label, &toast, "“Filed as SR-…”");
  first_id = g_strdup (label_text (window, "Filed as SR-") + strlen ("Filed as "));
  g_test_message ("%s", label_text (window, "Filed as SR-"));
  g_assert_null (esc_test_ui_find_widget (window, is_label_prefixed, "Request queued"));
  {
    FiledWait wait = { detail, NULL };

    esc_test_ui_wait_until (detail_shows_filed, &wait, "the detail to show the filed request");
    g_assert_cmpstr (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)), ==, first_id);
  }

  /* The service goes away: the next sync finds out, and the sidebar says so */
  esc_test_service_kill (fixture->service);
  esc_sync_run_async (fixture->sync, NULL, sync_done_cb, NULL);
  sidebar = (LabelWait) { window, "Offline — retrying" };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Offline — retrying” in the sidebar");
  g_assert_null (esc_test_ui_find_widget (window, is_label_prefixed, "Connected as"));

  form = open_form (fixture);
  fill_in (form, "Scanner offline on the second floor");
  click (form, "_File Request");
  toast = (LabelWait) { window, "Request queued" };
  esc_test_ui_wait_until (shows_label, &toast, "“Request queued…”");
  g_assert_null (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)));
  /* Two rows: the filed request, and the queued one on top */
  count = (LabelWait) { window, "2 requests · 1 waiting to be sent" };
  esc_test_ui_wait_until (shows_label, &count, "the count to count the queued request");
  esc_test_ui_screenshot ("offline-queued.png");

  /* Back at the same address: sent, and the detail follows it */
  g_assert_true (esc_test_service_restart_same_port (fixture->service, &error));
  g_assert_no_error (error);
  {
    FiledWait wait = { detail, first_id };

    esc_test_ui_wait_until (detail_shows_filed, &wait, "the detail to follow the request once filed");
  }
  sidebar = (LabelWait) { window, "Connected as" };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Connected as” once the service answers");
  count = (LabelWait) { window, "2 requests" };
  esc_test_ui_wait_until (shows_label, &count, "the count without anything waiting");
  g_assert_null (strstr (label_text (window, "2 requests"), "waiting"));
}

static void
test_refused_request (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *token = create_staff (fixture, "robin", TRUE);
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  GtkColumnView *view;
  GListModel *rows;
  GtkWidget *form;
  GtkWidget *detail;
  gpointer weak;
  const char *argv[] = { "designation", "revoke", "--user", "robin", "--capability", "escalation", NULL };

  sign_in (fixture, token);
  /* What the sync does first: the list shows this service's requests */
  esc_mirror_set_service (fixture->mirror, esc_account_get_service_url (fixture->account));
  open_window (fixture);

  /* Queued while the sender is not running: it shows at once, as queued */
  form = open_form (fixture);
  choose (form, "Category", "Network");
  choose (form, "Subcategory", "VPN");
  type_into (form, "Title", "VPN drops every ten minutes");
  type_into (form, "Description", "The VPN client reconnects every ten minutes on all devices.");
  type_into (form, "Surname", "Dupont");
  type_into (form, "Phone", "+33 6 00 00 00 00");
  weak = form;
  g_object_add_weak_pointer (G_OBJECT (form), &weak);
  click (form, "_File Request");
  g_assert_null (weak);
  esc_test_ui_settle ();

  rows = esc_requests_page_get_rows (fixture->page);
  view = esc_requests_page_get_column_view (fixture->page);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
  item = g_list_model_get_item (rows, 0);
  g_assert_true (ESC_IS_OUTBOX_ITEM (item));
  g_assert_cmpint (esc_outbox_item_get_state (item), ==, ESC_OUTBOX_STATE_QUEUED);
  g_assert_cmpstr (esc_requests_page_get_view (fixture->page), ==, "list");

  /* The designation lapsed meanwhile: the service refuses it, and the list says so */
  esc_test_service_run (fixture->service, argv, NULL, &error);
  g_assert_no_error (error);
  esc_outbox_sender_start (fixture->sender);
  {
    gboolean refused = FALSE;

    while (!refused)
      {
        g_autoptr(EscOutboxItem) now = esc_outbox_lookup (fixture->outbox, esc_outbox_item_get_id (item));

        g_assert_nonnull (now);
        refused = esc_outbox_item_get_state (now) == ESC_OUTBOX_STATE_REFUSED;
        if (!refused)
          g_main_context_iteration (NULL, TRUE);
      }
  }
  esc_test_ui_settle ();
  g_clear_object (&item);
  item = g_list_model_get_item (rows, 0);
  g_assert_cmpint (esc_outbox_item_get_state (item), ==, ESC_OUTBOX_STATE_REFUSED);
  g_test_message ("Refused: %s", esc_outbox_item_get_error_message (item));

  /* Its detail offers to edit or discard it */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (view)), 0);
  esc_test_ui_settle ();
  detail = esc_requests_page_get_detail (fixture->page);
  g_assert_nonnull (esc_test_ui_find_widget (detail, is_button_labelled, "_Discard"));
  esc_test_ui_screenshot ("refused.png");

  /* A refusal that names a field puts the service's words under that field */
  g_assert_true (esc_outbox_record_failure (fixture->outbox, esc_outbox_item_get_id (item), TRUE,
                                            "unprocessable", 422, "The phone number cannot be reached.",
                                            "/contact/phone", NULL, &error));
  g_assert_no_error (error);
  click (detail, "_Edit…");
  esc_test_ui_settle ();
  form = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (ESC_IS_REQUEST_FORM (toplevel))
          form = GTK_WIDGET (toplevel);
      }
  }
  g_assert_nonnull (form);
  g_assert_cmpstr (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/contact/phone"), ==,
                   "The phone number cannot be reached.");
  g_assert_cmpstr (text_of (form, "Title"), ==, "VPN drops every ten minutes");
  esc_test_ui_screenshot ("form-refused.png");
}


/* Busy, offline and back, as the sidebar says it ------------------------------------- */

typedef struct
{
  guint   n_not_sent;
  gint64  not_sent_at[16];  /* monotonic µs */
  guint   delays[16];       /* the back-off chosen after each, ms */
  gint64  sent_at;
} Attempts;

static void
not_sent_cb (EscOutboxSender *sender,
             gint64           id,
             gboolean         refused,
             const char      *message,
             Attempts        *attempts)
{
  g_assert_false (refused);
  if (attempts->n_not_sent < G_N_ELEMENTS (attempts->not_sent_at))
    {
      attempts->not_sent_at[attempts->n_not_sent] = g_get_monotonic_time ();
      attempts->delays[attempts->n_not_sent] = esc_outbox_sender_get_retry_delay (sender);
    }
  attempts->n_not_sent++;
  g_test_message ("Not sent (%s); next attempt in %u ms", message, esc_outbox_sender_get_retry_delay (sender));
}

static void
sent_cb (EscOutboxSender *sender,
         gint64           id,
         JsonNode        *answer,
         Attempts        *attempts)
{
  attempts->sent_at = g_get_monotonic_time ();
}

static gboolean
has_not_sent (gpointer data)
{
  return ((Attempts *)data)->n_not_sent >= 5;
}

static gboolean
has_not_sent_once (gpointer data)
{
  return ((Attempts *)data)->n_not_sent >= 1;
}

static gboolean
was_sent (gpointer data)
{
  return ((Attempts *)data)->sent_at != 0;
}

/* An overloaded service answers 503 with Retry-After: the sidebar says the
 * service is busy and in how many seconds it is asked again, not that it is
 * offline; the outbox waits as long as the service asked, though its own
 * back-off is 20 ms here, then sends. */
static void
test_service_busy (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *title = "Printers offline while the service is busy";
  g_autoptr(EscTestProxy) proxy = NULL;
  g_autoptr(GError) error = NULL;
  EscConnectionCheck *check = esc_session_get_connection_check (fixture->session);
  Attempts attempts = { 0, };
  GtkWidget *window, *form;
  LabelWait sidebar;

  proxy = esc_test_proxy_new (esc_test_service_get_url (fixture->service), &error);
  g_assert_no_error (error);
  sign_in_at (fixture, esc_test_proxy_get_url (proxy), fixture->admin_token);
  /* What the sync does first: the list shows this service's requests */
  esc_mirror_set_service (fixture->mirror, esc_account_get_service_url (fixture->account));
  g_signal_connect (fixture->sender, "not-sent", G_CALLBACK (not_sent_cb), &attempts);
  g_signal_connect (fixture->sender, "sent", G_CALLBACK (sent_cb), &attempts);
  esc_outbox_sender_start (fixture->sender);
  esc_connection_check_start (check);
  open_window (fixture);
  window = GTK_WIDGET (fixture->window);
  g_assert_nonnull (strstr (label_text (window, "Connected as"), "camille"));

  esc_test_proxy_set_busy (proxy, 1, 2);
  form = open_form (fixture);
  fill_in (form, title);
  click (form, "_File Request");
  esc_test_ui_wait_until (has_not_sent_once, &attempts, "the service's answer");

  sidebar = (LabelWait) { window, "Service busy — retrying in " };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Service busy — retrying in …” in the sidebar");
  g_test_message ("The sidebar says: %s", label_text (window, "Service busy"));
  g_assert_null (esc_test_ui_find_widget (window, is_label_prefixed, "Offline"));
  g_assert_cmpuint (esc_test_proxy_get_n_busy (proxy), ==, 1);
  g_assert_cmpuint (attempts.n_not_sent, ==, 1);
  /* The outbox waits for the Retry-After, not for its own 20 ms */
  g_assert_cmpuint (attempts.delays[0], >, 1000);
  g_assert_cmpuint (attempts.delays[0], <=, 2000);
  esc_test_ui_screenshot ("service-busy.png");

  esc_test_ui_wait_until (was_sent, &attempts, "the request to be sent once the service may be asked again");
  g_test_message ("Sent %.2f s after the 503", (attempts.sent_at - attempts.not_sent_at[0]) / (double)G_USEC_PER_SEC);
  g_assert_cmpint (attempts.sent_at - attempts.not_sent_at[0], >=, 19 * G_USEC_PER_SEC / 10);
  g_assert_cmpuint (attempts.n_not_sent, ==, 1);
  esc_test_ui_wait_until (is_listed, &(RowWait) { fixture, title }, "the request as the service answered it");
  sidebar = (LabelWait) { window, "Connected as" };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Connected as” once the service answers");

  g_signal_handlers_disconnect_by_data (fixture->sender, &attempts);
  esc_connection_check_stop (check);
}

/* While the service is away, the outbox backs off: 200 ms, 400 ms, 800 ms,
 * then 1.6 s (its bounds here), each between half and all of it, instead of
 * trying again and again; the sidebar says in how many seconds the service
 * is asked again, and what waited goes once it answers. */
static void
test_offline_backoff (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *title = "Scanner offline while the service is away";
  g_autoptr(GError) error = NULL;
  EscConnectionCheck *check = esc_session_get_connection_check (fixture->session);
  Attempts attempts = { 0, };
  GtkWidget *window, *form;
  LabelWait sidebar;
  gint64 back_at;

  sign_in (fixture, fixture->admin_token);
  esc_outbox_sender_set_retry_delays (fixture->sender, 200, 1600);
  g_signal_connect (fixture->sender, "not-sent", G_CALLBACK (not_sent_cb), &attempts);
  g_signal_connect (fixture->sender, "sent", G_CALLBACK (sent_cb), &attempts);
  esc_outbox_sender_start (fixture->sender);
  esc_connection_check_start (check);
  open_window (fixture);
  window = GTK_WIDGET (fixture->window);

  esc_test_service_kill (fixture->service);
  form = open_form (fixture);
  fill_in (form, title);
  click (form, "_File Request");
  esc_test_ui_wait_until (has_not_sent, &attempts, "five attempts");

  for (guint n = 1; n <= 5; n++)
    {
      guint bound = MIN (1600u, 200u << (n - 1));
      guint delay = attempts.delays[n - 1];

      g_test_message ("attempt %u: next in %u ms (bound %u ms)", n, delay, bound);
      g_assert_cmpuint (delay, >=, bound / 2);
      g_assert_cmpuint (delay, <=, bound);
      /* And it waited that long */
      if (n < 5)
        g_assert_cmpint (attempts.not_sent_at[n] - attempts.not_sent_at[n - 1], >=, (gint64)delay * 1000 - 2000);
    }

  sidebar = (LabelWait) { window, "Offline — retrying in " };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Offline — retrying in …” in the sidebar");
  g_test_message ("The sidebar says: %s", label_text (window, "Offline"));
  esc_test_ui_screenshot ("offline-backoff.png");

  /* Back: what waited goes when the service is next asked */
  g_assert_true (esc_test_service_restart_same_port (fixture->service, &error));
  g_assert_no_error (error);
  back_at = g_get_monotonic_time ();
  esc_test_ui_wait_until (was_sent, &attempts, "the request to be sent once the service is back");
  g_test_message ("Sent %.2f s after the service listened again", (attempts.sent_at - back_at) / (double)G_USEC_PER_SEC);
  sidebar = (LabelWait) { window, "Connected as" };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Connected as” once the service answers");

  g_signal_handlers_disconnect_by_data (fixture->sender, &attempts);
  esc_connection_check_stop (check);
}

/* With nothing else asking the service (no sync, no outbox), the sidebar
 * is true within a few seconds of the service going away and coming back:
 * the connection check, every 3 s while the service answers. */
static void
test_connection_checked (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  EscConnectionCheck *check = esc_session_get_connection_check (fixture->session);
  GtkWidget *window;
  LabelWait sidebar;
  gint64 since;

  sign_in (fixture, fixture->admin_token);
  esc_connection_check_start (check);
  open_window (fixture);
  window = GTK_WIDGET (fixture->window);
  g_assert_nonnull (strstr (label_text (window, "Connected as"), "camille"));

  esc_test_service_kill (fixture->service);
  since = g_get_monotonic_time ();
  sidebar = (LabelWait) { window, "Offline — retrying" };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Offline — retrying” in the sidebar");
  g_test_message ("Offline shown %.2f s after the service went away", (g_get_monotonic_time () - since) / (double)G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - since, <, 6 * G_USEC_PER_SEC);
  g_assert_false (esc_client_get_reachable (fixture->client));

  g_assert_true (esc_test_service_restart_same_port (fixture->service, &error));
  g_assert_no_error (error);
  since = g_get_monotonic_time ();
  sidebar = (LabelWait) { window, "Connected as" };
  esc_test_ui_wait_until (shows_label, &sidebar, "“Connected as” once the service is back");
  g_test_message ("Connected shown %.2f s after the service listened again", (g_get_monotonic_time () - since) / (double)G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - since, <, 6 * G_USEC_PER_SEC);

  esc_connection_check_stop (check);
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/requests/filed-or-queued", Fixture, NULL,
              fixture_setup, test_filed_or_queued, fixture_teardown);
  g_test_add ("/ui/requests/refused-request", Fixture, NULL,
              fixture_setup, test_refused_request, fixture_teardown);
  g_test_add ("/ui/requests/service-busy", Fixture, NULL,
              fixture_setup, test_service_busy, fixture_teardown);
  g_test_add ("/ui/requests/offline-backoff", Fixture, NULL,
              fixture_setup, test_offline_backoff, fixture_teardown);
  g_test_add ("/ui/requests/connection-checked", Fixture, NULL,
              fixture_setup, test_connection_checked, fixture_teardown);

  return esc_test_ui_run ();
}
