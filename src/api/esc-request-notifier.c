/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-api"

#include "config.h"

#include "esc-notify-rules.h"
#include "esc-request-list.h"
#include "esc-request-notifier.h"

struct _EscRequestNotifier
{
  GObject         parent_instance;

  GApplication   *application;  /* weak: it owns us */
  EscAccount     *account;
  EscMirror      *mirror;
  EscRequestList *mine;         /* the person's requests, to learn their states */
  GHashTable     *known;        /* id → EscSupportRequest as last seen */
  GHashTable     *overdue_said; /* id → GDateTime: the due time told as overdue */
  GDateTime      *last_check;
  gint64          me;
  guint           timer;
};

G_DEFINE_FINAL_TYPE (EscRequestNotifier, esc_request_notifier, G_TYPE_OBJECT)

static const EscRequestNotify flags[] = {
  ESC_REQUEST_NOTIFY_ASSIGNED,
  ESC_REQUEST_NOTIFY_RESOLVED,
  ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE,
};

/* An overdue response is told once per due time. Without this, the request
 * changing again before the next check of the clocks (a note, a sync that
 * reads it again, a detail view refreshing it), or that check itself, would
 * tell it again. */
static gboolean
take_overdue (EscRequestNotifier *self,
              EscSupportRequest  *request)
{
  const char *id = esc_support_request_get_id (request);
  GDateTime *due = esc_support_request_get_response_due_at (request);
  GDateTime *said;

  if (id == NULL || due == NULL)
    return FALSE;

  said = g_hash_table_lookup (self->overdue_said, id);
  if (said != NULL && g_date_time_equal (said, due))
    return FALSE;

  g_hash_table_insert (self->overdue_said, g_strdup (id), g_date_time_ref (due));
  return TRUE;
}

static void
send (EscRequestNotifier *self,
      EscRequestNotify    what,
      EscSupportRequest  *request)
{
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;

      if (!(what & flags[i]))
        continue;
      if (flags[i] == ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE && !take_overdue (self, request))
        continue;

      id = esc_request_notify_dup_id (flags[i], request);
      title = esc_request_notify_dup_title (flags[i], request);
      body = esc_request_notify_dup_body (flags[i], request);

      notification = g_notification_new (title);
      g_notification_set_body (notification, body);
      if (flags[i] == ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE)
        g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action_and_target (notification, "app.show-request", "s",
                                                    esc_support_request_get_id (request));

      if (self->application != NULL)
        g_application_send_notification (self->application, id, notification);
    }
}

static gint64
filer_of (EscSupportRequest *request)
{
  return esc_support_request_get_filer_id (request);
}

/* Learns the states of the person's requests, so that the next change of each
 * can be told from the one before */
static void
learn (EscRequestNotifier *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  gint64 me = 0;
  guint n;

  if (identity != NULL)
    g_object_get (identity, "id", &me, NULL);

  if (me == self->me)
    return;

  self->me = me;
  g_hash_table_remove_all (self->known);
  g_hash_table_remove_all (self->overdue_said);
  if (me == 0)
    return;

  /* The list takes the mirror's changes in a moment later: read it now, as
   * the first sync may have written the person's requests before the service
   * confirmed who they are */
  query.filer_id = me;
  if (!esc_request_list_set_query (self->mine, &query, &error) ||
      !esc_request_list_reload (self->mine, &error))
    {
      g_debug ("The requests to notify about cannot be read: %s", error->message);
      return;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->mine));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscSupportRequest) request = g_list_model_get_item (G_LIST_MODEL (self->mine), i);

      char *id;

      if (request == NULL)
        continue;

      /* Not in the call below: the order of evaluation of arguments is not fixed */
      id = g_strdup (esc_support_request_get_id (request));
      g_hash_table_insert (self->known, id, g_steal_pointer (&request));
    }
}

static void
support_request_changed_cb (EscRequestNotifier *self,
                            const char         *id)
{
  g_autoptr(EscSupportRequest) current = NULL;
  g_autoptr(GDateTime) now = NULL;
  EscSupportRequest *previous;
  EscRequestNotify what;

  learn (self);
  if (self->me == 0)
    return;

  current = esc_mirror_dup_support_request (self->mirror, id);
  if (current == NULL || filer_of (current) != self->me)
    return;

  now = g_date_time_new_now_utc ();
  previous = g_hash_table_lookup (self->known, id);
  what = esc_request_notify_decide (previous, current, self->last_check, now);
  send (self, what, current);
  /* Answered: a later overdue response (reactivated as new) is news again */
  if (esc_support_request_get_state (current) != ESC_SUPPORT_REQUEST_STATE_NEW)
    g_hash_table_remove (self->overdue_said, id);

  g_hash_table_insert (self->known, g_strdup (id), g_steal_pointer (&current));
}

static gboolean
timer_cb (gpointer user_data)
{
  esc_request_notifier_check (user_data);
  return G_SOURCE_CONTINUE;
}

static void
esc_request_notifier_dispose (GObject *object)
{
  EscRequestNotifier *self = (EscRequestNotifier *)object;

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->mirror != NULL)
    g_signal_handlers_disconnect_by_data (self->mirror, self);
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->mine);
  g_clear_object (&self->mirror);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (esc_request_notifier_parent_class)->dispose (object);
}

static void
esc_request_notifier_finalize (GObject *object)
{
  EscRequestNotifier *self = (EscRequestNotifier *)object;

  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_pointer (&self->overdue_said, g_hash_table_unref);
  g_clear_pointer (&self->last_check, g_date_time_unref);

  G_OBJECT_CLASS (esc_request_notifier_parent_class)->finalize (object);
}

static void
esc_request_notifier_class_init (EscRequestNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = esc_request_notifier_dispose;
  object_class->finalize = esc_request_notifier_finalize;
}

static void
esc_request_notifier_init (EscRequestNotifier *self)
{
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->overdue_said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify)g_date_time_unref);
}

/**
 * esc_request_notifier_new:
 * @application: the application that sends the notifications
 * @account: the signed-in account: whose requests
 * @mirror: the workspace's mirror of the service
 *
 * Returns: (transfer full): a notifier, watching from now on
 */
EscRequestNotifier *
esc_request_notifier_new (GApplication *application,
                          EscAccount   *account,
                          EscMirror    *mirror)
{
  EscRequestNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ESC_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (ESC_IS_MIRROR (mirror), NULL);

  self = g_object_new (ESC_TYPE_REQUEST_NOTIFIER, NULL);
  g_set_weak_pointer (&self->application, application);
  self->account = g_object_ref (account);
  self->mirror = g_object_ref (mirror);
  self->mine = esc_request_list_new (mirror, NULL);
  /* A first start says nothing about what was late before it */
  self->last_check = g_date_time_new_now_utc ();

  g_signal_connect_swapped (mirror, "support-request-changed",
                            G_CALLBACK (support_request_changed_cb), self);
  g_signal_connect_swapped (account, "notify::identity", G_CALLBACK (learn), self);
  learn (self);

  self->timer = g_timeout_add_seconds (60, timer_cb, self);

  return self;
}

void
esc_request_notifier_check (EscRequestNotifier *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) overdue = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ESC_IS_REQUEST_NOTIFIER (self));

  learn (self);

  if (self->me != 0)
    {
      overdue = esc_request_list_dup_overdue (self->mine, self->last_check, now, &error);
      if (overdue == NULL)
        g_debug ("The response clocks cannot be read: %s", error->message);

      for (guint i = 0; overdue != NULL && i < overdue->len; i++)
        {
          EscSupportRequest *request = g_ptr_array_index (overdue, i);

          if (filer_of (request) == self->me)
            send (self, ESC_REQUEST_NOTIFY_RESPONSE_OVERDUE, request);
        }
    }

  g_clear_pointer (&self->last_check, g_date_time_unref);
  self->last_check = g_steal_pointer (&now);
}
