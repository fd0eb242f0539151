/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-responsibility.h"

/* One line of the roles matrix: what is to be done, the party it belongs to,
 * the areas it covers (kept as a list: the support provider's last duty names
 * six of them) and each party's part in it (RACI). Unlike the seed objects it
 * is mutable: the UI edits a copy and hands it to the store. */
struct _EscResponsibility
{
  GObject     parent_instance;

  gint64      id;
  char       *party_id;
  char       *text;
  GStrv       areas;
  /* party id -> EscRaci, in the order set */
  GPtrArray  *raci_parties;
  GArray     *raci_values;
};

G_DEFINE_FINAL_TYPE (EscResponsibility, esc_responsibility, G_TYPE_OBJECT)

static const char * const raci_letters[] = {
  [ESC_RACI_NONE] = "",
  [ESC_RACI_RESPONSIBLE] = "R",
  [ESC_RACI_ACCOUNTABLE] = "A",
  [ESC_RACI_CONSULTED] = "C",
  [ESC_RACI_INFORMED] = "I",
};

const char *
esc_raci_to_letter (EscRaci raci)
{
  g_return_val_if_fail (raci <= ESC_RACI_INFORMED, "");
  return raci_letters[raci];
}

/**
 * esc_raci_from_letter:
 * @letter: "R", "A", "C", "I" (either case) or "" for none
 * @raci: (out) (optional): the value
 *
 * Returns: %TRUE if @letter is one of these
 */
gboolean
esc_raci_from_letter (const char *letter,
                      EscRaci    *raci)
{
  if (letter == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (raci_letters); i++)
    {
      if (g_ascii_strcasecmp (letter, raci_letters[i]) == 0)
        {
          if (raci != NULL)
            *raci = (EscRaci)i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * esc_raci_get_label:
 * @raci: a value
 *
 * Returns: the translated name of @raci, e.g. “Responsible”
 */
const char *
esc_raci_get_label (EscRaci raci)
{
  switch (raci)
    {
    case ESC_RACI_RESPONSIBLE:
      /* Translators: RACI: the party that does the work */
      return C_("raci", "Responsible");
    case ESC_RACI_ACCOUNTABLE:
      /* Translators: RACI: the party that answers for the work */
      return C_("raci", "Accountable");
    case ESC_RACI_CONSULTED:
      return C_("raci", "Consulted");
    case ESC_RACI_INFORMED:
      return C_("raci", "Informed");
    case ESC_RACI_NONE:
    default:
      /* Translators: RACI: the party has no part in this responsibility */
      return C_("raci", "No part");
    }
}

static void
esc_responsibility_finalize (GObject *object)
{
  EscResponsibility *self = (EscResponsibility *)object;

  g_clear_pointer (&self->party_id, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->areas, g_strfreev);
  g_clear_pointer (&self->raci_parties, g_ptr_array_unref);
  g_clear_pointer (&self->raci_values, g_array_unref);

  G_OBJECT_CLASS (esc_responsibility_parent_class)->finalize (object);
}

static void
esc_responsibility_class_init (EscResponsibilityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = esc_responsibility_finalize;
}

static void
esc_responsibility_init (EscResponsibility *self)
{
  self->raci_parties = g_ptr_array_new_with_free_func (g_free);
  self->raci_values = g_array_new (FALSE, FALSE, sizeof (EscRaci));
  self->areas = g_new0 (char *, 1);
}

/**
 * esc_responsibility_new:
 * @id: the workspace's id of the row, or 0 for a new one
 * @party_id: the party it belongs to
 * @text: what is to be done
 * @areas: (nullable) (array zero-terminated=1): the areas it covers, in order
 *
 * Returns: (transfer full): a new responsibility with no RACI marks
 */
EscResponsibility *
esc_responsibility_new (gint64              id,
                        const char         *party_id,
                        const char         *text,
                        const char * const *areas)
{
  EscResponsibility *self;

  g_return_val_if_fail (party_id != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (ESC_TYPE_RESPONSIBILITY, NULL);
  self->id = id;
  self->party_id = g_strdup (party_id);
  self->text = g_strdup (text);
  esc_responsibility_set_areas (self, areas);

  return self;
}

/**
 * esc_responsibility_copy:
 * @self: a #EscResponsibility
 *
 * Returns: (transfer full): an independent copy, to edit
 */
EscResponsibility *
esc_responsibility_copy (EscResponsibility *self)
{
  EscResponsibility *copy;

  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), NULL);

  copy = esc_responsibility_new (self->id, self->party_id, self->text,
                                 (const char * const *)self->areas);
  for (guint i = 0; i < self->raci_parties->len; i++)
    esc_responsibility_set_raci (copy, g_ptr_array_index (self->raci_parties, i),
                                 g_array_index (self->raci_values, EscRaci, i));

  return copy;
}

/**
 * esc_responsibility_equal:
 * @a: a #EscResponsibility
 * @b: another
 *
 * Returns: whether both say the same (party, text, areas, RACI), ids aside
 */
gboolean
esc_responsibility_equal (EscResponsibility *a,
                          EscResponsibility *b)
{
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (a), FALSE);
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (b), FALSE);

  if (g_strcmp0 (a->party_id, b->party_id) != 0 || g_strcmp0 (a->text, b->text) != 0 ||
      !g_strv_equal ((const char * const *)a->areas, (const char * const *)b->areas))
    return FALSE;

  for (guint i = 0; i < a->raci_parties->len; i++)
    {
      const char *party = g_ptr_array_index (a->raci_parties, i);

      if (esc_responsibility_get_raci (b, party) != g_array_index (a->raci_values, EscRaci, i))
        return FALSE;
    }
  for (guint i = 0; i < b->raci_parties->len; i++)
    {
      const char *party = g_ptr_array_index (b->raci_parties, i);

      if (esc_responsibility_get_raci (a, party) != g_array_index (b->raci_values, EscRaci, i))
        return FALSE;
    }

  return TRUE;
}

gint64
esc_responsibility_get_id (EscResponsibility *self)
{
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), 0);
  return self->id;
}

void
esc_responsibility_set_id (EscResponsibility *self,
                           gint64             id)
{
  g_return_if_fail (ESC_IS_RESPONSIBILITY (self));
  self->id = id;
}

const char *
esc_responsibility_get_party_id (EscResponsibility *self)
{
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), NULL);
  return self->party_id;
}

void
esc_responsibility_set_party_id (EscResponsibility *self,
                                 const char        *party_id)
{
  g_return_if_fail (ESC_IS_RESPONSIBILITY (self));
  g_return_if_fail (party_id != NULL);

  g_free (self->party_id);
  self->party_id = g_strdup (party_id);
}

const char *
esc_responsibility_get_text (EscResponsibility *self)
{
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), NULL);
  return self->text;
}

void
esc_responsibility_set_text (EscResponsibility *self,
                             const char        *text)
{
  g_return_if_fail (ESC_IS_RESPONSIBILITY (self));
  g_return_if_fail (text != NULL);

  g_free (self->text);
  self->text = g_strdup (text);
}

const char * const *
esc_responsibility_get_areas (EscResponsibility *self)
{
  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), NULL);
  return (const char * const *)self->areas;
}

void
esc_responsibility_set_areas (EscResponsibility  *self,
                              const char * const *areas)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (ESC_IS_RESPONSIBILITY (self));

  g_strfreev (self->areas);
  self->areas = g_strdupv ((char **)(areas != NULL ? areas : none));
}

EscRaci
esc_responsibility_get_raci (EscResponsibility *self,
                             const char        *party_id)
{
  guint index;

  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), ESC_RACI_NONE);
  g_return_val_if_fail (party_id != NULL, ESC_RACI_NONE);

  if (g_ptr_array_find_with_equal_func (self->raci_parties, party_id, g_str_equal, &index))
    return g_array_index (self->raci_values, EscRaci, index);

  return ESC_RACI_NONE;
}

void
esc_responsibility_set_raci (EscResponsibility *self,
                             const char        *party_id,
                             EscRaci            raci)
{
  guint index;

  g_return_if_fail (ESC_IS_RESPONSIBILITY (self));
  g_return_if_fail (party_id != NULL);
  g_return_if_fail (raci <= ESC_RACI_INFORMED);

  if (g_ptr_array_find_with_equal_func (self->raci_parties, party_id, g_str_equal, &index))
    {
      g_ptr_array_remove_index (self->raci_parties, index);
      g_array_remove_index (self->raci_values, index);
    }

  if (raci == ESC_RACI_NONE)
    return;

  g_ptr_array_add (self->raci_parties, g_strdup (party_id));
  g_array_append_val (self->raci_values, raci);
}

GStrv
esc_responsibility_dup_raci_parties (EscResponsibility *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ESC_IS_RESPONSIBILITY (self), NULL);

  for (guint i = 0; i < self->raci_parties->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->raci_parties, i));

  return g_strv_builder_end (builder);
}
