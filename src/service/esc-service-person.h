/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A person known to the service, as GET /v1/me shows them. */
typedef struct
{
  gint64  id;
  char   *name;
  char   *email;
  GStrv   roles;         /* sorted, e.g. "it-admin" */
  GStrv   designations;  /* live capabilities only, sorted: "elevation", "escalation" */
} EscServicePerson;

void                esc_service_person_free          (EscServicePerson *person);
EscServicePerson   *esc_service_person_copy          (const EscServicePerson *person);
JsonNode           *esc_service_person_to_json       (EscServicePerson *person);

const char * const *esc_service_roles                (void);
gboolean            esc_service_role_is_valid        (const char       *role);
gboolean            esc_service_capability_is_valid  (const char       *capability);
gboolean            esc_service_email_is_valid       (const char       *email);
gboolean            esc_service_name_is_valid        (const char       *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServicePerson, esc_service_person_free)

G_END_DECLS
