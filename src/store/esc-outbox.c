/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "esc-mirror-private.h"
#include "esc-outbox.h"
#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-time.h"
#include "esc-workspace-model.h"
#include "esc-workspace-private.h"

/* The outbox table of the workspace. Every change to the service is a row
 * here before it is a request on the wire; the row goes only in the same
 * transaction that writes the service's answer to the mirror. A crash at any
 * point leaves either the row (sent again under the same idempotency key, so
 * the service answers the first answer again) or the answer, never neither. */

struct _EscOutbox
{
  GObject            parent_instance;

  EscMirror         *mirror;
  EscWorkspace      *workspace;
  sqlite3           *db;
  const char        *path;

  EscWorkspaceModel *items;
  guint              n_queued;
  guint              n_refused;
};

G_DEFINE_FINAL_TYPE (EscOutbox, esc_outbox, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MIRROR,
  PROP_ITEMS,
  PROP_N_QUEUED,
  PROP_N_REFUSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define ITEM_COLUMNS \
  "id, service, account, kind, method, path, target, title, body, idempotency_key, " \
  "state, created_at, attempts, next_attempt_at, error_code, error_status, " \
  "error_message, error_field, if_match"

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return esc_time_format_usec (now);
}

static EscOutboxItem *
item_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(GDateTime) created_at = esc_time_parse ((const char *)sqlite3_column_text (stmt, 11));
  g_autoptr(GDateTime) next_attempt_at = esc_time_parse ((const char *)sqlite3_column_text (stmt, 13));
  EscOutboxKind kind = ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST;
  EscOutboxState state;

  esc_outbox_kind_from_string ((const char *)sqlite3_column_text (stmt, 3), &kind);
  state = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 10), "refused") == 0
            ? ESC_OUTBOX_STATE_REFUSED : ESC_OUTBOX_STATE_QUEUED;

  return g_object_new (ESC_TYPE_OUTBOX_ITEM,
                       "id", (gint64)sqlite3_column_int64 (stmt, 0),
                       "service", (const char *)sqlite3_column_text (stmt, 1),
                       "account", (const char *)sqlite3_column_text (stmt, 2),
                       "kind", (guint)kind,
                       "method", (const char *)sqlite3_column_text (stmt, 4),
                       "path", (const char *)sqlite3_column_text (stmt, 5),
                       "target", (const char *)sqlite3_column_text (stmt, 6),
                       "title", (const char *)sqlite3_column_text (stmt, 7),
                       "body", (const char *)sqlite3_column_text (stmt, 8),
                       "idempotency-key", (const char *)sqlite3_column_text (stmt, 9),
                       "state", (guint)state,
                       "created-at", created_at,
                       "attempts", (guint)sqlite3_column_int64 (stmt, 12),
                       "next-attempt-at", next_attempt_at,
                       "error-code", (const char *)sqlite3_column_text (stmt, 14),
                       "error-status", (guint)CLAMP (sqlite3_column_int64 (stmt, 15), 0, 999),
                       "error-message", (const char *)sqlite3_column_text (stmt, 16),
                       "error-field", (const char *)sqlite3_column_text (stmt, 17),
                       "if-match", (const char *)sqlite3_column_text (stmt, 18),
                       NULL);
}

static GPtrArray *
load_items (gpointer   user_data,
            GError   **error)
{
  EscOutbox *self = user_data;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT " ITEM_COLUMNS " FROM outbox ORDER BY id",
                                         error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&items);
}

/* Reloads the model and the counters after a committed change. A failure
 * there leaves the list stale but the file right: logged, not returned. */
static void
refresh (EscOutbox *self)
{
  g_autoptr(GError) error = NULL;
  GListModel *model = G_LIST_MODEL (self->items);
  guint n_queued = 0;
  guint n_refused = 0;
  guint n;

  if (!esc_workspace_model_reload (self->items, &error))
    {
      esc_store_log_dropped_error (error, "Could not reload the outbox");
      return;
    }

  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EscOutboxItem) item = g_list_model_get_item (model, i);

      if (esc_outbox_item_get_state (item) == ESC_OUTBOX_STATE_REFUSED)
        n_refused++;
      else
        n_queued++;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (n_queued != self->n_queued)
    {
      self->n_queued = n_queued;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_QUEUED]);
    }
  if (n_refused != self->n_refused)
    {
      self->n_refused = n_refused;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REFUSED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
esc_outbox_constructed (GObject *object)
{
  EscOutbox *self = (EscOutbox *)object;

  G_OBJECT_CLASS (esc_outbox_parent_class)->constructed (object);

  self->workspace = g_object_ref (esc_mirror_get_workspace (self->mirror));
  self->db = esc_workspace_get_connection (self->workspace);
  self->path = esc_workspace_get_path (self->workspace);
  self->items = esc_workspace_model_new (ESC_TYPE_OUTBOX_ITEM, load_items, self);
  refresh (self);
}

static void
esc_outbox_dispose (GObject *object)
{
  EscOutbox *self = (EscOutbox *)object;

  /* The UI may keep the model after we go. */
  if (self->items != NULL)
    esc_workspace_model_detach (self->items);
  g_clear_object (&self->items);
  g_clear_object (&self->mirror);
  g_clear_object (&self->workspace);
  self->db = NULL;

  G_OBJECT_CLASS (esc_outbox_parent_class)->dispose (object);
}

static void
esc_outbox_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EscOutbox *self = ESC_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_MIRROR:
      g_value_set_object (value, self->mirror);
      break;
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case PROP_N_QUEUED:
      g_value_set_uint (value, self->n_queued);
      break;
    case PROP_N_REFUSED:
      g_value_set_uint (value, self->n_refused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_outbox_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EscOutbox *self = ESC_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_MIRROR:
      self->mirror = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_outbox_class_init (EscOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = esc_outbox_constructed;
  object_class->dispose = esc_outbox_dispose;
  object_class->get_property = esc_outbox_get_property;
  object_class->set_property = esc_outbox_set_property;

  properties[PROP_MIRROR] =
    g_param_spec_object ("mirror", NULL, NULL, ESC_TYPE_MIRROR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEMS] =
    g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_N_QUEUED] = g_param_spec_uint ("n-queued", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_REFUSED] = g_param_spec_uint ("n-refused", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
esc_outbox_init (EscOutbox *self)
{
}

/**
 * esc_outbox_new:
 * @mirror: the mirror of the workspace, where answers are written
 *
 * Returns: (transfer full): the outbox of @mirror's workspace
 */
EscOutbox *
esc_outbox_new (EscMirror *mirror)
{
  g_return_val_if_fail (ESC_IS_MIRROR (mirror), NULL);

  return g_object_new (ESC_TYPE_OUTBOX, "mirror", mirror, NULL);
}

EscMirror *
esc_outbox_get_mirror (EscOutbox *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), NULL);
  return self->mirror;
}

/**
 * esc_outbox_get_items:
 * @self: a #EscOutbox
 *
 * Returns: (transfer none): a #GListModel of #EscOutboxItem, queued and
 *   refused, oldest first; a change filed offline is in it at once
 */
GListModel *
esc_outbox_get_items (EscOutbox *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), NULL);
  return G_LIST_MODEL (self->items);
}

guint
esc_outbox_get_n_queued (EscOutbox *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), 0);
  return self->n_queued;
}

guint
esc_outbox_get_n_refused (EscOutbox *self)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), 0);
  return self->n_refused;
}

static char *
serialize (JsonNode *body)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, body);
  return json_generator_to_data (generator, NULL);
}

static gboolean
body_is_valid (JsonNode  *body,
               GError   **error)
{
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_set_error_literal (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                           _("The change to send is not a JSON object."));
      return FALSE;
    }

  return TRUE;
}

/**
 * esc_outbox_add:
 * @self: a #EscOutbox
 * @service: the service's base URL
 * @account: the user who queues it; only their session sends it
 * @kind: what the change does
 * @method: "POST", "PATCH" or "PUT"
 * @path: the path under @service, e.g. "/v1/support-requests"
 * @target: (nullable): the id of what the change is about
 * @title: what the list of queued changes shows
 * @body: a JSON object
 * @error: return location for a #GError
 *
 * Writes the change with a new idempotency key, in one transaction.
 *
 * Returns: (transfer full): the queued item, or %NULL with @error set
 */
EscOutboxItem *
esc_outbox_add (EscOutbox      *self,
                const char     *service,
                const char     *account,
                EscOutboxKind   kind,
                const char     *method,
                const char     *path,
                const char     *target,
                const char     *title,
                JsonNode       *body,
                GError        **error)
{
  return esc_outbox_add_if_match (self, service, account, kind, method, path, target, title, body,
                                  NULL, error);
}

/**
 * esc_outbox_add_if_match:
 * @if_match: (nullable): the If-Match header to send it with
 *
 * The same as esc_outbox_add(), with an If-Match header.
 *
 * Returns: (transfer full): the queued item, or %NULL with @error set
 */
EscOutboxItem *
esc_outbox_add_if_match (EscOutbox      *self,
                         const char     *service,
                         const char     *account,
                         EscOutboxKind   kind,
                         const char     *method,
                         const char     *path,
                         const char     *target,
                         const char     *title,
                         JsonNode       *body,
                         const char     *if_match,
                         GError        **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *json = NULL;
  g_autofree char *key = NULL;
  g_autofree char *now = NULL;
  g_autofree char *detail = NULL;
  gint64 id;

  g_return_val_if_fail (ESC_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (service != NULL && account != NULL, NULL);
  g_return_val_if_fail (method != NULL && path != NULL && title != NULL, NULL);
  g_return_val_if_fail (esc_outbox_kind_to_string (kind) != NULL, NULL);

  if (!body_is_valid (body, error))
    return NULL;

  json = serialize (body);
  key = g_uuid_string_random ();
  now = now_text ();

  if (!esc_store_begin_durable (self->db, self->path, error))
    return NULL;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT INTO outbox (service, account, kind, method, path, target, "
                                         "title, body, idempotency_key, created_at, if_match) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                         error)))
    goto fail;

  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, esc_outbox_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, method, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, target, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, if_match, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (self->db);

  detail = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", id, method, path);
  if (!esc_store_audit (self->db, self->path, "outbox-add", detail, error) ||
      !esc_store_commit_durable (self->db, self->path, error))
    goto fail;

  refresh (self);
  return esc_outbox_lookup (self, id);

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback_durable (self->db);
  return NULL;
}

/**
 * esc_outbox_lookup:
 * @self: a #EscOutbox
 * @id: the item's id
 *
 * Returns: (transfer full) (nullable): the item as stored now, or %NULL
 */
EscOutboxItem *
esc_outbox_lookup (EscOutbox *self,
                   gint64     id)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ESC_IS_OUTBOX (self), NULL);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT " ITEM_COLUMNS " FROM outbox WHERE id = ?1",
                                         &error)))
    {
      esc_store_log_dropped_error (error, "Reading outbox item %" G_GINT64_FORMAT, id);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, id);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return item_from_row (stmt);
}

GPtrArray *
esc_outbox_list_queued (EscOutbox   *self,
                        const char  *service,
                        const char  *account,
                        GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (ESC_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (service != NULL && account != NULL, NULL);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT " ITEM_COLUMNS " FROM outbox "
                                         "WHERE service = ?1 AND account = ?2 AND state = 'queued' ORDER BY id",
                                         error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&items);
}

/* Reads what esc_outbox_complete() needs to write the answer. */
static gboolean
read_kind_and_service (EscOutbox      *self,
                       gint64          id,
                       gboolean       *found,
                       EscOutboxKind  *kind,
                       char          **service,
                       char          **target,
                       GError        **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT kind, service, target FROM outbox WHERE id = ?1",
                                         error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      *found = FALSE;
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    return esc_store_set_sqlite_error (error, self->db, rc, self->path);

  *found = TRUE;
  if (!esc_outbox_kind_from_string ((const char *)sqlite3_column_text (stmt, 0), kind))
    {
      g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_CORRUPT,
                   _("The outbox of “%s” holds a change of an unknown kind."), self->path);
      return FALSE;
    }
  *service = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  *target = g_strdup ((const char *)sqlite3_column_text (stmt, 2));

  return TRUE;
}

/**
 * esc_outbox_complete:
 * @self: a #EscOutbox
 * @id: the item the service accepted
 * @answer: (nullable): the service's JSON answer
 * @error: return location for a #GError
 *
 * Removes the item and writes @answer to the mirror in one transaction. If
 * the item was discarded meanwhile, nothing is written.
 *
 * Returns: %TRUE on success; on failure nothing changed, and sending the item
 *   again under the same key gets the same answer
 */
gboolean
esc_outbox_complete (EscOutbox  *self,
                     gint64      id,
                     JsonNode   *answer,
                     GError    **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *service = NULL;
  g_autofree char *target = NULL;
  g_autofree char *detail = NULL;
  EscOutboxKind kind = ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST;
  gboolean found = FALSE;

  g_return_val_if_fail (ESC_IS_OUTBOX (self), FALSE);

  if (!esc_store_begin_durable (self->db, self->path, error))
    return FALSE;

  if (!read_kind_and_service (self, id, &found, &kind, &service, &target, error))
    goto fail;

  if (!found)
    {
      esc_store_rollback_durable (self->db);
      return TRUE;
    }

  if (answer != NULL &&
      !esc_mirror_write_answer (self->mirror, service, kind, target, answer, error))
    goto fail;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path, "DELETE FROM outbox WHERE id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  detail = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  if (!esc_store_step_done (self->db, self->path, stmt, error) ||
      !esc_store_audit (self->db, self->path, "outbox-sent", detail, error) ||
      !esc_store_commit_durable (self->db, self->path, error))
    goto fail;

  esc_mirror_flush_changes (self->mirror);
  refresh (self);
  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback_durable (self->db);
  esc_mirror_forget_changes (self->mirror);
  return FALSE;
}

static gboolean
no_such_item (GError **error,
              gint64   id)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_set_error (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
               /* Translators: %s is a number, the change’s place in the queue of changes
                * waiting to be sent to the service */
               _("The change %s is no longer in the outbox."), id_text);
  return FALSE;
}

gboolean
esc_outbox_record_failure (EscOutbox   *self,
                           gint64       id,
                           gboolean     refused,
                           const char  *code,
                           guint        status,
                           const char  *message,
                           const char  *field,
                           GDateTime   *next_attempt_at,
                           GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *now = now_text ();
  g_autofree char *next = esc_time_format_usec (next_attempt_at);

  g_return_val_if_fail (ESC_IS_OUTBOX (self), FALSE);

  if (!esc_store_begin_durable (self->db, self->path, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "UPDATE outbox SET state = ?2, attempts = attempts + 1, "
                                         "last_attempt_at = ?3, next_attempt_at = ?4, error_code = ?5, "
                                         "error_status = ?6, error_message = ?7, error_field = ?8 "
                                         "WHERE id = ?1",
                                         error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, refused ? "refused" : "queued", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, refused ? NULL : next, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, code, -1, SQLITE_TRANSIENT);
  if (status > 0)
    sqlite3_bind_int (stmt, 6, (int)status);
  sqlite3_bind_text (stmt, 7, message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, field, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    goto fail;

  /* Discarded meanwhile: nothing to record. */
  if (sqlite3_changes (self->db) == 0)
    {
      g_clear_pointer (&stmt, esc_sqlite_statement_release);
      esc_store_rollback_durable (self->db);
      return TRUE;
    }

  if (refused)
    {
      g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT " %u", id, status);

      if (!esc_store_audit (self->db, self->path, "outbox-refused", detail, error))
        goto fail;
    }

  if (!esc_store_commit_durable (self->db, self->path, error))
    goto fail;

  refresh (self);
  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback_durable (self->db);
  return FALSE;
}

/* Queues a refused item again under a new key: the service created nothing
 * for the old one, and would refuse a new body under it. created_at becomes
 * now: it is when the change was queued under its key, which the sender
 * compares with the service's 30 days of idempotency. */
static gboolean
requeue (EscOutbox   *self,
         gint64       id,
         const char  *title,
         JsonNode    *body,
         const char  *if_match,
         const char  *what,
         GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *json = body != NULL ? serialize (body) : NULL;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *now = now_text ();

  if (!esc_store_begin_durable (self->db, self->path, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "UPDATE outbox SET state = 'queued', idempotency_key = ?2, "
                                         "title = coalesce (?3, title), body = coalesce (?4, body), "
                                         "attempts = 0, next_attempt_at = NULL, error_code = NULL, "
                                         "error_status = NULL, error_message = NULL, error_field = NULL, "
                                         "created_at = ?5, if_match = coalesce (?6, if_match) "
                                         "WHERE id = ?1 AND state = 'refused'",
                                         error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, if_match, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    goto fail;

  if (sqlite3_changes (self->db) == 0)
    {
      g_autoptr(EscOutboxItem) item = esc_outbox_lookup (self, id);

      if (item == NULL)
        no_such_item (error, id);
      else
        g_set_error_literal (error, ESC_STORE_ERROR, ESC_STORE_ERROR_FAILED,
                             _("Only a change the service refused can be edited or sent again."));
      goto fail;
    }

  if (!esc_store_audit (self->db, self->path, what, detail, error) ||
      !esc_store_commit_durable (self->db, self->path, error))
    goto fail;

  refresh (self);
  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback_durable (self->db);
  return FALSE;
}

/**
 * esc_outbox_edit:
 * @self: a #EscOutbox
 * @id: a refused item
 * @title: (nullable): the new title, or %NULL to keep it
 * @body: the corrected JSON object
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the item is queued again
 */
gboolean
esc_outbox_edit (EscOutbox   *self,
                 gint64       id,
                 const char  *title,
                 JsonNode    *body,
                 GError     **error)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), FALSE);

  if (!body_is_valid (body, error))
    return FALSE;

  return requeue (self, id, title, body, NULL, "outbox-edit", error);
}

/**
 * esc_outbox_resend:
 * @self: a #EscOutbox
 * @id: a refused item
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the item is queued again
 */
gboolean
esc_outbox_resend (EscOutbox  *self,
                   gint64      id,
                   GError    **error)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), FALSE);

  return requeue (self, id, NULL, NULL, NULL, "outbox-resend", error);
}

/**
 * esc_outbox_resend_if_match:
 * @self: a #EscOutbox
 * @id: a refused item
 * @if_match: the etag to send it against now
 * @error: return location for a #GError
 *
 * A change refused because the target changed meanwhile (412), queued again
 * against the version the user has now seen: keeping theirs over the other.
 *
 * Returns: %TRUE if the item is queued again
 */
gboolean
esc_outbox_resend_if_match (EscOutbox   *self,
                            gint64       id,
                            const char  *if_match,
                            GError     **error)
{
  g_return_val_if_fail (ESC_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (if_match != NULL, FALSE);

  return requeue (self, id, NULL, NULL, if_match, "outbox-resend", error);
}

/**
 * esc_outbox_discard:
 * @self: a #EscOutbox
 * @id: an item
 * @error: return location for a #GError
 *
 * Removes the item. A queued item may already have reached the service (its
 * answer lost on the way): the next sync then shows it.
 *
 * Returns: %TRUE on success, including when the item was already gone
 */
gboolean
esc_outbox_discard (EscOutbox  *self,
                    gint64      id,
                    GError    **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *detail = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_return_val_if_fail (ESC_IS_OUTBOX (self), FALSE);

  if (!esc_store_begin_durable (self->db, self->path, error))
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path, "DELETE FROM outbox WHERE id = ?1", error)))
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!esc_store_step_done (self->db, self->path, stmt, error) ||
      !esc_store_audit (self->db, self->path, "outbox-discard", detail, error) ||
      !esc_store_commit_durable (self->db, self->path, error))
    goto fail;

  refresh (self);
  return TRUE;

fail:
  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  esc_store_rollback_durable (self->db);
  return FALSE;
}
