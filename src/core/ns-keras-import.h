/* ns-keras-import.h: reading Keras (tf.keras 2, Keras 3) model JSON and
 * TensorFlow.js layers models into a graph. */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"
#include "ns-json-source.h"

G_BEGIN_DECLS

/* The key of NsLayer's extra object under which an imported layer keeps
 * the Keras config Netsketch could not map: for an OpaqueLayer the whole
 * original layer entry ({"class_name", "config", …}), verbatim. */
#define NS_KERAS_EXTRA_ORIGINAL "keras_layer"

/* Imports a Keras model JSON (model.to_json() of tf.keras 2 or Keras 3, the
 * config.json of a .keras archive), a TensorFlow.js model.json or topology,
 * or a JSON string holding one of them. @display_name starts every error
 * message ("model.json:1:2345: layers[3] (conv2d).config.kernel_size: …").
 * When @base_dir is given, a TensorFlow.js weightsManifest is read from
 * there and the weights set on their layers; with NULL, weights are left
 * out. The graph is fully inferred and laid out. Layers whose class is not
 * known become OpaqueLayer nodes, not errors. */
NsGraph *ns_keras_import_from_data (const char   *data,
                                    gssize        length,
                                    const char   *display_name,
                                    GFile        *base_dir,
                                    GError      **error);

/* The same over a document already parsed with ns_json_source_parse(). */
NsGraph *ns_keras_import_from_source (NsJsonSource *source,
                                      const char   *display_name,
                                      GFile        *base_dir,
                                      GError      **error);

G_END_DECLS
