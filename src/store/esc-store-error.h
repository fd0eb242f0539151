/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ESC_STORE_ERROR (esc_store_error_quark ())

typedef enum
{
  ESC_STORE_ERROR_FAILED,
  ESC_STORE_ERROR_NEWER_VERSION,  /* written by a newer Escalade: never touched */
  ESC_STORE_ERROR_CORRUPT,        /* not a database, or one that fails its integrity check */
  ESC_STORE_ERROR_READ_ONLY,      /* the file or its folder cannot be written */
  ESC_STORE_ERROR_IO,             /* disk full, I/O error */
  ESC_STORE_ERROR_SEED,           /* the seeded defaults could not be read */
} EscStoreError;

GQuark esc_store_error_quark (void);

G_END_DECLS
