/* test-render.c: the diagram exported as PNG, SVG and PDF by the core renderer. */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "ns-document.h"
#include "ns-render.h"

static NsGraph *
load_example (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("NETSKETCH_SOURCE_ROOT"), "data", "examples",
                                            name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NsGraph *graph = ns_document_load (file, NULL, &error);

  g_assert_no_error (error);
  return graph;
}

/* Mean absolute difference per channel, 0–255, of two same-sized images. */
static double
image_difference (cairo_surface_t *a,
                  cairo_surface_t *b)
{
  int width = cairo_image_surface_get_width (a), height = cairo_image_surface_get_height (a);
  const guint8 *pa = cairo_image_surface_get_data (a), *pb = cairo_image_surface_get_data (b);
  int stride = cairo_image_surface_get_stride (a);
  guint64 sum = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width * 4; x++)
      sum += ABS (pa[y * stride + x] - pb[y * stride + x]);
  return (double) sum / ((double) width * height * 4);
}

static void
test_render_png_matches_reference (void)
{
  g_autoptr(NsGraph) graph = load_example ("article.netsketch");
  g_autofree char *dir = g_dir_make_tmp ("netsketch-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "article.png", NULL);
  g_autofree char *reference = g_test_build_filename (G_TEST_DIST, "fixtures", "render", "article.png", NULL);
  g_autofree char *keep = g_test_build_filename (G_TEST_BUILT, "render-article.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *made, *expected;

  g_assert_true (ns_render_export (graph, NS_RENDER_PNG, 1.0, file, &error));
  g_assert_no_error (error);
  made = cairo_image_surface_create_from_png (path);
  expected = cairo_image_surface_create_from_png (reference);
  g_assert_cmpint (cairo_surface_status (made), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (expected), ==, CAIRO_STATUS_SUCCESS);
  /* Kept in the build folder for a person to look at. */
  cairo_surface_write_to_png (made, keep);

  /* The layout is exact; text may differ by a little antialiasing. */
  g_assert_cmpint (cairo_image_surface_get_width (made), ==, cairo_image_surface_get_width (expected));
  g_assert_cmpint (cairo_image_surface_get_height (made), ==, cairo_image_surface_get_height (expected));
  g_assert_cmpfloat (image_difference (made, expected), <, 2.0);

  cairo_surface_destroy (made);
  cairo_surface_destroy (expected);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_render_scale_and_vectors (void)
{
  g_autoptr(NsGraph) graph = load_example ("article.netsketch");
  g_autofree char *dir = g_dir_make_tmp ("netsketch-render-XXXXXX", NULL);
  const char *names[] = { "x2.png", "article.svg", "article.pdf" };
  NsRenderFormat formats[] = { NS_RENDER_PNG, NS_RENDER_SVG, NS_RENDER_PDF };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (ns_render_export (graph, formats[i], 2.0, file, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      if (formats[i] == NS_RENDER_PNG)
        {
          cairo_surface_t *image = cairo_image_surface_create_from_png (path);
          /* Twice the 1× page: 10 ranks of 300 minus the last gap, plus margins. */
          g_assert_cmpint (cairo_image_surface_get_width (image), ==, 2 * (9 * 300 + 200 + 64));
          cairo_surface_destroy (image);
        }
      else if (formats[i] == NS_RENDER_SVG)
        {
          g_autoptr(GMarkupParseContext) parser = NULL;
          static const GMarkupParser nothing = { 0 };
          g_autoptr(GError) parse_error = NULL;

          parser = g_markup_parse_context_new (&nothing, 0, NULL, NULL);
          g_assert_true (g_markup_parse_context_parse (parser, contents, length, &parse_error));
          g_assert_true (g_markup_parse_context_end_parse (parser, &parse_error));
          g_assert_no_error (parse_error);
          g_assert_nonnull (g_strstr_len (contents, length, "<svg"));
        }
      else
        {
          g_assert_true (g_str_has_prefix (contents, "%PDF-"));
          /* PDF streams hold NUL bytes: look at the trailer directly. */
          g_assert_cmpuint (length, >, 1000);
          g_assert_cmpint (memcmp (contents + length - 6, "%%EOF\n", 6), ==, 0);
        }
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Exporting into a folder that does not exist fails and leaves nothing. */
static void
test_render_unwritable (void)
{
  g_autoptr(NsGraph) graph = load_example ("article.netsketch");
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent-netsketch-dir/out.png");
  g_autoptr(GError) error = NULL;

  g_assert_false (ns_render_export (graph, NS_RENDER_PNG, 1.0, file, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/render/png-reference", test_render_png_matches_reference);
  g_test_add_func ("/render/scale-and-vectors", test_render_scale_and_vectors);
  g_test_add_func ("/render/unwritable", test_render_unwritable);
  status = g_test_run ();
  /* Pango keeps a per-thread default font map holding cairo fonts; drop it and
   * cairo's caches so that LeakSanitizer sees only what the code leaked. */
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  return status;
}
