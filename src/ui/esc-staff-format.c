/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-staff-format.h"

char *
esc_staff_format_roles (EscStaffRoles roles)
{
  GString *text = g_string_new (NULL);
  static const struct {
    EscStaffRoles role;
    const char   *label;
  } labels[] = {
    { ESC_STAFF_ROLE_IT_ADMIN, N_("IT administrator") },
    { ESC_STAFF_ROLE_PARTNER_MANAGER, N_("partner manager") },
    { ESC_STAFF_ROLE_SUPPORT_STAFF, N_("support staff") },
    { ESC_STAFF_ROLE_OPERATOR, N_("operator") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      if ((roles & labels[i].role) == 0)
        continue;
      if (text->len > 0)
        /* Translators: between two roles in a list */
        g_string_append (text, _(", "));
      g_string_append (text, _(labels[i].label));
    }
  if (text->len == 0)
    /* Translators: a person without any role */
    g_string_append (text, _("No role"));

  return g_string_free (text, FALSE);
}

char *
esc_staff_format_date (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);

  /* Translators: a date, as in "3 January 2027" (see g_date_time_format()) */
  return g_date_time_format (local, _("%-d %B %Y"));
}

const char *
esc_staff_capability_label (const char *capability)
{
  if (g_strcmp0 (capability, "elevation") == 0)
    return _("Elevation");
  if (g_strcmp0 (capability, "escalation") == 0)
    return _("Escalation");
  return capability;
}

char *
esc_staff_format_designations (EscStaffEntry *entry,
                               GDateTime     *now)
{
  EscStaffDesignations live = esc_staff_entry_get_live_designations (entry, now);
  GString *text = g_string_new (NULL);
  static const EscStaffDesignations capabilities[] = {
    ESC_STAFF_DESIGNATION_ELEVATION, ESC_STAFF_DESIGNATION_ESCALATION,
  };

  for (guint i = 0; i < G_N_ELEMENTS (capabilities); i++)
    {
      GDateTime *expires = esc_staff_entry_get_expires_at (entry, capabilities[i]);
      const char *label;

      if ((live & capabilities[i]) == 0)
        continue;
      label = capabilities[i] == ESC_STAFF_DESIGNATION_ELEVATION ? _("Elevation") : _("Escalation");
      if (text->len > 0)
        g_string_append (text, _(", "));
      if (expires != NULL)
        {
          g_autofree char *date = esc_staff_format_date (expires);

          /* Translators: a designation and when it ends, e.g. "Elevation until 3 January 2027" */
          g_string_append_printf (text, _("%s until %s"), label, date);
        }
      else
        g_string_append (text, label);
    }
  if (text->len == 0)
    /* Translators: a person without a designation */
    g_string_append (text, _("None"));

  return g_string_free (text, FALSE);
}

char *
esc_staff_format_pending (EscOutboxItem *item)
{
  if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED)
    /* Translators: %s is the service's reason */
    return g_strdup_printf (_("Change refused: %s"),
                            esc_outbox_item_get_error_message (item) != NULL
                              ? esc_outbox_item_get_error_message (item) : _("no reason given"));

  return g_strdup (_("Change waiting to be sent"));
}
