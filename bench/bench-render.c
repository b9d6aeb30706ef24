/* bench-render.c: how long the canvas takes to draw a frame: a 2,000-layer
 * graph at zoom 1 and zoomed to fit in a 1280×800 view, and a node dragged
 * across a 500-layer graph. Drawn as the canvas draws (visible rectangle,
 * culling, cached text) into a cairo image surface. See BENCHMARKS.md. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "ns-layout.h"
#include "ns-render.h"
#include "test-helpers.h"

#define VIEW_WIDTH  1280
#define VIEW_HEIGHT 800
#define FRAMES      51
#define DRAG_FRAMES 300

static NsLayer *
conv (NsGraph *graph,
      NsLayer *from)
{
  NsLayer *layer = test_add_layer (graph, "Conv2D", NULL);

  test_set (graph, layer, "filters", "16");
  test_set (graph, layer, "padding", "\"same\"");
  test_connect (graph, from, layer, 0);
  return layer;
}

static NsLayer *
then (NsGraph    *graph,
      NsLayer    *from,
      const char *keras_class)
{
  NsLayer *layer = test_add_layer (graph, keras_class, NULL);

  test_connect (graph, from, layer, 0);
  return layer;
}

/* Input → @n_branches branches → Concatenate, @n_layers in all: each branch
 * is residual blocks [Conv2D → BatchNormalization → Activation → Conv2D →
 * Add(skip)] and a tail of a Conv2D and Activations that brings the count
 * up; laid out left to right as an imported model is. */
static NsGraph *
build_graph (guint n_branches,
             guint n_layers)
{
  NsGraph *graph = ns_graph_new ();
  guint per_branch = (n_layers - 2) / n_branches;
  NsLayer *input, *concat;

  ns_graph_freeze_inference (graph);
  input = test_add_layer (graph, "InputLayer", NULL);
  test_set (graph, input, "shape", "[32, 32, 16]");
  concat = test_add_layer (graph, "Concatenate", NULL);
  for (guint b = 0; b < n_branches; b++)
    {
      guint budget = per_branch + (b == n_branches - 1 ? (n_layers - 2) % n_branches : 0);
      guint n_blocks = (budget - 2) / 5;
      NsLayer *trunk = input;

      for (guint i = 0; i < n_blocks; i++)
        {
          NsLayer *layer = conv (graph, trunk);
          NsLayer *sum;

          layer = then (graph, layer, "BatchNormalization");
          layer = then (graph, layer, "Activation");
          layer = conv (graph, layer);
          sum = test_add_layer (graph, "Add", NULL);
          test_connect (graph, layer, sum, 0);
          test_connect (graph, trunk, sum, 1);
          trunk = sum;
        }
      trunk = conv (graph, trunk);
      for (guint i = 5 * n_blocks + 1; i < budget; i++)
        trunk = then (graph, trunk, "Activation");
      test_connect (graph, trunk, concat, b);
    }
  ns_graph_thaw_inference (graph);
  g_assert (g_list_model_get_n_items (G_LIST_MODEL (graph)) == n_layers);
  ns_layout_graph (graph, NS_LAYOUT_LEFT_TO_RIGHT);
  return graph;
}

/* One frame as NsCanvas draws it: background, then the renderer with the
 * view's rectangle for culling. */
static void
draw_frame (NsRenderer      *renderer,
            cairo_surface_t *surface,
            NsGraph         *graph,
            double           zoom,
            double           left,
            double           top)
{
  cairo_t *cr = cairo_create (surface);
  NsRenderOptions options = {
    .visible_x = left,
    .visible_y = top,
    .visible_width = VIEW_WIDTH / zoom,
    .visible_height = VIEW_HEIGHT / zoom,
  };

  cairo_set_source_rgb (cr, 0.98, 0.98, 0.98);
  cairo_paint (cr);
  cairo_scale (cr, zoom, zoom);
  cairo_translate (cr, -left, -top);
  ns_renderer_draw (renderer, cr, graph, &options);
  cairo_destroy (cr);
  /* Make sure the rasteriser has finished (image surfaces draw at once). */
  cairo_surface_flush (surface);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Median, minimum and maximum milliseconds of FRAMES frames, after one
 * untimed frame that fills the text cache (as the canvas' first frame does). */
static void
time_frames (const char *what,
             NsGraph    *graph,
             double      zoom,
             double      left,
             double      top)
{
  g_autoptr(NsRenderer) renderer = ns_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, VIEW_WIDTH, VIEW_HEIGHT);
  double times[FRAMES];
  gint64 start;

  draw_frame (renderer, surface, graph, zoom, left, top);
  for (guint i = 0; i < FRAMES; i++)
    {
      start = g_get_monotonic_time ();
      draw_frame (renderer, surface, graph, zoom, left, top);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, FRAMES, sizeof times[0], compare_doubles);
  printf ("%-44s zoom %.4f: median %.2f ms (min %.2f, max %.2f)\n",
          what, zoom, times[FRAMES / 2], times[0], times[FRAMES - 1]);

  if (g_getenv ("BENCH_RENDER_PNG") != NULL)
    {
      g_autofree char *path = g_strdup_printf ("%s/bench-render-%.4f.png", g_getenv ("BENCH_RENDER_PNG"), zoom);

      cairo_surface_write_to_png (surface, path);
    }
  cairo_surface_destroy (surface);
}

/* The zoom and top-left corner that show the whole graph, as
 * ns_canvas_zoom_to_fit picks them (a margin of 24 pixels all round). */
static void
fit (NsGraph *graph,
     double  *zoom,
     double  *left,
     double  *top)
{
  double x, y, width, height;

  ns_renderer_get_extents (graph, &x, &y, &width, &height);
  *zoom = MIN ((VIEW_WIDTH - 48) / width, (VIEW_HEIGHT - 48) / height);
  *left = x + width / 2 - VIEW_WIDTH / 2.0 / *zoom;
  *top = y + height / 2 - VIEW_HEIGHT / 2.0 / *zoom;
}

static void
bench_frames (void)
{
  g_autoptr(NsGraph) graph = build_graph (9, 2000);
  double x, y, width, height, zoom, left, top;
  guint n_wires = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (graph)); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (graph), i);

      n_wires += ns_layer_get_n_inputs (layer);
    }
  printf ("2,000-layer graph: %u layers, %u wires\n", g_list_model_get_n_items (G_LIST_MODEL (graph)), n_wires);
  ns_renderer_get_extents (graph, &x, &y, &width, &height);
  time_frames ("1280x800 at the graph's centre", graph, 1.0,
               x + width / 2 - VIEW_WIDTH / 2.0, y + height / 2 - VIEW_HEIGHT / 2.0);
  time_frames ("1280x800 at the input", graph, 1.0, x - 40, y + height / 2 - VIEW_HEIGHT / 2.0);
  /* The farthest view that still draws text: the most text in one frame. */
  time_frames ("1280x800 at zoom 0.3, centre (all text)", graph, 0.3,
               x + width / 2 - VIEW_WIDTH / 2.0 / 0.3, y + height / 2 - VIEW_HEIGHT / 2.0 / 0.3);
  time_frames ("1280x800 at zoom 0.25, centre (text greeked)", graph, 0.25,
               x + width / 2 - VIEW_WIDTH / 2.0 / 0.25, y + height / 2 - VIEW_HEIGHT / 2.0 / 0.25);
  fit (graph, &zoom, &left, &top);
  time_frames ("1280x800 zoomed to fit (every layer)", graph, zoom, left, top);
}

/* What the canvas does on every pointer motion: the node under the
 * pointer, else the wire under it, at points spread over the graph. */
static void
bench_hover (void)
{
  g_autoptr(NsGraph) graph = build_graph (9, 2000);
  double x, y, width, height;
  guint hits = 0, n = 1000;
  gint64 start, elapsed;

  ns_renderer_get_extents (graph, &x, &y, &width, &height);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      /* A fixed low-discrepancy walk over the extents (golden ratio steps). */
      double px = x + width * fmod (i * 0.6180339887, 1.0);
      double py = y + height * fmod (i * 0.7548776662, 1.0);
      guint port;

      if (ns_renderer_node_at (graph, px, py) != NULL ||
          ns_renderer_wire_at (graph, px, py, 5, FALSE, &port) != NULL)
        hits++;
    }
  elapsed = g_get_monotonic_time () - start;
  printf ("hover hit-test in the 2,000-layer graph: %.1f µs per pointer motion (%u of %u points on something)\n",
          (double) elapsed / n, hits, n);
}

/* One node dragged 2 units right and 1 down per frame, each frame redrawn,
 * as the canvas does while a node follows the pointer. */
static void
bench_drag (void)
{
  g_autoptr(NsGraph) graph = build_graph (5, 500);
  g_autoptr(NsRenderer) renderer = ns_renderer_new ();
  g_autoptr(NsLayer) layer = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, VIEW_WIDTH, VIEW_HEIGHT);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (graph));
  double x, y, left, top;
  gint64 start, elapsed;

  /* A layer in the middle of the graph, with the view around it. */
  layer = g_list_model_get_item (G_LIST_MODEL (graph), n / 2);
  ns_layer_get_position (layer, &x, &y);
  left = x - VIEW_WIDTH / 2.0;
  top = y - VIEW_HEIGHT / 2.0;
  draw_frame (renderer, surface, graph, 1.0, left, top);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < DRAG_FRAMES; i++)
    {
      ns_layer_set_position (layer, x + 2 * i, y + i);
      draw_frame (renderer, surface, graph, 1.0, left, top);
    }
  elapsed = g_get_monotonic_time () - start;
  printf ("drag in a %u-layer graph: %u frames in %.1f ms: %.0f frames per second (%.2f ms per frame)\n",
          n, DRAG_FRAMES, elapsed / 1000.0, DRAG_FRAMES / (elapsed / 1e6), elapsed / 1000.0 / DRAG_FRAMES);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  gboolean drag_only = argc > 1 && g_str_equal (argv[1], "--drag");
  gboolean frames_only = argc > 1 && g_str_equal (argv[1], "--frames");

  if (!drag_only)
    bench_frames ();
  if (!frames_only)
    {
      bench_drag ();
      bench_hover ();
    }
  return 0;
}
