/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-support-request-private.h"
#include "esc-time.h"

/* A support request to the service's operations team: the fields of
 * data/api/openapi.yaml's SupportRequest, what the service adds (id, state,
 * times, next action, timeline). Its JSON codec of the v1 wire format is in
 * esc-support-request-json.c, the filing rules (escalations and change
 * requests are severity C only, severity B needs an engagement) in
 * esc-support-request-validate.c. Shared by the app and escalade-service. */

/* Enums */

G_DEFINE_ENUM_TYPE (EscSupportRequestKind, esc_support_request_kind,
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_KIND_ADMIN, "admin"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_KIND_ESCALATION, "escalation"))

G_DEFINE_ENUM_TYPE (EscSupportRequestType, esc_support_request_type,
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_TYPE_INCIDENT, "incident"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_TYPE_REQUEST_FOR_INFORMATION, "request-for-information"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST, "change-request"))

G_DEFINE_ENUM_TYPE (EscSupportSeverity, esc_support_severity,
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_SEVERITY_A, "A"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_SEVERITY_B, "B"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_SEVERITY_C, "C"))

G_DEFINE_ENUM_TYPE (EscSupportEngagement, esc_support_engagement,
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_ENGAGEMENT_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_ENGAGEMENT_ADMIN_HOURS, "admin-hours"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_ENGAGEMENT_24X7, "24x7"))

G_DEFINE_ENUM_TYPE (EscSupportRequestState, esc_support_request_state,
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_STATE_NEW, "new"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS, "in-progress"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER, "waiting-on-customer"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_STATE_MITIGATED, "mitigated"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_STATE_RESOLVED, "resolved"),
  G_DEFINE_ENUM_VALUE (ESC_SUPPORT_REQUEST_STATE_CLOSED, "closed"))

G_DEFINE_ENUM_TYPE (EscContactMethod, esc_contact_method,
  G_DEFINE_ENUM_VALUE (ESC_CONTACT_METHOD_EMAIL, "email"),
  G_DEFINE_ENUM_VALUE (ESC_CONTACT_METHOD_PHONE, "phone"))

G_DEFINE_ENUM_TYPE (EscNextActionOwner, esc_next_action_owner,
  G_DEFINE_ENUM_VALUE (ESC_NEXT_ACTION_OWNER_NONE, "none"),
  G_DEFINE_ENUM_VALUE (ESC_NEXT_ACTION_OWNER_CUSTOMER, "customer"),
  G_DEFINE_ENUM_VALUE (ESC_NEXT_ACTION_OWNER_OPERATIONS, "operations"))

GEnumClass *
esc_support_enum_class (GType type)
{
  GEnumClass *klass = g_type_class_peek (type);

  /* The first reference is kept for the life of the process. */
  if (klass == NULL)
    klass = g_type_class_ref (type);

  return klass;
}

static const char *
enum_to_nick (GType type,
              int   value)
{
  GEnumValue *enum_value = g_enum_get_value (esc_support_enum_class (type), value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

gboolean
esc_support_enum_from_nick (GType       type,
                            const char *nick,
                            int        *value)
{
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  enum_value = g_enum_get_value_by_nick (esc_support_enum_class (type), nick);
  if (enum_value == NULL)
    return FALSE;

  *value = enum_value->value;
  return TRUE;
}

#define DEFINE_ENUM_STRINGS(Type, prefix, TYPE)                              \
  const char *                                                              \
  prefix##_to_string (Type value)                                           \
  {                                                                         \
    return enum_to_nick (TYPE, value);                                      \
  }                                                                         \
                                                                            \
  gboolean                                                                  \
  prefix##_from_string (const char *str,                                    \
                        Type       *value)                                  \
  {                                                                         \
    int v;                                                                  \
                                                                            \
    if (!esc_support_enum_from_nick (TYPE, str, &v))                                    \
      return FALSE;                                                         \
    *value = (Type)v;                                                       \
    return TRUE;                                                            \
  }

DEFINE_ENUM_STRINGS (EscSupportRequestKind, esc_support_request_kind, ESC_TYPE_SUPPORT_REQUEST_KIND)
DEFINE_ENUM_STRINGS (EscSupportRequestType, esc_support_request_type, ESC_TYPE_SUPPORT_REQUEST_TYPE)
DEFINE_ENUM_STRINGS (EscSupportSeverity, esc_support_severity, ESC_TYPE_SUPPORT_SEVERITY)
DEFINE_ENUM_STRINGS (EscSupportRequestState, esc_support_request_state, ESC_TYPE_SUPPORT_REQUEST_STATE)
DEFINE_ENUM_STRINGS (EscContactMethod, esc_contact_method, ESC_TYPE_CONTACT_METHOD)

const char *
esc_support_engagement_to_string (EscSupportEngagement engagement)
{
  if (engagement == ESC_SUPPORT_ENGAGEMENT_NONE)
    return NULL;

  return enum_to_nick (ESC_TYPE_SUPPORT_ENGAGEMENT, engagement);
}

gboolean
esc_support_engagement_from_string (const char           *str,
                                    EscSupportEngagement *engagement)
{
  int v;

  if (g_strcmp0 (str, "none") == 0 || !esc_support_enum_from_nick (ESC_TYPE_SUPPORT_ENGAGEMENT, str, &v))
    return FALSE;

  *engagement = (EscSupportEngagement)v;
  return TRUE;
}

const char *
esc_next_action_owner_to_string (EscNextActionOwner owner)
{
  if (owner == ESC_NEXT_ACTION_OWNER_NONE)
    return NULL;

  return enum_to_nick (ESC_TYPE_NEXT_ACTION_OWNER, owner);
}

gboolean
esc_next_action_owner_from_string (const char         *str,
                                   EscNextActionOwner *owner)
{
  int v;

  if (g_strcmp0 (str, "none") == 0 || !esc_support_enum_from_nick (ESC_TYPE_NEXT_ACTION_OWNER, str, &v))
    return FALSE;

  *owner = (EscNextActionOwner)v;
  return TRUE;
}

gboolean
esc_support_request_state_is_open (EscSupportRequestState state)
{
  return state != ESC_SUPPORT_REQUEST_STATE_RESOLVED &&
         state != ESC_SUPPORT_REQUEST_STATE_CLOSED;
}

/* Contact */

G_DEFINE_BOXED_TYPE (EscSupportContact, esc_support_contact,
                     esc_support_contact_copy, esc_support_contact_free)

EscSupportContact *
esc_support_contact_new (const char       *given_name,
                         const char       *surname,
                         const char       *email,
                         const char       *phone,
                         EscContactMethod  preferred_method,
                         const char       *language)
{
  EscSupportContact *contact = g_new0 (EscSupportContact, 1);

  contact->given_name = g_strdup (given_name);
  contact->surname = g_strdup (surname);
  contact->email = g_strdup (email);
  contact->phone = g_strdup (phone);
  contact->preferred_method = preferred_method;
  contact->language = g_strdup (language);

  return contact;
}

EscSupportContact *
esc_support_contact_copy (const EscSupportContact *contact)
{
  g_return_val_if_fail (contact != NULL, NULL);

  return esc_support_contact_new (contact->given_name, contact->surname, contact->email,
                                  contact->phone, contact->preferred_method, contact->language);
}

void
esc_support_contact_free (EscSupportContact *contact)
{
  if (contact == NULL)
    return;

  g_free (contact->given_name);
  g_free (contact->surname);
  g_free (contact->email);
  g_free (contact->phone);
  g_free (contact->language);
  g_free (contact);
}

gboolean
esc_support_contact_equal (const EscSupportContact *a,
                           const EscSupportContact *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return g_strcmp0 (a->given_name, b->given_name) == 0 &&
         g_strcmp0 (a->surname, b->surname) == 0 &&
         g_strcmp0 (a->email, b->email) == 0 &&
         g_strcmp0 (a->phone, b->phone) == 0 &&
         a->preferred_method == b->preferred_method &&
         g_strcmp0 (a->language, b->language) == 0;
}

/* Timeline events */

G_DEFINE_BOXED_TYPE (EscSupportRequestEvent, esc_support_request_event,
                     esc_support_request_event_copy, esc_support_request_event_free)

EscSupportRequestEvent *
esc_support_request_event_new (void)
{
  return g_new0 (EscSupportRequestEvent, 1);
}

EscSupportRequestEvent *
esc_support_request_event_copy (const EscSupportRequestEvent *event)
{
  EscSupportRequestEvent *copy = esc_support_request_event_new ();

  copy->id = event->id;
  copy->at = event->at ? g_date_time_ref (event->at) : NULL;
  copy->kind = g_strdup (event->kind);
  copy->actor_id = event->actor_id;
  copy->actor_name = g_strdup (event->actor_name);
  copy->text = g_strdup (event->text);
  copy->from_state = g_strdup (event->from_state);
  copy->to_state = g_strdup (event->to_state);
  copy->from_severity = g_strdup (event->from_severity);
  copy->to_severity = g_strdup (event->to_severity);

  return copy;
}

void
esc_support_request_event_free (EscSupportRequestEvent *event)
{
  if (event == NULL)
    return;

  g_clear_pointer (&event->at, g_date_time_unref);
  g_free (event->kind);
  g_free (event->actor_name);
  g_free (event->text);
  g_free (event->from_state);
  g_free (event->to_state);
  g_free (event->from_severity);
  g_free (event->to_severity);
  g_free (event);
}

/* The request */

G_DEFINE_FINAL_TYPE (EscSupportRequest, esc_support_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_REQUEST_TYPE,
  PROP_SEVERITY,
  PROP_STATE,
  PROP_TITLE,
  PROP_CATEGORY,
  PROP_SUBCATEGORY,
  PROP_FILER_NAME,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_RESPONSE_DUE_AT,
  PROP_NEXT_ACTION_OWNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_support_request_finalize (GObject *object)
{
  EscSupportRequest *self = (EscSupportRequest *)object;

  g_clear_pointer (&self->category, g_free);
  g_clear_pointer (&self->subcategory, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->contact, esc_support_contact_free);
  g_clear_pointer (&self->business_impact, g_free);
  g_clear_pointer (&self->first_noticed_at, g_date_time_unref);
  g_clear_pointer (&self->troubleshooting_steps, g_free);
  g_clear_pointer (&self->steps_to_reproduce, g_free);
  g_clear_pointer (&self->devices, g_strfreev);
  g_clear_pointer (&self->related_ticket, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->attachments, g_strfreev);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->filer_name, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->response_due_at, g_date_time_unref);
  g_clear_pointer (&self->resolved_at, g_date_time_unref);
  g_clear_pointer (&self->closed_at, g_date_time_unref);
  g_clear_pointer (&self->next_action_at, g_date_time_unref);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);

  G_OBJECT_CLASS (esc_support_request_parent_class)->finalize (object);
}

static void
esc_support_request_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  EscSupportRequest *self = ESC_SUPPORT_REQUEST (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_REQUEST_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_SEVERITY:
      g_value_set_enum (value, self->severity);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case PROP_SUBCATEGORY:
      g_value_set_string (value, self->subcategory);
      break;
    case PROP_FILER_NAME:
      g_value_set_string (value, self->filer_name);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_RESPONSE_DUE_AT:
      g_value_set_boxed (value, self->response_due_at);
      break;
    case PROP_NEXT_ACTION_OWNER:
      g_value_set_enum (value, self->next_action_owner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_support_request_class_init (EscSupportRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_support_request_finalize;
  object_class->get_property = esc_support_request_get_property;

  /* Read-only properties for list rows to bind; change them with the setters. */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, ESC_TYPE_SUPPORT_REQUEST_KIND,
                       ESC_SUPPORT_REQUEST_KIND_ADMIN, flags);
  properties[PROP_REQUEST_TYPE] =
    g_param_spec_enum ("request-type", NULL, NULL, ESC_TYPE_SUPPORT_REQUEST_TYPE,
                       ESC_SUPPORT_REQUEST_TYPE_INCIDENT, flags);
  properties[PROP_SEVERITY] =
    g_param_spec_enum ("severity", NULL, NULL, ESC_TYPE_SUPPORT_SEVERITY,
                       ESC_SUPPORT_SEVERITY_C, flags);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ESC_TYPE_SUPPORT_REQUEST_STATE,
                       ESC_SUPPORT_REQUEST_STATE_NEW, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_CATEGORY] = g_param_spec_string ("category", NULL, NULL, NULL, flags);
  properties[PROP_SUBCATEGORY] = g_param_spec_string ("subcategory", NULL, NULL, NULL, flags);
  properties[PROP_FILER_NAME] = g_param_spec_string ("filer-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_RESPONSE_DUE_AT] =
    g_param_spec_boxed ("response-due-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_NEXT_ACTION_OWNER] =
    g_param_spec_enum ("next-action-owner", NULL, NULL, ESC_TYPE_NEXT_ACTION_OWNER,
                       ESC_NEXT_ACTION_OWNER_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_support_request_init (EscSupportRequest *self)
{
  self->kind = ESC_SUPPORT_REQUEST_KIND_ADMIN;
  self->type = ESC_SUPPORT_REQUEST_TYPE_INCIDENT;
  self->severity = ESC_SUPPORT_SEVERITY_C;
  self->engagement = ESC_SUPPORT_ENGAGEMENT_NONE;
  self->users_or_devices_impacted = -1;
  self->reproduced_on_unmanaged_device = ESC_TRISTATE_UNKNOWN;
  self->end_user_support_engaged = ESC_TRISTATE_UNKNOWN;
  self->state = ESC_SUPPORT_REQUEST_STATE_NEW;
  self->next_action_owner = ESC_NEXT_ACTION_OWNER_NONE;
}

/**
 * esc_support_request_new:
 *
 * A blank request (kind admin, incident, severity C, state new) to fill in
 * with the setters, e.g. from a form, then check with
 * esc_support_request_validate().
 *
 * Returns: (transfer full): a new #EscSupportRequest
 */
EscSupportRequest *
esc_support_request_new (void)
{
  return g_object_new (ESC_TYPE_SUPPORT_REQUEST, NULL);
}

/* Setters */

static void
set_string (EscSupportRequest  *self,
            char              **field,
            const char         *value,
            int                 prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_time (EscSupportRequest  *self,
          GDateTime         **field,
          GDateTime          *value,
          int                 prop)
{
  if (*field == value || (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_to_utc (value);
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_strv (GStrv              *field,
          const char * const *value)
{
  g_strfreev (*field);
  *field = (value != NULL && value[0] != NULL) ? g_strdupv ((char **)value) : NULL;
}

#define DEFINE_ENUM_ACCESSORS(Type, name, field, PROP)                       \
  Type                                                                      \
  esc_support_request_get_##name (EscSupportRequest *self)                  \
  {                                                                         \
    g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), 0);                \
    return self->field;                                                     \
  }                                                                         \
                                                                            \
  void                                                                      \
  esc_support_request_set_##name (EscSupportRequest *self,                  \
                                  Type               value)                 \
  {                                                                         \
    g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));                       \
    if (self->field == value)                                               \
      return;                                                               \
    self->field = value;                                                    \
    if (PROP != PROP_0)                                                     \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);         \
  }

#define DEFINE_STRING_ACCESSORS(name, PROP)                                  \
  const char *                                                              \
  esc_support_request_get_##name (EscSupportRequest *self)                  \
  {                                                                         \
    g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);             \
    return self->name;                                                      \
  }                                                                         \
                                                                            \
  void                                                                      \
  esc_support_request_set_##name (EscSupportRequest *self,                  \
                                  const char        *value)                 \
  {                                                                         \
    g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));                       \
    set_string (self, &self->name, value, PROP);                            \
  }

#define DEFINE_TIME_ACCESSORS(name, PROP)                                    \
  GDateTime *                                                               \
  esc_support_request_get_##name (EscSupportRequest *self)                  \
  {                                                                         \
    g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);             \
    return self->name;                                                      \
  }                                                                         \
                                                                            \
  void                                                                      \
  esc_support_request_set_##name (EscSupportRequest *self,                  \
                                  GDateTime         *value)                 \
  {                                                                         \
    g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));                       \
    set_time (self, &self->name, value, PROP);                              \
  }

DEFINE_ENUM_ACCESSORS (EscSupportRequestKind, kind, kind, PROP_KIND)
DEFINE_ENUM_ACCESSORS (EscSupportRequestType, request_type, type, PROP_REQUEST_TYPE)
DEFINE_ENUM_ACCESSORS (EscSupportSeverity, severity, severity, PROP_SEVERITY)
DEFINE_ENUM_ACCESSORS (EscSupportEngagement, engagement, engagement, PROP_0)
DEFINE_ENUM_ACCESSORS (EscSupportRequestState, state, state, PROP_STATE)
DEFINE_ENUM_ACCESSORS (EscNextActionOwner, next_action_owner, next_action_owner, PROP_NEXT_ACTION_OWNER)
DEFINE_ENUM_ACCESSORS (EscTristate, reproduced_on_unmanaged_device, reproduced_on_unmanaged_device, PROP_0)
DEFINE_ENUM_ACCESSORS (EscTristate, end_user_support_engaged, end_user_support_engaged, PROP_0)

DEFINE_STRING_ACCESSORS (id, PROP_ID)
DEFINE_STRING_ACCESSORS (category, PROP_CATEGORY)
DEFINE_STRING_ACCESSORS (subcategory, PROP_SUBCATEGORY)
DEFINE_STRING_ACCESSORS (title, PROP_TITLE)
DEFINE_STRING_ACCESSORS (description, PROP_0)
DEFINE_STRING_ACCESSORS (business_impact, PROP_0)
DEFINE_STRING_ACCESSORS (troubleshooting_steps, PROP_0)
DEFINE_STRING_ACCESSORS (steps_to_reproduce, PROP_0)
DEFINE_STRING_ACCESSORS (related_ticket, PROP_0)
DEFINE_STRING_ACCESSORS (notes, PROP_0)

DEFINE_TIME_ACCESSORS (first_noticed_at, PROP_0)
DEFINE_TIME_ACCESSORS (created_at, PROP_CREATED_AT)
DEFINE_TIME_ACCESSORS (updated_at, PROP_UPDATED_AT)
DEFINE_TIME_ACCESSORS (response_due_at, PROP_RESPONSE_DUE_AT)
DEFINE_TIME_ACCESSORS (resolved_at, PROP_0)
DEFINE_TIME_ACCESSORS (closed_at, PROP_0)
DEFINE_TIME_ACCESSORS (next_action_at, PROP_0)

const EscSupportContact *
esc_support_request_get_contact (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  return self->contact;
}

void
esc_support_request_set_contact (EscSupportRequest       *self,
                                 const EscSupportContact *contact)
{
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));

  g_clear_pointer (&self->contact, esc_support_contact_free);
  if (contact != NULL)
    self->contact = esc_support_contact_copy (contact);
}

gint64
esc_support_request_get_users_or_devices_impacted (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), -1);

  return self->users_or_devices_impacted;
}

void
esc_support_request_set_users_or_devices_impacted (EscSupportRequest *self,
                                                   gint64             count)
{
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));

  self->users_or_devices_impacted = MAX (count, -1);
}

/**
 * esc_support_request_get_devices:
 * @self: a #EscSupportRequest
 *
 * Returns: (transfer none) (array zero-terminated=1) (nullable): the names of
 *   the affected devices, or %NULL for none
 */
const char * const *
esc_support_request_get_devices (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  return (const char * const *)self->devices;
}

void
esc_support_request_set_devices (EscSupportRequest  *self,
                                 const char * const *devices)
{
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));

  set_strv (&self->devices, devices);
}

const char * const *
esc_support_request_get_attachments (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  return (const char * const *)self->attachments;
}

void
esc_support_request_set_attachments (EscSupportRequest  *self,
                                     const char * const *attachments)
{
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));

  set_strv (&self->attachments, attachments);
}

gint64
esc_support_request_get_filer_id (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), 0);

  return self->filer_id;
}

const char *
esc_support_request_get_filer_name (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  return self->filer_name;
}

void
esc_support_request_set_filer (EscSupportRequest *self,
                               gint64             id,
                               const char        *name)
{
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));

  self->filer_id = id;
  set_string (self, &self->filer_name, name, PROP_FILER_NAME);
}

GPtrArray *
esc_support_request_get_timeline (EscSupportRequest *self)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  return self->timeline;
}

/**
 * esc_support_request_set_timeline:
 * @self: a #EscSupportRequest
 * @timeline: (nullable) (element-type EscSupportRequestEvent) (transfer none):
 *   the events, oldest first; %NULL when not known
 */
void
esc_support_request_set_timeline (EscSupportRequest *self,
                                  GPtrArray         *timeline)
{
  g_return_if_fail (ESC_IS_SUPPORT_REQUEST (self));

  if (timeline != NULL)
    g_ptr_array_ref (timeline);
  g_clear_pointer (&self->timeline, g_ptr_array_unref);
  self->timeline = timeline;
}

