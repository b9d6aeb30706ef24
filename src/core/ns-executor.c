/* ns-executor.c: tensors, and running a planned pass: each step's kernel on
 * views of the buffers the planner chose, timed, cancellable between steps. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "ns-executor-private.h"

/* ---- Tensors ----------------------------------------------------------------- */

static gboolean
count_values (guint         rank,
              const gint64 *dims,
              gint64       *n_values)
{
  gint64 n = 1;

  for (guint i = 0; i < rank; i++)
    if (dims[i] < 0 || !ns_checked_mul (n, dims[i], &n))
      return FALSE;
  *n_values = n;
  return (guint64) n <= G_MAXSIZE / sizeof (float);
}

NsTensor *
ns_tensor_new (guint         rank,
               const gint64 *dims)
{
  NsTensor *tensor;
  gint64 n;

  g_return_val_if_fail (rank >= 1 && rank <= NS_MAX_RANK + 1, NULL);
  g_return_val_if_fail (dims != NULL, NULL);

  if (!count_values (rank, dims, &n))
    return NULL;
  tensor = g_new0 (NsTensor, 1);
  tensor->rank = rank;
  memcpy (tensor->dims, dims, rank * sizeof (gint64));
  tensor->data = g_try_malloc0_n (MAX (n, 1), sizeof (float));
  if (tensor->data == NULL)
    {
      g_free (tensor);
      return NULL;
    }
  return tensor;
}

NsTensor *
ns_tensor_copy (const NsTensor *tensor)
{
  NsTensor *copy;

  g_return_val_if_fail (tensor != NULL, NULL);

  copy = g_new0 (NsTensor, 1);
  *copy = *tensor;
  copy->data = g_memdup2 (tensor->data, MAX (ns_tensor_get_n_values (tensor), 1) * sizeof (float));
  return copy;
}

void
ns_tensor_free (NsTensor *tensor)
{
  if (tensor == NULL)
    return;
  g_free (tensor->data);
  g_free (tensor);
}

gint64
ns_tensor_get_n_values (const NsTensor *tensor)
{
  gint64 n;

  g_return_val_if_fail (tensor != NULL, 0);
  return count_values (tensor->rank, tensor->dims, &n) ? n : 0;
}

NsTensor *
ns_tensor_new_noise (guint         rank,
                     const gint64 *dims,
                     guint64       seed)
{
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  g_autoptr(GRand) noise = g_rand_new_with_seed_array (seed_words, G_N_ELEMENTS (seed_words));
  NsTensor *tensor = ns_tensor_new (rank, dims);
  gint64 n;

  if (tensor == NULL)
    return NULL;
  n = ns_tensor_get_n_values (tensor);
  for (gint64 i = 0; i < n; i++)
    tensor->data[i] = (float) g_rand_double (noise);
  return tensor;
}

/* A tensor of @value's shape, its values left for the pass to write. */
static NsTensor *
tensor_alloc (const Value *value)
{
  NsTensor *tensor = g_new0 (NsTensor, 1);

  tensor->rank = value->rank;
  memcpy (tensor->dims, value->dims, value->rank * sizeof (gint64));
  tensor->data = ns_exec_alloc_floats (value->n_floats);
  if (tensor->data == NULL)
    g_clear_pointer (&tensor, g_free);
  return tensor;
}

/* A tensor of @value's shape holding a copy of @data. */
static NsTensor *
tensor_from (const Value *value,
             const float *data)
{
  NsTensor *tensor = g_new0 (NsTensor, 1);

  tensor->rank = value->rank;
  memcpy (tensor->dims, value->dims, value->rank * sizeof (gint64));
  tensor->data = g_memdup2 (data, MAX (value->n_floats, 1) * sizeof (float));
  return tensor;
}

/* ---- The executor -------------------------------------------------------------- */

guint64
ns_executor_default_memory_limit (void)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/meminfo", &contents, NULL, NULL) &&
      (line = strstr (contents, "MemAvailable:")) != NULL)
    {
      guint64 kib = g_ascii_strtoull (line + strlen ("MemAvailable:"), NULL, 10);

      if (kib > 0)
        return kib * 1024 / 2;
    }
  return (guint64) 4 << 30;
}

/* "conv2d" in the graph, or "model/conv2d" inside a nested model. */
static NsLayer *
find_layer (NsGraph    *graph,
            const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  NsLayer *layer = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (graph == NULL)
        return NULL;
      layer = ns_graph_find_by_name (graph, parts[i]);
      if (layer == NULL)
        return NULL;
      graph = ns_layer_get_subgraph (layer);
    }
  return layer;
}

NsExecutor *
ns_executor_new (NsGraph                 *graph,
                 const NsExecutorOptions *options,
                 GError                 **error)
{
  g_autoptr(NsExecutor) executor = NULL;

  g_return_val_if_fail (NS_IS_GRAPH (graph), NULL);
  g_return_val_if_fail (options == NULL || options->batch >= 1, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ns_exec_init_blas ();
  executor = g_new0 (NsExecutor, 1);
  executor->graph = g_object_ref (graph);
  executor->seed = options != NULL ? options->seed : 0;
  executor->batch = options != NULL ? options->batch : 1;
  executor->memory_limit = options != NULL && options->memory_limit > 0
                           ? options->memory_limit : ns_executor_default_memory_limit ();
  executor->timings = g_array_new (FALSE, TRUE, sizeof (NsLayerTiming));
  if (options != NULL && options->capture_layer != NULL)
    {
      executor->capture_layer = find_layer (graph, options->capture_layer);
      if (executor->capture_layer == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("the model has no layer named %s"), options->capture_layer);
          return NULL;
        }
    }
  if (!ns_executor_plan (executor, error))
    return NULL;
  return g_steal_pointer (&executor);
}

void
ns_executor_free (NsExecutor *executor)
{
  if (executor == NULL)
    return;
  ns_executor_plan_clear (executor);
  ns_tensor_free (executor->captured);
  g_clear_pointer (&executor->timings, g_array_unref);
  g_clear_object (&executor->graph);
  g_free (executor);
}

void
ns_executor_get_input_shape (NsExecutor *executor,
                             guint      *rank,
                             gint64     *dims)
{
  const Value *input;

  g_return_if_fail (executor != NULL);

  input = ns_executor_value (executor, 0);
  if (rank != NULL)
    *rank = input->rank;
  if (dims != NULL)
    memcpy (dims, input->dims, input->rank * sizeof (gint64));
}

static float *
storage_base (NsExecutor     *executor,
              const Storage  *storage,
              const NsTensor *input,
              NsTensor       *output)
{
  switch (storage->kind)
    {
    case STORAGE_ARENA:
      return executor->arena + storage->offset;
    case STORAGE_INPUT:
      return input->data;
    case STORAGE_OUTPUT:
      return output->data;
    case STORAGE_CAPTURE:
      return executor->captured->data;
    default:
      g_assert_not_reached ();
    }
}

static void
view_of (NsExecutor     *executor,
         guint           index,
         const NsTensor *input,
         NsTensor       *output,
         NsView         *view)
{
  const Value *value = ns_executor_value (executor, index);
  const Storage *storage = ns_executor_storage (executor, value->storage);

  view->data = storage_base (executor, storage, input, output) + value->col_offset;
  view->rank = value->rank;
  memcpy (view->dims, value->dims, value->rank * sizeof (gint64));
  view->ld = value->ld;
}

static gboolean
check_input (NsExecutor     *executor,
             const NsTensor *input,
             GError        **error)
{
  const Value *expected = ns_executor_value (executor, 0);

  if (input->rank == expected->rank && memcmp (input->dims, expected->dims, input->rank * sizeof (gint64)) == 0)
    return TRUE;
  {
    GString *want = g_string_new (NULL), *got = g_string_new (NULL);

    for (guint i = 0; i < expected->rank; i++)
      g_string_append_printf (want, i > 0 ? "×%" PRId64 : "%" PRId64, expected->dims[i]);
    for (guint i = 0; i < input->rank; i++)
      g_string_append_printf (got, i > 0 ? "×%" PRId64 : "%" PRId64, input->dims[i]);
    g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                 _("the input is %s, but the model takes %s (batch first)"), got->str, want->str);
    g_string_free (want, TRUE);
    g_string_free (got, TRUE);
    return FALSE;
  }
}

NsTensor *
ns_executor_run (NsExecutor     *executor,
                 const NsTensor *input,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autoptr(NsTensor) output = NULL;
  g_autofree NsView *views = NULL;
  const Value *out_value;
  const Storage *out_storage;
  guint max_inputs = 0;

  g_return_val_if_fail (executor != NULL, NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_input (executor, input, error))
    return NULL;
  out_value = ns_executor_value (executor, executor->output_value);
  out_storage = ns_executor_storage (executor, out_value->storage);
  if (out_storage->kind == STORAGE_OUTPUT)
    {
      output = tensor_alloc (ns_executor_value (executor, out_storage->root));
      if (output == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE, _("not enough memory for the output"));
          return NULL;
        }
    }
  if (executor->capture_value != NS_NO_VALUE && executor->captured == NULL)
    {
      const Value *captured = ns_executor_value (executor, executor->capture_value);
      const Storage *storage = ns_executor_storage (executor, captured->storage);
      const Value *root = ns_executor_value (executor, storage->kind == STORAGE_CAPTURE ? storage->root
                                                                                     : executor->capture_value);

      executor->captured = tensor_alloc (root);
      if (executor->captured == NULL)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE, _("not enough memory for the captured layer"));
          return NULL;
        }
    }

  for (guint i = 0; i < executor->steps->len; i++)
    max_inputs = MAX (max_inputs, ns_executor_step (executor, i)->in.n_inputs);
  views = g_new (NsView, max_inputs + 1);
  g_array_set_size (executor->timings, 0);
  for (guint i = 0; i < executor->steps->len; i++)
    {
      Step *step = ns_executor_step (executor, i);
      NsLayerTiming timing = { step->layer, 0.0 };
      NsForwardRun run = { 0 };
      NsView out_view;
      gint64 start;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!step->skip)
        {
          for (guint port = 0; port < step->in.n_inputs; port++)
            view_of (executor, step->inputs[port], input, output, &views[port]);
          view_of (executor, step->output, input, output, &out_view);
          run.inputs = views;
          run.n_inputs = step->in.n_inputs;
          run.output = &out_view;
          run.scratch = executor->scratch;
          start = g_get_monotonic_time ();
          step->op->run (step->data, &run);
          timing.seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
        }
      g_array_append_val (executor->timings, timing);
    }

  /* Values that ended up in the input's or the output's buffer are copied out. */
  if (executor->capture_value != NS_NO_VALUE)
    {
      const Value *captured = ns_executor_value (executor, executor->capture_value);

      if (ns_executor_storage (executor, captured->storage)->kind != STORAGE_CAPTURE)
        {
          NsView view;

          view_of (executor, executor->capture_value, input, output, &view);
          memcpy (executor->captured->data, view.data, captured->n_floats * sizeof (float));
        }
      executor->captured->rank = captured->rank;
      memcpy (executor->captured->dims, captured->dims, captured->rank * sizeof (gint64));
    }
  if (out_storage->kind != STORAGE_OUTPUT)
    {
      NsView view;

      view_of (executor, executor->output_value, input, output, &view);
      g_clear_pointer (&output, ns_tensor_free);
      output = tensor_from (out_value, view.data);
    }
  else
    {
      output->rank = out_value->rank;
      memcpy (output->dims, out_value->dims, out_value->rank * sizeof (gint64));
    }

  /* Everything is held for the whole pass: the arena and scratch since
   * planning, the input by the caller, the output from the start. */
  executor->peak_bytes = (guint64) (executor->arena_floats + executor->scratch_floats +
                                    executor->external_floats) * 4 + executor->weight_bytes;
  return g_steal_pointer (&output);
}

const NsTensor *
ns_executor_get_captured (NsExecutor *executor)
{
  g_return_val_if_fail (executor != NULL, NULL);
  return executor->captured;
}

GArray *
ns_executor_get_timings (NsExecutor *executor)
{
  g_return_val_if_fail (executor != NULL, NULL);
  return executor->timings;
}

guint64
ns_executor_get_planned_activation_bytes (NsExecutor *executor)
{
  g_return_val_if_fail (executor != NULL, 0);
  return executor->planned_bytes;
}

guint64
ns_executor_get_weight_bytes (NsExecutor *executor)
{
  g_return_val_if_fail (executor != NULL, 0);
  return executor->weight_bytes;
}

guint64
ns_executor_get_peak_bytes (NsExecutor *executor)
{
  g_return_val_if_fail (executor != NULL, 0);
  return executor->peak_bytes;
}
