/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <limits.h>
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>

#include <adwaita.h>

#include "esc-request-format.h"
#include "esc-sla-clock.h"
#include "esc-ui-private.h"

static const char * const state_classes[] = {
  "esc-state-new", "esc-state-in-progress", "esc-state-waiting-on-customer",
  "esc-state-mitigated", "esc-state-resolved", "esc-state-closed", NULL
};

static const char * const severity_classes[] = {
  "esc-severity-a", "esc-severity-b", "esc-severity-c", NULL
};

static const char * const clock_classes[] = {
  "esc-dim", "esc-sla-ok", "esc-sla-warning", "esc-sla-overdue", NULL
};

/* GLib 2.74 reads the zone's file again for each g_date_time_to_local() when
 * TZ is not set (the cache compares its identifier with the unset TZ): the
 * list formats two times per row. The local zone is read at most once a
 * minute instead, which still follows a change of zone. */
#define LOCAL_ZONE_LIFETIME_US (60 * G_USEC_PER_SEC)

static GDateTime *
to_local (GDateTime *time)
{
  static GTimeZone *zone;
  static gint64 read_at;
  gint64 now = g_get_monotonic_time ();

  /* The UI's thread only */

  if (zone == NULL || now - read_at > LOCAL_ZONE_LIFETIME_US)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      read_at = now;
    }

  return g_date_time_to_timezone (time, zone);
}

char *
esc_request_format_time_short (GDateTime *time,
                               GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;

  if (time == NULL)
    return g_strdup ("—");

  local = to_local (time);
  local_now = to_local (now);

  if (g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    /* Translators: a time today, see the strftime manual */
    return g_date_time_format (local, _("%H:%M"));

  if (g_date_time_get_year (local) == g_date_time_get_year (local_now))
    /* Translators: a day this year, see the strftime manual */
    return g_date_time_format (local, _("%-d %b"));

  /* Translators: a day of another year, see the strftime manual */
  return g_date_time_format (local, _("%-d %b %Y"));
}

/* A count is grouped as the locale groups digits (LC_NUMERIC's separator and
 * group sizes, read from the right). The C locale, which English systems
 * often run in, groups nothing: the translation then says how ("," in
 * English, a narrow no-break space in French), by threes. */
char *
esc_format_count (guint n)
{
  const struct lconv *conv = localeconv ();
  const char *separator = conv->thousands_sep;
  const char *grouping = conv->grouping;
  g_autofree char *digits = g_strdup_printf ("%u", n);
  g_autoptr(GString) out = g_string_new (NULL);
  int group;
  int in_group = 0;

  if (separator == NULL || *separator == '\0' || grouping == NULL ||
      (unsigned char)*grouping == 0 || (unsigned char)*grouping >= CHAR_MAX)
    {
      /* Translators: the separator of thousands in counts ("100,000 requests"),
       * used when the system's locale has none */
      separator = C_("thousands separator", ",");
      grouping = "\3";
    }

  /* Right to left, then reversed (the separator is reversed twice) */
  group = (unsigned char)*grouping;
  for (gsize i = strlen (digits); i > 0; i--)
    {
      if (group > 0 && group != CHAR_MAX && in_group == group)
        {
          g_autofree char *reversed = g_utf8_strreverse (separator, -1);

          g_string_append (out, reversed);
          in_group = 0;
          if (grouping[1] != '\0')
            group = (unsigned char)*++grouping;
        }
      g_string_append_c (out, digits[i - 1]);
      in_group++;
    }

  return g_utf8_strreverse (out->str, -1);
}

char *
esc_request_format_time_long (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = to_local (time);
  /* Translators: a date and time, see the strftime manual */
  return g_date_time_format (local, _("%A %-d %B %Y at %H:%M"));
}

const char *
esc_request_state_css_class (EscSupportRequestState state)
{
  if ((guint)state >= G_N_ELEMENTS (state_classes) - 1)
    return NULL;
  return state_classes[state];
}

const char *
esc_request_severity_css_class (EscSupportSeverity severity)
{
  if ((guint)severity >= G_N_ELEMENTS (severity_classes) - 1)
    return NULL;
  return severity_classes[severity];
}

void
esc_widget_set_css_choice (GtkWidget          *widget,
                           const char * const *classes,
                           const char         *active)
{
  for (guint i = 0; classes[i] != NULL; i++)
    {
      if (g_strcmp0 (classes[i], active) == 0)
        gtk_widget_add_css_class (widget, classes[i]);
      else
        gtk_widget_remove_css_class (widget, classes[i]);
    }
}

void
esc_request_show_clock (GtkWidget         *label,
                        EscSupportRequest *request,
                        GDateTime         *now)
{
  g_autofree char *text = NULL;
  EscSupportRequestState state = esc_support_request_get_state (request);
  EscSlaLevel level;

  level = esc_sla_clock_compute (now,
                                 esc_support_request_get_created_at (request),
                                 esc_support_request_get_response_due_at (request),
                                 state, NULL, &text);

  if (text == NULL)
    {
      if (esc_support_request_get_response_due_at (request) != NULL &&
          esc_support_request_state_is_open (state))
        /* Translators: the initial response was given: no response clock runs */
        text = g_strdup (C_("response due", "Answered"));
      else
        text = g_strdup ("—");
    }

  if (GTK_IS_INSCRIPTION (label))
    {
      if (g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (label)), text) != 0)
        {
          gtk_inscription_set_text (GTK_INSCRIPTION (label), text);
          gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
        }
    }
  else
    gtk_label_set_label (GTK_LABEL (label), text);
  esc_widget_set_css_choice (label, clock_classes, clock_classes[level]);
}

void
esc_row_clear_error (GtkWidget *row)
{
  GtkWidget *error_row = g_object_get_data (G_OBJECT (row), "esc-error-row");

  if (error_row != NULL)
    {
      GtkWidget *list = gtk_widget_get_parent (error_row);

      if (GTK_IS_LIST_BOX (list))
        gtk_list_box_remove (GTK_LIST_BOX (list), error_row);
      g_object_set_data (G_OBJECT (row), "esc-error-row", NULL);
    }

  gtk_widget_remove_css_class (row, "error");
  gtk_accessible_reset_state (esc_ui_field_accessible (row), GTK_ACCESSIBLE_STATE_INVALID);
  gtk_accessible_reset_property (esc_ui_field_accessible (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

void
esc_row_show_error (GtkWidget  *row,
                    const char *message)
{
  GtkWidget *list;
  GtkWidget *error_row;
  GtkWidget *label;

  esc_row_clear_error (row);

  gtk_widget_add_css_class (row, "error");
  /* Where a screen reader is when the field has the focus */
  gtk_accessible_update_state (esc_ui_field_accessible (row),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  gtk_accessible_update_property (esc_ui_field_accessible (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);

  /* The message goes in a row of its own right under the field, in the same list */
  list = gtk_widget_get_parent (row);
  if (!GTK_IS_LIST_BOX (list))
    return;

  label = gtk_label_new (message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_add_css_class (label, "caption");

  error_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (error_row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (error_row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (error_row), FALSE);
  gtk_widget_set_focusable (error_row, FALSE);
  gtk_widget_add_css_class (error_row, "esc-field-error");
  gtk_list_box_insert (GTK_LIST_BOX (list), error_row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) + 1);
  g_object_set_data (G_OBJECT (row), "esc-error-row", error_row);
}

char *
esc_row_dup_label (GtkWidget *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  GString *label = g_string_new (NULL);

  for (const char *p = title; p != NULL && *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '_')
        continue;
      g_string_append_c (label, *p);
    }

  return g_string_free (label, FALSE);
}
