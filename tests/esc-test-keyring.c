/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "esc-test-keyring.h"

#define SECRETS_NAME        "org.freedesktop.secrets"
#define START_TIMEOUT_USEC  (10 * G_USEC_PER_SEC)
#define STOP_TIMEOUT_USEC   (5 * G_USEC_PER_SEC)
#define KEYRING_PASSWORD    "test"

/* Set by tests/meson.build for the test programs themselves. */
static const char * const test_only_variables[] = {
  "G_DEBUG",
  "G_SLICE",
  "G_MESSAGES_DEBUG",
  "MALLOC_CHECK_",
  "MALLOC_PERTURB_",
};

typedef struct
{
  GSubprocess *process;
  gboolean     exited;
} Child;

struct _EscTestKeyring
{
  char            *dir;
  GMainContext    *context;
  Child            bus_daemon;
  Child            keyring_daemon;
  GDBusConnection *session_bus;
};

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
delete_recursively (GFile   *file,
                    GError **error)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) local_error = NULL;

  enumerator = g_file_enumerate_children (file,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          NULL, &local_error);
  if (enumerator != NULL)
    {
      while (TRUE)
        {
          GFileInfo *info;
          GFile *child;

          if (!g_file_enumerator_iterate (enumerator, &info, &child, NULL, error))
            return FALSE;
          if (info == NULL)
            break;

          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            {
              if (!delete_recursively (child, error))
                return FALSE;
            }
          else if (!g_file_delete (child, NULL, error))
            {
              return FALSE;
            }
        }
    }
  else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return g_file_delete (file, NULL, error);
}

static void
on_child_exited_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Child *child = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  child->exited = TRUE;
}

static GSubprocessFlags
get_stderr_flags (void)
{
  /* Both daemons are chatty on stderr (fd limits, insecure memory as root...):
   * keep it for when a test of the helper itself needs it. */
  if (g_getenv ("ESCALADE_TEST_KEYRING_VERBOSE") != NULL)
    return G_SUBPROCESS_FLAGS_NONE;

  return G_SUBPROCESS_FLAGS_STDERR_SILENCE;
}

static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  /* A test that aborts must not leave its daemons behind. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static gboolean
spawn_child (EscTestKeyring       *self,
             Child                *child,
             GSubprocessFlags      flags,
             GError              **error,
             const char * const   *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  launcher = g_subprocess_launcher_new (flags | get_stderr_flags ());

  /* The test's own debugging settings are not for the daemons: with
   * G_DEBUG=fatal-warnings, gnome-keyring aborts on its first warning. */
  for (guint i = 0; i < G_N_ELEMENTS (test_only_variables); i++)
    g_subprocess_launcher_unsetenv (launcher, test_only_variables[i]);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  child->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (child->process == NULL)
    return FALSE;

  /* Completes in our own context, so the test's main loop never sees it. */
  g_main_context_push_thread_default (self->context);
  g_subprocess_wait_async (child->process, NULL, on_child_exited_cb, child);
  g_main_context_pop_thread_default (self->context);

  return TRUE;
}

static void
stop_child (EscTestKeyring *self,
            Child          *child)
{
  gint64 deadline;

  if (child->process == NULL)
    return;

  if (!child->exited)
    g_subprocess_send_signal (child->process, SIGTERM);

  deadline = g_get_monotonic_time () + STOP_TIMEOUT_USEC;
  while (!child->exited && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (self->context, FALSE))
        g_usleep (G_USEC_PER_SEC / 100);
    }

  if (!child->exited)
    {
      g_subprocess_force_exit (child->process);
      while (!child->exited)
        g_main_context_iteration (self->context, TRUE);
    }

  g_clear_object (&child->process);
}

/* A session bus of our own, rather than GTestDBus: g_test_dbus_down() waits
 * 30 s and warns when anything still holds the session bus connection, and
 * libsecret 0.20 leaks a reference to it with each secret_password_clear()
 * that deletes an item. GTestDBus also unsets DISPLAY, which UI tests need. */
static gboolean
start_bus (EscTestKeyring  *self,
           GError         **error)
{
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDBusConnection) own = NULL;
  gboolean same_bus;
  const char *argv[] = { "dbus-daemon", "--nofork", "--print-address=1", NULL, NULL };

  config_path = g_build_filename (self->dir, "session-bus.conf", NULL);
  config = g_markup_printf_escaped ("<busconfig>\n"
                                    "  <type>session</type>\n"
                                    "  <listen>%s</listen>\n"
                                    "  <auth>EXTERNAL</auth>\n"
                                    "  <policy context=\"default\">\n"
                                    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                                    "    <allow eavesdrop=\"true\"/>\n"
                                    "    <allow own=\"*\"/>\n"
                                    "  </policy>\n"
                                    "</busconfig>\n",
                                    g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  if (!g_file_set_contents (config_path, config, -1, error))
    return FALSE;

  config_arg = g_strconcat ("--config-file=", config_path, NULL);
  argv[3] = config_arg;

  if (!spawn_child (self, &self->bus_daemon, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error, argv))
    return FALSE;

  /* It prints its address once it listens. */
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->bus_daemon.process));
  address = g_data_input_stream_read_line (output, NULL, NULL, &local_error);
  if (address == NULL || *address == '\0')
    {
      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                   "dbus-daemon did not start%s%s",
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return FALSE;
    }

  /* The process-wide session bus connection, which libsecret will share.
   * When the bus goes away at the end, it must not take the test with it. */
  self->session_bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (self->session_bus == NULL)
    return FALSE;
  g_dbus_connection_set_exit_on_close (self->session_bus, FALSE);

  /* GLib keeps the first session bus connection of the process: if that
   * one goes to another bus, libsecret would reach another keyring. */
  own = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, error);
  if (own == NULL)
    return FALSE;
  same_bus = g_strcmp0 (g_dbus_connection_get_guid (own),
                        g_dbus_connection_get_guid (self->session_bus)) == 0;
  g_dbus_connection_close_sync (own, NULL, NULL);

  if (!same_bus)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           "This process was connected to a session bus before "
                           "esc_test_keyring_start(): start the keyring first");
      return FALSE;
    }

  return TRUE;
}

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (connection,
                                       "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus",
                                       "NameHasOwner",
                                       g_variant_new ("(s)", name),
                                       G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE,
                                       -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static gboolean
start_keyring (EscTestKeyring  *self,
               GError         **error)
{
  const char * const argv[] = {
    "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets", NULL
  };
  GOutputStream *input;
  gint64 deadline;

  /* Its stdout would end up in the TAP stream of the test. */
  if (!spawn_child (self, &self->keyring_daemon,
                    G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                    error, argv))
    return FALSE;

  /* --unlock reads the password of the login keyring until end of file:
   * with the "default" file, the login keyring is created unlocked. */
  input = g_subprocess_get_stdin_pipe (self->keyring_daemon.process);
  if (!g_output_stream_write_all (input, KEYRING_PASSWORD, strlen (KEYRING_PASSWORD),
                                  NULL, NULL, error) ||
      !g_output_stream_close (input, NULL, error))
    return FALSE;

  deadline = g_get_monotonic_time () + START_TIMEOUT_USEC;
  while (!name_has_owner (self->session_bus, SECRETS_NAME))
    {
      while (g_main_context_iteration (self->context, FALSE))
        ;

      if (self->keyring_daemon.exited)
        {
          g_set_error_literal (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                               "gnome-keyring-daemon exited before it owned " SECRETS_NAME);
          return FALSE;
        }

      if (g_get_monotonic_time () > deadline)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                               "gnome-keyring-daemon did not own " SECRETS_NAME " within 10 seconds");
          return FALSE;
        }

      g_usleep (G_USEC_PER_SEC / 50);
    }

  return TRUE;
}

/**
 * esc_test_keyring_start:
 * @error: return location for a #GError
 *
 * Starts a private session bus and gnome-keyring-daemon in a temporary HOME.
 *
 * Returns: (transfer full) (nullable): the keyring, to stop with
 *   esc_test_keyring_stop(), or %NULL with @error set
 */
EscTestKeyring *
esc_test_keyring_start (GError **error)
{
  g_autoptr(EscTestKeyring) self = NULL;
  g_autofree char *runtime_dir = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *config_dir = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *keyrings_dir = NULL;
  g_autofree char *default_file = NULL;
  g_autofree char *bus_address = NULL;
  const char * const programs[] = { "dbus-daemon", "gnome-keyring-daemon" };

  for (guint i = 0; i < G_N_ELEMENTS (programs); i++)
    {
      g_autofree char *path = g_find_program_in_path (programs[i]);

      if (path == NULL)
        {
          g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT,
                       "%s is not installed (Debian packages dbus and gnome-keyring)",
                       programs[i]);
          return NULL;
        }
    }

  self = g_new0 (EscTestKeyring, 1);
  self->context = g_main_context_new ();

  self->dir = g_dir_make_tmp ("escalade-keyring-XXXXXX", error);
  if (self->dir == NULL)
    return NULL;

  runtime_dir = g_build_filename (self->dir, "runtime", NULL);
  data_dir = g_build_filename (self->dir, ".local", "share", NULL);
  config_dir = g_build_filename (self->dir, ".config", NULL);
  cache_dir = g_build_filename (self->dir, ".cache", NULL);
  keyrings_dir = g_build_filename (data_dir, "keyrings", NULL);
  default_file = g_build_filename (keyrings_dir, "default", NULL);

  if (!make_dir (runtime_dir, error) ||
      !make_dir (config_dir, error) ||
      !make_dir (cache_dir, error) ||
      !make_dir (keyrings_dir, error))
    return NULL;

  /* Without it, gnome-keyring prompts for the password of a new keyring. */
  if (!g_file_set_contents (default_file, "login", -1, error))
    return NULL;

  /* Set before any thread exists: setenv() is not thread-safe. For the same
   * reason, stopping does not restore them. */
  g_setenv ("HOME", self->dir, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", data_dir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_unsetenv ("GNOME_KEYRING_CONTROL");
  g_unsetenv ("SSH_AUTH_SOCK");
  g_unsetenv ("DBUS_STARTER_ADDRESS");
  g_unsetenv ("DBUS_STARTER_BUS_TYPE");
  bus_address = g_strconcat ("unix:path=", self->dir, "/session-bus", NULL);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", bus_address, TRUE);

  if (!start_bus (self, error) || !start_keyring (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * esc_test_keyring_stop:
 * @keyring: (nullable) (transfer full): a keyring from esc_test_keyring_start()
 *
 * Stops the keyring daemon and the bus, and deletes the temporary HOME.
 * The environment keeps pointing there: changing it while threads run is
 * not safe, so stop at the end of the test program.
 */
void
esc_test_keyring_stop (EscTestKeyring *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  stop_child (self, &self->keyring_daemon);
  g_clear_object (&self->session_bus);
  stop_child (self, &self->bus_daemon);

  /* Whatever the daemons left queued for us has nowhere to go now. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_clear_pointer (&self->context, g_main_context_unref);

  if (self->dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (self->dir);

      if (!delete_recursively (dir, &error))
        g_printerr ("# could not delete %s: %s\n", self->dir, error->message);
      g_clear_pointer (&self->dir, g_free);
    }

  g_free (self);
}

const char *
esc_test_keyring_get_home (EscTestKeyring *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->dir;
}
