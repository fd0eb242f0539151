/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n.h>

#include "esc-elevation-password.h"
#include "esc-json-read.h"
#include "esc-json-write.h"
#include "esc-secret.h"

G_DEFINE_BOXED_TYPE (EscElevationPassword, esc_elevation_password,
                     esc_elevation_password_copy, esc_elevation_password_free)

/**
 * esc_elevation_password_copy:
 * @password: a password
 *
 * Returns: (transfer full): a copy, to be freed with esc_elevation_password_free()
 */
EscElevationPassword *
esc_elevation_password_copy (const EscElevationPassword *password)
{
  EscElevationPassword *copy;

  g_return_val_if_fail (password != NULL, NULL);

  copy = g_new0 (EscElevationPassword, 1);
  copy->account = g_strdup (password->account);
  copy->password = g_strdup (password->password);
  copy->rotates_at = password->rotates_at != NULL ? g_date_time_ref (password->rotates_at) : NULL;

  return copy;
}

/**
 * esc_elevation_password_free:
 * @password: (nullable): a password
 *
 * Overwrites the password with zeros, then frees everything.
 */
void
esc_elevation_password_free (EscElevationPassword *password)
{
  if (password == NULL)
    return;

  esc_secret_free (password->password);
  g_free (password->account);
  g_clear_pointer (&password->rotates_at, g_date_time_unref);
  g_free (password);
}

/**
 * esc_elevation_password_new_from_json:
 * @node: the answer of GET /v1/elevation-requests/{id}/password
 * @error: return location for a #GError (%ESC_CORE_ERROR)
 *
 * Reads {account, password, rotates_at}. The password's text in @node is
 * overwritten with zeros once copied: the parsed tree goes soon and must not
 * leave a copy of it in the heap (the caller wipes the answer's bytes).
 *
 * Returns: (transfer full) (nullable): the password, to be freed with
 *   esc_elevation_password_free()
 */
EscElevationPassword *
esc_elevation_password_new_from_json (JsonNode  *node,
                                      GError   **error)
{
  g_autoptr(EscElevationPassword) password = g_new0 (EscElevationPassword, 1);
  JsonObject *object;
  const char *account;
  const char *secret;

  if (!esc_json_require_object (node, _("The password"), &object, error) ||
      !esc_json_read_string (object, "account", FALSE, &account, error) ||
      !esc_json_read_string (object, "password", FALSE, &secret, error) ||
      !esc_json_read_time (object, "rotates_at", FALSE, &password->rotates_at, error))
    return NULL;

  password->account = g_strdup (account);
  password->password = g_strdup (secret);

  /* The parsed tree goes soon: leave no copy of the password in it. */
  esc_secret_wipe_string ((char *)secret);

  return g_steal_pointer (&password);
}

/**
 * esc_elevation_password_to_json:
 * @password: a password
 *
 * Returns: (transfer full): {account, password, rotates_at}, to be wiped
 *   with esc_elevation_password_wipe_json() once used
 */
JsonNode *
esc_elevation_password_to_json (const EscElevationPassword *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (password != NULL, NULL);

  json_builder_begin_object (builder);
  esc_json_add_string (builder, "account", password->account);
  esc_json_add_string (builder, "password", password->password);
  esc_json_add_time (builder, "rotates_at", password->rotates_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/**
 * esc_elevation_password_wipe_json:
 * @node: (nullable): what esc_elevation_password_to_json() returned
 *
 * Overwrites the password's text in @node with zeros, so that freeing the
 * tree leaves no copy of it.
 */
void
esc_elevation_password_wipe_json (JsonNode *node)
{
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  member = json_object_get_member (json_node_get_object (node), "password");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      json_node_get_value_type (member) == G_TYPE_STRING)
    esc_secret_wipe_string ((char *)json_node_get_string (member));
}
