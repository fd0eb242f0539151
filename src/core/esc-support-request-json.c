/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-json-read.h"
#include "esc-support-request-private.h"
#include "esc-time.h"

/* The JSON codec of a support request, its contact and its timeline events:
 * the v1 wire format of data/api/openapi.yaml, read strictly (unknown
 * members, wrong types and bad values are refused, naming the field). */

/* JSON reading goes through the strict reader of esc-json-read.h; what is
 * the support request's own: slugs, yes/no/unknown, and its members. */

typedef EscJsonReader Reader;

#define reader_init    esc_json_reader_init
#define reader_member  esc_json_reader_member
#define reader_string  esc_json_reader_string
#define reader_enum    esc_json_reader_enum
#define reader_int     esc_json_reader_int
#define reader_time    esc_json_reader_time
#define reader_strings esc_json_reader_strv

static gboolean
reader_slug (Reader      *r,
             const char  *member,
             gboolean     required,
             const char **out)
{
  char field[ESC_JSON_FIELD_BUFFER];
  char label[ESC_JSON_FIELD_BUFFER] = "";

  esc_json_join_field_buf (field, r->at, member);

  if (!reader_string (r, member, required, FALSE, ESC_SUPPORT_REQUEST_SLUG_MAX, out))
    return FALSE;

  if (*out != NULL && !esc_support_is_slug (*out))
    return esc_json_label_buf (label, field), esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”."),
                                           label);

  return TRUE;
}

static gboolean
reader_tristate (Reader      *r,
                 const char  *member,
                 EscTristate *out)
{
  gboolean value = FALSE;
  gboolean present;

  *out = ESC_TRISTATE_UNKNOWN;

  if (!esc_json_reader_bool (r, member, &value, &present))
    return FALSE;

  if (present)
    *out = value ? ESC_TRISTATE_YES : ESC_TRISTATE_NO;
  return TRUE;
}

static gboolean
reader_only (Reader             *r,
             const char * const *allowed)
{
  const char *name = esc_json_reader_unknown_member (r, allowed);
  g_autofree char *field = NULL;
  g_autofree char *label = NULL;

  if (name == NULL)
    return TRUE;

  field = esc_json_join_field (r->at, name);
  label = esc_json_field_label (field);

  return esc_json_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                        _("“%s” is not a field of a support request."), label);
}

JsonNode *
esc_support_contact_to_json (const EscSupportContact *contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (contact != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "given_name");
  json_builder_add_string_value (builder, contact->given_name);
  json_builder_set_member_name (builder, "surname");
  json_builder_add_string_value (builder, contact->surname);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, contact->email);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, contact->phone);
  json_builder_set_member_name (builder, "preferred_method");
  json_builder_add_string_value (builder, esc_contact_method_to_string (contact->preferred_method));
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, contact->language);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * esc_support_contact_new_from_json:
 * @node: a JSON object
 * @at: its JSON pointer, e.g. "/contact"
 * @out_field: (out) (optional) (transfer full): the field at fault
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * Returns: (transfer full) (nullable): the contact, validated, or %NULL
 */
EscSupportContact *
esc_support_contact_new_from_json (JsonNode    *node,
                                   const char  *at,
                                   char       **out_field,
                                   GError     **error)
{
  static const char * const members[] = {
    "given_name", "surname", "email", "phone", "preferred_method", "language", NULL
  };
  g_autoptr(EscSupportContact) contact = NULL;
  const char *given_name;
  const char *surname;
  const char *email;
  const char *phone;
  const char *language;
  int method = ESC_CONTACT_METHOD_EMAIL;
  Reader r;

  if (!reader_init (&r, node, at, _("The contact"), out_field, error) ||
      !reader_only (&r, members) ||
      !reader_string (&r, "given_name", TRUE, FALSE, ESC_SUPPORT_REQUEST_NAME_MAX, &given_name) ||
      !reader_string (&r, "surname", TRUE, FALSE, ESC_SUPPORT_REQUEST_NAME_MAX, &surname) ||
      !reader_string (&r, "email", TRUE, FALSE, 254, &email) ||
      !reader_string (&r, "phone", TRUE, FALSE, 40, &phone) ||
      !reader_enum (&r, "preferred_method", TRUE, FALSE, ESC_TYPE_CONTACT_METHOD, &method) ||
      !reader_string (&r, "language", TRUE, FALSE, 35, &language))
    return NULL;

  contact = esc_support_contact_new (given_name, surname, email, phone,
                                     (EscContactMethod)method, language);
  if (!esc_support_contact_validate (contact, at, out_field, error))
    return NULL;

  return g_steal_pointer (&contact);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_nullable_time (JsonBuilder *builder,
                   const char  *member,
                   GDateTime   *value)
{
  g_autofree char *text = value ? esc_time_format (value) : NULL;

  add_nullable_string (builder, member, text);
}

static void
add_person (JsonBuilder *builder,
            const char  *member,
            gint64       id,
            const char  *name)
{
  json_builder_set_member_name (builder, member);
  if (name == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
}

JsonNode *
esc_support_request_event_to_json (const EscSupportRequestEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, event->id);
  add_nullable_time (builder, "at", event->at);
  add_nullable_string (builder, "kind", event->kind);
  add_person (builder, "actor", event->actor_id, event->actor_name);
  add_nullable_string (builder, "text", event->text);
  add_nullable_string (builder, "from_state", event->from_state);
  add_nullable_string (builder, "to_state", event->to_state);
  add_nullable_string (builder, "from_severity", event->from_severity);
  add_nullable_string (builder, "to_severity", event->to_severity);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
reader_person (Reader      *r,
               const char  *member,
               gboolean     required,
               gint64      *out_id,
               char       **out_name)
{
  g_autofree char *field = esc_support_join_field (r->at, member);
  JsonNode *node;
  Reader person;
  const char *name;
  gboolean present;

  *out_id = 0;
  *out_name = NULL;

  if (!reader_member (r, member, required, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!reader_init (&person, node, field, _("A person"), r->out_field, r->error) ||
      !reader_int (&person, "id", TRUE, 1, G_MAXINT64, out_id, &present) ||
      !reader_string (&person, "name", TRUE, FALSE, 200, &name))
    return FALSE;

  *out_name = g_strdup (name);
  return TRUE;
}

EscSupportRequestEvent *
esc_support_request_event_new_from_json (JsonNode    *node,
                                         const char  *at,
                                         char       **out_field,
                                         GError     **error)
{
  g_autoptr(EscSupportRequestEvent) event = esc_support_request_event_new ();
  const char *kind;
  const char *text;
  const char *from_state;
  const char *to_state;
  const char *from_severity;
  const char *to_severity;
  gboolean present;
  Reader r;

  if (!reader_init (&r, node, at, _("A timeline event"), out_field, error) ||
      !reader_int (&r, "id", TRUE, 1, G_MAXINT64, &event->id, &present) ||
      !reader_time (&r, "at", TRUE, &event->at) ||
      !reader_string (&r, "kind", TRUE, FALSE, 100, &kind) ||
      !reader_person (&r, "actor", FALSE, &event->actor_id, &event->actor_name) ||
      !reader_string (&r, "text", FALSE, TRUE, ESC_SUPPORT_REQUEST_TEXT_MAX, &text) ||
      !reader_string (&r, "from_state", FALSE, TRUE, 100, &from_state) ||
      !reader_string (&r, "to_state", FALSE, TRUE, 100, &to_state) ||
      !reader_string (&r, "from_severity", FALSE, TRUE, 10, &from_severity) ||
      !reader_string (&r, "to_severity", FALSE, TRUE, 10, &to_severity))
    return NULL;

  event->kind = g_strdup (kind);
  event->text = g_strdup (text);
  event->from_state = g_strdup (from_state);
  event->to_state = g_strdup (to_state);
  event->from_severity = g_strdup (from_severity);
  event->to_severity = g_strdup (to_severity);

  return g_steal_pointer (&event);
}

/* JSON */

static const char * const create_members[] = {
  "kind", "type", "severity", "engagement", "category", "subcategory", "title",
  "description", "contact", "users_or_devices_impacted", "business_impact",
  "first_noticed_at", "reproduced_on_unmanaged_device", "end_user_support_engaged",
  "troubleshooting_steps", "steps_to_reproduce", "devices", "related_ticket", NULL
};

/* An "SR-" and at least six digits. */
static gboolean
is_request_id (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len < 9 || len > 30 || !g_str_has_prefix (id, "SR-"))
    return FALSE;

  for (const char *p = id + 3; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_filer_fields (EscSupportRequest *self,
                   Reader            *r)
{
  const char *category;
  const char *subcategory;
  const char *title;
  const char *description;
  const char *business_impact;
  const char *troubleshooting_steps;
  const char *steps_to_reproduce;
  const char *related_ticket;
  JsonNode *contact_node;
  g_autoptr(EscSupportContact) contact = NULL;
  g_autoptr(GDateTime) first_noticed_at = NULL;
  g_auto(GStrv) devices = NULL;
  gint64 impacted = -1;
  gboolean present;
  int kind = self->kind;
  int type = self->type;
  int severity = self->severity;
  int engagement = ESC_SUPPORT_ENGAGEMENT_NONE;

  if (!reader_enum (r, "kind", TRUE, FALSE, ESC_TYPE_SUPPORT_REQUEST_KIND, &kind) ||
      !reader_enum (r, "type", TRUE, FALSE, ESC_TYPE_SUPPORT_REQUEST_TYPE, &type) ||
      !reader_enum (r, "severity", TRUE, FALSE, ESC_TYPE_SUPPORT_SEVERITY, &severity) ||
      !reader_enum (r, "engagement", FALSE, TRUE, ESC_TYPE_SUPPORT_ENGAGEMENT, &engagement) ||
      !reader_slug (r, "category", TRUE, &category) ||
      !reader_slug (r, "subcategory", TRUE, &subcategory) ||
      !reader_string (r, "title", TRUE, FALSE, ESC_SUPPORT_REQUEST_TITLE_MAX, &title) ||
      !reader_string (r, "description", TRUE, FALSE, ESC_SUPPORT_REQUEST_TEXT_MAX, &description) ||
      !reader_member (r, "contact", TRUE, FALSE, &contact_node))
    return FALSE;

  if (!(contact = esc_support_contact_new_from_json (contact_node, "/contact",
                                                     r->out_field, r->error)))
    return FALSE;

  if (!reader_int (r, "users_or_devices_impacted", FALSE, 0, 1000000000, &impacted, &present) ||
      !reader_string (r, "business_impact", FALSE, TRUE, ESC_SUPPORT_REQUEST_IMPACT_MAX, &business_impact) ||
      !reader_time (r, "first_noticed_at", FALSE, &first_noticed_at) ||
      !reader_tristate (r, "reproduced_on_unmanaged_device", &self->reproduced_on_unmanaged_device) ||
      !reader_tristate (r, "end_user_support_engaged", &self->end_user_support_engaged) ||
      !reader_string (r, "troubleshooting_steps", FALSE, TRUE, ESC_SUPPORT_REQUEST_TEXT_MAX, &troubleshooting_steps) ||
      !reader_string (r, "steps_to_reproduce", FALSE, TRUE, ESC_SUPPORT_REQUEST_TEXT_MAX, &steps_to_reproduce) ||
      !reader_strings (r, "devices", ESC_SUPPORT_REQUEST_DEVICES_MAX, 100, &devices) ||
      !reader_string (r, "related_ticket", FALSE, TRUE, 100, &related_ticket))
    return FALSE;

  self->kind = (EscSupportRequestKind)kind;
  self->type = (EscSupportRequestType)type;
  self->severity = (EscSupportSeverity)severity;
  self->engagement = (EscSupportEngagement)engagement;
  self->category = g_strdup (category);
  self->subcategory = g_strdup (subcategory);
  self->title = g_strdup (title);
  self->description = g_strdup (description);
  self->contact = g_steal_pointer (&contact);
  self->users_or_devices_impacted = present ? impacted : -1;
  self->business_impact = g_strdup (business_impact);
  self->first_noticed_at = g_steal_pointer (&first_noticed_at);
  self->troubleshooting_steps = g_strdup (troubleshooting_steps);
  self->steps_to_reproduce = g_strdup (steps_to_reproduce);
  self->devices = (devices != NULL && devices[0] != NULL) ? g_steal_pointer (&devices) : NULL;
  self->related_ticket = g_strdup (related_ticket);

  return TRUE;
}

static gboolean
read_service_fields (EscSupportRequest *self,
                     Reader            *r)
{
  const char *id;
  const char *notes;
  JsonNode *timeline_node;
  g_auto(GStrv) attachments = NULL;
  int state = ESC_SUPPORT_REQUEST_STATE_NEW;
  int owner = ESC_NEXT_ACTION_OWNER_NONE;

  if (!reader_string (r, "id", TRUE, FALSE, 30, &id))
    return FALSE;
  if (!is_request_id (id))
    return esc_support_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, "/id",
                 _("“%s” is not a support request id such as SR-000123."), id);

  if (!reader_enum (r, "state", TRUE, FALSE, ESC_TYPE_SUPPORT_REQUEST_STATE, &state) ||
      !reader_person (r, "filed_by", TRUE, &self->filer_id, &self->filer_name) ||
      !reader_time (r, "created_at", TRUE, &self->created_at) ||
      !reader_time (r, "updated_at", TRUE, &self->updated_at) ||
      !reader_time (r, "response_due_at", TRUE, &self->response_due_at) ||
      !reader_time (r, "resolved_at", FALSE, &self->resolved_at) ||
      !reader_time (r, "closed_at", FALSE, &self->closed_at) ||
      !reader_enum (r, "next_action_owner", FALSE, TRUE, ESC_TYPE_NEXT_ACTION_OWNER, &owner) ||
      !reader_time (r, "next_action_at", FALSE, &self->next_action_at) ||
      !reader_string (r, "notes", FALSE, TRUE, ESC_SUPPORT_REQUEST_TEXT_MAX, &notes) ||
      !reader_strings (r, "attachments", ESC_SUPPORT_REQUEST_ATTACHMENTS_MAX,
                       ESC_SUPPORT_REQUEST_ATTACHMENT_MAX, &attachments) ||
      !reader_member (r, "timeline", FALSE, TRUE, &timeline_node))
    return FALSE;

  if (self->filer_name == NULL)
    return esc_support_fail (r->out_field, r->error, ESC_CORE_ERROR_MISSING_FIELD, "/filed_by",
                 _("“%s” is required and cannot be null."), "filed_by");

  self->state = (EscSupportRequestState)state;
  self->next_action_owner = (EscNextActionOwner)owner;
  self->id = g_strdup (id);
  self->notes = g_strdup (notes);
  self->attachments = (attachments != NULL && attachments[0] != NULL) ? g_steal_pointer (&attachments) : NULL;

  if (timeline_node != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (timeline_node))
        return esc_support_fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, "/timeline",
                     _("“%s” must be a list."), "timeline");

      array = json_node_get_array (timeline_node);
      self->timeline = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_support_request_event_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *at = g_strdup_printf ("/timeline/%u", i);
          EscSupportRequestEvent *event;

          event = esc_support_request_event_new_from_json (json_array_get_element (array, i), at,
                                                           r->out_field, r->error);
          if (event == NULL)
            return FALSE;
          g_ptr_array_add (self->timeline, event);
        }
    }

  return TRUE;
}

/**
 * esc_support_request_new_from_json:
 * @node: a JSON object
 * @mode: which shape @node has
 * @out_field: (out) (optional) (transfer full): on error, the JSON pointer of
 *   the member at fault ("/contact/email"; "" for the whole)
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * Decodes strictly: types, enum values, lengths, timestamps and required
 * members are checked here; the filing rules are in
 * esc_support_request_validate().
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with @error set
 */
EscSupportRequest *
esc_support_request_new_from_json (JsonNode               *node,
                                   EscSupportRequestJson   mode,
                                   char                  **out_field,
                                   GError                **error)
{
  g_autoptr(EscSupportRequest) self = esc_support_request_new ();
  Reader r;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reader_init (&r, node, "", _("The support request"), out_field, error))
    return NULL;

  if (mode == ESC_SUPPORT_REQUEST_JSON_CREATE && !reader_only (&r, create_members))
    return NULL;

  if (!read_filer_fields (self, &r))
    return NULL;

  if (mode == ESC_SUPPORT_REQUEST_JSON_RESOURCE && !read_service_fields (self, &r))
    return NULL;

  return g_steal_pointer (&self);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *member,
                   const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *member,
          const char * const *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/**
 * esc_support_request_to_json:
 * @self: a #EscSupportRequest
 * @mode: %ESC_SUPPORT_REQUEST_JSON_CREATE for the body of a POST (the filer's
 *   fields, optional ones only when set); %ESC_SUPPORT_REQUEST_JSON_RESOURCE
 *   for the service's answer (every field; null for what is not set; the
 *   timeline when set)
 *
 * Returns: (transfer full): the JSON object
 */
JsonNode *
esc_support_request_to_json (EscSupportRequest     *self,
                             EscSupportRequestJson  mode)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean resource = mode == ESC_SUPPORT_REQUEST_JSON_RESOURCE;

  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  json_builder_begin_object (builder);

  if (resource)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, self->id);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, esc_support_request_state_to_string (self->state));
    }

  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, esc_support_request_kind_to_string (self->kind));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, esc_support_request_type_to_string (self->type));
  json_builder_set_member_name (builder, "severity");
  json_builder_add_string_value (builder, esc_support_severity_to_string (self->severity));
  if (resource)
    add_nullable_string (builder, "engagement", esc_support_engagement_to_string (self->engagement));
  else
    add_string_member (builder, "engagement", esc_support_engagement_to_string (self->engagement));
  add_nullable_string (builder, "category", self->category);
  add_nullable_string (builder, "subcategory", self->subcategory);
  add_nullable_string (builder, "title", self->title);
  add_nullable_string (builder, "description", self->description);
  json_builder_set_member_name (builder, "contact");
  if (self->contact != NULL)
    json_builder_add_value (builder, esc_support_contact_to_json (self->contact));
  else
    json_builder_add_null_value (builder);

  if (self->users_or_devices_impacted >= 0)
    {
      json_builder_set_member_name (builder, "users_or_devices_impacted");
      json_builder_add_int_value (builder, self->users_or_devices_impacted);
    }
  else if (resource)
    {
      json_builder_set_member_name (builder, "users_or_devices_impacted");
      json_builder_add_null_value (builder);
    }

  if (resource)
    {
      add_nullable_string (builder, "business_impact", self->business_impact);
      add_nullable_time (builder, "first_noticed_at", self->first_noticed_at);
    }
  else
    {
      g_autofree char *noticed = self->first_noticed_at ? esc_time_format (self->first_noticed_at) : NULL;

      add_string_member (builder, "business_impact", self->business_impact);
      add_string_member (builder, "first_noticed_at", noticed);
    }

  if (self->reproduced_on_unmanaged_device != ESC_TRISTATE_UNKNOWN)
    {
      json_builder_set_member_name (builder, "reproduced_on_unmanaged_device");
      json_builder_add_boolean_value (builder, self->reproduced_on_unmanaged_device == ESC_TRISTATE_YES);
    }
  else if (resource)
    {
      json_builder_set_member_name (builder, "reproduced_on_unmanaged_device");
      json_builder_add_null_value (builder);
    }

  if (self->end_user_support_engaged != ESC_TRISTATE_UNKNOWN)
    {
      json_builder_set_member_name (builder, "end_user_support_engaged");
      json_builder_add_boolean_value (builder, self->end_user_support_engaged == ESC_TRISTATE_YES);
    }
  else if (resource)
    {
      json_builder_set_member_name (builder, "end_user_support_engaged");
      json_builder_add_null_value (builder);
    }

  if (resource)
    {
      add_nullable_string (builder, "troubleshooting_steps", self->troubleshooting_steps);
      add_nullable_string (builder, "steps_to_reproduce", self->steps_to_reproduce);
      add_strv (builder, "devices", (const char * const *)self->devices);
      add_nullable_string (builder, "related_ticket", self->related_ticket);
    }
  else
    {
      add_string_member (builder, "troubleshooting_steps", self->troubleshooting_steps);
      add_string_member (builder, "steps_to_reproduce", self->steps_to_reproduce);
      if (self->devices != NULL)
        add_strv (builder, "devices", (const char * const *)self->devices);
      add_string_member (builder, "related_ticket", self->related_ticket);
    }

  if (resource)
    {
      add_person (builder, "filed_by", self->filer_id, self->filer_name);
      add_nullable_time (builder, "created_at", self->created_at);
      add_nullable_time (builder, "updated_at", self->updated_at);
      add_nullable_time (builder, "response_due_at", self->response_due_at);
      add_nullable_time (builder, "resolved_at", self->resolved_at);
      add_nullable_time (builder, "closed_at", self->closed_at);
      add_nullable_string (builder, "next_action_owner",
                           esc_next_action_owner_to_string (self->next_action_owner));
      add_nullable_time (builder, "next_action_at", self->next_action_at);
      add_nullable_string (builder, "notes", self->notes);
      add_strv (builder, "attachments", (const char * const *)self->attachments);

      if (self->timeline != NULL)
        {
          json_builder_set_member_name (builder, "timeline");
          json_builder_begin_array (builder);
          for (guint i = 0; i < self->timeline->len; i++)
            json_builder_add_value (builder, esc_support_request_event_to_json (g_ptr_array_index (self->timeline, i)));
          json_builder_end_array (builder);
        }
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
