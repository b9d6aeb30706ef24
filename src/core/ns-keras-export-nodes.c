/* ns-keras-export-nodes.c: the entries of an exported model's "layers": how
 * tf.keras 2 and Keras 3 write a layer's class, inputs and build config. */
#include "config.h"

#include "ns-keras-export-private.h"

JsonNode *
ns_keras_batch_shape_node (const NsShape *shape)
{
  JsonArray *array = json_array_sized_new (shape->rank + 1);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_null_element (array);
  for (guint i = 0; i < shape->rank; i++)
    {
      if (shape->dims[i] == NS_DIM_NONE)
        json_array_add_null_element (array);
      else
        json_array_add_int_element (array, shape->dims[i]);
    }
  json_node_take_array (node, array);
  return node;
}

/* A tensor reference: ["conv2d", 0, 0, {}] in tf.keras 2, a __keras_tensor__ in Keras 3. */
static JsonNode *
tensor_node (NsKerasExportContext *ctx,
             const NsKerasInbound *inbound)
{
  JsonArray *ref = json_array_sized_new (4);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_string_element (ref, inbound->name);
  json_array_add_int_element (ref, inbound->node_index);
  json_array_add_int_element (ref, 0);
  if (ctx->layout == NS_KERAS_LAYOUT_TF_KERAS_2)
    {
      json_array_add_object_element (ref, json_object_new ());
      json_node_take_array (node, ref);
      return node;
    }
  else
    {
      JsonObject *tensor = json_object_new ();
      JsonObject *config = json_object_new ();

      json_node_take_array (node, ref);
      json_object_set_member (config, "shape", ns_keras_batch_shape_node (&inbound->shape));
      json_object_set_string_member (config, "dtype", "float32");
      json_object_set_member (config, "keras_history", node);
      json_object_set_string_member (tensor, "class_name", "__keras_tensor__");
      json_object_set_object_member (tensor, "config", config);
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, tensor);
      return node;
    }
}

static JsonNode *
inbound_nodes_node (NsKerasExportContext *ctx,
                    const NsKerasInbound *inbound,
                    guint                 n_inbound,
                    gboolean              merge)
{
  JsonArray *nodes = json_array_new ();
  JsonNode *result = json_node_new (JSON_NODE_ARRAY);

  if (n_inbound > 0 && ctx->layout == NS_KERAS_LAYOUT_TF_KERAS_2)
    {
      JsonArray *call = json_array_sized_new (n_inbound);

      for (guint i = 0; i < n_inbound; i++)
        json_array_add_element (call, tensor_node (ctx, &inbound[i]));
      json_array_add_array_element (nodes, call);
    }
  else if (n_inbound > 0)
    {
      JsonObject *call = json_object_new ();
      JsonArray *args = json_array_new ();

      /* A merge layer takes one list of tensors; the others one tensor per argument. */
      if (merge)
        {
          JsonArray *list = json_array_sized_new (n_inbound);

          for (guint i = 0; i < n_inbound; i++)
            json_array_add_element (list, tensor_node (ctx, &inbound[i]));
          json_array_add_array_element (args, list);
        }
      else
        for (guint i = 0; i < n_inbound; i++)
          json_array_add_element (args, tensor_node (ctx, &inbound[i]));
      json_object_set_array_member (call, "args", args);
      json_object_set_object_member (call, "kwargs", json_object_new ());
      json_array_add_object_element (nodes, call);
    }
  json_node_take_array (result, nodes);
  return result;
}

/* Keras 3's build_config: the input shape, or the list of them for a merge. */
static JsonObject *
build_config (const NsKerasInbound *inbound,
              guint                 n_inbound,
              gboolean              merge)
{
  JsonObject *build = json_object_new ();

  if (n_inbound == 0)
    json_object_set_null_member (build, "input_shape");
  else if (!merge)
    json_object_set_member (build, "input_shape", ns_keras_batch_shape_node (&inbound[0].shape));
  else
    {
      JsonArray *shapes = json_array_sized_new (n_inbound);

      for (guint i = 0; i < n_inbound; i++)
        json_array_add_element (shapes, ns_keras_batch_shape_node (&inbound[i].shape));
      json_object_set_array_member (build, "input_shape", shapes);
    }
  return build;
}

void
ns_keras_append_entry (NsKerasExportContext *ctx,
                       JsonArray            *layers,
                       const char           *class_name,
                       const char           *name,
                       JsonObject           *config,
                       const NsKerasInbound *inbound,
                       guint                 n_inbound,
                       gboolean              merge,
                       gboolean              functional)
{
  JsonObject *entry = json_object_new ();
  gboolean keras3 = ctx->layout == NS_KERAS_LAYOUT_KERAS_3;
  gboolean model = g_str_equal (class_name, "Functional") || g_str_equal (class_name, "Sequential");

  if (keras3)
    json_object_set_string_member (entry, "module",
                                   !model ? "keras.layers" :
                                   g_str_equal (class_name, "Functional") ? "keras.src.models.functional"
                                                                           : "keras");
  json_object_set_string_member (entry, "class_name", class_name);
  json_object_set_object_member (entry, "config", config);
  if (keras3)
    {
      if (g_str_equal (class_name, "Functional"))
        json_object_set_string_member (entry, "registered_name", "Functional");
      else
        json_object_set_null_member (entry, "registered_name");
      if (n_inbound > 0)
        json_object_set_object_member (entry, "build_config", build_config (inbound, n_inbound, merge));
    }
  if (functional)
    {
      json_object_set_string_member (entry, "name", name);
      json_object_set_member (entry, "inbound_nodes",
                              inbound_nodes_node (ctx, inbound, n_inbound, merge));
    }
  json_array_add_object_element (layers, entry);
}

