/* ns-keras-import-layer.c: one Keras layer entry into one graph layer: class
 * lookup, the config mapped onto the declared properties, nested models,
 * TFOpLambda ops and opaque layers for everything else. */
#include "config.h"

#include <string.h>

#include "ns-keras-import-private.h"

/* Config keys every layer has that never reach a property. */
static const char *const ignored_keys[] = {
  "name", "trainable", "dtype", "batch_input_shape", "batch_shape", "input_shape",
  NULL,
};

/* Keras initializer classes and tfjs' VarianceScaling spellings, by the
 * native names of ns_initializer_choices. */
static const struct {
  const char *class_name;
  const char *native;
  double      scale;        /* VarianceScaling: 0 for "not one" */
  const char *mode;
  const char *distribution;
} initializers[] = {
  { "GlorotUniform", "glorot_uniform", 1.0, "fan_avg", "uniform" },
  { "GlorotNormal", "glorot_normal", 1.0, "fan_avg", "truncated_normal" },
  { "GlorotNormal", "glorot_normal", 1.0, "fan_avg", "normal" },
  { "HeNormal", "he_normal", 2.0, "fan_in", "truncated_normal" },
  { "HeNormal", "he_normal", 2.0, "fan_in", "normal" },
  { "HeUniform", "he_uniform", 2.0, "fan_in", "uniform" },
  { "LecunNormal", "lecun_normal", 1.0, "fan_in", "truncated_normal" },
  { "LecunNormal", "lecun_normal", 1.0, "fan_in", "normal" },
  { "LecunUniform", "lecun_uniform", 1.0, "fan_in", "uniform" },
  { "RandomNormal", "random_normal", 0, NULL, NULL },
  { "RandomUniform", "random_uniform", 0, NULL, NULL },
  { "TruncatedNormal", "truncated_normal", 0, NULL, NULL },
  { "Orthogonal", "orthogonal", 0, NULL, NULL },
  { "Zeros", "zeros", 0, NULL, NULL },
  { "Ones", "ones", 0, NULL, NULL },
};

/* {"class_name": "HeNormal", …} → "he_normal"; NULL when Netsketch has no
 * such choice (the original is kept verbatim instead). */
static const char *
map_initializer (JsonNode *node)
{
  JsonObject *object, *config;
  const char *class_name;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      for (guint i = 0; i < G_N_ELEMENTS (initializers); i++)
        if (g_ascii_strcasecmp (text, initializers[i].class_name) == 0)
          return initializers[i].native;
      return text;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  class_name = ns_keras_member_string (object, "class_name");
  config = ns_keras_member_object (object, "config");
  if (class_name == NULL)
    return NULL;
  if (g_strcmp0 (class_name, "VarianceScaling") == 0 && config != NULL)
    {
      JsonNode *scale = ns_keras_member (config, "scale");
      const char *mode = ns_keras_member_string (config, "mode");
      const char *distribution = ns_keras_member_string (config, "distribution");

      if (scale == NULL || !JSON_NODE_HOLDS_VALUE (scale) || mode == NULL || distribution == NULL)
        return NULL;
      for (guint i = 0; i < G_N_ELEMENTS (initializers); i++)
        if (initializers[i].mode != NULL &&
            initializers[i].scale == json_node_get_double (scale) &&
            g_strcmp0 (initializers[i].mode, mode) == 0 &&
            g_strcmp0 (initializers[i].distribution, distribution) == 0)
          return initializers[i].native;
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (initializers); i++)
    if (g_strcmp0 (initializers[i].class_name, class_name) == 0)
      return initializers[i].native;
  return NULL;
}

/* Keras 3 serialises a function as {"class_name": "function", "config": "relu"}. */
static JsonNode *
unwrap_function (JsonNode *node)
{
  JsonObject *object;
  JsonNode *config;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  config = json_object_get_member (object, "config");
  if (config != NULL && JSON_NODE_HOLDS_VALUE (config) &&
      json_node_get_value_type (config) == G_TYPE_STRING)
    return config;
  return NULL;
}

/* "kernelSize" → "kernel_size", for tfjs' camelCase configs. */
static char *
camel_to_snake (const char *key)
{
  GString *out = g_string_sized_new (strlen (key) + 4);

  for (const char *p = key; *p != '\0'; p++)
    {
      if (g_ascii_isupper (*p) && p != key)
        {
          g_string_append_c (out, '_');
          g_string_append_c (out, g_ascii_tolower (*p));
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* The property key a Keras config key sets on @type, or NULL. */
static const char *
property_key (const NsLayerType *type,
              const char        *key,
              char             **owned)
{
  *owned = NULL;
  if (ns_layer_type_find_prop (type, key) >= 0)
    return key;
  /* Keras 3 renamed LeakyReLU's alpha. */
  if (g_strcmp0 (type->keras_class, "LeakyReLU") == 0 && g_strcmp0 (key, "negative_slope") == 0)
    return "alpha";
  *owned = camel_to_snake (key);
  if (strcmp (*owned, key) != 0 && ns_layer_type_find_prop (type, *owned) >= 0)
    return *owned;
  return NULL;
}

/* The JSON to read for a declared property: Keras' spellings turned into the
 * native ones. Returns a new node, or NULL to keep the default (the value is
 * then kept verbatim with the layer's extra config). */
static JsonNode *
convert_value (const NsPropDecl *decl,
               JsonNode         *node)
{
  if (decl->kind == NS_PROP_CHOICE && g_str_has_suffix (decl->key, "_initializer"))
    {
      const char *native = map_initializer (node);
      JsonNode *out;

      if (native == NULL)
        return NULL;
      out = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (out, native);
      return out;
    }
  if (decl->kind == NS_PROP_CHOICE && unwrap_function (node) != NULL)
    return json_node_copy (unwrap_function (node));
  if (decl->kind == NS_PROP_INTS && g_strcmp0 (decl->key, "target_shape") == 0 &&
      JSON_NODE_HOLDS_ARRAY (node))
    {
      /* tfjs writes Reshape's -1 as null. */
      JsonArray *in = json_node_get_array (node);
      g_autoptr(JsonArray) out = json_array_new ();

      for (guint i = 0; i < json_array_get_length (in); i++)
        {
          JsonNode *item = json_array_get_element (in, i);

          if (JSON_NODE_HOLDS_NULL (item))
            json_array_add_int_element (out, -1);
          else
            json_array_add_element (out, json_node_copy (item));
        }
      return json_node_init_array (json_node_alloc (), out);
    }
  return json_node_copy (node);
}

static gboolean
read_config (NsKerasImport *ctx,
             NsGraph       *graph,
             NsLayer       *layer,
             JsonObject    *config,
             const char    *path,
             JsonObject   **extra_config,
             GError       **error)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  g_autoptr(GList) members = json_object_get_members (config);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (config, key);
      g_autofree char *owned = NULL;
      g_autofree char *key_path = NULL;
      g_autoptr(JsonNode) converted = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *prop = property_key (type, key, &owned);
      const NsPropDecl *decl;
      NsValue value;

      key_path = g_strdup_printf ("%s.config.%s", path, key);
      if (g_strcmp0 (key, "data_format") == 0 && JSON_NODE_HOLDS_VALUE (node) &&
          g_strcmp0 (json_node_get_string (node), "channels_first") == 0)
        {
          ns_keras_fail (ctx, error, NS_ERROR_INVALID_VALUE, ns_keras_at (node), key_path,
                         _("channels_first layers are not supported; Netsketch works channels-last (NHWC)"));
          return FALSE;
        }
      if (prop == NULL || g_strv_contains (ignored_keys, key))
        {
          if (!g_strv_contains (ignored_keys, key))
            {
              /* Regularizers, constraints and settings Netsketch does not
               * model: kept verbatim for saving and export. */
              if (*extra_config == NULL)
                *extra_config = json_object_new ();
              json_object_set_member (*extra_config, key, json_node_copy (node));
            }
          continue;
        }

      decl = &type->props[ns_layer_type_find_prop (type, prop)];
      converted = convert_value (decl, node);
      if (converted != NULL && ns_value_from_json (decl, converted, &value, &local_error))
        {
          if (!ns_value_equal (&value, &ns_layer_get_values (layer)[ns_layer_type_find_prop (type, prop)]) &&
              !ns_graph_set_value (graph, layer, prop, &value, &local_error))
            {
              ns_keras_fail (ctx, error, NS_ERROR_INVALID_VALUE, ns_keras_at (node), key_path, "%s",
                             local_error->message);
              return FALSE;
            }
          continue;
        }
      if (decl->kind == NS_PROP_CHOICE)
        {
          /* An initializer or activation Netsketch has no name for changes
           * no shape: keep the default and the original beside it. */
          if (*extra_config == NULL)
            *extra_config = json_object_new ();
          json_object_set_member (*extra_config, key, json_node_copy (node));
          continue;
        }
      ns_keras_fail (ctx, error, NS_ERROR_INVALID_VALUE, ns_keras_at (node), key_path, "%s",
                     local_error != NULL ? local_error->message : _("unexpected value"));
      return FALSE;
    }
  return TRUE;
}

/* ---- TFOpLambda ---------------------------------------------------------- */

/* tf ops recorded as layers that Netsketch has a real type for. */
static const struct {
  const char *function;
  const char *keras_class;
  const char *activation;      /* for Activation */
  guint       min_inputs;      /* tensors the op must take to be this type */
} known_ops[] = {
  { "nn.relu", "Activation", "relu", 1 },
  { "nn.relu6", "Activation", "relu6", 1 },
  { "math.sigmoid", "Activation", "sigmoid", 1 },
  { "nn.sigmoid", "Activation", "sigmoid", 1 },
  { "math.tanh", "Activation", "tanh", 1 },
  { "nn.tanh", "Activation", "tanh", 1 },
  { "nn.softmax", "Activation", "softmax", 1 },
  { "nn.silu", "Activation", "silu", 1 },
  { "nn.gelu", "Activation", "gelu", 1 },
  { "nn.elu", "Activation", "elu", 1 },
  { "nn.selu", "Activation", "selu", 1 },
  { "concat", "Concatenate", NULL, 2 },
  { "math.add", "Add", NULL, 2 },
  { "__operators__.add", "Add", NULL, 2 },
  { "math.subtract", "Subtract", NULL, 2 },
  { "math.multiply", "Multiply", NULL, 2 },
  { "math.maximum", "Maximum", NULL, 2 },
  { "math.minimum", "Minimum", NULL, 2 },
};

/* Classes that pass their input through with its shape: their output shape
 * is filled in once the input is known (see ns_keras_fill_pass_through). */
static const char *const pass_through_classes[] = {
  "AddLoss", "AddMetric", "ActivityRegularization", "Masking",
  NULL,
};

static const NsLayerType *
map_op (JsonObject  *config,
        guint        n_inputs,
        const char **activation)
{
  const char *function = ns_keras_member_string (config, "function");

  *activation = NULL;
  if (function == NULL)
    return NULL;
  if (g_str_has_prefix (function, "tf."))
    function += 3;
  for (guint i = 0; i < G_N_ELEMENTS (known_ops); i++)
    if (g_strcmp0 (known_ops[i].function, function) == 0 && n_inputs >= known_ops[i].min_inputs)
      {
        *activation = known_ops[i].activation;
        return ns_layer_types_lookup (known_ops[i].keras_class);
      }
  return NULL;
}

static gboolean
set_string (NsGraph    *graph,
            NsLayer    *layer,
            const char *key,
            const char *text,
            GError    **error)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  int index = ns_layer_type_find_prop (type, key);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  NsValue value;

  json_node_set_string (node, text);
  return index >= 0 &&
         ns_value_from_json (&type->props[index], node, &value, error) &&
         ns_graph_set_value (graph, layer, key, &value, error);
}

/* ---- Layers -------------------------------------------------------------- */

static NsLayer *
add_nested (NsKerasImport *ctx,
            NsGraph       *graph,
            JsonObject    *entry,
            const char    *name,
            const char    *path,
            GError       **error)
{
  g_autoptr(NsGraph) subgraph = ns_keras_build_model (ctx, entry, path, error);
  g_autoptr(NsLayer) layer = NULL;
  g_autofree char *id = NULL;

  if (subgraph == NULL)
    return NULL;
  if (name == NULL)
    name = ns_graph_get_name (subgraph);
  do
    {
      g_free (id);
      id = g_strdup_printf ("k%u", ctx->next_id++);
    }
  while (ns_graph_find_by_id (graph, id) != NULL);
  layer = ns_layer_new (ns_layer_types_lookup ("Functional"), id, name);
  ns_layer_set_subgraph (layer, subgraph);
  if (!ns_graph_add_layer (graph, layer, error))
    {
      ns_json_source_prefix_at (ctx->source, error, ns_json_source_lookup_offset (ctx->source, entry), path);
      return NULL;
    }
  return layer;
}

static NsLayer *
add_layer_entry (NsKerasImport *ctx,
                 NsGraph       *graph,
                 JsonObject    *entry,
                 const char    *name,
                 guint          n_inputs,
                 JsonObject    *call_kwargs,
                 const char    *path,
                 GError       **error)
{
  const char *class_name = ns_keras_member_string (entry, "class_name");
  JsonNode *config_node = json_object_get_member (entry, "config");
  JsonObject *config = config_node != NULL && JSON_NODE_HOLDS_OBJECT (config_node)
                       ? json_node_get_object (config_node) : NULL;
  g_autoptr(JsonObject) extra_config = NULL;
  const NsLayerType *type = NULL;
  const char *activation = NULL;
  gboolean opaque = FALSE;
  NsLayer *layer;

  if (ns_keras_is_model (entry))
    return add_nested (ctx, graph, entry, name, path, error);

  if (config_node != NULL && !JSON_NODE_HOLDS_OBJECT (config_node) && !JSON_NODE_HOLDS_NULL (config_node))
    {
      g_autofree char *got = ns_json_describe_node (config_node);
      g_autofree char *where = g_strdup_printf ("%s.config", path);
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (config_node), where,
                     _("expected the layer’s config object, got %s"), got);
      return NULL;
    }

  if (g_strcmp0 (class_name, "TFOpLambda") == 0 || g_strcmp0 (class_name, "SlicingOpLambda") == 0)
    type = map_op (config, n_inputs, &activation);
  else if (g_strcmp0 (class_name, "OpaqueLayer") != 0 && g_strcmp0 (class_name, "Functional") != 0)
    type = ns_layer_types_lookup (class_name);
  if (type != NULL && type->max_inputs < n_inputs)
    type = NULL;
  if (type == NULL)
    {
      type = ns_layer_types_lookup ("OpaqueLayer");
      opaque = TRUE;
    }

  layer = ns_graph_add_new_layer (graph, type, name, error);
  if (layer == NULL)
    {
      ns_json_source_prefix_at (ctx->source, error, ns_json_source_lookup_offset (ctx->source, entry), path);
      return NULL;
    }

  if (opaque)
    {
      g_autoptr(JsonObject) extra = json_object_new ();

      if (!set_string (graph, layer, "class_name", class_name, error))
        return NULL;
      /* The whole entry, verbatim: exporters write it back as it was. */
      json_object_set_member (extra, NS_KERAS_EXTRA_ORIGINAL,
                              json_node_init_object (json_node_alloc (), entry));
      ns_layer_set_extra (layer, extra);
      return layer;
    }

  if (activation != NULL)
    {
      if (!set_string (graph, layer, "activation", activation, error))
        return NULL;
    }
  else if (type->min_inputs >= 2 && call_kwargs != NULL &&
           ns_keras_member_string (entry, "class_name") != NULL &&
           g_str_has_suffix (class_name, "OpLambda"))
    {
      /* tf.concat's axis is a call argument, not config. */
      JsonNode *axis = ns_keras_member (call_kwargs, "axis");
      int index = ns_layer_type_find_prop (type, "axis");
      NsValue value;

      if (axis != NULL && index >= 0 &&
          ns_value_from_json (&type->props[index], axis, &value, NULL))
        ns_graph_set_value (graph, layer, "axis", &value, NULL);
    }
  else if (config != NULL &&
           !read_config (ctx, graph, layer, config, path, &extra_config, error))
    return NULL;

  if (extra_config != NULL || g_str_has_suffix (class_name, "OpLambda"))
    {
      g_autoptr(JsonObject) extra = json_object_new ();

      if (g_str_has_suffix (class_name, "OpLambda"))
        json_object_set_member (extra, NS_KERAS_EXTRA_ORIGINAL,
                                json_node_init_object (json_node_alloc (), entry));
      else
        json_object_set_object_member (extra, "config", g_steal_pointer (&extra_config));
      ns_layer_set_extra (layer, extra);
    }
  return layer;
}

NsLayer *
ns_keras_add_layer (NsKerasImport *ctx,
                    NsGraph       *graph,
                    JsonObject    *entry,
                    const char    *name,
                    guint          n_inputs,
                    JsonObject    *call_kwargs,
                    const char    *path,
                    GError       **error)
{
  NsLayer *layer = add_layer_entry (ctx, graph, entry, name, n_inputs, call_kwargs, path, error);
  JsonNode *config = layer != NULL ? json_object_get_member (entry, "config") : NULL;
  JsonNode *trainable = config != NULL && JSON_NODE_HOLDS_OBJECT (config)
                        ? json_object_get_member (json_node_get_object (config), "trainable") : NULL;

  /* A frozen layer (transfer learning's base model): Keras counts its
   * weights as non-trainable. */
  if (trainable != NULL && JSON_NODE_HOLDS_VALUE (trainable) &&
      json_node_get_value_type (trainable) == G_TYPE_BOOLEAN && !json_node_get_boolean (trainable))
    ns_graph_set_trainable (graph, layer, FALSE);
  return layer;
}

/* tf ops that keep their first input's shape when the other operand is a
 * constant (x * 0.5, x + 1). */
static const char *const elementwise_ops[] = {
  "math.add", "__operators__.add", "math.subtract", "math.multiply", "math.divide",
  "math.truediv", "__operators__.truediv", "math.maximum", "math.minimum", "math.pow",
  "math.abs", "math.exp", "math.log", "math.sqrt", "math.square", "math.negative",
  "nn.leaky_relu", "math.sin", "math.cos", "clip_by_value", "cast", "identity",
  NULL,
};

gboolean
ns_keras_is_pass_through (JsonObject *entry)
{
  const char *class_name = ns_keras_member_string (entry, "class_name");
  const char *function;

  if (class_name == NULL)
    return FALSE;
  if (g_strv_contains (pass_through_classes, class_name))
    return TRUE;
  if (g_strcmp0 (class_name, "TFOpLambda") != 0)
    return FALSE;
  function = ns_keras_member_string (ns_keras_member_object (entry, "config"), "function");
  if (function != NULL && g_str_has_prefix (function, "tf."))
    function += 3;
  return function != NULL && g_strv_contains (elementwise_ops, function);
}
