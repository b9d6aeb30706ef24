/* test-window.c: NsApplication and NsWindow on the article's network, under Xvfb:
 * the rows and totals shown, load errors, the About and shortcuts windows, and a
 * screenshot of the window for docs/screenshots. */
#include "config.h"

#include <string.h>

#include "ns-application.h"
#include "ns-window.h"

static NsApplication *app;

static GFile *
article_file (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"),
                                            "article.netsketch", NULL);

  return g_file_new_for_path (path);
}

/* Lets GTK map, lay out and paint what is pending. */
static void
settle (void)
{
  for (int i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static void
wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (gtk_widget_get_mapped (widget));
  settle ();
}

/* A visible label under @root that shows @text (or starts with it). */
static GtkWidget *
find_label_full (GtkWidget  *root,
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
      GtkWidget *found = find_label_full (child, text, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return find_label_full (root, text, FALSE);
}

static NsWindow *
open_window (GFile *file)
{
  NsWindow *window = ns_window_new (app);

  if (file != NULL)
    ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));

  return window;
}

static void
close_window (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (window);
  settle ();
  g_assert_finalize_object (window);
}

static void
assert_row (NsWindow   *window,
            const char *name,
            int         index,
            const char *subtitle,
            const char *params)
{
  GtkWidget *row = ns_window_get_layer_row (window, name);

  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, name);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, subtitle);
  g_assert_cmpint (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)), ==, index);
  g_assert_nonnull (find_label (row, params));
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width, height;

  /* The paintable's size, not the allocation: it includes the window's frame. */
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s (%d×%d)", path, width, height);
}

static void
test_window_article (void)
{
  g_autoptr(GFile) file = article_file ();
  NsWindow *window = open_window (file);

  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  g_assert_nonnull (ns_window_get_graph (window));
  g_assert_true (g_file_equal (ns_window_get_file (window), file));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "article.netsketch");
  g_assert_nonnull (find_label (GTK_WIDGET (window), "87,957 parameters"));

  /* Graph order, Keras' figures, the shapes as the core prints them. */
  assert_row (window, "input_1", 0, "InputLayer · 128×128×3", "0");
  assert_row (window, "con1", 1, "Conv2D · 128×128×64", "1,792");
  assert_row (window, "pool1", 4, "MaxPooling2D · 64×64×64", "0");
  assert_row (window, "mer1", 6, "Concatenate · 128×128×128", "0");
  assert_row (window, "deconv1", 7, "Conv2DTranspose · 128×128×64", "73,792");
  assert_row (window, "score1", 8, "Conv2DTranspose · 128×128×21", "12,117");
  assert_row (window, "mer2", 9, "Concatenate · 128×128×85", "0");
  g_assert_null (ns_window_get_layer_row (window, "no_such_layer"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "10 layers, in graph order"));

  /* Totals as the article's summary has them. */
  g_assert_nonnull (find_label (GTK_WIDGET (window), "87,957"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "87,829"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "128"));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "1.43 G"));

  save_screenshot (GTK_WIDGET (window), "window.png");

  close_window (GTK_WINDOW (window));
}

static GFile *
write_temp_file (const char *basename,
                 const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("netsketch-test-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, basename, NULL);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static void
delete_temp_file (GFile *file)
{
  g_autoptr(GFile) dir = g_file_get_parent (file);

  g_assert_true (g_file_delete (file, NULL, NULL));
  g_assert_true (g_file_delete (dir, NULL, NULL));
}

static void
test_window_load_error (void)
{
  g_autoptr(GFile) broken = write_temp_file ("broken.netsketch", "{ \"format\": \"netsketch\", ");
  g_autoptr(GFile) article = article_file ();
  NsWindow *window = open_window (broken);

  /* Nothing open yet: the whole window says what went wrong. */
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "error");
  g_assert_null (ns_window_get_graph (window));
  /* The core's message names the file and where the JSON broke off. */
  g_assert_nonnull (find_label_full (GTK_WIDGET (window), "broken.netsketch:", TRUE));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Could Not Open the Network"));
  save_screenshot (GTK_WIDGET (window), "window-error.png");

  /* A network open: a failed open only tells, in a toast, and keeps it. */
  ns_window_open (window, article);
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  settle ();
  g_assert_null (find_label_full (GTK_WIDGET (window), "broken.netsketch:", TRUE));
  ns_window_open (window, broken);
  settle ();
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  g_assert_nonnull (find_label_full (GTK_WIDGET (window), "broken.netsketch:", TRUE));
  g_assert_true (g_file_equal (ns_window_get_file (window), article));
  g_assert_nonnull (ns_window_get_layer_row (window, "mer2"));

  close_window (GTK_WINDOW (window));
  delete_temp_file (broken);
}

/* An input too small for the kernel, and a layer after it. */
static const char layer_error_document[] =
  "{\"format\": \"netsketch\", \"version\": 1, \"name\": \"broken\",\n"
  " \"layers\": [\n"
  "  {\"id\": \"a\", \"type\": \"InputLayer\", \"name\": \"image\", \"position\": [0, 0],\n"
  "   \"config\": {\"shape\": [8, 8, 3]}},\n"
  "  {\"id\": \"b\", \"type\": \"Conv2D\", \"name\": \"too_wide\", \"position\": [200, 0],\n"
  "   \"config\": {\"filters\": 4, \"kernel_size\": [9, 9]}},\n"
  "  {\"id\": \"c\", \"type\": \"Flatten\", \"name\": \"flat\", \"position\": [400, 0],\n"
  "   \"config\": {}}],\n"
  " \"connections\": [{\"from\": \"a\", \"to\": \"b\", \"port\": 0},\n"
  "                 {\"from\": \"b\", \"to\": \"c\", \"port\": 0}]}\n";

/* The row shows the core's message as it is, after the layer's class. */
static void
assert_row_shows_message (NsWindow   *window,
                          const char *name,
                          const char *keras_class)
{
  NsLayer *layer = ns_graph_find_by_name (ns_window_get_graph (window), name);
  GtkWidget *row = ns_window_get_layer_row (window, name);
  g_autofree char *expected = NULL;

  g_assert_nonnull (layer);
  g_assert_nonnull (row);
  g_assert_cmpint (ns_layer_get_info (layer)->state, !=, NS_LAYER_OK);
  expected = g_strdup_printf ("%s · %s", keras_class, ns_layer_get_info (layer)->message);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, expected);
}

static void
test_window_layer_error (void)
{
  g_autoptr(GFile) file = write_temp_file ("broken.netsketch", layer_error_document);
  NsWindow *window = open_window (file);
  NsLayer *too_wide;

  /* A graph with errors is a normal state: it opens and says where. */
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  assert_row (window, "image", 0, "InputLayer · 8×8×3", "0");
  assert_row_shows_message (window, "too_wide", "Conv2D");
  assert_row_shows_message (window, "flat", "Flatten");

  too_wide = ns_graph_find_by_name (ns_window_get_graph (window), "too_wide");
  g_assert_cmpint (ns_layer_get_info (too_wide)->state, ==, NS_LAYER_ERROR);
  g_assert_nonnull (strstr (ns_layer_get_info (too_wide)->message, "8×8"));
  g_assert_nonnull (find_label_full (GTK_WIDGET (window), "1 layer has an error", TRUE));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "0 parameters"));
  save_screenshot (GTK_WIDGET (window), "window-layer-error.png");

  close_window (GTK_WINDOW (window));
  delete_temp_file (file);
}

static void
test_window_empty (void)
{
  NsWindow *window = open_window (NULL);

  g_assert_cmpstr (ns_window_get_page_name (window), ==, "empty");
  g_assert_null (ns_window_get_graph (window));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "No Network Open"));
  save_screenshot (GTK_WIDGET (window), "window-empty.png");

  close_window (GTK_WINDOW (window));
}

static GtkWindow *
only_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_cmpuint (g_list_length (windows), ==, 1);
  return windows->data;
}

static void
test_application_activate_opens_example (void)
{
  GtkWindow *window;

  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_application_activate (G_APPLICATION (app));
  window = only_window ();
  wait_until_mapped (GTK_WIDGET (window));

  g_assert_true (NS_IS_WINDOW (window));
  g_assert_cmpstr (ns_window_get_page_name (NS_WINDOW (window)), ==, "network");
  g_assert_nonnull (ns_window_get_layer_row (NS_WINDOW (window), "mer2"));

  close_window (window);
}

static void
test_application_open (void)
{
  g_autoptr(GFile) file = article_file ();
  GtkWindow *window;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = only_window ();
  wait_until_mapped (GTK_WIDGET (window));

  g_assert_true (g_file_equal (ns_window_get_file (NS_WINDOW (window)), file));
  close_window (window);
}

static void
test_application_about (void)
{
  g_autoptr(GFile) file = article_file ();
  NsWindow *window = open_window (file);
  g_autoptr(GList) toplevels = NULL;
  GtkWindow *about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  wait_until_mapped (GTK_WIDGET (about));
  save_screenshot (GTK_WIDGET (about), "about.png");

  close_window (about);
  close_window (GTK_WINDOW (window));
}

static void
test_window_shortcuts (void)
{
  g_autoptr(GFile) file = article_file ();
  NsWindow *window = open_window (file);
  GtkShortcutsWindow *overlay;

  /* GtkApplication made it from ui/gtk/help-overlay.ui when the window joined. */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  wait_until_mapped (GTK_WIDGET (overlay));
  g_assert_nonnull (find_label (GTK_WIDGET (overlay), "Open a network"));
  save_screenshot (GTK_WIDGET (overlay), "shortcuts.png");

  gtk_widget_hide (GTK_WIDGET (overlay));
  close_window (GTK_WINDOW (window));
}

static void
test_application_accels (void)
{
  g_auto(GStrv) open = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.open");
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");

  g_assert_cmpstrv (open, ((const char *[]) { "<Control>o", NULL }));
  g_assert_cmpstrv (quit, ((const char *[]) { "<Control>q", NULL }));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  /* Non-unique: a running Netsketch must not take the test's windows. */
  app = ns_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* Pages switch at once, so what a test finds is what is shown. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/window/article", test_window_article);
  g_test_add_func ("/window/load-error", test_window_load_error);
  g_test_add_func ("/window/layer-error", test_window_layer_error);
  g_test_add_func ("/window/empty", test_window_empty);
  g_test_add_func ("/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/application/activate-opens-example", test_application_activate_opens_example);
  g_test_add_func ("/application/open", test_application_open);
  g_test_add_func ("/application/about", test_application_about);
  g_test_add_func ("/application/accels", test_application_accels);

  status = g_test_run ();

  /* Windows are checked one by one above; a registered GtkApplication keeps
   * references of its own (session bus, display) until exit. */
  g_object_unref (app);

  return status;
}
