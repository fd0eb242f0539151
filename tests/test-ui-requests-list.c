/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "esc-request-detail.h"
#include "esc-request-labels.h"
#include "esc-request-rows.h"
#include "esc-test-requests-ui.h"
#include "esc-test-ui.h"
#include "esc-workspace-bench.h"

/* The Requests screen's list on a workspace of generated requests: filters,
 * search, columns and the export as CSV; the rows' pacing for GTK 4.8.
 * ESCALADE_TEST_SCREENSHOTS=DIR saves screenshots on the way (ImageMagick's
 * import). The fixture and the helpers are in esc-test-requests-ui.c. */

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

/* The row of @list (its child) that holds @cell */
static GtkWidget *
row_of (GtkWidget *list,
        GtkWidget *cell)
{
  while (cell != NULL && gtk_widget_get_parent (cell) != list)
    cell = gtk_widget_get_parent (cell);
  g_assert_nonnull (cell);
  return cell;
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

static gboolean
detail_shows_first_result (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *detail = esc_requests_page_get_detail (fixture->page);

  return g_strcmp0 (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)), "SR-000042") == 0;
}

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
  /* Enter in the search (the entry's ::activate) opens the first result and
   * leaves the keys to the list */
  {
    GtkWidget *entry = GTK_WIDGET (esc_requests_page_get_search_entry (fixture->page));
    GtkWidget *detail = esc_requests_page_get_detail (fixture->page);

    gtk_widget_grab_focus (entry);
    g_assert_null (esc_request_detail_get_request_id (ESC_REQUEST_DETAIL (detail)));
    g_signal_emit_by_name (entry, "activate");
    esc_test_ui_wait_until (detail_shows_first_result, fixture, "the detail of SR-000042");
    {
      /* In the rows (a GtkListView in the column view), not the headings */
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      GtkWidget *list = focus;

      while (list != NULL && !GTK_IS_LIST_VIEW (list))
        list = gtk_widget_get_parent (list);
      g_assert_nonnull (list);
      g_assert_true (gtk_widget_get_parent (list) ==
                     GTK_WIDGET (esc_requests_page_get_column_view (fixture->page)));
    }
    g_signal_emit_by_name (detail, "close");

    /* Enter in an empty search (where the window puts the focus) opens nothing */
    {
      AdwFlap *flap = ADW_FLAP (esc_test_ui_find_widget (GTK_WIDGET (fixture->page), esc_test_ui_is_of_type,
                                                         GSIZE_TO_POINTER (ADW_TYPE_FLAP)));

      g_assert_false (adw_flap_get_reveal_flap (flap));
      search (fixture, "");
      expect_rows (fixture, N_GENERATED, any);
      g_signal_emit_by_name (entry, "activate");
      next_frame (GTK_WIDGET (fixture->page));
      g_assert_false (adw_flap_get_reveal_flap (flap));
    }

    /* The keys had moved down the list: Enter in a new search puts the
     * focus on the first result, where ↓ goes on from */
    {
      GtkWidget *list = find_list_view (GTK_WIDGET (esc_requests_page_get_column_view (fixture->page)));
      g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
      GtkWidget *focus;

      search (fixture, "printer driv");
      expect_rows (fixture, count_generated (gen_printer), is_printer);
      collect_cells (list, list, COLUMN_NUMBER, cells);
      g_array_sort (cells, compare_cells);
      g_assert_cmpuint (cells->len, >, 3);
      g_assert_true (gtk_widget_grab_focus (row_of (list, g_array_index (cells, Cell, 3).widget)));
      g_signal_emit_by_name (entry, "activate");
      focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
      g_assert_true (focus == row_of (list, g_array_index (cells, Cell, 0).widget) ||
                     gtk_widget_is_ancestor (focus, row_of (list, g_array_index (cells, Cell, 0).widget)));
      g_signal_emit_by_name (detail, "close");
    }
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

/* Signed in as the administrator, the generated rows (filed by her) on screen */
static void
show_generated (Fixture *fixture)
{
  gint64 me = 0;

  sign_in (fixture, fixture->admin_token);
  g_object_get (esc_account_get_identity (fixture->account), "id", &me, NULL);
  generate (fixture, me, NULL);
  esc_mirror_set_service (fixture->mirror, esc_test_service_get_url (fixture->service));
  open_window (fixture);
  expect_rows (fixture, N_GENERATED, any);
}

static void
test_columns (Fixture       *fixture,
              gconstpointer  data)
{
  show_generated (fixture);

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

static gboolean
flap_is_open (gpointer data)
{
  AdwFlap *flap = data;

  return adw_flap_get_reveal_flap (flap) && G_APPROX_VALUE (adw_flap_get_reveal_progress (flap), 1.0, 0.001);
}

/* The Title column's heading: where a person reads which column is the title */
static GtkWidget *
title_heading (GtkColumnView *view)
{
  GtkWidget *label = esc_test_ui_find_widget (GTK_WIDGET (view), is_label_text, "Title");
  GtkWidget *heading = label;

  g_assert_nonnull (label);
  while (heading != NULL && !g_str_equal (G_OBJECT_TYPE_NAME (heading), "GtkColumnViewTitle"))
    heading = gtk_widget_get_parent (heading);

  return heading != NULL ? heading : label;
}

/* At the window's default width, 1100 pixels, a request opened in the detail
 * pane leaves the list's Title column in sight, beside the pane, not under it;
 * only a narrower window has the pane over the list */
static void
test_detail_beside_list (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkColumnView *view;
  GtkWidget *detail;
  GtkWidget *scroller;
  GtkWidget *heading;
  AdwFlap *flap;
  graphene_rect_t title_bounds, detail_bounds, list_bounds;

  show_generated (fixture);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 750);
  next_frame (GTK_WIDGET (fixture->page));
  /* 1100 pixels with the window's frame (client-side decorations) */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), >=, 1080);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 1100);

  /* Opened as a person does: the row activated (a double click, or Enter) */
  view = esc_requests_page_get_column_view (fixture->page);
  detail = esc_requests_page_get_detail (fixture->page);
  flap = ADW_FLAP (gtk_widget_get_ancestor (detail, ADW_TYPE_FLAP));
  g_signal_emit_by_name (view, "activate", 0);
  esc_test_ui_wait_until (flap_is_open, flap, "the detail to open");
  next_frame (GTK_WIDGET (fixture->page));
  next_frame (GTK_WIDGET (fixture->page));
  esc_test_ui_screenshot ("requests-detail-1100.png");

  scroller = gtk_widget_get_parent (GTK_WIDGET (view));
  heading = title_heading (view);
  g_assert_true (gtk_widget_get_mapped (heading));
  g_assert_true (gtk_widget_compute_bounds (heading, GTK_WIDGET (fixture->window), &title_bounds));
  g_assert_true (gtk_widget_compute_bounds (detail, GTK_WIDGET (fixture->window), &detail_bounds));
  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (fixture->window), &list_bounds));
  g_test_message ("title heading: x %g, width %g; list: x %g, width %g; detail: x %g, width %g",
                  title_bounds.origin.x, title_bounds.size.width, list_bounds.origin.x,
                  list_bounds.size.width, detail_bounds.origin.x, detail_bounds.size.width);

  /* The whole Title column is in the list's sight, and left of the pane */
  g_assert_cmpfloat (title_bounds.size.width, >, 0);
  g_assert_cmpfloat (title_bounds.origin.x, >=, list_bounds.origin.x);
  g_assert_cmpfloat (title_bounds.origin.x + title_bounds.size.width, <=,
                     list_bounds.origin.x + list_bounds.size.width);
  g_assert_cmpfloat (title_bounds.origin.x + title_bounds.size.width, <=, detail_bounds.origin.x);
  /* and so is the list: the pane is beside it, not over it */
  g_assert_cmpfloat (list_bounds.origin.x + list_bounds.size.width, <=, detail_bounds.origin.x);
  g_assert_false (adw_flap_get_folded (flap));

  /* Too narrow for both, the pane folds (and closes, as an unlocked AdwFlap
   * does); opened again, it is over the list, which keeps the whole width */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 750);
  next_frame (GTK_WIDGET (fixture->page));
  g_assert_true (adw_flap_get_folded (flap));
  g_signal_emit_by_name (view, "activate", 0);
  esc_test_ui_wait_until (flap_is_open, flap, "the detail to open over the list");
  next_frame (GTK_WIDGET (fixture->page));
  esc_test_ui_screenshot ("requests-detail-900.png");
  g_assert_true (gtk_widget_compute_bounds (detail, GTK_WIDGET (fixture->window), &detail_bounds));
  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (fixture->window), &list_bounds));
  g_assert_cmpfloat (detail_bounds.origin.x, <, list_bounds.origin.x + list_bounds.size.width);
}

int
main (int   argc,
      char *argv[])
{
  esc_test_ui_init (&argc, &argv);

  g_test_add ("/ui/requests/filter-and-search", Fixture, NULL,
              fixture_setup, test_filter_and_search, fixture_teardown);
  g_test_add ("/ui/requests/columns", Fixture, NULL,
              fixture_setup, test_columns, fixture_teardown);
  g_test_add ("/ui/requests/detail-beside-list", Fixture, NULL,
              fixture_setup, test_detail_beside_list, fixture_teardown);
  g_test_add ("/ui/requests/export-csv", Fixture, NULL,
              fixture_setup, test_export_csv, fixture_teardown);
  g_test_add ("/ui/requests/export-csv-fails", Fixture, NULL,
              fixture_setup, test_export_csv_fails, fixture_teardown);

  g_test_add_func ("/ui/requests/rows-pacing", test_rows_pacing);

  return esc_test_ui_run ();
}
