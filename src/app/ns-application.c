/* ns-application.c: NsApplication: command line, app actions and the About window. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-application.h"
#include "ns-palette.h"
#include "ns-window.h"

#define DEFAULT_EXAMPLE "article.netsketch"

struct _NsApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (NsApplication, ns_application, ADW_TYPE_APPLICATION)

NsApplication *
ns_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (NS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/netsketch/Netsketch",
                       NULL);
}

GFile *
ns_application_get_default_example (void)
{
  g_autofree char *path = NULL;
  const char *dir;

  dir = g_getenv ("NETSKETCH_EXAMPLES_DIR");
  if (dir == NULL || *dir == '\0')
    path = g_build_filename (PKGDATADIR, "examples", DEFAULT_EXAMPLE, NULL);
  else
    path = g_build_filename (dir, DEFAULT_EXAMPLE, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_file_new_for_path (path);
}

static void
ns_application_activate (GApplication *app)
{
  NsApplication *self = NS_APPLICATION (app);
  g_autoptr(GFile) example = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    {
      window = GTK_WINDOW (ns_window_new (self));
      /* A first start shows the article's network rather than an empty window. */
      example = ns_application_get_default_example ();
      if (example != NULL)
        ns_window_open (NS_WINDOW (window), example);
    }

  gtk_window_present (window);
}

static void
ns_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  NsApplication *self = NS_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      NsWindow *window = ns_window_new (self);

      ns_window_open (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Netsketch developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Netsketch"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Netsketch developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", "https://netsketch.github.io/netsketch/",
                        "issue-url", "https://github.com/netsketch/netsketch/issues",
                        "comments", _("Design convolutional networks and see every layer’s "
                                      "output shape, parameter count and cost as you edit."),
                        "copyright", "© 2026 The Netsketch developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "quit", .activate = quit_action },
};

static void
ns_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.new", { "<Control>n", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.save", { "<Control>s", NULL } },
    { "win.save-as", { "<Control><Shift>s", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", "<Control>y" } },
    { "win.show-palette", { "F9", NULL } },
    { "win.show-inspector", { "<Control>i", NULL } },
    { "win.show-summary", { "<Control>t", NULL } },
    { "win.show-preview", { "<Control>r", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  g_autoptr(GtkCssProvider) categories = gtk_css_provider_new ();
  g_autofree char *category_css = ns_palette_get_category_css ();

  G_APPLICATION_CLASS (ns_application_parent_class)->startup (app);

  /* The palette's swatches take the canvas' colours from the core. */
  gtk_css_provider_load_from_data (categories, category_css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (categories),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_action_map_add_action_entries (G_ACTION_MAP (app),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action, accels[i].accels);
}

static void
ns_application_class_init (NsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = ns_application_startup;
  app_class->activate = ns_application_activate;
  app_class->open = ns_application_open;
}

static void
ns_application_init (NsApplication *self)
{
}
