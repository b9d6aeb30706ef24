/* ns-layers-core.c: InputLayer, Dense, and the training-only layers (Dropout,
 * SpatialDropout2D, GaussianNoise) that pass their input through at inference. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

#define MAX_SIZE  ((gint64) 1 << 40)
#define MAX_UNITS ((gint64) 1 << 24)

/* ---- InputLayer ---------------------------------------------------------- */

enum { INPUT_SHAPE };

static const NsPropDecl input_props[] = {
  /* Keras' shape without the batch: (128, 128, 3); null dims are None. */
  { "shape", N_("Shape"), NS_PROP_INTS, 1, MAX_SIZE, .default_json = "[128, 128, 3]",
    .flags = NS_PROP_FLAG_NONE_DIM },
};

static gboolean
input_infer (const NsInferInput *in,
             NsInferResult      *out,
             GError            **error)
{
  const NsValue *shape = &in->values[INPUT_SHAPE];

  if (shape->ints.len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("an input needs at least one dimension besides the batch"));
      return FALSE;
    }
  return ns_infer_set_output (out, shape->ints.len, shape->ints.items, error);
}

static void
input_explain (const NsInferInput  *in,
               const NsInferResult *out,
               NsExplanation       *explanation)
{
  g_autofree char *shape = ns_shape_to_keras (&out->output);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), NULL, NULL, shape,
                      _("(as declared; None is the batch size)"));
  ns_explain_no_params (explanation);
}

static char *
input_describe (const NsInferInput *in)
{
  NsShape shape;

  ns_shape_init (&shape, in->values[INPUT_SHAPE].ints.len, in->values[INPUT_SHAPE].ints.items);
  return ns_shape_to_compact (&shape);
}

static const NsLayerType input_layer = {
  .keras_class = "InputLayer",
  .aliases = (const char *const[]) { "Input", NULL },
  .label = N_("Input"),
  .description = N_("Where data enters: an image of the given height, width and channels"),
  .default_name = "input",
  .category = NS_CATEGORY_INPUT,
  .min_inputs = 0,
  .max_inputs = 0,
  .props = input_props,
  .n_props = NS_N_PROPS (input_props),
  .infer = input_infer,
  .explain = input_explain,
  .describe = input_describe,
};

/* ---- Dense --------------------------------------------------------------- */

enum { DENSE_UNITS, DENSE_ACTIVATION, DENSE_USE_BIAS, DENSE_KERNEL_INIT, DENSE_BIAS_INIT };

static const NsPropDecl dense_props[] = {
  { "units", N_("Units"), NS_PROP_INT, 1, MAX_UNITS, .default_json = "10" },
  { "activation", N_("Activation"), NS_PROP_CHOICE, .choices = ns_activation_choices,
    .default_json = "\"linear\"" },
  { "use_bias", N_("Use bias"), NS_PROP_BOOL, .default_json = "true" },
  { "kernel_initializer", N_("Kernel initializer"), NS_PROP_CHOICE,
    .choices = ns_initializer_choices, .default_json = "\"glorot_uniform\"",
    .flags = NS_PROP_FLAG_ADVANCED },
  { "bias_initializer", N_("Bias initializer"), NS_PROP_CHOICE,
    .choices = ns_initializer_choices, .default_json = "\"zeros\"",
    .flags = NS_PROP_FLAG_ADVANCED },
};

/* Keras applies Dense to the last axis of any rank: (…, in) → (…, units). */
static gboolean
dense_infer (const NsInferInput *in,
             NsInferResult      *out,
             GError            **error)
{
  const NsShape *input = in->inputs[0];
  gint64 units = in->values[DENSE_UNITS].integer;
  gint64 features = input->dims[input->rank - 1];
  gint64 dims[NS_MAX_RANK], weights, positions = 1;

  if (input->rank < 1 || features == NS_DIM_NONE)
    {
      g_autofree char *got = ns_shape_to_keras (input);
      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                   _("the last axis of the input must be known, got %s"), got);
      return FALSE;
    }
  memcpy (dims, input->dims, input->rank * sizeof (gint64));
  dims[input->rank - 1] = units;
  if (!ns_infer_set_output (out, input->rank, dims, error) ||
      !ns_infer_mul (&weights, error, 2, features, units))
    return FALSE;
  out->trainable_params = weights + (in->values[DENSE_USE_BIAS].boolean ? units : 0);

  for (guint i = 0; i + 1 < input->rank; i++)
    {
      if (input->dims[i] == NS_DIM_NONE)
        return TRUE;   /* cost unknown until run time */
      if (!ns_infer_mul (&positions, error, 2, positions, input->dims[i]))
        return FALSE;
    }
  if (!ns_infer_mul (&out->macs, error, 2, weights, positions))
    return FALSE;
  out->rf_global = input->rank == 1;
  return TRUE;
}

static void
dense_explain (const NsInferInput  *in,
               const NsInferResult *out,
               NsExplanation       *explanation)
{
  const NsShape *input = in->inputs[0];
  gint64 features = input->dims[input->rank - 1];
  gint64 units = in->values[DENSE_UNITS].integer;
  gboolean bias = in->values[DENSE_USE_BIAS].boolean;
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *params = ns_format_count (out->trainable_params);
  g_autofree char *sub = NULL;
  g_autofree char *macs = ns_format_count (out->macs);
  g_autofree char *macs_sub = NULL;

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"),
                      _("the last axis becomes the units"), NULL, shape, NULL);
  sub = bias ? g_strdup_printf ("(%" PRId64 " + 1) × %" PRId64, features, units)
             : g_strdup_printf ("%" PRId64 " × %" PRId64, features, units);
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"),
                      bias ? _("(in + 1)·units") : _("in·units"), sub, params,
                      _("(a weight from every input feature to every unit, plus a bias per unit)"));
  macs_sub = g_strdup_printf ("%" PRId64 " × %" PRId64 " × %" PRId64,
                              out->macs / MAX (features * units, 1), features, units);
  ns_explanation_add (explanation, NS_EXPLAIN_COST, _("Multiply–accumulates"),
                      _("positions·in·units"), macs_sub, macs, NULL);
}

static char *
dense_describe (const NsInferInput *in)
{
  guint activation = in->values[DENSE_ACTIVATION].choice;

  if (activation == 0)
    return g_strdup_printf ("%" PRId64, in->values[DENSE_UNITS].integer);
  return g_strdup_printf ("%" PRId64 ", %s", in->values[DENSE_UNITS].integer,
                          ns_activation_choices[activation]);
}

static gboolean
dense_weights (const NsInferInput *in,
               GArray             *specs)
{
  gint64 features, units = in->values[DENSE_UNITS].integer;

  if (!ns_weights_last_axis (in, 0, &features))
    return FALSE;
  ns_weight_spec_add (specs, "kernel", ns_initializer_choices[in->values[DENSE_KERNEL_INIT].choice], 2,
                      features, units);
  if (in->values[DENSE_USE_BIAS].boolean)
    ns_weight_spec_add (specs, "bias", ns_initializer_choices[in->values[DENSE_BIAS_INIT].choice], 1, units);
  return TRUE;
}

static const NsLayerType dense = {
  .keras_class = "Dense",
  .label = N_("Dense"),
  .description = N_("Fully connected: every output unit sees every input feature of the last axis"),
  .default_name = "dense",
  .category = NS_CATEGORY_CORE,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = dense_props,
  .n_props = NS_N_PROPS (dense_props),
  .infer = dense_infer,
  .explain = dense_explain,
  .describe = dense_describe,
  .weights = dense_weights,
  .forward = &ns_op_dense,
};

/* ---- Identity at inference: Dropout, SpatialDropout2D, GaussianNoise ------ */

static gboolean
identity_infer (const NsInferInput *in,
                NsInferResult      *out,
                GError            **error)
{
  out->output = *in->inputs[0];
  return TRUE;
}

static gboolean
spatial_identity_infer (const NsInferInput *in,
                        NsInferResult      *out,
                        GError            **error)
{
  if (!ns_infer_expect_rank (in, 0, 3, error))
    return FALSE;
  return identity_infer (in, out, error);
}

static void
identity_explain (const NsInferInput  *in,
                  const NsInferResult *out,
                  NsExplanation       *explanation)
{
  g_autofree char *shape = ns_shape_to_keras (&out->output);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), _("the input’s shape"),
                      NULL, shape, _("(active only in training; at inference it passes values through)"));
  ns_explain_no_params (explanation);
}

static char *
rate_describe (const NsInferInput *in)
{
  return g_strdup_printf ("%g", in->values[0].real);
}

static const NsPropDecl dropout_props[] = {
  { "rate", N_("Rate"), NS_PROP_DOUBLE, .min_real = 0.0, .max_real = 1.0, .default_json = "0.5" },
  { "seed", N_("Seed"), NS_PROP_INT, 0, G_MAXINT32, .default_json = "null",
    .flags = NS_PROP_FLAG_NULLABLE | NS_PROP_FLAG_ADVANCED },
};

static const NsPropDecl gaussian_noise_props[] = {
  { "stddev", N_("Standard deviation"), NS_PROP_DOUBLE, .min_real = 0.0, .max_real = 1e6,
    .default_json = "0.1" },
  { "seed", N_("Seed"), NS_PROP_INT, 0, G_MAXINT32, .default_json = "null",
    .flags = NS_PROP_FLAG_NULLABLE | NS_PROP_FLAG_ADVANCED },
};

static const NsLayerType dropout = {
  .keras_class = "Dropout",
  .label = N_("Dropout"),
  .description = N_("Zeroes a random fraction of values while training"),
  .default_name = "dropout",
  .category = NS_CATEGORY_CORE,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = dropout_props,
  .n_props = NS_N_PROPS (dropout_props),
  .infer = identity_infer,
  .explain = identity_explain,
  .describe = rate_describe,
  .forward = &ns_op_identity,
};

static const NsLayerType spatial_dropout_2d = {
  .keras_class = "SpatialDropout2D",
  .label = N_("Spatial dropout"),
  .description = N_("Zeroes whole random channels while training"),
  .default_name = "spatial_dropout2d",
  .category = NS_CATEGORY_CORE,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = dropout_props,
  .n_props = NS_N_PROPS (dropout_props),
  .infer = spatial_identity_infer,
  .explain = identity_explain,
  .describe = rate_describe,
  .forward = &ns_op_identity,
};

static const NsLayerType gaussian_noise = {
  .keras_class = "GaussianNoise",
  .label = N_("Gaussian noise"),
  .description = N_("Adds zero-mean noise while training"),
  .default_name = "gaussian_noise",
  .category = NS_CATEGORY_CORE,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = gaussian_noise_props,
  .n_props = NS_N_PROPS (gaussian_noise_props),
  .infer = identity_infer,
  .explain = identity_explain,
  .describe = rate_describe,
  .forward = &ns_op_identity,
};

const NsLayerType *const ns_core_layer_types[] = {
  &input_layer,
  &dense,
  &dropout,
  &spatial_dropout_2d,
  &gaussian_noise,
  NULL
};
