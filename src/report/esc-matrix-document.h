/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * EscMatrixKind:
 * @ESC_MATRIX_ROLES: the roles and responsibilities matrix
 * @ESC_MATRIX_ROUTING: the routing matrix
 */
typedef enum
{
  ESC_MATRIX_ROLES,
  ESC_MATRIX_ROUTING,
} EscMatrixKind;

/**
 * EscPaper:
 * @ESC_PAPER_A4: ISO A4, landscape
 * @ESC_PAPER_LETTER: US Letter, landscape
 */
typedef enum
{
  ESC_PAPER_A4,
  ESC_PAPER_LETTER,
} EscPaper;

/* Landscape sizes in points */
void        esc_paper_get_size         (EscPaper     paper,
                                        double      *width,
                                        double      *height);
gboolean    esc_paper_from_string      (const char  *name,
                                        EscPaper    *paper);

#define ESC_TYPE_MATRIX_DOCUMENT (esc_matrix_document_get_type ())

G_DECLARE_FINAL_TYPE (EscMatrixDocument, esc_matrix_document, ESC, MATRIX_DOCUMENT, GObject)

/* A matrix laid out as a table on landscape pages, with the title, the
 * organisation, the support model and the date at the top of each page: what
 * the PDF export and printing draw. It holds copies of the texts, so that it
 * can be drawn in a worker thread. */
EscMatrixDocument *esc_matrix_document_new           (const char          *title,
                                                      const char          *subtitle);
void               esc_matrix_document_add_column    (EscMatrixDocument   *self,
                                                      const char          *title,
                                                      double               share);
void               esc_matrix_document_add_row       (EscMatrixDocument   *self,
                                                      const char * const  *cells);
guint              esc_matrix_document_get_n_rows    (EscMatrixDocument   *self);

/* Splits the rows into pages of @width × @height points (the whole page, margins
 * included) measured on @cr; returns the number of pages (at least 1). */
guint              esc_matrix_document_paginate      (EscMatrixDocument   *self,
                                                      cairo_t             *cr,
                                                      double               width,
                                                      double               height);
void               esc_matrix_document_draw_page     (EscMatrixDocument   *self,
                                                      cairo_t             *cr,
                                                      guint                page);

/* Progress of esc_matrix_document_write_pdf(): pages drawn out of the total. */
typedef void (*EscMatrixProgressFunc) (guint    done,
                                       guint    total,
                                       gpointer user_data);

/* (transfer full): the PDF; may run in any thread */
GBytes            *esc_matrix_document_write_pdf     (EscMatrixDocument     *self,
                                                      EscPaper               paper,
                                                      EscMatrixProgressFunc  progress,
                                                      gpointer               user_data,
                                                      GCancellable          *cancellable,
                                                      GError               **error);

G_END_DECLS
