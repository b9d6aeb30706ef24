/* test-window.c: NsApplication and NsWindow on the article's network, under Xvfb:
 * the summary table and totals shown, load errors, the About and shortcuts
 * windows, and a screenshot of the window for docs/screenshots. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ns-application.h"
#include "ns-export.h"
#include "ns-summary-view.h"
#include "ns-window.h"
#include "ui-helpers.h"

static NsApplication *app;

static GFile *
article_file (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"),
                                            "article.netsketch", NULL);

  return g_file_new_for_path (path);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  return ui_find_label (root, text, FALSE);
}

static NsWindow *
open_window (GFile *file)
{
  NsWindow *window = ns_window_new (app);

  if (file != NULL)
    ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));

  return window;
}

/* Summary row @index shows @name, @keras_class, @shape and @params. */
static void
assert_row (NsWindow   *window,
            guint       index,
            const char *name,
            const char *keras_class,
            const char *shape,
            const char *params)
{
  NsSummaryView *view = NS_SUMMARY_VIEW (ns_window_get_part (window, "summary"));
  const char *expected[] = { name, keras_class, shape, params };

  for (guint column = 0; column < G_N_ELEMENTS (expected); column++)
    {
      g_autofree char *text = ns_summary_view_get_cell_text (view, index, column);

      g_assert_cmpstr (text, ==, expected[column]);
    }
}

static const char *
totals_text (NsWindow *window)
{
  return gtk_label_get_text (GTK_LABEL (ns_window_get_part (window, "totals")));
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
  g_assert_nonnull (ns_window_get_history (window));
  g_assert_false (ns_history_get_modified (ns_window_get_history (window)));

  /* Graph order, Keras' figures, the shapes as Keras prints them. */
  assert_row (window, 0, "input_1", "InputLayer", "(None, 128, 128, 3)", "0");
  assert_row (window, 1, "con1", "Conv2D", "(None, 128, 128, 64)", "1,792");
  assert_row (window, 4, "pool1", "MaxPooling2D", "(None, 64, 64, 64)", "0");
  assert_row (window, 6, "mer1", "Concatenate", "(None, 128, 128, 128)", "0");
  assert_row (window, 7, "deconv1", "Conv2DTranspose", "(None, 128, 128, 64)", "73,792");
  assert_row (window, 8, "score1", "Conv2DTranspose", "(None, 128, 128, 21)", "12,117");
  assert_row (window, 9, "mer2", "Concatenate", "(None, 128, 128, 85)", "0");
  g_assert_null (ns_summary_view_get_cell_text (NS_SUMMARY_VIEW (ns_window_get_part (window, "summary")), 10, 0));

  /* Totals as the article's summary has them; the activations are every
   * layer's float32 output for one sample: 3/16 + 4 + 4 + 4 + 1 + 4 + 8 + 4
   * + 21/16 + 85/16 MiB = 35.8125 MiB. */
  g_assert_cmpstr (totals_text (window), ==,
                   "87,957 parameters · 87,829 trainable · 128 non-trainable · 1.43 G MACs · 35.8\u00a0MiB activations");

  ui_save_screenshot (GTK_WIDGET (window), "window.png");

  ui_close_window (GTK_WINDOW (window));
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

/* PNG's IHDR: width and height, big-endian, at bytes 16 and 20. */
static void
png_size (GBytes *png,
          guint  *width,
          guint  *height)
{
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (png, &size);
  g_assert_cmpuint (size, >, 24);
  g_assert_cmpmem (data + 1, 3, "PNG", 3);
  *width = (guint) data[16] << 24 | (guint) data[17] << 16 | (guint) data[18] << 8 | data[19];
  *height = (guint) data[20] << 24 | (guint) data[21] << 16 | (guint) data[22] << 8 | data[23];
}

/* The Export menu's path once the chooser has picked a file: the bytes are
 * the core exporter's, a PNG for print has twice the pixels, and a failure
 * is told in a toast without a file left behind. */
static void
test_window_export (void)
{
  g_autoptr(GFile) file = article_file ();
  g_autofree char *dir = g_dir_make_tmp ("netsketch-export-XXXXXX", NULL);
  g_autoptr(GFile) print = g_file_new_build_filename (dir, "print.png", NULL);
  g_autoptr(GFile) screen = g_file_new_build_filename (dir, "screen.png", NULL);
  g_autoptr(GFile) summary = g_file_new_build_filename (dir, "summary.json", NULL);
  g_autoptr(GFile) nowhere = g_file_new_build_filename (dir, "missing", "x.svg", NULL);
  g_autoptr(GBytes) print_bytes = NULL, screen_bytes = NULL, summary_bytes = NULL;
  g_autofree char *expected_summary = NULL;
  g_autoptr(GError) error = NULL;
  NsWindow *window = open_window (file);
  guint width, height, print_width, print_height;

  ns_window_export (window, "png@2", print);
  ns_window_export (window, "png", screen);
  ns_window_export (window, "summary-json", summary);
  ui_settle ();
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Exported “summary.json”"));

  print_bytes = g_file_load_bytes (print, NULL, NULL, &error);
  g_assert_no_error (error);
  screen_bytes = g_file_load_bytes (screen, NULL, NULL, &error);
  g_assert_no_error (error);
  png_size (screen_bytes, &width, &height);
  png_size (print_bytes, &print_width, &print_height);
  g_assert_cmpuint (print_width, ==, 2 * width);
  g_assert_cmpuint (print_height, ==, 2 * height);

  summary_bytes = g_file_load_bytes (summary, NULL, NULL, &error);
  g_assert_no_error (error);
  expected_summary = ns_export_to_text (ns_window_get_graph (window), NS_EXPORT_SUMMARY_JSON, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (summary_bytes, NULL), g_bytes_get_size (summary_bytes),
                   expected_summary, strlen (expected_summary));

  ns_window_export (window, "svg", nowhere);
  ui_settle ();
  g_assert_false (g_file_query_exists (nowhere, NULL));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "Could not export “x.svg”", TRUE));

  ui_close_window (GTK_WINDOW (window));
  g_assert_no_errno (g_remove (g_file_peek_path (print)));
  g_assert_no_errno (g_remove (g_file_peek_path (screen)));
  g_assert_no_errno (g_remove (g_file_peek_path (summary)));
  g_assert_no_errno (g_rmdir (dir));
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
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "broken.netsketch:", TRUE));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "Could Not Open the Network"));
  ui_save_screenshot (GTK_WIDGET (window), "window-error.png");

  /* A network open: a failed open only tells, in a toast, and keeps it. */
  ns_window_open (window, article);
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  ui_settle ();
  g_assert_null (ui_find_label (GTK_WIDGET (window), "broken.netsketch:", TRUE));
  ns_window_open (window, broken);
  ui_settle ();
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  g_assert_nonnull (ui_find_label (GTK_WIDGET (window), "broken.netsketch:", TRUE));
  g_assert_true (g_file_equal (ns_window_get_file (window), article));
  g_assert_nonnull (ns_graph_find_by_name (ns_window_get_graph (window), "mer2"));

  ui_close_window (GTK_WINDOW (window));
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

/* The row shows the core's message as it is, in place of the shape. */
static void
assert_row_shows_message (NsWindow   *window,
                          guint       index,
                          const char *name)
{
  NsLayer *layer = ns_graph_find_by_name (ns_window_get_graph (window), name);
  NsSummaryView *view = NS_SUMMARY_VIEW (ns_window_get_part (window, "summary"));
  g_autofree char *shown_name = ns_summary_view_get_cell_text (view, index, 0);
  g_autofree char *shown = ns_summary_view_get_cell_text (view, index, 2);
  g_autofree char *params = ns_summary_view_get_cell_text (view, index, 3);

  g_assert_nonnull (layer);
  g_assert_cmpint (ns_layer_get_info (layer)->state, !=, NS_LAYER_OK);
  g_assert_cmpstr (shown_name, ==, name);
  g_assert_cmpstr (shown, ==, ns_layer_get_info (layer)->message);
  g_assert_cmpstr (params, ==, "–");
}

static void
test_window_layer_error (void)
{
  g_autoptr(GFile) file = write_temp_file ("broken.netsketch", layer_error_document);
  NsWindow *window = open_window (file);
  NsLayer *too_wide;

  /* A graph with errors is a normal state: it opens and says where. */
  g_assert_cmpstr (ns_window_get_page_name (window), ==, "network");
  assert_row (window, 0, "image", "InputLayer", "(None, 8, 8, 3)", "0");
  assert_row_shows_message (window, 1, "too_wide");
  assert_row_shows_message (window, 2, "flat");

  too_wide = ns_graph_find_by_name (ns_window_get_graph (window), "too_wide");
  g_assert_cmpint (ns_layer_get_info (too_wide)->state, ==, NS_LAYER_ERROR);
  g_assert_nonnull (strstr (ns_layer_get_info (too_wide)->message, "8×8"));
  g_assert_cmpstr (totals_text (window), ==,
                   "0 parameters · 0 trainable · 0 non-trainable · 0 MACs · 768 bytes activations"
                   " — 1 layer has an error, so these totals are incomplete");
  ui_save_screenshot (GTK_WIDGET (window), "window-layer-error.png");

  ui_close_window (GTK_WINDOW (window));
  delete_temp_file (file);
}

static void
test_window_empty (void)
{
  NsWindow *window = open_window (NULL);

  g_assert_cmpstr (ns_window_get_page_name (window), ==, "empty");
  g_assert_null (ns_window_get_graph (window));
  g_assert_nonnull (find_label (GTK_WIDGET (window), "No Network Open"));
  ui_save_screenshot (GTK_WIDGET (window), "window-empty.png");

  ui_close_window (GTK_WINDOW (window));
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
  ui_wait_until_mapped (GTK_WIDGET (window));

  g_assert_true (NS_IS_WINDOW (window));
  g_assert_cmpstr (ns_window_get_page_name (NS_WINDOW (window)), ==, "network");
  g_assert_nonnull (ns_graph_find_by_name (ns_window_get_graph (NS_WINDOW (window)), "mer2"));

  ui_close_window (window);
}

static void
test_application_open (void)
{
  g_autoptr(GFile) file = article_file ();
  GtkWindow *window;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = only_window ();
  ui_wait_until_mapped (GTK_WIDGET (window));

  g_assert_true (g_file_equal (ns_window_get_file (NS_WINDOW (window)), file));
  ui_close_window (window);
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
  ui_wait_until_mapped (GTK_WIDGET (about));
  ui_save_screenshot (GTK_WIDGET (about), "about.png");

  ui_close_window (about);
  ui_close_window (GTK_WINDOW (window));
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
  ui_wait_until_mapped (GTK_WIDGET (overlay));
  g_assert_nonnull (find_label (GTK_WIDGET (overlay), "Open a network"));
  ui_save_screenshot (GTK_WIDGET (overlay), "shortcuts.png");

  gtk_widget_hide (GTK_WIDGET (overlay));
  ui_close_window (GTK_WINDOW (window));
}

/* Whether @action's accelerators are @expected, in order, as keys: GTK
 * normalises the strings ("<Shift><Control>z") differently across versions. */
static void
assert_accels (const char        *action,
               const char *const *expected)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
  guint i;

  for (i = 0; expected[i] != NULL; i++)
    {
      guint key, expected_key;
      GdkModifierType mods, expected_mods;

      g_assert_nonnull (accels[i]);
      g_assert_true (gtk_accelerator_parse (accels[i], &key, &mods));
      g_assert_true (gtk_accelerator_parse (expected[i], &expected_key, &expected_mods));
      g_assert_cmpuint (key, ==, expected_key);
      g_assert_cmpuint (mods, ==, expected_mods);
    }
  g_assert_null (accels[i]);
}

static void
test_application_accels (void)
{
  assert_accels ("win.open", (const char *[]) { "<Control>o", NULL });
  assert_accels ("app.quit", (const char *[]) { "<Control>q", NULL });
  assert_accels ("win.undo", (const char *[]) { "<Control>z", NULL });
  assert_accels ("win.redo", (const char *[]) { "<Control><Shift>z", "<Control>y", NULL });
  assert_accels ("win.save", (const char *[]) { "<Control>s", NULL });
}

/* The Help menu's guide: built from docs/user-guide.md into a page that
 * declares its encoding (the guide has × and − in it), bound to F1. */
static void
test_application_help (void)
{
  g_autoptr(GFile) guide = ns_application_get_help_file ();
  g_autofree char *text = NULL;
  g_autofree char *basename = NULL;
  g_autoptr(GError) error = NULL;
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), "help");

  g_assert_nonnull (action);
  g_assert_true (g_action_get_enabled (action));
  assert_accels ("app.help", (const char *[]) { "F1", NULL });

  g_assert_nonnull (guide);
  basename = g_file_get_basename (guide);
  g_assert_cmpstr (basename, ==, "user-guide.html");
  g_assert_true (g_file_load_contents (guide, NULL, &text, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "<meta charset=\"utf-8\">"));
  g_assert_nonnull (strstr (text, "<h1>Netsketch user guide</h1>"));
  g_assert_nonnull (strstr (text, "(3×3×3 + 1) × 64 = 1,792"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/window/article", test_window_article);
  g_test_add_func ("/window/export", test_window_export);
  g_test_add_func ("/window/load-error", test_window_load_error);
  g_test_add_func ("/window/layer-error", test_window_layer_error);
  g_test_add_func ("/window/empty", test_window_empty);
  g_test_add_func ("/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/application/activate-opens-example", test_application_activate_opens_example);
  g_test_add_func ("/application/open", test_application_open);
  g_test_add_func ("/application/about", test_application_about);
  g_test_add_func ("/application/accels", test_application_accels);
  g_test_add_func ("/application/help", test_application_help);

  status = g_test_run ();

  /* Windows are checked one by one above; a registered GtkApplication keeps
   * references of its own (session bus, display) until exit. */
  g_object_unref (app);

  return status;
}
