/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-compliance.h"

G_BEGIN_DECLS

/* What esc-compliance-mapping.c (the mapping and its JSON) shares with
 * esc-compliance.c (the reading of the rows). */

struct _EscComplianceMapping
{
  GObject parent_instance;

  char *source;
  char separator;
  EscComplianceDateFormat date_format;
  char *time_zone_id;
  GTimeZone *time_zone;
  EscCompliancePausedUnit paused_unit;
  char *columns[ESC_COMPLIANCE_N_FIELDS];
  GHashTable *values;   /* folded value → GINT_TO_POINTER (severity + 1) */
  char *signature;
};

/* Values compare without regard to case or surrounding spaces */
char     *esc_compliance_fold_value            (const char           *value);
/* @folded: from esc_compliance_fold_value() */
gboolean  esc_compliance_mapping_lookup_folded (EscComplianceMapping *self,
                                                const char           *folded,
                                                EscSupportSeverity   *severity);

G_END_DECLS
