/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "esc-mirror.h"
#include "esc-outbox.h"
#include "esc-outbox-sender.h"
#include "esc-requests-page.h"
#include "esc-session.h"
#include "esc-sync.h"
#include "esc-test-service.h"
#include "esc-window.h"
#include "esc-workspace.h"

G_BEGIN_DECLS

/* What the Requests screen's test programs share (test-ui-requests-*.c): the
 * screen in a real window under a real display (Xvfb), on a real workspace
 * file, against a real escalade-service on loopback, signed in through a
 * private gnome-keyring; and finding and using its widgets as a person does. */

typedef struct
{
  char            *dir;
  EscTestService  *service;
  char            *admin_token;
  EscWorkspace    *workspace;
  EscSession      *session;
  /* The session's */
  EscClient       *client;
  EscAccount      *account;
  EscMirror       *mirror;
  EscOutbox       *outbox;
  EscOutboxSender *sender;
  EscSync         *sync;
  EscWindow       *window;
  EscRequestsPage *page;
} Fixture;

typedef struct
{
  GtkWidget  *widget;
  const char *expected;
  char       *text;
} TextWait;

typedef struct
{
  gpointer  result;
  GError   *error;
  gboolean  done;
} Wait;

typedef struct
{
  Fixture    *fixture;
  const char *title;
} RowWait;

/* The fixture: a fresh workspace, a service with an IT administrator's token,
 * and a session whose sender and sync the tests start when they need them */
void        fixture_setup           (Fixture       *fixture,
                                     gconstpointer  data);
/* Closes what is open (windows, forms, dialogs) and checks that all is freed */
void        fixture_teardown        (Fixture       *fixture,
                                     gconstpointer  data);
/* The main window, presented, drawn, on the Requests screen */
void        open_window             (Fixture       *fixture);

/* Finding widgets by their labels: a row by the start of its title (without
 * mnemonic), failing the test when there is none */
GtkWidget  *row                     (GtkWidget     *root,
                                     const char    *title);
gboolean    is_button_labelled      (GtkWidget     *widget,
                                     gconstpointer  data);  /* and mapped */
gboolean    is_button_labelled_any  (GtkWidget     *widget,
                                     gconstpointer  data);
gboolean    is_label_text           (GtkWidget     *widget,
                                     gconstpointer  data);
/* The first toplevel of @type, or NULL */
GtkWidget  *find_toplevel           (GType          type);

/* Using them */
void        type_into               (GtkWidget     *root,
                                     const char    *title,
                                     const char    *text);
const char *text_of                 (GtkWidget     *root,
                                     const char    *title);
void        choose                  (GtkWidget     *root,
                                     const char    *title,
                                     const char    *item);
void        toggle                  (GtkWidget     *root,
                                     const char    *title,
                                     gboolean       active);
guint       combo_n_items           (GtkWidget     *root,
                                     const char    *title);
/* Clicks the button labelled @label as soon as it is shown */
void        click                   (GtkWidget     *root,
                                     const char    *label);

/* Checks for esc_test_ui_wait_until() */
gboolean    shows_text              (gpointer       data);  /* TextWait: sets ->text */
gboolean    wait_done               (gpointer       data);  /* Wait */
gboolean    is_listed               (gpointer       data);  /* RowWait */
gboolean    is_destroyed            (gpointer       data);  /* a weak pointer, cleared */
/* Waits for the next frame to be painted: what a person would see then */
void        next_frame              (GtkWidget     *widget);

/* The service, as its people use it */
void        sign_in                 (Fixture       *fixture,
                                     const char    *token);
/* The same, at @url (a proxy in front of the service) */
void        sign_in_at              (Fixture       *fixture,
                                     const char    *url,
                                     const char    *token);
/* A support staff member's token; with @escalation, designated to escalate */
char       *create_staff            (Fixture       *fixture,
                                     const char    *name,
                                     gboolean       escalation);
/* GET /v1/support-requests/{id} as the IT administrator */
EscSupportRequest *get_as_admin     (Fixture       *fixture,
                                     const char    *id);
/* (for esc_client_call_async()): fills the Wait in @user_data */
void        called_cb               (GObject       *object,
                                     GAsyncResult  *result,
                                     gpointer       user_data);

/* The list and the form */
EscSupportRequest *listed_request   (Fixture       *fixture,
                                     const char    *title);
GtkWidget  *open_form               (Fixture       *fixture);
/* Files what @form holds and waits until the service's answer is listed */
void        file_and_wait           (Fixture       *fixture,
                                     GtkWidget     *form,
                                     const char    *title);

G_END_DECLS
