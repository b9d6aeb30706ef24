/* ns-weights.h: a layer's learned tensors (kernel, bias, gamma, …), as Keras
 * orders and names them, kept as float32. */
#pragma once

#include "ns-shape.h"

G_BEGIN_DECLS

typedef struct {
  char   *name;    /* Keras' weight name without the layer prefix: "kernel", "moving_mean" */
  NsShape shape;   /* every dimension, no batch: a 3×3×3×64 kernel has rank 4 */
  GBytes *data;    /* native-endian float32, as many values as the shape holds */
} NsWeight;

/* Fails (NULL) when @data does not hold exactly the shape's values. */
NsWeight *ns_weight_new          (const char    *name,
                                  const NsShape *shape,
                                  GBytes        *data);
void      ns_weight_free         (NsWeight      *weight);
gint64    ns_weight_get_n_values (const NsWeight *weight);
const float *ns_weight_get_values (const NsWeight *weight);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsWeight, ns_weight_free)

G_END_DECLS
