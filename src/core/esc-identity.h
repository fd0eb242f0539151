/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ESC_TYPE_IDENTITY (esc_identity_get_type ())

G_DECLARE_FINAL_TYPE (EscIdentity, esc_identity, ESC, IDENTITY, GObject)

/* The caller as the service sees it: the answer of GET /v1/me. */
EscIdentity        *esc_identity_new_from_json     (JsonNode     *node,
                                                    GError      **error);
/* What the service answers (GET /v1/me) */
EscIdentity        *esc_identity_new               (gint64              id,
                                                    const char         *name,
                                                    const char         *email,
                                                    const char * const *roles,
                                                    const char * const *designations);
/* (transfer full): {id, name, email, roles, designations} */
JsonNode           *esc_identity_to_json           (EscIdentity  *self);
/* 0 if the service did not say */
gint64              esc_identity_get_id            (EscIdentity  *self);
const char         *esc_identity_get_name          (EscIdentity  *self);
const char         *esc_identity_get_email         (EscIdentity  *self);
const char * const *esc_identity_get_roles         (EscIdentity  *self);
const char * const *esc_identity_get_designations  (EscIdentity  *self);
gboolean            esc_identity_has_role          (EscIdentity  *self,
                                                    const char   *role);
/* "Camille Martin (IT administrator, support staff)", translated */
char               *esc_identity_dup_description   (EscIdentity  *self);

G_END_DECLS
