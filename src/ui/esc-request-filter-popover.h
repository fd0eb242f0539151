/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_FILTER_POPOVER (esc_request_filter_popover_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestFilterPopover, esc_request_filter_popover, ESC, REQUEST_FILTER_POPOVER, GtkPopover)

/* The Filters popover of the Requests screen: a check button per state,
 * severity, kind and type (their order and labels are core's enums'), and
 * Clear Filters (the requests.clear-filters action). ::changed is emitted
 * when a check button is toggled. */
GtkWidget *esc_request_filter_popover_new        (void);
/* The ESC_REQUEST_BIT () masks of the query (each nullable); returns how
 * many check buttons are active */
guint      esc_request_filter_popover_get_masks  (EscRequestFilterPopover *self,
                                                  guint                   *states,
                                                  guint                   *severities,
                                                  guint                   *types,
                                                  guint                   *kinds);
/* Makes every check button inactive (::changed for each one that was) */
void       esc_request_filter_popover_clear      (EscRequestFilterPopover *self);
/* @group: "state", "severity", "type" or "kind"; @value: the wire name.
 * Returns FALSE if there is no such filter */
gboolean   esc_request_filter_popover_set_filter (EscRequestFilterPopover *self,
                                                  const char              *group,
                                                  const char              *value,
                                                  gboolean                 active);

G_END_DECLS
