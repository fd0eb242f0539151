/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-categories.h"
#include "esc-elevation-form.h"
#include "esc-elevation-private.h"
#include "esc-request-format.h"

/* The limits of ElevationRequestCreate in the v1 API */
#define MAX_TICKET_CHARS 100
#define MAX_DEVICE_CHARS 100
#define MAX_TITLE_CHARS 200
#define MAX_PLAN_CHARS 20000
#define MAX_MATCHES 8
#define DEFAULT_SEARCH_DELAY_MS 250

struct _EscElevationForm
{
  AdwBin           parent_instance;

  /* Template widgets */
  AdwEntryRow     *ticket_row;
  AdwEntryRow     *device_row;
  GtkLabel        *device_status_label;
  GtkListBox      *device_matches;
  AdwComboRow     *category_row;
  AdwComboRow     *subcategory_row;
  AdwEntryRow     *title_row;
  GtkTextView     *plan_view;
  GtkWidget       *plan_frame;
  GtkLabel        *plan_error_label;
  GtkLabel        *error_label;
  GtkButton       *open_button;
  GtkBox          *typical_box;
  GtkBox          *not_recommended_box;
  GtkBox          *not_supported_box;
  GtkLabel        *guidance_error_label;

  /* Owned references */
  EscSession      *session;
  GCancellable    *cancellable;        /* everything, on dispose */
  GCancellable    *search_cancellable; /* the device search under way */

  char            *open_key;           /* the idempotency key of the request being opened */

  guint            search_source;
  guint            search_delay_ms;
  gboolean         picking;            /* the device row is being set from a match */
  gboolean         busy;
};

G_DEFINE_FINAL_TYPE (EscElevationForm, esc_elevation_form, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SEARCH_DELAY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  OPENED,
  FORBIDDEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Categories ---------------------------------------------------------------- */

static const EscCategory *
selected_category (EscElevationForm *self)
{
  guint n_categories;
  const EscCategory *categories = esc_categories_get (&n_categories);
  guint position = adw_combo_row_get_selected (self->category_row);

  return position < n_categories ? &categories[position] : NULL;
}

static void
category_changed_cb (EscElevationForm *self)
{
  const EscCategory *category = selected_category (self);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; category != NULL && i < category->n_subcategories; i++)
    gtk_string_list_append (labels, esc_subcategory_get_label (&category->subcategories[i]));

  adw_combo_row_set_model (self->subcategory_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->subcategory_row, 0);
}

/* Device search ------------------------------------------------------------- */

static void
clear_matches (EscElevationForm *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->device_matches))) != NULL)
    gtk_list_box_remove (self->device_matches, child);
  gtk_widget_set_visible (GTK_WIDGET (self->device_matches), FALSE);
}

static void
show_device_status (EscElevationForm *self,
                    const char       *text)
{
  gtk_label_set_label (self->device_status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->device_status_label), text != NULL);
}

static GtkWidget *
create_match_row (EscDevice *device)
{
  GtkWidget *row = adw_action_row_new ();
  const char *group = esc_device_get_group (device);
  g_autofree char *subtitle = NULL;

  if (g_strcmp0 (group, "test") == 0)
    /* Translators: a device's serial number; test devices get no elevated access */
    subtitle = g_strdup_printf (_("%s · test group: no elevated access"),
                                esc_device_get_serial_number (device));
  else
    /* Translators: a device's serial number and deployment group */
    subtitle = g_strdup_printf (_("%s · group %s"), esc_device_get_serial_number (device), group);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), esc_device_get_name (device));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, esc_device_get_name (device));

  return row;
}

static void
devices_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EscElevationForm *self = user_data;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = esc_client_list_devices_finish (ESC_CLIENT (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  clear_matches (self);
  if (devices == NULL)
    {
      if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN))
        g_signal_emit (self, signals[FORBIDDEN], 0);
      show_device_status (self, error->message);
      return;
    }

  if (devices->len == 0)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is what the user typed */
      text = g_strdup_printf (_("No enrolled device has a name or serial number containing “%s”."),
                              gtk_editable_get_text (GTK_EDITABLE (self->device_row)));
      show_device_status (self, text);
      return;
    }

  show_device_status (self, NULL);
  for (guint i = 0; i < devices->len; i++)
    gtk_list_box_append (self->device_matches, create_match_row (g_ptr_array_index (devices, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->device_matches), TRUE);
}

static gboolean
search_cb (gpointer user_data)
{
  EscElevationForm *self = user_data;
  g_autofree char *query = NULL;

  self->search_source = 0;
  query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->device_row))));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*query == '\0')
    {
      clear_matches (self);
      show_device_status (self, NULL);
      return G_SOURCE_REMOVE;
    }

  self->search_cancellable = g_cancellable_new ();
  show_device_status (self, _("Searching…"));
  esc_client_list_devices_async (esc_session_get_client (self->session), query, NULL, MAX_MATCHES,
                                 self->search_cancellable, devices_listed_cb, self);

  return G_SOURCE_REMOVE;
}

static void
device_changed_cb (EscElevationForm *self)
{
  esc_row_clear_error (GTK_WIDGET (self->device_row));
  if (self->picking)
    return;

  g_clear_handle_id (&self->search_source, g_source_remove);
  self->search_source = g_timeout_add (self->search_delay_ms, search_cb, self);
}

static void
match_activated_cb (EscElevationForm *self,
                    GtkListBoxRow    *row)
{
  self->picking = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->device_row), gtk_widget_get_name (GTK_WIDGET (row)));
  self->picking = FALSE;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->search_source, g_source_remove);
  clear_matches (self);
  show_device_status (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->category_row));
}

/* Guidance ------------------------------------------------------------------ */

static void
fill_guidance (GtkBox     *box,
               JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *text = NULL;
      GtkWidget *label;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        continue;

      /* Translators: an item of a list */
      text = g_strdup_printf (_("• %s"), json_node_get_string (item));
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (box, label);
    }
}

static void
guidance_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  EscElevationForm *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *guidance;

  node = esc_client_call_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      /* Translators: %s says why */
      g_autofree char *text = g_strdup_printf (_("The guidance could not be loaded: %s"),
                                               error != NULL ? error->message : _("the service’s answer is not an object"));
      gtk_label_set_label (self->guidance_error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->guidance_error_label), TRUE);
      return;
    }

  guidance = json_node_get_object (node);
  gtk_widget_set_visible (GTK_WIDGET (self->guidance_error_label), FALSE);
  fill_guidance (self->typical_box, guidance, "typical");
  fill_guidance (self->not_recommended_box, guidance, "not_recommended");
  fill_guidance (self->not_supported_box, guidance, "not_supported");
}

void
esc_elevation_form_load_guidance (EscElevationForm *self)
{
  g_return_if_fail (ESC_IS_ELEVATION_FORM (self));

  esc_client_call_async (esc_session_get_client (self->session), "GET", "/v1/elevation-guidance",
                         NULL, NULL, self->cancellable, guidance_loaded_cb, self);
}

/* Validation and sending ---------------------------------------------------- */

static char *
dup_plan (EscElevationForm *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->plan_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static char *
dup_row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
show_plan_error (EscElevationForm *self,
                 const char       *message)
{
  gtk_label_set_label (self->plan_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->plan_error_label), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (self->plan_frame, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->plan_view),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (self->plan_frame, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->plan_view),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
show_form_error (EscElevationForm *self,
                 const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
clear_errors (EscElevationForm *self)
{
  esc_row_clear_error (GTK_WIDGET (self->ticket_row));
  esc_row_clear_error (GTK_WIDGET (self->device_row));
  esc_row_clear_error (GTK_WIDGET (self->title_row));
  show_plan_error (self, NULL);
  show_form_error (self, NULL);
}

/* A required text field: its error, or NULL */
static char *
check_text (const char *text,
            guint       max_chars,
            const char *missing)
{
  if (*text == '\0')
    return g_strdup (missing);
  if (g_utf8_strlen (text, -1) > max_chars)
    /* Translators: %u is a number of characters */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "At most %u character.",
                                         "At most %u characters.", max_chars), max_chars);
  return NULL;
}

static gboolean
validate (EscElevationForm *self)
{
  g_autofree char *ticket = dup_row_text (self->ticket_row);
  g_autofree char *device = dup_row_text (self->device_row);
  g_autofree char *title = dup_row_text (self->title_row);
  g_autofree char *plan = dup_plan (self);
  g_autofree char *ticket_error = NULL;
  g_autofree char *device_error = NULL;
  g_autofree char *title_error = NULL;
  g_autofree char *plan_error = NULL;
  GtkWidget *first = NULL;

  clear_errors (self);

  ticket_error = check_text (ticket, MAX_TICKET_CHARS,
                             _("Enter the ticket id of your own ticketing system, e.g. INC0012345."));
  device_error = check_text (device, MAX_DEVICE_CHARS,
                             _("Enter the device’s name or serial number, and pick it from the matches."));
  title_error = check_text (title, MAX_TITLE_CHARS, _("Say in a few words why you need access."));
  plan_error = check_text (plan, MAX_PLAN_CHARS, _("Say what you plan to do on the device."));

  if (ticket_error != NULL)
    {
      esc_row_show_error (GTK_WIDGET (self->ticket_row), ticket_error);
      first = first != NULL ? first : GTK_WIDGET (self->ticket_row);
    }
  if (device_error != NULL)
    {
      esc_row_show_error (GTK_WIDGET (self->device_row), device_error);
      first = first != NULL ? first : GTK_WIDGET (self->device_row);
    }
  if (selected_category (self) == NULL)
    first = first != NULL ? first : GTK_WIDGET (self->category_row);
  if (title_error != NULL)
    {
      esc_row_show_error (GTK_WIDGET (self->title_row), title_error);
      first = first != NULL ? first : GTK_WIDGET (self->title_row);
    }
  if (plan_error != NULL)
    {
      show_plan_error (self, plan_error);
      first = first != NULL ? first : GTK_WIDGET (self->plan_view);
    }

  if (first != NULL)
    {
      show_form_error (self, _("Some fields need your attention: see the messages under them."));
      gtk_widget_grab_focus (first);
      return FALSE;
    }

  return TRUE;
}

static void
set_busy (EscElevationForm *self,
          gboolean          busy)
{
  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), !busy);
}

/* A refusal of the service, said for this form */
static void
show_refusal (EscElevationForm *self,
              const GError     *error)
{
  g_autofree char *device = dup_row_text (self->device_row);
  g_autofree char *text = NULL;

  if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_NOT_FOUND))
    {
      /* Translators: %s is a device name or serial number */
      text = g_strdup_printf (_("No enrolled device has the name or serial number “%s”. Check it, "
                                "or pick the device from the matches."), device);
      esc_row_show_error (GTK_WIDGET (self->device_row), text);
      gtk_widget_grab_focus (GTK_WIDGET (self->device_row));
    }
  else if (esc_elevation_problem_is (error, "device-in-test-group"))
    {
      /* Translators: %s is a device name or serial number */
      text = g_strdup_printf (_("%s is in the test group: the service gives no elevated access to "
                                "test devices."), device);
      esc_row_show_error (GTK_WIDGET (self->device_row), text);
      gtk_widget_grab_focus (GTK_WIDGET (self->device_row));
    }
  else if (esc_elevation_problem_is (error, "too-many-elevation-requests"))
    {
      /* Translators: %s is a device name or serial number */
      text = g_strdup_printf (_("%s already has as many open elevation requests as the service "
                                "allows. One of them must be closed, or expire, first."), device);
      esc_row_show_error (GTK_WIDGET (self->device_row), text);
      gtk_widget_grab_focus (GTK_WIDGET (self->device_row));
    }
  else if (g_error_matches (error, ESC_API_ERROR, ESC_API_ERROR_FORBIDDEN))
    {
      show_form_error (self, _("The service refused: you are not designated for elevation (or no "
                               "longer). Ask your IT administrators."));
      g_signal_emit (self, signals[FORBIDDEN], 0);
      return;
    }
  else
    {
      /* Translators: %s is the service's reason */
      text = g_strdup_printf (_("The request could not be opened: %s"), error->message);
      show_form_error (self, text);
      return;
    }

  show_form_error (self, _("The service refused the request: see the message under the device."));
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  EscElevationForm *self = user_data;
  g_autoptr(EscElevationRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = esc_client_create_elevation_request_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (request == NULL)
    {
      /* Refused: what is sent next is another request */
      if (!esc_api_error_is_transient (error))
        g_clear_pointer (&self->open_key, g_free);
      show_refusal (self, error);
      return;
    }

  esc_elevation_form_reset (self);
  g_signal_emit (self, signals[OPENED], 0, request);
}

static void
open_clicked_cb (EscElevationForm *self)
{
  const EscCategory *category;
  const EscSubcategory *subcategory;
  g_autofree char *ticket = NULL;
  g_autofree char *device = NULL;
  g_autofree char *title = NULL;
  g_autofree char *plan = NULL;
  guint position;

  if (self->busy || !validate (self))
    return;

  category = selected_category (self);
  position = adw_combo_row_get_selected (self->subcategory_row);
  subcategory = position < category->n_subcategories ? &category->subcategories[position] : NULL;
  if (subcategory == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->subcategory_row));
      return;
    }

  ticket = dup_row_text (self->ticket_row);
  device = dup_row_text (self->device_row);
  title = dup_row_text (self->title_row);
  plan = dup_plan (self);
  /* A retry after an answer that got lost must not open a second request */
  if (self->open_key == NULL)
    self->open_key = g_uuid_string_random ();

  set_busy (self, TRUE);
  esc_client_create_elevation_request_async (esc_session_get_client (self->session),
                                             ticket, device, category->id, subcategory->id,
                                             title, plan, self->open_key, self->cancellable,
                                             opened_cb, self);
}

static void
plan_changed_cb (EscElevationForm *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->plan_error_label)))
    show_plan_error (self, NULL);
}

static void
field_changed_cb (GtkWidget *row)
{
  esc_row_clear_error (row);
}

/* GObject ------------------------------------------------------------------- */

static void
esc_elevation_form_dispose (GObject *object)
{
  EscElevationForm *self = (EscElevationForm *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_handle_id (&self->search_source, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_ELEVATION_FORM);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->open_key, g_free);

  G_OBJECT_CLASS (esc_elevation_form_parent_class)->dispose (object);
}

static void
esc_elevation_form_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  EscElevationForm *self = (EscElevationForm *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SEARCH_DELAY_MS:
      g_value_set_uint (value, self->search_delay_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_elevation_form_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  EscElevationForm *self = (EscElevationForm *)object;

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_SEARCH_DELAY_MS:
      if (self->search_delay_ms != g_value_get_uint (value))
        {
          self->search_delay_ms = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_elevation_form_class_init (EscElevationFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_elevation_form_dispose;
  object_class->get_property = esc_elevation_form_get_property;
  object_class->set_property = esc_elevation_form_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ESC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The pause after a keystroke before the device search is sent */
  properties[PROP_SEARCH_DELAY_MS] =
    g_param_spec_uint ("search-delay-ms", NULL, NULL,
                       0, 5000, DEFAULT_SEARCH_DELAY_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPENED] =
    g_signal_new ("opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ESC_TYPE_ELEVATION_REQUEST);
  signals[FORBIDDEN] =
    g_signal_new ("forbidden", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-elevation-form.ui");
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, ticket_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, device_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, device_status_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, device_matches);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, category_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, subcategory_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, title_row);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, plan_view);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, plan_frame);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, plan_error_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, error_label);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, open_button);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, typical_box);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, not_recommended_box);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, not_supported_box);
  gtk_widget_class_bind_template_child (widget_class, EscElevationForm, guidance_error_label);
  gtk_widget_class_bind_template_callback (widget_class, device_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, match_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, category_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, plan_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static void
esc_elevation_form_init (EscElevationForm *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const EscCategory *categories;
  guint n_categories;

  self->search_delay_ms = DEFAULT_SEARCH_DELAY_MS;
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  categories = esc_categories_get (&n_categories);
  for (guint i = 0; i < n_categories; i++)
    gtk_string_list_append (labels, esc_category_get_label (&categories[i]));
  adw_combo_row_set_model (self->category_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->category_row, 0);
  category_changed_cb (self);

  g_signal_connect_object (gtk_text_view_get_buffer (self->plan_view), "changed",
                           G_CALLBACK (plan_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * esc_elevation_form_new:
 * @session: the application's session
 *
 * Returns: (transfer floating): an empty form
 */
EscElevationForm *
esc_elevation_form_new (EscSession *session)
{
  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  return g_object_new (ESC_TYPE_ELEVATION_FORM, "session", session, NULL);
}

void
esc_elevation_form_reset (EscElevationForm *self)
{
  g_return_if_fail (ESC_IS_ELEVATION_FORM (self));

  g_clear_pointer (&self->open_key, g_free);
  self->picking = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->ticket_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->device_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->plan_view), "", -1);
  self->picking = FALSE;

  g_clear_handle_id (&self->search_source, g_source_remove);
  g_cancellable_cancel (self->search_cancellable);
  clear_matches (self);
  show_device_status (self, NULL);
  clear_errors (self);
}

void
esc_elevation_form_focus (EscElevationForm *self)
{
  g_return_if_fail (ESC_IS_ELEVATION_FORM (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->ticket_row));
}
