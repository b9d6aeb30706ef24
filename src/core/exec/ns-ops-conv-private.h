/* ns-ops-conv-private.h: the convolution machinery ns-ops-conv.c and
 * ns-ops-depthwise.c share: GEMM passes over im2col rows and the depthwise
 * stage a separable convolution feeds them with. */
#pragma once

#include "ns-exec-private.h"
#include "ns-ops-winograd.h"

G_BEGIN_DECLS

/* One correlation that fills a grid of output pixels: grid cell (t, u)
 * reads input pixels (t·step + off_y[j], u·step + off_x[k]) and lands on
 * output pixel (origin + t·spacing, …). */
typedef struct {
  gint64       grid[2];
  gint64       step[2];
  gint64       n_taps[2];
  gint64      *offsets[2];       /* per tap, per axis */
  gint64       origin[2];
  gint64       spacing[2];
  const float *b;                /* rows (j, k, c), columns the filters */
  float       *owned_b;          /* when b was rearranged */
} Pass;

typedef struct _NsDepthwise NsDepthwise;

struct _NsDepthwise {
  gint64       kernel[2], stride[2], dilation[2], pad[2];
  gint64       cin, m;
  gint64       out_hw[2];
  const float *w;                /* Keras' (Fh, Fw, C, M): per tap, one value per output channel */
  const float *bias;
  NsAct        act;
};

typedef struct {
  gint64       groups, cin, cout;
  const float *bias;
  NsAct        act;
  guint        n_passes;
  Pass        *passes;
  gboolean     direct;           /* one pass covering the output in order */
  gboolean     pointwise;        /* … and 1×1 with step 1: no im2col */
  gboolean     use_winograd;     /* … or 3×3 with step 1: Winograd */
  NsWinograd  *winograd;
  gint64       chunk;            /* output pixels per task */
  gint64       per_thread;       /* scratch floats per thread */
  NsDepthwise *depthwise;        /* SeparableConv2D: the stage feeding the pointwise GEMM */
} Conv;

void     ns_conv_free            (gpointer                data);
/* Sizes the chunks and the scratch once the passes are known. */
void     ns_conv_size            (Conv                   *conv);
void     ns_conv_run             (gconstpointer           data,
                                  const NsForwardRun     *run);
/* Fails, naming the layer, when a GEMM dimension is past what BLAS takes. */
gboolean ns_conv_check_gemm_size (const NsForwardPrepare *prep,
                                  gint64                  k,
                                  gint64                  n,
                                  GError                **error);
/* Padding before the first row (@axis 0) or column, as Keras pads. */
gint64   ns_conv_padding_before  (const NsValue          *padding,
                                  guint                   axis,
                                  gint64                  input,
                                  gint64                  kernel,
                                  gint64                  stride,
                                  gint64                  dilation);
/* Output pixels [pixel, pixel + rows) into rows of @out, @ld apart; with
 * @epilogue, the bias and activation too. */
void     ns_depthwise_rows       (const NsDepthwise      *dw,
                                  const NsView           *in,
                                  gint64                  pixel,
                                  gint64                  rows,
                                  float                  *out,
                                  gint64                  ld,
                                  gboolean                epilogue);

G_END_DECLS
