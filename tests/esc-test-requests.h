/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Generated support requests for the store's tests: request number i has
 * id SR-00000i, a kind, type, severity and state that cycle with i, one of
 * four filers, a title from esc_test_rec_titles (with the number after it),
 * two devices and times from 2024-05-01 on. */

#define ESC_TEST_REC_N_TITLES 11

extern const char * const esc_test_rec_titles[ESC_TEST_REC_N_TITLES];

typedef struct
{
  guint    number;
  char    *id;
  int      kind;
  int      type;
  int      severity;
  int      state;
  gint64   filer_id;
  char    *filer;
  char    *title;
  char    *description;
  char    *devices[3];
  char    *created;
  char    *updated;
  char    *due;
  int      owner;      /* EscNextActionOwner */
  gboolean deleted;
} Rec;

void       esc_test_rec_init     (Rec        *rec,
                                  guint       i);
void       esc_test_rec_clear    (Rec        *rec);
/* (transfer full): the request as the service sends it */
JsonNode  *esc_test_rec_to_json  (const Rec  *rec);
/* 2024-05-01T00:00:00Z plus @hours, as RFC 3339 */
char      *esc_test_time_text    (guint       hours);
GDateTime *esc_test_parse_time   (const char *text);

G_END_DECLS
