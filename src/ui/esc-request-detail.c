/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-categories.h"
#include "esc-outbox.h"
#include "esc-request-detail.h"
#include "esc-request-editor.h"
#include "esc-request-format.h"
#include "esc-request-labels.h"
#include "esc-request-text-row.h"
#include "esc-ui-private.h"

/* A resolved request can be reactivated this long after its resolution (the
 * service's rule; it refuses later attempts with its own figure). */
#define REACTIVATION_WINDOW (24 * G_TIME_SPAN_HOUR)

struct _EscRequestDetail
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkLabel            *id_label;
  GtkStack            *stack;
  GtkScrolledWindow   *scroller;
  GtkLabel            *title_label;
  GtkLabel            *state_badge;
  GtkLabel            *severity_badge;
  GtkLabel            *kind_label;
  GtkWidget           *clock_box;
  GtkLabel            *clock_label;
  AdwPreferencesGroup *pending_group;
  AdwActionRow        *pending_row;
  GtkImage            *pending_icon;
  GtkWidget           *pending_actions;
  GtkWidget           *request_actions;
  GtkWidget           *edit_button;
  GtkWidget           *reactivate_button;
  AdwPreferencesGroup *note_group;
  EscRequestTextRow   *note_row;
  AdwPreferencesGroup *timeline_group;
  GtkListBox          *timeline_list;
  AdwPreferencesGroup *details_group;
  AdwPreferencesGroup *contact_group;

  /* Owned references */
  EscWorkspace        *workspace;
  EscOutboxSender     *sender;
  EscSupportRequest   *request;    /* the request shown, with its timeline if known */
  EscOutboxItem       *pending;    /* or the change waiting in the outbox */
  GPtrArray           *added_rows; /* rows added to the groups, to remove */
  GCancellable        *fetching;
  gboolean             timeline_unavailable;
};

G_DEFINE_FINAL_TYPE (EscRequestDetail, esc_request_detail, ADW_TYPE_BIN)

enum {
  CLOSE,
  EDIT_PENDING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void fill (EscRequestDetail *self);

/* Helpers ---------------------------------------------------------------------------- */

static EscMirror *
get_mirror (EscRequestDetail *self)
{
  if (self->sender == NULL)
    return NULL;

  return esc_outbox_get_mirror (esc_outbox_sender_get_outbox (self->sender));
}

static void
add_toast (EscRequestDetail *self,
           const char       *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static void
show_error (EscRequestDetail *self,
            const char       *heading,
            const char       *body)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_added_rows (EscRequestDetail *self)
{
  for (guint i = 0; i < self->added_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->added_rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      if (group != NULL)
        adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->added_rows, 0);

  while (gtk_widget_get_first_child (GTK_WIDGET (self->timeline_list)) != NULL)
    gtk_list_box_remove (self->timeline_list, gtk_widget_get_first_child (GTK_WIDGET (self->timeline_list)));
}

/* A read-only field: its name small above its value */
static void
add_property (EscRequestDetail    *self,
              AdwPreferencesGroup *group,
              const char          *name,
              const char          *value)
{
  g_autofree char *markup = NULL;
  GtkWidget *row;

  if (value == NULL || *value == '\0')
    return;

  markup = g_markup_escape_text (value, -1);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), markup);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "esc-property");
  /* A screen reader reads the value with its name, as it is seen */
  {
    /* Translators: a property of a request as a screen reader says it, e.g. "Category: Devices" */
    g_autofree char *spoken = g_strdup_printf (_("%s: %s"), name, value);

    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->added_rows, row);
}

static void
add_time_property (EscRequestDetail    *self,
                   AdwPreferencesGroup *group,
                   const char          *name,
                   GDateTime           *time)
{
  g_autofree char *text = esc_request_format_time_long (time);

  add_property (self, group, name, text);
}

static const char *
tristate_label (EscTristate value)
{
  switch (value)
    {
    case ESC_TRISTATE_YES:
      return C_("answer", "Yes");
    case ESC_TRISTATE_NO:
      return C_("answer", "No");
    case ESC_TRISTATE_UNKNOWN:
    default:
      return NULL;
    }
}

/* The timeline --------------------------------------------------------------------------- */

static char *
event_title (const EscSupportRequestEvent *event)
{
  const char *actor = event->actor_name != NULL ? event->actor_name : _("the service");
  EscSupportRequestState from, to;

  if (g_strcmp0 (event->kind, "created") == 0)
    return g_strdup_printf (_("Filed by %s"), actor);
  if (g_strcmp0 (event->kind, "assigned") == 0)
    return g_strdup (_("Assigned to the operations team"));
  if (g_strcmp0 (event->kind, "state-changed") == 0 &&
      esc_support_request_state_from_string (event->to_state, &to))
    {
      if (esc_support_request_state_from_string (event->from_state, &from))
        /* Translators: a change of state, e.g. "New → In progress" */
        return g_strdup_printf (_("%s → %s"), esc_support_request_state_get_label (from),
                                esc_support_request_state_get_label (to));
      return g_strdup_printf (_("Now %s"), esc_support_request_state_get_label (to));
    }
  if (g_strcmp0 (event->kind, "comment") == 0)
    return g_strdup_printf (_("Note from %s"), actor);
  if (g_strcmp0 (event->kind, "severity-changed") == 0 && event->to_severity != NULL)
    {
      if (event->from_severity != NULL)
        return g_strdup_printf (_("Severity %s → %s"), event->from_severity, event->to_severity);
      return g_strdup_printf (_("Severity now %s"), event->to_severity);
    }
  if (g_strcmp0 (event->kind, "contact-changed") == 0)
    return g_strdup_printf (_("Primary contact changed by %s"), actor);
  if (g_strcmp0 (event->kind, "notes-changed") == 0)
    return g_strdup_printf (_("Notes changed by %s"), actor);
  if (g_strcmp0 (event->kind, "attachments-changed") == 0)
    return g_strdup_printf (_("Attachments changed by %s"), actor);
  if (g_strcmp0 (event->kind, "next-action-set") == 0)
    return g_strdup (_("Next action set"));
  if (g_strcmp0 (event->kind, "reactivated") == 0)
    return g_strdup_printf (_("Reactivated by %s"), actor);

  return g_strdup (event->kind != NULL ? event->kind : "");
}

static const char *
event_icon (const char *kind)
{
  static const struct { const char *kind; const char *icon; } icons[] = {
    { "created", "document-new-symbolic" },
    { "assigned", "avatar-default-symbolic" },
    { "state-changed", "emblem-synchronizing-symbolic" },
    { "comment", "chat-message-new-symbolic" },
    { "severity-changed", "dialog-warning-symbolic" },
    { "contact-changed", "avatar-default-symbolic" },
    { "notes-changed", "document-edit-symbolic" },
    { "next-action-set", "alarm-symbolic" },
    { "reactivated", "view-refresh-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    {
      if (g_strcmp0 (kind, icons[i].kind) == 0)
        return icons[i].icon;
    }

  return "document-edit-symbolic";
}

static GtkWidget *
timeline_row (const char *icon,
              const char *title,
              const char *text,
              GDateTime  *at)
{
  g_autofree char *when = esc_request_format_time_long (at);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  if (text != NULL && *text != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (text, -1);

      g_string_append (subtitle, escaped);
      g_string_append_c (subtitle, '\n');
    }
  if (when != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (when, -1);

      g_string_append_printf (subtitle, "<span size=\"small\">%s</span>", escaped);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (image, GTK_ALIGN_START);
  gtk_widget_set_margin_top (image, 14);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  gtk_widget_add_css_class (row, "esc-timeline-row");

  return row;
}

static const char *
outbox_kind_label (EscOutboxKind kind)
{
  switch (kind)
    {
    case ESC_OUTBOX_KIND_COMMENT:
      return _("Note");
    case ESC_OUTBOX_KIND_PATCH_SUPPORT_REQUEST:
      return _("Changes");
    case ESC_OUTBOX_KIND_REACTIVATE:
      return _("Reactivation");
    case ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST:
    case ESC_OUTBOX_KIND_SET_DESIGNATIONS:
    default:
      return _("Change");
    }
}

static void
fill_timeline (EscRequestDetail *self)
{
  GPtrArray *timeline = esc_support_request_get_timeline (self->request);
  const char *id = esc_support_request_get_id (self->request);
  GListModel *items;
  guint n_rows = 0;

  /* What this workspace sent and the service has not answered yet comes first */
  items = self->sender != NULL ? esc_outbox_get_items (esc_outbox_sender_get_outbox (self->sender)) : NULL;
  for (guint i = 0; items != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(EscOutboxItem) item = g_list_model_get_item (items, i);
      g_autofree char *title = NULL;
      const char *text;
      GtkWidget *row;

      if (id == NULL || g_strcmp0 (esc_outbox_item_get_target (item), id) != 0)
        continue;

      if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED)
        {
          /* Translators: a change the service refused, e.g. "Note refused" */
          title = g_strdup_printf (_("%s refused by the service"), outbox_kind_label (esc_outbox_item_get_kind (item)));
          text = esc_outbox_item_get_error_message (item);
        }
      else
        {
          /* Translators: a change waiting to be sent, e.g. "Note waiting to be sent" */
          title = g_strdup_printf (_("%s waiting to be sent"), outbox_kind_label (esc_outbox_item_get_kind (item)));
          text = esc_outbox_item_get_title (item);
        }

      row = timeline_row ("emblem-synchronizing-symbolic", title, text, esc_outbox_item_get_created_at (item));
      gtk_widget_add_css_class (row, "esc-pending-change");
      gtk_list_box_append (self->timeline_list, row);
      n_rows++;
    }

  /* Newest first */
  for (guint i = timeline != NULL ? timeline->len : 0; i > 0; i--)
    {
      const EscSupportRequestEvent *event = g_ptr_array_index (timeline, i - 1);
      g_autofree char *title = event_title (event);
      const char *text = event->text;

      /* The service's words may only repeat the title ("Assigned to the operations team.") */
      if (text != NULL && g_str_has_prefix (text, title) &&
          (text[strlen (title)] == '\0' || g_str_equal (text + strlen (title), ".")))
        text = NULL;

      gtk_list_box_append (self->timeline_list,
                           timeline_row (event_icon (event->kind), title, text, event->at));
      n_rows++;
    }

  if (n_rows == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     timeline != NULL ? _("No events yet")
                                     : self->timeline_unavailable ? _("The timeline can be fetched once the service can be reached")
                                     : _("Fetching the timeline…"));
      gtk_widget_add_css_class (row, "esc-dim");
      gtk_list_box_append (self->timeline_list, row);
    }
}

/* Filling ----------------------------------------------------------------------------- */

static gboolean
can_reactivate (EscSupportRequest *request,
                GDateTime         *now)
{
  GDateTime *resolved_at = esc_support_request_get_resolved_at (request);

  return esc_support_request_get_state (request) == ESC_SUPPORT_REQUEST_STATE_RESOLVED &&
         resolved_at != NULL &&
         g_date_time_difference (now, resolved_at) < REACTIVATION_WINDOW;
}

static void
fill_pending (EscRequestDetail *self)
{
  g_autofree char *subtitle = NULL;
  gboolean refused = esc_outbox_item_get_state (self->pending) == ESC_OUTBOX_STATE_REFUSED;
  const char *message = esc_outbox_item_get_error_message (self->pending);

  if (refused)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row),
                                     _("The service refused this request"));
      subtitle = g_markup_printf_escaped ("%s\n%s",
                                          message != NULL ? message : "",
                                          _("Edit it to correct what the service named, or discard it."));
      gtk_image_set_from_icon_name (self->pending_icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->pending_row), "esc-refused");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row),
                                     _("Queued: sent as soon as the service can be reached"));
      if (message != NULL)
        /* Translators: why the last attempt to send a queued request failed */
        subtitle = g_markup_printf_escaped (_("Last attempt: %s"), message);
      gtk_image_set_from_icon_name (self->pending_icon, "emblem-synchronizing-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->pending_row), "esc-refused");
    }
  adw_action_row_set_subtitle (self->pending_row, subtitle);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.edit-pending", refused);
}

static void
fill (EscRequestDetail *self)
{
  EscSupportRequest *request = self->request;
  const EscSupportContact *contact;
  const char * const *devices;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *kind_text = NULL;
  g_autofree char *severity_text = NULL;
  g_autofree char *category = NULL;
  gboolean pending = self->pending != NULL;
  EscSupportRequestState state;
  EscSupportSeverity severity;
  gint64 impacted;

  clear_added_rows (self);

  if (request == NULL)
    {
      gtk_label_set_label (self->id_label, NULL);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "request");
  state = esc_support_request_get_state (request);
  severity = esc_support_request_get_severity (request);

  gtk_label_set_label (self->id_label,
                       pending ? _("Not sent yet") : esc_support_request_get_id (request));
  gtk_label_set_label (self->title_label, esc_support_request_get_title (request));

  /* The badges: state and severity, in words and colour */
  if (pending)
    {
      static const char * const classes[] = { "esc-state-queued", "esc-state-refused", NULL };
      gboolean refused = esc_outbox_item_get_state (self->pending) == ESC_OUTBOX_STATE_REFUSED;

      gtk_label_set_label (self->state_badge, refused ? C_("request state", "Refused")
                                                      : C_("request state", "Queued"));
      esc_widget_set_css_choice (GTK_WIDGET (self->state_badge), classes,
                                 refused ? "esc-state-refused" : "esc-state-queued");
    }
  else
    {
      static const char * const classes[] = {
        "esc-state-new", "esc-state-in-progress", "esc-state-waiting-on-customer",
        "esc-state-mitigated", "esc-state-resolved", "esc-state-closed",
        "esc-state-queued", "esc-state-refused", NULL
      };

      gtk_label_set_label (self->state_badge, esc_support_request_state_get_label (state));
      esc_widget_set_css_choice (GTK_WIDGET (self->state_badge), classes, esc_request_state_css_class (state));
    }
  {
    static const char * const classes[] = { "esc-severity-a", "esc-severity-b", "esc-severity-c", NULL };

    /* Translators: a badge, e.g. "Severity A" */
    severity_text = g_strdup_printf (_("Severity %s"), esc_support_severity_to_string (severity));
    gtk_label_set_label (self->severity_badge, severity_text);
    esc_widget_set_css_choice (GTK_WIDGET (self->severity_badge), classes,
                               esc_request_severity_css_class (severity));
  }
  /* Translators: the kind and type of a request, e.g. "Escalation · Incident" */
  kind_text = g_strdup_printf (_("%s · %s"),
                               esc_support_request_kind_get_label (esc_support_request_get_kind (request)),
                               esc_support_request_type_get_label (esc_support_request_get_request_type (request)));
  gtk_label_set_label (self->kind_label, kind_text);

  /* The response clock runs until an engineer answers */
  esc_request_detail_refresh_clock (self, now);
  gtk_widget_set_visible (self->clock_box,
                          !pending && state == ESC_SUPPORT_REQUEST_STATE_NEW &&
                          esc_support_request_get_response_due_at (request) != NULL);

  /* What can be done with it */
  gtk_widget_set_visible (GTK_WIDGET (self->pending_group), pending);
  gtk_widget_set_visible (self->pending_actions, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->note_group), !pending && state != ESC_SUPPORT_REQUEST_STATE_CLOSED);
  gtk_widget_set_visible (GTK_WIDGET (self->timeline_group), !pending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.edit",
                                 !pending && esc_support_request_state_is_open (state));
  gtk_widget_set_visible (self->edit_button, esc_support_request_state_is_open (state));
  gtk_widget_set_visible (self->request_actions,
                          !pending && (esc_support_request_state_is_open (state) || can_reactivate (request, now)));
  gtk_widget_set_visible (self->reactivate_button, !pending && can_reactivate (request, now));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.reactivate", !pending && can_reactivate (request, now));
  if (pending)
    fill_pending (self);
  else
    fill_timeline (self);

  /* Every field */
  category = g_strdup_printf ("%s › %s",
                              esc_categories_get_label (esc_support_request_get_category (request)),
                              esc_categories_get_subcategory_label (esc_support_request_get_category (request),
                                                                    esc_support_request_get_subcategory (request)));
  add_property (self, self->details_group, _("Category"), category);
  add_property (self, self->details_group, _("Severity"), esc_support_severity_get_label (severity));
  if (esc_support_request_get_engagement (request) != ESC_SUPPORT_ENGAGEMENT_NONE)
    add_property (self, self->details_group, _("Engagement"),
                  esc_support_request_get_engagement (request) == ESC_SUPPORT_ENGAGEMENT_24X7
                  ? _("24 hours a day, 7 days a week") : _("Admin support hours, Monday to Friday"));
  add_property (self, self->details_group, _("Filed by"), esc_support_request_get_filer_name (request));
  add_time_property (self, self->details_group, _("Filed"), esc_support_request_get_created_at (request));
  add_time_property (self, self->details_group, _("Initial response due"),
                     esc_support_request_get_response_due_at (request));
  if (esc_support_request_get_next_action_owner (request) != ESC_NEXT_ACTION_OWNER_NONE)
    {
      g_autofree char *when = esc_request_format_time_long (esc_support_request_get_next_action_at (request));
      g_autofree char *next = NULL;

      if (when != NULL)
        /* Translators: who acts next, and by when */
        next = g_strdup_printf (_("%s, by %s"),
                                esc_next_action_owner_get_label (esc_support_request_get_next_action_owner (request)),
                                when);
      else
        next = g_strdup (esc_next_action_owner_get_label (esc_support_request_get_next_action_owner (request)));
      add_property (self, self->details_group, _("Next action"), next);
    }
  add_time_property (self, self->details_group, _("Resolved"), esc_support_request_get_resolved_at (request));
  add_time_property (self, self->details_group, _("Closed"), esc_support_request_get_closed_at (request));
  add_time_property (self, self->details_group, _("Last update"), esc_support_request_get_updated_at (request));
  add_property (self, self->details_group, _("Description"), esc_support_request_get_description (request));

  impacted = esc_support_request_get_users_or_devices_impacted (request);
  if (impacted >= 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, impacted);
      add_property (self, self->details_group, _("Users or devices impacted"), text);
    }
  add_property (self, self->details_group, _("Business impact"), esc_support_request_get_business_impact (request));
  add_time_property (self, self->details_group, _("First noticed"), esc_support_request_get_first_noticed_at (request));
  add_property (self, self->details_group, _("Reproduced on a device the service does not manage"),
                tristate_label (esc_support_request_get_reproduced_on_unmanaged_device (request)));
  add_property (self, self->details_group, _("End-user support already engaged"),
                tristate_label (esc_support_request_get_end_user_support_engaged (request)));
  add_property (self, self->details_group, _("Troubleshooting steps"),
                esc_support_request_get_troubleshooting_steps (request));
  add_property (self, self->details_group, _("Steps to reproduce"), esc_support_request_get_steps_to_reproduce (request));
  devices = esc_support_request_get_devices (request);
  if (devices != NULL)
    {
      g_autofree char *text = g_strjoinv (", ", (char **)devices);
      add_property (self, self->details_group, _("Devices"), text);
    }
  add_property (self, self->details_group, _("Your ticket"), esc_support_request_get_related_ticket (request));
  add_property (self, self->details_group, _("Notes"), esc_support_request_get_notes (request));
  if (esc_support_request_get_attachments (request) != NULL)
    {
      g_autofree char *text = g_strjoinv ("\n", (char **)esc_support_request_get_attachments (request));
      add_property (self, self->details_group, _("Attachments"), text);
    }

  contact = esc_support_request_get_contact (request);
  gtk_widget_set_visible (GTK_WIDGET (self->contact_group), contact != NULL);
  if (contact != NULL)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", contact->given_name ? contact->given_name : "",
                                               contact->surname ? contact->surname : "");

      add_property (self, self->contact_group, _("Name"), g_strstrip (name));
      add_property (self, self->contact_group, _("Email"), contact->email);
      add_property (self, self->contact_group, _("Phone"), contact->phone);
      add_property (self, self->contact_group, _("Preferred contact method"),
                    contact->preferred_method == ESC_CONTACT_METHOD_PHONE ? _("Phone") : _("Email"));
      add_property (self, self->contact_group, _("Language"), contact->language);
    }
}

/* Fetching the timeline ---------------------------------------------------------------- */

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscRequestDetail) self = user_data;
  g_autoptr(EscSupportRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = esc_client_get_support_request_finish (ESC_CLIENT (object), result, &error);
  if (request == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("The timeline cannot be fetched: %s", error->message);
          self->timeline_unavailable = TRUE;
          if (self->request != NULL && self->pending == NULL)
            fill (self);
        }
      return;
    }

  if (self->request == NULL ||
      g_strcmp0 (esc_support_request_get_id (request), esc_support_request_get_id (self->request)) != 0)
    return;

  g_set_object (&self->request, request);
  fill (self);
}

static void
fetch (EscRequestDetail *self)
{
  EscAccount *account;

  g_cancellable_cancel (self->fetching);
  g_clear_object (&self->fetching);

  if (self->sender == NULL || self->request == NULL)
    return;

  account = esc_outbox_sender_get_account (self->sender);
  if (!esc_account_can_send (account))
    {
      self->timeline_unavailable = TRUE;
      fill (self);
      return;
    }

  self->fetching = g_cancellable_new ();
  esc_client_get_support_request_async (esc_account_get_client (account),
                                        esc_support_request_get_id (self->request),
                                        self->fetching, fetched_cb, g_object_ref (self));
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const EscSupportRequestEvent *x = *(EscSupportRequestEvent * const *)a;
  const EscSupportRequestEvent *y = *(EscSupportRequestEvent * const *)b;
  int order = (x->at != NULL && y->at != NULL) ? g_date_time_compare (x->at, y->at) : 0;

  if (order != 0)
    return order;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* The events of both timelines, once each, in order: the mirror may know only
 * the latest events (a note just answered), the service told the rest before */
static GPtrArray *
merge_timelines (GPtrArray *known,
                 GPtrArray *latest)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  GPtrArray *merged = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_support_request_event_free);
  GPtrArray *sources[] = { latest, known };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      for (guint i = 0; sources[s] != NULL && i < sources[s]->len; i++)
        {
          EscSupportRequestEvent *event = g_ptr_array_index (sources[s], i);

          if (g_hash_table_contains (seen, &event->id))
            continue;
          g_hash_table_add (seen, &event->id);
          g_ptr_array_add (merged, esc_support_request_event_copy (event));
        }
    }

  g_ptr_array_sort (merged, compare_events);
  return merged;
}

/* The mirror changed the request shown (a sync, or the answer to a change): show it again */
static void
support_request_changed_cb (EscRequestDetail *self,
                            const char       *id)
{
  g_autoptr(EscSupportRequest) request = NULL;

  if (self->request == NULL || self->pending != NULL ||
      g_strcmp0 (id, esc_support_request_get_id (self->request)) != 0)
    return;

  request = esc_mirror_dup_support_request (get_mirror (self), id);
  if (request == NULL)
    return;

  {
    g_autoptr(GPtrArray) timeline = merge_timelines (esc_support_request_get_timeline (self->request),
                                                     esc_support_request_get_timeline (request));

    esc_support_request_set_timeline (request, timeline);
  }
  g_set_object (&self->request, request);
  fill (self);
  fetch (self);
}

/* The outbox changed: a pending change may be gone or refused */
static void
outbox_changed_cb (EscRequestDetail *self)
{
  g_autoptr(EscOutboxItem) item = NULL;

  if (self->pending == NULL)
    {
      if (self->request != NULL)
        fill (self);
      return;
    }

  item = esc_outbox_lookup (esc_outbox_sender_get_outbox (self->sender), esc_outbox_item_get_id (self->pending));
  if (item == NULL)
    {
      /* Sent (it is in the list now) or discarded */
      esc_request_detail_clear (self);
      return;
    }

  g_set_object (&self->pending, item);
  fill (self);
}

/* Actions ------------------------------------------------------------------------------ */

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[CLOSE], 0);
}

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EscRequestDetail *self = ESC_REQUEST_DETAIL (widget);
  g_autofree char *text = esc_request_text_row_dup_text (self->note_row);
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL || self->request == NULL || self->sender == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->note_row));
      return;
    }

  item = esc_outbox_sender_add_comment (self->sender, esc_support_request_get_id (self->request),
                                        g_strstrip (text), &error);
  if (item == NULL)
    {
      show_error (self, _("The Note Could Not Be Queued"), error->message);
      return;
    }

  esc_request_text_row_set_text (self->note_row, NULL);
  add_toast (self, _("Note queued"));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EscRequestDetail *self = ESC_REQUEST_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  EscRequestEditor *editor;

  if (self->request == NULL || self->sender == NULL)
    return;

  editor = esc_request_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   self->sender, self->request);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
reactivate_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        EscRequestDetail *self)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  if (!g_str_equal (response, "reactivate") || self->request == NULL)
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  item = esc_outbox_sender_reactivate (self->sender, esc_support_request_get_id (self->request),
                                       *reason != '\0' ? reason : NULL, &error);
  if (item == NULL)
    show_error (self, _("The Request Could Not Be Reactivated"), error->message);
  else
    add_toast (self, _("Reactivation queued"));
}

static void
reactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  EscRequestDetail *self = ESC_REQUEST_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->request == NULL)
    return;

  heading = g_strdup_printf (_("Reactivate %s?"), esc_support_request_get_id (self->request));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("The operations team takes the request up again. A resolved request can be reactivated within 24 hours of its resolution."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Why, for the operations team (optional)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason for reactivating"),
                                  -1);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reactivate", _("_Reactivate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reactivate",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "reactivate");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reactivate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EscRequestDetail *self = ESC_REQUEST_DETAIL (widget);
  g_autoptr(GError) error = NULL;

  if (self->pending == NULL)
    return;

  if (esc_outbox_item_get_state (self->pending) == ESC_OUTBOX_STATE_REFUSED)
    {
      if (!esc_outbox_sender_resend (self->sender, esc_outbox_item_get_id (self->pending), &error))
        show_error (self, _("The Request Could Not Be Queued Again"), error->message);
    }
  else
    esc_outbox_sender_send_now (self->sender);
}

static void
edit_pending_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  EscRequestDetail *self = ESC_REQUEST_DETAIL (widget);

  if (self->pending != NULL)
    g_signal_emit (self, signals[EDIT_PENDING], 0, self->pending);
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     EscRequestDetail *self)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "discard") || self->pending == NULL)
    return;

  if (!esc_outbox_discard (esc_outbox_sender_get_outbox (self->sender),
                           esc_outbox_item_get_id (self->pending), &error))
    show_error (self, _("The Request Could Not Be Discarded"), error->message);
  else
    add_toast (self, _("Request discarded"));
}

static void
discard_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EscRequestDetail *self = ESC_REQUEST_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->pending == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard This Request?"),
                                   _("It has not reached the service and will not be sent. What it says is lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject --------------------------------------------------------------------------------- */

static void
disconnect_sender (EscRequestDetail *self)
{
  if (self->sender == NULL)
    return;

  g_signal_handlers_disconnect_by_data (get_mirror (self), self);
  g_signal_handlers_disconnect_by_data (esc_outbox_get_items (esc_outbox_sender_get_outbox (self->sender)), self);
}

static void
esc_request_detail_dispose (GObject *object)
{
  EscRequestDetail *self = (EscRequestDetail *)object;

  g_cancellable_cancel (self->fetching);
  g_clear_object (&self->fetching);
  disconnect_sender (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), ESC_TYPE_REQUEST_DETAIL);

  g_clear_object (&self->workspace);
  g_clear_object (&self->sender);
  g_clear_object (&self->request);
  g_clear_object (&self->pending);

  G_OBJECT_CLASS (esc_request_detail_parent_class)->dispose (object);
}

static void
esc_request_detail_finalize (GObject *object)
{
  EscRequestDetail *self = (EscRequestDetail *)object;

  g_clear_pointer (&self->added_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_request_detail_parent_class)->finalize (object);
}

static void
esc_request_detail_class_init (EscRequestDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_request_detail_dispose;
  object_class->finalize = esc_request_detail_finalize;

  /**
   * EscRequestDetail::close:
   *
   * The person closed the pane.
   */
  signals[CLOSE] =
    g_signal_new ("close", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * EscRequestDetail::edit-pending:
   * @item: a refused request of the outbox
   *
   * The person wants to correct a refused request.
   */
  signals[EDIT_PENDING] =
    g_signal_new ("edit-pending", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ESC_TYPE_OUTBOX_ITEM);

  g_type_ensure (ESC_TYPE_REQUEST_TEXT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-request-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, id_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, scroller);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, state_badge);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, severity_badge);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, kind_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, clock_box);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, clock_label);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, pending_group);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, pending_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, pending_icon);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, pending_actions);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, request_actions);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, edit_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, reactivate_button);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, note_group);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, note_row);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, timeline_list);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, details_group);
  gtk_widget_class_bind_template_child (widget_class, EscRequestDetail, contact_group);

  gtk_widget_class_install_action (widget_class, "detail.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "detail.add-note", NULL, add_note_action);
  gtk_widget_class_install_action (widget_class, "detail.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "detail.reactivate", NULL, reactivate_action);
  gtk_widget_class_install_action (widget_class, "detail.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "detail.edit-pending", NULL, edit_pending_action);
  gtk_widget_class_install_action (widget_class, "detail.discard", NULL, discard_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "detail.close", NULL);
}

static void
esc_request_detail_init (EscRequestDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));

  self->added_rows = g_ptr_array_new ();
  gtk_stack_set_visible_child_name (self->stack, "none");
}

/**
 * esc_request_detail_set_session:
 * @self: a #EscRequestDetail
 * @session: (nullable): the application's session, its workspace open; %NULL to let go of it
 *
 * What the pane files through (the session's outbox sender) and reads (its mirror). The
 * Requests screen gives it once the session's workspace is open: the pane is a child of its
 * template, so this cannot be a construct-only property.
 */
void
esc_request_detail_set_session (EscRequestDetail *self,
                                EscSession       *session)
{
  EscWorkspace *workspace = NULL;
  EscOutboxSender *sender = NULL;

  g_return_if_fail (ESC_IS_REQUEST_DETAIL (self));
  g_return_if_fail (session == NULL || ESC_IS_SESSION (session));

  if (session != NULL)
    {
      workspace = esc_session_get_workspace (session);
      sender = esc_session_get_sender (session);
    }

  disconnect_sender (self);
  g_set_object (&self->workspace, workspace);
  g_set_object (&self->sender, sender);

  if (sender != NULL)
    {
      g_signal_connect_object (get_mirror (self), "support-request-changed",
                               G_CALLBACK (support_request_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (esc_outbox_get_items (esc_outbox_sender_get_outbox (sender)), "items-changed",
                               G_CALLBACK (outbox_changed_cb), self, G_CONNECT_SWAPPED);
    }

  esc_request_detail_clear (self);
}

void
esc_request_detail_show_request (EscRequestDetail  *self,
                                 EscSupportRequest *request)
{
  g_autoptr(EscSupportRequest) known = NULL;

  g_return_if_fail (ESC_IS_REQUEST_DETAIL (self));
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (request));

  g_clear_object (&self->pending);

  /* The mirror's copy holds the timeline known so far; the service has the rest */
  if (get_mirror (self) != NULL)
    known = esc_mirror_dup_support_request (get_mirror (self), esc_support_request_get_id (request));
  if (known == NULL)
    known = g_object_ref (request);
  g_set_object (&self->request, known);

  esc_request_text_row_set_text (self->note_row, NULL);
  self->timeline_unavailable = FALSE;
  fill (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  fetch (self);
}

void
esc_request_detail_show_pending (EscRequestDetail  *self,
                                 EscOutboxItem     *item,
                                 EscSupportRequest *request)
{
  g_return_if_fail (ESC_IS_REQUEST_DETAIL (self));
  g_return_if_fail (ESC_IS_OUTBOX_ITEM (item));
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (request));

  g_cancellable_cancel (self->fetching);
  g_set_object (&self->pending, item);
  g_set_object (&self->request, request);
  fill (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

void
esc_request_detail_clear (EscRequestDetail *self)
{
  g_return_if_fail (ESC_IS_REQUEST_DETAIL (self));

  g_cancellable_cancel (self->fetching);
  g_clear_object (&self->pending);
  g_clear_object (&self->request);
  fill (self);
}

void
esc_request_detail_refresh_clock (EscRequestDetail *self,
                                  GDateTime        *now)
{
  g_return_if_fail (ESC_IS_REQUEST_DETAIL (self));

  if (self->request == NULL || self->pending != NULL)
    return;

  esc_request_show_clock (GTK_WIDGET (self->clock_label), self->request, now);
  if (esc_support_request_get_state (self->request) == ESC_SUPPORT_REQUEST_STATE_NEW)
    {
      g_autofree char *text = g_strdup_printf (_("Initial response: %s"), gtk_label_get_label (self->clock_label));
      gtk_label_set_label (self->clock_label, text);
    }
}

const char *
esc_request_detail_get_request_id (EscRequestDetail *self)
{
  g_return_val_if_fail (ESC_IS_REQUEST_DETAIL (self), NULL);

  if (self->request == NULL || self->pending != NULL)
    return NULL;

  return esc_support_request_get_id (self->request);
}
