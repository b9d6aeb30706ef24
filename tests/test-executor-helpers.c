/* test-executor-helpers.c: small networks with known weights, run. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "test-executor-helpers.h"
#include "test-helpers.h"

static NsLayer *
add_v (NsGraph     *graph,
       const char  *keras_class,
       NsLayer    **sources,
       va_list      args)
{
  g_autoptr(GError) error = NULL;
  NsLayer *layer = ns_graph_add_new_layer (graph, ns_layer_types_lookup (keras_class), NULL, &error);
  const char *key;

  g_assert_no_error (error);
  while ((key = va_arg (args, const char *)) != NULL)
    test_set (graph, layer, key, va_arg (args, const char *));
  for (guint port = 0; sources[port] != NULL; port++)
    {
      ns_graph_connect (graph, sources[port], layer, port, &error);
      g_assert_no_error (error);
    }
  return layer;
}

NsLayer *
exec_add (NsGraph    *graph,
          const char *keras_class,
          NsLayer    *source,
          ...)
{
  NsLayer *sources[2] = { source, NULL };
  NsLayer *layer;
  va_list args;

  va_start (args, source);
  layer = add_v (graph, keras_class, sources, args);
  va_end (args);
  return layer;
}

NsLayer *
exec_single (NsGraph    *graph,
             const char *shape_json,
             const char *keras_class,
             ...)
{
  NsLayer *sources[2] = { exec_add (graph, "InputLayer", NULL, "shape", shape_json, NULL), NULL };
  NsLayer *layer;
  va_list args;

  va_start (args, keras_class);
  layer = add_v (graph, keras_class, sources, args);
  va_end (args);
  return layer;
}

NsLayer *
exec_merge (NsGraph    *graph,
            const char *keras_class,
            NsLayer    *a,
            NsLayer    *b,
            NsLayer    *c,
            ...)
{
  NsLayer *sources[4] = { a, b, c, NULL };
  NsLayer *layer;
  va_list args;

  va_start (args, c);
  layer = add_v (graph, keras_class, sources, args);
  va_end (args);
  return layer;
}

void
exec_set_weights (NsLayer          *layer,
                  const ExecWeight *weights,
                  guint             n_weights)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_weight_free);

  for (guint i = 0; i < n_weights; i++)
    {
      NsShape shape;
      gint64 n = 1;
      g_autoptr(GBytes) bytes = NULL;

      ns_shape_init (&shape, weights[i].rank, weights[i].dims);
      for (guint d = 0; d < shape.rank; d++)
        n *= shape.dims[d];
      bytes = g_bytes_new (weights[i].values, n * sizeof (float));
      g_ptr_array_add (array, ns_weight_new (weights[i].name, &shape, bytes));
    }
  ns_layer_set_weights (layer, array);
}

NsTensor *
exec_run (NsGraph     *graph,
          const float *input,
          gint64       batch)
{
  NsExecutorOptions options = { .seed = 0, .batch = batch };
  g_autoptr(GError) error = NULL;
  g_autoptr(NsExecutor) executor = ns_executor_new (graph, &options, &error);
  g_autoptr(NsTensor) tensor = NULL;
  gint64 dims[NS_MAX_RANK + 1];
  NsTensor *output;
  guint rank;

  g_assert_no_error (error);
  ns_executor_get_input_shape (executor, &rank, dims);
  tensor = ns_tensor_new (rank, dims);
  memcpy (tensor->data, input, ns_tensor_get_n_values (tensor) * sizeof (float));
  output = ns_executor_run (executor, tensor, NULL, &error);
  g_assert_no_error (error);
  return output;
}

void
exec_assert_tensor (const NsTensor *tensor,
                    guint           rank,
                    const gint64   *dims,
                    const float    *expected)
{
  g_assert_nonnull (tensor);
  g_assert_cmpuint (tensor->rank, ==, rank);
  for (guint i = 0; i < rank; i++)
    g_assert_cmpint (tensor->dims[i], ==, dims[i]);
  for (gint64 i = 0; i < ns_tensor_get_n_values (tensor); i++)
    if (fabs (tensor->data[i] - expected[i]) > 1e-6 * MAX (1.0, fabs (expected[i])))
      g_error ("value %" G_GINT64_FORMAT ": got %.9g, expected %.9g", i, tensor->data[i], expected[i]);
}
