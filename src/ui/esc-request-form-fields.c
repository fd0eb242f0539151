/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-categories.h"
#include "esc-core-error.h"
#include "esc-date-time-row.h"
#include "esc-language-row.h"
#include "esc-outbox.h"
#include "esc-request-form-private.h"
#include "esc-request-text-row.h"
#include "esc-support-request.h"
#include "esc-ui-private.h"

/* The request form's fields: reading them into a request or a draft, filling
 * them from a request, a draft or the contact remembered from the last
 * request filed. */

static const EscSupportRequestType types[] = {
  ESC_SUPPORT_REQUEST_TYPE_INCIDENT,
  ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION,
  ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST,
};

/* Reading the fields ------------------------------------------------------------ */

static char *
entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  if (*text == '\0')
    return NULL;

  return g_steal_pointer (&text);
}

EscSupportRequestKind
esc_request_form_selected_kind (EscRequestForm *self)
{
  guint i = adw_combo_row_get_selected (self->kind_row);

  if (self->kinds->len == 0)
    return ESC_SUPPORT_REQUEST_KIND_ADMIN;

  return g_array_index (self->kinds, EscSupportRequestKind, MIN (i, self->kinds->len - 1));
}

EscSupportRequestType
esc_request_form_selected_type (EscRequestForm *self)
{
  return types[MIN (adw_combo_row_get_selected (self->type_row), G_N_ELEMENTS (types) - 1)];
}

EscSupportSeverity
esc_request_form_selected_severity (EscRequestForm *self)
{
  if (gtk_check_button_get_active (self->severity_a_check))
    return ESC_SUPPORT_SEVERITY_A;
  if (gtk_check_button_get_active (self->severity_b_check))
    return ESC_SUPPORT_SEVERITY_B;
  return ESC_SUPPORT_SEVERITY_C;
}

static EscTristate
selected_tristate (AdwComboRow *row)
{
  switch (adw_combo_row_get_selected (row))
    {
    case 1:
      return ESC_TRISTATE_YES;
    case 2:
      return ESC_TRISTATE_NO;
    default:
      return ESC_TRISTATE_UNKNOWN;
    }
}

static guint
tristate_position (EscTristate value)
{
  return value == ESC_TRISTATE_YES ? 1 : value == ESC_TRISTATE_NO ? 2 : 0;
}

const EscCategory *
esc_request_form_selected_category (EscRequestForm *self)
{
  guint i = adw_combo_row_get_selected (self->category_row);
  guint n;
  const EscCategory *categories = esc_categories_get (&n);

  return i < n ? &categories[i] : NULL;
}

const EscSubcategory *
esc_request_form_selected_subcategory_def (EscRequestForm *self)
{
  const EscCategory *category = esc_request_form_selected_category (self);
  guint i = adw_combo_row_get_selected (self->subcategory_row);

  if (category == NULL || i >= category->n_subcategories)
    return NULL;

  return &category->subcategories[i];
}

static const char *
selected_subcategory (EscRequestForm *self)
{
  const EscSubcategory *subcategory = esc_request_form_selected_subcategory_def (self);

  return subcategory != NULL ? subcategory->id : NULL;
}

/* "2024-05-06 09:30", "2024-05-06", or RFC 3339, in local time unless it says. */
static GDateTime *
parse_first_noticed (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *iso = NULL;

  if (strchr (text, 'T') != NULL)
    return g_date_time_new_from_iso8601 (text, local);

  if (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text, 0, 0))
    iso = g_strconcat (text, "T00:00:00", NULL);
  else if (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{1,2}:[0-9]{2}$", text, 0, 0))
    {
      g_auto(GStrv) parts = g_strsplit (text, " ", 2);
      const char *time = parts[1];

      iso = g_strdup_printf ("%sT%s%s:00", parts[0], strlen (time) == 4 ? "0" : "", time);
    }
  else
    return NULL;

  return g_date_time_new_from_iso8601 (iso, local);
}

static char *
format_first_noticed (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return NULL;

  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* The request as the fields say; a field that cannot even be read (a number
 * that is not one) adds its problem to @problems and is left out. The rules
 * are the core's. */
EscSupportRequest *
esc_request_form_build_request (EscRequestForm *self,
                                GPtrArray      *problems)
{
  g_autoptr(EscSupportRequest) request = esc_support_request_new ();
  g_autoptr(EscSupportContact) contact = NULL;
  g_autofree char *title = entry_text (self->title_row);
  g_autofree char *description = esc_request_text_row_dup_text (self->description_row);
  g_autofree char *given_name = entry_text (self->given_name_row);
  g_autofree char *surname = entry_text (self->surname_row);
  g_autofree char *email = entry_text (self->email_row);
  g_autofree char *phone = entry_text (self->phone_row);
  g_autofree char *impacted = entry_text (self->impacted_row);
  g_autofree char *business_impact = esc_request_text_row_dup_text (self->business_impact_row);
  g_autofree char *troubleshooting = esc_request_text_row_dup_text (self->troubleshooting_row);
  g_autofree char *repro = esc_request_text_row_dup_text (self->repro_row);
  g_autofree char *devices_text = entry_text (self->devices_row);
  g_autofree char *related_ticket = entry_text (self->related_ticket_row);
  const EscCategory *category = esc_request_form_selected_category (self);
  EscSupportSeverity severity = esc_request_form_selected_severity (self);

  esc_support_request_set_kind (request, esc_request_form_selected_kind (self));
  esc_support_request_set_request_type (request, esc_request_form_selected_type (self));
  esc_support_request_set_severity (request, severity);
  if (severity == ESC_SUPPORT_SEVERITY_B)
    esc_support_request_set_engagement (request,
                                        adw_combo_row_get_selected (self->engagement_row) == 1
                                        ? ESC_SUPPORT_ENGAGEMENT_24X7
                                        : ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS);
  esc_support_request_set_category (request, category != NULL ? category->id : NULL);
  esc_support_request_set_subcategory (request, selected_subcategory (self));
  esc_support_request_set_title (request, title);
  esc_support_request_set_description (request, description);

  contact = esc_support_contact_new (given_name, surname, email, phone,
                                     adw_combo_row_get_selected (self->method_row) == 1
                                     ? ESC_CONTACT_METHOD_PHONE : ESC_CONTACT_METHOD_EMAIL,
                                     esc_language_row_get_tag (self->language_row));
  esc_support_request_set_contact (request, contact);

  if (impacted != NULL)
    {
      guint64 count;

      if (g_ascii_string_to_unsigned (impacted, 10, 0, 1000000000, &count, NULL))
        esc_support_request_set_users_or_devices_impacted (request, (gint64)count);
      else
        esc_request_form_add_problem (problems, "/users_or_devices_impacted",
                     g_error_new_literal (ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                                          _("Give a whole number, such as 12.")));
    }

  esc_support_request_set_first_noticed_at (request, esc_date_time_row_get_value (self->first_noticed_row));

  esc_support_request_set_business_impact (request, business_impact);
  esc_support_request_set_reproduced_on_unmanaged_device (request, selected_tristate (self->reproduced_row));
  esc_support_request_set_end_user_support_engaged (request, selected_tristate (self->end_user_row));
  esc_support_request_set_troubleshooting_steps (request, troubleshooting);
  esc_support_request_set_steps_to_reproduce (request, repro);
  esc_support_request_set_related_ticket (request, related_ticket);

  if (devices_text != NULL)
    {
      g_auto(GStrv) parts = g_strsplit_set (devices_text, ",;\n", -1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) devices = NULL;

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (*parts[i] != '\0')
            g_strv_builder_add (builder, parts[i]);
        }
      devices = g_strv_builder_end (builder);
      esc_support_request_set_devices (request, (const char * const *)devices);
    }

  return g_steal_pointer (&request);
}

/* Filling the fields ------------------------------------------------------------ */

static void
select_category (EscRequestForm *self,
                 const char     *slug,
                 const char     *subcategory)
{
  guint n;
  const EscCategory *categories = esc_categories_get (&n);

  for (guint i = 0; slug != NULL && i < n; i++)
    {
      const EscCategory *category = &categories[i];

      if (g_strcmp0 (category->id, slug) != 0)
        continue;

      adw_combo_row_set_selected (self->category_row, i);
      for (guint j = 0; subcategory != NULL && j < category->n_subcategories; j++)
        {
          if (g_strcmp0 (category->subcategories[j].id, subcategory) == 0)
            adw_combo_row_set_selected (self->subcategory_row, j);
        }
      return;
    }
}

void
esc_request_form_set_entry (AdwEntryRow *row,
                            const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

void
esc_request_form_fill_from_request (EscRequestForm    *self,
                                    EscSupportRequest *request)
{
  const EscSupportContact *contact = esc_support_request_get_contact (request);
  const char * const *devices = esc_support_request_get_devices (request);
  g_autofree char *devices_text = NULL;
  gint64 impacted;

  for (guint i = 0; i < self->kinds->len; i++)
    {
      if (g_array_index (self->kinds, EscSupportRequestKind, i) == esc_support_request_get_kind (request))
        adw_combo_row_set_selected (self->kind_row, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (types[i] == esc_support_request_get_request_type (request))
        adw_combo_row_set_selected (self->type_row, i);
    }

  select_category (self, esc_support_request_get_category (request),
                   esc_support_request_get_subcategory (request));
  esc_request_form_set_entry (self->title_row, esc_support_request_get_title (request));
  esc_request_text_row_set_text (self->description_row, esc_support_request_get_description (request));

  switch (esc_support_request_get_severity (request))
    {
    case ESC_SUPPORT_SEVERITY_A:
      gtk_check_button_set_active (self->severity_a_check, TRUE);
      break;
    case ESC_SUPPORT_SEVERITY_B:
      gtk_check_button_set_active (self->severity_b_check, TRUE);
      break;
    case ESC_SUPPORT_SEVERITY_C:
    default:
      gtk_check_button_set_active (self->severity_c_check, TRUE);
      break;
    }
  adw_combo_row_set_selected (self->engagement_row,
                              esc_support_request_get_engagement (request) == ESC_SUPPORT_ENGAGEMENT_24X7);

  if (contact != NULL)
    {
      esc_request_form_set_entry (self->given_name_row, contact->given_name);
      esc_request_form_set_entry (self->surname_row, contact->surname);
      esc_request_form_set_entry (self->email_row, contact->email);
      esc_request_form_set_entry (self->phone_row, contact->phone);
      adw_combo_row_set_selected (self->method_row, contact->preferred_method == ESC_CONTACT_METHOD_PHONE);
      esc_language_row_select (self->language_row, contact->language);
    }

  impacted = esc_support_request_get_users_or_devices_impacted (request);
  if (impacted >= 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, impacted);
      esc_request_form_set_entry (self->impacted_row, text);
    }
  else
    esc_request_form_set_entry (self->impacted_row, NULL);

  esc_request_text_row_set_text (self->business_impact_row, esc_support_request_get_business_impact (request));
  esc_date_time_row_set_value (self->first_noticed_row, esc_support_request_get_first_noticed_at (request));
  adw_combo_row_set_selected (self->reproduced_row,
                              tristate_position (esc_support_request_get_reproduced_on_unmanaged_device (request)));
  adw_combo_row_set_selected (self->end_user_row,
                              tristate_position (esc_support_request_get_end_user_support_engaged (request)));
  esc_request_text_row_set_text (self->troubleshooting_row, esc_support_request_get_troubleshooting_steps (request));
  esc_request_text_row_set_text (self->repro_row, esc_support_request_get_steps_to_reproduce (request));
  if (devices != NULL)
    devices_text = g_strjoinv (", ", (char **)devices);
  esc_request_form_set_entry (self->devices_row, devices_text);
  esc_request_form_set_entry (self->related_ticket_row, esc_support_request_get_related_ticket (request));
}

/* The primary contact: the signed-in person in the language of the desktop,
 * then the contact of the last request filed (names, phone, method, language) */
void
esc_request_form_prefill_contact (EscRequestForm *self)
{
  EscIdentity *identity = esc_account_get_identity (esc_outbox_sender_get_account (self->sender));
  const char * const *locale_languages = g_get_language_names ();
  g_autoptr(GVariant) last = g_settings_get_value (self->settings, "last-contact");
  const char *remembered = NULL;
  const char *language = "en";

  if (identity != NULL)
    {
      g_autofree char *name = g_strdup (esc_identity_get_name (identity));
      char *space = name != NULL ? strchr (g_strstrip (name), ' ') : NULL;

      if (space != NULL)
        {
          *space = '\0';
          esc_request_form_set_entry (self->surname_row, g_strstrip (space + 1));
        }
      esc_request_form_set_entry (self->given_name_row, name);
      esc_request_form_set_entry (self->email_row, esc_identity_get_email (identity));
    }

  /* "fr_FR.UTF-8" → French; the C locale says nothing, so English */
  for (guint i = 0; locale_languages[i] != NULL; i++)
    {
      if (strchr (locale_languages[i], '.') == NULL && strchr (locale_languages[i], '@') == NULL &&
          !g_str_equal (locale_languages[i], "C") && !g_str_equal (locale_languages[i], "POSIX"))
        {
          language = locale_languages[i];
          break;
        }
    }
  esc_language_row_select (self->language_row, language);

  if (g_variant_lookup (last, "given_name", "&s", &remembered) && *remembered != '\0')
    esc_request_form_set_entry (self->given_name_row, remembered);
  if (g_variant_lookup (last, "surname", "&s", &remembered) && *remembered != '\0')
    esc_request_form_set_entry (self->surname_row, remembered);
  if (g_variant_lookup (last, "phone", "&s", &remembered) && *remembered != '\0')
    esc_request_form_set_entry (self->phone_row, remembered);
  if (g_variant_lookup (last, "preferred_method", "&s", &remembered))
    adw_combo_row_set_selected (self->method_row, g_str_equal (remembered, "phone"));
  if (g_variant_lookup (last, "language", "&s", &remembered))
    esc_language_row_select (self->language_row, remembered);
}

/* What the next form starts with: the contact of a request filed or queued */
void
esc_request_form_remember_contact (EscRequestForm    *self,
                                   EscSupportRequest *request)
{
  const EscSupportContact *contact = esc_support_request_get_contact (request);
  GVariantBuilder builder;

  if (contact == NULL)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&builder, "{ss}", "given_name", contact->given_name);
  g_variant_builder_add (&builder, "{ss}", "surname", contact->surname);
  g_variant_builder_add (&builder, "{ss}", "phone", contact->phone);
  g_variant_builder_add (&builder, "{ss}", "preferred_method",
                         esc_contact_method_to_string (contact->preferred_method));
  g_variant_builder_add (&builder, "{ss}", "language", contact->language);
  g_settings_set_value (self->settings, "last-contact", g_variant_builder_end (&builder));
}

/* Drafts: what was typed, as typed ----------------------------------------------- */

JsonNode *
esc_request_form_draft_to_json (EscRequestForm *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const EscCategory *category = esc_request_form_selected_category (self);
  g_autofree char *description = esc_request_text_row_dup_text (self->description_row);
  g_autofree char *business_impact = esc_request_text_row_dup_text (self->business_impact_row);
  g_autofree char *troubleshooting = esc_request_text_row_dup_text (self->troubleshooting_row);
  g_autofree char *repro = esc_request_text_row_dup_text (self->repro_row);
  g_autofree char *first_noticed = format_first_noticed (esc_date_time_row_get_value (self->first_noticed_row));
  struct { const char *name; AdwEntryRow *row; } entries[] = {
    { "title", self->title_row },
    { "given_name", self->given_name_row },
    { "surname", self->surname_row },
    { "email", self->email_row },
    { "phone", self->phone_row },
    { "users_or_devices_impacted", self->impacted_row },
    { "devices", self->devices_row },
    { "related_ticket", self->related_ticket_row },
  };

  /* What was typed, as typed: a draft need not be valid */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, esc_support_request_kind_to_string (esc_request_form_selected_kind (self)));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, esc_support_request_type_to_string (esc_request_form_selected_type (self)));
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, esc_support_severity_to_string (esc_request_form_selected_severity (self)));
  json_builder_set_member_name (builder, "engagement_24x7");
  json_builder_add_boolean_value (builder, adw_combo_row_get_selected (self->engagement_row) == 1);
  json_builder_set_member_name (builder, "category");
  json_builder_add_string_value (builder, category != NULL ? category->id : NULL);
  json_builder_set_member_name (builder, "subcategory");
  json_builder_add_string_value (builder, selected_subcategory (self));
  json_builder_set_member_name (builder, "hardware_fault");
  json_builder_add_boolean_value (builder, gtk_switch_get_active (self->hardware_switch));
  json_builder_set_member_name (builder, "deployed_by_service");
  json_builder_add_boolean_value (builder, gtk_switch_get_active (self->service_switch));
  json_builder_set_member_name (builder, "facts_touched");
  json_builder_add_boolean_value (builder, self->facts_touched);
  json_builder_set_member_name (builder, "preferred_method");
  json_builder_add_string_value (builder, adw_combo_row_get_selected (self->method_row) == 1 ? "phone" : "email");
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, esc_language_row_get_tag (self->language_row));
  json_builder_set_member_name (builder, "first_noticed");
  json_builder_add_string_value (builder, first_noticed != NULL ? first_noticed : "");
  json_builder_set_member_name (builder, "reproduced_on_unmanaged_device");
  json_builder_add_int_value (builder, selected_tristate (self->reproduced_row));
  json_builder_set_member_name (builder, "end_user_support_engaged");
  json_builder_add_int_value (builder, selected_tristate (self->end_user_row));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      json_builder_set_member_name (builder, entries[i].name);
      json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (entries[i].row)));
    }

  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "business_impact");
  json_builder_add_string_value (builder, business_impact);
  json_builder_set_member_name (builder, "troubleshooting_steps");
  json_builder_add_string_value (builder, troubleshooting);
  json_builder_set_member_name (builder, "steps_to_reproduce");
  json_builder_add_string_value (builder, repro);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
draft_string (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
draft_boolean (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static EscTristate
draft_tristate (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return ESC_TRISTATE_UNKNOWN;

  switch (json_node_get_int (node))
    {
    case ESC_TRISTATE_YES:
      return ESC_TRISTATE_YES;
    case ESC_TRISTATE_NO:
      return ESC_TRISTATE_NO;
    default:
      return ESC_TRISTATE_UNKNOWN;
    }
}

void
esc_request_form_fill_from_draft (EscRequestForm *self,
                                  JsonNode       *node)
{
  JsonObject *object;
  EscSupportRequestKind kind;
  EscSupportRequestType type;
  EscSupportSeverity severity;
  struct { const char *name; AdwEntryRow *row; } entries[] = {
    { "title", self->title_row },
    { "given_name", self->given_name_row },
    { "surname", self->surname_row },
    { "email", self->email_row },
    { "phone", self->phone_row },
    { "users_or_devices_impacted", self->impacted_row },
    { "devices", self->devices_row },
    { "related_ticket", self->related_ticket_row },
  };

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);

  if (esc_support_request_kind_from_string (draft_string (object, "kind"), &kind))
    {
      for (guint i = 0; i < self->kinds->len; i++)
        {
          if (g_array_index (self->kinds, EscSupportRequestKind, i) == kind)
            adw_combo_row_set_selected (self->kind_row, i);
        }
    }
  if (esc_support_request_type_from_string (draft_string (object, "type"), &type))
    {
      for (guint i = 0; i < G_N_ELEMENTS (types); i++)
        {
          if (types[i] == type)
            adw_combo_row_set_selected (self->type_row, i);
        }
    }

  select_category (self, draft_string (object, "category"), draft_string (object, "subcategory"));

  self->facts_touched = draft_boolean (object, "facts_touched");
  gtk_switch_set_active (self->hardware_switch, draft_boolean (object, "hardware_fault"));
  gtk_switch_set_active (self->service_switch, draft_boolean (object, "deployed_by_service"));

  if (esc_support_severity_from_string (draft_string (object, "severity"), &severity))
    {
      GtkCheckButton *checks[] = { self->severity_a_check, self->severity_b_check, self->severity_c_check };
      gtk_check_button_set_active (checks[severity], TRUE);
    }
  adw_combo_row_set_selected (self->engagement_row, draft_boolean (object, "engagement_24x7"));
  adw_combo_row_set_selected (self->method_row, g_strcmp0 (draft_string (object, "preferred_method"), "phone") == 0);
  esc_language_row_select (self->language_row, draft_string (object, "language"));
  if (draft_string (object, "first_noticed") != NULL)
    {
      g_autoptr(GDateTime) first_noticed = parse_first_noticed (draft_string (object, "first_noticed"));

      esc_date_time_row_set_value (self->first_noticed_row, first_noticed);
    }
  adw_combo_row_set_selected (self->reproduced_row,
                              tristate_position (draft_tristate (object, "reproduced_on_unmanaged_device")));
  adw_combo_row_set_selected (self->end_user_row,
                              tristate_position (draft_tristate (object, "end_user_support_engaged")));

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      const char *text = draft_string (object, entries[i].name);

      if (text != NULL)
        esc_request_form_set_entry (entries[i].row, text);
    }

  esc_request_text_row_set_text (self->description_row, draft_string (object, "description"));
  esc_request_text_row_set_text (self->business_impact_row, draft_string (object, "business_impact"));
  esc_request_text_row_set_text (self->troubleshooting_row, draft_string (object, "troubleshooting_steps"));
  esc_request_text_row_set_text (self->repro_row, draft_string (object, "steps_to_reproduce"));
}
