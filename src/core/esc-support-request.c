/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "esc-core-error.h"
#include "esc-support-request.h"
#include "esc-time.h"

/* A support request to the service's operations team: the fields of
 * data/api/openapi.yaml's SupportRequest, what the service adds (id, state,
 * times, next action, timeline), the JSON codec of the v1 wire format, and
 * the filing rules (escalations and change requests are severity C only,
 * severity B needs an engagement). Shared by the app and escalade-service. */

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

static GEnumClass *
enum_class (GType type)
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
  GEnumValue *enum_value = g_enum_get_value (enum_class (type), value);

  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  GEnumValue *enum_value;

  if (nick == NULL)
    return FALSE;

  enum_value = g_enum_get_value_by_nick (enum_class (type), nick);
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
    if (!enum_from_nick (TYPE, str, &v))                                    \
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

  if (g_strcmp0 (str, "none") == 0 || !enum_from_nick (ESC_TYPE_SUPPORT_ENGAGEMENT, str, &v))
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

  if (g_strcmp0 (str, "none") == 0 || !enum_from_nick (ESC_TYPE_NEXT_ACTION_OWNER, str, &v))
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

/* Errors name the field by its JSON pointer ("/contact/email") in @out_field
 * and in the message as "contact.email". */

static char *
field_label (const char *field)
{
  char *label = g_strdup (field[0] == '/' ? field + 1 : field);

  return g_strdelimit (label, "/", '.');
}

G_GNUC_PRINTF (5, 6)
static gboolean
fail (char       **out_field,
      GError     **error,
      int          code,
      const char  *field,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (out_field != NULL)
    {
      g_free (*out_field);
      *out_field = g_strdup (field);
    }
  g_set_error_literal (error, ESC_CORE_ERROR, code, message);

  return FALSE;
}

static char *
join_field (const char *at,
            const char *member)
{
  return g_strconcat (at, "/", member, NULL);
}

/* The same in a caller's buffer: read on every member, so no allocation
 * (a pointer longer than the buffer is cut, which only shortens messages). */
#define FIELD_BUFFER 160

static void
join_field_buf (char       *buffer,
                const char *at,
                const char *member)
{
  g_snprintf (buffer, FIELD_BUFFER, "%s/%s", at, member);
}

static void
label_buf (char       *buffer,
           const char *field)
{
  g_strlcpy (buffer, field[0] == '/' ? field + 1 : field, FIELD_BUFFER);
  g_strdelimit (buffer, "/", '.');
}

/* Text checks */

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
        return TRUE;
      if ((guchar)*p == 0x7f)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_slug (const char *text)
{
  gboolean after_dash = TRUE;

  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_islower (*p) || g_ascii_isdigit (*p))
        after_dash = FALSE;
      else if (*p == '-' && !after_dash)
        after_dash = TRUE;
      else
        return FALSE;
    }

  return !after_dash;
}

/* A rough check, on purpose: one "@", something before it, a dotted domain
 * after it, no spaces. Whether the mailbox exists is not ours to say. */
static gboolean
is_email (const char *text)
{
  const char *at;
  const char *domain;

  if (text == NULL || strlen (text) < 3 || strlen (text) > 254)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>,;\"", *p) != NULL)
        return FALSE;
    }

  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;

  domain = at + 1;
  return domain[0] != '\0' && domain[0] != '.' && domain[0] != '-' &&
         !g_str_has_suffix (domain, ".") && strstr (domain, "..") == NULL &&
         strchr (domain, '.') != NULL;
}

/* BCP 47, shallowly: letters first, then letters, digits and hyphens. */
static gboolean
is_language_tag (const char *text)
{
  gsize len = text ? strlen (text) : 0;

  if (len < 2 || len > 35 || !g_ascii_isalpha (text[0]))
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-')
        return FALSE;
    }

  return text[len - 1] != '-';
}

static gboolean
has_digit (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        return TRUE;
    }

  return FALSE;
}

/* Checks a text value: not too long, no control characters, and, if
 * @required, not blank. */
static gboolean
check_text (const char  *text,
            const char  *field,
            gboolean     required,
            guint        max_chars,
            char       **out_field,
            GError     **error)
{
  char label[FIELD_BUFFER];
  glong n_chars;

  if (text == NULL || *text == '\0' || is_blank (text))
    {
      if (required)
        return label_buf (label, field), fail (out_field, error, ESC_CORE_ERROR_MISSING_FIELD, field,
                                               _("“%s” is required."), label);
      if (text == NULL)
        return TRUE;
    }

  if (!g_utf8_validate (text, -1, NULL))
    return label_buf (label, field), fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” is not valid text."), label);

  n_chars = g_utf8_strlen (text, -1);
  if (n_chars > (glong)max_chars)
    return label_buf (label, field), fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           /* Translators: "“title” is too long: 250 characters, at most 200." */
                                           ngettext ("“%s” is too long: %ld character, at most %u.",
                                                     "“%s” is too long: %ld characters, at most %u.",
                                                     (gulong)n_chars),
                                           label, n_chars, max_chars);

  if (has_control_characters (text))
    return label_buf (label, field), fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” contains a control character."), label);

  return TRUE;
}

static gboolean
check_list (const char * const  *items,
            const char          *field,
            guint                max_items,
            guint                max_chars,
            char               **out_field,
            GError             **error)
{
  g_autofree char *label = field_label (field);
  guint n = items != NULL ? g_strv_length ((char **)items) : 0;

  if (n > max_items)
    return fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, field,
                 _("“%s” has too many items: %u, at most %u."), label, n, max_items);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_field = g_strdup_printf ("%s/%u", field, i);

      if (!check_text (items[i], item_field, TRUE, max_chars, out_field, error))
        return FALSE;
    }

  return TRUE;
}

/* JSON reading: one object, its pointer, and what to do with unknown members */

typedef struct
{
  JsonObject  *object;
  const char  *at;
  char       **out_field;
  GError     **error;
} Reader;

/* Returns FALSE (with the error set) if the member is at fault; *out_node is
 * NULL if the member is absent or null. */
static gboolean
reader_member (Reader      *r,
               const char  *member,
               gboolean     required,
               gboolean     nullable,
               JsonNode   **out_node)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  JsonNode *node = json_object_get_member (r->object, member);

  *out_node = NULL;

  if (node == NULL)
    {
      if (required)
        return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_MISSING_FIELD, field,
                                               _("“%s” is required."), label);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_MISSING_FIELD, field,
                                               _("“%s” is required and cannot be null."), label);
      if (!nullable)
        return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                               _("“%s” cannot be null."), label);
      return TRUE;
    }

  *out_node = node;
  return TRUE;
}

static gboolean
reader_string (Reader      *r,
               const char  *member,
               gboolean     required,
               gboolean     nullable,
               guint        max_chars,
               const char **out)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  JsonNode *node;

  *out = NULL;

  if (!reader_member (r, member, required, nullable, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be a string."), label);

  if (!check_text (json_node_get_string (node), field, required, max_chars, r->out_field, r->error))
    return FALSE;

  *out = json_node_get_string (node);
  return TRUE;
}

/* An enum member, by its GType's nicks ("none" is never a wire value). */
static gboolean
reader_enum (Reader      *r,
             const char  *member,
             gboolean     required,
             gboolean     nullable,
             GType        type,
             int         *out)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  const char *str;

  if (!reader_string (r, member, required, nullable, 100, &str))
    return FALSE;
  if (str == NULL)
    return TRUE;

  if (strcmp (str, "none") == 0 || !enum_from_nick (type, str, out))
    {
      g_autoptr(GString) values = g_string_new (NULL);
      GEnumClass *klass = enum_class (type);

      for (guint i = 0; i < klass->n_values; i++)
        {
          if (strcmp (klass->values[i].value_nick, "none") == 0)
            continue;
          if (values->len > 0)
            g_string_append (values, ", ");
          g_string_append (values, klass->values[i].value_nick);
        }

      return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                             _("“%s” is not a valid value of “%s”; expected one of: %s."),
                                             str, label, values->str);
    }

  return TRUE;
}

static gboolean
reader_slug (Reader      *r,
             const char  *member,
             gboolean     required,
             const char **out)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);

  if (!reader_string (r, member, required, FALSE, ESC_SUPPORT_REQUEST_SLUG_MAX, out))
    return FALSE;

  if (*out != NULL && !is_slug (*out))
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”."),
                                           label);

  return TRUE;
}

static gboolean
reader_int (Reader     *r,
            const char *member,
            gboolean    required,
            gint64      min,
            gint64      max,
            gint64     *out,
            gboolean   *present)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  JsonNode *node;

  *present = FALSE;

  if (!reader_member (r, member, required, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be an integer."), label);

  if (json_node_get_int (node) < min || json_node_get_int (node) > max)
    {
      g_autofree char *min_text = g_strdup_printf ("%" G_GINT64_FORMAT, min);
      g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, max);

      label_buf (label, field);
      return fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                   /* Translators: the first %s is the field, the others the smallest and
                    * largest numbers allowed, e.g. "“users_or_devices_impacted” must be between 0
                    * and 1000000000." */
                   _("“%s” must be between %s and %s."), label, min_text, max_text);
    }

  *out = json_node_get_int (node);
  *present = TRUE;
  return TRUE;
}

static gboolean
reader_tristate (Reader      *r,
                 const char  *member,
                 EscTristate *out)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  JsonNode *node;

  *out = ESC_TRISTATE_UNKNOWN;

  if (!reader_member (r, member, FALSE, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be true or false."), label);

  *out = json_node_get_boolean (node) ? ESC_TRISTATE_YES : ESC_TRISTATE_NO;
  return TRUE;
}

static gboolean
reader_time (Reader      *r,
             const char  *member,
             gboolean     required,
             GDateTime  **out)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  const char *str;

  *out = NULL;

  if (!reader_string (r, member, required, !required, 40, &str))
    return FALSE;
  if (str == NULL)
    return TRUE;

  if (!(*out = esc_time_parse (str)))
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be an RFC 3339 time such as 2024-05-01T08:00:00Z."), label);

  return TRUE;
}

static gboolean
reader_strings (Reader      *r,
                const char  *member,
                guint        max_items,
                guint        max_chars,
                GStrv       *out)
{
  char field[FIELD_BUFFER];
  char label[FIELD_BUFFER] = "";

  join_field_buf (field, r->at, member);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *node;
  JsonArray *array;

  *out = NULL;

  if (!reader_member (r, member, FALSE, TRUE, &node))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” must be a list."), label);

  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_items)
    return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                                           _("“%s” has too many items: %u, at most %u."),
                                           label, json_array_get_length (array), max_items);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *item_field = g_strdup_printf ("%s/%u", field, i);
      g_autofree char *item_label = field_label (item_field);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return label_buf (label, field), fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, item_field,
                                               _("“%s” must be a string."), item_label);

      if (!check_text (json_node_get_string (element), item_field, TRUE, max_chars,
                       r->out_field, r->error))
        return FALSE;

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
reader_only (Reader             *r,
             const char * const *allowed)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, r->object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *field = join_field (r->at, name);
          g_autofree char *label = field_label (field);

          return fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, field,
                       _("“%s” is not a field of a support request."), label);
        }
    }

  return TRUE;
}

static gboolean
reader_init (Reader      *r,
             JsonNode    *node,
             const char  *at,
             const char  *what,
             char       **out_field,
             GError     **error)
{
  r->at = at;
  r->out_field = out_field;
  r->error = error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (out_field, error, ESC_CORE_ERROR_INVALID_JSON, at,
            _("%s is not a JSON object."), what);
      return FALSE;
    }

  r->object = json_node_get_object (node);
  return TRUE;
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

/* Validation: the first problem, or every one ------------------------------------- */

/* The checks below run in order. Looking for the first problem, the first
 * check that fails stops them, its field and error kept; collecting them
 * all (@all set), each failed check adds its problem, the first one for its
 * field only (“required” rather than “not an email address” as well), and
 * the checks go on. */
typedef struct
{
  GPtrArray *all;    /* (element-type EscFieldError) (nullable) */
  char      *field;
  GError    *error;
} Problems;

static gboolean
has_problem (GPtrArray  *all,
             const char *field)
{
  for (guint i = 0; i < all->len; i++)
    {
      EscFieldError *problem = g_ptr_array_index (all, i);

      if (g_strcmp0 (problem->field, field) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Whether to go on after a check that gave @ok */
static gboolean
problems_keep (Problems *p,
               gboolean  ok)
{
  if (ok)
    return TRUE;
  if (p->all == NULL)
    return FALSE;

  if (!has_problem (p->all, p->field))
    {
      EscFieldError *problem = g_new0 (EscFieldError, 1);

      problem->field = g_steal_pointer (&p->field);
      problem->error = g_steal_pointer (&p->error);
      g_ptr_array_add (p->all, problem);
    }
  g_clear_pointer (&p->field, g_free);
  g_clear_error (&p->error);

  return TRUE;
}

#define CHECK(p, ok) G_STMT_START { if (!problems_keep ((p), (ok))) return FALSE; } G_STMT_END

/* The first problem, to the caller */
static gboolean
problems_give (Problems   *p,
               gboolean    ok,
               char      **out_field,
               GError    **error)
{
  if (ok)
    return TRUE;

  if (out_field != NULL)
    {
      g_free (*out_field);
      *out_field = g_steal_pointer (&p->field);
    }
  g_propagate_error (error, g_steal_pointer (&p->error));
  g_clear_pointer (&p->field, g_free);

  return FALSE;
}

/**
 * esc_field_error_free:
 * @problem: (transfer full): a problem of esc_support_request_validate_all()
 */
void
esc_field_error_free (EscFieldError *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->field);
  g_clear_error (&problem->error);
  g_free (problem);
}

static gboolean
check_contact (const EscSupportContact *contact,
               const char              *at,
               Problems                *p)
{
  g_autofree char *email_field = join_field (at, "email");
  g_autofree char *phone_field = join_field (at, "phone");
  g_autofree char *language_field = join_field (at, "language");
  g_autofree char *given_field = join_field (at, "given_name");
  g_autofree char *surname_field = join_field (at, "surname");
  g_autofree char *method_field = join_field (at, "preferred_method");

  if (contact == NULL)
    {
      g_autofree char *label = field_label (at);

      CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_MISSING_FIELD, at,
                      _("“%s” is required."), label));
      return TRUE;
    }

  CHECK (p, check_text (contact->given_name, given_field, TRUE, ESC_SUPPORT_REQUEST_NAME_MAX,
                        &p->field, &p->error));
  CHECK (p, check_text (contact->surname, surname_field, TRUE, ESC_SUPPORT_REQUEST_NAME_MAX,
                        &p->field, &p->error));
  CHECK (p, check_text (contact->email, email_field, TRUE, 254, &p->field, &p->error));

  if (!is_email (contact->email))
    {
      g_autofree char *label = field_label (email_field);

      CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, email_field,
                      _("“%s” is not a valid email address."), label));
    }

  CHECK (p, check_text (contact->phone, phone_field, TRUE, 40, &p->field, &p->error));

  if (!has_digit (contact->phone))
    {
      g_autofree char *label = field_label (phone_field);

      CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, phone_field,
                      _("“%s” is not a phone number."), label));
    }

  if (contact->preferred_method != ESC_CONTACT_METHOD_EMAIL &&
      contact->preferred_method != ESC_CONTACT_METHOD_PHONE)
    {
      g_autofree char *label = field_label (method_field);

      CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, method_field,
                      _("“%s” must be email or phone."), label));
    }

  CHECK (p, check_text (contact->language, language_field, TRUE, 35, &p->field, &p->error));

  if (!is_language_tag (contact->language))
    {
      g_autofree char *label = field_label (language_field);

      CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, language_field,
                      _("“%s” is not a language tag such as “fr” or “en-GB”."), label));
    }

  return TRUE;
}

/**
 * esc_support_contact_validate:
 * @contact: (nullable): a contact
 * @at: its JSON pointer, e.g. "/contact"
 * @out_field: (out) (optional) (transfer full): the field at fault
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * Every member is required: names (100 characters), a plausible email
 * address, a phone number with digits (40), a BCP 47 language tag.
 *
 * Returns: %TRUE if valid
 */
gboolean
esc_support_contact_validate (const EscSupportContact  *contact,
                              const char               *at,
                              char                    **out_field,
                              GError                  **error)
{
  Problems p = { NULL, };

  return problems_give (&p, check_contact (contact, at, &p), out_field, error);
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
  g_autofree char *field = join_field (r->at, member);
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

/* The request */

struct _EscSupportRequest
{
  GObject                 parent_instance;

  /* the filer's */
  EscSupportRequestKind   kind;
  EscSupportRequestType   type;
  EscSupportSeverity      severity;
  EscSupportEngagement    engagement;
  char                   *category;
  char                   *subcategory;
  char                   *title;
  char                   *description;
  EscSupportContact      *contact;
  gint64                  users_or_devices_impacted;
  char                   *business_impact;
  GDateTime              *first_noticed_at;
  EscTristate             reproduced_on_unmanaged_device;
  EscTristate             end_user_support_engaged;
  char                   *troubleshooting_steps;
  char                   *steps_to_reproduce;
  GStrv                   devices;
  char                   *related_ticket;
  char                   *notes;
  GStrv                   attachments;

  /* the service's */
  char                   *id;
  EscSupportRequestState  state;
  gint64                  filer_id;
  char                   *filer_name;
  GDateTime              *created_at;
  GDateTime              *updated_at;
  GDateTime              *response_due_at;
  GDateTime              *resolved_at;
  GDateTime              *closed_at;
  EscNextActionOwner      next_action_owner;
  GDateTime              *next_action_at;
  GPtrArray              *timeline;
};

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

/* Validation */

static gboolean
check_request (EscSupportRequest *self,
               EscSupportFiler    filer,
               GDateTime         *now,
               Problems          *p)
{
  if (self->kind == ESC_SUPPORT_REQUEST_KIND_ADMIN && !(filer & ESC_SUPPORT_FILER_IT_ADMIN))
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/kind",
                    _("Only an IT administrator can file an admin support request.")));

  if (self->kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION && !(filer & ESC_SUPPORT_FILER_ESCALATION))
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/kind",
                    _("Filing an escalation needs a live escalation designation.")));

  if (self->kind == ESC_SUPPORT_REQUEST_KIND_ESCALATION && self->severity != ESC_SUPPORT_SEVERITY_C)
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/severity",
                    _("Escalations can only be severity C. An IT administrator must file other "
                      "severities as an admin support request.")));

  if (self->type == ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST && self->severity != ESC_SUPPORT_SEVERITY_C)
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/severity",
                    _("Change requests are always severity C.")));

  if (self->severity == ESC_SUPPORT_SEVERITY_B && self->engagement == ESC_SUPPORT_ENGAGEMENT_NONE)
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_MISSING_FIELD, "/engagement",
                    _("A severity B request needs an engagement: admin-hours, or 24x7 if the "
                      "filer can engage round the clock.")));

  if (self->severity != ESC_SUPPORT_SEVERITY_B && self->engagement != ESC_SUPPORT_ENGAGEMENT_NONE)
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/engagement",
                    _("Only severity B requests have an engagement.")));

  CHECK (p, check_text (self->title, "/title", TRUE, ESC_SUPPORT_REQUEST_TITLE_MAX, &p->field, &p->error));
  CHECK (p, check_text (self->description, "/description", TRUE, ESC_SUPPORT_REQUEST_TEXT_MAX,
                        &p->field, &p->error));
  CHECK (p, check_text (self->category, "/category", TRUE, ESC_SUPPORT_REQUEST_SLUG_MAX, &p->field, &p->error));
  CHECK (p, check_text (self->subcategory, "/subcategory", TRUE, ESC_SUPPORT_REQUEST_SLUG_MAX,
                        &p->field, &p->error));

  if (!is_slug (self->category))
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/category",
                    _("“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”."),
                    "category"));
  if (!is_slug (self->subcategory))
    CHECK (p, fail (&p->field, &p->error, ESC_CORE_ERROR_INVALID_VALUE, "/subcategory",
                    _("“%s” must be lower-case words joined by hyphens, e.g. “configuration-policy”."),
                    "subcategory"));

  if (!check_contact (self->contact, "/contact", p))
    return FALSE;

  CHECK (p, check_text (self->business_impact, "/business_impact", FALSE, ESC_SUPPORT_REQUEST_IMPACT_MAX,
                        &p->field, &p->error));
  if (now != NULL)
    CHECK (p, esc_support_request_check_times (self, now, &p->field, &p->error));
  CHECK (p, check_text (self->troubleshooting_steps, "/troubleshooting_steps", FALSE,
                        ESC_SUPPORT_REQUEST_TEXT_MAX, &p->field, &p->error));
  CHECK (p, check_text (self->steps_to_reproduce, "/steps_to_reproduce", FALSE, ESC_SUPPORT_REQUEST_TEXT_MAX,
                        &p->field, &p->error));
  CHECK (p, check_text (self->related_ticket, "/related_ticket", FALSE, 100, &p->field, &p->error));
  CHECK (p, check_text (self->notes, "/notes", FALSE, ESC_SUPPORT_REQUEST_TEXT_MAX, &p->field, &p->error));
  CHECK (p, check_list ((const char * const *)self->devices, "/devices",
                        ESC_SUPPORT_REQUEST_DEVICES_MAX, 100, &p->field, &p->error));
  CHECK (p, check_list ((const char * const *)self->attachments, "/attachments",
                        ESC_SUPPORT_REQUEST_ATTACHMENTS_MAX, ESC_SUPPORT_REQUEST_ATTACHMENT_MAX,
                        &p->field, &p->error));

  return TRUE;
}

/**
 * esc_support_request_validate:
 * @self: a #EscSupportRequest
 * @filer: what the filer may do; %ESC_SUPPORT_FILER_ANY to leave it out
 * @out_field: (out) (optional) (transfer full): the JSON pointer of the field
 *   at fault, e.g. "/severity"
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * The filing rules: an admin request is filed by an IT administrator, an
 * escalation by someone with a live escalation designation; escalations
 * and change requests are severity C only; severity B, and only B, has an
 * engagement; the required fields are there, and nothing is too long.
 * The rules that need the time are in esc_support_request_check_times().
 *
 * Returns: %TRUE if @self may be filed
 */
gboolean
esc_support_request_validate (EscSupportRequest  *self,
                              EscSupportFiler     filer,
                              char              **out_field,
                              GError            **error)
{
  Problems p = { NULL, };

  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return problems_give (&p, check_request (self, filer, NULL, &p), out_field, error);
}

/**
 * esc_support_request_check_times:
 * @self: a #EscSupportRequest
 * @now: the time now, by the clock of whoever checks
 * @out_field: (out) (optional) (transfer full): the JSON pointer of the field at fault
 * @error: return location for a #GError in the %ESC_CORE_ERROR domain
 *
 * The rules that need the time: the problem was not first noticed in the
 * future. The app's and the service's clocks may differ by up to
 * %ESC_SUPPORT_REQUEST_CLOCK_SKEW, so a time that close to @now passes
 * (a request queued with “now” is not refused by a service whose clock is
 * a little behind).
 *
 * Returns: %TRUE if the times are plausible
 */
gboolean
esc_support_request_check_times (EscSupportRequest  *self,
                                 GDateTime          *now,
                                 char              **out_field,
                                 GError            **error)
{
  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  if (self->first_noticed_at != NULL &&
      g_date_time_difference (self->first_noticed_at, now) > ESC_SUPPORT_REQUEST_CLOCK_SKEW)
    return fail (out_field, error, ESC_CORE_ERROR_INVALID_VALUE, "/first_noticed_at",
                 _("“%s” cannot be in the future."), "first_noticed_at");

  return TRUE;
}

/**
 * esc_support_request_validate_all:
 * @self: a #EscSupportRequest
 * @filer: what the filer may do; %ESC_SUPPORT_FILER_ANY to leave it out
 * @now: (nullable): the time now, for esc_support_request_check_times(); %NULL to leave those out
 *
 * The same rules as esc_support_request_validate() (and
 * esc_support_request_check_times() with @now), every problem at once: what
 * a form shows before filing. One problem per field, in the order of the
 * wire format.
 *
 * Returns: (transfer full) (element-type EscFieldError): the problems, none if @self may be filed
 */
GPtrArray *
esc_support_request_validate_all (EscSupportRequest *self,
                                  EscSupportFiler    filer,
                                  GDateTime         *now)
{
  Problems p = { NULL, };

  g_return_val_if_fail (ESC_IS_SUPPORT_REQUEST (self), NULL);

  p.all = g_ptr_array_new_with_free_func ((GDestroyNotify)esc_field_error_free);
  check_request (self, filer, now, &p);

  return g_steal_pointer (&p.all);
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
    return fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, "/id",
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
    return fail (r->out_field, r->error, ESC_CORE_ERROR_MISSING_FIELD, "/filed_by",
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
        return fail (r->out_field, r->error, ESC_CORE_ERROR_INVALID_VALUE, "/timeline",
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
