/* ns-keras-export.c: a graph as Keras' model.to_json(), in the tf.keras 2 and
 * Keras 3 layouts, derived from the layer types' declarations. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-keras-export-private.h"
#include "ns-keras-import.h"

#define TF_KERAS_VERSION "2.13.1"

static JsonObject *model_config          (NsKerasExportContext *ctx,
                                          NsGraph              *graph,
                                          const char           *name,
                                          gboolean              sequential);
static gboolean    exports_as_sequential (NsGraph              *graph);

/* ---- Checks --------------------------------------------------------------- */

gboolean
ns_export_check_graph (NsGraph  *graph,
                       GError  **error)
{
  GPtrArray *layers;

  g_return_val_if_fail (NS_IS_GRAPH (graph), FALSE);

  layers = ns_graph_get_sorted_layers (graph);
  if (layers->len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH, _("cannot export: the model has no layers"));
      return FALSE;
    }
  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);
      const NsLayerInfo *info = ns_layer_get_info (layer);

      if (info->state != NS_LAYER_OK)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_GRAPH, _("cannot export: layer %s: %s"),
                       ns_layer_get_name (layer),
                       info->message != NULL ? info->message : _("its figures are not known"));
          return FALSE;
        }
      if (ns_layer_get_subgraph (layer) != NULL &&
          !ns_export_check_graph (ns_layer_get_subgraph (layer), error))
        return FALSE;
    }
  return TRUE;
}

/* ---- Small JSON helpers ---------------------------------------------------- */

static JsonNode *
json_parse_fragment (const char *text)
{
  JsonNode *node = json_from_string (text, NULL);

  g_assert (node != NULL);
  return node;
}

static JsonNode *
margins_node (gint64 top,
              gint64 bottom,
              gint64 left,
              gint64 right)
{
  g_autofree char *text = g_strdup_printf ("[[%" PRId64 ", %" PRId64 "], [%" PRId64 ", %" PRId64 "]]",
                                           top, bottom, left, right);
  return json_parse_fragment (text);
}

static JsonNode *
dtype_node (NsKerasExportContext *ctx)
{
  if (ctx->layout == NS_KERAS_LAYOUT_KERAS_3)
    return json_parse_fragment ("{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", "
                                "\"config\": {\"name\": \"float32\"}, \"registered_name\": null}");
  return json_parse_fragment ("\"float32\"");
}

/* ---- Values Keras writes differently ----------------------------------------- */

static const struct {
  const char *id;
  const char *class_name;
  const char *config;
} initializers[] = {
  { "glorot_uniform",   "GlorotUniform",   "{\"seed\": null}" },
  { "glorot_normal",    "GlorotNormal",    "{\"seed\": null}" },
  { "he_normal",        "HeNormal",        "{\"seed\": null}" },
  { "he_uniform",       "HeUniform",       "{\"seed\": null}" },
  { "lecun_normal",     "LecunNormal",     "{\"seed\": null}" },
  { "lecun_uniform",    "LecunUniform",    "{\"seed\": null}" },
  { "random_normal",    "RandomNormal",    "{\"mean\": 0.0, \"stddev\": 0.05, \"seed\": null}" },
  { "random_uniform",   "RandomUniform",   "{\"minval\": -0.05, \"maxval\": 0.05, \"seed\": null}" },
  { "truncated_normal", "TruncatedNormal", "{\"mean\": 0.0, \"stddev\": 0.05, \"seed\": null}" },
  { "orthogonal",       "Orthogonal",      "{\"gain\": 1.0, \"seed\": null}" },
  { "zeros",            "Zeros",           "{}" },
  { "ones",             "Ones",            "{}" },
};

/* {"class_name": "HeNormal", "config": {"seed": null}}, wrapped in Keras 3's
 * module / registered_name; an identifier Netsketch has no class for stays a string. */
static JsonNode *
initializer_node (NsKerasExportContext *ctx,
                  const char           *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (initializers); i++)
    {
      JsonObject *object;
      JsonNode *node;

      if (g_strcmp0 (initializers[i].id, id) != 0)
        continue;
      object = json_object_new ();
      if (ctx->layout == NS_KERAS_LAYOUT_KERAS_3)
        json_object_set_string_member (object, "module", "keras.initializers");
      json_object_set_string_member (object, "class_name", initializers[i].class_name);
      json_object_set_member (object, "config", json_parse_fragment (initializers[i].config));
      if (ctx->layout == NS_KERAS_LAYOUT_KERAS_3)
        json_object_set_null_member (object, "registered_name");
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, object);
      return node;
    }
  return json_parse_fragment ("null");
}

static gboolean
is_normalization (const NsLayerType *type)
{
  return g_str_equal (type->keras_class, "BatchNormalization") ||
         g_str_equal (type->keras_class, "LayerNormalization");
}

/* tf.keras 2 writes a normalization's axis as a list of non-negative axes
 * counted with the batch ([3]); Keras 3 as the int it was given (-1). */
static JsonNode *
norm_axis_node (NsKerasExportContext *ctx,
                NsLayer              *layer,
                const NsValue        *value)
{
  NsLayer *input = ns_layer_get_input (layer, 0);
  guint rank = input != NULL ? ns_layer_get_info (input)->output.rank + 1 : 0;
  JsonArray *array;
  JsonNode *node;

  if (ctx->layout == NS_KERAS_LAYOUT_KERAS_3 && value->ints.len == 1)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, value->ints.items[0]);
      return node;
    }
  array = json_array_sized_new (value->ints.len);
  for (guint i = 0; i < value->ints.len; i++)
    {
      gint64 axis = value->ints.items[i];

      json_array_add_int_element (array, axis < 0 && rank > 0 ? axis + rank : axis);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/* Adds @layer's declared config values to @config with Keras' keys and forms. */
static void
add_declared_values (NsKerasExportContext *ctx,
                     NsLayer              *layer,
                     JsonObject           *config)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsValue *values = ns_layer_get_values (layer);

  for (guint i = 0; i < type->n_props; i++)
    {
      const NsPropDecl *decl = &type->props[i];
      const NsValue *value = &values[i];
      const char *key = decl->key;
      JsonNode *node;

      if (g_str_equal (type->keras_class, "LeakyReLU") && g_str_equal (key, "alpha") &&
          ctx->layout == NS_KERAS_LAYOUT_KERAS_3)
        key = "negative_slope";

      if (decl->kind == NS_PROP_CHOICE && g_str_has_suffix (key, "_initializer"))
        node = initializer_node (ctx, decl->choices[value->choice]);
      else if (decl->kind == NS_PROP_PADDING && value->padding.mode == NS_PADDING_EXPLICIT)
        node = json_parse_fragment ("\"valid\"");   /* the padding layer next to it does the rest */
      else if (decl->kind == NS_PROP_PAIR && value->is_null && g_str_equal (key, "strides") &&
               ns_layer_type_find_prop (type, "pool_size") >= 0)
        {
          /* Keras writes the pool size it defaulted to. */
          int pool = ns_layer_type_find_prop (type, "pool_size");
          node = ns_value_to_json (&type->props[pool], &values[pool]);
        }
      else if (decl->kind == NS_PROP_INTS && g_str_equal (key, "axis") && is_normalization (type))
        node = norm_axis_node (ctx, layer, value);
      else
        node = ns_value_to_json (decl, value);
      json_object_set_member (config, key, node);
    }
}

/* The config keys Netsketch does not model, kept from an import ("data_format",
 * regularizers…), where the declared ones have not been written. */
static void
add_kept_values (JsonObject *config,
                 JsonObject *kept)
{
  g_autoptr(GList) members = NULL;

  if (kept == NULL)
    return;
  members = json_object_get_members (kept);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;

      /* LeakyReLU's slope is declared under one of its two Keras names. */
      if (json_object_has_member (config, key) || g_str_equal (key, "batch_input_shape") ||
          g_str_equal (key, "batch_shape") || g_str_equal (key, "dtype") ||
          g_str_equal (key, "alpha") || g_str_equal (key, "negative_slope"))
        continue;
      json_object_set_member (config, key, json_node_copy (json_object_get_member (kept, key)));
    }
}

static JsonObject *
object_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, key) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The config a layer was imported with (the importer keeps the original
 * entry), or NULL. */
static JsonObject *
imported_config (NsLayer *layer)
{
  return object_member (object_member (ns_layer_get_extra (layer), NS_KERAS_EXTRA_ORIGINAL),
                        "config");
}

/* A deep copy (json_node_copy shares the members), so that renaming the
 * exported config leaves the layer's own untouched. */
static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) copy = json_from_string (text, NULL);

  return json_object_ref (json_node_get_object (copy));
}

static JsonObject *
common_config (NsKerasExportContext *ctx,
               const char           *name)
{
  JsonObject *config = json_object_new ();

  json_object_set_string_member (config, "name", name);
  json_object_set_boolean_member (config, "trainable", TRUE);
  json_object_set_member (config, "dtype", dtype_node (ctx));
  return config;
}

static JsonObject *
input_config (NsKerasExportContext *ctx,
              NsLayer              *layer)
{
  JsonObject *config = json_object_new ();

  json_object_set_member (config,
                          ctx->layout == NS_KERAS_LAYOUT_KERAS_3 ? "batch_shape" : "batch_input_shape",
                          ns_keras_batch_shape_node (&ns_layer_get_info (layer)->output));
  json_object_set_string_member (config, "dtype", "float32");
  json_object_set_boolean_member (config, "sparse", FALSE);
  json_object_set_boolean_member (config, "ragged", FALSE);
  json_object_set_string_member (config, "name", ns_layer_get_name (layer));
  return config;
}

static JsonObject *
layer_config (NsKerasExportContext *ctx,
              NsLayer              *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const char *name = ns_layer_get_name (layer);
  JsonObject *config;
  JsonObject *verbatim;

  if (g_str_equal (type->keras_class, "InputLayer"))
    return input_config (ctx, layer);
  if (ns_layer_get_subgraph (layer) != NULL)
    return model_config (ctx, ns_layer_get_subgraph (layer), name,
                         exports_as_sequential (ns_layer_get_subgraph (layer)));

  verbatim = imported_config (layer);
  if (g_str_equal (type->keras_class, "OpaqueLayer"))
    {
      /* Its class is unknown: what it was imported with is all there is to say. */
      config = verbatim != NULL ? copy_object (verbatim) : json_object_new ();
      json_object_set_string_member (config, "name", name);
      return config;
    }

  config = common_config (ctx, name);
  add_declared_values (ctx, layer, config);
  add_kept_values (config, verbatim);
  /* What a .netsketch document kept of keys it did not know. */
  add_kept_values (config, object_member (ns_layer_get_extra (layer), "config"));
  return config;
}

/* ---- Layer entries ----------------------------------------------------------- */

static gboolean
is_nested_model (NsLayer *layer)
{
  return ns_layer_get_subgraph (layer) != NULL;
}

static const char *
nested_class (NsLayer *layer)
{
  return exports_as_sequential (ns_layer_get_subgraph (layer)) ? "Sequential" : "Functional";
}

static const char *
output_name (NsKerasExportContext *ctx,
             NsLayer              *layer)
{
  const char *name = g_hash_table_lookup (ctx->output_names, layer);

  return name != NULL ? name : ns_layer_get_name (layer);
}

/* "conv_pad", or "conv_pad_1" if the graph already has a layer of that name. */
static char *
helper_name (NsGraph    *graph,
             NsLayer    *layer,
             const char *suffix)
{
  char *name = g_strconcat (ns_layer_get_name (layer), suffix, NULL);

  for (guint i = 1; ns_graph_find_by_name (graph, name) != NULL; i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s%s_%u", ns_layer_get_name (layer), suffix, i);
    }
  return name;
}

static const NsValue *
explicit_padding (NsLayer *layer)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  int index = ns_layer_type_find_prop (type, "padding");

  if (index < 0 || type->props[index].kind != NS_PROP_PADDING)
    return NULL;
  if (ns_layer_get_values (layer)[index].padding.mode != NS_PADDING_EXPLICIT)
    return NULL;
  return &ns_layer_get_values (layer)[index];
}

/* Appends @layer's entry to @layers, with the ZeroPadding2D or Cropping2D that
 * stands for its explicit padding. */
static void
append_layer (NsKerasExportContext *ctx,
              NsGraph              *graph,
              JsonArray            *layers,
              NsLayer              *layer,
              gboolean              functional)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsValue *padding = explicit_padding (layer);
  gboolean transposed = g_str_equal (type->keras_class, "Conv2DTranspose");
  guint n_inbound = ns_layer_get_n_inputs ( layer);
  g_autofree NsKerasInbound *inbound = g_new0 (NsKerasInbound, MAX (n_inbound, 1));
  gboolean merge = type->max_inputs > 1;
  const char *class_name = is_nested_model (layer) ? nested_class (layer) : type->keras_class;

  if (g_str_equal (type->keras_class, "OpaqueLayer"))
    class_name = ns_layer_get_value (layer, "class_name")->string;

  for (guint i = 0; i < n_inbound; i++)
    {
      NsLayer *source = ns_layer_get_input (layer, i);

      inbound[i].name = output_name (ctx, source);
      /* A model used as a layer made its node 0 when it was built; calling it made node 1. */
      inbound[i].node_index = is_nested_model (source) && !g_hash_table_contains (ctx->output_names, source) ? 1 : 0;
      inbound[i].shape = ns_layer_get_info (source)->output;
    }

  if (padding != NULL && !transposed && n_inbound == 1)
    {
      char *pad_name = helper_name (graph, layer, "_pad");
      const gint64 *hw = padding->padding.explicit_hw;
      JsonObject *config = common_config (ctx, pad_name);
      NsKerasInbound padded = inbound[0];

      json_object_set_member (config, "padding", margins_node (hw[0], hw[0], hw[1], hw[1]));
      json_object_set_string_member (config, "data_format", "channels_last");
      ns_keras_append_entry (ctx, layers, "ZeroPadding2D", pad_name, config, inbound, 1, FALSE, functional);
      padded.name = pad_name;
      padded.node_index = 0;
      padded.shape.dims[0] = inbound[0].shape.dims[0] + 2 * hw[0];
      padded.shape.dims[1] = inbound[0].shape.dims[1] + 2 * hw[1];
      inbound[0] = padded;
      g_ptr_array_add (ctx->helper_names, pad_name);
    }

  ns_keras_append_entry (ctx, layers, class_name, ns_layer_get_name (layer), layer_config (ctx, layer),
                inbound, n_inbound, merge, functional);

  if (padding != NULL && transposed)
    {
      char *crop_name = helper_name (graph, layer, "_crop");
      const gint64 *hw = padding->padding.explicit_hw;
      JsonObject *config = common_config (ctx, crop_name);
      NsKerasInbound cropped = { ns_layer_get_name (layer), 0, ns_layer_get_info (layer)->output };

      /* The layer's own output is the valid one, 2P larger. */
      cropped.shape.dims[0] += 2 * hw[0];
      cropped.shape.dims[1] += 2 * hw[1];
      json_object_set_member (config, "cropping", margins_node (hw[0], hw[0], hw[1], hw[1]));
      json_object_set_string_member (config, "data_format", "channels_last");
      ns_keras_append_entry (ctx, layers, "Cropping2D", crop_name, config, &cropped, 1, FALSE, functional);
      g_ptr_array_add (ctx->helper_names, crop_name);
      g_hash_table_insert (ctx->output_names, layer, crop_name);
    }
}

/* ---- Models -------------------------------------------------------------------- */

static gboolean
is_chain (NsGraph *graph)
{
  GPtrArray *layers = ns_graph_get_sorted_layers (graph);
  g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
  g_autoptr(GPtrArray) outputs = ns_graph_get_outputs (graph);

  if (inputs->len != 1 || outputs->len != 1 || layers->len < 2 ||
      g_ptr_array_index (layers, 0) != g_ptr_array_index (inputs, 0) ||
      g_ptr_array_index (layers, layers->len - 1) != g_ptr_array_index (outputs, 0) ||
      !g_str_equal (ns_layer_get_layer_type (g_ptr_array_index (layers, 0))->keras_class, "InputLayer"))
    return FALSE;
  for (guint i = 1; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);

      if (ns_layer_get_n_inputs (layer) != 1 ||
          ns_layer_get_input (layer, 0) != g_ptr_array_index (layers, i - 1) ||
          ns_layer_get_n_consumers (g_ptr_array_index (layers, i - 1)) != 1)
        return FALSE;
    }
  return TRUE;
}

static gboolean
exports_as_sequential (NsGraph *graph)
{
  return g_strcmp0 (ns_graph_get_model_class (graph), "Sequential") == 0 && is_chain (graph);
}

static JsonNode *
endpoints_node (NsKerasExportContext *ctx,
                GPtrArray            *endpoints)
{
  JsonArray *array = json_array_sized_new (endpoints->len);
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < endpoints->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (endpoints, i);
      JsonArray *ref = json_array_sized_new (3);

      json_array_add_string_element (ref, output_name (ctx, layer));
      json_array_add_int_element (ref, is_nested_model (layer) &&
                                       !g_hash_table_contains (ctx->output_names, layer) ? 1 : 0);
      json_array_add_int_element (ref, 0);
      json_array_add_array_element (array, ref);
    }
  json_node_take_array (node, array);
  return node;
}

static JsonObject *
model_config (NsKerasExportContext *ctx,
              NsGraph              *graph,
              const char           *name,
              gboolean              sequential)
{
  GPtrArray *sorted = ns_graph_get_sorted_layers (graph);
  JsonObject *config = json_object_new ();
  JsonArray *layers = json_array_sized_new (sorted->len);

  json_object_set_string_member (config, "name", name);
  json_object_set_boolean_member (config, "trainable", TRUE);
  if (sequential && ctx->layout == NS_KERAS_LAYOUT_KERAS_3)
    json_object_set_member (config, "dtype", dtype_node (ctx));
  json_object_set_array_member (config, "layers", layers);

  for (guint i = 0; i < sorted->len; i++)
    append_layer (ctx, graph, layers, g_ptr_array_index (sorted, i), !sequential);

  if (sequential)
    {
      NsLayer *input = g_ptr_array_index (sorted, 0);
      JsonNode *shape = ns_keras_batch_shape_node (&ns_layer_get_info (input)->output);

      if (ctx->layout == NS_KERAS_LAYOUT_KERAS_3)
        json_object_set_member (config, "build_input_shape", shape);
      else
        {
          /* tf.keras 2 repeats it in the first layer after the InputLayer. */
          JsonObject *first = json_array_get_object_element (layers, 1);

          json_object_set_member (json_object_get_object_member (first, "config"),
                                  "batch_input_shape", shape);
        }
    }
  else
    {
      g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
      g_autoptr(GPtrArray) outputs = ns_graph_get_outputs (graph);

      json_object_set_member (config, "input_layers", endpoints_node (ctx, inputs));
      json_object_set_member (config, "output_layers", endpoints_node (ctx, outputs));
    }
  return config;
}

static JsonNode *
export_model (NsGraph        *graph,
              NsKerasLayout   layout,
              gboolean        functional,
              GError        **error)
{
  NsKerasExportContext ctx = { layout, NULL, NULL };
  gboolean sequential;
  const char *class_name;
  const char *name;
  JsonObject *root;
  JsonNode *node;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ns_export_check_graph (graph, error))
    return NULL;

  ctx.output_names = g_hash_table_new (NULL, NULL);
  ctx.helper_names = g_ptr_array_new_with_free_func (g_free);
  sequential = !functional && exports_as_sequential (graph);
  class_name = sequential ? "Sequential" : "Functional";
  name = ns_graph_get_name (graph) != NULL && *ns_graph_get_name (graph) != '\0'
         ? ns_graph_get_name (graph) : (sequential ? "sequential" : "model");

  root = json_object_new ();
  if (layout == NS_KERAS_LAYOUT_KERAS_3)
    json_object_set_string_member (root, "module", sequential ? "keras" : "keras.src.models.functional");
  json_object_set_string_member (root, "class_name", class_name);
  json_object_set_object_member (root, "config", model_config (&ctx, graph, name, sequential));
  if (layout == NS_KERAS_LAYOUT_KERAS_3)
    {
      JsonObject *build = json_object_new ();

      if (sequential)
        {
          NsLayer *input = g_ptr_array_index (ns_graph_get_sorted_layers (graph), 0);

          json_object_set_null_member (root, "registered_name");
          json_object_set_member (build, "input_shape",
                                  ns_keras_batch_shape_node (&ns_layer_get_info (input)->output));
        }
      else
        {
          json_object_set_string_member (root, "registered_name", "Functional");
          json_object_set_null_member (build, "input_shape");
        }
      json_object_set_object_member (root, "build_config", build);
    }
  else
    {
      json_object_set_string_member (root, "keras_version", TF_KERAS_VERSION);
      json_object_set_string_member (root, "backend", "tensorflow");
    }
  g_hash_table_unref (ctx.output_names);
  g_ptr_array_unref (ctx.helper_names);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, root);
  return node;
}

JsonNode *
ns_keras_export_model (NsGraph        *graph,
                       NsKerasLayout   layout,
                       GError        **error)
{
  return export_model (graph, layout, FALSE, error);
}

JsonNode *
ns_keras_export_functional (NsGraph        *graph,
                            NsKerasLayout   layout,
                            GError        **error)
{
  return export_model (graph, layout, TRUE, error);
}

char *
ns_keras_export_to_data (NsGraph        *graph,
                         NsKerasLayout   layout,
                         gsize          *length,
                         GError        **error)
{
  g_autoptr(JsonNode) root = ns_keras_export_model (graph, layout, error);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;
  char *data;

  if (root == NULL)
    return NULL;
  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  data = g_strconcat (text, "\n", NULL);
  if (length != NULL)
    *length = strlen (data);
  return data;
}
