/* ns-layers-resize.c: layers that change a tensor's height and width without
 * weights: UpSampling2D, ZeroPadding2D, Cropping2D. */
#include "config.h"

#include "ns-layers-private.h"
#include "ns-ops.h"

const char *const ns_interpolation_choices[] = {
  "nearest",
  "bilinear",
  NULL,
};
/* ---- UpSampling2D ------------------------------------------------------- */

enum {
  UPSAMPLING_SIZE,
  UPSAMPLING_INTERPOLATION,
};

static const NsPropDecl upsampling_props[] = {
  [UPSAMPLING_SIZE] = {
    .key = "size", .label = N_("Size"), .kind = NS_PROP_PAIR,
    .min = 1, .max = 65536, .default_json = "[2, 2]",
  },
  [UPSAMPLING_INTERPOLATION] = {
    .key = "interpolation", .label = N_("Interpolation"), .kind = NS_PROP_CHOICE,
    .choices = ns_interpolation_choices, .default_json = "\"nearest\"",
  },
};

/* Bilinear blends four neighbours: four multiplies and three additions. */
#define BILINEAR_FLOPS 7

static gboolean
upsampling_infer (const NsInferInput *in,
                  NsInferResult      *out,
                  GError            **error)
{
  const NsShape *input;
  const gint64 *size = in->values[UPSAMPLING_SIZE].pair;
  gint64 dims[3], elements;

  if (!ns_infer_expect_rank (in, 0, 3, error))
    return FALSE;
  input = in->inputs[0];

  for (guint axis = 0; axis < 2; axis++)
    {
      if (input->dims[axis] == NS_DIM_NONE)
        dims[axis] = NS_DIM_NONE;
      else if (!ns_checked_mul (input->dims[axis], size[axis], &dims[axis]))
        return ns_infer_fail_overflow (error);
      out->rf_window[axis] = 1;
      out->rf_step[axis] = 1.0 / (double) size[axis];
    }
  dims[2] = input->dims[2];
  if (!ns_infer_set_output (out, 3, dims, error))
    return FALSE;

  if (in->values[UPSAMPLING_INTERPOLATION].choice == 1 &&
      ns_shape_elements (&out->output, &elements) && elements != NS_DIM_NONE &&
      !ns_infer_mul (&out->extra_flops, error, 2, elements, (gint64) BILINEAR_FLOPS))
    return FALSE;
  return TRUE;
}

static void
upsampling_explain (const NsInferInput  *in,
                    const NsInferResult *out,
                    NsExplanation       *explanation)
{
  static const char *const titles[2] = { N_("Output height"), N_("Output width") };
  static const char *const formulas[2] = { "H′ = H·sh", "W′ = W·sw" };
  const gint64 *size = in->values[UPSAMPLING_SIZE].pair;

  for (guint axis = 0; axis < 2; axis++)
    {
      g_autofree char *input = ns_dim_to_string (in->inputs[0]->dims[axis]);
      g_autofree char *result = ns_dim_to_string (out->output.dims[axis]);
      g_autofree char *substituted = g_strdup_printf ("%s × %" PRId64, input, size[axis]);

      ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _(titles[axis]), formulas[axis],
                          substituted, result, NULL);
    }
  ns_explain_no_params (explanation);

  if (out->extra_flops > 0)
    {
      g_autofree char *shape = ns_dims_to_product (out->output.dims, 3);
      g_autofree char *substituted = g_strdup_printf ("%d × %s", BILINEAR_FLOPS, shape);
      g_autofree char *result = ns_format_count (out->extra_flops);

      ns_explanation_add (explanation, NS_EXPLAIN_COST, _("Interpolation FLOPs"),
                          "7·H′·W′·C", substituted, result,
                          _("(each output blends its four nearest inputs)"));
    }
}

static char *
upsampling_describe (const NsInferInput *in)
{
  const gint64 *size = in->values[UPSAMPLING_SIZE].pair;
  const char *interpolation = ns_interpolation_choices[in->values[UPSAMPLING_INTERPOLATION].choice];

  if (size[0] == size[1])
    return g_strdup_printf ("×%" PRId64 " %s", size[0], interpolation);
  return g_strdup_printf ("×%" PRId64 ", ×%" PRId64 " %s",
                          size[0], size[1], interpolation);
}

static const NsLayerType upsampling_2d = {
  .keras_class = "UpSampling2D",
  .label = N_("Upsampling 2D"),
  .description = N_("Repeats rows and columns to enlarge height and width"),
  .default_name = "up_sampling2d",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = upsampling_props,
  .n_props = NS_N_PROPS (upsampling_props),
  .infer = upsampling_infer,
  .explain = upsampling_explain,
  .describe = upsampling_describe,
  .forward = &ns_op_upsampling_2d,
};

/* ---- ZeroPadding2D, Cropping2D ------------------------------------------ */

enum {
  MARGINS_VALUE,
};

static const NsPropDecl zero_padding_props[] = {
  [MARGINS_VALUE] = {
    .key = "padding", .label = N_("Padding"), .kind = NS_PROP_MARGINS,
    .min = 0, .max = 65536, .default_json = "[[1, 1], [1, 1]]",
  },
};

static const NsPropDecl cropping_props[] = {
  [MARGINS_VALUE] = {
    .key = "cropping", .label = N_("Cropping"), .kind = NS_PROP_MARGINS,
    .min = 0, .max = 65536, .default_json = "[[0, 0], [0, 0]]",
  },
};

static gboolean
is_cropping (const NsInferInput *in)
{
  return in->type->props == cropping_props;
}

static gboolean
margins_infer (const NsInferInput *in,
               NsInferResult      *out,
               GError            **error)
{
  const NsShape *input;
  const gint64 *margins = in->values[MARGINS_VALUE].margins;
  gboolean crop = is_cropping (in);
  gint64 dims[3];

  if (!ns_infer_expect_rank (in, 0, 3, error))
    return FALSE;
  input = in->inputs[0];

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 before = margins[2 * axis], after = margins[2 * axis + 1];

      if (input->dims[axis] == NS_DIM_NONE)
        {
          dims[axis] = NS_DIM_NONE;
          continue;
        }
      if (!crop)
        {
          if (!ns_checked_add (input->dims[axis], before + after, &dims[axis]))
            return ns_infer_fail_overflow (error);
          continue;
        }
      dims[axis] = input->dims[axis] - before - after;
      if (dims[axis] < 1)
        {
          g_autofree char *top = ns_signed_to_string (before);
          g_autofree char *bottom = ns_signed_to_string (after);
          g_autofree char *size = ns_signed_to_string (input->dims[axis]);
          g_autofree char *left = ns_signed_to_string (dims[axis]);

          if (axis == 0)
            g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                         _("cropping %s + %s rows from a height of %s leaves %s"),
                         top, bottom, size, left);
          else
            g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                         _("cropping %s + %s columns from a width of %s leaves %s"),
                         top, bottom, size, left);
          return FALSE;
        }
    }
  dims[2] = input->dims[2];
  return ns_infer_set_output (out, 3, dims, error);
}

static void
margins_explain (const NsInferInput  *in,
                 const NsInferResult *out,
                 NsExplanation       *explanation)
{
  static const char *const titles[2] = { N_("Output height"), N_("Output width") };
  static const char *const pad_formulas[2] = { N_("H′ = H + top + bottom"), N_("W′ = W + left + right") };
  static const char *const crop_formulas[2] = { N_("H′ = H − top − bottom"), N_("W′ = W − left − right") };
  const gint64 *margins = in->values[MARGINS_VALUE].margins;
  gboolean crop = is_cropping (in);

  for (guint axis = 0; axis < 2; axis++)
    {
      g_autofree char *input = ns_dim_to_string (in->inputs[0]->dims[axis]);
      g_autofree char *result = ns_dim_to_string (out->output.dims[axis]);
      g_autofree char *substituted =
        g_strdup_printf (crop ? "%s − %" PRId64 " − %" PRId64
                              : "%s + %" PRId64 " + %" PRId64,
                         input, margins[2 * axis], margins[2 * axis + 1]);

      ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, _(titles[axis]),
                          _(crop ? crop_formulas[axis] : pad_formulas[axis]),
                          substituted, result, NULL);
    }
  ns_explain_no_params (explanation);
}

static char *
margins_describe (const NsInferInput *in)
{
  const gint64 *m = in->values[MARGINS_VALUE].margins;
  /* Translators: a ZeroPadding2D’s or Cropping2D’s one-line summary on the canvas starts with this: "pad 1", "crop (1, 1), (2, 2)". */
  const char *verb = is_cropping (in) ? _("crop") : _("pad");

  if (m[0] == m[1] && m[1] == m[2] && m[2] == m[3])
    return g_strdup_printf ("%s %" PRId64, verb, m[0]);
  return g_strdup_printf ("%s (%" PRId64 ", %" PRId64 "), (%" PRId64
                          ", %" PRId64 ")", verb, m[0], m[1], m[2], m[3]);
}

static const NsLayerType zero_padding_2d = {
  .keras_class = "ZeroPadding2D",
  .label = N_("Zero padding 2D"),
  .description = N_("Adds rows and columns of zeros around the image"),
  .default_name = "zero_padding2d",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = zero_padding_props,
  .n_props = NS_N_PROPS (zero_padding_props),
  .infer = margins_infer,
  .explain = margins_explain,
  .describe = margins_describe,
  .forward = &ns_op_zero_padding_2d,
};

static const NsLayerType cropping_2d = {
  .keras_class = "Cropping2D",
  .label = N_("Cropping 2D"),
  .description = N_("Cuts rows and columns off the edges of the image"),
  .default_name = "cropping2d",
  .category = NS_CATEGORY_RESHAPING,
  .min_inputs = 1,
  .max_inputs = 1,
  .props = cropping_props,
  .n_props = NS_N_PROPS (cropping_props),
  .infer = margins_infer,
  .explain = margins_explain,
  .describe = margins_describe,
  .forward = &ns_op_cropping_2d,
};
const NsLayerType *const ns_resize_layer_types[] = {
  &upsampling_2d,
  &zero_padding_2d,
  &cropping_2d,
  NULL,
};
