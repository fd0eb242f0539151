/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_SLA_PAGE (esc_sla_page_get_type ())

G_DECLARE_FINAL_TYPE (EscSlaPage, esc_sla_page, ESC, SLA_PAGE, AdwBin)

/* The SLAs screen: the support model (set on the service by an IT
 * administrator, its copy kept in the workspace's settings) and
 * the SLA agreements on the service, with each one's latest version, its
 * acceptances, Accept, Edit Draft and a comparison of two versions. */
EscSlaPage *esc_sla_page_new      (EscSession *session);
/* Reads the agreements from the service again. */
void        esc_sla_page_reload   (EscSlaPage *self);
/* Whether a reading of the agreements is under way */
gboolean    esc_sla_page_get_busy (EscSlaPage *self);
/* (transfer none): the Compliance section (an EscSlaCompliance) */
GtkWidget  *esc_sla_page_get_compliance (EscSlaPage *self);

G_END_DECLS
