/* ns-layers-common.c: inference and explanation helpers the layer families share. */
#include "config.h"

#include <stdarg.h>

#include "ns-layers-private.h"

char *
ns_pair_to_string (const gint64 pair[2])
{
  return g_strdup_printf ("%" PRId64 "×%" PRId64, pair[0], pair[1]);
}

char *
ns_signed_to_string (gint64 value)
{
  g_autofree char *digits = NULL;

  if (value >= 0)
    return ns_format_count (value);
  digits = ns_format_count (-value);
  return g_strconcat ("−", digits, NULL);
}

char *
ns_dim_to_string (gint64 dim)
{
  return dim == NS_DIM_NONE ? g_strdup ("None") : ns_format_count (dim);
}

gboolean
ns_infer_elementwise_flops (NsInferResult *out,
                            gint64         per_element,
                            GError       **error)
{
  gint64 elements;

  if (per_element == 0 || !ns_shape_elements (&out->output, &elements) ||
      elements == NS_DIM_NONE)
    return TRUE;
  return ns_infer_mul (&out->extra_flops, error, 2, elements, per_element);
}

void
ns_explain_elementwise_flops (const NsInferResult *out,
                              gint64               per_element,
                              const char          *note,
                              NsExplanation       *explanation)
{
  g_autofree char *elements = NULL;
  g_autofree char *formula = NULL;
  g_autofree char *substituted = NULL;
  g_autofree char *result = NULL;
  gint64 count;

  if (out->extra_flops <= 0 || !ns_shape_elements (&out->output, &count))
    return;
  elements = ns_format_count (count);
  formula = g_strdup_printf ("%" PRId64 "·N", per_element);
  substituted = g_strdup_printf ("%" PRId64 " × %s", per_element, elements);
  result = ns_format_count (out->extra_flops);
  ns_explanation_add (explanation, NS_EXPLAIN_COST, _("Elementwise FLOPs"), formula,
                      substituted, result, note);
}

static const char *
rank_description (guint rank)
{
  switch (rank)
    {
    case 1:
      return _("a 2-D input (batch, features)");
    case 2:
      return _("a 3-D input (batch, steps, features)");
    case 3:
      return _("a 4-D input (batch, height, width, channels)");
    default:
      return NULL;
    }
}

gboolean
ns_infer_expect_rank (const NsInferInput *in,
                      guint               port,
                      guint               rank,
                      GError            **error)
{
  g_autofree char *got = NULL;
  const char *what;

  if (in->inputs[port]->rank == rank)
    return TRUE;

  got = ns_shape_to_keras (in->inputs[port]);
  what = rank_description (rank);
  if (what != NULL)
    g_set_error (error, NS_ERROR, NS_ERROR_SHAPE, _("expects %s, got %s"), what, got);
  else
    g_set_error (error, NS_ERROR, NS_ERROR_SHAPE, _("expects a %u-D input, got %s"),
                 rank + 1, got);
  return FALSE;
}

gboolean
ns_infer_set_output (NsInferResult *out,
                     guint          rank,
                     const gint64  *dims,
                     GError       **error)
{
  gint64 elements;

  for (guint i = 0; i < rank; i++)
    if (dims[i] < 1 && dims[i] != NS_DIM_NONE)
      {
        NsShape bad;
        g_autofree char *text = NULL;

        ns_shape_init (&bad, rank, dims);
        text = ns_shape_to_keras (&bad);
        g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                     _("the output would be %s: axis %u is %" PRId64 ", below 1"),
                     text, i + 1, dims[i]);
        return FALSE;
      }

  ns_shape_init (&out->output, rank, dims);
  if (!ns_shape_elements (&out->output, &elements))
    {
      g_autofree char *text = ns_shape_to_keras (&out->output);
      g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                   _("the output %s has more elements than a 64-bit integer can count"), text);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_infer_mul (gint64  *out,
              GError **error,
              guint    n_factors,
              ...)
{
  va_list args;
  gint64 product = 1;
  gboolean ok = TRUE;

  va_start (args, n_factors);
  for (guint i = 0; i < n_factors && ok; i++)
    ok = ns_checked_mul (product, va_arg (args, gint64), &product);
  va_end (args);

  if (!ok)
    {
      g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                   _("the count overflows a 64-bit integer"));
      return FALSE;
    }
  *out = product;
  return TRUE;
}

gboolean
ns_infer_window_2d (const NsInferInput *in,
                    guint               port,
                    const gint64        kernel[2],
                    const gint64        stride[2],
                    const gint64        dilation[2],
                    const NsValue      *padding,
                    gint64              out_hw[2],
                    NsInferResult      *out,
                    GError            **error)
{
  const NsShape *input = in->inputs[port];
  NsPaddingMode mode = padding->padding.mode;
  gint64 span[2];

  if (!ns_infer_expect_rank (in, port, 3, error))
    return FALSE;

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 size = input->dims[axis];
      gint64 pad = mode == NS_PADDING_EXPLICIT ? padding->padding.explicit_hw[axis] : 0;

      if (!ns_checked_mul (dilation[axis], kernel[axis] - 1, &span[axis]) ||
          !ns_checked_add (span[axis], 1, &span[axis]))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                       _("the kernel's span overflows a 64-bit integer"));
          return FALSE;
        }
      if (size != NS_DIM_NONE && (size > G_MAXINT64 / 4 || pad > G_MAXINT64 / 4))
        {
          g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
                       _("the input size %" PRId64 " is too large to slide a window over"),
                       size);
          return FALSE;
        }
      out_hw[axis] = ns_conv_output_size (size, kernel[axis], stride[axis], dilation[axis], mode, pad);
      out->rf_window[axis] = span[axis];
      out->rf_step[axis] = (double) stride[axis];
    }

  if (out_hw[0] == 0 || out_hw[1] == 0)
    {
      g_autofree char *k = ns_pair_to_string (kernel);
      g_autofree char *s = ns_pair_to_string (span);
      g_autofree char *got = ns_shape_to_keras (input);

      if (mode == NS_PADDING_EXPLICIT)
        g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                     _("the %s window (spanning %s) does not fit in the %" PRId64 "×%"
                       PRId64 " input padded by %" PRId64 "×%" PRId64
                       " on each side: the output would be %" PRId64 "×%" PRId64),
                     k, s, input->dims[0], input->dims[1],
                     padding->padding.explicit_hw[0], padding->padding.explicit_hw[1],
                     out_hw[0], out_hw[1]);
      else
        g_set_error (error, NS_ERROR, NS_ERROR_SHAPE,
                     _("the %s window (spanning %s) is larger than the %" PRId64 "×%"
                       PRId64 " input %s: the output would be %" PRId64 "×%"
                       PRId64),
                     k, s, input->dims[0], input->dims[1], got, out_hw[0], out_hw[1]);
      return FALSE;
    }
  return TRUE;
}

void
ns_explain_window_2d (const NsInferInput  *in,
                      guint                port,
                      const gint64         kernel[2],
                      const gint64         stride[2],
                      const gint64         dilation[2],
                      const NsValue       *padding,
                      const NsInferResult *out,
                      NsExplanation       *explanation)
{
  const char *titles[2] = { _("Output height"), _("Output width") };
  NsPaddingMode mode = padding->padding.mode;

  for (guint axis = 0; axis < 2; axis++)
    {
      gint64 w = in->inputs[port]->dims[axis];
      gint64 f = kernel[axis], s = stride[axis], d = dilation[axis];
      g_autofree char *result = NULL;
      g_autofree char *substituted = NULL;
      const char *formula;

      if (w == NS_DIM_NONE)
        {
          ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, titles[axis], NULL, NULL,
                              "None", _("(unknown until run time)"));
          continue;
        }
      result = g_strdup_printf ("%" PRId64, out->output.dims[axis]);
      if (mode == NS_PADDING_SAME)
        {
          formula = "N = ⌈W / S⌉";
          substituted = g_strdup_printf ("⌈%" PRId64 " / %" PRId64 "⌉", w, s);
        }
      else if (mode == NS_PADDING_EXPLICIT)
        {
          gint64 p = padding->padding.explicit_hw[axis];
          if (d == 1)
            {
              formula = "N = ⌊(W + 2P − F) / S⌋ + 1";
              substituted = g_strdup_printf ("⌊(%" PRId64 " + 2·%" PRId64 " − %"
                                             PRId64 ") / %" PRId64 "⌋ + 1",
                                             w, p, f, s);
            }
          else
            {
              formula = "N = ⌊(W + 2P − D·(F − 1) − 1) / S⌋ + 1";
              substituted = g_strdup_printf ("⌊(%" PRId64 " + 2·%" PRId64 " − %"
                                             PRId64 "·(%" PRId64 " − 1) − 1) / %"
                                             PRId64 "⌋ + 1", w, p, d, f, s);
            }
        }
      else if (d == 1)
        {
          formula = "N = ⌊(W − F) / S⌋ + 1";
          substituted = g_strdup_printf ("⌊(%" PRId64 " − %" PRId64 ") / %"
                                         PRId64 "⌋ + 1", w, f, s);
        }
      else
        {
          formula = "N = ⌊(W − D·(F − 1) − 1) / S⌋ + 1";
          substituted = g_strdup_printf ("⌊(%" PRId64 " − %" PRId64 "·(%"
                                         PRId64 " − 1) − 1) / %" PRId64 "⌋ + 1",
                                         w, d, f, s);
        }
      if (mode == NS_PADDING_SAME)
        {
          gint64 total = ns_same_padding_total (w, f, s, d);
          g_autofree char *note =
            g_strdup_printf (_("(“same” pads %" PRId64 " in all: %" PRId64
                               " before, %" PRId64 " after)"),
                             total, total / 2, total - total / 2);
          ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, titles[axis], formula, substituted,
                              result, note);
        }
      else
        ns_explanation_add (explanation, NS_EXPLAIN_SHAPE, titles[axis], formula, substituted,
                            result, NULL);
    }
}

void
ns_weight_spec_add (GArray     *specs,
                    const char *name,
                    const char *initializer,
                    guint       rank,
                    ...)
{
  NsWeightSpec spec = { name, { 0 }, initializer };
  va_list args;

  g_assert (rank <= NS_MAX_RANK);
  va_start (args, rank);
  spec.shape.rank = rank;
  for (guint i = 0; i < rank; i++)
    spec.shape.dims[i] = va_arg (args, gint64);
  va_end (args);
  g_array_append_val (specs, spec);
}

gboolean
ns_weights_last_axis (const NsInferInput *in,
                      guint               port,
                      gint64             *size)
{
  const NsShape *input;

  if (port >= in->n_inputs || in->inputs[port]->rank == 0)
    return FALSE;
  input = in->inputs[port];
  *size = input->dims[input->rank - 1];
  return *size != NS_DIM_NONE && *size > 0;
}

void
ns_explain_no_params (NsExplanation *explanation)
{
  ns_explanation_add (explanation, NS_EXPLAIN_PARAMS, _("Parameters"), NULL, NULL, "0",
                      _("(this layer only rearranges or combines values; it learns nothing)"));
}

/* "7 × 7 × 512": the factors of a product, for explanations. */
char *
ns_dims_to_product (const gint64 *dims,
                    guint         len)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < len; i++)
    {
      g_autofree char *dim = ns_dim_to_string (dims[i]);

      if (i > 0)
        g_string_append (text, " × ");
      g_string_append (text, dim);
    }
  return g_string_free (text, FALSE);
}

gboolean
ns_infer_fail_overflow (GError **error)
{
  g_set_error (error, NS_ERROR, NS_ERROR_OVERFLOW,
               _("the output would have more elements than a 64-bit count holds"));
  return FALSE;
}
