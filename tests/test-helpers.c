/* test-helpers.c: small builders shared by the core tests. */
#include "config.h"

#include "test-helpers.h"

NsLayer *
test_add_layer (NsGraph    *graph,
                const char *keras_class,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  const NsLayerType *type = ns_layer_types_lookup (keras_class);
  NsLayer *layer;

  g_assert_nonnull (type);
  layer = ns_graph_add_new_layer (graph, type, name, &error);
  g_assert_no_error (error);
  return layer;
}

NsValue
test_value (NsLayer    *layer,
            const char *key,
            const char *json)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  int index = ns_layer_type_find_prop (type, key);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  NsValue value;

  g_assert_cmpint (index, >=, 0);
  g_assert_true (ns_value_from_json (&type->props[index], node, &value, &error));
  g_assert_no_error (error);
  return value;
}

void
test_set (NsGraph    *graph,
          NsLayer    *layer,
          const char *key,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  NsValue value = test_value (layer, key, json);

  g_assert_true (ns_graph_set_value (graph, layer, key, &value, &error));
  g_assert_no_error (error);
}

void
test_connect (NsGraph *graph,
              NsLayer *from,
              NsLayer *to,
              guint    port)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_graph_connect (graph, from, to, port, &error));
  g_assert_no_error (error);
}

NsLayer *
test_add_input (NsGraph    *graph,
                const char *name,
                const char *shape_json)
{
  NsLayer *input = test_add_layer (graph, "InputLayer", name);

  test_set (graph, input, "shape", shape_json);
  return input;
}

void
test_assert_shape (NsLayer    *layer,
                   const char *keras_shape)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);
  g_autofree char *shape = NULL;

  if (info->state != NS_LAYER_OK)
    g_error ("%s: %s", ns_layer_get_name (layer), info->message);
  shape = ns_shape_to_keras (&info->output);
  g_assert_cmpstr (shape, ==, keras_shape);
}

/* The article's network, written as its Keras code builds it. */
NsGraph *
test_build_article (void)
{
  NsGraph *graph = ns_graph_new ();
  NsLayer *x, *con1, *bn, *act, *pool1, *up1, *mer1, *deconv1, *score1, *mer2;

  x = test_add_input (graph, "input_1", "[128, 128, 3]");
  con1 = test_add_layer (graph, "Conv2D", "con1");
  test_set (graph, con1, "filters", "64");
  test_set (graph, con1, "kernel_size", "[3, 3]");
  test_set (graph, con1, "padding", "\"same\"");
  test_set (graph, con1, "kernel_initializer", "\"he_normal\"");
  test_connect (graph, x, con1, 0);
  bn = test_add_layer (graph, "BatchNormalization", NULL);
  test_connect (graph, con1, bn, 0);
  act = test_add_layer (graph, "Activation", NULL);
  test_set (graph, act, "activation", "\"relu\"");
  test_connect (graph, bn, act, 0);
  pool1 = test_add_layer (graph, "MaxPooling2D", "pool1");
  test_connect (graph, act, pool1, 0);
  up1 = test_add_layer (graph, "UpSampling2D", "up1");
  test_connect (graph, pool1, up1, 0);
  mer1 = test_add_layer (graph, "Concatenate", "mer1");
  test_connect (graph, act, mer1, 0);
  test_connect (graph, up1, mer1, 1);
  /* The article writes Deconvolution2D: the import alias of Conv2DTranspose. */
  deconv1 = test_add_layer (graph, "Deconvolution2D", "deconv1");
  test_set (graph, deconv1, "filters", "64");
  test_set (graph, deconv1, "padding", "\"same\"");
  test_connect (graph, mer1, deconv1, 0);
  score1 = test_add_layer (graph, "Conv2DTranspose", "score1");
  test_set (graph, score1, "filters", "21");
  test_set (graph, score1, "padding", "\"same\"");
  test_connect (graph, deconv1, score1, 0);
  mer2 = test_add_layer (graph, "Concatenate", "mer2");
  test_connect (graph, deconv1, mer2, 0);
  test_connect (graph, score1, mer2, 1);
  return graph;
}

char *
test_keras_chain (guint n_layers)
{
  GString *text = g_string_sized_new (n_layers * 160);

  g_string_append (text, "{\"class_name\": \"Functional\", \"config\": {\"name\": \"long\", \"layers\": [\n"
                         "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 4], "
                         "\"name\": \"l0\"}, \"name\": \"l0\", \"inbound_nodes\": []}");
  for (guint i = 1; i < n_layers; i++)
    {
      if (i % 2 == 1)
        g_string_append_printf (text,
                                ",\n{\"class_name\": \"Dense\", \"config\": {\"name\": \"l%u\", \"units\": 4}, "
                                "\"name\": \"l%u\", \"inbound_nodes\": [[[\"l%u\", 0, 0, {}]]]}",
                                i, i, i - 1);
      else
        g_string_append_printf (text,
                                ",\n{\"class_name\": \"Activation\", \"config\": {\"name\": \"l%u\", \"activation\": \"relu\"}, "
                                "\"name\": \"l%u\", \"inbound_nodes\": [[[\"l%u\", 0, 0, {}]]]}",
                                i, i, i - 1);
    }
  g_string_append_printf (text, "\n], \"input_layers\": [[\"l0\", 0, 0]], \"output_layers\": [[\"l%u\", 0, 0]]}}\n",
                          n_layers - 1);
  return g_string_free (text, FALSE);
}

NsGraph *
test_small_chain (void)
{
  NsGraph *graph = ns_graph_new ();
  NsLayer *input = test_add_input (graph, "input_1", "[8, 8, 3]");
  NsLayer *conv = test_add_layer (graph, "Conv2D", "conv");
  NsLayer *pool = test_add_layer (graph, "MaxPooling2D", "pool");

  test_connect (graph, input, conv, 0);
  test_connect (graph, conv, pool, 0);
  return graph;
}
