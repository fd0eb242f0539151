/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gunixsocketaddress.h>

#include "esc-test-balancer.h"

/* data/deploy/haproxy.cfg in front of three nodes (esc-test-balancer.h) */

gboolean
esc_test_balancer_require_haproxy (void)
{
  g_autofree char *haproxy = g_find_program_in_path ("haproxy");

  if (haproxy != NULL)
    return TRUE;
  if (g_strcmp0 (g_getenv ("ESCALADE_REQUIRE_PG"), "1") == 0)
    g_test_fail_printf ("haproxy is not installed, and this run requires the multi-node tools "
                        "(ESCALADE_REQUIRE_PG=1)");
  else
    g_test_skip ("haproxy is not installed");

  return FALSE;
}

struct _EscTestBalancer
{
  char        *dir;
  char        *socket_path;
  char        *url;
  GSubprocess *process;
};

void
esc_test_balancer_free (EscTestBalancer *balancer)
{
  g_autofree char *rm = NULL;

  if (balancer == NULL)
    return;

  rm = g_strdup_printf ("rm -rf '%s'", balancer->dir);

  if (balancer->process != NULL)
    {
      g_subprocess_send_signal (balancer->process, SIGTERM);
      g_subprocess_wait (balancer->process, NULL, NULL);
      g_object_unref (balancer->process);
    }
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  g_free (balancer->dir);
  g_free (balancer->socket_path);
  g_free (balancer->url);
  g_free (balancer);
}

static guint16
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);

  return port;
}

/* Replaces the line that starts with @prefix (after its indentation) by
 * @line, asserting there is exactly one. */
static void
replace_line (GPtrArray  *lines,
              const char *prefix,
              const char *line)
{
  guint found = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const char *text = g_ptr_array_index (lines, i);

      while (*text == ' ')
        text++;
      if (g_str_has_prefix (text, prefix))
        {
          g_free (g_ptr_array_index (lines, i));
          lines->pdata[i] = g_strdup (line);
          found++;
        }
    }
  if (found != 1)
    g_error ("data/deploy/haproxy.cfg: expected one line starting with “%s”, found %u", prefix, found);
}

/* haproxy ends with the test, even one that failed an assertion */
static void
die_with_parent_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

EscTestBalancer *
esc_test_balancer_start (EscTestService **nodes)
{
  EscTestBalancer *balancer = g_new0 (EscTestBalancer, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("ESCALADE_SOURCE_DIR"), "data", "deploy", "haproxy.cfg", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *stats = NULL;
  g_auto(GStrv) split = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  guint16 port = free_port ();

  balancer->dir = g_dir_make_tmp ("escalade-haproxy-XXXXXX", &error);
  g_assert_no_error (error);
  balancer->socket_path = g_build_filename (balancer->dir, "stats.sock", NULL);
  balancer->url = g_strdup_printf ("http://127.0.0.1:%u", port);

  g_file_get_contents (source, &contents, NULL, &error);
  g_assert_no_error (error);
  split = g_strsplit (contents, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    g_ptr_array_add (lines, g_strdup (split[i]));

  bind = g_strdup_printf ("    bind 127.0.0.1:%u", port);
  stats = g_strdup_printf ("    stats socket %s mode 600 level admin", balancer->socket_path);
  replace_line (lines, "bind ", bind);
  replace_line (lines, "log /dev/log", stats);
  replace_line (lines, "user ", "");
  replace_line (lines, "group ", "");
  replace_line (lines, "daemon", "");
  replace_line (lines, "default-server ", "    default-server check inter 200ms fall 2 rise 2");
  for (guint n = 0; n < 3; n++)
    {
      g_autofree char *prefix = g_strdup_printf ("server node%u ", n + 1);
      g_autoptr(GUri) uri = g_uri_parse (esc_test_service_get_url (nodes[n]), G_URI_FLAGS_NONE, &error);
      g_autofree char *line = NULL;

      g_assert_no_error (error);
      line = g_strdup_printf ("    server node%u 127.0.0.1:%d", n + 1, g_uri_get_port (uri));
      replace_line (lines, prefix, line);
    }
  g_ptr_array_add (lines, NULL);
  config = g_strjoinv ("\n", (char **)lines->pdata);
  config_path = g_build_filename (balancer->dir, "haproxy.cfg", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
  balancer->process = g_subprocess_launcher_spawn (launcher, &error, "haproxy", "-db", "-q", "-f", config_path, NULL);
  g_assert_no_error (error);

  return balancer;
}

/* The nodes' operational states from the stats socket: "2" is up. */
static char *
node_state (EscTestBalancer *balancer,
            const char      *node)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (balancer->socket_path);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  const char command[] = "show servers state escalade-nodes\n";
  char *line;

  if (!(connection = g_socket_client_connect (client, G_SOCKET_CONNECTABLE (address), NULL, NULL)))
    return NULL;
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             command, strlen (command), NULL, NULL, &error);
  g_assert_no_error (error);

  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  /* "be_id be_name srv_id srv_name srv_addr srv_op_state …" */
  while ((line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, NULL)) != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (line, " ", -1);

      g_free (line);
      if (g_strv_length (fields) > 5 && strcmp (fields[3], node) == 0)
        return g_strdup (fields[5]);
    }

  return NULL;
}

void
esc_test_balancer_wait_for_state (EscTestBalancer *balancer,
                                  const char      *node,
                                  gboolean         up)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;

  for (;;)
    {
      g_autofree char *state = node_state (balancer, node);

      if (state != NULL && (strcmp (state, "2") == 0) == up)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

const char *
esc_test_balancer_get_url (EscTestBalancer *self)
{
  return self->url;
}
