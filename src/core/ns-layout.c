/* ns-layout.c: layered layout: longest-path ranks, barycentre ordering. */
#include "config.h"

#include "ns-layout.h"

typedef struct {
  NsLayer *layer;
  guint    rank;
  double   order;    /* position within its rank, refined by the sweeps */
} Placement;

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  const Placement *x = *(const Placement *const *) a;
  const Placement *y = *(const Placement *const *) b;

  return x->order < y->order ? -1 : x->order > y->order;
}

/* Mean order of the neighbours on one side (inputs or consumers); the layer's
 * own order when it has none there. */
static double
barycentre (GHashTable *placements,
            Placement  *p,
            gboolean    from_inputs)
{
  NsLayer *layer = p->layer;
  guint n = from_inputs ? ns_layer_get_n_inputs (layer) : ns_layer_get_n_consumers (layer);
  double sum = 0;
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      NsLayer *other = from_inputs ? ns_layer_get_input (layer, i) : ns_layer_get_consumer (layer, i);
      Placement *q;

      if (other == NULL || (q = g_hash_table_lookup (placements, other)) == NULL)
        continue;
      sum += q->order;
      count++;
    }
  return count > 0 ? sum / count : p->order;
}

static void
renumber (GPtrArray *rank)
{
  g_ptr_array_sort (rank, compare_order);
  for (guint i = 0; i < rank->len; i++)
    ((Placement *) g_ptr_array_index (rank, i))->order = i;
}

void
ns_layout_graph (NsGraph           *graph,
                 NsLayoutDirection  direction)
{
  GPtrArray *sorted;
  g_autoptr(GHashTable) placements = NULL;
  g_autoptr(GPtrArray) ranks = NULL;
  g_autofree Placement *all = NULL;
  guint widest = 0;

  g_return_if_fail (NS_IS_GRAPH (graph));

  sorted = ns_graph_get_sorted_layers (graph);
  placements = g_hash_table_new (NULL, NULL);
  ranks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  all = g_new0 (Placement, MAX (sorted->len, 1));

  /* Longest path from an input: in topological order every input is placed first. */
  for (guint i = 0; i < sorted->len; i++)
    {
      Placement *p = &all[i];

      p->layer = g_ptr_array_index (sorted, i);
      for (guint port = 0; port < ns_layer_get_n_inputs (p->layer); port++)
        {
          NsLayer *source = ns_layer_get_input (p->layer, port);
          Placement *q = source != NULL ? g_hash_table_lookup (placements, source) : NULL;

          if (q != NULL)
            p->rank = MAX (p->rank, q->rank + 1);
        }
      while (ranks->len <= p->rank)
        g_ptr_array_add (ranks, g_ptr_array_new ());
      p->order = ((GPtrArray *) g_ptr_array_index (ranks, p->rank))->len;
      g_ptr_array_add (g_ptr_array_index (ranks, p->rank), p);
      g_hash_table_insert (placements, p->layer, p);
    }

  /* A few down and up sweeps put each layer near the mean of its neighbours. */
  for (guint sweep = 0; sweep < 4; sweep++)
    {
      gboolean down = sweep % 2 == 0;

      for (guint r = 0; r < ranks->len; r++)
        {
          GPtrArray *rank = g_ptr_array_index (ranks, down ? r : ranks->len - 1 - r);

          for (guint i = 0; i < rank->len; i++)
            {
              Placement *p = g_ptr_array_index (rank, i);
              p->order = barycentre (placements, p, down);
            }
          renumber (rank);
        }
    }

  for (guint r = 0; r < ranks->len; r++)
    widest = MAX (widest, ((GPtrArray *) g_ptr_array_index (ranks, r))->len);

  for (guint r = 0; r < ranks->len; r++)
    {
      GPtrArray *rank = g_ptr_array_index (ranks, r);
      gboolean across_x = direction == NS_LAYOUT_TOP_DOWN;
      double along_step = (across_x ? NS_LAYOUT_NODE_HEIGHT : NS_LAYOUT_NODE_WIDTH) + NS_LAYOUT_RANK_GAP;
      double across_step = (across_x ? NS_LAYOUT_NODE_WIDTH : NS_LAYOUT_NODE_HEIGHT) + NS_LAYOUT_NODE_GAP;
      /* Centre each rank on the widest one. */
      double offset = (widest - rank->len) * across_step / 2;

      for (guint i = 0; i < rank->len; i++)
        {
          Placement *p = g_ptr_array_index (rank, i);
          double along = NS_LAYOUT_MARGIN + r * along_step;
          double across = NS_LAYOUT_MARGIN + offset + i * across_step;

          if (across_x)
            ns_layer_set_position (p->layer, across, along);
          else
            ns_layer_set_position (p->layer, along, across);
        }
    }
}
