/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 4180 CSV: fields separated by commas, records ended by CRLF; a field
 * holding a comma, a double quote, CR or LF (or starting or ending with a
 * space) is quoted, its double quotes doubled. A field that a spreadsheet
 * would run as a formula (starting with =, +, -, @, a tab or CR) is
 * neutralised with a leading apostrophe. NULL is an empty field. */

/* Appends one field, escaped, to @out (no separator). */
void   esc_csv_append_field   (GString            *out,
                               const char         *field);
/* Appends one record: the @n_fields fields (-1: up to a NULL) and CRLF. */
void   esc_csv_append_record  (GString            *out,
                               const char * const *fields,
                               gssize              n_fields);
/* (transfer full): one field, escaped */
char  *esc_csv_escape_field   (const char         *field);

G_END_DECLS
