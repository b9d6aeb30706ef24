/* test-layout.c: the layered automatic layout. */
#include "config.h"

#include "ns-layout.h"
#include "test-helpers.h"

static void
assert_no_overlap (NsGraph *graph)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (graph));

  for (guint i = 0; i < n; i++)
    for (guint j = i + 1; j < n; j++)
      {
        g_autoptr(NsLayer) a = g_list_model_get_item (G_LIST_MODEL (graph), i);
        g_autoptr(NsLayer) b = g_list_model_get_item (G_LIST_MODEL (graph), j);
        double ax, ay, bx, by;

        ns_layer_get_position (a, &ax, &ay);
        ns_layer_get_position (b, &bx, &by);
        if (ABS (ax - bx) < NS_LAYOUT_NODE_WIDTH && ABS (ay - by) < NS_LAYOUT_NODE_HEIGHT)
          g_error ("%s and %s overlap", ns_layer_get_name (a), ns_layer_get_name (b));
      }
}

static double
x_of (NsGraph    *graph,
      const char *name)
{
  double x;

  ns_layer_get_position (ns_graph_find_by_name (graph, name), &x, NULL);
  return x;
}

static double
y_of (NsGraph    *graph,
      const char *name)
{
  double y;

  ns_layer_get_position (ns_graph_find_by_name (graph, name), NULL, &y);
  return y;
}

static void
test_layout_article (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  const char *chain[] = { "input_1", "con1", "batch_normalization", "activation", "pool1",
                          "up1", "mer1", "deconv1", "score1", "mer2" };
  double step = NS_LAYOUT_NODE_WIDTH + NS_LAYOUT_RANK_GAP;

  ns_layout_graph (graph, NS_LAYOUT_LEFT_TO_RIGHT);
  /* Every layer is one rank past its deepest input: here a chain of ten. */
  for (guint i = 0; i < G_N_ELEMENTS (chain); i++)
    g_assert_cmpfloat (x_of (graph, chain[i]), ==, NS_LAYOUT_MARGIN + i * step);
  assert_no_overlap (graph);

  ns_layout_graph (graph, NS_LAYOUT_TOP_DOWN);
  g_assert_cmpfloat (y_of (graph, "mer2"), ==,
                     NS_LAYOUT_MARGIN + 9 * (NS_LAYOUT_NODE_HEIGHT + NS_LAYOUT_RANK_GAP));
  assert_no_overlap (graph);
}

/* Two branches from one input meet in a merge: the branches sit side by side,
 * the merge after the longer one, nothing overlaps. */
static void
test_layout_branches (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[8, 8, 4]");
  NsLayer *a1 = test_add_layer (graph, "ReLU", "a1");
  NsLayer *a2 = test_add_layer (graph, "ReLU", "a2");
  NsLayer *b1 = test_add_layer (graph, "ELU", "b1");
  NsLayer *sum = test_add_layer (graph, "Add", "sum");

  test_connect (graph, in, a1, 0);
  test_connect (graph, a1, a2, 0);
  test_connect (graph, in, b1, 0);
  test_connect (graph, a2, sum, 0);
  test_connect (graph, b1, sum, 1);
  ns_layout_graph (graph, NS_LAYOUT_LEFT_TO_RIGHT);

  g_assert_cmpfloat (x_of (graph, "a1"), ==, x_of (graph, "b1"));
  g_assert_cmpfloat (y_of (graph, "a1"), !=, y_of (graph, "b1"));
  g_assert_cmpfloat (x_of (graph, "sum"), >, x_of (graph, "a2"));
  assert_no_overlap (graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/layout/article", test_layout_article);
  g_test_add_func ("/layout/branches", test_layout_branches);
  return g_test_run ();
}
