/* main.c: the netsketch executable: sets up translations and runs NsApplication. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "ns-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(NsApplication) app = NULL;
  const char *localedir;

  /* A build-tree run points this at the freshly compiled catalogs. */
  localedir = g_getenv ("NETSKETCH_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ns_application_new (APP_ID, G_APPLICATION_HANDLES_OPEN);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
