/* test-layers.c: every layer type of the catalog on a tiny graph: exact output
 * shapes, parameter splits, descriptions and error messages, hand-checked. */
#include "config.h"

#include <string.h>

#include "ns-graph.h"

/* ---- Helpers ------------------------------------------------------------- */

static void
set_json (NsGraph    *graph,
          NsLayer    *layer,
          const char *key,
          const char *json)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  int index = ns_layer_type_find_prop (type, key);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  NsValue value;

  if (index < 0)
    g_error ("%s has no property %s", type->keras_class, key);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  ns_value_from_json (&type->props[index], node, &value, &error);
  g_assert_no_error (error);
  ns_graph_set_value (graph, layer, key, &value, &error);
  g_assert_no_error (error);
}

/* Adds a layer of @keras_class fed by @sources (NULL-terminated in port order)
 * and configured by key, JSON pairs after it. */
static NsLayer *
add_layer_v (NsGraph     *graph,
             const char  *keras_class,
             NsLayer    **sources,
             va_list      args)
{
  const NsLayerType *type = ns_layer_types_lookup (keras_class);
  g_autoptr(GError) error = NULL;
  const char *key;
  NsLayer *layer;

  g_assert_nonnull (type);
  layer = ns_graph_add_new_layer (graph, type, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (layer);

  while ((key = va_arg (args, const char *)) != NULL)
    set_json (graph, layer, key, va_arg (args, const char *));

  for (guint port = 0; sources != NULL && sources[port] != NULL; port++)
    {
      ns_graph_connect (graph, sources[port], layer, port, &error);
      g_assert_no_error (error);
    }
  return layer;
}

static NsLayer *
add_layer (NsGraph    *graph,
           const char *keras_class,
           NsLayer    *source,
           ...)
{
  NsLayer *sources[2] = { source, NULL };
  NsLayer *layer;
  va_list args;

  va_start (args, source);
  layer = add_layer_v (graph, keras_class, sources, args);
  va_end (args);
  return layer;
}

static NsLayer *
add_merge (NsGraph    *graph,
           const char *keras_class,
           NsLayer   **sources,
           ...)
{
  NsLayer *layer;
  va_list args;

  va_start (args, sources);
  layer = add_layer_v (graph, keras_class, sources, args);
  va_end (args);
  return layer;
}

static NsLayer *
add_input (NsGraph    *graph,
           const char *shape)
{
  return add_layer (graph, "InputLayer", NULL, "shape", shape, NULL);
}

static void
assert_layer (NsLayer    *layer,
              const char *shape,
              gint64      trainable,
              gint64      non_trainable)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  g_autofree char *text = NULL;

  if (info->state != NS_LAYER_OK)
    g_error ("%s: %s", ns_layer_get_name (layer), info->message);
  text = ns_shape_to_keras (&info->output);
  g_assert_cmpstr (text, ==, shape);
  g_assert_cmpint (info->trainable_params, ==, trainable);
  g_assert_cmpint (info->non_trainable_params, ==, non_trainable);
  g_assert_cmpint (info->params, ==, trainable + non_trainable);
}

static void
assert_describe (NsLayer    *layer,
                 const char *expected)
{
  g_autofree char *text = ns_layer_describe (layer);

  g_assert_cmpstr (text, ==, expected);
}

/* The layer is in error with @fragment in its message, and its type's infer
 * reports the same message as an NS_ERROR of @code. */
static void
assert_layer_error (NsLayer    *layer,
                    gint        code,
                    const char *fragment)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsLayerInfo *info = ns_layer_get_info (layer);
  const NsShape *shapes[8];
  g_autoptr(GError) error = NULL;
  NsInferResult result = { 0 };
  NsInferInput in = { 0 };

  g_assert_cmpint (info->state, ==, NS_LAYER_ERROR);
  g_assert_nonnull (info->message);
  if (g_strstr_len (info->message, -1, fragment) == NULL)
    g_error ("message “%s” lacks “%s”", info->message, fragment);

  g_assert_cmpuint (ns_layer_get_n_inputs (layer), <=, G_N_ELEMENTS (shapes));
  for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
    shapes[in.n_inputs++] = &ns_layer_get_info (ns_layer_get_input (layer, port))->output;
  in.type = type;
  in.values = ns_layer_get_values (layer);
  in.inputs = shapes;
  g_assert_false (type->infer (&in, &result, &error));
  g_assert_error (error, NS_ERROR, code);
  g_assert_cmpstr (error->message, ==, info->message);
}

/* The explanation's text holds @fragment. */
static void
assert_explains (NsLayer    *layer,
                 const char *fragment)
{
  g_autoptr(NsExplanation) explanation = ns_layer_explain (layer);
  g_autofree char *text = NULL;

  g_assert_nonnull (explanation);
  text = ns_explanation_to_text (explanation);
  if (g_strstr_len (text, -1, fragment) == NULL)
    g_error ("explanation “%s” lacks “%s”", text, fragment);
}

/* ---- Catalog --------------------------------------------------------------- */

static void
test_catalog_complete (void)
{
  static const char *const issue_2[] = {
    "InputLayer", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D", "SeparableConv2D",
    "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
    "UpSampling2D", "ZeroPadding2D", "Cropping2D", "BatchNormalization",
    "LayerNormalization", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax",
    "Dropout", "SpatialDropout2D", "GaussianNoise", "Dense", "Flatten", "Reshape", "Permute",
    "RepeatVector", "Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum",
    "Minimum",
  };
  guint n_types = 0;
  const NsLayerType *const *types = ns_layer_types_get_all (&n_types);

  g_assert_cmpuint (n_types, >=, G_N_ELEMENTS (issue_2));
  for (guint i = 0; i < G_N_ELEMENTS (issue_2); i++)
    {
      gboolean found = FALSE;

      for (guint t = 0; t < n_types && !found; t++)
        found = g_str_equal (types[t]->keras_class, issue_2[i]);
      if (!found)
        g_error ("%s is not in the catalog", issue_2[i]);
      g_assert_true (ns_layer_types_lookup (issue_2[i]) != NULL);
    }

  g_assert_true (ns_layer_types_lookup ("Deconvolution2D") ==
                 ns_layer_types_lookup ("Conv2DTranspose"));
  g_assert_null (ns_layer_types_lookup ("NoSuchLayer"));
}

/* Every declaration is complete and its props are found by their Keras keys. */
static void
test_catalog_declarations (void)
{
  guint n_types = 0;
  const NsLayerType *const *types = ns_layer_types_get_all (&n_types);

  for (guint t = 0; t < n_types; t++)
    {
      const NsLayerType *type = types[t];

      g_assert_nonnull (type->keras_class);
      g_assert_nonnull (type->label);
      g_assert_nonnull (type->description);
      g_assert_nonnull (type->default_name);
      g_assert_nonnull (type->infer);
      g_assert_nonnull (type->explain);
      g_assert_cmpuint (type->min_inputs, <=, type->max_inputs);
      g_assert_true (ns_layer_types_lookup (type->keras_class) == type);
      g_assert_nonnull (ns_layer_type_get_defaults (type));
      for (guint p = 0; p < type->n_props; p++)
        g_assert_cmpint (ns_layer_type_find_prop (type, type->props[p].key), ==, p);
    }
}

/* Keras' automatic names: the class name in snake case, numbered from _1. */
static void
test_catalog_default_names (void)
{
  static const char *const names[][2] = {
    { "MaxPooling2D", "max_pooling2d" }, { "AveragePooling2D", "average_pooling2d" },
    { "GlobalAveragePooling2D", "global_average_pooling2d" },
    { "GlobalMaxPooling2D", "global_max_pooling2d" }, { "UpSampling2D", "up_sampling2d" },
    { "ZeroPadding2D", "zero_padding2d" }, { "Cropping2D", "cropping2d" },
    { "Flatten", "flatten" }, { "Reshape", "reshape" }, { "Permute", "permute" },
    { "RepeatVector", "repeat_vector" }, { "BatchNormalization", "batch_normalization" },
    { "LayerNormalization", "layer_normalization" }, { "Activation", "activation" },
    { "ReLU", "re_lu" }, { "LeakyReLU", "leaky_re_lu" }, { "PReLU", "p_re_lu" },
    { "ELU", "elu" }, { "Softmax", "softmax" }, { "Concatenate", "concatenate" },
    { "Add", "add" }, { "Subtract", "subtract" }, { "Multiply", "multiply" },
    { "Average", "average" }, { "Maximum", "maximum" }, { "Minimum", "minimum" },
  };
  g_autoptr(NsGraph) graph = ns_graph_new ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *second = g_strdup_printf ("%s_1", names[i][1]);

      g_assert_cmpstr (ns_layer_types_lookup (names[i][0])->default_name, ==, names[i][1]);
      g_assert_cmpstr (ns_layer_get_name (add_layer (graph, names[i][0], NULL, NULL)), ==,
                       names[i][1]);
      g_assert_cmpstr (ns_layer_get_name (add_layer (graph, names[i][0], NULL, NULL)), ==,
                       second);
    }
}

/* ---- Core and convolution (the lead's families) ------------------------------ */

static void
test_core (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 8, 3]");
  NsLayer *flatten = add_layer (graph, "Flatten", input, NULL);
  NsLayer *dense = add_layer (graph, "Dense", flatten, "units", "10", NULL);
  NsLayer *dense_nobias = add_layer (graph, "Dense", flatten, "units", "10",
                                     "use_bias", "false", NULL);

  assert_layer (input, "(None, 8, 8, 3)", 0, 0);
  assert_layer (dense, "(None, 10)", 1930, 0);           /* (192 + 1) × 10 */
  assert_layer (dense_nobias, "(None, 10)", 1920, 0);
  g_assert_cmpstr (ns_layer_get_name (dense), ==, "dense");
  g_assert_cmpstr (ns_layer_get_name (dense_nobias), ==, "dense_1");

  assert_layer (add_layer (graph, "Dropout", input, "rate", "0.25", NULL),
                "(None, 8, 8, 3)", 0, 0);
  assert_layer (add_layer (graph, "SpatialDropout2D", input, NULL), "(None, 8, 8, 3)", 0, 0);
  assert_layer (add_layer (graph, "GaussianNoise", input, "stddev", "0.1", NULL),
                "(None, 8, 8, 3)", 0, 0);
}

static void
test_convolutions (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 8, 3]");

  /* (3·3·3 + 1)·16 = 448 */
  assert_layer (add_layer (graph, "Conv2D", input, "filters", "16", "kernel_size", "3",
                           "padding", "\"same\"", NULL),
                "(None, 8, 8, 16)", 448, 0);
  /* ⌊(8 − 3)/2⌋ + 1 = 3 */
  assert_layer (add_layer (graph, "Conv2D", input, "filters", "16", "kernel_size", "3",
                           "strides", "2", NULL),
                "(None, 3, 3, 16)", 448, 0);
  /* Keras same: 8·2; valid: 8·2 + max(3 − 2, 0) = 17; (3·3·3 + 1)·4 = 112 */
  assert_layer (add_layer (graph, "Conv2DTranspose", input, "filters", "4", "kernel_size", "3",
                           "strides", "2", "padding", "\"same\"", NULL),
                "(None, 16, 16, 4)", 112, 0);
  assert_layer (add_layer (graph, "Conv2DTranspose", input, "filters", "4", "kernel_size", "3",
                           "strides", "2", NULL),
                "(None, 17, 17, 4)", 112, 0);
  /* 3·3·3·2 + 3·2 = 60 */
  assert_layer (add_layer (graph, "DepthwiseConv2D", input, "kernel_size", "3",
                           "depth_multiplier", "2", NULL),
                "(None, 6, 6, 6)", 60, 0);
  /* depthwise 3·3·3 = 27, pointwise 3·8 = 24, bias 8 */
  assert_layer (add_layer (graph, "SeparableConv2D", input, "filters", "8", "kernel_size", "3",
                           NULL),
                "(None, 6, 6, 8)", 59, 0);
}

/* ---- Pooling ----------------------------------------------------------------- */

static void
test_pooling (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 8, 3]");
  NsLayer *odd = add_input (graph, "[7, 9, 3]");
  NsLayer *max = add_layer (graph, "MaxPooling2D", input, NULL);
  NsLayer *avg = add_layer (graph, "AveragePooling2D", odd, "pool_size", "[2, 3]", NULL);
  NsLayer *same = add_layer (graph, "MaxPooling2D", odd, "pool_size", "3", "strides", "2",
                             "padding", "\"same\"", NULL);
  NsLayer *explicit = add_layer (graph, "AveragePooling2D", input, "pool_size", "3",
                                 "strides", "2", "padding", "[1, 1]", NULL);
  NsLayer *valid = add_layer (graph, "MaxPooling2D", odd, "pool_size", "3", "strides", "2", NULL);

  /* Strides null = the pool size. */
  assert_layer (max, "(None, 4, 4, 3)", 0, 0);
  assert_describe (max, "2×2 /2 valid");
  g_assert_cmpint (ns_layer_get_info (max)->flops, ==, 4 * 4 * 3 * 4);
  assert_explains (max, "⌊(8 − 2) / 2⌋ + 1");
  /* ⌊(7 − 2)/2⌋ + 1 = 3, ⌊(9 − 3)/3⌋ + 1 = 3 */
  assert_layer (avg, "(None, 3, 3, 3)", 0, 0);
  assert_describe (avg, "2×3 /2×3 valid");
  /* ⌈7/2⌉ = 4, ⌈9/2⌉ = 5 */
  assert_layer (same, "(None, 4, 5, 3)", 0, 0);
  assert_describe (same, "3×3 /2 same");
  /* ⌊(8 + 2 − 3)/2⌋ + 1 = 4 */
  assert_layer (explicit, "(None, 4, 4, 3)", 0, 0);
  assert_describe (explicit, "3×3 /2 pad 1×1");
  /* ⌊(7 − 3)/2⌋ + 1 = 3, ⌊(9 − 3)/2⌋ + 1 = 4 */
  assert_layer (valid, "(None, 3, 4, 3)", 0, 0);

  assert_layer (add_layer (graph, "GlobalAveragePooling2D", input, NULL), "(None, 3)", 0, 0);
  assert_layer (add_layer (graph, "GlobalAveragePooling2D", input, "keepdims", "true", NULL),
                "(None, 1, 1, 3)", 0, 0);
  assert_layer (add_layer (graph, "GlobalMaxPooling2D", odd, NULL), "(None, 3)", 0, 0);
  g_assert_true (ns_layer_get_info (add_layer (graph, "GlobalMaxPooling2D", odd, NULL))->rf_global);
}

static void
test_pooling_errors (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[3, 8, 2]");
  NsLayer *flat = add_input (graph, "[10]");

  assert_layer_error (add_layer (graph, "MaxPooling2D", input, "pool_size", "5", NULL),
                      NS_ERROR_SHAPE, "3×8");
  assert_layer_error (add_layer (graph, "AveragePooling2D", flat, NULL),
                      NS_ERROR_SHAPE, "(None, 10)");
  assert_layer_error (add_layer (graph, "GlobalMaxPooling2D", flat, NULL),
                      NS_ERROR_SHAPE, "(None, 10)");
}

/* ---- Resizing ----------------------------------------------------------------- */

static void
test_resize (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 9, 3]");
  NsLayer *fixture = add_input (graph, "[16, 11, 4]");
  NsLayer *vector = add_input (graph, "[5]");
  NsLayer *up = add_layer (graph, "UpSampling2D", input, "size", "[2, 3]", NULL);
  NsLayer *pad = add_layer (graph, "ZeroPadding2D", fixture, "padding", "[[1, 2], [0, 2]]", NULL);
  NsLayer *crop = add_layer (graph, "Cropping2D", pad, "cropping", "[[1, 1], [1, 1]]", NULL);
  NsLayer *reshape = add_layer (graph, "Reshape", input, "target_shape", "[-1, 8]", NULL);
  NsLayer *permute = add_layer (graph, "Permute", input, "dims", "[2, 1, 3]", NULL);
  NsLayer *repeat = add_layer (graph, "RepeatVector", vector, "n", "3", NULL);

  assert_layer (up, "(None, 16, 27, 3)", 0, 0);
  assert_describe (up, "×2, ×3 nearest");
  g_assert_cmpfloat (ns_layer_get_info (up)->effective_stride[0], ==, 0.5);
  assert_describe (add_layer (graph, "UpSampling2D", input, "interpolation", "\"bilinear\"", NULL),
                   "×2 bilinear");
  /* random_00: (16, 11) padded by (1, 2) and (0, 2), then cropped by 1 all round. */
  assert_layer (pad, "(None, 19, 13, 4)", 0, 0);
  assert_explains (pad, "16 + 1 + 2");
  assert_layer (crop, "(None, 17, 11, 4)", 0, 0);
  assert_describe (crop, "crop 1");
  assert_layer (add_layer (graph, "ZeroPadding2D", input, NULL), "(None, 10, 11, 3)", 0, 0);
  assert_layer (add_layer (graph, "Cropping2D", input, "cropping", "[1, 2]", NULL),
                "(None, 6, 5, 3)", 0, 0);

  assert_layer (add_layer (graph, "Flatten", input, NULL), "(None, 216)", 0, 0);
  assert_layer (reshape, "(None, 27, 8)", 0, 0);
  assert_explains (reshape, "216 / 8");
  assert_describe (reshape, "→ (−1, 8)");
  /* random_02: (4, 2, 13) → (4, 26, 1) */
  assert_layer (add_layer (graph, "Reshape",
                           add_layer (graph, "InputLayer", NULL, "shape", "[4, 2, 13]", NULL),
                           "target_shape", "[4, 26, 1]", NULL),
                "(None, 4, 26, 1)", 0, 0);
  assert_layer (permute, "(None, 9, 8, 3)", 0, 0);
  assert_layer (add_layer (graph, "Permute", input, "dims", "[3, 1, 2]", NULL),
                "(None, 3, 8, 9)", 0, 0);
  assert_layer (repeat, "(None, 3, 5)", 0, 0);
  assert_describe (repeat, "×3");
}

static void
test_resize_unknown_dims (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[null, 8, 3]");

  assert_layer (add_layer (graph, "UpSampling2D", input, NULL), "(None, None, 16, 3)", 0, 0);
  assert_layer (add_layer (graph, "ZeroPadding2D", input, NULL), "(None, None, 10, 3)", 0, 0);
  assert_layer (add_layer (graph, "Flatten", input, NULL), "(None, None)", 0, 0);
  assert_layer (add_layer (graph, "Reshape", input, "target_shape", "[-1, 3]", NULL),
                "(None, None, 3)", 0, 0);
  assert_layer (add_layer (graph, "MaxPooling2D", input, NULL), "(None, None, 4, 3)", 0, 0);
}

static void
test_resize_errors (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 8, 3]");

  assert_layer_error (add_layer (graph, "Cropping2D", input, "cropping", "[[5, 4], [0, 0]]", NULL),
                      NS_ERROR_SHAPE, "cropping 5 + 4 rows from a height of 8 leaves −1");
  assert_layer_error (add_layer (graph, "Cropping2D", input, "cropping", "[[0, 0], [4, 4]]", NULL),
                      NS_ERROR_SHAPE, "cropping 4 + 4 columns from a width of 8 leaves 0");
  assert_layer_error (add_layer (graph, "Reshape", input, "target_shape", "[5, 5]", NULL),
                      NS_ERROR_SHAPE,
                      "target shape (5, 5) has 25 elements, the input (None, 8, 8, 3) has 192");
  assert_layer_error (add_layer (graph, "Reshape", input, "target_shape", "[-1, 5]", NULL),
                      NS_ERROR_SHAPE, "192 elements are not a multiple of 5");
  assert_layer_error (add_layer (graph, "Reshape", input, "target_shape", "[-1, -1]", NULL),
                      NS_ERROR_INVALID_VALUE, "more than one −1");
  assert_layer_error (add_layer (graph, "Permute", input, "dims", "[1, 1, 3]", NULL),
                      NS_ERROR_INVALID_VALUE, "dims (1, 1, 3) is not a permutation of 1…3");
  assert_layer_error (add_layer (graph, "Permute", input, "dims", "[2, 1]", NULL),
                      NS_ERROR_SHAPE, "dims (2, 1) has 2 entries");
  assert_layer_error (add_layer (graph, "RepeatVector", input, NULL),
                      NS_ERROR_SHAPE, "(None, 8, 8, 3)");
}

/* Layers of the random_0* fixtures with their configs as Keras wrote them and
 * the shapes TensorFlow.js gave (each fixture's expected.json). */
static void
test_fixture_layers (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *reshape;

  /* random_04 */
  assert_layer (add_layer (graph, "AveragePooling2D", add_input (graph, "[6, 20, 3]"),
                           "pool_size", "[1, 1]", "padding", "\"valid\"", "strides", "[2, 2]", NULL),
                "(None, 3, 10, 3)", 0, 0);
  assert_layer (add_layer (graph, "UpSampling2D", add_input (graph, "[3, 10, 6]"),
                           "size", "[3, 1]", "interpolation", "\"nearest\"", NULL),
                "(None, 9, 10, 6)", 0, 0);
  assert_layer (add_layer (graph, "ReLU",
                           add_layer (graph, "GlobalMaxPooling2D", add_input (graph, "[5, 5, 12]"),
                                      "keepdims", "false", NULL),
                           "max_value", "null", "negative_slope", "0", "threshold", "0", NULL),
                "(None, 12)", 0, 0);
  /* random_07 */
  assert_layer (add_layer (graph, "AveragePooling2D", add_input (graph, "[12, 12, 3]"),
                           "pool_size", "[3, 3]", "padding", "\"same\"", "strides", "[3, 3]", NULL),
                "(None, 4, 4, 3)", 0, 0);
  assert_layer (add_layer (graph, "AveragePooling2D", add_input (graph, "[2, 2, 16]"),
                           "pool_size", "[2, 1]", "padding", "\"same\"", "strides", "[1, 1]", NULL),
                "(None, 2, 2, 16)", 0, 0);
  reshape = add_layer (graph, "Reshape", add_input (graph, "[4, 4, 8]"),
                       "target_shape", "[16, 8]", NULL);
  assert_layer (reshape, "(None, 16, 8)", 0, 0);
  reshape = add_layer (graph, "Reshape", reshape, "target_shape", "[8, 2, 8]", NULL);
  assert_layer (reshape, "(None, 8, 2, 8)", 0, 0);
  reshape = add_layer (graph, "Reshape", reshape, "target_shape", "[16, 2, 4]", NULL);
  assert_layer (reshape, "(None, 16, 2, 4)", 0, 0);
  assert_layer (add_layer (graph, "ReLU", reshape, "max_value", "6", NULL),
                "(None, 16, 2, 4)", 0, 0);
  /* random_05 */
  assert_layer (add_layer (graph, "AveragePooling2D", add_input (graph, "[8, 8, 2]"),
                           "pool_size", "[1, 2]", "padding", "\"valid\"", "strides", "[1, 2]", NULL),
                "(None, 8, 4, 2)", 0, 0);
  assert_layer (add_layer (graph, "Cropping2D", add_input (graph, "[24, 12, 6]"),
                           "cropping", "[[0, 0], [2, 0]]", NULL),
                "(None, 24, 10, 6)", 0, 0);
  assert_layer (add_layer (graph, "AveragePooling2D", add_input (graph, "[24, 10, 12]"),
                           "pool_size", "[3, 2]", "padding", "\"same\"", "strides", "[1, 1]", NULL),
                "(None, 24, 10, 12)", 0, 0);
  /* random_06 */
  assert_layer (add_layer (graph, "ZeroPadding2D", add_input (graph, "[8, 8, 1]"),
                           "padding", "[[1, 1], [2, 2]]", NULL),
                "(None, 10, 12, 1)", 0, 0);
}

/* ---- Normalization ------------------------------------------------------------- */

static void
test_normalization (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 8, 64]");
  NsLayer *bn = add_layer (graph, "BatchNormalization", input, NULL);
  NsLayer *bn_list = add_layer (graph, "BatchNormalization", input, "axis", "[3]", NULL);
  NsLayer *bn_scale = add_layer (graph, "BatchNormalization", input, "center", "false", NULL);
  NsLayer *bn_none = add_layer (graph, "BatchNormalization", input, "center", "false",
                                "scale", "false", NULL);
  NsLayer *bn_height = add_layer (graph, "BatchNormalization", input, "axis", "1", NULL);
  NsLayer *ln = add_layer (graph, "LayerNormalization", input, NULL);
  NsLayer *ln_two = add_layer (graph, "LayerNormalization", input, "axis", "[2, 3]", NULL);

  assert_layer (bn, "(None, 8, 8, 64)", 128, 128);
  assert_explains (bn, "4 × 64 = 256 (128 trainable: γ, β; 128 not: moving mean, variance)");
  assert_describe (bn, "axis −1");
  /* tf.keras 2 writes axis as [3]. */
  assert_layer (bn_list, "(None, 8, 8, 64)", 128, 128);
  assert_layer (bn_scale, "(None, 8, 8, 64)", 64, 128);
  assert_explains (bn_scale, "3 × 64 = 192 (64 trainable: γ; 128 not: moving mean, variance)");
  assert_layer (bn_none, "(None, 8, 8, 64)", 0, 128);
  assert_layer (bn_height, "(None, 8, 8, 64)", 16, 16);
  assert_layer (ln, "(None, 8, 8, 64)", 128, 0);
  assert_describe (ln, "axis −1");
  assert_layer (ln_two, "(None, 8, 8, 64)", 1024, 0);
}

/* The fixtures' figures: random_00 has 4 channels (16 = 8 + 8), random_03 15 (60 = 30 + 30). */
static void
test_normalization_fixtures (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();

  assert_layer (add_layer (graph, "BatchNormalization", add_input (graph, "[19, 13, 4]"), NULL),
                "(None, 19, 13, 4)", 8, 8);
  assert_layer (add_layer (graph, "BatchNormalization", add_input (graph, "[10, 5, 15]"),
                           "axis", "[3]", "momentum", "0.99", "epsilon", "0.001", NULL),
                "(None, 10, 5, 15)", 30, 30);
}

static void
test_normalization_errors (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[8, 8, 64]");
  NsLayer *unknown = add_input (graph, "[8, 8, null]");

  assert_layer_error (add_layer (graph, "BatchNormalization", input, "axis", "0", NULL),
                      NS_ERROR_INVALID_VALUE, "axis 0 is the batch dimension of (None, 8, 8, 64)");
  assert_layer_error (add_layer (graph, "BatchNormalization", input, "axis", "4", NULL),
                      NS_ERROR_INVALID_VALUE, "axis 4 is out of range for the input (None, 8, 8, 64)");
  assert_layer_error (add_layer (graph, "LayerNormalization", input, "axis", "-5", NULL),
                      NS_ERROR_INVALID_VALUE, "axis −5 is out of range");
  assert_layer_error (add_layer (graph, "BatchNormalization", unknown, NULL),
                      NS_ERROR_SHAPE, "axis −1 of (None, 8, 8, None) has no known size");
}

/* ---- Activations --------------------------------------------------------------- */

static void
test_activations (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[128, 128, 64]");
  NsLayer *activation = add_layer (graph, "Activation", input, "activation", "\"relu\"", NULL);
  NsLayer *relu6 = add_layer (graph, "ReLU", input, "max_value", "6", NULL);
  NsLayer *leaky = add_layer (graph, "LeakyReLU", input, "alpha", "0.2", NULL);
  NsLayer *prelu_shared = add_layer (graph, "PReLU", input, "shared_axes", "[1, 2]", NULL);
  NsLayer *prelu = add_layer (graph, "PReLU", input, NULL);
  NsLayer *elu = add_layer (graph, "ELU", input, NULL);
  NsLayer *softmax = add_layer (graph, "Softmax", input, NULL);

  assert_layer (activation, "(None, 128, 128, 64)", 0, 0);
  assert_describe (activation, "relu");
  assert_describe (add_layer (graph, "Activation", input, NULL), "linear");
  assert_layer (relu6, "(None, 128, 128, 64)", 0, 0);
  assert_describe (relu6, "relu, max 6");
  assert_describe (add_layer (graph, "ReLU", input, NULL), "relu");
  assert_layer (leaky, "(None, 128, 128, 64)", 0, 0);
  assert_describe (leaky, "α 0.2");
  /* One α per channel when height and width share it; one per element otherwise. */
  assert_layer (prelu_shared, "(None, 128, 128, 64)", 64, 0);
  assert_explains (prelu_shared, "1 × 1 × 64 = 64");
  assert_describe (prelu_shared, "shared [1, 2]");
  assert_layer (prelu, "(None, 128, 128, 64)", 128 * 128 * 64, 0);
  assert_explains (prelu, "128 × 128 × 64 = 1,048,576");
  assert_layer (add_layer (graph, "PReLU", input, "shared_axes", "3", NULL),
                "(None, 128, 128, 64)", 128 * 128, 0);
  assert_layer (elu, "(None, 128, 128, 64)", 0, 0);
  assert_describe (elu, "α 1");
  assert_layer (softmax, "(None, 128, 128, 64)", 0, 0);
  assert_describe (softmax, "axis −1");

}

/* Every Keras activation name of the declaration is accepted and described. */
static void
test_activation_choices (void)
{
  static const char *const keras_names[] = {
    "linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh", "softmax", "softplus",
    "softsign", "elu", "selu", "gelu", "swish", "silu", "leaky_relu", "exponential",
  };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[4]");
  NsLayer *layer = add_layer (graph, "Activation", input, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keras_names); i++)
    {
      g_autofree char *json = g_strdup_printf ("\"%s\"", keras_names[i]);

      set_json (graph, layer, "activation", json);
      assert_layer (layer, "(None, 4)", 0, 0);
      assert_describe (layer, keras_names[i]);
    }
}

static void
test_activation_errors (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *input = add_input (graph, "[4, 4, 2]");
  NsLayer *unknown = add_input (graph, "[null, 4, 2]");

  assert_layer_error (add_layer (graph, "Softmax", input, "axis", "0", NULL),
                      NS_ERROR_INVALID_VALUE, "axis 0 is the batch dimension of (None, 4, 4, 2)");
  /* −4 counts back to the batch of a 4-D tensor. */
  assert_layer_error (add_layer (graph, "Softmax", input, "axis", "-4", NULL),
                      NS_ERROR_INVALID_VALUE, "axis −4 is the batch dimension");
  assert_layer_error (add_layer (graph, "Softmax", input, "axis", "-5", NULL),
                      NS_ERROR_INVALID_VALUE, "axis −5 is out of range for the input (None, 4, 4, 2)");
  assert_layer_error (add_layer (graph, "PReLU", input, "shared_axes", "[4]", NULL),
                      NS_ERROR_INVALID_VALUE,
                      "shared axis 4 is out of range for the input (None, 4, 4, 2) (1…3)");
  assert_layer_error (add_layer (graph, "PReLU", unknown, NULL),
                      NS_ERROR_SHAPE, "axis 1 of (None, None, 4, 2) has no known size");
  assert_layer (add_layer (graph, "PReLU", unknown, "shared_axes", "[1]", NULL),
                "(None, None, 4, 2)", 8, 0);
}

/* ---- Merges ----------------------------------------------------------------------- */

static void
test_merges (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *a = add_input (graph, "[8, 8, 3]");
  NsLayer *b = add_input (graph, "[8, 8, 5]");
  NsLayer *c = add_input (graph, "[8, 8, 3]");
  NsLayer *d = add_input (graph, "[8, 8, 1]");
  NsLayer *concat = add_merge (graph, "Concatenate", (NsLayer *[]) { a, b, c, NULL }, NULL);
  NsLayer *concat_h = add_merge (graph, "Concatenate", (NsLayer *[]) { a, c, NULL },
                                 "axis", "1", NULL);
  NsLayer *sum = add_merge (graph, "Add", (NsLayer *[]) { a, c, a, NULL }, NULL);

  assert_layer (concat, "(None, 8, 8, 11)", 0, 0);
  assert_explains (concat, "3 + 5 + 3 = 11");
  assert_describe (concat, "axis −1");
  assert_layer (concat_h, "(None, 16, 8, 3)", 0, 0);
  assert_layer (sum, "(None, 8, 8, 3)", 0, 0);
  g_assert_cmpint (ns_layer_get_info (sum)->flops, ==, 2 * 8 * 8 * 3);
  assert_layer (add_merge (graph, "Subtract", (NsLayer *[]) { a, c, NULL }, NULL),
                "(None, 8, 8, 3)", 0, 0);
  assert_layer (add_merge (graph, "Multiply", (NsLayer *[]) { a, d, NULL }, NULL),
                "(None, 8, 8, 3)", 0, 0);
  assert_layer (add_merge (graph, "Average", (NsLayer *[]) { a, c, a, NULL }, NULL),
                "(None, 8, 8, 3)", 0, 0);
  assert_layer (add_merge (graph, "Maximum", (NsLayer *[]) { d, a, NULL }, NULL),
                "(None, 8, 8, 3)", 0, 0);
  assert_layer (add_merge (graph, "Minimum", (NsLayer *[]) { a, c, NULL }, NULL),
                "(None, 8, 8, 3)", 0, 0);
}

static void
test_merge_errors (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autoptr(GError) error = NULL;
  NsLayer *big = add_input (graph, "[128, 128, 64]");
  NsLayer *small = add_input (graph, "[64, 64, 64]");
  NsLayer *flat = add_input (graph, "[64]");
  NsLayer *subtract;

  assert_layer_error (add_merge (graph, "Concatenate", (NsLayer *[]) { big, small, NULL }, NULL),
                      NS_ERROR_SHAPE,
                      "inputs disagree on axis 1: (None, 128, 128, 64) and (None, 64, 64, 64)");
  assert_layer_error (add_merge (graph, "Concatenate", (NsLayer *[]) { big, flat, NULL }, NULL),
                      NS_ERROR_SHAPE, "inputs have different ranks: (None, 128, 128, 64) and (None, 64)");
  assert_layer_error (add_merge (graph, "Add", (NsLayer *[]) { big, small, NULL }, NULL),
                      NS_ERROR_SHAPE,
                      "inputs disagree on axis 1: (None, 128, 128, 64) and (None, 64, 64, 64)");
  assert_layer_error (add_merge (graph, "Concatenate", (NsLayer *[]) { big, big, NULL },
                                 "axis", "4", NULL),
                      NS_ERROR_INVALID_VALUE, "axis 4 is out of range for the input (None, 128, 128, 64)");

  /* Subtract takes exactly two inputs. */
  subtract = add_merge (graph, "Subtract", (NsLayer *[]) { big, big, NULL }, NULL);
  g_assert_false (ns_graph_connect (graph, big, subtract, 2, &error));
  g_assert_error (error, NS_ERROR, NS_ERROR_GRAPH);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/layers/catalog/complete", test_catalog_complete);
  g_test_add_func ("/layers/catalog/declarations", test_catalog_declarations);
  g_test_add_func ("/layers/catalog/default-names", test_catalog_default_names);
  g_test_add_func ("/layers/core", test_core);
  g_test_add_func ("/layers/convolution", test_convolutions);
  g_test_add_func ("/layers/pooling", test_pooling);
  g_test_add_func ("/layers/pooling/errors", test_pooling_errors);
  g_test_add_func ("/layers/resize", test_resize);
  g_test_add_func ("/layers/resize/unknown-dims", test_resize_unknown_dims);
  g_test_add_func ("/layers/resize/errors", test_resize_errors);
  g_test_add_func ("/layers/fixtures", test_fixture_layers);
  g_test_add_func ("/layers/normalization", test_normalization);
  g_test_add_func ("/layers/normalization/fixtures", test_normalization_fixtures);
  g_test_add_func ("/layers/normalization/errors", test_normalization_errors);
  g_test_add_func ("/layers/activation", test_activations);
  g_test_add_func ("/layers/activation/choices", test_activation_choices);
  g_test_add_func ("/layers/activation/errors", test_activation_errors);
  g_test_add_func ("/layers/merge", test_merges);
  g_test_add_func ("/layers/merge/errors", test_merge_errors);

  return g_test_run ();
}
