/* ns-keras-import.c: the Keras / TensorFlow.js importer's entry points: finding
 * the model in the file's wrappers, and building Sequential and Functional
 * models call by call. */
#include "config.h"

#include <string.h>

#include "ns-keras-import-private.h"
#include "ns-layout.h"
#include "ns-tfjs-weights.h"

/* ---- Reading members ----------------------------------------------------- */

/* "batch_input_shape" → "batchInputShape", as tfjs spells config keys. */
static char *
snake_to_camel (const char *key)
{
  GString *out = g_string_sized_new (strlen (key));

  for (const char *p = key; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0' && p != key)
        g_string_append_c (out, g_ascii_toupper (*++p));
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

JsonNode *
ns_keras_member (JsonObject *object,
                 const char *key)
{
  JsonNode *node;
  g_autofree char *camel = NULL;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, key);
  if (node != NULL || strchr (key, '_') == NULL)
    return node;
  camel = snake_to_camel (key);
  return json_object_get_member (object, camel);
}

JsonObject *
ns_keras_member_object (JsonObject *object,
                        const char *key)
{
  JsonNode *node = ns_keras_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
ns_keras_member_array (JsonObject *object,
                       const char *key)
{
  JsonNode *node = ns_keras_member (object, key);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
ns_keras_member_string (JsonObject *object,
                        const char *key)
{
  JsonNode *node = ns_keras_member (object, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
ns_keras_fail (NsKerasImport *ctx,
               GError       **error,
               int            code,
               gconstpointer  at,
               const char    *path,
               const char    *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ns_json_source_fail_at (ctx->source, error, code,
                          ns_json_source_lookup_offset (ctx->source, at),
                          path, "%s", message);
}

char *
ns_keras_layer_path (const char *parent,
                     guint       index,
                     const char *name)
{
  const char *sep = parent != NULL && *parent != '\0' ? "." : "";

  if (parent == NULL)
    parent = "";
  if (name != NULL)
    return g_strdup_printf ("%s%slayers[%u] (%s)", parent, sep, index, name);
  return g_strdup_printf ("%s%slayers[%u]", parent, sep, index);
}

static gboolean
is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/* Reads a shape list; @with_batch drops its first item. */
static gboolean
read_shape (NsKerasImport *ctx,
            JsonNode      *node,
            gboolean       with_batch,
            const char    *path,
            NsShape       *shape,
            GError       **error)
{
  JsonArray *array;
  guint skip = with_batch ? 1 : 0;
  guint len;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (node), path,
                     _("expected a shape such as [null, 28, 28, 1], got %s"), got);
      return FALSE;
    }
  array = json_node_get_array (node);
  len = json_array_get_length (array);
  if (len < skip + 1 || len - skip > NS_MAX_RANK)
    {
      ns_keras_fail (ctx, error, NS_ERROR_INVALID_VALUE, ns_keras_at (node), path,
                     _("expected a shape of 1 to %u dimensions after the batch one, got %u"),
                     NS_MAX_RANK, len >= skip ? len - skip : 0);
      return FALSE;
    }
  shape->rank = len - skip;
  for (guint i = skip; i < len; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_NULL (item))
        shape->dims[i - skip] = NS_DIM_NONE;
      else if (is_integer (item) && json_node_get_int (item) >= 1 &&
               json_node_get_int (item) <= ((gint64) 1 << 40))
        shape->dims[i - skip] = json_node_get_int (item);
      else
        {
          g_autofree char *got = ns_json_describe_node (item);
          g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
          ns_keras_fail (ctx, error, NS_ERROR_INVALID_VALUE, item, item_path,
                         _("expected a size from 1 to 2^40 or null, got %s"), got);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
ns_keras_find_input_shape (NsKerasImport *ctx,
                           JsonObject    *layer,
                           const char    *layer_path,
                           NsShape       *shape,
                           GError       **error)
{
  static const struct { const char *key; gboolean with_batch; } keys[] = {
    { "batch_input_shape", TRUE },
    { "batch_shape", TRUE },
    { "input_shape", FALSE },
  };
  JsonNode *config_node = json_object_get_member (layer, "config");
  JsonObject *config = config_node != NULL && JSON_NODE_HOLDS_OBJECT (config_node)
                       ? json_node_get_object (config_node) : NULL;
  JsonObject *build;
  JsonNode *node;

  for (guint i = 0; config != NULL && i < G_N_ELEMENTS (keys); i++)
    {
      node = ns_keras_member (config, keys[i].key);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          g_autofree char *path = g_strdup_printf ("%s.config.%s", layer_path, keys[i].key);
          return read_shape (ctx, node, keys[i].with_batch, path, shape, error);
        }
    }
  /* Keras 3 records what a layer was built with. */
  build = ns_keras_member_object (layer, "build_config");
  node = ns_keras_member (build, "input_shape");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *path = g_strdup_printf ("%s.build_config.input_shape", layer_path);
      return read_shape (ctx, node, TRUE, path, shape, error);
    }
  node = ns_keras_member (config, "build_input_shape");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *path = g_strdup_printf ("%s.config.build_input_shape", layer_path);
      return read_shape (ctx, node, TRUE, path, shape, error);
    }
  return FALSE;
}

gboolean
ns_keras_is_model (JsonObject *layer)
{
  const char *class_name = ns_keras_member_string (layer, "class_name");
  JsonNode *config = json_object_get_member (layer, "config");

  if (class_name == NULL || config == NULL)
    return FALSE;
  if (g_strcmp0 (class_name, "Sequential") == 0)
    return TRUE;
  /* A Functional model's config holds its layers; "Model" is tfjs' name. */
  return (g_strcmp0 (class_name, "Functional") == 0 || g_strcmp0 (class_name, "Model") == 0) &&
         JSON_NODE_HOLDS_OBJECT (config) &&
         json_object_has_member (json_node_get_object (config), "layers");
}

/* ---- Sequential ---------------------------------------------------------- */

/* Keras 3 names a Sequential's input "input_layer"; tf.keras 2 and tfjs name
 * it after the first layer ("conv2d_input"), which is what summaries show. */
static gboolean
is_generic_input_name (const char *name)
{
  if (!g_str_has_prefix (name, "input_layer"))
    return FALSE;
  name += strlen ("input_layer");
  if (*name == '\0')
    return TRUE;
  if (*name++ != '_' || *name == '\0')
    return FALSE;
  for (; *name != '\0'; name++)
    if (!g_ascii_isdigit (*name))
      return FALSE;
  return TRUE;
}

const char *
ns_keras_entry_name (JsonObject *entry)
{
  const char *name = ns_keras_member_string (entry, "name");
  JsonObject *config = ns_keras_member_object (entry, "config");

  if (name == NULL && config != NULL)
    name = ns_keras_member_string (config, "name");
  return name != NULL && *name != '\0' ? name : NULL;
}

JsonObject *
ns_keras_require_entry (NsKerasImport *ctx,
               JsonArray     *layers,
               guint          index,
               const char    *path,
               GError       **error)
{
  JsonNode *node = json_array_get_element (layers, index);

  if (!JSON_NODE_HOLDS_OBJECT (node) ||
      ns_keras_member_string (json_node_get_object (node), "class_name") == NULL)
    {
      g_autofree char *got = ns_json_describe_node (node);
      g_autofree char *layer_path = ns_keras_layer_path (path, index, NULL);
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (node), layer_path,
                     _("expected a layer: an object with \"class_name\" and \"config\", got %s"), got);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
ns_keras_add_input_layer (NsKerasImport *ctx,
                 NsGraph       *graph,
                 const char    *name,
                 const NsShape *shape,
                 NsLayer      **out,
                 GError       **error)
{
  NsValue value = { .kind = NS_PROP_INTS };
  NsLayer *layer;

  layer = ns_graph_add_new_layer (graph, ns_layer_types_lookup ("InputLayer"), name, error);
  if (layer == NULL)
    return FALSE;
  value.ints.len = shape->rank;
  memcpy (value.ints.items, shape->dims, shape->rank * sizeof (gint64));
  if (!ns_graph_set_value (graph, layer, "shape", &value, error))
    return FALSE;
  *out = layer;
  return TRUE;
}

static gboolean
build_sequential (NsKerasImport *ctx,
                  NsGraph       *graph,
                  JsonObject    *model,
                  const char    *path,
                  GError       **error)
{
  JsonNode *config_node = json_object_get_member (model, "config");
  g_autofree char *layers_path = NULL;
  JsonObject *config = NULL;
  JsonArray *layers;
  NsLayer *previous = NULL;
  NsLayer *input = NULL;
  guint n;

  /* Keras 2.0–2.2 wrote a Sequential's config as the bare list of layers. */
  if (JSON_NODE_HOLDS_ARRAY (config_node))
    {
      layers = json_node_get_array (config_node);
      layers_path = g_strdup_printf ("%s%sconfig", path, *path ? "." : "");
    }
  else
    {
      config = json_node_get_object (config_node);
      layers = ns_keras_member_array (config, "layers");
      layers_path = g_strdup_printf ("%s%sconfig", path, *path ? "." : "");
      if (layers == NULL)
        {
          g_autofree char *where = g_strdup_printf ("%s.layers", layers_path);
          ns_keras_fail (ctx, error, NS_ERROR_PARSE, config, where,
                         _("expected the list of the model’s layers"));
          return FALSE;
        }
    }

  n = json_array_get_length (layers);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = ns_keras_require_entry (ctx, layers, i, layers_path, error);
      const char *class_name;
      const char *name;
      g_autofree char *layer_path = NULL;
      NsLayer *layer;

      if (entry == NULL)
        return FALSE;
      class_name = ns_keras_member_string (entry, "class_name");
      name = ns_keras_entry_name (entry);
      layer_path = ns_keras_layer_path (layers_path, i, name);

      if (g_strcmp0 (class_name, "InputLayer") == 0)
        {
          NsShape shape;
          g_autofree char *input_name = NULL;

          if (previous != NULL)
            {
              ns_keras_fail (ctx, error, NS_ERROR_GRAPH, entry, layer_path,
                             _("an InputLayer can only come first in a Sequential model"));
              return FALSE;
            }
          if (!ns_keras_find_input_shape (ctx, entry, layer_path, &shape, error))
            {
              if (error == NULL || *error == NULL)
                ns_keras_fail (ctx, error, NS_ERROR_PARSE, entry, layer_path,
                               _("the InputLayer declares no batch_input_shape or batch_shape"));
              return FALSE;
            }
          if (name != NULL && is_generic_input_name (name) && i + 1 < n)
            {
              JsonNode *next = json_array_get_element (layers, i + 1);
              const char *next_name = JSON_NODE_HOLDS_OBJECT (next)
                                      ? ns_keras_entry_name (json_node_get_object (next)) : NULL;
              if (next_name != NULL)
                name = input_name = g_strdup_printf ("%s_input", next_name);
            }
          if (!ns_keras_add_input_layer (ctx, graph, name, &shape, &input, error))
            {
              ns_json_source_prefix_at (ctx->source, error,
                                        ns_json_source_lookup_offset (ctx->source, entry), layer_path);
              return FALSE;
            }
          previous = input;
          continue;
        }

      if (previous == NULL)
        {
          /* No InputLayer entry (tfjs, old Keras): the first layer says
           * what it takes, and Keras names the implicit input after it. */
          g_autofree char *input_name = NULL;
          NsShape shape;
          gboolean found = ns_keras_find_input_shape (ctx, entry, layer_path, &shape, error);

          if (!found && error != NULL && *error != NULL)
            return FALSE;
          if (!found && config != NULL)
            {
              JsonNode *build = ns_keras_member (config, "build_input_shape");

              if (build == NULL)
                build = ns_keras_member (ns_keras_member_object (model, "build_config"), "input_shape");
              if (build != NULL && JSON_NODE_HOLDS_ARRAY (build))
                {
                  g_autofree char *build_path = g_strdup_printf ("%s.build_input_shape", layers_path);
                  if (!read_shape (ctx, build, TRUE, build_path, &shape, error))
                    return FALSE;
                  found = TRUE;
                }
            }
          if (!found)
            {
              ns_keras_fail (ctx, error, NS_ERROR_PARSE, entry, layer_path,
                             _("the first layer of a Sequential model must give its input shape (batch_input_shape)"));
              return FALSE;
            }
          input_name = g_strdup_printf ("%s_input", name != NULL ? name : "sequential");
          if (!ns_keras_add_input_layer (ctx, graph, input_name, &shape, &input, error))
            {
              ns_json_source_prefix_at (ctx->source, error,
                                        ns_json_source_lookup_offset (ctx->source, entry), layer_path);
              return FALSE;
            }
          previous = input;
        }

      layer = ns_keras_add_layer (ctx, graph, entry, name, 1, NULL, layer_path, error);
      if (layer == NULL)
        return FALSE;
      if (!ns_graph_connect (graph, previous, layer, 0, error))
        {
          ns_json_source_prefix_at (ctx->source, error,
                                    ns_json_source_lookup_offset (ctx->source, entry), layer_path);
          return FALSE;
        }
      previous = layer;
    }

  if (input == NULL)
    {
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, layers, layers_path,
                     _("the Keras model has no layers"));
      return FALSE;
    }
  ns_graph_set_model_class (graph, "Sequential");
  {
    g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
    g_autoptr(GPtrArray) outputs = g_ptr_array_new ();

    g_ptr_array_add (inputs, input);
    g_ptr_array_add (outputs, previous);
    ns_graph_set_inputs (graph, inputs);
    ns_graph_set_outputs (graph, outputs);
  }
  return TRUE;
}

NsGraph *
ns_keras_build_model (NsKerasImport *ctx,
                      JsonObject    *model,
                      const char    *path,
                      GError       **error)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  const char *class_name = ns_keras_member_string (model, "class_name");
  JsonNode *config = json_object_get_member (model, "config");
  const char *name = ns_keras_entry_name (model);
  gboolean ok;

  if (ctx->depth >= NS_KERAS_MAX_DEPTH)
    {
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, model, path,
                     _("models nested more than %u deep"), NS_KERAS_MAX_DEPTH);
      return NULL;
    }
  if (config == NULL ||
      (!JSON_NODE_HOLDS_OBJECT (config) &&
       !(JSON_NODE_HOLDS_ARRAY (config) && g_strcmp0 (class_name, "Sequential") == 0)))
    {
      g_autofree char *got = ns_json_describe_node (config);
      g_autofree char *where = g_strdup_printf ("%s%sconfig", path, *path ? "." : "");
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, config != NULL ? ns_keras_at (config) : (gconstpointer) model, where,
                     _("expected the model’s config object, got %s"), got);
      return NULL;
    }

  ns_graph_set_name (graph, name != NULL ? name
                     : g_strcmp0 (class_name, "Sequential") == 0 ? "sequential" : "model");
  ctx->depth++;
  ns_graph_freeze_inference (graph);
  if (g_strcmp0 (class_name, "Sequential") == 0)
    ok = build_sequential (ctx, graph, model, path, error);
  else
    ok = ns_keras_build_functional (ctx, graph, model, path, error);
  ns_graph_thaw_inference (graph);
  ctx->depth--;
  if (!ok)
    return NULL;
  return g_steal_pointer (&graph);
}

/* ---- Entry points -------------------------------------------------------- */

/* Finds the model object in the file's wrappers: tfjs' modelTopology, which
 * may hold {"model_config": …}, and Keras' model_config attribute. */
static JsonObject *
find_model (JsonNode   *root,
            JsonNode  **manifest)
{
  JsonObject *object;

  *manifest = NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (json_object_has_member (object, "modelTopology"))
    {
      JsonObject *topology = ns_keras_member_object (object, "modelTopology");

      *manifest = json_object_get_member (object, "weightsManifest");
      object = topology;
    }
  if (object != NULL && json_object_has_member (object, "model_config") &&
      !json_object_has_member (object, "class_name"))
    object = ns_keras_member_object (object, "model_config");
  if (object == NULL || ns_keras_member_string (object, "class_name") == NULL)
    return NULL;
  return object;
}

/* Opaque layers that pass their input through (AddLoss, AddMetric…), and
 * Lambdas that declare an output_shape, get their shapes once their inputs
 * are inferred, so that what follows them infers too. */
static void
fill_opaque_shapes (NsGraph *graph)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (ns_graph_get_sorted_layers (graph), NULL, NULL);

  for (guint i = 0; i < sorted->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (sorted, i);
      JsonObject *extra = ns_layer_get_extra (layer);
      const NsValue *class_name = ns_layer_get_value (layer, "class_name");
      JsonObject *original, *config;
      NsLayer *input = ns_layer_get_input (layer, 0);
      NsValue shape = { .kind = NS_PROP_INTS };
      JsonNode *declared;

      if (ns_layer_get_subgraph (layer) != NULL)
        fill_opaque_shapes (ns_layer_get_subgraph (layer));
      if (g_strcmp0 (ns_layer_get_layer_type (layer)->keras_class, "OpaqueLayer") != 0 ||
          class_name == NULL || extra == NULL)
        continue;
      original = json_object_get_object_member (extra, NS_KERAS_EXTRA_ORIGINAL);
      config = original != NULL ? ns_keras_member_object (original, "config") : NULL;
      declared = ns_keras_member (config, "output_shape");
      if (declared != NULL && JSON_NODE_HOLDS_ARRAY (declared))
        {
          JsonArray *dims = json_node_get_array (declared);
          guint len = json_array_get_length (dims);

          if (len == 0 || len > NS_MAX_RANK)
            continue;
          shape.ints.len = len;
          for (guint d = 0; d < len; d++)
            {
              JsonNode *dim = json_array_get_element (dims, d);

              shape.ints.items[d] = JSON_NODE_HOLDS_VALUE (dim) &&
                                    json_node_get_value_type (dim) == G_TYPE_INT64
                                    ? json_node_get_int (dim) : NS_DIM_NONE;
            }
        }
      else if (ns_keras_is_pass_through (original) && input != NULL &&
               ns_layer_get_info (input)->state == NS_LAYER_OK)
        {
          const NsShape *in = &ns_layer_get_info (input)->output;

          shape.ints.len = in->rank;
          memcpy (shape.ints.items, in->dims, in->rank * sizeof (gint64));
        }
      else
        continue;
      /* A shape the declaration refuses just leaves the layer asking for one. */
      ns_graph_set_value (graph, layer, "output_shape", &shape, NULL);
    }
}

static void
lay_out_all (NsGraph *graph)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (graph));

  ns_layout_graph (graph, NS_LAYOUT_LEFT_TO_RIGHT);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (graph), i);

      if (ns_layer_get_subgraph (layer) != NULL)
        lay_out_all (ns_layer_get_subgraph (layer));
    }
}

NsGraph *
ns_keras_import_from_source (NsJsonSource *source,
                             const char   *display_name,
                             GFile        *base_dir,
                             GError      **error)
{
  NsKerasImport ctx = { source, display_name, 0, FALSE, 1 };
  JsonNode *root = ns_json_source_get_root (source);
  g_autoptr(NsGraph) graph = NULL;
  JsonNode *manifest;
  JsonObject *model;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Some tools save model.to_json()'s result with json.dump: a JSON string
   * that holds the model's JSON. */
  if (root != NULL && JSON_NODE_HOLDS_VALUE (root) &&
      json_node_get_value_type (root) == G_TYPE_STRING)
    {
      const char *inner = json_node_get_string (root);
      g_autoptr(NsJsonSource) inner_source = ns_json_source_parse (inner, -1, display_name, error);

      if (inner_source == NULL)
        return NULL;
      if (JSON_NODE_HOLDS_VALUE (ns_json_source_get_root (inner_source)))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_PARSE,
                       _("%s: a JSON string inside a JSON string is not a model"), display_name);
          return NULL;
        }
      return ns_keras_import_from_source (inner_source, display_name, base_dir, error);
    }

  model = find_model (root, &manifest);
  if (model == NULL)
    {
      ns_keras_fail (&ctx, error, NS_ERROR_PARSE, ns_keras_at (root), NULL,
                     _("not a Keras or TensorFlow.js model: no \"class_name\" and \"config\" found"));
      return NULL;
    }
  ctx.keras3 = json_object_has_member (model, "module");
  if (!ns_keras_is_model (model))
    {
      ns_keras_fail (&ctx, error, NS_ERROR_PARSE, model, "class_name",
                     _("expected a model (Sequential, Functional or Model), got the layer class %s"),
                     ns_keras_member_string (model, "class_name"));
      return NULL;
    }

  graph = ns_keras_build_model (&ctx, model, "", error);
  if (graph == NULL)
    return NULL;
  fill_opaque_shapes (graph);
  if (base_dir != NULL && manifest != NULL && !JSON_NODE_HOLDS_NULL (manifest) &&
      !ns_tfjs_weights_load (graph, source, manifest, base_dir, error))
    return NULL;
  lay_out_all (graph);
  return g_steal_pointer (&graph);
}

NsGraph *
ns_keras_import_from_data (const char  *data,
                           gssize       length,
                           const char  *display_name,
                           GFile       *base_dir,
                           GError     **error)
{
  g_autoptr(NsJsonSource) source = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = ns_json_source_parse (data != NULL ? data : "", length, display_name, error);
  if (source == NULL)
    return NULL;
  return ns_keras_import_from_source (source, display_name, base_dir, error);
}
