/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-core-error.h"
#include "esc-staff-import.h"
#include "esc-staff-member.h"

/* The rows of a staff import (shared by `escalade-service person import`
 * and POST /v1/staff/import), their wire form, and the StaffMember's team,
 * disabled state and etag. */

static GPtrArray *
read_text (const char  *text,
           GPtrArray  **errors)
{
  return esc_staff_import_read (text, strlen (text), errors);
}

static void
assert_error (GPtrArray  *errors,
              guint       index,
              guint       line,
              const char *words)
{
  EscStaffImportError *error;

  g_assert_cmpuint (index, <, errors->len);
  error = g_ptr_array_index (errors, index);
  g_assert_cmpuint (error->line, ==, line);
  if (strstr (error->reason, words) == NULL)
    g_error ("line %u: “%s” does not say “%s”", line, error->reason, words);
}

static void
test_good_rows (void)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  EscStaffImportRow *row;
  const char *text =
    "\xef\xbb\xbfName, Email ,team,ROLES\r\n"
    "Ana Lopez,ana@example.org,Help desk,support-staff\r\n"
    "\r\n"
    "\"Martin, Chloé\",chloe@example.org,, support-staff ; it-admin;support-staff\r\n"
    "\"Dan \"\"the man\"\"\",dan@example.org,\"Ops, nights\",operator";

  rows = read_text (text, &errors);
  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_cmpuint (rows->len, ==, 3);

  row = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_cmpstr (row->name, ==, "Ana Lopez");
  g_assert_cmpstr (row->team, ==, "Help desk");
  g_assert_cmpstrv (row->roles, ((const char * const[]) { "support-staff", NULL }));

  /* A blank line is skipped but counted; roles trimmed, repeats dropped. */
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpuint (row->line, ==, 4);
  g_assert_cmpstr (row->name, ==, "Martin, Chloé");
  g_assert_null (row->team);
  g_assert_cmpstrv (row->roles, ((const char * const[]) { "support-staff", "it-admin", NULL }));

  row = g_ptr_array_index (rows, 2);
  g_assert_cmpuint (row->line, ==, 5);
  g_assert_cmpstr (row->name, ==, "Dan \"the man\"");
  g_assert_cmpstr (row->team, ==, "Ops, nights");
}

static void
test_bad_rows (void)
{
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const char *text =
    "name,email,team,roles\n"
    "Ana,ana@example.org,,support-staff\n"          /* 2: good */
    "Bob,bob.example.org,,support-staff\n"          /* 3: email */
    ",carl@example.org,,support-staff\n"            /* 4: no name */
    "Ana,ANA@example.org,,wizard;it-admin\n"        /* 5: name, email repeated; role */
    "Dee,dee@example.org,,\n"                       /* 6: no role */
    "Eve,eve@example.org\n"                         /* 7: two fields */
    "Fay,fay@example.org,\"Ops\nnights\",operator\n" /* 8: team on two lines */
    "Gil,gil@example.org,,wizard\n";                /* 10 */

  rows = read_text (text, &errors);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpuint (errors->len, ==, 9);
  assert_error (errors, 0, 3, "not a valid email address");
  assert_error (errors, 1, 4, "name is empty");
  assert_error (errors, 2, 5, "already on line 2");
  assert_error (errors, 3, 5, "ANA@example.org is already on line 2");
  assert_error (errors, 4, 5, "wizard");
  assert_error (errors, 5, 6, "no role");
  assert_error (errors, 6, 7, "2 fields");
  assert_error (errors, 7, 8, "team");
  assert_error (errors, 8, 10, "wizard");
}

static void
test_bad_files (void)
{
  struct {
    const char *text;
    guint       line;
    const char *words;
  } cases[] = {
    { "", 1, "empty" },
    { "name,email,team,roles\n", 1, "no one to import" },
    { "name,email,roles\nAna,ana@example.org,support-staff\n", 1, "header" },
    { "name,email,team,roles\nAna,ana@example.org,,support-staff\n\"Bob,b@example.org,,operator\n",
      3, "not closed" },
    { "name,email,team,roles\nAna,ana@example.org,,support-staff\nB\xff,b@example.org,,operator\n",
      3, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) errors = NULL;
      g_autoptr(GPtrArray) rows = read_text (cases[i].text, &errors);

      g_assert_cmpuint (rows->len, ==, 0);
      g_assert_cmpuint (errors->len, >=, 1);
      assert_error (errors, 0, cases[i].line, cases[i].words);
    }
}

static void
test_errors_json (void)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_staff_import_error_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;

  /* Kept in line order, a line's reasons in the order given. */
  esc_staff_import_add_error (errors, 7, "seven");
  esc_staff_import_add_error (errors, 3, "three");
  esc_staff_import_add_error (errors, 7, "seven again");
  node = esc_staff_import_errors_to_json (errors);
  back = esc_staff_import_errors_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);
  assert_error (back, 0, 3, "three");
  assert_error (back, 1, 7, "seven");
  assert_error (back, 2, 7, "seven again");

  bad = json_from_string ("[{\"line\": \"3\", \"reason\": \"x\"}]", NULL);
  g_assert_null (esc_staff_import_errors_from_json (bad, &error));
  g_assert_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE);
}

static void
test_staff_member_access (void)
{
  const char * const roles[] = { "support-staff", NULL };
  g_autoptr(EscStaffMember) member = esc_staff_member_new (7, "Lou", "lou@example.org", roles);
  g_autoptr(EscStaffMember) back = NULL;
  g_autoptr(EscStaffMember) old = NULL;
  g_autoptr(EscStaffAccessRemoval) removal = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) old_node = NULL;
  g_autoptr(JsonNode) removal_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *removal_text = NULL;
  g_autofree char *member_text = NULL;

  esc_staff_member_set_access (member, "Field support", TRUE);
  esc_staff_member_set_etag (member, "\"abc\"");
  node = esc_staff_member_to_json (member);
  back = esc_staff_member_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (esc_staff_member_get_team (back), ==, "Field support");
  g_assert_true (esc_staff_member_get_disabled (back));
  g_assert_cmpstr (esc_staff_member_get_etag (back), ==, "\"abc\"");

  /* From a service older than the staff-access endpoints. */
  old_node = json_from_string ("{\"id\": 1, \"name\": \"Kim\", \"email\": \"kim@example.org\","
                               " \"roles\": [], \"designations\": []}", NULL);
  old = esc_staff_member_new_from_json (old_node, &error);
  g_assert_no_error (error);
  g_assert_null (esc_staff_member_get_team (old));
  g_assert_false (esc_staff_member_get_disabled (old));
  g_assert_null (esc_staff_member_get_etag (old));

  member_text = json_to_string (node, FALSE);
  removal_text = g_strdup_printf ("{\"person\": %s, \"tokens_revoked\": 2,"
                                  " \"designations_withdrawn\": 1, \"elevations_closed\": 3,"
                                  " \"devices_rotated\": 2}", member_text);
  removal_node = json_from_string (removal_text, NULL);
  removal = esc_staff_access_removal_new_from_json (removal_node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (removal->tokens_revoked, ==, 2);
  g_assert_cmpuint (removal->elevations_closed, ==, 3);
  g_assert_true (esc_staff_member_get_disabled (removal->person));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/staff-import/good-rows", test_good_rows);
  g_test_add_func ("/core/staff-import/bad-rows", test_bad_rows);
  g_test_add_func ("/core/staff-import/bad-files", test_bad_files);
  g_test_add_func ("/core/staff-import/errors-json", test_errors_json);
  g_test_add_func ("/core/staff-import/staff-member-access", test_staff_member_access);

  return g_test_run ();
}
