/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-app"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "esc-application.h"
#include "esc-matrix-export.h"
#include "esc-preferences-window.h"
#include "esc-window.h"

/* EscApplication is the GApplication: the command line, the actions and the windows. The
 * long-lived state (the client, the account, the workspace and what works on it) is its
 * EscSession, which the windows are views onto. */
struct _EscApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  EscSession     *session;
  GCancellable   *cancellable;

  /* From the command line */
  char           *workspace_path;
  char           *service_url;
  char           *token;

  guint           opening : 1;
};

G_DEFINE_FINAL_TYPE (EscApplication, esc_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "workspace", 'w', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the workspace FILE instead of the profile’s"), N_("FILE") },
  { "service", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to the Escalade service at URL"), N_("URL") },
  { "token-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Read the token for --service from standard input and keep it in the keyring"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Export the roles or routing matrix to --output and exit, without a display"),
    N_("roles|routing") },
  { "format", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The format of --export: csv or pdf"), N_("csv|pdf") },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("The file --export writes (replaced whole, or left as it was)"), N_("FILE") },
  { "paper", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The paper of a PDF export, landscape: a4 (the default) or letter"), N_("a4|letter") },
  { "separator", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The field separator of a CSV export: comma (the default) or semicolon"),
    N_("comma|semicolon") },
  { NULL }
};

static void
wipe_token (EscApplication *self)
{
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
}

static char *
read_token_from_stdin (GError **error)
{
  char buffer[4096];
  char *token;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("--token-stdin was given, but standard input holds no token"));
      return NULL;
    }

  token = g_strstrip (g_strdup (buffer));
  memset (buffer, 0, sizeof buffer);

  return token;
}

/* escalade --export: the same export as the Roles and Routing screens, with no
 * display and no service; the exit status says whether the file was written. */
static int
run_export (EscApplication *self,
            GVariantDict   *options)
{
  EscExportOptions export = { ESC_MATRIX_ROLES, ESC_EXPORT_CSV, ESC_PAPER_A4, ',' };
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscExportJob) job = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *paper = NULL;
  g_autofree char *separator = NULL;
  g_autofree char *path = NULL;

  g_variant_dict_lookup (options, "export", "s", &kind);
  g_variant_dict_lookup (options, "format", "s", &format);
  g_variant_dict_lookup (options, "output", "^ay", &output);
  g_variant_dict_lookup (options, "paper", "s", &paper);
  g_variant_dict_lookup (options, "separator", "s", &separator);

  if (!esc_matrix_kind_from_string (kind, &export.kind))
    {
      g_printerr (_("--export takes “roles” or “routing”, not “%s”\n"), kind);
      return 2;
    }
  if (format == NULL || !esc_export_format_from_string (format, &export.format))
    {
      g_printerr ("%s\n", _("--export needs --format csv or --format pdf"));
      return 2;
    }
  if (output == NULL || *output == '\0')
    {
      g_printerr ("%s\n", _("--export needs --output FILE"));
      return 2;
    }
  if (paper != NULL && !esc_paper_from_string (paper, &export.paper))
    {
      g_printerr (_("--paper takes “a4” or “letter”, not “%s”\n"), paper);
      return 2;
    }
  if (separator != NULL && !esc_export_separator_from_string (separator, &export.separator))
    {
      g_printerr (_("--separator takes “comma” or “semicolon”, not “%s”\n"), separator);
      return 2;
    }

  if (self->workspace_path != NULL)
    path = g_strdup (self->workspace_path);
  else
    {
      g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
      g_autofree char *profile = g_settings_get_string (settings, "profile");

      path = esc_workspace_dup_default_path (profile);
    }

  workspace = esc_workspace_open (path, &error);
  if (workspace == NULL)
    {
      g_printerr ("%s\n", error->message);  /* NOLINT(clang-analyzer-core.NullDereference) */
      return 1;
    }

  now = g_date_time_new_now_local ();
  job = esc_export_job_new (workspace, &export, now);
  file = g_file_new_for_commandline_arg (output);
  if (!esc_export_job_run (job, file, NULL, NULL, NULL, &error))
    {
      g_printerr ("%s\n", error->message);  /* NOLINT(clang-analyzer-core.NullDereference) */
      return 1;
    }

  return 0;
}

static int
esc_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  EscApplication *self = ESC_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "workspace", "^ay", &self->workspace_path);
  g_variant_dict_lookup (options, "service", "s", &self->service_url);

  if (g_variant_dict_contains (options, "export"))
    return run_export (self, options);
  if (g_variant_dict_contains (options, "format") || g_variant_dict_contains (options, "output") ||
      g_variant_dict_contains (options, "paper") || g_variant_dict_contains (options, "separator"))
    {
      g_printerr ("%s\n", _("--format, --output, --paper and --separator go with --export"));
      return 2;
    }

  if (g_variant_dict_contains (options, "token-stdin"))
    {
      if (self->service_url == NULL)
        {
          g_printerr ("%s\n", _("--token-stdin needs --service URL"));
          return 2;
        }

      self->token = read_token_from_stdin (&error);
      if (self->token == NULL)
        {
          /* read_token_from_stdin() sets @error whenever it returns NULL */
          g_printerr ("%s\n", error->message);  /* NOLINT(clang-analyzer-core.NullDereference) */
          return 2;
        }
    }

  /* Another workspace is another instance: do not hand it to a running one */
  if (self->workspace_path != NULL || self->token != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (esc_application_parent_class)->handle_local_options (app, options);
}

static void
remember_account_cb (EscApplication *self)
{
  EscAccount *account = esc_session_get_account (self->session);
  EscIdentity *identity = esc_account_get_identity (account);

  if (identity == NULL || !esc_account_get_token_saved (account))
    return;

  g_settings_set_string (self->settings, "service-url", esc_account_get_service_url (account));
  g_settings_set_string (self->settings, "account-user", esc_account_get_user (account));
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  /* The outcome is shown from the account's properties; this only logs it */
  identity = esc_account_sign_in_finish (ESC_ACCOUNT (object), result, &error);
  if (identity == NULL)
    g_debug ("Sign-in failed: %s", error->message);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = esc_account_restore_finish (ESC_ACCOUNT (object), result, &error);
  if (identity == NULL)
    g_debug ("Could not restore the session: %s", error->message);
}

static void
start_account (EscApplication *self)
{
  EscAccount *account = esc_session_get_account (self->session);
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;

  if (self->token != NULL)
    {
      esc_account_sign_in_async (account, self->service_url, self->token,
                                 self->cancellable, signed_in_cb, NULL);
      wipe_token (self);
      return;
    }

  url = self->service_url != NULL ? g_strdup (self->service_url)
                                   : g_settings_get_string (self->settings, "service-url");
  user = g_settings_get_string (self->settings, "account-user");

  if (*url != '\0')
    {
      g_autoptr(GError) error = NULL;

      /* Prefill the preferences even when there is no token to restore */
      if (!esc_client_set_base_url (esc_session_get_client (self->session), url, &error))
        g_debug ("Ignoring the saved service URL: %s", error->message);
    }

  if (*url != '\0' && *user != '\0')
    esc_account_restore_async (account, url, user, self->cancellable, restored_cb, NULL);
}

static void
workspace_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EscApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The windows show the workspace, or why there is none, from the session */
  self->opening = FALSE;
  if (!esc_session_open_workspace_finish (ESC_SESSION (object), result, &error))
    g_debug ("The workspace is not open: %s", error->message);
}

static void
esc_application_activate (GApplication *app)
{
  EscApplication *self = ESC_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (esc_window_new (GTK_APPLICATION (self), self->session));

  gtk_window_present (window);

  if (esc_session_get_workspace (self->session) == NULL &&
      esc_session_get_workspace_error (self->session) == NULL && !self->opening)
    {
      g_autofree char *path = NULL;

      if (self->workspace_path != NULL)
        path = g_strdup (self->workspace_path);
      else
        {
          g_autofree char *profile = g_settings_get_string (self->settings, "profile");
          path = esc_workspace_dup_default_path (profile);
        }

      self->opening = TRUE;
      esc_session_open_workspace_async (self->session, path, self->cancellable, workspace_opened_cb,
                                        g_object_ref (self));
      start_account (self);
    }
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  EscApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  EscPreferencesWindow *preferences;

  preferences = esc_preferences_window_new (parent, self->session);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  EscApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Escalade team", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Escalade"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", _("The Escalade team"),
                         "developers", developers,
                         "comments", _("Run user support for a fleet of managed desktops: SLAs, designated support staff, routing, roles, just-in-time admin access and support requests."),
                         "website", "https://github.com/escalade/escalade",
                         "issue-url", "https://github.com/escalade/escalade/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2026 The Escalade team",
                         "translator-credits", _("translator-credits"),
                         NULL);
}

/* From a notification: the request, on the Requests screen */
static void
show_request_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  EscApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (ESC_IS_WINDOW (window))
    esc_window_show_request (ESC_WINDOW (window), g_variant_get_string (parameter, NULL));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "show-request", show_request_action, "s" },
  { "quit", quit_action },
};

static void
esc_application_startup (GApplication *app)
{
  EscApplication *self = ESC_APPLICATION (app);
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (esc_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  /* GtkApplication sets this one up for a gtk/help-overlay.ui resource, which
   * it builds with every window: EscWindow builds its own when first shown */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);

  self->settings = g_settings_new (APPLICATION_ID);
  self->session = esc_session_new (G_APPLICATION (self));
  g_signal_connect_object (esc_session_get_account (self->session), "notify::identity",
                           G_CALLBACK (remember_account_cb), self, G_CONNECT_SWAPPED);
}

static void
esc_application_shutdown (GApplication *app)
{
  EscApplication *self = ESC_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    esc_session_stop (self->session);

  G_APPLICATION_CLASS (esc_application_parent_class)->shutdown (app);
}

static void
esc_application_finalize (GObject *object)
{
  EscApplication *self = (EscApplication *)object;

  wipe_token (self);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->workspace_path, g_free);
  g_clear_pointer (&self->service_url, g_free);

  G_OBJECT_CLASS (esc_application_parent_class)->finalize (object);
}

static void
esc_application_class_init (EscApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = esc_application_finalize;

  app_class->handle_local_options = esc_application_handle_local_options;
  app_class->startup = esc_application_startup;
  app_class->activate = esc_application_activate;
  app_class->shutdown = esc_application_shutdown;
}

static void
esc_application_init (EscApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run user support for a fleet of managed desktops."));
}

/**
 * esc_application_new:
 *
 * Returns: (transfer full): the application
 */
EscApplication *
esc_application_new (void)
{
  return g_object_new (ESC_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/escalade/Escalade",
                       NULL);
}

/**
 * esc_application_get_session:
 * @self: a #EscApplication
 *
 * Returns: (transfer none) (nullable): the application's session, from its startup on
 */
EscSession *
esc_application_get_session (EscApplication *self)
{
  g_return_val_if_fail (ESC_IS_APPLICATION (self), NULL);
  return self->session;
}
