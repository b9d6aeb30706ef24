/* ns-layers-pooling.c: MaxPooling2D, AveragePooling2D and their global forms. */
#include "config.h"

#include <string.h>

#include "ns-layers-private.h"
#include "ns-ops.h"

/* ---- MaxPooling2D, AveragePooling2D ------------------------------------ */

enum {
  POOL_SIZE,
  POOL_STRIDES,
  POOL_PADDING,
};

static const NsPropDecl pool_props[] = {
  [POOL_SIZE] = {
    .key = "pool_size", .label = N_("Pool size"), .kind = NS_PROP_PAIR,
    .min = 1, .max = 65536, .default_json = "[2, 2]",
  },
  /* null means "the pool size", as in Keras. */
  [POOL_STRIDES] = {
    .key = "strides", .label = N_("Strides"), .kind = NS_PROP_PAIR,
    .min = 1, .max = 65536, .default_json = "null", .flags = NS_PROP_FLAG_NULLABLE,
  },
  [POOL_PADDING] = {
    .key = "padding", .label = N_("Padding"), .kind = NS_PROP_PADDING,
    .min = 0, .max = 65536, .default_json = "\"valid\"",
  },
};

static void
pool_window (const NsInferInput *in,
             gint64              kernel[2],
             gint64              stride[2])
{
  const NsValue *strides = &in->values[POOL_STRIDES];

  kernel[0] = in->values[POOL_SIZE].pair[0];
  kernel[1] = in->values[POOL_SIZE].pair[1];
  stride[0] = strides->is_null ? kernel[0] : strides->pair[0];
  stride[1] = strides->is_null ? kernel[1] : strides->pair[1];
}

static gboolean
pool_infer (const NsInferInput *in,
            NsInferResult      *out,
            GError            **error)
{
  static const gint64 dilation[2] = { 1, 1 };
  gint64 kernel[2], stride[2], hw[2], dims[3], elements;

  if (!ns_infer_expect_rank (in, 0, 3, error))
    return FALSE;
  pool_window (in, kernel, stride);
  if (!ns_infer_window_2d (in, 0, kernel, stride, dilation, &in->values[POOL_PADDING],
                           hw, out, error))
    return FALSE;

  dims[0] = hw[0];
  dims[1] = hw[1];
  dims[2] = in->inputs[0]->dims[2];
  if (!ns_infer_set_output (out, 3, dims, error))
    return FALSE;

  /* One comparison or addition per window element and output element. */
  if (ns_shape_elements (&out->output, &elements) && elements != NS_DIM_NONE &&
      !ns_infer_mul (&out->extra_flops, error, 3, elements, kernel[0], kernel[1]))
    return FALSE;
  return TRUE;
}

/* Max pooling compares where average pooling adds: the cost line says which. */
static gboolean
is_max_pooling (const NsInferInput *in)
{
  return strstr (in->type->keras_class, "Max") != NULL;
}

static void
pool_explain (const NsInferInput  *in,
              const NsInferResult *out,
              NsExplanation       *explanation)
{
  static const gint64 dilation[2] = { 1, 1 };
  gint64 kernel[2], stride[2];
  g_autofree char *channels = ns_dim_to_string (out->output.dims[2]);

  pool_window (in, kernel, stride);
  ns_explain_window_2d (in, 0, kernel, stride, dilation, &in->values[POOL_PADDING],
                        out, explanation);
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output channels"),
                      "C", NULL, channels, _("(pooling keeps every channel)"));
  ns_explain_no_params (explanation);

  if (out->extra_flops > 0)
    {
      g_autofree char *h = ns_dim_to_string (out->output.dims[0]);
      g_autofree char *w = ns_dim_to_string (out->output.dims[1]);
      g_autofree char *substituted =
        g_strdup_printf ("%s × %s × %s × %" PRId64 " × %" PRId64,
                         h, w, channels, kernel[0], kernel[1]);
      g_autofree char *result = ns_format_count (out->extra_flops);

      ns_explanation_add (explanation, NS_EXPLAIN_COST,
                          is_max_pooling (in) ? _("Comparisons") : _("Additions"),
                          "H′·W′·C·Fh·Fw", substituted, result, NULL);
    }
}

static char *
pool_describe (const NsInferInput *in)
{
  gint64 kernel[2], stride[2];
  g_autofree char *size = NULL;
  g_autofree char *strides = NULL;
  g_autofree char *padding = NULL;

  pool_window (in, kernel, stride);
  size = ns_pair_to_string (kernel);
  strides = stride[0] == stride[1]
            ? g_strdup_printf ("%" PRId64, stride[0])
            : ns_pair_to_string (stride);
  if (in->values[POOL_PADDING].padding.mode == NS_PADDING_EXPLICIT)
    {
      g_autofree char *pad = ns_pair_to_string (in->values[POOL_PADDING].padding.explicit_hw);
      /* Translators: explicit padding in a layer’s one-line summary on the canvas: "pad 1×1". */
      padding = g_strdup_printf (_("pad %s"), pad);
    }
  else
    padding = ns_value_to_string (&pool_props[POOL_PADDING], &in->values[POOL_PADDING]);
  return g_strdup_printf ("%s /%s %s", size, strides, padding);
}

static const NsLayerType max_pooling_2d = {
  .keras_class = "MaxPooling2D",
  .aliases = (const char *const[]) { "MaxPool2D", NULL },
  .label = N_("Max pooling 2D"),
  .description = N_("Keeps the largest value of each window, shrinking height and width"),
  .default_name = "max_pooling2d",
  .category = NS_CATEGORY_POOLING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = pool_props,
  .n_props = NS_N_PROPS (pool_props),
  .infer = pool_infer,
  .explain = pool_explain,
  .describe = pool_describe,
  .forward = &ns_op_max_pooling_2d,
};

static const NsLayerType average_pooling_2d = {
  .keras_class = "AveragePooling2D",
  .aliases = (const char *const[]) { "AvgPool2D", NULL },
  .label = N_("Average pooling 2D"),
  .description = N_("Averages each window, shrinking height and width"),
  .default_name = "average_pooling2d",
  .category = NS_CATEGORY_POOLING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = pool_props,
  .n_props = NS_N_PROPS (pool_props),
  .infer = pool_infer,
  .explain = pool_explain,
  .describe = pool_describe,
  .forward = &ns_op_average_pooling_2d,
};

/* ---- GlobalAveragePooling2D, GlobalMaxPooling2D ------------------------- */

enum {
  GLOBAL_KEEPDIMS,
};

static const NsPropDecl global_props[] = {
  [GLOBAL_KEEPDIMS] = {
    .key = "keepdims", .label = N_("Keep dimensions"), .kind = NS_PROP_BOOL,
    .default_json = "false",
  },
};

static gboolean
global_infer (const NsInferInput *in,
              NsInferResult      *out,
              GError            **error)
{
  const NsShape *input;
  gint64 dims[3], elements;

  if (!ns_infer_expect_rank (in, 0, 3, error))
    return FALSE;
  input = in->inputs[0];

  if (in->values[GLOBAL_KEEPDIMS].boolean)
    {
      dims[0] = 1;
      dims[1] = 1;
      dims[2] = input->dims[2];
      if (!ns_infer_set_output (out, 3, dims, error))
        return FALSE;
    }
  else
    {
      dims[0] = input->dims[2];
      if (!ns_infer_set_output (out, 1, dims, error))
        return FALSE;
    }

  out->rf_global = TRUE;
  /* One comparison or addition per input element. */
  if (ns_shape_elements (input, &elements) && elements != NS_DIM_NONE)
    out->extra_flops = elements;
  return TRUE;
}

static void
global_explain (const NsInferInput  *in,
                const NsInferResult *out,
                NsExplanation       *explanation)
{
  const NsShape *input = in->inputs[0];
  g_autofree char *h = ns_dim_to_string (input->dims[0]);
  g_autofree char *w = ns_dim_to_string (input->dims[1]);
  g_autofree char *c = ns_dim_to_string (input->dims[2]);
  g_autofree char *shape = ns_shape_to_keras (&out->output);
  g_autofree char *substituted = NULL;
  gboolean keepdims = in->values[GLOBAL_KEEPDIMS].boolean;

  substituted = g_strdup_printf (keepdims ? "(%s, %s, %s) → (1, 1, %s)" : "(%s, %s, %s) → (%s)",
                                 h, w, c, c);
  ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _("Output shape"),
                      keepdims ? "(H, W, C) → (1, 1, C)" : "(H, W, C) → (C)",
                      substituted, shape,
                      _("(one value per channel over the whole height and width)"));
  ns_explain_no_params (explanation);

  if (out->extra_flops > 0)
    {
      g_autofree char *cost = g_strdup_printf ("%s × %s × %s", h, w, c);
      g_autofree char *result = ns_format_count (out->extra_flops);

      ns_explanation_add (explanation, NS_EXPLAIN_COST,
                          is_max_pooling (in) ? _("Comparisons") : _("Additions"),
                          "H·W·C", cost, result, NULL);
    }
}

static char *
global_describe (const NsInferInput *in)
{
  return g_strdup (in->values[GLOBAL_KEEPDIMS].boolean ? "keepdims" : "");
}

static const NsLayerType global_average_pooling_2d = {
  .keras_class = "GlobalAveragePooling2D",
  .aliases = (const char *const[]) { "GlobalAvgPool2D", NULL },
  .label = N_("Global average pooling 2D"),
  .description = N_("Averages each channel over the whole image: one value per channel"),
  .default_name = "global_average_pooling2d",
  .category = NS_CATEGORY_POOLING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = global_props,
  .n_props = NS_N_PROPS (global_props),
  .infer = global_infer,
  .explain = global_explain,
  .describe = global_describe,
  .forward = &ns_op_global_average_pooling_2d,
};

static const NsLayerType global_max_pooling_2d = {
  .keras_class = "GlobalMaxPooling2D",
  .aliases = (const char *const[]) { "GlobalMaxPool2D", NULL },
  .label = N_("Global max pooling 2D"),
  .description = N_("Keeps the largest value of each channel over the whole image"),
  .default_name = "global_max_pooling2d",
  .category = NS_CATEGORY_POOLING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = global_props,
  .n_props = NS_N_PROPS (global_props),
  .infer = global_infer,
  .explain = global_explain,
  .describe = global_describe,
  .forward = &ns_op_global_max_pooling_2d,
};

const NsLayerType *const ns_pooling_layer_types[] = {
  &max_pooling_2d,
  &average_pooling_2d,
  &global_average_pooling_2d,
  &global_max_pooling_2d,
  NULL,
};
