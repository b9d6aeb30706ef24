/* ns-size-rules.h: Keras' output-size rules for one spatial axis, shared by the
 * layers, the explanations and the inverse solver. */
#pragma once

#include "ns-value.h"

G_BEGIN_DECLS

/* Convolution and pooling over @input positions. With NS_PADDING_EXPLICIT,
 * @pad is added on both sides. Returns the size; 0 means empty (callers
 * report it). NS_DIM_NONE in, NS_DIM_NONE out. */
gint64 ns_conv_output_size           (gint64        input,
                                      gint64        kernel,
                                      gint64        stride,
                                      gint64        dilation,
                                      NsPaddingMode mode,
                                      gint64        pad);
/* Transposed convolution. @output_padding < 0 means "not given" (Keras' None). */
gint64 ns_conv_transpose_output_size (gint64        input,
                                      gint64        kernel,
                                      gint64        stride,
                                      gint64        dilation,
                                      NsPaddingMode mode,
                                      gint64        pad,
                                      gint64        output_padding);
/* Total zero padding Keras' "same" adds on an axis (TensorFlow puts the odd
 * one at the end), for explanations, code export and the executor. */
gint64 ns_same_padding_total         (gint64        input,
                                      gint64        kernel,
                                      gint64        stride,
                                      gint64        dilation);

G_END_DECLS
