/* ns-screenshot.c: a window rendered to PNG through its own GSK renderer. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-screenshot.h"

/* Frames drawn before the picture: layout, text measurement and the canvas'
 * first fit take a few; animations are over well within a second. */
#define SETTLE_FRAMES 30

gboolean
ns_widget_save_png (GtkWidget   *widget,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  int width, height;

  /* The paintable's size, not the allocation: it includes the window's frame. */
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The window has not been drawn yet"));
      return FALSE;
    }
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   _("The window has not been drawn yet"));
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not write “%s”"), path);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  GtkWidget    *window;
  char         *path;
  GApplication *app;
  guint         frames;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_object_unref (pending->window);
  g_free (pending->path);
  g_object_unref (pending->app);
  g_free (pending);
}

/* Outside the frame clock's cycle: a snapshot taken during a tick is empty. */
static gboolean
save_and_quit (gpointer data)
{
  Pending *pending = data;
  g_autoptr(GError) error = NULL;

  if (!ns_widget_save_png (pending->window, pending->path, &error))
    g_printerr ("netsketch: %s\n", error->message);
  g_application_quit (pending->app);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Pending *pending = data;

  /* Keep frames coming until the count is reached. */
  gtk_widget_queue_draw (widget);
  if (++pending->frames < SETTLE_FRAMES)
    return G_SOURCE_CONTINUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, save_and_quit, pending, pending_free);
  return G_SOURCE_REMOVE;
}

void
ns_screenshot_when_settled (GtkWindow    *window,
                            const char   *path,
                            GApplication *app)
{
  Pending *pending = g_new0 (Pending, 1);

  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (path != NULL);

  pending->window = g_object_ref (GTK_WIDGET (window));
  pending->path = g_strdup (path);
  pending->app = g_object_ref (app);
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, pending, NULL);
}
