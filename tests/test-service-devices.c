/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <string.h>

#include "esc-service-devices.h"
#include "esc-test-backend.h"
#include "esc-test-inprocess.h"

/* Devices: the CSV reader, `device add` and `device import` (the real
 * binary, on the test server's database), and GET /v1/devices over HTTP
 * with every role. */

typedef struct
{
  EscTestServer *server;
  char          *admin;
  char          *staff;      /* support-staff, no designation */
  char          *elevator;   /* support-staff with a live elevation designation */
  char          *escalator;  /* support-staff with a live escalation designation */
  char          *expired;    /* support-staff whose elevation designation expired */
  char          *manager;    /* partner-manager */
  char          *operator;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = esc_test_server_new ();
  fixture->admin = esc_test_server_create_token (fixture->server, "admin", "it-admin");
  fixture->staff = esc_test_server_create_token (fixture->server, "sam", "support-staff");
  fixture->elevator = esc_test_server_create_token (fixture->server, "eve", "support-staff");
  fixture->escalator = esc_test_server_create_token (fixture->server, "esko", "support-staff");
  fixture->expired = esc_test_server_create_token (fixture->server, "old", "support-staff");
  fixture->manager = esc_test_server_create_token (fixture->server, "pat", "partner-manager");
  fixture->operator = esc_test_server_create_token (fixture->server, "ops", "operator");
  esc_test_server_designate (fixture->server, "eve", "elevation", NULL);
  esc_test_server_designate (fixture->server, "esko", "escalation", "2024-06-01T00:00:00Z");
  esc_test_server_designate (fixture->server, "old", "elevation", "2024-05-06T08:00:00Z");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->admin, g_free);
  g_clear_pointer (&fixture->staff, g_free);
  g_clear_pointer (&fixture->elevator, g_free);
  g_clear_pointer (&fixture->escalator, g_free);
  g_clear_pointer (&fixture->expired, g_free);
  g_clear_pointer (&fixture->manager, g_free);
  g_clear_pointer (&fixture->operator, g_free);
  g_clear_pointer (&fixture->server, esc_test_server_free);
}

/* Runs `escalade-service --database DB ARGS…`; returns its exit status. */
static int
run_cli (Fixture             *fixture,
         const char * const  *args,
         char               **out_stdout,
         char               **out_stderr)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) options = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *binary = g_getenv ("ESCALADE_SERVICE");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *)binary);
  g_ptr_array_add (argv, (char *)"--database");
  g_ptr_array_add (argv, (char *)esc_test_server_get_path (fixture->server));
  /* On PostgreSQL, the test server's keys */
  esc_test_backend_add_options (options, esc_test_server_get_tmpdir (fixture->server));
  for (guint i = 0; i < options->len; i++)
    g_ptr_array_add (argv, options->pdata[i]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_test_message ("escalade-service %s → %d: %s%s", args[0],
                  g_subprocess_get_exit_status (process), stdout_text, stderr_text);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&stdout_text);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&stderr_text);

  return g_subprocess_get_exit_status (process);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (esc_test_server_get_tmpdir (fixture->server), name, NULL);

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return path;
}

static void
add_device (Fixture    *fixture,
            const char *name,
            const char *serial,
            const char *group)
{
  const char * const args[] = { "device", "add", "--name", name, "--serial", serial,
                                "--group", group, NULL };

  g_assert_cmpint (run_cli (fixture, args, NULL, NULL), ==, 0);
}

static char *
device_group (Fixture    *fixture,
              const char *name)
{
  g_autoptr(EscServiceDevice) device = NULL;
  g_autoptr(GError) error = NULL;

  device = esc_service_devices_find (esc_test_server_get_db (fixture->server), name, &error);
  if (device == NULL)
    {
      g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_NOT_FOUND);
      return NULL;
    }

  return g_strdup (device->group);
}

/* CSV, parsed in-process */

static void
test_csv_good (void)
{
  /* A byte order mark, CRLF, columns in another order and case, quoted
   * fields, blank lines, spaces around values, a group in capitals, no final
   * newline. */
  static const char text[] =
    "\xef\xbb\xbf" "Serial, NAME ,group\r\n"
    "SN-001,MMD-001,broad\r\n"
    "\r\n"
    "\"SN-002\",\"MMD-002\",\"Fast\"\r\n"
    "  SN/003 , MMD-003 ,test\n"
    "\n"
    "\"SN-004\",MMD-004,first";
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  EscServiceDeviceRow *row;

  rows = esc_service_devices_parse_csv (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);

  row = rows->pdata[0];
  g_assert_cmpstr (row->name, ==, "MMD-001");
  g_assert_cmpstr (row->serial_number, ==, "SN-001");
  g_assert_cmpstr (row->group, ==, "broad");
  g_assert_cmpuint (row->line, ==, 2);

  row = rows->pdata[1];
  g_assert_cmpstr (row->name, ==, "MMD-002");
  g_assert_cmpstr (row->group, ==, "fast");
  g_assert_cmpuint (row->line, ==, 4);

  row = rows->pdata[2];
  g_assert_cmpstr (row->serial_number, ==, "SN/003");
  g_assert_cmpstr (row->name, ==, "MMD-003");
  g_assert_cmpuint (row->line, ==, 5);

  row = rows->pdata[3];
  g_assert_cmpstr (row->name, ==, "MMD-004");
  g_assert_cmpuint (row->line, ==, 7);

  /* A header alone is an empty list, not an error. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = esc_service_devices_parse_csv ("name,serial,group\n", 18, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
test_csv_bad (void)
{
  const struct {
    const char *text;
    const char *message;  /* the start of the message, with its line */
    const char *reason;   /* a part of the reason */
  } cases[] = {
    { "", "The file is empty", "header" },
    { "\n\n", "The file is empty", "header" },
    { "name,serial\nA,B\n", "line 1:", "name, serial and group" },
    { "name,serial,group,owner\n", "line 1:", "unknown column “owner”" },
    { "name,serial,name,group\n", "line 1:", "appears twice" },
    { "name,serial,group\nA,B\n", "line 2:", "expected 3 fields, found 2" },
    { "name,serial,group\nA,B,broad,x\n", "line 2:", "expected 3 fields, found 4" },
    { "name,serial,group\nA,B,broad\nC,D,slow\n", "line 3:", "“slow” is not a device group" },
    { "name,serial,group\nbad name,B,broad\n", "line 2:", "not a valid device name" },
    { "name,serial,group\nA,,broad\n", "line 2:", "not a valid serial number" },
    { "name,serial,group\nA,B,broad\n\"C,D,broad\n", "line 3:", "not closed" },
    { "name,serial,group\nA,B,broad\n\"C\nD\",E,broad\nF,G,broad\n", "line 3:",
      "not a valid device name" },
    { "name,serial,group\nA,B\"x,broad\n", "line 2:", "a quote inside a field" },
    { "name,serial,group\n\"A\"x,B,broad\n", "line 2:", "after a closing quote" },
    { "name,serial,group\nA,B,broad\rC,D,broad\n", "line 2:", "carriage return" },
    { "name,serial,group\nMMD-1,B,broad\nmmd-1,C,fast\n", "line 3:", "already on line 2" },
    { "name,serial,group\nA,SN,broad\nB,sn,fast\n", "line 3:", "serial number “sn” is already on line 2" },
    { "name,serial,group\nA,B,broad\nC,D,br\xc3" "oad\n", "line 3:", "not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;

      rows = esc_service_devices_parse_csv (cases[i].text, strlen (cases[i].text), &error);
      g_test_message ("case %u: %s", i, error ? error->message : "(no error)");
      g_assert_null (rows);
      g_assert_error (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_nonnull (strstr (error->message, cases[i].reason));
    }
}

static void
test_validate (void)
{
  g_assert_true (esc_service_device_name_is_valid ("MMD-03690457680"));
  g_assert_true (esc_service_device_name_is_valid ("pc_1.corp"));
  g_assert_false (esc_service_device_name_is_valid (""));
  g_assert_false (esc_service_device_name_is_valid ("-pc"));
  g_assert_false (esc_service_device_name_is_valid ("pc 1"));
  g_assert_false (esc_service_device_name_is_valid ("pc%"));
  g_assert_false (esc_service_device_name_is_valid ("été"));
  g_assert_false (esc_service_device_name_is_valid (NULL));
  g_assert_true (esc_service_device_serial_is_valid ("5CG1234/XY"));
  g_assert_false (esc_service_device_serial_is_valid ("5CG 1234"));
  for (guint i = 0; esc_service_device_groups ()[i] != NULL; i++)
    g_assert_true (esc_service_device_group_is_valid (esc_service_device_groups ()[i]));
  g_assert_false (esc_service_device_group_is_valid ("Broad"));
  g_assert_false (esc_service_device_group_is_valid ("pilot"));
}

/* The command line */

static void
test_cli_add (Fixture       *fixture,
              gconstpointer  data)
{
  const char * const add[] = { "device", "add", "--name", "MMD-1", "--serial", "SN1",
                               "--group", "broad", NULL };
  const char * const same_name[] = { "device", "add", "--name", "mmd-1", "--serial", "SN2",
                                     "--group", "fast", NULL };
  const char * const same_serial[] = { "device", "add", "--name", "MMD-2", "--serial", "sn1",
                                       "--group", "fast", NULL };
  const char * const bad_group[] = { "device", "add", "--name", "MMD-3", "--serial", "SN3",
                                     "--group", "pilot", NULL };
  const char * const missing[] = { "device", "add", "--name", "MMD-3", NULL };
  const char * const no_sub[] = { "device", NULL };
  const char * const help[] = { "device", "add", "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *group = NULL;

  g_assert_cmpint (run_cli (fixture, add, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "MMD-1"));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 1);
  group = device_group (fixture, "MMD-1");
  g_assert_cmpstr (group, ==, "broad");

  /* Names and serial numbers are unique, whatever their case. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, same_name, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "mmd-1"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, same_serial, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "sn1"));

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, bad_group, NULL, &err), ==, 2);
  g_assert_nonnull (strstr (err, "pilot"));
  g_assert_cmpint (run_cli (fixture, missing, NULL, NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, no_sub, NULL, NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, help, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--serial"));

  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 1);
  /* The enrolment is in the audit log, from the command line. */
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'device.added'"
                                               " AND actor_id IS NULL"), ==, 1);
}

static void
test_cli_import_good (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *first = write_file (fixture, "first.csv",
                                       "name,serial,group\n"
                                       "MMD-1,SN1,broad\n"
                                       "\"MMD-2\",\"SN2\",fast\n"
                                       "MMD-3,SN3,test\n");
  /* SN2 moves to another group and name; SN1 is unchanged; SN4 is new. */
  g_autofree char *second = write_file (fixture, "second.csv",
                                        "group,serial,name\r\n"
                                        "broad,SN1,MMD-1\r\n"
                                        "first,SN2,MMD-2B\r\n"
                                        "broad,SN4,MMD-4\r\n");
  const char * const import_first[] = { "device", "import", first, NULL };
  const char * const import_second[] = { "device", "import", second, NULL };
  g_autofree char *out = NULL;
  g_autofree char *group = NULL;

  g_assert_cmpint (run_cli (fixture, import_first, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "3 added, 0 updated"));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 3);

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, import_second, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "1 added, 1 updated"));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 4);
  group = device_group (fixture, "SN2");
  g_assert_cmpstr (group, ==, "first");
  g_clear_pointer (&group, g_free);
  group = device_group (fixture, "MMD-2");
  g_assert_null (group);
  group = device_group (fixture, "MMD-2B");
  g_assert_cmpstr (group, ==, "first");

  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'devices.imported'"),
                   ==, 2);
}

static void
test_cli_import_bad (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A bad line at the end: nothing before it is imported either. */
  g_autofree char *bad_line = write_file (fixture, "bad.csv",
                                          "name,serial,group\n"
                                          "MMD-10,SN10,broad\n"
                                          "MMD-11,SN11,broad\n"
                                          "MMD-12,SN12,everyone\n");
  /* Well-formed, but line 3 names a device enrolled under another serial. */
  g_autofree char *conflict = write_file (fixture, "conflict.csv",
                                          "name,serial,group\n"
                                          "MMD-20,SN20,broad\n"
                                          "mmd-1,SN-OTHER,broad\n");
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "escalade-no-such-file.csv", NULL);
  const char * const import_bad[] = { "device", "import", bad_line, NULL };
  const char * const import_conflict[] = { "device", "import", conflict, NULL };
  const char * const import_missing[] = { "device", "import", missing, NULL };
  const char * const import_nothing[] = { "device", "import", NULL };
  const char * const import_two[] = { "device", "import", bad_line, conflict, NULL };
  g_autofree char *err = NULL;

  add_device (fixture, "MMD-1", "SN1", "broad");

  g_assert_cmpint (run_cli (fixture, import_bad, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "line 4: "));
  g_assert_nonnull (strstr (err, "everyone"));
  g_assert_nonnull (strstr (err, "nothing was imported"));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 1);

  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fixture, import_conflict, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "line 3: "));
  g_assert_nonnull (strstr (err, "mmd-1"));
  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 1);

  g_assert_cmpint (run_cli (fixture, import_missing, NULL, NULL), ==, 1);
  g_assert_cmpint (run_cli (fixture, import_nothing, NULL, NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, import_two, NULL, NULL), ==, 2);

  g_assert_cmpint (esc_test_server_count_rows (fixture->server, "devices"), ==, 1);
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'devices.imported'"),
                   ==, 0);
}

/* GET /v1/devices */

static void
test_list_roles (Fixture       *fixture,
                 gconstpointer  data)
{
  const struct {
    const char *token;
    guint       status;
  } cases[] = {
    { fixture->admin, 200 },
    { fixture->elevator, 200 },
    { fixture->escalator, 200 },
    { fixture->staff, 403 },
    { fixture->expired, 403 },
    { fixture->manager, 403 },
    { fixture->operator, 403 },
    { NULL, 401 },
    { "esc_unknown", 401 },
  };

  add_device (fixture, "MMD-1", "SN1", "broad");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(EscTestResponse) response = { 0, };

      esc_test_request (fixture->server, "GET", "/v1/devices", cases[i].token, NULL, NULL, NULL,
                        &response);
      g_assert_cmpuint (response.status, ==, cases[i].status);
      if (cases[i].status == 200)
        {
          JsonArray *items = json_object_get_array_member (json_node_get_object (response.body),
                                                           "items");
          JsonObject *device = json_array_get_object_element (items, 0);

          g_assert_cmpuint (json_array_get_length (items), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (device, "name"), ==, "MMD-1");
          g_assert_cmpstr (json_object_get_string_member (device, "serial_number"), ==, "SN1");
          g_assert_cmpstr (json_object_get_string_member (device, "group"), ==, "broad");
          g_assert_cmpint (json_object_get_int_member (device, "open_elevation_requests"), ==, 0);
        }
      else if (cases[i].status == 403)
        {
          g_assert_cmpstr (esc_test_problem_type (&response), ==, "forbidden");
        }
    }

  /* The escalation designation lapses on 2024-06-01. */
  esc_test_server_set_now (fixture->server, "2024-06-01T00:00:01Z");
  {
    g_auto(EscTestResponse) response = { 0, };

    esc_test_request (fixture->server, "GET", "/v1/devices", fixture->escalator, NULL, NULL,
                      NULL, &response);
    g_assert_cmpuint (response.status, ==, 403);
  }

  /* Refusals are audited. */
  g_assert_cmpint (esc_test_server_count_rows (fixture->server,
                                               "audit_events WHERE action = 'authorization.refused'"
                                               " AND target = '/v1/devices'"), ==, 5);
}

static GStrv
list_names (Fixture     *fixture,
            const char  *path,
            char       **out_next)
{
  g_auto(EscTestResponse) response = { 0, };
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonObject *object;
  JsonArray *items;

  esc_test_request (fixture->server, "GET", path, fixture->elevator, NULL, NULL, NULL, &response);
  g_assert_cmpuint (response.status, ==, 200);
  object = json_node_get_object (response.body);
  items = json_object_get_array_member (object, "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_strv_builder_add (names, json_object_get_string_member (json_array_get_object_element (items, i),
                                                              "name"));

  if (out_next != NULL)
    *out_next = g_strdup (json_object_get_string_member_with_default (object, "next_cursor", NULL));

  return g_strv_builder_end (names);
}

static void
assert_names (GStrv        names,
              const char  *expected)
{
  g_autofree char *joined = g_strjoinv (",", names);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_list_query_and_pages (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *csv = write_file (fixture, "fleet.csv",
                                     "name,serial,group\n"
                                     "MMD-ALPHA,5CG-0001,broad\n"
                                     "MMD-BETA,5CG-0002,fast\n"
                                     "KIOSK-1,ZX_50.1,first\n"
                                     "kiosk-2,ZX9,test\n"
                                     "LAB-9,Q-alpha,broad\n");
  const char * const import[] = { "device", "import", csv, NULL };
  g_auto(GStrv) names = NULL;
  g_autofree char *next = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (run_cli (fixture, import, NULL, NULL), ==, 0);

  names = list_names (fixture, "/v1/devices", &next);
  assert_names (names, "KIOSK-1,kiosk-2,LAB-9,MMD-ALPHA,MMD-BETA");
  g_assert_null (next);
  g_clear_pointer (&names, g_strfreev);

  /* By name or serial number, regardless of case. */
  names = list_names (fixture, "/v1/devices?query=alpha", NULL);
  assert_names (names, "LAB-9,MMD-ALPHA");
  g_clear_pointer (&names, g_strfreev);
  names = list_names (fixture, "/v1/devices?query=5cg-000", NULL);
  assert_names (names, "MMD-ALPHA,MMD-BETA");
  g_clear_pointer (&names, g_strfreev);
  names = list_names (fixture, "/v1/devices?query=KIOSK", NULL);
  assert_names (names, "KIOSK-1,kiosk-2");
  g_clear_pointer (&names, g_strfreev);
  names = list_names (fixture, "/v1/devices?query=nothing", NULL);
  assert_names (names, "");
  g_clear_pointer (&names, g_strfreev);
  /* LIKE's wildcards are taken literally: "%" matches no name, "X_" only
   * ZX_50.1 (as a wildcard, it would match ZX9 too). */
  names = list_names (fixture, "/v1/devices?query=%25", NULL);
  assert_names (names, "");
  g_clear_pointer (&names, g_strfreev);
  names = list_names (fixture, "/v1/devices?query=X_", NULL);
  assert_names (names, "KIOSK-1");
  g_clear_pointer (&names, g_strfreev);

  /* Pages of two, following next_cursor. */
  names = list_names (fixture, "/v1/devices?limit=2", &next);
  assert_names (names, "KIOSK-1,kiosk-2");
  g_assert_nonnull (next);
  g_clear_pointer (&names, g_strfreev);
  path = g_strdup_printf ("/v1/devices?limit=2&cursor=%s", next);
  g_clear_pointer (&next, g_free);
  names = list_names (fixture, path, &next);
  assert_names (names, "LAB-9,MMD-ALPHA");
  g_clear_pointer (&names, g_strfreev);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/v1/devices?limit=2&cursor=%s", next);
  g_clear_pointer (&next, g_free);
  names = list_names (fixture, path, &next);
  assert_names (names, "MMD-BETA");
  g_assert_null (next);

  /* Bad parameters: 400. */
  {
    const char * const bad[] = {
      "/v1/devices?limit=0", "/v1/devices?limit=501", "/v1/devices?limit=x",
      "/v1/devices?cursor=%20bad", NULL
    };

    for (guint i = 0; bad[i] != NULL; i++)
      {
        g_auto(EscTestResponse) response = { 0, };

        esc_test_request (fixture->server, "GET", bad[i], fixture->admin, NULL, NULL, NULL,
                          &response);
        g_assert_cmpuint (response.status, ==, 400);
        g_assert_cmpstr (esc_test_problem_type (&response), ==, "invalid-query");
      }
  }
}

/* Schema step 8 → 9: on SQLite, finding a device by lower (name) or
 * lower (serial_number), as both backends do, walks an index (an import of
 * tens of thousands of devices looks each one up twice), as does the list's
 * order. PostgreSQL has had its indexes on lower (…) from the start. */
static void
test_lookup_indexed (Fixture       *fixture,
                     gconstpointer  data)
{
  const struct {
    const char *sql;
    const char *index;
  } cases[] = {
    { "SELECT id FROM devices WHERE lower (name) = lower (?1)", "devices_lower_name" },
    { "SELECT id FROM devices WHERE lower (serial_number) = lower (?1)",
      "devices_lower_serial_number" },
    { "SELECT name FROM devices WHERE lower (name) > lower (?1) ORDER BY lower (name) LIMIT 10",
      "devices_lower_name" },
  };

  if (esc_test_backend_skip_unless_sqlite ("the SQLite query plan"))
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sql = g_strconcat ("EXPLAIN QUERY PLAN ", cases[i].sql, NULL);
      g_autoptr(EscServiceStmt) stmt = NULL;
      g_autoptr(GString) plan = g_string_new (NULL);
      g_autoptr(GError) error = NULL;

      stmt = esc_service_db_prepare (esc_test_server_get_db (fixture->server), sql, &error);
      g_assert_no_error (error);
      esc_service_stmt_bind_text (stmt, 1, "MMD-1");
      while (esc_service_stmt_step (stmt) == ESC_SERVICE_STMT_ROW)
        g_string_append_printf (plan, "%s\n", esc_service_stmt_column_text (stmt, 3));
      g_test_message ("%s: %s", cases[i].sql, plan->str);
      g_assert_nonnull (strstr (plan->str, cases[i].index));
      g_assert_null (strstr (plan->str, "SCAN devices\n"));
      g_assert_null (strstr (plan->str, "TEMP B-TREE"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/devices/csv/good", test_csv_good);
  g_test_add_func ("/service/devices/csv/bad", test_csv_bad);
  g_test_add_func ("/service/devices/validate", test_validate);
  g_test_add ("/service/devices/cli/add", Fixture, NULL,
              fixture_setup, test_cli_add, fixture_teardown);
  g_test_add ("/service/devices/cli/import-good", Fixture, NULL,
              fixture_setup, test_cli_import_good, fixture_teardown);
  g_test_add ("/service/devices/cli/import-bad", Fixture, NULL,
              fixture_setup, test_cli_import_bad, fixture_teardown);
  g_test_add ("/service/devices/list/roles", Fixture, NULL,
              fixture_setup, test_list_roles, fixture_teardown);
  g_test_add ("/service/devices/list/query-and-pages", Fixture, NULL,
              fixture_setup, test_list_query_and_pages, fixture_teardown);
  g_test_add ("/service/devices/lookup-indexed", Fixture, NULL,
              fixture_setup, test_lookup_indexed, fixture_teardown);

  return g_test_run ();
}
