/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "esc-routing.h"

G_BEGIN_DECLS

/**
 * EscCategoryRouting:
 * @ESC_CATEGORY_ROUTING_SERVICE: usually something the service deployed (a
 *   policy, a setting, an app): its operations team
 * @ESC_CATEGORY_ROUTING_HARDWARE: usually the device's hardware: the vendor or OEM
 * @ESC_CATEGORY_ROUTING_OTHER: usually neither: the existing support channel
 *
 * The routing hint of a subcategory: what the New request form assumes about
 * the problem until the user says otherwise.
 */
typedef enum
{
  ESC_CATEGORY_ROUTING_SERVICE,
  ESC_CATEGORY_ROUTING_HARDWARE,
  ESC_CATEGORY_ROUTING_OTHER,
} EscCategoryRouting;

typedef struct
{
  const char         *id;       /* the wire slug, e.g. "configuration-policy" */
  const char         *label;    /* untranslated: use esc_subcategory_get_label() */
  EscCategoryRouting  routing;
} EscSubcategory;

typedef struct
{
  const char           *id;     /* the wire slug, e.g. "devices" */
  const char           *label;  /* untranslated: use esc_category_get_label() */
  const EscSubcategory *subcategories;
  guint                 n_subcategories;
} EscCategory;

/* The request categories, in the order the form lists them (static data). */
const EscCategory    *esc_categories_get                 (guint                *n_categories);
/* (nullable): the category or subcategory with that slug */
const EscCategory    *esc_categories_lookup              (const char           *category);
const EscSubcategory *esc_category_lookup_subcategory    (const EscCategory    *category,
                                                          const char           *subcategory);
/* Translated labels */
const char           *esc_category_get_label             (const EscCategory    *category);
const char           *esc_subcategory_get_label          (const EscSubcategory *subcategory);
/* Translated labels for slugs of a request; an unknown slug is its own label */
const char           *esc_categories_get_label           (const char           *category);
const char           *esc_categories_get_subcategory_label (const char         *category,
                                                          const char           *subcategory);

/* What the hint says about the problem, for esc_routing_route(). */
void                  esc_subcategory_get_problem_facts  (const EscSubcategory *subcategory,
                                                          EscProblemFacts      *facts);
/* The same for slugs; FALSE (and facts of "other") when unknown */
gboolean              esc_categories_get_problem_facts   (const char           *category,
                                                          const char           *subcategory,
                                                          EscProblemFacts      *facts);

G_END_DECLS
