/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-api-error.h"
#include "esc-client-sla.h"
#include "esc-request-format.h"
#include "esc-sla-private.h"
#include "esc-ui-private.h"

/* The business-hours calendars of the SLAs screen: each shown with its week,
 * holidays and closures, and an editor for the name, the time zone, round the
 * clock, the hours of each weekday, the holidays and the closures. Times are
 * written "09:00–12:30, 13:30–18:00"; holidays "2026-12-25 Christmas;
 * 2027-01-01 New Year"; closures "2026-08-03 – 2026-08-14 Summer closure". */

static const char *weekday_names[] = {
  N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
  N_("Saturday"), N_("Sunday"),
};

static const char *weekday_members[] = {
  "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
};

/* "09:00–12:30, 13:30–18:00", or "" when closed */
static char *
format_ranges (EscCalendar  *calendar,
               GDateWeekday  weekday)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const guint *ranges;
  guint n;

  ranges = esc_calendar_get_ranges (calendar, weekday, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%02u:%02u–%02u:%02u", i > 0 ? ", " : "",
                            ranges[2 * i] / 60, ranges[2 * i] % 60,
                            ranges[2 * i + 1] / 60, ranges[2 * i + 1] % 60);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static JsonArray *
json_array_of (JsonNode   *node,
               const char *member)
{
  JsonObject *object = json_node_get_object (node);
  JsonNode *array = json_object_get_member (object, member);

  return array != NULL && JSON_NODE_HOLDS_ARRAY (array) ? json_node_get_array (array) : NULL;
}

static const char *
member_or_empty (JsonObject *object,
                 const char *member)
{
  return json_object_get_string_member_with_default (object, member, "");
}

/* "2026-12-25 Christmas; 2027-01-01 New Year" */
static char *
format_holidays (EscCalendar *calendar,
                 const char  *separator)
{
  g_autoptr(JsonNode) node = esc_calendar_to_json (calendar);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *holidays = json_array_of (node, "holidays");

  for (guint i = 0; holidays != NULL && i < json_array_get_length (holidays); i++)
    {
      JsonObject *holiday = json_array_get_object_element (holidays, i);
      const char *name = member_or_empty (holiday, "name");

      g_string_append_printf (text, "%s%s%s%s", i > 0 ? separator : "", member_or_empty (holiday, "date"),
                              *name != '\0' ? " " : "", name);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_closures (EscCalendar *calendar)
{
  g_autoptr(JsonNode) node = esc_calendar_to_json (calendar);
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *closures = json_array_of (node, "closures");

  for (guint i = 0; closures != NULL && i < json_array_get_length (closures); i++)
    {
      JsonObject *closure = json_array_get_object_element (closures, i);
      const char *reason = member_or_empty (closure, "reason");

      /* Translators: a closure: first day, last day */
      g_string_append_printf (text, "%s%s – %s%s%s", i > 0 ? "; " : "", member_or_empty (closure, "from"),
                              member_or_empty (closure, "to"), *reason != '\0' ? " " : "", reason);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_row (AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
}

/* Edit: the calendar is read again with its ETag, then edited */

typedef struct
{
  EscSlaPage *page;
  GPtrArray  *calendars;
  GtkWidget  *button;
} EditData;

static void
calendar_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  EditData *data = user_data;
  g_autoptr(EscCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;

  calendar = esc_client_get_sla_calendar_finish (ESC_CLIENT (source), result, &etag, &error);
  gtk_widget_set_sensitive (data->button, TRUE);
  if (calendar == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The calendar could not be read: %s"), error->message);

      esc_sla_page_show_status (data->page, text);
    }
  else
    esc_sla_calendar_editor_open (data->page, calendar, etag, data->calendars);

  g_object_unref (data->page);
  g_ptr_array_unref (data->calendars);
  g_object_unref (data->button);
  g_free (data);
}

static void
edit_calendar_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  EscSlaPage *page = user_data;
  EditData *data = g_new0 (EditData, 1);

  data->page = g_object_ref (page);
  data->calendars = g_ptr_array_ref (g_object_get_data (G_OBJECT (button), "calendars"));
  data->button = g_object_ref (GTK_WIDGET (button));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  esc_client_get_sla_calendar_async (esc_session_get_client (esc_sla_page_get_session (page)),
                                     g_object_get_data (G_OBJECT (button), "calendar-id"),
                                     NULL, calendar_read_cb, data);
}

void
esc_sla_calendars_show (EscSlaPage *page,
                        GtkBox     *box,
                        GPtrArray  *calendars,
                        gboolean    may_edit,
                        gboolean    is_it_admin)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);

  for (guint i = 0; calendars != NULL && i < calendars->len; i++)
    {
      EscCalendar *calendar = g_ptr_array_index (calendars, i);
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      const char *id = esc_calendar_get_id (calendar);
      const char *name = esc_calendar_get_name (calendar);
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;
      g_autofree char *holidays = format_holidays (calendar, "; ");
      g_autofree char *closures = format_closures (calendar);

      /* Translators: a calendar's name and id: "Bureau de Paris (paris)" */
      title = g_strdup_printf (_("%s (%s)"), name != NULL && *name != '\0' ? name : id, id);
      if (esc_calendar_get_always_open (calendar))
        description = g_strdup (_("Open round the clock."));
      else
        description = g_strdup_printf (_("Time zone: %s."), esc_calendar_get_time_zone (calendar));
      adw_preferences_group_set_title (group, title);
      adw_preferences_group_set_description (group, description);

      if (may_edit && (is_it_admin || g_strcmp0 (id, "admin-hours") != 0))
        {
          GtkWidget *edit = gtk_button_new_with_label (_("Edit"));
          /* Translators: the accessible name of a calendar's Edit button */
          g_autofree char *label = g_strdup_printf (_("Edit %s"), title);

          gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
          esc_ui_set_name (edit, label);
          g_object_set_data_full (G_OBJECT (edit), "calendar-id", g_strdup (id), g_free);
          g_object_set_data_full (G_OBJECT (edit), "calendars", g_ptr_array_ref (calendars),
                                  (GDestroyNotify)g_ptr_array_unref);
          g_signal_connect (edit, "clicked", G_CALLBACK (edit_calendar_clicked_cb), page);
          adw_preferences_group_set_header_suffix (group, edit);
        }

      if (!esc_calendar_get_always_open (calendar))
        for (guint d = 0; d < G_N_ELEMENTS (weekday_names); d++)
          {
            g_autofree char *hours = format_ranges (calendar, (GDateWeekday)(d + 1));

            add_row (group, _(weekday_names[d]), *hours != '\0' ? hours : C_("business day", "Closed"));
          }
      add_row (group, _("Holidays"), *holidays != '\0' ? holidays : _("None"));
      if (*closures != '\0')
        add_row (group, _("Closures"), closures);

      gtk_box_append (box, GTK_WIDGET (group));
    }
}

/* The editor ------------------------------------------------------------------- */

typedef struct
{
  EscSlaPage  *page;
  EscCalendar *original;   /* NULL for a new calendar */
  char        *etag;
  GPtrArray   *calendars;
  GtkWidget   *window;
  GtkWidget   *save_button;
  GtkWidget   *error_label;
  GtkWidget   *id_row;     /* NULL when editing */
  GtkWidget   *name_row;
  GtkWidget   *zone_row;
  GtkWidget   *always_switch;
  GtkWidget   *day_rows[7];
  GtkWidget   *holidays_row;
  GtkWidget   *closures_row;
  GPtrArray   *rows_in_error;
  gboolean     closed;  /* the window is gone: an answer still due finds nothing to show */
} Editor;

static void
editor_free (gpointer data)
{
  Editor *editor = data;

  g_object_unref (editor->page);
  g_clear_object (&editor->original);
  g_free (editor->etag);
  g_ptr_array_unref (editor->calendars);
  g_ptr_array_unref (editor->rows_in_error);
  g_free (editor);
}

static void
editor_clear_errors (Editor *editor)
{
  for (guint i = 0; i < editor->rows_in_error->len; i++)
    esc_row_clear_error (g_ptr_array_index (editor->rows_in_error, i));
  g_ptr_array_set_size (editor->rows_in_error, 0);
  gtk_widget_set_visible (editor->error_label, FALSE);
}

/* The first error takes the focus */
static void
editor_show_error (Editor     *editor,
                   GtkWidget  *row,
                   const char *message)
{
  gboolean first = editor->rows_in_error->len == 0 && !gtk_widget_get_visible (editor->error_label);

  if (row != NULL)
    {
      esc_row_show_error (row, message);
      g_ptr_array_add (editor->rows_in_error, row);
      if (first)
        gtk_widget_grab_focus (row);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (editor->error_label), message);
      gtk_widget_set_visible (editor->error_label, TRUE);
    }
}

static gboolean
parse_time (const char *text,
            guint      *minutes)
{
  guint64 h, m;
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);

  if (g_strv_length (parts) != 2 || strlen (parts[0]) == 0 || strlen (parts[1]) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, 24, &h, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &m, NULL) ||
      (h == 24 && m != 0))
    return FALSE;
  *minutes = (guint)(h * 60 + m);
  return TRUE;
}

/* Adds the ranges of @text ("09:00–12:30, 13:30–18:00"; "" is closed) */
static gboolean
add_day (EscCalendar  *calendar,
         GDateWeekday  weekday,
         const char   *text,
         GError      **error)
{
  g_autofree char *normal = NULL;
  g_auto(GStrv) ranges = NULL;
  g_autoptr(GString) copy = g_string_new (text);

  g_string_replace (copy, "–", "-", 0);
  normal = g_strstrip (g_string_free (g_steal_pointer (&copy), FALSE));
  if (*normal == '\0')
    return TRUE;

  ranges = g_strsplit (normal, ",", -1);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      g_auto(GStrv) ends = g_strsplit (g_strstrip (ranges[i]), "-", -1);
      guint start, end;

      if (g_strv_length (ends) != 2 ||
          !parse_time (g_strstrip (ends[0]), &start) || !parse_time (g_strstrip (ends[1]), &end))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("“%s” is not a range of hours: write them as 09:00–12:30, 13:30–18:00."),
                       g_strstrip (ranges[i]));
          return FALSE;
        }
      if (!esc_calendar_add_range (calendar, weekday, start, end, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
add_holidays (EscCalendar  *calendar,
              const char   *text,
              GError      **error)
{
  g_auto(GStrv) items = g_strsplit (text, ";", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      g_autofree char *date = NULL;
      const char *name;

      if (*item == '\0')
        continue;
      name = strchr (item, ' ');
      date = name != NULL ? g_strndup (item, name - item) : g_strdup (item);
      if (!esc_calendar_add_holiday (calendar, date, name != NULL ? g_strstrip ((char *)name) : "", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
looks_like_date (const char *text)
{
  return text != NULL && strlen (text) == 10 && g_ascii_isdigit (text[0]) && text[4] == '-' && text[7] == '-';
}

/* "2026-08-03 – 2026-08-14 Summer closure; 2026-12-24 – 2026-12-26": each
 * closure its first and last day (one day when there is no second date),
 * then its reason. */
static gboolean
add_closures (EscCalendar  *calendar,
              const char   *text,
              GError      **error)
{
  g_auto(GStrv) items = g_strsplit (text, ";", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (items[i]), " \t", -1);
      g_autoptr(GString) reason = g_string_new (NULL);
      const char *from = NULL;
      const char *to = NULL;
      guint w = 0;

      for (; words[w] != NULL && *words[w] == '\0'; w++)
        ;
      if (words[w] == NULL)
        continue;
      from = words[w++];
      for (; words[w] != NULL && (*words[w] == '\0' || g_str_equal (words[w], "–") ||
                                  g_str_equal (words[w], "-")); w++)
        ;
      if (looks_like_date (words[w]))
        to = words[w++];
      for (; words[w] != NULL; w++)
        {
          if (*words[w] != '\0')
            g_string_append_printf (reason, "%s%s", reason->len > 0 ? " " : "", words[w]);
        }
      if (!esc_calendar_add_closure (calendar, from, to != NULL ? to : from, reason->str, error))
        return FALSE;
    }

  return TRUE;
}

/* The row of a member the service named ("/week/monday/1/end"), or NULL */
static GtkWidget *
row_for_field (Editor     *editor,
               const char *field)
{
  if (field == NULL)
    return NULL;
  if (g_str_has_prefix (field, "/time_zone"))
    return editor->zone_row;
  if (g_str_has_prefix (field, "/name"))
    return editor->name_row;
  if (g_str_has_prefix (field, "/holidays"))
    return editor->holidays_row;
  if (g_str_has_prefix (field, "/closures"))
    return editor->closures_row;
  for (guint d = 0; d < G_N_ELEMENTS (weekday_members); d++)
    {
      g_autofree char *prefix = g_strconcat ("/week/", weekday_members[d], NULL);

      if (g_str_has_prefix (field, prefix))
        return editor->day_rows[d];
    }
  if (g_str_equal (field, "/week"))
    return editor->day_rows[0];
  return NULL;
}

static void
editor_closed_cb (Editor *editor)
{
  editor->closed = TRUE;
}

static void
calendar_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GtkWidget) window = user_data;
  Editor *editor = g_object_get_data (G_OBJECT (window), "esc-calendar-editor");
  g_autoptr(EscCalendar) saved = NULL;
  g_autoptr(GError) error = NULL;

  saved = esc_client_put_sla_calendar_finish (ESC_CLIENT (source), result, &error);
  if (editor->closed)
    {
      if (saved != NULL)
        esc_sla_page_reload (editor->page);
      return;
    }
  gtk_widget_set_sensitive (editor->save_button, TRUE);
  if (saved == NULL)
    {
      editor_show_error (editor, row_for_field (editor, esc_api_error_get_field (error)),
                         esc_sla_error_text (error));
      return;
    }

  esc_sla_page_reload (editor->page);
  gtk_window_destroy (GTK_WINDOW (editor->window));
}

static const char *
row_text (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
save_calendar_clicked_cb (Editor *editor)
{
  g_autoptr(EscCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *zone = g_strstrip (g_strdup (row_text (editor->zone_row)));
  g_autofree char *name = g_strstrip (g_strdup (row_text (editor->name_row)));

  editor_clear_errors (editor);

  id = editor->original != NULL ? g_strdup (esc_calendar_get_id (editor->original))
                                : g_strstrip (g_strdup (row_text (editor->id_row)));
  if (editor->original == NULL)
    {
      if (*id == '\0')
        editor_show_error (editor, editor->id_row, _("Give the calendar an id, such as “paris”."));
      for (guint i = 0; i < editor->calendars->len; i++)
        if (g_strcmp0 (esc_calendar_get_id (g_ptr_array_index (editor->calendars, i)), id) == 0)
          editor_show_error (editor, editor->id_row, _("A calendar already has this id."));
    }

  calendar = esc_calendar_new (zone, &error);
  if (calendar == NULL)
    {
      editor_show_error (editor, editor->zone_row, error->message);
      return;
    }
  esc_calendar_set_id (calendar, id);
  esc_calendar_set_name (calendar, name);
  esc_calendar_set_always_open (calendar, gtk_switch_get_active (GTK_SWITCH (editor->always_switch)));

  for (guint d = 0; d < G_N_ELEMENTS (editor->day_rows); d++)
    if (!add_day (calendar, (GDateWeekday)(d + 1), row_text (editor->day_rows[d]), &error))
      {
        editor_show_error (editor, editor->day_rows[d], error->message);
        g_clear_error (&error);
      }
  if (!add_holidays (calendar, row_text (editor->holidays_row), &error))
    {
      editor_show_error (editor, editor->holidays_row, error->message);
      g_clear_error (&error);
    }

  if (!add_closures (calendar, row_text (editor->closures_row), &error))
    {
      editor_show_error (editor, editor->closures_row, error->message);
      g_clear_error (&error);
    }

  if (editor->rows_in_error->len > 0 || gtk_widget_get_visible (editor->error_label))
    return;

  gtk_widget_set_sensitive (editor->save_button, FALSE);
  esc_client_put_sla_calendar_async (esc_session_get_client (esc_sla_page_get_session (editor->page)),
                                     calendar, editor->etag, NULL, calendar_saved_cb,
                                     g_object_ref (editor->window));
}

static GtkWidget *
new_entry_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  adw_preferences_group_add (group, row);
  return row;
}

void
esc_sla_calendar_editor_open (EscSlaPage  *page,
                              EscCalendar *calendar,
                              const char  *etag,
                              GPtrArray   *calendars)
{
  Editor *editor = g_new0 (Editor, 1);
  GtkWidget *box, *header, *cancel, *preferences, *always_row;
  AdwPreferencesGroup *group;
  g_autofree char *title = NULL;
  g_autofree char *holidays = NULL;
  g_autofree char *closures = NULL;

  editor->page = g_object_ref (page);
  editor->original = calendar != NULL ? g_object_ref (calendar) : NULL;
  editor->etag = g_strdup (etag);
  editor->calendars = g_ptr_array_ref (calendars);
  editor->rows_in_error = g_ptr_array_new ();

  editor->window = adw_window_new ();
  if (calendar != NULL)
    title = g_strdup_printf (_("Edit Calendar %s"), esc_calendar_get_id (calendar));
  else
    title = g_strdup (_("New Calendar"));
  gtk_window_set_title (GTK_WINDOW (editor->window), title);
  gtk_window_set_modal (GTK_WINDOW (editor->window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (editor->window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))));
  gtk_window_set_default_size (GTK_WINDOW (editor->window), 560, 700);
  gtk_widget_add_css_class (editor->window, "esc-sla");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (editor->window), TRUE);
  g_object_set_data_full (G_OBJECT (editor->window), "esc-calendar-editor", editor, editor_free);
  g_signal_connect_swapped (editor->window, "destroy", G_CALLBACK (editor_closed_cb), editor);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_label (_("Cancel"));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), editor->window);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  editor->save_button = gtk_button_new_with_label (_("Save Calendar"));
  gtk_widget_add_css_class (editor->save_button, "suggested-action");
  g_signal_connect_swapped (editor->save_button, "clicked", G_CALLBACK (save_calendar_clicked_cb), editor);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), editor->save_button);
  gtk_box_append (GTK_BOX (box), header);

  preferences = adw_preferences_page_new ();
  gtk_widget_set_vexpand (preferences, TRUE);
  gtk_box_append (GTK_BOX (box), preferences);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  editor->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (editor->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (editor->error_label), 0);
  gtk_widget_add_css_class (editor->error_label, "error");
  gtk_widget_set_visible (editor->error_label, FALSE);
  adw_preferences_group_add (group, editor->error_label);
  if (calendar == NULL)
    editor->id_row = new_entry_row (group, _("Id"), NULL);
  editor->name_row = new_entry_row (group, _("Name"), calendar != NULL ? esc_calendar_get_name (calendar) : NULL);
  editor->zone_row = new_entry_row (group, _("Time zone"),
                                    calendar != NULL ? esc_calendar_get_time_zone (calendar) : "Europe/Paris");

  always_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (always_row), _("Open round the clock"));
  editor->always_switch = gtk_switch_new ();
  gtk_widget_set_valign (editor->always_switch, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (editor->always_switch),
                         calendar != NULL && esc_calendar_get_always_open (calendar));
  /* Named by the row, which labels its activatable widget: one name, not two */
  adw_action_row_add_suffix (ADW_ACTION_ROW (always_row), editor->always_switch);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (always_row), editor->always_switch);
  gtk_widget_set_focusable (always_row, FALSE);
  adw_preferences_group_add (group, always_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (preferences), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Hours"));
  adw_preferences_group_set_description (group, _("For each day, its ranges of hours, such as 09:00–12:30, 13:30–18:00; empty when closed."));
  for (guint d = 0; d < G_N_ELEMENTS (weekday_names); d++)
    {
      g_autofree char *hours = calendar != NULL ? format_ranges (calendar, (GDateWeekday)(d + 1))
                                                : g_strdup (d < 5 ? "09:00–18:00" : "");

      editor->day_rows[d] = new_entry_row (group, _(weekday_names[d]), hours);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (preferences), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Holidays"));
  adw_preferences_group_set_description (group, _("Closed all day, each as its date and name, separated by semicolons: 2026-12-25 Christmas; 2027-01-01 New Year."));
  holidays = calendar != NULL ? format_holidays (calendar, "; ") : NULL;
  editor->holidays_row = new_entry_row (group, _("Holidays"), holidays);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (preferences), group);

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Closures"));
  adw_preferences_group_set_description (group, _("Closed from a first day to a last day, each with its reason, separated by semicolons: 2026-08-03 – 2026-08-14 Summer closure; 2026-12-24 Christmas Eve."));
  closures = calendar != NULL ? format_closures (calendar) : NULL;
  editor->closures_row = new_entry_row (group, _("Closures"), closures);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (preferences), group);

  adw_window_set_content (ADW_WINDOW (editor->window), box);
  esc_ui_name_controls (editor->window);
  gtk_window_present (GTK_WINDOW (editor->window));
  gtk_widget_grab_focus (editor->id_row != NULL ? editor->id_row : editor->name_row);
}
