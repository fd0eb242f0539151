/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-ui"

#include "config.h"

#include "esc-request-filter-popover.h"
#include "esc-request-labels.h"
#include "esc-request-list.h"
#include "esc-support-request.h"
#include "esc-ui-private.h"

/* The groups, in the order of the masks of get_masks() */
typedef enum
{
  GROUP_STATE,
  GROUP_SEVERITY,
  GROUP_TYPE,
  GROUP_KIND,
  N_GROUPS
} Group;

static const char * const group_names[] = { "state", "severity", "type", "kind" };

/* The most values a group has (the states) */
#define MAX_VALUES (ESC_SUPPORT_REQUEST_STATE_CLOSED + 1)

struct _EscRequestFilterPopover
{
  GtkPopover      parent_instance;

  /* Template widgets */
  GtkBox         *groups[N_GROUPS];

  /* Owned by the groups: a check button per value of the group's enum, at its position */
  GtkCheckButton *checks[N_GROUPS][MAX_VALUES];
  guint           n_checks[N_GROUPS];
};

G_DEFINE_FINAL_TYPE (EscRequestFilterPopover, esc_request_filter_popover, GTK_TYPE_POPOVER)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
group_enum_type (Group group)
{
  switch (group)
    {
    case GROUP_STATE:
      return ESC_TYPE_SUPPORT_REQUEST_STATE;
    case GROUP_SEVERITY:
      return ESC_TYPE_SUPPORT_SEVERITY;
    case GROUP_TYPE:
      return ESC_TYPE_SUPPORT_REQUEST_TYPE;
    case GROUP_KIND:
      return ESC_TYPE_SUPPORT_REQUEST_KIND;
    case N_GROUPS:
    default:
      g_assert_not_reached ();
    }
}

static const char *
value_label (Group group,
             int   value)
{
  switch (group)
    {
    case GROUP_STATE:
      return esc_support_request_state_get_label (value);
    case GROUP_SEVERITY:
      return esc_support_severity_get_label (value);
    case GROUP_TYPE:
      return esc_support_request_type_get_label (value);
    case GROUP_KIND:
      return esc_support_request_kind_get_label (value);
    case N_GROUPS:
    default:
      g_assert_not_reached ();
    }
}

static void
check_toggled_cb (EscRequestFilterPopover *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* The check buttons of a group: one per value of its enum, in the enum's order,
 * so that the check at position i sets ESC_REQUEST_BIT (i) */
static void
add_checks (EscRequestFilterPopover *self,
            Group                    group)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (group_enum_type (group));

  g_assert (klass->n_values <= MAX_VALUES);

  for (guint i = 0; i < klass->n_values; i++)
    {
      const GEnumValue *value = &klass->values[i];
      GtkWidget *check;

      g_assert (value->value == (int)i);

      check = gtk_check_button_new_with_label (value_label (group, value->value));
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (check_toggled_cb), self);
      gtk_box_append (self->groups[group], check);
      self->checks[group][i] = GTK_CHECK_BUTTON (check);
    }
  self->n_checks[group] = klass->n_values;
}

static void
esc_request_filter_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), ESC_TYPE_REQUEST_FILTER_POPOVER);

  G_OBJECT_CLASS (esc_request_filter_popover_parent_class)->dispose (object);
}

static void
esc_request_filter_popover_class_init (EscRequestFilterPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = esc_request_filter_popover_dispose;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/escalade/Escalade/ui/esc-request-filter-popover.ui");
#define BIND_GROUP(id, group) \
  gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, \
                                             G_STRUCT_OFFSET (EscRequestFilterPopover, groups[group]))
  BIND_GROUP ("state_group", GROUP_STATE);
  BIND_GROUP ("severity_group", GROUP_SEVERITY);
  BIND_GROUP ("type_group", GROUP_TYPE);
  BIND_GROUP ("kind_group", GROUP_KIND);
#undef BIND_GROUP
}

static void
esc_request_filter_popover_init (EscRequestFilterPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  esc_ui_name_controls (GTK_WIDGET (self));

  for (Group g = 0; g < N_GROUPS; g++)
    add_checks (self, g);
}

GtkWidget *
esc_request_filter_popover_new (void)
{
  return g_object_new (ESC_TYPE_REQUEST_FILTER_POPOVER, NULL);
}

guint
esc_request_filter_popover_get_masks (EscRequestFilterPopover *self,
                                      guint                   *states,
                                      guint                   *severities,
                                      guint                   *types,
                                      guint                   *kinds)
{
  guint masks[N_GROUPS] = { 0, };
  guint n = 0;

  g_return_val_if_fail (ESC_IS_REQUEST_FILTER_POPOVER (self), 0);

  for (Group g = 0; g < N_GROUPS; g++)
    for (guint i = 0; i < self->n_checks[g]; i++)
      if (gtk_check_button_get_active (self->checks[g][i]))
        {
          masks[g] |= ESC_REQUEST_BIT (i);
          n++;
        }

  if (states != NULL)
    *states = masks[GROUP_STATE];
  if (severities != NULL)
    *severities = masks[GROUP_SEVERITY];
  if (types != NULL)
    *types = masks[GROUP_TYPE];
  if (kinds != NULL)
    *kinds = masks[GROUP_KIND];

  return n;
}

void
esc_request_filter_popover_clear (EscRequestFilterPopover *self)
{
  g_return_if_fail (ESC_IS_REQUEST_FILTER_POPOVER (self));

  for (Group g = 0; g < N_GROUPS; g++)
    for (guint i = 0; i < self->n_checks[g]; i++)
      gtk_check_button_set_active (self->checks[g][i], FALSE);
}

gboolean
esc_request_filter_popover_set_filter (EscRequestFilterPopover *self,
                                       const char              *group,
                                       const char              *value,
                                       gboolean                 active)
{
  g_return_val_if_fail (ESC_IS_REQUEST_FILTER_POPOVER (self), FALSE);

  for (Group g = 0; g < N_GROUPS; g++)
    {
      g_autoptr(GEnumClass) klass = NULL;
      GEnumValue *found;

      if (g_strcmp0 (group, group_names[g]) != 0)
        continue;

      klass = g_type_class_ref (group_enum_type (g));
      found = g_enum_get_value_by_nick (klass, value);
      if (found == NULL || (guint)found->value >= self->n_checks[g])
        return FALSE;

      gtk_check_button_set_active (self->checks[g][found->value], active);
      return TRUE;
    }

  return FALSE;
}
