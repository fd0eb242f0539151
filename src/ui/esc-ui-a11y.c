/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "esc-ui-private.h"

/* GTK < 4.10 names a button with a mnemonic twice, the second time with its
 * underscore ("_Mine Mine": its label, then the label widget that labels it),
 * and an icon button by its image alone, which a screen reader announces as
 * "GtkImage". These give them the one name a person would say; tooltips stay
 * their descriptions. */

/* "_Mine" → "Mine" ("__" is an underscore; "_" alone marks the mnemonic) */
static char *
without_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        g_string_append_c (out, *++p);
      else if (*p != '_')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* "_Mine" → "Mine"; "Bring In Changes From the Service (F5)" → "Bring In
 * Changes From the Service" (the shortcut is in the description already) */
char *
esc_ui_spoken_name (const char *text,
                    gboolean    use_underline)
{
  g_autofree char *name = use_underline ? without_mnemonic (text) : g_strdup (text);
  char *hint;

  hint = g_strrstr (name, " (");
  if (hint != NULL && g_str_has_suffix (hint, ")"))
    *hint = '\0';

  return g_strstrip (g_steal_pointer (&name));
}

static void expose_entry_row   (GtkWidget *row);
static void unname_control_row (GtkWidget *row);

static void
name_button (GtkWidget *button)
{
  const char *label = gtk_button_get_label (GTK_BUTTON (button));
  GtkWidget *child = gtk_button_get_child (GTK_BUTTON (button));
  g_autofree char *name = NULL;

  if (label != NULL && gtk_button_get_use_underline (GTK_BUTTON (button)))
    name = esc_ui_spoken_name (label, TRUE);
  else if (label == NULL && GTK_IS_IMAGE (child) && gtk_widget_get_tooltip_text (button) != NULL)
    name = esc_ui_spoken_name (gtk_widget_get_tooltip_text (button), FALSE);

  if (name == NULL || *name == '\0')
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
name_menu_button (GtkWidget *button)
{
  const char *label = gtk_menu_button_get_label (GTK_MENU_BUTTON (button));
  const char *tooltip = gtk_widget_get_tooltip_text (button);
  g_autofree char *name = NULL;

  if (label != NULL)
    name = esc_ui_spoken_name (label, gtk_menu_button_get_use_underline (GTK_MENU_BUTTON (button)));
  else if (tooltip != NULL)
    name = esc_ui_spoken_name (tooltip, FALSE);

  /* Its own button is labelled by it */
  if (name != NULL && *name != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/**
 * esc_ui_set_name:
 * @widget: a control
 * @name: what a screen reader says for it
 *
 * Names @widget for good: esc_ui_name_controls() leaves it as it is.
 */
void
esc_ui_set_name (GtkWidget  *widget,
                 const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_object_set_data (G_OBJECT (widget), "esc-named", GINT_TO_POINTER (TRUE));
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  if (GTK_IS_BUTTON (widget))
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/**
 * esc_ui_name_controls:
 * @root: a widget
 *
 * Names the buttons and menu buttons of @root's tree as a person says them
 * (see above), puts the text of its entry rows in the accessibility tree and
 * names a switch or check button once, not also its row (see below). Call it
 * once the tree is built, before it is shown, and again for a button whose
 * label changes.
 */
void
esc_ui_name_controls (GtkWidget *root)
{
  gboolean named;

  g_return_if_fail (GTK_IS_WIDGET (root));

  named = g_object_get_data (G_OBJECT (root), "esc-named") != NULL;
  if (GTK_IS_MENU_BUTTON (root))
    {
      if (!named)
        name_menu_button (root);
      /* Its own button is named through it */
      return;
    }

  if (GTK_IS_BUTTON (root) && !named)
    name_button (root);
  else if (ADW_IS_ENTRY_ROW (root))
    expose_entry_row (root);
  else if (ADW_IS_ACTION_ROW (root))
    unname_control_row (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    esc_ui_name_controls (child);
}

/**
 * esc_ui_name_list_item:
 * @list_item: a list item with its child set
 * @levels: how many parents up from the child the row widget is
 * @name: (nullable): what the item says, e.g. "SR-000123, Printer driver blocked, New"
 *
 * GTK < 4.12 has no gtk_list_item_set_accessible_label(): names the row
 * widget that a screen reader reads: the child's parent in a list view (1), its
 * grandparent for a column view's cell (2).
 */
void
esc_ui_name_list_item (GtkListItem *list_item,
                       guint        levels,
                       const char  *name)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);

  for (guint i = 0; i < levels && row != NULL; i++)
    row = gtk_widget_get_parent (row);
  if (row == NULL)
    return;

  if (name != NULL && *name != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* A combo row's values: a label, and the item named by it */
static void
setup_value_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_value_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  gpointer item = gtk_list_item_get_item (list_item);
  const char *text = GTK_IS_STRING_OBJECT (item) ? gtk_string_object_get_string (item) : NULL;

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
  esc_ui_name_list_item (list_item, 1, text);
}

/**
 * esc_ui_combo_row_name_values:
 * @row: a combo row of strings (a #GtkStringList)
 *
 * Shows the values of @row as its default factory does, each named by its
 * text: the value shown in the row and those of its list.
 */
void
esc_ui_combo_row_name_values (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_value_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_value_cb), NULL);
  adw_combo_row_set_factory (row, factory);
}

/**
 * esc_ui_drop_down_name_values:
 * @drop_down: a drop-down of strings (a #GtkStringList)
 * @name: what a screen reader says for the drop-down, e.g. "Role"
 *
 * As esc_ui_combo_row_name_values() for a #GtkDropDown; GTK 4.8 also leaves
 * the button that opens its list unnamed: it is named @name.
 */
void
esc_ui_drop_down_name_values (GtkDropDown *drop_down,
                              const char  *name)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (drop_down));

  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_value_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_value_cb), NULL);
  gtk_drop_down_set_factory (drop_down, factory);
  if (GTK_IS_BUTTON (button))
    esc_ui_set_name (button, name);
}

/* Column headers ------------------------------------------------------------------- */

static GtkColumnViewColumn *
title_column (GtkColumnView *view,
              GtkWidget     *title)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  GtkWidget *header = gtk_widget_get_parent (title);
  guint index = 0;

  /* The header has a title for each visible column, in order */
  for (GtkWidget *child = gtk_widget_get_first_child (header); child != title;
       child = gtk_widget_get_next_sibling (child))
    index++;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (!gtk_column_view_column_get_visible (column))
        continue;
      if (index-- == 0)
        return g_steal_pointer (&column);
    }

  return NULL;
}

/* Return or Space on a heading sorts by its column, as a click does */
static gboolean
title_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      GtkColumnView         *view)
{
  GtkWidget *title = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  g_autoptr(GtkColumnViewColumn) column = NULL;
  GtkColumnViewColumn *last;
  gboolean descending;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_space &&
      keyval != GDK_KEY_KP_Space)
    return GDK_EVENT_PROPAGATE;

  column = title_column (view, title);
  if (column == NULL || gtk_column_view_column_get_sorter (column) == NULL)
    return GDK_EVENT_PROPAGATE;

  /* GTK < 4.10 does not say how the view sorts: the second press on a heading sorts the other way */
  last = g_object_get_data (G_OBJECT (view), "esc-keyboard-sort-column");
  descending = last == column && !GPOINTER_TO_INT (g_object_get_data (G_OBJECT (view), "esc-keyboard-sort-descending"));
  g_object_set_data (G_OBJECT (view), "esc-keyboard-sort-column", column);
  g_object_set_data (G_OBJECT (view), "esc-keyboard-sort-descending", GINT_TO_POINTER (descending));
  gtk_column_view_sort_by_column (view, column, descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);

  return GDK_EVENT_STOP;
}

/**
 * esc_ui_name_column_headers:
 * @view: a column view with its columns
 *
 * GTK < 4.10 leaves a column view's headings unnamed and out of the Tab
 * order: names each by its column's title, and makes those of sortable
 * columns Tab stops that sort on Return or Space.
 */
void
esc_ui_name_column_headers (GtkColumnView *view)
{
  GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (view));

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));

  if (header == NULL)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (header), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Column headings"), -1);
  /* GTK 4.8 keeps the focus out of the headings' row (it cannot take it); the headings take it,
   * the row itself is no Tab stop */
  gtk_widget_set_can_focus (header, TRUE);
  gtk_widget_set_focusable (header, FALSE);

  for (GtkWidget *title = gtk_widget_get_first_child (header);
       title != NULL;
       title = gtk_widget_get_next_sibling (title))
    {
      g_autoptr(GtkColumnViewColumn) column = title_column (view, title);
      GtkEventController *keys;

      if (column == NULL || g_object_get_data (G_OBJECT (title), "esc-named") != NULL)
        continue;

      g_object_set_data (G_OBJECT (title), "esc-named", GINT_TO_POINTER (TRUE));
      gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_column_view_column_get_title (column), -1);
      if (gtk_column_view_column_get_sorter (column) == NULL)
        continue;

      gtk_widget_set_focusable (title, TRUE);
      keys = gtk_event_controller_key_new ();
      g_signal_connect_object (keys, "key-pressed", G_CALLBACK (title_key_pressed_cb), view, 0);
      gtk_widget_add_controller (title, keys);
    }
}

/* Fields and switches --------------------------------------------------------------- */

static void
name_entry_text_cb (AdwPreferencesRow *row,
                    GParamSpec        *pspec,
                    GtkWidget         *text)
{
  const char *title = adw_preferences_row_get_title (row);
  /* All of the title: "Language (such as “en” or “fr-FR”)" */
  g_autofree char *name = adw_preferences_row_get_use_underline (row) ? without_mnemonic (title) : g_strdup (title);

  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* GTK < 4.10 does not report the focus of an entry row's text to the row: the text takes the
 * focus but has no role, so it is missing from the accessibility tree, and the row, a text box in
 * the tree, never has the focus. The text becomes the text box, named by the row's title; the row
 * an unnamed group around it (one name per field): the focus says the field's title, required
 * and invalid. GTK 4.8 still reads the typed text through the row only (its Text interface).
 * Before the row is realized only: a role cannot change once GTK has shown it to assistive
 * technologies. */
static void
expose_entry_row (GtkWidget *row)
{
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (row)));

  if (g_object_get_data (G_OBJECT (row), "esc-field") != NULL)
    return;
  if (gtk_check_version (4, 10, 0) == NULL || !GTK_IS_TEXT (text) || gtk_widget_get_realized (row) ||
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (text)) != GTK_ACCESSIBLE_ROLE_NONE)
    return;

  g_object_set_data (G_OBJECT (row), "esc-field", text);
  g_object_set (text, "accessible-role", GTK_ACCESSIBLE_ROLE_TEXT_BOX, NULL);
  g_object_set (row, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP, NULL);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  g_signal_connect_object (row, "notify::title", G_CALLBACK (name_entry_text_cb), text, 0);
  g_signal_connect_object (row, "notify::use-underline", G_CALLBACK (name_entry_text_cb), text, 0);
  name_entry_text_cb (ADW_PREFERENCES_ROW (row), NULL, text);
}

/* An action row whose switch or check button is its one Tab stop: GTK and libadwaita name and
 * describe both by the row's title and subtitle, and a screen reader says them twice. The
 * control keeps them; the row becomes an unnamed group around it. */
static void
unname_control_row (GtkWidget *row)
{
  GtkWidget *control = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

  if (gtk_widget_get_focusable (row) || gtk_widget_get_realized (row) ||
      !(GTK_IS_SWITCH (control) || GTK_IS_CHECK_BUTTON (control)) ||
      g_object_get_data (G_OBJECT (row), "esc-named") != NULL)
    return;

  g_object_set_data (G_OBJECT (row), "esc-named", GINT_TO_POINTER (TRUE));
  g_object_set (row, "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP, NULL);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * esc_ui_field_accessible:
 * @row: a field's row
 *
 * Where a field's state goes (required, invalid, its error as description): the object a
 * screen reader is on when the field has the focus. The text of an entry row on GTK < 4.10
 * (see expose_entry_row()), else @row.
 *
 * Returns: (transfer none): @row or its text
 */
GtkAccessible *
esc_ui_field_accessible (GtkWidget *row)
{
  GtkWidget *text;

  g_return_val_if_fail (GTK_IS_WIDGET (row), NULL);

  if (ADW_IS_ENTRY_ROW (row))
    expose_entry_row (row);
  text = g_object_get_data (G_OBJECT (row), "esc-field");

  return GTK_ACCESSIBLE (text != NULL ? text : row);
}
