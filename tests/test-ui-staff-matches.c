/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "esc-mirror.h"
#include "esc-staff-directory.h"
#include "esc-staff-matches.h"
#include "esc-workspace.h"

/* EscStaffMatches, the people the Staff & access screen shows for a search,
 * against GTK's own GtkFilterListModel with a GtkCustomFilter over the same
 * directory and the same test: after every search (narrower, wider, another),
 * every filter change and every change of the directory (a sync that adds,
 * removes and renames people), both hold the same people in the same order,
 * and the ::items-changed signals of EscStaffMatches, applied to a copy of its
 * first contents, give its contents. On a real workspace file. */

#define SERVICE "http://127.0.0.1:1"
#define N_PEOPLE 1500

typedef struct
{
  char          *query;  /* folded */
  EscStaffRoles  role;   /* 0 for any */
  guint          asked;  /* how many times the match function ran */
} Search;

static gboolean
search_matches (EscStaffEntry *entry,
                gpointer       user_data)
{
  Search *search = user_data;

  search->asked++;
  if (search->query[0] != '\0' && strstr (esc_staff_entry_get_search_key (entry), search->query) == NULL)
    return FALSE;
  return search->role == 0 || (esc_staff_entry_get_roles (entry) & search->role) != 0;
}

static gboolean
custom_filter_cb (gpointer item,
                  gpointer user_data)
{
  Search copy = *(Search *)user_data;

  return search_matches (item, &copy);
}

/* A copy of the model, kept by its ::items-changed alone */
static void
follow_changes_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   GPtrArray  *copy)
{
  g_assert_cmpuint (position + removed, <=, copy->len);
  g_ptr_array_remove_range (copy, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (copy, position + i, g_list_model_get_item (model, position + i));
  g_assert_cmpuint (copy->len, ==, g_list_model_get_n_items (model));
}

static void
assert_same (GListModel *matches,
             GListModel *reference,
             GPtrArray  *copy,
             const char *what)
{
  guint n = g_list_model_get_n_items (reference);

  g_test_message ("%s: %u people", what, n);
  g_assert_cmpuint (g_list_model_get_n_items (matches), ==, n);
  g_assert_cmpuint (copy->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscStaffEntry) mine = g_list_model_get_item (matches, i);
      g_autoptr(EscStaffEntry) theirs = g_list_model_get_item (reference, i);

      g_assert_true (mine == theirs);
      g_assert_true (g_ptr_array_index (copy, i) == mine);
    }
  g_assert_null (g_list_model_get_item (matches, n));
}

static char *
member_json (guint       id,
             const char *name)
{
  static const char *teams[] = { "Desk A", "Desk B", "Devices", "Desk 42" };

  return g_strdup_printf ("{\"id\": %u, \"name\": \"%s\", \"email\": \"person%05u@example.org\","
                          " \"team\": \"%s\", \"roles\": [%s], \"designations\": [],"
                          " \"disabled\": false, \"etag\": \"\\\"%u-1\\\"\"}",
                          id, name, id, teams[id % G_N_ELEMENTS (teams)],
                          id % 7 == 0 ? "\"it-admin\", \"support-staff\"" : "\"support-staff\"", id);
}

/* People @first to @first + @n - 1; @renamed (if not 0) is Zoé Lefèvre; with
 * @aaron, Aaron Lefèvre too, first of the directory */
static void
store_people (EscMirror *mirror,
              guint      first,
              guint      n,
              guint      renamed,
              gboolean   aaron)
{
  static const char *given[] = { "Dominique", "Élodie", "Karim", "Léa", "Chloé", "Hugo", "Inès" };
  static const char *surnames[] = { "Martin", "Lefèvre", "Dubois", "Durand", "García", "Petit" };
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(GError) error = NULL;

  for (guint id = first; id < first + n; id++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s %u", given[id % G_N_ELEMENTS (given)],
                                               surnames[(id / 7) % G_N_ELEMENTS (surnames)], id);
      g_autofree char *json = NULL;
      JsonNode *node;

      if (id == renamed)
        {
          g_free (name);
          name = g_strdup ("Zoé Lefèvre");
        }
      json = member_json (id, name);
      node = json_from_string (json, &error);
      g_assert_no_error (error);
      json_array_add_element (items, node);
    }
  if (aaron)
    {
      g_autofree char *json = member_json (90000, "Aaron Lefèvre");
      JsonNode *node = json_from_string (json, &error);

      g_assert_no_error (error);
      json_array_add_element (items, node);
    }
  g_assert_true (esc_mirror_store_staff (mirror, SERVICE, items, &error));
  g_assert_no_error (error);
}

/* As the screen does: a longer query keeps only some of those shown, a shorter one adds to them */
static GtkFilterChange
set_query (Search     *search,
           const char *typed)
{
  g_autofree char *query = esc_staff_fold_text (typed);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (strstr (query, search->query) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (strstr (search->query, query) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  g_free (search->query);
  search->query = g_steal_pointer (&query);

  return change;
}

static void
test_matches (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("escalade-staff-matches-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "workspace.sqlite3", NULL);
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(EscStaffDirectory) directory = NULL;
  g_autoptr(EscStaffMatches) matches = NULL;
  g_autoptr(GtkFilterListModel) reference = NULL;
  g_autoptr(GPtrArray) copy = g_ptr_array_new_with_free_func (g_object_unref);
  GtkCustomFilter *filter;
  Search search = { g_strdup (""), 0, 0 };
  const char *typed[] = { "d", "do", "dom", "do", "", "desk 4", "desk 42", "l", "le", "lef", "lefè",
                          "LEFÈVRE", "e", "el", "elo", "elodie", "élodie m", "elodie", "person0",
                          "person00", "person000", "person0001", "person00", "zzz", "", NULL };
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_assert_no_error (error);
  workspace = esc_workspace_open (path, &error);
  g_assert_no_error (error);
  mirror = esc_mirror_new (workspace);
  esc_mirror_set_service (mirror, SERVICE);
  store_people (mirror, 1, N_PEOPLE, 0, FALSE);
  directory = esc_staff_directory_new (mirror);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (directory)), ==, N_PEOPLE);

  filter = gtk_custom_filter_new (custom_filter_cb, &search, NULL);
  reference = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (directory)), GTK_FILTER (filter));
  matches = esc_staff_matches_new (search_matches, &search);
  g_signal_connect (matches, "items-changed", G_CALLBACK (follow_changes_cb), copy);
  esc_staff_matches_set_directory (matches, directory);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "everyone");

  for (guint i = 0; typed[i] != NULL; i++)
    {
      GtkFilterChange change = set_query (&search, typed[i]);
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (matches));

      search.asked = 0;
      esc_staff_matches_refilter (matches, change);
      gtk_filter_changed (GTK_FILTER (filter), change);
      assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, typed[i]);
      /* Only those who may change are asked about */
      if (change == GTK_FILTER_CHANGE_MORE_STRICT)
        g_assert_cmpuint (search.asked, ==, shown);
      else if (change == GTK_FILTER_CHANGE_LESS_STRICT)
        g_assert_cmpuint (search.asked, ==, N_PEOPLE - shown);
      else
        g_assert_cmpuint (search.asked, ==, N_PEOPLE);
    }
  /* The search narrows something down */
  set_query (&search, "lefèvre");
  esc_staff_matches_refilter (matches, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "lefèvre");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matches)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matches)), <, N_PEOPLE / 2);

  /* A filter of the drop-downs */
  search.role = ESC_STAFF_ROLE_IT_ADMIN;
  esc_staff_matches_refilter (matches, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_DIFFERENT);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "lefèvre, IT administrators");

  /* A sync that adds one person, first: those after move along */
  store_people (mirror, 1, N_PEOPLE, 0, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (directory)), ==, N_PEOPLE + 1);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "Aaron added");
  /* And removes them again */
  store_people (mirror, 1, N_PEOPLE, 0, FALSE);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "Aaron removed");

  /* A sync: the first 40 people gone, 60 new ones, one renamed into the search */
  store_people (mirror, 41, N_PEOPLE + 20, 700, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (directory)), ==, N_PEOPLE + 20);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "after a sync");
  search.role = 0;
  esc_staff_matches_refilter (matches, GTK_FILTER_CHANGE_LESS_STRICT);
  gtk_filter_changed (GTK_FILTER (filter), GTK_FILTER_CHANGE_LESS_STRICT);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "lefèvre after a sync");
  {
    g_autoptr(EscStaffEntry) zoe = esc_staff_directory_lookup (directory, 700);
    gboolean found = FALSE;

    g_assert_nonnull (zoe);
    for (guint i = 0; i < copy->len; i++)
      found |= g_ptr_array_index (copy, i) == zoe;
    g_assert_true (found);
  }
  store_people (mirror, 41, 200, 0, FALSE);
  assert_same (G_LIST_MODEL (matches), G_LIST_MODEL (reference), copy, "after a sync that removes most");

  /* No directory: nobody */
  esc_staff_matches_set_directory (matches, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (matches)), ==, 0);
  g_assert_cmpuint (copy->len, ==, 0);

  g_clear_object (&matches);
  g_clear_object (&reference);
  g_clear_object (&directory);
  g_clear_object (&mirror);
  g_clear_object (&workspace);
  g_free (search.query);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/staff-matches/same-as-filter-list-model", test_matches);

  return g_test_run ();
}
