/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-support-request.h"

G_BEGIN_DECLS

/**
 * EscRequestSort:
 * @ESC_REQUEST_SORT_ID: by number ("SR-000123" → 123)
 * @ESC_REQUEST_SORT_TYPE: incident, request for information, change request
 * @ESC_REQUEST_SORT_SEVERITY: A, B, C
 * @ESC_REQUEST_SORT_STATE: new, in progress, waiting on customer, mitigated, resolved, closed
 * @ESC_REQUEST_SORT_TITLE: alphabetical, ASCII case ignored
 * @ESC_REQUEST_SORT_FILER: by the filer's name
 * @ESC_REQUEST_SORT_NEXT_ACTION_OWNER: none, customer, operations
 * @ESC_REQUEST_SORT_RESPONSE_DUE: by response due time
 * @ESC_REQUEST_SORT_UPDATED: by last update
 *
 * The columns of the list. Ties are broken by number, in the same direction.
 */
typedef enum
{
  ESC_REQUEST_SORT_ID,
  ESC_REQUEST_SORT_TYPE,
  ESC_REQUEST_SORT_SEVERITY,
  ESC_REQUEST_SORT_STATE,
  ESC_REQUEST_SORT_TITLE,
  ESC_REQUEST_SORT_FILER,
  ESC_REQUEST_SORT_NEXT_ACTION_OWNER,
  ESC_REQUEST_SORT_RESPONSE_DUE,
  ESC_REQUEST_SORT_UPDATED,
} EscRequestSort;

#define ESC_REQUEST_SORT_LAST ESC_REQUEST_SORT_UPDATED

/* Bits of the masks of EscRequestQuery: ESC_REQUEST_BIT (ESC_SUPPORT_SEVERITY_A), … */
#define ESC_REQUEST_BIT(value) (1u << (value))
/* Extra bits of @states for the pending model only: queued and refused new requests,
 * just past the last EscSupportRequestState */
#define ESC_REQUEST_STATES_QUEUED  ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_CLOSED + 1)
#define ESC_REQUEST_STATES_REFUSED ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_CLOSED + 2)
/* The open states: new, in progress, waiting on customer, mitigated */
#define ESC_REQUEST_STATES_OPEN    (ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_NEW) |         \
                                    ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_IN_PROGRESS) | \
                                    ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_WAITING_ON_CUSTOMER) | \
                                    ESC_REQUEST_BIT (ESC_SUPPORT_REQUEST_STATE_MITIGATED))

/**
 * EscRequestQuery:
 * @states: ESC_REQUEST_BIT (EscSupportRequestState) bits, 0 for any
 * @severities: ESC_REQUEST_BIT (EscSupportSeverity) bits, 0 for any
 * @types: ESC_REQUEST_BIT (EscSupportRequestType) bits, 0 for any
 * @kinds: ESC_REQUEST_BIT (EscSupportRequestKind) bits, 0 for any
 * @filer_id: "mine": only requests filed by this person id (the service's
 *   id of the signed-in user); 0 for anyone
 * @text: (nullable): free text searched in id, number, title, description and
 *   device names: every word must match, the last one as a prefix
 * @sort: the column
 * @descending: the direction
 */
typedef struct
{
  guint           states;
  guint           severities;
  guint           types;
  guint           kinds;
  gint64          filer_id;
  const char     *text;
  EscRequestSort  sort;
  gboolean        descending;
} EscRequestQuery;

/* Every request, most recently updated first */
#define ESC_REQUEST_QUERY_INIT { 0, 0, 0, 0, 0, NULL, ESC_REQUEST_SORT_UPDATED, TRUE }

#define ESC_TYPE_REQUEST_LIST (esc_request_list_get_type ())

G_DECLARE_FINAL_TYPE (EscRequestList, esc_request_list, ESC, REQUEST_LIST, GObject)

/* A GListModel of EscSupportRequest (without timeline): the support requests
 * of the mirror's current service that match a query, in its order. It holds
 * the keys only and reads an item when asked (a few hundred are cached), and
 * follows the mirror: a sync or an answer to a queued change updates it
 * (coalesced, at most every 200 ms). Main thread only.
 *
 * Each change is one ::items-changed over the rows that differ, which a
 * GTK 4.8 GtkListView may read whole: the Requests screen shows it through
 * EscRequestRows (src/ui/esc-request-rows.c), which paces what the view sees.
 * Keep that in mind before wrapping the list in models that read every item
 * (sorters, filters).
 *
 * Setting a query is synchronous and meant to run per keystroke: the list
 * keeps the ordered keys and filter codes of every request of the service
 * for the current sort column in memory (read from one covering index), so
 * that filters and search (one FTS5 lookup) cost a pass over an array; only a
 * new sort column, a new service or a change of the mirror reads the index
 * again. See bench/requests-list for the figures at 100 000 requests.
 *
 * Requests filed from this workspace and not yet accepted by the service are
 * not in the mirror: they are the outbox's, shown through the separate
 * "pending" model below (above the list in the UI). */
EscRequestList     *esc_request_list_new             (EscMirror              *mirror,
                                                      EscOutbox              *outbox);
EscMirror          *esc_request_list_get_mirror      (EscRequestList         *self);

/* Applies @query (copied) and emits ::items-changed for what differs. On
 * error (the workspace cannot be read) the list keeps its rows and query. */
gboolean            esc_request_list_set_query       (EscRequestList         *self,
                                                      const EscRequestQuery  *query,
                                                      GError                **error);
/* The current query; its @text belongs to the list */
void                esc_request_list_get_query       (EscRequestList         *self,
                                                      EscRequestQuery        *query);
/* Reads the mirror again now (the list also does it by itself on changes). */
gboolean            esc_request_list_reload          (EscRequestList         *self,
                                                      GError                **error);
/* Takes in the mirror's changes now if a reload waits (a sync writes page
 * after page: the list reloads at most every 200 ms); else does nothing */
void                esc_request_list_flush           (EscRequestList         *self);
/* How many requests the service has in the mirror, before filtering */
guint               esc_request_list_get_n_total     (EscRequestList         *self);
/* The position of the request @id, or -1 (to select it again after a change) */
gint                esc_request_list_find            (EscRequestList         *self,
                                                      const char             *id);

/* The pending model (transfer none): EscOutboxItem of kind
 * ESC_OUTBOX_KIND_CREATE_SUPPORT_REQUEST for the mirror's service, state
 * queued or refused, oldest first, filtered by the query's kinds, types,
 * severities and text (and by @states only if it holds
 * ESC_REQUEST_STATES_QUEUED or _REFUSED bits; "mine" keeps them all: they were
 * filed here). Retry, edit and discard go through EscOutbox
 * (esc_outbox_resend / _edit / _discard). */
GListModel         *esc_request_list_get_pending     (EscRequestList         *self);
/* Queued or refused requests of the service, before the query's filter */
guint               esc_request_list_get_n_pending_total (EscRequestList    *self);
/* The request of a pending item, from its body (kind, type, severity, title, …;
 * no id or state yet): (transfer full) (nullable) */
EscSupportRequest  *esc_request_list_dup_pending_request (EscOutboxItem       *item,
                                                      GError                **error);

/* The requests of the service still "new" whose response due time is in
 * (@after, @now] (@after nullable: any time up to @now), for notifications:
 * (transfer full) (element-type EscSupportRequest) */
GPtrArray          *esc_request_list_dup_overdue     (EscRequestList         *self,
                                                      GDateTime              *after,
                                                      GDateTime              *now,
                                                      GError                **error);

/* Writes the rows of the list as it is now (its order and filters), as CSV
 * (RFC 4180, UTF-8, a header line, translated labels, times in RFC 3339 UTC)
 * to @file, replacing it. The keys are copied at once; the rows are read and
 * written in a worker thread on its own read-only connection. */
void                esc_request_list_export_csv_async  (EscRequestList       *self,
                                                        GFile                *file,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
/* @n_rows (out, optional): how many requests were written */
gboolean            esc_request_list_export_csv_finish (EscRequestList       *self,
                                                        GAsyncResult         *result,
                                                        guint                *n_rows,
                                                        GError              **error);

/* The FTS5 query for free text typed by a person: (transfer full) (nullable),
 * NULL when @text has no word to search. Each whitespace-separated word with a
 * letter or digit becomes a quoted phrase (double quotes doubled), all must
 * match, and the last is a prefix unless @text ends with a space. For tests. */
char               *esc_request_list_build_search    (const char             *text);

G_END_DECLS
