/* ns-ops-norm.c: BatchNormalization (inference: the moving statistics,
 * folded into one multiply and one add) and LayerNormalization, over any
 * set of axes; the usual last axis has its own vectorised loops. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-exec-private.h"
#include "ns-ops.h"

/* Where the normalized axes' weights sit: an element's weight index is
 * Σ index[axis]·stride over them, in the order the config lists them. */
typedef struct {
  guint   rank;                        /* with the batch */
  gint64  stride[NS_MAX_RANK + 1];     /* 0 on the axes not normalized */
  gboolean normalized[NS_MAX_RANK + 1];
  gint64  size;                        /* weights per normalized position */
} Axes;

static void
axes_init (Axes          *axes,
           const NsValue *list,
           const NsShape *input)
{
  gint64 stride = 1;

  memset (axes, 0, sizeof *axes);
  axes->rank = input->rank + 1;
  for (guint i = list->ints.len; i-- > 0;)
    {
      gint64 axis = list->ints.items[i];
      gint64 index = axis < 0 ? axis + axes->rank : axis;

      axes->normalized[index] = TRUE;
      axes->stride[index] = stride;
      stride *= input->dims[index - 1];
    }
  axes->size = stride;
}

/* The weight offset at the start of row @row, from its dims (all but the last). */
static gint64
axes_row_offset (const Axes   *axes,
                 const NsView *view,
                 gint64        row)
{
  gint64 offset = 0;

  for (guint i = view->rank - 1; i-- > 0;)
    {
      offset += (row % view->dims[i]) * axes->stride[i];
      row /= view->dims[i];
    }
  return offset;
}

/* ---- BatchNormalization --------------------------------------------------- */

typedef struct {
  Axes   axes;
  float *scale;     /* γ / √(variance + ε) */
  float *shift;     /* β − mean · scale */
} BatchNorm;

static void
batch_norm_measure (NsForwardPrepare *prep)
{
  Axes axes;

  axes_init (&axes, ns_exec_value (prep->in, "axis"), prep->in->inputs[0]);
  prep->derived_floats = 2 * axes.size;
}

static gpointer
batch_norm_prepare (NsForwardPrepare *prep,
                    GError          **error)
{
  gboolean center = ns_exec_value (prep->in, "center")->boolean;
  gboolean scale = ns_exec_value (prep->in, "scale")->boolean;
  double epsilon = ns_exec_value (prep->in, "epsilon")->real;
  const float *gamma = scale ? prep->weights[0] : NULL;
  const float *beta = center ? prep->weights[scale ? 1 : 0] : NULL;
  const float *mean = prep->weights[prep->n_weights - 2];
  const float *variance = prep->weights[prep->n_weights - 1];
  BatchNorm *bn = g_new0 (BatchNorm, 1);

  axes_init (&bn->axes, ns_exec_value (prep->in, "axis"), prep->in->inputs[0]);
  bn->scale = g_new (float, bn->axes.size);
  bn->shift = g_new (float, bn->axes.size);
  for (gint64 i = 0; i < bn->axes.size; i++)
    {
      float s = (float) ((gamma != NULL ? gamma[i] : 1.0f) / sqrt ((double) variance[i] + epsilon));

      bn->scale[i] = s;
      bn->shift[i] = (beta != NULL ? beta[i] : 0.0f) - mean[i] * s;
    }
  return bn;
}

static void
batch_norm_free (gpointer data)
{
  BatchNorm *bn = data;

  g_free (bn->scale);
  g_free (bn->shift);
  g_free (bn);
}

static void
batch_norm_run (gconstpointer       data,
                const NsForwardRun *run)
{
  const BatchNorm *bn = data;
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  gint64 col_stride = bn->axes.stride[out->rank - 1];

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 r = 0; r < rows; r++)
    {
      gint64 offset = axes_row_offset (&bn->axes, out, r);
      const float *a = bn->scale + offset, *b = bn->shift + offset;
      /* Not restrict: in place, x and y are the same row. */
      const float *x = in->data + r * in->ld;
      float *y = out->data + r * out->ld;

      if (col_stride == 1)
        for (gint64 c = 0; c < cols; c++)
          y[c] = x[c] * a[c] + b[c];
      else if (col_stride == 0)
        for (gint64 c = 0; c < cols; c++)
          y[c] = x[c] * a[0] + b[0];
      else
        for (gint64 c = 0; c < cols; c++)
          y[c] = x[c] * a[c * col_stride] + b[c * col_stride];
    }
}

const NsForwardOp ns_op_batch_normalization = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .measure = batch_norm_measure,
  .prepare = batch_norm_prepare,
  .run = batch_norm_run,
  .free = batch_norm_free,
};

/* ---- LayerNormalization --------------------------------------------------- */

typedef struct {
  Axes         axes;
  double       epsilon;
  const float *gamma;     /* NULL: 1 */
  const float *beta;      /* NULL: 0 */
  gboolean     last_only; /* normalizes each row on its own */
  gint64       n_groups;  /* sets of values normalized together */
} LayerNorm;

static void
layer_norm_init (LayerNorm              *ln,
                 const NsForwardPrepare *prep)
{
  const NsShape *input = prep->in->inputs[0];

  axes_init (&ln->axes, ns_exec_value (prep->in, "axis"), input);
  ln->epsilon = ns_exec_value (prep->in, "epsilon")->real;
  ln->last_only = ln->axes.size == input->dims[input->rank - 1] &&
                  ln->axes.normalized[input->rank] && ln->axes.stride[input->rank] == 1;
  ln->n_groups = prep->batch;
  for (guint i = 0; i < input->rank; i++)
    if (!ln->axes.normalized[i + 1])
      ln->n_groups *= input->dims[i];
}

static void
layer_norm_measure (NsForwardPrepare *prep)
{
  LayerNorm ln;

  layer_norm_init (&ln, prep);
  /* Per group, a mean and an inverse deviation in double. */
  prep->scratch_floats = ln.last_only ? 0 : 4 * ln.n_groups;
}

static gpointer
layer_norm_prepare (NsForwardPrepare *prep,
                    GError          **error)
{
  LayerNorm *ln = g_new0 (LayerNorm, 1);
  gboolean scale = ns_exec_value (prep->in, "scale")->boolean;
  gboolean center = ns_exec_value (prep->in, "center")->boolean;

  layer_norm_init (ln, prep);
  ln->gamma = scale ? prep->weights[0] : NULL;
  ln->beta = center ? prep->weights[scale ? 1 : 0] : NULL;
  return ln;
}

static void
normalize_row (const LayerNorm *ln,
               const float     *x,
               float           *y,
               gint64           n)
{
  double sum = 0.0, squares = 0.0, mean, inv;

  for (gint64 c = 0; c < n; c++)
    sum += x[c];
  mean = sum / (double) n;
  for (gint64 c = 0; c < n; c++)
    squares += (x[c] - mean) * (x[c] - mean);
  inv = 1.0 / sqrt (squares / (double) n + ln->epsilon);
  for (gint64 c = 0; c < n; c++)
    {
      float v = (float) ((x[c] - mean) * inv);

      y[c] = v * (ln->gamma != NULL ? ln->gamma[c] : 1.0f) + (ln->beta != NULL ? ln->beta[c] : 0.0f);
    }
}

/* Any other set of axes: the group of an element is its index over the
 * axes not normalized. Three passes over the tensor, sums in double. */
static void
layer_norm_general (const LayerNorm *ln,
                    const NsView    *in,
                    const NsView    *out,
                    double          *mean,
                    double          *inv)
{
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  guint last = out->rank - 1;
  gint64 count = 1;

  for (guint i = 1; i < out->rank; i++)
    if (ln->axes.normalized[i])
      count *= out->dims[i];
  memset (mean, 0, ln->n_groups * sizeof (double));
  memset (inv, 0, ln->n_groups * sizeof (double));

  for (guint pass = 0; pass < 3; pass++)
    for (gint64 r = 0; r < rows; r++)
      {
        gint64 group = 0, weight = 0, rest = r, scale = ln->axes.normalized[last] ? 1 : out->dims[last];

        /* Group index: row-major over the axes not normalized. */
        for (guint i = last; i-- > 0;)
          {
            gint64 index = rest % out->dims[i];

            rest /= out->dims[i];
            if (ln->axes.normalized[i])
              weight += index * ln->axes.stride[i];
            else
              {
                group += index * scale;
                scale *= out->dims[i];
              }
          }
        for (gint64 c = 0; c < cols; c++)
          {
            gint64 g = ln->axes.normalized[last] ? group : group + c;
            gint64 w = weight + (ln->axes.normalized[last] ? c * ln->axes.stride[last] : 0);
            double x = in->data[r * in->ld + c];

            if (pass == 0)
              mean[g] += x;
            else if (pass == 1)
              inv[g] += (x - mean[g] / count) * (x - mean[g] / count);
            else
              {
                float v = (float) ((x - mean[g] / count) / sqrt (inv[g] / count + ln->epsilon));

                out->data[r * out->ld + c] = v * (ln->gamma != NULL ? ln->gamma[w] : 1.0f) +
                                             (ln->beta != NULL ? ln->beta[w] : 0.0f);
              }
          }
      }
}

static void
layer_norm_run (gconstpointer       data,
                const NsForwardRun *run)
{
  const LayerNorm *ln = data;
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);

  if (!ln->last_only)
    {
      layer_norm_general (ln, in, out, (double *) run->scratch, (double *) run->scratch + ln->n_groups);
      return;
    }

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 r = 0; r < rows; r++)
    normalize_row (ln, in->data + r * in->ld, out->data + r * out->ld, cols);
}

const NsForwardOp ns_op_layer_normalization = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .measure = layer_norm_measure,
  .prepare = layer_norm_prepare,
  .run = layer_norm_run,
};
