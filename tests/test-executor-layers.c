/* test-executor-layers.c: every layer type's forward pass on tiny tensors
 * with known weights, against values worked out by hand (integers) or in
 * double precision (transcendental functions), within 1e-6. Padding,
 * strides and layouts are Keras' and TensorFlow.js'. */
#include "config.h"

#include <math.h>

#include "test-executor-helpers.h"

static const float x9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const float x16[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const float k3[] = { 1, 0, -1, 2, 1, 0, 0, -1, 3 };
static const float k9[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

#define DIMS(...) (const gint64[]) { __VA_ARGS__ }

/* ---- Convolutions ---------------------------------------------------------- */

static void
test_conv_same (void)
{
  /* out[0][0] = 1·1 + 2·0 + 4·(−1) + 5·3 + 0.5: "same" pads one cell all round. */
  static const float expected[] = { 12.5f, 17.5f, 1.5f, 19.5f, 30.5f, 9.5f, 2.5f, 20.5f, 30.5f };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *conv = exec_single (graph, "[3, 3, 1]", "Conv2D",
                               "filters", "1", "kernel_size", "3", "padding", "\"same\"", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 1 }, k3 },
                                           { "bias", 1, { 1 }, (const float[]) { 0.5f } } }, 2);
  out = exec_run (graph, x9, 1);
  exec_assert_tensor (out, 4, DIMS (1, 3, 3, 1), expected);
}

static void
test_conv_valid_stride (void)
{
  static const float expected[] = { 44, 64, 124, 144 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *conv = exec_single (graph, "[4, 4, 1]", "Conv2D",
                               "filters", "1", "kernel_size", "2", "strides", "2", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 2, 2, 1, 1 }, (const float[]) { 1, 2, 3, 4 } },
                                           { "bias", 1, { 1 }, (const float[]) { 0 } } }, 2);
  out = exec_run (graph, x16, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 1), expected);
}

/* 4 → 2 with a 3×3 window, stride 2: "same" pads one row and column in
 * all, at the bottom and the right, so out[0][0] reads rows and columns
 * 0–2 of the input and out[1][1] a padded corner. */
static void
test_conv_same_stride_pads_bottom_right (void)
{
  static const float expected[] = { 37, 13, 38, 57 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *conv = exec_single (graph, "[4, 4, 1]", "Conv2D",
                               "filters", "1", "kernel_size", "3", "strides", "2",
             "padding", "\"same\"", "use_bias", "false", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 1 }, k3 } }, 1);
  out = exec_run (graph, x16, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 1), expected);
}

/* A 1×1 convolution is a plain GEMM on the NHWC input; relu fused. */
static void
test_conv_pointwise_relu (void)
{
  static const float input[] = { 1, -2, 3, 4, -5, 6, 7, -8 };
  static const float expected[] = { 9.5f, 0, 16, 0, 25.5f, 0, 0, 19.5f, 0, 39.5f, 0, 70 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *conv = exec_single (graph, "[2, 2, 2]", "Conv2D",
                               "filters", "3", "kernel_size", "1", "activation", "\"relu\"", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 1, 1, 2, 3 }, (const float[]) { 1, 2, 3, -4, 5, -6 } },
                                           { "bias", 1, { 3 }, (const float[]) { 0.5f, -0.5f, 1 } } }, 2);
  out = exec_run (graph, input, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 3), expected);
}

/* Groups: filter 0 sees channel 0 only, filter 1 channel 1. */
static void
test_conv_groups (void)
{
  static const float input[] = { 1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90 };
  static const float expected[] = { 0, 130, 2, 150, 6, 190, 8, 210 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *conv = exec_single (graph, "[3, 3, 2]", "Conv2D",
                               "filters", "2", "kernel_size", "2", "groups", "2",
             "use_bias", "false", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 2, 2, 1, 2 },
                                             (const float[]) { 1, -1, 2, 0, 0, 1, -1, 2 } } }, 1);
  out = exec_run (graph, input, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 2), expected);
}

/* Dilation 2: a 3×3 kernel of ones over a 5×5 input reads rows and
 * columns 0, 2, 4: 1 + 3 + 5 + 11 + 13 + 15 + 21 + 23 + 25. */
static void
test_conv_dilated (void)
{
  static const float ones[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  float input[25];
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *conv = exec_single (graph, "[5, 5, 1]", "Conv2D",
                               "filters", "1", "kernel_size", "3", "dilation_rate", "2",
             "use_bias", "false", NULL);
  g_autoptr(NsTensor) out = NULL;

  for (guint i = 0; i < 25; i++)
    input[i] = i + 1;
  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 1 }, ones } }, 1);
  out = exec_run (graph, input, 1);
  exec_assert_tensor (out, 4, DIMS (1, 1, 1, 1), (const float[]) { 117 });
}

/* 3×3 stride-1 convolutions with enough channels go through Winograd; they
 * must agree with the plain sum over the window, worked out here in double
 * precision, including the tiles that stick out of an odd-sized output. */
static float
pattern (gint64 i,
         double scale)
{
  return (float) (scale * sin (0.37 * (double) i + 0.1));
}

static void
check_winograd (const char *keras_class,
                const char *padding,
                gint64      h,
                gint64      w,
                gint64      cin,
                gint64      cout)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  g_autofree char *shape = g_strdup_printf ("[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                                            h, w, cin);
  g_autofree char *filters = g_strdup_printf ("%" G_GINT64_FORMAT, cout);
  gboolean transpose = g_str_equal (keras_class, "Conv2DTranspose");
  g_autofree float *input = g_new (float, h * w * cin);
  g_autofree float *kernel = g_new (float, 9 * cin * cout);
  g_autofree float *bias = g_new (float, cout);
  g_autoptr(NsTensor) out = NULL;
  NsLayer *conv = exec_single (graph, shape, keras_class, "filters", filters, "kernel_size", "3",
                               "padding", padding, "activation", "\"relu\"", NULL);
  gint64 oh, ow, pad;

  for (gint64 i = 0; i < h * w * cin; i++)
    input[i] = pattern (i, 1.0);
  for (gint64 i = 0; i < 9 * cin * cout; i++)
    kernel[i] = pattern (3 * i + 1, 0.3);
  for (gint64 f = 0; f < cout; f++)
    bias[f] = pattern (7 * f, 0.1);
  exec_set_weights (conv, (ExecWeight[]) { { "kernel", 4, { 3, 3, transpose ? cout : cin, transpose ? cin : cout },
                                             kernel },
                                           { "bias", 1, { cout }, bias } }, 2);
  out = exec_run (graph, input, 1);
  oh = out->dims[1], ow = out->dims[2];
  pad = g_str_equal (padding, "\"same\"") ? 1 : 0;
  for (gint64 oy = 0; oy < oh; oy++)
    for (gint64 ox = 0; ox < ow; ox++)
      for (gint64 f = 0; f < cout; f++)
        {
          double sum = bias[f];
          float got = out->data[(oy * ow + ox) * cout + f];

          for (gint64 ky = 0; ky < 3; ky++)
            for (gint64 kx = 0; kx < 3; kx++)
              for (gint64 c = 0; c < cin; c++)
                {
                  /* Forward: output o reads input o + k − P; transposed: input i
                   * writes output i + k − P, so o reads i = o − k + P. */
                  gint64 iy = transpose ? oy - ky + pad : oy + ky - pad;
                  gint64 ix = transpose ? ox - kx + pad : ox + kx - pad;

                  if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    continue;
                  sum += input[(iy * w + ix) * cin + c] *
                         (transpose ? kernel[((ky * 3 + kx) * cout + f) * cin + c]
                                    : kernel[((ky * 3 + kx) * cin + c) * cout + f]);
                }
          sum = MAX (sum, 0.0);
          if (fabs (got - sum) > 1e-5 * MAX (1.0, fabs (sum)))
            g_error ("%s %s at (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "): got %.9g, "
                     "expected %.9g", keras_class, padding, oy, ox, f, got, sum);
        }
}

static void
test_conv_winograd (void)
{
  check_winograd ("Conv2D", "\"same\"", 7, 9, 16, 12);
  check_winograd ("Conv2D", "\"valid\"", 8, 5, 9, 8);
  check_winograd ("Conv2DTranspose", "\"same\"", 5, 6, 8, 10);
  check_winograd ("Conv2DTranspose", "\"valid\"", 4, 3, 12, 8);
}

/* ---- Transposed convolutions --------------------------------------------- */

/* Output o = 2·i + k − P; "same" with stride 2 and a 3-wide kernel pads 1
 * in all, at the end, so P = 0 at the start. */
static void
test_deconv_same_stride2 (void)
{
  static const float expected[] = { 1, 2, 5, 4, 4, 5, 14, 10, 10, 14, 36, 24, 12, 15, 34, 20 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *deconv = exec_single (graph, "[2, 2, 1]", "Conv2DTranspose",
                                 "filters", "1", "kernel_size", "3", "strides", "2",
             "padding", "\"same\"", "use_bias", "false", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (deconv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 1 }, k9 } }, 1);
  out = exec_run (graph, (const float[]) { 1, 2, 3, 4 }, 1);
  exec_assert_tensor (out, 4, DIMS (1, 4, 4, 1), expected);
}

static void
test_deconv_valid_stride2 (void)
{
  static const float expected[] = { 2, 3, 6, 5, 7, 5, 6, 15, 11, 13, 11, 15, 37, 25, 31, 13, 16, 35, 21, 25,
                                    22, 25, 56, 33, 37 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *deconv = exec_single (graph, "[2, 2, 1]", "Conv2DTranspose",
                                 "filters", "1", "kernel_size", "3", "strides", "2", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (deconv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 1 }, k9 },
                                             { "bias", 1, { 1 }, (const float[]) { 1 } } }, 2);
  out = exec_run (graph, (const float[]) { 1, 2, 3, 4 }, 1);
  exec_assert_tensor (out, 4, DIMS (1, 5, 5, 1), expected);
}

/* Keras' kernel is (Fh, Fw, filters, input channels): two channels in, one filter out. */
static void
test_deconv_same_stride1_layout (void)
{
  static const float kernel[] = { 1, 0, 2, 1, 0, -1, 1, 1, -1, 2, 0, 0, 3, 1, 1, 0, 2, -2 };
  static const float expected[] = { 0.25f, -7.75f, 12.25f, 10.25f };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *deconv = exec_single (graph, "[2, 2, 2]", "Conv2DTranspose", "filters", "1", "kernel_size", "3",
             "padding", "\"same\"", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (deconv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 2 }, kernel },
                                             { "bias", 1, { 1 }, (const float[]) { 0.25f } } }, 2);
  out = exec_run (graph, (const float[]) { 1, -1, 2, 0, 0, 3, -2, 1 }, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 1), expected);
}

/* output_padding 1: (2 − 1)·2 + 3 + 1 = 6; the last row and column get the bias only. */
static void
test_deconv_output_padding (void)
{
  static const float expected[] = {
    1.5f, 2.5f, 5.5f, 4.5f, 6.5f, 0.5f, 4.5f, 5.5f, 14.5f, 10.5f, 12.5f, 0.5f,
    10.5f, 14.5f, 36.5f, 24.5f, 30.5f, 0.5f, 12.5f, 15.5f, 34.5f, 20.5f, 24.5f, 0.5f,
    21.5f, 24.5f, 55.5f, 32.5f, 36.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f
  };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *deconv = exec_single (graph, "[2, 2, 1]", "Conv2DTranspose",
                                 "filters", "1", "kernel_size", "3", "strides", "2",
             "output_padding", "1", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (deconv, (ExecWeight[]) { { "kernel", 4, { 3, 3, 1, 1 }, k9 },
                                             { "bias", 1, { 1 }, (const float[]) { 0.5f } } }, 2);
  out = exec_run (graph, (const float[]) { 1, 2, 3, 4 }, 1);
  exec_assert_tensor (out, 4, DIMS (1, 6, 6, 1), expected);
}

/* ---- Depthwise, separable, dense -------------------------------------------- */

static const float xd[] = { 1, -1, 2, 0, 3, 1, 0, 2, -1, 1, 2, 2, 1, 0, 0, -2, 3, 1 };

static void
test_depthwise_multiplier (void)
{
  static const float kernel[] = { 1, 2, 0, 1, -1, 0, 1, 1, 2, 1, 0, -1, 1, 0, 1, 2 };
  static const float expected[] = { -2, 3, 1, -2, -1, 4, 3, 3, 3, 2, -1, -2, 0, -1, 3, 6 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *dw = exec_single (graph, "[3, 3, 2]", "DepthwiseConv2D",
                             "kernel_size", "2", "depth_multiplier", "2", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (dw, (ExecWeight[]) { { "depthwise_kernel", 4, { 2, 2, 2, 2 }, kernel },
                                         { "bias", 1, { 4 }, (const float[]) { 0, 1, 0, -1 } } }, 2);
  out = exec_run (graph, xd, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 4), expected);
}

static void
test_separable (void)
{
  static const float expected[] = { 1.5f, 7.5f, -4.5f, -0.5f };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *sep = exec_single (graph, "[3, 3, 2]", "SeparableConv2D",
                              "kernel_size", "2", "filters", "1", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (sep, (ExecWeight[]) { { "depthwise_kernel", 4, { 2, 2, 2, 1 },
                                            (const float[]) { 1, 2, 0, 1, -1, 0, 1, 1 } },
                                          { "pointwise_kernel", 4, { 1, 1, 2, 1 }, (const float[]) { 2, -1 } },
                                          { "bias", 1, { 1 }, (const float[]) { 0.5f } } }, 3);
  out = exec_run (graph, xd, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 1), expected);
}

/* Dense on (batch, 2, 3) applies to the last axis of each row. */
static void
test_dense (void)
{
  static const float kernel[] = { 1, 0, -1, 2, 3, 1 };
  static const float bias[] = { 0.5f, -1 };
  g_autoptr(NsGraph) vector = ns_graph_new ();
  g_autoptr(NsGraph) matrix = ns_graph_new ();
  NsLayer *d1 = exec_single (vector, "[3]", "Dense", "units", "2", NULL);
  NsLayer *d2 = exec_single (matrix, "[2, 3]", "Dense", "units", "2", NULL);
  g_autoptr(NsTensor) out1 = NULL;
  g_autoptr(NsTensor) out2 = NULL;

  exec_set_weights (d1, (ExecWeight[]) { { "kernel", 2, { 3, 2 }, kernel }, { "bias", 1, { 2 }, bias } }, 2);
  exec_set_weights (d2, (ExecWeight[]) { { "kernel", 2, { 3, 2 }, kernel }, { "bias", 1, { 2 }, bias } }, 2);
  out1 = exec_run (vector, (const float[]) { 1, 2, -1 }, 1);
  exec_assert_tensor (out1, 2, DIMS (1, 2), (const float[]) { -3.5f, 2 });
  out2 = exec_run (matrix, (const float[]) { 1, 2, -1, 0, 1, 3 }, 1);
  exec_assert_tensor (out2, 3, DIMS (1, 2, 2), (const float[]) { -3.5f, 2, 8.5f, 4 });
}

/* ---- Pooling ------------------------------------------------------------------ */

/* "same" averages divide by the cells inside the input: 4 at a corner, 6 on an edge. */
static void
test_average_pooling_same_counts (void)
{
  static const float expected[] = { 3, 3.5f, 4, 4.5f, 5, 5.5f, 6, 6.5f, 7 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  exec_single (graph, "[3, 3, 1]", "AveragePooling2D", "pool_size", "3", "strides", "1",
             "padding", "\"same\"", NULL);
  g_autoptr(NsTensor) out = exec_run (graph, x9, 1);

  exec_assert_tensor (out, 4, DIMS (1, 3, 3, 1), expected);
}

static void
test_pooling (void)
{
  g_autoptr(NsGraph) max_graph = ns_graph_new ();
  g_autoptr(NsGraph) avg_graph = ns_graph_new ();
  exec_single (max_graph, "[3, 3, 1]", "MaxPooling2D", "padding", "\"same\"", NULL);
  exec_single (avg_graph, "[3, 3, 1]", "AveragePooling2D", "strides", "1", NULL);
  g_autoptr(NsTensor) max_out = exec_run (max_graph, x9, 1);
  g_autoptr(NsTensor) avg_out = exec_run (avg_graph, x9, 1);

  /* 2×2 windows, stride 2, the padding row and column at the end. */
  exec_assert_tensor (max_out, 4, DIMS (1, 2, 2, 1), (const float[]) { 5, 6, 8, 9 });
  exec_assert_tensor (avg_out, 4, DIMS (1, 2, 2, 1), (const float[]) { 3, 4, 6, 7 });
}

static void
test_global_pooling (void)
{
  static const float input[] = { 1, -4, 5, 2, -3, 6, 0, 8 };
  g_autoptr(NsGraph) avg_graph = ns_graph_new ();
  g_autoptr(NsGraph) max_graph = ns_graph_new ();
  exec_single (avg_graph, "[2, 2, 2]", "GlobalAveragePooling2D", "keepdims", "true", NULL);
  exec_single (max_graph, "[2, 2, 2]", "GlobalMaxPooling2D", NULL);
  g_autoptr(NsTensor) avg_out = exec_run (avg_graph, input, 1);
  g_autoptr(NsTensor) max_out = exec_run (max_graph, input, 1);

  exec_assert_tensor (avg_out, 4, DIMS (1, 1, 1, 2), (const float[]) { 0.75f, 3 });
  exec_assert_tensor (max_out, 2, DIMS (1, 2), (const float[]) { 5, 8 });
}

/* ---- Resizing ------------------------------------------------------------------ */

/* TensorFlow.js' resize (no half-pixel centres): output r reads r·in/out. */
static void
test_upsampling (void)
{
  static const float nearest[] = { 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4 };
  static const float bilinear[] = { 1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 3, 3.5f, 4, 4, 3, 3.5f, 4, 4 };
  static const float bilinear3[] = { 1, 1.5f, 2, 2.5f, 3, 3, 2, 2.5f, 3, 3.5f, 4, 4, 3, 3.5f, 4, 4.5f, 5, 5,
                                     4, 4.5f, 5, 5.5f, 6, 6, 4, 4.5f, 5, 5.5f, 6, 6, 4, 4.5f, 5, 5.5f, 6, 6 };
  g_autoptr(NsGraph) g1 = ns_graph_new ();
  g_autoptr(NsGraph) g2 = ns_graph_new ();
  g_autoptr(NsGraph) g3 = ns_graph_new ();
  exec_single (g1, "[2, 2, 1]", "UpSampling2D", "size", "[2, 3]", NULL);
  exec_single (g2, "[2, 2, 1]", "UpSampling2D", "interpolation", "\"bilinear\"", NULL);
  exec_single (g3, "[2, 3, 1]", "UpSampling2D", "size", "[3, 2]", "interpolation", "\"bilinear\"", NULL);
  g_autoptr(NsTensor) out1 = exec_run (g1, (const float[]) { 1, 2, 3, 4 }, 1);
  g_autoptr(NsTensor) out2 = exec_run (g2, (const float[]) { 1, 2, 3, 4 }, 1);
  g_autoptr(NsTensor) out3 = exec_run (g3, (const float[]) { 1, 2, 3, 4, 5, 6 }, 1);

  exec_assert_tensor (out1, 4, DIMS (1, 4, 6, 1), nearest);
  exec_assert_tensor (out2, 4, DIMS (1, 4, 4, 1), bilinear);
  exec_assert_tensor (out3, 4, DIMS (1, 6, 6, 1), bilinear3);
}

static void
test_padding_cropping (void)
{
  static const float padded[] = { 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0, 0 };
  g_autoptr(NsGraph) pad_graph = ns_graph_new ();
  g_autoptr(NsGraph) crop_graph = ns_graph_new ();
  exec_single (pad_graph, "[3, 3, 1]", "ZeroPadding2D", "padding", "[[1, 0], [0, 2]]", NULL);
  exec_single (crop_graph, "[3, 3, 1]", "Cropping2D", "cropping", "[[1, 0], [0, 1]]", NULL);
  g_autoptr(NsTensor) pad_out = exec_run (pad_graph, x9, 1);
  g_autoptr(NsTensor) crop_out = exec_run (crop_graph, x9, 1);

  exec_assert_tensor (pad_out, 4, DIMS (1, 4, 5, 1), padded);
  exec_assert_tensor (crop_out, 4, DIMS (1, 2, 2, 1), (const float[]) { 4, 5, 7, 8 });
}

static void
test_rearranging (void)
{
  static const float input[] = { 1, 2, 3, 4, 5, 6 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[1, 2, 3]", NULL);
  NsLayer *flat = exec_add (graph, "Flatten", in, NULL);
  NsLayer *reshape = exec_add (graph, "Reshape", flat, "target_shape", "[3, 2, 1]", NULL);
  NsLayer *permute = exec_add (graph, "Permute", reshape, "dims", "[2, 1, 3]", NULL);
  NsLayer *flat2 = exec_add (graph, "Flatten", permute, NULL);
  g_autoptr(NsGraph) repeat_graph = ns_graph_new ();
  exec_single (repeat_graph, "[3]", "RepeatVector", "n", "2", NULL);
  g_autoptr(NsTensor) out = exec_run (graph, input, 1);
  g_autoptr(NsTensor) repeated = exec_run (repeat_graph, (const float[]) { 1, 2, 3 }, 1);

  /* (3, 2) rows [1 2] [3 4] [5 6] transposed to (2, 3): [1 3 5] [2 4 6]. */
  (void) flat2;
  exec_assert_tensor (out, 2, DIMS (1, 6), (const float[]) { 1, 3, 5, 2, 4, 6 });
  exec_assert_tensor (repeated, 3, DIMS (1, 2, 3), (const float[]) { 1, 2, 3, 1, 2, 3 });
}

/* ---- Normalization ------------------------------------------------------------- */

static void
test_batch_normalization (void)
{
  static const float expected[] = { 0.599937512f, -3.19401794f, 0.1f, 2.79401794f };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *bn = exec_single (graph, "[1, 2, 2]", "BatchNormalization", "epsilon", "0.001", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (bn, (ExecWeight[]) { { "gamma", 1, { 2 }, (const float[]) { 2, 0.5f } },
                                         { "beta", 1, { 2 }, (const float[]) { 0.1f, -0.2f } },
                                         { "moving_mean", 1, { 2 }, (const float[]) { 0.5f, 1 } },
                                         { "moving_variance", 1, { 2 }, (const float[]) { 4, 0.25f } } }, 4);
  out = exec_run (graph, (const float[]) { 1, -2, 0.5f, 4 }, 1);
  exec_assert_tensor (out, 4, DIMS (1, 1, 2, 2), expected);
}

static void
test_layer_normalization (void)
{
  static const float expected[] = { -1.06870151f, -0.0343507558f, -0.332061555f, -1.22382734f, 0.5f,
                                    -0.388086328f };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *ln = exec_single (graph, "[2, 3]", "LayerNormalization", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (ln, (ExecWeight[]) { { "gamma", 1, { 3 }, (const float[]) { 1, 2, 0.5f } },
                                         { "beta", 1, { 3 }, (const float[]) { 0, 0.5f, -1 } } }, 2);
  out = exec_run (graph, (const float[]) { 1, 2, 4, -1, 0, 1 }, 1);
  exec_assert_tensor (out, 3, DIMS (1, 2, 3), expected);
}

/* Other axes than the last: LayerNormalization over the whole sample, one
 * γ and β per value; BatchNormalization over axis 1, one set per row. */
static void
test_normalization_axes (void)
{
  static const float x[] = { 1, 2, 4, -1, 0, 1 };
  static const float ln_expected[] = { -0.105978356f, 1.55978356f, -0.0991839711f, -1.37771863f, -0.741848494f,
                                       -0.111956713f };
  static const float bn_expected[] = { 0.599937512f, 1.59981254f, 3.59956258f, -2.19601196f, -1.19800598f,
                                       -0.2f };
  g_autoptr(NsGraph) ln_graph = ns_graph_new ();
  g_autoptr(NsGraph) bn_graph = ns_graph_new ();
  NsLayer *ln = exec_single (ln_graph, "[2, 3]", "LayerNormalization", "axis", "[1, 2]", NULL);
  NsLayer *bn = exec_single (bn_graph, "[2, 3]", "BatchNormalization", "axis", "1", NULL);
  g_autoptr(NsTensor) ln_out = NULL;
  g_autoptr(NsTensor) bn_out = NULL;

  exec_set_weights (ln, (ExecWeight[]) { { "gamma", 1, { 6 }, (const float[]) { 1, 2, 0.5f, 1, 1, 2 } },
                                         { "beta", 1, { 6 }, (const float[]) { 0, 0.5f, -1, 0, 0, 0.1f } } }, 2);
  exec_set_weights (bn, (ExecWeight[]) { { "gamma", 1, { 2 }, (const float[]) { 2, 0.5f } },
                                         { "beta", 1, { 2 }, (const float[]) { 0.1f, -0.2f } },
                                         { "moving_mean", 1, { 2 }, (const float[]) { 0.5f, 1 } },
                                         { "moving_variance", 1, { 2 }, (const float[]) { 4, 0.25f } } }, 4);
  ln_out = exec_run (ln_graph, x, 1);
  bn_out = exec_run (bn_graph, x, 1);
  exec_assert_tensor (ln_out, 3, DIMS (1, 2, 3), ln_expected);
  exec_assert_tensor (bn_out, 3, DIMS (1, 2, 3), bn_expected);
}

/* ---- Merges ------------------------------------------------------------------- */

static void
test_concatenate (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[2, 1, 2]", NULL);
  NsLayer *relu = exec_add (graph, "ReLU", in, NULL);
  NsLayer *last = exec_merge (graph, "Concatenate", in, relu, NULL, NULL);
  NsLayer *first = exec_merge (graph, "Concatenate", in, relu, NULL, "axis", "1", NULL);
  NsLayer *both = exec_merge (graph, "Concatenate", exec_add (graph, "Flatten", last, NULL),
                              exec_add (graph, "Flatten", first, NULL), NULL, NULL);
  g_autoptr(NsTensor) out = exec_run (graph, (const float[]) { 1, -2, -3, 4 }, 1);

  (void) both;
  /* Last axis: (1 −2 1 0) (−3 4 0 4); axis 1: rows 1 −2, −3 4, 1 0, 0 4. */
  exec_assert_tensor (out, 2, DIMS (1, 16), (const float[]) { 1, -2, 1, 0, -3, 4, 0, 4,
                                                             1, -2, -3, 4, 1, 0, 0, 4 });
}

/* Keras' merges align shapes from the last axis; (2,) repeats over (2, 2, 2). */
static void
test_elementwise_merges (void)
{
  static const float input[] = { 1, -4, 5, 2, -3, 6, 0, 8 };
  static const char *const classes[] = { "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum" };
  static const float expected[][8] = {
    { 6, 4, 10, 10, 2, 14, 5, 16 },
    { -4, -12, 0, -6, -8, -2, -5, 0 },
    { 5, -32, 25, 16, -15, 48, 0, 64 },
    { 3, 2, 5, 5, 1, 7, 2.5f, 8 },
    { 5, 8, 5, 8, 5, 8, 5, 8 },
    { 1, -4, 5, 2, -3, 6, 0, 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      g_autoptr(NsGraph) graph = ns_graph_new ();
      NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[2, 2, 2]", NULL);
      NsLayer *max = exec_add (graph, "GlobalMaxPooling2D", in, NULL);
      g_autoptr(NsTensor) out = NULL;

      exec_merge (graph, classes[i], in, max, NULL, NULL);
      out = exec_run (graph, input, 1);
      exec_assert_tensor (out, 4, DIMS (1, 2, 2, 2), expected[i]);
    }
}

/* ---- Activations ------------------------------------------------------------------ */

static const float xa[] = { -3, -1, -0.25f, 0, 0.5f, 2 };

static const struct {
  const char *name;
  float       expected[6];
} activations[] = {
  { "linear", { -3, -1, -0.25f, 0, 0.5f, 2 } },
  { "relu", { 0, 0, 0, 0, 0.5f, 2 } },
  { "relu6", { 0, 0, 0, 0, 0.5f, 2 } },
  { "sigmoid", { 0.0474258732f, 0.268941421f, 0.437823499f, 0.5f, 0.622459331f, 0.880797078f } },
  /* TensorFlow.js and Keras 2: clip(0.2·x + 0.5, 0, 1). */
  { "hard_sigmoid", { 0, 0.3f, 0.45f, 0.5f, 0.6f, 0.9f } },
  { "tanh", { -0.995054754f, -0.761594156f, -0.244918662f, 0, 0.462117157f, 0.96402758f } },
  { "softmax", { 0.0044317237f, 0.0327462551f, 0.0693238225f, 0.0890135501f, 0.146758533f, 0.657726115f } },
  { "softplus", { 0.0485873516f, 0.313261688f, 0.57593942f, 0.693147181f, 0.974076984f, 2.12692801f } },
  { "softsign", { -0.75f, -0.5f, -0.2f, 0, 0.333333333f, 0.666666667f } },
  { "elu", { -0.950212932f, -0.632120559f, -0.221199217f, 0, 0.5f, 2 } },
  { "selu", { -1.67056873f, -1.11133074f, -0.388890197f, 0, 0.525350494f, 2.10140197f } },
  /* The exact GELU: x·Φ(x). */
  { "gelu", { -0.00404969409f, -0.158655254f, -0.100323419f, 0, 0.345731231f, 1.95449974f } },
  { "swish", { -0.14227762f, -0.268941421f, -0.109455875f, 0, 0.311229666f, 1.76159416f } },
  { "silu", { -0.14227762f, -0.268941421f, -0.109455875f, 0, 0.311229666f, 1.76159416f } },
  { "leaky_relu", { -0.6f, -0.2f, -0.05f, 0, 0.5f, 2 } },
  { "exponential", { 0.0497870684f, 0.367879441f, 0.778800783f, 1, 1.64872127f, 7.3890561f } },
};

static void
test_activations (void)
{
  const NsLayerType *type = ns_layer_types_lookup ("Activation");
  const NsPropDecl *decl = &type->props[ns_layer_type_find_prop (type, "activation")];
  guint n_choices = g_strv_length ((char **) decl->choices);

  /* Every choice the catalog offers is checked here. */
  g_assert_cmpuint (n_choices, ==, G_N_ELEMENTS (activations));
  for (guint i = 0; i < G_N_ELEMENTS (activations); i++)
    {
      g_autoptr(NsGraph) graph = ns_graph_new ();
      g_autofree char *json = g_strdup_printf ("\"%s\"", activations[i].name);
      exec_single (graph, "[6]", "Activation", "activation", json, NULL);
      g_autoptr(NsTensor) out = NULL;

      g_assert_cmpstr (decl->choices[i], ==, activations[i].name);
      out = exec_run (graph, xa, 1);
      exec_assert_tensor (out, 2, DIMS (1, 6), activations[i].expected);
    }
}

/* Keras' ReLU layer: x above the threshold capped at max_value, slope·(x − t) below. */
static void
test_activation_layers (void)
{
  g_autoptr(NsGraph) relu_graph = ns_graph_new ();
  g_autoptr(NsGraph) leaky_graph = ns_graph_new ();
  g_autoptr(NsGraph) elu_graph = ns_graph_new ();
  g_autoptr(NsGraph) softmax_graph = ns_graph_new ();
  exec_single (relu_graph, "[6]", "ReLU",
               "max_value", "1.5", "negative_slope", "0.1", "threshold", "0.5", NULL);
  exec_single (leaky_graph, "[6]", "LeakyReLU", "alpha", "0.3", NULL);
  exec_single (elu_graph, "[6]", "ELU", "alpha", "2", NULL);
  exec_single (softmax_graph, "[2, 3]", "Softmax", "axis", "1", NULL);
  g_autoptr(NsTensor) relu_out = exec_run (relu_graph, xa, 1);
  g_autoptr(NsTensor) leaky_out = exec_run (leaky_graph, xa, 1);
  g_autoptr(NsTensor) elu_out = exec_run (elu_graph, xa, 1);
  g_autoptr(NsTensor) softmax_out = exec_run (softmax_graph, (const float[]) { 1, 2, 3, -1, 0, 4 }, 1);

  exec_assert_tensor (relu_out, 2, DIMS (1, 6), (const float[]) { -0.35f, -0.15f, -0.075f, -0.05f, 0, 1.5f });
  exec_assert_tensor (leaky_out, 2, DIMS (1, 6), (const float[]) { -0.9f, -0.3f, -0.075f, 0, 0.5f, 2 });
  exec_assert_tensor (elu_out, 2, DIMS (1, 6),
                      (const float[]) { -1.90042586f, -1.26424112f, -0.442398434f, 0, 0.5f, 2 });
  /* Axis 1 of (batch, 2, 3): each column sums to 1. */
  exec_assert_tensor (softmax_out, 3, DIMS (1, 2, 3),
                      (const float[]) { 0.880797078f, 0.880797078f, 0.268941421f,
                                        0.119202922f, 0.119202922f, 0.731058579f });
}

/* PReLU with α shared over height and width: one slope per channel. */
static void
test_prelu (void)
{
  static const float input[] = { -1, -2, 3, -4, -5, 6, 7, 8 };
  static const float expected[] = { -0.5f, -0.2f, 3, -0.4f, -2.5f, 6, 7, 8 };
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *prelu = exec_single (graph, "[2, 2, 2]", "PReLU", "shared_axes", "[1, 2]", NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_set_weights (prelu, (ExecWeight[]) { { "alpha", 3, { 1, 1, 2 }, (const float[]) { 0.5f, 0.1f } } }, 1);
  out = exec_run (graph, input, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 2), expected);
}

/* Dropout, SpatialDropout2D and GaussianNoise pass values through at inference. */
static void
test_training_only_layers (void)
{
  g_autoptr(NsGraph) graph = ns_graph_new ();
  NsLayer *in = exec_add (graph, "InputLayer", NULL, "shape", "[2, 2, 2]", NULL);
  NsLayer *dropout = exec_add (graph, "Dropout", in, "rate", "0.9", NULL);
  NsLayer *spatial = exec_add (graph, "SpatialDropout2D", dropout, NULL);
  g_autoptr(NsTensor) out = NULL;

  exec_add (graph, "GaussianNoise", spatial, "stddev", "5", NULL);
  out = exec_run (graph, xd, 1);
  exec_assert_tensor (out, 4, DIMS (1, 2, 2, 2), xd);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/executor/conv2d/same", test_conv_same);
  g_test_add_func ("/executor/conv2d/valid-stride", test_conv_valid_stride);
  g_test_add_func ("/executor/conv2d/same-stride-pads-bottom-right", test_conv_same_stride_pads_bottom_right);
  g_test_add_func ("/executor/conv2d/pointwise-relu", test_conv_pointwise_relu);
  g_test_add_func ("/executor/conv2d/groups", test_conv_groups);
  g_test_add_func ("/executor/conv2d/dilated", test_conv_dilated);
  g_test_add_func ("/executor/conv2d/winograd", test_conv_winograd);
  g_test_add_func ("/executor/conv2d-transpose/same-stride2", test_deconv_same_stride2);
  g_test_add_func ("/executor/conv2d-transpose/valid-stride2", test_deconv_valid_stride2);
  g_test_add_func ("/executor/conv2d-transpose/same-stride1-layout", test_deconv_same_stride1_layout);
  g_test_add_func ("/executor/conv2d-transpose/output-padding", test_deconv_output_padding);
  g_test_add_func ("/executor/depthwise/multiplier", test_depthwise_multiplier);
  g_test_add_func ("/executor/separable", test_separable);
  g_test_add_func ("/executor/dense", test_dense);
  g_test_add_func ("/executor/pooling/average-same-counts", test_average_pooling_same_counts);
  g_test_add_func ("/executor/pooling/max-average", test_pooling);
  g_test_add_func ("/executor/pooling/global", test_global_pooling);
  g_test_add_func ("/executor/resize/upsampling", test_upsampling);
  g_test_add_func ("/executor/resize/padding-cropping", test_padding_cropping);
  g_test_add_func ("/executor/resize/rearranging", test_rearranging);
  g_test_add_func ("/executor/norm/batch", test_batch_normalization);
  g_test_add_func ("/executor/norm/layer", test_layer_normalization);
  g_test_add_func ("/executor/norm/other-axes", test_normalization_axes);
  g_test_add_func ("/executor/merge/concatenate", test_concatenate);
  g_test_add_func ("/executor/merge/elementwise", test_elementwise_merges);
  g_test_add_func ("/executor/activation/choices", test_activations);
  g_test_add_func ("/executor/activation/layers", test_activation_layers);
  g_test_add_func ("/executor/activation/prelu", test_prelu);
  g_test_add_func ("/executor/training-only-layers", test_training_only_layers);
  return g_test_run ();
}
