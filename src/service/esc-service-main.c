/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <errno.h>
#include <locale.h>
#ifdef __GLIBC__
# include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gio.h>

#include "esc-service-access.h"
#include "esc-service-db.h"
#include "esc-service-devices.h"
#include "esc-service-keys.h"
#include "esc-service-pg.h"
#include "esc-service-crypto.h"
#include "esc-service-private.h"
#include "esc-service-server.h"
#include "esc-service-staff.h"
#include "esc-staff-import.h"

/* Exit codes: 2 is a usage error (bad option or value), 1 anything else. */
enum {
  EXIT_OK = 0,
  EXIT_ERROR = 1,
  EXIT_USAGE = 2,
};

#define DEFAULT_LISTEN "127.0.0.1:8080"

/* --database, --key-file and --audit-key-file are accepted before and
 * after the command. */
static char *opt_database;
static char *opt_key_file;
static char *opt_audit_key_file;
/* For the usage hint: "serve", "token create", or NULL before the command. */
static const char *current_command;

static const GOptionEntry database_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("The service’s SQLite database (default: $XDG_DATA_HOME/escalade-service/service.sqlite3), "
       "or a PostgreSQL database: a postgresql:// URL or a libpq connection string "
       "(only “migrate” works on PostgreSQL yet)"),
    N_("FILE|URL") },
  { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_key_file,
    N_("The key that seals device passwords (default: the systemd credential “secret-key”, "
       "else the database’s path followed by “.key”)"),
    N_("FILE") },
  { "audit-key-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_audit_key_file,
    N_("The Ed25519 key that signs audit checkpoints (default: the systemd credential "
       "“audit-key”, else the database’s path followed by “.audit-key”)"),
    N_("FILE") },
  G_OPTION_ENTRY_NULL
};

static const char commands_summary[] =
  N_("Commands:\n"
     "  serve          Serve the v1 API over HTTP or HTTPS\n"
     "  migrate        Bring the database’s schema up to date (SQLite or PostgreSQL)\n"
     "  token create   Create an access token for a person (created if new)\n"
     "  token revoke   Revoke the access token read from standard input, or with\n"
     "                 --user every token of a person\n"
     "  token list     List the tokens (never their secret), of everyone or --user\n"
     "  person import  Add the people of a CSV file (name,email,team,roles), all or none\n"
     "  person disable Remove all of a person’s access at once (tokens, designations,\n"
     "                 open elevations, whose devices get new passwords)\n"
     "  role remove    Take a role away from a person\n"
     "  audit verify   Check the audit log’s chain and signed checkpoints\n"
     "  key rotate     Seal every device password under a new key\n"
     "  device add     Enrol a device (name, serial number, group)\n"
     "  device import  Enrol the devices of a CSV file (name,serial,group), all or none\n"
     "  designation grant|revoke  Designate support staff for elevation or escalation\n"
     "\n"
     "Run “escalade-service COMMAND --help” for the options of a command.\n"
     "\n"
     "Who may do what (the service enforces it; see data/api/openapi.yaml):\n"
     "  it-admin         staff directory and designations, admin contacts, audit log;\n"
     "                   files admin requests of any severity; reads and edits every\n"
     "                   support request; lists every elevation request and closes any\n"
     "  partner-manager  SLA drafts\n"
     "  support-staff    with the escalation designation, files severity C escalations;\n"
     "                   with the elevation designation, opens elevation requests and\n"
     "                   reads the password of their own open requests only\n"
     "  operator         the service’s operations team: sees every support request\n"
     "                   and answers it\n"
     "\n"
     "Keys: device passwords are sealed with libsodium under --key-file, audit\n"
     "checkpoints are signed under --audit-key-file; keep both apart from the\n"
     "database and back them up. Plain HTTP is served on loopback only.");

static int
usage_error (const char *message)
{
  g_printerr ("escalade-service: %s\n", message);
  if (current_command != NULL)
    g_printerr (_("Run “escalade-service %s --help” for usage.\n"), current_command);
  else
    g_printerr (_("Run “escalade-service --help” for usage.\n"));
  return EXIT_USAGE;
}

/* Parses the options of one command. @args starts with the command's name
 * and keeps only what GOption did not consume. */
static gboolean
parse_command (const char          *command,
               const char          *summary,
               const GOptionEntry  *entries,
               GStrv               *args,
               int                 *exit_code)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("escalade-service %s", command);
  g_autofree char *saved_prgname = g_strdup (g_get_prgname ());
  g_autofree char *global_database = NULL;
  g_autofree char *global_key_file = NULL;
  g_autofree char *global_audit_key_file = NULL;
  gboolean ok;

  current_command = command;

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, database_entries, GETTEXT_PACKAGE);

  /* GOption overwrites without freeing: keep the value given before the
   * command, which one given after it replaces. */
  global_database = g_steal_pointer (&opt_database);
  global_key_file = g_steal_pointer (&opt_key_file);
  global_audit_key_file = g_steal_pointer (&opt_audit_key_file);

  /* So that --help shows "Usage: escalade-service token create [OPTION…]". */
  g_set_prgname (prgname);
  ok = g_option_context_parse_strv (context, args, &error);
  g_set_prgname (saved_prgname);

  if (opt_database == NULL)
    opt_database = g_steal_pointer (&global_database);
  if (opt_key_file == NULL)
    opt_key_file = g_steal_pointer (&global_key_file);
  if (opt_audit_key_file == NULL)
    opt_audit_key_file = g_steal_pointer (&global_audit_key_file);

  if (!ok)
    {
      *exit_code = usage_error (error->message);
      return FALSE;
    }

  if (g_strv_length (*args) > 1)
    {
      g_autofree char *message = g_strdup_printf (_("Unexpected argument “%s”"), (*args)[1]);

      *exit_code = usage_error (message);
      return FALSE;
    }

  return TRUE;
}

/* Whether a key is given: its file, or a systemd credential of that name */
static gboolean
have_key (const char *key_file,
          const char *credential)
{
  g_autofree char *path = NULL;

  return key_file != NULL || (path = esc_service_keys_find_credential (credential)) != NULL;
}

static EscServiceDb *
open_database (GError **error)
{
  g_autofree char *default_path = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  const char *path = opt_database;

  if (path != NULL && esc_service_pg_is_conninfo (path))
    {
      /* Every node must seal and sign with the same keys: no key made up
       * next to a file, as there is no file */
      if (!have_key (opt_key_file, "secret-key") || !have_key (opt_audit_key_file, "audit-key"))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("On PostgreSQL, give every node the same keys: --key-file and "
                                 "--audit-key-file, or the systemd credentials “secret-key” and "
                                 "“audit-key”"));
          return NULL;
        }

      /* A database the nodes share: its schema is migrated under a lock */
      if (!(db = esc_service_db_open (path, error)))
        return NULL;
      goto opened;
    }

  if (path == NULL)
    path = default_path = g_build_filename (g_get_user_data_dir (), "escalade-service",
                                            "service.sqlite3", NULL);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s”: %s"),
                   folder, g_strerror (saved_errno));
      return NULL;
    }

  if (!(db = esc_service_db_open (path, error)))
    return NULL;

opened:
  if (opt_key_file != NULL)
    esc_service_keys_set_key_file (db, opt_key_file);
  if (opt_audit_key_file != NULL)
    esc_service_keys_set_audit_key_file (db, opt_audit_key_file);

  return g_steal_pointer (&db);
}

/* migrate */

static int
cmd_migrate (GStrv *args)
{
  const GOptionEntry entries[] = {
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  int exit_code;

  if (!parse_command ("migrate",
                      _("Bring the database’s schema up to this version’s, then exit. On "
                        "PostgreSQL, several nodes may run it at once: one migrates, the others "
                        "wait for it and find nothing left to do. An SQLite file is also "
                        "migrated whenever the service opens it."),
                      entries, args, &exit_code))
    return exit_code;

  if (esc_service_pg_is_conninfo (opt_database))
    {
      int from = 0;
      int to = 0;

      if (!esc_service_pg_migrate (opt_database, &from, &to, &error))
        {
          g_printerr ("escalade-service: %s\n", error->message);
          return EXIT_ERROR;
        }

      /* As on SQLite, whose file is migrated whenever it is opened */
      if (from == to)
        printf (_("The schema is at version %d\n"), to);
      else
        printf (_("Migrated the schema from version %d to %d\n"), from, to);
    }
  else
    {
      g_autoptr(EscServiceDb) db = NULL;

      if (!(db = open_database (&error)))
        {
          g_printerr ("escalade-service: %s\n", error->message);
          return EXIT_ERROR;
        }
      printf (_("The schema is at version %d\n"), esc_service_db_get_schema_version (db));
    }

  return EXIT_OK;
}

/* serve */

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (GStrv *args)
{
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  gboolean allow_remote = FALSE;
  int max_connections = 0;
  int max_per_client = 0;
  int max_queued_writes = 0;
  double header_timeout = 10.0;
  double idle_timeout = 30.0;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on ADDRESS:PORT (default: 127.0.0.1:8080; port 0 picks a free port)"),
      N_("ADDRESS:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS with this PEM certificate"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The PEM private key of --tls-cert"), N_("FILE") },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &allow_remote,
      N_("Allow listening on an address other than loopback (with TLS only)"), NULL },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      N_("Connections open at once (default: 1024, or fewer to fit the descriptor limit)"),
      N_("N") },
    { "max-connections-per-client", 0, 0, G_OPTION_ARG_INT, &max_per_client,
      N_("Connections open at once from one client address (default: 256)"), N_("N") },
    { "header-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &header_timeout,
      N_("Seconds a connection has to send a request’s headers (default: 10)"), N_("SECONDS") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &idle_timeout,
      N_("Seconds a connection may stay idle between requests, and may take to send a body "
         "(default: 30)"),
      N_("SECONDS") },
    { "max-queued-writes", 0, 0, G_OPTION_ARG_INT, &max_queued_writes,
      N_("Changes waiting to be written at once; beyond, 503 (default: 512)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };
  EscServiceLimits limits = ESC_SERVICE_LIMITS_DEFAULT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(EscServiceServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint_id;
  guint sigterm_id;
  int exit_code;

  if (!parse_command ("serve", _("Serve the v1 API over HTTP, or HTTPS with --tls-cert and --tls-key."),
                      entries, args, &exit_code))
    return exit_code;

  if ((tls_cert == NULL) != (tls_key == NULL))
    return usage_error (_("--tls-cert and --tls-key go together"));

  if (max_connections < 0 || max_per_client < 0 || max_queued_writes < 0 ||
      !(header_timeout >= 0.05 && header_timeout <= 3600.0) ||
      !(idle_timeout >= 0.05 && idle_timeout <= 3600.0))
    return usage_error (_("The limits must be positive, and the timeouts from 0.05 to 3600 seconds"));

  limits.max_connections = (guint)max_connections;
  limits.max_per_client = (guint)max_per_client;
  limits.header_timeout_ms = (guint)(header_timeout * 1000);
  limits.idle_timeout_ms = (guint)(idle_timeout * 1000);
  limits.body_timeout_ms = limits.idle_timeout_ms;
  limits.answer_timeout_ms = 2 * limits.idle_timeout_ms;

  if (!(address = esc_service_parse_listen_address (listen ? listen : DEFAULT_LISTEN, &error)))
    return usage_error (error->message);

  if (!g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      /* Bearer tokens and device passwords never cross a network in clear. */
      if (tls_cert == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("Refusing to serve plain HTTP on “%s”, which is not a loopback "
                               "address: give --tls-cert and --tls-key"),
                             listen ? listen : DEFAULT_LISTEN);

          return usage_error (message);
        }

      if (!allow_remote)
        {
          g_autofree char *message =
            g_strdup_printf (_("Refusing to listen on “%s”, which is not a loopback "
                               "address; add --allow-remote if this is intended"),
                             listen ? listen : DEFAULT_LISTEN);

          return usage_error (message);
        }
    }

  if (!(db = open_database (&error)))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  /* A long-running server allocates and frees the same sizes all day: keep
   * freed memory for reuse rather than giving it back to the kernel after
   * each request (glibc's default trims at 128 KiB, which costs page faults). */
#ifdef __GLIBC__
  mallopt (M_TRIM_THRESHOLD, 16 * 1024 * 1024);
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif

  /* The sealing key now, not at the first password read: a missing key
   * file with sealed rows stops the start, and rows sealed in an older
   * format or under an older key are re-sealed. */
  if (!esc_service_keys_get_secret_box (db, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  /* The audit signing key too: missing with signed checkpoints, the
   * service does not start; the previous run's tail is signed if it was
   * not (after a crash). */
  if (!esc_service_db_audit_checkpoint (db, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  server = esc_service_server_new (db);
  esc_service_server_set_limits (server, &limits);
  if (max_queued_writes > 0)
    esc_service_server_set_max_queued_writes (server, (guint)max_queued_writes);

  /* Housekeeping (e.g. purging elevation records past their retention) runs
   * at start, then every minute. */
  if (!esc_service_server_run_housekeeping (server, &error))
    {
      g_printerr ("escalade-service: housekeeping: %s\n", error->message);
      g_clear_error (&error);
    }

  if (tls_cert != NULL && !esc_service_server_set_tls_files (server, tls_cert, tls_key, &error))
    {
      g_printerr (_("escalade-service: could not load the TLS certificate: %s\n"), error->message);
      return EXIT_ERROR;
    }

  if (!esc_service_server_listen (server, address, &error))
    {
      g_printerr (_("escalade-service: could not listen: %s\n"), error->message);
      return EXIT_ERROR;
    }

  /* Exactly one line on stdout: tests and the development script read it. */
  printf ("listening on %s\n", esc_service_server_get_url (server));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  esc_service_server_disconnect (server);

  /* The tail of the audit log, signed: cutting it off later is noticed. */
  if (!esc_service_db_audit_checkpoint (db, &error))
    {
      g_printerr ("escalade-service: audit checkpoint: %s\n", error->message);
      g_clear_error (&error);
    }
  g_printerr (_("escalade-service: stopped\n"));

  return EXIT_OK;
}

/* token create, token revoke */

static int
cmd_token_create (GStrv *args)
{
  g_autofree char *user = NULL;
  g_autofree char *email = NULL;
  g_auto(GStrv) role_args = NULL;
  int expires_in = 0;
  const GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("The person’s unique name"), N_("NAME") },
    { "expires-in", 0, 0, G_OPTION_ARG_INT, &expires_in,
      N_("The token’s lifetime in days (default: the setting “token.lifetime-days”, 90)"),
      N_("DAYS") },
    { "email", 'e', 0, G_OPTION_ARG_STRING, &email,
      N_("The person’s email address (needed for a new person)"), N_("EMAIL") },
    { "role", 'r', 0, G_OPTION_ARG_STRING_ARRAY, &role_args,
      N_("A role to add: it-admin, partner-manager, support-staff or operator (repeatable)"),
      N_("ROLE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GStrvBuilder) roles_builder = g_strv_builder_new ();
  g_auto(GStrv) roles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autofree char *token = NULL;
  int exit_code;

  if (!parse_command ("token create",
                      _("Create an access token for a person, and print it alone on standard "
                        "output. The person is created if new; given roles are added."),
                      entries, args, &exit_code))
    return exit_code;

  if (user == NULL)
    return usage_error (_("--user is required"));
  if (expires_in < 0 || expires_in > 3650)
    return usage_error (_("--expires-in is a number of days from 1 to 3650"));
  if (!esc_service_name_is_valid (user))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a valid user name"), user);
      return usage_error (message);
    }
  if (email != NULL && !esc_service_email_is_valid (email))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a valid email address"), email);
      return usage_error (message);
    }

  /* --role a --role b, and also --role a,b */
  for (guint i = 0; role_args != NULL && role_args[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (role_args[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          const char *role = g_strstrip (parts[j]);

          if (!esc_service_role_is_valid (role))
            {
              g_autofree char *message =
                g_strdup_printf (_("Unknown role “%s”; the roles are it-admin, "
                                   "partner-manager, support-staff and operator"),
                                 role);
              return usage_error (message);
            }
          g_strv_builder_add (roles_builder, role);
        }
    }
  roles = g_strv_builder_end (roles_builder);

  if (!(db = open_database (&error)))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  token = esc_service_db_create_token_full (db, user, email, (const char * const *)roles,
                                            (guint)expires_in, &error);
  if (token == NULL)
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT))
        return usage_error (error->message);

      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  printf ("%s\n", token);
  fflush (stdout);
  esc_service_crypto_wipe (token, strlen (token));

  return EXIT_OK;
}

/* Who the command line acts as, in the audit log. */
static const EscServiceAuditEvent cli_actor = { .actor_name = "command line" };

static int
cmd_token_revoke (GStrv *args)
{
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("Revoke every token of this person instead"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  char line[256];
  char *token;
  int exit_code;

  if (!parse_command ("token revoke",
                      _("Revoke the access token read from standard input (so that it "
                        "never shows in the list of processes), or with --user every token "
                        "of a person. Audited."),
                      entries, args, &exit_code))
    return exit_code;

  if (user != NULL)
    {
      guint revoked = 0;

      if (!(db = open_database (&error)) ||
          !esc_service_access_revoke_tokens (db, user, &cli_actor, &revoked, &error))
        {
          g_printerr ("escalade-service: %s\n", error->message);
          return EXIT_ERROR;
        }

      g_printerr (ngettext ("escalade-service: %u token of %s revoked\n",
                            "escalade-service: %u tokens of %s revoked\n", revoked),
                  revoked, user);
      return EXIT_OK;
    }

  if (fgets (line, sizeof line, stdin) == NULL)
    return usage_error (_("No token on standard input"));
  token = g_strstrip (line);
  if (token[0] == '\0')
    return usage_error (_("No token on standard input"));

  if (!(db = open_database (&error)) ||
      !esc_service_db_revoke_token (db, token, &error))
    {
      esc_service_crypto_wipe (line, sizeof line);
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  esc_service_crypto_wipe (line, sizeof line);
  g_printerr (_("escalade-service: token revoked\n"));

  return EXIT_OK;
}

static int
cmd_token_list (GStrv *args)
{
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("Only this person’s tokens"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  int exit_code;

  if (!parse_command ("token list",
                      _("List the tokens: an id (the start of the token’s SHA-256, never the "
                        "token), the person, when it was created, when it expires, when it "
                        "was last used and when it was revoked (“-”: not)."),
                      entries, args, &exit_code))
    return exit_code;

  if (!(db = open_database (&error)) ||
      !(tokens = esc_service_access_list_tokens (db, user, &error)))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  /* Tab-separated, one token a line, for people and for scripts. */
  printf ("%s\t%s\t%s\t%s\t%s\t%s\n", _("ID"), _("PERSON"), _("CREATED"), _("EXPIRES"),
          _("LAST USED"), _("REVOKED"));
  for (guint i = 0; i < tokens->len; i++)
    {
      EscServiceTokenInfo *info = g_ptr_array_index (tokens, i);

      printf ("%s\t%s\t%s\t%s\t%s\t%s\n", info->id, info->person, info->created_at,
              info->expires_at ? info->expires_at : "-",
              info->last_used_at ? info->last_used_at : "-",
              info->revoked_at ? info->revoked_at : "-");
    }

  return EXIT_OK;
}

/* person import, person disable, role remove */

static int
cmd_person_import (GStrv *args)
{
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE.csv") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(GPtrArray) bad_rows = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint imported = 0;
  int exit_code;

  if (!parse_command ("person import",
                      _("Add the people of a CSV file with the header “name,email,team,roles” "
                        "(several roles in one field separated by “;”, e.g. "
                        "support-staff;it-admin; the team may be empty), in one transaction: "
                        "if any line is bad, every bad line is named on standard error as "
                        "FILE:LINE: reason, and nothing is imported. A name or email already "
                        "known, or given twice, is a bad line. Audited."),
                      entries, args, &exit_code))
    return exit_code;

  if (files == NULL || files[0] == NULL)
    return usage_error (_("No file given"));
  if (files[1] != NULL)
    return usage_error (_("Give one file"));

  if (!g_file_get_contents (files[0], &contents, &length, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  if (!(db = open_database (&error)))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  if (!esc_service_access_import (db, contents, length, &cli_actor, &imported, &bad_rows, &error))
    {
      if (bad_rows != NULL && bad_rows->len > 0)
        {
          for (guint i = 0; i < bad_rows->len; i++)
            {
              EscStaffImportError *bad = g_ptr_array_index (bad_rows, i);

              g_printerr ("%s:%u: %s\n", files[0], bad->line, bad->reason);
            }
        }
      else
        g_printerr ("escalade-service: %s: %s\n", files[0], error->message);
      g_printerr (_("escalade-service: nothing was imported\n"));
      return EXIT_ERROR;
    }

  printf (ngettext ("imported %s: %u person\n", "imported %s: %u people\n", imported),
          files[0], imported);

  return EXIT_OK;
}

static int
cmd_person_disable (GStrv *args)
{
  g_autofree char *user = NULL;
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("The person’s name"), N_("NAME") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why, for the record"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  EscServiceAccessRemoval removal = { 0, };
  gint64 person_id;
  int exit_code;

  if (!parse_command ("person disable",
                      _("Remove all of a person’s access at once, for someone who leaves: "
                        "every token revoked, every designation withdrawn, every open "
                        "elevation request closed and the passwords of those devices "
                        "rotated; the person is disabled and gets no new token. One "
                        "transaction, audited as one “person.access-removed” event (the "
                        "same as POST /v1/staff/{id}/remove-access)."),
                      entries, args, &exit_code))
    return exit_code;

  if (user == NULL)
    return usage_error (_("--user is required"));
  if (reason != NULL && !esc_service_name_is_valid (reason))
    return usage_error (_("The reason must be text"));

  if (!(db = open_database (&error)) ||
      !(person_id = esc_service_access_find_person (db, user, &error)) ||
      !esc_service_access_remove (db, person_id, reason, &cli_actor, &removal, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  /* Translators: a person's name, then four counts */
  printf (_("%s disabled. Tokens revoked: %u; designations withdrawn: %u; elevation requests "
            "closed: %u; device passwords rotated: %u\n"),
          user, removal.tokens_revoked, removal.designations_withdrawn,
          removal.elevations_closed, removal.devices_rotated);

  return EXIT_OK;
}

static int
cmd_role_remove (GStrv *args)
{
  g_autofree char *user = NULL;
  g_autofree char *role = NULL;
  const GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("The person’s name"), N_("NAME") },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role,
      N_("it-admin, partner-manager, support-staff or operator"), N_("ROLE") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  gboolean removed = FALSE;
  int exit_code;

  if (!parse_command ("role remove",
                      _("Take a role away from a person. Their designations stay on record; "
                        "withdraw them with “designation revoke”, or end everything with "
                        "“person disable”. Audited."),
                      entries, args, &exit_code))
    return exit_code;

  if (user == NULL || role == NULL)
    return usage_error (_("--user and --role are required"));
  if (!esc_service_role_is_valid (role))
    {
      g_autofree char *message =
        g_strdup_printf (_("Unknown role “%s”; the roles are it-admin, "
                           "partner-manager, support-staff and operator"),
                         role);
      return usage_error (message);
    }

  if (!(db = open_database (&error)) ||
      !esc_service_access_remove_role (db, user, role, &cli_actor, &removed, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  if (removed)
    printf (_("%s no longer has the role %s\n"), user, role);
  else
    printf (_("%s did not have the role %s; nothing changed\n"), user, role);

  return EXIT_OK;
}

/* audit verify */

static int
cmd_audit_verify (GStrv *args)
{
  const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autofree char *head = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *bad_id_text = NULL;
  g_autofree char *count_text = NULL;
  gint64 count = 0;
  gint64 bad_id = 0;
  gint64 checkpoints;
  int exit_code;

  if (!parse_command ("audit verify",
                      _("Recompute the audit log’s SHA-256 chain and check its signed "
                        "checkpoints against the audit key (--audit-key-file). Prints “OK”, "
                        "the number of events and the newest hash (keep it elsewhere to "
                        "compare later), or the first event at fault and why, and exits with "
                        "status 1."),
                      entries, args, &exit_code))
    return exit_code;

  if (!(db = open_database (&error)))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  if (!esc_service_db_audit_verify (db, &count, &head, &bad_id, &reason, &error))
    {
      if (error != NULL)
        {
          g_printerr ("escalade-service: %s\n", error->message);
          return EXIT_ERROR;
        }

      bad_id_text = g_strdup_printf ("%" G_GINT64_FORMAT, bad_id);
      /* Translators: the first %s is the number of the event at fault, the second why,
       * e.g. "TAMPERED: event 12: its contents do not match its hash (edited)" */
      printf (_("TAMPERED: event %s: %s\n"), bad_id_text, reason);
      return EXIT_ERROR;
    }

  count_text = g_strdup_printf ("%" G_GINT64_FORMAT, count);
  /* Translators: the first %s is the number of events checked, the second the newest
   * hash, e.g. "OK: 42 events, head 3f…" */
  printf (ngettext ("OK: %s event, head %s\n", "OK: %s events, head %s\n", (gulong)count),
          count_text, head);
  if ((checkpoints = esc_service_db_audit_count_checkpoints (db)) > 0)
    {
      g_autofree char *checkpoints_text = g_strdup_printf ("%" G_GINT64_FORMAT, checkpoints);

      /* Translators: %s is a number of checkpoints, "3 signed checkpoints check out" */
      printf (ngettext ("%s signed checkpoint checks out\n", "%s signed checkpoints check out\n",
                        (gulong)checkpoints),
              checkpoints_text);
    }

  return EXIT_OK;
}

/* key rotate */

static int
cmd_key_rotate (GStrv *args)
{
  const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autofree char *key_id = NULL;
  g_autofree char *key_file = NULL;
  guint resealed = 0;
  int exit_code;

  if (!parse_command ("key rotate",
                      _("Make a new sealing key and re-seal every device password under it, "
                        "in one transaction; the key file is then replaced (a copy of the new "
                        "key waits in “KEY-FILE.next” until then). Stop the service first, or "
                        "restart it after. Audited."),
                      entries, args, &exit_code))
    return exit_code;

  /* The rotation is audited, and the audit signed: the audit key is made
   * too if there is none yet. */
  if (!(db = open_database (&error)) ||
      !esc_service_keys_rotate (db, &resealed, &key_id, &error) ||
      !esc_service_db_audit_checkpoint (db, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  key_file = esc_service_keys_dup_key_file (db);
  /* Translators: "rotated: 12 passwords re-sealed under key 0123456789abcdef in /var/lib/…/service.sqlite3.key" */
  printf (ngettext ("rotated: %u password re-sealed under key %s in %s\n",
                    "rotated: %u passwords re-sealed under key %s in %s\n", resealed),
          resealed, key_id, key_file);

  return EXIT_OK;
}

/* device add, device import */

static int
cmd_device_add (GStrv *args)
{
  g_autofree char *name = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *group = NULL;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("The device’s name, e.g. MMD-03690457680"), N_("NAME") },
    { "serial", 's', 0, G_OPTION_ARG_STRING, &serial,
      N_("Its serial number"), N_("SERIAL") },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group,
      N_("Its update group: test, first, fast or broad (test devices get no elevation)"),
      N_("GROUP") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  int exit_code;

  if (!parse_command ("device add", _("Enrol one device."), entries, args, &exit_code))
    return exit_code;

  if (name == NULL || serial == NULL || group == NULL)
    return usage_error (_("--name, --serial and --group are required"));
  if (!esc_service_device_validate (name, serial, group, &error))
    return usage_error (error->message);

  if (!(db = open_database (&error)) ||
      !esc_service_devices_add (db, name, serial, group, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  /* Translators: "added MMD-03690457680 (serial 0123, group broad)" */
  printf (_("added %s (serial %s, group %s)\n"), name, serial, group);

  return EXIT_OK;
}

static int
cmd_device_import (GStrv *args)
{
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE.csv") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *added_text = NULL;
  g_autofree char *updated_text = NULL;
  gsize length = 0;
  guint added = 0;
  guint updated = 0;
  int exit_code;

  if (!parse_command ("device import",
                      _("Enrol the devices listed in a CSV file with the header "
                        "“name,serial,group”, in one transaction: a device whose serial number "
                        "is known gets the file’s name and group; any bad line stops the "
                        "import, names its line and changes nothing."),
                      entries, args, &exit_code))
    return exit_code;

  if (files == NULL || files[0] == NULL)
    return usage_error (_("No file given"));
  if (files[1] != NULL)
    return usage_error (_("Give one file"));

  if (!g_file_get_contents (files[0], &contents, &length, &error))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  if (!(db = open_database (&error)) ||
      !esc_service_devices_import (db, contents, length, &added, &updated, &error))
    {
      g_printerr ("escalade-service: %s: %s\n", files[0], error->message);
      if (db != NULL)
        g_printerr (_("escalade-service: nothing was imported\n"));
      return EXIT_ERROR;
    }

  /* Translators: how many devices were added, e.g. "12 added" in
   * "imported devices.csv: 12 added, 3 updated" */
  added_text = g_strdup_printf (ngettext ("%u added", "%u added", added), added);
  /* Translators: how many known devices were updated, e.g. "3 updated" in
   * "imported devices.csv: 12 added, 3 updated" */
  updated_text = g_strdup_printf (ngettext ("%u updated", "%u updated", updated), updated);
  /* Translators: the file, then "12 added", then "3 updated" */
  printf (_("imported %s: %s, %s\n"), files[0], added_text, updated_text);

  return EXIT_OK;
}

/* designation grant, designation revoke */

static int
cmd_designation (GStrv    *args,
                 gboolean  grant)
{
  g_autofree char *user = NULL;
  g_autofree char *capability = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *expires = NULL;
  const GOptionEntry grant_entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("The person’s name (they need the support-staff role)"), N_("NAME") },
    { "capability", 'c', 0, G_OPTION_ARG_STRING, &capability,
      N_("elevation or escalation"), N_("CAPABILITY") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why, for the record"), N_("TEXT") },
    { "expires", 0, 0, G_OPTION_ARG_STRING, &expires,
      N_("When the designation lapses, in RFC 3339 (default: never)"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry revoke_entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("The person’s name"), N_("NAME") },
    { "capability", 'c', 0, G_OPTION_ARG_STRING, &capability,
      N_("elevation or escalation"), N_("CAPABILITY") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(EscServiceDb) db = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  gboolean ok;
  int exit_code;

  if (!parse_command (grant ? "designation grant" : "designation revoke",
                      grant ? _("Designate a support staff member for elevation or "
                                "escalation, or change the reason and expiry of their "
                                "designation. Audited.")
                            : _("Withdraw a designation. Audited."),
                      grant ? grant_entries : revoke_entries, args, &exit_code))
    return exit_code;

  if (user == NULL || capability == NULL)
    return usage_error (_("--user and --capability are required"));
  if (!esc_service_capability_is_valid (capability))
    {
      g_autofree char *message =
        g_strdup_printf (_("Unknown capability “%s”; the capabilities are elevation and "
                           "escalation"), capability);
      return usage_error (message);
    }
  if (expires != NULL && !(expires_at = esc_time_parse (expires)))
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not an RFC 3339 time such as 2024-12-31T18:00:00Z"),
                         expires);
      return usage_error (message);
    }

  if (!(db = open_database (&error)))
    {
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  if (grant)
    ok = esc_service_staff_grant (db, user, capability, reason, expires_at, &error);
  else
    ok = esc_service_staff_revoke (db, user, capability, &error);

  if (!ok)
    {
      if (g_error_matches (error, ESC_SERVICE_ERROR, ESC_SERVICE_ERROR_INVALID_ARGUMENT))
        return usage_error (error->message);
      g_printerr ("escalade-service: %s\n", error->message);
      return EXIT_ERROR;
    }

  return EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const char *command;
  int exit_code;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The database and its WAL are readable by the service's user only. */
  umask (077);

  /* No core dumps and no ptrace by other processes of the same user: the
   * process holds the sealing key and, briefly, device passwords. */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_printerr ("escalade-service: warning: could not make the process undumpable: %s\n",
                g_strerror (errno));

  g_set_prgname ("escalade-service");

  context = g_option_context_new (_("COMMAND [OPTION…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("The reference server of Escalade’s service API (v1)."));
  g_option_context_set_description (context, _(commands_summary));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, database_entries, GETTEXT_PACKAGE);
  /* Stop at the command: what follows belongs to it. */
  g_option_context_set_strict_posix (context, TRUE);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    return usage_error (error->message);

  if (version)
    {
      printf ("escalade-service %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (g_strv_length (args) < 2)
    return usage_error (_("No command given"));

  command = args[1];

  if (strcmp (command, "serve") == 0)
    {
      g_auto(GStrv) sub = g_strdupv (args + 1);

      exit_code = cmd_serve (&sub);
    }
  else if (strcmp (command, "migrate") == 0)
    {
      g_auto(GStrv) sub = g_strdupv (args + 1);

      exit_code = cmd_migrate (&sub);
    }
  else if (strcmp (command, "token") == 0 && args[2] != NULL &&
           (strcmp (args[2], "create") == 0 || strcmp (args[2], "revoke") == 0 ||
            strcmp (args[2], "list") == 0))
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      if (strcmp (args[2], "create") == 0)
        exit_code = cmd_token_create (&sub);
      else if (strcmp (args[2], "list") == 0)
        exit_code = cmd_token_list (&sub);
      else
        exit_code = cmd_token_revoke (&sub);
    }
  else if (strcmp (command, "token") == 0)
    {
      exit_code = usage_error (_("“token” needs a subcommand: create, list or revoke"));
    }
  else if (strcmp (command, "person") == 0 && args[2] != NULL &&
           (strcmp (args[2], "import") == 0 || strcmp (args[2], "disable") == 0))
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      if (strcmp (args[2], "import") == 0)
        exit_code = cmd_person_import (&sub);
      else
        exit_code = cmd_person_disable (&sub);
    }
  else if (strcmp (command, "person") == 0)
    {
      exit_code = usage_error (_("“person” needs a subcommand: import or disable"));
    }
  else if (strcmp (command, "role") == 0 && args[2] != NULL && strcmp (args[2], "remove") == 0)
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      exit_code = cmd_role_remove (&sub);
    }
  else if (strcmp (command, "role") == 0)
    {
      exit_code = usage_error (_("“role” needs a subcommand: remove"));
    }
  else if (strcmp (command, "audit") == 0 && args[2] != NULL && strcmp (args[2], "verify") == 0)
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      exit_code = cmd_audit_verify (&sub);
    }
  else if (strcmp (command, "audit") == 0)
    {
      exit_code = usage_error (_("“audit” needs a subcommand: verify"));
    }
  else if (strcmp (command, "key") == 0 && args[2] != NULL && strcmp (args[2], "rotate") == 0)
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      exit_code = cmd_key_rotate (&sub);
    }
  else if (strcmp (command, "key") == 0)
    {
      exit_code = usage_error (_("“key” needs a subcommand: rotate"));
    }
  else if (strcmp (command, "device") == 0 && args[2] != NULL &&
           (strcmp (args[2], "add") == 0 || strcmp (args[2], "import") == 0))
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      if (strcmp (args[2], "add") == 0)
        exit_code = cmd_device_add (&sub);
      else
        exit_code = cmd_device_import (&sub);
    }
  else if (strcmp (command, "device") == 0)
    {
      exit_code = usage_error (_("“device” needs a subcommand: add or import"));
    }
  else if (strcmp (command, "designation") == 0 && args[2] != NULL &&
           (strcmp (args[2], "grant") == 0 || strcmp (args[2], "revoke") == 0))
    {
      g_auto(GStrv) sub = g_strdupv (args + 2);

      exit_code = cmd_designation (&sub, strcmp (args[2], "grant") == 0);
    }
  else if (strcmp (command, "designation") == 0)
    {
      exit_code = usage_error (_("“designation” needs a subcommand: grant or revoke"));
    }
  else
    {
      g_autofree char *message = g_strdup_printf (_("Unknown command “%s”"), command);

      exit_code = usage_error (message);
    }

  g_clear_pointer (&opt_database, g_free);
  g_clear_pointer (&opt_key_file, g_free);
  g_clear_pointer (&opt_audit_key_file, g_free);

  return exit_code;
}
