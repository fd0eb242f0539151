/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-calendar.h"
#include "esc-sla-agreement.h"
#include "esc-sla-page.h"

G_BEGIN_DECLS

/* Shared by the SLAs screen (esc-sla-page.c) and its calendars (esc-sla-calendars.c). */

EscSession *esc_sla_page_get_session     (EscSlaPage *self);
/* Shows @text (nullable: hides it) above the agreements */
void        esc_sla_page_show_status     (EscSlaPage *self,
                                          const char *text);

/* What to tell the person of a refused change: @error's message, or for a
 * 412 (changed meanwhile) what to do about it */
const char *esc_sla_error_text           (const GError *error);

/* Fills @box with one group per calendar of @calendars (element-type
 * EscCalendar), each with Edit when @may_edit (the admin support hours only
 * when @is_it_admin). */
void        esc_sla_calendars_show       (EscSlaPage *page,
                                          GtkBox     *box,
                                          GPtrArray  *calendars,
                                          gboolean    may_edit,
                                          gboolean    is_it_admin);
/* The editor of @calendar (NULL: a new one, whose id must not be one of
 * @calendars), saved with If-Match @etag. */
void        esc_sla_calendar_editor_open (EscSlaPage  *page,
                                          EscCalendar *calendar,
                                          const char  *etag,
                                          GPtrArray   *calendars);

/* The editor of an agreement's terms (esc-sla-editor.c) */
typedef enum
{
  ESC_SLA_EDIT_DRAFT,     /* PUT the draft's new terms */
  ESC_SLA_NEW_VERSION,    /* POST the next version of an agreement */
  ESC_SLA_NEW_AGREEMENT,  /* POST a new agreement */
} EscSlaEditorMode;

void        esc_sla_terms_editor_open    (EscSlaPage             *self,
                                          EscSlaEditorMode        mode,
                                          EscSlaAgreementVersion *draft,
                                          const char             *agreement_id,
                                          const char             *etag);
/* How the screen writes the terms the editor edits (each a new string) */
const char *esc_sla_pause_state_label      (const char             *state);
char       *esc_sla_format_pause_states    (EscSlaAgreementVersion *version);
char       *esc_sla_format_warnings        (EscSlaAgreementVersion *version);
char       *esc_sla_format_response_events (EscSlaAgreementVersion *version);

G_END_DECLS
