/* ns-preview-render.c: feature maps and class maps as pixels for the
 * preview: the viridis-like colormap, tile grids and the class palette. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-preview-core.h"

/* matplotlib's viridis at 0, 1/8, …, 1: perceptually even, readable in grey
 * and by people with the common colour-vision deficiencies. */
static const guint32 viridis_stops[] = {
  0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725,
};

/* Tableau 10 and its light variants (matplotlib's tab20, darks first). */
static const guint32 class_palette[] = {
  0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
  0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5,
};

static guint8
lerp_byte (guint32 a,
           guint32 b,
           double  f)
{
  return (guint8) floor (a + (b - (double) a) * f + 0.5);
}

guint32
ns_colormap_viridis (double t)
{
  const guint last = G_N_ELEMENTS (viridis_stops) - 1;
  guint32 a, b;
  double x, f;
  guint i;

  if (isnan (t))
    return NS_COLORMAP_NAN_COLOR;
  x = CLAMP (t, 0.0, 1.0) * last;
  i = MIN ((guint) x, last - 1);
  f = x - i;
  a = viridis_stops[i];
  b = viridis_stops[i + 1];
  return (guint32) lerp_byte (a >> 16, b >> 16, f) << 16
         | (guint32) lerp_byte ((a >> 8) & 0xff, (b >> 8) & 0xff, f) << 8
         | lerp_byte (a & 0xff, b & 0xff, f);
}

static inline guint32
value_color (double v,
             double lo,
             double hi)
{
  if (isnan (v))
    return NS_COLORMAP_NAN_COLOR;
  return ns_colormap_viridis (hi > lo ? (v - lo) / (hi - lo) : 0.0);
}

void
ns_feature_maps_render_channel (const NsFeatureMaps *maps,
                                gint64               channel,
                                double               lo,
                                double               hi,
                                guint8              *pixels,
                                int                  stride,
                                int                  width,
                                int                  height)
{
  g_return_if_fail (channel >= 0 && channel < maps->channels);

  for (int y = 0; y < height; y++)
    {
      guint32 *out = (guint32 *) (gpointer) (pixels + (gsize) y * stride);
      gint64 sy = (gint64) y * maps->height / height;

      for (int x = 0; x < width; x++)
        {
          gint64 sx = (gint64) x * maps->width / width;
          float v = maps->data[(sy * maps->width + sx) * maps->channels + channel];

          out[x] = 0xff000000u | value_color (v, lo, hi);
        }
    }
}

/* A map without space: its values row by row in one roughly square tile. */
static cairo_surface_t *
render_vector (const NsFeatureMaps *maps,
               NsGridLayout        *layout)
{
  gint64 n = MIN (maps->channels, (gint64) NS_GRID_MAX_TILE_SIZE * NS_GRID_MAX_TILE_SIZE);
  int columns = (int) ceil (sqrt ((double) n));
  int rows = (int) ((n + columns - 1) / columns);
  NsFeatureMaps all = *maps;
  NsTensorStats stats;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, columns, rows);
  guint8 *pixels = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  ns_feature_maps_get_stats (&all, 0, n, &stats);
  cairo_surface_flush (surface);
  memset (pixels, 0, (gsize) stride * rows);
  for (gint64 i = 0; i < n; i++)
    {
      guint32 *out = (guint32 *) (gpointer) (pixels + (gsize) (i / columns) * stride);

      out[i % columns] = 0xff000000u | value_color (maps->data[i], stats.min, stats.max);
    }
  cairo_surface_mark_dirty (surface);

  layout->columns = layout->rows = 1;
  layout->tile_width = columns;
  layout->tile_height = rows;
  layout->gap = 0;
  layout->n_tiles = 1;
  return surface;
}

cairo_surface_t *
ns_feature_maps_render_grid (const NsFeatureMaps *maps,
                             gint64               first_channel,
                             NsTileScale          scale,
                             NsGridLayout        *layout)
{
  double shrink, shared_lo = 0, shared_hi = 0;
  int width, height, stride;
  cairo_surface_t *surface;
  guint8 *pixels;

  g_return_val_if_fail (maps != NULL && layout != NULL, NULL);

  memset (layout, 0, sizeof *layout);
  if (maps->channels <= 0 || first_channel < 0 || first_channel >= maps->channels)
    return NULL;
  if (maps->height * maps->width == 1)
    return render_vector (maps, layout);

  layout->n_tiles = MIN (maps->channels - first_channel, NS_GRID_MAX_TILES);
  shrink = MIN (1.0, (double) NS_GRID_MAX_TILE_SIZE / (double) MAX (maps->height, maps->width));
  layout->tile_width = MAX (1, (int) floor (maps->width * shrink + 0.5));
  layout->tile_height = MAX (1, (int) floor (maps->height * shrink + 0.5));
  layout->gap = 1;
  /* Columns that make the whole grid about square, whatever the tiles' shape. */
  layout->columns = (guint) ceil (sqrt ((double) layout->n_tiles * layout->tile_height / layout->tile_width));
  layout->columns = CLAMP (layout->columns, 1, (guint) layout->n_tiles);
  layout->rows = (guint) ((layout->n_tiles + layout->columns - 1) / layout->columns);

  if (scale == NS_TILE_SCALE_SHARED)
    {
      NsTensorStats stats;

      ns_feature_maps_get_stats (maps, first_channel, layout->n_tiles, &stats);
      shared_lo = stats.min;
      shared_hi = stats.max;
    }

  width = layout->columns * (layout->tile_width + layout->gap) - layout->gap;
  height = layout->rows * (layout->tile_height + layout->gap) - layout->gap;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  cairo_surface_flush (surface);
  memset (pixels, 0, (gsize) stride * height);

  for (gint64 i = 0; i < layout->n_tiles; i++)
    {
      gint64 channel = first_channel + i;
      int x = (int) (i % layout->columns) * (layout->tile_width + layout->gap);
      int y = (int) (i / layout->columns) * (layout->tile_height + layout->gap);
      double lo = shared_lo, hi = shared_hi;

      if (scale == NS_TILE_SCALE_PER_CHANNEL && !ns_feature_maps_get_range (maps, channel, &lo, &hi))
        lo = hi = 0;
      ns_feature_maps_render_channel (maps, channel, lo, hi,
                                      pixels + (gsize) y * stride + (gsize) x * 4, stride,
                                      layout->tile_width, layout->tile_height);
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static guint32
hsv_to_rgb (double h,
            double s,
            double v)
{
  double r, g, b, f, p, q, t;
  int sector;

  h = fmod (h, 1.0) * 6.0;
  sector = (int) h;
  f = h - sector;
  p = v * (1 - s);
  q = v * (1 - s * f);
  t = v * (1 - s * (1 - f));
  switch (sector)
    {
    case 0: r = v; g = t; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = t; break;
    case 3: r = p; g = q; b = v; break;
    case 4: r = t; g = p; b = v; break;
    default: r = v; g = p; b = q; break;
    }
  return (guint32) floor (r * 255 + 0.5) << 16 | (guint32) floor (g * 255 + 0.5) << 8 | (guint32) floor (b * 255 + 0.5);
}

guint32
ns_class_color (guint32 class_index)
{
  guint32 k;

  if (class_index < G_N_ELEMENTS (class_palette))
    return class_palette[class_index];
  /* The golden ratio's fraction of a turn spreads any number of hues evenly;
   * alternating brightness separates the ones that still come close. */
  k = class_index - G_N_ELEMENTS (class_palette);
  return hsv_to_rgb (fmod (k * 0.6180339887498949, 1.0), 0.65, k % 2 == 0 ? 0.9 : 0.65);
}

cairo_surface_t *
ns_class_map_render (const guint32 *classes,
                     gint64         height,
                     gint64         width)
{
  cairo_surface_t *surface;
  guint8 *pixels;
  int stride;

  g_return_val_if_fail (classes != NULL, NULL);
  g_return_val_if_fail (height > 0 && width > 0 && height <= G_MAXINT16 && width <= G_MAXINT16, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  cairo_surface_flush (surface);
  for (gint64 y = 0; y < height; y++)
    {
      guint32 *out = (guint32 *) (gpointer) (pixels + (gsize) y * stride);

      for (gint64 x = 0; x < width; x++)
        out[x] = 0xff000000u | ns_class_color (classes[y * width + x]);
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}
