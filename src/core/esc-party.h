/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ESC_TYPE_PARTY (esc_party_get_type ())

G_DECLARE_FINAL_TYPE (EscParty, esc_party, ESC, PARTY, GObject)

EscParty           *esc_party_new                  (const char         *id,
                                                    const char         *name,
                                                    const char         *summary,
                                                    const char * const *responsibilities);
const char         *esc_party_get_id               (EscParty           *self);
const char         *esc_party_get_name             (EscParty           *self);
const char         *esc_party_get_summary          (EscParty           *self);
const char * const *esc_party_get_responsibilities (EscParty           *self);
char               *esc_party_dup_responsibilities_text (EscParty      *self);

G_END_DECLS
