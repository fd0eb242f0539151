/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "esc-matrix-document.h"

#define MARGIN 36.0          /* half an inch */
#define PADDING 4.0
#define TITLE_SIZE 16
#define TEXT_SIZE 9
#define FONT "Sans"

typedef struct
{
  guint first;
  guint n_rows;
} Page;

struct _EscMatrixDocument
{
  GObject    parent_instance;

  char      *title;
  char      *subtitle;
  GPtrArray *column_titles;  /* char * */
  GArray    *shares;         /* double */
  GPtrArray *rows;           /* GStrv */

  /* From the last pagination */
  double     width;
  double     height;
  GArray    *row_heights;    /* double */
  double     header_height;  /* the column titles */
  double     top;            /* where the table starts */
  GArray    *pages;          /* Page */

  /* A font map of its own, freed with the document (or when a PDF is written),
   * rather than Pango's default one, which lives as long as its thread */
  PangoFontMap *font_map;
  PangoContext *pango;
};

G_DEFINE_FINAL_TYPE (EscMatrixDocument, esc_matrix_document, G_TYPE_OBJECT)

void
esc_paper_get_size (EscPaper  paper,
                    double   *width,
                    double   *height)
{
  /* Landscape: the long side across */
  if (paper == ESC_PAPER_LETTER)
    {
      *width = 792.0;
      *height = 612.0;
    }
  else
    {
      *width = 841.89;
      *height = 595.28;
    }
}

gboolean
esc_paper_from_string (const char *name,
                       EscPaper   *paper)
{
  if (g_strcmp0 (name, "a4") == 0)
    *paper = ESC_PAPER_A4;
  else if (g_strcmp0 (name, "letter") == 0)
    *paper = ESC_PAPER_LETTER;
  else
    return FALSE;

  return TRUE;
}

static void
esc_matrix_document_finalize (GObject *object)
{
  EscMatrixDocument *self = (EscMatrixDocument *)object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->subtitle, g_free);
  g_clear_pointer (&self->column_titles, g_ptr_array_unref);
  g_clear_pointer (&self->shares, g_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->row_heights, g_array_unref);
  g_clear_pointer (&self->pages, g_array_unref);
  g_clear_object (&self->pango);
  g_clear_object (&self->font_map);

  G_OBJECT_CLASS (esc_matrix_document_parent_class)->finalize (object);
}

static void
esc_matrix_document_class_init (EscMatrixDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = esc_matrix_document_finalize;
}

static void
esc_matrix_document_init (EscMatrixDocument *self)
{
  self->column_titles = g_ptr_array_new_with_free_func (g_free);
  self->shares = g_array_new (FALSE, FALSE, sizeof (double));
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  self->row_heights = g_array_new (FALSE, FALSE, sizeof (double));
  self->pages = g_array_new (FALSE, FALSE, sizeof (Page));
}

/**
 * esc_matrix_document_new:
 * @title: the matrix's name, at the top of each page
 * @subtitle: the organisation, support model and date, under it
 *
 * Returns: (transfer full): an empty document: add columns, then rows
 */
EscMatrixDocument *
esc_matrix_document_new (const char *title,
                         const char *subtitle)
{
  EscMatrixDocument *self = g_object_new (ESC_TYPE_MATRIX_DOCUMENT, NULL);

  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle);

  return self;
}

/**
 * esc_matrix_document_add_column:
 * @self: a #EscMatrixDocument
 * @title: the column's title
 * @share: its part of the width, relative to the others
 */
void
esc_matrix_document_add_column (EscMatrixDocument *self,
                                const char        *title,
                                double             share)
{
  g_return_if_fail (ESC_IS_MATRIX_DOCUMENT (self));
  g_return_if_fail (self->rows->len == 0);
  g_return_if_fail (share > 0);

  g_ptr_array_add (self->column_titles, g_strdup (title));
  g_array_append_val (self->shares, share);
}

/**
 * esc_matrix_document_add_row:
 * @self: a #EscMatrixDocument
 * @cells: (array zero-terminated=1): one text per column (a missing one is empty)
 */
void
esc_matrix_document_add_row (EscMatrixDocument  *self,
                             const char * const *cells)
{
  GStrv row;

  g_return_if_fail (ESC_IS_MATRIX_DOCUMENT (self));

  row = g_new0 (char *, self->column_titles->len + 1);
  for (guint i = 0; i < self->column_titles->len && cells[i] != NULL; i++)
    row[i] = g_strdup (cells[i]);
  for (guint i = 0; i < self->column_titles->len; i++)
    if (row[i] == NULL)
      row[i] = g_strdup ("");

  g_ptr_array_add (self->rows, row);
}

guint
esc_matrix_document_get_n_rows (EscMatrixDocument *self)
{
  g_return_val_if_fail (ESC_IS_MATRIX_DOCUMENT (self), 0);
  return self->rows->len;
}

static double
column_width (EscMatrixDocument *self,
              guint              column)
{
  double total = 0;

  for (guint i = 0; i < self->shares->len; i++)
    total += g_array_index (self->shares, double, i);

  return (self->width - 2 * MARGIN) * g_array_index (self->shares, double, column) / total;
}

static void
use_cairo (EscMatrixDocument *self,
           cairo_t           *cr)
{
  if (self->font_map == NULL)
    {
      self->font_map = pango_cairo_font_map_new ();
      self->pango = pango_font_map_create_context (self->font_map);
    }
  pango_cairo_update_context (cr, self->pango);
}

static void
forget_fonts (EscMatrixDocument *self)
{
  g_clear_object (&self->pango);
  g_clear_object (&self->font_map);
}

static PangoLayout *
make_layout (EscMatrixDocument *self,
             const char        *text,
             int                size,
             gboolean           bold,
             double             width)
{
  PangoLayout *layout = pango_layout_new (self->pango);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (FONT);

  pango_font_description_set_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  if (width > 0)
    pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_text (layout, text != NULL ? text : "", -1);

  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double)height / PANGO_SCALE;
}

static double
row_height (EscMatrixDocument  *self,
            cairo_t            *cr,
            const char * const *cells,
            gboolean            bold)
{
  double height = 0;

  for (guint i = 0; i < self->column_titles->len; i++)
    {
      g_autoptr(PangoLayout) layout =
        make_layout (self, cells[i], TEXT_SIZE, bold, column_width (self, i) - 2 * PADDING);

      height = MAX (height, layout_height (layout));
    }

  return height + 2 * PADDING;
}

static double
heading_height (EscMatrixDocument *self,
                cairo_t           *cr)
{
  g_autoptr(PangoLayout) title = make_layout (self, self->title, TITLE_SIZE, TRUE,
                                              self->width - 2 * MARGIN);
  g_autoptr(PangoLayout) subtitle = make_layout (self, self->subtitle, TEXT_SIZE, FALSE,
                                                 self->width - 2 * MARGIN);

  return layout_height (title) + 4 + layout_height (subtitle) + 12;
}

guint
esc_matrix_document_paginate (EscMatrixDocument *self,
                              cairo_t           *cr,
                              double             width,
                              double             height)
{
  double available;
  double used = 0;
  Page page = { 0, 0 };

  g_return_val_if_fail (ESC_IS_MATRIX_DOCUMENT (self), 0);
  g_return_val_if_fail (self->column_titles->len > 0, 0);

  self->width = width;
  self->height = height;
  use_cairo (self, cr);
  g_array_set_size (self->row_heights, 0);
  g_array_set_size (self->pages, 0);

  self->top = MARGIN + heading_height (self, cr);
  self->header_height = row_height (self, cr, (const char * const *)self->column_titles->pdata,
                                    TRUE);
  /* The footer (page numbers) takes one line at the bottom */
  available = height - self->top - MARGIN - self->header_height - (TEXT_SIZE + 8);

  for (guint i = 0; i < self->rows->len; i++)
    {
      double h = row_height (self, cr, g_ptr_array_index (self->rows, i), FALSE);

      g_array_append_val (self->row_heights, h);
      /* A row taller than a page gets a page of its own, cut at the bottom */
      if (page.n_rows > 0 && used + h > available)
        {
          g_array_append_val (self->pages, page);
          page.first = i;
          page.n_rows = 0;
          used = 0;
        }
      page.n_rows++;
      used += h;
    }
  g_array_append_val (self->pages, page);

  return self->pages->len;
}

static void
draw_row (EscMatrixDocument  *self,
          cairo_t            *cr,
          const char * const *cells,
          double              y,
          double              h,
          gboolean            header)
{
  double x = MARGIN;

  for (guint i = 0; i < self->column_titles->len; i++)
    {
      double w = column_width (self, i);
      g_autoptr(PangoLayout) layout = make_layout (self, cells[i], TEXT_SIZE, header, w - 2 * PADDING);

      if (header)
        {
          cairo_set_source_rgb (cr, 0.90, 0.90, 0.90);
          cairo_rectangle (cr, x, y, w, h);
          cairo_fill (cr);
        }
      cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (cr, 0.5);
      cairo_rectangle (cr, x, y, w, h);
      cairo_stroke (cr);

      cairo_save (cr);
      cairo_rectangle (cr, x, y, w, h);
      cairo_clip (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, x + PADDING, y + PADDING);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);

      x += w;
    }
}

/**
 * esc_matrix_document_draw_page:
 * @self: a paginated #EscMatrixDocument
 * @cr: where to draw, in points, the page's top left corner at 0, 0
 * @page: the page, from 0
 */
void
esc_matrix_document_draw_page (EscMatrixDocument *self,
                               cairo_t           *cr,
                               guint              page)
{
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) subtitle = NULL;
  g_autoptr(PangoLayout) footer = NULL;
  g_autofree char *footer_text = NULL;
  const Page *p;
  double y;

  g_return_if_fail (ESC_IS_MATRIX_DOCUMENT (self));
  g_return_if_fail (page < self->pages->len);

  p = &g_array_index (self->pages, Page, page);

  use_cairo (self, cr);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  title = make_layout (self, self->title, TITLE_SIZE, TRUE, self->width - 2 * MARGIN);
  cairo_move_to (cr, MARGIN, MARGIN);
  pango_cairo_show_layout (cr, title);
  subtitle = make_layout (self, self->subtitle, TEXT_SIZE, FALSE, self->width - 2 * MARGIN);
  cairo_move_to (cr, MARGIN, MARGIN + layout_height (title) + 4);
  pango_cairo_show_layout (cr, subtitle);

  y = self->top;
  draw_row (self, cr, (const char * const *)self->column_titles->pdata, y, self->header_height,
            TRUE);
  y += self->header_height;

  for (guint i = p->first; i < p->first + p->n_rows; i++)
    {
      double h = g_array_index (self->row_heights, double, i);

      h = MIN (h, self->height - MARGIN - (TEXT_SIZE + 8) - y);
      draw_row (self, cr, g_ptr_array_index (self->rows, i), y, h, FALSE);
      y += h;
    }

  /* Translators: the footer of each page of an exported matrix */
  footer_text = g_strdup_printf (_("Page %u of %u"), page + 1, self->pages->len);
  footer = make_layout (self, footer_text, TEXT_SIZE, FALSE, -1);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, MARGIN, self->height - MARGIN - TEXT_SIZE);
  pango_cairo_show_layout (cr, footer);
  cairo_restore (cr);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * esc_matrix_document_write_pdf:
 * @self: a #EscMatrixDocument
 * @paper: the paper size, landscape
 * @progress: (nullable) (scope call): told after each page
 * @user_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lays the document out on @paper and draws it as a PDF with real text. No
 * file is written: the caller writes the bytes.
 *
 * Returns: (transfer full): the PDF, or %NULL when cancelled or cairo failed
 */
GBytes *
esc_matrix_document_write_pdf (EscMatrixDocument      *self,
                               EscPaper                paper,
                               EscMatrixProgressFunc   progress,
                               gpointer                user_data,
                               GCancellable           *cancellable,
                               GError                **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width;
  double height;
  guint n_pages;

  g_return_val_if_fail (ESC_IS_MATRIX_DOCUMENT (self), NULL);

  esc_paper_get_size (paper, &width, &height);
  surface = cairo_pdf_surface_create_for_stream (write_cb, bytes, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  cr = cairo_create (surface);

  n_pages = esc_matrix_document_paginate (self, cr, width, height);
  for (guint i = 0; i < n_pages; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          forget_fonts (self);
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          return NULL;
        }
      esc_matrix_document_draw_page (self, cr, i);
      cairo_show_page (cr);
      if (progress != NULL)
        progress (i + 1, n_pages, user_data);
    }

  forget_fonts (self);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The PDF could not be drawn: %s"), cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
