/* ns-history-clipboard.c: copy and paste: layers written as a .netsketch
 * document, and a document's layers added under names and ids of their own. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-document.h"
#include "ns-history-private.h"
#include "ns-model-io.h"

/* A new layer, in no graph, with @layer's type, settings, position (moved by
 * @dx, @dy), trainable flag, weights, nested model and unknown keys. */
static NsLayer *
clone_layer (NsLayer    *layer,
             const char *id,
             const char *name,
             double      dx,
             double      dy)
{
  NsLayer *clone = ns_layer_new (layer->type, id, name);

  memcpy (clone->values, layer->values, layer->type->n_props * sizeof (NsValue));
  ns_layer_set_position (clone, layer->x + dx, layer->y + dy);
  clone->frozen = layer->frozen;
  ns_layer_set_extra (clone, layer->extra);
  ns_layer_set_weights (clone, layer->weights);
  if (layer->subgraph != NULL)
    ns_layer_set_subgraph (clone, layer->subgraph);
  return clone;
}

/* Connects @layer's counterpart in @graph (through @map) to the counterparts
 * of those of its inputs that have one, keeping their order; a merge's ports
 * close up over inputs left behind. */
static void
connect_among (NsGraph    *graph,
               GHashTable *map,
               NsLayer    *layer)
{
  NsLayer *target = g_hash_table_lookup (map, layer);
  gboolean merge = layer->type->max_inputs == NS_INPUTS_MANY;
  guint next = 0;

  for (guint port = 0; port < layer->inputs->len; port++)
    {
      NsLayer *input = g_ptr_array_index (layer->inputs, port);
      NsLayer *source = input != NULL ? g_hash_table_lookup (map, input) : NULL;
      g_autoptr(GError) error = NULL;

      if (source == NULL)
        continue;
      /* A subset of an acyclic graph with ports in order: always accepted. */
      if (!ns_graph_connect (graph, source, target, merge ? next : port, &error))
        g_warning ("Cannot connect the copy of %s: %s", layer->name, error->message);
      next++;
    }
}

/* Shares weights among the counterparts as among the originals. */
static void
share_among (NsGraph    *graph,
             GHashTable *map,
             NsLayer    *layer)
{
  NsLayer *owner = layer->weights_of != NULL ? g_hash_table_lookup (map, layer->weights_of) : NULL;
  g_autoptr(GError) error = NULL;

  if (owner != NULL && !ns_graph_share_weights (graph, g_hash_table_lookup (map, layer), owner, &error))
    g_warning ("Cannot share the weights of the copy of %s: %s", owner->name, error->message);
}

static int
compare_list_index (gconstpointer a,
                    gconstpointer b)
{
  const NsLayer *x = *(NsLayer *const *) a;
  const NsLayer *y = *(NsLayer *const *) b;

  return x->list_index < y->list_index ? -1 : x->list_index > y->list_index;
}

char *
ns_history_copy (NsHistory *self,
                 GPtrArray *layers)
{
  g_autoptr(NsGraph) clipboard = NULL;
  g_autoptr(GHashTable) map = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  g_return_val_if_fail (NS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (layers != NULL, NULL);

  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);

      g_return_val_if_fail (NS_IS_LAYER (layer) && layer->graph == self->graph, NULL);
      if (g_hash_table_insert (map, layer, NULL))
        g_ptr_array_add (sorted, layer);
    }
  /* In the graph's order, whatever order they were selected in: it is Keras'
   * order among layers that do not depend on each other. */
  g_ptr_array_sort (sorted, compare_list_index);

  /* A document of copies, so that the one writer writes it. Nothing reads
   * its figures, so it is never inferred. */
  clipboard = ns_graph_new ();
  ns_graph_freeze_inference (clipboard);
  ns_graph_set_name (clipboard, ns_graph_get_name (self->graph));
  for (guint i = 0; i < sorted->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (sorted, i);
      g_autoptr(NsLayer) clone = clone_layer (layer, layer->id, layer->name, 0, 0);

      /* Ids and names are unique in the graph they come from. */
      if (!ns_graph_add_layer (clipboard, clone, NULL))
        g_assert_not_reached ();
      g_hash_table_insert (map, layer, clone);
    }
  for (guint i = 0; i < sorted->len; i++)
    share_among (clipboard, map, g_ptr_array_index (sorted, i));
  for (guint i = 0; i < sorted->len; i++)
    connect_among (clipboard, map, g_ptr_array_index (sorted, i));
  return ns_document_to_data (clipboard, NULL);
}

/* Where a pasted layer's name is taken: Keras numbers automatic names
 * conv2d, conv2d_1, conv2d_2…, so a pasted conv2d_1 becomes the next free
 * conv2d_N, and "encoder" becomes encoder_1. Names the paste brings along
 * (@reserved) are skipped too, so that no later pasted layer needs renaming
 * because of an earlier one. @counters remembers where each count got to. */
static char *
fresh_name (NsGraph    *graph,
            GHashTable *reserved,
            GHashTable *counters,
            const char *name)
{
  const char *digits = name + strlen (name);
  char *base;
  char *candidate = NULL;
  guint n;

  while (digits > name && g_ascii_isdigit (digits[-1]))
    digits--;
  if (*digits != '\0' && digits - 1 > name && digits[-1] == '_')
    base = g_strndup (name, digits - 1 - name);
  else
    base = g_strdup (name);

  n = GPOINTER_TO_UINT (g_hash_table_lookup (counters, base));
  do
    {
      g_free (candidate);
      candidate = g_strdup_printf ("%s_%u", base, ++n);
    }
  while (ns_graph_find_by_name (graph, candidate) != NULL || g_hash_table_contains (reserved, candidate));
  g_hash_table_replace (counters, base, GUINT_TO_POINTER (n));
  return candidate;
}

static char *
fresh_id (NsGraph    *graph,
          GHashTable *reserved)
{
  char *id = NULL;

  do
    {
      g_free (id);
      id = ns_graph_new_layer_id (graph);
    }
  while (g_hash_table_contains (reserved, id));
  return id;
}

GPtrArray *
ns_history_paste (NsHistory   *self,
                  const char  *json,
                  double       dx,
                  double       dy,
                  GError     **error)
{
  g_autoptr(NsGraph) source = NULL;
  g_autoptr(GHashTable) map = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) pasted = NULL;
  GPtrArray *layers;
  char *label;

  g_return_val_if_fail (NS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Any model Netsketch reads pastes, checked whole before the graph is touched. */
  source = ns_model_load_from_data (json, -1,
                                    /* Translators: starts a paste's error: "Pasted text:3:7: …". */
                                    _("Pasted text"), error);
  if (source == NULL)
    return NULL;

  layers = source->layers;
  pasted = g_ptr_array_new_full (layers->len, g_object_unref);
  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);

      g_hash_table_add (names, layer->name);
      g_hash_table_add (ids, layer->id);
    }

  ns_graph_freeze_inference (self->graph);
  for (guint i = 0; i < layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (layers, i);
      g_autofree char *id = ns_graph_find_by_id (self->graph, layer->id) != NULL
                            ? fresh_id (self->graph, ids) : g_strdup (layer->id);
      g_autofree char *name = ns_graph_find_by_name (self->graph, layer->name) != NULL
                              ? fresh_name (self->graph, names, counters, layer->name)
                              : g_strdup (layer->name);
      NsLayer *clone = clone_layer (layer, id, name, dx, dy);

      g_ptr_array_add (pasted, clone);
      g_hash_table_insert (map, layer, clone);
      /* Ids and names were made unique above: the graph takes every layer. */
      if (!ns_graph_add_layer (self->graph, clone, NULL))
        g_assert_not_reached ();
    }
  for (guint i = 0; i < layers->len; i++)
    share_among (self->graph, map, g_ptr_array_index (layers, i));
  for (guint i = 0; i < layers->len; i++)
    connect_among (self->graph, map, g_ptr_array_index (layers, i));
  ns_graph_thaw_inference (self->graph);

  if (pasted->len == 0)
    return g_steal_pointer (&pasted);
  if (pasted->len == 1)
    /* Translators: what an undo step does, after "Undo"; %s is a layer name. */
    label = g_strdup_printf (_("Paste %s"), ns_layer_get_name (g_ptr_array_index (pasted, 0)));
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Paste %u Layer", "Paste %u Layers", pasted->len),
                             pasted->len);
  ns_history_record_layers (self, ns_layer_set_capture (self->graph, pasted), TRUE, label);
  return g_steal_pointer (&pasted);
}
