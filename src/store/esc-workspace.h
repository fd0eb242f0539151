/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-party.h"
#include "esc-responsibility.h"
#include "esc-routing-rule.h"
#include "esc-severity.h"

G_BEGIN_DECLS

/* The schema version this build writes; PRAGMA user_version of a migrated file. */
#define ESC_WORKSPACE_SCHEMA_VERSION 8

#define ESC_TYPE_WORKSPACE (esc_workspace_get_type ())

G_DECLARE_FINAL_TYPE (EscWorkspace, esc_workspace, ESC, WORKSPACE, GObject)

/* Threading: esc_workspace_open() may run in any thread (open_async runs it in a
 * worker); the EscWorkspace it returns, its models and every other function
 * below are then used from the main thread only. */

/* $XDG_DATA_HOME/escalade/PROFILE.sqlite3 */
char         *esc_workspace_dup_default_path  (const char           *profile);

/* Opens (creating if missing, with its folder) and migrates the workspace at @path, and seeds
 * the defaults on first open. Fails with ESC_STORE_ERROR_NEWER_VERSION, _CORRUPT or _READ_ONLY
 * rather than ever replacing an existing file. */
EscWorkspace *esc_workspace_open              (const char           *path,
                                               GError              **error);
void          esc_workspace_open_async        (const char           *path,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
EscWorkspace *esc_workspace_open_finish       (GAsyncResult         *result,
                                               GError              **error);
/* The whole file checked on a read-only connection in a worker thread: open
 * checks it only after an unclean close or before a migration. */
void          esc_workspace_check_async       (EscWorkspace         *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean      esc_workspace_check_finish      (EscWorkspace         *self,
                                               GAsyncResult         *result,
                                               GError              **error);

const char   *esc_workspace_get_path          (EscWorkspace         *self);
int           esc_workspace_get_schema_version (EscWorkspace        *self);

/* Store-backed list models (transfer none), kept up to date when the tables change. */
GListModel   *esc_workspace_get_parties       (EscWorkspace         *self);  /* EscParty */
GListModel   *esc_workspace_get_routing_rules (EscWorkspace         *self);  /* EscRoutingRule */
GListModel   *esc_workspace_get_severities    (EscWorkspace         *self);  /* EscSeverity */

/* Replaces the roles matrix, routing rows and severity definitions with the shipped defaults. */
gboolean      esc_workspace_reset_defaults    (EscWorkspace         *self,
                                               GError              **error);

/* Edits of the seeded rows, matched by id (letter for severities); each is one
 * transaction with a local_audit row, and the model emits ::items-changed. */
gboolean      esc_workspace_update_party        (EscWorkspace       *self,
                                                 EscParty           *party,
                                                 GError            **error);
gboolean      esc_workspace_update_routing_rule (EscWorkspace       *self,
                                                 EscRoutingRule     *rule,
                                                 GError            **error);
gboolean      esc_workspace_update_severity     (EscWorkspace       *self,
                                                 EscSeverity        *severity,
                                                 GError            **error);

/* The roles matrix, row by row (esc-workspace-matrix.c). Every call is one
 * transaction with a local_audit row; on failure nothing changed. Rows are
 * kept party by party, in the parties' order. */
GListModel   *esc_workspace_get_responsibilities   (EscWorkspace       *self);  /* EscResponsibility */
/* Appends @item to its party's rows and sets its id */
gboolean      esc_workspace_add_responsibility     (EscWorkspace       *self,
                                                    EscResponsibility  *item,
                                                    GError            **error);
/* Saves text, areas and RACI marks of the row with @item's id; a new party moves it to
 * the end of that party's rows */
gboolean      esc_workspace_update_responsibility  (EscWorkspace       *self,
                                                    EscResponsibility  *item,
                                                    GError            **error);
/* Moves the row @delta places up (negative) or down within its party */
gboolean      esc_workspace_move_responsibility    (EscWorkspace       *self,
                                                    gint64              id,
                                                    int                 delta,
                                                    GError            **error);
gboolean      esc_workspace_remove_responsibility  (EscWorkspace       *self,
                                                    gint64              id,
                                                    GError            **error);
/* Replaces every responsibility (an import); sets the ids of @items */
gboolean      esc_workspace_replace_responsibilities (EscWorkspace     *self,
                                                    GPtrArray          *items,
                                                    GError            **error);
/* The parties and responsibilities of the source, translated */
gboolean      esc_workspace_reset_roles            (EscWorkspace       *self,
                                                    GError            **error);

/* The routing matrix, row by row; ids are unique */
gboolean      esc_workspace_add_routing_rule       (EscWorkspace       *self,
                                                    EscRoutingRule     *rule,
                                                    GError            **error);
gboolean      esc_workspace_move_routing_rule      (EscWorkspace       *self,
                                                    const char         *id,
                                                    int                 delta,
                                                    GError            **error);
gboolean      esc_workspace_remove_routing_rule    (EscWorkspace       *self,
                                                    const char         *id,
                                                    GError            **error);
gboolean      esc_workspace_replace_routing_rules  (EscWorkspace       *self,
                                                    GPtrArray          *rules,
                                                    GError            **error);
gboolean      esc_workspace_reset_routing          (EscWorkspace       *self,
                                                    GError            **error);

/* Settings the exports print */
#define ESC_WORKSPACE_SETTING_ORGANISATION  "organisation-name"
/* The support model, a copy of the service's (GET /v1/support-model) kept
 * for the exports and offline use; unset until chosen. */
#define ESC_WORKSPACE_SETTING_SUPPORT_MODEL     "support-model"  /* "customer-led" or "partner-led" */
#define ESC_WORKSPACE_SETTING_SUPPORT_PROVIDER  "support-provider"
#define ESC_WORKSPACE_SETTING_PROVIDER_CONTACTS "support-provider-contacts"

/* The settings table: small key/value strings (support model, provider...).
 * Each change emits "setting-changed" with the key as its detail. */
char         *esc_workspace_dup_setting       (EscWorkspace         *self,
                                               const char           *key);
gboolean      esc_workspace_set_setting       (EscWorkspace         *self,
                                               const char           *key,
                                               const char           *value,
                                               GError              **error);

/* Drafts of a form (e.g. the New request form), one per account and form, as
 * JSON text: each call is one transaction, so a draft saved as the user types
 * survives a crash. @account is the caller's key for the person (e.g. the
 * service URL and user name); @form names the form. */
#define ESC_WORKSPACE_DRAFT_SUPPORT_REQUEST "support-request"

gboolean      esc_workspace_save_draft        (EscWorkspace         *self,
                                               const char           *account,
                                               const char           *form,
                                               const char           *json,
                                               GError              **error);
/* (transfer full) (nullable): the draft, or NULL if there is none (or it cannot be read:
 * @error says which); @saved_at (optional, transfer full) when it was saved */
char         *esc_workspace_load_draft        (EscWorkspace         *self,
                                               const char           *account,
                                               const char           *form,
                                               GDateTime           **saved_at,
                                               GError              **error);
/* Removes the draft (after filing, or when the user discards it); no draft is not an error. */
gboolean      esc_workspace_discard_draft     (EscWorkspace         *self,
                                               const char           *account,
                                               const char           *form,
                                               GError              **error);

G_END_DECLS
