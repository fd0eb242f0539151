/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gmodule.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>
#include <sqlite3.h>

#include "esc-api-error.h"
#include "esc-application.h"
#include "esc-client.h"
#include "esc-date-time-row.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-request-detail.h"
#include "esc-request-editor.h"
#include "esc-request-form.h"
#include "esc-request-labels.h"
#include "esc-request-list.h"
#include "esc-request-rows.h"
#include "esc-request-text-row.h"
#include "esc-requests-page.h"
#include "esc-sync.h"
#include "esc-test-service.h"
#include "esc-test-ui.h"
#include "esc-window.h"
#include "esc-workspace-bench.h"

/* The Requests screen in a real window under a real display (Xvfb), on a real
 * workspace file, against a real escalade-service on loopback, signed in
 * through a private gnome-keyring. Set ESCALADE_TEST_SCREENSHOTS=DIR to save
 * screenshots of the screen (ImageMagick's import) on the way. */

typedef struct
{
  char            *dir;
  EscTestService  *service;
  char            *admin_token;
  EscWorkspace    *workspace;
  EscSession      *session;
  /* The session's */
  EscClient       *client;
  EscAccount      *account;
  EscMirror       *mirror;
  EscOutbox       *outbox;
  EscOutboxSender *sender;
  EscSync         *sync;
  EscWindow       *window;
  EscRequestsPage *page;
} Fixture;

/* Waiting ------------------------------------------------------------------------- */

/* Finding widgets as a person finds them: by their labels ------------------------------ */

static char *
without_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (*p != '_')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  g_autofree char *title = NULL;

  if (!ADW_IS_PREFERENCES_ROW (widget))
    return FALSE;

  title = without_mnemonic (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  return g_str_has_prefix (title, data);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_button_labelled_any (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_label_text (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = esc_test_ui_find_widget (root, is_row_titled, title);

  if (found == NULL)
    g_error ("No row titled “%s”", title);
  return found;
}

static void
type_into (GtkWidget  *root,
           const char *title,
           const char *text)
{
  GtkWidget *found = row (root, title);

  if (ESC_IS_REQUEST_TEXT_ROW (found))
    esc_request_text_row_set_text (ESC_REQUEST_TEXT_ROW (found), text);
  else
    gtk_editable_set_text (GTK_EDITABLE (found), text);
}

static const char *
text_of (GtkWidget  *root,
         const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (row (root, title)));
}

/* Chooses @item in the combo row titled @title */
static void
choose (GtkWidget  *root,
        const char *title,
        const char *item)
{
  AdwComboRow *combo = ADW_COMBO_ROW (row (root, title));
  GListModel *model = adw_combo_row_get_model (combo);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (string), item))
        {
          adw_combo_row_set_selected (combo, i);
          return;
        }
    }

  g_error ("No “%s” in “%s”", item, title);
}

/* Sets the switch of the row titled @title */
static void
toggle (GtkWidget  *root,
        const char *title,
        gboolean    active)
{
  GtkWidget *found = esc_test_ui_find_widget (row (root, title), esc_test_ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));

  g_assert_nonnull (found);
  gtk_switch_set_active (GTK_SWITCH (found), active);
}

static guint
combo_n_items (GtkWidget  *root,
               const char *title)
{
  return g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row (root, title))));
}

typedef struct
{
  GtkWidget  *root;
  const char *label;
} ButtonWait;

static gboolean
shows_button (gpointer data)
{
  ButtonWait *wait = data;

  return esc_test_ui_find_widget (wait->root, is_button_labelled, wait->label) != NULL;
}

/* Clicks the button as soon as it is shown: a pane that slides in (the
 * detail's flap) shows its buttons a few frames after it was asked to. */
static void
click (GtkWidget  *root,
       const char *label)
{
  ButtonWait wait = { root, label };
  g_autofree char *what = g_strdup_printf ("the button “%s” to be shown", label);
  GtkWidget *button;

  esc_test_ui_wait_until (shows_button, &wait, what);
  button = esc_test_ui_find_widget (root, is_button_labelled, label);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

typedef struct
{
  GtkWidget  *widget;
  const char *expected;
  char       *text;
} TextWait;

/* The text the widget shows contains @expected */
static gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_free (wait->text);
  wait->text = esc_test_ui_visible_text (wait->widget);

  return strstr (wait->text, wait->expected) != NULL;
}

/* The service ------------------------------------------------------------------------ */

typedef struct
{
  gpointer  result;
  GError   *error;
  gboolean  done;
} Wait;

static gboolean
wait_done (gpointer data)
{
  return ((Wait *)data)->done;
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_account_sign_in_finish (ESC_ACCOUNT (object), result, &wait->error);
  wait->done = TRUE;
}

static void
sign_in (Fixture    *fixture,
         const char *token)
{
  Wait wait = { 0, };

  esc_account_sign_in_async (fixture->account, esc_test_service_get_url (fixture->service), token,
                             NULL, signed_in_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sign-in");
  g_assert_no_error (wait.error);
  g_clear_object (&wait.result);
}

static char *
create_staff (Fixture    *fixture,
              const char *name,
              gboolean    escalation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", name);
  char *token;

  token = esc_test_service_create_token (fixture->service, name, email, "support-staff", &error);
  g_assert_no_error (error);

  if (escalation)
    {
      const char *argv[] = { "designation", "grant", "--user", name, "--capability", "escalation",
                             "--reason", "On the escalation support team", NULL };

      esc_test_service_run (fixture->service, argv, NULL, &error);
      g_assert_no_error (error);
    }

  return token;
}

static void
got_request_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_get_support_request_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

/* GET /v1/support-requests/{id} as the IT administrator */
static EscSupportRequest *
get_as_admin (Fixture    *fixture,
              const char *id)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  g_assert_no_error (error);
  esc_client_set_token (client, fixture->admin_token);

  esc_client_get_support_request_async (client, id, NULL, got_request_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the service's answer");
  g_assert_no_error (wait.error);

  return wait.result;
}

static void
called_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_call_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

/* Fixture ---------------------------------------------------------------------------- */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* Each test starts with no contact remembered from another */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_reset (settings, "last-contact");
  }

  fixture->dir = g_dir_make_tmp ("escalade-ui-requests-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);

  fixture->service = esc_test_service_start (&error);
  g_assert_no_error (error);
  fixture->admin_token = esc_test_service_create_token (fixture->service, "camille", "camille@example.org",
                                                        "it-admin", &error);
  g_assert_no_error (error);

  /* What the application owns; the tests start the sender and the sync when they need them */
  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
  fixture->client = esc_session_get_client (fixture->session);
  fixture->account = esc_session_get_account (fixture->session);
  fixture->mirror = esc_session_get_mirror (fixture->session);
  fixture->outbox = esc_session_get_outbox (fixture->session);
  fixture->sender = esc_session_get_sender (fixture->session);
  esc_outbox_sender_set_retry_delays (fixture->sender, 20, 200);
  fixture->sync = esc_session_get_sync (fixture->session);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
  esc_test_ui_settle ();

  g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, "requests");
  fixture->page = ESC_REQUESTS_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                  GSIZE_TO_POINTER (ESC_TYPE_REQUESTS_PAGE)));
  g_assert_nonnull (fixture->page);
}

static gboolean
only_ref (gpointer data)
{
  return G_OBJECT (data)->ref_count == 1;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  /* Forms and dialogs left open go first */
  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (toplevel);
    }
  esc_test_ui_settle ();
  if (fixture->window != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->window));
  fixture->page = NULL;

  esc_session_stop (fixture->session);
  fixture->sync = NULL;
  fixture->sender = NULL;
  fixture->outbox = NULL;
  fixture->mirror = NULL;
  fixture->account = NULL;
  fixture->client = NULL;
  /* Answers still on their way (cancelled fetches) let go of it */
  esc_test_ui_wait_until (only_ref, fixture->session, "the session to be released");
  g_assert_finalize_object (fixture->session);
  /* Answers still on their way (cancelled fetches) let go of what they hold */
  esc_test_ui_wait_until (only_ref, fixture->workspace, "the workspace to be released");
  g_assert_finalize_object (fixture->workspace);

  esc_test_service_stop (fixture->service);
  g_free (fixture->admin_token);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* The list ------------------------------------------------------------------------------ */

typedef struct
{
  Fixture    *fixture;
  const char *title;
} RowWait;

/* The mirrored request of the list with that title, or NULL */
static EscSupportRequest *
listed_request (Fixture    *fixture,
                const char *title)
{
  GListModel *rows = esc_requests_page_get_rows (fixture->page);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (rows, i);

      if (ESC_IS_SUPPORT_REQUEST (item) &&
          g_strcmp0 (esc_support_request_get_title (ESC_SUPPORT_REQUEST (item)), title) == 0)
        return ESC_SUPPORT_REQUEST (g_steal_pointer (&item));
    }

  return NULL;
}

static gboolean
is_listed (gpointer data)
{
  RowWait *wait = data;
  g_autoptr(EscSupportRequest) request = listed_request (wait->fixture, wait->title);

  return request != NULL;
}

static GtkWidget *
open_form (Fixture *fixture)
{
  GtkWidget *form;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "requests.new", NULL));
  form = GTK_WIDGET (esc_requests_page_open_form (fixture->page));
  g_assert_true (ESC_IS_REQUEST_FORM (form));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, form, "the form to be drawn");
  esc_test_ui_settle ();

  return form;
}

static gboolean
is_destroyed (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static void
file_and_wait (Fixture    *fixture,
               GtkWidget  *form,
               const char *title)
{
  RowWait wait = { fixture, title };
  gpointer weak = form;

  g_object_add_weak_pointer (G_OBJECT (form), &weak);
  click (form, "_File Request");
  esc_test_ui_wait_until (is_destroyed, &weak, "the form to close once the request is queued");

  /* Queued at once, then sent and in the mirror */
  esc_test_ui_wait_until (is_listed, &wait, "the request to be listed as the service answered it");
  g_assert_cmpuint (esc_outbox_get_n_queued (fixture->outbox), ==, 0);
}

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

static void next_frame (GtkWidget *widget);

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

/* The first toplevel of @type, or NULL */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WIDGET (toplevel);
    }

  return NULL;
}

typedef struct
{
  Fixture                *fixture;
  const char             *title;
  EscSupportSeverity      severity;
  EscSupportRequestState  state;
} StateWait;

static gboolean
listed_as (gpointer data)
{
  StateWait *wait = data;
  g_autoptr(EscSupportRequest) request = listed_request (wait->fixture, wait->title);

  return request != NULL &&
         esc_support_request_get_severity (request) == wait->severity &&
         esc_support_request_get_state (request) == wait->state;
}

static gboolean
is_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_get_mapped (data);
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  esc_sync_run_finish (ESC_SYNC (object), result, &wait->error);
  wait->done = TRUE;
}

static void
test_edit_and_reactivate (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(EscSupportRequest) request = esc_support_request_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(EscSupportRequest) listed = NULL;
  g_autoptr(EscClient) operator = esc_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *operator_token = NULL;
  g_autofree char *path = NULL;
  const char *title = "Autopilot profile not applied to new devices";
  GtkWidget *detail;
  GtkWidget *editor;
  GtkWidget *dialog;
  RowWait row_wait = { fixture, title };
  StateWait state_wait = { fixture, title, ESC_SUPPORT_SEVERITY_C, ESC_SUPPORT_REQUEST_STATE_NEW };
  Wait wait = { 0, };

  sign_in (fixture, fixture->admin_token);
  esc_outbox_sender_start (fixture->sender);
  esc_sync_start (fixture->sync);
  open_window (fixture);

  /* A severity A request, filed through the outbox as the form does */
  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org", "+33 1 23 45 67 89",
                                     ESC_CONTACT_METHOD_EMAIL, "fr");
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_A);
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "enrollment");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, "New devices stay on the out-of-box screen.");
  esc_support_request_set_contact (request, contact);
  item = esc_outbox_sender_file_support_request (fixture->sender, request, NULL, &error);
  g_assert_no_error (error);
  esc_test_ui_wait_until (is_listed, &row_wait, "the request to be listed");
  listed = listed_request (fixture, title);
  g_assert_true (esc_requests_page_select_request (fixture->page, esc_support_request_get_id (listed)));
  detail = esc_requests_page_get_detail (fixture->page);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, detail, "the detail to show");
  esc_test_ui_settle ();

  /* Edit while open: severity A → C, through the outbox */
  click (detail, "_Edit…");
  editor = find_toplevel (ESC_TYPE_REQUEST_EDITOR);
  g_assert_nonnull (editor);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, editor, "the editor to be drawn");
  choose (editor, "Severity", "C — Minimal impact");
  esc_test_ui_screenshot ("editor.png");
  click (editor, "_Save");
  esc_test_ui_wait_until (listed_as, &state_wait, "the new severity in the list");

  /* The operations team resolves it; after a sync it can be reactivated */
  operator_token = esc_test_service_create_token (fixture->service, "olga", "olga@example.org", "operator", &error);
  g_assert_no_error (error);
  g_assert_true (esc_client_set_base_url (operator, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (operator, operator_token);
  path = g_strdup_printf ("/v1/support-requests/%s/state", esc_support_request_get_id (listed));
  esc_client_call_async (operator, "POST", path, "{\"state\":\"resolved\",\"text\":\"Profile reassigned.\"}",
                         NULL, NULL, called_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the operator's answer");
  g_assert_no_error (wait.error);
  g_clear_pointer ((JsonNode **)&wait.result, json_node_unref);

  wait = (Wait) { 0, };
  esc_sync_run_async (fixture->sync, NULL, synced_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sync");
  g_assert_no_error (wait.error);
  state_wait.state = ESC_SUPPORT_REQUEST_STATE_RESOLVED;
  esc_test_ui_wait_until (listed_as, &state_wait, "the resolution in the list");
  esc_test_ui_wait_until (is_visible, esc_test_ui_find_widget (detail, is_button_labelled_any, "_Reactivate…"),
              "the Reactivate button");
  esc_test_ui_screenshot ("detail-resolved.png");

  click (detail, "_Reactivate…");
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "reactivate");
  gtk_window_destroy (GTK_WINDOW (dialog));
  state_wait.state = ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS;
  esc_test_ui_wait_until (listed_as, &state_wait, "the reactivation in the list");
}

/* A workspace of generated requests: filters and search ------------------------------- */

#define N_GENERATED 240

/* Request number @i of a generated workspace, its fields derived from @i; the
 * title too unless @given_title is given */
static void
add_generated (EscWorkspaceBulk *bulk,
               guint             i,
               const char       *given_title,
               gint64            me)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(EscSupportRequest) request = esc_support_request_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(GDateTime) created = g_date_time_new (utc, 2024, 5, 1 + i % 28, i % 24, 0, 0);
  g_autoptr(GDateTime) updated = g_date_time_add_hours (created, 2);
  g_autoptr(GDateTime) due = g_date_time_add_hours (created, 8);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *id = g_strdup_printf ("SR-%06u", i);
  g_autofree char *title = g_strdup (given_title);
  g_autoptr(GError) error = NULL;
  g_autofree char *device = g_strdup_printf ("MMD-%05u", i);
  g_autofree char *created_text = g_date_time_format_iso8601 (created);
  g_autofree char *updated_text = g_date_time_format_iso8601 (updated);
  g_autofree char *due_text = g_date_time_format_iso8601 (due);
  const char *devices[] = { device, NULL };
  EscSupportRequestKind kind = i % 4 == 0 ? ESC_SUPPORT_REQUEST_KIND_ESCALATION : ESC_SUPPORT_REQUEST_KIND_ADMIN;
  EscSupportSeverity severity = kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION ? ESC_SUPPORT_SEVERITY_C
                                : (EscSupportSeverity)(i % 3);
  EscWorkspaceBulkRequest row;

  if (title == NULL && i % 10 == 0)
    title = g_strdup_printf ("Printer driver blocked by policy (%u)", i);
  else if (title == NULL)
    title = g_strdup_printf ("Outlook crashes at start (%u)", i);

  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org", "+33 1 23 45 67 89",
                                     ESC_CONTACT_METHOD_EMAIL, "fr");
  esc_support_request_set_id (request, id);
  esc_support_request_set_kind (request, kind);
  esc_support_request_set_request_type (request, (EscSupportRequestType)(i % 3));
  esc_support_request_set_severity (request, severity);
  if (severity == ESC_SUPPORT_SEVERITY_B)
    esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS);
  esc_support_request_set_state (request, (EscSupportRequestState)(i % 6));
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "configuration-policy");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, i % 7 == 0 ? "Seen after the BitLocker rollout." : "Since the update.");
  esc_support_request_set_contact (request, contact);
  esc_support_request_set_devices (request, devices);
  esc_support_request_set_filer (request, i % 5 == 0 ? me : me + 1000, i % 5 == 0 ? "camille" : "someone");
  esc_support_request_set_created_at (request, created);
  esc_support_request_set_updated_at (request, updated);
  esc_support_request_set_response_due_at (request, due);

  node = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
  json = json_to_string (node, FALSE);

  row = (EscWorkspaceBulkRequest) {
    .id = id,
    .kind = esc_support_request_kind_to_string (kind),
    .type = esc_support_request_type_to_string (esc_support_request_get_request_type (request)),
    .severity = esc_support_severity_to_string (severity),
    .state = esc_support_request_state_to_string (esc_support_request_get_state (request)),
    .title = title,
    .filed_by = esc_support_request_get_filer_name (request),
    .created_at = created_text,
    .updated_at = updated_text,
    .response_due_at = due_text,
    .json = json,
  };
  esc_workspace_bulk_add_support_request (bulk, &row, &error);
  g_assert_no_error (error);
}

/* N_GENERATED requests, and one more titled @extra_title if given */
static void
generate (Fixture    *fixture,
          gint64      me,
          const char *extra_title)
{
  g_autoptr(EscWorkspaceBulk) bulk = NULL;
  g_autoptr(GError) error = NULL;
  const char *service = esc_test_service_get_url (fixture->service);

  bulk = esc_workspace_bulk_new (fixture->workspace, service, &error);
  g_assert_no_error (error);

  for (guint i = 1; i <= N_GENERATED; i++)
    add_generated (bulk, i, NULL, me);
  if (extra_title != NULL)
    add_generated (bulk, N_GENERATED + 1, extra_title, me);

  esc_workspace_bulk_commit (bulk, &error);
  g_assert_no_error (error);
}

typedef struct
{
  Fixture *fixture;
  guint    n;
} CountWait;

static gboolean
rows_are (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (esc_requests_page_get_rows (wait->fixture->page)) == wait->n;
}

static gboolean
view_rows_are (gpointer data)
{
  CountWait *wait = data;
  GtkColumnView *view = esc_requests_page_get_column_view (wait->fixture->page);

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))) == wait->n;
}

typedef struct
{
  double      y;
  const char *text;
  GtkWidget  *widget;
} Cell;

static int
compare_cells (gconstpointer a,
               gconstpointer b)
{
  double y1 = ((const Cell *)a)->y;
  double y2 = ((const Cell *)b)->y;

  return (y1 > y2) - (y1 < y2);
}

/* Each cell is named after its column (esc-request-cell.h) */
#define COLUMN_NUMBER   "number"
#define COLUMN_SEVERITY "severity"

/* The cells of a column that are on screen (sort them top to bottom) */
static void
collect_cells (GtkWidget  *widget,
               GtkWidget  *list,
               const char *column,
               GArray     *cells)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_INSCRIPTION (widget) &&
      g_strcmp0 (gtk_widget_get_name (widget), column) == 0)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (widget, list, &bounds) &&
          bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (list))
        {
          Cell cell = { bounds.origin.y, gtk_inscription_get_text (GTK_INSCRIPTION (widget)), widget };

          g_array_append_val (cells, cell);
        }
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cells (child, list, column, cells);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
frame_painted_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

/* Waits for the next frame: what a person would see then */
static void
next_frame (GtkWidget *widget)
{
  gboolean painted = FALSE;

  gtk_widget_add_tick_callback (widget, frame_painted_cb, &painted, NULL);
  esc_test_ui_wait_until (flag_is_set, &painted, "a frame");
  /* The tick comes as the frame begins: this one is painted when the next begins */
  painted = FALSE;
  gtk_widget_add_tick_callback (widget, frame_painted_cb, &painted, NULL);
  esc_test_ui_wait_until (flag_is_set, &painted, "a frame");
}

/* Every row on screen shows its own request: the numbers seen, top to bottom,
 * are those of consecutive rows of the list (the page writes the cells out of
 * view later, but never lets one show an older row) */
static void
expect_screen_right (Fixture *fixture)
{
  GtkColumnView *view = esc_requests_page_get_column_view (fixture->page);
  GListModel *rows = esc_requests_page_get_rows (fixture->page);
  GtkWidget *list = find_list_view (GTK_WIDGET (view));
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  g_autoptr(GArray) badges = g_array_new (FALSE, FALSE, sizeof (Cell));
  guint first = G_MAXUINT;

  g_assert_nonnull (list);
  collect_cells (list, list, COLUMN_NUMBER, cells);
  g_array_sort (cells, compare_cells);
  collect_cells (list, list, COLUMN_SEVERITY, badges);
  g_array_sort (badges, compare_cells);
  g_assert_cmpuint (badges->len, ==, cells->len);

  if (g_list_model_get_n_items (rows) > 0)
    g_assert_cmpuint (cells->len, >, 0);

  for (guint i = 0; i < g_list_model_get_n_items (rows) && first == G_MAXUINT && cells->len > 0; i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (rows, i);

      if (g_strcmp0 (esc_support_request_get_id (request), g_array_index (cells, Cell, 0).text) == 0)
        first = i;
    }
  if (cells->len > 0 && first == G_MAXUINT)
    g_error ("The first row on screen shows %s, which is not in the list", g_array_index (cells, Cell, 0).text);

  for (guint c = 0; c < cells->len; c++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (rows, first + c);

      g_assert_nonnull (request);
      g_assert_cmpstr (g_array_index (cells, Cell, c).text, ==, esc_support_request_get_id (request));

      /* The severity's letter, read by its name */
      {
        EscSupportSeverity severity = esc_support_request_get_severity (request);
        g_autofree char *wrong = NULL;

        g_assert_cmpstr (g_array_index (badges, Cell, c).text, ==, esc_support_severity_to_string (severity));
        wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (g_array_index (badges, Cell, c).widget),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                    esc_support_severity_get_label (severity));
        if (wrong != NULL)
          g_error ("The severity of %s is read “%s”", esc_support_request_get_id (request), wrong);
      }
    }
}

static void
expect_rows (Fixture *fixture,
             guint    n,
             gboolean (*check) (EscSupportRequest *request))
{
  GListModel *rows = esc_requests_page_get_rows (fixture->page);
  CountWait wait = { fixture, n };

  GListModel *shown = G_LIST_MODEL (gtk_column_view_get_model (esc_requests_page_get_column_view (fixture->page)));

  /* The search entry waits a little before it searches */
  esc_test_ui_wait_until (rows_are, &wait, "the rows to match");

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (rows, i);

      g_assert_true (check (request));
    }

  /* What is on screen in the next frame is right already */
  next_frame (GTK_WIDGET (fixture->page));
  expect_screen_right (fixture);

  /* And the column view has them all, in the same order, within a few frames
   * (a long list comes a screenful a frame) */
  esc_test_ui_wait_until (view_rows_are, &wait, "the view to have every row");
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n);
  for (guint i = 0; i < MIN (n, 30); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (shown, i);
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (rows, i);
      GObject *item = esc_request_rows_get_item (row);

      g_assert_true (ESC_IS_SUPPORT_REQUEST (item));
      g_assert_cmpstr (esc_support_request_get_id (ESC_SUPPORT_REQUEST (item)), ==,
                       esc_support_request_get_id (request));
    }
}

static gboolean
any (EscSupportRequest *request)
{
  return TRUE;
}

static gboolean
severity_a (EscSupportRequest *request)
{
  return esc_support_request_get_severity (request) == ESC_SUPPORT_SEVERITY_A;
}

static gboolean
severity_a_and_new_or_resolved (EscSupportRequest *request)
{
  EscSupportRequestState state = esc_support_request_get_state (request);

  return severity_a (request) &&
         (state == ESC_SUPPORT_REQUEST_STATE_NEW || state == ESC_SUPPORT_REQUEST_STATE_RESOLVED);
}

static gboolean
is_printer (EscSupportRequest *request)
{
  return strstr (esc_support_request_get_title (request), "Printer") != NULL;
}

static gboolean
is_printer_escalation (EscSupportRequest *request)
{
  return is_printer (request) && esc_support_request_get_kind (request) == ESC_SUPPORT_REQUEST_KIND_ESCALATION;
}

static gboolean
is_bitlocker (EscSupportRequest *request)
{
  return strstr (esc_support_request_get_description (request), "BitLocker") != NULL;
}

static gint64 mine_id;

static gboolean
is_mine (EscSupportRequest *request)
{
  return esc_support_request_get_filer_id (request) == mine_id;
}

static guint
count_generated (gboolean (*check) (guint i))
{
  guint n = 0;

  for (guint i = 1; i <= N_GENERATED; i++)
    n += check (i) ? 1 : 0;

  return n;
}

static gboolean gen_severity_a (guint i) { return i % 4 != 0 && i % 3 == 0; }
static gboolean gen_a_new_resolved (guint i) { return gen_severity_a (i) && (i % 6 == 0 || i % 6 == 4); }
static gboolean gen_printer (guint i) { return i % 10 == 0; }
static gboolean gen_printer_escalation (guint i) { return i % 10 == 0 && i % 4 == 0; }
static gboolean gen_bitlocker (guint i) { return i % 7 == 0; }
static gboolean gen_mine (guint i) { return i % 5 == 0; }
static gboolean gen_severity_c (guint i) { return i % 4 == 0 || i % 3 == 2; }

static void
search (Fixture    *fixture,
        const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (esc_requests_page_get_search_entry (fixture->page)), text);
}

static void
test_filter_and_search (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkColumnView *view;
  GListModel *rows;
  GListModel *columns;

  sign_in (fixture, fixture->admin_token);
  g_object_get (esc_account_get_identity (fixture->account), "id", &mine_id, NULL);
  g_assert_cmpint (mine_id, >, 0);
  generate (fixture, mine_id, NULL);

  /* No sync: the generated rows are what the mirror holds for the service */
  esc_mirror_set_service (fixture->mirror, esc_test_service_get_url (fixture->service));
  open_window (fixture);
  rows = esc_requests_page_get_rows (fixture->page);
  expect_rows (fixture, N_GENERATED, any);
  esc_test_ui_screenshot ("list.png");

  esc_requests_page_set_filter (fixture->page, "severity", "A", TRUE);
  expect_rows (fixture, count_generated (gen_severity_a), severity_a);

  esc_requests_page_set_filter (fixture->page, "state", "new", TRUE);
  esc_requests_page_set_filter (fixture->page, "state", "resolved", TRUE);
  expect_rows (fixture, count_generated (gen_a_new_resolved), severity_a_and_new_or_resolved);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "requests.clear-filters", NULL));
  expect_rows (fixture, N_GENERATED, any);

  /* Search: words of the title, the description, a device name, the number */
  search (fixture, "printer driv");
  expect_rows (fixture, count_generated (gen_printer), is_printer);
  esc_requests_page_set_filter (fixture->page, "kind", "escalation", TRUE);
  expect_rows (fixture, count_generated (gen_printer_escalation), is_printer_escalation);
  esc_test_ui_screenshot ("list-filtered.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "requests.clear-filters", NULL));

  search (fixture, "bitlocker");
  expect_rows (fixture, count_generated (gen_bitlocker), is_bitlocker);

  /* Scrolled to the end just after the rows changed, the screen shows them right */
  search (fixture, "");
  esc_test_ui_wait_until (rows_are, &(CountWait) { fixture, N_GENERATED }, "every row");
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (esc_requests_page_get_column_view (fixture->page)));

    esc_requests_page_set_filter (fixture->page, "severity", "C", TRUE);
    esc_test_ui_wait_until (rows_are, &(CountWait) { fixture, count_generated (gen_severity_c) }, "the rows of severity C");
    next_frame (GTK_WIDGET (fixture->page));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    next_frame (GTK_WIDGET (fixture->page));
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
    expect_screen_right (fixture);
    esc_test_ui_screenshot ("list-scrolled.png");
    gtk_adjustment_set_value (adjustment, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "requests.clear-filters", NULL));
    expect_rows (fixture, N_GENERATED, any);
  }
  search (fixture, "MMD-00042");
  expect_rows (fixture, 1, any);
  {
    g_autoptr(EscSupportRequest) request = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (esc_support_request_get_id (request), ==, "SR-000042");
  }
  search (fixture, "no such thing anywhere");
  expect_rows (fixture, 0, any);
  g_assert_cmpstr (esc_requests_page_get_view (fixture->page), ==, "no-results");
  esc_test_ui_screenshot ("list-no-results.png");
  search (fixture, "");
  expect_rows (fixture, N_GENERATED, any);

  /* Mine: what the signed-in person filed */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_button_labelled, "_Mine")), TRUE);
  expect_rows (fixture, count_generated (gen_mine), is_mine);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_button_labelled, "_Mine")), FALSE);
  expect_rows (fixture, N_GENERATED, any);

  /* Sorting by a column header sorts in the store */
  view = esc_requests_page_get_column_view (fixture->page);
  columns = gtk_column_view_get_columns (view);
  {
    g_autoptr(GtkColumnViewColumn) number = g_list_model_get_item (columns, 0);
    g_autoptr(EscSupportRequest) first = NULL;
    g_autoptr(EscSupportRequest) last = NULL;

    g_assert_cmpstr (gtk_column_view_column_get_title (number), ==, "Number");
    gtk_column_view_sort_by_column (view, number, GTK_SORT_ASCENDING);
    esc_test_ui_settle ();
    first = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (esc_support_request_get_id (first), ==, "SR-000001");

    gtk_column_view_sort_by_column (view, number, GTK_SORT_DESCENDING);
    esc_test_ui_settle ();
    last = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (esc_support_request_get_id (last), ==, "SR-000240");
  }
}

/* Export as CSV ------------------------------------------------------------------------ */

/* RFC 4180, read here independently of the app's writer: the records of @text,
 * each a NULL-terminated array of fields; every record must end with CRLF */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr(GPtrArray) record = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;
  const char *p = text;

  while (*p != '\0')
    {
      if (quoted)
        {
          if (p[0] == '"' && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p += 2;
            }
          else if (p[0] == '"')
            {
              quoted = FALSE;
              p++;
            }
          else
            g_string_append_c (field, *p++);
        }
      else if (p[0] == '"' && field->len == 0)
        {
          quoted = TRUE;
          p++;
        }
      else if (p[0] == ',')
        {
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
        }
      else if (p[0] == '\r' && p[1] == '\n')
        {
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (record, NULL);
          g_ptr_array_add (records, g_ptr_array_steal (record, NULL));
          p += 2;
        }
      else
        {
          /* A bare quote or newline inside an unquoted field is not CSV */
          g_assert_true (p[0] != '"' && p[0] != '\n' && p[0] != '\r');
          g_string_append_c (field, *p++);
        }
    }

  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  g_assert_cmpuint (record->len, ==, 0);

  return records;
}

static char *
format_utc (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return g_strdup ("");
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
is_printer_admin (EscSupportRequest *request)
{
  return is_printer (request) && esc_support_request_get_kind (request) == ESC_SUPPORT_REQUEST_KIND_ADMIN;
}

static gboolean gen_printer_admin (guint i) { return i % 10 == 0 && i % 4 != 0; }

/* Chooses Export… (Ctrl+E): with no portal on the test's bus, GTK falls back
 * to its own file chooser dialog, a window of this process */
static GtkFileChooser *
open_export_chooser (Fixture *fixture)
{
  GtkWidget *chooser;

  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "requests.export", NULL));
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  if (chooser == NULL)
    g_error ("No file chooser dialog: did GTK use a portal?");
  esc_test_ui_wait_until (esc_test_ui_is_drawn, chooser, "the file chooser to be drawn");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (chooser)), ==, "Export the List as CSV");
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  {
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    g_assert_cmpstr (name, ==, "support-requests.csv");
  }

  return GTK_FILE_CHOOSER (chooser);
}

/* The chooser answered: hidden, or already destroyed with its native dialog */
static gboolean
chooser_closed (gpointer data)
{
  GtkWidget *chooser = *(gpointer *)data;

  return chooser == NULL || !gtk_widget_get_visible (chooser);
}

static void
wait_for_chooser_to_close (GtkFileChooser *chooser)
{
  gpointer weak = chooser;

  g_object_add_weak_pointer (G_OBJECT (chooser), &weak);
  esc_test_ui_wait_until (chooser_closed, &weak, "the file chooser to close");
  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (chooser), &weak);
}

typedef struct
{
  const char *folder;
  gboolean    gone;
} VanishingFolder;

/* An emission hook runs before the handlers: before the page learns the answer */
static gboolean
folder_vanishes_cb (GSignalInvocationHint *hint,
                    guint                  n_values,
                    const GValue          *values,
                    gpointer               data)
{
  VanishingFolder *vanishing = data;

  g_assert_cmpint (g_value_get_int (&values[1]), ==, GTK_RESPONSE_ACCEPT);
  g_assert_cmpint (g_rmdir (vanishing->folder), ==, 0);
  vanishing->gone = TRUE;

  return FALSE;  /* once */
}

static gboolean
is_toast (GtkWidget     *widget,
          gconstpointer  data)
{
  return g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0 && gtk_widget_get_mapped (widget);
}

static gboolean
no_toast (gpointer data)
{
  return esc_test_ui_find_widget (data, is_toast, NULL) == NULL;
}

static gboolean
has_toast (gpointer data)
{
  return !no_toast (data);
}

/* Waits for a toast and checks that it says @text: (transfer full) all it says.
 * It is not dismissed: libadwaita 1.2 frees a toast closed during its 300 ms
 * show animation too early (fixed upstream in 1.3), so each toast checked
 * here is the first of its window. */
static char *
expect_toast (Fixture    *fixture,
              const char *text)
{
  GtkWidget *toast;
  TextWait wait;

  esc_test_ui_wait_until (has_toast, fixture->window, "a toast");
  toast = esc_test_ui_find_widget (GTK_WIDGET (fixture->window), is_toast, NULL);
  wait = (TextWait) { toast, text };
  if (!shows_text (&wait))
    g_error ("The toast says “%s”, not “%s”", wait.text, text);
  g_test_message ("Toast: %s", wait.text);

  return wait.text;
}

#define QUOTED_TITLE "Printer \"HP LaserJet, 3rd floor\" driver blocked"

/* The generated requests and one titled with a comma and quotes, filtered,
 * searched and sorted: how many rows the list has */
static guint
show_printers (Fixture *fixture)
{
  GtkColumnView *view;
  guint n = count_generated (gen_printer_admin) + 1;

  sign_in (fixture, fixture->admin_token);
  g_object_get (esc_account_get_identity (fixture->account), "id", &mine_id, NULL);
  generate (fixture, mine_id, QUOTED_TITLE);
  esc_mirror_set_service (fixture->mirror, esc_test_service_get_url (fixture->service));
  open_window (fixture);
  expect_rows (fixture, N_GENERATED + 1, any);

  esc_requests_page_set_filter (fixture->page, "kind", "admin", TRUE);
  search (fixture, "printer driv");
  expect_rows (fixture, n, is_printer_admin);
  view = esc_requests_page_get_column_view (fixture->page);
  {
    g_autoptr(GtkColumnViewColumn) number = g_list_model_get_item (gtk_column_view_get_columns (view), 0);

    g_assert_cmpstr (gtk_column_view_column_get_title (number), ==, "Number");
    gtk_column_view_sort_by_column (view, number, GTK_SORT_DESCENDING);
  }
  expect_rows (fixture, n, is_printer_admin);
  {
    g_autoptr(EscSupportRequest) first = g_list_model_get_item (esc_requests_page_get_rows (fixture->page), 0);

    g_assert_cmpstr (esc_support_request_get_id (first), ==, "SR-000241");
    g_assert_cmpstr (esc_support_request_get_title (first), ==, QUOTED_TITLE);
  }

  return n;
}

/* At the window's default size, the title is the widest column; no column
 * goes past the list's edge; with the detail open the columns fit again */
static void
expect_columns_fit (Fixture *fixture,
                    gboolean title_widest)
{
  GtkColumnView *view = esc_requests_page_get_column_view (fixture->page);
  GListModel *columns = gtk_column_view_get_columns (view);
  GtkWidget *scroller = gtk_widget_get_parent (GTK_WIDGET (view));
  int title_width = 0;
  int widest_other = 0;
  int total = 0;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      int width = gtk_column_view_column_get_fixed_width (column);

      if (!gtk_column_view_column_get_visible (column))
        continue;

      g_test_message ("%s: %d", gtk_column_view_column_get_title (column), width);
      total += width;
      if (g_str_equal (gtk_column_view_column_get_title (column), "Title"))
        title_width = width;
      else
        widest_other = MAX (widest_other, width);
    }

  g_test_message ("list: %d, columns: %d", gtk_widget_get_width (scroller), total);
  g_assert_cmpint (total, <=, gtk_widget_get_width (scroller));
  g_assert_cmpint (title_width, >=, 200);
  /* The title takes the spare width: wider than any other, a third of the list */
  if (title_widest)
    {
      g_assert_cmpint (title_width, >, widest_other);
      g_assert_cmpint (title_width * 3, >=, gtk_widget_get_width (scroller));
    }
}

static void
test_columns (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 me = 0;

  sign_in (fixture, fixture->admin_token);
  g_object_get (esc_account_get_identity (fixture->account), "id", &me, NULL);
  generate (fixture, me, NULL);
  esc_mirror_set_service (fixture->mirror, esc_test_service_get_url (fixture->service));
  open_window (fixture);
  expect_rows (fixture, N_GENERATED, any);

  /* The default size: GSettings' window-width */
  {
    int width = 0, height = 0;

    gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
    g_assert_cmpint (width, ==, 1100);
  }
  next_frame (GTK_WIDGET (fixture->page));
  expect_columns_fit (fixture, TRUE);

  /* 1280 pixels, the detail open */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 760);
  g_assert_true (esc_requests_page_select_request (fixture->page, "SR-000010"));
  next_frame (GTK_WIDGET (fixture->page));
  next_frame (GTK_WIDGET (fixture->page));
  esc_test_ui_screenshot ("list-detail.png");
  expect_columns_fit (fixture, FALSE);
}

static void
test_export_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected_toast = NULL;
  GtkFileChooser *chooser;
  GListModel *rows;
  guint n;
  const char * const header[] = {
    "ID", "Kind", "Type", "Severity", "State", "Title", "Filed by", "Next action owner",
    "Response due", "Last update", NULL
  };

  /* A filter, a search and a sort: the export is the list as it is now */
  n = show_printers (fixture);
  rows = esc_requests_page_get_rows (fixture->page);

  root = g_dir_make_tmp ("escalade-export-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_file_new_for_path (root);
  path = g_build_filename (root, "printers.csv", NULL);

  chooser = open_export_chooser (fixture);
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (chooser, "printers.csv");
  esc_test_ui_screenshot ("export-chooser.png");
  click (GTK_WIDGET (chooser), "_Export");
  wait_for_chooser_to_close (chooser);
  expected_toast = g_strdup_printf ("%u requests exported", n);
  g_free (expect_toast (fixture, expected_toast));

  /* The file, as a person opening it would read it */
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_test_message ("The export:\n%s", text);
  records = parse_csv (text);
  g_assert_cmpuint (records->len, ==, n + 1);
  g_assert_cmpstrv (g_ptr_array_index (records, 0), header);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (rows, i);
      g_autofree char *due = format_utc (esc_support_request_get_response_due_at (request));
      g_autofree char *updated = format_utc (esc_support_request_get_updated_at (request));
      const char * const expected[] = {
        esc_support_request_get_id (request),
        esc_support_request_kind_get_label (esc_support_request_get_kind (request)),
        esc_support_request_type_get_label (esc_support_request_get_request_type (request)),
        esc_support_severity_to_string (esc_support_request_get_severity (request)),
        esc_support_request_state_get_label (esc_support_request_get_state (request)),
        esc_support_request_get_title (request),
        esc_support_request_get_filer_name (request),
        "",
        due,
        updated,
        NULL
      };

      g_assert_cmpstrv (g_ptr_array_index (records, i + 1), expected);
    }

  /* Quoted as RFC 4180 says, in the view's order (highest number first) */
  g_assert_true (g_str_has_prefix (text, "ID,Kind,Type,Severity,State,Title,Filed by,Next action owner,"
                                         "Response due,Last update\r\n"
                                         "SR-000241,Admin request,Request for information,B,In progress,"
                                         "\"Printer \"\"HP LaserJet, 3rd floor\"\" driver blocked\",someone,,"
                                         "2024-05-18T09:00:00Z,2024-05-18T03:00:00Z\r\n"
                                         "SR-000230,Admin request,Change request,C,Waiting on customer,"));

  /* Only the file that was asked for */
  dir = g_dir_open (root, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "printers.csv");
  g_assert_null (g_dir_read_name (dir));

  esc_test_ui_remove_tree (root);
}

static void
test_export_csv_fails (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *root = NULL;
  g_autofree char *gone = NULL;
  GtkFileChooser *chooser;

  show_printers (fixture);
  root = g_dir_make_tmp ("escalade-export-XXXXXX", &error);
  g_assert_no_error (error);

  /* A folder that goes away as the export starts (a USB stick pulled out
   * just after Export was clicked): the export fails, says why, and leaves
   * nothing behind. The chooser checks the folder before it answers, so it
   * goes just after that, as the file chooser (portal or not) answers. */
  gone = g_build_filename (root, "usb-stick", NULL);
  g_assert_cmpint (g_mkdir (gone, 0700), ==, 0);
  chooser = open_export_chooser (fixture);
  {
    g_autoptr(GFile) gone_file = g_file_new_for_path (gone);
    VanishingFolder vanishing = { gone, FALSE };
    guint hook;

    g_assert_true (gtk_file_chooser_set_current_folder (chooser, gone_file, &error));
    g_assert_no_error (error);
    hook = g_signal_add_emission_hook (g_signal_lookup ("response", GTK_TYPE_NATIVE_DIALOG), 0,
                                       folder_vanishes_cb, &vanishing, NULL);
    click (GTK_WIDGET (chooser), "_Export");
    wait_for_chooser_to_close (chooser);
    if (!vanishing.gone)
      {
        g_signal_remove_emission_hook (g_signal_lookup ("response", GTK_TYPE_NATIVE_DIALOG), hook);
        g_error ("The file chooser did not answer “Export”");
      }
  }
  {
    g_autofree char *said = expect_toast (fixture, "The export failed: ");

    /* Which file, and why */
    g_assert_nonnull (strstr (said, gone));
    g_assert_nonnull (strstr (said, "No such file or directory"));
    g_assert_null (strstr (said, "exported"));
  }

  /* Nothing written anywhere: no file, no temporary file beside it */
  g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  dir = g_dir_open (root, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));

  esc_test_ui_remove_tree (root);
}

/* Desktop notifications, from the whole application ------------------------------------ */

/* A notification server of our own on the test's private session bus. Outside
 * a sandbox, GLib 2.74 sends GNotifications through org.gtk.Notifications when
 * that name has an owner (GNOME Shell), else through the freedesktop.org
 * org.freedesktop.Notifications: that is the one we own, and nobody owns the
 * other here. */

typedef struct
{
  char      *sender;
  guint32    id;
  guint32    replaces_id;
  char      *summary;
  char      *body;
  char     **actions;
  GVariant  *hints;
} Notification;

static void
notification_free (gpointer data)
{
  Notification *notification = data;

  g_free (notification->sender);
  g_free (notification->summary);
  g_free (notification->body);
  g_strfreev (notification->actions);
  g_clear_pointer (&notification->hints, g_variant_unref);
  g_free (notification);
}

typedef struct
{
  GDBusConnection *connection;  /* its own connection to the bus */
  guint            object_id;
  GPtrArray       *received;    /* Notification, in the order they came */
  guint32          last_id;
} NotificationServer;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  NotificationServer *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      Notification *notification = g_new0 (Notification, 1);
      const char *app_name;
      const char *icon;
      const char *summary;
      const char *body;
      gint32 timeout;

      g_variant_get (parameters, "(&su&s&s&s^as@a{sv}i)", &app_name, &notification->replaces_id, &icon,
                     &summary, &body, &notification->actions, &notification->hints, &timeout);
      notification->sender = g_strdup (sender);
      notification->summary = g_strdup (summary);
      notification->body = g_strdup (body);
      notification->id = notification->replaces_id != 0 ? notification->replaces_id : ++server->last_id;
      g_ptr_array_add (server->received, notification);
      g_test_message ("Notification %u: %s — %s", notification->id, summary, body);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *capabilities[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "escalade-test", "Escalade",
                                                                      "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable notifications_vtable = { notifications_method_cb, NULL, NULL, { 0 } };

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static NotificationServer *
notification_server_start (void)
{
  NotificationServer *server = g_new0 (NotificationServer, 1);
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint32 result = 0;

  server->received = g_ptr_array_new_with_free_func (notification_free);

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);

  /* The private bus of esc_test_keyring_start() */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  server->connection = g_dbus_connection_new_for_address_sync (address,
                                                               G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                               NULL, NULL, &error);
  g_assert_no_error (error);
  server->object_id = g_dbus_connection_register_object (server->connection, "/org/freedesktop/Notifications",
                                                         info->interfaces[0], &notifications_vtable,
                                                         server, NULL, &error);
  g_assert_no_error (error);

  reply = g_dbus_connection_call_sync (server->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications",
                                                      4 /* DBUS_NAME_FLAG_DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */);

  return server;
}

static void
notification_server_stop (NotificationServer *server)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_unregister_object (server->connection, server->object_id);
  g_dbus_connection_close_sync (server->connection, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&server->connection);
  g_ptr_array_unref (server->received);
  g_free (server);
}

static guint
n_received (NotificationServer *server,
            const char         *summary)
{
  guint n = 0;

  for (guint i = 0; i < server->received->len; i++)
    {
      Notification *notification = g_ptr_array_index (server->received, i);

      n += g_strcmp0 (notification->summary, summary) == 0 ? 1 : 0;
    }

  return n;
}

static Notification *
find_received (NotificationServer *server,
               const char         *summary)
{
  for (guint i = 0; i < server->received->len; i++)
    {
      Notification *notification = g_ptr_array_index (server->received, i);

      if (g_strcmp0 (notification->summary, summary) == 0)
        return notification;
    }

  return NULL;
}

typedef struct
{
  NotificationServer *server;
  const char         *summary;
} ReceivedWait;

static gboolean
was_received (gpointer data)
{
  ReceivedWait *wait = data;

  return n_received (wait->server, wait->summary) > 0;
}

static void
server_answered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &wait->error);
  wait->done = TRUE;
}

/* A round trip to the server on the application's own connection: answered
 * after every notification the application sent before it */
static void
notifications_barrier (GApplication *app)
{
  Wait wait = { 0, };

  g_dbus_connection_call (g_application_get_dbus_connection (app), "org.freedesktop.Notifications",
                          "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                          "GetServerInformation", NULL, G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE,
                          -1, NULL, server_answered_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the notification server's answer");
  g_assert_no_error (wait.error);
  g_variant_unref (wait.result);
}

/* The service, as its people use it */

static JsonNode *
call_as (Fixture    *fixture,
         const char *token,
         const char *method,
         const char *path,
         const char *body)
{
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(GError) error = NULL;
  Wait wait = { 0, };

  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  g_assert_no_error (error);
  esc_client_set_token (client, token);
  esc_client_call_async (client, method, path, body, NULL, NULL, called_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the service's answer");
  g_assert_no_error (wait.error);

  return wait.result;
}

/* An admin request filed by the IT administrator (elsewhere than in this
 * application): its id */
static char *
file_as_admin (Fixture    *fixture,
               const char *severity,
               const char *title)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  body = g_strdup_printf ("{\"kind\":\"admin\",\"type\":\"incident\",\"severity\":\"%s\","
                          "\"category\":\"devices\",\"subcategory\":\"configuration-policy\","
                          "\"title\":\"%s\",\"description\":\"Seen on every device of the floor.\","
                          "\"contact\":{\"given_name\":\"Camille\",\"surname\":\"Martin\","
                          "\"email\":\"camille@example.org\",\"phone\":\"+33 1 23 45 67 89\","
                          "\"preferred_method\":\"email\",\"language\":\"fr\"}}",
                          severity, title);
  node = call_as (fixture, fixture->admin_token, "POST", "/v1/support-requests", body);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
}

/* The operations team moves a request to @state */
static void
move_as_operator (Fixture    *fixture,
                  const char *token,
                  const char *id,
                  const char *state)
{
  g_autofree char *path = g_strdup_printf ("/v1/support-requests/%s/state", id);
  g_autofree char *body = g_strdup_printf ("{\"state\":\"%s\",\"text\":\"From the operations team.\"}", state);

  json_node_unref (call_as (fixture, token, "POST", path, body));
}

/* The service's settings are data in its database, edited there: it has no
 * command for them */
static void
set_service_setting (Fixture    *fixture,
                     const char *key,
                     const char *value)
{
  sqlite3 *db = NULL;
  char *sql;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (esc_test_service_get_database (fixture->service), &db,
                                    SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  sql = sqlite3_mprintf ("UPDATE settings SET value = %Q WHERE key = %Q", value, key);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("Could not change the service's setting %s: %s", key, message);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_free (sql);
  sqlite3_close (db);
}

static gboolean
keep_waking_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
clock_reached (gpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_compare (now, data) >= 0;
}

/* The application runs, with its notifier ------------------------------------------- */

typedef struct
{
  Fixture            *fixture;
  NotificationServer *server;
  GApplication       *app;
  char               *operator_token;
  char               *assigned;   /* filed before the application starts */
  char               *resolved;
  gboolean            started;
} AppTest;

static gboolean
app_ready (gpointer data)
{
  AppTest *test = data;
  EscApplication *app = ESC_APPLICATION (test->app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  EscSession *session = esc_application_get_session (app);
  EscSync *sync = esc_session_get_sync (session);

  return ESC_IS_WINDOW (window) && esc_test_ui_is_drawn (window) &&
         esc_account_get_identity (esc_session_get_account (session)) != NULL &&
         sync != NULL && esc_sync_get_last_synced (sync) != NULL;
}

static void
refresh (AppTest *test)
{
  /* The Refresh button of the Requests screen */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (test->fixture->page), "requests.refresh", NULL));
}

static Notification *
expect_notification (AppTest    *test,
                     const char *summary,
                     const char *title)
{
  ReceivedWait wait = { test->server, summary };
  Notification *notification;
  g_autofree char *quoted = g_strdup_printf ("“%s”", title);

  esc_test_ui_wait_until (was_received, &wait, summary);
  notification = find_received (test->server, summary);

  /* From this application, on its own connection, saying which request */
  g_assert_cmpstr (notification->sender, ==,
                   g_dbus_connection_get_unique_name (g_application_get_dbus_connection (test->app)));
  g_assert_nonnull (strstr (notification->body, quoted));
  {
    const char *entry = NULL;

    g_assert_true (g_variant_lookup (notification->hints, "desktop-entry", "&s", &entry));
    g_assert_cmpstr (entry, ==, APPLICATION_ID);
  }
  /* Clicking it does something: the default action */
  g_assert_true (g_strv_contains ((const char * const *)notification->actions, "default"));

  return notification;
}

typedef struct
{
  Fixture    *fixture;
  const char *id;
} DetailWait;

static gboolean
detail_shows (gpointer data)
{
  DetailWait *wait = data;
  GtkWidget *detail = esc_requests_page_get_detail (wait->fixture->page);

  return g_strcmp0 (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)), wait->id) == 0;
}

static gboolean
run_in_app_cb (gpointer data)
{
  AppTest *test = data;
  Fixture *fixture = test->fixture;
  g_autofree char *overdue = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GDateTime) ready_at = NULL;
  const char *overdue_title = "Autopilot profile not applied to new devices";
  GDBusConnection *connection;
  Notification *notification;

  esc_test_ui_wait_until (app_ready, test, "the application to start, sign in and sync");
  ready_at = g_date_time_new_now_utc ();
  fixture->window = ESC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (test->app)));
  fixture->page = ESC_REQUESTS_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                  GSIZE_TO_POINTER (ESC_TYPE_REQUESTS_PAGE)));
  g_assert_nonnull (fixture->page);

  /* Registered on the test's bus, where GLib will use the freedesktop.org server */
  g_assert_true (g_application_get_is_registered (test->app));
  connection = g_application_get_dbus_connection (test->app);
  g_assert_nonnull (connection);
  g_assert_cmpstr (g_dbus_connection_get_guid (connection), ==, g_dbus_connection_get_guid (test->server->connection));
  g_assert_false (name_has_owner (connection, "org.gtk.Notifications"));
  g_assert_true (name_has_owner (connection, "org.freedesktop.Notifications"));

  /* Requests first seen say nothing */
  esc_test_ui_wait_until (is_listed, &(RowWait) { fixture, "VPN drops every ten minutes" }, "the first request");
  esc_test_ui_wait_until (is_listed, &(RowWait) { fixture, "Printers offline on the 3rd floor" }, "the second request");
  notifications_barrier (test->app);
  g_assert_cmpuint (test->server->received->len, ==, 0);

  /* An engineer takes one of the person's requests */
  move_as_operator (fixture, test->operator_token, test->assigned, "in-progress");
  refresh (test);
  summary = g_strdup_printf ("%s was assigned", test->assigned);
  notification = expect_notification (test, summary, "VPN drops every ten minutes");
  g_assert_nonnull (strstr (notification->body, "started work"));
  g_clear_pointer (&summary, g_free);

  /* Another is resolved straight away: "resolved" alone */
  move_as_operator (fixture, test->operator_token, test->resolved, "resolved");
  refresh (test);
  summary = g_strdup_printf ("%s was resolved", test->resolved);
  notification = expect_notification (test, summary, "Printers offline on the 3rd floor");
  g_assert_nonnull (strstr (notification->body, "reactivate it within 24 hours"));
  g_clear_pointer (&summary, g_free);

  /* A request whose initial response is due as it is filed (the service's
   * target for severity A set to 0 minutes) and passes while the application
   * runs. The service's times are whole seconds, the notifier's clock is
   * the real one: file it once a second has begun since the application
   * started, so that its due time is after the start */
  set_service_setting (fixture, "support.response-minutes.A", "0");
  {
    g_autoptr(GDateTime) next = g_date_time_new_from_unix_utc (g_date_time_to_unix (ready_at) + 1);
    guint tick = g_timeout_add (10, keep_waking_cb, NULL);

    esc_test_ui_wait_until (clock_reached, next, "a second to begin since the application started");
    g_source_remove (tick);
  }
  overdue = file_as_admin (fixture, "A", overdue_title);
  refresh (test);
  summary = g_strdup_printf ("%s: the response is overdue", overdue);
  notification = expect_notification (test, summary, overdue_title);
  g_assert_nonnull (strstr (notification->body, "No engineer has responded"));

  /* Once: the request changing again, and more syncs, do not say it again */
  {
    g_autofree char *path = g_strdup_printf ("/v1/support-requests/%s/comments", overdue);

    json_node_unref (call_as (fixture, fixture->admin_token, "POST", path, "{\"text\":\"Still nothing.\"}"));
  }
  refresh (test);
  refresh (test);
  /* Something else to say, after which any repeat would have come */
  move_as_operator (fixture, test->operator_token, test->assigned, "resolved");
  refresh (test);
  g_free (summary);
  summary = g_strdup_printf ("%s was resolved", test->assigned);
  expect_notification (test, summary, "VPN drops every ten minutes");
  notifications_barrier (test->app);

  {
    g_autofree char *assigned = g_strdup_printf ("%s was assigned", test->assigned);
    g_autofree char *resolved = g_strdup_printf ("%s was resolved", test->resolved);
    g_autofree char *late = g_strdup_printf ("%s: the response is overdue", overdue);
    g_autoptr(GString) all = g_string_new (NULL);

    for (guint i = 0; i < test->server->received->len; i++)
      g_string_append_printf (all, "%s\n", ((Notification *)g_ptr_array_index (test->server->received, i))->summary);
    g_test_message ("Received:\n%s", all->str);

    g_assert_cmpuint (n_received (test->server, late), ==, 1);
    g_assert_cmpuint (n_received (test->server, assigned), ==, 1);
    g_assert_cmpuint (n_received (test->server, resolved), ==, 1);
    g_assert_cmpuint (n_received (test->server, summary), ==, 1);
    g_assert_cmpuint (test->server->received->len, ==, 4);
  }

  /* Clicking the overdue notification shows that request */
  {
    g_autofree char *late = g_strdup_printf ("%s: the response is overdue", overdue);
    g_autoptr(GError) error = NULL;

    /* At once: the list takes a sync's changes in at most every 200 ms, and
     * a request the sync wrote again has a new key in the mirror; the page
     * takes the changes in before it looks for the request */
    g_assert_null (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (esc_requests_page_get_detail (fixture->page))));

    notification = find_received (test->server, late);
    g_assert_true (g_dbus_connection_emit_signal (test->server->connection, NULL, "/org/freedesktop/Notifications",
                                                  "org.freedesktop.Notifications", "ActionInvoked",
                                                  g_variant_new ("(us)", notification->id, "default"), &error));
    g_assert_no_error (error);
    esc_test_ui_wait_until (detail_shows, &(DetailWait) { fixture, overdue }, "the request of the notification");
    g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, "requests");
    esc_test_ui_screenshot ("notification-clicked.png");
  }

  /* The person dismisses the others. (GLib 2.74's freedesktop.org backend
   * and its open notifications hold each other: it is freed when the server
   * has closed them all, and would crash if the server went away first.) */
  for (guint i = 0; i < test->server->received->len; i++)
    {
      g_autoptr(GError) error = NULL;

      notification = g_ptr_array_index (test->server->received, i);
      g_assert_true (g_dbus_connection_emit_signal (test->server->connection, NULL, "/org/freedesktop/Notifications",
                                                    "org.freedesktop.Notifications", "NotificationClosed",
                                                    g_variant_new ("(uu)", notification->id, 2 /* dismissed */),
                                                    &error));
      g_assert_no_error (error);
    }
  notifications_barrier (test->app);

  /* The person closes the window: the application ends */
  while (gtk_application_get_windows (GTK_APPLICATION (test->app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (test->app))->data);
  fixture->window = NULL;
  fixture->page = NULL;

  return G_SOURCE_REMOVE;
}

static void
app_activated_cb (GApplication *app,
                  AppTest      *test)
{
  /* Activated again by a notification's action */
  if (test->started)
    return;

  test->started = TRUE;
  g_idle_add (run_in_app_cb, test);
}

static void
test_notifications (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GError) error = NULL;
  g_autofree char *workspace = g_build_filename (fixture->dir, "application.sqlite3", NULL);
  const char *argv[] = { "escalade", "--workspace", workspace,
                         "--service", esc_test_service_get_url (fixture->service), NULL };
  AppTest test = { fixture, };
  int status;

  test.server = notification_server_start ();
  test.operator_token = esc_test_service_create_token (fixture->service, "olga", "olga@example.org",
                                                       "operator", &error);
  g_assert_no_error (error);

  /* Signed in once before: the token is in the keyring, the application
   * restores the session as it does at every start */
  sign_in (fixture, fixture->admin_token);
  g_settings_set_string (settings, "account-user", "camille");

  /* Two of the person's requests, open before the application starts */
  test.assigned = file_as_admin (fixture, "C", "VPN drops every ten minutes");
  test.resolved = file_as_admin (fixture, "C", "Printers offline on the 3rd floor");

  /* The application as escalade runs it */
  test.app = G_APPLICATION (esc_application_new ());
  g_signal_connect_after (test.app, "activate", G_CALLBACK (app_activated_cb), &test);
  status = g_application_run (test.app, G_N_ELEMENTS (argv) - 1, (char **)argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (test.started);
  g_assert_finalize_object (test.app);

  g_settings_reset (settings, "account-user");
  g_settings_reset (settings, "service-url");
  notification_server_stop (test.server);
  g_free (test.operator_token);
  g_free (test.assigned);
  g_free (test.resolved);
}

/* EscRequestRows paces the source's plain changes for GTK 4.8's views (see
 * src/ui/esc-request-rows.c): the rows a view holds keep their positions and
 * show what comes there; only the end of the list comes or goes, a step at a
 * time, never rows removed along with rows added. */
typedef struct
{
  guint n;            /* the rows model's length as a view follows it */
  guint emissions;
} RowsSeen;

static void
rows_seen_cb (GListModel *model,
              guint       position,
              guint       removed,
              guint       added,
              RowsSeen   *seen)
{
  /* At the end only, and one way only */
  g_assert_true (removed == 0 || added == 0);
  g_assert_cmpuint (position + removed, ==, seen->n);
  seen->n = seen->n - removed + added;
  seen->emissions++;
}

static void
rows_flush_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GListStore *
objects_new (guint n)
{
  GListStore *store = g_list_store_new (G_TYPE_OBJECT);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);

      g_list_store_append (store, object);
    }
  return store;
}

static void
assert_rows_show_source (GListModel *rows,
                         GListModel *source)
{
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, g_list_model_get_n_items (source));
  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = g_list_model_get_item (source, i);

      g_assert_true (esc_request_rows_get_item (row) == item);
    }
}

static void
test_rows_pacing (void)
{
  g_autoptr(GListStore) source = objects_new (1000);
  g_autoptr(EscRequestRows) rows = esc_request_rows_new (G_LIST_MODEL (source));
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) found = objects_new (40);
  g_autoptr(GListStore) more = objects_new (300);
  RowsSeen seen = { 1000, 0 };
  guint steps = 0;

  g_signal_connect (rows, "items-changed", G_CALLBACK (rows_seen_cb), &seen);

  /* The rows a view holds (its anchor, its focus) */
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (held, g_list_model_get_item (G_LIST_MODEL (rows), i));

  /* A sync moves row 500 to the top: one removal and one insertion in the
   * source, taken together before the next frame; nothing comes or goes */
  {
    g_autoptr(GObject) moved = g_list_model_get_item (G_LIST_MODEL (source), 500);

    g_list_store_remove (source, 500);
    g_list_store_insert (source, 0, moved);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 1000);
    rows_flush_idle ();
    g_assert_cmpuint (seen.emissions, ==, 0);
    assert_rows_show_source (G_LIST_MODEL (rows), G_LIST_MODEL (source));
  }

  /* A search: the source replaces its 1000 rows with 40 in one change; the
   * view loses the end of the list, and the rows it holds show the results */
  g_list_store_splice (source, 0, 1000, NULL, 0);
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < 40; i++)
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (found), i));
    g_list_store_splice (source, 0, 0, items->pdata, items->len);
  }
  rows_flush_idle ();
  g_assert_cmpuint (seen.emissions, ==, 1);
  g_assert_cmpuint (seen.n, ==, 40);
  assert_rows_show_source (G_LIST_MODEL (rows), G_LIST_MODEL (source));
  for (guint i = 0; i < held->len; i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (G_LIST_MODEL (rows), i);

      g_assert_true (row == g_ptr_array_index (held, i));
    }

  /* The search erased: the rows come back a step at a time */
  esc_request_rows_set_growth (rows, 30, 200);
  {
    g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

    for (guint i = 0; i < 300; i++)
      g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (more), i));
    g_list_store_splice (source, 0, 40, items->pdata, items->len);
  }
  rows_flush_idle ();
  g_assert_cmpuint (seen.n, ==, 70);
  g_assert_true (esc_request_rows_is_stepping (rows));
  while (esc_request_rows_is_stepping (rows))
    {
      esc_request_rows_step (rows);
      steps++;
    }
  g_assert_cmpuint (steps, >=, 4);
  g_assert_cmpuint (seen.n, ==, 300);
  assert_rows_show_source (G_LIST_MODEL (rows), G_LIST_MODEL (source));

  g_signal_handlers_disconnect_by_data (rows, &seen);
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/requests/file-admin-request", Fixture, NULL,
              fixture_setup, test_file_admin_request, fixture_teardown);
  g_test_add ("/ui/requests/filed-or-queued", Fixture, NULL,
              fixture_setup, test_filed_or_queued, fixture_teardown);
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
  g_test_add ("/ui/requests/refused-request", Fixture, NULL,
              fixture_setup, test_refused_request, fixture_teardown);
  g_test_add ("/ui/requests/edit-and-reactivate", Fixture, NULL,
              fixture_setup, test_edit_and_reactivate, fixture_teardown);
  g_test_add ("/ui/requests/filter-and-search", Fixture, NULL,
              fixture_setup, test_filter_and_search, fixture_teardown);
  g_test_add ("/ui/requests/columns", Fixture, NULL,
              fixture_setup, test_columns, fixture_teardown);
  g_test_add ("/ui/requests/export-csv", Fixture, NULL,
              fixture_setup, test_export_csv, fixture_teardown);
  g_test_add ("/ui/requests/export-csv-fails", Fixture, NULL,
              fixture_setup, test_export_csv_fails, fixture_teardown);
  g_test_add ("/ui/requests/notifications", Fixture, NULL,
              fixture_setup, test_notifications, fixture_teardown);

  g_test_add_func ("/ui/requests/rows-pacing", test_rows_pacing);

  return esc_test_ui_run ();
}
