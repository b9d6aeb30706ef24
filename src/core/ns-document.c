/* ns-document.c: loading the .netsketch format, with exact error positions. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ns-document-private.h"

gboolean
ns_document_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
read_number (JsonNode *node,
             double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

/* A required non-empty string member. */
const char *
ns_document_require_string (NsJsonSource *source,
                            JsonObject   *object,
                            const char   *key,
                            const char   *parent_path,
                            GError      **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *path = g_strdup_printf ("%s.%s", parent_path, key);

  if (node == NULL)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, object), path,
                              _("missing, expected a string"));
      return NULL;
    }
  if (!ns_document_is_string (node) || *json_node_get_string (node) == '\0')
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a non-empty string, got %s"), got);
      return NULL;
    }
  return json_node_get_string (node);
}

/* Lower case without underscores: how a misspelt class name is matched. */
static char *
normalize_type_name (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  g_auto(GStrv) parts = g_strsplit (lower, "_", -1);

  return g_strjoinv ("", parts);
}

/* Case and underscores aside, "conv2d" and "batch_normalization" are plain
 * misspellings of a known class; anything further is not guessed at: Conv3D
 * is a real Keras layer, not a typo of Conv2D. */
static const char *
suggest_type (const char *given)
{
  g_autofree char *want = normalize_type_name (given);
  const NsLayerType *const *types;
  guint n_types = 0;

  types = ns_layer_types_get_all (&n_types);
  for (guint i = 0; i < n_types; i++)
    {
      g_autofree char *by_class = normalize_type_name (types[i]->keras_class);
      g_autofree char *by_name = types[i]->default_name
                                 ? normalize_type_name (types[i]->default_name) : NULL;

      if (g_str_equal (want, by_class) || g_strcmp0 (want, by_name) == 0)
        return types[i]->keras_class;
    }
  return NULL;
}

static gboolean
is_known_key (const char        *key,
              const char *const *known)
{
  return g_strv_contains (known, key);
}

/* Unknown members of @object, in file order, or NULL when there are none. */
static JsonObject *
collect_extra (JsonObject        *object,
               const char *const *known)
{
  g_autoptr(GList) members = json_object_get_members (object);
  JsonObject *extra = NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (is_known_key (l->data, known))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, l->data,
                              json_node_copy (json_object_get_member (object, l->data)));
    }
  return extra;
}

static gboolean
load_config (NsJsonSource *source,
             NsGraph     *graph,
             NsLayer     *layer,
             JsonObject  *config,
             const char  *layer_path,
             JsonObject **extra_config,
             GError     **error)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  g_autoptr(GList) members = json_object_get_members (config);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (config, key);
      int index = ns_layer_type_find_prop (type, key);
      g_autofree char *path = NULL;
      NsValue value;

      if (index < 0)
        {
          /* A setting this Netsketch does not know: keep it for saving. */
          if (*extra_config == NULL)
            *extra_config = json_object_new ();
          json_object_set_member (*extra_config, key, json_node_copy (node));
          continue;
        }
      path = g_strdup_printf ("%s.config.%s", layer_path, key);
      if (!ns_value_from_json (&type->props[index], node, &value, error) ||
          (!ns_value_equal (&value, &ns_layer_get_values (layer)[index]) &&
           !ns_graph_set_value (graph, layer, key, &value, error)))
        {
          ns_json_source_prefix_at (source, error, ns_json_source_node_offset (source, node), path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean load_graph_members (NsJsonSource *source,
                                    NsGraph      *graph,
                                    JsonObject   *root,
                                    const char   *prefix,
                                    guint         depth,
                                    GError      **error);

/* A nested model's layers, as a graph of their own (ids are per graph). */
static NsGraph *
load_subgraph (NsJsonSource *source,
               JsonNode     *node,
               const char   *path,
               guint         depth,
               GError      **error)
{
  g_autoptr(NsGraph) subgraph = NULL;
  g_autofree char *prefix = g_strconcat (path, ".", NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a model (an object with \"layers\"), got %s"), got);
      return NULL;
    }
  if (depth > NS_DOCUMENT_MAX_MODEL_DEPTH)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("models are nested more than %d deep; Netsketch opens up to %d levels"),
                              NS_DOCUMENT_MAX_MODEL_DEPTH, NS_DOCUMENT_MAX_MODEL_DEPTH);
      return NULL;
    }

  subgraph = ns_graph_new ();
  ns_graph_freeze_inference (subgraph);
  if (!load_graph_members (source, subgraph, json_node_get_object (node), prefix, depth, error))
    return NULL;
  ns_graph_thaw_inference (subgraph);
  return g_steal_pointer (&subgraph);
}

/* Returns the layer added (owned by the graph), or NULL. @prefix is the path
 * of the graph's members ("" at the top), @depth how deep its model nests. */
static NsLayer *
load_layer (NsJsonSource *source,
            NsGraph     *graph,
            const char  *prefix,
            guint        depth,
            guint        index,
            JsonNode    *node,
            GError     **error)
{
  static const char *const known[] = { "id", "type", "name", "position", "config", "trainable",
                                       "shares_weights_of", "model", "weights", NULL };
  g_autofree char *path = g_strdup_printf ("%slayers[%u]", prefix, index);
  g_autoptr(NsLayer) layer = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(JsonObject) extra_config = NULL;
  const NsLayerType *type;
  const char *id, *type_name, *name;
  JsonObject *object;
  JsonNode *position, *config, *model, *weights, *trainable;
  double x = 0, y = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a layer (an object), got %s"), got);
      return NULL;
    }
  object = json_node_get_object (node);

  if ((id = ns_document_require_string (source, object, "id", path, error)) == NULL ||
      (type_name = ns_document_require_string (source, object, "type", path, error)) == NULL ||
      (name = ns_document_require_string (source, object, "name", path, error)) == NULL)
    return NULL;

  type = ns_layer_types_lookup (type_name);
  if (type == NULL)
    {
      const char *suggestion = suggest_type (type_name);
      g_autofree char *type_path = g_strdup_printf ("%s.type", path);
      gsize offset = ns_json_source_node_offset (source, json_object_get_member (object, "type"));

      if (suggestion != NULL)
        ns_json_source_fail_at (source, error, NS_ERROR_UNKNOWN_TYPE, offset, type_path,
                                _("unknown layer type “%s”; did you mean “%s”?"), type_name, suggestion);
      else
        ns_json_source_fail_at (source, error, NS_ERROR_UNKNOWN_TYPE, offset, type_path,
                                _("unknown layer type “%s”; this version of Netsketch cannot use it"),
                                type_name);
      return NULL;
    }

  position = json_object_get_member (object, "position");
  if (position != NULL &&
      (!JSON_NODE_HOLDS_ARRAY (position) ||
       json_array_get_length (json_node_get_array (position)) != 2 ||
       !read_number (json_array_get_element (json_node_get_array (position), 0), &x) ||
       !read_number (json_array_get_element (json_node_get_array (position), 1), &y)))
    {
      g_autofree char *got = ns_json_describe_node (position);
      g_autofree char *position_path = g_strdup_printf ("%s.position", path);

      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, position), position_path,
                              _("expected two numbers [x, y], got %s"), got);
      return NULL;
    }

  config = json_object_get_member (object, "config");
  if (config != NULL && !JSON_NODE_HOLDS_OBJECT (config))
    {
      g_autofree char *got = ns_json_describe_node (config);
      g_autofree char *config_path = g_strdup_printf ("%s.config", path);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, config), config_path,
                              _("expected an object of settings, got %s"), got);
      return NULL;
    }

  layer = ns_layer_new (type, id, name);
  ns_layer_set_position (layer, x, y);

  model = json_object_get_member (object, "model");
  if (model != NULL)
    {
      g_autofree char *model_path = g_strdup_printf ("%s.model", path);
      g_autoptr(NsGraph) subgraph = NULL;

      if (!g_str_equal (type->keras_class, "Functional"))
        {
          ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, model), model_path,
                                  _("only a nested model (type “Functional”) holds a model, not a %s"),
                                  type->keras_class);
          return NULL;
        }
      /* Before the layer joins the graph, which infers it from its subgraph. */
      subgraph = load_subgraph (source, model, model_path, depth + 1, error);
      if (subgraph == NULL)
        return NULL;
      ns_layer_set_subgraph (layer, subgraph);
    }

  if (!ns_graph_add_layer (graph, layer, error))
    {
      /* Say which of the two clashes, pointing at the clashing value. */
      const char *key = ns_graph_find_by_id (graph, id) != NULL ? "id"
                        : ns_graph_find_by_name (graph, name) != NULL ? "name" : NULL;
      g_autofree char *key_path = key ? g_strdup_printf ("%s.%s", path, key) : g_strdup (path);

      ns_json_source_prefix_at (source, error,
                                key ? ns_json_source_node_offset (source, json_object_get_member (object, key))
                                : ns_json_source_lookup_offset (source, object),
                                key_path);
      return NULL;
    }

  if (config != NULL &&
      !load_config (source, graph, layer, json_node_get_object (config), path, &extra_config, error))
    return NULL;

  weights = json_object_get_member (object, "weights");
  if (weights != NULL && !ns_document_load_weights (source, layer, weights, path, error))
    return NULL;

  trainable = json_object_get_member (object, "trainable");
  if (trainable != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (trainable) || json_node_get_value_type (trainable) != G_TYPE_BOOLEAN)
        {
          g_autofree char *got = ns_json_describe_node (trainable);
          g_autofree char *trainable_path = g_strdup_printf ("%s.trainable", path);
          ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, trainable),
                                  trainable_path, _("expected true or false, got %s"), got);
          return NULL;
        }
      ns_graph_set_trainable (graph, layer, json_node_get_boolean (trainable));
    }

  extra = collect_extra (object, known);
  if (extra_config != NULL)
    {
      /* "config" is a known key, so it cannot clash with a kept one. */
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_object_member (extra, "config", g_steal_pointer (&extra_config));
    }
  if (extra != NULL)
    ns_layer_set_extra (layer, extra);
  return layer;
}

typedef struct {
  guint    index;       /* in the file */
  guint    target;      /* the target layer's place in the file */
  guint    port;
  NsLayer *from;
  NsLayer *to;
} Connection;

static int
compare_connections (gconstpointer a,
                     gconstpointer b)
{
  const Connection *ca = a, *cb = b;

  if (ca->target != cb->target)
    return ca->target < cb->target ? -1 : 1;
  if (ca->port != cb->port)
    return ca->port < cb->port ? -1 : 1;
  return ca->index < cb->index ? -1 : ca->index > cb->index;
}

static NsLayer *
read_endpoint (NsJsonSource *source,
               NsGraph     *graph,
               JsonObject  *object,
               const char  *key,
               const char  *parent_path,
               GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", parent_path, key);
  JsonNode *node = json_object_get_member (object, key);
  NsLayer *layer;

  if (node == NULL)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, object), path,
                              _("missing, expected a layer id"));
      return NULL;
    }
  if (!ns_document_is_string (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a layer id (a string), got %s"), got);
      return NULL;
    }
  layer = ns_graph_find_by_id (graph, json_node_get_string (node));
  if (layer == NULL)
    ns_json_source_fail_at (source, error, NS_ERROR_GRAPH, ns_json_source_node_offset (source, node), path,
                            _("no layer has id “%s”"), json_node_get_string (node));
  return layer;
}

static gboolean
load_connections (NsJsonSource *source,
                  NsGraph     *graph,
                  const char  *prefix,
                  JsonArray   *array,
                  GHashTable  *layer_index,
                  GError     **error)
{
  guint n = json_array_get_length (array);
  g_autofree Connection *connections = g_new0 (Connection, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("%sconnections[%u]", prefix, i);
      Connection *c = &connections[i];
      JsonObject *object;
      JsonNode *port;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *got = ns_json_describe_node (node);
          ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                                  _("expected a connection {\"from\", \"to\", \"port\"}, got %s"), got);
          return FALSE;
        }
      object = json_node_get_object (node);
      c->index = i;
      if ((c->from = read_endpoint (source, graph, object, "from", path, error)) == NULL ||
          (c->to = read_endpoint (source, graph, object, "to", path, error)) == NULL)
        return FALSE;
      c->target = GPOINTER_TO_UINT (g_hash_table_lookup (layer_index, c->to));

      port = json_object_get_member (object, "port");
      if (port == NULL || !is_integer (port) ||
          json_node_get_int (port) < 0 || json_node_get_int (port) > G_MAXINT)
        {
          g_autofree char *port_path = g_strconcat (path, ".port", NULL);
          g_autofree char *got = port ? ns_json_describe_node (port) : NULL;

          if (port == NULL)
            ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, object), port_path,
                                    _("missing, expected an input port number from 0 up"));
          else
            ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, port), port_path,
                                    _("expected an input port number from 0 up, got %s"), got);
          return FALSE;
        }
      c->port = (guint) json_node_get_int (port);
    }

  /* Merge layers fill their ports in order, whatever order the file lists them in. */
  qsort (connections, n, sizeof (Connection), compare_connections);
  for (guint i = 0; i < n; i++)
    {
      Connection *c = &connections[i];

      if (!ns_graph_connect (graph, c->from, c->to, c->port, error))
        {
          g_autofree char *path = g_strdup_printf ("%sconnections[%u]", prefix, c->index);
          ns_json_source_prefix_at (source, error, ns_json_source_node_offset (source, json_array_get_element (array, c->index)), path);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_header (NsJsonSource *source,
              JsonObject  *root,
              GError     **error)
{
  JsonNode *format = json_object_get_member (root, "format");
  JsonNode *version = json_object_get_member (root, "version");
  gint64 number;

  if (format == NULL)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, root), "format",
                              _("missing, expected \"%s\""), NS_DOCUMENT_FORMAT);
      return FALSE;
    }
  if (!ns_document_is_string (format) || !g_str_equal (json_node_get_string (format), NS_DOCUMENT_FORMAT))
    {
      g_autofree char *got = ns_json_describe_node (format);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, format), "format",
                              _("expected \"%s\", got %s"), NS_DOCUMENT_FORMAT, got);
      return FALSE;
    }
  if (version == NULL)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, root), "version",
                              _("missing, expected the integer %d"), NS_DOCUMENT_VERSION);
      return FALSE;
    }
  if (!is_integer (version))
    {
      g_autofree char *got = ns_json_describe_node (version);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, version), "version",
                              _("expected the integer %d, got %s"), NS_DOCUMENT_VERSION, got);
      return FALSE;
    }
  number = json_node_get_int (version);
  if (number > NS_DOCUMENT_VERSION)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_VERSION, ns_json_source_node_offset (source, version), "version",
                              _("this document was written by a newer Netsketch (format version %" PRId64
                              "); this one reads version %d"), number, NS_DOCUMENT_VERSION);
      return FALSE;
    }
  if (number < NS_DOCUMENT_VERSION)
    {
      ns_json_source_fail_at (source, error, NS_ERROR_VERSION, ns_json_source_node_offset (source, version), "version",
                              _("there is no format version %" PRId64 "; this Netsketch reads version %d"),
                              number, NS_DOCUMENT_VERSION);
      return FALSE;
    }
  return TRUE;
}

/* "inputs" or "outputs": the order Keras lists a model's ends in. */
static gboolean
load_io (NsJsonSource *source,
         NsGraph     *graph,
         JsonObject  *root,
         const char  *key,
         const char  *prefix,
         GError     **error)
{
  g_autofree char *path = g_strconcat (prefix, key, NULL);
  g_autoptr(GPtrArray) layers = NULL;
  JsonNode *node = json_object_get_member (root, key);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autofree char *got = ns_json_describe_node (node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, node), path,
                              _("expected a list of layer ids, got %s"), got);
      return FALSE;
    }
  array = json_node_get_array (node);
  layers = g_ptr_array_sized_new (json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *element_path = g_strdup_printf ("%s[%u]", path, i);
      NsLayer *layer;

      if (!ns_document_is_string (element))
        {
          g_autofree char *got = ns_json_describe_node (element);
          ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, element),
                                  element_path, _("expected a layer id (a string), got %s"), got);
          return FALSE;
        }
      layer = ns_graph_find_by_id (graph, json_node_get_string (element));
      if (layer == NULL)
        {
          ns_json_source_fail_at (source, error, NS_ERROR_GRAPH, ns_json_source_node_offset (source, element),
                                  element_path, _("no layer has id “%s”"), json_node_get_string (element));
          return FALSE;
        }
      g_ptr_array_add (layers, layer);
    }
  if (g_str_equal (key, "inputs"))
    ns_graph_set_inputs (graph, layers);
  else
    ns_graph_set_outputs (graph, layers);
  return TRUE;
}

/* What a document and a nested model share; @prefix is the path of @root's
 * members ("" for the document, "layers[2].model." for a model in it). */
static gboolean
load_graph_members (NsJsonSource *source,
                    NsGraph      *graph,
                    JsonObject   *root,
                    const char   *prefix,
                    guint         depth,
                    GError      **error)
{
  static const char *const known[] = { "format", "version", "name", "model_class", "layers",
                                       "connections", "inputs", "outputs", NULL };
  g_autoptr(GHashTable) layer_index = g_hash_table_new (NULL, NULL);
  JsonObject *extra;
  JsonNode *name, *model_class, *layers, *connections;
  JsonArray *array;

  name = json_object_get_member (root, "name");
  if (name != NULL && !ns_document_is_string (name))
    {
      g_autofree char *got = ns_json_describe_node (name);
      g_autofree char *path = g_strconcat (prefix, "name", NULL);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, name), path,
                              _("expected a string, got %s"), got);
      return FALSE;
    }
  if (name != NULL)
    ns_graph_set_name (graph, json_node_get_string (name));

  model_class = json_object_get_member (root, "model_class");
  if (model_class != NULL &&
      (!ns_document_is_string (model_class) ||
       (!g_str_equal (json_node_get_string (model_class), "Functional") &&
        !g_str_equal (json_node_get_string (model_class), "Sequential"))))
    {
      g_autofree char *got = ns_json_describe_node (model_class);
      g_autofree char *path = g_strconcat (prefix, "model_class", NULL);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, model_class), path,
                              _("expected \"Functional\" or \"Sequential\", got %s"), got);
      return FALSE;
    }
  if (model_class != NULL)
    ns_graph_set_model_class (graph, json_node_get_string (model_class));

  layers = json_object_get_member (root, "layers");
  if (layers == NULL || !JSON_NODE_HOLDS_ARRAY (layers))
    {
      g_autofree char *got = ns_json_describe_node (layers);
      g_autofree char *path = g_strconcat (prefix, "layers", NULL);
      if (layers == NULL)
        ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, root), path,
                                _("missing, expected a list of layers"));
      else
        ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, layers), path,
                                _("expected a list of layers, got %s"), got);
      return FALSE;
    }
  array = json_node_get_array (layers);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      NsLayer *layer = load_layer (source, graph, prefix, depth, i, json_array_get_element (array, i), error);

      if (layer == NULL)
        return FALSE;
      g_hash_table_insert (layer_index, layer, GUINT_TO_POINTER (i));
    }
  /* Later calls of shared layers name their first call, anywhere in the list. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      JsonNode *owner_node = json_object_get_member (object, "shares_weights_of");
      g_autofree char *owner_path = NULL;
      NsLayer *owner;

      if (owner_node == NULL)
        continue;
      owner_path = g_strdup_printf ("%slayers[%u].shares_weights_of", prefix, i);
      owner = JSON_NODE_HOLDS_VALUE (owner_node) && json_node_get_value_type (owner_node) == G_TYPE_STRING
              ? ns_graph_find_by_id (graph, json_node_get_string (owner_node)) : NULL;
      if (owner == NULL)
        {
          g_autofree char *got = ns_json_describe_node (owner_node);
          ns_json_source_fail_at (source, error, NS_ERROR_GRAPH, ns_json_source_node_offset (source, owner_node),
                                  owner_path, _("expected the id of a layer, got %s"), got);
          return FALSE;
        }
      if (!ns_graph_share_weights (graph, ns_graph_find_by_id (graph, json_object_get_string_member (object, "id")),
                                   owner, error))
        {
          ns_json_source_prefix_at (source, error, ns_json_source_node_offset (source, owner_node), owner_path);
          return FALSE;
        }
    }

  connections = json_object_get_member (root, "connections");
  if (connections != NULL && !JSON_NODE_HOLDS_ARRAY (connections))
    {
      g_autofree char *got = ns_json_describe_node (connections);
      g_autofree char *path = g_strconcat (prefix, "connections", NULL);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_node_offset (source, connections), path,
                              _("expected a list of connections, got %s"), got);
      return FALSE;
    }
  if (connections != NULL &&
      !load_connections (source, graph, prefix, json_node_get_array (connections), layer_index, error))
    return FALSE;

  if (!load_io (source, graph, root, "inputs", prefix, error) ||
      !load_io (source, graph, root, "outputs", prefix, error))
    return FALSE;

  extra = collect_extra (root, known);
  if (extra != NULL)
    g_object_set_data_full (G_OBJECT (graph), NS_DOCUMENT_GRAPH_EXTRA_KEY, extra,
                            (GDestroyNotify) json_object_unref);
  return TRUE;
}

static gboolean
build_graph (NsJsonSource *source,
             NsGraph     *graph,
             JsonNode    *root_node,
             GError     **error)
{
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_autofree char *got = ns_json_describe_node (root_node);
      ns_json_source_fail_at (source, error, NS_ERROR_PARSE, ns_json_source_lookup_offset (source, NULL), NULL,
                              _("expected a Netsketch document (a JSON object), got %s"), got);
      return FALSE;
    }
  return check_header (source, json_node_get_object (root_node), error) &&
         load_graph_members (source, graph, json_node_get_object (root_node), "", 0, error);
}

NsGraph *
ns_document_load_from_data (const char  *data,
                            gssize       length,
                            const char  *display_name,
                            GError     **error)
{
  g_autoptr(NsJsonSource) source = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  source = ns_json_source_parse (data, length, display_name != NULL ? display_name : _("document"),
                                 error);
  if (source == NULL)
    return NULL;
  return ns_document_load_from_source (source, error);
}

NsGraph *
ns_document_load_from_source (NsJsonSource  *source,
                              GError       **error)
{
  g_autoptr(NsGraph) graph = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  graph = ns_graph_new ();
  ns_graph_freeze_inference (graph);
  if (!build_graph (source, graph, ns_json_source_get_root (source), error))
    return NULL;   /* dropped still frozen: no point inferring half a graph */

  ns_graph_thaw_inference (graph);
  return g_steal_pointer (&graph);
}

NsGraph *
ns_document_load (GFile         *file,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display_name = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;
  display_name = g_file_get_basename (file);
  return ns_document_load_from_data (contents, length, display_name, error);
}

/* --- saving ----------------------------------------------------------- */
