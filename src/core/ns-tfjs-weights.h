/* ns-tfjs-weights.h: TensorFlow.js weight manifests and .bin shards, read into
 * the layers of a graph. */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"
#include "ns-json-source.h"

G_BEGIN_DECLS

/* Reads every group of @manifest (model.json's "weightsManifest" array) from
 * shard files relative to @base_dir, decodes float32, float16 and quantised
 * uint8 / uint16 values to float32 as tfjs does, and sets each layer's
 * weights in Keras' order ("sequential/conv2d/kernel" and "conv2d/kernel:0"
 * both go to conv2d's "kernel"). Checks each weight's shape against what the
 * layer expects and their sizes against its parameter count. Errors name
 * the file and the weight. */
gboolean ns_tfjs_weights_load (NsGraph       *graph,
                               NsJsonSource  *source,
                               JsonNode      *manifest,
                               GFile         *base_dir,
                               GError       **error);

/* Decodes @n_values of @dtype ("float32", "float16", "int32", "uint8",
 * "uint16") from @data into @out, applying @scale and @min when the values
 * are quantised (value = min + scale · q). */
void     ns_tfjs_decode_values (const guint8 *data,
                                const char   *dtype,
                                gsize         n_values,
                                double        scale,
                                double        min,
                                float        *out);

G_END_DECLS
