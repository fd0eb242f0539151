/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "esc-app"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "esc-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EscApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* An uninstalled build (the README's quick start) points at its own catalogues */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("ESCALADE_LOCALEDIR") ? g_getenv ("ESCALADE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Escalade"));

  app = esc_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
