/* test-preview-core.c: the preview's headless half: feature-map statistics,
 * colormap and tiles, class maps, top-k, image normalisation and resizing,
 * and graph snapshots run on another thread, against figures worked by hand. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-document.h"
#include "ns-preview-core.h"
#include "test-helpers.h"

#define EPSILON 1e-12

static NsFeatureMaps
maps_of (gint64       height,
         gint64       width,
         gint64       channels,
         const float *values)
{
  NsFeatureMaps maps = { values, height, width, channels };

  return maps;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (gconstpointer) (data + (gsize) y * cairo_image_surface_get_stride (surface) + (gsize) x * 4);
}

static void
test_feature_maps_views (void)
{
  const gint64 nhwc[] = { 2, 3, 4, 5 }, dense[] = { 2, 10 }, steps[] = { 1, 7, 2 }, volume[] = { 1, 2, 3, 4, 5 };
  g_autoptr(NsTensor) images = ns_tensor_new (4, nhwc);
  g_autoptr(NsTensor) vectors = ns_tensor_new (2, dense);
  g_autoptr(NsTensor) sequence = ns_tensor_new (3, steps);
  g_autoptr(NsTensor) volumes = ns_tensor_new (5, volume);
  NsFeatureMaps maps;

  g_assert_true (ns_feature_maps_init (&maps, images, 1));
  g_assert_true (maps.data == images->data + 60);
  g_assert_cmpint (maps.height, ==, 3);
  g_assert_cmpint (maps.width, ==, 4);
  g_assert_cmpint (maps.channels, ==, 5);
  g_assert_false (ns_feature_maps_init (&maps, images, 2));
  g_assert_false (ns_feature_maps_init (&maps, images, -1));

  /* A Dense output: its units are the channels of a single pixel. */
  g_assert_true (ns_feature_maps_init (&maps, vectors, 1));
  g_assert_true (maps.data == vectors->data + 10);
  g_assert_cmpint (maps.height, ==, 1);
  g_assert_cmpint (maps.width, ==, 1);
  g_assert_cmpint (maps.channels, ==, 10);

  g_assert_true (ns_feature_maps_init (&maps, sequence, 0));
  g_assert_cmpint (maps.height, ==, 1);
  g_assert_cmpint (maps.width, ==, 7);
  g_assert_cmpint (maps.channels, ==, 2);

  /* Depth folds into the height: 2 × 3 rows of 4. */
  g_assert_true (ns_feature_maps_init (&maps, volumes, 0));
  g_assert_cmpint (maps.height, ==, 6);
  g_assert_cmpint (maps.width, ==, 4);
  g_assert_cmpint (maps.channels, ==, 5);
}

static void
test_stats (void)
{
  /* 1 × 4 pixels of 2 channels: channel 0 is 0, 2, 4, 6; channel 1 is dead. */
  const float values[] = { 0, 0, 2, 0, 4, 0, 6, 0 };
  NsFeatureMaps maps = maps_of (1, 4, 2, values);
  NsTensorStats stats;
  double min, max;

  ns_feature_maps_get_stats (&maps, 0, -1, &stats);
  g_assert_cmpint (stats.count, ==, 8);
  g_assert_cmpint (stats.n_nonfinite, ==, 0);
  g_assert_cmpfloat (stats.min, ==, 0);
  g_assert_cmpfloat (stats.max, ==, 6);
  g_assert_cmpfloat (stats.mean, ==, 1.5);
  /* Squared deviations: 5 × 2.25 + 0.25 + 6.25 + 20.25 = 38, over 8. */
  g_assert_cmpfloat_with_epsilon (stats.std, sqrt (4.75), EPSILON);
  g_assert_cmpfloat (stats.zero_fraction, ==, 0.625);
  g_assert_cmpint (stats.dead_channels, ==, 1);

  ns_feature_maps_get_stats (&maps, 0, 1, &stats);
  g_assert_cmpint (stats.count, ==, 4);
  g_assert_cmpfloat (stats.mean, ==, 3);
  g_assert_cmpfloat_with_epsilon (stats.std, sqrt (5.0), EPSILON);
  g_assert_cmpfloat (stats.zero_fraction, ==, 0.25);
  g_assert_cmpint (stats.dead_channels, ==, 0);

  ns_feature_maps_get_stats (&maps, 1, 5, &stats);
  g_assert_cmpint (stats.count, ==, 4);
  g_assert_cmpfloat (stats.min, ==, 0);
  g_assert_cmpfloat (stats.max, ==, 0);
  g_assert_cmpfloat (stats.std, ==, 0);
  g_assert_cmpfloat (stats.zero_fraction, ==, 1);
  g_assert_cmpint (stats.dead_channels, ==, 1);

  /* Nothing past the last channel. */
  ns_feature_maps_get_stats (&maps, 2, -1, &stats);
  g_assert_cmpint (stats.count, ==, 0);

  g_assert_true (ns_feature_maps_get_range (&maps, 0, &min, &max));
  g_assert_cmpfloat (min, ==, 0);
  g_assert_cmpfloat (max, ==, 6);
}

static void
test_stats_nonfinite (void)
{
  const float values[] = { 1, NAN, INFINITY, 3 };
  const float all_nan[] = { NAN, NAN };
  NsFeatureMaps maps = maps_of (2, 2, 1, values);
  NsFeatureMaps nans = maps_of (1, 2, 1, all_nan);
  NsTensorStats stats;
  double min, max;

  ns_feature_maps_get_stats (&maps, 0, -1, &stats);
  g_assert_cmpint (stats.count, ==, 4);
  g_assert_cmpint (stats.n_nonfinite, ==, 2);
  g_assert_cmpfloat (stats.min, ==, 1);
  g_assert_cmpfloat (stats.max, ==, 3);
  g_assert_cmpfloat (stats.mean, ==, 2);
  g_assert_cmpfloat (stats.std, ==, 1);
  g_assert_cmpfloat (stats.zero_fraction, ==, 0);

  ns_feature_maps_get_stats (&nans, 0, -1, &stats);
  g_assert_cmpint (stats.n_nonfinite, ==, 2);
  g_assert_true (isnan (stats.mean));
  g_assert_cmpint (stats.dead_channels, ==, 0);
  g_assert_false (ns_feature_maps_get_range (&nans, 0, &min, &max));
}

static void
test_colormap (void)
{
  g_assert_cmphex (ns_colormap_viridis (0), ==, 0x440154);
  g_assert_cmphex (ns_colormap_viridis (0.5), ==, 0x21918c);
  g_assert_cmphex (ns_colormap_viridis (1), ==, 0xfde725);
  g_assert_cmphex (ns_colormap_viridis (-3), ==, 0x440154);
  g_assert_cmphex (ns_colormap_viridis (7), ==, 0xfde725);
  /* Halfway between the first two stops: (68+71)/2 = 69.5 → 70, 23, 103.5 → 104. */
  g_assert_cmphex (ns_colormap_viridis (1.0 / 16), ==, 0x461768);
  g_assert_cmphex (ns_colormap_viridis (NAN), ==, NS_COLORMAP_NAN_COLOR);
}

static void
test_render_channel (void)
{
  const float values[] = { 0, 1, 2, 3 };
  const float big[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
  NsFeatureMaps maps = maps_of (2, 2, 1, values);
  NsFeatureMaps four = maps_of (4, 4, 1, big);
  guint32 pixels[4];

  ns_feature_maps_render_channel (&maps, 0, 0, 3, (guint8 *) pixels, 8, 2, 2);
  g_assert_cmphex (pixels[0], ==, 0xff440154);
  /* 1/3 of the way: 2/3 from stop 2 (#3b528b) to stop 3 (#2c728e). */
  g_assert_cmphex (pixels[1], ==, 0xff31678d);
  g_assert_cmphex (pixels[3], ==, 0xfffde725);

  /* A flat range gives the bottom colour. */
  ns_feature_maps_render_channel (&maps, 0, 5, 5, (guint8 *) pixels, 8, 2, 2);
  g_assert_cmphex (pixels[2], ==, 0xff440154);

  /* Sampled down by nearest: values 0, 2, 8, 10 over 0 … 15. */
  ns_feature_maps_render_channel (&four, 0, 0, 10, (guint8 *) pixels, 8, 2, 2);
  g_assert_cmphex (pixels[0], ==, 0xff440154);
  g_assert_cmphex (pixels[1], ==, 0xff000000 | ns_colormap_viridis (0.2));
  g_assert_cmphex (pixels[2], ==, 0xff000000 | ns_colormap_viridis (0.8));
  g_assert_cmphex (pixels[3], ==, 0xfffde725);
}

static void
test_render_grid (void)
{
  /* 3 × 2 maps of 5 channels; channel c holds c·10 + pixel index. */
  float values[3 * 2 * 5];
  NsFeatureMaps maps = maps_of (3, 2, 5, values);
  NsGridLayout layout;
  cairo_surface_t *surface;

  for (int p = 0; p < 6; p++)
    for (int c = 0; c < 5; c++)
      values[p * 5 + c] = (float) (c * 10 + p);

  surface = ns_feature_maps_render_grid (&maps, 0, NS_TILE_SCALE_PER_CHANNEL, &layout);
  g_assert_cmpint (layout.n_tiles, ==, 5);
  g_assert_cmpint (layout.tile_width, ==, 2);
  g_assert_cmpint (layout.tile_height, ==, 3);
  /* ceil (sqrt (5 · 3/2)) = 3 columns, so 2 rows, 1-pixel gaps. */
  g_assert_cmpuint (layout.columns, ==, 3);
  g_assert_cmpuint (layout.rows, ==, 2);
  g_assert_cmpint (layout.gap, ==, 1);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 8);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 7);
  /* Each tile spans its own range: first pixel bottom, last pixel top. */
  for (int i = 0; i < 5; i++)
    {
      int x = (i % 3) * 3, y = (i / 3) * 4;

      g_assert_cmphex (pixel_at (surface, x, y), ==, 0xff440154);
      g_assert_cmphex (pixel_at (surface, x + 1, y + 2), ==, 0xfffde725);
    }
  g_assert_cmphex (pixel_at (surface, 2, 0), ==, 0);   /* gap */
  g_assert_cmphex (pixel_at (surface, 7, 6), ==, 0);   /* no sixth tile */
  cairo_surface_destroy (surface);

  /* Shared: 0 … 45 over every tile, so channel 0 stays dark, channel 4 bright. */
  surface = ns_feature_maps_render_grid (&maps, 0, NS_TILE_SCALE_SHARED, &layout);
  g_assert_cmphex (pixel_at (surface, 0, 0), ==, 0xff440154);
  g_assert_cmphex (pixel_at (surface, 1, 2), ==, 0xff000000 | ns_colormap_viridis (5.0 / 45));
  g_assert_cmphex (pixel_at (surface, 3 + 1, 4 + 2), ==, 0xfffde725);
  cairo_surface_destroy (surface);

  /* From channel 3: two tiles, one row. */
  surface = ns_feature_maps_render_grid (&maps, 3, NS_TILE_SCALE_PER_CHANNEL, &layout);
  g_assert_cmpint (layout.n_tiles, ==, 2);
  g_assert_cmpuint (layout.columns, ==, 2);
  g_assert_cmpuint (layout.rows, ==, 1);
  cairo_surface_destroy (surface);

  g_assert_null (ns_feature_maps_render_grid (&maps, 5, NS_TILE_SCALE_PER_CHANNEL, &layout));
}

static void
test_render_grid_limits (void)
{
  const gint64 dims[] = { 1, 512, 512, 100 };
  g_autoptr(NsTensor) tensor = ns_tensor_new (4, dims);
  const float vector[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  NsFeatureMaps maps, dense = maps_of (1, 1, 10, vector);
  NsGridLayout layout;
  cairo_surface_t *surface;

  ns_feature_maps_init (&maps, tensor, 0);
  surface = ns_feature_maps_render_grid (&maps, 0, NS_TILE_SCALE_SHARED, &layout);
  g_assert_cmpint (layout.n_tiles, ==, NS_GRID_MAX_TILES);
  g_assert_cmpint (layout.tile_width, ==, 256);
  g_assert_cmpint (layout.tile_height, ==, 256);
  g_assert_cmpuint (layout.columns, ==, 8);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 8 * 257 - 1);
  cairo_surface_destroy (surface);

  /* Ten units: one 4 × 3 tile, row by row, the last two cells empty. */
  surface = ns_feature_maps_render_grid (&dense, 0, NS_TILE_SCALE_PER_CHANNEL, &layout);
  g_assert_cmpint (layout.n_tiles, ==, 1);
  g_assert_cmpint (layout.tile_width, ==, 4);
  g_assert_cmpint (layout.tile_height, ==, 3);
  g_assert_cmphex (pixel_at (surface, 0, 0), ==, 0xff440154);
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0xff000000 | ns_colormap_viridis (5.0 / 9));
  g_assert_cmphex (pixel_at (surface, 1, 2), ==, 0xfffde725);
  g_assert_cmphex (pixel_at (surface, 2, 2), ==, 0);
  cairo_surface_destroy (surface);
}

static void
test_argmax (void)
{
  const float values[] = { 1, 5, 5,   NAN, 2, 1,   -1, -3, -0.5f };
  const float sigmoid[] = { 0.2f, 0.7f, 0.5f };
  NsFeatureMaps maps = maps_of (1, 3, 3, values);
  NsFeatureMaps binary = maps_of (3, 1, 1, sigmoid);
  guint32 classes[3];
  gint64 counts[3];

  ns_feature_maps_argmax (&maps, classes, counts);
  g_assert_cmpuint (classes[0], ==, 1);   /* the first of a tie */
  g_assert_cmpuint (classes[1], ==, 1);   /* NaN never wins */
  g_assert_cmpuint (classes[2], ==, 2);
  g_assert_cmpint (counts[0], ==, 0);
  g_assert_cmpint (counts[1], ==, 2);
  g_assert_cmpint (counts[2], ==, 1);

  ns_feature_maps_argmax (&binary, classes, counts);
  g_assert_cmpuint (classes[0], ==, 0);
  g_assert_cmpuint (classes[1], ==, 1);
  g_assert_cmpuint (classes[2], ==, 0);
  g_assert_cmpint (counts[0], ==, 2);
  g_assert_cmpint (counts[1], ==, 1);
}

static void
test_class_colors (void)
{
  const guint32 classes[] = { 0, 1, 19, 20 };
  cairo_surface_t *surface;

  g_assert_cmphex (ns_class_color (0), ==, 0x1f77b4);
  g_assert_cmphex (ns_class_color (9), ==, 0x17becf);
  g_assert_cmphex (ns_class_color (19), ==, 0x9edae5);
  /* Past Tableau's: hue k·0.618… of a turn, s 0.65, v 0.9 / 0.65 alternating. */
  g_assert_cmphex (ns_class_color (20), ==, 0xe65050);
  g_assert_cmphex (ns_class_color (21), ==, 0x3a59a6);
  g_assert_cmphex (ns_class_color (22), ==, 0xa7e650);
  for (guint32 a = 0; a < 256; a++)
    for (guint32 b = a + 1; b < 256; b++)
      g_assert_cmphex (ns_class_color (a), !=, ns_class_color (b));

  surface = ns_class_map_render (classes, 2, 2);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 2);
  g_assert_cmphex (pixel_at (surface, 0, 0), ==, 0xff1f77b4);
  g_assert_cmphex (pixel_at (surface, 1, 0), ==, 0xffff7f0e);
  g_assert_cmphex (pixel_at (surface, 0, 1), ==, 0xff9edae5);
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0xffe65050);
  cairo_surface_destroy (surface);
}

static void
test_top_k (void)
{
  const float logits[] = { 0.1f, 3, -1, 3, 2, NAN, 0.5f };
  const float distribution[] = { 0.1f, 0.6f, 0.3f };
  NsTopEntry top[5];

  g_assert_cmpuint (ns_top_k (logits, G_N_ELEMENTS (logits), 3, top), ==, 3);
  g_assert_cmpint (top[0].index, ==, 1);
  g_assert_cmpint (top[1].index, ==, 3);
  g_assert_cmpint (top[2].index, ==, 4);
  g_assert_cmpfloat (top[0].value, ==, 3);
  g_assert_cmpfloat (top[2].value, ==, 2);
  /* Softmax over the finite values: e⁰ / Σ e^(x − 3), e⁻¹ / Σ … */
  g_assert_cmpfloat_with_epsilon (top[0].probability, 0.3963059060316508, 1e-7);
  g_assert_cmpfloat_with_epsilon (top[1].probability, 0.3963059060316508, 1e-7);
  g_assert_cmpfloat_with_epsilon (top[2].probability, 0.14579279524386582, 1e-7);

  /* Already probabilities: shown as they are; fewer than k. */
  g_assert_cmpuint (ns_top_k (distribution, 3, 5, top), ==, 3);
  g_assert_cmpint (top[0].index, ==, 1);
  g_assert_cmpint (top[1].index, ==, 2);
  g_assert_cmpint (top[2].index, ==, 0);
  g_assert_cmpfloat (top[0].probability, ==, 0.6f);
  g_assert_cmpfloat (top[2].probability, ==, 0.1f);
}

static void
test_normalization (void)
{
  NsNormalization norm;
  g_autofree char *unit = NULL, *symmetric = NULL, *imagenet = NULL, *raw = NULL, *custom = NULL;

  ns_normalization_init (&norm, NS_NORMALIZE_UNIT);
  unit = ns_normalization_describe (&norm);
  g_assert_cmpstr (unit, ==, "x / 255 → [0, 1]");
  g_assert_cmpfloat (ns_normalization_apply (&norm, 0, 255), ==, 1);
  g_assert_cmpfloat (ns_normalization_apply (&norm, 2, 51), ==, 0.2);

  ns_normalization_init (&norm, NS_NORMALIZE_SYMMETRIC);
  symmetric = ns_normalization_describe (&norm);
  g_assert_cmpstr (symmetric, ==, "x / 127.5 − 1 → [−1, 1]");
  g_assert_cmpfloat (ns_normalization_apply (&norm, 0, 0), ==, -1);
  g_assert_cmpfloat (ns_normalization_apply (&norm, 1, 255), ==, 1);

  ns_normalization_init (&norm, NS_NORMALIZE_IMAGENET);
  imagenet = ns_normalization_describe (&norm);
  g_assert_cmpstr (imagenet, ==, "(x / 255 − μ) / σ, μ = (0.485, 0.456, 0.406), σ = (0.229, 0.224, 0.225)");
  g_assert_cmpfloat_with_epsilon (ns_normalization_apply (&norm, 0, 255), 2.2489082969432315, EPSILON);
  /* Grey takes the mean mean and the mean std. */
  g_assert_cmpfloat_with_epsilon (ns_normalization_apply (&norm, 3, 0), -0.449 / (0.678 / 3), EPSILON);

  ns_normalization_init (&norm, NS_NORMALIZE_RAW);
  raw = ns_normalization_describe (&norm);
  g_assert_cmpstr (raw, ==, "x → [0, 255]");
  g_assert_cmpfloat_with_epsilon (ns_normalization_apply (&norm, 0, 128), 128, EPSILON);

  ns_normalization_init (&norm, NS_NORMALIZE_CUSTOM);
  norm.mean[0] = norm.mean[1] = norm.mean[2] = 0.25;
  norm.std[0] = norm.std[1] = norm.std[2] = 2;
  custom = ns_normalization_describe (&norm);
  g_assert_cmpstr (custom, ==, "(x / 255 − μ) / σ, μ = 0.25, σ = 2");
  g_assert_cmpfloat (ns_normalization_apply (&norm, 0, 0), ==, -0.125);
}

static NsShape
shape3 (gint64 h,
        gint64 w,
        gint64 c)
{
  const gint64 dims[] = { h, w, c };
  NsShape shape;

  ns_shape_init (&shape, 3, dims);
  return shape;
}

static void
test_image_area (void)
{
  /* 2 × 2 → 1 × 1: the mean of black, red, green and blue. */
  const guint8 four[] = { 0, 0, 0,  255, 0, 0,   0, 255, 0,  0, 0, 255 };
  /* 4 × 4 → 2 × 2: each 2 × 2 block's mean (grey values, RGBA, 2 bytes of row padding). */
  guint8 blocks[4 * 18];
  /* 3 → 2 across: out 0 covers pixel 0 and half of 1, out 1 the rest. */
  const guint8 third[] = { 0, 0, 0,  90, 90, 90,  180, 180, 180 };
  NsNormalization unit, raw;
  NsShape one = shape3 (1, 1, 3), two = shape3 (2, 2, 1), row = shape3 (1, 2, 3);
  g_autoptr(NsTensor) mean = NULL, grey = NULL, thirds = NULL;
  const guint8 levels[4][4] = { { 0, 10, 20, 30 }, { 40, 50, 60, 70 }, { 80, 90, 100, 110 }, { 120, 130, 140, 150 } };

  ns_normalization_init (&unit, NS_NORMALIZE_UNIT);
  ns_normalization_init (&raw, NS_NORMALIZE_RAW);

  mean = ns_preview_image_to_tensor (four, 2, 2, 6, 3, &one, &unit, NULL);
  g_assert_cmpint (mean->rank, ==, 4);
  g_assert_cmpint (mean->dims[0], ==, 1);
  g_assert_cmpint (mean->dims[3], ==, 3);
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat_with_epsilon (mean->data[c], 0.25, 1e-7);

  memset (blocks, 0xee, sizeof blocks);
  for (int y = 0; y < 4; y++)
    for (int x = 0; x < 4; x++)
      {
        guint8 *px = blocks + y * 18 + x * 4;

        px[0] = px[1] = px[2] = levels[y][x];
        px[3] = 7;   /* alpha: ignored */
      }
  grey = ns_preview_image_to_tensor (blocks, 4, 4, 18, 4, &two, &raw, NULL);
  g_assert_cmpint (grey->dims[1], ==, 2);
  g_assert_cmpint (grey->dims[3], ==, 1);
  g_assert_cmpfloat_with_epsilon (grey->data[0], 25, 1e-4);    /* 0, 10, 40, 50 */
  g_assert_cmpfloat_with_epsilon (grey->data[1], 45, 1e-4);    /* 20, 30, 60, 70 */
  g_assert_cmpfloat_with_epsilon (grey->data[2], 105, 1e-4);
  g_assert_cmpfloat_with_epsilon (grey->data[3], 125, 1e-4);

  thirds = ns_preview_image_to_tensor (third, 3, 1, 9, 3, &row, &raw, NULL);
  g_assert_cmpfloat_with_epsilon (thirds->data[0], 30, 1e-4);  /* (0 + 45) / 1.5 */
  g_assert_cmpfloat_with_epsilon (thirds->data[3], 150, 1e-4); /* (45 + 180) / 1.5 */
}

static void
test_image_bilinear (void)
{
  /* 2 → 4 across, half-pixel centres: 0, ¼, ¾, 1 of the way from 0 to 200. */
  const guint8 two[] = { 0, 0, 0,  200, 100, 40 };
  const guint8 red[] = { 255, 0, 0 };
  NsNormalization raw, unit;
  NsShape wide = shape3 (1, 4, 3), grey = shape3 (1, 1, 1), four_channels = shape3 (1, 1, 4);
  g_autoptr(NsTensor) tensor = NULL, luma = NULL, rgbr = NULL;
  const float expected_r[] = { 0, 50, 150, 200 };

  ns_normalization_init (&raw, NS_NORMALIZE_RAW);
  ns_normalization_init (&unit, NS_NORMALIZE_UNIT);

  tensor = ns_preview_image_to_tensor (two, 2, 1, 6, 3, &wide, &raw, NULL);
  for (int x = 0; x < 4; x++)
    {
      g_assert_cmpfloat_with_epsilon (tensor->data[x * 3], expected_r[x], 1e-4);
      g_assert_cmpfloat_with_epsilon (tensor->data[x * 3 + 1], expected_r[x] / 2, 1e-4);
      g_assert_cmpfloat_with_epsilon (tensor->data[x * 3 + 2], expected_r[x] / 5, 1e-4);
    }

  /* Grey is ITU-R 601 luma: pure red is 0.299. */
  luma = ns_preview_image_to_tensor (red, 1, 1, 3, 3, &grey, &unit, NULL);
  g_assert_cmpfloat_with_epsilon (luma->data[0], 0.299, 1e-6);

  /* Four channels repeat R, G, B: the fourth is R again. */
  rgbr = ns_preview_image_to_tensor (red, 1, 1, 3, 3, &four_channels, &unit, NULL);
  g_assert_cmpfloat (rgbr->data[0], ==, 1);
  g_assert_cmpfloat (rgbr->data[1], ==, 0);
  g_assert_cmpfloat (rgbr->data[3], ==, 1);
}

static void
test_image_refused (void)
{
  const guint8 red[] = { 255, 0, 0 };
  const gint64 flat[] = { 784 }, open[] = { NS_DIM_NONE, NS_DIM_NONE, 3 };
  NsNormalization unit;
  NsShape vector, unknown;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) open_error = NULL;

  ns_normalization_init (&unit, NS_NORMALIZE_UNIT);
  ns_shape_init (&vector, 1, flat);
  ns_shape_init (&unknown, 3, open);

  g_assert_null (ns_preview_image_to_tensor (red, 1, 1, 3, 3, &vector, &unit, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==,
                   "An image can only feed an Input of height × width × channels, not (None, 784); use noise instead");
  g_assert_null (ns_preview_image_to_tensor (red, 1, 1, 3, 3, &unknown, &unit, &open_error));
  g_assert_error (open_error, NS_ERROR, NS_ERROR_SHAPE);
}

static void
test_noise (void)
{
  const gint64 dims[] = { 1, 4, 4, 3 };
  g_autoptr(NsTensor) a = ns_tensor_new_noise (4, dims, 7);
  g_autoptr(NsTensor) b = ns_tensor_new_noise (4, dims, 7);
  g_autoptr(NsTensor) c = ns_tensor_new_noise (4, dims, 8);
  guint32 seed_words[2] = { 7, 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seed_words, 2);

  g_assert_cmpmem (a->data, 48 * sizeof (float), b->data, 48 * sizeof (float));
  g_assert_true (memcmp (a->data, c->data, 48 * sizeof (float)) != 0);
  /* The stream `netsketch-cli run --seed 7` feeds. */
  for (int i = 0; i < 48; i++)
    g_assert_cmpfloat (a->data[i], ==, (float) g_rand_double (rand));
}

/* A kernel and bias for the article's con1, 0.01 and 0.5 everywhere. */
static GPtrArray *
con1_weights (void)
{
  const gint64 kernel_dims[] = { 3, 3, 3, 64 }, bias_dims[] = { 64 };
  GPtrArray *weights = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_weight_free);
  g_autofree float *kernel = g_new (float, 3 * 3 * 3 * 64);
  g_autofree float *bias = g_new (float, 64);
  NsShape kernel_shape, bias_shape;
  g_autoptr(GBytes) kernel_bytes = NULL, bias_bytes = NULL;

  for (int i = 0; i < 3 * 3 * 3 * 64; i++)
    kernel[i] = 0.01f;
  for (int i = 0; i < 64; i++)
    bias[i] = 0.5f;
  ns_shape_init (&kernel_shape, 4, kernel_dims);
  ns_shape_init (&bias_shape, 1, bias_dims);
  kernel_bytes = g_bytes_new (kernel, 3 * 3 * 3 * 64 * sizeof (float));
  bias_bytes = g_bytes_new (bias, 64 * sizeof (float));
  g_ptr_array_add (weights, ns_weight_new ("kernel", &kernel_shape, kernel_bytes));
  g_ptr_array_add (weights, ns_weight_new ("bias", &bias_shape, bias_bytes));
  return weights;
}

typedef struct {
  NsGraphSnapshot *snapshot;
  NsTensor        *captured;
  NsTensor        *output;
} ThreadRun;

static NsTensor *
run_graph (NsGraph   *graph,
           NsTensor **captured)
{
  NsExecutorOptions options = { 3, 1, 0, "con1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExecutor) executor = ns_executor_new (graph, &options, &error);
  g_autoptr(NsTensor) input = NULL;
  NsTensor *output;
  guint rank;
  gint64 dims[NS_MAX_RANK + 1];

  g_assert_no_error (error);
  ns_executor_get_input_shape (executor, &rank, dims);
  input = ns_tensor_new_noise (rank, dims, 3);
  output = ns_executor_run (executor, input, NULL, &error);
  g_assert_no_error (error);
  *captured = ns_tensor_copy (ns_executor_get_captured (executor));
  return output;
}

static gpointer
run_in_thread (gpointer data)
{
  ThreadRun *run = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_graph_snapshot_build (run->snapshot, &error);

  g_assert_no_error (error);
  run->output = run_graph (graph, &run->captured);
  return NULL;
}

static void
test_snapshot (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(GPtrArray) weights = con1_weights ();
  NsLayer *con1 = ns_graph_find_by_name (graph, "con1");
  g_autoptr(NsGraphSnapshot) snapshot = NULL;
  g_autoptr(NsGraph) copy = NULL;
  g_autoptr(NsTensor) output = NULL, captured = NULL;
  g_autoptr(GError) error = NULL;
  ThreadRun run = { 0 };
  GThread *thread;
  NsGraphTotals totals, copy_totals;

  ns_layer_set_weights (con1, weights);
  snapshot = ns_graph_snapshot_new (graph);
  /* The live graph has its weights back, the very same array. */
  g_assert_true (ns_layer_get_weights (con1) == weights);

  copy = ns_graph_snapshot_build (snapshot, &error);
  g_assert_no_error (error);
  g_assert_true (copy != graph);
  g_assert_true (ns_layer_get_weights (ns_graph_find_by_name (copy, "con1")) == weights);
  g_assert_null (ns_layer_get_weights (ns_graph_find_by_name (copy, "mer2")));
  ns_graph_get_totals (graph, &totals);
  ns_graph_get_totals (copy, &copy_totals);
  g_assert_cmpint (copy_totals.params, ==, 87957);
  g_assert_cmpint (copy_totals.macs, ==, totals.macs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (copy)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (graph)));

  /* Built and run on another thread, it computes what the original does. */
  output = run_graph (graph, &captured);
  run.snapshot = snapshot;
  thread = g_thread_new ("preview-test", run_in_thread, &run);
  g_thread_join (thread);
  g_assert_cmpint (run.output->dims[3], ==, 85);
  g_assert_cmpmem (run.output->data, ns_tensor_get_n_values (output) * sizeof (float),
                   output->data, ns_tensor_get_n_values (output) * sizeof (float));
  g_assert_cmpint (run.captured->dims[3], ==, 64);
  /* con1 with the carried weights: 0.5 + 0.01 · Σ of 27 noise values ≥ 0.5. */
  g_assert_cmpmem (run.captured->data, ns_tensor_get_n_values (captured) * sizeof (float),
                   captured->data, ns_tensor_get_n_values (captured) * sizeof (float));
  {
    NsFeatureMaps maps;
    NsTensorStats stats;

    ns_feature_maps_init (&maps, run.captured, 0);
    ns_feature_maps_get_stats (&maps, 0, -1, &stats);
    g_assert_cmpfloat (stats.min, >=, 0.5);
    g_assert_cmpfloat (stats.max, <=, 0.5 + 0.01 * 27 + 1e-6);
  }
  ns_tensor_free (run.output);
  ns_tensor_free (run.captured);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preview-core/feature-maps-views", test_feature_maps_views);
  g_test_add_func ("/preview-core/stats", test_stats);
  g_test_add_func ("/preview-core/stats-nonfinite", test_stats_nonfinite);
  g_test_add_func ("/preview-core/colormap", test_colormap);
  g_test_add_func ("/preview-core/render-channel", test_render_channel);
  g_test_add_func ("/preview-core/render-grid", test_render_grid);
  g_test_add_func ("/preview-core/render-grid-limits", test_render_grid_limits);
  g_test_add_func ("/preview-core/argmax", test_argmax);
  g_test_add_func ("/preview-core/class-colors", test_class_colors);
  g_test_add_func ("/preview-core/top-k", test_top_k);
  g_test_add_func ("/preview-core/normalization", test_normalization);
  g_test_add_func ("/preview-core/image-area", test_image_area);
  g_test_add_func ("/preview-core/image-bilinear", test_image_bilinear);
  g_test_add_func ("/preview-core/image-refused", test_image_refused);
  g_test_add_func ("/preview-core/noise", test_noise);
  g_test_add_func ("/preview-core/snapshot", test_snapshot);

  return g_test_run ();
}
