/* test-article.c: the tutorial article's network, layer by layer, built through
 * the graph API exactly as its Keras code does. */
#include "config.h"

#include "test-helpers.h"

typedef struct {
  const char *name;
  const char *shape;
  gint64      params;
  gint64      trainable;
  gint64      non_trainable;
  gint64      macs;
} Row;

/* From TensorFlow.js (fixtures/keras/seed/expected.json); MACs by hand:
 * con1 128·128·64·3·3·3, deconv1 128·128·128·3·3·64, score1 128·128·64·3·3·21. */
static const Row article_rows[] = {
  { "input_1",             "(None, 128, 128, 3)",   0,      0,      0,   0 },
  { "con1",                "(None, 128, 128, 64)",  1792,   1792,   0,   28311552 },
  { "batch_normalization", "(None, 128, 128, 64)",  256,    128,    128, 0 },
  { "activation",          "(None, 128, 128, 64)",  0,      0,      0,   0 },
  { "pool1",               "(None, 64, 64, 64)",    0,      0,      0,   0 },
  { "up1",                 "(None, 128, 128, 64)",  0,      0,      0,   0 },
  { "mer1",                "(None, 128, 128, 128)", 0,      0,      0,   0 },
  { "deconv1",             "(None, 128, 128, 64)",  73792,  73792,  0,   1207959552 },
  { "score1",              "(None, 128, 128, 21)",  12117,  12117,  0,   198180864 },
  { "mer2",                "(None, 128, 128, 85)",  0,      0,      0,   0 },
};

static void
test_article_layers (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  GPtrArray *sorted = ns_graph_get_sorted_layers (graph);

  g_assert_cmpuint (sorted->len, ==, G_N_ELEMENTS (article_rows));
  for (guint i = 0; i < sorted->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (sorted, i);
      const NsLayerInfo *info = ns_layer_get_info (layer);
      const Row *row = &article_rows[i];

      g_assert_cmpstr (ns_layer_get_name (layer), ==, row->name);
      test_assert_shape (layer, row->shape);
      g_assert_cmpint (info->params, ==, row->params);
      g_assert_cmpint (info->trainable_params, ==, row->trainable);
      g_assert_cmpint (info->non_trainable_params, ==, row->non_trainable);
      g_assert_cmpint (info->macs, ==, row->macs);
    }
}

static void
test_article_totals (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  NsGraphTotals totals;

  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, 87957);
  g_assert_cmpint (totals.trainable_params, ==, 87829);
  g_assert_cmpint (totals.non_trainable_params, ==, 128);
  g_assert_cmpint (totals.macs, ==, 1434451968);
  g_assert_cmpuint (totals.n_errors, ==, 0);
}

static void
test_article_receptive_field (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  const NsLayerInfo *con1 = ns_layer_get_info (ns_graph_find_by_name (graph, "con1"));
  const NsLayerInfo *pool1 = ns_layer_get_info (ns_graph_find_by_name (graph, "pool1"));
  const NsLayerInfo *up1 = ns_layer_get_info (ns_graph_find_by_name (graph, "up1"));
  const NsLayerInfo *deconv1 = ns_layer_get_info (ns_graph_find_by_name (graph, "deconv1"));

  /* 3×3 conv: 3 pixels, stride 1; 2×2/2 pool: 3 + 1 = 4, stride 2; ×2 upsampling
   * halves the step again; mer1 sees the widest input (4), deconv 3×3/1 adds 2. */
  g_assert_cmpfloat (con1->receptive_field[0], ==, 3);
  g_assert_cmpfloat (con1->effective_stride[0], ==, 1);
  g_assert_cmpfloat (pool1->receptive_field[0], ==, 4);
  g_assert_cmpfloat (pool1->effective_stride[1], ==, 2);
  g_assert_cmpfloat (up1->receptive_field[1], ==, 4);
  g_assert_cmpfloat (up1->effective_stride[1], ==, 1);
  g_assert_cmpfloat (deconv1->receptive_field[0], ==, 6);
  g_assert_cmpint (deconv1->activation_bytes, ==, 128 * 128 * 64 * 4);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/article/layers", test_article_layers);
  g_test_add_func ("/article/totals", test_article_totals);
  g_test_add_func ("/article/receptive-field", test_article_receptive_field);
  return g_test_run ();
}
