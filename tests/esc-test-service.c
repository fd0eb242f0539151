/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <glib/gstdio.h>

#include "esc-test-backend.h"
#include "esc-test-service.h"

/* How long the service may take to print its "listening on" line, or to stop. */
#define SERVICE_TIMEOUT_SECONDS 10

/* One database that several nodes serve (esc_test_service_start_nodes()),
 * with the keys they share; dropped with its last node. */
typedef struct
{
  gatomicrefcount  ref;
  char            *database;
  char            *key_dir;
} SharedDatabase;

struct _EscTestService
{
  GSubprocess *process;
  char        *tmpdir;
  char        *database;
  SharedDatabase *shared;   /* NULL: the database and keys are the node's own */
  char        *log_file;
  char        *url;
  GStrv        serve_args;  /* more options of `serve`, kept for restarts */
  guint        fd_limit;    /* RLIMIT_NOFILE of the service, 0 to inherit */
};

/* For child_setup_cb(), which runs in the child between fork and exec. */
static guint child_fd_limit;

typedef struct
{
  GMainContext *context;
  gboolean      done;
  gboolean      timed_out;
  char         *line;
  GError       *error;
} Waiter;

static const char *
get_service_binary (GError **error)
{
  const char *binary = g_getenv ("ESCALADE_SERVICE");

  if (binary == NULL || binary[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "ESCALADE_SERVICE is not set: run the tests with `meson test`, "
                           "or set it to the escalade-service binary");
      return NULL;
    }

  if (!g_file_test (binary, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "ESCALADE_SERVICE=%s is not an executable: build it first", binary);
      return NULL;
    }

  return binary;
}

/* Runs in the child between fork and exec. A failed assertion aborts the test
 * without teardown: the service must not outlive it as an orphan. (The signal
 * comes when the thread that started the service exits.) */
static void
child_setup_cb (gpointer user_data)
{
#ifdef __linux__
  pid_t parent = GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  if (getppid () != parent)
    raise (SIGTERM);
#endif

  if (child_fd_limit > 0)
    {
      struct rlimit limit = { child_fd_limit, child_fd_limit };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static void
remove_recursively (const char *path)
{
  GDir *dir;

  if ((dir = g_dir_open (path, 0, NULL)) != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_recursively (child);
          else
            g_unlink (child);
        }

      g_dir_close (dir);
    }

  g_rmdir (path);
}

static gboolean
waiter_timeout_cb (gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                           result, NULL, &waiter->error);
  waiter->done = TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Waiter *waiter = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, &waiter->error);
  waiter->done = TRUE;
}

/* Runs @waiter's context until the operation is done or the timeout fires;
 * on timeout, cancels and still waits for the callback, so nothing leaks. */
static void
waiter_run (Waiter       *waiter,
            GCancellable *cancellable)
{
  GSource *timeout = g_timeout_source_new_seconds (SERVICE_TIMEOUT_SECONDS);

  g_source_set_callback (timeout, waiter_timeout_cb, waiter, NULL);
  g_source_attach (timeout, waiter->context);

  while (!waiter->done && !waiter->timed_out)
    g_main_context_iteration (waiter->context, TRUE);

  if (!waiter->done)
    {
      g_cancellable_cancel (cancellable);
      while (!waiter->done)
        g_main_context_iteration (waiter->context, TRUE);
    }

  g_source_destroy (timeout);
  g_source_unref (timeout);
}

/* Waits up to the timeout for @process to exit. */
static gboolean
wait_for_exit (GSubprocess *process)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  Waiter waiter = { context, FALSE, FALSE, NULL, NULL };

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, cancellable, wait_cb, &waiter);
  waiter_run (&waiter, cancellable);
  g_main_context_pop_thread_default (context);

  g_clear_error (&waiter.error);

  return !waiter.timed_out;
}

static char *
read_listening_line (EscTestService  *self,
                     GError         **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GDataInputStream) stream = NULL;
  Waiter waiter = { context, FALSE, FALSE, NULL, NULL };

  stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  /* The service keeps its stdout; we only read the first line. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (stream), FALSE);

  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, cancellable,
                                       read_line_cb, &waiter);
  waiter_run (&waiter, cancellable);
  g_main_context_pop_thread_default (context);

  if (waiter.timed_out)
    {
      g_clear_error (&waiter.error);
      g_clear_pointer (&waiter.line, g_free);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "escalade-service did not print “listening on …” within %d s",
                   SERVICE_TIMEOUT_SECONDS);
      return NULL;
    }

  if (waiter.error != NULL)
    {
      g_propagate_prefixed_error (error, waiter.error, "Reading escalade-service’s output: ");
      return NULL;
    }

  if (waiter.line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "escalade-service exited before listening");
      return NULL;
    }

  return waiter.line;
}

/**
 * esc_test_service_dup_log:
 * @self: a running service
 *
 * Returns: (transfer full): what the service wrote on stderr so far (its
 *   request log), or an empty string
 */
char *
esc_test_service_dup_log (EscTestService *self)
{
  char *contents = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!g_file_get_contents (self->log_file, &contents, NULL, NULL))
    return g_strdup ("");

  return contents;
}

static SharedDatabase *
shared_database_ref (SharedDatabase *shared)
{
  g_atomic_ref_count_inc (&shared->ref);
  return shared;
}

static void
shared_database_unref (SharedDatabase *shared)
{
  if (!g_atomic_ref_count_dec (&shared->ref))
    return;

  esc_test_backend_drop_database (shared->database);
  remove_recursively (shared->key_dir);
  g_free (shared->database);
  g_free (shared->key_dir);
  g_free (shared);
}

/* Where the service's keys are: beside its database, or shared */
static const char *
get_key_dir (EscTestService *self)
{
  return self->shared != NULL ? self->shared->key_dir : self->tmpdir;
}

static gboolean launch_service (EscTestService  *self,
                                const char      *listen,
                                const char      *cert_file,
                                const char      *key_file,
                                GError         **error);
static gboolean await_listening (EscTestService  *self,
                                 GError         **error);
static gboolean spawn_service (EscTestService  *self,
                               const char      *listen,
                               const char      *cert_file,
                               const char      *key_file,
                               GError         **error);

static EscTestService *
start_service (const char          *cert_file,
               const char          *key_file,
               const char * const  *serve_args,
               guint                fd_limit,
               GError             **error)
{
  g_autoptr(EscTestService) self = NULL;

  self = g_new0 (EscTestService, 1);
  self->serve_args = g_strdupv ((char **)serve_args);
  self->fd_limit = fd_limit;
  if (!(self->tmpdir = g_dir_make_tmp ("escalade-test-service-XXXXXX", error)))
    return NULL;
  self->database = esc_test_backend_new_database (self->tmpdir);
  self->log_file = g_build_filename (self->tmpdir, "service.log", NULL);

  if (!spawn_service (self, "127.0.0.1:0", cert_file, key_file, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Starts `serve` on @self's database (again, after a kill). */
static gboolean
spawn_service (EscTestService  *self,
               const char      *listen,
               const char      *cert_file,
               const char      *key_file,
               GError         **error)
{
  return launch_service (self, listen, cert_file, key_file, error) &&
         await_listening (self, error);
}

/* Starts the process of `serve`, without waiting for it to listen. */
static gboolean
launch_service (EscTestService  *self,
                const char      *listen,
                const char      *cert_file,
                const char      *key_file,
                GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  const char *binary;

  if (!(binary = get_service_binary (error)))
    return FALSE;

  g_ptr_array_add (argv, (char *)binary);
  g_ptr_array_add (argv, (char *)"--database");
  g_ptr_array_add (argv, self->database);
  esc_test_backend_add_options (owned, get_key_dir (self));
  for (guint i = 0; i < owned->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (owned, i));
  g_ptr_array_add (argv, (char *)"serve");
  g_ptr_array_add (argv, (char *)"--listen");
  g_ptr_array_add (argv, (char *)listen);
  for (guint i = 0; self->serve_args != NULL && self->serve_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->serve_args[i]);
  if (cert_file != NULL)
    {
      g_ptr_array_add (argv, (char *)"--tls-cert");
      g_ptr_array_add (argv, (char *)cert_file);
      g_ptr_array_add (argv, (char *)"--tls-key");
      g_ptr_array_add (argv, (char *)key_file);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, self->log_file);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb,
                                         GINT_TO_POINTER (getpid ()), NULL);

  child_fd_limit = self->fd_limit;
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
  child_fd_limit = 0;

  return self->process != NULL;
}

/* Reads the "listening on URL" line of a launched service. */
static gboolean
await_listening (EscTestService  *self,
                 GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *line = NULL;

  if (!(line = read_listening_line (self, &local_error)))
    {
      g_autofree char *log = esc_test_service_dup_log (self);

      g_set_error (error, local_error->domain, local_error->code,
                   "%s; its log:\n%s", local_error->message, log);
      return FALSE;
    }

  if (!g_str_has_prefix (line, "listening on http://") &&
      !g_str_has_prefix (line, "listening on https://"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "escalade-service printed “%s” instead of “listening on URL”", line);
      return FALSE;
    }

  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
  g_test_message ("escalade-service listening on %s, database %s", self->url, self->database);

  return TRUE;
}

/**
 * esc_test_service_kill:
 * @self: a running service
 *
 * Kills the service with SIGKILL, as a crash or a power cut would, and waits
 * for it: whatever it was doing is cut short. Its database stays.
 */
void
esc_test_service_kill (EscTestService *self)
{
  g_return_if_fail (self != NULL);

  if (self->process == NULL)
    return;

  g_subprocess_force_exit (self->process);
  wait_for_exit (self->process);
  g_clear_object (&self->process);
}

/**
 * esc_test_service_terminate:
 * @self: a running service
 *
 * Stops the service with SIGTERM, as systemd does, and waits for it to
 * exit; its database and keys stay, for esc_test_service_restart().
 *
 * Returns: %TRUE if it exited cleanly (status 0) in time
 */
gboolean
esc_test_service_terminate (EscTestService *self)
{
  gboolean clean;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->process == NULL)
    return FALSE;

  g_subprocess_send_signal (self->process, SIGTERM);
  clean = wait_for_exit (self->process);
  if (!clean)
    {
      g_subprocess_force_exit (self->process);
      wait_for_exit (self->process);
    }
  else
    clean = g_subprocess_get_if_exited (self->process) &&
            g_subprocess_get_exit_status (self->process) == 0;
  g_clear_object (&self->process);

  return clean;
}

/**
 * esc_test_service_get_pid:
 * @self: a running service
 *
 * Returns: its process id, or 0
 */
GPid
esc_test_service_get_pid (EscTestService *self)
{
  const char *id;

  g_return_val_if_fail (self != NULL, 0);

  if (self->process == NULL || (id = g_subprocess_get_identifier (self->process)) == NULL)
    return 0;

  return (GPid)g_ascii_strtoll (id, NULL, 10);
}

/**
 * esc_test_service_start_with_args:
 * @serve_args: (array zero-terminated=1) (nullable): more options of
 *   `serve`, e.g. { "--max-connections", "20", NULL }; kept for restarts
 * @fd_limit: the service's limit of open descriptors (soft and hard), or 0
 * @error: return location for a #GError
 *
 * Like esc_test_service_start(), with options.
 *
 * Returns: (transfer full): the running service
 */
EscTestService *
esc_test_service_start_with_args (const char * const  *serve_args,
                                  guint                fd_limit,
                                  GError             **error)
{
  return start_service (NULL, NULL, serve_args, fd_limit, error);
}

/**
 * esc_test_service_restart:
 * @self: a killed service
 * @error: return location for a #GError
 *
 * Serves the same database again (plain HTTP), on a new free port: read the
 * URL again with esc_test_service_get_url().
 *
 * Returns: %TRUE once it listens
 */
gboolean
esc_test_service_restart (EscTestService  *self,
                          GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->process == NULL, FALSE);

  return spawn_service (self, "127.0.0.1:0", NULL, NULL, error);
}

/**
 * esc_test_service_restart_same_port:
 * @self: a killed service
 * @error: return location for a #GError
 *
 * Serves the same database again (plain HTTP) at the same URL, as a service
 * restarted by systemd would be.
 *
 * Returns: %TRUE once it listens
 */
gboolean
esc_test_service_restart_same_port (EscTestService  *self,
                                    GError         **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *listen = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->process == NULL, FALSE);

  if (!(uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, error)))
    return FALSE;
  listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));

  return spawn_service (self, listen, NULL, NULL, error);
}

/**
 * esc_test_service_start:
 * @error: return location for a #GError
 *
 * Starts `escalade-service serve` over plain HTTP on a free loopback port,
 * with a new database in a new temporary folder.
 *
 * Returns: (transfer full): the running service; stop it with
 *   esc_test_service_stop()
 */
EscTestService *
esc_test_service_start (GError **error)
{
  return start_service (NULL, NULL, NULL, 0, error);
}

/**
 * esc_test_service_start_nodes:
 * @cluster: (nullable): on PostgreSQL, the cluster to make the database in
 *   (a connection string to its "escalade" database); %NULL for
 *   $ESCALADE_TEST_PG
 * @n_nodes: how many nodes
 * @out_nodes: (out) (array length=n_nodes): the running nodes, each stopped
 *   with esc_test_service_stop() in any order
 * @error: return location for a #GError
 *
 * Starts @n_nodes `escalade-service serve` of one deployment (issue 13),
 * together: every process is started before any is awaited, so that they
 * open (and migrate) the database at the same moment. On PostgreSQL they
 * share one new database and one pair of keys (--key-file and
 * --audit-key-file), dropped with the last node; on SQLite, where one file
 * is not a deployment for several nodes, each has a file of its own.
 *
 * Returns: %TRUE once every node listens; else %FALSE and none runs
 */
gboolean
esc_test_service_start_nodes (const char      *cluster,
                              guint            n_nodes,
                              EscTestService **out_nodes,
                              GError         **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_test_service_stop);
  SharedDatabase *shared = NULL;
  gboolean launched = TRUE;

  g_return_val_if_fail (n_nodes > 0 && out_nodes != NULL, FALSE);

  if (esc_test_backend_is_postgresql ())
    {
      shared = g_new0 (SharedDatabase, 1);
      g_atomic_ref_count_init (&shared->ref);
      if (!(shared->key_dir = g_dir_make_tmp ("escalade-test-keys-XXXXXX", error)))
        {
          g_free (shared);
          return FALSE;
        }
      shared->database = esc_test_backend_new_database_in (cluster, shared->key_dir);
    }

  for (guint i = 0; i < n_nodes && launched; i++)
    {
      EscTestService *self = g_new0 (EscTestService, 1);

      g_ptr_array_add (nodes, self);
      if (!(self->tmpdir = g_dir_make_tmp ("escalade-test-service-XXXXXX", error)))
        {
          launched = FALSE;
          break;
        }
      if (shared != NULL)
        {
          self->shared = shared_database_ref (shared);
          self->database = g_strdup (shared->database);
        }
      else
        {
          self->database = esc_test_backend_new_database (self->tmpdir);
        }
      self->log_file = g_build_filename (self->tmpdir, "service.log", NULL);
      launched = launch_service (self, "127.0.0.1:0", NULL, NULL, error);
    }
  if (shared != NULL)
    shared_database_unref (shared);   /* the nodes hold it now */
  if (!launched)
    return FALSE;

  for (guint i = 0; i < n_nodes; i++)
    if (!await_listening (g_ptr_array_index (nodes, i), error))
      return FALSE;

  for (guint i = 0; i < n_nodes; i++)
    out_nodes[i] = g_steal_pointer (&nodes->pdata[i]);

  return TRUE;
}

/**
 * esc_test_service_start_tls:
 * @cert_file: a PEM certificate, e.g. from esc_test_make_self_signed_cert()
 * @key_file: its private key
 * @error: return location for a #GError
 *
 * Like esc_test_service_start(), serving HTTPS.
 */
EscTestService *
esc_test_service_start_tls (const char  *cert_file,
                            const char  *key_file,
                            GError     **error)
{
  g_return_val_if_fail (cert_file != NULL, NULL);
  g_return_val_if_fail (key_file != NULL, NULL);

  return start_service (cert_file, key_file, NULL, 0, error);
}

/**
 * esc_test_service_get_url:
 * @self: a running service
 *
 * Returns: the base URL, e.g. "http://127.0.0.1:40123", without a final slash
 */
const char *
esc_test_service_get_url (EscTestService *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

const char *
esc_test_service_get_database (EscTestService *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->database;
}

/**
 * esc_test_service_get_tmpdir:
 * @self: a running service
 *
 * Returns: the service's temporary folder, removed by esc_test_service_stop();
 *   tests may put their own files there
 */
const char *
esc_test_service_get_tmpdir (EscTestService *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tmpdir;
}

/**
 * esc_test_service_run:
 * @self: a service
 * @argv_tail: (array zero-terminated=1): the arguments after
 *   `escalade-service --database DB`
 * @out_stdout: (out) (optional): what the command printed on stdout
 * @error: return location for a #GError
 *
 * Runs a command of escalade-service on the same database and waits for it.
 *
 * Returns: %TRUE if it exited with status 0; else %FALSE with
 *   %G_SPAWN_EXIT_ERROR and the exit status as code, and stderr in the message
 */
gboolean
esc_test_service_run (EscTestService      *self,
                      const char * const  *argv_tail,
                      char               **out_stdout,
                      GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  g_autofree char *command = NULL;
  const char *binary;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (argv_tail != NULL, FALSE);

  if (!(binary = get_service_binary (error)))
    return FALSE;

  g_ptr_array_add (argv, (char *)binary);
  g_ptr_array_add (argv, (char *)"--database");
  g_ptr_array_add (argv, self->database);
  esc_test_backend_add_options (owned, get_key_dir (self));
  for (guint i = 0; i < owned->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (owned, i));
  for (guint i = 0; argv_tail[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)argv_tail[i]);
  g_ptr_array_add (argv, NULL);

  command = g_strjoinv (" ", (char **)argv_tail);

  process = g_subprocess_newv ((const char * const *)argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               error);
  if (process == NULL)
    return FALSE;

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &stdout_text, &stderr_text, error))
    return FALSE;

  if (stderr_text != NULL && stderr_text[0] != '\0')
    g_test_message ("escalade-service %s: %s", command, stderr_text);

  if (!g_spawn_check_wait_status (g_subprocess_get_status (process), &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "escalade-service %s: %s: %s", command, local_error->message,
                   stderr_text ? stderr_text : "");
      return FALSE;
    }

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&stdout_text);

  return TRUE;
}

/**
 * esc_test_service_create_token:
 * @self: a service
 * @user: the person's name
 * @email: their email address
 * @role: one role, e.g. "it-admin"
 * @error: return location for a #GError
 *
 * Runs `escalade-service token create` on the service's database.
 *
 * Returns: (transfer full): the new token
 */
char *
esc_test_service_create_token (EscTestService  *self,
                               const char      *user,
                               const char      *email,
                               const char      *role,
                               GError         **error)
{
  const char *argv[] = { "token", "create", "--user", user, "--email", email,
                         "--role", role, NULL };
  g_autofree char *output = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (user != NULL && email != NULL && role != NULL, NULL);

  if (!esc_test_service_run (self, argv, &output, error))
    return NULL;

  g_strstrip (output);
  if (output[0] == '\0' || strchr (output, '\n') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "token create printed “%s” instead of one token", output);
      return NULL;
    }

  return g_steal_pointer (&output);
}

/**
 * esc_test_service_stop:
 * @self: (nullable): a service
 *
 * Stops the service with SIGTERM (SIGKILL if it does not exit in time),
 * removes its temporary folder and frees @self.
 */
void
esc_test_service_stop (EscTestService *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      if (!wait_for_exit (self->process))
        {
          g_test_message ("escalade-service did not stop on SIGTERM; killing it");
          g_subprocess_force_exit (self->process);
          wait_for_exit (self->process);
        }
      else if (!g_subprocess_get_if_exited (self->process) ||
               g_subprocess_get_exit_status (self->process) != 0)
        {
          g_test_message ("escalade-service did not exit cleanly (wait status %d)",
                          g_subprocess_get_status (self->process));
        }
    }

  if (self->tmpdir != NULL)
    remove_recursively (self->tmpdir);
  if (self->shared != NULL)
    shared_database_unref (self->shared);
  else
    esc_test_backend_drop_database (self->database);

  g_clear_object (&self->process);
  g_free (self->tmpdir);
  g_free (self->database);
  g_free (self->log_file);
  g_free (self->url);
  g_strfreev (self->serve_args);
  g_free (self);
}

/**
 * esc_test_make_self_signed_cert:
 * @dir: an existing folder
 * @cert_file: (out): where the PEM certificate for 127.0.0.1 was written
 * @key_file: (out): where its private key was written
 * @error: return location for a #GError
 *
 * Makes a self-signed certificate for CN and IP SAN 127.0.0.1, valid two
 * days, with `openssl req`.
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND if openssl is missing
 */
gboolean
esc_test_make_self_signed_cert (const char  *dir,
                                char       **cert_file,
                                char       **key_file,
                                GError     **error)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stderr_text = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (cert_file != NULL && key_file != NULL, FALSE);

  if (openssl == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "openssl is not installed");
      return FALSE;
    }

  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              error,
                              openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-keyout", key, "-out", cert,
                              "-subj", "/CN=127.0.0.1",
                              "-addext", "subjectAltName=IP:127.0.0.1",
                              "-days", "2",
                              NULL);
  if (process == NULL)
    return FALSE;

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &stderr_text, error))
    return FALSE;

  if (!g_spawn_check_wait_status (g_subprocess_get_status (process), &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "openssl req failed: %s: %s", local_error->message,
                   stderr_text ? stderr_text : "");
      return FALSE;
    }

  *cert_file = g_steal_pointer (&cert);
  *key_file = g_steal_pointer (&key);

  return TRUE;
}

/**
 * esc_test_service_is_running:
 * @self: a service
 *
 * Returns: %FALSE after esc_test_service_kill() until it is restarted
 */
gboolean
esc_test_service_is_running (EscTestService *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->process != NULL;
}

/**
 * esc_test_service_pause:
 * @self: a running service
 * @paused: %TRUE to stop it (SIGSTOP), %FALSE to let it go on (SIGCONT)
 *
 * A stalled service: it keeps its connections but answers nothing.
 */
void
esc_test_service_pause (EscTestService *self,
                        gboolean        paused)
{
  g_return_if_fail (self != NULL);

  if (self->process != NULL)
    g_subprocess_send_signal (self->process, paused ? SIGSTOP : SIGCONT);
}

/**
 * esc_test_count_connections_to:
 * @port: a TCP port on 127.0.0.1
 *
 * Returns: how many TCP connections on this machine to @port are
 *   established, read from /proc/net/tcp (the connecting side: the remote
 *   port is @port)
 */
guint
esc_test_count_connections_to (guint16 port)
{
  g_autofree char *table = NULL;
  g_autofree char *remote_port = g_strdup_printf (":%04X", port);
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  if (!g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL))
    return 0;

  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " ", -1);
      const char *remote = NULL, *state = NULL;
      guint n = 0;

      /* "sl local_address rem_address st …", separated by runs of spaces */
      for (guint j = 0; fields[j] != NULL; j++)
        {
          if (*fields[j] == '\0')
            continue;
          if (n == 2)
            remote = fields[j];
          else if (n == 3)
            state = fields[j];
          n++;
        }
      if (remote != NULL && state != NULL &&
          g_str_has_suffix (remote, remote_port) && g_str_equal (state, "01"))
        count++;
    }

  return count;
}
