/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-request-form.h"
#include "esc-requests-page-private.h"

/* The page's actions, its New Request form, and the toasts that tell what
 * became of a request filed from it. */

static void
add_toast (EscRequestsPage *self,
           const char      *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
form_filed_cb (EscRequestsPage *self,
               EscOutboxItem   *item)
{
  EscClient *client = esc_account_get_client (esc_outbox_sender_get_account (self->sender));

  /* Sent at once when the service answers: the toast waits for its verdict
   * (sender_sent_cb(), sender_not_sent_cb()), unless it is known to be away */
  self->announced = 0;
  if (item == NULL)
    add_toast (self, _("Corrected request queued again"));
  else if (!esc_client_get_reachable (client) ||
           !esc_account_can_send (esc_outbox_sender_get_account (self->sender)))
    add_toast (self, _("Request queued: it is sent when the service answers"));
  else
    self->announced = esc_outbox_item_get_id (item);

  /* The queued request heads the list */
  esc_request_rows_flush (esc_request_column_view_get_rows (self->list_view));
  if (esc_requests_page_n_pending (self) > 0)
    {
      guint last = esc_requests_page_n_pending (self) - 1;

      gtk_single_selection_set_selected (esc_request_column_view_get_selection (self->list_view), last);
      esc_requests_page_show_selected (self, TRUE);
    }
}

/* A queued request was filed: its toast says so, and the detail that showed
 * it queued shows it filed. */
static void
sender_sent_cb (EscRequestsPage *self,
                gint64           id,
                JsonNode        *answer)
{
  const char *request_id = NULL;
  gint position;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    request_id = json_object_get_string_member_with_default (json_node_get_object (answer), "id", NULL);

  if (id == self->announced)
    {
      self->announced = 0;
      if (request_id != NULL)
        {
          /* Translators: %s is the number the service gave, e.g. SR-000123 */
          g_autofree char *text = g_strdup_printf (_("Filed as %s"), request_id);

          add_toast (self, text);
        }
    }

  if (id != self->selected_pending || request_id == NULL || self->list == NULL)
    return;

  g_free (self->selected_id);
  self->selected_id = g_strdup (request_id);
  self->selected_pending = 0;

  /* The mirror has it now; the rows follow before the detail does */
  esc_request_list_flush (self->list);
  esc_request_rows_flush (esc_request_column_view_get_rows (self->list_view));
  position = esc_requests_page_find_selected (self);
  if (position >= 0)
    {
      gtk_single_selection_set_selected (esc_request_column_view_get_selection (self->list_view), (guint)position);
      esc_requests_page_show_selected (self, adw_flap_get_reveal_flap (self->flap));
    }
}

static void
sender_not_sent_cb (EscRequestsPage *self,
                    gint64           id,
                    gboolean         refused,
                    const char      *message)
{
  if (id != self->announced)
    return;

  self->announced = 0;
  add_toast (self, refused ? _("The service refused the request: see its details")
                           : _("Request queued: it is sent when the service answers"));
}

GtkWindow *
esc_requests_page_present_form (EscRequestsPage *self,
                                EscOutboxItem   *refused)
{
  EscRequestForm *form;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->sender == NULL || self->workspace == NULL)
    return NULL;

  if (self->form != NULL && refused == NULL)
    {
      gtk_window_present (self->form);
      return self->form;
    }

  form = esc_request_form_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session);
  g_signal_connect_object (form, "filed", G_CALLBACK (form_filed_cb), self, G_CONNECT_SWAPPED);
  if (refused != NULL)
    esc_request_form_edit_item (form, refused);
  else
    g_set_weak_pointer (&self->form, GTK_WINDOW (form));

  gtk_window_present (GTK_WINDOW (form));
  return GTK_WINDOW (form);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  esc_requests_page_present_form (ESC_REQUESTS_PAGE (widget), NULL);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(EscRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!esc_sync_run_finish (ESC_SYNC (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    add_toast (self, error->message);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);

  if (self->sync == NULL)
    return;

  esc_sync_run_async (self->sync, self->cancellable, refreshed_cb, g_object_ref (self));
  if (self->sender != NULL)
    esc_outbox_sender_send_now (self->sender);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(EscRequestsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  guint n_rows = 0;

  if (!esc_request_list_export_csv_finish (ESC_REQUEST_LIST (object), result, &n_rows, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The export failed: %s"), error->message);
    }
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request exported",
                                            "%u requests exported", n_rows),
                               n_rows);

  add_toast (self, message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    EscRequestsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->list != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      esc_request_list_export_csv_async (self->list, file, self->cancellable,
                                         exported_cb, g_object_ref (self));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->list == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the List as CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: the file name suggested for the export; keep .csv */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("support-requests.csv"));
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
esc_requests_page_update_actions (EscRequestsPage *self)
{
  gboolean connected = self->list != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.new", self->sender != NULL && self->workspace != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.export", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.refresh", self->sync != NULL);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EscRequestsPage *self = ESC_REQUESTS_PAGE (widget);

  self->updating_filters = TRUE;
  esc_request_filter_popover_clear (self->filter_popover);
  gtk_toggle_button_set_active (self->mine_button, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  self->updating_filters = FALSE;

  esc_requests_page_apply_query (self);
}

static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  /* The page's shortcuts work wherever the focus is, but only while it shows */
  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  return gtk_widget_activate_action (widget, user_data, NULL);
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *trigger,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                          gtk_callback_action_new (shortcut_cb,
                                                                                   (gpointer)action,
                                                                                   NULL)));
}

void
esc_requests_page_watch_sender (EscRequestsPage *self)
{
  g_signal_connect_object (self->sender, "sent", G_CALLBACK (sender_sent_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sender, "not-sent", G_CALLBACK (sender_not_sent_cb), self,
                           G_CONNECT_SWAPPED);
}

void
esc_requests_page_class_init_actions (EscRequestsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "requests.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "requests.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "requests.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "requests.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "requests.clear-filters", NULL, clear_filters_action);
}

void
esc_requests_page_init_actions (EscRequestsPage *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>n", "requests.new");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>f", "requests.search");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>e", "requests.export");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "F5", "requests.refresh");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), "<Control>r", "requests.refresh");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}
