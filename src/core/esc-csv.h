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
void   esc_csv_append_record_full (GString          *out,
                                   const char * const *fields,
                                   gssize            n_fields,
                                   char              separator);
/* (transfer full): one field, escaped */
char  *esc_csv_escape_field   (const char         *field);

/* Reading (RFC 4180, as spreadsheets write it): fields separated by ",",
 * optionally in double quotes with "" for a quote; CRLF or LF line ends,
 * which a quoted field may contain; a UTF-8 byte order mark is skipped and
 * the text must be UTF-8. Reading is all or nothing: a fault fails the whole
 * text with ESC_CORE_ERROR_INVALID_VALUE and a message "line N: …". */

/* One record and the line it starts on (1-based). */
typedef struct
{
  guint   line;
  guint   n_fields;
  char  **fields;   /* NULL-terminated */
} EscCsvRecord;

void       esc_csv_record_free  (EscCsvRecord *record);
/* (transfer full) (element-type EscCsvRecord): the records, blank lines left
 * out; NULL with @error if @length is over @max_size bytes or the text is not
 * CSV. */
GPtrArray *esc_csv_read         (const char   *text,
                                 gsize         length,
                                 gsize         max_size,
                                 GError      **error);
/* The same, with fields separated by @separator (',' or ';'); @out_error_line
 * (nullable) gets the line of a fault in the text (0 when the text is too
 * large). */
GPtrArray *esc_csv_read_full    (const char   *text,
                                 gsize         length,
                                 gsize         max_size,
                                 char          separator,
                                 guint        *out_error_line,
                                 GError      **error);
/* Sets @error to "line N: " and the formatted reason (ESC_CORE_ERROR_INVALID_VALUE),
 * for the callers' own checks of the records; returns FALSE. */
gboolean   esc_csv_set_line_error (GError    **error,
                                   guint       line,
                                   const char *format,
                                   ...) G_GNUC_PRINTF (3, 4);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscCsvRecord, esc_csv_record_free)

G_END_DECLS
