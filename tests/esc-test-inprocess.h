/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "esc-service-private.h"

G_BEGIN_DECLS

/* An EscServiceServer in the test's own process, on 127.0.0.1 port 0, with a
 * new database in a temporary folder and a fake clock the test moves (no
 * sleeps). Requests go over real HTTP; since the server runs on this
 * thread's main context, the helpers below iterate it until the answer is in. */
typedef struct _EscTestServer EscTestServer;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  JsonNode           *body;     /* NULL if the body was empty */
  char               *text;     /* the raw body */
} EscTestResponse;

/* The clock starts at Monday 2024-05-06T09:00:00Z. */
EscTestServer    *esc_test_server_new            (void);
void              esc_test_server_free           (EscTestServer       *self);
EscServiceServer *esc_test_server_get_server     (EscTestServer       *self);
EscServiceDb     *esc_test_server_get_db         (EscTestServer       *self);
const char       *esc_test_server_get_url        (EscTestServer       *self);
const char       *esc_test_server_get_path       (EscTestServer       *self);
/* The test's temporary folder (removed with the server): its files, and
 * on PostgreSQL the service's keys (esc_test_backend_add_options()). */
const char       *esc_test_server_get_tmpdir     (EscTestServer       *self);
void              esc_test_server_set_now        (EscTestServer       *self,
                                                  const char          *rfc3339);
void              esc_test_server_advance        (EscTestServer       *self,
                                                  GTimeSpan            span);
GDateTime        *esc_test_server_dup_now        (EscTestServer       *self);
/* @roles: comma-separated, e.g. "it-admin,support-staff". */
char             *esc_test_server_create_token   (EscTestServer       *self,
                                                  const char          *name,
                                                  const char          *roles);
/* Gives @name a designation, straight in the database; @expires_at nullable. */
void              esc_test_server_designate      (EscTestServer       *self,
                                                  const char          *name,
                                                  const char          *capability,
                                                  const char          *expires_at);
gint64            esc_test_server_count_rows     (EscTestServer       *self,
                                                  const char          *table);

/* Sends one request and waits for the answer. @body may be NULL;
 * @content_type defaults to application/json when @body is given;
 * @headers: NULL-terminated name, value pairs (e.g. "Idempotency-Key", "k1"). */
void              esc_test_request               (EscTestServer       *self,
                                                  const char          *method,
                                                  const char          *path,
                                                  const char          *token,
                                                  const char          *content_type,
                                                  const char          *body,
                                                  const char * const  *headers,
                                                  EscTestResponse     *response);
/* Sends @n copies of the same request at once, each on its own session
 * (connection), and waits for all; @responses has @n elements. */
void              esc_test_request_concurrently  (EscTestServer       *self,
                                                  guint                n,
                                                  const char          *method,
                                                  const char          *path,
                                                  const char          *token,
                                                  const char          *body,
                                                  const char * const  *headers,
                                                  EscTestResponse     *responses);
/* Different requests, all sent at once; @responses has @n elements. */
typedef struct
{
  const char         *method;
  const char         *path;
  const char         *token;
  const char         *content_type;
  const char         *body;
  const char * const *headers;
} EscTestRequest;

void              esc_test_request_all           (EscTestServer       *self,
                                                  guint                n,
                                                  const EscTestRequest *requests,
                                                  EscTestResponse     *responses);
void              esc_test_response_clear        (EscTestResponse     *response);

/* Problem helpers: the "type" slug and "field" of a problem+json answer. */
const char       *esc_test_problem_type          (EscTestResponse     *response);
const char       *esc_test_problem_field         (EscTestResponse     *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscTestServer, esc_test_server_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EscTestResponse, esc_test_response_clear)

G_END_DECLS
