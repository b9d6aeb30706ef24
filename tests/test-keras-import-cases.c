/* test-keras-import-cases.c: hand-made inputs for what real exported Keras and
 * TensorFlow.js files contain (tests/fixtures/import), and the importer's
 * error messages. */
#include "config.h"

#include "ns-keras-import.h"
#include "ns-model-io.h"

static NsGraph *
load_import (const char *name,
             GError    **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "import", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return ns_model_load (file, NULL, NULL, error);
}

static NsGraph *
must_load (const char *name)
{
  g_autoptr(GError) error = NULL;
  NsGraph *graph = load_import (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (graph);
  return graph;
}

static const NsLayerInfo *
assert_layer (NsGraph    *graph,
              const char *name,
              const char *keras_class,
              const char *shape,
              gint64      params)
{
  NsLayer *layer = ns_graph_find_by_name (graph, name);
  const NsLayerInfo *info;
  g_autofree char *text = NULL;

  if (layer == NULL)
    g_error ("no layer %s", name);
  info = ns_layer_get_info (layer);
  g_assert_cmpstr (ns_layer_get_layer_type (layer)->keras_class, ==, keras_class);
  if (shape == NULL)
    {
      g_assert_cmpint (info->state, !=, NS_LAYER_OK);
      return info;
    }
  if (info->state != NS_LAYER_OK)
    g_error ("%s: %s", name, info->message);
  text = ns_shape_to_keras (&info->output);
  g_assert_cmpstr (text, ==, shape);
  g_assert_cmpint (info->params, ==, params);
  return info;
}

static void
assert_totals (NsGraph *graph,
               gint64   params,
               gint64   trainable)
{
  NsGraphTotals totals;

  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, params);
  g_assert_cmpint (totals.trainable_params, ==, trainable);
}

/* Keras 2.1: a nested Sequential whose config is a bare list, called as
 * node 1; regularizer and constraint objects kept verbatim. */
static void
test_old_keras_nested (void)
{
  g_autoptr(NsGraph) graph = must_load ("keras21-nested-sequential.json");
  NsLayer *nested = ns_graph_find_by_name (graph, "sequential_1");
  NsGraph *inner = ns_layer_get_subgraph (nested);
  JsonObject *config;

  assert_layer (graph, "sequential_1", "Functional", "(None, 4096)", 448);
  assert_layer (graph, "dense_1", "Dense", "(None, 10)", 40970);
  assert_totals (graph, 41418, 41418);
  g_assert_nonnull (inner);
  g_assert_cmpstr (ns_graph_get_model_class (inner), ==, "Sequential");
  assert_layer (inner, "conv2d_1_input", "InputLayer", "(None, 32, 32, 3)", 0);
  assert_layer (inner, "conv2d_1", "Conv2D", "(None, 32, 32, 16)", 448);
  config = json_object_get_object_member (ns_layer_get_extra (ns_graph_find_by_name (graph, "dense_1")), "config");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "kernel_regularizer"),
                                                  "class_name"), ==, "L1L2");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (config, "kernel_constraint"),
                                                  "class_name"), ==, "MaxNorm");
}

/* tf.keras 2.13: module / registered_name / build_config, a shared layer
 * called twice (one node per call), node index 1, the training kwarg. */
static void
test_shared_layer (void)
{
  g_autoptr(NsGraph) graph = must_load ("tf213-shared-layer.json");
  g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
  NsLayer *dropout = ns_graph_find_by_name (graph, "dropout");
  NsGraphTotals totals;

  /* Counted once, as Keras does: the second call uses the first's weights. */
  assert_layer (graph, "shared", "Dense", "(None, 4)", 36);
  assert_layer (graph, "shared_call2", "Dense", "(None, 4)", 0);
  g_assert_true (ns_layer_get_weights_owner (ns_graph_find_by_name (graph, "shared_call2")) ==
                 ns_graph_find_by_name (graph, "shared"));
  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, 36);
  assert_layer (graph, "concatenate", "Concatenate", "(None, 8)", 0);
  g_assert_cmpstr (ns_layer_get_name (ns_layer_get_input (dropout, 0)), ==, "shared_call2");
  g_assert_cmpuint (inputs->len, ==, 2);
  g_assert_cmpstr (ns_layer_get_name (g_ptr_array_index (inputs, 1)), ==, "right");
  g_assert_cmpfloat (ns_layer_get_value (dropout, "rate")->real, ==, 0.25);
}

/* The same model saved with json.dump (model.to_json()): a JSON string. */
static void
test_json_string (void)
{
  g_autoptr(NsGraph) graph = must_load ("json-string.json");

  g_assert_cmpstr (ns_graph_get_name (graph), ==, "siamese");
  assert_layer (graph, "concatenate", "Concatenate", "(None, 8)", 0);
}

/* TFOpLambda nodes one nesting level less, kwargs naming other tensors:
 * relu, add and concat become real layers; others stay opaque. */
static void
test_tfoplambda (void)
{
  g_autoptr(NsGraph) graph = must_load ("tfoplambda.json");
  NsLayer *add = ns_graph_find_by_name (graph, "tf.__operators__.add");
  const NsLayerInfo *info;

  assert_layer (graph, "tf.nn.relu", "Activation", "(None, 16, 16, 8)", 0);
  assert_layer (graph, "tf.math.multiply", "OpaqueLayer", "(None, 16, 16, 8)", 0);
  assert_layer (graph, "tf.__operators__.add", "Add", "(None, 16, 16, 8)", 0);
  assert_layer (graph, "tf.concat", "Concatenate", "(None, 16, 16, 16)", 0);
  g_assert_cmpstr (ns_layer_get_name (ns_layer_get_input (add, 1)), ==, "tf.nn.relu");
  info = assert_layer (graph, "tf.__operators__.getitem", "OpaqueLayer", NULL, 0);
  g_assert_cmpstr (info->message, ==, "unknown layer class SlicingOpLambda: give its output shape to go on");
  g_assert_nonnull (json_object_get_object_member (
    ns_layer_get_extra (ns_graph_find_by_name (graph, "tf.__operators__.getitem")), NS_KERAS_EXTRA_ORIGINAL));
  assert_layer (graph, "flatten", "Flatten", NULL, 0);
}

/* AddLoss / AddMetric and a head that leads to no output: listed, not fatal. */
static void
test_addloss (void)
{
  g_autoptr(NsGraph) graph = must_load ("addloss-and-dead-ends.json");

  assert_layer (graph, "add_loss", "OpaqueLayer", "(None, 6)", 0);
  assert_layer (graph, "add_metric", "OpaqueLayer", "(None, 6)", 0);
  assert_layer (graph, "unused_head", "Dense", "(None, 3)", 21);
  assert_totals (graph, 287, 287);
}

/* A custom class and a Lambda with an output_shape; an activation
 * Netsketch has no name for is kept verbatim. */
static void
test_custom_classes (void)
{
  g_autoptr(NsGraph) graph = must_load ("custom-and-lambda.json");
  const NsLayerInfo *info;

  assert_layer (graph, "conv2d", "Conv2D", "(None, 26, 26, 4)", 40);
  assert_layer (graph, "lambda", "OpaqueLayer", "(None, 13, 13, 4)", 0);
  info = assert_layer (graph, "attention_pool", "OpaqueLayer", NULL, 0);
  g_assert_cmpstr (info->message, ==, "unknown layer class Custom>AttentionPool: give its output shape to go on");
  info = assert_layer (graph, "dense", "Dense", NULL, 0);
  g_assert_cmpint (info->state, ==, NS_LAYER_WAITING);
  g_assert_true (json_object_has_member (
    json_object_get_object_member (ns_layer_get_extra (ns_graph_find_by_name (graph, "conv2d")), "config"),
    "activation"));
}

/* tfjs: modelTopology holding {"model_config"}, camelCase keys, Reshape's
 * -1 as null, an implicit input named after the first layer. */
static void
test_tfjs_camelcase (void)
{
  g_autoptr(NsGraph) graph = must_load ("tfjs-camelcase.json");

  g_assert_cmpstr (ns_graph_get_model_class (graph), ==, "Sequential");
  assert_layer (graph, "conv2d_1_input", "InputLayer", "(None, 28, 28, 1)", 0);
  assert_layer (graph, "conv2d_1", "Conv2D", "(None, 14, 14, 6)", 150);
  assert_layer (graph, "reshape_1", "Reshape", "(None, 196, 6)", 0);
  assert_layer (graph, "dense_1", "Dense", "(None, 196, 3)", 21);
}

/* Keras 3: a nested Functional, __keras_tensor__ references, DTypePolicy,
 * LeakyReLU's negative_slope. Imported graphs are laid out left to right. */
static void
test_keras3_nested (void)
{
  g_autoptr(NsGraph) graph = must_load ("keras3-nested-functional.json");
  NsLayer *leaky = ns_graph_find_by_name (graph, "leaky");
  double x0, y0, x1, y1;

  assert_layer (graph, "backbone", "Functional", "(None, 8)", 256);
  assert_layer (graph, "head", "Dense", "(None, 5)", 45);
  assert_totals (graph, 301, 285);
  g_assert_cmpfloat (ns_layer_get_value (leaky, "alpha")->real, ==, 0.2);
  ns_layer_get_position (ns_graph_find_by_name (graph, "backbone"), &x0, &y0);
  ns_layer_get_position (leaky, &x1, &y1);
  g_assert_cmpfloat (x1, >, x0);
}

/* A .keras archive: its config.json. */
static void
test_keras_archive (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = load_import ("random_02.keras", &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip ("built without libarchive");
      return;
    }
  g_assert_no_error (error);
  assert_layer (graph, "conv2d", "Conv2D", "(None, 7, 2, 7)", 112);
}

static void
assert_error (const char *json,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = ns_keras_import_from_data (json, -1, "m.json", NULL, &error);

  g_assert_null (graph);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
}

#define FUNCTIONAL(layers) \
  "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": [" \
  "{\"class_name\": \"InputLayer\", \"name\": \"in\", \"config\": {\"batch_input_shape\": [null, 8, 8, 3]}, \"inbound_nodes\": []}," \
  layers "]}}"

static void
test_errors (void)
{
  assert_error (FUNCTIONAL ("{\"class_name\": \"Dense\", \"name\": \"d\", \"config\": {\"units\": 2},"
                            " \"inbound_nodes\": [[[\"nowhere\", 0, 0, {}]]]}"),
                "m.json:1:259: config.layers[1] (d).inbound_nodes[0]: no layer is named “nowhere”");
  assert_error (FUNCTIONAL ("{\"class_name\": \"Add\", \"name\": \"a\", \"config\": {},"
                            " \"inbound_nodes\": [[[\"in\", 0, 0], [\"b\", 0, 0]]]},"
                            "{\"class_name\": \"ReLU\", \"name\": \"b\", \"config\": {},"
                            " \"inbound_nodes\": [[[\"a\", 0, 0]]]}"),
                "m.json:1:246: config.layers[1] (a).inbound_nodes[0]: this call’s inputs never exist: "
                "the model has a cycle or refers to a call that is not there");
  assert_error (FUNCTIONAL ("{\"class_name\": \"Conv2D\", \"name\": \"c\", \"config\": {\"filters\": 4,"
                            " \"kernel_size\": \"big\"}, \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}"),
                "m.json:1:257: config.layers[1] (c).config.kernel_size: expected an integer from 1 to 65536 "
                "or a pair of them, got \"big\"");
  assert_error (FUNCTIONAL ("{\"class_name\": \"Conv2D\", \"name\": \"c\", \"config\": {\"filters\": 4,"
                            " \"data_format\": \"channels_first\"}, \"inbound_nodes\": [[[\"in\", 0, 0, {}]]]}"),
                "m.json:1:257: config.layers[1] (c).config.data_format: channels_first layers are not supported; "
                "Netsketch works channels-last (NHWC)");
  assert_error ("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Dense\","
                " \"config\": {\"name\": \"d\", \"units\": 3}}]}}",
                "m.json:1:52: config.layers[0] (d): the first layer of a Sequential model must give its "
                "input shape (batch_input_shape)");
  assert_error ("{\"class_name\": \"Dense\", \"config\": {\"units\": 3}}",
                "m.json:1:1: class_name: expected a model (Sequential, Functional or Model), got the layer class Dense");
  assert_error ("{\"class_name\": \"Functional\", \"config\": {\"layers\": [",
                "m.json:1:52: the document ends early: expected “]”; it may have been cut short");
}

/* 20,000 layers listed last-first still load, in well under a second:
 * calls wait on their inputs rather than being rescanned. */
static void
test_reverse_order (void)
{
  GString *json = g_string_new ("{\"class_name\": \"Functional\", \"config\": {\"name\": \"long\", \"layers\": [");
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = NULL;
  gint64 start = g_get_monotonic_time ();
  const guint n = 20000;

  for (guint i = n; i > 0; i--)
    g_string_append_printf (json, "{\"class_name\": \"ReLU\", \"name\": \"r%u\", \"config\": {},"
                            " \"inbound_nodes\": [[[\"%s%u\", 0, 0, {}]]]},", i, i > 1 ? "r" : "in", i - 1);
  g_string_append (json, "{\"class_name\": \"InputLayer\", \"name\": \"in0\", \"config\":"
                   " {\"batch_input_shape\": [null, 4]}, \"inbound_nodes\": []}]}}");
  graph = ns_keras_import_from_data (json->str, json->len, "long.json", NULL, &error);
  g_string_free (json, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (graph)), ==, n + 1);
  assert_layer (graph, "r20000", "ReLU", "(None, 4)", 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keras-import/cases/old-keras-nested", test_old_keras_nested);
  g_test_add_func ("/keras-import/cases/shared-layer", test_shared_layer);
  g_test_add_func ("/keras-import/cases/json-string", test_json_string);
  g_test_add_func ("/keras-import/cases/tfoplambda", test_tfoplambda);
  g_test_add_func ("/keras-import/cases/addloss", test_addloss);
  g_test_add_func ("/keras-import/cases/custom-classes", test_custom_classes);
  g_test_add_func ("/keras-import/cases/tfjs-camelcase", test_tfjs_camelcase);
  g_test_add_func ("/keras-import/cases/keras3-nested", test_keras3_nested);
  g_test_add_func ("/keras-import/cases/keras-archive", test_keras_archive);
  g_test_add_func ("/keras-import/cases/errors", test_errors);
  g_test_add_func ("/keras-import/cases/reverse-order", test_reverse_order);
  return g_test_run ();
}
