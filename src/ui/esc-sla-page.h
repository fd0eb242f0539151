/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_SLA_PAGE (esc_sla_page_get_type ())

G_DECLARE_FINAL_TYPE (EscSlaPage, esc_sla_page, ESC, SLA_PAGE, AdwBin)

/* The SLAs screen: the support model (kept in the workspace's settings) and
 * the SLA agreements on the service, with each one's latest version, its
 * acceptances, Accept, Edit Draft and a comparison of two versions. */
EscSlaPage *esc_sla_page_new      (EscSession *session);
/* Reads the agreements from the service again. */
void        esc_sla_page_reload   (EscSlaPage *self);
/* Whether a reading of the agreements is under way */
gboolean    esc_sla_page_get_busy (EscSlaPage *self);
/* (transfer none): the Compliance section (an EscSlaCompliance) */
GtkWidget  *esc_sla_page_get_compliance (EscSlaPage *self);

/* The workspace settings of the support model */
#define ESC_SETTING_SUPPORT_MODEL     "support-model"      /* "customer-led" or "partner-led" */
#define ESC_SETTING_SUPPORT_PROVIDER  "support-provider"
#define ESC_SETTING_PROVIDER_CONTACTS "support-provider-contacts"

G_END_DECLS
