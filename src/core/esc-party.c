/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include "esc-party.h"

/* One of the three parties of the roles-and-responsibilities matrix:
 * the support provider, the IT administrator and the service provider. */
struct _EscParty
{
  GObject parent_instance;

  char   *id;
  char   *name;
  char   *summary;
  GStrv   responsibilities;
};

G_DEFINE_FINAL_TYPE (EscParty, esc_party, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SUMMARY,
  PROP_RESPONSIBILITIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_party_finalize (GObject *object)
{
  EscParty *self = (EscParty *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->responsibilities, g_strfreev);

  G_OBJECT_CLASS (esc_party_parent_class)->finalize (object);
}

static void
esc_party_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EscParty *self = ESC_PARTY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_RESPONSIBILITIES:
      g_value_set_boxed (value, self->responsibilities);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_party_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EscParty *self = ESC_PARTY (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_SUMMARY:
      self->summary = g_value_dup_string (value);
      break;
    case PROP_RESPONSIBILITIES:
      self->responsibilities = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_party_class_init (EscPartyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_party_finalize;
  object_class->get_property = esc_party_get_property;
  object_class->set_property = esc_party_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESPONSIBILITIES] =
    g_param_spec_boxed ("responsibilities", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_party_init (EscParty *self)
{
}

/**
 * esc_party_new:
 * @id: the stable identifier, e.g. "support-provider"
 * @name: the party's display name
 * @summary: (nullable): one sentence introducing the responsibilities
 * @responsibilities: (array zero-terminated=1): the responsibilities, in order
 *
 * Returns: (transfer full): a new #EscParty
 */
EscParty *
esc_party_new (const char         *id,
               const char         *name,
               const char         *summary,
               const char * const *responsibilities)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (ESC_TYPE_PARTY,
                       "id", id,
                       "name", name,
                       "summary", summary,
                       "responsibilities", responsibilities,
                       NULL);
}

const char *
esc_party_get_id (EscParty *self)
{
  g_return_val_if_fail (ESC_IS_PARTY (self), NULL);
  return self->id;
}

const char *
esc_party_get_name (EscParty *self)
{
  g_return_val_if_fail (ESC_IS_PARTY (self), NULL);
  return self->name;
}

const char *
esc_party_get_summary (EscParty *self)
{
  g_return_val_if_fail (ESC_IS_PARTY (self), NULL);
  return self->summary;
}

const char * const *
esc_party_get_responsibilities (EscParty *self)
{
  static const char * const empty[] = { NULL };

  g_return_val_if_fail (ESC_IS_PARTY (self), NULL);
  return self->responsibilities ? (const char * const *)self->responsibilities : empty;
}

/**
 * esc_party_dup_responsibilities_text:
 * @self: a #EscParty
 *
 * Returns: (transfer full): the responsibilities as a bulleted list, one per line
 */
char *
esc_party_dup_responsibilities_text (EscParty *self)
{
  GString *str;
  const char * const *items;

  g_return_val_if_fail (ESC_IS_PARTY (self), NULL);

  str = g_string_new (NULL);
  items = esc_party_get_responsibilities (self);
  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (str, '\n');
      g_string_append (str, "• ");
      g_string_append (str, items[i]);
    }

  return g_string_free (str, FALSE);
}
