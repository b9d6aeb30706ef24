/* ns-ops-depthwise.c: DepthwiseConv2D (each channel filtered on its own,
 * the channel loop innermost so that it vectorises) and SeparableConv2D
 * (depthwise rows for a chunk of pixels, then the pointwise GEMM). */
#include "config.h"

#include <string.h>

#include "ns-ops.h"
#include "ns-ops-conv-private.h"

static void
depthwise_init (NsDepthwise            *dw,
                const NsForwardPrepare *prep)
{
  const NsShape *input = prep->in->inputs[0];
  const NsValue *padding = ns_exec_value (prep->in, "padding");

  dw->cin = input->dims[2];
  dw->m = ns_exec_value (prep->in, "depth_multiplier")->integer;
  for (guint axis = 0; axis < 2; axis++)
    {
      dw->kernel[axis] = ns_exec_value (prep->in, "kernel_size")->pair[axis];
      dw->stride[axis] = ns_exec_value (prep->in, "strides")->pair[axis];
      dw->dilation[axis] = ns_exec_value (prep->in, "dilation_rate")->pair[axis];
      dw->pad[axis] = ns_conv_padding_before (padding, axis, input->dims[axis], dw->kernel[axis],
                                              dw->stride[axis], dw->dilation[axis]);
      dw->out_hw[axis] = prep->output->dims[axis];
    }
}

NS_VECTOR_CLONES void
ns_depthwise_rows (const NsDepthwise *dw,
                   const NsView      *in,
                   gint64             pixel,
                   gint64             rows,
                   float             *out,
                   gint64             ld,
                   gboolean           epilogue)
{
  gint64 h = in->dims[1], w = in->dims[2], c = dw->cin, m = dw->m, mid = c * m;
  gint64 per_sample = dw->out_hw[0] * dw->out_hw[1];

  for (gint64 r = 0; r < rows; r++)
    {
      gint64 p = pixel + r, n = p / per_sample, oy = p % per_sample / dw->out_hw[1], ox = p % dw->out_hw[1];
      float *restrict y = out + r * ld;

      memset (y, 0, mid * sizeof (float));
      for (gint64 ky = 0; ky < dw->kernel[0]; ky++)
        {
          gint64 iy = oy * dw->stride[0] + ky * dw->dilation[0] - dw->pad[0];

          if (iy < 0 || iy >= h)
            continue;
          for (gint64 kx = 0; kx < dw->kernel[1]; kx++)
            {
              gint64 ix = ox * dw->stride[1] + kx * dw->dilation[1] - dw->pad[1];
              const float *restrict x, *restrict k;

              if (ix < 0 || ix >= w)
                continue;
              x = in->data + ((n * h + iy) * w + ix) * in->ld;
              k = dw->w + (ky * dw->kernel[1] + kx) * mid;
              if (m == 1)
                for (gint64 i = 0; i < c; i++)
                  y[i] += x[i] * k[i];
              else
                for (gint64 i = 0; i < c; i++)
                  for (gint64 j = 0; j < m; j++)
                    y[i * m + j] += x[i] * k[i * m + j];
            }
        }
      if (epilogue)
        ns_bias_act_apply (dw->bias, dw->act, y, 1, mid, ld);
    }
}

static gpointer
depthwise_prepare (NsForwardPrepare *prep,
                   GError          **error)
{
  NsDepthwise *dw = g_new0 (NsDepthwise, 1);

  depthwise_init (dw, prep);
  dw->w = prep->weights[0];
  dw->bias = prep->n_weights > 1 ? prep->weights[1] : NULL;
  dw->act = ns_act_from_config (prep->in);
  return dw;
}

static void
depthwise_run (gconstpointer       data,
               const NsForwardRun *run)
{
  const NsDepthwise *dw = data;
  const NsView *out = run->output;
  gint64 pixels = out->dims[0] * out->dims[1] * out->dims[2];
  gint64 chunk = 64, n_chunks = (pixels + chunk - 1) / chunk;

#pragma omp parallel for schedule(static) if (pixels * dw->cin * dw->m >= NS_PARALLEL_MIN_VALUES)
  for (gint64 i = 0; i < n_chunks; i++)
    ns_depthwise_rows (dw, &run->inputs[0], i * chunk, MIN (chunk, pixels - i * chunk),
                       out->data + i * chunk * out->ld, out->ld, TRUE);
}

const NsForwardOp ns_op_depthwise_conv2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = depthwise_prepare,
  .run = depthwise_run,
};

/* Depthwise rows for a chunk of pixels, then the 1×1 pointwise GEMM. */
static Conv *
separable_new (NsForwardPrepare *prep)
{
  Conv *conv = g_new0 (Conv, 1);

  conv->depthwise = g_new0 (NsDepthwise, 1);
  depthwise_init (conv->depthwise, prep);
  conv->cin = conv->depthwise->cin * conv->depthwise->m;
  conv->cout = prep->output->dims[2];
  conv->groups = 1;
  conv->act = ns_act_from_config (prep->in);
  conv->n_passes = 1;
  conv->passes = g_new0 (Pass, 1);
  conv->passes[0].grid[0] = prep->output->dims[0];
  conv->passes[0].grid[1] = prep->output->dims[1];
  conv->direct = TRUE;
  ns_conv_size (conv);
  return conv;
}

static void
separable_measure (NsForwardPrepare *prep)
{
  Conv *conv = separable_new (prep);

  prep->scratch_floats = conv->per_thread * ns_exec_n_threads ();
  ns_conv_free (conv);
}

static gpointer
separable_prepare (NsForwardPrepare *prep,
                   GError          **error)
{
  Conv *conv = separable_new (prep);

  if (!ns_conv_check_gemm_size (prep, conv->cin, conv->cout, error))
    {
      ns_conv_free (conv);
      return NULL;
    }
  conv->depthwise->w = prep->weights[0];
  conv->passes[0].b = prep->weights[1];
  conv->bias = prep->n_weights > 2 ? prep->weights[2] : NULL;
  prep->scratch_floats = conv->per_thread * ns_exec_n_threads ();
  return conv;
}

const NsForwardOp ns_op_separable_conv2d = {
  .flags = NS_FORWARD_STRIDED,
  .measure = separable_measure,
  .prepare = separable_prepare,
  .run = ns_conv_run,
  .free = ns_conv_free,
};

