/* ns-executor-plan.c: turns an inferred graph into the executor's steps:
 * the layers the output needs, in topological order, nested models laid
 * out inline; their weights (carried or drawn from the seed); the memory
 * estimate checked against the limit before anything big is allocated. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ns-executor-private.h"
#include "ns-layer-private.h"
#include "exec/ns-initializers.h"

static gboolean
is_input_layer (NsLayer *layer)
{
  return g_str_equal (ns_layer_get_layer_type (layer)->keras_class, "InputLayer");
}

/* The layers @roots read from, directly or not (a stack, not recursion:
 * a generated chain can be 100,000 layers deep). */
static GHashTable *
ancestors (NsLayer **roots,
           guint     n_roots)
{
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  for (guint i = 0; i < n_roots; i++)
    if (roots[i] != NULL)
      g_ptr_array_add (stack, roots[i]);
  while (stack->len > 0)
    {
      NsLayer *layer = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      if (!g_hash_table_add (seen, layer))
        continue;
      for (guint port = 0; port < ns_layer_get_n_inputs (layer); port++)
        if (ns_layer_get_input (layer, port) != NULL)
          g_ptr_array_add (stack, ns_layer_get_input (layer, port));
    }
  return seen;
}

static guint
add_value (NsExecutor    *executor,
           NsLayer       *layer,
           const NsShape *shape,
           gint           producer,
           GError       **error)
{
  Value value = { 0 };
  gint64 n = executor->batch;

  value.rank = shape->rank + 1;
  value.dims[0] = executor->batch;
  for (guint i = 0; i < shape->rank; i++)
    {
      if (shape->dims[i] == NS_DIM_NONE)
        {
          g_autofree char *text = ns_shape_to_keras (shape);

          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("layer %s: its output %s has dimensions unknown until run time; "
                         "give the input a complete shape to run the model"),
                       ns_layer_get_name (layer), text);
          return NS_NO_VALUE;
        }
      value.dims[i + 1] = shape->dims[i];
      if (!ns_checked_mul (n, shape->dims[i], &n) || n > G_MAXINT64 / 8)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE,
                       _("layer %s: its output for a batch of %" PRId64 " holds more values "
                         "than a computer can address"),
                       ns_layer_get_name (layer), executor->batch);
          return NS_NO_VALUE;
        }
    }
  value.n_floats = n;
  value.producer = producer;
  value.last_read = -1;
  value.storage = NS_NO_VALUE;
  g_array_append_val (executor->values, value);
  return executor->values->len - 1;
}

/* Checks the weights @step's layer carries against what its type declares. */
static gboolean
check_carried_weights (Step       *step,
                       GPtrArray  *carried,
                       GError    **error)
{
  for (guint i = 0; i < step->specs->len; i++)
    {
      const NsWeightSpec *spec = &g_array_index (step->specs, NsWeightSpec, i);
      gboolean found = FALSE;

      for (guint j = 0; j < carried->len && !found; j++)
        {
          const NsWeight *weight = g_ptr_array_index (carried, j);

          if (!g_str_equal (weight->name, spec->name))
            continue;
          if (!ns_shape_equal (&weight->shape, &spec->shape))
            {
              g_autofree char *got = ns_shape_to_compact (&weight->shape);
              g_autofree char *want = ns_shape_to_compact (&spec->shape);

              g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                           _("layer %s: its weight %s is %s, but the layer needs %s"),
                           ns_layer_get_name (step->layer), spec->name, got, want);
              return FALSE;
            }
          found = TRUE;
        }
      if (!found)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("layer %s carries weights but not its %s"),
                       ns_layer_get_name (step->layer), spec->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
add_step (NsExecutor  *executor,
          NsLayer     *layer,
          const char  *prefix,
          GHashTable  *values,
          guint       *out_value,
          GError     **error)
{
  const NsLayerType *type = ns_layer_get_layer_type (layer);
  guint n_ports = ns_layer_get_n_inputs (layer);
  Step step = { 0 };
  NsLayer *owner;

  if (type->forward == NULL)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_UNKNOWN_TYPE,
                   _("layer %s cannot run: Netsketch does not know what a %s layer computes"),
                   ns_layer_get_name (layer), ns_layer_get_class_name (layer));
      return FALSE;
    }
  step.layer = layer;
  step.path = prefix != NULL ? g_strconcat (prefix, "/", ns_layer_get_name (layer), NULL)
                             : g_strdup (ns_layer_get_name (layer));
  step.op = type->forward;
  step.input_shapes = g_new0 (const NsShape *, n_ports + 1);
  ns_layer_get_infer_input (layer, step.input_shapes, &step.in);
  step.inputs = g_new0 (guint, n_ports + 1);
  for (guint port = 0; port < n_ports; port++)
    step.inputs[port] = GPOINTER_TO_UINT (g_hash_table_lookup (values, ns_layer_get_input (layer, port))) - 1;

  owner = ns_layer_get_weights_owner (layer) != NULL ? ns_layer_get_weights_owner (layer) : layer;
  step.owner = owner;
  step.owner_path = owner == layer ? g_strdup (step.path)
                    : prefix != NULL ? g_strconcat (prefix, "/", ns_layer_get_name (owner), NULL)
                    : g_strdup (ns_layer_get_name (owner));
  step.specs = g_array_new (FALSE, FALSE, sizeof (NsWeightSpec));
  step.weights = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  /* Append first, so that a failure below leaves it for plan_clear to free. */
  g_array_append_val (executor->steps, step);

  {
    Step *added = ns_executor_step (executor, executor->steps->len - 1);
    GPtrArray *carried = ns_layer_get_weights (owner);

    if (type->weights != NULL && !type->weights (&added->in, added->specs))
      {
        g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                     _("layer %s: its weights cannot be worked out from its input"),
                     ns_layer_get_name (layer));
        return FALSE;
      }
    if (carried != NULL && carried->len > 0 && !check_carried_weights (added, carried, error))
      return FALSE;
    added->output = add_value (executor, layer, &ns_layer_get_info (layer)->output,
                               executor->steps->len - 1, error);
    if (added->output == NS_NO_VALUE)
      return FALSE;
    *out_value = added->output;
  }
  return TRUE;
}

/* Adds the steps computing @graph's (first) output from @input_values, one
 * per input of the graph, and gives the output's value. */
static gboolean
add_graph (NsExecutor   *executor,
           NsGraph      *graph,
           const char   *prefix,
           const guint  *input_values,
           guint         n_input_values,
           guint        *out_value,
           GError      **error)
{
  g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (graph);
  g_autoptr(GPtrArray) outputs = ns_graph_get_outputs (graph);
  g_autoptr(GHashTable) needed = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (NULL, NULL);
  GPtrArray *sorted = ns_graph_get_sorted_layers (graph);
  NsLayer *roots[2] = { NULL, NULL };

  if (outputs->len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH, _("the model has no output layer"));
      return FALSE;
    }
  roots[0] = g_ptr_array_index (outputs, 0);
  if (executor->capture_layer != NULL && ns_layer_get_graph (executor->capture_layer) == graph)
    roots[1] = executor->capture_layer;
  needed = ancestors (roots, 2);

  for (guint i = 0; i < sorted->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (sorted, i);
      const NsLayerInfo *info = ns_layer_get_info (layer);
      guint value = NS_NO_VALUE, index;

      if (!g_hash_table_contains (needed, layer))
        continue;
      if (info->state != NS_LAYER_OK)
        {
          g_set_error (error, NS_ERROR, NS_ERROR_GRAPH, _("layer %s: %s"), ns_layer_get_name (layer),
                       info->message != NULL ? info->message : _("not inferred"));
          return FALSE;
        }
      if (is_input_layer (layer))
        {
          if (!g_ptr_array_find (inputs, layer, &index) || index >= n_input_values)
            {
              g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                           _("input layer %s is not one of the model’s inputs"), ns_layer_get_name (layer));
              return FALSE;
            }
          value = input_values[index];
        }
      else if (ns_layer_get_subgraph (layer) != NULL)
        {
          guint n_ports = ns_layer_get_n_inputs (layer);
          g_autofree guint *inner = g_new0 (guint, n_ports + 1);
          g_autofree char *path = prefix != NULL ? g_strconcat (prefix, "/", ns_layer_get_name (layer), NULL)
                                                 : g_strdup (ns_layer_get_name (layer));

          for (guint port = 0; port < n_ports; port++)
            inner[port] = GPOINTER_TO_UINT (g_hash_table_lookup (values, ns_layer_get_input (layer, port))) - 1;
          if (!add_graph (executor, ns_layer_get_subgraph (layer), path, inner, n_ports, &value, error))
            return FALSE;
        }
      else if (!add_step (executor, layer, prefix, values, &value, error))
        return FALSE;

      g_hash_table_insert (values, layer, GUINT_TO_POINTER (value + 1));
      if (layer == executor->capture_layer)
        executor->capture_value = value;
    }
  *out_value = GPOINTER_TO_UINT (g_hash_table_lookup (values, roots[0])) - 1;
  return TRUE;
}

/* *@sum += @floats · 4 bytes, stopping at the largest count rather than wrapping. */
static void
add_bytes (guint64 *sum,
           gint64   floats)
{
  guint64 bytes;

  if (floats < 0 || !g_uint64_checked_mul (&bytes, (guint64) floats, 4) ||
      !g_uint64_checked_add (sum, *sum, bytes))
    *sum = G_MAXUINT64;
}

/* The memory the pass needs, from the plan's sizes, before allocating. */
static gboolean
check_memory (NsExecutor *executor,
              GError    **error)
{
  g_autoptr(GHashTable) owners = g_hash_table_new (NULL, NULL);
  guint64 activations = 0, scratch = 0, weights = 0, total = 0;

  for (guint i = 0; i < executor->steps->len; i++)
    {
      Step *step = ns_executor_step (executor, i);

      scratch = MAX (scratch, (guint64) step->scratch_floats * 4);
      add_bytes (&weights, step->derived_floats);
      if (!g_hash_table_add (owners, step->owner))
        continue;
      for (guint j = 0; j < step->specs->len; j++)
        {
          const NsShape *shape = &g_array_index (step->specs, NsWeightSpec, j).shape;
          gint64 n = 1;

          for (guint d = 0; d < shape->rank && n >= 0; d++)
            if (!ns_checked_mul (n, shape->dims[d], &n))
              n = -1;
          add_bytes (&weights, n);
        }
    }
  add_bytes (&activations, executor->arena_floats);
  add_bytes (&activations, executor->external_floats);
  executor->scratch_floats = scratch / 4;
  executor->weight_bytes = weights;
  add_bytes (&total, activations / 4);
  add_bytes (&total, scratch / 4);
  add_bytes (&total, weights / 4);
  if (total > executor->memory_limit || total / 4 > G_MAXSIZE / 8)
    {
      g_autofree char *need = ns_format_bytes ((gint64) MIN (total, (guint64) G_MAXINT64));
      g_autofree char *act = ns_format_bytes ((gint64) MIN (activations, (guint64) G_MAXINT64));
      g_autofree char *wts = ns_format_bytes ((gint64) MIN (weights, (guint64) G_MAXINT64));
      g_autofree char *limit = ns_format_bytes ((gint64) MIN (executor->memory_limit, (guint64) G_MAXINT64));

      g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE,
                   _("running the model with a batch of %" PRId64 " needs %s (%s of activations, "
                     "%s of weights), more than the %s allowed"),
                   executor->batch, need, act, wts, limit);
      return FALSE;
    }
  return TRUE;
}

/* The weights of @step: the ones its layer (or the shared layer it calls)
 * carries, or drawn from the seed, once per owner. */
static gboolean
materialize_weights (NsExecutor *executor,
                     Step       *step,
                     GHashTable *drawn,
                     GError    **error)
{
  GPtrArray *carried = ns_layer_get_weights (step->owner);
  GPtrArray *cached = g_hash_table_lookup (drawn, step->owner);

  for (guint i = 0; i < step->specs->len; i++)
    {
      const NsWeightSpec *spec = &g_array_index (step->specs, NsWeightSpec, i);
      GBytes *bytes = NULL;

      if (carried != NULL && carried->len > 0)
        {
          for (guint j = 0; j < carried->len && bytes == NULL; j++)
            if (g_str_equal (((NsWeight *) g_ptr_array_index (carried, j))->name, spec->name))
              bytes = g_bytes_ref (((NsWeight *) g_ptr_array_index (carried, j))->data);
        }
      else if (cached != NULL && i < cached->len)
        bytes = g_bytes_ref (g_ptr_array_index (cached, i));
      else
        {
          gint64 n = 1;
          float *values;

          for (guint d = 0; d < spec->shape.rank; d++)
            n *= spec->shape.dims[d];
          values = g_try_new (float, MAX (n, 1));
          if (values == NULL)
            {
              g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE,
                           _("layer %s: not enough memory for its weight %s"), step->path, spec->name);
              return FALSE;
            }
          if (!ns_initializer_fill (spec, executor->seed, step->owner_path, values, error))
            {
              g_free (values);
              return FALSE;
            }
          bytes = g_bytes_new_take (values, n * sizeof (float));
          if (cached == NULL)
            {
              cached = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
              g_hash_table_insert (drawn, step->owner, cached);
            }
          g_ptr_array_add (cached, g_bytes_ref (bytes));
        }
      g_ptr_array_add (step->weights, bytes);
    }
  return TRUE;
}

static gboolean
prepare_steps (NsExecutor *executor,
               GError    **error)
{
  g_autoptr(GHashTable) drawn = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < executor->steps->len; i++)
    {
      Step *step = ns_executor_step (executor, i);
      const Value *output = ns_executor_value (executor, step->output);
      NsShape shape;
      g_autofree const float **weights = NULL;
      NsForwardPrepare prep = { 0 };

      if (!materialize_weights (executor, step, drawn, error))
        return FALSE;
      if (step->skip || step->op->prepare == NULL)
        continue;
      weights = g_new0 (const float *, step->weights->len + 1);
      for (guint j = 0; j < step->weights->len; j++)
        weights[j] = g_bytes_get_data (g_ptr_array_index (step->weights, j), NULL);
      ns_shape_init (&shape, output->rank - 1, output->dims + 1);
      prep.in = &step->in;
      prep.output = &shape;
      prep.batch = executor->batch;
      prep.weights = weights;
      prep.n_weights = step->weights->len;
      prep.layer_name = step->path;
      step->data = step->op->prepare (&prep, error);
      if (step->data == NULL)
        return FALSE;
      g_assert (prep.scratch_floats <= executor->scratch_floats);
    }
  return TRUE;
}

gboolean
ns_executor_plan (NsExecutor *executor,
                  GError    **error)
{
  g_autoptr(GPtrArray) inputs = ns_graph_get_inputs (executor->graph);
  NsLayer *input;
  guint value;
  gint n_steps;

  executor->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  executor->values = g_array_new (FALSE, TRUE, sizeof (Value));
  executor->storages = g_array_new (FALSE, TRUE, sizeof (Storage));
  executor->capture_value = NS_NO_VALUE;

  if (inputs->len != 1 || !is_input_layer (g_ptr_array_index (inputs, 0)))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH,
                   g_dngettext (GETTEXT_PACKAGE, "the model has %u input; running it needs exactly one",
                                "the model has %u inputs; running it needs exactly one", inputs->len),
                   inputs->len);
      return FALSE;
    }
  input = g_ptr_array_index (inputs, 0);
  if (ns_layer_get_info (input)->state != NS_LAYER_OK)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_GRAPH, _("layer %s: %s"), ns_layer_get_name (input),
                   ns_layer_get_info (input)->message);
      return FALSE;
    }
  value = add_value (executor, input, &ns_layer_get_info (input)->output, -1, error);
  if (value == NS_NO_VALUE ||
      !add_graph (executor, executor->graph, NULL, &value, 1, &executor->output_value, error))
    return FALSE;

  /* Who reads what last; the caller reads the output and the capture after the pass. */
  n_steps = executor->steps->len;
  for (gint i = 0; i < n_steps; i++)
    {
      Step *step = ns_executor_step (executor, i);

      for (guint port = 0; port < step->in.n_inputs; port++)
        ns_executor_value (executor, step->inputs[port])->last_read = i;
    }
  ns_executor_value (executor, executor->output_value)->last_read = n_steps;
  if (executor->capture_value != NS_NO_VALUE)
    ns_executor_value (executor, executor->capture_value)->last_read = n_steps;

  for (gint i = 0; i < n_steps; i++)
    {
      Step *step = ns_executor_step (executor, i);
      const Value *output = ns_executor_value (executor, step->output);
      NsShape shape;
      NsForwardPrepare prep = { 0 };

      ns_shape_init (&shape, output->rank - 1, output->dims + 1);
      prep.in = &step->in;
      prep.output = &shape;
      prep.batch = executor->batch;
      prep.n_weights = step->specs->len;
      prep.layer_name = step->path;
      if (step->op->measure != NULL)
        step->op->measure (&prep);
      step->scratch_floats = prep.scratch_floats;
      step->derived_floats = prep.derived_floats;
    }

  ns_executor_plan_storages (executor);
  if (!check_memory (executor, error))
    return FALSE;

  executor->arena = ns_exec_alloc_floats (executor->arena_floats);
  executor->scratch = ns_exec_alloc_floats (executor->scratch_floats);
  if (executor->arena == NULL || executor->scratch == NULL)
    {
      g_autofree char *need = ns_format_bytes ((executor->arena_floats + executor->scratch_floats) * 4);

      g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE,
                   _("cannot allocate the %s the forward pass needs"), need);
      return FALSE;
    }
  return prepare_steps (executor, error);
}

void
ns_executor_plan_clear (NsExecutor *executor)
{
  for (guint i = 0; executor->steps != NULL && i < executor->steps->len; i++)
    {
      Step *step = ns_executor_step (executor, i);

      if (step->data != NULL)
        {
          if (step->op->free != NULL)
            step->op->free (step->data);
          else
            g_free (step->data);
        }
      g_free (step->path);
      g_free (step->owner_path);
      g_free (step->input_shapes);
      g_free (step->inputs);
      g_clear_pointer (&step->specs, g_array_unref);
      g_clear_pointer (&step->weights, g_ptr_array_unref);
    }
  g_clear_pointer (&executor->steps, g_array_unref);
  g_clear_pointer (&executor->values, g_array_unref);
  g_clear_pointer (&executor->storages, g_array_unref);
  g_clear_pointer (&executor->arena, g_free);
  g_clear_pointer (&executor->scratch, g_free);
}
