/* ns-application.c: NsApplication: command line, app actions and the About window. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-application.h"
#include "ns-palette.h"
#include "ns-preferences.h"
#include "ns-screenshot.h"
#include "ns-window.h"

#define DEFAULT_EXAMPLE "article.netsketch"

struct _NsApplication
{
  AdwApplication parent_instance;

  char *screenshot_path;   /* --screenshot: save the first window there and quit */
  char *select_name;       /* --select: the layer selected in it */

  NsSettings *settings;
  GtkWindow  *preferences; /* weak: the Preferences window while it is open */

  gboolean    recovery_checked;  /* autosaves of an earlier run were looked for */
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

/* --screenshot and --select: picture the window as it opens, then quit. */
static void
maybe_screenshot (NsApplication *self,
                  NsWindow      *window)
{
  if (self->screenshot_path == NULL)
    return;
  if (self->select_name != NULL && ns_window_get_graph (window) != NULL)
    {
      NsLayer *layer = ns_graph_find_by_name (ns_window_get_graph (window), self->select_name);

      if (layer != NULL)
        ns_selection_set (ns_window_get_selection (window), layer);
      else
        {
          g_autofree char *message = g_strdup_printf (_("no layer is named “%s”"), self->select_name);

          g_printerr ("netsketch: %s\n", message);
        }
    }
  ns_screenshot_when_settled (GTK_WINDOW (window), self->screenshot_path, G_APPLICATION (self));
  g_clear_pointer (&self->screenshot_path, g_free);
}

/* Once per run, over the first window: what an earlier run autosaved and
 * never saved (it crashed or was killed). Not in a --screenshot picture. */
static void
maybe_offer_recovery (NsApplication *self,
                      NsWindow      *window)
{
  if (self->recovery_checked)
    return;
  self->recovery_checked = TRUE;
  if (self->screenshot_path == NULL)
    ns_window_offer_recovery (window);
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
  maybe_offer_recovery (self, NS_WINDOW (window));
  maybe_screenshot (self, NS_WINDOW (window));
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
      maybe_offer_recovery (self, window);
      maybe_screenshot (self, window);
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

GFile *
ns_application_get_help_file (void)
{
  static const char *const names[] = { "user-guide.html", "user-guide.md" };
  const char *dir = g_getenv ("NETSKETCH_HELP_DIR");

  if (dir == NULL || *dir == '\0')
    dir = HELPDIR;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }
  return NULL;
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  g_autoptr(GFile) guide = ns_application_get_help_file ();

  if (guide == NULL)
    {
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
        adw_message_dialog_new (parent, _("The User Guide Is Not Installed"),
                                _("Reinstall Netsketch to get it, or read docs/user-guide.md in its source.")));

      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  /* The desktop's browser (through the OpenURI portal inside the Flatpak). */
#if GTK_CHECK_VERSION (4, 10, 0)
  {
    g_autoptr(GtkFileLauncher) launcher = gtk_file_launcher_new (guide);

    gtk_file_launcher_launch (launcher, parent, NULL, NULL, NULL);
  }
#else
  {
    g_autofree char *uri = g_file_get_uri (guide);

    gtk_show_uri (parent, uri, GDK_CURRENT_TIME);
  }
#endif
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

NsSettings *
ns_application_get_settings (NsApplication *self)
{
  g_return_val_if_fail (NS_IS_APPLICATION (self), NULL);
  return self->settings;
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  NsApplication *self = NS_APPLICATION (user_data);

  /* One window, brought to the front when asked for again. */
  if (self->preferences == NULL)
    g_set_weak_pointer (&self->preferences, GTK_WINDOW (ns_preferences_new (self->settings)));
  gtk_window_set_transient_for (self->preferences,
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (self->preferences);
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "preferences", .activate = preferences_action },
  { .name = "help", .activate = help_action },
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
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.help", { "F1", NULL } },
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

/* Quit does not ask about unsaved changes: each window autosaves them, and
 * the next start offers them back. */
static void
ns_application_shutdown (GApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    {
      g_autoptr(GError) error = NULL;

      if (NS_IS_WINDOW (l->data) && !ns_window_autosave (l->data, &error))
        g_printerr ("netsketch: %s\n", error->message);
    }

  G_APPLICATION_CLASS (ns_application_parent_class)->shutdown (app);
}

static int
ns_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  NsApplication *self = NS_APPLICATION (app);

  if (g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot_path))
    {
      /* A picture of this run's window, not of a Netsketch already running. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
      g_variant_dict_lookup (options, "select", "s", &self->select_name);
    }
  return -1;
}

static void
ns_application_finalize (GObject *object)
{
  NsApplication *self = NS_APPLICATION (object);

  g_free (self->screenshot_path);
  g_free (self->select_name);
  g_clear_weak_pointer (&self->preferences);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (ns_application_parent_class)->finalize (object);
}

static void
ns_application_class_init (NsApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ns_application_finalize;
  app_class->handle_local_options = ns_application_handle_local_options;
  app_class->startup = ns_application_startup;
  app_class->shutdown = ns_application_shutdown;
  app_class->activate = ns_application_activate;
  app_class->open = ns_application_open;
}

static void
ns_application_init (NsApplication *self)
{
  static const GOptionEntry options[] = {
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Save a picture of the window as it opens to FILE.png, then quit"), N_("FILE") },
    { "select", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("With --screenshot: select the layer NAME first"), N_("NAME") },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  self->settings = ns_settings_new ();
}
