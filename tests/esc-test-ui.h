/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What the UI test programs share: real windows under a real display (Xvfb in CI), the
 * application's style sheet, a private gnome-keyring, waiting on the main loop, and finding
 * widgets as a person does.
 *
 * A UI test program calls esc_test_ui_init() first thing in main(), adds its tests, and returns
 * esc_test_ui_run(). Without a display the program fails, with a message that says how to get
 * one: the ui suite never passes by doing nothing. */
void        esc_test_ui_init         (int             *argc,
                                      char          ***argv);
/* g_test_run(), then the keyring stopped: main()'s status */
int         esc_test_ui_run          (void);

/* Iterates the main loop until @check returns TRUE; fails after 30 s (or $ESCALADE_TEST_TIMEOUT
 * seconds, e.g. under valgrind), naming @what. */
void        esc_test_ui_wait_until   (gboolean       (*check) (gpointer),
                                      gpointer          data,
                                      const char       *what);
/* Runs what is pending (layout, drawing of newly bound rows), without waiting */
void        esc_test_ui_settle       (void);
/* (a check for esc_test_ui_wait_until()): the widget @data is mapped and laid out */
gboolean    esc_test_ui_is_drawn     (gpointer          data);

typedef gboolean (*EscTestUiMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget of @root's tree (@root included, depth first) that @match accepts */
GtkWidget  *esc_test_ui_find_widget  (GtkWidget        *root,
                                      EscTestUiMatch    match,
                                      gconstpointer     data);
/* (an EscTestUiMatch): an instance of the GType GSIZE_TO_POINTER (@data) */
gboolean    esc_test_ui_is_of_type   (GtkWidget        *widget,
                                      gconstpointer     data);
/* The text of the mapped labels and inscriptions of @widget's tree, one a line */
char       *esc_test_ui_visible_text (GtkWidget        *widget);

/* With $ESCALADE_TEST_SCREENSHOTS=DIR, saves the screen to DIR/@name (ImageMagick's import) */
void        esc_test_ui_screenshot   (const char       *name);
/* Deletes @path and everything below it */
void        esc_test_ui_remove_tree  (const char       *path);

G_END_DECLS
