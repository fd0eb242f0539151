/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real escalade-service, started by a test on a free loopback port with its
 * own database in a temporary folder. GLib/GIO only, so every test can link it.
 * The binary comes from $ESCALADE_SERVICE (set by tests/meson.build). */
typedef struct _EscTestService EscTestService;

EscTestService *esc_test_service_start          (GError             **error);
EscTestService *esc_test_service_start_tls      (const char          *cert_file,
                                                 const char          *key_file,
                                                 GError             **error);
EscTestService *esc_test_service_start_with_args (const char * const  *serve_args,
                                                  guint                fd_limit,
                                                  GError             **error);
/* Several nodes of one deployment, started together: one database and one
 * pair of keys on PostgreSQL (in @cluster, or $ESCALADE_TEST_PG if NULL);
 * on SQLite a file each. */
gboolean        esc_test_service_start_nodes    (const char          *cluster,
                                                 guint                n_nodes,
                                                 EscTestService     **out_nodes,
                                                 GError             **error);
const char     *esc_test_service_get_url        (EscTestService      *self);
const char     *esc_test_service_get_database   (EscTestService      *self);
const char     *esc_test_service_get_tmpdir     (EscTestService      *self);
char           *esc_test_service_dup_log        (EscTestService      *self);
char           *esc_test_service_create_token   (EscTestService      *self,
                                                 const char          *user,
                                                 const char          *email,
                                                 const char          *role,
                                                 GError             **error);
gboolean        esc_test_service_run            (EscTestService      *self,
                                                 const char * const  *argv_tail,
                                                 char               **out_stdout,
                                                 GError             **error);
void            esc_test_service_stop           (EscTestService      *self);
/* SIGKILL, as in a crash; then serve the same database again, on a new port. */
void            esc_test_service_kill           (EscTestService      *self);
gboolean        esc_test_service_restart        (EscTestService      *self,
                                                 GError             **error);
/* The same, at the same URL */
gboolean        esc_test_service_restart_same_port (EscTestService   *self,
                                                 GError             **error);

gboolean        esc_test_service_is_running     (EscTestService      *self);
/* SIGSTOP (@paused) or SIGCONT: a stalled service */
void            esc_test_service_pause          (EscTestService      *self,
                                                 gboolean             paused);

/* Established TCP connections on this machine to 127.0.0.1:@port */
guint           esc_test_count_connections_to   (guint16              port);

/* SIGTERM, as systemd stops it; then esc_test_service_restart() may follow. */
gboolean        esc_test_service_terminate      (EscTestService      *self);
GPid            esc_test_service_get_pid        (EscTestService      *self);

gboolean        esc_test_make_self_signed_cert  (const char          *dir,
                                                 char               **cert_file,
                                                 char               **key_file,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscTestService, esc_test_service_stop)

G_END_DECLS
