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

          if (JSON_NODE_HOLDS_OBJECT (element))
            element = json_object_get_member (json_node_get_object (element), "text");

          if (element == NULL || !is_value_of_type (element, G_TYPE_STRING) ||
              *json_node_get_string (element) == '\0')
            {
              seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "responsibilities",
                         _("it must be a non-empty array of strings or of objects with a “text”"));
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

static gboolean
parse_responsibility (JsonNode           *element,
                      const char         *party_id,
                      const SeedContext  *ctx,
                      GPtrArray          *out,
                      GError            **error)
{
  static const char * const known[] = { "text", "areas", "raci", NULL };
  g_autoptr(EscResponsibility) item = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) areas = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonNode *node;

  if (is_value_of_type (element, G_TYPE_STRING))
    {
      text = seed_translate (ctx, json_node_get_string (element));
      item = esc_responsibility_new (0, party_id, text, NULL);
      esc_responsibility_set_raci (item, party_id, ESC_RACI_RESPONSIBLE);
      g_ptr_array_add (out, g_steal_pointer (&item));
      return TRUE;
    }

  object = json_node_get_object (element);
  if (!check_fields (object, known, ctx, error) ||
      !get_text (object, "text", FALSE, ctx, &text, error))
    return FALSE;

  node = json_object_get_member (object, "areas");
  if (node != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, "areas",
                          _("it must be an array of strings"));
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *area = json_array_get_element (array, i);
          g_autofree char *translated = NULL;

          if (!is_value_of_type (area, G_TYPE_STRING) || *json_node_get_string (area) == '\0')
            return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, "areas",
                              _("it must be an array of strings"));
          translated = seed_translate (ctx, json_node_get_string (area));
          g_strv_builder_add (builder, translated);
        }
    }
  areas = g_strv_builder_end (builder);
  item = esc_responsibility_new (0, party_id, text, (const char * const *)areas);

  node = json_object_get_member (object, "raci");
  if (node == NULL)
    esc_responsibility_set_raci (item, party_id, ESC_RACI_RESPONSIBLE);
  else
    {
      g_autoptr(GList) members = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, "raci",
                          _("it must be an object of party ids and letters"));
      members = json_object_get_members (json_node_get_object (node));
      for (const GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *letter = json_object_get_member (json_node_get_object (node), l->data);
          EscRaci raci;

          if (!is_value_of_type (letter, G_TYPE_STRING) ||
              !esc_raci_from_letter (json_node_get_string (letter), &raci))
            return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, "raci",
                              _("each party needs one of the letters R, A, C or I"));
          esc_responsibility_set_raci (item, l->data, raci);
        }
    }

  g_ptr_array_add (out, g_steal_pointer (&item));
  return TRUE;
}

/**
 * esc_seed_parse_responsibilities:
 * @json: the bytes of roles.json
 * @translate: (nullable) (scope call): translates each text
 * @user_data: data for @translate
 * @error: return location for a #GError
 *
 * Parses the responsibilities of every party, with their areas and RACI marks.
 * A responsibility given as a plain string has no areas and its party is
 * Responsible for it. RACI marks must name parties of the document.
 *
 * Returns: (transfer full) (element-type EscResponsibility): the rows, party by party
 */
GPtrArray *
esc_seed_parse_responsibilities (GBytes                *json,
                                 EscSeedTranslateFunc   translate,
                                 gpointer               user_data,
                                 GError               **error)
{
  g_autoptr(GPtrArray) parties = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GPtrArray) out = NULL;
  SeedContext ctx = { "roles.json", 0, translate, user_data };

  /* Checks the whole document first */
  if (!(parties = esc_seed_parse_parties (json, translate, user_data, error)) ||
      !(items = load_items (json, ctx.document, error)))
    return NULL;

  out = g_ptr_array_new_with_free_func (g_object_unref);
  for (ctx.index = 0; ctx.index < json_array_get_length (items); ctx.index++)
    {
      JsonObject *object = json_array_get_object_element (items, ctx.index);
      JsonArray *list = json_object_get_array_member (object, "responsibilities");
      const char *party_id = json_object_get_string_member (object, "id");

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          if (!parse_responsibility (json_array_get_element (list, i), party_id, &ctx, out, error))
            return NULL;
        }
    }

  for (guint i = 0; i < out->len; i++)
    {
      g_auto(GStrv) marked = esc_responsibility_dup_raci_parties (g_ptr_array_index (out, i));

      for (guint j = 0; marked[j] != NULL; j++)
        {
          gboolean known = FALSE;

          for (guint k = 0; k < parties->len && !known; k++)
            known = g_str_equal (esc_party_get_id (g_ptr_array_index (parties, k)), marked[j]);
          if (!known)
            {
              g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                           _("Seed “%s”: a RACI mark names “%s”, which is not a party"),
                           ctx.document, marked[j]);
              return NULL;
            }
        }
    }

  return g_steal_pointer (&out);
}

static gboolean
get_tiers (JsonObject         *object,
           const SeedContext  *ctx,
           guint              *out,
           GError            **error)
{
  static const struct { const char *name; guint tier; } names[] = {
    { "tier-1", ESC_SUPPORT_TIER_1 },
    { "tier-2", ESC_SUPPORT_TIER_2 },
    { "escalation-team", ESC_SUPPORT_TIER_ESCALATION_TEAM },
  };
  JsonNode *node = json_object_get_member (object, "tiers");
  JsonArray *array;

  *out = ESC_SUPPORT_TIER_ALL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, "tiers",
                      _("it must be an array of “tier-1”, “tier-2” or “escalation-team”"));

  *out = 0;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gboolean found = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (names) && is_value_of_type (element, G_TYPE_STRING); j++)
        {
          if (g_str_equal (json_node_get_string (element), names[j].name))
            {
              *out |= names[j].tier;
              found = TRUE;
            }
        }
      if (!found)
        return seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, ctx, "tiers",
                          _("it must be an array of “tier-1”, “tier-2” or “escalation-team”"));
    }

  return TRUE;
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
    "id", "problem", "example", "destination", "team", "action", "reach", "tiers", NULL
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
      EscRoutingReach reach = ESC_ROUTING_REACH_NONE;
      const char *destination_name;
      const char *reach_name = NULL;
      guint allowed;
      JsonObject *object;
      const char *id;

      if (!(object = get_item (items, known, &ctx, error)) ||
          !get_identifier (object, "id", &ctx, &id, error) ||
          !check_unique (seen, "id", id, &ctx, error) ||
          !get_text (object, "problem", FALSE, &ctx, &problem, error) ||
          !get_text (object, "example", TRUE, &ctx, &example, error) ||
          !get_identifier (object, "destination", &ctx, &destination_name, error) ||
          !get_text (object, "team", FALSE, &ctx, &team, error) ||
          !get_text (object, "action", FALSE, &ctx, &action, error) ||
          !get_tiers (object, &ctx, &allowed, error))
        return NULL;

      if (json_object_has_member (object, "reach") &&
          (!get_identifier (object, "reach", &ctx, &reach_name, error)))
        return NULL;
      if (reach_name != NULL && !esc_routing_reach_from_string (reach_name, &reach))
        {
          seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "reach",
                     _("it must be “portal”, “phone”, “email” or “url”"));
          return NULL;
        }

      if (!esc_routing_destination_from_string (destination_name, &destination))
        {
          g_autofree char *message =
            g_strdup_printf (_("unknown destination “%s” (expected “operations”, “hardware-vendor”, “existing-channel” or “organisation-team”)"),
                             destination_name);
          seed_fail (error, ESC_CORE_ERROR_INVALID_VALUE, &ctx, "destination", message);
          return NULL;
        }

      g_ptr_array_add (rules,
                       esc_routing_rule_new_full (id, problem, example, destination, team, action,
                                                  reach, NULL, allowed));
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
