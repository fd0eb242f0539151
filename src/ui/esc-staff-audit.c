/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-audit-event.h"
#include "esc-csv.h"
#include "esc-staff-audit.h"
#include "esc-staff-directory.h"
#include "esc-time.h"

/* The events are the mirror's (the sync reads the log incrementally); the
 * chain is checked on the whole mirrored log each time it grows. */

enum {
  PERIOD_ANY,
  PERIOD_DAY,
  PERIOD_WEEK,
  PERIOD_MONTH,
  PERIOD_RANGE,  /* the From and To entries */
};

struct _EscStaffAudit
{
  AdwBin               parent_instance;

  GtkRevealer         *chain_banner;
  GtkLabel            *chain_label;
  GtkSearchEntry      *person_entry;
  GtkDropDown         *action_filter;
  GtkDropDown         *period_filter;
  GtkWidget           *range_box;
  GtkEntry            *from_entry;
  GtkEntry            *to_entry;
  GtkLabel            *range_error;
  GtkColumnView       *column_view;
  GtkLabel            *count_label;

  EscSession          *session;
  GListModel          *events;     /* the mirror's, borrowed */
  GtkStringList       *actions;
  GtkCustomFilter     *filter;
  GtkFilterListModel  *filtered;
  char                *person;     /* folded */
  GDateTime           *since;      /* (nullable) */
  GDateTime           *until;      /* (nullable): excluded */
  GtkNativeDialog     *chooser;
};

G_DEFINE_FINAL_TYPE (EscStaffAudit, esc_staff_audit, ADW_TYPE_BIN)

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  EscStaffAudit *self = user_data;
  EscAuditEvent *event = item;
  guint action = gtk_drop_down_get_selected (self->action_filter);

  if (action > 0 && action != GTK_INVALID_LIST_POSITION &&
      g_strcmp0 (esc_audit_event_get_action (event), gtk_string_list_get_string (self->actions, action)) != 0)
    return FALSE;
  if (self->since != NULL && g_date_time_compare (esc_audit_event_get_at (event), self->since) < 0)
    return FALSE;
  if (self->until != NULL && g_date_time_compare (esc_audit_event_get_at (event), self->until) >= 0)
    return FALSE;
  if (self->person[0] != '\0')
    {
      g_autofree char *actor = esc_staff_fold_text (esc_audit_event_get_actor (event));
      g_autofree char *target = esc_staff_fold_text (esc_audit_event_get_target (event));

      if (strstr (actor, self->person) == NULL && strstr (target, self->person) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
update_count (EscStaffAudit *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n), n);

  gtk_label_set_label (self->count_label, text);
}

/* A day typed as YYYY-MM-DD (spaces around allowed): the start of that local
 * day, or NULL if the text is not a date; *empty tells an empty entry apart */
static GDateTime *
parse_day (const char *text,
           gboolean   *empty)
{
  g_autofree char *day = g_strstrip (g_strdup (text));
  guint y, m, d;

  *empty = day[0] == '\0';
  if (strlen (day) != 10 || day[4] != '-' || day[7] != '-')
    return NULL;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (day[i]))
      return NULL;
  y = (guint)g_ascii_strtoull (day, NULL, 10);
  m = (guint)g_ascii_strtoull (day + 5, NULL, 10);
  d = (guint)g_ascii_strtoull (day + 8, NULL, 10);
  if (y < 1 || !g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y))
    return NULL;

  return g_date_time_new_local ((int)y, (int)m, (int)d, 0, 0, 0);
}

/* The From and To days, both included; either may be empty. A date that is
 * not one, or a range that ends before it starts, is said under the entries
 * and filters nothing out until corrected. */
static void
read_range (EscStaffAudit *self)
{
  gboolean from_empty, to_empty;
  g_autoptr(GDateTime) from = parse_day (gtk_editable_get_text (GTK_EDITABLE (self->from_entry)), &from_empty);
  g_autoptr(GDateTime) to = parse_day (gtk_editable_get_text (GTK_EDITABLE (self->to_entry)), &to_empty);
  const char *problem = NULL;

  if (from == NULL && !from_empty)
    problem = _("The start date is not a date: write it as 2024-05-31.");
  else if (to == NULL && !to_empty)
    problem = _("The end date is not a date: write it as 2024-05-31.");
  else if (from != NULL && to != NULL && g_date_time_compare (to, from) < 0)
    problem = _("The end date is before the start date.");

  if (from == NULL && !from_empty)
    gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  if ((to == NULL && !to_empty) || (problem != NULL && to != NULL))
    gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  gtk_label_set_label (self->range_error, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->range_error), problem != NULL);
  if (problem != NULL)
    return;

  self->since = g_steal_pointer (&from);
  /* The To day is included: up to the start of the next */
  if (to != NULL)
    self->until = g_date_time_add_days (to, 1);
}

static void
filters_changed_cb (EscStaffAudit *self)
{
  static const int days[] = { 0, 1, 7, 30 };
  guint period = gtk_drop_down_get_selected (self->period_filter);

  g_free (self->person);
  self->person = esc_staff_fold_text (gtk_editable_get_text (GTK_EDITABLE (self->person_entry)));
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  if (period > PERIOD_ANY && period < G_N_ELEMENTS (days))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      self->since = g_date_time_add_days (now, -days[period]);
    }
  gtk_widget_set_visible (self->range_box, period == PERIOD_RANGE);
  if (period == PERIOD_RANGE)
    read_range (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static int
compare_text (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* The actions seen in the log, for the filter; and the chain's check */
static void
events_changed_cb (EscStaffAudit *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  EscMirror *mirror = esc_session_get_mirror (self->session);
  gint64 broken = 0;
  guint n_events = 0;

  for (guint i = 0; i < g_list_model_get_n_items (self->events); i++)
    {
      g_autoptr(EscAuditEvent) event = g_list_model_get_item (self->events, i);

      if (event != NULL)
        g_hash_table_add (seen, g_strdup (esc_audit_event_get_action (event)));
    }
  {
    GHashTableIter iter;
    gpointer key;
    g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
    guint selected = gtk_drop_down_get_selected (self->action_filter);
    g_autofree char *selected_action = NULL;

    if (selected > 0 && selected != GTK_INVALID_LIST_POSITION)
      selected_action = g_strdup (gtk_string_list_get_string (self->actions, selected));
    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (sorted, key);
    g_ptr_array_sort (sorted, compare_text);
    g_ptr_array_add (sorted, NULL);
    gtk_string_list_splice (self->actions, 1, g_list_model_get_n_items (G_LIST_MODEL (self->actions)) - 1,
                            (const char * const *)sorted->pdata);
    selected = 0;
    for (guint i = 0; selected_action != NULL && i + 1 < sorted->len; i++)
      if (g_str_equal (sorted->pdata[i], selected_action))
        selected = i + 1;
    gtk_drop_down_set_selected (self->action_filter, selected);
  }

  if (mirror != NULL && !esc_mirror_check_audit_chain (mirror, &broken, &n_events, &error) && error == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, broken);
      g_autofree char *text =
        /* Translators: %s is the number of an audit event */
        g_strdup_printf (_("The audit log does not link up at event %s: its previous hash is not "
                           "the hash of the event before it. An event was changed or removed, on "
                           "the service or on the way. Tell the service provider, and keep an "
                           "export of the log as it is now."), id);

      gtk_label_set_label (self->chain_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->chain_label), text);
      gtk_revealer_set_reveal_child (self->chain_banner, TRUE);
    }
  else
    gtk_revealer_set_reveal_child (self->chain_banner, FALSE);
  if (error != NULL)
    g_warning ("Could not check the audit chain: %s", error->message);
}

/* Cells ---------------------------------------------------------------------------- */

typedef const char *(*EventText) (EscAuditEvent *event);

static const char *
event_when (EscAuditEvent *event)
{
  return NULL;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  user_data)
{
  EventText text = user_data;
  EscAuditEvent *event = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));

  if (event == NULL)
    return;

  if (text == event_when)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (esc_audit_event_get_at (event));
      /* Translators: an audit event's date and time (see g_date_time_format()) */
      g_autofree char *when = g_date_time_format (local, _("%-d %b %Y %H:%M:%S"));

      gtk_label_set_label (label, when);
    }
  else
    {
      const char *value = text (event);

      /* Translators: an audit event made by the service itself or its command line */
      gtk_label_set_label (label, value != NULL ? value : (text == esc_audit_event_get_actor ? _("Service") : ""));
    }
}

static void
add_column (EscStaffAudit *self,
            const char    *title,
            EventText      text,
            gboolean       expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), text);
  column = gtk_column_view_column_new (title, g_object_ref (factory));
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->column_view, column);
}

/* Export -------------------------------------------------------------------------- */

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(EscStaffAudit) self = user_data;
  g_autoptr(GError) error = NULL;
  GtkWidget *overlay;
  g_autofree char *text = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    text = g_strdup_printf (_("Could not export the audit log: %s"), error->message);
  else
    text = g_strdup (_("Audit log exported"));

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static GBytes *
events_to_csv (EscStaffAudit *self)
{
  GString *csv = g_string_new (NULL);
  const char *header[] = { "id", "at", "actor", "action", "target", "remote_address", "details", NULL };
  GListModel *model = G_LIST_MODEL (self->filtered);

  esc_csv_append_record (csv, header, -1);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EscAuditEvent) event = g_list_model_get_item (model, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, esc_audit_event_get_id (event));
      g_autofree char *at = esc_time_format (esc_audit_event_get_at (event));
      const char *fields[] = { id, at, esc_audit_event_get_actor (event), esc_audit_event_get_action (event),
                               esc_audit_event_get_target (event), esc_audit_event_get_remote_address (event),
                               esc_audit_event_get_details (event) };

      esc_csv_append_record (csv, fields, G_N_ELEMENTS (fields));
    }

  return g_string_free_to_bytes (csv);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  EscStaffAudit *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      bytes = events_to_csv (self);
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                           NULL, written_cb, g_object_ref (self));
    }
  g_clear_object (&self->chooser);
}

static void
export_clicked_cb (EscStaffAudit *self)
{
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Export the Audit Log"),
                                         GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("audit-log.csv"));
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* GObject ------------------------------------------------------------------------------ */

static void
esc_staff_audit_dispose (GObject *object)
{
  EscStaffAudit *self = (EscStaffAudit *)object;

  if (self->events != NULL)
    g_signal_handlers_disconnect_by_data (self->events, self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->actions);
  g_clear_object (&self->session);
  g_clear_pointer (&self->since, g_date_time_unref);
  g_clear_pointer (&self->until, g_date_time_unref);
  g_clear_pointer (&self->person, g_free);

  G_OBJECT_CLASS (esc_staff_audit_parent_class)->dispose (object);
}

static void
esc_staff_audit_class_init (EscStaffAuditClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = esc_staff_audit_dispose;
}

static GtkWidget *
new_banner (GtkLabel **label)
{
  GtkWidget *revealer = gtk_revealer_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_add_css_class (box, "esc-banner");
  *label = GTK_LABEL (gtk_label_new (NULL));
  /* One line, all of it in the tooltip (and read whole by screen readers): a
   * wrapped label in a revealer trips GTK 4.8's size checks */
  gtk_label_set_ellipsize (*label, PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (*label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (*label), TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (*label));
  gtk_revealer_set_child (GTK_REVEALER (revealer), box);

  return revealer;
}

static void
esc_staff_audit_init (EscStaffAudit *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *export = gtk_button_new_from_icon_name ("document-save-as-symbolic");
  const char *periods[] = { _("Any time"), _("Last 24 hours"), _("Last 7 days"), _("Last 30 days"),
                            _("Between dates"), NULL };
  g_autoptr(GtkNoSelection) selection = NULL;

  self->person = g_strdup ("");
  self->chain_banner = GTK_REVEALER (new_banner (&self->chain_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->chain_banner));

  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 12);
  gtk_widget_set_margin_bottom (bar, 6);
  self->person_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->person_entry), TRUE);
  g_object_set (self->person_entry, "placeholder-text", _("Filter by person"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->person_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Filter by person"), -1);
  g_signal_connect_swapped (self->person_entry, "changed", G_CALLBACK (filters_changed_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->person_entry));

  self->actions = gtk_string_list_new (NULL);
  gtk_string_list_append (self->actions, _("Any action"));
  self->action_filter = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->actions)), NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->action_filter), _("Action"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->action_filter), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Action"), -1);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->action_filter));

  self->period_filter = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (periods));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->period_filter), _("Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->period_filter), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Date"), -1);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->period_filter));

  gtk_widget_set_tooltip_text (export, _("Export as CSV"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (export), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export as CSV"), -1);
  g_signal_connect_swapped (export, "clicked", G_CALLBACK (export_clicked_cb), self);
  gtk_box_append (GTK_BOX (bar), export);
  gtk_box_append (GTK_BOX (box), bar);

  /* "Between dates": From and To, each a day, both included */
  self->range_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (self->range_box, 12);
  gtk_widget_set_margin_end (self->range_box, 12);
  gtk_widget_set_margin_bottom (self->range_box, 6);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *label = gtk_label_new_with_mnemonic (i == 0 ? _("_From") : _("_To"));
      GtkWidget *entry = gtk_entry_new ();

      /* Translators: how to write a day in the audit log's date range */
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("YYYY-MM-DD"));
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
      gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      i == 0 ? _("From date") : _("To date"), -1);
      gtk_widget_set_tooltip_text (entry, i == 0 ? _("The first day shown, as 2024-05-31")
                                                 : _("The last day shown, as 2024-05-31"));
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (filters_changed_cb), self);
      gtk_box_append (GTK_BOX (self->range_box), label);
      gtk_box_append (GTK_BOX (self->range_box), entry);
      if (i == 0)
        self->from_entry = GTK_ENTRY (entry);
      else
        self->to_entry = GTK_ENTRY (entry);
    }
  self->range_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->range_error, 0);
  gtk_label_set_wrap (self->range_error, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->range_error), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->range_error), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->range_error), FALSE);
  gtk_box_append (GTK_BOX (self->range_box), GTK_WIDGET (self->range_error));
  gtk_widget_set_visible (self->range_box, FALSE);
  gtk_box_append (GTK_BOX (box), self->range_box);

  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  g_signal_connect_swapped (self->filtered, "items-changed", G_CALLBACK (update_count), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (selection))));
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "data-table");
  gtk_column_view_set_show_row_separators (self->column_view, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Audit log"), -1);
  add_column (self, _("When"), event_when, FALSE);
  add_column (self, _("Who"), esc_audit_event_get_actor, FALSE);
  add_column (self, _("Action"), esc_audit_event_get_action, FALSE);
  add_column (self, _("Target"), esc_audit_event_get_target, TRUE);
  add_column (self, _("From"), esc_audit_event_get_remote_address, FALSE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->column_view));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);

  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->count_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->count_label), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->count_label), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->count_label), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->count_label));

  g_signal_connect_swapped (self->action_filter, "notify::selected", G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->period_filter, "notify::selected", G_CALLBACK (filters_changed_cb), self);
  adw_bin_set_child (ADW_BIN (self), box);
}

GtkWidget *
esc_staff_audit_new (EscSession *session)
{
  EscStaffAudit *self;
  EscMirror *mirror;

  g_return_val_if_fail (ESC_IS_SESSION (session), NULL);

  self = g_object_new (ESC_TYPE_STAFF_AUDIT, NULL);
  self->session = g_object_ref (session);
  mirror = esc_session_get_mirror (session);
  if (mirror != NULL)
    {
      self->events = esc_mirror_get_audit_events (mirror);
      gtk_filter_list_model_set_model (self->filtered, self->events);
      g_signal_connect_swapped (self->events, "items-changed", G_CALLBACK (events_changed_cb), self);
      events_changed_cb (self);
    }
  update_count (self);

  return GTK_WIDGET (self);
}
