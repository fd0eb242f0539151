/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include "esc-severity.h"

/* One severity definition (A, B or C) of the service's admin support requests.
 * The response and update times are data: seeded from the shipped defaults and
 * editable in the workspace, never constants in code. */
struct _EscSeverity
{
  GObject parent_instance;

  char  *letter;
  char  *name;
  char  *situation;
  char  *coverage;
  char  *downgrade;
  guint  initial_response_minutes;
  guint  update_cadence_minutes;
};

G_DEFINE_FINAL_TYPE (EscSeverity, esc_severity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LETTER,
  PROP_NAME,
  PROP_SITUATION,
  PROP_INITIAL_RESPONSE_MINUTES,
  PROP_UPDATE_CADENCE_MINUTES,
  PROP_COVERAGE,
  PROP_DOWNGRADE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
esc_severity_finalize (GObject *object)
{
  EscSeverity *self = (EscSeverity *)object;

  g_clear_pointer (&self->letter, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->situation, g_free);
  g_clear_pointer (&self->coverage, g_free);
  g_clear_pointer (&self->downgrade, g_free);

  G_OBJECT_CLASS (esc_severity_parent_class)->finalize (object);
}

static void
esc_severity_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EscSeverity *self = ESC_SEVERITY (object);

  switch (prop_id)
    {
    case PROP_LETTER:
      g_value_set_string (value, self->letter);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SITUATION:
      g_value_set_string (value, self->situation);
      break;
    case PROP_INITIAL_RESPONSE_MINUTES:
      g_value_set_uint (value, self->initial_response_minutes);
      break;
    case PROP_UPDATE_CADENCE_MINUTES:
      g_value_set_uint (value, self->update_cadence_minutes);
      break;
    case PROP_COVERAGE:
      g_value_set_string (value, self->coverage);
      break;
    case PROP_DOWNGRADE:
      g_value_set_string (value, self->downgrade);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_severity_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EscSeverity *self = ESC_SEVERITY (object);

  switch (prop_id)
    {
    case PROP_LETTER:
      self->letter = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_SITUATION:
      self->situation = g_value_dup_string (value);
      break;
    case PROP_INITIAL_RESPONSE_MINUTES:
      self->initial_response_minutes = g_value_get_uint (value);
      break;
    case PROP_UPDATE_CADENCE_MINUTES:
      self->update_cadence_minutes = g_value_get_uint (value);
      break;
    case PROP_COVERAGE:
      self->coverage = g_value_dup_string (value);
      break;
    case PROP_DOWNGRADE:
      self->downgrade = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_severity_class_init (EscSeverityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = esc_severity_finalize;
  object_class->get_property = esc_severity_get_property;
  object_class->set_property = esc_severity_set_property;

  properties[PROP_LETTER] = g_param_spec_string ("letter", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SITUATION] = g_param_spec_string ("situation", NULL, NULL, NULL, flags);
  properties[PROP_INITIAL_RESPONSE_MINUTES] =
    g_param_spec_uint ("initial-response-minutes", NULL, NULL,
                       0, G_MAXUINT, 0, flags);
  properties[PROP_UPDATE_CADENCE_MINUTES] =
    g_param_spec_uint ("update-cadence-minutes", NULL, NULL,
                       0, G_MAXUINT, 0, flags);
  properties[PROP_COVERAGE] = g_param_spec_string ("coverage", NULL, NULL, NULL, flags);
  properties[PROP_DOWNGRADE] = g_param_spec_string ("downgrade", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_severity_init (EscSeverity *self)
{
}

/**
 * esc_severity_new:
 * @letter: "A", "B" or "C"
 * @name: the display name, e.g. "Critical impact"
 * @situation: (nullable): when the severity applies
 * @initial_response_minutes: the time from filing until an engineer starts work
 * @update_cadence_minutes: the time between two updates
 * @coverage: (nullable): the hours during which the severity is worked on
 * @downgrade: (nullable): when and to what the severity may be lowered
 *
 * Returns: (transfer full): a new #EscSeverity
 */
EscSeverity *
esc_severity_new (const char *letter,
                  const char *name,
                  const char *situation,
                  guint       initial_response_minutes,
                  guint       update_cadence_minutes,
                  const char *coverage,
                  const char *downgrade)
{
  g_return_val_if_fail (letter != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (ESC_TYPE_SEVERITY,
                       "letter", letter,
                       "name", name,
                       "situation", situation,
                       "initial-response-minutes", initial_response_minutes,
                       "update-cadence-minutes", update_cadence_minutes,
                       "coverage", coverage,
                       "downgrade", downgrade,
                       NULL);
}

const char *
esc_severity_get_letter (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), NULL);
  return self->letter;
}

const char *
esc_severity_get_name (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), NULL);
  return self->name;
}

const char *
esc_severity_get_situation (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), NULL);
  return self->situation;
}

guint
esc_severity_get_initial_response_minutes (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), 0);
  return self->initial_response_minutes;
}

guint
esc_severity_get_update_cadence_minutes (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), 0);
  return self->update_cadence_minutes;
}

const char *
esc_severity_get_coverage (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), NULL);
  return self->coverage;
}

const char *
esc_severity_get_downgrade (EscSeverity *self)
{
  g_return_val_if_fail (ESC_IS_SEVERITY (self), NULL);
  return self->downgrade;
}
