/* ns-keras-export.h: writing a graph as Keras model.to_json() (tf.keras 2 and Keras 3 layouts). */
#pragma once

#include <json-glib/json-glib.h>

#include "ns-graph.h"

G_BEGIN_DECLS

typedef enum {
  NS_KERAS_LAYOUT_TF_KERAS_2,   /* tf.keras 2.x: what TensorFlow.js' modelFromJSON reads */
  NS_KERAS_LAYOUT_KERAS_3,      /* Keras 3: module / registered_name, DTypePolicy, batch_shape */
} NsKerasLayout;

/* Refuses a graph (or a nested model in it) with a layer in an error or
 * waiting state: "cannot export: layer conv2d: …". Every exporter asks first. */
gboolean  ns_export_check_graph   (NsGraph        *graph,
                                   GError        **error);

/* The model as Keras' model.to_json() would write it. Explicit [ph, pw]
 * padding has no Keras form: a ZeroPadding2D "<layer>_pad" goes before the
 * layer, which becomes "valid" (a transposed convolution gets a Cropping2D
 * "<layer>_crop" after it instead). */
JsonNode *ns_keras_export_model   (NsGraph        *graph,
                                   NsKerasLayout   layout,
                                   GError        **error);
/* The functional layout even for a Sequential model (for code generators). */
JsonNode *ns_keras_export_functional (NsGraph       *graph,
                                      NsKerasLayout  layout,
                                      GError       **error);
/* The same, pretty-printed, ending in a newline. */
char     *ns_keras_export_to_data (NsGraph        *graph,
                                   NsKerasLayout   layout,
                                   gsize          *length,
                                   GError        **error);

G_END_DECLS
