/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-fuzz"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "esc-service-db.h"
#include "esc-service-devices.h"
#include "esc-service-server.h"
#include "esc-service-staff.h"
#include "fuzz-common.h"

/* escalade-service's request handling, whole: raw HTTP/1.1 bytes in (request lines, headers,
 * bodies, several pipelined requests), through libsoup's parser, the router, authentication,
 * role checks, the handlers and their SQLite database, and the answer out. In-process: the
 * connection is a pair of memory streams given to esc_service_server_accept_iostream().
 *
 * The database is a real file in a temporary folder, made once, with one token per role. An
 * input names a token by placeholder, replaced before it is served:
 *   $ADMIN     it-admin (and support-staff)
 *   $STAFF     support-staff, designated for elevation and escalation
 *   $PLAIN     support-staff without designation
 *   $PARTNER   partner-manager
 *   $OPERATOR  operator
 * and one device exists, MMD-00000000001 (serial SN-FUZZ-1, group broad). State persists from
 * one input to the next, as in a long-running service, for INPUTS_PER_DATABASE inputs; then
 * a new database starts.
 *
 * Checked: no crash, leak or sanitizer report; no GLib warning or critical; every answer is an
 * HTTP/1.x status line; and never a 500, which means a handler met input it did not expect. */

typedef struct
{
  const char *placeholder;
  const char *name;
  const char *role;
  const char *second_role;
  gboolean    designated;
  char       *token;
} FuzzAccount;

static FuzzAccount accounts[] = {
  { "$ADMIN", "fuzz-admin", "it-admin", "support-staff", FALSE, NULL },
  { "$STAFF", "fuzz-staff", "support-staff", NULL, TRUE, NULL },
  { "$PLAIN", "fuzz-plain", "support-staff", NULL, FALSE, NULL },
  { "$PARTNER", "fuzz-partner", "partner-manager", NULL, FALSE, NULL },
  { "$OPERATOR", "fuzz-operator", "operator", NULL, FALSE, NULL },
};

/* A fresh database every so many inputs: long enough for sequences of requests to build
 * state, short enough that lists do not grow until every input is slow. */
#define INPUTS_PER_DATABASE 2000

static char *tmpdir;
static EscServiceDb *db;
static EscServiceServer *server;
static guint n_inputs;
static guint n_databases;

static void
remove_tmpdir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&server);
  g_clear_object (&db);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    g_clear_pointer (&accounts[i].token, g_free);

  if (tmpdir == NULL)
    return;
  dir = g_dir_open (tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_clear_pointer (&tmpdir, g_free);
}

/* (Re)creates the database, its accounts and device, and the server. */
static void
open_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_clear_object (&server);
  g_clear_object (&db);
  if (n_databases > 0)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *old = g_strdup_printf ("%s/service-%u.sqlite3%s",
                                                  tmpdir, n_databases - 1, suffixes[i]);
          g_unlink (old);
        }
    }

  name = g_strdup_printf ("service-%u.sqlite3", n_databases++);
  path = g_build_filename (tmpdir, name, NULL);
  db = esc_service_db_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      const char *roles[] = { accounts[i].role, accounts[i].second_role, NULL };
      g_autofree char *email = g_strconcat (accounts[i].name, "@example.org", NULL);

      g_free (accounts[i].token);
      accounts[i].token = esc_service_db_create_token (db, accounts[i].name, email, roles, &error);
      g_assert_no_error (error);
      if (accounts[i].designated &&
          (!esc_service_staff_grant (db, accounts[i].name, "elevation", "fuzzing", NULL, &error) ||
           !esc_service_staff_grant (db, accounts[i].name, "escalation", "fuzzing", NULL, &error)))
        g_error ("%s", error->message);
    }

  if (!esc_service_devices_add (db, "MMD-00000000001", "SN-FUZZ-1", "broad", &error))
    g_error ("%s", error->message);

  server = esc_service_server_new (db);
  esc_service_server_set_log_requests (server, FALSE);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  fuzz_make_warnings_fatal ();

  /* In memory where there is a tmpfs: the database is written at every POST */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    tmpdir = g_mkdtemp (g_build_filename ("/dev/shm", "escalade-fuzz-XXXXXX", NULL));
  else
    tmpdir = g_dir_make_tmp ("escalade-fuzz-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert (tmpdir != NULL);
  atexit (remove_tmpdir);

  open_database ();

  return 0;
}

/* Checks every status line of the answers: HTTP/1.x, and not 500. */
static void
check_answers (const char *out,
               gsize       length)
{
  const char *end;

  if (length == 0)
    return;
  end = out + length;

  g_assert (length >= 12 && memcmp (out, "HTTP/1.", 7) == 0);

  for (const char *p = out; p != NULL && p + 12 <= end; )
    {
      const char *status = p + strlen ("HTTP/1.x ");

      if (strncmp (p, "HTTP/1.", 7) == 0 && strncmp (status, "500", 3) == 0)
        g_error ("The service answered 500:\n%.*s", (int)MIN (end - p, 2000), p);

      /* The next answer, if any; bodies may hold anything, so this may skip some */
      p = g_strstr_len (p + 1, end - p - 1, "\r\nHTTP/1.");
      if (p != NULL)
        p += 2;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GByteArray) request = g_byte_array_sized_new (size + 256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GIOStream) connection = NULL;
  g_autoptr(GError) error = NULL;
  guint idle = 0;

  if (++n_inputs % INPUTS_PER_DATABASE == 0)
    open_database ();

  /* Placeholders → tokens */
  for (size_t i = 0; i < size; )
    {
      gboolean replaced = FALSE;

      for (guint a = 0; data[i] == '$' && a < G_N_ELEMENTS (accounts); a++)
        {
          gsize n = strlen (accounts[a].placeholder);

          if (size - i >= n && memcmp (data + i, accounts[a].placeholder, n) == 0)
            {
              g_byte_array_append (request, (const guint8 *)accounts[a].token,
                                   strlen (accounts[a].token));
              i += n;
              replaced = TRUE;
              break;
            }
        }
      if (!replaced)
        g_byte_array_append (request, data + i++, 1);
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&request));
  in = g_memory_input_stream_new_from_bytes (bytes);
  out = g_memory_output_stream_new_resizable ();
  connection = g_simple_io_stream_new (in, out);

  if (!esc_service_server_accept_iostream (server, connection, &error))
    g_error ("The server refused the connection: %s", error->message);

  /* Memory streams are always ready: the exchange runs to the end of the input, where the
   * server closes the connection. A few idle iterations in a row mean it is waiting. */
  while (!g_io_stream_is_closed (connection) && idle < 8)
    idle = g_main_context_iteration (NULL, FALSE) ? 0 : idle + 1;
  while (g_main_context_iteration (NULL, FALSE))
    ;

  /* FUZZ_DUMP=1 shows the answers, to check what a corpus entry reaches */
  if (g_getenv ("FUZZ_DUMP") != NULL)
    g_printerr ("%.*s\n----\n",
                (int)g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                (const char *)g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)));

  check_answers (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                 g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));

  return 0;
}
