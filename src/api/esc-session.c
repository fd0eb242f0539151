/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-session.h"

/* How long after the workspace opened its whole file is checked: once the list is shown, as the
 * check reads every page of it. */
#define CHECK_DELAY_SECONDS 2

struct _EscSession
{
  GObject             parent_instance;

  /* Borrowed: the application owns the session (weak) */
  GApplication       *application;

  /* Owned references, from the start */
  EscClient          *client;
  EscAccount         *account;
  EscConnectionCheck *connection_check;
  GCancellable       *cancellable;

  /* Owned references, once the workspace is open */
  EscWorkspace       *workspace;
  EscMirror          *mirror;
  EscOutbox          *outbox;
  EscOutboxSender    *sender;
  EscSync            *sync;
  EscRequestNotifier *notifier;

  GError             *workspace_error;
  guint               check_source;
};

G_DEFINE_FINAL_TYPE (EscSession, esc_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_CLIENT,
  PROP_ACCOUNT,
  PROP_WORKSPACE,
  PROP_WORKSPACE_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The mirror, the outbox and who sends and syncs them, for the workspace: they live as long as
 * the session does, and wait by themselves until the account can send. */
static void
adopt_workspace (EscSession   *self,
                 EscWorkspace *workspace)
{
  self->workspace = g_object_ref (workspace);
  esc_client_set_workspace (self->client, workspace);

  self->mirror = esc_mirror_new (workspace);
  self->outbox = esc_outbox_new (self->mirror);
  self->sender = esc_outbox_sender_new (self->account, self->outbox);
  self->sync = esc_sync_new (self->account, self->mirror);
}

static void
set_workspace_error (EscSession *self,
                     GError     *error)
{
  g_clear_error (&self->workspace_error);
  self->workspace_error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE_ERROR]);
}

/* A damaged workspace is no longer written to */
static void
workspace_checked_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(EscSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (esc_workspace_check_finish (ESC_WORKSPACE (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_warning ("%s", error->message);
  if (self->sync != NULL)
    esc_sync_stop (self->sync);
  if (self->sender != NULL)
    esc_outbox_sender_stop (self->sender);
  set_workspace_error (self, g_steal_pointer (&error));
}

static gboolean
check_workspace_cb (gpointer user_data)
{
  EscSession *self = user_data;

  self->check_source = 0;
  if (self->workspace != NULL)
    esc_workspace_check_async (self->workspace, self->cancellable, workspace_checked_cb,
                               g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
workspace_opened_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EscSession *self = g_task_get_source_object (task);
  g_autoptr(EscWorkspace) workspace = NULL;
  GError *error = NULL;

  workspace = esc_workspace_open_finish (result, &error);
  if (workspace == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_workspace_error (self, g_error_copy (error));
      g_task_return_error (task, error);
      return;
    }

  if (self->workspace == NULL)
    {
      adopt_workspace (self, workspace);
      esc_session_start (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
      self->check_source = g_timeout_add_seconds_full (G_PRIORITY_LOW, CHECK_DELAY_SECONDS,
                                                       check_workspace_cb, self, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

static void
esc_session_dispose (GObject *object)
{
  EscSession *self = (EscSession *)object;

  esc_session_stop (self);

  g_clear_object (&self->notifier);
  g_clear_object (&self->sync);
  g_clear_object (&self->sender);
  g_clear_object (&self->outbox);
  g_clear_object (&self->mirror);
  g_clear_object (&self->workspace);
  g_clear_object (&self->account);
  g_clear_object (&self->connection_check);
  g_clear_object (&self->client);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (esc_session_parent_class)->dispose (object);
}

static void
esc_session_finalize (GObject *object)
{
  EscSession *self = (EscSession *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->workspace_error);

  G_OBJECT_CLASS (esc_session_parent_class)->finalize (object);
}

static void
esc_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EscSession *self = ESC_SESSION (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_WORKSPACE_ERROR:
      g_value_set_boxed (value, self->workspace_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_session_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EscSession *self = ESC_SESSION (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_set_weak_pointer (&self->application, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_session_class_init (EscSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_session_dispose;
  object_class->finalize = esc_session_finalize;
  object_class->get_property = esc_session_get_property;
  object_class->set_property = esc_session_set_property;

  /**
   * EscSession:application: (nullable)
   *
   * The application that sends the desktop notifications; none without one.
   */
  properties[PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL, G_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ESC_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, ESC_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * EscSession:workspace: (nullable)
   *
   * The open workspace, NULL until then. When it is notified, the mirror, the outbox, the
   * sender and the sync are there too.
   */
  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, ESC_TYPE_WORKSPACE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EscSession:workspace-error: (nullable)
   *
   * Why the workspace could not be opened, or why it is no longer written to.
   */
  properties[PROP_WORKSPACE_ERROR] =
    g_param_spec_boxed ("workspace-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_session_init (EscSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->client = esc_client_new ();
  self->account = esc_account_new (self->client);
  self->connection_check = esc_connection_check_new (self->client);
}

/**
 * esc_session_new:
 * @application: (nullable): the application, which sends the desktop notifications
 *
 * Returns: (transfer full): a session with a client and an account, and no workspace yet
 */
EscSession *
esc_session_new (GApplication *application)
{
  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);

  return g_object_new (ESC_TYPE_SESSION,
                       "application", application,
                       NULL);
}

EscClient *
esc_session_get_client (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->client;
}

EscAccount *
esc_session_get_account (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->account;
}

EscConnectionCheck *
esc_session_get_connection_check (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->connection_check;
}

EscWorkspace *
esc_session_get_workspace (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->workspace;
}

const GError *
esc_session_get_workspace_error (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->workspace_error;
}

EscMirror *
esc_session_get_mirror (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->mirror;
}

EscOutbox *
esc_session_get_outbox (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->outbox;
}

EscOutboxSender *
esc_session_get_sender (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->sender;
}

EscSync *
esc_session_get_sync (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->sync;
}

EscRequestNotifier *
esc_session_get_notifier (EscSession *self)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), NULL);
  return self->notifier;
}

/**
 * esc_session_open_workspace_async:
 * @self: a #EscSession without a workspace
 * @path: the workspace file (made if missing)
 * @cancellable: (nullable): a #GCancellable; esc_session_stop() cancels too
 * @callback: (nullable): called once the workspace is open, or could not be
 * @user_data: data for @callback
 *
 * Opens the workspace in a thread. Once it is open the sender and the sync run, the notifier
 * watches (for a session of an application), and "workspace" is notified; otherwise
 * "workspace-error" is.
 */
void
esc_session_open_workspace_async (EscSession          *self,
                                  const char          *path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ESC_IS_SESSION (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_session_open_workspace_async);

  esc_workspace_open_async (path, cancellable != NULL ? cancellable : self->cancellable,
                            workspace_opened_cb, g_steal_pointer (&task));
}

gboolean
esc_session_open_workspace_finish (EscSession    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (ESC_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * esc_session_set_workspace:
 * @self: a #EscSession without a workspace
 * @workspace: an open workspace
 *
 * Takes a workspace opened elsewhere (tests and benchmarks open it synchronously). The mirror,
 * outbox, sender and sync are made for it, but not started: see esc_session_start().
 */
void
esc_session_set_workspace (EscSession   *self,
                           EscWorkspace *workspace)
{
  g_return_if_fail (ESC_IS_SESSION (self));
  g_return_if_fail (ESC_IS_WORKSPACE (workspace));
  g_return_if_fail (self->workspace == NULL);

  adopt_workspace (self, workspace);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

/**
 * esc_session_start:
 * @self: a #EscSession with a workspace
 *
 * Starts the outbox sender, the sync and the connection check, and for a session of an
 * application, the notifications about the signed-in person's requests.
 */
void
esc_session_start (EscSession *self)
{
  g_return_if_fail (ESC_IS_SESSION (self));
  g_return_if_fail (self->workspace != NULL);

  esc_outbox_sender_start (self->sender);
  esc_sync_start (self->sync);
  esc_connection_check_start (self->connection_check);

  if (self->notifier == NULL && self->application != NULL)
    self->notifier = esc_request_notifier_new (self->application, self->account, self->mirror);
}

/**
 * esc_session_stop:
 * @self: a #EscSession
 *
 * Stops the sender and the sync, and cancels what the session has under way (the opening of
 * the workspace, its check). The application calls it at shutdown.
 */
void
esc_session_stop (EscSession *self)
{
  g_return_if_fail (ESC_IS_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);

  if (self->connection_check != NULL)
    esc_connection_check_stop (self->connection_check);
  if (self->sender != NULL)
    esc_outbox_sender_stop (self->sender);
  if (self->sync != NULL)
    esc_sync_stop (self->sync);
}
