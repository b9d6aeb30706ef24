/* ns-ops-pool.c: MaxPooling2D and AveragePooling2D (padding cells never
 * count: "same" averages divide by the cells inside the input, as
 * TensorFlow does), and the global poolings. Loops run over channels
 * innermost, so that they vectorise. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-exec-private.h"
#include "ns-ops.h"
#include "ns-size-rules.h"

typedef struct {
  gboolean max;
  gint64   kernel[2], stride[2], pad[2];   /* pad: before, per axis */
} Pool;

static gpointer
pool_prepare (NsForwardPrepare *prep,
              gboolean          max)
{
  const NsShape *input = prep->in->inputs[0];
  const NsValue *strides = ns_exec_value (prep->in, "strides");
  const NsValue *padding = ns_exec_value (prep->in, "padding");
  Pool *p = g_new0 (Pool, 1);

  p->max = max;
  for (guint axis = 0; axis < 2; axis++)
    {
      p->kernel[axis] = ns_exec_value (prep->in, "pool_size")->pair[axis];
      p->stride[axis] = strides->is_null ? p->kernel[axis] : strides->pair[axis];
      if (padding->padding.mode == NS_PADDING_SAME)
        p->pad[axis] = ns_same_padding_total (input->dims[axis], p->kernel[axis], p->stride[axis], 1) / 2;
      else if (padding->padding.mode == NS_PADDING_EXPLICIT)
        p->pad[axis] = padding->padding.explicit_hw[axis];
    }
  return p;
}

static gpointer
max_pool_prepare (NsForwardPrepare *prep,
                  GError          **error)
{
  return pool_prepare (prep, TRUE);
}

static gpointer
average_pool_prepare (NsForwardPrepare *prep,
                      GError          **error)
{
  return pool_prepare (prep, FALSE);
}

static void
pool_pixel (const Pool   *p,
            const NsView *in,
            gint64        n,
            gint64        oy,
            gint64        ox,
            float        *restrict y)
{
  gint64 h = in->dims[1], w = in->dims[2], c = in->dims[3];
  gint64 y0 = oy * p->stride[0] - p->pad[0], x0 = ox * p->stride[1] - p->pad[1];
  gint64 y_lo = MAX (y0, 0), y_hi = MIN (y0 + p->kernel[0], h);
  gint64 x_lo = MAX (x0, 0), x_hi = MIN (x0 + p->kernel[1], w);
  gint64 count = (y_hi - y_lo) * (x_hi - x_lo);

  for (gint64 i = 0; i < c; i++)
    y[i] = p->max ? -INFINITY : 0.0f;
  for (gint64 iy = y_lo; iy < y_hi; iy++)
    for (gint64 ix = x_lo; ix < x_hi; ix++)
      {
        const float *restrict x = in->data + ((n * h + iy) * w + ix) * in->ld;

        if (p->max)
          for (gint64 i = 0; i < c; i++)
            y[i] = MAX (y[i], x[i]);
        else
          for (gint64 i = 0; i < c; i++)
            y[i] += x[i];
      }
  if (!p->max && count > 0)
    for (gint64 i = 0; i < c; i++)
      y[i] /= (float) count;
}

static void
pool_run (gconstpointer       data,
          const NsForwardRun *run)
{
  const Pool *p = data;
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 batch = out->dims[0], oh = out->dims[1], ow = out->dims[2];

#pragma omp parallel for schedule(static) if (ns_view_rows (out) * ns_view_cols (out) >= NS_PARALLEL_MIN_VALUES)
  for (gint64 row = 0; row < batch * oh; row++)
    for (gint64 ox = 0; ox < ow; ox++)
      pool_pixel (p, in, row / oh, row % oh, ox, out->data + (row * ow + ox) * out->ld);
}

const NsForwardOp ns_op_max_pooling_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = max_pool_prepare,
  .run = pool_run,
};

const NsForwardOp ns_op_average_pooling_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = average_pool_prepare,
  .run = pool_run,
};

/* ---- Global pooling ----------------------------------------------------------- */

static gpointer
global_max_prepare (NsForwardPrepare *prep,
                    GError          **error)
{
  return g_memdup2 (&(gboolean) { TRUE }, sizeof (gboolean));
}

static gpointer
global_average_prepare (NsForwardPrepare *prep,
                        GError          **error)
{
  return g_memdup2 (&(gboolean) { FALSE }, sizeof (gboolean));
}

/* The output (batch, C) or (batch, 1, 1, C) is one row per sample either way. */
static void
global_pool_run (gconstpointer       data,
                 const NsForwardRun *run)
{
  gboolean max = *(const gboolean *) data;
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 batch = in->dims[0], pixels = in->dims[1] * in->dims[2], c = in->dims[3];

#pragma omp parallel for schedule(static) if (batch > 1 && batch * pixels * c >= NS_PARALLEL_MIN_VALUES)
  for (gint64 n = 0; n < batch; n++)
    {
      float *restrict y = out->data + n * out->ld;

      for (gint64 i = 0; i < c; i++)
        y[i] = max ? -INFINITY : 0.0f;
      for (gint64 p = 0; p < pixels; p++)
        {
          const float *restrict x = in->data + (n * pixels + p) * in->ld;

          if (max)
            for (gint64 i = 0; i < c; i++)
              y[i] = MAX (y[i], x[i]);
          else
            for (gint64 i = 0; i < c; i++)
              y[i] += x[i];
        }
      if (!max)
        for (gint64 i = 0; i < c; i++)
          y[i] /= (float) pixels;
    }
}

const NsForwardOp ns_op_global_max_pooling_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = global_max_prepare,
  .run = global_pool_run,
};

const NsForwardOp ns_op_global_average_pooling_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = global_average_prepare,
  .run = global_pool_run,
};
