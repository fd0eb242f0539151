/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>
#include <libsecret/secret.h>

#include "esc-api-error.h"
#include "esc-client.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-request-detail.h"
#include "esc-request-editor.h"
#include "esc-request-form.h"
#include "esc-request-list.h"
#include "esc-request-rows.h"
#include "esc-request-text-row.h"
#include "esc-requests-page.h"
#include "esc-sync.h"
#include "esc-test-keyring.h"
#include "esc-test-service.h"
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

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until @check returns TRUE, failing after 30 s (or
 * $ESCALADE_TEST_TIMEOUT seconds, e.g. under valgrind). */
static void
wait_until (gboolean   (*check) (gpointer),
            gpointer     data,
            const char  *what)
{
  const char *limit = g_getenv ("ESCALADE_TEST_TIMEOUT");
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (limit != NULL ? (guint)g_ascii_strtoull (limit, NULL, 10) : 30,
                                    timeout_cb, &timed_out);

  while (!check (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
}

static void
settle (void)
{
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static void
screenshot (const char *name)
{
  const char *dir = g_getenv ("ESCALADE_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (dir == NULL)
    return;

  /* Let the last frame reach the X server */
  for (guint i = 0; i < 20; i++)
    {
      settle ();
      g_usleep (20000);
    }

  path = g_build_filename (dir, name, NULL);
  {
    const char *argv[] = { "import", "-window", "root", path, NULL };

    if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error))
      g_test_message ("No screenshot: %s", error->message);
    else
      g_test_message ("Screenshot: %s", path);
  }
}

/* Finding widgets as a person finds them: by their labels ------------------------------ */

typedef gboolean (*WidgetMatch) (GtkWidget *widget, gconstpointer data);

static GtkWidget *
find_widget (GtkWidget     *root,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

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
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = find_widget (root, is_row_titled, title);

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
  GtkWidget *found = find_widget (row (root, title), is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));

  g_assert_nonnull (found);
  gtk_switch_set_active (GTK_SWITCH (found), active);
}

static guint
combo_n_items (GtkWidget  *root,
               const char *title)
{
  return g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (row (root, title))));
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = find_widget (root, is_button_labelled, label);

  if (button == NULL)
    g_error ("No button “%s” to click", label);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
collect_labels (GtkWidget *widget,
                GString   *out)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  else if (GTK_IS_INSCRIPTION (widget))
    {
      const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

      g_string_append (out, text != NULL ? text : "");
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
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
  GString *out = g_string_new (NULL);

  collect_labels (wait->widget, out);
  g_free (wait->text);
  wait->text = g_string_free (out, FALSE);

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
  wait_until (wait_done, &wait, "the sign-in");
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
  wait_until (wait_done, &wait, "the service's answer");
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

  /* What the application owns */
  fixture->client = esc_client_new ();
  fixture->account = esc_account_new (fixture->client);
  fixture->mirror = esc_mirror_new (fixture->workspace);
  fixture->outbox = esc_outbox_new (fixture->mirror);
  fixture->sender = esc_outbox_sender_new (fixture->account, fixture->outbox);
  esc_outbox_sender_set_retry_delays (fixture->sender, 20, 200);
  fixture->sync = esc_sync_new (fixture->account, fixture->mirror);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = esc_window_new (NULL, fixture->account);
  esc_window_set_connection (fixture->window, fixture->sender, fixture->sync);
  esc_window_set_workspace (fixture->window, fixture->workspace);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_until (is_drawn, fixture->window, "the window to be drawn");
  settle ();

  g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, "requests");
  fixture->page = ESC_REQUESTS_PAGE (find_widget (GTK_WIDGET (fixture->window), is_of_type,
                                                  GSIZE_TO_POINTER (ESC_TYPE_REQUESTS_PAGE)));
  g_assert_nonnull (fixture->page);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
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
  settle ();
  fixture->window = NULL;

  esc_outbox_sender_stop (fixture->sender);
  esc_sync_stop (fixture->sync);
  g_clear_object (&fixture->sync);
  g_clear_object (&fixture->sender);
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->mirror);
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->client);
  /* Answers still on their way (cancelled fetches) let go of what they hold */
  wait_until (only_ref, fixture->workspace, "the workspace to be released");
  g_assert_finalize_object (fixture->workspace);

  esc_test_service_stop (fixture->service);
  g_free (fixture->admin_token);
  remove_tree (fixture->dir);
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
  wait_until (is_drawn, form, "the form to be drawn");
  settle ();

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
  wait_until (is_destroyed, &weak, "the form to close once the request is queued");

  /* Queued at once, then sent and in the mirror */
  wait_until (is_listed, &wait, "the request to be listed as the service answered it");
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

  /* A date the form cannot read is said so under it */
  type_into (form, "First noticed", "yesterday morning");
  click (form, "_File Request");
  g_assert_nonnull (esc_request_form_get_field_error (ESC_REQUEST_FORM (form), "/first_noticed_at"));
  type_into (form, "First noticed", "2024-05-06 9:30");
  screenshot ("form.png");

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
    wait_until (shows_text, &wait, "the note in the timeline");
    g_test_message ("The detail shows:\n%s", wait.text);
    g_assert_nonnull (strstr (wait.text, "HP LaserJet M507"));
    g_assert_nonnull (strstr (wait.text, "Filed by camille"));
    g_free (wait.text);
  }
  screenshot ("detail.png");
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
  screenshot ("form-escalation.png");

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
  wait_until (wait_done, &wait, "the service's answer");
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
  screenshot ("form-routing.png");

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
  wait_until (draft_has_title, &wait, "the draft to be saved");

  gtk_window_destroy (GTK_WINDOW (form));
  settle ();

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
  settle ();

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
  settle ();
  g_clear_object (&item);
  item = g_list_model_get_item (rows, 0);
  g_assert_cmpint (esc_outbox_item_get_state (item), ==, ESC_OUTBOX_STATE_REFUSED);
  g_test_message ("Refused: %s", esc_outbox_item_get_error_message (item));

  /* Its detail offers to edit or discard it */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (view)), 0);
  settle ();
  detail = esc_requests_page_get_detail (fixture->page);
  g_assert_nonnull (find_widget (detail, is_button_labelled, "_Discard"));
  screenshot ("refused.png");

  /* A refusal that names a field puts the service's words under that field */
  g_assert_true (esc_outbox_record_failure (fixture->outbox, esc_outbox_item_get_id (item), TRUE,
                                            "unprocessable", 422, "The phone number cannot be reached.",
                                            "/contact/phone", NULL, &error));
  g_assert_no_error (error);
  click (detail, "_Edit…");
  settle ();
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
  screenshot ("form-refused.png");
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
  wait_until (is_listed, &row_wait, "the request to be listed");
  listed = listed_request (fixture, title);
  g_assert_true (esc_requests_page_select_request (fixture->page, esc_support_request_get_id (listed)));
  detail = esc_requests_page_get_detail (fixture->page);
  wait_until (is_drawn, detail, "the detail to show");
  settle ();

  /* Edit while open: severity A → C, through the outbox */
  click (detail, "_Edit…");
  editor = find_toplevel (ESC_TYPE_REQUEST_EDITOR);
  g_assert_nonnull (editor);
  wait_until (is_drawn, editor, "the editor to be drawn");
  choose (editor, "Severity", "C — Minimal impact");
  screenshot ("editor.png");
  click (editor, "_Save");
  wait_until (listed_as, &state_wait, "the new severity in the list");

  /* The operations team resolves it; after a sync it can be reactivated */
  operator_token = esc_test_service_create_token (fixture->service, "olga", "olga@example.org", "operator", &error);
  g_assert_no_error (error);
  g_assert_true (esc_client_set_base_url (operator, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (operator, operator_token);
  path = g_strdup_printf ("/v1/support-requests/%s/state", esc_support_request_get_id (listed));
  esc_client_call_async (operator, "POST", path, "{\"state\":\"resolved\",\"text\":\"Profile reassigned.\"}",
                         NULL, NULL, called_cb, &wait);
  wait_until (wait_done, &wait, "the operator's answer");
  g_assert_no_error (wait.error);
  g_clear_pointer ((JsonNode **)&wait.result, json_node_unref);

  wait = (Wait) { 0, };
  esc_sync_run_async (fixture->sync, NULL, synced_cb, &wait);
  wait_until (wait_done, &wait, "the sync");
  g_assert_no_error (wait.error);
  state_wait.state = ESC_SUPPORT_REQUEST_STATE_RESOLVED;
  wait_until (listed_as, &state_wait, "the resolution in the list");
  wait_until (is_visible, find_widget (detail, is_button_labelled_any, "_Reactivate…"),
              "the Reactivate button");
  screenshot ("detail-resolved.png");

  click (detail, "_Reactivate…");
  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_signal_emit_by_name (dialog, "response", "reactivate");
  gtk_window_destroy (GTK_WINDOW (dialog));
  state_wait.state = ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS;
  wait_until (listed_as, &state_wait, "the reactivation in the list");
}

/* A workspace of generated requests: filters and search ------------------------------- */

#define N_GENERATED 240

static void
generate (Fixture *fixture,
          gint64   me)
{
  g_autoptr(EscWorkspaceBulk) bulk = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *service = esc_test_service_get_url (fixture->service);

  bulk = esc_workspace_bulk_new (fixture->workspace, service, &error);
  g_assert_no_error (error);

  for (guint i = 1; i <= N_GENERATED; i++)
    {
      g_autoptr(EscSupportRequest) request = esc_support_request_new ();
      g_autoptr(EscSupportContact) contact = NULL;
      g_autoptr(GDateTime) created = g_date_time_new (utc, 2024, 5, 1 + i % 28, i % 24, 0, 0);
      g_autoptr(GDateTime) updated = g_date_time_add_hours (created, 2);
      g_autoptr(GDateTime) due = g_date_time_add_hours (created, 8);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;
      g_autofree char *id = g_strdup_printf ("SR-%06u", i);
      g_autofree char *title = NULL;
      g_autofree char *device = g_strdup_printf ("MMD-%05u", i);
      g_autofree char *created_text = g_date_time_format_iso8601 (created);
      g_autofree char *updated_text = g_date_time_format_iso8601 (updated);
      g_autofree char *due_text = g_date_time_format_iso8601 (due);
      const char *devices[] = { device, NULL };
      EscSupportRequestKind kind = i % 4 == 0 ? ESC_SUPPORT_REQUEST_KIND_ESCALATION : ESC_SUPPORT_REQUEST_KIND_ADMIN;
      EscSupportSeverity severity = kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION ? ESC_SUPPORT_SEVERITY_C
                                    : (EscSupportSeverity)(i % 3);
      EscWorkspaceBulkRequest row;

      if (i % 10 == 0)
        title = g_strdup_printf ("Printer driver blocked by policy (%u)", i);
      else
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
} Cell;

static int
compare_cells (gconstpointer a,
               gconstpointer b)
{
  double y1 = ((const Cell *)a)->y;
  double y2 = ((const Cell *)b)->y;

  return (y1 > y2) - (y1 < y2);
}

/* The cells of the Number column that are on screen, top to bottom */
static void
collect_number_cells (GtkWidget *widget,
                      GtkWidget *list,
                      GArray    *cells)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  /* The page marks each cell with its column; Number is the first */
  if (GTK_IS_INSCRIPTION (widget) &&
      g_object_get_data (G_OBJECT (widget), "esc-column") == GINT_TO_POINTER (0))
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (widget, list, &bounds) &&
          bounds.origin.y + bounds.size.height > 0 && bounds.origin.y < gtk_widget_get_height (list))
        {
          Cell cell = { bounds.origin.y, gtk_inscription_get_text (GTK_INSCRIPTION (widget)) };

          g_array_append_val (cells, cell);
        }
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_number_cells (child, list, cells);
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
  wait_until (flag_is_set, &painted, "a frame");
  /* The tick comes as the frame begins: this one is painted when the next begins */
  painted = FALSE;
  gtk_widget_add_tick_callback (widget, frame_painted_cb, &painted, NULL);
  wait_until (flag_is_set, &painted, "a frame");
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
  guint first = G_MAXUINT;

  g_assert_nonnull (list);
  collect_number_cells (list, list, cells);
  g_array_sort (cells, compare_cells);

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
  wait_until (rows_are, &wait, "the rows to match");

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
  wait_until (view_rows_are, &wait, "the view to have every row");
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
  generate (fixture, mine_id);

  /* No sync: the generated rows are what the mirror holds for the service */
  esc_mirror_set_service (fixture->mirror, esc_test_service_get_url (fixture->service));
  open_window (fixture);
  rows = esc_requests_page_get_rows (fixture->page);
  expect_rows (fixture, N_GENERATED, any);
  screenshot ("list.png");

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
  screenshot ("list-filtered.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "requests.clear-filters", NULL));

  search (fixture, "bitlocker");
  expect_rows (fixture, count_generated (gen_bitlocker), is_bitlocker);

  /* Scrolled to the end just after the rows changed, the screen shows them right */
  search (fixture, "");
  wait_until (rows_are, &(CountWait) { fixture, N_GENERATED }, "every row");
  {
    GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (esc_requests_page_get_column_view (fixture->page)));

    esc_requests_page_set_filter (fixture->page, "severity", "C", TRUE);
    wait_until (rows_are, &(CountWait) { fixture, count_generated (gen_severity_c) }, "the rows of severity C");
    next_frame (GTK_WIDGET (fixture->page));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    next_frame (GTK_WIDGET (fixture->page));
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
    expect_screen_right (fixture);
    screenshot ("list-scrolled.png");
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
  screenshot ("list-no-results.png");
  search (fixture, "");
  expect_rows (fixture, N_GENERATED, any);

  /* Mine: what the signed-in person filed */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_widget (GTK_WIDGET (fixture->page), is_button_labelled, "_Mine")), TRUE);
  expect_rows (fixture, count_generated (gen_mine), is_mine);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_widget (GTK_WIDGET (fixture->page), is_button_labelled, "_Mine")), FALSE);
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
    settle ();
    first = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (esc_support_request_get_id (first), ==, "SR-000001");

    gtk_column_view_sort_by_column (view, number, GTK_SORT_DESCENDING);
    settle ();
    last = g_list_model_get_item (rows, 0);
    g_assert_cmpstr (esc_support_request_get_id (last), ==, "SR-000240");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  EscTestKeyring *keyring;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      if (g_getenv ("ESCALADE_REQUIRE_DISPLAY") != NULL)
        g_error ("The UI tests need a display: run them under xvfb-run (see README.md)");
      g_test_skip ("No display: run the UI tests under xvfb-run (see README.md)");
      return g_test_run ();
    }

  /* Before GTK connects to any session bus: the keyring must be the private one */
  keyring = esc_test_keyring_start (&error);
  g_assert_no_error (error);

  adw_init ();

  /* The application's style sheet, as AdwApplication loads it */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/escalade/Escalade/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  g_test_add ("/ui/requests/file-admin-request", Fixture, NULL,
              fixture_setup, test_file_admin_request, fixture_teardown);
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

  ret = g_test_run ();

  secret_service_disconnect ();
  esc_test_keyring_stop (keyring);

  return ret;
}
