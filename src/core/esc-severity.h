/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ESC_TYPE_SEVERITY (esc_severity_get_type ())

G_DECLARE_FINAL_TYPE (EscSeverity, esc_severity, ESC, SEVERITY, GObject)

/* A severity definition (A, B or C). Every number is data, seeded and editable. */
EscSeverity *esc_severity_new                        (const char  *letter,
                                                      const char  *name,
                                                      const char  *situation,
                                                      guint        initial_response_minutes,
                                                      guint        update_cadence_minutes,
                                                      const char  *coverage,
                                                      const char  *downgrade);
const char  *esc_severity_get_letter                 (EscSeverity *self);
const char  *esc_severity_get_name                   (EscSeverity *self);
const char  *esc_severity_get_situation              (EscSeverity *self);
guint        esc_severity_get_initial_response_minutes (EscSeverity *self);
guint        esc_severity_get_update_cadence_minutes (EscSeverity *self);
const char  *esc_severity_get_coverage               (EscSeverity *self);
const char  *esc_severity_get_downgrade              (EscSeverity *self);

G_END_DECLS
