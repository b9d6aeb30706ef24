/* ns-preview-core.h: what the forward-pass preview computes without a screen:
 * feature-map statistics, colour-mapped tiles, class maps, top-k, images
 * turned into normalised input tensors, and graph copies for a worker thread. */
#pragma once

#include <cairo.h>

#include "ns-executor.h"

G_BEGIN_DECLS

/* One sample of a channels-last tensor seen as height × width × channels:
 * (batch, H, W, C) as is; (batch, steps, C) as 1 × steps × C; (batch, units)
 * as 1 × 1 × units; higher ranks fold their middle axes into the height. */
typedef struct {
  const float *data;               /* the sample's first value; not owned */
  gint64       height;
  gint64       width;
  gint64       channels;
} NsFeatureMaps;

/* FALSE when @sample is past the batch or the tensor has no sample axis. */
gboolean ns_feature_maps_init   (NsFeatureMaps   *maps,
                                 const NsTensor  *tensor,
                                 gint64           sample);

typedef struct {
  gint64 count;                    /* values looked at */
  gint64 n_nonfinite;              /* NaN and ±inf: left out of the figures below */
  double min;
  double max;
  double mean;
  double std;                      /* population (divides by n), as numpy's default */
  double zero_fraction;            /* values exactly 0, of count */
  gint64 dead_channels;            /* channels whose every value is exactly 0 */
} NsTensorStats;

/* Statistics of channels [@first_channel, @first_channel + @n_channels);
 * @n_channels < 0 means to the last channel. Sums run in double. */
void     ns_feature_maps_get_stats   (const NsFeatureMaps *maps,
                                      gint64               first_channel,
                                      gint64               n_channels,
                                      NsTensorStats       *stats);
/* The finite minimum and maximum of one channel; FALSE when it has none. */
gboolean ns_feature_maps_get_range   (const NsFeatureMaps *maps,
                                      gint64               channel,
                                      double              *min,
                                      double              *max);

/* Viridis-like: nine of matplotlib's viridis colours, linear in between;
 * @t clamped to [0, 1]. Returns 0xRRGGBB. */
guint32  ns_colormap_viridis         (double               t);
/* What NaN shows as in tiles. */
#define NS_COLORMAP_NAN_COLOR 0x808080

typedef enum {
  NS_TILE_SCALE_PER_CHANNEL,       /* each tile spans its own min … max */
  NS_TILE_SCALE_SHARED,            /* every tile spans the shown channels' min … max */
} NsTileScale;

/* Channel @channel as opaque cairo ARGB32 pixels, one per value (@width ×
 * @height pixels, nearest sampling when smaller than the map), values mapped
 * linearly from [@lo, @hi] to the colormap; @hi == @lo gives its bottom. */
void     ns_feature_maps_render_channel (const NsFeatureMaps *maps,
                                         gint64               channel,
                                         double               lo,
                                         double               hi,
                                         guint8              *pixels,
                                         int                  stride,
                                         int                  width,
                                         int                  height);

/* How many tiles a grid shows at most, and how big a tile gets: past that a
 * tile is sampled down, so a grid stays a few megabytes. */
#define NS_GRID_MAX_TILES     64
#define NS_GRID_MAX_TILE_SIZE 256

typedef struct {
  guint columns;
  guint rows;
  int   tile_width;                /* pixels of one tile, before the gap */
  int   tile_height;
  int   gap;                       /* transparent pixels between tiles */
  gint64 n_tiles;                  /* channels shown: min (channels − first, max) */
} NsGridLayout;

/* Tiles of channels @first_channel … (at most NS_GRID_MAX_TILES), in rows
 * of about the square root of their count, a 1-pixel transparent gap
 * between them. A map without space (1 × 1 × C, a Dense layer's output) is
 * one tile holding its C values row by row instead. Returns a new ARGB32
 * surface, or NULL when there is nothing to show. */
cairo_surface_t *ns_feature_maps_render_grid (const NsFeatureMaps *maps,
                                              gint64               first_channel,
                                              NsTileScale          scale,
                                              NsGridLayout        *layout);

/* Classes per pixel: the channel with the highest value (the first on a tie;
 * NaN never wins); a single channel is a sigmoid's, class 1 where > 0.5.
 * @classes holds H × W entries; @counts (optional) max (C, 2) entries. */
void     ns_feature_maps_argmax      (const NsFeatureMaps *maps,
                                      guint32             *classes,
                                      gint64              *counts);
/* A class's colour, 0xRRGGBB: Tableau's ten, their light variants, then hues
 * a golden angle apart, so neighbouring classes never look alike. */
guint32  ns_class_color              (guint32              class_index);
/* @classes (H × W) as opaque cairo ARGB32 pixels. */
cairo_surface_t *ns_class_map_render (const guint32       *classes,
                                      gint64               height,
                                      gint64               width);

typedef struct {
  gint64 index;
  float  value;
  double probability;              /* the value when the vector already is a distribution, else its softmax */
} NsTopEntry;

/* The @k largest finite values, highest first (lower index first on a
 * tie); returns how many were filled (fewer when @n is small). */
guint    ns_top_k                    (const float         *values,
                                      gint64               n,
                                      guint                k,
                                      NsTopEntry          *entries);

/* How image bytes become input values: (x / 255 − mean[c]) / std[c]. */
typedef enum {
  NS_NORMALIZE_UNIT,               /* [0, 1] */
  NS_NORMALIZE_SYMMETRIC,          /* [−1, 1] */
  NS_NORMALIZE_IMAGENET,           /* torchvision's mean and std */
  NS_NORMALIZE_RAW,                /* [0, 255]: models that rescale inside */
  NS_NORMALIZE_CUSTOM,             /* mean and std as given */
  NS_N_NORMALIZE_MODES
} NsNormalizeMode;

typedef struct {
  NsNormalizeMode mode;
  double          mean[3];         /* R, G, B on the [0, 1] scale */
  double          std[3];
} NsNormalization;

/* A preset's mean and std; CUSTOM starts as UNIT's. */
void     ns_normalization_init       (NsNormalization       *norm,
                                      NsNormalizeMode        mode);
/* The formula in a line: "x / 255 → [0, 1]", "(x / 255 − μ) / σ, μ = (…), σ = (…)". */
char    *ns_normalization_describe   (const NsNormalization *norm);
/* The normalised value of byte @x in channel @channel (0 … 2; 3 is grey:
 * the channels' mean mean and mean std). */
double   ns_normalization_apply      (const NsNormalization *norm,
                                      guint                  channel,
                                      double                 x);

/* An RGB(A) image (alpha ignored) as a 1 × H × W × C tensor for an Input of
 * @input_shape (H, W, C known): resized by area averaging where it shrinks
 * and bilinear (half-pixel centres) where it grows, each axis on its own;
 * C == 1 is grey (ITU-R 601 luma), C == 3 RGB, other C repeat R, G, B. */
NsTensor *ns_preview_image_to_tensor (const guint8          *pixels,
                                      int                    width,
                                      int                    height,
                                      int                    rowstride,
                                      int                    n_channels,
                                      const NsShape         *input_shape,
                                      const NsNormalization *norm,
                                      GError               **error);
/* A copy of a graph that another thread can build and own: the document's
 * text, with the layers' learned weights shared by reference rather than
 * written out (they are immutable, and base64 of a big model would block). */
typedef struct _NsGraphSnapshot NsGraphSnapshot;

NsGraphSnapshot *ns_graph_snapshot_new   (NsGraph               *graph);
/* Any thread; a new, inferred graph with the weights put back. */
NsGraph         *ns_graph_snapshot_build (const NsGraphSnapshot *snapshot,
                                          GError               **error);
void             ns_graph_snapshot_free  (NsGraphSnapshot       *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGraphSnapshot, ns_graph_snapshot_free)

G_END_DECLS
