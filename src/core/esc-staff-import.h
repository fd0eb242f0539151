/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Importing people from a CSV file (RFC 4180, UTF-8): a header line
 * "name,email,team,roles", then one person a line; several roles in one
 * field separated by ";" ("support-staff;it-admin"); the team may be empty.
 * Shared by `escalade-service person import` and POST /v1/staff/import, so
 * that both accept and refuse the same rows. An import is all or nothing:
 * every bad line is named, with its line number in the file (the header is
 * line 1). */

#define ESC_STAFF_IMPORT_MAX_BYTES (1024 * 1024)
#define ESC_STAFF_IMPORT_MAX_ROWS 10000

/* One good row */
typedef struct
{
  guint  line;
  char  *name;
  char  *email;
  char  *team;    /* NULL when empty */
  GStrv  roles;   /* at least one, each a known role, no repeats */
} EscStaffImportRow;

void                  esc_staff_import_row_free    (EscStaffImportRow   *row);

#define ESC_TYPE_STAFF_IMPORT_ERROR (esc_staff_import_error_get_type ())

/* One bad row: the "errors" member of the 422 answer, {line, reason} */
typedef struct
{
  guint  line;
  char  *reason;
} EscStaffImportError;

GType                 esc_staff_import_error_get_type (void) G_GNUC_CONST;
EscStaffImportError  *esc_staff_import_error_new   (guint                 line,
                                                    const char           *reason);
EscStaffImportError  *esc_staff_import_error_copy  (const EscStaffImportError *error);
void                  esc_staff_import_error_free  (EscStaffImportError  *error);

/* Reads @text (@length bytes). Returns the good rows (element-type
 * EscStaffImportRow) and sets @out_errors to the bad ones (element-type
 * EscStaffImportError, sorted by line; empty when all are good). A text that
 * is not CSV at all gives one error, on the line where it stops being CSV.
 * A name or email (case aside) given twice is a bad row the second time. */
GPtrArray            *esc_staff_import_read        (const char           *text,
                                                    gsize                 length,
                                                    GPtrArray           **out_errors);
/* Adds an error to @errors (for the callers' own checks, e.g. an email the
 * service knows already) and keeps the list sorted by line. */
void                  esc_staff_import_add_error   (GPtrArray            *errors,
                                                    guint                 line,
                                                    const char           *format,
                                                    ...) G_GNUC_PRINTF (3, 4);

/* The wire form of the errors: [{"line": 3, "reason": "…"}, …] */
JsonNode             *esc_staff_import_errors_to_json   (GPtrArray       *errors);
/* (transfer full) (element-type EscStaffImportError): NULL with
 * ESC_CORE_ERROR if @node is not such an array */
GPtrArray            *esc_staff_import_errors_from_json (JsonNode        *node,
                                                         GError         **error);

/* The roles a person can hold, as the v1 API names them */
const char * const   *esc_staff_roles              (void);
gboolean              esc_staff_role_is_valid      (const char           *role);
/* The checks of a person's fields, as the service applies them: a name of 1
 * to 200 characters of text; a rough email address (one "@", a dotted
 * domain, no spaces); a team of at most 100 characters, no control ones. */
gboolean              esc_staff_name_is_valid      (const char           *name);
gboolean              esc_staff_email_is_valid     (const char           *email);
gboolean              esc_staff_team_is_valid      (const char           *team);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscStaffImportRow, esc_staff_import_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EscStaffImportError, esc_staff_import_error_free)

G_END_DECLS
