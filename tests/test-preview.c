/* test-preview.c: the forward-pass preview in a window under Xvfb: an image
 * (tests/fixtures/preview/cat-64.png) or noise run through the article's
 * network and a Dense classifier, the panel's figures checked against what
 * the core computes for the same input, an edit cancelling the pass under
 * way, and errors shown in the panel; screenshots go to the build folder. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ns-application.h"
#include "ns-document.h"
#include "ns-preview.h"
#include "ns-window.h"
#include "test-helpers.h"
#include "ui-helpers.h"

/* A pass of the article's network takes well under a second here; the
 * margin is for sanitizer builds on a loaded machine. */
#define RUN_TIMEOUT 120

static NsApplication *app;

static GFile *
example_file (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_EXAMPLES_DIR"), name, NULL);

  return g_file_new_for_path (path);
}

static GFile *
cat_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "preview", "cat-64.png", NULL);

  return g_file_new_for_path (path);
}

static NsPreview *
get_preview (NsWindow *window)
{
  return NS_PREVIEW (ns_window_get_part (window, "preview"));
}

/* Opens @file with the preview panel shown (its toggle is the View menu's). */
static NsWindow *
open_with_preview (GFile *file)
{
  NsWindow *window = ns_window_new (app);
  GtkWidget *preview;

  ns_window_open (window, file);
  gtk_window_present (GTK_WINDOW (window));
  ui_wait_until_mapped (GTK_WIDGET (window));

  preview = ns_window_get_part (window, "preview");
  if (!gtk_widget_get_visible (preview))
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-preview", NULL));
  g_assert_true (gtk_widget_get_visible (preview));
  ui_wait_until_mapped (preview);
  return window;
}

typedef struct {
  NsPreview *preview;
  guint      finished;
} Await;

static gboolean
finished_enough (gpointer data)
{
  Await *await = data;
  guint finished;

  ns_preview_get_counts (await->preview, NULL, &finished, NULL);
  return !ns_preview_get_running (await->preview) && finished >= await->finished;
}

/* Iterates the main loop until the panel has shown @finished passes and runs nothing. */
static void
wait_for_pass (NsPreview *preview,
               guint      finished)
{
  Await await = { preview, finished };

  g_assert_true (ui_wait_for (finished_enough, &await, RUN_TIMEOUT));
  ui_settle ();
}

typedef struct {
  NsPreview *preview;
  guint      started;
} AwaitStart;

static gboolean
started_enough (gpointer data)
{
  AwaitStart *await = data;
  guint started;

  ns_preview_get_counts (await->preview, &started, NULL, NULL);
  return started >= await->started;
}

static const char *
part_text (NsPreview  *preview,
           const char *name)
{
  return gtk_label_get_text (GTK_LABEL (ns_preview_get_part (preview, name)));
}

static void
assert_figure (NsPreview  *preview,
               const char *name,
               double      value)
{
  g_autofree char *expected = g_strdup_printf ("%.4g", value);

  g_assert_cmpstr (part_text (preview, name), ==, expected);
}

static NsTensor *
image_input (NsGraph *graph,
             GFile   *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
  NsNormalization unit;
  NsTensor *tensor;

  g_assert_no_error (error);
  ns_normalization_init (&unit, NS_NORMALIZE_UNIT);
  tensor = ns_preview_image_to_tensor (gdk_pixbuf_read_pixels (pixbuf),
                                       gdk_pixbuf_get_width (pixbuf), gdk_pixbuf_get_height (pixbuf),
                                       gdk_pixbuf_get_rowstride (pixbuf), gdk_pixbuf_get_n_channels (pixbuf),
                                       &ns_layer_get_info (g_ptr_array_index (inputs, 0))->output,
                                       &unit, &error);
  g_assert_no_error (error);
  return tensor;
}

/* What the core computes on the main thread: @layer's output and the model's. */
static NsTensor *
core_pass (NsGraph   *graph,
           NsTensor  *input,
           guint64    seed,
           const char *layer,
           NsTensor **output)
{
  NsExecutorOptions options = { seed, 1, 0, layer };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExecutor) executor = ns_executor_new (graph, &options, &error);
  g_autoptr(NsTensor) noise = NULL;

  g_assert_no_error (error);
  if (input == NULL)
    {
      guint rank;
      gint64 dims[NS_MAX_RANK + 1];

      ns_executor_get_input_shape (executor, &rank, dims);
      input = noise = ns_tensor_new_noise (rank, dims, seed);
    }
  *output = ns_executor_run (executor, input, NULL, &error);
  g_assert_no_error (error);
  return ns_tensor_copy (ns_executor_get_captured (executor));
}

/* The panel's statistics equal the core's for @captured, to the digit shown. */
static void
assert_stats (NsPreview      *preview,
              const NsTensor *captured)
{
  NsFeatureMaps maps;
  NsTensorStats stats;
  g_autofree char *zeros = NULL;
  g_autofree char *dead = NULL;

  g_assert_true (ns_feature_maps_init (&maps, captured, 0));
  ns_feature_maps_get_stats (&maps, 0, -1, &stats);
  assert_figure (preview, "min", stats.min);
  assert_figure (preview, "max", stats.max);
  assert_figure (preview, "mean", stats.mean);
  assert_figure (preview, "std", stats.std);
  zeros = g_strdup_printf ("%.1f %%", stats.zero_fraction * 100);
  g_assert_cmpstr (part_text (preview, "zeros"), ==, zeros);
  dead = g_strdup_printf ("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT, stats.dead_channels, maps.channels);
  g_assert_cmpstr (part_text (preview, "dead"), ==, dead);
}

static guint
count_children (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* The first label under @widget, depth first. */
static GtkLabel *
first_label (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = first_label (child);

      if (label != NULL)
        return label;
    }
  return NULL;
}

static void
set_config (NsWindow   *window,
            NsLayer    *layer,
            const char *key,
            const char *json)
{
  g_autoptr(GError) error = NULL;
  NsValue value = test_value (layer, key, json);

  g_assert_true (ns_history_set_value (ns_window_get_history (window), layer, key, &value, &error));
  g_assert_no_error (error);
}

static void
test_preview_image (void)
{
  g_autoptr(GFile) file = example_file ("article.netsketch");
  g_autoptr(GFile) cat = cat_file ();
  NsWindow *window = open_with_preview (file);
  NsPreview *preview = get_preview (window);
  NsGraph *graph = ns_window_get_graph (window);
  NsLayer *con1 = ns_graph_find_by_name (graph, "con1");
  g_autoptr(NsTensor) input = NULL, captured = NULL, output = NULL;
  g_autoptr(NsTensor) edited = NULL, edited_output = NULL;
  g_autofree guint32 *classes = NULL;
  g_autofree gint64 *counts = NULL;
  g_autofree char *first_entry = NULL;
  NsFeatureMaps maps;
  guint started, finished, cancelled, best = 0;

  ns_selection_set (ns_window_get_selection (window), con1);
  ns_preview_use_image (preview, cat);
  wait_for_pass (preview, 1);

  /* The panel shows what the core computes for the same pixels. */
  input = image_input (graph, cat);
  captured = core_pass (graph, input, 0, "con1", &output);
  g_assert_cmpstr (part_text (preview, "layer-title"), ==, "con1 · 128 × 128 × 64");
  assert_stats (preview, captured);
  g_assert_cmpstr (part_text (preview, "output-title"), ==, "Output: mer2 · 128 × 128 × 85");
  g_assert_cmpstr (part_text (preview, "normalization"), ==, "x / 255 → [0, 1]");
  g_assert_true (g_str_has_prefix (part_text (preview, "status"), "Ran in "));
  g_assert_false (gtk_widget_get_visible (ns_preview_get_part (preview, "spinner")));
  g_assert_true (gtk_widget_get_mapped (ns_preview_get_part (preview, "tiles")));

  /* A spatial output: a class map, the legend led by the largest class. */
  g_assert_true (gtk_widget_get_mapped (ns_preview_get_part (preview, "class-map")));
  ns_feature_maps_init (&maps, output, 0);
  classes = g_new (guint32, maps.height * maps.width);
  counts = g_new0 (gint64, maps.channels);
  ns_feature_maps_argmax (&maps, classes, counts);
  for (guint c = 1; c < maps.channels; c++)
    if (counts[c] > counts[best])
      best = c;
  first_entry = g_strdup_printf ("%u · %.1f %%", best, 100.0 * counts[best] / (maps.height * maps.width));
  g_assert_cmpstr (gtk_label_get_text (first_label (ns_preview_get_part (preview, "legend"))), ==, first_entry);
  /* Name, bar and time for each layer that computes: all but the Input. */
  g_assert_cmpuint (count_children (ns_preview_get_part (preview, "timings")), ==, 3 * 9);

  ui_save_screenshot (GTK_WIDGET (window), "preview-article.png");
  {
    /* And with the panel scrolled down to the output and the timings. */
    GtkWidget *scroller = gtk_widget_get_ancestor (ns_preview_get_part (preview, "class-map"), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    ui_settle ();
    ui_save_screenshot (GTK_WIDGET (window), "preview-article-output.png");
  }

  /* Another input starts a pass; an edit while it runs cancels it and starts the next. */
  ns_preview_get_counts (preview, &started, &finished, &cancelled);
  ns_preview_use_noise (preview, 5);
  {
    AwaitStart await = { preview, started + 1 };

    g_assert_true (ui_wait_for (started_enough, &await, RUN_TIMEOUT));
  }
  set_config (window, con1, "filters", "32");
  g_assert_true (ns_preview_get_running (preview));
  wait_for_pass (preview, finished + 1);
  {
    guint now_started, now_finished, now_cancelled;

    ns_preview_get_counts (preview, &now_started, &now_finished, &now_cancelled);
    g_assert_cmpuint (now_started, ==, started + 2);
    g_assert_cmpuint (now_finished, ==, finished + 1);
    g_assert_cmpuint (now_cancelled, ==, cancelled + 1);
  }
  edited = core_pass (graph, NULL, 5, "con1", &edited_output);
  g_assert_cmpstr (part_text (preview, "layer-title"), ==, "con1 · 128 × 128 × 32");
  assert_stats (preview, edited);
  g_assert_cmpstr (part_text (preview, "output-title"), ==, "Output: mer2 · 128 × 128 × 85");

  ui_close_window (GTK_WINDOW (window));
}

/* Input 8×8×1 → Flatten → Dense(10, softmax): a vector output. */
static const char classifier[] =
  "{\"format\": \"netsketch\", \"version\": 1, \"name\": \"classifier\", \"layers\": ["
  "{\"id\": \"n1\", \"type\": \"InputLayer\", \"name\": \"pixels\", \"position\": [40, 80], \"config\": {\"shape\": [8, 8, 1]}},"
  "{\"id\": \"n2\", \"type\": \"Flatten\", \"name\": \"flatten\", \"position\": [340, 80], \"config\": {}},"
  "{\"id\": \"n3\", \"type\": \"Dense\", \"name\": \"scores\", \"position\": [640, 80], \"config\": {\"units\": 10, \"activation\": \"softmax\"}}],"
  "\"connections\": [{\"from\": \"n1\", \"to\": \"n2\", \"port\": 0}, {\"from\": \"n2\", \"to\": \"n3\", \"port\": 0}]}";

static void
test_preview_top5 (void)
{
  g_autofree char *dir = g_dir_make_tmp ("netsketch-preview-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "classifier.netsketch", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  NsWindow *window = NULL;
  NsPreview *preview;
  NsGraph *graph;
  g_autoptr(NsTensor) captured = NULL, output = NULL, pixels = NULL, pixels_output = NULL;
  GtkWidget *top;
  NsTopEntry entries[5];
  g_autofree char *first = NULL, *percent = NULL;
  GtkWidget *row;
  guint finished;

  g_assert_true (g_file_set_contents (path, classifier, -1, NULL));
  window = open_with_preview (file);
  preview = get_preview (window);
  graph = ns_window_get_graph (window);
  ns_preview_use_noise (preview, 1);
  ns_selection_set (ns_window_get_selection (window), ns_graph_find_by_name (graph, "scores"));
  wait_for_pass (preview, 1);

  captured = core_pass (graph, NULL, 1, "scores", &output);
  g_assert_cmpstr (part_text (preview, "layer-title"), ==, "scores · 10");
  assert_stats (preview, captured);
  g_assert_cmpstr (part_text (preview, "output-title"), ==, "Output: scores · 10");

  /* Softmax outputs are probabilities already: bars of the top five. */
  top = ns_preview_get_part (preview, "top");
  g_assert_true (gtk_widget_get_mapped (top));
  g_assert_cmpuint (count_children (top), ==, 5);
  g_assert_cmpuint (ns_top_k (output->data, 10, 5, entries), ==, 5);
  first = g_strdup_printf ("Class %" G_GINT64_FORMAT, entries[0].index);
  percent = g_strdup_printf ("%.1f %%", entries[0].value * 100.0);
  row = gtk_widget_get_first_child (top);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_first_child (row))), ==, first);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (row))), ==, percent);
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (gtk_widget_get_next_sibling (gtk_widget_get_first_child (row)))),
                     ==, (float) entries[0].value);

  ui_save_screenshot (GTK_WIDGET (window), "preview-top5.png");

  /* The Input layer itself can be looked at: the noise as fed. */
  ns_preview_get_counts (preview, NULL, &finished, NULL);
  ns_selection_set (ns_window_get_selection (window), ns_graph_find_by_name (graph, "pixels"));
  wait_for_pass (preview, finished + 1);
  pixels = core_pass (graph, NULL, 1, "pixels", &pixels_output);
  g_assert_cmpstr (part_text (preview, "layer-title"), ==, "pixels · 8 × 8 × 1");
  assert_stats (preview, pixels);

  ui_close_window (GTK_WINDOW (window));
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
assert_message (NsPreview  *preview,
                const char *title,
                const char *description)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (ns_preview_get_part (preview, "message"));

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, title);
  g_assert_cmpstr (adw_status_page_get_description (page), ==, description);
}

static void
test_preview_errors (void)
{
  g_autoptr(GFile) file = example_file ("article.netsketch");
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/cat.png");
  NsWindow *window = open_with_preview (file);
  NsPreview *preview = get_preview (window);
  NsGraph *graph = ns_window_get_graph (window);
  NsLayer *con1 = ns_graph_find_by_name (graph, "con1");
  NsExecutorOptions tight = { 0, 1, 4096, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autofree char *layer_error = NULL;
  g_autofree char *read_title = NULL;
  guint finished;

  ns_preview_use_noise (preview, 0);
  wait_for_pass (preview, 1);

  /* Too big for the memory allowed: the executor's figures, in the panel. */
  g_assert_null (ns_executor_new (graph, &tight, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_TOO_LARGE);
  ns_preview_get_counts (preview, NULL, &finished, NULL);
  ns_preview_set_memory_limit (preview, 4096);
  wait_for_pass (preview, finished + 1);
  assert_message (preview, "Too Large to Preview", error->message);

  /* A layer in error: named, with its message; nothing runs. */
  ns_preview_set_memory_limit (preview, 0);
  set_config (window, con1, "kernel_size", "[200, 200]");
  set_config (window, con1, "padding", "\"valid\"");
  g_assert_cmpint (ns_layer_get_info (con1)->state, ==, NS_LAYER_ERROR);
  ns_preview_get_counts (preview, NULL, &finished, NULL);
  wait_for_pass (preview, finished);
  layer_error = g_strdup_printf ("“con1”: %s", ns_layer_get_info (con1)->message);
  assert_message (preview, "The Network Has Errors", layer_error);

  /* An image that cannot be read says so. */
  ns_preview_use_image (preview, missing);
  wait_for_pass (preview, finished);
  g_assert_false (g_file_query_exists (missing, NULL));
  g_file_read (missing, NULL, &read_error);
  read_title = g_strdup ("Could Not Read “cat.png”");
  assert_message (preview, read_title, read_error->message);

  ui_save_screenshot (GTK_WIDGET (window), "preview-error.png");
  ui_close_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = NS_APPLICATION (ui_app_new ());

  g_test_add_func ("/preview/image", test_preview_image);
  g_test_add_func ("/preview/top5", test_preview_top5);
  g_test_add_func ("/preview/errors", test_preview_errors);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
