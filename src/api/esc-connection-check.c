/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-api-error.h"
#include "esc-api-private.h"
#include "esc-connection-check.h"

#define DEFAULT_INTERVAL_MS  3000
#define DEFAULT_MIN_RETRY_MS 1000
#define DEFAULT_MAX_RETRY_MS (60 * 1000)

struct _EscConnectionCheck
{
  GObject          parent_instance;

  EscClient       *client;
  GNetworkMonitor *network_monitor;
  GCancellable    *cancellable;   /* of the check in flight */

  guint            source;
  guint            interval_ms;
  guint            min_retry_ms;
  guint            max_retry_ms;
  guint            failures;      /* checks in a row that found no service */
  guint            retry_delay;   /* ms, while retrying */
  GDateTime       *next_check;

  guint            started : 1;
  guint            checking : 1;
};

G_DEFINE_FINAL_TYPE (EscConnectionCheck, esc_connection_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NEXT_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (EscConnectionCheck *self);

static void
set_next_check (EscConnectionCheck *self,
                guint               delay_ms)
{
  g_autoptr(GDateTime) now = NULL;

  self->retry_delay = delay_ms;
  if (delay_ms == 0 && self->next_check == NULL)
    return;

  g_clear_pointer (&self->next_check, g_date_time_unref);
  if (delay_ms > 0)
    {
      now = g_date_time_new_now_utc ();
      self->next_check = g_date_time_add (now, (GTimeSpan)delay_ms * 1000);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_CHECK]);
}

static gboolean
is_answering (EscConnectionCheck *self)
{
  return esc_client_get_reachable (self->client) && !esc_client_get_busy (self->client);
}

/* The n-th retry in a row (n ≥ 1): a random time between half and all of
 * min × 2^(n-1), at most max; never before the service's Retry-After. */
static guint
retry_delay_ms (EscConnectionCheck *self)
{
  guint64 delay = esc_api_backoff_ms (self->min_retry_ms, self->max_retry_ms, self->failures);
  gint64 busy_until = esc_client_get_busy_until (self->client);

  if (busy_until > 0)
    {
      gint64 wait_us = busy_until - g_get_real_time ();

      if (wait_us > 0)
        delay = MAX (delay, (guint64)((wait_us + 999) / 1000));
    }

  return (guint)MAX (delay, 1);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscConnectionCheck) self = user_data;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = esc_client_get_me_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->checking = FALSE;
  /* The client took in what the answer says (reachable, busy) */
  if (is_answering (self))
    self->failures = 0;
  else
    self->failures++;
  g_debug ("Connection check: %s", error != NULL ? error->message : "answered");

  schedule (self);
}

static gboolean
check_cb (gpointer user_data)
{
  EscConnectionCheck *self = user_data;

  self->source = 0;

  /* Heard of recently, through other requests: nothing to ask */
  if (is_answering (self))
    {
      gint64 last = esc_client_get_last_answer (self->client);

      if (last > 0 && g_get_monotonic_time () - last < (gint64)self->interval_ms * 1000)
        {
          schedule (self);
          return G_SOURCE_REMOVE;
        }
    }

  if (esc_client_get_base_url (self->client) == NULL)
    {
      schedule (self);
      return G_SOURCE_REMOVE;
    }

  self->checking = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  esc_client_get_me_async (self->client, self->cancellable, checked_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
schedule (EscConnectionCheck *self)
{
  guint delay;

  g_clear_handle_id (&self->source, g_source_remove);
  if (!self->started || self->checking)
    return;

  if (is_answering (self))
    {
      gint64 last = esc_client_get_last_answer (self->client);
      gint64 since_ms = last > 0 ? (g_get_monotonic_time () - last) / 1000 : 0;

      self->failures = 0;
      set_next_check (self, 0);
      delay = since_ms < self->interval_ms ? self->interval_ms - (guint)since_ms : 1;
    }
  else
    {
      delay = retry_delay_ms (self);
      set_next_check (self, delay);
      g_debug ("The service does not answer; checking again in %u ms", delay);
    }

  self->source = g_timeout_add (delay, check_cb, self);
}

/* Another request found the service gone, busy or back: the schedule follows */
static void
on_client_changed_cb (EscConnectionCheck *self)
{
  schedule (self);
}

static void
on_network_changed_cb (GNetworkMonitor    *monitor,
                       gboolean            available,
                       EscConnectionCheck *self)
{
  if (!self->started || self->checking)
    return;

  /* A new network: ask now, whatever the back-off had reached */
  self->failures = 0;
  g_clear_handle_id (&self->source, g_source_remove);
  if (esc_client_get_busy_until (self->client) > g_get_real_time ())
    schedule (self);
  else
    check_cb (self);
}

static void
esc_connection_check_dispose (GObject *object)
{
  EscConnectionCheck *self = (EscConnectionCheck *)object;

  esc_connection_check_stop (self);
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (esc_connection_check_parent_class)->dispose (object);
}

static void
esc_connection_check_finalize (GObject *object)
{
  EscConnectionCheck *self = (EscConnectionCheck *)object;

  g_clear_pointer (&self->next_check, g_date_time_unref);

  G_OBJECT_CLASS (esc_connection_check_parent_class)->finalize (object);
}

static void
esc_connection_check_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EscConnectionCheck *self = ESC_CONNECTION_CHECK (object);

  switch (prop_id)
    {
    case PROP_NEXT_CHECK:
      g_value_set_boxed (value, self->next_check);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_connection_check_class_init (EscConnectionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_connection_check_dispose;
  object_class->finalize = esc_connection_check_finalize;
  object_class->get_property = esc_connection_check_get_property;

  properties[PROP_NEXT_CHECK] =
    g_param_spec_boxed ("next-check", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_connection_check_init (EscConnectionCheck *self)
{
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->min_retry_ms = DEFAULT_MIN_RETRY_MS;
  self->max_retry_ms = DEFAULT_MAX_RETRY_MS;
}

/**
 * esc_connection_check_new:
 * @client: the client whose service is checked
 *
 * Returns: (transfer full): a check, not started
 */
EscConnectionCheck *
esc_connection_check_new (EscClient *client)
{
  EscConnectionCheck *self;

  g_return_val_if_fail (ESC_IS_CLIENT (client), NULL);

  self = g_object_new (ESC_TYPE_CONNECTION_CHECK, NULL);
  self->client = g_object_ref (client);
  g_signal_connect_swapped (client, "notify::reachable", G_CALLBACK (on_client_changed_cb), self);
  g_signal_connect_swapped (client, "notify::busy", G_CALLBACK (on_client_changed_cb), self);
  g_signal_connect_swapped (client, "notify::base-url", G_CALLBACK (on_client_changed_cb), self);
  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->network_monitor, "network-changed", G_CALLBACK (on_network_changed_cb), self);

  return self;
}

/**
 * esc_connection_check_set_intervals:
 * @self: a #EscConnectionCheck
 * @interval_ms: how often the service is checked while it answers
 * @min_retry_ms: the first retry's bound once it does not
 * @max_retry_ms: the longest retry
 *
 * Sets the intervals (3 s, 1 s and 60 s by default); takes effect at the next check.
 */
void
esc_connection_check_set_intervals (EscConnectionCheck *self,
                                    guint               interval_ms,
                                    guint               min_retry_ms,
                                    guint               max_retry_ms)
{
  g_return_if_fail (ESC_IS_CONNECTION_CHECK (self));
  g_return_if_fail (interval_ms > 0 && min_retry_ms > 0 && max_retry_ms >= min_retry_ms);

  self->interval_ms = interval_ms;
  self->min_retry_ms = min_retry_ms;
  self->max_retry_ms = max_retry_ms;
}

/**
 * esc_connection_check_start:
 * @self: a #EscConnectionCheck
 *
 * Starts checking the service.
 */
void
esc_connection_check_start (EscConnectionCheck *self)
{
  g_return_if_fail (ESC_IS_CONNECTION_CHECK (self));

  if (self->started)
    return;
  self->started = TRUE;
  self->failures = 0;
  schedule (self);
}

/**
 * esc_connection_check_stop:
 * @self: a #EscConnectionCheck
 *
 * Stops checking (shutdown, tests); a check in flight is cancelled.
 */
void
esc_connection_check_stop (EscConnectionCheck *self)
{
  g_return_if_fail (ESC_IS_CONNECTION_CHECK (self));

  self->started = FALSE;
  self->checking = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->source, g_source_remove);
  set_next_check (self, 0);
}

/**
 * esc_connection_check_get_next_check:
 * @self: a #EscConnectionCheck
 *
 * Returns: (nullable) (transfer none): while the service cannot be reached
 *   or is busy, when it is checked next
 */
GDateTime *
esc_connection_check_get_next_check (EscConnectionCheck *self)
{
  g_return_val_if_fail (ESC_IS_CONNECTION_CHECK (self), NULL);
  return self->next_check;
}

/**
 * esc_connection_check_get_retry_delay:
 * @self: a #EscConnectionCheck
 *
 * Returns: while retrying, the delay chosen before the next check, in ms; else 0
 */
guint
esc_connection_check_get_retry_delay (EscConnectionCheck *self)
{
  g_return_val_if_fail (ESC_IS_CONNECTION_CHECK (self), 0);
  return self->next_check != NULL ? self->retry_delay : 0;
}
