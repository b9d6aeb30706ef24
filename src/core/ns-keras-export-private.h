/* ns-keras-export-private.h: what the Keras JSON exporter's files share. */
#pragma once

#include "ns-keras-export.h"

G_BEGIN_DECLS

typedef struct {
  NsKerasLayout  layout;
  /* NsLayer* → the name its consumers read: "<layer>_crop" when a transposed
   * convolution's explicit padding became a Cropping2D after it. */
  GHashTable    *output_names;
  GPtrArray     *helper_names;  /* owns the names made up for padding layers */
} NsKerasExportContext;

/* One input of a layer entry: the tensor it reads. */
typedef struct {
  const char *name;
  int         node_index;
  NsShape     shape;
} NsKerasInbound;

/* [null, 128, 128, 3]: a shape with Keras' batch dimension. */
JsonNode *ns_keras_batch_shape_node (const NsShape *shape);

/* Appends one entry of a model's "layers" (taking @config): class, config,
 * and in a functional model its name and inbound nodes, in @ctx's layout. */
void      ns_keras_append_entry     (NsKerasExportContext *ctx,
                                     JsonArray            *layers,
                                     const char           *class_name,
                                     const char           *name,
                                     JsonObject           *config,
                                     const NsKerasInbound *inbound,
                                     guint                 n_inbound,
                                     gboolean              merge,
                                     gboolean              functional);

G_END_DECLS
