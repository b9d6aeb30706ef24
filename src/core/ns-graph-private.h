/* ns-graph-private.h: NsGraph's fields, shared by the edit code (ns-graph.c)
 * and the inference code (ns-graph-infer.c). */
#pragma once

#include "ns-graph.h"
#include "ns-layer-private.h"

G_BEGIN_DECLS

struct _NsGraph {
  GObject     parent_instance;

  char       *name;
  char       *model_class;
  GPtrArray  *inputs;          /* NsLayer*, explicit order, or NULL */
  GPtrArray  *outputs;         /* NsLayer*, explicit order, or NULL */
  GPtrArray  *layers;          /* owned NsLayer*, insertion (document) order */
  GHashTable *by_id;           /* id → NsLayer* */
  GHashTable *by_name;         /* name → NsLayer* */
  GHashTable *name_counters;   /* automatic-name prefix → next suffix to try */
  GPtrArray  *sorted;          /* NsLayer*, topological order; rebuilt lazily */
  gboolean    sorted_valid;
  GPtrArray  *seeds;           /* layers edited while inference was frozen or pending */
  guint       freeze_count;
  guint       pass;            /* serial of the current inference pass */
  guint64     next_id;
};

/* Rebuilds the topological order if an edit invalidated it. */
void ns_graph_ensure_sorted    (NsGraph *self);
/* Infers the seeds and what changes downstream of them; emits "inferred". */
void ns_graph_run_inference    (NsGraph *self);
void ns_graph_emit_inferred    (NsGraph *self);
/* ns_graph_add_layer at @position of the list rather than at its end: undo
 * puts a deleted layer back where it was, so Keras' order comes back too. */
gboolean ns_graph_insert_layer (NsGraph  *self,
                                NsLayer  *layer,
                                guint     position,
                                GError  **error);
/* An id ("n12") that no layer of the graph has, from the graph's counter. */
char    *ns_graph_new_layer_id (NsGraph  *self);

G_END_DECLS
