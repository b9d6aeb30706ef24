/* ns-graph-infer.c: NsGraph's topological order and incremental inference. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ns-graph-private.h"

/* ---- Topological order ------------------------------------------------- */

/* A min-heap of layers. Sorting keys it by insertion index, so that among the
 * layers that are ready the earliest added comes first (a document already in
 * order stays so); inference keys it by topological index. */
typedef guint (*LayerKey) (const NsLayer *layer);

static guint
list_key (const NsLayer *layer)
{
  return layer->list_index;
}

static guint
topo_key (const NsLayer *layer)
{
  return layer->topo_index;
}

static void
heap_push (GPtrArray *heap,
           NsLayer   *layer,
           LayerKey   key)
{
  guint i = heap->len;

  g_ptr_array_add (heap, layer);
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      NsLayer *p = g_ptr_array_index (heap, parent);

      if (key (p) <= key (layer))
        break;
      heap->pdata[i] = p;
      i = parent;
    }
  heap->pdata[i] = layer;
}

static NsLayer *
heap_pop (GPtrArray *heap,
          LayerKey   key)
{
  NsLayer *top = g_ptr_array_index (heap, 0);
  NsLayer *last = g_ptr_array_steal_index (heap, heap->len - 1);
  guint i = 0;

  if (heap->len == 0)
    return top;
  for (;;)
    {
      guint child = 2 * i + 1;
      NsLayer *c;

      if (child >= heap->len)
        break;
      if (child + 1 < heap->len && key (heap->pdata[child + 1]) < key (heap->pdata[child]))
        child++;
      c = heap->pdata[child];
      if (key (c) >= key (last))
        break;
      heap->pdata[i] = c;
      i = child;
    }
  heap->pdata[i] = last;
  return top;
}

void
ns_graph_ensure_sorted (NsGraph *self)
{
  g_autofree guint *pending = NULL;
  g_autoptr(GPtrArray) heap = NULL;

  if (self->sorted_valid)
    return;

  pending = g_new0 (guint, self->layers->len);
  heap = g_ptr_array_sized_new (64);
  g_ptr_array_set_size (self->sorted, 0);

  for (guint i = 0; i < self->layers->len; i++)
    {
      NsLayer *layer = g_ptr_array_index (self->layers, i);

      for (guint port = 0; port < layer->inputs->len; port++)
        if (g_ptr_array_index (layer->inputs, port) != NULL)
          pending[i]++;
      if (pending[i] == 0)
        heap_push (heap, layer, list_key);
    }

  while (heap->len > 0)
    {
      NsLayer *layer = heap_pop (heap, list_key);

      layer->topo_index = self->sorted->len;
      g_ptr_array_add (self->sorted, layer);
      for (guint c = 0; c < layer->consumers->len; c++)
        {
          NsLayer *consumer = g_ptr_array_index (layer->consumers, c);
          if (--pending[consumer->list_index] == 0)
            heap_push (heap, consumer, list_key);
        }
    }
  /* Connections refuse cycles, so every layer was reached. */
  g_assert (self->sorted->len == self->layers->len);
  self->sorted_valid = TRUE;
}

GPtrArray *
ns_graph_get_sorted_layers (NsGraph *self)
{
  g_return_val_if_fail (NS_IS_GRAPH (self), NULL);

  ns_graph_ensure_sorted (self);
  return self->sorted;
}

/* ---- Inference ---------------------------------------------------------- */

static void
info_set_error (NsLayerInfo *info,
                NsLayerState state,
                char        *message)
{
  info->state = state;
  info->message = message;
}

/* Receptive field: widen the first spatial input's field by this layer's window. */
static void
propagate_receptive_field (NsLayer             *layer,
                           const NsInferResult *result,
                           NsLayerInfo         *info)
{
  gboolean have_input = FALSE;

  info->receptive_field[0] = info->receptive_field[1] = 1;
  info->effective_stride[0] = info->effective_stride[1] = 1;

  for (guint port = 0; port < layer->inputs->len; port++)
    {
      NsLayer *source = g_ptr_array_index (layer->inputs, port);

      if (source == NULL)
        continue;
      info->rf_global |= source->info.rf_global;
      for (guint axis = 0; axis < 2; axis++)
        {
          /* Merges see the widest of their inputs. */
          if (!have_input || source->info.receptive_field[axis] > info->receptive_field[axis])
            info->receptive_field[axis] = source->info.receptive_field[axis];
          if (!have_input || source->info.effective_stride[axis] > info->effective_stride[axis])
            info->effective_stride[axis] = source->info.effective_stride[axis];
        }
      have_input = TRUE;
    }

  info->rf_global |= result->rf_global;
  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 window = result->rf_window[axis] > 0 ? result->rf_window[axis] : 1;
      double step = result->rf_step[axis] > 0 ? result->rf_step[axis] : 1.0;

      info->receptive_field[axis] += (window - 1) * info->effective_stride[axis];
      info->effective_stride[axis] *= step;
    }
}

static void
infer_layer (NsLayer     *layer,
             NsLayerInfo *info)
{
  const NsLayerType *type = layer->type;
  const NsShape **shapes = g_newa (const NsShape *, layer->inputs->len + 1);
  g_autoptr(GError) error = NULL;
  NsInferResult result = { 0 };
  NsInferInput in;
  gint64 elements, bytes, flops;

  memset (info, 0, sizeof *info);
  ns_layer_get_infer_input (layer, shapes, &in);

  if (in.n_inputs < type->min_inputs)
    {
      info_set_error (info, NS_LAYER_ERROR,
                      type->min_inputs == 1
                        ? g_strdup (_("needs an input"))
                        : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "needs at least %u input, has %u",
                                                        "needs at least %u inputs, has %u",
                                                        type->min_inputs),
                                           type->min_inputs, in.n_inputs));
      return;
    }

  for (guint port = 0; port < layer->inputs->len; port++)
    {
      NsLayer *source = g_ptr_array_index (layer->inputs, port);

      if (source == NULL || source->info.state == NS_LAYER_OK)
        continue;
      /* Name the layer at the root of the trouble, not the nearest one waiting. */
      info_set_error (info, NS_LAYER_WAITING,
                      source->info.state == NS_LAYER_WAITING
                        ? g_strdup (source->info.message)
                        : g_strdup_printf (_("waiting on %s"), source->name));
      return;
    }

  if (!type->infer (&in, &result, &error))
    {
      info_set_error (info, NS_LAYER_ERROR, g_strdup (error->message));
      return;
    }

  /* Keras' bookkeeping: a frozen layer's weights are non-trainable; a shared
   * layer's later calls use the first call's weights, counted there. */
  if (layer->frozen)
    {
      result.non_trainable_params += result.trainable_params;
      result.trainable_params = 0;
    }
  if (layer->weights_of != NULL)
    result.trainable_params = result.non_trainable_params = 0;

  if (!ns_shape_elements (&result.output, &elements) ||
      !ns_checked_add (result.trainable_params, result.non_trainable_params, &info->params) ||
      !ns_checked_mul (result.macs, 2, &flops) ||
      !ns_checked_add (flops, result.extra_flops, &info->flops) ||
      (elements != NS_DIM_NONE && !ns_checked_mul (elements, sizeof (float), &bytes)))
    {
      info_set_error (info, NS_LAYER_ERROR,
                      g_strdup (_("sizes overflow 64-bit integers")));
      return;
    }

  info->state = NS_LAYER_OK;
  info->output = result.output;
  info->trainable_params = result.trainable_params;
  info->non_trainable_params = result.non_trainable_params;
  info->macs = result.macs;
  info->activation_bytes = elements == NS_DIM_NONE ? 0 : bytes;
  propagate_receptive_field (layer, &result, info);
}

/* Re-infers the seeds, and the consumers of every layer whose figures change,
 * in topological order: the work is proportional to what the edit reaches. */
void
ns_graph_run_inference (NsGraph *self)
{
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) queue = NULL;
  guint pass;

  if (self->freeze_count > 0 || self->seeds->len == 0)
    return;

  ns_graph_ensure_sorted (self);
  pass = ++self->pass;
  changed = g_ptr_array_new ();
  queue = g_ptr_array_sized_new (self->seeds->len);

  for (guint i = 0; i < self->seeds->len; i++)
    {
      NsLayer *seed = g_ptr_array_index (self->seeds, i);

      if (seed->queued_pass != pass)
        {
          seed->queued_pass = pass;
          heap_push (queue, seed, topo_key);
        }
    }
  g_ptr_array_set_size (self->seeds, 0);

  /* A consumer comes after all its inputs in the order, so by the time it is
   * popped every input that was going to change has. */
  while (queue->len > 0)
    {
      NsLayer *layer = heap_pop (queue, topo_key);
      NsLayerInfo info;

      infer_layer (layer, &info);
      if (!ns_layer_update_info (layer, &info))
        continue;
      g_ptr_array_add (changed, layer);
      for (guint c = 0; c < layer->consumers->len; c++)
        {
          NsLayer *consumer = g_ptr_array_index (layer->consumers, c);

          if (consumer->queued_pass != pass)
            {
              consumer->queued_pass = pass;
              heap_push (queue, consumer, topo_key);
            }
        }
    }

  for (guint i = 0; i < changed->len; i++)
    ns_layer_emit_inferred (g_ptr_array_index (changed, i));
  ns_graph_emit_inferred (self);
}
