/* test-keras-export.c: Keras JSON (tf.keras 2, Keras 3), TensorFlow.js and Python code exports. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ns-code-export.h"
#include "ns-keras-export.h"
#include "ns-keras-import.h"
#include "ns-model-io.h"
#include "ns-summary.h"
#include "ns-tfjs-export.h"
#include "test-helpers.h"

static JsonObject *
export_object (NsGraph       *graph,
               NsKerasLayout  layout)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = ns_keras_export_model (graph, layout, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return json_object_ref (json_node_get_object (root));
}

/* The entry named @name in a model config's "layers". */
static JsonObject *
find_entry (JsonObject *root,
            const char *name)
{
  JsonArray *layers = json_object_get_array_member (json_object_get_object_member (root, "config"), "layers");

  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonObject *entry = json_array_get_object_element (layers, i);
      JsonObject *config = json_object_get_object_member (entry, "config");

      if (g_strcmp0 (json_object_get_string_member (config, "name"), name) == 0)
        return entry;
    }
  g_assert_not_reached ();
}

static char *
member_text (JsonObject *object,
             const char *key)
{
  return json_to_string (json_object_get_member (object, key), FALSE);
}

/* ---- tf.keras 2 ------------------------------------------------------------- */

static void
test_tf_keras_article (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(JsonObject) root = export_object (graph, NS_KERAS_LAYOUT_TF_KERAS_2);
  JsonObject *config = json_object_get_object_member (root, "config");
  JsonObject *input = find_entry (root, "input_1");
  JsonObject *con1 = find_entry (root, "con1");
  JsonObject *bn = find_entry (root, "batch_normalization");
  JsonObject *mer1 = find_entry (root, "mer1");
  g_autofree char *batch_shape = member_text (json_object_get_object_member (input, "config"),
                                              "batch_input_shape");
  g_autofree char *init = member_text (json_object_get_object_member (con1, "config"), "bias_initializer");
  g_autofree char *axis = member_text (json_object_get_object_member (bn, "config"), "axis");
  g_autofree char *inbound = member_text (mer1, "inbound_nodes");
  g_autofree char *inputs = member_text (config, "input_layers");
  g_autofree char *outputs = member_text (config, "output_layers");
  JsonObject *con1_config = json_object_get_object_member (con1, "config");

  g_assert_cmpstr (json_object_get_string_member (root, "class_name"), ==, "Functional");
  g_assert_cmpstr (json_object_get_string_member (root, "keras_version"), ==, "2.13.1");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (config, "layers")), ==, 10);
  g_assert_cmpstr (batch_shape, ==, "[null,128,128,3]");
  g_assert_cmpstr (json_object_get_string_member (con1, "class_name"), ==, "Conv2D");
  g_assert_cmpint (json_object_get_int_member (con1_config, "filters"), ==, 64);
  g_assert_cmpstr (json_object_get_string_member (con1_config, "padding"), ==, "same");
  g_assert_cmpstr (json_object_get_string_member (con1_config, "dtype"), ==, "float32");
  g_assert_cmpstr (init, ==, "{\"class_name\":\"Zeros\",\"config\":{}}");
  g_assert_cmpstr (axis, ==, "[3]");
  g_assert_cmpstr (inbound, ==, "[[[\"activation\",0,0,{}],[\"up1\",0,0,{}]]]");
  g_assert_cmpstr (inputs, ==, "[[\"input_1\",0,0]]");
  g_assert_cmpstr (outputs, ==, "[[\"mer2\",0,0]]");
}

static void
test_keras3_article (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(JsonObject) root = export_object (graph, NS_KERAS_LAYOUT_KERAS_3);
  JsonObject *input = find_entry (root, "input_1");
  JsonObject *con1 = find_entry (root, "con1");
  JsonObject *mer1 = find_entry (root, "mer1");
  g_autofree char *batch_shape = member_text (json_object_get_object_member (input, "config"), "batch_shape");
  g_autofree char *dtype = member_text (json_object_get_object_member (con1, "config"), "dtype");
  g_autofree char *init = member_text (json_object_get_object_member (con1, "config"), "bias_initializer");
  g_autofree char *build = member_text (mer1, "build_config");
  g_autofree char *inbound = member_text (mer1, "inbound_nodes");

  g_assert_cmpstr (json_object_get_string_member (root, "module"), ==, "keras.src.models.functional");
  g_assert_cmpstr (json_object_get_string_member (root, "registered_name"), ==, "Functional");
  g_assert_cmpstr (json_object_get_string_member (con1, "module"), ==, "keras.layers");
  g_assert_cmpstr (batch_shape, ==, "[null,128,128,3]");
  g_assert_cmpstr (dtype, ==, "{\"module\":\"keras\",\"class_name\":\"DTypePolicy\","
                              "\"config\":{\"name\":\"float32\"},\"registered_name\":null}");
  g_assert_cmpstr (init, ==, "{\"module\":\"keras.initializers\",\"class_name\":\"Zeros\","
                             "\"config\":{},\"registered_name\":null}");
  g_assert_cmpstr (build, ==, "{\"input_shape\":[[null,128,128,64],[null,128,128,64]]}");
  g_assert_cmpstr (inbound, ==,
                   "[{\"args\":[[{\"class_name\":\"__keras_tensor__\",\"config\":{\"shape\":[null,128,128,64],"
                   "\"dtype\":\"float32\",\"keras_history\":[\"activation\",0,0]}},"
                   "{\"class_name\":\"__keras_tensor__\",\"config\":{\"shape\":[null,128,128,64],"
                   "\"dtype\":\"float32\",\"keras_history\":[\"up1\",0,0]}}]],\"kwargs\":{}}]");
}

/* ---- Values Keras has no form for --------------------------------------------- */

static void
test_explicit_padding (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "input_1", "[9, 9, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");
  NsLayer *deconv = test_add_layer (graph, "Conv2DTranspose", "deconv");
  NsLayer *relu = test_add_layer (graph, "LeakyReLU", "leaky");
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonObject) root3 = NULL;
  g_autofree char *pad = NULL;
  g_autofree char *crop = NULL;
  g_autofree char *conv_inbound = NULL;
  g_autofree char *relu_inbound = NULL;

  test_set (graph, conv, "padding", "[1, 2]");
  test_set (graph, deconv, "padding", "[1, 1]");
  test_set (graph, deconv, "strides", "[2, 2]");
  test_set (graph, relu, "alpha", "0.1");
  test_connect (graph, input, conv, 0);
  test_connect (graph, conv, deconv, 0);
  test_connect (graph, deconv, relu, 0);
  test_assert_shape (conv, "(None, 9, 11, 32)");
  test_assert_shape (deconv, "(None, 17, 21, 32)");

  root = export_object (graph, NS_KERAS_LAYOUT_TF_KERAS_2);
  g_assert_cmpstr (json_object_get_string_member (find_entry (root, "conv_pad"), "class_name"), ==,
                   "ZeroPadding2D");
  pad = member_text (json_object_get_object_member (find_entry (root, "conv_pad"), "config"), "padding");
  g_assert_cmpstr (pad, ==, "[[1,1],[2,2]]");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (find_entry (root, "conv"), "config"),
                                                  "padding"), ==, "valid");
  conv_inbound = member_text (find_entry (root, "conv"), "inbound_nodes");
  g_assert_cmpstr (conv_inbound, ==, "[[[\"conv_pad\",0,0,{}]]]");
  crop = member_text (json_object_get_object_member (find_entry (root, "deconv_crop"), "config"), "cropping");
  g_assert_cmpstr (crop, ==, "[[1,1],[1,1]]");
  relu_inbound = member_text (find_entry (root, "leaky"), "inbound_nodes");
  g_assert_cmpstr (relu_inbound, ==, "[[[\"deconv_crop\",0,0,{}]]]");
  g_assert_true (json_object_has_member (json_object_get_object_member (find_entry (root, "leaky"), "config"),
                                         "alpha"));

  root3 = export_object (graph, NS_KERAS_LAYOUT_KERAS_3);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (find_entry (root3, "leaky"),
                                                                                   "config"),
                                                    "negative_slope"), ==, 0.1);
  g_assert_false (json_object_has_member (json_object_get_object_member (find_entry (root3, "leaky"), "config"),
                                          "alpha"));
}

static void
test_error_refused (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "input_1", "[8, 8, 3]");
  NsLayer *dense = test_add_layer (graph, "Conv2D", "too_big");
  NsLayer *after = test_add_layer (graph, "Flatten", "flatten");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *code = NULL;
  g_autofree char *tfjs = NULL;
  g_autoptr(GBytes) weights = NULL;

  test_set (graph, dense, "kernel_size", "[9, 9]");
  test_connect (graph, input, dense, 0);
  test_connect (graph, dense, after, 0);

  root = ns_keras_export_model (graph, NS_KERAS_LAYOUT_TF_KERAS_2, &error);
  g_assert_null (root);
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
  g_assert_true (g_str_has_prefix (error->message, "cannot export: layer too_big: "));
  g_clear_error (&error);
  code = ns_code_export_pytorch (graph, &error);
  g_assert_null (code);
  g_assert_true (g_str_has_prefix (error->message, "cannot export: layer too_big: "));
  g_clear_error (&error);
  tfjs = ns_tfjs_export_to_data (graph, "w.bin", &weights, &error);
  g_assert_null (tfjs);
  g_assert_null (weights);
  g_assert_true (g_str_has_prefix (error->message, "cannot export: layer too_big: "));
}

/* ---- Model kinds ------------------------------------------------------------- */

static NsGraph *
build_chain (void)
{
  NsGraph *graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "input_1", "[8, 8, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv2d");
  NsLayer *flatten = test_add_layer (graph, "Flatten", "flatten");
  NsLayer *dense = test_add_layer (graph, "Dense", "dense");

  test_set (graph, conv, "filters", "4");
  test_connect (graph, input, conv, 0);
  test_connect (graph, conv, flatten, 0);
  test_connect (graph, flatten, dense, 0);
  return graph;
}

static void
test_sequential (void)
{
  g_autoptr(NsGraph) graph = build_chain ();
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonObject) root3 = NULL;
  JsonArray *layers;
  g_autofree char *shape = NULL;
  g_autofree char *build = NULL;

  ns_graph_set_model_class (graph, "Sequential");
  root = export_object (graph, NS_KERAS_LAYOUT_TF_KERAS_2);
  g_assert_cmpstr (json_object_get_string_member (root, "class_name"), ==, "Sequential");
  layers = json_object_get_array_member (json_object_get_object_member (root, "config"), "layers");
  g_assert_cmpuint (json_array_get_length (layers), ==, 4);
  g_assert_false (json_object_has_member (json_array_get_object_element (layers, 1), "inbound_nodes"));
  shape = member_text (json_object_get_object_member (json_array_get_object_element (layers, 1), "config"),
                       "batch_input_shape");
  g_assert_cmpstr (shape, ==, "[null,8,8,3]");

  root3 = export_object (graph, NS_KERAS_LAYOUT_KERAS_3);
  g_assert_cmpstr (json_object_get_string_member (root3, "module"), ==, "keras");
  build = member_text (json_object_get_object_member (root3, "config"), "build_input_shape");
  g_assert_cmpstr (build, ==, "[null,8,8,3]");
}

static void
test_nested_and_opaque (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(NsGraph) inner = build_chain ();
  g_autoptr(NsLayer) nested = ns_layer_new (ns_layer_types_lookup ("Functional"), "nested", "backbone");
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(JsonNode) original = json_from_string ("{\"class_name\": \"MyScale\", \"config\": "
                                                   "{\"name\": \"old\", \"factor\": 2.5}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) root = NULL;
  NsLayer *input = test_add_input (graph, "image", "[8, 8, 3]");
  NsLayer *opaque;
  JsonObject *entry, *opaque_config;
  g_autofree char *inbound = NULL;

  ns_graph_set_name (inner, "backbone");
  ns_layer_set_subgraph (nested, inner);
  g_assert_true (ns_graph_add_layer (graph, nested, &error));
  g_assert_no_error (error);
  test_connect (graph, input, nested, 0);
  opaque = test_add_layer (graph, "OpaqueLayer", "scale");
  test_set (graph, opaque, "class_name", "\"MyScale\"");
  test_set (graph, opaque, "output_shape", "[10]");
  json_object_set_member (extra, NS_KERAS_EXTRA_ORIGINAL, json_node_ref (original));
  ns_layer_set_extra (opaque, extra);
  test_connect (graph, nested, opaque, 0);
  test_assert_shape (nested, "(None, 10)");

  root = export_object (graph, NS_KERAS_LAYOUT_TF_KERAS_2);
  entry = find_entry (root, "backbone");
  g_assert_cmpstr (json_object_get_string_member (entry, "class_name"), ==, "Functional");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_object_get_object_member (entry, "config"),
                                                                         "layers")), ==, 4);
  entry = find_entry (root, "scale");
  g_assert_cmpstr (json_object_get_string_member (entry, "class_name"), ==, "MyScale");
  opaque_config = json_object_get_object_member (entry, "config");
  g_assert_cmpfloat (json_object_get_double_member (opaque_config, "factor"), ==, 2.5);
  g_assert_cmpstr (json_object_get_string_member (opaque_config, "name"), ==, "scale");
  /* The layer's own copy keeps its name. */
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (original),
                                                                                 "config"), "name"), ==, "old");
  /* A model used as a layer is read at its node 1, as Keras numbers them. */
  inbound = member_text (entry, "inbound_nodes");
  g_assert_cmpstr (inbound, ==, "[[[\"backbone\",1,0,{}]]]");
}

/* ---- TensorFlow.js ------------------------------------------------------------- */

static void
test_tfjs_weights (void)
{
  g_autoptr(NsGraph) graph = build_chain ();
  NsLayer *conv = ns_graph_find_by_name (graph, "conv2d");
  NsLayer *dense = ns_graph_find_by_name (graph, "dense");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) weights = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *manifest = NULL;
  const NsShape kernel_shape = { 4, { 3, 3, 3, 4 } }, bias_shape = { 1, { 4 } };
  g_autoptr(GPtrArray) conv_weights = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_weight_free);
  float kernel[108], bias[4] = { 1, 2, 3, 4 };
  g_autoptr(GBytes) kernel_bytes = NULL;
  g_autoptr(GBytes) bias_bytes = g_bytes_new (bias, sizeof bias);

  for (guint i = 0; i < G_N_ELEMENTS (kernel); i++)
    kernel[i] = i * 0.5f;
  kernel_bytes = g_bytes_new (kernel, sizeof kernel);
  g_ptr_array_add (conv_weights, ns_weight_new ("kernel", &kernel_shape, kernel_bytes));
  g_ptr_array_add (conv_weights, ns_weight_new ("bias", &bias_shape, bias_bytes));
  ns_layer_set_weights (conv, conv_weights);

  /* The dense layer has parameters but no weights: half a model is refused. */
  text = ns_tfjs_export_to_data (graph, "model.weights.bin", &weights, &error);
  g_assert_null (text);
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
  g_assert_cmpstr (error->message, ==, "cannot export the weights: layer dense has parameters but no weights");
  g_clear_error (&error);

  ns_graph_remove_layer (graph, dense);
  text = ns_tfjs_export_to_data (graph, "model.weights.bin", &weights, &error);
  g_assert_no_error (error);
  g_assert_nonnull (weights);
  g_assert_cmpuint (g_bytes_get_size (weights), ==, sizeof kernel + sizeof bias);
  g_assert_cmpmem (g_bytes_get_data (weights, NULL), sizeof kernel, kernel, sizeof kernel);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "format"), ==, "layers-model");
  manifest = member_text (json_node_get_object (root), "weightsManifest");
  g_assert_cmpstr (manifest, ==,
                   "[{\"paths\":[\"model.weights.bin\"],\"weights\":["
                   "{\"name\":\"conv2d/kernel\",\"shape\":[3,3,3,4],\"dtype\":\"float32\"},"
                   "{\"name\":\"conv2d/bias\",\"shape\":[4],\"dtype\":\"float32\"}]}]");
}

/* ---- Python ------------------------------------------------------------------- */

static void
test_pytorch_padding (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "input_1", "[8, 8, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");
  NsLayer *pool = test_add_layer (graph, "MaxPooling2D", "pool");
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  test_set (graph, conv, "strides", "[2, 2]");
  test_set (graph, conv, "padding", "\"same\"");
  test_set (graph, conv, "activation", "\"relu\"");
  test_set (graph, pool, "padding", "\"same\"");
  test_set (graph, pool, "pool_size", "[2, 2]");
  test_set (graph, pool, "strides", "[1, 1]");
  test_connect (graph, input, conv, 0);
  test_connect (graph, conv, pool, 0);
  ns_graph_set_name (graph, "tiny net");

  code = ns_code_export_pytorch (graph, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (code, "class TinyNet(nn.Module):\n"));
  /* 8 → 4 with a 3×3 kernel, stride 2: one pixel of padding, after only. */
  g_assert_nonnull (strstr (code, "        self.conv = nn.Conv2d(3, 32, kernel_size=(3, 3), stride=(2, 2), "
                                  "padding=0, dilation=(1, 1), groups=1, bias=True)\n"));
  g_assert_nonnull (strstr (code, "        conv = F.relu(self.conv(F.pad(input_1, (0, 1, 0, 1))))\n"));
  g_assert_nonnull (strstr (code, "    def forward(self, input_1):\n"));
  g_assert_nonnull (strstr (code, "pool = self.pool(F.pad(conv, (0, 1, 0, 1), value=float(\"-inf\")))\n"));
}

static void
test_keras_py (void)
{
  g_autoptr(NsGraph) graph = test_build_article ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = ns_code_export_keras_py (graph, &error);

  g_assert_no_error (error);
  g_assert_nonnull (strstr (code, "input_1 = keras.Input(shape=[128, 128, 3], name=\"input_1\")\n"));
  g_assert_nonnull (strstr (code, "mer1 = layers.Concatenate(name=\"mer1\", trainable=True, axis=-1)([activation, up1])\n"));
  g_assert_nonnull (strstr (code, "model = keras.Model(inputs=[input_1], outputs=[mer2], name=\"model\")\n"));
}

/* ---- Round trips through the importer -------------------------------------------- */

static void
test_round_trips (void)
{
  g_autofree char *root_dir = g_test_build_filename (G_TEST_DIST, "fixtures", "keras", NULL);
  g_autoptr(GDir) dir = g_dir_open (root_dir, 0, NULL);
  const char *sources[] = { "keras.json", "keras3.json", "tfjs_topology.json" };
  guint n_checked = 0;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
      {
        g_autofree char *path = g_build_filename (root_dir, name, sources[s], NULL);
        g_autoptr(GFile) file = g_file_new_for_path (path);
        g_autoptr(GError) error = NULL;
        g_autoptr(NsGraph) graph = NULL;
        g_autofree char *summary = NULL;

        if (!g_file_test (path, G_FILE_TEST_EXISTS))
          continue;
        graph = ns_model_load (file, NULL, NULL, &error);
        if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
          {
            g_test_skip ("the Keras importer is not in this build yet");
            return;
          }
        g_assert_no_error (error);
        summary = ns_summary_format (graph, NS_SUMMARY_JSON);
        for (NsKerasLayout layout = NS_KERAS_LAYOUT_TF_KERAS_2; layout <= NS_KERAS_LAYOUT_KERAS_3; layout++)
          {
            g_autofree char *data = ns_keras_export_to_data (graph, layout, NULL, &error);
            g_autoptr(NsGraph) again = NULL;
            g_autofree char *summary_again = NULL;

            g_assert_no_error (error);
            again = ns_model_load_from_data (data, -1, path, &error);
            g_assert_no_error (error);
            summary_again = ns_summary_format (again, NS_SUMMARY_JSON);
            if (g_strcmp0 (summary, summary_again) != 0)
              g_test_message ("%s, layout %d: the summary changed", path, layout);
            g_assert_cmpstr (summary_again, ==, summary);
          }
        n_checked++;
      }
  if (n_checked == 0)
    g_test_skip ("no Keras JSON fixtures next to expected.json yet");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keras-export/tf-keras/article", test_tf_keras_article);
  g_test_add_func ("/keras-export/keras3/article", test_keras3_article);
  g_test_add_func ("/keras-export/explicit-padding", test_explicit_padding);
  g_test_add_func ("/keras-export/error-refused", test_error_refused);
  g_test_add_func ("/keras-export/sequential", test_sequential);
  g_test_add_func ("/keras-export/nested-and-opaque", test_nested_and_opaque);
  g_test_add_func ("/keras-export/tfjs-weights", test_tfjs_weights);
  g_test_add_func ("/code-export/pytorch-padding", test_pytorch_padding);
  g_test_add_func ("/code-export/keras-py", test_keras_py);
  g_test_add_func ("/keras-export/round-trips", test_round_trips);

  return g_test_run ();
}
