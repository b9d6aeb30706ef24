/* ns-ops-conv.c: Conv2D, Conv2DTranspose and Dense (the depthwise kinds
 * are in ns-ops-depthwise.c). Convolutions are GEMMs over im2col rows,
 * built a chunk of output pixels at a time in each thread's share of the
 * scratch buffer (so they stay in the cache), with the bias and activation
 * applied to the chunk while it is hot. A 1×1 stride-1 convolution
 * multiplies the NHWC input as it is; a 3×3 stride-1 one goes through
 * Winograd (ns-ops-winograd.c). A transposed convolution is split into one
 * ordinary convolution per output phase (stride² of them): no col2im. */
#include "config.h"

#include <string.h>

#include "ns-ops.h"
#include "ns-ops-conv-private.h"
#include "ns-ops-winograd.h"
#include "ns-size-rules.h"

/* About 1 MiB of im2col rows per thread. */
#define COLUMN_FLOATS_PER_THREAD 262144

void
ns_conv_free (gpointer data)
{
  Conv *conv = data;

  for (guint i = 0; i < conv->n_passes; i++)
    {
      g_free (conv->passes[i].offsets[0]);
      g_free (conv->passes[i].offsets[1]);
      g_free (conv->passes[i].owned_b);
    }
  g_free (conv->passes);
  g_free (conv->depthwise);
  ns_winograd_free (conv->winograd);
  g_free (conv);
}

static gint64
pass_k (const Conv *conv,
        const Pass *pass)
{
  return pass->n_taps[0] * pass->n_taps[1] * (conv->cin / conv->groups);
}

static gint64
chunk_for (gint64 k)
{
  return CLAMP (COLUMN_FLOATS_PER_THREAD / MAX (k, 1), 32, 1024) / 16 * 16;
}

/* Fills the rows of im2col for cells [cell, cell + rows) of @pass, group @g. */
static void
im2col (const Conv   *conv,
        const Pass   *pass,
        const NsView *in,
        gint64        g,
        gint64        cell,
        gint64        rows,
        float        *col)
{
  gint64 h = in->dims[1], w = in->dims[2], cg = conv->cin / conv->groups;
  gint64 k = pass_k (conv, pass), cells = pass->grid[0] * pass->grid[1], nx = pass->n_taps[1];
  /* Taps next to each other along a row of a contiguous input read one
   * run of pixels: one copy instead of one per tap (3 floats each for an RGB input). */
  gboolean runs = conv->groups == 1 && in->ld == cg && nx > 1;

  for (guint q = 1; runs && q < nx; q++)
    runs = pass->offsets[1][q] == pass->offsets[1][0] + q;
  for (gint64 r = 0; r < rows; r++)
    {
      gint64 index = cell + r, n = index / cells, t = index % cells / pass->grid[1], u = index % pass->grid[1];
      gint64 x0 = u * pass->step[1] + pass->offsets[1][0];
      float *dst = col + r * k;

      for (gint64 j = 0; j < pass->n_taps[0]; j++)
        {
          gint64 iy = t * pass->step[0] + pass->offsets[0][j];
          const float *src_row;

          if (iy < 0 || iy >= h)
            {
              memset (dst, 0, nx * cg * sizeof (float));
              dst += nx * cg;
              continue;
            }
          src_row = in->data + (n * h + iy) * w * in->ld + g * cg;
          if (runs && x0 >= 0 && x0 + nx <= w)
            {
              memcpy (dst, src_row + x0 * cg, nx * cg * sizeof (float));
              dst += nx * cg;
              continue;
            }
          for (gint64 q = 0; q < nx; q++, dst += cg)
            {
              gint64 ix = u * pass->step[1] + pass->offsets[1][q];

              if (ix < 0 || ix >= w)
                memset (dst, 0, cg * sizeof (float));
              else
                memcpy (dst, src_row + ix * in->ld, cg * sizeof (float));
            }
        }
    }
}

static void
conv_pass_run (const Conv         *conv,
               const Pass         *pass,
               const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 cells = out->dims[0] * pass->grid[0] * pass->grid[1];
  gint64 n_chunks = (cells + conv->chunk - 1) / conv->chunk;
  gint64 cg = conv->cin / conv->groups, fg = conv->cout / conv->groups, k = pass_k (conv, pass);

#pragma omp parallel for schedule(dynamic) if (n_chunks > 1)
  for (gint64 i = 0; i < n_chunks; i++)
    {
      float *scratch = run->scratch + ns_exec_thread_index () * conv->per_thread;
      float *col = scratch, *tmp = scratch + (conv->pointwise ? 0 : conv->chunk * k);
      gint64 cell = i * conv->chunk, rows = MIN (conv->chunk, cells - cell);
      float *c_rows = conv->direct ? out->data + cell * out->ld : tmp;
      gint64 ldc = conv->direct ? out->ld : conv->cout;

      if (conv->depthwise != NULL)
        {
          /* Separable: the depthwise rows are the GEMM's A. */
          ns_depthwise_rows (conv->depthwise, in, cell, rows, col, conv->cin, FALSE);
          ns_sgemm (rows, conv->cout, conv->cin, col, conv->cin, pass->b, conv->cout, c_rows, ldc);
        }
      else
        for (gint64 g = 0; g < conv->groups; g++)
          {
            const float *a = col;
            gint64 lda = k;

            if (conv->pointwise)
              a = in->data + cell * in->ld + g * cg, lda = in->ld;
            else
              im2col (conv, pass, in, g, cell, rows, col);
            ns_sgemm (rows, fg, k, a, lda, pass->b + g * fg, conv->cout, c_rows + g * fg, ldc);
          }
      ns_bias_act_apply (conv->bias, conv->act, c_rows, rows, conv->cout, ldc);
      if (!conv->direct)
        {
          gint64 per_sample = pass->grid[0] * pass->grid[1];

          for (gint64 r = 0; r < rows; r++)
            {
              gint64 index = cell + r, n = index / per_sample;
              gint64 t = index % per_sample / pass->grid[1], u = index % pass->grid[1];
              gint64 oy = pass->origin[0] + t * pass->spacing[0], ox = pass->origin[1] + u * pass->spacing[1];

              memcpy (out->data + ((n * out->dims[1] + oy) * out->dims[2] + ox) * out->ld,
                      tmp + r * conv->cout, conv->cout * sizeof (float));
            }
        }
    }
}

void
ns_conv_run (gconstpointer       data,
             const NsForwardRun *run)
{
  const Conv *conv = data;

  if (conv->winograd != NULL)
    {
      ns_winograd_run (conv->winograd, &run->inputs[0], run->output, conv->bias, conv->act, run->scratch,
                       conv->per_thread);
      return;
    }
  for (guint i = 0; i < conv->n_passes; i++)
    conv_pass_run (conv, &conv->passes[i], run);
}

void
ns_conv_size (Conv *conv)
{
  const Pass *pass = &conv->passes[0];
  gint64 k = 0;

  conv->use_winograd = conv->direct && conv->n_passes == 1 && conv->groups == 1 && conv->depthwise == NULL &&
                       pass->n_taps[0] == 3 && pass->n_taps[1] == 3 && pass->step[0] == 1 && pass->step[1] == 1 &&
                       ns_winograd_applies (conv->cin, conv->cout, pass->offsets[0], pass->offsets[1]);
  if (conv->use_winograd)
    {
      conv->per_thread = ns_winograd_scratch (conv->cin, conv->cout);
      return;
    }

  for (guint i = 0; i < conv->n_passes; i++)
    k = MAX (k, pass_k (conv, &conv->passes[i]));
  if (conv->depthwise != NULL)
    k = conv->cin;
  conv->chunk = chunk_for (k);
  conv->per_thread = (conv->pointwise ? 0 : conv->chunk * k) + (conv->direct ? 0 : conv->chunk * conv->cout);
}

gboolean
ns_conv_check_gemm_size (const NsForwardPrepare *prep,
                         gint64                  k,
                         gint64                  n,
                         GError                **error)
{
  if (k <= G_MAXINT / 2 && n <= G_MAXINT / 2)
    return TRUE;
  g_set_error (error, NS_ERROR, NS_ERROR_TOO_LARGE,
               _("layer %s: a product of %" PRId64 " by %" PRId64 " values is past what BLAS takes"),
               prep->layer_name, k, n);
  return FALSE;
}

/* ---- Conv2D ----------------------------------------------------------------- */

gint64
ns_conv_padding_before (const NsValue *padding,
                        guint          axis,
                        gint64         input,
                        gint64         kernel,
                        gint64         stride,
                        gint64         dilation)
{
  if (padding->padding.mode == NS_PADDING_SAME)
    return ns_same_padding_total (input, kernel, stride, dilation) / 2;
  if (padding->padding.mode == NS_PADDING_EXPLICIT)
    return padding->padding.explicit_hw[axis];
  return 0;
}

/* The single pass of a forward convolution over @prep's input. */
static void
forward_pass (const NsForwardPrepare *prep,
              Pass                   *pass)
{
  const NsShape *input = prep->in->inputs[0];
  const NsValue *padding = ns_exec_value (prep->in, "padding");
  const gint64 *kernel = ns_exec_value (prep->in, "kernel_size")->pair;
  const gint64 *strides = ns_exec_value (prep->in, "strides")->pair;
  const gint64 *dilation = ns_exec_value (prep->in, "dilation_rate")->pair;

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 pad = ns_conv_padding_before (padding, axis, input->dims[axis], kernel[axis], strides[axis],
                                           dilation[axis]);

      pass->grid[axis] = prep->output->dims[axis];
      pass->step[axis] = strides[axis];
      pass->n_taps[axis] = kernel[axis];
      pass->offsets[axis] = g_new (gint64, kernel[axis]);
      for (gint64 j = 0; j < kernel[axis]; j++)
        pass->offsets[axis][j] = j * dilation[axis] - pad;
      pass->spacing[axis] = 1;
    }
}

static gboolean
is_pointwise (const Pass *pass)
{
  return pass->n_taps[0] == 1 && pass->n_taps[1] == 1 && pass->step[0] == 1 && pass->step[1] == 1 &&
         pass->offsets[0][0] == 0 && pass->offsets[1][0] == 0;
}

static Conv *
conv2d_new (NsForwardPrepare *prep)
{
  Conv *conv = g_new0 (Conv, 1);

  conv->cin = prep->in->inputs[0]->dims[2];
  conv->cout = prep->output->dims[2];
  conv->groups = ns_exec_value (prep->in, "groups")->integer;
  conv->act = ns_act_from_config (prep->in);
  conv->n_passes = 1;
  conv->passes = g_new0 (Pass, 1);
  forward_pass (prep, &conv->passes[0]);
  conv->direct = TRUE;
  conv->pointwise = is_pointwise (&conv->passes[0]);
  ns_conv_size (conv);
  return conv;
}

static void
conv2d_measure (NsForwardPrepare *prep)
{
  Conv *conv = conv2d_new (prep);

  prep->scratch_floats = conv->per_thread * ns_exec_n_threads ();
  prep->derived_floats = conv->use_winograd ? 16 * conv->cin * conv->cout : 0;
  ns_conv_free (conv);
}

/* Rearranges the pass' kernel for Winograd when the convolution qualifies. */
static void
conv_prepare_winograd (Conv *conv)
{
  Pass *pass = &conv->passes[0];

  if (!conv->use_winograd)
    return;
  conv->winograd = ns_winograd_new (pass->b, conv->cin, conv->cout, pass->offsets[0], pass->offsets[1]);
  g_clear_pointer (&pass->owned_b, g_free);
  pass->b = NULL;
}

static gpointer
conv2d_prepare (NsForwardPrepare *prep,
                GError          **error)
{
  Conv *conv = conv2d_new (prep);

  if (!ns_conv_check_gemm_size (prep, pass_k (conv, &conv->passes[0]), conv->cout, error))
    {
      ns_conv_free (conv);
      return NULL;
    }
  /* Keras' kernel (Fh, Fw, C/groups, K) already is B: rows (j, k, c). */
  conv->passes[0].b = prep->weights[0];
  conv->bias = prep->n_weights > 1 ? prep->weights[1] : NULL;
  conv_prepare_winograd (conv);
  prep->scratch_floats = conv->per_thread * ns_exec_n_threads ();
  return conv;
}

const NsForwardOp ns_op_conv2d = {
  .flags = NS_FORWARD_STRIDED,
  .measure = conv2d_measure,
  .prepare = conv2d_prepare,
  .run = ns_conv_run,
  .free = ns_conv_free,
};

/* ---- Conv2DTranspose --------------------------------------------------------- */

static gint64
floor_mod (gint64 a,
           gint64 b)
{
  gint64 r = a % b;

  return r < 0 ? r + b : r;
}

/* Output position o = i·S + k·D − P gathers input i through tap k: for the
 * outputs of phase p = o mod S, that is i = t + (p + P − k·D) / S over the
 * taps where the division is exact. @kernel NULL: sizes only. */
static Conv *
conv2d_transpose_new (NsForwardPrepare *prep,
                      const float      *kernel)
{
  const NsShape *input = prep->in->inputs[0];
  const NsValue *padding = ns_exec_value (prep->in, "padding");
  const gint64 *size = ns_exec_value (prep->in, "kernel_size")->pair;
  const gint64 *s = ns_exec_value (prep->in, "strides")->pair;
  const gint64 *d = ns_exec_value (prep->in, "dilation_rate")->pair;
  Conv *conv = g_new0 (Conv, 1);
  gint64 pad[2];

  conv->cin = input->dims[2];
  conv->cout = prep->output->dims[2];
  conv->groups = 1;
  conv->act = ns_act_from_config (prep->in);
  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 span = d[axis] * (size[axis] - 1) + 1;

      if (padding->padding.mode == NS_PADDING_SAME)
        pad[axis] = MAX ((input->dims[axis] - 1) * s[axis] + span - prep->output->dims[axis], 0) / 2;
      else if (padding->padding.mode == NS_PADDING_EXPLICIT)
        pad[axis] = padding->padding.explicit_hw[axis];
      else
        pad[axis] = 0;
    }

  conv->passes = g_new0 (Pass, s[0] * s[1]);
  for (gint64 py = 0; py < s[0]; py++)
    for (gint64 px = 0; px < s[1]; px++)
      {
        Pass *pass = &conv->passes[conv->n_passes];
        gint64 phase[2] = { py, px };
        g_autofree gint64 *taps_y = g_new (gint64, size[0]);
        g_autofree gint64 *taps_x = g_new (gint64, size[1]);
        gint64 *taps[2] = { taps_y, taps_x };

        for (guint axis = 0; axis < 2; axis++)
          {
            gint64 out = prep->output->dims[axis];

            pass->grid[axis] = out > phase[axis] ? (out - phase[axis] + s[axis] - 1) / s[axis] : 0;
            pass->step[axis] = 1;
            pass->origin[axis] = phase[axis];
            pass->spacing[axis] = s[axis];
            pass->offsets[axis] = g_new (gint64, size[axis]);
            for (gint64 k = 0; k < size[axis]; k++)
              {
                gint64 shift = phase[axis] + pad[axis] - k * d[axis];

                if (floor_mod (shift, s[axis]) != 0)
                  continue;
                taps[axis][pass->n_taps[axis]] = k;
                pass->offsets[axis][pass->n_taps[axis]++] = shift / s[axis];
              }
          }
        if (pass->grid[0] == 0 || pass->grid[1] == 0)
          {
            g_free (pass->offsets[0]);
            g_free (pass->offsets[1]);
            memset (pass, 0, sizeof *pass);
            continue;
          }
        if (kernel != NULL)
          {
            /* B rows (j, q, c) from Keras' (Fh, Fw, filters, C) kernel. */
            gint64 rows = pass->n_taps[0] * pass->n_taps[1] * conv->cin;

            pass->owned_b = g_new (float, MAX (rows * conv->cout, 1));
            for (gint64 j = 0; j < pass->n_taps[0]; j++)
              for (gint64 q = 0; q < pass->n_taps[1]; q++)
                for (gint64 c = 0; c < conv->cin; c++)
                  for (gint64 f = 0; f < conv->cout; f++)
                    pass->owned_b[((j * pass->n_taps[1] + q) * conv->cin + c) * conv->cout + f] =
                      kernel[((taps[0][j] * size[1] + taps[1][q]) * conv->cout + f) * conv->cin + c];
            pass->b = pass->owned_b;
          }
        conv->n_passes++;
      }
  conv->direct = s[0] == 1 && s[1] == 1;
  conv->pointwise = conv->direct && is_pointwise (&conv->passes[0]);
  ns_conv_size (conv);
  return conv;
}

static void
conv2d_transpose_measure (NsForwardPrepare *prep)
{
  Conv *conv = conv2d_transpose_new (prep, NULL);
  const gint64 *size = ns_exec_value (prep->in, "kernel_size")->pair;

  prep->scratch_floats = conv->per_thread * ns_exec_n_threads ();
  prep->derived_floats = (conv->use_winograd ? 16 : size[0] * size[1]) * conv->cin * conv->cout;
  ns_conv_free (conv);
}

static gpointer
conv2d_transpose_prepare (NsForwardPrepare *prep,
                          GError          **error)
{
  const gint64 *size = ns_exec_value (prep->in, "kernel_size")->pair;
  Conv *conv;

  if (!ns_conv_check_gemm_size (prep, size[0] * size[1] * prep->in->inputs[0]->dims[2],
                                prep->output->dims[2], error))
    return NULL;
  conv = conv2d_transpose_new (prep, prep->weights[0]);
  conv->bias = prep->n_weights > 1 ? prep->weights[1] : NULL;
  conv_prepare_winograd (conv);
  prep->scratch_floats = conv->per_thread * ns_exec_n_threads ();
  return conv;
}

const NsForwardOp ns_op_conv2d_transpose = {
  .flags = NS_FORWARD_STRIDED,
  .measure = conv2d_transpose_measure,
  .prepare = conv2d_transpose_prepare,
  .run = ns_conv_run,
  .free = ns_conv_free,
};

/* ---- Dense ----------------------------------------------------------------------- */

typedef struct {
  const float *kernel;
  const float *bias;
  NsAct        act;
} Dense;

static void
dense_measure (NsForwardPrepare *prep)
{
  prep->scratch_floats = NS_DENSE_SCRATCH (prep->output->dims[prep->output->rank - 1]);
}

static gpointer
dense_prepare (NsForwardPrepare *prep,
               GError          **error)
{
  const NsShape *input = prep->in->inputs[0];
  Dense *dense;

  if (!ns_conv_check_gemm_size (prep, input->dims[input->rank - 1],
                                prep->output->dims[prep->output->rank - 1], error))
    return NULL;
  dense = g_new0 (Dense, 1);
  dense->kernel = prep->weights[0];
  dense->bias = prep->n_weights > 1 ? prep->weights[1] : NULL;
  dense->act = ns_act_from_config (prep->in);
  dense_measure (prep);
  return dense;
}

/* Keras applies Dense to the last axis: every other axis is a row of the GEMM. */
static void
dense_run (gconstpointer       data,
           const NsForwardRun *run)
{
  const Dense *dense = data;
  const NsView *in = &run->inputs[0], *out = run->output;

  ns_dense_forward (ns_view_rows (out), ns_view_cols (out), ns_view_cols (in), in->data, in->ld,
                    dense->kernel, dense->bias, dense->act, out->data, out->ld, run->scratch);
}

const NsForwardOp ns_op_dense = {
  .flags = NS_FORWARD_STRIDED,
  .measure = dense_measure,
  .prepare = dense_prepare,
  .run = dense_run,
};
