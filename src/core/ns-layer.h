/* ns-layer.h: one layer in a graph: its type, config, position and inferred figures. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ns-layer-type.h"
#include "ns-weights.h"

G_BEGIN_DECLS

#define NS_TYPE_LAYER (ns_layer_get_type ())
G_DECLARE_FINAL_TYPE (NsLayer, ns_layer, NS, LAYER, GObject)

typedef enum {
  NS_LAYER_OK,
  NS_LAYER_ERROR,     /* its config or inputs are wrong; message says how */
  NS_LAYER_WAITING,   /* an upstream layer has an error; message names it */
} NsLayerState;

/* Inferred figures, per sample. Valid while the graph is not edited. */
typedef struct {
  NsLayerState state;
  char        *message;               /* NULL when OK */
  NsShape      output;
  gint64       params;
  gint64       trainable_params;
  gint64       non_trainable_params;
  gint64       macs;
  gint64       flops;
  gint64       activation_bytes;      /* float32 output tensor */
  /* Receptive field and effective stride in input pixels, (height, width) of
   * the first spatial input upstream; rf_global once it spans everything. */
  double       receptive_field[2];
  double       effective_stride[2];
  gboolean     rf_global;
} NsLayerInfo;

NsLayer           *ns_layer_new            (const NsLayerType *type,
                                            const char        *id,
                                            const char        *name);
const NsLayerType *ns_layer_get_layer_type (NsLayer    *self);
const char        *ns_layer_get_id         (NsLayer    *self);
const char        *ns_layer_get_name       (NsLayer    *self);
NsGraph           *ns_layer_get_graph      (NsLayer    *self);
void               ns_layer_get_position   (NsLayer    *self,
                                            double     *x,
                                            double     *y);
void               ns_layer_set_position   (NsLayer    *self,
                                            double      x,
                                            double      y);
const NsValue     *ns_layer_get_values     (NsLayer    *self);
const NsValue     *ns_layer_get_value      (NsLayer    *self,
                                            const char *key);
/* Input port @port's source, or NULL. */
NsLayer           *ns_layer_get_input      (NsLayer    *self,
                                            guint       port);
guint              ns_layer_get_n_inputs   (NsLayer    *self);
/* Layers reading this one's output (a layer appears once per port it uses). */
guint              ns_layer_get_n_consumers (NsLayer   *self);
NsLayer           *ns_layer_get_consumer   (NsLayer    *self,
                                            guint       index);
const NsLayerInfo *ns_layer_get_info       (NsLayer    *self);
/* Explains the current figures; NULL unless the layer is OK. */
NsExplanation     *ns_layer_explain        (NsLayer    *self);
/* "64 @ 3×3 /1 same, relu"; "" when the type has nothing to say. */
char              *ns_layer_describe       (NsLayer    *self);
/* Learned tensors (NsWeight*), in Keras' order; NULL when the layer has none
 * (a designed network gets its weights from an initializer when it runs). */
GPtrArray         *ns_layer_get_weights    (NsLayer    *self);
/* Takes a reference to @weights (NULL clears). Does not re-infer: weights
 * never change shapes. */
void               ns_layer_set_weights    (NsLayer    *self,
                                            GPtrArray  *weights);
/* Keras' `trainable`: FALSE freezes the layer, whose weights then count as
 * non-trainable (change it with ns_graph_set_trainable). */
gboolean           ns_layer_get_trainable  (NsLayer    *self);
/* For a later call of a shared layer (Keras calls one layer object twice):
 * the node whose weights it uses; NULL otherwise. Its parameters are counted
 * once, on the owner (set with ns_graph_share_weights). */
NsLayer           *ns_layer_get_weights_owner (NsLayer *self);
/* The Keras class to show and export: the type's, except that an opaque
 * layer shows the class it stands for and a nested model its model class. */
const char        *ns_layer_get_class_name (NsLayer    *self);
/* A nested model's own graph (a Sequential or Functional used as a layer). */
NsGraph           *ns_layer_get_subgraph   (NsLayer    *self);
/* Gives a nested-model layer its graph (a reference is taken); only before
 * the layer is added to a graph. */
void               ns_layer_set_subgraph   (NsLayer    *self,
                                            NsGraph    *subgraph);
/* Keys of the layer's JSON that Netsketch does not know, kept for saving. */
JsonObject        *ns_layer_get_extra      (NsLayer    *self);
void               ns_layer_set_extra      (NsLayer    *self,
                                            JsonObject *extra);

G_END_DECLS
