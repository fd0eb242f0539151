/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-core-error.h"
#include "esc-sla-agreement.h"
#include "esc-time.h"

/* One version of an SLA agreement: the terms both parties accept (targets per
 * severity, the calendar, pause states, warnings, the response rule) and what
 * the service records about it (state, acceptances with their times). */

struct _EscSlaAgreementVersion
{
  GObject parent_instance;

  char *agreement_id;
  guint version;
  EscSlaVersionState state;
  char *title;
  char *calendar_id;
  EscSlaTargets targets[3];
  GStrv pause_states;
  EscSlaWarning warnings[ESC_SLA_MAX_WARNINGS];
  guint n_warnings;
  char *response_rule;
  guint response_events;  /* bit per EscSlaEventKind */
  EscSlaAcceptance it_admin;
  EscSlaAcceptance partner;
  char *created_by;
  GDateTime *created_at;
  GDateTime *agreed_at;
  GDateTime *superseded_at;
  GDateTime *retired_at;
  char *retired_by;
};

G_DEFINE_FINAL_TYPE (EscSlaAgreementVersion, esc_sla_agreement_version, G_TYPE_OBJECT)

static const char * const state_names[] = { "draft", "agreed", "superseded", "retired" };
static const char * const event_names[] = {
  "created", "responded", "updated", "paused", "resumed", "severity-changed", "resolved", "reopened",
  "agreement-changed",
};
static const char * const metric_names[] = { "first_response", "update", "resolution" };

const char *
esc_sla_version_state_to_string (EscSlaVersionState state)
{
  g_return_val_if_fail ((guint)state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
esc_sla_version_state_from_string (const char         *str,
                                   EscSlaVersionState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (str, state_names[i]) == 0)
        {
          *state = (EscSlaVersionState)i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esc_sla_event_kind_to_string (EscSlaEventKind kind)
{
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (event_names), NULL);
  return event_names[kind];
}

gboolean
esc_sla_event_kind_from_string (const char      *str,
                                EscSlaEventKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    {
      if (g_strcmp0 (str, event_names[i]) == 0)
        {
          *kind = (EscSlaEventKind)i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
esc_sla_metric_kind_to_string (EscSlaMetricKind kind)
{
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (metric_names), NULL);
  return metric_names[kind];
}

static void
acceptance_clear (EscSlaAcceptance *a)
{
  g_clear_pointer (&a->name, g_free);
  g_clear_pointer (&a->at, g_date_time_unref);
}

static void
warnings_clear (EscSlaAgreementVersion *self)
{
  for (guint i = 0; i < self->n_warnings; i++)
    g_clear_pointer (&self->warnings[i].notify, g_strfreev);
  self->n_warnings = 0;
}

static void
esc_sla_agreement_version_finalize (GObject *object)
{
  EscSlaAgreementVersion *self = (EscSlaAgreementVersion *)object;

  g_free (self->agreement_id);
  g_free (self->title);
  g_free (self->calendar_id);
  g_strfreev (self->pause_states);
  warnings_clear (self);
  g_free (self->response_rule);
  acceptance_clear (&self->it_admin);
  acceptance_clear (&self->partner);
  g_free (self->created_by);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->agreed_at, g_date_time_unref);
  g_clear_pointer (&self->superseded_at, g_date_time_unref);
  g_clear_pointer (&self->retired_at, g_date_time_unref);
  g_free (self->retired_by);

  G_OBJECT_CLASS (esc_sla_agreement_version_parent_class)->finalize (object);
}

static void
esc_sla_agreement_version_class_init (EscSlaAgreementVersionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_sla_agreement_version_finalize;
}

static void
esc_sla_agreement_version_init (EscSlaAgreementVersion *self)
{
  static const char * const pauses[] = { "waiting-on-customer", "waiting-on-vendor", NULL };
  static const guint percents[] = { 50, 75, 100 };

  self->pause_states = g_strdupv ((GStrv)pauses);
  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    {
      self->warnings[i].percent = percents[i];
      self->warnings[i].notify = g_new0 (char *, 1);
    }
  self->n_warnings = G_N_ELEMENTS (percents);
  self->response_events = 1u << ESC_SLA_EVENT_RESPONDED;
  self->response_rule = g_strdup ("");
  self->title = g_strdup ("");
}

EscSlaAgreementVersion *
esc_sla_agreement_version_new (void)
{
  return g_object_new (ESC_TYPE_SLA_AGREEMENT_VERSION, NULL);
}

/* Accessors */

const char *
esc_sla_agreement_version_get_agreement_id (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return self->agreement_id;
}

void
esc_sla_agreement_version_set_agreement_id (EscSlaAgreementVersion *self,
                                            const char             *id)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  g_free (self->agreement_id);
  self->agreement_id = g_strdup (id);
}

guint
esc_sla_agreement_version_get_version (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), 0);
  return self->version;
}

void
esc_sla_agreement_version_set_version (EscSlaAgreementVersion *self,
                                       guint                   version)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  self->version = version;
}

EscSlaVersionState
esc_sla_agreement_version_get_state (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), ESC_SLA_VERSION_DRAFT);
  return self->state;
}

void
esc_sla_agreement_version_set_state (EscSlaAgreementVersion *self,
                                     EscSlaVersionState      state)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  self->state = state;
}

const char *
esc_sla_agreement_version_get_calendar_id (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return self->calendar_id;
}

void
esc_sla_agreement_version_set_calendar_id (EscSlaAgreementVersion *self,
                                           const char             *id)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  g_free (self->calendar_id);
  self->calendar_id = g_strdup (id);
}

const EscSlaTargets *
esc_sla_agreement_version_get_targets (EscSlaAgreementVersion *self,
                                       EscSupportSeverity      severity)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  g_return_val_if_fail ((guint)severity < 3, NULL);
  return &self->targets[severity];
}

void
esc_sla_agreement_version_set_targets (EscSlaAgreementVersion *self,
                                       EscSupportSeverity      severity,
                                       const EscSlaTargets    *targets)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  g_return_if_fail ((guint)severity < 3 && targets != NULL);
  self->targets[severity] = *targets;
}

const char * const *
esc_sla_agreement_version_get_pause_states (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return (const char * const *)self->pause_states;
}

void
esc_sla_agreement_version_set_pause_states (EscSlaAgreementVersion *self,
                                            const char * const     *states)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  g_strfreev (self->pause_states);
  self->pause_states = states != NULL ? g_strdupv ((GStrv)states) : g_new0 (char *, 1);
}

gboolean
esc_sla_agreement_version_pauses_in (EscSlaAgreementVersion *self,
                                     const char             *state)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), FALSE);
  return state != NULL && g_strv_contains ((const char * const *)self->pause_states, state);
}

const EscSlaWarning *
esc_sla_agreement_version_get_warnings (EscSlaAgreementVersion *self,
                                        guint                  *n)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  g_return_val_if_fail (n != NULL, NULL);
  *n = self->n_warnings;
  return self->warnings;
}

static gboolean
check_percents (const guint  *percents,
                guint         n,
                GError      **error)
{
  if (n > ESC_SLA_MAX_WARNINGS)
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                   _("“%s”: more than %u thresholds"), "warnings", ESC_SLA_MAX_WARNINGS);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      if (percents[i] < 1 || percents[i] > 1000 || (i > 0 && percents[i] <= percents[i - 1]))
        {
          g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
                       _("“warnings[%u].percent”: not a percentage from 1 to 1000, above the one before"),
                       i);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
esc_sla_agreement_version_set_warnings (EscSlaAgreementVersion  *self,
                                        const guint             *percents,
                                        guint                    n,
                                        GError                 **error)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), FALSE);

  if (!check_percents (percents, n, error))
    return FALSE;
  warnings_clear (self);
  for (guint i = 0; i < n; i++)
    {
      self->warnings[i].percent = percents[i];
      self->warnings[i].notify = g_new0 (char *, 1);
    }
  self->n_warnings = n;
  return TRUE;
}

void
esc_sla_agreement_version_set_warning_notify (EscSlaAgreementVersion *self,
                                              guint                   index,
                                              const char * const     *notify)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  g_return_if_fail (index < self->n_warnings);

  g_strfreev (self->warnings[index].notify);
  self->warnings[index].notify = notify != NULL ? g_strdupv ((GStrv)notify) : g_new0 (char *, 1);
}

void
esc_sla_agreement_version_set_response_rule (EscSlaAgreementVersion *self,
                                             const char             *rule)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));

  g_free (self->response_rule);
  self->response_rule = g_strdup (rule != NULL ? rule : "");
}

gboolean
esc_sla_notify_target_is_valid (const char *target)
{
  static const char * const audiences[] = {
    "it-admin", "partner-manager", "support-staff", "filer", "assignee", NULL,
  };
  const char *at;

  if (target == NULL || *target == '\0' || strlen (target) > 64 || !g_utf8_validate (target, -1, NULL))
    return FALSE;
  if (g_strv_contains (audiences, target))
    return TRUE;

  /* An address: one "@" with something on each side, a dot in the domain, no spaces */
  at = strchr (target, '@');
  if (at == NULL || at == target || strchr (at + 1, '@') != NULL || strchr (at + 1, '.') == NULL ||
      at[1] == '.' || g_str_has_suffix (target, "."))
    return FALSE;
  for (const char *p = target; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == ',' || *p == ';' || *p == '<' || *p == '>')
        return FALSE;
    }
  return TRUE;
}

gboolean
esc_sla_pause_state_is_valid (const char *state)
{
  gsize length;

  if (state == NULL || (length = strlen (state)) == 0 || length > 64 || state[0] == '-' ||
      state[length - 1] == '-' || strstr (state, "--") != NULL)
    return FALSE;
  for (const char *p = state; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '-'))
        return FALSE;
    }
  return TRUE;
}

const char *
esc_sla_agreement_version_get_response_rule (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return self->response_rule;
}

gboolean
esc_sla_agreement_version_counts_as_response (EscSlaAgreementVersion *self,
                                              EscSlaEventKind         kind)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), FALSE);
  return (self->response_events & (1u << kind)) != 0;
}

void
esc_sla_agreement_version_set_response_events (EscSlaAgreementVersion *self,
                                               const EscSlaEventKind  *kinds,
                                               guint                   n)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  self->response_events = 0;
  for (guint i = 0; i < n; i++)
    self->response_events |= 1u << kinds[i];
}

const EscSlaAcceptance *
esc_sla_agreement_version_get_it_admin_acceptance (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return self->it_admin.at != NULL ? &self->it_admin : NULL;
}

const EscSlaAcceptance *
esc_sla_agreement_version_get_partner_acceptance (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return self->partner.at != NULL ? &self->partner : NULL;
}

GDateTime *
esc_sla_agreement_version_get_agreed_at (EscSlaAgreementVersion *self)
{
  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);
  return self->agreed_at;
}

static void
set_time (GDateTime **slot,
          GDateTime  *at)
{
  g_clear_pointer (slot, g_date_time_unref);
  *slot = at != NULL ? g_date_time_ref (at) : NULL;
}

void
esc_sla_agreement_version_set_acceptance (EscSlaAgreementVersion *self,
                                          gboolean                it_admin,
                                          const char             *name,
                                          GDateTime              *at)
{
  EscSlaAcceptance *acceptance;

  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));

  acceptance = it_admin ? &self->it_admin : &self->partner;
  acceptance_clear (acceptance);
  if (at != NULL)
    {
      acceptance->name = g_strdup (name != NULL ? name : "");
      acceptance->at = g_date_time_ref (at);
    }
}

void
esc_sla_agreement_version_set_created (EscSlaAgreementVersion *self,
                                       GDateTime              *at,
                                       const char             *by)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));

  set_time (&self->created_at, at);
  g_free (self->created_by);
  self->created_by = g_strdup (by);
}

void
esc_sla_agreement_version_set_agreed_at (EscSlaAgreementVersion *self,
                                         GDateTime              *at)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  set_time (&self->agreed_at, at);
}

void
esc_sla_agreement_version_set_superseded_at (EscSlaAgreementVersion *self,
                                             GDateTime              *at)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));
  set_time (&self->superseded_at, at);
}

void
esc_sla_agreement_version_set_retired (EscSlaAgreementVersion *self,
                                       GDateTime              *at,
                                       const char             *by)
{
  g_return_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self));

  set_time (&self->retired_at, at);
  g_free (self->retired_by);
  self->retired_by = g_strdup (by);
}

/* JSON */

static gboolean
fail (GError     **error,
      const char  *field,
      const char  *what)
{
  g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_VALUE,
               /* Translators: a JSON member, e.g. "targets.B.update_minutes", then what is wrong */
               _("“%s”: %s"), field, what);
  return FALSE;
}

static gboolean
check_members (JsonObject         *object,
               const char * const *known,
               const char         *prefix,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        {
          g_autofree char *field = *prefix ? g_strconcat (prefix, ".", l->data, NULL)
                                           : g_strdup (l->data);
          return fail (error, field, _("unknown member"));
        }
    }
  return TRUE;
}

/* A string member; NULL and TRUE when absent or null and @optional. */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char  *field,
             gboolean     optional,
             gsize        max_length,
             const char **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return optional ? TRUE : fail (error, field, _("missing"));
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, field, _("not a string"));
  *value = json_node_get_string (node);
  if (strlen (*value) > max_length || !g_utf8_validate (*value, -1, NULL))
    {
      g_autofree char *what = g_strdup_printf (_("longer than %u characters"), (guint)max_length);
      return fail (error, field, what);
    }
  return TRUE;
}

static gboolean
read_minutes (JsonObject  *object,
              const char  *member,
              const char  *prefix,
              guint       *value,
              GError     **error)
{
  g_autofree char *field = g_strconcat (prefix, ".", member, NULL);
  JsonNode *node = json_object_get_member (object, member);
  gint64 minutes;

  *value = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (error, field, _("not a whole number of minutes"));
  minutes = json_node_get_int (node);
  /* A year of minutes is the most anyone agrees on. */
  if (minutes < 0 || minutes > 366 * 24 * 60)
    return fail (error, field, _("not between 0 and 527040 minutes"));
  *value = (guint)minutes;
  return TRUE;
}

static gboolean
read_strv (JsonObject  *object,
           const char  *member,
           const char  *field,
           GStrv       *value,
           GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) > 32)
    return fail (error, field, _("not an array of at most 32 strings"));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          (text = json_node_get_string (element))[0] == '\0' || strlen (text) > 64 ||
          !g_utf8_validate (text, -1, NULL))
        {
          g_autofree char *item = g_strdup_printf ("%s[%u]", field, i);
          return fail (error, item, _("not a name of 1 to 64 characters"));
        }
      g_strv_builder_add (builder, text);
    }
  *value = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *member,
           GDateTime  **value,
           GError     **error)
{
  const char *text;

  if (!read_string (object, member, member, TRUE, 64, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if ((*value = esc_time_parse (text)) == NULL)
    return fail (error, member, _("not an RFC 3339 time"));
  return TRUE;
}

static gboolean
read_acceptance (JsonObject       *object,
                 const char       *member,
                 EscSlaAcceptance *acceptance,
                 GError          **error)
{
  static const char * const known[] = { "name", "at", NULL };
  JsonNode *node = json_object_get_member (object, member);
  JsonObject *inner;
  const char *name;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, member, _("not an object {\"name\", \"at\"}"));
  inner = json_node_get_object (node);
  if (!check_members (inner, known, member, error) ||
      !read_string (inner, "name", member, FALSE, 200, &name, error) ||
      !read_time (inner, "at", &acceptance->at, error))
    return FALSE;
  if (acceptance->at == NULL)
    return fail (error, member, _("has no time"));
  acceptance->name = g_strdup (name);
  return TRUE;
}

static gboolean
read_targets (EscSlaAgreementVersion  *self,
              JsonNode                *node,
              GError                 **error)
{
  static const char * const severities[] = { "A", "B", "C", NULL };
  static const char * const known[] = {
    "first_response_minutes", "update_minutes", "resolution_minutes", "always_open", NULL,
  };
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "targets", _("not an object of severities"));
  object = json_node_get_object (node);
  if (!check_members (object, severities, "targets", error))
    return FALSE;

  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *prefix = g_strconcat ("targets.", severities[s], NULL);
      g_autofree char *open_field = g_strconcat (prefix, ".always_open", NULL);
      JsonNode *member = json_object_get_member (object, severities[s]);
      EscSlaTargets *t = &self->targets[s];
      JsonObject *inner;
      JsonNode *open;

      memset (t, 0, sizeof *t);
      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        continue;
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return fail (error, prefix, _("not an object of targets"));
      inner = json_node_get_object (member);
      if (!check_members (inner, known, prefix, error) ||
          !read_minutes (inner, "first_response_minutes", prefix, &t->first_response_minutes, error) ||
          !read_minutes (inner, "update_minutes", prefix, &t->update_minutes, error) ||
          !read_minutes (inner, "resolution_minutes", prefix, &t->resolution_minutes, error))
        return FALSE;
      open = json_object_get_member (inner, "always_open");
      if (open != NULL && !JSON_NODE_HOLDS_NULL (open))
        {
          if (!JSON_NODE_HOLDS_VALUE (open) || json_node_get_value_type (open) != G_TYPE_BOOLEAN)
            return fail (error, open_field, _("not true or false"));
          t->always_open = json_node_get_boolean (open);
        }
    }
  return TRUE;
}

static gboolean
read_warnings (EscSlaAgreementVersion  *self,
               JsonNode                *node,
               GError                 **error)
{
  static const char * const known[] = { "percent", "notify", NULL };
  guint percents[ESC_SLA_MAX_WARNINGS];
  GStrv notify[ESC_SLA_MAX_WARNINGS] = { NULL };
  JsonArray *array;
  guint n;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "warnings", _("not an array"));
  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n > ESC_SLA_MAX_WARNINGS)
    return fail (error, "warnings", _("more than 8 thresholds"));

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = g_strdup_printf ("warnings[%u]", i);
      g_autofree char *percent_field = g_strconcat (field, ".percent", NULL);
      g_autofree char *notify_field = g_strconcat (field, ".notify", NULL);
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *percent;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        goto failed_object;
      object = json_node_get_object (element);
      percent = json_object_get_member (object, "percent");
      if (!check_members (object, known, field, error))
        goto failed;
      if (percent == NULL || !JSON_NODE_HOLDS_VALUE (percent) ||
          json_node_get_value_type (percent) != G_TYPE_INT64 ||
          json_node_get_int (percent) < 1 || json_node_get_int (percent) > 1000 ||
          (i > 0 && (guint)json_node_get_int (percent) <= percents[i - 1]))
        {
          fail (error, percent_field, _("not a percentage from 1 to 1000, above the one before"));
          goto failed;
        }
      percents[i] = (guint)json_node_get_int (percent);
      if (!read_strv (object, "notify", notify_field, &notify[i], error))
        goto failed;
      if (notify[i] == NULL)
        notify[i] = g_new0 (char *, 1);
      continue;

    failed_object:
      fail (error, field, _("not an object {\"percent\", \"notify\"}"));
    failed:
      for (guint j = 0; j < ESC_SLA_MAX_WARNINGS; j++)
        g_strfreev (notify[j]);
      return FALSE;
    }

  warnings_clear (self);
  for (guint i = 0; i < n; i++)
    {
      self->warnings[i].percent = percents[i];
      self->warnings[i].notify = notify[i];
    }
  self->n_warnings = n;
  return TRUE;
}

/**
 * esc_sla_agreement_version_new_from_json:
 * @node: an SlaAgreementVersion of the v1 API
 * @draft_body: only the terms may be given (what a partner manager writes)
 * @error: return location for a #GError
 *
 * Unknown members are refused; errors name the member ("targets.B.update_minutes").
 *
 * Returns: (transfer full) (nullable): the version, or %NULL with %ESC_CORE_ERROR set
 */
EscSlaAgreementVersion *
esc_sla_agreement_version_new_from_json (JsonNode  *node,
                                         gboolean   draft_body,
                                         GError   **error)
{
  static const char * const terms[] = {
    "title", "calendar_id", "targets", "pause_states", "warnings", "response_rule",
    "response_events", NULL,
  };
  static const char * const all[] = {
    "title", "calendar_id", "targets", "pause_states", "warnings", "response_rule",
    "response_events", "agreement_id", "version", "state", "accepted_by_it_admin",
    "accepted_by_partner_manager", "created_at", "created_by", "agreed_at", "superseded_at",
    "retired_at", "retired_by", NULL,
  };
  g_autoptr(EscSlaAgreementVersion) self = esc_sla_agreement_version_new ();
  g_auto(GStrv) events = NULL;
  g_auto(GStrv) pauses = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *title, *calendar_id, *rule;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, ESC_CORE_ERROR, ESC_CORE_ERROR_INVALID_JSON,
                   _("An SLA agreement version is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!check_members (object, draft_body ? terms : all, "", error) ||
      !read_string (object, "title", "title", TRUE, 200, &title, error) ||
      !read_string (object, "calendar_id", "calendar_id", FALSE, 64, &calendar_id, error) ||
      !read_string (object, "response_rule", "response_rule", TRUE, 4000, &rule, error) ||
      !read_strv (object, "pause_states", "pause_states", &pauses, error) ||
      !read_strv (object, "response_events", "response_events", &events, error))
    return NULL;
  if (*calendar_id == '\0')
    {
      fail (error, "calendar_id", _("empty"));
      return NULL;
    }
  if ((member = json_object_get_member (object, "targets")) == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      fail (error, "targets", _("missing"));
      return NULL;
    }
  if (!read_targets (self, member, error))
    return NULL;
  if ((member = json_object_get_member (object, "warnings")) != NULL && !JSON_NODE_HOLDS_NULL (member) &&
      !read_warnings (self, member, error))
    return NULL;

  if (events != NULL)
    {
      self->response_events = 0;
      for (guint i = 0; events[i] != NULL; i++)
        {
          EscSlaEventKind kind;

          if (!esc_sla_event_kind_from_string (events[i], &kind) ||
              (kind != ESC_SLA_EVENT_RESPONDED && kind != ESC_SLA_EVENT_UPDATED &&
               kind != ESC_SLA_EVENT_PAUSED && kind != ESC_SLA_EVENT_RESOLVED))
            {
              g_autofree char *field = g_strdup_printf ("response_events[%u]", i);

              fail (error, field, _("not one of “responded”, “updated”, “paused”, “resolved”"));
              return NULL;
            }
          self->response_events |= 1u << kind;
        }
      if (self->response_events == 0)
        {
          fail (error, "response_events", _("empty: name at least one event"));
          return NULL;
        }
    }
  if (draft_body)
    {
      guint n;
      const EscSlaWarning *warnings = esc_sla_agreement_version_get_warnings (self, &n);

      for (guint i = 0; pauses != NULL && pauses[i] != NULL; i++)
        {
          if (!esc_sla_pause_state_is_valid (pauses[i]))
            {
              g_autofree char *field = g_strdup_printf ("pause_states[%u]", i);

              fail (error, field, _("not a state name: lower-case words joined by “-”, such as "
                                    "“waiting-on-customer”"));
              return NULL;
            }
          for (guint j = 0; j < i; j++)
            {
              if (g_str_equal (pauses[j], pauses[i]))
                {
                  g_autofree char *field = g_strdup_printf ("pause_states[%u]", i);

                  fail (error, field, _("named twice"));
                  return NULL;
                }
            }
        }
      for (guint w = 0; w < n; w++)
        for (guint i = 0; warnings[w].notify[i] != NULL; i++)
          {
            g_autofree char *field = g_strdup_printf ("warnings[%u].notify[%u]", w, i);

            if (!esc_sla_notify_target_is_valid (warnings[w].notify[i]))
              {
                fail (error, field, _("not “it-admin”, “partner-manager”, “support-staff”, “filer”, "
                                      "“assignee” or an e-mail address"));
                return NULL;
              }
            for (guint j = 0; j < i; j++)
              {
                if (g_str_equal (warnings[w].notify[j], warnings[w].notify[i]))
                  {
                    fail (error, field, _("named twice"));
                    return NULL;
                  }
              }
          }
    }
  if (pauses != NULL)
    {
      g_strfreev (self->pause_states);
      self->pause_states = g_steal_pointer (&pauses);
    }

  g_free (self->title);
  self->title = g_strdup (title != NULL ? title : "");
  self->calendar_id = g_strdup (calendar_id);
  g_free (self->response_rule);
  self->response_rule = g_strdup (rule != NULL ? rule : "");

  if (!draft_body)
    {
      const char *agreement_id, *state, *created_by, *retired_by;
      gint64 version = 0;

      if (!read_string (object, "agreement_id", "agreement_id", TRUE, 64, &agreement_id, error) ||
          !read_string (object, "state", "state", TRUE, 16, &state, error) ||
          !read_string (object, "created_by", "created_by", TRUE, 200, &created_by, error) ||
          !read_string (object, "retired_by", "retired_by", TRUE, 200, &retired_by, error) ||
          !read_acceptance (object, "accepted_by_it_admin", &self->it_admin, error) ||
          !read_acceptance (object, "accepted_by_partner_manager", &self->partner, error) ||
          !read_time (object, "created_at", &self->created_at, error) ||
          !read_time (object, "agreed_at", &self->agreed_at, error) ||
          !read_time (object, "superseded_at", &self->superseded_at, error) ||
          !read_time (object, "retired_at", &self->retired_at, error))
        return NULL;
      if (state != NULL && !esc_sla_version_state_from_string (state, &self->state))
        {
          fail (error, "state", _("not one of “draft”, “agreed”, “superseded”, “retired”"));
          return NULL;
        }
      member = json_object_get_member (object, "version");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        {
          if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_INT64 ||
              (version = json_node_get_int (member)) < 1 || version > G_MAXINT32)
            {
              fail (error, "version", _("not a version number"));
              return NULL;
            }
        }
      self->agreement_id = g_strdup (agreement_id);
      self->version = (guint)version;
      self->created_by = g_strdup (created_by);
      self->retired_by = g_strdup (retired_by);
    }

  return g_steal_pointer (&self);
}

static void
add_time (JsonBuilder *builder,
          const char  *member,
          GDateTime   *time)
{
  json_builder_set_member_name (builder, member);
  if (time == NULL)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = esc_time_format (time);
      json_builder_add_string_value (builder, text);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
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

static void
add_acceptance (JsonBuilder      *builder,
                const char       *member,
                EscSlaAcceptance *a)
{
  json_builder_set_member_name (builder, member);
  if (a->at == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  add_string (builder, "name", a->name);
  add_time (builder, "at", a->at);
  json_builder_end_object (builder);
}

static void
add_terms (EscSlaAgreementVersion *self,
           JsonBuilder            *builder)
{
  static const char * const severities[] = { "A", "B", "C" };

  add_string (builder, "title", self->title);
  add_string (builder, "calendar_id", self->calendar_id);
  json_builder_set_member_name (builder, "targets");
  json_builder_begin_object (builder);
  for (guint s = 0; s < 3; s++)
    {
      json_builder_set_member_name (builder, severities[s]);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "first_response_minutes");
      json_builder_add_int_value (builder, self->targets[s].first_response_minutes);
      json_builder_set_member_name (builder, "update_minutes");
      json_builder_add_int_value (builder, self->targets[s].update_minutes);
      json_builder_set_member_name (builder, "resolution_minutes");
      json_builder_add_int_value (builder, self->targets[s].resolution_minutes);
      json_builder_set_member_name (builder, "always_open");
      json_builder_add_boolean_value (builder, self->targets[s].always_open);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  add_strv (builder, "pause_states", (const char * const *)self->pause_states);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->n_warnings; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "percent");
      json_builder_add_int_value (builder, self->warnings[i].percent);
      add_strv (builder, "notify", (const char * const *)self->warnings[i].notify);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_string (builder, "response_rule", self->response_rule);
  json_builder_set_member_name (builder, "response_events");
  json_builder_begin_array (builder);
  for (guint k = 0; k < G_N_ELEMENTS (event_names); k++)
    {
      if (self->response_events & (1u << k))
        json_builder_add_string_value (builder, event_names[k]);
    }
  json_builder_end_array (builder);
}

JsonNode *
esc_sla_agreement_version_terms_to_json (EscSlaAgreementVersion *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);

  json_builder_begin_object (builder);
  add_terms (self, builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
esc_sla_agreement_version_to_json (EscSlaAgreementVersion *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ESC_IS_SLA_AGREEMENT_VERSION (self), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "agreement_id", self->agreement_id);
  json_builder_set_member_name (builder, "version");
  if (self->version == 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, self->version);
  add_string (builder, "state", state_names[self->state]);
  add_terms (self, builder);
  add_acceptance (builder, "accepted_by_it_admin", &self->it_admin);
  add_acceptance (builder, "accepted_by_partner_manager", &self->partner);
  add_string (builder, "created_by", self->created_by);
  add_time (builder, "created_at", self->created_at);
  add_time (builder, "agreed_at", self->agreed_at);
  add_time (builder, "superseded_at", self->superseded_at);
  add_time (builder, "retired_at", self->retired_at);
  add_string (builder, "retired_by", self->retired_by);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * esc_sla_error_dup_pointer:
 * @error: an error of esc_calendar_new_from_json() or
 *   esc_sla_agreement_version_new_from_json()
 *
 * Those readers name the member at fault first, between quotation marks
 * (“…”, or « … » as the French translation may write them).
 *
 * Returns: (transfer full) (nullable): the member as a JSON pointer
 */
char *
esc_sla_error_dup_pointer (const GError *error)
{
  static const char * const quotes[][2] = { { "“", "”" }, { "« ", " »" }, { "«", "»" } };
  GString *pointer;

  g_return_val_if_fail (error != NULL, NULL);

  for (guint q = 0; q < G_N_ELEMENTS (quotes); q++)
    {
      const char *start = strstr (error->message, quotes[q][0]);
      const char *end;

      if (start == NULL)
        continue;
      start += strlen (quotes[q][0]);
      if ((end = strstr (start, quotes[q][1])) == NULL || end == start)
        continue;

      pointer = g_string_new ("/");
      for (const char *p = start; p < end; p++)
        {
          if (*p == '.' || *p == '[')
            g_string_append_c (pointer, '/');
          else if (*p != ']')
            g_string_append_c (pointer, *p);
        }
      return g_string_free (pointer, FALSE);
    }

  return NULL;
}
