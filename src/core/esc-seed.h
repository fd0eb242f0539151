/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-party.h"
#include "esc-responsibility.h"
#include "esc-routing-rule.h"
#include "esc-severity.h"

G_BEGIN_DECLS

/* The version of the seed documents this build reads: {"version": 1, "items": [...]}. */
#define ESC_SEED_VERSION 1

/**
 * EscSeedTranslateFunc:
 * @msgid: an English string of the seed, never %NULL nor empty
 * @user_data: the data given to the parser
 *
 * Translates one seeded string. The store passes a function calling g_dgettext(),
 * so that core stays free of any locale or I/O.
 *
 * Returns: (transfer none): the translation, or @msgid
 */
typedef const char *(*EscSeedTranslateFunc) (const char *msgid,
                                             gpointer    user_data);

GPtrArray *esc_seed_parse_parties       (GBytes                *json,
                                         EscSeedTranslateFunc   translate,
                                         gpointer               user_data,
                                         GError               **error);
GPtrArray *esc_seed_parse_responsibilities (GBytes          *json,
                                            EscSeedTranslateFunc translate,
                                            gpointer         user_data,
                                            GError         **error);
GPtrArray *esc_seed_parse_routing_rules (GBytes                *json,
                                         EscSeedTranslateFunc   translate,
                                         gpointer               user_data,
                                         GError               **error);
GPtrArray *esc_seed_parse_severities    (GBytes                *json,
                                         EscSeedTranslateFunc   translate,
                                         gpointer               user_data,
                                         GError               **error);

G_END_DECLS
