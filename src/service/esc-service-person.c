/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-service"

#include "config.h"

#include <string.h>

#include "esc-identity.h"
#include "esc-service-person.h"

/* The wire names of the roles (data/api/openapi.yaml); the
 * database's CHECK constraint lists the same ones. */
static const char * const roles[] = {
  "it-admin",
  "partner-manager",
  "support-staff",
  "operator",
  NULL
};

static const char * const capabilities[] = {
  "elevation",
  "escalation",
  NULL
};

void
esc_service_person_free (EscServicePerson *person)
{
  if (person == NULL)
    return;

  g_free (person->name);
  g_free (person->email);
  g_strfreev (person->roles);
  g_strfreev (person->designations);
  g_free (person);
}

/**
 * esc_service_person_copy:
 * @person: a #EscServicePerson
 *
 * Returns: (transfer full): a copy of @person
 */
EscServicePerson *
esc_service_person_copy (const EscServicePerson *person)
{
  EscServicePerson *copy = g_new0 (EscServicePerson, 1);

  copy->id = person->id;
  copy->name = g_strdup (person->name);
  copy->email = g_strdup (person->email);
  copy->roles = g_strdupv (person->roles);
  copy->designations = g_strdupv (person->designations);

  return copy;
}

/**
 * esc_service_person_to_json:
 * @person: a #EscServicePerson
 *
 * Returns: (transfer full): the body of GET /v1/me:
 *   `{"id", "name", "email", "roles", "designations"}`
 */
JsonNode *
esc_service_person_to_json (EscServicePerson *person)
{
  g_autoptr(EscIdentity) identity = NULL;

  g_return_val_if_fail (person != NULL, NULL);

  identity = esc_identity_new (person->id, person->name, person->email,
                               (const char * const *)person->roles,
                               (const char * const *)person->designations);

  return esc_identity_to_json (identity);
}

const char * const *
esc_service_roles (void)
{
  return roles;
}

gboolean
esc_service_role_is_valid (const char *role)
{
  return role != NULL && g_strv_contains (roles, role);
}

gboolean
esc_service_capability_is_valid (const char *capability)
{
  return capability != NULL && g_strv_contains (capabilities, capability);
}

/**
 * esc_service_email_is_valid:
 * @email: (nullable): an address
 *
 * A rough check, on purpose: one "@", something before it, a dotted domain
 * after it, no spaces or control characters. Whether the mailbox exists is
 * not the service's business.
 */
gboolean
esc_service_email_is_valid (const char *email)
{
  const char *at;
  const char *domain;
  gsize len;

  if (email == NULL)
    return FALSE;

  len = strlen (email);
  if (len < 3 || len > 254 || !g_utf8_validate (email, -1, NULL))
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>' ||
          *p == ',' || *p == ';' || *p == '"')
        return FALSE;
    }

  at = strchr (email, '@');
  if (at == NULL || at == email || strchr (at + 1, '@') != NULL)
    return FALSE;

  domain = at + 1;
  if (domain[0] == '\0' || domain[0] == '.' || domain[0] == '-' ||
      g_str_has_suffix (domain, ".") || strstr (domain, "..") != NULL ||
      strchr (domain, '.') == NULL)
    return FALSE;

  return TRUE;
}

/**
 * esc_service_name_is_valid:
 * @name: (nullable): a user name
 *
 * Names identify people on the command line and in the audit log: valid
 * UTF-8, 1 to 200 characters, no control characters, not only spaces.
 */
gboolean
esc_service_name_is_valid (const char *name)
{
  gboolean has_visible = FALSE;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  if (g_utf8_strlen (name, -1) > 200)
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return FALSE;
      if (!g_unichar_isspace (c))
        has_visible = TRUE;
    }

  return has_visible;
}
