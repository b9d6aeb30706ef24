/* test-grid.c: output-size rules against TensorFlow.js ground truth: every
 * grid_* case's spec is rebuilt as a graph and must give the recorded shape
 * and parameter count; the grid_invalid combinations must give errors. */
#include "config.h"

#include "test-helpers.h"

static const char *
class_for_op (const char *op)
{
  if (g_str_equal (op, "conv"))
    return "Conv2D";
  if (g_str_equal (op, "convT"))
    return "Conv2DTranspose";
  if (g_str_equal (op, "maxpool"))
    return "MaxPooling2D";
  if (g_str_equal (op, "avgpool"))
    return "AveragePooling2D";
  g_error ("unknown grid op %s", op);
}

static char *
pair_json (JsonObject *spec,
           const char *key)
{
  JsonArray *a = json_object_get_array_member (spec, key);

  return g_strdup_printf ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                          json_array_get_int_element (a, 0), json_array_get_int_element (a, 1));
}

/* Builds Input(H, W, channels) → the grid's layer; returns the layer. */
static NsLayer *
build_case (NsGraph    *graph,
            JsonObject *spec,
            gint64      in_channels,
            gint64      out_channels)
{
  const char *op = json_object_get_string_member (spec, "op");
  JsonArray *input = json_object_get_array_member (spec, "input");
  g_autofree char *shape = g_strdup_printf ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                                            json_array_get_int_element (input, 0),
                                            json_array_get_int_element (input, 1), in_channels);
  g_autofree char *kernel = pair_json (spec, "kernel");
  g_autofree char *strides = pair_json (spec, "strides");
  g_autofree char *dilation = pair_json (spec, "dilation");
  g_autofree char *padding = g_strdup_printf ("\"%s\"", json_object_get_string_member (spec, "pad"));
  NsLayer *in = test_add_input (graph, "input", shape);
  NsLayer *layer = test_add_layer (graph, class_for_op (op), "layer");
  gboolean is_conv = g_str_has_prefix (op, "conv");

  test_set (graph, layer, is_conv ? "kernel_size" : "pool_size", kernel);
  test_set (graph, layer, "strides", strides);
  test_set (graph, layer, "padding", padding);
  if (is_conv)
    {
      g_autofree char *filters = g_strdup_printf ("%" G_GINT64_FORMAT, out_channels);
      test_set (graph, layer, "filters", filters);
      test_set (graph, layer, "dilation_rate", dilation);
    }
  test_connect (graph, in, layer, 0);
  return layer;
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

static void
test_grid_cases (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fixtures", "keras", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *entry;
  guint n_cases = 0;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(NsGraph) graph = NULL;
      JsonObject *expected, *spec, *row;
      JsonArray *in_shape, *out_shape;
      const NsLayerInfo *info;
      NsLayer *layer;

      if (!g_str_has_prefix (entry, "grid_") || g_str_has_suffix (entry, ".json"))
        continue;
      path = g_build_filename (dir_path, entry, "expected.json", NULL);
      root = load_json (path);
      expected = json_node_get_object (root);
      spec = json_object_get_object_member (expected, "grid");
      in_shape = json_array_get_array_element (json_object_get_array_member (expected, "input_shapes"), 0);
      row = json_array_get_object_element (json_object_get_array_member (expected, "layers"), 0);
      out_shape = json_object_get_array_member (row, "output_shape");

      graph = ns_graph_new ();
      layer = build_case (graph, spec, json_array_get_int_element (in_shape, 3),
                          json_array_get_int_element (out_shape, 3));
      info = ns_layer_get_info (layer);
      if (info->state != NS_LAYER_OK)
        g_error ("%s: %s", entry, info->message);
      g_assert_cmpuint (info->output.rank, ==, 3);
      for (guint axis = 0; axis < 3; axis++)
        if (info->output.dims[axis] != json_array_get_int_element (out_shape, axis + 1))
          g_error ("%s: axis %u is %" G_GINT64_FORMAT ", Keras says %" G_GINT64_FORMAT,
                   entry, axis + 1, info->output.dims[axis],
                   json_array_get_int_element (out_shape, axis + 1));
      g_assert_cmpint (info->params, ==, json_object_get_int_member (row, "params"));
      g_assert_cmpint (info->trainable_params, ==, json_object_get_int_member (row, "trainable_params"));
      n_cases++;
    }
  /* Every case the fixtures hold was checked. */
  g_assert_cmpuint (n_cases, ==, 489);
}

static void
test_grid_invalid (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "keras", "grid_invalid.json", NULL);
  g_autoptr(JsonNode) root = load_json (path);
  JsonArray *combinations = json_object_get_array_member (json_node_get_object (root), "combinations");

  g_assert_cmpuint (json_array_get_length (combinations), ==, 39);
  for (guint i = 0; i < json_array_get_length (combinations); i++)
    {
      JsonObject *spec = json_array_get_object_element (combinations, i);
      g_autoptr(NsGraph) graph = ns_graph_new ();
      NsLayer *layer = build_case (graph, spec, 2, 3);
      const NsLayerInfo *info = ns_layer_get_info (layer);

      if (info->state != NS_LAYER_ERROR)
        g_error ("%s: expected an error, got a valid layer", json_object_get_string_member (spec, "name"));
      /* The message names the window and the input it does not fit. */
      g_assert_nonnull (strstr (info->message, "input"));
      g_assert_nonnull (strstr (info->message, "the output would be"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/grid/keras-cases", test_grid_cases);
  g_test_add_func ("/grid/invalid", test_grid_invalid);
  return g_test_run ();
}
