/* ns-history-layers.c: layer sets: taking layers out of a graph and putting
 * the same objects back exactly as they were, ports and list order included. */
#include "config.h"

#include "ns-history-private.h"

typedef struct {
  NsLayer *layer;
  NsLayer *owner;         /* whose weights @layer uses */
} Sharing;

typedef struct {
  NsLayer   *layer;
  GPtrArray *inputs;      /* by port, as ns_history_snapshot_inputs () */
} InputList;

struct _NsLayerSet {
  GPtrArray *layers;      /* NsLayer*, referenced, in list order */
  GArray    *positions;   /* guint per layer: its place in the list */
  GArray    *sharings;    /* Sharing: the layers' own, and others' of their weights */
  GArray    *input_lists; /* InputList: the layers', and their consumers' outside the set */
  GPtrArray *inputs;      /* the graph's explicit inputs and outputs, or NULL */
  GPtrArray *outputs;
};

static void
unref_layer (gpointer layer)
{
  if (layer != NULL)
    g_object_unref (layer);
}

static void
clear_sharing (gpointer data)
{
  Sharing *sharing = data;

  g_clear_object (&sharing->layer);
  g_clear_object (&sharing->owner);
}

static void
clear_input_list (gpointer data)
{
  InputList *list = data;

  g_clear_object (&list->layer);
  g_clear_pointer (&list->inputs, g_ptr_array_unref);
}

GPtrArray *
ns_history_snapshot_inputs (NsLayer *layer)
{
  guint n = ns_layer_get_n_inputs (layer);
  GPtrArray *inputs = g_ptr_array_new_full (n, unref_layer);

  for (guint port = 0; port < n; port++)
    {
      NsLayer *source = ns_layer_get_input (layer, port);

      g_ptr_array_add (inputs, source != NULL ? g_object_ref (source) : NULL);
    }
  return inputs;
}

static void
connect_or_warn (NsGraph *graph,
                 NsLayer *from,
                 NsLayer *to,
                 guint    port)
{
  g_autoptr(GError) error = NULL;

  /* The graph held this connection in the state being restored, so refusing
   * it now means the history and the graph went apart: a bug. */
  if (!ns_graph_connect (graph, from, to, port, &error))
    g_warning ("Cannot restore the connection %s → %s:%u: %s",
               ns_layer_get_name (from), ns_layer_get_name (to), port, error->message);
}

void
ns_history_restore_inputs (NsGraph   *graph,
                           NsLayer   *layer,
                           GPtrArray *inputs)
{
  if (ns_layer_get_layer_type (layer)->max_inputs == NS_INPUTS_MANY)
    {
      /* A merge's ports stay contiguous, so a port can only be put back in
       * the middle by taking off and re-adding those after it. */
      guint keep = 0;

      while (keep < ns_layer_get_n_inputs (layer) && keep < inputs->len &&
             ns_layer_get_input (layer, keep) == g_ptr_array_index (inputs, keep))
        keep++;
      while (ns_layer_get_n_inputs (layer) > keep)
        ns_graph_disconnect (graph, layer, ns_layer_get_n_inputs (layer) - 1);
      for (guint port = keep; port < inputs->len; port++)
        connect_or_warn (graph, g_ptr_array_index (inputs, port), layer, port);
      return;
    }

  /* Free every port that differs before connecting any, so that a source
   * moving from one port to another finds the new one free. */
  for (guint port = ns_layer_get_n_inputs (layer); port-- > 0;)
    {
      NsLayer *current = ns_layer_get_input (layer, port);

      if (current != NULL && (port >= inputs->len || g_ptr_array_index (inputs, port) != current))
        ns_graph_disconnect (graph, layer, port);
    }
  for (guint port = 0; port < inputs->len; port++)
    {
      NsLayer *wanted = g_ptr_array_index (inputs, port);

      if (wanted != NULL && ns_layer_get_input (layer, port) != wanted)
        connect_or_warn (graph, wanted, layer, port);
    }
}

static int
compare_list_index (gconstpointer a,
                    gconstpointer b)
{
  const NsLayer *x = *(NsLayer *const *) a;
  const NsLayer *y = *(NsLayer *const *) b;

  return x->list_index < y->list_index ? -1 : x->list_index > y->list_index;
}

static void
add_input_list (NsLayerSet *set,
                NsLayer    *layer)
{
  InputList list = { g_object_ref (layer), ns_history_snapshot_inputs (layer) };

  g_array_append_val (set->input_lists, list);
}

static GPtrArray *
copy_layer_list (GPtrArray *layers)
{
  GPtrArray *copy;

  if (layers == NULL)
    return NULL;
  copy = g_ptr_array_new_full (layers->len, g_object_unref);
  for (guint i = 0; i < layers->len; i++)
    g_ptr_array_add (copy, g_object_ref (g_ptr_array_index (layers, i)));
  return copy;
}

NsLayerSet *
ns_layer_set_capture (NsGraph   *graph,
                      GPtrArray *layers)
{
  g_autoptr(GHashTable) members = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) consumers = g_hash_table_new (NULL, NULL);
  NsLayerSet *set = g_new0 (NsLayerSet, 1);

  set->layers = copy_layer_list (layers);
  g_ptr_array_sort (set->layers, compare_list_index);
  set->positions = g_array_sized_new (FALSE, FALSE, sizeof (guint), layers->len);
  set->sharings = g_array_new (FALSE, FALSE, sizeof (Sharing));
  g_array_set_clear_func (set->sharings, clear_sharing);
  set->input_lists = g_array_new (FALSE, FALSE, sizeof (InputList));
  g_array_set_clear_func (set->input_lists, clear_input_list);

  for (guint i = 0; i < set->layers->len; i++)
    g_hash_table_add (members, g_ptr_array_index (set->layers, i));

  for (guint i = 0; i < set->layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (set->layers, i);

      g_array_append_val (set->positions, layer->list_index);
      add_input_list (set, layer);
      /* Removing the layer frees a port of each consumer (a merge's later
       * ports move down): remember the consumer's whole list. */
      for (guint c = 0; c < layer->consumers->len; c++)
        {
          NsLayer *consumer = g_ptr_array_index (layer->consumers, c);

          if (!g_hash_table_contains (members, consumer) && g_hash_table_add (consumers, consumer))
            add_input_list (set, consumer);
        }
    }

  for (guint i = 0; i < graph->layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (graph->layers, i);

      if (layer->weights_of != NULL &&
          (g_hash_table_contains (members, layer) || g_hash_table_contains (members, layer->weights_of)))
        {
          Sharing sharing = { g_object_ref (layer), g_object_ref (layer->weights_of) };

          g_array_append_val (set->sharings, sharing);
        }
    }

  /* Removing a layer drops it from the explicit lists; the whole lists are
   * kept because where it stood in them matters to Keras. */
  set->inputs = copy_layer_list (graph->inputs);
  set->outputs = copy_layer_list (graph->outputs);
  return set;
}

void
ns_layer_set_remove (NsLayerSet *set,
                     NsGraph    *graph)
{
  for (guint i = set->layers->len; i-- > 0;)
    ns_graph_remove_layer (graph, g_ptr_array_index (set->layers, i));
}

void
ns_layer_set_restore (NsLayerSet *set,
                      NsGraph    *graph)
{
  /* In ascending order every layer before a place is back when it is filled. */
  for (guint i = 0; i < set->layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (set->layers, i);
      g_autoptr(GError) error = NULL;

      if (!ns_graph_insert_layer (graph, layer, g_array_index (set->positions, guint, i), &error))
        g_warning ("Cannot put %s back: %s", ns_layer_get_name (layer), error->message);
    }
  for (guint i = 0; i < set->sharings->len; i++)
    {
      Sharing *sharing = &g_array_index (set->sharings, Sharing, i);
      g_autoptr(GError) error = NULL;

      if (!ns_graph_share_weights (graph, sharing->layer, sharing->owner, &error))
        g_warning ("Cannot share %s's weights again: %s", ns_layer_get_name (sharing->owner), error->message);
    }
  for (guint i = 0; i < set->input_lists->len; i++)
    {
      InputList *list = &g_array_index (set->input_lists, InputList, i);

      ns_history_restore_inputs (graph, list->layer, list->inputs);
    }
  ns_graph_set_inputs (graph, set->inputs);
  ns_graph_set_outputs (graph, set->outputs);
}

void
ns_layer_set_free (NsLayerSet *set)
{
  g_ptr_array_unref (set->layers);
  g_array_unref (set->positions);
  g_array_unref (set->sharings);
  g_array_unref (set->input_lists);
  g_clear_pointer (&set->inputs, g_ptr_array_unref);
  g_clear_pointer (&set->outputs, g_ptr_array_unref);
  g_free (set);
}

guint
ns_layer_set_get_n_layers (NsLayerSet *set)
{
  return set->layers->len;
}

NsLayer *
ns_layer_set_get_layer (NsLayerSet *set,
                        guint       index)
{
  return g_ptr_array_index (set->layers, index);
}
