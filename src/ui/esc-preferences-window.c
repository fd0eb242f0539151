/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-preferences-window.h"
#include "esc-ui-private.h"

struct _EscPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *url_row;
  AdwPasswordEntryRow  *token_row;
  AdwActionRow         *status_row;
  GtkImage             *status_icon;
  GtkSpinner           *spinner;
  GtkButton            *connect_button;
  GtkButton            *sign_out_button;

  /* Owned references */
  EscSession           *session;
  GCancellable         *cancellable;
  guint                 focus_source;

  /* Borrowed from the session */
  EscAccount           *account;
};

G_DEFINE_FINAL_TYPE (EscPreferencesWindow, esc_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One primary action for the state: Sign Out while connected to the service
 * the fields show, Connect once a field asks for something else. */
static void
update_actions (EscPreferencesWindow *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));
  gboolean connected = esc_account_get_identity (self->account) != NULL ||
                       esc_account_get_state (self->account) == ESC_ACCOUNT_STATE_OFFLINE;
  gboolean same = *token == '\0' && g_strcmp0 (url, esc_account_get_service_url (self->account)) == 0;
  gboolean busy = esc_account_get_busy (self->account);

  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), connected && same);
  gtk_widget_set_visible (GTK_WIDGET (self->connect_button), !(connected && same));
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button), !busy && *url != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_out_button), !busy);
}

static void
update_status (EscPreferencesWindow *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  gboolean busy = esc_account_get_busy (self->account);
  const char *error = esc_account_get_last_error (self->account);
  GtkWidget *subtitle_widget = GTK_WIDGET (self->status_row);

  gtk_spinner_set_spinning (self->spinner, busy);
  update_actions (self);
  gtk_widget_remove_css_class (subtitle_widget, "esc-error");
  gtk_widget_remove_css_class (subtitle_widget, "esc-success");

  if (busy)
    {
      adw_action_row_set_subtitle (self->status_row, _("Connecting…"));
      gtk_image_set_from_icon_name (self->status_icon, "network-idle-symbolic");
    }
  else if ((identity != NULL &&
            !esc_client_get_reachable (esc_account_get_client (self->account))) ||
           esc_account_get_state (self->account) == ESC_ACCOUNT_STATE_OFFLINE)
    {
      adw_action_row_set_subtitle (self->status_row,
                                   _("Offline — retrying: the service cannot be reached. Changes are kept and sent as soon as it answers."));
      gtk_image_set_from_icon_name (self->status_icon, "network-offline-symbolic");
    }
  else if (identity != NULL)
    {
      g_autofree char *description = esc_identity_dup_description (identity);
      g_autofree char *text = g_strdup_printf (_("Connected as %s"), description);

      if (!esc_account_get_token_saved (self->account))
        {
          g_autofree char *warning =
            g_strdup_printf ("%s\n%s", text,
                             _("The token could not be kept in the keyring: you will have to enter it again next time."));
          adw_action_row_set_subtitle (self->status_row, warning);
        }
      else
        adw_action_row_set_subtitle (self->status_row, text);

      gtk_widget_add_css_class (subtitle_widget, "esc-success");
      gtk_image_set_from_icon_name (self->status_icon, "network-transmit-receive-symbolic");
    }
  else if (error != NULL)
    {
      adw_action_row_set_subtitle (self->status_row, error);
      gtk_widget_add_css_class (subtitle_widget, "esc-error");
      gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
    }
  else
    {
      adw_action_row_set_subtitle (self->status_row, _("Not connected"));
      gtk_image_set_from_icon_name (self->status_icon, "network-offline-symbolic");
    }
}

static void connect_cb (EscPreferencesWindow *self);

static void
trust_response_cb (AdwMessageDialog     *dialog,
                   const char           *response,
                   EscPreferencesWindow *self)
{
  GTlsCertificate *certificate = g_object_get_data (G_OBJECT (dialog), "certificate");
  const char *url = g_object_get_data (G_OBJECT (dialog), "url");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "trust"))
    return;

  if (!esc_client_trust_certificate (esc_account_get_client (self->account), url, certificate, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }

  connect_cb (self);
}

/* A service whose certificate no authority vouches for (a self-signed one, typically) is
 * trusted only when the user says so, after comparing its fingerprint with the one the
 * service's administrator gives. The client remembers it per service. */
static void
ask_to_trust (EscPreferencesWindow *self,
              const char           *url,
              GTlsCertificate      *certificate)
{
  g_autofree char *fingerprint = esc_client_dup_certificate_fingerprint (certificate);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  body = g_strdup_printf (_("The service at %s presents a certificate that no authority known to "
                            "this computer vouches for. Trust it only if the service’s "
                            "administrator confirms this fingerprint:\n\n%s"),
                          url, fingerprint);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Trust This Certificate?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "trust", _("_Trust and Connect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "certificate", g_object_ref (certificate), g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "url", g_strdup (url), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (trust_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscPreferencesWindow) self = user_data;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = esc_account_sign_in_finish (ESC_ACCOUNT (object), result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  /* The token now lives in the keyring: do not leave it in the widget. On
   * failure it stays where the user typed it, to be corrected. */
  if (identity != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  else if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_TLS) &&
           esc_api_error_get_peer_certificate (error) != NULL)
    ask_to_trust (self,
                  gtk_editable_get_text (GTK_EDITABLE (self->url_row)),
                  esc_api_error_get_peer_certificate (error));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

static void
connect_cb (EscPreferencesWindow *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  if (esc_account_get_busy (self->account))
    return;

  if (*token == '\0' && esc_account_get_identity (self->account) != NULL &&
      g_strcmp0 (url, esc_account_get_service_url (self->account)) == 0)
    return;

  esc_account_sign_in_async (self->account, url, token, self->cancellable,
                             sign_in_cb, g_object_ref (self));
}

static void
sign_out_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(EscPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!esc_account_sign_out_finish (ESC_ACCOUNT (object), result, &error) &&
      !g_cancellable_is_cancelled (self->cancellable))
    {
      g_autofree char *text = g_strdup_printf (_("Signed out, but the token could not be removed from the keyring: %s"),
                                               error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
    }
}

static void
sign_out_cb (EscPreferencesWindow *self)
{
  esc_account_sign_out_async (self->account, self->cancellable,
                              sign_out_done_cb, g_object_ref (self));
}

static void
esc_preferences_window_constructed (GObject *object)
{
  EscPreferencesWindow *self = (EscPreferencesWindow *)object;
  const char *url;

  G_OBJECT_CLASS (esc_preferences_window_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  self->account = esc_session_get_account (self->session);

  url = esc_account_get_service_url (self->account);
  if (url == NULL)
    url = esc_client_get_base_url (esc_account_get_client (self->account));
  if (url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);

  g_signal_connect_object (self->account, "notify",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_account_get_client (self->account), "notify::reachable",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update_status (self);
}

/* GtkWindow focuses the URL, selecting all of it, right after mapping the
 * window (gtk_window_show()). Connected, nothing waits to be typed: no field
 * keeps the focus or a selection. Otherwise the first empty field gets it,
 * with nothing selected. */
static gboolean
initial_focus_cb (gpointer user_data)
{
  EscPreferencesWindow *self = user_data;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));

  self->focus_source = 0;

  if (esc_account_get_identity (self->account) != NULL)
    {
      gtk_editable_select_region (GTK_EDITABLE (self->url_row), 0, 0);
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }
  else
    {
      GtkEditable *field = *url == '\0' ? GTK_EDITABLE (self->url_row) : GTK_EDITABLE (self->token_row);
      GtkEditable *text = gtk_editable_get_delegate (field);

      if (GTK_IS_TEXT (text))
        gtk_text_grab_focus_without_selecting (GTK_TEXT (text));
      else
        gtk_widget_grab_focus (GTK_WIDGET (field));
      gtk_editable_select_region (GTK_EDITABLE (self->url_row), 0, 0);
    }

  return G_SOURCE_REMOVE;
}

static void
esc_preferences_window_map (GtkWidget *widget)
{
  EscPreferencesWindow *self = ESC_PREFERENCES_WINDOW (widget);

  GTK_WIDGET_CLASS (esc_preferences_window_parent_class)->map (widget);

  if (self->focus_source == 0)
    self->focus_source = g_idle_add (initial_focus_cb, self);
}

static void
esc_preferences_window_dispose (GObject *object)
{
  EscPreferencesWindow *self = (EscPreferencesWindow *)object;

  g_clear_handle_id (&self->focus_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_PREFERENCES_WINDOW);

  self->account = NULL;
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_preferences_window_parent_class)->dispose (object);
}

static void
esc_preferences_window_finalize (GObject *object)
{
  EscPreferencesWindow *self = (EscPreferencesWindow *)object;

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (esc_preferences_window_parent_class)->finalize (object);
}

static void
esc_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EscPreferencesWindow *self = ESC_PREFERENCES_WINDOW (object);

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
esc_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EscPreferencesWindow *self = ESC_PREFERENCES_WINDOW (object);

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
esc_preferences_window_class_init (EscPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_preferences_window_constructed;
  object_class->dispose = esc_preferences_window_dispose;
  object_class->finalize = esc_preferences_window_finalize;
  object_class->get_property = esc_preferences_window_get_property;
  object_class->set_property = esc_preferences_window_set_property;
  widget_class->map = esc_preferences_window_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, EscPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, connect_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);
}

static void
esc_preferences_window_init (EscPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

/**
 * esc_preferences_window_new:
 * @parent: (nullable): the window to be transient for
 * @session: the application's session: its account is the one shown and changed
 *
 * Returns: (transfer full): a new #EscPreferencesWindow
 */
EscPreferencesWindow *
esc_preferences_window_new (GtkWindow  *parent,
                            EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "session", session,
                       NULL);
}

const char *
esc_preferences_window_get_status (EscPreferencesWindow *self)
{
  g_return_val_if_fail (ESC_IS_PREFERENCES_WINDOW (self), NULL);

  return adw_action_row_get_subtitle (self->status_row);
}
