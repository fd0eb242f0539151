/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-date-time-row.h"
#include "esc-ui-private.h"

struct _EscDateTimeRow
{
  AdwActionRow   parent_instance;

  GtkMenuButton *button;
  GtkWidget     *clear_button;
  GtkCalendar   *calendar;
  GtkSpinButton *hour;
  GtkSpinButton *minute;

  GDateTime     *value;     /* local time, or NULL */
  guint          updating : 1;
};

G_DEFINE_FINAL_TYPE (EscDateTimeRow, esc_date_time_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_button (EscDateTimeRow *self)
{
  g_autofree char *text = NULL;

  if (self->value != NULL)
    /* Translators: a date and time in the form's "First noticed" row, see the strftime manual */
    text = g_date_time_format (self->value, _("%-d %b %Y, %H:%M"));

  gtk_menu_button_set_label (self->button, text != NULL ? text : _("Not set"));
  gtk_widget_set_visible (self->clear_button, self->value != NULL);

  /* Read with the row's title: "First noticed: 3 May 2024, 09:00" */
  {
    const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
    g_autofree char *spoken_title = esc_ui_spoken_name (title != NULL ? title : "",
                                                        adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (self)));
    /* Translators: a date field as a screen reader says it: its title, then its value */
    g_autofree char *name = g_strdup_printf (_("%s: %s"), spoken_title, text != NULL ? text : _("Not set"));

    esc_ui_set_name (GTK_WIDGET (self->button), name);
  }
}

/* The widgets show @time (the value, or now when there is none) */
static void
show_in_popover (EscDateTimeRow *self,
                 GDateTime      *time)
{
  self->updating = TRUE;
  gtk_calendar_select_day (self->calendar, time);
  gtk_spin_button_set_value (self->hour, g_date_time_get_hour (time));
  gtk_spin_button_set_value (self->minute, g_date_time_get_minute (time));
  self->updating = FALSE;
}

static void
set_value (EscDateTimeRow *self,
           GDateTime      *value)
{
  g_autoptr(GDateTime) local = value != NULL ? g_date_time_to_local (value) : NULL;

  if (local == NULL && self->value == NULL)
    return;
  if (local != NULL && self->value != NULL && g_date_time_equal (local, self->value))
    return;

  g_clear_pointer (&self->value, g_date_time_unref);
  self->value = g_steal_pointer (&local);
  update_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}

/* A day, an hour or a minute chosen: that is the value now */
static void
chosen_cb (EscDateTimeRow *self)
{
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) value = NULL;

  if (self->updating)
    return;

  day = gtk_calendar_get_date (self->calendar);
  value = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                 g_date_time_get_day_of_month (day),
                                 gtk_spin_button_get_value_as_int (self->hour),
                                 gtk_spin_button_get_value_as_int (self->minute), 0);
  set_value (self, value);
}

static void
popover_shown_cb (EscDateTimeRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  show_in_popover (self, self->value != NULL ? self->value : now);
}

static void
now_clicked_cb (EscDateTimeRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) minute = g_date_time_add_seconds (now, -g_date_time_get_seconds (now));

  show_in_popover (self, minute);
  set_value (self, minute);
}

static void
clear_clicked_cb (EscDateTimeRow *self)
{
  set_value (self, NULL);
}

/* Two digits: "09" */
static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = g_strdup_printf ("%02d", gtk_spin_button_get_value_as_int (spin));

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static GtkSpinButton *
time_spin (EscDateTimeRow *self,
           int             max,
           const char     *label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, 1);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (spin), GTK_ORIENTATION_VERTICAL);
  gtk_spin_button_set_wrap (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 2);
  gtk_widget_add_css_class (spin, "numeric");
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), NULL);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (chosen_cb), self);

  return GTK_SPIN_BUTTON (spin);
}

static void
esc_date_time_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  EscDateTimeRow *self = ESC_DATE_TIME_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_boxed (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_date_time_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  EscDateTimeRow *self = ESC_DATE_TIME_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      esc_date_time_row_set_value (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_date_time_row_finalize (GObject *object)
{
  EscDateTimeRow *self = ESC_DATE_TIME_ROW (object);

  g_clear_pointer (&self->value, g_date_time_unref);

  G_OBJECT_CLASS (esc_date_time_row_parent_class)->finalize (object);
}

static void
esc_date_time_row_class_init (EscDateTimeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = esc_date_time_row_get_property;
  object_class->set_property = esc_date_time_row_set_property;
  object_class->finalize = esc_date_time_row_finalize;

  properties[PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_date_time_row_init (EscDateTimeRow *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *time_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *time_label = gtk_label_new (_("Time"));
  GtkWidget *now_button = gtk_button_new_with_mnemonic (_("_Now"));

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (chosen_cb), self);

  self->hour = time_spin (self, 23, _("Hour"));
  self->minute = time_spin (self, 59, _("Minute"));

  gtk_widget_add_css_class (time_label, "heading");
  gtk_widget_set_hexpand (time_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (time_label), 0);
  gtk_widget_set_valign (now_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (now_button, "clicked", G_CALLBACK (now_clicked_cb), self);

  gtk_box_append (GTK_BOX (time_box), time_label);
  gtk_box_append (GTK_BOX (time_box), GTK_WIDGET (self->hour));
  gtk_box_append (GTK_BOX (time_box), gtk_label_new (":"));
  gtk_box_append (GTK_BOX (time_box), GTK_WIDGET (self->minute));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->calendar));
  gtk_box_append (GTK_BOX (box), time_box);
  gtk_box_append (GTK_BOX (box), now_button);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (popover_shown_cb), self);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");

  self->clear_button = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (self->clear_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->clear_button, _("Clear"));
  gtk_widget_add_css_class (self->clear_button, "flat");
  g_signal_connect_swapped (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self);

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->button));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->clear_button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->button));
  /* One Tab stop: the button, named by the row */
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);

  update_button (self);
  g_signal_connect (self, "notify::title", G_CALLBACK (update_button), NULL);
}

/**
 * esc_date_time_row_new:
 *
 * Returns: (transfer floating): a new #EscDateTimeRow, not set
 */
GtkWidget *
esc_date_time_row_new (void)
{
  return g_object_new (ESC_TYPE_DATE_TIME_ROW, NULL);
}

GDateTime *
esc_date_time_row_get_value (EscDateTimeRow *self)
{
  g_return_val_if_fail (ESC_IS_DATE_TIME_ROW (self), NULL);
  return self->value;
}

/**
 * esc_date_time_row_set_value:
 * @self: a #EscDateTimeRow
 * @value: (nullable): the time to show (seconds are kept), or %NULL for none
 */
void
esc_date_time_row_set_value (EscDateTimeRow *self,
                             GDateTime      *value)
{
  g_return_if_fail (ESC_IS_DATE_TIME_ROW (self));

  set_value (self, value);
}
