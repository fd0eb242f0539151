/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What tests/test-ui-a11y.c reads of a window: the accessible names and roles
 * GTK's test context gives, the colours a render node paints (WCAG 2 contrast),
 * the focus rings drawn, and whether a focused field is in the tree a screen
 * reader walks. */

typedef struct
{
  graphene_point_t point;     /* where the text is, in the window's coordinates */
  GdkRGBA          background; /* what is painted there, so far */
  GdkRGBA          text;      /* the text painted there, over what was under it */
  GdkRGBA          under_text;
  gboolean         found;
} Probe;

const char *  role_name (GtkAccessibleRole role);
char *        property_text (GtkAccessible *accessible, GtkAccessibleProperty property);
void          find_by_address (GtkWidget *widget, const char *address, GtkWidget **found);
char *        accessible_name (GtkWidget *widget);
gboolean      is_control_role (GtkAccessibleRole role);
double        luminance (const GdkRGBA *c);
double        contrast (const GdkRGBA *a, const GdkRGBA *b);
GdkRGBA       over (const GdkRGBA *top, double alpha, const GdkRGBA *under);
void          probe_node (GskRenderNode *node, float x, float y, double opacity, Probe *probe);
gboolean      is_reported (GtkWidget *widget);
GtkWidget *   focus_object (GtkWidget *focus);
gboolean      has_required_label (GtkWidget *widget);
void          collect_entry_rows (GtkWidget *widget, GPtrArray *rows);
guint         count_borders (GskRenderNode *node);
guint         borders_of (GtkWidget *widget);
void          wait_frames (GtkWidget *widget);

G_END_DECLS
