/* ns-layers-private.h: what the layer family files share: the family tables the
 * catalog is built from, and helpers for inference errors and explanations. */
#pragma once

#include <glib/gi18n-lib.h>

#include "ns-layer-type.h"
#include "ns-size-rules.h"

G_BEGIN_DECLS

/* Each family file defines one NULL-terminated table, in palette order. */
extern const NsLayerType *const ns_core_layer_types[];        /* Input, Dense, Dropout, noise */
extern const NsLayerType *const ns_conv_layer_types[];
extern const NsLayerType *const ns_pooling_layer_types[];
extern const NsLayerType *const ns_resize_layer_types[];      /* UpSampling2D, padding, cropping */
extern const NsLayerType *const ns_reshape_layer_types[];     /* Flatten, Reshape, Permute, RepeatVector */
extern const NsLayerType *const ns_norm_layer_types[];
extern const NsLayerType *const ns_activation_layer_types[];
extern const NsLayerType *const ns_merge_layer_types[];
extern const NsLayerType *const ns_model_layer_types[];       /* nested models, opaque layers */

/* Choices shared by several types. */
extern const char *const ns_activation_choices[];   /* "linear", "relu", … */
extern const char *const ns_interpolation_choices[];/* "nearest", "bilinear" */
extern const char *const ns_initializer_choices[];  /* "glorot_uniform", "he_normal", … */

#define NS_N_PROPS(array) G_N_ELEMENTS (array)

/* Fails unless input @port has rank @rank ("expects a 4-D input (batch, height,
 * width, channels), got (None, 10)"). */
gboolean ns_infer_expect_rank  (const NsInferInput *in,
                                guint               port,
                                guint               rank,
                                GError            **error);
/* Sets out->output from @dims, refusing sizes below 1 and element counts past
 * int64, naming the layer's axis; NS_DIM_NONE passes through. */
gboolean ns_infer_set_output   (NsInferResult      *out,
                                guint               rank,
                                const gint64       *dims,
                                GError            **error);
/* Sets out->activation-independent counts with overflow checks:
 * params = a·b (+ c), returning FALSE with an NS_ERROR_OVERFLOW message. */
gboolean ns_infer_mul          (gint64             *out,
                                GError            **error,
                                guint               n_factors,
                                ...);
/* Output (height, width) of a sliding window over input @port (NHWC), with
 * Keras' errors: "kernel 5×5 with dilation 1 spans 5×5, more than the 3×3
 * input" and "output would be 0×4". Sets rf_window / rf_step too. */
gboolean ns_infer_window_2d    (const NsInferInput *in,
                                guint               port,
                                const gint64        kernel[2],
                                const gint64        stride[2],
                                const gint64        dilation[2],
                                const NsValue      *padding,
                                gint64              out_hw[2],
                                NsInferResult      *out,
                                GError            **error);
/* Explanation steps "Output height"/"Output width" for a sliding window,
 * with the formula for the padding mode and the numbers put in. */
void     ns_explain_window_2d  (const NsInferInput  *in,
                                guint                port,
                                const gint64         kernel[2],
                                const gint64         stride[2],
                                const gint64         dilation[2],
                                const NsValue       *padding,
                                const NsInferResult *out,
                                NsExplanation       *explanation);
/* Keras' "no parameters" line and the activation memory line, common to all types. */
void     ns_explain_no_params  (NsExplanation       *explanation);
/* Sets out->extra_flops to @per_element FLOPs per output element (nothing
 * when the output has unknown dims). */
gboolean ns_infer_elementwise_flops   (NsInferResult       *out,
                                       gint64               per_element,
                                       GError             **error);
/* The cost line for that: "2·N = 2 × 1,048,576 = 2,097,152 @note". */
void     ns_explain_elementwise_flops (const NsInferResult *out,
                                       gint64               per_element,
                                       const char          *note,
                                       NsExplanation       *explanation);

/* Weights hooks: appends a spec of @rank dims (gint64 varargs) to @specs. */
void     ns_weight_spec_add    (GArray             *specs,
                                const char         *name,
                                const char         *initializer,
                                guint               rank,
                                ...);
/* The known size of input @port's last axis (its channels or features);
 * FALSE when it has none or it is unknown. */
gboolean ns_weights_last_axis  (const NsInferInput *in,
                                guint               port,
                                gint64             *size);

/* Numbers for messages, formatted before translation so that the message
 * stays one literal xgettext can extract: "3×3" from a pair; "−1", "1,024"
 * with a real minus sign; "None" for unknown dims. */
char    *ns_pair_to_string     (const gint64         pair[2]);
char    *ns_signed_to_string   (gint64               value);
char    *ns_dim_to_string      (gint64               dim);
/* "7 × 7 × 512": the factors of a product, for explanations. */
char    *ns_dims_to_product    (const gint64        *dims,
                                guint                len);
/* Sets an NS_ERROR_OVERFLOW "more elements than a 64-bit count holds". */
gboolean ns_infer_fail_overflow (GError            **error);

G_END_DECLS
