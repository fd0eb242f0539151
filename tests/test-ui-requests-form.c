/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <gmodule.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>

#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-date-time-row.h"
#include "esc-request-detail.h"
#include "esc-request-form.h"
#include "esc-request-text-row.h"
#include "esc-test-requests-ui.h"
#include "esc-test-ui.h"

/* The Requests screen's form and filing: an admin request and an escalation
 * filed, every problem shown at once, the contact remembered, routing, drafts.
 * ESCALADE_TEST_SCREENSHOTS=DIR saves screenshots on the way (ImageMagick's
 * import). The fixture and the helpers are in esc-test-requests-ui.c. */

/* Tests ------------------------------------------------------------------------------ */

static void
test_file_admin_request (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(EscSupportRequest) listed = NULL;
  g_autoptr(EscSupportRequest) remote = NULL;
  GtkWidget *form;
  GtkWidget *detail;
  const char *id;

  sign_in (fixture, fixture->admin_token);
  esc_outbox_sender_start (fixture->sender);
  esc_sync_start (fixture->sync);
  open_window (fixture);

  form = open_form (fixture);

  /* An IT administrator files admin requests; the primary contact is them */
  g_assert_cmpuint (combo_n_items (form, "Kind"), ==, 1);
  g_assert_cmpstr (text_of (form, "Given name"), ==, "camille");
  g_assert_cmpstr (text_of (form, "Email"), ==, "camille@example.org");

  choose (form, "Type", "Incident");
  choose (form, "Category", "Devices");
  choose (form, "Subcategory", "Configuration policy");
  g_assert_cmpstr (esc_request_form_get_suggested_team (ESC_REQUEST_FORM (form)), ==,
                   "The service’s operations team");

  /* Severity B needs an engagement, which the form offers only then */
  g_assert_false (gtk_widget_get_visible (row (form, "Engagement")));
  gtk_widget_activate (row (form, "B — Moderate impact"));
  g_assert_cmpstr (esc_request_form_get_severity (ESC_REQUEST_FORM (form)), ==, "B");
  g_assert_true (gtk_widget_get_visible (row (form, "Engagement")));
  choose (form, "Engagement", "24 hours a day, 7 days a week");

  /* A missing field is explained under it */
  type_into (form, "Title", "Printer driver blocked by policy on the 3rd floor");
  click (form, "_File Request");
  g_assert_nonnull (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/description"));
  g_test_message ("Description: %s", esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/description"));
  g_assert_true (gtk_widget_has_css_class (row (form, "Description"), "error"));

  type_into (form, "Description", "Since this morning's policy update, printing fails on every device of the floor.");
  g_assert_null (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/description"));
  click (form, "_File Request");
  g_assert_cmpstr (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/contact/surname"), ==,
                   "“Surname” is required.");
  type_into (form, "Surname", "Martin");
  click (form, "_File Request");
  g_assert_nonnull (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/contact/phone"));

  type_into (form, "Phone", "+33 1 23 45 67 89");
  type_into (form, "Number of users or devices impacted", "12");
  type_into (form, "Affected device names", "MMD-03690457680, MMD-03690457681");

  {
    g_autoptr(GDateTime) noticed = g_date_time_new_local (2024, 5, 6, 9, 30, 0);

    esc_date_time_row_set_value (ESC_DATE_TIME_ROW (row (form, "First noticed")), noticed);
  }
  esc_test_ui_screenshot ("form.png");

  file_and_wait (fixture, form, "Printer driver blocked by policy on the 3rd floor");
  listed = listed_request (fixture, "Printer driver blocked by policy on the 3rd floor");
  id = esc_support_request_get_id (listed);
  g_assert_true (g_str_has_prefix (id, "SR-"));

  /* The service has it as filed */
  remote = get_as_admin (fixture, id);
  g_assert_cmpint (esc_support_request_get_kind (remote), ==, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  g_assert_cmpint (esc_support_request_get_severity (remote), ==, ESC_SUPPORT_SEVERITY_B);
  g_assert_cmpint (esc_support_request_get_engagement (remote), ==, ESC_SUPPORT_ENGAGEMENT_24X7);
  g_assert_cmpstr (esc_support_request_get_category (remote), ==, "devices");
  g_assert_cmpstr (esc_support_request_get_subcategory (remote), ==, "configuration-policy");
  g_assert_cmpint (esc_support_request_get_users_or_devices_impacted (remote), ==, 12);
  g_assert_cmpstr (esc_support_request_get_devices (remote)[1], ==, "MMD-03690457681");
  g_assert_cmpstr (esc_support_request_get_contact (remote)->phone, ==, "+33 1 23 45 67 89");
  {
    g_autoptr(GDateTime) noticed = g_date_time_to_local (esc_support_request_get_first_noticed_at (remote));

    g_assert_cmpint (g_date_time_get_day_of_month (noticed), ==, 6);
    g_assert_cmpint (g_date_time_get_hour (noticed), ==, 9);
    g_assert_cmpint (g_date_time_get_minute (noticed), ==, 30);
  }

  /* Its detail, and a note through the outbox */
  g_assert_true (esc_requests_page_select_request (fixture->page, id));
  detail = esc_requests_page_get_detail (fixture->page);
  g_assert_cmpstr (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)), ==, id);
  type_into (detail, "Note", "The floor's printers are HP LaserJet M507.");
  click (detail, "_Add Note");
  {
    TextWait wait = { detail, "Note from camille" };

    /* Queued, sent, answered, and in the timeline */
    esc_test_ui_wait_until (shows_text, &wait, "the note in the timeline");
    g_test_message ("The detail shows:\n%s", wait.text);
    g_assert_nonnull (strstr (wait.text, "HP LaserJet M507"));
    g_assert_nonnull (strstr (wait.text, "Filed by camille"));
    g_free (wait.text);
  }
  esc_test_ui_screenshot ("detail.png");
}

/* Keys as a person types them: through the X server (XTest), to the window
 * that has the focus. FALSE when that cannot be done here (not X11, no XTest) */
typedef int (*FakeKeyEvent) (Display *display, unsigned int keycode, Bool is_press, unsigned long delay);

static gboolean
press_keys (GtkWidget *window,
            guint      modifier,
            guint      keyval)
{
  static GModule *xtst;
  static FakeKeyEvent fake_key;
  GdkDisplay *display = gtk_widget_get_display (window);
  Display *xdisplay;

  if (!GDK_IS_X11_DISPLAY (display))
    return FALSE;
  if (xtst == NULL && (xtst = g_module_open ("libXtst.so.6", G_MODULE_BIND_LOCAL)) != NULL)
    g_module_symbol (xtst, "XTestFakeKeyEvent", (gpointer *)&fake_key);
  if (fake_key == NULL)
    return FALSE;

  xdisplay = gdk_x11_display_get_xdisplay (display);
  XSetInputFocus (xdisplay, gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))),
                  RevertToParent, CurrentTime);
  XSync (xdisplay, False);
  if (modifier != 0)
    fake_key (xdisplay, XKeysymToKeycode (xdisplay, modifier), True, 0);
  fake_key (xdisplay, XKeysymToKeycode (xdisplay, keyval), True, 0);
  fake_key (xdisplay, XKeysymToKeycode (xdisplay, keyval), False, 0);
  if (modifier != 0)
    fake_key (xdisplay, XKeysymToKeycode (xdisplay, modifier), False, 0);
  XFlush (xdisplay);

  return TRUE;
}

static gboolean
has_field_error (gpointer data)
{
  return esc_request_form_get_field_error (ESC_REQUEST_FORM (data), "/title") != NULL;
}

static gboolean
focus_is_in (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

typedef struct
{
  GtkWidget *scroller;
  GtkWidget *row;
} ShowWait;

/* The row and the message under it both show in the page */
static gboolean
error_shows (gpointer data)
{
  ShowWait *wait = data;
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (wait->scroller));
  GtkWidget *message = gtk_widget_get_next_sibling (wait->row);
  graphene_rect_t row_bounds, message_bounds;
  int height = gtk_widget_get_height (viewport);

  return message != NULL && gtk_widget_has_css_class (message, "esc-field-error") &&
         gtk_widget_compute_bounds (wait->row, viewport, &row_bounds) &&
         gtk_widget_compute_bounds (message, viewport, &message_bounds) &&
         message_bounds.size.height > 0 &&
         row_bounds.origin.y >= 0 && message_bounds.origin.y + message_bounds.size.height <= height;
}

/* Every problem at once, under each field, the first on screen brought into
 * view with its message; Ctrl+Return files from the Description too */
static void
test_form_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const fields[] = {
    "/title", "/description", "/contact/given_name", "/contact/surname", "/contact/phone",
    "/users_or_devices_impacted", "/first_noticed_at",
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  GtkWidget *form;
  GtkWidget *description;
  GtkScrolledWindow *scroller = NULL;
  GtkAdjustment *adjustment;
  ShowWait show;

  sign_in (fixture, fixture->admin_token);
  open_window (fixture);
  form = open_form (fixture);

  /* Required fields say so before filing, while empty */
  g_assert_true (gtk_widget_get_mapped (esc_test_ui_find_widget (row (form, "Title"), is_label_text, "Required")));
  g_assert_true (gtk_widget_get_mapped (esc_test_ui_find_widget (row (form, "Description"), is_label_text, "Required")));
  g_assert_true (gtk_widget_get_mapped (esc_test_ui_find_widget (row (form, "Phone"), is_label_text, "Required")));
  g_assert_false (gtk_widget_get_mapped (esc_test_ui_find_widget (row (form, "Email"), is_label_text, "Required")));

  type_into (form, "Given name", "");
  type_into (form, "Number of users or devices impacted", "many");
  esc_date_time_row_set_value (ESC_DATE_TIME_ROW (row (form, "First noticed")), tomorrow);

  /* From the bottom of the page, in the Description */
  for (GtkWidget *w = row (form, "Title"); w != NULL && scroller == NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      scroller = GTK_SCROLLED_WINDOW (w);
  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  next_frame (form);
  description = row (form, "Description");
  type_into (form, "Description", "");
  gtk_widget_grab_focus (description);
  g_assert_true (focus_is_in (description));

  if (!press_keys (form, GDK_KEY_Control_L, GDK_KEY_Return))
    {
      g_test_skip ("No XTest on this display: Ctrl+Return cannot be typed");
      return;
    }
  esc_test_ui_wait_until (has_field_error, form, "Ctrl+Return in the Description to file");

  /* It filed: no new line in the Description */
  g_assert_null (esc_request_text_row_dup_text (ESC_REQUEST_TEXT_ROW (description)));

  /* All the problems at once, each under its field */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *message = esc_request_form_get_field_error (ESC_REQUEST_FORM (form), fields[i]);

      g_test_message ("%s: %s", fields[i], message);
      g_assert_nonnull (message);
    }
  g_assert_nonnull (strstr (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/first_noticed_at"),
                            "future"));
  g_assert_true (gtk_widget_has_css_class (description, "error"));
  g_assert_true (gtk_widget_has_css_class (row (form, "Phone"), "error"));

  /* The first on screen, the Title, has the focus and shows with its message */
  g_assert_true (focus_is_in (row (form, "Title")));
  show = (ShowWait) { GTK_WIDGET (scroller), row (form, "Title") };
  esc_test_ui_wait_until (error_shows, &show, "the Title and its message to be scrolled into view");
  esc_test_ui_screenshot ("form-errors.png");

  /* Corrected, Ctrl+Return files from the Description */
  type_into (form, "Title", "Ctrl+Return files from the description");
  type_into (form, "Given name", "Camille");
  type_into (form, "Surname", "Martin");
  type_into (form, "Phone", "+33 1 23 45 67 89");
  type_into (form, "Number of users or devices impacted", "3");
  esc_date_time_row_set_value (ESC_DATE_TIME_ROW (row (form, "First noticed")), now);
  type_into (form, "Description", "Seen this morning");
  gtk_widget_grab_focus (description);
  {
    gpointer weak = form;

    g_object_add_weak_pointer (G_OBJECT (form), &weak);
    g_assert_true (press_keys (form, GDK_KEY_Control_L, GDK_KEY_Return));
    esc_test_ui_wait_until (is_destroyed, &weak, "Ctrl+Return to file and close the form");
  }
  /* Queued (the sender is not started here) */
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 1);
}

/* The next form starts with the contact of the last request filed */
static void
test_remembered_contact (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) last = NULL;
  GtkWidget *form;
  const char *value = NULL;

  sign_in (fixture, fixture->admin_token);
  esc_outbox_sender_start (fixture->sender);
  esc_sync_start (fixture->sync);
  open_window (fixture);

  form = open_form (fixture);
  /* The language is chosen from a list of languages, by their own names */
  g_assert_cmpuint (combo_n_items (form, "Language"), >=, 10);
  type_into (form, "Title", "Remember who to call");
  type_into (form, "Description", "The contact is not the account.");
  type_into (form, "Given name", "Alex");
  type_into (form, "Surname", "Durand");
  type_into (form, "Phone", "+33 6 12 34 56 78");
  choose (form, "Preferred contact method", "Phone");
  choose (form, "Language", "Français");
  file_and_wait (fixture, form, "Remember who to call");

  {
    g_autoptr(EscSupportRequest) listed = listed_request (fixture, "Remember who to call");
    g_autoptr(EscSupportRequest) remote = get_as_admin (fixture, esc_support_request_get_id (listed));

    g_assert_cmpstr (esc_support_request_get_contact (remote)->language, ==, "fr");
  }

  last = g_settings_get_value (settings, "last-contact");
  g_assert_true (g_variant_lookup (last, "surname", "&s", &value));
  g_assert_cmpstr (value, ==, "Durand");

  form = open_form (fixture);
  g_assert_cmpstr (text_of (form, "Given name"), ==, "Alex");
  g_assert_cmpstr (text_of (form, "Surname"), ==, "Durand");
  g_assert_cmpstr (text_of (form, "Phone"), ==, "+33 6 12 34 56 78");
  g_assert_cmpstr (text_of (form, "Email"), ==, "camille@example.org");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row (form, "Preferred contact method"))), ==, 1);
  {
    AdwComboRow *language = ADW_COMBO_ROW (row (form, "Language"));
    GtkStringObject *chosen = adw_combo_row_get_selected_item (language);

    g_assert_cmpstr (gtk_string_object_get_string (chosen), ==, "Français");
  }
}

static void
test_file_escalation (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *token = create_staff (fixture, "sam", TRUE);
  g_autoptr(EscSupportRequest) listed = NULL;
  g_autoptr(EscSupportRequest) remote = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *form;
  Wait wait = { 0, };
  const char *body;

  sign_in (fixture, token);
  esc_outbox_sender_start (fixture->sender);
  esc_sync_start (fixture->sync);
  open_window (fixture);

  form = open_form (fixture);

  /* Designated staff escalate, and escalations are severity C: the other
   * severities cannot be chosen, and the form says why */
  g_assert_cmpuint (combo_n_items (form, "Kind"), ==, 1);
  g_assert_cmpstr (esc_request_form_get_severity (ESC_REQUEST_FORM (form)), ==, "C");
  g_assert_false (gtk_widget_is_sensitive (row (form, "A — Critical impact")));
  g_assert_false (gtk_widget_is_sensitive (row (form, "B — Moderate impact")));
  g_assert_true (gtk_widget_get_visible (row (form, "Severity C only")));
  g_assert_false (gtk_widget_activate (row (form, "A — Critical impact")) &&
                  g_strcmp0 (esc_request_form_get_severity (ESC_REQUEST_FORM (form)), "A") == 0);
  g_assert_cmpstr (esc_request_form_get_severity (ESC_REQUEST_FORM (form)), ==, "C");

  choose (form, "Category", "Apps");
  choose (form, "Subcategory", "Microsoft 365 apps");
  type_into (form, "Title", "Outlook crashes at start on the finance team's devices");
  type_into (form, "Description", "Outlook closes within a second of starting, since the last update.");
  type_into (form, "Surname", "Lee");
  type_into (form, "Phone", "+33 6 12 34 56 78");
  gtk_widget_grab_focus (row (form, "C — Minimal impact"));
  esc_test_ui_screenshot ("form-escalation.png");

  file_and_wait (fixture, form, "Outlook crashes at start on the finance team's devices");
  listed = listed_request (fixture, "Outlook crashes at start on the finance team's devices");
  remote = get_as_admin (fixture, esc_support_request_get_id (listed));
  g_assert_cmpint (esc_support_request_get_kind (remote), ==, ESC_SUPPORT_REQUEST_KIND_ESCALATION);
  g_assert_cmpint (esc_support_request_get_severity (remote), ==, ESC_SUPPORT_SEVERITY_C);
  g_assert_cmpstr (esc_support_request_get_filer_name (remote), ==, "sam");

  /* Forced past the form, the service refuses it too */
  client = esc_client_new ();
  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (client, token);
  body = "{\"kind\":\"escalation\",\"type\":\"incident\",\"severity\":\"A\","
         "\"category\":\"apps\",\"subcategory\":\"microsoft-365-apps\","
         "\"title\":\"Everything is down\",\"description\":\"Really.\","
         "\"contact\":{\"given_name\":\"Sam\",\"surname\":\"Lee\",\"email\":\"sam@example.org\","
         "\"phone\":\"+33 6 12 34 56 78\",\"preferred_method\":\"email\",\"language\":\"en\"}}";
  esc_client_call_async (client, "POST", "/v1/support-requests", body, NULL, NULL, called_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the service's answer");
  g_assert_null (wait.result);
  g_assert_error (wait.error, ESC_API_ERROR, ESC_API_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (esc_api_error_get_field (wait.error), ==, "/severity");
  g_clear_error (&wait.error);
}

static void
test_routing_suggests_vendor (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *form;
  GtkWidget *answer;
  const char *subtitle;

  sign_in (fixture, fixture->admin_token);
  open_window (fixture);
  form = open_form (fixture);

  /* A hardware failure goes to the vendor: its contact is shown, and the form does not file it */
  choose (form, "Category", "Devices");
  choose (form, "Subcategory", "Hardware failure (screen, keyboard, battery…)");
  g_assert_cmpstr (esc_request_form_get_suggested_team (ESC_REQUEST_FORM (form)), ==, "Hardware vendor or OEM");
  answer = row (form, "Hardware vendor or OEM");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (answer));
  g_assert_nonnull (strstr (subtitle, "Directly to your hardware vendor or OEM."));
  g_assert_false (esc_request_form_get_can_file (ESC_REQUEST_FORM (form)));
  esc_test_ui_screenshot ("form-routing.png");

  /* Another category, and the person's own answers, route it again */
  choose (form, "Subcategory", "Configuration policy");
  g_assert_cmpstr (esc_request_form_get_suggested_team (ESC_REQUEST_FORM (form)), ==,
                   "The service’s operations team");
  g_assert_true (esc_request_form_get_can_file (ESC_REQUEST_FORM (form)));

  toggle (form, "The device’s hardware is at fault", TRUE);
  g_assert_cmpstr (esc_request_form_get_suggested_team (ESC_REQUEST_FORM (form)), ==, "Hardware vendor or OEM");
  toggle (form, "The device’s hardware is at fault", FALSE);
  toggle (form, "Something the service deployed is involved", FALSE);
  g_assert_cmpstr (esc_request_form_get_suggested_team (ESC_REQUEST_FORM (form)), ==,
                   "Existing support channel (Unified or Premier)");
  g_assert_false (esc_request_form_get_can_file (ESC_REQUEST_FORM (form)));
}

typedef struct
{
  EscWorkspace *workspace;
  const char   *account;
} DraftWait;

static gboolean
draft_has_title (gpointer data)
{
  DraftWait *wait = data;
  g_autofree char *draft = esc_workspace_load_draft (wait->workspace, wait->account,
                                                     ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST, NULL, NULL);

  return draft != NULL && strstr (draft, "Half-typed title") != NULL;
}

static void
test_draft_survives (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *key = NULL;
  GtkWidget *form;
  DraftWait wait;

  sign_in (fixture, fixture->admin_token);
  open_window (fixture);

  form = open_form (fixture);
  type_into (form, "Title", "Half-typed title");
  type_into (form, "Description", "Some words");

  /* Saved as typed, after a short pause, without closing anything */
  key = g_strdup_printf ("%s\n%s", esc_account_get_service_url (fixture->account),
                         esc_account_get_user (fixture->account));
  wait = (DraftWait) { fixture->workspace, key };
  esc_test_ui_wait_until (draft_has_title, &wait, "the draft to be saved");

  gtk_window_destroy (GTK_WINDOW (form));
  esc_test_ui_settle ();

  form = open_form (fixture);
  g_assert_cmpstr (text_of (form, "Title"), ==, "Half-typed title");
  {
    g_autofree char *text = esc_request_text_row_dup_text (ESC_REQUEST_TEXT_ROW (row (form, "Description")));
    g_assert_cmpstr (text, ==, "Some words");
  }
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/requests/file-admin-request", Fixture, NULL,
              fixture_setup, test_file_admin_request, fixture_teardown);
  g_test_add ("/ui/requests/form-errors", Fixture, NULL,
              fixture_setup, test_form_errors, fixture_teardown);
  g_test_add ("/ui/requests/remembered-contact", Fixture, NULL,
              fixture_setup, test_remembered_contact, fixture_teardown);
  g_test_add ("/ui/requests/file-escalation", Fixture, NULL,
              fixture_setup, test_file_escalation, fixture_teardown);
  g_test_add ("/ui/requests/routing-suggests-vendor", Fixture, NULL,
              fixture_setup, test_routing_suggests_vendor, fixture_teardown);
  g_test_add ("/ui/requests/draft-survives", Fixture, NULL,
              fixture_setup, test_draft_survives, fixture_teardown);

  return esc_test_ui_run ();
}
