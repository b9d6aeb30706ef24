/* bench-inference.c: how long re-inference takes after an edit, on a long chain
 * and on a residual graph, and how long an edit that changes nothing downstream
 * (a rename) takes. Prints medians; see BENCHMARKS.md. */
#include "config.h"

#include "ns-graph.h"

#define RUNS 21

static NsLayer *
add (NsGraph    *graph,
     const char *keras_class)
{
  return ns_graph_add_new_layer (graph, ns_layer_types_lookup (keras_class), NULL, NULL);
}

static void
set_json (NsGraph    *graph,
          NsLayer    *layer,
          const char *key,
          const char *json)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  const NsPropDecl *decl = &type->props[ns_layer_type_find_prop (type, key)];
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  NsValue value;

  if (!ns_value_from_json (decl, node, &value, NULL) ||
      !ns_graph_set_value (graph, layer, key, &value, NULL))
    g_error ("cannot set %s to %s", key, json);
}

static void
connect (NsGraph *graph,
         NsLayer *from,
         NsLayer *to,
         guint    port)
{
  if (!ns_graph_connect (graph, from, to, port, NULL))
    g_error ("cannot connect %s to %s", ns_layer_get_name (from), ns_layer_get_name (to));
}

/* Input → (Conv2D same → BatchNormalization → Activation → Dropout)… */
static NsGraph *
build_chain (guint     n_layers,
             NsLayer **input)
{
  const char *cycle[] = { "Conv2D", "BatchNormalization", "Activation", "Dropout" };
  NsGraph *graph = ns_graph_new ();
  NsLayer *prev;

  ns_graph_freeze_inference (graph);
  prev = *input = add (graph, "InputLayer");
  set_json (graph, prev, "shape", "[64, 64, 16]");
  for (guint i = 1; i < n_layers; i++)
    {
      NsLayer *layer = add (graph, cycle[i % G_N_ELEMENTS (cycle)]);
      if (i % G_N_ELEMENTS (cycle) == 0)
        {
          set_json (graph, layer, "padding", "\"same\"");
          set_json (graph, layer, "filters", "16");
        }
      connect (graph, prev, layer, 0);
      prev = layer;
    }
  ns_graph_thaw_inference (graph);
  return graph;
}

/* Input → blocks of (Conv2D → BatchNormalization → Activation → Conv2D → Add(skip)),
 * like ResNet's basic block. */
static NsGraph *
build_residual (guint     n_layers,
                NsLayer **input)
{
  NsGraph *graph = ns_graph_new ();
  NsLayer *trunk;

  ns_graph_freeze_inference (graph);
  trunk = *input = add (graph, "InputLayer");
  set_json (graph, trunk, "shape", "[56, 56, 64]");
  while (g_list_model_get_n_items (G_LIST_MODEL (graph)) + 5 <= n_layers)
    {
      NsLayer *conv1 = add (graph, "Conv2D");
      NsLayer *bn = add (graph, "BatchNormalization");
      NsLayer *act = add (graph, "Activation");
      NsLayer *conv2 = add (graph, "Conv2D");
      NsLayer *sum = add (graph, "Add");

      for (guint i = 0; i < 2; i++)
        {
          NsLayer *conv = i == 0 ? conv1 : conv2;
          set_json (graph, conv, "padding", "\"same\"");
          set_json (graph, conv, "filters", "64");
        }
      connect (graph, trunk, conv1, 0);
      connect (graph, conv1, bn, 0);
      connect (graph, bn, act, 0);
      connect (graph, act, conv2, 0);
      connect (graph, conv2, sum, 0);
      connect (graph, trunk, sum, 1);
      trunk = sum;
    }
  /* Round up to exactly @n_layers with activations after the last block. */
  while (g_list_model_get_n_items (G_LIST_MODEL (graph)) < n_layers)
    {
      NsLayer *act = add (graph, "Activation");
      connect (graph, trunk, act, 0);
      trunk = act;
    }
  ns_graph_thaw_inference (graph);
  return graph;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Alternates the input's height so that every edit changes every shape below it. */
static double
median_reinfer_ms (NsGraph *graph,
                   NsLayer *input,
                   guint    size,
                   guint    channels)
{
  double times[RUNS];

  for (guint r = 0; r < RUNS; r++)
    {
      g_autofree char *shape = g_strdup_printf ("[%u, %u, %u]", size + (r % 2), size, channels);
      gint64 start = g_get_monotonic_time ();

      set_json (graph, input, "shape", shape);
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, RUNS, sizeof (double), compare_doubles);
  return times[RUNS / 2];
}

/* Renames take well under a microsecond: time batches of them. */
static double
median_rename_ms (NsGraph *graph)
{
  NsLayer *layer = g_ptr_array_index (ns_graph_get_sorted_layers (graph), 1);
  enum { BATCH = 1000 };
  double times[RUNS];
  char names[2][32] = { "renamed_a", "renamed_b" };

  for (guint r = 0; r < RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < BATCH; i++)
        if (!ns_graph_rename_layer (graph, layer, names[i % 2], NULL))
          g_error ("rename failed");
      times[r] = (g_get_monotonic_time () - start) / 1000.0 / BATCH;
    }
  qsort (times, RUNS, sizeof (double), compare_doubles);
  return times[RUNS / 2];
}

/* Switching a convolution's activation changes nothing below it. */
static double
median_local_edit_ms (NsGraph *graph)
{
  NsLayer *conv = g_ptr_array_index (ns_graph_get_sorted_layers (graph), 4);
  double times[RUNS];

  g_assert (g_str_equal (ns_layer_get_layer_type (conv)->keras_class, "Conv2D"));
  for (guint r = 0; r < RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();

      set_json (graph, conv, "activation", r % 2 ? "\"relu\"" : "\"linear\"");
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, RUNS, sizeof (double), compare_doubles);
  return times[RUNS / 2];
}

static void
check_last_layer (NsGraph    *graph,
                  const char *what)
{
  GPtrArray *sorted = ns_graph_get_sorted_layers (graph);
  NsLayer *last = g_ptr_array_index (sorted, sorted->len - 1);
  g_autofree char *shape = ns_shape_to_keras (&ns_layer_get_info (last)->output);

  if (ns_layer_get_info (last)->state != NS_LAYER_OK)
    g_error ("%s: the last layer is not inferred: %s", what, ns_layer_get_info (last)->message);
  g_print ("  (%u layers; last layer %s: %s)\n", sorted->len, ns_layer_get_name (last), shape);
}

int
main (int   argc,
      char *argv[])
{
  NsLayer *input;
  g_autoptr(NsGraph) chain = build_chain (10000, &input);
  NsLayer *res_input;
  g_autoptr(NsGraph) residual = build_residual (2000, &res_input);
  double chain_ms = median_reinfer_ms (chain, input, 64, 16);
  double residual_ms = median_reinfer_ms (residual, res_input, 56, 64);
  double rename_ms = median_rename_ms (chain);
  double local_ms = median_local_edit_ms (chain);

  g_print ("re-inference after an edit at the top, 10,000-layer chain: %.3f ms (median of %d)\n",
           chain_ms, RUNS);
  check_last_layer (chain, "chain");
  g_print ("re-inference after an edit at the top, 2,000-layer residual graph: %.3f ms (median of %d)\n",
           residual_ms, RUNS);
  check_last_layer (residual, "residual");
  g_print ("rename (nothing downstream changes), 10,000-layer chain: %.5f ms (median of %d batches)\n",
           rename_ms, RUNS);
  g_print ("activation switch near the top (nothing downstream changes), 10,000-layer chain: "
           "%.4f ms (median of %d)\n", local_ms, RUNS);
  return 0;
}
