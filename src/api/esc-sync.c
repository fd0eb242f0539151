/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-api-requests.h"
#include "esc-core-error.h"
#include "esc-sync.h"

#define DEFAULT_INTERVAL_SECONDS 60
#define PAGE_LIMIT 200
#define AUDIT_PAGE_LIMIT 500

typedef enum
{
  STEP_SUPPORT_REQUESTS,
  STEP_SUPPORT_MODEL,
  STEP_STAFF,
  STEP_AUDIT,
  STEP_ADMIN_CONTACTS,
  STEP_DONE,
} Step;

/* One sync in progress. */
typedef struct
{
  char         *service;
  char         *account;
  gboolean      it_admin;       /* or unknown while offline: then 403s are ignored */
  gboolean      identity_known;
  Step          step;
  char         *page_cursor;    /* next_cursor of the support requests */
} Run;

struct _EscSync
{
  GObject       parent_instance;

  EscAccount   *account;
  EscMirror    *mirror;

  GCancellable *cancellable;
  Run          *run;            /* NULL when idle */
  GPtrArray    *waiters;        /* GTask, answered when the current run ends */
  GPtrArray    *next_waiters;   /* GTask, answered by the run after it */
  guint         timer;
  guint         interval;
  guint         failures;       /* runs in a row that could not reach the service */
  GDateTime    *last_synced;
  char         *last_error;
  guint         started : 1;
};

G_DEFINE_FINAL_TYPE (EscSync, esc_sync, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_MIRROR,
  PROP_LAST_SYNCED,
  PROP_SYNCING,
  PROP_LAST_ERROR,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_run (EscSync *self);
static void next_step (EscSync *self);
static void on_reachable_cb (EscSync *self);

static void
run_free (Run *run)
{
  g_free (run->service);
  g_free (run->account);
  g_free (run->page_cursor);
  g_free (run);
}

static void
set_last_error (EscSync    *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
load_last_synced (EscSync *self)
{
  const char *service = esc_account_get_service_url (self->account);
  const char *user = esc_account_get_user (self->account);
  g_autoptr(GDateTime) stored = NULL;

  if (service != NULL && user != NULL)
    stored = esc_mirror_dup_last_synced (self->mirror, service, user);

  if (stored == NULL && self->last_synced == NULL)
    return;
  if (stored != NULL && self->last_synced != NULL && g_date_time_equal (stored, self->last_synced))
    return;

  g_clear_pointer (&self->last_synced, g_date_time_unref);
  self->last_synced = g_steal_pointer (&stored);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
}

static gboolean
timer_cb (gpointer user_data)
{
  EscSync *self = user_data;

  self->timer = 0;
  if (self->run == NULL)
    start_run (self);

  return G_SOURCE_REMOVE;
}

/* Every interval; after a run that could not reach the service, sooner
 * (2 s, 4 s, 8 s… up to the interval), so that "Offline — retrying" is
 * true and the app sees the service back without waiting a full interval. */
static void
schedule (EscSync *self)
{
  guint seconds = self->interval;

  if (self->failures > 0 && self->failures < 31)
    seconds = MIN (seconds, 1u << self->failures);

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->started)
    self->timer = g_timeout_add_seconds (seconds, timer_cb, self);
}

static void
answer_waiters (GPtrArray    *waiters,
                const GError *error)
{
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_ptr_array_set_size (waiters, 0);
}

/* Takes @error (nullable). */
static void
finish_run (EscSync *self,
            GError  *error)
{
  g_autoptr(GPtrArray) waiters = NULL;

  if (error == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GError) store_error = NULL;

      if (!esc_mirror_set_last_synced (self->mirror, self->run->service, self->run->account, now,
                                       &store_error))
        g_debug ("Could not store the time of the sync: %s", store_error->message);
      set_last_error (self, NULL);
      load_last_synced (self);
      self->failures = 0;
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Sync failed: %s", error->message);
      if (esc_api_error_is_transient (error))
        self->failures++;
      else
        self->failures = 0;
      set_last_error (self, error->message);
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED))
        esc_account_report_unauthorized (self->account, error);
    }

  g_clear_pointer (&self->run, run_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_steal_pointer (&self->next_waiters);
  self->next_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  answer_waiters (waiters, error);
  g_clear_error (&error);

  /* Someone asked while this one ran: what they expect may have changed
   * after this run read it. */
  if (self->waiters->len > 0)
    start_run (self);
  else
    schedule (self);
}

static void
invalid_answer (GError **error,
                GError  *cause)
{
  g_set_error (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
               _("The service sent an answer that could not be read: %s"), cause->message);
}

static void
support_requests_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(EscSync) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  GError *error = NULL;
  JsonArray *items = NULL;
  JsonNode *next = NULL;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      finish_run (self, error);
      return;
    }

  if (!esc_api_read_page (answer, "next_cursor", &items, &next, &error))
    {
      finish_run (self, error);
      return;
    }

  /* Each item must read as a request before any is stored. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autoptr(EscSupportRequest) request = NULL;
      g_autoptr(GError) item_error = NULL;

      request = esc_support_request_new_from_json (json_array_get_element (items, i),
                                                   ESC_SUPPORT_REQUEST_JSON_RESOURCE,
                                                   NULL, &item_error);
      if (request == NULL)
        {
          invalid_answer (&error, item_error);
          finish_run (self, error);
          return;
        }
    }

  if (!esc_mirror_store_support_requests (self->mirror, self->run->service, self->run->account,
                                          items, &error))
    {
      finish_run (self, error);
      return;
    }

  g_clear_pointer (&self->run->page_cursor, g_free);
  if (next != NULL && JSON_NODE_HOLDS_VALUE (next) &&
      json_node_get_value_type (next) == G_TYPE_STRING)
    self->run->page_cursor = g_strdup (json_node_get_string (next));
  else
    self->run->step = STEP_SUPPORT_MODEL;

  next_step (self);
}

static void
support_model_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EscSync) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(EscSupportModel) model = NULL;
  g_autoptr(GError) item_error = NULL;
  GError *error = NULL;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);

  /* A service older than the support model: the workspace keeps its own */
  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      self->run->step = STEP_STAFF;
      next_step (self);
      return;
    }
  if (answer == NULL)
    {
      finish_run (self, error);
      return;
    }
  if (!(model = esc_support_model_new_from_json (answer, FALSE, &item_error)))
    {
      invalid_answer (&error, item_error);
      finish_run (self, error);
      return;
    }
  if (!esc_sync_store_support_model (esc_mirror_get_workspace (self->mirror), model, &error))
    {
      finish_run (self, error);
      return;
    }

  self->run->step = STEP_STAFF;
  next_step (self);
}

static void
staff_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EscSync) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  GError *error = NULL;
  JsonArray *items = NULL;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);

  /* Not an IT administrator after all (offline, we could not know). */
  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN) && !self->run->identity_known)
    {
      g_clear_error (&error);
      self->run->step = STEP_DONE;
      next_step (self);
      return;
    }

  if (answer == NULL ||
      !esc_api_read_page (answer, NULL, &items, NULL, &error) ||
      !esc_mirror_store_staff (self->mirror, self->run->service, items, &error))
    {
      finish_run (self, error);
      return;
    }

  self->run->step = STEP_AUDIT;
  next_step (self);
}

static void
audit_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(EscSync) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  GError *error = NULL;
  JsonArray *items = NULL;
  JsonNode *next = NULL;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);

  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN) && !self->run->identity_known)
    {
      g_clear_error (&error);
      self->run->step = STEP_DONE;
      next_step (self);
      return;
    }

  if (answer == NULL ||
      !esc_api_read_page (answer, "next_after", &items, &next, &error) ||
      !esc_mirror_store_audit_events (self->mirror, self->run->service, self->run->account, items,
                                      &error))
    {
      finish_run (self, error);
      return;
    }

  /* next_after is null when there is nothing more right now. */
  if (next == NULL || json_array_get_length (items) == 0)
    self->run->step = STEP_ADMIN_CONTACTS;

  next_step (self);
}

/* The admin contacts, whole each time (five at most): mirrored so that the
 * Staff & access screen shows them, and flags a missing one, offline too */
static void
admin_contacts_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EscSync) self = user_data;
  g_autoptr(JsonNode) answer = NULL;
  GError *error = NULL;
  JsonArray *items = NULL;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);

  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN) && !self->run->identity_known)
    {
      g_clear_error (&error);
      self->run->step = STEP_DONE;
      next_step (self);
      return;
    }

  if (answer == NULL ||
      !esc_api_read_page (answer, NULL, &items, NULL, &error) ||
      !esc_mirror_store_admin_contacts (self->mirror, self->run->service, items, &error))
    {
      finish_run (self, error);
      return;
    }

  self->run->step = STEP_DONE;
  next_step (self);
}

static void
next_step (EscSync *self)
{
  EscClient *client = esc_account_get_client (self->account);
  Run *run = self->run;

  switch (run->step)
    {
    case STEP_SUPPORT_REQUESTS:
      {
        g_autofree char *since = esc_mirror_dup_cursor (self->mirror, run->service, run->account,
                                                        "support-requests");
        g_autoptr(EscApiRequest) request = esc_api_request_list_support_requests (PAGE_LIMIT, since,
                                                                                  run->page_cursor);

        esc_client_call_async (client, request->method, request->path, NULL, NULL, self->cancellable,
                               support_requests_cb, g_object_ref (self));
        return;
      }

    case STEP_SUPPORT_MODEL:
      {
        g_autoptr(EscApiRequest) request = esc_api_request_get_support_model ();

        esc_client_call_async (client, request->method, request->path, NULL, NULL, self->cancellable,
                               support_model_cb, g_object_ref (self));
        return;
      }

    case STEP_STAFF:
      if (run->identity_known && !run->it_admin)
        {
          run->step = STEP_DONE;
          next_step (self);
          return;
        }
      {
        g_autoptr(EscApiRequest) request = esc_api_request_list_staff ();

        esc_client_call_async (client, request->method, request->path, NULL, NULL,
                               self->cancellable, staff_cb, g_object_ref (self));
        return;
      }

    case STEP_AUDIT:
      {
        g_autofree char *after = esc_mirror_dup_cursor (self->mirror, run->service, run->account,
                                                        "audit");
        g_autoptr(EscApiRequest) request = esc_api_request_list_audit (AUDIT_PAGE_LIMIT, after);

        esc_client_call_async (client, request->method, request->path, NULL, NULL,
                               self->cancellable, audit_cb, g_object_ref (self));
        return;
      }

    case STEP_ADMIN_CONTACTS:
      {
        g_autoptr(EscApiRequest) request = esc_api_request_list_admin_contacts ();

        esc_client_call_async (client, request->method, request->path, NULL, NULL,
                               self->cancellable, admin_contacts_cb, g_object_ref (self));
        return;
      }

    case STEP_DONE:
    default:
      finish_run (self, NULL);
      return;
    }
}

static void
start_run (EscSync *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  const char *service = esc_account_get_service_url (self->account);
  const char *user = esc_account_get_user (self->account);
  Run *run;

  g_clear_handle_id (&self->timer, g_source_remove);

  if (service != NULL)
    esc_mirror_set_service (self->mirror, service);

  if (!esc_account_can_send (self->account) || service == NULL || user == NULL)
    {
      g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                                   _("Sign in to the service to bring its requests in."));
      self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
      answer_waiters (waiters, error);
      /* Nothing to do until the account signs in: no timer. */
      return;
    }

  run = g_new0 (Run, 1);
  run->service = g_strdup (service);
  run->account = g_strdup (user);
  run->identity_known = identity != NULL;
  run->it_admin = identity != NULL && esc_identity_has_role (identity, "it-admin");
  run->step = STEP_SUPPORT_REQUESTS;
  self->run = run;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);

  next_step (self);
}

static void
on_account_changed_cb (EscSync *self)
{
  const char *service = esc_account_get_service_url (self->account);

  if (service != NULL)
    esc_mirror_set_service (self->mirror, service);
  load_last_synced (self);

  if (self->started && self->run == NULL && esc_account_can_send (self->account))
    start_run (self);
}

/* Another request got an answer after the last run could not reach the
 * service: sync now rather than at the next retry. */
static void
on_reachable_cb (EscSync *self)
{
  EscClient *client = esc_account_get_client (self->account);

  if (self->started && self->run == NULL && self->failures > 0 &&
      esc_client_get_reachable (client) && esc_account_can_send (self->account))
    start_run (self);
}

static void
esc_sync_dispose (GObject *object)
{
  EscSync *self = (EscSync *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_object (&self->mirror);

  G_OBJECT_CLASS (esc_sync_parent_class)->dispose (object);
}

static void
esc_sync_finalize (GObject *object)
{
  EscSync *self = (EscSync *)object;

  g_clear_pointer (&self->run, run_free);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->next_waiters, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (esc_sync_parent_class)->finalize (object);
}

static void
esc_sync_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  EscSync *self = ESC_SYNC (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_MIRROR:
      g_value_set_object (value, self->mirror);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_boxed (value, self->last_synced);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->run != NULL);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_sync_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  EscSync *self = ESC_SYNC (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    case PROP_MIRROR:
      self->mirror = g_value_dup_object (value);
      break;
    case PROP_INTERVAL:
      esc_sync_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_sync_constructed (GObject *object)
{
  EscSync *self = (EscSync *)object;

  G_OBJECT_CLASS (esc_sync_parent_class)->constructed (object);

  load_last_synced (self);
}

static void
esc_sync_class_init (EscSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = esc_sync_constructed;
  object_class->dispose = esc_sync_dispose;
  object_class->finalize = esc_sync_finalize;
  object_class->get_property = esc_sync_get_property;
  object_class->set_property = esc_sync_set_property;

  properties[PROP_ACCOUNT] = g_param_spec_object ("account", NULL, NULL, ESC_TYPE_ACCOUNT, construct);
  properties[PROP_MIRROR] = g_param_spec_object ("mirror", NULL, NULL, ESC_TYPE_MIRROR, construct);
  properties[PROP_LAST_SYNCED] = g_param_spec_boxed ("last-synced", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, G_MAXUINT, DEFAULT_INTERVAL_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_sync_init (EscSync *self)
{
  self->cancellable = g_cancellable_new ();
  self->interval = DEFAULT_INTERVAL_SECONDS;
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->next_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * esc_sync_new:
 * @account: the application's account
 * @mirror: the workspace's mirror
 *
 * Returns: (transfer full): a sync; call esc_sync_start()
 */
EscSync *
esc_sync_new (EscAccount *account,
              EscMirror  *mirror)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (ESC_IS_MIRROR (mirror), NULL);

  return g_object_new (ESC_TYPE_SYNC, "account", account, "mirror", mirror, NULL);
}

EscMirror *
esc_sync_get_mirror (EscSync *self)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), NULL);
  return self->mirror;
}

GDateTime *
esc_sync_get_last_synced (EscSync *self)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), NULL);
  return self->last_synced;
}

gboolean
esc_sync_get_syncing (EscSync *self)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), FALSE);
  return self->run != NULL;
}

const char *
esc_sync_get_last_error (EscSync *self)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), NULL);
  return self->last_error;
}

void
esc_sync_set_interval (EscSync *self,
                       guint    seconds)
{
  g_return_if_fail (ESC_IS_SYNC (self));
  g_return_if_fail (seconds > 0);

  if (self->interval == seconds)
    return;

  self->interval = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
esc_sync_get_interval (EscSync *self)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), 0);
  return self->interval;
}

/**
 * esc_sync_start:
 * @self: a #EscSync
 *
 * Syncs now if the account can, then every interval and whenever the account
 * signs in or switches.
 */
void
esc_sync_start (EscSync *self)
{
  g_return_if_fail (ESC_IS_SYNC (self));

  if (self->started)
    return;
  self->started = TRUE;

  g_signal_connect_swapped (self->account, "notify::state", G_CALLBACK (on_account_changed_cb), self);
  g_signal_connect_swapped (self->account, "notify::service-url",
                            G_CALLBACK (on_account_changed_cb), self);
  g_signal_connect_swapped (self->account, "notify::user", G_CALLBACK (on_account_changed_cb), self);
  g_signal_connect_object (esc_account_get_client (self->account), "notify::reachable",
                           G_CALLBACK (on_reachable_cb), self, G_CONNECT_SWAPPED);

  if (self->run == NULL)
    start_run (self);
}

void
esc_sync_stop (EscSync *self)
{
  g_return_if_fail (ESC_IS_SYNC (self));

  if (!self->started)
    return;
  self->started = FALSE;

  g_signal_handlers_disconnect_by_data (self->account, self);
  g_signal_handlers_disconnect_by_data (esc_account_get_client (self->account), self);
  g_clear_handle_id (&self->timer, g_source_remove);
}

/**
 * esc_sync_run_async:
 * @self: a #EscSync
 * @cancellable: (nullable): a #GCancellable (cancels the wait, not the sync)
 * @callback: called when the sync ended
 * @user_data: data for @callback
 *
 * Syncs now.
 */
void
esc_sync_run_async (EscSync             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ESC_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_sync_run_async);
  g_task_set_check_cancellable (task, FALSE);

  if (self->run != NULL)
    {
      g_ptr_array_add (self->next_waiters, g_steal_pointer (&task));
      return;
    }

  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
  start_run (self);
}

gboolean
esc_sync_run_finish (EscSync       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
refresh_one_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(EscSupportRequest) request = NULL;
  EscSync *self = g_task_get_source_object (task);
  const char *service = g_task_get_task_data (task);
  GError *error = NULL;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED))
        esc_account_report_unauthorized (self->account, error);
      g_task_return_error (task, error);
      return;
    }

  request = esc_support_request_new_from_json (answer, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, &error);
  if (request == NULL)
    {
      GError *invalid = NULL;

      invalid_answer (&invalid, error);
      g_error_free (error);
      g_task_return_error (task, invalid);
      return;
    }

  if (!esc_mirror_store_support_request (self->mirror, service, answer, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * esc_sync_refresh_support_request_async:
 * @self: a #EscSync
 * @id: a support request's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the request is in the mirror
 * @user_data: data for @callback
 *
 * Reads one request with its timeline into the mirror; the mirror's models
 * and its ::support-request-changed signal follow.
 */
void
esc_sync_refresh_support_request_async (EscSync             *self,
                                        const char          *id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(EscApiRequest) request = NULL;
  GError *error = NULL;
  const char *service;

  g_return_if_fail (ESC_IS_SYNC (self));
  g_return_if_fail (id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, esc_sync_refresh_support_request_async);

  service = esc_account_get_service_url (self->account);
  if (!esc_account_can_send (self->account) || service == NULL)
    {
      g_task_return_new_error (task, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                               _("Sign in to the service to bring its requests in."));
      return;
    }
  g_task_set_task_data (task, g_strdup (service), g_free);

  if (!(request = esc_api_request_get_support_request (id, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  esc_client_call_async (esc_account_get_client (self->account), request->method, request->path,
                         NULL, NULL, cancellable, refresh_one_cb, g_steal_pointer (&task));
}

gboolean
esc_sync_refresh_support_request_finish (EscSync       *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (ESC_IS_SYNC (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * esc_sync_store_support_model:
 * @workspace: the workspace
 * @model: the service's support model
 * @error: return location for a #GError
 *
 * Keeps @model in @workspace's settings (ESC_WORKSPACE_SETTING_SUPPORT_MODEL
 * and the provider's), for the exports and offline use. A model not chosen
 * on the service leaves the workspace's as it is; a setting that already
 * holds the value is not written again.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_sync_store_support_model (EscWorkspace     *workspace,
                              EscSupportModel  *model,
                              GError          **error)
{
  const char *keys[] = {
    ESC_WORKSPACE_SETTING_SUPPORT_MODEL, ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER,
    ESC_WORKSPACE_SETTING_PROVIDER_CONTACTS,
  };
  const char *values[G_N_ELEMENTS (keys)];

  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), FALSE);
  g_return_val_if_fail (ESC_IS_SUPPORT_MODEL (model), FALSE);

  if (esc_support_model_get_kind (model) == ESC_SUPPORT_MODEL_NOT_CHOSEN)
    return TRUE;

  values[0] = esc_support_model_kind_to_string (esc_support_model_get_kind (model));
  values[1] = esc_support_model_get_provider_name (model);
  values[2] = esc_support_model_get_provider_contacts (model);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *current = esc_workspace_dup_setting (workspace, keys[i]);

      if (g_strcmp0 (current, values[i]) != 0 &&
          !esc_workspace_set_setting (workspace, keys[i], values[i], error))
        return FALSE;
    }

  return TRUE;
}

/**
 * esc_sync_dup_support_model:
 * @workspace: the workspace
 *
 * Returns: (transfer full): the support model kept in @workspace (not chosen when unset)
 */
EscSupportModel *
esc_sync_dup_support_model (EscWorkspace *workspace)
{
  g_autofree char *kind_text = NULL;
  g_autofree char *provider = NULL;
  g_autofree char *contacts = NULL;
  EscSupportModelKind kind;

  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);

  kind_text = esc_workspace_dup_setting (workspace, ESC_WORKSPACE_SETTING_SUPPORT_MODEL);
  provider = esc_workspace_dup_setting (workspace, ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER);
  contacts = esc_workspace_dup_setting (workspace, ESC_WORKSPACE_SETTING_PROVIDER_CONTACTS);
  if (!esc_support_model_kind_from_string (kind_text, &kind))
    kind = ESC_SUPPORT_MODEL_NOT_CHOSEN;
  return esc_support_model_new (kind, provider, contacts);
}
