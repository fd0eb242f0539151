/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-api-private.h"
#include "esc-api-requests.h"
#include "esc-client-private.h"
#include "esc-outbox-sender.h"

/* How long the service keeps the answer of an Idempotency-Key
 * (idempotency.retention-days on the service). */
#define IDEMPOTENCY_WINDOW_DAYS 30
#define DEFAULT_MIN_RETRY_MS 1000
#define DEFAULT_MAX_RETRY_MS (5 * 60 * 1000)

struct _EscOutboxSender
{
  GObject          parent_instance;

  EscAccount      *account;
  EscOutbox       *outbox;
  GNetworkMonitor *network_monitor;
  EscClient       *client;        /* watched while started, for "reachable" */

  GCancellable    *cancellable;   /* of the request in flight, and of the sender */
  gint64           in_flight;     /* the outbox item being sent, 0 if none */
  guint            retry_source;
  guint            failures;      /* transient failures in a row */
  guint            retry_delay;   /* ms, of the back-off under way */
  gint64           not_before;    /* an overloaded service's Retry-After (real µs), 0: none */
  guint            min_retry_ms;
  guint            max_retry_ms;
  char            *last_error;
  guint            started : 1;
  guint            refreshing : 1;
};

G_DEFINE_FINAL_TYPE (EscOutboxSender, esc_outbox_sender, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_OUTBOX,
  PROP_SENDING,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SENT,
  NOT_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void send_next (EscOutboxSender *self);

static const char *
error_code_name (const GError *error)
{
  static const char * const names[] = {
    [ESC_API_ERROR_FAILED] = "failed",
    [ESC_API_ERROR_INVALID_URL] = "invalid-url",
    [ESC_API_ERROR_UNREACHABLE] = "unreachable",
    [ESC_API_ERROR_TIMED_OUT] = "timed-out",
    [ESC_API_ERROR_TLS] = "tls",
    [ESC_API_ERROR_UNAUTHORIZED] = "unauthorized",
    [ESC_API_ERROR_FORBIDDEN] = "forbidden",
    [ESC_API_ERROR_NOT_FOUND] = "not-found",
    [ESC_API_ERROR_UNPROCESSABLE] = "unprocessable",
    [ESC_API_ERROR_SERVER] = "server",
    [ESC_API_ERROR_NOT_ESCALADE] = "not-escalade",
    [ESC_API_ERROR_INVALID_RESPONSE] = "invalid-response",
    [ESC_API_ERROR_CONFLICT] = "conflict",
    [ESC_API_ERROR_BAD_REQUEST] = "bad-request",
    [ESC_API_ERROR_PRECONDITION_FAILED] = "precondition-failed",
  };

  if (error->domain == ESC_API_ERROR && error->code >= 0 && (gsize)error->code < G_N_ELEMENTS (names))
    return names[error->code];

  return "failed";
}

static void
set_last_error (EscOutboxSender *self,
                const char      *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_in_flight (EscOutboxSender *self,
               gint64           id)
{
  gboolean was_sending = self->in_flight != 0;

  self->in_flight = id;
  if (was_sending != (id != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDING]);
}

static gboolean
retry_cb (gpointer user_data)
{
  EscOutboxSender *self = user_data;

  self->retry_source = 0;
  self->retry_delay = 0;
  send_next (self);

  return G_SOURCE_REMOVE;
}

/* The delay after the n-th failure in a row: min × 2^(n-1), with jitter */
static guint
next_delay_ms (EscOutboxSender *self)
{
  return esc_api_backoff_ms (self->min_retry_ms, self->max_retry_ms,
                             self->failures > 0 ? self->failures - 1 : 0);
}

/* An overloaded service asked not to be sent anything before a time (its
 * Retry-After): how long that is from now, in ms (0 if it did not, or it has
 * passed). */
static guint
busy_wait_ms (EscOutboxSender *self)
{
  gint64 wait_us = self->not_before - g_get_real_time ();

  return self->not_before > 0 && wait_us > 0 ? (guint)((wait_us + 999) / 1000) : 0;
}

static void
schedule_retry (EscOutboxSender *self,
                guint            delay_ms)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_delay = delay_ms;
  self->retry_source = g_timeout_add (delay_ms, retry_cb, self);
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscOutboxSender) self = user_data;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  self->refreshing = FALSE;
  identity = esc_account_refresh_finish (ESC_ACCOUNT (object), result, &error);
  if (identity == NULL)
    g_debug ("The session is still not confirmed: %s", error->message);
}

/* The service answered: an offline session can learn who it is now. */
static void
confirm_session (EscOutboxSender *self)
{
  if (self->refreshing || esc_account_get_state (self->account) != ESC_ACCOUNT_STATE_OFFLINE)
    return;

  self->refreshing = TRUE;
  esc_account_refresh_async (self->account, self->cancellable, refresh_cb, g_object_ref (self));
}

/* Whether @item was queued (under its current key) longer ago than the
 * service keeps idempotency keys. */
static gboolean
is_too_old (EscOutboxItem *item)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *created_at = esc_outbox_item_get_created_at (item);

  return created_at != NULL &&
         g_date_time_difference (now, created_at) > IDEMPOTENCY_WINDOW_DAYS * G_TIME_SPAN_DAY;
}

static void
record_failure (EscOutboxSender *self,
                gint64           id,
                gboolean         refused,
                const GError    *error,
                GDateTime       *next_attempt_at)
{
  g_autoptr(GError) store_error = NULL;

  if (!esc_outbox_record_failure (self->outbox, id, refused, error_code_name (error),
                                  esc_api_error_get_status (error), error->message,
                                  esc_api_error_get_field (error), next_attempt_at,
                                  &store_error))
    g_debug ("Could not record the failure of outbox item %" G_GINT64_FORMAT ": %s",
             id, store_error->message);
}

/* What a request in flight needs when it comes back. */
typedef struct
{
  EscOutboxSender *self;
  gint64           id;
} Sending;

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->self);
  g_free (sending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sending, sending_free)

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Sending) sending = user_data;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  EscOutboxSender *self = sending->self;
  gint64 id = sending->id;

  answer = esc_client_call_finish (ESC_CLIENT (object), result, &error);

  /* Stopped meanwhile: the item stays queued as it is. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->in_flight != id)
    return;

  set_in_flight (self, 0);

  if (answer != NULL)
    {
      g_autoptr(GError) store_error = NULL;

      confirm_session (self);

      if (esc_outbox_complete (self->outbox, id, answer, &store_error))
        {
          g_debug ("Outbox item %" G_GINT64_FORMAT " sent", id);
          self->failures = 0;
          self->not_before = 0;
          set_last_error (self, NULL);
          g_signal_emit (self, signals[SENT], 0, id, answer);
          send_next (self);
          return;
        }

      /* An answer that cannot be stored (not what the contract says, or the
       * disk is full): the item stays, and the same key will get the same
       * answer again later. */
      error = g_error_new (ESC_API_ERROR, ESC_API_ERROR_INVALID_RESPONSE,
                           _("The answer of the service could not be stored: %s"),
                           store_error->message);
    }

  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED))
    {
      /* Everything stays queued until the user signs in again. */
      record_failure (self, id, FALSE, error, NULL);
      set_last_error (self, error->message);
      g_signal_emit (self, signals[NOT_SENT], 0, id, FALSE, error->message);
      esc_account_report_unauthorized (self->account, error);
      return;
    }

  if (esc_api_error_is_transient (error))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) next = NULL;
      guint delay;

      /* Unreachable, timed out or busy alike: the client's connection
       * check watches for the service's return (see on_reachable_cb()) */
      self->failures++;
      self->not_before = esc_client_get_busy_until (ESC_CLIENT (object));
      delay = MAX (next_delay_ms (self), busy_wait_ms (self));
      next = g_date_time_add (now, (GTimeSpan)delay * 1000);
      record_failure (self, id, FALSE, error, next);
      set_last_error (self, error->message);
      g_debug ("Outbox item %" G_GINT64_FORMAT " not sent (%s); retrying in %u ms",
               id, error->message, delay);
      schedule_retry (self, delay);
      g_signal_emit (self, signals[NOT_SENT], 0, id, FALSE, error->message);
      return;
    }

  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_TLS) ||
      g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_INVALID_URL))
    {
      /* Not the change's fault: wait until the user trusts the certificate
       * or fixes the address, then sends on demand. */
      record_failure (self, id, FALSE, error, NULL);
      set_last_error (self, error->message);
      g_signal_emit (self, signals[NOT_SENT], 0, id, FALSE, error->message);
      return;
    }

  /* Refused for good: the user edits and resends it, or discards it. */
  confirm_session (self);
  record_failure (self, id, TRUE, error, NULL);
  set_last_error (self, NULL);
  g_debug ("Outbox item %" G_GINT64_FORMAT " refused: %s", id, error->message);
  g_signal_emit (self, signals[NOT_SENT], 0, id, TRUE, error->message);
  send_next (self);
}

/* Sends the oldest queued item of the session, if any. */
static void
send_next (EscOutboxSender *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  EscOutboxItem *item;
  EscClient *client;
  Sending *sending;
  const char *service;
  const char *user;

  /* One at a time, in order; a back-off in progress holds everything. */
  if (!self->started || self->in_flight != 0 || self->retry_source != 0)
    return;

  /* Whatever asks to send (the network, the account, on demand): not before
   * the time an overloaded service asked for */
  if (busy_wait_ms (self) > 0)
    {
      schedule_retry (self, busy_wait_ms (self));
      return;
    }

  if (!esc_account_can_send (self->account))
    return;

  service = esc_account_get_service_url (self->account);
  user = esc_account_get_user (self->account);
  client = esc_account_get_client (self->account);
  if (service == NULL || user == NULL ||
      g_strcmp0 (esc_client_get_base_url (client), service) != 0)
    return;

  items = esc_outbox_list_queued (self->outbox, service, user, &error);
  if (items == NULL)
    {
      g_debug ("Could not read the outbox: %s", error->message);
      return;
    }
  if (items->len == 0)
    return;

  /* Older than the service's memory of idempotency keys (30 days): sent
   * now, a change that did reach the service (its answer lost) would be
   * made twice. It is not sent on its own: it is held as refused, with a
   * message, and the person decides (send it again, correct or discard). */
  item = NULL;
  for (guint i = 0; i < items->len && item == NULL; i++)
    {
      EscOutboxItem *candidate = g_ptr_array_index (items, i);
      g_autoptr(GError) held = NULL;

      if (!is_too_old (candidate))
        {
          item = candidate;
          break;
        }

      held = g_error_new (ESC_API_ERROR, ESC_API_ERROR_CONFLICT,
                          _("Not sent: this change waited more than %u days, longer than the "
                            "service remembers it, and it may have reached the service already. "
                            "Check the request, then send it again or discard it."),
                          (guint)IDEMPOTENCY_WINDOW_DAYS);
      g_debug ("Holding outbox item %" G_GINT64_FORMAT ": older than %u days",
               esc_outbox_item_get_id (candidate), (guint)IDEMPOTENCY_WINDOW_DAYS);
      record_failure (self, esc_outbox_item_get_id (candidate), TRUE, held, NULL);
    }
  if (item == NULL)
    return;

  set_in_flight (self, esc_outbox_item_get_id (item));
  g_debug ("Sending outbox item %" G_GINT64_FORMAT ": %s %s",
           esc_outbox_item_get_id (item), esc_outbox_item_get_method (item),
           esc_outbox_item_get_path (item));

  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->id = esc_outbox_item_get_id (item);

  /* Read back with esc_client_call_finish(): the raw JSON answer */
  esc_client_send_full_async (client,
                              esc_outbox_item_get_method (item),
                              esc_outbox_item_get_path (item),
                              esc_outbox_item_get_body (item),
                              NULL,
                              esc_outbox_item_get_if_match (item),
                              esc_outbox_item_get_idempotency_key (item),
                              NULL, NULL, esc_client_call_async,
                              self->cancellable,
                              sent_cb,
                              sending);
}

static void
resume (EscOutboxSender *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_delay = 0;
  self->failures = 0;
  send_next (self);
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       gpointer         user_data)
{
  EscOutboxSender *self = user_data;

  if (available)
    resume (self);
}

/* Another request (the sync, a screen) got an answer: what waits for its
 * back-off goes now. */
static void
on_reachable_cb (EscOutboxSender *self)
{
  /* (still not before an overloaded service's Retry-After: see send_next()) */
  if (self->client != NULL && esc_client_get_reachable (self->client) && self->retry_source != 0)
    resume (self);
}

static void
on_account_changed_cb (EscOutboxSender *self)
{
  if (esc_account_can_send (self->account))
    resume (self);
}

static void
esc_outbox_sender_dispose (GObject *object)
{
  EscOutboxSender *self = (EscOutboxSender *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->outbox);

  G_OBJECT_CLASS (esc_outbox_sender_parent_class)->dispose (object);
}

static void
esc_outbox_sender_finalize (GObject *object)
{
  EscOutboxSender *self = (EscOutboxSender *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (esc_outbox_sender_parent_class)->finalize (object);
}

static void
esc_outbox_sender_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EscOutboxSender *self = ESC_OUTBOX_SENDER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_OUTBOX:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_SENDING:
      g_value_set_boolean (value, self->in_flight != 0);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_outbox_sender_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EscOutboxSender *self = ESC_OUTBOX_SENDER (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    case PROP_OUTBOX:
      self->outbox = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_outbox_sender_class_init (EscOutboxSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = esc_outbox_sender_dispose;
  object_class->finalize = esc_outbox_sender_finalize;
  object_class->get_property = esc_outbox_sender_get_property;
  object_class->set_property = esc_outbox_sender_set_property;

  properties[PROP_ACCOUNT] = g_param_spec_object ("account", NULL, NULL, ESC_TYPE_ACCOUNT, construct);
  properties[PROP_OUTBOX] = g_param_spec_object ("outbox", NULL, NULL, ESC_TYPE_OUTBOX, construct);
  properties[PROP_SENDING] = g_param_spec_boolean ("sending", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EscOutboxSender::sent:
   * @self: the sender
   * @id: the outbox item's id
   * @answer: (type Json.Node): the service's answer, now in the mirror
   *
   * An item was accepted by the service and left the outbox.
   */
  signals[SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, JSON_TYPE_NODE);

  /**
   * EscOutboxSender::not-sent:
   * @self: the sender
   * @id: the outbox item's id
   * @refused: %TRUE if the service refused it for good, %FALSE if it stays
   *   queued and will be sent again
   * @message: why, for display
   *
   * An attempt to send an item failed.
   */
  signals[NOT_SENT] =
    g_signal_new ("not-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_BOOLEAN, G_TYPE_STRING);
}

static void
esc_outbox_sender_init (EscOutboxSender *self)
{
  self->cancellable = g_cancellable_new ();
  self->min_retry_ms = DEFAULT_MIN_RETRY_MS;
  self->max_retry_ms = DEFAULT_MAX_RETRY_MS;
}

/**
 * esc_outbox_sender_new:
 * @account: the application's account
 * @outbox: the workspace's outbox
 *
 * Returns: (transfer full): a sender; call esc_outbox_sender_start()
 */
EscOutboxSender *
esc_outbox_sender_new (EscAccount *account,
                       EscOutbox  *outbox)
{
  g_return_val_if_fail (ESC_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (ESC_IS_OUTBOX (outbox), NULL);

  return g_object_new (ESC_TYPE_OUTBOX_SENDER, "account", account, "outbox", outbox, NULL);
}

EscOutbox *
esc_outbox_sender_get_outbox (EscOutboxSender *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  return self->outbox;
}

EscAccount *
esc_outbox_sender_get_account (EscOutboxSender *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  return self->account;
}

gboolean
esc_outbox_sender_get_sending (EscOutboxSender *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), FALSE);
  return self->in_flight != 0;
}

const char *
esc_outbox_sender_get_last_error (EscOutboxSender *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  return self->last_error;
}

void
esc_outbox_sender_set_retry_delays (EscOutboxSender *self,
                                    guint            min_ms,
                                    guint            max_ms)
{
  g_return_if_fail (ESC_IS_OUTBOX_SENDER (self));
  g_return_if_fail (min_ms > 0 && max_ms >= min_ms);

  self->min_retry_ms = min_ms;
  self->max_retry_ms = max_ms;
}

/**
 * esc_outbox_sender_start:
 * @self: a #EscOutboxSender
 *
 * Sends what the outbox holds, and from now on what is queued, when the
 * network comes back and when the account signs in.
 */
void
esc_outbox_sender_start (EscOutboxSender *self)
{
  g_return_if_fail (ESC_IS_OUTBOX_SENDER (self));

  if (self->started)
    return;
  self->started = TRUE;

  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->network_monitor, "network-changed",
                    G_CALLBACK (on_network_changed_cb), self);
  g_signal_connect_swapped (self->account, "notify::state",
                            G_CALLBACK (on_account_changed_cb), self);
  g_signal_connect_swapped (self->account, "notify::service-url",
                            G_CALLBACK (on_account_changed_cb), self);
  self->client = g_object_ref (esc_account_get_client (self->account));
  g_signal_connect_swapped (self->client, "notify::reachable",
                            G_CALLBACK (on_reachable_cb), self);

  send_next (self);
}

/**
 * esc_outbox_sender_stop:
 * @self: a #EscOutboxSender
 *
 * Stops sending: the request in flight is abandoned (its item stays queued,
 * and the same key makes sending it again safe). For shutdown and tests.
 */
void
esc_outbox_sender_stop (EscOutboxSender *self)
{
  g_return_if_fail (ESC_IS_OUTBOX_SENDER (self));

  if (!self->started)
    return;
  self->started = FALSE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  g_signal_handlers_disconnect_by_data (self->account, self);
  g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  set_in_flight (self, 0);
}

/**
 * esc_outbox_sender_send_now:
 * @self: a #EscOutboxSender
 *
 * Sends what is queued now, without waiting for the back-off ("Retry now").
 */
void
esc_outbox_sender_send_now (EscOutboxSender *self)
{
  g_return_if_fail (ESC_IS_OUTBOX_SENDER (self));

  resume (self);
}

/* Queueing ------------------------------------------------------------------ */

static gboolean
get_session (EscOutboxSender  *self,
             const char      **service,
             const char      **user,
             GError          **error)
{
  *service = esc_account_get_service_url (self->account);
  *user = esc_account_get_user (self->account);

  if (*service == NULL || *user == NULL)
    {
      g_set_error_literal (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED,
                           _("Sign in to a service first: the change is sent with your account."));
      return FALSE;
    }

  return TRUE;
}

static EscOutboxItem *
queue_if_match (EscOutboxSender  *self,
                EscOutboxKind     kind,
                const char       *method,
                const char       *path,
                const char       *target,
                const char       *title,
                JsonNode         *body,
                const char       *if_match,
                GError          **error)
{
  EscOutboxItem *item;
  const char *service;
  const char *user;

  if (!get_session (self, &service, &user, error))
    return NULL;

  item = esc_outbox_add_if_match (self->outbox, service, user, kind, method, path, target, title,
                                  body, if_match, error);
  if (item != NULL)
    send_next (self);

  return item;
}

static EscOutboxItem *
queue (EscOutboxSender  *self,
       EscOutboxKind     kind,
       const char       *method,
       const char       *path,
       const char       *target,
       const char       *title,
       JsonNode         *body,
       GError          **error)
{
  EscOutboxItem *item;
  const char *service;
  const char *user;

  if (!get_session (self, &service, &user, error))
    return NULL;

  item = esc_outbox_add (self->outbox, service, user, kind, method, path, target, title, body,
                         error);
  if (item != NULL)
    send_next (self);

  return item;
}

static EscSupportFiler
filer_of_session (EscOutboxSender *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  EscSupportFiler filer = ESC_SUPPORT_FILER_NONE;

  /* Offline, who we are is not known yet: check the request's own rules, and
   * let the service judge the rest. */
  if (identity == NULL)
    return ESC_SUPPORT_FILER_ANY;

  if (esc_identity_has_role (identity, "it-admin"))
    filer |= ESC_SUPPORT_FILER_IT_ADMIN;
  if (g_strv_contains (esc_identity_get_designations (identity), "escalation"))
    filer |= ESC_SUPPORT_FILER_ESCALATION;

  return filer;
}

EscOutboxItem *
esc_outbox_sender_file_support_request (EscOutboxSender    *self,
                                        EscSupportRequest  *request,
                                        char              **out_field,
                                        GError            **error)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (request), NULL);

  if (!esc_support_request_validate (request, filer_of_session (self), out_field, error))
    return NULL;

  body = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  return queue (self, ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST, "POST", "/v1/support-requests",
                NULL, esc_support_request_get_title (request), body, error);
}

gboolean
esc_outbox_sender_edit_support_request (EscOutboxSender    *self,
                                        gint64              item_id,
                                        EscSupportRequest  *request,
                                        char              **out_field,
                                        GError            **error)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), FALSE);
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (request), FALSE);

  if (!esc_support_request_validate (request, filer_of_session (self), out_field, error))
    return FALSE;

  body = esc_support_request_to_json (request, ESC_SUPPORT_REQUEST_JSON_CREATE);
  if (!esc_outbox_edit (self->outbox, item_id, esc_support_request_get_title (request), body, error))
    return FALSE;

  send_next (self);
  return TRUE;
}

gboolean
esc_outbox_sender_resend (EscOutboxSender  *self,
                          gint64            item_id,
                          GError          **error)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), FALSE);

  if (!esc_outbox_resend (self->outbox, item_id, error))
    return FALSE;

  send_next (self);
  return TRUE;
}

EscOutboxItem *
esc_outbox_sender_patch_support_request (EscOutboxSender  *self,
                                         const char       *id,
                                         JsonNode         *patch,
                                         GError          **error)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  g_return_val_if_fail (patch != NULL, NULL);

  if (!(request = esc_api_request_patch_support_request (id, patch, error)))
    return NULL;

  /* Translators: an edit waiting to be sent; %s is a request id */
  title = g_strdup_printf (_("Changes to %s"), id);
  return queue (self, ESC_OUTBOX_KIND_PATCH_SUPPORT_REQUEST, request->method, request->path, id,
                title, request->body, error);
}

EscOutboxItem *
esc_outbox_sender_add_comment (EscOutboxSender  *self,
                               const char       *id,
                               const char       *text,
                               GError          **error)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (!(request = esc_api_request_add_comment (id, text, error)))
    return NULL;

  /* Translators: a note waiting to be sent; %s is a request id */
  title = g_strdup_printf (_("Note on %s"), id);
  return queue (self, ESC_OUTBOX_KIND_COMMENT, request->method, request->path, id, title,
                request->body, error);
}

EscOutboxItem *
esc_outbox_sender_reactivate (EscOutboxSender  *self,
                              const char       *id,
                              const char       *reason,
                              GError          **error)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);

  if (!(request = esc_api_request_reactivate (id, reason, error)))
    return NULL;

  /* Translators: a reactivation waiting to be sent; %s is a request id */
  title = g_strdup_printf (_("Reactivate %s"), id);
  return queue (self, ESC_OUTBOX_KIND_REACTIVATE, request->method, request->path, id, title,
                request->body, error);
}

EscOutboxItem *
esc_outbox_sender_set_designations (EscOutboxSender  *self,
                                    gint64            staff_id,
                                    const char       *staff_name,
                                    GPtrArray        *designations,
                                    GError          **error)
{
  return esc_outbox_sender_set_designations_if_match (self, staff_id, staff_name, designations, NULL,
                                                      error);
}

gboolean
esc_outbox_sender_resend_if_match (EscOutboxSender  *self,
                                   gint64            item_id,
                                   const char       *if_match,
                                   GError          **error)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), FALSE);

  if (!esc_outbox_resend_if_match (self->outbox, item_id, if_match, error))
    return FALSE;

  send_next (self);
  return TRUE;
}

EscOutboxItem *
esc_outbox_sender_set_designations_if_match (EscOutboxSender  *self,
                                             gint64            staff_id,
                                             const char       *staff_name,
                                             GPtrArray        *designations,
                                             const char       *if_match,
                                             GError          **error)
{
  g_autoptr(EscApiRequest) request = NULL;
  g_autofree char *target = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), NULL);
  g_return_val_if_fail (staff_id > 0, NULL);
  g_return_val_if_fail (designations != NULL, NULL);

  request = esc_api_request_set_designations (staff_id, designations);
  target = g_strdup_printf ("%" G_GINT64_FORMAT, staff_id);
  /* Translators: a change waiting to be sent; %s is a person's name */
  title = g_strdup_printf (_("Designations of %s"), staff_name != NULL ? staff_name : target);
  return queue_if_match (self, ESC_OUTBOX_KIND_SET_DESIGNATIONS, request->method, request->path,
                         target, title, request->body, if_match, error);
}

/**
 * esc_outbox_sender_get_retry_delay:
 * @self: a #EscOutboxSender
 *
 * Returns: the delay, in milliseconds, of the back-off under way (the wait
 *   before the next attempt was chosen); 0 when nothing waits
 */
guint
esc_outbox_sender_get_retry_delay (EscOutboxSender *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX_SENDER (self), 0);

  return self->retry_source != 0 ? self->retry_delay : 0;
}
