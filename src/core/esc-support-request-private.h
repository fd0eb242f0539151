/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "esc-json-read.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

/* Shared by the files of the support request: the object (esc-support-request.c),
 * its checks (esc-support-request-validate.c) and its JSON codec
 * (esc-support-request-json.c). Not for other files. */

struct _EscSupportRequest
{
  GObject                 parent_instance;

  /* the filer's */
  EscSupportRequestKind   kind;
  EscSupportRequestType   type;
  EscSupportSeverity      severity;
  EscSupportEngagement    engagement;
  char                   *category;
  char                   *subcategory;
  char                   *title;
  char                   *description;
  EscSupportContact      *contact;
  gint64                  users_or_devices_impacted;
  char                   *business_impact;
  GDateTime              *first_noticed_at;
  EscTristate             reproduced_on_unmanaged_device;
  EscTristate             end_user_support_engaged;
  char                   *troubleshooting_steps;
  char                   *steps_to_reproduce;
  GStrv                   devices;
  char                   *related_ticket;
  char                   *notes;
  GStrv                   attachments;

  /* the service's */
  char                   *id;
  EscSupportRequestState  state;
  gint64                  filer_id;
  char                   *filer_name;
  GDateTime              *created_at;
  GDateTime              *updated_at;
  GDateTime              *response_due_at;
  GDateTime              *resolved_at;
  GDateTime              *closed_at;
  EscNextActionOwner      next_action_owner;
  GDateTime              *next_action_at;
  GPtrArray              *timeline;
};

/* Enums, by their GType's nicks */
GEnumClass *esc_support_enum_class          (GType        type);
gboolean    esc_support_enum_from_nick      (GType        type,
                                             const char  *nick,
                                             int         *value);

/* Errors name the field by its JSON pointer ("/contact/email") in
 * @out_field and by its name in the message ("contact.email"): the helpers
 * of the one JSON reader (esc-json-read.h), under the names the checks use. */
#define ESC_SUPPORT_FIELD_BUFFER   ESC_JSON_FIELD_BUFFER
#define esc_support_field_label    esc_json_field_label
#define esc_support_fail           esc_json_fail
#define esc_support_join_field     esc_json_join_field
#define esc_support_join_field_buf esc_json_join_field_buf
#define esc_support_label_buf      esc_json_label_buf
#define esc_support_check_text     esc_json_check_text

/* Text checks */
gboolean    esc_support_is_slug             (const char  *text);

G_END_DECLS
