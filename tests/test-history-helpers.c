/* test-history-helpers.c: building networks through the history, and
 * assertions on layers and the history, for the history's tests. */
#include "config.h"

#include "test-history-helpers.h"
#include "test-helpers.h"

void
history_set (NsHistory  *history,
             NsLayer    *layer,
             const char *key,
             const char *json)
{
  NsValue value = test_value (layer, key, json);
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_history_set_value (history, layer, key, &value, &error));
  g_assert_no_error (error);
}

NsLayer *
history_add (NsHistory  *history,
             const char *keras_class,
             double      x,
             double      y)
{
  g_autoptr(GError) error = NULL;
  NsLayer *layer = ns_history_add_layer (history, ns_layer_types_lookup (keras_class), x, y, &error);

  g_assert_no_error (error);
  g_assert_nonnull (layer);
  return layer;
}

void
history_wire (NsHistory *history,
              NsLayer   *from,
              NsLayer   *to,
              guint      port)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ns_history_connect (history, from, to, port, &error));
  g_assert_no_error (error);
}

/* "a,b,c": the names of @layer's inputs by port, "-" for a free one. */
char *
history_inputs_of (NsLayer *layer)
{
  GString *out = g_string_new (NULL);

  for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
    {
      NsLayer *source = ns_layer_get_input (layer, port);

      g_string_append_printf (out, "%s%s", port > 0 ? "," : "", source ? ns_layer_get_name (source) : "-");
    }
  return g_string_free (out, FALSE);
}

/* The layers' names in list order. */
char *
history_names_of (NsGraph *graph)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (graph)); i++)
    {
      g_autoptr(NsLayer) layer = g_list_model_get_item (G_LIST_MODEL (graph), i);

      g_string_append_printf (out, "%s%s", i > 0 ? "," : "", ns_layer_get_name (layer));
    }
  return g_string_free (out, FALSE);
}

void
history_assert_undo_label (NsHistory  *history,
                           const char *expected)
{
  g_autofree char *label = NULL;

  g_object_get (history, "undo-label", &label, NULL);
  g_assert_cmpstr (label, ==, expected);
}

void
history_assert_redo_label (NsHistory  *history,
                           const char *expected)
{
  g_autofree char *label = NULL;

  g_object_get (history, "redo-label", &label, NULL);
  g_assert_cmpstr (label, ==, expected);
}

void
history_assert_position (NsLayer *layer,
                         double   x,
                         double   y)
{
  double lx, ly;

  ns_layer_get_position (layer, &lx, &ly);
  g_assert_cmpfloat (lx, ==, x);
  g_assert_cmpfloat (ly, ==, y);
}

void
history_assert_params (NsLayer *layer,
                       gint64   params,
                       gint64   trainable)
{
  const NsLayerInfo *info = ns_layer_get_info (layer);

  g_assert_cmpint (info->state, ==, NS_LAYER_OK);
  g_assert_cmpint (info->params, ==, params);
  g_assert_cmpint (info->trainable_params, ==, trainable);
}

void
history_assert_totals (NsGraph *graph,
                       gint64   params,
                       gint64   trainable,
                       gint64   non_trainable)
{
  NsGraphTotals totals;

  ns_graph_get_totals (graph, &totals);
  g_assert_cmpint (totals.params, ==, params);
  g_assert_cmpint (totals.trainable_params, ==, trainable);
  g_assert_cmpint (totals.non_trainable_params, ==, non_trainable);
  g_assert_cmpuint (totals.n_errors, ==, 0);
}

/* Both go, and nothing else holds them: the history keeps no stray references. */
void
history_finish (NsHistory *history,
                NsGraph   *graph)
{
  g_assert_finalize_object (history);
  g_assert_finalize_object (graph);
}

/* input [8, 8, 3] → conv2d (4 filters) → conv2d_1 (2 filters) → activation. */
NsGraph *
history_build_chain (NsHistory **history_out,
                     NsLayer   **layers)
{
  NsGraph *graph = ns_graph_new ();
  NsHistory *history = ns_history_new (graph);

  layers[0] = history_add (history, "InputLayer", 0, 0);
  history_set (history, layers[0], "shape", "[8, 8, 3]");
  layers[1] = history_add (history, "Conv2D", 200, 0);
  history_set (history, layers[1], "filters", "4");
  layers[2] = history_add (history, "Conv2D", 400, 0);
  history_set (history, layers[2], "filters", "2");
  layers[3] = history_add (history, "Activation", 600, 0);
  history_wire (history, layers[0], layers[1], 0);
  history_wire (history, layers[1], layers[2], 0);
  history_wire (history, layers[2], layers[3], 0);
  *history_out = history;
  return graph;
}
