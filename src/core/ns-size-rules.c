/* ns-size-rules.c: Keras' output-size rules for one spatial axis. */
#include "config.h"

#include "ns-size-rules.h"

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gint64
ceil_div (gint64 a,
          gint64 b)
{
  return -floor_div (-a, b);
}

/* Below 1 means empty; clamp so that a negative size never reads as NS_DIM_NONE. */
static gint64
empty_as_zero (gint64 size)
{
  return MAX (size, 0);
}

gint64
ns_conv_output_size (gint64        input,
                     gint64        kernel,
                     gint64        stride,
                     gint64        dilation,
                     NsPaddingMode mode,
                     gint64        pad)
{
  gint64 span = dilation * (kernel - 1) + 1;

  if (input == NS_DIM_NONE)
    return NS_DIM_NONE;
  switch (mode)
    {
    case NS_PADDING_SAME:
      return ceil_div (input, stride);
    case NS_PADDING_EXPLICIT:
      return empty_as_zero (floor_div (input + 2 * pad - span, stride) + 1);
    case NS_PADDING_VALID:
    default:
      return empty_as_zero (floor_div (input - span, stride) + 1);
    }
}

gint64
ns_conv_transpose_output_size (gint64        input,
                               gint64        kernel,
                               gint64        stride,
                               gint64        dilation,
                               NsPaddingMode mode,
                               gint64        pad,
                               gint64        output_padding)
{
  gint64 span = dilation * (kernel - 1) + 1;

  if (input == NS_DIM_NONE)
    return NS_DIM_NONE;
  if (mode == NS_PADDING_EXPLICIT)
    return empty_as_zero ((input - 1) * stride - 2 * pad + span + MAX (output_padding, 0));
  if (output_padding < 0)
    {
      /* keras.utils.conv_utils.deconv_output_length without output_padding */
      if (mode == NS_PADDING_SAME)
        return input * stride;
      return input * stride + MAX (span - stride, 0);
    }
  /* With output_padding Keras computes (W−1)·S + span − 2·pad + OP, where
   * pad is 0 for valid and span // 2 for same. */
  return empty_as_zero ((input - 1) * stride + span - 2 * (mode == NS_PADDING_SAME ? span / 2 : 0)
                        + output_padding);
}

gint64
ns_same_padding_total (gint64 input,
                       gint64 kernel,
                       gint64 stride,
                       gint64 dilation)
{
  gint64 span = dilation * (kernel - 1) + 1;
  gint64 output = ceil_div (input, stride);

  return MAX ((output - 1) * stride + span - input, 0);
}
