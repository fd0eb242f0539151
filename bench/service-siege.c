/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-bench"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* bench/service-siege: does escalade-service keep filing under attack?
 *
 * A real `escalade-service serve` on 127.0.0.1 (default limits). --filers
 * clients (8) file admin support requests one after the other, each on a new
 * connection as the app's libsoup does, for --seconds (60) without attack:
 * the quiet rate. Then the same for --seconds while, on loopback, --idle
 * connections (1000) are held open without a byte (reopened when the service
 * closes them), --slow connections (200) send a valid request's headers and
 * then its body a byte a second, and --flooders threads (2) send requests
 * without a token as fast as they can, each on a new connection. Then the
 * attack stops and the filers go on for --after seconds (10), then as long
 * again ("settled": the quiet rate on a database about as large as the one
 * after the attack, filing being slower on a larger one).
 *
 * Prints the filing rate during the attack against the quiet rate, the rate
 * after it against the settled rate (and the quiet one), latencies, how many
 * filings the attack delayed (slower than the quiet p99) or made fail, the
 * service's peak RSS and open descriptors, and whether every filing answered
 * 201 is in the database. Goals: ≥ 50 % of the quiet rate during the
 * attack, ≥ 100 % (within noise: 90 %) of the settled rate after it,
 * bounded RSS and descriptors, nothing acknowledged lost.
 *
 * The attackers pace themselves by the service only: the flooders wait for
 * each answer (1 ms after a failed connect), the holders poll. */

#define GOAL_ATTACK_PERCENT 50.0
#define GOAL_AFTER_PERCENT 90.0
#define ANSWER_TIMEOUT_MS 10000

static int opt_seconds = 60;
static int opt_after = 10;
static int opt_filers = 8;
static int opt_idle = 1000;
static int opt_slow = 200;
static int opt_flooders = 2;
static char *opt_build;
static gboolean opt_keep;

static const char filing_body[] =
  "{\"kind\": \"admin\", \"type\": \"incident\", \"severity\": \"C\","
  " \"category\": \"devices\", \"subcategory\": \"configuration-policy\","
  " \"title\": \"Printer driver blocked by policy\","
  " \"description\": \"Since Monday the driver of the third floor printers is blocked.\","
  " \"contact\": {\"given_name\": \"Camille\", \"surname\": \"Martin\","
  " \"email\": \"camille@example.org\", \"phone\": \"+33 1 23 45 67 89\","
  " \"preferred_method\": \"email\", \"language\": \"fr\"}}";

typedef enum
{
  PHASE_QUIET,
  PHASE_ATTACK,
  PHASE_AFTER,
  PHASE_SETTLED,
  PHASE_DONE,
  N_PHASES = PHASE_DONE,
} Phase;

static const char * const phase_names[] = { "quiet", "attack", "after", "settled" };

typedef struct
{
  guint16     port;
  char       *token;
  gint        phase;          /* Phase, atomic */
  gint        attacking;      /* atomic */
  GMutex      lock;
  guint       filed[N_PHASES];
  guint       failed[N_PHASES];
  double      worst_ms[N_PHASES];
  GArray     *latency_ms[N_PHASES];  /* double, of each filing answered 201 */
  GArray     *acknowledged;   /* gint64 seq */
  gint        flood_requests; /* atomic */
  guint64     idle_reopened;
  guint64     slow_reopened;
} Siege;

/* Sockets */

static int
connect_loopback (guint16  port,
                  gboolean blocking)
{
  struct sockaddr_in address = { 0, };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);

  if (fd < 0)
    return -1;
  address.sin_family = AF_INET;
  address.sin_port = htons (port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *)&address, sizeof address) != 0 && errno != EINPROGRESS)
    {
      close (fd);
      return -1;
    }

  return fd;
}

static gboolean
send_all (int         fd,
          const char *data,
          gsize       length)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = send (fd, data + done, length - done, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      done += (gsize)n;
    }

  return TRUE;
}

/* Reads an answer until the server closes (Connection: close); its status. */
static guint
read_answer (int      fd,
             GString *text)
{
  gint64 deadline = g_get_monotonic_time () + ANSWER_TIMEOUT_MS * 1000;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      int left = (int)((deadline - g_get_monotonic_time ()) / 1000);
      char buffer[4096];
      gssize n;

      if (left <= 0 || poll (&pfd, 1, left) <= 0)
        break;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
    }

  if (!g_str_has_prefix (text->str, "HTTP/1.1 "))
    return 0;
  return (guint)g_ascii_strtoull (text->str + 9, NULL, 10);
}

/* Filers */

static gpointer
filer_thread (gpointer data)
{
  Siege *siege = data;
  guint n = 0;
  g_autofree char *head = NULL;

  head = g_strdup_printf ("POST /v1/support-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\nConnection: close\r\n",
                          siege->token, strlen (filing_body));

  for (;;)
    {
      Phase phase = g_atomic_int_get (&siege->phase);
      g_autoptr(GString) answer = g_string_new (NULL);
      g_autofree char *request = NULL;
      gint64 start = g_get_monotonic_time ();
      guint status = 0;
      double ms;
      int fd;

      if (phase == PHASE_DONE)
        break;

      request = g_strdup_printf ("%sIdempotency-Key: siege-%p-%u\r\n\r\n%s",
                                 head, (void *)&n, n, filing_body);
      n++;
      if ((fd = connect_loopback (siege->port, TRUE)) >= 0)
        {
          if (send_all (fd, request, strlen (request)))
            status = read_answer (fd, answer);
          close (fd);
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;

      g_mutex_lock (&siege->lock);
      /* Counted in the phase it started in. */
      if (status == 201)
        {
          const char *id = strstr (answer->str, "\"id\":\"SR-");
          gint64 seq = id != NULL ? g_ascii_strtoll (id + strlen ("\"id\":\"SR-"), NULL, 10) : 0;

          siege->filed[phase]++;
          g_array_append_val (siege->acknowledged, seq);
          g_array_append_val (siege->latency_ms[phase], ms);
        }
      else
        siege->failed[phase]++;
      siege->worst_ms[phase] = MAX (siege->worst_ms[phase], ms);
      g_mutex_unlock (&siege->lock);

      if (status != 201)
        g_usleep (50 * 1000);
    }

  return NULL;
}

/* Attackers */

/* Holds @count connections; reopens those the service closes. With
 * @slow, each sends a valid request's headers, then its body a byte a
 * second. */
static gpointer
holder_thread (Siege    *siege,
               int       count,
               gboolean  slow)
{
  g_autofree struct pollfd *fds = g_new0 (struct pollfd, count);
  g_autofree gint64 *next_byte = g_new0 (gint64, count);
  g_autofree gboolean *sent_headers = g_new0 (gboolean, count);
  g_autofree char *headers = g_strdup_printf ("POST /v1/support-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: 100000\r\n\r\n",
                                              siege->token);

  for (int i = 0; i < count; i++)
    fds[i].fd = -1;

  while (g_atomic_int_get (&siege->attacking))
    {
      gint64 now = g_get_monotonic_time ();

      for (int i = 0; i < count; i++)
        {
          if (fds[i].fd < 0)
            {
              if ((fds[i].fd = connect_loopback (siege->port, FALSE)) < 0)
                continue;
              fds[i].events = POLLIN;
              next_byte[i] = 0;
              sent_headers[i] = FALSE;
              if (slow)
                siege->slow_reopened++;
              else
                siege->idle_reopened++;
            }
          if (slow && now >= next_byte[i])
            {
              gssize n;

              if (!sent_headers[i])
                n = send (fds[i].fd, headers, strlen (headers), MSG_NOSIGNAL);
              else
                n = send (fds[i].fd, "{", 1, MSG_NOSIGNAL);
              if (n < 0 && errno != EAGAIN && errno != ENOTCONN)
                {
                  close (fds[i].fd);
                  fds[i].fd = -1;
                  continue;
                }
              if (n < 0)
                continue;   /* still connecting: again at the next turn */
              /* Headers are small: sent whole on a new loopback connection. */
              sent_headers[i] = TRUE;
              next_byte[i] = now + G_TIME_SPAN_SECOND;
            }
        }

      if (poll (fds, (nfds_t)count, 100) > 0)
        {
          for (int i = 0; i < count; i++)
            {
              char buffer[512];

              if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
              if (recv (fds[i].fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0 && !(fds[i].revents & POLLHUP))
                continue;
              close (fds[i].fd);
              fds[i].fd = -1;
            }
        }
    }

  for (int i = 0; i < count; i++)
    {
      if (fds[i].fd >= 0)
        close (fds[i].fd);
    }

  return NULL;
}

static gpointer
idle_thread (gpointer data)
{
  Siege *siege = data;

  return holder_thread (siege, opt_idle, FALSE);
}

static gpointer
slow_thread (gpointer data)
{
  Siege *siege = data;

  return holder_thread (siege, opt_slow, TRUE);
}

static gpointer
flood_thread (gpointer data)
{
  Siege *siege = data;
  static const char request[] =
    "POST /v1/support-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";

  while (g_atomic_int_get (&siege->attacking))
    {
      g_autoptr(GString) answer = g_string_new (NULL);
      int fd = connect_loopback (siege->port, TRUE);

      if (fd < 0)
        {
          g_usleep (1000);
          continue;
        }
      if (send_all (fd, request, sizeof request - 1))
        read_answer (fd, answer);
      close (fd);
      g_atomic_int_inc (&siege->flood_requests);
    }

  return NULL;
}

/* The service */

static guint64
read_rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int)pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      (line = strstr (contents, "VmRSS:")) == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

/* The service's CPU time so far (user and system), in ms. */
static double
read_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int)pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  /* After the command's name, in parentheses: state is field 3, utime 14, stime 15. */
  if (!g_file_get_contents (path, &contents, NULL, NULL) || (end = strrchr (contents, ')')) == NULL)
    return 0;
  fields = g_strsplit (end + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;

  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 / sysconf (_SC_CLK_TCK);
}

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int)pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

static char *
find_service (void)
{
  const char *build = opt_build ? opt_build : g_getenv ("ESCALADE_BUILD_DIR");
  g_autofree char *path = g_build_filename (build ? build : "_build", "src", "service",
                                            "escalade-service", NULL);

  return g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) ? g_steal_pointer (&path) : NULL;
}

static guint
count_missing (const char *database,
               GArray     *acknowledged)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint missing = 0;

  if (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT 1 FROM support_requests WHERE seq = ?1", -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return acknowledged->len;
    }

  for (guint i = 0; i < acknowledged->len; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (acknowledged, gint64, i));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        missing++;
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return missing;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  if (sorted->len == 0)
    return 0;

  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint)(p / 100.0 * sorted->len)));
}

static guint
count_slower (GArray *values,
              double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;

  return n;
}

/* Runs phases while sampling the service every 100 ms. */
static void
run_for (Siege    *siege,
         Phase     phase,
         int       seconds,
         GPid      pid,
         guint64  *peak_rss,
         guint    *peak_fds,
         double   *cpu_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64)seconds * G_TIME_SPAN_SECOND;
  double cpu_start = read_cpu_ms (pid);

  g_atomic_int_set (&siege->phase, phase);
  while (g_get_monotonic_time () < end)
    {
      *peak_rss = MAX (*peak_rss, read_rss_kib (pid));
      *peak_fds = MAX (*peak_fds, count_fds (pid));
      g_usleep (100 * 1000);
    }
  *cpu_ms = read_cpu_ms (pid) - cpu_start;
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "build", 0, 0, G_OPTION_ARG_FILENAME, &opt_build, "The meson build directory", "DIR" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "Seconds of each run, quiet and attacked (60)", "N" },
    { "after", 0, 0, G_OPTION_ARG_INT, &opt_after, "Seconds measured after the attack, and as long again quiet once more (10)", "N" },
    { "filers", 0, 0, G_OPTION_ARG_INT, &opt_filers, "Clients filing requests (8)", "N" },
    { "idle", 0, 0, G_OPTION_ARG_INT, &opt_idle, "Idle connections held (1000)", "N" },
    { "slow", 0, 0, G_OPTION_ARG_INT, &opt_slow, "Slow-body connections (200)", "N" },
    { "flooders", 0, 0, G_OPTION_ARG_INT, &opt_flooders, "Threads sending requests without a token (2)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the database and the service's log", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSubprocess) token_process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) filers = g_ptr_array_new ();
  g_autoptr(GPtrArray) attackers = g_ptr_array_new ();
  g_autofree char *service = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *log = NULL;
  g_autofree char *line = NULL;
  g_autofree char *token = NULL;
  struct rlimit limit;
  Siege siege = { 0, };
  guint64 peak_rss[N_PHASES] = { 0, };
  guint peak_fds[N_PHASES] = { 0, };
  double cpu_ms[N_PHASES] = { 0, };
  double rate[N_PHASES];
  double seconds[N_PHASES];
  double attack_percent, after_percent, after_settled_percent, settled_percent;
  double quiet_p99;
  guint delayed;
  guint missing;
  guint total_acknowledged;
  GPid pid;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Filing rate of escalade-service under a connection siege, on loopback.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("service-siege: %s\n", error->message);
      return 2;
    }

  /* The attackers' sockets, here. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }

  if (!(service = find_service ()))
    {
      g_printerr ("service-siege: no escalade-service built (give --build DIR)\n");
      return 1;
    }

  {
    const char *build = opt_build ? opt_build : g_getenv ("ESCALADE_BUILD_DIR");
    g_autofree char *template = g_build_filename (build ? build : "_build", "siege-XXXXXX", NULL);

    dir = g_mkdtemp (g_steal_pointer (&template));
  }
  database = g_build_filename (dir, "service.sqlite3", NULL);
  log = g_build_filename (dir, "service.log", NULL);

  token_process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, service, "--database",
                                    database, "token", "create", "--user", "siege", "--email",
                                    "siege@example.org", "--role", "it-admin", NULL);
  if (token_process == NULL ||
      !g_subprocess_communicate_utf8 (token_process, NULL, NULL, &token, NULL, &error))
    {
      g_printerr ("service-siege: %s\n", error->message);
      return 1;
    }
  siege.token = g_strstrip (token);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  process = g_subprocess_launcher_spawn (launcher, &error, service, "--database", database,
                                         "serve", "--listen", "127.0.0.1:0", NULL);
  if (process == NULL)
    {
      g_printerr ("service-siege: %s\n", error->message);
      return 1;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://127.0.0.1:"))
    {
      g_printerr ("service-siege: the service did not start\n");
      return 1;
    }
  siege.port = (guint16)g_ascii_strtoull (strrchr (line, ':') + 1, NULL, 10);
  pid = (GPid)g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  siege.acknowledged = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (int p = 0; p < N_PHASES; p++)
    siege.latency_ms[p] = g_array_new (FALSE, FALSE, sizeof (double));
  g_mutex_init (&siege.lock);

  fprintf (stderr, "service-siege: %d filers; %d s quiet, %d s under attack (%d idle, %d slow-body, "
           "%d flooders), %d s after; in %s\n",
           opt_filers, opt_seconds, opt_seconds, opt_idle, opt_slow, opt_flooders, opt_after, dir);

  g_atomic_int_set (&siege.phase, PHASE_QUIET);
  for (int i = 0; i < opt_filers; i++)
    g_ptr_array_add (filers, g_thread_new ("filer", filer_thread, &siege));

  run_for (&siege, PHASE_QUIET, opt_seconds, pid, &peak_rss[PHASE_QUIET], &peak_fds[PHASE_QUIET],
           &cpu_ms[PHASE_QUIET]);

  g_atomic_int_set (&siege.attacking, 1);
  g_ptr_array_add (attackers, g_thread_new ("idle", idle_thread, &siege));
  g_ptr_array_add (attackers, g_thread_new ("slow", slow_thread, &siege));
  for (int i = 0; i < opt_flooders; i++)
    g_ptr_array_add (attackers, g_thread_new ("flood", flood_thread, &siege));

  run_for (&siege, PHASE_ATTACK, opt_seconds, pid, &peak_rss[PHASE_ATTACK], &peak_fds[PHASE_ATTACK],
           &cpu_ms[PHASE_ATTACK]);

  /* The attack ends: its connections close. */
  g_atomic_int_set (&siege.attacking, 0);
  for (guint i = 0; i < attackers->len; i++)
    g_thread_join (g_ptr_array_index (attackers, i));

  run_for (&siege, PHASE_AFTER, opt_after, pid, &peak_rss[PHASE_AFTER], &peak_fds[PHASE_AFTER],
           &cpu_ms[PHASE_AFTER]);
  /* The same again, once the attack is long gone: the quiet rate on a
   * database about as large as the one after the attack (it grows by
   * every filing, and filing is slower on a larger one). */
  run_for (&siege, PHASE_SETTLED, opt_after, pid, &peak_rss[PHASE_SETTLED], &peak_fds[PHASE_SETTLED],
           &cpu_ms[PHASE_SETTLED]);

  g_atomic_int_set (&siege.phase, PHASE_DONE);
  for (guint i = 0; i < filers->len; i++)
    g_thread_join (g_ptr_array_index (filers, i));

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);

  seconds[PHASE_QUIET] = opt_seconds;
  seconds[PHASE_ATTACK] = opt_seconds;
  seconds[PHASE_AFTER] = opt_after;
  seconds[PHASE_SETTLED] = opt_after;
  for (int p = 0; p < N_PHASES; p++)
    rate[p] = siege.filed[p] / seconds[p];
  attack_percent = rate[PHASE_QUIET] > 0 ? 100.0 * rate[PHASE_ATTACK] / rate[PHASE_QUIET] : 0;
  after_percent = rate[PHASE_QUIET] > 0 ? 100.0 * rate[PHASE_AFTER] / rate[PHASE_QUIET] : 0;
  after_settled_percent = rate[PHASE_SETTLED] > 0 ? 100.0 * rate[PHASE_AFTER] / rate[PHASE_SETTLED] : 0;
  settled_percent = rate[PHASE_QUIET] > 0 ? 100.0 * rate[PHASE_SETTLED] / rate[PHASE_QUIET] : 0;
  for (int p = 0; p < N_PHASES; p++)
    g_array_sort (siege.latency_ms[p], compare_doubles);
  quiet_p99 = percentile (siege.latency_ms[PHASE_QUIET], 99);
  delayed = count_slower (siege.latency_ms[PHASE_ATTACK], quiet_p99);
  total_acknowledged = siege.acknowledged->len;
  missing = count_missing (database, siege.acknowledged);

  printf ("service-siege: %d filers, %d s quiet, %d s attacked, %d s after, %d s settled\n",
          opt_filers, opt_seconds, opt_seconds, opt_after, opt_after);
  for (int p = 0; p < N_PHASES; p++)
    printf ("  %-7s %7.1f filings/s (%u filed, %u failed; median %.1f ms, p99 %.1f ms, slowest %.0f ms);"
            " peak RSS %" G_GUINT64_FORMAT " KiB, peak descriptors %u\n",
            phase_names[p], rate[p], siege.filed[p], siege.failed[p],
            percentile (siege.latency_ms[p], 50), percentile (siege.latency_ms[p], 99),
            siege.worst_ms[p], peak_rss[p], peak_fds[p]);
  printf ("  the service's CPU (of one core):");
  for (int p = 0; p < N_PHASES; p++)
    printf (" %s %.0f %%, %.0f µs a filing%s", phase_names[p], cpu_ms[p] / seconds[p] / 10.0,
            siege.filed[p] > 0 ? cpu_ms[p] * 1000.0 / siege.filed[p] : 0, p + 1 < N_PHASES ? ";" : "\n");
  printf ("  under attack: %u filings delayed (slower than the quiet p99, %.1f ms), %u failed\n",
          delayed, quiet_p99, siege.failed[PHASE_ATTACK]);
  printf ("  after: %.1f %% of the quiet rate, %.1f %% of the settled one (on a comparable database;"
          " settled is %.1f %% of quiet)\n", after_percent, after_settled_percent, settled_percent);
  printf ("  attack: %d unauthenticated requests answered or cut, idle connections opened %"
          G_GUINT64_FORMAT " times, slow ones %" G_GUINT64_FORMAT " times\n",
          g_atomic_int_get (&siege.flood_requests), siege.idle_reopened, siege.slow_reopened);
  printf ("  acknowledged filings missing from the database: %u of %u\n", missing, total_acknowledged);

  printf ("BENCH|service-siege|quiet rate|%.1f filings/s||\n", rate[PHASE_QUIET]);
  printf ("BENCH|service-siege|rate under attack|%.1f %% of quiet|≥ %.0f %%|%s\n", attack_percent,
          GOAL_ATTACK_PERCENT, attack_percent >= GOAL_ATTACK_PERCENT ? "met" : "NOT MET");
  printf ("BENCH|service-siege|rate in the %d s after|%.1f %% of settled (%.1f %% of quiet)|≥ %.0f %%|%s\n",
          opt_after, after_settled_percent, after_percent, GOAL_AFTER_PERCENT,
          after_settled_percent >= GOAL_AFTER_PERCENT ? "met" : "NOT MET");
  printf ("BENCH|service-siege|peak RSS|%" G_GUINT64_FORMAT " KiB|bounded|\n",
          MAX (peak_rss[PHASE_ATTACK], MAX (peak_rss[PHASE_QUIET], peak_rss[PHASE_AFTER])));
  printf ("BENCH|service-siege|peak descriptors|%u|≤ 1024 + 64|%s\n", peak_fds[PHASE_ATTACK],
          peak_fds[PHASE_ATTACK] <= 1024 + 64 ? "met" : "NOT MET");
  printf ("BENCH|service-siege|acknowledged filings lost|%u of %u|0|%s\n", missing, total_acknowledged,
          missing == 0 ? "met" : "NOT MET");

  if (!opt_keep)
    {
      const char * const names[] = { "service.sqlite3", "service.sqlite3-wal", "service.sqlite3-shm",
                                     "service.sqlite3.key", "service.sqlite3.audit-key", "service.log" };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (dir, names[i], NULL);

          g_unlink (path);
        }
      g_rmdir (dir);
    }

  g_array_unref (siege.acknowledged);
  for (int p = 0; p < N_PHASES; p++)
    g_array_unref (siege.latency_ms[p]);
  g_mutex_clear (&siege.lock);

  return 0;
}
