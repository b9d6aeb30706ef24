/* ns-layer-private.h: NsLayer's fields, shared with NsGraph, which owns the
 * connections and writes the inferred figures. */
#pragma once

#include "ns-layer.h"

G_BEGIN_DECLS

struct _NsLayer {
  GObject            parent_instance;

  const NsLayerType *type;
  char              *id;
  char              *name;
  NsGraph           *graph;          /* not owned; set while in a graph */
  double             x, y;
  NsValue           *values;         /* type->n_props */
  GPtrArray         *inputs;         /* NsLayer* by port (NULL: free port); not owned */
  GPtrArray         *consumers;      /* NsLayer* reading this output, per port; not owned */
  JsonObject        *extra;
  GPtrArray         *weights;        /* NsWeight*, or NULL */
  NsGraph           *subgraph;       /* owned; nested models only */
  gboolean           frozen;         /* Keras trainable=False: its weights count as non-trainable */
  NsLayer           *weights_of;     /* a shared layer's later call: the call owning the weights */
  NsLayerInfo        info;

  /* Bookkeeping for NsGraph's incremental inference. */
  guint              list_index;     /* position in the graph's GListModel */
  guint              topo_index;     /* position in the sorted order */
  guint              queued_pass;    /* inference pass that last queued it */
};

void     ns_layer_set_graph      (NsLayer            *self,
                                  NsGraph            *graph);
void     ns_layer_set_name_internal (NsLayer         *self,
                                  const char         *name);
/* Replaces the inferred figures; TRUE when they differ from before. */
gboolean ns_layer_update_info    (NsLayer            *self,
                                  NsLayerInfo        *info);
void     ns_layer_info_clear     (NsLayerInfo        *info);
void     ns_layer_emit_inferred  (NsLayer            *self);
void     ns_layer_emit_config_changed (NsLayer       *self,
                                  const char         *key);
/* Gathers the config and input shapes for the type's callbacks. */
void     ns_layer_get_infer_input (NsLayer           *self,
                                  const NsShape     **shapes,
                                  NsInferInput       *in);

G_END_DECLS
