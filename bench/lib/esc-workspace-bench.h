/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-workspace.h"

G_BEGIN_DECLS

/* Bulk writes into the mirror of the service (support requests, their timelines, staff, audit
 * events), in one
 * transaction: how bench/make-workspace builds workspaces of 100 000 requests in seconds. Not
 * used by the app, which only fills the mirror by syncing. The rows are written as given: the
 * caller makes them consistent (the JSON is what the service would have sent). */

typedef struct
{
  const char *id;               /* "SR-000123" */
  const char *kind;             /* "admin", "escalation" */
  const char *type;             /* "incident", "request-for-information", "change-request" */
  const char *severity;         /* "A", "B", "C" */
  const char *state;            /* "new", "in-progress", … */
  const char *title;
  const char *filed_by;         /* nullable */
  const char *created_at;       /* RFC 3339 UTC */
  const char *updated_at;
  const char *response_due_at;  /* nullable */
  const char *json;             /* the whole object as the service sends it */
} EscWorkspaceBulkRequest;

typedef struct
{
  const char *request_id;
  gint64      id;
  const char *at;
  const char *kind;
  const char *json;
} EscWorkspaceBulkEvent;

typedef struct
{
  gint64      id;
  const char *name;
  const char *email;            /* nullable */
  const char *json;
} EscWorkspaceBulkStaff;

typedef struct
{
  gint64      id;
  const char *at;
  const char *action;           /* "support-request.created" */
  const char *actor;            /* nullable: the actor's name */
  const char *target;           /* nullable: "/v1/support-requests/SR-000123" */
  const char *remote_address;   /* nullable */
  const char *json;
} EscWorkspaceBulkAuditEvent;

typedef struct _EscWorkspaceBulk EscWorkspaceBulk;

EscWorkspaceBulk *esc_workspace_bulk_new                 (EscWorkspace                  *workspace,
                                                          const char                    *service,
                                                          GError                       **error);
gboolean          esc_workspace_bulk_add_support_request (EscWorkspaceBulk              *self,
                                                          const EscWorkspaceBulkRequest *request,
                                                          GError                       **error);
gboolean          esc_workspace_bulk_add_timeline_event  (EscWorkspaceBulk              *self,
                                                          const EscWorkspaceBulkEvent   *event,
                                                          GError                       **error);
gboolean          esc_workspace_bulk_add_staff           (EscWorkspaceBulk              *self,
                                                          const EscWorkspaceBulkStaff   *staff,
                                                          GError                       **error);
gboolean          esc_workspace_bulk_add_audit_event     (EscWorkspaceBulk              *self,
                                                          const EscWorkspaceBulkAuditEvent *event,
                                                          GError                       **error);
gboolean          esc_workspace_bulk_commit              (EscWorkspaceBulk              *self,
                                                          GError                       **error);
void              esc_workspace_bulk_free                (EscWorkspaceBulk              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscWorkspaceBulk, esc_workspace_bulk_free)

G_END_DECLS
