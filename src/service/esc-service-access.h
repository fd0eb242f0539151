/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "esc-service-private.h"

G_BEGIN_DECLS

/* People and their access (issue 10): adding people one by one or from a
 * CSV file, removing a person's access at once, tokens by person, roles.
 * Shared by the command line and the endpoints. Each function audits its
 * change as done by @actor (its actor_* and remote_address fields; the rest
 * is filled in here). */

typedef struct
{
  guint tokens_revoked;
  guint designations_withdrawn;
  guint elevations_closed;
  guint devices_rotated;
} EscServiceAccessRemoval;

/* One token, as `token list` shows it: never the secret. */
typedef struct
{
  char *id;            /* the first 12 hex digits of its SHA-256 */
  char *person;
  char *created_at;
  char *expires_at;    /* nullable */
  char *last_used_at;  /* nullable */
  char *revoked_at;    /* nullable */
} EscServiceTokenInfo;

void      esc_service_token_info_free         (EscServiceTokenInfo       *info);

/* The person named @name, or 0 with ESC_SERVICE_ERROR_NOT_FOUND */
gint64    esc_service_access_find_person      (EscServiceDb              *db,
                                               const char                *name,
                                               GError                   **error);

/* Revokes every token, withdraws every designation, closes every open
 * elevation request and rotates the passwords of those devices, and
 * disables the person: one transaction, one audit event
 * "person.access-removed" carrying the counts. Doing it again finds
 * nothing more to end and still succeeds. */
gboolean  esc_service_access_remove           (EscServiceDb              *db,
                                               gint64                     person_id,
                                               const char                *reason,
                                               const EscServiceAuditEvent *actor,
                                               EscServiceAccessRemoval   *out_removal,
                                               GError                   **error);

/* Adds one person: ESC_SERVICE_ERROR_CONFLICT if the name or email (case
 * aside) is known, ESC_SERVICE_ERROR_INVALID_ARGUMENT for a bad field. */
gboolean  esc_service_access_create_person    (EscServiceDb              *db,
                                               const char                *name,
                                               const char                *email,
                                               const char                *team,
                                               const char * const        *roles,
                                               const EscServiceAuditEvent *actor,
                                               gint64                    *out_id,
                                               GError                   **error);

/* Imports a CSV file (esc-staff-import.h) all or nothing. Returns FALSE
 * with @out_errors non-empty (and @error unset) when rows are bad, listing
 * every one, names or emails already known included; FALSE with @error when
 * the database fails. */
gboolean  esc_service_access_import           (EscServiceDb              *db,
                                               const char                *text,
                                               gsize                      length,
                                               const EscServiceAuditEvent *actor,
                                               guint                     *out_imported,
                                               GPtrArray                **out_errors,
                                               GError                   **error);

/* (element-type EscServiceTokenInfo): @user NULL for everyone's */
GPtrArray *esc_service_access_list_tokens     (EscServiceDb              *db,
                                               const char                *user,
                                               GError                   **error);
/* Revokes every live token of @user; audited "token.revoked" */
gboolean  esc_service_access_revoke_tokens    (EscServiceDb              *db,
                                               const char                *user,
                                               const EscServiceAuditEvent *actor,
                                               guint                     *out_revoked,
                                               GError                   **error);
/* Takes @role away from @user; audited "person.role-removed". Removing a
 * role they do not hold succeeds and changes nothing (*out_removed FALSE). */
gboolean  esc_service_access_remove_role      (EscServiceDb              *db,
                                               const char                *user,
                                               const char                *role,
                                               const EscServiceAuditEvent *actor,
                                               gboolean                  *out_removed,
                                               GError                   **error);

/* Housekeeping: closes the open elevation requests of people whose
 * elevation designation expired (or is gone), rotating those devices'
 * passwords; one "designation.expired" event per person. */
gboolean  esc_service_access_end_expired      (EscServiceDb              *db,
                                               GDateTime                 *now,
                                               GError                   **error);

void      esc_service_access_register         (EscServiceRouter          *router);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceTokenInfo, esc_service_token_info_free)

G_END_DECLS
