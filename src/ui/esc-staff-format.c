/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-designation.h"
#include "esc-staff-format.h"
#include "esc-time.h"

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

static void
append_designation (GString    *text,
                    const char *capability,
                    GDateTime  *expires)
{
  if (text->len > 0)
    g_string_append (text, _(", "));
  if (expires != NULL)
    {
      g_autofree char *date = esc_staff_format_date (expires);

      g_string_append_printf (text, _("%s until %s"), esc_staff_capability_label (capability), date);
    }
  else
    g_string_append (text, esc_staff_capability_label (capability));
}

char *
esc_staff_format_change (const char *body)
{
  g_autoptr(JsonNode) node = body != NULL ? json_from_string (body, NULL) : NULL;
  JsonArray *designations = NULL;
  GString *text = g_string_new (NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (node), "designations");

      if (member != NULL && JSON_NODE_HOLDS_ARRAY (member))
        designations = json_node_get_array (member);
    }
  for (guint i = 0; designations != NULL && i < json_array_get_length (designations); i++)
    {
      JsonNode *element = json_array_get_element (designations, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      const char *expires_text;
      g_autoptr(GDateTime) expires = NULL;

      if (object == NULL)
        continue;
      expires_text = json_object_get_string_member_with_default (object, "expires_at", NULL);
      expires = expires_text != NULL ? esc_time_parse (expires_text) : NULL;
      append_designation (text, json_object_get_string_member_with_default (object, "capability", ""),
                          expires);
    }
  if (text->len == 0)
    g_string_append (text, _("None"));

  return g_string_free (text, FALSE);
}

char *
esc_staff_format_member_designations (EscStaffMember *member)
{
  GListModel *designations = esc_staff_member_get_designations (member);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (designations); i++)
    {
      g_autoptr(EscDesignation) designation = g_list_model_get_item (designations, i);

      if (esc_designation_get_active (designation))
        append_designation (text, esc_designation_get_capability (designation),
                            esc_designation_get_expires_at (designation));
    }
  if (text->len == 0)
    g_string_append (text, _("None"));

  return g_string_free (text, FALSE);
}

char *
esc_staff_format_pending (EscOutboxItem *item)
{
  if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED &&
      g_strcmp0 (esc_outbox_item_get_error_code (item), "precondition-failed") == 0)
    return g_strdup (_("Changed meanwhile by someone else: open to choose"));

  if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED)
    /* Translators: %s is the service's reason */
    return g_strdup_printf (_("Change refused: %s"),
                            esc_outbox_item_get_error_message (item) != NULL
                              ? esc_outbox_item_get_error_message (item) : _("no reason given"));

  return g_strdup (_("Change waiting to be sent"));
}
