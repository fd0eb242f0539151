/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-elevation-detail.h"
#include "esc-elevation-form.h"
#include "esc-elevation-page.h"

#define DEFAULT_RECHECK_SECONDS 60
#define LIST_LIMIT 200

struct _EscElevationPage
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkStack           *state_stack;
  AdwStatusPage      *denied_page;
  GtkListView        *requests_view;
  GtkLabel           *list_status_label;
  GtkStack           *content_stack;
  AdwBin             *form_bin;
  AdwBin             *detail_bin;

  /* Built with the session */
  EscElevationForm   *form;
  EscElevationDetail *detail;

  /* Owned references */
  EscSession         *session;
  EscIdentity        *identity;     /* who the service last said we are */
  GListStore         *requests;     /* EscElevationRequest, newest first */
  GtkSingleSelection *selection;
  GCancellable       *cancellable;  /* the list and the recheck */

  guint               recheck_source;
  guint               recheck_seconds;
  guint               clipboard_clear_seconds;
  gboolean            usable;
  gboolean            replacing;
  gboolean            loading;      /* the list is being fetched */    /* a request of the list is replaced by its new state */
};

G_DEFINE_FINAL_TYPE (EscElevationPage, esc_elevation_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_USABLE,
  PROP_RECHECK_SECONDS,
  PROP_CLIPBOARD_CLEAR_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_access (EscElevationPage *self);

static gboolean
may_elevate (EscIdentity *identity)
{
  const char * const *designations;

  if (identity == NULL)
    return FALSE;

  designations = esc_identity_get_designations (identity);
  return designations != NULL && g_strv_contains (designations, "elevation");
}

/* The list ------------------------------------------------------------------ */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 28);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 28);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  EscElevationRequest *request = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  gboolean open = g_strcmp0 (esc_elevation_request_get_state (request), "open") == 0;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;

  /* Translators: a request in the list: "Open · MMD-1" (its state, its device) */
  text = g_strdup_printf (_("%s · %s"),
                          open ? C_("elevation state", "Open") : C_("elevation state", "Closed"),
                          esc_elevation_request_get_device (request));
  gtk_label_set_label (GTK_LABEL (title), esc_elevation_request_get_title (request));
  gtk_label_set_label (GTK_LABEL (subtitle), text);

  /* Translators: the spoken name of a request in the list: its title, "Open · MMD-1", its id */
  name = g_strdup_printf (_("%s, %s, %s"), esc_elevation_request_get_title (request), text,
                          esc_elevation_request_get_id (request));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
show_form (EscElevationPage *self)
{
  gtk_stack_set_visible_child_name (self->content_stack, "form");
  esc_elevation_detail_set_request (self->detail, NULL);
}

static void
selection_changed_cb (EscElevationPage *self)
{
  EscElevationRequest *request;

  if (self->replacing)
    return;

  request = gtk_single_selection_get_selected_item (self->selection);
  if (request == NULL)
    {
      show_form (self);
      return;
    }

  esc_elevation_detail_set_request (self->detail, request);
  gtk_stack_set_visible_child_name (self->content_stack, "detail");
}

static void
update_list_status (EscElevationPage *self,
                    const char       *error)
{
  if (error != NULL)
    gtk_label_set_label (self->list_status_label, error);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->requests)) == 0)
    gtk_label_set_label (self->list_status_label, _("No elevation requests in the last 90 days."));

  gtk_widget_set_visible (GTK_WIDGET (self->list_status_label),
                          error != NULL || g_list_model_get_n_items (G_LIST_MODEL (self->requests)) == 0);
}

/* The list as the service has it now; the request shown stays shown */
static void
replace_requests (EscElevationPage *self,
                  GPtrArray        *requests)
{
  EscElevationRequest *selected = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *selected_id = NULL;

  if (selected != NULL)
    selected_id = g_strdup (esc_elevation_request_get_id (selected));

  self->replacing = TRUE;
  g_list_store_splice (self->requests, 0, g_list_model_get_n_items (G_LIST_MODEL (self->requests)),
                       requests->pdata, requests->len);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; selected_id != NULL && i < requests->len; i++)
    {
      if (g_str_equal (esc_elevation_request_get_id (g_ptr_array_index (requests, i)), selected_id))
        gtk_single_selection_set_selected (self->selection, i);
    }
  self->replacing = FALSE;

  selection_changed_cb (self);
}

static void
requests_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EscElevationPage *self = user_data;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  requests = esc_client_list_elevation_requests_finish (ESC_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->loading = FALSE;

  if (requests == NULL)
    {
      /* Translators: %s says why */
      message = g_strdup_printf (_("Your requests could not be loaded: %s"), error->message);
      update_list_status (self, message);
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN))
        esc_elevation_page_recheck (self);
      return;
    }

  replace_requests (self, requests);
  update_list_status (self, NULL);
}

static void
load_requests (EscElevationPage *self)
{
  if (self->loading)
    return;

  self->loading = TRUE;
  esc_client_list_elevation_requests_async (esc_session_get_client (self->session), NULL, NULL,
                                            LIST_LIMIT, self->cancellable, requests_listed_cb, self);
}

static gboolean
find_request (EscElevationPage    *self,
              EscElevationRequest *request,
              guint               *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->requests));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscElevationRequest) item = g_list_model_get_item (G_LIST_MODEL (self->requests), i);

      if (g_str_equal (esc_elevation_request_get_id (item), esc_elevation_request_get_id (request)))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
request_opened_cb (EscElevationPage    *self,
                   EscElevationRequest *request)
{
  g_list_store_insert (self->requests, 0, request);
  update_list_status (self, NULL);
  gtk_single_selection_set_selected (self->selection, 0);
}

static void
request_changed_cb (EscElevationPage    *self,
                    EscElevationRequest *request)
{
  guint position;

  if (!find_request (self, request, &position))
    return;

  self->replacing = TRUE;
  g_list_store_splice (self->requests, position, 1, (gpointer *)&request, 1);
  gtk_single_selection_set_selected (self->selection, position);
  self->replacing = FALSE;
}

/* Back on the screen: requests may have been opened or closed elsewhere */
static void
mapped_cb (EscElevationPage *self)
{
  if (self->usable)
    load_requests (self);
}

static void
new_clicked_cb (EscElevationPage *self)
{
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  show_form (self);
  esc_elevation_form_focus (self->form);
}

/* Who may elevate ----------------------------------------------------------- */

static void
set_identity (EscElevationPage *self,
              EscIdentity      *identity)
{
  g_set_object (&self->identity, identity);
  update_access (self);
}

static void
account_changed_cb (EscElevationPage *self)
{
  set_identity (self, esc_account_get_identity (esc_session_get_account (self->session)));
}

static void
rechecked_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  EscElevationPage *self = user_data;
  g_autoptr(EscIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  EscAccount *account;

  identity = esc_client_get_me_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  account = esc_session_get_account (self->session);
  if (identity == NULL)
    {
      /* A revoked token is the account's business; unreachable, we try later */
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_UNAUTHORIZED))
        esc_account_report_unauthorized (account, error);
      return;
    }

  if (may_elevate (identity) != may_elevate (self->identity))
    {
      set_identity (self, identity);
      /* The rest of the application learns it too */
      esc_account_refresh_async (account, NULL, NULL, NULL);
    }
}

void
esc_elevation_page_recheck (EscElevationPage *self)
{
  g_return_if_fail (ESC_IS_ELEVATION_PAGE (self));

  if (esc_account_can_send (esc_session_get_account (self->session)))
    esc_client_get_me_async (esc_session_get_client (self->session), self->cancellable,
                             rechecked_cb, self);
}

static gboolean
recheck_cb (gpointer user_data)
{
  esc_elevation_page_recheck (user_data);
  return G_SOURCE_CONTINUE;
}

static void
restart_recheck (EscElevationPage *self)
{
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  if (self->usable)
    self->recheck_source = g_timeout_add_seconds (self->recheck_seconds, recheck_cb, self);
}

static void
update_access (EscElevationPage *self)
{
  gboolean usable = may_elevate (self->identity);

  if (!usable)
    {
      EscAccountState state = esc_account_get_state (esc_session_get_account (self->session));

      if (self->identity == NULL && state == ESC_ACCOUNT_STATE_OFFLINE)
        adw_status_page_set_description (self->denied_page,
                                         _("The service cannot be reached, and elevated access "
                                           "needs it. This screen comes back as soon as it "
                                           "answers."));
      else if (self->identity == NULL)
        adw_status_page_set_description (self->denied_page,
                                         _("Sign in to the service in Preferences first. Elevated "
                                           "access to devices is for the members of the support "
                                           "escalation team who are designated for elevation."));
      else
        adw_status_page_set_description (self->denied_page,
                                         _("Elevated access to devices is only for the members of "
                                           "the support escalation team with a live elevation "
                                           "designation, and you have none (or yours expired). "
                                           "Ask your IT administrators to designate you."));
    }

  if (usable == self->usable)
    return;

  self->usable = usable;
  if (usable)
    {
      gtk_stack_set_visible_child_name (self->state_stack, "main");
      esc_elevation_form_load_guidance (self->form);
      load_requests (self);
    }
  else
    {
      /* Access ends here: the password goes, and the form and the requests with it */
      esc_elevation_detail_drop_password (self->detail);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      show_form (self);
      esc_elevation_form_reset (self->form);
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
      self->loading = FALSE;
      g_list_store_remove_all (self->requests);
      gtk_stack_set_visible_child_name (self->state_stack, "denied");
    }

  restart_recheck (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USABLE]);
}

/* GObject ------------------------------------------------------------------- */

static void
esc_elevation_page_constructed (GObject *object)
{
  EscElevationPage *self = (EscElevationPage *)object;

  G_OBJECT_CLASS (esc_elevation_page_parent_class)->constructed (object);

  g_assert (ESC_IS_SESSION (self->session));

  self->form = esc_elevation_form_new (self->session);
  adw_bin_set_child (self->form_bin, GTK_WIDGET (self->form));
  g_signal_connect_object (self->form, "opened", G_CALLBACK (request_opened_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "forbidden", G_CALLBACK (esc_elevation_page_recheck), self,
                           G_CONNECT_SWAPPED);

  self->detail = esc_elevation_detail_new (self->session);
  adw_bin_set_child (self->detail_bin, GTK_WIDGET (self->detail));
  g_object_bind_property (self, "clipboard-clear-seconds", self->detail, "clipboard-clear-seconds",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->detail, "request-changed", G_CALLBACK (request_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->detail, "forbidden", G_CALLBACK (esc_elevation_page_recheck), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (esc_session_get_account (self->session), "notify::identity",
                           G_CALLBACK (account_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (esc_session_get_account (self->session), "notify::state",
                           G_CALLBACK (update_access), self, G_CONNECT_SWAPPED);
  account_changed_cb (self);
}

static void
esc_elevation_page_dispose (GObject *object)
{
  EscElevationPage *self = (EscElevationPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->recheck_source, g_source_remove);

  /* The bin's child is a template child: it goes once, with the template */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_ELEVATION_PAGE);
  self->form = NULL;
  self->detail = NULL;
  g_clear_object (&self->selection);
  g_clear_object (&self->requests);
  g_clear_object (&self->identity);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_elevation_page_parent_class)->dispose (object);
}

static void
esc_elevation_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EscElevationPage *self = (EscElevationPage *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_USABLE:
      g_value_set_boolean (value, self->usable);
      break;
    case PROP_RECHECK_SECONDS:
      g_value_set_uint (value, self->recheck_seconds);
      break;
    case PROP_CLIPBOARD_CLEAR_SECONDS:
      g_value_set_uint (value, self->clipboard_clear_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_elevation_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EscElevationPage *self = (EscElevationPage *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_RECHECK_SECONDS:
      if (self->recheck_seconds != g_value_get_uint (value))
        {
          self->recheck_seconds = g_value_get_uint (value);
          restart_recheck (self);
          g_object_notify_by_pspec (object, pspec);
        }
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
esc_elevation_page_class_init (EscElevationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = esc_elevation_page_constructed;
  object_class->dispose = esc_elevation_page_dispose;
  object_class->get_property = esc_elevation_page_get_property;
  object_class->set_property = esc_elevation_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USABLE] =
    g_param_spec_boolean ("usable", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How often the service is asked whether the caller may still elevate */
  properties[PROP_RECHECK_SECONDS] =
    g_param_spec_uint ("recheck-seconds", NULL, NULL, 1, 3600, DEFAULT_RECHECK_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How long a copied password stays on the clipboard (tests make it short) */
  properties[PROP_CLIPBOARD_CLEAR_SECONDS] =
    g_param_spec_uint ("clipboard-clear-seconds", NULL, NULL, 1, 3600, 30,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-elevation-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, denied_page);
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, requests_view);
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, list_status_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, form_bin);
  gtk_widget_class_bind_template_child (widget_class, EscElevationPage, detail_bin);
  gtk_widget_class_bind_template_callback (widget_class, new_clicked_cb);

  g_type_ensure (ESC_TYPE_ELEVATION_FORM);
  g_type_ensure (ESC_TYPE_ELEVATION_DETAIL);
}

static void
esc_elevation_page_init (EscElevationPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->recheck_seconds = DEFAULT_RECHECK_SECONDS;
  self->clipboard_clear_seconds = 30;
  self->cancellable = g_cancellable_new ();
  self->requests = g_list_store_new (ESC_TYPE_ELEVATION_REQUEST);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->requests)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->requests_view, factory);
  gtk_list_view_set_model (self->requests_view, GTK_SELECTION_MODEL (self->selection));

  gtk_stack_set_visible_child_name (self->state_stack, "denied");
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

/**
 * esc_elevation_page_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): the screen
 */
EscElevationPage *
esc_elevation_page_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_ELEVATION_PAGE, "session", session, NULL);
}

gboolean
esc_elevation_page_get_usable (EscElevationPage *self)
{
  g_return_val_if_fail (ESC_IS_ELEVATION_PAGE (self), FALSE);
  return self->usable;
}

void
esc_elevation_page_set_clock (EscElevationPage  *self,
                              EscElevationClock  clock,
                              gpointer           user_data)
{
  g_return_if_fail (ESC_IS_ELEVATION_PAGE (self));

  esc_elevation_detail_set_clock (self->detail, clock, user_data);
}
