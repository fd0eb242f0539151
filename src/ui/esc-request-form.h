/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-outbox-item.h"
#include "esc-session.h"

G_BEGIN_DECLS

#define ESC_TYPE_REQUEST_FORM (esc_request_form_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestForm, esc_request_form, ESC, REQUEST_FORM, AdwWindow)

/* The "New Support Request" window. It asks where the problem goes first,
 * checks the request with the core's rules (each problem shown under its
 * field), keeps a draft as you type, and files through the outbox: the
 * request is queued at once and sent when the service can be reached.
 * Emits ::filed with the queued EscOutboxItem (NULL after editing a refused one). */
EscRequestForm *esc_request_form_new              (GtkWindow        *parent,
                                                   EscSession       *session);
/* Opens a refused request of the outbox for correction: its fields, and the
 * service's reason under the field it named. Filing queues it again. */
void            esc_request_form_edit_item        (EscRequestForm   *self,
                                                   EscOutboxItem    *item);

/* For tests and the page: what the form currently shows */
const char     *esc_request_form_get_suggested_team (EscRequestForm *self);
gboolean        esc_request_form_get_can_file       (EscRequestForm *self);
const char     *esc_request_form_get_severity       (EscRequestForm *self);
/* (nullable): the message shown under the field at JSON pointer @field ("/title") */
const char     *esc_request_form_get_field_error    (EscRequestForm *self,
                                                     const char     *field);
/* Saves the draft now instead of after the pause in typing. */
void            esc_request_form_save_draft         (EscRequestForm *self);

G_END_DECLS
