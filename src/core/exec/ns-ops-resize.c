/* ns-ops-resize.c: layers that move values without arithmetic, or nearly:
 * the inference-time identities, Reshape and Flatten (views of their input
 * when it is contiguous), UpSampling2D as TensorFlow.js resizes, ZeroPadding2D,
 * Cropping2D, Permute and RepeatVector. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-exec-private.h"
#include "ns-ops.h"

/* ---- Identity, Reshape, Flatten ------------------------------------------ */

/* Only when the planner cannot share the buffer: copies the values in order. */
static void
copy_run (gconstpointer       data,
          const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 rows = ns_view_rows (in), cols = ns_view_cols (in);

  if (ns_view_is_contiguous (out))
    {
      for (gint64 r = 0; r < rows; r++)
        memcpy (out->data + r * cols, in->data + r * in->ld, cols * sizeof (float));
      return;
    }
  /* Same shape, strided output (an identity writing into a slice). */
  for (gint64 r = 0; r < rows; r++)
    memcpy (out->data + r * out->ld, in->data + r * in->ld, cols * sizeof (float));
}

/* Dropout, SpatialDropout2D and GaussianNoise pass values through at inference. */
const NsForwardOp ns_op_identity = {
  .flags = NS_FORWARD_VIEW | NS_FORWARD_STRIDED,
  .run = copy_run,
};

/* NHWC is row-major, as Keras flattens and reshapes: the same values in the
 * same order. The output is contiguous, so a strided input is copied. */
const NsForwardOp ns_op_reshape = {
  .flags = NS_FORWARD_VIEW,
  .run = copy_run,
};

/* ---- UpSampling2D ------------------------------------------------------------ */

typedef struct {
  gboolean bilinear;
  /* Per output row and column: source rows/columns and the blend weight. */
  gint64  *y0, *y1, *x0, *x1;
  float   *fy, *fx;
} Upsampling;

/* TensorFlow.js' resizeNearestNeighbor and resizeBilinear as UpSampling2D
 * calls them (alignCorners and halfPixelCenters false): the source position
 * is out · in / out_size, worked out in double precision as JavaScript does.
 * (Python Keras' bilinear uses half-pixel centres and differs.) */
static void
upsampling_axis (gboolean bilinear,
                 gint64   in_size,
                 gint64   out_size,
                 gint64  *lo,
                 gint64  *hi,
                 float   *frac)
{
  double ratio = (double) in_size / (double) out_size;

  for (gint64 o = 0; o < out_size; o++)
    {
      double source = ratio * (double) o;

      if (!bilinear)
        {
          lo[o] = hi[o] = MIN (in_size - 1, (gint64) floor (source));
          frac[o] = 0.0f;
          continue;
        }
      lo[o] = MAX (0, (gint64) floor (source));
      hi[o] = MIN (in_size - 1, (gint64) ceil (source));
      frac[o] = (float) (source - (double) lo[o]);
    }
}

static gpointer
upsampling_prepare (NsForwardPrepare *prep,
                    GError          **error)
{
  const NsShape *input = prep->in->inputs[0];
  Upsampling *u = g_new0 (Upsampling, 1);
  gint64 oh = prep->output->dims[0], ow = prep->output->dims[1];

  u->bilinear = g_str_equal (ns_exec_choice (prep->in, "interpolation"), "bilinear");
  u->y0 = g_new (gint64, oh);
  u->y1 = g_new (gint64, oh);
  u->fy = g_new (float, oh);
  u->x0 = g_new (gint64, ow);
  u->x1 = g_new (gint64, ow);
  u->fx = g_new (float, ow);
  upsampling_axis (u->bilinear, input->dims[0], oh, u->y0, u->y1, u->fy);
  upsampling_axis (u->bilinear, input->dims[1], ow, u->x0, u->x1, u->fx);
  return u;
}

static void
upsampling_free (gpointer data)
{
  Upsampling *u = data;

  g_free (u->y0);
  g_free (u->y1);
  g_free (u->fy);
  g_free (u->x0);
  g_free (u->x1);
  g_free (u->fx);
  g_free (u);
}

static void
upsampling_run (gconstpointer       data,
                const NsForwardRun *run)
{
  const Upsampling *u = data;
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 h = in->dims[1], w = in->dims[2], c = in->dims[3];
  gint64 oh = out->dims[1], ow = out->dims[2];

#pragma omp parallel for schedule(static) if (ns_view_rows (out) * c >= NS_PARALLEL_MIN_VALUES)
  for (gint64 row = 0; row < out->dims[0] * oh; row++)
    {
      gint64 n = row / oh, oy = row % oh;
      const float *top = in->data + (n * h + u->y0[oy]) * w * in->ld;
      const float *bottom = in->data + (n * h + u->y1[oy]) * w * in->ld;
      double fy = u->fy[oy];

      for (gint64 ox = 0; ox < ow; ox++)
        {
          float *restrict y = out->data + (row * ow + ox) * out->ld;
          const float *tl = top + u->x0[ox] * in->ld, *tr = top + u->x1[ox] * in->ld;
          const float *bl = bottom + u->x0[ox] * in->ld, *br = bottom + u->x1[ox] * in->ld;
          double fx = u->fx[ox];

          if (!u->bilinear)
            {
              memcpy (y, tl, c * sizeof (float));
              continue;
            }
          for (gint64 i = 0; i < c; i++)
            {
              double t = tl[i] + (tr[i] - (double) tl[i]) * fx;
              double b = bl[i] + (br[i] - (double) bl[i]) * fx;

              y[i] = (float) (t + (b - t) * fy);
            }
        }
    }
}

const NsForwardOp ns_op_upsampling_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = upsampling_prepare,
  .run = upsampling_run,
  .free = upsampling_free,
};

/* ---- ZeroPadding2D, Cropping2D --------------------------------------------- */

static gpointer
margins_prepare (NsForwardPrepare *prep,
                 GError          **error)
{
  return g_memdup2 (ns_exec_value (prep->in, "padding")->margins, 4 * sizeof (gint64));
}

static gpointer
cropping_prepare (NsForwardPrepare *prep,
                  GError          **error)
{
  return g_memdup2 (ns_exec_value (prep->in, "cropping")->margins, 4 * sizeof (gint64));
}

/* Output pixel (y, x) reads input (y − top, x − left) for padding and
 * (y + top, x + left) for cropping; outside the input it is zero. */
static void
margins_run (const gint64        shift[2],
             const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 h = in->dims[1], w = in->dims[2], c = in->dims[3];
  gint64 oh = out->dims[1], ow = out->dims[2];

#pragma omp parallel for schedule(static) if (ns_view_rows (out) * c >= NS_PARALLEL_MIN_VALUES)
  for (gint64 row = 0; row < out->dims[0] * oh; row++)
    {
      gint64 n = row / oh, iy = row % oh - shift[0];

      for (gint64 ox = 0; ox < ow; ox++)
        {
          float *y = out->data + (row * ow + ox) * out->ld;
          gint64 ix = ox - shift[1];

          if (iy < 0 || iy >= h || ix < 0 || ix >= w)
            memset (y, 0, c * sizeof (float));
          else
            memcpy (y, in->data + ((n * h + iy) * w + ix) * in->ld, c * sizeof (float));
        }
    }
}

static void
zero_padding_run (gconstpointer       data,
                  const NsForwardRun *run)
{
  const gint64 *margins = data;

  margins_run ((gint64[2]) { margins[0], margins[2] }, run);
}

static void
cropping_run (gconstpointer       data,
              const NsForwardRun *run)
{
  const gint64 *margins = data;

  margins_run ((gint64[2]) { -margins[0], -margins[2] }, run);
}

const NsForwardOp ns_op_zero_padding_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = margins_prepare,
  .run = zero_padding_run,
};

const NsForwardOp ns_op_cropping_2d = {
  .flags = NS_FORWARD_STRIDED,
  .prepare = cropping_prepare,
  .run = cropping_run,
};

/* ---- Permute ------------------------------------------------------------------- */

static gpointer
permute_prepare (NsForwardPrepare *prep,
                 GError          **error)
{
  const NsValue *dims = ns_exec_value (prep->in, "dims");

  return g_memdup2 (dims->ints.items, dims->ints.len * sizeof (gint64));
}

/* Walks the output in order with an odometer over its dims, stepping the
 * input by the stride of the axis each output axis comes from. */
static void
permute_run (gconstpointer       data,
             const NsForwardRun *run)
{
  const gint64 *order = data;
  const NsView *in = &run->inputs[0], *out = run->output;
  guint rank = out->rank;
  gint64 in_strides[NS_MAX_RANK + 1], strides[NS_MAX_RANK + 1];
  gint64 batch_values = 1;

  in_strides[rank - 1] = 1;
  for (guint i = rank - 1; i-- > 0;)
    in_strides[i] = in_strides[i + 1] * in->dims[i + 1];
  strides[0] = in_strides[0];
  for (guint i = 1; i < rank; i++)
    strides[i] = in_strides[order[i - 1]];
  for (guint i = 1; i < rank; i++)
    batch_values *= out->dims[i];

#pragma omp parallel for schedule(static) \
  if (out->dims[0] > 1 && out->dims[0] * batch_values >= NS_PARALLEL_MIN_VALUES)
  for (gint64 n = 0; n < out->dims[0]; n++)
    {
      gint64 index[NS_MAX_RANK + 1] = { 0 };
      const float *x = in->data + n * strides[0];
      float *y = out->data + n * batch_values;

      for (gint64 i = 0; i < batch_values; i++)
        {
          y[i] = *x;
          /* Advance the odometer from the last axis. */
          for (guint a = rank - 1; a >= 1; a--)
            {
              x += strides[a];
              if (++index[a] < out->dims[a])
                break;
              x -= strides[a] * out->dims[a];
              index[a] = 0;
            }
        }
    }
}

const NsForwardOp ns_op_permute = {
  .prepare = permute_prepare,
  .run = permute_run,
};

/* ---- RepeatVector --------------------------------------------------------------- */

static void
repeat_run (gconstpointer       data,
            const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 repeats = out->dims[1], features = out->dims[2];

  for (gint64 n = 0; n < out->dims[0]; n++)
    for (gint64 r = 0; r < repeats; r++)
      memcpy (out->data + (n * repeats + r) * out->ld, in->data + n * in->ld, features * sizeof (float));
}

const NsForwardOp ns_op_repeat_vector = {
  .flags = NS_FORWARD_STRIDED,
  .run = repeat_run,
};
