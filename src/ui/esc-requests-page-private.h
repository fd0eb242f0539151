/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "esc-outbox-sender.h"
#include "esc-request-column-view.h"
#include "esc-request-detail.h"
#include "esc-request-filter-popover.h"
#include "esc-requests-page.h"
#include "esc-sync.h"

G_BEGIN_DECLS

struct _EscRequestsPage
{
  AdwBin                   parent_instance;

  /* Template widgets */
  AdwFlap                 *flap;
  GtkSearchEntry          *search_entry;
  GtkToggleButton         *mine_button;
  GtkMenuButton           *filter_button;
  EscRequestFilterPopover *filter_popover;
  GtkStack                *list_stack;
  EscRequestColumnView    *list_view;
  GtkLabel                *count_label;
  GtkLabel                *sync_label;
  EscRequestDetail        *detail;

  /* Borrowed references */
  GtkWindow               *form;          /* the New Request form while open (weak) */

  /* Owned references */
  EscSession              *session;
  EscAccount              *account;       /* the session's, and the rest once its workspace is open */
  EscWorkspace            *workspace;
  EscOutboxSender         *sender;
  EscSync                 *sync;
  EscRequestList          *list;
  GListStore              *sections;      /* the pending model, then the list */
  GtkFlattenListModel     *rows;          /* the pending requests, then the list's */
  GCancellable            *cancellable;
  char                    *selected_id;   /* the request shown in the detail */
  gint64                   selected_pending; /* or the outbox item shown, or 0 */
  gint64                   announced;     /* the request just filed, told when sent or queued */
  char                    *applied_query; /* the query the list has, as text */

  guint                    clock_source;
  guint                    updating_filters : 1;
  guint                    keyboard_moving : 1;  /* a key is down in the list */
};

/* esc-requests-page.c */
guint               esc_requests_page_n_pending      (EscRequestsPage *self);
gint                esc_requests_page_find_selected  (EscRequestsPage *self);
void                esc_requests_page_show_selected  (EscRequestsPage *self,
                                                      gboolean         reveal);
void                esc_requests_page_apply_query    (EscRequestsPage *self);

/* esc-requests-page-actions.c: the toolbar's and the shortcuts' actions, the
 * New Request form and what the outbox sender says of what it filed */
void                esc_requests_page_class_init_actions (EscRequestsPageClass *klass);
void                esc_requests_page_init_actions   (EscRequestsPage *self);
void                esc_requests_page_update_actions (EscRequestsPage *self);
GtkWindow          *esc_requests_page_present_form   (EscRequestsPage *self,
                                                      EscOutboxItem   *refused);
void                esc_requests_page_watch_sender   (EscRequestsPage *self);

G_END_DECLS
