/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * EscRaci:
 * @ESC_RACI_NONE: the party has no part in it
 * @ESC_RACI_RESPONSIBLE: the party does the work (R)
 * @ESC_RACI_ACCOUNTABLE: the party answers for it (A)
 * @ESC_RACI_CONSULTED: the party is asked before (C)
 * @ESC_RACI_INFORMED: the party is told after (I)
 *
 * A party's part in one responsibility. Stored and exported as its letter.
 */
typedef enum
{
  ESC_RACI_NONE,
  ESC_RACI_RESPONSIBLE,
  ESC_RACI_ACCOUNTABLE,
  ESC_RACI_CONSULTED,
  ESC_RACI_INFORMED,
} EscRaci;

const char *esc_raci_to_letter   (EscRaci     raci);
gboolean    esc_raci_from_letter (const char *letter,
                                  EscRaci    *raci);
const char *esc_raci_get_label   (EscRaci     raci);

#define ESC_TYPE_RESPONSIBILITY (esc_responsibility_get_type ())

G_DECLARE_FINAL_TYPE (EscResponsibility, esc_responsibility, ESC, RESPONSIBILITY, GObject)

EscResponsibility  *esc_responsibility_new            (gint64              id,
                                                       const char         *party_id,
                                                       const char         *text,
                                                       const char * const *areas);
EscResponsibility  *esc_responsibility_copy           (EscResponsibility  *self);
gboolean            esc_responsibility_equal          (EscResponsibility  *a,
                                                       EscResponsibility  *b);

gint64              esc_responsibility_get_id         (EscResponsibility  *self);
void                esc_responsibility_set_id         (EscResponsibility  *self,
                                                       gint64              id);
const char         *esc_responsibility_get_party_id   (EscResponsibility  *self);
void                esc_responsibility_set_party_id   (EscResponsibility  *self,
                                                       const char         *party_id);
const char         *esc_responsibility_get_text       (EscResponsibility  *self);
void                esc_responsibility_set_text       (EscResponsibility  *self,
                                                       const char         *text);
const char * const *esc_responsibility_get_areas      (EscResponsibility  *self);
void                esc_responsibility_set_areas      (EscResponsibility  *self,
                                                       const char * const *areas);
EscRaci             esc_responsibility_get_raci       (EscResponsibility  *self,
                                                       const char         *party_id);
void                esc_responsibility_set_raci       (EscResponsibility  *self,
                                                       const char         *party_id,
                                                       EscRaci             raci);
/* (transfer full): the parties that have a part, in the order they were set */
GStrv               esc_responsibility_dup_raci_parties (EscResponsibility *self);

G_END_DECLS
