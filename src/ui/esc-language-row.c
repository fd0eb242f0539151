/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <string.h>

#include "esc-language-row.h"

/* Shared by the New Request form and the Edit Request dialog, so a contact's
 * language is chosen the same way in both. The row's model holds the names;
 * a tag the list does not have is one more item, its text the tag itself: the
 * selection alone says which tag is chosen. */

/* The languages the contact may choose, each by its own name, as their BCP 47
 * primary tag (the wire's "language") */
static const struct
{
  const char *code;
  const char *name;
} languages[] = {
  { "cs", "Čeština" }, { "da", "Dansk" }, { "de", "Deutsch" }, { "en", "English" },
  { "es", "Español" }, { "fr", "Français" }, { "it", "Italiano" }, { "nl", "Nederlands" },
  { "nb", "Norsk bokmål" }, { "pl", "Polski" }, { "pt", "Português" }, { "fi", "Suomi" },
  { "sv", "Svenska" }, { "tr", "Türkçe" }, { "ru", "Русский" }, { "ja", "日本語" },
  { "zh", "中文" }, { "ko", "한국어" },
};

/**
 * esc_language_row_setup:
 * @row: a combo row
 *
 * Gives @row the list of languages, none of them extra.
 */
void
esc_language_row_setup (AdwComboRow *row)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_string_list_append (names, languages[i].name);
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
}

/**
 * esc_language_row_select:
 * @row: a combo row set up with esc_language_row_setup()
 * @tag: (nullable): a language tag such as "fr", "fr-FR" or "fr_FR"
 *
 * Selects the language of @tag (by its primary subtag) if the list has it;
 * otherwise shows @tag last, as it came, in place of an earlier such tag, and
 * selects it. Nothing changes for %NULL or "".
 */
void
esc_language_row_select (AdwComboRow *row,
                         const char  *tag)
{
  GtkStringList *names;
  g_autofree char *primary = NULL;
  const char *extra[] = { tag, NULL };

  g_return_if_fail (ADW_IS_COMBO_ROW (row));
  names = GTK_STRING_LIST (adw_combo_row_get_model (row));
  g_return_if_fail (names != NULL);

  if (tag == NULL || *tag == '\0')
    return;

  primary = g_strndup (tag, strcspn (tag, "-_.@"));
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      if (g_ascii_strcasecmp (primary, languages[i].code) == 0)
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }

  gtk_string_list_splice (names, G_N_ELEMENTS (languages),
                          g_list_model_get_n_items (G_LIST_MODEL (names)) - G_N_ELEMENTS (languages),
                          extra);
  adw_combo_row_set_selected (row, G_N_ELEMENTS (languages));
}

/**
 * esc_language_row_get_tag:
 * @row: a combo row set up with esc_language_row_setup()
 *
 * Returns: (nullable): the wire's tag of the language selected: a primary tag
 *   of the list, or the extra tag as it came; %NULL if none is selected
 */
const char *
esc_language_row_get_tag (AdwComboRow *row)
{
  guint i;
  GListModel *names;

  g_return_val_if_fail (ADW_IS_COMBO_ROW (row), NULL);

  i = adw_combo_row_get_selected (row);
  if (i < G_N_ELEMENTS (languages))
    return languages[i].code;

  names = adw_combo_row_get_model (row);
  if (names == NULL || i == GTK_INVALID_LIST_POSITION || i >= g_list_model_get_n_items (names))
    return NULL;

  return gtk_string_list_get_string (GTK_STRING_LIST (names), i);
}
