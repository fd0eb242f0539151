/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gmodule.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <X11/Xlib.h>

#include "esc-client-sla.h"
#include "esc-compliance-store.h"
#include "esc-mirror.h"
#include "esc-preferences-window.h"
#include "esc-request-editor.h"
#include "esc-requests-page.h"
#include "esc-sla-compliance.h"
#include "esc-sla-page.h"
#include "esc-sla-private.h"
#include "esc-support-request.h"
#include "esc-test-a11y.h"
#include "esc-test-service.h"
#include "esc-test-ui.h"
#include "esc-window.h"
#include "esc-workspace-bench.h"

/* Escalade for keyboard and screen-reader users, in a real window under a real display (Xvfb),
 * on a real workspace file, signed in to a real escalade-service on loopback:
 *
 * - every control of every screen and dialog has a name a person would say: not empty (a
 *   screen reader would say the type name), not a type name, no mnemonic underscore, no doubled
 *   words;
 * - Tab from the start of each screen never changes the screen shown;
 * - the application's own styled texts have a contrast of at least 4.5:1 against what is
 *   painted behind them, in the light, dark, high-contrast and dark high-contrast styles.
 *
 * The screens are those of the window's sidebar, found at run time: a new screen is held to
 * the same tests as soon as the sidebar lists it. */

typedef struct
{
  char         *dir;
  EscTestService *service;
  EscWorkspace *workspace;
  EscSession   *session;
  EscWindow    *window;
} Fixture;

typedef struct
{
  gboolean     done;
  GObject     *result;
  GError      *error;
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

  wait->result = G_OBJECT (esc_account_sign_in_finish (ESC_ACCOUNT (object), result, &wait->error));
  wait->done = TRUE;
}

static void
client_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (G_OBJECT (result));
  wait->done = TRUE;
}

/* The SLAs screen with its compliance report: an agreement on the admin
 * support hours proposed by a partner manager and accepted by both sides, and
 * a help desk's tickets of two months imported into the workspace (met,
 * breached and still open) */
static void
add_compliance (Fixture    *fixture,
                const char *path,
                EscClient  *admin)
{
  static const char tickets[] =
    "Ticket,Priority,Opened,Responded,Resolved\n"
    "INC1,A,2024-03-04 10:00,2024-03-04 10:20,2024-03-04 11:00\n"
    "INC2,A,2024-03-05 10:00,2024-03-05 13:00,2024-03-05 14:00\n"
    "INC3,B,2024-03-06 10:00,2024-03-06 11:00,2024-03-06 15:00\n"
    "INC4,C,2024-04-02 10:00,2024-04-02 12:00,2024-04-03 10:00\n"
    "INC5,C,2024-04-08 09:00,2024-04-09 09:00,2024-04-30 09:00\n"
    "INC6,C,2024-04-10 09:00,,\n";
  const EscSlaTargets a = { 60, 60, 240, TRUE };
  const EscSlaTargets b = { 240, 720, 1440, FALSE };
  const EscSlaTargets c = { 480, 1440, 4800, FALSE };
  g_autoptr(EscClient) manager = esc_client_new ();
  g_autoptr(EscSlaAgreementVersion) terms = esc_sla_agreement_version_new ();
  g_autoptr(EscSlaAgreementVersion) draft = NULL;
  g_autoptr(EscSlaAgreementVersion) accepted = NULL;
  g_autoptr(EscComplianceMapping) mapping = esc_compliance_mapping_new ("Help desk");
  g_autoptr(GBytes) contents = g_bytes_new_static (tickets, sizeof tickets - 1);
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  const char *columns[] = { "Ticket", "Priority", "Opened", "Responded", NULL, "Resolved" };
  guint n_imported = 0;
  Wait wait = { 0, };

  token = esc_test_service_create_token (fixture->service, "morgan", "morgan@example.org", "partner-manager", &error);
  g_assert_no_error (error);
  g_assert_true (esc_client_set_base_url (manager, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (manager, token);

  esc_sla_agreement_version_set_calendar_id (terms, "admin-hours");
  esc_sla_agreement_version_set_targets (terms, ESC_SUPPORT_SEVERITY_A, &a);
  esc_sla_agreement_version_set_targets (terms, ESC_SUPPORT_SEVERITY_B, &b);
  esc_sla_agreement_version_set_targets (terms, ESC_SUPPORT_SEVERITY_C, &c);
  esc_client_create_sla_agreement_async (manager, terms, NULL, NULL, client_done_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the agreement");
  draft = esc_client_create_sla_agreement_finish (manager, G_ASYNC_RESULT (wait.result), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  for (guint side = 0; side < 2; side++)
    {
      wait.done = FALSE;
      esc_client_accept_sla_agreement_version_async (side == 0 ? manager : admin,
                                                     esc_sla_agreement_version_get_agreement_id (draft), 1,
                                                     side == 0 ? NULL : "it-admin", NULL, NULL, NULL,
                                                     client_done_cb, &wait);
      esc_test_ui_wait_until (wait_done, &wait, "the acceptance");
      g_clear_object (&accepted);
      accepted = esc_client_accept_sla_agreement_version_finish (side == 0 ? manager : admin,
                                                                 G_ASYNC_RESULT (wait.result), &error);
      g_assert_no_error (error);
      g_clear_object (&wait.result);
    }
  g_assert_cmpint (esc_sla_agreement_version_get_state (accepted), ==, ESC_SLA_VERSION_AGREED);

  for (guint f = 0; f < G_N_ELEMENTS (columns); f++)
    if (columns[f] != NULL)
      esc_compliance_mapping_set_column (mapping, f, columns[f]);
  g_assert_true (esc_workspace_import_tickets_at (path, mapping, contents, NULL, NULL, NULL, &n_imported, NULL,
                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_imported, ==, 6);
}

/* Requests in every state and severity, as the mirror holds them after a sync */
static void
add_requests (Fixture *fixture)
{
  g_autoptr(EscWorkspaceBulk) bulk = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  bulk = esc_workspace_bulk_new (fixture->workspace, esc_test_service_get_url (fixture->service), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(EscSupportRequest) request = esc_support_request_new ();
      g_autoptr(EscSupportContact) contact = NULL;
      g_autoptr(GDateTime) created = g_date_time_new (utc, 2024, 5, 2 + i, 9, 0, 0);
      g_autoptr(GDateTime) due = g_date_time_add_hours (created, 8);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;
      g_autofree char *id = g_strdup_printf ("SR-%06u", i + 1);
      g_autofree char *title = g_strdup_printf ("Printer driver blocked by policy (%u)", i + 1);
      g_autofree char *created_text = g_date_time_format_iso8601 (created);
      g_autofree char *due_text = g_date_time_format_iso8601 (due);
      const char *devices[] = { "MMD-00042", NULL };
      EscSupportSeverity severity = (EscSupportSeverity)(i % 3);
      EscWorkspaceBulkRequest row;

      contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org", "+33 1 23 45 67 89",
                                         ESC_CONTACT_METHOD_EMAIL, "fr");
      esc_support_request_set_id (request, id);
      esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
      esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
      esc_support_request_set_severity (request, severity);
      if (severity == ESC_SUPPORT_SEVERITY_B)
        esc_support_request_set_engagement (request, ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS);
      esc_support_request_set_state (request, (EscSupportRequestState)i);
      esc_support_request_set_category (request, "devices");
      esc_support_request_set_subcategory (request, "configuration-policy");
      esc_support_request_set_title (request, title);
      esc_support_request_set_description (request, "Since the update.");
      esc_support_request_set_contact (request, contact);
      esc_support_request_set_devices (request, devices);
      esc_support_request_set_filer (request, 1, "camille");
      esc_support_request_set_created_at (request, created);
      esc_support_request_set_updated_at (request, created);
      esc_support_request_set_response_due_at (request, due);

      node = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_RESOURCE);
      json = json_to_string (node, FALSE);
      row = (EscWorkspaceBulkRequest) {
        .id = id,
        .kind = esc_support_request_kind_to_string (ESC_SUPPORT_REQUEST_KIND_ADMIN),
        .type = esc_support_request_type_to_string (ESC_SUPPORT_REQUEST_TYPE_INCIDENT),
        .severity = esc_support_severity_to_string (severity),
        .state = esc_support_request_state_to_string ((EscSupportRequestState)i),
        .title = title,
        .filed_by = "camille",
        .created_at = created_text,
        .updated_at = created_text,
        .response_due_at = due_text,
        .json = json,
      };
      esc_workspace_bulk_add_support_request (bulk, &row, &error);
      g_assert_no_error (error);
    }

  esc_workspace_bulk_commit (bulk, &error);
  g_assert_no_error (error);
}

static gboolean
page_is_settled (gpointer data)
{
  EscRequestsPage *page = data;

  return g_strcmp0 (esc_requests_page_get_view (page), "list") == 0 &&
         g_list_model_get_n_items (esc_requests_page_get_rows (page)) >= 6 &&
         esc_requests_page_is_settled (page);
}

static EscRequestsPage *
requests_page (Fixture *fixture)
{
  return ESC_REQUESTS_PAGE (esc_test_ui_find_widget (GTK_WIDGET (fixture->window), esc_test_ui_is_of_type,
                                                     GSIZE_TO_POINTER (ESC_TYPE_REQUESTS_PAGE)));
}

/* An SLA agreement on the service, proposed by a partner manager, with
 * warnings that tell people: the SLAs screen shows it in full */
static void
add_sla_agreement (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = esc_test_service_create_token (fixture->service, "dominique", "dominique@example.org",
                                                          "partner-manager", &error);
  g_autoptr(EscClient) client = esc_client_new ();
  g_autoptr(EscCalendar) calendar = NULL;
  g_autoptr(EscCalendar) stored = NULL;
  g_autoptr(EscSlaAgreementVersion) terms = esc_sla_agreement_version_new ();
  g_autoptr(EscSlaAgreementVersion) created = NULL;
  const char * const who[] = { "it-admin", "camille@example.org", NULL };
  const guint percents[] = { 50, 80, 100 };
  EscSlaTargets targets = { 240, 720, 4800, FALSE };
  Wait put = { 0, };
  Wait post = { 0, };

  g_assert_no_error (error);
  g_assert_true (esc_client_set_base_url (client, esc_test_service_get_url (fixture->service), &error));
  esc_client_set_token (client, token);

  calendar = esc_calendar_new ("Europe/Paris", &error);
  g_assert_no_error (error);
  esc_calendar_set_id (calendar, "paris");
  esc_calendar_set_name (calendar, "Bureau de Paris");
  g_assert_true (esc_calendar_add_range (calendar, G_DATE_MONDAY, 9 * 60, 18 * 60, &error));
  esc_client_put_sla_calendar_async (client, calendar, NULL, NULL, client_done_cb, &put);
  esc_test_ui_wait_until (wait_done, &put, "the calendar to be stored");
  stored = esc_client_put_sla_calendar_finish (client, G_ASYNC_RESULT (put.result), &error);
  g_assert_no_error (error);
  g_clear_object (&put.result);

  esc_sla_agreement_version_set_calendar_id (terms, "paris");
  esc_sla_agreement_version_set_targets (terms, ESC_SUPPORT_SEVERITY_B, &targets);
  g_assert_true (esc_sla_agreement_version_set_warnings (terms, percents, G_N_ELEMENTS (percents), &error));
  esc_sla_agreement_version_set_warning_notify (terms, 1, who);
  esc_sla_agreement_version_set_response_rule (terms, "An engineer calls the user and starts work.");
  esc_client_create_sla_agreement_async (client, terms, NULL, NULL, client_done_cb, &post);
  esc_test_ui_wait_until (wait_done, &post, "the agreement to be stored");
  created = esc_client_create_sla_agreement_finish (client, G_ASYNC_RESULT (post.result), &error);
  g_assert_no_error (error);
  g_clear_object (&post.result);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  Wait wait = { 0, };

  fixture->dir = g_dir_make_tmp ("escalade-ui-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "workspace.sqlite3", NULL);
  fixture->workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  fixture->service = esc_test_service_start (&error);
  g_assert_no_error (error);
  token = esc_test_service_create_token (fixture->service, "camille", "camille@example.org", "it-admin", &error);
  g_assert_no_error (error);
  add_requests (fixture);
  add_sla_agreement (fixture);

  fixture->session = esc_session_new (NULL);
  esc_session_set_workspace (fixture->session, fixture->workspace);
  esc_account_sign_in_async (esc_session_get_account (fixture->session),
                             esc_test_service_get_url (fixture->service), token, NULL, signed_in_cb, &wait);
  esc_test_ui_wait_until (wait_done, &wait, "the sign-in");
  g_assert_no_error (wait.error);
  g_clear_object (&wait.result);
  /* No sync: the requests added are what the mirror holds for the service */
  esc_mirror_set_service (esc_session_get_mirror (fixture->session), esc_test_service_get_url (fixture->service));
  add_compliance (fixture, path, esc_session_get_client (fixture->session));

  fixture->window = g_object_ref (esc_window_new (NULL, fixture->session));
  gtk_window_present (GTK_WINDOW (fixture->window));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the window to be drawn");
  esc_test_ui_wait_until (page_is_settled, requests_page (fixture), "the requests to be listed");
  esc_test_ui_settle ();
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

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, 0);

      gtk_window_destroy (toplevel);
    }
  esc_test_ui_settle ();
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  esc_session_stop (fixture->session);
  esc_test_ui_wait_until (only_ref, fixture->session, "the session to be released");
  g_assert_finalize_object (fixture->session);
  esc_test_ui_wait_until (only_ref, fixture->workspace, "the workspace to be released");
  g_assert_finalize_object (fixture->workspace);
  esc_test_service_stop (fixture->service);
  esc_test_ui_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Every problem found, then the test fails (the other tests still run) */
static void
report (GString    *problems,
        const char *what)
{
  if (problems->len == 0)
    return;

  g_test_message ("%s:\n%s", what, problems->str);
  g_test_fail_printf ("%s: see above", what);
}

/* The screens, as the sidebar lists them --------------------------------------------- */

static gboolean
is_sidebar (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_LIST_BOX (widget) && gtk_widget_has_css_class (widget, "navigation-sidebar");
}

/* The names of the screens, in the sidebar's order */
static GStrv
list_screens (Fixture *fixture)
{
  GtkWidget *sidebar = esc_test_ui_find_widget (GTK_WIDGET (fixture->window), is_sidebar, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  g_assert_nonnull (sidebar);
  for (int i = 0; gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), i) != NULL; i++)
    g_strv_builder_add (names, gtk_widget_get_name (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), i))));

  return g_strv_builder_end (names);
}

static gboolean
is_screen_stack (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), data) != NULL;
}

static GtkWidget *
screen_stack (Fixture *fixture)
{
  g_auto(GStrv) screens = list_screens (fixture);

  return esc_test_ui_find_widget (GTK_WIDGET (fixture->window), is_screen_stack, screens[0]);
}

static gboolean
no_transition (gpointer data)
{
  return !gtk_stack_get_transition_running (data);
}

/* The SLAs screen has read the agreements and shows the compliance report */
static gboolean
sla_report_shown (gpointer data)
{
  Fixture *fixture = data;
  EscSlaPage *page = esc_window_get_sla_page (fixture->window);
  EscSlaCompliance *compliance = ESC_SLA_COMPLIANCE (esc_sla_page_get_compliance (page));

  return !esc_sla_page_get_busy (page) && !esc_sla_compliance_get_busy (compliance) &&
         esc_sla_compliance_get_report (compliance) != NULL;
}

static void
show_screen (Fixture    *fixture,
             const char *name)
{
  esc_window_set_screen (fixture->window, name);
  esc_test_ui_settle ();
  g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, name);
  /* The screen before is gone once the stack's transition is over */
  esc_test_ui_wait_until (no_transition, screen_stack (fixture), "the screen to show");
  esc_test_ui_wait_until (esc_test_ui_is_drawn, fixture->window, "the screen to be drawn");
  if (g_str_equal (name, "slas"))
    esc_test_ui_wait_until (sla_report_shown, fixture, "the compliance report");
  esc_test_ui_settle ();
}

/* Names -------------------------------------------------------------------------------- */

static gboolean
has_doubled_words (const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", -1);
  guint n = g_strv_length (words);

  for (guint len = 1; len <= n / 2; len++)
    for (guint i = 0; i + 2 * len <= n; i++)
      {
        gboolean same = TRUE;

        for (guint k = 0; k < len && same; k++)
          same = g_str_equal (words[i + k], words[i + len + k]) && g_ascii_isalpha (words[i + k][0]);
        if (same)
          return TRUE;
      }

  return FALSE;
}

static void
describe_widget (GString   *out,
                 GtkWidget *widget)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);
  GtkWidget *parent = gtk_widget_get_parent (widget);

  g_string_append_printf (out, "%s (role %s", G_OBJECT_TYPE_NAME (widget),
                          role_name (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget))));
  if (tooltip != NULL)
    g_string_append_printf (out, ", tooltip “%s”", tooltip);
  g_string_append (out, ") in ");
  for (guint depth = 0; parent != NULL && depth < 3; depth++, parent = gtk_widget_get_parent (parent))
    g_string_append_printf (out, "%s%s", depth > 0 ? " < " : "", G_OBJECT_TYPE_NAME (parent));
}

static void
check_names (GtkWidget  *widget,
             const char *where,
             guint      *n_checked,
             GString    *problems)
{
  GtkAccessibleRole role;

  /* What is not shown is not in the tree a screen reader walks */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));
  if (is_control_role (role) ||
      (gtk_widget_get_focusable (widget) && gtk_widget_get_can_focus (widget) &&
       /* Containers a screen reader passes through, not controls */
       role != GTK_ACCESSIBLE_ROLE_NONE && role != GTK_ACCESSIBLE_ROLE_PRESENTATION &&
       role != GTK_ACCESSIBLE_ROLE_GROUP && role != GTK_ACCESSIBLE_ROLE_GENERIC &&
       role != GTK_ACCESSIBLE_ROLE_LIST && role != GTK_ACCESSIBLE_ROLE_GRID &&
       !GTK_IS_WINDOW (widget)))
    {
      g_autofree char *name = accessible_name (widget);
      const char *problem = NULL;

      (*n_checked)++;
      if (*name == '\0')
        problem = "has no name (a screen reader says its type name)";
      else if (g_type_from_name (name) != 0)
        problem = "is named by its type";
      else if (strchr (name, '_') != NULL)
        problem = "has an underscore in its name";
      else if (has_doubled_words (name))
        problem = "says a word twice";
      else if (GTK_IS_BUTTON (widget) && gtk_widget_get_tooltip_text (widget) != NULL)
        {
          /* A button's tooltip stays its description */
          g_autofree char *description = property_text (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

          if (g_strcmp0 (description, gtk_widget_get_tooltip_text (widget)) != 0)
            problem = "lost its tooltip as its description";
        }

      if (problem != NULL)
        {
          g_string_append_printf (problems, "%s: “%s” ", where, name);
          g_string_append (problems, problem);
          g_string_append (problems, ": ");
          describe_widget (problems, widget);
          g_string_append_c (problems, '\n');
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_names (child, where, n_checked, problems);
}

static void
check_names_of (GtkWidget  *root,
                const char *where,
                GString    *problems)
{
  guint n_checked = 0;

  check_names (root, where, &n_checked, problems);
  g_test_message ("%s: %u controls", where, n_checked);
  /* A walk that finds nothing checks nothing */
  g_assert_cmpuint (n_checked, >, 0);
}

/* Fields and switches ------------------------------------------------------------------ */

/* Each entry row of @root given the focus: what has the focus is in the tree, a control, named
 * by the field's title, and required where the field says so. Returns how many fields say
 * "Required". */
static guint
check_fields_of (GtkWidget  *root,
                 const char *where,
                 guint       n_expected,
                 GString    *problems)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  guint n_required = 0;

  collect_entry_rows (root, rows);
  g_test_message ("%s: %u entry fields", where, rows->len);
  g_assert_cmpuint (rows->len, >=, n_expected);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];
      g_autoptr(GString) title = g_string_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      g_autofree char *name = NULL;
      gboolean required = has_required_label (row);
      GtkWidget *focus;

      /* The title as said: without its mnemonic underscore */
      if (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (row)))
        g_string_replace (title, "_", "", 1);
      if (required)
        n_required++;

      gtk_widget_grab_focus (row);
      focus = focus_object (gtk_root_get_focus (gtk_widget_get_root (row)));
      if (focus == NULL || (focus != row && !gtk_widget_is_ancestor (focus, row)))
        {
          g_string_append_printf (problems, "%s: the field “%s” does not take the focus\n", where, title->str);
          continue;
        }
      if (!is_reported (focus))
        {
          g_string_append_printf (problems, "%s: the field “%s” has the focus on a %s (role %s) that the "
                                  "accessibility tree does not report\n", where, title->str, G_OBJECT_TYPE_NAME (focus),
                                  role_name (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus))));
          continue;
        }
      if (!is_control_role (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus))))
        g_string_append_printf (problems, "%s: the field “%s” has the focus on a %s of role %s\n", where, title->str,
                                G_OBJECT_TYPE_NAME (focus),
                                role_name (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus))));
      name = accessible_name (focus);
      if (strstr (name, title->str) == NULL)
        g_string_append_printf (problems, "%s: the field “%s” has the focus on a %s named “%s”\n", where, title->str,
                                G_OBJECT_TYPE_NAME (focus), name);
      if (required)
        {
          g_autofree char *wrong = NULL;

          if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (focus), GTK_ACCESSIBLE_PROPERTY_REQUIRED))
            wrong = gtk_test_accessible_check_property (GTK_ACCESSIBLE (focus), GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE);
          else
            wrong = g_strdup ("not set");
          if (wrong != NULL)
            g_string_append_printf (problems, "%s: the field “%s” shows “Required”, but what has its focus is "
                                    "not required (%s)\n", where, title->str, wrong);
        }
    }

  return n_required;
}

/* A switch or check button in a row is said once: by itself, not also by the row around it */
static void
check_control_rows (GtkWidget  *widget,
                    const char *where,
                    guint      *n_checked,
                    GString    *problems)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if ((GTK_IS_SWITCH (widget) || GTK_IS_CHECK_BUTTON (widget)) && is_reported (widget))
    {
      g_autofree char *name = accessible_name (widget);

      (*n_checked)++;
      for (GtkWidget *parent = gtk_widget_get_parent (widget);
           parent != NULL && !GTK_IS_ROOT (parent);
           parent = gtk_widget_get_parent (parent))
        {
          g_autofree char *parent_name = NULL;

          if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) == GTK_ACCESSIBLE_ROLE_PRESENTATION)
            continue;
          parent_name = accessible_name (parent);
          if (*name != '\0' && strstr (parent_name, name) != NULL)
            g_string_append_printf (problems, "%s: “%s” is said twice: by its %s and by the %s (role %s) around it\n",
                                    where, name, G_OBJECT_TYPE_NAME (widget), G_OBJECT_TYPE_NAME (parent),
                                    role_name (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent))));
          if (GTK_IS_LIST_BOX_ROW (parent))
            break;
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_control_rows (child, where, n_checked, problems);
}

/* The detail's rows say their value, not only their title */
static void
check_property_rows (GtkWidget *widget,
                     GString   *problems)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_has_css_class (widget, "esc-property"))
    {
      g_autofree char *name = accessible_name (widget);
      const char *value = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));
      g_autofree char *description = property_text (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      g_autofree char *plain = NULL;

      g_assert_true (pango_parse_markup (value, -1, 0, NULL, &plain, NULL, NULL));
      if (strstr (name, plain) == NULL && (description == NULL || strstr (description, plain) == NULL))
        g_string_append_printf (problems, "the request's detail: the row “%s” does not say its value “%s”\n",
                                name, plain);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_property_rows (child, problems);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) && gtk_widget_get_visible (toplevel))
        return toplevel;
    }

  return NULL;
}

static GtkWidget *
open_shortcuts (Fixture *fixture)
{
  GtkWidget *shortcuts;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "show-help-overlay"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "show-help-overlay", NULL);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  esc_test_ui_wait_until (esc_test_ui_is_drawn, shortcuts, "the shortcuts window to be drawn");
  esc_test_ui_settle ();

  return shortcuts;
}

static GtkWidget *
open_detail (Fixture *fixture)
{
  EscRequestsPage *page = requests_page (fixture);
  GtkWidget *detail = esc_requests_page_get_detail (page);

  g_assert_true (esc_requests_page_select_request (page, "SR-000002"));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, detail, "the detail to be drawn");
  esc_test_ui_settle ();

  return detail;
}

static GtkWidget *
open_editor (Fixture *fixture)
{
  EscRequestsPage *page = requests_page (fixture);
  g_autoptr(EscSupportRequest) request = NULL;
  GListModel *rows = esc_requests_page_get_rows (page);
  GtkWidget *editor;

  for (guint i = 0; i < g_list_model_get_n_items (rows) && request == NULL; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (rows, i);

      if (ESC_IS_SUPPORT_REQUEST (item) &&
          g_strcmp0 (esc_support_request_get_id (ESC_SUPPORT_REQUEST (item)), "SR-000002") == 0)
        request = ESC_SUPPORT_REQUEST (g_steal_pointer (&item));
    }
  g_assert_nonnull (request);

  editor = GTK_WIDGET (esc_request_editor_new (GTK_WINDOW (fixture->window),
                                               esc_session_get_sender (fixture->session), request));
  gtk_window_present (GTK_WINDOW (editor));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, editor, "the editor to be drawn");
  esc_test_ui_settle ();

  return editor;
}

static gboolean
sla_page_lists_agreement (gpointer data)
{
  g_autofree char *text = NULL;

  if (esc_sla_page_get_busy (data))
    return FALSE;
  text = esc_test_ui_visible_text (data);
  return strstr (text, "SLA-000001") != NULL;
}

static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_auto(GStrv) screens = list_screens (fixture);
  EscRequestsPage *page;
  GtkWidget *widget;
  GtkWidget *popover;

  g_assert_cmpuint (g_strv_length (screens), >=, 3);
  for (guint i = 0; screens[i] != NULL; i++)
    {
      guint n_switches = 0;

      show_screen (fixture, screens[i]);
      check_names_of (GTK_WIDGET (fixture->window), screens[i], problems);
      check_fields_of (GTK_WIDGET (fixture->window), screens[i], 0, problems);
      check_control_rows (GTK_WIDGET (fixture->window), screens[i], &n_switches, problems);
    }

  /* The Requests screen's own parts: the detail, the filters, the New Request form and the
   * Edit Request dialog */
  show_screen (fixture, "requests");
  page = requests_page (fixture);
  widget = open_detail (fixture);
  check_names_of (widget, "the request's detail", problems);
  check_property_rows (widget, problems);

  popover = (GtkWidget *)gtk_menu_button_get_popover (GTK_MENU_BUTTON (esc_test_ui_find_widget (GTK_WIDGET (page),
                                                                                   esc_test_ui_is_of_type,
                                                                                   GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON))));
  g_assert_nonnull (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, popover, "the filters to show");
  check_names_of (popover, "the filters", problems);
  gtk_popover_popdown (GTK_POPOVER (popover));

  widget = GTK_WIDGET (esc_requests_page_open_form (page));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, widget, "the form to be drawn");
  esc_test_ui_settle ();
  check_names_of (widget, "the New Request form", problems);
  {
    guint n_switches = 0;

    /* Title, given name, surname, e-mail, phone, users or devices impacted, devices, related
     * ticket; four of them required at least (the contact's may be filled in already) */
    g_assert_cmpuint (check_fields_of (widget, "the New Request form", 8, problems), >=, 1);
    /* Hardware, service; the severities A, B, C */
    check_control_rows (widget, "the New Request form", &n_switches, problems);
    g_assert_cmpuint (n_switches, >=, 5);
  }
  gtk_window_destroy (GTK_WINDOW (widget));

  widget = open_editor (fixture);
  check_names_of (widget, "the Edit Request dialog", problems);
  check_fields_of (widget, "the Edit Request dialog", 1, problems);
  gtk_window_destroy (GTK_WINDOW (widget));

  widget = GTK_WIDGET (esc_preferences_window_new (GTK_WINDOW (fixture->window), fixture->session));
  gtk_window_present (GTK_WINDOW (widget));
  esc_test_ui_wait_until (esc_test_ui_is_drawn, widget, "the preferences to be drawn");
  esc_test_ui_settle ();
  check_names_of (widget, "Preferences", problems);
  /* The service's URL, the token */
  check_fields_of (widget, "Preferences", 2, problems);
  gtk_window_destroy (GTK_WINDOW (widget));

  /* The SLAs screen once its agreement is listed, and the editor of its terms */
  show_screen (fixture, "slas");
  {
    EscSlaPage *sla = esc_window_get_sla_page (fixture->window);
    g_autoptr(EscSlaAgreementVersion) draft = NULL;
    g_autoptr(JsonNode) node = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    guint before = g_list_model_get_n_items (toplevels);

    esc_test_ui_wait_until (sla_page_lists_agreement, sla, "the agreement to be listed");
    esc_test_ui_settle ();
    check_names_of (GTK_WIDGET (fixture->window), "the SLAs screen with an agreement", problems);

    node = json_from_string ("{\"agreement_id\": \"SLA-000001\", \"version\": 1, \"calendar_id\": \"paris\","
                             " \"targets\": {}, \"warnings\": [{\"percent\": 50, \"notify\": [\"filer\"]}]}", NULL);
    draft = esc_sla_agreement_version_new_from_json (node, FALSE, NULL);
    g_assert_nonnull (draft);
    esc_sla_terms_editor_open (sla, ESC_SLA_EDIT_DRAFT, draft, "SLA-000001", NULL);
    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
    widget = NULL;
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && widget == NULL; i++)
      {
        g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

        if (g_strcmp0 (gtk_window_get_title (window), "Edit SLA-000001, Version 1") == 0)
          widget = GTK_WIDGET (window);
      }
    g_assert_nonnull (widget);
    esc_test_ui_wait_until (esc_test_ui_is_drawn, widget, "the draft editor to be drawn");
    esc_test_ui_settle ();
    check_names_of (widget, "the SLA draft editor", problems);
    gtk_window_destroy (GTK_WINDOW (widget));
  }

  widget = open_shortcuts (fixture);
  check_names_of (widget, "the shortcuts window", problems);
  esc_test_ui_screenshot ("a11y-shortcuts.png");
  gtk_window_destroy (GTK_WINDOW (widget));

  report (problems, "Controls without a name a person would say");
}

/* Tab ------------------------------------------------------------------------------------ */

static gboolean
is_inside (GtkWidget *widget,
           GtkWidget *ancestor)
{
  return widget != NULL && (widget == ancestor || gtk_widget_is_ancestor (widget, ancestor));
}

static gboolean
is_stack (GtkWidget     *widget,
          gconstpointer  data)
{
  GtkWidget *visible;

  if (!GTK_IS_STACK (widget))
    return FALSE;
  visible = gtk_stack_get_visible_child (GTK_STACK (widget));
  return visible != NULL && gtk_stack_get_page (GTK_STACK (widget), visible) != NULL &&
         g_strcmp0 (gtk_stack_page_get_name (gtk_stack_get_page (GTK_STACK (widget), visible)), data) == 0;
}

/* The content of the screen @name: the window's stack page of that name */
static GtkWidget *
screen_content (Fixture    *fixture,
                const char *name)
{
  GtkWidget *stack = esc_test_ui_find_widget (GTK_WIDGET (fixture->window), is_stack, name);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child (GTK_STACK (stack));
}

static const char *
focus_name (Fixture *fixture)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "nothing";
}

static void
press_tab (Fixture          *fixture,
           GtkDirectionType  direction)
{
  /* What GtkWindow's Tab and Shift+Tab bindings do */
  g_signal_emit_by_name (fixture->window, "move-focus", direction);
  esc_test_ui_settle ();
}

/* Tab round @window from its first focus; a control that takes two Tab stops (its row, then
 * itself) is a problem. The window is destroyed. */
static void
tab_round (GtkWidget  *window,
           const char *where,
           GString    *problems)
{
  GtkWidget *previous = NULL;
  GtkWidget *first = NULL;

  esc_test_ui_wait_until (esc_test_ui_is_drawn, window, "the window to be drawn");
  esc_test_ui_settle ();

  for (guint n = 0; n < 80; n++)
    {
      GtkWidget *focus;

      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      esc_test_ui_settle ();
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus == NULL || focus == first)
        break;
      if (first == NULL)
        first = focus;

      /* A multi-line text shows its focus as an entry does: its row has a ring */
      if (GTK_IS_TEXT_VIEW (focus) && gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) != NULL)
        {
          GtkWidget *row = gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW);
          gint64 end;
          guint unfocused;
          guint focused;

          /* Without the focus, once the ring has faded out: as few edges as it gets */
          gtk_root_set_focus (GTK_ROOT (window), NULL);
          unfocused = borders_of (row);
          end = g_get_monotonic_time () + G_USEC_PER_SEC;
          while (g_get_monotonic_time () < end)
            {
              guint edges = borders_of (row);

              if (edges >= unfocused)
                break;
              unfocused = edges;
            }
          gtk_widget_grab_focus (focus);
          /* The ring fades in */
          end = g_get_monotonic_time () + G_USEC_PER_SEC;
          do
            focused = borders_of (row);
          while (focused <= unfocused && g_get_monotonic_time () < end);
          if (focused <= unfocused)
            g_string_append_printf (problems, "%s: no focus ring on the multi-line text box of a %s\n", where,
                                    G_OBJECT_TYPE_NAME (row));
        }

      if (previous != NULL && GTK_IS_LIST_BOX_ROW (previous) && gtk_widget_is_ancestor (focus, previous))
        g_string_append_printf (problems, "%s: two Tab stops for one control: a row (%s), then its %s\n", where, G_OBJECT_TYPE_NAME (previous),
                                G_OBJECT_TYPE_NAME (focus));
      previous = focus;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  esc_test_ui_settle ();
}

static void
test_tab (Fixture       *fixture,
          gconstpointer  data)
{
  g_auto(GStrv) screens = list_screens (fixture);
  GtkWidget *sidebar = esc_test_ui_find_widget (GTK_WIDGET (fixture->window), is_sidebar, NULL);
  g_autoptr(GString) problems = g_string_new (NULL);

  /* The window opens with the focus in the content of its first screen */
  if (!is_inside (gtk_root_get_focus (GTK_ROOT (fixture->window)), screen_content (fixture, screens[0])))
    g_string_append_printf (problems, "the focus is not in the %s screen when the window opens, but on %s\n",
                            screens[0], focus_name (fixture));

  for (guint i = 0; screens[i] != NULL; i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (sidebar), (int)i));
      GtkDirectionType directions[] = { GTK_DIR_TAB_FORWARD, GTK_DIR_TAB_BACKWARD };

      /* Alt+N, or the sidebar: the focus goes to the screen's content */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-screen", "s", screens[i]));
      esc_test_ui_settle ();
      g_assert_cmpstr (esc_window_get_screen (fixture->window), ==, screens[i]);
      if (!is_inside (gtk_root_get_focus (GTK_ROOT (fixture->window)), screen_content (fixture, screens[i])))
        g_string_append_printf (problems, "%s: the focus is not in the screen once it is shown, but on %s\n",
                                screens[i], focus_name (fixture));

      /* From the screen's row of the sidebar, round the whole window both ways */
      for (guint d = 0; d < G_N_ELEMENTS (directions); d++)
        {
          gtk_widget_grab_focus (row);
          for (guint n = 0; n < 60; n++)
            {
              GtkWidget *focus;

              press_tab (fixture, directions[d]);
              focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
              /* Round the window and back */
              if (focus == row)
                break;
              if (g_strcmp0 (esc_window_get_screen (fixture->window), screens[i]) != 0)
                {
                  g_string_append_printf (problems, "%s: %s %u times shows %s (the focus on %s)\n", screens[i],
                                          d == 0 ? "Tab" : "Shift+Tab", n + 1,
                                          esc_window_get_screen (fixture->window),
                                          focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "nothing");
                  esc_window_set_screen (fixture->window, screens[i]);
                  esc_test_ui_settle ();
                  break;
                }
            }
        }
    }

  /* The dialogs: one Tab stop per control (not a row, then its switch or option) */
  show_screen (fixture, "requests");
  tab_round (GTK_WIDGET (esc_requests_page_open_form (requests_page (fixture))), "the New Request form", problems);
  tab_round (open_editor (fixture), "the Edit Request dialog", problems);
  {
    GtkWidget *preferences = GTK_WIDGET (esc_preferences_window_new (GTK_WINDOW (fixture->window), fixture->session));

    gtk_window_present (GTK_WINDOW (preferences));
    tab_round (preferences, "Preferences", problems);
  }

  report (problems, "The keyboard");
}

/* Contrast ------------------------------------------------------------------------------- */

/* The application's own style classes */
static gboolean
has_app_style (GtkWidget *widget)
{
  for (guint depth = 0; widget != NULL && depth < 6; depth++, widget = gtk_widget_get_parent (widget))
    {
      g_auto(GStrv) classes = gtk_widget_get_css_classes (widget);

      for (guint i = 0; classes[i] != NULL; i++)
        if (g_str_has_prefix (classes[i], "esc-"))
          return TRUE;
    }

  return FALSE;
}

typedef struct
{
  GskRenderNode **nodes;      /* what the window's children paint, in order */
  GtkWidget     **painters;   /* those children */
  guint           n_nodes;
  GdkRGBA         window_bg;  /* what the window paints under them */
} Painting;

/* The text a label or an inscription shows, or NULL */
static const char *
text_of (GtkWidget *widget)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

  return text != NULL && *text != '\0' ? text : NULL;
}

static void
check_contrast (GtkWidget      *widget,
                const Painting *painting,
                const char     *where,
                guint          *n_checked,
                GString        *problems)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (text_of (widget) != NULL && has_app_style (widget))
    {
      Probe probe = { .background = painting->window_bg };

      for (guint i = 0; i < painting->n_nodes; i++)
        {
          graphene_rect_t bounds;

          if (!gtk_widget_compute_bounds (widget, painting->painters[i], &bounds))
            continue;
          /* The middle of the first line, where the text is */
          probe.point = GRAPHENE_POINT_INIT (bounds.origin.x + MIN (bounds.size.width / 2, 20),
                                             bounds.origin.y + MIN (bounds.size.height / 2, 8));
          probe_node (painting->nodes[i], probe.point.x, probe.point.y, 1, &probe);
        }

      if (probe.found)
        {
          double ratio = contrast (&probe.text, &probe.under_text);
          g_auto(GStrv) classes = gtk_widget_get_css_classes (widget);
          g_autofree char *class_list = g_strjoinv (".", classes);
          g_autofree char *text = gdk_rgba_to_string (&probe.text);
          g_autofree char *under = gdk_rgba_to_string (&probe.under_text);

          (*n_checked)++;
          if (ratio < 4.5)
            g_string_append_printf (problems, "%s: “%s” (%s.%s in %s) %.2f:1, text %s on %s\n", where,
                                    text_of (widget), G_OBJECT_TYPE_NAME (widget), class_list,
                                    G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)), ratio, text, under);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_contrast (child, painting, where, n_checked, problems);
}

static guint
check_contrast_of (GtkWidget  *root,
                   const char *where,
                   GString    *problems)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)gsk_render_node_unref);
  g_autoptr(GPtrArray) painters = g_ptr_array_new ();
  Painting painting;
  guint n_checked = 0;

  wait_frames (root);

  /* GTK < 4.10 has no gtk_widget_get_color (); the window's background is libadwaita's named
   * colour, as the window paints it */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (root), "window_bg_color",
                                                 &painting.window_bg));
  G_GNUC_END_IGNORE_DEPRECATIONS

  /* What the window's children paint, in the window's coordinates */
  {
    GtkSnapshot *snapshot = gtk_snapshot_new ();
    GskRenderNode *node;

    for (GtkWidget *child = gtk_widget_get_first_child (root);
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (gtk_widget_get_mapped (child) && gtk_widget_get_width (child) > 0)
        gtk_widget_snapshot_child (root, child, snapshot);
    node = gtk_snapshot_free_to_node (snapshot);
    if (node != NULL)
      {
        g_ptr_array_add (nodes, node);
        g_ptr_array_add (painters, root);
      }
  }
  g_assert_cmpuint (nodes->len, >, 0);

  painting.nodes = (GskRenderNode **)nodes->pdata;
  painting.painters = (GtkWidget **)painters->pdata;
  painting.n_nodes = nodes->len;
  check_contrast (root, &painting, where, &n_checked, problems);
  g_test_message ("%s: %u styled texts", where, n_checked);

  return n_checked;
}

static void
set_high_contrast (gboolean high_contrast)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.gnome.desktop.a11y.interface");

  g_settings_set_boolean (settings, "high-contrast", high_contrast);
}

static gboolean
style_is (gpointer data)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  guint mode = GPOINTER_TO_UINT (data);

  return adw_style_manager_get_dark (manager) == ((mode & 1) != 0) &&
         adw_style_manager_get_high_contrast (manager) == ((mode & 2) != 0);
}

static void
test_contrast (Fixture       *fixture,
               gconstpointer  data)
{
  static const char *modes[] = { "light", "dark", "high contrast", "dark high contrast" };
  AdwStyleManager *manager = adw_style_manager_get_default ();
  g_autoptr(GString) problems = g_string_new (NULL);
  g_auto(GStrv) screens = list_screens (fixture);
  struct {
    const char *where;
    const char *shot;
    GtkWidget  *window;
  } dialogs[] = {
    { "Preferences", "preferences", NULL },
    { "the New Request form", "form", NULL },
    { "the Edit Request dialog", NULL, NULL },
  };

  /* The dialogs are made once, and shown in each mode in turn */
  show_screen (fixture, "requests");
  dialogs[0].window = GTK_WIDGET (esc_preferences_window_new (GTK_WINDOW (fixture->window), fixture->session));
  gtk_window_present (GTK_WINDOW (dialogs[0].window));
  dialogs[1].window = GTK_WIDGET (esc_requests_page_open_form (requests_page (fixture)));
  dialogs[2].window = open_editor (fixture);
  for (guint d = 0; d < G_N_ELEMENTS (dialogs); d++)
    {
      g_object_ref (dialogs[d].window);
      esc_test_ui_wait_until (esc_test_ui_is_drawn, dialogs[d].window, dialogs[d].where);
      gtk_widget_set_visible (dialogs[d].window, FALSE);
    }

  for (guint mode = 0; mode < G_N_ELEMENTS (modes); mode++)
    {
      guint n_checked = 0;

      adw_style_manager_set_color_scheme (manager, (mode & 1) ? ADW_COLOR_SCHEME_FORCE_DARK
                                                              : ADW_COLOR_SCHEME_FORCE_LIGHT);
      set_high_contrast ((mode & 2) != 0);
      esc_test_ui_wait_until (style_is, GUINT_TO_POINTER (mode), modes[mode]);
      esc_test_ui_settle ();

      for (guint i = 0; screens[i] != NULL; i++)
        {
          g_autofree char *where = g_strdup_printf ("%s, %s", screens[i], modes[mode]);
          g_autofree char *shot = g_strdup_printf ("a11y-%s-%u.png", screens[i], mode);

          show_screen (fixture, screens[i]);
          if (g_str_equal (screens[i], "requests"))
            open_detail (fixture);
          n_checked += check_contrast_of (GTK_WIDGET (fixture->window), where, problems);
          esc_test_ui_screenshot (shot);
        }

      for (guint d = 0; d < G_N_ELEMENTS (dialogs); d++)
        {
          g_autofree char *where = g_strdup_printf ("%s, %s", dialogs[d].where, modes[mode]);

          gtk_window_present (GTK_WINDOW (dialogs[d].window));
          esc_test_ui_wait_until (esc_test_ui_is_drawn, dialogs[d].window, where);
          n_checked += check_contrast_of (dialogs[d].window, where, problems);
          if (dialogs[d].shot != NULL)
            {
              g_autofree char *shot = g_strdup_printf ("a11y-%s-%u.png", dialogs[d].shot, mode);

              esc_test_ui_screenshot (shot);
            }
          gtk_widget_set_visible (dialogs[d].window, FALSE);
        }

      /* The states and severities of the list, the detail's badges and titles, the status of
       * Preferences */
      g_assert_cmpuint (n_checked, >=, 10);
    }

  for (guint d = 0; d < G_N_ELEMENTS (dialogs); d++)
    {
      gtk_window_destroy (GTK_WINDOW (dialogs[d].window));
      g_object_unref (dialogs[d].window);
    }
  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
  set_high_contrast (FALSE);

  report (problems, "Texts below 4.5:1");
}

/* Sorting from the keyboard ---------------------------------------------------------- */

typedef int (*FakeKeyEvent) (Display *display, unsigned int keycode, Bool is_press, unsigned long delay);

/* A key pressed as a person presses it: through the X server (XTest), to the focused window.
 * FALSE when that cannot be done here (not X11, no XTest). */
static gboolean
press_key (GtkWidget *window,
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
  fake_key (xdisplay, XKeysymToKeycode (xdisplay, keyval), True, 0);
  fake_key (xdisplay, XKeysymToKeycode (xdisplay, keyval), False, 0);
  XFlush (xdisplay);

  return TRUE;
}

typedef struct
{
  Fixture    *fixture;
  const char *id;
} FirstRow;

static gboolean
first_row_is (gpointer data)
{
  FirstRow *wait = data;
  GListModel *rows = esc_requests_page_get_rows (requests_page (wait->fixture));
  g_autoptr(GObject) item = g_list_model_get_item (rows, 0);

  return ESC_IS_SUPPORT_REQUEST (item) &&
         g_strcmp0 (esc_support_request_get_id (ESC_SUPPORT_REQUEST (item)), wait->id) == 0;
}

static void
test_sort_by_keyboard (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *focus = NULL;
  g_autofree char *name = NULL;

  /* The newest first, as it opens */
  esc_test_ui_wait_until (first_row_is, &(FirstRow) { fixture, "SR-000006" }, "the newest request first");

  /* Tab from the search reaches the headings */
  gtk_widget_grab_focus (GTK_WIDGET (esc_requests_page_get_search_entry (requests_page (fixture))));
  for (guint n = 0; n < 20; n++)
    {
      press_tab (fixture, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      if (focus != NULL && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus)) == GTK_ACCESSIBLE_ROLE_COLUMN_HEADER)
        break;
    }
  g_assert_nonnull (focus);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus)), ==, GTK_ACCESSIBLE_ROLE_COLUMN_HEADER);
  name = accessible_name (focus);
  g_assert_cmpstr (name, ==, "Number");

  /* Return sorts by it; again, the other way */
  if (!press_key (GTK_WIDGET (fixture->window), GDK_KEY_Return))
    {
      g_test_skip ("No XTest on this display: Return cannot be pressed");
      return;
    }
  esc_test_ui_wait_until (first_row_is, &(FirstRow) { fixture, "SR-000001" }, "the requests sorted by number");
  g_assert_true (press_key (GTK_WIDGET (fixture->window), GDK_KEY_space));
  esc_test_ui_wait_until (first_row_is, &(FirstRow) { fixture, "SR-000006" }, "the requests sorted by number, the other way");
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);
  /* What is checked is what stays on screen: the screens, the focus ring and the colours once
   * shown, not the transitions to them (GTK then shows them at once) */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/ui/a11y/names", Fixture, NULL, fixture_setup, test_names, fixture_teardown);
  g_test_add ("/ui/a11y/tab", Fixture, NULL, fixture_setup, test_tab, fixture_teardown);
  g_test_add ("/ui/a11y/sort-by-keyboard", Fixture, NULL, fixture_setup, test_sort_by_keyboard, fixture_teardown);
  g_test_add ("/ui/a11y/contrast", Fixture, NULL, fixture_setup, test_contrast, fixture_teardown);

  return esc_test_ui_run ();
}
