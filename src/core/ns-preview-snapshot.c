/* ns-preview-snapshot.c: a graph copied for a worker thread. NsGraph is not
 * thread-safe, so the preview runs on a graph rebuilt from the document's
 * text; learned weights travel by reference instead of as base64. */
#include "config.h"

#include "ns-document.h"
#include "ns-preview-core.h"

typedef struct {
  char      *path;         /* layer ids from the top graph down: "n3" or "n7/n2" */
  GPtrArray *weights;      /* NsWeight*, a reference */
} CarriedWeights;

struct _NsGraphSnapshot {
  char   *text;
  gsize   length;
  GArray *carried;         /* CarriedWeights */
};

static void
carried_weights_clear (gpointer data)
{
  CarriedWeights *carried = data;

  g_free (carried->path);
  g_ptr_array_unref (carried->weights);
}

/* Takes every layer's weights off (down into nested models), remembering them. */
static void
take_weights (NsGraph    *graph,
              const char *prefix,
              GArray     *carried)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (graph));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (graph), i);
      g_autofree char *path = prefix != NULL
                              ? g_strconcat (prefix, "/", ns_layer_get_id (layer), NULL)
                              : g_strdup (ns_layer_get_id (layer));
      GPtrArray *weights = ns_layer_get_weights (layer);

      if (ns_layer_get_subgraph (layer) != NULL)
        take_weights (ns_layer_get_subgraph (layer), path, carried);
      if (weights != NULL)
        {
          CarriedWeights entry = { g_strdup (path), g_ptr_array_ref (weights) };

          g_array_append_val (carried, entry);
          ns_layer_set_weights (layer, NULL);
        }
    }
}

static NsLayer *
find_by_path (NsGraph    *graph,
              const char *path)
{
  g_auto(GStrv) ids = g_strsplit (path, "/", -1);
  NsLayer *layer = NULL;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (graph == NULL)
        return NULL;
      layer = ns_graph_find_by_id (graph, ids[i]);
      if (layer == NULL)
        return NULL;
      graph = ns_layer_get_subgraph (layer);
    }
  return layer;
}

NsGraphSnapshot *
ns_graph_snapshot_new (NsGraph *graph)
{
  NsGraphSnapshot *snapshot;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);

  snapshot = g_new0 (NsGraphSnapshot, 1);
  snapshot->carried = g_array_new (FALSE, FALSE, sizeof (CarriedWeights));
  g_array_set_clear_func (snapshot->carried, carried_weights_clear);

  /* Setting weights neither re-infers nor notifies, so taking them off for
   * the writer and putting them back leaves the graph exactly as it was. */
  take_weights (graph, NULL, snapshot->carried);
  snapshot->text = ns_document_to_data (graph, &snapshot->length);
  for (guint i = 0; i < snapshot->carried->len; i++)
    {
      CarriedWeights *entry = &g_array_index (snapshot->carried, CarriedWeights, i);

      ns_layer_set_weights (find_by_path (graph, entry->path), entry->weights);
    }
  return snapshot;
}

NsGraph *
ns_graph_snapshot_build (const NsGraphSnapshot *snapshot,
                         GError               **error)
{
  g_autoptr(NsGraph) graph = NULL;

  g_return_val_if_fail (snapshot != NULL, NULL);

  graph = ns_document_load_from_data (snapshot->text, (gssize) snapshot->length, "preview", error);
  if (graph == NULL)
    return NULL;
  for (guint i = 0; i < snapshot->carried->len; i++)
    {
      const CarriedWeights *entry = &g_array_index (snapshot->carried, CarriedWeights, i);
      NsLayer *layer = find_by_path (graph, entry->path);

      if (layer != NULL)
        ns_layer_set_weights (layer, entry->weights);
    }
  return g_steal_pointer (&graph);
}

void
ns_graph_snapshot_free (NsGraphSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->text);
  g_array_unref (snapshot->carried);
  g_free (snapshot);
}
