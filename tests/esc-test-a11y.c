/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "esc-test-a11y.h"
#include "esc-test-ui.h"

/* Helpers of tests/test-ui-a11y.c (split from it): see esc-test-a11y.h */

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *)data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames (gpointer data)
{
  return *(guint *)data >= 2;
}

/* Lays out and paints what changed, as a frame does */
void
wait_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  gtk_widget_queue_draw (widget);
  esc_test_ui_wait_until (two_frames, &frames, "two frames");
  gtk_widget_remove_tick_callback (widget, id);
}

const char *
role_name (GtkAccessibleRole role)
{
  GEnumClass *klass = g_type_class_peek (GTK_TYPE_ACCESSIBLE_ROLE);
  GEnumValue *value = g_enum_get_value (klass, (int)role);

  return value != NULL ? value->value_nick : "?";
}

/* The value of @accessible's property, as GTK's test context prints it; NULL if not set */
char *
property_text (GtkAccessible         *accessible,
               GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (accessible, property))
    return NULL;

  /* A value it cannot have: the context answers with the value it has */
  return gtk_test_accessible_check_property (accessible, property, "\x01");
}

void
find_by_address (GtkWidget   *widget,
                 const char  *address,
                 GtkWidget  **found)
{
  g_autofree char *mine = g_strdup_printf ("%p", (gpointer)widget);

  if (g_str_equal (mine, address))
    *found = widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL && *found == NULL;
       child = gtk_widget_get_next_sibling (child))
    find_by_address (child, address, found);
}

/* The name a screen reader says for @widget, computed as GTK 4 computes it: the label
 * property, then the names of what labels it (labelled-by; an object without a label gives its
 * type name, which is what is heard). */
char *
accessible_name (GtkWidget *widget)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autofree char *label = property_text (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_autofree char *relation = NULL;

  if (label != NULL)
    g_string_append (name, label);

  /* "GtkLabel<0x5555…> GtkImage<0x5555…>" */
  relation = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                 NULL);
  if (relation != NULL && strchr (relation, '<') != NULL)
    {
      g_auto(GStrv) refs = g_strsplit_set (relation, " ,", -1);

      for (guint i = 0; refs[i] != NULL; i++)
        {
          const char *open = strchr (refs[i], '<');
          const char *close = strchr (refs[i], '>');
          g_autofree char *address = NULL;
          g_autofree char *ref_label = NULL;
          GtkWidget *ref = NULL;

          if (open == NULL || close == NULL)
            continue;
          address = g_strndup (open + 1, (gsize)(close - open - 1));
          find_by_address (GTK_WIDGET (gtk_widget_get_root (widget)), address, &ref);
          if (ref != NULL)
            ref_label = property_text (GTK_ACCESSIBLE (ref), GTK_ACCESSIBLE_PROPERTY_LABEL);
          if (name->len > 0)
            g_string_append_c (name, ' ');
          g_string_append (name, ref_label != NULL ? ref_label : G_OBJECT_TYPE_NAME (ref != NULL ? (gpointer)ref : (gpointer)widget));
        }
    }

  return g_strstrip (g_string_free (g_steal_pointer (&name), FALSE));
}

gboolean
is_control_role (GtkAccessibleRole role)
{
  switch ((int)role)
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_COLUMN_HEADER:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_LIST_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_OPTION:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_ROW:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_SLIDER:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_TREE_ITEM:
      return TRUE;
    default:
      return FALSE;
    }
}

/* "Mine Mine", "Severity Severity A": a phrase said twice in a row */

/* WCAG 2's relative luminance of an sRGB colour */
double
luminance (const GdkRGBA *c)
{
  double rgb[3] = { c->red, c->green, c->blue };

  for (guint i = 0; i < 3; i++)
    rgb[i] = rgb[i] <= 0.04045 ? rgb[i] / 12.92 : pow ((rgb[i] + 0.055) / 1.055, 2.4);

  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

double
contrast (const GdkRGBA *a,
          const GdkRGBA *b)
{
  double la = luminance (a);
  double lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* @top with @alpha over the opaque @under */
GdkRGBA
over (const GdkRGBA *top,
      double         alpha,
      const GdkRGBA *under)
{
  double a = top->alpha * alpha;

  return (GdkRGBA) { top->red * a + under->red * (1 - a),
                     top->green * a + under->green * (1 - a),
                     top->blue * a + under->blue * (1 - a), 1 };
}


/* Paints @node in order at @probe's point, @x @y being the point in @node's coordinates */
void
probe_node (GskRenderNode *node,
            float          x,
            float          y,
            double         opacity,
            Probe         *probe)
{
  graphene_rect_t bounds;
  graphene_point_t p = GRAPHENE_POINT_INIT (x, y);

  gsk_render_node_get_bounds (node, &bounds);
  if (!graphene_rect_contains_point (&bounds, &p))
    return;

  switch ((int)gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        probe_node (gsk_container_node_get_child (node, i), x, y, opacity, probe);
      break;
    case GSK_TRANSFORM_NODE:
      {
        GskTransform *transform = gsk_transform_node_get_transform (node);
        float dx = 0, dy = 0;

        if (gsk_transform_get_category (transform) >= GSK_TRANSFORM_CATEGORY_2D_TRANSLATE)
          {
            gsk_transform_to_translate (transform, &dx, &dy);
            probe_node (gsk_transform_node_get_child (node), x - dx, y - dy, opacity, probe);
          }
      }
      break;
    case GSK_OPACITY_NODE:
      probe_node (gsk_opacity_node_get_child (node), x, y, opacity * gsk_opacity_node_get_opacity (node), probe);
      break;
    case GSK_CLIP_NODE:
      probe_node (gsk_clip_node_get_child (node), x, y, opacity, probe);
      break;
    case GSK_ROUNDED_CLIP_NODE:
      probe_node (gsk_rounded_clip_node_get_child (node), x, y, opacity, probe);
      break;
    case GSK_SHADOW_NODE:
      probe_node (gsk_shadow_node_get_child (node), x, y, opacity, probe);
      break;
    case GSK_DEBUG_NODE:
      probe_node (gsk_debug_node_get_child (node), x, y, opacity, probe);
      break;
    case GSK_COLOR_NODE:
      probe->background = over (gsk_color_node_get_color (node), opacity, &probe->background);
      break;
    case GSK_TEXT_NODE:
      probe->under_text = probe->background;
      probe->text = over (gsk_text_node_get_color (node), opacity, &probe->background);
      probe->found = TRUE;
      break;
    default:
      break;
    }
}

/* In the tree a screen reader walks: shown, with a role, not hidden, and so is every parent
 * (GTK leaves out what has no role, and everything under it) */
gboolean
is_reported (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      if (!gtk_widget_get_visible (widget) ||
          gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_NONE)
        return FALSE;
      if (gtk_test_accessible_has_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_HIDDEN))
        {
          g_autofree char *shown = gtk_test_accessible_check_state (GTK_ACCESSIBLE (widget),
                                                                     GTK_ACCESSIBLE_STATE_HIDDEN, FALSE);

          /* NULL: the state is the value given */
          if (shown != NULL)
            return FALSE;
        }
    }

  return TRUE;
}

/* The object a screen reader is on when @focus has the focus: GTK ≥ 4.10 reports the focus of an
 * editable's text (a part without a role) as the editable's */
GtkWidget *
focus_object (GtkWidget *focus)
{
  if (focus != NULL && gtk_check_version (4, 10, 0) == NULL &&
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (focus)) == GTK_ACCESSIBLE_ROLE_NONE)
    for (GtkWidget *parent = gtk_widget_get_parent (focus); parent != NULL; parent = gtk_widget_get_parent (parent))
      if (GTK_IS_EDITABLE (parent) && (GtkWidget *)gtk_editable_get_delegate (GTK_EDITABLE (parent)) == focus)
        return parent;

  return focus;
}

gboolean
has_required_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), "Required") == 0)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_required_label (child))
      return TRUE;

  return FALSE;
}

void
collect_entry_rows (GtkWidget *widget,
                    GPtrArray *rows)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (ADW_IS_ENTRY_ROW (widget))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_entry_rows (child, rows);
}

guint
count_borders (GskRenderNode *node)
{
  guint n = 0;

  switch ((int)gsk_render_node_get_node_type (node))
    {
    case GSK_BORDER_NODE:
      {
        const float *widths = gsk_border_node_get_widths (node);
        const GdkRGBA *colors = gsk_border_node_get_colors (node);

        for (guint i = 0; i < 4; i++)
          if (widths[i] > 0 && colors[i].alpha > 0)
            n++;
      }
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_borders (gsk_container_node_get_child (node, i));
      break;
    case GSK_TRANSFORM_NODE:
      n += count_borders (gsk_transform_node_get_child (node));
      break;
    case GSK_OPACITY_NODE:
      n += count_borders (gsk_opacity_node_get_child (node));
      break;
    case GSK_CLIP_NODE:
      n += count_borders (gsk_clip_node_get_child (node));
      break;
    case GSK_ROUNDED_CLIP_NODE:
      n += count_borders (gsk_rounded_clip_node_get_child (node));
      break;
    case GSK_DEBUG_NODE:
      n += count_borders (gsk_debug_node_get_child (node));
      break;
    default:
      break;
    }

  return n;
}

/* The edges @widget paints, as drawn in its parent */
guint
borders_of (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  /* The focus ring as drawn (no transition: animations are off) */
  wait_frames (widget);
  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);

  return node != NULL ? count_borders (node) : 0;
}
