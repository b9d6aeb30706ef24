/* ns-graph.h: the network: a GListModel of NsLayer plus the connections between
 * them. Every edit re-infers the layers downstream of it, and only those. */
#pragma once

#include <gio/gio.h>

#include "ns-layer.h"

G_BEGIN_DECLS

#define NS_TYPE_GRAPH (ns_graph_get_type ())
G_DECLARE_FINAL_TYPE (NsGraph, ns_graph, NS, GRAPH, GObject)

typedef struct {
  gint64 params;
  gint64 trainable_params;
  gint64 non_trainable_params;
  gint64 macs;
  gint64 flops;
  gint64 activation_bytes;
  guint  n_errors;
} NsGraphTotals;

NsGraph   *ns_graph_new                (void);
const char *ns_graph_get_name          (NsGraph     *self);
void        ns_graph_set_name          (NsGraph     *self,
                                        const char  *name);

/* "Functional" (the default) or "Sequential": how Keras would build it, which
 * decides whether summaries list the InputLayer (Keras' Sequential does not). */
const char *ns_graph_get_model_class   (NsGraph     *self);
void        ns_graph_set_model_class   (NsGraph     *self,
                                        const char  *model_class);
/* The model's inputs and outputs in Keras' order (a new array of NsLayer*).
 * Unless set, the InputLayers and the layers nothing reads, in insertion order. */
GPtrArray  *ns_graph_get_inputs        (NsGraph     *self);
GPtrArray  *ns_graph_get_outputs       (NsGraph     *self);
/* Fixes the order (importers keep Keras' input_layers / output_layers); the
 * layers must be in the graph. Removing a layer drops it from the lists. */
void        ns_graph_set_inputs        (NsGraph     *self,
                                        GPtrArray   *layers);
void        ns_graph_set_outputs       (NsGraph     *self,
                                        GPtrArray   *layers);
/* Whether the inputs or the outputs were fixed by a set call (a saved
 * document keeps them then, and only then). */
gboolean    ns_graph_has_explicit_io   (NsGraph     *self);

/* Creates a layer of @type with Keras' automatic name ("conv2d_1") unless
 * @name is given, and adds it. Returns the layer (owned by the graph). */
NsLayer   *ns_graph_add_new_layer      (NsGraph            *self,
                                        const NsLayerType  *type,
                                        const char         *name,
                                        GError            **error);
/* Adds @layer (a new reference is taken); its id and name must be unique. */
gboolean   ns_graph_add_layer          (NsGraph     *self,
                                        NsLayer     *layer,
                                        GError     **error);
/* Removes @layer and every connection to and from it. */
void       ns_graph_remove_layer       (NsGraph     *self,
                                        NsLayer     *layer);

/* Connects @from's output to @to's input @port. Merge layers take ports
 * 0…n in order: connecting to port n appends. Refuses cycles, occupied
 * ports and ports past what the type takes, saying which. */
gboolean   ns_graph_connect            (NsGraph     *self,
                                        NsLayer     *from,
                                        NsLayer     *to,
                                        guint        port,
                                        GError     **error);
/* The same checks without connecting: for previews while dragging a wire. */
gboolean   ns_graph_can_connect        (NsGraph     *self,
                                        NsLayer     *from,
                                        NsLayer     *to,
                                        guint        port,
                                        GError     **error);
/* Frees input @port of @to; merge layers' later ports move down one. */
gboolean   ns_graph_disconnect         (NsGraph     *self,
                                        NsLayer     *to,
                                        guint        port);

gboolean   ns_graph_set_value          (NsGraph       *self,
                                        NsLayer       *layer,
                                        const char    *key,
                                        const NsValue *value,
                                        GError       **error);
gboolean   ns_graph_rename_layer       (NsGraph     *self,
                                        NsLayer     *layer,
                                        const char  *name,
                                        GError     **error);

/* Freezes (FALSE) or unfreezes a layer, as Keras' layer.trainable. */
void       ns_graph_set_trainable      (NsGraph     *self,
                                        NsLayer     *layer,
                                        gboolean     trainable);
/* Makes @layer a later call of @owner's shared layer: same type, weights
 * counted once, on @owner. NULL @owner makes it a layer of its own again. */
gboolean   ns_graph_share_weights      (NsGraph     *self,
                                        NsLayer     *layer,
                                        NsLayer     *owner,
                                        GError     **error);

NsLayer   *ns_graph_find_by_name       (NsGraph     *self,
                                        const char  *name);
NsLayer   *ns_graph_find_by_id         (NsGraph     *self,
                                        const char  *id);
/* Layers in topological order, ties kept in insertion order (as Keras lists
 * them). Owned by the graph; valid until the next edit. */
GPtrArray *ns_graph_get_sorted_layers  (NsGraph     *self);
void       ns_graph_get_totals         (NsGraph       *self,
                                        NsGraphTotals *totals);
/* Stops inference until thaw, for loading many layers at once. */
void       ns_graph_freeze_inference   (NsGraph     *self);
void       ns_graph_thaw_inference     (NsGraph     *self);

G_END_DECLS
