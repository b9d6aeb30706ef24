/* ns-keras-import-functional.c: Functional models (and tfjs' "Model"): layers
 * called node by node, in Keras 2's nested-list, TFOpLambda and Keras 3's
 * {"args", "kwargs"} layouts, made in dependency order. */
#include "config.h"

#include <string.h>

#include "ns-keras-import-private.h"

static gboolean
is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/* One layer entry of a Functional model and the graph nodes of its calls. */
typedef struct {
  JsonObject *entry;
  const char *name;
  char       *path;
  JsonArray  *inbound;      /* inbound_nodes, or NULL */
  guint       n_calls;
  NsLayer   **nodes;        /* per call, NULL until made */
  GArray     *waiters;      /* guint call ids blocked on this entry */
  /* Keras counts a nested model's own first node (input to output) before
   * its calls, so files refer to its first call as node 1; see prescan. */
  gint64      node_offset;
  gint64      min_ref, max_ref;
} Entry;

static void
entry_clear (Entry *entry)
{
  g_free (entry->path);
  g_free (entry->nodes);
  g_clear_pointer (&entry->waiters, g_array_unref);
}

/* A reference to a layer's output: ["name", node_index, tensor_index]. */
typedef struct {
  const char *name;
  gint64      node_index;
  gint64      tensor_index;
  gconstpointer at;
} Ref;

static gboolean
parse_ref_array (JsonArray *array,
                 Ref       *ref)
{
  guint len = json_array_get_length (array);
  JsonNode *name;

  if (len < 1 || len > 4)
    return FALSE;
  name = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
    return FALSE;
  ref->name = json_node_get_string (name);
  ref->node_index = 0;
  ref->tensor_index = 0;
  ref->at = array;
  if (len >= 2)
    {
      if (!is_integer (json_array_get_element (array, 1)))
        return FALSE;
      ref->node_index = json_array_get_int_element (array, 1);
    }
  if (len >= 3)
    {
      if (!is_integer (json_array_get_element (array, 2)))
        return FALSE;
      ref->tensor_index = json_array_get_int_element (array, 2);
    }
  return TRUE;
}

/* Keras 3's {"class_name": "__keras_tensor__", "config": {"keras_history": […]}}. */
static gboolean
parse_keras_tensor (JsonObject *object,
                    Ref        *ref)
{
  JsonObject *config;
  JsonArray *history;

  if (g_strcmp0 (ns_keras_member_string (object, "class_name"), "__keras_tensor__") != 0)
    return FALSE;
  config = ns_keras_member_object (object, "config");
  history = ns_keras_member_array (config, "keras_history");
  return history != NULL && parse_ref_array (history, ref);
}

/* Collects Keras 3 tensors in @node, depth first, in order. */
static void
collect_keras_tensors (JsonNode *node,
                       GArray   *refs,
                       guint     depth)
{
  Ref ref;

  if (depth > 8)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      if (parse_keras_tensor (json_node_get_object (node), &ref))
        g_array_append_val (refs, ref);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        collect_keras_tensors (json_array_get_element (array, i), refs, depth + 1);
    }
}

/* tf.keras 2 TFOpLambda kwargs name other tensors as ["name", 0, 0]. */
static void
collect_kwarg_refs (JsonObject *kwargs,
                    GHashTable *by_name,
                    GArray     *refs)
{
  g_autoptr(GList) members = NULL;

  if (kwargs == NULL)
    return;
  members = json_object_get_members (kwargs);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (kwargs, l->data);
      Ref ref;

      if (JSON_NODE_HOLDS_ARRAY (value) &&
          json_array_get_length (json_node_get_array (value)) == 3 &&
          parse_ref_array (json_node_get_array (value), &ref) &&
          g_hash_table_contains (by_name, ref.name))
        g_array_append_val (refs, ref);
      else if (JSON_NODE_HOLDS_OBJECT (value))
        {
          Ref tensor;

          if (parse_keras_tensor (json_node_get_object (value), &tensor))
            g_array_append_val (refs, tensor);
        }
    }
}

/* The references of call @call of @entry and its kwargs, or FALSE with an error. */
static gboolean
parse_call (NsKerasImport *ctx,
            Entry         *entry,
            guint          call,
            GHashTable    *by_name,
            GArray        *refs,
            JsonObject   **kwargs,
            GError       **error)
{
  JsonNode *node;
  g_autofree char *path = NULL;

  *kwargs = NULL;
  if (entry->inbound == NULL || json_array_get_length (entry->inbound) == 0)
    return TRUE;
  node = json_array_get_element (entry->inbound, call);
  path = g_strdup_printf ("%s.inbound_nodes[%u]", entry->path, call);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonNode *args = json_object_get_member (object, "args");

      if (args != NULL)
        collect_keras_tensors (args, refs, 0);
      *kwargs = ns_keras_member_object (object, "kwargs");
      collect_kwarg_refs (*kwargs, by_name, refs);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint len = json_array_get_length (array);
      Ref ref;

      /* TFOpLambda nodes come one nesting level less: the node is one ref. */
      if (len > 0 && JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 0)))
        {
          if (!parse_ref_array (array, &ref))
            goto bad;
          g_array_append_val (refs, ref);
          if (len == 4)
            {
              *kwargs = json_array_get_object_element (array, 3);
              collect_kwarg_refs (*kwargs, by_name, refs);
            }
          return TRUE;
        }
      for (guint i = 0; i < len; i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_ARRAY (item) || !parse_ref_array (json_node_get_array (item), &ref))
            {
              g_autofree char *got = ns_json_describe_node (item);
              g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
              ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (item), item_path,
                             _("expected an input reference [\"layer\", node_index, tensor_index, {kwargs}], got %s"),
                             got);
              return FALSE;
            }
          g_array_append_val (refs, ref);
          if (json_array_get_length (json_node_get_array (item)) == 4)
            {
              JsonNode *kw = json_array_get_element (json_node_get_array (item), 3);

              if (JSON_NODE_HOLDS_OBJECT (kw))
                {
                  if (*kwargs == NULL)
                    *kwargs = json_node_get_object (kw);
                  collect_kwarg_refs (json_node_get_object (kw), by_name, refs);
                }
            }
        }
      return TRUE;
    }

bad:
  {
    g_autofree char *got = ns_json_describe_node (node);
    ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (node), path,
                   _("expected an inbound node (a list of input references or {\"args\", \"kwargs\"}), got %s"),
                   got);
  }
  return FALSE;
}

/* Resolves @ref to a made node; NULL with *blocked_on set when that call is
 * not made yet, NULL with an error when it never will be. */
static NsLayer *
resolve_ref (NsKerasImport *ctx,
             GHashTable    *by_name,
             const Ref     *ref,
             const char    *path,
             Entry        **blocked_on,
             GError       **error)
{
  Entry *source = g_hash_table_lookup (by_name, ref->name);
  gint64 node_index;

  *blocked_on = NULL;
  if (source == NULL)
    {
      ns_keras_fail (ctx, error, NS_ERROR_GRAPH, ref->at, path,
                     _("no layer is named “%s”"), ref->name);
      return NULL;
    }
  node_index = ref->node_index - source->node_offset;
  if (node_index < 0 || node_index >= source->n_calls)
    {
      ns_keras_fail (ctx, error, NS_ERROR_GRAPH, ref->at, path,
                     _("layer “%s” is called %u times; there is no node %" PRId64),
                     ref->name, source->n_calls, ref->node_index);
      return NULL;
    }
  if (ref->tensor_index != 0)
    {
      ns_keras_fail (ctx, error, NS_ERROR_GRAPH, ref->at, path,
                     _("output %" PRId64 " of layer “%s”: Netsketch layers have one output"),
                     ref->tensor_index, ref->name);
      return NULL;
    }
  if (source->nodes[node_index] == NULL)
    *blocked_on = source;
  return source->nodes[node_index];
}

/* The graph name of call @call: the layer's own name first, then
 * "dense_call2" for the second call of a shared layer. */
static char *
call_name (NsGraph    *graph,
           const char *name,
           guint       call)
{
  char *candidate;

  if (call == 0 && ns_graph_find_by_name (graph, name) == NULL)
    return g_strdup (name);
  for (guint k = call + 1;; k++)
    {
      candidate = g_strdup_printf ("%s_call%u", name, k);
      if (ns_graph_find_by_name (graph, candidate) == NULL)
        return candidate;
      g_free (candidate);
    }
}

/* Makes call @call of @entry if its inputs exist; FALSE only on errors. */
static gboolean
try_make_call (NsKerasImport *ctx,
               NsGraph       *graph,
               GHashTable    *by_name,
               Entry         *entry,
               guint          call,
               guint          call_id,
               GError       **error)
{
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (Ref));
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();
  g_autofree char *path = g_strdup_printf ("%s.inbound_nodes[%u]", entry->path, call);
  g_autofree char *name = NULL;
  JsonObject *kwargs = NULL;
  NsLayer *layer;

  if (!parse_call (ctx, entry, call, by_name, refs, &kwargs, error))
    return FALSE;
  for (guint i = 0; i < refs->len; i++)
    {
      Entry *blocked_on;
      NsLayer *source = resolve_ref (ctx, by_name, &g_array_index (refs, Ref, i), path,
                                     &blocked_on, error);

      if (blocked_on != NULL)
        {
          g_array_append_val (blocked_on->waiters, call_id);
          return TRUE;
        }
      if (source == NULL)
        return FALSE;
      g_ptr_array_add (sources, source);
    }

  name = call_name (graph, entry->name, call);
  if (g_strcmp0 (ns_keras_member_string (entry->entry, "class_name"), "InputLayer") == 0)
    {
      NsShape shape;

      if (!ns_keras_find_input_shape (ctx, entry->entry, entry->path, &shape, error))
        {
          if (error == NULL || *error == NULL)
            ns_keras_fail (ctx, error, NS_ERROR_PARSE, entry->entry, entry->path,
                           _("the InputLayer declares no batch_input_shape or batch_shape"));
          return FALSE;
        }
      if (!ns_keras_add_input_layer (ctx, graph, name, &shape, &layer, error))
        {
          ns_json_source_prefix_at (ctx->source, error,
                                    ns_json_source_lookup_offset (ctx->source, entry->entry), entry->path);
          return FALSE;
        }
    }
  else
    {
      layer = ns_keras_add_layer (ctx, graph, entry->entry, name, sources->len, kwargs,
                                  entry->path, error);
      if (layer == NULL)
        return FALSE;
    }

  for (guint i = 0; i < sources->len; i++)
    if (!ns_graph_connect (graph, g_ptr_array_index (sources, i), layer, i, error))
      {
        ns_json_source_prefix_at (ctx->source, error,
                                  ns_json_source_lookup_offset (ctx->source, entry->entry), path);
        return FALSE;
      }
  entry->nodes[call] = layer;
  /* Every call of a shared layer uses the first call's weights, whichever
   * order the calls were made in. */
  if (call > 0 && entry->nodes[0] != NULL)
    ns_graph_share_weights (graph, layer, entry->nodes[0], NULL);
  for (guint k = 1; call == 0 && k < entry->n_calls; k++)
    if (entry->nodes[k] != NULL)
      ns_graph_share_weights (graph, entry->nodes[k], layer, NULL);
  return TRUE;
}

/* input_layers / output_layers: [["name", 0, 0], …], or one ["name", 0, 0]. */
static gboolean
read_endpoints (NsKerasImport *ctx,
                JsonObject    *config,
                const char    *key,
                const char    *config_path,
                GHashTable    *by_name,
                GPtrArray     *out,
                GError       **error)
{
  JsonArray *array = ns_keras_member_array (config, key);
  g_autofree char *path = g_strdup_printf ("%s.%s", config_path, key);
  guint len;

  if (array == NULL)
    return TRUE;
  len = json_array_get_length (array);
  if (len > 0 && JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 0)))
    len = 1;
  for (guint i = 0; i < len; i++)
    {
      JsonNode *item = JSON_NODE_HOLDS_VALUE (json_array_get_element (array, 0))
                       ? NULL : json_array_get_element (array, i);
      JsonArray *ref_array = item == NULL ? array
                             : JSON_NODE_HOLDS_ARRAY (item) ? json_node_get_array (item) : NULL;
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      Entry *blocked_on;
      NsLayer *layer;
      Ref ref;

      if (ref_array == NULL || !parse_ref_array (ref_array, &ref))
        {
          g_autofree char *got = ns_json_describe_node (item);
          ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (item), item_path,
                         _("expected [\"layer\", node_index, tensor_index], got %s"), got);
          return FALSE;
        }
      layer = resolve_ref (ctx, by_name, &ref, item_path, &blocked_on, error);
      if (layer == NULL)
        {
          if (blocked_on != NULL)
            ns_keras_fail (ctx, error, NS_ERROR_GRAPH, ref_array, item_path,
                           _("layer “%s” is never called"), ref.name);
          return FALSE;
        }
      g_ptr_array_add (out, layer);
    }
  return TRUE;
}

static void
note_ref (GHashTable *by_name,
          const Ref  *ref)
{
  Entry *target = g_hash_table_lookup (by_name, ref->name);

  if (target == NULL)
    return;
  target->min_ref = MIN (target->min_ref, ref->node_index);
  target->max_ref = MAX (target->max_ref, ref->node_index);
}

/* tf.keras 2, old Keras and Keras 3 number a nested model's calls from 1
 * (node 0 is the one it was built with); files from other writers may
 * start at 0. Every reference to the model tells which. */
static gboolean
prescan (NsKerasImport *ctx,
         GArray        *entries,
         GHashTable    *by_name,
         JsonObject    *config,
         GError       **error)
{
  static const char *const endpoint_keys[] = { "input_layers", "output_layers" };

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      entry->min_ref = G_MAXINT64;
      entry->max_ref = -1;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      for (guint c = 0; c < entry->n_calls; c++)
        {
          g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (Ref));
          JsonObject *kwargs;

          if (!parse_call (ctx, entry, c, by_name, refs, &kwargs, error))
            return FALSE;
          for (guint r = 0; r < refs->len; r++)
            note_ref (by_name, &g_array_index (refs, Ref, r));
        }
    }
  for (guint k = 0; k < G_N_ELEMENTS (endpoint_keys); k++)
    {
      JsonArray *array = ns_keras_member_array (config, endpoint_keys[k]);
      Ref ref;

      if (array == NULL)
        continue;
      if (parse_ref_array (array, &ref))
        note_ref (by_name, &ref);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_ARRAY (item) && parse_ref_array (json_node_get_array (item), &ref))
            note_ref (by_name, &ref);
        }
    }
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      if (ns_keras_is_model (entry->entry) && entry->min_ref >= 1 && entry->max_ref <= entry->n_calls)
        entry->node_offset = 1;
    }
  return TRUE;
}

gboolean
ns_keras_build_functional (NsKerasImport *ctx,
                  NsGraph       *graph,
                  JsonObject    *model,
                  const char    *path,
                  GError       **error)
{
  JsonObject *config = ns_keras_member_object (model, "config");
  g_autofree char *config_path = g_strdup_printf ("%s%sconfig", path, *path ? "." : "");
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr(GPtrArray) outputs = g_ptr_array_new ();
  g_autoptr(GQueue) ready = g_queue_new ();
  JsonArray *layers = ns_keras_member_array (config, "layers");
  guint n;

  g_array_set_clear_func (entries, (GDestroyNotify) entry_clear);
  if (layers == NULL)
    {
      g_autofree char *where = g_strdup_printf ("%s.layers", config_path);
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, config, where,
                     _("expected the list of the model’s layers"));
      return FALSE;
    }

  n = json_array_get_length (layers);
  if (n == 0)
    {
      g_autofree char *where = g_strdup_printf ("%s.layers", config_path);
      ns_keras_fail (ctx, error, NS_ERROR_PARSE, layers, where, _("the Keras model has no layers"));
      return FALSE;
    }
  g_array_set_size (entries, n);
  for (guint i = 0; i < n; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      JsonNode *inbound;

      entry->entry = ns_keras_require_entry (ctx, layers, i, config_path, error);
      if (entry->entry == NULL)
        return FALSE;
      entry->name = ns_keras_entry_name (entry->entry);
      entry->path = ns_keras_layer_path (config_path, i, entry->name);
      if (entry->name == NULL)
        {
          ns_keras_fail (ctx, error, NS_ERROR_PARSE, entry->entry, entry->path,
                         _("a layer of a Functional model needs a name"));
          return FALSE;
        }
      if (g_hash_table_contains (by_name, entry->name))
        {
          ns_keras_fail (ctx, error, NS_ERROR_GRAPH, entry->entry, entry->path,
                         _("two layers are named “%s”"), entry->name);
          return FALSE;
        }
      g_hash_table_insert (by_name, (gpointer) entry->name, entry);
      inbound = ns_keras_member (entry->entry, "inbound_nodes");
      if (inbound != NULL && !JSON_NODE_HOLDS_ARRAY (inbound) && !JSON_NODE_HOLDS_NULL (inbound))
        {
          g_autofree char *got = ns_json_describe_node (inbound);
          g_autofree char *where = g_strdup_printf ("%s.inbound_nodes", entry->path);
          ns_keras_fail (ctx, error, NS_ERROR_PARSE, ns_keras_at (inbound), where,
                         _("expected a list of nodes, got %s"), got);
          return FALSE;
        }
      entry->inbound = inbound != NULL && JSON_NODE_HOLDS_ARRAY (inbound)
                       ? json_node_get_array (inbound) : NULL;
      entry->n_calls = MAX (entry->inbound != NULL ? json_array_get_length (entry->inbound) : 0, 1);
      entry->nodes = g_new0 (NsLayer *, entry->n_calls);
      entry->waiters = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint c = 0; c < entry->n_calls; c++)
        {
          guint pair[2] = { i, c };

          g_array_append_vals (calls, pair, 1);
          g_queue_push_tail (ready, GUINT_TO_POINTER (calls->len - 1));
        }
    }

  if (!prescan (ctx, entries, by_name, config, error))
    return FALSE;

  /* Calls are made in file order; one whose input is not made yet waits on
   * that layer and runs again when the layer gets a node. Each call is
   * retried at most once per node made, so this stays near linear. */
  while (!g_queue_is_empty (ready))
    {
      guint call_id = GPOINTER_TO_UINT (g_queue_pop_head (ready));
      const guint *pair = (const guint *) (calls->data + call_id * sizeof (guint) * 2);
      Entry *entry = &g_array_index (entries, Entry, pair[0]);
      guint n_waiters_before = 0;

      if (entry->nodes[pair[1]] != NULL)
        continue;
      if (!try_make_call (ctx, graph, by_name, entry, pair[1], call_id, error))
        return FALSE;
      if (entry->nodes[pair[1]] == NULL)
        continue;
      n_waiters_before = entry->waiters->len;
      for (guint w = 0; w < n_waiters_before; w++)
        g_queue_push_tail (ready, GUINT_TO_POINTER (g_array_index (entry->waiters, guint, w)));
      g_array_set_size (entry->waiters, 0);
    }

  for (guint i = 0; i < n; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      for (guint c = 0; c < entry->n_calls; c++)
        if (entry->nodes[c] == NULL)
          {
            g_autofree char *where = g_strdup_printf ("%s.inbound_nodes[%u]", entry->path, c);
            ns_keras_fail (ctx, error, NS_ERROR_GRAPH,
                           ns_keras_at (json_array_get_element (entry->inbound, c)), where,
                           _("this call’s inputs never exist: the model has a cycle or refers to a call that is not there"));
            return FALSE;
          }
    }

  if (!read_endpoints (ctx, config, "input_layers", config_path, by_name, inputs, error) ||
      !read_endpoints (ctx, config, "output_layers", config_path, by_name, outputs, error))
    return FALSE;
  if (inputs->len > 0)
    ns_graph_set_inputs (graph, inputs);
  if (outputs->len > 0)
    ns_graph_set_outputs (graph, outputs);
  ns_graph_set_model_class (graph, "Functional");
  return TRUE;
}

