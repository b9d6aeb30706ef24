/* ns-layers-conv.c: Conv2D, Conv2DTranspose, DepthwiseConv2D, SeparableConv2D. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

const char *const ns_initializer_choices[] = {
  "glorot_uniform", "glorot_normal", "he_normal", "he_uniform", "lecun_normal",
  "lecun_uniform", "random_normal", "random_uniform", "truncated_normal", "orthogonal",
  "zeros", "ones", NULL
};

#define MAX_CHANNELS ((gint64) 1 << 24)
#define MAX_WINDOW   ((gint64) 1 << 16)

#define PROP_FILTERS(def) \
  { "filters", N_("Filters"), NS_PROP_INT, 1, MAX_CHANNELS, .default_json = def }
#define PROP_KERNEL \
  { "kernel_size", N_("Kernel size"), NS_PROP_PAIR, 1, MAX_WINDOW, .default_json = "[3, 3]" }
#define PROP_STRIDES \
  { "strides", N_("Strides"), NS_PROP_PAIR, 1, MAX_WINDOW, .default_json = "[1, 1]" }
#define PROP_PADDING \
  { "padding", N_("Padding"), NS_PROP_PADDING, 0, MAX_WINDOW, .default_json = "\"valid\"" }
#define PROP_DILATION \
  { "dilation_rate", N_("Dilation rate"), NS_PROP_PAIR, 1, MAX_WINDOW, .default_json = "[1, 1]", \
    .flags = NS_PROP_FLAG_ADVANCED }
#define PROP_DEPTH_MULTIPLIER \
  { "depth_multiplier", N_("Depth multiplier"), NS_PROP_INT, 1, MAX_CHANNELS, .default_json = "1" }
#define PROP_ACTIVATION \
  { "activation", N_("Activation"), NS_PROP_CHOICE, .choices = ns_activation_choices, \
    .default_json = "\"linear\"" }
#define PROP_USE_BIAS \
  { "use_bias", N_("Use bias"), NS_PROP_BOOL, .default_json = "true" }
#define PROP_INITIALIZER(key, label, def) \
  { key, label, NS_PROP_CHOICE, .choices = ns_initializer_choices, .default_json = def, \
    .flags = NS_PROP_FLAG_ADVANCED }

/* ---- Shared pieces ------------------------------------------------------ */

/* "64 @ 3×3 /2 same, relu": filters @ kernel /stride padding, activation. */
static char *
describe_window (gint64         filters,
                 const gint64   kernel[2],
                 const gint64   stride[2],
                 const gint64   dilation[2],
                 const NsValue *padding,
                 guint          activation)
{
  GString *s = g_string_new (NULL);

  if (filters > 0)
    g_string_append_printf (s, "%" PRId64 " @ ", filters);
  g_string_append_printf (s, "%" PRId64 "×%" PRId64, kernel[0], kernel[1]);
  if (stride[0] == stride[1])
    g_string_append_printf (s, " /%" PRId64, stride[0]);
  else
    g_string_append_printf (s, " /%" PRId64 "×%" PRId64, stride[0], stride[1]);
  if (dilation != NULL && (dilation[0] != 1 || dilation[1] != 1))
    g_string_append_printf (s, " d%" PRId64, MAX (dilation[0], dilation[1]));
  if (padding->padding.mode == NS_PADDING_EXPLICIT)
    /* Translators: explicit padding in a layer’s one-line summary on the canvas: " pad 1×1". */
    g_string_append_printf (s, _(" pad %" PRId64 "×%" PRId64),
                            padding->padding.explicit_hw[0], padding->padding.explicit_hw[1]);
  else
    g_string_append (s, padding->padding.mode == NS_PADDING_SAME ? " same" : " valid");
  if (activation != 0)
    g_string_append_printf (s, ", %s", ns_activation_choices[activation]);
  return g_string_free (s, FALSE);
}

static gboolean
check_dilation_with_stride (const gint64   stride[2],
                            const gint64   dilation[2],
                            GError       **error)
{
  if ((stride[0] > 1 || stride[1] > 1) && (dilation[0] > 1 || dilation[1] > 1))
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("strides %" PRId64 "×%" PRId64 " cannot be combined with "
                     "dilation %" PRId64 "×%" PRId64 ": Keras allows one of "
                     "them above 1, not both"),
                   stride[0], stride[1], dilation[0], dilation[1]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
known_channels (const NsShape  *input,
                gint64         *channels,
                GError        **error)
{
  *channels = input->dims[input->rank - 1];
  if (*channels == NS_DIM_NONE)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                   _("the number of input channels must be known, got None"));
      return FALSE;
    }
  return TRUE;
}

static void
explain_macs (NsExplanation *explanation,
              const char    *formula,
              const char    *substituted,
              gint64         macs)
{
  g_autofree char *result = ns_format_count (macs);

  ns_explanation_add (explanation, NS_EXPLAIN_COST, _("Multiply–accumulates"),
                      formula, substituted, result, NULL);
}

/* (Fh·Fw·C + 1)·K with or without the bias term, as the article writes it. */
static void
explain_kernel_params (NsExplanation *explanation,
                       const gint64   kernel[2],
                       gint64         channels,
                       gint64         filters,
                       gboolean       use_bias,
                       gint64         params)
{
  g_autofree char *result = ns_format_count (params);
  g_autofree char *substituted = NULL;

  if (use_bias)
    substituted = g_strdup_printf ("(%" PRId64 "×%" PRId64 "×%" PRId64
                                   " + 1) × %" PRId64,
                                   kernel[0], kernel[1], channels, filters);
  else
    substituted = g_strdup_printf ("%" PRId64 "×%" PRId64 "×%" PRId64
                                   " × %" PRId64,
                                   kernel[0], kernel[1], channels, filters);
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"),
                      use_bias ? "(Fh·Fw·C + 1)·K" : "Fh·Fw·C·K", substituted, result,
                      use_bias ? _("(a weight per kernel cell and input channel, plus a bias, per filter)")
                               : _("(a weight per kernel cell and input channel, per filter)"));
}

/* ---- Conv2D ------------------------------------------------------------- */

enum {
  CONV_FILTERS, CONV_KERNEL, CONV_STRIDES, CONV_PADDING, CONV_DILATION, CONV_GROUPS,
  CONV_ACTIVATION, CONV_USE_BIAS, CONV_KERNEL_INIT, CONV_BIAS_INIT
};

static const NsPropDecl conv2d_props[] = {
  PROP_FILTERS ("32"),
  PROP_KERNEL,
  PROP_STRIDES,
  PROP_PADDING,
  PROP_DILATION,
  { "groups", N_("Groups"), NS_PROP_INT, 1, MAX_CHANNELS, .default_json = "1",
    .flags = NS_PROP_FLAG_ADVANCED },
  PROP_ACTIVATION,
  PROP_USE_BIAS,
  PROP_INITIALIZER ("kernel_initializer", N_("Kernel initializer"), "\"glorot_uniform\""),
  PROP_INITIALIZER ("bias_initializer", N_("Bias initializer"), "\"zeros\""),
};

static gboolean
conv2d_infer (const NsInferInput *in,
              NsInferResult      *out,
              GError            **error)
{
  const NsValue *v = in->values;
  gint64 filters = v[CONV_FILTERS].integer, groups = v[CONV_GROUPS].integer;
  gint64 channels, hw[2], dims[3], weights;

  if (!ns_infer_expect_rank (in, 0, 3, error) ||
      !known_channels (in->inputs[0], &channels, error) ||
      !check_dilation_with_stride (v[CONV_STRIDES].pair, v[CONV_DILATION].pair, error))
    return FALSE;
  if (channels % groups != 0 || filters % groups != 0)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                   _("%" PRId64 " groups must divide both the %" PRId64
                     " input channels and the %" PRId64 " filters"),
                   groups, channels, filters);
      return FALSE;
    }
  if (!ns_infer_window_2d (in, 0, v[CONV_KERNEL].pair, v[CONV_STRIDES].pair, v[CONV_DILATION].pair,
                           &v[CONV_PADDING], hw, out, error))
    return FALSE;

  dims[0] = hw[0], dims[1] = hw[1], dims[2] = filters;
  if (!ns_infer_set_output (out, 3, dims, error) ||
      !ns_infer_mul (&weights, error, 4, v[CONV_KERNEL].pair[0], v[CONV_KERNEL].pair[1],
                     channels / groups, filters))
    return FALSE;
  out->trainable_params = weights + (v[CONV_USE_BIAS].boolean ? filters : 0);
  if (hw[0] != NS_DIM_NONE && hw[1] != NS_DIM_NONE &&
      !ns_infer_mul (&out->macs, error, 3, weights, hw[0], hw[1]))
    return FALSE;
  return TRUE;
}

static void
conv2d_explain (const NsInferInput  *in,
                const NsInferResult *out,
                NsExplanation       *explanation)
{
  const NsValue *v = in->values;
  const gint64 *k = v[CONV_KERNEL].pair;
  gint64 channels = in->inputs[0]->dims[2] / v[CONV_GROUPS].integer;
  g_autofree char *macs = NULL;
  g_autofree char *filters = g_strdup_printf ("%" PRId64, v[CONV_FILTERS].integer);

  ns_explain_window_2d (in, 0, k, v[CONV_STRIDES].pair, v[CONV_DILATION].pair, &v[CONV_PADDING],
                        out, explanation);
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output channels"), "K", NULL, filters,
                      _("(one per filter)"));
  explain_kernel_params (explanation, k, channels, v[CONV_FILTERS].integer,
                         v[CONV_USE_BIAS].boolean, out->trainable_params);
  macs = g_strdup_printf ("%" PRId64 "×%" PRId64 "×%" PRId64
                          "×%" PRId64 "×%" PRId64 "×%" PRId64,
                          out->output.dims[0], out->output.dims[1], v[CONV_FILTERS].integer,
                          k[0], k[1], channels);
  explain_macs (explanation, "Ho·Wo·K·Fh·Fw·C", macs, out->macs);
}

static char *
conv2d_describe (const NsInferInput *in)
{
  const NsValue *v = in->values;

  return describe_window (v[CONV_FILTERS].integer, v[CONV_KERNEL].pair, v[CONV_STRIDES].pair,
                          v[CONV_DILATION].pair, &v[CONV_PADDING], v[CONV_ACTIVATION].choice);
}

static gboolean
conv2d_weights (const NsInferInput *in,
                GArray             *specs)
{
  const NsValue *v = in->values;
  gint64 channels, filters = v[CONV_FILTERS].integer;

  if (!ns_weights_last_axis (in, 0, &channels))
    return FALSE;
  ns_weight_spec_add (specs, "kernel", ns_initializer_choices[v[CONV_KERNEL_INIT].choice], 4,
                      v[CONV_KERNEL].pair[0], v[CONV_KERNEL].pair[1],
                      channels / MAX (v[CONV_GROUPS].integer, 1), filters);
  if (v[CONV_USE_BIAS].boolean)
    ns_weight_spec_add (specs, "bias", ns_initializer_choices[v[CONV_BIAS_INIT].choice], 1, filters);
  return TRUE;
}

static const NsLayerType conv2d = {
  .keras_class = "Conv2D",
  .aliases = (const char *const[]) { "Convolution2D", NULL },
  .label = N_("2D convolution"),
  .description = N_("Slides learned filters over the image; each filter gives one output channel"),
  .default_name = "conv2d",
  .category = NS_CATEGORY_CONVOLUTION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = conv2d_props,
  .n_props = NS_N_PROPS (conv2d_props),
  .infer = conv2d_infer,
  .explain = conv2d_explain,
  .describe = conv2d_describe,
  .weights = conv2d_weights,
  .forward = &ns_op_conv2d,
};

/* ---- Conv2DTranspose ---------------------------------------------------- */

enum {
  DECONV_FILTERS, DECONV_KERNEL, DECONV_STRIDES, DECONV_PADDING, DECONV_OUTPUT_PADDING,
  DECONV_DILATION, DECONV_ACTIVATION, DECONV_USE_BIAS, DECONV_KERNEL_INIT, DECONV_BIAS_INIT
};

static const NsPropDecl conv2d_transpose_props[] = {
  PROP_FILTERS ("32"),
  PROP_KERNEL,
  PROP_STRIDES,
  PROP_PADDING,
  { "output_padding", N_("Output padding"), NS_PROP_PAIR, 0, MAX_WINDOW, .default_json = "null",
    .flags = NS_PROP_FLAG_NULLABLE | NS_PROP_FLAG_ADVANCED },
  PROP_DILATION,
  PROP_ACTIVATION,
  PROP_USE_BIAS,
  PROP_INITIALIZER ("kernel_initializer", N_("Kernel initializer"), "\"glorot_uniform\""),
  PROP_INITIALIZER ("bias_initializer", N_("Bias initializer"), "\"zeros\""),
};

static gboolean
conv2d_transpose_infer (const NsInferInput *in,
                        NsInferResult      *out,
                        GError            **error)
{
  const NsValue *v = in->values;
  const NsShape *input = in->inputs[0];
  const gint64 *k = v[DECONV_KERNEL].pair, *s = v[DECONV_STRIDES].pair, *d = v[DECONV_DILATION].pair;
  gint64 filters = v[DECONV_FILTERS].integer;
  gint64 channels, dims[3], weights;

  if (!ns_infer_expect_rank (in, 0, 3, error) ||
      !known_channels (input, &channels, error) ||
      !check_dilation_with_stride (s, d, error))
    return FALSE;

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 op = v[DECONV_OUTPUT_PADDING].is_null ? -1 : v[DECONV_OUTPUT_PADDING].pair[axis];
      gint64 pad = v[DECONV_PADDING].padding.mode == NS_PADDING_EXPLICIT
                     ? v[DECONV_PADDING].padding.explicit_hw[axis] : 0;

      if (op >= s[axis] && op >= d[axis])
        {
          g_set_error (error, NS_ERROR, NS_ERROR_INVALID_VALUE,
                       _("output padding %" PRId64 " must be smaller than the stride %"
                         PRId64 " or the dilation %" PRId64),
                       op, s[axis], d[axis]);
          return FALSE;
        }
      if (input->dims[axis] != NS_DIM_NONE && input->dims[axis] > G_MAXINT64 / (4 * MAX_WINDOW))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                       _("the input size %" PRId64 " times the stride overflows a "
                         "64-bit integer"), input->dims[axis]);
          return FALSE;
        }
      dims[axis] = ns_conv_transpose_output_size (input->dims[axis], k[axis], s[axis], d[axis],
                                                  v[DECONV_PADDING].padding.mode, pad, op);
      /* One output position gathers from about ⌈span/S⌉ inputs, ½ of a stride apart. */
      out->rf_window[axis] = ((d[axis] * (k[axis] - 1) + 1) + s[axis] - 1) / s[axis];
      out->rf_step[axis] = 1.0 / (double) s[axis];
    }
  dims[2] = filters;
  if (!ns_infer_set_output (out, 3, dims, error) ||
      !ns_infer_mul (&weights, error, 4, k[0], k[1], channels, filters))
    return FALSE;
  out->trainable_params = weights + (v[DECONV_USE_BIAS].boolean ? filters : 0);
  /* Every input position scatters its kernel-sized patch into the output. */
  if (input->dims[0] != NS_DIM_NONE && input->dims[1] != NS_DIM_NONE &&
      !ns_infer_mul (&out->macs, error, 3, weights, input->dims[0], input->dims[1]))
    return FALSE;
  return TRUE;
}

static void
conv2d_transpose_explain (const NsInferInput  *in,
                          const NsInferResult *out,
                          NsExplanation       *explanation)
{
  const NsValue *v = in->values;
  const gint64 *k = v[DECONV_KERNEL].pair, *s = v[DECONV_STRIDES].pair, *d = v[DECONV_DILATION].pair;
  const char *titles[2] = { _("Output height"), _("Output width") };
  const char *general_titles[2] = { _("Output height, general form"), _("Output width, general form") };
  NsPaddingMode mode = v[DECONV_PADDING].padding.mode;
  g_autofree char *macs = NULL;

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 w = in->inputs[0]->dims[axis], n = out->output.dims[axis];
      gint64 f = d[axis] * (k[axis] - 1) + 1;
      gint64 op = v[DECONV_OUTPUT_PADDING].is_null ? -1 : v[DECONV_OUTPUT_PADDING].pair[axis];
      g_autofree char *result = g_strdup_printf ("%" PRId64, n);
      g_autofree char *sub = NULL;
      g_autofree char *article = NULL;
      g_autofree char *note = NULL;
      gint64 two_p;

      if (w == NS_DIM_NONE)
        {
          ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, titles[axis], NULL, NULL, "None",
                              _("(unknown until run time)"));
          continue;
        }

      if (mode == NS_PADDING_SAME && op < 0)
        {
          sub = g_strdup_printf ("%" PRId64 "·%" PRId64, w, s[axis]);
          ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, titles[axis], "N = W·S", sub, result,
                              _("(Keras’ rule for “same”)"));
        }
      else if (mode == NS_PADDING_VALID && op < 0)
        {
          sub = g_strdup_printf ("%" PRId64 "·%" PRId64 " + max(%" PRId64
                                 " − %" PRId64 ", 0)", w, s[axis], f, s[axis]);
          ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, titles[axis], "N = W·S + max(F − S, 0)",
                              sub, result, _("(Keras’ rule for “valid”)"));
        }

      /* The general form, as the article writes it: N = (W − 1)·S − 2P + F (+ OP). */
      two_p = (w - 1) * s[axis] + f + MAX (op, 0) - n;
      if (op > 0)
        article = g_strdup_printf ("(%" PRId64 " − 1)·%" PRId64 " − %" PRId64
                                   " + %" PRId64 " + %" PRId64,
                                   w, s[axis], two_p, f, op);
      else
        article = g_strdup_printf ("(%" PRId64 " − 1)·%" PRId64 " − %" PRId64
                                   " + %" PRId64, w, s[axis], two_p, f);
      if (two_p % 2 != 0)
        note = g_strdup_printf (_("(2P = %" PRId64 ": the odd pixel is cropped at the end)"),
                                two_p);
      else if (mode != NS_PADDING_EXPLICIT)
        note = g_strdup_printf (_("(the same as P = %" PRId64 ")"), two_p / 2);
      ns_explanation_add (explanation, NS_EXPLAIN_SHAPE,
                          mode == NS_PADDING_EXPLICIT || op >= 0 ? titles[axis] : general_titles[axis],
                          op > 0 ? "N = (W − 1)·S − 2P + F + OP" : "N = (W − 1)·S − 2P + F",
                          article, result, note);
    }
  explain_kernel_params (explanation, k, in->inputs[0]->dims[2], v[DECONV_FILTERS].integer,
                         v[DECONV_USE_BIAS].boolean, out->trainable_params);
  macs = g_strdup_printf ("%" PRId64 "×%" PRId64 "×%" PRId64
                          "×%" PRId64 "×%" PRId64 "×%" PRId64,
                          in->inputs[0]->dims[0], in->inputs[0]->dims[1], in->inputs[0]->dims[2],
                          k[0], k[1], v[DECONV_FILTERS].integer);
  explain_macs (explanation, "H·W·C·Fh·Fw·K", macs, out->macs);
}

static char *
conv2d_transpose_describe (const NsInferInput *in)
{
  const NsValue *v = in->values;

  return describe_window (v[DECONV_FILTERS].integer, v[DECONV_KERNEL].pair, v[DECONV_STRIDES].pair,
                          v[DECONV_DILATION].pair, &v[DECONV_PADDING], v[DECONV_ACTIVATION].choice);
}

/* Keras keeps the transposed kernel as (Fh, Fw, filters, input channels). */
static gboolean
conv2d_transpose_weights (const NsInferInput *in,
                          GArray             *specs)
{
  const NsValue *v = in->values;
  gint64 channels, filters = v[DECONV_FILTERS].integer;

  if (!ns_weights_last_axis (in, 0, &channels))
    return FALSE;
  ns_weight_spec_add (specs, "kernel", ns_initializer_choices[v[DECONV_KERNEL_INIT].choice], 4,
                      v[DECONV_KERNEL].pair[0], v[DECONV_KERNEL].pair[1], filters, channels);
  if (v[DECONV_USE_BIAS].boolean)
    ns_weight_spec_add (specs, "bias", ns_initializer_choices[v[DECONV_BIAS_INIT].choice], 1, filters);
  return TRUE;
}

static const NsLayerType conv2d_transpose = {
  .keras_class = "Conv2DTranspose",
  .aliases = (const char *const[]) { "Deconvolution2D", "Convolution2DTranspose", NULL },
  .label = N_("2D transposed convolution"),
  .description = N_("Spreads each input pixel over a learned kernel; with stride 2 it doubles the size"),
  .default_name = "conv2d_transpose",
  .category = NS_CATEGORY_CONVOLUTION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = conv2d_transpose_props,
  .n_props = NS_N_PROPS (conv2d_transpose_props),
  .infer = conv2d_transpose_infer,
  .explain = conv2d_transpose_explain,
  .describe = conv2d_transpose_describe,
  .weights = conv2d_transpose_weights,
  .forward = &ns_op_conv2d_transpose,
};

/* ---- DepthwiseConv2D and SeparableConv2D -------------------------------- */

enum {
  DW_KERNEL, DW_STRIDES, DW_PADDING, DW_DEPTH_MULTIPLIER, DW_DILATION, DW_ACTIVATION, DW_USE_BIAS,
  DW_DEPTHWISE_INIT, DW_BIAS_INIT
};

static const NsPropDecl depthwise_props[] = {
  PROP_KERNEL,
  PROP_STRIDES,
  PROP_PADDING,
  PROP_DEPTH_MULTIPLIER,
  PROP_DILATION,
  PROP_ACTIVATION,
  PROP_USE_BIAS,
  PROP_INITIALIZER ("depthwise_initializer", N_("Depthwise initializer"), "\"glorot_uniform\""),
  PROP_INITIALIZER ("bias_initializer", N_("Bias initializer"), "\"zeros\""),
};

/* Separable = depthwise then a 1×1 pointwise conv; its props extend the depthwise ones. */
enum {
  SEP_FILTERS = DW_BIAS_INIT + 1, SEP_POINTWISE_INIT
};

static const NsPropDecl separable_props[] = {
  PROP_KERNEL,
  PROP_STRIDES,
  PROP_PADDING,
  PROP_DEPTH_MULTIPLIER,
  PROP_DILATION,
  PROP_ACTIVATION,
  PROP_USE_BIAS,
  PROP_INITIALIZER ("depthwise_initializer", N_("Depthwise initializer"), "\"glorot_uniform\""),
  PROP_INITIALIZER ("bias_initializer", N_("Bias initializer"), "\"zeros\""),
  PROP_FILTERS ("32"),
  PROP_INITIALIZER ("pointwise_initializer", N_("Pointwise initializer"), "\"glorot_uniform\""),
};

static gboolean
depthwise_like_infer (const NsInferInput *in,
                      NsInferResult      *out,
                      gboolean            separable,
                      GError            **error)
{
  const NsValue *v = in->values;
  gint64 m = v[DW_DEPTH_MULTIPLIER].integer;
  gint64 channels, hw[2], dims[3], mid, depthwise, pointwise = 0, filters;
  gboolean bias = v[DW_USE_BIAS].boolean;

  if (!ns_infer_expect_rank (in, 0, 3, error) ||
      !known_channels (in->inputs[0], &channels, error) ||
      !check_dilation_with_stride (v[DW_STRIDES].pair, v[DW_DILATION].pair, error) ||
      !ns_infer_window_2d (in, 0, v[DW_KERNEL].pair, v[DW_STRIDES].pair, v[DW_DILATION].pair,
                           &v[DW_PADDING], hw, out, error) ||
      !ns_infer_mul (&mid, error, 2, channels, m) ||
      !ns_infer_mul (&depthwise, error, 3, v[DW_KERNEL].pair[0], v[DW_KERNEL].pair[1], mid))
    return FALSE;

  filters = separable ? v[SEP_FILTERS].integer : mid;
  if (separable && !ns_infer_mul (&pointwise, error, 2, mid, filters))
    return FALSE;
  dims[0] = hw[0], dims[1] = hw[1], dims[2] = filters;
  if (!ns_infer_set_output (out, 3, dims, error))
    return FALSE;
  /* Keras: the depthwise layer's bias is per output channel; the separable one's after pointwise. */
  out->trainable_params = depthwise + pointwise + (bias ? filters : 0);
  if (hw[0] != NS_DIM_NONE && hw[1] != NS_DIM_NONE &&
      !ns_infer_mul (&out->macs, error, 3, depthwise + pointwise, hw[0], hw[1]))
    return FALSE;
  return TRUE;
}

static gboolean
depthwise_infer (const NsInferInput *in,
                 NsInferResult      *out,
                 GError            **error)
{
  return depthwise_like_infer (in, out, FALSE, error);
}

static gboolean
separable_infer (const NsInferInput *in,
                 NsInferResult      *out,
                 GError            **error)
{
  return depthwise_like_infer (in, out, TRUE, error);
}

static void
depthwise_like_explain (const NsInferInput  *in,
                        const NsInferResult *out,
                        NsExplanation       *explanation,
                        gboolean             separable)
{
  const NsValue *v = in->values;
  const gint64 *k = v[DW_KERNEL].pair;
  gint64 c = in->inputs[0]->dims[2], m = v[DW_DEPTH_MULTIPLIER].integer;
  gboolean bias = v[DW_USE_BIAS].boolean;
  g_autofree char *result = ns_format_count (out->trainable_params);
  g_autofree char *sub = NULL;
  g_autofree char *macs = NULL;
  g_autofree char *bias_term = NULL;

  ns_explain_window_2d (in, 0, k, v[DW_STRIDES].pair, v[DW_DILATION].pair, &v[DW_PADDING], out,
                        explanation);
  if (!separable)
    {
      sub = g_strdup_printf ("%" PRId64 "×%" PRId64 "×%" PRId64 "×%"
                             PRId64 "%s", k[0], k[1], c, m,
                             bias ? (bias_term = g_strdup_printf (" + %" PRId64 "×%"
                                                                  PRId64, c, m))
                                  : "");
      ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"),
                          bias ? "Fh·Fw·C·M + C·M" : "Fh·Fw·C·M", sub, result,
                          _("(one kernel per input channel and multiplier)"));
    }
  else
    {
      gint64 k_out = v[SEP_FILTERS].integer;
      sub = g_strdup_printf ("%" PRId64 "×%" PRId64 "×%" PRId64 "×%"
                             PRId64 " + %" PRId64 "×%" PRId64 "×%"
                             PRId64 "%s", k[0], k[1], c, m, c, m, k_out,
                             bias ? (bias_term = g_strdup_printf (" + %" PRId64, k_out))
                                  : "");
      ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"),
                          bias ? "Fh·Fw·C·M + C·M·K + K" : "Fh·Fw·C·M + C·M·K", sub, result,
                          _("(a depthwise kernel per channel, then a 1×1 convolution to K filters)"));
    }
  macs = g_strdup_printf ("%" PRId64 "×%" PRId64 " × %" PRId64,
                          out->output.dims[0], out->output.dims[1],
                          out->trainable_params - (bias ? out->output.dims[2] : 0));
  explain_macs (explanation, _("Ho·Wo·(weights without bias)"), macs, out->macs);
}

static void
depthwise_explain (const NsInferInput  *in,
                   const NsInferResult *out,
                   NsExplanation       *explanation)
{
  depthwise_like_explain (in, out, explanation, FALSE);
}

static void
separable_explain (const NsInferInput  *in,
                   const NsInferResult *out,
                   NsExplanation       *explanation)
{
  depthwise_like_explain (in, out, explanation, TRUE);
}

static char *
depthwise_describe (const NsInferInput *in)
{
  const NsValue *v = in->values;
  g_autofree char *window = describe_window (0, v[DW_KERNEL].pair, v[DW_STRIDES].pair,
                                             v[DW_DILATION].pair, &v[DW_PADDING],
                                             v[DW_ACTIVATION].choice);

  return g_strdup_printf ("×%" PRId64 " @ %s", v[DW_DEPTH_MULTIPLIER].integer, window);
}

static char *
separable_describe (const NsInferInput *in)
{
  const NsValue *v = in->values;

  return describe_window (v[SEP_FILTERS].integer, v[DW_KERNEL].pair, v[DW_STRIDES].pair,
                          v[DW_DILATION].pair, &v[DW_PADDING], v[DW_ACTIVATION].choice);
}

/* Separable's props extend the depthwise ones with its filters. */
static gboolean
depthwise_like_weights (const NsInferInput *in,
                        GArray             *specs)
{
  const NsValue *v = in->values;
  gboolean separable = in->type->n_props > SEP_FILTERS;
  gint64 m = v[DW_DEPTH_MULTIPLIER].integer, channels, filters;

  if (!ns_weights_last_axis (in, 0, &channels))
    return FALSE;
  filters = separable ? v[SEP_FILTERS].integer : channels * m;
  ns_weight_spec_add (specs, "depthwise_kernel", ns_initializer_choices[v[DW_DEPTHWISE_INIT].choice], 4,
                      v[DW_KERNEL].pair[0], v[DW_KERNEL].pair[1], channels, m);
  if (separable)
    ns_weight_spec_add (specs, "pointwise_kernel", ns_initializer_choices[v[SEP_POINTWISE_INIT].choice], 4,
                        (gint64) 1, (gint64) 1, channels * m, filters);
  if (v[DW_USE_BIAS].boolean)
    ns_weight_spec_add (specs, "bias", ns_initializer_choices[v[DW_BIAS_INIT].choice], 1, filters);
  return TRUE;
}

static const NsLayerType depthwise_conv2d = {
  .keras_class = "DepthwiseConv2D",
  .label = N_("Depthwise 2D convolution"),
  .description = N_("Filters each input channel on its own, with its own kernel"),
  .default_name = "depthwise_conv2d",
  .category = NS_CATEGORY_CONVOLUTION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = depthwise_props,
  .n_props = NS_N_PROPS (depthwise_props),
  .infer = depthwise_infer,
  .explain = depthwise_explain,
  .describe = depthwise_describe,
  .weights = depthwise_like_weights,
  .forward = &ns_op_depthwise_conv2d,
};

static const NsLayerType separable_conv2d = {
  .keras_class = "SeparableConv2D",
  .aliases = (const char *const[]) { "SeparableConvolution2D", NULL },
  .label = N_("Separable 2D convolution"),
  .description = N_("A depthwise convolution followed by a 1×1 convolution: far fewer weights"),
  .default_name = "separable_conv2d",
  .category = NS_CATEGORY_CONVOLUTION,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = separable_props,
  .n_props = NS_N_PROPS (separable_props),
  .infer = separable_infer,
  .explain = separable_explain,
  .describe = separable_describe,
  .weights = depthwise_like_weights,
  .forward = &ns_op_separable_conv2d,
};

const NsLayerType *const ns_conv_layer_types[] = {
  &conv2d,
  &conv2d_transpose,
  &depthwise_conv2d,
  &separable_conv2d,
  NULL
};
