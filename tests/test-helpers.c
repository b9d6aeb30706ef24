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

void
test_set (NsGraph    *graph,
          NsLayer    *layer,
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
