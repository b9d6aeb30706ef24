/* ns-ops.h: the forward ops the layer declarations point to (their kernels
 * are in ns-ops-*.c). */
#pragma once

#include "ns-layer-type.h"

G_BEGIN_DECLS

/* ns-ops-conv.c */
extern const NsForwardOp ns_op_conv2d;
extern const NsForwardOp ns_op_conv2d_transpose;
extern const NsForwardOp ns_op_depthwise_conv2d;
extern const NsForwardOp ns_op_separable_conv2d;
extern const NsForwardOp ns_op_dense;

/* ns-ops-pool.c */
extern const NsForwardOp ns_op_max_pooling_2d;
extern const NsForwardOp ns_op_average_pooling_2d;
extern const NsForwardOp ns_op_global_average_pooling_2d;
extern const NsForwardOp ns_op_global_max_pooling_2d;

/* ns-ops-elementwise.c */
extern const NsForwardOp ns_op_activation;
extern const NsForwardOp ns_op_relu;
extern const NsForwardOp ns_op_leaky_relu;
extern const NsForwardOp ns_op_elu;
extern const NsForwardOp ns_op_prelu;
extern const NsForwardOp ns_op_softmax;

/* ns-ops-merge.c */
extern const NsForwardOp ns_op_concatenate;
extern const NsForwardOp ns_op_add;
extern const NsForwardOp ns_op_subtract;
extern const NsForwardOp ns_op_multiply;
extern const NsForwardOp ns_op_average;
extern const NsForwardOp ns_op_maximum;
extern const NsForwardOp ns_op_minimum;

/* ns-ops-norm.c */
extern const NsForwardOp ns_op_batch_normalization;
extern const NsForwardOp ns_op_layer_normalization;

/* ns-ops-resize.c */
extern const NsForwardOp ns_op_identity;
extern const NsForwardOp ns_op_reshape;
extern const NsForwardOp ns_op_upsampling_2d;
extern const NsForwardOp ns_op_zero_padding_2d;
extern const NsForwardOp ns_op_cropping_2d;
extern const NsForwardOp ns_op_permute;
extern const NsForwardOp ns_op_repeat_vector;

G_END_DECLS
