/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-elevation-page.h"
#include "esc-sla-page.h"
#include "esc-first-frame.h"
#include "esc-requests-page.h"
#include "esc-roles-page.h"
#include "esc-routing-page.h"
#include "esc-sidebar-row.h"
#include "esc-staff-page.h"
#include "esc-window.h"
#include "esc-ui-private.h"

struct _EscWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkWidget            *connection_button;
  GtkImage             *connection_icon;
  GtkLabel             *connection_label;
  GtkWidget            *content_box;
  AdwWindowTitle       *page_title;
  GtkStack             *stack;
  AdwStatusPage        *unavailable_page;
  AdwBin               *requests_bin;
  AdwBin               *elevation_bin;
  AdwBin               *roles_bin;
  AdwBin               *routing_bin;
  AdwBin               *staff_bin;
  AdwBin               *slas_bin;

  /* The screens, each built when first needed (NULL until then), in its bin */
  EscRequestsPage      *requests_page;
  EscElevationPage     *elevation_page;
  EscRolesPage         *roles_page;
  EscRoutingPage       *routing_page;
  EscStaffPage         *staff_page;
  EscSlaPage           *sla_page;
  guint                 prepare_source;
  gboolean              content_focused;  /* once, when the window first shows a screen */
  guint                 focus_source;
  guint                 countdown_source; /* "retrying in N s", once a second */

  /* Owned references */
  EscSession           *session;
  GSettings            *settings;

  /* Borrowed from the session, which owns them */
  EscAccount           *account;
  EscWorkspace         *workspace;  /* NULL until the session's is open */
};

G_DEFINE_FINAL_TYPE (EscWindow, esc_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The screens of the sidebar, in order. Only screens that work are listed. */
static const struct {
  const char *name;
  const char *help_page;
} screens[] = {
  { "requests", "requests" },
  { "elevation", "elevation" },
  { "roles", "roles" },
  { "routing", "routing" },
  { "staff", "staff" },
  { "slas", "slas" },
};

/* The first frame shows the loading page: the screens are not built for it, nor
 * measured with it (a homogeneous stack measures every child). The Requests
 * screen is built once that frame is painted, while the workspace opens, or as
 * soon as something needs it; the others when first shown. */

static EscRequestsPage *
ensure_requests_page (EscWindow *self)
{
  if (self->requests_page == NULL)
    {
      g_clear_handle_id (&self->prepare_source, g_source_remove);

      self->requests_page = esc_requests_page_new (self->session);
      adw_bin_set_child (self->requests_bin, GTK_WIDGET (self->requests_page));
    }

  return self->requests_page;
}

static EscElevationPage *
ensure_elevation_page (EscWindow *self)
{
  if (self->elevation_page == NULL)
    {
      self->elevation_page = esc_elevation_page_new (self->session);
      adw_bin_set_child (self->elevation_bin, GTK_WIDGET (self->elevation_page));
    }

  return self->elevation_page;
}

static EscRolesPage *
ensure_roles_page (EscWindow *self)
{
  if (self->roles_page == NULL)
    {
      self->roles_page = esc_roles_page_new (self->session);
      adw_bin_set_child (self->roles_bin, GTK_WIDGET (self->roles_page));
    }

  return self->roles_page;
}

static EscRoutingPage *
ensure_routing_page (EscWindow *self)
{
  if (self->routing_page == NULL)
    {
      self->routing_page = esc_routing_page_new (self->session);
      adw_bin_set_child (self->routing_bin, GTK_WIDGET (self->routing_page));
    }

  return self->routing_page;
}

static EscStaffPage *
ensure_staff_page (EscWindow *self)
{
  if (self->staff_page == NULL)
    {
      self->staff_page = ESC_STAFF_PAGE (esc_staff_page_new (self->session));
      adw_bin_set_child (self->staff_bin, GTK_WIDGET (self->staff_page));
    }

  return self->staff_page;
}

static EscSlaPage *
ensure_sla_page (EscWindow *self)
{
  if (self->sla_page == NULL)
    {
      self->sla_page = esc_sla_page_new (self->session);
      adw_bin_set_child (self->slas_bin, GTK_WIDGET (self->sla_page));
    }

  return self->sla_page;
}

static void
ensure_screen (EscWindow  *self,
               const char *name)
{
  if (g_str_equal (name, "requests"))
    ensure_requests_page (self);
  else if (g_str_equal (name, "elevation"))
    ensure_elevation_page (self);
  else if (g_str_equal (name, "roles"))
    ensure_roles_page (self);
  else if (g_str_equal (name, "routing"))
    ensure_routing_page (self);
  else if (g_str_equal (name, "staff"))
    ensure_staff_page (self);
  else if (g_str_equal (name, "slas"))
    ensure_sla_page (self);
}

static void focus_content (EscWindow *self);

/* The first screen shown with the window: the focus starts in its content, not on the
 * header's first button, where GTK puts it when the window maps */
static gboolean
focus_content_cb (gpointer user_data)
{
  EscWindow *self = user_data;

  self->focus_source = 0;
  focus_content (self);

  return G_SOURCE_REMOVE;
}

static void
mapped_cb (EscWindow *self)
{
  if (self->content_focused || self->workspace == NULL)
    return;

  /* Once the screen is mapped too */
  self->content_focused = TRUE;
  self->focus_source = g_idle_add (focus_content_cb, self);
}

static gboolean
prepare_requests_cb (gpointer user_data)
{
  EscWindow *self = user_data;

  self->prepare_source = 0;
  ensure_requests_page (self);

  return G_SOURCE_REMOVE;
}

/* In the first frame's update phase: the idle runs once that frame is painted,
 * and before the next one (the loading page's spinner keeps asking for frames,
 * and with a software renderer a lower priority would wait for the workspace) */
static gboolean
first_frame_tick_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  EscWindow *self = ESC_WINDOW (widget);

  if (self->requests_page == NULL && self->prepare_source == 0)
    self->prepare_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, prepare_requests_cb, self, NULL);

  return G_SOURCE_REMOVE;
}

static GtkWidget *
create_sidebar_row (GtkStackPage *page)
{
  return esc_sidebar_row_new (gtk_stack_page_get_name (page), gtk_stack_page_get_title (page),
                              gtk_stack_page_get_icon_name (page));
}

/* The screen shown from the keyboard (Alt+1…, a notification, the window opening): the focus
 * goes to its content, its search or its list */
static void
focus_content (EscWindow *self)
{
  GtkWidget *content = gtk_stack_get_visible_child (self->stack);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (content != NULL && (focus == NULL || !gtk_widget_is_ancestor (focus, content)))
    gtk_widget_child_focus (content, GTK_DIR_TAB_FORWARD);
}

static void
sidebar_row_selected_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         EscWindow     *self)
{
  const char *name;
  GtkStackPage *page;

  if (row == NULL || self->workspace == NULL)
    return;

  name = gtk_widget_get_name (GTK_WIDGET (row));
  ensure_screen (self, name);
  gtk_stack_set_visible_child_name (self->stack, name);
  page = gtk_stack_get_page (self->stack, gtk_stack_get_visible_child (self->stack));
  adw_window_title_set_title (self->page_title, gtk_stack_page_get_title (page));
}

static void
sidebar_row_activated_cb (GtkListBox    *list,
                          GtkListBoxRow *row,
                          EscWindow     *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
back_clicked_cb (EscWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_connection (EscWindow  *self,
                 const char *label,
                 const char *tooltip,
                 const char *icon_name)
{
  gtk_label_set_label (self->connection_label, label);
  /* Read as what it says; its tooltip describes it */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->connection_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->connection_label), tooltip);
  gtk_image_set_from_icon_name (self->connection_icon, icon_name);
}

static void update_connection (EscWindow *self);

static gboolean
countdown_cb (gpointer user_data)
{
  EscWindow *self = user_data;

  update_connection (self);

  return G_SOURCE_CONTINUE;
}

/* Whole seconds until the connection check asks the service again (0: now,
 * or no check planned) */
static guint
seconds_to_next_check (EscWindow *self)
{
  GDateTime *next = esc_connection_check_get_next_check (esc_session_get_connection_check (self->session));
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan left;

  if (next == NULL)
    return 0;

  now = g_date_time_new_now_utc ();
  left = g_date_time_difference (next, now);

  return left > 0 ? (guint)((left + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND) : 0;
}

/* What the footer of the sidebar says is what is true now: signed in but
 * unable to reach the service is "Offline — retrying", whatever the account
 * knew of its identity; a service that answers that it is overloaded (503)
 * is "busy"; both say when the service is asked again. */
static void
update_connection (EscWindow *self)
{
  EscIdentity *identity = esc_account_get_identity (self->account);
  EscAccountState state = esc_account_get_state (self->account);
  EscClient *client = esc_account_get_client (self->account);
  gboolean reachable = esc_client_get_reachable (client);
  gboolean busy = esc_client_get_busy (client);
  guint seconds = seconds_to_next_check (self);
  gboolean counting = FALSE;

  if (esc_account_get_busy (self->account))
    {
      show_connection (self, _("Connecting…"), NULL, "network-idle-symbolic");
    }
  else if (identity != NULL && busy)
    {
      const char *url = esc_account_get_service_url (self->account);
      g_autofree char *tooltip = NULL;
      g_autofree char *text = NULL;

      /* Translators: a tooltip; %s is the service's address */
      tooltip = g_strdup_printf (_("%s is overloaded and asked to wait. Changes are kept and sent once it answers again."),
                                 url != NULL ? url : "");
      if (seconds > 0)
        /* Translators: in the sidebar, while the service is overloaded (HTTP 503) */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Service busy — retrying in %u second",
                                             "Service busy — retrying in %u seconds", seconds), seconds);
      else
        text = g_strdup (_("Service busy — retrying"));
      show_connection (self, text, tooltip, "network-error-symbolic");
      counting = TRUE;
    }
  else if ((identity != NULL && !reachable) || state == ESC_ACCOUNT_STATE_OFFLINE)
    {
      const char *url = esc_account_get_service_url (self->account);
      g_autofree char *tooltip = NULL;
      g_autofree char *text = NULL;

      /* Translators: a tooltip; %s is the service's address */
      tooltip = g_strdup_printf (_("%s cannot be reached. Changes are kept and sent as soon as it answers."),
                                 url != NULL ? url : "");
      if (seconds > 0)
        /* Translators: in the sidebar, while the service cannot be reached */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline — retrying in %u second",
                                             "Offline — retrying in %u seconds", seconds), seconds);
      else
        text = g_strdup (_("Offline — retrying"));
      show_connection (self, text, tooltip, "network-offline-symbolic");
      counting = TRUE;
    }
  else if (identity != NULL)
    {
      g_autofree char *description = esc_identity_dup_description (identity);
      g_autofree char *text = g_strdup_printf (_("Connected as %s"), description);

      /* The label may be cut in two lines: the tooltip has all of it */
      g_autofree char *tooltip = g_strdup_printf ("%s\n%s", text,
                                                  esc_account_get_service_url (self->account));

      show_connection (self, text, tooltip, "network-transmit-receive-symbolic");
    }
  else if (state == ESC_ACCOUNT_STATE_NEEDS_SIGN_IN)
    {
      show_connection (self, _("Sign in again: see Preferences"),
                       esc_account_get_last_error (self->account), "network-offline-symbolic");
    }
  else
    {
      const char *error = esc_account_get_last_error (self->account);

      show_connection (self,
                       error != NULL ? _("Not connected: see Preferences") : _("Not connected"),
                       error, "network-offline-symbolic");
    }

  /* The seconds count down while a check is planned */
  counting = counting && esc_connection_check_get_next_check (esc_session_get_connection_check (self->session)) != NULL;
  if (counting && self->countdown_source == 0)
    self->countdown_source = g_timeout_add (1000, countdown_cb, self);
  else if (!counting)
    g_clear_handle_id (&self->countdown_source, g_source_remove);
}

/* Without a help viewer, GTK would only say "Operation not supported". */
static void
help_shown_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("Could not show the help: %s", error->message);
  dialog = adw_message_dialog_new (GTK_WINDOW (object), _("No Help Viewer"),
                                   _("Escalade’s help opens in GNOME Help (Yelp), which is not "
                                     "installed here. Install GNOME Help — the “yelp” package — "
                                     "then press F1 again."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
help_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscWindow *self = ESC_WINDOW (widget);
  const char *screen = esc_window_get_screen (self);
  g_autofree char *uri = NULL;

  uri = g_strdup ("help:escalade");
  for (guint i = 0; screen != NULL && i < G_N_ELEMENTS (screens); i++)
    {
      if (g_str_equal (screens[i].name, screen))
        {
          g_free (uri);
          uri = g_strdup_printf ("help:escalade/%s", screens[i].help_page);
        }
    }

  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, NULL, help_shown_cb, self);
}

/* GTK < 4.10 leaves the shortcuts window's search button unnamed */
static void
name_search_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_TOGGLE_BUTTON (child) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child))))
        {
          gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Search Shortcuts"), -1);
          gtk_accessible_reset_relation (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
        }
      name_search_button (child);
    }
}

/* GtkApplication builds the shortcuts window of gtk/help-overlay.ui with every
 * window; ours (ui/help-overlay.ui) is built when first asked for, then handed to
 * GtkApplicationWindow, whose own action shows it from then on, as it would have. */
static void
show_help_overlay_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplicationWindow *window = user_data;
  g_autoptr(GtkBuilder) builder = NULL;
  GObject *overlay;

  builder = gtk_builder_new_from_resource ("/io/github/escalade/Escalade/ui/help-overlay.ui");
  overlay = gtk_builder_get_object (builder, "help_overlay");
  name_search_button (GTK_WIDGET (overlay));

  g_action_map_remove_action (G_ACTION_MAP (window), "show-help-overlay");
  gtk_application_window_set_help_overlay (window, GTK_SHORTCUTS_WINDOW (overlay));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-help-overlay", NULL);
}

static void
show_screen_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EscWindow *self = ESC_WINDOW (widget);

  esc_window_set_screen (self, g_variant_get_string (parameter, NULL));
  focus_content (self);
}

static void show_workspace       (EscWindow *self);
static void show_workspace_error (EscWindow *self);

static void
esc_window_constructed (GObject *object)
{
  EscWindow *self = (EscWindow *)object;

  G_OBJECT_CLASS (esc_window_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));
  self->account = esc_session_get_account (self->session);

  /* After the pages' own handlers: a page shown has its workspace */
  g_signal_connect_object (self->session, "notify::workspace",
                           G_CALLBACK (show_workspace), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->session, "notify::workspace-error",
                           G_CALLBACK (show_workspace_error), self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  if (esc_session_get_workspace (self->session) != NULL)
    show_workspace (self);
  if (esc_session_get_workspace_error (self->session) != NULL)
    show_workspace_error (self);

  g_signal_connect_object (self->account, "notify",
                           G_CALLBACK (update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_account_get_client (self->account), "notify::reachable",
                           G_CALLBACK (update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_account_get_client (self->account), "notify::busy",
                           G_CALLBACK (update_connection), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_session_get_connection_check (self->session), "notify::next-check",
                           G_CALLBACK (update_connection), self, G_CONNECT_SWAPPED);
  update_connection (self);
}

static void
esc_window_dispose (GObject *object)
{
  EscWindow *self = (EscWindow *)object;

  g_clear_handle_id (&self->prepare_source, g_source_remove);
  g_clear_handle_id (&self->focus_source, g_source_remove);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_WINDOW);
  /* Children of the bins, gone with them */
  self->requests_page = NULL;
  self->elevation_page = NULL;
  self->roles_page = NULL;
  self->routing_page = NULL;
  self->staff_page = NULL;
  self->sla_page = NULL;

  self->account = NULL;
  self->workspace = NULL;
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (esc_window_parent_class)->dispose (object);
}

static void
esc_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EscWindow *self = ESC_WINDOW (object);

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
esc_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EscWindow *self = ESC_WINDOW (object);

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
esc_window_class_init (EscWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_window_constructed;
  object_class->dispose = esc_window_dispose;
  object_class->get_property = esc_window_get_property;
  object_class->set_property = esc_window_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EscWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, connection_button);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, connection_icon);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, requests_bin);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, elevation_bin);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, roles_bin);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, routing_bin);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, staff_bin);
  gtk_widget_class_bind_template_child (widget_class, EscWindow, slas_bin);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.help", NULL, help_action);
  gtk_widget_class_install_action (widget_class, "win.show-screen", "s", show_screen_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-screen", "s", "requests");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-screen", "s", "elevation");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-screen", "s", "roles");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "win.show-screen", "s", "routing");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK,
                                       "win.show-screen", "s", "staff");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_6, GDK_ALT_MASK,
                                       "win.show-screen", "s", "slas");
}

/* bench/startup: the window is ready once it shows a screen or an error, not "loading". */
static gboolean
is_ready_for_bench (GtkWindow *window)
{
  EscWindow *self = ESC_WINDOW (window);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") != 0;
}

static void
esc_window_init (EscWindow *self)
{
  static const GActionEntry win_actions[] = {
    { "show-help-overlay", show_help_overlay_cb },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));
  esc_first_frame_watch (GTK_WINDOW (self), is_ready_for_bench);

  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      GtkWidget *child = gtk_stack_get_child_by_name (self->stack, screens[i].name);
      GtkStackPage *page = gtk_stack_get_page (self->stack, child);

      gtk_list_box_append (self->sidebar_list, create_sidebar_row (page));
    }

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->sidebar_list), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_widget_add_tick_callback (GTK_WIDGET (self), first_frame_tick_cb, NULL, NULL);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);

  /* Remember the window's size, as GNOME applications do */
  self->settings = g_settings_new (APPLICATION_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

/**
 * esc_window_new:
 * @application: (nullable): the application
 * @session: the application's session
 *
 * Returns: (transfer full): a new #EscWindow onto @session: its screens once the session's
 *   workspace is open, the loading page until then
 */
EscWindow *
esc_window_new (GtkApplication *application,
                EscSession     *session)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

/**
 * esc_window_get_session:
 * @self: a #EscWindow
 *
 * Returns: (transfer none): the session the window shows
 */
EscSession *
esc_window_get_session (EscWindow *self)
{
  g_return_val_if_fail (ESC_IS_WINDOW (self), NULL);
  return self->session;
}

/* The session's workspace is open: the screens show */
static void
show_workspace (EscWindow *self)
{
  EscWorkspace *workspace = esc_session_get_workspace (self->session);
  GtkListBoxRow *first;

  if (workspace == NULL || self->workspace == workspace)
    return;

  self->workspace = workspace;
  ensure_requests_page (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->sidebar_list), TRUE);
  first = gtk_list_box_get_row_at_index (self->sidebar_list, 0);
  gtk_list_box_select_row (self->sidebar_list, first);
  sidebar_row_selected_cb (self->sidebar_list, first, self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    mapped_cb (self);
}

static void
error_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          EscWindow        *self)
{
  if (g_str_equal (response, "quit"))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* Why the workspace could not be opened (or is no longer written to), in the window and in a
 * dialog */
static void
show_workspace_error (EscWindow *self)
{
  const GError *error = esc_session_get_workspace_error (self->session);
  GtkWidget *dialog;

  if (error == NULL)
    return;

  adw_status_page_set_description (self->unavailable_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "unavailable");
  adw_window_title_set_title (self->page_title, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sidebar_list), FALSE);

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   _("The Workspace Could Not Be Opened"),
                                   error->message);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Close"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (error_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
esc_window_set_screen (EscWindow  *self,
                       const char *name)
{
  g_return_if_fail (ESC_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (self->workspace == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      if (g_str_equal (screens[i].name, name))
        {
          GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->sidebar_list, (int)i);

          gtk_list_box_select_row (self->sidebar_list, row);
          return;
        }
    }
}

const char *
esc_window_get_screen (EscWindow *self)
{
  g_return_val_if_fail (ESC_IS_WINDOW (self), NULL);

  if (self->workspace == NULL)
    return NULL;

  return gtk_stack_get_visible_child_name (self->stack);
}

void
esc_window_add_toast (EscWindow  *self,
                      const char *title)
{
  g_return_if_fail (ESC_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/**
 * esc_window_show_request:
 * @self: a #EscWindow
 * @id: a support request's id, e.g. "SR-000123"
 *
 * Shows the Requests screen with that request selected (from a notification).
 */
void
esc_window_show_request (EscWindow  *self,
                         const char *id)
{
  g_return_if_fail (ESC_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  esc_window_set_screen (self, "requests");
  esc_requests_page_select_request (ensure_requests_page (self), id);
}

/**
 * esc_window_get_elevation_page:
 * @self: a #EscWindow
 *
 * Returns: (transfer none): the Elevation screen, built if it was not yet
 */
EscElevationPage *
esc_window_get_elevation_page (EscWindow *self)
{
  g_return_val_if_fail (ESC_IS_WINDOW (self), NULL);
  return ensure_elevation_page (self);
}

/**
 * esc_window_get_sla_page:
 * @self: a #EscWindow
 *
 * Returns: (transfer none): the SLAs screen, built if it was not yet
 */
EscSlaPage *
esc_window_get_sla_page (EscWindow *self)
{
  g_return_val_if_fail (ESC_IS_WINDOW (self), NULL);
  return ensure_sla_page (self);
}
