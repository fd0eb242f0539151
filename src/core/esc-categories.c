/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-categories.h"

/* The categories of support requests and their subcategories, as the New
 * request form offers them. The slugs are what the service stores; the
 * routing hint of each subcategory feeds the "Where does this go?" step
 * (esc_routing_route()), following the source: what the service deployed goes
 * to its operations team (including the planned network, proxy, VPN,
 * certificate and identity-sync changes that are requests for information),
 * hardware goes to the vendor, the rest to the existing support channel. */

#define SUB(id, label, routing) { id, label, ESC_CATEGORY_ROUTING_##routing }

static const EscSubcategory devices[] = {
  SUB ("configuration-policy", NC_("category", "Configuration policy"), SERVICE),
  SUB ("bitlocker", NC_("category", "BitLocker"), SERVICE),
  SUB ("enrollment", NC_("category", "Enrolment"), SERVICE),
  SUB ("performance", NC_("category", "Performance"), OTHER),
  SUB ("printers", NC_("category", "Printers and peripherals"), OTHER),
  SUB ("hardware-failure", NC_("category", "Hardware failure (screen, keyboard, battery…)"), HARDWARE),
  SUB ("firmware", NC_("category", "Firmware and hardware drivers"), HARDWARE),
};

static const EscSubcategory apps[] = {
  SUB ("microsoft-365-apps", NC_("category", "Microsoft 365 apps"), SERVICE),
  SUB ("app-packaging", NC_("category", "App packaging and deployment"), SERVICE),
  SUB ("line-of-business", NC_("category", "Line-of-business app"), OTHER),
};

static const EscSubcategory network[] = {
  SUB ("vpn", NC_("category", "VPN"), SERVICE),
  SUB ("proxy", NC_("category", "Proxy"), SERVICE),
  SUB ("certificates", NC_("category", "Certificates"), SERVICE),
  SUB ("wi-fi", NC_("category", "Wi-Fi and local network"), OTHER),
};

static const EscSubcategory identity[] = {
  SUB ("sync", NC_("category", "Identity sync"), SERVICE),
  SUB ("sign-in", NC_("category", "Sign-in and accounts"), OTHER),
};

static const EscSubcategory security[] = {
  SUB ("defender", NC_("category", "Threat protection"), SERVICE),
  SUB ("security-baseline", NC_("category", "Security baseline"), SERVICE),
};

static const EscSubcategory updates[] = {
  SUB ("update-groups", NC_("category", "Update groups"), SERVICE),
  SUB ("feature-update", NC_("category", "Feature updates"), SERVICE),
  SUB ("quality-update", NC_("category", "Monthly quality updates"), SERVICE),
};

static const EscSubcategory browser[] = {
  SUB ("edge", NC_("category", "Microsoft Edge"), SERVICE),
  SUB ("other-browser", NC_("category", "Other browser"), OTHER),
};

static const EscSubcategory other[] = {
  SUB ("question", NC_("category", "Question about the service"), SERVICE),
  SUB ("other", NC_("category", "Something else"), OTHER),
};

#undef SUB

#define CATEGORY(id, label, subs) { id, label, subs, G_N_ELEMENTS (subs) }

static const EscCategory categories[] = {
  CATEGORY ("devices", NC_("category", "Devices"), devices),
  CATEGORY ("apps", NC_("category", "Apps"), apps),
  CATEGORY ("network", NC_("category", "Network"), network),
  CATEGORY ("identity", NC_("category", "Identity"), identity),
  CATEGORY ("security", NC_("category", "Security"), security),
  CATEGORY ("updates", NC_("category", "Updates"), updates),
  CATEGORY ("browser", NC_("category", "Browser"), browser),
  CATEGORY ("other", NC_("category", "Other"), other),
};

#undef CATEGORY

/**
 * esc_categories_get:
 * @n_categories: (out): the number of categories
 *
 * Returns: (transfer none) (array length=n_categories): the categories
 */
const EscCategory *
esc_categories_get (guint *n_categories)
{
  g_return_val_if_fail (n_categories != NULL, NULL);

  *n_categories = G_N_ELEMENTS (categories);
  return categories;
}

const EscCategory *
esc_categories_lookup (const char *category)
{
  if (category == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      if (g_str_equal (categories[i].id, category))
        return &categories[i];
    }

  return NULL;
}

const EscSubcategory *
esc_category_lookup_subcategory (const EscCategory *category,
                                 const char        *subcategory)
{
  if (category == NULL || subcategory == NULL)
    return NULL;

  for (guint i = 0; i < category->n_subcategories; i++)
    {
      if (g_str_equal (category->subcategories[i].id, subcategory))
        return &category->subcategories[i];
    }

  return NULL;
}

const char *
esc_category_get_label (const EscCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, "category", category->label);
}

const char *
esc_subcategory_get_label (const EscSubcategory *subcategory)
{
  g_return_val_if_fail (subcategory != NULL, NULL);

  return g_dpgettext2 (GETTEXT_PACKAGE, "category", subcategory->label);
}

/**
 * esc_categories_get_label:
 * @category: a category slug
 *
 * Returns: (transfer none): its translated label, or @category itself if it
 *   is not one of ours (a newer service may have more)
 */
const char *
esc_categories_get_label (const char *category)
{
  const EscCategory *found = esc_categories_lookup (category);

  return found != NULL ? esc_category_get_label (found) : category;
}

/**
 * esc_categories_get_subcategory_label:
 * @category: a category slug
 * @subcategory: a subcategory slug
 *
 * Returns: (transfer none): its translated label, or @subcategory itself
 */
const char *
esc_categories_get_subcategory_label (const char *category,
                                      const char *subcategory)
{
  const EscSubcategory *found;

  found = esc_category_lookup_subcategory (esc_categories_lookup (category), subcategory);

  return found != NULL ? esc_subcategory_get_label (found) : subcategory;
}

void
esc_subcategory_get_problem_facts (const EscSubcategory *subcategory,
                                   EscProblemFacts      *facts)
{
  g_return_if_fail (subcategory != NULL);
  g_return_if_fail (facts != NULL);

  facts->hardware_fault = subcategory->routing == ESC_CATEGORY_ROUTING_HARDWARE;
  facts->deployed_by_service = subcategory->routing == ESC_CATEGORY_ROUTING_SERVICE;
}

/**
 * esc_categories_get_problem_facts:
 * @category: a category slug
 * @subcategory: a subcategory slug
 * @facts: (out caller-allocates): what the hint says
 *
 * Returns: %TRUE if the pair is known; else @facts say "neither hardware nor
 *   deployed by the service" (the existing channel)
 */
gboolean
esc_categories_get_problem_facts (const char      *category,
                                  const char      *subcategory,
                                  EscProblemFacts *facts)
{
  const EscSubcategory *found;

  g_return_val_if_fail (facts != NULL, FALSE);

  found = esc_category_lookup_subcategory (esc_categories_lookup (category), subcategory);
  if (found == NULL)
    {
      facts->hardware_fault = FALSE;
      facts->deployed_by_service = FALSE;
      return FALSE;
    }

  esc_subcategory_get_problem_facts (found, facts);
  return TRUE;
}
