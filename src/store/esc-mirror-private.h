/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-mirror.h"
#include "esc-outbox-item.h"

G_BEGIN_DECLS

/* For the outbox: writes the service's answer to a change of @kind, inside the
 * caller's transaction; the models learn of it at esc_mirror_flush_changes(),
 * once the transaction is committed (or forget it if it was rolled back). */
gboolean  esc_mirror_write_answer    (EscMirror      *self,
                                      const char     *service,
                                      EscOutboxKind   kind,
                                      const char     *target,
                                      JsonNode       *answer,
                                      GError        **error);
void      esc_mirror_flush_changes   (EscMirror      *self);
void      esc_mirror_forget_changes  (EscMirror      *self);

G_END_DECLS
