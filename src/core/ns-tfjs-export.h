/* ns-tfjs-export.h: writing a graph as a TensorFlow.js layers model (model.json + one .bin shard). */
#pragma once

#include <gio/gio.h>

#include "ns-graph.h"

G_BEGIN_DECLS

/* model.json's text: "format": "layers-model", the tf.keras 2 topology as
 * "modelTopology", and a weightsManifest with one group whose one path is
 * @weights_path (relative to model.json). @weights gets the shard: every
 * layer's weights as little-endian float32, in the manifest's order. A graph
 * without weights gets an empty manifest and *@weights = NULL; one where
 * some layers with parameters have weights and others not is refused. */
char     *ns_tfjs_export_to_data (NsGraph     *graph,
                                  const char  *weights_path,
                                  GBytes     **weights,
                                  GError     **error);

/* Writes @model_file and, when the graph holds weights, @weights_file
 * (named in the manifest by its basename: put them in one folder). */
gboolean  ns_tfjs_export         (NsGraph     *graph,
                                  GFile       *model_file,
                                  GFile       *weights_file,
                                  GError     **error);

G_END_DECLS
