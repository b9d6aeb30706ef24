/* test-graph.c: graph edits, their validation, and incremental inference. */
#include "config.h"

#include "test-helpers.h"

static void
count_signal (gpointer  instance,
              guint    *count)
{
  (*count)++;
}

static void
test_graph_connect_refusals (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *in = test_add_input (graph, "in", "[8, 8, 3]");
  NsLayer *a = test_add_layer (graph, "Conv2D", "a");
  NsLayer *b = test_add_layer (graph, "Conv2D", "b");
  NsLayer *add = test_add_layer (graph, "Add", "add");

  test_connect (graph, in, a, 0);
  test_connect (graph, a, b, 0);

  g_assert_false (ns_graph_connect (graph, b, a, 0, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
  g_assert_cmpstr (error->message, ==, "input 0 of a is already connected to in");
  g_clear_error (&error);

  ns_graph_disconnect (graph, a, 0);
  g_assert_false (ns_graph_connect (graph, b, a, 0, &error));
  g_assert_cmpstr (error->message, ==, "connecting b to a would make a cycle");
  g_clear_error (&error);
  g_assert_false (ns_graph_connect (graph, a, a, 0, &error));
  g_assert_cmpstr (error->message, ==, "connecting a to a would make a cycle");
  g_clear_error (&error);

  g_assert_false (ns_graph_connect (graph, a, in, 0, &error));
  g_assert_cmpstr (error->message, ==, "in is an input layer and takes no inputs");
  g_clear_error (&error);

  g_assert_false (ns_graph_connect (graph, in, b, 1, &error));
  g_assert_cmpstr (error->message, ==, "b takes 1 input; there is no port 1");
  g_clear_error (&error);

  /* Merges fill their ports in order. */
  g_assert_false (ns_graph_connect (graph, in, add, 1, &error));
  g_assert_cmpstr (error->message, ==, "add takes its inputs in order: the next free port is 0, not 1");
  g_clear_error (&error);

  /* Nothing above changed the graph: a still has no input. */
  g_assert_null (ns_layer_get_input (a, 0));
  g_assert_cmpint (ns_layer_get_info (a)->state, ==, NS_LAYER_ERROR);
  g_assert_cmpstr (ns_layer_get_info (a)->message, ==, "needs an input");
  g_assert_cmpint (ns_layer_get_info (b)->state, ==, NS_LAYER_WAITING);
  g_assert_cmpstr (ns_layer_get_info (b)->message, ==, "waiting on a");
}

static void
test_graph_merge_inputs (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *x = test_add_input (graph, "x", "[4, 4, 2]");
  NsLayer *y = test_add_input (graph, "y", "[4, 4, 3]");
  NsLayer *z = test_add_input (graph, "z", "[4, 4, 5]");
  NsLayer *cat = test_add_layer (graph, "Concatenate", "cat");

  test_connect (graph, x, cat, 0);
  g_assert_cmpint (ns_layer_get_info (cat)->state, ==, NS_LAYER_ERROR);
  g_assert_cmpstr (ns_layer_get_info (cat)->message, ==, "needs at least 2 inputs, has 1");
  test_connect (graph, y, cat, 1);
  test_connect (graph, z, cat, 2);
  test_assert_shape (cat, "(None, 4, 4, 10)");

  /* Freeing port 1 moves z down to it. */
  g_assert_true (ns_graph_disconnect (graph, cat, 1));
  g_assert_true (ns_layer_get_input (cat, 1) == z);
  test_assert_shape (cat, "(None, 4, 4, 7)");
  g_assert_false (ns_graph_disconnect (graph, cat, 5));
}

static void
test_graph_errors_and_waiting (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[5, 5, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");
  NsLayer *drop = test_add_layer (graph, "Dropout", "drop");
  NsLayer *dense = test_add_layer (graph, "Dense", "dense");

  test_connect (graph, in, conv, 0);
  test_connect (graph, conv, drop, 0);
  test_connect (graph, drop, dense, 0);
  test_assert_shape (dense, "(None, 3, 3, 10)");
  g_assert_cmpint (ns_layer_get_info (dense)->params, ==, (32 + 1) * 10);

  test_set (graph, conv, "kernel_size", "[7, 7]");
  g_assert_cmpint (ns_layer_get_info (conv)->state, ==, NS_LAYER_ERROR);
  g_assert_cmpstr (ns_layer_get_info (conv)->message, ==,
                   "the 7×7 window (spanning 7×7) is larger than the 5×5 input (None, 5, 5, 3): "
                   "the output would be 0×0");
  /* Downstream layers name the root of the trouble, however far away. */
  g_assert_cmpint (ns_layer_get_info (drop)->state, ==, NS_LAYER_WAITING);
  g_assert_cmpstr (ns_layer_get_info (dense)->message, ==, "waiting on conv");

  /* Renaming the broken layer updates the message downstream. */
  g_assert_true (ns_graph_rename_layer (graph, conv, "conv_renamed", NULL));
  g_assert_cmpstr (ns_layer_get_info (dense)->message, ==, "waiting on conv_renamed");

  test_set (graph, conv, "padding", "\"same\"");
  test_assert_shape (dense, "(None, 5, 5, 10)");

  test_set (graph, conv, "strides", "[2, 2]");
  test_set (graph, conv, "dilation_rate", "[2, 2]");
  g_assert_cmpstr (ns_layer_get_info (conv)->message, ==,
                   "strides 2×2 cannot be combined with dilation 2×2: Keras allows one of them "
                   "above 1, not both");
}

static void
test_graph_overflow (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[4294967296, 4294967296, 4294967296]");
  NsLayer *ok = test_add_input (graph, "ok", "[3037000499, 3037000499, 1]");
  NsLayer *dense = test_add_layer (graph, "Dense", "dense");

  g_assert_cmpint (ns_layer_get_info (in)->state, ==, NS_LAYER_ERROR);
  g_assert_cmpstr (ns_layer_get_info (in)->message, ==,
                   "the output (None, 4294967296, 4294967296, 4294967296) has more elements than "
                   "a 64-bit integer can count");
  /* Fits in elements, but not in bytes or MACs. */
  test_connect (graph, ok, dense, 0);
  g_assert_cmpint (ns_layer_get_info (ok)->state, ==, NS_LAYER_ERROR);
  g_assert_cmpstr (ns_layer_get_info (ok)->message, ==, "sizes overflow 64-bit integers");
  g_assert_cmpstr (ns_layer_get_info (dense)->message, ==, "waiting on ok");
}

static void
test_graph_unknown_dims (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[null, null, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");

  test_set (graph, conv, "filters", "8");
  test_set (graph, conv, "strides", "2");
  test_connect (graph, in, conv, 0);
  test_assert_shape (conv, "(None, None, None, 8)");
  g_assert_cmpint (ns_layer_get_info (conv)->params, ==, 3 * 3 * 3 * 8 + 8);
  g_assert_cmpint (ns_layer_get_info (conv)->macs, ==, 0);
}

static void
test_graph_incremental (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[32, 32, 3]");
  NsLayer *side = test_add_input (graph, "side", "[10]");
  NsLayer *side_dense = test_add_layer (graph, "Dense", "side_dense");
  NsLayer *prev = in;
  guint inferred_side = 0, inferred_last = 0, passes = 0;
  NsLayer *last = NULL;

  test_connect (graph, side, side_dense, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("c%u", i);
      last = test_add_layer (graph, "Conv2D", name);
      test_set (graph, last, "padding", "\"same\"");
      test_connect (graph, prev, last, 0);
      prev = last;
    }
  g_signal_connect (side_dense, "inferred", G_CALLBACK (count_signal), &inferred_side);
  g_signal_connect (last, "inferred", G_CALLBACK (count_signal), &inferred_last);
  g_signal_connect (graph, "inferred", G_CALLBACK (count_signal), &passes);

  /* An edit at the top reaches the bottom of its chain, not the other branch. */
  test_set (graph, ns_graph_find_by_name (graph, "c0"), "strides", "[2, 2]");
  g_assert_cmpuint (passes, ==, 1);
  g_assert_cmpuint (inferred_last, ==, 1);
  g_assert_cmpuint (inferred_side, ==, 0);
  test_assert_shape (last, "(None, 16, 16, 32)");

  /* A change that leaves c1's output as it was stops there. */
  test_set (graph, ns_graph_find_by_name (graph, "c0"), "activation", "\"relu\"");
  g_assert_cmpuint (inferred_last, ==, 1);

  /* Renames and moves infer nothing. */
  g_assert_true (ns_graph_rename_layer (graph, last, "final", NULL));
  ns_layer_set_position (last, 10, 20);
  g_assert_cmpuint (inferred_last, ==, 1);
}

static void
test_graph_remove_and_model (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *in = test_add_input (graph, "in", "[8, 8, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", NULL);
  NsLayer *conv_1 = test_add_layer (graph, "Conv2D", NULL);
  NsLayer *add = test_add_layer (graph, "Add", NULL);
  g_autoptr(NsLayer) kept = NULL;
  GPtrArray *sorted;

  /* Keras' automatic names. */
  g_assert_cmpstr (ns_layer_get_name (conv), ==, "conv2d");
  g_assert_cmpstr (ns_layer_get_name (conv_1), ==, "conv2d_1");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 4);

  test_connect (graph, in, conv, 0);
  test_connect (graph, in, conv_1, 0);
  test_connect (graph, conv_1, add, 0);
  test_connect (graph, conv, add, 1);
  test_assert_shape (add, "(None, 6, 6, 32)");

  /* Sorted: inputs first, ties by insertion order. */
  sorted = ns_graph_get_sorted_layers (graph);
  g_assert_true (g_ptr_array_index (sorted, 0) == in);
  g_assert_true (g_ptr_array_index (sorted, 1) == conv);
  g_assert_true (g_ptr_array_index (sorted, 3) == add);

  kept = g_object_ref (conv_1);
  ns_graph_remove_layer (graph, conv_1);
  g_assert_null (ns_layer_get_graph (kept));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, 3);
  g_assert_true (ns_layer_get_input (add, 0) == conv);
  g_assert_cmpstr (ns_layer_get_info (add)->message, ==, "needs at least 2 inputs, has 1");
  g_assert_null (ns_graph_find_by_name (graph, "conv2d_1"));

  g_assert_false (ns_graph_rename_layer (graph, add, "conv2d", &error));
  g_assert_cmpstr (error->message, ==, "another layer is already named “conv2d”");
}

static void
test_graph_value_validation (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");
  NsValue value = *ns_layer_get_value (conv, "filters");

  value.integer = 0;
  g_assert_false (ns_graph_set_value (graph, conv, "filters", &value, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "filters: expected an integer from 1 to 16777216, got 0");
  g_clear_error (&error);

  g_assert_false (ns_graph_set_value (graph, conv, "units", &value, &error));
  g_assert_cmpstr (error->message, ==, "Conv2D has no setting “units”");
  g_assert_cmpint (ns_layer_get_value (conv, "filters")->integer, ==, 32);
}

/* A Sequential used as a layer: its inputs take the outer shapes, its output
 * and totals become the layer's. */
static void
test_graph_nested_model (void)
{
  g_autoptr(NsGraph) inner = ns_graph_new ();
  g_autoptr(NsGraph) outer = ns_graph_new ();
  g_autoptr(NsLayer) nested = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExplanation) explanation = NULL;
  g_autofree char *text = NULL;
  NsLayer *inner_in = test_add_input (inner, "inner_in", "[8, 8, 3]");
  NsLayer *conv = test_add_layer (inner, "Conv2D", "conv");
  NsLayer *bn = test_add_layer (inner, "BatchNormalization", "bn");
  NsLayer *in, *head;

  test_set (inner, conv, "filters", "16");
  test_connect (inner, inner_in, conv, 0);
  test_connect (inner, conv, bn, 0);

  nested = ns_layer_new (ns_layer_types_lookup ("Sequential"), "m1", "backbone");
  ns_layer_set_subgraph (nested, inner);
  g_assert_true (ns_graph_add_layer (outer, nested, &error));
  in = test_add_input (outer, "image", "[32, 32, 3]");
  head = test_add_layer (outer, "GlobalAveragePooling2D", "pool");
  test_connect (outer, in, nested, 0);
  test_connect (outer, nested, head, 0);

  /* 3×3 valid conv of the 32×32 input; (3·3·3 + 1)·16 + 4·16 parameters. */
  test_assert_shape (nested, "(None, 30, 30, 16)");
  test_assert_shape (inner_in, "(None, 32, 32, 3)");
  test_assert_shape (head, "(None, 16)");
  g_assert_cmpint (ns_layer_get_info (nested)->trainable_params, ==, 448 + 32);
  g_assert_cmpint (ns_layer_get_info (nested)->non_trainable_params, ==, 32);
  g_assert_cmpint (ns_layer_get_info (nested)->macs, ==, 30 * 30 * 16 * 27);
  g_assert_cmpfloat (ns_layer_get_info (nested)->receptive_field[0], ==, 3);

  explanation = ns_layer_explain (nested);
  text = ns_explanation_to_text (explanation);
  g_assert_cmpstr (text, ==,
                   "Output shape: the output of its layer bn = (None, 30, 30, 16)\n"
                   "Parameters: the sum over its 3 layers = 512 (480 trainable, 32 not)\n");

  /* An input the inner model cannot take is the nested layer's error. */
  test_set (outer, in, "shape", "[2, 2, 3]");
  g_assert_cmpint (ns_layer_get_info (nested)->state, ==, NS_LAYER_ERROR);
  g_assert_cmpstr (ns_layer_get_info (nested)->message, ==,
                   "inside the nested model, bn: waiting on conv");
  g_assert_cmpstr (ns_layer_get_info (head)->message, ==, "waiting on backbone");
}

/* A class Netsketch does not know waits for its output shape, without
 * stopping inference on other branches. */
static void
test_graph_opaque_layer (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = test_add_input (graph, "in", "[8, 8, 3]");
  NsLayer *custom = test_add_layer (graph, "OpaqueLayer", "custom");
  NsLayer *after = test_add_layer (graph, "Flatten", "after");
  NsLayer *other = test_add_layer (graph, "Conv2D", "other");

  test_set (graph, custom, "class_name", "\"MyAttention\"");
  test_connect (graph, in, custom, 0);
  test_connect (graph, custom, after, 0);
  test_connect (graph, in, other, 0);
  g_assert_cmpstr (ns_layer_get_info (custom)->message, ==,
                   "unknown layer class MyAttention: give its output shape to go on");
  g_assert_cmpstr (ns_layer_get_info (after)->message, ==, "waiting on custom");
  test_assert_shape (other, "(None, 6, 6, 32)");

  test_set (graph, custom, "output_shape", "[8, 8, 5]");
  test_set (graph, custom, "trainable_params", "120");
  test_assert_shape (after, "(None, 320)");
  g_assert_cmpint (ns_layer_get_info (custom)->params, ==, 120);
}

/* Keras' trainable=False and shared layers: the same parameters, counted the
 * way model.summary() counts them. */
static void
test_graph_frozen_and_shared (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *in = test_add_input (graph, "in", "[8, 8, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");
  NsLayer *again = test_add_layer (graph, "Conv2D", "conv_call2");
  NsLayer *dense = test_add_layer (graph, "Dense", "dense");
  NsGraphTotals totals;

  test_set (graph, conv, "filters", "3");
  test_set (graph, conv, "padding", "\"same\"");
  test_set (graph, again, "filters", "3");
  test_set (graph, again, "padding", "\"same\"");
  test_connect (graph, in, conv, 0);
  test_connect (graph, conv, again, 0);
  test_connect (graph, again, dense, 0);

  ns_graph_set_trainable (graph, conv, FALSE);
  g_assert_false (ns_layer_get_trainable (conv));
  g_assert_cmpint (ns_layer_get_info (conv)->trainable_params, ==, 0);
  g_assert_cmpint (ns_layer_get_info (conv)->non_trainable_params, ==, 84);

  g_assert_true (ns_graph_share_weights (graph, again, conv, &error));
  g_assert_cmpint (ns_layer_get_info (again)->params, ==, 0);
  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, 84 + 40);
  g_assert_cmpint (totals.non_trainable_params, ==, 84);

  g_assert_false (ns_graph_share_weights (graph, dense, conv, &error));
  g_assert_cmpstr (error->message, ==, "dense cannot share the weights of conv: a shared layer’s "
                   "calls are of one type, and the weights belong to its first call");

  /* Without its owner the later call has weights of its own again. */
  ns_graph_remove_layer (graph, conv);
  g_assert_null (ns_layer_get_weights_owner (again));
  test_connect (graph, in, again, 0);
  g_assert_cmpint (ns_layer_get_info (again)->params, ==, 84);
}

/* Keras' input and output order: collected unless an importer fixes it. */
static void
test_graph_inputs_outputs (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *a = test_add_input (graph, "a", "[4]");
  NsLayer *b = test_add_input (graph, "b", "[4]");
  NsLayer *sum = test_add_layer (graph, "Add", "sum");
  NsLayer *side = test_add_layer (graph, "Dense", "side");
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) fixed = g_ptr_array_new ();

  test_connect (graph, a, sum, 0);
  test_connect (graph, b, sum, 1);
  test_connect (graph, a, side, 0);
  inputs = ns_graph_get_inputs (graph);
  outputs = ns_graph_get_outputs (graph);
  g_assert_cmpuint (inputs->len, ==, 2);
  g_assert_true (g_ptr_array_index (inputs, 1) == b);
  g_assert_cmpuint (outputs->len, ==, 2);
  g_assert_true (g_ptr_array_index (outputs, 0) == sum);

  g_ptr_array_add (fixed, side);
  g_ptr_array_add (fixed, sum);
  ns_graph_set_outputs (graph, fixed);
  g_clear_pointer (&outputs, g_ptr_array_unref);
  outputs = ns_graph_get_outputs (graph);
  g_assert_true (g_ptr_array_index (outputs, 0) == side);
  ns_graph_remove_layer (graph, side);
  g_clear_pointer (&outputs, g_ptr_array_unref);
  outputs = ns_graph_get_outputs (graph);
  g_assert_cmpuint (outputs->len, ==, 1);
  g_assert_cmpstr (ns_graph_get_model_class (graph), ==, "Functional");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph/connect-refusals", test_graph_connect_refusals);
  g_test_add_func ("/graph/merge-inputs", test_graph_merge_inputs);
  g_test_add_func ("/graph/errors-and-waiting", test_graph_errors_and_waiting);
  g_test_add_func ("/graph/overflow", test_graph_overflow);
  g_test_add_func ("/graph/unknown-dims", test_graph_unknown_dims);
  g_test_add_func ("/graph/incremental", test_graph_incremental);
  g_test_add_func ("/graph/remove-and-model", test_graph_remove_and_model);
  g_test_add_func ("/graph/value-validation", test_graph_value_validation);
  g_test_add_func ("/graph/nested-model", test_graph_nested_model);
  g_test_add_func ("/graph/opaque-layer", test_graph_opaque_layer);
  g_test_add_func ("/graph/inputs-outputs", test_graph_inputs_outputs);
  g_test_add_func ("/graph/frozen-and-shared", test_graph_frozen_and_shared);
  return g_test_run ();
}
