/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-date-time-row.h"
#include "esc-designation.h"
#include "esc-mirror-model.h"
#include "esc-staff-dialogs.h"
#include "esc-staff-format.h"
#include "esc-staff-member.h"
#include "esc-staff-person-dialog.h"

/* Built in code: two expander rows with the same three children each, and
 * what the rows start with comes from the mirrored person. */

typedef struct
{
  const char     *capability;
  AdwExpanderRow *row;
  AdwEntryRow    *reason;
  EscDateTimeRow *expires;
} CapabilityRows;

struct _EscStaffPersonDialog
{
  AdwWindow        parent_instance;

  AdwPreferencesGroup *conflict_group;
  AdwPreferencesGroup *status_group;  /* the error and the pending change, hidden when neither */
  GtkWidget       *theirs_row;
  GtkWidget       *keep_mine;
  EscStaffMember  *current;  /* (nullable): the person as the service has them now, after a 412 */
  GCancellable    *cancellable;

  GtkWidget       *save_button;
  GtkWidget       *error_label;
  GtkWidget       *pending_row;
  CapabilityRows   capabilities[2];

  /* Owned references */
  EscSession      *session;
  EscStaffMember  *member;  /* (nullable) when the mirror no longer has them */
  gint64           staff_id;
};

G_DEFINE_FINAL_TYPE (EscStaffPersonDialog, esc_staff_person_dialog, ADW_TYPE_WINDOW)

static EscStaffMember *
find_member (EscSession *session,
             gint64      id)
{
  EscMirror *mirror = esc_session_get_mirror (session);
  GListModel *staff;
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  gint position;

  if (mirror == NULL)
    return NULL;
  staff = esc_mirror_get_staff (mirror);
  position = esc_mirror_model_find (ESC_MIRROR_MODEL (staff), key);
  if (position < 0)
    return NULL;

  return g_list_model_get_item (staff, position);
}

static EscDesignation *
find_designation (EscStaffMember *member,
                  const char     *capability)
{
  GListModel *designations = esc_staff_member_get_designations (member);

  for (guint i = 0; i < g_list_model_get_n_items (designations); i++)
    {
      g_autoptr(EscDesignation) designation = g_list_model_get_item (designations, i);

      if (g_str_equal (esc_designation_get_capability (designation), capability) &&
          esc_designation_get_active (designation))
        return g_steal_pointer (&designation);
    }

  return NULL;
}

static void
show_error (EscStaffPersonDialog *self,
            const char           *message)
{
  gtk_label_set_label (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_group),
                          message != NULL || gtk_widget_get_visible (self->pending_row));
}

static void
save_cb (EscStaffPersonDialog *self)
{
  EscOutboxSender *sender = esc_session_get_sender (self->session);
  g_autoptr(GPtrArray) designations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(EscOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (self->capabilities); i++)
    {
      CapabilityRows *rows = &self->capabilities[i];
      g_autofree char *reason = NULL;
      GDateTime *expires;

      gtk_widget_remove_css_class (GTK_WIDGET (rows->reason), "error");
      if (!adw_expander_row_get_enable_expansion (rows->row))
        continue;

      reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->reason))));
      expires = esc_date_time_row_get_value (rows->expires);
      if (reason[0] == '\0')
        {
          gtk_widget_add_css_class (GTK_WIDGET (rows->reason), "error");
          adw_expander_row_set_expanded (rows->row, TRUE);
          gtk_widget_grab_focus (GTK_WIDGET (rows->reason));
          /* Translators: %s is "Elevation" or "Escalation" */
          {
            g_autofree char *message = g_strdup_printf (_("%s: say why this person is designated; "
                                                          "the reason is kept in the audit log."),
                                                        esc_staff_capability_label (rows->capability));
            show_error (self, message);
          }
          return;
        }
      if (expires != NULL && g_date_time_compare (expires, now) <= 0)
        {
          g_autofree char *message = g_strdup_printf (_("%s: the expiry is in the past; choose a "
                                                        "later time or none."),
                                                      esc_staff_capability_label (rows->capability));
          adw_expander_row_set_expanded (rows->row, TRUE);
          show_error (self, message);
          return;
        }

      g_ptr_array_add (designations, esc_designation_new (rows->capability, reason, expires));
    }

  /* Against the version shown: a change made meanwhile by someone else is
   * refused (412), not overwritten */
  item = esc_outbox_sender_set_designations_if_match (sender, self->staff_id,
                                                      self->member != NULL ? esc_staff_member_get_name (self->member) : NULL,
                                                      designations,
                                                      self->member != NULL ? esc_staff_member_get_etag (self->member) : NULL,
                                                      &error);
  if (item == NULL)
    {
      show_error (self, error->message);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
remove_access_cb (EscStaffPersonDialog *self)
{
  if (self->member == NULL)
    return;

  esc_staff_confirm_remove_access (GTK_WINDOW (self), self->session, self->staff_id,
                                   esc_staff_member_get_name (self->member));
}

static void
add_capability (EscStaffPersonDialog *self,
                CapabilityRows       *rows,
                AdwPreferencesGroup  *group,
                const char           *capability,
                const char           *title,
                const char           *subtitle)
{
  g_autoptr(EscDesignation) current = NULL;

  rows->capability = capability;
  rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), title);
  adw_expander_row_set_subtitle (rows->row, subtitle);
  adw_expander_row_set_show_enable_switch (rows->row, TRUE);

  rows->reason = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->reason), _("Reason"));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->reason));

  rows->expires = ESC_DATE_TIME_ROW (esc_date_time_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->expires), _("Expires"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (rows->expires), _("Leave empty for no end"));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->expires));

  if (self->member != NULL && (current = find_designation (self->member, capability)) != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (rows->reason),
                             esc_designation_get_reason (current) != NULL
                               ? esc_designation_get_reason (current) : "");
      esc_date_time_row_set_value (rows->expires, esc_designation_get_expires_at (current));
      adw_expander_row_set_enable_expansion (rows->row, TRUE);
    }
  else
    adw_expander_row_set_enable_expansion (rows->row, FALSE);

  adw_preferences_group_add (group, GTK_WIDGET (rows->row));
}

static EscOutboxItem *
find_pending (EscStaffPersonDialog *self)
{
  EscOutbox *outbox = esc_session_get_outbox (self->session);
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, self->staff_id);
  GListModel *items;

  if (outbox == NULL)
    return NULL;
  items = esc_outbox_get_items (outbox);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(EscOutboxItem) item = g_list_model_get_item (items, i);

      if (esc_outbox_item_get_kind (item) == ESC_OUTBOX_KIND_SET_DESIGNATIONS &&
          g_strcmp0 (esc_outbox_item_get_target (item), target) == 0)
        return g_steal_pointer (&item);
    }

  return NULL;
}

static void
discard_pending_cb (EscStaffPersonDialog *self)
{
  g_autoptr(EscOutboxItem) item = find_pending (self);
  g_autoptr(GError) error = NULL;

  if (item != NULL &&
      !esc_outbox_discard (esc_session_get_outbox (self->session), esc_outbox_item_get_id (item), &error))
    show_error (self, error->message);
  gtk_widget_set_visible (self->pending_row, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_group), gtk_widget_get_visible (self->error_label));
}

/* A change refused as stale (412): both versions, and the choice -------------- */

static void
got_current_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EscStaffPersonDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(EscStaffMember) current = NULL;

  current = esc_client_get_staff_member_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (current == NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->theirs_row), error->message);
      return;
    }

  g_set_object (&self->current, current);
  {
    g_autofree char *text = esc_staff_format_member_designations (current);

    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->theirs_row), text);
  }
  gtk_widget_set_sensitive (self->keep_mine, TRUE);
}

static void
keep_mine_cb (EscStaffPersonDialog *self)
{
  g_autoptr(EscOutboxItem) item = find_pending (self);
  g_autoptr(GError) error = NULL;

  if (item == NULL || self->current == NULL)
    return;
  if (!esc_outbox_sender_resend_if_match (esc_session_get_sender (self->session), esc_outbox_item_get_id (item),
                                          esc_staff_member_get_etag (self->current), &error))
    {
      show_error (self, error->message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!esc_sync_run_finish (ESC_SYNC (object), result, &error))
    g_debug ("Could not sync after a stale change: %s", error->message);
}

static void
keep_theirs_cb (EscStaffPersonDialog *self)
{
  EscSync *sync = esc_session_get_sync (self->session);

  discard_pending_cb (self);
  if (sync != NULL)
    esc_sync_run_async (sync, NULL, synced_cb, NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_conflict (EscStaffPersonDialog *self,
              AdwPreferencesPage   *page,
              EscOutboxItem        *pending)
{
  GtkWidget *mine_row = adw_action_row_new ();
  GtkWidget *keep_theirs = gtk_button_new_with_mnemonic (_("Keep _Theirs"));
  g_autofree char *mine = esc_staff_format_change (esc_outbox_item_get_body (pending));

  self->conflict_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->conflict_group, _("Changed Meanwhile"));
  adw_preferences_group_set_description (self->conflict_group,
                                         _("Someone else changed this person’s designations after "
                                           "you opened them, so the service kept theirs. Choose "
                                           "which to keep."));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (mine_row), _("Your change"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (mine_row), mine);
  self->keep_mine = gtk_button_new_with_mnemonic (_("Keep _Mine"));
  gtk_widget_set_valign (self->keep_mine, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (self->keep_mine, FALSE);
  g_signal_connect_swapped (self->keep_mine, "clicked", G_CALLBACK (keep_mine_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (mine_row), self->keep_mine);
  adw_preferences_group_add (self->conflict_group, mine_row);

  self->theirs_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->theirs_row), _("On the service now"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->theirs_row), _("Reading…"));
  gtk_widget_set_valign (keep_theirs, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (keep_theirs, "clicked", G_CALLBACK (keep_theirs_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->theirs_row), keep_theirs);
  adw_preferences_group_add (self->conflict_group, self->theirs_row);
  adw_preferences_page_add (page, self->conflict_group);

  esc_client_get_staff_member_async (esc_session_get_client (self->session), self->staff_id,
                                     self->cancellable, got_current_cb, g_object_ref (self));
}

static void
build (EscStaffPersonDialog *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *person = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *designations = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *access = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autoptr(EscOutboxItem) pending = find_pending (self);
  GtkWidget *remove_row;
  GtkWidget *remove_button;
  const char *name = self->member != NULL ? esc_staff_member_get_name (self->member) : _("Unknown person");

  gtk_window_set_title (GTK_WINDOW (self), name);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 620);

  self->save_button = gtk_button_new_with_mnemonic (_("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (save_cb), self);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (toolbar), header);

  adw_preferences_group_set_title (person, name);
  if (self->member != NULL)
    adw_preferences_group_set_description (person, esc_staff_member_get_email (self->member));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), person);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  self->status_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_add (self->status_group, self->error_label);

  self->pending_row = adw_action_row_new ();
  if (pending != NULL)
    {
      g_autofree char *text = esc_staff_format_pending (pending);
      GtkWidget *discard = gtk_button_new_with_mnemonic (_("_Discard Change"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pending_row), text);
      gtk_widget_set_valign (discard, GTK_ALIGN_CENTER);
      g_signal_connect_swapped (discard, "clicked", G_CALLBACK (discard_pending_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->pending_row), discard);
    }
  gtk_widget_set_visible (self->pending_row, pending != NULL);
  adw_preferences_group_add (self->status_group, self->pending_row);
  gtk_widget_set_visible (GTK_WIDGET (self->status_group), pending != NULL);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->status_group);
  if (pending != NULL && esc_outbox_item_get_state (pending) == ESC_OUTBOX_STATE_REFUSED &&
      g_strcmp0 (esc_outbox_item_get_error_code (pending), "precondition-failed") == 0)
    add_conflict (self, ADW_PREFERENCES_PAGE (page), pending);

  adw_preferences_group_set_title (designations, _("Designations"));
  adw_preferences_group_set_description (designations,
                                         _("Only the designated escalation support team may elevate "
                                           "and escalate; keep it small. The service enforces what "
                                           "you set here once it accepts the change."));
  add_capability (self, &self->capabilities[0], designations, "elevation", _("Elevation"),
                  _("Just-in-time access to a device’s local administrator account"));
  add_capability (self, &self->capabilities[1], designations, "escalation", _("Escalation"),
                  _("Filing severity C escalation requests to the service"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), designations);

  adw_preferences_group_set_title (access, _("Access"));
  remove_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remove_row), _("Remove Access"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (remove_row),
                               _("For someone who leaves: ends their tokens, designations and "
                                 "elevations at once"));
  remove_button = gtk_button_new_with_mnemonic (_("_Remove Access…"));
  gtk_widget_add_css_class (remove_button, "destructive-action");
  gtk_widget_set_valign (remove_button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (remove_button, self->member != NULL);
  g_signal_connect_swapped (remove_button, "clicked", G_CALLBACK (remove_access_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (remove_row), remove_button);
  adw_preferences_group_add (access, remove_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), access);

  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), page);
  adw_window_set_content (ADW_WINDOW (self), toolbar);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->save_button);
  /* Focus starts in the content, on the first designation */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->capabilities[0].row));
}

static void
esc_staff_person_dialog_dispose (GObject *object)
{
  EscStaffPersonDialog *self = (EscStaffPersonDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->current);
  g_clear_object (&self->member);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (esc_staff_person_dialog_parent_class)->dispose (object);
}

static void
esc_staff_person_dialog_class_init (EscStaffPersonDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_staff_person_dialog_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
esc_staff_person_dialog_init (EscStaffPersonDialog *self)
{
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
esc_staff_person_dialog_new (EscSession *session,
                             gint64      staff_id)
{
  EscStaffPersonDialog *self;

  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  self = g_object_new (ESC_TYPE_STAFF_PERSON_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->staff_id = staff_id;
  self->member = find_member (session, staff_id);
  build (self);

  return GTK_WIDGET (self);
}
