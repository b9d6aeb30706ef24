/* test-keras-import.c: the Keras / TensorFlow.js importer against TensorFlow.js
 * ground truth: every fixture's summary, every tfjs artifact's weights, shards
 * split mid-weight, and quantised weights decoded to exact values. */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ns-keras-import.h"
#include "ns-model-io.h"
#include "ns-summary.h"
#include "ns-tfjs-weights.h"

/* What tests/fixtures/keras holds: 502 cases, each with three model files
 * and expected.json; 501 with a tfjs/ artifact (vgg16 has none). */
#define N_CASES       502
#define N_TFJS_CASES  501

static char *
fixture_path (const char *first,
              ...)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) "fixtures");
  va_start (args, first);
  for (const char *p = first; p != NULL; p = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static JsonNode *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static NsGraph *
load_model (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  NsGraph *graph = ns_model_load (file, NULL, NULL, &error);

  if (graph == NULL)
    g_error ("%s: %s", path, error->message);
  return graph;
}

/* Compares the summary JSON of @graph with a case's expected.json, layer by
 * layer: name, class, output shape, params split, inbound layers; totals. */
static void
assert_summary_equals (NsGraph    *graph,
                       JsonObject *expected,
                       const char *what)
{
  g_autofree char *text = ns_summary_format (graph, NS_SUMMARY_JSON);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *got;
  JsonArray *got_layers, *want_layers;
  static const char *const counts[] = { "params", "trainable_params", "non_trainable_params" };
  static const char *const totals[][2] = {
    { "total_params", "total_params" },
    { "trainable_params", "trainable_params" },
    { "non_trainable_params", "non_trainable_params" },
  };

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  got = json_node_get_object (json_parser_get_root (parser));
  got_layers = json_object_get_array_member (got, "layers");
  want_layers = json_object_get_array_member (expected, "layers");
  if (json_array_get_length (got_layers) != json_array_get_length (want_layers))
    g_error ("%s: %u layers, Keras lists %u", what, json_array_get_length (got_layers),
             json_array_get_length (want_layers));

  for (guint i = 0; i < json_array_get_length (want_layers); i++)
    {
      JsonObject *g = json_array_get_object_element (got_layers, i);
      JsonObject *w = json_array_get_object_element (want_layers, i);
      g_autofree char *got_shape = json_to_string (json_object_get_member (g, "output_shape"), FALSE);
      g_autofree char *want_shape = json_to_string (json_object_get_member (w, "output_shape"), FALSE);
      g_autofree char *got_inputs = json_to_string (json_object_get_member (g, "inputs"), FALSE);
      g_autofree char *want_inputs = json_to_string (json_object_get_member (w, "inbound_layers"), FALSE);

      if (g_strcmp0 (json_object_get_string_member (g, "name"), json_object_get_string_member (w, "name")) != 0 ||
          g_strcmp0 (json_object_get_string_member (g, "type"), json_object_get_string_member (w, "class_name")) != 0 ||
          g_strcmp0 (got_shape, want_shape) != 0 || g_strcmp0 (got_inputs, want_inputs) != 0)
        g_error ("%s: layer %u is %s (%s) %s from %s; Keras says %s (%s) %s from %s", what, i,
                 json_object_get_string_member (g, "name"), json_object_get_string_member (g, "type"),
                 got_shape, got_inputs,
                 json_object_get_string_member (w, "name"), json_object_get_string_member (w, "class_name"),
                 want_shape, want_inputs);
      for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
        if (json_object_get_int_member (g, counts[c]) != json_object_get_int_member (w, counts[c]))
          g_error ("%s: layer %s has %s %" G_GINT64_FORMAT ", Keras says %" G_GINT64_FORMAT, what,
                   json_object_get_string_member (w, "name"), counts[c],
                   json_object_get_int_member (g, counts[c]), json_object_get_int_member (w, counts[c]));
    }
  for (guint t = 0; t < G_N_ELEMENTS (totals); t++)
    g_assert_cmpint (json_object_get_int_member (got, totals[t][0]), ==,
                     json_object_get_int_member (expected, totals[t][1]));
}

static void
test_fixture_summaries (void)
{
  static const char *const files[] = { "keras.json", "keras3.json", "tfjs_topology.json" };
  g_autofree char *root = fixture_path ("keras", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *entry;
  guint n_cases = 0, n_files = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *expected_path = g_build_filename (root, entry, "expected.json", NULL);
      g_autoptr(JsonNode) expected = NULL;

      if (!g_file_test (expected_path, G_FILE_TEST_EXISTS))
        continue;
      expected = load_json (expected_path);
      n_cases++;
      for (guint f = 0; f < G_N_ELEMENTS (files); f++)
        {
          g_autofree char *path = g_build_filename (root, entry, files[f], NULL);
          g_autofree char *what = g_build_filename (entry, files[f], NULL);
          g_autoptr(NsGraph) graph = NULL;

          /* A missing file fails the count below rather than passing silently. */
          if (!g_file_test (path, G_FILE_TEST_EXISTS))
            continue;
          graph = load_model (path);
          assert_summary_equals (graph, json_node_get_object (expected), what);
          g_assert_cmpstr (ns_graph_get_model_class (graph), ==,
                           json_object_get_string_member (json_node_get_object (expected), "model_class"));
          n_files++;
        }
    }
  g_assert_cmpuint (n_cases, ==, N_CASES);
  g_assert_cmpuint (n_files, ==, 3 * N_CASES);
}

/* ---- Weights ------------------------------------------------------------- */

static void
assert_layer_weights (NsGraph    *graph,
                      const char *what,
                      guint      *n_weighted)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (graph));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (graph), i);
      GPtrArray *weights = ns_layer_get_weights (layer);
      const NsLayerInfo *info = ns_layer_get_info (layer);
      const char *class_name = ns_layer_get_layer_type (layer)->keras_class;
      gint64 total = 0;

      g_assert_cmpint (info->state, ==, NS_LAYER_OK);
      if (info->params == 0)
        {
          g_assert_null (weights);
          continue;
        }
      if (weights == NULL)
        g_error ("%s: layer %s has %" G_GINT64_FORMAT " params but no weights", what,
                 ns_layer_get_name (layer), info->params);
      for (guint w = 0; w < weights->len; w++)
        total += ns_weight_get_n_values (g_ptr_array_index (weights, w));
      g_assert_cmpint (total, ==, info->params);
      (*n_weighted)++;

      /* The kernel is Keras' Fh×Fw×Cin×K, whatever order the manifest used. */
      if (g_strcmp0 (class_name, "Conv2D") == 0)
        {
          const NsWeight *kernel = g_ptr_array_index (weights, 0);
          const NsValue *size = ns_layer_get_value (layer, "kernel_size");
          const NsLayerInfo *in = ns_layer_get_info (ns_layer_get_input (layer, 0));

          g_assert_cmpstr (kernel->name, ==, "kernel");
          g_assert_cmpuint (kernel->shape.rank, ==, 4);
          g_assert_cmpint (kernel->shape.dims[0], ==, size->pair[0]);
          g_assert_cmpint (kernel->shape.dims[1], ==, size->pair[1]);
          g_assert_cmpint (kernel->shape.dims[2], ==, in->output.dims[2]);
          g_assert_cmpint (kernel->shape.dims[3], ==, ns_layer_get_value (layer, "filters")->integer);
        }
      if (g_strcmp0 (class_name, "BatchNormalization") == 0)
        {
          g_assert_cmpuint (weights->len, ==, 4);
          g_assert_cmpstr (((NsWeight *) g_ptr_array_index (weights, 2))->name, ==, "moving_mean");
          g_assert_cmpstr (((NsWeight *) g_ptr_array_index (weights, 3))->name, ==, "moving_variance");
        }
    }
}

static void
test_tfjs_weights (void)
{
  g_autofree char *root = fixture_path ("keras", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *entry;
  guint n_models = 0, n_weighted = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, entry, "tfjs", "model.json", NULL);
      g_autofree char *expected_path = g_build_filename (root, entry, "expected.json", NULL);
      g_autoptr(JsonNode) expected = NULL;
      g_autoptr(NsGraph) graph = NULL;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      graph = load_model (path);
      expected = load_json (expected_path);
      assert_summary_equals (graph, json_node_get_object (expected), path);
      assert_layer_weights (graph, path, &n_weighted);
      n_models++;
    }
  g_assert_cmpuint (n_models, ==, N_TFJS_CASES);
  /* Layers with weights across them all (pooling cases have none). */
  g_assert_cmpuint (n_weighted, ==, 363);
}

/* The first value of the seed network's first kernel, read straight from
 * the shard, is what the layer holds. */
static void
test_tfjs_values (void)
{
  g_autofree char *path = fixture_path ("keras", "seed", "tfjs", "model.json", NULL);
  g_autofree char *bin_path = fixture_path ("keras", "seed", "tfjs", "group1-shard1of1.bin", NULL);
  g_autoptr(NsGraph) graph = load_model (path);
  g_autofree char *bytes = NULL;
  gsize length;
  NsLayer *con1 = ns_graph_find_by_name (graph, "con1");
  const NsWeight *kernel;
  float first, last;

  g_assert_true (g_file_get_contents (bin_path, &bytes, &length, NULL));
  g_assert_cmpuint (length, ==, 351828);
  kernel = g_ptr_array_index (ns_layer_get_weights (con1), 0);
  memcpy (&first, bytes, sizeof first);
  g_assert_cmpfloat (ns_weight_get_values (kernel)[0], ==, first);
  /* tfjs writes trainable weights first: the moving variance ends the file,
   * yet it is the batch normalization's fourth weight, as in Keras. */
  memcpy (&last, bytes + length - 4, sizeof last);
  kernel = g_ptr_array_index (ns_layer_get_weights (ns_graph_find_by_name (graph, "batch_normalization")), 3);
  g_assert_cmpstr (kernel->name, ==, "moving_variance");
  g_assert_cmpfloat (ns_weight_get_values (kernel)[63], ==, last);
}

/* unet's artifact is split into 8 shards, with weights crossing their
 * boundaries: each such weight must equal the concatenated bytes. */
static void
test_tfjs_shard_boundaries (void)
{
  g_autofree char *path = fixture_path ("keras", "unet", "tfjs", "model.json", NULL);
  g_autofree char *dir = fixture_path ("keras", "unet", "tfjs", NULL);
  g_autoptr(NsGraph) graph = load_model (path);
  g_autoptr(JsonNode) model = load_json (path);
  JsonObject *group = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (model), "weightsManifest"), 0);
  JsonArray *paths = json_object_get_array_member (group, "paths");
  JsonArray *weights = json_object_get_array_member (group, "weights");
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize offset = 0;
  guint n_crossing = 0;

  g_assert_cmpuint (json_array_get_length (paths), ==, 8);
  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      g_autofree char *shard = g_build_filename (dir, json_array_get_string_element (paths, i), NULL);
      g_autofree char *data = NULL;
      gsize length, end;

      g_assert_true (g_file_get_contents (shard, &data, &length, NULL));
      g_byte_array_append (all, (guint8 *) data, length);
      end = all->len;
      g_array_append_val (ends, end);
    }

  for (guint i = 0; i < json_array_get_length (weights); i++)
    {
      JsonObject *spec = json_array_get_object_element (weights, i);
      JsonArray *shape = json_object_get_array_member (spec, "shape");
      g_auto(GStrv) parts = g_strsplit (json_object_get_string_member (spec, "name"), "/", -1);
      gsize n_values = 1, size;
      gboolean crosses = FALSE;
      NsLayer *layer;
      GPtrArray *layer_weights;
      const NsWeight *weight = NULL;

      for (guint d = 0; d < json_array_get_length (shape); d++)
        n_values *= json_array_get_int_element (shape, d);
      size = n_values * 4;
      for (guint e = 0; e + 1 < ends->len; e++)
        if (offset < g_array_index (ends, gsize, e) && offset + size > g_array_index (ends, gsize, e))
          crosses = TRUE;
      if (crosses)
        {
          layer = ns_graph_find_by_name (graph, parts[g_strv_length (parts) - 2]);
          g_assert_nonnull (layer);
          layer_weights = ns_layer_get_weights (layer);
          for (guint w = 0; w < layer_weights->len; w++)
            if (g_strcmp0 (((NsWeight *) g_ptr_array_index (layer_weights, w))->name,
                           parts[g_strv_length (parts) - 1]) == 0)
              weight = g_ptr_array_index (layer_weights, w);
          g_assert_nonnull (weight);
          g_assert_cmpint (ns_weight_get_n_values (weight), ==, n_values);
          g_assert_cmpmem (ns_weight_get_values (weight), size, all->data + offset, size);
          n_crossing++;
        }
      offset += size;
    }
  g_assert_cmpuint (offset, ==, all->len);
  g_assert_cmpuint (n_crossing, >=, 1);
}

/* ---- Hand-made manifests ------------------------------------------------- */

/* A Sequential Dense(2) over 3 inputs: kernel 3×2 and bias 2, with the
 * manifest entries @weights_json and the shards @files written to a
 * fresh folder. Returns the graph or NULL with @error set. */
static NsGraph *
load_dense_model (const char  *weights_json,
                  const char  *paths_json,
                  const char **file_names,
                  const guint8 **file_data,
                  const gsize *file_sizes,
                  GError     **error)
{
  g_autofree char *dir = g_dir_make_tmp ("ns-tfjs-XXXXXX", NULL);
  g_autoptr(GFile) base = g_file_new_for_path (dir);
  g_autofree char *model = g_strdup_printf (
    "{\"modelTopology\": {\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
    "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 2, \"batch_input_shape\": [null, 3]}}]}},"
    " \"weightsManifest\": [{\"paths\": %s, \"weights\": %s}]}", paths_json, weights_json);
  NsGraph *graph;

  for (guint i = 0; file_names != NULL && file_names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, file_names[i], NULL);
      g_assert_true (g_file_set_contents (path, (const char *) file_data[i], file_sizes[i], NULL));
    }
  graph = ns_keras_import_from_data (model, -1, "model.json", base, error);
  for (guint i = 0; file_names != NULL && file_names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, file_names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  return graph;
}

static const NsWeight *
weight_of (NsGraph    *graph,
           const char *layer,
           guint       index)
{
  GPtrArray *weights = ns_layer_get_weights (ns_graph_find_by_name (graph, layer));

  g_assert_nonnull (weights);
  return g_ptr_array_index (weights, index);
}

static void
test_quantised_weights (void)
{
  /* uint8 kernel: min + scale·q with scale 0.5, min −1; uint16 bias with
   * scale 0.001, min −2. Both as tfjs' decodeWeights computes them. */
  static const guint8 shard[] = { 0, 1, 2, 3, 4, 255, 0x00, 0x00, 0xff, 0xff };
  const char *names[] = { "group1-shard1of1.bin", NULL };
  const guint8 *data[] = { shard };
  const gsize sizes[] = { sizeof shard };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = load_dense_model (
    "[{\"name\": \"dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\","
    "  \"quantization\": {\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -1}},"
    " {\"name\": \"dense/bias\", \"shape\": [2], \"dtype\": \"float32\","
    "  \"quantization\": {\"dtype\": \"uint16\", \"scale\": 0.001, \"min\": -2}}]",
    "[\"group1-shard1of1.bin\"]", names, data, sizes, &error);
  const float want_kernel[] = { -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 126.5f };
  const float *kernel, *bias;

  g_assert_no_error (error);
  kernel = ns_weight_get_values (weight_of (graph, "dense", 0));
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (kernel[i], ==, want_kernel[i]);
  bias = ns_weight_get_values (weight_of (graph, "dense", 1));
  g_assert_cmpfloat (bias[0], ==, -2.0f);
  g_assert_cmpfloat (bias[1], ==, (float) (65535 * 0.001 + -2.0));
}

static void
test_float16_weights (void)
{
  /* 1, −2, 1/3 rounded, the smallest subnormal, the largest half, −0;
   * then the bias as plain float32 0.25 and −8. */
  static const guint8 shard[] = {
    0x00, 0x3c, 0x00, 0xc0, 0x55, 0x35, 0x01, 0x00, 0xff, 0x7b, 0x00, 0x80,
    0x00, 0x00, 0x80, 0x3e, 0x00, 0x00, 0x00, 0xc1,
  };
  const char *names[] = { "a.bin", NULL };
  const guint8 *data[] = { shard };
  const gsize sizes[] = { sizeof shard };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = load_dense_model (
    "[{\"name\": \"dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\","
    "  \"quantization\": {\"dtype\": \"float16\"}},"
    " {\"name\": \"dense/bias\", \"shape\": [2], \"dtype\": \"float32\"}]",
    "[\"a.bin\"]", names, data, sizes, &error);
  const float *kernel;

  g_assert_no_error (error);
  kernel = ns_weight_get_values (weight_of (graph, "dense", 0));
  g_assert_cmpfloat (kernel[0], ==, 1.0f);
  g_assert_cmpfloat (kernel[1], ==, -2.0f);
  g_assert_cmpfloat (kernel[2], ==, 0.333251953125f);
  g_assert_cmpfloat (kernel[3], ==, 5.9604644775390625e-8f);
  g_assert_cmpfloat (kernel[4], ==, 65504.0f);
  g_assert_cmpfloat (kernel[5], ==, 0.0f);
  g_assert_true (signbit (kernel[5]));
  g_assert_cmpfloat (ns_weight_get_values (weight_of (graph, "dense", 1))[0], ==, 0.25f);
  g_assert_cmpfloat (ns_weight_get_values (weight_of (graph, "dense", 1))[1], ==, -8.0f);
}

/* Weight names with a model prefix or a ":0" suffix, and a weight split
 * over two shards in the middle of its bytes. */
static void
test_weight_names_and_split (void)
{
  static const guint8 first[10] = { 0 };
  static const guint8 second[22] = { [20] = 0x80, [21] = 0x3f };
  const char *names[] = { "p1.bin", "p2.bin", NULL };
  const guint8 *data[] = { first, second };
  const gsize sizes[] = { sizeof first, sizeof second };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = load_dense_model (
    "[{\"name\": \"sequential/dense/bias:0\", \"shape\": [2], \"dtype\": \"float32\"},"
    " {\"name\": \"model/dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\"}]",
    "[\"p1.bin\", \"p2.bin\"]", names, data, sizes, &error);

  g_assert_no_error (error);
  /* Keras' order (kernel, bias), whatever the manifest's. */
  g_assert_cmpstr (weight_of (graph, "dense", 0)->name, ==, "kernel");
  g_assert_cmpstr (weight_of (graph, "dense", 1)->name, ==, "bias");
  g_assert_cmpfloat (ns_weight_get_values (weight_of (graph, "dense", 0))[5], ==, 1.0f);
}

/* A manifest cannot make Netsketch read files outside the model's folder. */
static void
test_weight_path_outside (void)
{
  const char *names[] = { "w.bin", NULL };
  static const guint8 bytes[32] = { 0 };
  const guint8 *data[] = { bytes };
  const gsize sizes[] = { sizeof bytes };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = load_dense_model (
    "[{\"name\": \"dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\"},"
    " {\"name\": \"dense/bias\", \"shape\": [2], \"dtype\": \"float32\"}]",
    "[\"../../../etc/hostname\"]", names, data, sizes, &error);

  g_assert_null (graph);
  g_assert_nonnull (strstr (error->message, "weightsManifest[0].paths[0]: weight file "
                                            "../../../etc/hostname is outside the model’s folder"));
}

static void
assert_weights_error (const char  *weights_json,
                      const guint8 *shard,
                      gsize        size,
                      const char  *message)
{
  const char *names[] = { "w.bin", NULL };
  const guint8 *data[] = { shard };
  const gsize sizes[] = { size };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsGraph) graph = load_dense_model (weights_json, "[\"w.bin\"]",
                                               shard != NULL ? names : NULL, data, sizes, &error);

  g_assert_null (graph);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_weight_errors (void)
{
  static const guint8 bytes[40] = { 0 };
  const char *good =
    "[{\"name\": \"dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\"},"
    " {\"name\": \"dense/bias\", \"shape\": [2], \"dtype\": \"float32\"}]";

  assert_weights_error (good, NULL, 0,
                        "model.json:1:224: weightsManifest[0].paths[0]: weight file w.bin is missing");
  assert_weights_error (good, bytes, 28,
                        "model.json:1:309: weightsManifest[0].weights[1]: weight file w.bin is too short: "
                        "weight dense/bias needs bytes 24–32 of the group, which has 28");
  assert_weights_error (good, bytes, 36,
                        "model.json:1:245: weightsManifest[0]: weight file w.bin is too long: 36 bytes, "
                        "but the weights end at 32 (after dense/bias)");
  assert_weights_error ("[{\"name\": \"dense/kernel\", \"shape\": [2, 3], \"dtype\": \"float32\"},"
                        " {\"name\": \"dense/bias\", \"shape\": [2], \"dtype\": \"float32\"}]", bytes, 32,
                        "model.json:1:246: weight dense/kernel has shape [2, 3], but layer dense expects [3, 2]");
  assert_weights_error ("[{\"name\": \"dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\"},"
                        " {\"name\": \"conv/bias\", \"shape\": [2], \"dtype\": \"float32\"}]", bytes, 32,
                        "model.json:1:309: weight conv/bias: no layer of the model is named so");
  assert_weights_error ("[{\"name\": \"dense/kernel\", \"shape\": [3, 2], \"dtype\": \"float32\","
                        "  \"quantization\": {\"dtype\": \"uint8\"}}]", bytes, 6,
                        "model.json:1:325: weightsManifest[0].weights[0]: weight dense/kernel: "
                        "uint8 quantisation needs numbers \"scale\" and \"min\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keras-import/fixtures", test_fixture_summaries);
  g_test_add_func ("/keras-import/tfjs/weights", test_tfjs_weights);
  g_test_add_func ("/keras-import/tfjs/values", test_tfjs_values);
  g_test_add_func ("/keras-import/tfjs/shard-boundaries", test_tfjs_shard_boundaries);
  g_test_add_func ("/keras-import/tfjs/quantised", test_quantised_weights);
  g_test_add_func ("/keras-import/tfjs/float16", test_float16_weights);
  g_test_add_func ("/keras-import/tfjs/names-and-split", test_weight_names_and_split);
  g_test_add_func ("/keras-import/tfjs/errors", test_weight_errors);
  g_test_add_func ("/keras-import/tfjs/outside-folder", test_weight_path_outside);
  return g_test_run ();
}
