/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "esc-core-error.h"
#include "esc-seed.h"

/* The seeded defaults (roles matrix, routing rows, severity definitions) ship as
 * JSON documents in the GResource. These parsers are strict on purpose: a broken
 * seed is a packaging bug and must fail loudly in the tests, never seed half a
 * workspace. They only turn bytes into objects; reading the resource and writing
 * the rows is the store's job. */

typedef struct
{
  const char           *document;
  guint                 index;
  EscSeedTranslateFunc  translate;
  gpointer              user_data;
} SeedContext;

/* The longest time a seeded delay may take: one year. */
#define MAX_MINUTES (60 * 24 * 366)

static gboolean
seed_fail (GError            **error,
           EscCoreError        code,
           const SeedContext  *ctx,
           const char         *field,
           const char         *problem)
{
  if (field != NULL)
    g_set_error (error, ESC_CORE_ERROR, code,
                 /* Translators: "Seed “roles.json”, item 2, field “name”: it is missing" */
                 _("Seed “%s”, item %u, field “%s”: %s"),
                 ctx->document, ctx->index + 1, field, problem);
  else
    g_set_error (error, ESC_CORE_ERROR, code,
                 _("Seed “%s”, item %u: %s"),
                 ctx->document, ctx->index + 1, problem);
  return FALSE;
}

static char *
seed_translate (const SeedContext *ctx,
                const char        *str)
{
  /* Never look up "": gettext would answer with the catalog's header. */
  if (str == NULL || *str == '\0' || ctx->translate == NULL)
    return g_strdup (str);

  return g_strdup (ctx->translate (str, ctx->user_data));
}

static gboolean
check_fields (JsonObject         *object,
              const char * const *known,
              const SeedContext  *ctx,
              GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *problem = g_strdup_printf (_("unknown field “%s”"),
                                                      (const char *)l->data);
          return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, NULL, problem);
        }
    }

  return TRUE;
}

static gboolean
is_value_of_type (JsonNode *node,
                  GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Reads a string field. With @nullable a JSON null gives %NULL; otherwise the
 * string must not be empty. The result is translated. */
static gboolean
get_text (JsonObject         *object,
          const char         *field,
          gboolean            nullable,
          const SeedContext  *ctx,
          char              **out,
          GError            **error)
{
  JsonNode *node = json_object_get_member (object, field);
  const char *str;

  if (node == NULL)
    return seed_fail (error, ESC_CORE_ERROR_MISSING_FIELD, ctx, field, _("it is missing"));

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field,
                          _("it must be a string, not null"));
      *out = NULL;
      return TRUE;
    }

  if (!is_value_of_type (node, G_TYPE_STRING))
    return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field,
                      _("it must be a string"));

  str = json_node_get_string (node);
  if (*str == '\0')
    return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field,
                      _("it must not be empty"));

  *out = seed_translate (ctx, str);
  return TRUE;
}

/* Reads an identifier: a non-empty string, never translated. */
static gboolean
get_identifier (JsonObject         *object,
                const char         *field,
                const SeedContext  *ctx,
                const char        **out,
                GError            **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL)
    return seed_fail (error, ESC_CORE_ERROR_MISSING_FIELD, ctx, field, _("it is missing"));

  if (!is_value_of_type (node, G_TYPE_STRING) || *json_node_get_string (node) == '\0')
    return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field,
                      _("it must be a non-empty string"));

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_minutes (JsonObject         *object,
             const char         *field,
             const SeedContext  *ctx,
             guint              *out,
             GError            **error)
{
  JsonNode *node = json_object_get_member (object, field);
  gint64 value;

  if (node == NULL)
    return seed_fail (error, ESC_CORE_ERROR_MISSING_FIELD, ctx, field, _("it is missing"));

  if (!is_value_of_type (node, G_TYPE_INT64))
    return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field,
                      _("it must be a whole number of minutes"));

  value = json_node_get_int (node);
  if (value <= 0 || value > MAX_MINUTES)
    return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field,
                      _("it must be more than zero minutes and at most a year"));

  *out = (guint)value;
  return TRUE;
}

/* Parses {"version": 1, "items": [...]} and returns the items (a new reference). */
static JsonArray *
load_items (GBytes      *json,
            const char  *document,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root_object;
  JsonNode *root;
  JsonNode *version;
  JsonNode *items;
  gconstpointer data;
  gsize size;

  g_return_val_if_fail (json != NULL, NULL);

  /* Empty bytes have no data pointer; json-glib wants one. */
  if (!(data = g_bytes_get_data (json, &size)))
    data = "";

  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                   _("Seed “%s” is not valid JSON: %s"), document, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                   _("Seed “%s” must be a JSON object"), document);
      return NULL;
    }
  root_object = json_node_get_object (root);

  version = json_object_get_member (root_object, "version");
  if (version == NULL)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("Seed “%s” has no “version”"), document);
      return NULL;
    }
  if (!is_value_of_type (version, G_TYPE_INT64) ||
      json_node_get_int (version) != ESC_SEED_VERSION)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("Seed “%s” has an unsupported version (this version of Escalade reads version %d)"),
                   document, ESC_SEED_VERSION);
      return NULL;
    }

  items = json_object_get_member (root_object, "items");
  if (items == NULL)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_MISSING_FIELD,
                   _("Seed “%s” has no “items”"), document);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("Seed “%s”: “items” must be an array"), document);
      return NULL;
    }

  return json_array_ref (json_node_get_array (items));
}

/* Checks that item @ctx->index is an object with only @known fields and a fresh @id. */
static JsonObject *
get_item (JsonArray          *items,
          const char * const *known,
          const SeedContext  *ctx,
          GError            **error)
{
  JsonNode *node = json_array_get_element (items, ctx->index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, NULL, _("it must be an object"));
      return NULL;
    }

  if (!check_fields (json_node_get_object (node), known, ctx, error))
    return NULL;

  return json_node_get_object (node);
}

static gboolean
check_unique (GHashTable         *seen,
              const char         *field,
              const char         *value,
              const SeedContext  *ctx,
              GError            **error)
{
  g_autofree char *problem = NULL;

  if (g_hash_table_add (seen, (gpointer)value))
    return TRUE;

  problem = g_strdup_printf (_("“%s” appears twice"), value);
  return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, field, problem);
}

/**
 * esc_seed_parse_parties:
 * @json: the bytes of roles.json
 * @translate: (nullable) (scope call): translates each text
 * @user_data: data for @translate
 * @error: return location for a #GError
 *
 * Parses the roles-and-responsibilities matrix: items with "id", "name",
 * "summary" and a non-empty "responsibilities" array of strings.
 *
 * Returns: (transfer full) (element-type EscParty): the parties in order, or %NULL
 */
GPtrArray *
esc_seed_parse_parties (GBytes                *json,
                        EscSeedTranslateFunc   translate,
                        gpointer               user_data,
                        GError               **error)
{
  static const char * const known[] = { "id", "name", "summary", "responsibilities", NULL };
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) parties = NULL;
  g_autoptr(GHashTable) seen = NULL;
  SeedContext ctx = { "roles.json", 0, translate, user_data };

  if (!(items = load_items (json, ctx.document, error)))
    return NULL;

  parties = g_ptr_array_new_with_free_func (g_object_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (ctx.index = 0; ctx.index < json_array_get_length (items); ctx.index++)
    {
      g_autofree char *name = NULL;
      g_autofree char *summary = NULL;
      g_autoptr(GStrvBuilder) builder = NULL;
      g_auto(GStrv) responsibilities = NULL;
      JsonObject *object;
      JsonNode *list;
      const char *id;

      if (!(object = get_item (items, known, &ctx, error)) ||
          !get_identifier (object, "id", &ctx, &id, error) ||
          !check_unique (seen, "id", id, &ctx, error) ||
          !get_text (object, "name", FALSE, &ctx, &name, error) ||
          !get_text (object, "summary", TRUE, &ctx, &summary, error))
        return NULL;

      list = json_object_get_member (object, "responsibilities");
      if (list == NULL)
        {
          seed_fail (error, ESC_CORE_ERROR_MISSING_FIELD, &ctx, "responsibilities",
                     _("it is missing"));
          return NULL;
        }
      if (!JSON_NODE_HOLDS_ARRAY (list) || json_array_get_length (json_node_get_array (list)) == 0)
        {
          seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "responsibilities",
                     _("it must be a non-empty array of strings"));
          return NULL;
        }

      builder = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (list), i);
          g_autofree char *text = NULL;

          if (!is_value_of_type (element, G_TYPE_STRING) ||
              *json_node_get_string (element) == '\0')
            {
              seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "responsibilities",
                         _("it must be a non-empty array of strings"));
              return NULL;
            }

          text = seed_translate (&ctx, json_node_get_string (element));
          g_strv_builder_add (builder, text);
        }
      responsibilities = g_strv_builder_end (builder);

      g_ptr_array_add (parties,
                       esc_party_new (id, name, summary,
                                      (const char * const *)responsibilities));
    }

  return g_steal_pointer (&parties);
}

/**
 * esc_seed_parse_routing_rules:
 * @json: the bytes of routing.json
 * @translate: (nullable) (scope call): translates each text
 * @user_data: data for @translate
 * @error: return location for a #GError
 *
 * Parses the routing matrix: items with "id", "problem", "example" (a string or
 * null), "destination" (one of the #EscRoutingDestination names), "team" and
 * "action".
 *
 * Returns: (transfer full) (element-type EscRoutingRule): the rows in order, or %NULL
 */
GPtrArray *
esc_seed_parse_routing_rules (GBytes                *json,
                              EscSeedTranslateFunc   translate,
                              gpointer               user_data,
                              GError               **error)
{
  static const char * const known[] = {
    "id", "problem", "example", "destination", "team", "action", NULL
  };
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GHashTable) seen = NULL;
  SeedContext ctx = { "routing.json", 0, translate, user_data };

  if (!(items = load_items (json, ctx.document, error)))
    return NULL;

  rules = g_ptr_array_new_with_free_func (g_object_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (ctx.index = 0; ctx.index < json_array_get_length (items); ctx.index++)
    {
      g_autofree char *problem = NULL;
      g_autofree char *example = NULL;
      g_autofree char *team = NULL;
      g_autofree char *action = NULL;
      EscRoutingDestination destination;
      const char *destination_name;
      JsonObject *object;
      const char *id;

      if (!(object = get_item (items, known, &ctx, error)) ||
          !get_identifier (object, "id", &ctx, &id, error) ||
          !check_unique (seen, "id", id, &ctx, error) ||
          !get_text (object, "problem", FALSE, &ctx, &problem, error) ||
          !get_text (object, "example", TRUE, &ctx, &example, error) ||
          !get_identifier (object, "destination", &ctx, &destination_name, error) ||
          !get_text (object, "team", FALSE, &ctx, &team, error) ||
          !get_text (object, "action", FALSE, &ctx, &action, error))
        return NULL;

      if (!esc_routing_destination_from_string (destination_name, &destination))
        {
          g_autofree char *message =
            g_strdup_printf (_("unknown destination “%s” (expected “operations”, “hardware-vendor” or “existing-channel”)"),
                             destination_name);
          seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "destination", message);
          return NULL;
        }

      g_ptr_array_add (rules,
                       esc_routing_rule_new (id, problem, example, destination, team, action));
    }

  return g_steal_pointer (&rules);
}

/**
 * esc_seed_parse_severities:
 * @json: the bytes of severities.json
 * @translate: (nullable) (scope call): translates each text
 * @user_data: data for @translate
 * @error: return location for a #GError
 *
 * Parses the severity definitions: items with "letter" ("A", "B" or "C", each at
 * most once), "name", "situation", "initial_response_minutes",
 * "update_cadence_minutes" (whole positive numbers), "coverage" and "downgrade".
 *
 * Returns: (transfer full) (element-type EscSeverity): the severities in order, or %NULL
 */
GPtrArray *
esc_seed_parse_severities (GBytes                *json,
                           EscSeedTranslateFunc   translate,
                           gpointer               user_data,
                           GError               **error)
{
  static const char * const known[] = {
    "letter", "name", "situation", "initial_response_minutes",
    "update_cadence_minutes", "coverage", "downgrade", NULL
  };
  static const char * const letters[] = { "A", "B", "C", NULL };
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) severities = NULL;
  g_autoptr(GHashTable) seen = NULL;
  SeedContext ctx = { "severities.json", 0, translate, user_data };

  if (!(items = load_items (json, ctx.document, error)))
    return NULL;

  severities = g_ptr_array_new_with_free_func (g_object_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (ctx.index = 0; ctx.index < json_array_get_length (items); ctx.index++)
    {
      g_autofree char *name = NULL;
      g_autofree char *situation = NULL;
      g_autofree char *coverage = NULL;
      g_autofree char *downgrade = NULL;
      guint initial_response_minutes;
      guint update_cadence_minutes;
      JsonObject *object;
      const char *letter;

      if (!(object = get_item (items, known, &ctx, error)) ||
          !get_identifier (object, "letter", &ctx, &letter, error))
        return NULL;

      if (!g_strv_contains (letters, letter))
        {
          g_autofree char *message =
            g_strdup_printf (_("unknown severity “%s” (expected “A”, “B” or “C”)"), letter);
          seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "letter", message);
          return NULL;
        }

      if (!check_unique (seen, "letter", letter, &ctx, error) ||
          !get_text (object, "name", FALSE, &ctx, &name, error) ||
          !get_text (object, "situation", FALSE, &ctx, &situation, error) ||
          !get_minutes (object, "initial_response_minutes", &ctx,
                        &initial_response_minutes, error) ||
          !get_minutes (object, "update_cadence_minutes", &ctx,
                        &update_cadence_minutes, error) ||
          !get_text (object, "coverage", FALSE, &ctx, &coverage, error) ||
          !get_text (object, "downgrade", FALSE, &ctx, &downgrade, error))
        return NULL;

      g_ptr_array_add (severities,
                       esc_severity_new (letter, name, situation,
                                         initial_response_minutes, update_cadence_minutes,
                                         coverage, downgrade));
    }

  return g_steal_pointer (&severities);
}
