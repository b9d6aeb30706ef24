/* ns-layers-norm.c: BatchNormalization and LayerNormalization. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

static char *
axes_to_string (const NsValue *axes)
{
  GString *text;

  if (axes->ints.len == 1)
    return ns_signed_to_string (axes->ints.items[0]);
  text = g_string_new ("(");
  for (guint i = 0; i < axes->ints.len; i++)
    {
      g_autofree char *axis = ns_signed_to_string (axes->ints.items[i]);

      g_string_append_printf (text, i > 0 ? ", %s" : "%s", axis);
    }
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}

/* Multiplies the sizes of @axes (Keras numbering: 0 is the batch, negative
 * counts from the end), which hold one weight each. Fails for the batch axis,
 * axes past the rank and sizes unknown until run time. */
static gboolean
normalized_size (const NsValue *axes,
                 const NsShape *input,
                 gint64        *out_size,
                 char         **out_factors,
                 GError       **error)
{
  gint64 full_rank = (gint64) input->rank + 1;
  /* Inference runs on every edit: build the factor text only for explanations. */
  g_autoptr(GString) factors = out_factors != NULL ? g_string_new (NULL) : NULL;
  gint64 size = 1;

  if (axes->ints.len == 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE, _("no axis given"));
      return FALSE;
    }

  for (guint i = 0; i < axes->ints.len; i++)
    {
      gint64 axis = axes->ints.items[i];
      gint64 index = axis < 0 ? axis + full_rank : axis;
      g_autofree char *text = NULL;
      g_autofree char *shape = NULL;

      if (index <= 0 || index >= full_rank)
        {
          text = ns_signed_to_string (axis);
          shape = ns_shape_to_keras (input);
          if (index == 0)
            g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                         _("axis %s is the batch dimension of %s; normalize over 1…%u or −1…−%u"),
                         text, shape, input->rank, input->rank);
          else
            g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                         _("axis %s is out of range for the input %s (1…%u or −1…−%u)"),
                         text, shape, input->rank, input->rank);
          return FALSE;
        }
      if (input->dims[index - 1] == NS_DIM_NONE)
        {
          text = ns_signed_to_string (axis);
          shape = ns_shape_to_keras (input);
          g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                       _("axis %s of %s has no known size; its weights need one"), text, shape);
          return FALSE;
        }
      if (!ns_checked_mul (size, input->dims[index - 1], &size))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                       _("the weight count would be past what a 64-bit count holds"));
          return FALSE;
        }
      if (factors != NULL)
        g_string_append_printf (factors, i > 0 ? " × %" PRId64 : "%" PRId64,
                                input->dims[index - 1]);
    }
  *out_size = size;
  if (out_factors != NULL)
    *out_factors = g_strdup (factors->str);
  return TRUE;
}

/* γ, β (and the moving statistics) hold one value per position of the
 * normalized axes, kept flat when there are several. */
static gboolean
norm_weights (const NsInferInput *in,
              GArray             *specs,
              const NsValue      *axes,
              gboolean            center,
              gboolean            scale,
              gboolean            moving)
{
  gint64 size;

  if (in->n_inputs < 1 || !normalized_size (axes, in->inputs[0], &size, NULL, NULL))
    return FALSE;
  if (scale)
    ns_weight_spec_add (specs, "gamma", "ones", 1, size);
  if (center)
    ns_weight_spec_add (specs, "beta", "zeros", 1, size);
  if (moving)
    {
      ns_weight_spec_add (specs, "moving_mean", "zeros", 1, size);
      ns_weight_spec_add (specs, "moving_variance", "ones", 1, size);
    }
  return TRUE;
}

static void
explain_same_shape (const NsInferResult *out,
                    NsExplanation       *explanation)
{
  g_autofree char *shape = ns_shape_to_keras (&out->output);

  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"), NULL, NULL, shape,
                      _("(normalization keeps the input's shape)"));
}

/* ---- BatchNormalization --------------------------------------------------- */

enum {
  BN_AXIS,
  BN_MOMENTUM,
  BN_EPSILON,
  BN_CENTER,
  BN_SCALE,
};

static const NsPropDecl batch_norm_props[] = {
  /* tf.keras 2 writes a list ([3]), Keras 3 an int (-1). */
  [BN_AXIS] = {
    .key = "axis", .label = N_("Axis"), .kind = NS_PROP_INTS,
    .min = -(NS_MAX_RANK + 1), .max = NS_MAX_RANK, .default_json = "-1",
    .flags = NS_PROP_FLAG_INT_AXIS,
  },
  [BN_MOMENTUM] = {
    .key = "momentum", .label = N_("Momentum"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = 1.0, .default_json = "0.99",
    .flags = NS_PROP_FLAG_ADVANCED,
  },
  [BN_EPSILON] = {
    .key = "epsilon", .label = N_("Epsilon"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = 1.0, .default_json = "0.001",
    .flags = NS_PROP_FLAG_ADVANCED,
  },
  [BN_CENTER] = {
    .key = "center", .label = N_("Center (learn β)"), .kind = NS_PROP_BOOL,
    .default_json = "true",
  },
  [BN_SCALE] = {
    .key = "scale", .label = N_("Scale (learn γ)"), .kind = NS_PROP_BOOL,
    .default_json = "true",
  },
};

static gboolean
batch_norm_infer (const NsInferInput *in,
                  NsInferResult      *out,
                  GError            **error)
{
  const NsShape *input = in->inputs[0];
  gint64 channels, learned;

  if (!normalized_size (&in->values[BN_AXIS], input, &channels, NULL, error))
    return FALSE;
  learned = (in->values[BN_CENTER].boolean ? 1 : 0) + (in->values[BN_SCALE].boolean ? 1 : 0);
  if (!ns_infer_mul (&out->trainable_params, error, 2, learned, channels) ||
      !ns_infer_mul (&out->non_trainable_params, error, 2, (gint64) 2, channels) ||
      !ns_infer_set_output (out, input->rank, input->dims, error))
    return FALSE;
  /* At inference it folds into one multiply and one add per element. */
  return ns_infer_elementwise_flops (out, 2, error);
}

static void
batch_norm_explain (const NsInferInput  *in,
                    const NsInferResult *out,
                    NsExplanation       *explanation)
{
  gboolean center = in->values[BN_CENTER].boolean;
  gboolean scale = in->values[BN_SCALE].boolean;
  gint64 per_channel = 2 + (center ? 1 : 0) + (scale ? 1 : 0);
  g_autofree char *factors = NULL;
  g_autofree char *formula = NULL;
  g_autofree char *substituted = NULL;
  g_autofree char *result = NULL;
  g_autofree char *trainable = ns_format_count (out->trainable_params);
  g_autofree char *fixed = ns_format_count (out->non_trainable_params);
  g_autofree char *note = NULL;
  gint64 channels;

  explain_same_shape (out, explanation);
  if (!normalized_size (&in->values[BN_AXIS], in->inputs[0], &channels, &factors, NULL))
    return;

  formula = g_strdup_printf ("%" PRId64 "·C", per_channel);
  substituted = g_strdup_printf (strchr (factors, ' ') ? "%" PRId64 " × (%s)"
                                                       : "%" PRId64 " × %s",
                                 per_channel, factors);
  result = ns_format_count (out->trainable_params + out->non_trainable_params);
  if (center && scale)
    note = g_strdup_printf (_("(%s trainable: γ, β; %s not: moving mean, variance)"),
                            trainable, fixed);
  else if (scale)
    note = g_strdup_printf (_("(%s trainable: γ; %s not: moving mean, variance)"),
                            trainable, fixed);
  else if (center)
    note = g_strdup_printf (_("(%s trainable: β; %s not: moving mean, variance)"),
                            trainable, fixed);
  else
    note = g_strdup_printf (_("(none trainable; %s not: moving mean, variance)"), fixed);
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"), formula,
                      substituted, result, note);
  ns_explain_elementwise_flops (out, 2, _("(N output elements; folded into one multiply and one add each)"), explanation);
}

static char *
batch_norm_describe (const NsInferInput *in)
{
  g_autofree char *axes = axes_to_string (&in->values[BN_AXIS]);

  /* Translators: a layer’s one-line summary on the canvas: "axis -1". */
  return g_strdup_printf (_("axis %s"), axes);
}

static gboolean
batch_norm_weights (const NsInferInput *in,
                    GArray             *specs)
{
  return norm_weights (in, specs, &in->values[BN_AXIS], in->values[BN_CENTER].boolean,
                       in->values[BN_SCALE].boolean, TRUE);
}

static const NsLayerType batch_normalization = {
  .keras_class = "BatchNormalization",
  .aliases = (const char *const[]) { "BatchNormalizationV1", "BatchNormalizationV2", NULL },
  .label = N_("Batch normalization"),
  .description = N_("Normalizes each channel with batch statistics, then scales and shifts it"),
  .default_name = "batch_normalization",
  .category = NS_CATEGORY_NORMALIZATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = batch_norm_props,
  .n_props = NS_N_PROPS (batch_norm_props),
  .infer = batch_norm_infer,
  .explain = batch_norm_explain,
  .describe = batch_norm_describe,
  .weights = batch_norm_weights,
  .forward = &ns_op_batch_normalization,
};

/* ---- LayerNormalization --------------------------------------------------- */

enum {
  LN_AXIS,
  LN_EPSILON,
  LN_CENTER,
  LN_SCALE,
};

static const NsPropDecl layer_norm_props[] = {
  [LN_AXIS] = {
    .key = "axis", .label = N_("Axis"), .kind = NS_PROP_INTS,
    .min = -(NS_MAX_RANK + 1), .max = NS_MAX_RANK, .default_json = "-1",
    .flags = NS_PROP_FLAG_INT_AXIS,
  },
  [LN_EPSILON] = {
    .key = "epsilon", .label = N_("Epsilon"), .kind = NS_PROP_DOUBLE,
    .min_real = 0.0, .max_real = 1.0, .default_json = "0.001",
    .flags = NS_PROP_FLAG_ADVANCED,
  },
  [LN_CENTER] = {
    .key = "center", .label = N_("Center (learn β)"), .kind = NS_PROP_BOOL,
    .default_json = "true",
  },
  [LN_SCALE] = {
    .key = "scale", .label = N_("Scale (learn γ)"), .kind = NS_PROP_BOOL,
    .default_json = "true",
  },
};

/* Mean, variance and normalizing: about eight operations per element. */
#define LAYER_NORM_FLOPS 8

static gboolean
layer_norm_infer (const NsInferInput *in,
                  NsInferResult      *out,
                  GError            **error)
{
  const NsShape *input = in->inputs[0];
  gint64 size, learned;

  if (!normalized_size (&in->values[LN_AXIS], input, &size, NULL, error))
    return FALSE;
  learned = (in->values[LN_CENTER].boolean ? 1 : 0) + (in->values[LN_SCALE].boolean ? 1 : 0);
  if (!ns_infer_mul (&out->trainable_params, error, 2, learned, size) ||
      !ns_infer_set_output (out, input->rank, input->dims, error))
    return FALSE;
  return ns_infer_elementwise_flops (out, LAYER_NORM_FLOPS, error);
}

static void
layer_norm_explain (const NsInferInput  *in,
                    const NsInferResult *out,
                    NsExplanation       *explanation)
{
  gboolean center = in->values[LN_CENTER].boolean;
  gboolean scale = in->values[LN_SCALE].boolean;
  gint64 per_channel = (center ? 1 : 0) + (scale ? 1 : 0);
  g_autofree char *factors = NULL;
  g_autofree char *formula = NULL;
  g_autofree char *substituted = NULL;
  g_autofree char *result = NULL;
  const char *note;
  gint64 size;

  explain_same_shape (out, explanation);
  if (!normalized_size (&in->values[LN_AXIS], in->inputs[0], &size, &factors, NULL))
    return;

  if (per_channel == 0)
    {
      ns_explain_no_params (explanation);
      return;
    }
  formula = g_strdup_printf ("%" PRId64 "·C", per_channel);
  substituted = g_strdup_printf (strchr (factors, ' ') ? "%" PRId64 " × (%s)"
                                                       : "%" PRId64 " × %s",
                                 per_channel, factors);
  result = ns_format_count (out->trainable_params);
  note = center && scale ? _("(all trainable: γ, β)")
         : scale ? _("(all trainable: γ)") : _("(all trainable: β)");
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"), formula,
                      substituted, result, note);
  ns_explain_elementwise_flops (out, LAYER_NORM_FLOPS,
                             _("(N output elements; mean, variance, normalizing, scale and shift)"), explanation);
}

static char *
layer_norm_describe (const NsInferInput *in)
{
  g_autofree char *axes = axes_to_string (&in->values[LN_AXIS]);

  /* Translators: a layer’s one-line summary on the canvas: "axis -1". */
  return g_strdup_printf (_("axis %s"), axes);
}

static gboolean
layer_norm_weights (const NsInferInput *in,
                    GArray             *specs)
{
  return norm_weights (in, specs, &in->values[LN_AXIS], in->values[LN_CENTER].boolean,
                       in->values[LN_SCALE].boolean, FALSE);
}

static const NsLayerType layer_normalization = {
  .keras_class = "LayerNormalization",
  .label = N_("Layer normalization"),
  .description = N_("Normalizes each sample over its last axis, then scales and shifts it"),
  .default_name = "layer_normalization",
  .category = NS_CATEGORY_NORMALIZATION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = layer_norm_props,
  .n_props = NS_N_PROPS (layer_norm_props),
  .infer = layer_norm_infer,
  .explain = layer_norm_explain,
  .describe = layer_norm_describe,
  .weights = layer_norm_weights,
  .forward = &ns_op_layer_normalization,
};

const NsLayerType *const ns_norm_layer_types[] = {
  &batch_normalization,
  &layer_normalization,
  NULL,
};
