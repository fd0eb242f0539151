/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-categories.h"
#include "esc-elevation-close-dialog.h"
#include "esc-elevation-detail.h"
#include "esc-elevation-private.h"
#include "esc-request-format.h"
#include "esc-secret-clipboard.h"

/* The password is in three places only, each wiped when it goes: the
 * EscElevationPassword the client answered (esc_elevation_password_free()
 * overwrites it), the GtkPasswordEntryBuffer of the text that shows it (GTK
 * keeps it in non-pageable memory and overwrites it when the buffer goes), and
 * while copied, the clipboard's bytes (overwritten when the clipboard lets
 * them go). It is never logged: errors name the request, never the answer. */

#define DEFAULT_CLIPBOARD_CLEAR_SECONDS 30

struct _EscElevationDetail
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkLabel             *title_label;
  GtkLabel             *state_label;
  AdwPreferencesGroup  *facts_group;
  AdwPreferencesGroup  *account_group;
  AdwActionRow         *account_row;
  AdwActionRow         *password_row;
  GtkText              *password_text;
  GtkButton            *reveal_button;
  GtkButton            *hide_button;
  GtkButton            *copy_button;
  AdwActionRow         *rotation_row;
  GtkLabel             *status_label;
  GtkWidget            *actions_box;
  GtkButton            *renew_button;
  GtkButton            *close_button;

  /* Owned references */
  EscSession           *session;
  EscElevationRequest  *request;
  EscElevationPassword *password;       /* NULL unless revealed */
  GCancellable         *cancellable;    /* the calls about the request shown */
  GPtrArray            *fact_rows;
  EscSecretClipboard   *clipboard;      /* NULL until a copy */
  GDateTime            *rotated_at;     /* the password shown rotated then (NULL: it did not) */

  guint                 tick_source;
  guint                 clipboard_clear_seconds;
  gboolean              busy;

  EscElevationClock     clock;
  gpointer              clock_data;
};

G_DEFINE_FINAL_TYPE (EscElevationDetail, esc_elevation_detail, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CLIPBOARD_CLEAR_SECONDS,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REQUEST_CHANGED,
  FORBIDDEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_password (EscElevationDetail *self);

/* Time ---------------------------------------------------------------------- */

static GDateTime *
dup_now (EscElevationDetail *self)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data);

  return g_date_time_new_now_utc ();
}

/* "1:59:58" */
static char *
format_remaining (GTimeSpan span)
{
  gint64 seconds = MAX (span, 0) / G_TIME_SPAN_SECOND;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d",
                          seconds / 3600, (int)(seconds / 60 % 60), (int)(seconds % 60));
}

static char *
format_clock_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  return g_date_time_format (local, "%X");
}

/* Messages ------------------------------------------------------------------ */

static void
show_status (EscElevationDetail *self,
             const char         *message,
             gboolean            is_error)
{
  gtk_label_set_label (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL && *message != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* What the service refused, said for this screen */
static void
show_error (EscElevationDetail *self,
            const GError       *error)
{

  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN))
    {
      show_status (self, _("The service no longer lets you use elevated access. Ask your IT "
                           "administrators to designate you for elevation again."), TRUE);
      g_signal_emit (self, signals[FORBIDDEN], 0);
    }
  else if (esc_elevation_problem_is (error, "elevation-request-expired"))
    show_status (self, _("Access through this request has ended. Renew it to read the password "
                         "again."), TRUE);
  else if (esc_elevation_problem_is (error, "elevation-request-closed"))
    show_status (self, _("This request is closed: its password can no longer be read."), TRUE);
  else if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND))
    show_status (self, _("The service no longer knows this request (records are kept 90 days)."),
                 TRUE);
  else
    show_status (self, error->message, TRUE);
}

static void
set_busy (EscElevationDetail *self,
          gboolean            busy)
{
  self->busy = busy;
  update_password (self);
}

/* Facts --------------------------------------------------------------------- */

static void
add_fact (EscElevationDetail *self,
          const char         *title,
          const char         *value)
{
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  gtk_widget_add_css_class (row, "esc-property");
  adw_preferences_group_add (self->facts_group, row);
  g_ptr_array_add (self->fact_rows, row);
}

static void
add_time_fact (EscElevationDetail *self,
               const char         *title,
               GDateTime          *time,
               const char         *who)
{
  g_autofree char *text = NULL;
  g_autofree char *with_who = NULL;

  if (time == NULL)
    return;

  text = esc_request_format_time_long (time);
  if (who != NULL && *who != '\0')
    /* Translators: "Monday 6 May 2024 at 09:00 by Camille Martin" */
    with_who = g_strdup_printf (_("%s by %s"), text, who);

  add_fact (self, title, with_who != NULL ? with_who : text);
}

/* (nullable): why a closed request was closed, but by its requester (the
 * actions taken say it all then) */
static const char *
closed_reason_label (const char *reason)
{
  if (g_strcmp0 (reason, "designation-withdrawn") == 0)
    return _("An IT administrator withdrew the elevation designation");
  if (g_strcmp0 (reason, "designation-expired") == 0)
    return _("The elevation designation expired");
  if (g_strcmp0 (reason, "access-removed") == 0)
    return _("An IT administrator removed the requester’s access");
  return NULL;
}

static void
clear_facts (EscElevationDetail *self)
{
  for (guint i = 0; i < self->fact_rows->len; i++)
    adw_preferences_group_remove (self->facts_group, g_ptr_array_index (self->fact_rows, i));
  g_ptr_array_set_size (self->fact_rows, 0);
}

static gboolean
is_open (EscElevationDetail *self)
{
  return self->request != NULL &&
         g_strcmp0 (esc_elevation_request_get_state (self->request), "open") == 0;
}

static void
update_facts (EscElevationDetail *self)
{
  EscElevationRequest *request = self->request;
  const char *group;
  g_autofree char *device = NULL;
  g_autofree char *views = NULL;
  g_autofree char *category = NULL;

  clear_facts (self);
  if (request == NULL)
    return;

  gtk_label_set_label (self->title_label, esc_elevation_request_get_title (request));
  gtk_label_set_label (self->state_label, is_open (self) ? C_("elevation state", "Open")
                                                         : C_("elevation state", "Closed"));

  group = esc_elevation_request_get_device_group (request);
  if (group != NULL)
    /* Translators: a device and its deployment group, "MMD-1 (group broad)" */
    device = g_strdup_printf (_("%s (group %s)"), esc_elevation_request_get_device (request), group);
  else
    device = g_strdup (esc_elevation_request_get_device (request));
  category = g_strdup_printf ("%s — %s",
                              esc_categories_get_label (esc_elevation_request_get_category (request)),
                              esc_categories_get_subcategory_label (esc_elevation_request_get_category (request),
                                                                    esc_elevation_request_get_subcategory (request)));
  views = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Read %d time", "Read %d times",
                                        esc_elevation_request_get_password_views (request)),
                           (int)esc_elevation_request_get_password_views (request));

  add_fact (self, _("Request"), esc_elevation_request_get_id (request));
  add_fact (self, _("Support ticket"), esc_elevation_request_get_ticket_id (request));
  add_fact (self, _("Device"), device);
  add_fact (self, _("Category"), category);
  add_fact (self, _("Plan of action"), esc_elevation_request_get_plan_of_action (request));
  add_time_fact (self, _("Opened"), esc_elevation_request_get_created_at (request),
                 esc_elevation_request_get_requested_by (request));
  add_time_fact (self, _("Renewed"), esc_elevation_request_get_renewed_at (request), NULL);
  if (is_open (self))
    add_time_fact (self, _("Access until"), esc_elevation_request_get_expires_at (request), NULL);
  add_fact (self, _("Password"), views);
  add_time_fact (self, _("Closed"), esc_elevation_request_get_closed_at (request),
                 esc_elevation_request_get_closed_by (request) != NULL
                   ? esc_elevation_request_get_closed_by (request)
                   /* Nobody: the service closed it on its own (an expired designation) */
                   : esc_elevation_request_get_closed_at (request) != NULL ? _("the Escalade service") : NULL);
  add_fact (self, _("Why"), closed_reason_label (esc_elevation_request_get_closed_reason (request)));
  add_fact (self, _("Actions taken"), esc_elevation_request_get_actions_taken (request));
}

/* The password -------------------------------------------------------------- */

/* The text's buffer goes, and GTK overwrites it; an empty one takes its place */
static void
clear_password_text (EscElevationDetail *self)
{
  g_autoptr(GtkEntryBuffer) empty = gtk_password_entry_buffer_new ();

  gtk_text_set_buffer (self->password_text, empty);
}

static void
update_password (EscElevationDetail *self)
{
  gboolean open = is_open (self);
  gboolean revealed = self->password != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->account_group), open);
  gtk_widget_set_visible (self->actions_box, open);
  gtk_widget_set_visible (GTK_WIDGET (self->password_text), revealed);
  gtk_widget_set_visible (GTK_WIDGET (self->reveal_button), !revealed);
  gtk_widget_set_visible (GTK_WIDGET (self->hide_button), revealed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->reveal_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), revealed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->renew_button), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->close_button), !self->busy);

  if (revealed)
    {
      adw_action_row_set_subtitle (self->account_row, self->password->account);
      adw_action_row_set_subtitle (self->password_row, NULL);
    }
  else
    {
      adw_action_row_set_subtitle (self->account_row, _("Shown with the password"));
      adw_action_row_set_subtitle (self->password_row,
                                   _("Hidden. Revealing it is recorded by the service."));
    }
}

static void
update_countdown (EscElevationDetail *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *remaining = NULL;
  g_autofree char *at = NULL;
  g_autofree char *text = NULL;

  if (self->password == NULL)
    {
      if (self->rotated_at != NULL)
        {
          at = format_clock_time (self->rotated_at);
          /* Translators: %s is a time of day */
          text = g_strdup_printf (_("Rotated at %s. Reveal the password to get the new one."), at);
        }
      adw_action_row_set_subtitle (self->rotation_row,
                                   text != NULL ? text : _("Known once the password is revealed"));
      return;
    }

  now = dup_now (self);
  remaining = format_remaining (g_date_time_difference (self->password->rotates_at, now));
  at = format_clock_time (self->password->rotates_at);
  /* Translators: a live countdown, "in 1:59:58 (at 11:00:00)" */
  text = g_strdup_printf (_("In %s (at %s)"), remaining, at);
  adw_action_row_set_subtitle (self->rotation_row, text);
}

static gboolean
tick_cb (gpointer user_data)
{
  EscElevationDetail *self = user_data;
  g_autoptr(GDateTime) now = NULL;

  if (self->password == NULL)
    {
      self->tick_source = 0;
      return G_SOURCE_REMOVE;
    }

  now = dup_now (self);
  if (g_date_time_compare (now, self->password->rotates_at) >= 0)
    {
      /* The password shown no longer works: it goes, and the new one is
       * read only when the user asks (each read is recorded) */
      g_autoptr(GDateTime) rotated_at = g_date_time_ref (self->password->rotates_at);

      esc_elevation_detail_drop_password (self);
      self->rotated_at = g_steal_pointer (&rotated_at);
      update_countdown (self);
      return G_SOURCE_CONTINUE;
    }

  update_countdown (self);
  return G_SOURCE_CONTINUE;
}

static void
password_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EscElevationDetail *self = user_data;
  g_autoptr(EscElevationPassword) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkEntryBuffer) buffer = NULL;

  password = esc_client_get_elevation_password_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (password == NULL)
    {
      show_error (self, error);
      return;
    }

  esc_elevation_detail_drop_password (self);
  show_status (self, NULL, FALSE);

  buffer = gtk_password_entry_buffer_new ();
  gtk_entry_buffer_set_text (buffer, password->password, -1);
  gtk_text_set_buffer (self->password_text, buffer);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->password_text),
                                MIN ((int)g_utf8_strlen (password->password, -1), 40));
  self->password = g_steal_pointer (&password);

  update_password (self);
  update_countdown (self);
  if (self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

static void
reveal_clicked_cb (EscElevationDetail *self)
{
  if (!is_open (self) || self->busy)
    return;

  set_busy (self, TRUE);
  esc_client_get_elevation_password_async (esc_session_get_client (self->session),
                                           esc_elevation_request_get_id (self->request),
                                           self->cancellable, password_read_cb, self);
}

static void
hide_clicked_cb (EscElevationDetail *self)
{
  esc_elevation_detail_drop_password (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->reveal_button));
}

/* The clipboard ------------------------------------------------------------- */

static void
copy_clicked_cb (EscElevationDetail *self)
{
  g_autofree char *copied = NULL;

  if (self->password == NULL)
    return;

  if (self->clipboard == NULL)
    {
      self->clipboard = esc_secret_clipboard_new (gtk_widget_get_clipboard (GTK_WIDGET (self)));
      g_object_bind_property (self, "clipboard-clear-seconds", self->clipboard, "clear-seconds",
                              G_BINDING_SYNC_CREATE);
    }
  esc_secret_clipboard_copy (self->clipboard, self->password->password);

  copied = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Password copied. The clipboard is cleared in %u second.",
                                         "Password copied. The clipboard is cleared in %u seconds.",
                                         self->clipboard_clear_seconds),
                            self->clipboard_clear_seconds);
  show_status (self, copied, FALSE);
}

/* Renew and close ----------------------------------------------------------- */

static void
set_request_from_service (EscElevationDetail  *self,
                          EscElevationRequest *request)
{
  esc_elevation_detail_set_request (self, request);
  g_signal_emit (self, signals[REQUEST_CHANGED], 0, request);
}

static void
renewed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  EscElevationDetail *self = user_data;
  g_autoptr(EscElevationRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *until = NULL;
  g_autofree char *text = NULL;

  request = esc_client_renew_elevation_request_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (request == NULL)
    {
      show_error (self, error);
      return;
    }

  set_request_from_service (self, request);
  until = esc_request_format_time_long (esc_elevation_request_get_expires_at (request));
  /* Translators: %s is a date and time */
  text = g_strdup_printf (_("Access renewed until %s."), until);
  show_status (self, text, FALSE);
}

static void
renew_clicked_cb (EscElevationDetail *self)
{
  g_autofree char *key = g_uuid_string_random ();

  if (!is_open (self) || self->busy)
    return;

  set_busy (self, TRUE);
  esc_client_renew_elevation_request_async (esc_session_get_client (self->session),
                                            esc_elevation_request_get_id (self->request),
                                            key, self->cancellable, renewed_cb, self);
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EscElevationDetail *self = user_data;
  g_autoptr(EscElevationRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = esc_client_close_elevation_request_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (request == NULL)
    {
      show_error (self, error);
      return;
    }

  esc_elevation_detail_drop_password (self);
  set_request_from_service (self, request);
  show_status (self, _("Request closed. Its password can no longer be read."), FALSE);
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  EscElevationDetail *self = user_data;
  g_autofree char *actions = esc_elevation_close_dialog_dup_actions (dialog);
  g_autofree char *key = NULL;

  if (!g_str_equal (response, "close") || *actions == '\0' || !is_open (self))
    return;

  key = g_uuid_string_random ();
  set_busy (self, TRUE);
  esc_client_close_elevation_request_async (esc_session_get_client (self->session),
                                            esc_elevation_request_get_id (self->request),
                                            actions, key, self->cancellable, closed_cb, self);
}

static void
close_clicked_cb (EscElevationDetail *self)
{
  GtkWidget *dialog;

  if (!is_open (self) || self->busy)
    return;

  dialog = esc_elevation_close_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject ------------------------------------------------------------------- */

static void
esc_elevation_detail_dispose (GObject *object)
{
  EscElevationDetail *self = (EscElevationDetail *)object;

  g_cancellable_cancel (self->cancellable);
  esc_elevation_detail_drop_password (self);
  /* The window closes: a password still on the clipboard goes with it */
  g_clear_object (&self->clipboard);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_ELEVATION_DETAIL);
  g_clear_object (&self->request);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->rotated_at, g_date_time_unref);

  G_OBJECT_CLASS (esc_elevation_detail_parent_class)->dispose (object);
}

static void
esc_elevation_detail_finalize (GObject *object)
{
  EscElevationDetail *self = (EscElevationDetail *)object;

  g_ptr_array_unref (self->fact_rows);

  G_OBJECT_CLASS (esc_elevation_detail_parent_class)->finalize (object);
}

static void
esc_elevation_detail_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  EscElevationDetail *self = (EscElevationDetail *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CLIPBOARD_CLEAR_SECONDS:
      g_value_set_uint (value, self->clipboard_clear_seconds);
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, self->password != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_elevation_detail_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  EscElevationDetail *self = (EscElevationDetail *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_CLIPBOARD_CLEAR_SECONDS:
      if (self->clipboard_clear_seconds != g_value_get_uint (value))
        {
          self->clipboard_clear_seconds = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_elevation_detail_class_init (EscElevationDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_elevation_detail_dispose;
  object_class->finalize = esc_elevation_detail_finalize;
  object_class->get_property = esc_elevation_detail_get_property;
  object_class->set_property = esc_elevation_detail_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* How long a copied password stays on the clipboard (tests make it short) */
  properties[PROP_CLIPBOARD_CLEAR_SECONDS] =
    g_param_spec_uint ("clipboard-clear-seconds", NULL, NULL,
                       1, 3600, DEFAULT_CLIPBOARD_CLEAR_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REQUEST_CHANGED] =
    g_signal_new ("request-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ESC_TYPE_ELEVATION_REQUEST);
  signals[FORBIDDEN] =
    g_signal_new ("forbidden", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-elevation-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, state_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, facts_group);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, account_group);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, account_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, password_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, password_text);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, hide_button);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, copy_button);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, rotation_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, actions_box);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, renew_button);
  gtk_widget_class_bind_template_child (widget_class, EscElevationDetail, close_button);
  gtk_widget_class_bind_template_callback (widget_class, reveal_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, hide_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, renew_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, close_clicked_cb);
}

static void
esc_elevation_detail_init (EscElevationDetail *self)
{
  self->clipboard_clear_seconds = DEFAULT_CLIPBOARD_CLEAR_SECONDS;
  self->fact_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  clear_password_text (self);
  update_password (self);
  update_countdown (self);
}

/**
 * esc_elevation_detail_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): an empty detail
 */
EscElevationDetail *
esc_elevation_detail_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_ELEVATION_DETAIL, "session", session, NULL);
}

void
esc_elevation_detail_set_request (EscElevationDetail  *self,
                                  EscElevationRequest *request)
{
  gboolean same;

  g_return_if_fail (ESC_IS_ELEVATION_DETAIL (self));
  g_return_if_fail (request == NULL || ESC_IS_ELEVATION_REQUEST (request));

  same = self->request != NULL && request != NULL &&
         g_str_equal (esc_elevation_request_get_id (self->request),
                      esc_elevation_request_get_id (request));

  if (!same)
    {
      /* What was under way concerned the other request */
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
      self->busy = FALSE;
      esc_elevation_detail_drop_password (self);
      g_clear_pointer (&self->rotated_at, g_date_time_unref);
      show_status (self, NULL, FALSE);
    }

  g_set_object (&self->request, request);
  if (!is_open (self))
    esc_elevation_detail_drop_password (self);

  update_facts (self);
  update_password (self);
  update_countdown (self);
}

EscElevationRequest *
esc_elevation_detail_get_request (EscElevationDetail *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_DETAIL (self), NULL);
  return self->request;
}

void
esc_elevation_detail_drop_password (EscElevationDetail *self)
{
  g_return_if_fail (ESC_IS_ELEVATION_DETAIL (self));

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->password == NULL)
    return;

  g_clear_pointer (&self->password, esc_elevation_password_free);
  if (self->password_text != NULL)
    {
      clear_password_text (self);
      update_password (self);
      update_countdown (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

gboolean
esc_elevation_detail_get_revealed (EscElevationDetail *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_DETAIL (self), FALSE);
  return self->password != NULL;
}

void
esc_elevation_detail_set_clock (EscElevationDetail *self,
                                EscElevationClock   clock,
                                gpointer            user_data)
{
  g_return_if_fail (ESC_IS_ELEVATION_DETAIL (self));

  self->clock = clock;
  self->clock_data = user_data;
}
