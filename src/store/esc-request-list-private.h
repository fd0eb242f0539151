/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "esc-request-list.h"

G_BEGIN_DECLS

/* Shared by the files of EscRequestList: esc-request-list.c (the model, the
 * item cache, following the mirror), esc-request-list-query.c (the base, the
 * search, the filter), esc-request-list-pending.c (the queued and refused
 * requests) and esc-request-list-export.c (CSV). */

/* The codes of a row, from `attrs` (migration 3): kind | type << 2 |
 * severity << 4 | state << 8 | filer id << 12, each code the position of the
 * value in core's enum (EscSupportRequestKind, …), with the field's all-ones
 * (3, or 15 for the state) for a value the list does not know. The migration's
 * SQL writes the codes from the wire names; tests/test-store-requests.c checks
 * that they still are the enums' positions. */
#define ATTRS_KIND_SHIFT     0
#define ATTRS_KIND_MASK      3
#define ATTRS_TYPE_SHIFT     2
#define ATTRS_TYPE_MASK      3
#define ATTRS_SEVERITY_SHIFT 4
#define ATTRS_SEVERITY_MASK  3
#define ATTRS_STATE_SHIFT    8
#define ATTRS_STATE_MASK     15
#define ATTRS_FILER_SHIFT    12

/* Every value of the enums has a code below its field's "unknown" */
G_STATIC_ASSERT (ESC_SUPPORT_REQUEST_KIND_ESCALATION < ATTRS_KIND_MASK);
G_STATIC_ASSERT (ESC_SUPPORT_REQUEST_TYPE_CHANGE_REQUEST < ATTRS_TYPE_MASK);
G_STATIC_ASSERT (ESC_SUPPORT_SEVERITY_C < ATTRS_SEVERITY_MASK);
G_STATIC_ASSERT (ESC_SUPPORT_REQUEST_STATE_CLOSED < ATTRS_STATE_MASK);
/* The pending model's bits come after the states' */
G_STATIC_ASSERT (ESC_REQUEST_STATES_OPEN < ESC_REQUEST_STATES_QUEUED);
G_STATIC_ASSERT (ESC_REQUEST_STATES_QUEUED < ESC_REQUEST_STATES_REFUSED);

/* A request in the base: its key and its codes */
typedef struct
{
  gint64 key;
  gint64 filer_id;
  gint8  kind;
  gint8  type;
  gint8  severity;
  gint8  state;
} Row;

struct _EscRequestList
{
  GObject          parent_instance;

  EscMirror       *mirror;
  EscOutbox       *outbox;
  sqlite3         *db;
  const char      *path;

  EscRequestQuery  query;
  char            *text;

  /* The base: every request of base_service, in the order of base_sort */
  GArray          *base;           /* Row */
  gboolean         base_valid;
  EscRequestSort   base_sort;
  gint64           max_key;

  /* The search result for search_text over the current base */
  char            *search_text;    /* the FTS5 query it is for, or NULL */
  guint8          *search_bits;    /* bitmap of keys, or NULL */
  GHashTable      *search_set;     /* or a set of keys, for huge keys */
  GQueue           searches;       /* SearchResult: the last ones before, newest first */

  GArray          *keys;           /* gint64, what the model shows */

  GHashTable      *cache;          /* gint64* key → CacheEntry */
  GQueue           lru;            /* CacheEntry, most recent first */
  sqlite3_stmt    *read_item;

  GListStore      *pending;        /* EscOutboxItem */
  guint            n_pending_total; /* the service's, before the query's filter */

  GHashTable      *changed_ids;    /* ids changed since the last reload */
  guint            reload_source;
  gint64           last_reload;
};

/* Whether @code passes @mask (0: every code does). Inline: the filter calls it
 * four times a row, and a function of another file cannot be (-fPIC) */
static inline gboolean
esc_request_list_in_mask (guint mask,
                          gint8 code)
{
  return mask == 0 || (code >= 0 && (mask & (1u << code)) != 0);
}

/* esc-request-list-query.c */
GArray    *esc_request_list_run_query          (EscRequestList         *self,
                                                const EscRequestQuery  *query,
                                                gboolean                reload_base,
                                                GError                **error);
void       esc_request_list_search_result_free (gpointer                data);
char      *esc_request_list_fold               (const char             *text);
GPtrArray *esc_request_list_search_words       (const char             *text,
                                                gboolean               *last_is_prefix);

/* esc-request-list-pending.c */
void       esc_request_list_update_pending     (EscRequestList         *self);

G_END_DECLS
