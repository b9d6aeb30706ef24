/* ns-layers-activation.c: activation layers: Activation, ReLU, LeakyReLU, PReLU,
 * ELU and Softmax. All keep their input's shape; only PReLU learns weights. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

/* The names Keras accepts for `activation`, here and on Conv2D and Dense. */
const char *const ns_activation_choices[] = {
  "linear",
  "relu",
  "relu6",
  "sigmoid",
  "hard_sigmoid",
  "tanh",
  "softmax",
  "softplus",
  "softsign",
  "elu",
  "selu",
  "gelu",
  "swish",
  "silu",
  "leaky_relu",
  "exponential",
  NULL,
};

/* "0.3": a real number as short as it stays exact. */
static char *
real_to_string (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

static void
explain_same_shape (const NsInferResult *out,
                    NsExplanation       *explanation)
{
  g_autofree char *shape = ns_shape_to_keras (&out->output);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), NULL, NULL, shape,
                      _("(applied to each element: the shape does not change)"));
}

/* Shape, no parameters, cost: every type here but PReLU. */
static void
explain_elementwise (const NsInferResult *out,
                     gint64               per_element,
                     NsExplanation       *explanation)
{
  explain_same_shape (out, explanation);
  ns_explain_no_params (explanation);
  ns_explain_elementwise_flops (out, per_element, _("(N: elements of the output)"), explanation);
}

static gboolean
same_shape_infer (const NsInferInput *in,
                  NsInferResult      *out,
                  GError            **error)
{
  const NsShape *input = in->inputs[0];

  return ns_infer_set_output (out, input->rank, input->dims, error);
}

/* ---- Activation ------------------------------------------------------------ */

enum {
  ACTIVATION_ACTIVATION,
};

static const NsPropDecl activation_props[] = {
  [ACTIVATION_ACTIVATION] = {
    .key = "activation", .label = N_("Activation"), .kind = NS_PROP_CHOICE,
    .choices = ns_activation_choices, .default_json = "\"linear\"",
  },
};

/* Rough FLOPs per element, per ns_activation_choices entry: a comparison is
 * one, an exponential is counted as one. */
static const gint64 activation_flops[] = {
  0, 1, 2, 4, 3, 5, 4, 3, 3, 3, 4, 8, 5, 5, 2, 1,
};
G_STATIC_ASSERT (G_N_ELEMENTS (activation_flops) == G_N_ELEMENTS (ns_activation_choices) - 1);

static gint64
activation_cost (const NsInferInput *in)
{
  guint choice = in->values[ACTIVATION_ACTIVATION].choice;

  return choice < G_N_ELEMENTS (activation_flops) ? activation_flops[choice] : 1;
}

static gboolean
activation_infer (const NsInferInput *in,
                  NsInferResult      *out,
                  GError            **error)
{
  return same_shape_infer (in, out, error) &&
         ns_infer_elementwise_flops (out, activation_cost (in), error);
}

static void
activation_explain (const NsInferInput  *in,
                    const NsInferResult *out,
                    NsExplanation       *explanation)
{
  explain_elementwise (out, activation_cost (in), explanation);
}

static char *
activation_describe (const NsInferInput *in)
{
  return g_strdup (ns_activation_choices[in->values[ACTIVATION_ACTIVATION].choice]);
}

static const NsLayerType activation = {
  .keras_class = "Activation",
  .label = N_("Activation"),
  .description = N_("Applies an activation function to every element"),
  .default_name = "activation",
  .category = NS_CATEGORY_ACTIVATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = activation_props,
  .n_props = NS_N_PROPS (activation_props),
  .infer = activation_infer,
  .explain = activation_explain,
  .describe = activation_describe,
  .forward = &ns_op_activation,
};

/* ---- ReLU ------------------------------------------------------------------ */

enum {
  RELU_MAX_VALUE,
  RELU_NEGATIVE_SLOPE,
  RELU_THRESHOLD,
};

static const NsPropDecl relu_props[] = {
  /* null: no upper bound; 6 makes ReLU6. */
  [RELU_MAX_VALUE] = {
    .key = "max_value", .label = N_("Maximum value"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = G_MAXDOUBLE, .default_json = "null",
    .flags = NS_PROP_FLAG_NULLABLE,
  },
  [RELU_NEGATIVE_SLOPE] = {
    .key = "negative_slope", .label = N_("Negative slope"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = G_MAXDOUBLE, .default_json = "0.0",
  },
  [RELU_THRESHOLD] = {
    .key = "threshold", .label = N_("Threshold"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = G_MAXDOUBLE, .default_json = "0.0",
    .flags = NS_PROP_FLAG_ADVANCED,
  },
};

static gboolean
relu_infer (const NsInferInput *in,
            NsInferResult      *out,
            GError            **error)
{
  return same_shape_infer (in, out, error) && ns_infer_elementwise_flops (out, 1, error);
}

static void
relu_explain (const NsInferInput  *in,
              const NsInferResult *out,
              NsExplanation       *explanation)
{
  explain_elementwise (out, 1, explanation);
}

static char *
relu_describe (const NsInferInput *in)
{
  GString *text = g_string_new ("relu");

  if (!in->values[RELU_MAX_VALUE].is_null)
    {
      g_autofree char *max = real_to_string (in->values[RELU_MAX_VALUE].real);
      /* Translators: part of a layer’s one-line summary on the canvas: "relu, max 6". */
      g_string_append_printf (text, _(", max %s"), max);
    }
  if (in->values[RELU_NEGATIVE_SLOPE].real != 0.0)
    {
      g_autofree char *slope = real_to_string (in->values[RELU_NEGATIVE_SLOPE].real);
      /* Translators: part of a layer’s one-line summary on the canvas: "relu, slope 0.1". */
      g_string_append_printf (text, _(", slope %s"), slope);
    }
  if (in->values[RELU_THRESHOLD].real != 0.0)
    {
      g_autofree char *threshold = real_to_string (in->values[RELU_THRESHOLD].real);
      /* Translators: part of a layer’s one-line summary on the canvas: "relu, threshold 1". */
      g_string_append_printf (text, _(", threshold %s"), threshold);
    }
  return g_string_free (text, FALSE);
}

static const NsLayerType relu = {
  .keras_class = "ReLU",
  .label = N_("ReLU"),
  .description = N_("Rectified linear unit: max(x, 0), optionally capped and leaky"),
  .default_name = "re_lu",
  .category = NS_CATEGORY_ACTIVATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = relu_props,
  .n_props = NS_N_PROPS (relu_props),
  .infer = relu_infer,
  .explain = relu_explain,
  .describe = relu_describe,
  .forward = &ns_op_relu,
};

/* ---- LeakyReLU, ELU ----------------------------------------------------------- */

enum {
  ALPHA_ALPHA,
};

/* Keras 2's name; Keras 3 calls LeakyReLU's `negative_slope` (the importer maps it). */
static const NsPropDecl leaky_relu_props[] = {
  [ALPHA_ALPHA] = {
    .key = "alpha", .label = N_("Negative slope (α)"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = G_MAXDOUBLE, .default_json = "0.3",
  },
};

static const NsPropDecl elu_props[] = {
  [ALPHA_ALPHA] = {
    .key = "alpha", .label = N_("Scale of the negative part (α)"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = G_MAXDOUBLE, .default_json = "1.0",
  },
};

static gboolean
leaky_relu_infer (const NsInferInput *in,
                  NsInferResult      *out,
                  GError            **error)
{
  return same_shape_infer (in, out, error) && ns_infer_elementwise_flops (out, 2, error);
}

static void
leaky_relu_explain (const NsInferInput  *in,
                    const NsInferResult *out,
                    NsExplanation       *explanation)
{
  explain_elementwise (out, 2, explanation);
}

static gboolean
elu_infer (const NsInferInput *in,
           NsInferResult      *out,
           GError            **error)
{
  return same_shape_infer (in, out, error) && ns_infer_elementwise_flops (out, 3, error);
}

static void
elu_explain (const NsInferInput  *in,
             const NsInferResult *out,
             NsExplanation       *explanation)
{
  explain_elementwise (out, 3, explanation);
}

static char *
alpha_describe (const NsInferInput *in)
{
  g_autofree char *alpha = real_to_string (in->values[ALPHA_ALPHA].real);

  return g_strdup_printf ("α %s", alpha);
}

static const NsLayerType leaky_relu = {
  .keras_class = "LeakyReLU",
  .label = N_("Leaky ReLU"),
  .description = N_("ReLU that lets a small slope α through below zero"),
  .default_name = "leaky_re_lu",
  .category = NS_CATEGORY_ACTIVATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = leaky_relu_props,
  .n_props = NS_N_PROPS (leaky_relu_props),
  .infer = leaky_relu_infer,
  .explain = leaky_relu_explain,
  .describe = alpha_describe,
  .forward = &ns_op_leaky_relu,
};

static const NsLayerType elu = {
  .keras_class = "ELU",
  .label = N_("ELU"),
  .description = N_("Exponential linear unit: α·(eˣ − 1) below zero"),
  .default_name = "elu",
  .category = NS_CATEGORY_ACTIVATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = elu_props,
  .n_props = NS_N_PROPS (elu_props),
  .infer = elu_infer,
  .explain = elu_explain,
  .describe = alpha_describe,
  .forward = &ns_op_elu,
};

/* ---- PReLU ------------------------------------------------------------------- */

enum {
  PRELU_SHARED_AXES,
};

static const NsPropDecl prelu_props[] = {
  /* 1-based axes after the batch along which one α is shared; null: none. */
  [PRELU_SHARED_AXES] = {
    .key = "shared_axes", .label = N_("Shared axes"), .kind = NS_PROP_INTS,
    .min = 1, .max = NS_MAX_RANK, .default_json = "null",
    .flags = NS_PROP_FLAG_NULLABLE | NS_PROP_FLAG_INT_AXIS,
  },
};

/* The shape of PReLU's α: the input's with the shared axes set to 1. */
static gboolean
prelu_alpha_shape (const NsInferInput *in,
                   gint64              alpha[NS_MAX_RANK],
                   GError            **error)
{
  const NsShape *input = in->inputs[0];
  const NsValue *shared = &in->values[PRELU_SHARED_AXES];

  memcpy (alpha, input->dims, input->rank * sizeof (gint64));
  for (guint i = 0; !shared->is_null && i < shared->ints.len; i++)
    {
      gint64 axis = shared->ints.items[i];

      if (axis < 1 || axis > (gint64) input->rank)
        {
          g_autofree char *text = ns_signed_to_string (axis);
          g_autofree char *shape = ns_shape_to_keras (input);

          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("shared axis %s is out of range for the input %s (1…%u)"),
                       text, shape, input->rank);
          return FALSE;
        }
      alpha[axis - 1] = 1;
    }

  for (guint i = 0; i < input->rank; i++)
    if (alpha[i] == NS_DIM_NONE)
      {
        g_autofree char *shape = ns_shape_to_keras (input);

        g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                     _("axis %u of %s has no known size; PReLU needs one α per position, "
                       "or the axis in shared_axes"),
                     i + 1, shape);
        return FALSE;
      }
  return TRUE;
}

static gboolean
prelu_infer (const NsInferInput *in,
             NsInferResult      *out,
             GError            **error)
{
  const NsShape *input = in->inputs[0];
  gint64 alpha[NS_MAX_RANK];
  gint64 params = 1;

  if (!prelu_alpha_shape (in, alpha, error))
    return FALSE;
  for (guint i = 0; i < input->rank; i++)
    if (!ns_infer_mul (&params, error, 2, params, alpha[i]))
      return FALSE;
  out->trainable_params = params;
  return same_shape_infer (in, out, error) && ns_infer_elementwise_flops (out, 2, error);
}

static void
prelu_explain (const NsInferInput  *in,
               const NsInferResult *out,
               NsExplanation       *explanation)
{
  const NsShape *input = in->inputs[0];
  const NsValue *shared = &in->values[PRELU_SHARED_AXES];
  gint64 alpha[NS_MAX_RANK];
  g_autoptr(GString) substituted = g_string_new (NULL);
  g_autofree char *result = ns_format_count (out->trainable_params);
  g_autofree char *note = NULL;
  const char *formula;

  explain_same_shape (out, explanation);
  if (!prelu_alpha_shape (in, alpha, NULL))
    return;

  for (guint i = 0; i < input->rank; i++)
    g_string_append_printf (substituted, i > 0 ? " × %" PRId64 : "%" PRId64,
                            alpha[i]);
  if (shared->is_null || shared->ints.len == 0)
    {
      formula = input->rank == 3 ? "H·W·C" : NULL;
      note = g_strdup (_("(one trainable α per element)"));
    }
  else
    {
      g_autofree char *axes = ns_value_to_string (&prelu_props[PRELU_SHARED_AXES], shared);

      formula = _("input size with the shared axes set to 1");
      note = g_strdup_printf (_("(all trainable; α shared along axes %s)"), axes);
    }
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"), formula,
                      input->rank > 1 ? substituted->str : NULL, result, note);
  ns_explain_elementwise_flops (out, 2, _("(N: elements of the output)"), explanation);
}

static char *
prelu_describe (const NsInferInput *in)
{
  const NsValue *shared = &in->values[PRELU_SHARED_AXES];
  g_autofree char *axes = NULL;

  if (shared->is_null || shared->ints.len == 0)
    return g_strdup ("");
  axes = ns_value_to_string (&prelu_props[PRELU_SHARED_AXES], shared);
  /* Translators: a PReLU’s one-line summary on the canvas: "shared 1, 2" (its shared axes). */
  return g_strdup_printf (_("shared %s"), axes);
}

static gboolean
prelu_weights (const NsInferInput *in,
               GArray             *specs)
{
  NsWeightSpec spec = { "alpha", { 0 }, "zeros" };

  if (in->n_inputs < 1 || !prelu_alpha_shape (in, spec.shape.dims, NULL))
    return FALSE;
  spec.shape.rank = in->inputs[0]->rank;
  g_array_append_val (specs, spec);
  return TRUE;
}

static const NsLayerType prelu = {
  .keras_class = "PReLU",
  .label = N_("PReLU"),
  .description = N_("Leaky ReLU whose slope below zero is learned"),
  .default_name = "p_re_lu",
  .category = NS_CATEGORY_ACTIVATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = prelu_props,
  .n_props = NS_N_PROPS (prelu_props),
  .infer = prelu_infer,
  .explain = prelu_explain,
  .describe = prelu_describe,
  .weights = prelu_weights,
  .forward = &ns_op_prelu,
};

/* ---- Softmax ------------------------------------------------------------------- */

enum {
  SOFTMAX_AXIS,
};

static const NsPropDecl softmax_props[] = {
  [SOFTMAX_AXIS] = {
    .key = "axis", .label = N_("Axis"), .kind = NS_PROP_INT,
    .min = -(NS_MAX_RANK + 1), .max = NS_MAX_RANK, .default_json = "-1",
  },
};

/* An exponential, a share of the sum and a division per element. */
#define SOFTMAX_FLOPS 3

static gboolean
softmax_infer (const NsInferInput *in,
               NsInferResult      *out,
               GError            **error)
{
  const NsShape *input = in->inputs[0];
  gint64 axis = in->values[SOFTMAX_AXIS].integer;
  gint64 full_rank = (gint64) input->rank + 1;
  gint64 index = axis < 0 ? axis + full_rank : axis;

  if (index <= 0 || index >= full_rank)
    {
      g_autofree char *text = ns_signed_to_string (axis);
      g_autofree char *shape = ns_shape_to_keras (input);

      if (index == 0)
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                     _("axis %s is the batch dimension of %s; use 1…%u or −1…−%u"),
                     text, shape, input->rank, input->rank);
      else
        g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                     _("axis %s is out of range for the input %s (1…%u or −1…−%u)"),
                     text, shape, input->rank, input->rank);
      return FALSE;
    }
  return same_shape_infer (in, out, error) && ns_infer_elementwise_flops (out, SOFTMAX_FLOPS, error);
}

static void
softmax_explain (const NsInferInput  *in,
                 const NsInferResult *out,
                 NsExplanation       *explanation)
{
  explain_elementwise (out, SOFTMAX_FLOPS, explanation);
}

static char *
softmax_describe (const NsInferInput *in)
{
  g_autofree char *axis = ns_signed_to_string (in->values[SOFTMAX_AXIS].integer);

  /* Translators: a layer’s one-line summary on the canvas: "axis -1". */
  return g_strdup_printf (_("axis %s"), axis);
}

static const NsLayerType softmax = {
  .keras_class = "Softmax",
  .label = N_("Softmax"),
  .description = N_("Turns scores along an axis into probabilities that sum to 1"),
  .default_name = "softmax",
  .category = NS_CATEGORY_ACTIVATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = softmax_props,
  .n_props = NS_N_PROPS (softmax_props),
  .infer = softmax_infer,
  .explain = softmax_explain,
  .describe = softmax_describe,
  .forward = &ns_op_softmax,
};

const NsLayerType *const ns_activation_layer_types[] = {
  &activation,
  &relu,
  &leaky_relu,
  &prelu,
  &elu,
  &softmax,
  NULL,
};
