/* ns-code-export.h: Python code that rebuilds a graph: Keras functional API and a PyTorch nn.Module. */
#pragma once

#include "ns-graph.h"

G_BEGIN_DECLS

/* A Python module: `keras.Input`, every layer with its name and config,
 * `keras.Model(inputs, outputs)` assigned to `model`. */
char *ns_code_export_keras_py (NsGraph  *graph,
                               GError  **error);

/* A Python module defining one nn.Module subclass named after the model
 * (CamelCase), its layers as attributes of __init__ with their real sizes
 * and forward() in graph order, taking and returning NCHW tensors. */
char *ns_code_export_pytorch  (NsGraph  *graph,
                               GError  **error);

/* "vgg16" → "Vgg16", "my-net 2" → "MyNet2": a Python class name. */
char *ns_code_class_name      (const char *model_name);
/* A Python identifier for a layer name ("conv2d_1"; "1x1" → "l_1x1"). */
char *ns_code_identifier      (const char *layer_name);

G_END_DECLS
