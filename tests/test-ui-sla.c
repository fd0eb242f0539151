/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "esc-sla-page.h"
#include "esc-test-inprocess.h"
#include "esc-test-ui.h"
#include "esc-window.h"

/* The SLAs screen in a real window under a real display, against the real
 * service (in this process, over HTTP on loopback), with a real workspace
 * file: an agreement created on the service is listed with its targets and
 * acceptances; accepting from the screen is recorded on the service; a role
 * that may not accept gets no button; a draft edited from the screen, with the
 * service's refusal shown on its field; two versions compared; the support
 * model kept in the workspace. */

typedef struct
{
  EscTestServer *server;
  char          *dir;
  char          *workspace_path;
  EscWorkspace  *workspace;
  EscSession    *session;
  EscWindow     *window;
  EscSlaPage    *page;
  char          *admin;    /* it-admin */
  char          *manager;  /* partner-manager */
  char          *staff;    /* support-staff */
} Fixture;

static const char paris_json[] =
  "{\"name\": \"Bureau de Paris\", \"time_zone\": \"Europe/Paris\", \"week\": {"
  " \"monday\": [{\"start\": \"09:00\", \"end\": \"18:00\"}]}}";

static const char terms_json[] =
  "{\"calendar_id\": \"paris\","
  " \"targets\": {\"A\": {\"first_response_minutes\": 60, \"always_open\": true},"
  "  \"B\": {\"first_response_minutes\": 240, \"update_minutes\": 720},"
  "  \"C\": {\"first_response_minutes\": 480, \"resolution_minutes\": 4800}}}";

static void
request (Fixture         *fixture,
         const char      *method,
         const char      *path,
         const char      *token,
         const char      *body,
         EscTestResponse *r)
{
  g_autofree char *key = g_uuid_string_random ();
  const char *headers[] = { "Idempotency-Key", key, NULL };

  esc_test_request (fixture->server, method, path, token, NULL, body,
                    g_str_equal (method, "POST") ? headers : NULL, r);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(EscTestResponse) calendar = { 0, };
  g_auto(EscTestResponse) agreement = { 0, };

  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->manager = esc_test_server_create_token (fixture->server, "manager", "partner-manager");
  fixture->staff = esc_test_server_create_token (fixture->server, "staff", "support-staff");

  /* The agreement, proposed on the service by the partner manager */
  request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->manager, paris_json, &calendar);
  g_assert_cmpuint (calendar.status, ==, 201);
  request (fixture, "POST", "/v1/sla-agreements", fixture->manager, terms_json, &agreement);
  g_assert_cmpuint (agreement.status, ==, 201);

  fixture->dir = g_dir_make_tmp ("escalade-ui-sla-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->workspace_path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (fixture->workspace_path, &error);
  g_assert_no_error (error);
  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      g_assert_finalize_object (fixture->window);
    }
  esc_session_stop (fixture->session);
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->workspace);
  g_free (fixture->admin);
  g_free (fixture->manager);
  g_free (fixture->staff);
  g_clear_pointer (&fixture->server, esc_test_server_free);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->workspace_path);
  g_free (fixture->dir);
}

/* Waiting and finding ------------------------------------------------------- */

static gboolean
account_has_identity (gpointer data)
{
  return esc_account_get_identity (data) != NULL && !esc_account_get_busy (data);
}

static gboolean
page_idle (gpointer data)
{
  return !esc_sla_page_get_busy (data);
}

static void
open_window (Fixture    *fixture,
             const char *token)
{
  EscAccount *account = esc_session_get_account (fixture->session);

  esc_account_sign_in_async (account, esc_test_server_get_url (fixture->server), token,
                             NULL, NULL, NULL);
  esc_test_ui_wait_until (account_has_identity, account, "the sign-in");

  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s",
                                             "slas"));
  esc_test_ui_settle ();
  g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, "slas");
  fixture->page = esc_window_get_sla_page (fixture->window);
  esc_test_ui_wait_until (page_idle, fixture->page, "the agreements to be read");
  esc_test_ui_settle ();
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  return esc_test_ui_find_widget (root, is_button_labelled, label);
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static char *
page_text (Fixture *fixture)
{
  return esc_test_ui_visible_text (GTK_WIDGET (fixture->page));
}

static void
assert_page_shows (Fixture    *fixture,
                   const char *text)
{
  g_autofree char *shown = page_text (fixture);

  if (strstr (shown, text) == NULL)
    g_error ("The screen does not show “%s”; it shows:\n%s", text, shown);
}

static JsonObject *
get_version (Fixture         *fixture,
             guint            version,
             EscTestResponse *r)
{
  g_autofree char *path = g_strdup_printf ("/v1/sla-agreements/SLA-000001/versions/%u", version);

  request (fixture, "GET", path, fixture->admin, NULL, r);
  g_assert_cmpuint (r->status, ==, 200);
  return json_node_get_object (r->body);
}

typedef struct
{
  Fixture *fixture;
  guint    version;
  const char *member;
} AcceptedWait;

static gboolean
service_has_acceptance (gpointer data)
{
  AcceptedWait *wait = data;
  g_auto(EscTestResponse) r = { 0, };
  JsonObject *version = get_version (wait->fixture, wait->version, &r);
  JsonNode *node = json_object_get_member (version, wait->member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node);
}

/* Idle, and the screen rebuilt since the last check: its accept button is a new one */
static gboolean
page_idle_and_built (gpointer data)
{
  return !esc_sla_page_get_busy (data) &&
         find_button (GTK_WIDGET (data), "Accept Version 1") != NULL &&
         gtk_widget_is_sensitive (find_button (GTK_WIDGET (data), "Accept Version 1"));
}

/* Tests ----------------------------------------------------------------------- */

static void
test_lists_and_accepts (Fixture       *fixture,
                        gconstpointer  data)
{
  AcceptedWait wait = { fixture, 1, "accepted_by_it_admin" };
  GtkWidget *button;

  open_window (fixture, fixture->admin);

  /* The agreement created on the service, with its targets and no acceptance yet */
  assert_page_shows (fixture, "SLA-000001, version 1 (draft)");
  assert_page_shows (fixture, "Calendar: paris.");
  assert_page_shows (fixture, "First response: 4 hours · Update: 12 hours · Resolution: no target");
  assert_page_shows (fixture, "First response: 1 hour · Update: no target · Resolution: no target · round the clock");
  assert_page_shows (fixture, "Not yet accepted");
  /* An IT administrator accepts; editing drafts is the partner manager's */
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "Edit Draft"));
  button = find_button (GTK_WIDGET (fixture->page), "Accept Version 1");
  g_assert_nonnull (button);
  esc_test_ui_screenshot ("slas.png");

  /* The partner manager changes the draft meanwhile: accepting what the screen
   * shows would accept terms no longer there, so the service refuses it, the
   * screen says why and shows the new terms */
  {
    g_auto(EscTestResponse) r = { 0, };
    g_autoptr(GString) changed = g_string_new (terms_json);

    g_assert_cmpuint (g_string_replace (changed, "240", "180", 1), ==, 1);
    request (fixture, "PUT", "/v1/sla-agreements/SLA-000001/versions/1", fixture->manager, changed->str, &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  g_signal_emit_by_name (button, "clicked");
  esc_test_ui_wait_until (page_idle, fixture->page, "the refusal");
  esc_test_ui_wait_until (page_idle_and_built, fixture->page, "the agreements to be read again");
  assert_page_shows (fixture, "It was changed on the service since it was read: read it again");
  assert_page_shows (fixture, "First response: 3 hours · Update: 12 hours");
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *version = get_version (fixture, 1, &r);

    g_assert_true (json_object_get_null_member (version, "accepted_by_it_admin"));
  }

  button = find_button (GTK_WIDGET (fixture->page), "Accept Version 1");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  esc_test_ui_wait_until (service_has_acceptance, &wait, "the acceptance to reach the service");
  esc_test_ui_wait_until (page_idle, fixture->page, "the agreements to be read again");
  esc_test_ui_settle ();
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *version = get_version (fixture, 1, &r);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (version, "accepted_by_it_admin"),
                                                    "name"), ==, "admin");
    g_assert_cmpstr (json_object_get_string_member (version, "state"), ==, "draft");
  }
  /* Accepted once: the screen says who, and offers no second acceptance */
  assert_page_shows (fixture, "admin, ");
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "Accept Version 1"));
}

static void
test_no_button_without_the_role (Fixture       *fixture,
                                 gconstpointer  data)
{
  open_window (fixture, fixture->staff);

  assert_page_shows (fixture, "The SLA agreements are for IT administrators and partner managers.");
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "Accept Version 1"));
  g_assert_false (strstr (page_text (fixture), "SLA-000001") != NULL);
  /* Nor may they change the support model */
  g_assert_false (gtk_widget_is_sensitive (find_button (GTK_WIDGET (fixture->page), "Save Support Model")));
}

static gboolean
window_of_title (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), data) == 0 && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
find_window (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
row_in_error (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

static gboolean
window_gone (gpointer data)
{
  return !window_of_title (data);
}

static gboolean
shows_new_terms (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *shown = NULL;

  if (esc_sla_page_get_busy (fixture->page))
    return FALSE;
  shown = page_text (fixture);
  return strstr (shown, "1 h 30 min") != NULL;
}

static void
test_edit_draft_and_compare (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *title = "Edit SLA-000001, Version 2";
  GtkWidget *editor, *calendar, *first_b;
  g_autofree char *shown = NULL;

  /* Version 1 agreed by both sides; version 2 proposed with the same terms */
  {
    g_auto(EscTestResponse) a = { 0, };
    g_auto(EscTestResponse) b = { 0, };
    g_auto(EscTestResponse) v2 = { 0, };

    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->admin, "{}", &a);
    g_assert_cmpuint (a.status, ==, 200);
    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->manager, "{}", &b);
    g_assert_cmpuint (b.status, ==, 200);
    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions", fixture->manager, terms_json, &v2);
    g_assert_cmpuint (v2.status, ==, 201);
  }

  open_window (fixture, fixture->manager);
  assert_page_shows (fixture, "SLA-000001, version 2 (draft)");
  assert_page_shows (fixture, "Version 1 is in force.");
  assert_page_shows (fixture, "No difference between these versions.");
  g_assert_nonnull (find_button (GTK_WIDGET (fixture->page), "Accept Version 2"));

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Edit Draft"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)title, "the draft editor");
  editor = find_window (title);
  calendar = esc_test_ui_find_widget (editor, is_row_titled, "Calendar");
  g_assert_nonnull (calendar);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (calendar)), ==, "paris");

  /* A calendar the service does not have: its refusal shows on the field */
  gtk_editable_set_text (GTK_EDITABLE (calendar), "lyon");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  esc_test_ui_wait_until (row_in_error, calendar, "the calendar's refusal");
  shown = esc_test_ui_visible_text (editor);
  g_assert_nonnull (strstr (shown, "No calendar has this id"));
  esc_test_ui_screenshot ("sla-draft-editor.png");
  g_clear_pointer (&shown, g_free);

  /* Not a number: refused on the field, nothing sent */
  gtk_editable_set_text (GTK_EDITABLE (calendar), "paris");
  {
    GtkWidget *group = NULL;
    GtkWidget *rows[3] = { NULL, };
    guint n = 0;

    /* Severity B's first response: the second "First response (minutes)" row */
    for (GtkWidget *w = esc_test_ui_find_widget (editor, is_row_titled, "First response (minutes)");
         w != NULL; )
      {
        rows[n++] = w;
        group = gtk_widget_get_ancestor (w, ADW_TYPE_PREFERENCES_GROUP);
        w = NULL;
        for (GtkWidget *next = gtk_widget_get_next_sibling (group); next != NULL && w == NULL;
             next = gtk_widget_get_next_sibling (next))
          w = esc_test_ui_find_widget (next, is_row_titled, "First response (minutes)");
        if (n == 3)
          break;
      }
    g_assert_cmpuint (n, ==, 3);
    first_b = rows[1];
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (first_b)), ==, "240");
  gtk_editable_set_text (GTK_EDITABLE (first_b), "four hours");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  g_assert_true (gtk_widget_has_css_class (first_b, "error"));
  g_assert_false (gtk_widget_has_css_class (calendar, "error"));

  /* Saved, and the editor closed before the answer came: the answer finds no
   * editor to show, and the screen reads the new terms */
  gtk_editable_set_text (GTK_EDITABLE (first_b), "90");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  g_signal_emit_by_name (find_button (editor, "Cancel"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)title, "the editor to close");
  esc_test_ui_wait_until (shows_new_terms, fixture, "the saved terms to be shown");
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *version = get_version (fixture, 2, &r);
    JsonObject *b = json_object_get_object_member (json_object_get_object_member (version, "targets"), "B");

    g_assert_cmpint (json_object_get_int_member (b, "first_response_minutes"), ==, 90);
    g_assert_cmpint (json_object_get_int_member (b, "update_minutes"), ==, 720);
  }

  /* The comparison of version 1 with version 2 names the change */
  assert_page_shows (fixture, "Severity B — first response: 4 hours → 1 h 30 min");
  assert_page_shows (fixture, "First response: 1 h 30 min · Update: 12 hours · Resolution: no target");
}

static gboolean
workspace_has_model (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *model = esc_workspace_dup_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);

  return model != NULL && !esc_sla_page_get_busy (fixture->page);
}

static gboolean
status_shows_changed (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *shown = NULL;

  if (esc_sla_page_get_busy (fixture->page))
    return FALSE;
  shown = page_text (fixture);
  return strstr (shown, "It was changed on the service since it was read") != NULL;
}

static gboolean
subtitle_is (GtkWidget     *widget,
             gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), data) == 0;
}

/* The support model lives on the service: set from the SLAs screen by an IT
 * administrator (checked first on the screen, then by the service with
 * If-Match), kept in the workspace for the exports, and shown by the Roles
 * screen, which follows every change. */
static void
test_support_model (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *provider, *model_row, *roles;
  g_autofree char *model = NULL;
  g_autofree char *name = NULL;

  open_window (fixture, fixture->admin);
  provider = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_row_titled, "Support provider");
  model_row = esc_test_ui_find_widget (GTK_WIDGET (fixture->page), is_row_titled, "Support model");
  g_assert_nonnull (provider);
  /* Unset everywhere: "Not chosen", on this screen and on the Roles screen */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (model_row)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s", "roles"));
  esc_test_ui_settle ();
  roles = esc_test_ui_find_widget (GTK_WIDGET (fixture->window), subtitle_is, "Support model not chosen");
  g_assert_nonnull (roles);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s", "slas"));
  esc_test_ui_settle ();

  /* Not chosen, then partner-led without a provider: refused on the field,
   * nothing sent */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Save Support Model"), "clicked");
  g_assert_true (gtk_widget_has_css_class (model_row, "error"));
  adw_combo_row_set_selected (ADW_COMBO_ROW (model_row), 2);
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Save Support Model"), "clicked");
  g_assert_true (gtk_widget_has_css_class (provider, "error"));
  model = esc_workspace_dup_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  g_assert_null (model);
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "GET", "/v1/support-model", fixture->staff, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_true (json_object_get_null_member (json_node_get_object (r.body), "model"));
  }

  /* Saved on the service, then kept in the workspace */
  gtk_editable_set_text (GTK_EDITABLE (provider), "Infogérance Durand");
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Save Support Model"), "clicked");
  g_assert_false (gtk_widget_has_css_class (provider, "error"));
  esc_test_ui_wait_until (workspace_has_model, fixture, "the support model to be saved");
  model = esc_workspace_dup_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  name = esc_workspace_dup_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER);
  g_assert_cmpstr (model, ==, "partner-led");
  g_assert_cmpstr (name, ==, "Infogérance Durand");
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *object;

    request (fixture, "GET", "/v1/support-model", fixture->staff, NULL, &r);
    object = json_node_get_object (r.body);
    g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, "partner-led");
    g_assert_cmpstr (json_object_get_string_member (object, "provider_name"), ==, "Infogérance Durand");
    g_assert_cmpstr (json_object_get_string_member (object, "updated_by"), ==, "admin");
  }
  /* The Roles screen followed, without being reopened */
  g_assert_nonnull (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), subtitle_is,
                                             "Partner-led support — Infogérance Durand"));

  /* Changed on the service meanwhile: the screen's save is refused (412),
   * says why, and shows what the service holds now, everywhere */
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", "/v1/support-model", fixture->admin,
             "{\"model\": \"customer-led\", \"provider_name\": null, \"provider_contacts\": null}", &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  gtk_editable_set_text (GTK_EDITABLE (provider), "Infogérance Martin");
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Save Support Model"), "clicked");
  esc_test_ui_wait_until (status_shows_changed, fixture, "the refusal");
  esc_test_ui_wait_until (page_idle, fixture->page, "the support model to be read again");
  esc_test_ui_settle ();
  g_clear_pointer (&model, g_free);
  model = esc_workspace_dup_setting (fixture->workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  g_assert_cmpstr (model, ==, "customer-led");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (model_row)), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (provider)), ==, "");
  g_assert_nonnull (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), subtitle_is, "Customer-led support"));
}

static GtkWidget *
find_switch_of (GtkWidget  *root,
                const char *title)
{
  GtkWidget *row = esc_test_ui_find_widget (root, is_row_titled, title);

  g_assert_nonnull (row);
  return adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
}

static gboolean
shows_on_hold (gpointer data)
{
  Fixture *fixture = data;
  g_autofree char *shown = NULL;

  if (esc_sla_page_get_busy (fixture->page))
    return FALSE;
  shown = page_text (fixture);
  return strstr (shown, "on-hold") != NULL;
}

/* Pause states, warnings with who is told, and what counts as a response:
 * edited in the draft editor, checked there, sent to the service, shown on
 * the screen and in the comparison of two versions. */
static void
test_edit_clock_terms (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *title = "Edit SLA-000001, Version 2";
  GtkWidget *editor, *vendor, *others, *percent, *notify, *rule, *update;

  {
    g_auto(EscTestResponse) a = { 0, };
    g_auto(EscTestResponse) b = { 0, };
    g_auto(EscTestResponse) v2 = { 0, };

    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->admin, "{}", &a);
    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->manager, "{}", &b);
    g_assert_cmpuint (b.status, ==, 200);
    request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions", fixture->manager, terms_json, &v2);
    g_assert_cmpuint (v2.status, ==, 201);
  }

  open_window (fixture, fixture->manager);
  /* The defaults, shown with the agreement */
  assert_page_shows (fixture, "Waiting on customer, Waiting on vendor");
  assert_page_shows (fixture, "50 %; 75 %; 100 %");

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Edit Draft"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)title, "the draft editor");
  editor = find_window (title);

  vendor = find_switch_of (editor, "Waiting on vendor");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (vendor)));
  others = esc_test_ui_find_widget (editor, is_row_titled, "Other states of your help desk, separated by commas");
  percent = esc_test_ui_find_widget (editor, is_row_titled, "Warning 2: percentage of the target");
  notify = esc_test_ui_find_widget (editor, is_row_titled, "Warning 2: who is told");
  rule = esc_test_ui_find_widget (editor, is_row_titled, "The rule, in words");
  update = find_switch_of (editor, "An update of the request");
  g_assert_nonnull (others);
  g_assert_nonnull (percent);
  g_assert_nonnull (notify);
  g_assert_nonnull (rule);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (percent)), ==, "75");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_switch_of (editor, "A reply to the user"))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (update)));

  /* Each bad field refused on its row, nothing sent */
  gtk_switch_set_active (GTK_SWITCH (vendor), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (others), "On hold; waiting/parts");
  gtk_editable_set_text (GTK_EDITABLE (percent), "40");
  gtk_editable_set_text (GTK_EDITABLE (notify), "it-admin, the boss");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  g_assert_true (gtk_widget_has_css_class (others, "error"));
  g_assert_true (gtk_widget_has_css_class (percent, "error"));
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *version = get_version (fixture, 2, &r);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (version, "pause_states")), ==, 2);
  }
  gtk_editable_set_text (GTK_EDITABLE (others), "On hold");
  gtk_editable_set_text (GTK_EDITABLE (percent), "80");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  g_assert_false (gtk_widget_has_css_class (others, "error"));
  g_assert_false (gtk_widget_has_css_class (percent, "error"));
  g_assert_true (gtk_widget_has_css_class (notify, "error"));

  /* No event counting as a response: refused */
  gtk_editable_set_text (GTK_EDITABLE (notify), "it-admin, camille@example.org");
  gtk_switch_set_active (GTK_SWITCH (find_switch_of (editor, "A reply to the user")), FALSE);
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  g_assert_false (gtk_widget_has_css_class (notify, "error"));
  g_assert_true (gtk_widget_has_css_class (rule, "error"));

  gtk_switch_set_active (GTK_SWITCH (update), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (rule), "An engineer calls the user and starts work.");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)title, "the editor to close");
  esc_test_ui_wait_until (shows_on_hold, fixture, "the saved terms to be shown");

  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *version = get_version (fixture, 2, &r);
    JsonArray *pauses = json_object_get_array_member (version, "pause_states");
    JsonObject *second = json_array_get_object_element (json_object_get_array_member (version, "warnings"), 1);
    JsonArray *who = json_object_get_array_member (second, "notify");
    JsonArray *events = json_object_get_array_member (version, "response_events");

    g_assert_cmpuint (json_array_get_length (pauses), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (pauses, 0), ==, "waiting-on-customer");
    g_assert_cmpstr (json_array_get_string_element (pauses, 1), ==, "on-hold");
    g_assert_cmpint (json_object_get_int_member (second, "percent"), ==, 80);
    g_assert_cmpuint (json_array_get_length (who), ==, 2);
    g_assert_cmpstr (json_array_get_string_element (who, 1), ==, "camille@example.org");
    g_assert_cmpuint (json_array_get_length (events), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (events, 0), ==, "updated");
    g_assert_cmpstr (json_object_get_string_member (version, "response_rule"), ==,
                     "An engineer calls the user and starts work.");
  }

  /* On the screen, and in the comparison with version 1 */
  assert_page_shows (fixture, "50 %; 80 % (IT administrators, camille@example.org); 100 %");
  assert_page_shows (fixture, "Clocks pause in: Waiting on customer, Waiting on vendor → Waiting on customer, on-hold");
  assert_page_shows (fixture, "Warnings at: 50 %; 75 %; 100 % → 50 %; 80 % (IT administrators, camille@example.org); 100 %");
  assert_page_shows (fixture, "Events that count as the first response: A reply to the user → An update of the request");
  assert_page_shows (fixture, "What counts as a response: none → An engineer calls the user and starts work.");
}

static guint
count_buttons (GtkWidget  *root,
               const char *label)
{
  guint n = is_button_labelled (root, label) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_buttons (child, label);
  return n;
}

static gboolean
label_shown (gpointer data)
{
  GtkLabel *label = data;

  return gtk_widget_get_visible (GTK_WIDGET (label)) && *gtk_label_get_text (label) != '\0';
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

static void
test_calendars (Fixture       *fixture,
                gconstpointer  data)
{
  const char *title = "Edit Calendar paris";
  GtkWidget *editor, *tuesday, *zone, *holidays, *closures, *error_label;
  g_autofree char *shown = NULL;

  open_window (fixture, fixture->manager);
  assert_page_shows (fixture, "Bureau de Paris (paris)");
  assert_page_shows (fixture, "Time zone: Europe/Paris.");
  assert_page_shows (fixture, "09:00–18:00");
  assert_page_shows (fixture, "Closed");
  /* The admin support hours are the IT administrator's: one Edit, for paris */
  g_assert_cmpuint (count_buttons (GTK_WIDGET (fixture->page), "Edit"), ==, 1);

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Edit"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)title, "the calendar editor");
  editor = find_window (title);
  tuesday = esc_test_ui_find_widget (editor, is_row_titled, "Tuesday");
  zone = esc_test_ui_find_widget (editor, is_row_titled, "Time zone");
  holidays = esc_test_ui_find_widget (editor, is_row_titled, "Holidays");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (zone)), ==, "Europe/Paris");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tuesday)), ==, "");

  /* Refused on their fields, nothing sent */
  gtk_editable_set_text (GTK_EDITABLE (tuesday), "9h-18h");
  gtk_editable_set_text (GTK_EDITABLE (zone), "Europe/Nowhere");
  g_signal_emit_by_name (find_button (editor, "Save Calendar"), "clicked");
  g_assert_true (gtk_widget_has_css_class (zone, "error"));
  gtk_editable_set_text (GTK_EDITABLE (zone), "Europe/Paris");
  g_signal_emit_by_name (find_button (editor, "Save Calendar"), "clicked");
  g_assert_false (gtk_widget_has_css_class (zone, "error"));
  g_assert_true (gtk_widget_has_css_class (tuesday, "error"));
  shown = esc_test_ui_visible_text (editor);
  g_assert_nonnull (strstr (shown, "“9h-18h” is not a range of hours"));
  esc_test_ui_screenshot ("sla-calendar-editor.png");

  /* Changed on the service meanwhile: the save is refused, nothing overwritten */
  {
    g_auto(EscTestResponse) r = { 0, };

    request (fixture, "PUT", "/v1/sla-calendars/paris", fixture->admin,
             "{\"name\": \"Paris (admin)\", \"time_zone\": \"Europe/Paris\", \"week\": {"
             " \"monday\": [{\"start\": \"08:00\", \"end\": \"18:00\"}]}}", &r);
    g_assert_cmpuint (r.status, ==, 200);
  }
  gtk_editable_set_text (GTK_EDITABLE (tuesday), "09:00–12:00, 14:00–18:00");
  gtk_editable_set_text (GTK_EDITABLE (holidays), "2024-12-25 Noël");
  g_signal_emit_by_name (find_button (editor, "Save Calendar"), "clicked");
  error_label = esc_test_ui_find_widget (editor, is_error_label, NULL);
  esc_test_ui_wait_until (label_shown, error_label, "the refusal of stale changes");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "changed on the service"));
  g_signal_emit_by_name (find_button (editor, "Cancel"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)title, "the editor to close");

  /* Read again and saved */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Edit"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)title, "the calendar editor");
  editor = find_window (title);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (esc_test_ui_find_widget (editor, is_row_titled, "Name"))),
                   ==, "Paris (admin)");
  tuesday = esc_test_ui_find_widget (editor, is_row_titled, "Tuesday");
  holidays = esc_test_ui_find_widget (editor, is_row_titled, "Holidays");
  closures = esc_test_ui_find_widget (editor, is_row_titled, "Closures");
  g_assert_nonnull (closures);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (closures)), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (tuesday), "09:00–12:00, 14:00–18:00");
  gtk_editable_set_text (GTK_EDITABLE (holidays), "2024-12-25 Noël");
  /* A closure ending before it starts: refused on its field, nothing sent */
  gtk_editable_set_text (GTK_EDITABLE (closures), "2024-08-16 – 2024-08-05 Fermeture estivale");
  g_signal_emit_by_name (find_button (editor, "Save Calendar"), "clicked");
  g_assert_true (gtk_widget_has_css_class (closures, "error"));
  g_assert_true (window_of_title ((gpointer)title));
  gtk_editable_set_text (GTK_EDITABLE (closures),
                         "2024-08-05 – 2024-08-16 Fermeture estivale; 2024-12-24 Réveillon");
  g_signal_emit_by_name (find_button (editor, "Save Calendar"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)title, "the calendar to be saved");
  esc_test_ui_wait_until (page_idle, fixture->page, "the calendars to be read again");
  esc_test_ui_settle ();
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *week, *holiday, *closure;

    request (fixture, "GET", "/v1/sla-calendars/paris", fixture->manager, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    week = json_object_get_object_member (json_node_get_object (r.body), "week");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (week, "tuesday")), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (week, "monday")), ==, 1);
    holiday = json_array_get_object_element (json_object_get_array_member (json_node_get_object (r.body),
                                                                           "holidays"), 0);
    g_assert_cmpstr (json_object_get_string_member (holiday, "date"), ==, "2024-12-25");
    g_assert_cmpstr (json_object_get_string_member (holiday, "name"), ==, "Noël");
    closure = json_array_get_object_element (json_object_get_array_member (json_node_get_object (r.body),
                                                                           "closures"), 1);
    g_assert_cmpstr (json_object_get_string_member (closure, "from"), ==, "2024-12-24");
    g_assert_cmpstr (json_object_get_string_member (closure, "to"), ==, "2024-12-24");
    g_assert_cmpstr (json_object_get_string_member (closure, "reason"), ==, "Réveillon");
  }
  assert_page_shows (fixture, "2024-08-05 – 2024-08-16 Fermeture estivale; 2024-12-24 – 2024-12-24 Réveillon");
  /* Edited again: the closures come back as they were written */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Edit"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)title, "the calendar editor");
  editor = find_window (title);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (esc_test_ui_find_widget (editor, is_row_titled,
                                                                                 "Closures"))), ==,
                   "2024-08-05 – 2024-08-16 Fermeture estivale; 2024-12-24 – 2024-12-24 Réveillon");
  g_signal_emit_by_name (find_button (editor, "Cancel"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)title, "the editor to close");
  assert_page_shows (fixture, "09:00–12:00, 14:00–18:00");
  assert_page_shows (fixture, "2024-12-25 Noël");
  assert_page_shows (fixture, "08:00–18:00");
}

static void
accept_on_service (Fixture *fixture)
{
  g_auto(EscTestResponse) a = { 0, };
  g_auto(EscTestResponse) b = { 0, };

  request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->admin, "{}", &a);
  g_assert_cmpuint (a.status, ==, 200);
  request (fixture, "POST", "/v1/sla-agreements/SLA-000001/versions/1/accept", fixture->manager, "{}", &b);
  g_assert_cmpuint (b.status, ==, 200);
}

static void
collect_rows (GtkWidget  *root,
              const char *title,
              GPtrArray  *rows)
{
  if (is_row_titled (root, title))
    g_ptr_array_add (rows, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, title, rows);
}

static gboolean
page_shows (gpointer data)
{
  const char **what = data;
  EscSlaPage *page = (EscSlaPage *)what[0];
  g_autofree char *shown = NULL;

  if (esc_sla_page_get_busy (page))
    return FALSE;
  shown = esc_test_ui_visible_text (GTK_WIDGET (page));
  return strstr (shown, what[1]) != NULL;
}

static void
wait_page_shows (Fixture    *fixture,
                 const char *text)
{
  const char *what[] = { (const char *)fixture->page, text };

  esc_test_ui_wait_until (page_shows, what, text);
}

static void
test_new_agreement_and_version (Fixture       *fixture,
                                gconstpointer  data)
{
  GtkWidget *editor;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  open_window (fixture, fixture->manager);
  /* A draft: edited, not followed by a new version; retiring is the IT administrator's */
  g_assert_nonnull (find_button (GTK_WIDGET (fixture->page), "Edit Draft"));
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "New Version"));

  /* A new agreement, proposed from the screen */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "New Agreement"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)"New Agreement", "the new agreement's editor");
  editor = find_window ("New Agreement");
  gtk_editable_set_text (GTK_EDITABLE (esc_test_ui_find_widget (editor, is_row_titled, "Calendar")), "paris");
  collect_rows (editor, "Resolution (minutes)", rows);
  g_assert_cmpuint (rows->len, ==, 3);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 2)), "2400");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)"New Agreement", "the agreement to be proposed");
  wait_page_shows (fixture, "SLA-000002, version 1 (draft)");
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *c;

    request (fixture, "GET", "/v1/sla-agreements/SLA-000002/versions/1", fixture->admin, NULL, &r);
    g_assert_cmpuint (r.status, ==, 200);
    c = json_object_get_object_member (json_object_get_object_member (json_node_get_object (r.body), "targets"), "C");
    g_assert_cmpint (json_object_get_int_member (c, "resolution_minutes"), ==, 2400);
  }

  /* Version 1 of the first agreement agreed: the next version starts from its terms */
  accept_on_service (fixture);
  esc_sla_page_reload (fixture->page);
  wait_page_shows (fixture, "SLA-000001, version 1 (agreed)");
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "Retire Version 1"));
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "New Version"), "clicked");
  esc_test_ui_wait_until (window_of_title, (gpointer)"New Version of SLA-000001", "the new version's editor");
  editor = find_window ("New Version of SLA-000001");
  g_ptr_array_set_size (rows, 0);
  collect_rows (editor, "First response (minutes)", rows);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (rows, 1))), ==, "240");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 1)), "120");
  g_signal_emit_by_name (find_button (editor, "Save Draft"), "clicked");
  esc_test_ui_wait_until (window_gone, (gpointer)"New Version of SLA-000001", "the version to be proposed");
  wait_page_shows (fixture, "SLA-000001, version 2 (draft)");
  assert_page_shows (fixture, "Severity B — first response: 4 hours → 2 hours");
  {
    g_auto(EscTestResponse) r = { 0, };
    JsonObject *version = get_version (fixture, 2, &r);

    g_assert_cmpstr (json_object_get_string_member (version, "state"), ==, "draft");
  }
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
test_retire (Fixture       *fixture,
             gconstpointer  data)
{
  accept_on_service (fixture);
  open_window (fixture, fixture->admin);
  assert_page_shows (fixture, "SLA-000001, version 1 (agreed)");
  /* New versions are the partner manager's */
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "New Version"));
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "New Agreement"));

  /* Asked first: cancelling changes nothing */
  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Retire Version 1"), "clicked");
  esc_test_ui_wait_until (has_message_dialog, NULL, "the question");
  adw_message_dialog_response (find_message_dialog (), "cancel");
  esc_test_ui_settle ();
  {
    g_auto(EscTestResponse) r = { 0, };

    g_assert_cmpstr (json_object_get_string_member (get_version (fixture, 1, &r), "state"), ==, "agreed");
  }

  g_signal_emit_by_name (find_button (GTK_WIDGET (fixture->page), "Retire Version 1"), "clicked");
  esc_test_ui_wait_until (has_message_dialog, NULL, "the question");
  adw_message_dialog_response (find_message_dialog (), "retire");
  wait_page_shows (fixture, "SLA-000001, version 1 (retired)");
  {
    g_auto(EscTestResponse) r = { 0, };

    g_assert_cmpstr (json_object_get_string_member (get_version (fixture, 1, &r), "state"), ==, "retired");
  }
  g_assert_null (find_button (GTK_WIDGET (fixture->page), "Retire Version 1"));
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/sla/lists-and-accepts", Fixture, NULL,
              fixture_setup, test_lists_and_accepts, fixture_teardown);
  g_test_add ("/ui/sla/no-button-without-the-role", Fixture, NULL,
              fixture_setup, test_no_button_without_the_role, fixture_teardown);
  g_test_add ("/ui/sla/edit-draft-and-compare", Fixture, NULL,
              fixture_setup, test_edit_draft_and_compare, fixture_teardown);
  g_test_add ("/ui/sla/new-agreement-and-version", Fixture, NULL,
              fixture_setup, test_new_agreement_and_version, fixture_teardown);
  g_test_add ("/ui/sla/retire", Fixture, NULL,
              fixture_setup, test_retire, fixture_teardown);
  g_test_add ("/ui/sla/calendars", Fixture, NULL,
              fixture_setup, test_calendars, fixture_teardown);
  g_test_add ("/ui/sla/support-model", Fixture, NULL,
              fixture_setup, test_support_model, fixture_teardown);
  g_test_add ("/ui/sla/edit-clock-terms", Fixture, NULL,
              fixture_setup, test_edit_clock_terms, fixture_teardown);

  return esc_test_ui_run ();
}
