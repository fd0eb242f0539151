/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Reading the service's answers, for EscClient (esc-client-answer.c): its
 * JSON within the guard's limits, its RFC 7807 problem, the words for a
 * certificate that is not trusted, and the ESC_API_ERROR for every way an
 * exchange can fail. Private to src/api. */

/* The RFC 7807 problem the service sent with an error status. */
typedef struct
{
  char *type;
  char *reason;        /* the detail, else the title */
  char *detail;
  char *field;         /* invalid_params[0].name */
  char *field_reason;  /* invalid_params[0].reason */
  JsonNode *current;   /* a 412's "current" member (a StaffMember), or NULL */
  JsonNode *errors;    /* an import's "errors" member, or NULL */
} EscClientProblem;

void      esc_client_problem_clear       (EscClientProblem     *problem);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EscClientProblem, esc_client_problem_clear)

/* Fills @problem from an application/problem+json answer; leaves it empty
 * for anything else. */
void      esc_client_read_problem        (SoupMessage          *message,
                                          GBytes               *body,
                                          EscClientProblem     *problem);
/* An ESC_API_ERROR with @code and the details of @problem attached. */
GError   *esc_client_problem_error       (guint                 status,
                                          EscClientProblem     *problem,
                                          gint                  code,
                                          const char           *format,
                                          ...) G_GNUC_PRINTF (4, 5);

gboolean  esc_client_content_type_is     (SoupMessage          *message,
                                          const char           *expected);
/* The JSON of an answer body; refuses an empty body and what no v1 answer
 * looks like (too deep, see esc-json-guard.h). */
JsonNode *esc_client_parse_json          (GBytes               *body,
                                          GError              **error);
/* The reasons a certificate was refused, in words, or NULL. */
char     *esc_client_describe_tls_errors (GTlsCertificateFlags  errors);

/* Turns a failure to exchange HTTP at all (connecting, TLS, reading) with the
 * service at @url into an ESC_API_ERROR; G_IO_ERROR_CANCELLED stays as is.
 * @timeout is the client's, in seconds; @peer_certificate (nullable) and
 * @tls_errors are those of a certificate refused while connecting. */
GError   *esc_client_map_transport_error (GError               *error,
                                          SoupMessage          *message,
                                          const char           *url,
                                          guint                 timeout,
                                          GTlsCertificate      *peer_certificate,
                                          GTlsCertificateFlags  tls_errors);
/* Checks the status of @message first, then decodes a 2xx JSON @body; any
 * other answer is an ESC_API_ERROR that says what the service at @url meant. */
JsonNode *esc_client_decode_response     (SoupMessage          *message,
                                          const char           *url,
                                          GBytes               *body,
                                          GError              **error);

G_END_DECLS
