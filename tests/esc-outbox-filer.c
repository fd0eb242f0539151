/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <stdio.h>

#include "esc-account.h"
#include "esc-client.h"
#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-workspace.h"

/* A tiny Escalade without a window, for the tests that kill the app: it opens
 * a workspace, restores the session from the keyring, optionally queues
 * support requests in the outbox, then sends until the outbox is empty. The
 * test kills it with SIGKILL while requests are on their way, and runs it
 * again (without --queue) to see that each request reaches the service once.
 *
 * Prints "queued N" once the requests are in the workspace, then "done". */

static char *workspace_path;
static char *service_url;
static char *user;
static char *prefix = "Filed by esc-outbox-filer";
static int queue_count;
static int timeout_seconds = 2;
static int retry_ms = 50;

static const GOptionEntry entries[] = {
  { "workspace", 0, 0, G_OPTION_ARG_FILENAME, &workspace_path, "The workspace", "FILE" },
  { "service", 0, 0, G_OPTION_ARG_STRING, &service_url, "The service's URL", "URL" },
  { "user", 0, 0, G_OPTION_ARG_STRING, &user, "The account in the keyring", "NAME" },
  { "queue", 0, 0, G_OPTION_ARG_INT, &queue_count, "Support requests to queue first", "N" },
  { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix, "Their titles' prefix", "TEXT" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_seconds, "The client's timeout", "SECONDS" },
  { "retry-ms", 0, 0, G_OPTION_ARG_INT, &retry_ms, "The shortest back-off", "MS" },
  { NULL }
};

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static EscSupportRequest *
new_request (const char *title)
{
  g_autoptr(EscSupportContact) contact = NULL;
  EscSupportRequest *request = esc_support_request_new ();

  contact = esc_support_contact_new ("Camille", "Martin", "camille@example.org",
                                     "+33 1 23 45 67 89", ESC_CONTACT_METHOD_EMAIL, "fr");
  esc_support_request_set_kind (request, ESC_SUPPORT_REQUEST_KIND_ADMIN);
  esc_support_request_set_request_type (request, ESC_SUPPORT_REQUEST_TYPE_INCIDENT);
  esc_support_request_set_severity (request, ESC_SUPPORT_SEVERITY_C);
  esc_support_request_set_category (request, "devices");
  esc_support_request_set_subcategory (request, "configuration-policy");
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, "Filed by the test's own app.");
  esc_support_request_set_contact (request, contact);

  return request;
}

static gboolean
outbox_is_empty (EscOutbox *outbox)
{
  g_autoptr(GPtrArray) queued = esc_outbox_list_queued (outbox, service_url, user, NULL);

  return queued != NULL && queued->len == 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(EscWorkspace) workspace = NULL;
  g_autoptr(EscMirror) mirror = NULL;
  g_autoptr(EscOutbox) outbox = NULL;
  g_autoptr(EscClient) client = NULL;
  g_autoptr(EscAccount) account = NULL;
  g_autoptr(EscOutboxSender) sender = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(EscIdentity) identity = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      workspace_path == NULL || service_url == NULL || user == NULL)
    {
      g_printerr ("esc-outbox-filer: %s\n", error != NULL ? error->message
                                                         : "--workspace, --service and --user are needed");
      return 2;
    }

  if (!(workspace = esc_workspace_open (workspace_path, &error)))
    {
      g_printerr ("esc-outbox-filer: %s\n", error->message);
      return 1;
    }
  mirror = esc_mirror_new (workspace);
  outbox = esc_outbox_new (mirror);

  client = esc_client_new ();
  esc_client_set_timeout (client, timeout_seconds);
  account = esc_account_new (client);

  /* As the app does at start: the token from the keyring. */
  esc_account_restore_async (account, service_url, user, NULL, on_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  identity = esc_account_restore_finish (account, result, &error);
  if (identity == NULL && !esc_account_can_send (account))
    {
      g_printerr ("esc-outbox-filer: %s\n", error->message);
      return 1;
    }
  g_clear_error (&error);

  sender = esc_outbox_sender_new (account, outbox);
  esc_outbox_sender_set_retry_delays (sender, retry_ms, retry_ms * 8);

  for (int i = 1; i <= queue_count; i++)
    {
      g_autofree char *title = g_strdup_printf ("%s %d", prefix, i);
      g_autoptr(EscSupportRequest) request = new_request (title);
      g_autoptr(EscOutboxItem) item = NULL;

      item = esc_outbox_sender_file_support_request (sender, request, NULL, &error);
      if (item == NULL)
        {
          g_printerr ("esc-outbox-filer: %s\n", error->message);
          return 1;
        }
    }
  printf ("queued %d\n", queue_count);
  fflush (stdout);

  esc_outbox_sender_start (sender);
  while (!outbox_is_empty (outbox) || esc_outbox_sender_get_sending (sender))
    {
      if (esc_account_get_state (account) == ESC_ACCOUNT_STATE_NEEDS_SIGN_IN)
        {
          g_printerr ("esc-outbox-filer: %s\n", esc_account_get_last_error (account));
          return 4;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  esc_outbox_sender_stop (sender);
  printf ("done\n");
  fflush (stdout);

  return esc_outbox_get_n_refused (outbox) == 0 ? 0 : 3;
}
