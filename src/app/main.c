/* main.c: the netsketch executable: sets up translations and runs NsApplication. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <locale.h>

#include "ns-application.h"

/* SIGTERM (a session ending, `kill`), SIGINT and SIGHUP quit as Quit does,
 * so that unsaved work is autosaved first. */
static gboolean
on_quit_signal (gpointer app)
{
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_CONTINUE;
}

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
  g_unix_signal_add (SIGTERM, on_quit_signal, app);
  g_unix_signal_add (SIGINT, on_quit_signal, app);
  g_unix_signal_add (SIGHUP, on_quit_signal, app);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
