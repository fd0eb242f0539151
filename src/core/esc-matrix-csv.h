/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "esc-party.h"
#include "esc-responsibility.h"
#include "esc-routing-rule.h"

G_BEGIN_DECLS

/* The roles and routing matrices as CSV (RFC 4180, UTF-8 without a byte order
 * mark, CRLF), with commas or semicolons. The first line names the columns;
 * reading skips it but checks it. Reading is all or nothing: every bad line
 * is named in the one error. */

/* ',' or ';': the one that separates the fields of the first line */
char       esc_matrix_csv_guess_separator (const char  *text,
                                           gsize        length);

/* Party, Responsibility, Areas (one per line), then one RACI column per party */
GBytes    *esc_roles_csv_write   (GListModel   *parties,
                                  GListModel   *responsibilities,
                                  char          separator);
/* (transfer full) (element-type EscResponsibility): the rows, ids 0; @parties
 * names the parties a row may belong to (by name or id) */
GPtrArray *esc_roles_csv_read    (const char   *text,
                                  gsize         length,
                                  GListModel   *parties,
                                  GError      **error);

/* ID, Category, Examples, Route, Team, How to reach, Contact, Notes, then
 * one column per tier holding "x" when the tier may use the route */
GBytes    *esc_routing_csv_write (GListModel   *rules,
                                  char          separator);
GPtrArray *esc_routing_csv_read  (const char   *text,
                                  gsize         length,
                                  GError      **error);

G_END_DECLS
