/* test-render-summary.c: the summary table exported as a PNG: its size is the
 * layout's, it decodes, it grows by one fixed row per layer, layers in error
 * read red, and what it refuses. */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ns-model-io.h"
#include "ns-render.h"
#include "test-helpers.h"

/* ns-render-summary.c's layout: a one-line row, the margin, the gap and line
 * under the table for each of the four totals. */
#define ROW_HEIGHT 26
#define MARGIN 24
#define TOTALS_BLOCK (10 + 4 * 20)

typedef struct {
  char *dir;
  char *path;
} Scratch;

static void
scratch_set_up (Scratch       *scratch,
                gconstpointer  data)
{
  scratch->dir = g_dir_make_tmp ("netsketch-summary-XXXXXX", NULL);
  scratch->path = g_build_filename (scratch->dir, "summary.png", NULL);
}

static void
scratch_tear_down (Scratch       *scratch,
                   gconstpointer  data)
{
  g_remove (scratch->path);
  g_rmdir (scratch->dir);
  g_free (scratch->path);
  g_free (scratch->dir);
}

/* Exports @graph at @scale and reads the PNG back. */
static cairo_surface_t *
export_png (NsGraph    *graph,
            double      scale,
            const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;

  g_assert_true (ns_render_summary_export (graph, scale, file, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  return image;
}

static void
pixel (cairo_surface_t *image,
       int              x,
       int              y,
       guint8           rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (image);
  guint32 value;

  cairo_surface_flush (image);
  memcpy (&value, data + y * cairo_image_surface_get_stride (image) + x * 4, 4);
  rgb[0] = (value >> 16) & 0xff;
  rgb[1] = (value >> 8) & 0xff;
  rgb[2] = value & 0xff;
}

static void
test_summary_png_article (Scratch       *scratch,
                          gconstpointer  data)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autofree char *keep = g_test_build_filename (G_TEST_BUILT, "summary-article.png", NULL);
  cairo_surface_t *image, *double_size;
  double width, height;
  guint8 rgb[3];
  int table_end;

  ns_render_summary_get_size (graph, &width, &height);
  g_assert_cmpfloat (width, ==, (int) width);
  g_assert_cmpfloat (height, ==, (int) height);
  /* Ten layers of one or two lines, four totals: a table wider than tall. */
  g_assert_cmpfloat (width, >, 500);
  g_assert_cmpfloat (height, >=, 2 * MARGIN + 11 * ROW_HEIGHT + TOTALS_BLOCK);

  image = export_png (graph, 1, scratch->path);
  /* Kept in the build folder for a person to look at. */
  cairo_surface_write_to_png (image, keep);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, width);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, height);

  /* The page's background in the corner, the 2-pixel rule that closes the
   * table above the totals, and the background under it. */
  pixel (image, 0, 0, rgb);
  g_assert_cmpuint (rgb[0], ==, 250);
  g_assert_cmpuint (rgb[2], ==, 250);
  table_end = (int) height - MARGIN - TOTALS_BLOCK;
  pixel (image, MARGIN + 1, table_end, rgb);
  g_assert_cmpuint (rgb[0], ==, 30);
  g_assert_cmpuint (rgb[2], ==, 35);
  pixel (image, MARGIN + 1, table_end + 1, rgb);
  g_assert_cmpuint (rgb[0], ==, 30);
  pixel (image, MARGIN + 1, table_end + 2, rgb);
  g_assert_cmpuint (rgb[0], ==, 250);
  pixel (image, MARGIN - 1, table_end, rgb);
  g_assert_cmpuint (rgb[0], ==, 250);
  cairo_surface_destroy (image);

  /* Scale 2 doubles every side exactly: the layout does not hint. */
  double_size = export_png (graph, 2, scratch->path);
  g_assert_cmpint (cairo_image_surface_get_width (double_size), ==, 2 * width);
  g_assert_cmpint (cairo_image_surface_get_height (double_size), ==, 2 * height);
  cairo_surface_destroy (double_size);
}

static void
test_summary_png_grows_by_rows (Scratch       *scratch,
                                gconstpointer  data)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  NsLayer *extra;
  double width, height, new_width, new_height;
  cairo_surface_t *image;

  ns_render_summary_get_size (graph, &width, &height);
  extra = test_add_layer (graph, "Activation", "extra");
  test_connect (graph, ns_graph_find_by_name (graph, "mer2"), extra, 0);
  ns_render_summary_get_size (graph, &new_width, &new_height);
  /* "extra (Activation)", "(None, 128, 128, 85)", "0", "['mer2[0][0]']": one line. */
  g_assert_cmpfloat (new_width, ==, width);
  g_assert_cmpfloat (new_height, ==, height + ROW_HEIGHT);

  image = export_png (graph, 1, scratch->path);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, height + ROW_HEIGHT);
  cairo_surface_destroy (image);
}

static void
test_summary_png_error_rows (Scratch       *scratch,
                             gconstpointer  data)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "in", "[4, 4, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "too_big");
  cairo_surface_t *image;
  int width, height, red = 0;

  test_set (graph, conv, "filters", "8");
  test_set (graph, conv, "kernel_size", "[7, 7]");
  test_connect (graph, input, conv, 0);
  g_assert_cmpint (ns_layer_get_info (conv)->state, ==, NS_LAYER_ERROR);

  /* Images show layers in error as they are, in red. */
  image = export_png (graph, 1, scratch->path);
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 rgb[3];

        pixel (image, x, y, rgb);
        if (rgb[0] > 150 && rgb[1] < 90 && rgb[2] < 90)
          red++;
      }
  g_assert_cmpint (red, >, 100);
  cairo_surface_destroy (image);
}

static void
test_summary_png_refusals (Scratch       *scratch,
                           gconstpointer  data)
{
  g_autofree char *chain = test_keras_chain (400);
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) long_graph = ns_model_load_from_data (chain, -1, "long.json", &error);
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(GFile) file = g_file_new_for_path (scratch->path);
  g_autoptr(GFile) nowhere = g_file_new_for_path ("/nonexistent/netsketch/summary.png");

  g_assert_no_error (error);
  /* 400 rows of 26 pixels at scale 4 are more than PNG export allows. */
  g_assert_false (ns_render_summary_export (long_graph, 4, file, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "the summary image would be "));
  g_assert_true (g_str_has_suffix (error->message, " pixels, more than PNG export allows (32,767); "
                                   "export the summary as markdown or summary-json, or use a smaller scale"));
  g_assert_false (g_file_test (scratch->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (ns_render_summary_export (graph, 1, nowhere, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/summary-png/article", Scratch, NULL, scratch_set_up, test_summary_png_article,
              scratch_tear_down);
  g_test_add ("/summary-png/grows-by-rows", Scratch, NULL, scratch_set_up, test_summary_png_grows_by_rows,
              scratch_tear_down);
  g_test_add ("/summary-png/error-rows", Scratch, NULL, scratch_set_up, test_summary_png_error_rows,
              scratch_tear_down);
  g_test_add ("/summary-png/refusals", Scratch, NULL, scratch_set_up, test_summary_png_refusals,
              scratch_tear_down);
  return g_test_run ();
}
