/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-outbox.h"
#include "esc-request-cell.h"
#include "esc-request-format.h"
#include "esc-requests-page-private.h"
#include "esc-ui-private.h"

/* The Requests screen: its toolbar (search, Mine, the filters), under it the
 * list (EscRequestColumnView) or what stands in for it, the count and the sync
 * state, and the detail in a flap beside them: the flap folds over the list
 * only when the list would be narrower than its least width (its title whole).
 * The actions are in esc-requests-page-actions.c. */

G_DEFINE_FINAL_TYPE (EscRequestsPage, esc_requests_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_view (EscRequestsPage *self);

guint
esc_requests_page_n_pending (EscRequestsPage *self)
{
  return self->list != NULL ? g_list_model_get_n_items (esc_request_list_get_pending (self->list)) : 0;
}

static GtkSingleSelection *
selection (EscRequestsPage *self)
{
  return esc_request_column_view_get_selection (self->list_view);
}

/* Filters ------------------------------------------------------------------------------ */

static gint64
my_id (EscRequestsPage *self)
{
  EscIdentity *identity = self->account != NULL ? esc_account_get_identity (self->account) : NULL;
  gint64 id = 0;

  if (identity != NULL)
    g_object_get (identity, "id", &id, NULL);

  return id;
}

void
esc_requests_page_apply_query (EscRequestsPage *self)
{
  EscRequestQuery query = ESC_REQUEST_QUERY_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  guint n_active;

  n_active = esc_request_filter_popover_get_masks (self->filter_popover, &query.states, &query.severities,
                                                   &query.types, &query.kinds);
  {
    g_autofree char *label = n_active > 0 ? g_strdup_printf (_("_Filters (%u)"), n_active)
                                          : g_strdup (_("_Filters"));

    /* A new label is a new widget: only when it changes */
    if (g_strcmp0 (gtk_menu_button_get_label (self->filter_button), label) != 0)
      gtk_menu_button_set_label (self->filter_button, label);
  }

  if (self->list == NULL)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  query.filer_id = gtk_toggle_button_get_active (self->mine_button) ? my_id (self) : 0;
  query.text = *text != '\0' ? text : NULL;
  query.sort = esc_request_column_view_get_sort (self->list_view, &query.descending);

  /* The search entry may report the same text twice: query once */
  key = g_strdup_printf ("%u %u %u %u %" G_GINT64_FORMAT " %d %d %s", query.states, query.severities,
                         query.types, query.kinds, query.filer_id, (int)query.sort, query.descending,
                         query.text != NULL ? query.text : "");
  if (g_strcmp0 (key, self->applied_query) == 0)
    return;

  if (!esc_request_list_set_query (self->list, &query, &error))
    g_warning ("The list of requests cannot be read: %s", error->message);
  else
    {
      g_free (self->applied_query);
      self->applied_query = g_steal_pointer (&key);
    }

  update_view (self);
}

static void
filters_changed_cb (EscRequestsPage *self)
{
  if (!self->updating_filters)
    esc_requests_page_apply_query (self);
}

static void
search_changed_cb (EscRequestsPage *self)
{
  esc_requests_page_apply_query (self);
}

static void
stop_search_cb (EscRequestsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* The column view was sorted by another column, or the other way */
static void
sort_changed_cb (EscRequestsPage *self)
{
  esc_requests_page_apply_query (self);
}

/* The view --------------------------------------------------------------------------- */

static void
update_sync_label (EscRequestsPage *self)
{
  g_autofree char *text = NULL;
  GDateTime *last;

  if (self->sync == NULL || self->account == NULL || !esc_account_can_send (self->account))
    {
      gtk_label_set_label (self->sync_label, _("Not connected"));
      return;
    }

  if (esc_sync_get_syncing (self->sync))
    {
      gtk_label_set_label (self->sync_label, _("Bringing in changes…"));
      return;
    }

  if (esc_sync_get_last_error (self->sync) != NULL)
    {
      gtk_label_set_label (self->sync_label, _("The last update failed"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), esc_sync_get_last_error (self->sync));
      return;
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_label), NULL);
  last = esc_sync_get_last_synced (self->sync);
  if (last == NULL)
    {
      gtk_label_set_label (self->sync_label, _("Not brought in yet"));
      return;
    }

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (last);
    g_autofree char *time = g_date_time_format (local, _("%H:%M"));

    /* Translators: when the list was last brought up to date with the service */
    text = g_strdup_printf (_("Up to date as of %s"), time);
  }
  gtk_label_set_label (self->sync_label, text);
}

static gboolean
filters_active (EscRequestsPage *self)
{
  return esc_request_filter_popover_get_masks (self->filter_popover, NULL, NULL, NULL, NULL) > 0 ||
         gtk_toggle_button_get_active (self->mine_button) ||
         *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';
}

static void
update_view (EscRequestsPage *self)
{
  guint n_rows = self->rows != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->rows)) : 0;
  guint n_total = self->list != NULL ? esc_request_list_get_n_total (self->list) : 0;
  guint n_queued = esc_requests_page_n_pending (self);
  g_autoptr(GString) count = g_string_new (NULL);
  const char *view;

  if (self->list == NULL)
    view = "disconnected";
  else if (n_rows > 0)
    view = "list";
  else if (filters_active (self))
    view = "no-results";
  else if (!esc_account_can_send (self->account))
    view = "disconnected";
  else
    view = "empty";

  gtk_stack_set_visible_child_name (self->list_stack, view);

  /* The count is of the rows: the queued and refused requests on top of
   * the list count, and the part still waiting is said after it */
  if (self->list != NULL)
    {
      guint n_all = n_total + esc_request_list_get_n_pending_total (self->list);
      guint n_listed = n_queued + g_list_model_get_n_items (G_LIST_MODEL (self->list));
      guint n_waiting = 0;
      g_autofree char *total = esc_format_count (n_all);

      for (guint i = 0; i < n_queued; i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (esc_request_list_get_pending (self->list), i);

          if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_QUEUED)
            n_waiting++;
        }

      if (n_listed == n_all)
        /* Translators: %s is a count, with the digits grouped: "100,000 requests" */
        g_string_append_printf (count,
                                g_dngettext (GETTEXT_PACKAGE, "%s request", "%s requests", n_all),
                                total);
      else
        {
          g_autofree char *shown = esc_format_count (n_listed);

          /* Translators: "12 of 100,000 requests"; the counts have their digits grouped */
          g_string_append_printf (count,
                                  g_dngettext (GETTEXT_PACKAGE, "%s of %s request", "%s of %s requests", n_all),
                                  shown, total);
        }
      if (n_waiting > 0)
        {
          g_string_append (count, " · ");
          g_string_append_printf (count,
                                  g_dngettext (GETTEXT_PACKAGE, "%u waiting to be sent",
                                               "%u waiting to be sent", n_waiting),
                                  n_waiting);
        }
    }

  gtk_label_set_label (self->count_label, count->str);
  update_sync_label (self);
}

static void
account_changed_cb (EscRequestsPage *self)
{
  gboolean known = self->account != NULL && esc_account_get_identity (self->account) != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->mine_button), known);
  if (!known)
    gtk_toggle_button_set_active (self->mine_button, FALSE);
  else if (gtk_toggle_button_get_active (self->mine_button))
    esc_requests_page_apply_query (self);

  update_view (self);
}

/* Selection and detail ---------------------------------------------------------------- */

static gpointer
selected_item (EscRequestsPage *self)
{
  gpointer row = gtk_single_selection_get_selected_item (selection (self));

  return row != NULL ? esc_request_rows_get_item (row) : NULL;
}

/* Keeps which request the selection is on, so it stays on it when the list changes */
static gpointer
remember_selected (EscRequestsPage *self)
{
  gpointer item = selected_item (self);

  if (ESC_IS_OUTBOX_ITEM (item))
    {
      g_clear_pointer (&self->selected_id, g_free);
      self->selected_pending = esc_outbox_item_get_id (item);
    }
  else if (item != NULL)
    {
      g_free (self->selected_id);
      self->selected_id = g_strdup (esc_support_request_get_id (item));
      self->selected_pending = 0;
    }

  return item;
}

void
esc_requests_page_show_selected (EscRequestsPage *self,
                                 gboolean         reveal)
{
  gpointer item = remember_selected (self);

  if (item == NULL)
    return;

  if (ESC_IS_OUTBOX_ITEM (item))
    esc_request_detail_show_pending (self->detail, item, esc_request_row_get_request (item));
  else
    esc_request_detail_show_request (self->detail, item);

  if (reveal)
    adw_flap_set_reveal_flap (self->flap, TRUE);
}

/* A click opens the request. Moving through the list with the keyboard does
 * not (the detail would cover the list when folded): the open detail follows,
 * a closed one waits for Enter (the view's ::activate). */
static void
selection_changed_cb (EscRequestsPage *self)
{
  if (self->keyboard_moving && !adw_flap_get_reveal_flap (self->flap))
    remember_selected (self);
  else
    esc_requests_page_show_selected (self, !self->keyboard_moving);
}

/* Before the view handles a key: what it selects then, the keyboard selected */
static gboolean
list_key_pressed_cb (EscRequestsPage *self)
{
  self->keyboard_moving = TRUE;
  return GDK_EVENT_PROPAGATE;
}

static void
list_key_released_cb (EscRequestsPage *self)
{
  self->keyboard_moving = FALSE;
}

static void
row_activated_cb (EscRequestsPage *self,
                  guint            position)
{
  gtk_single_selection_set_selected (selection (self), position);
  esc_requests_page_show_selected (self, TRUE);
}

/* Enter in a search opens the first result, as GNOME's other searches do;
 * the keys then move through the results from the list. An empty search
 * (where the window puts the focus) opens nothing. */
static void
search_activate_cb (EscRequestsPage *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0' ||
      g_list_model_get_n_items (G_LIST_MODEL (selection (self))) == 0)
    return;

  row_activated_cb (self, 0);
  esc_request_column_view_focus_rows (self->list_view);
}

static void
flap_revealed_cb (EscRequestsPage *self)
{
  if (!adw_flap_get_reveal_flap (self->flap))
    esc_request_column_view_focus_rows (self->list_view);
}

static void
detail_close_cb (EscRequestsPage *self)
{
  adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* The position of what the detail shows, or -1 when the rows do not hold it */
gint
esc_requests_page_find_selected (EscRequestsPage *self)
{
  if (self->list == NULL)
    return -1;

  if (self->selected_id != NULL)
    {
      gint position = esc_request_list_find (self->list, self->selected_id);

      return position >= 0 ? position + (gint)esc_requests_page_n_pending (self) : -1;
    }

  if (self->selected_pending != 0)
    {
      GListModel *pending = esc_request_list_get_pending (self->list);

      for (guint i = 0; i < g_list_model_get_n_items (pending); i++)
        {
          g_autoptr(EscOutboxItem) item = g_list_model_get_item (pending, i);

          if (esc_outbox_item_get_id (item) == self->selected_pending)
            return (gint)i;
        }
    }

  return -1;
}

/* After the list changed, the same request stays selected; rows keep their
 * place while what they show changes, so the selection follows the request */
static void
rows_changed_cb (EscRequestsPage *self)
{
  gpointer item = selected_item (self);
  gint position;

  update_view (self);

  if (self->selected_id == NULL && self->selected_pending == 0)
    return;
  if (ESC_IS_SUPPORT_REQUEST (item) && self->selected_id != NULL &&
      g_str_equal (esc_support_request_get_id (item), self->selected_id))
    return;
  if (ESC_IS_OUTBOX_ITEM (item) && esc_outbox_item_get_id (item) == self->selected_pending)
    return;

  position = esc_requests_page_find_selected (self);
  g_signal_handlers_block_by_func (selection (self), selection_changed_cb, self);
  gtk_single_selection_set_selected (selection (self),
                                     position >= 0 ? (guint)position : GTK_INVALID_LIST_POSITION);
  g_signal_handlers_unblock_by_func (selection (self), selection_changed_cb, self);
}

/* One timer for the visible rows: the clocks move every minute */
static gboolean
clock_tick_cb (gpointer user_data)
{
  EscRequestsPage *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  esc_request_column_view_tick (self->list_view, now);
  esc_request_detail_refresh_clock (self->detail, now);

  return G_SOURCE_CONTINUE;
}

static void
page_mapped_cb (EscRequestsPage *self)
{
  esc_request_column_view_resume (self->list_view);
  if (self->clock_source == 0)
    self->clock_source = g_timeout_add_seconds (60, clock_tick_cb, self);
  clock_tick_cb (self);
}

static void
page_unmapped_cb (EscRequestsPage *self)
{
  g_clear_handle_id (&self->clock_source, g_source_remove);
}

static void
detail_edit_pending_cb (EscRequestsPage *self,
                        EscOutboxItem   *item)
{
  esc_requests_page_present_form (self, item);
}

/* GObject -------------------------------------------------------------------------------- */

static void
disconnect_list (EscRequestsPage *self)
{
  g_list_store_remove_all (self->sections);
  g_clear_object (&self->list);
  g_clear_pointer (&self->applied_query, g_free);
}

static void
esc_requests_page_dispose (GObject *object)
{
  EscRequestsPage *self = (EscRequestsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_weak_pointer (&self->form);

  if (self->sections != NULL)
    disconnect_list (self);

  /* The bin drops its child (the box of the toolbar and the flap) first, or
   * the bin and the template would both unparent what it holds */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_REQUESTS_PAGE);

  g_clear_object (&self->rows);
  g_clear_object (&self->sections);
  g_clear_object (&self->session);
  g_clear_object (&self->account);
  g_clear_object (&self->workspace);
  g_clear_object (&self->sender);
  g_clear_object (&self->sync);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (esc_requests_page_parent_class)->dispose (object);
}

static void
esc_requests_page_finalize (GObject *object)
{
  EscRequestsPage *self = (EscRequestsPage *)object;

  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->applied_query, g_free);

  G_OBJECT_CLASS (esc_requests_page_parent_class)->finalize (object);
}

static void set_account      (EscRequestsPage *self,
                              EscAccount      *account);
static void session_opened_cb (EscRequestsPage *self);

static void
esc_requests_page_constructed (GObject *object)
{
  EscRequestsPage *self = (EscRequestsPage *)object;

  G_OBJECT_CLASS (esc_requests_page_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  set_account (self, esc_session_get_account (self->session));
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (session_opened_cb), self, G_CONNECT_SWAPPED);
  session_opened_cb (self);
}

static void
esc_requests_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_requests_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_requests_page_class_init (EscRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_requests_page_constructed;
  object_class->dispose = esc_requests_page_dispose;
  object_class->finalize = esc_requests_page_finalize;
  object_class->get_property = esc_requests_page_get_property;
  object_class->set_property = esc_requests_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ESC_TYPE_REQUEST_DETAIL);
  g_type_ensure (ESC_TYPE_REQUEST_COLUMN_VIEW);
  g_type_ensure (ESC_TYPE_REQUEST_FILTER_POPOVER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, mine_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, filter_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, filter_popover);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, sync_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestsPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, flap_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, detail_close_cb);
  gtk_widget_class_bind_template_callback (widget_class, detail_edit_pending_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);


  esc_requests_page_class_init_actions (klass);
}

static void
esc_requests_page_init (EscRequestsPage *self)
{
  GtkColumnView *view;
  GtkEventController *keys;
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  self->sections = g_list_store_new (G_TYPE_LIST_MODEL);
  self->rows = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->sections)));
  esc_request_column_view_set_model (self->list_view, G_LIST_MODEL (self->rows));
  g_signal_connect_swapped (selection (self), "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect_object (self->rows, "items-changed", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (esc_request_column_view_get_rows (self->list_view), "changed",
                           G_CALLBACK (rows_changed_cb), self, G_CONNECT_SWAPPED);

  view = esc_request_column_view_get_view (self->list_view);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self);
  g_signal_connect_swapped (keys, "key-released", G_CALLBACK (list_key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (view), keys);
  /* A key released elsewhere: the focus left with it */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (list_key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (view), focus);

  esc_requests_page_init_actions (self);

  g_signal_connect (self, "map", G_CALLBACK (page_mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (page_unmapped_cb), NULL);

  esc_requests_page_update_actions (self);
  update_view (self);
}

/* The list exists once there are a workspace and a connection */
static void
setup_list (EscRequestsPage *self)
{
  EscOutbox *outbox;

  disconnect_list (self);

  if (self->sender == NULL || self->workspace == NULL)
    {
      esc_requests_page_update_actions (self);
      update_view (self);
      return;
    }

  outbox = esc_outbox_sender_get_outbox (self->sender);
  self->list = esc_request_list_new (esc_outbox_get_mirror (outbox), outbox);
  g_list_store_append (self->sections, esc_request_list_get_pending (self->list));
  g_list_store_append (self->sections, self->list);

  esc_request_detail_set_session (self->detail, self->session);

  esc_requests_page_update_actions (self);
  esc_requests_page_apply_query (self);
}

static void
set_account (EscRequestsPage *self,
             EscAccount      *account)
{
  if (!g_set_object (&self->account, account))
    return;

  g_signal_connect_object (account, "notify", G_CALLBACK (account_changed_cb), self, G_CONNECT_SWAPPED);
  account_changed_cb (self);
}

/* The session's workspace is open: the list, and what files and follows requests (the outbox
 * sender and the sync, with what they say) */
static void
session_opened_cb (EscRequestsPage *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);
  EscOutboxSender *sender = esc_session_get_sender (self->session);
  EscSync *sync = esc_session_get_sync (self->session);

  if (workspace == NULL || self->workspace == workspace)
    return;

  g_set_object (&self->sync, sync);
  g_signal_connect_object (sync, "notify", G_CALLBACK (update_sync_label), self, G_CONNECT_SWAPPED);

  g_set_object (&self->sender, sender);
  esc_requests_page_watch_sender (self);

  g_set_object (&self->workspace, workspace);
  setup_list (self);
}

/**
 * esc_requests_page_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the Requests screen, with its list once the session's
 *   workspace is open
 */
EscRequestsPage *
esc_requests_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_REQUESTS_PAGE, "session", session, NULL);
}

GtkColumnView *
esc_requests_page_get_column_view (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return esc_request_column_view_get_view (self->list_view);
}

GtkSearchEntry *
esc_requests_page_get_search_entry (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return self->search_entry;
}

EscRequestList *
esc_requests_page_get_list (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return self->list;
}

gboolean
esc_requests_page_is_settled (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), FALSE);

  return esc_request_column_view_is_settled (self->list_view);
}

GListModel *
esc_requests_page_get_rows (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->rows);
}

const char *
esc_requests_page_get_view (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return gtk_stack_get_visible_child_name (self->list_stack);
}

void
esc_requests_page_set_filter (EscRequestsPage *self,
                              const char      *group,
                              const char      *value,
                              gboolean         active)
{
  g_return_if_fail (ESC_IS_REQUESTS_PAGE (self));

  if (!esc_request_filter_popover_set_filter (self->filter_popover, group, value, active))
    g_return_if_reached ();
}

GtkWindow *
esc_requests_page_open_form (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return esc_requests_page_present_form (self, NULL);
}

gboolean
esc_requests_page_select_request (EscRequestsPage *self,
                                  const char      *id)
{
  gint position;

  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), FALSE);

  if (self->list == NULL)
    return FALSE;

  /* A sync may have rewritten the request a moment ago (a new key) */
  esc_request_list_flush (self->list);
  if ((position = esc_request_list_find (self->list, id)) < 0)
    return FALSE;

  esc_request_rows_flush (esc_request_column_view_get_rows (self->list_view));
  gtk_single_selection_set_selected (selection (self), (guint)position + esc_requests_page_n_pending (self));
  esc_requests_page_show_selected (self, TRUE);
  return TRUE;
}

GtkWidget *
esc_requests_page_get_detail (EscRequestsPage *self)
{
  g_return_val_if_fail (ESC_IS_REQUESTS_PAGE (self), NULL);
  return GTK_WIDGET (self->detail);
}
