/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-account.h"
#include "esc-client.h"
#include "esc-request-form.h"
#include "esc-request-text-row.h"
#include "esc-test-requests-ui.h"
#include "esc-test-ui.h"

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

gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

gboolean
is_button_labelled_any (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

gboolean
is_label_text (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = esc_test_ui_find_widget (root, is_row_titled, title);

  if (found == NULL)
    g_error ("No row titled “%s”", title);
  return found;
}

void
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

const char *
text_of (GtkWidget  *root,
         const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (row (root, title)));
}

/* Chooses @item in the combo row titled @title */
void
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
void
toggle (GtkWidget  *root,
        const char *title,
        gboolean    active)
{
  GtkWidget *found = esc_test_ui_find_widget (row (root, title), esc_test_ui_is_of_type, GSIZE_TO_POINTER (GTK_TYPE_SWITCH));

  g_assert_nonnull (found);
  gtk_switch_set_active (GTK_SWITCH (found), active);
}

guint
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
void
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

/* The text the widget shows contains @expected */
gboolean
shows_text (gpointer data)
{
  TextWait *wait = data;
  g_free (wait->text);
  wait->text = esc_test_ui_visible_text (wait->widget);

  return strstr (wait->text, wait->expected) != NULL;
}

/* The service ------------------------------------------------------------------------ */

gboolean
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

void
sign_in (Fixture    *fixture,
         const char *token)
{
  sign_in_at (fixture, esc_test_service_get_url (fixture->service), token);
}

void
sign_in_at (Fixture    *fixture,
            const char *url,
            const char *token)
{
  Wait wait = { 0, };

  esc_account_sign_in_async (fixture->account, url, token, NULL, signed_in_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sign-in");
  g_assert_no_error (wait.error);
  g_clear_object (&wait.result);
}

char *
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
EscSupportRequest *
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

void
called_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = esc_client_call_finish (ESC_CLIENT (object), result, &wait->error);
  wait->done = TRUE;
}

/* Fixture ---------------------------------------------------------------------------- */

void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* Each test starts with no contact remembered from another, and the
   * window at its default size whatever size another test left it at */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_reset (settings, "last-contact");
    g_settings_reset (settings, "window-width");
    g_settings_reset (settings, "window-height");
    g_settings_reset (settings, "window-maximized");
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

void
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

void
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

/* The mirrored request of the list with that title, or NULL */
EscSupportRequest *
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

gboolean
is_listed (gpointer data)
{
  RowWait *wait = data;
  g_autoptr(EscSupportRequest) request = listed_request (wait->fixture, wait->title);

  return request != NULL;
}

GtkWidget *
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

gboolean
is_destroyed (gpointer data)
{
  return *(gpointer *)data == NULL;
}

void
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

/* The first toplevel of @type, or NULL */
GtkWidget *
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
void
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
