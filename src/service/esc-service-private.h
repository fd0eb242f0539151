/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The service's internal framework, shared by the feature files
 * (esc-service-requests.c, esc-service-audit.c, …): each declaration below
 * says how to use it. */

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "esc-sqlite-connection.h"

#include "esc-service-db.h"
#include "esc-service-storage.h"
#include "esc-service-listener.h"
#include "esc-service-server.h"
#include "esc-time.h"

G_BEGIN_DECLS

/* The largest request body the service reads. */
#define ESC_SERVICE_MAX_BODY_BYTES (1024 * 1024)
/* Problem types are PROBLEM_BASE + a slug, e.g. ".../problems/not-found". */
#define ESC_SERVICE_PROBLEM_BASE "https://escalade.invalid/problems/"

/* Database helpers (esc-service-db.c, esc-service-stmt.c)
 *
 * The handlers' storage: one EscServiceDb per node, on SQLite (a file, one
 * node) or PostgreSQL (several nodes on one database; issue 13). Handlers
 * write SQL that both dialects accept and use the statements below, never
 * the SQLite or libpq API, so they do not know which one runs:
 *
 * - parameters are ?1…?n (or ?), bound with esc_service_stmt_bind_*();
 *   PostgreSQL receives them as $1…$n, as text;
 * - a new row's id comes from "INSERT … RETURNING id";
 * - upserts are "INSERT … ON CONFLICT (…) DO NOTHING / DO UPDATE SET …";
 * - times are RFC 3339 UTC text of one width (esc_time_format()), compared
 *   as text; case-insensitive matches use lower (…) on both sides;
 * - yes/no columns are 0/1 integers on both.
 *
 * On PostgreSQL a statement runs when first stepped, on the connection of
 * the open transaction (or alone, committed at once, outside one), and its
 * rows are read from the copy of its result. */

typedef struct _EscServiceStmt EscServiceStmt;

/* What esc_service_stmt_step() returns (the values of SQLite's codes). */
#define ESC_SERVICE_STMT_ROW   100
#define ESC_SERVICE_STMT_DONE  101
#define ESC_SERVICE_STMT_ERROR 1

typedef enum
{
  ESC_SERVICE_DB_SQLITE,
  ESC_SERVICE_DB_POSTGRESQL,
} EscServiceDbBackend;

EscServiceDbBackend esc_service_db_get_backend (EscServiceDb *db);

/* (transfer full): free with g_autoptr(EscServiceStmt) */
EscServiceStmt *esc_service_db_prepare         (EscServiceDb   *db,
                                                const char     *sql,
                                                GError        **error);
/* Like esc_service_db_prepare(), but on SQLite the statement is prepared
 * once and kept: hold it in a g_autoptr(EscServiceCachedStmt), which resets
 * it at the end of the scope. Not re-entrant: the same SQL cannot be in use
 * twice at once. */
EscServiceStmt *esc_service_db_prepare_cached  (EscServiceDb   *db,
                                                const char     *sql,
                                                GError        **error);
void            esc_service_stmt_free          (EscServiceStmt *stmt);
void            esc_service_stmt_release       (EscServiceStmt *stmt);

typedef EscServiceStmt EscServiceCachedStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceStmt, esc_service_stmt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscServiceCachedStmt, esc_service_stmt_release)

/* Parameters count from 1. Text is copied; NULL binds SQL NULL. */
void          esc_service_stmt_bind_int64    (EscServiceStmt *stmt,
                                              int             index,
                                              gint64          value);
void          esc_service_stmt_bind_double   (EscServiceStmt *stmt,
                                              int             index,
                                              double          value);
void          esc_service_stmt_bind_text     (EscServiceStmt *stmt,
                                              int             index,
                                              const char     *text);
void          esc_service_stmt_bind_blob     (EscServiceStmt *stmt,
                                              int             index,
                                              const void     *data,
                                              gsize           length);
void          esc_service_stmt_bind_null     (EscServiceStmt *stmt,
                                              int             index);
/* ESC_SERVICE_STMT_ROW, _DONE, or _ERROR (esc_service_db_set_error() then
 * tells what failed). */
int           esc_service_stmt_step          (EscServiceStmt *stmt);
/* Back to before the first step, keeping the bindings. */
void          esc_service_stmt_reset         (EscServiceStmt *stmt);
/* The rows the last INSERT, UPDATE or DELETE changed. */
gint64        esc_service_stmt_changes       (EscServiceStmt *stmt);

/* Columns count from 0. NULL reads as 0 and NULL; a PostgreSQL boolean
 * ("t"/"f") as 1/0. */
gboolean      esc_service_stmt_column_is_null (EscServiceStmt *stmt,
                                               int             column);
gint64        esc_service_stmt_column_int64  (EscServiceStmt *stmt,
                                              int             column);
double        esc_service_stmt_column_double (EscServiceStmt *stmt,
                                              int             column);
/* (nullable): valid until the next step */
const char   *esc_service_stmt_column_text   (EscServiceStmt *stmt,
                                              int             column);
/* (transfer full) (nullable) */
GBytes       *esc_service_stmt_column_bytes  (EscServiceStmt *stmt,
                                              int             column);
/* (transfer full) (nullable): a stored RFC 3339 time, for the core codecs;
 * NULL if the column is NULL (or, with a warning, not a time) */
GDateTime    *esc_service_stmt_column_time   (EscServiceStmt *stmt,
                                              int             column);

gboolean      esc_service_db_exec            (EscServiceDb   *db,
                                              const char     *sql,
                                              GError        **error);
/* Steps @stmt once, expecting no row (INSERT, UPDATE, DELETE). */
gboolean      esc_service_db_step_done       (EscServiceDb   *db,
                                              EscServiceStmt *stmt,
                                              GError        **error);
/* Runs an "INSERT … RETURNING id"; returns the id, or 0 with @error. */
/* esc_service_db_step_done() for a statement whose outcome nobody reads
 * (an audit row, a stored answer): on PostgreSQL, inside a transaction, it
 * is sent with the next statement that waits for a result, and its failure
 * fails the whole transaction (esc_service_txn_query_later()). */
gboolean      esc_service_db_step_later      (EscServiceDb   *db,
                                              EscServiceStmt *stmt,
                                              GError        **error);
gint64        esc_service_db_step_returning_id (EscServiceDb *db,
                                              EscServiceStmt *stmt,
                                              GError        **error);
/* Sets @error from the last failure; returns FALSE. */
gboolean      esc_service_db_set_error       (EscServiceDb   *db,
                                              GError        **error);
gboolean      esc_service_db_begin           (EscServiceDb   *db,
                                              GError        **error);
gboolean      esc_service_db_commit          (EscServiceDb   *db,
                                              GError        **error);
void          esc_service_db_rollback        (EscServiceDb   *db);
gboolean      esc_service_db_in_transaction  (EscServiceDb   *db);
gboolean      esc_service_db_begin_read      (EscServiceDb   *db,
                                              GError        **error);
void          esc_service_db_end_read        (EscServiceDb   *db);
gboolean      esc_service_db_batch_begin     (EscServiceDb   *db,
                                              GError        **error);
gboolean      esc_service_db_batch_is_alive  (EscServiceDb   *db);
gboolean      esc_service_db_batch_commit    (EscServiceDb   *db,
                                              GError        **error);
/* Whether this transaction may run timed job @job ("password-rotation"):
 * always on SQLite (one node); on PostgreSQL, for one transaction across
 * every node at a time, until it ends. Call inside esc_service_db_begin(). */
gboolean      esc_service_db_try_lead        (EscServiceDb   *db,
                                              const char     *job,
                                              gboolean       *out_leader,
                                              GError        **error);
/* Serializes this transaction with every other one, on any node, that
 * locks the same @key (e.g. "person:12") before it reads what it will
 * change: they wait until it ends. On SQLite, where a write transaction
 * already holds the one write lock, it does nothing. A check then a write
 * on PostgreSQL (READ COMMITTED) needs it to act as on SQLite. Call inside
 * esc_service_db_begin(). */
gboolean      esc_service_db_lock_key        (EscServiceDb   *db,
                                              const char     *key,
                                              GError        **error);
/* Settings: read once per transaction on PostgreSQL */
char         *esc_service_db_dup_setting     (EscServiceDb   *db,
                                              const char     *key);
gint64        esc_service_db_get_setting_int (EscServiceDb   *db,
                                              const char     *key,
                                              gint64          fallback);
/* Work shared by a batch's requests, done once per PostgreSQL transaction */
gboolean      esc_service_db_txn_once        (EscServiceDb   *db,
                                              const char     *what);
const char   *esc_service_db_txn_memo        (EscServiceDb   *db,
                                              const char     *key,
                                              gboolean       *out_found);
void          esc_service_db_txn_memo_set    (EscServiceDb   *db,
                                              const char     *key,
                                              const char     *value);
void          esc_service_db_txn_memo_forget (EscServiceDb   *db,
                                              const char     *key);
gint64        esc_service_db_find_token_owner (EscServiceDb  *db,
                                               const char    *token);
/* The schema steps (esc-service-db-migrations.c). For tests: the SQL of the
 * step from @from_version, or NULL past the last */
const char   *esc_service_db_get_migration   (int             from_version);
/* The number of steps, which is the latest schema version */
int           esc_service_db_count_migrations (void);

/* For esc-service-stmt.c: the SQLite connection (NULL on PostgreSQL), and a
 * statement run on PostgreSQL in the open transaction, or alone. */
EscSqliteConnection *esc_service_db_get_sqlite (EscServiceDb *db);
/* (transfer none) (nullable): the PostgreSQL pool's storage (NULL on
 * SQLite), which GET /v1/health checks */
EscServiceStorage *esc_service_db_get_pg_storage (EscServiceDb *db);
gboolean      esc_service_db_pg_query_later  (EscServiceDb        *db,
                                              const char          *sql,
                                              const char * const  *params,
                                              guint                n_params,
                                              GError             **error);
EscServiceRows *esc_service_db_pg_query      (EscServiceDb        *db,
                                              const char          *sql,
                                              const char * const  *params,
                                              guint                n_params,
                                              GError             **error);
/* Keeps @error as the db's last failure, for esc_service_db_set_error(). */
void          esc_service_db_take_error      (EscServiceDb   *db,
                                              GError         *error);

/* Roles, as a mask for routes and for the caller. */
typedef enum
{
  ESC_SERVICE_ROLE_IT_ADMIN        = 1 << 0,
  ESC_SERVICE_ROLE_PARTNER_MANAGER = 1 << 1,
  ESC_SERVICE_ROLE_SUPPORT_STAFF   = 1 << 2,
  ESC_SERVICE_ROLE_OPERATOR        = 1 << 3,
} EscServiceRole;

/* A route open to any authenticated caller (the handler decides the rest). */
#define ESC_SERVICE_ROLES_ANY 0u

guint         esc_service_roles_from_strv    (const char * const *roles);

/* Routing */

typedef struct _EscServiceRouter  EscServiceRouter;
typedef struct _EscServiceContext EscServiceContext;

typedef void     (*EscServiceHandler)      (EscServiceContext  *ctx);
/* Periodic work (every minute, and on esc_service_server_run_housekeeping()).
 * @now comes from the server's clock. Runs outside any transaction. */
typedef gboolean (*EscServiceHousekeeping) (EscServiceDb       *db,
                                            GDateTime          *now,
                                            GError            **error);

/**
 * EscServiceRouteFlags:
 * @ESC_SERVICE_ROUTE_GROUP_COMMIT: run the handler in a batch with the other
 *   requests that arrived meanwhile, in one transaction, and answer them all
 *   once it is committed (one fsync for all; answers are never sent before
 *   their change is durable). The handler's begin/commit become savepoints:
 *   use only esc_service_context_begin()/esc_service_db_begin() and
 *   esc_service_db_begin_read(), never a literal "BEGIN".
 * @ESC_SERVICE_ROUTE_NO_HEAD: a GET that changes something (a password read
 *   rotates and is audited): HEAD is answered 405, not run as GET.
 * @ESC_SERVICE_ROUTE_PUBLIC: open to anyone, without a token (GET
 *   /v1/health for load balancers): the handler gets no caller (NULL), no
 *   roles and no body, and must not change anything.
 * @ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST: a POST whose handler calls
 *   esc_service_context_begin() before it reads the database or refuses
 *   anything but a body that is not JSON: its Idempotency-Key is not looked
 *   up before the handler runs, since the claim finds a stored answer and
 *   replays it. One round trip less per request (the filing).
 */
typedef enum
{
  ESC_SERVICE_ROUTE_DEFAULT      = 0,
  ESC_SERVICE_ROUTE_GROUP_COMMIT = 1 << 0,
  ESC_SERVICE_ROUTE_NO_HEAD      = 1 << 1,
  ESC_SERVICE_ROUTE_PUBLIC       = 1 << 2,
  ESC_SERVICE_ROUTE_CLAIMS_KEY_FIRST = 1 << 3,
} EscServiceRouteFlags;

typedef struct
{
  const char        *method;   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
  const char        *pattern;  /* "/v1/support-requests/{id}/comments" */
  guint              roles;    /* EscServiceRole mask, or ESC_SERVICE_ROLES_ANY */
  EscServiceHandler  handler;
  guint              flags;    /* EscServiceRouteFlags */
} EscServiceRoute;

void                   esc_service_router_add              (EscServiceRouter       *router,
                                                            const char             *method,
                                                            const char             *pattern,
                                                            guint                   roles,
                                                            EscServiceHandler       handler);
void                   esc_service_router_add_full         (EscServiceRouter       *router,
                                                            const char             *method,
                                                            const char             *pattern,
                                                            guint                   roles,
                                                            EscServiceRouteFlags    flags,
                                                            EscServiceHandler       handler);
void                   esc_service_router_add_housekeeping (EscServiceRouter       *router,
                                                            EscServiceHousekeeping  func);
const EscServiceRoute *esc_service_server_get_routes       (EscServiceServer       *server,
                                                            guint                  *n_routes);
/* Connections (esc-service-listener.c, through the server) */
void                   esc_service_server_set_limits       (EscServiceServer       *server,
                                                            const EscServiceLimits *limits);
void                   esc_service_server_get_stats        (EscServiceServer       *server,
                                                            EscServiceListenerStats *stats);
gboolean               esc_service_server_answer_and_close (EscServiceServer       *server,
                                                            SoupServerMessage      *msg,
                                                            guint                   delay_ms);
guint                  esc_service_server_note_failed_sign_in (EscServiceServer    *server,
                                                            SoupServerMessage      *msg);
guint                  esc_service_server_note_unauthenticated (EscServiceServer    *server,
                                                            SoupServerMessage      *msg);
/* The most write requests waiting for a group commit; beyond, 503. */
void                   esc_service_server_set_max_queued_writes (EscServiceServer  *server,
                                                            guint                   max);
/* For tests: hold the group commit (the queue fills) or let it run, and
 * how many write requests wait for it. */
guint                  esc_service_router_count_queued     (EscServiceRouter       *router);
void                   esc_service_router_set_flush_held   (EscServiceRouter       *router,
                                                            gboolean                held);
void                   esc_service_router_set_max_queued   (EscServiceRouter       *router,
                                                            guint                   max);

/* For tests that add routes of their own. */
EscServiceRouter      *esc_service_server_get_router       (EscServiceServer       *server);

/* For esc-service-server.c */
EscServiceRouter      *esc_service_router_new              (void);
void                   esc_service_router_free             (EscServiceRouter       *router);
const EscServiceRoute *esc_service_router_get_routes       (EscServiceRouter       *router,
                                                            guint                  *n_routes);
gboolean               esc_service_router_run_housekeeping (EscServiceRouter       *router,
                                                            EscServiceDb           *db,
                                                            GError                **error);
void                   esc_service_router_message_started  (EscServiceRouter       *router,
                                                            EscServiceServer       *server,
                                                            EscServiceDb           *db,
                                                            SoupServerMessage      *msg);
void                   esc_service_router_dispatch         (EscServiceRouter       *router,
                                                            EscServiceServer       *server,
                                                            EscServiceDb           *db,
                                                            SoupServerMessage      *msg,
                                                            const char             *path,
                                                            GHashTable             *query);

/* One registration function per feature file, called by the server. */
void esc_service_audit_register    (EscServiceRouter *router);
void esc_service_requests_register (EscServiceRouter *router);
void esc_service_devices_register  (EscServiceRouter *router);
void esc_service_staff_register    (EscServiceRouter *router);
void esc_service_elevation_register (EscServiceRouter *router);
void esc_service_contacts_register (EscServiceRouter *router);
void esc_service_access_register   (EscServiceRouter *router);
void esc_service_health_register   (EscServiceRouter *router);

/* The request being handled. Handlers read the public fields; the rest is
 * the framework's. Valid during the handler call only. */
struct _EscServiceContext
{
  EscServiceServer   *server;
  EscServiceDb       *db;
  SoupServerMessage  *msg;
  const char         *method;          /* HEAD reads as GET */
  const char         *path;
  GHashTable         *query;           /* nullable; name → value */
  const char * const *params;          /* the {…} segments of the pattern, in order */
  EscServicePerson   *caller;          /* the authenticated caller */
  guint               caller_roles;    /* EscServiceRole mask */
  GDateTime          *now;             /* UTC, read once from the clock per request */
  const char         *remote_address;  /* the client's IP, or NULL */

  /*< private >*/
  GByteArray         *body;
  gboolean            body_too_large;
  char               *idempotency_key;
  char               *request_hash;
  gboolean            idempotency_claimed;  /* the key's row is this request's, answer to come */
};

gboolean    esc_service_context_has_role        (EscServiceContext  *ctx,
                                                 EscServiceRole      role);
gboolean    esc_service_context_has_designation (EscServiceContext  *ctx,
                                                 const char         *capability);
const char *esc_service_context_get_query       (EscServiceContext  *ctx,
                                                 const char         *name);
char       *esc_service_context_dup_now_string  (EscServiceContext  *ctx);

/* Reads the body as a JSON object. PATCH also accepts
 * application/merge-patch+json. Returns NULL after answering 400, 413 or 415. */
JsonObject *esc_service_context_read_object     (EscServiceContext  *ctx);
/* Like _read_object(), but an empty body reads as an empty object. */
JsonObject *esc_service_context_read_optional_object (EscServiceContext *ctx);

/* Answers */
void        esc_service_send_json               (EscServiceContext  *ctx,
                                                 guint               status,
                                                 JsonNode           *node);
void        esc_service_send_problem            (EscServiceContext  *ctx,
                                                 guint               status,
                                                 const char         *type,
                                                 const char         *title,
                                                 const char         *detail_format,
                                                 ...) G_GNUC_PRINTF (5, 6);
/* The same with @extra's members added (RFC 7807 extension members, e.g.
 * "current" of a 412). */
void        esc_service_send_problem_extra      (EscServiceContext  *ctx,
                                                 guint               status,
                                                 const char         *type,
                                                 const char         *title,
                                                 JsonObject         *extra,
                                                 const char         *detail_format,
                                                 ...) G_GNUC_PRINTF (6, 7);
/* The body as it came, and its Content-Type (nullable); NULL after
 * answering 413 for a body too large. */
const guint8 *esc_service_context_get_body      (EscServiceContext  *ctx,
                                                 gsize              *out_length,
                                                 const char        **out_content_type);
/* 422 naming @field (a JSON pointer, "/contact/email"): the problem has
 * "field" and "invalid_params": [{"name": "contact.email", "reason"}]. */
void        esc_service_send_invalid_field      (EscServiceContext  *ctx,
                                                 const char         *field,
                                                 const char         *type,
                                                 const char         *title,
                                                 const char         *detail);
/* 403, and an "authorization.refused" audit event. */
void        esc_service_send_forbidden          (EscServiceContext  *ctx,
                                                 const char         *detail);
void        esc_service_send_not_found          (EscServiceContext  *ctx);
/* 500; the details go to the log only. Rolls back an open transaction.
 * An ESC_SERVICE_ERROR_UNAVAILABLE error is answered 503 with Retry-After. */
void        esc_service_send_internal_error     (EscServiceContext  *ctx,
                                                 const GError       *error);

/* Writes. A handler that changes something: begin, change, audit, then
 * commit_json, which stores the answer under the Idempotency-Key (if any) in
 * the same transaction, commits and answers. Each answers 500 on failure. */
gboolean    esc_service_context_begin           (EscServiceContext  *ctx);
gboolean    esc_service_context_commit_json     (EscServiceContext  *ctx,
                                                 guint               status,
                                                 JsonNode           *node,
                                                 const char         *location);
void        esc_service_context_rollback        (EscServiceContext  *ctx);

/* Strict reading of a request's JSON members. Each getter checks one
 * member, named by its JSON pointer ("/contact/email": member "email" of
 * @object); the first problem is kept in @check (later getters still return
 * what they can, but never overwrite it). Then:
 *   if (!esc_service_check_ok (&check)) return esc_service_send_check (ctx, &check); */
typedef struct
{
  char *field;   /* JSON pointer of the first member at fault */
  char *detail;  /* what is wrong, for a person */
} EscServiceCheck;

#define ESC_SERVICE_CHECK_INIT { NULL, NULL }

typedef enum
{
  ESC_SERVICE_FIELD_OPTIONAL = 0,
  ESC_SERVICE_FIELD_REQUIRED = 1 << 0,  /* present and not null; strings not blank */
  ESC_SERVICE_FIELD_NULLABLE = 1 << 1,  /* null is accepted and reads as absent */
} EscServiceFieldFlags;

void        esc_service_check_clear     (EscServiceCheck       *check);
gboolean    esc_service_check_ok        (EscServiceCheck       *check);
void        esc_service_check_fail      (EscServiceCheck       *check,
                                         const char            *field,
                                         const char            *detail_format,
                                         ...) G_GNUC_PRINTF (3, 4);
void        esc_service_send_check      (EscServiceContext     *ctx,
                                         EscServiceCheck       *check);
/* Fails on any member of @object not in @allowed; @at is @object's pointer ("" for the root). */
gboolean    esc_service_check_members   (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *at,
                                         const char * const    *allowed);
gboolean    esc_service_check_has       (JsonObject            *object,
                                         const char            *field);
/* Returns the string (borrowed from @object) or NULL if absent/null/invalid. */
const char *esc_service_check_string    (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags,
                                         guint                 max_chars);
/* A string that must be one of @values. */
const char *esc_service_check_enum      (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags,
                                         const char * const    *values);
/* Lower-case words joined by "-", at most 100 characters. */
const char *esc_service_check_slug      (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags);
/* Returns TRUE and sets @out if present and valid. */
gboolean    esc_service_check_int       (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags,
                                         gint64                 min,
                                         gint64                 max,
                                         gint64                *out);
gboolean    esc_service_check_boolean   (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags,
                                         gboolean              *out);
/* An RFC 3339 time with an offset; returned in UTC (transfer full). */
GDateTime  *esc_service_check_timestamp (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags);
JsonObject *esc_service_check_object    (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags);
JsonArray  *esc_service_check_array     (EscServiceCheck       *check,
                                         JsonObject            *object,
                                         const char            *field,
                                         EscServiceFieldFlags   flags,
                                         guint                 max_items);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EscServiceCheck, esc_service_check_clear)

/* Audit (esc-service-audit.c): an append-only log, each event chained to the
 * previous one by SHA-256. */
typedef struct
{
  gint64      actor_id;        /* 0 for the service itself or the command line */
  const char *actor_name;      /* nullable */
  const char *actor_roles;     /* nullable, "it-admin,support-staff" */
  const char *action;          /* "support-request.created" */
  const char *target;          /* nullable, "/v1/support-requests/SR-000001" */
  const char *remote_address;  /* nullable */
  JsonNode   *details;         /* nullable, an object */
  GDateTime  *at;              /* nullable for the db clock's now */
} EscServiceAuditEvent;

gboolean    esc_service_db_audit_append  (EscServiceDb               *db,
                                          const EscServiceAuditEvent *event,
                                          GError                    **error);

/* An audit event as it will be written, but for its place in the chain */
typedef struct
{
  guint   level;            /* the transaction level that appended it */
  char   *at;
  gint64  actor_id;
  char   *actor_name;
  char   *actor_roles;
  char   *action;
  char   *target;
  char   *remote_address;
  char   *details;          /* JSON text */
} EscServicePendingAudit;

void        esc_service_pending_audit_free (EscServicePendingAudit   *row);
/* esc-service-db.c: keeps @row (taken) until the open PostgreSQL
 * transaction commits; FALSE (nothing taken) on SQLite or outside a
 * transaction */
gboolean    esc_service_db_pend_audit    (EscServiceDb               *db,
                                          EscServicePendingAudit     *row);
/* esc-service-audit.c: writes @rows in order after the head, at commit */
gboolean    esc_service_db_audit_write_pending (EscServiceDb         *db,
                                          GPtrArray                  *rows,
                                          GError                    **error);
/* Returns TRUE if the whole chain is intact; else FALSE with @out_bad_id and
 * @out_reason (an error is only set when the database cannot be read). */
gboolean    esc_service_db_audit_verify  (EscServiceDb               *db,
                                          gint64                     *out_count,
                                          char                      **out_head,
                                          gint64                     *out_bad_id,
                                          char                      **out_reason,
                                          GError                    **error);
/* Signs a checkpoint of the newest event unless one covers it already. */
gboolean    esc_service_db_audit_checkpoint (EscServiceDb            *db,
                                          GError                    **error);
gint64      esc_service_db_audit_count_checkpoints (EscServiceDb     *db);
/* Appends an event by the caller, from ctx->remote_address, at ctx->now.
 * Inside the handler's transaction if one is open, else in its own. */
gboolean    esc_service_context_audit    (EscServiceContext          *ctx,
                                          const char                 *action,
                                          const char                 *target,
                                          JsonNode                   *details,
                                          GError                    **error);

G_END_DECLS
