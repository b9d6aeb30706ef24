/* ns-initializers.h: Keras' weight initializers, drawn from reproducible
 * streams so that a designed network gets the same weights on every run. */
#pragma once

#include "ns-layer-type.h"

G_BEGIN_DECLS

/* Fills @out with @spec's values as Keras' initializer of that name would
 * draw them (same distributions and fans, not Keras' own random numbers).
 * The stream depends only on @seed, @layer (the layer's name, "model/conv"
 * inside a nested model) and the weight's name, so editing one layer leaves
 * the others' weights as they were. */
gboolean ns_initializer_fill (const NsWeightSpec *spec,
                              guint64             seed,
                              const char         *layer,
                              float              *out,
                              GError            **error);

G_END_DECLS
