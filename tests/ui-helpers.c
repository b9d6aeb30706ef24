/* ui-helpers.c: waiting, finding and screenshots for the UI tests. */
#include "config.h"

#include "ui-helpers.h"
#include "ns-application.h"
#include "ns-screenshot.h"

GtkApplication *
ui_app_new (void)
{
  g_autoptr(GError) error = NULL;
  GtkApplication *app = GTK_APPLICATION (ns_application_new (APP_ID, G_APPLICATION_NON_UNIQUE));

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return app;
}

void
ui_settle (void)
{
  for (int i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

void
ui_wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (gtk_widget_get_mapped (widget));
  ui_settle ();
}

gboolean
ui_wait_for (gboolean (*done) (gpointer data),
             gpointer   data,
             double     seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

GtkWidget *
ui_find_label (GtkWidget  *root,
               const char *text,
               gboolean    prefix)
{
  /* Pages of a stack that are not shown are not mapped. */
  if (!gtk_widget_get_mapped (root))
    return NULL;

  if (GTK_IS_LABEL (root))
    {
      const char *shown = gtk_label_get_text (GTK_LABEL (root));

      if (prefix ? g_str_has_prefix (shown, text) : g_str_equal (shown, text))
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find_label (child, text, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
ui_save_screenshot (GtkWidget  *widget,
                    const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_widget_save_png (widget, path, &error));
  g_assert_no_error (error);
  g_test_message ("Screenshot: %s", path);
}

void
ui_close_window (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  ui_settle ();
  g_assert_finalize_object (window);
}
