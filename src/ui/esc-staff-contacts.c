/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-admin-contact.h"
#include "esc-staff-contacts.h"

/* The contacts live on the service (GET and PUT /v1/admin-contacts); the
 * sync mirrors them in the workspace. The view shows the mirror at once, reads
 * the service again when first shown (and keeps what it answers in the
 * mirror), and follows the mirror's changes: offline, the contacts as last
 * synced, and a missing one is still flagged. */

static const struct {
  const char *area;
  const char *label;
} areas[] = {
  { "app-packaging", N_("App packaging") },
  { "devices", N_("Devices") },
  { "security", N_("Security") },
  { "it-help-desk", N_("IT help desk") },
  { "other", N_("Other") },
};

#define N_AREAS G_N_ELEMENTS (areas)

typedef struct
{
  AdwExpanderRow *row;
  GtkWidget      *missing_icon;
  AdwEntryRow    *given_name;
  AdwEntryRow    *surname;
  AdwEntryRow    *email;
  AdwEntryRow    *phone;
  GtkWidget      *save;
  GtkWidget      *error;
  char           *language;
} AreaRows;

struct _EscStaffContacts
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *group;
  GtkWidget           *status;
  AreaRows             rows[N_AREAS];

  EscSession          *session;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (EscStaffContacts, esc_staff_contacts, ADW_TYPE_BIN)

static void
show_contact (EscStaffContacts        *self,
              guint                    i,
              const EscSupportContact *contact)
{
  AreaRows *rows = &self->rows[i];

  if (contact == NULL)
    {
      adw_expander_row_set_subtitle (rows->row,
                                     _("Missing: requests in this area cannot name an admin contact"));
      gtk_widget_set_visible (rows->missing_icon, TRUE);
      return;
    }

  {
    g_autofree char *text = g_strdup_printf ("%s %s, %s", contact->given_name, contact->surname,
                                             contact->email);

    adw_expander_row_set_subtitle (rows->row, text);
  }
  gtk_widget_set_visible (rows->missing_icon, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (rows->given_name), contact->given_name);
  gtk_editable_set_text (GTK_EDITABLE (rows->surname), contact->surname);
  gtk_editable_set_text (GTK_EDITABLE (rows->email), contact->email);
  gtk_editable_set_text (GTK_EDITABLE (rows->phone), contact->phone != NULL ? contact->phone : "");
  g_free (rows->language);
  rows->language = g_strdup (contact->language);
}

static void
show_contacts (EscStaffContacts *self,
               GPtrArray        *contacts)
{
  for (guint i = 0; i < N_AREAS; i++)
    {
      const EscSupportContact *found = NULL;

      for (guint j = 0; j < contacts->len; j++)
        if (g_strcmp0 (esc_admin_contact_get_area (g_ptr_array_index (contacts, j)), areas[i].area) == 0)
          found = esc_admin_contact_get_contact (g_ptr_array_index (contacts, j));
      show_contact (self, i, found);
    }
}

/* What the workspace holds; FALSE if it never read them from this service */
static gboolean
show_mirrored (EscStaffContacts *self)
{
  EscMirror *mirror = esc_session_get_mirror (self->session);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;

  if (mirror == NULL || !esc_mirror_has_admin_contacts (mirror))
    return FALSE;
  if (!(contacts = esc_mirror_dup_admin_contacts (mirror, &error)))
    {
      g_warning ("Could not read the admin contacts of the workspace: %s", error->message);
      return FALSE;
    }

  show_contacts (self, contacts);
  return TRUE;
}

static void
mirror_changed_cb (EscStaffContacts *self)
{
  show_mirrored (self);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EscStaffContacts) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  EscMirror *mirror = esc_session_get_mirror (self->session);

  contacts = esc_client_list_admin_contacts_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (contacts == NULL)
    {
      g_autofree char *text = NULL;

      gboolean mirrored = show_mirrored (self);

      if (mirrored)
        /* Translators: %s says why the service could not be read */
        text = g_strdup_printf (_("Offline: the admin contacts as last synced. The service could not "
                                  "be read: %s"), error->message);
      else
        text = g_strdup_printf (_("Could not read the admin contacts: %s"), error->message);
      if (mirrored)
        gtk_widget_remove_css_class (self->status, "error");
      else
        gtk_widget_add_css_class (self->status, "error");
      gtk_label_set_label (GTK_LABEL (self->status), text);
      gtk_widget_set_visible (self->status, TRUE);
      return;
    }

  gtk_widget_set_visible (self->status, FALSE);
  show_contacts (self, contacts);

  /* Kept for offline; the mirror's change shows the same again */
  if (mirror != NULL && esc_mirror_get_service (mirror) != NULL)
    {
      g_autoptr(JsonArray) items = json_array_new ();
      g_autoptr(GError) store_error = NULL;

      for (guint i = 0; i < contacts->len; i++)
        json_array_add_element (items, esc_admin_contact_to_json (g_ptr_array_index (contacts, i)));
      if (!esc_mirror_store_admin_contacts (mirror, esc_mirror_get_service (mirror), items, &store_error))
        g_warning ("Could not keep the admin contacts in the workspace: %s", store_error->message);
    }
}

static void
reload (EscStaffContacts *self)
{
  EscMirror *mirror = esc_session_get_mirror (self->session);

  show_mirrored (self);
  if (mirror != NULL)
    g_signal_connect_object (mirror, "admin-contacts-changed", G_CALLBACK (mirror_changed_cb), self,
                             G_CONNECT_SWAPPED);
  esc_client_list_admin_contacts_async (esc_session_get_client (self->session), self->cancellable,
                                        listed_cb, g_object_ref (self));
}

typedef struct
{
  EscStaffContacts *self;
  guint             index;
} SaveData;

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveData *data = user_data;
  g_autoptr(EscStaffContacts) self = data->self;
  g_autoptr(EscAdminContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  AreaRows *rows = &self->rows[data->index];
  guint index = data->index;

  g_free (data);
  contact = esc_client_set_admin_contact_finish (ESC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (rows->save, TRUE);
  if (contact == NULL)
    {
      gtk_label_set_label (GTK_LABEL (rows->error), error->message);
      gtk_widget_set_visible (rows->error, TRUE);
      return;
    }

  gtk_widget_set_visible (rows->error, FALSE);
  show_contact (self, index, esc_admin_contact_get_contact (contact));
  adw_expander_row_set_expanded (rows->row, FALSE);

  {
    EscMirror *mirror = esc_session_get_mirror (self->session);
    g_autoptr(JsonNode) node = esc_admin_contact_to_json (contact);
    g_autoptr(GError) store_error = NULL;

    if (mirror != NULL && esc_mirror_get_service (mirror) != NULL && esc_mirror_has_admin_contacts (mirror) &&
        !esc_mirror_store_admin_contact (mirror, esc_mirror_get_service (mirror), node, &store_error))
      g_warning ("Could not keep the admin contact in the workspace: %s", store_error->message);
  }
}

static void
save_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  EscStaffContacts *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "area-index"));
  AreaRows *rows = &self->rows[index];
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  const char *phone = gtk_editable_get_text (GTK_EDITABLE (rows->phone));
  SaveData *data;

  contact = esc_support_contact_new (gtk_editable_get_text (GTK_EDITABLE (rows->given_name)),
                                     gtk_editable_get_text (GTK_EDITABLE (rows->surname)),
                                     gtk_editable_get_text (GTK_EDITABLE (rows->email)),
                                     phone[0] != '\0' ? phone : NULL,
                                     ESC_CONTACT_METHOD_EMAIL,
                                     rows->language != NULL ? rows->language : "en");
  if (!esc_support_contact_validate (contact, "", &field, &error))
    {
      gtk_label_set_label (GTK_LABEL (rows->error), error->message);
      gtk_widget_set_visible (rows->error, TRUE);
      return;
    }

  gtk_widget_set_sensitive (rows->save, FALSE);
  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->index = index;
  esc_client_set_admin_contact_async (esc_session_get_client (self->session), areas[index].area, contact,
                                      self->cancellable, saved_cb, data);
}

static AdwEntryRow *
add_entry (AdwExpanderRow *row,
           const char     *title)
{
  GtkWidget *entry = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  adw_expander_row_add_row (row, entry);
  return ADW_ENTRY_ROW (entry);
}

static void
esc_staff_contacts_dispose (GObject *object)
{
  EscStaffContacts *self = (EscStaffContacts *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  for (guint i = 0; i < N_AREAS; i++)
    g_clear_pointer (&self->rows[i].language, g_free);

  G_OBJECT_CLASS (esc_staff_contacts_parent_class)->dispose (object);
}

static void
esc_staff_contacts_class_init (EscStaffContactsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = esc_staff_contacts_dispose;
}

static void
esc_staff_contacts_init (EscStaffContacts *self)
{
  GtkWidget *page = adw_preferences_page_new ();

  self->cancellable = g_cancellable_new ();
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _("Admin Contacts"));
  adw_preferences_group_set_description (self->group,
                                         _("One admin contact per area of focus: copied on the "
                                           "requests of that area, and taking over when the primary "
                                           "contact cannot be reached."));

  self->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_widget_add_css_class (self->status, "error");
  gtk_widget_set_visible (self->status, FALSE);
  adw_preferences_group_add (self->group, self->status);

  for (guint i = 0; i < N_AREAS; i++)
    {
      AreaRows *rows = &self->rows[i];
      GtkWidget *action = adw_action_row_new ();

      rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), _(areas[i].label));
      adw_expander_row_set_subtitle (rows->row, _("Reading…"));
      rows->missing_icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_set_tooltip_text (rows->missing_icon, _("No admin contact"));
      gtk_widget_add_css_class (rows->missing_icon, "warning");
      gtk_widget_set_visible (rows->missing_icon, FALSE);
      adw_expander_row_add_prefix (rows->row, rows->missing_icon);

      rows->given_name = add_entry (rows->row, _("Given name"));
      rows->surname = add_entry (rows->row, _("Surname"));
      rows->email = add_entry (rows->row, _("Email"));
      rows->phone = add_entry (rows->row, _("Phone"));

      rows->error = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (rows->error), TRUE);
      gtk_widget_add_css_class (rows->error, "error");
      gtk_widget_set_visible (rows->error, FALSE);
      rows->save = gtk_button_new_with_mnemonic (_("_Save Contact"));
      gtk_widget_set_valign (rows->save, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (rows->save, "suggested-action");
      g_object_set_data (G_OBJECT (rows->save), "area-index", GUINT_TO_POINTER (i));
      g_signal_connect (rows->save, "clicked", G_CALLBACK (save_clicked_cb), self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action), _("Save this area’s contact"));
      adw_action_row_add_prefix (ADW_ACTION_ROW (action), rows->error);
      adw_action_row_add_suffix (ADW_ACTION_ROW (action), rows->save);
      adw_expander_row_add_row (rows->row, action);

      adw_preferences_group_add (self->group, GTK_WIDGET (rows->row));
    }

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);
  adw_bin_set_child (ADW_BIN (self), page);
}

GtkWidget *
esc_staff_contacts_new (EscSession *session)
{
  EscStaffContacts *self;

  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  self = g_object_new (ESC_TYPE_STAFF_CONTACTS, NULL);
  self->session = g_object_ref (session);
  reload (self);

  return GTK_WIDGET (self);
}
