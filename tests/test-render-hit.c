/* test-render-hit.c: what the renderer reports under a point: nodes, ports,
 * wires, error badges and the layers in a rubber band, in canvas units. */
#include "config.h"

#include "ns-layout.h"
#include "ns-render.h"
#include "test-helpers.h"

/* The article's network on a fixed grid (node 200×76, band 26): the main
 * line on row y = 0, pool1/up1/score1 on row y = 150. */
static NsGraph *
build_placed_article (void)
{
  static const struct { const char *name; double x, y; } places[] = {
    { "input_1", 0, 0 }, { "con1", 300, 0 }, { "batch_normalization", 600, 0 },
    { "activation", 900, 0 }, { "pool1", 1200, 150 }, { "up1", 1500, 150 },
    { "mer1", 1800, 0 }, { "deconv1", 2100, 0 }, { "score1", 2400, 150 }, { "mer2", 2700, 0 },
  };
  NsGraph *graph = test_build_article ();

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    ns_layer_set_position (ns_graph_find_by_name (graph, places[i].name), places[i].x, places[i].y);
  return graph;
}

static NsLayer *
layer (NsGraph    *graph,
       const char *name)
{
  NsLayer *found = ns_graph_find_by_name (graph, name);

  g_assert_nonnull (found);
  return found;
}

static void
test_hit_node (void)
{
  g_autoptr(NsGraph) graph = build_placed_article ();
  NsLayer *bn = layer (graph, "batch_normalization");

  g_assert_true (ns_renderer_node_at (graph, 100, 38) == layer (graph, "input_1"));
  g_assert_true (ns_renderer_node_at (graph, 0, 0) == layer (graph, "input_1"));
  g_assert_true (ns_renderer_node_at (graph, 300, 0) == layer (graph, "con1"));
  g_assert_true (ns_renderer_node_at (graph, 499.5, 75.5) == layer (graph, "con1"));
  /* Right and bottom edges belong to what is beyond. */
  g_assert_null (ns_renderer_node_at (graph, 500, 38));
  g_assert_null (ns_renderer_node_at (graph, 400, 76));
  g_assert_null (ns_renderer_node_at (graph, 250, 38));
  g_assert_true (ns_renderer_node_at (graph, 1300, 200) == layer (graph, "pool1"));

  /* Overlapping nodes: the one drawn last (later in the graph) is on top. */
  ns_layer_set_position (bn, 350, 20);
  g_assert_true (ns_renderer_node_at (graph, 400, 40) == bn);
  g_assert_true (ns_renderer_node_at (graph, 320, 10) == layer (graph, "con1"));
}

static void
test_hit_ports (void)
{
  g_autoptr(NsGraph) graph = build_placed_article ();
  NsLayer *mer1 = layer (graph, "mer1");
  NsLayer *add;
  guint port = 99;
  double x, y;

  /* Output ports: the middle of the right edge below the band (y = 26 + 25). */
  g_assert_true (ns_renderer_output_port_at (graph, 200, 51, 8, FALSE) == layer (graph, "input_1"));
  g_assert_true (ns_renderer_output_port_at (graph, 207, 51, 8, FALSE) == layer (graph, "input_1"));
  g_assert_null (ns_renderer_output_port_at (graph, 209, 51, 8, FALSE));
  g_assert_null (ns_renderer_output_port_at (graph, 100, 38, 8, FALSE));

  /* Input ports: the Conv2D's only one, at the left edge. */
  g_assert_true (ns_renderer_input_port_at (graph, 301, 50, 8, FALSE, &port) == layer (graph, "con1"));
  g_assert_cmpuint (port, ==, 0);
  g_assert_null (ns_renderer_input_port_at (graph, 310, 51, 8, FALSE, &port));
  /* An InputLayer has none. */
  g_assert_null (ns_renderer_input_port_at (graph, 0, 51, 8, FALSE, &port));

  /* mer1 has two inputs at y = 26 + 50/3 and 26 + 100/3; its next, appending
   * port would sit at 26 + 150/4 = 63.5 once the ports spread over three. */
  g_assert_cmpuint (ns_renderer_get_n_input_ports (mer1), ==, 2);
  ns_renderer_get_input_port (mer1, 0, FALSE, &x, &y);
  g_assert_cmpfloat_with_epsilon (y, 26 + 50.0 / 3, 1e-9);
  g_assert_true (ns_renderer_input_port_at (graph, 1800, 43, 3, FALSE, &port) == mer1);
  g_assert_cmpuint (port, ==, 0);
  g_assert_true (ns_renderer_input_port_at (graph, 1800, 59, 3, FALSE, &port) == mer1);
  g_assert_cmpuint (port, ==, 1);
  g_assert_true (ns_renderer_input_port_at (graph, 1800, 64, 3, FALSE, &port) == mer1);
  g_assert_cmpuint (port, ==, 2);

  /* A merge with nothing connected shows the two ports it needs, spread
   * as they are drawn (not both at the middle). */
  add = test_add_layer (graph, "Add", "lonely_add");
  ns_layer_set_position (add, 0, 300);
  g_assert_cmpuint (ns_renderer_get_n_input_ports (add), ==, 2);
  ns_renderer_get_input_port (add, 0, FALSE, &x, &y);
  g_assert_cmpfloat_with_epsilon (y, 300 + 26 + 50.0 / 3, 1e-9);
  ns_renderer_get_input_port (add, 1, FALSE, &x, &y);
  g_assert_cmpfloat_with_epsilon (y, 300 + 26 + 100.0 / 3, 1e-9);
  g_assert_true (ns_renderer_input_port_at (graph, 2, 360, 4, FALSE, &port) == add);
  g_assert_cmpuint (port, ==, 1);
  g_assert_cmpuint (ns_renderer_get_n_input_ports (layer (graph, "input_1")), ==, 0);
  g_assert_cmpuint (ns_renderer_get_n_input_ports (layer (graph, "con1")), ==, 1);

  /* Top-down: inputs along the top edge, the output at the bottom's middle. */
  g_assert_true (ns_renderer_output_port_at (graph, 100, 77, 4, TRUE) == layer (graph, "input_1"));
  g_assert_true (ns_renderer_input_port_at (graph, 400, 2, 4, TRUE, &port) == layer (graph, "con1"));
  g_assert_cmpuint (port, ==, 0);
  g_assert_null (ns_renderer_input_port_at (graph, 301, 50, 8, TRUE, &port));
}

static void
test_hit_wire (void)
{
  g_autoptr(NsGraph) graph = build_placed_article ();
  guint port = 99;

  /* input_1 → con1 runs straight along y = 51 from x = 200 to 300. */
  g_assert_true (ns_renderer_wire_at (graph, 250, 51, 6, FALSE, &port) == layer (graph, "con1"));
  g_assert_cmpuint (port, ==, 0);
  g_assert_true (ns_renderer_wire_at (graph, 250, 56, 6, FALSE, &port) == layer (graph, "con1"));
  g_assert_null (ns_renderer_wire_at (graph, 250, 60, 6, FALSE, &port));

  /* activation (1100, 51) → pool1 (1200, 201): the cubic's midpoint is the
   * middle of its ends. */
  g_assert_true (ns_renderer_wire_at (graph, 1150, 126, 2, FALSE, &port) == layer (graph, "pool1"));
  g_assert_cmpuint (port, ==, 0);
  /* up1 (1700, 201) → mer1's second port (1800, 26 + 100/3). */
  g_assert_true (ns_renderer_wire_at (graph, 1750, (201 + 26 + 100.0 / 3) / 2, 2, FALSE, &port) ==
                 layer (graph, "mer1"));
  g_assert_cmpuint (port, ==, 1);
  g_assert_null (ns_renderer_wire_at (graph, 1000, 300, 6, FALSE, &port));
}

static void
test_hit_badge (void)
{
  g_autoptr(NsGraph) graph = build_placed_article ();
  NsLayer *orphan = test_add_layer (graph, "Conv2D", "orphan");

  /* A Conv2D without its input is in error: its badge sits at the top-right corner. */
  g_assert_cmpint (ns_layer_get_info (orphan)->state, ==, NS_LAYER_ERROR);
  ns_layer_set_position (orphan, 0, 300);
  g_assert_true (ns_renderer_badge_at (graph, 196, 304) == orphan);
  g_assert_true (ns_renderer_badge_at (graph, 196 + 8, 304) == orphan);
  g_assert_true (ns_renderer_badge_at (graph, 196, 304 - 9) == orphan);
  g_assert_null (ns_renderer_badge_at (graph, 196 + 10, 304));
  /* A layer that is fine has no badge. */
  g_assert_null (ns_renderer_badge_at (graph, 196, 4));
}

static void
test_hit_rectangle (void)
{
  g_autoptr(NsGraph) graph = build_placed_article ();
  g_autoptr(GPtrArray) two = ns_renderer_nodes_in_rectangle (graph, 250, -10, 400, 50);
  g_autoptr(GPtrArray) backwards = ns_renderer_nodes_in_rectangle (graph, 650, 40, -400, -50);
  g_autoptr(GPtrArray) gap = ns_renderer_nodes_in_rectangle (graph, 500, 0, 100, 10);
  g_autoptr(GPtrArray) all = ns_renderer_nodes_in_rectangle (graph, -1, -1, 3000, 300);
  g_autoptr(GPtrArray) lower = ns_renderer_nodes_in_rectangle (graph, 0, 100, 3000, 100);

  g_assert_cmpuint (two->len, ==, 2);
  g_assert_true (g_ptr_array_index (two, 0) == layer (graph, "con1"));
  g_assert_true (g_ptr_array_index (two, 1) == layer (graph, "batch_normalization"));
  g_assert_cmpuint (backwards->len, ==, 2);
  g_assert_true (g_ptr_array_index (backwards, 0) == layer (graph, "con1"));
  /* Touching an edge is not meeting the box. */
  g_assert_cmpuint (gap->len, ==, 0);
  g_assert_cmpuint (all->len, ==, 10);
  g_assert_cmpuint (lower->len, ==, 3);
  g_assert_true (g_ptr_array_index (lower, 0) == layer (graph, "pool1"));
  g_assert_true (g_ptr_array_index (lower, 1) == layer (graph, "up1"));
  g_assert_true (g_ptr_array_index (lower, 2) == layer (graph, "score1"));
}

static void
test_wire_curve (void)
{
  double cx0, cy0, cx1, cy1;

  /* The bend is half the run along the flow, at least 40. */
  ns_renderer_get_wire_curve (0, 0, 100, 50, FALSE, &cx0, &cy0, &cx1, &cy1);
  g_assert_cmpfloat (cx0, ==, 50);
  g_assert_cmpfloat (cy0, ==, 0);
  g_assert_cmpfloat (cx1, ==, 50);
  g_assert_cmpfloat (cy1, ==, 50);
  ns_renderer_get_wire_curve (0, 0, 20, 0, FALSE, &cx0, &cy0, &cx1, &cy1);
  g_assert_cmpfloat (cx0, ==, 40);
  g_assert_cmpfloat (cx1, ==, -20);
  ns_renderer_get_wire_curve (0, 0, 10, 300, TRUE, &cx0, &cy0, &cx1, &cy1);
  g_assert_cmpfloat (cx0, ==, 0);
  g_assert_cmpfloat (cy0, ==, 150);
  g_assert_cmpfloat (cx1, ==, 10);
  g_assert_cmpfloat (cy1, ==, 150);
}

/* Drawing with a visible rectangle skips what lies outside it: a frame of
 * an empty corner leaves the surface untouched. */
static void
test_render_culling (void)
{
  g_autoptr(NsGraph) graph = build_placed_article ();
  g_autoptr(NsRenderer) renderer = ns_renderer_new ();
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 100);
  NsRenderOptions options = { .visible_x = 0, .visible_y = 400, .visible_width = 100, .visible_height = 100 };
  cairo_t *cr = cairo_create (surface);
  const guint8 *data;
  guint64 sum = 0;

  cairo_translate (cr, 0, -400);
  ns_renderer_draw (renderer, cr, graph, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int i = 0; i < cairo_image_surface_get_stride (surface) * 100; i++)
    sum += data[i];
  g_assert_cmpuint (sum, ==, 0);

  /* The corner with the input node in it is drawn: (50, 12) is in its
   * header band, in the Input category's blue. */
  options.visible_y = 0;
  cr = cairo_create (surface);
  ns_renderer_draw (renderer, cr, graph, &options);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_assert_cmphex (*(const guint32 *) (data + 12 * cairo_image_surface_get_stride (surface) + 50 * 4),
                   ==, 0xff3584e4);
  cairo_surface_destroy (surface);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render-hit/node", test_hit_node);
  g_test_add_func ("/render-hit/ports", test_hit_ports);
  g_test_add_func ("/render-hit/wire", test_hit_wire);
  g_test_add_func ("/render-hit/badge", test_hit_badge);
  g_test_add_func ("/render-hit/rectangle", test_hit_rectangle);
  g_test_add_func ("/render-hit/wire-curve", test_wire_curve);
  g_test_add_func ("/render-hit/culling", test_render_culling);
  return g_test_run ();
}
