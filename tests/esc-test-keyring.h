/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A private gnome-keyring for tests, on a private session bus, in a fresh
 * temporary HOME: tests never see the user's real keyring, and need no
 * outer dbus-run-session.
 *
 * esc_test_keyring_start() points HOME, XDG_RUNTIME_DIR, XDG_DATA_HOME,
 * XDG_CONFIG_HOME and XDG_CACHE_HOME at a new temporary folder, starts a
 * dbus-daemon there and sets DBUS_SESSION_BUS_ADDRESS to it, then starts
 * gnome-keyring-daemon on that bus with an unlocked "login" collection as
 * the default one, and waits until it owns org.freedesktop.secrets. Call it
 * once per test program, before anything connects to the session bus (the
 * bus connection is shared process-wide and cached by GLib).
 *
 * esc_test_keyring_stop() kills both daemons and deletes the folder; it does
 * not restore the environment (setenv() is not thread-safe once threads
 * run), so call it at the end of the test program, after
 * secret_service_disconnect() so that libsecret lets go of the bus. Needs dbus-daemon and gnome-keyring-daemon
 * in PATH (Debian packages dbus and gnome-keyring); works as root. Set
 * ESCALADE_TEST_KEYRING_VERBOSE=1 to see the daemons' stderr. */
typedef struct _EscTestKeyring EscTestKeyring;

EscTestKeyring *esc_test_keyring_start    (GError         **error);
void            esc_test_keyring_stop     (EscTestKeyring  *keyring);
/* The temporary HOME */
const char     *esc_test_keyring_get_home (EscTestKeyring  *keyring);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscTestKeyring, esc_test_keyring_stop)

G_END_DECLS
