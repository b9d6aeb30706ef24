/* ns-ops-elementwise.c: activation functions, as TensorFlow.js and Keras
 * define them, and the activation layers: Activation, ReLU, LeakyReLU, ELU,
 * PReLU, Softmax. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "ns-exec-private.h"
#include "ns-ops.h"

#define SELU_ALPHA 1.6732632423543772848170429916717f
#define SELU_SCALE 1.0507009873554804934193349852946f
/* keras.activations.leaky_relu's default slope. */
#define LEAKY_RELU_SLOPE 0.2f

static const struct {
  const char *name;
  NsAct       act;
} act_names[] = {
  { "linear", NS_ACT_LINEAR },
  { "relu", NS_ACT_RELU },
  { "relu6", NS_ACT_RELU6 },
  { "sigmoid", NS_ACT_SIGMOID },
  { "hard_sigmoid", NS_ACT_HARD_SIGMOID },
  { "tanh", NS_ACT_TANH },
  { "softmax", NS_ACT_SOFTMAX },
  { "softplus", NS_ACT_SOFTPLUS },
  { "softsign", NS_ACT_SOFTSIGN },
  { "elu", NS_ACT_ELU },
  { "selu", NS_ACT_SELU },
  { "gelu", NS_ACT_GELU },
  { "swish", NS_ACT_SWISH },
  { "silu", NS_ACT_SWISH },
  { "leaky_relu", NS_ACT_LEAKY_RELU },
  { "exponential", NS_ACT_EXPONENTIAL },
};

NsAct
ns_act_from_config (const NsInferInput *in)
{
  int index = ns_layer_type_find_prop (in->type, "activation");
  const NsPropDecl *decl;
  const char *name;

  if (index < 0)
    return NS_ACT_LINEAR;
  decl = &in->type->props[index];
  name = decl->choices[in->values[index].choice];
  for (guint i = 0; i < G_N_ELEMENTS (act_names); i++)
    if (g_str_equal (act_names[i].name, name))
      return act_names[i].act;
  g_assert_not_reached ();
}

static inline float
sigmoid (float x)
{
  return 1.0f / (1.0f + expf (-x));
}

static void
softmax_row (float *restrict x,
             gint64          n)
{
  float max = -INFINITY, sum = 0.0f;

  for (gint64 i = 0; i < n; i++)
    max = MAX (max, x[i]);
  for (gint64 i = 0; i < n; i++)
    {
      x[i] = expf (x[i] - max);
      sum += x[i];
    }
  for (gint64 i = 0; i < n; i++)
    x[i] /= sum;
}

/* The switch stays outside the loops so that each loop vectorises. */
static void
act_row (NsAct           act,
         float *restrict x,
         gint64          n)
{
  switch (act)
    {
    case NS_ACT_LINEAR:
      break;
    case NS_ACT_RELU:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] > 0.0f ? x[i] : 0.0f;
      break;
    case NS_ACT_RELU6:
      for (gint64 i = 0; i < n; i++)
        x[i] = MIN (MAX (x[i], 0.0f), 6.0f);
      break;
    case NS_ACT_SIGMOID:
      for (gint64 i = 0; i < n; i++)
        x[i] = sigmoid (x[i]);
      break;
    case NS_ACT_HARD_SIGMOID:
      /* TensorFlow.js and Keras 2: clip(0.2·x + 0.5, 0, 1). */
      for (gint64 i = 0; i < n; i++)
        x[i] = MIN (MAX (0.2f * x[i] + 0.5f, 0.0f), 1.0f);
      break;
    case NS_ACT_TANH:
      for (gint64 i = 0; i < n; i++)
        x[i] = tanhf (x[i]);
      break;
    case NS_ACT_SOFTMAX:
      softmax_row (x, n);
      break;
    case NS_ACT_SOFTPLUS:
      /* log(1 + eˣ) without overflow for large x. */
      for (gint64 i = 0; i < n; i++)
        x[i] = MAX (x[i], 0.0f) + log1pf (expf (-fabsf (x[i])));
      break;
    case NS_ACT_SOFTSIGN:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] / (1.0f + fabsf (x[i]));
      break;
    case NS_ACT_ELU:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] > 0.0f ? x[i] : expm1f (x[i]);
      break;
    case NS_ACT_SELU:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] > 0.0f ? SELU_SCALE * x[i] : SELU_SCALE * SELU_ALPHA * expm1f (x[i]);
      break;
    case NS_ACT_GELU:
      /* The exact form (Keras' default, TensorFlow.js' "gelu"). */
      for (gint64 i = 0; i < n; i++)
        x[i] = 0.5f * x[i] * (1.0f + erff (x[i] * (float) G_SQRT2 * 0.5f));
      break;
    case NS_ACT_SWISH:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] * sigmoid (x[i]);
      break;
    case NS_ACT_LEAKY_RELU:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] >= 0.0f ? x[i] : LEAKY_RELU_SLOPE * x[i];
      break;
    case NS_ACT_EXPONENTIAL:
      for (gint64 i = 0; i < n; i++)
        x[i] = expf (x[i]);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
ns_act_apply (NsAct  act,
              float *data,
              gint64 rows,
              gint64 cols,
              gint64 ld)
{
  if (act == NS_ACT_LINEAR)
    return;
  for (gint64 r = 0; r < rows; r++)
    act_row (act, data + r * ld, cols);
}

void
ns_bias_act_apply (const float *bias,
                   NsAct        act,
                   float       *data,
                   gint64       rows,
                   gint64       cols,
                   gint64       ld)
{
  for (gint64 r = 0; r < rows; r++)
    {
      float *restrict row = data + r * ld;

      if (bias != NULL)
        for (gint64 c = 0; c < cols; c++)
          row[c] += bias[c];
      act_row (act, row, cols);
    }
}

/* Rows per parallel task: about 16k values, at least one row. */
static gint64
rows_per_task (gint64 cols)
{
  return MAX (16384 / MAX (cols, 1), 1);
}

/* Copies input rows to the output unless the planner ran the op in place. */
static void
copy_rows (const NsView *in,
           const NsView *out,
           gint64        row,
           gint64        rows)
{
  gint64 cols = ns_view_cols (out);

  if (in->data == out->data)
    return;
  for (gint64 r = row; r < row + rows; r++)
    memcpy (out->data + r * out->ld, in->data + r * in->ld, cols * sizeof (float));
}

/* ---- Activation ------------------------------------------------------------ */

static gpointer
activation_prepare (NsForwardPrepare *prep,
                    GError          **error)
{
  NsAct *act = g_new (NsAct, 1);

  *act = ns_act_from_config (prep->in);
  return act;
}

static void
activation_run (gconstpointer       data,
                const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  NsAct act = *(const NsAct *) data;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  gint64 step = rows_per_task (cols);

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 r = 0; r < rows; r += step)
    {
      gint64 n = MIN (step, rows - r);

      copy_rows (in, out, r, n);
      ns_act_apply (act, out->data + r * out->ld, n, cols, out->ld);
    }
}

const NsForwardOp ns_op_activation = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .prepare = activation_prepare,
  .run = activation_run,
};

/* ---- ReLU, LeakyReLU, ELU -------------------------------------------------- */

typedef enum { RECTIFIER_RELU, RECTIFIER_LEAKY, RECTIFIER_ELU } RectifierKind;

typedef struct {
  RectifierKind kind;
  float         max_value;      /* +∞ when none */
  float         slope;          /* below the threshold; ELU's α */
  float         threshold;
} Rectifier;

static gpointer
rectifier_prepare (NsForwardPrepare *prep,
                   RectifierKind     kind)
{
  Rectifier *r = g_new0 (Rectifier, 1);

  r->kind = kind;
  r->max_value = INFINITY;
  if (kind == RECTIFIER_RELU)
    {
      const NsValue *max_value = ns_exec_value (prep->in, "max_value");

      if (!max_value->is_null)
        r->max_value = (float) max_value->real;
      r->slope = (float) ns_exec_value (prep->in, "negative_slope")->real;
      r->threshold = (float) ns_exec_value (prep->in, "threshold")->real;
    }
  else
    r->slope = (float) ns_exec_value (prep->in, "alpha")->real;
  return r;
}

static gpointer
relu_prepare (NsForwardPrepare *prep,
              GError          **error)
{
  return rectifier_prepare (prep, RECTIFIER_RELU);
}

static gpointer
leaky_relu_prepare (NsForwardPrepare *prep,
                    GError          **error)
{
  return rectifier_prepare (prep, RECTIFIER_LEAKY);
}

static gpointer
elu_prepare (NsForwardPrepare *prep,
             GError          **error)
{
  return rectifier_prepare (prep, RECTIFIER_ELU);
}

static void
rectifier_row (const Rectifier *p,
               float *restrict  x,
               gint64           n)
{
  float max = p->max_value, slope = p->slope, t = p->threshold;

  switch (p->kind)
    {
    case RECTIFIER_RELU:
      /* Keras' ReLU layer: x above the threshold (capped), slope·(x − t) below. */
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] > t ? MIN (x[i], max) : slope * (x[i] - t);
      break;
    case RECTIFIER_LEAKY:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] >= 0.0f ? x[i] : slope * x[i];
      break;
    case RECTIFIER_ELU:
      for (gint64 i = 0; i < n; i++)
        x[i] = x[i] > 0.0f ? x[i] : slope * expm1f (x[i]);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
rectifier_run (gconstpointer       data,
               const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  gint64 step = rows_per_task (cols);

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 r = 0; r < rows; r += step)
    {
      gint64 n = MIN (step, rows - r);

      copy_rows (in, out, r, n);
      for (gint64 i = r; i < r + n; i++)
        rectifier_row (data, out->data + i * out->ld, cols);
    }
}

const NsForwardOp ns_op_relu = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .prepare = relu_prepare,
  .run = rectifier_run,
};

const NsForwardOp ns_op_leaky_relu = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .prepare = leaky_relu_prepare,
  .run = rectifier_run,
};

const NsForwardOp ns_op_elu = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .prepare = elu_prepare,
  .run = rectifier_run,
};

/* ---- PReLU ------------------------------------------------------------------- */

typedef struct {
  const float *alpha;
  guint        rank;            /* α's dims: the sample's, shared axes set to 1 */
  gint64       dims[NS_MAX_RANK];
} Prelu;

static gpointer
prelu_prepare (NsForwardPrepare *prep,
               GError          **error)
{
  const NsShape *input = prep->in->inputs[0];
  const NsValue *shared = ns_exec_value (prep->in, "shared_axes");
  Prelu *p = g_new0 (Prelu, 1);

  p->alpha = prep->weights[0];
  p->rank = input->rank;
  memcpy (p->dims, input->dims, input->rank * sizeof (gint64));
  for (guint i = 0; !shared->is_null && i < shared->ints.len; i++)
    p->dims[shared->ints.items[i] - 1] = 1;
  return p;
}

static void
prelu_run (gconstpointer       data,
           const NsForwardRun *run)
{
  const Prelu *p = data;
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  NsBroadcast alpha;

  ns_broadcast_init (&alpha, out, p->dims, p->rank, p->dims[p->rank - 1]);

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 r = 0; r < rows; r++)
    {
      const float *restrict a = p->alpha + ns_broadcast_row_offset (&alpha, r);
      /* Not restrict: in place, x and y are the same row. */
      const float *x = in->data + r * in->ld;
      float *y = out->data + r * out->ld;

      if (ns_broadcast_col_stride (&alpha) == 1)
        for (gint64 c = 0; c < cols; c++)
          y[c] = x[c] > 0.0f ? x[c] : a[c] * x[c];
      else
        for (gint64 c = 0; c < cols; c++)
          y[c] = x[c] > 0.0f ? x[c] : a[0] * x[c];
    }
}

const NsForwardOp ns_op_prelu = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .prepare = prelu_prepare,
  .run = prelu_run,
};

/* ---- Softmax ------------------------------------------------------------------- */

static gpointer
softmax_prepare (NsForwardPrepare *prep,
                 GError          **error)
{
  gint64 *axis = g_new (gint64, 1);
  gint64 value = ns_exec_value (prep->in, "axis")->integer;

  /* Keras counts the batch as axis 0; keep the same numbering, with the batch. */
  *axis = value < 0 ? value + prep->in->inputs[0]->rank + 1 : value;
  return axis;
}

static void
softmax_run (gconstpointer       data,
             const NsForwardRun *run)
{
  const NsView *in = &run->inputs[0], *out = run->output;
  gint64 axis = *(const gint64 *) data;
  gint64 rows = ns_view_rows (out), cols = ns_view_cols (out);
  gint64 outer = 1, length = out->dims[axis], inner_rows = 1;

  if (axis == (gint64) out->rank - 1)
    {
      gint64 step = rows_per_task (cols);

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
      for (gint64 r = 0; r < rows; r += step)
        {
          gint64 n = MIN (step, rows - r);

          copy_rows (in, out, r, n);
          ns_act_apply (NS_ACT_SOFTMAX, out->data + r * out->ld, n, cols, out->ld);
        }
      return;
    }

  /* Another axis: element (o, l, i, c) sits in row (o·L + l)·I + i. */
  for (gint64 i = 0; i < axis; i++)
    outer *= out->dims[i];
  for (guint i = axis + 1; i + 1 < out->rank; i++)
    inner_rows *= out->dims[i];
  copy_rows (in, out, 0, rows);

#pragma omp parallel for schedule(static) if (rows * cols >= NS_PARALLEL_MIN_VALUES)
  for (gint64 task = 0; task < outer * inner_rows; task++)
    {
      gint64 o = task / inner_rows, i = task % inner_rows;
      float *base = out->data + (o * length * inner_rows + i) * out->ld;
      gint64 stride = inner_rows * out->ld;

      for (gint64 c = 0; c < cols; c++)
        {
          float max = -INFINITY, sum = 0.0f;

          for (gint64 l = 0; l < length; l++)
            max = MAX (max, base[l * stride + c]);
          for (gint64 l = 0; l < length; l++)
            {
              base[l * stride + c] = expf (base[l * stride + c] - max);
              sum += base[l * stride + c];
            }
          for (gint64 l = 0; l < length; l++)
            base[l * stride + c] /= sum;
        }
    }
}

const NsForwardOp ns_op_softmax = {
  .flags = NS_FORWARD_IN_PLACE | NS_FORWARD_STRIDED,
  .prepare = softmax_prepare,
  .run = softmax_run,
};
