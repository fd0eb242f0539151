/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "esc-admin-contact.h"
#include "esc-audit-event.h"
#include "esc-core-error.h"
#include "esc-json-read.h"
#include "esc-mirror-model.h"
#include "esc-mirror-private.h"
#include "esc-staff-member.h"
#include "esc-store-error.h"
#include "esc-store-private.h"
#include "esc-support-request.h"
#include "esc-time.h"
#include "esc-workspace-private.h"

/* The mirror tables of the workspace (migration 2). Each row keeps the JSON
 * the service sent, and the columns the lists sort on; the models read the
 * JSON back through the same codecs as the client, so what the UI shows is
 * exactly what the service said. */

#define CURSOR_SUPPORT_REQUESTS "support-requests"
#define CURSOR_AUDIT            "audit"
#define LAST_SYNCED             "last-synced"
/* With the account "": when the admin contacts were last read whole */
#define CURSOR_ADMIN_CONTACTS   "admin-contacts"

struct _EscMirror
{
  GObject         parent_instance;

  EscWorkspace   *workspace;
  sqlite3        *db;
  const char     *path;
  char           *service;

  EscMirrorModel *support_requests;
  EscMirrorModel *staff;
  EscMirrorModel *audit_events;

  /* What the current transaction changed, for the models */
  GHashTable     *changed_requests;  /* "service\nid" → NULL */
  gboolean        staff_changed;
  gboolean        audit_changed;
};

G_DEFINE_FINAL_TYPE (EscMirror, esc_mirror, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WORKSPACE,
  PROP_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SUPPORT_REQUEST_CHANGED,
  STAFF_CHANGED,
  ADMIN_CONTACTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Reading ------------------------------------------------------------------- */

/* A new object with the members of @object but @left_out. json_node_copy()
 * would share the object, and an object from an immutable parser cannot
 * change. */
static JsonNode *
copy_without (JsonObject *object,
              const char *left_out)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!g_str_equal (name, left_out))
        json_object_set_member (copy, name, json_node_copy (member));
    }

  return json_node_init_object (json_node_alloc (), copy);
}

static GPtrArray *
read_keys (EscMirror   *self,
           const char  *sql,
           GError     **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  int rc;

  if (self->service == NULL || self->db == NULL)
    return g_steal_pointer (&keys);

  /* @sql is one of a few fixed texts: kept prepared */
  if (!(stmt = esc_store_prepare_cached (self->db, self->path, sql, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (keys, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));

  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&keys);
}

/* The JSON of one row, parsed. */
static JsonNode *
read_json (EscMirror  *self,
           const char *sql,
           const char *service,
           const char *key)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *json;

  if (service == NULL || self->db == NULL)
    return NULL;

  /* @sql is one of a few fixed texts: kept prepared */
  if (!(stmt = esc_store_prepare_cached (self->db, self->path, sql, &error)))
    {
      esc_store_log_dropped_error (error, "Reading the mirror");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  json = (const char *)sqlite3_column_text (stmt, 0);
  if (json == NULL || !json_parser_load_from_data (parser, json, -1, &error))
    {
      g_debug ("A row of the mirror cannot be read: %s", error != NULL ? error->message : "null");
      return NULL;
    }

  return json_parser_steal_root (parser);
}

static GPtrArray *
support_request_keys (gpointer   user_data,
                      GError   **error)
{
  return read_keys (user_data,
                    "SELECT id FROM mirror_support_requests WHERE service = ?1 "
                    "ORDER BY updated_at DESC, id DESC",
                    error);
}

static GObject *
support_request_item (gpointer    user_data,
                      const char *key)
{
  EscMirror *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EscSupportRequest *request;

  node = read_json (self, "SELECT json FROM mirror_support_requests WHERE service = ?1 AND id = ?2",
                    self->service, key);
  if (node == NULL)
    return NULL;

  request = esc_support_request_new_from_json (node, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL, &error);
  if (request == NULL)
    g_debug ("Support request %s of the mirror cannot be read: %s", key, error->message);

  return (GObject *)request;
}

static GPtrArray *
staff_keys (gpointer   user_data,
            GError   **error)
{
  return read_keys (user_data,
                    "SELECT id FROM mirror_staff WHERE service = ?1 ORDER BY name, id",
                    error);
}

static GObject *
staff_item (gpointer    user_data,
            const char *key)
{
  EscMirror *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EscStaffMember *member;

  node = read_json (self, "SELECT json FROM mirror_staff WHERE service = ?1 AND id = ?2",
                    self->service, key);
  if (node == NULL)
    return NULL;

  member = esc_staff_member_new_from_json (node, &error);
  if (member == NULL)
    g_debug ("Staff member %s of the mirror cannot be read: %s", key, error->message);

  return (GObject *)member;
}

static GPtrArray *
audit_keys (gpointer   user_data,
            GError   **error)
{
  return read_keys (user_data,
                    "SELECT id FROM mirror_audit_events WHERE service = ?1 ORDER BY id DESC",
                    error);
}

static GObject *
audit_item (gpointer    user_data,
            const char *key)
{
  EscMirror *self = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EscAuditEvent *event;

  node = read_json (self, "SELECT json FROM mirror_audit_events WHERE service = ?1 AND id = ?2",
                    self->service, key);
  if (node == NULL)
    return NULL;

  event = esc_audit_event_new_from_json (node, &error);
  if (event == NULL)
    g_debug ("Audit event %s of the mirror cannot be read: %s", key, error->message);

  return (GObject *)event;
}

/* The object ---------------------------------------------------------------- */

static void
esc_mirror_constructed (GObject *object)
{
  EscMirror *self = (EscMirror *)object;

  G_OBJECT_CLASS (esc_mirror_parent_class)->constructed (object);

  self->db = esc_workspace_get_connection (self->workspace);
  self->path = esc_workspace_get_path (self->workspace);
}

static void
esc_mirror_dispose (GObject *object)
{
  EscMirror *self = (EscMirror *)object;

  /* The UI may keep a model after we go: cut its way back. */
  if (self->support_requests != NULL)
    esc_mirror_model_detach (self->support_requests);
  if (self->staff != NULL)
    esc_mirror_model_detach (self->staff);
  if (self->audit_events != NULL)
    esc_mirror_model_detach (self->audit_events);
  g_clear_object (&self->support_requests);
  g_clear_object (&self->staff);
  g_clear_object (&self->audit_events);
  g_clear_object (&self->workspace);
  self->db = NULL;

  G_OBJECT_CLASS (esc_mirror_parent_class)->dispose (object);
}

static void
esc_mirror_finalize (GObject *object)
{
  EscMirror *self = (EscMirror *)object;

  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->changed_requests, g_hash_table_unref);

  G_OBJECT_CLASS (esc_mirror_parent_class)->finalize (object);
}

static void
esc_mirror_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EscMirror *self = ESC_MIRROR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_mirror_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  EscMirror *self = ESC_MIRROR (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      self->workspace = g_value_dup_object (value);
      break;
    case PROP_SERVICE:
      esc_mirror_set_service (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
esc_mirror_class_init (EscMirrorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = esc_mirror_constructed;
  object_class->dispose = esc_mirror_dispose;
  object_class->finalize = esc_mirror_finalize;
  object_class->get_property = esc_mirror_get_property;
  object_class->set_property = esc_mirror_set_property;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, ESC_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE] =
    g_param_spec_string ("service", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The staff rows of the current service were written, or the service changed
   * (the staff model emits only when the set of people changes) */
  signals[STAFF_CHANGED] = g_signal_new ("staff-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The admin contacts of the current service were written, or the service changed */
  signals[ADMIN_CONTACTS_CHANGED] = g_signal_new ("admin-contacts-changed", G_TYPE_FROM_CLASS (klass),
                                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * EscMirror::support-request-changed:
   * @self: the mirror
   * @id: the id of the request, e.g. "SR-000123"
   *
   * A request of the current service was added or changed (by a sync or
   * by the answer to a queued change): a detail view showing it reloads it.
   */
  signals[SUPPORT_REQUEST_CHANGED] =
    g_signal_new ("support-request-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
esc_mirror_init (EscMirror *self)
{
  self->changed_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->support_requests = esc_mirror_model_new (ESC_TYPE_SUPPORT_REQUEST,
                                                 support_request_keys, support_request_item, self);
  self->staff = esc_mirror_model_new (ESC_TYPE_STAFF_MEMBER, staff_keys, staff_item, self);
  self->audit_events = esc_mirror_model_new (ESC_TYPE_AUDIT_EVENT, audit_keys, audit_item, self);
}

/**
 * esc_mirror_new:
 * @workspace: an open workspace
 *
 * Returns: (transfer full): the mirror of @workspace, showing no service yet
 */
EscMirror *
esc_mirror_new (EscWorkspace *workspace)
{
  g_return_val_if_fail (ESC_IS_WORKSPACE (workspace), NULL);

  return g_object_new (ESC_TYPE_MIRROR, "workspace", workspace, NULL);
}

EscWorkspace *
esc_mirror_get_workspace (EscMirror *self)
{
  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  return self->workspace;
}

const char *
esc_mirror_get_service (EscMirror *self)
{
  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  return self->service;
}

static void
reload_models (EscMirror  *self,
               gboolean    requests,
               GHashTable *changed_requests,
               gboolean    staff,
               gboolean    audit)
{
  g_autoptr(GError) error = NULL;

  /* The file is right; a model that cannot be read again stays as it was. */
  if (requests && !esc_mirror_model_reload (self->support_requests, changed_requests, &error))
    esc_store_log_dropped_error (error, "Could not reload the support requests");
  g_clear_error (&error);
  if (staff && !esc_mirror_model_reload (self->staff, NULL, &error))
    esc_store_log_dropped_error (error, "Could not reload the staff");
  g_clear_error (&error);
  if (staff)
    g_signal_emit (self, signals[STAFF_CHANGED], 0);
  if (audit && !esc_mirror_model_reload (self->audit_events, NULL, &error))
    esc_store_log_dropped_error (error, "Could not reload the audit log");
}

/**
 * esc_mirror_set_service:
 * @self: a #EscMirror
 * @service: (nullable): a service's base URL
 *
 * Shows the rows of @service in the models.
 */
void
esc_mirror_set_service (EscMirror  *self,
                        const char *service)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (ESC_IS_MIRROR (self));

  if (g_strcmp0 (service, self->service) == 0)
    return;

  g_free (self->service);
  self->service = g_strdup (service);

  /* Every row changes: the same ids on two services are two requests. */
  if (!esc_mirror_model_reset (self->support_requests, &error) ||
      !esc_mirror_model_reset (self->staff, &error) ||
      !esc_mirror_model_reset (self->audit_events, &error))
    esc_store_log_dropped_error (error, "Could not read the mirror of %s", service);
  g_signal_emit (self, signals[STAFF_CHANGED], 0);
  g_signal_emit (self, signals[ADMIN_CONTACTS_CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

GListModel *
esc_mirror_get_support_requests (EscMirror *self)
{
  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  return G_LIST_MODEL (self->support_requests);
}

GListModel *
esc_mirror_get_staff (EscMirror *self)
{
  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  return G_LIST_MODEL (self->staff);
}

GListModel *
esc_mirror_get_audit_events (EscMirror *self)
{
  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  return G_LIST_MODEL (self->audit_events);
}

/**
 * esc_mirror_dup_support_request:
 * @self: a #EscMirror
 * @id: a support request's id
 *
 * Returns: (transfer full) (nullable): the #EscSupportRequest with the
 *   timeline events the mirror holds, oldest first, or %NULL
 */
EscSupportRequest *
esc_mirror_dup_support_request (EscMirror  *self,
                                const char *id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) timeline = json_array_new ();
  EscSupportRequest *request;
  int rc;

  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  node = read_json (self, "SELECT json FROM mirror_support_requests WHERE service = ?1 AND id = ?2",
                    self->service, id);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT json FROM mirror_timeline_events "
                                         "WHERE service = ?1 AND request_id = ?2 ORDER BY at, id",
                                         &error)))
    {
      esc_store_log_dropped_error (error, "Reading the timeline of %s", id);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, (const char *)sqlite3_column_text (stmt, 0), -1, NULL))
        json_array_add_element (timeline, json_parser_steal_root (parser));
    }

  /* The parsed object is immutable: build the request's JSON anew. */
  {
    g_autoptr(JsonNode) copy = copy_without (json_node_get_object (node), "timeline");

    json_object_set_array_member (json_node_get_object (copy), "timeline",
                                  json_array_ref (timeline));
    request = esc_support_request_new_from_json (copy, ESC_SUPPORT_REQUEST_JSON_RESOURCE, NULL,
                                                 &error);
  }

  if (request == NULL)
    g_debug ("Support request %s of the mirror cannot be read: %s", id, error->message);

  return request;
}

/* Writing ------------------------------------------------------------------- */

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return esc_time_format_usec (now);
}

static gboolean
invalid_row (GError     **error,
             const char  *what,
             GError      *cause)
{
  g_set_error (error, ESC_CORE_ERROR, cause != NULL ? cause->code : ESC_CORE_ERROR_INVALID_VALUE,
               /* Translators: e.g. "A support request: “id” is missing" */
               _("%s: %s"), what, cause != NULL ? cause->message : "");
  return FALSE;
}

static void
note_request_changed (EscMirror  *self,
                      const char *service,
                      const char *id)
{
  g_hash_table_add (self->changed_requests, g_strconcat (service, "\n", id, NULL));
}

static gboolean
write_timeline_event (EscMirror   *self,
                      const char  *service,
                      const char  *request_id,
                      JsonNode    *node,
                      GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *json = NULL;
  JsonObject *object;
  const char *kind;
  const char *at_text;
  gint64 id;

  if (!esc_json_require_object (node, _("A timeline event"), &object, &local_error) ||
      !esc_json_read_int (object, "id", FALSE, &id, &local_error) ||
      !esc_json_read_string (object, "at", FALSE, &at_text, &local_error) ||
      !esc_json_read_time (object, "at", FALSE, &at, &local_error) ||
      !esc_json_read_string (object, "kind", FALSE, &kind, &local_error))
    return invalid_row (error, _("A timeline event"), local_error);

  json = esc_json_to_string (node);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT OR REPLACE INTO mirror_timeline_events "
                                         "(service, request_id, id, at, kind, json) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, at_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, json, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;

  note_request_changed (self, service, request_id);
  return TRUE;
}

/* Upserts one SupportRequest; its timeline too, if it has one. The stored JSON
 * leaves the timeline out: it lives in its own table. */
static gboolean
write_support_request (EscMirror   *self,
                       const char  *service,
                       JsonNode    *node,
                       const char **out_updated_at,
                       GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = now_text ();
  JsonObject *object;
  JsonNode *timeline;
  const char *id, *kind, *type, *severity, *state, *title;
  const char *created_text, *updated_text, *due_text;
  const char *filed_by = NULL;
  gint64 filed_by_id;

  if (!esc_json_require_object (node, _("A support request"), &object, &local_error) ||
      !esc_json_read_string (object, "id", FALSE, &id, &local_error) ||
      !esc_json_read_string (object, "kind", FALSE, &kind, &local_error) ||
      !esc_json_read_string (object, "type", FALSE, &type, &local_error) ||
      !esc_json_read_string (object, "severity", FALSE, &severity, &local_error) ||
      !esc_json_read_string (object, "state", FALSE, &state, &local_error) ||
      !esc_json_read_string (object, "title", FALSE, &title, &local_error) ||
      !esc_json_read_person (object, "filed_by", TRUE, &filed_by_id, &filed_by, &local_error) ||
      !esc_json_read_string (object, "created_at", FALSE, &created_text, &local_error) ||
      !esc_json_read_time (object, "created_at", FALSE, &created_at, &local_error) ||
      !esc_json_read_string (object, "updated_at", FALSE, &updated_text, &local_error) ||
      !esc_json_read_time (object, "updated_at", FALSE, &updated_at, &local_error) ||
      !esc_json_read_string (object, "response_due_at", TRUE, &due_text, &local_error))
    return invalid_row (error, _("A support request"), local_error);

  stored = copy_without (object, "timeline");
  json = esc_json_to_string (stored);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT OR REPLACE INTO mirror_support_requests "
                                         "(service, id, kind, type, severity, state, title, filed_by, "
                                         "created_at, updated_at, response_due_at, json, synced_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, severity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, filed_by, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 9, created_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, updated_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 11, due_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 12, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 13, now, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;

  timeline = json_object_get_member (object, "timeline");
  if (timeline != NULL && JSON_NODE_HOLDS_ARRAY (timeline))
    {
      JsonArray *events = json_node_get_array (timeline);

      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          if (!write_timeline_event (self, service, id, json_array_get_element (events, i), error))
            return FALSE;
        }
    }

  note_request_changed (self, service, id);
  if (out_updated_at != NULL)
    *out_updated_at = updated_text;

  return TRUE;
}

static gboolean
write_staff_member (EscMirror   *self,
                    const char  *service,
                    JsonNode    *node,
                    GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(EscStaffMember) member = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = now_text ();

  /* Read through the same codec as the model, so that a row that is stored
   * can always be shown. */
  member = esc_staff_member_new_from_json (node, &local_error);
  if (member == NULL)
    return invalid_row (error, _("A member of the staff"), local_error);

  json = esc_json_to_string (node);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT OR REPLACE INTO mirror_staff (service, id, name, email, json, "
                                         "synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, esc_staff_member_get_id (member));
  sqlite3_bind_text (stmt, 3, esc_staff_member_get_name (member), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, esc_staff_member_get_email (member), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;

  self->staff_changed = TRUE;
  return TRUE;
}

static gboolean
write_audit_event (EscMirror   *self,
                   const char  *service,
                   JsonNode    *node,
                   gint64      *out_id,
                   GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(EscAuditEvent) event = NULL;
  g_autofree char *json = NULL;
  const char *at;
  JsonObject *object;

  event = esc_audit_event_new_from_json (node, &local_error);
  if (event == NULL)
    return invalid_row (error, _("An audit event"), local_error);

  object = json_node_get_object (node);
  esc_json_read_string (object, "at", FALSE, &at, NULL);
  json = esc_json_to_string (node);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT OR REPLACE INTO mirror_audit_events (service, id, at, action, "
                                         "actor, target, remote_address, json) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, esc_audit_event_get_id (event));
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, esc_audit_event_get_action (event), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, esc_audit_event_get_actor (event), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, esc_audit_event_get_target (event), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, esc_audit_event_get_remote_address (event), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, json, -1, SQLITE_TRANSIENT);

  if (!esc_store_step_done (self->db, self->path, stmt, error))
    return FALSE;

  *out_id = esc_audit_event_get_id (event);
  self->audit_changed = TRUE;
  return TRUE;
}

static gboolean
write_cursor (EscMirror   *self,
              const char  *service,
              const char  *account,
              const char  *what,
              const char  *cursor,
              const char  *synced_at,
              GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT INTO sync_state (service, account, what, cursor, synced_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5) "
                                         "ON CONFLICT (service, account, what) DO UPDATE SET "
                                         "cursor = coalesce (excluded.cursor, cursor), "
                                         "synced_at = coalesce (excluded.synced_at, synced_at)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, what, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, cursor, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, synced_at, -1, SQLITE_TRANSIENT);

  return esc_store_step_done (self->db, self->path, stmt, error);
}

void
esc_mirror_forget_changes (EscMirror *self)
{
  g_return_if_fail (ESC_IS_MIRROR (self));

  g_hash_table_remove_all (self->changed_requests);
  self->staff_changed = FALSE;
  self->audit_changed = FALSE;
}

/* After a commit: the models of the current service take the changes in, and
 * a detail view learns which request changed. */
void
esc_mirror_flush_changes (EscMirror *self)
{
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean staff = self->staff_changed;
  gboolean audit = self->audit_changed;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (ESC_IS_MIRROR (self));

  changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->changed_requests);
  while (self->service != NULL && g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *newline = strchr (key, '\n');

      if (newline != NULL &&
          (gsize)(newline - (const char *)key) == strlen (self->service) &&
          strncmp (key, self->service, newline - (const char *)key) == 0)
        {
          g_hash_table_add (changed, g_strdup (newline + 1));
          g_ptr_array_add (ids, g_strdup (newline + 1));
        }
    }
  esc_mirror_forget_changes (self);

  reload_models (self, g_hash_table_size (changed) > 0, changed, staff, audit);

  for (guint i = 0; i < ids->len; i++)
    g_signal_emit (self, signals[SUPPORT_REQUEST_CHANGED], 0, g_ptr_array_index (ids, i));
}

/* Runs @write inside one transaction, then lets the models know. */
static gboolean
commit_or_rollback (EscMirror  *self,
                    gboolean    ok,
                    GError    **error)
{
  if (ok && esc_store_commit (self->db, self->path, error))
    {
      esc_mirror_flush_changes (self);
      return TRUE;
    }

  esc_store_rollback (self->db);
  esc_mirror_forget_changes (self);
  return FALSE;
}

gboolean
esc_mirror_store_support_requests (EscMirror   *self,
                                   const char  *service,
                                   const char  *account,
                                   JsonArray   *items,
                                   GError     **error)
{
  g_autofree char *cursor = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && account != NULL && items != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  for (guint i = 0; ok && i < json_array_get_length (items); i++)
    {
      const char *updated_at = NULL;

      ok = write_support_request (self, service, json_array_get_element (items, i),
                                  &updated_at, error);
      /* RFC 3339 UTC in one format sorts as text. */
      if (ok && (cursor == NULL || g_strcmp0 (updated_at, cursor) > 0))
        {
          g_free (cursor);
          cursor = g_strdup (updated_at);
        }
    }

  if (ok && cursor != NULL)
    ok = write_cursor (self, service, account, CURSOR_SUPPORT_REQUESTS, cursor, NULL, error);

  return commit_or_rollback (self, ok, error);
}

gboolean
esc_mirror_store_support_request (EscMirror   *self,
                                  const char  *service,
                                  JsonNode    *request,
                                  GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && request != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  ok = write_support_request (self, service, request, NULL, error);

  return commit_or_rollback (self, ok, error);
}

gboolean
esc_mirror_store_staff (EscMirror   *self,
                        const char  *service,
                        JsonArray   *items,
                        GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && items != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  /* The list is whole: who is not in it is no longer staff. */
  stmt = esc_store_prepare_cached (self->db, self->path,
                                   "DELETE FROM mirror_staff WHERE service = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
      ok = esc_store_step_done (self->db, self->path, stmt, error);
      self->staff_changed = TRUE;
    }

  for (guint i = 0; ok && i < json_array_get_length (items); i++)
    ok = write_staff_member (self, service, json_array_get_element (items, i), error);

  g_clear_pointer (&stmt, esc_sqlite_statement_release);
  return commit_or_rollback (self, ok, error);
}

gboolean
esc_mirror_store_audit_events (EscMirror   *self,
                               const char  *service,
                               const char  *account,
                               JsonArray   *items,
                               GError     **error)
{
  gint64 last = -1;
  gboolean ok = TRUE;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && account != NULL && items != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  for (guint i = 0; ok && i < json_array_get_length (items); i++)
    {
      gint64 id = 0;

      ok = write_audit_event (self, service, json_array_get_element (items, i), &id, error);
      last = MAX (last, id);
    }

  if (ok && last >= 0)
    {
      g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, last);

      ok = write_cursor (self, service, account, CURSOR_AUDIT, cursor, NULL, error);
    }

  return commit_or_rollback (self, ok, error);
}

char *
esc_mirror_dup_cursor (EscMirror  *self,
                       const char *service,
                       const char *account,
                       const char *what)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  g_return_val_if_fail (service != NULL && account != NULL && what != NULL, NULL);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT cursor FROM sync_state "
                                         "WHERE service = ?1 AND account = ?2 AND what = ?3",
                                         &error)))
    {
      esc_store_log_dropped_error (error, "Reading a sync cursor");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, what, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;

  return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
}

gboolean
esc_mirror_set_last_synced (EscMirror   *self,
                            const char  *service,
                            const char  *account,
                            GDateTime   *at,
                            GError     **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && account != NULL && at != NULL, FALSE);

  text = esc_time_format_usec (at);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  return commit_or_rollback (self,
                             write_cursor (self, service, account, LAST_SYNCED, NULL, text, error),
                             error);
}

GDateTime *
esc_mirror_dup_last_synced (EscMirror  *self,
                            const char *service,
                            const char *account)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);
  g_return_val_if_fail (service != NULL && account != NULL, NULL);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT synced_at FROM sync_state "
                                         "WHERE service = ?1 AND account = ?2 AND what = '" LAST_SYNCED "'",
                                         &error)))
    {
      esc_store_log_dropped_error (error, "Reading the last sync time");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_ROW || (text = (const char *)sqlite3_column_text (stmt, 0)) == NULL)
    return NULL;

  return esc_time_parse (text);
}

/* For the outbox ------------------------------------------------------------ */

gboolean
esc_mirror_write_answer (EscMirror      *self,
                         const char     *service,
                         EscOutboxKind   kind,
                         const char     *target,
                         JsonNode       *answer,
                         GError        **error)
{
  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && answer != NULL, FALSE);

  switch (kind)
    {
    case ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST:
    case ESC_OUTBOX_KIND_PATCH_SUPPORT_REQUEST:
    case ESC_OUTBOX_KIND_REACTIVATE:
      return write_support_request (self, service, answer, NULL, error);

    case ESC_OUTBOX_KIND_COMMENT:
      g_return_val_if_fail (target != NULL, FALSE);
      return write_timeline_event (self, service, target, answer, error);

    case ESC_OUTBOX_KIND_SET_DESIGNATIONS:
      return write_staff_member (self, service, answer, error);

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Admin contacts ------------------------------------------------------------------- */

static gboolean
write_admin_contact (EscMirror   *self,
                     const char  *service,
                     JsonNode    *node,
                     GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(EscAdminContact) contact = NULL;
  g_autofree char *json = NULL;
  g_autofree char *now = now_text ();

  /* Through the codec that reads it back, so that what is stored can be shown */
  contact = esc_admin_contact_new_from_json (node, &local_error);
  if (contact == NULL)
    return invalid_row (error, _("An admin contact"), local_error);

  json = esc_json_to_string (node);
  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "INSERT OR REPLACE INTO mirror_admin_contacts (service, area, json, synced_at)"
                                         " VALUES (?1, ?2, ?3, ?4)",
                                         error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, esc_admin_contact_get_area (contact), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_TRANSIENT);

  return esc_store_step_done (self->db, self->path, stmt, error);
}

static gboolean
commit_admin_contacts (EscMirror   *self,
                       const char  *service,
                       gboolean     ok,
                       GError     **error)
{
  if (!ok || !esc_store_commit (self->db, self->path, error))
    {
      esc_store_rollback (self->db);
      return FALSE;
    }

  if (g_strcmp0 (service, self->service) == 0)
    g_signal_emit (self, signals[ADMIN_CONTACTS_CHANGED], 0);
  return TRUE;
}

/**
 * esc_mirror_store_admin_contacts:
 * @self: a #EscMirror
 * @service: the service's base URL
 * @items: the AdminContact objects of GET /v1/admin-contacts
 * @error: return location for a #GError
 *
 * Replaces the admin contacts of @service, in one transaction. A row of the
 * sync state (what "admin-contacts") records that they were read, so that no
 * contact is told apart from nothing known.
 *
 * Returns: %TRUE on success
 */
gboolean
esc_mirror_store_admin_contacts (EscMirror   *self,
                                 const char  *service,
                                 JsonArray   *items,
                                 GError     **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autofree char *now = now_text ();
  gboolean ok;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && items != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  stmt = esc_store_prepare_cached (self->db, self->path,
                                   "DELETE FROM mirror_admin_contacts WHERE service = ?1", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, service, -1, SQLITE_TRANSIENT);
      ok = esc_store_step_done (self->db, self->path, stmt, error);
    }
  g_clear_pointer (&stmt, esc_sqlite_statement_release);

  for (guint i = 0; ok && i < json_array_get_length (items); i++)
    ok = write_admin_contact (self, service, json_array_get_element (items, i), error);

  /* Read, even if empty: the service has none */
  if (ok)
    ok = write_cursor (self, service, "", CURSOR_ADMIN_CONTACTS, NULL, now, error);

  return commit_admin_contacts (self, service, ok, error);
}

gboolean
esc_mirror_store_admin_contact (EscMirror   *self,
                                const char  *service,
                                JsonNode    *contact,
                                GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);
  g_return_val_if_fail (service != NULL && contact != NULL, FALSE);

  if (!esc_store_begin (self->db, self->path, error))
    return FALSE;

  ok = write_admin_contact (self, service, contact, error);

  return commit_admin_contacts (self, service, ok, error);
}

GPtrArray *
esc_mirror_dup_admin_contacts (EscMirror  *self,
                               GError    **error)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  g_return_val_if_fail (ESC_IS_MIRROR (self), NULL);

  if (self->service == NULL || self->db == NULL)
    return g_steal_pointer (&contacts);

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT json FROM mirror_admin_contacts WHERE service = ?1 ORDER BY area",
                                         error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) local_error = NULL;
      EscAdminContact *contact;

      /* Stored through the codec: a row that does not read is skipped and said */
      if (!json_parser_load_from_data (parser, (const char *)sqlite3_column_text (stmt, 0), -1, &local_error) ||
          !(contact = esc_admin_contact_new_from_json (json_parser_get_root (parser), &local_error)))
        {
          g_debug ("An admin contact of the mirror cannot be read: %s", local_error->message);
          continue;
        }
      g_ptr_array_add (contacts, contact);
    }
  if (rc != SQLITE_DONE)
    {
      esc_store_set_sqlite_error (error, self->db, rc, self->path);
      return NULL;
    }

  return g_steal_pointer (&contacts);
}

gboolean
esc_mirror_has_admin_contacts (EscMirror *self)
{
  g_autoptr(EscSqliteCachedStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (ESC_IS_MIRROR (self), FALSE);

  if (self->service == NULL || self->db == NULL)
    return FALSE;

  if (!(stmt = esc_store_prepare_cached (self->db, self->path,
                                         "SELECT 1 FROM sync_state WHERE service = ?1 AND account = '' AND what = ?2",
                                         &error)))
    {
      esc_store_log_dropped_error (error, "Reading the mirror");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, self->service, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, CURSOR_ADMIN_CONTACTS, -1, SQLITE_STATIC);

  return sqlite3_step (stmt) == SQLITE_ROW;
}
